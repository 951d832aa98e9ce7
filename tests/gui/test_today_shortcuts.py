"""Working through Today with the keyboard: every row focusable, single keys act on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.models import Activity, ChecklistReview, Opportunity, PlanStep
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import Theme, apply_theme
from smarketing_desktop.ui.today_sections import KEY_HELP, TodayRow, TodaySections
from smarketing_desktop.ui.today_view import TodayView
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import wait_idle

NOW = "2026-03-10T09:00:00+00:00"  # a Tuesday
TODAY = date(2026, 3, 10)

_VIEWS: list[TodayView] = []  # qtbot holds widgets weakly; the view owns the sections


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    yield
    _VIEWS.clear()


def _reviewed_recently(db: Database) -> None:
    """Keeps the profile reminders out of the way of tests about other rows."""
    with db.session() as session:
        for network in ("linkedin", "x"):
            when = datetime(2026, 3, 1, tzinfo=UTC)
            session.add(ChecklistReview(network=network, reviewed_at=when, score=80))


def _steps(db: Database, *actions: str) -> list[int]:
    pid = ProspectRepository(db).add(ProspectDraft(name="Dana Whitfield")).id
    with db.session() as session:
        deal = Opportunity(
            prospect_id=pid,
            name="Warehouse move",
            close_date=date(2026, 3, 31),
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        session.add(deal)
        session.flush()
        steps = [
            PlanStep(opportunity_id=deal.id, due_on=TODAY, channel="linkedin", action=a)
            for a in actions
        ]
        session.add_all(steps)
        session.flush()
        return [s.id for s in steps]


def _status(db: Database, step_id: int) -> tuple[str, date]:
    with db.session() as session:
        step = session.get(PlanStep, step_id)
        assert step is not None
        return step.status, step.due_on


def _sections(qtbot: QtBot, db: Database, runner: TaskRunner) -> TodaySections:
    sections = TodaySections(db, runner)
    view = TodayView(None, sections=sections)
    _VIEWS.append(view)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)
    wait_idle(qtbot, runner)
    return sections


def _focus(qtbot: QtBot, sections: TodaySections, index: int) -> TodayRow:
    row = sections.focus_row(index)
    assert row is not None
    qtbot.waitUntil(row.hasFocus)
    return row


def _press(qtbot: QtBot, runner: TaskRunner, key: Qt.Key) -> None:
    """A key on whatever has the focus, as a rep presses it; then the reload lands."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key)
    wait_idle(qtbot, runner)


