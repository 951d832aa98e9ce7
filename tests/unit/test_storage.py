"""The database: migrated at start-up, backed up first, never left with broken references."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db import migrate
from smarketing_desktop.db.models import Feed, ProspectTag
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database, open_database
from smarketing_desktop.paths import Workspace


def _sqlite(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_new_workspace_is_created_at_the_latest_schema(db: Database) -> None:
    file = db.workspace.database_file
    assert file is not None and file.exists()
    assert _sqlite(file, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    assert db.migration is not None and db.migration.backup is None  # nothing to back up yet
    assert _sqlite(file, "PRAGMA journal_mode") == [("wal",)]


def test_start_up_knows_the_latest_migration() -> None:
    """Start-up skips importing Alembic when the database matches this constant."""
    assert migrate.head_revision() == migrate.LATEST_REVISION


def test_the_schema_the_migrations_build_matches_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from smarketing_desktop.db.models import Base

    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_app_connections_enforce_foreign_keys(db: Database) -> None:
    with db.session() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_opening_an_up_to_date_database_makes_no_backup(workspace: Workspace, db: Database) -> None:
    db.dispose()
    again = open_database(workspace)
    assert again.migration is not None and not again.migration.migrated
    assert list(workspace.backups_dir.iterdir()) == []
    again.dispose()


def test_pending_migration_backs_up_the_data_first(
    workspace: Workspace, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ProspectRepository(db).add(ProspectDraft(name="Keep Me", email="keep@example.com"))
    db.dispose()
    monkeypatch.setattr(migrate, "LATEST_REVISION", "next")
    report = migrate.upgrade_database(workspace)
    assert report.backup is not None and report.backup.parent == workspace.backups_dir
    assert _sqlite(report.backup, "SELECT name FROM prospects") == [("Keep Me",)]


def test_a_migration_that_leaves_broken_references_fails_loudly(
    workspace: Workspace, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.dispose()
    file = workspace.database_file
    assert file is not None
    conn = sqlite3.connect(file)
    conn.execute(
        "INSERT INTO prospects (name, account_id, created_at, updated_at) "
        "VALUES ('Orphan', 999, '2026-01-01', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    monkeypatch.setattr(migrate, "LATEST_REVISION", "next")
    with pytest.raises(migrate.MigrationError, match=r"broken references.*backups"):
        migrate.upgrade_database(workspace)


def test_removing_a_prospect_removes_its_tags_but_keeps_its_feeds(db: Database) -> None:
    from smarketing_desktop import clock

    repo = ProspectRepository(db)
    prospect = repo.add(ProspectDraft(name="Jane", tags=("a", "b")))
    with db.session() as session:
        session.add(
            Feed(url="https://jane.example/feed", prospect_id=prospect.id, created_at=clock.now())
        )
    repo.remove(prospect.id)
    with db.session() as session:
        assert session.scalars(select(ProspectTag)).all() == []
        feed = session.scalars(select(Feed)).one()
        assert feed.prospect_id is None


def test_sql_dialect_specifics_stay_in_engine_setup() -> None:
    """A team server can come later only if no SQLite-only SQL leaks into the app."""
    package = Path(__file__).resolve().parents[2] / "smarketing_desktop"
    allowed = {package / "db" / "engine.py", package / "db" / "migrate.py"}
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path not in allowed and "PRAGMA" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_upgrading_a_populated_database_keeps_every_row_and_reference(workspace: Workspace) -> None:
    """Table rebuilds with foreign keys on would cascade: this upgrade must lose nothing."""
    from alembic import command

    from smarketing_desktop.db.engine import make_engine

    workspace.ensure_dirs()
    engine = make_engine(workspace.db_url, foreign_keys=False)
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    now = "'2026-11-01 09:00:00'"
    rows = [
        "INSERT INTO prospects (id, name, created_at, updated_at) "
        f"VALUES (1, 'Jane', {now}, {now})",
        "INSERT INTO content_items (id, url, title, kind, tags, added_at) "
        f"VALUES (7, 'https://c.example/a', 'A', 'e_book', '', {now})",
        "INSERT INTO opportunities (id, prospect_id, name, close_date, status, created_at) "
        f"VALUES (3, 1, 'Deal', '2027-03-31', 'open', {now})",
        "INSERT INTO plan_steps (id, opportunity_id, due_on, channel, action, content_id, status) "
        "VALUES (5, 3, '2027-01-04', 'x', 'Share', 7, 'planned')",
        "INSERT INTO queue_items "
        "(id, kind, channel, text, content_id, prospect_id, position, status, created_at) "
        f"VALUES (9, 'share', 'x', 'Read this', 7, 1, 0, 'queued', {now})",
    ]
    with engine.begin() as conn:
        for sql in rows:
            conn.execute(text(sql))
    engine.dispose()

    db = open_database(workspace)
    try:
        assert db.migration is not None and db.migration.from_revision == "0001"
        assert db.migration.backup is not None and db.migration.backup.exists()
        with db.session() as session:
            assert (
                session.execute(text("SELECT content_id FROM plan_steps WHERE id = 5")).scalar()
                == 7
            )
            assert (
                session.execute(text("SELECT content_id FROM queue_items WHERE id = 9")).scalar()
                == 7
            )
            assert session.execute(
                text("SELECT source_feed_id FROM content_items WHERE id = 7")
            ).one() == (None,)
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.dispose()


def test_upgrading_a_0004_database_keeps_prospects_on_the_default_cadence(
    workspace: Workspace,
) -> None:
    """0005 adds each prospect's own touch intervals; existing prospects keep the default."""
    from alembic import command

    from smarketing_desktop.db.engine import make_engine

    workspace.ensure_dirs()
    engine = make_engine(workspace.db_url, foreign_keys=False)
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    now = "'2026-11-01 09:00:00'"
    rows = [
        f"INSERT INTO accounts (id, name, created_at) VALUES (2, 'Acme', {now})",
        "INSERT INTO prospects (id, name, account_id, email, last_touch_at, created_at, "
        f"updated_at) VALUES (1, 'Jane', 2, 'jane@acme.example', {now}, {now}, {now})",
        f"INSERT INTO prospects (id, name, created_at, updated_at) VALUES (4, 'Ben', {now}, {now})",
        "INSERT INTO prospect_tags (prospect_id, tag, position) VALUES (1, 'cloud', 0)",
        "INSERT INTO feeds (id, url, purpose, prospect_id, kind, status, error_count, "
        "allow_remote_images, created_at) "
        f"VALUES (6, 'https://jane.example/feed', 'prospect', 1, 'feed', 'ok', 0, 0, {now})",
        f"INSERT INTO activities (id, prospect_id, kind, occurred_at) VALUES (8, 1, 'call', {now})",
    ]
    with engine.begin() as conn:
        for sql in rows:
            conn.execute(text(sql))
    engine.dispose()

    db = open_database(workspace)
    try:
        assert db.migration is not None and db.migration.from_revision == "0004"
        assert db.migration.to_revision == "0005"
        assert db.migration.backup is not None and db.migration.backup.exists()
        repo = ProspectRepository(db)
        jane, ben = repo.get(1), repo.get(4)
        assert (jane.name, jane.company, jane.email, jane.tags) == (
            "Jane",
            "Acme",
            "jane@acme.example",
            ("cloud",),
        )
        assert jane.feed_count == 1 and jane.last_touch_at is not None
        assert ben.name == "Ben"
        for prospect in (jane, ben):
            assert (prospect.touch_ideal_days, prospect.touch_max_days) == (None, None)
            assert prospect.to_json()["touch"]["ideal_is_default"] is True
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM activities")).scalar() == 1
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # The new columns take a prospect's own cadence.
        changed = repo.update(4, replace(ben.to_draft(), touch_ideal_days=5, touch_max_days=9))
        assert (changed.cadence.ideal_days, changed.cadence.max_days) == (5, 9)
    finally:
        db.dispose()
