"""Checking feeds in the background: on a timer, at start-up, and when the rep asks.

One refresh at a time: two runs would claim the same feeds and double the load on every site,
and the rep could not tell which progress bar meant what. A timer tick while a run is going is
skipped quietly (the next tick catches up, since due feeds stay due); a request from the rep is
refused with a notice, so the click is never silently lost.

`refresh_feeds` blocks for as long as the slowest site takes, so it runs on the task runner's
network pool; its progress callback runs on that worker and reaches the window through a queued
signal. Cancelling sets a threading.Event that the refresh checks between results; the window
awaits the run when it closes (the runner's shutdown joins the network pool).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.feeds.refresh import RefreshSummary, refresh_feeds
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

RunKind = Literal["due", "all", "feeds"]
RefreshFunction = Callable[..., RefreshSummary]
ALREADY_RUNNING = "Feeds are already being checked; wait for it to finish or press Stop."
MINUTE_MS = 60_000
DEFAULT_INTERVAL_MINUTES = 30


@dataclass(frozen=True)
class RefreshOutcome:
    """What a finished run reports to the window."""

    kind: RunKind
    summary: RefreshSummary
    cancelled: bool


@dataclass(frozen=True)
class RefreshSettings:
    interval_minutes: int
    on_start: bool


def summary_text(outcome: RefreshOutcome) -> str:
    """The status-bar line after a run: what is new, and what needs the rep's attention."""
    summary = outcome.summary
    if outcome.cancelled:
        return f"Stopped checking feeds ({_done(summary)} of {summary.feeds} checked)."
    if summary.feeds == 0:
        return "There were no feeds to check."
    parts = [plural(summary.new_entries, "new post") if summary.new_entries else "No new posts"]
    if summary.errors:
        verb = "has" if summary.errors == 1 else "have"
        parts.append(f"{plural(summary.errors, 'feed')} {verb} a problem")
    return "; ".join(parts)


def _done(summary: RefreshSummary) -> int:
    return summary.updated + summary.not_modified + summary.errors


def load_refresh_settings(settings: SettingsRepository) -> RefreshSettings:
    """Runs on the database worker."""
    return RefreshSettings(
        int(settings.get("refresh_interval_minutes")), bool(settings.get("refresh_on_start"))
    )


