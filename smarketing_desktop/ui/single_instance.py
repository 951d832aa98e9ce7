"""One window per workspace: a second launch brings the first window forward and exits.

The first instance listens on a local socket named after the workspace folder; a later launch
on the same workspace connects, asks it to come forward, and stops. Another workspace (--home)
gets its own window, so a demo can run beside real data.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from smarketing_desktop.ui.signals import emit

log = logging.getLogger(__name__)
_ACTIVATE = b"activate\n"


def server_name(home: Path) -> str:
    digest = hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:16]
    return f"smarketing-desktop-{digest}"


class SingleInstance(QObject):
    activated = Signal()

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(home)
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True: this is the only window (now listening). False: another one was asked to show."""
        socket = QLocalSocket(self)
        socket.connectToServer(self.name)
        if socket.waitForConnected(500):
            socket.write(_ACTIVATE)
            socket.waitForBytesWritten(500)
            socket.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)  # a stale name left by a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("Single-instance socket unavailable: %s", server.errorString())
            return True  # better two windows than none
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (peer := self._server.nextPendingConnection()) is not None:
            peer.readyRead.connect(lambda p=peer: self._on_message(p))
            if peer.bytesAvailable():
                self._on_message(peer)

    def _on_message(self, peer: QLocalSocket) -> None:
        if bytes(peer.readAll().data()).startswith(_ACTIVATE.strip()):
            emit(self.activated)
        peer.disconnectFromServer()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
