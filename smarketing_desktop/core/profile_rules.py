"""The automatic checks behind the profile checklist: pure functions over a plain dict.

Each rule reads one profile field (or the activity log) and says pass, fail or unknown with a
detail a rep can act on ("221 characters (at most 220)", "300x300 pixels: smaller than 400x400").
The profile is a plain dict so that a profile file typed by the rep today and an X account
connection tomorrow feed the same rules; images arrive as `ImageFacts` (size already read) or as
a dict with `width` and `height`, so no rule touches the disk, the database or the clock.

The same convention holds for every rule: a field left out of the profile is `unknown` (nobody
said), a field given empty (`""`, `[]`, `null`) fails (the profile really lacks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any, Literal
from urllib.parse import urlsplit

from smarketing_desktop.core.image_check import ImageFacts
from smarketing_desktop.core.wording import plural

Status = Literal["pass", "fail", "unknown"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "unknown")

# Words that make an About section about the reader or about the writer. First person plural
# ("we", "our") is left out on purpose: "we help teams like yours" is how many good About
# sections speak for the rep's company, and the point of the check is "me, me, me".
SECOND_PERSON = frozenset(
    {"you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd"}
)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd"})

# What a buyer can do next. Matched as whole words, case-insensitively; links and e-mail
# addresses count too (they are the call to action's "where").
CTA_PHRASES: tuple[str, ...] = (
    "book a", "book time", "book some time", "get in touch", "contact me", "contact us",
    "schedule", "let's talk", "let's chat", "let's connect", "reach out", "dm me", "message me",
    "email me", "e-mail me", "call me", "send me", "talk to me", "drop me",
)  # fmt: skip
_LINK = re.compile(r"https?://\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# LinkedIn's made-up profile addresses end in a dash and a hex tail: jane-doe-1a2b3c4d.
_GENERATED_SLUG = re.compile(r"-(?=[0-9a-f]*[0-9])[0-9a-f]{6,}$")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str


@dataclass(frozen=True)
class ActivityFact:
    """One logged touch, as the activity rule sees it (kind such as share_linkedin, comment)."""

    kind: str
    occurred_at: datetime


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may know besides the profile: passed in, so rules stay pure."""

    now: datetime
    keywords: tuple[str, ...] = ()
    activity: tuple[ActivityFact, ...] = ()


ParamKind = Literal["str", "int", "number", "strs"]


@dataclass(frozen=True)
class ParamSpec:
    kind: ParamKind
    required: bool = False
    minimum: float | None = None
    help: str = ""


RuleCheck = Callable[[Mapping[str, Any], Mapping[str, Any], RuleContext], Outcome]

