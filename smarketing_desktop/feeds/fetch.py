"""One careful HTTP GET of a feed: conditional, bounded, and explained in a rep's words.

feedparser's own fetching has no timeout and no size cap, so the app fetches itself:
- a wall-clock deadline for the whole exchange (a trickling server cannot hold a worker forever),
- caps on the bytes received and on the bytes after decompression (gzip bombs stop at the cap;
  decompression is done here, with zlib's `max_length`, rather than by the HTTP client),
- redirects followed by hand, so loops are caught and permanent moves (301/308) are reported,
- `If-None-Match` / `If-Modified-Since`, and `Retry-After` on 429/503.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3 import exceptions as http_errors

from smarketing_desktop import __version__, clock

USER_AGENT = (
    f"SmarketingDesktop/{__version__} (feed reader; +https://github.com/smarketing-desktop)"
)
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, text/html;q=0.7, */*;q=0.5"
)

Outcome = Literal["ok", "not_modified", "error"]
ErrorKind = Literal[
    "timeout",
    "network",
    "tls",
    "not_found",
    "gone",
    "auth",
    "rate_limited",
    "server",
    "http",
    "too_large",
    "redirects",
    "bad_url",
]


@dataclass(frozen=True)
class FetchLimits:
    deadline: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    max_body: int = 10 * 1024 * 1024
    max_decoded: int = 20 * 1024 * 1024
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchResult:
    outcome: Outcome
    url: str
    status_code: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # set when every redirect on the way was permanent
    retry_after: datetime | None = None
    error_kind: ErrorKind | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class _TooLargeError(Exception):
    pass


class _DeadlineError(Exception):
    pass


class HttpClient:
    """Pooled HTTP connections shared by a refresh's worker threads.

    urllib3 rather than a higher-level client: a refresh makes hundreds of small requests and
    urllib3's per-request cost is about half of httpx's (measured by bench/refresh.py), while
    everything above the socket (redirects, decompression, limits) is done here anyway.
    `route` maps a URL to the address actually contacted (tests send any host to 127.0.0.1).
    """

    def __init__(
        self,
        limits: FetchLimits = DEFAULT_LIMITS,
        *,
        max_connections: int = 8,
        route: Callable[[str], str] | None = None,
    ) -> None:
        self.limits = limits
        self._route = route
        self._headers = {
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        self._pool = urllib3.PoolManager(
            num_pools=64, maxsize=max_connections, block=False, retries=False
        )

    def open(
        self, url: str, headers: dict[str, str], limits: FetchLimits
    ) -> urllib3.BaseHTTPResponse:
        return self._pool.request(
            "GET",
            self._route(url) if self._route else url,
            headers={**self._headers, **headers},
            preload_content=False,
            decode_content=False,
            redirect=False,
            retries=False,
            timeout=urllib3.Timeout(connect=limits.connect_timeout, read=limits.read_timeout),
        )

    def close(self) -> None:
        self._pool.clear()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def make_client(limits: FetchLimits = DEFAULT_LIMITS, *, max_connections: int = 8) -> HttpClient:
    """One client per refresh run or discovery."""
    return HttpClient(limits, max_connections=max_connections)


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Seconds or an HTTP date, per RFC 9110; capped at a week so a typo cannot park a feed."""
    if not value:
        return None
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if when is None:
        return None
    return min(max(when, now), now + timedelta(days=7))


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _status_message(code: int, url: str) -> tuple[ErrorKind, str]:
    if code == 404:
        return "not_found", "The site answered 404: the feed has moved or been removed."
    if code == 410:
        return (
            "gone",
            "The site says this feed is gone for good (410). Remove it or find its new address.",
        )
    if code in (401, 403):
        return "auth", (
            f"The site refused access ({code}): this feed needs a login, "
            f"or {_host(url)} blocks feed readers."
        )
    if code == 429:
        return "rate_limited", "The site asked us to slow down (429); we will try again later."
    if code >= 500:
        return "server", f"The site had a problem ({code}); we will try again later."
    return "http", f"The site answered {code} instead of the feed."


