"""The `smarketing-desktop` entry point: arguments, start-up, and a failed migration."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from smarketing_desktop import __version__, app
from smarketing_desktop.db.migrate import MigrationError
from smarketing_desktop.paths import Workspace
from smarketing_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """`main` sets up file logging in the test's data folder; undo it afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_version_flag_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        app.main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_arguments_choose_the_workspace() -> None:
    args = app.parse_args(["--home", "/tmp/x", "--db-url", "sqlite://", "-style", "fusion"])
    assert (args.home, args.db_url, args.qt_args) == ("/tmp/x", "sqlite://", ["-style", "fusion"])


def test_a_failed_migration_is_shown_and_exits_with_1(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def refuse(workspace: Workspace) -> None:
        raise MigrationError("The database upgrade left 2 broken references.")

    def critical(parent: QWidget | None, title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(app, "open_database", refuse)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert app.main(["--home", str(tmp_path / "home")]) == 1
    assert len(shown) == 1
    assert "2 broken references" in shown[0]
    assert (tmp_path / "home" / "logs" / "smarketing.log").exists()


def test_main_opens_the_window_and_quits_when_it_closes(qapp: QApplication, tmp_path: Path) -> None:
    opened: list[MainWindow] = []

    def close_window() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        opened.extend(w for w in windows if w.isVisible())
        for window in opened:
            window.close()

    QTimer.singleShot(0, close_window)
    assert app.main(["--home", str(tmp_path / "home")]) == 0
    assert len(opened) == 1
    assert opened[0].runner.is_shut_down
    assert (tmp_path / "home" / "smarketing.db").exists()
    assert (tmp_path / "home" / "window.ini").exists()
