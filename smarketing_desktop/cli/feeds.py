"""`smarketing feed|refresh|entries|signal ...`: prospects' feeds and what they post.

The feed engine (HTTP client, feedparser) is imported inside the commands that use it, so
commands that never touch the network start quickly.
"""

from __future__ import annotations

import argparse
import sys

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
from smarketing_desktop.core.feeds import EntryInfo
from smarketing_desktop.core.signals import clean_phrase
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.store import Database


def cmd_feed_add(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.feeds.subscribe import add_feed_from_input

    feed = add_feed_from_input(db, args.url, args.prospect)
    if args.json:
        emit_json(
            {
                "id": feed.id,
                "url": feed.url,
                "title": feed.title,
                "prospect_id": feed.prospect_id,
                "entries": feed.entries,
            }
        )
    else:
        print(f"Added feed {feed.id}: {feed.display_title} ({plural(feed.entries, 'post')})")
    return EXIT_OK


def cmd_feed_list(args: argparse.Namespace, db: Database) -> int:
    feeds = FeedRepository(db).list_feeds(prospect_id=args.prospect)
    if args.json:
        emit_json([f.to_json() for f in feeds])
    elif not feeds and args.prospect is not None:
        print(
            f"Prospect {args.prospect} has no feeds. Add one with: smarketing feed add URL "
            f"--prospect {args.prospect}"
        )
    elif not feeds:
        print("No feeds yet. Add one with: smarketing feed add URL --prospect ID")
    else:
        emit_table(
            [
                (
                    f.id,
                    f.display_title[:50],
                    f.prospect_name,
                    f.public_status,
                    f.entries,
                    f.error_message or "",
                )
                for f in feeds
            ],
            ("ID", "FEED", "PROSPECT", "STATUS", "POSTS", "PROBLEM"),
        )
    return EXIT_OK


def cmd_feed_remove(args: argparse.Namespace, db: Database) -> int:
    removed = FeedRepository(db).remove_feed(args.id)
    return respond(
        args,
        {"removed": removed.id, "url": removed.url},
        f"Removed feed {removed.id}: {removed.display_title} and its "
        f"{plural(removed.entries, 'post')}",
    )


def cmd_feed_link(args: argparse.Namespace, db: Database) -> int:
    feed = FeedRepository(db).set_prospect(args.id, None if args.prospect == 0 else args.prospect)
    if args.json:
        emit_json(feed.to_json())
    else:
        owner = feed.prospect_name or "no prospect"
        print(f"Feed {feed.id} now belongs to {owner}")
    return EXIT_OK


def cmd_feed_import_opml(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opml import import_feeds
    from smarketing_desktop.feeds.opml import OpmlError, parse_opml

    listed = read_and_parse(args.file, parse_opml, OpmlError)
    report = import_feeds(db, listed)
    if args.json:
        emit_json(report.to_json())
    else:
        print(
            f"Imported {plural(report.added, 'feed')} ({report.already_tracked} already "
            f"tracked, {report.prospects_linked} linked to prospects, "
            f"{plural(report.prospects_created, 'prospect')} created)."
        )
    return EXIT_OK


def cmd_feed_export_opml(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opml import export_feeds

    data, count = export_feeds(db)
    if args.file == "-":
        sys.stdout.buffer.write(data)
        return EXIT_OK
    target = write_output_file(args.file, data)
    return respond(
        args,
        {"exported": count, "file": str(target)},
        f"Exported {plural(count, 'feed')} to {target}",
    )


def cmd_refresh(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.content import ContentRepository
    from smarketing_desktop.feeds.refresh import refresh_feeds

    repo = FeedRepository(db)
    if args.feed is not None:
        feed = repo.get_feed(args.feed)
        if feed.status == "gone":
            raise UserError(f"Feed {feed.id} is marked gone: {feed.error_message}")
        if feed.retry_after and feed.retry_after > clock.now():
            when = feed.retry_after.astimezone().strftime("%Y-%m-%d %H:%M")
            raise UserError(
                f"The site asked us to wait before checking feed {feed.id} again (until {when})."
            )
    summary = refresh_feeds(
        repo, feed_ids=[args.feed] if args.feed is not None else None, due_only=args.due
    )
    content_added = ContentRepository(db).sync_company_feeds()  # the company's new posts
    if args.json:
        emit_json({**summary.to_json(), "content_added": len(content_added)})
    else:
        print(
            f"Checked {plural(summary.feeds, 'feed')} in {summary.seconds:.1f} s: "
            f"{plural(summary.new_entries, 'new post')}, {summary.updated} changed, "
            f"{summary.not_modified} unchanged, {plural(summary.errors, 'problem')}."
        )
        for feed_id, message in summary.failures:
            print(f"  feed {feed_id}: {message}")
    return EXIT_PARTIAL if summary.errors else EXIT_OK


def _entry_rows(entries: list[EntryInfo]) -> list[tuple[object, ...]]:
    return [
        (
            e.id,
            e.published.astimezone().strftime("%Y-%m-%d") if e.published else "",
            ("! " if e.is_signal else "") + ("" if e.read else "* ") + e.title[:70],
            e.feed_title or "",
        )
        for e in entries
    ]


def cmd_entries(args: argparse.Namespace, db: Database) -> int:
    query = EntryQuery(
        prospect_id=args.prospect,
        feed_id=args.feed,
        unread_only=args.unread,
        signals_only=args.signals,
        limit=args.limit,
    )
    entries = FeedRepository(db).list_entries(query)
    filtered = args.prospect is not None or args.feed is not None or args.unread or args.signals
    if args.json:
        emit_json([e.to_json() for e in entries])
    elif not entries and filtered:
        print("No posts match these filters.")
    elif not entries:
        print("No posts yet. Follow a prospect's blog with: smarketing feed add URL --prospect ID")
    else:
        emit_table(_entry_rows(entries), ("ID", "DATE", "TITLE (* unread, ! signal)", "FEED"))
    return EXIT_OK


def cmd_entry_mark(args: argparse.Namespace, db: Database) -> int:
    changed = FeedRepository(db).mark_read(args.ids, read=not args.unread)
    return respond(
        args,
        {"changed": changed},
        f"Marked {plural(changed, 'post')} {'unread' if args.unread else 'read'}",
    )


def cmd_entry_delete(args: argparse.Namespace, db: Database) -> int:
    deleted = FeedRepository(db).delete_entries(args.ids)
    return respond(
        args,
        {"deleted": deleted},
        f"Deleted {plural(deleted, 'post')}; {'it' if deleted == 1 else 'they'} will not come "
        "back on refresh",
    )


def _clean_phrase_or_exit(phrase: str) -> str:
    try:
        return clean_phrase(phrase)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def cmd_signal_add(args: argparse.Namespace, db: Database) -> int:
    phrase = _clean_phrase_or_exit(args.phrase)
    repo = FeedRepository(db)
    rule = repo.add_rule(phrase, args.prospect)
    return respond(args, rule.to_json(), f"Added signal rule {rule.id}: {rule.phrase!r}")


def cmd_signal_preview(args: argparse.Namespace, db: Database) -> int:
    phrase = _clean_phrase_or_exit(args.phrase)
    matches = FeedRepository(db).preview_rule(phrase, args.prospect)
    if args.json:
        emit_json([e.to_json() for e in matches])
    else:
        verb = "matches" if len(matches) == 1 else "match"
        print(f"{plural(len(matches), 'stored post')} {verb} {phrase!r}")
        emit_table(_entry_rows(matches), ("ID", "DATE", "TITLE", "FEED"))
    return EXIT_OK


def cmd_signal_list(args: argparse.Namespace, db: Database) -> int:
    rules = FeedRepository(db).list_rules()
    if args.json:
        emit_json([r.to_json() for r in rules])
    else:
        emit_table(
            [(r.id, r.phrase, r.prospect_id or "everyone") for r in rules], ("ID", "PHRASE", "FOR")
        )
    return EXIT_OK


def cmd_signal_remove(args: argparse.Namespace, db: Database) -> int:
    FeedRepository(db).remove_rule(args.id)
    return respond(args, {"removed": args.id}, f"Removed signal rule {args.id}")


def register(commands: Subcommands, command: CommandAdder) -> None:
    feed = command.group(commands, "feed", "track prospects' blogs and social feeds")
    add = command(
        feed,
        "add",
        cmd_feed_add,
        "track a feed, site, or Mastodon/Bluesky/YouTube/Substack/Medium profile",
    )
    add.add_argument(
        "url", metavar="URL", help="feed or site URL, @user@instance, or a profile link"
    )
    add.add_argument("--prospect", type=int, metavar="ID", help="the prospect who writes it")
    lister = command(feed, "list", cmd_feed_list, "list tracked feeds and their status")
    lister.add_argument("--prospect", type=int, metavar="ID")
    remove = command(feed, "remove", cmd_feed_remove, "stop tracking a feed (its posts go too)")
    remove.add_argument("id", type=int, metavar="ID")
    link = command(feed, "link", cmd_feed_link, "attach a feed to a prospect (0 detaches)")
    link.add_argument("id", type=int, metavar="ID")
    link.add_argument("--prospect", type=int, required=True, metavar="ID")
    imp = command(feed, "import-opml", cmd_feed_import_opml, "add the feeds listed in an OPML file")
    imp.add_argument("file", metavar="FILE")
    exp = command(feed, "export-opml", cmd_feed_export_opml, "write every feed to an OPML 2.0 file")
    exp.add_argument("file", metavar="FILE", help="target file, or - for stdout")

    refresh = command(commands, "refresh", cmd_refresh, "check feeds for new posts now")
    refresh.add_argument("--feed", type=int, metavar="ID", help="only this feed")
    refresh.add_argument("--due", action="store_true", help="only feeds whose next check is due")

    entries = command(commands, "entries", cmd_entries, "list posts, newest first")
    entries.add_argument("--prospect", type=int, metavar="ID")
    entries.add_argument("--feed", type=int, metavar="ID")
    entries.add_argument("--unread", action="store_true", help="only unread posts")
    entries.add_argument("--signals", action="store_true", help="only buying signals")
    entries.add_argument("--limit", type=int, default=50, metavar="N")

    entry = command.group(commands, "entry", "mark posts read or delete them")
    read = command(entry, "read", cmd_entry_mark, "mark posts read (or --unread)")
    read.add_argument("ids", type=int, nargs="+", metavar="ID")
    read.add_argument("--unread", action="store_true")
    delete = command(entry, "delete", cmd_entry_delete, "delete posts for good")
    delete.add_argument("ids", type=int, nargs="+", metavar="ID")

    signal = command.group(commands, "signal", "keyword rules that flag buying signals")
    sadd = command(signal, "add", cmd_signal_add, "add a phrase such as 'RFP' or 'migrating to'")
    sadd.add_argument("phrase", metavar="PHRASE")
    sadd.add_argument("--prospect", type=int, metavar="ID", help="only for this prospect")
    preview = command(
        signal, "preview", cmd_signal_preview, "show stored posts a phrase would flag"
    )
    preview.add_argument("phrase", metavar="PHRASE")
    preview.add_argument("--prospect", type=int, metavar="ID")
    command(signal, "list", cmd_signal_list, "list signal rules")
    sremove = command(signal, "remove", cmd_signal_remove, "remove a signal rule")
    sremove.add_argument("id", type=int, metavar="ID")
