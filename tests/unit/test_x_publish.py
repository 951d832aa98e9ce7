"""Due X shares go out through create_tweet when an account is connected; outcomes are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.models import QueueItem
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import StoredAccount, save_account
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import OAuth1Keys, local_hhmm
from smarketing_desktop.social.x_publish import (
    XTextTooLongError,
    check_share_length,
    publish_due,
    share_length,
    share_post_text,
)
from tests.support.http_server import LocalServer
from tests.support.x_cassettes import FakeX, corpus_available, json_response, load, problem

needs_corpus = pytest.mark.skipif(
    not corpus_available(), reason="shared corpus not checked out beside the repo"
)
NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
KEYS = OAuth1Keys("consumer-key-1", "consumer-secret-2", "1072250532645998596-at3", "at-secret-4")
LINK = "https://acme.example/blog/" + "long-path-" * 20


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


def due_share(
    db: Database, channel: str = "x", text: str = "Test Tweet", url: str | None = None
) -> int:
    prospect = ProspectRepository(db).add(ProspectDraft(name="Jane Doe", x_handle="jane"))
    item = QueueRepository(db).add_share(
        channel=channel, text=text, url=url, prospect_id=prospect.id, at=NOW - timedelta(minutes=5)
    )
    return item.id


def row(db: Database, item_id: int) -> QueueItem:
    with db.session() as session:
        found = session.scalars(select(QueueItem).where(QueueItem.id == item_id)).one()
        session.expunge(found)
        return found


def test_links_count_23_and_the_url_is_appended_once() -> None:
    assert share_post_text("Worth a read", LINK) == f"Worth a read {LINK}"
    assert share_post_text(f"Read {LINK} now", LINK) == f"Read {LINK} now"
    assert share_length("Worth a read", LINK) == len("Worth a read ") + 23
    check_share_length("a" * 256, LINK)  # 256 + 1 + 23 = 280: exactly the limit
    with pytest.raises(XTextTooLongError, match="281 characters as X counts them"):
        check_share_length("a" * 257, LINK)


@needs_corpus
def test_a_due_x_share_is_posted_and_its_id_and_url_kept(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    fake_x.replay(load("test_client_create_and_delete_tweet")[0])
    x_item = due_share(db)
    linkedin = QueueRepository(db).add_share(
        channel="linkedin",
        text="For LinkedIn",
        url="https://acme.example",
        at=NOW - timedelta(hours=1),
    )
    report = publish_due(db, store, config=fake_x.config(), now=NOW)
    assert [i.id for i in report.ready] == [linkedin.id]
    (outcome,) = report.outcomes
    assert outcome.status == "posted"
    assert outcome.external_id == "1456012973835788293"
    assert outcome.external_url == "https://x.com/TweepyDev/status/1456012973835788293"
    stored = row(db, x_item)
    assert (stored.status, stored.external_id, stored.external_url, stored.error) == (
        "posted",
        "1456012973835788293",
        "https://x.com/TweepyDev/status/1456012973835788293",
        None,
    )
    assert stored.posted_at is not None
    (call,) = fake_x.calls_to("/2/tweets", "POST")
    assert call.json() == {"text": "Test Tweet"}
    prospect = ProspectRepository(db).get(stored.prospect_id or 0)
    assert prospect.last_touch_at == NOW  # posting is a touch, as "done" is
    assert XMeter(db).usage(NOW).posts_written == 1
    assert report.to_json()["posted"][0]["external_id"] == "1456012973835788293"
    # Released once: another run posts nothing again.
    assert publish_due(db, store, config=fake_x.config(), now=NOW).outcomes == []


def test_the_link_is_part_of_the_post(db: Database, fake_x: FakeX, store: SecretStore) -> None:
    fake_x.on("POST", "/2/tweets", json_response({"data": {"id": "77", "text": "x"}}, 201))
    due_share(db, text="Worth a read", url="https://acme.example/p")
    publish_due(db, store, config=fake_x.config(), now=NOW)
    assert fake_x.calls[0].json() == {"text": "Worth a read https://acme.example/p"}
    assert XMeter(db).usage(NOW).posts_written_with_url == 1


def test_failure_keeps_xs_message(db: Database, fake_x: FakeX, store: SecretStore) -> None:
    detail = "You are not allowed to create a Tweet with duplicate content."
    fake_x.on("POST", "/2/tweets", problem(403, "Forbidden", detail))
    first = due_share(db, text="one")
    second = (
        QueueRepository(db).add_share(channel="x", text="two", at=NOW - timedelta(minutes=1)).id
    )
    report = publish_due(db, store, config=fake_x.config(), now=NOW)
    assert [o.status for o in report.outcomes] == ["failed", "failed"]
    assert detail in (row(db, first).error or "")
    assert "access level" in (row(db, second).error or "")
    assert len(fake_x.calls) == 1  # the same 403 would come back: the second is not sent
    assert report.to_json()["failed"][0]["error"] == row(db, first).error


def test_401_asks_to_reconnect(db: Database, fake_x: FakeX, store: SecretStore) -> None:
    fake_x.on("POST", "/2/tweets", problem(401, "Unauthorized", "Unauthorized"))
    item = due_share(db)
    publish_due(db, store, config=fake_x.config(), now=NOW)
    stored = row(db, item)
    assert stored.status == "failed" and "Reconnect" in (stored.error or "")


def test_429_puts_shares_back_until_the_reset(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    reset = NOW + timedelta(minutes=12)
    fake_x.on(
        "POST",
        "/2/tweets",
        problem(
            429,
            "Too Many Requests",
            "Too Many Requests",
            {"x-rate-limit-reset": str(int(reset.timestamp()))},
        ),
    )
    first = due_share(db, text="one")
    second = (
        QueueRepository(db).add_share(channel="x", text="two", at=NOW - timedelta(minutes=1)).id
    )
    report = publish_due(db, store, config=fake_x.config(), now=NOW)
    assert [o.status for o in report.outcomes] == ["queued", "queued"]
    for item_id in (first, second):
        stored = row(db, item_id)
        assert stored.status == "queued" and stored.scheduled_at == reset
        assert f"next try after {local_hhmm(reset)}" in (stored.error or "")
    assert len(fake_x.calls) == 1
    # Not due again before the reset.
    assert (
        publish_due(db, store, config=fake_x.config(), now=NOW + timedelta(minutes=5)).outcomes
        == []
    )


def test_5xx_backs_off_then_gives_up(db: Database, fake_x: FakeX, store: SecretStore) -> None:
    fake_x.on("POST", "/2/tweets", problem(503, "Service Unavailable", "Over capacity"))
    item = due_share(db)
    moment = NOW
    statuses = []
    for _ in range(3):
        publish_due(db, store, config=fake_x.config(), now=moment)
        stored = row(db, item)
        statuses.append(stored.status)
        if stored.scheduled_at is not None:
            moment = max(moment, stored.scheduled_at) + timedelta(seconds=1)
    assert statuses == ["queued", "queued", "failed"]
    assert "gave up" in (row(db, item).error or "")


def test_a_timeout_fails_with_a_warning_to_check_the_profile(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    fake_x.hang("POST", "/2/tweets")
    item = due_share(db)
    publish_due(db, store, config=fake_x.config(read_timeout=0.4), now=NOW)
    stored = row(db, item)
    assert stored.status == "failed" and "check your X profile" in (stored.error or "")


def test_without_an_account_x_shares_are_ready_with_the_web_intent(
    db: Database, fake_x: FakeX
) -> None:
    item = due_share(db, text="Worth a read", url="https://acme.example/p")
    report = publish_due(db, SecretStore(), config=fake_x.config(), now=NOW)
    assert report.outcomes == [] and fake_x.calls == []
    (ready,) = report.ready
    assert ready.id == item and ready.status == "ready"
    assert ready.share_url == (
        "https://twitter.com/intent/tweet?text=Worth%20a%20read&url=https%3A%2F%2Facme.example%2Fp"
    )


def test_a_share_too_long_for_x_fails_without_a_request(
    db: Database, fake_x: FakeX, store: SecretStore
) -> None:
    item = due_share(db, text="a" * 300)
    publish_due(db, store, config=fake_x.config(), now=NOW)
    assert fake_x.calls == []
    assert "X allows 280" in (row(db, item).error or "")
