"""`smarketing queue edit` and `queue move` as a rep scripts them, in a subprocess."""

from __future__ import annotations

from typing import Any

from tests.end2end.conftest import Cli

NOW = "2027-01-04T08:00:00+00:00"  # a Monday morning, before the 09:00 slot (UTC on CI)


def _queue(cli: Cli, *args: str) -> Any:
    result = cli("queue", *args, "--json", SMARKETING_NOW=NOW, TZ="UTC")
    assert result.code == 0, result.stderr
    return result.json()


def test_edit_changes_a_share_and_refuses_bad_changes_with_one_line(cli: Cli) -> None:
    item = _queue(cli, "add", "--channel", "x", "--text", "Draft", "--url", "https://a.example/p")
    item_id = str(item["id"])

    edited = _queue(cli, "edit", item_id, "--text", "Final", "--no-url", "--at", "2027-01-05T10:15")
    assert (edited["text"], edited["url"], edited["status"]) == ("Final", None, "queued")
    assert str(edited["scheduled_at"]).startswith("2027-01-05T10:15")

    for args, words in (
        (("--text", "a" * 281), "281 characters as X counts them"),
        (("--url", "ftp://a.example/p"), "http:// or https://"),
        (("--at", "2027-01-03T09:00"), "That time has passed"),
        ((), "Say what to change"),
    ):
        refused = cli("queue", "edit", item_id, *args, SMARKETING_NOW=NOW, TZ="UTC")
        assert refused.code == 2, refused.stdout
        assert words in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert _queue(cli, "list")[0]["text"] == "Final"

    assert _queue(cli, "done", item_id)["status"] == "done"
    refused = cli("queue", "edit", item_id, "--text", "Again", SMARKETING_NOW=NOW, TZ="UTC")
    assert refused.code == 2 and "already done" in refused.stderr


def test_move_swaps_times_and_is_refused_at_the_ends(cli: Cli) -> None:
    ids = [str(_queue(cli, "add", "--channel", "linkedin", "--text", t)["id"]) for t in "abc"]
    before = {i["id"]: i["scheduled_at"] for i in _queue(cli, "list")}

    moved = _queue(cli, "move", ids[2], "--up")
    assert moved["moved"]["scheduled_at"] == before[int(ids[1])]
    assert moved["swapped_with"]["scheduled_at"] == before[int(ids[2])]
    assert [i["text"] for i in _queue(cli, "list")] == ["a", "c", "b"]

    refused = cli("queue", "move", ids[0], "--up", SMARKETING_NOW=NOW, TZ="UTC")
    assert refused.code == 2 and "already the first" in refused.stderr
    usage = cli("queue", "move", ids[0], SMARKETING_NOW=NOW, TZ="UTC")
    assert usage.code == 2 and "--up" in usage.stderr


def test_add_refuses_a_past_time_as_edit_does_and_says_what_was_queued(cli: Cli) -> None:
    past = cli("queue", "add", "--channel", "x", "--text", "Late", "--at", "2027-01-03T09:00",
               SMARKETING_NOW=NOW, TZ="UTC")  # fmt: skip
    assert (past.code, past.stdout) == (2, "")
    assert past.stderr == "smarketing: That time has passed: pick a time from now on.\n"
    assert _queue(cli, "list") == []

    text = "Our warehouse case study: how one team moved in a weekend"
    added = cli("queue", "add", "--channel", "linkedin", "--text", text, "--at", "2027-01-05T10:00",
                SMARKETING_NOW=NOW, TZ="UTC")  # fmt: skip
    assert added.code == 0, added.stderr
    item_id = _queue(cli, "list")[0]["id"]
    assert added.stdout == (
        f"Queued share {item_id} for LinkedIn at Tue 2027-01-05 10:00: "
        "“Our warehouse case study: how one team…”\n"
    )
    none_failed = cli("queue", "list", "--status", "failed", SMARKETING_NOW=NOW, TZ="UTC")
    assert none_failed.stdout == "Nothing in the queue is failed.\n"
