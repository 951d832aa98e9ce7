"""What X will bill this month, kept in a ledger, and how much tracking a budget allows.

X's pay-per-use API (2026) bills reads per resource returned: about $0.005 per post and $0.010
per user, each resource once per UTC day however often it is fetched; responses without data
are free. Writes are billed per request: $0.015 per post, $0.200 when the post contains a link.
The ledger (`x_reads`) has one row per (UTC day, kind, item), so it counts exactly what X
bills; its `user` rows are also the handle -> user id cache.

The estimate of how many prospects a budget covers uses the post volume actually seen this
month. Checking more often does not read more posts (each check asks only for posts newer
than the last one seen), so the interval matters only through the per-check cap on posts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, delete, func, select

from smarketing_desktop.db.models import XRead
from smarketing_desktop.db.store import Database

POST_READ_USD = Decimal("0.005")
USER_READ_USD = Decimal("0.010")
POST_WRITE_USD = Decimal("0.015")
POST_WRITE_WITH_URL_USD = Decimal("0.200")
DAYS_PER_MONTH = 30.4
# Until a month has data: B2B prospects who post at all post a couple of times a day at most.
ASSUMED_POSTS_PER_DAY = 2.0
# Post rows older than this are only history; the meter needs the current month.
KEEP_POST_ROWS = timedelta(days=400)

KIND_POST, KIND_USER, KIND_MISSING, KIND_ME = "post", "user", "missing", "me"
KIND_WRITE, KIND_WRITE_URL = "write", "write_url"
_READ_KINDS = (KIND_POST, KIND_USER, KIND_ME)
_URL = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _month_start(moment: datetime) -> date:
    return utc_day(moment).replace(day=1)


def _next_month(moment: datetime) -> date:
    start = _month_start(moment)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _money(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"


def _whole_dollars(value: int) -> str:
    return f"${value}"


@dataclass(frozen=True)
class Usage:
    """This UTC month's billable X activity."""

    month: str  # YYYY-MM
    posts_read: int
    users_read: int
    posts_written: int
    posts_written_with_url: int
    days_elapsed: int

    @property
    def reads(self) -> int:
        return self.posts_read + self.users_read

    @property
    def cost(self) -> Decimal:
        return (
            self.posts_read * POST_READ_USD
            + self.users_read * USER_READ_USD
            + self.posts_written * POST_WRITE_USD
            + self.posts_written_with_url * POST_WRITE_WITH_URL_USD
        )


def has_url(text: str) -> bool:
    """X bills a post with a link at the higher rate."""
    return bool(_URL.search(text))


class XMeter:
    """The ledger of billable X activity (and the handle -> user id cache)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def usage(self, now: datetime) -> Usage:
        start = _month_start(now)
        end = _next_month(now)
        with self._db.session() as session:
            rows = session.execute(
                select(XRead.kind, func.count())
                .where(XRead.day >= start, XRead.day < end)
                .group_by(XRead.kind)
            ).all()
        counts = {kind: int(n) for kind, n in rows}
        return Usage(
            month=start.strftime("%Y-%m"),
            posts_read=counts.get(KIND_POST, 0),
            users_read=counts.get(KIND_USER, 0) + counts.get(KIND_ME, 0),
            posts_written=counts.get(KIND_WRITE, 0),
            posts_written_with_url=counts.get(KIND_WRITE_URL, 0),
            days_elapsed=(utc_day(now) - start).days + 1,
        )

    def _record(self, kind: str, items: Iterable[tuple[str, str | None]], now: datetime) -> int:
        """Insert the items not yet recorded today; returns how many were new (= billed)."""
        day = utc_day(now)
        wanted = dict(items)
        if not wanted:
            return 0
        with self._db.session() as session:
            known = set(
                session.scalars(
                    select(XRead.item).where(
                        XRead.day == day, XRead.kind == kind, XRead.item.in_(list(wanted))
                    )
                )
            )
            fresh = [item for item in wanted if item not in known]
            session.add_all(
                XRead(day=day, kind=kind, item=item, user_id=wanted[item], read_at=now)
                for item in fresh
            )
        return len(fresh)

    def charge_posts(self, post_ids: Sequence[str], now: datetime) -> int:
        """Posts read: each billed once per UTC day. Returns how many were billed now."""
        return self._record(KIND_POST, ((p, None) for p in post_ids), now)

    def charge_users(self, users: dict[str, str], now: datetime) -> int:
        """Handles resolved (lower-case handle -> user id); this is also the cache."""
        return self._record(KIND_USER, ((h.lower(), uid) for h, uid in users.items()), now)

    def note_missing(self, handles: Sequence[str], now: datetime) -> None:
        """Handles X does not know: not billed, and not asked about again today."""
        self._record(KIND_MISSING, ((h.lower(), None) for h in handles), now)

    def charge_me(self, user_id: str, now: datetime) -> int:
        return self._record(KIND_ME, [(user_id, user_id)], now)

    def charge_write(self, post_id: str, text: str, now: datetime) -> None:
        self._record(KIND_WRITE_URL if has_url(text) else KIND_WRITE, [(post_id, None)], now)

    def cached_user_ids(self, handles: Sequence[str], now: datetime) -> dict[str, str | None]:
        """What is known about each handle: its user id, None when X did not know it today.

        Handles not in the result still need a lookup.
        """
        wanted = list({h.lower() for h in handles})
        if not wanted:
            return {}
        known: dict[str, str | None] = {}
        with self._db.session() as session:
            for item, user_id in session.execute(
                select(XRead.item, XRead.user_id)
                .where(XRead.kind == KIND_USER, XRead.item.in_(wanted))
                .order_by(XRead.day)
            ):
                known[item] = user_id  # the latest day wins
            for item in session.scalars(
                select(XRead.item).where(
                    XRead.kind == KIND_MISSING,
                    XRead.day == utc_day(now),
                    XRead.item.in_([w for w in wanted if w not in known]),
                )
            ):
                known[item] = None
        return known

    def forget_user(self, handle: str) -> None:
        """The cached id no longer works (account gone): look the handle up again next time."""
        with self._db.session() as session:
            session.execute(
                delete(XRead).where(XRead.kind == KIND_USER, XRead.item == handle.lower())
            )

    def prune(self, now: datetime) -> None:
        """Old post rows are never billed again; user rows stay (they are the cache)."""
        cutoff = utc_day(now - KEEP_POST_ROWS)
        with self._db.session() as session:
            session.execute(delete(XRead).where(and_(XRead.kind != KIND_USER, XRead.day < cutoff)))


def posts_per_day(usage: Usage, tracked_prospects: int) -> float:
    """The average prospect's post volume this month, or an assumption before there is data."""
    if usage.posts_read <= 0 or tracked_prospects <= 0:
        return ASSUMED_POSTS_PER_DAY
    return max(usage.posts_read / (tracked_prospects * max(usage.days_elapsed, 1)), 0.1)


