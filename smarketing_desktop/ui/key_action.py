"""Single-key shortcuts (J, D, F…) that belong to one area or one widget, never the window.

A window-wide single letter would fire while the rep types into a search box elsewhere; scoping
each key to its area (or to one list) keeps "F" meaning "follow up" only where that makes sense.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def key_action(
    area: QWidget,
    text: str,
    keys: Sequence[QKeySequence | str],
    slot: Callable[[], object],
    widget: QWidget | None = None,
) -> QAction:
    """A key that works anywhere in `area` (or only while `widget` has focus), never elsewhere."""
    owner = widget or area
    action = QAction(text, owner)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(
        Qt.ShortcutContext.WidgetShortcut
        if widget is not None
        else Qt.ShortcutContext.WidgetWithChildrenShortcut
    )
    action.triggered.connect(lambda _checked=False: slot())
    owner.addAction(action)
    return action
