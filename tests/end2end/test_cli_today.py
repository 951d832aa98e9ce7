"""`smarketing today`: the morning routine from the command line, profile reviews included."""

from __future__ import annotations

from tests.end2end.conftest import Cli

NOW = "2026-11-23T09:00:00+00:00"


def test_today_reminds_to_review_profiles_never_reviewed(cli: Cli) -> None:
    report = cli("today", "--json", SMARKETING_NOW=NOW)
    assert report.code == 0, report.stderr
    data = report.json()
    reviews = {r["network"]: r for r in data["profile_reviews_due"]}
    assert set(reviews) == {"linkedin", "x"}
    assert reviews["linkedin"]["title"] == "LinkedIn profile"
    assert reviews["linkedin"]["last_review"] is None
    assert reviews["linkedin"]["due"] == "2026-11-23"
    # The report's original sections are unchanged.
    for key in ("due_steps", "followups", "ready_shares", "new_entries", "going_cold"):
        assert data[key] == []

    human = cli("today", SMARKETING_NOW=NOW)
    assert human.code == 0, human.stderr
    assert "Your profiles:" in human.stdout
    assert "Review your LinkedIn profile (never reviewed)" in human.stdout
    assert "smarketing checklist review linkedin" in human.stdout


def test_today_shows_a_prospect_cooling_by_their_own_cadence(cli: Cli) -> None:
    earlier = "2026-11-18T09:00:00+00:00"  # five days before NOW
    pid = str(
        cli(
            "prospect", "add", "Eager Ed", "--ideal-days", "3", "--json", SMARKETING_NOW=earlier
        ).json()["id"]
    )
    cli("prospect", "add", "Usual Una", SMARKETING_NOW=earlier)
    cold = cli("today", "--json", SMARKETING_NOW=NOW).json()["going_cold"]
    assert [(c["name"], c["warmth"], c["ideal_days"]) for c in cold] == [("Eager Ed", "amber", 3)]
    cli("prospect", "edit", pid, "--ideal-days", "default", SMARKETING_NOW=NOW)
    assert cli("today", "--json", SMARKETING_NOW=NOW).json()["going_cold"] == []
