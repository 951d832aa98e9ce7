"""Start the window at login, the way each desktop expects it (opt-in).

Linux: an XDG autostart entry; macOS: a LaunchAgent; Windows: the per-user Run key. The command
recorded is the running program itself, so it works from a source checkout and a frozen build.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import sys
from pathlib import Path

ENTRY_NAME = "smarketing-desktop"
MAC_LABEL = "io.github.smarketing_desktop.SmarketingDesktop"
_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def launch_command() -> list[str]:
    """How to start the window: the frozen program, or this Python running the app module."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [
        sys.executable,
        "-c",
        "from smarketing_desktop.app import main; raise SystemExit(main())",
    ]


def _linux_entry() -> Path:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "autostart" / f"{ENTRY_NAME}.desktop"


def _mac_agent() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{MAC_LABEL}.plist"


def is_enabled(platform: str = sys.platform) -> bool:
    if platform.startswith("linux"):
        return _linux_entry().is_file()
    if platform == "darwin":
        return _mac_agent().is_file()
    if platform == "win32":  # pragma: no cover - Windows only
        return _windows_run_key(None)
    return False


def set_enabled(enabled: bool, platform: str = sys.platform) -> None:
    command = launch_command()
    if platform.startswith("linux"):
        entry = _linux_entry()
        if not enabled:
            entry.unlink(missing_ok=True)
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(
            "[Desktop Entry]\nType=Application\nName=Smarketing Desktop\n"
            f"Exec={shlex.join(command)}\nIcon=smarketing-desktop\nTerminal=false\n"
            "X-GNOME-Autostart-enabled=true\n",
            encoding="utf-8",
        )
    elif platform == "darwin":
        agent = _mac_agent()
        if not enabled:
            agent.unlink(missing_ok=True)
            return
        agent.parent.mkdir(parents=True, exist_ok=True)
        with agent.open("wb") as handle:
            plistlib.dump(
                {"Label": MAC_LABEL, "ProgramArguments": command, "RunAtLoad": True}, handle
            )
    elif platform == "win32":  # pragma: no cover - Windows only
        _windows_run_key(enabled)
    else:
        raise OSError(f"Starting at login is not supported on {platform}.")


def _windows_run_key(enabled: bool | None) -> bool:  # pragma: no cover - Windows only
    """Read (None) or set the per-user Run entry; True when it is there afterwards."""
    if sys.platform != "win32":
        raise OSError("The Windows Run key exists only on Windows.")
    import winreg  # noqa: PLC0415

    if enabled is not None:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            if enabled:
                value = " ".join(f'"{part}"' for part in launch_command())
                winreg.SetValueEx(key, ENTRY_NAME, 0, winreg.REG_SZ, value)
            else:
                with contextlib.suppress(OSError):  # already absent
                    winreg.DeleteValue(key, ENTRY_NAME)
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
            winreg.QueryValueEx(key, ENTRY_NAME)
    except OSError:
        return False
    return True
