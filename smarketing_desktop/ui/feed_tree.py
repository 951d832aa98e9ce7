"""The Inbox's left pane: everyone's posts, buying signals, then each prospect and their feeds.

A workspace has tens or hundreds of feeds, not tens of thousands, so a QTreeWidget rebuilt from
one query is simpler than a custom model and fast enough. A rebuild keeps the current node,
the scroll position and which prospects the rep collapsed, so a background refresh never moves
the ground under the rep. Unread counts can also be adjusted in place, so reading a post
updates every count at once without waiting for the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.db.repositories.feeds import SAMPLE_PURPOSE, EntryQuery, FeedRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.formatting import format_datetime, plural
from smarketing_desktop.ui.signals import emit

NodeKind = Literal["all", "signals", "prospect", "feed", "unassigned"]

ALL_POSTS = "All posts"
SIGNALS = "Buying signals"
UNASSIGNED = "Feeds without a prospect"
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_COLUMN, COUNT_COLUMN = 0, 1
# Prospects' feeds (and the sample's). The company's own feeds fill the content library
# instead: its posts are for sharing, not for reacting to.
INBOX_PURPOSES = frozenset({"prospect", SAMPLE_PURPOSE})


@dataclass(frozen=True)
class InboxNode:
    """What is selected in the tree: a kind, and the prospect or feed id where it has one."""

    kind: NodeKind
    id: int | None = None


ALL_NODE = InboxNode("all")
SIGNALS_NODE = InboxNode("signals")
UNASSIGNED_NODE = InboxNode("unassigned")


@dataclass(frozen=True)
class TreeData:
    """One consistent reading of the feeds and the counts the tree shows."""

    feeds: list[FeedInfo]
    signal_unread: int
    hidden_feeds: frozenset[int] = frozenset()  # feeds whose posts the Inbox leaves out

    @property
    def unread(self) -> int:
        return sum(f.unread for f in self.feeds)

    def feed(self, feed_id: int) -> FeedInfo | None:
        return next((f for f in self.feeds if f.id == feed_id), None)

    def prospect_name(self, prospect_id: int) -> str | None:
        return next((f.prospect_name for f in self.feeds if f.prospect_id == prospect_id), None)


def load_tree_data(repo: FeedRepository) -> TreeData:
    """Runs on the database worker."""
    every = repo.list_feeds()
    hidden = frozenset(f.id for f in every if f.purpose not in INBOX_PURPOSES)
    signals = repo.list_entries(EntryQuery(unread_only=True, signals_only=True, limit=None))
    return TreeData(
        [f for f in every if f.id not in hidden],
        sum(1 for e in signals if e.feed_id not in hidden),
        hidden,
    )


def feed_tooltip(feed: FeedInfo) -> str:
    lines = [feed.display_title, feed.url]
    if feed.prospect_name:
        lines.append(f"Prospect: {feed.prospect_name}")
    if feed.public_status == "error":
        lines.append(f"Problem: {feed.error_message or 'the last check failed.'}")
    elif feed.status == "pending":
        lines.append("Not checked yet.")
    if feed.last_checked is not None:
        lines.append(f"Last checked: {format_datetime(feed.last_checked)}")
    return "\n".join(lines)


def _by_name(feeds: list[FeedInfo]) -> list[tuple[int, str, list[FeedInfo]]]:
    groups: dict[int, tuple[str, list[FeedInfo]]] = {}
    for feed in feeds:
        if feed.prospect_id is None:
            continue
        name = feed.prospect_name or f"Prospect {feed.prospect_id}"
        groups.setdefault(feed.prospect_id, (name, []))[1].append(feed)
    ordered = sorted(groups.items(), key=lambda kv: (kv[1][0].casefold(), kv[0]))
    return [(pid, name, members) for pid, (name, members) in ordered]


class FeedTree(QTreeWidget):
    """`node_changed` carries the InboxNode the rep moved to (also on keyboard moves)."""

    node_changed = Signal(object)
    context_menu_requested = Signal(object, QPoint)  # (InboxNode, global position)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accessible(
            self,
            "Prospects and feeds",
            description="Choose whose posts to read. Numbers are unread posts.",
        )
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setExpandsOnDoubleClick(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self._items: dict[InboxNode, QTreeWidgetItem] = {}
        self._data = TreeData([], 0)
        self._collapsed: set[int] = set()
        self._building = False
        self.currentItemChanged.connect(self._on_current_changed)
        self.itemCollapsed.connect(lambda item: self._remember_expanded(item, False))
        self.itemExpanded.connect(lambda item: self._remember_expanded(item, True))
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.set_data(self._data)

    # -- public API ----------------------------------------------------------------------

    @property
    def data_shown(self) -> TreeData:
        return self._data

    def current_node(self) -> InboxNode:
        item = self.currentItem()
        node = item.data(NAME_COLUMN, NODE_ROLE) if item is not None else None
        return node if isinstance(node, InboxNode) else ALL_NODE

    def item_for(self, node: InboxNode) -> QTreeWidgetItem | None:
        return self._items.get(node)

    def unread_count(self, node: InboxNode) -> int | None:
        item = self._items.get(node)
        return None if item is None else int(item.data(COUNT_COLUMN, UNREAD_ROLE) or 0)

    def select_node(self, node: InboxNode) -> bool:
        item = self._items.get(node)
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def set_data(self, data: TreeData) -> None:
        """Rebuild from a fresh reading; the current node stays current while it exists."""
        kept = self.current_node() if self._items else ALL_NODE
        scroll = self.verticalScrollBar().value()
        self._data = data
        self._building = True
        try:
            self.clear()
            self._items = {}
            self._add_top(ALL_NODE, ALL_POSTS, data.unread, "Every post from every feed")
            self._add_top(
                SIGNALS_NODE,
                SIGNALS,
                data.signal_unread,
                "Posts that mention one of your buying-signal phrases",
            )
            for prospect_id, name, feeds in _by_name(data.feeds):
                node = InboxNode("prospect", prospect_id)
                parent = self._add_top(
                    node, name, sum(f.unread for f in feeds), f"Posts from {name}'s feeds"
                )
                for feed in feeds:
                    self._add_feed(parent, feed)
                parent.setExpanded(prospect_id not in self._collapsed)
            loose = [f for f in data.feeds if f.prospect_id is None]
            if loose:
                group = self._add_top(
                    UNASSIGNED_NODE,
                    UNASSIGNED,
                    sum(f.unread for f in loose),
                    "Feeds not linked to a prospect yet: Move to prospect… links them",
                )
                for feed in loose:
                    self._add_feed(group, feed)
                group.setExpanded(-1 not in self._collapsed)
        finally:
            self._building = False
        target = self._items.get(kept) or self._items[ALL_NODE]
        self.blockSignals(True)
        self.setCurrentItem(target)
        self.blockSignals(False)
        self.verticalScrollBar().setValue(scroll)
        if self.current_node() != kept:
            emit(self.node_changed, self.current_node())

    def adjust_unread(self, feed_id: int, delta: int, *, is_signal: bool) -> None:
        """A post was read or marked unread here: every count that includes it moves at once."""
        feed_item = self._items.get(InboxNode("feed", feed_id))
        if feed_item is None:
            return
        targets = [feed_item, self._items[ALL_NODE]]
        parent = feed_item.parent()
        if parent is not None:
            targets.append(parent)
        if is_signal:
            targets.append(self._items[SIGNALS_NODE])
        for item in targets:
            self._set_count(item, max(0, int(item.data(COUNT_COLUMN, UNREAD_ROLE) or 0) + delta))

    def feeds_under(self, node: InboxNode) -> list[FeedInfo]:
        """The feeds a node shows posts from."""
        feeds = self._data.feeds
        if node.kind == "feed":
            return [f for f in feeds if f.id == node.id]
        if node.kind == "prospect":
            return [f for f in feeds if f.prospect_id == node.id]
        if node.kind == "unassigned":
            return [f for f in feeds if f.prospect_id is None]
        return list(feeds)

    def iter_nodes(self) -> Iterator[InboxNode]:
        yield from self._items

    # -- building ------------------------------------------------------------------------

    def _add_top(self, node: InboxNode, name: str, unread: int, tip: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [name, ""])
        self._setup(item, node, name, unread, tip)
        return item

    def _add_feed(self, parent: QTreeWidgetItem, feed: FeedInfo) -> None:
        node = InboxNode("feed", feed.id)
        item = QTreeWidgetItem(parent, [feed.display_title, ""])
        self._setup(item, node, feed.display_title, feed.unread, feed_tooltip(feed))
        if feed.public_status == "error":
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            item.setIcon(NAME_COLUMN, icon)
            item.setData(
                NAME_COLUMN,
                Qt.ItemDataRole.AccessibleDescriptionRole,
                f"Problem: {feed.error_message or 'the last check failed.'}",
            )

    def _setup(
        self, item: QTreeWidgetItem, node: InboxNode, name: str, unread: int, tip: str
    ) -> None:
        item.setData(NAME_COLUMN, NODE_ROLE, node)
        item.setData(NAME_COLUMN, Qt.ItemDataRole.UserRole, name)
        item.setToolTip(NAME_COLUMN, tip)
        item.setToolTip(COUNT_COLUMN, tip)
        item.setTextAlignment(
            COUNT_COLUMN, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self._items[node] = item
        self._set_count(item, unread)

    def _set_count(self, item: QTreeWidgetItem, unread: int) -> None:
        name = str(item.data(NAME_COLUMN, Qt.ItemDataRole.UserRole))
        item.setData(COUNT_COLUMN, UNREAD_ROLE, unread)
        item.setText(COUNT_COLUMN, str(unread) if unread else "")
        font = QFont(self.font())
        font.setBold(unread > 0)
        item.setFont(NAME_COLUMN, font)
        item.setFont(COUNT_COLUMN, font)
        spoken = f"{name}, {plural(unread, 'unread post')}" if unread else name
        item.setData(NAME_COLUMN, Qt.ItemDataRole.AccessibleTextRole, spoken)

    # -- reacting ------------------------------------------------------------------------

    def _remember_expanded(self, item: QTreeWidgetItem, expanded: bool) -> None:
        if self._building:
            return
        node = item.data(NAME_COLUMN, NODE_ROLE)
        if not isinstance(node, InboxNode):
            return
        key = -1 if node.kind == "unassigned" else node.id
        if key is None:
            return
        if expanded:
            self._collapsed.discard(key)
        else:
            self._collapsed.add(key)

    def _on_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if not self._building and current is not None:
            emit(self.node_changed, self.current_node())

    def _on_context_menu(self, position: QPoint) -> None:
        item = self.itemAt(position)
        if item is None:
            return
        self.setCurrentItem(item)
        emit(
            self.context_menu_requested,
            self.current_node(),
            self.viewport().mapToGlobal(position),
        )
