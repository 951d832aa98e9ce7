"""Small pieces the list areas (Content, Prospects) word and handle the same way."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.window_state import WindowState


def count_text(matched: int, total: int, noun: str, *, filtered: bool) -> str:
    """Say how many rows show: "3 of 12 items" while a filter narrows the list, else "12 items"."""
    if filtered:
        return f"{matched} of {plural(total, noun)}"
    return plural(total, noun)


def discard_hidden(widget: QWidget | None) -> None:
    """Delete a dialog once closed; dialogs are kept until the next opens, so late callbacks
    (a save finishing after the rep closed the dialog) still find them alive."""
    if widget is not None and shiboken6.isValid(widget) and not widget.isVisible():
        widget.deleteLater()


def detail_pages(
    pane: QWidget, empty: QWidget, parts: list[tuple[QWidget, int]], buttons: QLayout
) -> QStackedWidget:
    """Fill a detail pane with two pages: `empty` (nothing chosen) and the chosen record's
    `parts` (widget, stretch) above its `buttons`. Index 0 is empty, 1 the record."""
    shown = QWidget(pane)
    shown_layout = QVBoxLayout(shown)
    shown_layout.setContentsMargins(0, 0, 0, 0)
    for widget, stretch in parts:
        shown_layout.addWidget(widget, stretch)
    shown_layout.addLayout(buttons)
    stack = QStackedWidget(pane)
    stack.addWidget(empty)
    stack.addWidget(shown)
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(stack)
    return stack


class ListDetailSplitter(QSplitter):
    """The list beside its detail pane, at the widths the rep last dragged them to.

    The list takes the larger share of extra room; neither side collapses to nothing, so a
    careless drag never hides the detail pane where the rep would not find it again.
    """

    def __init__(
        self,
        listing: QWidget,
        detail: QWidget,
        *,
        sizes: tuple[int, int],
        state: WindowState | None,
        key: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._state = state
        self._key = key
        self.addWidget(listing)
        self.addWidget(detail)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setChildrenCollapsible(False)
        self.setSizes(list(sizes))
        saved = state.splitter(key) if state else None
        if saved is not None:
            self.restoreState(saved)

    def save_state(self) -> None:
        if self._state is not None:
            self._state.set_splitter(self._key, self.saveState())
