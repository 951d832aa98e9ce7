"""`smarketing content ...` and `share-text`: the library marketing supplies, and what to say."""

from __future__ import annotations

import argparse
from datetime import date

from smarketing_desktop.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    read_and_parse,
    respond,
)
from smarketing_desktop.core.content import (
    CONTENT_KINDS,
    ContentDraft,
    ContentError,
    normalize_kind,
)
from smarketing_desktop.core.content_csv import parse_content_csv
from smarketing_desktop.core.csv_rows import CsvFormatError
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.repositories.content import (
    COMPANY_PURPOSE,
    ContentQuery,
    ContentRepository,
)
from smarketing_desktop.db.store import Database


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-03-31") from None


def _kind(text: str) -> str:
    try:
        return normalize_kind(text)
    except ContentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _page_draft(url: str) -> ContentDraft:
    """Title, description and tags from the page itself (network: the command waits)."""
    from smarketing_desktop.feeds.fetch import fetch, make_client
    from smarketing_desktop.feeds.page_meta import page_meta
    from smarketing_desktop.feeds.subscribe import DISCOVERY_LIMITS

    with make_client(DISCOVERY_LIMITS) as client:
        result = fetch(client, url, limits=DISCOVERY_LIMITS)
    if not result.ok or result.body is None:
        raise UserError(f"Could not read {url}: {result.message} Give --title to add it anyway.")
    meta = page_meta(result.body)
    if not meta.title:
        raise UserError(f"{url} has no title; give one with --title.")
    kind = "webinar" if (meta.og_type or "").startswith("video") else "blog_post"
    return ContentDraft(
        url=url, title=meta.title, summary=meta.description, kind=kind, tags=meta.tags
    )


def cmd_content_add(args: argparse.Namespace, db: Database) -> int:
    repo = ContentRepository(db)
    if repo.find_by_url(args.url) is not None:
        raise UserError(f"{args.url} is already in the library.")
    base = _page_draft(args.url) if not args.title else ContentDraft(url=args.url, title=args.title)
    draft = ContentDraft(
        url=args.url,
        title=args.title or base.title,
        summary=args.summary if args.summary is not None else base.summary,
        kind=args.kind or base.kind,
        tags=tuple(args.tags) if args.tags else base.tags,
        source="added by hand" if args.title else "added from its page",
        expires_on=args.expires,
    )
    try:
        item = repo.add(draft)
    except ContentError as exc:
        raise UserError(str(exc)) from None
    return respond(
        args, item.to_json(), f"Added content {item.id}: {item.title} ({item.kind_label})"
    )


def cmd_content_list(args: argparse.Namespace, db: Database) -> int:
    items = ContentRepository(db).find(
        ContentQuery(search=args.search or "", kind=args.kind, tag=args.tag)
    )
    if args.json:
        emit_json([i.to_json() for i in items])
    elif not items and (args.search or args.kind or args.tag):
        print("No content matches these filters.")
    elif not items:
        print("The library is empty. Add with: smarketing content add --url URL, or import-csv.")
    else:
        emit_table(
            [(i.id, i.kind_label, i.title[:60], ", ".join(i.tags)) for i in items],
            ("ID", "TYPE", "TITLE", "TAGS"),
        )
    return EXIT_OK


def cmd_content_show(args: argparse.Namespace, db: Database) -> int:
    item = ContentRepository(db).get(args.id)
    if args.json:
        emit_json(item.to_json())
    else:
        print(f"{item.title}\n  {item.kind_label} · {item.url}")
        if item.summary:
            print(f"  {item.summary}")
        if item.tags:
            print(f"  Tags: {', '.join(item.tags)}")
    return EXIT_OK


def cmd_content_remove(args: argparse.Namespace, db: Database) -> int:
    item = ContentRepository(db).remove(args.id)
    return respond(
        args, {"removed": item.id, "title": item.title}, f"Removed content {item.id}: {item.title}"
    )


def cmd_content_import_csv(args: argparse.Namespace, db: Database) -> int:
    parsed = read_and_parse(args.file, parse_content_csv, CsvFormatError)
    repo = ContentRepository(db)
    known = {i.url for i in repo.find()}
    fresh = [d for _, d in parsed.drafts if d.url not in known]
    duplicates = len(parsed.drafts) - len(fresh)
    imported = len(fresh) if args.dry_run else len(repo.add_many(fresh)[0])
    report = {
        "imported": imported,
        "already_in_library": duplicates,
        "skipped": [s.to_json() for s in parsed.skipped],
        "dry_run": args.dry_run,
    }
    if args.json:
        emit_json(report)
    else:
        verb = "Would import" if args.dry_run else "Imported"
        print(
            f"{verb} {plural(imported, 'item')} ({duplicates} already in the library); "
            f"{plural(len(parsed.skipped), 'row')} skipped."
        )
        for skipped in parsed.skipped:
            print(f"  line {skipped.line}: {skipped.reason}")
    return EXIT_PARTIAL if parsed.skipped else EXIT_OK


