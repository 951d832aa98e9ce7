"""What a prospect is and what counts as a valid one, independent of storage and widgets.

Validation returns messages per field so the window can show each one next to its field, and
the command line can print the first one. Inputs are forgiving (a pasted profile URL is as good
as a handle); what gets stored is normalised.

Each prospect may have its own touch cadence (ideal and maximum days between touches); empty
means "the settings default", so changing the default moves every prospect that never chose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from smarketing_desktop.core.cadence import Cadence

MAX_NAME = 200
MAX_TEXT = 200
MAX_TAG = 100
MAX_TOUCH_DAYS = 365  # a year: past that a "cadence" is no longer staying in touch
DEFAULT_WORD = "default"

_X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_X_HOSTS = {"x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com"}
_MASTODON_HANDLE = re.compile(r"^@?([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")
_BSKY_DID = re.compile(r"^did:(plc|web):[A-Za-z0-9._:%-]+$")

# Field names as users see them, for messages.
LABELS = {
    "name": "Name",
    "company": "Company",
    "title": "Title",
    "email": "Email",
    "x_handle": "X handle",
    "linkedin_url": "LinkedIn URL",
    "blog_url": "Blog or site URL",
    "mastodon_handle": "Mastodon handle",
    "bluesky_handle": "Bluesky handle",
    "tags": "Tags",
    "notes": "Notes",
    "touch_ideal_days": "Ideal touch interval",
    "touch_max_days": "Maximum touch interval",
}


@dataclass(frozen=True)
class ProspectDraft:
    """A prospect as typed by the user or read from a file: not yet validated or stored."""

    name: str = ""
    company: str | None = None
    title: str | None = None
    email: str | None = None
    x_handle: str | None = None
    linkedin_url: str | None = None
    blog_url: str | None = None
    mastodon_handle: str | None = None
    bluesky_handle: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    touch_ideal_days: int | None = None  # None: the settings default
    touch_max_days: int | None = None


@dataclass(frozen=True)
class Prospect:
    """A stored prospect, as every screen and command sees it."""

    id: int
    name: str
    company: str | None
    title: str | None
    email: str | None
    x_handle: str | None
    linkedin_url: str | None
    blog_url: str | None
    mastodon_handle: str | None
    bluesky_handle: str | None
    tags: tuple[str, ...]
    notes: str | None
    last_touch_at: datetime | None
    created_at: datetime
    updated_at: datetime
    account_id: int | None = None
    feed_count: int = 0
    touch_ideal_days: int | None = None  # the prospect's own; None follows the default
    touch_max_days: int | None = None
    # The settings' cadence when this was read, so every screen can show the effective values
    # without a second trip to the database.
    touch_defaults: Cadence = field(default_factory=Cadence)

    @property
    def cadence(self) -> Cadence:
        """The intervals that decide whether this prospect is going cold."""
        return effective_cadence(self.touch_ideal_days, self.touch_max_days, self.touch_defaults)

    def to_draft(self) -> ProspectDraft:
        values = {f.name: getattr(self, f.name) for f in fields(ProspectDraft)}
        return ProspectDraft(**values)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["tags"] = list(self.tags)
        for key in ("last_touch_at", "created_at", "updated_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        del data["touch_defaults"]
        cadence = self.cadence
        data["touch"] = {
            "ideal_days": cadence.ideal_days,
            "max_days": cadence.max_days,
            "ideal_is_default": self.touch_ideal_days is None,
            "max_is_default": self.touch_max_days is None,
        }
        return data


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def moment_text(moment: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """ "Mon 23 Nov 2026 05:27 (today)": a stored UTC time as the rep reads their calendar.

    Local time (or `zone`), with how long ago in days, because "when did I last talk to Sam"
    is a question about days. Names are spelled out here rather than taken from the locale,
    so the output is the same on every machine and in every test.
    """
    local = moment.astimezone(zone)
    days = (now.astimezone(zone).date() - local.date()).days
    if days == 0:
        ago = "today"
    elif days == 1:
        ago = "yesterday"
    elif days > 1:
        ago = f"{days} days ago"
    else:
        ago = "in the future: check the computer's clock"
    return (
        f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year} "
        f"{local:%H:%M} ({ago})"
    )


# Shown wherever a follow-up or deal still points at a prospect who was removed: deals and
# done follow-ups are kept (see `RemovalImpact`), and an empty name would look like a bug.
REMOVED_PROSPECT = "(prospect removed)"


@dataclass(frozen=True)
class RemovalImpact:
    """What else removing a prospect touches, so the rep is told before, not surprised after.

    Removing keeps the prospect's deals: a deal is with the company, usually outlives one
    contact, and its plan and amount are the forecast; it then shows REMOVED_PROSPECT until
    the rep picks a new contact. Open follow-ups ("call Sam on Tuesday") are removed with the
    prospect: nobody is left to do them for, and keeping them would put nameless tasks on
    Today. Follow-ups already done stay as history.
    """

    prospect_id: int
    name: str
    open_deals: int
    open_followups: int

    @property
    def affects_more(self) -> bool:
        return bool(self.open_deals or self.open_followups)

    def summary(self) -> str:
        """ "Sam Carter has 1 open deal and 2 follow-ups" (empty when nothing else is affected)."""
        parts = [
            _count(self.open_deals, "open deal"),
            _count(self.open_followups, "follow-up"),
        ]
        shown = [p for p in parts if p]
        return f"{self.name} has {' and '.join(shown)}" if shown else ""

    def consequence(self) -> str:
        """What happens to them, in the words the window and the command line both use."""
        parts = []
        if self.open_followups == 1:
            parts.append("their follow-up is removed with them")
        elif self.open_followups:
            parts.append(f"their {self.open_followups} follow-ups are removed with them")
        if self.open_deals:
            which = "the deal stays" if self.open_deals == 1 else "the deals stay"
            parts.append(f"{which}, shown with {REMOVED_PROSPECT}")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "." if text else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "prospect_id": self.prospect_id,
            "name": self.name,
            "open_deals": self.open_deals,
            "open_followups": self.open_followups,
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""


def effective_cadence(ideal: int | None, maximum: int | None, defaults: Cadence) -> Cadence:
    """A prospect's own intervals where set, the defaults elsewhere.

    Validation keeps a prospect's own pair consistent, but the defaults can change afterwards
    (own ideal 20 days, default maximum lowered to 15): the maximum then stays one day past the
    ideal rather than making the prospect red before it is ever amber.
    """
    ideal_days = ideal if ideal is not None else defaults.ideal_days
    max_days = maximum if maximum is not None else defaults.max_days
    return Cadence(ideal_days, max(max_days, ideal_days + 1))


def parse_touch_days(text: str | None) -> tuple[int | None, str | None]:
    """(days or None for the default, error) from what a user typed or a CSV cell held.

    Empty or "default" means the settings default, so a cleared cell and the command line's
    `--ideal-days default` say the same thing.
    """
    value = (text or "").strip()
    if not value or value.casefold() == DEFAULT_WORD:
        return None, None
    try:
        return int(value), None
    except ValueError:
        return None, f"should be a whole number of days or '{DEFAULT_WORD}', not {value!r}"


@dataclass
class ValidationResult:
    draft: ProspectDraft
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def first_error(self) -> str:
        name, message = next(iter(self.errors.items()))
        return f"{LABELS.get(name, name)}: {message}"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    return value or None


def normalize_tags(raw: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    """Tags split on commas or semicolons, trimmed, deduplicated ignoring case, order kept."""
    items = (
        re.split(r"[;,]", raw)
        if isinstance(raw, str)
        else [p for t in raw for p in re.split(r"[;,]", t)]
    )
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        tag = " ".join(item.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def _web_url(value: str) -> tuple[str | None, str | None]:
    """(normalised URL, error). Adds https:// when the scheme is missing."""
    candidate = value if "://" in value else f"https://{value}"
    parts = urlsplit(candidate)
    if parts.scheme not in ("http", "https"):
        return None, "must be a web address starting with http:// or https://"
    host = (parts.hostname or "").lower()
    if not host or not (
        _DOMAIN.match(host) or host == "localhost" or host.replace(".", "").isdigit()
    ):
        return None, "is not a valid web address"
    return candidate, None


