"""Playbooks load strictly: the shipped one is sound, every mistake names its file and step."""

from __future__ import annotations

from pathlib import Path

import pytest

from smarketing_desktop.core.playbooks import (
    MOVES,
    PLAYBOOK_CHANNELS,
    PlaybookError,
    load_playbook,
    load_playbooks,
    pick_playbook,
    playbook_folders,
)
from smarketing_desktop.db.repositories.plans import PlanRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir

GOOD = """\
id: short
name: A short playbook
steps:
  - id: first
    offset_days: -120
    channel: linkedin
    action: Comment on their latest post.
    why: It starts a conversation.
  - id: second
    offset_days: -10
    channel: email
    action: Send the case study.
    content_hint: [case_study]
    why: Proof from a peer.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_playbook_follows_the_five_moves() -> None:
    playbook = load_playbook(resources_dir() / "playbooks" / "default.yaml")
    assert playbook.id == "default"
    assert 12 <= len(playbook.steps) <= 16
    offsets = [s.offset_days for s in playbook.steps]
    assert offsets == sorted(offsets) and offsets[0] == -180 and offsets[-1] <= 0
    assert [s.move for s in playbook.steps[:1]] == ["profile"]
    assert {s.move for s in playbook.steps} == set(MOVES)
    order = list(MOVES)
    moves_in_order = [order.index(s.move or "") for s in playbook.steps]
    assert moves_in_order == sorted(moves_in_order)
    assert {s.channel for s in playbook.steps} <= set(PLAYBOOK_CHANNELS)
    assert len({s.id for s in playbook.steps}) == len(playbook.steps)
    assert all(s.action and s.why for s in playbook.steps)
    late = [s for s in playbook.steps if s.move == "support"]
    assert late and all(s.content_hint for s in late)


def test_a_good_file_loads_with_steps_in_offset_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "short.yaml", GOOD.replace("-120", "-5"))
    playbook = load_playbook(path)
    assert (playbook.id, playbook.name, playbook.source) == ("short", "A short playbook", path)
    assert [s.id for s in playbook.steps] == ["first", "second"][::-1]
    assert playbook.steps[1].content_hint == ()
    assert playbook.steps[0].content_hint == ("case_study",)


STEP_2 = "step 2 ('second')"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    why: Proof from a peer.", "    why: Proof.\n    ofset_days: -3"), "'ofset_days'"),
        (("    offset_days: -10", "    offset_days: -200"), "from -180 to 0"),
        (("    offset_days: -10", "    offset_days: 5"), "from -180 to 0"),
        (("    offset_days: -10", "    offset_days: soon"), "'offset_days'"),
        (("    channel: email", "    channel: fax"), "'channel' must be one of"),
        (("    channel: email\n", ""), "missing 'channel'"),
        (("    why: Proof from a peer.", "    why: ''"), "'why' must be a non-empty text"),
        (("    content_hint: [case_study]", "    content_hint: {a: 1}"), "'content_hint'"),
        (("    content_hint: [case_study]", "    move: sell"), "'move' must be one of"),
        (("  - id: second", "  - id: first"), "used twice"),
    ],
)
def test_each_mistake_names_the_file_and_the_step(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in GOOD
    path = _write(tmp_path, "broken.yaml", GOOD.replace(old, new))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    message = str(caught.value)
    assert str(path) in message
    assert "step 2" in message
    assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "owner: me\n", "unknown key 'owner'"),
        (GOOD.replace("id: short", "id: Short One"), "'id' must be lower-case"),
        ("id: x\nname: X\nsteps: []\n", "'steps' must be a non-empty list"),
        ("id: x\nname: X\nsteps: [1, 2]\n", "step 1: must be a mapping"),
        ("id: [unclosed\n", "is not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_file_level_mistakes_name_the_file(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_users_playbook_overrides_the_shipped_one_by_id(tmp_path: Path) -> None:
    shipped = tmp_path / "resources"
    home = tmp_path / "home"
    _write(shipped / "playbooks", "default.yaml", GOOD.replace("id: short", "id: default"))
    _write(shipped / "playbooks", "short.yaml", GOOD)
    mine = GOOD.replace("id: short", "id: default").replace("A short playbook", "Mine")
    _write(home / "playbooks", "my-default.yml", mine)
    found = load_playbooks(playbook_folders(shipped, home))
    assert sorted(found) == ["default", "short"]
    assert found["default"].name == "Mine"
    assert found["default"].source == home / "playbooks" / "my-default.yml"
    assert pick_playbook(found, None).name == "Mine"
    with pytest.raises(PlaybookError, match=r"no playbook 'nope'.*default, short"):
        pick_playbook(found, "nope")


def test_two_files_with_one_id_in_a_folder_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "playbooks", "a.yaml", GOOD)
    second = _write(tmp_path / "playbooks", "b.yaml", GOOD)
    with pytest.raises(PlaybookError, match="'short' is also used by") as caught:
        load_playbooks([tmp_path / "playbooks"])
    assert str(second) in str(caught.value)


def test_the_repository_reads_the_data_folders_playbooks(db: Database) -> None:
    _write(db.workspace.home / "playbooks", "short.yaml", GOOD)
    found = PlanRepository(db).playbooks()
    assert {"default", "short"} <= set(found)
