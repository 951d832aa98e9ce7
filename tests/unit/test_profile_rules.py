"""The automatic profile checks: pass, fail and unknown, with details a rep can act on."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smarketing_desktop.core.image_check import (
    ImageFacts,
    ImageFormatError,
    image_size,
    inspect_image,
)
from smarketing_desktop.core.profile_rules import (
    RULES,
    ActivityFact,
    Outcome,
    RuleContext,
    count_persons,
    find_phrases,
    split_keywords,
)

NOW = datetime(2027, 3, 31, 7, 0, tzinfo=UTC)
KEYWORDS = ("cloud migration", "FinOps")


def png_bytes(width: int, height: int) -> bytes:
    """A minimal valid PNG (1-bit grey, all black), small even at banner sizes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def write_png(folder: Path, name: str, width: int, height: int) -> Path:
    path = folder / name
    path.write_bytes(png_bytes(width, height))
    return path


def run(
    rule: str,
    profile: Mapping[str, Any],
    context: RuleContext | None = None,
    **params: Any,
) -> Outcome:
    return RULES[rule].check(params, profile, context or RuleContext(NOW, KEYWORDS))


# -- the shared convention: missing is unknown, empty fails ---------------------------------


@pytest.mark.parametrize(
    ("rule", "params"),
    [
        ("text_length", {"field": "headline", "max": 220}),
        ("keywords", {"field": "headline"}),
        ("you_vs_i", {"field": "about"}),
        ("call_to_action", {"field": "about"}),
        ("image", {"field": "photo", "min_width": 400, "min_height": 400}),
        ("custom_url", {"field": "custom_url"}),
        ("filled", {"field": "featured"}),
        ("url", {"field": "url"}),
    ],
)
@pytest.mark.parametrize("empty", ["", "   ", None, [], {}])
def test_a_field_left_out_is_unknown_and_a_field_given_empty_fails(
    rule: str, params: dict[str, Any], empty: object
) -> None:
    field = params["field"]
    missing = run(rule, {"other": "x"}, **params)
    assert missing.status == "unknown"
    assert field in missing.detail
    assert run(rule, {field: empty}, **params).status == "fail"


# -- lengths -------------------------------------------------------------------------------


def test_headline_of_220_characters_passes_and_221_fails() -> None:
    assert run("text_length", {"headline": "x" * 220}, field="headline", max=220).status == "pass"
    too_long = run("text_length", {"headline": "x" * 221}, field="headline", max=220)
    assert too_long == Outcome("fail", "The headline is 221 characters (at most 220).")


def test_text_length_minimum_and_non_text() -> None:
    short = run("text_length", {"about": "Short."}, field="about", min=300, label="About section")
    assert short.status == "fail" and "6 characters" in short.detail
    assert "About section" in short.detail
    assert run("text_length", {"about": ["a"]}, field="about", max=5).status == "fail"


# -- keyword phrases -----------------------------------------------------------------------


def test_split_keywords_tidies_and_drops_duplicates() -> None:
    assert split_keywords(" cloud  migration ;FinOps;; finops ; ") == ("cloud migration", "FinOps")
    assert split_keywords("") == ()


def test_keyword_phrases_match_case_insensitively_as_whole_words() -> None:
    assert find_phrases("Helping teams with CLOUD\n Migration", KEYWORDS) == ["cloud migration"]
    assert find_phrases("finopsy things", KEYWORDS) == []
    assert find_phrases("AI for you", ["AI"]) == ["AI"]
    assert find_phrases("maintain", ["AI"]) == []
    assert find_phrases("We use C++ daily", ["C++"]) == ["C++"]


def test_headline_with_one_keyword_phrase_passes() -> None:
    found = run("keywords", {"headline": "I help CFOs with Cloud Migration"}, field="headline")
    assert found == Outcome("pass", 'Uses "cloud migration".')
    missing = run("keywords", {"headline": "Account executive at Acme"}, field="headline")
    assert missing.status == "fail"
    assert '"cloud migration", "FinOps"' in missing.detail


def test_keywords_in_a_list_field_and_a_minimum_count() -> None:
    skills = {"skills": ["SQL", "FinOps", "Cloud migration"]}
    assert run("keywords", skills, field="skills").status == "pass"
    assert run("keywords", {"skills": ["FinOps"]}, field="skills", min_matches=2).status == "fail"


def test_without_keyword_phrases_the_keyword_check_is_unknown() -> None:
    outcome = run("keywords", {"headline": "anything"}, RuleContext(NOW), field="headline")
    assert outcome.status == "unknown"
    assert "profile_keywords" in outcome.detail


# -- you versus I --------------------------------------------------------------------------


def test_counting_you_and_i_words() -> None:
    assert count_persons("You and your team; I’m sure my offer suits you.") == (3, 2)
    assert count_persons("Yours truly, myself; I'd say yourself") == (2, 2)


def test_an_about_written_for_the_customer_passes_with_counts() -> None:
    about = "Your close takes two weeks. You deserve three days. I can show you how."
    outcome = run("you_vs_i", {"about": about}, field="about")
    assert outcome.status == "pass"
    assert outcome.detail.startswith("3 you/your against 1 I/me/my")


