"""The rep's own X profile, fetched with the connected account, as the X checklist reads it.

One `GET /2/users/me` (with the pinned post expanded) gives the bio, the link, the pinned post,
the profile photo's and header's addresses and the id of the latest post. They are mapped to
the plain profile dict the X checklist's rules take (`bio`, `url`, `pinned_post`, `photo`,
`header`, `last_post_at`), so a fetched profile and a profile file typed by the rep are scored
by the same rules.

What can be said about the images without downloading them, and why nothing is downloaded:
X serves fixed-size copies of every profile photo (48x48 up to 400x400) and header
(1500x500 and smaller), resized from whatever was uploaded. Measuring those copies would
measure X's resizing, not the rep's image, so a downloaded size would prove nothing. What the
addresses do tell honestly: whether the photo is X's default avatar (a fail) and whether a
header is set at all (none is a fail). Whether a set photo is a clear, professional face is for
the rep to judge; those items stay `unknown` with that reason, and the rep answers them.

`last_post_at` comes from the latest post's id: X post ids are "snowflakes" whose top bits are
the creation time in milliseconds since X's epoch, so no extra request (or cost) is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from smarketing_desktop import clock
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import XAuthError, load_account, refresh_if_needed
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import XClient, XConfig, XProfileData

# The source marker on image verdicts: rules and the window tell account data from file paths.
SOURCE = "x"
DEFAULT_IMAGE_MARK = "/default_profile_images/"
# X's snowflake epoch (2010-11-04T01:42:54.657Z) in milliseconds; the time sits above bit 22.
SNOWFLAKE_EPOCH_MS = 1288834974657
SNOWFLAKE_TIME_SHIFT = 22

NOT_CONNECTED = (
    "No X account is connected: fetching your profile signs in as you. Connect one "
    "(Settings > X account, or `smarketing x connect`)."
)
BEARER_ONLY = (
    "Only an app bearer token is stored; it reads other people's posts but cannot tell who "
    "you are. Connect your X account (Settings > X account, or `smarketing x connect`)."
)
PHOTO_DEFAULT = (
    "Your X profile shows X's default image: upload a clear photo of your face (at least "
    "400x400, square)."
)
PHOTO_SET = (
    "A photo of your own is set on X. X only serves resized copies, so its size and whether it "
    "is a clear, professional face are yours to judge: answer this item Pass or Fail."
)
PHOTO_NOT_SENT = "X did not send the profile image address, so the photo could not be checked."
HEADER_NONE = (
    "Your X profile has no header image: visitors see the plain default. Add a 1500x500 header."
)
HEADER_SET = (
    "A header image is set on X. X only serves a resized copy, so whether it is 1500x500 and "
    "says what you help with is yours to judge: answer this item Pass or Fail."
)
HEADER_NOT_ASKED = (
    "X's API refused the header field (profile_banner_url) for this app, so whether a header "
    "is set is unknown: look at your profile and answer this item."
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountProfile:
    """What was fetched: who, and the profile dict the checklist rules read."""

    handle: str
    user_id: str
    profile: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"handle": self.handle, "user_id": self.user_id, "profile": self.profile}


def snowflake_time(post_id: str) -> datetime | None:
    """When an X post was created, read from its id (None for ids that are not snowflakes)."""
    try:
        value = int(post_id)
    except (TypeError, ValueError):
        return None
    if value <= 0:
        return None
    millis = (value >> SNOWFLAKE_TIME_SHIFT) + SNOWFLAKE_EPOCH_MS
    try:
        return datetime.fromtimestamp(millis / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _urls(entities: object, part: str) -> list[Mapping[str, Any]]:
    if not isinstance(entities, Mapping):
        return []
    section = entities.get(part)
    urls = section.get("urls") if isinstance(section, Mapping) else None
    return [u for u in urls if isinstance(u, Mapping)] if isinstance(urls, list) else []


def expand_links(text: str, urls: list[Mapping[str, Any]]) -> str:
    """The bio as the rep typed it: X's t.co short links put back to what they stand for.

    Keyword phrases and the call to action are matched against what a visitor reads, and
    the t.co form would hide a booking link's address.
    """
    result = text
    for link in urls:
        short = link.get("url")
        shown = link.get("display_url") or link.get("expanded_url")
        if isinstance(short, str) and short and isinstance(shown, str) and shown:
            result = result.replace(short, shown)
    return result


def _link(fields: Mapping[str, Any]) -> str:
    """The profile link's real address (X sends a t.co link in `url`)."""
    raw = fields.get("url")
    if not isinstance(raw, str) or not raw.strip():
        return ""
    for link in _urls(fields.get("entities"), "url"):
        if link.get("url") == raw and isinstance(link.get("expanded_url"), str):
            return str(link["expanded_url"])
    return raw


