"""Connecting X: OAuth 2.0 PKCE, OAuth 1.0a, a bearer token; secrets only in the keyring."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore, SecretsUnavailableError
from smarketing_desktop.social import x_auth
from smarketing_desktop.social.x_auth import (
    ACCOUNT_SECRET,
    OAuth2Token,
    StoredAccount,
    XAuthError,
    check_connection,
    connect_oauth1,
    disconnect,
    finish_oauth2,
    load_account,
    refresh_if_needed,
    save_account,
    set_bearer_token,
    start_oauth2,
)
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import OAuth1Keys, XApiError
from tests.support.http_server import LocalServer, Response
from tests.support.memory_keyring import MemoryKeyring
from tests.support.x_cassettes import Call, FakeX, json_response, problem

NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
CALLBACK = "http://127.0.0.1:8765/callback"
ME = {"data": {"id": "1072250532645998596", "name": "Tweepy Testing", "username": "TweepyDev"}}
KEYS = OAuth1Keys("consumer-key-1", "consumer-secret-2", "1072250532645998596-at3", "at-secret-4")


def token_answer(
    access: str = "access-token-aa11", refresh: str = "refresh-token-bb22"
) -> dict[str, object]:
    return {
        "token_type": "bearer",
        "expires_in": 7200,
        "access_token": access,
        "scope": "tweet.read users.read tweet.write offline.access",
        "refresh_token": refresh,
    }


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("SMARKETING_NOW", NOW.isoformat())
    fake = FakeX(http_server)
    fake.on("GET", "/2/users/me", json_response(ME))
    return fake


def stored() -> dict[str, Any]:
    raw = MemoryKeyring.store[("smarketing-desktop", ACCOUNT_SECRET)]
    data: dict[str, Any] = json.loads(raw)
    return data


def approve(url: str, code: str = "the-auth-code") -> str:
    """What the browser lands on after the rep approves: the callback with state and code."""
    state = parse_qs(urlsplit(url).query)["state"][0]
    return f"{CALLBACK}?state={state}&code={code}"


def test_pkce_authorization_url_asks_for_the_scopes_with_s256(fake_x: FakeX) -> None:
    attempt = start_oauth2("client-123", CALLBACK, config=fake_x.config())
    parts = urlsplit(attempt.authorization_url)
    query = parse_qs(parts.query)
    assert parts.netloc == "twitter.com" and parts.path == "/i/oauth2/authorize"
    assert query["client_id"] == ["client-123"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0] and query["state"][0]
    assert set(query["scope"][0].split()) == {
        "tweet.read",
        "users.read",
        "tweet.write",
        "offline.access",
    }
    assert fake_x.calls == []  # nothing is fetched and nothing stored before the rep approves
    assert load_account(SecretStore()) is None


def test_pkce_exchange_of_the_pasted_address_stores_tokens_in_the_keyring(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/oauth2/token", json_response(token_answer()))
    attempt = start_oauth2("client-123", CALLBACK, config=fake_x.config())
    done = finish_oauth2(
        attempt, approve(attempt.authorization_url), SecretStore(), config=fake_x.config()
    )
    assert (done.handle, done.method, done.stored_in) == ("TweepyDev", "oauth2", "keyring")
    (exchange,) = fake_x.calls_to("/2/oauth2/token", "POST")
    form = exchange.form()
    assert form["grant_type"] == "authorization_code"
    assert form["code"] == "the-auth-code"
    assert form["client_id"] == "client-123"
    assert len(form["code_verifier"]) >= 43  # the verifier behind the S256 challenge
    assert fake_x.calls_to("/2/users/me")[0].headers["authorization"] == "Bearer access-token-aa11"
    saved = stored()["oauth2"]
    assert saved["access_token"] == "access-token-aa11"
    assert saved["refresh_token"] == "refresh-token-bb22"
    assert saved["expires_at"] == (NOW + timedelta(hours=2)).isoformat()
    account = load_account(SecretStore())
    assert account is not None and account.connected and account.handle == "TweepyDev"


def test_a_pasted_address_from_another_attempt_is_refused(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/oauth2/token", json_response(token_answer()))
    first = start_oauth2("client-123", CALLBACK, config=fake_x.config())
    second = start_oauth2("client-123", CALLBACK, config=fake_x.config())
    with pytest.raises(XAuthError, match="different sign-in"):
        finish_oauth2(
            second, approve(first.authorization_url), SecretStore(), config=fake_x.config()
        )
    assert fake_x.calls_to("/2/oauth2/token", "POST") == []


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("not a url", "whole address"),
        (f"{CALLBACK}?error=access_denied&state=x", "did not authorize"),
        (f"{CALLBACK}?state=x", "no authorization code"),
    ],
)
def test_bad_pasted_addresses_say_what_to_do(fake_x: FakeX, pasted: str, message: str) -> None:
    attempt = start_oauth2("client-123", CALLBACK, config=fake_x.config())
    with pytest.raises(XAuthError, match=message):
        finish_oauth2(attempt, pasted, SecretStore(), config=fake_x.config())


def test_x_refusing_the_code_is_explained(fake_x: FakeX) -> None:
    fake_x.on(
        "POST",
        "/2/oauth2/token",
        json_response(
            {"error": "invalid_request", "error_description": "Value passed was invalid."}, 400
        ),
    )
    attempt = start_oauth2("client-123", CALLBACK, config=fake_x.config())
    with pytest.raises(XAuthError, match="Value passed was invalid"):
        finish_oauth2(
            attempt, approve(attempt.authorization_url), SecretStore(), config=fake_x.config()
        )
    assert load_account(SecretStore()) is None


def test_confidential_client_sends_basic_auth(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/oauth2/token", json_response(token_answer()))
    attempt = start_oauth2(
        "client-123", CALLBACK, client_secret="client-secret-cc33", config=fake_x.config()
    )
    finish_oauth2(
        attempt, approve(attempt.authorization_url), SecretStore(), config=fake_x.config()
    )
    (exchange,) = fake_x.calls_to("/2/oauth2/token", "POST")
    assert exchange.headers["authorization"].startswith("Basic ")
    assert stored()["oauth2"]["client_secret"] == "client-secret-cc33"


def test_expired_access_token_is_refreshed_and_both_tokens_rotate(fake_x: FakeX) -> None:
    calls: list[Call] = []

    def refresh(call: Call) -> Response:
        calls.append(call)
        return json_response(token_answer("access-token-new1", "refresh-token-new2"))

    fake_x.on("POST", "/2/oauth2/token", refresh)
    store = SecretStore()
    old = StoredAccount(
        oauth2=OAuth2Token("client-123", "access-old", "refresh-old", NOW - timedelta(minutes=1)),
        handle="TweepyDev",
        user_id="1072250532645998596",
    )
    save_account(store, old)
    fresh = refresh_if_needed(store, old, fake_x.config(), NOW)
    assert fresh.oauth2 is not None and fresh.oauth2.access_token == "access-token-new1"
    assert calls[0].form()["grant_type"] == "refresh_token"
    assert calls[0].form()["refresh_token"] == "refresh-old"
    assert calls[0].form()["client_id"] == "client-123"
    assert stored()["oauth2"]["refresh_token"] == "refresh-token-new2"
    # A token still valid is left alone.
    assert refresh_if_needed(store, fresh, fake_x.config(), NOW) is fresh
    assert len(calls) == 1


def test_a_revoked_refresh_token_asks_to_reconnect(fake_x: FakeX) -> None:
    fake_x.on(
        "POST",
        "/2/oauth2/token",
        json_response({"error": "invalid_grant", "error_description": "revoked"}, 400),
    )
    expired = StoredAccount(
        oauth2=OAuth2Token("client-123", "access-old", "refresh-old", NOW - timedelta(hours=1))
    )
    with pytest.raises(XApiError) as caught:
        refresh_if_needed(SecretStore(), expired, fake_x.config(), NOW)
    assert caught.value.kind == "auth" and "Reconnect" in caught.value.message


def test_oauth1_keys_are_checked_with_get_me_then_stored(fake_x: FakeX) -> None:
    done = connect_oauth1(KEYS, SecretStore(), config=fake_x.config())
    assert (done.handle, done.user_id, done.method) == (
        "TweepyDev",
        "1072250532645998596",
        "oauth1",
    )
    assert fake_x.calls[0].headers["authorization"].startswith("OAuth ")
    assert stored()["oauth1"]["access_token_secret"] == "at-secret-4"


def test_bad_oauth1_keys_are_not_stored(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", problem(401, "Unauthorized", "Unauthorized"))
    with pytest.raises(XAuthError, match="Connecting failed"):
        connect_oauth1(KEYS, SecretStore(), config=fake_x.config())
    assert load_account(SecretStore()) is None
    with pytest.raises(XAuthError, match="four values"):
        connect_oauth1(OAuth1Keys("a", "", "c", "d"), SecretStore(), config=fake_x.config())


def test_bearer_token_is_kept_beside_the_account_connection(fake_x: FakeX) -> None:
    store = SecretStore()
    alone = set_bearer_token("app-bearer-dd44", store)
    assert alone.method == "bearer" and not alone.to_json()["connected"]
    connect_oauth1(KEYS, store, config=fake_x.config())
    account = load_account(store)
    assert account is not None and account.bearer_token == "app-bearer-dd44"
    assert account.credentials().app_bearer == "app-bearer-dd44"
    with pytest.raises(XAuthError):
        set_bearer_token("two words", store)


def test_check_connection_reports_the_handle_and_401(fake_x: FakeX) -> None:
    store = SecretStore()
    with pytest.raises(XAuthError, match="No X account"):
        check_connection(store, config=fake_x.config())
    save_account(store, StoredAccount(oauth1=KEYS))
    assert check_connection(store, config=fake_x.config()).username == "TweepyDev"
    account = load_account(store)
    assert account is not None and account.handle == "TweepyDev"  # remembered for status
    fake_x.on("GET", "/2/users/me", problem(401, "Unauthorized", "Unauthorized"))
    with pytest.raises(XApiError) as caught:
        check_connection(store, config=fake_x.config())
    assert caught.value.kind == "auth"


def test_disconnect_deletes_every_secret(fake_x: FakeX) -> None:
    store = SecretStore()
    connect_oauth1(KEYS, store, config=fake_x.config())
    assert disconnect(store)
    assert MemoryKeyring.store == {}
    assert load_account(store) is None
    assert not disconnect(store)


def test_without_a_keyring_nothing_is_saved_unless_session_only(fake_x: FakeX) -> None:
    keyring.set_keyring(FailKeyring())
    store = SecretStore()
    with pytest.raises(SecretsUnavailableError):
        connect_oauth1(KEYS, store, config=fake_x.config())
    done = connect_oauth1(KEYS, store, config=fake_x.config(), session_only_ok=True)
    assert done.stored_in == "session"
    assert load_account(store) is not None  # this session only
    assert load_account(SecretStore()) is None


def test_an_unreadable_keyring_entry_counts_as_not_connected() -> None:
    SecretStore().set(ACCOUNT_SECRET, "{not json")
    assert load_account(SecretStore()) is None


def test_module_keeps_no_secret_state() -> None:
    """Everything lives in the SecretStore handed in; the module has no token globals."""
    names = {n for n in vars(x_auth) if "token" in n.lower() and not callable(getattr(x_auth, n))}
    assert names <= {"TOKEN_URL"}


def test_get_me_is_metered_as_a_user_read(db: Database, fake_x: FakeX) -> None:
    meter = XMeter(db)
    store = SecretStore()
    connect_oauth1(KEYS, store, config=fake_x.config(), meter=meter)
    check_connection(store, config=fake_x.config(), meter=meter)
    assert meter.usage(NOW).users_read == 1  # the same account twice in a UTC day: billed once
