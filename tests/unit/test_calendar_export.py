"""Plan steps as iCalendar: valid, one all-day event per step, UIDs stable across exports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar, Event

from smarketing_desktop.core.calendar_export import CalendarStep, plan_calendar, step_uid
from smarketing_desktop.core.playbooks import Playbook, PlaybookStep
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.opportunities import (
    OpportunityDraft,
    OpportunityRepository,
)
from smarketing_desktop.db.repositories.plans import PlanRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database

STAMP = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _parse(data: bytes) -> Calendar:
    calendar = Calendar.from_ical(data)
    assert isinstance(calendar, Calendar)
    return calendar


def _events(data: bytes) -> list[Event]:
    return list(_parse(data).events)


def test_each_step_is_one_all_day_event_with_what_why_and_content() -> None:
    steps = [
        CalendarStep(
            id=4,
            due=date(2027, 3, 10),
            channel="email",
            action="Email a case study from a company like theirs",
            status="planned",
            why="Proof from a peer lowers the risk they feel.",
            prospect="Dana Whitfield",
            opportunity="Warehouse move",
            content_title="How Contoso moved",
            content_url="https://c.example/contoso",
        ),
        CalendarStep(5, date(2027, 3, 12), "x", "Skip me; " + "very long " * 20, "skipped"),
    ]
    calendar = _parse(plan_calendar(steps, stamp=STAMP))
    assert calendar.version == "2.0" and "Smarketing" in calendar.prodid
    first, second = calendar.events
    assert first.uid == "step-4@smarketing-desktop" == step_uid(4)
    assert (first.start, first.end) == (date(2027, 3, 10), date(2027, 3, 11))
    assert first.stamp == STAMP
    assert first.summary == "Email a case study from a company like theirs — Dana Whitfield"
    assert first.description is not None
    assert "Proof from a peer" in first.description
    assert "https://c.example/contoso" in first.description
    assert first.categories == ["email"]
    assert first.url == "https://c.example/contoso"
    assert second.status == "CANCELLED"
    assert second.summary is not None
    assert len(second.summary) <= 81 and second.summary.endswith("…")
    assert "very long very long" in (second.description or "")  # the full action is kept


def test_exports_from_storage_keep_their_uids_and_use_the_app_clock(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    prospect = ProspectRepository(db).add(ProspectDraft(name="Dana"))
    opportunity = OpportunityRepository(db).add(
        OpportunityDraft(prospect.id, "Warehouse move", date(2027, 5, 1), "1000")
    )
    playbook = Playbook(
        "two",
        "Two",
        "",
        (
            PlaybookStep("read", -100, "blog", "Comment on their blog", "Their terms."),
            PlaybookStep("ask", -5, "email", "Ask what is left", "Close."),
        ),
    )
    plans = PlanRepository(db, playbooks={"two": playbook})
    plan = plans.generate(opportunity.id, "two", candidates=[])
    first = _events(plans.export_ics())
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-24T10:30:00+00:00")
    plans.snooze(plan.steps[0].id, 3)
    second = _events(plans.export_ics(opportunity.id))
    assert len(first) == len(second) == len(plan.steps)
    assert [e.uid for e in first] == [e.uid for e in second]
    assert [e.uid for e in first] == [f"step-{s.id}@smarketing-desktop" for s in plan.steps]
    assert first[0].stamp == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert second[0].stamp == datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    assert second[0].start != first[0].start  # the snoozed step moved; same event
    assert first[0].summary == "Comment on their blog — Dana"
    assert first[1].categories == ["email"]
