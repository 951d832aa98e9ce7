"""The base of the list areas' table models: rows known by id, loaded in the background.

Content and Prospects differ in what a row holds (Content keeps whole items, Prospects only ids
with pages fetched on demand) and in how they sort, but load the same way: every reload runs on
the database worker, a generation number drops answers to queries the rep has already moved on
from, the answer replaces the rows in one model reset, and `loaded` then lets the view find its
selected row again by id (a reset forgets Qt's own current index).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1

T = TypeVar("T")


class ColumnHeader(Protocol):
    """What a column's header shows: its title, and a tooltip saying how a click sorts."""

    @property
    def title(self) -> str: ...

    @property
    def tooltip(self) -> str: ...


@dataclass(frozen=True)
class Header:
    """A column with nothing more to it than its header."""

    title: str
    tooltip: str


class RowTableModel(QAbstractTableModel):
    """`loaded` fires after each reload has replaced the rows (selection can then be restored).

    Subclasses keep `_ids` (the row order) current inside `_reset`, and say what a cell shows.
    """

    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        columns: Sequence[ColumnHeader],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._columns = tuple(columns)
        self._ids: list[int] = []
        self._generation = 0  # bumped by every load request
        # The load whose answer the rows show: work fetched for those rows checks it is current.
        self._shown_generation = 0
        self._loading = False

    @property
    def is_loading(self) -> bool:
        return self._loading

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, row_id: int) -> int | None:
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    # -- loading -------------------------------------------------------------------------

    def _load(self, work: Callable[[], T], apply: Callable[[T], None]) -> None:
        """Run `work` on the database worker; `apply` its answer inside a reset if still wanted.

        Rows already shown stay until the answer comes, so the table never blinks empty.
        """
        self._generation += 1
        generation = self._generation
        self._loading = True
        self._runner.run_db(
            work,
            lambda answer: self._answered(generation, answer, apply),
            lambda exc: self._failed(generation, exc),
            context=self,
        )

    def _answered(self, generation: int, answer: T, apply: Callable[[T], None]) -> None:
        if generation != self._generation:
            return  # an older query's answer
        self._shown_generation = generation
        self._reset(lambda: apply(answer))
        self._loading = False
        emit(self.loaded)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loading = False
        self._runner.report_error(exc)

    def _reset(self, change: Callable[[], None]) -> None:
        self.beginResetModel()
        change()
        self.endResetModel()

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[section].tooltip
        return None
