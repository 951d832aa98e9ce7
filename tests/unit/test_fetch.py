"""Fetching from servers that misbehave: each gets a clear message and costs bounded time."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from smarketing_desktop.feeds.fetch import (
    FetchLimits,
    HttpClient,
    fetch,
    make_client,
    parse_retry_after,
)
from tests.support.http_server import LocalServer, RequestHandler, Response

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Hello</title><link>https://example.com/1</link></item></channel></rss>"""

FAST = FetchLimits(deadline=2.0, read_timeout=1.0, connect_timeout=1.0, max_body=1024 * 1024)


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with make_client(FAST) as c:
        yield c


def test_plain_feed_with_validators(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/feed"] = Response(
        RSS, headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"}
    )
    result = fetch(client, http_server.url("/feed"), limits=FAST)
    assert result.ok and result.body == RSS
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 02 Nov 2026 10:00:00 GMT")
    assert "SmarketingDesktop" in http_server.seen[0].headers["user-agent"]


def test_conditional_get_sends_validators_and_understands_304(
    http_server: LocalServer, client: HttpClient
) -> None:
    def conditional(handler: RequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send(Response(b"", 304, {"ETag": '"v1"'}))
        else:
            handler.send(Response(RSS, headers={"ETag": '"v1"'}))

    http_server.routes["/feed"] = conditional
    result = fetch(client, http_server.url("/feed"), etag='"v1"', last_modified="x", limits=FAST)
    assert result.outcome == "not_modified"
    assert http_server.seen[0].headers["if-modified-since"] == "x"


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (404, "not_found", "404: the feed has moved or been removed"),
        (410, "gone", "gone for good"),
        (500, "server", "had a problem (500)"),
        (401, "auth", "refused access (401)"),
        (403, "auth", "refused access (403)"),
    ],
)
def test_error_statuses_are_explained(
    http_server: LocalServer, client: HttpClient, status: int, kind: str, words: str
) -> None:
    http_server.routes["/feed"] = Response(b"nope", status)
    result = fetch(client, http_server.url("/feed"), limits=FAST)
    assert (result.outcome, result.error_kind, result.status_code) == ("error", kind, status)
    assert result.message is not None and words in result.message


def test_429_with_retry_after_says_when(
    http_server: LocalServer, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    http_server.routes["/feed"] = Response(b"", 429, {"Retry-After": "120"})
    result = fetch(client, http_server.url("/feed"), limits=FAST)
    assert result.error_kind == "rate_limited"
    assert result.retry_after == datetime(2026, 11, 23, 9, 2, tzinfo=UTC)


def test_retry_after_accepts_dates_and_ignores_nonsense() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 23 Nov 2026 10:00:00 GMT", now) == datetime(
        2026, 11, 23, 10, tzinfo=UTC
    )
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("99999999", now) == datetime(2026, 11, 30, 9, tzinfo=UTC)  # capped


