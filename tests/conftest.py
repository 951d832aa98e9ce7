"""Fixtures shared by every test layer: an isolated workspace and an in-memory keyring."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from smarketing_desktop.db.store import Database, open_database
from smarketing_desktop.paths import Workspace, resolve_workspace
from tests.support.http_server import LocalServer, serve
from tests.support.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's data folder, clock or keyring."""
    for name in ("SMARKETING_HOME", "SMARKETING_DB_URL", "SMARKETING_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    previous = keyring.get_keyring()
    MemoryKeyring.store.clear()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return resolve_workspace(home=tmp_path / "home")


@pytest.fixture
def db(workspace: Workspace) -> Iterator[Database]:
    database = open_database(workspace)
    yield database
    database.dispose()


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    yield from serve()
