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

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
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
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.plan_model import FormChoices, format_amount, long_date
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

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


class OpportunityDialog(QDialog):
    """`saved` carries an `OpportunitySaved` once the repository has accepted the change."""

    saved = Signal(object)

    def __init__(
        self,
        repo: OpportunityRepository,
        runner: TaskRunner,
        *,
        opportunity: Opportunity | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._runner = runner
        self._opportunity = opportunity
        self._choices: FormChoices | None = None
        self._saving = False
        self.setWindowTitle(f"Edit {opportunity.name}" if opportunity else "New opportunity")
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

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

        self.editors: dict[str, QWidget] = {
            "prospect": self.prospect,
            "name": self.name,
            "amount": self.amount,
            "close_date": self.close_date,
            "stage": self.stage,
        }
        mnemonics = {
            "prospect": "&Prospect",
            "name": "&Name",
            "amount": "&Amount",
            "close_date": "Expected &close date",
            "stage": "Sta&ge",
            "status": "S&tatus",
        }
        if opportunity is not None:
            self.editors["status"] = self.status
        else:
            self.status.setVisible(False)
        self.errors: dict[str, ErrorLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, editor in self.editors.items():
            error = ErrorLabel(self)
            error.setAccessibleName(f"{LABELS[key]} problem")
            label = QLabel(mnemonics[key], self)
            label.setBuddy(editor)
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor)
            if key == "close_date":
                cell_layout.addWidget(self.close_hint)
            cell_layout.addWidget(error)
            form.addRow(label, cell)
            self.errors[key] = error

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
        self.playbook_label = QLabel("Play&book", self)
        self.playbook_label.setBuddy(self.playbook)
        self.plan_now.toggled.connect(self.playbook.setEnabled)
        self._form = form
        self._playbook_row = -1
        if opportunity is None:
            form.addRow(self.plan_now)
            form.addRow(self.playbook_label, self.playbook)
            self._playbook_row = form.rowCount() - 1
        else:
            self.plan_now.setVisible(False)
            self.playbook.setVisible(False)
            self.playbook_label.setVisible(False)
        self._set_playbook_visible(False)

        self.form_error = ErrorLabel(self)
        self.form_error.setAccessibleName("Problem saving")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        accessible(self.save_button, "Save opportunity", "Check and store this opportunity")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without saving")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
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

    def show_errors(self, errors: dict[str, str]) -> None:
        """One message under each bad field, also given as the field's accessible description."""
        first: QWidget | None = None
        for key, editor in self.editors.items():
            message = errors.get(key, "")
            self.errors[key].show_message(message)
            editor.setAccessibleDescription(message)
            if message and first is None:
                first = editor
        unplaced = [m for k, m in errors.items() if k not in self.editors]
        self.form_error.show_message("; ".join(unplaced))
        self._fit_height()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_text(self, field: str) -> str:
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""

    # -- saving ------------------------------------------------------------------------------

    @property
    def is_saving(self) -> bool:
        return self._saving

    def save(self) -> None:
        if self._saving:
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
            emit(self.saved, OpportunitySaved(opportunity, added=False, changed=False))
            self.accept()
            return
        opportunity_id = opportunity.id
        self._set_saving(True)
        self._runner.run_db(
            lambda: self._repo.update(opportunity_id, changes),
            lambda update: self._done(
                OpportunitySaved(update.opportunity, added=False, replanned=update.replanned)
            ),
            self._failed,
        )

    def reject(self) -> None:
        # Closing while a save is in flight would lose track of whether it landed.
        if not self._saving:
            super().reject()

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
        self._set_saving(True)
        self._runner.run_db(
            lambda: self._repo.add(draft),
            lambda added: self._done(
                OpportunitySaved(added, added=True, plan_now=plan_now, playbook_id=playbook_id)
            ),
            self._failed,
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
            self._form.setRowVisible(self._playbook_row, visible)

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

    def _fit_height(self) -> None:
        """Grow to fit wrapped hints and messages: a dialog already shown does not by itself,
        and the hint would overlap the fields below it."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
        height = max(wanted, self.sizeHint().height())
        if height > self.height():
            self.resize(self.width(), height)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText("Saving…" if saving else "&Save")

    def _done(self, result: OpportunitySaved) -> None:
        self._set_saving(False)
        emit(self.saved, result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_saving(False)
        if isinstance(exc, NotFoundError) and self._opportunity is None:
            self.show_errors({"prospect": str(exc)})
        elif isinstance(exc, UserError):
            self.form_error.show_message(str(exc))
        else:
            self.form_error.show_message(describe_error(exc))
            self._runner.report_error(exc)
