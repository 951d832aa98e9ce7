"""Reading CRM exports: good rows in, bad rows reported by line with a reason."""

from __future__ import annotations

import pytest

from smarketing_desktop.core.prospect_csv import (
    CsvFormatError,
    parse_prospect_csv,
    write_prospect_csv,
)
from tests.support.csv_samples import HUBSPOT_10_ROWS_2_BAD


def test_hubspot_export_imports_good_rows_and_names_bad_lines() -> None:
    result = parse_prospect_csv(HUBSPOT_10_ROWS_2_BAD.encode())
    assert len(result.rows) == 8
    assert [s.line for s in result.skipped] == [4, 9]
    assert "Email" in result.skipped[0].reason
    assert "Name" in result.skipped[1].reason
    first = result.rows[0]
    assert (first.line, first.draft.name, first.draft.company) == (
        2,
        "Ada Lovelace",
        "Analytical Engines",
    )
    assert first.draft.title == "CTO"
    assert first.draft.linkedin_url == "https://www.linkedin.com/in/ada"
    assert result.rows[1].draft.x_handle == "grace_h"


def test_salesforce_style_headers_semicolons_and_windows_encoding() -> None:
    data = (
        "Full Name;Account Name;Title;Email Address;Tags\r\n"
        "Zoë Müller;Café GmbH;Einkäuferin;zoe@cafe.example;rfp, coffee\r\n"
    ).encode("cp1252")
    result = parse_prospect_csv(data)
    assert not result.skipped
    draft = result.rows[0].draft
    assert (draft.name, draft.company, draft.title) == ("Zoë Müller", "Café GmbH", "Einkäuferin")
    assert draft.tags == ("rfp", "coffee")


def test_line_numbers_count_physical_lines_of_multiline_cells() -> None:
    data = b'Name,Notes,Email\nAnn,"met at the fair\nlikes golf",ann@example.com\nBob,,bob@\n'
    result = parse_prospect_csv(data)
    assert result.rows[0].draft.notes == "met at the fair\nlikes golf"
    assert [(s.line, "Email" in s.reason) for s in result.skipped] == [(4, True)]


def test_duplicate_email_within_the_file_is_skipped_and_points_to_the_first() -> None:
    data = b"Name,Email\nAnn,ann@example.com\nAnnie,ANN@example.com\n"
    result = parse_prospect_csv(data)
    assert len(result.rows) == 1
    assert result.skipped[0].line == 3
    assert "line 2" in result.skipped[0].reason


def test_rows_with_too_many_cells_are_skipped_not_misread() -> None:
    result = parse_prospect_csv(
        b"Name,Email\nAnn,ann@example.com,extra,cells\nBob,bob@example.com\n"
    )
    assert [s.line for s in result.skipped] == [2]
    assert [r.draft.name for r in result.rows] == ["Bob"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"Company,Email\nAcme,a@example.com\n", "No name column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ],
)
def test_files_that_are_not_prospect_lists_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(CsvFormatError, match=message):
        parse_prospect_csv(data)


def test_export_reads_back_identically() -> None:
    from datetime import UTC, datetime

    from smarketing_desktop.core.prospects import Prospect

    when = datetime(2026, 1, 1, tzinfo=UTC)
    prospect = Prospect(
        id=1,
        name="Jane Doe",
        company="Acme, Inc.",
        title="CTO",
        email="jane@acme.example",
        x_handle="jane",
        linkedin_url="https://linkedin.com/in/jane",
        blog_url="https://jane.example",
        mastodon_handle="@jane@mastodon.example",
        bluesky_handle="jane.bsky.social",
        tags=("cloud", "rfp"),
        notes='Said "call me in May"\nPrefers email',
        last_touch_at=None,
        created_at=when,
        updated_at=when,
    )
    result = parse_prospect_csv(write_prospect_csv([prospect]).encode())
    assert not result.skipped
    assert result.rows[0].draft == prospect.to_draft()


def test_touch_intervals_round_trip_and_empty_cells_mean_the_default() -> None:
    from datetime import UTC, datetime

    from smarketing_desktop.core.prospects import Prospect

    when = datetime(2026, 1, 1, tzinfo=UTC)

    def stored(pid: int, name: str, ideal: int | None, maximum: int | None) -> Prospect:
        return Prospect(
            id=pid, name=name, company=None, title=None, email=None, x_handle=None,
            linkedin_url=None, blog_url=None, mastodon_handle=None, bluesky_handle=None,
            tags=(), notes=None, last_touch_at=None, created_at=when, updated_at=when,
            touch_ideal_days=ideal, touch_max_days=maximum,
        )  # fmt: skip

    prospects = [
        stored(1, "Own", 3, 10),
        stored(2, "Default", None, None),
        stored(3, "Half", 5, None),
    ]
    text = write_prospect_csv(prospects)
    header, own_line, default_line, _ = text.split("\r\n", 3)
    assert header.endswith("Ideal Touch Days,Max Touch Days")
    assert own_line.endswith(",3,10") and default_line.endswith(",,")
    result = parse_prospect_csv(text.encode())
    assert not result.skipped
    assert [r.draft for r in result.rows] == [p.to_draft() for p in prospects]
    assert [(r.draft.touch_ideal_days, r.draft.touch_max_days) for r in result.rows] == [
        (3, 10),
        (None, None),
        (5, None),
    ]


