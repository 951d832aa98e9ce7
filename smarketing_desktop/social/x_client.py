"""The X API v2 through tweepy, with the two things tweepy leaves out: timeouts and a movable host.

tweepy's `Client` sends every request to a hard-coded `https://api.twitter.com` with no timeout,
so a silent server would hold a worker forever and tests could not avoid the real network. A
`requests` adapter mounted on the client's session fixes both: it gives every request a
(connect, read) timeout and rewrites the API host to `XConfig.api_url` (a local server in tests,
via `SMARKETING_X_API_URL`). `wait_on_rate_limit` stays off: tweepy would `time.sleep` until the
limit resets, which is never acceptable on a thread a window or a command is waiting for. A 429
becomes an `XApiError` carrying the reset time instead, and the caller records "next try after".

Every tweepy and `requests` failure is turned into one `XApiError` whose message tells a rep what
to do, so no caller needs to know tweepy's exception tree.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import requests
import tweepy
from requests.adapters import HTTPAdapter

from smarketing_desktop import clock
from smarketing_desktop.logging_setup import register_secret

DEFAULT_API_URL = "https://api.twitter.com"
API_URL_ENV = "SMARKETING_X_API_URL"
# Both names X answers to; tweepy uses the first, newer tools the second.
API_HOSTS = ("https://api.twitter.com", "https://api.x.com")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# When a 429 carries no reset time, X's windows are 15 minutes long.
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)
MAX_USERS_PER_LOOKUP = 100
MIN_PAGE, MAX_PAGE = 5, 100
# What the profile checklist reads from the rep's own account (GET /2/users/me). The last two
# joined X API v2 later than the rest; an API that refuses them is asked again without them.
BASIC_PROFILE_FIELDS = (
    "description",
    "url",
    "entities",
    "profile_image_url",
    "pinned_tweet_id",
)
EXTRA_PROFILE_FIELDS = ("profile_banner_url", "most_recent_tweet_id")

# tweepy, requests-oauthlib and oauthlib write request headers and token bodies at DEBUG. The
# log redactor hides registered secrets, but not values derived from them (OAuth 1.0a
# signatures, authorization codes): keep these loggers above DEBUG whatever the app's level.
for _name in ("tweepy", "requests_oauthlib", "oauthlib"):
    logging.getLogger(_name).setLevel(logging.INFO)

log = logging.getLogger(__name__)

ErrorKind = Literal[
    "auth",
    "forbidden",
    "rate_limited",
    "server",
    "timeout",
    "network",
    "bad_request",
    "not_found",
    "unexpected",
]
T = TypeVar("T")


@dataclass(frozen=True)
class XConfig:
    """Where the API is and how long to wait for it."""

    api_url: str = DEFAULT_API_URL
    connect_timeout: float = 5.0
    read_timeout: float = 20.0

    @classmethod
    def from_env(cls) -> XConfig:
        """The real API, unless `SMARKETING_X_API_URL` points elsewhere (tests, a proxy)."""
        override = os.environ.get(API_URL_ENV, "").strip()
        return cls(api_url=checked_api_url(override)) if override else cls()

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


def checked_api_url(url: str) -> str:
    """HTTPS anywhere, plain HTTP only on this machine: tokens must never cross a network bare."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url.rstrip("/")
    if parts.scheme == "http" and host in LOOPBACK_HOSTS:
        return url.rstrip("/")
    raise ValueError(f"{API_URL_ENV}={url!r} must be an https:// address (or http:// on 127.0.0.1)")


