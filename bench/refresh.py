"""Refresh benchmark: Smarketing Desktop's feed engine against the `reader` library.

Serves N feeds of M entries (ETag support) from a local server process, then, each contender
in a fresh subprocess with a fresh database:
  pass 1: first refresh (everything new), pass 2: every feed answers 304.
Reports seconds, peak memory (max RSS of the refreshing process and of its worker processes)
and the ratio to reader's fastest worker count. Floors (issue): at most half of reader's time
on both passes, peak memory at most 150 MB.

    make bench-refresh        (or: .venv/bin/python -m bench.refresh --feeds 500 --entries 20)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.feed_server import FeedServer

MEMORY_FLOOR_MB = 150


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run_ours(urls: list[str], home: Path) -> dict[str, Any]:
    from smarketing_desktop.db.repositories.feeds import FeedRepository
    from smarketing_desktop.db.store import open_database
    from smarketing_desktop.feeds.refresh import refresh_feeds
    from smarketing_desktop.paths import resolve_workspace

    db = open_database(resolve_workspace(home=home))
    repo = FeedRepository(db)
    for url in urls:
        repo.add_feed(url)
    first = refresh_feeds(repo)
    second = refresh_feeds(repo)
    own, children = _peak_mb()
    return {
        "first": first.seconds,
        "second": second.seconds,
        "new_entries": first.new_entries,
        "errors": first.errors + second.errors,
        "not_modified": second.not_modified,
        "peak_mb": own,
        "workers_peak_mb": children,
    }


def run_reader(urls: list[str], home: Path, workers: int) -> dict[str, Any]:
    from reader import make_reader

    reader = make_reader(str(home / "reader.sqlite"))
    for url in urls:
        reader.add_feed(url)
    started = time.perf_counter()
    reader.update_feeds(workers=workers)
    first = time.perf_counter() - started
    entries = reader.get_entry_counts().total
    started = time.perf_counter()
    reader.update_feeds(workers=workers, scheduled=False)
    second = time.perf_counter() - started
    own, children = _peak_mb()
    reader.close()
    return {
        "first": first,
        "second": second,
        "new_entries": entries,
        "peak_mb": own,
        "workers_peak_mb": children,
    }


def _in_subprocess(contender: str, urls_file: Path, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as home:
        argv = [
            sys.executable,
            "-m",
            "bench.refresh",
            "--run",
            contender,
            "--urls",
            str(urls_file),
            "--workers",
            str(workers),
            "--home",
            home,
        ]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument(
        "--reader-workers", default="4,8,16,32", help="worker counts to try for reader"
    )
    parser.add_argument("--run", choices=("ours", "reader"), help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=16, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run:
        urls = Path(args.urls).read_text().split()
        home = Path(args.home)
        result = (
            run_ours(urls, home) if args.run == "ours" else run_reader(urls, home, args.workers)
        )
        print(json.dumps(result))
        return 0

    server = FeedServer(args.feeds, args.entries)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join(server.urls))
            urls_file = Path(handle.name)
        print(f"{args.feeds} feeds x {args.entries} entries served from 127.0.0.1:{server.port}")
        ours = _in_subprocess("ours", urls_file, 16)
        print(
            f"smarketing  pass 1 {ours['first']:6.2f} s  pass 2 (304) {ours['second']:6.2f} s  "
            f"peak {ours['peak_mb']:5.0f} MB (parse workers {ours['workers_peak_mb']:.0f} MB)  "
            f"entries {ours['new_entries']}  errors {ours['errors']}"
        )
        best: dict[str, Any] | None = None
        for workers in (int(w) for w in args.reader_workers.split(",")):
            theirs = _in_subprocess("reader", urls_file, workers)
            print(
                f"reader w={workers:<3} pass 1 {theirs['first']:6.2f} s  "
                f"pass 2 (304) {theirs['second']:6.2f} s  "
                f"peak {theirs['peak_mb']:5.0f} MB  entries {theirs['new_entries']}"
            )
            if best is None or theirs["first"] + theirs["second"] < best["first"] + best["second"]:
                best = {**theirs, "workers": workers}
        assert best is not None
        ratio_first = ours["first"] / best["first"]
        ratio_second = ours["second"] / best["second"]
        print(
            f"ratio vs reader (workers={best['workers']}): "
            f"pass 1 {ratio_first:.2f}  pass 2 {ratio_second:.2f}"
        )
        floors = {
            "pass 1 at most half of reader's time": ratio_first <= 0.5,
            "pass 2 at most half of reader's time": ratio_second <= 0.5,
            f"peak memory at most {MEMORY_FLOOR_MB} MB": ours["peak_mb"] <= MEMORY_FLOOR_MB,
            "every entry stored": ours["new_entries"] == args.feeds * args.entries,
        }
        for floor, ok in floors.items():
            print(f"  {'PASS' if ok else 'FAIL'}  {floor}")
        urls_file.unlink()
        return 0 if all(floors.values()) else 1
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
