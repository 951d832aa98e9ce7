"""X's character count: links weigh 23 whatever their length, wide characters weigh two."""

from __future__ import annotations

from smarketing_desktop.core.x_text import X_LIMIT, x_length, x_remaining


def test_plain_text_counts_characters() -> None:
    assert x_length("") == 0
    assert x_length("Hello, Ada") == 10


def test_a_url_counts_as_23_whatever_its_length() -> None:
    short = "https://a.example"
    long = "https://example.com/" + "x" * 200
    assert x_length(short) == 23
    assert x_length(long) == 23
    assert x_length(f"Read this: {long}") == len("Read this: ") + 23
    assert x_length(f"See {short} and www.example.com/page") == len("See  and ") + 46


def test_punctuation_after_a_url_is_not_part_of_it() -> None:
    assert x_length("(https://example.com/a).") == 23 + 3


def test_wide_characters_count_twice() -> None:
    assert x_length("日本") == 4
    assert x_length("café") == 4  # Latin with accents is light
    assert x_length("👍") == 2


def test_remaining_goes_negative_past_the_limit() -> None:
    assert x_remaining("a" * X_LIMIT) == 0
    assert x_remaining("a" * (X_LIMIT + 5)) == -5
