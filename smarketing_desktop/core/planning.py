"""Laying a playbook out on the calendar before a quarter end: pure functions, no storage.

A playbook's offsets span 180 days before the quarter end; a plan starts `plan_lead_days` before
it, so offsets are scaled to that lead. When the rep starts later than the first step's date,
the plan starts today and the steps are compressed proportionally into the days left (order
kept), with a warning, because relationships built over a few weeks carry less weight than ones
built over months. Every step lands on a working day in [today, quarter end], on distinct days
when there are enough of them.

Also here: choosing library content for each step from the suggestion engine's ranking, and the
few rules an opportunity's fields follow, so the window's forms and the command check the same.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.fiscal import WorkCalendar

PLAYBOOK_SPAN = 180
STEP_STATUSES = ("planned", "done", "skipped")
PENDING = "planned"
OPPORTUNITY_STATUSES = ("open", "won", "lost")
MAX_AMOUNT = Decimal("999999999999.99")  # what Numeric(14, 2) holds


class PlanningError(UserError):
    """No plan fits: the quarter is over, or no working day is left before its end."""


@dataclass(frozen=True)
class PlanWarning:
    """Something the rep should know about a plan; `code` is stable, `message` is for people."""

    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Layout:
    """Due dates for steps, in the order given, and what is worth knowing about them."""

    start: date
    quarter_end: date
    dues: tuple[date, ...]
    warnings: tuple[PlanWarning, ...] = ()

    @property
    def late(self) -> bool:
        return any(w.code == "late_start" for w in self.warnings)


def scaled_offset(offset_days: int, lead_days: int) -> int:
    """A playbook offset (on its 180-day span) on a plan of `lead_days`: -180 -> -lead_days."""
    return round(offset_days * lead_days / PLAYBOOK_SPAN)


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _working_days_left(today: date, quarter_end: date, calendar: WorkCalendar) -> list[date]:
    if quarter_end < today:
        raise PlanningError(
            f"The quarter ended on {_long(quarter_end)}; there is no time left to plan for it. "
            "Move the close date to a later quarter to plan again."
        )
    days = calendar.working_days_between(today, quarter_end)
    if not days:
        raise PlanningError(
            f"No working day is left before the quarter ends on {_long(quarter_end)}. "
            "Move the close date to a later quarter, or check the working days setting."
        )
    return days


def _nearest(days: Sequence[date], target: date) -> int:
    """Index of the working day nearest `target`; on a tie the earlier one."""
    i = bisect_left(days, target)
    if i == 0:
        return 0
    if i == len(days):
        return len(days) - 1
    before, after = days[i - 1], days[i]
    return i - 1 if (target - before) <= (after - target) else i


def _spread(ideal: Sequence[int], count: int) -> list[int]:
    """Strictly increasing indexes close to `ideal` when `count` allows, else evenly shared."""
    k = len(ideal)
    if k == 0:
        return []
    if k > count:
        return [i * count // k for i in range(k)]
    picked = list(ideal)
    for i in range(1, k):
        picked[i] = max(picked[i], picked[i - 1] + 1)
    picked[-1] = min(picked[-1], count - 1)
    for i in range(k - 2, -1, -1):
        picked[i] = min(picked[i], picked[i + 1] - 1)
    return picked


def lay_out(
    offsets: Sequence[int],
    *,
    quarter_end: date,
    today: date,
    lead_days: int,
    calendar: WorkCalendar,
) -> Layout:
    """Due dates for steps at `offsets` (playbook days before the quarter end, in plan order).

    Raises PlanningError when the quarter is over or has no working day left.
    """
    if lead_days <= 0:
        raise ValueError("A plan needs a lead time of at least one day.")
    days = _working_days_left(today, quarter_end, calendar)
    nominal_start = quarter_end - timedelta(days=lead_days)
    if not offsets:
        return Layout(max(today, nominal_start), quarter_end, ())
    nominal = [quarter_end + timedelta(days=scaled_offset(o, lead_days)) for o in offsets]
    # Plan order is the order given, whatever the offsets say.
    for i in range(1, len(nominal)):
        nominal[i] = max(nominal[i], nominal[i - 1])
    warnings: list[PlanWarning] = []
    first = nominal[0]
    if first >= today:
        targets = nominal
        start = min(first, max(today, nominal_start))
    else:
        left = (quarter_end - today).days
        span = (quarter_end - first).days  # > 0: first < today <= quarter_end
        targets = [today + timedelta(days=round((n - first).days * left / span)) for n in nominal]
        start = today
        warnings.append(
            PlanWarning(
                "late_start",
                f"This plan starts late: only {left} days are left before the quarter ends on "
                f"{_long(quarter_end)}, instead of the {lead_days} days it is built for, so its "
                "steps come closer together. Trust takes time to build; a plan started earlier "
                "next quarter works better.",
            )
        )
    picked = _spread([_nearest(days, t) for t in targets], len(days))
    if len(offsets) > len(days):
        warnings.append(
            PlanWarning(
                "crowded",
                f"Only {len(days)} working days are left for {len(offsets)} steps, "
                "so some days have more than one.",
            )
        )
    return Layout(start, quarter_end, tuple(days[i] for i in picked), tuple(warnings))


@dataclass(frozen=True)
class Snoozed:
    due: date
    capped: bool  # the wanted day was after the quarter end; `due` is its last working day


def snooze_date(
    due: date, days: int, *, today: date, quarter_end: date, calendar: WorkCalendar
) -> Snoozed:
    """The next working day on or after `due + days` (and not before today), never past the
    quarter end: a step that would fall after it lands on the last working day instead."""
    if days < 1:
        raise PlanningError("Snooze by at least one day.")
    left = _working_days_left(today, quarter_end, calendar)
    wanted = max(due + timedelta(days=days), today)
    if wanted > quarter_end:
        return Snoozed(left[-1], True)
    return Snoozed(left[bisect_left(left, wanted)], False)


@dataclass(frozen=True)
class Moved:
    """Where a step moved to: `due`, which is `wanted` unless that was not a working day."""

    wanted: date
    due: date

    @property
    def shifted(self) -> bool:
        return self.due != self.wanted


def move_date(wanted: date, *, today: date, quarter_end: date, calendar: WorkCalendar) -> Moved:
    """The day a step the rep moves to `wanted` lands on: earlier or later than it was, but
    never before today nor after the quarter end.

    A day off (weekend or holiday) moves on to the next working day instead of being refused:
    dragging a step onto a Saturday means "around then", and a rep would rather see it land on
    Monday (the message says so) than have to pick again. Only when no working day is left
    before the quarter end is that a refusal, naming the last working day. Raises PlanningError
    with a message a rep can act on.
    """
    if wanted < today:
        raise PlanningError(
            f"{_long(wanted)} has passed; a step can move to today ({_long(today)}) or later."
        )
    if wanted > quarter_end:
        last = calendar.working_days_between(today, quarter_end)
        where = f" Its last working day is {_long(last[-1])}." if last else ""
        raise PlanningError(
            f"{_long(wanted)} is after the quarter ends on {_long(quarter_end)}; a plan's "
            f"steps stay inside its quarter.{where} To go further, move the close date."
        )
    days = calendar.working_days_between(wanted, quarter_end)
    if not days:
        before = calendar.working_days_between(today, wanted)
        hint = f" The last one is {_long(before[-1])}." if before else ""
        raise PlanningError(
            f"{_long(wanted)} is not a working day and none follows it before the quarter ends "
            f"on {_long(quarter_end)}.{hint}"
        )
    return Moved(wanted, days[0])


def move_message(step_id: int, moved: Moved) -> str:
    """What the rep reads after a move, saying so when a day off pushed the step on."""
    if not moved.shifted:
        return f"Step {step_id} moved to {moved.due:%a %Y-%m-%d}."
    return (
        f"{moved.wanted:%a %Y-%m-%d} is not a working day, so step {step_id} moved to "
        f"{moved.due:%a %Y-%m-%d}, the next working day."
    )


# -- content for each step --------------------------------------------------------------------


def hint_key(text: str) -> str:
    """'Case study', 'case_study' and 'case-study' are the same hint."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