def test_permanent_redirects_report_the_new_address(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/old"] = Response(b"", 301, {"Location": "/middle"})
    http_server.routes["/middle"] = Response(b"", 308, {"Location": http_server.url("/new")})
    http_server.routes["/new"] = Response(RSS)
    result = fetch(client, http_server.url("/old"), limits=FAST)
    assert result.ok and result.moved_to == http_server.url("/new")


def test_temporary_redirects_keep_the_stored_address(
    http_server: LocalServer, client: HttpClient
) -> None:
    http_server.routes["/old"] = Response(b"", 301, {"Location": "/temp"})
    http_server.routes["/temp"] = Response(b"", 302, {"Location": "/new"})
    http_server.routes["/new"] = Response(RSS)
    result = fetch(client, http_server.url("/old"), limits=FAST)
    assert result.ok and result.moved_to is None


def test_redirect_loops_and_long_chains_stop(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/a"] = Response(b"", 302, {"Location": "/b"})
    http_server.routes["/b"] = Response(b"", 302, {"Location": "/a"})
    loop = fetch(client, http_server.url("/a"), limits=FAST)
    assert loop.error_kind == "redirects" and "loop" in (loop.message or "")
    for i in range(10):
        http_server.routes[f"/hop{i}"] = Response(b"", 302, {"Location": f"/hop{i + 1}"})
    chain = fetch(client, http_server.url("/hop0"), limits=FAST)
    assert chain.error_kind == "redirects"
    assert len(http_server.seen) == 2 + FAST.max_redirects + 1


def test_a_response_that_never_finishes_costs_at_most_the_deadline(
    http_server: LocalServer, client: HttpClient
) -> None:
    def trickle(handler: RequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        try:
            while not handler.server.stopping.wait(0.05):
                handler.wfile.write(b"<")
                handler.wfile.flush()
        except OSError:
            pass

    http_server.routes["/slow"] = trickle
    limits = FetchLimits(deadline=0.5, read_timeout=1.0)
    result = fetch(client, http_server.url("/slow"), limits=limits)
    assert result.error_kind == "timeout"
    assert "did not finish" in (result.message or "")


def test_a_server_that_sends_nothing_times_out(
    http_server: LocalServer, client: HttpClient
) -> None:
    def silent(handler: RequestHandler) -> None:
        handler.server.stopping.wait(5)

    http_server.routes["/silent"] = silent
    result = fetch(client, http_server.url("/silent"), limits=FetchLimits(read_timeout=0.3))
    assert result.error_kind == "timeout"


def test_a_60_mb_body_is_refused_without_reading_it_all(
    http_server: LocalServer, client: HttpClient
) -> None:
    def huge(handler: RequestHandler, *, declare_length: bool) -> None:
        handler.send_response(200)
        if declare_length:
            handler.send_header("Content-Length", str(60 * 1024 * 1024))
        else:
            handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        block = b"x" * 65536
        try:
            for _ in range(960):
                if declare_length:
                    handler.wfile.write(block)
                else:
                    handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            if not declare_length:
                handler.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass

    http_server.routes["/declared"] = lambda h: huge(h, declare_length=True)
    http_server.routes["/chunked"] = lambda h: huge(h, declare_length=False)
    for path in ("/declared", "/chunked"):
        result = fetch(client, http_server.url(path), limits=FetchLimits(max_body=10 * 1024 * 1024))
        assert result.error_kind == "too_large", path
        assert "larger than 10 MB" in (result.message or "")


def test_a_gzip_bomb_stops_at_the_decompression_cap(
    http_server: LocalServer, client: HttpClient
) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    bomb = b"".join(compressor.compress(block) for _ in range(50)) + compressor.flush()
    assert len(bomb) < 100 * 1024  # 50 MB once inflated
    http_server.routes["/bomb"] = Response(bomb, headers={"Content-Encoding": "gzip"})
    result = fetch(
        client, http_server.url("/bomb"), limits=FetchLimits(max_decoded=5 * 1024 * 1024)
    )
    assert result.error_kind == "too_large"


def test_compressed_feeds_are_decoded(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/gz"] = Response(gzip.compress(RSS), headers={"Content-Encoding": "gzip"})
    http_server.routes["/zlib"] = Response(
        zlib.compress(RSS), headers={"Content-Encoding": "deflate"}
    )
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    http_server.routes["/raw"] = Response(
        raw.compress(RSS) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    for path in ("/gz", "/zlib", "/raw"):
        assert fetch(client, http_server.url(path), limits=FAST).body == RSS, path


def test_corrupt_compression_is_a_clear_error(http_server: LocalServer, client: HttpClient) -> None:
    http_server.routes["/bad"] = Response(os.urandom(2000), headers={"Content-Encoding": "gzip"})
    result = fetch(client, http_server.url("/bad"), limits=FAST)
    assert result.outcome == "error" and result.message


def test_dead_server_and_bad_addresses(client: HttpClient) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = fetch(client, f"http://127.0.0.1:{port}/feed", limits=FAST)
    assert dead.error_kind == "network" and "Could not reach 127.0.0.1" in (dead.message or "")
    assert fetch(client, "file:///etc/passwd", limits=FAST).error_kind == "bad_url"
