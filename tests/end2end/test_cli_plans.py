"""Opportunities, quarter-end plans and their steps from the command line, with a pinned clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from icalendar import Calendar

from tests.end2end.conftest import Cli, Result

NOW = "2026-11-23T09:00:00+00:00"  # a Monday; FY2027Q1 ends on 31 March 2027


def run(cli: Cli, *args: str, now: str = NOW) -> Result:
    return cli(*args, SMARKETING_NOW=now)


def ok(cli: Cli, *args: str, now: str = NOW) -> Any:
    result = run(cli, *args, "--json", now=now)
    assert result.code == 0, result.stderr
    return result.json()


def add_prospect(cli: Cli) -> int:
    prospect = ok(
        cli, "prospect", "add", "Dana Whitfield", "--company", "Northwind", "--tag", "cloud"
    )
    return int(prospect["id"])


def test_opportunities_carry_their_quarter_and_refuse_bad_input(cli: Cli) -> None:
    prospect = add_prospect(cli)
    added = ok(
        cli, "opportunity", "add", "--prospect", str(prospect), "--name", "Warehouse move",
        "--amount", "50000", "--close-date", "2027-02-15", "--stage", "Discovery",
    )  # fmt: skip
    assert {k: added[k] for k in ("quarter", "quarter_end", "days_left")} == {
        "quarter": "FY2027Q1",
        "quarter_end": "2027-03-31",
        "days_left": 128,
    }
    assert {k: added[k] for k in ("prospect_id", "name", "amount", "close_date", "stage")} == {
        "prospect_id": prospect,
        "name": "Warehouse move",
        "amount": 50000,
        "close_date": "2027-02-15",
        "stage": "Discovery",
    }
    assert (added["status"], added["company"], added["prospect"]) == (
        "open",
        "Northwind",
        "Dana Whitfield",
    )
    base = ["opportunity", "add", "--prospect", str(prospect), "--name", "X"]
    for args, message in (
        (["--prospect", "99", "--amount", "1", "--close-date", "2027-01-01"], "no prospect"),
        (["--amount", "1", "--close-date", "2027-02-30"], "not a date"),
        (["--amount", "-5", "--close-date", "2027-01-01"], "negative"),
        (["--amount", "1", "--close-date", "2027-01-01", "--status", "maybe"], "not one of"),
    ):
        bad = run(cli, *base, *args)
        assert bad.code == 2, bad.stdout
        assert message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    listed = ok(cli, "opportunity", "list")
    assert [o["id"] for o in listed] == [added["id"]]

    updated = ok(
        cli, "opportunity", "update", str(added["id"]), "--stage", "Proposal",
        "--amount", "62500.5", "--status", "won",
    )  # fmt: skip
    assert (updated["stage"], updated["amount"], updated["status"]) == ("Proposal", 62500.5, "won")
    assert updated["replanned"] is None
    bad_status = run(cli, "opportunity", "update", str(added["id"]), "--status", "maybe")
    assert bad_status.code == 2 and "not one of" in bad_status.stderr
    assert ok(cli, "opportunity", "show", str(added["id"]))["status"] == "won"
    assert run(cli, "opportunity", "remove", str(added["id"])).code == 0
    assert ok(cli, "opportunity", "list") == []
    assert run(cli, "opportunity", "remove", str(added["id"])).code == 2


def test_a_plan_from_generation_to_the_calendar(cli: Cli, tmp_path: Path) -> None:
    prospect = add_prospect(cli)
    opportunity = ok(
        cli, "opportunity", "add", "--prospect", str(prospect), "--name", "Warehouse move",
        "--amount", "50000", "--close-date", "2027-05-01",
    )["id"]  # fmt: skip
    plan = ok(cli, "plan", "generate", "--opportunity", str(opportunity))
    assert (plan["opportunity_id"], plan["quarter_end"], plan["warnings"]) == (
        opportunity,
        "2027-06-30",
        [],
    )
    steps = plan["steps"]
    assert 12 <= len(steps) <= 16
    assert {"id", "due", "channel", "action", "why", "content_id", "status"} <= set(steps[0])
    dues = [s["due"] for s in steps]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    assert dues[0] >= "2027-01-01" and dues[-1] <= "2027-06-30"
    assert {s["status"] for s in steps} == {"planned"}

    first, second, third = steps[0]["id"], steps[1]["id"], steps[2]["id"]
    assert ok(cli, "step", "done", str(first))["status"] == "done"
    assert ok(cli, "step", "skip", str(second))["status"] == "skipped"
    snoozed = ok(cli, "step", "snooze", str(third), "--days", "7")
    assert snoozed["capped"] is False and snoozed["due"] > steps[2]["due"]
    capped = ok(cli, "step", "snooze", str(steps[-1]["id"]), "--days", "60")
    assert (capped["capped"], capped["due"]) == (True, "2027-06-30")
    assert capped["message"] == (
        f"Step {steps[-1]['id']} moved to Wed 30 Jun 2027, the last working day before the "
        "quarter ends (60 days would pass it)."
    )
    # Tuning the rep's own profile (the first step) is no contact with the buyer; a deal step is.
    assert ok(cli, "prospect", "show", str(prospect))["last_touch_at"] is None
    ok(cli, "step", "done", str(steps[3]["id"]))
    assert ok(cli, "prospect", "show", str(prospect))["last_touch_at"] is not None

    due_soon = ok(cli, "plan", "list", "--due-by", "2027-01-31", "--opportunity", str(opportunity))
    assert due_soon and all(s["due"] <= "2027-01-31" for s in due_soon)
    assert {"opportunity_id", "prospect_id", "prospect", "due", "status"} <= set(due_soon[0])
    assert due_soon[0]["prospect"] == "Dana Whitfield"

    moved = ok(cli, "opportunity", "update", str(opportunity), "--close-date", "2027-08-15")
    assert (
        moved["quarter"] == "FY2027Q3" and moved["replanned"]["steps"] == len(steps) - 3
    )  # 2 done, 1 skipped
    after = {s["id"]: s for s in ok(cli, "plan", "list", "--opportunity", str(opportunity))}
    assert (after[first]["status"], after[first]["due"]) == ("done", steps[0]["due"])
    assert (after[second]["status"], after[second]["due"]) == ("skipped", steps[1]["due"])
    pending = [s["due"] for s in after.values() if s["status"] == "planned"]
    assert pending == sorted(pending) and len(pending) == len(steps) - 3
    assert pending[0] >= "2027-04-03" and pending[-1] <= "2027-09-30"  # 180 days before Q3 ends

    ics = tmp_path / "plan.ics"
    exported = ok(cli, "plan", "export-ics", str(ics))
    assert exported["events"] == len(steps)
    calendar = Calendar.from_ical(ics.read_bytes())
    assert isinstance(calendar, Calendar)
    uids = [e.uid for e in calendar.events]
    assert uids == [f"step-{s['id']}@smarketing-desktop" for s in after.values()]
    ok(
        cli,
        "plan",
        "export-ics",
        str(ics),
        "--opportunity",
        str(opportunity),
        now="2026-12-01T08:00:00+00:00",
    )
    again = Calendar.from_ical(ics.read_bytes())
    assert isinstance(again, Calendar)
    assert [e.uid for e in again.events] == uids
    assert {str(e.stamp) for e in again.events} == {"2026-12-01 08:00:00+00:00"}


def test_late_and_too_late_plans(cli: Cli) -> None:
    prospect = str(add_prospect(cli))

    def opportunity(close: str) -> str:
        return str(
            ok(
                cli, "opportunity", "add", "--prospect", prospect, "--name", f"Deal {close}",
                "--amount", "1000", "--close-date", close,
            )["id"]
        )  # fmt: skip

    late = ok(cli, "plan", "generate", "--opportunity", opportunity("2026-12-15"))
    assert [w["code"] for w in late["warnings"]] == ["late_start"]
    assert "38 days are left" in late["warnings"][0]["message"]
    assert late["steps"][0]["due"] == "2026-11-23"
    assert all(s["due"] <= "2026-12-31" for s in late["steps"])

    over = run(cli, "plan", "generate", "--opportunity", opportunity("2026-09-15"))
    assert over.code == 2 and "quarter ended" in over.stderr
    assert ok(cli, "plan", "list", "--opportunity", "2") == []
    unknown = run(cli, "plan", "generate", "--opportunity", "1", "--playbook", "nope")
    assert unknown.code == 2 and "no playbook 'nope'" in unknown.stderr

    mine = cli.home / "playbooks" / "mine.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text(
        "id: mine\nname: Mine\nsteps:\n  - id: a\n    offset_days: -10\n    channel: fax\n"
        "    action: Fax them.\n    why: Retro.\n"
    )
    broken = run(cli, "plan", "generate", "--opportunity", "1", "--playbook", "mine")
    assert broken.code == 2
    assert str(mine) in broken.stderr and "step 1 ('a')" in broken.stderr


def test_a_step_moves_to_a_day_earlier_or_later_from_the_command_line(cli: Cli) -> None:
    prospect = add_prospect(cli)
    opportunity = ok(
        cli, "opportunity", "add", "--prospect", str(prospect), "--name", "Warehouse move",
        "--amount", "50000", "--close-date", "2027-05-01",
    )["id"]  # fmt: skip
    steps = ok(cli, "plan", "generate", "--opportunity", str(opportunity))["steps"]
    first, last = str(steps[0]["id"]), str(steps[-1]["id"])
    assert steps[0]["due"] > "2026-12-31"  # FY2027Q2's plan starts in the new year

    earlier = ok(cli, "step", "move", first, "--date", "2026-12-02")
    assert (earlier["due"], earlier["wanted"], earlier["status"]) == (
        "2026-12-02",
        "2026-12-02",
        "planned",
    )
    later = ok(cli, "step", "move", last, "--date", "2027-06-30")
    assert later["due"] == "2027-06-30"
    weekend = run(cli, "step", "move", first, "--date", "2026-12-05")  # a Saturday
    assert weekend.code == 0, weekend.stderr
    assert "Sat 2026-12-05 is not a working day" in weekend.stdout
    assert "moved to Mon 2026-12-07" in weekend.stdout
    listed = {s["id"]: s["due"] for s in ok(cli, "plan", "list", "--opportunity", str(opportunity))}
    assert listed[int(first)] == "2026-12-07" and listed[int(last)] == "2027-06-30"

    ok(cli, "step", "done", first)
    for args, message in (
        ([last, "--date", "2026-11-20"], "has passed"),
        ([last, "--date", "2027-07-01"], "after the quarter ends on Wednesday 30 June 2027"),
        ([first, "--date", "2027-01-05"], "is done; only planned steps can move"),
        (["9999", "--date", "2027-01-05"], "no plan step with id 9999"),
        ([last, "--date", "2027-02-30"], "not a date like 2027-03-31"),
        ([last], "--date"),
    ):
        result = run(cli, "step", "move", *args)
        assert result.code == 2, (args, result.stdout)
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    after = {s["id"]: s["due"] for s in ok(cli, "plan", "list", "--opportunity", str(opportunity))}
    assert after[int(last)] == "2027-06-30"


def test_updates_say_what_changed_and_filtered_lists_say_nothing_matched(cli: Cli) -> None:
    prospect = str(add_prospect(cli))
    deal = str(
        ok(
            cli, "opportunity", "add", "--prospect", prospect, "--name", "Warehouse move",
            "--amount", "50000", "--close-date", "2027-03-01",
        )["id"]
    )  # fmt: skip
    ok(cli, "plan", "generate", "--opportunity", deal)
    last = ok(cli, "plan", "list", "--opportunity", deal)[-1]["id"]
    snoozed = run(cli, "step", "snooze", str(last), "--days", "30")
    assert (snoozed.code, snoozed.stderr) == (0, "")
    assert snoozed.stdout == (
        f"Step {last} moved to Wed 31 Mar 2027, the last working day before the quarter ends "
        "(30 days would pass it).\n"
    )
    lost = run(cli, "opportunity", "update", deal, "--status", "lost")
    assert lost.code == 0, lost.stderr
    assert lost.stdout == (
        f"Updated opportunity {deal} (Warehouse move): marked lost; closes 2027-03-01 in "
        "FY2027Q1.\n"
    )
    assert run(cli, "opportunity", "list", "--status", "won").stdout == (
        "No opportunities match these filters.\n"
    )

    steps = run(cli, "plan", "list", "--due-by", "2026-11-30", "--status", "skipped")
    assert steps.stdout == "No plan steps match these filters.\n"
    ok(cli, "opportunity", "remove", deal)
    assert run(cli, "plan", "list").stdout.startswith("No plan steps. Plan an opportunity")
