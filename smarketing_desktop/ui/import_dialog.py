"""Importing prospects from a CRM's CSV export: pick, preview every row, then commit.

Nothing is stored until the user has seen which rows will come in and why the others will not,
with the file's own line numbers so they can fix the spreadsheet they exported.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
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

from smarketing_desktop.core.prospect_csv import CsvFormatError, parse_prospect_csv
from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.db.repositories.prospects import ImportPlan, ProspectRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.import_preview import ImportPreviewModel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

NO_FILE = "No file chosen yet."


def import_summary(plan: ImportPlan) -> str:
    return f"{len(plan.rows)} will be imported, {len(plan.skipped)} skipped"


def import_report(imported: int, skipped: int) -> str:
    report = f"Imported {plural(imported, 'prospect')}"
    return f"{report}; {plural(skipped, 'row')} skipped" if skipped else report


class ImportDialog(QDialog):
    """`imported` carries the report line ("Imported 8 prospects; 2 rows skipped")."""

    imported = Signal(str)

    def __init__(
        self,
        repo: ProspectRepository,
        runner: TaskRunner,
        chooser: FileChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._runner = runner
        self._chooser = chooser
        self._plan: ImportPlan | None = None
        self._busy = False
        self.setWindowTitle("Import prospects from CSV")
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

        self.path_label = QLabel(NO_FILE, self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.choose_button = accessible(
            QPushButton("&Choose file…", self),
            "Choose CSV file",
            "Pick a CSV export from your CRM or a spreadsheet",
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

        self.preview = ImportPreviewModel(self)
        self.table = accessible(
            QTableView(self),
            "Import preview",
            description="Each row of the file, with whether it will be imported or why not",
        )
        self.table.setModel(self.preview)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((60, 180, 160, 220)):
            self.table.setColumnWidth(column, width)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = accessible(
            QPushButton("&Import", self), "Import prospects", "Store the rows marked Will import"
        )
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without importing anything")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(860, 520)

    @property
    def plan(self) -> ImportPlan | None:
        return self._plan

    @property
    def is_busy(self) -> bool:
        return self._busy

    def choose_file(self) -> None:
        path = self._chooser.open_csv(self)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Read, parse and check against stored emails in the background, then preview."""
        self._set_plan(None)
        self.path_label.setText(str(path))
        self.summary.setText("Reading the file…")
        self._set_busy(True)

        def plan() -> ImportPlan:
            return self._repo.plan_import(parse_prospect_csv(path.read_bytes()))

        self._runner.run_db(plan, self._show_plan, self._plan_failed, context=self)

    def run_import(self) -> None:
        plan = self._plan
        if plan is None or not plan.rows or self._busy:
            return
        self._set_busy(True)
        self.summary.setText(f"Importing {plural(len(plan.rows), 'prospect')}…")
        skipped = len(plan.skipped)
        self._runner.run_db(
            lambda: self._repo.run_import(plan),
            lambda stored: self._imported(stored, skipped),
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

    def _set_plan(self, plan: ImportPlan | None) -> None:
        self._plan = plan
        self.preview.set_plan(plan)
        self.message.clear_message()
        if plan is None:
            self.summary.setText("")
            self.import_button.setText("&Import")
            return
        summary = import_summary(plan)
        self.summary.setText(summary if plan.rows else f"Nothing to import: {summary}")
        self.import_button.setText(f"&Import {plural(len(plan.rows), 'prospect')}")

    def _show_plan(self, plan: ImportPlan) -> None:
        self._set_plan(plan)
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

    def _imported(self, stored: list[Prospect], skipped: int) -> None:
        self._busy = False
        report = import_report(len(stored), skipped)
        self.summary.setText(report)
        emit(self.imported, report)
        self.accept()

    def _import_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.summary.setText("Nothing was imported.")
        self.message.show_message(describe_error(exc))
        self._runner.report_error(exc)
