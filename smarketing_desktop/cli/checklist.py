"""`smarketing checklist ...`: review your LinkedIn and X profiles against the checklists.

A review reads the profile data the rep gives in a JSON file (headline, about, photo, ...; image
paths relative to that file) or, for X, fetches it from the connected account
(`--from-account`), and optionally answers for the manual items, then stores the result so
`history` and `diff` can show what improved. A fetch that fails stores nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from smarketing_desktop.cli.base import (
    EXIT_OK,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    read_input_file,
    respond,
    write_output_file,
)
from smarketing_desktop.core.checklists import Checklist, checklist_for, load_checklists
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.repositories.checklists import ChecklistRepository
from smarketing_desktop.db.store import Database


def _checklists(db: Database) -> list[Checklist]:
    from smarketing_desktop.paths import resources_dir

    return load_checklists(resources_dir(), db.workspace.home)


def _checklist(db: Database, network: str) -> Checklist:
    return checklist_for(_checklists(db), network)


def cmd_checklist_list(args: argparse.Namespace, db: Database) -> int:
    checklists = _checklists(db)
    if args.json:
        emit_json([c.to_json() for c in checklists])
        return EXIT_OK
    for checklist in checklists:
        print(f"{checklist.title} ({checklist.network}, {len(checklist.items)} items)")
        for item in checklist.items:
            print(f"  {item.id:<22} {item.kind:<6} {item.title}")
    return EXIT_OK


def _account_profile(db: Database) -> dict[str, Any]:
    """The connected X account's profile; X's refusals become one-line messages (exit 2)."""
    from smarketing_desktop.secrets import SecretStore
    from smarketing_desktop.social.x_budget import XMeter
    from smarketing_desktop.social.x_client import XApiError
    from smarketing_desktop.social.x_profile import fetch_account_profile

    try:
        return fetch_account_profile(SecretStore(), meter=XMeter(db)).profile
    except XApiError as exc:
        raise UserError(f"Could not fetch your X profile: {exc.message}") from None


def cmd_checklist_review(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.core.checklists import (
        check_profile_file,
        parse_answers,
        parse_profile,
        prepare_profile,
    )

    checklist = _checklist(db, args.network)
    if args.from_account and checklist.network != "x":
        raise UserError("--from-account fetches an X profile: use it with `checklist review x`.")
    if not args.from_account and not args.profile:
        raise UserError(
            "Give the profile data with --profile FILE.json"
            + (" or fetch it with --from-account." if checklist.network == "x" else ".")
        )
    # Answers are read first: a typo in them must not cost an X request.
    answers = (
        parse_answers(read_input_file(args.answers), args.answers, checklist)
        if args.answers
        else None
    )
    given = parse_profile(read_input_file(args.profile), args.profile) if args.profile else {}
    if args.profile:
        # Checked before any X request or image is opened: a typing slip costs nothing.
        check_profile_file(given, checklist, args.profile)
    # Fields in the file (a local photo to measure, say) win over what the account says.
    profile = {**_account_profile(db), **given} if args.from_account else given
    base = Path(args.profile).resolve().parent if args.profile else Path.cwd()
    prepared = prepare_profile(profile, checklist.image_fields(), base)
    review = ChecklistRepository(db).review(checklist, prepared, answers)
    if args.json:
        emit_json(review.to_json())
        return EXIT_OK
    print(f"{checklist.title}: {review.score}/100 (review {review.id})")
    titles = {i.id: i.title for i in checklist.items}
    emit_table(
        [
            (r.status.upper(), titles.get(r.item_id, r.item_id), r.shown_detail)
            for r in review.results
        ],
        ("STATUS", "ITEM", "DETAIL"),
    )
    return EXIT_OK


def cmd_checklist_history(args: argparse.Namespace, db: Database) -> int:
    checklist = _checklist(db, args.network)
    entries = ChecklistRepository(db).history(checklist.network)
    if args.json:
        emit_json([e.to_json() for e in entries])
    elif not entries:
        print(
            f"No reviews of your {checklist.title} yet. Start with: smarketing checklist review "
            f"{checklist.network} --profile FILE.json"
        )
    else:
        emit_table(
            [
                (
                    e.review.id,
                    e.review.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    e.review.score,
                    "" if e.score_delta is None else f"{e.score_delta:+d}",
                    ", ".join(f"{c.item_id} {c.before}->{c.after}" for c in e.changes),
                )
                for e in entries
            ],
            ("REVIEW", "DATE", "SCORE", "CHANGE", "ITEMS CHANGED"),
        )
    return EXIT_OK


def cmd_checklist_diff(args: argparse.Namespace, db: Database) -> int:
    diff = ChecklistRepository(db).diff(args.review_a, args.review_b)
    if args.json:
        emit_json(diff.to_json())
        return EXIT_OK
    print(
        f"Review {diff.before.id} -> {diff.after.id}: score {diff.before.score} -> "
        f"{diff.after.score} ({diff.score_delta:+d})"
    )
    for change in diff.changes:
        print(f"  {change.item_id}: {change.before or 'not reviewed'} -> {change.after or 'gone'}")
    return EXIT_OK


def cmd_checklist_export(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.core.checklists import review_markdown

    repo = ChecklistRepository(db)
    review = repo.get(args.review_id)
    # None when the network's checklist was removed since: the report then names items by id.
    checklist = next((c for c in _checklists(db) if c.network == review.network), None)
    text = review_markdown(review, checklist, repo.previous(review))
    target = write_output_file(args.file, text.encode("utf-8"))
    return respond(
        args,
        {"review_id": review.id, "file": str(target)},
        f"Wrote review {review.id} to {target}",
    )


def cmd_checklist_due(args: argparse.Namespace, db: Database) -> int:
    repo = ChecklistRepository(db)
    rows = []
    for checklist in _checklists(db):
        due = repo.review_due(checklist.network)
        latest = repo.latest(checklist.network)
        rows.append(
            {
                "network": checklist.network,
                "due": due is not None,
                "due_since": due.isoformat() if due else None,
                "next_review": repo.next_review(checklist.network).isoformat(),
                "last_score": latest.score if latest else None,
            }
        )
    if args.json:
        emit_json(rows)
    else:
        emit_table(
            [
                (r["network"], "now" if r["due"] else r["next_review"], r["last_score"] or "")
                for r in rows
            ],
            ("NETWORK", "NEXT REVIEW", "LAST SCORE"),
        )
    return EXIT_OK


def register(commands: Subcommands, command: CommandAdder) -> None:
    checklist = command.group(commands, "checklist", "tune your LinkedIn and X profiles")
    command(checklist, "list", cmd_checklist_list, "list the checklists and their items")
    review = command(
        checklist, "review", cmd_checklist_review, "review a profile and store the result"
    )
    review.add_argument("network", metavar="NETWORK", help="linkedin or x")
    review.add_argument(
        "--profile",
        metavar="FILE.json",
        help="profile data: headline, about, photo, banner, custom_url, ... (image paths "
        "relative to this file); with --from-account, its fields override the account's",
    )
    review.add_argument(
        "--from-account",
        action="store_true",
        help="x only: fetch bio, link, pinned post and images from the connected X account",
    )
    review.add_argument(
        "--answers",
        metavar="FILE.json",
        help='your answers for manual items: {"item_id": true, "other": {"status": "fail", '
        '"note": "..."}}',
    )
    history = command(checklist, "history", cmd_checklist_history, "past reviews, newest first")
    history.add_argument("network", metavar="NETWORK")
    diff = command(checklist, "diff", cmd_checklist_diff, "what changed between two reviews")
    diff.add_argument("review_a", type=int, metavar="REVIEW_A")
    diff.add_argument("review_b", type=int, metavar="REVIEW_B")
    export = command(checklist, "export", cmd_checklist_export, "write a review as Markdown")
    export.add_argument("review_id", type=int, metavar="REVIEW_ID")
    export.add_argument("file", metavar="FILE.md")
    command(checklist, "due", cmd_checklist_due, "when each profile is due for a review")
