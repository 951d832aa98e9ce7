"""The prospects table's model: an ordered list of ids, with rows fetched a page at a time.

Holding only ids keeps a reload cheap with tens of thousands of prospects, and fetching a page
when the view first asks for one of its rows means scrolling never waits on the database: a row
shows "…" until its page arrives, then `dataChanged` repaints it (Anki's browser does the same).
Every fetch runs on the task runner; a generation number discards answers to stale queries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Qt

from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.db.repositories.prospects import (
    ProspectQuery,
    ProspectRepository,
    SortKey,
)
from smarketing_desktop.ui.formatting import format_date
from smarketing_desktop.ui.row_table_model import ID_ROLE, AnyIndex, RowTableModel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PAGE_SIZE = 100
LOADING = "…"


@dataclass(frozen=True)
class Column:
    title: str
    sort: SortKey | None
    tooltip: str


COLUMNS: tuple[Column, ...] = (
    Column("Name", "name", "Sort by name"),
    Column("Company", "company", "Sort by company"),
    Column("Title", "title", "Sort by job title"),
    Column("Email", "email", "Sort by email address"),
    Column("Tags", None, "Tags cannot be sorted; use the tag filter instead"),
    Column("Last touch", "last_touch_at", "Sort by when you last engaged with them"),
)
TAGS_COLUMN = 4


@dataclass(frozen=True)
class ProspectPage:
    """What one load brings back: the matching ids in order and the first page of rows."""

    ids: list[int]
    rows: dict[int, Prospect]
    total: int


def _cell(prospect: Prospect, column: int) -> str:
    if column == 0:
        return prospect.name
    if column == 1:
        return prospect.company or ""
    if column == 2:
        return prospect.title or ""
    if column == 3:
        return prospect.email or ""
    if column == TAGS_COLUMN:
        return ", ".join(prospect.tags)
    return format_date(prospect.last_touch_at)


class ProspectTableModel(RowTableModel):
    """`loaded` fires after each reload has replaced the ids (selection can then be restored)."""

    def __init__(
        self,
        repo: ProspectRepository,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(runner, COLUMNS, parent)
        self._repo = repo
        self._page_size = page_size
        self._query = ProspectQuery()
        self._rows: dict[int, Prospect] = {}
        self._missing: set[int] = set()
        self._requested_pages: set[int] = set()
        self._total = 0

    # -- state ---------------------------------------------------------------------------

    @property
    def query(self) -> ProspectQuery:
        return self._query

    @property
    def total(self) -> int:
        """All prospects in the workspace, whatever the filter."""
        return self._total

    def set_query(self, query: ProspectQuery) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        """Re-run the query in the background; rows already shown stay until the answer comes."""
        query = self._query
        page_size = self._page_size

        def load() -> ProspectPage:
            ids = self._repo.list_ids(query)
            return ProspectPage(ids, self._repo.get_many(ids[:page_size]), self._repo.count())

        self._load(load, self._show_page)

    def prospect_at(self, row: int) -> Prospect | None:
        """The row's prospect if its page has arrived (asking starts the fetch if not)."""
        prospect_id = self.id_at(row)
        if prospect_id is None:
            return None
        prospect = self._rows.get(prospect_id)
        if prospect is None:
            self._request_page(row // self._page_size)
        return prospect

    def known_companies(self) -> list[str]:
        """Companies among the rows loaded so far: enough for completion, never a full scan."""
        names = {p.company for p in self._rows.values() if p.company}
        return sorted(names, key=str.casefold)

    # -- Qt model interface --------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        prospect_id = self.id_at(row)
        if prospect_id is None:
            return None
        if role == ID_ROLE:
            return prospect_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        prospect = self.prospect_at(row)
        if prospect is None:
            if prospect_id in self._missing:
                return "" if role == Qt.ItemDataRole.DisplayRole else "This prospect was removed"
            return LOADING if role == Qt.ItemDataRole.DisplayRole else "Loading…"
        text = _cell(prospect, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        return text

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the database, so a header click re-runs the query."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].sort
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=key, descending=descending))

    # -- internals -----------------------------------------------------------------------

    def _show_page(self, page: ProspectPage) -> None:
        """The new ids and their first page (called inside a reset)."""
        self._ids = page.ids
        self._rows = dict(page.rows)
        self._missing = set()
        self._requested_pages = {0} if page.ids else set()
        self._total = page.total

    def _request_page(self, page: int) -> None:
        if page in self._requested_pages:
            return
        self._requested_pages.add(page)
        generation = self._shown_generation
        start = page * self._page_size
        ids = self._ids[start : start + self._page_size]
        self._runner.run_db(
            lambda: self._repo.get_many(ids),
            lambda found: self._apply_page(generation, start, ids, found),
        )

    def _apply_page(
        self, generation: int, start: int, ids: list[int], found: dict[int, Prospect]
    ) -> None:
        if generation != self._shown_generation or not ids:
            return
        self._rows.update(found)
        self._missing.update(i for i in ids if i not in found)
        last = min(start + len(ids), len(self._ids)) - 1
        if last < start:
            return
        emit(
            self.dataChanged,
            self.index(start, 0),
            self.index(last, len(COLUMNS) - 1),
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
        )