def test_files_without_touch_columns_still_import_with_the_default() -> None:
    result = parse_prospect_csv(b"Name,Email\nAnn,ann@example.com\n")
    assert not result.skipped
    draft = result.rows[0].draft
    assert (draft.touch_ideal_days, draft.touch_max_days) == (None, None)


def test_bad_touch_interval_cells_skip_the_row_with_a_reason() -> None:
    data = b"Name,Touch Ideal Days,Max Touch Days\nAnn,weekly,\nBob,10,5\nCid,default,20\n"
    result = parse_prospect_csv(data)
    assert [r.draft.name for r in result.rows] == ["Cid"]
    assert result.rows[0].draft.touch_max_days == 20
    reasons = {s.line: s.reason for s in result.skipped}
    assert "Ideal touch interval should be a whole number" in reasons[2]
    assert "Maximum touch interval must be more than the ideal interval (10 days)" in reasons[3]


def test_an_unclosed_quote_skips_the_rows_it_joined_and_says_so() -> None:
    data = (
        b"First Name;Last Name;Company;Email\n"
        b"Ann;Lee;Acme;ann@acme.example\n"
        b"Bob;Ray;Acme;bob@acme.example\n"
        b"Cy;Day;Acme;cy@acme.example\n"
        b"Di;Fox;Acme;di@acme.example\n"
        b'"Dan;Unclosed;Initech;dan@initech.example\n'
        b"Eve;Stone;Initech;eve@initech.example\n"
    )
    result = parse_prospect_csv(data)
    assert [r.draft.name for r in result.rows] == ["Ann Lee", "Bob Ray", "Cy Day", "Di Fox"]
    assert [(s.line, s.reason) for s in result.skipped] == [
        (6, 'a quote (") is never closed, so lines 6-7 were read as one')
    ]


def test_an_unclosed_quote_closed_by_a_later_quote_is_still_caught() -> None:
    data = (
        b"Name,Company,Email\n"
        b'"Dan Ray,Initech,dan@initech.example\n'
        b'Eve Stone,"Initech, Inc",eve@initech.example\n'
        b"Fay Long,Acme,fay@acme.example\n"
    )
    result = parse_prospect_csv(data)
    assert [r.draft.name for r in result.rows] == ["Fay Long"]
    assert [s.line for s in result.skipped] == [2]
    assert "lines 2-3 were read as one" in result.skipped[0].reason


def test_a_name_running_over_two_lines_is_skipped() -> None:
    data = b'Name,Email\n"Dan,dan@initech.example\nEve",eve@initech.example\n'
    result = parse_prospect_csv(data)
    assert not result.rows
    assert [(s.line, "lines 2-3 were read as one" in s.reason) for s in result.skipped] == [
        (2, True)
    ]


def test_export_defuses_spreadsheet_formulas_and_import_restores_them() -> None:
    from datetime import UTC, datetime

    from smarketing_desktop.core.prospects import Prospect

    when = datetime(2026, 1, 1, tzinfo=UTC)
    evil = '=HYPERLINK("http://evil.example","x")'
    prospect = Prospect(
        id=1,
        name=evil,
        company="+Acme",
        title="@CTO",
        email=None,
        x_handle=None,
        linkedin_url=None,
        blog_url=None,
        mastodon_handle=None,
        bluesky_handle=None,
        tags=(),
        notes="-call in May\n'=already quoted",
        last_touch_at=None,
        created_at=when,
        updated_at=when,
    )
    text = write_prospect_csv([prospect])
    line = text.split("\r\n")[1]
    assert line.startswith('"\'=HYPERLINK(""http://evil.example"",""x"")"')
    assert ",'+Acme,'@CTO," in line
    assert "\"'-call in May" in line
    result = parse_prospect_csv(text.encode())
    assert not result.skipped
    draft = result.rows[0].draft
    assert (draft.name, draft.company, draft.title) == (evil, "+Acme", "@CTO")
    assert draft.notes == "-call in May\n'=already quoted"
