"""The "Tag:" filter of a list area: every tag in use, after an "All tags" entry."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QWidget

from smarketing_desktop.ui.a11y import accessible

ALL_TAGS = "All tags"


class TagFilter(QComboBox):
    """Tags change under the filter with every reload; the rep's choice must survive that."""

    def __init__(self, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accessible(self, "Filter by tag", tooltip)
        self.addItem(ALL_TAGS, None)

    @property
    def tag(self) -> str | None:
        """The chosen tag, None for "All tags"."""
        return self.currentData() or None

    def set_tags(self, tags: Iterable[str]) -> bool:
        """Offer `tags`, keeping the chosen one; True when it is gone (the filter must re-run).

        The list is rebuilt with signals blocked, so refilling it never triggers a search of its
        own; the caller searches again only when the chosen tag disappeared.
        """
        chosen = self.currentData()
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(ALL_TAGS, None)
            for tag in tags:
                self.addItem(tag, tag)
            index = self.findData(chosen) if chosen else 0
            self.setCurrentIndex(max(index, 0))
        finally:
            self.blockSignals(False)
        return bool(chosen) and self.currentData() != chosen
