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
