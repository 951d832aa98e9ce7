"""The form dialogs' shared machinery: labelled fields, problems in place, saving in the background.

Every form (a content item, an opportunity, a feed to add) works the same way for the user: each
field has a name a screen reader announces, each problem appears right under the field it
concerns and is given as that field's accessible description, focus moves to the first bad
field, and the dialog stays open while the save runs so that a refusal costs one edit, not a
new start. Writing that once keeps the dialogs from drifting apart; each subclass only builds
its editors, checks them, says what to run and which field a refusal is about.

Problems are a plain `dict[str, str]` of field key -> message, the shape of
`core.errors.ValidationError.errors`, so Qt-free validation maps straight onto the form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.errors import UserError, ValidationError
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

T = TypeVar("T")

FORM = "form"
"""The key for a problem no field owns: it is shown under the form, above the buttons."""

SAVE_TEXT = "&Save"
SAVING_TEXT = "Saving…"


def busy_bar(parent: QWidget, name: str) -> QProgressBar:
    """A thin, hidden-until-needed bar that moves without a percentage: a page fetch or a feed
    discovery cannot say how far along it is, only that it is still going."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(6)
    bar.setAccessibleName(name)
    bar.setVisible(False)
    return bar


def buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    """A row label whose mnemonic (the `&` letter) moves focus to `buddy`."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def field_cell(parent: QWidget, contents: Sequence[QWidget | QLayout]) -> QWidget:
    """Stacks an editor with what belongs under it (hints, its problem) tightly, so a message
    reads as part of its field rather than as the start of the next row."""
    cell = QWidget(parent)
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for item in contents:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return cell


def accept_cancel_buttons(
    parent: QWidget,
    *,
    accept_text: str | None,
    accept_name: str,
    accept_tip: str,
    cancel_tip: str,
) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel plus the dialog's one action, named for screen readers and the default on Enter.

    Without `accept_text` the action is the standard Save button, so it reads and sits where the
    platform puts Save.
    """
    if accept_text is None:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, parent
        )
        accept = buttons.button(QDialogButtonBox.StandardButton.Save)
    else:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent)
        accept = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    accessible(accept, accept_name, accept_tip)
    accept.setDefault(True)
    accessible(buttons.button(QDialogButtonBox.StandardButton.Cancel), "Cancel", cancel_tip)
    return buttons, accept


