"""The daily reminder of due plan steps and follow-ups, and the notifier that carries it (and the
queue's news): a desktop message with a tray, the status bar without one, once a day.

The clock is injected: Monday 23 November 2026 in a fixed zone, the reminder at 09:00. The plan
starts late, so its first step is due that day; a second step is moved onto it, and one
follow-up is due too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone

import pytest
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.opportunities import OpportunityDraft, OpportunityRepository
from smarketing_desktop.db.repositories.plans import PlanRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.repositories.reminders import ReminderLog
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.areas import PLAN, QUEUE, TODAY
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.notifier import Notifier
from smarketing_desktop.ui.queue_controller import QueueController
from smarketing_desktop.ui.reminder_controller import (
    MAX_WAIT_MS,
    ReminderCheck,
    ReminderController,
)
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.conftest import OFFSCREEN_SIZE_HINTS
from tests.gui.helpers import wait_idle

ZONE = timezone(timedelta(hours=1))
MONDAY = date(2026, 11, 23)
MESSAGE = "2 plan steps and 1 follow-up are due today"


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


class FakeTray(QSystemTrayIcon):
    """A tray icon that records its messages instead of asking the platform to show them."""

    def __init__(self) -> None:
        pixmap = QPixmap(16, 16)
        pixmap.fill()
        super().__init__(QIcon(pixmap))
        self.messages: list[tuple[str, str]] = []
        self.visible = False

    def show(self) -> None:
        self.visible = True

    def hide(self) -> None:
        self.visible = False

    def showMessage(self, title: str, msg: str, *_args: object) -> None:
        self.messages.append((title, msg))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    # Noon UTC is 23 November in every zone the machine may be in: plans are laid from it.
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T12:00:00+00:00")


@pytest.fixture
def due_work(db: Database) -> None:
    prospect = ProspectRepository(db).add(ProspectDraft(name="Dana", company="Northwind")).id
    opportunity = OpportunityRepository(db).add(
        OpportunityDraft(prospect, "Warehouse move", date(2027, 2, 15), amount="50000")
    )
    plans = PlanRepository(db)
    steps = plans.generate(opportunity.id, candidates=[]).steps
    assert steps[0].due == MONDAY  # a late plan starts today
    plans.move(steps[1].id, MONDAY)
    queue = QueueRepository(db)
    queue.add_followup(prospect_id=prospect, due=MONDAY, note="Send the workshop link")
    queue.add_followup(prospect_id=prospect, due=MONDAY + timedelta(days=1), note="Not yet")


@pytest.fixture
def notices(qtbot: QtBot) -> Iterator[tuple[Notifier, list[str]]]:
    notifier = Notifier(tray_available=lambda: False)
    seen: list[str] = []
    notifier.notice.connect(seen.append)
    yield notifier, seen


@pytest.mark.usefixtures("due_work")
def test_the_reminder_comes_once_at_its_time_in_the_window_without_a_tray(
    qtbot: QtBot, db: Database, runner: TaskRunner, notices: tuple[Notifier, list[str]]
) -> None:
    notifier, seen = notices
    clock = Clock(at(8, 30))
    controller = ReminderController(db, runner, notifier, now=clock)
    reminded: list[str] = []
    controller.reminded.connect(reminded.append)

    controller.start()
    wait_idle(qtbot, runner)
    assert seen == [] and ReminderLog(db).last_reminded() is None
    assert controller.timer.isActive() and controller.timer.interval() == MAX_WAIT_MS

    clock.now = at(8, 58)
    controller.check_now()
    wait_idle(qtbot, runner)
    assert seen == []
    assert controller.timer.interval() == 2 * 60_000  # wakes at nine, not five minutes later

    clock.now = at(9, 0)
    controller.check_now()
    wait_idle(qtbot, runner)
    assert seen == [MESSAGE] and reminded == [MESSAGE]
    assert list(notifier.shown) == [("window", MESSAGE)]
    assert ReminderLog(db).last_reminded() == MONDAY

    clock.now = at(15, 0)
    controller.check_now()
    wait_idle(qtbot, runner)
    assert seen == [MESSAGE]  # never twice a day
    controller.shutdown()
    assert not controller.timer.isActive()

    # The next day, at its time.
    clock.now = at(9, 5, MONDAY + timedelta(days=1))
    again = ReminderController(db, runner, notifier, now=clock)
    again.start()
    wait_idle(qtbot, runner)
    assert len(seen) == 2 and seen[1].endswith(" plan steps and 2 follow-ups are due today")
    again.shutdown()


@pytest.mark.usefixtures("due_work")
def test_a_reminder_missed_while_the_app_was_closed_comes_at_start_not_after_a_restart(
    qtbot: QtBot, db: Database, runner: TaskRunner, notices: tuple[Notifier, list[str]]
) -> None:
    notifier, seen = notices
    ReminderLog(db).claim(MONDAY - timedelta(days=3))  # last reminded on Friday
    first = ReminderController(db, runner, notifier, now=Clock(at(10, 40)))
    first.start()
    wait_idle(qtbot, runner)
    assert seen == [MESSAGE]
    first.shutdown()

    restarted = ReminderController(db, runner, notifier, now=Clock(at(11, 0)))
    restarted.start()
    wait_idle(qtbot, runner)
    assert seen == [MESSAGE]
    restarted.shutdown()


@pytest.mark.usefixtures("due_work")
def test_an_empty_reminder_time_turns_reminders_off_and_a_new_time_counts_at_once(
    qtbot: QtBot, db: Database, runner: TaskRunner, notices: tuple[Notifier, list[str]]
) -> None:
    notifier, seen = notices
    settings = SettingsRepository(db)
    settings.set_text("reminder_time", "")
    controller = ReminderController(db, runner, notifier, now=Clock(at(10)))
    controller.start()
    wait_idle(qtbot, runner)
    assert seen == [] and ReminderLog(db).last_reminded() is None
    assert controller.timer.interval() == MAX_WAIT_MS  # still asks, in case it is turned on

    settings.set_text("reminder_time", "9:45")
    controller.settings_changed("reminder_time")
    wait_idle(qtbot, runner)
    assert seen == [MESSAGE]
    controller.shutdown()


def test_nothing_due_means_no_message_but_the_day_counts_as_reminded(
    qtbot: QtBot, db: Database, runner: TaskRunner, notices: tuple[Notifier, list[str]]
) -> None:
    notifier, seen = notices
    controller = ReminderController(db, runner, notifier, now=Clock(at(9, 30)))
    controller.start()
    wait_idle(qtbot, runner)
    assert seen == [] and list(notifier.shown) == []
    assert ReminderLog(db).last_reminded() == MONDAY
    controller.shutdown()


def test_with_a_tray_the_reminder_is_a_desktop_message_whose_click_leads_to_today(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    tray = FakeTray()
    notifier = Notifier(tray=tray, tray_available=lambda: True)
    seen: list[str] = []
    opened: list[str] = []
    notifier.notice.connect(seen.append)
    notifier.activated.connect(opened.append)
    checks: list[datetime] = []

    def check(now: datetime) -> ReminderCheck:
        checks.append(now)
        return ReminderCheck("1 plan step is due today", at(9, day=MONDAY + timedelta(days=1)))

    controller = ReminderController(db, runner, notifier, check=check, now=Clock(at(9, 1)))
    controller.start()
    wait_idle(qtbot, runner)
    assert checks == [at(9, 1)]
    assert tray.visible and tray.messages == [("Smarketing Desktop", "1 plan step is due today")]
    assert seen == []  # the desktop has it; the status bar is not used twice

    tray.messageClicked.emit()
    assert opened == [TODAY.key]
    controller.shutdown()


def test_the_queue_uses_the_same_notifier_for_its_desktop_message(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    tray = FakeTray()
    notifier = Notifier(tray=tray, tray_available=lambda: True)
    opened: list[str] = []
    notifier.activated.connect(opened.append)
    controller = QueueController(db, runner, notifier=notifier, check=lambda: ([], 2, 0))
    notices: list[str] = []
    controller.notice.connect(notices.append)
    controller.check_now()
    wait_idle(qtbot, runner)
    assert notices == ["2 posted to X"]
    assert tray.messages == [("Smarketing Desktop", "2 posted to X")]
    tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert opened == [QUEUE.key]
    controller.shutdown()
    assert not tray.visible

    # Without a tray the status bar notice is all there is, shown once.
    quiet = Notifier(tray_available=lambda: False)
    window_notices: list[str] = []
    quiet.notice.connect(window_notices.append)
    plain = QueueController(db, runner, notifier=quiet, check=lambda: ([], 1, 0))
    plain.notice.connect(notices.append)
    plain.check_now()
    wait_idle(qtbot, runner)
    assert notices[-1] == "1 posted to X" and window_notices == []


@pytest.mark.usefixtures("due_work")
@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, r"^This plugin does not support raise\(\)$")
def test_the_window_shows_the_reminder_in_its_status_bar_and_a_click_goes_to_today(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T10:00:00")  # local time, after nine
    reminder = window.findChild(ReminderController)
    notifier = window.findChild(Notifier)
    assert reminder is not None and notifier is not None
    assert window.queue_controller is not None and window.queue_controller.notifier is notifier
    reminder.start()
    wait_idle(qtbot, window.runner)
    assert window.statusBar().currentMessage() == MESSAGE
    reminder.shutdown()

    window.go_to(PLAN.key)
    notifier.activated.emit(TODAY.key)  # what a click on the desktop message sends
    assert window.current_area is TODAY