class RoutingAdapter(HTTPAdapter):
    """Adds the timeout tweepy never passes and sends API requests to `config.api_url`."""

    def __init__(self, config: XConfig) -> None:
        super().__init__(max_retries=0)
        self.x_config = config  # `config` is taken: HTTPAdapter keeps its pool settings there

    def route(self, url: str) -> str:
        target = self.x_config.api_url
        if target == DEFAULT_API_URL:
            return url
        for host in API_HOSTS:
            if url == host or url.startswith(host + "/"):
                return target + url[len(host) :]
        return url

    def send(  # type: ignore[override]  # noqa: PLR0917 (HTTPAdapter's own signature)
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        if request.url:
            request.url = self.route(request.url)
        return super().send(
            request,
            stream=stream,
            timeout=timeout if timeout is not None else self.x_config.timeout,
            verify=verify,
            cert=cert,
            proxies=proxies,
        )


def mount_routing(session: requests.Session, config: XConfig) -> None:
    """Every request through `session` gets the timeout and the configured host."""
    adapter = RoutingAdapter(config)
    session.mount("https://", adapter)
    session.mount("http://", adapter)


@dataclass(frozen=True)
class OAuth1Keys:
    """OAuth 1.0a user context: the app's consumer keys and the account's access token."""

    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)

    def values(self) -> tuple[str, str, str, str]:
        return (
            self.consumer_key,
            self.consumer_secret,
            self.access_token,
            self.access_token_secret,
        )


@dataclass(frozen=True)
class XCredentials:
    """What a client may act with. Secrets are kept out of `repr` so tracebacks cannot show them.

    `user_token` is an OAuth 2.0 (PKCE) user access token, `oauth1` the OAuth 1.0a keys; either
    acts as the rep's account. `app_bearer` is the app-only token, used for reads when present
    so that tracking does not spend the account's own rate limit.
    """

    user_token: str | None = field(default=None, repr=False)
    oauth1: OAuth1Keys | None = field(default=None, repr=False)
    app_bearer: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for value in (
            self.user_token,
            self.app_bearer,
            *(self.oauth1.values() if self.oauth1 else ()),
        ):
            if value:
                register_secret(value)

    @property
    def has_user_context(self) -> bool:
        return bool(self.user_token or self.oauth1)

    @property
    def can_read(self) -> bool:
        return self.has_user_context or bool(self.app_bearer)


@dataclass(frozen=True)
class XUser:
    id: str
    username: str
    name: str


@dataclass(frozen=True)
class XPost:
    id: str
    text: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class XProfileData:
    """The rep's own user object as X sent it, with the pinned post it expanded.

    `fields` is the raw user object (description, url, entities, ...): mapping it to what the
    checklist reads is `x_profile`'s job. `extra_fields` says whether X accepted
    `EXTRA_PROFILE_FIELDS`; when it did not, a missing banner means "not asked", not "none".
    """

    user: XUser
    fields: Mapping[str, Any]
    pinned_post: XPost | None
    extra_fields: bool


@dataclass(frozen=True)
class TimelinePage:
    posts: list[XPost]
    newest_id: str | None
    next_token: str | None


@dataclass(frozen=True)
class UserLookup:
    found: dict[str, XUser]  # lower-case handle -> user
    missing: list[str]  # lower-case handles X does not know


class XApiError(Exception):
    """A failed API call, explained. `kind` drives what the caller does next."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        api_message: str = "",
        retry_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.api_message = api_message
        self.retry_at = retry_at

    @property
    def message(self) -> str:
        return str(self)


def local_hhmm(moment: datetime) -> str:
    """How a wait is shown to a rep: the machine's local time."""
    return moment.astimezone().strftime("%H:%M")


def _reset_time(response: Any, now: datetime) -> datetime:
    headers = getattr(response, "headers", None) or {}
    reset = headers.get("x-rate-limit-reset")
    if reset:
        try:
            return datetime.fromtimestamp(int(reset), UTC)
        except (ValueError, OverflowError, OSError):
            pass
    retry_after = headers.get("retry-after")
    if retry_after and retry_after.isdigit():
        return now + timedelta(seconds=int(retry_after))
    return now + DEFAULT_RATE_LIMIT_WAIT


def _api_text(exc: Any) -> str:
    messages = [str(m) for m in getattr(exc, "api_messages", []) if m]
    if messages:
        return "; ".join(messages)
    response = getattr(exc, "response", None)
    reason = getattr(response, "reason", "") or ""
    return str(reason)


