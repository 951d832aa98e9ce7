"""When to check a feed next: the interval on success, exponential back-off on errors.

Pure functions, so the policy is testable without a clock, a network or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_INTERVAL = timedelta(minutes=30)
MAX_BACKOFF = timedelta(hours=24)


@dataclass(frozen=True)
class Checked:
    """Scheduling state after one check."""

    next_check_at: datetime | None
    error_count: int


def after_success(now: datetime, interval: timedelta = DEFAULT_INTERVAL) -> Checked:
    return Checked(now + interval, 0)


def after_error(
    now: datetime,
    previous_errors: int,
    interval: timedelta = DEFAULT_INTERVAL,
    retry_after: datetime | None = None,
) -> Checked:
    """Double the wait with each consecutive error, up to a day; a later Retry-After wins."""
    errors = previous_errors + 1
    wait = min(interval * (2 ** min(errors - 1, 16)), MAX_BACKOFF)
    when = now + wait
    if retry_after is not None and retry_after > when:
        when = retry_after
    return Checked(when, errors)


def after_gone(previous_errors: int) -> Checked:
    """A feed the server says is gone is never polled again until the rep retries it."""
    return Checked(None, previous_errors + 1)


def is_due(next_check_at: datetime | None, now: datetime) -> bool:
    return next_check_at is None or next_check_at <= now
