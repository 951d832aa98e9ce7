"""The `smarketing` command as a rep or a script uses it."""

from __future__ import annotations

from pathlib import Path

from smarketing_desktop import __version__
from tests.end2end.conftest import Cli
from tests.support.csv_samples import HUBSPOT_10_ROWS_2_BAD


def test_version(cli: Cli) -> None:
    out = cli.bare("--version")
    assert out.code == 0
    assert out.stdout.strip() == f"smarketing {__version__}"


def test_added_prospect_is_listed(cli: Cli) -> None:
    added = cli(
        "prospect",
        "add",
        "Jane Doe",
        "--company",
        "Acme",
        "--title",
        "VP Data",
        "--email",
        "jane@acme.example",
        "--x-handle",
        "@jane",
        "--linkedin",
        "https://www.linkedin.com/in/jane",
        "--mastodon",
        "@jane@mastodon.example",
        "--bluesky",
        "jane.bsky.social",
        "--tag",
        "cloud",
        "--tag",
        "rfp",
        "--json",
    )
    assert added.code == 0, added.stderr
    created = added.json()
    assert isinstance(created["id"], int)
    listed = cli("prospect", "list", "--json")
    assert listed.code == 0
    rows = listed.json()
    assert [(r["id"], r["name"], r["company"], r["title"], r["tags"]) for r in rows] == [
        (created["id"], "Jane Doe", "Acme", "VP Data", ["cloud", "rfp"])
    ]
    shown = cli("prospect", "show", str(created["id"]), "--json").json()
    assert shown["x_handle"] == "jane"
    assert shown["mastodon_handle"] == "@jane@mastodon.example"
    assert cli("--json", "prospect", "list").json() == rows  # --json before the command too


def test_bad_email_is_refused_and_nothing_is_stored(cli: Cli) -> None:
    refused = cli("prospect", "add", "Jane", "--email", "jane-at-acme", "--json")
    assert refused.code == 2
    assert refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Email" in refused.stderr
    assert cli("prospect", "list", "--json").json() == []


def test_csv_with_two_bad_rows_imports_eight_and_names_the_lines(cli: Cli, tmp_path: Path) -> None:
    csv_file = tmp_path / "hubspot.csv"
    csv_file.write_text(HUBSPOT_10_ROWS_2_BAD, encoding="utf-8")
    dry = cli("prospect", "import", str(csv_file), "--dry-run", "--json")
    assert dry.code == 1
    assert dry.json()["imported"] == 8
    assert cli("prospect", "list", "--json").json() == []

    done = cli("prospect", "import", str(csv_file), "--json")
    assert done.code == 1
    report = done.json()
    assert report["imported"] == 8
    assert [s["line"] for s in report["skipped"]] == [4, 9]
    assert all(s["reason"] for s in report["skipped"])
    assert len(cli("prospect", "list", "--json").json()) == 8

    again = cli("prospect", "import", str(csv_file), "--json").json()
    assert again["imported"] == 0  # same people, recognised by email
    assert len(cli("prospect", "list", "--json").json()) == 8


def test_unreadable_csv_exits_2_and_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "photo.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    result = cli("prospect", "import", str(junk), "--json")
    assert result.code == 2
    assert "binary" in result.stderr
    missing = cli("prospect", "import", str(tmp_path / "nope.csv"))
    assert missing.code == 2
    assert "no such file" in missing.stderr
    assert cli("prospect", "list", "--json").json() == []


