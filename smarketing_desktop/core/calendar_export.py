"""Plan steps as an iCalendar file, so reps see them in the calendar they already live in.

Each step is one all-day event with a UID derived from the step's id: importing a newer export
updates the events already there instead of adding copies. Events are transparent (they do not
block time) because a step is a reminder to do something that day, not a meeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//Smarketing Desktop//Engagement plan//EN"
UID_DOMAIN = "smarketing-desktop"
MAX_SUMMARY_ACTION = 80


@dataclass(frozen=True)
class CalendarStep:
    """What a calendar event needs to know about one plan step."""

    id: int
    due: date
    channel: str
    action: str
    status: str
    why: str | None = None
    prospect: str | None = None
    opportunity: str | None = None
    content_title: str | None = None
    content_url: str | None = None


def step_uid(step_id: int) -> str:
    """Stable across exports: the same step is the same event in the rep's calendar."""
    return f"step-{step_id}@{UID_DOMAIN}"


def _summary(step: CalendarStep) -> str:
    action = step.action
    if len(action) > MAX_SUMMARY_ACTION:
        cut = action[:MAX_SUMMARY_ACTION].rsplit(" ", 1)[0] or action[:MAX_SUMMARY_ACTION]
        action = cut.rstrip(" ,;:(") + "…"
    text = f"{action} — {step.prospect}" if step.prospect else action
    return f"Done: {text}" if step.status == "done" else text


def _description(step: CalendarStep) -> str:
    parts = []
    if len(step.action) > MAX_SUMMARY_ACTION:
        parts.append(step.action)
    if step.why:
        parts.append(f"Why: {step.why}")
    if step.content_url:
        title = f"{step.content_title}\n" if step.content_title else ""
        parts.append(f"Content to use: {title}{step.content_url}")
    if step.opportunity:
        parts.append(f"Opportunity: {step.opportunity}")
    return "\n\n".join(parts)


def plan_calendar(
    steps: Iterable[CalendarStep], *, stamp: datetime, name: str = "Engagement plan"
) -> bytes:
    """An iCalendar document with one all-day VEVENT per step; `stamp` is the export time."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    moment = stamp.astimezone(UTC)
    for step in steps:
        event = Event()
        event.add("uid", step_uid(step.id))
        event.add("dtstamp", moment)
        event.add("dtstart", step.due)
        event.add("dtend", step.due + timedelta(days=1))
        event.add("summary", _summary(step))
        description = _description(step)
        if description:
            event.add("description", description)
        event.add("categories", [step.channel])
        if step.content_url:
            event.add("url", step.content_url)
        event.add("transp", "TRANSPARENT")
        event.add("status", "CANCELLED" if step.status == "skipped" else "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
