"""Prospects' X posts land in the inbox as feed entries, within the budget, without sleeping."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import StoredAccount, XAuthError, disconnect, save_account
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import OAuth1Keys, local_hhmm
from smarketing_desktop.social.x_tracking import track, x_status
from tests.support.http_server import LocalServer, Response
from tests.support.x_cassettes import Call, FakeX, corpus_available, json_response, load, problem

needs_corpus = pytest.mark.skipif(
    not corpus_available(), reason="shared corpus not checked out beside the repo"
)
NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
KEYS = OAuth1Keys("consumer-key-1", "consumer-secret-2", "1072250532645998596-at3", "at-secret-4")
TIMELINE = "/2/users/783214/tweets"
USERS = {"data": [{"id": "783214", "name": "Twitter", "username": "Twitter"}]}
NEWER = "1577730467436138600"
OLDER_NEW = "1577730467436138590"


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("SMARKETING_NOW", NOW.isoformat())
    return FakeX(http_server)


@pytest.fixture
def store() -> SecretStore:
    secrets = SecretStore()
    save_account(
        secrets, StoredAccount(oauth1=KEYS, handle="TweepyDev", user_id="1072250532645998596")
    )
    return secrets


def add_prospect(db: Database, name: str = "Twitter Inc", handle: str = "Twitter") -> int:
    return ProspectRepository(db).add(ProspectDraft(name=name, x_handle=handle)).id


def posts(*items: tuple[str, str], next_token: str | None = None) -> dict[str, object]:
    meta: dict[str, object] = {"result_count": len(items)}
    if items:
        meta["newest_id"] = items[0][0]
    if next_token:
        meta["next_token"] = next_token
    return {"data": [{"id": i, "text": t} for i, t in items], "meta": meta}


def timeline_with_history(call: Call) -> Response:
    """First check: the recorded page. Later checks: newer posts over two pages."""
    if call.param("since_id") is None:
        return load("test_client_get_users_tweets")[0].response()
    if call.param("pagination_token") is None:
        return json_response(posts((NEWER, "Our RFP for cloud data is out"), next_token="p2"))
    return json_response(posts((OLDER_NEW, "Migrating to a new stack next quarter")))


@needs_corpus
def test_posts_land_in_the_inbox_and_the_next_check_asks_only_for_newer(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    prospect_id = add_prospect(db)
    FeedRepository(db).add_rule("RFP")
    fake_x.replay(*load("test_client_get_users"))
    fake_x.on("GET", TIMELINE, timeline_with_history)

    first = track(db, store, config=fake_x.config(), now=NOW)
    assert (first.checked, first.new_posts, first.skipped) == (1, 2, [])
    (lookup,) = fake_x.calls_to("/2/users/by")
    assert lookup.param("usernames") == "twitter"
    (page,) = fake_x.calls_to(TIMELINE)  # a first check reads one page, not the history
    assert page.param("since_id") is None and page.param("max_results") == "10"

    (feed,) = FeedRepository(db).list_feeds(prospect_id=prospect_id)
    assert (feed.kind, feed.url, feed.purpose, feed.status) == (
        "x",
        "https://x.com/Twitter",
        "prospect",
        "ok",
    )
    entries = FeedRepository(db).list_entries(EntryQuery(prospect_id=prospect_id))
    newest = next(e for e in entries if e.link and e.link.endswith("1577730467436138524"))
    assert newest.link == "https://x.com/Twitter/status/1577730467436138524"
    assert newest.title.startswith("whoa, it works")
    assert newest.author == "@Twitter" and newest.prospect_id == prospect_id

    second = track(db, store, config=fake_x.config(), now=NOW + timedelta(hours=1))
    assert (second.checked, second.new_posts) == (1, 2)
    assert len(fake_x.calls_to("/2/users/by")) == 1  # the handle was resolved once
    _, newer_page, older_page = fake_x.calls_to(TIMELINE)
    assert newer_page.param("since_id") == "1577730467436138524"
    assert older_page.param("since_id") == "1577730467436138524"
    assert older_page.param("pagination_token") == "p2"
    signals = FeedRepository(db).list_entries(EntryQuery(signals_only=True))
    assert [s.title for s in signals] == ["Our RFP for cloud data is out"]

    third = track(db, store, config=fake_x.config(), now=NOW + timedelta(hours=2))
    assert fake_x.calls_to(TIMELINE)[-1].param("since_id") == NEWER
    assert third.new_posts == 0

    usage = XMeter(db).usage(NOW)
    # The recorded lookup answers with two accounts, and X bills what it returns.
    assert (usage.posts_read, usage.users_read) == (4, 2)
    assert third.budget is not None and third.budget.estimated_cost == pytest.approx(0.04)


def test_not_connected_is_refused(db: Database, fake_x: FakeX) -> None:
    with pytest.raises(XAuthError, match="Connect an X account"):
        track(db, SecretStore(), config=fake_x.config(), now=NOW)


def test_an_app_bearer_token_is_enough_to_track(db: Database, fake_x: FakeX) -> None:
    secrets = SecretStore()
    save_account(secrets, StoredAccount(bearer_token="app-bearer-dd44"))
    add_prospect(db)
    fake_x.on("GET", "/2/users/by", json_response(USERS))
    fake_x.on("GET", TIMELINE, json_response(posts(("5", "hello"))))
    report = track(db, secrets, config=fake_x.config(), now=NOW)
    assert report.new_posts == 1
    assert {c.headers["authorization"] for c in fake_x.calls} == {"Bearer app-bearer-dd44"}


def test_unknown_handles_are_skipped_and_not_asked_again_today(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    ghost = add_prospect(db, "Ghost", "ghost_account")
    fake_x.on("GET", "/2/users/by", json_response({"errors": [{"value": "ghost_account"}]}))
    report = track(db, store, config=fake_x.config(), now=NOW)
    assert [(s.prospect_id, s.handle) for s in report.skipped] == [(ghost, "ghost_account")]
    assert "no account @ghost_account" in report.skipped[0].reason
    track(db, store, config=fake_x.config(), now=NOW + timedelta(hours=1))
    assert len(fake_x.calls_to("/2/users/by")) == 1
    assert XMeter(db).usage(NOW).users_read == 0  # not found is not billed


def test_429_records_next_try_and_skips_without_sleeping(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    first = add_prospect(db, "One", "one")
    second = add_prospect(db, "Two", "two")
    fake_x.on(
        "GET",
        "/2/users/by",
        json_response(
            {
                "data": [
                    {"id": "1", "name": "One", "username": "one"},
                    {"id": "2", "name": "Two", "username": "two"},
                ]
            }
        ),
    )
    reset = NOW + timedelta(minutes=14)
    limited = problem(
        429,
        "Too Many Requests",
        "Too Many Requests",
        {"x-rate-limit-reset": str(int(reset.timestamp()))},
    )
    fake_x.on("GET", "/2/users/1/tweets", limited)
    fake_x.on("GET", "/2/users/2/tweets", json_response(posts(("7", "never read"))))
    started = time.monotonic()
    report = track(db, store, config=fake_x.config(), now=NOW)
    assert time.monotonic() - started < 3
    assert report.next_try_after == reset
    assert {s.prospect_id for s in report.skipped} == {first, second}
    assert all(f"next try after {local_hhmm(reset)}" in s.reason for s in report.skipped)
    assert fake_x.calls_to("/2/users/2/tweets") == []  # the rest wait for the reset too
    feeds = FeedRepository(db).list_feeds()
    assert {f.retry_after for f in feeds} == {reset}
    assert {f.error_kind for f in feeds} == {"rate_limited"}

    calls_before = len(fake_x.calls)
    again = track(db, store, config=fake_x.config(), now=NOW + timedelta(minutes=5))
    assert len(fake_x.calls) == calls_before  # nothing is asked before the reset
    assert len(again.skipped) == 2 and "next try after" in again.skipped[0].reason


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [(401, "auth", "Reconnect"), (403, "auth", "access level"), (503, "server", "trouble")],
)
def test_account_wide_errors_end_the_run_with_a_message(  # noqa: PLR0917 (fixtures + params)
    db: Database, fake_x: FakeX, store: SecretStore, status: int, kind: str, words: str
) -> None:
    add_prospect(db, "One", "one")
    add_prospect(db, "Two", "two")
    fake_x.on(
        "GET",
        "/2/users/by",
        json_response(
            {
                "data": [
                    {"id": "1", "name": "One", "username": "one"},
                    {"id": "2", "name": "Two", "username": "two"},
                ]
            }
        ),
    )
    fake_x.on("GET", "/2/users/1/tweets", problem(status, "Error", "X says no"))
    fake_x.on("GET", "/2/users/2/tweets", json_response(posts(("7", "never read"))))
    report = track(db, store, config=fake_x.config(), now=NOW)
    assert report.error is not None and words in report.error and "X says no" in report.error
    assert len(report.skipped) == 2 and report.checked == 0
    assert fake_x.calls_to("/2/users/2/tweets") == []
    failed = next(f for f in FeedRepository(db).list_feeds() if f.url.endswith("/one"))
    assert failed.error_kind == kind and failed.status == "error"
    if status == 503:  # backs off: the next check is pushed past the poll interval
        assert failed.next_check_at is not None
        assert failed.next_check_at >= NOW + timedelta(minutes=60)


def test_a_timeout_is_recorded_and_the_run_ends_in_time(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    add_prospect(db)
    fake_x.on("GET", "/2/users/by", json_response(USERS))
    fake_x.hang("GET", TIMELINE)
    started = time.monotonic()
    report = track(db, store, config=fake_x.config(read_timeout=0.4), now=NOW)
    assert time.monotonic() - started < 4
    assert report.error is not None and "did not answer" in report.error
    (feed,) = FeedRepository(db).list_feeds()
    assert feed.error_kind == "timeout"


def test_budget_reached_stops_polling_with_a_notice(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    add_prospect(db)
    SettingsRepository(db).set("x_monthly_budget_usd", 1)
    XMeter(db).charge_posts([str(i) for i in range(200)], NOW)  # $1.00 already read
    report = track(db, store, config=fake_x.config(), now=NOW)
    assert fake_x.calls == []
    assert report.budget is not None and report.budget.reached
    assert report.budget.notice is not None
    assert "Your $1 budget fits" in report.budget.notice
    assert "checked every hour" in report.budget.notice
    assert len(report.skipped) == 1 and "paused" in report.skipped[0].reason


def test_a_check_stops_before_passing_the_budget(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    add_prospect(db)
    SettingsRepository(db).set("x_monthly_budget_usd", 1)
    meter = XMeter(db)
    meter.charge_users({"twitter": "783214"}, NOW - timedelta(days=3))
    meter.charge_posts([str(i) for i in range(186)], NOW)  # $0.93 + $0.01: room for one page
    feed_repo = FeedRepository(db)
    fake_x.on(
        "GET",
        TIMELINE,
        lambda call: json_response(posts(("900", "a"), next_token="more")),
    )
    track(db, store, config=fake_x.config(), now=NOW)  # first check: one page of up to 10
    report = track(db, store, config=fake_x.config(), now=NOW + timedelta(hours=1))
    assert len(fake_x.calls_to(TIMELINE)) == 1  # a 20-post page would pass the budget
    assert report.budget is not None and report.budget.reached
    assert feed_repo.list_feeds()[0].entries == 1


def test_due_only_checks_feeds_whose_interval_passed(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    add_prospect(db)
    fake_x.on("GET", "/2/users/by", json_response(USERS))
    fake_x.on("GET", TIMELINE, json_response(posts(("5", "hello"))))
    track(db, store, config=fake_x.config(), now=NOW)
    quiet = track(db, store, config=fake_x.config(), now=NOW + timedelta(minutes=30), due_only=True)
    assert (quiet.checked, quiet.skipped) == (0, [])
    due = track(db, store, config=fake_x.config(), now=NOW + timedelta(minutes=61), due_only=True)
    assert due.checked == 1


def test_status_shows_connection_and_meter(db: Database, store: SecretStore) -> None:
    add_prospect(db)
    XMeter(db).charge_posts(["1", "2"], NOW)
    status = x_status(db, store, now=NOW).to_json()
    assert status["connected"] is True and status["handle"] == "TweepyDev"
    assert status["reads_this_month"] == 2
    assert status["estimated_cost"] == pytest.approx(0.01)
    assert status["budget"] == 10 and status["tracked_prospects"] == 1
    disconnect(store)
    assert x_status(db, store, now=NOW).to_json()["connected"] is False
