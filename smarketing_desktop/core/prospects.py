"""What a prospect is and what counts as a valid one, independent of storage and widgets.

Validation returns messages per field so the window can show each one next to its field, and
the command line can print the first one. Inputs are forgiving (a pasted profile URL is as good
as a handle); what gets stored is normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

MAX_NAME = 200
MAX_TEXT = 200
MAX_TAG = 100

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

    def to_draft(self) -> ProspectDraft:
        values = {f.name: getattr(self, f.name) for f in fields(ProspectDraft)}
        return ProspectDraft(**values)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["tags"] = list(self.tags)
        for key in ("last_touch_at", "created_at", "updated_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data


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


def validate_prospect(draft: ProspectDraft) -> ValidationResult:
    """Normalise every field and collect one message per bad field."""
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

    return ValidationResult(replace(draft, **values), errors)
