"""The one CSV import dialog: pick a file, preview every row, then commit.

Prospects and content import the same way; subclasses say how a file becomes a plan, how a plan
is stored and what the report says. Nothing is stored until the user has seen which rows will
come in and why the others will not, with the file's own line numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.csv_rows import CsvFormatError
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

NO_FILE = "No file chosen yet."


class CsvImportDialog(QDialog):
    """`imported` carries the report line ("Imported 8 prospects; 2 rows skipped")."""

    imported = Signal(str)

    #: set by subclasses
    title = "Import from CSV"
    intro = ""
    choose_tip = "Pick a CSV file"
    import_name = "Import"
    noun = "row"  # "Importing 3 prospects…"
    button_noun = "row"  # "Import 3 prospects"
    column_widths: tuple[int, ...] = ()
    wrap_rows = False  # grow rows to show long reasons whole

    def __init__(
        self,
        runner: TaskRunner,
        chooser: FileChooser,
        preview: QAbstractItemModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._chooser = chooser
        self._plan: Any = None
        self._busy = False
        self.setWindowTitle(self.title)
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

        self.path_label = QLabel(NO_FILE, self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.choose_button = accessible(
            QPushButton("&Choose file…", self), "Choose CSV file", self.choose_tip
        )
        self.choose_button.clicked.connect(self.choose_file)
        file_label = QLabel("File:", self)
        file_label.setBuddy(self.choose_button)
        file_row = QHBoxLayout()
        file_row.addWidget(file_label)
        file_row.addWidget(self.path_label, 1)
        file_row.addWidget(self.choose_button)

        self.message = ErrorLabel(self)
        self.message.setAccessibleName("Problem with the file")
        self.summary = QLabel("", self)
        self.summary.setAccessibleName("Import summary")

        preview.setParent(self)
        self.preview = preview
        self.table = accessible(
            QTableView(self),
            "Import preview",
            description="Each row of the file, with whether it will be imported or why not",
        )
        self.table.setModel(preview)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(self.wrap_rows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(self.column_widths):
            self.table.setColumnWidth(column, width)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = accessible(
            QPushButton("&Import", self), self.import_name, "Store the rows marked Will import"
        )
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without importing anything")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if self.intro:
            intro = QLabel(self.intro, self)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(860, 520)

    # -- what subclasses decide (plan_file and store run on the database worker) ----------

    def plan_file(self, data: bytes) -> Any:
        raise NotImplementedError

    def plan_summary(self, plan: Any) -> str:
        raise NotImplementedError

    def store(self, plan: Any) -> Any:
        raise NotImplementedError

    def report(self, plan: Any, stored: Any) -> str:
        raise NotImplementedError

    # -- the dialog ----------------------------------------------------------------------

    @property
    def plan(self) -> Any:
        return self._plan

    @property
    def is_busy(self) -> bool:
        return self._busy

    def choose_file(self) -> None:
        path = self._chooser.open_csv(self)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Read, parse and check against what is stored, in the background, then preview."""
        self._set_plan(None)
        self.path_label.setText(str(path))
        self.summary.setText("Reading the file…")
        self._set_busy(True)
        self._runner.run_db(
            lambda: self.plan_file(path.read_bytes()),
            self._show_plan,
            self._plan_failed,
            context=self,
        )

    def run_import(self) -> None:
        plan = self._plan
        if plan is None or not plan.rows or self._busy:
            return
        self._set_busy(True)
        self.summary.setText(f"Importing {plural(len(plan.rows), self.noun)}…")
        self._runner.run_db(
            lambda: self.store(plan),
            lambda stored: self._imported(plan, stored),
            self._import_failed,
            context=self,
        )

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    # -- internals -----------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.choose_button.setEnabled(not busy)
        ready = not busy and self._plan is not None and bool(self._plan.rows)
        self.import_button.setEnabled(ready)

    def _set_plan(self, plan: Any) -> None:
        self._plan = plan
        self.preview.set_plan(plan)  # type: ignore[attr-defined]
        self.message.clear_message()
        if plan is None:
            self.summary.setText("")
            self.import_button.setText("&Import")
            return
        summary = self.plan_summary(plan)
        self.summary.setText(summary if plan.rows else f"Nothing to import: {summary}")
        self.import_button.setText(f"&Import {plural(len(plan.rows), self.button_noun)}")

    def _show_plan(self, plan: Any) -> None:
        self._set_plan(plan)
        if self.wrap_rows:
            self.table.resizeRowsToContents()
        self._set_busy(False)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _plan_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.summary.setText("")
        if isinstance(exc, CsvFormatError):
            self.message.show_message(f"This file cannot be imported. {exc}")
        elif isinstance(exc, OSError):
            self.message.show_message(f"The file cannot be read: {exc.strerror or exc}")
        else:
            self.message.show_message(describe_error(exc))
            self._runner.report_error(exc)

    def _imported(self, plan: Any, stored: Any) -> None:
        self._busy = False
        report = self.report(plan, stored)
        self.summary.setText(report)
        emit(self.imported, report)
        self.accept()

    def _import_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.summary.setText("Nothing was imported.")
        self.message.show_message(describe_error(exc))
        self._runner.report_error(exc)