def test_export_then_import_into_a_new_workspace_keeps_everything(cli: Cli, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    original = cli("prospect", "list", "--json").json()
    exported = tmp_path / "out.csv"
    assert cli("prospect", "export", str(exported)).code == 0
    other = tmp_path / "other"
    assert cli("prospect", "import", str(exported), home=other).code == 0
    copied = cli("prospect", "list", "--json", home=other).json()
    fields = ("name", "company", "title", "email", "x_handle", "linkedin_url", "tags", "notes")
    assert [{k: p[k] for k in fields} for p in copied] == [
        {k: p[k] for k in fields} for p in original
    ]


def test_edit_and_remove(cli: Cli) -> None:
    pid = str(cli("prospect", "add", "Jane", "--title", "CFO", "--tag", "a", "--json").json()["id"])
    edited = cli(
        "prospect", "edit", pid, "--title", "", "--company", "Acme", "--tag", "b", "--json"
    )
    assert edited.code == 0, edited.stderr
    assert (edited.json()["title"], edited.json()["company"], edited.json()["tags"]) == (
        None,
        "Acme",
        ["b"],
    )
    bad = cli("prospect", "edit", pid, "--blog", "ftp://nope")
    assert bad.code == 2
    assert cli("prospect", "show", pid, "--json").json()["blog_url"] is None
    assert cli("prospect", "remove", pid).code == 0
    gone = cli("prospect", "show", pid)
    assert gone.code == 2
    assert f"no prospect with id {pid}" in gone.stderr


def test_a_second_prospect_with_the_same_email_is_refused(cli: Cli) -> None:
    first = cli("prospect", "add", "Sam Carter", "--email", "sam@globex.example", "--json")
    sam = first.json()["id"]
    again = cli("prospect", "add", "Sam", "--email", "Sam@globex.example")
    assert again.code == 2
    assert f"Sam Carter (id {sam}) already has this email" in again.stderr
    other = cli("prospect", "add", "Ann", "--json").json()["id"]
    edited = cli("prospect", "edit", str(other), "--email", "sam@globex.example")
    assert edited.code == 2
    assert f"Sam Carter (id {sam}) already has this email" in edited.stderr
    assert [p["name"] for p in cli("prospect", "list", "--json").json()] == ["Ann", "Sam Carter"]


def test_removing_a_prospect_with_a_deal_and_follow_ups_asks_for_yes(cli: Cli) -> None:
    sam = str(cli("prospect", "add", "Sam Carter", "--company", "Globex", "--json").json()["id"])
    deal = cli(
        "opportunity",
        "add",
        "--prospect",
        sam,
        "--name",
        "Renewal",
        "--close-date",
        "2027-03-01",
        "--amount",
        "5000",
    )
    assert deal.code == 0, deal.stderr
    for note in ("Call Sam", "Send the deck"):
        made = cli("followup", "add", "--prospect", sam, "--note", note, "--due", "2099-11-20")
        assert made.code == 0, made.stderr
    refused = cli("prospect", "remove", sam)
    assert refused.code == 2
    assert "Sam Carter has 1 open deal and 2 follow-ups; remove anyway with --yes" in refused.stderr
    assert cli("prospect", "show", sam).code == 0
    removed = cli("prospect", "remove", sam, "--yes", "--json")
    assert removed.code == 0, removed.stderr
    assert removed.json() == {
        "removed": int(sam),
        "name": "Sam Carter",
        "followups_removed": 2,
        "deals_kept": 1,
    }
    assert cli("followup", "list", "--json").json() == []
    assert len(cli("opportunity", "list", "--json").json()) == 1


def test_show_gives_the_last_touch_in_words(cli: Cli) -> None:
    pid = str(cli("prospect", "add", "Sam Carter", "--json").json()["id"])
    now = "2026-11-23T05:27:41.467746+00:00"
    touched = cli("touch", "--prospect", pid, "--kind", "call", SMARKETING_NOW=now, TZ="UTC")
    assert touched.code == 0, touched.stderr
    shown = cli("prospect", "show", pid, SMARKETING_NOW="2026-11-23T18:00:00+00:00", TZ="UTC")
    assert "Last touch: Mon 23 Nov 2026 05:27 (today)" in shown.stdout
    assert "2026-11-23T05:27" not in shown.stdout


def test_an_empty_filtered_list_says_nothing_matches(cli: Cli) -> None:
    empty = cli("prospect", "list")
    assert "No prospects yet" in empty.stdout
    assert cli("prospect", "add", "Sam Carter", "--tag", "rfp").code == 0
    for flags in (("--search", "umbrella"), ("--tag", "golf"), ("--company", "Initech")):
        listed = cli("prospect", "list", *flags)
        assert listed.code == 0
        assert listed.stdout.strip() == "No prospects match these filters."


def test_pinned_clock_stamps_what_is_stored(cli: Cli) -> None:
    added = cli("prospect", "add", "Jane", "--json", SMARKETING_NOW="2027-02-01T09:30:00+01:00")
    assert added.json()["created_at"] == "2027-02-01T08:30:00+00:00"
    bad = cli("prospect", "list", SMARKETING_NOW="yesterday")
    assert bad.code == 2
    assert "SMARKETING_NOW" in bad.stderr


def test_data_folder_from_environment_and_option(cli: Cli, tmp_path: Path) -> None:
    env_home = tmp_path / "env-home"
    done = cli.bare("prospect", "add", "Env", "--json", SMARKETING_HOME=str(env_home))
    assert done.code == 0, done.stderr
    assert (env_home / "smarketing.db").exists()
    assert (env_home / "logs" / "smarketing.log").exists()
    info = cli("info", "--json", home=env_home).json()
    assert info["home"] == str(env_home)
    assert info["secure_keyring"] is False


def test_demo_fills_an_empty_workspace_once(cli: Cli) -> None:
    first = cli("demo", "--json")
    assert first.code == 0, first.stderr
    assert first.json()["prospects"] == len(cli("prospect", "list", "--json").json())
    second = cli("demo")
    assert second.code == 2
    assert "already has data" in second.stderr


def test_usage_errors_are_one_line_with_exit_2(cli: Cli) -> None:
    result = cli("prospect", "show", "not-a-number")
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_settings_round_trip_and_refuse_bad_input(cli: Cli) -> None:
    listed = cli("settings", "list", "--json").json()
    assert {row["key"] for row in listed} >= {"refresh_interval_minutes"}
    assert all(row["description"] and row["allowed"] for row in listed)
    changed = cli("settings", "set", "refresh_interval_minutes", "60", "--json")
    assert changed.code == 0 and changed.json() == {"key": "refresh_interval_minutes", "value": 60}
    assert cli("settings", "get", "refresh_interval_minutes").stdout.strip() == "60"
    for bad in (("refresh_interval_minutes", "1"), ("unknown_key", "1")):
        refused = cli("settings", "set", *bad)
        assert refused.code == 2
        assert len(refused.stderr.strip().splitlines()) == 1
    assert cli("settings", "get", "refresh_interval_minutes").stdout.strip() == "60"


def test_edit_sets_and_clears_a_prospects_own_touch_intervals(cli: Cli) -> None:
    pid = str(cli("prospect", "add", "Jane Doe", "--json").json()["id"])
    fresh = cli("prospect", "show", pid, "--json").json()
    assert (fresh["touch_ideal_days"], fresh["touch_max_days"]) == (None, None)
    assert fresh["touch"] == {
        "ideal_days": 14,
        "max_days": 30,
        "ideal_is_default": True,
        "max_is_default": True,
    }

    edited = cli("prospect", "edit", pid, "--ideal-days", "7", "--max-days", "21", "--json")
    assert edited.code == 0, edited.stderr
    assert edited.json()["touch"] == {
        "ideal_days": 7,
        "max_days": 21,
        "ideal_is_default": False,
        "max_is_default": False,
    }
    listed = cli("prospect", "list", "--json").json()
    assert [(p["touch_ideal_days"], p["touch_max_days"]) for p in listed] == [(7, 21)]
    human = cli("prospect", "show", pid)
    assert "Touch every: 7 days" in human.stdout and "At most:    21 days" in human.stdout

    cleared = cli("prospect", "edit", pid, "--ideal-days", "default", "--json").json()
    assert cleared["touch_ideal_days"] is None and cleared["touch_max_days"] == 21
    assert cleared["touch"]["ideal_days"] == 14 and cleared["touch"]["ideal_is_default"]
    assert "Touch every: 14 days (default)" in cli("prospect", "show", pid).stdout


def test_touch_intervals_that_make_no_sense_are_refused_with_the_reason(cli: Cli) -> None:
    pid = str(cli("prospect", "add", "Jane Doe", "--json").json()["id"])
    backwards = cli("prospect", "edit", pid, "--ideal-days", "20", "--max-days", "10")
    assert backwards.code == 2
    assert "Maximum touch interval" in backwards.stderr and "20 days" in backwards.stderr
    past_default = cli("prospect", "edit", pid, "--ideal-days", "45")
    assert past_default.code == 2
    assert "default maximum is 30 days" in past_default.stderr
    words = cli("prospect", "add", "Ben", "--ideal-days", "weekly")
    assert words.code == 2
    assert "--ideal-days" in words.stderr and "whole number" in words.stderr
    shown = cli("prospect", "show", pid, "--json").json()
    assert shown["touch_ideal_days"] is None  # nothing stored by the refused edits
    assert [p["name"] for p in cli("prospect", "list", "--json").json()] == ["Jane Doe"]


def test_touch_intervals_survive_export_and_import(cli: Cli, tmp_path: Path) -> None:
    cli("prospect", "add", "Jane Doe", "--email", "jane@acme.example", "--ideal-days", "5")
    cli("prospect", "add", "Ben Ode", "--max-days", "60")
    exported = tmp_path / "prospects.csv"
    assert cli("prospect", "export", str(exported)).code == 0
    other = tmp_path / "other-home"
    imported = cli("prospect", "import", str(exported), "--json", home=other)
    assert imported.code == 0, imported.stderr
    rows = cli("prospect", "list", "--json", home=other).json()
    assert [(p["name"], p["touch_ideal_days"], p["touch_max_days"]) for p in rows] == [
        ("Ben Ode", None, 60),
        ("Jane Doe", 5, None),
    ]
