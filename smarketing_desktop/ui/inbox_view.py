"""The Inbox area: prospects and their feeds, the posts of the chosen one, and the post itself.

Every read and write goes through the task runner and every network call (finding a feed,
checking feeds, loading images) runs on its network pool, so the window never waits on a disk
or a site. Reading a post updates the list and every count at once and writes in the
background. A refresh, a new feed or a new signal phrase reloads the tree and the list while
keeping what the rep had selected, so the ground never moves under them.

Keys (documented in the controls' tooltips): J/K or Down/Up move between posts, Space pages
through the post and then moves on, Enter or O opens it in the browser, M toggles read, F adds
a follow-up to comment on it (for the post's prospect), Delete deletes the post (in the feed
tree: removes the feed, after asking).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.feeds import EntryInfo, FeedInfo
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.db.repositories import followups
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.opml import (
    OpmlImportReport,
    export_feeds,
    import_feeds,
)
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.opml import parse_opml
from smarketing_desktop.feeds.subscribe import add_feed_from_input
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.add_feed_dialog import (
    AddFeedDialog,
    MoveFeedDialog,
    ProspectChoice,
    Subscribe,
    load_prospect_choices,
)
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.entry_model import (
    DATE_COLUMN,
    SIGNAL_COLUMN,
    SOURCE_COLUMN,
    TITLE_COLUMN,
    EntryListModel,
)
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.feed_tree import (
    ALL_NODE,
    ALL_POSTS,
    SIGNALS,
    UNASSIGNED,
    FeedTree,
    InboxNode,
    TreeData,
    load_tree_data,
)
from smarketing_desktop.ui.followup_dialog import FollowupDialog, open_for_draft
from smarketing_desktop.ui.formatting import format_datetime, plural
from smarketing_desktop.ui.key_action import key_action
from smarketing_desktop.ui.reader_pane import ImageFetcher, ReaderPane, fetch_image
from smarketing_desktop.ui.refresh_controller import RefreshController, RefreshOutcome
from smarketing_desktop.ui.row_table import select_row
from smarketing_desktop.ui.signal_rules_dialog import SignalRulesDialog
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

ENTRY_LIMIT = 500
OPML_FILTER = "OPML files (*.opml *.xml);;All files (*)"
_SPLITTER = "inbox"

NO_FEEDS = (
    "No posts yet. Add a prospect's blog or social profile with Add feed…, "
    "and their new posts will appear here."
)
NO_SIGNALS = (
    "No buying signals yet. Buying signals… sets the phrases (“RFP”, “hiring”) that flag a post."
)
NO_UNREAD = "Nothing unread here. Untick “Unread only” to see every post."
NO_POSTS = "No posts here yet."
NOT_CHECKED = "This feed has not been checked yet. Refresh all fetches its posts."
CHECK_FAILED = "No posts: the last check of this feed failed (see above)."


# -- the window's services, bound to one database ------------------------------------------


@dataclass(frozen=True)
class InboxServices:
    """What the Inbox calls, bound to one database (tests swap single callables)."""

    feeds: FeedRepository
    prospects: ProspectRepository
    subscribe: Subscribe
    import_opml: Callable[[bytes], OpmlImportReport]
    export_opml: Callable[[], tuple[bytes, int]]
    draft_followup: Callable[[int], followups.FollowupDraft]  # entry id -> prefilled follow-up
    add_followup: Callable[[followups.FollowupDraft, date, str], QueueItemInfo]

    @classmethod
    def for_database(cls, db: Database) -> InboxServices:
        def subscribe(text: str, prospect_id: int | None) -> FeedInfo:
            return add_feed_from_input(db, text, prospect_id)

        def import_opml(data: bytes) -> OpmlImportReport:
            return import_feeds(db, parse_opml(data))

        def add_followup(draft: followups.FollowupDraft, due: date, note: str) -> QueueItemInfo:
            return followups.add_draft(db, draft, due, note)

        return cls(
            feeds=FeedRepository(db),
            prospects=ProspectRepository(db),
            subscribe=subscribe,
            import_opml=import_opml,
            export_opml=functools.partial(export_feeds, db),
            draft_followup=functools.partial(followups.draft_from_entry, db),
            add_followup=add_followup,
        )


@runtime_checkable
class OpmlChooser(Protocol):
    """Asking for an OPML file; tests answer without a dialog (like FileChooser for CSV)."""

    def open_opml(self, parent: QWidget) -> Path | None: ...

    def save_opml(self, parent: QWidget, suggested_name: str) -> Path | None: ...


@dataclass
class DialogOpmlChooser:
    last_dir: Path = field(default_factory=Path.home)

    def open_opml(self, parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Import feeds from OPML", str(self.last_dir), OPML_FILTER
        )
        return self._remember(chosen)

    def save_opml(self, parent: QWidget, suggested_name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export feeds to OPML", str(self.last_dir / suggested_name), OPML_FILTER
        )
        return self._remember(chosen)

    def _remember(self, chosen: str) -> Path | None:
        if not chosen:
            return None
        path = Path(chosen)
        self.last_dir = path.parent
        return path


def opml_report_text(report: OpmlImportReport) -> str:
    text = f"Imported {plural(report.added, 'feed')}"
    extras = []
    if report.already_tracked:
        extras.append(f"{report.already_tracked} already tracked")
    if report.prospects_linked:
        extras.append(f"{report.prospects_linked} linked to prospects")
    if report.prospects_created:
        extras.append(f"{plural(report.prospects_created, 'prospect')} created")
    return f"{text} ({', '.join(extras)})." if extras else f"{text}."


# -- reading posts for a node (database worker) --------------------------------------------


def _newest_first(entry: EntryInfo) -> tuple[bool, float, int]:
    published = -entry.published.timestamp() if entry.published is not None else 0.0
    return (entry.published is None, published, -entry.id)


@dataclass(frozen=True)
class FeedScope:
    """Which feeds the Inbox reads from: the ones without a prospect, and the ones left out."""

    loose: tuple[int, ...] = ()
    hidden: frozenset[int] = frozenset()

    @classmethod
    def of(cls, data: TreeData) -> FeedScope:
        return cls(tuple(f.id for f in data.feeds if f.prospect_id is None), data.hidden_feeds)


def _shown(repo: FeedRepository, query: EntryQuery, hidden: frozenset[int]) -> list[EntryInfo]:
    """`query` without posts of hidden feeds, asking for more while those took up room."""
    limit = query.limit
    while True:
        rows = repo.list_entries(query)
        kept = [e for e in rows if e.feed_id not in hidden]
        if query.limit is None or len(rows) < query.limit or len(kept) >= (limit or 0):
            return kept[:limit] if limit is not None else kept
        query = replace(query, limit=query.limit * 2)


def entries_for(
    repo: FeedRepository,
    node: InboxNode,
    scope: FeedScope,
    *,
    unread_only: bool,
    signals_only: bool,
    limit: int | None = ENTRY_LIMIT,
) -> list[EntryInfo]:
    """The posts a tree node shows, newest first."""
    if node.kind == "unassigned":
        merged: list[EntryInfo] = []
        for feed_id in scope.loose:
            merged.extend(
                repo.list_entries(
                    EntryQuery(
                        feed_id=feed_id,
                        unread_only=unread_only,
                        signals_only=signals_only,
                        limit=limit,
                    )
                )
            )
        merged.sort(key=_newest_first)
        return merged[:limit] if limit is not None else merged
    query = EntryQuery(
        prospect_id=node.id if node.kind == "prospect" else None,
        feed_id=node.id if node.kind == "feed" else None,
        unread_only=unread_only,
        signals_only=signals_only or node.kind == "signals",
        limit=limit,
    )
    return _shown(repo, query, scope.hidden)


def full_sources(feeds: list[FeedInfo]) -> dict[int, str]:
    """Per feed id, who and where a post came from, as the reader pane says it."""
    return {
        f.id: f"{f.prospect_name} · {f.display_title}" if f.prospect_name else f.display_title
        for f in feeds
    }


def list_sources(feeds: list[FeedInfo], node: InboxNode) -> dict[int, str]:
    """The list's short "From": the prospect, or the feed once the prospect is chosen."""
    if node.kind in ("prospect", "feed"):
        return {f.id: f.display_title for f in feeds}
    return {f.id: f.prospect_name or f.display_title for f in feeds}


