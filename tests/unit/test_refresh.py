"""Refreshing feeds as the inbox relies on: new posts in, nothing stored ever lost."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds import refresh as refresh_module
from smarketing_desktop.feeds.fetch import FetchLimits
from smarketing_desktop.feeds.parse import parse_job
from smarketing_desktop.feeds.refresh import refresh_feeds
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, RequestHandler, Response

FAST = FetchLimits(deadline=2.0, read_timeout=1.0, connect_timeout=1.0)
TWO_POSTS = rss("Jane's blog", [("p2", "Second post", "two"), ("p1", "First post", "one")])


@pytest.fixture
def repo(db: Database) -> FeedRepository:
    return FeedRepository(db)


def run(repo: FeedRepository, **kwargs: object) -> refresh_module.RefreshSummary:
    kwargs.setdefault("limits", FAST)
    kwargs.setdefault("parse_processes", 0)
    return refresh_feeds(repo, **kwargs)  # type: ignore[arg-type]


def titles(repo: FeedRepository, feed_id: int) -> list[str]:
    return [e.title for e in repo.list_entries(EntryQuery(feed_id=feed_id))]


def test_first_refresh_stores_posts_then_etag_makes_the_next_one_cheap(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    def with_etag(handler: RequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send(Response(b"", 304))
        else:
            handler.send(Response(TWO_POSTS, headers={"ETag": '"v1"'}))

    http_server.routes["/feed"] = with_etag
    feed = repo.add_feed(http_server.url("/feed"))
    first = run(repo)
    assert (first.feeds, first.updated, first.new_entries, first.errors) == (1, 1, 2, 0)
    assert titles(repo, feed.id) == ["Second post", "First post"]
    info = repo.get_feed(feed.id)
    assert (info.title, info.public_status, info.entries, info.unread) == (
        "Jane's blog",
        "ok",
        2,
        2,
    )

    second = run(repo)
    assert (second.not_modified, second.new_entries) == (1, 0)
    assert http_server.seen[-1].headers["if-none-match"] == '"v1"'


def test_unchanged_body_is_not_parsed_again(
    repo: FeedRepository, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.routes["/feed"] = Response(TWO_POSTS)  # ignores conditional requests
    repo.add_feed(http_server.url("/feed"))
    run(repo)
    parsed: list[str] = []
    real = parse_job

    def counting_parse(body: bytes, url: str, headers: dict[str, str]) -> object:
        parsed.append(url)
        return real(body, url, headers)

    monkeypatch.setattr(refresh_module, "parse_job", counting_parse)
    summary = run(repo)
    assert summary.not_modified == 1
    assert parsed == []


def test_changed_posts_update_in_place_and_deleted_posts_stay_deleted(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    http_server.routes["/feed"] = Response(TWO_POSTS)
    feed = repo.add_feed(http_server.url("/feed"))
    run(repo)
    before = {e.title: e.id for e in repo.list_entries(EntryQuery(feed_id=feed.id))}
    repo.mark_read([before["First post"]])
    repo.delete_entries([before["Second post"]])

    http_server.routes["/feed"] = Response(
        rss(
            "Jane's blog",
            [
                ("p3", "Third", "three"),
                ("p2", "Second post", "two"),
                ("p1", "First post (edited)", "1"),
            ],
        )
    )
    summary = run(repo)
    assert (summary.new_entries, summary.updated) == (1, 1)
    after = {e.title: e for e in repo.list_entries(EntryQuery(feed_id=feed.id))}
    assert set(after) == {"Third", "First post (edited)"}
    edited = after["First post (edited)"]
    assert edited.id == before["First post"] and edited.read  # same post, still read


def test_permanent_redirect_rewrites_the_stored_address(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    http_server.routes["/old"] = Response(b"", 301, {"Location": "/new"})
    http_server.routes["/new"] = Response(TWO_POSTS)
    feed = repo.add_feed(http_server.url("/old"))
    run(repo)
    assert repo.get_feed(feed.id).url == http_server.url("/new")


def test_gone_feed_keeps_its_posts_and_is_not_polled_again(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    http_server.routes["/feed"] = Response(TWO_POSTS)
    feed = repo.add_feed(http_server.url("/feed"))
    run(repo)
    http_server.routes["/feed"] = Response(b"", 410)
    summary = run(repo)
    assert summary.errors == 1
    info = repo.get_feed(feed.id)
    assert info.status == "gone" and "gone for good" in (info.error_message or "")
    assert info.entries == 2
    requests = len(http_server.seen)
    assert run(repo).feeds == 0
    assert len(http_server.seen) == requests


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (Response(b"", 404), "404"),
        (Response(b"", 500), "problem (500)"),
        (
            Response(
                b"<!doctype html><html><body>Welcome</body></html>",
                headers={"Content-Type": "text/html"},
            ),
            "web page",
        ),
        (Response(os.urandom(4096)), "feed we can read"),
        (Response(b"", 200), "empty"),
    ],
)
def test_broken_feeds_explain_themselves_and_lose_nothing(
    repo: FeedRepository, http_server: LocalServer, response: Response, words: str
) -> None:
    http_server.routes["/feed"] = Response(TWO_POSTS)
    feed = repo.add_feed(http_server.url("/feed"))
    run(repo)
    http_server.routes["/feed"] = response
    summary = run(repo)
    assert summary.errors == 1
    info = repo.get_feed(feed.id)
    assert info.public_status == "error"
    assert words in (info.error_message or "")
    assert titles(repo, feed.id) == ["Second post", "First post"]


def test_errors_back_off_exponentially_and_success_resets(
    repo: FeedRepository, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.routes["/feed"] = Response(b"", 500)
    feed = repo.add_feed(http_server.url("/feed"))
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    waits = []
    for _ in range(3):
        monkeypatch.setenv("SMARKETING_NOW", start.isoformat())
        run(repo)
        info = repo.get_feed(feed.id)
        assert info.next_check_at is not None
        waits.append(info.next_check_at - start)
    assert waits == [timedelta(minutes=30), timedelta(minutes=60), timedelta(minutes=120)]
    http_server.routes["/feed"] = Response(TWO_POSTS)
    run(repo)
    info = repo.get_feed(feed.id)
    assert (info.error_count, info.public_status) == (0, "ok")


def test_retry_after_is_honoured_even_by_refresh_all(
    repo: FeedRepository, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    http_server.routes["/feed"] = Response(b"", 429, {"Retry-After": "3600"})
    feed = repo.add_feed(http_server.url("/feed"))
    run(repo)
    assert repo.get_feed(feed.id).retry_after == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    http_server.routes["/feed"] = Response(TWO_POSTS)
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:59:00+00:00")
    assert run(repo).feeds == 0
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T10:00:00+00:00")
    assert run(repo).new_entries == 2


def test_due_only_skips_feeds_checked_recently(
    repo: FeedRepository, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.routes["/feed"] = Response(TWO_POSTS)
    repo.add_feed(http_server.url("/feed"))
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    assert run(repo, due_only=True).feeds == 1
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:10:00+00:00")
    assert run(repo, due_only=True).feeds == 0
    assert run(repo).feeds == 1  # "Refresh all" checks anyway
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:41:00+00:00")
    assert run(repo, due_only=True).feeds == 1


def test_a_dead_server_does_not_hold_up_the_other_feeds(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    def silent(handler: RequestHandler) -> None:
        handler.server.stopping.wait(5)

    http_server.routes["/silent"] = silent
    for i in range(4):
        http_server.routes[f"/ok{i}"] = Response(rss(f"Blog {i}", [(f"g{i}", f"Post {i}", "x")]))
        repo.add_feed(http_server.url(f"/ok{i}"))
    dead = repo.add_feed(http_server.url("/silent"))
    done: list[int] = []
    summary = run(
        repo,
        limits=FetchLimits(deadline=1.0, read_timeout=0.5),
        progress=lambda n, total: done.append(n),
    )
    assert (summary.feeds, summary.updated, summary.errors, summary.new_entries) == (5, 4, 1, 4)
    assert summary.failures[0][0] == dead.id
    assert done == [1, 2, 3, 4, 5]


def test_many_feeds_are_parsed_in_worker_processes(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    for i in range(3):
        http_server.routes[f"/f{i}"] = Response(
            rss(f"Blog {i}", [(f"a{i}", "A", "x"), (f"b{i}", "B", "y")])
        )
        repo.add_feed(http_server.url(f"/f{i}"))
    http_server.routes["/junk"] = Response(b"\x00\x01 not a feed")
    repo.add_feed(http_server.url("/junk"))
    summary = run(repo, parse_processes=2)
    assert (summary.updated, summary.new_entries, summary.errors) == (3, 6, 1)


def test_signal_rules_flag_posts_and_can_be_previewed(
    repo: FeedRepository, http_server: LocalServer, db: Database
) -> None:
    from smarketing_desktop.core.prospects import ProspectDraft
    from smarketing_desktop.db.repositories.prospects import ProspectRepository

    jane = ProspectRepository(db).add(ProspectDraft(name="Jane"))
    http_server.routes["/feed"] = Response(
        rss(
            "Jane",
            [
                ("1", "Our RFP for analytics is out", "x"),
                ("2", "Hiring two engineers", "y"),
                ("3", "rfpx", "z"),
            ],
        )
    )
    feed = repo.add_feed(http_server.url("/feed"), prospect_id=jane.id)
    repo.add_rule("rfp")
    run(repo)
    assert [e.title for e in repo.list_entries(EntryQuery(signals_only=True))] == [
        "Our RFP for analytics is out"
    ]
    assert [e.title for e in repo.preview_rule("hiring")] == ["Hiring two engineers"]
    rule = repo.add_rule("hiring", prospect_id=jane.id)
    flagged = repo.list_entries(EntryQuery(feed_id=feed.id, signals_only=True))
    assert {e.title: e.signal_terms for e in flagged} == {
        "Our RFP for analytics is out": ("rfp",),
        "Hiring two engineers": ("hiring",),
    }
    repo.remove_rule(rule.id)
    assert len(repo.list_entries(EntryQuery(signals_only=True))) == 1


def test_x_timelines_are_never_fetched_as_feeds(
    repo: FeedRepository, http_server: LocalServer
) -> None:
    """They are read through the X API; fetching x.com pages would flip them to errors."""
    http_server.routes["/feed"] = Response(TWO_POSTS)
    repo.add_feed(http_server.url("/feed"))
    repo.add_feed(http_server.url("/jane_on_x"), kind="x")
    summary = run(repo)
    assert summary.feeds == 1
    assert [seen.path for seen in http_server.seen] == ["/feed"]
