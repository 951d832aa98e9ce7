"""Playbooks: the steps of a quarter-end engagement plan, declared in YAML and checked at load.

Shipped playbooks live in `resources/playbooks/*.yaml`; a rep's own go in
`<data folder>/playbooks/*.yaml` and replace a shipped one with the same id. Like the settings
declarations, files are validated strictly when loaded (unknown keys are errors, every message
names the file and the step) so a typo shows up at once instead of as a silently odd plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from smarketing_desktop.core.errors import UserError

DEFAULT_PLAYBOOK = "default"
PLAYBOOK_CHANNELS = ("x", "linkedin", "blog", "email", "mastodon", "bluesky")
# The five social-selling moves, in the order a plan makes them.
MOVES: dict[str, str] = {
    "profile": "Tune your profile",
    "credibility": "Establish credibility",
    "connect": "Connect on the buyer's terms",
    "decide": "Move toward a decision",
    "support": "Support the decision",
}
# Offsets are days before the quarter end over a 180-day span; plans scale them to the lead time.
EARLIEST_OFFSET = -180
MAX_ACTION = 500
MAX_WHY = 400

_PLAYBOOK_KEYS = frozenset({"id", "name", "description", "steps"})
_STEP_KEYS = frozenset({"id", "move", "offset_days", "channel", "action", "content_hint", "why"})
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


class PlaybookError(UserError):
    """A playbook file that cannot be used; the message names the file and the step."""


@dataclass(frozen=True)
class PlaybookStep:
    """One thing to do, `offset_days` (-180 to 0) before the quarter end on a 180-day plan."""

    id: str
    offset_days: int
    channel: str
    action: str
    why: str
    content_hint: tuple[str, ...] = ()
    move: str | None = None


@dataclass(frozen=True)
class Playbook:
    id: str
    name: str
    description: str
    steps: tuple[PlaybookStep, ...]
    source: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "source": str(self.source) if self.source else None,
            "steps": [
                {
                    "id": s.id,
                    "move": s.move,
                    "offset_days": s.offset_days,
                    "channel": s.channel,
                    "action": s.action,
                    "content_hint": list(s.content_hint),
                    "why": s.why,
                }
                for s in self.steps
            ],
        }


def _check_id(value: object, where: str) -> str:
    if not isinstance(value, str) or not value or not set(value) <= _ID_CHARS:
        raise PlaybookError(
            f"{where}: 'id' must be lower-case letters, digits, '-' or '_' (got {value!r})."
        )
    return value


def _text(item: Mapping[str, Any], key: str, where: str, limit: int) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not " ".join(value.split()):
        raise PlaybookError(f"{where}: '{key}' must be a non-empty text.")
    text = " ".join(value.split())
    if len(text) > limit:
        raise PlaybookError(f"{where}: '{key}' is longer than {limit} characters.")
    return text


def _hint(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PlaybookError(f"{where}: 'content_hint' must be a list of tags, e.g. [case_study].")
    return tuple(v.strip() for v in value)


def _step(item: object, where: str) -> PlaybookStep:
    if not isinstance(item, dict):
        raise PlaybookError(f"{where}: must be a mapping with id, offset_days, channel, ...")
    step_id = item.get("id")
    if isinstance(step_id, str) and step_id:
        where = f"{where} ({step_id!r})"
    unknown = sorted(str(k) for k in item if k not in _STEP_KEYS)
    if unknown:
        raise PlaybookError(
            f"{where}: unknown key {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(sorted(_STEP_KEYS))}."
        )
    missing = [k for k in ("id", "offset_days", "channel", "action", "why") if k not in item]
    if missing:
        raise PlaybookError(f"{where}: missing {', '.join(map(repr, missing))}.")
    _check_id(step_id, where)
    offset = item["offset_days"]
    if isinstance(offset, bool) or not isinstance(offset, int) or not -180 <= offset <= 0:
        raise PlaybookError(
            f"{where}: 'offset_days' must be a whole number of days before the quarter end, "
            f"from {EARLIEST_OFFSET} to 0 (got {offset!r})."
        )
    channel = item["channel"]
    if channel not in PLAYBOOK_CHANNELS:
        raise PlaybookError(
            f"{where}: 'channel' must be one of {', '.join(PLAYBOOK_CHANNELS)} (got {channel!r})."
        )
    move = item.get("move")
    if move is not None and move not in MOVES:
        raise PlaybookError(f"{where}: 'move' must be one of {', '.join(MOVES)} (got {move!r}).")
    return PlaybookStep(
        id=str(step_id),
        offset_days=offset,
        channel=str(channel),
        action=_text(item, "action", where, MAX_ACTION),
        why=_text(item, "why", where, MAX_WHY),
        content_hint=_hint(item.get("content_hint"), where),
        move=move,
    )


def parse_playbook(data: object, source: Path) -> Playbook:
    """A playbook from parsed YAML; raises PlaybookError naming `source` and the step."""
    where = str(source)
    if not isinstance(data, dict):
        raise PlaybookError(f"{where}: must be a mapping with 'id', 'name' and 'steps'.")
    unknown = sorted(str(k) for k in data if k not in _PLAYBOOK_KEYS)
    if unknown:
        raise PlaybookError(
            f"{where}: unknown key {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(sorted(_PLAYBOOK_KEYS))}."
        )
    playbook_id = _check_id(data.get("id"), where)
    name = _text(data, "name", where, 200)
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise PlaybookError(f"{where}: 'description' must be text.")
    items = data.get("steps")
    if not isinstance(items, list) or not items:
        raise PlaybookError(f"{where}: 'steps' must be a non-empty list.")
    steps: list[PlaybookStep] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        step = _step(item, f"{where}: step {number}")
        if step.id in seen:
            raise PlaybookError(f"{where}: step {number}: id {step.id!r} is used twice.")
        seen.add(step.id)
        steps.append(step)
    # A plan's order is the order of the offsets; the file's order breaks ties.
    steps.sort(key=lambda s: s.offset_days)
    return Playbook(playbook_id, name, " ".join(description.split()), tuple(steps), source)


def load_playbook(path: Path) -> Playbook:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlaybookError(f"{path}: cannot be read ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        raise PlaybookError(f"{path}: is not valid YAML ({exc}).") from None
    return parse_playbook(data, path)


def _folder_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def load_playbooks(folders: Iterable[Path]) -> dict[str, Playbook]:
    """Every playbook in `folders`, later folders overriding earlier ones by id.

    Pass the shipped folder first and the user's folder last. Two files with the same id in one
    folder is an error (which one was meant is unclear); across folders the later one wins.
    """
    found: dict[str, Playbook] = {}
    for folder in folders:
        here: dict[str, Playbook] = {}
        for path in _folder_files(folder):
            playbook = load_playbook(path)
            if playbook.id in here:
                other = here[playbook.id].source
                raise PlaybookError(f"{path}: playbook id {playbook.id!r} is also used by {other}.")
            here[playbook.id] = playbook
        found.update(here)
    return found


def playbook_folders(resources: Path, home: Path) -> tuple[Path, Path]:
    """The shipped folder and the user's folder, in override order."""
    return resources / "playbooks", home / "playbooks"


def pick_playbook(playbooks: Mapping[str, Playbook], playbook_id: str | None) -> Playbook:
    wanted = playbook_id or DEFAULT_PLAYBOOK
    try:
        return playbooks[wanted]
    except KeyError:
        known = ", ".join(sorted(playbooks)) or "none"
        raise PlaybookError(f"There is no playbook {wanted!r}. Playbooks: {known}.") from None
