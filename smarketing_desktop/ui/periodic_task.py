"""A check that runs in the background on a timer, at most one run at a time.

The queue's release of due shares, X tracking and the daily reminder all follow one pattern:
check at start-up, then whenever the timer fires; hand the work to the `TaskRunner` so it stays
off the UI thread; never start a second run while one is under way (two runs would claim the
same rows and do the work twice; the skipped tick is caught up by the next one); and once shut
down, let a run under way finish on its own but ignore what it brings back, because the window
it would speak to is going away. This base holds that machinery so each controller says only
what it checks, how often, and what the answer means.

A repeating timer starts with `start()`. A single-shot timer (the reminder, which sleeps until
the moment worth asking) is armed by the subclass after each run instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Slot

from smarketing_desktop.ui.tasks import TaskRunner

R = TypeVar("R")


class PeriodicCheck(QObject, Generic[R]):
    """The timer, the one-run guard, `start`/`shutdown`, and the hand-off of outcomes.

    Subclasses implement `_submit` (hand the work to the runner, usually through `_run_db` or
    `_run_network`) and `_on_result`; `_on_error` defaults to the runner's status-bar notice.
    Neither hook is called once the check is shut down.
    """

    def __init__(
        self,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        interval_ms: int = 0,
        stopped: bool = False,
    ) -> None:
        """`stopped=True` makes `check_now` refuse until `start()`, for checks that must not
        run in a window nobody started (tests build windows without starting them)."""
        super().__init__(parent)
        self._runner = runner
        self._running = False
        self._stopped = stopped
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_tick)

    @property
    def running(self) -> bool:
        """A run was handed to the runner and its outcome has not come back yet."""
        return self._running

    @property
    def stopped(self) -> bool:
        return self._stopped

    def start(self) -> None:
        """Check now (what came due while the app was closed), then on the timer."""
        self._stopped = False
        if not self.timer.isSingleShot():
            self.timer.start()
        self._check_at_start()

    def shutdown(self) -> None:
        """Stop the timer; a run under way ends on its own (the runner's shutdown awaits it)
        and its outcome is ignored."""
        self._stopped = True
        self.timer.stop()

    @Slot()
    def check_now(self) -> bool:
        """Starts a check unless one is running (or shut down); True when one was started."""
        return self._launch(self._submit)

    # -- for subclasses ------------------------------------------------------------------

    def _submit(self) -> bool:
        """Hand one run's work to the runner; False when the runner refused it."""
        raise NotImplementedError

    def _on_result(self, result: R) -> None:
        """What a finished run means for the rep (called on the UI thread)."""
        raise NotImplementedError

    def _on_error(self, exc: Exception) -> None:
        """A failed run: by default the runner's notice (logged unless it is a UserError)."""
        self._runner.report_error(exc)

    def _check_at_start(self) -> None:
        self.check_now()

    def _launch(self, submit: Callable[[], bool]) -> bool:
        """The one-run guard around `submit`, for subclasses whose `check_now` takes options."""
        if self._running or self._stopped:
            return False
        self._running = True
        if not submit():
            self._running = False
            return False
        return True

    def _run_db(self, work: Callable[[], R]) -> bool:
        return self._runner.run_db(work, self._finished, self._failed, context=self)

    def _run_network(self, work: Callable[[], R]) -> bool:
        return self._runner.run_network(work, self._finished, self._failed, context=self)

    def _end_run(self) -> None:
        """For a subclass that ends a run early (a first stage found nothing to do)."""
        self._running = False

    # -- internals -----------------------------------------------------------------------

    def _on_tick(self) -> None:
        self.check_now()

    def _finished(self, result: R) -> None:
        self._running = False
        if not self._stopped:
            self._on_result(result)

    def _failed(self, exc: Exception) -> None:
        self._running = False
        if not self._stopped:
            self._on_error(exc)
