"""`smarketing queue ...`: shares waiting for their time slot."""

from __future__ import annotations

import argparse
from datetime import datetime

from smarketing_desktop import clock
from smarketing_desktop.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    respond,
)
from smarketing_desktop.cli.today import _day
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.queue import QueueItemInfo, time_problem
from smarketing_desktop.core.slots import CHANNELS
from smarketing_desktop.core.wording import channel_name, plural
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date-time like 2027-01-04T09:00"
        ) from None
    return value if value.tzinfo else value.astimezone()


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%a %Y-%m-%d %H:%M") if value else ""


def _excerpt(text: str, limit: int = 40) -> str:
    """A share's opening words, enough for the rep to recognise which one a message means."""
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def cmd_queue_add(args: argparse.Namespace, db: Database) -> int:
    if args.channel == "x":
        from smarketing_desktop.social.x_publish import check_share_length

        check_share_length(args.text, args.url)
    # The rule `queue edit --at` applies: a time gone by would post the share at once.
    if args.at is not None and (late := time_problem(args.at, clock.now())):
        raise UserError(late)
    item = QueueRepository(db).add_share(
        channel=args.channel, text=args.text, url=args.url, prospect_id=args.prospect, at=args.at
    )
    return respond(
        args,
        item.to_json(),
        f"Queued share {item.id} for {channel_name(item.channel)} at {_when(item.scheduled_at)}: "
        f"“{_excerpt(item.text)}”",
    )


def cmd_queue_list(args: argparse.Namespace, db: Database) -> int:
    items = QueueRepository(db).list_items(status=args.status)
    if args.json:
        emit_json([i.to_json() for i in items])
    elif not items and args.status is not None:
        print(f"Nothing in the queue is {args.status}.")
    elif not items:
        print("The queue is empty. Add a share with: smarketing queue add --channel x --text '...'")
    else:
        emit_table(
            [
                (
                    i.id,
                    channel_name(i.channel) or "follow-up",
                    _when(i.scheduled_at) or (i.due_on.isoformat() if i.due_on else ""),
                    i.status,
                    i.text[:60],
                )
                for i in items
            ],
            ("ID", "CHANNEL", "WHEN", "STATUS", "TEXT"),
        )
    return EXIT_OK


def cmd_queue_slots(args: argparse.Namespace, db: Database) -> int:
    settings = SettingsRepository(db)
    channels = [args.channel] if args.channel else list(CHANNELS)
    if args.set is not None:
        for channel in channels:
            settings.set_text(f"slots_{channel}", args.set)
    slots = {channel: settings.get(f"slots_{channel}") for channel in channels}
    if args.json:
        emit_json(slots)
    else:
        emit_table(list(slots.items()), ("CHANNEL", "SLOTS"))
    return EXIT_OK


def cmd_queue_done(args: argparse.Namespace, db: Database) -> int:
    item = QueueRepository(db).mark_done(args.id)
    logged = " (logged as a touch)" if item.prospect_id is not None else ""
    return respond(args, item.to_json(), f"Done: queue item {item.id}{logged}")


def cmd_queue_remove(args: argparse.Namespace, db: Database) -> int:
    item = QueueRepository(db).remove(args.id)
    return respond(args, {"removed": item.id}, f"Removed queue item {item.id}")


def _describe(item: QueueItemInfo) -> str:
    """ "LinkedIn at Tue 2027-01-05 09:00 (queued)", or a follow-up's due day."""
    if item.kind == "followup":
        return f"follow-up due {item.due_on.isoformat() if item.due_on else 'no day'}"
    return f"{channel_name(item.channel)} at {_when(item.scheduled_at)} ({item.status})"


def cmd_queue_edit(args: argparse.Namespace, db: Database) -> int:
    url = "" if args.no_url else args.url
    if args.text is None and url is None and args.at is None and args.due is None:
        raise UserError("Say what to change: --text, --url, --no-url, --at or --due.")
    item = QueueRepository(db).edit(args.id, text=args.text, url=url, at=args.at, due=args.due)
    return respond(args, item.to_json(), f"Edited queue item {item.id}: {_describe(item)}")


