"""Moves slow work off the UI thread and brings its outcome back onto it.

Database work goes to a single worker, so writes never contend for SQLite's lock and happen in
the order the user asked for them. Network work goes to a small parallel pool, so one slow host
does not hold up the others or the database. Outcomes travel back as closures through a queued
signal, so callbacks always run on the UI thread and may touch widgets (the pattern of Anki's
`aqt/taskman.py` and Picard's `util/thread.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.ui.signals import emit

log = logging.getLogger(__name__)

T = TypeVar("T")
SuccessCallback = Callable[[T], object]
FailureCallback = Callable[[Exception], object]

NETWORK_WORKERS = 4


def describe_error(exc: BaseException) -> str:
    """User errors speak for themselves; anything else is a bug or an outage, said plainly."""
    if isinstance(exc, UserError):
        return str(exc)
    detail = str(exc).strip() or type(exc).__name__
    return f"Something went wrong: {detail}"


class TaskRunner(QObject):
    """Runs callables in the background and calls back on the UI thread.

    `notice` carries messages meant for the status bar: failures nobody handled, and failures
    of callbacks themselves. `idle` fires whenever the last outstanding task has delivered, which
    is what tests (and a busy indicator) wait on. Submit work from the UI thread only (callbacks
    may chain further tasks: they run there too).
    """

    notice = Signal(str)
    idle = Signal()
    _deliver = Signal(object)

    def __init__(
        self, parent: QObject | None = None, *, network_workers: int = NETWORK_WORKERS
    ) -> None:
        super().__init__(parent)
        self._db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smarketing-db")
        self._network_pool = ThreadPoolExecutor(
            max_workers=network_workers, thread_name_prefix="smarketing-net"
        )
        self._pending = 0
        self._closed = False
        self._deliver.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet."""
        return self._pending

    @property
    def is_shut_down(self) -> bool:
        return self._closed

    def run_db(
        self,
        fn: Callable[[], T],
        on_success: SuccessCallback[T] | None = None,
        on_failure: FailureCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> bool:
        """Queue database work behind earlier database work. False once shut down.

        With `context`, the callbacks are skipped if that widget is gone by the time the
        result arrives (a dialog closed while its data loaded).
        """
        return self._submit(self._db_pool, fn, on_success, on_failure, context)

    def run_network(
        self,
        fn: Callable[[], T],
        on_success: SuccessCallback[T] | None = None,
        on_failure: FailureCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> bool:
        """Run network work alongside other network work. False once shut down."""
        return self._submit(self._network_pool, fn, on_success, on_failure, context)

    def report_error(self, exc: BaseException) -> None:
        """The default failure handling, also for callers that handle only some errors."""
        if not isinstance(exc, UserError):
            log.error("A background task failed", exc_info=exc)
        emit(self.notice, describe_error(exc))

    def shutdown(self) -> None:
        """Let running and queued database work finish (it may be a save); drop queued network work.

        Callbacks that arrive afterwards are dropped, because the widgets they would update are
        going away.
        """
        if self._closed:
            return
        self._closed = True
        self._network_pool.shutdown(wait=True, cancel_futures=True)
        self._db_pool.shutdown(wait=True)
        log.debug("Task runner shut down")

    # -- internals -----------------------------------------------------------------------

    def _submit(
        self,
        pool: Executor,
        fn: Callable[[], T],
        on_success: SuccessCallback[T] | None,
        on_failure: FailureCallback | None,
        context: QObject | None,
    ) -> bool:
        if self._closed:
            log.debug("Task runner is shut down; not running %r", fn)
            return False
        self._pending += 1
        pool.submit(self._work, fn, on_success, on_failure, context)
        return True

    def _work(
        self,
        fn: Callable[[], T],
        on_success: SuccessCallback[T] | None,
        on_failure: FailureCallback | None,
        context: QObject | None,
    ) -> None:
        """Runs on a worker thread: never touch widgets here."""
        try:
            result = fn()
        except Exception as exc:
            error = exc

            def deliver() -> None:
                if on_failure is None:
                    self.report_error(error)
                else:
                    on_failure(error)

        else:

            def deliver() -> None:
                if on_success is not None:
                    on_success(result)

        emit(self._deliver, (deliver, context))

    def _on_delivered(self, payload: Any) -> None:
        deliver, context = payload
        try:
            if self._closed:
                return
            if context is not None and not shiboken6.isValid(context):
                return
            deliver()
        except Exception as exc:
            log.exception("A background task's callback failed")
            emit(self.notice, describe_error(exc))
        finally:
            self._pending -= 1
            if self._pending == 0:
                emit(self.idle)
