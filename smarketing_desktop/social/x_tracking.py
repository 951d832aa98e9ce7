"""Prospects' X posts into the inbox, through the same feeds and entries as blogs and Mastodon.

Each prospect with an X handle gets one feed of kind "x" (`https://x.com/<handle>`), and their
posts are stored as that feed's entries by `FeedRepository.store`, so signal rules, unread
counts, suggestions and deletion tombstones work on X posts exactly as on any feed. The feed row
also carries the X bookkeeping the refresh engine already has columns for: `next_check_at`
(the poll interval), `retry_after` (a 429's reset time), the error shown to the rep, and `etag`,
which for an X feed holds the newest post id seen (the `since_id` of the next check).

Handles are resolved to user ids once (the meter's ledger is the cache). Checks ask only for
posts newer than the last one seen, page by page up to a cap, and stop before the monthly
budget would be passed. Nothing here sleeps: a 429 records "next try after HH:MM" on the feeds
and ends the run. Called from a worker thread by the window, directly by the CLI.
"""

from __future__ import annotations

import hashlib
import html
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from smarketing_desktop import clock
from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.db.repositories.feeds import FeedRepository, FeedToCheck
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.fetch import FetchResult
from smarketing_desktop.feeds.parse import ParsedEntry, ParsedFeed, display_title
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import XAuthError, load_account, refresh_if_needed
from smarketing_desktop.social.x_budget import (
    POST_READ_USD,
    USER_READ_USD,
    BudgetState,
    XMeter,
    budget_state,
)
from smarketing_desktop.social.x_client import (
    XApiError,
    XClient,
    XConfig,
    XPost,
    local_hhmm,
)

X_FEED_KIND = "x"
FIRST_CHECK_POSTS = 10  # a new prospect: their latest posts, not their history
POSTS_PER_PAGE = 20
MAX_PAGES = 3  # at most 60 posts (about $0.30) per prospect per check
POSTS_PER_CHECK = POSTS_PER_PAGE * MAX_PAGES
# Errors that concern the account or X itself, not one prospect: the run stops at the first.
_RUN_ENDING = frozenset({"auth", "forbidden", "server", "timeout", "network", "unexpected"})

log = logging.getLogger(__name__)


def x_feed_url(handle: str) -> str:
    return f"https://x.com/{handle}"


def post_url(handle: str, post_id: str) -> str:
    return f"https://x.com/{handle}/status/{post_id}"


def post_entry(handle: str, post: XPost) -> ParsedEntry:
    """An X post as a feed entry: key = post id, so a post is stored once however often read."""
    content = html.escape(post.text).replace("\n", "<br>")
    return ParsedEntry(
        key=post.id,
        title=display_title(None, content),
        link=post_url(handle, post.id),
        author=f"@{handle}",
        summary=post.text,
        content=content,
        published_at=post.created_at,
        updated_at=None,
    )


@dataclass(frozen=True)
class Skipped:
    prospect_id: int
    handle: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"prospect_id": self.prospect_id, "handle": self.handle, "reason": self.reason}


@dataclass
class TrackReport:
    """What one run did: posts found, prospects skipped (and why), the budget afterwards."""

    checked: int = 0
    new_posts: int = 0
    prospects_with_new_posts: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    budget: BudgetState | None = None
    next_try_after: datetime | None = None
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "checked": self.checked,
            "new_posts": self.new_posts,
            "prospects_with_new_posts": self.prospects_with_new_posts,
            "skipped": len(self.skipped),
            "skipped_prospects": [s.to_json() for s in self.skipped],
            "next_try_after": self.next_try_after.isoformat() if self.next_try_after else None,
            "error": self.error,
            "budget": self.budget.to_json() if self.budget else None,
        }


def tracked_prospects(db: Database) -> list[Prospect]:
    return [p for p in ProspectRepository(db).find() if p.x_handle]


