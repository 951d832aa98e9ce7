"""Reading and writing prospects as CSV, the way CRMs export them (HubSpot, Salesforce, ...).

Column matching and line numbers come from `csv_rows`; this module knows which columns make a
prospect and validates each row. `CsvFormatError` and `SkippedRow` are re-exported for callers.

The touch interval columns are optional (CRMs have none): an empty cell, or no column at all,
means the prospect follows the default cadence, so files written before they existed still
import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from smarketing_desktop.core.csv_rows import (
    CsvFormatError,
    SkippedRow,
    read_csv_table,
    write_csv,
)
from smarketing_desktop.core.prospects import (
    LABELS,
    Prospect,
    ProspectDraft,
    normalize_tags,
    parse_touch_days,
    validate_prospect,
)

__all__ = [
    "CsvFormatError",
    "CsvParseResult",
    "CsvRow",
    "SkippedRow",
    "parse_prospect_csv",
    "write_prospect_csv",
]

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
    "touch_ideal_days": (
        "idealtouchdays",
        "touchidealdays",
        "idealtouchinterval",
        "idealdays",
        "touchevery",
        "touchintervaldays",
    ),
    "touch_max_days": (
        "maxtouchdays",
        "touchmaxdays",
        "maximumtouchdays",
        "maxtouchinterval",
        "maximumtouchinterval",
        "maxdays",
    ),
}

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
    ("Ideal Touch Days", "touch_ideal_days"),
    ("Max Touch Days", "touch_max_days"),
)


@dataclass(frozen=True)
class CsvRow:
    line: int
    draft: ProspectDraft


@dataclass
class CsvParseResult:
    rows: list[CsvRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # original header -> field


def _require_name(found: set[str], header: list[str]) -> str | None:
    if "name" in found or found & {"first", "last"}:
        return None
    return (
        "No name column found. The header (line 1) needs 'Name' or 'First Name' and "
        f"'Last Name'; it has: {', '.join(h for h in header if h.strip()) or 'nothing'}."
    )


def parse_prospect_csv(data: bytes) -> CsvParseResult:
    """Split a CSV file into valid drafts and skipped rows (with line numbers and reasons)."""
    table = read_csv_table(data, HEADER_SYNONYMS, _require_name)
    result = CsvParseResult(skipped=list(table.skipped), columns=table.columns)
    seen_emails: dict[str, int] = {}
    for record in table.records:
        values = record.values
        name = values.get("name") or " ".join(
            part for part in (values.get("first", ""), values.get("last", "")) if part
        )
        if "\n" in name or "\r" in name:
            result.skipped.append(SkippedRow(record.line, record.joined_lines()))
            continue
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
        ideal, ideal_error = parse_touch_days(values.get("touch_ideal_days"))
        maximum, max_error = parse_touch_days(values.get("touch_max_days"))
        draft = replace(draft, touch_ideal_days=ideal, touch_max_days=maximum)
        unreadable = {
            key: error
            for key, error in (("touch_ideal_days", ideal_error), ("touch_max_days", max_error))
            if error
        }
        checked = validate_prospect(draft)
        errors = {**checked.errors, **unreadable}
        if errors:
            reason = "; ".join(f"{LABELS[k]} {msg}" for k, msg in errors.items())
            result.skipped.append(SkippedRow(record.line, reason))
            continue
        email = (checked.draft.email or "").casefold()
        if email and email in seen_emails:
            result.skipped.append(
                SkippedRow(
                    record.line, f"same email as line {seen_emails[email]} ({checked.draft.email})"
                )
            )
            continue
        if email:
            seen_emails[email] = record.line
        result.rows.append(CsvRow(record.line, checked.draft))
    result.skipped.sort(key=lambda s: s.line)
    return result


def write_prospect_csv(prospects: Iterable[Prospect]) -> str:
    """CSV text the importer reads back unchanged (tags joined with '; ').

    Cells that would start a spreadsheet formula get a leading ' (see `csv_rows.defuse`), which
    the importer removes again.
    """
    rows: list[list[str]] = []
    for prospect in prospects:
        row = []
        for _, key in EXPORT_HEADERS:
            value = getattr(prospect, key)
            if key == "tags":
                row.append("; ".join(value))
            else:
                row.append("" if value is None else str(value))
        rows.append(row)
    return write_csv([header for header, _ in EXPORT_HEADERS], rows)
