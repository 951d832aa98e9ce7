"""A search field that asks for a search once the typing pauses, not on every key.

Each search re-reads the table in the background; running one per keystroke would queue a query
for every letter of "warehouse" and make the list flicker through the partial words. Each key
restarts a short single-shot timer instead, and `settled` fires once when it runs out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from smarketing_desktop.ui.a11y import accessible

SEARCH_DELAY_MS = 250


class SearchBox(QLineEdit):
    """`settled` fires after a pause in typing; `cancel_pending` when the caller searches now."""

    settled = Signal()

    def __init__(
        self,
        name: str,
        tooltip: str,
        placeholder: str,
        parent: QWidget | None = None,
        *,
        delay_ms: int = SEARCH_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        accessible(self, name, tooltip)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        # Public so tests can see a search is pending and run it without waiting.
        self.pause_timer = QTimer(self)
        self.pause_timer.setSingleShot(True)
        self.pause_timer.setInterval(delay_ms)
        self.pause_timer.timeout.connect(self.settled)
        self.textChanged.connect(self._restart)

    @property
    def query(self) -> str:
        """What to search for: the text without the spaces around it."""
        return self.text().strip()

    def cancel_pending(self) -> None:
        """The caller is searching now (another filter changed), so the pause has nothing to do."""
        self.pause_timer.stop()

    def take_focus(self) -> None:
        """Ctrl+F: focus with the old text selected, so typing replaces it."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()

    def _restart(self, _text: str) -> None:
        self.pause_timer.start()
