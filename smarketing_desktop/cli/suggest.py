"""`smarketing suggest` and `dismiss`: what to share with whom today, and saying no to it."""

from __future__ import annotations

import argparse

from smarketing_desktop.cli.base import (
    EXIT_OK,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    respond,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.store import Database


def cmd_suggest(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.content import ContentRepository
    from smarketing_desktop.db.repositories.prospects import ProspectRepository
    from smarketing_desktop.suggest.service import suggest

    if args.limit < 1:
        raise UserError("--limit must be at least 1.")
    found = suggest(db, prospect_id=args.prospect, limit=args.limit)
    if args.json:
        emit_json([s.to_json() for s in found])
        return EXIT_OK
    if not found:
        print("Nothing to suggest yet: add content to the library and feeds for your prospects.")
        return EXIT_OK
    names = {p.id: p.name for p in ProspectRepository(db).find()}
    titles = {i.id: i.title for i in ContentRepository(db).find()}
    rows = []
    for s in found:
        what = (
            titles.get(s.content_id or 0, "")
            if s.kind == "share"
            else "comment or share their post"
        )
        rows.append(
            (s.kind, names.get(s.prospect_id, s.prospect_id), what[:50], "; ".join(s.reasons)[:90])
        )
    emit_table(rows, ("DO", "PROSPECT", "WHAT", "WHY"))
    return EXIT_OK


def cmd_dismiss(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.content import ContentRepository
    from smarketing_desktop.db.repositories.prospects import ProspectRepository

    if (args.content is None) == (args.entry is None):
        raise UserError("Give either --content ID or --entry ID.")
    ProspectRepository(db).get(args.prospect)
    repo = ContentRepository(db)
    if args.content is not None:
        repo.get(args.content)
    repo.record_feedback(args.prospect, "dismissed", content_id=args.content, entry_id=args.entry)
    data = {"prospect_id": args.prospect, "content_id": args.content, "entry_id": args.entry}
    return respond(args, {**data, "dismissed": True}, "Dismissed; it will not be suggested again.")


def register(commands: Subcommands, command: CommandAdder) -> None:
    suggest = command(commands, "suggest", cmd_suggest, "what to share with prospects, and why")
    suggest.add_argument("--prospect", type=int, metavar="ID")
    suggest.add_argument("--limit", type=int, default=20, metavar="N")
    dismiss = command(commands, "dismiss", cmd_dismiss, "never suggest this to this prospect again")
    dismiss.add_argument("--prospect", type=int, required=True, metavar="ID")
    dismiss.add_argument("--content", type=int, metavar="ID")
    dismiss.add_argument("--entry", type=int, metavar="ID")
