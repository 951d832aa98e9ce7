"""One pinned clock and one data folder, chosen the same way by the CLI and the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smarketing_desktop import clock
from smarketing_desktop.paths import resolve_workspace


def test_pinned_clock_is_used_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2027-03-31T17:30:00+02:00")
    assert clock.now() == datetime(2027, 3, 31, 15, 30, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(hours=2)


def test_pinned_clock_without_offset_is_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2027-01-02T09:00:00")
    value = clock.now()
    assert value.tzinfo is not None
    assert value.astimezone().replace(tzinfo=None) == datetime(2027, 1, 2, 9, 0)  # noqa: DTZ001
    assert clock.today().isoformat() == "2027-01-02"


def test_bad_pinned_clock_says_what_is_expected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "next tuesday")
    with pytest.raises(clock.ClockError, match="ISO 8601"):
        clock.now()


def test_unpinned_clock_is_aware() -> None:
    assert clock.now().tzinfo is not None


def test_option_beats_environment_beats_platform_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    default = resolve_workspace()
    assert default.home == (tmp_path / "xdg-data" / "smarketing-desktop").resolve()
    monkeypatch.setenv("SMARKETING_HOME", str(tmp_path / "env"))
    assert resolve_workspace().home == tmp_path / "env"
    chosen = resolve_workspace(home=tmp_path / "opt")
    assert chosen.home == tmp_path / "opt"
    assert chosen.db_url == f"sqlite:///{tmp_path / 'opt' / 'smarketing.db'}"
    assert chosen.database_file == tmp_path / "opt" / "smarketing.db"


def test_database_url_can_point_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMARKETING_DB_URL", "postgresql://team-server/smarketing")
    workspace = resolve_workspace(home=tmp_path)
    assert workspace.db_url == "postgresql://team-server/smarketing"
    assert workspace.database_file is None
    assert resolve_workspace(home=tmp_path, db_url="sqlite:///x.db").db_url == "sqlite:///x.db"
