"""`smarketing today`: the morning routine from the command line, profile reviews included."""

from __future__ import annotations

from typing import Any

from tests.end2end.conftest import Cli
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, Response

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


# -- follow-ups from a post or a plan step ----------------------------------------------------


def _ok(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--json", SMARKETING_NOW=NOW)
    assert result.code == 0, result.stderr
    return result.json()


def _serve(server: LocalServer, path: str, title: str, items: list[tuple[str, str, str]]) -> str:
    server.routes[path] = Response(
        rss(title, items), headers={"Content-Type": "application/rss+xml"}
    )
    return server.url(path)


def test_a_follow_up_to_comment_on_a_prospect_s_post(cli: Cli, http_server: LocalServer) -> None:
    dana = _ok(cli, "prospect", "add", "Dana Whitfield")["id"]
    url = _serve(
        http_server, "/dana.xml", "Dana writes", [("learned", "What we learned", "<p>x</p>")]
    )
    _ok(cli, "feed", "add", url, "--prospect", str(dana))
    post = _ok(cli, "entries", "--prospect", str(dana))[0]["id"]

    made = _ok(cli, "followup", "add", "--from-entry", str(post))
    assert made["prospect_id"] == dana and made["due"] == "2026-11-23"  # a Monday: today
    assert made["text"] == "Comment on Dana's post “What we learned” (https://blog.example/learned)"
    assert (made["entry_id"], made["entry_link"]) == (post, "https://blog.example/learned")

    # It is on today's list with the post to open, and in the follow-up list.
    due = _ok(cli, "today")["followups"]
    assert [(f["id"], f["entry_link"], f["prospect"]) for f in due] == [
        (made["id"], "https://blog.example/learned", "Dana Whitfield")
    ]
    assert [f["entry_id"] for f in _ok(cli, "followup", "list")] == [post]

    # The rep's own day and words win; the people-readable answer says what was added.
    own = cli(
        "followup", "add", "--from-entry", str(post), "--due", "2026-11-25",
        "--note", "Ask about the Q1 rollout", SMARKETING_NOW=NOW,
    )  # fmt: skip
    assert own.code == 0, own.stderr
    assert own.stdout.strip().endswith("due 2026-11-25: Ask about the Q1 rollout")


def test_a_follow_up_on_a_plan_step_is_due_the_next_working_day(cli: Cli) -> None:
    dana = _ok(cli, "prospect", "add", "Dana Whitfield")["id"]
    deal = _ok(
        cli, "opportunity", "add", "--prospect", str(dana), "--name", "Warehouse move",
        "--amount", "50000", "--close-date", "2027-05-01",
    )["id"]  # fmt: skip
    step = _ok(cli, "plan", "generate", "--opportunity", str(deal))["steps"][0]
    made = _ok(cli, "followup", "add", "--from-step", str(step["id"]))
    assert (made["prospect_id"], made["plan_step_id"], made["due"]) == (
        dana,
        step["id"],
        "2026-11-24",
    )
    assert made["text"] == f"Follow up on: {step['action']}"
    assert made["entry_link"] is None


def test_follow_ups_nobody_can_do_are_refused_in_one_line(
    cli: Cli, http_server: LocalServer
) -> None:
    dana = str(_ok(cli, "prospect", "add", "Dana Whitfield")["id"])
    url = _serve(http_server, "/ours.xml", "Our blog", [("news", "Our news", "<p>n</p>")])
    assert cli("content", "import-feed", url, SMARKETING_NOW=NOW).code == 0, "company feed"
    company = next(f for f in _ok(cli, "feed", "list") if f["purpose"] == "company")
    ours = str(_ok(cli, "entries", "--feed", str(company["id"]))[0]["id"])

    refused = {
        "company's own feed": ("--from-entry", ours),
        "There is no post with id 999.": ("--from-entry", "999"),
        "There is no plan step with id 999.": ("--from-step", "999"),
        "not allowed with argument --prospect": ("--prospect", dana, "--from-entry", ours),
        "needs --note": ("--prospect", dana),
        "one of the arguments --prospect --from-entry --from-step is required": (),
    }
    for message, args in refused.items():
        result = cli("followup", "add", *args, SMARKETING_NOW=NOW)
        assert result.code == 2, (args, result.stdout)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, args
    assert _ok(cli, "followup", "list") == []


# -- what a rep reads and the ids they act on ---------------------------------------------------


def test_today_shows_the_id_each_next_command_needs(cli: Cli) -> None:
    assert cli("demo", SMARKETING_NOW=NOW).code == 0
    _ok(cli, "touch", "--prospect", "1", "--kind", "call")
    followup = _ok(cli, "followup", "add", "--prospect", "2", "--note", "Send the link")["id"]
    share = _ok(cli, "queue", "add", "--channel", "linkedin", "--text", "Ready now", "--at", NOW)[
        "id"
    ]
    report = _ok(cli, "today")

    human = cli("today", SMARKETING_NOW=NOW)
    assert human.code == 0, human.stderr
    assert human.stdout.startswith("Today, 2026-11-23: 1 touch so far, streak 1 day\n")
    assert report["due_steps"] and report["suggestions"]
    for step in report["due_steps"]:
        assert f"[step {step['id']}] " in human.stdout
    assert f"[follow-up {followup}] 2026-11-23 " in human.stdout
    assert f"[share {share}] LinkedIn: Ready now" in human.stdout
    assert "\nWorth sharing:\n" in human.stdout
    first = report["suggestions"][0]
    assert f"[prospect {first['prospect_id']}, content {first['content_id']}] " in human.stdout
    assert f"[post {report['signals'][0]['id']}] " in human.stdout


def test_follow_ups_say_for_whom_come_soonest_first_and_refuse_what_is_not_one(
    cli: Cli,
) -> None:
    dana = str(_ok(cli, "prospect", "add", "Dana Whitfield")["id"])
    added = cli("followup", "add", "--prospect", dana, "--note", "Later", "--due", "2026-11-30",
                SMARKETING_NOW=NOW)  # fmt: skip
    assert added.code == 0, added.stderr
    later = int(added.stdout.split()[1])
    assert added.stdout == f"Follow-up {later} for Dana Whitfield due 2026-11-30: Later\n"
    sooner = _ok(cli, "followup", "add", "--prospect", dana, "--note", "Sooner")["id"]
    assert [f["id"] for f in _ok(cli, "followup", "list")] == [sooner, later]
    assert [f["id"] for f in _ok(cli, "today")["followups"]] == [sooner]

    listed = cli("followup", "list", SMARKETING_NOW=NOW).stdout.splitlines()
    assert listed[0].split() == ["ID", "DUE", "PROSPECT", "STATUS", "WHAT"]
    assert listed[1].split() == [str(sooner), "2026-11-23", "Dana", "Whitfield", "open", "Sooner"]
    assert listed[2].split()[0] == str(later)

    past = cli("followup", "add", "--prospect", dana, "--note", "x", "--due", "2026-11-20",
               SMARKETING_NOW=NOW)  # fmt: skip
    assert (past.code, past.stdout) == (2, "")
    assert past.stderr == "smarketing: That day has passed: pick today or a later day.\n"

    share = str(_ok(cli, "queue", "add", "--channel", "x", "--text", "A share")["id"])
    refused = cli("followup", "done", share, SMARKETING_NOW=NOW)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"smarketing: Item {share} is a share, not a follow-up "
        f"(use: smarketing queue done {share})\n"
    )

    done = cli("followup", "done", str(sooner), SMARKETING_NOW=NOW)
    assert done.stdout == f"Done: follow-up {sooner} (logged as a touch with Dana Whitfield)\n"
    again = cli("followup", "done", str(sooner), SMARKETING_NOW=NOW)
    assert (again.code, again.stderr) == (2, f"smarketing: Follow-up {sooner} is already done\n")
    listed_all = cli("followup", "list", "--all", SMARKETING_NOW=NOW).stdout
    assert " done " in listed_all and "queued" not in listed_all
    _ok(cli, "followup", "done", str(later))
    empty = cli("followup", "list", SMARKETING_NOW=NOW).stdout
    assert empty.startswith("No open follow-ups.")
