"""The machinery behind the queue, X tracking and reminder checks: one run at a time, nothing
said once shut down, and a failed run neither silent nor the end of checking.

Runs are held on a gate, so "a run is under way" is a fact, not a race; the timer is driven by
emitting its `timeout` rather than by waiting for it.
"""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from smarketing_desktop.ui.periodic_task import PeriodicCheck
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle


class Counter(PeriodicCheck[int]):
    """Counts its runs on the network pool; each may be held on `gate` or made to fail."""

    def __init__(self, runner: TaskRunner, *, stopped: bool = False) -> None:
        super().__init__(runner, interval_ms=60_000, stopped=stopped)
        self.gate: threading.Event | None = None
        self.fail = False
        self.calls = 0
        self.results: list[int] = []
        self.errors: list[str] = []

    def _submit(self) -> bool:
        return self._run_network(self._work)

    def _work(self) -> int:
        self.calls += 1
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.fail:
            raise RuntimeError("the site is down")
        return self.calls

    def _on_result(self, result: int) -> None:
        self.results.append(result)


def started_and_held(qtbot: QtBot, runner: TaskRunner) -> tuple[Counter, threading.Event]:
    """A started check whose first run is under way, held until the returned gate is set."""
    check = Counter(runner)
    check.gate = threading.Event()
    check.start()
    qtbot.waitUntil(lambda: check.calls == 1, timeout=5000)
    return check, check.gate


def test_a_tick_while_a_run_is_under_way_does_not_start_another(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    check, gate = started_and_held(qtbot, runner)
    assert check.running and check.timer.isActive()
    check.timer.timeout.emit()
    assert check.check_now() is False
    gate.set()
    wait_idle(qtbot, runner)
    assert check.calls == 1 and check.results == [1]
    assert not check.running

    check.timer.timeout.emit()  # the next tick, with nothing under way, runs
    wait_idle(qtbot, runner)
    assert check.results == [1, 2]
    check.shutdown()


def test_after_shutdown_a_finishing_run_says_nothing_and_no_new_run_starts(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    check, gate = started_and_held(qtbot, runner)
    check.shutdown()
    assert not check.timer.isActive()
    gate.set()
    wait_idle(qtbot, runner)
    assert check.results == [] and not check.running
    assert check.check_now() is False
    check.timer.timeout.emit()
    wait_idle(qtbot, runner)
    assert check.calls == 1


def test_a_failed_run_reports_a_notice_and_the_next_tick_runs_again(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    notices: list[str] = []
    runner.notice.connect(notices.append)
    check = Counter(runner)
    check.fail = True
    check.start()
    wait_idle(qtbot, runner)
    assert notices == ["Something went wrong: the site is down"]
    assert not check.running

    check.fail = False
    check.timer.timeout.emit()
    wait_idle(qtbot, runner)
    assert check.calls == 2 and check.results == [2]
    check.shutdown()


def test_a_check_made_stopped_waits_for_start(qtbot: QtBot, runner: TaskRunner) -> None:
    check = Counter(runner, stopped=True)
    assert check.check_now() is False
    check.start()
    wait_idle(qtbot, runner)
    assert check.results == [1]
    check.shutdown()


def test_a_refused_run_leaves_the_check_free_to_try_again(qtbot: QtBot, runner: TaskRunner) -> None:
    check = Counter(runner)
    runner.shutdown()  # the runner now refuses work, as it does while the app quits
    assert check.check_now() is False
    assert not check.running


def test_a_single_shot_timer_is_left_for_the_subclass_to_arm(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    check = Counter(runner)
    check.timer.setSingleShot(True)
    check.start()
    wait_idle(qtbot, runner)
    assert check.results == [1] and not check.timer.isActive()
    check.shutdown()
