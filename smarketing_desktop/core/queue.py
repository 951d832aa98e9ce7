"""Queued shares and follow-ups as screens and commands see them, and the rules for changing them.

The rules are plain functions so the repository, the command and the window agree on them and
tests can state them without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from smarketing_desktop.core.errors import UserError

QueueStatus = Literal["queued", "ready", "posted", "done", "failed"]


@dataclass(frozen=True)
class QueueItemInfo:
    id: int
    kind: str  # share | followup
    channel: str | None
    text: str
    url: str | None
    prospect_id: int | None
    content_id: int | None
    entry_id: int | None
    scheduled_at: datetime | None
    due_on: date | None
    status: str
    share_url: str | None
    posted_at: datetime | None = None
    external_url: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "channel": self.channel,
            "text": self.text,
            "url": self.url,
            "prospect_id": self.prospect_id,
            "content_id": self.content_id,
            "scheduled_at": self.scheduled_at.astimezone().isoformat()
            if self.scheduled_at
            else None,
            "due": self.due_on.isoformat() if self.due_on else None,
            "status": self.status,
            "share_url": self.share_url,
            "posted_at": self.posted_at.astimezone().isoformat() if self.posted_at else None,
            "error": self.error,
        }


EDITABLE_STATUSES = ("queued", "ready")
"""Only items still waiting may change: a posted share is out in the world, and an edit that
put it back in the queue would post it twice."""

MoveDirection = Literal["up", "down"]
MOVE_DIRECTIONS: tuple[MoveDirection, ...] = ("up", "down")


@dataclass(frozen=True)
class QueueMove:
    """A reorder: the share that moved and the one it swapped times with."""

    moved: QueueItemInfo
    other: QueueItemInfo

    def to_json(self) -> dict[str, Any]:
        return {"moved": self.moved.to_json(), "swapped_with": self.other.to_json()}


def link_problem(url: str | None) -> str | None:
    """Why a share's link cannot be opened by a share page, or None when it can (or is absent).

    Share pages and X's card preview only follow web addresses; anything else would be posted
    as dead text.
    """
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"The link {url!r} must be a web address starting with http:// or https://."
    return None


def edit_refusal(item_id: int, status: str) -> str | None:
    """Why an item in `status` may not be edited or moved, or None when it may."""
    if status in EDITABLE_STATUSES:
        return None
    if status == "failed":
        # A timed-out post may be on X anyway: re-queueing it could post it twice.
        return (
            f"Queue item {item_id} failed to post and may be on the network anyway: check, "
            "then remove it or queue it again."
        )
    return f"Queue item {item_id} is already {status}: it can no longer be changed."


def time_problem(at: datetime, now: datetime) -> str | None:
    """An explicit time must still be ahead: a slot in the past would post at once."""
    if at < now:
        return "That time has passed: pick a time from now on."
    return None


def day_problem(due: date, today: date) -> str | None:
    if due < today:
        return "That day has passed: pick today or a later day."
    return None


def status_after_edit(status: str, at: datetime | None, now: datetime) -> str:
    """A ready share moved to a later time waits again; nothing else changes status here.

    Only "ready" ever goes back to "queued": a posted item never does (see EDITABLE_STATUSES).
    """
    if status == "ready" and at is not None and at > now:
        return "queued"
    return status


def neighbour(order: Sequence[int], item_id: int, direction: MoveDirection, where: str) -> int:
    """The id `item_id` swaps with when moved `direction` in `order` (earliest first).

    `where` names the list in the refusal ("queued LinkedIn shares").
    """
    if item_id not in order:
        raise UserError(f"Queue item {item_id} is not among the {where}.")
    index = order.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(order):
        end = "first" if direction == "up" else "last"
        raise UserError(f"Queue item {item_id} is already the {end} of the {where}.")
    return order[target]
