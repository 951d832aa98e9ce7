"""Adding and editing a prospect, with each problem shown right under the field it concerns.

The form validates with the same `validate_prospect` the repository uses, so most mistakes are
caught without a round trip; whatever the repository still rejects comes back as a
`ValidationError` and is shown the same way. The dialog stays open until the save has landed.

The two touch intervals are spin boxes whose lowest value reads "Default (14 days)": leaving
them there keeps the prospect on the settings' cadence, which can change later.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.cadence import Cadence
from smarketing_desktop.core.errors import ValidationError
from smarketing_desktop.core.prospects import (
    LABELS,
    MAX_TOUCH_DAYS,
    Prospect,
    ProspectDraft,
    normalize_tags,
    validate_prospect,
)
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

# Field -> (label with mnemonic, placeholder, tooltip).
_FIELDS: dict[str, tuple[str, str, str]] = {
    "name": ("&Name", "Jane Doe", "Required"),
    "company": ("&Company", "Acme Inc.", "The company they work for"),
    "title": ("&Title", "Head of Operations", "Their job title"),
    "email": ("E&mail", "jane@acme.example", "Their work email address"),
    "x_handle": ("&X handle", "@jane or an x.com profile link", "Their X (Twitter) account"),
    "linkedin_url": (
        "&LinkedIn URL",
        "https://www.linkedin.com/in/jane",
        "A link to their LinkedIn profile",
    ),
    "blog_url": ("&Blog or site URL", "https://jane.example", "Their blog or personal site"),
    "mastodon_handle": (
        "Mast&odon handle",
        "@jane@mastodon.social",
        "Their Mastodon account, as @user@instance",
    ),
    "bluesky_handle": ("Bl&uesky handle", "jane.bsky.social", "Their Bluesky handle"),
    "tags": ("T&ags", "customer, fintech, q3", "Comma-separated labels to filter and group by"),
    "notes": ("N&otes", "", "Anything worth remembering about them"),
    "touch_ideal_days": (
        "&Ideal touch interval",
        "",
        "Touch them at least this often; past it they show amber on Today. "
        "Default follows the setting.",
    ),
    "touch_max_days": (
        "Maximum touch inte&rval",
        "",
        "Never leave them longer than this; past it they show red (going cold). "
        "Default follows the setting.",
    ),
}
assert list(_FIELDS) == [f.name for f in fields(ProspectDraft)], "form out of step with the draft"

DAYS_FIELDS = ("touch_ideal_days", "touch_max_days")
# A spin box at this value means "no own interval": its special-value text says the default.
USE_DEFAULT = 0

Editor = QLineEdit | QPlainTextEdit | QSpinBox


def default_text(days: int | None) -> str:
    return f"Default ({days} days)" if days is not None else "Default"


class ProspectDialog(QDialog):
    """`saved` carries the stored `Prospect` once the repository has accepted it."""

    saved = Signal(object)

    def __init__(
        self,
        repo: ProspectRepository,
        runner: TaskRunner,
        *,
        prospect: Prospect | None = None,
        companies: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._runner = runner
        self._prospect = prospect
        self._saving = False
        self._defaults: Cadence | None = prospect.touch_defaults if prospect else None
        self.setWindowTitle(f"Edit {prospect.name}" if prospect else "New prospect")
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, ErrorLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, (label_text, placeholder, tooltip) in _FIELDS.items():
            editor: Editor
            if key == "notes":
                notes = QPlainTextEdit(self)
                notes.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
                notes.setPlaceholderText("Anything worth remembering about them")
                notes.setMinimumHeight(90)
                editor = notes
            elif key in DAYS_FIELDS:
                days = QSpinBox(self)
                days.setRange(USE_DEFAULT, MAX_TOUCH_DAYS)
                days.setSuffix(" days")
                days.setSpecialValueText(default_text(None))
                days.setValue(USE_DEFAULT)
                # Its inner line edit takes the focus, so it needs the name too.
                accessible(days.lineEdit(), LABELS[key])
                editor = days
            else:
                line = QLineEdit(self)
                line.setPlaceholderText(placeholder)
                editor = line
            accessible(editor, LABELS[key], tooltip)
            error = ErrorLabel(self)
            error.setAccessibleName(f"{LABELS[key]} problem")
            label = QLabel(label_text, self)
            label.setBuddy(editor)
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor)
            cell_layout.addWidget(error)
            form.addRow(label, cell)
            self.editors[key] = editor
            self.errors[key] = error

        company = self.editors["company"]
        if companies and isinstance(company, QLineEdit):
            completer = QCompleter(companies, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            company.setCompleter(completer)

        self.form_error = ErrorLabel(self)
        self.form_error.setAccessibleName("Problem saving")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        accessible(self.save_button, "Save prospect", "Check and store this prospect")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without saving")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

        if prospect is not None:
            self.set_draft(prospect.to_draft())
        if self._defaults is not None:
            self._show_defaults(self._defaults)
        else:
            # A new prospect: the settings are read on the database worker, not here.
            self._runner.run_db(
                repo.touch_defaults, self._show_defaults, self._no_defaults, context=self
            )

    # -- reading and writing the form ----------------------------------------------------

    def _show_defaults(self, defaults: Cadence) -> None:
        self._defaults = defaults
        for key, days in zip(DAYS_FIELDS, (defaults.ideal_days, defaults.max_days), strict=True):
            editor = self.editors[key]
            assert isinstance(editor, QSpinBox)
            editor.setSpecialValueText(default_text(days))

    def _no_defaults(self, exc: Exception) -> None:
        # The spin boxes still say "Default"; the repository checks against the real values.
        self._runner.report_error(exc)

    @property
    def defaults(self) -> Cadence | None:
        """The settings' cadence once known (shown in the spin boxes' "Default (N days)")."""
        return self._defaults

    def set_draft(self, draft: ProspectDraft) -> None:
        for key, editor in self.editors.items():
            value = getattr(draft, key)
            if isinstance(editor, QSpinBox):
                editor.setValue(USE_DEFAULT if value is None else int(value))
                continue
            text = ", ".join(value) if key == "tags" else (value or "")
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(text)
            else:
                editor.setText(text)

    def draft(self) -> ProspectDraft:
        def text(key: str) -> str:
            editor = self.editors[key]
            if isinstance(editor, QPlainTextEdit):
                return editor.toPlainText()
            return editor.text()

        def days(key: str) -> int | None:
            editor = self.editors[key]
            assert isinstance(editor, QSpinBox)
            return None if editor.value() == USE_DEFAULT else editor.value()

        def optional(key: str) -> str | None:
            return text(key).strip() or None

        return ProspectDraft(
            name=text("name"),
            company=optional("company"),
            title=optional("title"),
            email=optional("email"),
            x_handle=optional("x_handle"),
            linkedin_url=optional("linkedin_url"),
            blog_url=optional("blog_url"),
            mastodon_handle=optional("mastodon_handle"),
            bluesky_handle=optional("bluesky_handle"),
            tags=normalize_tags(text("tags")),
            notes=optional("notes"),
            touch_ideal_days=days("touch_ideal_days"),
            touch_max_days=days("touch_max_days"),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """One message under each bad field, also announced via the field's description."""
        first: Editor | None = None
        for key, editor in self.editors.items():
            message = errors.get(key, "")
            text = f"{LABELS[key]} {message}" if message else ""
            self.errors[key].show_message(text)
            editor.setAccessibleDescription(text)
            if message and first is None:
                first = editor
        unplaced = [f"{LABELS.get(k, k)} {m}" for k, m in errors.items() if k not in self.editors]
        self.form_error.show_message("; ".join(unplaced))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_text(self, field: str) -> str:
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""

    # -- saving --------------------------------------------------------------------------

    @property
    def is_saving(self) -> bool:
        return self._saving

    def save(self) -> None:
        if self._saving:
            return
        checked = validate_prospect(self.draft(), self._defaults)
        self.show_errors(checked.errors)
        if not checked.ok:
            return
        draft = checked.draft
        self._set_saving(True)
        prospect = self._prospect
        if prospect is None:
            self._runner.run_db(lambda: self._repo.add(draft), self._saved, self._failed)
        else:
            prospect_id = prospect.id
            self._runner.run_db(
                lambda: self._repo.update(prospect_id, draft), self._saved, self._failed
            )

    def reject(self) -> None:
        # Closing while a save is in flight would lose track of whether it landed.
        if not self._saving:
            super().reject()

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText("Saving…" if saving else "&Save")

    def _saved(self, prospect: Prospect) -> None:
        self._set_saving(False)
        emit(self.saved, prospect)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        else:
            self.form_error.show_message(describe_error(exc))
            self._runner.report_error(exc)
