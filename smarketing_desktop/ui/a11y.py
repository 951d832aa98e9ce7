"""One call to give a control the name a screen reader announces and, when useful, a tooltip.

Qt derives names from visible text for some widgets but not for line edits, combos or tables,
so every control gets one explicitly and nothing depends on which widget does what.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def accessible(widget: W, name: str, tooltip: str | None = None, description: str = "") -> W:
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    if tooltip:
        widget.setToolTip(tooltip)
    return widget
