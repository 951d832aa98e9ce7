"""One open database: engine, short-lived sessions, and the start-up migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from smarketing_desktop.db.engine import make_engine, make_session_factory
from smarketing_desktop.db.migrate import MigrationReport, upgrade_database
from smarketing_desktop.paths import Workspace


class Database:
    """Hands out one session per unit of work; safe to share between threads (sessions are not)."""

    def __init__(self, workspace: Workspace, migration: MigrationReport | None = None) -> None:
        self.workspace = workspace
        self.migration = migration
        self.engine = make_engine(workspace.db_url)
        self._sessions = make_session_factory(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(workspace: Workspace) -> Database:
    """Create the folders, bring the schema up to date (with a backup first), and connect."""
    workspace.ensure_dirs()
    report = upgrade_database(workspace)
    return Database(workspace, report)