def normalize_x_handle(value: str) -> tuple[str | None, str | None]:
    handle = value.strip()
    if "/" in handle:
        parts = urlsplit(handle if "://" in handle else f"https://{handle}")
        if (parts.hostname or "").lower() not in _X_HOSTS:
            return None, "should be a handle like @jane or an x.com profile link"
        handle = parts.path.strip("/").split("/")[0]
    handle = handle.lstrip("@")
    if not _X_HANDLE.match(handle):
        return None, "should be 1-15 letters, digits or underscores, like @jane_doe"
    return handle, None


def normalize_mastodon(value: str) -> tuple[str | None, str | None]:
    text = value.strip()
    if "://" in text or text.startswith(("www.",)):
        parts = urlsplit(text if "://" in text else f"https://{text}")
        path = parts.path.strip("/").split("/")
        user = path[0] if path else ""
        host = parts.hostname or ""
        if user.startswith("@") and host:
            text = f"{user}@{host}"
        else:
            return None, "should look like @user@instance.social or a profile link"
    match = _MASTODON_HANDLE.match(text)
    if not match:
        return None, "should look like @user@instance.social"
    return f"@{match.group(1)}@{match.group(2).lower()}", None


def normalize_bluesky(value: str) -> tuple[str | None, str | None]:
    text = value.strip()
    if "://" in text or text.startswith("bsky.app/"):
        parts = urlsplit(text if "://" in text else f"https://{text}")
        path = parts.path.strip("/").split("/")
        if (parts.hostname or "").lower() != "bsky.app" or len(path) < 2 or path[0] != "profile":
            return None, "should be a handle like jane.bsky.social or a bsky.app profile link"
        text = path[1]
    text = text.lstrip("@")
    if _BSKY_DID.match(text):
        return text, None
    if not _DOMAIN.match(text):
        return None, "should be a handle like jane.bsky.social"
    return text.lower(), None


