"""How counts and times read on screen: one place, so every view words them the same way."""

from __future__ import annotations

from datetime import datetime


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"


def format_date(value: datetime | None, empty: str = "never") -> str:
    """A date in the user's time zone; times are stored in UTC."""
    if value is None:
        return empty
    return value.astimezone().strftime("%Y-%m-%d")


def format_datetime(value: datetime | None, empty: str = "never") -> str:
    if value is None:
        return empty
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
