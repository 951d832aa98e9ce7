"""The Prospects area as a rep uses it: add, fix mistakes, edit, remove, search, filter, sort."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.errors import ValidationError
from smarketing_desktop.core.prospects import Prospect, ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.prospect_dialog import ProspectDialog
from smarketing_desktop.ui.prospects_view import ProspectsView
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import add_prospects, wait_idle

ADA = ProspectDraft(
    name="Ada Lovelace",
    company="Analytical Engines",
    title="CTO",
    email="ada@engines.example",
    linkedin_url="https://www.linkedin.com/in/ada",
    x_handle="ada",
    tags=("customer", "fintech"),
    notes="Met at the engine fair.",
)
GRACE = ProspectDraft(
    name="Grace Hopper",
    company="Navy Systems",
    title="Rear Admiral",
    email="grace@navy.example",
    tags=("partner",),
)
ALAN = ProspectDraft(
    name="Alan Turing", company="Bletchley", title="Researcher", email="alan@bletchley.example"
)


def prospects_area(open_window: WindowFactory) -> tuple[MainWindow, ProspectsView]:
    window = open_window()
    window.go_to("prospects")
    return window, window.prospects_view


def column(view: ProspectsView, col: int) -> list[str]:
    model = view.model
    return [str(model.data(model.index(row, col))) for row in range(model.rowCount())]


def fill(qtbot: QtBot, dialog: ProspectDialog, **values: str) -> None:
    for key, text in values.items():
        editor = dialog.editors[key]
        if isinstance(editor, QLineEdit):
            editor.clear()
        else:
            assert isinstance(editor, QPlainTextEdit), key
            editor.setPlainText("")
        qtbot.keyClicks(editor, text)


def save(qtbot: QtBot, window: MainWindow, dialog: ProspectDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)


def test_adding_a_prospect_shows_it_in_the_table_and_the_detail_pane(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    window, view = prospects_area(open_window)
    assert view.empty_panel.isVisible()

    dialog = window.new_prospect()
    assert dialog.isVisible()
    fill(
        qtbot,
        dialog,
        name="Jane Doe",
        company="Acme",
        title="Head of Ops",
        email="jane@acme.example",
        x_handle="https://x.com/jane_doe",
        tags="customer, fintech",
        notes="Prefers mornings.",
    )
    save(qtbot, window, dialog)

    assert not dialog.isVisible()
    assert view.table.isVisible()
    assert column(view, 0) == ["Jane Doe"]
    assert column(view, 1) == ["Acme"]
    assert column(view, 4) == ["customer, fintech"]
    assert view.count_label.text() == "1 prospect"
    assert view.detail.value_text("name") == "Jane Doe"
    assert view.detail.value_text("email") == "jane@acme.example"
    assert view.detail.value_text("x_handle") == "@jane_doe"
    assert view.detail.value_text("notes") == "Prefers mornings."
    assert window.statusBar().currentMessage() == "Added Jane Doe"
    assert [p.name for p in repo.get_many(repo.list_ids()).values()] == ["Jane Doe"]


def test_a_bad_email_is_explained_under_the_field_and_nothing_is_stored(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    window, _ = prospects_area(open_window)
    dialog = window.new_prospect()
    fill(qtbot, dialog, name="Jane Doe", email="not-an-email")
    save(qtbot, window, dialog)

    assert dialog.isVisible()
    message = dialog.error_text("email")
    assert message.startswith("Email is not a valid address")
    error_label = dialog.errors["email"]
    editor = dialog.editors["email"]
    assert error_label.isVisible()
    assert error_label.parent() is editor.parent()  # in the email field's own cell
    assert error_label.geometry().top() >= editor.geometry().bottom()  # right under it
    assert editor.accessibleDescription() == message
    assert dialog.focusWidget() is editor  # focus moved to the first bad field
    assert [k for k, label in dialog.errors.items() if label.isVisible()] == ["email"]
    assert repo.count() == 0

    fill(qtbot, dialog, name="", email="jane@acme.example")
    save(qtbot, window, dialog)
    assert dialog.error_text("name") == "Name is required"
    assert dialog.error_text("email") == ""
    assert repo.count() == 0
    dialog.reject()


def test_a_validation_error_from_storage_is_shown_the_same_way(
    qtbot: QtBot,
    repo: ProspectRepository,
    open_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: ProspectRepository, draft: ProspectDraft) -> Prospect:
        raise ValidationError("Email: is taken", {"email": "is already used by Ada"})

    monkeypatch.setattr(ProspectRepository, "add", refuse)
    window, _ = prospects_area(open_window)
    dialog = window.new_prospect()
    fill(qtbot, dialog, name="Jane Doe", email="ada@engines.example")
    save(qtbot, window, dialog)

    assert dialog.isVisible()
    assert dialog.error_text("email") == "Email is already used by Ada"
    assert dialog.save_button.isEnabled()
    dialog.reject()


def test_an_email_another_prospect_has_is_refused_under_the_field(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    (ada_id,) = add_prospects(repo, ADA)
    window, _ = prospects_area(open_window)
    dialog = window.new_prospect()
    fill(qtbot, dialog, name="Ada L.", email="ADA@engines.example")
    save(qtbot, window, dialog)

    assert dialog.isVisible()
    assert dialog.error_text("email") == (
        f"Email is taken: Ada Lovelace (id {ada_id}) already has this email"
    )
    assert repo.count() == 1
    dialog.reject()


def test_editing_a_prospect_updates_table_and_detail(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    (ada_id,) = add_prospects(repo, ADA)
    window, view = prospects_area(open_window)
    assert view.select_prospect(ada_id)
    assert view.detail.value_text("title") == "CTO"

    qtbot.mouseClick(view.detail.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Edit Ada Lovelace"
    assert dialog.draft().email == "ada@engines.example"
    assert dialog.draft().tags == ("customer", "fintech")
    fill(qtbot, dialog, title="Chief Engineer", tags="customer")
    save(qtbot, window, dialog)

    assert not dialog.isVisible()
    assert column(view, 2) == ["Chief Engineer"]
    assert column(view, 4) == ["customer"]
    assert view.current_id == ada_id
    assert view.detail.value_text("title") == "Chief Engineer"
    assert repo.get(ada_id).title == "Chief Engineer"
    assert repo.get(ada_id).notes == "Met at the engine fair."  # untouched fields survive


def test_removing_asks_first_naming_the_prospect(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    ada_id, _ = add_prospects(repo, ADA, GRACE)
    window, view = prospects_area(open_window)
    view.select_prospect(ada_id)

    qtbot.mouseClick(view.detail.remove_button, Qt.MouseButton.LeftButton)
    box = view.remove_box
    assert box is not None and box.isVisible()
    assert "Ada Lovelace" in box.text()
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert repo.count() == 2

    box = view.request_remove(view.detail.prospect)  # type: ignore[arg-type]
    remove = next(b for b in box.buttons() if b.text() == "&Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)

    assert column(view, 0) == ["Grace Hopper"]
    assert repo.count() == 1
    assert view.detail.prospect is None
    assert window.statusBar().currentMessage() == "Removed Ada Lovelace"


def test_removing_says_what_else_goes_and_what_stays(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory, db: Database
) -> None:
    from datetime import date

    from smarketing_desktop.db.repositories.opportunities import (
        OpportunityDraft,
        OpportunityRepository,
    )
    from smarketing_desktop.db.repositories.queue import QueueRepository

    ada_id, _ = add_prospects(repo, ADA, GRACE)
    OpportunityRepository(db).add(OpportunityDraft(ada_id, "Engine deal", date(2099, 3, 1)))
    QueueRepository(db).add_followup(prospect_id=ada_id, due=date(2099, 1, 5), note="Call Ada")
    window, view = prospects_area(open_window)
    view.select_prospect(ada_id)
    box = view.request_remove(view.detail.prospect)  # type: ignore[arg-type]
    wait_idle(qtbot, window.runner)
    assert box.informativeText().startswith(
        "Ada Lovelace has 1 open deal and 1 follow-up. Their follow-up is removed with them; "
        "the deal stays, shown with (prospect removed)."
    )
    box.reject()


def test_search_filters_the_table_after_a_pause_in_typing(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ADA, GRACE, ALAN)
    _, view = prospects_area(open_window)
    assert view.count_label.text() == "3 prospects"

    qtbot.keyClicks(view.search, "navy")
    qtbot.waitUntil(lambda: column(view, 0) == ["Grace Hopper"])
    assert view.count_label.text() == "1 of 3 prospects"

    view.search.clear()
    view.apply_filters()  # what the pause would trigger
    qtbot.waitUntil(lambda: len(column(view, 0)) == 3)


def test_tag_filter_shows_only_prospects_with_that_tag(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ADA, GRACE, ALAN)
    window, view = prospects_area(open_window)
    combo = view.tag_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All tags",
        "customer",
        "fintech",
        "partner",
    ]
    combo.setCurrentIndex(combo.findText("partner"))
    wait_idle(qtbot, window.runner)
    assert column(view, 0) == ["Grace Hopper"]
    combo.setCurrentIndex(0)
    wait_idle(qtbot, window.runner)
    assert len(column(view, 0)) == 3


def click_header(qtbot: QtBot, view: ProspectsView, section: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_clicking_headers_sorts_by_that_column(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ADA, GRACE, ALAN)
    window, view = prospects_area(open_window)
    assert column(view, 0) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]

    click_header(qtbot, view, 1)  # Company
    wait_idle(qtbot, window.runner)
    assert column(view, 1) == ["Analytical Engines", "Bletchley", "Navy Systems"]
    assert view.model.query.sort == "company"

    click_header(qtbot, view, 1)
    wait_idle(qtbot, window.runner)
    assert column(view, 1) == ["Navy Systems", "Bletchley", "Analytical Engines"]
    assert view.model.query.descending

    click_header(qtbot, view, 4)  # Tags: not sortable, nothing changes
    wait_idle(qtbot, window.runner)
    assert view.table.horizontalHeader().sortIndicatorSection() == 1
    assert column(view, 1) == ["Navy Systems", "Bletchley", "Analytical Engines"]
    assert "cannot be sorted" in window.statusBar().currentMessage()


def test_profile_links_open_in_the_browser(
    qtbot: QtBot,
    repo: ProspectRepository,
    open_window: WindowFactory,
    opened_urls: list[str],
) -> None:
    (ada_id,) = add_prospects(repo, ADA)
    _, view = prospects_area(open_window)
    view.select_prospect(ada_id)
    detail = view.detail
    assert detail.value_text("linkedin_url") == "https://www.linkedin.com/in/ada"
    assert detail.link_for("x_handle") == "https://x.com/ada"

    label = detail._values["linkedin_url"]
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(4, label.height() // 2))
    assert opened_urls == ["https://www.linkedin.com/in/ada"]
    detail.open_link(detail.link_for("email") or "")
    assert opened_urls[-1] == "mailto:ada@engines.example"


def test_detail_pane_shows_every_field_and_the_dates(
    repo: ProspectRepository, open_window: WindowFactory
) -> None:
    (ada_id,) = add_prospects(repo, ADA)
    _, view = prospects_area(open_window)
    assert view.detail.value_text("name") == ""
    assert view.detail.isVisible()
    view.select_prospect(ada_id)
    detail = view.detail
    assert detail.value_text("company") == "Analytical Engines"
    assert detail.value_text("tags") == "customer, fintech"
    assert detail.value_text("last_touch_at") == "never"
    assert detail.value_text("created_at")[:2] == "20"
    assert detail.value_text("updated_at")[:2] == "20"
    assert detail.value_text("mastodon_handle") == ""  # empty rows are hidden
    assert detail.edit_button.isEnabled() and detail.remove_button.isEnabled()


def test_delete_key_in_the_table_asks_to_remove(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    (ada_id,) = add_prospects(repo, ADA)
    window, view = prospects_area(open_window)
    view.select_prospect(ada_id)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert view.remove_box is not None and view.remove_box.isVisible()
    assert "Ada Lovelace" in view.remove_box.text()
    view.remove_box.reject()
    wait_idle(qtbot, window.runner)
    assert repo.count() == 1


def test_tab_reaches_every_control_of_the_prospects_area(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    (ada_id,) = add_prospects(repo, ADA)
    window, view = prospects_area(open_window)
    view.select_prospect(ada_id)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)

    visited: list[QWidget | None] = []
    for _ in range(25):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    detail = view.detail
    expected = [
        view.search,
        view.tag_filter,
        view.new_button,
        view.import_button,
        view.table,
        detail._values["email"],  # profile links are Tab stops too
        detail._values["linkedin_url"],
        detail.edit_button,
        detail.remove_button,
        window.nav,
    ]
    assert all(w in visited for w in expected)
    assert (
        visited.index(view.search) < visited.index(view.table) < visited.index(detail.edit_button)
    )
