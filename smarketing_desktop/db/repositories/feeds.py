"""Feeds, their entries, tombstones and signal rules; plain dataclasses out.

The refresh engine calls `claim_due` before fetching (so a failing feed is not polled on every
tick) and one `record_*` method per result. Each runs in its own short transaction, so the
window can keep reading while a refresh writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Table, and_, case, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

if TYPE_CHECKING:  # the feed engine's types only: importing it would slow down every command
    from smarketing_desktop.feeds.fetch import FetchResult
    from smarketing_desktop.feeds.parse import ParsedEntry, ParsedFeed

from smarketing_desktop import clock
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.feeds import EntryInfo, FeedInfo, SignalRuleInfo
from smarketing_desktop.core.signals import Rule, clean_phrase, matching_phrases
from smarketing_desktop.db.models import Entry, EntryTombstone, Feed, Prospect, SignalRule
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds import schedule
from smarketing_desktop.feeds.sanitize import html_to_text

MAX_KEY = 1000
# Feeds of the sample workspace are offline snapshots at made-up addresses: never fetched.
SAMPLE_PURPOSE = "sample"
# X timelines are read through the X API by social/x_tracking.py, never fetched as feeds.
API_KINDS = ("x",)
MAX_TITLE = 1000


@dataclass(frozen=True)
class FeedToCheck:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    error_count: int


@dataclass(frozen=True)
class EntryQuery:
    prospect_id: int | None = None
    feed_id: int | None = None
    unread_only: bool = False
    signals_only: bool = False
    since: datetime | None = None
    limit: int | None = 200


@dataclass(frozen=True)
class StoreResult:
    new_ids: list[int]
    updated: int


@dataclass(frozen=True)
class FeedUpdate:
    """One feed's check: an error (`error_kind`), new content (`parsed`), or not modified."""

    feed_id: int
    result: FetchResult | None
    parsed: ParsedFeed | None = None
    body_hash: str | None = None
    error_kind: str | None = None
    error_message: str | None = None


def _entry_values(entry: ParsedEntry, terms: tuple[str, ...]) -> dict[str, object]:
    return {
        "title": entry.title[:MAX_TITLE],
        "link": entry.link[:2000] if entry.link else None,
        "author": entry.author[:300] if entry.author else None,
        "summary": entry.summary,
        "content": entry.content,
        "published_at": entry.published_at or entry.updated_at,
        "updated_at": entry.updated_at,
        "content_hash": entry.content_hash,
        "is_signal": bool(terms),
        "signal_terms": "; ".join(terms) or None,
    }


class _EntryPlan:
    """Collects the entry inserts and updates of a batch, then writes them in bulk."""

    def __init__(
        self,
        existing: dict[int, dict[str, tuple[int, str | None]]],
        tombstones: dict[int, set[str]],
        rules: list[Rule],
    ) -> None:
        self.existing = existing
        self.tombstones = tombstones
        self.rules = rules
        self.inserts: list[dict[str, object]] = []
        self.changes: list[dict[str, object]] = []
        self.updated: dict[int, int] = {}
        self.feeds: list[int] = []

    @classmethod
    def load(cls, session: Session, feed_ids: list[int]) -> _EntryPlan:
        existing: dict[int, dict[str, tuple[int, str | None]]] = {f: {} for f in feed_ids}
        tombstones: dict[int, set[str]] = {f: set() for f in feed_ids}
        if not feed_ids:
            return cls(existing, tombstones, [])
        rows = session.execute(
            select(Entry.feed_id, Entry.key, Entry.id, Entry.content_hash).where(
                Entry.feed_id.in_(feed_ids)
            )
        ).all()
        for feed_id, key, entry_id, content_hash in rows:
            existing[feed_id][key] = (entry_id, content_hash)
        for feed_id, key in session.execute(
            select(EntryTombstone.feed_id, EntryTombstone.key).where(
                EntryTombstone.feed_id.in_(feed_ids)
            )
        ).all():
            tombstones[feed_id].add(key)
        return cls(existing, tombstones, FeedRepository.rules_in(session))

    def add(self, feed: Feed, parsed: ParsedFeed, now: datetime) -> None:
        self.feeds.append(feed.id)
        existing = self.existing.get(feed.id, {})
        tombstones = self.tombstones.get(feed.id, set())
        seen: set[str] = set()
        for entry in parsed.entries:
            key = _storable_key(entry.key)
            if key in seen or key in tombstones:
                continue
            seen.add(key)
            known = existing.get(key)
            if known is not None and known[1] == entry.content_hash:
                continue
            terms = (
                matching_phrases(
                    _entry_text(entry.title, entry.summary, entry.content),
                    self.rules,
                    feed.prospect_id,
                )
                if self.rules
                else ()
            )
            values = _entry_values(entry, terms)
            if known is not None:
                self.changes.append({"id": known[0], **values})
                self.updated[feed.id] = self.updated.get(feed.id, 0) + 1
            else:
                self.inserts.append(
                    {"feed_id": feed.id, "key": key, "fetched_at": now, "read": False, **values}
                )

    def write(self, session: Session) -> dict[int, StoreResult]:
        new_ids: dict[int, list[int]] = {f: [] for f in self.feeds}
        if self.inserts:
            # Core rather than ORM bulk insert: no unit-of-work bookkeeping for thousands of rows.
            table = Entry.__table__
            assert isinstance(table, Table)
            returned = session.execute(
                insert(table).returning(table.c.id, table.c.feed_id), self.inserts
            ).all()
            for entry_id, feed_id in returned:
                new_ids[feed_id].append(entry_id)
        if self.changes:
            session.execute(update(Entry), self.changes)
        return {f: StoreResult(new_ids[f], self.updated.get(f, 0)) for f in self.feeds}


