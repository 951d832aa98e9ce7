"""`smarketing today`, `touch` and `followup ...`: the morning routine from the command line."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

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
from smarketing_desktop.core.queue import QueueItemInfo, day_problem
from smarketing_desktop.core.wording import channel_name, plural
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-01-04") from None


def _today_sections(db: Database, report: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Today's sections as lines, each starting with the id the next command needs
    ("[step 12]" for `step done 12`), so the rep can act without running --json."""
    from smarketing_desktop.today import review_reminder

    return [
        (
            "Plan steps due (done with: smarketing step done ID)",
            [
                f"[step {s['id']}] {s['due']} {channel_name(s['channel'])}: {s['action']}"
                + (f" ({s['prospect']})" if s.get("prospect") else "")
                for s in report["due_steps"]
            ],
        ),
        (
            "Follow-ups (done with: smarketing followup done ID)",
            [
                f"[follow-up {f['id']}] {f['due']} {f.get('prospect', '')}: {f['text']}"
                for f in report["followups"]
            ],
        ),
        (
            "Ready to post (posted with: smarketing queue done ID)",
            [
                f"[share {r['id']}] {channel_name(r['channel'])}: {r['text'][:70]}"
                for r in report["ready_shares"]
            ],
        ),
        ("Buying signals", [f"[post {e['id']}] {e['title'][:80]}" for e in report["signals"]]),
        (
            "New posts",
            [
                f"[post {e['id']}] {e['title'][:80]}"
                for e in report["new_entries"]
                if not e["signal"]
            ],
        ),
        ("Worth sharing", _suggestion_lines(db, report["suggestions"])),
        (
            "Going cold",
            [
                f"[prospect {c['prospect_id']}] {c['name']} ({c['warmth']}, "
                f"{plural(c['days_since_touch'], 'day')} since the last touch)"
                if c["days_since_touch"] is not None
                else f"[prospect {c['prospect_id']}] {c['name']} ({c['warmth']}, never touched)"
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
    ]


def _suggestion_lines(db: Database, suggestions: list[dict[str, Any]]) -> list[str]:
    """ "[prospect 2, content 4] Dana Whitfield: “Case study” (why)": the two ids are what
    `smarketing share-text --prospect 2 --content 4` needs to write the share."""
    if not suggestions:
        return []
    from smarketing_desktop.db.repositories.content import ContentRepository
    from smarketing_desktop.db.repositories.prospects import ProspectRepository

    names = {p.id: p.name for p in ProspectRepository(db).find()}
    titles = {i.id: i.title for i in ContentRepository(db).find()}
    lines = []
    for s in suggestions:
        who, what = s["prospect_id"], s["content_id"]
        why = "; ".join(s["reasons"][:2])  # the strongest reasons; --json has them all
        lines.append(
            f"[prospect {who}, content {what}] {names.get(who, '')}: "
            f"“{titles.get(what, '')[:60]}”" + (f" ({why[:90]})" if why else "")
        )
    return lines


def cmd_today(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.today import today_report

    report = today_report(db)
    if args.json:
        emit_json(report)
        return EXIT_OK
    done = report["done_today"]
    print(
        f"Today, {report['date']}: {plural(done['count'], 'touch', 'touches')} so far, "
        f"streak {plural(done['streak'], 'day')}"
    )
    for title, lines in _today_sections(db, report):
        if lines:
            print(f"\n{title}:")
            for line in lines[:10]:
                print(f"  - {line}")
            if len(lines) > 10:
                print(f"  … and {len(lines) - 10} more (see: smarketing today --json)")
    return EXIT_OK


def cmd_touch(args: argparse.Namespace, db: Database) -> int:
    touch = ActivityRepository(db).log(args.prospect, args.kind, args.note)
    return respond(args, touch.to_json(), f"Logged a {touch.kind} with {touch.prospect_name}")


def cmd_followup_add(args: argparse.Namespace, db: Database) -> int:
    """By hand (--prospect, --note) or from a post or plan step, which bring their own
    prospect, note and due date (see db/repositories/followups.py for why those)."""
    from smarketing_desktop.db.repositories import followups

    # The rule `queue edit --due` applies: a follow-up due on a day gone by would be overdue
    # from the moment it exists, which is never what the rep meant.
    if args.due is not None and (late := day_problem(args.due, clock.today())):
        raise UserError(late)
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
    who = _prospect_names(db, [item]).get(item.prospect_id or 0)
    whom = f" for {who}" if who else ""
    return respond(args, data, f"Follow-up {item.id}{whom} due {due}: {item.text}")


def _prospect_names(db: Database, items: list[QueueItemInfo]) -> dict[int, str]:
    from smarketing_desktop.db.repositories.prospects import ProspectRepository

    ids = {i.prospect_id for i in items if i.prospect_id is not None}
    return {pid: p.name for pid, p in ProspectRepository(db).get_many(sorted(ids)).items()}


# A follow-up waits in the queue as "queued"; for a rep it is simply still to do.
FOLLOWUP_STATUS = {"queued": "open", "ready": "open", "done": "done"}


def cmd_followup_list(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.followups import followups_json

    items = QueueRepository(db).list_items(kind="followup", status=None if args.all else "queued")
    if args.json:
        emit_json(followups_json(db, items))
    elif not items:
        print(
            ("No follow-ups yet." if args.all else "No open follow-ups.")
            + " Add one with: smarketing followup add --prospect ID --note TEXT"
        )
    else:
        names = _prospect_names(db, items)
        emit_table(
            [
                (
                    i.id,
                    i.due_on.isoformat() if i.due_on else "",
                    names.get(i.prospect_id or 0, ""),
                    FOLLOWUP_STATUS.get(i.status, i.status),
                    i.text[:60],
                )
                for i in items
            ],
            ("ID", "DUE", "PROSPECT", "STATUS", "WHAT"),
        )
    return EXIT_OK


def cmd_followup_done(args: argparse.Namespace, db: Database) -> int:
    """Only follow-ups: a share marked done here would read as a follow-up in the rep's day,
    so it is sent to `queue done`, which says what a share's done means."""
    queue = QueueRepository(db)
    item = queue.get(args.id)
    if item.kind != "followup":
        raise UserError(
            f"Item {item.id} is a share, not a follow-up (use: smarketing queue done {item.id})"
        )
    if item.status == "done":
        raise UserError(f"Follow-up {item.id} is already done")
    item = queue.mark_done(args.id)
    logged = ""
    if item.prospect_id is not None:  # mark_done logs a touch only with a prospect
        who = _prospect_names(db, [item]).get(item.prospect_id, "the prospect")
        logged = f" (logged as a touch with {who})"
    return respond(args, item.to_json(), f"Done: follow-up {item.id}{logged}")


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
