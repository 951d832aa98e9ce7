"""Refresh many feeds at once: fetch concurrently, parse on every core, store one at a time.

Fetching is I/O, so a thread pool runs many requests at once and a dead server only holds up
its own worker (for at most the fetch deadline). Parsing is CPU work: with much to parse it
goes to a small process pool (feedparser holds the GIL); with little it runs in the fetch
thread, which avoids the pool's start-up cost. Writes happen on the calling thread in short
batched transactions, so the database has a single writer and readers never wait long.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smarketing_desktop import clock
from smarketing_desktop.db.repositories.feeds import (
    FeedRepository,
    FeedToCheck,
    FeedUpdate,
    StoreResult,
)
from smarketing_desktop.feeds.fetch import (
    DEFAULT_LIMITS,
    FetchLimits,
    FetchResult,
    fetch,
    make_client,
)
from smarketing_desktop.feeds.parse import ParsedFeed, parse_job

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
PROCESS_POOL_MIN_FEEDS = 16
# Results are written in batches: one transaction per batch, and new posts show up at least
# this often during a long refresh.
BATCH_SIZE = 64
BATCH_SECONDS = 0.5


@dataclass
class RefreshSummary:
    feeds: int = 0
    updated: int = 0
    not_modified: int = 0
    errors: int = 0
    new_entries: int = 0
    seconds: float = 0.0
    new_entry_ids: list[int] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "feeds": self.feeds,
            "updated": self.updated,
            "not_modified": self.not_modified,
            "errors": self.errors,
            "new_entries": self.new_entries,
            "seconds": round(self.seconds, 3),
            "failures": [{"feed_id": f, "error": m} for f, m in self.failures],
        }


@dataclass(frozen=True)
class _Fetched:
    feed: FeedToCheck
    result: FetchResult
    body_hash: str | None = None
    parsed: ParsedFeed | None = None
    parse_error: str | None = None
    unchanged: bool = False


def _fetch_one(client: Any, feed: FeedToCheck, limits: FetchLimits, parse_inline: bool) -> _Fetched:
    result = fetch(
        client, feed.url, etag=feed.etag, last_modified=feed.last_modified, limits=limits
    )
    if not result.ok or result.body is None:
        return _Fetched(feed, result)
    body_hash = hashlib.sha256(result.body).hexdigest()
    if body_hash == feed.body_hash:
        return _Fetched(feed, result, body_hash, unchanged=True)
    if not parse_inline:
        return _Fetched(feed, result, body_hash)
    outcome = parse_job(result.body, result.url, result.headers)
    if isinstance(outcome, str):
        return _Fetched(feed, result, body_hash, parse_error=outcome)
    return _Fetched(feed, result, body_hash, parsed=outcome)


class _Run:
    """The bookkeeping of one refresh: results in (batched), summary out."""

    def __init__(self, repo: FeedRepository, total: int, progress: Progress | None) -> None:
        self.repo = repo
        self.summary = RefreshSummary(feeds=total)
        self.progress = progress
        self.done = 0
        self.batch: list[FeedUpdate] = []
        self.last_flush = time.monotonic()

    def record(self, item: _Fetched, parsed: ParsedFeed | str | None) -> None:
        result = item.result
        feed_id = item.feed.id
        if result.outcome == "not_modified" or item.unchanged:
            update = FeedUpdate(feed_id, result, body_hash=item.body_hash)
        elif result.outcome == "error":
            message = result.message or "The feed could not be fetched."
            update = FeedUpdate(
                feed_id, result, error_kind=result.error_kind or "http", error_message=message
            )
        elif isinstance(parsed, str) or parsed is None:
            message = parsed or "The feed could not be read."
            update = FeedUpdate(feed_id, result, error_kind="parse", error_message=message)
        else:
            update = FeedUpdate(feed_id, result, parsed=parsed, body_hash=item.body_hash)
        self.batch.append(update)
        if len(self.batch) >= BATCH_SIZE or time.monotonic() - self.last_flush > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the batch; if the batch fails as a whole, each feed gets its own try."""
        batch, self.batch = self.batch, []
        self.last_flush = time.monotonic()
        if not batch:
            return
        now = clock.now()
        try:
            stored = self.repo.apply_updates(batch, now)
        except Exception:
            log.exception("Storing a batch of %d feeds failed; storing them one by one", len(batch))
            stored = {}
            for update in batch:
                try:
                    stored.update(self.repo.apply_updates([update], now))
                except Exception as exc:
                    log.exception("Storing feed %s failed", update.feed_id)
                    self._count(update, None, f"Storing the feed failed ({type(exc).__name__}).")
                    continue
                self._count(update, stored.get(update.feed_id), None)
        else:
            for update in batch:
                self._count(update, stored.get(update.feed_id), None)

    def _count(self, update: FeedUpdate, stored: StoreResult | None, failure: str | None) -> None:
        summary = self.summary
        if failure is not None or update.error_kind is not None:
            summary.errors += 1
            summary.failures.append((update.feed_id, failure or update.error_message or ""))
        elif update.parsed is not None:
            summary.updated += 1
            if stored is not None:
                summary.new_entries += len(stored.new_ids)
                summary.new_entry_ids.extend(stored.new_ids)
        else:
            summary.not_modified += 1
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, summary.feeds)


