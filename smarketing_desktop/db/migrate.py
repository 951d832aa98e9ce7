"""Bring a database to the current schema at start-up, safely.

Before any migration touches an existing database it is copied to `backups/` with SQLite's
online backup API (a plain file copy can miss pages still in the WAL). Migrations run with
foreign keys off and finish with `PRAGMA foreign_key_check`, so a table rebuild can neither
cascade-delete rows nor leave dangling references unnoticed.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from smarketing_desktop import clock
from smarketing_desktop.db.engine import is_sqlite, make_engine
from smarketing_desktop.paths import Workspace

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# The newest migration's revision id. Start-up compares the database against this constant so
# that the common case (already up to date) does not pay for importing Alembic; a test keeps it
# equal to the migration scripts' head.
LATEST_REVISION = "0005"

KEEP_BACKUPS = 10


class MigrationError(RuntimeError):
    """The database could not be brought up to date; the message says where the backup is."""


@dataclass(frozen=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str | None
    backup: Path | None

    @property
    def migrated(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 (start-up time: see LATEST_REVISION)

    cfg = Config()
    cfg.set_main_option("script_location", "smarketing_desktop.db:migrations")
    return cfg


def head_revision() -> str | None:
    """The head according to the migration scripts themselves (slow: imports Alembic)."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The database's revision, read without Alembic."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_database(source: Path, backups_dir: Path, label: str) -> Path:
    """A consistent copy of a live SQLite database, keeping the newest few."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"{source.stem}-{stamp}-{label}.db"
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    old = sorted(backups_dir.glob(f"{source.stem}-*.db"))
    for stale in old[:-KEEP_BACKUPS]:
        stale.unlink(missing_ok=True)
    return target


def upgrade_database(workspace: Workspace) -> MigrationReport:
    head = LATEST_REVISION
    db_file = workspace.database_file
    had_data = db_file is not None and db_file.exists() and db_file.stat().st_size > 0
    engine = make_engine(workspace.db_url, foreign_keys=False)
    try:
        with engine.connect() as conn:
            current = current_revision(conn)
        if current == head:
            return MigrationReport(current, head, None)

        backup = None
        if had_data and db_file is not None:
            backup = backup_database(db_file, workspace.backups_dir, f"before-{head}")
            log.info("Backed up %s to %s before migrating", db_file, backup)

        from alembic import command  # noqa: PLC0415 (only when there is something to migrate)

        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if is_sqlite(workspace.db_url):
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    where = f" A copy from before the upgrade is in {backup}." if backup else ""
                    raise MigrationError(
                        f"The database upgrade left {len(problems)} broken references.{where}"
                    )
        log.info("Database migrated from %s to %s", current, head)
        return MigrationReport(current, head, backup)
    finally:
        engine.dispose()
