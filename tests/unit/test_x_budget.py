"""The X cost meter: each post billed once per UTC day, monthly totals, and what a budget fits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from smarketing_desktop.db.store import Database
from smarketing_desktop.social.x_budget import (
    Usage,
    XMeter,
    budget_state,
    fit_sentence,
    has_url,
    monthly_cost_per_prospect,
    prospects_that_fit,
)

NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)


def test_a_post_read_twice_in_a_utc_day_is_billed_once(db: Database) -> None:
    meter = XMeter(db)
    assert meter.charge_posts(["1", "2"], NOW) == 2
    assert meter.charge_posts(["2", "3"], NOW + timedelta(hours=10)) == 1
    assert meter.usage(NOW).posts_read == 3
    # After midnight UTC the same post is a new charge (and here a new month).
    assert meter.charge_posts(["1"], datetime(2027, 4, 1, 0, 5, tzinfo=UTC)) == 1
    assert meter.usage(NOW).posts_read == 3
    assert meter.usage(datetime(2027, 4, 1, 12, tzinfo=UTC)).posts_read == 1


def test_the_utc_day_decides_not_the_local_one(db: Database) -> None:
    meter = XMeter(db)
    late_evening_in_new_york = datetime.fromisoformat("2027-03-30T21:00:00-04:00")  # 01:00 UTC
    meter.charge_posts(["9"], late_evening_in_new_york)
    assert meter.charge_posts(["9"], NOW) == 0  # both on 31 March, UTC


def test_cost_adds_reads_and_writes_at_xs_rates(db: Database) -> None:
    meter = XMeter(db)
    meter.charge_posts([str(i) for i in range(100)], NOW)
    meter.charge_users({"Jane": "11", "bob": "12"}, NOW)
    meter.charge_me("99", NOW)
    meter.charge_write("500", "plain text", NOW)
    meter.charge_write("501", "with a link https://acme.example/p", NOW)
    usage = meter.usage(NOW)
    assert (usage.posts_read, usage.users_read, usage.reads) == (100, 3, 103)
    assert usage.cost == Decimal("0.500") + Decimal("0.030") + Decimal("0.015") + Decimal("0.200")


def test_user_rows_are_the_handle_cache(db: Database) -> None:
    meter = XMeter(db)
    meter.charge_users({"Jane": "11"}, NOW - timedelta(days=40))
    meter.note_missing(["ghost"], NOW)
    known = meter.cached_user_ids(["jane", "GHOST", "new_one"], NOW)
    assert known == {"jane": "11", "ghost": None}
    # Missing handles are asked about again the next day; resolved ones never.
    tomorrow = NOW + timedelta(days=1)
    assert meter.cached_user_ids(["jane", "ghost"], tomorrow) == {"jane": "11"}
    meter.forget_user("JANE")
    assert meter.cached_user_ids(["jane"], tomorrow) == {}


def test_old_post_rows_are_pruned_but_the_cache_stays(db: Database) -> None:
    meter = XMeter(db)
    long_ago = NOW - timedelta(days=500)
    meter.charge_posts(["1"], long_ago)
    meter.charge_users({"jane": "11"}, long_ago)
    meter.prune(NOW)
    assert meter.usage(long_ago).posts_read == 0
    assert meter.cached_user_ids(["jane"], NOW) == {"jane": "11"}


def test_links_are_detected_for_the_write_rate() -> None:
    assert has_url("see https://x.example")
    assert has_url("www.acme.example/page")
    assert not has_url("no link here")


def usage(posts: int, days: int = 10) -> Usage:
    return Usage("2027-03", posts, 0, 0, 0, days)


def test_what_a_budget_fits() -> None:
    # Two posts a day for a month at $0.005 is about $0.30 per prospect.
    assert monthly_cost_per_prospect(60, 2.0, 60) == Decimal("0.30400")
    assert prospects_that_fit(10, 60, 2.0, 60) == 32
    # The per-check cap bounds a very chatty prospect: once a day, at most 60 posts a day.
    assert monthly_cost_per_prospect(1440, 500.0, 60) == monthly_cost_per_prospect(60, 60.0, 60)
    assert prospects_that_fit(0, 60, 2.0, 60) == 0


def test_the_notice_says_how_many_prospects_and_how_often() -> None:
    assert fit_sentence(10, 360, 40, 1.6).startswith(
        "Your $10 budget fits 40 prospects checked every 6 hours"
    )
    assert "every hour" in fit_sentence(10, 60, 40, 1.6)
    assert "every day" in fit_sentence(10, 1440, 40, 1.6)
    assert "every 45 minutes" in fit_sentence(10, 45, 40, 1.6)


def test_budget_reached_pauses_with_a_notice() -> None:
    # 10 prospects over 10 days read 2,000 posts ($10): 20 posts a day each.
    state = budget_state(
        usage(2000),
        budget_usd=10,
        poll_minutes=60,
        tracked_prospects=10,
        posts_per_check=60,
        now=datetime(2027, 3, 10, 12, tzinfo=UTC),
    )
    assert state.reached
    assert state.fits_prospects == 3  # at 20 posts a day, $3.04 a month each
    assert state.notice is not None
    assert "paused" in state.notice and "1 April" in state.notice
    assert "Your $10 budget fits 3 prospects checked every hour" in state.notice
    assert state.to_json()["estimated_cost"] == 10.0


def test_budget_reserve_stops_before_a_request_would_pass_it() -> None:
    spent = usage(1990)  # $9.95

    def reached(reserve: Decimal) -> bool:
        return budget_state(
            spent,
            budget_usd=10,
            poll_minutes=60,
            tracked_prospects=40,
            posts_per_check=60,
            now=NOW,
            reserve=reserve,
        ).reached

    assert not reached(Decimal(0))
    assert not reached(Decimal("0.05"))  # lands exactly on the budget
    assert reached(Decimal("0.10"))


def test_more_prospects_than_fit_is_flagged_before_the_budget_runs_out() -> None:
    state = budget_state(
        usage(0), budget_usd=10, poll_minutes=60, tracked_prospects=50, posts_per_check=60, now=NOW
    )
    assert not state.reached
    assert state.notice is not None and state.notice.startswith("50 prospects are tracked on X.")
