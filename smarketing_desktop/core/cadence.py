"""Staying in touch: how long since the last touch, and whether a prospect is going cold.

Each prospect should be touched within an ideal interval and never left past a maximum one
(defaults in settings). Past the ideal a prospect shows amber, past the maximum red.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Warmth = Literal["ok", "amber", "red"]
TOUCH_KINDS = ("call", "meeting", "email", "comment", "message", "share", "event", "other")


@dataclass(frozen=True)
class Cadence:
    ideal_days: int = 14
    max_days: int = 30

    def warmth(
        self, last_touch: datetime | None, reference: datetime | None, today: date
    ) -> Warmth:
        """`reference` is when the clock started when there was never a touch (added date)."""
        since = last_touch or reference
        if since is None:
            return "red"
        days = (today - since.astimezone().date()).days
        if days > self.max_days:
            return "red"
        if days > self.ideal_days:
            return "amber"
        return "ok"

    def days_since(
        self, last_touch: datetime | None, reference: datetime | None, today: date
    ) -> int | None:
        since = last_touch or reference
        return None if since is None else (today - since.astimezone().date()).days


def streak(active_days: set[date], today: date) -> int:
    """Consecutive days with at least one touch, ending today (or yesterday, if today is not
    done yet: a streak is not broken before the day is over)."""
    day = today if today in active_days else today - timedelta(days=1)
    count = 0
    while day in active_days:
        count += 1
        day -= timedelta(days=1)
    return count
