"""The X account panel's OAuth 1.0a form: hidden secrets, named fields, per-field errors, keys
verified with get_me off the UI thread and stored in the keyring only (the database and the log
hold none of them), and Test connection showing the handle. The X API is a fake on a local
server; the keyring is the in-memory one."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from smarketing_desktop.db.store import Database
from smarketing_desktop.logging_setup import setup_logging
from smarketing_desktop.secrets import SERVICE, SecretStore
from smarketing_desktop.social.x_auth import ACCOUNT_SECRET, load_account
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.x_account_panel import OAUTH1_FIELDS, XAccountPanel
from tests.gui.helpers import wait_idle
from tests.support.http_server import LocalServer, Response
from tests.support.memory_keyring import MemoryKeyring
from tests.support.x_cassettes import Call, FakeX, json_response, problem

KEYS = {
    "consumer_key": "consumer-key-Gp41",
    "consumer_secret": "consumer-secret-Hq52",
    "access_token": "10-access-token-Jr63",
    "access_token_secret": "access-secret-Ks74",
}
ME = {"data": {"id": "10", "name": "Jane Rep", "username": "janerep"}}


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    fake = FakeX(http_server)
    monkeypatch.setenv("SMARKETING_X_API_URL", fake.url)
    return fake


@pytest.fixture
def log_file(db: Database) -> Iterator[Path]:
    """The app's log at DEBUG (the worst case for leaks), removed again afterwards."""
    path = setup_logging(db.workspace.logs_dir, verbose=True)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_smarketing", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.WARNING)


def open_panel(qtbot: QtBot, db: Database, runner: TaskRunner) -> XAccountPanel:
    panel = XAccountPanel(db, runner, store=SecretStore())
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    wait_idle(qtbot, runner)
    qtbot.mouseClick(panel.oauth1_button, Qt.MouseButton.LeftButton)
    assert panel.oauth1_box.isVisible()
    return panel


def fill(panel: XAccountPanel, values: dict[str, str]) -> None:
    for key, value in values.items():
        panel.oauth1_fields[key].setText(value)


def test_the_fields_hide_the_keys_and_have_names_and_help(
    qtbot: QtBot, db: Database, runner: TaskRunner
) -> None:
    panel = open_panel(qtbot, db, runner)
    for key, _label, name, where in OAUTH1_FIELDS:
        field = panel.oauth1_fields[key]
        assert field.echoMode() == QLineEdit.EchoMode.Password
        assert field.accessibleName() == name
        assert field.toolTip() == where
    assert panel.save_oauth1_button.accessibleName()
    qtbot.mouseClick(panel.bearer_button, Qt.MouseButton.LeftButton)
    assert not panel.oauth1_box.isVisible() and panel.bearer_box.isVisible()


def test_missing_or_broken_keys_are_marked_field_by_field_and_nothing_is_sent(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake_x: FakeX
) -> None:
    panel = open_panel(qtbot, db, runner)
    fill(panel, {"consumer_key": KEYS["consumer_key"], "access_token": "two words"})
    qtbot.mouseClick(panel.save_oauth1_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    errors = {key: label.text() for key, label in panel.oauth1_errors.items()}
    assert errors["consumer_key"] == "" and panel.oauth1_errors["consumer_key"].isHidden()
    assert "API key secret" in errors["consumer_secret"]
    assert "without spaces" in errors["access_token"]
    assert "access token secret" in errors["access_token_secret"]
    field = panel.oauth1_fields["consumer_secret"]
    assert field.accessibleDescription() == errors["consumer_secret"]
    assert field.hasFocus()  # the first field with a problem
    assert panel.oauth1_fields["consumer_key"].text() == KEYS["consumer_key"]  # kept to fix
    assert fake_x.calls == [] and not MemoryKeyring.store


def test_keys_are_verified_off_the_ui_thread_and_land_only_in_the_keyring(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake_x: FakeX, log_file: Path
) -> None:
    threads: list[str] = []

    def me(call: Call) -> Response:
        threads.append(threading.current_thread().name)
        return json_response(ME)

    fake_x.on("GET", "/2/users/me", me)
    panel = open_panel(qtbot, db, runner)
    notices: list[str] = []
    panel.notice.connect(notices.append)
    fill(panel, KEYS)
    with qtbot.waitSignal(panel.connection_changed, timeout=10_000):
        qtbot.mouseClick(panel.save_oauth1_button, Qt.MouseButton.LeftButton)
        assert all(f.text() == "" for f in panel.oauth1_fields.values())  # cleared at once
    wait_idle(qtbot, runner)

    (call,) = fake_x.calls
    assert call.headers["authorization"].startswith("OAuth ")
    assert f'oauth_consumer_key="{KEYS["consumer_key"]}"' in call.headers["authorization"]
    assert "Connected to X as @janerep" in notices
    assert panel.status_label.text().startswith("Connected as @janerep")
    assert not panel.oauth1_box.isVisible()
    account = load_account(SecretStore())
    assert account is not None and account.oauth1 is not None
    assert account.oauth1.values() == tuple(KEYS.values())
    stored = MemoryKeyring.store[(SERVICE, ACCOUNT_SECRET)]
    assert all(value in stored for value in KEYS.values())

    # Test connection: get_me again, on a worker, and the handle is shown.
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert len(fake_x.calls) == 2
    assert "X connection works: signed in as @janerep" in notices
    assert all(name != threading.main_thread().name for name in threads)

    logging.getLogger("careless").warning("secret was %s", KEYS["consumer_secret"])
    for handler in logging.getLogger().handlers:
        handler.flush()
    db.dispose()
    logged = log_file.read_text(encoding="utf-8")
    assert "Connected X account @janerep" in logged
    files = [p for p in db.workspace.home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)
    files.append(log_file)
    for path in files:
        data = path.read_bytes()
        for name, value in KEYS.items():
            assert value.encode() not in data, f"{name} found in {path}"


def test_keys_x_refuses_are_reported_and_not_stored(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake_x: FakeX
) -> None:
    fake_x.on("GET", "/2/users/me", problem(401, "Unauthorized", "Unauthorized"))
    panel = open_panel(qtbot, db, runner)
    fill(panel, KEYS)
    qtbot.mouseClick(panel.save_oauth1_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert panel.error.text().startswith("Connecting failed: X did not accept the saved sign-in")
    assert not MemoryKeyring.store
