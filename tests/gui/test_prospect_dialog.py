"""A prospect's own touch cadence in the dialog and the detail pane."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import Prospect, ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.prospect_detail import ProspectDetail
from smarketing_desktop.ui.prospect_dialog import ProspectDialog
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle

_KEEP: list[ProspectDialog] = []


@pytest.fixture(autouse=True)
def _keep() -> Iterator[None]:
    yield
    _KEEP.clear()


def open_dialog(
    qtbot: QtBot, repo: ProspectRepository, runner: TaskRunner, prospect: Prospect | None = None
) -> ProspectDialog:
    dialog = ProspectDialog(repo, runner, prospect=prospect)
    _KEEP.append(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, runner)
    return dialog


def spin(dialog: ProspectDialog, key: str) -> QSpinBox:
    editor = dialog.editors[key]
    assert isinstance(editor, QSpinBox)
    return editor


def type_days(qtbot: QtBot, box: QSpinBox, days: str) -> None:
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, days)


def test_new_prospect_spin_boxes_say_the_default_and_store_own_days(
    qtbot: QtBot, db: Database, repo: ProspectRepository, runner: TaskRunner
) -> None:
    SettingsRepository(db).set("touch_ideal_days", 10)
    dialog = open_dialog(qtbot, repo, runner)
    ideal, maximum = spin(dialog, "touch_ideal_days"), spin(dialog, "touch_max_days")
    assert ideal.text() == "Default (10 days)"
    assert maximum.text() == "Default (30 days)"
    assert ideal.accessibleName() == "Ideal touch interval"
    assert maximum.accessibleName() == "Maximum touch interval"
    assert "amber" in ideal.toolTip() and "red" in maximum.toolTip()

    qtbot.keyClicks(dialog.editors["name"], "Jane Doe")
    type_days(qtbot, ideal, "4")
    assert ideal.value() == 4 and ideal.text() == "4 days"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)

    assert not dialog.isVisible()
    (stored,) = repo.find()
    assert (stored.touch_ideal_days, stored.touch_max_days) == (4, None)
    assert (stored.cadence.ideal_days, stored.cadence.max_days) == (4, 30)


def test_a_maximum_below_the_ideal_is_explained_under_its_field(
    qtbot: QtBot, repo: ProspectRepository, runner: TaskRunner
) -> None:
    dialog = open_dialog(qtbot, repo, runner)
    qtbot.keyClicks(dialog.editors["name"], "Jane Doe")
    type_days(qtbot, spin(dialog, "touch_ideal_days"), "20")
    type_days(qtbot, spin(dialog, "touch_max_days"), "10")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)

    assert dialog.isVisible()
    assert dialog.error_text("touch_max_days") == (
        "Maximum touch interval must be more than the ideal interval (20 days)"
    )
    assert dialog.focusWidget() in (maximum := spin(dialog, "touch_max_days"), maximum.lineEdit())
    assert repo.count() == 0

    # Only an ideal past the default maximum: the message says to set a maximum too.
    spin(dialog, "touch_max_days").setValue(0)
    type_days(qtbot, spin(dialog, "touch_ideal_days"), "45")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert "default maximum is 30 days" in dialog.error_text("touch_max_days")
    assert repo.count() == 0
    dialog.reject()


def test_editing_shows_own_days_and_going_back_to_default_clears_them(
    qtbot: QtBot, repo: ProspectRepository, runner: TaskRunner
) -> None:
    jane = repo.add(ProspectDraft(name="Jane Doe", touch_ideal_days=7, touch_max_days=21))
    dialog = open_dialog(qtbot, repo, runner, jane)
    ideal, maximum = spin(dialog, "touch_ideal_days"), spin(dialog, "touch_max_days")
    assert (ideal.value(), maximum.value()) == (7, 21)

    ideal.setFocus()
    for _ in range(7):  # Down arrow back to the lowest value: "Default (14 days)"
        qtbot.keyClick(ideal, Qt.Key.Key_Down)
    assert ideal.text() == "Default (14 days)"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)

    again = repo.get(jane.id)
    assert (again.touch_ideal_days, again.touch_max_days) == (None, 21)


def test_a_prospect_deleted_meanwhile_is_said_in_the_dialog_and_the_status_bar(
    qtbot: QtBot, repo: ProspectRepository, runner: TaskRunner
) -> None:
    jane = repo.add(ProspectDraft(name="Jane Doe"))
    dialog = open_dialog(qtbot, repo, runner, jane)
    repo.remove(jane.id)
    notices: list[str] = []
    runner.notice.connect(notices.append)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.is_busy and dialog.save_button.text() == "Saving…"
    wait_idle(qtbot, runner)

    message = f"There is no prospect with id {jane.id}."
    assert dialog.isVisible() and not dialog.is_busy and dialog.save_button.isEnabled()
    assert dialog.error_text("name") == ""
    assert dialog.form_error.text() == message and not dialog.form_error.isHidden()
    assert notices == [message]
    dialog.reject()


def test_detail_pane_says_the_cadence_and_whether_it_is_the_default(
    qtbot: QtBot, repo: ProspectRepository
) -> None:
    detail = ProspectDetail()
    qtbot.addWidget(detail)
    own = repo.add(ProspectDraft(name="Own", touch_ideal_days=5, touch_max_days=12))
    half = repo.add(ProspectDraft(name="Half", touch_ideal_days=5))
    usual = repo.add(ProspectDraft(name="Usual"))
    detail.show_prospect(own)
    assert detail.value_text("cadence") == "Every 5 days, at most 12 (own)"
    detail.show_prospect(half)
    assert detail.value_text("cadence") == "Every 5 days, at most 30 (partly default)"
    detail.show_prospect(usual)
    assert detail.value_text("cadence") == "Every 14 days, at most 30 (default)"
