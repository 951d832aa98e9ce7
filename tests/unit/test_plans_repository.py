"""Opportunities and their plans in storage: quarters from the fiscal settings, plans that keep
what the rep did, re-planning when the close date moves, and done steps that count as touches."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from smarketing_desktop import clock
from smarketing_desktop.core.content import ContentDraft
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.fiscal import WorkCalendar
from smarketing_desktop.core.planning import ContentCandidate, PlanningError
from smarketing_desktop.core.playbooks import Playbook, PlaybookStep
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.models import Activity, PlanStep
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.db.repositories.opportunities import (
    OpportunityChanges,
    OpportunityDraft,
    OpportunityRepository,
)
from smarketing_desktop.db.repositories.plans import PlanRepository, StepQuery
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database

NOW = "2026-11-23T09:00:00+00:00"  # a Monday
TODAY = date(2026, 11, 23)
Q1_END = date(2027, 3, 31)
Q2_END = date(2027, 6, 30)

SMALL = Playbook(
    "small",
    "Small",
    "",
    (
        PlaybookStep("profile", -180, "linkedin", "Tune your profile.", "First impressions."),
        PlaybookStep("read", -120, "blog", "Comment on their blog.", "Their terms."),
        PlaybookStep("invite", -60, "x", "Invite to the webinar.", "A step.", ("webinar",)),
        PlaybookStep("proof", -20, "email", "Send a case study.", "Proof.", ("case_study",)),
        PlaybookStep("ask", -5, "email", "Ask what is left.", "Close.", ("case_study",)),
    ),
)


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)


@pytest.fixture
def prospect_id(db: Database) -> int:
    return ProspectRepository(db).add(ProspectDraft(name="Dana", company="Northwind")).id


def _opportunity(db: Database, prospect_id: int, close: date = date(2027, 2, 15)) -> int:
    draft = OpportunityDraft(prospect_id, "Warehouse move", close, amount="50000")
    return OpportunityRepository(db).add(draft).id


def _plans(db: Database) -> PlanRepository:
    return PlanRepository(db, playbooks={"small": SMALL, "default": SMALL})


def test_an_opportunity_falls_in_the_quarter_the_fiscal_settings_say(
    db: Database, prospect_id: int
) -> None:
    repo = OpportunityRepository(db)
    added = repo.add(
        OpportunityDraft(
            prospect_id, " Warehouse  move ", date(2027, 2, 15), "50,000", " Proposal "
        )
    )
    assert (added.name, added.amount, added.stage, added.status) == (
        "Warehouse move",
        Decimal("50000.00"),
        "Proposal",
        "open",
    )
    assert (added.prospect, added.company) == ("Dana", "Northwind")
    assert (added.quarter.label, added.quarter.end, added.days_left) == ("FY2027Q1", Q1_END, 128)
    SettingsRepository(db).set("fiscal_year_start_month", 2)
    moved = repo.get(added.id)
    assert (moved.quarter.label, moved.quarter.end) == ("FY2028Q1", date(2027, 4, 30))
    assert moved.to_json()["amount"] == 50000
    assert [o.id for o in repo.find(status="open")] == [added.id]
    assert repo.find(status="won") == []


def test_bad_opportunities_change_nothing(db: Database, prospect_id: int) -> None:
    repo = OpportunityRepository(db)
    with pytest.raises(NotFoundError, match="no prospect with id 99"):
        repo.add(OpportunityDraft(99, "X", date(2027, 1, 1), "1"))
    with pytest.raises(UserError, match="negative"):
        repo.add(OpportunityDraft(prospect_id, "X", date(2027, 1, 1), "-1"))
    with pytest.raises(UserError, match="not one of: open, won, lost"):
        repo.add(OpportunityDraft(prospect_id, "X", date(2027, 1, 1), "1", status="maybe"))
    with pytest.raises(UserError, match="needs a name"):
        repo.add(OpportunityDraft(prospect_id, "  ", date(2027, 1, 1), "1"))
    assert repo.find() == []
    added = _opportunity(db, prospect_id)
    with pytest.raises(UserError, match="Nothing to change"):
        repo.update(added, OpportunityChanges())
    with pytest.raises(UserError, match="negative"):
        repo.update(added, OpportunityChanges(amount="-5", name="Changed"))
    assert repo.get(added).name == "Warehouse move"


def test_a_generated_plan_lays_every_step_on_a_working_day_before_the_quarter_end(
    db: Database, prospect_id: int
) -> None:
    SettingsRepository(db).set("holiday_country", "US")
    opportunity = _opportunity(db, prospect_id)
    plan = _plans(db).generate(opportunity, "small", candidates=[])
    assert (plan.quarter, plan.quarter_end, plan.start) == ("FY2027Q1", Q1_END, TODAY)
    assert [w.code for w in plan.warnings] == ["late_start"]  # 128 days left, not 180
    dues = [s.due for s in plan.steps]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    assert all(TODAY <= d <= Q1_END and WorkCalendar(holiday_country="US").is_working_day(d)
               for d in dues)  # fmt: skip
    assert [s.step_key for s in plan.steps] == ["profile", "read", "invite", "proof", "ask"]
    assert {s.status for s in plan.steps} == {"planned"}
    assert plan.steps[0].why == "First impressions." and plan.steps[0].prospect == "Dana"


def test_content_comes_from_the_suggestions_for_the_prospect(
    db: Database, prospect_id: int
) -> None:
    ProspectRepository(db).update(prospect_id, ProspectDraft(name="Dana", tags=("cloud",)))
    content = ContentRepository(db)
    webinar = content.add(
        ContentDraft("https://c.example/w", "Cloud webinar", None, "webinar", ("cloud",))
    )
    story = content.add(
        ContentDraft("https://c.example/s", "Cloud story", None, "case_study", ("cloud",))
    )
    content.add(ContentDraft("https://c.example/o", "Gardening", None, "blog_post", ("garden",)))
    plan = _plans(db).generate(_opportunity(db, prospect_id), "small")
    by_key = {s.step_key: s for s in plan.steps}
    assert by_key["profile"].content_id is None and by_key["read"].content_id is None
    assert by_key["invite"].content_id == webinar.id
    assert by_key["invite"].content_url == "https://c.example/w"
    assert by_key["proof"].content_id == story.id
    assert by_key["ask"].content_id == story.id  # used again only because nothing else fits


def test_regenerating_replaces_pending_steps_and_keeps_done_and_skipped(
    db: Database, prospect_id: int
) -> None:
    plans = _plans(db)
    opportunity = _opportunity(db, prospect_id)
    first = plans.generate(opportunity, "small", candidates=[])
    done, skipped = first.steps[0], first.steps[1]
    plans.mark_done(done.id)
    plans.skip(skipped.id)
    gone = ContentCandidate(999, ("webinar",), "webinar")  # removed since it was suggested
    again = plans.generate(opportunity, candidates=[gone])
    assert again.playbook_id == "small"  # the one used last
    assert [s.step_key for s in again.steps] == ["profile", "read", "invite", "proof", "ask"]
    assert all(s.content_id is None for s in again.steps)
    kept = {s.id: s for s in again.steps if s.status != "planned"}
    assert (kept[done.id].status, kept[done.id].due) == ("done", done.due)
    assert (kept[skipped.id].status, kept[skipped.id].due) == ("skipped", skipped.due)
    with db.session() as session:
        assert session.scalar(select(PlanStep.id).where(PlanStep.id == first.steps[2].id)) in (
            None,
            first.steps[2].id,  # SQLite may reuse a deleted id
        )
        assert len(session.scalars(select(PlanStep)).all()) == 5


def test_moving_the_close_date_to_another_quarter_replans_only_pending_steps(
    db: Database, prospect_id: int
) -> None:
    plans, opportunities = _plans(db), OpportunityRepository(db)
    opportunity = _opportunity(db, prospect_id)
    plan = plans.generate(opportunity, "small", candidates=[])
    plans.mark_done(plan.steps[0].id)
    plans.skip(plan.steps[1].id)
    same_quarter = opportunities.update(
        opportunity, OpportunityChanges(close_date=date(2027, 3, 1))
    )
    assert same_quarter.replanned is None
    assert [s.due for s in plans.steps()] == [s.due for s in plan.steps]

    moved = opportunities.update(opportunity, OpportunityChanges(close_date=date(2027, 5, 10)))
    assert moved.opportunity.quarter.label == "FY2027Q2"
    assert moved.replanned is not None and moved.replanned.steps == 3
    assert moved.replanned.warnings == ()  # 219 days left: back on the playbook's dates
    after = {s.id: s for s in plans.steps()}
    assert after[plan.steps[0].id].due == plan.steps[0].due
    assert after[plan.steps[0].id].status == "done"
    assert after[plan.steps[1].id].due == plan.steps[1].due
    pending = [s for s in after.values() if s.status == "planned"]
    assert [s.step_key for s in pending] == ["invite", "proof", "ask"]
    assert all(Q1_END < s.due <= Q2_END for s in pending)

    over = opportunities.update(opportunity, OpportunityChanges(close_date=date(2026, 5, 1)))
    assert over.replanned is not None
    assert [w.code for w in over.replanned.warnings] == ["not_replanned"]
    assert [s.due for s in plans.steps()] == [s.due for s in after.values()]


def test_marking_a_step_done_logs_a_touch_with_the_prospect(db: Database, prospect_id: int) -> None:
    plans = _plans(db)
    plan = plans.generate(_opportunity(db, prospect_id), "small", candidates=[])
    done = plans.mark_done(plan.steps[2].id)
    assert done.status == "done" and done.done_at == clock.now()
    assert ProspectRepository(db).get(prospect_id).last_touch_at == clock.now()
    with db.session() as session:
        touch = session.scalars(select(Activity)).one()
    assert (touch.prospect_id, touch.kind, touch.note) == (
        prospect_id,
        "plan_x",
        "Invite to the webinar.",
    )
    with pytest.raises(UserError, match="already done"):
        plans.mark_done(done.id)
    with pytest.raises(UserError, match="already done"):
        plans.skip(done.id)
    with pytest.raises(NotFoundError):
        plans.mark_done(9999)


def test_snoozing_moves_a_step_to_a_later_working_day_but_not_past_the_quarter_end(
    db: Database, prospect_id: int
) -> None:
    plans = _plans(db)
    plan = plans.generate(_opportunity(db, prospect_id), "small", candidates=[])
    first, last = plan.steps[0], plan.steps[-1]
    snoozed = plans.snooze(first.id, 5)  # Monday + 5 = Saturday -> Monday
    assert (snoozed.step.due, snoozed.capped) == (date(2026, 11, 30), False)
    capped = plans.snooze(last.id, 30)
    assert (capped.step.due, capped.capped) == (Q1_END, True)
    assert capped.message.endswith(
        "the last working day before the quarter ends (30 days would pass it)."
    )
    plans.skip(first.id)
    with pytest.raises(UserError, match="only planned steps can move"):
        plans.snooze(first.id, 1)


def test_moving_a_step_takes_it_to_an_earlier_or_later_working_day(
    db: Database, prospect_id: int
) -> None:
    SettingsRepository(db).set("holiday_country", "US")
    plans = _plans(db)
    opportunity_id = _opportunity(db, prospect_id)
    steps = plans.generate(opportunity_id, "small", candidates=[]).steps
    first, last = steps[0], steps[-1]
    assert last.due > date(2027, 3, 1)

    earlier = plans.move(last.id, date(2026, 12, 1))
    assert earlier.due == date(2026, 12, 1) and earlier.status == "planned"
    later = plans.move(first.id, date(2027, 1, 13))
    assert later.due == date(2027, 1, 13)
    ordered = plans.steps(StepQuery(opportunity_id=opportunity_id))
    assert ordered.index(earlier) < ordered.index(later)  # the list follows the new days
    assert plans.move(first.id, TODAY).due == TODAY  # today is still in time

    # A day off moves on to the next working day: Saturday -> Monday, Thanksgiving -> Friday.
    assert plans.move(first.id, date(2026, 11, 28)).due == date(2026, 11, 30)
    assert plans.move(first.id, date(2026, 11, 26)).due == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        (date(2026, 11, 20), "has passed; a step can move to today"),
        (date(2027, 4, 1), "after the quarter ends on Wednesday 31 March 2027"),
    ],
)
def test_a_step_never_moves_into_the_past_or_past_the_quarter_end(
    db: Database, prospect_id: int, wanted: date, message: str
) -> None:
    plans = _plans(db)
    step = plans.generate(_opportunity(db, prospect_id), "small", candidates=[]).steps[1]
    with pytest.raises(UserError, match=message):
        plans.move(step.id, wanted)
    assert plans.get_step(step.id) == step


def test_only_planned_steps_move(db: Database, prospect_id: int) -> None:
    plans = _plans(db)
    steps = plans.generate(_opportunity(db, prospect_id), "small", candidates=[]).steps
    done = plans.mark_done(steps[0].id)
    skipped = plans.skip(steps[1].id)
    with pytest.raises(UserError, match=f"Step {done.id} is done; only planned steps can move"):
        plans.move(done.id, date(2026, 12, 1))
    with pytest.raises(UserError, match="is skipped"):
        plans.move(skipped.id, date(2026, 12, 1))
    assert plans.get_step(done.id).due == done.due
    with pytest.raises(NotFoundError):
        plans.move(9999, date(2026, 12, 1))


def test_plans_are_for_open_opportunities_with_time_left(db: Database, prospect_id: int) -> None:
    plans, opportunities = _plans(db), OpportunityRepository(db)
    opportunity = _opportunity(db, prospect_id)
    plan = plans.generate(opportunity, "small", candidates=[])
    opportunities.update(opportunity, OpportunityChanges(close_date=date(2026, 9, 1)))
    with pytest.raises(PlanningError, match="quarter ended on Wednesday 30 September 2026"):
        plans.generate(opportunity, candidates=[])
    assert [s.id for s in plans.steps()] == [s.id for s in plan.steps]  # nothing changed
    opportunities.update(opportunity, OpportunityChanges(status="won"))
    with pytest.raises(UserError, match="is won"):
        plans.generate(opportunity, candidates=[])
    with pytest.raises(UserError, match="no playbook 'nope'"):
        PlanRepository(db, playbooks={}).generate(_opportunity(db, prospect_id), "nope")
    with pytest.raises(NotFoundError):
        plans.generate(999)


def test_steps_can_be_listed_by_due_date_and_go_with_their_opportunity(
    db: Database, prospect_id: int
) -> None:
    plans = _plans(db)
    first = _opportunity(db, prospect_id)
    second = _opportunity(db, prospect_id, date(2027, 5, 1))
    plans.generate(first, "small", candidates=[])
    plans.generate(second, "small", candidates=[])
    assert len(plans.steps()) == 10
    assert len(plans.steps(StepQuery(opportunity_id=second))) == 5
    due_soon = plans.steps(StepQuery(due_by=date(2026, 12, 31)))
    assert due_soon and all(s.due <= date(2026, 12, 31) for s in due_soon)
    assert plans.steps(StepQuery(status="done")) == []
    removed = OpportunityRepository(db).remove(first)
    assert removed.id == first
    assert {s.opportunity_id for s in plans.steps()} == {second}
    with pytest.raises(NotFoundError):
        OpportunityRepository(db).get(first)


def test_the_default_playbook_plans_a_full_quarter(db: Database, prospect_id: int) -> None:
    plan = PlanRepository(db).generate(_opportunity(db, prospect_id, date(2027, 5, 1)))
    assert plan.playbook_id == "default" and plan.warnings == ()
    assert 12 <= len(plan.steps) <= 16
    assert plan.start == Q2_END.replace(month=1, day=1)  # 180 days before 30 June
    assert isinstance(plan.steps[0].due, date) and not isinstance(plan.steps[0].due, datetime)


PROFILE_FIRST = Playbook(
    "profile-first",
    "Profile first",
    "",
    (
        PlaybookStep("tune", -180, "linkedin", "Tune your profile.", "Looked up.", move="profile"),
        PlaybookStep("read", -120, "blog", "Comment on their blog.", "Their terms."),
    ),
)


def test_a_profile_step_done_once_counts_for_every_open_plan_due_soon(
    db: Database, prospect_id: int
) -> None:
    """The rep has one profile: tuning it for one deal must not leave the same chore in three
    other plans, but a plan whose profile step is months away keeps it as a reminder."""
    plans = PlanRepository(db, playbooks={"default": PROFILE_FIRST, "profile-first": PROFILE_FIRST})
    soon_a = plans.generate(_opportunity(db, prospect_id), candidates=[])  # late: tune today
    soon_b = plans.generate(_opportunity(db, prospect_id), candidates=[])
    later = plans.generate(
        _opportunity(db, prospect_id, close=date(2027, 12, 15)), candidates=[]
    )  # Q4: its profile step is due in June 2027, past the 30-day review interval
    lost_id = _opportunity(db, prospect_id)
    lost = plans.generate(lost_id, candidates=[])
    OpportunityRepository(db).update(lost_id, OpportunityChanges(status="lost"))

    done = plans.mark_done(soon_a.steps[0].id)

    assert done.also_done == (soon_b.steps[0].id,)
    assert done.to_json()["also_done"] == [soon_b.steps[0].id]
    status = {s.id: s.status for s in plans.steps()}
    assert status[soon_b.steps[0].id] == "done"
    assert status[soon_b.steps[1].id] == "planned"  # only the profile step
    assert status[later.steps[0].id] == "planned"
    assert status[lost.steps[0].id] == "planned"


def test_a_deal_step_done_completes_nothing_else(db: Database, prospect_id: int) -> None:
    plans = PlanRepository(db, playbooks={"default": PROFILE_FIRST, "profile-first": PROFILE_FIRST})
    first = plans.generate(_opportunity(db, prospect_id), candidates=[])
    second = plans.generate(_opportunity(db, prospect_id), candidates=[])
    done = plans.mark_done(first.steps[1].id)
    assert done.also_done == () and "also_done" not in done.to_json()
    assert {s.status for s in second.steps} == {"planned"}
    assert plans.get_step(second.steps[1].id).status == "planned"


def test_a_profile_step_done_counts_for_today_but_is_no_contact_with_the_buyer(
    db: Database, prospect_id: int
) -> None:
    plans = PlanRepository(db, playbooks={"default": PROFILE_FIRST, "profile-first": PROFILE_FIRST})
    plan = plans.generate(_opportunity(db, prospect_id), candidates=[])
    done = plans.mark_done(plan.steps[0].id)
    assert not done.touched_prospect
    assert ProspectRepository(db).get(prospect_id).last_touch_at is None  # still going cold
    with db.session() as session:
        touch = session.scalars(select(Activity)).one()
    assert touch.prospect_id is None and touch.kind == "plan_linkedin"  # but the rep did it
    assert plans.mark_done(plan.steps[1].id).touched_prospect


def test_a_plan_made_after_the_profile_was_tuned_does_not_ask_again(
    db: Database, prospect_id: int
) -> None:
    plans = PlanRepository(db, playbooks={"default": PROFILE_FIRST, "profile-first": PROFILE_FIRST})
    first = plans.generate(_opportunity(db, prospect_id), candidates=[])
    tuned = plans.mark_done(first.steps[0].id)
    assert tuned.done_at is not None

    later = plans.generate(_opportunity(db, prospect_id), candidates=[])
    steps = {s.step_key: s for s in later.steps}
    assert steps["tune"].status == "done" and steps["tune"].done_at == tuned.done_at
    assert steps["read"].status == "planned"
    # A plan whose profile step falls after the review interval asks again, as a reminder.
    far = plans.generate(_opportunity(db, prospect_id, close=date(2027, 12, 15)), candidates=[])
    assert {s.step_key: s.status for s in far.steps}["tune"] == "planned"