def test_an_i_heavy_about_fails_and_says_the_counts() -> None:
    about = "I am a seasoned seller. My career spans ten years; I love my job and you."
    outcome = run("you_vs_i", {"about": about}, field="about")
    assert outcome.status == "fail"
    assert "1 you/your against 4 I/me/my" in outcome.detail


def test_equal_counts_and_no_person_words_fail() -> None:
    assert run("you_vs_i", {"about": "You and I."}, field="about").status == "fail"
    assert run("you_vs_i", {"about": "Cloud experts."}, field="about").status == "fail"


# -- call to action ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "about",
    [
        "Book a 20-minute call.",
        "Want faster closes? Let’s talk.",
        "Happy to help: reach out any time.",
        "DM me for the guide.",
        "Questions? GET IN TOUCH.",
        "Calendar: https://cal.example/jane",
        "Write to jane@acme.example",
        "We can schedule a workshop.",
    ],
)
def test_calls_to_action_are_found(about: str) -> None:
    assert run("call_to_action", {"about": about}, field="about").status == "pass"


@pytest.mark.parametrize("about", ["I sell software.", "The book about cloud.", "Rescheduled."])
def test_text_without_a_call_to_action_fails(about: str) -> None:
    outcome = run("call_to_action", {"about": about}, field="about")
    assert outcome.status == "fail" and "call to action" in outcome.detail


def test_a_checklist_can_give_its_own_phrases() -> None:
    outcome = run("call_to_action", {"about": "Ring us"}, field="about", phrases=["ring us"])
    assert outcome == Outcome("pass", 'Call to action: "ring us".')


# -- images --------------------------------------------------------------------------------

PHOTO: dict[str, Any] = {
    "field": "photo",
    "min_width": 400,
    "min_height": 400,
    "aspect": 1.0,
    "tolerance": 0.1,
}
BANNER: dict[str, Any] = {
    "field": "banner",
    "min_width": 1584,
    "min_height": 396,
    "aspect": 4.0,
    "tolerance": 0.15,
}


def test_png_sizes_are_read_from_the_header(tmp_path: Path) -> None:
    assert image_size(png_bytes(400, 300)) == (400, 300)
    facts = inspect_image(write_png(tmp_path, "p.png", 1584, 396))
    assert (facts.width, facts.height, facts.problem) == (1584, 396, None)
    assert facts.snapshot() == {
        "file": "p.png",
        "bytes": facts.size_bytes,
        "width": 1584,
        "height": 396,
    }


def test_jpeg_gif_and_webp_sizes() -> None:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 480, 640) + b"\x00" * 10
    assert image_size(b"\xff\xd8" + app0 + sof + b"\xff\xd9") == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 32, 16) + b"\x00" * 8) == (32, 16)
    vp8x = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8 + (399).to_bytes(3, "little") * 2
    assert image_size(vp8x) == (400, 400)


@pytest.mark.parametrize(
    "data",
    [b"not an image", b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xd8\xff\xd9", png_bytes(1, 1)[:20]],
)
def test_unreadable_images_raise(data: bytes) -> None:
    with pytest.raises(ImageFormatError):
        image_size(data)


@pytest.mark.parametrize(
    ("size", "status", "words"),
    [
        ((400, 400), "pass", "400x400 pixels (photo.png)"),
        ((420, 400), "pass", "420x400"),
        ((300, 300), "fail", "300x300 pixels: smaller than 400x400"),
        ((800, 400), "fail", "800x400 pixels: not square (2.00:1"),
        ((300, 600), "fail", "smaller than 400x400 and not square"),
    ],
)
def test_photo_size_and_shape(
    tmp_path: Path, size: tuple[int, int], status: str, words: str
) -> None:
    facts = inspect_image(write_png(tmp_path, "photo.png", *size))
    outcome = run("image", {"photo": facts}, **PHOTO)
    assert outcome.status == status
    assert words in outcome.detail


def test_banner_wide_enough_passes_and_a_square_banner_fails(tmp_path: Path) -> None:
    wide = inspect_image(write_png(tmp_path, "banner.png", 1584, 396))
    assert run("image", {"banner": wide}, **BANNER) == Outcome(
        "pass", "1584x396 pixels (banner.png)."
    )
    square = inspect_image(write_png(tmp_path, "square.png", 1600, 1600))
    outcome = run("image", {"banner": square}, **BANNER)
    assert outcome.status == "fail" and "not 4:1" in outcome.detail


def test_a_missing_or_broken_image_file_fails_with_its_path(tmp_path: Path) -> None:
    gone = inspect_image(tmp_path / "gone.png")
    outcome = run("image", {"photo": gone}, **PHOTO)
    assert outcome.status == "fail"
    assert str(tmp_path / "gone.png") in outcome.detail
    text = tmp_path / "notes.png"
    text.write_text("hello")
    broken = run("image", {"photo": inspect_image(text)}, **PHOTO)
    assert broken.status == "fail" and "not a PNG, JPEG, GIF or WebP" in broken.detail
    assert inspect_image(tmp_path).problem is not None  # a folder


def test_image_sizes_from_an_account_connection_need_no_file() -> None:
    given = {"photo": {"url": "https://pbs.example/p.jpg", "width": 400, "height": 400}}
    assert run("image", given, **PHOTO).status == "pass"
    assert run("image", {"photo": {"width": 0, "height": 0}}, **PHOTO).status == "fail"
    assert run("image", {"photo": 42}, **PHOTO).status == "fail"
    unopened = run("image", {"photo": "photo.png"}, **PHOTO)
    assert unopened.status == "unknown"
    assert ImageFacts("p.png", width=1, height=1).snapshot() == {
        "file": "p.png",
        "width": 1,
        "height": 1,
    }


# -- custom URL, filled, url ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("https://www.linkedin.com/in/jane-doe/", "pass"),
        ("linkedin.com/in/janedoe-cfo2025", "pass"),
        ("jane-doe", "pass"),
        ("https://www.linkedin.com/in/jane-doe-1a2b3c4d", "fail"),
        ("linkedin.com/in/jane-doe-12345678?trk=x", "fail"),
        ("https://example.com/jane", "fail"),
        ("linkedin.com/in/", "fail"),
    ],
)
def test_custom_profile_address(value: str, status: str) -> None:
    outcome = run("custom_url", {"custom_url": value}, field="custom_url")
    assert outcome.status == status, outcome.detail


