"""Follow-ups from a prospect's post or a plan step: who they are for, what they say, when due.

The clock is pinned to Friday 20 November 2026 (or the Saturday after it): a comment on a post
is due today, or on Monday when today is a weekend day; a follow-up on a step is due the next
working day.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.models import Opportunity
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.followups import (
    draft_from_entry,
    followup_from_entry,
    followup_from_step,
    followups_json,
)
from smarketing_desktop.db.repositories.opportunities import OpportunityDraft, OpportunityRepository
from smarketing_desktop.db.repositories.plans import PlanRepository, StepQuery
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.fetch import FetchResult
from smarketing_desktop.feeds.parse import parse_feed
from smarketing_desktop.today import today_report
from tests.support.feeds import rss

FRIDAY = "2026-11-20T09:00:00+00:00"
SATURDAY = "2026-11-21T09:00:00+00:00"
LONG_TITLE = "What we learned moving 40 warehouses to one stock system in a single quarter"


def store_posts(
    db: Database, url: str, items: list[tuple[str, str, str]], prospect_id: int | None
) -> dict[str, int]:
    """A feed with its posts stored as a refresh stores them; title -> entry id."""
    feeds = FeedRepository(db)
    body = rss("Blog", items)
    feed = feeds.add_feed(url, title="Northwind blog", prospect_id=prospect_id)
    feeds.store(
        feed.id,
        FetchResult("ok", url, 200, body=body),
        parse_feed(body, url=url),
        hashlib.sha256(body).hexdigest(),
        datetime.now(UTC),
    )
    return {e.title: e.id for e in feeds.list_entries(EntryQuery(feed_id=feed.id))}


@pytest.fixture
def dana(db: Database, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SMARKETING_NOW", FRIDAY)
    return ProspectRepository(db).add(ProspectDraft(name="Dana Whitfield")).id


@pytest.fixture
def post(db: Database, dana: int) -> int:
    return store_posts(
        db, "https://dana.example/feed", [("learned", LONG_TITLE, "<p>x</p>")], dana
    )[LONG_TITLE]


def first_step(db: Database, prospect_id: int) -> int:
    deal = OpportunityRepository(db).add(
        OpportunityDraft(prospect_id, "Warehouse migration", date(2027, 2, 15))
    )
    PlanRepository(db).generate(deal.id)
    return PlanRepository(db).steps(StepQuery(opportunity_id=deal.id))[0].id


def test_a_post_makes_a_follow_up_with_its_prospect_due_today(
    db: Database, dana: int, post: int
) -> None:
    item = followup_from_entry(db, post)
    assert item.kind == "followup" and item.status == "queued"
    assert item.prospect_id == dana
    assert item.entry_id == post
    assert item.due_on == date(2026, 11, 20)  # a Friday: today
    assert item.text == (
        "Comment on Dana's post “What we learned moving 40 warehouses to one stock system in…” "
        "(https://blog.example/learned)"
    )
    # The post's title and link travel with it, so Today can open the post again.
    data = followups_json(db, [item])[0]
    assert data["entry_id"] == post
    assert data["entry_link"] == "https://blog.example/learned"
    assert data["entry_title"] == LONG_TITLE
    assert data["plan_step_id"] is None
    assert data["prospect_id"] == dana and data["due"] == "2026-11-20"


def test_on_a_weekend_a_post_follow_up_waits_for_monday(
    db: Database, post: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", SATURDAY)
    assert draft_from_entry(db, post).due == date(2026, 11, 23)


def test_the_rep_s_due_date_and_note_win_over_the_defaults(
    db: Database, post: int, dana: int
) -> None:
    item = followup_from_entry(db, post, due=date(2026, 12, 1), note="Ask about their Q1 rollout")
    assert (item.due_on, item.text, item.entry_id) == (
        date(2026, 12, 1),
        "Ask about their Q1 rollout",
        post,
    )
    with pytest.raises(UserError, match="needs a note"):
        followup_from_entry(db, post, note="   ")


def test_a_plan_step_makes_a_follow_up_with_the_deal_s_prospect_next_working_day(
    db: Database, dana: int
) -> None:
    step_id = first_step(db, dana)
    action = PlanRepository(db).get_step(step_id).action
    item = followup_from_step(db, step_id)
    assert item.prospect_id == dana
    assert item.due_on == date(2026, 11, 23)  # Friday -> Monday, never the weekend
    assert item.text == f"Follow up on: {action}"
    assert followups_json(db, [item])[0]["plan_step_id"] == step_id
    assert followups_json(db, [item])[0]["entry_link"] is None


def test_a_company_feed_post_has_nobody_to_follow_up_with(db: Database, dana: int) -> None:
    ids = store_posts(db, "https://we.example/feed", [("ours", "Our news", "<p>n</p>")], None)
    feeds = FeedRepository(db)
    company = feeds.list_entries(EntryQuery())[0].feed_id
    feeds.set_purpose(company, "company")
    with pytest.raises(UserError, match="company's own feed"):
        followup_from_entry(db, ids["Our news"])
    assert QueueRepository(db).list_items(kind="followup") == []


def test_a_post_of_a_feed_linked_to_nobody_is_refused_with_the_way_out(
    db: Database, dana: int
) -> None:
    ids = store_posts(db, "https://loose.example/feed", [("l", "Loose post", "<p>l</p>")], None)
    with pytest.raises(UserError, match="belongs to no prospect: move the feed to a prospect"):
        followup_from_entry(db, ids["Loose post"])


def test_a_deal_without_a_prospect_is_refused(db: Database, dana: int) -> None:
    step_id = first_step(db, dana)
    with db.session() as session:
        session.execute(update(Opportunity).values(prospect_id=None))
    with pytest.raises(UserError, match="has no prospect"):
        followup_from_step(db, step_id)


def test_unknown_posts_and_steps_are_named_in_the_error(db: Database, dana: int) -> None:
    with pytest.raises(NotFoundError, match="no post with id 999"):
        followup_from_entry(db, 999)
    with pytest.raises(NotFoundError, match="no plan step with id 999"):
        followup_from_step(db, 999)


def test_today_shows_the_post_a_follow_up_came_from(db: Database, dana: int, post: int) -> None:
    followup_from_entry(db, post)
    QueueRepository(db).add_followup(prospect_id=dana, due=date(2026, 11, 20), note="By hand")
    rows = {f["text"][:10]: f for f in today_report(db, with_suggestions=False)["followups"]}
    from_post, by_hand = rows["Comment on"], rows["By hand"]
    assert from_post["entry_link"] == "https://blog.example/learned"
    assert from_post["entry_title"] == LONG_TITLE
    assert from_post["prospect"] == "Dana Whitfield"  # the keys stay
    assert {"id", "text", "due", "prospect_id", "status"} <= set(from_post)
    assert by_hand["entry_link"] is None and by_hand["entry_id"] is None