# What a rule needs its profile field to hold, as typed in a profile file. A rule given the
# wrong type gives wrong advice (an About given as a list fails "length" yet passes "call to
# action"), so a profile file is checked against these before anything is evaluated.
FieldKind = Literal["text", "texts", "image", "dates", "count", "any"]
FIELD_KIND_TEXT: dict[FieldKind, str] = {
    "text": "text",
    "texts": "text or a list of texts",
    "image": "the path of an image file (or its width and height)",
    "dates": "a date such as 2027-03-31, or a list of them",
    "count": "a number or a list",
    "any": "text, a number, a list or an object",
}


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_texts(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _is_image(value: Any) -> bool:
    """A path, or what an account connection reports ({"width": 1500, "height": 500})."""
    return isinstance(value, str) or (
        isinstance(value, dict) and ("width" in value or "height" in value or "verdict" in value)
    )


def _is_count(value: Any) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number or isinstance(value, list)


_FIELD_CHECKS: dict[FieldKind, Callable[[Any], bool]] = {
    "text": _is_text,
    "texts": _is_texts,
    "image": _is_image,
    "dates": _is_texts,
    "count": _is_count,
    "any": lambda value: True,
}


def field_fits(kind: FieldKind, value: Any) -> bool:
    """Whether a profile file's `value` is what a `kind` field holds; null always fits (it
    means "given, but empty", which the rules fail on purpose)."""
    return value is None or _FIELD_CHECKS[kind](value)


def describe_value(value: Any) -> str:
    """ "a list", "a number": what the rep typed instead, for the message."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "text"


@dataclass(frozen=True)
class Rule:
    """A named check; `params` declares what a checklist item may (or must) configure.

    `field_kind` is what the field named by the `field` param must hold in a profile file;
    `count_with` names a param that, when the item sets it, makes it a count instead ("filled"
    with min_items: 3 recommendations, not the text "3").
    """

    name: str
    check: RuleCheck
    description: str
    params: Mapping[str, ParamSpec] = field(default_factory=dict)
    reads_image: bool = False
    field_kind: FieldKind = "any"
    count_with: str = ""

    def expects(self, params: Mapping[str, Any]) -> FieldKind:
        """What this rule, configured by `params`, needs its profile field to hold."""
        if self.count_with and self.count_with in params:
            return "count"
        return self.field_kind


# -- helpers -------------------------------------------------------------------------------


def split_keywords(text: str) -> tuple[str, ...]:
    """Marketing's keyword phrases from the `profile_keywords` setting ("a; b c; d")."""
    seen: set[str] = set()
    phrases: list[str] = []
    for part in text.split(";"):
        phrase = " ".join(part.split())
        if phrase and phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            phrases.append(phrase)
    return tuple(phrases)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = phrase.translate(_APOSTROPHES).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def find_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases that occur in `text` as whole words, ignoring case and spacing."""
    normalized = text.translate(_APOSTROPHES)
    return [p for p in phrases if p.strip() and _phrase_pattern(p).search(normalized)]


def count_persons(text: str) -> tuple[int, int]:
    """(you/your words, I/me/my words) in `text`."""
    words = _WORD.findall(text.translate(_APOSTROPHES).lower())
    return (
        sum(1 for w in words if w in SECOND_PERSON),
        sum(1 for w in words if w in FIRST_PERSON),
    )


def is_empty(value: Any) -> bool:
    """Given, but with nothing in it: fails the item rather than leaving it unknown."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not any(
            not is_empty(v) for v in (value.values() if isinstance(value, dict) else value)
        )
    return False


def _label(params: Mapping[str, Any]) -> str:
    label = params.get("label")
    if isinstance(label, str) and label:
        return label
    return str(params.get("field", "field")).replace("_", " ")


def _field_value(params: Mapping[str, Any], profile: Mapping[str, Any]) -> Outcome | Any:
    """The field's value, or the Outcome when it is missing (unknown) or empty (fail)."""
    name = str(params["field"])
    if name not in profile:
        return Outcome("unknown", f"No {_label(params)} in the profile data ('{name}').")
    value = profile[name]
    if isinstance(value, ImageFacts):
        return value
    if is_empty(value):
        return Outcome("fail", f"Empty: no {_label(params)} given ('{name}').")
    return value


def _text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return None


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{i}"' for i in items)


# -- the rules -----------------------------------------------------------------------------