class RefreshController(QObject):
    """Owns the refresh timer and the one refresh that may run at a time.

    `after_refresh` runs on the worker after every run (the app passes the content library's
    sync of company feeds, as `smarketing refresh` does).

    Signals: `started(kind)`, `progress(done, total)` (queued from the worker), `finished`
    (a RefreshOutcome), `running_changed(bool)`, `cancelling()` once Stop was pressed, and
    `notice(text)` for the status bar.
    """

    started = Signal(str)
    progress = Signal(int, int)
    finished = Signal(object)
    running_changed = Signal(bool)
    cancelling = Signal()
    notice = Signal(str)

    def __init__(
        self,
        feeds: FeedRepository,
        settings: SettingsRepository,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        refresh: RefreshFunction = refresh_feeds,
        refresh_options: dict[str, Any] | None = None,
        after_refresh: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._feeds = feeds
        self._settings = settings
        self._runner = runner
        self._refresh = refresh
        self._options = dict(refresh_options or {})
        self._after_refresh = after_refresh
        self._cancel: threading.Event | None = None
        self._kind: RunKind | None = None
        self._shut_down = False
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self.timer.timeout.connect(self._on_tick)

    # -- state ---------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._kind is not None

    @property
    def is_cancelling(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    @property
    def running_kind(self) -> RunKind | None:
        return self._kind

    @property
    def interval_minutes(self) -> int:
        return self.timer.interval() // MINUTE_MS

    # -- starting and stopping -----------------------------------------------------------

    def start(self) -> None:
        """Read the settings, start the timer, and check due feeds now if the rep wants that."""
        self._runner.run_db(
            lambda: load_refresh_settings(self._settings),
            self._apply_settings,
            self._settings_failed,
        )

    def set_interval_minutes(self, minutes: int) -> None:
        self.timer.start(max(1, minutes) * MINUTE_MS)

    def shutdown(self) -> None:
        """Stop the timer and cancel a run; the runner's shutdown then waits for it to end."""
        self._shut_down = True
        self.timer.stop()
        self.cancel()

    def cancel(self) -> None:
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            emit(self.cancelling)

    # -- runs ----------------------------------------------------------------------------

    def refresh_due(self) -> bool:
        """The timer's run: only feeds whose next check has come. Quiet when busy."""
        if self.is_running:
            return False
        return self._run("due", due_only=True)

    def refresh_all(self) -> bool:
        """The rep's "Refresh all": every feed (except those a site asked us to leave alone)."""
        if self.is_running:
            emit(self.notice, ALREADY_RUNNING)
            return False
        return self._run("all")

    def refresh_feeds(self, feed_ids: Sequence[int]) -> bool:
        """Check some feeds now (Retry, a single feed's Refresh)."""
        if self.is_running:
            emit(self.notice, ALREADY_RUNNING)
            return False
        return self._run("feeds", feed_ids=list(feed_ids))

    # -- internals -----------------------------------------------------------------------

    def _apply_settings(self, settings: RefreshSettings) -> None:
        if self._shut_down:
            return
        self.set_interval_minutes(settings.interval_minutes)
        if settings.on_start:
            self.refresh_due()

    def _settings_failed(self, exc: Exception) -> None:
        """Keep checking feeds on the default schedule; the rep hears why settings were odd."""
        self._runner.report_error(exc)
        if not self._shut_down:
            self.set_interval_minutes(DEFAULT_INTERVAL_MINUTES)

    def _on_tick(self) -> None:
        self.refresh_due()

    def _run(self, kind: RunKind, **arguments: Any) -> bool:
        if self._shut_down:
            return False
        cancel = threading.Event()
        options = {**self._options, **arguments}

        def report(done: int, total: int) -> None:  # on the refresh's thread
            emit(self.progress, done, total)

        def work() -> RefreshSummary:
            summary = self._refresh(self._feeds, progress=report, cancel=cancel, **options)
            if self._after_refresh is not None:
                try:
                    self._after_refresh()
                except Exception:
                    # The posts are stored; what follows them (filling the content library)
                    # failing must not hide that from the rep.
                    log.exception("The step after checking feeds failed")
            return summary

        submitted = self._runner.run_network(
            work,
            lambda summary: self._finished(kind, cancel, summary),
            self._failed,
        )
        if not submitted:
            return False
        self._cancel = cancel
        self._kind = kind
        emit(self.started, kind)
        emit(self.running_changed, True)
        return True

    def _end(self) -> None:
        self._cancel = None
        self._kind = None
        emit(self.running_changed, False)

    def _finished(self, kind: RunKind, cancel: threading.Event, summary: RefreshSummary) -> None:
        self._end()
        outcome = RefreshOutcome(kind, summary, cancel.is_set())
        emit(self.finished, outcome)
        quiet = kind == "due" and not summary.new_entries and not summary.errors
        if not quiet:
            emit(self.notice, summary_text(outcome))

    def _failed(self, exc: Exception) -> None:
        self._end()
        log.error("Checking feeds failed", exc_info=exc)
        self._runner.report_error(exc)


class RefreshStatus(QWidget):
    """The status bar's part: "Checking feeds 12/40", a progress bar and Stop; hidden when idle."""

    def __init__(self, controller: RefreshController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.label = QLabel("", self)
        self.label.setAccessibleName("Feed check progress")
        self.bar = accessible(QProgressBar(self), "Feeds checked")
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.stop_button = accessible(
            QToolButton(self),
            "Stop checking feeds",
            "Stop checking feeds (posts found so far stay)",
        )
        self.stop_button.setText("Stop")
        self.stop_button.setAutoRaise(True)
        self.stop_button.clicked.connect(controller.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.stop_button)
        controller.started.connect(self._on_started)
        controller.cancelling.connect(self._on_cancelling)
        controller.progress.connect(self._on_progress)
        controller.running_changed.connect(self._on_running)
        self.setVisible(False)

    def _on_cancelling(self) -> None:
        self.stop_button.setEnabled(False)
        self.label.setText("Stopping…")

    def _on_started(self, _kind: str) -> None:
        self.label.setText("Checking feeds…")
        self.bar.setRange(0, 0)  # busy until the first result says how many there are
        self.stop_button.setEnabled(True)

    def _on_progress(self, done: int, total: int) -> None:
        if not self._controller.is_running or self._controller.is_cancelling:
            return  # a late report from a run that finished or is stopping
        self.label.setText(f"Checking feeds {done}/{total}")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_running(self, running: bool) -> None:
        self.setVisible(running)
        if not running:
            self.bar.reset()
