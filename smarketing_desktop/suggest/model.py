"""The data the ranking engine reads and writes: plain, Qt-free and storage-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

SuggestionKind = Literal["share", "engage"]


@dataclass(frozen=True)
class ContentDoc:
    """A library item as the ranker sees it."""

    id: int
    title: str
    summary: str
    tags: tuple[str, ...]
    kind: str
    url: str


@dataclass(frozen=True)
class EntryDoc:
    """One of a prospect's posts as the ranker sees it (text already plain, no HTML)."""

    id: int
    prospect_id: int
    title: str
    text: str
    published: datetime | None
    is_signal: bool = False
    signal_terms: tuple[str, ...] = ()
    read: bool = False


@dataclass(frozen=True)
class ProspectDoc:
    id: int
    name: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    kind: SuggestionKind
    prospect_id: int
    content_id: int | None
    score: float
    reasons: tuple[str, ...]
    entry_id: int | None = None
    matched_terms: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "prospect_id": self.prospect_id,
            "content_id": self.content_id,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "entry_id": self.entry_id,
        }
