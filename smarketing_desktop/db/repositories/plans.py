"""Engagement plans: playbook steps laid out before an opportunity's quarter end, and what the
rep did with them (done, skipped, snoozed, moved). Plain dataclasses out.

Generating a plan again replaces only its pending steps: what the rep did or chose to skip stays
as it was, and those playbook steps are not planned twice. The layout itself is the pure
`core.planning.lay_out`; this module adds the settings, the playbooks and the storage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from smarketing_desktop import clock
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.fiscal import FiscalCalendar, WorkCalendar, parse_working_days
from smarketing_desktop.core.planning import (
    PENDING,
    ContentCandidate,
    Layout,
    PlanWarning,
    assign_content,
    lay_out,
    move_date,
    snooze_date,
)
from smarketing_desktop.core.playbooks import (
    Playbook,
    load_playbooks,
    pick_playbook,
    playbook_folders,
)
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.models import Account, ContentItem, Opportunity, PlanStep, Prospect
from smarketing_desktop.db.repositories.content import ContentQuery, ContentRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.repositories.touches import log_touch
from smarketing_desktop.db.store import Database

# How many suggestions to ask for when filling a plan: enough for every step to get its own.
SUGGESTION_POOL = 40


@dataclass(frozen=True)
class PlanSettings:
    """The calendar settings a plan is laid out with, read once per operation."""

    fiscal: FiscalCalendar
    calendar: WorkCalendar
    lead_days: int

    @classmethod
    def load(cls, db: Database) -> PlanSettings:
        values = SettingsRepository(db).all()
        return cls(
            FiscalCalendar(values["fiscal_year_start_month"], values["fiscal_year_naming"]),
            WorkCalendar(
                parse_working_days(values["working_days"]), values["holiday_country"] or ""
            ),
            values["plan_lead_days"],
        )

    def quarter_end(self, close_date: date) -> date:
        return self.fiscal.quarter_of(close_date).end


@dataclass(frozen=True)
class PlanStepInfo:
    """A plan step as screens and commands see it, with its opportunity and prospect."""

    id: int
    opportunity_id: int
    opportunity: str
    prospect_id: int | None
    prospect: str | None
    company: str | None
    due: date
    channel: str
    action: str
    why: str | None
    content_id: int | None
    content_title: str | None
    content_url: str | None
    status: str
    done_at: datetime | None
    position: int
    playbook_id: str | None
    step_key: str | None
    # Set by `mark_done` only: other plans' steps it also completed, and whether the touch
    # it logged counts as contact with the prospect (a profile step does not).
    also_done: tuple[int, ...] = ()
    touched_prospect: bool = False

    def to_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"also_done": list(self.also_done)} if self.also_done else {}
        return {
            "id": self.id,
            "opportunity_id": self.opportunity_id,
            "opportunity": self.opportunity,
            "prospect_id": self.prospect_id,
            "prospect": self.prospect,
            "company": self.company,
            "due": self.due.isoformat(),
            "channel": self.channel,
            "action": self.action,
            "why": self.why,
            "content_id": self.content_id,
            "content_title": self.content_title,
            "content_url": self.content_url,
            "status": self.status,
            "done_at": self.done_at.astimezone().isoformat() if self.done_at else None,
            "playbook": self.playbook_id,
            "step": self.step_key,
        } | extra


@dataclass(frozen=True)
class PlanResult:
    """A freshly generated plan: every step of the opportunity (kept and new), by due date."""

    opportunity_id: int
    playbook_id: str
    quarter: str
    quarter_end: date
    start: date
    warnings: tuple[PlanWarning, ...]
    steps: tuple[PlanStepInfo, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "opportunity_id": self.opportunity_id,
            "playbook": self.playbook_id,
            "quarter": self.quarter,
            "quarter_end": self.quarter_end.isoformat(),
            "start": self.start.isoformat(),
            "warnings": [w.to_json() for w in self.warnings],
            "steps": [s.to_json() for s in self.steps],
        }


@dataclass(frozen=True)
class StepQuery:
    opportunity_id: int | None = None
    prospect_id: int | None = None
    due_by: date | None = None
    status: str | None = None


@dataclass(frozen=True)
class SnoozeResult:
    step: PlanStepInfo
    capped: bool  # the wanted day was past the quarter end
    quarter_end: date
    days: int = 0  # how far the rep asked to snooze

    @property
    def message(self) -> str:
        """What happened, worded as a success: a snooze that met the quarter end still moved
        the step, to the last day it could go; "cannot move" would make the rep retry."""
        moved = f"Step {self.step.id} moved to {self.step.due:%a} {self.step.due.day} "
        moved += f"{self.step.due:%b %Y}"
        if not self.capped:
            return moved + "."
        return (
            f"{moved}, the last working day before the quarter ends "
            f"({plural(self.days, 'day')} would pass it)."
        )

    def to_json(self) -> dict[str, Any]:
        return {**self.step.to_json(), "capped": self.capped, "message": self.message}


def _steps_select() -> Select[tuple[PlanStep, Opportunity, str | None, str | None, Any, Any]]:
    account = Account.__table__.alias("step_account")
    return (
        select(
            PlanStep,
            Opportunity,
            Prospect.name,
            account.c.name,
            ContentItem.title,
            ContentItem.url,
        )
        .join(Opportunity, PlanStep.opportunity_id == Opportunity.id)
        .outerjoin(Prospect, Opportunity.prospect_id == Prospect.id)
        .outerjoin(account, Opportunity.account_id == account.c.id)
        .outerjoin(ContentItem, PlanStep.content_id == ContentItem.id)
        .order_by(PlanStep.due_on, PlanStep.position, PlanStep.id)
    )


def _info(row: Any) -> PlanStepInfo:
    step, opportunity, prospect, company, title, url = row
    return PlanStepInfo(
        id=step.id,
        opportunity_id=opportunity.id,
        opportunity=opportunity.name,
        prospect_id=opportunity.prospect_id,
        prospect=prospect,
        company=company,
        due=step.due_on,
        channel=step.channel,
        action=step.action,
        why=step.why,
        content_id=step.content_id,
        content_title=title,
        content_url=url,
        status=step.status,
        done_at=step.done_at,
        position=step.position,
        playbook_id=step.playbook_id,
        step_key=step.step_key,
    )


def relayout_pending(
    session: Session, opportunity_id: int, *, quarter_end: date, today: date, settings: PlanSettings
) -> Layout | None:
    """Lay an opportunity's pending steps out again for `quarter_end`, inside the caller's
    transaction (a moved close date). Done and skipped steps stay. None when nothing is pending;
    raises PlanningError when the quarter leaves no room."""
    pending = session.scalars(
        select(PlanStep)
        .where(PlanStep.opportunity_id == opportunity_id, PlanStep.status == PENDING)
        .order_by(PlanStep.position, PlanStep.id)
    ).all()
    if not pending:
        return None
    layout = lay_out(
        [s.offset_days for s in pending],
        quarter_end=quarter_end,
        today=today,
        lead_days=settings.lead_days,
        calendar=settings.calendar,
    )
    for step, due in zip(pending, layout.dues, strict=True):
        step.due_on = due
    return layout


def content_candidates(db: Database, prospect_id: int) -> list[ContentCandidate]:
    """Library items for a prospect's plan: the suggestion engine's picks first (best first,
    one call for the whole plan), then the rest of the library that may match a step's hint.
    Items the rep dismissed, shared or queued for this prospect are left out."""
    from smarketing_desktop.suggest.service import suggest  # noqa: PLC0415 (heavy: ranking)

    content = ContentRepository(db)
    library = {i.id: i for i in content.find(ContentQuery(include_expired=False))}
    if not library:
        return []
    excluded = content.excluded_content().get(prospect_id, set())
    ranked = suggest(
        db, prospect_id=prospect_id, limit=SUGGESTION_POOL, per_prospect=SUGGESTION_POOL
    )
    suggested = [
        s.content_id for s in ranked if s.content_id is not None and s.content_id in library
    ]
    seen = set(suggested)
    candidates = [
        ContentCandidate(i, library[i].tags, library[i].kind, suggested=True) for i in suggested
    ]
    candidates.extend(
        ContentCandidate(item.id, item.tags, item.kind, suggested=False)
        for item in library.values()
        if item.id not in seen and item.id not in excluded
    )
    return candidates


class PlanRepository:
    def __init__(self, db: Database, *, playbooks: Mapping[str, Playbook] | None = None) -> None:
        self._db = db
        self._playbooks = dict(playbooks) if playbooks is not None else None

    def playbooks(self) -> dict[str, Playbook]:
        """Shipped playbooks, overridden by the rep's own in <data folder>/playbooks."""
        if self._playbooks is None:
            from smarketing_desktop.paths import resources_dir  # noqa: PLC0415

            folders = playbook_folders(resources_dir(), self._db.workspace.home)
            self._playbooks = load_playbooks(folders)
        return self._playbooks

    # -- reading ---------------------------------------------------------------------------

    def steps(self, query: StepQuery = StepQuery()) -> list[PlanStepInfo]:
        stmt = _steps_select()
        if query.opportunity_id is not None:
            stmt = stmt.where(PlanStep.opportunity_id == query.opportunity_id)
        if query.prospect_id is not None:
            stmt = stmt.where(Opportunity.prospect_id == query.prospect_id)
        if query.due_by is not None:
            stmt = stmt.where(PlanStep.due_on <= query.due_by)
        if query.status is not None:
            stmt = stmt.where(PlanStep.status == query.status)
        with self._db.session() as session:
            return [_info(row) for row in session.execute(stmt)]

    def get_step(self, step_id: int) -> PlanStepInfo:
        with self._db.session() as session:
            row = session.execute(_steps_select().where(PlanStep.id == step_id)).first()
        if row is None:
            raise NotFoundError(f"There is no plan step with id {step_id}.")
        return _info(row)

    # -- generating ------------------------------------------------------------------------

    def generate(
        self,
        opportunity_id: int,
        playbook_id: str | None = None,
        *,
        candidates: Sequence[ContentCandidate] | None = None,
    ) -> PlanResult:
        """Plan (or plan again) an open opportunity from a playbook (default: the one used
        last, else "default"). Pending steps are replaced; done and skipped ones stay.

        `candidates` are the library items to fill steps with, best first; by default they
        come from the suggestion engine for the opportunity's prospect. Raises UserError
        (nothing changed) for an unknown or closed opportunity, an unknown playbook, or a
        quarter with no working day left.
        """
        settings = PlanSettings.load(self._db)
        today = clock.today()
        with self._db.session() as session:
            opportunity = session.get(Opportunity, opportunity_id)
            if opportunity is None:
                raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
            if opportunity.status != "open":
                raise UserError(
                    f"Opportunity {opportunity_id} is {opportunity.status}; "
                    "plans are for open opportunities."
                )
            existing = session.scalars(
                select(PlanStep)
                .where(PlanStep.opportunity_id == opportunity_id)
                .order_by(PlanStep.id.desc())
            ).all()
            prospect_id, close_date = opportunity.prospect_id, opportunity.close_date
        kept = [s for s in existing if s.status != PENDING]
        previous = next((s.playbook_id for s in existing if s.playbook_id), None)
        playbook = pick_playbook(self.playbooks(), playbook_id or previous)
        done_keys = {s.step_key for s in kept if s.playbook_id == playbook.id}
        remaining = [(i, s) for i, s in enumerate(playbook.steps) if s.id not in done_keys]
        quarter = settings.fiscal.quarter_of(close_date)
        layout = lay_out(
            [s.offset_days for _, s in remaining],
            quarter_end=quarter.end,
            today=today,
            lead_days=settings.lead_days,
            calendar=settings.calendar,
        )
        if candidates is None:
            candidates = (
                content_candidates(self._db, prospect_id)
                if prospect_id is not None and any(s.content_hint for _, s in remaining)
                else []
            )
        contents = assign_content(
            [s.content_hint for _, s in remaining],
            candidates,
            already_used={s.content_id for s in kept if s.content_id is not None},
        )
        with self._db.session() as session:
            # An item removed since it was suggested is simply left out.
            wanted = {c for c in contents if c is not None}
            present = set(session.scalars(select(ContentItem.id).where(ContentItem.id.in_(wanted))))
            contents = [c if c in present else None for c in contents]
            session.execute(
                delete(PlanStep).where(
                    PlanStep.opportunity_id == opportunity_id, PlanStep.status == PENDING
                )
            )
            profile_done = self._profile_done_recently(session, playbook, opportunity_id)
            for (position, step), due, content_id in zip(
                remaining, layout.dues, contents, strict=True
            ):
                done_at = profile_done.get(step.id)
                already = done_at is not None and due <= done_at.date() + self._review_interval()
                session.add(
                    PlanStep(
                        opportunity_id=opportunity_id,
                        due_on=due,
                        channel=step.channel,
                        action=step.action,
                        why=step.why,
                        content_id=content_id,
                        status="done" if already else PENDING,
                        done_at=done_at if already else None,
                        playbook_id=playbook.id,
                        step_key=step.id,
                        offset_days=step.offset_days,
                        position=position,
                    )
                )
        return PlanResult(
            opportunity_id=opportunity_id,
            playbook_id=playbook.id,
            quarter=quarter.label,
            quarter_end=quarter.end,
            start=layout.start,
            warnings=layout.warnings,
            steps=tuple(self.steps(StepQuery(opportunity_id=opportunity_id))),
        )

    # -- what the rep did ------------------------------------------------------------------

    def mark_done(self, step_id: int) -> PlanStepInfo:
        """Done: logs a touch with the opportunity's prospect in the same transaction.

        A profile step (tune your LinkedIn profile, align your bios) is about the rep, not the
        deal: every open plan has one, and a rep with three deals would otherwise tune the same
        profile three times. Done once, it also completes the same pending step of the other
        open plans that falls within the profile review interval; later ones stay, as a
        reminder to look again (`also_done` names the steps it completed).
        """
        now = clock.now()
        with self._db.session() as session:
            step = self._step(session, step_id)
            if step.status == "done":
                raise UserError(f"Step {step_id} is already done.")
            step.status = "done"
            step.done_at = now
            twins = self._profile_twins(session, step)
            for twin in twins:
                twin.status = "done"
                twin.done_at = now
            opportunity = session.get(Opportunity, step.opportunity_id)
            # Tuning the rep's own profile is done for the day's tally, but it is not contact
            # with the buyer: it must not reset their going-cold clock.
            buyer = None if self._is_profile_step(step) else opportunity
            log_touch(
                session,
                buyer.prospect_id if buyer is not None else None,
                f"plan_{step.channel}",
                now,
                note=step.action[:200],
            )
            also_done = tuple(t.id for t in twins)
            touched = buyer is not None and buyer.prospect_id is not None
        return replace(self.get_step(step_id), also_done=also_done, touched_prospect=touched)

    def _review_interval(self) -> timedelta:
        """How long a tuned profile counts as tuned: the profile review interval."""
        return timedelta(days=int(SettingsRepository(self._db).get("profile_review_days")))

    def _profile_done_recently(
        self, session: Session, playbook: Playbook, opportunity_id: int
    ) -> dict[str, datetime]:
        """Profile steps of `playbook` done in another plan within the review interval, by
        step key, with when: a plan made today must not ask again for a profile tuned today."""
        keys = [s.id for s in playbook.steps if s.move == "profile"]
        if not keys:
            return {}
        since = clock.now() - self._review_interval()
        found: dict[str, datetime] = {}
        for key, done_at in session.execute(
            select(PlanStep.step_key, PlanStep.done_at).where(
                PlanStep.opportunity_id != opportunity_id,
                PlanStep.playbook_id == playbook.id,
                PlanStep.step_key.in_(keys),
                PlanStep.status == "done",
                PlanStep.done_at >= since,
            )
        ):
            if key is not None and done_at is not None and done_at > found.get(key, since):
                found[key] = done_at
        return found

    def _is_profile_step(self, step: PlanStep) -> bool:
        playbook = self.playbooks().get(step.playbook_id or "")
        template = (
            next((s for s in playbook.steps if s.id == step.step_key), None) if playbook else None
        )
        return template is not None and template.move == "profile"

    def _profile_twins(self, session: Session, step: PlanStep) -> list[PlanStep]:
        if not self._is_profile_step(step):
            return []
        horizon = clock.today() + self._review_interval()
        return list(
            session.scalars(
                select(PlanStep)
                .join(Opportunity, PlanStep.opportunity_id == Opportunity.id)
                .where(
                    PlanStep.id != step.id,
                    PlanStep.playbook_id == step.playbook_id,
                    PlanStep.step_key == step.step_key,
                    PlanStep.status == PENDING,
                    PlanStep.due_on <= horizon,
                    Opportunity.status == "open",
                )
            )
        )

    def skip(self, step_id: int) -> PlanStepInfo:
        with self._db.session() as session:
            step = self._step(session, step_id)
            if step.status != PENDING:
                raise UserError(f"Step {step_id} is already {step.status}.")
            step.status = "skipped"
        return self.get_step(step_id)

    def snooze(self, step_id: int, days: int) -> SnoozeResult:
        """Move a pending step to the next working day on or after due + `days`, never past
        its quarter end (it lands on the last working day instead, and the result says so)."""
        settings = PlanSettings.load(self._db)
        today = clock.today()
        with self._db.session() as session:
            step = self._step(session, step_id)
            if step.status != PENDING:
                raise UserError(f"Step {step_id} is {step.status}; only planned steps can move.")
            opportunity = session.get(Opportunity, step.opportunity_id)
            assert opportunity is not None  # the foreign key cascades
            quarter_end = settings.quarter_end(opportunity.close_date)
            moved = snooze_date(
                step.due_on,
                days,
                today=today,
                quarter_end=quarter_end,
                calendar=settings.calendar,
            )
            step.due_on = moved.due
        return SnoozeResult(self.get_step(step_id), moved.capped, quarter_end, days)

    def move(self, step_id: int, new_date: date) -> PlanStepInfo:
        """Move a pending step to `new_date`, earlier or later than it was: the rep knows when
        the buyer is reachable better than the playbook does.

        Refused (UserError, nothing changed) for a step that is done or skipped, a day before
        today, or a day after the opportunity's quarter end. A day off moves on to the next
        working day (see `core.planning.move_date`); compare the returned `due` with
        `new_date`, or use `core.planning.move_message`, to tell the rep.
        """
        settings = PlanSettings.load(self._db)
        today = clock.today()
        with self._db.session() as session:
            step = self._step(session, step_id)
            if step.status != PENDING:
                raise UserError(f"Step {step_id} is {step.status}; only planned steps can move.")
            opportunity = session.get(Opportunity, step.opportunity_id)
            assert opportunity is not None  # the foreign key cascades
            moved = move_date(
                new_date,
                today=today,
                quarter_end=settings.quarter_end(opportunity.close_date),
                calendar=settings.calendar,
            )
            step.due_on = moved.due
        return self.get_step(step_id)

    @staticmethod
    def _step(session: Session, step_id: int) -> PlanStep:
        step = session.get(PlanStep, step_id)
        if step is None:
            raise NotFoundError(f"There is no plan step with id {step_id}.")
        return step

    # -- calendar --------------------------------------------------------------------------

    def export_ics(self, opportunity_id: int | None = None) -> bytes:
        """Every step (of one opportunity, or all) as iCalendar, stamped with the app clock."""
        if opportunity_id is not None:
            with self._db.session() as session:
                if session.get(Opportunity, opportunity_id) is None:
                    raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
        # icalendar takes a while to import; only exports need it.
        from smarketing_desktop.core.calendar_export import (  # noqa: PLC0415
            CalendarStep,
            plan_calendar,
        )

        events = [
            CalendarStep(
                id=s.id,
                due=s.due,
                channel=s.channel,
                action=s.action,
                status=s.status,
                why=s.why,
                prospect=s.prospect,
                opportunity=s.opportunity,
                content_title=s.content_title,
                content_url=s.content_url,
            )
            for s in self.steps(StepQuery(opportunity_id=opportunity_id))
        ]
        return plan_calendar(events, stamp=clock.now())
