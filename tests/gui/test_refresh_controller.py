"""The refresh controller: settings, timer, one run at a time, progress, stop, summary."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.refresh import RefreshSummary
from smarketing_desktop.ui.refresh_controller import (
    ALREADY_RUNNING,
    RefreshController,
    RefreshOutcome,
    RefreshStatus,
    summary_text,
)
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle


class FakeRefresh:
    """Stands in for refresh_feeds: records its calls, reports progress, may hold until released."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.saw_cancel = False
        self.summary = RefreshSummary(feeds=2, updated=1, not_modified=1)
        self.error: Exception | None = None

    def __call__(
        self,
        repo: FeedRepository,
        *,
        progress: Callable[[int, int], None],
        cancel: threading.Event,
        **options: Any,
    ) -> RefreshSummary:
        self.calls.append(options)
        progress(1, 2)
        if self.hold:
            self.holding.set()
            self.release.wait(10)
        self.saw_cancel = cancel.is_set()
        if self.error is not None:
            raise self.error
        return self.summary


@pytest.fixture
def fake() -> Iterator[FakeRefresh]:
    stub = FakeRefresh()
    yield stub
    stub.release.set()  # never leave a worker waiting


@pytest.fixture
def controller(db: Database, runner: TaskRunner, fake: FakeRefresh) -> Iterator[RefreshController]:
    made = RefreshController(FeedRepository(db), SettingsRepository(db), runner, refresh=fake)
    yield made
    made.shutdown()


def notices_of(controller: RefreshController) -> list[str]:
    seen: list[str] = []
    controller.notice.connect(seen.append)
    return seen


