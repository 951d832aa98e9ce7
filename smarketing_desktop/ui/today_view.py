"""The Today area. Until the daily routine is built it is a placeholder, except in a brand-new
workspace, where it is the first thing a rep sees and so offers the ways to get started."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from smarketing_desktop.ui.areas import TODAY
from smarketing_desktop.ui.empty_state import EmptyStatePanel
from smarketing_desktop.ui.placeholder import PlaceholderPage


class TodayView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = PlaceholderPage(TODAY, self)
        self.empty_panel = EmptyStatePanel("Welcome to Smarketing Desktop", self)
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self.placeholder)
        self._pages.addWidget(self.empty_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

    def set_workspace_empty(self, empty: bool) -> None:
        self._pages.setCurrentWidget(self.empty_panel if empty else self.placeholder)

    def shows_empty_state(self) -> bool:
        return self._pages.currentWidget() is self.empty_panel