def normalize_linkedin(value: str) -> tuple[str | None, str | None]:
    url, error = _web_url(value.strip())
    if error or url is None:
        return None, error
    host = (urlsplit(url).hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None, "should be a linkedin.com profile link"
    return url, None


def validate_prospect(draft: ProspectDraft, defaults: Cadence | None = None) -> ValidationResult:
    """Normalise every field and collect one message per bad field.

    `defaults` (the settings' cadence) lets a prospect that sets only one touch interval be
    checked against the other's default.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    name = _clean(draft.name) or ""
    if not name:
        errors["name"] = "is required"
    elif len(name) > MAX_NAME:
        errors["name"] = f"is longer than {MAX_NAME} characters"
    values["name"] = name

    for key in ("company", "title"):
        text = _clean(getattr(draft, key))
        if text and len(text) > MAX_TEXT:
            errors[key] = f"is longer than {MAX_TEXT} characters"
        values[key] = text

    email = _clean(draft.email)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = f"is not a valid address ({exc})"
    values["email"] = email

    checks = {
        "x_handle": normalize_x_handle,
        "linkedin_url": normalize_linkedin,
        "blog_url": lambda v: _web_url(v.strip()),
        "mastodon_handle": normalize_mastodon,
        "bluesky_handle": normalize_bluesky,
    }
    for key, check in checks.items():
        raw = _clean(getattr(draft, key))
        if raw:
            normalised, error = check(raw)
            if error:
                errors[key] = error
            raw = normalised or raw
        values[key] = raw

    tags = normalize_tags(draft.tags)
    long_tags = [t for t in tags if len(t) > MAX_TAG]
    if long_tags:
        errors["tags"] = f"a tag is longer than {MAX_TAG} characters"
    values["tags"] = tags
    values["notes"] = (draft.notes or "").strip() or None
    errors.update(_touch_errors(draft.touch_ideal_days, draft.touch_max_days, defaults))

    return ValidationResult(replace(draft, **values), errors)


def _touch_errors(
    ideal: int | None, maximum: int | None, defaults: Cadence | None
) -> dict[str, str]:
    """Range checks, then maximum > ideal, against the defaults where a side is not set.

    Without `defaults` (a CSV file read before the database is known) only a pair the prospect
    sets both halves of can be compared.
    """
    errors: dict[str, str] = {}
    if ideal is not None and not 1 <= ideal <= MAX_TOUCH_DAYS:
        errors["touch_ideal_days"] = f"must be from 1 to {MAX_TOUCH_DAYS} days"
    if maximum is not None and not 2 <= maximum <= MAX_TOUCH_DAYS:
        errors["touch_max_days"] = f"must be from 2 to {MAX_TOUCH_DAYS} days"
    if errors or (ideal is None and maximum is None):
        return errors
    if ideal is not None and maximum is not None:
        if maximum <= ideal:
            errors["touch_max_days"] = f"must be more than the ideal interval ({ideal} days)"
    elif defaults is not None:
        if ideal is not None and defaults.max_days <= ideal:
            errors["touch_max_days"] = (
                f"must be more than the ideal interval ({ideal} days); the default maximum is "
                f"{defaults.max_days} days, so set a maximum for this prospect too"
            )
        elif maximum is not None and maximum <= defaults.ideal_days:
            errors["touch_ideal_days"] = (
                f"must be less than the maximum interval ({maximum} days); the default ideal is "
                f"{defaults.ideal_days} days, so set an ideal for this prospect too"
            )
    return errors
