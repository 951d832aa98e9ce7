"""The main window: areas, shortcuts, menus, saved layout and theme, first start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from smarketing_desktop import __version__, demo
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.demo import DemoReport
from smarketing_desktop.ui.areas import AREAS, PROSPECTS, TODAY
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.placeholder import PlaceholderPage
from smarketing_desktop.ui.prospect_dialog import ProspectDialog
from smarketing_desktop.ui.theme import Theme, is_dark
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import add_prospects, wait_idle


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, ctrl: bool = True) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def test_ctrl_number_shortcuts_switch_areas(qtbot: QtBot, window: MainWindow) -> None:
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4]
    keys += [Qt.Key.Key_5, Qt.Key.Key_6, Qt.Key.Key_7, Qt.Key.Key_8]
    for key, area in reversed(list(zip(keys, AREAS, strict=True))):
        press(qtbot, window, key)
        assert window.current_area == area
        assert window.stack.currentWidget() is window.pages[area.key]
        assert window.nav.currentItem().text() == area.title


def test_navigation_tooltips_show_the_shortcut(window: MainWindow) -> None:
    tips = [window.nav.item(row).toolTip() for row in range(window.nav.count())]
    assert tips == [f"{area.title} (Ctrl+{n})" for n, area in enumerate(AREAS, start=1)]
    assert "Ctrl+3" in window.actions_by_name["go_prospects"].toolTip()


def test_clicking_an_area_in_the_list_shows_it(qtbot: QtBot, window: MainWindow) -> None:
    item = window.nav.item(5)
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_area.title == "Queue"


def test_every_area_is_built_and_reachable(window: MainWindow) -> None:
    for area in AREAS:
        window.go_to(area.key)
        page = window.stack.currentWidget()
        assert page is window.pages[area.key]
        assert not isinstance(page, PlaceholderPage), area.key
        assert page.isVisible()


def test_today_shows_suggestions_once_the_workspace_has_data(
    repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ProspectDraft(name="Ada Lovelace"))
    window = open_window()
    window.go_to("today")
    assert not window.today_view.shows_empty_state()
    assert window.today_view.page.heading.text() == "Suggestions"
    assert window.today_suggestions.isVisible()


def fake_load_demo(db: Database) -> DemoReport:
    """Stands in for the real loader (tested on its own): the window's part is the same."""
    repo = ProspectRepository(db)
    repo.add_many([ProspectDraft(name="Sample One"), ProspectDraft(name="Sample Two")])
    return DemoReport(prospects=2, companies=0, content_items=0, feeds=0, entries=0)


def test_empty_workspace_offers_sample_data_and_loads_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "load_demo", fake_load_demo)
    assert window.workspace_empty
    assert window.current_area == TODAY
    panel = window.today_view.empty_panel
    assert panel.isVisible()
    assert panel.explore_button.text() == "Explore with sample data"
    assert panel.add_button.text() == "Add your first prospect"
    window.go_to("prospects")
    assert window.prospects_view.empty_panel.isVisible()
    assert not window.prospects_view.table.isVisible()
    assert window.actions_by_name["sample_data"].isEnabled()

    window.go_to("today")
    qtbot.mouseClick(panel.explore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)

    assert not window.workspace_empty
    assert window.statusBar().currentMessage() == (
        "Loaded the sample workspace: 2 prospects, 0 companies, 0 content items, 0 feeds."
    )
    assert not window.today_view.shows_empty_state()
    window.go_to("prospects")
    view = window.prospects_view
    assert view.table.isVisible()
    assert view.model.rowCount() == 2
    assert view.count_label.text() == "2 prospects"
    assert not window.actions_by_name["sample_data"].isEnabled()


def test_add_your_first_prospect_opens_the_form(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.today_view.empty_panel.add_button, Qt.MouseButton.LeftButton)
    dialog = window.prospects_view.dialog
    assert isinstance(dialog, ProspectDialog)
    assert dialog.isVisible()
    assert window.current_area == PROSPECTS
    dialog.reject()


def test_ctrl_n_opens_a_new_prospect_form(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_N)
    dialog = window.prospects_view.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "New prospect"
    dialog.reject()


def test_ctrl_f_goes_to_the_prospect_search(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ProspectDraft(name="Ada Lovelace"))
    window = open_window()
    window.go_to("plan")
    press(qtbot, window, Qt.Key.Key_F)
    assert window.current_area == PROSPECTS
    qtbot.waitUntil(window.prospects_view.search.hasFocus)


def test_f5_refreshes_the_current_view(
    qtbot: QtBot, repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ProspectDraft(name="Ada Lovelace"))
    window = open_window()
    window.go_to("prospects")
    assert window.prospects_view.model.rowCount() == 1
    add_prospects(repo, ProspectDraft(name="Grace Hopper"))  # e.g. by the command line
    press(qtbot, window, Qt.Key.Key_F5, ctrl=False)
    wait_idle(qtbot, window.runner)
    assert window.prospects_view.model.rowCount() == 2


