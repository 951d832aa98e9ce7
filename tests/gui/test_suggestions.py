"""Suggestions in the window: for the prospect shown in Prospects and for everyone on Today.

Runs on the sample workspace with the clock pinned, so the ranking (and so every row) is the
same on every run.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.demo import load_demo
from smarketing_desktop.feeds.refresh import RefreshSummary
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.refresh_controller import RefreshOutcome
from smarketing_desktop.ui.share_dialog import EVENT_KINDS, ShareDialog
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.suggestions_panel import (
    EMPTY,
    LOADING,
    SuggestionRow,
    SuggestionServices,
    SuggestionsPanel,
)
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import wait_idle

NOW = "2026-11-23T09:00:00+00:00"


@pytest.fixture
def demo_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    load_demo(db)
    return db


def prospect_id(db: Database, name: str) -> int:
    return next(p.id for p in ProspectRepository(db).find() if p.name == name)


def show_prospect(qtbot: QtBot, window: MainWindow, pid: int) -> SuggestionsPanel:
    window.go_to("prospects")
    wait_idle(qtbot, window.runner)
    assert window.prospects_view.select_prospect(pid)
    panel = window.prospect_suggestions
    qtbot.waitUntil(lambda: panel.prospect_id == pid, timeout=10_000)
    wait_idle(qtbot, window.runner)
    assert not panel.is_loading and not panel.is_stale
    return panel


def first_share(panel: SuggestionsPanel) -> SuggestionRow:
    return next(r for r in panel.rows if not r.engage)


def test_the_prospect_pane_lists_their_suggestions_with_every_reason(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    dana = prospect_id(demo_db, "Dana Whitfield")
    window = open_window()
    panel = show_prospect(qtbot, window, dana)

    assert panel.isVisible()
    assert panel.rows and {r.subject.prospect.id for r in panel.rows} == {dana}
    assert panel.state_text() == ""
    engage = next(r for r in panel.rows if r.engage)
    card = panel.card_for(engage)
    assert card is not None and card.isVisible()
    assert card.headline.text().startswith("Comment on “")
    assert "Buying signal: migrating" in card.reasons.text()
    share = first_share(panel)
    card = panel.card_for(share)
    assert card is not None
    assert card.headline.text() == f"Share “{share.subject.title}”"
    assert card.prospect_label.text().startswith("For Dana Whitfield")
    # Every reason, one per line.
    assert card.reasons.text().splitlines() == [f"• {r}" for r in share.suggestion.reasons]
    assert len(share.suggestion.reasons) >= 2
    assert card.reasons.wordWrap()
    assert all(
        b.accessibleName() for b in (card.share_button, card.dismiss_button, card.open_button)
    )


def test_dismiss_removes_the_row_for_good(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    dana = prospect_id(demo_db, "Dana Whitfield")
    window = open_window()
    panel = show_prospect(qtbot, window, dana)
    row = first_share(panel)
    card = panel.card_for(row)
    assert card is not None

    qtbot.mouseClick(card.dismiss_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert panel.card_for(row) is None
    assert row.key not in [r.key for r in panel.rows]
    assert row.suggestion.content_id in ContentRepository(demo_db).excluded_content()[dana]
    assert window.statusBar().currentMessage().startswith("Dismissed: Share “")

    panel.reload()
    wait_idle(qtbot, window.runner)
    assert panel.rows
    assert row.key not in [r.key for r in panel.rows]


def test_share_opens_the_dialog_with_the_rendered_text_and_queue_removes_the_row(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory, opened_urls: list[str]
) -> None:
    dana = prospect_id(demo_db, "Dana Whitfield")
    window = open_window()
    panel = show_prospect(qtbot, window, dana)
    row = first_share(panel)
    item = row.subject.content
    assert item is not None
    card = panel.card_for(row)
    assert card is not None

    qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    assert opened_urls == [item.url]

    qtbot.mouseClick(card.share_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)  # the templates are read in the background
    dialog = panel.share_dialog
    assert isinstance(dialog, ShareDialog) and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert item.url in text
    assert item.title in text
    assert dialog.channel_key() == "x"
    if item.kind in EVENT_KINDS:
        assert dialog.template.currentText() == "Mention with a link to a registration page"
    else:
        assert dialog.template.currentText() == "Daily update with a call to action"

    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert not dialog.isVisible()
    (queued,) = QueueRepository(demo_db).list_items()
    assert (queued.channel, queued.prospect_id, queued.content_id, queued.url) == (
        "x",
        dana,
        item.id,
        item.url,
    )
    assert queued.text == text
    assert panel.card_for(row) is None
    assert window.statusBar().currentMessage().startswith("Queued for X on ")

    panel.reload()
    wait_idle(qtbot, window.runner)
    assert row.key not in [r.key for r in panel.rows]  # queued items are not suggested again


def test_answering_a_post_queues_its_link_and_marks_the_post_handled(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    dana = prospect_id(demo_db, "Dana Whitfield")
    window = open_window()
    panel = show_prospect(qtbot, window, dana)
    row = next(r for r in panel.rows if r.engage)
    post = row.subject.post
    assert post is not None and post.link

    panel.share(row)
    wait_idle(qtbot, window.runner)
    dialog = panel.share_dialog
    assert dialog is not None
    assert dialog.template_id() == "direct_message_blog"
    assert post.title in dialog.text.toPlainText()
    dialog.set_channel("linkedin")
    dialog.queue_share()
    wait_idle(qtbot, window.runner)

    (queued,) = QueueRepository(demo_db).list_items()
    assert (queued.channel, queued.url, queued.entry_id) == ("linkedin", post.link, post.id)
    assert post.id in ContentRepository(demo_db).handled_entries()
    assert window.statusBar().currentMessage().startswith("Queued for LinkedIn on ")
    panel.reload()
    wait_idle(qtbot, window.runner)
    assert row.key not in [r.key for r in panel.rows]


def test_today_lists_suggestions_for_everyone(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    window = open_window()
    window.go_to("today")
    panel = window.today_suggestions
    qtbot.waitUntil(lambda: panel.isVisible() and not panel.is_loading)
    wait_idle(qtbot, window.runner)
    assert len({r.subject.prospect.id for r in panel.rows}) > 3
    assert len(panel.cards) == len(panel.rows) <= 20
    assert panel.cards[0].isVisible()

    # Dismissed in a prospect's pane, gone from Today too.
    dana = prospect_id(demo_db, "Dana Whitfield")
    prospect_panel = show_prospect(qtbot, window, dana)
    row = first_share(prospect_panel)
    assert row.key in [r.key for r in panel.rows]
    prospect_panel.dismiss(row)
    wait_idle(qtbot, window.runner)
    window.go_to("today")
    wait_idle(qtbot, window.runner)
    assert row.key not in [r.key for r in panel.rows]


def test_an_empty_workspace_says_what_suggestions_need(
    qtbot: QtBot, db: Database, open_window: WindowFactory
) -> None:
    ProspectRepository(db).add(ProspectDraft(name="Ada Lovelace"))
    window = open_window()
    window.go_to("today")
    wait_idle(qtbot, window.runner)
    panel = window.today_suggestions
    assert panel.rows == []
    assert panel.state_text() == EMPTY
    assert panel.empty.isVisible()


def test_loading_shows_finding_suggestions_until_the_answer_arrives(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    window = open_window()
    panel = window.today_suggestions
    wait_idle(qtbot, window.runner)
    release = threading.Event()
    real = panel._services

    def slow_load(prospect: int | None, limit: int) -> list[SuggestionRow]:
        release.wait(timeout=10)
        return real.load(prospect, limit)

    panel._services = replace(real, load=slow_load)
    window.go_to("today")
    panel.reload()
    assert panel.is_loading
    assert panel.state_text() == LOADING
    assert panel.status.isVisible()
    release.set()
    wait_idle(qtbot, window.runner)
    assert not panel.is_loading
    assert panel.state_text() == ""
    assert panel.rows


def test_suggestions_reload_after_the_library_changes(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    dana = prospect_id(demo_db, "Dana Whitfield")
    window = open_window()
    panel = show_prospect(qtbot, window, dana)
    row = first_share(panel)
    item = row.subject.content
    assert item is not None

    window.go_to("content")
    wait_idle(qtbot, window.runner)
    view = window.content_view
    assert view.select_item(item.id)
    box = view.request_remove(item)
    remove = next(b for b in box.buttons() if b.text() == "&Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert panel.is_stale  # hidden: loads when shown again

    window.go_to("prospects")
    wait_idle(qtbot, window.runner)
    assert not panel.is_stale
    assert item.id not in [r.suggestion.content_id for r in panel.rows]


def test_services_are_bound_to_one_database(demo_db: Database) -> None:
    services = SuggestionServices.for_database(demo_db)
    assert [t.id for t in services.templates()][:1] == ["mention_registration"]
    rows = services.load(None, 5)
    assert len(rows) == 5


def test_suggestions_reload_after_a_feed_check_that_found_posts(
    qtbot: QtBot, demo_db: Database, open_window: WindowFactory
) -> None:
    window = open_window()
    window.go_to("today")
    panel = window.today_suggestions
    wait_idle(qtbot, window.runner)
    assert not panel.is_loading

    emit(window.feed_refresh.finished, RefreshOutcome("due", RefreshSummary(feeds=4), False))
    assert not panel.is_loading  # a quiet background check changes nothing

    found = RefreshOutcome("due", RefreshSummary(feeds=4, new_entries=2), False)
    emit(window.feed_refresh.finished, found)
    assert panel.is_loading
    assert panel.state_text() == LOADING
    wait_idle(qtbot, window.runner)
    assert not panel.is_loading and panel.rows
