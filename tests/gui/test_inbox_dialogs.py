"""The Inbox's dialogs: adding (found or not), moving and removing feeds, signal phrases, OPML."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.add_feed_dialog import PLACEHOLDER
from smarketing_desktop.ui.feed_tree import SIGNALS_NODE, InboxNode
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.signal_rules_dialog import SignalRulesDialog
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import wait_idle
from tests.gui.test_inbox import add_prospect, feeds, open_inbox, store_feed, titles
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, Response

__all__ = ["feeds"]  # the fixture, shared with test_inbox.py


class FakeOpmlChooser:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open_opml(self, parent: QWidget) -> Path | None:
        return self.path

    def save_opml(self, parent: QWidget, suggested_name: str) -> Path | None:
        return self.path


def test_add_feed_finds_the_feed_adds_its_posts_and_selects_it(
    qtbot: QtBot,
    db: Database,
    feeds: FeedRepository,
    open_window: WindowFactory,
    http_server: LocalServer,
) -> None:
    jane = add_prospect(db, "Jane Doe")
    items = [("b", "Second", "<p>2</p>"), ("a", "First", "<p>1</p>")]
    http_server.routes["/feed.xml"] = Response(rss("Jane's blog", items))
    window = open_window()
    view = open_inbox(qtbot, window)
    assert view.select_node(InboxNode("prospect", jane)) is False  # no feeds yet: not listed

    window.actions_by_name["add_feed"].trigger()
    dialog = view.add_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.address.placeholderText() == PLACEHOLDER
    wait_idle(qtbot, window.runner)  # the prospect list
    dialog.prospect.setCurrentIndex(dialog.prospect.findData(jane))
    dialog.address.setText(http_server.url("/feed.xml"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.is_busy and not dialog.add_button.isEnabled()
    wait_idle(qtbot, window.runner)

    assert not dialog.isVisible()
    (feed,) = feeds.list_feeds()
    assert (feed.prospect_id, feed.entries, feed.title) == (jane, 2, "Jane's blog")
    assert view.node == InboxNode("feed", feed.id)
    assert titles(view) == ["Second", "First"]
    assert view.tree.unread_count(InboxNode("prospect", jane)) == 2
    assert window.statusBar().currentMessage() == "Added Jane's blog with 2 posts."


def test_add_feed_preselects_the_chosen_prospect(
    qtbot: QtBot, db: Database, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    jane = add_prospect(db, "Jane Doe")
    store_feed(feeds, "https://jane.example/feed", [("a", "A", "<p>a</p>")], prospect_id=jane)
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_node(InboxNode("prospect", jane))
    dialog = view.open_add_dialog()
    wait_idle(qtbot, window.runner)
    assert dialog.prospect.prospect_id() == jane
    dialog.reject()


def test_add_feed_says_why_nothing_was_found_and_stays_open(
    qtbot: QtBot, feeds: FeedRepository, window: MainWindow, http_server: LocalServer
) -> None:
    view = open_inbox(qtbot, window)
    dialog = view.open_add_dialog()
    wait_idle(qtbot, window.runner)
    dialog.address.setText(http_server.url("/nothing-here"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)

    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "No feed found" in dialog.error.text() and "404" in dialog.error.text()
    assert dialog.add_button.isEnabled() and not dialog.is_busy
    assert feeds.list_feeds() == []

    dialog.address.clear()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "Type the address" in dialog.error.text()  # checked without the network
    dialog.reject()


def test_remove_feed_asks_first_and_says_how_many_posts_go(
    qtbot: QtBot, feeds: FeedRepository, window: MainWindow
) -> None:
    feed = store_feed(
        feeds, "https://jane.example/feed", [("a", "A", "<p>a</p>"), ("b", "B", "<p>b</p>")]
    )
    window.inbox_view.refresh()
    wait_idle(qtbot, window.runner)
    view = open_inbox(qtbot, window)
    view.select_node(InboxNode("feed", feed.id))
    window.actions_by_name["remove_feed"].trigger()
    box = view.remove_box
    assert box is not None and box.isVisible()
    assert "2 posts will be deleted" in box.informativeText()
    remove = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    remove.click()
    wait_idle(qtbot, window.runner)
    assert feeds.list_feeds() == []
    assert view.tree.item_for(InboxNode("feed", feed.id)) is None
    assert window.statusBar().currentMessage() == "Removed Jane's blog and its 2 posts."


def test_move_feed_links_it_to_a_prospect(
    qtbot: QtBot, db: Database, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    jane = add_prospect(db, "Jane Doe")
    feed = store_feed(feeds, "https://jane.example/feed", [("a", "A", "<p>a</p>")])
    window = open_window()
    view = open_inbox(qtbot, window)
    dialog = view.open_move_dialog(feed.id)
    assert dialog is not None
    wait_idle(qtbot, window.runner)
    dialog.prospect.setCurrentIndex(dialog.prospect.findData(jane))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert feeds.get_feed(feed.id).prospect_id == jane
    item = view.tree.item_for(InboxNode("prospect", jane))
    child = item.child(0) if item is not None else None
    assert child is not None and child.text(0) == "Jane's blog"
    assert view.node == InboxNode("feed", feed.id)


def test_signal_preview_lists_matching_posts_before_the_phrase_is_saved(
    qtbot: QtBot, feeds: FeedRepository, window: MainWindow
) -> None:
    store_feed(
        feeds,
        "https://jane.example/feed",
        [("b", "We issued an RFP", "<p>Bids by Friday</p>"), ("a", "Team offsite", "<p>fun</p>")],
    )
    window.inbox_view.refresh()
    view = open_inbox(qtbot, window)
    qtbot.mouseClick(view.rules_button, Qt.MouseButton.LeftButton)
    dialog = view.rules_dialog
    assert isinstance(dialog, SignalRulesDialog) and dialog.isVisible()
    wait_idle(qtbot, window.runner)
    assert dialog.empty_label.isVisible()

    dialog.phrase.setText("rfp")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert dialog.preview_titles() == ["We issued an RFP"]
    assert dialog.preview_label.text() == "1 stored post would be flagged:"
    assert feeds.list_rules() == []  # nothing saved by a preview

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert [r.phrase for r in feeds.list_rules()] == ["rfp"]
    assert dialog.rule_phrases() == ["rfp"]
    assert view.tree.unread_count(SIGNALS_NODE) == 1

    first = dialog.rules.topLevelItem(0)
    assert first is not None
    dialog.rules.setCurrentItem(first)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert feeds.list_rules() == []
    assert view.tree.unread_count(SIGNALS_NODE) == 0
    dialog.reject()


def test_an_empty_phrase_is_refused_in_place(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.inbox_view.open_rules_dialog()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "A signal phrase cannot be empty."
    dialog.reject()


def test_opml_export_then_import_into_another_workspace(
    qtbot: QtBot,
    db: Database,
    feeds: FeedRepository,
    open_window: WindowFactory,
    http_server: LocalServer,
) -> None:
    jane = add_prospect(db, "Jane Doe")
    url = http_server.url("/feed")
    items = [("a", "A", "<p>a</p>")]
    http_server.routes["/feed"] = Response(rss("Jane's blog", items))
    store_feed(feeds, url, items, prospect_id=jane)
    window = open_window()
    notices: list[str] = []
    window.inbox_view.notice.connect(notices.append)
    target = window.workspace.home / "feeds.opml"
    window.inbox_view.opml_chooser = FakeOpmlChooser(target)
    window.actions_by_name["export_opml"].trigger()
    wait_idle(qtbot, window.runner)
    assert url.encode() in target.read_bytes()
    assert notices[-1] == f"Exported 1 feed to {target}"

    feeds.remove_feed(feeds.list_feeds()[0].id)
    window.actions_by_name["import_opml"].trigger()
    wait_idle(qtbot, window.runner)  # the import, then a check of the new feed
    assert notices[-1] == "Imported 1 feed (1 linked to prospects)."
    (back,) = feeds.list_feeds()
    assert (back.url, back.prospect_id, back.entries) == (url, jane, 1)
    assert window.inbox_view.tree.unread_count(InboxNode("feed", back.id)) == 1


def test_a_file_that_is_not_opml_is_reported_plainly(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = tmp_path / "page.opml"
    page.write_text("<html><body>hi</body></html>", encoding="utf-8")
    window.inbox_view.opml_chooser = FakeOpmlChooser(page)
    window.actions_by_name["import_opml"].trigger()
    wait_idle(qtbot, window.runner)
    assert "not an OPML subscription list" in window.statusBar().currentMessage()


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in root.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        if w.isVisibleTo(root) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        if not isinstance(w.parent(), QComboBox | QAbstractItemView)  # Qt's own internals
        if not w.accessibleName()
    ]


def test_every_inbox_control_has_an_accessible_name(
    qtbot: QtBot, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    store_feed(feeds, "https://jane.example/feed", [("a", "A", '<img src="https://i.example/x">')])
    window = open_window()
    view = open_inbox(qtbot, window)
    view.select_entry(view.model.entries[0].id)
    add = view.open_add_dialog()
    rules = view.open_rules_dialog()
    wait_idle(qtbot, window.runner)
    found = {
        "inbox": unnamed_controls(view),
        "add": unnamed_controls(add),
        "rules": unnamed_controls(rules),
    }
    add.reject()
    rules.reject()
    assert found == {"inbox": [], "add": [], "rules": []}
