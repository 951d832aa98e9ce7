"""The settings area: the generated form, saving, refusing, resetting, and the X account panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.settings import SETTINGS
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SERVICE, SecretStore
from smarketing_desktop.social.x_auth import ACCOUNT_SECRET, load_account
from smarketing_desktop.ui.settings_view import SettingsView, group_for
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle
from tests.support.memory_keyring import MemoryKeyring

TOKEN = "AAAAtest-bearer-token-0123456789"


def make_view(qtbot: QtBot, db: Database, runner: TaskRunner) -> SettingsView:
    view = SettingsView(db, runner, store=SecretStore())
    qtbot.addWidget(view)
    view.show()
    wait_idle(qtbot, runner)
    return view


def type_into(qtbot: QtBot, editor: QLineEdit, text: str) -> None:
    editor.setFocus()
    editor.clear()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_form_shows_every_declared_setting_with_the_right_editor(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    view = make_view(qtbot, db, runner)
    assert set(view.fields) == set(SETTINGS)
    for key, spec in SETTINGS.items():
        editor = view.fields[key].editor
        if spec.kind == "int":
            assert isinstance(editor, QSpinBox)
            assert (editor.minimum(), editor.maximum()) == (spec.minimum, spec.maximum)
            assert editor.value() == spec.default
        elif spec.kind == "bool":
            assert isinstance(editor, QCheckBox)
        elif spec.choices:
            assert isinstance(editor, QComboBox)
        else:
            assert isinstance(editor, QLineEdit)
            assert editor.placeholderText() == spec.allowed()
        assert spec.description in editor.toolTip()
    assert view.fields["slots_linkedin"].editor.accessibleName() == "LinkedIn slots"
    assert view.fields["touch_max_days"].editor.accessibleName() == "Maximum days between touches"
    assert view.fields["refresh_on_start"].editor.accessibleName() == "Refresh on start"
    assert group_for("refresh_interval_minutes") == "Feeds"
    assert group_for("holiday_country") == "Calendar and plans"
    assert group_for("slots_x") == "Share queue"
    assert group_for("x_poll_minutes") == "X"
    assert group_for("something_new") == "Other"


def test_valid_value_is_saved_and_announced(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    view = make_view(qtbot, db, runner)
    field = view.fields["working_days"]
    assert isinstance(field.editor, QLineEdit)
    with qtbot.waitSignal(view.changed, timeout=5000) as changed:
        type_into(qtbot, field.editor, "Sun-Thu")
    wait_idle(qtbot, runner)
    assert changed.args == ["working_days"]
    stored = SettingsRepository(db).get("working_days")
    assert stored == SETTINGS["working_days"].parse("Sun-Thu")
    assert field.editor.text() == stored  # shown in the stored (normalized) form
    assert not field.error.text()


def test_spin_box_and_check_box_save(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    view = make_view(qtbot, db, runner)
    spin = view.fields["touch_ideal_days"].editor
    assert isinstance(spin, QSpinBox)
    spin.setValue(21)
    spin.editingFinished.emit()
    check = view.fields["refresh_on_start"].editor
    assert isinstance(check, QCheckBox)
    check.setChecked(False)
    wait_idle(qtbot, runner)
    repo = SettingsRepository(db)
    assert repo.get("touch_ideal_days") == 21
    assert repo.get("refresh_on_start") is False


def test_invalid_value_shows_the_message_under_the_field_and_stores_nothing(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    view = make_view(qtbot, db, runner)
    notices: list[str] = []
    view.notice.connect(notices.append)
    for key, text in (("holiday_country", "Narnia"), ("working_days", "weekdays")):
        field = view.fields[key]
        assert isinstance(field.editor, QLineEdit)
        type_into(qtbot, field.editor, text)
        wait_idle(qtbot, runner)
        assert field.error.isVisible()
        assert key in field.error.text()
        assert SettingsRepository(db).get(key) == SETTINGS[key].default
    assert "Saved" not in notices


def test_a_maximum_under_the_ideal_touch_interval_is_refused_under_the_field(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    SettingsRepository(db).set_text("touch_ideal_days", "20")
    view = make_view(qtbot, db, runner)
    field = view.fields["touch_max_days"]
    spin = field.editor
    assert isinstance(spin, QSpinBox)
    spin.setValue(5)
    spin.editingFinished.emit()
    wait_idle(qtbot, runner)
    assert field.error.isVisible()
    assert "more than touch_ideal_days, which is 20" in field.error.text()
    assert SettingsRepository(db).get("touch_max_days") == 30


def test_reset_restores_the_default(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    repo = SettingsRepository(db)
    repo.set_text("holiday_country", "DE")
    view = make_view(qtbot, db, runner)
    field = view.fields["holiday_country"]
    assert isinstance(field.editor, QLineEdit)
    assert field.editor.text() == "DE"
    with qtbot.waitSignal(view.changed, timeout=5000):
        qtbot.mouseClick(field.reset_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert repo.get("holiday_country") == ""
    assert field.editor.text() == ""


def test_x_panel_not_connected(qtbot: QtBot, db: Database, runner: TaskRunner) -> None:
    view = make_view(qtbot, db, runner)
    panel = view.x_panel
    assert panel.last_status is not None
    assert not panel.last_status.connected
    assert panel.status_label.text().startswith("Not connected")
    assert "Reads this month: 0" in panel.status_label.text()
    assert not panel.test_button.isEnabled()
    assert not panel.disconnect_button.isEnabled()


def test_bearer_token_goes_to_the_keyring_and_disconnect_forgets_it(
    qtbot: QtBot, db: Database, runner: TaskRunner, tmp_path: Path
) -> None:
    view = make_view(qtbot, db, runner)
    panel = view.x_panel
    qtbot.mouseClick(panel.bearer_button, Qt.MouseButton.LeftButton)
    assert panel.bearer_token.echoMode() == QLineEdit.EchoMode.Password
    panel.bearer_token.setText(TOKEN)
    qtbot.mouseClick(panel.save_bearer_button, Qt.MouseButton.LeftButton)
    assert panel.bearer_token.text() == ""  # cleared from the widget at once
    wait_idle(qtbot, runner)

    assert TOKEN in MemoryKeyring.store[(SERVICE, ACCOUNT_SECRET)]
    account = load_account(SecretStore())
    assert account is not None
    assert account.bearer_token == TOKEN
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert panel.disconnect_button.isEnabled()

    qtbot.mouseClick(panel.disconnect_button, Qt.MouseButton.LeftButton)
    box = panel.findChild(QMessageBox)
    assert box is not None
    confirm = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    confirm.click()
    wait_idle(qtbot, runner)
    assert (SERVICE, ACCOUNT_SECRET) not in MemoryKeyring.store
    assert load_account(SecretStore()) is None
    assert not panel.disconnect_button.isEnabled()


def test_no_keyring_offers_session_only(
    qtbot: QtBot, db: Database, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SecretStore, "backend_available", staticmethod(lambda: False))
    store = SecretStore()
    view = SettingsView(db, runner, store=store)
    qtbot.addWidget(view)
    view.show()
    wait_idle(qtbot, runner)
    panel = view.x_panel
    panel.bearer_token.setText(TOKEN)
    panel.save_bearer()
    wait_idle(qtbot, runner)
    assert "No secure password store" in panel.error.text()
    assert panel.keyring_button.isVisible()
    assert store.get(ACCOUNT_SECRET) is None

    qtbot.mouseClick(panel.keyring_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    raw = store.get(ACCOUNT_SECRET)
    assert raw is not None and TOKEN in raw
    assert not MemoryKeyring.store
    assert not panel.keyring_button.isVisible()


def test_connect_opens_the_authorization_page(
    qtbot: QtBot, db: Database, runner: TaskRunner, opened_urls: list[str]
) -> None:
    view = make_view(qtbot, db, runner)
    panel = view.x_panel
    qtbot.mouseClick(panel.connect_button, Qt.MouseButton.LeftButton)
    panel.client_id.setText("client-123")
    panel.client_secret.setText("shh-secret")
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert panel.client_secret.text() == ""
    assert len(opened_urls) == 1
    assert "client-123" in opened_urls[0]
    assert panel.paste_box.isVisible()
    assert panel.pasted.echoMode() == QLineEdit.EchoMode.Password