# -- the banner for feeds with a problem ----------------------------------------------------


class FeedProblemBanner(QFrame):
    """Shown above the posts when the chosen feed (or one of the prospect's) failed its check."""

    retry_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Feed problem")
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = ErrorLabel(self)
        self.message.setAccessibleName("Feed problem")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = accessible(
            QPushButton("Re&try", self), "Retry", "Check the feed again now"
        )
        self.retry_button.clicked.connect(lambda: emit(self.retry_requested, list(self._ids)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(icon)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        self._ids: list[int] = []
        self.setVisible(False)

    def show_problems(self, feeds: list[FeedInfo], now: datetime) -> None:
        failing = [f for f in feeds if f.public_status == "error"]
        self._ids = [f.id for f in failing]
        if not failing:
            self.message.clear_message()
            self.setVisible(False)
            return
        lines = []
        for feed in failing:
            message = feed.error_message or "The last check failed."
            lines.append(message if len(feeds) == 1 else f"{feed.display_title}: {message}")
        waits = [f.retry_after for f in failing if f.retry_after and f.retry_after > now]
        if waits and len(waits) == len(failing):
            until = format_datetime(max(waits))
            self.retry_button.setEnabled(False)
            self.retry_button.setToolTip(f"The site asked us to wait until {until}")
            lines.append(f"The site asked us to wait until {until} before checking again.")
        else:
            self.retry_button.setEnabled(True)
            self.retry_button.setToolTip("Check the feed again now")
        self.message.show_message("\n".join(lines))
        self.setVisible(True)

    def text(self) -> str:
        return self.message.text() if self.isVisibleTo(self.parentWidget() or self) else ""


# -- the view -------------------------------------------------------------------------------


class InboxView(QWidget):
    """`notice` goes to the status bar; `changed` tells other areas that feeds changed;
    `followup_added` that a follow-up was made from a post (Today and the Queue show it)."""

    notice = Signal(str)
    changed = Signal()
    followup_added = Signal()

    def __init__(
        self,
        services: InboxServices,
        runner: TaskRunner,
        refresh: RefreshController,
        *,
        opml_chooser: OpmlChooser | None = None,
        state: WindowState | None = None,
        image_fetcher: ImageFetcher = fetch_image,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._repo = services.feeds
        self._runner = runner
        self._refresh = refresh
        self._state = state
        self.opml_chooser: OpmlChooser = opml_chooser or DialogOpmlChooser()
        self._node: InboxNode = ALL_NODE
        self._keep_entry: int | None = None
        self._select_node_after_load: InboxNode | None = None
        self._images_allowed: set[int] = set()
        self._sources: dict[int, str] = {}
        self._tree_generation = 0
        self.add_dialog: AddFeedDialog | None = None
        self.move_dialog: MoveFeedDialog | None = None
        self.rules_dialog: SignalRulesDialog | None = None
        self.remove_box: QMessageBox | None = None
        self.context_menu: QMenu | None = None
        self.entry_menu: QMenu | None = None
        self.followup_dialog: FollowupDialog | None = None

        self.tree = FeedTree(self)
        self.tree.node_changed.connect(self._on_node_changed)
        self.tree.context_menu_requested.connect(self._show_context_menu)
        self.model = EntryListModel(runner, self)
        self.model.loaded.connect(self._on_entries_loaded)
        self.reader = ReaderPane(runner, self, image_fetcher=image_fetcher)
        self.reader.load_images_requested.connect(self.allow_images)
        self.reader.toggle_read_requested.connect(self.toggle_read)
        self.reader.delete_requested.connect(self.delete_current)
        self.reader.followup_requested.connect(self.follow_up_current)

        self._build_toolbar()
        middle = self._build_entry_column()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.reader)
        self.splitter.setChildrenCollapsible(False)
        for index, stretch in enumerate((0, 2, 3)):
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setSizes([220, 440, 420])  # 1280x800 less the area list
        saved = state.splitter(_SPLITTER) if state else None
        if saved is not None:
            self.splitter.restoreState(saved)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self._toolbar)
        layout.addWidget(self.splitter, 1)
        self._create_key_actions()
        self._set_tab_order()

        refresh.finished.connect(self._after_refresh)

    # -- building ------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.add_button = accessible(
            QPushButton("&Add feed…", self),
            "Add feed",
            "Follow a prospect's blog, feed or social profile (Ctrl+Shift+N)",
        )
        self.add_button.clicked.connect(self.open_add_dialog)
        self.refresh_button = accessible(
            QPushButton("&Refresh all", self),
            "Refresh all feeds",
            "Check every feed for new posts now (F5 here, Ctrl+Shift+R anywhere)",
        )
        self.refresh_button.clicked.connect(self._refresh.refresh_all)
        self.rules_button = accessible(
            QPushButton("Buying &signals…", self),
            "Buying signals",
            "Choose the phrases that flag a post as a buying signal, with a preview",
        )
        self.rules_button.clicked.connect(self.open_rules_dialog)
        self.mark_all_button = accessible(
            QPushButton("Mar&k all read", self),
            "Mark all read",
            "Mark every post in the chosen list as read",
        )
        self.mark_all_button.clicked.connect(self.mark_all_read)
        self.unread_only = accessible(
            QCheckBox("&Unread only", self), "Unread only", "Show only posts you have not read"
        )
        self.signals_only = accessible(
            QCheckBox("Si&gnals only", self),
            "Buying signals only",
            "Show only posts flagged as buying signals (⚑)",
        )
        self.unread_only.toggled.connect(lambda _on: self._load_entries(self._current_entry_id()))
        self.signals_only.toggled.connect(lambda _on: self._load_entries(self._current_entry_id()))

        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.rules_button)
        bar.addStretch(1)
        bar.addWidget(self.mark_all_button)
        self._toolbar = bar

    def _build_entry_column(self) -> QWidget:
        column = QWidget(self)
        self.heading = QLabel(ALL_POSTS, column)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Showing")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setWordWrap(True)  # a long feed title must not widen the window
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.unread_only)
        filters.addWidget(self.signals_only)
        filters.addStretch(1)
        self.banner = FeedProblemBanner(column)
        self.banner.retry_requested.connect(self.retry_feeds)

        entries = accessible(
            QTreeView(column),
            "Posts",
            "J/K or Down/Up: next/previous. Enter or O: open in browser. M: read/unread. "
            "F: follow up. Delete: delete post. Space: page through the post.",
            "Posts of the chosen prospect or feed, newest first. Bold posts are unread; "
            "⚑ marks a buying signal.",
        )
        entries.setModel(self.model)
        entries.setRootIsDecorated(False)
        entries.setItemsExpandable(False)
        entries.setUniformRowHeights(True)
        entries.setAlternatingRowColors(True)
        entries.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        entries.setAllColumnsShowFocus(True)
        entries.setWordWrap(False)
        entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = entries.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SIGNAL_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SOURCE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DATE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(SIGNAL_COLUMN, 24)
        header.resizeSection(SOURCE_COLUMN, 120)
        entries.selectionModel().currentRowChanged.connect(self._on_current_entry)
        entries.activated.connect(lambda _index: self.reader.open_in_browser())
        entries.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        entries.customContextMenuRequested.connect(self._show_entry_menu)
        self.entry_list = entries

        self.empty_label = QLabel(NO_FEEDS, column)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No posts")
        self.empty_add_button = accessible(
            QPushButton("Add feed…", column), "Add feed", "Follow a prospect's blog or profile"
        )
        self.empty_add_button.clicked.connect(self.open_add_dialog)
        empty = QWidget(column)
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self._empty_page = empty
        self._entry_pages = QStackedWidget(column)
        self._entry_pages.addWidget(entries)
        self._entry_pages.addWidget(empty)

        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self._entry_pages, 1)
        return column

    def _create_key_actions(self) -> None:
        self.next_action = key_action(self, "Next post", ["J"], self.next_entry)
        self.previous_action = key_action(self, "Previous post", ["K"], self.previous_entry)
        self.toggle_action = key_action(self, "Toggle read", ["M"], self.toggle_read)
        self.open_action = key_action(self, "Open in browser", ["O"], self.reader.open_in_browser)
        self.followup_action = key_action(
            self, "Follow up on this post…", ["F"], self.follow_up_current
        )
        # Space only where it has no other job: on buttons and check boxes it presses them.
        for widget in (self.entry_list, self.reader.browser):
            key_action(self, "Page through the post", ["Space"], self.page_or_next, widget)
        delete = QKeySequence(QKeySequence.StandardKey.Delete)
        key_action(self, "Delete post", [delete], self.delete_current, self.entry_list)
        key_action(self, "Delete post", [delete], self.delete_current, self.reader.browser)
        key_action(self, "Remove feed", [delete], self.remove_current_feed, self.tree)

    def _set_tab_order(self) -> None:
        """Left to right, as the rep reads: the panes were built in another order."""
        reader = self.reader
        chain: list[QWidget] = [
            self.add_button,
            self.refresh_button,
            self.rules_button,
            self.mark_all_button,
            self.tree,
            self.unread_only,
            self.signals_only,
            self.banner.retry_button,
            self.entry_list,
            self.empty_add_button,
            reader.load_images_button,
            reader.browser,
            reader.open_button,
            reader.read_button,
            reader.followup_button,
            reader.delete_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- public API ----------------------------------------------------------------------

    @property
    def node(self) -> InboxNode:
        return self._node

    @property
    def tree_data(self) -> TreeData:
        return self.tree.data_shown

    def current_entry(self) -> EntryInfo | None:
        row = self.entry_list.currentIndex().row()
        return self.model.entry_at(row) if row >= 0 else None

    def refresh(self) -> None:
        """Re-read feeds, counts and posts, keeping the node and post the rep is on."""
        self._tree_generation += 1
        generation = self._tree_generation
        self._runner.run_db(
            lambda: load_tree_data(self._repo),
            lambda data: self._tree_loaded(generation, data),
            context=self,
        )

    def select_node(self, node: InboxNode) -> bool:
        return self.tree.select_node(node)

    def select_entry(self, entry_id: int) -> bool:
        return select_row(self.entry_list, self.model, entry_id, TITLE_COLUMN)

    def next_entry(self) -> None:
        self._move(+1)

    def previous_entry(self) -> None:
        self._move(-1)

    def page_or_next(self) -> None:
        if not self.reader.showing_post or not self.reader.scroll_page():
            self.next_entry()

    def toggle_read(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._set_read(self.entry_list.currentIndex().row(), not entry.read)

    def delete_current(self) -> None:
        row = self.entry_list.currentIndex().row()
        entry = self.model.entry_at(row)
        if entry is None:
            return
        if not entry.read:
            self.tree.adjust_unread(entry.feed_id, -1, is_signal=entry.is_signal)
        self.model.remove_row(row)
        self._runner.run_db(
            lambda: self._repo.delete_entries([entry.id]),
            lambda _count: emit(
                self.notice, f"Deleted “{entry.title}”. It will not come back on refresh."
            ),
            self._write_failed,
        )
        following = self.model.entry_at(min(row, self.model.rowCount() - 1))
        if following is not None:
            self.select_entry(following.id)
        else:
            self.reader.show_entry(None)
        self._update_empty_state()

    def follow_up_current(self) -> None:
        """F, the reader's button or the post's menu: a follow-up to comment on the post,
        prefilled for its prospect; the rep confirms (or changes the day and note) first."""
        entry = self.current_entry()
        if entry is None:
            emit(self.notice, "Choose a post first.")
            return
        entry_id = entry.id
        self._runner.run_db(
            lambda: self._services.draft_followup(entry_id),
            self._ask_followup,
            self._user_failed,
            context=self,
        )

    def _ask_followup(self, draft: followups.FollowupDraft) -> None:
        self._discard(self.followup_dialog)

        def added(message: str) -> None:
            emit(self.notice, message)
            emit(self.followup_added)

        self.followup_dialog = open_for_draft(
            self,
            self._runner,
            draft,
            title="Follow up on this post",
            add=self._services.add_followup,
            added=added,
            failed=self._user_failed,
        )

    def mark_all_read(self) -> None:
        node = self._node
        scope = FeedScope.of(self.tree_data)
        signals_only = self.signals_only.isChecked()

        def work() -> int:
            unread = entries_for(
                self._repo, node, scope, unread_only=True, signals_only=signals_only, limit=None
            )
            return self._repo.mark_read([e.id for e in unread]) if unread else 0

        def done(count: int) -> None:
            emit(self.notice, f"Marked {plural(count, 'post')} read." if count else "All read.")
            self.refresh()

        self._runner.run_db(work, done, self._write_failed)

    def allow_images(self, feed_id: int) -> None:
        def done(_none: None) -> None:
            self._images_allowed.add(feed_id)
            self.reader.set_remote_allowed(feed_id, True)
            feed = self.tree_data.feed(feed_id)
            name = feed.display_title if feed else "this feed"
            emit(self.notice, f"Images from {name} will load from now on.")

        def failed(exc: Exception) -> None:
            self.reader.images_not_allowed()
            self._runner.report_error(exc)

        self._runner.run_db(lambda: self._repo.set_remote_images(feed_id, True), done, failed)

    def retry_feeds(self, feed_ids: list[int]) -> None:
        """Forget the back-off (and a gone mark) and check the feeds now."""
        if not feed_ids:
            return
        if self._refresh.is_running:
            self._refresh.refresh_feeds(feed_ids)  # refused with a notice
            return
        ids = list(feed_ids)

        def forget() -> None:
            for feed_id in ids:
                self._repo.retry(feed_id)

        self.banner.retry_button.setEnabled(False)
        self._runner.run_db(forget, lambda _none: self._refresh.refresh_feeds(ids))

    def open_add_dialog(self) -> AddFeedDialog:
        self._discard(self.add_dialog)
        dialog = AddFeedDialog(
            self._services.subscribe, self._runner, prospect_id=self._node_prospect(), parent=self
        )
        dialog.added.connect(self._after_add)
        self.add_dialog = dialog
        self._load_prospects(dialog.set_prospects, dialog)
        dialog.open()
        return dialog

    def open_rules_dialog(self) -> SignalRulesDialog:
        self._discard(self.rules_dialog)
        dialog = SignalRulesDialog(self._repo, self._runner, self)
        dialog.changed.connect(self.refresh)
        self.rules_dialog = dialog
        self._load_prospects(dialog.set_prospects, dialog)
        dialog.open()
        return dialog

    def open_move_dialog(self, feed_id: int | None = None) -> MoveFeedDialog | None:
        feed = self.tree_data.feed(feed_id if feed_id is not None else self._feed_id() or -1)
        if feed is None:
            emit(self.notice, "Choose a feed in the list first.")
            return None
        self._discard(self.move_dialog)
        dialog = MoveFeedDialog(feed, self)
        dialog.chosen.connect(self._move_feed)
        self.move_dialog = dialog
        self._load_prospects(dialog.set_prospects, dialog)
        dialog.open()
        return dialog

    def request_remove_feed(self, feed_id: int | None = None) -> QMessageBox | None:
        """Ask first, saying how many posts go with the feed."""
        feed = self.tree_data.feed(feed_id if feed_id is not None else self._feed_id() or -1)
        if feed is None:
            emit(self.notice, "Choose a feed in the list first.")
            return None
        self._discard(self.remove_box)
        self.remove_box = confirm_destructive(
            self,
            title="Remove feed",
            question=f"Stop following {feed.display_title}?",
            consequence=(
                f"Its {plural(feed.entries, 'post')} will be deleted too. This cannot be undone."
                if feed.entries
                else "It has no posts stored."
            ),
            action="&Remove feed",
            action_name=f"Remove {feed.display_title}",
            keep_name="Keep feed",
            on_confirm=lambda: self._remove_feed(feed),
        )
        return self.remove_box

    def remove_current_feed(self) -> None:
        if self._feed_id() is not None:
            self.request_remove_feed()

    def import_opml(self) -> None:
        path = self.opml_chooser.open_opml(self)
        if path is None:
            return
        emit(self.notice, f"Importing feeds from {path}…")

        def imported(report: OpmlImportReport) -> None:
            emit(self.notice, opml_report_text(report))
            self.refresh()
            emit(self.changed)
            if report.added:
                self._refresh.refresh_due()  # the new feeds are due: fetch their posts now

        self._runner.run_db(
            lambda: self._services.import_opml(path.read_bytes()), imported, self._user_failed
        )

    def export_opml(self) -> None:
        path = self.opml_chooser.save_opml(self, "smarketing-feeds.opml")
        if path is None:
            return

        def write() -> int:
            data, count = self._services.export_opml()
            path.write_bytes(data)
            return count

        self._runner.run_db(
            write,
            lambda count: emit(self.notice, f"Exported {plural(count, 'feed')} to {path}"),
            self._user_failed,
        )

    def save_state(self) -> None:
        if self._state is not None:
            self._state.set_splitter(_SPLITTER, self.splitter.saveState())

    def empty_text(self) -> str:
        """The empty-state sentence, as the rep sees it ("" while posts are listed)."""
        return (
            self.empty_label.text() if self._entry_pages.currentWidget() is self._empty_page else ""
        )

    # -- loading -------------------------------------------------------------------------

    def _tree_loaded(self, generation: int, data: TreeData) -> None:
        if generation != self._tree_generation:
            return
        self._images_allowed = {f.id for f in data.feeds if f.allow_remote_images}
        self._sources = full_sources(data.feeds)
        self.tree.blockSignals(True)
        try:
            self.tree.set_data(data)
            target = self._select_node_after_load
            self._select_node_after_load = None
            if target is not None:
                self.tree.select_node(target)
        finally:
            self.tree.blockSignals(False)
        node = self.tree.current_node()
        keep = self._current_entry_id() if node == self._node else None
        if node != self._node:
            self._node = node
            self.reader.show_entry(None)
        self._update_banner()
        self._update_columns()
        self._load_entries(keep)

    def _load_entries(self, keep: int | None) -> None:
        self._keep_entry = keep
        node = self._node
        scope = FeedScope.of(self.tree_data)
        unread_only = self.unread_only.isChecked()
        signals_only = self.signals_only.isChecked()
        self.model.load(
            lambda: entries_for(
                self._repo, node, scope, unread_only=unread_only, signals_only=signals_only
            )
        )

    def _on_entries_loaded(self) -> None:
        target = self._keep_entry
        self._keep_entry = None
        if target is None or not self.select_entry(target):
            self.entry_list.selectionModel().clearCurrentIndex()
            self.reader.show_entry(None)
        self._update_heading()
        self._update_empty_state()

    def _after_refresh(self, outcome: RefreshOutcome) -> None:
        if outcome.summary.feeds or outcome.kind != "due":
            self.refresh()

    # -- reacting to the rep -------------------------------------------------------------

    def _on_node_changed(self, node: InboxNode) -> None:
        if node == self._node:
            return
        self._node = node
        self.reader.show_entry(None)
        self._update_banner()
        self._update_columns()
        self._load_entries(None)

    def _on_current_entry(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.entry_at(current.row()) if current.isValid() else None
        self._show(entry)
        if entry is not None and not entry.read:
            self._set_read(current.row(), True)

    def _show(self, entry: EntryInfo | None) -> None:
        if entry is None:
            self.reader.show_entry(None)
            return
        self.reader.show_entry(
            entry,
            source=self._sources.get(entry.feed_id) or entry.feed_title or "",
            allow_remote=entry.feed_id in self._images_allowed,
        )

    def _set_read(self, row: int, read: bool) -> None:
        before = self.model.set_read(row, read)
        if before is None:
            return
        self.tree.adjust_unread(before.feed_id, -1 if read else 1, is_signal=before.is_signal)
        if self.entry_list.currentIndex().row() == row:
            self._show(self.model.entry_at(row))
        entry_id = before.id
        self._runner.run_db(
            lambda: self._repo.mark_read([entry_id], read), on_failure=self._write_failed
        )

    def _move(self, step: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        row = self.entry_list.currentIndex().row()
        target = 0 if row < 0 else min(max(row + step, 0), count - 1)
        if target != row:
            entry = self.model.entry_at(target)
            if entry is not None:
                self.select_entry(entry.id)

    def _show_context_menu(self, node: InboxNode, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setAccessibleName("Feed actions")
        if node.kind == "feed" and node.id is not None:
            feed_id = node.id
            menu.addAction("Check this feed now", lambda: self._refresh.refresh_feeds([feed_id]))
            menu.addAction("Move to prospect…", lambda: self.open_move_dialog(feed_id))
            if feed_id not in self._images_allowed:
                menu.addAction("Load images for this feed", lambda: self.allow_images(feed_id))
            menu.addSeparator()
            menu.addAction("Remove feed…", lambda: self.request_remove_feed(feed_id))
        else:
            menu.addAction("Add feed…", self.open_add_dialog)
            menu.addAction("Mark all read", self.mark_all_read)
        self.context_menu = menu
        menu.popup(position)

    def _show_entry_menu(self, position: QPoint) -> None:
        index = self.entry_list.indexAt(position)
        entry = self.model.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return
        if self._current_entry_id() != entry.id:
            self.select_entry(entry.id)  # the menu acts on the post it was opened on
        self.post_menu(entry).popup(self.entry_list.viewport().mapToGlobal(position))

    def post_menu(self, entry: EntryInfo) -> QMenu:
        """The post's right-click menu: the reader's buttons, for the mouse-minded."""
        menu = QMenu(self)
        menu.setAccessibleName("Post actions")
        opener = menu.addAction("Open in browser", self.reader.open_in_browser)
        opener.setEnabled(bool(entry.link))
        follow = menu.addAction("Follow up…", self.follow_up_current)
        follow.setEnabled(entry.prospect_id is not None)
        menu.addAction("Mark unread" if entry.read else "Mark read", self.toggle_read)
        menu.addSeparator()
        menu.addAction("Delete post", self.delete_current)
        self._discard(self.entry_menu)
        self.entry_menu = menu
        return menu

    # -- writes --------------------------------------------------------------------------

    def _after_add(self, feed: FeedInfo) -> None:
        emit(self.notice, f"Added {feed.display_title} with {plural(feed.entries, 'post')}.")
        self._select_node_after_load = InboxNode("feed", feed.id)
        self.refresh()
        emit(self.changed)

    def _move_feed(self, feed_id: int, prospect_id: object) -> None:
        owner = prospect_id if isinstance(prospect_id, int) else None

        def moved(feed: FeedInfo) -> None:
            who = feed.prospect_name or "no prospect"
            emit(self.notice, f"{feed.display_title} now belongs to {who}.")
            self._select_node_after_load = InboxNode("feed", feed.id)
            self.refresh()
            emit(self.changed)

        self._runner.run_db(
            lambda: self._repo.set_prospect(feed_id, owner), moved, self._user_failed
        )

    def _remove_feed(self, feed: FeedInfo) -> None:
        def removed(info: FeedInfo) -> None:
            emit(
                self.notice,
                f"Removed {info.display_title} and its {plural(info.entries, 'post')}.",
            )
            self.refresh()
            emit(self.changed)

        self._runner.run_db(lambda: self._repo.remove_feed(feed.id), removed, self._user_failed)

    def _write_failed(self, exc: Exception) -> None:
        self._runner.report_error(exc)
        self.refresh()  # show what is really stored

    def _user_failed(self, exc: Exception) -> None:
        if isinstance(exc, ValueError):  # OpmlError: the file's problem, said plainly
            emit(self.notice, str(exc))
        else:
            self._runner.report_error(exc)

    # -- helpers -------------------------------------------------------------------------

    def _current_entry_id(self) -> int | None:
        entry = self.current_entry()
        return entry.id if entry is not None else None

    def _feed_id(self) -> int | None:
        return self._node.id if self._node.kind == "feed" else None

    def _node_prospect(self) -> int | None:
        if self._node.kind == "prospect":
            return self._node.id
        if self._node.kind == "feed" and self._node.id is not None:
            feed = self.tree_data.feed(self._node.id)
            return feed.prospect_id if feed else None
        return None

    def _load_prospects(
        self, apply: Callable[[list[ProspectChoice]], None], dialog: QWidget
    ) -> None:
        self._runner.run_db(
            lambda: load_prospect_choices(self._services.prospects), apply, context=dialog
        )

    def _node_title(self) -> str:
        node = self._node
        if node.kind == "all":
            return ALL_POSTS
        if node.kind == "signals":
            return SIGNALS
        if node.kind == "unassigned":
            return UNASSIGNED
        if node.kind == "prospect" and node.id is not None:
            return self.tree_data.prospect_name(node.id) or "Prospect"
        feed = self.tree_data.feed(node.id or -1)
        return feed.display_title if feed else "Feed"

    def _update_heading(self) -> None:
        count = self.model.rowCount()
        shown = plural(count, "post")
        if count >= ENTRY_LIMIT:
            shown = f"newest {count} posts"
        self.heading.setText(f"{self._node_title()} · {shown}")

    def _update_columns(self) -> None:
        self.model.set_sources(list_sources(self.tree_data.feeds, self._node))
        # One feed's list needs no "From": every post has the same one.
        self.entry_list.setColumnHidden(SOURCE_COLUMN, self._node.kind == "feed")

    def _update_banner(self) -> None:
        node = self._node
        feeds = (
            self.tree.feeds_under(node) if node.kind in ("feed", "prospect", "unassigned") else []
        )
        self.banner.show_problems(feeds, clock.now())

    def _update_empty_state(self) -> None:
        if self.model.rowCount() > 0:
            self._entry_pages.setCurrentWidget(self.entry_list)
            return
        data = self.tree_data
        node = self._node
        feeds = self.tree.feeds_under(node)
        if not data.feeds:
            text = NO_FEEDS
        elif self.unread_only.isChecked():
            text = NO_UNREAD
        elif node.kind == "signals" or self.signals_only.isChecked():
            text = NO_SIGNALS
        elif node.kind == "feed" and feeds and feeds[0].public_status == "error":
            text = CHECK_FAILED
        elif node.kind == "feed" and feeds and feeds[0].status == "pending":
            text = NOT_CHECKED
        else:
            text = NO_POSTS
        self.empty_label.setText(text)
        self.empty_add_button.setVisible(not data.feeds)
        self._entry_pages.setCurrentWidget(self._empty_page)

    @staticmethod
    def _discard(widget: QWidget | None) -> None:
        """Dialogs are kept until the next one opens, so late callbacks find them alive."""
        if widget is not None and shiboken6.isValid(widget) and not widget.isVisible():
            widget.deleteLater()
