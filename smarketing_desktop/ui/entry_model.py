"""The Inbox's post list: the newest posts of the chosen prospect or feed, one row each.

Unlike the prospects table, rows arrive whole: the repository answers a capped query
(`EntryQuery.limit`, newest first) with everything the list and the reader show, and a rep reads
the newest few hundred posts, never thousands. Loads run on the task runner and a generation
number drops answers to queries the rep has already moved away from. Reading a post changes
its row here at once (bold goes), while the write follows in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from smarketing_desktop.core.feeds import EntryInfo
from smarketing_desktop.ui.formatting import format_date
from smarketing_desktop.ui.row_table_model import ID_ROLE, AnyIndex
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2

SIGNAL_MARK = "⚑"
SIGNAL_COLUMN, TITLE_COLUMN, SOURCE_COLUMN, DATE_COLUMN = range(4)
HEADERS = ("", "Title", "From", "Date")
HEADER_TIPS = (
    "⚑ marks a buying signal: the post mentions one of your signal phrases",
    "The post's title; bold until you read it",
    "The prospect and feed the post came from",
    "When the post was published",
)

EntryLoader = Callable[[], list[EntryInfo]]


def signal_tooltip(entry: EntryInfo) -> str | None:
    if not entry.is_signal:
        return None
    terms = ", ".join(f"“{t}”" for t in entry.signal_terms)
    return f"Buying signal: mentions {terms}" if terms else "Buying signal"


class EntryListModel(QAbstractTableModel):
    """`loaded` fires after each reload replaced the rows (the view restores its selection)."""

    loaded = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._rows: list[EntryInfo] = []
        self._sources: dict[int, str] = {}
        self._generation = 0
        self._loading = False

    # -- state ---------------------------------------------------------------------------

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def entries(self) -> list[EntryInfo]:
        return list(self._rows)

    def set_sources(self, sources: dict[int, str]) -> None:
        """What the "From" column says per feed id ("Jane Doe · Jane's blog")."""
        self._sources = dict(sources)
        if self._rows:
            emit(
                self.dataChanged,
                self.index(0, SOURCE_COLUMN),
                self.index(len(self._rows) - 1, SOURCE_COLUMN),
                [Qt.ItemDataRole.DisplayRole],
            )

    def load(self, loader: EntryLoader) -> None:
        """Run `loader` on the database worker; rows shown stay until its answer arrives."""
        self._generation += 1
        generation = self._generation
        self._loading = True
        self._runner.run_db(
            loader,
            lambda rows: self._apply(generation, rows),
            lambda exc: self._failed(generation, exc),
        )

    def clear_rows(self) -> None:
        self._generation += 1
        self._loading = False
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def entry_at(self, row: int) -> EntryInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), None)

    def set_read(self, row: int, read: bool) -> EntryInfo | None:
        """Change one row's read state in place; returns the entry before the change."""
        entry = self.entry_at(row)
        if entry is None or entry.read == read:
            return None
        self._rows[row] = replace(entry, read=read)
        emit(
            self.dataChanged,
            self.index(row, 0),
            self.index(row, len(HEADERS) - 1),
            [Qt.ItemDataRole.FontRole, Qt.ItemDataRole.AccessibleTextRole],
        )
        return entry

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def source_of(self, entry: EntryInfo) -> str:
        return self._sources.get(entry.feed_id) or entry.feed_title or ""

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = index.column()
        if role == ID_ROLE:
            return entry.id
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SIGNAL_COLUMN or (column == TITLE_COLUMN and entry.is_signal):
                tip = signal_tooltip(entry)
                if column == TITLE_COLUMN and tip:
                    return f"{entry.title}\n{tip}"
                return tip
            return self._text(entry, column) or None
        if role == Qt.ItemDataRole.FontRole and not entry.read:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(entry, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIGNAL_COLUMN:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return HEADERS[section] or "Buying signal"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- internals -----------------------------------------------------------------------

    def _text(self, entry: EntryInfo, column: int) -> str:
        if column == SIGNAL_COLUMN:
            return SIGNAL_MARK if entry.is_signal else ""
        if column == TITLE_COLUMN:
            return entry.title
        if column == SOURCE_COLUMN:
            return self.source_of(entry)
        return format_date(entry.published, "")

    def _spoken(self, entry: EntryInfo, column: int) -> str:
        if column == SIGNAL_COLUMN:
            return "Buying signal" if entry.is_signal else "No signal"
        if column == TITLE_COLUMN:
            state = "" if entry.read else "Unread: "
            return f"{state}{entry.title}"
        return self._text(entry, column)

    def _apply(self, generation: int, rows: list[EntryInfo]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        self._loading = False
        emit(self.loaded)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loading = False
        self._runner.report_error(exc)
