"""Start at login: opt-in, and off again without leaving anything behind."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from smarketing_desktop import autostart


def test_linux_autostart_entry_comes_and_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert not autostart.is_enabled("linux")
    autostart.set_enabled(True, "linux")
    entry = tmp_path / "autostart" / "smarketing-desktop.desktop"
    text = entry.read_text()
    assert "Exec=" in text and "smarketing_desktop.app" in text
    assert autostart.is_enabled("linux")
    autostart.set_enabled(False, "linux")
    assert not entry.exists() and not autostart.is_enabled("linux")


def test_macos_launch_agent_runs_the_app_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    autostart.set_enabled(True, "darwin")
    agent = tmp_path / "Library" / "LaunchAgents" / f"{autostart.MAC_LABEL}.plist"
    data = plistlib.loads(agent.read_bytes())
    assert data["RunAtLoad"] is True and data["ProgramArguments"] == autostart.launch_command()
    autostart.set_enabled(False, "darwin")
    assert not autostart.is_enabled("darwin")
