"""The content library: valid items in, spreadsheets read, pages described, share text filled."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smarketing_desktop.core.content import (
    ContentDraft,
    ContentError,
    ContentItem,
    normalize_kind,
    validate_content,
)
from smarketing_desktop.core.content_csv import parse_content_csv
from smarketing_desktop.core.csv_rows import CsvFormatError
from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.core.share_text import (
    PLACEHOLDERS,
    ShareFields,
    TemplateError,
    load_templates,
    pick,
    render,
)
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.page_meta import page_meta
from smarketing_desktop.paths import resources_dir

WHEN = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("E-book", "e_book"), ("ebook", "e_book"), ("Registration page", "registration_page"),
     ("webinar", "webinar"), ("White paper", "e_book"), ("Case Study", "case_study")],
)  # fmt: skip
def test_content_types_are_understood_however_typed(typed: str, kind: str) -> None:
    assert normalize_kind(typed) == kind


def test_bad_items_are_refused_with_the_field_named() -> None:
    with pytest.raises(ContentError, match="URL"):
        validate_content(ContentDraft(url="javascript:alert(1)", title="x"))
    with pytest.raises(ContentError, match="Title"):
        validate_content(ContentDraft(url="https://c.example/a", title="  "))
    with pytest.raises(ContentError, match="not one of"):
        validate_content(ContentDraft(url="https://c.example/a", title="A", kind="podcast"))


def test_library_refuses_the_same_url_twice(db: Database) -> None:
    repo = ContentRepository(db)
    repo.add(ContentDraft(url="https://c.example/a", title="A", tags=("Cloud", "cloud")))
    with pytest.raises(Exception, match="already in the library"):
        repo.add(ContentDraft(url="https://c.example/a", title="Again"))
    [item] = repo.find()
    assert item.tags == ("Cloud",)


def test_spreadsheet_rows_are_read_and_bad_ones_named_by_line() -> None:
    data = (
        b"Content Title,Link,Description,Format,Keywords,Valid until\n"
        b"Migration playbook,https://c.example/playbook,How to move,E-book,"
        b"cloud;migration,2027-06-30\n"
        b"No link here,,,Blog,,\n"
        b"Webinar,https://c.example/webinar,,Webinar,,next year\n"
        b"Duplicate,https://c.example/playbook,,Blog,,\n"
    )
    parsed = parse_content_csv(data)
    [(line, draft)] = parsed.drafts
    assert (line, draft.kind, draft.tags, draft.expires_on) == (
        2,
        "e_book",
        ("cloud", "migration"),
        date(2027, 6, 30),
    )
    assert [(s.line, s.reason.split()[0]) for s in parsed.skipped] == [
        (3, "URL"),
        (4, "expiry"),
        (5, "same"),
    ]
    with pytest.raises(CsvFormatError, match="url"):
        parse_content_csv(b"Title\nOnly titles\n")


def test_spreadsheet_with_an_unclosed_quote_names_the_lines_it_joined() -> None:
    data = (
        b"Title,URL,Type\n"
        b"Playbook,https://c.example/playbook,E-book\n"
        b'"Webinar,https://c.example/webinar,Webinar\n'
        b"Guide,https://c.example/guide,Blog\n"
    )
    parsed = parse_content_csv(data)
    assert [draft.title for _, draft in parsed.drafts] == ["Playbook"]
    assert [(s.line, s.reason) for s in parsed.skipped] == [
        (3, 'a quote (") is never closed, so lines 3-4 were read as one')
    ]


def test_shared_csv_writer_defuses_formulas_and_the_reader_restores_them() -> None:
    from smarketing_desktop.core.csv_rows import defuse, undefuse, write_csv

    cells = ["=1+1", "+49 30 123", "-x", "@sum", "\tTab", "\rCR", "'=quoted", "plain", "a=b"]
    for cell in cells:
        assert undefuse(defuse(cell)) == cell
    assert [defuse(c)[:2] for c in cells[:4]] == ["'=", "'+", "'-", "'@"]
    assert defuse("plain") == "plain"
    assert defuse("'=quoted") == "''=quoted"
    text = write_csv(["Title", "URL"], [["=HYPERLINK(1)", "https://c.example/a"]])
    assert text.splitlines()[1] == "'=HYPERLINK(1),https://c.example/a"
    [(_, draft)] = parse_content_csv(text.encode()).drafts
    assert draft.title == "=HYPERLINK(1)"


def test_page_metadata_prefers_open_graph_and_stops_at_the_body() -> None:
    body = b"""<html><head><title>Fallback | Site</title>
    <meta property="og:title" content="The 90-day &amp; migration playbook">
    <meta name="description" content="Plain description">
    <meta property="og:description" content="OG   description">
    <meta property="article:tag" content="cloud"><meta name="keywords" content="cloud, warehouse">
    </head><body><meta property="og:title" content="ignored"></body></html>"""
    meta = page_meta(body)
    assert meta.title == "The 90-day & migration playbook"
    assert meta.description == "OG description"
    assert meta.tags == ("cloud", "warehouse")
    assert page_meta(b"<title> Only a title </title>").title == "Only a title"


def _prospect(**changes: object) -> Prospect:
    values: dict[str, object] = {
        "id": 1, "name": "Dana Whitfield", "company": "Northwind", "title": None, "email": None,
        "x_handle": "dana", "linkedin_url": None, "blog_url": None, "mastodon_handle": None,
        "bluesky_handle": None, "tags": (), "notes": None, "last_touch_at": None,
        "created_at": WHEN, "updated_at": WHEN,
    }  # fmt: skip
    values.update(changes)
    return Prospect(**values)  # type: ignore[arg-type]


ITEM = ContentItem(
    id=1, url="https://c.example/playbook", title="Migration playbook", summary="How to move.",
    kind="e_book", tags=("cloud migration",), source=None, added_at=WHEN, expires_on=None,
)  # fmt: skip


def test_every_shipped_template_fills_without_leftover_placeholders() -> None:
    templates = load_templates(resources_dir() / "templates" / "share.yaml")
    assert {t.id for t in templates} == {
        "mention_registration", "group_reference", "direct_message_blog", "daily_update_cta",
        "customer_mention",
    }  # fmt: skip
    for template in templates:
        text = render(template, ShareFields(_prospect(), ITEM, post_title="Month two"))
        assert "{" not in text and "}" not in text
        assert ITEM.url in text


def test_share_text_uses_the_prospect_and_falls_back_gracefully() -> None:
    templates = load_templates(resources_dir() / "templates" / "share.yaml")
    dm = render(
        pick(templates, "direct_message_blog"),
        ShareFields(_prospect(), ITEM, post_title="Month two"),
    )
    assert dm.startswith('Hi Dana, I enjoyed your post "Month two"')
    mention = render(
        pick(templates, "mention_registration"), ShareFields(_prospect(x_handle=None), ITEM)
    )
    assert mention.startswith("Dana Whitfield, ")
    assert "@dana" in render(
        pick(templates, "mention_registration"), ShareFields(_prospect(), ITEM)
    )


def test_a_template_with_a_typo_is_reported_at_load(tmp_path: Path) -> None:
    broken = tmp_path / "share.yaml"
    broken.write_text("templates:\n  - id: mine\n    text: Hi {frist_name}\n")
    with pytest.raises(TemplateError, match="frist_name"):
        load_templates(broken)
    assert "first_name" in PLACEHOLDERS


def test_linkedin_share_links_with_and_without_a_link() -> None:
    from urllib.parse import parse_qs, urlsplit

    from smarketing_desktop.social.share_links import share_url

    with_link = share_url("linkedin", "Read this", "https://c.example/a?x=1&y=2")
    assert with_link == (
        "https://www.linkedin.com/sharing/share-offsite/"
        "?url=https%3A%2F%2Fc.example%2Fa%3Fx%3D1%26y%3D2"
    )
    for missing in (None, ""):
        text_only = share_url("linkedin", "Congrats on the launch & the funding!", missing)
        parts = urlsplit(text_only)
        assert (parts.netloc, parts.path) == ("www.linkedin.com", "/feed/")
        assert parse_qs(parts.query) == {
            "shareActive": ["true"],
            "text": ["Congrats on the launch & the funding!"],
        }
        assert "url=" not in text_only
        assert "%20%26%20" in text_only
