"""A content draft read from a web page's own metadata (title, description, tags, type).

Shared by `smarketing content add` and the window's "Fill from page", so both read a page the
same way. Blocks on the network: call it from a worker thread or the command line.
"""

from __future__ import annotations

from collections.abc import Callable

from smarketing_desktop.core.content import ContentDraft
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.feeds.fetch import FetchLimits, HttpClient, fetch, make_client
from smarketing_desktop.feeds.page_meta import page_meta
from smarketing_desktop.feeds.subscribe import DISCOVERY_LIMITS


class PageUnreadableError(UserError):
    """The page could not be fetched, or says nothing usable about itself."""


def page_draft(
    url: str,
    *,
    limits: FetchLimits = DISCOVERY_LIMITS,
    client_factory: Callable[[FetchLimits], HttpClient] = make_client,
) -> ContentDraft:
    """Title, description, tags and a guessed type from the page at `url`.

    Raises PageUnreadableError (a UserError, so its message can be shown as is) when the page
    cannot be read or has no title; callers add their own hint on what to do instead.
    """
    with client_factory(limits) as client:
        result = fetch(client, url, limits=limits)
    if not result.ok or result.body is None:
        raise PageUnreadableError(f"Could not read {url}: {result.message}")
    meta = page_meta(result.body)
    if not meta.title:
        raise PageUnreadableError(f"{url} has no title.")
    kind = "webinar" if (meta.og_type or "").startswith("video") else "blog_post"
    return ContentDraft(
        url=url, title=meta.title, summary=meta.description, kind=kind, tags=meta.tags
    )
