"""The profile-tuning checklists: declared in YAML, checked at load, evaluated into a review.

Shipped checklists live in `resources/checklists/*.yaml` (LinkedIn and X); a rep's own go in
`<data folder>/checklists/*.yaml` and replace a shipped one with the same id. Like the settings
declarations, files are validated strictly when loaded (unknown keys are errors, every message
names the file and the item), so a typo shows at once rather than as an item that never passes.

An item is either automatic (a rule from `profile_rules` with its parameters) or manual (the rep
answers it). A review evaluates every item against the rep's profile data and answers, scores it
by weight, and keeps what it saw (`Review`), so later reviews can show the trend and what changed.
Qt-free and database-free: the repository stores reviews, the CLI and the window drive this.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.image_check import ImageFacts, inspect_image
from smarketing_desktop.core.profile_rules import (
    FIELD_KIND_TEXT,
    RULES,
    STATUSES,
    Outcome,
    ParamSpec,
    RuleContext,
    Status,
    describe_value,
    field_fits,
)

ItemKind = Literal["auto", "manual"]

# Items every checklist for these networks must keep, whatever a rep's own file says, so that
# reviews stay comparable as the checklist grows (history and diff match items by id).
REQUIRED_ITEMS: dict[str, frozenset[str]] = {
    "linkedin": frozenset({"photo", "headline_keywords", "custom_url", "about_customer_focus"}),
}
MAX_WEIGHT = 100

_CHECKLIST_KEYS = frozenset({"id", "network", "title", "description", "items"})
_ITEM_KEYS = frozenset({"id", "title", "why", "how", "weight", "rule", "params", "manual"})
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_ANSWER_KEYS = frozenset({"status", "note"})


class ChecklistError(UserError):
    """A checklist, profile or answers file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    why: str
    how: str
    weight: int
    rule: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> ItemKind:
        return "manual" if self.rule is None else "auto"


@dataclass(frozen=True)
class Checklist:
    id: str
    network: str
    title: str
    items: tuple[ChecklistItem, ...]
    description: str = ""
    source: Path | None = None

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def image_fields(self) -> set[str]:
        """Profile fields that name image files, to be opened before the rules run."""
        return {
            str(i.params["field"])
            for i in self.items
            if i.rule is not None and RULES[i.rule].reads_image
        }

    def profile_fields(self) -> list[str]:
        """The profile fields the automatic items read, in checklist order, each once."""
        fields: list[str] = []
        for item in self.items:
            name = item.params.get("field") if item.rule is not None else None
            if isinstance(name, str) and name not in fields:
                fields.append(name)
        return fields

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "network": self.network,
            "title": self.title,
            "items": [{"id": i.id, "title": i.title, "kind": i.kind} for i in self.items],
        }


ANSWERED_DETAIL = "Answered by you."


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    status: Status
    detail: str
    note: str | None = None

    @property
    def shown_detail(self) -> str:
        """The detail with the rep's note, as the command line and JSON show it.

        The note is kept apart in storage (the window edits it in its own box), but a list
        that said only "Answered by you." would hide the reason the rep gave.
        """
        if not self.note:
            return self.detail
        if self.detail == ANSWERED_DETAIL:
            return f"Answered by you: {self.note}"
        return f"{self.detail} Your note: {self.note}"


@dataclass(frozen=True)
class Answer:
    """The rep's own verdict on an item: a manual check, or one the profile data left open."""

    status: Status | None
    note: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """A review before it is stored."""

    network: str
    score: int
    results: tuple[ItemResult, ...]
    snapshot: Mapping[str, Any]


@dataclass(frozen=True)
class Review:
    """A stored review: when, how it scored, every item's result, and what it looked at."""

    id: int
    network: str
    reviewed_at: datetime
    score: int
    results: tuple[ItemResult, ...]
    snapshot: Mapping[str, Any] = field(default_factory=dict)

    def statuses(self) -> dict[str, Status]:
        return {r.item_id: r.status for r in self.results}

    def to_json(self) -> dict[str, Any]:
        return {
            "review_id": self.id,
            "score": self.score,
            "items": [
                {"id": r.item_id, "status": r.status, "detail": r.shown_detail, "note": r.note}
                for r in self.results
            ],
        }


