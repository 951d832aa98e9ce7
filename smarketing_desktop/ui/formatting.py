"""How counts and times read on screen: one place, so every view words them the same way."""

from __future__ import annotations

from datetime import datetime

from smarketing_desktop.core.wording import plural

__all__ = ["plural"]


def format_date(value: datetime | None, empty: str = "never") -> str:
    """A date in the user's time zone; times are stored in UTC."""
    if value is None:
        return empty
    return value.astimezone().strftime("%Y-%m-%d")


def format_datetime(value: datetime | None, empty: str = "never") -> str:
    if value is None:
        return empty
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
