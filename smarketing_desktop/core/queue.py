"""Queued shares and follow-ups as screens and commands see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

QueueStatus = Literal["queued", "ready", "posted", "done", "failed"]


@dataclass(frozen=True)
class QueueItemInfo:
    id: int
    kind: str  # share | followup
    channel: str | None
    text: str
    url: str | None
    prospect_id: int | None
    content_id: int | None
    entry_id: int | None
    scheduled_at: datetime | None
    due_on: date | None
    status: str
    share_url: str | None
    posted_at: datetime | None = None
    external_url: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "channel": self.channel,
            "text": self.text,
            "url": self.url,
            "prospect_id": self.prospect_id,
            "content_id": self.content_id,
            "scheduled_at": self.scheduled_at.astimezone().isoformat()
            if self.scheduled_at
            else None,
            "due": self.due_on.isoformat() if self.due_on else None,
            "status": self.status,
            "share_url": self.share_url,
            "posted_at": self.posted_at.astimezone().isoformat() if self.posted_at else None,
            "error": self.error,
        }
