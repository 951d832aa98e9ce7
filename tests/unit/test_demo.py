"""The sample workspace a new rep explores without network, deals and plans included."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.fiscal import FiscalCalendar
from smarketing_desktop.db.models import Entry
from smarketing_desktop.db.repositories.opportunities import OpportunityRepository
from smarketing_desktop.db.repositories.plans import PlanRepository
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.demo import load_demo, sample_close_date, workspace_is_empty
from smarketing_desktop.today import today_report


def test_demo_fills_prospects_companies_content_and_their_posts(db: Database) -> None:
    assert workspace_is_empty(db)
    report = load_demo(db)
    assert not workspace_is_empty(db)
    repo = ProspectRepository(db)
    assert repo.count() == report.prospects >= 6
    with_feeds = [p for p in repo.find() if p.feed_count]
    assert len(with_feeds) == report.feeds
    assert {p.company for p in repo.find()} >= {"Northwind Logistics", "Contoso Health"}
    with db.session() as session:
        untitled = session.scalars(select(Entry.title).where(Entry.title == "")).all()
        assert session.scalar(select(func.count(Entry.id))) == report.entries
    assert untitled == []  # Mastodon posts got a title from their text
    assert repo.find(ProspectQuery(search="compliance"))


def test_demo_never_mixes_into_a_real_workspace(db: Database) -> None:
    load_demo(db)
    before = ProspectRepository(db).count()
    steps = len(PlanRepository(db).steps())
    with pytest.raises(UserError, match="already has data"):
        load_demo(db)
    assert ProspectRepository(db).count() == before
    assert len(OpportunityRepository(db).find()) == 3
    assert len(PlanRepository(db).steps()) == steps


@pytest.mark.parametrize(
    "now",
    [
        "2026-11-23T12:00:00+00:00",  # a Monday, late in a quarter
        "2027-01-02T12:00:00+00:00",  # a Saturday, the first days of a quarter (and a year)
        "2027-03-31T12:00:00+00:00",  # the last day of a quarter
    ],
)
def test_demo_deals_close_ahead_and_their_plans_fill_the_plan_area_and_today(
    db: Database, monkeypatch: pytest.MonkeyPatch, now: str
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", now)
    today = clock.today()
    report = load_demo(db)
    opportunities = OpportunityRepository(db).find(status="open")
    assert report.opportunities == len(opportunities) == 3
    assert {o.prospect for o in opportunities} == {
        "Dana Whitfield",
        "Marcus Oyelaran",
        "Priya Raman",
    }
    fiscal = FiscalCalendar()
    this_quarter = fiscal.quarter_of(today)
    next_quarter = fiscal.next_quarter(this_quarter)
    quarters = sorted(o.quarter.label for o in opportunities)
    assert all(o.close_date > today for o in opportunities)
    assert quarters == sorted(
        [next_quarter.label, next_quarter.label, fiscal.next_quarter(next_quarter).label]
    )

    plans = PlanRepository(db)
    steps = plans.steps()
    assert report.plan_steps == len(steps) > 30
    assert {s.opportunity_id for s in steps} == {o.id for o in opportunities}
    assert all(s.status == "planned" for s in steps)
    assert any(s.content_id is not None for s in steps)  # the sample library fills steps
    assert f"3 deals with {len(steps)} plan steps" in report.summary()
    # Today has a plan step due, even on a weekend.
    due = today_report(db, with_suggestions=False)["due_steps"]
    assert due and all(step["due"] <= today.isoformat() for step in due)


def test_the_sample_close_date_is_always_in_a_later_quarter() -> None:
    fiscal = FiscalCalendar(start_month=2)
    assert sample_close_date(fiscal, date(2026, 4, 30), 1, 45) == date(2026, 6, 15)
    assert sample_close_date(fiscal, date(2026, 4, 30), 2, 30) == date(2026, 8, 31)
    assert sample_close_date(fiscal, date(2026, 4, 30), 1, 200) == date(2026, 7, 31)
