"""The tweepy client against recorded X answers on a local server: reads, posting, every error.

No real network: `XConfig(api_url=...)` sends tweepy's hard-coded api.twitter.com requests to the
`http_server` fixture through the same adapter that gives every request its timeout.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from smarketing_desktop.social.x_client import (
    OAuth1Keys,
    RoutingAdapter,
    XApiError,
    XClient,
    XConfig,
    XCredentials,
    checked_api_url,
    local_hhmm,
)
from tests.support.http_server import LocalServer
from tests.support.x_cassettes import FakeX, corpus_available, json_response, load, problem

needs_corpus = pytest.mark.skipif(
    not corpus_available(), reason="shared corpus not checked out beside the repo"
)
TOKEN = "user-token-7c1e0a55"
KEYS = OAuth1Keys("consumer-key-1", "consumer-secret-2", "1072250532645998596-at3", "at-secret-4")
NOW = "2027-03-31T09:00:00+00:00"


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    return FakeX(http_server)


def client(fake: FakeX, creds: XCredentials | None = None, timeout: float = 5.0) -> XClient:
    return XClient(creds or XCredentials(user_token=TOKEN), fake.config(read_timeout=timeout))


@needs_corpus
def test_get_me_with_an_oauth2_user_token(fake_x: FakeX) -> None:
    fake_x.replay(*load("test_client_get_me"))
    me = client(fake_x).me()
    assert (me.id, me.username, me.name) == ("1072250532645998596", "TweepyDev", "Tweepy Testing")
    (call,) = fake_x.calls
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert "tweepy" in call.headers["user-agent"].lower()


@needs_corpus
def test_user_lookup_finds_known_handles_and_reports_the_rest(fake_x: FakeX) -> None:
    fake_x.replay(*load("test_client_get_users"))
    found = client(fake_x).lookup_users(["Twitter", "twitterdev", "nobody_here"])
    assert {h: u.id for h, u in found.found.items()} == {
        "twitter": "783214",
        "twitterdev": "2244994945",
    }
    assert found.missing == ["nobody_here"]
    (call,) = fake_x.calls
    assert call.path == "/2/users/by"
    assert call.param("usernames") == "twitter,twitterdev,nobody_here"


@needs_corpus
def test_timeline_page_carries_since_id_and_pagination_token(fake_x: FakeX) -> None:
    fake_x.replay(*load("test_client_get_users_tweets"))
    page = client(fake_x).user_posts("783214", since_id="1500", pagination_token="abc")
    assert [p.id for p in page.posts] == ["1577730467436138524", "1565318587736285184"]
    assert page.newest_id == "1577730467436138524"
    assert page.next_token == "7140dibdnow9c7btw4232poeq0wapgnwgwqwvuwn3peex"
    (call,) = fake_x.calls
    assert call.param("since_id") == "1500"
    assert call.param("pagination_token") == "abc"
    assert call.param("exclude") == "retweets,replies"


@needs_corpus
def test_create_post_with_oauth1_signs_the_request(fake_x: FakeX) -> None:
    fake_x.replay(load("test_client_create_and_delete_tweet")[0])
    post = client(fake_x, XCredentials(oauth1=KEYS)).create_post("Test Tweet")
    assert post.id == "1456012973835788293"
    (call,) = fake_x.calls_to("/2/tweets", "POST")
    assert call.json() == {"text": "Test Tweet"}
    assert call.headers["authorization"].startswith("OAuth ")
    assert 'oauth_consumer_key="consumer-key-1"' in call.headers["authorization"]


def test_reads_prefer_the_app_bearer_token(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/42/tweets", json_response({"meta": {"result_count": 0}}))
    creds = XCredentials(oauth1=KEYS, app_bearer="app-bearer-9f8e")
    page = client(fake_x, creds).user_posts("42")
    assert page.posts == [] and page.newest_id is None and page.next_token is None
    assert fake_x.calls[0].headers["authorization"] == "Bearer app-bearer-9f8e"


def test_401_says_reconnect_and_keeps_xs_message(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", problem(401, "Unauthorized", "Unauthorized"))
    with pytest.raises(XApiError) as caught:
        client(fake_x).me()
    assert caught.value.kind == "auth" and caught.value.status == 401
    assert "Reconnect" in caught.value.message
    assert caught.value.api_message == "Unauthorized"


def test_403_explains_the_apps_access_level(fake_x: FakeX) -> None:
    detail = "You are not permitted to perform this action."
    fake_x.on("POST", "/2/tweets", problem(403, "Forbidden", detail))
    with pytest.raises(XApiError) as caught:
        client(fake_x).create_post("hello")
    assert caught.value.kind == "forbidden"
    assert "access level" in caught.value.message
    assert detail in caught.value.message


def test_429_reports_the_reset_time_without_waiting(fake_x: FakeX) -> None:
    reset = int(datetime(2027, 3, 31, 9, 14, tzinfo=UTC).timestamp())
    fake_x.on(
        "GET",
        "/2/users/1/tweets",
        problem(429, "Too Many Requests", "Too Many Requests", {"x-rate-limit-reset": str(reset)}),
    )
    started = time.monotonic()
    with pytest.raises(XApiError) as caught:
        client(fake_x).user_posts("1")
    assert time.monotonic() - started < 2
    assert caught.value.kind == "rate_limited"
    assert caught.value.retry_at == datetime(2027, 3, 31, 9, 14, tzinfo=UTC)
    assert f"next try after {local_hhmm(caught.value.retry_at)}" in caught.value.message
    assert len(fake_x.calls) == 1  # no retry loop either


def test_429_without_a_reset_header_waits_a_rate_window(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", problem(429, "Too Many Requests", "slow down"))
    with pytest.raises(XApiError) as caught:
        client(fake_x).me()
    assert caught.value.retry_at == datetime(2027, 3, 31, 9, 15, tzinfo=UTC)


def test_5xx_is_a_server_error(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", problem(503, "Service Unavailable", "Over capacity"))
    with pytest.raises(XApiError) as caught:
        client(fake_x).me()
    assert caught.value.kind == "server" and caught.value.status == 503
    assert "Over capacity" in caught.value.message


def test_a_server_that_never_answers_times_out(fake_x: FakeX) -> None:
    fake_x.hang("GET", "/2/users/me")
    started = time.monotonic()
    with pytest.raises(XApiError) as caught:
        client(fake_x, timeout=0.4).me()
    assert time.monotonic() - started < 3
    assert caught.value.kind == "timeout"


def test_nothing_listening_is_a_network_error() -> None:
    config = XConfig(api_url="http://127.0.0.1:9", connect_timeout=1, read_timeout=1)
    with pytest.raises(XApiError) as caught:
        XClient(XCredentials(user_token=TOKEN), config).me()
    assert caught.value.kind in ("network", "timeout")


def test_a_non_json_answer_is_reported_not_raised_raw(fake_x: FakeX) -> None:
    from tests.support.http_server import Response

    fake_x.on("GET", "/2/users/me", Response(b"<html>oops</html>", 200))
    with pytest.raises(XApiError) as caught:
        client(fake_x).me()
    assert caught.value.kind == "unexpected"


def test_acting_as_the_rep_needs_user_context() -> None:
    with pytest.raises(XApiError) as caught:
        XClient(XCredentials(app_bearer="app-only-token"), XConfig()).create_post("hi")
    assert caught.value.kind == "auth"


def test_api_url_override_must_be_https_or_this_machine() -> None:
    assert checked_api_url("https://proxy.example/") == "https://proxy.example"
    assert checked_api_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    with pytest.raises(ValueError, match="https"):
        checked_api_url("http://proxy.example")


def test_api_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_X_API_URL", "http://127.0.0.1:5555/")
    assert XConfig.from_env().api_url == "http://127.0.0.1:5555"
    monkeypatch.delenv("SMARKETING_X_API_URL")
    assert XConfig.from_env().api_url == "https://api.twitter.com"


def test_adapter_rewrites_only_the_api_hosts() -> None:
    adapter = RoutingAdapter(XConfig(api_url="http://127.0.0.1:1"))
    assert adapter.route("https://api.twitter.com/2/users/me") == "http://127.0.0.1:1/2/users/me"
    assert adapter.route("https://api.x.com/2/tweets") == "http://127.0.0.1:1/2/tweets"
    assert adapter.route("https://example.com/2/tweets") == "https://example.com/2/tweets"


def test_secrets_stay_out_of_repr() -> None:
    text = repr(XCredentials(user_token=TOKEN, oauth1=KEYS, app_bearer="app-bearer-9f8e"))
    for secret in (TOKEN, "app-bearer-9f8e", *KEYS.values()):
        assert secret not in text
