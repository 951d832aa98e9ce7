"""The settings area: a form generated from the SETTINGS declarations, plus the X account panel.

Every field is built from its `SettingSpec` (whole numbers get a spin box with the declared
limits, switches a check box, fixed choices a combo box, anything else a line edit), so a new
declaration shows up here without touching this file. A value is saved when its field loses
focus or on Enter, through `SettingsRepository.set_text` on the database worker; whatever the
repository refuses is shown right under the field and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.settings import SETTINGS, SettingError, SettingSpec
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error
from smarketing_desktop.ui.theme import muted
from smarketing_desktop.ui.x_account_panel import XAccountPanel

# Group title -> key prefixes (or exact keys) it holds, in display order.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Feeds", ("refresh_",)),
    ("Calendar and plans", ("fiscal_", "working_days", "holiday_country", "plan_lead_days")),
    ("Staying in touch", ("touch_",)),
    ("Share queue", ("slots_", "mastodon_instance")),
    ("Profile", ("profile_",)),
    ("X", ("x_",)),
)
OTHER_GROUP = "Other"

Editor = QSpinBox | QCheckBox | QComboBox | QLineEdit


def group_for(key: str) -> str:
    for title, prefixes in GROUPS:
        if any(key.startswith(prefix) for prefix in prefixes):
            return title
    return OTHER_GROUP


def grouped_settings() -> dict[str, list[SettingSpec]]:
    """Every declared setting under its group title, groups in display order, Other last."""
    groups: dict[str, list[SettingSpec]] = {title: [] for title, _ in GROUPS}
    groups[OTHER_GROUP] = []
    for spec in SETTINGS.values():
        groups[group_for(spec.key)].append(spec)
    return {title: specs for title, specs in groups.items() if specs}


def title_for(key: str) -> str:
    return SETTINGS[key].title


def text_of(spec: SettingSpec, value: Any) -> str:
    """The value as `SettingSpec.parse` reads it back."""
    if spec.kind == "bool":
        return "true" if value else "false"
    return str(value)


class SettingField(QWidget):
    """One setting: its editor, a reset button, help text and the error label under it.

    `save_requested(key, text)` and `reset_requested(key)` are handled by the view.
    """

    save_requested = Signal(str, str)
    reset_requested = Signal(str)

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._saved_text: str | None = None
        self.setObjectName(f"setting-{spec.key}")
        title = title_for(spec.key)
        tooltip = f"{spec.description}\nAllowed: {spec.allowed()}."
        self.editor: Editor = self._make_editor(spec)
        accessible(self.editor, title, tooltip, spec.description)
        self.editor.setObjectName(f"setting-editor-{spec.key}")

        self.reset_button = accessible(
            QPushButton("Reset to default"),
            f"Reset {title} to default",
            f"Set {title} back to {text_of(spec, spec.default) or '(empty)'}",
        )
        self.reset_button.clicked.connect(lambda: emit(self.reset_requested, spec.key))

        self.help = QLabel(f"{spec.description} Allowed: {spec.allowed()}.")
        self.help.setWordWrap(True)
        muted(self.help)
        self.error = ErrorLabel(self)
        self.error.setObjectName(f"setting-error-{spec.key}")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.editor, 1)
        row.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.help)

    # -- building ------------------------------------------------------------------------

    def _make_editor(self, spec: SettingSpec) -> Editor:
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(
                spec.minimum if spec.minimum is not None else -(2**31),
                spec.maximum if spec.maximum is not None else 2**31 - 1,
            )
            spin.setKeyboardTracking(False)
            spin.editingFinished.connect(self._request_save)
            return spin
        if spec.kind == "bool":
            check = QCheckBox(title_for(spec.key))
            check.toggled.connect(self._request_save)
            return check
        if spec.choices:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.activated.connect(self._request_save)
            return combo
        line = QLineEdit()
        line.setPlaceholderText(spec.allowed())
        line.setClearButtonEnabled(True)
        line.editingFinished.connect(self._request_save)
        return line

    # -- value ---------------------------------------------------------------------------

    def text(self) -> str:
        editor = self.editor
        if isinstance(editor, QSpinBox):
            return str(editor.value())
        if isinstance(editor, QCheckBox):
            return "true" if editor.isChecked() else "false"
        if isinstance(editor, QComboBox):
            return editor.currentText()
        return editor.text()

    def show_value(self, value: Any) -> None:
        """Show a stored value without treating it as an edit."""
        editor = self.editor
        editor.blockSignals(True)
        try:
            if isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentText(str(value))
            else:
                editor.setText(str(value))
        finally:
            editor.blockSignals(False)
        self._saved_text = self.text()
        self.error.clear_message()

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def _request_save(self, *_: object) -> None:
        text = self.text()
        if text == self._saved_text and not self.error.text():
            return  # focus left without a change (or Enter then focus-out)
        self._saved_text = text
        emit(self.save_requested, self.spec.key, text)


class SettingsView(QWidget):
    """The Settings area. `notice` carries status-bar messages; `changed(key)` follows each save
    or reset (the key of the setting, so the window can re-read what depends on it).

    `store` is where X credentials go (the system keyring by default).
    """

    notice = Signal(str)
    changed = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        store: SecretStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._repo = SettingsRepository(db)
        self.fields: dict[str, SettingField] = {}
        self.setObjectName("settings-view")

        content = QWidget()
        column = QVBoxLayout(content)
        heading = QLabel("<h2>Settings</h2>")
        column.addWidget(heading)

        self.x_panel = XAccountPanel(db, runner, store=store or SecretStore())
        self.x_panel.notice.connect(self.notice)

        for title, specs in grouped_settings().items():
            box = QGroupBox(title)
            box.setObjectName(f"settings-group-{title}")
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for spec in specs:
                field = SettingField(spec)
                field.save_requested.connect(self._save)
                field.reset_requested.connect(self._reset)
                self.fields[spec.key] = field
                label = QLabel(title_for(spec.key))
                label.setBuddy(field.editor)
                label.setToolTip(spec.description)
                form.addRow(label, field)
            column.addWidget(box)
            if title == "X":
                column.addWidget(self.x_panel)
        if self.x_panel.parent() is None:
            column.addWidget(self.x_panel)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        accessible(scroll, "Settings")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read every setting (and the X status) from the database."""
        self._runner.run_db(self._repo.all, self._show_all, context=self)
        self.x_panel.refresh()

    def _show_all(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            field = self.fields.get(key)
            if field is not None:
                field.show_value(value)

    def _save(self, key: str, text: str) -> None:
        repo = self._repo

        def work() -> Any:
            return repo.set_text(key, text)

        self._runner.run_db(
            work,
            lambda value: self._saved(key, value, "Saved"),
            self._failed(key),
            context=self,
        )

    def _reset(self, key: str) -> None:
        repo = self._repo

        def work() -> Any:
            return repo.reset(key)

        self._runner.run_db(
            work,
            lambda value: self._saved(key, value, "Reset to default"),
            self._failed(key),
            context=self,
        )

    def _saved(self, key: str, value: Any, message: str) -> None:
        self.fields[key].show_value(value)
        emit(self.changed, key)
        emit(self.notice, f"{message}: {title_for(key)}" if message != "Saved" else "Saved")
        if key.startswith("x_"):
            self.x_panel.refresh()

    def _failed(self, key: str) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            if isinstance(exc, SettingError):
                self.fields[key].show_error(str(exc))
            else:
                self.fields[key].show_error(describe_error(exc))
                self._runner.report_error(exc)

        return failed
