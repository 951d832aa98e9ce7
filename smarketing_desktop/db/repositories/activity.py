"""The activity log: touches made in and outside the app, streaks, and who is going cold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from smarketing_desktop import clock
from smarketing_desktop.core.cadence import TOUCH_KINDS, Cadence, Warmth, streak
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.prospects import effective_cadence
from smarketing_desktop.db.models import Activity, Entry, Feed, Prospect
from smarketing_desktop.db.repositories.prospects import touch_defaults
from smarketing_desktop.db.repositories.touches import log_touch
from smarketing_desktop.db.store import Database


@dataclass(frozen=True)
class Touch:
    id: int
    prospect_id: int | None
    prospect_name: str | None
    kind: str
    note: str | None
    occurred_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "prospect_id": self.prospect_id,
            "prospect": self.prospect_name,
            "kind": self.kind,
            "note": self.note,
            "at": self.occurred_at.astimezone().isoformat(),
        }


@dataclass(frozen=True)
class ColdProspect:
    prospect_id: int
    name: str
    company: str | None
    warmth: Warmth
    days_since_touch: int | None
    last_touch_at: datetime | None
    recent_posts: tuple[tuple[int, str], ...]  # (entry id, title), newest first
    ideal_days: int = 14  # the prospect's effective cadence, so a reader sees why it is amber
    max_days: int = 30

    def to_json(self) -> dict[str, Any]:
        return {
            "prospect_id": self.prospect_id,
            "name": self.name,
            "company": self.company,
            "warmth": self.warmth,
            "days_since_touch": self.days_since_touch,
            "last_touch": self.last_touch_at.astimezone().isoformat()
            if self.last_touch_at
            else None,
            "recent_posts": [{"entry_id": i, "title": t} for i, t in self.recent_posts],
            "ideal_days": self.ideal_days,
            "max_days": self.max_days,
        }


class ActivityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def cadence(self) -> Cadence:
        """The default cadence, for prospects that have none of their own."""
        return touch_defaults(self._db)

    def log(
        self, prospect_id: int, kind: str, note: str | None = None, when: datetime | None = None
    ) -> Touch:
        """A touch made outside the app (a call, a meeting, a comment on their post)."""
        if kind not in TOUCH_KINDS:
            raise UserError(f"Kind {kind!r} is not one of: {', '.join(TOUCH_KINDS)}.")
        moment = when or clock.now()
        with self._db.session() as session:
            prospect = session.get(Prospect, prospect_id)
            if prospect is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            log_touch(session, prospect_id, kind, moment, note=(note or "").strip() or None)
            session.flush()
            row = session.scalars(
                select(Activity)
                .where(Activity.prospect_id == prospect_id)
                .order_by(Activity.id.desc())
            ).first()
            assert row is not None
            return Touch(row.id, prospect_id, prospect.name, row.kind, row.note, row.occurred_at)

    def touches_since(self, since: datetime) -> list[Touch]:
        with self._db.session() as session:
            rows = session.execute(
                select(Activity, Prospect.name)
                .outerjoin(Prospect, Activity.prospect_id == Prospect.id)
                .where(Activity.occurred_at >= since)
                .order_by(Activity.occurred_at.desc(), Activity.id.desc())
            ).all()
            return [
                Touch(a.id, a.prospect_id, name, a.kind, a.note, a.occurred_at) for a, name in rows
            ]

    def active_days(self, since: date) -> set[date]:
        start = datetime.combine(since, datetime.min.time()).astimezone()
        with self._db.session() as session:
            moments = session.scalars(
                select(Activity.occurred_at).where(Activity.occurred_at >= start)
            )
            return {m.astimezone().date() for m in moments}

    def done_today(self, today: date) -> tuple[list[Touch], int]:
        start = datetime.combine(today, datetime.min.time()).astimezone()
        items = self.touches_since(start)
        return items, streak(self.active_days(today - timedelta(days=400)), today)

    def going_cold(self, today: date, *, include_ok: bool = False) -> list[ColdProspect]:
        """Prospects past their own ideal interval (or the default one), coldest first, with
        their last three posts."""
        defaults = self.cadence()
        with self._db.session() as session:
            prospects = session.scalars(select(Prospect)).all()
            found: list[ColdProspect] = []
            for prospect in prospects:
                cadence = effective_cadence(
                    prospect.touch_ideal_days, prospect.touch_max_days, defaults
                )
                warmth = cadence.warmth(prospect.last_touch_at, prospect.created_at, today)
                if warmth == "ok" and not include_ok:
                    continue
                posts = session.execute(
                    select(Entry.id, Entry.title)
                    .join(Feed, Entry.feed_id == Feed.id)
                    .where(Feed.prospect_id == prospect.id)
                    .order_by(Entry.published_at.desc().nullslast(), Entry.id.desc())
                    .limit(3)
                ).all()
                found.append(
                    ColdProspect(
                        prospect.id,
                        prospect.name,
                        prospect.account.name if prospect.account else None,
                        warmth,
                        cadence.days_since(prospect.last_touch_at, prospect.created_at, today),
                        prospect.last_touch_at,
                        tuple((entry_id, title) for entry_id, title in posts),
                        cadence.ideal_days,
                        cadence.max_days,
                    )
                )
        order = {"red": 0, "amber": 1, "ok": 2}
        return sorted(found, key=lambda c: (order[c.warmth], -(c.days_since_touch or 0), c.name))
