"""The Today area: the first thing a rep sees each morning.

The day's routine (`TodaySections`: what is due, ready to post, new posts, going cold, profile
reviews) sits above the suggestions for everyone. With the routine shown, a line under the intro
says which keys work on its rows, so the page can be worked through without the mouse. In a
brand-new workspace it offers the ways to get started instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from smarketing_desktop.ui.empty_state import EmptyStatePanel
from smarketing_desktop.ui.today_sections import KEY_HELP

INTRO = (
    "What to share and whom to answer today, best first. Each suggestion says why; "
    "Share… writes the text from a template and queues it."
)


class TodayPage(QWidget):
    """A heading, a line on what the page is for, and the suggestions section (scrolling)."""

    def __init__(
        self,
        suggestions: QWidget | None,
        parent: QWidget | None = None,
        *,
        sections: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = QLabel("Today", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName("Today")
        self.intro = QLabel(INTRO, self)
        self.intro.setWordWrap(True)
        self.keys_help = QLabel(KEY_HELP, self)
        self.keys_help.setWordWrap(True)
        self.keys_help.setAccessibleName("Keyboard shortcuts on Today")
        self.keys_help.setVisible(sections is not None)
        small = self.keys_help.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.keys_help.setFont(small)
        self.heading = QLabel("Suggestions", self)
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setAccessibleName("Suggestions")

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        if sections is not None:
            body_layout.addWidget(sections)
            body_layout.addSpacing(8)
        body_layout.addWidget(self.heading)
        if suggestions is not None:
            body_layout.addWidget(suggestions)
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(body)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 8)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addWidget(self.keys_help)
        layout.addSpacing(8)
        layout.addWidget(self.scroll_area, 1)


class TodayView(QWidget):
    """`sections` (optional): the day's routine (`TodaySections`), shown above the suggestions."""

    def __init__(
        self,
        suggestions: QWidget | None = None,
        parent: QWidget | None = None,
        *,
        sections: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sections = sections
        self.page = TodayPage(suggestions, self, sections=sections)
        self.empty_panel = EmptyStatePanel("Welcome to Smarketing Desktop", self)
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self.page)
        self._pages.addWidget(self.empty_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

    def set_workspace_empty(self, empty: bool) -> None:
        self._pages.setCurrentWidget(self.empty_panel if empty else self.page)

    def shows_empty_state(self) -> bool:
        return self._pages.currentWidget() is self.empty_panel
