"""Fixtures for window tests: an offscreen Qt, a real workspace database, and the app's window.

`workspace` (resolve_workspace(home=tmp_path / "home")) and `db` (open_database on it, so
migrated) come from tests/conftest.py and are shared with the other test layers.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from smarketing_desktop.app import build_main_window
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import Theme, apply_theme, configure_application
from tests.gui.helpers import FakeChooser, UrlCatcher, wait_idle

GUI_DIR = Path(__file__).resolve().parent

# The offscreen platform plugin does not implement size hints and says so whenever a shown
# top-level window's minimum size changes (its layout activating). Under a real display (xcb,
# Wayland, Windows, macOS) there is no such message. Only this exact message is ignored.
OFFSCREEN_SIZE_HINTS = r"^This plugin does not support propagateSizeHints\(\)$"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_DIR in item.path.parents and os.environ["QT_QPA_PLATFORM"] == "offscreen":
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS))


@pytest.fixture(autouse=True)
def _styled_app(qapp: QApplication) -> Iterator[None]:
    configure_application(qapp)
    yield
    apply_theme(Theme.SYSTEM)  # a theme test must not leak its palette into the next test


@pytest.fixture
def opened_urls() -> Iterator[list[str]]:
    catcher = UrlCatcher()
    schemes = ("http", "https", "mailto", "file")
    for scheme in schemes:
        # The stub asks for bytes, but only a str names the slot at run time.
        QDesktopServices.setUrlHandler(scheme, catcher, "open")  # type: ignore[arg-type]
    yield catcher.urls
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture
def chooser() -> FakeChooser:
    return FakeChooser()


@pytest.fixture
def repo(db: Database) -> ProspectRepository:
    return ProspectRepository(db)


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


class WindowFactory:
    """Builds windows over the test database; tests that reopen the window need several."""

    def __init__(self, qtbot: QtBot, db: Database, chooser: FakeChooser) -> None:
        self._qtbot = qtbot
        self._db = db
        self._chooser = chooser
        self.windows: list[MainWindow] = []

    def __call__(self) -> MainWindow:
        window = build_main_window(self._db, file_chooser=self._chooser)
        self._qtbot.addWidget(window)
        self.windows.append(window)
        window.show()
        self._qtbot.waitExposed(window)
        wait_idle(self._qtbot, window.runner)
        return window

    def close_all(self) -> None:
        for window in self.windows:
            window.close()


@pytest.fixture
def open_window(qtbot: QtBot, db: Database, chooser: FakeChooser) -> Iterator[WindowFactory]:
    factory = WindowFactory(qtbot, db, chooser)
    yield factory
    factory.close_all()


@pytest.fixture
def window(open_window: WindowFactory) -> MainWindow:
    return open_window()