def ensure_feeds(repo: FeedRepository, prospects: list[Prospect]) -> dict[int, FeedInfo]:
    """One kind="x" feed per handle, linked to its prospect; returns prospect id -> feed."""
    feeds: dict[int, FeedInfo] = {}
    for prospect in prospects:
        handle = prospect.x_handle or ""
        url = x_feed_url(handle)
        feed = repo.find_by_url(url)
        if feed is None:
            feed = repo.add_feed(
                url, title=f"@{handle} on X", kind=X_FEED_KIND, prospect_id=prospect.id
            )
        feeds[prospect.id] = feed
    return feeds


@dataclass
class _Run:
    """The state of one tracking run, so each step can stop it cleanly."""

    db: Database
    repo: FeedRepository
    meter: XMeter
    client: XClient
    now: datetime
    budget_usd: int
    poll_minutes: int
    prospect_count: int
    report: TrackReport
    stopped: str | None = None  # why the rest of the prospects are skipped

    def budget(self, reserve: Decimal = Decimal(0)) -> BudgetState:
        return budget_state(
            self.meter.usage(self.now),
            budget_usd=self.budget_usd,
            poll_minutes=self.poll_minutes,
            tracked_prospects=self.prospect_count,
            posts_per_check=POSTS_PER_CHECK,
            now=self.now,
            reserve=reserve,
        )

    def affordable(self, reserve: Decimal) -> bool:
        state = self.budget(reserve)
        if state.reached:
            self.stopped = state.notice or "The monthly X budget is reached."
            self.report.budget = state
        return not state.reached

    def fail(self, feed: FeedToCheck, handle: str, error: XApiError) -> None:
        """Record the error on the feed (the inbox shows it) and decide whether to go on."""
        kind = {"forbidden": "auth", "bad_request": "http", "unexpected": "http"}.get(
            error.kind, error.kind
        )
        result = None
        if error.kind == "rate_limited":
            result = FetchResult(
                "error",
                feed.url,
                status_code=error.status,
                retry_after=error.retry_at,
                error_kind="rate_limited",
                message=error.message,
            )
            self.report.next_try_after = error.retry_at
            self.stopped = error.message
        elif error.kind in _RUN_ENDING:
            self.stopped = error.message
            self.report.error = error.message
        elif error.kind == "not_found":
            self.meter.forget_user(handle)
        self.repo.record_error(
            feed.id, kind=kind, message=error.message, now=self.now, result=result
        )

    def wait_all(self, feeds: list[FeedToCheck], error: XApiError) -> None:
        """A 429 limits the endpoint, not one prospect: every remaining feed waits for the reset."""
        for feed in feeds:
            self.repo.record_error(
                feed.id,
                kind="rate_limited",
                message=error.message,
                now=self.now,
                result=FetchResult(
                    "error", feed.url, status_code=error.status, retry_after=error.retry_at
                ),
            )


def _resolve(run: _Run, handles: list[str]) -> dict[str, str | None]:
    """Handle -> user id, asking X only about handles never resolved (and paying once)."""
    known = run.meter.cached_user_ids(handles, run.now)
    unknown = sorted({h.lower() for h in handles} - set(known))
    if unknown and run.affordable(len(unknown) * USER_READ_USD):
        lookup = run.client.lookup_users(unknown)
        run.meter.charge_users({h: u.id for h, u in lookup.found.items()}, run.now)
        run.meter.note_missing(lookup.missing, run.now)
        known.update({h: u.id for h, u in lookup.found.items()})
        known.update(dict.fromkeys(lookup.missing))
    return known


