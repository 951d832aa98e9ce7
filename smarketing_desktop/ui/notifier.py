"""Telling the rep something while they may be in another program: a desktop message when the
desktop has a tray, else a notice inside the window.

`QSystemTrayIcon.isSystemTrayAvailable()` is often false (GNOME without an extension, headless
sessions, offscreen tests), so the in-window notice is a real path, not an afterthought: the
`notice` signal goes to the window's status bar. One notifier serves the whole window, so the
shares that became ready and the morning reminder share one tray icon, and a click on a message
says which area it is about (`activated(area_key)`), so the window can go there.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from smarketing_desktop import APP_NAME
from smarketing_desktop.ui.signals import emit


class Notifier(QObject):
    """`notice(str)` for the window's status bar when there is no tray; `activated(str)` with
    the area key of the message the rep clicked (or of the last one, for a click on the icon).

    `tray_available` is asked at every message, because a tray can appear or go away while the
    app runs (a panel restarting); tests pass their own answer.
    """

    notice = Signal(str)
    activated = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        tray: QSystemTrayIcon | None = None,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._tray_available = tray_available
        self._target = ""
        # The latest messages and where they went ("desktop" or "window"), newest last: what a
        # rep saw, for the log and for tests, without reading the platform's notifications.
        self.shown: deque[tuple[str, str]] = deque(maxlen=50)
        if tray is not None:
            self._connect(tray)

    @property
    def tray(self) -> QSystemTrayIcon | None:
        return self._tray

    def notify(self, message: str, *, target: str = "") -> str:
        """A desktop message, else the window's notice; returns where it went ("desktop" or
        "window"). `target` is the area a click on the message leads to."""
        if self.show_desktop(message, target=target):
            return "desktop"
        self.shown.append(("window", message))
        emit(self.notice, message)
        return "window"

    def show_desktop(self, message: str, *, target: str = "") -> bool:
        """Only the desktop message (for callers that put the notice in the window anyway);
        False when the desktop has no tray."""
        if not self._tray_available():
            return False
        tray = self._ensure_tray()
        self._target = target
        tray.show()
        tray.showMessage(APP_NAME, message)
        self.shown.append(("desktop", message))
        return True

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()

    def _ensure_tray(self) -> QSystemTrayIcon:
        if self._tray is None:
            tray = QSystemTrayIcon(self)
            app = QApplication.instance()
            if isinstance(app, QApplication):
                tray.setIcon(app.windowIcon())
            tray.setToolTip(APP_NAME)
            self._connect(tray)
            self._tray = tray
        return self._tray

    def _connect(self, tray: QSystemTrayIcon) -> None:
        tray.messageClicked.connect(self._clicked)
        tray.activated.connect(self._icon_activated)

    def _clicked(self) -> None:
        emit(self.activated, self._target)

    def _icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            emit(self.activated, self._target)