class FormDialog(QDialog):
    """A modal form whose problems show in place and whose action runs on the task runner.

    Subclasses build their editors, register each with `add_field`, call `add_buttons` and
    `lay_out`, then start work with `run` and end it with `finish`. While work runs the action
    button is disabled and Cancel does nothing: closing then would lose track of whether the
    save landed.
    """

    message_field = FORM
    """Where a problem that names no field is shown: a refusal (`UserError`) worded for the
    whole form, or a failure that is not the user's to fix (a bug, an outage)."""

    grows_for_messages = False
    """Whether showing problems grows the dialog to fit them (see `_fit_height`). Off by default
    so each dialog keeps the size it had before this base existed; on for those whose messages
    and hints wrap onto several lines."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        title: str,
        accessible_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._busy = False
        self._idle_text = SAVE_TEXT
        self._busy_text = SAVING_TEXT
        self.setWindowTitle(title)
        self.setAccessibleName(accessible_name or title)
        self.setModal(True)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form_error = ErrorLabel(self)
        self.form_error.setAccessibleName("Problem saving")

    # -- building ----------------------------------------------------------------------------

    def add_field(
        self,
        key: str,
        label_text: str,
        editor: QWidget,
        *,
        name: str,
        tooltip: str | None = None,
        contents: Sequence[QWidget | QLayout] = (),
        problem_name: str | None = None,
        name_editor: bool = True,
    ) -> ErrorLabel:
        """A form row: `label_text` (its mnemonic focuses `editor`), then `contents` (by
        default just the editor) with the field's problem label under them.

        `name` is what a screen reader calls the field; the editor is given it (and `tooltip`)
        unless `name_editor` is false, for a row of several controls named one by one.
        """
        if name_editor:
            accessible(editor, name, tooltip)
        error = ErrorLabel(self)
        error.setAccessibleName(problem_name or f"{name} problem")
        cell = field_cell(self, [*(contents or (editor,)), error])
        self.form.addRow(buddy_label(label_text, editor, self), cell)
        self.editors[key] = editor
        self.errors[key] = error
        return error

    def add_buttons(
        self,
        on_accept: Callable[[], object],
        *,
        accept_name: str,
        accept_tip: str,
        cancel_tip: str = "Close without saving",
        accept_text: str | None = None,
        busy_text: str = SAVING_TEXT,
    ) -> QPushButton:
        """The Cancel and action buttons; the action reads `busy_text` while work runs."""
        self.buttons, self.accept_button = accept_cancel_buttons(
            self,
            accept_text=accept_text,
            accept_name=accept_name,
            accept_tip=accept_tip,
            cancel_tip=cancel_tip,
        )
        self._idle_text = accept_text or SAVE_TEXT
        self._busy_text = busy_text
        self.buttons.accepted.connect(on_accept)
        self.buttons.rejected.connect(self.reject)
        return self.accept_button

    def lay_out(self, intro: str = "") -> None:
        """Intro text (if any), the form, the form-wide problem, then the buttons."""
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

    # -- problems ----------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str]) -> None:
        """One message under each bad field (cleared under the others), also given as the
        field's accessible description so a screen reader says it on focus; then focus moves
        to the first bad field. Messages for no field appear under the form."""
        first: QWidget | None = None
        for key, editor in self.editors.items():
            message = errors.get(key, "")
            self.errors[key].show_message(message)
            editor.setAccessibleDescription(message)
            if message and first is None:
                first = editor
        unplaced = [message for key, message in errors.items() if key not in self.editors]
        self.form_error.show_message("; ".join(unplaced))
        if self.grows_for_messages:
            self._fit_height()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_text(self, field: str) -> str:
        """The problem shown under `field`, "" when there is none."""
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""

    def field_problems(self, exc: Exception) -> dict[str, str] | None:
        """Where a refusal is shown, or None for a failure that is not the user's to fix.

        A `ValidationError` names its fields; any other `UserError` goes to `message_field`.
        Subclasses whose repository words its refusals differently map them here.
        """
        if isinstance(exc, ValidationError):
            return dict(exc.errors)
        if isinstance(exc, UserError):
            return {self.message_field: str(exc)}
        return None

    # -- running the work --------------------------------------------------------------------

    @property
    def is_busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        """Disable the action while work runs; subclasses extend this to lock their inputs."""
        self._busy = busy
        self.accept_button.setEnabled(not busy)
        self.accept_button.setText(self._busy_text if busy else self._idle_text)

    def run(
        self, work: Callable[[], T], on_success: Callable[[T], object], *, network: bool = False
    ) -> None:
        """Run `work` in the background (database worker, or the network pool) while busy.

        `on_success` either chains more work with `run` or ends with `finish`; a failure ends
        the busy state and is shown by `field_problems`.
        """
        self.set_busy(True)
        start = self._runner.run_network if network else self._runner.run_db
        start(work, on_success, self._failed, context=self)

    def finish(self, signal: SignalInstance, *args: object) -> None:
        """The work has landed (or there was none to do): say so through `signal` and close."""
        if self._busy:
            self.set_busy(False)
        emit(signal, *args)
        self.accept()

    def reject(self) -> None:
        # Closing while work is in flight would lose track of whether it landed.
        if not self._busy:
            super().reject()

    def _failed(self, exc: Exception) -> None:
        self.set_busy(False)
        problems = self.field_problems(exc)
        if problems is None:
            self.show_errors({self.message_field: describe_error(exc)})
            self._runner.report_error(exc)
        else:
            self.show_errors(problems)

    def _fit_height(self) -> None:
        """Grow to fit wrapped hints and messages: a dialog already shown does not by itself,
        and a message would overlap the fields below it."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
        height = max(wanted, self.sizeHint().height())
        if height > self.height():
            self.resize(self.width(), height)
