"""When to remind the rep of the day's plan steps and follow-ups: a pure decision, no clock.

The rep sets a time of day (`reminder_time`, "09:00"; empty turns reminders off). The window
reminds once a day: at that time while it is open, or on the first start after it when the
app was closed then (a rep who opens the laptop at 10:00 still hears of the 09:00 reminder),
and never twice the same day, also across restarts, because the day last reminded is stored
with the workspace. The window asks `decide` whenever its timer fires and sleeps until the
answer's `next_at`, so a clock change or a suspended laptop only delays a check, never
doubles a reminder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def parse_reminder_time(text: str) -> time | None:
    """'09:00' or '9:00' -> 09:00; '' -> None (reminders off). Raises ValueError otherwise."""
    raw = text.strip()
    if not raw:
        return None
    match = _TIME.fullmatch(raw)
    if match is None:
        raise ValueError(f"{text!r} is not a time like 09:00")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 23:59")
    return time(hour, minute)


def normalize_reminder_time(text: str) -> str:
    """The stored form of a reminder time: 'HH:MM', or '' when reminders are off."""
    parsed = parse_reminder_time(text)
    return "" if parsed is None else f"{parsed:%H:%M}"


@dataclass(frozen=True)
class ReminderDecision:
    """Whether to remind now, and when to ask again (None: reminders are off)."""

    remind_now: bool
    next_at: datetime | None


def decide(now: datetime, at: time | None, last_reminded: date | None) -> ReminderDecision:
    """Remind now when today's reminder time has passed and today has not been reminded yet.

    `now` is the local time (timezone-aware; `next_at` comes in its zone), `at` the
    reminder time or None when reminders are off, `last_reminded` the day of the last reminder
    (None: never). A `last_reminded` in the future (the clock was turned back) counts as
    reminded today, so a clock change never brings a second reminder.
    """
    if at is None:
        return ReminderDecision(False, None)
    today = now.date()
    today_at = datetime.combine(today, at, tzinfo=now.tzinfo)
    tomorrow_at = datetime.combine(today + timedelta(days=1), at, tzinfo=now.tzinfo)
    if last_reminded is not None and last_reminded >= today:
        return ReminderDecision(False, tomorrow_at)
    if now >= today_at:
        return ReminderDecision(True, tomorrow_at)
    return ReminderDecision(False, today_at)


def reminder_message(steps: int, followups: int) -> str | None:
    """'3 plan steps and 1 follow-up are due today'; None when nothing is due (no reminder)."""
    parts = []
    if steps:
        parts.append(f"{steps} plan step{'s' if steps != 1 else ''}")
    if followups:
        parts.append(f"{followups} follow-up{'s' if followups != 1 else ''}")
    if not parts:
        return None
    verb = "is" if steps + followups == 1 else "are"
    return f"{' and '.join(parts)} {verb} due today"
