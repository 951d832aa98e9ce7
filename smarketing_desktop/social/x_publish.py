"""Due X shares posted through the connected account (create_tweet), with the outcome kept.

Without a connected account nothing here runs: due shares become "ready" and the rep posts
them through the web intent link (`share_links.share_url`) and confirms. With an account, a due
X share is posted once: `release_due` hands each item to exactly one caller, and only the items
released by this call are posted, so an item released earlier (which the rep may already have
posted by hand) is never posted a second time.

Outcomes: "posted" keeps X's post id and URL (and logs a touch, through `mark_done`); "failed"
keeps X's message; a 429 or a server error puts the share back in the queue for a later slot
(no sleeping: the window and the command must stay responsive). A timeout is reported as failed
with a warning, because X may have posted it anyway and a retry could post it twice.

The queue repository has no call for a failed or rescheduled item, or for the external id, so
the few UPDATEs for those live here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.core.x_text import X_LIMIT, x_length
from smarketing_desktop.db.models import QueueItem
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import load_account, refresh_if_needed
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import XApiError, XClient, XConfig, local_hhmm

MAX_SERVER_ATTEMPTS = 3
SERVER_RETRY = timedelta(minutes=15)
_ATTEMPT = re.compile(r"\(attempt (\d+)\)")
# Answers about the account or X itself: the remaining shares are not even tried.
_STOPPING = frozenset({"auth", "forbidden", "rate_limited", "server", "network", "timeout"})

log = logging.getLogger(__name__)


class XTextTooLongError(UserError):
    """The share is longer than X allows, counted the way X counts."""


def share_post_text(text: str, url: str | None) -> str:
    """What is posted: the share's text, plus its link when the text does not contain it."""
    body = text.strip()
    if url and url.strip() and url.strip() not in body:
        body = f"{body} {url.strip()}"
    return body


def share_length(text: str, url: str | None) -> int:
    """The share's length as X counts it (every link 23 characters)."""
    return x_length(share_post_text(text, url))


def check_share_length(text: str, url: str | None) -> None:
    """Refuse, before it is queued, a share X would refuse when its slot comes."""
    length = share_length(text, url)
    if length > X_LIMIT:
        raise XTextTooLongError(
            f"This post is {length} characters as X counts them (each link counts as 23); "
            f"X allows {X_LIMIT}. Shorten it by {length - X_LIMIT}."
        )


@dataclass(frozen=True)
class PublishOutcome:
    item_id: int
    status: str  # posted | failed | queued (put back for a later try)
    external_id: str | None = None
    external_url: str | None = None
    error: str | None = None
    item: QueueItemInfo | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, object]:
        base = self.item.to_json() if self.item else {"id": self.item_id}
        return {
            **base,
            "status": self.status,
            "external_id": self.external_id,
            "external_url": self.external_url,
            "error": self.error,
        }


def _set(db: Database, item_id: int, **values: object) -> None:
    with db.session() as session:
        session.execute(update(QueueItem).where(QueueItem.id == item_id).values(**values))


def _failed(db: Database, item: QueueItemInfo, message: str) -> PublishOutcome:
    _set(db, item.id, status="failed", error=message)
    log.info("Queue item %d failed on X: %s", item.id, message)
    return PublishOutcome(item.id, "failed", error=message)


def _requeued(db: Database, item: QueueItemInfo, at: datetime, message: str) -> PublishOutcome:
    _set(db, item.id, status="queued", scheduled_at=at, error=message)
    return PublishOutcome(item.id, "queued", error=message)


def _server_attempts(item: QueueItemInfo) -> int:
    found = _ATTEMPT.search(item.error or "")
    return int(found.group(1)) if found else 0


def _after_error(
    db: Database, item: QueueItemInfo, error: XApiError, now: datetime
) -> PublishOutcome:
    if error.kind == "rate_limited" and error.retry_at is not None:
        return _requeued(db, item, error.retry_at, error.message)
    if error.kind == "server":
        attempt = _server_attempts(item) + 1
        if attempt < MAX_SERVER_ATTEMPTS:
            at = now + SERVER_RETRY * (2 ** (attempt - 1))
            return _requeued(
                db,
                item,
                at,
                f"{error.message} (attempt {attempt}); next try after {local_hhmm(at)}.",
            )
        return _failed(db, item, f"{error.message} (attempt {attempt}); gave up.")
    if error.kind in ("timeout", "network"):
        return _failed(
            db,
            item,
            f"{error.message} The post may have gone out anyway: check your X profile before "
            "posting it again.",
        )
    return _failed(db, item, error.message)