@dataclass(frozen=True)
class Change:
    item_id: str
    before: Status | None  # None: the item was not in that review (the checklist grew)
    after: Status | None

    @property
    def fixed(self) -> bool:
        return self.after == "pass" and self.before != "pass"

    @property
    def broken(self) -> bool:
        return self.before == "pass" and self.after != "pass"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.item_id, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class ReviewDiff:
    """What changed from review `before` to review `after`."""

    before: Review
    after: Review
    changes: tuple[Change, ...]

    @property
    def score_delta(self) -> int:
        return self.after.score - self.before.score

    def to_json(self) -> dict[str, Any]:
        return {
            "from": _review_head(self.before),
            "to": _review_head(self.after),
            "score_delta": self.score_delta,
            "changes": [c.to_json() for c in self.changes],
            "fixed": [c.item_id for c in self.changes if c.fixed],
            "broken": [c.item_id for c in self.changes if c.broken],
        }


@dataclass(frozen=True)
class HistoryEntry:
    """One review in a network's history, with what changed since the one before it."""

    review: Review
    previous: Review | None
    changes: tuple[Change, ...]

    @property
    def score_delta(self) -> int | None:
        return None if self.previous is None else self.review.score - self.previous.score

    @property
    def trend(self) -> Literal["first", "up", "down", "same"]:
        delta = self.score_delta
        if delta is None:
            return "first"
        return "up" if delta > 0 else "down" if delta < 0 else "same"

    def to_json(self) -> dict[str, Any]:
        return {
            **_review_head(self.review),
            "score_delta": self.score_delta,
            "trend": self.trend,
            "changes": [c.to_json() for c in self.changes],
        }


def _review_head(review: Review) -> dict[str, Any]:
    return {
        "review_id": review.id,
        "date": review.reviewed_at.astimezone().isoformat(),
        "score": review.score,
    }


# -- loading and validating checklist files ------------------------------------------------


def _check_id(value: object, where: str, key: str = "id") -> str:
    if not isinstance(value, str) or not value or not set(value) <= _ID_CHARS:
        raise ChecklistError(
            f"{where}: '{key}' must be lower-case letters, digits, '-' or '_' (got {value!r})."
        )
    return value


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ChecklistError(f"{where}: '{key}' must be a non-empty text.")
    return " ".join(value.split())


def _unknown_keys(item: Mapping[Any, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in item if k not in known)
    if unknown:
        raise ChecklistError(
            f"{where}: unknown key {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(sorted(known))}."
        )


def _param(name: str, value: Any, spec: ParamSpec, where: str) -> Any:
    wanted = {
        "str": "a text",
        "int": "a whole number",
        "number": "a number",
        "strs": "a list of texts",
    }[spec.kind]
    ok = {
        "str": isinstance(value, str) and bool(value.strip()),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "strs": isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) and v.strip() for v in value),
    }[spec.kind]
    if not ok:
        raise ChecklistError(f"{where}: parameter '{name}' must be {wanted} (got {value!r}).")
    if spec.minimum is not None and value < spec.minimum:
        raise ChecklistError(
            f"{where}: parameter '{name}' must be at least {spec.minimum:g} (got {value!r})."
        )
    return tuple(value) if spec.kind == "strs" else value


