"""`smarketing today`, `touch` and `followup ...`: the morning routine from the command line."""

from __future__ import annotations

import argparse
from datetime import date

from smarketing_desktop import clock
from smarketing_desktop.cli.base import (
    EXIT_OK,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    respond,
)
from smarketing_desktop.core.cadence import TOUCH_KINDS
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-01-04") from None


def cmd_today(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.today import review_reminder, today_report

    report = today_report(db)
    if args.json:
        emit_json(report)
        return EXIT_OK
    done = report["done_today"]
    print(f"Today, {report['date']}: {done['count']} touches so far, streak {done['streak']} days")
    sections = (
        (
            "Plan steps due",
            [
                f"{s['due']} {s['channel']}: {s['action']} ({s.get('prospect', '')})"
                for s in report["due_steps"]
            ],
        ),
        (
            "Follow-ups",
            [f"{f['due']} {f.get('prospect', '')}: {f['text']}" for f in report["followups"]],
        ),
        ("Ready to post", [f"{r['channel']}: {r['text'][:70]}" for r in report["ready_shares"]]),
        ("Buying signals", [e["title"][:80] for e in report["signals"]]),
        ("New posts", [e["title"][:80] for e in report["new_entries"] if not e["signal"]]),
        (
            "Going cold",
            [
                f"{c['name']} ({c['warmth']}, {c['days_since_touch']} days)"
                for c in report["going_cold"]
            ],
        ),
        (
            "Your profiles",
            [
                f"{review_reminder(r)}: smarketing checklist review {r['network']} "
                "--profile FILE.json"
                for r in report["profile_reviews_due"]
            ],
        ),
    )
    for title, lines in sections:
        if lines:
            print(f"\n{title}:")
            for line in lines[:10]:
                print(f"  - {line}")
    return EXIT_OK


def cmd_touch(args: argparse.Namespace, db: Database) -> int:
    touch = ActivityRepository(db).log(args.prospect, args.kind, args.note)
    return respond(args, touch.to_json(), f"Logged a {touch.kind} with {touch.prospect_name}")


def cmd_followup_add(args: argparse.Namespace, db: Database) -> int:
    """By hand (--prospect, --note) or from a post or plan step, which bring their own
    prospect, note and due date (see db/repositories/followups.py for why those)."""
    from smarketing_desktop.db.repositories import followups

    if args.from_entry is not None:
        item = followups.followup_from_entry(db, args.from_entry, args.due, args.note)
    elif args.from_step is not None:
        item = followups.followup_from_step(db, args.from_step, args.due, args.note)
    elif args.note is None:
        raise UserError("A follow-up by hand needs --note saying what to do.")
    else:
        item = QueueRepository(db).add_followup(
            prospect_id=args.prospect, due=default_due(args.due), note=args.note
        )
    due = item.due_on.isoformat() if item.due_on else ""
    data = followups.followups_json(db, [item])[0]
    return respond(args, data, f"Follow-up {item.id} due {due}: {item.text}")


def cmd_followup_list(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.followups import followups_json

    items = QueueRepository(db).list_items(kind="followup", status=None if args.all else "queued")
    if args.json:
        emit_json(followups_json(db, items))
    else:
        emit_table(
            [
                (
                    i.id,
                    i.due_on.isoformat() if i.due_on else "",
                    i.prospect_id,
                    i.status,
                    i.text[:60],
                )
                for i in items
            ],
            ("ID", "DUE", "PROSPECT", "STATUS", "WHAT"),
        )
    return EXIT_OK


def cmd_followup_done(args: argparse.Namespace, db: Database) -> int:
    item = QueueRepository(db).mark_done(args.id)
    return respond(args, item.to_json(), f"Done: follow-up {item.id} (logged as a touch)")


def register(commands: Subcommands, command: CommandAdder) -> None:
    command(commands, "today", cmd_today, "what is due, new posts, signals and who is going cold")
    touch = command(commands, "touch", cmd_touch, "log a touch made outside the app")
    touch.add_argument("--prospect", type=int, required=True, metavar="ID")
    touch.add_argument("--kind", required=True, choices=TOUCH_KINDS)
    touch.add_argument("--note", metavar="TEXT")
    followup = command.group(commands, "followup", "things to do for a prospect on a day")
    add = command(followup, "add", cmd_followup_add, "add a follow-up")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--prospect", type=int, metavar="ID", help="by hand (needs --note)")
    who.add_argument(
        "--from-entry",
        type=int,
        metavar="ID",
        help="comment on a prospect's post (its entry id); due today or the next working day",
    )
    who.add_argument(
        "--from-step",
        type=int,
        metavar="ID",
        help="follow up on a plan step, with its deal's prospect; due the next working day",
    )
    add.add_argument(
        "--due",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="default: today (--from-step: the next working day)",
    )
    add.add_argument("--note", metavar="TEXT", help="what to do (default from a post or step)")
    lister = command(followup, "list", cmd_followup_list, "open follow-ups, soonest first")
    lister.add_argument("--all", action="store_true", help="include done ones")
    done = command(followup, "done", cmd_followup_done, "mark a follow-up done (logs a touch)")
    done.add_argument("id", type=int, metavar="ID")


def default_due(value: date | None) -> date:
    return value or clock.today()
