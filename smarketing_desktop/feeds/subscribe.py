"""Subscribe to what a rep typed: find the feed, store it, and keep the posts already fetched.

The command line and the window add feeds the same way, so the sequence lives here, once:
refuse an address already tracked before touching the network, discover the feed within a
budget fit for someone waiting, refuse again if discovery led to a tracked feed (a site and its
feed are different addresses), then store the feed and the posts discovery already fetched, so
the site is not asked twice and the new feed is never empty in the inbox.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.discover import DiscoveryError, candidate_urls, discover
from smarketing_desktop.feeds.fetch import FetchLimits, HttpClient, make_client

# A rep is waiting: each of the (at most 12) addresses tried gets less time than a refresh.
DISCOVERY_LIMITS = FetchLimits(deadline=10.0, connect_timeout=5.0, read_timeout=8.0)


def add_feed_from_input(
    db: Database,
    text: str,
    prospect_id: int | None = None,
    *,
    limits: FetchLimits = DISCOVERY_LIMITS,
    client_factory: Callable[[FetchLimits], HttpClient] = make_client,
) -> FeedInfo:
    """The feed behind `text`, stored with its posts; UserError (nothing stored) when not found.

    Blocks on the network: call it from a worker thread or the command line, never a UI thread.
    The returned FeedInfo counts the posts stored (`entries`).
    """
    repo = FeedRepository(db)
    if prospect_id is not None:
        ProspectRepository(db).get(prospect_id)  # a clear error before any network call
    try:
        _kind, candidates = candidate_urls(text)
    except DiscoveryError as exc:
        raise UserError(str(exc)) from None
    for candidate in candidates:
        if repo.find_by_url(candidate) is not None:
            raise UserError(f"{candidate} is already tracked; nothing was added.")
    with client_factory(limits) as client:
        try:
            found = discover(client, text, limits=limits)
        except DiscoveryError as exc:
            raise UserError(str(exc)) from None
    if repo.find_by_url(found.feed_url) is not None:
        raise UserError(f"{found.feed_url} is already tracked; nothing was added.")
    feed = repo.add_feed(
        found.feed_url,
        title=found.title,
        site_url=found.parsed.site_url,
        kind=found.kind,
        prospect_id=prospect_id,
    )
    body = found.fetched.body or b""
    repo.store(feed.id, found.fetched, found.parsed, hashlib.sha256(body).hexdigest(), clock.now())
    return repo.get_feed(feed.id)
