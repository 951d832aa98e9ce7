"""A local feed server for benchmarks: N generated feeds with ETag support, in its own process."""

from __future__ import annotations

import hashlib
import multiprocessing
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from typing import ClassVar

WORDS = [
    "cloud",
    "data",
    "migration",
    "warehouse",
    "security",
    "compliance",
    "audit",
    "hiring",
    "enablement",
    "onboarding",
    "pipeline",
    "revenue",
    "forecast",
    "procurement",
    "analytics",
    "dashboard",
    "platform",
    "integration",
    "customer",
    "retention",
    "pricing",
    "strategy",
    "quarter",
    "budget",
    "vendor",
    "evaluation",
    "roadmap",
]


def make_feed(index: int, entries: int) -> bytes:
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    items = []
    for n in range(entries):
        words = " ".join(WORDS[(index * 7 + n * 3 + k) % len(WORDS)] for k in range(60))
        items.append(
            f"<item><guid>https://blog{index}.example/posts/{n}</guid>"
            f"<title>Post {n} from blog {index}: {WORDS[(index + n) % len(WORDS)]}</title>"
            f"<link>https://blog{index}.example/posts/{n}</link>"
            f"<pubDate>{format_datetime(start - timedelta(hours=n))}</pubDate>"
            f"<description>&lt;p&gt;{words}&lt;/p&gt;&lt;p&gt;{words}&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Blog {index}</title><link>https://blog{index}.example/</link>"
        f"<description>Benchmark feed {index}</description>{''.join(items)}</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    feeds: ClassVar[dict[str, tuple[bytes, str]]] = {}

    def do_GET(self) -> None:
        found = self.feeds.get(self.path)
        if found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, etag = found
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(count: int, entries: int, ready: Connection) -> None:
    feeds = {}
    for i in range(count):
        body = make_feed(i, entries)
        feeds[f"/feeds/{i}.xml"] = (body, '"' + hashlib.sha1(body).hexdigest() + '"')
    _Handler.feeds = feeds
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    ready.send(server.server_address[1])
    server.serve_forever()


class FeedServer:
    """Starts the server process; `urls` are the feed addresses."""

    def __init__(self, count: int, entries: int) -> None:
        parent, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(count, entries, child), daemon=True
        )
        self._process.start()
        self.port: int = parent.recv()
        self.urls = [f"http://127.0.0.1:{self.port}/feeds/{i}.xml" for i in range(count)]

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(5)
