"""The app's one clock. `SMARKETING_NOW` pins it so tests and demos are reproducible."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

NOW_ENV = "SMARKETING_NOW"


class ClockError(ValueError):
    """`SMARKETING_NOW` is set but is not an ISO 8601 date-time."""


def now() -> datetime:
    """The current time, timezone-aware. A pinned time without an offset is taken as local time."""
    pinned = os.environ.get(NOW_ENV, "").strip()
    if not pinned:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(pinned)
    except ValueError as exc:
        raise ClockError(
            f"{NOW_ENV}={pinned!r} is not an ISO 8601 date-time (e.g. 2026-11-23T09:00:00+01:00)"
        ) from exc
    if value.tzinfo is None:
        value = value.astimezone()
    return value


def today() -> date:
    """Today's date in the machine's local time zone."""
    return now().astimezone().date()