def _check(run: _Run, feed: FeedToCheck, handle: str, user_id: str) -> bool:
    """One prospect: new posts since the last one seen, newest first, up to the per-check cap.

    False when the budget allowed no request at all.
    """
    since = feed.etag or None
    size = FIRST_CHECK_POSTS if since is None else POSTS_PER_PAGE
    pages = 1 if since is None else MAX_PAGES
    posts: list[XPost] = []
    newest: str | None = None
    token: str | None = None
    for _ in range(pages):
        if not run.affordable(size * POST_READ_USD):
            break
        page = run.client.user_posts(
            user_id, since_id=since, pagination_token=token, max_results=size
        )
        run.meter.charge_posts([p.id for p in page.posts], run.now)
        posts.extend(page.posts)
        newest = newest or page.newest_id
        token = page.next_token
        if not token:
            break
    if run.stopped and not posts:
        return False
    marker = newest or since
    parsed = ParsedFeed(
        title=None, site_url=x_feed_url(handle), entries=[post_entry(handle, p) for p in posts]
    )
    result = FetchResult("ok", feed.url, status_code=200, etag=marker)
    digest = hashlib.sha256((marker or "").encode()).hexdigest()
    stored = run.repo.store(feed.id, result, parsed, digest, run.now)
    run.report.checked += 1
    run.report.new_posts += len(stored.new_ids)
    if stored.new_ids:
        run.report.prospects_with_new_posts += 1
    return True


def track(
    db: Database,
    store: SecretStore,
    *,
    config: XConfig | None = None,
    now: datetime | None = None,
    due_only: bool = False,
) -> TrackReport:
    """Fetch prospects' new X posts into the inbox ("Fetch now", or a poll with `due_only`).

    Raises `XAuthError` when nothing to read with is connected; every other problem ends up in
    the report (and on the prospect's feed, where the inbox shows it).
    """
    moment = now or clock.now()
    cfg = config or XConfig.from_env()
    account = load_account(store)
    if account is None or not account.credentials().can_read:
        raise XAuthError(
            "Connect an X account (or add the app's bearer token) first: `smarketing x connect`."
        )
    settings = SettingsRepository(db)
    budget_usd = int(settings.get("x_monthly_budget_usd"))
    poll_minutes = int(settings.get("x_poll_minutes"))
    repo = FeedRepository(db, interval=timedelta(minutes=poll_minutes))
    meter = XMeter(db)
    prospects = tracked_prospects(db)
    feeds = ensure_feeds(repo, prospects)
    report = TrackReport()
    try:
        account = refresh_if_needed(store, account, cfg, moment)
    except XApiError as exc:
        report.error = exc.message
    client = XClient(account.credentials(), cfg)
    run = _Run(db, repo, meter, client, moment, budget_usd, poll_minutes, len(prospects), report)
    try:
        if report.error is None:
            _track(run, prospects, feeds, due_only)
        else:
            run.stopped = report.error
            report.skipped = [Skipped(p.id, p.x_handle or "", report.error) for p in prospects]
    finally:
        client.close()
    meter.prune(moment)
    if report.budget is None:
        report.budget = run.budget()
    log.info(
        "X tracking: %d checked, %d new posts, %d skipped",
        report.checked,
        report.new_posts,
        len(report.skipped),
    )
    return report


