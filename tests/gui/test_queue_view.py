"""The Queue area and its controller: ready shares, posting by hand, releasing once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.queue_controller import QueueController
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
