"""Discovery: what a rep types becomes a working feed address, or an error saying what was tried.

Profile mappings are checked without any network; everything that fetches runs against the
local HTTP server. Platform hosts (youtube.com, bsky.app...) are routed to that same server by
a transport that rewrites the address, so the real HTTP path is exercised without leaving
this machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from smarketing_desktop.feeds.discover import (
    MAX_FETCHES,
    Discovery,
    DiscoveryError,
    candidate_urls,
    discover,
    feed_links,
    looks_like_html,
    well_known_urls,
    youtube_channel_id,
)
from smarketing_desktop.feeds.fetch import FetchLimits, HttpClient, make_client
from tests.support.http_server import LocalServer, Response

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "realworld" / "netnewswire"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="shared corpus not checked out beside the repo"
)

FAST = FetchLimits(deadline=2.0, read_timeout=1.0, connect_timeout=1.0, max_body=1024 * 1024)
CHANNEL = "UCct7QF2jcWRY6dhXWMSq9LQ"

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>  Jane's
  Blog </title><link>https://jane.example/</link>
<item><title>Hello</title><link>https://jane.example/1</link></item></channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Title</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>A</title><id>urn:a</id><updated>2026-01-01T00:00:00Z</updated></entry></feed>"""
JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Blog",
"items": [{"id": "1", "url": "https://jane.example/1", "content_text": "Hi"}]}"""


def page(head: str = "", body: str = "<p>Hello</p>") -> bytes:
    html = f"<!DOCTYPE html><html><head><title>Site</title>{head}</head><body>{body}</body></html>"
    return html.encode()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with make_client(FAST) as c:
        yield c


class ToLocalServer:
    """A route that sends every request, whatever its host, to the local server (path kept)."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.original: list[str] = []

    def __call__(self, url: str) -> str:
        self.original.append(url)
        parts = urlsplit(url)
        return self.server.url(parts.path + (f"?{parts.query}" if parts.query else ""))


@pytest.fixture
def router(http_server: LocalServer) -> ToLocalServer:
    return ToLocalServer(http_server)


@pytest.fixture
def any_host_client(router: ToLocalServer) -> Iterator[HttpClient]:
    with HttpClient(FAST, route=router) as c:
        yield c


def requested(server: LocalServer) -> list[str]:
    return [seen.path for seen in server.seen]


# --- Links in pages (pure) ---------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    ("name", "page_url", "expected"),
    [
        (
            "DaringFireball.html",
            "https://daringfireball.net/",
            ["https://daringfireball.net/feeds/main"],
        ),
        ("furbo.html", "https://furbo.org/", ["http://furbo.org/feed/"]),
        ("inessential.html", "https://inessential.com/", ["http://inessential.com/xml/rss.xml"]),
        ("sixcolors.html", "https://sixcolors.com/", ["http://feedpress.me/sixcolors"]),
        (
            "coco.html",
            "https://www.theatlantic.com/entertainment/archive/2017/11/coco/546547/",
            ["https://www.theatlantic.com/feed/all/", "https://www.theatlantic.com/feed/best-of/"],
        ),
        (
            "YouTubeTheVolvoRocks.html",
            "https://www.youtube.com/user/TheVolvorocks",
            [f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"],
        ),
    ],
)
def test_feed_links_of_real_pages(name: str, page_url: str, expected: list[str]) -> None:
    html = (CORPUS / name).read_bytes()
    assert looks_like_html(html)
    assert feed_links(html, page_url) == expected


@needs_corpus
def test_youtube_page_names_its_channel() -> None:
    assert youtube_channel_id((CORPUS / "YouTubeTheVolvoRocks.html").read_bytes()) == CHANNEL
    assert youtube_channel_id((CORPUS / "DaringFireball.html").read_bytes()) is None


@needs_corpus
@pytest.mark.parametrize(
    "name", ["DaringFireball.rss", "allthis.atom", "bio.rdf", "atp.rss", "DaringFireball.json"]
)
def test_feeds_are_not_mistaken_for_pages(name: str) -> None:
    assert not looks_like_html((CORPUS / name).read_bytes())


