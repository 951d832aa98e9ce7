"""The Prospects area: search and filter the table, read one prospect, add, edit, remove, import.

Every read and write goes through the task runner, so a large workspace or a slow disk never
freezes the window; the view only reacts to results.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.prospect_csv import write_prospect_csv
from smarketing_desktop.core.prospects import Prospect, RemovalImpact
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.empty_state import EmptyStatePanel
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.import_dialog import ImportDialog
from smarketing_desktop.ui.list_area import ListDetailSplitter, count_text, discard_hidden
from smarketing_desktop.ui.prospect_detail import ProspectDetail
from smarketing_desktop.ui.prospect_dialog import ProspectDialog
from smarketing_desktop.ui.prospect_model import COLUMNS, ProspectTableModel
from smarketing_desktop.ui.row_table import RowTable
from smarketing_desktop.ui.search_box import SearchBox
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tag_filter import TagFilter
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

EXPORT_CHUNK = 500
_SPLITTER = "prospects"


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

        self.splitter = ListDetailSplitter(
            self.table, self.detail, sizes=(730, 340), state=state, key=_SPLITTER, parent=self
        )

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

        self.search.settled.connect(self.apply_filters)
        self.tag_filter.currentIndexChanged.connect(self.apply_filters)

        self.model.loaded.connect(self._on_loaded)
        self.model.dataChanged.connect(self._on_rows_arrived)

    # -- building ------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.search = SearchBox(
            "Search prospects",
            "Matches name, company, title, email and tags (Ctrl+F)",
            "Name, company, title, email or tag",
            self,
        )
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)

        self.tag_filter = TagFilter("Show only prospects with this tag", self)
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
        table = RowTable(
            self.model,
            "Prospects",
            "Select a prospect to see details. Enter edits, Delete removes.",
            "Remove prospect",
            self,
        )
        header = table.horizontalHeader()
        header.setSortIndicator(self._sort_column, self._sort_order)
        header.setStretchLastSection(True)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        for column, width in enumerate((140, 120, 120, 150, 100)):
            table.setColumnWidth(column, width)
        table.current_changed.connect(self._sync_detail)
        table.activated.connect(self._edit_current)
        table.remove_requested.connect(self._remove_current)
        self.table = table

    # -- public API ----------------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self.table.current_id

    def refresh(self) -> None:
        """Re-read prospects and tags (F5, and after anything changed them)."""
        self.model.reload()
        self._reload_tags()

    def set_workspace_empty(self, empty: bool) -> None:
        self._pages.setCurrentWidget(self.empty_panel if empty else self._content)

    def focus_search(self) -> None:
        self.set_workspace_empty(False)
        self.search.take_focus()

    def apply_filters(self) -> None:
        """Run the search and tag filter now (the search box calls this after a short pause)."""
        self.search.cancel_pending()
        query = replace(self.model.query, search=self.search.query, tag=self.tag_filter.tag)
        self.model.set_query(query)

    def select_prospect(self, prospect_id: int) -> bool:
        return self.table.select_id(prospect_id)

    def new_prospect(self) -> ProspectDialog:
        return self._open_dialog(None)

    def edit_prospect(self, prospect: Prospect) -> ProspectDialog:
        return self._open_dialog(prospect)

    def request_remove(self, prospect: Prospect) -> QMessageBox:
        """Ask first, naming the prospect and what else it affects (open deals and follow-ups,
        the counts `smarketing prospect remove` gives too); those counts are read in the
        background and added to the question when they arrive. The answer arrives through the
        box's buttons."""
        discard_hidden(self.remove_box)
        where = f" ({prospect.company})" if prospect.company else ""
        basics = "Their tags, notes and feeds are deleted with them. This cannot be undone."
        box = confirm_destructive(
            self,
            title="Remove prospect",
            question=f"Remove {prospect.name}{where}?",
            consequence=basics,
            action="&Remove",
            action_name=f"Remove {prospect.name}",
            keep_name="Keep prospect",
            on_confirm=lambda: self._remove(prospect),
        )
        self.remove_box = box

        def show_impact(impact: RemovalImpact) -> None:
            if impact.affects_more:
                box.setInformativeText(f"{impact.summary()}. {impact.consequence()} {basics}")

        prospect_id = prospect.id
        self._runner.run_db(
            lambda: self._repo.removal_impact(prospect_id),
            show_impact,
            lambda _exc: None,  # gone meanwhile: removing says so itself
            context=box,
        )
        return box

    def open_import_dialog(self, *, choose: bool = True) -> ImportDialog:
        discard_hidden(self.import_dialog)
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
        self.splitter.save_state()

    # -- dialogs -------------------------------------------------------------------------

    def _open_dialog(self, prospect: Prospect | None) -> ProspectDialog:
        discard_hidden(self.dialog)
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

    def _after_save(self, prospect: Prospect, *, added: bool) -> None:
        emit(self.notice, f"{'Added' if added else 'Saved'} {prospect.name}")
        self.table.select_after_load(prospect.id)
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
        if self.tag_filter.set_tags(tags):
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

    def _on_loaded(self) -> None:
        query = self.model.query
        filtered = bool(query.search or query.tag)
        self.count_label.setText(
            count_text(self.model.rowCount(), self.model.total, "prospect", filtered=filtered)
        )
        if not self.table.restore_selection():
            self.detail.show_prospect(None)

    def _on_rows_arrived(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        row = self.table.currentIndex().row()
        if top_left.row() <= row <= bottom_right.row():
            self._sync_detail()

    def _sync_detail(self) -> None:
        """Show the current row's prospect, once its page has arrived."""
        row = self.table.currentIndex().row()
        prospect = self.model.prospect_at(row) if row >= 0 else None
        self.detail.show_prospect(prospect)
