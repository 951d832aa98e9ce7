"""Connecting the rep's X account: OAuth 2.0 with PKCE, OAuth 1.0a keys, an app bearer token.

Everything secret goes through `SecretStore` (the OS keyring) and nowhere else: not the
database, not settings, not logs. The whole connection is one keyring entry holding JSON, so an
OAuth 2.0 refresh, which rotates the access and the refresh token together, is written in one
step: a crash between two separate writes would leave a refresh token X has already retired.

PKCE flow for a desktop app without a web server: `start_oauth2` makes the authorization URL
(tweepy's `OAuth2UserHandler` holds the code verifier and state in memory), the rep approves in
the browser, X redirects to the app's registered callback address, and the rep pastes that
address back; `finish_oauth2` checks the state and exchanges the code. The pasted address is only
parsed, never opened, so an `http://` callback is accepted by reading it as `https://`
(oauthlib otherwise refuses any http URL). Each step makes one request and may take seconds:
the window calls these from a worker thread.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit, urlunsplit

import requests
import tweepy

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.logging_setup import register_secret
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import (
    DEFAULT_API_URL,
    OAuth1Keys,
    XApiError,
    XClient,
    XConfig,
    XCredentials,
    XUser,
    map_error,
    mount_routing,
)

ACCOUNT_SECRET = "x-account"  # noqa: S105 (the keyring entry's name, not a secret)
SCOPES = ("tweet.read", "users.read", "tweet.write", "offline.access")
TOKEN_URL = DEFAULT_API_URL + "/2/oauth2/token"
# Refresh a little before X's expiry so a request never starts with a token about to lapse.
REFRESH_MARGIN = timedelta(minutes=2)

Method = Literal["oauth2", "oauth1"]

log = logging.getLogger(__name__)
# oauthlib ships no type information; its errors are reached through the module object.
_oauth_errors: Any = importlib.import_module("oauthlib.oauth2.rfc6749.errors")


class XAuthError(UserError):
    """The connection could not be made; the message says what to do."""


@dataclass(frozen=True)
class OAuth2Token:
    client_id: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    client_secret: str | None = field(default=None, repr=False)

    def needs_refresh(self, now: datetime) -> bool:
        return (
            self.refresh_token is not None
            and self.expires_at is not None
            and now + REFRESH_MARGIN >= self.expires_at
        )


@dataclass(frozen=True)
class StoredAccount:
    """The connection as kept in the keyring."""

    oauth2: OAuth2Token | None = None
    oauth1: OAuth1Keys | None = None
    bearer_token: str | None = field(default=None, repr=False)
    handle: str | None = None
    user_id: str | None = None

    @property
    def method(self) -> Method | None:
        if self.oauth2 is not None:
            return "oauth2"
        if self.oauth1 is not None:
            return "oauth1"
        return None

    @property
    def connected(self) -> bool:
        """Acting as the rep (publishing, get_me) needs user context; a bearer token only reads."""
        return self.method is not None

    def credentials(self) -> XCredentials:
        return XCredentials(
            user_token=self.oauth2.access_token if self.oauth2 else None,
            oauth1=self.oauth1,
            app_bearer=self.bearer_token,
        )

    def to_json(self) -> str:
        data: dict[str, Any] = {"version": 1, "handle": self.handle, "user_id": self.user_id}
        if self.oauth2 is not None:
            data["oauth2"] = {
                "client_id": self.oauth2.client_id,
                "client_secret": self.oauth2.client_secret,
                "access_token": self.oauth2.access_token,
                "refresh_token": self.oauth2.refresh_token,
                "expires_at": self.oauth2.expires_at.isoformat()
                if self.oauth2.expires_at
                else None,
            }
        if self.oauth1 is not None:
            data["oauth1"] = dict(
                zip(
                    ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
                    self.oauth1.values(),
                    strict=True,
                )
            )
        if self.bearer_token:
            data["bearer_token"] = self.bearer_token
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> StoredAccount:
        data = json.loads(text)
        oauth2 = data.get("oauth2")
        oauth1 = data.get("oauth1")
        expires = oauth2.get("expires_at") if oauth2 else None
        return cls(
            oauth2=OAuth2Token(
                client_id=oauth2["client_id"],
                access_token=oauth2["access_token"],
                refresh_token=oauth2.get("refresh_token"),
                expires_at=datetime.fromisoformat(expires) if expires else None,
                client_secret=oauth2.get("client_secret"),
            )
            if oauth2
            else None,
            oauth1=OAuth1Keys(**oauth1) if oauth1 else None,
            bearer_token=data.get("bearer_token"),
            handle=data.get("handle"),
            user_id=data.get("user_id"),
        )


@dataclass(frozen=True)
class Connected:
    """The outcome of connecting: who, how, and where the secrets went (keyring or session)."""

    handle: str | None
    user_id: str | None
    method: str
    stored_in: str

    def to_json(self) -> dict[str, object]:
        return {
            "connected": self.method != "bearer",
            "handle": self.handle,
            "user_id": self.user_id,
            "method": self.method,
            "stored_in": self.stored_in,
        }


def load_account(store: SecretStore) -> StoredAccount | None:
    raw = store.get(ACCOUNT_SECRET)
    if not raw:
        return None
    try:
        account = StoredAccount.from_json(raw)
    except (ValueError, KeyError, TypeError):
        log.warning("The stored X connection is unreadable; treating X as not connected")
        return None
    account.credentials()  # registers every token with the log redactor
    return account


def save_account(
    store: SecretStore, account: StoredAccount, *, session_only_ok: bool = False
) -> str:
    """Write the connection; returns "keyring" or "session" (no secure keyring, opted in)."""
    account.credentials()
    if account.oauth2 and account.oauth2.refresh_token:
        register_secret(account.oauth2.refresh_token)
    if account.oauth2 and account.oauth2.client_secret:
        register_secret(account.oauth2.client_secret)
    return store.set(ACCOUNT_SECRET, account.to_json(), session_only_ok=session_only_ok)


def disconnect(store: SecretStore) -> bool:
    """Forget every X secret. True when something was stored."""
    return store.delete(ACCOUNT_SECRET)


# -- OAuth 2.0 with PKCE -------------------------------------------------------------------


@dataclass
class OAuth2Attempt:
    """One authorization in progress: its URL, and the handler that remembers verifier and state."""

    authorization_url: str
    client_id: str
    redirect_uri: str
    client_secret: str | None = field(default=None, repr=False)
    handler: Any = field(default=None, repr=False)


def _handler(client_id: str, redirect_uri: str, client_secret: str | None, config: XConfig) -> Any:
    handler = tweepy.OAuth2UserHandler(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=list(SCOPES),
        client_secret=client_secret,
    )
    mount_routing(handler, config)  # the handler is a requests session: timeout and host
    return handler


def start_oauth2(
    client_id: str,
    redirect_uri: str,
    *,
    client_secret: str | None = None,
    config: XConfig | None = None,
) -> OAuth2Attempt:
    """The page the rep opens to approve the app. Nothing is stored yet."""
    client_id = client_id.strip()
    redirect_uri = redirect_uri.strip()
    if not client_id:
        raise XAuthError("The X app's OAuth 2.0 client ID is needed (X developer portal > Keys).")
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise XAuthError(
            f"{redirect_uri!r} is not a callback address; use the one registered for the X app."
        )
    if client_secret:
        register_secret(client_secret)
    handler = _handler(client_id, redirect_uri, client_secret or None, config or XConfig.from_env())
    return OAuth2Attempt(
        authorization_url=handler.get_authorization_url(),
        client_id=client_id,
        redirect_uri=redirect_uri,
        client_secret=client_secret or None,
        handler=handler,
    )


def _pasted_response(pasted: str) -> str:
    """The address the browser landed on, made acceptable to oauthlib (see module docstring)."""
    text = pasted.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.query:
        raise XAuthError(
            "Paste the whole address the browser showed after you approved the app "
            "(it contains ?state=...&code=...)."
        )
    query = parse_qs(parts.query)
    if "error" in query:
        reason = query.get("error_description", query["error"])[0]
        raise XAuthError(f"X did not authorize the app ({reason}). Start again to retry.")
    if "code" not in query:
        raise XAuthError("That address has no authorization code; paste the full address again.")
    for code in query["code"]:
        register_secret(code)
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, ""))


def _token_from(fetch: Callable[[], Any]) -> dict[str, Any]:
    """Run a token request; every failure becomes a message for the rep."""
    try:
        token = fetch()
    except Warning as changed:  # oauthlib: X granted other scopes than asked for
        token = getattr(changed, "token", None)
        if token is None:
            raise XAuthError(f"X answered the sign-in unexpectedly ({changed}).") from None
    except _oauth_errors.MismatchingStateError:
        raise XAuthError(
            "That address belongs to a different sign-in attempt. Start again and paste the "
            "address from this attempt."
        ) from None
    except _oauth_errors.OAuth2Error as exc:
        detail = getattr(exc, "description", None) or getattr(exc, "error", "") or str(exc)
        raise XAuthError(f"X did not accept the sign-in ({detail}). Start again.") from None
    except (requests.exceptions.RequestException, ValueError) as exc:
        raise XAuthError(map_error(exc).message) from None
    result = dict(token)
    for key in ("access_token", "refresh_token"):
        if result.get(key):
            register_secret(str(result[key]))
    return result


def _oauth2_token(
    raw: dict[str, Any], client_id: str, client_secret: str | None, now: datetime
) -> OAuth2Token:
    if not raw.get("access_token"):
        raise XAuthError("X's answer had no access token. Start again.")
    try:
        expires_at: datetime | None = now + timedelta(seconds=float(raw["expires_in"]))
    except (KeyError, TypeError, ValueError):
        expires_at = None
    return OAuth2Token(
        client_id=client_id,
        access_token=str(raw["access_token"]),
        refresh_token=str(raw["refresh_token"]) if raw.get("refresh_token") else None,
        expires_at=expires_at,
        client_secret=client_secret,
    )


def _verified(account: StoredAccount, config: XConfig, meter: XMeter | None) -> StoredAccount:
    """Ask X who this is (get_me) before anything is saved: a bad key is reported, not stored."""
    client = XClient(account.credentials(), config)
    try:
        me = client.me()
    except XApiError as exc:
        raise XAuthError(f"Connecting failed: {exc.message}") from None
    finally:
        client.close()
    if meter is not None:
        meter.charge_me(me.id, clock.now())
    return StoredAccount(account.oauth2, account.oauth1, account.bearer_token, me.username, me.id)


def _keep_bearer(store: SecretStore) -> str | None:
    existing = load_account(store)
    return existing.bearer_token if existing else None


def finish_oauth2(
    attempt: OAuth2Attempt,
    pasted_redirect: str,
    store: SecretStore,
    *,
    config: XConfig | None = None,
    session_only_ok: bool = False,
    meter: XMeter | None = None,
) -> Connected:
    """Exchange the pasted callback address for tokens, check them with get_me, store them.

    `meter`, when given, counts the get_me (X bills it as a user read).
    """
    cfg = config or XConfig.from_env()
    response = _pasted_response(pasted_redirect)
    handler = attempt.handler
    raw = _token_from(lambda: handler.fetch_token(response))
    token = _oauth2_token(raw, attempt.client_id, attempt.client_secret, clock.now())
    account = _verified(StoredAccount(oauth2=token, bearer_token=_keep_bearer(store)), cfg, meter)
    where = save_account(store, account, session_only_ok=session_only_ok)
    log.info("Connected X account @%s with OAuth 2.0", account.handle)
    return Connected(account.handle, account.user_id, "oauth2", where)


def refresh_if_needed(
    store: SecretStore, account: StoredAccount, config: XConfig, now: datetime | None = None
) -> StoredAccount:
    """An OAuth 2.0 access token lasts two hours; swap it (and its refresh token) when due."""
    moment = now or clock.now()
    token = account.oauth2
    if token is None or not token.needs_refresh(moment):
        return account
    handler = _handler(token.client_id, "https://127.0.0.1/", token.client_secret, config)
    try:
        raw = _token_from(
            lambda: handler.refresh_token(
                TOKEN_URL,
                refresh_token=token.refresh_token,
                auth=handler.auth,
                client_id=token.client_id,
            ),
        )
    except XAuthError as exc:
        raise XApiError(
            "auth",
            f"X no longer accepts the saved sign-in ({exc}). Reconnect the X account "
            "(Settings > X account, or `smarketing x connect`).",
        ) from None
    finally:
        handler.close()
    fresh = _oauth2_token(raw, token.client_id, token.client_secret, moment)
    if fresh.refresh_token is None:
        fresh = OAuth2Token(
            fresh.client_id,
            fresh.access_token,
            token.refresh_token,
            fresh.expires_at,
            fresh.client_secret,
        )
    updated = StoredAccount(fresh, None, account.bearer_token, account.handle, account.user_id)
    save_account(store, updated, session_only_ok=True)
    log.info("Refreshed the X access token")
    return updated


# -- OAuth 1.0a and the app bearer token ---------------------------------------------------


def connect_oauth1(
    keys: OAuth1Keys,
    store: SecretStore,
    *,
    config: XConfig | None = None,
    session_only_ok: bool = False,
    meter: XMeter | None = None,
) -> Connected:
    """Keys from the X developer portal (app keys plus the account's access token and secret)."""
    if not all(v.strip() for v in keys.values()):
        raise XAuthError(
            "OAuth 1.0a needs four values: API key, API key secret, access token and "
            "access token secret."
        )
    clean = OAuth1Keys(*(v.strip() for v in keys.values()))
    account = _verified(
        StoredAccount(oauth1=clean, bearer_token=_keep_bearer(store)),
        config or XConfig.from_env(),
        meter,
    )
    where = save_account(store, account, session_only_ok=session_only_ok)
    log.info("Connected X account @%s with OAuth 1.0a", account.handle)
    return Connected(account.handle, account.user_id, "oauth1", where)


def set_bearer_token(token: str, store: SecretStore, *, session_only_ok: bool = False) -> Connected:
    """The app-only token: reads (tracking) without spending the account's own limits.

    It cannot be checked with get_me (that needs a user), so it is stored as given; the first
    tracking run reports a bad token.
    """
    value = token.strip()
    if not value or any(c.isspace() for c in value):
        raise XAuthError("Paste the app's bearer token (one line, no spaces).")
    register_secret(value)
    existing = load_account(store) or StoredAccount()
    account = StoredAccount(
        existing.oauth2, existing.oauth1, value, existing.handle, existing.user_id
    )
    where = save_account(store, account, session_only_ok=session_only_ok)
    return Connected(account.handle, account.user_id, account.method or "bearer", where)


def check_connection(
    store: SecretStore,
    *,
    config: XConfig | None = None,
    now: datetime | None = None,
    meter: XMeter | None = None,
) -> XUser:
    """The "Test connection" button: get_me with the stored sign-in; remembers the handle."""
    cfg = config or XConfig.from_env()
    account = load_account(store)
    if account is None or not account.connected:
        raise XAuthError(
            "No X account is connected. Connect one (Settings > X account, or "
            "`smarketing x connect`)."
        )
    account = refresh_if_needed(store, account, cfg, now)
    client = XClient(account.credentials(), cfg)
    try:
        me = client.me()
    finally:
        client.close()
    if meter is not None:
        meter.charge_me(me.id, now or clock.now())
    if (me.username, me.id) != (account.handle, account.user_id):
        save_account(
            store,
            StoredAccount(account.oauth2, account.oauth1, account.bearer_token, me.username, me.id),
            session_only_ok=True,
        )
    return me
