"""The task runner keeps the window responsive and brings every outcome back to the UI thread."""

from __future__ import annotations

import threading
from functools import partial

import pytest
import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.ui.tasks import TaskRunner, describe_error


def test_ui_keeps_processing_events_while_a_slow_task_runs(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    started = threading.Event()
    release = threading.Event()
    results: list[int] = []

    def slow() -> int:
        started.set()
        assert release.wait(timeout=10)
        return 42

    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    runner.run_db(slow, results.append)
    # The main thread's timer keeps firing while the task is blocked on the event.
    qtbot.waitUntil(lambda: started.is_set() and len(ticks) >= 3, timeout=5000)
    assert results == []
    assert runner.pending == 1

    with qtbot.waitSignal(runner.idle, timeout=5000):
        release.set()
    timer.stop()
    assert results == [42]


def test_callbacks_run_on_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    worker_threads: list[str] = []
    callback_threads: list[threading.Thread] = []

    def work() -> str:
        worker_threads.append(threading.current_thread().name)
        return "done"

    with qtbot.waitSignal(runner.idle):
        runner.run_db(work, lambda _: callback_threads.append(threading.current_thread()))
    assert worker_threads[0].startswith("smarketing-db")
    assert callback_threads == [threading.main_thread()]


def test_database_work_runs_one_task_at_a_time_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    order: list[int] = []
    threads: set[str] = set()

    def task(n: int) -> int:
        threads.add(threading.current_thread().name)
        order.append(n)
        return n

    delivered: list[int] = []
    with qtbot.waitSignal(runner.idle):
        for n in range(6):
            runner.run_db(partial(task, n), delivered.append)
    assert order == delivered == list(range(6))
    assert len(threads) == 1


def test_network_work_runs_in_parallel(qtbot: QtBot, runner: TaskRunner) -> None:
    # Each task waits for the other: this only finishes if both run at the same time.
    barrier = threading.Barrier(2, timeout=10)
    done: list[int] = []
    with qtbot.waitSignal(runner.idle, timeout=15_000):
        runner.run_network(barrier.wait, done.append)
        runner.run_network(barrier.wait, done.append)
    assert sorted(done) == [0, 1]


def test_user_error_is_shown_as_its_own_message(qtbot: QtBot, runner: TaskRunner) -> None:
    def fail() -> None:
        raise UserError("There is no prospect with id 7.")

    with qtbot.waitSignal(runner.notice) as notice:
        runner.run_db(fail)
    assert notice.args == ["There is no prospect with id 7."]


def test_unexpected_error_is_logged_and_shown_plainly(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def fail() -> None:
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(runner.notice) as notice:
        runner.run_network(fail)
    assert notice.args == ["Something went wrong: disk on fire"]
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)


def test_failure_handler_gets_the_exception_instead_of_a_notice(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    notices: list[str] = []
    runner.notice.connect(notices.append)
    failures: list[Exception] = []

    def fail() -> None:
        raise ValueError("bad")

    with qtbot.waitSignal(runner.idle):
        runner.run_db(fail, on_failure=failures.append)
    assert [str(e) for e in failures] == ["bad"]
    assert notices == []


def test_a_failing_callback_becomes_a_notice(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_callback(_: int) -> None:
        raise KeyError("missing")

    with qtbot.waitSignal(runner.notice) as notice:
        runner.run_db(lambda: 1, broken_callback)
    assert str(notice.args[0]).startswith("Something went wrong")
    assert runner.pending == 0
    assert "callback failed" in caplog.text


def test_callbacks_for_a_deleted_context_are_skipped(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()
    release = threading.Event()
    called: list[int] = []

    def work() -> int:
        release.wait(timeout=10)
        return 1

    runner.run_db(work, called.append, context=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    with qtbot.waitSignal(runner.idle):
        release.set()
    assert called == []


def _alive(obj: QObject) -> bool:
    return bool(shiboken6.isValid(obj))


def test_shutdown_waits_for_running_database_work_and_refuses_more(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    started = threading.Event()
    release = threading.Event()
    finished = threading.Event()
    delivered: list[str] = []

    def save() -> str:
        started.set()
        release.wait(timeout=10)
        finished.set()
        return "saved"

    runner.run_db(save, delivered.append)
    assert started.wait(timeout=5)
    releaser = threading.Thread(target=release.set)
    releaser.start()
    runner.shutdown()
    releaser.join()

    assert finished.is_set()  # shutdown returned only after the save completed
    assert runner.is_shut_down
    assert runner.run_db(lambda: "late") is False
    QApplication.processEvents()  # a queued delivery arrives here: it must be dropped
    assert delivered == []


def test_describe_error_words() -> None:
    assert describe_error(UserError("Name is required")) == "Name is required"
    assert describe_error(OSError()) == "Something went wrong: OSError"