def test_links_resolve_against_base_href_in_document_order() -> None:
    html = page(
        '<base href="/blog/">'
        '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/7">'
        '<link rel="stylesheet" type="text/css" href="style.css">'
        '<link rel="alternate" media="handheld" href="https://m.example.com/">'
        '<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">'
        '<link rel="alternate" type="application/rss+xml" href="rss.xml?a=1&amp;b=2#top">'
        '<link rel="alternate" type="application/feed+json" href="//cdn.example.net/feed.json">'
        '<link rel="alternate" type="application/rss+xml" href="atom.xml">'
    )
    assert feed_links(html, "https://example.com/about/") == [
        "https://example.com/blog/atom.xml",
        "https://example.com/blog/rss.xml?a=1&b=2",
        "https://cdn.example.net/feed.json",
        # a plain JSON link is usually WordPress's API, so it comes last
        "https://example.com/wp-json/wp/v2/pages/7",
    ]


def test_broken_markup_still_yields_links() -> None:
    html = (
        b"<html><head><link rel=alternate type=application/rss+xml href=/feed.rss>"
        b"<link rel='alternate' type='application/atom+xml' href='javascript:alert(1)'>"
        b"<link rel=alternate type=application/atom+xml href='http://[::1'>"
        b"<link rel=alternate type=application/atom+xml href='http://exa mple.com/feed'>"
        b"<div <p unclosed <![ broken"
    )
    assert feed_links(html, "http://127.0.0.1:8000/x/") == ["http://127.0.0.1:8000/feed.rss"]
    assert feed_links(b"\xff\xfe\x00garbage\x80\x81", "https://e.com/") == []
    broken_base = b'<base href="http://[::1"><link rel=alternate type=application/rss+xml href=f>'
    assert feed_links(broken_base, "https://e.com/a/") == ["https://e.com/a/f"]


def test_channel_id_from_page_json_when_metadata_is_missing() -> None:
    html = page(body=f'<script>var x = {{"channelId":"{CHANNEL}","title":"x"}};</script>')
    assert youtube_channel_id(html) == CHANNEL


def test_well_known_paths_cover_the_page_folder_and_the_root() -> None:
    assert well_known_urls("https://example.com/") == [
        f"https://example.com/{name}"
        for name in (
            "feed",
            "rss.xml",
            "atom.xml",
            "index.xml",
            "feed.json",
            "feed.xml",
            "rss",
            "index.rss",
        )
    ]
    assert well_known_urls("https://example.com/blog?page=2")[:4] == [
        "https://example.com/blog/feed",
        "https://example.com/feed",
        "https://example.com/blog/rss.xml",
        "https://example.com/rss.xml",
    ]