def refresh_feeds(
    repo: FeedRepository,
    *,
    feed_ids: Sequence[int] | None = None,
    due_only: bool = False,
    limits: FetchLimits = DEFAULT_LIMITS,
    workers: int = 8,
    parse_processes: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> RefreshSummary:
    """Check the chosen feeds now; `parse_processes=None` picks by workload and cores."""
    started = time.perf_counter()
    claimed = repo.claim(feed_ids=feed_ids, due_only=due_only, now=now or clock.now())
    run = _Run(repo, len(claimed), progress)
    if not claimed:
        return run.summary
    if parse_processes is None:
        cores = os.cpu_count() or 1
        parse_processes = (
            min(cores, 4) if cores > 1 and len(claimed) >= PROCESS_POOL_MIN_FEEDS else 0
        )
    parse_inline = parse_processes == 0

    parse_pool: ProcessPoolExecutor | None = None
    if not parse_inline:
        parse_pool = ProcessPoolExecutor(
            max_workers=parse_processes, mp_context=multiprocessing.get_context("spawn")
        )
    # Every finished future reports to one queue: the loop wakes once per result instead of
    # re-scanning every pending future (which costs O(n^2) for a large refresh).
    finished: queue.SimpleQueue[tuple[Future[Any], FeedToCheck | _Fetched]] = queue.SimpleQueue()
    live: set[Future[Any]] = set()  # only for cancelling; finished ones are let go (memory)

    def track(future: Future[Any], context: FeedToCheck | _Fetched) -> None:
        live.add(future)
        future.add_done_callback(lambda done: finished.put((done, context)))

    with (
        make_client(limits, max_connections=workers) as client,
        ThreadPoolExecutor(
            max_workers=min(workers, len(claimed)), thread_name_prefix="feed-fetch"
        ) as fetch_pool,
    ):
        # Backpressure: fetches are started only while fewer than `in_flight_cap` bodies are
        # being fetched or waiting to be parsed, so memory stays flat however many feeds there are.
        to_fetch = iter(claimed)
        in_flight_cap = workers + 4 * max(parse_processes, 1)
        outstanding = 0

        def top_up() -> None:
            nonlocal outstanding
            while outstanding < in_flight_cap:
                feed = next(to_fetch, None)
                if feed is None:
                    return
                track(fetch_pool.submit(_fetch_one, client, feed, limits, parse_inline), feed)
                outstanding += 1

        top_up()
        try:
            while outstanding:
                if cancel is not None and cancel.is_set():
                    for future in live:
                        future.cancel()
                    break
                try:
                    future, context = finished.get(timeout=0.25)
                except queue.Empty:
                    continue
                outstanding -= 1
                live.discard(future)
                if isinstance(context, _Fetched):
                    run.record(context, _parse_outcome(future, context))
                else:
                    job = _handle_fetched(run, context, future, parse_pool)
                    if job is not None:
                        track(job[0], job[1])
                        outstanding += 1
                top_up()
        finally:
            run.flush()
            if parse_pool is not None:
                parse_pool.shutdown(wait=True, cancel_futures=True)
    run.summary.seconds = time.perf_counter() - started
    return run.summary


def _handle_fetched(
    run: _Run,
    feed: FeedToCheck,
    future: Future[_Fetched],
    parse_pool: ProcessPoolExecutor | None,
) -> tuple[Future[ParsedFeed | str], _Fetched] | None:
    """Record the fetch, or hand its body to the parse pool (returning that job)."""
    try:
        item = future.result()
    except Exception as exc:
        log.exception("Fetching feed %s failed", feed.id)
        failed = FetchResult(
            "error", feed.url, error_kind="network", message=f"Fetching failed ({exc})."
        )
        run.record(_Fetched(feed, failed), None)
        return None
    needs_parse = (
        item.result.ok and not item.unchanged and item.parsed is None and item.parse_error is None
    )
    if needs_parse and parse_pool is not None and item.result.body is not None:
        try:
            job = parse_pool.submit(
                parse_job, item.result.body, item.result.url, item.result.headers
            )
        except BrokenProcessPool:
            run.record(item, parse_job(item.result.body, item.result.url, item.result.headers))
            return None
        return job, item
    run.record(item, item.parsed if item.parse_error is None else item.parse_error)
    return None


def _parse_outcome(future: Future[ParsedFeed | str], item: _Fetched) -> ParsedFeed | str:
    try:
        return future.result()
    except BrokenProcessPool:
        body = item.result.body or b""
        return parse_job(body, item.result.url, item.result.headers)
    except Exception as exc:
        return f"The feed could not be read ({type(exc).__name__})."