def _track(
    run: _Run, prospects: list[Prospect], feeds: dict[int, FeedInfo], due_only: bool
) -> None:
    report = run.report
    by_feed: dict[int, list[Prospect]] = {}
    for prospect in prospects:
        by_feed.setdefault(feeds[prospect.id].id, []).append(prospect)

    def skip(feed_id: int, reason: str) -> None:
        for prospect in by_feed.get(feed_id, []):
            report.skipped.append(Skipped(prospect.id, prospect.x_handle or "", reason))

    if not run.affordable(Decimal(0)):
        for feed_id in by_feed:
            skip(feed_id, run.stopped or "")
        return
    claimed = run.repo.claim(
        feed_ids=list(by_feed), due_only=due_only, now=run.now, api_kind=X_FEED_KIND
    )
    claimed_ids = {c.id for c in claimed}
    for feed_id, owners in by_feed.items():
        info = feeds[owners[0].id]
        if feed_id in claimed_ids:
            continue
        if info.retry_after is not None and info.retry_after > run.now:
            skip(feed_id, f"X asked us to wait: next try after {local_hhmm(info.retry_after)}.")
        elif info.status == "gone":
            skip(feed_id, info.error_message or "X no longer has this account.")
    handle_of = {c.id: c.url.rsplit("/", 1)[-1] for c in claimed}
    try:
        user_ids = _resolve(run, [handle_of[c.id] for c in claimed])
    except XApiError as exc:
        if exc.kind == "rate_limited":
            run.wait_all(claimed, exc)
            report.next_try_after = exc.retry_at
        elif exc.kind in _RUN_ENDING:
            report.error = exc.message
        run.stopped = exc.message
        user_ids = {}
    for index, feed in enumerate(claimed):
        handle = handle_of[feed.id]
        if run.stopped:
            skip(feed.id, run.stopped)
            continue
        user_id = user_ids.get(handle.lower())
        if user_id is None:
            message = f"X has no account @{handle} (checked today; tried again tomorrow)."
            run.repo.record_error(feed.id, kind="not_found", message=message, now=run.now)
            skip(feed.id, message)
            continue
        try:
            if not _check(run, feed, handle, user_id):
                skip(feed.id, run.stopped or "")
        except XApiError as exc:
            run.fail(feed, handle, exc)
            skip(feed.id, exc.message)
            if exc.kind == "rate_limited":
                run.wait_all(claimed[index + 1 :], exc)


@dataclass(frozen=True)
class XStatus:
    """What the X settings page and `smarketing x status` show."""

    connected: bool
    handle: str | None
    method: str | None
    reads_with: str | None  # "app" (bearer token), "account", or None: cannot read
    tracked_prospects: int
    budget: BudgetState

    def to_json(self) -> dict[str, object]:
        return {
            "connected": self.connected,
            "handle": self.handle,
            "reads_this_month": self.budget.usage.reads,
            "estimated_cost": self.budget.estimated_cost,
            "budget": self.budget.budget_usd,
            "method": self.method,
            "reads_with": self.reads_with,
            "tracked_prospects": self.tracked_prospects,
            "budget_reached": self.budget.reached,
            "fits_prospects": self.budget.fits_prospects,
            "notice": self.budget.notice,
        }


def x_status(db: Database, store: SecretStore, *, now: datetime | None = None) -> XStatus:
    """Connection and cost meter; no network."""
    moment = now or clock.now()
    account = load_account(store)
    settings = SettingsRepository(db)
    prospects = len(tracked_prospects(db))
    state = budget_state(
        XMeter(db).usage(moment),
        budget_usd=int(settings.get("x_monthly_budget_usd")),
        poll_minutes=int(settings.get("x_poll_minutes")),
        tracked_prospects=prospects,
        posts_per_check=POSTS_PER_CHECK,
        now=moment,
    )
    reads_with = None
    if account is not None:
        if account.bearer_token:
            reads_with = "app"
        elif account.connected:
            reads_with = "account"
    return XStatus(
        connected=bool(account and account.connected),
        handle=account.handle if account else None,
        method=account.method if account else None,
        reads_with=reads_with,
        tracked_prospects=prospects,
        budget=state,
    )


@dataclass(frozen=True)
class TrackPlan:
    """Whether a background tracking run has anything to do, and how often to run.

    Read before each run (database and keyring, no network), so the window never asks X for
    anything while nothing can be read or no prospect has an X handle.
    """

    can_read: bool
    tracked_prospects: int
    poll_minutes: int

    @property
    def should_run(self) -> bool:
        return self.can_read and self.tracked_prospects > 0


def track_plan(db: Database, store: SecretStore) -> TrackPlan:
    account = load_account(store)
    return TrackPlan(
        can_read=bool(account is not None and account.credentials().can_read),
        tracked_prospects=len(tracked_prospects(db)),
        poll_minutes=int(SettingsRepository(db).get("x_poll_minutes")),
    )
