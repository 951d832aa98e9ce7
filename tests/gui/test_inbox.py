"""The Inbox: the tree and its counts, reading posts safely, keys, refreshing and feed problems.

Feeds are stored the way a refresh stores them (FeedRepository.store with a parsed feed), and
every network exchange is with the local test server.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.fetch import FetchLimits, FetchResult
from smarketing_desktop.feeds.parse import parse_feed
from smarketing_desktop.feeds.refresh import refresh_feeds
from smarketing_desktop.ui.feed_tree import (
    ALL_NODE,
    SIGNALS_NODE,
    UNASSIGNED,
    UNASSIGNED_NODE,
    InboxNode,
)
from smarketing_desktop.ui.inbox_view import NO_FEEDS, InboxView
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.reader_pane import IMAGES_BLOCKED
from smarketing_desktop.ui.refresh_controller import ALREADY_RUNNING
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import wait_idle
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, RequestHandler, Response

FAST = FetchLimits(deadline=3.0, connect_timeout=1.0, read_timeout=2.0)

Item = tuple[str, str, str]  # (guid, title, HTML description), newest first


# -- helpers shared with test_inbox_dialogs.py ----------------------------------------------


@pytest.fixture
def feeds(db: Database) -> FeedRepository:
    return FeedRepository(db)


def store_feed(
    repo: FeedRepository,
    url: str,
    items: Sequence[Item],
    *,
    title: str = "Jane's blog",
    prospect_id: int | None = None,
) -> FeedInfo:
    """A feed whose posts are stored as a refresh would store them (not due for a while)."""
    body = rss(title, items)
    feed = repo.add_feed(url, title=title, prospect_id=prospect_id)
    repo.store(
        feed.id,
        FetchResult("ok", url, 200, body=body),
        parse_feed(body, url=url),
        hashlib.sha256(body).hexdigest(),
        datetime.now(UTC),
    )
    return repo.get_feed(feed.id)


def add_prospect(db: Database, name: str) -> int:
    return ProspectRepository(db).add(ProspectDraft(name=name)).id


def open_inbox(qtbot: QtBot, window: MainWindow) -> InboxView:
    window.go_to("inbox")
    wait_idle(qtbot, window.runner)
    return window.inbox_view


def pick(qtbot: QtBot, view: InboxView, node: InboxNode) -> None:
    """Choose a tree node and wait for its posts (only those: a refresh may be running)."""
    assert view.select_node(node)
    qtbot.waitUntil(lambda: not view.model.is_loading)


def titles(view: InboxView) -> list[str]:
    return [e.title for e in view.model.entries]


def entry_id(view: InboxView, title: str) -> int:
    return next(e.id for e in view.model.entries if e.title == title)


def press(qtbot: QtBot, window: MainWindow, widget: QWidget, key: Qt.Key) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, key)


def png(width: int = 4, height: int = 4) -> bytes:
    """A small red PNG, written by hand (no Qt image plugins involved)."""
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# -- the tree and its counts -----------------------------------------------------------------


def test_tree_shows_prospects_their_feeds_and_unread_counts(
    qtbot: QtBot, db: Database, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    jane = add_prospect(db, "Jane Doe")
    blog = store_feed(
        feeds,
        "https://jane.example/feed",
        [("a", "Second", "<p>two</p>"), ("b", "First", "<p>one</p>")],
        prospect_id=jane,
    )
    loose = store_feed(
        feeds, "https://loose.example/feed", [("c", "Loose", "<p>x</p>")], title="Loose"
    )
    window = open_window()
    view = open_inbox(qtbot, window)
    tree = view.tree

    assert tree.unread_count(ALL_NODE) == 3
    assert tree.unread_count(SIGNALS_NODE) == 0
    assert tree.unread_count(InboxNode("prospect", jane)) == 2
    assert tree.unread_count(InboxNode("feed", blog.id)) == 2
    assert tree.unread_count(UNASSIGNED_NODE) == 1
    assert tree.unread_count(InboxNode("feed", loose.id)) == 1
    prospect_item = tree.item_for(InboxNode("prospect", jane))
    assert prospect_item is not None and prospect_item.text(0) == "Jane Doe"
    child = prospect_item.child(0)
    assert child is not None and child.text(0) == "Jane's blog"
    group = tree.item_for(UNASSIGNED_NODE)
    assert group is not None and group.text(0) == UNASSIGNED
    assert sorted(titles(view)) == ["First", "Loose", "Second"]  # All posts
    assert titles(view).index("Second") < titles(view).index("First")  # newest first


def test_the_sample_workspace_fills_the_inbox(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    window = open_window()
    window.load_sample_data()
    wait_idle(qtbot, window.runner)
    view = open_inbox(qtbot, window)
    stored = feeds.list_feeds()
    assert len(stored) == 4
    assert view.tree.unread_count(ALL_NODE) == sum(f.unread for f in stored) > 0
    for feed in stored:
        assert view.tree.unread_count(InboxNode("feed", feed.id)) == feed.unread
    assert (view.tree.unread_count(SIGNALS_NODE) or 0) > 0
    pick(qtbot, view, SIGNALS_NODE)
    assert view.model.entries and all(e.is_signal for e in view.model.entries)


def test_the_company_s_own_feeds_stay_out_of_the_inbox(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    feeds.add_rule("RFP")
    prospect_feed = store_feed(feeds, "https://jane.example/feed", [("a", "Jane's", "<p>j</p>")])
    company = store_feed(
        feeds,
        "https://we.example/feed",
        [("b", "Our RFP template", "<p>c</p>"), ("c", "Our news", "<p>n</p>")],
        title="Our blog",
    )
    feeds.set_purpose(company.id, "company")
    window = open_window()
    view = open_inbox(qtbot, window)
    assert titles(view) == ["Jane's"]
    assert view.tree.item_for(InboxNode("feed", company.id)) is None
    assert view.tree.unread_count(ALL_NODE) == 1
    assert view.tree.unread_count(SIGNALS_NODE) == 0
    assert view.tree.item_for(InboxNode("feed", prospect_feed.id)) is not None


def test_empty_inbox_says_how_to_start(qtbot: QtBot, window: MainWindow) -> None:
    view = open_inbox(qtbot, window)
    assert view.empty_text() == NO_FEEDS
    assert view.empty_add_button.isVisible()


# -- reading ---------------------------------------------------------------------------------


def test_selecting_a_post_shows_it_and_marks_it_read(
    qtbot: QtBot, db: Database, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    jane = add_prospect(db, "Jane Doe")
    blog = store_feed(
        feeds,
        "https://jane.example/feed",
        [("a", "Hiring a data team", "<p>We are <b>hiring</b>.</p>"), ("b", "Older", "<p>o</p>")],
        prospect_id=jane,
    )
    window = open_window()
    view = open_inbox(qtbot, window)
    pick(qtbot, view, InboxNode("prospect", jane))
    row = view.model.row_of(entry_id(view, "Hiring a data team"))
    assert row is not None
    assert view.model.index(row, 1).data(Qt.ItemDataRole.FontRole).bold()

    view.select_entry(entry_id(view, "Hiring a data team"))
    text = view.reader.browser.toPlainText()
    assert "Hiring a data team" in text and "We are hiring." in text
    assert "https://blog.example/a" in text  # the link, shown and clickable
    for node in (ALL_NODE, InboxNode("prospect", jane), InboxNode("feed", blog.id)):
        assert view.tree.unread_count(node) == 1
    assert view.model.index(row, 1).data(Qt.ItemDataRole.FontRole) is None
    wait_idle(qtbot, window.runner)
    stored = {e.title: e.read for e in feeds.list_entries(EntryQuery())}
    assert stored == {"Hiring a data team": True, "Older": False}


def test_scripts_and_event_handlers_never_reach_the_reader(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    hostile = (
        '<p>Hello</p><script>alert("x")</script>'
        '<img src="https://img.example/a.png" onerror="alert(1)">'
        '<a href="javascript:alert(2)" onclick="alert(3)">click</a>'
    )
    store_feed(feeds, "https://jane.example/feed", [("a", "Hostile", hostile)])
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(entry_id(view, "Hostile"))
    html = view.reader.browser.toHtml().lower()
    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html and "javascript:" not in html
    assert "alert" not in view.reader.browser.toPlainText()


def test_remote_images_load_only_after_the_rep_allows_them(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, http_server: LocalServer
) -> None:
    http_server.routes["/pixel.png"] = Response(png(), headers={"Content-Type": "image/png"})
    image_url = http_server.url("/pixel.png")
    feed = store_feed(
        feeds,
        "https://jane.example/feed",
        [("a", "With a picture", f'<p>Look:</p><img src="{image_url}" alt="chart">')],
    )
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(entry_id(view, "With a picture"))
    browser = view.reader.browser
    browser.grab()  # lays the post out: the image is asked for now
    wait_idle(qtbot, window.runner)
    assert image_url in browser.asked
    assert view.reader.images_bar.isVisible()
    assert view.reader.images_label.text() == IMAGES_BLOCKED
    assert [s.path for s in http_server.seen] == []

    qtbot.mouseClick(view.reader.load_images_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert [s.path for s in http_server.seen] == ["/pixel.png"]
    assert feeds.get_feed(feed.id).allow_remote_images
    assert not view.reader.images_bar.isVisible()
    loaded = browser.loadResource(2, QUrl(image_url))  # 2: QTextDocument.ImageResource
    assert isinstance(loaded, QImage) and loaded.width() == 4


def test_local_files_are_never_read_by_the_reader(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    store_feed(feeds, "https://jane.example/feed", [("a", "Post", "<p>x</p>")])
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(entry_id(view, "Post"))
    assert view.reader.browser.loadResource(2, QUrl("file:///etc/hostname")) is None


def test_open_in_browser_and_links_go_to_the_desktop(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, opened_urls: list[str]
) -> None:
    store_feed(
        feeds,
        "https://jane.example/feed",
        [("a", "Post", '<p><a href="/about">About</a> <a href="https://x.example/">X</a></p>')],
    )
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(entry_id(view, "Post"))
    qtbot.mouseClick(view.reader.open_button, Qt.MouseButton.LeftButton)
    browser = view.reader.browser
    browser.anchorClicked.emit(QUrl("https://x.example/"))
    browser.anchorClicked.emit(QUrl("/about"))
    assert opened_urls == [
        "https://blog.example/a",
        "https://x.example/",
        "https://blog.example/about",
    ]
    assert view.reader.showing_post  # the pane itself never navigated


def test_keys_move_between_posts_and_toggle_read(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    items = [("c", "Third", "<p>3</p>"), ("b", "Second", "<p>2</p>"), ("a", "First", "<p>1</p>")]
    feed = store_feed(feeds, "https://jane.example/feed", items)
    window = open_window()
    view = open_inbox(qtbot, window)
    entries = view.entry_list

    def current() -> str:
        entry = view.current_entry()
        return entry.title if entry is not None else ""

    press(qtbot, window, view.tree, Qt.Key.Key_J)  # works from the tree too
    assert current() == "Third"
    press(qtbot, window, view.tree, Qt.Key.Key_J)
    assert current() == "Second"
    press(qtbot, window, entries, Qt.Key.Key_K)
    assert current() == "Third"
    press(qtbot, window, entries, Qt.Key.Key_Down)
    assert current() == "Second"
    press(qtbot, window, entries, Qt.Key.Key_J)
    assert current() == "First"
    press(qtbot, window, entries, Qt.Key.Key_Up)
    assert current() == "Second"
    press(qtbot, window, entries, Qt.Key.Key_Space)  # a short post: nothing to page through
    assert current() == "First"
    assert view.tree.unread_count(InboxNode("feed", feed.id)) == 0  # all three were read

    press(qtbot, window, entries, Qt.Key.Key_M)
    assert view.current_entry() is not None and not view.current_entry().read  # type: ignore[union-attr]
    assert view.tree.unread_count(InboxNode("feed", feed.id)) == 1
    assert "J/K" in entries.toolTip() and "M:" in entries.toolTip()


def test_enter_opens_the_post_in_the_browser(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, opened_urls: list[str]
) -> None:
    store_feed(feeds, "https://jane.example/feed", [("a", "Post", "<p>x</p>")])
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(entry_id(view, "Post"))
    press(qtbot, window, view.entry_list, Qt.Key.Key_Return)
    assert opened_urls == ["https://blog.example/a"]


def test_delete_removes_the_post_for_good(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, http_server: LocalServer
) -> None:
    items = [("b", "Keep", "<p>k</p>"), ("a", "Drop", "<p>d</p>")]
    http_server.routes["/feed"] = Response(rss("Jane's blog", items))
    feed = store_feed(feeds, http_server.url("/feed"), items)
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(entry_id(view, "Drop"))
    press(qtbot, window, view.entry_list, Qt.Key.Key_Delete)
    wait_idle(qtbot, window.runner)
    assert titles(view) == ["Keep"]
    assert [e.title for e in feeds.list_entries(EntryQuery())] == ["Keep"]

    newer = [("c", "Newer", "<p>n</p>"), *items]
    http_server.routes["/feed"] = Response(rss("Jane's blog", newer))
    refresh_feeds(feeds, feed_ids=[feed.id], limits=FAST, parse_processes=0)
    assert [e.title for e in feeds.list_entries(EntryQuery())] == ["Newer", "Keep"]  # not back


def test_mark_all_read_clears_the_counts(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    store_feed(feeds, "https://jane.example/feed", [("a", "A", "<p>a</p>"), ("b", "B", "<p>b</p>")])
    window = open_window()
    view = open_inbox(qtbot, window)
    qtbot.mouseClick(view.mark_all_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert view.tree.unread_count(ALL_NODE) == 0
    assert all(e.read for e in feeds.list_entries(EntryQuery()))


def test_filters_show_unread_posts_and_signals(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    feeds.add_rule("RFP")
    store_feed(
        feeds,
        "https://jane.example/feed",
        [("b", "Our RFP is out", "<p>r</p>"), ("a", "Team news", "<p>t</p>")],
    )
    window = open_window()
    view = open_inbox(qtbot, window)
    signal_row = view.model.row_of(entry_id(view, "Our RFP is out"))
    assert signal_row is not None
    marker = view.model.index(signal_row, 0)
    assert marker.data() == "⚑"
    assert "“RFP”" in marker.data(Qt.ItemDataRole.ToolTipRole)

    view.signals_only.setChecked(True)
    wait_idle(qtbot, window.runner)
    assert titles(view) == ["Our RFP is out"]
    view.signals_only.setChecked(False)
    wait_idle(qtbot, window.runner)
    view.select_entry(entry_id(view, "Team news"))
    view.unread_only.setChecked(True)
    wait_idle(qtbot, window.runner)
    assert titles(view) == ["Our RFP is out"]


# -- refreshing ------------------------------------------------------------------------------


def test_refresh_all_brings_in_new_posts_and_keeps_the_selection(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, http_server: LocalServer
) -> None:
    old = [("a", "First post", "<p>one</p>")]
    feed = store_feed(feeds, http_server.url("/feed"), old)
    http_server.routes["/feed"] = Response(
        rss("Jane's blog", [("b", "New post", "<p>2</p>"), *old])
    )
    window = open_window()
    view = open_inbox(qtbot, window)
    pick(qtbot, view, InboxNode("feed", feed.id))
    view.select_entry(entry_id(view, "First post"))
    assert view.tree.unread_count(ALL_NODE) == 0

    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert titles(view) == ["New post", "First post"]
    assert view.tree.unread_count(ALL_NODE) == 1
    assert view.node == InboxNode("feed", feed.id)
    assert view.current_entry() is not None
    assert view.current_entry().title == "First post"  # type: ignore[union-attr]
    assert window.statusBar().currentMessage() == "1 new post"


def test_a_refresh_in_progress_leaves_the_window_responsive_and_refuses_a_second(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, http_server: LocalServer
) -> None:
    release = threading.Event()
    arrived = threading.Event()

    def slow(handler: RequestHandler) -> None:
        arrived.set()
        release.wait(10)
        handler.send(Response(rss("Slow", [("a", "Slow post", "<p>s</p>")])))

    http_server.routes["/slow"] = slow
    store_feed(feeds, http_server.url("/slow"), [("z", "Old post", "<p>z</p>")], title="Slow")
    window = open_window()
    view = open_inbox(qtbot, window)
    try:
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(arrived.is_set)
        assert window.refresh_status.isVisible()
        assert window.actions_by_name["stop_refresh"].isEnabled()

        ticked: list[bool] = []
        QTimer.singleShot(0, lambda: ticked.append(True))
        qtbot.waitUntil(lambda: bool(ticked))  # the event loop runs
        pick(qtbot, view, SIGNALS_NODE)  # database work is not stuck behind the network
        assert view.node == SIGNALS_NODE

        press(qtbot, window, view.tree, Qt.Key.Key_F5)
        assert window.statusBar().currentMessage() == ALREADY_RUNNING
    finally:
        release.set()
    wait_idle(qtbot, window.runner)
    assert not window.refresh_status.isVisible()
    assert window.statusBar().currentMessage() == "1 new post"


def test_closing_the_window_stops_and_awaits_a_refresh(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory, http_server: LocalServer
) -> None:
    release = threading.Event()
    arrived = threading.Event()

    def slow(handler: RequestHandler) -> None:
        arrived.set()
        release.wait(10)
        handler.send(Response(b"", 304))

    http_server.routes["/slow"] = slow
    store_feed(feeds, http_server.url("/slow"), [("z", "Old post", "<p>z</p>")])
    window = open_window()
    assert window.feed_refresh.refresh_all()
    qtbot.waitUntil(arrived.is_set)
    release.set()
    window.close()
    assert window.feed_refresh.is_cancelling
    assert window.runner.is_shut_down  # and its network pool joined: the refresh is over


def test_a_failing_feed_shows_its_problem_and_retry_checks_it_again(
    qtbot: QtBot,
    db: Database,
    feeds: FeedRepository,
    open_window: WindowFactory,
    http_server: LocalServer,
) -> None:
    jane = add_prospect(db, "Jane Doe")
    http_server.routes["/feed"] = Response(b"down", 500)
    feed = feeds.add_feed(http_server.url("/feed"), title="Jane's blog", prospect_id=jane)
    refresh_feeds(feeds, limits=FAST, parse_processes=0)
    problem = feeds.get_feed(feed.id).error_message
    assert problem

    window = open_window()
    view = open_inbox(qtbot, window)
    item = view.tree.item_for(InboxNode("feed", feed.id))
    assert item is not None and not item.icon(0).isNull()
    assert problem in item.toolTip(0)
    pick(qtbot, view, InboxNode("feed", feed.id))
    assert view.banner.isVisible()
    assert view.banner.text() == problem

    http_server.routes["/feed"] = Response(rss("Jane's blog", [("a", "Back up", "<p>b</p>")]))
    qtbot.mouseClick(view.banner.retry_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert not view.banner.isVisible()
    assert titles(view) == ["Back up"]
    fixed = view.tree.item_for(InboxNode("feed", feed.id))
    assert fixed is not None and fixed.icon(0).isNull()
