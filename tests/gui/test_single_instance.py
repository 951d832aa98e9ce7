"""A second launch on the same workspace brings the first window forward instead of opening."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from smarketing_desktop.ui.single_instance import SingleInstance


def test_second_launch_on_a_workspace_activates_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path / "home")
    assert first.claim()
    second = SingleInstance(tmp_path / "home")
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert not second.claim()
    other_workspace = SingleInstance(tmp_path / "demo")
    assert other_workspace.claim()  # a demo beside real data gets its own window
    for instance in (first, other_workspace):
        instance.release()
    again = SingleInstance(tmp_path / "home")
    assert again.claim()  # released names can be taken again
    again.release()