def cmd_content_import_feed(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.feeds import FeedRepository
    from smarketing_desktop.feeds.subscribe import add_feed_from_input

    feed = add_feed_from_input(db, args.url)
    feed = FeedRepository(db).set_purpose(feed.id, COMPANY_PURPOSE)
    added = ContentRepository(db).sync_company_feeds()
    report = {"feed_id": feed.id, "url": feed.url, "title": feed.title, "imported": len(added)}
    if args.json:
        emit_json(report)
    else:
        print(
            f"Following {feed.display_title}: {plural(len(added), 'post')} added to the library; "
            "new posts arrive with every refresh."
        )
    return EXIT_OK


def cmd_share_text(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.core.share_text import (
        ShareFields,
        as_json,
        load_templates,
        pick,
        render,
        template_path,
    )
    from smarketing_desktop.db.repositories.feeds import FeedRepository
    from smarketing_desktop.db.repositories.prospects import ProspectRepository
    from smarketing_desktop.paths import resources_dir

    templates = load_templates(template_path(resources_dir(), db.workspace.home))
    if args.list:
        if args.json:
            emit_json(
                [{"id": t.id, "move": t.move, "channels": list(t.channels)} for t in templates]
            )
        else:
            emit_table([(t.id, t.move) for t in templates], ("TEMPLATE", "MOVE"))
        return EXIT_OK
    if args.prospect is None or args.content is None:
        raise UserError("Give --prospect ID and --content ID (or --list to see the templates).")
    prospect = ProspectRepository(db).get(args.prospect)
    content = ContentRepository(db).get(args.content)
    post_title = post_url = None
    if args.entry is not None:
        post = next((e for e in FeedRepository(db).list_entries() if e.id == args.entry), None)
        if post is None:
            raise UserError(f"There is no post with id {args.entry}.")
        post_title, post_url = post.title, post.link
    chosen = pick(templates, args.template)
    text = render(chosen, ShareFields(prospect, content, args.topic, post_title, post_url))
    return respond(args, {**as_json(chosen, text), "url": content.url}, text)


def register(commands: Subcommands, command: CommandAdder) -> None:
    content = command.group(commands, "content", "the content library marketing supplies")
    add = command(
        content, "add", cmd_content_add, "add an item (without --title, read from its page)"
    )
    add.add_argument("--url", required=True, metavar="URL")
    add.add_argument("--title", metavar="TITLE")
    add.add_argument("--summary", metavar="TEXT")
    add.add_argument(
        "--type", dest="kind", type=_kind, metavar="TYPE", help=", ".join(CONTENT_KINDS.values())
    )
    add.add_argument("--tag", dest="tags", action="append", metavar="TAG")
    add.add_argument(
        "--expires", type=_date, metavar="YYYY-MM-DD", help="stop suggesting it after this day"
    )
    lister = command(content, "list", cmd_content_list, "list the library, newest first")
    lister.add_argument("--search", metavar="TEXT")
    lister.add_argument("--type", dest="kind", type=_kind, metavar="TYPE")
    lister.add_argument("--tag", metavar="TAG")
    show = command(content, "show", cmd_content_show, "show one item")
    show.add_argument("id", type=int, metavar="ID")
    remove = command(content, "remove", cmd_content_remove, "remove an item")
    remove.add_argument("id", type=int, metavar="ID")
    csv_import = command(
        content, "import-csv", cmd_content_import_csv, "add items from a spreadsheet"
    )
    csv_import.add_argument("file", metavar="FILE.csv")
    csv_import.add_argument("--dry-run", action="store_true")
    feed_import = command(
        content,
        "import-feed",
        cmd_content_import_feed,
        "follow the company's own feed into the library",
    )
    feed_import.add_argument("url", metavar="URL")

    share = command(commands, "share-text", cmd_share_text, "share text for a prospect and an item")
    share.add_argument("--prospect", type=int, metavar="ID")
    share.add_argument("--content", type=int, metavar="ID")
    share.add_argument("--entry", type=int, metavar="ID", help="the prospect's post it answers")
    share.add_argument("--template", default="daily_update_cta", metavar="ID")
    share.add_argument("--topic", metavar="TEXT")
    share.add_argument("--list", action="store_true", help="list the templates")
