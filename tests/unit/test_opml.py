"""OPML: subscriptions come in from other readers and go out again with their prospect links.

Imported files come from anywhere, so hostile XML (entity bombs, external entities) must be
refused without expanding anything or touching a file or a server.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from smarketing_desktop.feeds.opml import NAMESPACE, OpmlError, OpmlFeed, parse_opml, write_opml
from tests.support.http_server import LocalServer, Response

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "realworld" / "netnewswire"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="shared corpus not checked out beside the repo"
)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def opml(body: str, *, head: str = "<head><title>t</title></head>", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<opml version="2.0">{head}'
        f"<body>{body}</body></opml>"
    ).encode()


def feed(
    url: str,
    *,
    title: str | None = None,
    site_url: str | None = None,
    prospect_id: int | None = None,
    prospect_name: str | None = None,
    prospect_email: str | None = None,
    category: str | None = None,
) -> OpmlFeed:
    return OpmlFeed(url, title, site_url, prospect_id, prospect_name, prospect_email, category)


# --- Import ------------------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("name", ["Subs.opml", "SubsNoTitleAttributes.opml"])
def test_real_subscription_lists(name: str) -> None:
    """211 outlines: 4 folders and 207 feeds, each with a distinct address."""
    feeds = parse_opml((CORPUS / name).read_bytes())
    assert len(feeds) == 207
    assert len({f.url for f in feeds}) == 207
    assert all(f.title for f in feeds)
    assert {f.category for f in feeds} == {None, "Programming", "Macintosh", "Weblogs", "Writers"}
    first = feeds[0]
    assert first == feed(
        "http://daringfireball.net/feeds/main",
        title="Daring Fireball",
        site_url="http://daringfireball.net/",
    )
    julia = next(f for f in feeds if f.url == "http://jvns.ca/atom.xml")
    assert julia.site_url is None  # htmlUrl="" in one file, absent in the other


@needs_corpus
def test_both_corpus_files_hold_the_same_subscriptions() -> None:
    with_titles = parse_opml((CORPUS / "Subs.opml").read_bytes())
    without = parse_opml((CORPUS / "SubsNoTitleAttributes.opml").read_bytes())
    assert [(f.url, f.category) for f in with_titles] == [(f.url, f.category) for f in without]


def test_nested_folders_become_category_paths() -> None:
    data = b"""<?xml version="1.0"?>
<opml version="1.0"><head/><body>
  <outline text="Loose" xmlUrl="https://loose.example/rss"/>
  <outline title="Tech">
    <outline text="AI">
      <outline text="Deep" type="rss" xmlUrl="https://deep.example/rss"/>
    </outline>
    <outline text="Gadgets" xmlUrl="https://gadgets.example/rss" htmlUrl="https://gadgets.example/"/>
  </outline>
  <outline text="Tagged" xmlUrl="https://tagged.example/rss" category="/News/World,/Other"/>
</body></opml>"""
    assert [(f.url, f.category, f.title) for f in parse_opml(data)] == [
        ("https://loose.example/rss", None, "Loose"),
        ("https://deep.example/rss", "Tech/AI", "Deep"),
        ("https://gadgets.example/rss", "Tech", "Gadgets"),
        ("https://tagged.example/rss", "News/World", "Tagged"),
    ]


@pytest.mark.parametrize("attribute", ["xmlUrl", "xmlurl", "xmlURL", "XMLURL"])
def test_feed_address_attribute_in_any_case(attribute: str) -> None:
    data = opml(
        f'<outline text="A" {attribute}="https://a.example/feed" HTMLURL="https://a.example/"/>'
    )
    assert parse_opml(data) == [
        feed("https://a.example/feed", title="A", site_url="https://a.example/")
    ]


def test_unusable_outlines_are_skipped_and_duplicates_keep_the_first() -> None:
    data = opml(
        '<outline text="Note without a feed"/>'
        '<outline text="Empty" xmlUrl=""/>'
        '<outline text="Script" xmlUrl="javascript:alert(1)"/>'
        '<outline text="Local file" xmlUrl="file:///etc/passwd"/>'
        '<outline text="No host" xmlUrl="https://"/>'
        '<outline text="First" xmlUrl=" https://a.example/feed "/>'
        '<outline text="Folder"><outline text="Second" xmlUrl="https://a.example/feed"/></outline>'
        '<outline text="Site" xmlUrl="https://b.example/feed" htmlUrl="javascript:x"/>'
    )
    assert parse_opml(data) == [
        feed("https://a.example/feed", title="First"),
        feed("https://b.example/feed", title="Site"),
    ]


def test_an_opml_with_no_feeds_is_an_empty_list() -> None:
    assert parse_opml(opml("")) == []


def test_old_encodings_are_read() -> None:
    gb = '<?xml version="1.0" encoding="gb2312"?><opml version="1.1"><body>'
    gb += '<outline text="中文博客" xmlUrl="http://blog.example.cn/rss"/></body></opml>'
    assert parse_opml(gb.encode("gb2312"))[0].title == "中文博客"
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body>'
    latin += '<outline text="Café" xmlUrl="http://cafe.example/rss"/></body></opml>'
    assert parse_opml(latin.encode("latin-1"))[0].title == "Café"


# --- Refusals ----------------------------------------------------------------------------------


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://a.example/feed"/></body></opml>"""


def test_entity_expansion_bomb_is_refused() -> None:
    with pytest.raises(OpmlError, match="declares XML entities"):
        parse_opml(BILLION_LAUGHS)


