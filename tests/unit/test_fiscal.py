"""Quarter arithmetic for every fiscal start month, year boundaries, leap years and holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.core.fiscal import (
    FiscalCalendar,
    WorkCalendar,
    format_working_days,
    parse_working_days,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
months = st.integers(min_value=1, max_value=12)
namings = st.sampled_from(["end", "start"])


@given(day=days, start_month=months, naming=namings)
def test_every_day_lies_in_its_quarter_and_quarters_tile_the_year(
    day: date, start_month: int, naming: str
) -> None:
    fiscal = FiscalCalendar(start_month, naming)  # type: ignore[arg-type]
    quarter = fiscal.quarter_of(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.start.day == 1
    assert (quarter.end + timedelta(days=1)).day == 1
    assert 89 <= (quarter.end - quarter.start).days + 1 <= 92
    following = fiscal.next_quarter(quarter)
    assert following.start == quarter.end + timedelta(days=1)
    assert following.number == quarter.number % 4 + 1
    if quarter.number == 1:
        assert quarter.start.month == start_month


@given(day=days, start_month=months)
def test_naming_by_start_or_end_year_differs_by_one_unless_the_year_starts_in_january(
    day: date, start_month: int
) -> None:
    by_end = FiscalCalendar(start_month, "end").quarter_of(day)
    by_start = FiscalCalendar(start_month, "start").quarter_of(day)
    assert by_end.fiscal_year - by_start.fiscal_year == (0 if start_month == 1 else 1)


@pytest.mark.parametrize(
    ("start_month", "naming", "day", "label", "end"),
    [
        (1, "end", date(2027, 8, 15), "FY2027Q3", date(2027, 9, 30)),
        (
            2,
            "end",
            date(2026, 2, 1),
            "FY2027Q1",
            date(2026, 4, 30),
        ),  # Feb-Jan year named by its end
        (2, "end", date(2027, 1, 31), "FY2027Q4", date(2027, 1, 31)),
        (7, "start", date(2027, 1, 5), "FY2026Q3", date(2027, 3, 31)),
        (10, "end", date(2026, 12, 31), "FY2027Q1", date(2026, 12, 31)),
        (12, "end", date(2028, 2, 10), "FY2028Q1", date(2028, 2, 29)),  # leap year
        (12, "end", date(2027, 2, 10), "FY2027Q1", date(2027, 2, 28)),
    ],
)
def test_known_quarters(start_month: int, naming: str, day: date, label: str, end: date) -> None:
    quarter = FiscalCalendar(start_month, naming).quarter_of(day)  # type: ignore[arg-type]
    assert (quarter.label, quarter.end) == (label, end)


def test_invalid_calendars_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 12"):
        FiscalCalendar(13)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Mon-Fri", "Mon,Tue,Wed,Thu,Fri"), ("sun-thu", "Mon,Tue,Wed,Thu,Sun"),
     ("Mon, Wed ,fri", "Mon,Wed,Fri"), ("Sat-Mon", "Mon,Sat,Sun")],
)  # fmt: skip
def test_working_days_are_read_as_reps_write_them(text: str, expected: str) -> None:
    assert format_working_days(parse_working_days(text)) == expected


@pytest.mark.parametrize("text", ["", "weekdays", "Mon-Fri-Sat"])
def test_bad_working_days_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_working_days(text)


def test_holidays_and_weekends_are_not_working_days() -> None:
    us = WorkCalendar(parse_working_days("Mon-Fri"), "US")
    assert not us.is_working_day(date(2027, 7, 5))  # Independence Day observed (Monday)
    assert not us.is_working_day(date(2027, 7, 3))  # Saturday
    assert us.is_working_day(date(2027, 7, 6))
    assert us.on_or_before(date(2027, 7, 5)) == date(2027, 7, 2)
    assert us.on_or_after(date(2027, 7, 3)) == date(2027, 7, 6)
    plain = WorkCalendar()
    assert plain.is_working_day(date(2027, 7, 5))
    assert len(us.working_days_between(date(2027, 7, 1), date(2027, 7, 9))) == 6
