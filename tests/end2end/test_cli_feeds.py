"""Tracking feeds from the command line against a real local web server."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from tests.end2end.conftest import Cli
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, Response

PAGE = b"""<!doctype html><html><head><title>Jane</title>
<link rel="alternate" type="application/rss+xml" href="/posts.xml"></head><body>Hi</body></html>"""


def serve_blog(server: LocalServer) -> None:
    server.routes["/"] = Response(PAGE, headers={"Content-Type": "text/html"})
    server.routes["/posts.xml"] = Response(
        rss("Jane writes", [("p2", "We are issuing an RFP", "rfp"), ("p1", "Hello", "hi")]),
        headers={"Content-Type": "application/rss+xml", "ETag": '"1"'},
    )


def test_add_a_site_then_list_refresh_and_read_entries(cli: Cli, http_server: LocalServer) -> None:
    serve_blog(http_server)
    jane = cli("prospect", "add", "Jane", "--json").json()["id"]
    added = cli("feed", "add", http_server.url("/"), "--prospect", str(jane), "--json")
    assert added.code == 0, added.stderr
    feed = added.json()
    assert (feed["url"], feed["title"], feed["prospect_id"]) == (
        http_server.url("/posts.xml"),
        "Jane writes",
        jane,
    )

    listed = cli("feed", "list", "--json").json()
    assert listed == [
        {
            **{
                k: listed[0][k] for k in ("last_checked", "next_check", "kind", "purpose", "unread")
            },
            "id": feed["id"],
            "url": feed["url"],
            "title": "Jane writes",
            "prospect_id": jane,
            "status": "ok",
            "error": None,
            "entries": 2,
        }
    ]
    assert listed[0]["last_checked"]

    refreshed = cli("refresh", "--json")
    assert refreshed.code == 0
    summary = refreshed.json()
    assert {
        k: summary[k] for k in ("feeds", "updated", "not_modified", "errors", "new_entries")
    } == {
        "feeds": 1,
        "updated": 0,
        "not_modified": 1,
        "errors": 0,
        "new_entries": 0,
    }

    assert cli("signal", "add", "RFP").code == 0
    entries = cli("entries", "--json", "--prospect", str(jane)).json()
    assert [(e["title"], e["read"], e["signal"]) for e in entries] == [
        ("We are issuing an RFP", False, True),
        ("Hello", False, False),
    ]
    assert set(entries[0]) >= {
        "id",
        "feed_id",
        "prospect_id",
        "title",
        "link",
        "published",
        "summary",
        "content",
        "read",
    }
    assert entries[0]["published"].startswith("2026-11-20T09:00:00")
    assert (
        cli("entries", "--json", "--unread", "--limit", "1").json()[0]["title"]
        == "We are issuing an RFP"
    )


def test_adding_a_tracked_feed_again_stores_nothing_twice(
    cli: Cli, http_server: LocalServer
) -> None:
    serve_blog(http_server)
    assert cli("feed", "add", http_server.url("/posts.xml")).code == 0
    again = cli("feed", "add", http_server.url("/"))
    assert again.code == 2
    assert "already tracked" in again.stderr
    assert len(cli("feed", "list", "--json").json()) == 1


def test_no_feed_found_says_what_was_tried_and_stores_nothing(
    cli: Cli, http_server: LocalServer
) -> None:
    http_server.routes["/"] = Response(
        b"<html><body>No feeds here</body></html>", headers={"Content-Type": "text/html"}
    )
    result = cli("feed", "add", http_server.url("/"))
    assert result.code == 2
    assert "/feed" in result.stderr and "/rss.xml" in result.stderr
    assert cli("feed", "list", "--json").json() == []


def test_refresh_reports_broken_feeds_with_exit_1(cli: Cli, http_server: LocalServer) -> None:
    serve_blog(http_server)
    assert cli("feed", "add", http_server.url("/posts.xml")).code == 0
    http_server.routes["/posts.xml"] = Response(b"gone", 404)
    result = cli("refresh", "--json")
    assert result.code == 1
    assert result.json()["errors"] == 1
    feed = cli("feed", "list", "--json").json()[0]
    assert feed["status"] == "error"
    assert feed["error"] == "The site answered 404: the feed has moved or been removed."
    assert feed["entries"] == 2  # nothing stored is lost


def test_opml_round_trip_keeps_prospect_links(
    cli: Cli, http_server: LocalServer, tmp_path: Path
) -> None:
    serve_blog(http_server)
    jane = cli("prospect", "add", "Jane", "--email", "jane@example.com", "--json").json()["id"]
    assert cli("feed", "add", http_server.url("/posts.xml"), "--prospect", str(jane)).code == 0
    exported = tmp_path / "feeds.opml"
    assert cli("feed", "export-opml", str(exported)).code == 0
    root = ElementTree.parse(exported).getroot()
    assert root.tag == "opml" and root.get("version") == "2.0"

    other = tmp_path / "other"
    imported = cli("feed", "import-opml", str(exported), "--json", home=other)
    assert imported.code == 0, imported.stderr
    assert imported.json()["added"] == 1
    feeds = cli("feed", "list", "--json", home=other).json()
    prospects = cli("prospect", "list", "--json", home=other).json()
    assert [(p["name"], p["email"]) for p in prospects] == [("Jane", "jane@example.com")]
    assert feeds[0]["prospect_id"] == prospects[0]["id"]
    assert feeds[0]["status"] == "pending"  # listed, not fetched


def test_malformed_opml_exits_2_and_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.example/feed"></body>'
    )
    result = cli("feed", "import-opml", str(broken))
    assert result.code == 2
    assert "line" in result.stderr
    assert cli("feed", "list", "--json").json() == []


def test_remove_feed_and_delete_posts_for_good(cli: Cli, http_server: LocalServer) -> None:
    serve_blog(http_server)
    feed = cli("feed", "add", http_server.url("/posts.xml"), "--json").json()["id"]
    hello = next(e["id"] for e in cli("entries", "--json").json() if e["title"] == "Hello")
    assert cli("entry", "delete", str(hello)).code == 0
    http_server.routes["/posts.xml"] = Response(
        rss("Jane writes", [("p3", "New", "n"), ("p1", "Hello", "hi")])
    )
    assert cli("refresh").code == 0
    assert [e["title"] for e in cli("entries", "--json").json()] == ["New", "We are issuing an RFP"]
    assert cli("feed", "remove", str(feed)).code == 0
    assert cli("entries", "--json").json() == []
