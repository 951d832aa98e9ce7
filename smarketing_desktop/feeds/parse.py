"""Bytes in, a plain `ParsedFeed` out: RSS/Atom through feedparser, JSON Feed by hand.

feedparser does not read JSON Feed, so it is decoded here; everything else goes to feedparser,
which also recovers ill-formed XML. Entry HTML is sanitized before it leaves this module.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from smarketing_desktop.feeds.sanitize import html_to_text, sanitize_html

DISPLAY_TITLE_CHARS = 80


class FeedParseError(ValueError):
    """The body is not a feed we can read; the message is written for a rep."""


@dataclass(frozen=True)
class ParsedEntry:
    key: str
    title: str
    link: str | None
    author: str | None
    summary: str | None
    content: str | None
    published_at: datetime | None
    updated_at: datetime | None

    @property
    def content_hash(self) -> str:
        text = "\x1f".join([self.title, self.summary or "", self.content or ""])
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    site_url: str | None
    entries: list[ParsedEntry] = field(default_factory=list)
    malformed: bool = False


def display_title(title: str | None, text: str | None) -> str:
    """Untitled posts (Mastodon, Bluesky, micro posts) get the start of their text as title."""
    plain_title = html_to_text(title) if title else ""
    if plain_title:
        return plain_title
    plain = html_to_text(text or "")
    if len(plain) <= DISPLAY_TITLE_CHARS:
        return plain or "(untitled)"
    cut = plain[:DISPLAY_TITLE_CHARS].rsplit(" ", 1)[0]
    return f"{cut}…"


def entry_key(guid: str | None, link: str | None, title: str, content: str) -> str:
    """Identity within a feed: guid, else link, else a hash of title and content."""
    if guid and guid.strip():
        return guid.strip()
    if link and link.strip():
        return link.strip()
    return "sha256:" + hashlib.sha256(f"{title}\x1f{content}".encode()).hexdigest()


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text(value: object) -> str | None:
    """JSON Feed fields are meant to be strings; anything else is treated as absent."""
    return value if isinstance(value, str) and value.strip() else None


def looks_like_json_feed(body: bytes) -> bool:
    head = body.lstrip()[:1]
    return head in (b"{", b"[")


def parse_json_feed(body: bytes) -> ParsedFeed:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise FeedParseError(f"The JSON feed is broken (at line {exc.lineno}).") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedParseError("The JSON feed is not valid text.") from exc
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedParseError("The address returned JSON, but not a JSON Feed.")
    entries = []
    items = data.get("items")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        raw_html = _text(item.get("content_html")) or ""
        raw_text = _text(item.get("content_text")) or ""
        content = sanitize_html(raw_html) if raw_html else (html_to_text(raw_text) or None)
        summary_raw = _text(item.get("summary"))
        summary = html_to_text(summary_raw) if summary_raw else None
        title = display_title(_text(item.get("title")), raw_html or raw_text or summary)
        link = _text(item.get("url")) or _text(item.get("external_url"))
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = (
            (a.get("name") for a in authors if isinstance(a, dict))
            if isinstance(authors, list)
            else ()
        )
        author = next((n for n in names if isinstance(n, str) and n), None)
        guid = str(item["id"]) if item.get("id") is not None else None
        entries.append(
            ParsedEntry(
                key=entry_key(guid, link, title, content or ""),
                title=title,
                link=link,
                author=author,
                summary=summary,
                content=content,
                published_at=_iso(item.get("date_published")),
                updated_at=_iso(item.get("date_modified")),
            )
        )
    return ParsedFeed(
        title=_text(data.get("title")), site_url=_text(data.get("home_page_url")), entries=entries
    )


def _not_a_feed_message(body: bytes, problem: object) -> str:
    head = body[:512].lstrip().lower()
    if not head:
        return "The address returned an empty page instead of a feed."
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return (
            "The address returned a web page, not a feed. Add the site's address and the app "
            "will look for its feed."
        )
    line = getattr(problem, "getLineNumber", None)
    if callable(line):
        return (
            f"The address did not return a feed we can read (the XML is broken at line {line()})."
        )
    return "The address did not return a feed we can read."


def parse_feed(
    body: bytes, *, url: str | None = None, headers: dict[str, str] | None = None
) -> ParsedFeed:
    if looks_like_json_feed(body):
        return parse_json_feed(body)
    # Bytes, never a URL string: feedparser would fetch a string itself, with no timeout.
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    if url:
        response_headers.setdefault("content-location", url)
    # feedparser's sanitizer is skipped: nh3 sanitizes every field stored (and is faster).
    result = feedparser.parse(bytes(body), response_headers=response_headers, sanitize_html=False)
    if not result.entries and not result.get("version"):
        raise FeedParseError(_not_a_feed_message(body, result.get("bozo_exception")))
    entries = []
    for item in result.entries:
        contents = item.get("content") or []
        raw_content = contents[0].get("value", "") if contents else ""
        raw_summary = item.get("summary", "")
        content = sanitize_html(raw_content or raw_summary) or None
        summary = html_to_text(raw_summary) or None
        title = display_title(item.get("title"), raw_content or raw_summary)
        link = item.get("link")
        entries.append(
            ParsedEntry(
                key=entry_key(item.get("id"), link, title, content or ""),
                title=title,
                link=link,
                author=html_to_text(item.get("author") or "") or None,
                summary=summary,
                content=content,
                # dict.get: feedparser's own get() warns about its updated/published fallback.
                published_at=_struct_time(dict.get(item, "published_parsed")),
                updated_at=_struct_time(dict.get(item, "updated_parsed")),
            )
        )
    feed = result.feed
    return ParsedFeed(
        title=feed.get("title"),
        site_url=feed.get("link"),
        entries=entries,
        malformed=bool(result.get("bozo")),
    )


def parse_job(body: bytes, url: str, headers: dict[str, str]) -> ParsedFeed | str:
    """Entry point for worker processes (kept in this light module so they start fast).

    Returns the parsed feed, or the message for the rep; never raises.
    """
    try:
        return parse_feed(body, url=url, headers=headers)
    except FeedParseError as exc:
        return str(exc)
    except Exception as exc:  # feedparser on hostile input: report, never crash the run
        return f"The feed could not be read ({type(exc).__name__})."
