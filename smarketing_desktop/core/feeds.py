"""Feeds and entries as every screen and command sees them (plain data, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

PublicStatus = Literal["ok", "error", "pending"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class FeedInfo:
    id: int
    url: str
    title: str | None
    site_url: str | None
    kind: str
    purpose: str
    prospect_id: int | None
    prospect_name: str | None
    status: str  # pending | ok | error | gone
    error_kind: str | None
    error_message: str | None
    error_count: int
    entries: int
    unread: int
    last_checked: datetime | None
    next_check_at: datetime | None
    retry_after: datetime | None
    allow_remote_images: bool

    @property
    def public_status(self) -> PublicStatus:
        if self.status == "pending":
            return "pending"
        return "ok" if self.status == "ok" else "error"

    @property
    def display_title(self) -> str:
        return self.title or self.url

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "prospect_id": self.prospect_id,
            "status": self.public_status,
            "error": self.error_message if self.public_status == "error" else None,
            "entries": self.entries,
            "unread": self.unread,
            "last_checked": _iso(self.last_checked),
            "next_check": _iso(self.next_check_at),
            "kind": self.kind,
            "purpose": self.purpose,
        }


@dataclass(frozen=True)
class EntryInfo:
    id: int
    feed_id: int
    prospect_id: int | None
    feed_title: str | None
    title: str
    link: str | None
    author: str | None
    published: datetime | None
    summary: str | None
    content: str | None
    read: bool
    is_signal: bool
    signal_terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "feed_id": self.feed_id,
            "prospect_id": self.prospect_id,
            "title": self.title,
            "link": self.link,
            "published": _iso(self.published),
            "summary": self.summary,
            "content": self.content,
            "read": self.read,
            "signal": self.is_signal,
            "signal_terms": list(self.signal_terms),
        }


@dataclass(frozen=True)
class SignalRuleInfo:
    id: int
    phrase: str
    prospect_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "phrase": self.phrase, "prospect_id": self.prospect_id}
