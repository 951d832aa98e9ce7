"""`smarketing prospect ...`: add, list, show, edit, remove, import and export prospects."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

from smarketing_desktop import clock
from smarketing_desktop.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    read_and_parse,
    respond,
    write_output_file,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.prospect_csv import (
    CsvFormatError,
    parse_prospect_csv,
    write_prospect_csv,
)
from smarketing_desktop.core.prospects import (
    DEFAULT_WORD,
    LABELS,
    Prospect,
    ProspectDraft,
    moment_text,
    normalize_tags,
    parse_touch_days,
)
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.repositories.prospects import (
    SORT_KEYS,
    ProspectQuery,
    ProspectRepository,
)
from smarketing_desktop.db.store import Database


def _days_text(days: int, own: int | None) -> str:
    return f"{days} days" + (" (default)" if own is None else "")


def show_prospect(prospect: Prospect) -> None:
    cadence = prospect.cadence
    labels = [
        ("Name", prospect.name),
        ("Company", prospect.company),
        ("Title", prospect.title),
        ("Email", prospect.email),
        ("X", f"@{prospect.x_handle}" if prospect.x_handle else None),
        ("LinkedIn", prospect.linkedin_url),
        ("Blog/site", prospect.blog_url),
        ("Mastodon", prospect.mastodon_handle),
        ("Bluesky", prospect.bluesky_handle),
        ("Tags", ", ".join(prospect.tags) or None),
        ("Notes", prospect.notes),
        (
            "Last touch",
            moment_text(prospect.last_touch_at, clock.now()) if prospect.last_touch_at else "never",
        ),
        ("Touch every", _days_text(cadence.ideal_days, prospect.touch_ideal_days)),
        ("At most", _days_text(cadence.max_days, prospect.touch_max_days)),
    ]
    print(f"Prospect {prospect.id}")
    for label, value in labels:
        if value:
            print(f"  {label + ':':<11} {value}")


_FIELD_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--company", "company", "company (account) name"),
    ("--title", "title", "job title"),
    ("--email", "email", "work email address"),
    ("--x-handle", "x_handle", "X handle, e.g. @jane or an x.com link"),
    ("--linkedin", "linkedin_url", "LinkedIn profile URL"),
    ("--blog", "blog_url", "blog or personal site URL"),
    ("--mastodon", "mastodon_handle", "Mastodon handle @user@host"),
    ("--bluesky", "bluesky_handle", "Bluesky handle, e.g. jane.bsky.social"),
    ("--notes", "notes", "free-form notes"),
)


# Touch intervals: a number of days, or "default" to follow the settings again.
_DAYS_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--ideal-days", "touch_ideal_days", "touch them at least every N days"),
    ("--max-days", "touch_max_days", "never leave them longer than N days"),
)


def _touch_days(args: argparse.Namespace) -> dict[str, Any]:
    """The touch intervals given on the command line (None: back to the default)."""
    given: dict[str, Any] = {}
    for flag, dest, _ in _DAYS_OPTIONS:
        text = getattr(args, dest)
        if text is None:
            continue
        days, error = parse_touch_days(text)
        if error:
            raise UserError(f"{flag}: {LABELS[dest]} {error}.")
        given[dest] = days
    return given


def _add_field_options(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    for flag, dest, help_text in _FIELD_OPTIONS:
        extra = " (empty string clears it)" if editing else ""
        parser.add_argument(flag, dest=dest, default=None, help=help_text + extra)
    for flag, dest, help_text in _DAYS_OPTIONS:
        parser.add_argument(
            flag,
            dest=dest,
            default=None,
            metavar="N",
            help=f"{help_text}; '{DEFAULT_WORD}' uses the setting (the default)",
        )
    parser.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=None,
        metavar="TAG",
        help="a tag; repeat for several" + ("; replaces all tags" if editing else ""),
    )


def cmd_prospect_add(args: argparse.Namespace, db: Database) -> int:
    draft = ProspectDraft(
        name=args.name,
        tags=normalize_tags(args.tags or []),
        **{dest: getattr(args, dest) for _, dest, _ in _FIELD_OPTIONS},
    )
    draft = replace(draft, **_touch_days(args))
    prospect = ProspectRepository(db).add(draft)
    return respond(args, prospect.to_json(), f"Added prospect {prospect.id}: {prospect.name}")


def cmd_prospect_list(args: argparse.Namespace, db: Database) -> int:
    query = ProspectQuery(
        search=args.search or "",
        tag=args.tag,
        company=args.company,
        sort=args.sort,
        descending=args.desc,
        limit=args.limit,
    )
    prospects = ProspectRepository(db).find(query)
    if args.json:
        emit_json([p.to_json() for p in prospects])
    elif not prospects and (query.search.strip() or query.tag or query.company):
        # Saying "no prospects yet" here would send a rep with 200 prospects to re-import them.
        print("No prospects match these filters.")
    elif not prospects:
        print(
            "No prospects yet. Add one with: smarketing prospect add NAME, or try: smarketing demo"
        )
    else:
        emit_table(
            [(p.id, p.name, p.company, p.title, ", ".join(p.tags)) for p in prospects],
            ("ID", "NAME", "COMPANY", "TITLE", "TAGS"),
        )
    return EXIT_OK


def cmd_prospect_show(args: argparse.Namespace, db: Database) -> int:
    prospect = ProspectRepository(db).get(args.id)
    if args.json:
        emit_json(prospect.to_json())
    else:
        show_prospect(prospect)
    return EXIT_OK


def cmd_prospect_edit(args: argparse.Namespace, db: Database) -> int:
    repo = ProspectRepository(db)
    current = repo.get(args.id).to_draft()
    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    for _, dest, _ in _FIELD_OPTIONS:
        value = getattr(args, dest)
        if value is not None:
            changes[dest] = value or None
    if args.tags is not None:
        changes["tags"] = normalize_tags(args.tags)
    changes.update(_touch_days(args))
    if not changes:
        raise UserError("Nothing to change: give at least one option, e.g. --title 'CTO'.")
    prospect = repo.update(args.id, replace(current, **changes))
    return respond(args, prospect.to_json(), f"Updated prospect {prospect.id}: {prospect.name}")


def cmd_prospect_remove(args: argparse.Namespace, db: Database) -> int:
    """Ask for --yes when more than the prospect is affected (open deals, open follow-ups),
    saying what happens to them, so a script or a rep never loses a follow-up unawares; a
    prospect with nothing attached goes at once, as before."""
    repo = ProspectRepository(db)
    impact = repo.removal_impact(args.id)
    if impact.affects_more and not args.yes:
        raise UserError(f"{impact.summary()}; remove anyway with --yes. {impact.consequence()}")
    repo.remove(args.id)
    done = f"Removed prospect {impact.prospect_id}: {impact.name}"
    return respond(
        args,
        {
            "removed": impact.prospect_id,
            "name": impact.name,
            "followups_removed": impact.open_followups,
            "deals_kept": impact.open_deals,
        },
        f"{done}. {impact.consequence()}" if impact.affects_more else done,
    )


def cmd_prospect_import(args: argparse.Namespace, db: Database) -> int:
    parsed = read_and_parse(args.file, parse_prospect_csv, CsvFormatError)
    repo = ProspectRepository(db)
    plan = repo.plan_import(parsed)
    imported = len(plan.rows) if args.dry_run else len(repo.run_import(plan))
    if args.json:
        emit_json({**plan.to_json(imported), "dry_run": args.dry_run})
    else:
        verb = "Would import" if args.dry_run else "Imported"
        print(f"{verb} {plural(imported, 'prospect')}; {plural(len(plan.skipped), 'row')} skipped.")
        for skipped in plan.skipped:
            print(f"  line {skipped.line}: {skipped.reason}")
    return EXIT_PARTIAL if plan.skipped else EXIT_OK


def cmd_prospect_export(args: argparse.Namespace, db: Database) -> int:
    prospects = ProspectRepository(db).find()
    text = write_prospect_csv(prospects)
    if args.file == "-":
        sys.stdout.write(text)
        return EXIT_OK
    target = write_output_file(args.file, text.encode("utf-8"))
    return respond(
        args,
        {"exported": len(prospects), "file": str(target)},
        f"Exported {len(prospects)} prospects to {target}",
    )


def register(commands: Subcommands, command: CommandAdder) -> None:
    prospect_cmds = command.group(
        commands, "prospect", "add, list, edit, import and export prospects"
    )

    add = command(prospect_cmds, "add", cmd_prospect_add, "add a prospect")
    add.add_argument("name", metavar="NAME", help="full name")
    _add_field_options(add, editing=False)

    lister = command(prospect_cmds, "list", cmd_prospect_list, "list prospects")
    lister.add_argument("--search", help="match name, company, title, email or tags")
    lister.add_argument("--tag", help="only prospects with this tag")
    lister.add_argument("--company", help="only prospects at this company")
    lister.add_argument("--sort", choices=SORT_KEYS, default="name")
    lister.add_argument("--desc", action="store_true", help="sort descending")
    lister.add_argument("--limit", type=int, default=None)

    show = command(prospect_cmds, "show", cmd_prospect_show, "show one prospect")
    show.add_argument("id", type=int, metavar="ID")

    edit = command(prospect_cmds, "edit", cmd_prospect_edit, "change a prospect's fields")
    edit.add_argument("id", type=int, metavar="ID")
    edit.add_argument("--name", default=None, help="full name")
    _add_field_options(edit, editing=True)

    remove = command(prospect_cmds, "remove", cmd_prospect_remove, "remove a prospect")
    remove.add_argument("id", type=int, metavar="ID")
    remove.add_argument(
        "--yes",
        action="store_true",
        help="remove even when they have open deals or follow-ups (follow-ups go, deals stay)",
    )

    importer = command(
        prospect_cmds, "import", cmd_prospect_import, "import prospects from a CRM CSV export"
    )
    importer.add_argument("file", metavar="FILE.csv")
    importer.add_argument("--dry-run", action="store_true", help="report only; store nothing")

    exporter = command(prospect_cmds, "export", cmd_prospect_export, "export prospects to CSV")
    exporter.add_argument("file", metavar="FILE.csv", help="target file, or - for stdout")
