"""What the Plan area shows, prepared off the UI thread: opportunities, a plan grouped by week,
and the warnings worth a banner. Also the list model for opportunities and the few words every
Plan widget uses for statuses, channels, amounts and days.

Loading functions (`load_*`) run on the database worker; the rest is plain formatting, so the
view, the timeline and the tests word everything the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from smarketing_desktop.core.fiscal import FiscalCalendar
from smarketing_desktop.core.planning import PENDING, PlanWarning, scaled_offset
from smarketing_desktop.core.playbooks import Playbook
from smarketing_desktop.db.repositories.opportunities import Opportunity, OpportunityRepository
from smarketing_desktop.db.repositories.plans import (
    PlanRepository,
    PlanSettings,
    PlanStepInfo,
    StepQuery,
)
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.add_feed_dialog import ProspectChoice, load_prospect_choices
from smarketing_desktop.ui.formatting import plural

# A first step this much later than its playbook date means the plan was laid out late (the
# working-day rounding of an on-time plan moves a step by three days at most).
LATE_TOLERANCE_DAYS = 7

STATUS_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("Open", "open"),
    ("Won", "won"),
    ("Lost", "lost"),
    ("All", None),
)

NO_OPPORTUNITIES = (
    "No opportunities yet. Add the deals you need to close this quarter and the app plans how "
    "to engage their buyers months ahead."
)


# A dragged plan step, between the step list and the timeline: "<id> <due date>". Its own
# type, so text dragged in from elsewhere is never taken for a step.
STEP_MIME_TYPE = "application/x-smarketing-plan-step"


def step_mime_data(step_id: int, due: date) -> QMimeData:
    """What a dragged step carries: enough to say where it would land without a lookup."""
    mime = QMimeData()
    mime.setData(STEP_MIME_TYPE, QByteArray(f"{step_id} {due.isoformat()}".encode("ascii")))
    return mime


def step_from_mime(mime: QMimeData | None) -> tuple[int, date] | None:
    """(step id, its due date) from a drag, or None when the drag is not a plan step."""
    if mime is None or not mime.hasFormat(STEP_MIME_TYPE):
        return None
    raw = mime.data(STEP_MIME_TYPE).data()
    try:
        step_id, due = bytes(raw).decode("ascii").split()
        return int(step_id), date.fromisoformat(due)
    except ValueError:
        return None


# -- words -----------------------------------------------------------------------------------


def step_status(step: PlanStepInfo, today: date) -> str:
    """The status as the rep reads it: a planned step is also overdue, or due today."""
    if step.status == PENDING:
        if step.due < today:
            return "Overdue"
        if step.due == today:
            return "Due today"
        return "Planned"
    return step.status.capitalize()


def format_amount(amount: Decimal | None) -> str:
    """50,000 or 12,500.50: no currency, because the workspace does not know one."""
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def medium_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def long_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def days_left_text(opportunity: Opportunity) -> str:
    """Days left in the opportunity's quarter; closed deals say how they ended instead."""
    if opportunity.status != "open":
        return opportunity.status.capitalize()
    days = opportunity.days_left
    if days > 0:
        return plural(days, "day")
    if days == 0:
        return "Ends today"
    return "Ended"


def quarter_text(opportunity: Opportunity) -> str:
    """ "FY2027Q1 · 121 days left": the quarter and its runway, in one short phrase."""
    label = opportunity.quarter.label
    if opportunity.status != "open":
        return f"{label} · {opportunity.status}"
    days = opportunity.days_left
    if days > 0:
        return f"{label} · {plural(days, 'day')} left"
    return f"{label} · {'ends today' if days == 0 else 'over'}"


def prospect_text(opportunity: Opportunity) -> str:
    who = opportunity.prospect or "No prospect"
    return f"{who} ({opportunity.company})" if opportunity.company else who


def opportunity_summary(opportunity: Opportunity) -> str:
    """One line under the opportunity's name in the plan pane."""
    quarter = opportunity.quarter
    parts = [
        prospect_text(opportunity),
        f"closes {medium_date(opportunity.close_date)}",
        f"{quarter.label} ends {medium_date(quarter.end)}",
    ]
    if opportunity.status == "open":
        days = opportunity.days_left
        parts.append(
            f"{plural(days, 'day')} left" if days >= 0 else "the quarter is over",
        )
    else:
        parts.append(opportunity.status)
    if opportunity.amount is not None:
        parts.append(format_amount(opportunity.amount))
    if opportunity.stage:
        parts.append(opportunity.stage)
    return " · ".join(parts)