@dataclass(frozen=True)
class ContentCandidate:
    """A library item a step could use: its tags and type, and whether it was suggested for
    this prospect (suggested items come first, best first)."""

    id: int
    tags: tuple[str, ...]
    kind: str
    suggested: bool = True

    def matches(self, hint: Collection[str]) -> bool:
        keys = {hint_key(t) for t in self.tags} | {hint_key(self.kind)}
        return bool(keys & set(hint))


def assign_content(
    hints: Sequence[Sequence[str]],
    candidates: Sequence[ContentCandidate],
    *,
    already_used: Collection[int] = (),
) -> list[int | None]:
    """For each step's content hint, a library item id (or None).

    A step without a hint needs no content (tuning a profile, reading their blog). The others
    are filled in rounds, so that a step's fallback never takes the item a later step matches:
    first every step gets the best unused suggestion matching its hint; then the best unused
    suggestion of any kind; then an unused library item matching the hint (relevance unknown,
    but the right kind of content); then, with nothing unused left, a match already used
    (suggested first). Items in `already_used` (steps already done) count as used, so a plan
    does not send the same piece twice while there are alternatives.
    """
    keyed = [{hint_key(h) for h in hint} - {""} for hint in hints]
    chosen: list[int | None] = [None] * len(keyed)
    used = set(already_used)
    suggested = [c for c in candidates if c.suggested]
    library = [c for c in candidates if not c.suggested]

    def fill(pool: Callable[[set[str]], Iterable[ContentCandidate]], *, fresh: bool) -> None:
        for i, hint in enumerate(keyed):
            if not hint or chosen[i] is not None:
                continue
            pick = next((c for c in pool(hint) if not fresh or c.id not in used), None)
            if pick is not None:
                chosen[i] = pick.id
                used.add(pick.id)

    fill(lambda hint: (c for c in suggested if c.matches(hint)), fresh=True)
    fill(lambda _hint: suggested, fresh=True)
    fill(lambda hint: (c for c in library if c.matches(hint)), fresh=True)
    fill(lambda hint: (c for c in candidates if c.matches(hint)), fresh=False)
    fill(lambda _hint: suggested, fresh=False)
    return chosen


