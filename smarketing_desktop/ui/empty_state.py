"""What a brand-new workspace shows instead of an empty table: two ways to get started."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from smarketing_desktop.ui.a11y import accessible

EXPLORE_TEXT = "Explore with sample data"
ADD_FIRST_TEXT = "Add your first prospect"


class EmptyStatePanel(QWidget):
    explore_requested = Signal()
    add_first_requested = Signal()

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(heading, self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(
            "Your workspace is empty. Load the sample workspace to see how every screen works "
            "with made-up prospects and content, or start with your own prospects.",
            self,
        )
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explore_button = accessible(
            QPushButton(EXPLORE_TEXT, self),
            EXPLORE_TEXT,
            "Load made-up prospects, companies and content into this workspace",
        )
        self.add_button = accessible(
            QPushButton(ADD_FIRST_TEXT, self),
            ADD_FIRST_TEXT,
            "Open the form for a new prospect (Ctrl+N)",
        )
        self.explore_button.clicked.connect(self.explore_requested)
        self.add_button.clicked.connect(self.add_first_requested)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.explore_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def set_busy(self, busy: bool) -> None:
        """While the sample data loads, a second click would load it twice."""
        self.explore_button.setEnabled(not busy)
        self.explore_button.setText("Loading sample data…" if busy else EXPLORE_TEXT)
