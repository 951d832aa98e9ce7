"""The rep's own X profile fetched with get_me and scored by the X checklist's rules.

The corpus has no recorded get_me with profile fields, so the answers are made by hand in the
shape X documents (fields without a value are left out); the fake X serves them on a local
server. No real network.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from smarketing_desktop.core.checklists import checklist_for, evaluate, load_checklists
from smarketing_desktop.core.profile_rules import RuleContext
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import (
    StoredAccount,
    XAuthError,
    save_account,
    set_bearer_token,
)
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import (
    EXTRA_PROFILE_FIELDS,
    XApiError,
    XClient,
    XCredentials,
)
from smarketing_desktop.social.x_profile import (
    HEADER_NONE,
    HEADER_NOT_ASKED,
    PHOTO_DEFAULT,
    fetch_account_profile,
    snowflake_time,
)
from tests.support.http_server import LocalServer, Response
from tests.support.x_cassettes import Call, FakeX, json_response, problem

NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
TOKEN = "user-token-profile-5d1"
ME = "/2/users/me"
# A post id made on 2027-03-20 (see snowflake_time): the latest post, eleven days ago.
RECENT_POST = str((int(datetime(2027, 3, 20, tzinfo=UTC).timestamp() * 1000) - 1288834974657) << 22)

FULL_USER: dict[str, Any] = {
    "data": {
        "id": "10",
        "name": "Jane Rep",
        "username": "janerep",
        "description": "Helping finance teams with cloud migration. Book a call: https://t.co/AbC",
        "url": "https://t.co/XyZ",
        "entities": {
            "url": {
                "urls": [
                    {
                        "start": 0,
                        "end": 16,
                        "url": "https://t.co/XyZ",
                        "expanded_url": "https://acme.example/jane",
                        "display_url": "acme.example/jane",
                    }
                ]
            },
            "description": {
                "urls": [
                    {
                        "url": "https://t.co/AbC",
                        "expanded_url": "https://cal.example/jane",
                        "display_url": "cal.example/jane",
                    }
                ]
            },
        },
        "profile_image_url": "https://pbs.twimg.com/profile_images/1/jane_normal.jpg",
        "profile_banner_url": "https://pbs.twimg.com/profile_banners/10/1700000000",
        "pinned_tweet_id": "1293593516040269825",
        "most_recent_tweet_id": RECENT_POST,
    },
    "includes": {
        "tweets": [
            {
                "id": "1293593516040269825",
                "text": "Our guide to moving finance to the cloud",
                "created_at": "2020-08-12T17:01:42.000Z",
            }
        ]
    },
}
BARE_USER = {
    "data": {
        "id": "11",
        "name": "New Rep",
        "username": "newrep",
        "description": "",
        "url": "",
        "profile_image_url": (
            "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
        ),
    }
}


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("SMARKETING_NOW", NOW.isoformat())
    return FakeX(http_server)


def connect(fake: FakeX, monkeypatch: pytest.MonkeyPatch) -> SecretStore:
    """An OAuth 2.0 account in the (in-memory) keyring; the client finds the fake via env."""
    monkeypatch.setenv("SMARKETING_X_API_URL", fake.url)
    store = SecretStore()
    from smarketing_desktop.social.x_auth import OAuth2Token

    save_account(store, StoredAccount(oauth2=OAuth2Token("client", TOKEN), handle="janerep"))
    return store


def x_review(profile: dict[str, Any]) -> dict[str, tuple[str, str]]:
    checklist = checklist_for(load_checklists(resources_dir()), "x")
    context = RuleContext(NOW, ("cloud migration",))
    evaluation = evaluate(checklist, profile, context)
    return {r.item_id: (r.status, r.detail) for r in evaluation.results}


def test_snowflake_ids_carry_their_time() -> None:
    moment = snowflake_time("1293593516040269825")  # TwitterDev's v2 launch post
    assert moment is not None and moment.date().isoformat() == "2020-08-12"
    assert snowflake_time("not-a-number") is None
    assert snowflake_time("0") is None


def test_a_full_profile_is_fetched_with_the_fields_the_checklist_reads(
    fake_x: FakeX, monkeypatch: pytest.MonkeyPatch, db: Database
) -> None:
    fake_x.on("GET", ME, json_response(FULL_USER))
    store = connect(fake_x, monkeypatch)
    fetched = fetch_account_profile(store, meter=XMeter(db), now=NOW)

    (call,) = fake_x.calls
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    fields = (call.param("user.fields") or "").split(",")
    for name in ("description", "url", "entities", "profile_image_url", "pinned_tweet_id"):
        assert name in fields
    assert set(EXTRA_PROFILE_FIELDS) <= set(fields)
    assert call.param("expansions") == "pinned_tweet_id"

    profile = fetched.profile
    assert fetched.handle == "janerep" and profile["account"] == "@janerep"
    assert profile["bio"].endswith("Book a call: cal.example/jane")  # t.co put back
    assert profile["url"] == "https://acme.example/jane"
    assert profile["pinned_post"] == "Our guide to moving finance to the cloud"
    assert profile["last_post_at"] == "2027-03-20"
    assert profile["photo"]["url"].endswith("jane_400x400.jpg")

    results = x_review(profile)
    assert results["bio_keywords"][0] == "pass"
    assert results["bio_length"][0] == "pass"
    assert results["link"] == ("pass", "Links to acme.example.")
    assert results["pinned_post"][0] == "pass"
    assert results["recent_activity"][0] == "pass"
    # Set, but not measurable from X's resized copies: the rep judges them.
    assert results["photo"][0] == "unknown" and "yours to judge" in results["photo"][1]
    assert results["header"][0] == "unknown" and "1500x500" in results["header"][1]
    # X bills the user read and the pinned post.
    assert XMeter(db).usage(NOW).reads == 2


def test_a_bare_profile_fails_bio_link_pinned_post_photo_and_header(
    fake_x: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_x.on("GET", ME, json_response(BARE_USER))
    fetched = fetch_account_profile(connect(fake_x, monkeypatch), now=NOW)
    profile = fetched.profile
    assert (profile["bio"], profile["url"], profile["pinned_post"]) == ("", "", "")
    assert "last_post_at" not in profile  # the activity log decides

    results = x_review(profile)
    for item in ("bio_keywords", "link", "pinned_post", "photo", "header"):
        assert results[item][0] == "fail", item
    assert results["photo"][1] == PHOTO_DEFAULT
    assert results["header"][1] == HEADER_NONE
    assert results["recent_activity"][0] == "fail"


def test_an_api_that_refuses_the_newer_fields_is_asked_again_without_them(
    fake_x: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(call: Call) -> Response:
        if "profile_banner_url" in (call.param("user.fields") or ""):
            return json_response(
                {
                    "errors": [
                        {
                            "parameters": {"user.fields": ["profile_banner_url"]},
                            "message": "The `user.fields` query parameter value "
                            "[profile_banner_url] is not one of [description,url]",
                        }
                    ],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                },
                400,
            )
        return json_response(FULL_USER)

    fake_x.on("GET", ME, answer)
    profile = fetch_account_profile(connect(fake_x, monkeypatch), now=NOW).profile
    assert len(fake_x.calls) == 2
    assert x_review(profile)["header"] == ("unknown", HEADER_NOT_ASKED)


def test_401_and_429_come_out_as_explained_errors(
    fake_x: FakeX, monkeypatch: pytest.MonkeyPatch, db: Database
) -> None:
    store = connect(fake_x, monkeypatch)
    fake_x.on("GET", ME, problem(401, "Unauthorized", "Unauthorized"))
    with pytest.raises(XApiError) as refused:
        fetch_account_profile(store, meter=XMeter(db), now=NOW)
    assert refused.value.kind == "auth" and "Reconnect" in refused.value.message

    reset = int(datetime(2027, 3, 31, 9, 15, tzinfo=UTC).timestamp())
    fake_x.on(
        "GET",
        ME,
        problem(429, "Too Many Requests", "Too Many Requests", {"x-rate-limit-reset": str(reset)}),
    )
    with pytest.raises(XApiError) as limited:
        fetch_account_profile(store, meter=XMeter(db), now=NOW)
    assert limited.value.kind == "rate_limited"
    assert limited.value.retry_at == datetime(2027, 3, 31, 9, 15, tzinfo=UTC)
    assert XMeter(db).usage(NOW).reads == 0  # nothing billed for refused calls


def test_no_account_or_only_a_bearer_token_is_refused_before_any_request(
    fake_x: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_X_API_URL", fake_x.url)
    store = SecretStore()
    with pytest.raises(XAuthError, match="No X account is connected"):
        fetch_account_profile(store)
    set_bearer_token("AAAA-bearer-only", store)
    with pytest.raises(XAuthError, match="bearer token"):
        fetch_account_profile(store)
    assert fake_x.calls == []


def test_the_client_call_alone(fake_x: FakeX) -> None:
    fake_x.on("GET", ME, json_response(BARE_USER))
    client = XClient(XCredentials(user_token=TOKEN), fake_x.config())
    data = client.my_profile()
    assert (data.user.username, data.pinned_post, data.extra_fields) == ("newrep", None, True)