def test_filled_counts_lists_numbers_and_mappings() -> None:
    assert run("filled", {"featured": ["Guide", "Case"]}, field="featured").status == "pass"
    few = run("filled", {"recommendations": 1}, field="recommendations", min_items=2)
    assert few.status == "fail" and "at least 2" in few.detail
    zero = run("filled", {"recommendations": 0}, field="recommendations")
    assert zero.status == "fail"
    contact = run("filled", {"contact": {"email": "j@a.example", "phone": ""}}, field="contact")
    assert contact == Outcome("pass", "Contact: email.")
    pinned = run("filled", {"pinned_post": "Our guide"}, field="pinned_post", label="pinned post")
    assert pinned == Outcome("pass", 'Pinned post: "Our guide".')


@pytest.mark.parametrize(
    ("value", "status"),
    [("https://acme.example/jane", "pass"), ("acme.example", "pass"), ("not a link", "fail")],
)
def test_link(value: str, status: str) -> None:
    assert run("url", {"url": value}, field="url").status == status


# -- recent activity -----------------------------------------------------------------------


def _activity(*entries: tuple[str, int]) -> RuleContext:
    facts = tuple(ActivityFact(kind, NOW - timedelta(days=days)) for kind, days in entries)
    return RuleContext(NOW, KEYWORDS, facts)


def test_recent_shares_and_comments_pass() -> None:
    context = _activity(("share_linkedin", 3), ("comment", 10), ("call", 1), ("share_x", 2))
    outcome = run("recent_activity", {}, context, kinds=["share_linkedin", "comment"])
    assert outcome.status == "pass"
    assert outcome.detail.startswith("2 posts, shares or comments in the last 30 days")
    assert "latest 2027-03-28" in outcome.detail


def test_activity_older_than_the_window_or_of_other_kinds_fails() -> None:
    context = _activity(("share_linkedin", 31), ("call", 1), ("share_x", 2))
    outcome = run("recent_activity", {}, context, kinds=["share_linkedin", "comment"], days=30)
    assert outcome.status == "fail"
    assert "the last was 2027-02-28" in outcome.detail
    never = run("recent_activity", {}, _activity(), days=30)
    assert never.status == "fail" and "none logged yet" in never.detail


def test_default_kinds_take_any_share_and_profile_dates_count_too() -> None:
    assert run("recent_activity", {}, _activity(("share_x", 29))).status == "pass"
    given = {"last_post_at": "2027-03-20"}
    assert run("recent_activity", given, _activity(), field="last_post_at").status == "pass"
    bad = run("recent_activity", {"last_post_at": "soon"}, _activity(), field="last_post_at")
    assert bad.status == "fail" and "soon" in bad.detail


def test_an_account_image_without_a_size_carries_its_own_fail_or_unknown() -> None:
    """An account connection saw the image but could not measure it: no pass without a size."""
    check_image = RULES["image"].check
    params = {"field": "photo", "min_width": 400, "min_height": 400}
    context = RuleContext(NOW)
    default = {"source": "x", "url": "u", "verdict": "fail", "reason": "X's default image."}
    assert check_image(params, {"photo": default}, context) == Outcome("fail", "X's default image.")
    judged = {"source": "x", "verdict": "unknown", "reason": "Yours to judge."}
    assert check_image(params, {"photo": judged}, context).status == "unknown"
    claimed = {"source": "x", "verdict": "pass", "reason": "Trust me."}
    assert check_image(params, {"photo": claimed}, context).status == "fail"
    measured = {"verdict": "fail", "reason": "ignored", "width": 500, "height": 500}
    assert check_image(params, {"photo": measured}, context).status == "pass"
