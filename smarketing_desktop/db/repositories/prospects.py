"""Prospects and their companies, stored and returned as plain `Prospect` dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from smarketing_desktop import clock
from smarketing_desktop.core.cadence import Cadence
from smarketing_desktop.core.errors import NotFoundError, ValidationError
from smarketing_desktop.core.prospect_csv import CsvParseResult, CsvRow, SkippedRow
from smarketing_desktop.core.prospects import (
    LABELS,
    Prospect,
    ProspectDraft,
    RemovalImpact,
    validate_prospect,
)
from smarketing_desktop.core.queue import EDITABLE_STATUSES
from smarketing_desktop.db.models import Account, Feed, Opportunity, ProspectTag, QueueItem
from smarketing_desktop.db.models import Prospect as ProspectRow
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database

SortKey = Literal["name", "company", "title", "email", "last_touch_at", "created_at"]
SORT_KEYS: tuple[SortKey, ...] = (
    "name",
    "company",
    "title",
    "email",
    "last_touch_at",
    "created_at",
)


@dataclass(frozen=True)
class ProspectQuery:
    """Which prospects, in which order. Every list and table goes through this one query."""

    search: str = ""
    tag: str | None = None
    company: str | None = None
    sort: SortKey = "name"
    descending: bool = False
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: the rows to store and every row skipped, by line."""

    rows: list[CsvRow]
    skipped: list[SkippedRow]

    def to_json(self, imported: int) -> dict[str, object]:
        return {"imported": imported, "skipped": [s.to_json() for s in self.skipped]}


def touch_defaults(db: Database) -> Cadence:
    """The settings' cadence, for prospects without their own (kept consistent like theirs)."""
    settings = SettingsRepository(db).all()
    ideal = int(settings["touch_ideal_days"])
    return Cadence(ideal, max(ideal + 1, int(settings["touch_max_days"])))


def _to_dataclass(row: ProspectRow, feed_count: int, defaults: Cadence) -> Prospect:
    return Prospect(
        id=row.id,
        name=row.name,
        company=row.account.name if row.account else None,
        title=row.title,
        email=row.email,
        x_handle=row.x_handle,
        linkedin_url=row.linkedin_url,
        blog_url=row.blog_url,
        mastodon_handle=row.mastodon_handle,
        bluesky_handle=row.bluesky_handle,
        tags=tuple(t.tag for t in row.tags),
        notes=row.notes,
        last_touch_at=row.last_touch_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        account_id=row.account_id,
        feed_count=feed_count,
        touch_ideal_days=row.touch_ideal_days,
        touch_max_days=row.touch_max_days,
        touch_defaults=defaults,
    )


class ProspectRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading -------------------------------------------------------------------------

    def _filtered(self, query: ProspectQuery, columns: Select[tuple[int]]) -> Select[tuple[int]]:
        stmt = columns.outerjoin(Account, ProspectRow.account_id == Account.id)
        text = query.search.strip()
        if text:
            pattern = f"%{text}%"
            tagged = select(ProspectTag.prospect_id).where(ProspectTag.tag.ilike(pattern))
            stmt = stmt.where(
                or_(
                    ProspectRow.name.ilike(pattern),
                    ProspectRow.title.ilike(pattern),
                    ProspectRow.email.ilike(pattern),
                    Account.name.ilike(pattern),
                    ProspectRow.id.in_(tagged),
                )
            )
        if query.tag:
            with_tag = select(ProspectTag.prospect_id).where(
                func.lower(ProspectTag.tag) == query.tag.casefold()
            )
            stmt = stmt.where(ProspectRow.id.in_(with_tag))
        if query.company:
            stmt = stmt.where(func.lower(Account.name) == query.company.casefold())
        sort_column = {
            "name": func.lower(ProspectRow.name),
            "company": func.lower(Account.name),
            "title": func.lower(ProspectRow.title),
            "email": func.lower(ProspectRow.email),
            "last_touch_at": ProspectRow.last_touch_at,
            "created_at": ProspectRow.created_at,
        }[query.sort]
        order = sort_column.desc() if query.descending else sort_column.asc()
        # Empty values last either way, then a stable tie-break on id.
        stmt = stmt.order_by(sort_column.is_(None), order, ProspectRow.id)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        return stmt.offset(query.offset) if query.offset else stmt

    def list_ids(self, query: ProspectQuery = ProspectQuery()) -> list[int]:
        with self._db.session() as session:
            return list(session.scalars(self._filtered(query, select(ProspectRow.id))))

    def touch_defaults(self) -> Cadence:
        return touch_defaults(self._db)

    def get_many(self, ids: Sequence[int]) -> dict[int, Prospect]:
        if not ids:
            return {}
        defaults = self.touch_defaults()
        with self._db.session() as session:
            rows = session.scalars(
                select(ProspectRow)
                .where(ProspectRow.id.in_(list(ids)))
                .options(selectinload(ProspectRow.tags), selectinload(ProspectRow.account))
            ).all()
            counts = dict(
                session.execute(
                    select(Feed.prospect_id, func.count(Feed.id))
                    .where(Feed.prospect_id.in_(list(ids)))
                    .group_by(Feed.prospect_id)
                ).all()
            )
            return {row.id: _to_dataclass(row, counts.get(row.id, 0), defaults) for row in rows}

    def find(self, query: ProspectQuery = ProspectQuery()) -> list[Prospect]:
        ids = self.list_ids(query)
        found = self.get_many(ids)
        return [found[i] for i in ids if i in found]

    def get(self, prospect_id: int) -> Prospect:
        found = self.get_many([prospect_id])
        if prospect_id not in found:
            raise NotFoundError(f"There is no prospect with id {prospect_id}.")
        return found[prospect_id]

    def count(self) -> int:
        with self._db.session() as session:
            return session.scalar(select(func.count(ProspectRow.id))) or 0

    def all_tags(self) -> list[str]:
        with self._db.session() as session:
            tags = session.scalars(select(ProspectTag.tag).distinct()).all()
        return sorted(set(tags), key=str.casefold)

    def existing_emails(self) -> set[str]:
        with self._db.session() as session:
            emails = session.scalars(
                select(ProspectRow.email).where(ProspectRow.email.is_not(None))
            )
            return {e.casefold() for e in emails if e}

    # -- writing -------------------------------------------------------------------------

    @staticmethod
    def _account(session: Session, name: str | None) -> Account | None:
        if not name:
            return None
        pending = (o for o in session.new if isinstance(o, Account))
        same = next((a for a in pending if a.name.casefold() == name.casefold()), None)
        if same is not None:
            return same
        account = session.scalar(select(Account).where(func.lower(Account.name) == name.casefold()))
        if account is None:
            account = Account(name=name, created_at=clock.now())
            session.add(account)
        return account

    @staticmethod
    def _apply(session: Session, row: ProspectRow, draft: ProspectDraft) -> None:
        with session.no_autoflush:
            ProspectRepository._apply_fields(session, row, draft)

    @staticmethod
    def _apply_fields(session: Session, row: ProspectRow, draft: ProspectDraft) -> None:
        row.name = draft.name
        row.title = draft.title
        row.email = draft.email
        row.x_handle = draft.x_handle
        row.linkedin_url = draft.linkedin_url
        row.blog_url = draft.blog_url
        row.mastodon_handle = draft.mastodon_handle
        row.bluesky_handle = draft.bluesky_handle
        row.notes = draft.notes
        row.touch_ideal_days = draft.touch_ideal_days
        row.touch_max_days = draft.touch_max_days
        row.account = ProspectRepository._account(session, draft.company)
        existing = {t.tag: t for t in row.tags}
        row.tags = [
            existing.get(tag) or ProspectTag(tag=tag, position=i)
            for i, tag in enumerate(draft.tags)
        ]
        for i, tag_row in enumerate(row.tags):
            tag_row.position = i
        row.updated_at = clock.now()

    @staticmethod
    def _validated(draft: ProspectDraft, defaults: Cadence) -> ProspectDraft:
        checked = validate_prospect(draft, defaults)
        if not checked.ok:
            raise ValidationError(checked.first_error(), checked.errors)
        return checked.draft

    @staticmethod
    def _refuse_taken_email(session: Session, email: str | None, own_id: int | None) -> None:
        """One person per email, as CSV import already keeps it: a second "Sam" with Sam's
        address is almost always the same person added twice, and two records would split
        their touches, follow-ups and deals. Refused as a field error so the prospect dialog
        shows it under Email and the command line prints it."""
        if not email:
            return
        session.flush()  # rows added earlier in this transaction count too
        stmt = select(ProspectRow.id, ProspectRow.name).where(
            func.lower(ProspectRow.email) == email.casefold()
        )
        if own_id is not None:
            stmt = stmt.where(ProspectRow.id != own_id)
        holder = session.execute(stmt.limit(1)).first()
        if holder is not None:
            who = f"{holder.name} (id {holder.id}) already has this email"
            raise ValidationError(
                f"{who} ({email}). Edit that prospect instead, or use another email.",
                {"email": f"is taken: {who}"},
            )

    def add(self, draft: ProspectDraft) -> Prospect:
        return self.add_many([draft])[0]

    def add_many(self, drafts: Iterable[ProspectDraft]) -> list[Prospect]:
        """All or nothing: one invalid draft (or one whose email a prospect already has)
        stores none of them."""
        defaults = self.touch_defaults()
        valid = [self._validated(d, defaults) for d in drafts]
        with self._db.session() as session:
            ids = []
            for draft in valid:
                self._refuse_taken_email(session, draft.email, None)
                ids.append(self.insert(session, draft).id)
        found = self.get_many(ids)
        return [found[i] for i in ids]

    @classmethod
    def insert(cls, session: Session, draft: ProspectDraft) -> ProspectRow:
        """Store a validated draft inside the caller's transaction (for multi-table imports)."""
        row = ProspectRow()
        cls._apply(session, row, draft)
        row.created_at = row.updated_at
        session.add(row)
        session.flush()
        return row

    def update(self, prospect_id: int, draft: ProspectDraft) -> Prospect:
        valid = self._validated(draft, self.touch_defaults())
        with self._db.session() as session:
            row = session.get(ProspectRow, prospect_id, options=[selectinload(ProspectRow.tags)])
            if row is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            self._refuse_taken_email(session, valid.email, prospect_id)
            self._apply(session, row, valid)
        return self.get(prospect_id)

    @staticmethod
    def _open_followups(prospect_id: int) -> Select[int]:
        return select(QueueItem.id).where(
            QueueItem.prospect_id == prospect_id,
            QueueItem.kind == "followup",
            QueueItem.status.in_(EDITABLE_STATUSES),
        )

    def removal_impact(self, prospect_id: int) -> RemovalImpact:
        """What `remove` would also affect, for the question asked before it."""
        with self._db.session() as session:
            name = session.scalar(select(ProspectRow.name).where(ProspectRow.id == prospect_id))
            if name is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            deals = session.scalar(
                select(func.count(Opportunity.id)).where(
                    Opportunity.prospect_id == prospect_id, Opportunity.status == "open"
                )
            )
            followups = session.scalar(
                select(func.count()).select_from(self._open_followups(prospect_id).subquery())
            )
        return RemovalImpact(prospect_id, name, deals or 0, followups or 0)

    def remove(self, prospect_id: int) -> None:
        """Remove the prospect and their open follow-ups; deals and done follow-ups are kept
        without a prospect (see `RemovalImpact` for why)."""
        with self._db.session() as session:
            session.execute(
                delete(QueueItem).where(QueueItem.id.in_(self._open_followups(prospect_id)))
            )
            result = session.execute(delete(ProspectRow).where(ProspectRow.id == prospect_id))
            if not result.rowcount:  # type: ignore[attr-defined]
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")

    # -- CSV import ----------------------------------------------------------------------

    def plan_import(self, parsed: CsvParseResult) -> ImportPlan:
        """Drop rows whose email is already stored, or whose own touch interval does not fit
        the default one (the file could not know the defaults); keep skips in file order."""
        known = self.existing_emails()
        defaults = self.touch_defaults()
        rows: list[CsvRow] = []
        skipped = list(parsed.skipped)
        for row in parsed.rows:
            email = (row.draft.email or "").casefold()
            checked = validate_prospect(row.draft, defaults)
            if not checked.ok:
                reason = "; ".join(f"{LABELS[k]} {msg}" for k, msg in checked.errors.items())
                skipped.append(SkippedRow(row.line, reason))
            elif email and email in known:
                skipped.append(
                    SkippedRow(row.line, f"a prospect with email {row.draft.email} exists")
                )
            else:
                rows.append(row)
        skipped.sort(key=lambda s: s.line)
        return ImportPlan(rows, skipped)

    def run_import(self, plan: ImportPlan) -> list[Prospect]:
        return self.add_many(row.draft for row in plan.rows)
