"""The content library and what reps did with suggestions; plain dataclasses out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select

from smarketing_desktop import clock
from smarketing_desktop.core.content import ContentDraft, ContentItem, validate_content
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.db.models import ContentItem as ContentRow
from smarketing_desktop.db.models import Entry, Feed, QueueItem, SuggestionFeedback
from smarketing_desktop.db.store import Database

COMPANY_PURPOSE = "company"


@dataclass(frozen=True)
class ContentQuery:
    search: str = ""
    kind: str | None = None
    tag: str | None = None
    include_expired: bool = True


def _split_tags(stored: str) -> tuple[str, ...]:
    return tuple(t for t in (part.strip() for part in stored.split(";")) if t)


def _to_item(row: ContentRow) -> ContentItem:
    return ContentItem(
        id=row.id,
        url=row.url,
        title=row.title,
        summary=row.summary,
        kind=row.kind,
        tags=_split_tags(row.tags),
        source=row.source,
        added_at=row.added_at,
        expires_on=row.expires_on,
        source_feed_id=row.source_feed_id,
    )


class ContentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- library -------------------------------------------------------------------------

    def find(self, query: ContentQuery = ContentQuery()) -> list[ContentItem]:
        stmt = select(ContentRow).order_by(ContentRow.added_at.desc(), ContentRow.id.desc())
        text = query.search.strip()
        if text:
            pattern = f"%{text}%"
            stmt = stmt.where(
                or_(
                    ContentRow.title.ilike(pattern),
                    ContentRow.summary.ilike(pattern),
                    ContentRow.tags.ilike(pattern),
                    ContentRow.url.ilike(pattern),
                )
            )
        if query.kind:
            stmt = stmt.where(ContentRow.kind == query.kind)
        if not query.include_expired:
            stmt = stmt.where(
                or_(ContentRow.expires_on.is_(None), ContentRow.expires_on >= clock.today())
            )
        with self._db.session() as session:
            items = [_to_item(row) for row in session.scalars(stmt)]
        if query.tag:
            wanted = query.tag.casefold()
            items = [i for i in items if any(t.casefold() == wanted for t in i.tags)]
        return items

    def get(self, content_id: int) -> ContentItem:
        with self._db.session() as session:
            row = session.get(ContentRow, content_id)
            if row is None:
                raise NotFoundError(f"There is no content item with id {content_id}.")
            return _to_item(row)

    def find_by_url(self, url: str) -> ContentItem | None:
        with self._db.session() as session:
            row = session.scalar(select(ContentRow).where(ContentRow.url == url.strip()))
            return _to_item(row) if row else None

    def add(self, draft: ContentDraft, *, source_feed_id: int | None = None) -> ContentItem:
        valid = validate_content(draft)
        with self._db.session() as session:
            if session.scalar(select(ContentRow.id).where(ContentRow.url == valid.url)) is not None:
                raise UserError(f"{valid.url} is already in the library.")
            row = ContentRow(
                url=valid.url,
                title=valid.title,
                summary=valid.summary,
                kind=valid.kind,
                tags="; ".join(valid.tags),
                source=valid.source,
                expires_on=valid.expires_on,
                source_feed_id=source_feed_id,
                added_at=clock.now(),
            )
            session.add(row)
            session.flush()
            return _to_item(row)

    def add_many(self, drafts: Iterable[ContentDraft]) -> tuple[list[ContentItem], int]:
        """Add all new URLs in one transaction; returns (added, already in the library)."""
        valid = [validate_content(d) for d in drafts]
        added: list[ContentItem] = []
        duplicates = 0
        now = clock.now()
        with self._db.session() as session:
            known = set(session.scalars(select(ContentRow.url)))
            for draft in valid:
                if draft.url in known:
                    duplicates += 1
                    continue
                row = ContentRow(
                    url=draft.url,
                    title=draft.title,
                    summary=draft.summary,
                    kind=draft.kind,
                    tags="; ".join(draft.tags),
                    source=draft.source,
                    expires_on=draft.expires_on,
                    added_at=now,
                )
                session.add(row)
                known.add(draft.url)
                session.flush()
                added.append(_to_item(row))
        return added, duplicates

    def update(self, content_id: int, draft: ContentDraft) -> ContentItem:
        valid = validate_content(draft)
        with self._db.session() as session:
            row = session.get(ContentRow, content_id)
            if row is None:
                raise NotFoundError(f"There is no content item with id {content_id}.")
            clash = session.scalar(
                select(ContentRow.id).where(
                    ContentRow.url == valid.url, ContentRow.id != content_id
                )
            )
            if clash is not None:
                raise UserError(f"{valid.url} is already in the library (item {clash}).")
            row.url, row.title, row.summary = valid.url, valid.title, valid.summary
            row.kind, row.tags, row.expires_on = valid.kind, "; ".join(valid.tags), valid.expires_on
            row.source = valid.source
            return _to_item(row)

    def remove(self, content_id: int) -> ContentItem:
        item = self.get(content_id)
        with self._db.session() as session:
            session.execute(delete(ContentRow).where(ContentRow.id == content_id))
        return item

    def count(self) -> int:
        with self._db.session() as session:
            return session.scalar(select(func.count(ContentRow.id))) or 0

    # -- the company's own feed ----------------------------------------------------------

    def sync_company_feeds(self) -> list[ContentItem]:
        """Posts from followed company feeds that are not in the library yet become items."""
        with self._db.session() as session:
            known = set(session.scalars(select(ContentRow.url)))
            rows = session.execute(
                select(Entry, Feed.id, Feed.title)
                .join(Feed, Entry.feed_id == Feed.id)
                .where(Feed.purpose == COMPANY_PURPOSE, Entry.link.is_not(None))
                .order_by(Entry.published_at.desc().nullslast(), Entry.id.desc())
            ).all()
            now = clock.now()
            added: list[ContentRow] = []
            for entry, feed_id, feed_title in rows:
                if not entry.link or entry.link in known:
                    continue
                known.add(entry.link)
                row = ContentRow(
                    url=entry.link,
                    title=entry.title[:500] or entry.link,
                    summary=entry.summary[:1000] if entry.summary else None,
                    kind="blog_post",
                    tags="",
                    source=feed_title or "company feed",
                    source_feed_id=feed_id,
                    added_at=now,
                )
                session.add(row)
                added.append(row)
            session.flush()
            return [_to_item(row) for row in added]

    # -- suggestions feedback ------------------------------------------------------------

    def record_feedback(
        self,
        prospect_id: int,
        action: str,
        *,
        content_id: int | None = None,
        entry_id: int | None = None,
    ) -> None:
        if action not in ("dismissed", "shared"):
            raise ValueError(action)
        if content_id is None and entry_id is None:
            raise UserError("Say which suggestion: a content item or a post.")
        with self._db.session() as session:
            session.add(
                SuggestionFeedback(
                    prospect_id=prospect_id,
                    content_id=content_id,
                    entry_id=entry_id,
                    action=action,
                    created_at=clock.now(),
                )
            )

    def excluded_content(self) -> dict[int, set[int]]:
        """Per prospect, items not to suggest again: dismissed, shared, or already queued."""
        excluded: dict[int, set[int]] = {}
        with self._db.session() as session:
            feedback = session.execute(
                select(SuggestionFeedback.prospect_id, SuggestionFeedback.content_id).where(
                    SuggestionFeedback.content_id.is_not(None)
                )
            ).all()
            queued = session.execute(
                select(QueueItem.prospect_id, QueueItem.content_id).where(
                    QueueItem.prospect_id.is_not(None), QueueItem.content_id.is_not(None)
                )
            ).all()
        for prospect_id, content_id in [*feedback, *queued]:
            if prospect_id is not None and content_id is not None:
                excluded.setdefault(prospect_id, set()).add(content_id)
        return excluded

    def handled_entries(self) -> set[int]:
        """Posts the rep already acted on or dismissed as engage suggestions."""
        with self._db.session() as session:
            return set(
                session.scalars(
                    select(SuggestionFeedback.entry_id).where(
                        SuggestionFeedback.entry_id.is_not(None)
                    )
                )
            )
