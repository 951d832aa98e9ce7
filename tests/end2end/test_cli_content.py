"""The content library from the command line, against a local web server."""

from __future__ import annotations

from pathlib import Path

from tests.end2end.conftest import Cli
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, Response

PAGE = b"""<!doctype html><html><head><title>Playbook | Acme</title>
<meta property="og:title" content="The cloud migration playbook">
<meta property="og:description" content="Move a warehouse without downtime.">
<meta property="article:tag" content="cloud"></head><body>...</body></html>"""


def test_add_by_url_reads_the_page_then_lists(cli: Cli, http_server: LocalServer) -> None:
    http_server.routes["/playbook"] = Response(PAGE, headers={"Content-Type": "text/html"})
    added = cli(
        "content", "add", "--url", http_server.url("/playbook"), "--type", "e-book", "--json"
    )
    assert added.code == 0, added.stderr
    item = added.json()
    assert (item["title"], item["summary"], item["type"], item["tags"]) == (
        "The cloud migration playbook",
        "Move a warehouse without downtime.",
        "e_book",
        ["cloud"],
    )
    listed = cli("content", "list", "--json").json()
    assert [
        {k: i[k] for k in ("id", "url", "title", "summary", "type", "tags")} for i in listed
    ] == [{k: item[k] for k in ("id", "url", "title", "summary", "type", "tags")}]
    again = cli("content", "add", "--url", http_server.url("/playbook"), "--title", "Again")
    assert again.code == 2 and "already in the library" in again.stderr
    assert cli("content", "remove", str(item["id"])).code == 0
    assert cli("content", "list", "--json").json() == []


def test_add_by_hand_and_unreachable_pages(cli: Cli, http_server: LocalServer) -> None:
    by_hand = cli(
        "content", "add", "--url", "https://c.example/w", "--title", "SOC 2 webinar",
        "--type", "webinar", "--tag", "security", "--tag", "audit", "--json",
    )  # fmt: skip
    assert by_hand.code == 0 and by_hand.json()["tags"] == ["security", "audit"]
    missing = cli("content", "add", "--url", http_server.url("/gone"))
    assert missing.code == 2
    assert "404" in missing.stderr and "--title" in missing.stderr
    assert len(cli("content", "list", "--json").json()) == 1


def test_csv_import_reports_bad_rows(cli: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "library.csv"
    sheet.write_text(
        "Title,URL,Type,Tags\nPlaybook,https://c.example/p,E-book,cloud\nBroken,not a url,Blog,\n"
        "Calculator,https://c.example/roi,Calculator,roi\n"
    )
    result = cli("content", "import-csv", str(sheet), "--json")
    assert result.code == 1
    assert result.json()["imported"] == 2
    assert [s["line"] for s in result.json()["skipped"]] == [3]
    human = cli("content", "import-csv", str(sheet), "--dry-run")
    assert human.stdout.splitlines()[0] == (
        "Would import 0 items (2 already in the library); 1 row skipped."
    )
    again = cli("content", "import-csv", str(sheet), "--json").json()
    assert (again["imported"], again["already_in_library"]) == (0, 2)


def test_company_feed_keeps_filling_the_library(cli: Cli, http_server: LocalServer) -> None:
    http_server.routes["/blog/feed.xml"] = Response(
        rss("Acme blog", [("a", "First company post", "x")])
    )
    followed = cli("content", "import-feed", http_server.url("/blog/feed.xml"), "--json")
    assert followed.code == 0, followed.stderr
    assert followed.json()["imported"] == 1
    http_server.routes["/blog/feed.xml"] = Response(
        rss("Acme blog", [("b", "Second company post", "y"), ("a", "First company post", "x")])
    )
    refreshed = cli("refresh", "--json").json()
    assert refreshed["content_added"] == 1
    titles = [i["title"] for i in cli("content", "list", "--json").json()]
    assert sorted(titles) == ["First company post", "Second company post"]
    assert cli("entries", "--json").json() != []  # company posts are stored as entries too


def test_share_text_for_a_prospect(cli: Cli) -> None:
    assert cli("demo").code == 0
    text = cli(
        "share-text",
        "--prospect",
        "1",
        "--content",
        "1",
        "--template",
        "daily_update_cta",
        "--json",
    )
    assert text.code == 0
    assert text.json()["url"] in text.json()["text"]
    unknown = cli("share-text", "--prospect", "1", "--content", "1", "--template", "nope")
    assert unknown.code == 2 and "daily_update_cta" in unknown.stderr