def _storable_key(key: str) -> str:
    return key if len(key) <= MAX_KEY else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _entry_text(title: str, summary: str | None, content: str | None) -> str:
    return " ".join([title, summary or "", html_to_text(content or "")])


class FeedRepository:
    def __init__(self, db: Database, interval: timedelta = schedule.DEFAULT_INTERVAL) -> None:
        self._db = db
        self.interval = interval

    # -- feeds ---------------------------------------------------------------------------

    def _info_query(self) -> tuple[ColumnElement[int], ColumnElement[int]]:
        total = func.count(Entry.id)
        unread = func.coalesce(func.sum(case((Entry.read.is_(False), 1), else_=0)), 0)
        return total, unread

    def _infos(self, session: Session, where: ColumnElement[bool] | None = None) -> list[FeedInfo]:
        total, unread = self._info_query()
        stmt = (
            select(Feed, Prospect.name, total, unread)
            .outerjoin(Prospect, Feed.prospect_id == Prospect.id)
            .outerjoin(Entry, Entry.feed_id == Feed.id)
            .group_by(Feed.id, Prospect.name)
            .order_by(func.lower(func.coalesce(Feed.title, Feed.url)), Feed.id)
        )
        if where is not None:
            stmt = stmt.where(where)
        return [
            FeedInfo(
                id=feed.id,
                url=feed.url,
                title=feed.title,
                site_url=feed.site_url,
                kind=feed.kind,
                purpose=feed.purpose,
                prospect_id=feed.prospect_id,
                prospect_name=prospect_name,
                status=feed.status,
                error_kind=feed.error_kind,
                error_message=feed.error_message,
                error_count=feed.error_count,
                entries=int(count),
                unread=int(unread_count),
                last_checked=feed.checked_at,
                next_check_at=feed.next_check_at,
                retry_after=feed.retry_after,
                allow_remote_images=feed.allow_remote_images,
            )
            for feed, prospect_name, count, unread_count in session.execute(stmt).all()
        ]

    def list_feeds(
        self, prospect_id: int | None = None, purpose: str | None = None
    ) -> list[FeedInfo]:
        conditions = []
        if prospect_id is not None:
            conditions.append(Feed.prospect_id == prospect_id)
        if purpose is not None:
            conditions.append(Feed.purpose == purpose)
        with self._db.session() as session:
            return self._infos(session, and_(*conditions) if conditions else None)

    def get_feed(self, feed_id: int) -> FeedInfo:
        with self._db.session() as session:
            found = self._infos(session, Feed.id == feed_id)
        if not found:
            raise NotFoundError(f"There is no feed with id {feed_id}.")
        return found[0]

    def find_by_url(self, url: str) -> FeedInfo | None:
        with self._db.session() as session:
            found = self._infos(session, Feed.url == url)
        return found[0] if found else None

    def add_feed(
        self,
        url: str,
        *,
        title: str | None = None,
        site_url: str | None = None,
        kind: str = "feed",
        purpose: str = "prospect",
        prospect_id: int | None = None,
    ) -> FeedInfo:
        with self._db.session() as session:
            if prospect_id is not None and session.get(Prospect, prospect_id) is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
                raise UserError(f"The feed {url} is already tracked.")
            feed = Feed(
                url=url,
                title=title,
                site_url=site_url,
                kind=kind,
                purpose=purpose,
                prospect_id=prospect_id,
                status="pending",
                error_count=0,
                created_at=self._now(),
            )
            session.add(feed)
            session.flush()
            feed_id = feed.id
        return self.get_feed(feed_id)

    def remove_feed(self, feed_id: int) -> FeedInfo:
        info = self.get_feed(feed_id)
        with self._db.session() as session:
            session.execute(delete(Feed).where(Feed.id == feed_id))
        return info

    def set_prospect(self, feed_id: int, prospect_id: int | None) -> FeedInfo:
        with self._db.session() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise NotFoundError(f"There is no feed with id {feed_id}.")
            if prospect_id is not None and session.get(Prospect, prospect_id) is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            feed.prospect_id = prospect_id
        return self.get_feed(feed_id)

    def set_purpose(self, feed_id: int, purpose: str) -> FeedInfo:
        """'prospect' (their posts go to the inbox) or 'company' (posts become content)."""
        with self._db.session() as session:
            session.execute(update(Feed).where(Feed.id == feed_id).values(purpose=purpose))
        return self.get_feed(feed_id)

    def set_remote_images(self, feed_id: int, allowed: bool) -> None:
        with self._db.session() as session:
            session.execute(
                update(Feed).where(Feed.id == feed_id).values(allow_remote_images=allowed)
            )

    # -- refresh bookkeeping -------------------------------------------------------------

    @staticmethod
    def _now() -> datetime:
        return clock.now()

    def claim(
        self,
        *,
        feed_ids: Sequence[int] | None = None,
        due_only: bool = False,
        now: datetime,
        api_kind: str | None = None,
    ) -> list[FeedToCheck]:
        """Pick the feeds to check and push their next check forward before any fetch starts.

        Feeds marked gone and feeds whose server asked us to wait are left alone, even when
        named, so that "Refresh all" never hammers a server that said no. The feed refresh
        claims web feeds only; an API reader (X) claims its own kind with `api_kind`.
        """
        with self._db.session() as session:
            stmt = select(Feed).where(
                Feed.status != "gone",
                Feed.purpose != SAMPLE_PURPOSE,
                Feed.kind == api_kind if api_kind else Feed.kind.not_in(API_KINDS),
                or_(Feed.retry_after.is_(None), Feed.retry_after <= now),
            )
            if feed_ids is not None:
                stmt = stmt.where(Feed.id.in_(list(feed_ids)))
            if due_only:
                stmt = stmt.where(or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now))
            feeds = session.scalars(stmt.order_by(Feed.id)).all()
            claimed = []
            for feed in feeds:
                feed.next_check_at = now + self.interval
                claimed.append(
                    FeedToCheck(
                        feed.id,
                        feed.url,
                        feed.etag,
                        feed.last_modified,
                        feed.body_hash,
                        feed.error_count,
                    )
                )
            return claimed

    def record_not_modified(self, feed_id: int, result: FetchResult, now: datetime) -> None:
        self.apply_updates([FeedUpdate(feed_id, result)], now)

    def record_error(
        self,
        feed_id: int,
        *,
        kind: str,
        message: str,
        now: datetime,
        result: FetchResult | None = None,
    ) -> None:
        self.apply_updates(
            [FeedUpdate(feed_id, result, error_kind=kind, error_message=message)], now
        )

    def store(
        self, feed_id: int, result: FetchResult, parsed: ParsedFeed, body_hash: str, now: datetime
    ) -> StoreResult:
        """New entries in, changed ones updated in place, deleted ones kept out."""
        update_ = FeedUpdate(feed_id, result, parsed=parsed, body_hash=body_hash)
        return self.apply_updates([update_], now).get(feed_id, StoreResult([], 0))

    def retry(self, feed_id: int) -> None:
        """The rep asked to try again: forget back-off and a gone mark (not a Retry-After)."""
        with self._db.session() as session:
            session.execute(
                update(Feed)
                .where(Feed.id == feed_id, Feed.status == "gone")
                .values(status="error", next_check_at=None)
            )

    def apply_updates(self, updates: Sequence[FeedUpdate], now: datetime) -> dict[int, StoreResult]:
        """The outcome of checking many feeds, in one transaction.

        A refresh hands results over in batches: one commit per batch instead of per feed, and
        one bulk insert for all new entries, is what keeps a 500-feed refresh fast.
        """
        if not updates:
            return {}
        with self._db.session() as session:
            ids = [u.feed_id for u in updates]
            feeds = {f.id: f for f in session.scalars(select(Feed).where(Feed.id.in_(ids)))}
            with_posts = [u for u in updates if u.parsed is not None and u.feed_id in feeds]
            plan = _EntryPlan.load(session, [u.feed_id for u in with_posts])
            for item in updates:
                feed = feeds.get(item.feed_id)
                if feed is None:
                    continue  # removed while it was being fetched
                if item.result is not None:
                    self._apply_move(session, feed, item.result)
                feed.checked_at = now
                if item.error_kind is not None:
                    self._mark_failed(feed, item, now)
                    continue
                self._mark_ok(feed, item, now)
                if item.parsed is not None:
                    plan.add(feed, item.parsed, now)
            return plan.write(session)

    def _mark_ok(self, feed: Feed, item: FeedUpdate, now: datetime) -> None:
        checked = schedule.after_success(now, self.interval)
        feed.status = "ok"
        feed.error_kind = feed.error_message = None
        feed.error_count = checked.error_count
        feed.next_check_at = checked.next_check_at
        feed.retry_after = None
        result = item.result
        if result is not None:
            feed.etag = result.etag or (None if item.parsed is not None else feed.etag)
            feed.last_modified = result.last_modified or (
                None if item.parsed is not None else feed.last_modified
            )
        if item.body_hash is not None:
            feed.body_hash = item.body_hash
        parsed = item.parsed
        if parsed is not None:
            if parsed.title and not feed.title:
                feed.title = parsed.title[:500]
            if parsed.site_url and not feed.site_url:
                feed.site_url = parsed.site_url[:2000]

    def _mark_failed(self, feed: Feed, item: FeedUpdate, now: datetime) -> None:
        if item.error_kind == "gone":
            checked = schedule.after_gone(feed.error_count)
        else:
            retry_after = item.result.retry_after if item.result else None
            checked = schedule.after_error(now, feed.error_count, self.interval, retry_after)
            feed.retry_after = retry_after
        feed.status = "gone" if item.error_kind == "gone" else "error"
        feed.error_kind = item.error_kind
        feed.error_message = item.error_message
        feed.error_count = checked.error_count
        feed.next_check_at = checked.next_check_at

    @staticmethod
    def _apply_move(session: Session, feed: Feed, result: FetchResult) -> None:
        """A permanent redirect rewrites the stored URL, unless another feed already has it."""
        target = result.moved_to
        if not target or target == feed.url:
            return
        taken = session.scalar(select(Feed.id).where(Feed.url == target, Feed.id != feed.id))
        if taken is None:
            feed.url = target

    # -- entries -------------------------------------------------------------------------

    def list_entries(self, query: EntryQuery = EntryQuery()) -> list[EntryInfo]:
        stmt = (
            select(Entry, Feed.prospect_id, Feed.title)
            .join(Feed, Entry.feed_id == Feed.id)
            .order_by(
                Entry.published_at.is_(None),
                Entry.published_at.desc(),
                Entry.fetched_at.desc(),
                Entry.id.desc(),
            )
        )
        if query.prospect_id is not None:
            stmt = stmt.where(Feed.prospect_id == query.prospect_id)
        if query.feed_id is not None:
            stmt = stmt.where(Entry.feed_id == query.feed_id)
        if query.unread_only:
            stmt = stmt.where(Entry.read.is_(False))
        if query.signals_only:
            stmt = stmt.where(Entry.is_signal.is_(True))
        if query.since is not None:
            stmt = stmt.where(Entry.fetched_at >= query.since)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self._db.session() as session:
            return [
                EntryInfo(
                    id=entry.id,
                    feed_id=entry.feed_id,
                    prospect_id=prospect_id,
                    feed_title=feed_title,
                    title=entry.title,
                    link=entry.link,
                    author=entry.author,
                    published=entry.published_at,
                    summary=entry.summary,
                    content=entry.content,
                    read=entry.read,
                    is_signal=entry.is_signal,
                    signal_terms=tuple(t for t in (entry.signal_terms or "").split("; ") if t),
                )
                for entry, prospect_id, feed_title in session.execute(stmt).all()
            ]

    def mark_read(self, entry_ids: Iterable[int], read: bool = True) -> int:
        ids = list(entry_ids)
        with self._db.session() as session:
            result = session.execute(update(Entry).where(Entry.id.in_(ids)).values(read=read))
            return int(result.rowcount)  # type: ignore[attr-defined]

    def delete_entries(self, entry_ids: Iterable[int]) -> int:
        """Delete and remember, so the next refresh does not bring them back."""
        ids = list(entry_ids)
        now = self._now()
        with self._db.session() as session:
            rows = session.execute(select(Entry.feed_id, Entry.key).where(Entry.id.in_(ids))).all()
            for feed_id, key in rows:
                session.merge(EntryTombstone(feed_id=feed_id, key=key, deleted_at=now))
            session.execute(delete(Entry).where(Entry.id.in_(ids)))
            return len(rows)

    # -- signal rules --------------------------------------------------------------------

    @staticmethod
    def rules_in(session: Session) -> list[Rule]:
        return [
            Rule(phrase, prospect_id)
            for phrase, prospect_id in session.execute(
                select(SignalRule.phrase, SignalRule.prospect_id).order_by(SignalRule.id)
            ).all()
        ]

    def list_rules(self) -> list[SignalRuleInfo]:
        with self._db.session() as session:
            rows = session.scalars(select(SignalRule).order_by(SignalRule.id)).all()
            return [SignalRuleInfo(r.id, r.phrase, r.prospect_id) for r in rows]

    def preview_rule(
        self, phrase: str, prospect_id: int | None = None, limit: int = 50
    ) -> list[EntryInfo]:
        """Stored posts the rule would flag, before it is saved."""
        rule = Rule(clean_phrase(phrase), prospect_id)
        matches = []
        for entry in self.list_entries(EntryQuery(prospect_id=prospect_id, limit=None)):
            if matching_phrases(
                _entry_text(entry.title, entry.summary, entry.content), [rule], entry.prospect_id
            ):
                matches.append(entry)
                if len(matches) >= limit:
                    break
        return matches

    def add_rule(self, phrase: str, prospect_id: int | None = None) -> SignalRuleInfo:
        text = clean_phrase(phrase)
        with self._db.session() as session:
            if prospect_id is not None and session.get(Prospect, prospect_id) is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            rule = SignalRule(phrase=text, prospect_id=prospect_id, created_at=self._now())
            session.add(rule)
            session.flush()
            info = SignalRuleInfo(rule.id, rule.phrase, rule.prospect_id)
        self.reflag()
        return info

    def remove_rule(self, rule_id: int) -> None:
        with self._db.session() as session:
            result = session.execute(delete(SignalRule).where(SignalRule.id == rule_id))
            if not result.rowcount:  # type: ignore[attr-defined]
                raise NotFoundError(f"There is no signal rule with id {rule_id}.")
        self.reflag()

    def reflag(self) -> int:
        """Re-evaluate every stored post after the rules changed; returns how many are signals."""
        flagged = 0
        with self._db.session() as session:
            rules = self.rules_in(session)
            rows = session.execute(
                select(
                    Entry.id,
                    Entry.title,
                    Entry.summary,
                    Entry.content,
                    Entry.signal_terms,
                    Feed.prospect_id,
                ).join(Feed, Entry.feed_id == Feed.id)
            ).all()
            for entry_id, title, summary, content, old_terms, prospect_id in rows:
                terms = matching_phrases(_entry_text(title, summary, content), rules, prospect_id)
                joined = "; ".join(terms) or None
                flagged += bool(terms)
                if joined != old_terms:
                    session.execute(
                        update(Entry)
                        .where(Entry.id == entry_id)
                        .values(is_signal=bool(terms), signal_terms=joined)
                    )
        return flagged
