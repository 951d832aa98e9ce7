"""The Prospects area: search and filter the table, read one prospect, add, edit, remove, import.

Every read and write goes through the task runner, so a large workspace or a slow disk never
freezes the window; the view only reacts to results.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.prospect_csv import write_prospect_csv
from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.empty_state import EmptyStatePanel
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.import_dialog import ImportDialog
from smarketing_desktop.ui.prospect_detail import ProspectDetail
from smarketing_desktop.ui.prospect_dialog import ProspectDialog
from smarketing_desktop.ui.prospect_model import COLUMNS, ProspectTableModel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
EXPORT_CHUNK = 500
ALL_TAGS = "All tags"
_SPLITTER = "prospects"


def count_text(matched: int, total: int, filtered: bool) -> str:
    if filtered:
        return f"{matched} of {plural(total, 'prospect')}"
    return plural(total, "prospect")


def export_prospects(repo: ProspectRepository, path: Path) -> int:
    """All prospects to one CSV file, read in chunks so no query grows with the workspace."""
    ids = repo.list_ids(ProspectQuery())
    prospects: list[Prospect] = []
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        found = repo.get_many(chunk)
        prospects.extend(found[i] for i in chunk if i in found)
    path.write_text(write_prospect_csv(prospects), encoding="utf-8", newline="")
    return len(prospects)


class ProspectsView(QWidget):
    """`notice` goes to the status bar; `changed` tells other areas that prospects changed."""

    notice = Signal(str)
    changed = Signal()
    explore_requested = Signal()

    def __init__(
        self,
        repo: ProspectRepository,
        runner: TaskRunner,
        chooser: FileChooser,
        state: WindowState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._runner = runner
        self._chooser = chooser
        self._state = state
        self._current_id: int | None = None
        self._keep_id: int | None = None
        self._select_after_load: int | None = None
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.dialog: ProspectDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.remove_box: QMessageBox | None = None

        self.model = ProspectTableModel(repo, runner, self)
        self._build_toolbar()
        self._build_table()
        self.detail = ProspectDetail(self)
        self.detail.edit_requested.connect(self.edit_prospect)
        self.detail.remove_requested.connect(self.request_remove)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([730, 340])
        saved = state.splitter(_SPLITTER) if state else None
        if saved is not None:
            self.splitter.restoreState(saved)

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(self._toolbar)
        content_layout.addWidget(self.splitter, 1)

        self.empty_panel = EmptyStatePanel("Welcome to Smarketing Desktop", self)
        self.empty_panel.explore_requested.connect(self.explore_requested)
        self.empty_panel.add_first_requested.connect(self.new_prospect)

        self._pages = QStackedWidget(self)
        self._pages.addWidget(content)
        self._pages.addWidget(self.empty_panel)
        self._content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self._pages)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.tag_filter.currentIndexChanged.connect(self.apply_filters)

        self.model.loaded.connect(self._on_loaded)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.dataChanged.connect(self._on_rows_arrived)

    # -- building ------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.search = accessible(
            QLineEdit(self),
            "Search prospects",
            "Matches name, company, title, email and tags (Ctrl+F)",
        )
        self.search.setPlaceholderText("Name, company, title, email or tag")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)

        self.tag_filter = accessible(
            QComboBox(self), "Filter by tag", "Show only prospects with this tag"
        )
        self.tag_filter.addItem(ALL_TAGS, None)
        self.tag_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        tag_label = QLabel("&Tag:", self)
        tag_label.setBuddy(self.tag_filter)

        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Number of prospects")

        self.new_button = accessible(
            QPushButton("&New prospect…", self), "New prospect", "Add a prospect (Ctrl+N)"
        )
        self.new_button.clicked.connect(self.new_prospect)
        self.import_button = accessible(
            QPushButton("&Import CSV…", self),
            "Import prospects from CSV",
            "Import a CSV export from your CRM or a spreadsheet, with a preview first",
        )
        self.import_button.clicked.connect(self.open_import_dialog)

        bar = QHBoxLayout()
        bar.addWidget(search_label)
        bar.addWidget(self.search, 2)
        bar.addWidget(tag_label)
        bar.addWidget(self.tag_filter)
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.import_button)
        self._toolbar = bar

    def _build_table(self) -> None:
        table = accessible(
            QTableView(self),
            "Prospects",
            description="Select a prospect to see details. Enter edits, Delete removes.",
        )
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self._sort_column, self._sort_order)
        header.setStretchLastSection(True)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        for column, width in enumerate((140, 120, 120, 150, 100)):
            table.setColumnWidth(column, width)
        selection = table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_row)
        table.activated.connect(self._edit_current)

        remove = QAction("Remove prospect", table)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self._remove_current)
        table.addAction(remove)
        self.table = table

    # -- public API ----------------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self._current_id

    def refresh(self) -> None:
        """Re-read prospects and tags (F5, and after anything changed them)."""
        self.model.reload()
        self._reload_tags()

    def set_workspace_empty(self, empty: bool) -> None:
        self._pages.setCurrentWidget(self.empty_panel if empty else self._content)

    def focus_search(self) -> None:
        self.set_workspace_empty(False)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_filters(self) -> None:
        """Run the search and tag filter now (the search box calls this after a short pause)."""
        self._search_timer.stop()
        tag = self.tag_filter.currentData()
        query = replace(self.model.query, search=self.search.text().strip(), tag=tag or None)
        self.model.set_query(query)

    def select_prospect(self, prospect_id: int) -> bool:
        row = self.model.row_of(prospect_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def new_prospect(self) -> ProspectDialog:
        return self._open_dialog(None)

    def edit_prospect(self, prospect: Prospect) -> ProspectDialog:
        return self._open_dialog(prospect)

    def request_remove(self, prospect: Prospect) -> QMessageBox:
        """Ask first, naming the prospect; the answer arrives through the box's buttons."""
        self._discard(self.remove_box)
        where = f" ({prospect.company})" if prospect.company else ""
        self.remove_box = confirm_destructive(
            self,
            title="Remove prospect",
            question=f"Remove {prospect.name}{where}?",
            consequence="Their tags, notes and feeds are deleted with them. This cannot be undone.",
            action="&Remove",
            action_name=f"Remove {prospect.name}",
            keep_name="Keep prospect",
            on_confirm=lambda: self._remove(prospect),
        )
        return self.remove_box

    def open_import_dialog(self, *, choose: bool = True) -> ImportDialog:
        self._discard(self.import_dialog)
        dialog = ImportDialog(self._repo, self._runner, self._chooser, self)
        dialog.imported.connect(self._after_import)
        self.import_dialog = dialog
        dialog.open()
        if choose:
            dialog.choose_file()
        return dialog

    def export_csv(self) -> None:
        path = self._chooser.save_csv(self, "prospects.csv")
        if path is None:
            return
        emit(self.notice, f"Exporting prospects to {path}…")
        self._runner.run_db(
            lambda: export_prospects(self._repo, path),
            lambda count: emit(self.notice, f"Exported {plural(count, 'prospect')} to {path}"),
        )

    def save_state(self) -> None:
        if self._state is not None:
            self._state.set_splitter(_SPLITTER, self.splitter.saveState())

    # -- dialogs -------------------------------------------------------------------------

    def _open_dialog(self, prospect: Prospect | None) -> ProspectDialog:
        self._discard(self.dialog)
        dialog = ProspectDialog(
            self._repo,
            self._runner,
            prospect=prospect,
            companies=self.model.known_companies(),
            parent=self,
        )
        dialog.saved.connect(lambda saved: self._after_save(saved, added=prospect is None))
        self.dialog = dialog
        dialog.open()
        return dialog

    @staticmethod
    def _discard(widget: QWidget | None) -> None:
        """Dialogs are kept until the next one opens, so late callbacks find them alive."""
        if widget is not None and shiboken6.isValid(widget) and not widget.isVisible():
            widget.deleteLater()

    def _after_save(self, prospect: Prospect, *, added: bool) -> None:
        emit(self.notice, f"{'Added' if added else 'Saved'} {prospect.name}")
        self._select_after_load = prospect.id
        self.set_workspace_empty(False)
        self.refresh()
        emit(self.changed)

    def _after_import(self, report: str) -> None:
        emit(self.notice, report)
        self.set_workspace_empty(False)
        self.refresh()
        emit(self.changed)

    def _remove(self, prospect: Prospect) -> None:
        prospect_id = prospect.id

        def removed(_: None) -> None:
            emit(self.notice, f"Removed {prospect.name}")
            self.refresh()
            emit(self.changed)

        self._runner.run_db(lambda: self._repo.remove(prospect_id), removed)

    def _edit_current(self, _index: QModelIndex | None = None) -> None:
        if self.detail.prospect is not None:
            self.edit_prospect(self.detail.prospect)

    def _remove_current(self) -> None:
        if self.detail.prospect is not None:
            self.request_remove(self.detail.prospect)

    # -- reacting to the model -----------------------------------------------------------

    def _reload_tags(self) -> None:
        self._runner.run_db(self._repo.all_tags, self._set_tags, context=self)

    def _set_tags(self, tags: list[str]) -> None:
        chosen = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        try:
            self.tag_filter.clear()
            self.tag_filter.addItem(ALL_TAGS, None)
            for tag in tags:
                self.tag_filter.addItem(tag, tag)
            index = self.tag_filter.findData(chosen) if chosen else 0
            self.tag_filter.setCurrentIndex(max(index, 0))
        finally:
            self.tag_filter.blockSignals(False)
        if chosen and self.tag_filter.currentData() != chosen:
            self.apply_filters()  # the chosen tag no longer exists

    def _on_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self._sort_column, self._sort_order)
            header.blockSignals(False)
            emit(self.notice, "Tags cannot be sorted; use the tag filter instead.")
            return
        self._sort_column, self._sort_order = column, order
        self.model.sort(column, order)

    def _remember_current(self) -> None:
        self._keep_id = self._current_id

    def _on_loaded(self) -> None:
        query = self.model.query
        filtered = bool(query.search or query.tag)
        self.count_label.setText(count_text(self.model.rowCount(), self.model.total, filtered))
        target = self._select_after_load or self._keep_id
        self._select_after_load = None
        if target is None or not self.select_prospect(target):
            self._current_id = None
            self.detail.show_prospect(None)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._current_id = self.model.id_at(current.row()) if current.isValid() else None
        self._sync_detail()

    def _on_rows_arrived(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        row = self.table.currentIndex().row()
        if top_left.row() <= row <= bottom_right.row():
            self._sync_detail()

    def _sync_detail(self) -> None:
        """Show the current row's prospect, once its page has arrived."""
        row = self.table.currentIndex().row()
        prospect = self.model.prospect_at(row) if row >= 0 else None
        self.detail.show_prospect(prospect)
