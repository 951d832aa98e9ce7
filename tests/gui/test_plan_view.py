"""The Plan area as a rep uses it: add deals, get a plan by week, work through its steps, move
the close date, and take the plan to a calendar.

The clock is pinned to Tuesday 1 September 2026 (fiscal years start in January, plans are
built for 180 days): a deal closing in February 2027 falls in FY2027Q1 (211 days left) and is
planned on time; one closing in November falls in FY2026Q4 (121 days left) and starts late.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QDate, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.planning import PENDING
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.followups import followups_json
from smarketing_desktop.db.repositories.opportunities import (
    OpportunityDraft,
    OpportunityRepository,
)
from smarketing_desktop.db.repositories.plans import PlanRepository, PlanStepInfo, StepQuery
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.opportunity_dialog import OpportunityDialog
from smarketing_desktop.ui.plan_model import (
    LEFT_COLUMN,
    NAME_COLUMN,
    NO_OPPORTUNITIES,
    QUARTER_COLUMN,
    week_of,
)
from smarketing_desktop.ui.plan_view import STEP_ROLE, PlanView, StepTree
from smarketing_desktop.ui.queue_view import QueueView
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.today_sections import TodaySections
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import wait_idle

NOW = "2026-09-01T09:00:00+00:00"  # a Tuesday
TODAY = date(2026, 9, 1)
ON_TIME_CLOSE = date(2027, 2, 15)  # FY2027Q1, ends 31 Mar 2027
LATE_CLOSE = date(2026, 11, 20)  # FY2026Q4, ends 31 Dec 2026
PLAYBOOK_STEPS = 16  # resources/playbooks/default.yaml


class FakeIcsChooser:
    """Answers the save dialog with a prepared path and records what it was asked."""

    def __init__(self) -> None:
        self.save_path: Path | None = None
        self.suggested: list[str] = []

    def save_ics(self, parent: QWidget, suggested_name: str) -> Path | None:
        self.suggested.append(suggested_name)
        return self.save_path


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)


@pytest.fixture
def prospect_id(db: Database) -> int:
    return ProspectRepository(db).add(ProspectDraft(name="Dana Whitfield", company="Northwind")).id


@dataclass
class Area:
    """The Plan area on a test workspace, with what a test needs around it."""

    qtbot: QtBot
    db: Database
    runner: TaskRunner
    view: PlanView
    chooser: FakeIcsChooser
    prospect_id: int
    notices: list[str] = field(default_factory=list)

    def wait(self) -> None:
        wait_idle(self.qtbot, self.runner)

    def reload(self) -> None:
        self.view.refresh()
        self.wait()

    def add(self, close: date, name: str = "Warehouse move", *, plan: bool) -> int:
        return add_opportunity(self.db, self.prospect_id, close, name, plan=plan)

    def steps(self, opportunity_id: int) -> list[PlanStepInfo]:
        return PlanRepository(self.db).steps(StepQuery(opportunity_id=opportunity_id))


@pytest.fixture
def area(qtbot: QtBot, db: Database, runner: TaskRunner, prospect_id: int) -> Iterator[Area]:
    chooser = FakeIcsChooser()
    view = PlanView(db, runner, ics_chooser=chooser)
    qtbot.addWidget(view)
    found = Area(qtbot, db, runner, view, chooser, prospect_id)
    view.notice.connect(found.notices.append)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    found.reload()
    yield found
    view.close()


def add_opportunity(
    db: Database, prospect_id: int, close: date, name: str = "Warehouse move", *, plan: bool
) -> int:
    opportunity = OpportunityRepository(db).add(
        OpportunityDraft(prospect_id, name, close, amount="50000")
    )
    if plan:
        PlanRepository(db).generate(opportunity.id)
    return opportunity.id


def open_dialog(area: Area) -> OpportunityDialog:
    dialog = area.view.new_opportunity()
    area.wait()  # prospects, fiscal settings and playbooks arrive
    assert dialog.isVisible()
    assert dialog.prospect.isEnabled()
    return dialog


def fill(
    area: Area,
    dialog: OpportunityDialog,
    *,
    prospect_id: int | None,
    name: str,
    amount: str,
    close: date,
) -> None:
    dialog.select_prospect(prospect_id)
    dialog.name.clear()
    area.qtbot.keyClicks(dialog.name, name)
    dialog.amount.clear()
    area.qtbot.keyClicks(dialog.amount, amount)
    dialog.close_date.setDate(QDate(close.year, close.month, close.day))


def save(area: Area, dialog: OpportunityDialog) -> None:
    area.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    area.wait()


def press(area: Area, widget: QWidget, key: Qt.Key) -> None:
    view = area.view
    view.activateWindow()
    area.qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    area.qtbot.waitUntil(widget.hasFocus)
    area.qtbot.keyClick(widget, key)


def week_items(view: PlanView) -> list[QTreeWidgetItem]:
    tree = view.step_tree
    found = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in found if item is not None]


def shown_step_ids(view: PlanView) -> dict[int, date]:
    """Step id -> the Monday of the week it is listed under."""
    shown: dict[int, date] = {}
    for header in week_items(view):
        monday = StepTree.week(header)
        assert monday is not None
        for j in range(header.childCount()):
            child = header.child(j)
            assert child is not None
            shown[child.data(0, STEP_ROLE)] = monday
    return shown


# -- the list --------------------------------------------------------------------------------


def test_an_empty_workspace_says_what_the_area_is_for(area: Area) -> None:
    assert area.view.empty_text() == NO_OPPORTUNITIES
    assert area.view.empty_new_button.isVisible()


def test_the_list_shows_each_deal_with_its_quarter_and_days_left(area: Area) -> None:
    area.add(ON_TIME_CLOSE, "Warehouse move", plan=False)
    area.add(LATE_CLOSE, "Fleet renewal", plan=False)
    area.reload()

    model = area.view.model
    rows = [
        [str(model.data(model.index(row, c))) for c in (NAME_COLUMN, QUARTER_COLUMN, LEFT_COLUMN)]
        for row in range(model.rowCount())
    ]
    assert rows == [
        ["Fleet renewal", "FY2026Q4", "121 days"],  # soonest close first
        ["Warehouse move", "FY2027Q1", "211 days"],
    ]
    spoken = model.data(model.index(0, NAME_COLUMN), Qt.ItemDataRole.AccessibleTextRole)
    assert "Dana Whitfield (Northwind)" in spoken
    assert "FY2026Q4 · 121 days left" in spoken
    assert area.view.empty_text() == ""
    assert area.view.count_label.text() == "2 open"
    # The first deal is chosen, so its plan pane is there at once.
    current = area.view.current_opportunity()
    assert current is not None and current.name == "Fleet renewal"
    assert "No plan yet" in area.view.plan_text()


def test_won_deals_leave_the_open_list_and_removing_asks_first(area: Area) -> None:
    view = area.view
    won = area.add(LATE_CLOSE, "Fleet renewal", plan=True)
    keep = area.add(ON_TIME_CLOSE, "Warehouse move", plan=False)
    area.reload()
    assert view.select_opportunity(won)
    area.wait()

    area.qtbot.mouseClick(view.won_button, Qt.MouseButton.LeftButton)
    area.wait()
    repo = OpportunityRepository(area.db)
    assert repo.get(won).status == "won"
    assert [o.id for o in view.model.opportunities()] == [keep]

    box = view.request_remove()
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.defaultButton() is box.escapeButton()  # the safe answer is the default
    box.reject()
    area.wait()
    assert len(repo.find()) == 2
    box = view.request_remove()
    assert box is not None
    remove = next(b for b in box.buttons() if b.accessibleName() == "Remove Warehouse move")
    area.qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    area.wait()
    assert [o.id for o in repo.find()] == [won]
    assert view.empty_text().startswith("No open opportunities")


# -- the form --------------------------------------------------------------------------------


def test_a_bad_amount_is_shown_next_to_the_field_and_nothing_is_stored(area: Area) -> None:
    dialog = open_dialog(area)
    fill(area, dialog, prospect_id=None, name="Warehouse move", amount="lots", close=ON_TIME_CLOSE)
    save(area, dialog)

    assert "not a number like 50000" in dialog.error_text("amount")
    assert dialog.errors["amount"].isVisible()
    assert dialog.error_text("prospect") == "Choose the prospect this deal is with."
    assert dialog.error_text("name") == ""
    assert dialog.amount.accessibleDescription() == dialog.error_text("amount")
    assert dialog.isVisible()
    assert OpportunityRepository(area.db).find() == []
    assert "FY2027Q1" in dialog.close_hint.text()


def test_a_new_deal_is_planned_and_its_steps_listed_by_week(area: Area) -> None:
    view = area.view
    dialog = open_dialog(area)
    assert dialog.plan_now.isChecked()
    fill(
        area,
        dialog,
        prospect_id=area.prospect_id,
        name="Warehouse move",
        amount="50,000",
        close=ON_TIME_CLOSE,
    )
    save(area, dialog)

    assert not dialog.isVisible()
    (stored,) = OpportunityRepository(area.db).find()
    assert (stored.name, str(stored.amount), stored.quarter.label) == (
        "Warehouse move",
        "50000.00",
        "FY2027Q1",
    )
    steps = area.steps(stored.id)
    assert len(steps) == PLAYBOOK_STEPS
    assert shown_step_ids(view) == {s.id: week_of(s.due) for s in steps}
    first_week = week_of(steps[0].due)
    assert view.week_headers()[0].startswith(f"Week of {first_week.day} {first_week:%b}")
    assert view.banner_text() == ""  # months of runway: no warning
    assert view.generate_button.text() == "Re&generate plan"
    assert len(view.timeline.markers()) == PLAYBOOK_STEPS
    assert any(n.startswith("Planned 16 steps") for n in area.notices)
    # The first step is chosen, with what to do and why.
    current = view.current_step()
    assert current is not None and current.id == steps[0].id
    assert view.step_action.text() == steps[0].action


def test_a_close_date_too_soon_for_the_plan_shows_the_late_start_banner(area: Area) -> None:
    dialog = open_dialog(area)
    fill(
        area,
        dialog,
        prospect_id=area.prospect_id,
        name="Fleet renewal",
        amount="",
        close=LATE_CLOSE,
    )
    assert "starts late" in dialog.close_hint.text()
    save(area, dialog)

    assert "starts late" in area.view.banner_text()
    assert "late_start" in area.view.banner.codes
    assert area.view.banner.isVisible()
    (stored,) = OpportunityRepository(area.db).find()
    assert area.steps(stored.id)[0].due == TODAY


def test_a_late_plan_still_warns_when_it_is_opened_again(area: Area) -> None:
    area.add(LATE_CLOSE, plan=True)
    area.reload()
    assert "starts late" in area.view.banner_text()


# -- working through the steps ---------------------------------------------------------------


def test_done_skip_and_snooze_change_the_step_and_persist(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    area.reload()
    first, second, third = area.steps(opportunity_id)[:3]
    plans = PlanRepository(area.db)
    assert view.current_step() == first

    press(area, view.step_tree, Qt.Key.Key_D)
    area.wait()
    assert plans.get_step(first.id).status == "done"
    assert any("logged as a touch with Dana Whitfield" in n for n in area.notices)
    current = view.current_step()
    assert current is not None and current.id == second.id  # on to the next step to do

    press(area, view.step_tree, Qt.Key.Key_S)
    area.wait()
    assert plans.get_step(second.id).status == "skipped"
    current = view.current_step()
    assert current is not None and current.id == third.id

    press(area, view.step_tree, Qt.Key.Key_Z)
    area.wait()
    snoozed = plans.get_step(third.id)
    assert snoozed.status == PENDING and snoozed.due > third.due
    assert area.notices[-1].startswith(f"Step {third.id} moved to")
    view.snooze_actions[7].trigger()
    area.wait()
    assert (plans.get_step(third.id).due - snoozed.due).days >= 7

    # What the list shows is what is stored.
    assert view.plan is not None
    assert {s.id: (s.status, s.due) for s in view.plan.steps} == {
        s.id: (s.status, s.due) for s in area.steps(opportunity_id)
    }
    # A done step cannot be done twice, and the rep is told why nothing happened.
    view.mark_step_done(first.id)
    assert area.notices[-1] == "This step is already done."


def test_a_step_moves_to_a_chosen_day_earlier_or_later(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    area.reload()
    step = area.steps(opportunity_id)[1]
    plans = PlanRepository(area.db)
    view.select_step(step.id)
    assert step.due > date(2026, 10, 1)  # planned a month ahead
    # Only days the repository accepts can be picked: today to the quarter end.
    assert view.move_date.minimumDate() == QDate(2026, 9, 1)
    assert view.move_date.maximumDate() == QDate(2027, 3, 31)
    assert view.move_date.date() == QDate(step.due.year, step.due.month, step.due.day)

    # Earlier, with the date edit and the Move button.
    view.move_date.setDate(QDate(2026, 9, 3))
    area.qtbot.mouseClick(view.move_button, Qt.MouseButton.LeftButton)
    area.wait()
    assert plans.get_step(step.id).due == date(2026, 9, 3)
    assert shown_step_ids(view)[step.id] == date(2026, 8, 31)
    assert area.notices[-1] == f"Step {step.id} moved to Thu 2026-09-03."

    # Later, from the keyboard: M on the list goes to the date edit, Enter moves.
    view.select_step(step.id)
    press(area, view.step_tree, Qt.Key.Key_M)
    assert view.move_date.hasFocus()
    view.move_date.setDate(QDate(2026, 11, 18))
    area.qtbot.keyClick(view.move_date, Qt.Key.Key_Return)
    area.wait()
    assert plans.get_step(step.id).due == date(2026, 11, 18)

    # A Saturday lands on the Monday after, and the notice says why.
    view.move_step(step.id, date(2026, 9, 12))
    area.wait()
    assert plans.get_step(step.id).due == date(2026, 9, 14)
    assert "not a working day" in area.notices[-1] and "Mon 2026-09-14" in area.notices[-1]

    # Past the quarter end: refused with its reason, nothing changes.
    view.move_step(step.id, date(2027, 5, 3))
    area.wait()
    assert plans.get_step(step.id).due == date(2026, 9, 14)
    assert "after the quarter ends on Wednesday 31 March 2027" in area.notices[-1]


def _drag_events(
    widget: QWidget, mime: QMimeData, pos: QPoint
) -> tuple[QDragMoveEvent, QDropEvent]:
    """Send the enter, move and drop events a mouse drag ends with; the drop event is the
    one Qt delivers when the button is released over `pos`."""
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, mime, buttons, keys)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, actions, mime, buttons, keys)
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(pos), actions, mime, buttons, keys)
    if move.isAccepted():
        QApplication.sendEvent(widget, drop)
    return move, drop


def test_dragging_a_step_onto_another_week_moves_it_earlier_or_later(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    area.reload()
    steps = area.steps(opportunity_id)
    first, late = steps[0], steps[5]
    tree = view.step_tree
    plans = PlanRepository(area.db)

    def item(step_id: int) -> QTreeWidgetItem:
        found = view._step_item(step_id)
        assert found is not None
        return found

    def drag(step_id: int, target: QTreeWidgetItem) -> tuple[QDragMoveEvent, QDropEvent]:
        # What Qt's drag of the row carries, dropped where the target is drawn.
        mime = tree.mimeData([item(step_id)])
        pos = tree.visualItemRect(target).center()
        return _drag_events(tree.viewport(), mime, pos)

    # Later: onto the header of the third week, keeping the weekday.
    weeks = week_items(view)
    target_week = StepTree.week(weeks[2])
    assert target_week is not None
    move, drop = drag(first.id, weeks[2])
    assert move.isAccepted() and drop.dropAction() == Qt.DropAction.IgnoreAction
    area.wait()
    moved = plans.get_step(first.id).due
    assert week_of(moved) == target_week and moved.weekday() == first.due.weekday()
    assert shown_step_ids(view)[first.id] == target_week
    assert plans.get_step(late.id).due == late.due  # nothing else moved

    # Earlier: a later step dropped on the first step left in the list lands on its day.
    anchor = next(s for s in area.steps(opportunity_id) if s.id not in (first.id, late.id))
    drag(late.id, item(anchor.id))
    area.wait()
    assert plans.get_step(late.id).due == anchor.due < late.due

    # Its own day, or text dragged in from elsewhere: not taken.
    move, _drop = drag(anchor.id, item(anchor.id))
    assert not move.isAccepted()
    text = QMimeData()
    text.setText(f"{first.id}")
    enter = QDragEnterEvent(
        tree.visualItemRect(week_items(view)[0]).center(),
        Qt.DropAction.MoveAction,
        text,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tree.viewport(), enter)
    assert not enter.isAccepted()
    # Done steps cannot be dragged at all.
    plans.mark_done(anchor.id)
    area.reload()
    assert not item(anchor.id).flags() & Qt.ItemFlag.ItemIsDragEnabled


def test_dragging_a_marker_along_the_timeline_moves_the_step(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    area.reload()
    step = area.steps(opportunity_id)[3]
    timeline = view.timeline
    plans = PlanRepository(area.db)
    marker = next(m for m in timeline.markers() if m.step.id == step.id)
    wanted = date(2026, 9, 9)  # a Wednesday, weeks before its planned day
    target = QPoint(round(timeline.x_of(wanted)), marker.center.toPoint().y())
    assert timeline.day_at(target.x()) == wanted

    area.qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=marker.center.toPoint())
    area.qtbot.mouseMove(timeline, target)
    assert timeline.drag_day == wanted
    area.qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=target)
    area.wait()
    assert plans.get_step(step.id).due == wanted
    assert timeline.drag_day is None
    current = view.current_step()
    assert current is not None and current.id == step.id and current.due == wanted

    # A click without a drag only chooses the step.
    marker = next(m for m in timeline.markers() if m.step.id == step.id)
    area.qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=marker.center.toPoint())
    area.wait()
    assert plans.get_step(step.id).due == wanted

    # A row dragged from the step list can be dropped on the timeline too.
    other = area.steps(opportunity_id)[-1]
    later = date(2026, 12, 2)
    mime = view.step_tree.mimeData([view._step_item(other.id)])
    pos = QPoint(round(timeline.x_of(later)), marker.center.toPoint().y())
    _drag_events(timeline, mime, pos)
    area.wait()
    assert plans.get_step(other.id).due == later


def test_clicking_a_step_on_the_timeline_chooses_it(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    area.reload()
    last = area.steps(opportunity_id)[-1]
    marker = next(m for m in view.timeline.markers() if m.step.id == last.id)
    area.qtbot.mouseClick(view.timeline, Qt.MouseButton.LeftButton, pos=marker.center.toPoint())
    current = view.current_step()
    assert current is not None and current.id == last.id
    assert "16 steps" in view.timeline.accessibleDescription()


# -- the close date moves --------------------------------------------------------------------


def test_a_new_close_date_replans_pending_steps_and_keeps_done_ones(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    before = area.steps(opportunity_id)
    done = PlanRepository(area.db).mark_done(before[0].id)
    area.reload()

    dialog = view.edit_opportunity()
    assert dialog is not None
    area.wait()
    assert not dialog.prospect.isEnabled()  # a deal stays with its buyer
    new_close = date(2027, 5, 14)  # FY2027Q2, ends 30 Jun 2027
    dialog.close_date.setDate(QDate(new_close.year, new_close.month, new_close.day))
    save(area, dialog)

    after = {s.id: s for s in area.steps(opportunity_id)}
    assert (after[done.id].due, after[done.id].status) == (done.due, "done")
    pending = [s for s in after.values() if s.status == PENDING]
    assert len(pending) == PLAYBOOK_STEPS - 1
    old_due = {s.id: s.due for s in before}
    assert all(s.due > old_due[s.id] for s in pending)
    assert max(s.due for s in pending) <= date(2027, 6, 30)
    assert any(
        "15 pending plan steps moved to fit FY2027Q2, which ends on Wed 30 Jun 2027" in n
        for n in area.notices
    )
    assert view.plan is not None
    assert {s.id: s.due for s in view.plan.steps} == {i: s.due for i, s in after.items()}
    assert "FY2027Q2" in view.plan_summary.text()


# -- the calendar ----------------------------------------------------------------------------


def test_exporting_writes_an_ics_file_with_one_event_per_step(area: Area, tmp_path: Path) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    area.add(LATE_CLOSE, "Other deal", plan=True)  # not in this export
    area.reload()
    assert view.select_opportunity(opportunity_id)
    area.wait()
    area.chooser.save_path = tmp_path / "plan.ics"

    area.qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    area.wait()

    assert area.chooser.suggested == ["plan-warehouse-move.ics"]
    calendar = Calendar.from_ical(area.chooser.save_path.read_bytes())
    events = calendar.walk("VEVENT")
    steps = area.steps(opportunity_id)
    assert len(events) == len(steps) == PLAYBOOK_STEPS
    assert sorted(e.decoded("dtstart") for e in events) == sorted(s.due for s in steps)
    assert area.notices[-1].startswith(f"Wrote 16 plan steps to {area.chooser.save_path}")


def test_cancelling_the_save_dialog_writes_nothing(area: Area, tmp_path: Path) -> None:
    area.add(ON_TIME_CLOSE, plan=True)
    area.reload()
    area.view.export_calendar()
    area.wait()
    assert area.chooser.suggested == ["plan-warehouse-move.ics"]
    assert list(tmp_path.rglob("*.ics")) == []


# -- the keyboard ----------------------------------------------------------------------------


def test_ctrl_n_opens_the_form_while_the_area_has_focus(area: Area) -> None:
    view = area.view
    press(area, view.empty_new_button, Qt.Key.Key_N)  # a plain N does nothing
    assert view.dialog is None
    area.qtbot.keyClick(view.empty_new_button, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    area.wait()
    assert view.dialog is not None and view.dialog.isVisible()
    view.dialog.reject()


def test_every_control_has_a_name_for_screen_readers(area: Area) -> None:
    view = area.view
    controls: list[QWidget] = [
        view.new_button,
        view.edit_button,
        view.won_button,
        view.lost_button,
        view.remove_button,
        view.status_filter,
        view.opportunity_list,
        view.playbook,
        view.generate_button,
        view.export_button,
        view.step_tree,
        view.done_button,
        view.skip_button,
        view.snooze_button,
        view.followup_button,
        view.move_date,
        view.move_button,
        view.open_button,
    ]
    assert view.move_action.text() == "Move step to…"
    assert view.move_action.shortcut().toString() == "M"
    assert all(c.accessibleName() for c in controls)
    assert all(c.toolTip() for c in controls)
    assert view.timeline.accessibleName() == "Plan timeline"


def test_planning_again_asks_first_and_keeps_what_was_done(area: Area) -> None:
    view = area.view
    opportunity_id = area.add(ON_TIME_CLOSE, plan=True)
    first = area.steps(opportunity_id)[0]
    PlanRepository(area.db).mark_done(first.id)
    area.reload()

    box = view.generate_plan()
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "15 steps still to do" in box.informativeText()
    again = next(b for b in box.buttons() if b.accessibleName() == "Plan again")
    area.qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    area.wait()

    after = area.steps(opportunity_id)
    assert len(after) == PLAYBOOK_STEPS
    assert [s.id for s in after if s.status == "done"] == [first.id]
    assert view.plan is not None and {s.id for s in view.plan.steps} == {s.id for s in after}


# -- following up on a step ------------------------------------------------------------------


def test_follow_up_on_a_step_lands_on_today_and_in_the_queue(
    qtbot: QtBot, db: Database, prospect_id: int, open_window: WindowFactory
) -> None:
    opportunity_id = add_opportunity(db, prospect_id, ON_TIME_CLOSE, plan=True)
    window = open_window()
    window.go_to("plan")
    view = window.pages["plan"]
    assert isinstance(view, PlanView)
    assert view.select_opportunity(opportunity_id)
    wait_idle(qtbot, window.runner)
    step = view.current_step()
    assert step is not None
    button = view.followup_button
    assert button.isEnabled() and button.accessibleName() and "(F)" in button.toolTip()

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.step_tree.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(view.step_tree.hasFocus)
    qtbot.keyClick(view.step_tree, Qt.Key.Key_F)
    wait_idle(qtbot, window.runner)
    dialog = view.followup_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.prospect.currentText() == "Dana Whitfield" and not dialog.prospect.isEnabled()
    assert dialog.note.text() == f"Follow up on: {step.action}"
    assert dialog.values()[1] == date(2026, 9, 2)  # Tuesday -> the next working day
    dialog.due.setDate(QDate(2026, 9, 1))  # the rep wants it on today's list
    with qtbot.waitSignal(view.followup_added):
        dialog.accept()
    wait_idle(qtbot, window.runner)

    [item] = QueueRepository(db).list_items(kind="followup")
    assert (item.prospect_id, item.due_on, item.text) == (
        prospect_id,
        TODAY,
        f"Follow up on: {step.action}",
    )
    assert followups_json(db, [item])[0]["plan_step_id"] == step.id
    assert PlanRepository(db).get_step(step.id).status == PENDING  # the step itself is untouched
    today = window.today_view.sections
    assert isinstance(today, TodaySections)
    assert any("Follow up: Follow up on:" in r.accessibleName() for r in today.due.rows)
    queue = window.pages["queue"]
    assert isinstance(queue, QueueView)
    assert [f.id for f in queue.data.followups] == [item.id]
