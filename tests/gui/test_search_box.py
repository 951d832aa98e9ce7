"""The list areas' search field searches once the rep pauses, not on every key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from smarketing_desktop.ui.search_box import SEARCH_DELAY_MS, SearchBox


def make_box(qtbot: QtBot) -> tuple[SearchBox, list[str]]:
    box = SearchBox("Search things", "Matches names (Ctrl+F)", "Name")
    qtbot.addWidget(box)
    searches: list[str] = []
    box.settled.connect(lambda: searches.append(box.query))
    return box, searches


def expire(box: SearchBox) -> None:
    """What the pause timer does when the rep stops typing, without waiting for it."""
    assert box.pause_timer.isActive()
    box.pause_timer.stop()
    box.pause_timer.timeout.emit()


def test_typing_searches_once_after_the_pause_not_per_key(qtbot: QtBot) -> None:
    box, searches = make_box(qtbot)
    assert box.pause_timer.interval() == SEARCH_DELAY_MS

    qtbot.keyClicks(box, " navy ")
    assert searches == []  # six keys, no search yet
    expire(box)
    assert searches == ["navy"]  # one search, for the whole word, spaces trimmed
    assert not box.pause_timer.isActive()


def test_searching_now_cancels_the_pending_search(qtbot: QtBot) -> None:
    box, searches = make_box(qtbot)
    qtbot.keyClicks(box, "ada")
    box.cancel_pending()  # another filter changed and searched with this text already
    assert not box.pause_timer.isActive()
    assert searches == []


def test_the_field_keeps_its_name_tooltip_and_clear_button(qtbot: QtBot) -> None:
    box, _ = make_box(qtbot)
    assert box.accessibleName() == "Search things"
    assert box.toolTip() == "Matches names (Ctrl+F)"
    assert box.placeholderText() == "Name"
    assert box.isClearButtonEnabled()


def test_take_focus_selects_the_old_text_so_typing_replaces_it(qtbot: QtBot) -> None:
    box, _ = make_box(qtbot)
    box.setText("old words")
    box.window().show()
    qtbot.waitExposed(box.window())
    box.take_focus()
    qtbot.waitUntil(box.hasFocus)
    assert box.selectedText() == "old words"
    qtbot.keyClick(box, Qt.Key.Key_N)
    assert box.text() == "n"
