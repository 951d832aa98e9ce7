"""The Queue area and its controller: ready shares, posting by hand, releasing once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.queue_controller import QueueController
from smarketing_desktop.ui.queue_edit_dialog import QueueEditDialog, local_minute, to_qdatetime
from smarketing_desktop.ui.queue_view import COPIED, QueueView
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle

NOW = "2026-03-10T09:00:00+00:00"


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)


def _ready_share(db: Database, repo: ProspectRepository) -> tuple[int, QueueItemInfo]:
    pid = repo.add(ProspectDraft(name="Ada Lovelace", email="ada@example.com")).id
    queue = QueueRepository(db)
    at = datetime.fromisoformat(NOW) - timedelta(minutes=5)
    item = queue.add_share(
        channel="linkedin", text="Worth a read", url="https://example.com/a", prospect_id=pid, at=at
    )
    released = queue.release_due(datetime.fromisoformat(NOW))
    assert [i.id for i in released] == [item.id]
    return pid, queue.get(item.id)


def _button(view: QueueView, text: str) -> QPushButton:
    found = [b for b in view.findChildren(QPushButton) if b.text() == text and not b.isHidden()]
    assert len(found) == 1, [b.text() for b in view.findChildren(QPushButton)]
    return found[0]


def _view(qtbot: QtBot, db: Database, runner: TaskRunner) -> QueueView:
    view = QueueView(db, runner)
    qtbot.addWidget(view)
    view.show()
    wait_idle(qtbot, runner)
    return view


def test_open_share_link_opens_the_link_and_copies_the_text(
    qtbot: QtBot,
    db: Database,
    repo: ProspectRepository,
    runner: TaskRunner,
    opened_urls: list[str],
) -> None:
    _, item = _ready_share(db, repo)
    view = _view(qtbot, db, runner)
    notices: list[str] = []
    view.notice.connect(notices.append)

    _button(view, "Open share link").click()

    assert item.share_url is not None
    assert opened_urls == [item.share_url]
    assert QGuiApplication.clipboard().text() == "Worth a read"
    assert notices == [COPIED]


def test_mark_posted_changes_status_and_logs_a_touch(
    qtbot: QtBot, db: Database, repo: ProspectRepository, runner: TaskRunner
) -> None:
    pid, item = _ready_share(db, repo)
    view = _view(qtbot, db, runner)

    with qtbot.waitSignal(view.changed):
        _button(view, "Mark posted").click()
    wait_idle(qtbot, runner)

    assert QueueRepository(db).get(item.id).status == "done"
    assert repo.get(pid).last_touch_at is not None
    assert not [
        b for b in view.findChildren(QPushButton) if b.text() == "Mark posted" and not b.isHidden()
    ]


def test_failed_share_shows_its_error(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    from sqlalchemy import update

    from smarketing_desktop.db.models import QueueItem

    item = QueueRepository(db).add_share(channel="x", text="Hello", at=datetime.fromisoformat(NOW))
    with db.session() as session:
        session.execute(
            update(QueueItem).where(QueueItem.id == item.id).values(status="failed", error="Nope")
        )
    view = _view(qtbot, db, runner)
    from PySide6.QtWidgets import QLabel

    assert any(label.text() == "Failed: Nope" for label in view.findChildren(QLabel))


def test_controller_releases_a_due_share_once(
    qtbot: QtBot, db: Database, repo: ProspectRepository, runner: TaskRunner
) -> None:
    queue = QueueRepository(db)
    item = queue.add_share(
        channel="linkedin",
        text="Due now",
        at=datetime.fromisoformat(NOW) - timedelta(minutes=1),
    )
    controller = QueueController(db, runner)
    ready: list[list[QueueItemInfo]] = []
    notices: list[str] = []
    controller.became_ready.connect(ready.append)
    controller.notice.connect(notices.append)

    with qtbot.waitSignal(controller.became_ready):
        controller.start()
    wait_idle(qtbot, runner)
    assert [[i.id for i in batch] for batch in ready] == [[item.id]]
    assert notices == ["1 share is ready to post"]
    assert queue.get(item.id).status == "ready"

    assert controller.check_now()
    wait_idle(qtbot, runner)
    assert len(ready) == 1  # released only once
    controller.shutdown()
    assert not controller.timer.isActive()


def test_controller_runs_one_check_at_a_time(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    controller = QueueController(db, runner)
    assert controller.check_now()
    assert not controller.check_now()
    wait_idle(qtbot, runner)
    assert not controller.running


# -- editing and reordering ----------------------------------------------------------------


def _row_button(view: QueueView, item_id: int, text: str) -> QPushButton:
    row = view.rows[item_id]
    (button,) = [b for b in row.findChildren(QPushButton) if b.text() == text]
    return button


def _edit_dialog(qtbot: QtBot, view: QueueView, item_id: int) -> QueueEditDialog:
    _row_button(view, item_id, "Edit…").click()
    dialog = view.edit_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_edit_through_the_dialog_changes_the_stored_share(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    queue = QueueRepository(db)
    item = queue.add_share(
        channel="x",
        text="Draft",
        url="https://example.com/a",
        at=datetime.fromisoformat(NOW) + timedelta(hours=2),
    )
    view = _view(qtbot, db, runner)
    dialog = _edit_dialog(qtbot, view, item.id)
    assert isinstance(dialog.text, QPlainTextEdit)

    dialog.text.setPlainText("a" * 257)  # with the link (23) that is 281 as X counts it
    assert dialog.counter.text().startswith("281 / 280")
    assert not dialog.accept_button.isEnabled()
    assert "over X's limit" in dialog.error_text("text")

    dialog.text.setPlainText("Final words")
    dialog.link.setText("")
    later = datetime.fromisoformat(NOW) + timedelta(days=1, hours=3)
    dialog.when.setDateTime(to_qdatetime(local_minute(later)))
    with qtbot.waitSignal(view.changed):
        dialog.accept_button.click()
    wait_idle(qtbot, runner)

    stored = queue.get(item.id)
    assert (stored.text, stored.url, stored.scheduled_at) == ("Final words", None, later)
    assert not dialog.isVisible()


def test_a_refused_edit_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    queue = QueueRepository(db)
    item = queue.add_share(
        channel="linkedin", text="Draft", at=datetime.fromisoformat(NOW) + timedelta(hours=2)
    )
    view = _view(qtbot, db, runner)
    dialog = _edit_dialog(qtbot, view, item.id)
    dialog.when.setDateTime(to_qdatetime(local_minute(datetime.fromisoformat(NOW))).addDays(-1))
    dialog.accept_button.click()
    wait_idle(qtbot, runner)

    assert dialog.isVisible()
    assert dialog.error_text("at") == "That time has passed: pick a time from now on."
    assert queue.get(item.id) == item


def test_alt_down_moves_the_focused_share_and_the_stored_times_swap(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    queue = QueueRepository(db)
    start = datetime.fromisoformat(NOW)
    first, second = (
        queue.add_share(channel="x", text=t, at=start + timedelta(hours=h))
        for t, h in (("first", 1), ("second", 5))
    )
    view = _view(qtbot, db, runner)
    view.activateWindow()
    qtbot.waitActive(view)
    assert "Alt+Down" in _row_button(view, first.id, "Move down").toolTip()
    assert not _row_button(view, first.id, "Move up").isEnabled()  # already the first

    view.rows[first.id].setFocus()
    qtbot.waitUntil(view.rows[first.id].hasFocus)
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(view.rows[first.id], Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, runner)

    assert queue.get(first.id).scheduled_at == second.scheduled_at
    assert queue.get(second.id).scheduled_at == first.scheduled_at
    assert [i.id for i in view.data.shares] == [second.id, first.id]
    qtbot.waitUntil(view.rows[first.id].hasFocus)  # the moved row keeps the focus

    notices: list[str] = []
    view.notice.connect(notices.append)
    qtbot.keyClick(view.rows[first.id], Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, runner)
    assert notices == ["Already the last queued X share"]
    assert queue.get(first.id).scheduled_at == second.scheduled_at
