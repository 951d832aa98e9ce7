"""Render the real main window on the sample workspace to PNG files for the README.

    .venv/bin/python docs/take_screenshot.py docs/          (writes screenshot-*.png)

Runs offscreen unless QT_QPA_PLATFORM says otherwise; uses a throwaway data folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SMARKETING_NOW", "2026-11-23T08:30:00+00:00")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from smarketing_desktop.app import build_main_window
from smarketing_desktop.db.store import open_database
from smarketing_desktop.demo import load_demo
from smarketing_desktop.paths import resolve_workspace
from smarketing_desktop.ui.theme import Theme, apply_theme, configure_application


def settle(window: object, milliseconds: int = 400) -> None:
    """Let background loads finish and the window repaint."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    with tempfile.TemporaryDirectory() as home:
        db = open_database(resolve_workspace(home=home))
        load_demo(db)
        window = build_main_window(db)
        window.resize(1280, 800)
        window.show()
        for theme, suffix in ((Theme.LIGHT, ""), (Theme.DARK, "-dark")):
            apply_theme(theme)
            for area in ("today", "prospects", "plan"):
                window.go_to(area)
                settle(window)
                if area == "prospects":
                    first = window.prospects_view.model.id_at(0)
                    if first is not None:
                        window.prospects_view.select_prospect(first)
                settle(window, 800)
                if (area, theme) != ("today", Theme.LIGHT):  # that one is the Xvfb screenshot
                    window.grab().save(str(target / f"screenshot-{area}{suffix}.png"))
        window.close()
        db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