# -- opportunities ---------------------------------------------------------------------------


def parse_amount(value: str | Decimal | float | int) -> Decimal:
    """'50000', '50,000.50' or a number -> Decimal with cents; refuses negative or silly values."""
    text = str(value).strip().replace(",", "").replace("_", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise UserError(f"Amount {value!r} is not a number like 50000 or 12500.50.") from None
    if not amount.is_finite():
        raise UserError(f"Amount {value!r} is not a number like 50000 or 12500.50.")
    if amount < 0:
        raise UserError(f"Amount {value!r} is negative; give the deal's value, 0 or more.")
    amount = amount.quantize(Decimal("0.01"))
    if amount > MAX_AMOUNT:
        raise UserError(f"Amount {value!r} is too large.")
    return amount


def check_status(status: str) -> str:
    folded = status.strip().lower()
    if folded not in OPPORTUNITY_STATUSES:
        raise UserError(f"Status {status!r} is not one of: {', '.join(OPPORTUNITY_STATUSES)}.")
    return folded


def check_name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise UserError("An opportunity needs a name.")
    if len(text) > 300:
        raise UserError("The opportunity's name is longer than 300 characters.")
    return text


def amount_json(amount: Decimal | None) -> Any:
    """Amounts as JSON numbers: whole ones as integers, others with their cents."""
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)