def test_geometry_and_last_area_persist_in_the_workspace(
    qtbot: QtBot, open_window: WindowFactory
) -> None:
    first = open_window()
    width = max(760, first.minimumSizeHint().width())  # any size the window allows
    first.resize(width, 600)
    first.go_to("queue")
    qtbot.waitUntil(lambda: first.size().width() == width)
    first.close()

    state_file = first.workspace.window_state_file
    assert state_file.exists()
    assert QSettings(str(state_file), QSettings.Format.IniFormat).value("window/area") == "queue"

    second = open_window()
    assert (second.width(), second.height()) == (width, 600)
    assert second.current_area.key == "queue"


def test_theme_choice_applies_and_persists(qtbot: QtBot, open_window: WindowFactory) -> None:
    first = open_window()
    assert first.theme_actions[Theme.SYSTEM].isChecked()
    first.theme_actions[Theme.DARK].trigger()
    assert is_dark(QApplication.palette())
    error = first.prospects_view.new_prospect().errors["email"]
    error.show_message("Email is not valid")
    text_color = error.palette().color(QPalette.ColorRole.WindowText)
    assert text_color.lightness() > 150  # light text on the dark window
    first.prospects_view.dialog.reject()  # type: ignore[union-attr]

    first.theme_actions[Theme.LIGHT].trigger()
    assert not is_dark(QApplication.palette())
    # Palette changes reach hidden widgets through the event loop.
    qtbot.waitUntil(lambda: error.palette().color(QPalette.ColorRole.WindowText).lightness() < 100)

    first.set_theme(Theme.DARK)
    first.close()
    second = open_window()
    assert second.theme_actions[Theme.DARK].isChecked()
    assert is_dark(QApplication.palette())


def _menu(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            menu = action.menu()
            assert isinstance(menu, QMenu)
            return menu
    raise AssertionError(f"no {title} menu")


def _texts(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_menus_offer_the_file_view_and_help_commands(window: MainWindow) -> None:
    file_items = _texts(_menu(window, "File"))
    for text in (
        "Import prospects CSV…",
        "Export prospects CSV…",
        "Explore with sample data",
        "Quit",
    ):
        assert text in file_items
    view = _menu(window, "View")
    theme_menu = next(a.menu() for a in view.actions() if a.text() == "&Theme")
    assert isinstance(theme_menu, QMenu)
    assert _texts(theme_menu) == ["System", "Light", "Dark"]
    assert _texts(_menu(window, "Help")) == ["About Smarketing Desktop", "Open data folder"]


def test_about_names_the_version_and_data_folder(window: MainWindow) -> None:
    box = window.show_about()
    assert __version__ in box.text()
    assert str(window.workspace.home) in box.text()
    box.close()


def test_open_data_folder_opens_the_workspace_folder(
    window: MainWindow, opened_urls: list[str]
) -> None:
    window.actions_by_name["open_data_folder"].trigger()
    assert opened_urls == [Path(window.workspace.home).as_uri()]


def test_background_failures_appear_in_the_status_bar(qtbot: QtBot, window: MainWindow) -> None:
    def fail() -> None:
        raise RuntimeError("database is locked")

    window.runner.run_db(fail)
    wait_idle(qtbot, window.runner)
    assert window.statusBar().currentMessage() == "Something went wrong: database is locked"


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)


def test_every_control_has_an_accessible_name(
    repo: ProspectRepository, open_window: WindowFactory
) -> None:
    add_prospects(repo, ProspectDraft(name="Ada Lovelace", email="ada@example.com"))
    window = open_window()
    window.go_to("prospects")
    window.prospects_view.select_prospect(window.prospects_view.model.id_at(0) or 0)
    dialog = window.prospects_view.new_prospect()
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for root in (window, dialog)
        for w in root.findChildren(QWidget)
        if isinstance(
            w, QAbstractButton | QLineEdit | QComboBox | QAbstractItemView | QPlainTextEdit
        )
        if w.isVisibleTo(root) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        if not isinstance(w.parent(), QComboBox | QAbstractItemView)  # Qt's own internals
        if not w.accessibleName()
    ]
    dialog.reject()
    assert unnamed == []


def test_built_areas_replace_their_placeholders_and_reload_on_f5(window: MainWindow) -> None:
    from smarketing_desktop.ui.areas import CHECKLIST

    assert CHECKLIST.key in window.area_pages
    window.go_to(CHECKLIST.key)
    assert window.stack.currentWidget() is window.area_pages[CHECKLIST.key]
    assert not isinstance(window.stack.currentWidget(), PlaceholderPage)


def test_ctrl_n_in_the_plan_area_starts_a_new_opportunity(window: MainWindow) -> None:
    from smarketing_desktop.ui.areas import PLAN
    from smarketing_desktop.ui.opportunity_dialog import OpportunityDialog

    window.go_to(PLAN.key)
    dialog = window.new_in_area()
    assert isinstance(dialog, OpportunityDialog)
    dialog.close()


def test_start_at_login_toggles_the_autostart_entry(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    entry = tmp_path / "config" / "autostart" / "smarketing-desktop.desktop"
    window.autostart_action.setChecked(True)
    assert entry.is_file()
    window.autostart_action.setChecked(False)
    assert not entry.exists()
