"""A crash tells the rep where the log is, and neither the dialog nor the log holds a secret."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from smarketing_desktop.logging_setup import register_secret, setup_logging
from smarketing_desktop.ui.crash_dialog import show_crash

TOKEN = "sk-live-crash-test-9f8e7d6c"


def test_crash_dialog_names_the_log_and_redacts_secrets(qtbot: QtBot, tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path / "logs")
    register_secret(TOKEN)
    try:
        raise RuntimeError(f"request with token {TOKEN} failed")
    except RuntimeError:
        kind, error, trace = sys.exc_info()
    assert kind is not None and error is not None
    box = show_crash(kind, error, trace, log_file)
    qtbot.addWidget(box)
    for handler in logging.getLogger().handlers:
        handler.flush()
    shown = box.text() + box.detailedText()
    assert str(log_file) in box.text()
    assert "RuntimeError" in box.text()
    assert TOKEN not in shown and "[redacted]" in shown
    logged = log_file.read_text(encoding="utf-8")
    assert "Unexpected error" in logged and TOKEN not in logged
    box.close()
