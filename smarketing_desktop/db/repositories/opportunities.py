"""Opportunities: the deals a rep wants to close this quarter, with the quarter they fall in.

The quarter (and its end, which every engagement plan works back from) follows the fiscal
settings. Moving a close date into another quarter lays the opportunity's pending plan steps out
again in the same transaction; steps already done or skipped stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smarketing_desktop import clock
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.fiscal import FiscalQuarter
from smarketing_desktop.core.planning import (
    PlanningError,
    PlanWarning,
    amount_json,
    check_name,
    check_status,
    parse_amount,
)
from smarketing_desktop.db.models import Account, Prospect
from smarketing_desktop.db.models import Opportunity as OpportunityRow
from smarketing_desktop.db.repositories.plans import PlanSettings, relayout_pending
from smarketing_desktop.db.store import Database

MAX_STAGE = 100


@dataclass(frozen=True)
class OpportunityDraft:
    """An opportunity as typed: validated by the repository before anything is stored."""

    prospect_id: int
    name: str
    close_date: date
    amount: Decimal | str | None = None
    stage: str | None = None
    status: str = "open"


@dataclass(frozen=True)
class OpportunityChanges:
    """Fields to change; None leaves a field as it is, an empty stage clears it."""

    name: str | None = None
    amount: Decimal | str | None = None
    close_date: date | None = None
    stage: str | None = None
    status: str | None = None

    def is_empty(self) -> bool:
        return all(
            v is None for v in (self.name, self.amount, self.close_date, self.stage, self.status)
        )


@dataclass(frozen=True)
class Opportunity:
    id: int
    prospect_id: int | None
    prospect: str | None
    company: str | None
    account_id: int | None
    name: str
    amount: Decimal | None
    close_date: date
    stage: str | None
    status: str
    created_at: datetime
    quarter: FiscalQuarter
    days_left: int  # days from today to the quarter end; negative once it is over

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "quarter": self.quarter.label,
            "quarter_end": self.quarter.end.isoformat(),
            "days_left": self.days_left,
            "prospect_id": self.prospect_id,
            "prospect": self.prospect,
            "company": self.company,
            "account_id": self.account_id,
            "name": self.name,
            "amount": amount_json(self.amount),
            "close_date": self.close_date.isoformat(),
            "stage": self.stage,
            "status": self.status,
            "created_at": self.created_at.astimezone().isoformat(),
        }


@dataclass(frozen=True)
class Replanned:
    """What a moved close date did to the plan: steps laid out again, or why not."""

    steps: int
    quarter_end: date
    warnings: tuple[PlanWarning, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "steps": self.steps,
            "quarter_end": self.quarter_end.isoformat(),
            "warnings": [w.to_json() for w in self.warnings],
        }


@dataclass(frozen=True)
class OpportunityUpdate:
    opportunity: Opportunity
    replanned: Replanned | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.opportunity.to_json(),
            "replanned": self.replanned.to_json() if self.replanned else None,
        }


def _stage(text: str | None) -> str | None:
    value = " ".join((text or "").split()) or None
    if value is not None and len(value) > MAX_STAGE:
        raise UserError(f"Stage is longer than {MAX_STAGE} characters.")
    return value


class OpportunityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _read(
        self,
        ids: list[int] | None = None,
        *,
        status: str | None = None,
        prospect_id: int | None = None,
    ) -> list[Opportunity]:
        settings = PlanSettings.load(self._db)
        today = clock.today()
        prospect_account = Account.__table__.alias("prospect_account")
        stmt = (
            select(OpportunityRow, Prospect.name, Account.name, prospect_account.c.name)
            .outerjoin(Prospect, OpportunityRow.prospect_id == Prospect.id)
            .outerjoin(Account, OpportunityRow.account_id == Account.id)
            .outerjoin(prospect_account, Prospect.account_id == prospect_account.c.id)
            .order_by(OpportunityRow.close_date, OpportunityRow.id)
        )
        if ids is not None:
            stmt = stmt.where(OpportunityRow.id.in_(ids))
        if status is not None:
            stmt = stmt.where(OpportunityRow.status == status)
        if prospect_id is not None:
            stmt = stmt.where(OpportunityRow.prospect_id == prospect_id)
        with self._db.session() as session:
            rows = session.execute(stmt).all()
        found = []
        for row, prospect, company, prospect_company in rows:
            quarter = settings.fiscal.quarter_of(row.close_date)
            found.append(
                Opportunity(
                    id=row.id,
                    prospect_id=row.prospect_id,
                    prospect=prospect,
                    company=company or prospect_company,
                    account_id=row.account_id,
                    name=row.name,
                    amount=row.amount,
                    close_date=row.close_date,
                    stage=row.stage,
                    status=row.status,
                    created_at=row.created_at,
                    quarter=quarter,
                    days_left=quarter.days_left(today),
                )
            )
        return found

    # -- reading ---------------------------------------------------------------------------

    def find(
        self, *, status: str | None = None, prospect_id: int | None = None
    ) -> list[Opportunity]:
        """By close date, soonest first."""
        return self._read(
            status=check_status(status) if status is not None else None, prospect_id=prospect_id
        )

    def get(self, opportunity_id: int) -> Opportunity:
        found = self._read([opportunity_id])
        if not found:
            raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
        return found[0]

    # -- writing ---------------------------------------------------------------------------

    def add(self, draft: OpportunityDraft) -> Opportunity:
        name = check_name(draft.name)
        amount = parse_amount(draft.amount) if draft.amount is not None else None
        status = check_status(draft.status)
        stage = _stage(draft.stage)
        with self._db.session() as session:
            prospect = session.get(Prospect, draft.prospect_id)
            if prospect is None:
                raise NotFoundError(f"There is no prospect with id {draft.prospect_id}.")
            row = OpportunityRow(
                prospect_id=prospect.id,
                account_id=prospect.account_id,
                name=name,
                amount=amount,
                close_date=draft.close_date,
                stage=stage,
                status=status,
                created_at=clock.now(),
            )
            session.add(row)
            session.flush()
            opportunity_id = row.id
        return self.get(opportunity_id)

    def update(self, opportunity_id: int, changes: OpportunityChanges) -> OpportunityUpdate:
        """Change fields; a close date in another quarter re-plans pending steps at once.

        When the new quarter leaves no time (it is over, or has no working day left), the
        change is still made and the pending steps stay where they were, with a warning.
        """
        if changes.is_empty():
            raise UserError(
                "Nothing to change: give --name, --amount, --close-date, --stage or --status."
            )
        name = check_name(changes.name) if changes.name is not None else None
        amount = parse_amount(changes.amount) if changes.amount is not None else None
        status = check_status(changes.status) if changes.status is not None else None
        stage = _stage(changes.stage) if changes.stage is not None else None
        settings = PlanSettings.load(self._db)
        today = clock.today()
        replanned = None
        with self._db.session() as session:
            row = session.get(OpportunityRow, opportunity_id)
            if row is None:
                raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
            if name is not None:
                row.name = name
            if amount is not None:
                row.amount = amount
            if status is not None:
                row.status = status
            if changes.stage is not None:
                row.stage = stage
            if changes.close_date is not None:
                old_end = settings.quarter_end(row.close_date)
                row.close_date = changes.close_date
                new_end = settings.quarter_end(changes.close_date)
                if new_end != old_end:
                    replanned = self._replan(session, opportunity_id, new_end, today, settings)
        return OpportunityUpdate(self.get(opportunity_id), replanned)

    @staticmethod
    def _replan(
        session: Session,
        opportunity_id: int,
        quarter_end: date,
        today: date,
        settings: PlanSettings,
    ) -> Replanned | None:
        try:
            layout = relayout_pending(
                session, opportunity_id, quarter_end=quarter_end, today=today, settings=settings
            )
        except PlanningError as exc:
            return Replanned(0, quarter_end, (PlanWarning("not_replanned", str(exc)),))
        if layout is None:
            return None
        return Replanned(len(layout.dues), quarter_end, layout.warnings)

    def remove(self, opportunity_id: int) -> Opportunity:
        """Removes the opportunity and its plan."""
        opportunity = self.get(opportunity_id)
        with self._db.session() as session:
            row = session.get(OpportunityRow, opportunity_id)
            if row is not None:
                session.delete(row)
        return opportunity