class _Decoder:
    """Undoes Content-Encoding with a hard cap on the output size."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.encoding = encoding
        self._raw_deflate = False
        self._buffered = b""
        self._obj = self._make()

    def _make(self) -> zlib._Decompress | None:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)
        return None

    def feed(self, chunk: bytes) -> bytes:
        if self._obj is None:
            return self._count(chunk)
        if self.encoding == "deflate" and not self._raw_deflate and self.size == 0:
            self._buffered += chunk
        try:
            out = self._obj.decompress(chunk, self.cap - self.size + 1)
        except zlib.error:
            if self.encoding == "deflate" and not self._raw_deflate and self.size == 0:
                # Many servers send raw deflate without the zlib header: retry that way.
                self._raw_deflate = True
                self._obj = self._make()
                assert self._obj is not None
                buffered, self._buffered = self._buffered, b""
                return self.feed(buffered)
            raise
        parts = [self._count(out)]
        while self._obj.unconsumed_tail:
            parts.append(
                self._count(
                    self._obj.decompress(self._obj.unconsumed_tail, self.cap - self.size + 1)
                )
            )
        return b"".join(parts)

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.cap:
            raise _TooLargeError
        return data

    def finish(self) -> bytes:
        return self._count(self._obj.flush()) if self._obj is not None else b""


def fetch(
    client: HttpClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> FetchResult:
    """GET `url` within the limits. Never raises for network or server trouble."""
    started = time.monotonic()
    deadline = started + limits.deadline
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    current = url
    all_permanent = True
    seen = {url}
    for _hop in range(limits.max_redirects + 1):
        scheme = urlsplit(current).scheme
        if scheme not in ("http", "https"):
            return FetchResult(
                "error", current, error_kind="bad_url", message=f"{current} is not a web address."
            )
        try:
            result = _one_request(client, current, headers, limits, deadline)
        except _DeadlineError:
            return FetchResult(
                "error",
                current,
                error_kind="timeout",
                message=f"{_host(current)} did not finish sending the feed within "
                f"{limits.deadline:.0f} seconds.",
            )
        # NewConnectionError subclasses ConnectTimeoutError in urllib3, so it comes first.
        except http_errors.NewConnectionError as exc:
            return FetchResult(
                "error",
                current,
                error_kind="network",
                message=f"Could not reach {_host(current)} ({_connect_reason(exc)}).",
            )
        except (http_errors.ConnectTimeoutError, http_errors.ReadTimeoutError, TimeoutError):
            return FetchResult(
                "error",
                current,
                error_kind="timeout",
                message=f"{_host(current)} did not answer in time; we will try again later.",
            )
        except http_errors.SSLError:
            return FetchResult(
                "error",
                current,
                error_kind="tls",
                message=f"The security certificate of {_host(current)} could not be verified.",
            )
        except (http_errors.LocationValueError, http_errors.LocationParseError, UnicodeError):
            return FetchResult(
                "error", current, error_kind="bad_url", message=f"{current} is not a web address."
            )
        except (http_errors.HTTPError, zlib.error, OSError) as exc:
            return FetchResult(
                "error",
                current,
                error_kind="network",
                message=f"The connection to {_host(current)} broke off ({type(exc).__name__}).",
            )
        except _TooLargeError:
            size_mb = limits.max_body // (1024 * 1024)
            return FetchResult(
                "error",
                current,
                error_kind="too_large",
                message=f"The feed is larger than {size_mb} MB, so it was not downloaded.",
            )

        code = result.status_code or 0
        if code in (301, 302, 303, 307, 308):
            location = result.headers.get("location")
            if not location:
                return FetchResult(
                    "error",
                    current,
                    code,
                    error_kind="http",
                    message=f"The site answered {code} without saying where to go.",
                )
            target = urljoin(current, location)
            all_permanent = all_permanent and code in (301, 308)
            if target in seen:
                return FetchResult(
                    "error",
                    current,
                    code,
                    error_kind="redirects",
                    message="The address redirects in a loop, so the feed cannot be read.",
                )
            seen.add(target)
            current = target
            continue
        moved = current if (current != url and all_permanent) else None
        return _finish(result, moved)
    return FetchResult(
        "error",
        current,
        error_kind="redirects",
        message=f"The address redirected more than {limits.max_redirects} times, "
        "so the feed was not read.",
    )


def _connect_reason(exc: Exception) -> str:
    if isinstance(exc, http_errors.NameResolutionError):
        return "the name was not found"
    text = str(exc).lower()
    if "refused" in text:
        return "the connection was refused"
    if "unreachable" in text:
        return "the network is unreachable"
    return "the connection failed"


def _one_request(
    client: HttpClient, url: str, headers: dict[str, str], limits: FetchLimits, deadline: float
) -> FetchResult:
    response = client.open(url, headers, limits)
    finished = False
    try:
        code = response.status
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        if code != 200:
            finished = code == 304  # no body: the connection can be reused
            return FetchResult("error", url, code, headers=response_headers)
        declared = response_headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_body:
            raise _TooLargeError
        decoder = _Decoder(
            response_headers.get("content-encoding", "").strip().lower(), limits.max_decoded
        )
        received = 0
        parts: list[bytes] = []
        # read1 returns whatever has arrived, so a trickling server meets the deadline check.
        while chunk := response.read1(65536, decode_content=False):
            received += len(chunk)
            if received > limits.max_body:
                raise _TooLargeError
            if time.monotonic() > deadline:
                raise _DeadlineError
            parts.append(decoder.feed(chunk))
        parts.append(decoder.finish())
        finished = True
        return FetchResult("ok", url, code, body=b"".join(parts), headers=response_headers)
    finally:
        if not finished:
            response.close()  # an unread body must not poison the pooled connection
        response.release_conn()


def _finish(result: FetchResult, moved: str | None) -> FetchResult:
    code = result.status_code or 0
    headers = result.headers
    now = clock.now()
    if code == 304:
        return FetchResult(
            "not_modified",
            result.url,
            code,
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            moved_to=moved,
        )
    if code == 200:
        return FetchResult(
            "ok",
            result.url,
            code,
            body=result.body,
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            moved_to=moved,
        )
    kind, message = _status_message(code, result.url)
    retry_after = parse_retry_after(headers.get("retry-after"), now) if code in (429, 503) else None
    if retry_after is not None:
        local = retry_after.astimezone().strftime("%H:%M")
        message = f"{message.rstrip('.')}; the site asked us to wait until {local}."
    return FetchResult(
        "error",
        result.url,
        code,
        headers=headers,
        moved_to=moved,
        retry_after=retry_after,
        error_kind=kind,
        message=message,
    )
