"""The X checklist's "Fetch from my X account": disabled with a reason when no account is
connected; otherwise it fetches off the UI thread, fills the form and stores a review. The X API
is a fake on a local server (SMARKETING_X_API_URL); the keyring is the in-memory one."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from smarketing_desktop.db.repositories.checklists import ChecklistRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social import x_profile
from smarketing_desktop.social.x_auth import OAuth2Token, StoredAccount, save_account
from smarketing_desktop.social.x_profile import HEADER_NONE, NOT_CONNECTED, PHOTO_DEFAULT
from smarketing_desktop.ui import checklist_view
from smarketing_desktop.ui.checklist_view import ChecklistPage, ChecklistView
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle
from tests.support.http_server import LocalServer
from tests.support.x_cassettes import FakeX, json_response, problem
from tests.unit.test_x_profile import BARE_USER, FULL_USER

NOW = "2027-03-31T09:00:00+02:00"


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    fake = FakeX(http_server)
    monkeypatch.setenv("SMARKETING_X_API_URL", fake.url)
    return fake


def connect_account() -> None:
    save_account(SecretStore(), StoredAccount(oauth2=OAuth2Token("client", "tok-gui-1")))


def open_x_page(qtbot: QtBot, db: Database, runner: TaskRunner) -> tuple[ChecklistView, Any]:
    view = ChecklistView(db, runner)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    view.refresh()
    wait_idle(qtbot, runner)
    view.show_network("x")
    page = view.page("x")
    assert isinstance(page, ChecklistPage)
    return view, page


def test_without_an_account_the_button_is_disabled_and_says_why(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake_x: FakeX
) -> None:
    view, page = open_x_page(qtbot, db, runner)
    button = page.fetch_button
    assert button is not None and not button.isEnabled()
    assert button.toolTip() == NOT_CONNECTED
    assert view.page("linkedin").fetch_button is None  # X only
    page.fetch_from_account()  # a stray call does nothing
    wait_idle(qtbot, runner)
    assert fake_x.calls == []

    connect_account()
    view.hide()  # off to Settings to connect, and back: the area asks the keyring again
    view.show()
    wait_idle(qtbot, runner)
    assert button.isEnabled() and "Read your bio" in button.toolTip()


def test_fetch_fills_the_form_off_the_ui_thread_and_stores_a_review(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake_x: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect_account()
    fake_x.on("GET", "/2/users/me", json_response(BARE_USER))
    threads: list[str] = []
    real_fetch = x_profile.fetch_account_profile

    def fetch(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(checklist_view, "fetch_account_profile", fetch)
    view, page = open_x_page(qtbot, db, runner)
    notices: list[str] = []
    view.notice.connect(notices.append)
    page.form.set_text("bio", "typed before the fetch")
    assert page.fetch_button is not None and page.fetch_button.isEnabled()

    qtbot.mouseClick(page.fetch_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)

    assert threads and threads[0] != threading.main_thread().name
    assert page.form.text_of("bio") == ""  # the account's (empty) bio replaced it
    review = ChecklistRepository(db).latest("x")
    assert review is not None
    results = {r.item_id: (r.status, r.detail) for r in review.results}
    assert results["photo"] == ("fail", PHOTO_DEFAULT)
    assert results["header"] == ("fail", HEADER_NONE)
    assert results["link"][0] == "fail"
    assert any("Fetched your X profile (@newrep)" in n for n in notices)
    assert "From @newrep on X" in page.form.image_picker("photo").info.text()
    assert not page.is_dirty

    # A later Check now keeps the account's image verdicts (no file chosen instead).
    fake_x.on("GET", "/2/users/me", json_response(FULL_USER))
    qtbot.mouseClick(page.fetch_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert page.form.text_of("url") == "https://acme.example/jane"
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    latest = ChecklistRepository(db).latest("x")
    assert latest is not None
    statuses = {r.item_id: r.status for r in latest.results}
    assert statuses["photo"] == "unknown" and statuses["link"] == "pass"


def test_a_refused_fetch_says_what_to_do_and_stores_nothing(
    qtbot: QtBot, db: Database, runner: TaskRunner, fake_x: FakeX
) -> None:
    connect_account()
    fake_x.on("GET", "/2/users/me", problem(401, "Unauthorized", "Unauthorized"))
    view, page = open_x_page(qtbot, db, runner)
    notices: list[str] = []
    view.notice.connect(notices.append)
    assert page.fetch_button is not None
    qtbot.mouseClick(page.fetch_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert any(
        n.startswith("Could not fetch your X profile: X did not accept") and "Reconnect" in n
        for n in notices
    )
    assert ChecklistRepository(db).latest("x") is None
    assert page.fetch_button.isEnabled()
