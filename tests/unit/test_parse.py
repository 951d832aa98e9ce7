"""What a post looks like once parsed: safe HTML, a readable title, a stable identity."""

from __future__ import annotations

import json

import pytest

from smarketing_desktop.feeds.parse import FeedParseError, display_title, entry_key, parse_feed

HOSTILE = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://jane.example/blog/">
  <title>Jane</title>
  <entry>
    <id>tag:jane.example,2026:1</id>
    <title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp;
      &lt;script&gt;x()&lt;/script&gt;title</title>
    <link href="posts/1"/>
    <content type="html">&lt;p onclick="steal()"&gt;Hi
      &lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;
      &lt;img src="https://tracker.example/pixel.gif" onerror="steal()"&gt;
      &lt;script&gt;steal()&lt;/script&gt;&lt;a href="more"&gt;more&lt;/a&gt;&lt;/p&gt;</content>
  </entry>
</feed>"""


def test_entry_html_is_sanitized_and_relative_links_resolved() -> None:
    entry = parse_feed(HOSTILE).entries[0]
    content = entry.content or ""
    for bad in ("<script", "onclick", "onerror", "javascript:", "steal()"):
        assert bad not in content
    assert 'href="https://jane.example/blog/more"' in content
    assert entry.link == "https://jane.example/blog/posts/1"
    assert entry.title == "Bold & title"


def test_posts_without_titles_get_one_from_their_text() -> None:
    long_text = (
        "<p>Evidence collection for SOC 2 is eating my team's week. "
        "Anyone automated it from tickets?</p>"
    )
    title = display_title(None, long_text)
    assert title.startswith("Evidence collection for SOC 2")
    assert title.endswith("…") and len(title) <= 81
    assert display_title("  ", "<p>Short note</p>") == "Short note"
    assert display_title(None, None) == "(untitled)"


def test_identity_is_guid_then_link_then_content_hash() -> None:
    assert entry_key("g1", "https://x.example/1", "T", "C") == "g1"
    assert entry_key(None, "https://x.example/1", "T", "C") == "https://x.example/1"
    hashed = entry_key(None, None, "T", "C")
    assert hashed.startswith("sha256:") and hashed == entry_key("", " ", "T", "C")
    assert hashed != entry_key(None, None, "T", "D")


def test_json_feed_with_wrong_types_is_read_not_crashed_on() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": 5,
            "items": [{"id": 1, "title": 7, "content_html": 9, "url": 3, "authors": "x"}, "junk"],
        }
    ).encode()
    parsed = parse_feed(body)
    assert parsed.title is None
    assert [(e.key, e.title, e.link) for e in parsed.entries] == [("1", "(untitled)", None)]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><head><title>Shop</title></head></html>", "web page"),
        (b'{"rss": {"channel": {}}}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', "broken"),
        (b"<?xml version='1.0'?>\n<catalog>\n<x>\n", "broken at line"),
    ],
)
def test_things_that_are_not_feeds_are_refused_in_plain_words(body: bytes, words: str) -> None:
    with pytest.raises(FeedParseError, match=words):
        parse_feed(body)
