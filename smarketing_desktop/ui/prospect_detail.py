"""The right-hand pane: everything known about one prospect, with their profiles one click away.

Below the fields it can host a suggestions panel (what to share with them, which of their posts
to answer), which then follows the prospect shown.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.prospects import LABELS, Prospect
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.formatting import format_datetime
from smarketing_desktop.ui.list_area import detail_pages
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.suggestions_panel import SuggestionsPanel

log = logging.getLogger(__name__)

NOTHING_SELECTED = "Select a prospect to see their details."

# Field -> shown label, in display order. Link fields render as clickable web addresses.
_ROWS: tuple[tuple[str, str], ...] = (
    ("title", LABELS["title"]),
    ("company", LABELS["company"]),
    ("email", LABELS["email"]),
    ("x_handle", "X"),
    ("linkedin_url", "LinkedIn"),
    ("blog_url", "Blog or site"),
    ("mastodon_handle", "Mastodon"),
    ("bluesky_handle", "Bluesky"),
    ("tags", LABELS["tags"]),
    ("notes", LABELS["notes"]),
    ("last_touch_at", "Last touch"),
    ("cadence", "Touch cadence"),
    ("created_at", "Added"),
    ("updated_at", "Updated"),
)


def profile_url(field: str, value: str) -> str | None:
    """Where a stored handle or address leads in a browser (values are already normalised)."""
    if field == "email":
        return f"mailto:{value}"
    if field == "x_handle":
        return f"https://x.com/{value}"
    if field in ("linkedin_url", "blog_url"):
        return value
    if field == "mastodon_handle":
        user, _, host = value.lstrip("@").partition("@")
        return f"https://{host}/@{user}" if host else None
    if field == "bluesky_handle":
        return f"https://bsky.app/profile/{value}"
    return None


def cadence_text(prospect: Prospect) -> str:
    """ "Every 7 days, at most 20 (own)" or "... (default)": which intervals apply, and whose."""
    cadence = prospect.cadence
    own = [prospect.touch_ideal_days is not None, prospect.touch_max_days is not None]
    whose = "own" if all(own) else "default" if not any(own) else "partly default"
    return f"Every {cadence.ideal_days} days, at most {cadence.max_days} ({whose})"


def _display(prospect: Prospect, field: str) -> str:
    if field == "cadence":
        return cadence_text(prospect)
    if field == "tags":
        return ", ".join(prospect.tags)
    if field == "x_handle" and prospect.x_handle:
        return f"@{prospect.x_handle}"
    if field in ("last_touch_at", "created_at", "updated_at"):
        return format_datetime(getattr(prospect, field))
    value = getattr(prospect, field)
    return str(value) if value else ""


class ProspectDetail(QWidget):
    edit_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prospect: Prospect | None = None
        self._plain: dict[str, str] = {}
        self.suggestions: SuggestionsPanel | None = None

        self._empty = QLabel(NOTHING_SELECTED, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)

        self._name = QLabel(self)
        font = self._name.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._name.setFont(font)
        self._name.setWordWrap(True)
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form = form
        self._values: dict[str, QLabel] = {}
        for field, label_text in _ROWS:
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            if profile_url(field, "x@y") is not None:
                value.setTextFormat(Qt.TextFormat.RichText)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
                value.setOpenExternalLinks(False)
                value.linkActivated.connect(self.open_link)
                value.setToolTip(f"Open in your browser or mail program ({label_text})")
            else:
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption = QLabel(f"{label_text}:", self)
            caption.setBuddy(value)
            form.addRow(caption, value)
            self._values[field] = value

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self._name)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        self._body_layout = body_layout
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.edit_button = accessible(
            QPushButton("&Edit…", self), "Edit prospect", "Change this prospect's details"
        )
        self.remove_button = accessible(
            QPushButton("Re&move…", self), "Remove prospect", "Delete this prospect (asks first)"
        )
        self.edit_button.clicked.connect(self._emit_edit)
        self.remove_button.clicked.connect(self._emit_remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)

        self._stack = detail_pages(self, self._empty, [(scroll, 1)], buttons)
        self.setAccessibleName("Prospect details")
        self.show_prospect(None)

    @property
    def prospect(self) -> Prospect | None:
        return self._prospect

    def set_suggestions(self, panel: SuggestionsPanel) -> None:
        """Show `panel` below the fields, under a heading, following the shown prospect."""
        heading = QLabel("Suggestions", self)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        heading.setAccessibleName("Suggestions")
        stretch_at = self._body_layout.count() - 1
        self._body_layout.insertSpacing(stretch_at, 10)
        self._body_layout.insertWidget(stretch_at + 1, heading)
        self._body_layout.insertWidget(stretch_at + 2, panel)
        self.suggestions = panel
        panel.set_prospect(self._prospect.id if self._prospect else None)

    def value_text(self, field: str) -> str:
        """The text shown for a field ("" when the row is hidden), as a reader sees it."""
        if field == "name":
            return self._name.text() if self._prospect else ""
        return self._plain.get(field, "")

    def link_for(self, field: str) -> str | None:
        text = self._plain.get(field)
        if not text or self._prospect is None:
            return None
        return profile_url(field, str(getattr(self._prospect, field)))

    def show_prospect(self, prospect: Prospect | None) -> None:
        self._prospect = prospect
        self._plain = {}
        self.edit_button.setEnabled(prospect is not None)
        self.remove_button.setEnabled(prospect is not None)
        if self.suggestions is not None:
            self.suggestions.set_prospect(prospect.id if prospect else None)
        if prospect is None:
            self._stack.setCurrentIndex(0)
            return
        self._name.setText(prospect.name)
        for row, (field, label_text) in enumerate(_ROWS):
            text = _display(prospect, field)
            label = self._values[field]
            url = profile_url(field, str(getattr(prospect, field))) if text else None
            if label.textFormat() == Qt.TextFormat.RichText:
                label.setText(
                    f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'
                    if url
                    else ""
                )
            else:
                label.setText(text)
            label.setAccessibleName(f"{label_text}: {text}" if text else label_text)
            self._form.setRowVisible(row, bool(text))
            if text:
                self._plain[field] = text
        self._stack.setCurrentIndex(1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Rich text takes the link color from the palette when the text is set, so a theme
        # switch needs the links written again to stay readable.
        if event.type() == QEvent.Type.PaletteChange and self._prospect is not None:
            for label in self._values.values():
                if label.textFormat() == Qt.TextFormat.RichText:
                    label.clear()  # setText ignores unchanged text
            self.show_prospect(self._prospect)

    def open_link(self, link: str) -> None:
        if not QDesktopServices.openUrl(QUrl(link)):
            log.warning("No program could open %s", link)

    def _emit_edit(self) -> None:
        if self._prospect is not None:
            emit(self.edit_requested, self._prospect)

    def _emit_remove(self) -> None:
        if self._prospect is not None:
            emit(self.remove_requested, self._prospect)