# --- What the rep typed (pure) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "candidates"),
    [
        ("example.com", "feed", ["https://example.com/"]),
        ("  HTTPS://Example.COM/Blog  ", "feed", ["https://example.com/Blog"]),
        ("feed://example.com/rss", "feed", ["https://example.com/rss"]),
        ("http://127.0.0.1:8080/blog", "feed", ["http://127.0.0.1:8080/blog"]),
        ("localhost:9000", "feed", ["http://localhost:9000/"]),
        ("@jane@mastodon.social", "mastodon", ["https://mastodon.social/@jane.rss"]),
        ("jane@Mastodon.Social", "mastodon", ["https://mastodon.social/@jane.rss"]),
        ("https://mastodon.social/@jane", "mastodon", ["https://mastodon.social/@jane.rss"]),
        (
            "https://mastodon.social/@jane/11223344",
            "mastodon",
            ["https://mastodon.social/@jane.rss"],
        ),
        (
            "https://mastodon.social/@jane@fosstodon.org",
            "mastodon",
            ["https://fosstodon.org/@jane.rss"],
        ),
        ("jane.bsky.social", "bluesky", ["https://bsky.app/profile/jane.bsky.social/rss"]),
        ("@Jane.bsky.social", "bluesky", ["https://bsky.app/profile/jane.bsky.social/rss"]),
        ("@jane.dev", "bluesky", ["https://bsky.app/profile/jane.dev/rss"]),
        ("https://bsky.app/profile/jane.dev", "bluesky", ["https://bsky.app/profile/jane.dev/rss"]),
        ("bsky.app/profile/jane.dev/post/3k", "bluesky", ["https://bsky.app/profile/jane.dev/rss"]),
        # A bare custom domain is a website: it may be a Bluesky handle too, but we cannot tell.
        ("jane.dev", "feed", ["https://jane.dev/"]),
        (
            f"https://www.youtube.com/channel/{CHANNEL}",
            "youtube",
            [f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"],
        ),
        (
            f"youtube.com/channel/{CHANNEL}/videos",
            "youtube",
            [f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"],
        ),
        ("https://www.youtube.com/@randy", "youtube", ["https://www.youtube.com/@randy"]),
        ("https://m.youtube.com/c/randy", "youtube", ["https://www.youtube.com/c/randy"]),
        (
            "https://www.youtube.com/user/TheVolvorocks",
            "youtube",
            [
                "https://www.youtube.com/user/TheVolvorocks",
                "https://www.youtube.com/feeds/videos.xml?user=TheVolvorocks",
            ],
        ),
        (
            "https://www.youtube.com/playlist?list=PLx1",
            "youtube",
            ["https://www.youtube.com/feeds/videos.xml?playlist_id=PLx1"],
        ),
        ("https://jane.substack.com", "substack", ["https://jane.substack.com/feed"]),
        ("jane.substack.com/p/a-post", "substack", ["https://jane.substack.com/feed"]),
        ("https://medium.com/@jane", "medium", ["https://medium.com/feed/@jane"]),
        ("https://medium.com/@jane/a-post-123", "medium", ["https://medium.com/feed/@jane"]),
        ("https://jane.medium.com/", "medium", ["https://jane.medium.com/feed"]),
        ("https://medium.com/the-pub", "medium", ["https://medium.com/feed/the-pub"]),
        ("https://medium.com/feed/@jane", "medium", ["https://medium.com/feed/@jane"]),
    ],
)
def test_profiles_map_to_their_feed_addresses(typed: str, kind: str, candidates: list[str]) -> None:
    assert candidate_urls(typed) == (kind, candidates)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Type the address"),
        ("   ", "Type the address"),
        ("Jane Doe", "no spaces"),
        ("@jane", "name.bsky.social"),
        ("@jane@not a host", "no spaces"),
        ("jane@@x.com", "not an address"),
        ("ftp://example.com/feed", "only http:// and https://"),
        ("javascript:alert(1)", "not a web address"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("http://[::1", "not a valid web address"),
        ("https://example.com:99999/", "not a valid web address"),
        ("janedoe", "does not look like a web address"),
    ],
)
def test_unusable_input_is_explained(typed: str, words: str) -> None:
    with pytest.raises(DiscoveryError, match=words):
        candidate_urls(typed)


def test_bad_input_never_reaches_the_network(client: HttpClient) -> None:
    with pytest.raises(DiscoveryError, match="no spaces"):
        discover(client, "Jane Doe", limits=FAST)


# --- Discovery over HTTP -----------------------------------------------------------------------