def test_start_uses_the_interval_setting_and_checks_due_feeds_at_once(
    qtbot: QtBot, db: Database, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    SettingsRepository(db).set("refresh_interval_minutes", 15)
    controller.start()
    wait_idle(qtbot, runner)
    assert controller.timer.isActive()
    assert controller.interval_minutes == 15
    assert fake.calls == [{"due_only": True}]


def test_no_check_at_start_when_the_rep_turned_it_off(
    qtbot: QtBot, db: Database, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    SettingsRepository(db).set("refresh_on_start", False)
    controller.start()
    wait_idle(qtbot, runner)
    assert controller.timer.isActive()
    assert controller.interval_minutes == 30
    assert fake.calls == []


def test_each_timer_tick_checks_due_feeds(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    controller.timer.setTimerType(Qt.TimerType.PreciseTimer)  # the app's rounds to seconds
    controller.timer.start(1)
    qtbot.waitUntil(lambda: bool(fake.calls))
    controller.timer.stop()
    wait_idle(qtbot, runner)
    assert fake.calls[0] == {"due_only": True}


def test_one_refresh_at_a_time(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    notices = notices_of(controller)
    outcomes: list[RefreshOutcome] = []
    controller.finished.connect(outcomes.append)
    fake.hold = True
    assert controller.refresh_all()
    qtbot.waitUntil(fake.holding.is_set)
    assert controller.is_running and controller.running_kind == "all"

    assert not controller.refresh_all()
    assert notices == [ALREADY_RUNNING]
    assert not controller.refresh_feeds([1])
    assert not controller.refresh_due()  # the timer's run: skipped without a word
    assert notices == [ALREADY_RUNNING, ALREADY_RUNNING]

    fake.summary = RefreshSummary(feeds=4, updated=2, errors=1, new_entries=3)
    fake.release.set()
    wait_idle(qtbot, runner)
    assert not controller.is_running
    assert [o.kind for o in outcomes] == ["all"]
    assert notices[-1] == "3 new posts; 1 feed has a problem"
    assert len(fake.calls) == 1 and fake.calls[0] == {}


def test_progress_shows_in_the_status_widget(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    status = RefreshStatus(controller)
    qtbot.addWidget(status)
    assert status.isHidden()
    fake.hold = True
    controller.refresh_all()
    qtbot.waitUntil(lambda: status.label.text() == "Checking feeds 1/2")
    assert not status.isHidden()
    assert (status.bar.value(), status.bar.maximum()) == (1, 2)
    fake.release.set()
    wait_idle(qtbot, runner)
    assert status.isHidden()


def test_stop_cancels_the_run_and_says_so(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    status = RefreshStatus(controller)
    qtbot.addWidget(status)
    notices = notices_of(controller)
    outcomes: list[RefreshOutcome] = []
    controller.finished.connect(outcomes.append)
    fake.hold = True
    fake.summary = RefreshSummary(feeds=5, updated=1, not_modified=1)
    controller.refresh_all()
    qtbot.waitUntil(fake.holding.is_set)
    qtbot.mouseClick(status.stop_button, Qt.MouseButton.LeftButton)
    assert controller.is_cancelling
    assert status.label.text() == "Stopping…" and not status.stop_button.isEnabled()
    fake.release.set()
    wait_idle(qtbot, runner)
    assert fake.saw_cancel
    assert outcomes[0].cancelled
    assert notices == ["Stopped checking feeds (2 of 5 checked)."]


def test_a_failing_refresh_is_reported_and_ends_the_run(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    reported: list[str] = []
    runner.notice.connect(reported.append)
    fake.error = RuntimeError("disk full")
    controller.refresh_all()
    wait_idle(qtbot, runner)
    assert not controller.is_running
    assert reported == ["Something went wrong: disk full"]
    assert controller.refresh_all()  # ready for the next one
    wait_idle(qtbot, runner)


def test_the_step_after_a_refresh_runs_and_its_failure_hides_no_news(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake: FakeRefresh
) -> None:
    ran: list[str] = []

    def after() -> None:
        ran.append("synced")
        raise RuntimeError("library locked")

    controller = RefreshController(
        FeedRepository(db), SettingsRepository(db), runner, refresh=fake, after_refresh=after
    )
    notices = notices_of(controller)
    fake.summary = RefreshSummary(feeds=1, updated=1, new_entries=2)
    controller.refresh_all()
    wait_idle(qtbot, runner)
    assert ran == ["synced"]
    assert notices == ["2 new posts"]
    controller.shutdown()


def test_background_runs_stay_quiet_unless_there_is_news(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    notices = notices_of(controller)
    controller.refresh_due()
    wait_idle(qtbot, runner)
    assert notices == []
    fake.summary = RefreshSummary(feeds=1, updated=1, new_entries=1)
    controller.refresh_due()
    wait_idle(qtbot, runner)
    assert notices == ["1 new post"]


def test_shutdown_stops_the_timer_and_refuses_new_runs(
    qtbot: QtBot, runner: TaskRunner, controller: RefreshController, fake: FakeRefresh
) -> None:
    controller.set_interval_minutes(5)
    controller.shutdown()
    assert not controller.timer.isActive()
    assert not controller.refresh_all()
    assert fake.calls == []


@pytest.mark.parametrize(
    ("summary", "cancelled", "text"),
    [
        (RefreshSummary(), False, "There were no feeds to check."),
        (RefreshSummary(feeds=3, not_modified=3), False, "No new posts"),
        (RefreshSummary(feeds=3, updated=1, new_entries=1), False, "1 new post"),
        (
            RefreshSummary(feeds=3, updated=1, errors=2, new_entries=4),
            False,
            "4 new posts; 2 feeds have a problem",
        ),
        (RefreshSummary(feeds=3, errors=1), False, "No new posts; 1 feed has a problem"),
        (RefreshSummary(feeds=40, updated=12), True, "Stopped checking feeds (12 of 40 checked)."),
    ],
)
def test_summary_text(summary: RefreshSummary, cancelled: bool, text: str) -> None:
    assert summary_text(RefreshOutcome("all", summary, cancelled)) == text
