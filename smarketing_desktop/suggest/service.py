"""Suggestions from the workspace: load what the ranker needs, apply what the rep already did.

One call builds a fresh index (the library is small; a few thousand posts take a second).
A long-running window can keep an index and feed it new posts with `add_entries` instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from smarketing_desktop import clock
from smarketing_desktop.db.repositories.content import ContentQuery, ContentRepository
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.sanitize import html_to_text
from smarketing_desktop.suggest.model import ContentDoc, EntryDoc, ProspectDoc, Suggestion
from smarketing_desktop.suggest.ranking import SuggestionIndex

ENGAGE_WINDOW = timedelta(days=14)


def build_index(db: Database, now: datetime | None = None) -> SuggestionIndex:
    moment = now or clock.now()
    index = SuggestionIndex(now=moment)
    items = ContentRepository(db).find(ContentQuery(include_expired=False))
    index.set_content(
        [ContentDoc(i.id, i.title, i.summary or "", i.tags, i.kind, i.url) for i in items]
    )
    index.set_prospects([ProspectDoc(p.id, p.name, p.tags) for p in ProspectRepository(db).find()])
    posts = FeedRepository(db).list_entries(EntryQuery(limit=None))
    index.add_entries(
        [
            EntryDoc(
                id=e.id,
                prospect_id=e.prospect_id,
                title=e.title,
                text=" ".join(filter(None, [e.summary, html_to_text(e.content or "")])),
                published=e.published,
                is_signal=e.is_signal,
                signal_terms=e.signal_terms,
                read=e.read,
            )
            for e in posts
            if e.prospect_id is not None
        ]
    )
    return index


def suggest(
    db: Database,
    *,
    prospect_id: int | None = None,
    limit: int = 20,
    per_prospect: int = 5,
    now: datetime | None = None,
) -> list[Suggestion]:
    """Share and engage suggestions, best first: buying-signal posts to answer, then content
    by relevance, then other fresh posts. Never what was shared, queued or dismissed."""
    moment = now or clock.now()
    if prospect_id is not None:
        ProspectRepository(db).get(prospect_id)  # a clear error for an unknown id
    index = build_index(db, moment)
    content = ContentRepository(db)
    excluded = content.excluded_content()
    handled = content.handled_entries()
    if prospect_id is not None:
        shares = {
            prospect_id: index.rank(
                prospect_id, limit=per_prospect, exclude=excluded.get(prospect_id, ())
            )
        }
    else:
        shares = index.rank_all(limit=per_prospect, exclude=excluded)
    engage: list[Suggestion] = []
    for pid in shares:
        engage.extend(index.engage(pid, limit=3, since=moment - ENGAGE_WINDOW, exclude=handled))
    signal_posts = [s for s in engage if any(r.startswith("Buying signal") for r in s.reasons)]
    other_posts = [s for s in engage if s not in signal_posts]
    # Each prospect's own order (relevance with variety) is kept; across prospects, everyone's
    # best item comes before anyone's second.
    share_list = sorted(
        (
            (position, -s.score, s.prospect_id, s)
            for ranked in shares.values()
            for position, s in enumerate(ranked)
        ),
        key=lambda row: row[:3],
    )
    return [*signal_posts, *(row[3] for row in share_list), *other_posts][:limit]