def test_external_entity_cannot_read_a_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/feed"/>'
        "</body></opml>"
    ).encode()
    with pytest.raises(OpmlError) as caught:
        parse_opml(data)
    assert "TOP-SECRET-TOKEN" not in str(caught.value)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE opml [<!ENTITY x SYSTEM "{url}">]>',
        '<!DOCTYPE opml [<!ENTITY % p SYSTEM "{url}"> %p;]>',
        '<!DOCTYPE opml SYSTEM "{url}">',
    ],
)
def test_external_references_never_reach_a_server(http_server: LocalServer, doctype: str) -> None:
    http_server.routes["/evil"] = Response(b'<!ENTITY x "pwned">')
    prolog = doctype.format(url=http_server.url("/evil"))
    body = '<outline text="a" xmlUrl="https://a.example/feed"/>'
    try:
        feeds = parse_opml(opml(body, prolog=prolog))
    except OpmlError:
        pass
    else:  # a plain external DTD is harmless as long as it is not loaded
        assert [f.title for f in feeds] == ["a"]
    assert http_server.seen == []


def test_broken_xml_names_the_line() -> None:
    data = b"""<?xml version="1.0"?>
<opml version="2.0">
<body>
  <outline text="A" xmlUrl="https://a.example/feed">
</body>
</opml>"""
    with pytest.raises(OpmlError, match=r"line 5, column 3 \(mismatched tag\)"):
        parse_opml(data)


def test_unescaped_ampersand_names_the_line() -> None:
    data = (
        b'<?xml version="1.0"?>\n<opml>\n<body>\n<outline text="R&D" xmlUrl="https://a.example/"/>'
    )
    with pytest.raises(OpmlError, match="line 4"):
        parse_opml(data)


@needs_corpus
@pytest.mark.parametrize("name", ["DaringFireball.html", "coco.html"])
def test_a_web_page_is_not_imported(name: str) -> None:
    with pytest.raises(OpmlError, match="web page"):
        parse_opml((CORPUS / name).read_bytes())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (
            b"<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</body></html>",
            "web page",
        ),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "web page"),
        (b"name,url\nJane,https://a.example/feed\n", "line 1"),
        (b'{"feeds": []}', "line 1"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "starts with <rss>"),
        (b'<opml version="2.0"><head><title>x</title></head></opml>', "no <body>"),
        (b'<?xml version="1.0" encoding="klingon"?><opml/>', "cannot be read"),
    ],
)
def test_files_that_are_not_opml_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(OpmlError, match=words):
        parse_opml(data)


# --- Export ------------------------------------------------------------------------------------


JANE = feed(
    "https://jane.example/feed?format=rss&lang=en",
    title='Jane\'s "Notes" <on> sales & more',
    site_url="https://jane.example/",
    prospect_id=42,
    prospect_name="Jane O'Doe",
    prospect_email="jane@acme.example",
    category="Prospects/Jane O'Doe",
)


def test_export_is_opml_2_that_other_readers_understand() -> None:
    data = write_opml(
        [JANE, feed("https://b.example/rss", title="B")], title="Q4 & beyond", now=NOW
    )
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(data)
    assert (root.tag, root.get("version")) == ("opml", "2.0")
    assert root.findtext("head/title") == "Q4 & beyond"
    assert parsedate_to_datetime(root.findtext("head/dateCreated") or "") == NOW
    prospects = root.find("body/outline")
    assert prospects is not None and prospects.get("text") == "Prospects"
    outline = root.find("body/outline/outline/outline")
    assert outline is not None
    assert outline.attrib == {
        "type": "rss",
        "text": JANE.title,
        "title": JANE.title,
        "xmlUrl": JANE.url,
        "htmlUrl": JANE.site_url,
        "category": "/Prospects/Jane O'Doe",
        f"{{{NAMESPACE}}}prospectId": "42",
        f"{{{NAMESPACE}}}prospect": "Jane O'Doe",
        f"{{{NAMESPACE}}}prospectEmail": "jane@acme.example",
    }
    assert b'xmlns:smarketing="https://smarketing-desktop.org/opml"' in data


def test_round_trip_keeps_every_field_and_the_order() -> None:
    """Feeds come back in export order; a folder is written where its first feed appears."""
    feeds = [
        JANE,
        feed(
            "https://e.example/rss", title="Ünïcødé ✓ 中文", prospect_id=7, category="Prospects/Bo"
        ),
        feed("https://b.example/rss", category="Tech/AI"),
        feed("https://c.example/rss", title="Line\nbreak\tand tab", category="Tech"),
        feed("https://d.example/rss", title="Plain", site_url="https://d.example/"),
    ]
    assert parse_opml(write_opml(feeds, now=NOW)) == feeds


def test_prospect_feeds_without_a_folder_are_grouped_under_prospects() -> None:
    linked = feed("https://a.example/rss", title="A", prospect_id=3, prospect_name="Bo Li")
    back = parse_opml(write_opml([linked], now=NOW))
    assert back == [
        feed(
            "https://a.example/rss",
            title="A",
            prospect_id=3,
            prospect_name="Bo Li",
            category="Prospects/Bo Li",
        )
    ]


def test_characters_xml_cannot_hold_are_dropped_not_fatal() -> None:
    dirty = feed("https://a.example/rss", title="Bad\x00\x07\x1b name", category="Odd\x01")
    data = write_opml([dirty], title="x\x0c", now=NOW)
    assert parse_opml(data) == [feed("https://a.example/rss", title="Bad name", category="Odd")]


def test_naive_time_is_taken_as_utc() -> None:
    data = write_opml([], now=datetime(2026, 1, 2, 3, 4, 5))  # noqa: DTZ001
    assert b"<dateCreated>Fri, 02 Jan 2026 03:04:05 +0000</dateCreated>" in data
    assert parse_opml(data) == []
