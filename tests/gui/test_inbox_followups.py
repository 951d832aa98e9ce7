"""Following up on a prospect's post from the Inbox: the reader's button, F and the post's menu
open the follow-up prefilled for the post's prospect; once added it is on Today and in the
Queue, linked to the post.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.followup_dialog import FollowupDialog
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.queue_view import QueueView
from smarketing_desktop.ui.today_sections import TodaySections
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import wait_idle
from tests.gui.test_inbox import add_prospect, entry_id, feeds, open_inbox, press, store_feed

__all__ = ["feeds"]  # the fixture, shared with test_inbox.py

NOW = "2026-11-20T09:00:00+00:00"  # a Friday


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)


def _dialog(qtbot: QtBot, window: MainWindow) -> FollowupDialog:
    wait_idle(qtbot, window.runner)
    dialog = window.inbox_view.followup_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _add(qtbot: QtBot, window: MainWindow, dialog: FollowupDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(window.inbox_view.followup_added):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)


def test_follow_up_from_the_reader_lands_on_today_and_in_the_queue(
    qtbot: QtBot, db: Database, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    dana = add_prospect(db, "Dana Whitfield")
    store_feed(
        feeds, "https://dana.example/feed", [("learned", "What we learned", "<p>x</p>")],
        prospect_id=dana,
    )  # fmt: skip
    window = open_window()
    view = open_inbox(qtbot, window)
    post = entry_id(view, "What we learned")
    view.select_entry(post)
    button = view.reader.followup_button
    assert button.isEnabled() and button.accessibleName() and "(F)" in button.toolTip()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window)
    assert dialog.prospect.currentText() == "Dana Whitfield"
    assert not dialog.prospect.isEnabled()  # the post decides who it is for
    assert dialog.note.text() == (
        "Comment on Dana's post “What we learned” (https://blog.example/learned)"
    )
    assert dialog.values()[1] == date(2026, 11, 20)
    _add(qtbot, window, dialog)

    [item] = QueueRepository(db).list_items(kind="followup")
    assert (item.prospect_id, item.entry_id, item.due_on) == (dana, post, date(2026, 11, 20))
    assert window.statusBar().currentMessage().startswith("Follow-up with Dana Whitfield added")
    # Today and the Queue were told, without the rep pressing F5.
    today = window.today_view.sections
    assert isinstance(today, TodaySections)
    due_rows = [r.accessibleName() for r in today.due.rows]
    assert any("Comment on Dana's post" in name for name in due_rows)
    queue = window.pages["queue"]
    assert isinstance(queue, QueueView)
    assert [f.id for f in queue.data.followups] == [item.id]


def test_f_and_the_post_menu_follow_up_and_a_loose_post_cannot(
    qtbot: QtBot, db: Database, feeds: FeedRepository, open_window: WindowFactory
) -> None:
    dana = add_prospect(db, "Dana Whitfield")
    store_feed(
        feeds, "https://dana.example/feed", [("a", "Dana's post", "<p>x</p>")], prospect_id=dana
    )
    store_feed(feeds, "https://loose.example/feed", [("b", "Loose post", "<p>y</p>")])
    window = open_window()
    view = open_inbox(qtbot, window)

    view.select_entry(entry_id(view, "Dana's post"))
    press(qtbot, window, view.entry_list, Qt.Key.Key_F)
    dialog = _dialog(qtbot, window)
    dialog.note.setText("Congratulate her on the launch")
    _add(qtbot, window, dialog)
    [item] = QueueRepository(db).list_items(kind="followup")
    assert (item.text, item.entry_id) == (
        "Congratulate her on the launch",
        entry_id(view, "Dana's post"),
    )

    # The post's own menu offers it only where there is a prospect to follow up with.
    loose = entry_id(view, "Loose post")
    assert view.select_entry(loose)
    entry = view.current_entry()
    assert entry is not None and entry.id == loose
    actions = {a.text(): a.isEnabled() for a in view.post_menu(entry).actions() if a.text()}
    assert actions["Follow up…"] is False and actions["Delete post"] is True
    dana_post = next(e for e in view.model.entries if e.prospect_id == dana)
    follow = next(a for a in view.post_menu(dana_post).actions() if a.text() == "Follow up…")
    assert follow.isEnabled()
    assert not view.reader.followup_button.isEnabled()
    view.follow_up_current()  # F anyway: the reason, not a dialog
    wait_idle(qtbot, window.runner)
    assert "belongs to no prospect" in window.statusBar().currentMessage()
    assert len(QueueRepository(db).list_items(kind="followup")) == 1
