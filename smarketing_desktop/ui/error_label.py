"""Text for problems, in a color that reads well on both light and dark palettes."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from smarketing_desktop.ui.theme import error_color


class ErrorLabel(QLabel):
    """Hidden while empty. Re-picks its color whenever the palette changes (theme switch)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self._recolor()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message("")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolor()

    def _recolor(self) -> None:
        palette = self.palette()
        wanted = error_color(palette)
        # Only set when different: setting the palette sends another PaletteChange.
        if palette.color(QPalette.ColorRole.WindowText) != wanted:
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            palette.setColor(QPalette.ColorRole.Text, wanted)
            self.setPalette(palette)
