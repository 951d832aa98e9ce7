"""Small feeds built in tests, so each test states exactly what the server serves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape


def rss(
    title: str, items: Sequence[tuple[str, str, str]], *, start: datetime | None = None
) -> bytes:
    """RSS 2.0 with (guid, title, description) items, newest first, an hour apart."""
    when = start or datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://blog.example/</link>"
    ]
    for i, (guid, item_title, description) in enumerate(items):
        date = format_datetime(when - timedelta(hours=i))
        parts.append(
            f"<item><guid>{escape(guid)}</guid><title>{escape(item_title)}</title>"
            f"<link>https://blog.example/{escape(guid)}</link><pubDate>{date}</pubDate>"
            f"<description>{escape(description)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()
