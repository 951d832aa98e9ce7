"""The page shown for an area that is planned but not built, so navigation is complete today."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from smarketing_desktop.ui.areas import Area

NOT_BUILT = "This area is not built yet."


class PlaceholderPage(QWidget):
    def __init__(self, area: Area, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(area.title, self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(area.title)
        self.summary = QLabel(f"{area.summary}\n\n{NOT_BUILT}", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName(f"{area.title}: not built yet")
        self.summary.setAccessibleDescription(self.summary.text())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def text(self) -> str:
        return self.summary.text()
