"""Today's routine sections: due follow-ups, going cold, and the streak line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.followups import followup_from_entry
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.today_sections import EMPTY, TodayRow, TodaySections
from smarketing_desktop.ui.today_view import TodayView
from tests.gui.helpers import wait_idle
from tests.gui.test_inbox import store_feed

NOW = "2026-03-10T09:00:00+00:00"


_VIEWS: list[TodayView] = []  # qtbot holds widgets weakly; the view owns the sections


@pytest.fixture(autouse=True)
def _views() -> Iterator[None]:
    yield
    _VIEWS.clear()


def _sections(qtbot: QtBot, db: Database, runner: TaskRunner) -> TodaySections:
    sections = TodaySections(db, runner)
    view = TodayView(None, sections=sections)
    _VIEWS.append(view)
    qtbot.addWidget(view)
    view.show()
    wait_idle(qtbot, runner)
    return sections


def _buttons(widget: QWidget, text: str) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.text() == text and not b.isHidden()]


def test_a_due_followup_shows_and_done_removes_it(
    qtbot: QtBot,
    db: Database,
    repo: ProspectRepository,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    pid = repo.add(ProspectDraft(name="Grace Hopper", email="grace@example.com")).id
    QueueRepository(db).add_followup(prospect_id=pid, due=date(2026, 3, 10), note="Ask about pilot")
    sections = _sections(qtbot, db, runner)

    assert len(sections.due.rows) == 1
    assert "Ask about pilot" in sections.due.rows[0].accessibleName()
    assert "Grace Hopper" in sections.due.rows[0].accessibleName()

    with qtbot.waitSignal(sections.changed):
        _buttons(sections.due, "Done")[0].click()
    wait_idle(qtbot, runner)

    assert sections.due.is_empty()
    assert not sections.due.empty_label.isHidden()
    assert sections.due.empty_label.text() == EMPTY["due"]
    assert QueueRepository(db).due_followups(date(2026, 3, 10)) == []


def test_going_cold_lists_a_prospect_past_the_maximum_as_red(
    qtbot: QtBot,
    db: Database,
    repo: ProspectRepository,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-01-01T09:00:00+00:00")
    repo.add(ProspectDraft(name="Old Friend", email="old@example.com"))
    monkeypatch.setenv("SMARKETING_NOW", NOW)  # 68 days later: past the 30-day maximum
    sections = _sections(qtbot, db, runner)

    red = [r for r in sections.cold.rows if r.objectName() == "cold-red"]
    assert len(red) == 1
    assert "Old Friend" in red[0].accessibleName()
    assert isinstance(red[0], QFrame)
    assert _buttons(red[0], "Log a touch…")


def test_streak_line_counts_a_logged_touch(
    qtbot: QtBot,
    db: Database,
    repo: ProspectRepository,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    pid = repo.add(ProspectDraft(name="Grace Hopper", email="grace@example.com")).id
    sections = _sections(qtbot, db, runner)
    assert sections.done_line.text() == "Done today: 0 · streak 0 days"

    ActivityRepository(db).log(pid, "call", "Quick catch-up")
    sections.refresh()
    wait_idle(qtbot, runner)

    assert sections.done_line.text() == "Done today: 1 · streak 1 day"


def test_empty_sections_collapse_to_one_line(
    qtbot: QtBot, db: Database, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    sections = _sections(qtbot, db, runner)
    for section in (sections.due, sections.ready, sections.posts, sections.cold):
        assert section.heading.isHidden()
        assert not section.empty_label.isHidden()


def test_today_view_still_takes_suggestions_positionally(qtbot: QtBot) -> None:
    suggestions = QWidget()
    view = TodayView(suggestions, None)
    qtbot.addWidget(view)
    assert view.sections is None


def test_today_shows_a_few_posts_and_points_to_the_inbox_for_the_rest(
    qtbot: QtBot, db: Database, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QLabel

    from smarketing_desktop.demo import load_demo
    from smarketing_desktop.ui.today_sections import TODAY_POSTS

    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    report = load_demo(db)
    assert report.entries > TODAY_POSTS
    sections = _sections(qtbot, db, runner)
    rows = sections.posts.rows
    assert len(rows) == TODAY_POSTS + 1
    assert isinstance(rows[-1], QLabel)
    assert f"{report.entries - TODAY_POSTS} more unread posts" in rows[-1].text()


def test_a_follow_up_from_a_post_opens_the_post_with_o(
    qtbot: QtBot,
    db: Database,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
    opened_urls: list[str],
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    pid = ProspectRepository(db).add(ProspectDraft(name="Dana Whitfield")).id
    feeds = FeedRepository(db)
    store_feed(feeds, "https://dana.example/feed", [("learned", "What we learned", "<p>x</p>")],
               prospect_id=pid)  # fmt: skip
    [post] = feeds.list_entries(EntryQuery())
    followup_from_entry(db, post.id, due=date(2026, 3, 10))
    QueueRepository(db).add_followup(prospect_id=pid, due=date(2026, 3, 10), note="By hand")
    sections = _sections(qtbot, db, runner)

    from_post = next(r for r in sections.due.rows if "Comment on Dana" in r.accessibleName())
    by_hand = next(r for r in sections.due.rows if "By hand" in r.accessibleName())
    assert _buttons(from_post, "Open post") and not _buttons(by_hand, "Open post")
    assert isinstance(from_post, TodayRow) and "O: Open post" in from_post.accessibleDescription()

    view = _VIEWS[-1]
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    from_post.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(from_post.hasFocus)
    qtbot.keyClick(from_post, Qt.Key.Key_O)
    assert opened_urls == ["https://blog.example/learned"]
    by_hand.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(by_hand.hasFocus)
    qtbot.keyClick(by_hand, Qt.Key.Key_O)  # nothing to open: nothing opens
    assert opened_urls == ["https://blog.example/learned"]
