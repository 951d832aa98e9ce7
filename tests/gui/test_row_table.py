"""The list areas' table and model base: the chosen row survives reloads, stale answers do not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.ui.list_area import ListDetailSplitter, count_text
from smarketing_desktop.ui.row_table import RowTable
from smarketing_desktop.ui.row_table_model import AnyIndex, Header, RowTableModel
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.window_state import WindowState
from tests.gui.helpers import wait_idle


@dataclass(frozen=True)
class Row:
    id: int
    name: str


class NameModel(RowTableModel):
    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, [Header("Name", "Sort by name")], parent)
        self.rows: list[Row] = []

    def load(self, rows: list[Row]) -> None:
        self._load(lambda: list(rows), self._show)

    def _show(self, rows: list[Row]) -> None:
        self.rows = rows
        self._ids = [row.id for row in rows]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return self.rows[index.row()].name


def make_table(qtbot: QtBot, runner: TaskRunner) -> tuple[NameModel, RowTable]:
    model = NameModel(runner)
    table = RowTable(model, "Names", "Pick a name", "Remove name")
    model.setParent(table)  # the table's lifetime is the test's
    qtbot.addWidget(table)
    model.loaded.connect(table.restore_selection)
    return model, table


ADA, GRACE, ALAN = Row(1, "Ada"), Row(2, "Grace"), Row(3, "Alan")


def test_the_chosen_row_stays_chosen_after_a_reload_moves_it(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    model, table = make_table(qtbot, runner)
    model.load([ADA, GRACE])
    wait_idle(qtbot, runner)
    assert table.select_id(GRACE.id)
    assert table.current_id == GRACE.id

    model.load([ALAN, ADA, GRACE])  # a new row above it
    wait_idle(qtbot, runner)

    assert table.currentIndex().row() == 2
    assert table.current_id == GRACE.id
    assert model.index(2, 0).data() == "Grace"


def test_a_row_saved_elsewhere_is_chosen_after_the_reload(qtbot: QtBot, runner: TaskRunner) -> None:
    model, table = make_table(qtbot, runner)
    model.load([ADA, GRACE])
    wait_idle(qtbot, runner)
    table.select_id(ADA.id)

    table.select_after_load(ALAN.id)
    model.load([ADA, GRACE, ALAN])
    wait_idle(qtbot, runner)

    assert table.current_id == ALAN.id


def test_a_removed_row_leaves_nothing_chosen(qtbot: QtBot, runner: TaskRunner) -> None:
    model, table = make_table(qtbot, runner)
    model.load([ADA, GRACE])
    wait_idle(qtbot, runner)
    table.select_id(GRACE.id)

    model.load([ADA])
    wait_idle(qtbot, runner)

    assert table.current_id is None
    assert not table.currentIndex().isValid()


def test_only_the_latest_load_is_shown(qtbot: QtBot, runner: TaskRunner) -> None:
    model, _table = make_table(qtbot, runner)
    loads: list[int] = []
    model.loaded.connect(lambda: loads.append(model.rowCount()))

    model.load([ADA, GRACE, ALAN])  # the rep typed on before this answered
    model.load([GRACE])
    assert model.is_loading
    wait_idle(qtbot, runner)

    assert loads == [1]
    assert not model.is_loading
    assert model.id_at(0) == GRACE.id
    assert model.row_of(ADA.id) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == (
        "Sort by name"
    )


def test_delete_asks_to_remove_the_chosen_row(qtbot: QtBot, runner: TaskRunner) -> None:
    model, table = make_table(qtbot, runner)
    model.load([ADA])
    wait_idle(qtbot, runner)
    table.select_id(ADA.id)
    asked: list[bool] = []
    table.remove_requested.connect(lambda: asked.append(True))
    table.window().show()
    qtbot.waitExposed(table.window())
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)

    qtbot.keyClick(table, Qt.Key.Key_Delete)

    assert asked == [True]
    assert table.accessibleName() == "Names"
    assert table.actions()[0].text() == "Remove name"


def test_count_text_says_how_many_of_how_many() -> None:
    assert count_text(3, 12, "item", filtered=True) == "3 of 12 items"
    assert count_text(12, 12, "item", filtered=False) == "12 items"


def test_splitter_widths_come_back_next_time(qtbot: QtBot, tmp_path: Path) -> None:
    state = WindowState(tmp_path / "state.ini")

    def open_splitter() -> ListDetailSplitter:
        splitter = ListDetailSplitter(
            QWidget(), QWidget(), sizes=(300, 200), state=state, key="test"
        )
        qtbot.addWidget(splitter)
        splitter.resize(500, 100)
        splitter.show()
        qtbot.waitExposed(splitter)
        return splitter

    first = open_splitter()
    first.setSizes([150, 350])
    saved = first.sizes()
    first.save_state()

    assert open_splitter().sizes() == saved
