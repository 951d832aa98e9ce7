"""Laying steps out before a quarter end: working days only, never before today or after the
quarter end, order kept, late starts compressed with a warning, content chosen once per item."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.fiscal import FiscalCalendar, WorkCalendar
from smarketing_desktop.core.planning import (
    ContentCandidate,
    Moved,
    PlanningError,
    amount_json,
    assign_content,
    lay_out,
    move_date,
    move_message,
    parse_amount,
    scaled_offset,
    snooze_date,
)

WEEKDAYS = WorkCalendar()
US = WorkCalendar(holiday_country="US")
Q1_END = date(2027, 3, 31)  # a Wednesday
OFFSETS = [-180, -174, -166, -156, -148, -140, -130, -118, -104, -90, -75, -60, -45, -30, -15, -5]


def _check(dues: tuple[date, ...], today: date, end: date, calendar: WorkCalendar) -> None:
    assert all(calendar.is_working_day(d) for d in dues)
    assert all(today <= d <= end for d in dues)
    assert list(dues) == sorted(dues)


def test_a_plan_started_in_time_spans_the_lead_on_distinct_working_days() -> None:
    today = date(2026, 9, 1)
    layout = lay_out(OFFSETS, quarter_end=Q1_END, today=today, lead_days=180, calendar=WEEKDAYS)
    _check(layout.dues, today, Q1_END, WEEKDAYS)
    assert len(set(layout.dues)) == len(OFFSETS)
    assert layout.warnings == ()
    assert layout.start == Q1_END - timedelta(days=180) == date(2026, 10, 2)
    assert layout.dues[0] == date(2026, 10, 2)  # a Friday: exactly 180 days before
    assert layout.dues[-1] == date(2027, 3, 26)  # five days before the end
    # Each step is within a couple of days of its playbook date (weekends move it).
    for offset, due in zip(OFFSETS, layout.dues, strict=True):
        assert abs((due - (Q1_END + timedelta(days=offset))).days) <= 2


def test_a_shorter_lead_scales_the_playbooks_span() -> None:
    assert scaled_offset(-180, 90) == -90 and scaled_offset(-90, 90) == -45
    assert scaled_offset(0, 120) == 0
    today = date(2026, 9, 1)
    layout = lay_out(OFFSETS, quarter_end=Q1_END, today=today, lead_days=90, calendar=WEEKDAYS)
    _check(layout.dues, today, Q1_END, WEEKDAYS)
    assert layout.start == date(2026, 12, 31)
    assert layout.dues[0] == date(2026, 12, 31)
    assert len(set(layout.dues)) == len(OFFSETS)  # close offsets still get their own days


def test_public_holidays_are_avoided_with_a_holiday_country() -> None:
    # Targets on Christmas Day and New Year's Day 2026/27 (both Fridays) move to the nearest
    # working day; without a holiday country they stay.
    end = date(2026, 12, 31)
    offsets = [-6, 1 - 1]  # 25 Dec and 31 Dec
    plain = lay_out(
        offsets, quarter_end=end, today=date(2026, 12, 1), lead_days=180, calendar=WEEKDAYS
    )
    assert plain.dues == (date(2026, 12, 25), date(2026, 12, 31))
    with_holidays = lay_out(
        offsets, quarter_end=end, today=date(2026, 12, 1), lead_days=180, calendar=US
    )
    assert with_holidays.dues == (date(2026, 12, 24), date(2026, 12, 31))
    july = lay_out(
        [-180 + 7 * i for i in range(25)],
        quarter_end=date(2026, 9, 30),
        today=date(2026, 1, 1),
        lead_days=180,
        calendar=US,
    )
    _check(july.dues, date(2026, 1, 1), date(2026, 9, 30), US)
    assert date(2026, 7, 3) not in july.dues  # Independence Day observed (4 July is a Saturday)
    assert date(2026, 9, 7) not in july.dues  # Labor Day


def test_a_late_start_begins_today_compresses_in_order_and_warns() -> None:
    today = date(2027, 2, 15)  # 44 days before the end
    layout = lay_out(OFFSETS, quarter_end=Q1_END, today=today, lead_days=180, calendar=WEEKDAYS)
    _check(layout.dues, today, Q1_END, WEEKDAYS)
    assert layout.start == today and layout.dues[0] == today
    assert len(set(layout.dues)) == len(OFFSETS)  # 32 working days are enough
    assert layout.late
    (warning,) = layout.warnings
    assert warning.code == "late_start"
    assert "44 days are left" in warning.message and "31 March 2027" in warning.message
    # Proportional: the middle of the playbook lands near the middle of the time left.
    middle = layout.dues[OFFSETS.index(-90)]
    assert abs((middle - (today + timedelta(days=22))).days) <= 3


def test_a_start_after_the_first_step_but_not_the_lead_is_late_too() -> None:
    today = Q1_END - timedelta(days=170)
    layout = lay_out(OFFSETS, quarter_end=Q1_END, today=today, lead_days=180, calendar=WEEKDAYS)
    assert layout.late and "170 days are left" in layout.warnings[0].message
    not_late = lay_out(
        OFFSETS[2:], quarter_end=Q1_END, today=today, lead_days=180, calendar=WEEKDAYS
    )
    assert not not_late.late  # the remaining steps' own dates are all still ahead


def test_more_steps_than_working_days_share_days_and_say_so() -> None:
    today = date(2027, 3, 25)  # Thu: Thu, Fri, Mon, Tue, Wed are left
    layout = lay_out(OFFSETS, quarter_end=Q1_END, today=today, lead_days=180, calendar=WEEKDAYS)
    _check(layout.dues, today, Q1_END, WEEKDAYS)
    assert set(layout.dues) == set(WEEKDAYS.working_days_between(today, Q1_END))
    assert [w.code for w in layout.warnings] == ["late_start", "crowded"]
    assert "Only 5 working days are left for 16 steps" in layout.warnings[1].message


def test_no_time_left_is_a_clear_error() -> None:
    with pytest.raises(PlanningError, match="quarter ended on Wednesday 31 March 2027"):
        lay_out(OFFSETS, quarter_end=Q1_END, today=date(2027, 4, 1), lead_days=180, calendar=US)
    saturday_end = date(2026, 10, 31)
    with pytest.raises(PlanningError, match="No working day is left"):
        lay_out(OFFSETS, quarter_end=saturday_end, today=saturday_end, lead_days=180, calendar=US)
    last_day = lay_out([-30, 0], quarter_end=Q1_END, today=Q1_END, lead_days=90, calendar=US)
    assert last_day.dues == (Q1_END, Q1_END)


def test_plan_order_is_the_order_given() -> None:
    layout = lay_out(
        [-60, -90, -30], quarter_end=Q1_END, today=date(2026, 9, 1), lead_days=180, calendar=US
    )
    assert list(layout.dues) == sorted(layout.dues) and len(set(layout.dues)) == 3


working_day_sets = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)


@settings(max_examples=200, deadline=None)
@given(
    close=st.dates(min_value=date(2025, 1, 1), max_value=date(2031, 12, 31)),
    before=st.integers(min_value=-30, max_value=400),
    lead=st.integers(min_value=90, max_value=180),
    working=working_day_sets,
    country=st.sampled_from(["", "US", "DE"]),
    start_month=st.integers(min_value=1, max_value=12),
    offsets=st.lists(st.integers(min_value=-180, max_value=0), min_size=1, max_size=24),
)
def test_every_due_date_is_a_working_day_in_range_and_order_is_kept(
    *,
    close: date,
    before: int,
    lead: int,
    working: frozenset[int],
    country: str,
    start_month: int,
    offsets: list[int],
) -> None:
    end = FiscalCalendar(start_month).quarter_of(close).end
    today = end - timedelta(days=before)
    calendar = WorkCalendar(working, country)
    offsets.sort()
    available = calendar.working_days_between(today, end)
    if not available:
        with pytest.raises(PlanningError):
            lay_out(offsets, quarter_end=end, today=today, lead_days=lead, calendar=calendar)
        return
    layout = lay_out(offsets, quarter_end=end, today=today, lead_days=lead, calendar=calendar)
    assert len(layout.dues) == len(offsets)
    _check(layout.dues, today, end, calendar)
    if len(offsets) <= len(available):
        assert len(set(layout.dues)) == len(offsets)
    assert layout.late == (end + timedelta(days=scaled_offset(offsets[0], lead)) < today)


def test_snoozing_moves_to_a_working_day_and_never_past_the_quarter_end() -> None:
    today = date(2027, 3, 1)
    fri = date(2027, 3, 5)

    def snooze(due: date, days: int) -> tuple[date, bool]:
        moved = snooze_date(due, days, today=today, quarter_end=Q1_END, calendar=US)
        return moved.due, moved.capped

    assert snooze(fri, 1) == (date(2027, 3, 8), False)  # Saturday -> Monday
    assert snooze(fri, 3) == (date(2027, 3, 8), False)
    assert snooze(date(2027, 2, 20), 2) == (today, False)  # overdue: not before today
    assert snooze(date(2027, 3, 29), 5) == (Q1_END, True)
    with pytest.raises(PlanningError, match="at least one day"):
        snooze(fri, 0)
    with pytest.raises(PlanningError, match="quarter ended"):
        snooze_date(fri, 1, today=date(2027, 4, 2), quarter_end=Q1_END, calendar=US)


def _item(item_id: int, kind: str, *tags: str, suggested: bool = True) -> ContentCandidate:
    return ContentCandidate(item_id, tags, kind, suggested)


def test_a_step_moves_to_any_day_from_today_to_the_quarter_end() -> None:
    today = date(2026, 11, 23)  # a Monday

    def move(wanted: date) -> Moved:
        return move_date(wanted, today=today, quarter_end=Q1_END, calendar=US)

    assert move(today) == Moved(today, today)  # today is fine
    assert move(date(2027, 1, 13)).due == date(2027, 1, 13)
    assert move(Q1_END).due == Q1_END  # the quarter's last day, a Wednesday
    saturday = move(date(2026, 11, 28))
    assert (saturday.due, saturday.shifted) == (date(2026, 11, 30), True)
    assert move(date(2026, 11, 26)).due == date(2026, 11, 27)  # Thanksgiving -> Friday
    assert move_message(7, saturday) == (
        "Sat 2026-11-28 is not a working day, so step 7 moved to Mon 2026-11-30, "
        "the next working day."
    )
    assert move_message(7, move(date(2027, 1, 13))) == "Step 7 moved to Wed 2027-01-13."

    with pytest.raises(PlanningError, match=r"Friday 20 November 2026 has passed.*Monday 23"):
        move(date(2026, 11, 20))
    with pytest.raises(PlanningError, match="after the quarter ends on Wednesday 31 March 2027"):
        move(date(2027, 4, 1))
    # A day off at the very end, with no working day after it in the quarter: refused, naming
    # the last working day rather than silently moving the step earlier.
    with pytest.raises(PlanningError, match="The last one is Friday 30 October 2026"):
        move_date(
            date(2026, 10, 31),
            today=date(2026, 10, 26),
            quarter_end=date(2026, 10, 31),
            calendar=US,
        )


def test_content_matches_hints_by_tag_or_type_and_is_not_reused() -> None:
    candidates = [
        _item(1, "webinar", "cloud"),
        _item(2, "blog_post", "Case Study"),
        _item(3, "case_study", "cloud"),
        _item(4, "e_book"),
        _item(9, "calculator", "roi", suggested=False),
    ]
    hints = [(), ("case-study",), ("case_study",), ("ROI",), ("webinar",), ("roi",)]
    # The best matching suggestion, else the best suggestion, else a matching library item.
    assert assign_content(hints, candidates) == [None, 2, 3, 4, 1, 9]
    assert assign_content([("roi",)], candidates, already_used={1, 2, 3, 4}) == [9]
    # A step's fallback never takes what a later step matches.
    assert assign_content([("guide",), ("webinar",)], candidates[:2]) == [2, 1]
    # Done steps' content counts as used; with nothing else left, a match is used again.
    assert assign_content([("webinar",)], candidates, already_used={1}) == [2]
    assert assign_content([("webinar",), ("webinar",)], candidates[:1]) == [1, 1]
    assert assign_content([("x",)], []) == [None]
    assert assign_content([("x",)], [_item(9, "calculator", suggested=False)]) == [None]


def test_amounts_and_statuses_are_checked_for_people() -> None:
    assert parse_amount("50,000.5") == Decimal("50000.50")
    assert parse_amount(0) == Decimal("0.00")
    for bad, message in (("-1", "negative"), ("lots", "not a number"), ("nan", "not a number")):
        with pytest.raises(UserError, match=message):
            parse_amount(bad)
    assert amount_json(Decimal("50000.00")) == 50000
    assert amount_json(Decimal("12.50")) == 12.5
    assert amount_json(None) is None