def monthly_cost_per_prospect(poll_minutes: int, per_day: float, posts_per_check: int) -> Decimal:
    """Posts billed for one prospect in a month: their volume, capped by what the checks read."""
    checks_per_day = 1440 / max(poll_minutes, 1)
    billed_per_day = min(per_day, checks_per_day * posts_per_check)
    return Decimal(str(round(DAYS_PER_MONTH * billed_per_day, 4))) * POST_READ_USD


def prospects_that_fit(
    budget_usd: int, poll_minutes: int, per_day: float, posts_per_check: int
) -> int:
    cost = monthly_cost_per_prospect(poll_minutes, per_day, posts_per_check)
    if cost <= 0:
        return 0
    return max(math.floor(Decimal(budget_usd) / cost), 0)


def every(minutes: int) -> str:
    """An interval as a rep says it: "every 6 hours", "every day", "every 45 minutes"."""
    if minutes % 1440 == 0:
        days = minutes // 1440
        return "every day" if days == 1 else f"every {days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "every hour" if hours == 1 else f"every {hours} hours"
    return f"every {minutes} minutes"


@dataclass(frozen=True)
class BudgetState:
    budget_usd: int
    usage: Usage
    reached: bool
    fits_prospects: int
    posts_per_day: float
    notice: str | None

    @property
    def estimated_cost(self) -> float:
        return float(self.usage.cost.quantize(Decimal("0.001")))

    def to_json(self) -> dict[str, object]:
        return {
            "budget": self.budget_usd,
            "reads_this_month": self.usage.reads,
            "posts_read": self.usage.posts_read,
            "users_read": self.usage.users_read,
            "posts_published": self.usage.posts_written + self.usage.posts_written_with_url,
            "estimated_cost": self.estimated_cost,
            "reached": self.reached,
            "fits_prospects": self.fits_prospects,
            "notice": self.notice,
        }


def fit_sentence(budget_usd: int, poll_minutes: int, fits: int, per_day: float) -> str:
    """E.g. "Your $10 budget fits 40 prospects checked every 6 hours"."""
    volume = f"{per_day:.1f}".rstrip("0").rstrip(".")
    return (
        f"Your {_whole_dollars(budget_usd)} budget fits {fits} prospects checked "
        f"{every(poll_minutes)} (at about {volume} posts a day each; checking more often "
        "costs no more, each post is billed once)."
    )


def budget_state(
    usage: Usage,
    *,
    budget_usd: int,
    poll_minutes: int,
    tracked_prospects: int,
    posts_per_check: int,
    now: datetime,
    reserve: Decimal = Decimal(0),
) -> BudgetState:
    """Whether tracking may go on: `reserve` is what the next request could cost at most."""
    per_day = posts_per_day(usage, tracked_prospects)
    fits = prospects_that_fit(budget_usd, poll_minutes, per_day, posts_per_check)
    limit = Decimal(budget_usd)
    reached = usage.cost >= limit or usage.cost + reserve > limit
    notice = None
    if reached:
        first = _next_month(now)
        resume = f"{first.day} {first.strftime('%B')}"
        notice = (
            f"X tracking is paused: this month's X use is about {_money(usage.cost)} of your "
            f"{_whole_dollars(budget_usd)} budget. It resumes on {resume} (UTC), or raise "
            f"x_monthly_budget_usd. {fit_sentence(budget_usd, poll_minutes, fits, per_day)}"
        )
    elif tracked_prospects > fits:
        notice = (
            f"{tracked_prospects} prospects are tracked on X. "
            f"{fit_sentence(budget_usd, poll_minutes, fits, per_day)}"
        )
    return BudgetState(budget_usd, usage, reached, fits, per_day, notice)
