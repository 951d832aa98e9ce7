"""Tracks prospects' X posts while the window is open: at start-up, then every x_poll_minutes.

Each run first reads, on the database worker, whether anything can be read (an X account or an
app bearer token in the keyring) and whether any prospect has an X handle; only then does
`x_tracking.track` run on the network pool. At most one run at a time: two runs would claim the
same prospects and pay X twice for nothing. A tick while a run is going is skipped (the next
one catches up).

The start-up run checks only prospects whose check is due (the previous session may have
checked minutes ago); timer runs check every tracked prospect, because the timer itself is the
schedule and a feed claimed a few milliseconds after the last tick would otherwise count as
"not yet due" and wait a second interval. X's rate limits and the monthly budget are honoured
either way: a 429 makes the controller wait until X's reset time, and `track` stops before the
budget would be passed.

The rep hears the outcome in plain words through `notice` (new posts, a paused budget, a
sign-in X no longer accepts and what to do, a rate-limit wait); repeated problems are said once,
not every hour. `changed` tells the Inbox to reload. The interval is re-read before every run
and whenever a setting changes (`settings_changed`, wired to the Settings area).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal, Slot

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_budget import every
from smarketing_desktop.social.x_client import local_hhmm
from smarketing_desktop.social.x_tracking import TrackPlan, TrackReport, track, track_plan
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.periodic_task import PeriodicCheck
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

MINUTE_MS = 60_000
DEFAULT_POLL_MINUTES = 60
# Settings whose change may change what the next run does (or when it comes).
WATCHED_SETTINGS = frozenset({"x_poll_minutes", "x_monthly_budget_usd"})

TrackFunction = Callable[[bool], TrackReport]  # due_only -> report
PlanFunction = Callable[[], TrackPlan]


def new_posts_text(report: TrackReport) -> str | None:
    if not report.new_posts:
        return None
    prospects = max(report.prospects_with_new_posts, 1)
    return (
        f"{plural(report.new_posts, 'new X post')} from {plural(prospects, 'prospect')}: "
        "see the Inbox"
    )


def problem_text(report: TrackReport, poll_minutes: int) -> str | None:
    """What stopped (part of) a run, said so the rep knows whether to act."""
    if report.error:
        # The client's messages say what to do (reconnect, fix the app's access, wait).
        return f"X tracking stopped: {report.error}"
    if report.next_try_after is not None:
        return (
            "X tracking waits: X's rate limit was reached; next try after "
            f"{local_hhmm(report.next_try_after)}."
        )
    budget = report.budget
    if budget is not None and budget.reached:
        return (
            f"X tracking paused: this month's budget of ${budget.budget_usd} is reached; it fits "
            f"{plural(budget.fits_prospects, 'prospect')} checked {every(poll_minutes)}. It "
            "resumes next month, or raise the X budget (x_monthly_budget_usd) in Settings."
        )
    return None


def _default_track(db: Database, store: SecretStore) -> TrackFunction:
    def run(due_only: bool) -> TrackReport:
        return track(db, store, due_only=due_only)

    return run


class XTrackingController(PeriodicCheck[TrackReport]):
    """`notice(str)` for the status bar; `changed()` after a run that changed the Inbox."""

    notice = Signal(str)
    changed = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        store: SecretStore | None = None,
        plan: PlanFunction | None = None,
        track: TrackFunction | None = None,
    ) -> None:
        # Stopped until `start()`: a window nobody started (tests) must not pay X for runs.
        super().__init__(runner, parent, interval_ms=DEFAULT_POLL_MINUTES * MINUTE_MS, stopped=True)
        secret_store = store or SecretStore()
        self._plan = plan or (lambda: track_plan(db, secret_store))
        self._track = track or _default_track(db, secret_store)
        self._not_before: datetime | None = None
        self._last_problem: str | None = None
        self.poll_minutes = DEFAULT_POLL_MINUTES
        self.runs = 0  # runs handed to `track` (tests and diagnostics)
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)

    @Slot(str)
    def settings_changed(self, key: str = "") -> None:
        """Re-read the interval when it (or the budget) changed; other settings are ignored."""
        if key and key not in WATCHED_SETTINGS:
            return
        self._last_problem = None  # a raised budget deserves a fresh word
        self._runner.run_db(self._plan, self._apply_interval, lambda _exc: None, context=self)

    @Slot()
    def connection_changed(self) -> None:
        """An account was connected or removed: forget old problems and try at once."""
        self._last_problem = None
        self._not_before = None
        if not self.stopped:
            self.check_now(due_only=True)

    def check_now(self, *, due_only: bool = False) -> bool:
        """Start a run unless one is going, tracking is stopped, or X asked us to wait."""
        if self._not_before is not None and clock.now() < self._not_before:
            return False
        return self._launch(
            lambda: self._runner.run_db(
                self._plan, lambda plan: self._planned(plan, due_only), self._failed, context=self
            )
        )

    # -- internals -----------------------------------------------------------------------

    def _check_at_start(self) -> None:
        """The previous session may have checked minutes ago: only prospects now due."""
        self.check_now(due_only=True)

    def _apply_interval(self, plan: TrackPlan) -> None:
        minutes = max(1, plan.poll_minutes)
        if minutes != self.poll_minutes:
            self.poll_minutes = minutes
            self.timer.setInterval(minutes * MINUTE_MS)  # restarts an active timer

    def _planned(self, plan: TrackPlan, due_only: bool) -> None:
        """The first stage's answer (on the UI thread): track on the network pool, or stop."""
        self._apply_interval(plan)
        if self.stopped or not plan.should_run:
            self._end_run()
            return
        self.runs += 1
        if not self._run_network(lambda: self._track(due_only)):
            self._end_run()

    def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, UserError):  # e.g. the account was removed between plan and run
            self._say_problem(f"X tracking stopped: {exc}")
            return
        self._runner.report_error(exc)

    def _on_result(self, report: TrackReport) -> None:
        self._not_before = report.next_try_after
        messages = [m for m in (new_posts_text(report),) if m]
        problem = problem_text(report, self.poll_minutes)
        if problem is None:
            self._last_problem = None
        elif problem != self._last_problem:
            self._last_problem = problem
            messages.append(problem)
        if report.new_posts or report.error or report.next_try_after is not None:
            emit(self.changed)
        if messages:
            emit(self.notice, " ".join(messages))

    def _say_problem(self, text: str) -> None:
        if text != self._last_problem:
            self._last_problem = text
            emit(self.notice, text)
