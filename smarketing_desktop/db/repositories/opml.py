"""OPML in and out of the feeds table, keeping each feed's prospect link.

Prospect ids differ between workspaces, so an imported feed finds its prospect by id when the
name agrees (the same workspace), else by email, else by name; a prospect found nowhere is
created, so the link is never silently lost. One transaction: a failure stores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smarketing_desktop import clock
from smarketing_desktop.core.prospects import ProspectDraft, validate_prospect
from smarketing_desktop.db.models import Feed, Prospect
from smarketing_desktop.db.repositories.feeds import API_KINDS
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.opml import OpmlFeed, write_opml


@dataclass(frozen=True)
class OpmlImportReport:
    listed: int
    added: int
    already_tracked: int
    prospects_linked: int
    prospects_created: int

    def to_json(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "added": self.added,
            "already_tracked": self.already_tracked,
            "prospects_linked": self.prospects_linked,
            "prospects_created": self.prospects_created,
        }


def _find_prospect(session: Session, item: OpmlFeed) -> int | None:
    name = (item.prospect_name or "").casefold()
    if item.prospect_id is not None:
        row = session.get(Prospect, item.prospect_id)
        if row is not None and (not name or row.name.casefold() == name):
            return row.id
    if item.prospect_email:
        found = session.scalar(
            select(Prospect.id).where(func.lower(Prospect.email) == item.prospect_email.casefold())
        )
        if found is not None:
            return found
    if name:
        matches = session.scalars(
            select(Prospect.id).where(func.lower(Prospect.name) == name)
        ).all()
        if len(matches) == 1:
            return matches[0]
    return None


def import_feeds(db: Database, listed: Sequence[OpmlFeed]) -> OpmlImportReport:
    added = tracked = linked = created = 0
    now = clock.now()
    with db.session() as session:
        known = set(session.scalars(select(Feed.url)))
        for item in listed:
            if item.url in known:
                tracked += 1
                continue
            prospect_id = None
            if item.prospect_name or item.prospect_id is not None:
                prospect_id = _find_prospect(session, item)
                if prospect_id is None and item.prospect_name:
                    checked = validate_prospect(
                        ProspectDraft(name=item.prospect_name, email=item.prospect_email)
                    )
                    if not checked.ok:  # a bad email in someone's OPML should not block the feed
                        checked = validate_prospect(ProspectDraft(name=item.prospect_name))
                    if checked.ok:
                        prospect_id = ProspectRepository.insert(session, checked.draft).id
                        created += 1
                linked += prospect_id is not None
            session.add(
                Feed(
                    url=item.url,
                    title=item.title,
                    site_url=item.site_url,
                    kind="feed",
                    purpose="prospect",
                    prospect_id=prospect_id,
                    status="pending",
                    error_count=0,
                    created_at=now,
                )
            )
            known.add(item.url)
            added += 1
    return OpmlImportReport(len(listed), added, tracked, linked, created)


def export_feeds(db: Database) -> tuple[bytes, int]:
    with db.session() as session:
        rows = session.execute(
            select(Feed, Prospect)
            .outerjoin(Prospect, Feed.prospect_id == Prospect.id)
            .where(Feed.kind.not_in(API_KINDS))  # X timelines are not feeds other readers can use
            .order_by(Feed.id)
        ).all()
        items = [
            OpmlFeed(
                url=feed.url,
                title=feed.title,
                site_url=feed.site_url,
                prospect_id=prospect.id if prospect else None,
                prospect_name=prospect.name if prospect else None,
                prospect_email=prospect.email if prospect else None,
                category=f"Prospects/{prospect.name}" if prospect else None,
            )
            for feed, prospect in rows
        ]
    return write_opml(items, now=clock.now()), len(items)
