"""Every feed in the shared corpora goes through the ingest path: no crash, no hang.

Each file either parses (with as many entries as feedparser finds, stored under distinct
identities) or is refused with a message a rep can read.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import feedparser
import pytest

from smarketing_desktop import clock
from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.fetch import FetchResult
from smarketing_desktop.feeds.parse import (
    FeedParseError,
    ParsedFeed,
    looks_like_json_feed,
    parse_feed,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FEEDPARSER = CORPUS / "feedparser"
REALWORLD = CORPUS / "realworld"
# Parsing twice (ours and feedparser's count) is what makes this test slow; the few
# multi-hundred-kilobyte podcasts add time, not coverage.
COMPARE_BELOW_BYTES = 250_000

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="shared corpus not checked out beside the repo"
)


def corpus_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and "expected-output" not in p.as_posix() and p.suffix != ".txt"
    )


def ingest(path: Path) -> tuple[ParsedFeed | None, str | None]:
    """(parsed feed, None) or (None, message)."""
    data = path.read_bytes()
    try:
        parsed = parse_feed(data)
    except FeedParseError as exc:
        return None, str(exc)
    if not looks_like_json_feed(data) and len(data) < COMPARE_BELOW_BYTES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = len(feedparser.parse(data).entries)
        assert len(parsed.entries) == expected, path
    for entry in parsed.entries:
        assert entry.title, path  # every post gets a display title
        assert "<script" not in (entry.content or "").lower(), path
    return parsed, None


def test_feedparser_suite_parses_or_is_refused_clearly() -> None:
    files = corpus_files(FEEDPARSER)
    assert len(files) > 2000
    refused = {}
    for path in files:
        _, message = ingest(path)
        if message is not None:
            refused[path.relative_to(FEEDPARSER).as_posix()] = message
    assert all(m.endswith(".") and "Traceback" not in m for m in refused.values())
    # Only files without a usable feed are refused: empty documents, bare compressed bytes,
    # Channel Definition Format snippets without items.
    assert len(refused) < 20, refused


def test_real_world_feeds_are_stored_with_distinct_identities(db: Database) -> None:
    repo = FeedRepository(db)
    stored_feeds = refused = 0
    for path in corpus_files(REALWORLD):
        parsed, _message = ingest(path)
        if parsed is None:
            refused += 1
            continue
        data = path.read_bytes()
        feed = repo.add_feed(f"https://corpus.example/{path.relative_to(REALWORLD).as_posix()}")
        fetched = FetchResult("ok", feed.url, 200, body=data)
        result = repo.store(feed.id, fetched, parsed, hashlib.sha256(data).hexdigest(), clock.now())
        assert len(result.new_ids) == len({e.key for e in parsed.entries}) <= len(parsed.entries)
        stored_feeds += 1
    assert stored_feeds >= 60
    assert refused <= 20  # HTML pages and OPML files in the folder, and a few broken feeds


@pytest.mark.parametrize(
    "name",
    [
        "netnewswire/kc0011.rss",
        "rss-parser/input/uolNoticias.rss",
        "rss-parser/input/itunes-keywords-array.rss",
    ],
)
def test_hard_encodings_and_sloppy_xml_still_give_posts(name: str) -> None:
    parsed, message = ingest(REALWORLD / name)
    assert message is None and parsed is not None and parsed.entries


def test_json_feed_is_read_although_feedparser_cannot() -> None:
    parsed = parse_feed((REALWORLD / "netnewswire" / "DaringFireball.json").read_bytes())
    assert parsed.title == "Daring Fireball"
    assert len(parsed.entries) == 48
    assert all(e.link for e in parsed.entries)