def test_d_s_and_z_act_on_the_focused_step_and_the_focus_stays_in_place(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    _reviewed_recently(db)
    first, second, third = _steps(db, "Send the case study", "Comment on her post", "Call her")
    sections = _sections(qtbot, db, runner)
    assert len(sections.item_rows()) == 3

    row = _focus(qtbot, sections, 0)
    qtbot.keyClick(row, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, runner)
    assert _status(db, first) == ("planned", TODAY)  # Ctrl+D belongs to the window, not here
    _press(qtbot, runner, Qt.Key.Key_D)
    assert _status(db, first) == ("done", TODAY)
    # The next step moved up into the focused place.
    focused = sections.focused_row()
    assert focused is not None and "Comment on her post" in focused.accessibleName()

    _press(qtbot, runner, Qt.Key.Key_S)
    assert _status(db, second) == ("skipped", TODAY)

    _press(qtbot, runner, Qt.Key.Key_Z)
    status, due = _status(db, third)
    assert status == "planned" and due > TODAY
    assert sections.due.is_empty()


def test_enter_does_the_main_action_and_up_down_move_between_rows(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    _reviewed_recently(db)
    (step,) = _steps(db, "Send the case study")
    pid = ProspectRepository(db).find()[0].id
    QueueRepository(db).add_followup(prospect_id=pid, due=TODAY, note="Ask about the pilot")
    sections = _sections(qtbot, db, runner)
    rows = sections.item_rows()
    assert len(rows) == 2

    _focus(qtbot, sections, 0)
    _press(qtbot, runner, Qt.Key.Key_Down)
    assert sections.focused_row() is rows[1]
    _press(qtbot, runner, Qt.Key.Key_Down)  # already the last row: stays
    assert sections.focused_row() is rows[1]
    _press(qtbot, runner, Qt.Key.Key_Up)
    assert sections.focused_row() is rows[0]

    _press(qtbot, runner, Qt.Key.Key_Down)
    _press(qtbot, runner, Qt.Key.Key_Return)  # the follow-up's main action: done
    assert QueueRepository(db).due_followups(TODAY) == []
    assert _status(db, step) == ("planned", TODAY)  # the other row was left alone

    focused = sections.focused_row()
    assert focused is not None and "Send the case study" in focused.accessibleName()
    _press(qtbot, runner, Qt.Key.Key_Enter)
    assert _status(db, step) == ("done", TODAY)


def test_enter_on_a_rows_own_button_presses_that_button(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    _reviewed_recently(db)
    (step,) = _steps(db, "Send the case study")
    sections = _sections(qtbot, db, runner)
    row = _focus(qtbot, sections, 0)
    skip = next(b for b in row.findChildren(QPushButton) if b.text() == "Skip")
    skip.setFocus()
    qtbot.waitUntil(skip.hasFocus)
    _press(qtbot, runner, Qt.Key.Key_Return)
    assert _status(db, step) == ("skipped", TODAY)


def test_t_logs_a_touch_with_a_cold_prospect(
    qtbot: QtBot,
    db: Database,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _reviewed_recently(db)
    monkeypatch.setenv("SMARKETING_NOW", "2026-01-01T09:00:00+00:00")
    ProspectRepository(db).add(ProspectDraft(name="Old Friend"))
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    sections = _sections(qtbot, db, runner)
    assert [r.objectName() for r in sections.item_rows()] == ["cold-red"]
    assert "touch every 14 days, at most 30" in sections.item_rows()[0].accessibleName()

    _focus(qtbot, sections, 0)
    _press(qtbot, runner, Qt.Key.Key_T)
    dialog = sections.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.note.setText("Coffee at the fair")
    dialog.accept()
    wait_idle(qtbot, runner)

    with db.session() as session:
        notes = session.scalars(select(Activity.note)).all()
    assert notes == ["Coffee at the fair"]
    assert sections.cold.is_empty()


def test_o_opens_a_ready_share_and_d_marks_it_posted(
    qtbot: QtBot, db: Database, runner: TaskRunner, opened_urls: list[str]
) -> None:
    _reviewed_recently(db)
    queue = QueueRepository(db)
    item = queue.add_share(
        channel="linkedin",
        text="Worth a read",
        url="https://c.example/playbook",
        at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
    )
    sections = _sections(qtbot, db, runner)
    assert len(sections.ready.rows) == 1

    _focus(qtbot, sections, 0)
    _press(qtbot, runner, Qt.Key.Key_O)
    assert len(opened_urls) == 1 and "linkedin.com" in opened_urls[0]
    assert QApplication.clipboard().text() == "Worth a read"
    assert queue.get(item.id).status != "done"

    _press(qtbot, runner, Qt.Key.Key_D)
    assert queue.get(item.id).status == "done"


def test_buttons_tell_their_keys_and_the_page_tells_them_all(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    _reviewed_recently(db)
    _steps(db, "Send the case study")
    sections = _sections(qtbot, db, runner)
    (row,) = sections.item_rows()
    tips = {b.text(): b.toolTip() for b in row.findChildren(QPushButton)}
    assert tips["Done"].endswith("(D or Enter)")
    assert tips["Skip"].endswith("(S)")
    assert tips["Snooze 1 day"].endswith("(Z)")
    assert row.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert "Send the case study" in row.accessibleName()
    assert "D or Enter: Done" in row.accessibleDescription()
    view = _VIEWS[-1]
    assert view.page.keys_help.text() == KEY_HELP and view.page.keys_help.isVisible()
    assert "D done" in KEY_HELP and "Up/Down" in KEY_HELP


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_the_focused_row_has_a_frame_in_the_themes_highlight(
    qtbot: QtBot, db: Database, runner: TaskRunner, theme: Theme
) -> None:
    _reviewed_recently(db)
    _steps(db, "Send the case study", "Call her")
    apply_theme(theme)
    sections = _sections(qtbot, db, runner)
    first, second = sections.item_rows()
    _focus(qtbot, sections, 0)

    def edge(row: TodayRow) -> QColor:
        image = row.grab().toImage()
        return image.pixelColor(0, image.height() // 2)

    highlight = first.palette().color(QPalette.ColorRole.Highlight)
    assert edge(first) == highlight
    assert edge(second) != highlight
    # Against the page's own background the frame stands out in either theme.
    window = first.palette().color(QPalette.ColorRole.Window)
    assert abs(highlight.lightness() - window.lightness()) > 40 or (
        highlight.hue() != window.hue() and highlight.saturation() > 100
    )


def test_the_profile_reminder_row_leads_to_that_networks_checklist(
    qtbot: QtBot, db: Database, open_window: WindowFactory
) -> None:
    with db.session() as session:
        recent = datetime(2026, 3, 2, 9, tzinfo=UTC)
        session.add(ChecklistReview(network="linkedin", reviewed_at=recent, score=70))
        when = datetime(2026, 2, 4, 9, tzinfo=UTC)  # 34 days before NOW
        session.add(ChecklistReview(network="x", reviewed_at=when, score=55))
    ProspectRepository(db).add(ProspectDraft(name="Dana Whitfield"))  # not the welcome page
    window = open_window()
    window.go_to("today")
    sections = window.today_view.sections
    assert isinstance(sections, TodaySections)
    (row,) = sections.profiles.rows
    assert isinstance(row, TodayRow)
    assert row.accessibleName().startswith("Review your X profile (last reviewed 34 days ago)")
    assert "last score 55/100" in row.accessibleName()
    window.activateWindow()
    qtbot.waitActive(window)
    _focus(qtbot, sections, sections.item_rows().index(row))
    with qtbot.waitSignal(sections.open_checklist) as opened:
        qtbot.keyClick(row, Qt.Key.Key_O)
    assert opened.args == ["x"]
    assert window.current_area.key == "checklist"
    checklist = window.area_pages["checklist"]
    assert checklist.tabs.currentWidget() is checklist.page("x")  # type: ignore[attr-defined]
