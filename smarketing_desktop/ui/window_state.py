"""Window layout and view preferences, kept inside the workspace folder.

Using the workspace's own file instead of the platform's settings store keeps a `--home` folder
self-contained (a demo folder opens the way it was left) and keeps tests away from the user's
real settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from smarketing_desktop.ui.theme import Theme


class WindowState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> Path:
        return Path(self._settings.fileName())

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    def dock_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_dock_state(self, value: QByteArray) -> None:
        self._settings.setValue("window/state", value)

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter(self, name: str, value: QByteArray) -> None:
        self._settings.setValue(f"splitters/{name}", value)

    def last_area(self) -> str | None:
        value = self._settings.value("window/area")
        return str(value) if value else None

    def set_last_area(self, key: str) -> None:
        self._settings.setValue("window/area", key)

    def theme(self) -> Theme:
        return Theme.parse(self._settings.value("view/theme", Theme.SYSTEM.value))

    def set_theme(self, theme: Theme) -> None:
        self._settings.setValue("view/theme", theme.value)

    def sync(self) -> None:
        self._settings.sync()
