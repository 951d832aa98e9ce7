"""The `smarketing` command: every capability scriptable, `--json` for machines.

Exit codes: 0 success, 1 when some items failed (e.g. skipped CSV rows), 2 on bad input with a
one-line message on stderr and nothing changed.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from smarketing_desktop import __version__, clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.prospect_csv import (
    CsvFormatError,
    parse_prospect_csv,
    write_prospect_csv,
)
from smarketing_desktop.core.prospects import Prospect, ProspectDraft, normalize_tags
from smarketing_desktop.db.migrate import MigrationError
from smarketing_desktop.db.repositories.prospects import (
    SORT_KEYS,
    ProspectQuery,
    ProspectRepository,
)
from smarketing_desktop.db.store import Database, open_database
from smarketing_desktop.demo import load_demo
from smarketing_desktop.logging_setup import setup_logging
from smarketing_desktop.paths import resolve_workspace
from smarketing_desktop.secrets import SecretStore

log = logging.getLogger(__name__)

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace, Database], int]


class CliParser(argparse.ArgumentParser):
    """argparse, but usage errors are one line on stderr, like every other error here."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


# -- output --------------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    text_rows = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text_rows]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    for row in text_rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def show_prospect(prospect: Prospect) -> None:
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
        ("Last touch", prospect.last_touch_at.isoformat() if prospect.last_touch_at else "never"),
    ]
    print(f"Prospect {prospect.id}")
    for label, value in labels:
        if value:
            print(f"  {label + ':':<11} {value}")


# -- prospect commands -----------------------------------------------------------------------

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


def _add_field_options(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    for flag, dest, help_text in _FIELD_OPTIONS:
        extra = " (empty string clears it)" if editing else ""
        parser.add_argument(flag, dest=dest, default=None, help=help_text + extra)
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
    prospect = ProspectRepository(db).add(draft)
    if args.json:
        emit_json(prospect.to_json())
    else:
        print(f"Added prospect {prospect.id}: {prospect.name}")
    return EXIT_OK


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
    if not changes:
        raise UserError("Nothing to change: give at least one option, e.g. --title 'CTO'.")
    prospect = repo.update(args.id, replace(current, **changes))
    if args.json:
        emit_json(prospect.to_json())
    else:
        print(f"Updated prospect {prospect.id}: {prospect.name}")
    return EXIT_OK


def cmd_prospect_remove(args: argparse.Namespace, db: Database) -> int:
    repo = ProspectRepository(db)
    prospect = repo.get(args.id)
    repo.remove(args.id)
    if args.json:
        emit_json({"removed": prospect.id, "name": prospect.name})
    else:
        print(f"Removed prospect {prospect.id}: {prospect.name}")
    return EXIT_OK


def _read_input_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a file.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from None


def cmd_prospect_import(args: argparse.Namespace, db: Database) -> int:
    data = _read_input_file(args.file)
    try:
        parsed = parse_prospect_csv(data)
    except CsvFormatError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    repo = ProspectRepository(db)
    plan = repo.plan_import(parsed)
    imported = len(plan.rows) if args.dry_run else len(repo.run_import(plan))
    if args.json:
        emit_json({**plan.to_json(imported), "dry_run": args.dry_run})
    else:
        verb = "Would import" if args.dry_run else "Imported"
        print(f"{verb} {imported} prospects; {len(plan.skipped)} rows skipped.")
        for skipped in plan.skipped:
            print(f"  line {skipped.line}: {skipped.reason}")
    return EXIT_PARTIAL if plan.skipped else EXIT_OK


def cmd_prospect_export(args: argparse.Namespace, db: Database) -> int:
    prospects = ProspectRepository(db).find()
    text = write_prospect_csv(prospects)
    if args.file == "-":
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.file)
    if not target.parent.exists():
        raise UserError(f"{target.parent}: no such folder.")
    try:
        target.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"{target}: cannot be written ({exc.strerror}).") from None
    if args.json:
        emit_json({"exported": len(prospects), "file": str(target)})
    else:
        print(f"Exported {len(prospects)} prospects to {target}")
    return EXIT_OK


# -- workspace commands ----------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace, db: Database) -> int:
    report = load_demo(db)
    if args.json:
        emit_json(report.to_json())
    else:
        print(
            f"Loaded the sample workspace: {report.prospects} prospects at {report.companies} "
            f"companies, {report.content_items} content items, {report.feeds} feeds with "
            f"{report.entries} posts. Open it with: smarketing-desktop --home {db.workspace.home}"
        )
    return EXIT_OK


def cmd_info(args: argparse.Namespace, db: Database) -> int:
    ws = db.workspace
    info = {
        "version": __version__,
        "home": str(ws.home),
        "database": ws.db_url,
        "logs": str(ws.logs_dir),
        "backups": str(ws.backups_dir),
        "secure_keyring": SecretStore.backend_available(),
        "now": clock.now().isoformat(),
    }
    if args.json:
        emit_json(info)
    else:
        for key, value in info.items():
            print(f"{key + ':':<16}{value}")
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------------


def _common_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the command; after wins."""
    default: Any = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home", default=default, metavar="DIR", help="data folder (default: per-user data dir)"
    )
    common.add_argument("--db-url", default=default, metavar="URL", help="database URL")
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print one JSON document on stdout",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(
        prog="smarketing",
        description="Smarketing Desktop from the command line: prospects, feeds, content, plans.",
        parents=[_common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _common_options(suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CliParser)

    def command(group: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = group.add_parser(
            name, help=help_text, description=help_text, parents=[common]
        )
        sub.set_defaults(handler=handler)
        return sub

    prospect = commands.add_parser("prospect", help="add, list, edit, import and export prospects")
    prospect_cmds = prospect.add_subparsers(dest="action", metavar="ACTION", parser_class=CliParser)
    prospect.set_defaults(handler=None, subparser=prospect)

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

    importer = command(
        prospect_cmds, "import", cmd_prospect_import, "import prospects from a CRM CSV export"
    )
    importer.add_argument("file", metavar="FILE.csv")
    importer.add_argument("--dry-run", action="store_true", help="report only; store nothing")

    exporter = command(prospect_cmds, "export", cmd_prospect_export, "export prospects to CSV")
    exporter.add_argument("file", metavar="FILE.csv", help="target file, or - for stdout")

    command(commands, "demo", cmd_demo, "fill an empty workspace with sample data")
    command(commands, "info", cmd_info, "show where data lives and the app's settings")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        (getattr(args, "subparser", None) or parser).print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        clock.now()  # a bad SMARKETING_NOW is bad input, reported before anything happens
        workspace = resolve_workspace(args.home, args.db_url)
        workspace.ensure_dirs()
        setup_logging(workspace.logs_dir)
        db = open_database(workspace)
    except (ValueError, OSError, MigrationError) as exc:
        print(f"smarketing: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return handler(args, db)
    except UserError as exc:
        print(f"smarketing: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        log.exception("Command failed")
        log_file = workspace.logs_dir / "smarketing.log"
        print(f"smarketing: unexpected error: {exc} (details in {log_file})", file=sys.stderr)
        return EXIT_PARTIAL
    finally:
        db.dispose()
