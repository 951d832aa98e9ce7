"""What a web page says about itself: title, description and Open Graph metadata.

Used when a rep adds content by URL. Parsed with the standard library's tolerant HTML parser;
only the <head> matters, so parsing stops at <body>.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class PageMeta:
    title: str | None
    description: str | None
    og_type: str | None
    tags: tuple[str, ...]
    site_name: str | None


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.tags: list[str] = []
        self.title_parts: list[str] = []
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.done = True
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = values.get("content", "").strip()
            if key and content:
                if key in ("article:tag", "keywords"):
                    self.tags.extend(t.strip() for t in content.split(",") if t.strip())
                self.meta.setdefault(key, content)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.done:
            self.title_parts.append(data)


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    value = " ".join(html.unescape(text).split())
    return value or None


def page_meta(body: bytes, encoding: str | None = None) -> PageMeta:
    text = body.decode(encoding or "utf-8", errors="replace")
    parser = _HeadParser()
    for start in range(0, len(text), 8192):
        parser.feed(text[start : start + 8192])
        if parser.done:
            break
    meta = parser.meta
    return PageMeta(
        title=_clean(
            meta.get("og:title") or meta.get("twitter:title") or "".join(parser.title_parts)
        ),
        description=_clean(
            meta.get("og:description") or meta.get("description") or meta.get("twitter:description")
        ),
        og_type=_clean(meta.get("og:type")),
        tags=tuple(dict.fromkeys(parser.tags)),
        site_name=_clean(meta.get("og:site_name")),
    )
