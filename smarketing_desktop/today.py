"""The morning screen's content, Qt-free: what is due, what prospects posted, what to share.

Every reminder carries its "why now": the prospect's last touch, their latest posts and, for
plan steps, the days left until the quarter the deal should close in ends. The rep's own
profiles get a reminder too, when the last checklist review is older than the setting allows.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from smarketing_desktop import clock
from smarketing_desktop.core.checklists import ChecklistError, load_checklists, review_due_on
from smarketing_desktop.core.fiscal import FiscalCalendar
from smarketing_desktop.core.prospects import REMOVED_PROSPECT
from smarketing_desktop.db.models import Entry, Feed, Opportunity, PlanStep, Prospect
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.checklists import ChecklistRepository
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.followups import followups_json
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database

log = logging.getLogger(__name__)

NEW_POSTS = 20
# Used when the checklist files cannot be read: the reminder matters more than their titles.
FALLBACK_PROFILES = {"linkedin": "LinkedIn profile", "x": "X profile"}


def _why_now(db: Database, prospect_id: int | None) -> dict[str, Any]:
    """The prospect's name, last touch and latest posts for a due step or follow-up.

    Follow-ups and deals are always made for a prospect, so a missing one was removed since
    (deals and done follow-ups are kept then): say so rather than show an empty name.
    """
    removed: dict[str, Any] = {"prospect": REMOVED_PROSPECT}
    if prospect_id is None:
        return removed
    with db.session() as session:
        prospect = session.get(Prospect, prospect_id)
        if prospect is None:
            return removed
        posts = session.execute(
            select(Entry.id, Entry.title)
            .join(Feed, Entry.feed_id == Feed.id)
            .where(Feed.prospect_id == prospect_id)
            .order_by(Entry.published_at.desc().nullslast(), Entry.id.desc())
            .limit(3)
        ).all()
        return {
            "prospect": prospect.name,
            "last_touch": prospect.last_touch_at.astimezone().isoformat()
            if prospect.last_touch_at
            else None,
            "latest_posts": [{"entry_id": i, "title": t} for i, t in posts],
        }


def due_steps(db: Database, today: date) -> list[dict[str, Any]]:
    settings = SettingsRepository(db)
    fiscal = FiscalCalendar(
        int(settings.get("fiscal_year_start_month")),
        str(settings.get("fiscal_year_naming")),  # type: ignore[arg-type]
    )
    with db.session() as session:
        rows = session.execute(
            select(PlanStep, Opportunity)
            .join(Opportunity, PlanStep.opportunity_id == Opportunity.id)
            .where(
                PlanStep.status == "planned", PlanStep.due_on <= today, Opportunity.status == "open"
            )
            .order_by(PlanStep.due_on, PlanStep.id)
        ).all()
        steps = [
            {
                "id": step.id,
                "opportunity_id": opportunity.id,
                "opportunity": opportunity.name,
                "prospect_id": opportunity.prospect_id,
                "due": step.due_on.isoformat(),
                "channel": step.channel,
                "action": step.action,
                "why": step.why,
                "content_id": step.content_id,
                "days_left_in_quarter": fiscal.quarter_of(opportunity.close_date).days_left(today),
                "quarter": fiscal.quarter_of(opportunity.close_date).label,
            }
            for step, opportunity in rows
        ]
    for step in steps:
        prospect_id = step["prospect_id"]
        step.update(_why_now(db, prospect_id if isinstance(prospect_id, int) else None))
    return steps


def _profiles(db: Database) -> dict[str, str]:
    """Network -> checklist title, for every profile with a checklist (a rep's own included)."""
    from smarketing_desktop.paths import resources_dir  # noqa: PLC0415 (as in the CLI)

    try:
        checklists = load_checklists(resources_dir(), db.workspace.home)
    except ChecklistError as exc:
        log.warning("Profile checklists cannot be read (%s); reminding for the usual ones", exc)
        return dict(FALLBACK_PROFILES)
    return {c.network: c.title for c in checklists}


def profile_reviews_due(db: Database, today: date) -> list[dict[str, Any]]:
    """Profiles whose checklist review is due: never reviewed, or longer ago than the setting."""
    repo = ChecklistRepository(db)
    every_days = repo.review_every_days()
    due: list[dict[str, Any]] = []
    for network, title in _profiles(db).items():
        latest = repo.latest(network)
        last = latest.reviewed_at.astimezone() if latest else None
        since = review_due_on(last, every_days, today)
        if since is None:
            continue
        due.append(
            {
                "network": network,
                "title": title,
                "last_review": last.isoformat() if last else None,
                "days_since_review": (today - last.date()).days if last else None,
                "last_score": latest.score if latest else None,
                "due": since.isoformat(),
            }
        )
    return due


def review_reminder(review: dict[str, Any]) -> str:
    """ "Review your LinkedIn profile (last reviewed 34 days ago)": the window and CLI line."""
    days = review.get("days_since_review")
    if days is None:
        when = "never reviewed"
    elif days == 0:
        when = "last reviewed today"
    else:
        when = f"last reviewed {days} day{'s' if days != 1 else ''} ago"
    return f"Review your {review['title']} ({when})"


def today_report(
    db: Database, now: datetime | None = None, *, with_suggestions: bool = True
) -> dict[str, Any]:
    moment = now or clock.now()
    today = moment.astimezone().date()
    queue = QueueRepository(db)
    # A follow-up made from a post carries the post's title and link, so it can be opened again.
    followups = [
        {**f, **_why_now(db, f["prospect_id"])}
        for f in followups_json(db, queue.due_followups(today))
    ]
    ready = [
        i.to_json()
        for i in queue.list_items(kind="share")
        if i.status == "ready"
        or (i.status == "queued" and i.scheduled_at is not None and i.scheduled_at <= moment)
    ]
    feeds = FeedRepository(db)
    unread = feeds.list_entries(EntryQuery(unread_only=True, limit=NEW_POSTS))
    posts = sorted(unread, key=lambda e: not e.is_signal)  # stable: signals first, newest first
    signals = [e for e in unread if e.is_signal]
    activity = ActivityRepository(db)
    done, streak_days = activity.done_today(today)
    suggestions: list[dict[str, Any]] = []
    if with_suggestions:
        from smarketing_desktop.suggest.service import suggest  # noqa: PLC0415 (builds an index)

        suggestions = [s.to_json() for s in suggest(db, limit=5, now=moment) if s.kind == "share"]
    return {
        "date": today.isoformat(),
        "due_steps": due_steps(db, today),
        "followups": followups,
        "ready_shares": ready,
        "new_entries": [e.to_json() for e in posts],
        "signals": [e.to_json() for e in signals],
        "suggestions": suggestions,
        "going_cold": [c.to_json() for c in activity.going_cold(today)],
        "profile_reviews_due": profile_reviews_due(db, today),
        "done_today": {
            "count": len(done),
            "streak": streak_days,
            "items": [t.to_json() for t in done],
        },
    }


def yesterday(today: date) -> date:
    return today - timedelta(days=1)
