"""Releases due shares while the window is open: every minute, and once at start-up.

Each check runs `publish_due` in the background (due X shares are posted when an X account is
connected; everything else due becomes "ready"), at most one check at a time. Releasing is
guarded in the database (queued -> ready once), so a share whose time passed while the app was
closed is announced once, never twice. The rep hears of it through `notice` (the window's
status bar) and, when the desktop has a tray, a desktop message through the window's `Notifier`
(shared with the daily reminder, so there is one tray icon).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_publish import publish_due
from smarketing_desktop.ui.areas import QUEUE
from smarketing_desktop.ui.notifier import Notifier
from smarketing_desktop.ui.periodic_task import PeriodicCheck
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

INTERVAL_MS = 60_000

CheckResult = tuple[list[QueueItemInfo], int, int]  # ready, posted, failed


def ready_message(count: int) -> str:
    return "1 share is ready to post" if count == 1 else f"{count} shares are ready to post"


def _default_check(db: Database) -> Callable[[], CheckResult]:
    def check() -> CheckResult:
        report = publish_due(db, SecretStore())
        posted = sum(1 for o in report.outcomes if o.status == "posted")
        failed = sum(1 for o in report.outcomes if o.status == "failed")
        return report.ready, posted, failed

    return check


class QueueController(PeriodicCheck[CheckResult]):
    """`became_ready(list[QueueItemInfo])` after a check released shares; `notice(str)` for the
    status bar; `changed()` whenever a check changed the queue (posted, failed or released)."""

    became_ready = Signal(list)
    notice = Signal(str)
    changed = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        check: Callable[[], CheckResult] | None = None,
        tray: QSystemTrayIcon | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(runner, parent, interval_ms=INTERVAL_MS)
        self._check = check or _default_check(db)
        self.notifier = notifier or Notifier(self, tray=tray)

    def shutdown(self) -> None:
        """Stop checking and take the tray icon down with the window."""
        super().shutdown()
        self.notifier.hide()

    def _submit(self) -> bool:
        return self._run_network(self._check)

    def _on_result(self, result: CheckResult) -> None:
        ready, posted, failed = result
        messages = []
        if ready:
            messages.append(ready_message(len(ready)))
        if posted:
            messages.append(f"{posted} posted to X")
        if failed:
            messages.append(f"{failed} failed to post: see the Queue")
        if ready:
            emit(self.became_ready, list(ready))
        if ready or posted or failed:
            emit(self.changed)
            message = "; ".join(messages)
            emit(self.notice, message)
            # The status bar has it already; the desktop message is for a rep elsewhere.
            self.notifier.show_desktop(message, target=QUEUE.key)