def week_of(day: date) -> date:
    """The Monday starting `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_label(monday: date, today: date) -> str:
    """ "Week of 7 Dec", with the year when it is not this year's, and "this week"."""
    text = f"Week of {monday.day} {monday:%b}"
    if monday.year != today.year:
        text += f" {monday.year}"
    if monday == week_of(today):
        text += " (this week)"
    return text


@dataclass(frozen=True)
class WeekGroup:
    monday: date
    steps: tuple[PlanStepInfo, ...]


def group_by_week(steps: Sequence[PlanStepInfo]) -> list[WeekGroup]:
    """Steps by the week they are due, weeks in order, steps in plan order within a week."""
    weeks: dict[date, list[PlanStepInfo]] = {}
    for step in sorted(steps, key=lambda s: (s.due, s.position, s.id)):
        weeks.setdefault(week_of(step.due), []).append(step)
    return [WeekGroup(monday, tuple(found)) for monday, found in sorted(weeks.items())]


def sort_steps(steps: Sequence[PlanStepInfo]) -> tuple[PlanStepInfo, ...]:
    """The order the repository returns steps in, kept after a step changes in place."""
    return tuple(sorted(steps, key=lambda s: (s.due, s.position, s.id)))


def plan_counts(steps: Sequence[PlanStepInfo]) -> str:
    """ "16 steps: 3 done, 1 skipped, 12 to do" (or "16 steps to do") for headings and screen
    readers."""
    done = sum(1 for s in steps if s.status == "done")
    skipped = sum(1 for s in steps if s.status == "skipped")
    pending = len(steps) - done - skipped
    if not done and not skipped:
        return f"{plural(pending, 'step')} to do"
    parts = [f"{done} done"] if done else []
    if skipped:
        parts.append(f"{skipped} skipped")
    parts.append(f"{pending} to do")
    return f"{plural(len(steps), 'step')}: {', '.join(parts)}"


# -- loading (database worker) ---------------------------------------------------------------


@dataclass(frozen=True)
class OpportunityList:
    shown: tuple[Opportunity, ...]
    total: int  # every opportunity, whatever the filter: tells "none yet" from "none here"


def load_opportunities(repo: OpportunityRepository, status: str | None) -> OpportunityList:
    shown = repo.find(status=status)
    total = len(shown) if status is None else len(repo.find())
    return OpportunityList(tuple(shown), total)


@dataclass(frozen=True)
class PlaybookChoice:
    id: str
    name: str


@dataclass(frozen=True)
class FormChoices:
    """What the opportunity form offers and checks against, read once when it opens."""

    prospects: tuple[ProspectChoice, ...]
    fiscal: FiscalCalendar
    lead_days: int
    playbooks: tuple[PlaybookChoice, ...]


def load_playbook_choices(plans: PlanRepository) -> tuple[PlaybookChoice, ...]:
    found = plans.playbooks()
    return tuple(PlaybookChoice(p.id, p.name) for p in sorted(found.values(), key=_default_first))


def _default_first(playbook: Playbook) -> tuple[bool, str]:
    return (playbook.id != "default", playbook.name.casefold())


def load_form_choices(db: Database, plans: PlanRepository) -> FormChoices:
    settings = PlanSettings.load(db)
    return FormChoices(
        tuple(load_prospect_choices(ProspectRepository(db))),
        settings.fiscal,
        settings.lead_days,
        load_playbook_choices(plans),
    )


@dataclass(frozen=True)
class PlanData:
    """One opportunity's plan as the plan pane shows it."""

    opportunity: Opportunity
    steps: tuple[PlanStepInfo, ...]
    warnings: tuple[PlanWarning, ...]  # what the stored plan itself tells (see plan_warnings)
    lead_days: int

    @property
    def playbook_id(self) -> str | None:
        """The playbook the pending steps (else any step) came from: the one to plan with."""
        pending = [s.playbook_id for s in self.steps if s.status == PENDING and s.playbook_id]
        if pending:
            return pending[0]
        return next((s.playbook_id for s in self.steps if s.playbook_id), None)

    def step(self, step_id: int) -> PlanStepInfo | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def with_step(self, step: PlanStepInfo) -> PlanData:
        """This plan with one step replaced by its stored state after a change."""
        steps = [step if s.id == step.id else s for s in self.steps]
        return PlanData(self.opportunity, sort_steps(steps), self.warnings, self.lead_days)


def quarter_over_warning(opportunity: Opportunity) -> PlanWarning | None:
    if opportunity.status != "open" or opportunity.days_left >= 0:
        return None
    return PlanWarning(
        "quarter_over",
        f"{opportunity.quarter.label} ended on {long_date(opportunity.quarter.end)}, so there is "
        "no time left to plan for it. Edit the opportunity and move its close date to a later "
        "quarter to plan again.",
    )


