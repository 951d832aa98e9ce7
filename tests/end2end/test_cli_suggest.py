"""Suggestions from the command line on the sample workspace."""

from __future__ import annotations

from tests.end2end.conftest import Cli

NOW = "2026-11-23T09:00:00+00:00"


def test_suggestions_explain_themselves_and_dismissed_ones_stay_away(cli: Cli) -> None:
    assert cli("demo").code == 0
    prospects = {p["name"]: p["id"] for p in cli("prospect", "list", "--json").json()}
    dana = prospects["Dana Whitfield"]
    listed = cli("suggest", "--prospect", str(dana), "--json", SMARKETING_NOW=NOW)
    assert listed.code == 0, listed.stderr
    found = listed.json()
    assert all(
        set(s) == {"kind", "prospect_id", "content_id", "score", "reasons", "entry_id"}
        for s in found
    )
    assert all(s["prospect_id"] == dana and s["reasons"] for s in found)
    engage = [s for s in found if s["kind"] == "engage"]
    share = [s for s in found if s["kind"] == "share"]
    assert engage and engage[0]["content_id"] is None and engage[0]["entry_id"] is not None
    assert found.index(engage[0]) == 0  # her buying-signal post comes first
    titles = {c["id"]: c["title"] for c in cli("content", "list", "--json").json()}
    assert (
        "migration" in titles[share[0]["content_id"]].lower()
        or "warehouse" in titles[share[0]["content_id"]].lower()
    )

    top = share[0]["content_id"]
    assert cli("dismiss", "--prospect", str(dana), "--content", str(top)).code == 0
    again = cli("suggest", "--prospect", str(dana), "--json", SMARKETING_NOW=NOW).json()
    assert top not in {s["content_id"] for s in again}


def test_suggest_for_everyone_is_limited_and_bad_input_exits_2(cli: Cli) -> None:
    assert cli("demo").code == 0
    everyone = cli("suggest", "--limit", "5", "--json", SMARKETING_NOW=NOW).json()
    assert len(everyone) == 5
    assert len({s["prospect_id"] for s in everyone}) > 1
    assert cli("suggest", "--prospect", "999").code == 2
    assert cli("dismiss", "--prospect", "1").code == 2


def test_queue_from_the_command_line(cli: Cli) -> None:
    now = "2026-11-27T12:00:00+00:00"
    assert (
        cli(
            "queue", "slots", "--channel", "x", "--set", "mon-fri 9:00,16:30", SMARKETING_NOW=now
        ).code
        == 0
    )
    first = cli(
        "queue",
        "add",
        "--channel",
        "x",
        "--text",
        "Read",
        "--url",
        "https://c.example/a",
        "--json",
        SMARKETING_NOW=now,
        TZ="UTC",
    )
    assert first.code == 0, first.stderr
    item = first.json()
    assert item["scheduled_at"] == "2026-11-27T16:30:00+00:00"  # the next free x slot
    listed = cli("queue", "list", "--json").json()
    assert [{k: i[k] for k in ("id", "channel", "text", "url", "status")} for i in listed] == [
        {
            "id": item["id"],
            "channel": "x",
            "text": "Read",
            "url": "https://c.example/a",
            "status": "queued",
        }
    ]
    assert "twitter.com/intent/tweet" in listed[0]["share_url"]
    assert cli("queue", "add", "--channel", "fax", "--text", "x").code == 2
    assert cli("queue", "slots", "--set", "whenever").code == 2
    assert cli("queue", "done", str(item["id"])).code == 0
    assert cli("queue", "list", "--json").json()[0]["status"] == "done"
    assert cli("queue", "remove", str(item["id"])).code == 0
    assert cli("queue", "list", "--json").json() == []


def test_the_morning_routine_from_the_command_line(cli: Cli) -> None:
    now = "2026-11-23T09:00:00+00:00"
    assert cli("demo", SMARKETING_NOW=now).code == 0
    assert (
        cli(
            "touch", "--prospect", "1", "--kind", "call", "--note", "Intro", SMARKETING_NOW=now
        ).code
        == 0
    )
    assert cli("touch", "--prospect", "1", "--kind", "telepathy").code == 2
    added = cli(
        "followup",
        "add",
        "--prospect",
        "2",
        "--note",
        "Send the workshop link",
        "--json",
        SMARKETING_NOW=now,
    )
    assert added.code == 0 and added.json()["due"] == "2026-11-23"
    report = cli("today", "--json", SMARKETING_NOW=now).json()
    lists = (
        "due_steps",
        "followups",
        "ready_shares",
        "new_entries",
        "signals",
        "suggestions",
        "going_cold",
    )
    assert all(isinstance(report[key], list) for key in lists)
    assert set(report["done_today"]) == {"count", "streak", "items"}
    assert report["done_today"]["count"] == 1
    assert report["signals"] and all(e["signal"] for e in report["signals"])
    assert report["new_entries"][0]["signal"]  # buying signals come first
    assert report["suggestions"] and all(s["kind"] == "share" for s in report["suggestions"])
    done = cli("followup", "done", str(added.json()["id"]), SMARKETING_NOW=now)
    assert done.code == 0
    assert cli("today", "--json", SMARKETING_NOW=now).json()["done_today"]["count"] == 2
