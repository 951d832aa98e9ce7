"""Touches: every contact with a prospect, and the prospect's last-touch clock they reset."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from smarketing_desktop.db.models import Activity, Prospect


def log_touch(
    session: Session,
    prospect_id: int | None,
    kind: str,
    when: datetime,
    *,
    note: str | None = None,
    queue_item_id: int | None = None,
) -> None:
    """Record a touch inside the caller's transaction; the last touch only ever moves forward.

    Without a prospect it is still something the rep did today (it counts for the streak)."""
    session.add(
        Activity(
            prospect_id=prospect_id,
            kind=kind,
            note=note,
            occurred_at=when,
            queue_item_id=queue_item_id,
        )
    )
    prospect = session.get(Prospect, prospect_id) if prospect_id is not None else None
    if prospect is not None and (prospect.last_touch_at is None or prospect.last_touch_at < when):
        prospect.last_touch_at = when