def _verdict(status: str, reason: str, url: str | None) -> dict[str, Any]:
    """An image the account told us about without a measurable size: `check_image` reads it."""
    return {"source": SOURCE, "url": url, "verdict": status, "reason": reason}


def photo_verdict(image_url: object) -> dict[str, Any]:
    if not isinstance(image_url, str) or not image_url.strip():
        return _verdict("unknown", PHOTO_NOT_SENT, None)
    if DEFAULT_IMAGE_MARK in image_url:
        return _verdict("fail", PHOTO_DEFAULT, image_url)
    # The 400x400 copy is the one worth opening from a stored review; _normal is 48x48.
    return _verdict("unknown", PHOTO_SET, image_url.replace("_normal.", "_400x400."))


def header_verdict(banner_url: object, asked: bool) -> dict[str, Any]:
    if not asked:
        return _verdict("unknown", HEADER_NOT_ASKED, None)
    if isinstance(banner_url, str) and banner_url.strip():
        return _verdict("unknown", HEADER_SET, banner_url)
    return _verdict("fail", HEADER_NONE, None)


def checklist_profile(data: XProfileData) -> dict[str, Any]:
    """The X checklist's profile dict from the account's user object.

    Fields X left out were asked for, so "left out" means "the profile has none": they are
    given empty and fail, rather than staying unknown like a field a profile file omits.
    """
    fields = data.fields
    bio = fields.get("description")
    profile: dict[str, Any] = {
        "account": f"@{data.user.username}",
        "bio": expand_links(bio, _urls(fields.get("entities"), "description"))
        if isinstance(bio, str)
        else "",
        "url": _link(fields),
        "pinned_post": "",
        "photo": photo_verdict(fields.get("profile_image_url")),
        "header": header_verdict(fields.get("profile_banner_url"), data.extra_fields),
    }
    if data.pinned_post is not None:
        profile["pinned_post"] = data.pinned_post.text.strip() or f"post {data.pinned_post.id}"
    elif fields.get("pinned_tweet_id"):
        # Pinned, but X did not expand it (deleted since, or withheld): still pinned.
        profile["pinned_post"] = f"post {fields['pinned_tweet_id']}"
    latest = fields.get("most_recent_tweet_id")
    moment = snowflake_time(str(latest)) if latest else None
    if moment is not None:
        profile["last_post_at"] = moment.date().isoformat()
    return profile


def is_account_image(value: object) -> bool:
    """A verdict from `checklist_profile` (rather than a file path or measured size)."""
    return isinstance(value, Mapping) and value.get("source") == SOURCE and "verdict" in value


def fetch_account_profile(
    store: SecretStore,
    *,
    config: XConfig | None = None,
    meter: XMeter | None = None,
    now: datetime | None = None,
) -> AccountProfile:
    """Fetch the connected account's profile. Raises `XAuthError` when no account is
    connected and `XApiError` (401, 403, 429, ...) when X refuses; nothing is stored then.

    `meter`, when given, counts what X bills: the user read and the pinned post.
    """
    moment = now or clock.now()
    cfg = config or XConfig.from_env()
    account = load_account(store)
    if account is None or not account.credentials().can_read:
        raise XAuthError(NOT_CONNECTED)
    if not account.connected:
        raise XAuthError(BEARER_ONLY)
    account = refresh_if_needed(store, account, cfg, moment)
    client = XClient(account.credentials(), cfg)
    try:
        data = client.my_profile()
    finally:
        client.close()
    if meter is not None:
        meter.charge_me(data.user.id, moment)
        if data.pinned_post is not None:
            meter.charge_posts([data.pinned_post.id], moment)
    log.info("Fetched the X profile of @%s", data.user.username)
    return AccountProfile(data.user.username, data.user.id, checklist_profile(data))


def account_problem(store: SecretStore) -> str | None:
    """Why the profile cannot be fetched (no account, bearer token only), or None when it can.

    Reads the keyring only (no network): the window asks this to enable its Fetch button.
    """
    account = load_account(store)
    if account is None or not account.credentials().can_read:
        return NOT_CONNECTED
    if not account.connected:
        return BEARER_ONLY
    return None
