"""The table model holds ids only and fetches rows a page at a time, in the background."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.prospect_model import LOADING, TAGS_COLUMN, ProspectTableModel
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import add_prospects, numbered_drafts, wait_idle


class CountingRepository(ProspectRepository):
    """Records every page the model asks for."""

    pages: list[int]

    def get_many(self, ids: Sequence[int]) -> dict[int, Prospect]:
        self.pages.append(len(ids))
        return super().get_many(ids)


@pytest.fixture
def counting(db: Database) -> CountingRepository:
    counted = CountingRepository(db)
    counted.pages = []
    return counted


def names(model: ProspectTableModel) -> list[str]:
    return [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]


def test_rows_load_a_page_at_a_time_when_first_shown(
    qtbot: QtBot, counting: CountingRepository, runner: TaskRunner
) -> None:
    add_prospects(counting, *numbered_drafts(25))
    counting.pages.clear()
    model = ProspectTableModel(counting, runner, page_size=10)
    model.reload()
    wait_idle(qtbot, runner)

    assert model.rowCount() == 25
    assert counting.pages == [10]  # only the first page came with the ids
    assert model.data(model.index(0, 0)) == "Person 0000"

    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))
    assert model.data(model.index(15, 0)) == LOADING
    assert model.data(model.index(16, 1)) == LOADING  # same page: asked for once
    wait_idle(qtbot, runner)

    assert counting.pages == [10, 10]
    assert changed == [(10, 19)]
    assert model.data(model.index(15, 0)) == "Person 0015"
    assert model.data(model.index(15, 3)) == "person15@example.com"
    assert model.data(model.index(24, 0)) == LOADING
    wait_idle(qtbot, runner)
    assert counting.pages == [10, 10, 5]


def test_a_newer_query_wins_over_an_older_one(
    qtbot: QtBot, repo: ProspectRepository, runner: TaskRunner
) -> None:
    add_prospects(repo, *numbered_drafts(6))
    model = ProspectTableModel(repo, runner)
    model.set_query(ProspectQuery(tag="odd"))
    model.set_query(ProspectQuery(tag="even", descending=True))
    wait_idle(qtbot, runner)
    assert names(model) == ["Person 0004", "Person 0002", "Person 0000"]
    assert model.total == 6


def test_tags_column_does_not_sort_and_the_others_do(
    qtbot: QtBot, repo: ProspectRepository, runner: TaskRunner
) -> None:
    model = ProspectTableModel(repo, runner)
    model.sort(TAGS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert model.query == ProspectQuery()
    model.sort(5, Qt.SortOrder.DescendingOrder)
    assert model.query == ProspectQuery(sort="last_touch_at", descending=True)
    wait_idle(qtbot, runner)


def test_headers_and_flags(repo: ProspectRepository, runner: TaskRunner) -> None:
    model = ProspectTableModel(repo, runner)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["Name", "Company", "Title", "Email", "Tags", "Last touch"]
    assert "cannot be sorted" in model.headerData(TAGS_COLUMN, Qt.Orientation.Horizontal, 3)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
