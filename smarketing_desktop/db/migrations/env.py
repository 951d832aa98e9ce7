"""Alembic environment: runs on the connection the app hands over, or on a URL for developers."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from smarketing_desktop.db.engine import make_engine
from smarketing_desktop.db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ["SMARKETING_DB_URL"]
    engine = make_engine(url, foreign_keys=False)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit(
        "Offline (SQL script) migrations are not supported; run them against a database."
    )
run_migrations_online()
