"""The links a rep opens to post by hand: each network's own share intent.

Used when there is no connected account for a channel (and always for LinkedIn, Mastodon and
Bluesky): the text goes on the clipboard and this link opens the network's compose screen.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def share_url(
    channel: str, text: str, url: str | None, *, mastodon_instance: str = "mastodon.social"
) -> str:
    if channel == "x":
        # Share text from the templates usually holds the link already; X would show it twice.
        params = {"text": text, **({"url": url} if url and url not in text else {})}
        return "https://twitter.com/intent/tweet?" + urlencode(params, quote_via=quote)
    if channel == "linkedin":
        if not url:
            # share-offsite needs a page to share and shows an error page with `url=` empty;
            # a post without a link (a note from a plan step, a comment) goes to the feed's
            # compose box with the text filled in instead.
            return "https://www.linkedin.com/feed/?" + urlencode(
                {"shareActive": "true", "text": text}, quote_via=quote
            )
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode(
            {"url": url}, quote_via=quote
        )
    full = f"{text} {url}" if url and url not in text else text
    if channel == "mastodon":
        return f"https://{mastodon_instance}/share?" + urlencode({"text": full}, quote_via=quote)
    if channel == "bluesky":
        return "https://bsky.app/intent/compose?" + urlencode({"text": full}, quote_via=quote)
    raise ValueError(f"Unknown channel {channel!r}.")