def _rule_params(rule_name: object, raw: object, where: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(rule_name, str) or rule_name not in RULES:
        raise ChecklistError(
            f"{where}: 'rule' must be one of {', '.join(sorted(RULES))} (got {rule_name!r})."
        )
    rule = RULES[rule_name]
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ChecklistError(f"{where}: 'params' must be a mapping such as {{field: headline}}.")
    unknown = sorted(str(k) for k in raw if k not in rule.params)
    if unknown:
        raise ChecklistError(
            f"{where}: rule '{rule_name}' has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters: {', '.join(sorted(rule.params))}."
        )
    missing = [k for k, spec in rule.params.items() if spec.required and k not in raw]
    if missing:
        raise ChecklistError(
            f"{where}: rule '{rule_name}' needs parameter {', '.join(map(repr, missing))}."
        )
    params = {str(k): _param(str(k), v, rule.params[str(k)], where) for k, v in raw.items()}
    return rule_name, params


def _item(raw: object, where: str) -> ChecklistItem:
    if not isinstance(raw, dict):
        raise ChecklistError(f"{where}: must be a mapping with id, title, why, how, weight, ...")
    item_id = raw.get("id")
    if isinstance(item_id, str) and item_id:
        where = f"{where} ({item_id!r})"
    _unknown_keys(raw, _ITEM_KEYS, where)
    missing = [k for k in ("id", "title", "why", "how", "weight") if k not in raw]
    if missing:
        raise ChecklistError(f"{where}: missing {', '.join(map(repr, missing))}.")
    _check_id(item_id, where)
    weight = raw["weight"]
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        raise ChecklistError(
            f"{where}: 'weight' must be a whole number from 1 to {MAX_WEIGHT} (got {weight!r})."
        )
    manual = raw.get("manual", False)
    if not isinstance(manual, bool):
        raise ChecklistError(f"{where}: 'manual' must be true or false (got {manual!r}).")
    has_rule = "rule" in raw
    if manual == has_rule:
        raise ChecklistError(
            f"{where}: give either 'rule' (an automatic check, with 'params') or 'manual: true'."
        )
    rule: str | None = None
    params: dict[str, Any] = {}
    if has_rule:
        rule, params = _rule_params(raw["rule"], raw.get("params"), where)
    elif "params" in raw:
        raise ChecklistError(f"{where}: 'params' belong to a 'rule'; a manual item has none.")
    return ChecklistItem(
        id=str(item_id),
        title=_text(raw, "title", where),
        why=_text(raw, "why", where),
        how=_text(raw, "how", where),
        weight=weight,
        rule=rule,
        params=params,
    )


def parse_checklist(text: str, source: Path) -> Checklist:
    """One checklist file, validated; every error names `source` (and the item)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChecklistError(f"{source}: not valid YAML ({exc}).") from None
    if not isinstance(data, dict):
        raise ChecklistError(f"{source}: must be a mapping with id, network, title and items.")
    _unknown_keys(data, _CHECKLIST_KEYS, str(source))
    missing = [k for k in ("id", "network", "title", "items") if k not in data]
    if missing:
        raise ChecklistError(f"{source}: missing {', '.join(map(repr, missing))}.")
    checklist_id = _check_id(data["id"], str(source))
    network = _check_id(data["network"], str(source), "network")
    title = _text(data, "title", str(source))
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise ChecklistError(f"{source}: 'description' must be a text.")
    raw_items = data["items"]
    if not isinstance(raw_items, list) or not raw_items:
        raise ChecklistError(f"{source}: 'items' must be a non-empty list.")
    items: list[ChecklistItem] = []
    for number, raw in enumerate(raw_items, start=1):
        item = _item(raw, f"{source}: item {number}")
        if any(i.id == item.id for i in items):
            raise ChecklistError(f"{source}: item {number}: id {item.id!r} is used twice.")
        items.append(item)
    missing_ids = REQUIRED_ITEMS.get(network, frozenset()) - {i.id for i in items}
    if missing_ids:
        raise ChecklistError(
            f"{source}: a {network} checklist must keep the items "
            f"{', '.join(sorted(missing_ids))} (reviews are compared by them)."
        )
    return Checklist(
        checklist_id, network, title, tuple(items), " ".join(description.split()), source
    )


def load_checklist_file(path: Path) -> Checklist:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ChecklistError(f"{path}: cannot be read ({exc}).") from None
    return parse_checklist(text, path)


def checklist_folders(resources: Path, data_dir: Path | None) -> list[Path]:
    """Where checklists come from, shipped first: a rep's own file with the same id wins."""
    folders = [resources / "checklists"]
    if data_dir is not None:
        folders.append(data_dir / "checklists")
    return folders


def load_checklists(resources: Path, data_dir: Path | None = None) -> list[Checklist]:
    """Every checklist, one per network, in network order (linkedin before x)."""
    by_id: dict[str, Checklist] = {}
    for folder in checklist_folders(resources, data_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            checklist = load_checklist_file(path)
            by_id[checklist.id] = checklist
    by_network: dict[str, Checklist] = {}
    for checklist in by_id.values():
        other = by_network.get(checklist.network)
        if other is not None:
            raise ChecklistError(
                f"{checklist.source}: network {checklist.network!r} already has the checklist "
                f"{other.id!r} ({other.source}); give this file id {other.id!r} to replace it."
            )
        by_network[checklist.network] = checklist
    return [by_network[n] for n in sorted(by_network)]


def checklist_for(checklists: Sequence[Checklist], network: str) -> Checklist:
    wanted = network.strip().lower()
    for checklist in checklists:
        if checklist.network == wanted:
            return checklist
    known = ", ".join(c.network for c in checklists) or "none"
    raise UserError(f"There is no checklist for network {network!r}; checklists: {known}.")


# -- profile data and answers --------------------------------------------------------------


def _json_object(data: bytes, source: str, what: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChecklistError(f"{source}: is not UTF-8 text.") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ChecklistError(
            f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})."
        ) from None
    if not isinstance(value, dict):
        raise ChecklistError(f"{source}: must be a JSON object of {what}.")
    return value


def parse_profile(data: bytes, source: str) -> dict[str, Any]:
    """The rep's profile data (headline, about, photo, ...) as a plain dict."""
    return _json_object(data, source, 'profile fields, such as {"headline": "..."}')


def profile_has_no_fields(profile: Mapping[str, Any], checklist: Checklist) -> str | None:
    """Why a profile cannot make a review (it names none of the fields the items read), or
    None. Such a review would score every item "not checked" and still count as the latest
    review, pushing the next reminder back for a review that never happened."""
    fields = checklist.profile_fields()
    if not fields or any(name in profile for name in fields):
        return None
    return f"has none of the fields a review checks: {', '.join(fields)}"


def check_profile_file(profile: Mapping[str, Any], checklist: Checklist, source: str) -> None:
    """Refuse a profile file whose fields the rules cannot read as meant.

    A field of the wrong type is not a profile problem to score but a typing slip in the
    file (an About given as ["x"]): scoring it would give wrong advice and store it in the
    history, so nothing is evaluated and the message names the field and what it must be.
    """
    problem = profile_has_no_fields(profile, checklist)
    if problem:
        raise ChecklistError(f"The profile file {problem} ({source}).")
    for item in checklist.items:
        if item.rule is None:
            continue
        name = item.params.get("field")
        if not isinstance(name, str) or name not in profile:
            continue
        kind = RULES[item.rule].expects(item.params)
        value = profile[name]
        if not field_fits(kind, value):
            raise ChecklistError(
                f"{source}: the profile file's {name!r} must be {FIELD_KIND_TEXT[kind]}, "
                f"not {describe_value(value)}."
            )


def prepare_profile(
    profile: Mapping[str, Any], image_fields: Iterable[str], base_dir: Path | None
) -> dict[str, Any]:
    """Open the image files a profile names, so the rules see sizes instead of paths.

    Relative paths are taken from `base_dir` (the profile file's folder). A missing or broken
    file becomes `ImageFacts` with a problem, which fails its item with the path in the detail.
    Values that are already facts or `{"width", "height"}` dicts (an account connection) pass.
    """
    prepared = dict(profile)
    for name in image_fields:
        value = prepared.get(name)
        if isinstance(value, str) and value.strip():
            path = Path(value.strip()).expanduser()
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            prepared[name] = inspect_image(path)
    return prepared


def profile_snapshot(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as a review keeps it: text as given, images as file name and size."""
    return {
        key: value.snapshot() if isinstance(value, ImageFacts) else value
        for key, value in profile.items()
    }


def parse_answers(data: bytes, source: str, checklist: Checklist) -> dict[str, Answer]:
    """`{"item_id": true | false | {"status": "pass", "note": "..."}}`, checked against items."""
    raw = _json_object(data, source, 'answers, such as {"headline_buyer": true}')
    answers: dict[str, Answer] = {}
    for item_id, value in raw.items():
        where = f"{source}: answer {item_id!r}"
        if checklist.item(item_id) is None:
            known = ", ".join(i.id for i in checklist.items)
            raise ChecklistError(
                f"{where}: the {checklist.title} checklist has no such item; items: {known}."
            )
        if isinstance(value, bool):
            answers[item_id] = Answer("pass" if value else "fail")
            continue
        if not isinstance(value, dict):
            raise ChecklistError(
                f'{where}: must be true, false or {{"status": "pass", "note": "..."}}.'
            )
        _unknown_keys(value, _ANSWER_KEYS, where)
        status = value.get("status")
        if status is not None and status not in STATUSES:
            raise ChecklistError(
                f"{where}: 'status' must be one of {', '.join(STATUSES)} (got {status!r})."
            )
        note = value.get("note")
        if note is not None and not isinstance(note, str):
            raise ChecklistError(f"{where}: 'note' must be a text.")
        answers[item_id] = Answer(status, (note or "").strip() or None)
    return answers


# -- evaluating ----------------------------------------------------------------------------


def evaluate_item(
    item: ChecklistItem,
    profile: Mapping[str, Any],
    context: RuleContext,
    answer: Answer | None = None,
) -> ItemResult:
    """One item's result. The rep's answer wins over the rule (rules are heuristics: a clever
    About may call to action without a listed phrase); the detail keeps what the rule said."""
    if item.rule is None:
        outcome = Outcome("unknown", "A manual check: answer it yourself.")
    else:
        outcome = RULES[item.rule].check(item.params, profile, context)
    note = answer.note if answer else None
    if answer is None or answer.status is None:
        return ItemResult(item.id, outcome.status, outcome.detail, note)
    if outcome.status == "unknown":
        detail = ANSWERED_DETAIL
    elif outcome.status == answer.status:
        detail = outcome.detail
    else:
        detail = f"Answered by you; the automatic check said {outcome.status}: {outcome.detail}"
    return ItemResult(item.id, answer.status, detail, note)


def score(checklist: Checklist, results: Iterable[ItemResult]) -> int:
    """0-100: the share of the checklist's weight whose items pass, rounded half up.

    Unknown counts as not passed: a profile is only as good as what has been shown to be true,
    and an unanswered item should pull the score down until the rep checks it.
    """
    status = {r.item_id: r.status for r in results}
    total = sum(i.weight for i in checklist.items)
    passed = sum(i.weight for i in checklist.items if status.get(i.id) == "pass")
    return (200 * passed + total) // (2 * total) if total else 0


def evaluate(
    checklist: Checklist,
    profile: Mapping[str, Any],
    context: RuleContext,
    answers: Mapping[str, Answer] | None = None,
) -> Evaluation:
    """Every item, in checklist order, scored; `profile` already prepared (images opened).

    The snapshot keeps the profile (images as name and size) and the keyword phrases used, so
    a later look at a review can tell "the headline changed" from "marketing's keywords changed",
    and the checklist's item order (result rows have no position of their own).
    """
    given = answers or {}
    results = tuple(
        evaluate_item(item, profile, context, given.get(item.id)) for item in checklist.items
    )
    snapshot = {
        "checklist": checklist.id,
        "profile": profile_snapshot(profile),
        "keywords": list(context.keywords),
        "item_order": [item.id for item in checklist.items],
    }
    return Evaluation(checklist.network, score(checklist, results), results, snapshot)


def activity_window_days(checklist: Checklist) -> int:
    """How far back the activity rules look, so only that much of the log is read."""
    days = [int(i.params.get("days", 30)) for i in checklist.items if i.rule == "recent_activity"]
    return max(days, default=0)


# -- history -------------------------------------------------------------------------------


def changes_between(before: Review, after: Review) -> tuple[Change, ...]:
    """Items whose status differs, in `after`'s order, then items only `before` had."""
    old, new = before.statuses(), after.statuses()
    order = [r.item_id for r in after.results] + [
        r.item_id for r in before.results if r.item_id not in new
    ]
    return tuple(
        Change(item_id, old.get(item_id), new.get(item_id))
        for item_id in order
        if old.get(item_id) != new.get(item_id)
    )


def diff_reviews(before: Review, after: Review) -> ReviewDiff:
    if before.network != after.network:
        raise UserError(
            f"Review {before.id} is of {before.network} and review {after.id} of "
            f"{after.network}: only reviews of one network can be compared."
        )
    return ReviewDiff(before, after, changes_between(before, after))


def history_entries(reviews: Sequence[Review]) -> list[HistoryEntry]:
    """Newest first, each with what changed since the review before it."""
    ordered = sorted(reviews, key=lambda r: (r.reviewed_at, r.id))
    entries = [
        HistoryEntry(
            review,
            ordered[n - 1] if n else None,
            changes_between(ordered[n - 1], review) if n else (),
        )
        for n, review in enumerate(ordered)
    ]
    return entries[::-1]


def review_due_on(last_reviewed: datetime | None, every_days: int, today: date) -> date | None:
    """The day a review fell due if it is due (today or earlier), else None.

    Never reviewed means due today: the checklist is most useful before the first campaign.
    """
    if last_reviewed is None:
        return today
    due = last_reviewed.astimezone().date() + timedelta(days=every_days)
    return due if due <= today else None


def next_review_on(last_reviewed: datetime | None, every_days: int, today: date) -> date:
    if last_reviewed is None:
        return today
    return last_reviewed.astimezone().date() + timedelta(days=every_days)


# -- the Markdown report -------------------------------------------------------------------


def review_markdown(
    review: Review, checklist: Checklist | None, previous: Review | None = None
) -> str:
    """A report a rep can keep or send to marketing: failures first, with why and how."""
    title = checklist.title if checklist else f"{review.network} profile"
    when = review.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M")
    lines = [f"# {title}: review {review.id}", "", f"Reviewed {when}. Score **{review.score}/100**"]
    if previous is not None:
        delta = review.score - previous.score
        lines[-1] += f" ({delta:+d} since review {previous.id})"
    lines[-1] += "."
    lines += ["", "The score is the share of the checklist's weight that passes; items not yet"]
    lines += ["checked count as not passed.", ""]
    by_status: dict[str, list[ItemResult]] = {s: [] for s in STATUSES}
    for result in review.results:
        by_status[result.status].append(result)
    sections = (
        ("fail", "To fix", True),
        ("unknown", "Not checked yet", True),
        ("pass", "Done", False),
    )
    for status, heading, explain in sections:
        results = by_status[status]
        if not results:
            continue
        lines += [f"## {heading} ({len(results)})", ""]
        for result in results:
            item = checklist.item(result.item_id) if checklist else None
            name = item.title if item else result.item_id
            if explain:
                lines += [f"### {name}", "", f"- **Found:** {result.detail}"]
                if item is not None:
                    lines += [f"- **Why it matters:** {item.why}", f"- **How to fix:** {item.how}"]
                if result.note:
                    lines.append(f"- **Note:** {result.note}")
                lines.append("")
            else:
                note = f" Note: {result.note.rstrip('.')}." if result.note else ""
                lines.append(f"- **{name}**: {result.detail}{note}")
        if not explain:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
