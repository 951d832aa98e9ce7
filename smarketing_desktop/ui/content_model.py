"""The content library's table model: the items matching the filters, plus what the filters offer.

A library is small (dozens to a few thousand items), so one background load brings every
matching item, the library's tags for the tag filter and its total size; sorting happens here.
A generation number discards answers to queries the rep has already moved on from.

Expired items are marked three ways (the word "expired", a warning icon, and the palette's
disabled text color, in italics), so the marking survives color blindness and screen readers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyle

from smarketing_desktop import clock
from smarketing_desktop.core.content import ContentItem
from smarketing_desktop.db.repositories.content import ContentQuery, ContentRepository
from smarketing_desktop.ui.formatting import format_date
from smarketing_desktop.ui.row_table_model import ID_ROLE, AnyIndex, Header, RowTableModel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

HEADERS = ("Title", "Type", "Tags", "Added", "Expires")
COLUMNS = tuple(Header(title, f"Sort by {title.lower()}") for title in HEADERS)
TITLE_COLUMN, TYPE_COLUMN, TAGS_COLUMN, ADDED_COLUMN, EXPIRES_COLUMN = range(5)
EXPIRED_NOTE = "No longer suggested: its expiry date has passed"


@dataclass(frozen=True)
class ContentPage:
    """What one load brings back: the matching items, every tag in the library, its size."""

    items: list[ContentItem]
    tags: list[str] = field(default_factory=list)
    total: int = 0
    today: date = field(default_factory=clock.today)


def load_page(repo: ContentRepository, query: ContentQuery) -> ContentPage:
    """Runs on the database worker: the filtered items and the library-wide tag list."""
    everything = repo.find(ContentQuery())
    filtered = query != ContentQuery()
    items = repo.find(query) if filtered else everything
    tags = sorted({t for item in everything for t in item.tags}, key=str.casefold)
    return ContentPage(items, tags, len(everything), clock.today())


def expires_text(item: ContentItem, today: date) -> str:
    if item.expires_on is None:
        return ""
    shown = item.expires_on.isoformat()
    return f"{shown} (expired)" if item.is_expired(today) else shown


def _sort_key(column: int) -> Callable[[ContentItem], Any]:
    if column == TYPE_COLUMN:
        return lambda i: (i.kind_label.casefold(), i.title.casefold())
    if column == TAGS_COLUMN:
        return lambda i: (", ".join(i.tags).casefold(), i.title.casefold())
    if column == ADDED_COLUMN:
        return lambda i: (i.added_at, i.id)
    if column == EXPIRES_COLUMN:
        # Items that never expire sort after every dated one.
        return lambda i: (i.expires_on is None, i.expires_on or date.max, i.title.casefold())
    return lambda i: i.title.casefold()


class ContentTableModel(RowTableModel):
    """`loaded` fires after each reload or sort replaced the rows (selection can be restored)."""

    def __init__(
        self, repo: ContentRepository, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, COLUMNS, parent)
        self._repo = repo
        self._query = ContentQuery()
        self._page = ContentPage([])
        self._items: list[ContentItem] = []
        self._sort_column = ADDED_COLUMN
        self._sort_order = Qt.SortOrder.DescendingOrder

    # -- state ---------------------------------------------------------------------------

    @property
    def query(self) -> ContentQuery:
        return self._query

    @property
    def total(self) -> int:
        """Items in the whole library, whatever the filters."""
        return self._page.total

    @property
    def tags(self) -> list[str]:
        return list(self._page.tags)

    @property
    def items(self) -> list[ContentItem]:
        return list(self._items)

    @property
    def today(self) -> date:
        return self._page.today

    def item_at(self, row: int) -> ContentItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    # -- loading -------------------------------------------------------------------------

    def set_query(self, query: ContentQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        query = self._query
        self._load(lambda: load_page(self._repo, query), self._show_page)

    def _show_page(self, page: ContentPage) -> None:
        self._page = page
        self._show_items(page.items)

    def _show_items(self, items: list[ContentItem]) -> None:
        """The rows in the chosen order (called inside a reset)."""
        self._items = sorted(
            items,
            key=_sort_key(self._sort_column),
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self._ids = [item.id for item in self._items]

    # -- Qt model ------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-order in place; a reset (then `loaded`) lets the view re-select by id."""
        self._sort_column, self._sort_order = column, order
        self._reset(lambda: self._show_items(self._items))
        emit(self.loaded)

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        expired = item.is_expired(self._page.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if expired:
                return f"{item.title}\n{EXPIRED_NOTE}"
            return item.url if column == TITLE_COLUMN else self._cell(item, column) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._cell(item, column)
            return f"{text}, expired" if expired and column == TITLE_COLUMN else text
        if role == ID_ROLE:
            return item.id
        if not expired:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole:
            font = QApplication.font()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == EXPIRES_COLUMN:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def _cell(self, item: ContentItem, column: int) -> str:
        if column == TITLE_COLUMN:
            return item.title
        if column == TYPE_COLUMN:
            return item.kind_label
        if column == TAGS_COLUMN:
            return ", ".join(item.tags)
        if column == ADDED_COLUMN:
            return format_date(item.added_at)
        return expires_text(item, self._page.today)
