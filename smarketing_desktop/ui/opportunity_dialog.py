"""Adding and editing an opportunity, each problem shown right under the field it concerns.

The form checks with the same rules the repository applies (`check_name`, `parse_amount`, the
stage's length), so a typo is caught before anything is stored; what the repository still
refuses comes back as a message under the form. Under the close date it says which quarter the
deal falls in and how much runway that leaves, because that is what the plan is built on. A new
opportunity can be planned straight away: the dialog only asks, the Plan area does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.planning import OPPORTUNITY_STATUSES, check_name, parse_amount
from smarketing_desktop.db.repositories.opportunities import (
    MAX_STAGE,
    Opportunity,
    OpportunityChanges,
    OpportunityDraft,
    OpportunityRepository,
    Replanned,
)
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.add_feed_dialog import ProspectPicker
from smarketing_desktop.ui.form_dialog import FormDialog, buddy_label
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.plan_model import FormChoices, format_amount, long_date
from smarketing_desktop.ui.tasks import TaskRunner

CHOOSE_PROSPECT = "Choose a prospect…"
STAGES = ("", "Discovery", "Qualified", "Proposal", "Negotiation", "Commit")
# Past a plan's default 180-day lead: a new deal's plan starts on time unless the rep says
# the deal closes sooner.
DEFAULT_CLOSE_DAYS = 194

LABELS = {
    "prospect": "Prospect",
    "name": "Name",
    "amount": "Amount",
    "close_date": "Expected close date",
    "stage": "Stage",
    "status": "Status",
}


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


@dataclass(frozen=True)
class OpportunitySaved:
    """What a save did, for the Plan area to report and follow up on."""

    opportunity: Opportunity
    added: bool
    changed: bool = True
    replanned: Replanned | None = None
    plan_now: bool = False
    playbook_id: str | None = None


def amount_problem(text: str) -> str:
    """The amount rule, worded for the field ("" when fine; an empty amount is fine)."""
    if not text.strip():
        return ""
    try:
        parse_amount(text)
    except UserError as exc:
        return str(exc)
    return ""


class OpportunityDialog(FormDialog):
    """`saved` carries an `OpportunitySaved` once the repository has accepted the change."""

    saved = Signal(object)
    grows_for_messages = True

    def __init__(
        self,
        repo: OpportunityRepository,
        runner: TaskRunner,
        *,
        opportunity: Opportunity | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            title=f"Edit {opportunity.name}" if opportunity else "New opportunity",
            parent=parent,
        )
        self._repo = repo
        self._opportunity = opportunity
        self._choices: FormChoices | None = None

        self.prospect = ProspectPicker(
            LABELS["prospect"],
            "The buyer this deal is with; the plan engages them",
            CHOOSE_PROSPECT,
            parent=self,
        )
        self.name = accessible(
            QLineEdit(self), LABELS["name"], "Required: what the deal is, e.g. Warehouse move"
        )
        self.name.setPlaceholderText("Warehouse move")
        self.amount = accessible(
            QLineEdit(self), LABELS["amount"], "Optional: the deal's value, like 50000 or 12500.50"
        )
        self.amount.setPlaceholderText("50000")
        self.close_date = accessible(
            QDateEdit(self),
            LABELS["close_date"],
            "When you expect to close; the plan works back from the end of its quarter "
            "(Alt+Down opens a calendar)",
        )
        self.close_date.setCalendarPopup(True)
        self.close_date.setDisplayFormat("ddd d MMM yyyy")
        self.close_hint = QLabel(self)
        self.close_hint.setWordWrap(True)
        self.close_hint.setAccessibleName("Quarter of the close date")
        self.stage = accessible(
            QComboBox(self), LABELS["stage"], "Optional: where the deal stands, in your own words"
        )
        self.stage.setEditable(True)
        self.stage.addItems(list(STAGES))
        self.stage.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        stage_edit = self.stage.lineEdit()
        if stage_edit is not None:
            stage_edit.setPlaceholderText("Discovery, Proposal…")
            stage_edit.setMaxLength(MAX_STAGE + 20)  # room to type, then the rule explains
        self.status = accessible(
            QComboBox(self), LABELS["status"], "Open deals are planned; won and lost ones are not"
        )
        for status in OPPORTUNITY_STATUSES:
            self.status.addItem(status.capitalize(), status)

        fields: dict[str, tuple[str, QWidget]] = {
            "prospect": ("&Prospect", self.prospect),
            "name": ("&Name", self.name),
            "amount": ("&Amount", self.amount),
            "close_date": ("Expected &close date", self.close_date),
            "stage": ("Sta&ge", self.stage),
            "status": ("S&tatus", self.status),
        }
        if opportunity is None:
            del fields["status"]  # a new deal is open
            self.status.setVisible(False)
        for key, (label_text, editor) in fields.items():
            hint = (self.close_hint,) if key == "close_date" else ()
            self.add_field(key, label_text, editor, name=LABELS[key], contents=(editor, *hint))

        # Planning straight away (new opportunities only).
        self.plan_now = accessible(
            QCheckBox("P&lan engagement steps when saved", self),
            "Plan engagement steps when saved",
            "Lay the playbook's steps out before the quarter ends, starting today at the earliest",
        )
        self.plan_now.setChecked(True)
        self.playbook = accessible(
            QComboBox(self), "Playbook", "The playbook whose steps the plan follows"
        )
        self.playbook_label = buddy_label("Play&book", self.playbook, self)
        self.plan_now.toggled.connect(self.playbook.setEnabled)
        self._playbook_row = -1
        if opportunity is None:
            self.form.addRow(self.plan_now)
            self.form.addRow(self.playbook_label, self.playbook)
            self._playbook_row = self.form.rowCount() - 1
        else:
            self.plan_now.setVisible(False)
            self.playbook.setVisible(False)
            self.playbook_label.setVisible(False)
        self._set_playbook_visible(False)

        self.save_button = self.add_buttons(
            self.save,
            accept_name="Save opportunity",
            accept_tip="Check and store this opportunity",
        )
        self.lay_out()
        self.setMinimumWidth(520)

        self.close_date.dateChanged.connect(lambda _day: self._update_close_hint())
        if opportunity is None:
            self.close_date.setDate(to_qdate(clock.today() + timedelta(days=DEFAULT_CLOSE_DAYS)))
        else:
            self._fill(opportunity)
        self._update_close_hint()

    # -- choices arriving from the database --------------------------------------------------

    def set_choices(self, choices: FormChoices) -> None:
        """Prospects, fiscal calendar and playbooks, loaded in the background."""
        self._choices = choices
        selected = self._opportunity.prospect_id if self._opportunity else None
        self.prospect.set_choices(list(choices.prospects), selected)
        if self._opportunity is not None:
            self.prospect.setEnabled(False)  # a deal stays with its buyer
            self.prospect.setToolTip("An opportunity stays with the prospect it was added for")
        self.playbook.clear()
        for choice in choices.playbooks:
            self.playbook.addItem(choice.name, choice.id)
        self._set_playbook_visible(self._opportunity is None and len(choices.playbooks) > 1)
        self._update_close_hint()

    def select_prospect(self, prospect_id: int | None) -> None:
        self.prospect.select(prospect_id)

    # -- reading the form --------------------------------------------------------------------

    def close_day(self) -> date:
        return from_qdate(self.close_date.date())

    def stage_text(self) -> str:
        return " ".join(self.stage.currentText().split())

    def validate(self) -> dict[str, str]:
        """Field -> problem, by the repository's own rules (empty when all is well)."""
        errors: dict[str, str] = {}
        if self._opportunity is None and self.prospect.prospect_id() is None:
            errors["prospect"] = "Choose the prospect this deal is with."
        try:
            check_name(self.name.text())
        except UserError as exc:
            errors["name"] = str(exc)
        problem = amount_problem(self.amount.text())
        if problem:
            errors["amount"] = problem
        elif (
            self._opportunity is not None
            and self._opportunity.amount is not None
            and not self.amount.text().strip()
        ):
            errors["amount"] = "An amount cannot be removed; give 0 if the value is unknown."
        if len(self.stage_text()) > MAX_STAGE:
            errors["stage"] = f"Stage is longer than {MAX_STAGE} characters."
        return errors

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.is_busy:
            return
        errors = self.validate()
        self.show_errors(errors)
        if errors:
            return
        opportunity = self._opportunity
        if opportunity is None:
            self._add()
            return
        changes = self._changes(opportunity)
        if changes.is_empty():
            self.finish(self.saved, OpportunitySaved(opportunity, added=False, changed=False))
            return
        opportunity_id = opportunity.id
        self.run(
            lambda: self._repo.update(opportunity_id, changes),
            lambda update: self.finish(
                self.saved,
                OpportunitySaved(update.opportunity, added=False, replanned=update.replanned),
            ),
        )

    def field_problems(self, exc: Exception) -> dict[str, str] | None:
        """A new deal's prospect may have been removed meanwhile: that is the prospect's row."""
        if isinstance(exc, NotFoundError) and self._opportunity is None:
            return {"prospect": str(exc)}
        return super().field_problems(exc)

    # -- internals ---------------------------------------------------------------------------

    def _fill(self, opportunity: Opportunity) -> None:
        self.name.setText(opportunity.name)
        self.amount.setText(format_amount(opportunity.amount).replace(",", ""))
        self.close_date.setDate(to_qdate(opportunity.close_date))
        self.stage.setCurrentText(opportunity.stage or "")
        self.status.setCurrentIndex(max(self.status.findData(opportunity.status), 0))

    def _add(self) -> None:
        prospect_id = self.prospect.prospect_id()
        assert prospect_id is not None  # validated
        amount = self.amount.text().strip() or None
        draft = OpportunityDraft(
            prospect_id=prospect_id,
            name=self.name.text(),
            close_date=self.close_day(),
            amount=amount,
            stage=self.stage_text() or None,
        )
        plan_now = self.plan_now.isChecked()
        playbook = self.playbook.currentData() if self.playbook.count() > 1 else None
        playbook_id = playbook if isinstance(playbook, str) else None
        self.run(
            lambda: self._repo.add(draft),
            lambda added: self.finish(
                self.saved,
                OpportunitySaved(added, added=True, plan_now=plan_now, playbook_id=playbook_id),
            ),
        )

    def _changes(self, opportunity: Opportunity) -> OpportunityChanges:
        name = check_name(self.name.text())
        amount_text = self.amount.text().strip()
        amount: Decimal | None = parse_amount(amount_text) if amount_text else None
        stage = self.stage_text()
        status = self.status.currentData()
        return OpportunityChanges(
            name=name if name != opportunity.name else None,
            amount=amount if amount is not None and amount != opportunity.amount else None,
            close_date=self.close_day() if self.close_day() != opportunity.close_date else None,
            stage=stage if stage != (opportunity.stage or "") else None,
            status=status if isinstance(status, str) and status != opportunity.status else None,
        )

    def _set_playbook_visible(self, visible: bool) -> None:
        """The playbook row only when there is a choice to make."""
        if self._playbook_row >= 0:
            self.form.setRowVisible(self._playbook_row, visible)

    def _update_close_hint(self) -> None:
        choices = self._choices
        if choices is None:
            self.close_hint.setText("")
            self.close_hint.setVisible(False)
            return
        today = clock.today()
        quarter = choices.fiscal.quarter_of(self.close_day())
        days = quarter.days_left(today)
        if days < 0:
            text = (
                f"In {quarter.label}, which ended on {long_date(quarter.end)}: "
                "there is no time left to plan for it."
            )
        else:
            text = (
                f"In {quarter.label}, which ends on {long_date(quarter.end)}, "
                f"{plural(days, 'day')} from today."
            )
            if days < choices.lead_days:
                text += (
                    f" A plan is built for {choices.lead_days} days, so this one starts late "
                    "and its steps come closer together."
                )
        self.close_hint.setText(text)
        self.close_hint.setVisible(True)
        self._fit_height()
