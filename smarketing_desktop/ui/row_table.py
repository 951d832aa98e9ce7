"""The table of a list area (Content, Prospects): one row chosen at a time, kept across reloads.

Every reload resets the model, and a reset forgets Qt's current index. The table therefore
remembers the chosen row's id just before a reset and, once the view says the rows have loaded,
selects that id again (or the one the view asked for, such as an item just saved), so the rep
keeps their place while the list refreshes underneath them.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.row_table_model import RowTableModel
from smarketing_desktop.ui.signals import emit


class RowsById(Protocol):
    """An id-keyed model: every table and list model here finds a row by its record's id."""

    def row_of(self, row_id: int) -> int | None: ...

    def index(self, row: int, column: int, parent: QModelIndex = ...) -> QModelIndex: ...


def select_row(view: QAbstractItemView, model: RowsById, row_id: int, column: int = 0) -> bool:
    """Choose the row with this id in `view` and scroll to it; False if no row has it."""
    row = model.row_of(row_id)
    if row is None:
        return False
    index = model.index(row, column)
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.scrollTo(index)
    return True


class RowTable(QTableView):
    """`current_changed` follows the chosen row; `remove_requested` is the Delete key."""

    current_changed = Signal()
    remove_requested = Signal()

    def __init__(
        self,
        model: RowTableModel,
        name: str,
        description: str,
        remove_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        accessible(self, name, description=description)
        self._model = model
        self._current_id: int | None = None
        self._kept_id: int | None = None
        self._preferred_id: int | None = None
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table, to the detail pane
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        self.selectionModel().currentRowChanged.connect(self._on_current_row)
        model.modelAboutToBeReset.connect(self._remember_current)

        remove = QAction(remove_text, self)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_requested)
        self.addAction(remove)

    @property
    def current_id(self) -> int | None:
        """The chosen row's id (None while nothing is chosen)."""
        return self._current_id

    def select_id(self, row_id: int) -> bool:
        """Choose the row with this id and scroll to it; False if no row has it."""
        return select_row(self, self._model, row_id)

    def select_after_load(self, row_id: int) -> None:
        """Choose this id at the next `restore_selection` instead of the row chosen before."""
        self._preferred_id = row_id

    def restore_selection(self) -> bool:
        """After a load: choose the preferred or previous row again; False when it is gone.

        A model reset changes the current index without a signal, so when the row is gone the
        table forgets it here and the caller clears whatever showed it.
        """
        target = self._preferred_id or self._kept_id
        self._preferred_id = None
        if target is not None and self.select_id(target):
            return True
        self._current_id = None
        return False

    def _remember_current(self) -> None:
        self._kept_id = self._current_id

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._current_id = self._model.id_at(current.row()) if current.isValid() else None
        emit(self.current_changed)
