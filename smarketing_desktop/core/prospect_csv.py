"""Reading and writing prospects as CSV, the way CRMs export them.

HubSpot, Salesforce, Pipedrive and spreadsheets all name columns a little differently, so headers
are matched on a folded form (case, spaces and punctuation ignored) against known synonyms. Each
bad row is reported with the line it starts on in the file (the header is line 1), so a rep can
fix it in the spreadsheet they came from.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from smarketing_desktop.core.prospects import (
    LABELS,
    Prospect,
    ProspectDraft,
    normalize_tags,
    validate_prospect,
)

MAX_FILE_BYTES = 50 * 1024 * 1024

# Folded header -> field. "first"/"last" are combined into the name.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "contactname", "contact", "prospect", "prospectname", "leadname"),
    "first": ("firstname", "givenname", "first"),
    "last": ("lastname", "surname", "familyname", "last"),
    "company": (
        "company",
        "companyname",
        "account",
        "accountname",
        "organization",
        "organisation",
        "organizationname",
        "employer",
        "associatedcompany",
    ),
    "title": ("jobtitle", "title", "position", "role", "jobrole"),
    "email": ("email", "emailaddress", "workemail", "businessemail", "primaryemail", "mail"),
    "linkedin_url": (
        "linkedinurl",
        "linkedin",
        "linkedinprofile",
        "linkedinprofileurl",
        "personlinkedinurl",
        "linkedinbio",
    ),
    "x_handle": (
        "twitterusername",
        "twitter",
        "twitterhandle",
        "xhandle",
        "x",
        "xusername",
        "twitterurl",
        "twitterprofile",
    ),
    "blog_url": ("website", "blog", "blogurl", "websiteurl", "personalwebsite", "site", "url"),
    "mastodon_handle": ("mastodon", "mastodonhandle", "mastodonurl"),
    "bluesky_handle": ("bluesky", "blueskyhandle", "bsky", "blueskyurl"),
    "tags": ("tags", "labels", "tag", "segments"),
    "notes": ("notes", "note", "description", "comments"),
}
_FOLDED_TO_FIELD = {syn: key for key, syns in HEADER_SYNONYMS.items() for syn in syns}

EXPORT_HEADERS: tuple[tuple[str, str], ...] = (
    ("Name", "name"),
    ("Company", "company"),
    ("Job Title", "title"),
    ("Email", "email"),
    ("LinkedIn URL", "linkedin_url"),
    ("Twitter Username", "x_handle"),
    ("Website", "blog_url"),
    ("Mastodon", "mastodon_handle"),
    ("Bluesky", "bluesky_handle"),
    ("Tags", "tags"),
    ("Notes", "notes"),
)


class CsvFormatError(ValueError):
    """The file as a whole cannot be read as a prospect list; nothing is imported."""


@dataclass(frozen=True)
class CsvRow:
    line: int
    draft: ProspectDraft


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass
class CsvParseResult:
    rows: list[CsvRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # original header -> field


def fold_header(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then the Windows code page Excel writes."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(header_line: str) -> str:
    """Only the delimiter is sniffed (from the header); quoting stays Excel's, which CRMs use."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def map_columns(header: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, raw in enumerate(header):
        key = _FOLDED_TO_FIELD.get(fold_header(raw))
        if key and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


def parse_prospect_csv(data: bytes) -> CsvParseResult:
    """Split a CSV file into valid drafts and skipped rows (with line numbers and reasons)."""
    if len(data) > MAX_FILE_BYTES:
        raise CsvFormatError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in data[:4096]:
        raise CsvFormatError("This does not look like a CSV text file (it contains binary data).")
    text = _decode(data)
    if not text.strip():
        raise CsvFormatError("The file is empty.")

    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(header_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CsvFormatError(f"Line 1 (the header) cannot be read: {exc}") from exc
    mapping = map_columns(header)
    fields_found = set(mapping.values())
    if "name" not in fields_found and not fields_found & {"first", "last"}:
        raise CsvFormatError(
            "No name column found. The header (line 1) needs 'Name' or 'First Name' and "
            f"'Last Name'; it has: {', '.join(h for h in header if h.strip()) or 'nothing'}."
        )

    result = CsvParseResult(columns={header[i]: key for i, key in mapping.items()})
    seen_emails: dict[str, int] = {}
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.skipped.append(SkippedRow(start, f"cannot be read as CSV: {exc}"))
            previous_end = reader.line_num
            continue
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            result.skipped.append(
                SkippedRow(start, f"has {len(row)} columns but the header has {len(header)}")
            )
            continue
        values = {key: row[i].strip() for i, key in mapping.items() if i < len(row)}
        name = values.get("name") or " ".join(
            part for part in (values.get("first", ""), values.get("last", "")) if part
        )
        draft = ProspectDraft(
            name=name,
            company=values.get("company") or None,
            title=values.get("title") or None,
            email=values.get("email") or None,
            x_handle=values.get("x_handle") or None,
            linkedin_url=values.get("linkedin_url") or None,
            blog_url=values.get("blog_url") or None,
            mastodon_handle=values.get("mastodon_handle") or None,
            bluesky_handle=values.get("bluesky_handle") or None,
            tags=normalize_tags(values.get("tags", "")),
            notes=values.get("notes") or None,
        )
        checked = validate_prospect(draft)
        if not checked.ok:
            reason = "; ".join(f"{LABELS[k]} {msg}" for k, msg in checked.errors.items())
            result.skipped.append(SkippedRow(start, reason))
            continue
        email = (checked.draft.email or "").casefold()
        if email and email in seen_emails:
            result.skipped.append(
                SkippedRow(
                    start, f"same email as line {seen_emails[email]} ({checked.draft.email})"
                )
            )
            continue
        if email:
            seen_emails[email] = start
        result.rows.append(CsvRow(start, checked.draft))
    return result


def write_prospect_csv(prospects: Iterable[Prospect]) -> str:
    """CSV text the importer reads back unchanged (tags joined with '; ')."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in EXPORT_HEADERS])
    for prospect in prospects:
        row = []
        for _, key in EXPORT_HEADERS:
            value = getattr(prospect, key)
            row.append("; ".join(value) if key == "tags" else (value or ""))
        writer.writerow(row)
    return out.getvalue()
