"""The daily reminder: at the rep's `reminder_time`, "3 plan steps and 1 follow-up are due today".

When to remind is `core.reminders.decide` (pure); this class only asks it on the database
worker, shows the answer through the window's `Notifier` (a desktop message, or the status bar
without a tray) and sleeps until the next moment worth asking. Waits are capped, so a changed
setting, a clock change or a laptop back from sleep is noticed within minutes rather than at
tomorrow's time. Clicking the message brings the window to Today (the notifier's `activated`
carries the area; `build_main_window` connects it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, Signal, Slot

from smarketing_desktop import clock
from smarketing_desktop.core.reminders import decide, parse_reminder_time, reminder_message
from smarketing_desktop.db.repositories.reminders import ReminderLog, due_today
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.areas import TODAY
from smarketing_desktop.ui.notifier import Notifier
from smarketing_desktop.ui.periodic_task import PeriodicCheck
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

MAX_WAIT_MS = 5 * 60_000  # ask again at least this often (settings, clock, sleep)
MIN_WAIT_MS = 1_000


@dataclass(frozen=True)
class ReminderCheck:
    """One check's answer: the message to show (None: nothing to say) and when to ask again
    (None: reminders are off; asked again after the longest wait, in case they are turned on)."""

    message: str | None
    next_at: datetime | None


def local_now() -> datetime:
    """The app clock (`SMARKETING_NOW` pins it) in local time: reminder times are local."""
    return clock.now().astimezone()


def default_check(db: Database) -> Callable[[datetime], ReminderCheck]:
    """Runs on the database worker: decide, and when it is time, claim today and count."""

    def check(now: datetime) -> ReminderCheck:
        at = parse_reminder_time(str(SettingsRepository(db).get("reminder_time")))
        reminders = ReminderLog(db)
        decision = decide(now, at, reminders.last_reminded())
        message = None
        # Claimed before counting: a day with nothing due is still reminded (silently), so
        # a follow-up added at noon does not bring a second reminder that day.
        if decision.remind_now and reminders.claim(now.date()):
            due = due_today(db, now.date())
            message = reminder_message(due.steps, due.followups)
        return ReminderCheck(message, decision.next_at)

    return check


class ReminderController(PeriodicCheck[ReminderCheck]):
    """`reminded(str)` after a reminder was shown (Today refreshes on it).

    Its timer is single-shot: each answer says when to ask next, so `start()` only checks and
    the answer arms the timer.
    """

    reminded = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        notifier: Notifier,
        parent: QObject | None = None,
        *,
        check: Callable[[datetime], ReminderCheck] | None = None,
        now: Callable[[], datetime] = local_now,
    ) -> None:
        super().__init__(runner, parent)
        self.notifier = notifier
        self._check = check or default_check(db)
        self._now = now
        self.timer.setSingleShot(True)

    @Slot(str)
    def settings_changed(self, key: str) -> None:
        """A new reminder time counts at once (a time that has passed today reminds now)."""
        if key == "reminder_time" and not self.stopped:
            self.timer.stop()
            self.check_now()

    def _submit(self) -> bool:
        now = self._now()  # the moment the check was asked for, read on the UI thread
        return self._run_db(lambda: self._check(now))

    def _on_result(self, result: ReminderCheck) -> None:
        if result.message is not None:
            where = self.notifier.notify(result.message, target=TODAY.key)
            log.info("Reminded (%s): %s", where, result.message)
            emit(self.reminded, result.message)
        self._schedule(result.next_at)

    def _on_error(self, exc: Exception) -> None:
        log.warning("The daily reminder check failed: %s", exc)
        self._schedule(None)  # try again later; a reminder is not worth an error dialog

    def _schedule(self, next_at: datetime | None) -> None:
        wait = MAX_WAIT_MS
        if next_at is not None:
            until = round((next_at - self._now()).total_seconds() * 1000)
            wait = min(max(until, MIN_WAIT_MS), MAX_WAIT_MS)
        self.timer.start(wait)
