"""The form dialogs' shared behaviour, on a two-field form saved through a real task runner.

What a user relies on: a refusal appears under the field it is about, focus goes there, a
screen reader hears it, the action button comes back after a failed save, and Cancel cannot
close the dialog while a save is in flight.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.errors import UserError, ValidationError
from smarketing_desktop.ui.form_dialog import FORM, FormDialog
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle


class NameForm(FormDialog):
    """Saves whatever `store` returns or raises, so each test decides the outcome."""

    saved = Signal(object)

    def __init__(self, runner: TaskRunner, store: object, parent: QWidget | None = None) -> None:
        super().__init__(runner, title="Name form", parent=parent)
        self._store = store
        self.first = QLineEdit(self)
        self.last = QLineEdit(self)
        self.add_field("first", "&First name", self.first, name="First name", tooltip="Given")
        self.add_field("last", "&Last name", self.last, name="Last name", tooltip="Family")
        self.save_button = self.add_buttons(
            self.save, accept_name="Save name", accept_tip="Store the name"
        )
        self.lay_out("Who is this?")

    def save(self) -> None:
        store = self._store

        def work() -> object:
            if isinstance(store, Exception):
                raise store
            if isinstance(store, threading.Event):
                store.wait(5)
            return store

        self.run(work, lambda result: self.finish(self.saved, result))


def test_fields_are_labelled_named_and_in_tab_order(qtbot: QtBot, runner: TaskRunner) -> None:
    dialog = NameForm(runner, "ok")
    qtbot.addWidget(dialog)
    assert dialog.accessibleName() == "Name form"
    assert dialog.first.accessibleName() == "First name" and dialog.first.toolTip() == "Given"
    assert dialog.errors["last"].accessibleName() == "Last name problem"
    assert dialog.first.nextInFocusChain() is dialog.last
    assert dialog.save_button.accessibleName() == "Save name"


def test_a_refusal_appears_under_its_field_and_takes_focus(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    error = ValidationError("Last name is required.", {"last": "Last name is required."})
    dialog = NameForm(runner, error)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.first.setFocus()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)

    assert dialog.error_text("last") == "Last name is required."
    assert dialog.error_text("first") == ""
    assert dialog.last.accessibleDescription() == "Last name is required."
    assert QApplication.focusWidget() is dialog.last
    assert dialog.isVisible() and dialog.save_button.isEnabled() and not dialog.is_busy


def test_a_refusal_for_no_field_shows_under_the_form(qtbot: QtBot, runner: TaskRunner) -> None:
    dialog = NameForm(runner, UserError("That name is taken."))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save()
    wait_idle(qtbot, runner)
    assert dialog.form_error.text() == "That name is taken." and dialog.form_error.isVisible()
    assert runner.pending == 0


def test_a_crash_is_said_plainly_and_reported(qtbot: QtBot, runner: TaskRunner) -> None:
    dialog = NameForm(runner, RuntimeError("disk full"))
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(runner.notice) as notice:
        dialog.save()
    wait_idle(qtbot, runner)
    assert dialog.form_error.text() == "Something went wrong: disk full"
    assert notice.args == ["Something went wrong: disk full"]
    assert dialog.save_button.isEnabled() and dialog.save_button.text() == "&Save"


def test_clearing_problems_clears_what_a_screen_reader_hears(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    dialog = NameForm(runner, "ok")
    qtbot.addWidget(dialog)
    dialog.show_errors({"first": "Too long.", FORM: "Not now."})
    assert dialog.first.accessibleDescription() == "Too long."
    dialog.show_errors({})
    assert dialog.error_text("first") == "" and dialog.first.accessibleDescription() == ""
    assert dialog.form_error.isHidden()


def test_the_save_button_waits_and_cancel_cannot_close_mid_save(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    dialog = NameForm(runner, release)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save()
    assert dialog.is_busy and not dialog.save_button.isEnabled()
    assert dialog.save_button.text() == "Saving…"
    dialog.reject()
    assert dialog.isVisible()

    with qtbot.waitSignal(dialog.saved) as saved:
        release.set()
    assert saved.args == [release]
    assert not dialog.isVisible() and dialog.result() == FormDialog.DialogCode.Accepted