def check_text_length(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    if not isinstance(value, str):
        return Outcome("fail", f"The {_label(params)} must be text.")
    length = len(value.strip())
    low, high = params.get("min"), params.get("max")
    limits = " and ".join(
        part
        for part in (
            f"at least {low}" if low is not None else "",
            f"at most {high}" if high is not None else "",
        )
        if part
    )
    if (low is not None and length < low) or (high is not None and length > high):
        return Outcome("fail", f"The {_label(params)} is {length} characters ({limits}).")
    return Outcome("pass", f"{length} characters ({limits}).")


def check_keywords(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    """Passes when the field holds at least `min_matches` of marketing's keyword phrases."""
    if not context.keywords:
        return Outcome(
            "unknown",
            "No keyword phrases to look for: set profile_keywords to the phrases marketing "
            "wants (separated by ;).",
        )
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    text = _text_of(value)
    if text is None:
        return Outcome("fail", f"The {_label(params)} must be text or a list of texts.")
    wanted = int(params.get("min_matches", 1))
    found = find_phrases(text, context.keywords)
    if len(found) >= wanted:
        return Outcome("pass", f"Uses {_quoted(found)}.")
    if not found:
        return Outcome("fail", f"The {_label(params)} uses none of {_quoted(context.keywords)}.")
    return Outcome(
        "fail", f"The {_label(params)} uses {_quoted(found)}; at least {wanted} phrases wanted."
    )


def check_you_vs_i(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    """Written for the customer: "you/your" must outnumber "I/me/my"."""
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    text = _text_of(value)
    if text is None:
        return Outcome("fail", f"The {_label(params)} must be text.")
    you, me = count_persons(text)
    counts = f"{you} you/your against {me} I/me/my"
    if you > me:
        return Outcome("pass", f"{counts}: written for the customer.")
    return Outcome("fail", f"{counts}: it talks about you more than about the customer.")


def check_call_to_action(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    text = _text_of(value)
    if text is None:
        return Outcome("fail", f"The {_label(params)} must be text.")
    phrases = params.get("phrases") or CTA_PHRASES
    found = find_phrases(text, phrases)
    if found:
        return Outcome("pass", f"Call to action: {_quoted(found[:3])}.")
    link = _LINK.search(text)
    if link:
        return Outcome("pass", f"Call to action: a link ({_short(link.group(0), 40)}).")
    return Outcome(
        "fail",
        f'The {_label(params)} has no call to action (such as "book a call", '
        '"get in touch", "reach out" or a link).',
    )


def _image_facts(value: Any) -> ImageFacts | None:
    if isinstance(value, ImageFacts):
        return value
    if isinstance(value, Mapping):
        width, height = value.get("width"), value.get("height")
        name = str(value.get("file") or value.get("url") or "image")
        if all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)):
            return ImageFacts(name, width=width, height=height)
    return None


# An account connection that saw an image without measuring it may only say it fails (X's
# default avatar, no header at all) or that the rep must judge it; a pass needs a size.
_UNMEASURED_VERDICTS: frozenset[str] = frozenset({"fail", "unknown"})


def _unmeasured(value: Any) -> Outcome | None:
    """`{"verdict": "fail" | "unknown", "reason": ...}` without a size: the connection's word."""
    if not isinstance(value, Mapping) or "width" in value or "height" in value:
        return None
    verdict, reason = value.get("verdict"), value.get("reason")
    if verdict not in _UNMEASURED_VERDICTS or not isinstance(reason, str):
        return None
    return Outcome("fail" if verdict == "fail" else "unknown", reason)


def _ratio_text(aspect: float) -> str:
    return f"{aspect:g}:1"


def check_image(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    """Big enough and the right shape; the detail always gives the actual size.

    An image an account connection reported without a size (see `_unmeasured`) carries its
    own fail or unknown verdict and reason, since there is no size to judge.
    """
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    verdict = _unmeasured(value)
    if verdict is not None:
        return verdict
    facts = _image_facts(value)
    label = _label(params)
    if facts is None and isinstance(value, str):
        # A path nobody opened: `checklists.prepare_profile` turns paths into facts first.
        return Outcome("unknown", f"The {label} file {value!r} was not opened.")
    if facts is None:
        return Outcome(
            "fail", f"The {label} must be a file path (or a width and height): {value!r}."
        )
    if facts.problem or facts.width is None or facts.height is None:
        return Outcome("fail", f"The {label} cannot be used: {facts.problem or 'no size'}.")
    width, height = facts.width, facts.height
    size = f"{width}x{height} pixels"
    problems: list[str] = []
    min_w, min_h = int(params.get("min_width", 0)), int(params.get("min_height", 0))
    if width < min_w or height < min_h:
        problems.append(f"smaller than {min_w}x{min_h}")
    aspect = params.get("aspect")
    if aspect is not None:
        tolerance = float(params.get("tolerance", 0.1))
        ratio = width / height
        if abs(ratio / float(aspect) - 1) > tolerance:
            shape = "square" if float(aspect) == 1 else _ratio_text(float(aspect))
            problems.append(
                f"not {shape} ({ratio:.2f}:1; wanted {_ratio_text(float(aspect))} "
                f"within {tolerance:.0%})"
            )
    if problems:
        return Outcome("fail", f"The {label} is {size}: {' and '.join(problems)}.")
    return Outcome("pass", f"{size} ({facts.name}).")


def _slug(value: str, prefix: str) -> tuple[str | None, str]:
    """(slug, shown address); slug is None when the address is not under `prefix`."""
    text = value.strip()
    address = re.sub(r"^[a-z]+://", "", text, flags=re.IGNORECASE).removeprefix("www.")
    address = address.split("?")[0].split("#")[0].rstrip("/")
    if "/" not in address and "." not in address:
        return address, prefix + address
    lowered, wanted = address.lower(), prefix.lower().removeprefix("www.")
    if not lowered.startswith(wanted):
        return None, address
    return address[len(wanted) :].split("/")[0], address


def check_custom_url(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    """A chosen address (linkedin.com/in/jane-doe), not the generated jane-doe-1a2b3c4d."""
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    if not isinstance(value, str):
        return Outcome("fail", f"The {_label(params)} must be text.")
    prefix = str(params.get("prefix", "linkedin.com/in/"))
    slug, shown = _slug(value, prefix)
    if slug is None:
        return Outcome("fail", f"{shown} is not a {prefix} address.")
    if len(slug) < 3:
        return Outcome("fail", f"{shown}: the name after {prefix} is missing or too short.")
    generated = _GENERATED_SLUG.search(slug.lower())
    if generated:
        return Outcome(
            "fail",
            f"{shown} still ends in the generated {generated.group(0)}: choose your own.",
        )
    return Outcome("pass", f"{shown}.")


def check_filled(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    """Present and not empty; a number or a list counts as how many (recommendations: 3)."""
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    label = _label(params)
    wanted = int(params.get("min_items", 1))
    if isinstance(value, bool):
        count, shown = int(value), "yes" if value else "no"
    elif isinstance(value, int | float):
        count, shown = int(value), f"{value:g}"
    elif isinstance(value, str):
        count, shown = 1, f'"{_short(value)}"'
    elif isinstance(value, dict):
        keys = [str(k) for k, v in value.items() if not is_empty(v)]
        count, shown = len(keys), ", ".join(keys)
    elif isinstance(value, list | tuple):
        given = [v for v in value if not is_empty(v)]
        count = len(given)
        names = [_short(v, 30) if isinstance(v, str) else "…" for v in given[:3]]
        shown = f"{count}" + (f" ({', '.join(names)}{', …' if count > 3 else ''})" if names else "")
    else:
        return Outcome("fail", f"The {label} has a value that cannot be read: {value!r}.")
    if count < wanted:
        return Outcome("fail", f"The {label}: {shown}; at least {wanted} wanted.")
    return Outcome("pass", f"{label.capitalize()}: {shown}.")


def check_url(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    value = _field_value(params, profile)
    if isinstance(value, Outcome):
        return value
    if not isinstance(value, str):
        return Outcome("fail", f"The {_label(params)} must be a web address.")
    text = value.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in text:
        return Outcome("fail", f"{text!r} is not a web address.")
    return Outcome("pass", f"Links to {host.removeprefix('www.')}.")


def _when(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def check_recent_activity(
    params: Mapping[str, Any], profile: Mapping[str, Any], context: RuleContext
) -> Outcome:
    """Posts, shares or comments within `days`, from the activity log.

    Kinds are shell-style patterns (`share_linkedin`, `share_*`, `comment`). An optional
    `field` names profile dates (ISO, one or a list) that count too: what an account
    connection reports as the latest posts, for activity that never went through the app.
    """
    days = int(params.get("days", 30))
    kinds = params.get("kinds") or ("share_*", "comment")
    cutoff = (context.now - timedelta(days=days)).astimezone().date()
    today = context.now.astimezone().date()
    moments = [
        a.occurred_at.astimezone().date()
        for a in context.activity
        if any(fnmatchcase(a.kind, pattern) for pattern in kinds)
    ]
    name = params.get("field")
    if isinstance(name, str) and name in profile:
        given = profile[name]
        values = given if isinstance(given, list) else [given]
        for raw in values:
            day = _when(raw)
            if raw is not None and day is None:
                return Outcome("fail", f"{name}: {raw!r} is not a date like 2027-03-31.")
            if day is not None:
                moments.append(day)
    recent = sorted((d for d in moments if cutoff <= d <= today), reverse=True)
    if recent:
        return Outcome(
            "pass",
            f"{plural(len(recent), 'post, share or comment', 'posts, shares or comments')} "
            f"in the last {days} days "
            f"(latest {recent[0].isoformat()}).",
        )
    earlier = [d for d in moments if d < cutoff]
    last = f"the last was {max(earlier).isoformat()}" if earlier else "none logged yet"
    return Outcome("fail", f"No posts, shares or comments in the last {days} days ({last}).")


_FIELD = ParamSpec("str", required=True, help="the profile field it reads")
_LABEL = ParamSpec("str", help="how the detail names the field")

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "text_length",
            check_text_length,
            "Text of a fitting length.",
            {
                "field": _FIELD,
                "label": _LABEL,
                "min": ParamSpec("int", minimum=0),
                "max": ParamSpec("int", minimum=1),
            },
            field_kind="text",
        ),
        Rule(
            "keywords",
            check_keywords,
            "Uses marketing's keyword phrases (the profile_keywords setting).",
            {"field": _FIELD, "label": _LABEL, "min_matches": ParamSpec("int", minimum=1)},
            field_kind="texts",
        ),
        Rule(
            "you_vs_i",
            check_you_vs_i,
            "Says you/your more often than I/me/my.",
            {"field": _FIELD, "label": _LABEL},
            field_kind="text",
        ),
        Rule(
            "call_to_action",
            check_call_to_action,
            "Tells the reader what to do next (a phrase such as 'book a' or a link).",
            {"field": _FIELD, "label": _LABEL, "phrases": ParamSpec("strs")},
            field_kind="text",
        ),
        Rule(
            "image",
            check_image,
            "An image at least min_width x min_height, width/height within tolerance of aspect.",
            {
                "field": _FIELD,
                "label": _LABEL,
                "min_width": ParamSpec("int", minimum=1),
                "min_height": ParamSpec("int", minimum=1),
                "aspect": ParamSpec("number", minimum=0.01),
                "tolerance": ParamSpec("number", minimum=0),
            },
            reads_image=True,
            field_kind="image",
        ),
        Rule(
            "custom_url",
            check_custom_url,
            "A profile address the rep chose rather than the generated one.",
            {"field": _FIELD, "label": _LABEL, "prefix": ParamSpec("str")},
            field_kind="text",
        ),
        Rule(
            "filled",
            check_filled,
            "Given and not empty; lists and numbers need at least min_items.",
            {"field": _FIELD, "label": _LABEL, "min_items": ParamSpec("int", minimum=1)},
            count_with="min_items",
        ),
        Rule(
            "url",
            check_url,
            "A web address.",
            {"field": _FIELD, "label": _LABEL},
            field_kind="text",
        ),
        Rule(
            "recent_activity",
            check_recent_activity,
            "Posts, shares or comments logged within the last `days` days.",
            {
                "days": ParamSpec("int", minimum=1),
                "kinds": ParamSpec("strs"),
                "field": ParamSpec("str"),
            },
            field_kind="dates",
        ),
    )
}
