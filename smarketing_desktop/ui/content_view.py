"""The Content area: marketing's library of things worth sharing, searchable and editable.

The table lists items with their type, tags and dates (expired items are marked); the pane
beside it shows the chosen item's summary and link. Items come in by hand (with "Fill from page"
reading the page's own metadata), from a CSV spreadsheet with a preview first, or by following
the company's own blog, whose new posts then arrive with every feed check. Every read and write
goes through the task runner; the view only reacts to results.

Keys, as in Prospects: Ctrl+N adds an item, Ctrl+F searches, Enter edits, Delete removes.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.content import CONTENT_KINDS, ContentItem
from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.db.repositories.content import (
    COMPANY_PURPOSE,
    ContentQuery,
    ContentRepository,
)
from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.page_draft import page_draft
from smarketing_desktop.feeds.subscribe import add_feed_from_input
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.content_dialog import (
    ContentDialog,
    FetchPage,
    FollowFeed,
    FollowFeedDialog,
    MarkCompany,
)
from smarketing_desktop.ui.content_import_dialog import ContentImportDialog
from smarketing_desktop.ui.content_model import (
    ADDED_COLUMN,
    EXPIRED_NOTE,
    ContentTableModel,
    expires_text,
)
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import format_date
from smarketing_desktop.ui.list_area import (
    ListDetailSplitter,
    count_text,
    detail_pages,
    discard_hidden,
)
from smarketing_desktop.ui.row_table import RowTable
from smarketing_desktop.ui.search_box import SearchBox
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tag_filter import TagFilter
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

ALL_TYPES = "All types"
NOTHING_SELECTED = "Select an item to see its summary and link."
EMPTY_LIBRARY = (
    "The library is empty. Add the articles, e-books and webinars worth sharing with "
    "Add item…, import marketing's spreadsheet, or follow your company's blog."
)
_SPLITTER = "content"


@dataclass(frozen=True)
class ContentServices:
    """What the Content area calls, bound to one database (tests swap single callables)."""

    content: ContentRepository
    fetch_page: FetchPage
    follow_feed: FollowFeed
    mark_company: MarkCompany

    @classmethod
    def for_database(cls, db: Database) -> ContentServices:
        content = ContentRepository(db)

        def follow(text: str) -> FeedInfo:
            return add_feed_from_input(db, text)

        def mark_company(feed_id: int) -> tuple[FeedInfo, int]:
            feed = FeedRepository(db).set_purpose(feed_id, COMPANY_PURPOSE)
            return feed, len(content.sync_company_feeds())

        return cls(content, page_draft, follow, mark_company)


class ContentDetail(QWidget):
    """The chosen item: title, what it is, its summary, and its link one click away."""

    edit_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._item: ContentItem | None = None
        self._expired = False
        self.setAccessibleName("Content item details")

        self._empty = QLabel(NOTHING_SELECTED, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)

        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.link = QLabel(self)
        self.link.setWordWrap(True)
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link.setOpenExternalLinks(False)
        self.link.linkActivated.connect(self.open_link)
        self.link.setToolTip("Open in your browser")

        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form = form
        for key, caption_text in (
            ("kind", "Type"),
            ("tags", "Tags"),
            ("added", "Added"),
            ("expires", "Expires"),
            ("source", "Source"),
        ):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption = QLabel(f"{caption_text}:", self)
            caption.setBuddy(value)
            form.addRow(caption, value)
            self.values[key] = value

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.title)
        body_layout.addWidget(self.link)
        body_layout.addLayout(form)
        body_layout.addSpacing(6)
        body_layout.addWidget(self.summary)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.open_button = accessible(
            QPushButton("&Open link", self), "Open link", "Open the item in your browser"
        )
        self.edit_button = accessible(
            QPushButton("&Edit…", self), "Edit content item", "Change this item (Enter)"
        )
        self.remove_button = accessible(
            QPushButton("Re&move…", self),
            "Remove content item",
            "Delete this item from the library (Delete; asks first)",
        )
        self.open_button.clicked.connect(self._open_current)
        self.edit_button.clicked.connect(self._emit_edit)
        self.remove_button.clicked.connect(self._emit_remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)

        self._stack = detail_pages(self, self._empty, [(scroll, 1)], buttons)
        self.show_item(None)

    @property
    def item(self) -> ContentItem | None:
        return self._item

    @property
    def shows_expired(self) -> bool:
        return self._item is not None and self._expired

    def value_text(self, key: str) -> str:
        """What a reader sees for a field ("" while nothing is shown)."""
        if self._item is None:
            return ""
        if key == "title":
            return self.title.text()
        if key == "summary":
            return self.summary.text()
        return self.values[key].text() if key in self.values else ""

    def show_item(self, item: ContentItem | None, today: date | None = None) -> None:
        """Show `item` (None: the hint to choose one); `today` decides whether it expired."""
        self._item = item
        day = today or clock.today()
        expired = item is not None and item.is_expired(day)
        self._expired = expired
        for button in (self.open_button, self.edit_button, self.remove_button):
            button.setEnabled(item is not None)
        if item is None:
            self._stack.setCurrentIndex(0)
            return
        self.title.setText(item.title)
        self.title.setAccessibleName(f"Title: {item.title}")
        self._write_link(item)
        expires = expires_text(item, day)
        texts = {
            "kind": item.kind_label,
            "tags": ", ".join(item.tags),
            "added": format_date(item.added_at),
            "expires": f"{expires}. {EXPIRED_NOTE}." if expired else expires,
            "source": item.source or "",
        }
        for row, (key, text) in enumerate(texts.items()):
            label = self.values[key]
            label.setText(text)
            label.setAccessibleName(f"{key.capitalize()}: {text}" if text else key.capitalize())
            self._form.setRowVisible(row, bool(text))
        self.summary.setText(item.summary or "No summary.")
        self.summary.setAccessibleName("Summary")
        self._stack.setCurrentIndex(1)

    def _write_link(self, item: ContentItem) -> None:
        url = html.escape(item.url, quote=True)
        self.link.setText(f'<a href="{url}">{html.escape(item.url)}</a>')
        self.link.setAccessibleName(f"Link: {item.url}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Rich text takes the link color when the text is set: write it again on a theme switch.
        if event.type() == QEvent.Type.PaletteChange and self._item is not None:
            self.link.clear()
            self._write_link(self._item)

    def open_link(self, link: str) -> None:
        if not QDesktopServices.openUrl(QUrl(link)):
            log.warning("No program could open %s", link)

    def _open_current(self) -> None:
        if self._item is not None:
            self.open_link(self._item.url)

    def _emit_edit(self) -> None:
        if self._item is not None:
            emit(self.edit_requested, self._item)

    def _emit_remove(self) -> None:
        if self._item is not None:
            emit(self.remove_requested, self._item)


class ContentView(QWidget):
    """`notice` goes to the status bar; `changed` tells other areas that the library changed."""

    notice = Signal(str)
    changed = Signal()

    def __init__(
        self,
        services: ContentServices,
        runner: TaskRunner,
        chooser: FileChooser,
        state: WindowState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._repo = services.content
        self._runner = runner
        self._chooser = chooser
        self.dialog: ContentDialog | None = None
        self.import_dialog: ContentImportDialog | None = None
        self.follow_dialog: FollowFeedDialog | None = None
        self.remove_box: QMessageBox | None = None

        self.model = ContentTableModel(self._repo, runner, self)
        self._build_toolbar()
        self._build_table()
        self.detail = ContentDetail(self)
        self.detail.edit_requested.connect(self.edit_item)
        self.detail.remove_requested.connect(self.request_remove)

        self.empty_label = QLabel(EMPTY_LIBRARY, self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("The library is empty")
        self._table_pages = QStackedWidget(self)
        self._table_pages.addWidget(self.table)
        self._table_pages.addWidget(self.empty_label)

        self.splitter = ListDetailSplitter(
            self._table_pages,
            self.detail,
            sizes=(750, 320),
            state=state,
            key=_SPLITTER,
            parent=self,
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self._toolbar)
        layout.addWidget(self.splitter, 1)

        self.search.settled.connect(self.apply_filters)
        self.kind_filter.currentIndexChanged.connect(self.apply_filters)
        self.tag_filter.currentIndexChanged.connect(self.apply_filters)
        self.model.loaded.connect(self._on_loaded)

    # -- building ------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.search = SearchBox(
            "Search content",
            "Matches title, summary, tags and address (Ctrl+F)",
            "Title, summary, tag or address",
            self,
        )
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)

        self.kind_filter = accessible(
            QComboBox(self), "Filter by type", "Show only items of this type"
        )
        self.kind_filter.addItem(ALL_TYPES, None)
        for stored, label in CONTENT_KINDS.items():
            self.kind_filter.addItem(label, stored)
        self._compact(self.kind_filter)
        kind_label = QLabel("T&ype:", self)
        kind_label.setBuddy(self.kind_filter)

        self.tag_filter = TagFilter("Show only items with this tag", self)
        self._compact(self.tag_filter)
        tag_label = QLabel("&Tag:", self)
        tag_label.setBuddy(self.tag_filter)

        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Number of content items")

        self.new_button = accessible(
            QPushButton("&Add item…", self),
            "Add content item",
            "Add an article, e-book, webinar or other page (Ctrl+N)",
        )
        self.new_button.clicked.connect(self.new_item)
        self.import_button = accessible(
            QPushButton("&Import CSV…", self),
            "Import content from CSV",
            "Import marketing's content spreadsheet, with a preview first",
        )
        self.import_button.clicked.connect(self.open_import_dialog)
        self.follow_button = accessible(
            QPushButton("Follo&w company feed…", self),
            "Follow company feed",
            "Turn your company blog's posts into library items, now and with every feed check",
        )
        self.follow_button.clicked.connect(self.open_follow_dialog)

        # Two rows, so the area fits a small window: finding things, then adding them.
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        filters.addWidget(kind_label)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(tag_label)
        filters.addWidget(self.tag_filter, 1)
        commands = QHBoxLayout()
        commands.addWidget(self.count_label)
        commands.addStretch(1)
        commands.addWidget(self.new_button)
        commands.addWidget(self.import_button)
        commands.addWidget(self.follow_button)
        bar = QVBoxLayout()
        bar.addLayout(filters)
        bar.addLayout(commands)
        self._toolbar = bar

    @staticmethod
    def _compact(combo: QComboBox) -> None:
        """Narrow enough for the toolbar to fit a small window; the popup shows full names."""
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)

    def _build_table(self) -> None:
        table = RowTable(
            self.model,
            "Content library",
            "Select an item to see its summary. Enter edits, Delete removes.",
            "Remove content item",
            self,
        )
        header = table.horizontalHeader()
        header.setSortIndicator(ADDED_COLUMN, Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.sortIndicatorChanged.connect(self.model.sort)
        for column, width in enumerate((240, 115, 125, 85, 172)):
            table.setColumnWidth(column, width)
        table.current_changed.connect(self._sync_detail)
        table.activated.connect(self._edit_current)
        table.remove_requested.connect(self._remove_current)
        self.table = table

    # -- public API ----------------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self.table.current_id

    def refresh(self) -> None:
        """Re-read the library (F5, and after anything changed it)."""
        self.model.reload()

    def focus_search(self) -> None:
        self.search.take_focus()

    def apply_filters(self) -> None:
        """Run the search and filters now (the search box calls this after a short pause)."""
        self.search.cancel_pending()
        kind = self.kind_filter.currentData()
        self.model.set_query(
            ContentQuery(search=self.search.query, kind=kind or None, tag=self.tag_filter.tag)
        )

    def select_item(self, content_id: int) -> bool:
        return self.table.select_id(content_id)

    def new_item(self) -> ContentDialog:
        return self._open_dialog(None)

    def edit_item(self, item: ContentItem) -> ContentDialog:
        return self._open_dialog(item)

    def request_remove(self, item: ContentItem) -> QMessageBox:
        """Ask first, naming the item; the answer arrives through the box's buttons."""
        discard_hidden(self.remove_box)
        self.remove_box = confirm_destructive(
            self,
            title="Remove content item",
            question=f"Remove “{item.title}” from the library?",
            consequence=(
                "It will no longer be suggested. Shares already queued keep their text. "
                "This cannot be undone."
            ),
            action="&Remove",
            action_name=f"Remove {item.title}",
            keep_name="Keep item",
            on_confirm=lambda: self._remove(item),
        )
        return self.remove_box

    def open_import_dialog(self, *, choose: bool = True) -> ContentImportDialog:
        discard_hidden(self.import_dialog)
        dialog = ContentImportDialog(self._repo, self._runner, self._chooser, self)
        dialog.imported.connect(self._after_import)
        self.import_dialog = dialog
        dialog.open()
        if choose:
            dialog.choose_file()
        return dialog

    def open_follow_dialog(self) -> FollowFeedDialog:
        discard_hidden(self.follow_dialog)
        dialog = FollowFeedDialog(
            self._services.follow_feed, self._services.mark_company, self._runner, self
        )
        dialog.followed.connect(self._after_follow)
        self.follow_dialog = dialog
        dialog.open()
        return dialog

    def save_state(self) -> None:
        self.splitter.save_state()

    def shows_empty_library(self) -> bool:
        return self._table_pages.currentWidget() is self.empty_label

    # -- dialogs and writes --------------------------------------------------------------

    def _open_dialog(self, item: ContentItem | None) -> ContentDialog:
        discard_hidden(self.dialog)
        dialog = ContentDialog(
            self._repo, self._runner, self._services.fetch_page, item=item, parent=self
        )
        dialog.saved.connect(lambda saved: self._after_save(saved, added=item is None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _after_save(self, item: ContentItem, *, added: bool) -> None:
        emit(self.notice, f"{'Added' if added else 'Saved'} “{item.title}”")
        self.table.select_after_load(item.id)
        self._changed()

    def _after_import(self, report: str) -> None:
        emit(self.notice, report)
        self._changed()

    def _after_follow(self, report: str) -> None:
        emit(self.notice, report)
        self._changed()

    def _remove(self, item: ContentItem) -> None:
        item_id = item.id

        def removed(_: ContentItem) -> None:
            emit(self.notice, f"Removed “{item.title}”")
            self._changed()

        self._runner.run_db(lambda: self._repo.remove(item_id), removed)

    def _changed(self) -> None:
        self.refresh()
        emit(self.changed)

    def _edit_current(self, _index: QModelIndex | None = None) -> None:
        if self.detail.item is not None:
            self.edit_item(self.detail.item)

    def _remove_current(self) -> None:
        if self.detail.item is not None:
            self.request_remove(self.detail.item)

    # -- reacting to the model -----------------------------------------------------------

    def _on_loaded(self) -> None:
        filtered = self.model.query != ContentQuery()
        self.count_label.setText(
            count_text(self.model.rowCount(), self.model.total, "item", filtered=filtered)
        )
        if self.tag_filter.set_tags(self.model.tags):
            self.apply_filters()  # the chosen tag no longer exists
        empty = self.model.total == 0
        self._table_pages.setCurrentWidget(self.empty_label if empty else self.table)
        if self.table.restore_selection():
            self._sync_detail()
        else:
            self.detail.show_item(None)

    def _sync_detail(self) -> None:
        row = self.table.currentIndex().row()
        item = self.model.item_at(row) if row >= 0 else None
        self.detail.show_item(item, self.model.today)