def test_a_feed_address_is_taken_as_is_whatever_it_is_labelled(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/posts.html"] = Response(RSS, headers={"Content-Type": "text/html"})
    found = discover(client, http_server.url("/posts.html"), limits=FAST)
    assert (found.feed_url, found.title, found.kind) == (
        http_server.url("/posts.html"),
        "Jane's Blog",
        "feed",
    )
    assert found.fetched.body == RSS and found.fetched.ok
    assert [e.title for e in found.parsed.entries] == ["Hello"]
    assert requested(http_server) == ["/posts.html"]


def test_json_feed_is_found_by_content(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/feed"] = Response(JSON_FEED, headers={"Content-Type": "text/plain"})
    found = discover(client, http_server.url("/feed"), limits=FAST)
    assert found.title == "JSON Blog" and len(found.parsed.entries) == 1


def test_page_with_alternate_link(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/blog/"] = Response(
        page(
            '<link rel="alternate" type="application/rss+xml" href="/missing.xml">'
            '<link rel="alternate" type="application/atom+xml" href="atom">'
        )
    )
    http_server.routes["/blog/atom"] = Response(ATOM)
    found = discover(client, http_server.url("/blog/"), limits=FAST)
    assert found == Discovery(
        http_server.url("/blog/atom"), "Atom Title", "feed", found.fetched, found.parsed
    )
    assert requested(http_server) == ["/blog/", "/missing.xml", "/blog/atom"]


def test_page_without_links_falls_back_to_usual_paths(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/"] = Response(page())
    http_server.routes["/feed"] = Response(page())  # some sites answer every path with a page
    http_server.routes["/feed.xml"] = Response(RSS, headers={"Content-Type": "text/plain"})
    typed = f"127.0.0.1:{http_server.server_address[1]}"  # no scheme, as a rep would type it
    found = discover(client, typed, limits=FAST)
    assert found.feed_url == http_server.url("/feed.xml")
    assert requested(http_server) == [
        "/",
        "/feed",
        "/rss.xml",
        "/atom.xml",
        "/index.xml",
        "/feed.json",
        "/feed.xml",
    ]


def test_site_without_feed_says_what_was_tried(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/"] = Response(page())
    http_server.routes["/rss.xml"] = Response(b'{"not": "a feed"}')
    http_server.routes["/atom.xml"] = Response(b"", 500)
    with pytest.raises(DiscoveryError) as caught:
        discover(client, http_server.url("/"), limits=FAST)
    message = str(caught.value)
    assert message.startswith(f"No feed found for {http_server.url('/')}. Tried: ")
    assert (
        "the address itself (an HTML page), links in the page (none), /feed (404), "
        "/rss.xml (not a feed), /atom.xml (500), /index.xml (404)"
    ) in message
    assert message.endswith("/index.rss (404).")
    assert type(caught.value) is DiscoveryError and isinstance(caught.value, ValueError)


def test_missing_address_is_reported_without_guessing(
    http_server: LocalServer, client: HttpClient
) -> None:
    with pytest.raises(DiscoveryError, match=r"Tried: the address itself \(404\)\.$"):
        discover(client, http_server.url("/old/feed.xml"), limits=FAST)
    assert requested(http_server) == ["/old/feed.xml"]


def test_links_that_are_not_feeds_are_named(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/"] = Response(
        page(
            '<link rel="alternate" type="application/rss+xml" href="/comments">'
            '<link rel="alternate" type="application/rss+xml" href="http://exa mple.com/x">'
        )
    )
    http_server.routes["/comments"] = Response(page())
    with pytest.raises(DiscoveryError) as caught:
        discover(client, http_server.url("/"), limits=FAST)
    message = str(caught.value)
    assert "the address itself (an HTML page), /comments (an HTML page), " in message
    assert "exa mple" not in message  # not even looked up
    assert "links in the page (none)" not in message


def test_unreachable_site_is_asked_once(client: HttpClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DiscoveryError, match=r"Tried: the address itself \(could not connect\)\.$"):
        discover(client, f"http://127.0.0.1:{port}/", limits=FAST)


def test_the_number_of_requests_is_capped(http_server: LocalServer, client: HttpClient) -> None:
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/f{i}.xml">' for i in range(30)
    )
    http_server.routes["/"] = Response(page(links))
    with pytest.raises(DiscoveryError, match=f"Stopped after {MAX_FETCHES} addresses"):
        discover(client, http_server.url("/"), limits=FAST)
    assert len(http_server.seen) == MAX_FETCHES


def test_permanent_redirect_gives_the_new_address(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/old"] = Response(b"", 301, {"Location": "/new"})
    http_server.routes["/new"] = Response(ATOM)
    found = discover(client, http_server.url("/old"), limits=FAST)
    assert found.feed_url == http_server.url("/new")


def test_json_feeds_with_odd_field_types_are_still_found(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/"] = Response(
        page('<link rel="alternate" type="application/feed+json" href="/feed.json">')
    )
    http_server.routes["/feed.json"] = Response(
        b'{"version": "https://jsonfeed.org/version/1", "items": [{"title": 5, "id": {}}]}'
    )
    found = discover(client, http_server.url("/"), limits=FAST)
    assert found.feed_url == http_server.url("/feed.json")
    assert [e.title for e in found.parsed.entries] == ["(untitled)"]
    http_server.routes["/odd.json"] = Response(
        b'{"version": "https://jsonfeed.org/version/1", "title": 5, "items": []}'
    )
    odd = discover(client, http_server.url("/odd.json"), limits=FAST)
    assert odd.feed_url == http_server.url("/odd.json")
    assert odd.title is None


def test_mastodon_profile_address(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/@jane.rss"] = Response(RSS)
    found = discover(client, http_server.url("/@jane"), limits=FAST)
    assert (found.kind, found.feed_url) == ("mastodon", http_server.url("/@jane.rss"))


def test_mastodon_shaped_address_on_another_kind_of_site(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/@jane"] = Response(
        page('<link rel="alternate" type="application/rss+xml" href="/jane/rss">')
    )
    http_server.routes["/jane/rss"] = Response(RSS)
    found = discover(client, http_server.url("/@jane"), limits=FAST)
    assert (found.kind, found.feed_url) == ("feed", http_server.url("/jane/rss"))
    assert requested(http_server) == ["/@jane.rss", "/@jane", "/jane/rss"]


@pytest.mark.parametrize(
    ("typed", "feed_path", "kind"),
    [
        ("@jane@mastodon.example", "/@jane.rss", "mastodon"),
        ("jane.bsky.social", "/profile/jane.bsky.social/rss", "bluesky"),
        ("https://jane.substack.com/p/post", "/feed", "substack"),
        ("https://medium.com/@jane", "/feed/@jane", "medium"),
    ],
)
def test_profiles_are_fetched_from_their_platform(  # noqa: PLR0917 (fixtures and parameters)
    http_server: LocalServer,
    any_host_client: HttpClient,
    router: ToLocalServer,
    typed: str,
    feed_path: str,
    kind: str,
) -> None:
    http_server.routes[feed_path] = Response(RSS)
    found = discover(any_host_client, typed, limits=FAST)
    assert found.kind == kind and found.title == "Jane's Blog"
    assert found.feed_url == router.original[0]
    assert requested(http_server) == [feed_path]


def test_unknown_profile_names_the_address_tried(
    http_server: LocalServer, any_host_client: HttpClient
) -> None:
    with pytest.raises(DiscoveryError) as caught:
        discover(any_host_client, "@nobody@mastodon.example", limits=FAST)
    assert str(caught.value) == (
        "No feed found for @nobody@mastodon.example. "
        "Tried: https://mastodon.example/@nobody.rss (404)."
    )


def test_youtube_handle_page_leads_to_the_channel_feed(
    http_server: LocalServer, any_host_client: HttpClient
) -> None:
    http_server.routes["/@randy"] = Response(
        page(f'<meta itemprop="channelId" content="{CHANNEL}">')
    )
    http_server.routes["/feeds/videos.xml"] = Response(ATOM)
    found = discover(any_host_client, "https://www.youtube.com/@randy", limits=FAST)
    assert found.kind == "youtube"
    assert found.feed_url == f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"
    assert requested(http_server) == ["/@randy", f"/feeds/videos.xml?channel_id={CHANNEL}"]


@needs_corpus
def test_youtube_user_page_from_the_corpus(
    http_server: LocalServer, any_host_client: HttpClient
) -> None:
    http_server.routes["/user/TheVolvorocks"] = Response(
        (CORPUS / "YouTubeTheVolvoRocks.html").read_bytes()
    )
    http_server.routes["/feeds/videos.xml"] = Response(ATOM)
    found = discover(any_host_client, "youtube.com/user/TheVolvorocks", limits=FAST)
    assert found.feed_url == f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"
