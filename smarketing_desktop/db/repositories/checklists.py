"""Profile checklist reviews: stored with every item's result, returned as plain `Review`s.

The repository also gathers what the rules need from the rest of the database (the keyword
phrases setting, the activity log) so that the window and the command line run a review the same
way: `context()` -> `core.checklists.evaluate` -> `save()`, or `review()` for all three.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smarketing_desktop import clock
from smarketing_desktop.core.checklists import (
    Answer,
    Checklist,
    ChecklistError,
    Evaluation,
    HistoryEntry,
    ItemResult,
    Review,
    ReviewDiff,
    activity_window_days,
    diff_reviews,
    evaluate,
    history_entries,
    next_review_on,
    profile_has_no_fields,
    review_due_on,
)
from smarketing_desktop.core.errors import NotFoundError
from smarketing_desktop.core.profile_rules import (
    STATUSES,
    ActivityFact,
    RuleContext,
    Status,
    split_keywords,
)
from smarketing_desktop.db.models import Activity, ChecklistResult, ChecklistReview
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database


def _status(value: str) -> Status:
    for status in STATUSES:
        if value == status:
            return status
    return "unknown"  # a status written by a newer version: not shown as passed


def _to_review(row: ChecklistReview) -> Review:
    try:
        snapshot = json.loads(row.profile_snapshot or "{}")
    except ValueError:
        snapshot = {}
    if not isinstance(snapshot, dict):
        snapshot = {}
    # Rows come back in key order; the snapshot remembers the checklist's order.
    order = {item_id: n for n, item_id in enumerate(snapshot.get("item_order") or ())}
    rows = sorted(row.results, key=lambda r: (order.get(r.item_id, len(order)), r.item_id))
    results = tuple(ItemResult(r.item_id, _status(r.status), r.detail or "", r.note) for r in rows)
    return Review(
        id=row.id,
        network=row.network,
        reviewed_at=row.reviewed_at,
        score=row.score,
        results=results,
        snapshot=snapshot,
    )


class ChecklistRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- running a review ----------------------------------------------------------------

    def keywords(self) -> tuple[str, ...]:
        return split_keywords(str(SettingsRepository(self._db).get("profile_keywords")))

    def activity_since(self, since: datetime) -> tuple[ActivityFact, ...]:
        """Every logged touch since `since`, with or without a prospect."""
        with self._db.session() as session:
            rows = session.execute(
                select(Activity.kind, Activity.occurred_at).where(Activity.occurred_at >= since)
            ).all()
        return tuple(ActivityFact(kind, moment) for kind, moment in rows)

    def context(self, checklist: Checklist, now: datetime | None = None) -> RuleContext:
        """What the rules need besides the profile: the time, keywords and recent activity."""
        moment = now or clock.now()
        days = activity_window_days(checklist)
        activity = self.activity_since(moment - timedelta(days=days + 1)) if days else ()
        return RuleContext(moment, self.keywords(), activity)

    def review(
        self,
        checklist: Checklist,
        profile: Mapping[str, Any],
        answers: Mapping[str, Answer] | None = None,
    ) -> Review:
        """Evaluate a prepared profile (images opened) against the checklist and store it.

        A profile naming none of the checklist's fields is refused, with nothing stored: it
        would be an all "not checked" review that still counts as done (see
        `profile_has_no_fields`)."""
        problem = profile_has_no_fields(profile, checklist)
        if problem:
            raise ChecklistError(f"The profile {problem}; nothing was stored.")
        context = self.context(checklist)
        return self.save(evaluate(checklist, profile, context, answers), context.now)

    def save(self, evaluation: Evaluation, reviewed_at: datetime | None = None) -> Review:
        with self._db.session() as session:
            row = ChecklistReview(
                network=evaluation.network,
                reviewed_at=reviewed_at or clock.now(),
                score=evaluation.score,
                profile_snapshot=json.dumps(evaluation.snapshot, ensure_ascii=False, default=str),
            )
            row.results = [
                ChecklistResult(item_id=r.item_id, status=r.status, detail=r.detail, note=r.note)
                for r in evaluation.results
            ]
            session.add(row)
            session.flush()
            review_id = row.id
        return self.get(review_id)

    # -- reading -------------------------------------------------------------------------

    def get(self, review_id: int) -> Review:
        with self._db.session() as session:
            row = session.get(
                ChecklistReview, review_id, options=[selectinload(ChecklistReview.results)]
            )
            if row is None:
                raise NotFoundError(f"There is no checklist review with id {review_id}.")
            return _to_review(row)

    def reviews(self, network: str) -> list[Review]:
        """Every review of `network`, oldest first."""
        with self._db.session() as session:
            rows = session.scalars(
                select(ChecklistReview)
                .where(ChecklistReview.network == network)
                .order_by(ChecklistReview.reviewed_at, ChecklistReview.id)
                .options(selectinload(ChecklistReview.results))
            ).all()
            return [_to_review(r) for r in rows]

    def latest(self, network: str) -> Review | None:
        reviews = self.reviews(network)
        return reviews[-1] if reviews else None

    def previous(self, review: Review) -> Review | None:
        """The review of the same network just before `review`."""
        earlier = [
            r
            for r in self.reviews(review.network)
            if (r.reviewed_at, r.id) < (review.reviewed_at, review.id)
        ]
        return earlier[-1] if earlier else None

    def history(self, network: str) -> list[HistoryEntry]:
        """Newest first, each with its score change and the items that changed."""
        return history_entries(self.reviews(network))

    def diff(self, before_id: int, after_id: int) -> ReviewDiff:
        return diff_reviews(self.get(before_id), self.get(after_id))

    # -- the reminder --------------------------------------------------------------------

    def review_every_days(self) -> int:
        return int(SettingsRepository(self._db).get("profile_review_days"))

    def review_due(self, network: str, today: date | None = None) -> date | None:
        """The day a review of `network` fell due, if one is due now (None when not yet).

        For the Today screen: truthy when it is time to review, and the date says since when.
        """
        latest = self.latest(network)
        return review_due_on(
            latest.reviewed_at if latest else None,
            self.review_every_days(),
            today or clock.today(),
        )

    def next_review(self, network: str, today: date | None = None) -> date:
        latest = self.latest(network)
        return next_review_on(
            latest.reviewed_at if latest else None,
            self.review_every_days(),
            today or clock.today(),
        )

    def due(self, networks: Iterable[str], today: date | None = None) -> dict[str, date]:
        """The networks whose review is due, with the day it fell due."""
        found: dict[str, date] = {}
        for network in networks:
            due = self.review_due(network, today)
            if due is not None:
                found[network] = due
        return found
