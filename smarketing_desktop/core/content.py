"""Marketing's content library: what an item is, and what counts as a valid one."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from smarketing_desktop.core.prospects import normalize_tags

# Stored value -> label shown to the rep. Order is the order menus show.
CONTENT_KINDS: dict[str, str] = {
    "blog_post": "Blog post",
    "e_book": "E-book",
    "webinar": "Webinar",
    "registration_page": "Registration page",
    "case_study": "Case study",
    "calculator": "Calculator",
    "other": "Other",
}
_KIND_ALIASES = {
    "blog": "blog_post",
    "post": "blog_post",
    "article": "blog_post",
    "ebook": "e_book",
    "whitepaper": "e_book",
    "white_paper": "e_book",
    "guide": "e_book",
    "registration": "registration_page",
    "event": "registration_page",
    "signup": "registration_page",
    "case": "case_study",
    "customer_story": "case_study",
    "tool": "calculator",
    "roi_calculator": "calculator",
    "video": "webinar",
}
MAX_TITLE = 500


@dataclass(frozen=True)
class ContentDraft:
    url: str
    title: str
    summary: str | None = None
    kind: str = "blog_post"
    tags: tuple[str, ...] = ()
    source: str | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class ContentItem:
    id: int
    url: str
    title: str
    summary: str | None
    kind: str
    tags: tuple[str, ...]
    source: str | None
    added_at: datetime
    expires_on: date | None
    source_feed_id: int | None = None

    @property
    def kind_label(self) -> str:
        return CONTENT_KINDS.get(self.kind, self.kind)

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "summary": self.summary,
            "type": self.kind,
            "tags": list(self.tags),
            "source": self.source,
            "added_at": self.added_at.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


class ContentError(ValueError):
    """A draft that cannot be stored; the message says which field and why."""


def normalize_kind(text: str) -> str:
    """'E-book', 'ebook', 'Registration page' -> stored kind; raises ContentError if unknown."""
    folded = re.sub(r"[^a-z]+", "_", text.strip().lower()).strip("_")
    if folded in CONTENT_KINDS:
        return folded
    if folded.replace("_", "") in {k.replace("_", "") for k in CONTENT_KINDS}:
        return next(k for k in CONTENT_KINDS if k.replace("_", "") == folded.replace("_", ""))
    if folded in _KIND_ALIASES:
        return _KIND_ALIASES[folded]
    allowed = ", ".join(label.lower() for label in CONTENT_KINDS.values())
    raise ContentError(f"Type {text!r} is not one of: {allowed}.")


def validate_content(draft: ContentDraft) -> ContentDraft:
    url = draft.url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ContentError(
            f"URL {draft.url!r} must be a web address starting with http:// or https://."
        )
    title = " ".join(draft.title.split())
    if not title:
        raise ContentError("Title is required.")
    if len(title) > MAX_TITLE:
        raise ContentError(f"Title is longer than {MAX_TITLE} characters.")
    summary = " ".join((draft.summary or "").split()) or None
    return replace(
        draft,
        url=url,
        title=title,
        summary=summary,
        kind=normalize_kind(draft.kind),
        tags=normalize_tags(draft.tags),
    )
