"""Fiscal quarters and working days: the calendar a quarter-end plan is laid on.

A fiscal year starts on the first day of a chosen month and is named after the calendar year
it ends in (the common US convention, "FY2027" for Feb 2026 - Jan 2027) or the one it starts in.
Working days are chosen weekdays minus public holidays of one country (the `holidays` package).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

Naming = Literal["end", "start"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class FiscalQuarter:
    fiscal_year: int
    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"FY{self.fiscal_year}Q{self.number}"

    def days_left(self, today: date) -> int:
        return (self.end - today).days


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class FiscalCalendar:
    start_month: int = 1
    naming: Naming = "end"

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError("The fiscal year start month must be from 1 to 12.")
        if self.naming not in ("end", "start"):
            raise ValueError("Fiscal years are named by their 'end' or 'start' year.")

    def quarter_of(self, day: date) -> FiscalQuarter:
        months_in = (day.month - self.start_month) % 12
        fy_start_year = day.year if day.month >= self.start_month else day.year - 1
        number = months_in // 3 + 1
        q_year, q_month = _add_months(fy_start_year, self.start_month, 3 * (number - 1))
        end_year, end_month = _add_months(q_year, q_month, 2)
        end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        ends_in = fy_start_year if self.start_month == 1 else fy_start_year + 1
        label_year = ends_in if self.naming == "end" else fy_start_year
        return FiscalQuarter(label_year, number, date(q_year, q_month, 1), end)

    def next_quarter(self, quarter: FiscalQuarter) -> FiscalQuarter:
        return self.quarter_of(quarter.end + timedelta(days=1))


def parse_working_days(text: str) -> frozenset[int]:
    """'Mon-Fri', 'mon,tue,thu' or 'Sun-Thu' -> weekday numbers (Monday is 0)."""
    days: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if not part:
            continue
        ends = part.split("-")
        try:
            numbers = [WEEKDAYS.index(e[:3]) for e in ends]
        except ValueError:
            raise ValueError(f"{part!r} is not a weekday or range like Mon-Fri.") from None
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2:
            first, last = numbers
            span = (last - first) % 7
            days.update((first + i) % 7 for i in range(span + 1))
        else:
            raise ValueError(f"{part!r} is not a weekday or range like Mon-Fri.")
    if not days:
        raise ValueError("At least one working day is needed.")
    return frozenset(days)


def format_working_days(days: Iterable[int]) -> str:
    return ",".join(WEEKDAYS[d].capitalize() for d in sorted(days))


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    import holidays  # noqa: PLC0415 (large; only loaded when a plan is laid out)

    return frozenset(holidays.country_holidays(country, years=year))


def supported_countries() -> frozenset[str]:
    import holidays  # noqa: PLC0415

    return frozenset(holidays.list_supported_countries())


@dataclass(frozen=True)
class WorkCalendar:
    working_days: frozenset[int] = frozenset(range(5))
    holiday_country: str = ""
    extra_holidays: frozenset[date] = field(default_factory=frozenset)

    def is_holiday(self, day: date) -> bool:
        if day in self.extra_holidays:
            return True
        return bool(self.holiday_country) and day in _holidays(self.holiday_country, day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and not self.is_holiday(day)

    def on_or_before(self, day: date) -> date:
        for _ in range(370):
            if self.is_working_day(day):
                return day
            day -= timedelta(days=1)
        raise ValueError("No working day found in the year before; check the working days.")

    def on_or_after(self, day: date) -> date:
        for _ in range(370):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("No working day found in the year after; check the working days.")

    def working_days_between(self, first: date, last: date) -> list[date]:
        """Every working day from `first` to `last`, both included."""
        days = []
        day = first
        while day <= last:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days
