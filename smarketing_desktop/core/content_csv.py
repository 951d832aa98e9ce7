"""Reading the content library from a spreadsheet marketing keeps (title, URL, type, tags, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from smarketing_desktop.core.content import ContentDraft, ContentError, validate_content
from smarketing_desktop.core.csv_rows import SkippedRow, read_csv_table
from smarketing_desktop.core.prospects import normalize_tags

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "headline", "contenttitle", "assetname", "asset"),
    "url": ("url", "link", "address", "contenturl", "pageurl", "landingpage", "href"),
    "summary": ("summary", "description", "abstract", "blurb", "teaser"),
    "kind": ("type", "kind", "contenttype", "format", "assettype"),
    "tags": ("tags", "keywords", "topics", "topic", "themes"),
    "expires": ("expires", "expiry", "expireson", "expirydate", "validuntil", "enddate"),
}


@dataclass
class ContentCsv:
    drafts: list[tuple[int, ContentDraft]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


def _require(found: set[str], header: list[str]) -> str | None:
    missing = [name for name in ("title", "url") if name not in found]
    if not missing:
        return None
    shown = ", ".join(h for h in header if h.strip()) or "nothing"
    return f"The header (line 1) needs {' and '.join(missing)} columns; it has: {shown}."


def parse_content_csv(data: bytes, *, source: str = "CSV import") -> ContentCsv:
    table = read_csv_table(data, HEADER_SYNONYMS, _require)
    result = ContentCsv(skipped=list(table.skipped))
    seen: dict[str, int] = {}
    for record in table.records:
        values = record.values
        if "\n" in values.get("title", "") or "\n" in values.get("url", ""):
            result.skipped.append(SkippedRow(record.line, record.joined_lines()))
            continue
        try:
            expires = date.fromisoformat(values["expires"]) if values.get("expires") else None
        except ValueError:
            result.skipped.append(SkippedRow(record.line, "expiry date must look like 2027-03-31"))
            continue
        try:
            draft = validate_content(
                ContentDraft(
                    url=values.get("url", ""),
                    title=values.get("title", ""),
                    summary=values.get("summary") or None,
                    kind=values.get("kind") or "blog_post",
                    tags=normalize_tags(values.get("tags", "")),
                    source=source,
                    expires_on=expires,
                )
            )
        except ContentError as exc:
            result.skipped.append(SkippedRow(record.line, str(exc)))
            continue
        if draft.url in seen:
            result.skipped.append(SkippedRow(record.line, f"same URL as line {seen[draft.url]}"))
            continue
        seen[draft.url] = record.line
        result.drafts.append((record.line, draft))
    result.skipped.sort(key=lambda s: s.line)
    return result
