"""Importing library items from marketing's spreadsheet: pick, preview every row, then commit.

Like the prospects import: nothing is stored until the rep has seen which rows will come in,
which are already in the library, and why the others will not, with the file's own line
numbers so marketing can fix the spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.content import ContentDraft, ContentItem
from smarketing_desktop.core.content_csv import HEADER_SYNONYMS, parse_content_csv
from smarketing_desktop.core.csv_rows import CsvFormatError, SkippedRow, read_csv_table
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error
from smarketing_desktop.ui.theme import error_color

NO_FILE = "No file chosen yet."
WILL_IMPORT = "Will import"
ALREADY_THERE = "Already in the library"
HEADERS = ("Line", "Title", "URL", "Status")
STATUS_COLUMN = 3

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ContentImportPlan:
    """The file's rows sorted into new items, items the library has, and rows that fail."""

    rows: list[tuple[int, ContentDraft]] = field(default_factory=list)
    known: list[tuple[int, ContentDraft]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    # Line -> (title, URL) as written in the file, so skipped rows can be recognised.
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)


def plan_content_import(repo: ContentRepository, data: bytes) -> ContentImportPlan:
    """Runs on the database worker: parse, then look up which addresses are already stored."""
    parsed = parse_content_csv(data)
    # The parser reports a skipped row by line and reason only; the raw cells say which row
    # that is (read again without requirements: the parse above has already checked them).
    table = read_csv_table(data, HEADER_SYNONYMS, lambda _found, _header: None)
    cells = {r.line: (r.values.get("title", ""), r.values.get("url", "")) for r in table.records}
    known_urls = {item.url for item in repo.find()}
    fresh = [(line, d) for line, d in parsed.drafts if d.url not in known_urls]
    known = [(line, d) for line, d in parsed.drafts if d.url in known_urls]
    return ContentImportPlan(fresh, known, list(parsed.skipped), cells)


def plan_summary(plan: ContentImportPlan) -> str:
    text = f"{len(plan.rows)} will be imported, {len(plan.skipped)} skipped"
    return f"{text}, {len(plan.known)} already in the library" if plan.known else text


def import_report(added: int, skipped: int, known: int) -> str:
    report = f"Imported {plural(added, 'content item')}"
    if skipped:
        report += f"; {plural(skipped, 'row')} skipped"
    if known:
        report += f"; {known} already in the library"
    return report


@dataclass(frozen=True)
class PreviewRow:
    line: int
    title: str
    url: str
    status: str
    skipped: bool


def preview_rows(plan: ContentImportPlan) -> list[PreviewRow]:
    rows = [PreviewRow(n, d.title, d.url, WILL_IMPORT, False) for n, d in plan.rows]
    rows += [PreviewRow(n, d.title, d.url, ALREADY_THERE, False) for n, d in plan.known]
    for skipped in plan.skipped:
        title, url = plan.cells.get(skipped.line, ("", ""))
        rows.append(PreviewRow(skipped.line, title, url, f"Skipped: {skipped.reason}", True))
    return sorted(rows, key=lambda r: r.line)


class ContentPreviewModel(QAbstractTableModel):
    """Skipped rows are marked three ways: the word "Skipped", a warning icon, the error color."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []

    def set_plan(self, plan: ContentImportPlan | None) -> None:
        self.beginResetModel()
        self._rows = preview_rows(plan) if plan is not None else []
        self.endResetModel()

    def row(self, index: int) -> PreviewRow:
        return self._rows[index]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (str(row.line), row.title, row.url, row.status)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not row.skipped:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return error_color(QApplication.palette())
        if role == Qt.ItemDataRole.FontRole and column == STATUS_COLUMN:
            font = QApplication.font()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS_COLUMN:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None


class ContentImportDialog(QDialog):
    """`imported` carries the report line ("Imported 8 content items; 2 rows skipped")."""

    imported = Signal(str)

    def __init__(
        self,
        repo: ContentRepository,
        runner: TaskRunner,
        chooser: FileChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._runner = runner
        self._chooser = chooser
        self._plan: ContentImportPlan | None = None
        self._busy = False
        self.setWindowTitle("Import content from CSV")
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

        intro = QLabel(
            "A spreadsheet with title and URL columns; type, tags, summary and expiry "
            "columns are read too.",
            self,
        )
        intro.setWordWrap(True)
        self.path_label = QLabel(NO_FILE, self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.choose_button = accessible(
            QPushButton("&Choose file…", self),
            "Choose CSV file",
            "Pick marketing's content spreadsheet, saved as CSV",
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

        self.preview = ContentPreviewModel(self)
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
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((50, 220, 240)):
            self.table.setColumnWidth(column, width)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = accessible(
            QPushButton("&Import", self), "Import content", "Store the rows marked Will import"
        )
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without importing anything")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(860, 520)

    @property
    def plan(self) -> ContentImportPlan | None:
        return self._plan

    @property
    def is_busy(self) -> bool:
        return self._busy

    def choose_file(self) -> None:
        path = self._chooser.open_csv(self)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Read, parse and check against the library in the background, then preview."""
        self._set_plan(None)
        self.path_label.setText(str(path))
        self.summary.setText("Reading the file…")
        self._set_busy(True)
        self._runner.run_db(
            lambda: plan_content_import(self._repo, path.read_bytes()),
            self._show_plan,
            self._plan_failed,
            context=self,
        )

    def run_import(self) -> None:
        plan = self._plan
        if plan is None or not plan.rows or self._busy:
            return
        self._set_busy(True)
        self.summary.setText(f"Importing {plural(len(plan.rows), 'content item')}…")
        drafts = [draft for _, draft in plan.rows]
        skipped, known = len(plan.skipped), len(plan.known)
        self._runner.run_db(
            lambda: self._repo.add_many(drafts),
            lambda result: self._imported(result, skipped, known),
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

    def _set_plan(self, plan: ContentImportPlan | None) -> None:
        self._plan = plan
        self.preview.set_plan(plan)
        self.message.clear_message()
        if plan is None:
            self.summary.setText("")
            self.import_button.setText("&Import")
            return
        summary = plan_summary(plan)
        self.summary.setText(summary if plan.rows else f"Nothing to import: {summary}")
        self.import_button.setText(f"&Import {plural(len(plan.rows), 'item')}")

    def _show_plan(self, plan: ContentImportPlan) -> None:
        self._set_plan(plan)
        self.table.resizeRowsToContents()  # a reason may take two lines: show it whole
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

    def _imported(self, result: tuple[list[ContentItem], int], skipped: int, known: int) -> None:
        added, duplicates = result
        self._busy = False
        report = import_report(len(added), skipped, known + duplicates)
        self.summary.setText(report)
        emit(self.imported, report)
        self.accept()

    def _import_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.summary.setText("Nothing was imported.")
        self.message.show_message(describe_error(exc))
        self._runner.report_error(exc)