def _not_attempted(
    db: Database, item: QueueItemInfo, stop: XApiError, now: datetime
) -> PublishOutcome:
    """A share after one that hit an account-wide problem: never sent, so safe to retry."""
    if stop.kind in ("auth", "forbidden"):
        return _failed(db, item, stop.message)
    at = stop.retry_at if stop.kind == "rate_limited" and stop.retry_at else now + SERVER_RETRY
    return _requeued(db, item, at, f"Not sent yet: {stop.message} Next try after {local_hhmm(at)}.")


def publish_items(
    db: Database,
    store: SecretStore,
    items: Sequence[QueueItemInfo],
    *,
    config: XConfig | None = None,
    now: datetime | None = None,
) -> list[PublishOutcome]:
    """Post each X share through the connected account; returns one outcome per item."""
    moment = now or clock.now()
    cfg = config or XConfig.from_env()
    account = load_account(store)
    if account is None or not account.connected:
        return []
    try:
        account = refresh_if_needed(store, account, cfg, moment)
    except XApiError as exc:
        return [_failed(db, item, exc.message) for item in items]
    queue = QueueRepository(db)
    meter = XMeter(db)
    client = XClient(account.credentials(), cfg)
    outcomes: list[PublishOutcome] = []
    stop: XApiError | None = None
    try:
        for item in items:
            if stop is not None:  # the same answer would come back for every remaining share
                outcomes.append(_not_attempted(db, item, stop, moment))
                continue
            text = share_post_text(item.text, item.url)
            try:
                check_share_length(item.text, item.url)
            except XTextTooLongError as exc:
                outcomes.append(_failed(db, item, str(exc)))
                continue
            try:
                post = client.create_post(text)
            except XApiError as exc:
                outcomes.append(_after_error(db, item, exc, moment))
                if exc.kind in _STOPPING:
                    stop = exc
                continue
            meter.charge_write(post.id, text, moment)
            handle = account.handle
            link = (
                f"https://x.com/{handle}/status/{post.id}"
                if handle
                else f"https://x.com/i/web/status/{post.id}"
            )
            queue.mark_done(item.id, status="posted", external_url=link)
            _set(db, item.id, external_id=post.id, error=None)
            log.info("Posted queue item %d to X as %s", item.id, post.id)
            outcomes.append(PublishOutcome(item.id, "posted", post.id, link))
    finally:
        client.close()
    return [
        PublishOutcome(
            o.item_id, o.status, o.external_id, o.external_url, o.error, queue.get(o.item_id)
        )
        for o in outcomes
    ]


def x_account_connected(store: SecretStore) -> bool:
    account = load_account(store)
    return bool(account and account.connected)


@dataclass(frozen=True)
class PublishReport:
    ready: list[QueueItemInfo]
    outcomes: list[PublishOutcome]

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        return {
            "ready": [i.to_json() for i in self.ready],
            "posted": [o.to_json() for o in self.outcomes if o.status == "posted"],
            "failed": [o.to_json() for o in self.outcomes if o.status == "failed"],
            "waiting": [o.to_json() for o in self.outcomes if o.status == "queued"],
        }


def publish_due(
    db: Database,
    store: SecretStore | None = None,
    *,
    config: XConfig | None = None,
    now: datetime | None = None,
) -> PublishReport:
    """Release due shares; post the X ones when an account is connected, the rest are ready."""
    moment = now or clock.now()
    released = QueueRepository(db).release_due(moment)
    x_items = [i for i in released if i.channel == "x"]
    if not x_items:
        return PublishReport(released, [])
    secrets = store or SecretStore()
    if not x_account_connected(secrets):
        return PublishReport(released, [])
    outcomes = publish_items(db, secrets, x_items, config=config, now=moment)
    return PublishReport([i for i in released if i.channel != "x"], outcomes)
