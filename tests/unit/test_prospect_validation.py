"""What a rep may type into a prospect's fields, and what gets stored."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from smarketing_desktop.core.prospects import ProspectDraft, normalize_tags, validate_prospect


def draft_with(field: str, value: str) -> ProspectDraft:
    changes: dict[str, Any] = {field: value}
    return replace(ProspectDraft(name="Jane"), **changes)


@pytest.mark.parametrize(
    ("field", "raw", "stored"),
    [
        ("x_handle", "@jane_doe", "jane_doe"),
        ("x_handle", "https://x.com/jane_doe", "jane_doe"),
        ("x_handle", "twitter.com/jane_doe/status/1", "jane_doe"),
        ("mastodon_handle", "jane@Mastodon.Social", "@jane@mastodon.social"),
        ("mastodon_handle", "https://fosstodon.org/@jane", "@jane@fosstodon.org"),
        ("bluesky_handle", "@Jane.bsky.social", "jane.bsky.social"),
        ("bluesky_handle", "https://bsky.app/profile/jane.example.com", "jane.example.com"),
        ("linkedin_url", "linkedin.com/in/jane", "https://linkedin.com/in/jane"),
        ("blog_url", "jane.example.com/blog", "https://jane.example.com/blog"),
        ("email", "Jane@Example.COM", "Jane@example.com"),
    ],
)
def test_pasted_profiles_and_handles_are_normalised(field: str, raw: str, stored: str) -> None:
    result = validate_prospect(draft_with(field, raw))
    assert result.ok, result.errors
    assert getattr(result.draft, field) == stored


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("email", "jane.example.com"),
        ("email", "jane@"),
        ("x_handle", "this handle has spaces"),
        ("x_handle", "https://facebook.com/jane"),
        ("x_handle", "a_handle_much_too_long_for_x"),
        ("linkedin_url", "https://example.com/in/jane"),
        ("blog_url", "ftp://jane.example.com"),
        ("blog_url", "not a url"),
        ("mastodon_handle", "jane"),
        ("bluesky_handle", "not a handle"),
    ],
)
def test_bad_values_are_reported_on_their_own_field(field: str, raw: str) -> None:
    result = validate_prospect(draft_with(field, raw))
    assert not result.ok
    assert set(result.errors) == {field}


def test_name_is_required_and_whitespace_is_tidied() -> None:
    assert validate_prospect(ProspectDraft(name="   ")).errors == {"name": "is required"}
    tidy = validate_prospect(ProspectDraft(name="  Jane   Doe ", company=" Acme  Inc "))
    assert (tidy.draft.name, tidy.draft.company) == ("Jane Doe", "Acme Inc")


def test_several_bad_fields_are_all_reported() -> None:
    result = validate_prospect(ProspectDraft(name="", email="x", blog_url="nope nope"))
    assert set(result.errors) == {"name", "email", "blog_url"}
    assert result.first_error().startswith("Name:")


def test_tags_split_trim_and_deduplicate_ignoring_case() -> None:
    assert normalize_tags("Cloud; security, cloud ,  ,Security ") == ("Cloud", "security")
    assert normalize_tags(["a,b", "B", "c"]) == ("a", "b", "c")


# -- touch intervals -------------------------------------------------------------------------


def with_days(ideal: int | None, maximum: int | None) -> ProspectDraft:
    return ProspectDraft(name="Jane", touch_ideal_days=ideal, touch_max_days=maximum)


@pytest.mark.parametrize(
    ("ideal", "maximum", "field", "message"),
    [
        (0, None, "touch_ideal_days", "from 1 to 365"),
        (400, None, "touch_ideal_days", "from 1 to 365"),
        (None, 1, "touch_max_days", "from 2 to 365"),
        (None, 366, "touch_max_days", "from 2 to 365"),
        (10, 10, "touch_max_days", "more than the ideal interval (10 days)"),
        (20, 7, "touch_max_days", "more than the ideal interval (20 days)"),
    ],
)
def test_touch_intervals_out_of_range_or_out_of_order_are_refused(
    ideal: int | None, maximum: int | None, field: str, message: str
) -> None:
    result = validate_prospect(with_days(ideal, maximum))
    assert list(result.errors) == [field]
    assert message in result.errors[field]
    label = "Maximum touch interval" if field == "touch_max_days" else "Ideal touch interval"
    assert result.first_error().startswith(label)


def test_no_touch_intervals_means_the_default_and_a_sound_pair_is_kept() -> None:
    assert validate_prospect(with_days(None, None)).ok
    kept = validate_prospect(with_days(3, 7))
    assert kept.ok and (kept.draft.touch_ideal_days, kept.draft.touch_max_days) == (3, 7)
    assert validate_prospect(with_days(1, 365)).ok


def test_one_own_interval_is_checked_against_the_other_default() -> None:
    from smarketing_desktop.core.cadence import Cadence

    defaults = Cadence(14, 30)
    assert validate_prospect(with_days(40, None)).ok  # defaults unknown: cannot tell
    late = validate_prospect(with_days(40, None), defaults)
    assert "default maximum is 30 days" in late.errors["touch_max_days"]
    early = validate_prospect(with_days(None, 10), defaults)
    assert "default ideal is 14 days" in early.errors["touch_ideal_days"]
    assert validate_prospect(with_days(3, None), defaults).ok
    assert validate_prospect(with_days(None, 60), defaults).ok


@pytest.mark.parametrize(
    ("text", "days", "error"),
    [
        ("", None, False),
        ("  ", None, False),
        ("default", None, False),
        ("Default", None, False),
        ("7", 7, False),
        (" 21 ", 21, False),
        ("weekly", None, True),
        ("7.5", None, True),
    ],
)
def test_typed_touch_days_read_as_a_number_or_the_default(
    text: str, days: int | None, error: bool
) -> None:
    from smarketing_desktop.core.prospects import parse_touch_days

    parsed, message = parse_touch_days(text)
    assert parsed == days
    assert (message is not None) == error


def test_effective_cadence_falls_back_per_side_and_stays_ordered() -> None:
    from smarketing_desktop.core.cadence import Cadence
    from smarketing_desktop.core.prospects import effective_cadence

    defaults = Cadence(14, 30)
    assert effective_cadence(None, None, defaults) == Cadence(14, 30)
    assert effective_cadence(3, None, defaults) == Cadence(3, 30)
    assert effective_cadence(None, 60, defaults) == Cadence(14, 60)
    # The default maximum was lowered below the prospect's own ideal after it was set.
    assert effective_cadence(20, None, Cadence(7, 15)) == Cadence(20, 21)


def test_a_moment_reads_as_local_date_and_time_with_days_ago() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from smarketing_desktop.core.prospects import moment_text

    touched = datetime(2026, 11, 23, 5, 27, 41, 467746, tzinfo=UTC)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert moment_text(touched, now, UTC) == "Mon 23 Nov 2026 05:27 (today)"
    assert moment_text(touched, now + timedelta(days=1), UTC) == "Mon 23 Nov 2026 05:27 (yesterday)"
    assert moment_text(touched, now + timedelta(days=9), UTC).endswith("(9 days ago)")
    berlin_winter = timezone(timedelta(hours=1))
    assert moment_text(touched, now, berlin_winter) == "Mon 23 Nov 2026 06:27 (today)"
    new_york = timezone(timedelta(hours=-5))
    assert moment_text(touched, now, new_york) == "Mon 23 Nov 2026 00:27 (today)"
    assert "clock" in moment_text(now + timedelta(days=2), now, UTC)