def map_error(exc: BaseException, now: datetime | None = None) -> XApiError:
    """tweepy's and requests' exceptions as one `XApiError` with a message that says what to do."""
    moment = now or clock.now()
    if isinstance(exc, XApiError):
        return exc
    if isinstance(exc, tweepy.errors.HTTPException):
        response = exc.response
        status = int(getattr(response, "status_code", 0) or 0)
        detail = _api_text(exc)
        said = f" (X said: {detail})" if detail else ""
        if isinstance(exc, tweepy.errors.Unauthorized):
            return XApiError(
                "auth",
                f"X did not accept the saved sign-in{said}. Reconnect the X account "
                "(Settings > X account, or `smarketing x connect`).",
                status=status,
                api_message=detail,
            )
        if isinstance(exc, tweepy.errors.Forbidden):
            return XApiError(
                "forbidden",
                f"X refused this call{said}. The X app's access level does not allow it: in the "
                "X developer portal give the app Read and Write permission (and a plan that "
                "includes this endpoint), then reconnect.",
                status=status,
                api_message=detail,
            )
        if isinstance(exc, tweepy.errors.TooManyRequests):
            retry_at = _reset_time(response, moment)
            return XApiError(
                "rate_limited",
                f"X's rate limit was reached; next try after {local_hhmm(retry_at)}.",
                status=status,
                api_message=detail,
                retry_at=retry_at,
            )
        if isinstance(exc, tweepy.errors.TwitterServerError):
            return XApiError(
                "server",
                f"X is having trouble ({status}{said}); it will be tried again later.",
                status=status,
                api_message=detail,
            )
        if isinstance(exc, tweepy.errors.NotFound):
            return XApiError(
                "not_found",
                f"X has no such account or post{said}.",
                status=status,
                api_message=detail,
            )
        return XApiError(
            "bad_request",
            f"X refused the request ({status}{said}).",
            status=status,
            api_message=detail,
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return XApiError("timeout", "X did not answer in time; it will be tried again later.")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return XApiError("network", "Could not reach X (no connection or X is down).")
    if isinstance(exc, requests.exceptions.RequestException | ValueError):
        # ValueError covers a 2xx answer that is not the JSON X documents.
        return XApiError(
            "unexpected", f"X sent an answer the app cannot read ({type(exc).__name__})."
        )
    return XApiError("unexpected", f"The X request failed ({type(exc).__name__}).")


def call(action: Callable[[], T]) -> T:
    """Run one tweepy call; any failure comes out as `XApiError`."""
    try:
        return action()
    except (tweepy.errors.TweepyException, requests.exceptions.RequestException, ValueError) as exc:
        error = map_error(exc)
        log.info("X API call failed: %s (%s)", error.kind, error.status or "-")
        raise error from None


def _user(data: Mapping[str, Any]) -> XUser:
    return XUser(
        id=str(data["id"]), username=str(data.get("username", "")), name=str(data.get("name", ""))
    )


def _created(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class XClient:
    """The few calls the app makes, on tweepy clients built for the right credential.

    Reads (user lookup, timelines) use the app bearer token when there is one; acting as the rep
    (`me`, `create_post`) needs OAuth 2.0 user or OAuth 1.0a keys. tweepy wants `user_auth=True`
    only for OAuth 1.0a: an OAuth 2.0 user token travels as a bearer token.
    """

    def __init__(self, credentials: XCredentials, config: XConfig | None = None) -> None:
        self.credentials = credentials
        self.config = config or XConfig.from_env()
        self._clients: dict[str, Any] = {}

    def _tweepy(self, bearer: str | None, oauth1: OAuth1Keys | None) -> Any:
        keys = oauth1.values() if oauth1 else (None, None, None, None)
        client = tweepy.Client(
            bearer_token=bearer,
            consumer_key=keys[0],
            consumer_secret=keys[1],
            access_token=keys[2],
            access_token_secret=keys[3],
            return_type=dict,
            wait_on_rate_limit=False,
        )
        mount_routing(client.session, self.config)
        return client

    def _user_client(self) -> tuple[Any, bool]:
        creds = self.credentials
        if creds.user_token:
            if "user" not in self._clients:
                self._clients["user"] = self._tweepy(creds.user_token, None)
            return self._clients["user"], False
        if creds.oauth1:
            if "user" not in self._clients:
                self._clients["user"] = self._tweepy(None, creds.oauth1)
            return self._clients["user"], True
        raise XApiError(
            "auth",
            "No X account is connected. Connect one (Settings > X account, or "
            "`smarketing x connect`).",
        )

    def _read_client(self) -> tuple[Any, bool]:
        if self.credentials.app_bearer:
            if "app" not in self._clients:
                self._clients["app"] = self._tweepy(self.credentials.app_bearer, None)
            return self._clients["app"], False
        return self._user_client()

    def close(self) -> None:
        for client in self._clients.values():
            client.session.close()
        self._clients.clear()

    def me(self) -> XUser:
        client, user_auth = self._user_client()
        answer = call(lambda: client.get_me(user_auth=user_auth))
        return _user(answer["data"])

    def my_profile(self) -> XProfileData:
        """The signed-in account's profile: bio, link, images, pinned post (one get_me call).

        A 400 naming `user.fields` means this API does not know the newer fields; the call is
        repeated without them rather than failing the whole profile check.
        """
        client, user_auth = self._user_client()

        def fetch(fields: Sequence[str]) -> Any:
            return call(
                partial(
                    client.get_me,
                    user_auth=user_auth,
                    user_fields=list(fields),
                    expansions=["pinned_tweet_id"],
                    tweet_fields=["created_at"],
                )
            )

        extra = True
        try:
            answer = fetch(BASIC_PROFILE_FIELDS + EXTRA_PROFILE_FIELDS)
        except XApiError as exc:
            if exc.kind != "bad_request" or "user.fields" not in exc.api_message:
                raise
            extra = False
            answer = fetch(BASIC_PROFILE_FIELDS)
        data = answer.get("data") or {}
        pinned_id = str(data.get("pinned_tweet_id") or "")
        pinned = None
        for tweet in (answer.get("includes") or {}).get("tweets") or []:
            if pinned_id and str(tweet.get("id")) == pinned_id:
                pinned = XPost(
                    id=pinned_id,
                    text=str(tweet.get("text", "")),
                    created_at=_created(tweet.get("created_at")),
                )
        return XProfileData(_user(data), dict(data), pinned, extra)

    def lookup_users(self, handles: Sequence[str]) -> UserLookup:
        """Handles to accounts, 100 per request; handles X does not know come back as missing."""
        client, user_auth = self._read_client()
        wanted = list(dict.fromkeys(h.lower() for h in handles))
        found: dict[str, XUser] = {}
        for batch in _chunks(wanted, MAX_USERS_PER_LOOKUP):
            answer = call(partial(client.get_users, usernames=list(batch), user_auth=user_auth))
            for data in answer.get("data") or []:
                user = _user(data)
                found[user.username.lower()] = user
        return UserLookup(found, [h for h in wanted if h not in found])

    def user_posts(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        pagination_token: str | None = None,
        max_results: int = 20,
        exclude: Sequence[str] = ("retweets", "replies"),
    ) -> TimelinePage:
        """One page of a user's posts, newest first."""
        client, user_auth = self._read_client()
        params: dict[str, Any] = {
            "max_results": max(MIN_PAGE, min(MAX_PAGE, max_results)),
            "tweet_fields": ["created_at"],
            "user_auth": user_auth,
        }
        if since_id:
            params["since_id"] = since_id
        if pagination_token:
            params["pagination_token"] = pagination_token
        if exclude:
            params["exclude"] = list(exclude)
        answer = call(lambda: client.get_users_tweets(user_id, **params))
        posts = [
            XPost(
                id=str(d["id"]),
                text=str(d.get("text", "")),
                created_at=_created(d.get("created_at")),
            )
            for d in answer.get("data") or []
        ]
        meta = answer.get("meta") or {}
        newest = meta.get("newest_id") or (
            max(posts, key=lambda p: int(p.id)).id if posts else None
        )
        return TimelinePage(posts, str(newest) if newest else None, meta.get("next_token"))

    def create_post(self, text: str) -> XPost:
        client, user_auth = self._user_client()
        answer = call(lambda: client.create_tweet(text=text, user_auth=user_auth))
        data = answer["data"]
        return XPost(id=str(data["id"]), text=str(data.get("text", text)))
