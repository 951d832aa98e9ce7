"""X tracking on a timer in the window: only when something can be read and someone has an X
handle, one run at a time, plain-words notices, the budget stop said once, 429 waits, and the
interval re-read when settings change. `track` is injected (like QueueController's `check`);
the plan is the real one over the test database and the in-memory keyring unless stated."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import set_bearer_token
from smarketing_desktop.social.x_budget import Usage, budget_state
from smarketing_desktop.social.x_tracking import TrackPlan, TrackReport
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.x_tracking_controller import MINUTE_MS, XTrackingController
from tests.gui.helpers import wait_idle

NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
READY = TrackPlan(can_read=True, tracked_prospects=3, poll_minutes=60)


class Tracker:
    """The injected `track`: records calls (and their thread), answers with `report`."""

    def __init__(self, report: TrackReport | None = None) -> None:
        self.report = report or TrackReport(checked=1)
        self.calls: list[bool] = []
        self.threads: list[str] = []
        self.gate: threading.Event | None = None

    def __call__(self, due_only: bool) -> TrackReport:
        self.calls.append(due_only)
        self.threads.append(threading.current_thread().name)
        if self.gate is not None:
            self.gate.wait(10)
        return self.report


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW.isoformat())


def controller(
    qtbot: QtBot,
    db: Database,
    runner: TaskRunner,
    tracker: Tracker,
    plan: TrackPlan | None = None,
) -> tuple[XTrackingController, list[str]]:
    made = XTrackingController(
        db, runner, track=tracker, plan=(lambda: plan) if plan is not None else None
    )
    notices: list[str] = []
    made.notice.connect(notices.append)
    return made, notices


def test_no_run_without_a_connection_or_without_x_handles(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    tracker = Tracker()
    ctl, notices = controller(qtbot, db, runner, tracker)
    ctl.start()
    wait_idle(qtbot, runner)
    assert tracker.calls == [] and ctl.runs == 0 and notices == []

    ProspectRepository(db).add(ProspectDraft(name="Jane", x_handle="jane"))
    ctl.check_now()
    wait_idle(qtbot, runner)
    assert tracker.calls == []  # a handle, but nothing to read with

    set_bearer_token("AAAA-bearer-ctl", SecretStore())
    ctl.check_now()
    wait_idle(qtbot, runner)
    assert tracker.calls == [False]
    assert tracker.threads[0] != threading.main_thread().name  # off the UI thread
    ctl.shutdown()


def test_one_run_at_a_time(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    tracker = Tracker()
    tracker.gate = threading.Event()
    ctl, _notices = controller(qtbot, db, runner, tracker, READY)
    ctl.start()
    qtbot.waitUntil(lambda: len(tracker.calls) == 1, timeout=5000)
    assert ctl.running
    assert ctl.check_now() is False
    ctl.timer.timeout.emit()  # a tick while running is skipped
    tracker.gate.set()
    wait_idle(qtbot, runner)
    assert tracker.calls == [True]  # the start-up run checks due prospects only
    assert not ctl.running
    assert ctl.check_now() is True
    wait_idle(qtbot, runner)
    assert tracker.calls == [True, False]  # timer and manual runs check everyone
    ctl.shutdown()
    assert ctl.check_now() is False


def test_new_posts_are_announced_and_the_inbox_told(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    tracker = Tracker(TrackReport(checked=3, new_posts=4, prospects_with_new_posts=2))
    ctl, notices = controller(qtbot, db, runner, tracker, READY)
    with qtbot.waitSignal(ctl.changed, timeout=5000):
        ctl.start()
    wait_idle(qtbot, runner)
    assert notices == ["4 new X posts from 2 prospects: see the Inbox"]

    tracker.report = TrackReport(checked=3)
    ctl.check_now()
    wait_idle(qtbot, runner)
    assert len(notices) == 1  # nothing new: quiet
    ctl.shutdown()


def test_the_budget_stop_is_said_once_with_what_fits(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    usage = Usage("2027-03", posts_read=2000, users_read=0, posts_written=0,
                  posts_written_with_url=0, days_elapsed=31)  # fmt: skip
    state = budget_state(
        usage, budget_usd=10, poll_minutes=360, tracked_prospects=3, posts_per_check=60, now=NOW
    )
    assert state.reached
    tracker = Tracker(TrackReport(budget=state))
    plan = TrackPlan(can_read=True, tracked_prospects=3, poll_minutes=360)
    ctl, notices = controller(qtbot, db, runner, tracker, plan)
    ctl.start()
    wait_idle(qtbot, runner)
    ctl.check_now()
    wait_idle(qtbot, runner)
    assert len(tracker.calls) == 2
    (notice,) = notices
    assert notice.startswith("X tracking paused: this month's budget of $10 is reached; it fits ")
    assert f"{state.fits_prospects} prospects checked every 6 hours" in notice
    ctl.shutdown()


def test_auth_errors_say_what_to_do_and_429_waits_until_the_reset(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    refused = (
        "X did not accept the saved sign-in (X said: Unauthorized). Reconnect the X account "
        "(Settings > X account, or `smarketing x connect`)."
    )
    tracker = Tracker(TrackReport(error=refused))
    ctl, notices = controller(qtbot, db, runner, tracker, READY)
    changed: list[bool] = []
    ctl.changed.connect(lambda: changed.append(True))
    ctl.start()
    wait_idle(qtbot, runner)
    assert notices == [f"X tracking stopped: {refused}"]
    assert changed  # the inbox shows the error on the prospects' feeds

    reset = NOW + timedelta(minutes=12)
    tracker.report = TrackReport(next_try_after=reset)
    ctl.check_now()
    wait_idle(qtbot, runner)
    assert notices[-1].startswith("X tracking waits: X's rate limit was reached; next try after ")
    assert reset.astimezone().strftime("%H:%M") in notices[-1]
    assert ctl.check_now() is False  # X asked us to wait
    ctl.timer.timeout.emit()
    wait_idle(qtbot, runner)
    assert len(tracker.calls) == 2
    ctl.shutdown()


def test_the_interval_follows_the_setting(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    settings = SettingsRepository(db)
    settings.set_text("x_poll_minutes", "120")
    ctl, _notices = controller(qtbot, db, runner, Tracker())
    ctl.start()
    wait_idle(qtbot, runner)
    assert ctl.timer.interval() == 120 * MINUTE_MS and ctl.timer.isActive()

    settings.set_text("x_poll_minutes", "30")
    ctl.settings_changed("holiday_country")  # not ours: nothing re-read
    wait_idle(qtbot, runner)
    assert ctl.timer.interval() == 120 * MINUTE_MS
    ctl.settings_changed("x_poll_minutes")
    wait_idle(qtbot, runner)
    assert ctl.timer.interval() == 30 * MINUTE_MS and ctl.timer.isActive()
    ctl.shutdown()


def test_the_window_carries_a_quiet_controller_wired_to_its_status_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    ctl = window.findChild(XTrackingController)
    assert ctl is not None
    assert not ctl.timer.isActive()  # `main` starts it once the window is shown
    ctl.notice.emit("4 new X posts from 2 prospects: see the Inbox")
    assert window.statusBar().currentMessage() == "4 new X posts from 2 prospects: see the Inbox"
