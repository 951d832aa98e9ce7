"""Where data lives and where the shipped resources are.

The data directory is the one place the app writes to (database, logs, backups, window state),
so a `--home` folder is a complete, self-contained workspace: handy for demos and tests.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from smarketing_desktop import APP_ID

HOME_ENV = "SMARKETING_HOME"
DB_URL_ENV = "SMARKETING_DB_URL"


def resources_dir() -> Path:
    """The shipped `resources/` folder, in a source checkout or a frozen build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class Workspace:
    """The folders and database URL of one workspace, resolved once at start-up."""

    home: Path
    db_url: str

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def backups_dir(self) -> Path:
        return self.home / "backups"

    @property
    def database_file(self) -> Path | None:
        """The SQLite file when the database is a local file, else None (a server URL)."""
        prefix = "sqlite:///"
        if self.db_url.startswith(prefix) and ":memory:" not in self.db_url:
            return Path(self.db_url[len(prefix) :])
        return None

    @property
    def window_state_file(self) -> Path:
        return self.home / "window.ini"

    def ensure_dirs(self) -> None:
        for folder in (self.home, self.logs_dir, self.backups_dir):
            folder.mkdir(parents=True, exist_ok=True)


def resolve_workspace(
    home: str | os.PathLike[str] | None = None, db_url: str | None = None
) -> Workspace:
    """Command-line options win over the environment, which wins over platform defaults."""
    chosen_home = (
        home or os.environ.get(HOME_ENV) or platformdirs.user_data_dir(APP_ID, appauthor=False)
    )
    home_path = Path(chosen_home).expanduser().resolve()
    url = db_url or os.environ.get(DB_URL_ENV) or f"sqlite:///{home_path / 'smarketing.db'}"
    return Workspace(home=home_path, db_url=url)