def cmd_queue_move(args: argparse.Namespace, db: Database) -> int:
    move = QueueRepository(db).move(args.id, args.direction)
    moved, other = move.moved, move.other
    return respond(
        args,
        move.to_json(),
        f"Moved queue item {moved.id} {args.direction}: now {_when(moved.scheduled_at)}, "
        f"swapped with {other.id} (now {_when(other.scheduled_at)})",
    )


def cmd_queue_publish_due(args: argparse.Namespace, db: Database) -> int:
    """Shares whose time has come: X ones are posted when an account is connected; the rest
    become ready, and the rep opens the link and confirms."""
    from smarketing_desktop.social.x_publish import publish_due

    report = publish_due(db)
    if args.json:
        emit_json(report.to_json())
    else:
        ready = len(report.ready)
        print(f"{plural(ready, 'share')} {'is' if ready == 1 else 'are'} ready to post.")
        for item in report.ready:
            print(f"  {item.id} {channel_name(item.channel)}: {item.share_url}")
        for outcome in report.outcomes:
            detail = outcome.external_url if outcome.status == "posted" else outcome.error
            print(f"  {outcome.item_id} x {outcome.status}: {detail}")
    failed = any(o.status == "failed" for o in report.outcomes)
    return EXIT_PARTIAL if failed else EXIT_OK


def register(commands: Subcommands, command: CommandAdder) -> None:
    queue = command.group(commands, "queue", "shares waiting for their time slot")
    add = command(
        queue, "add", cmd_queue_add, "queue a share (it takes the channel's next free slot)"
    )
    add.add_argument("--channel", required=True, choices=CHANNELS)
    add.add_argument("--text", required=True)
    add.add_argument("--url")
    add.add_argument("--prospect", type=int, metavar="ID")
    add.add_argument(
        "--at", type=_moment, metavar="ISO", help="an explicit time, e.g. 2027-01-04T09:00"
    )
    lister = command(queue, "list", cmd_queue_list, "list queued, ready and past items")
    lister.add_argument("--status", choices=("queued", "ready", "posted", "done", "failed"))
    slots = command(queue, "slots", cmd_queue_slots, "show or set the posting slots")
    slots.add_argument("--channel", choices=CHANNELS)
    slots.add_argument("--set", metavar="SLOTS", help='e.g. "Mon-Fri 09:00,12:30,16:30"')
    done = command(queue, "done", cmd_queue_done, "mark an item posted by hand (logs a touch)")
    done.add_argument("id", type=int, metavar="ID")
    command(queue, "publish-due", cmd_queue_publish_due, "make shares whose slot has come ready")
    remove = command(queue, "remove", cmd_queue_remove, "remove an item")
    remove.add_argument("id", type=int, metavar="ID")
    edit = command(
        queue, "edit", cmd_queue_edit, "change a waiting share's text, link or time, or a note"
    )
    edit.add_argument("id", type=int, metavar="ID")
    edit.add_argument("--text", help="the share's text, or a follow-up's note")
    link = edit.add_mutually_exclusive_group()
    link.add_argument("--url", help="the share's link (http:// or https://)")
    link.add_argument("--no-url", action="store_true", help="remove the share's link")
    edit.add_argument(
        "--at", type=_moment, metavar="ISO", help="a new time, e.g. 2027-01-04T09:00 (not past)"
    )
    edit.add_argument("--due", type=_day, metavar="YYYY-MM-DD", help="a follow-up's new due day")
    move = command(queue, "move", cmd_queue_move, "swap a queued share's time with its neighbour's")
    move.add_argument("id", type=int, metavar="ID")
    way = move.add_mutually_exclusive_group(required=True)
    way.add_argument(
        "--up",
        dest="direction",
        action="store_const",
        const="up",
        help="earlier: swap with the share before",
    )
    way.add_argument(
        "--down",
        dest="direction",
        action="store_const",
        const="down",
        help="later: swap with the share after",
    )
