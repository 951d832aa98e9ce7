"""Staying in touch and the morning report: going cold, streaks, shares released once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from smarketing_desktop.core.cadence import Cadence, streak
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.today import today_report

TODAY = date(2026, 11, 23)


def at(days_ago: int) -> datetime:
    return datetime.combine(
        TODAY - timedelta(days=days_ago), datetime.min.time(), tzinfo=UTC
    ) + timedelta(hours=12)


@pytest.mark.parametrize(
    ("days", "warmth"), [(0, "ok"), (14, "ok"), (15, "amber"), (30, "amber"), (31, "red")]
)
def test_warmth_follows_the_ideal_and_maximum_intervals(days: int, warmth: str) -> None:
    assert Cadence(14, 30).warmth(at(days), None, TODAY) == warmth


def test_never_touched_prospects_count_from_when_they_were_added() -> None:
    assert Cadence(14, 30).warmth(None, at(3), TODAY) == "ok"
    assert Cadence(14, 30).warmth(None, at(40), TODAY) == "red"


def test_streak_counts_consecutive_days_and_today_is_not_over_yet() -> None:
    days = {TODAY - timedelta(days=n) for n in (1, 2, 3, 5)}
    assert streak(days, TODAY) == 3
    assert streak(days | {TODAY}, TODAY) == 4
    assert streak({TODAY - timedelta(days=2)}, TODAY) == 0


def test_going_cold_lists_coldest_first_and_a_touch_warms_them(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", at(60).isoformat())
    prospects = ProspectRepository(db)
    old, older = (
        prospects.add(ProspectDraft(name="Old")),
        prospects.add(ProspectDraft(name="Older")),
    )
    activity = ActivityRepository(db)
    activity.log(old.id, "call", when=at(20))
    monkeypatch.setenv("SMARKETING_NOW", at(0).isoformat())
    cold = activity.going_cold(TODAY)
    assert [(c.name, c.warmth) for c in cold] == [("Older", "red"), ("Old", "amber")]
    activity.log(older.id, "meeting", "Coffee")
    assert [c.name for c in activity.going_cold(TODAY)] == ["Old"]
    with pytest.raises(UserError, match="Kind"):
        activity.log(old.id, "telepathy")


def test_due_shares_are_released_exactly_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T08:00:00+00:00")
    queue = QueueRepository(db)
    due = queue.add_share(channel="x", text="now", at=datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    queue.add_share(channel="x", text="later", at=datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert [i.id for i in queue.release_due(now)] == [due.id]
    assert queue.release_due(now) == []  # a second window or a restart does not release it again
    assert queue.get(due.id).status == "ready"


def test_today_report_has_every_section_and_counts_todays_touches(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    jane = ProspectRepository(db).add(ProspectDraft(name="Jane"))
    QueueRepository(db).add_followup(prospect_id=jane.id, due=TODAY, note="Call back")
    QueueRepository(db).add_followup(
        prospect_id=jane.id, due=TODAY + timedelta(days=3), note="Later"
    )
    ActivityRepository(db).log(jane.id, "call")
    report = today_report(db, with_suggestions=False)
    assert set(report) >= {
        "due_steps", "followups", "ready_shares", "new_entries", "signals", "suggestions",
        "going_cold", "done_today",
    }  # fmt: skip
    assert [f["text"] for f in report["followups"]] == ["Call back"]
    assert report["followups"][0]["prospect"] == "Jane"
    assert report["done_today"]["count"] == 1 and report["done_today"]["streak"] == 1