def late_start_warning(
    steps: Sequence[PlanStepInfo],
    *,
    quarter_end: date,
    lead_days: int,
    offset_of: Callable[[str, str], int | None],
) -> PlanWarning | None:
    """A stored plan that was laid out late, told from its first step: that step is due well
    after the day the playbook puts it on (generating only warns once, and the rep may come
    back to the plan any day later)."""
    known = [
        (s, offset)
        for s in steps
        if s.playbook_id
        and s.step_key
        and (offset := offset_of(s.playbook_id, s.step_key)) is not None
    ]
    if not known:
        return None
    first, offset = min(known, key=lambda pair: (pair[0].position, pair[0].id))
    ideal = quarter_end + timedelta(days=scaled_offset(offset, lead_days))
    late_by = (first.due - ideal).days
    if late_by <= LATE_TOLERANCE_DAYS:
        return None
    return PlanWarning(
        "late_start",
        f"This plan starts late: its first step is due on {long_date(first.due)}, "
        f"{plural(late_by, 'day')} after a {lead_days}-day plan would start it, so its steps "
        "come closer together. Trust takes time to build; a plan started earlier next quarter "
        "works better.",
    )


def load_plan(db: Database, plans: PlanRepository, opportunity_id: int) -> PlanData:
    opportunity = OpportunityRepository(db).get(opportunity_id)
    steps = tuple(plans.steps(StepQuery(opportunity_id=opportunity_id)))
    settings = PlanSettings.load(db)
    warnings: list[PlanWarning] = []
    over = quarter_over_warning(opportunity)
    if over is not None:
        warnings.append(over)
    elif steps and opportunity.status == "open":
        playbooks = plans.playbooks()

        def offset_of(playbook_id: str, step_key: str) -> int | None:
            playbook = playbooks.get(playbook_id)
            found = (
                next((s for s in playbook.steps if s.id == step_key), None) if playbook else None
            )
            return found.offset_days if found is not None else None

        late = late_start_warning(
            steps,
            quarter_end=opportunity.quarter.end,
            lead_days=settings.lead_days,
            offset_of=offset_of,
        )
        if late is not None:
            warnings.append(late)
    return PlanData(opportunity, steps, tuple(warnings), settings.lead_days)


# -- the opportunity list ----------------------------------------------------------------------

NAME_COLUMN, PROSPECT_COLUMN, QUARTER_COLUMN, LEFT_COLUMN, AMOUNT_COLUMN = range(5)
OPPORTUNITY_ROLE = Qt.ItemDataRole.UserRole + 1
_HEADERS = ("Opportunity", "Prospect", "Quarter", "Left", "Amount")
_RIGHT_ALIGNED = (LEFT_COLUMN, AMOUNT_COLUMN)


class OpportunityTableModel(QAbstractTableModel):
    """Opportunities as rows, soonest close first (as the repository returns them)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Opportunity] = []

    def set_opportunities(self, opportunities: Sequence[Opportunity]) -> None:
        self.beginResetModel()
        self._rows = list(opportunities)
        self.endResetModel()

    def opportunity_at(self, row: int) -> Opportunity | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, opportunity_id: int) -> int | None:
        return next((i for i, o in enumerate(self._rows) if o.id == opportunity_id), None)

    def opportunities(self) -> list[Opportunity]:
        return list(self._rows)

    # -- Qt --------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section == LEFT_COLUMN:
                return "Days left until the end of the opportunity's quarter"
            if section == QUARTER_COLUMN:
                return "The fiscal quarter the expected close date falls in"
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.TextAlignmentRole
            and section in _RIGHT_ALIGNED
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        opportunity = self.opportunity_at(index.row()) if index.isValid() else None
        if opportunity is None:
            return None
        column = index.column()
        if role == OPPORTUNITY_ROLE:
            return opportunity
        if role == Qt.ItemDataRole.AccessibleTextRole and column == NAME_COLUMN:
            # The list shows the whole row in one cell: a screen reader hears all of it.
            parts = [opportunity.name, prospect_text(opportunity), quarter_text(opportunity)]
            if opportunity.amount is not None:
                parts.append(f"amount {format_amount(opportunity.amount)}")
            return ", ".join(parts)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(opportunity, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{opportunity.name}\n{opportunity_summary(opportunity)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _text(opportunity: Opportunity, column: int) -> str:
        if column == NAME_COLUMN:
            return opportunity.name
        if column == PROSPECT_COLUMN:
            return prospect_text(opportunity)
        if column == QUARTER_COLUMN:
            return opportunity.quarter.label
        if column == LEFT_COLUMN:
            return days_left_text(opportunity)
        return format_amount(opportunity.amount)
