"""Turn what a rep types (a site, a feed, a social profile) into a feed address that works.

Reps paste whatever they have: a blog's home page, a post, a feed, `@jane@mastodon.social`,
`jane.bsky.social`, a YouTube channel. Profiles on the big platforms map to known feed addresses
without any guessing; everything else follows the order feed readers settled on long ago:
is it already a feed? else `<link rel="alternate">` in the page, else the paths blog engines use.

The format is decided by the bytes, never by the extension or Content-Type: servers mislabel
feeds all the time. Every fetch counts against a small budget, and an unreachable host is
not asked again, so a typo costs seconds, not minutes. When nothing works, the error lists
each address tried and why it failed, so the rep can tell a typo from a site without a feed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import parse_qs, quote, urljoin, urlsplit, urlunsplit

from smarketing_desktop.feeds.fetch import FetchLimits, FetchResult, HttpClient, fetch
from smarketing_desktop.feeds.parse import ParsedFeed, parse_feed

Kind = Literal["feed", "mastodon", "bluesky", "youtube", "substack", "medium"]

DEFAULT_LIMITS = FetchLimits()

MAX_FETCHES = 12
"""Requests one discovery may make. A site with a feed yields it within a handful."""

WELL_KNOWN_PATHS = (
    "feed",
    "rss.xml",
    "atom.xml",
    "index.xml",
    "feed.json",
    "feed.xml",
    "rss",
    "index.rss",
)

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
)
# WordPress marks its REST API as `rel=alternate type=application/json` on every page, so a plain
# JSON link is more often an API than a JSON Feed: such links are tried after the typed ones.
GENERIC_JSON_TYPE = "application/json"

YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
MEDIUM_HOSTS = frozenset({"medium.com", "www.medium.com"})
MEDIUM_NOT_PUBLICATIONS = frozenset({"p", "m", "me", "search", "about", "plans", "membership"})

_CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")
_CHANNEL_PATH = re.compile(r"/channel/(UC[0-9A-Za-z_-]{22})")
_CHANNEL_JSON = re.compile(r'"(?:channelId|externalId)"\s*:\s*"(UC[0-9A-Za-z_-]{22})"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NON_WEB_SCHEME = re.compile(r"^(?:mailto|javascript|data|file|tel|about|ftp):", re.IGNORECASE)
_HOST_LABELS = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$"
)
_FEDI_USER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_MASTODON_PATH = re.compile(r"^/@([A-Za-z0-9_][A-Za-z0-9_.-]*)(?:@([A-Za-z0-9.-]+))?(?:/.*)?$")

INPUT_HELP = (
    "Type the address of a website or feed, or a profile: @name@instance (Mastodon), "
    "name.bsky.social (Bluesky), or a YouTube, Substack or Medium address."
)


class DiscoveryError(ValueError):
    """No feed could be found; the message says what was tried, in words a rep understands."""


@dataclass(frozen=True)
class Discovery:
    feed_url: str
    title: str | None
    kind: Kind
    fetched: FetchResult
    parsed: ParsedFeed


# --- Reading pages: pure functions on bytes ------------------------------------------------


def _decode(body: bytes) -> str:
    """Links are ASCII in practice, so a best-effort decode is enough and never fails."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


class _PageScanner(HTMLParser):
    """Collects what discovery needs from a page; html.parser shrugs off broken markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first_tag: str | None = None
        self.doctype: str | None = None
        self.base_href: str | None = None
        self.alternates: list[tuple[str, str]] = []  # (href, type) in document order
        self.urls_naming_channel: list[str] = []  # canonical, og:url, twitter:url
        self.meta_channel_id: str | None = None

    def handle_decl(self, decl: str) -> None:
        if self.doctype is None:
            self.doctype = decl.lower()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.first_tag is None:
            self.first_tag = tag
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name.lower(), (value or "").strip())
        if tag == "base" and self.base_href is None and values.get("href"):
            self.base_href = values["href"]
        elif tag == "link":
            self._link(values)
        elif tag == "meta":
            self._meta(values)

    def _link(self, values: dict[str, str]) -> None:
        rels = values.get("rel", "").lower().split()
        href = values.get("href", "")
        if not href:
            return
        if "alternate" in rels:
            media_type = values.get("type", "").split(";")[0].strip().lower()
            if media_type in (*FEED_TYPES, GENERIC_JSON_TYPE):
                self.alternates.append((href, media_type))
        if "canonical" in rels:
            self.urls_naming_channel.append(href)

    def _meta(self, values: dict[str, str]) -> None:
        content = values.get("content", "")
        if values.get("itemprop", "").lower() == "channelid" and _CHANNEL_ID.fullmatch(content):
            self.meta_channel_id = self.meta_channel_id or content
        key = (values.get("property") or values.get("name") or "").lower()
        if key in ("og:url", "twitter:url"):
            self.urls_naming_channel.append(content)


def _scan(body: bytes) -> _PageScanner:
    scanner = _PageScanner()
    try:
        scanner.feed(_decode(body))
        scanner.close()
    except AssertionError:
        # html.parser still asserts on a few malformed declarations (`<![ x`); keep what it saw.
        pass
    return scanner


def looks_like_html(body: bytes) -> bool:
    """By the first tag, not the Content-Type: servers label feeds as HTML and vice versa."""
    scanner = _scan(body[:4096])
    if scanner.doctype is not None and scanner.doctype.startswith("doctype html"):
        return True
    return scanner.first_tag in ("html", "head", "body")


def _http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for ports out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and _valid_host(parts.hostname or "")


def feed_links(html: bytes, base_url: str) -> list[str]:
    """Feed addresses a page advertises, absolute, in document order, typed links before JSON.

    Relative hrefs resolve against `<base href>` when the page has one (itself relative to the
    page), which is how browsers and feed readers resolve them.
    """
    scanner = _scan(html)
    base = base_url
    if scanner.base_href:
        with contextlib.suppress(ValueError):  # a broken <base> is ignored, as browsers do
            base = urljoin(base_url, scanner.base_href)
    typed = [href for href, kind in scanner.alternates if kind != GENERIC_JSON_TYPE]
    generic = [href for href, kind in scanner.alternates if kind == GENERIC_JSON_TYPE]
    links: list[str] = []
    for href in (*typed, *generic):
        try:
            url = urljoin(base, href)
        except ValueError:
            continue
        url = url.split("#", 1)[0]
        if _http_url(url) and url not in links:
            links.append(url)
    return links


def youtube_channel_id(html: bytes) -> str | None:
    """A channel page names its id in metadata; the JSON blob is the fallback for lean pages."""
    scanner = _scan(html)
    if scanner.meta_channel_id:
        return scanner.meta_channel_id
    for url in scanner.urls_naming_channel:
        match = _CHANNEL_PATH.search(url)
        if match:
            return match.group(1)
    match = _CHANNEL_JSON.search(_decode(html))
    return match.group(1) if match else None


def youtube_feed_url(channel_id: str) -> str:
    return f"https://www.youtube.com/feeds/videos.xml?channel_id={channel_id}"


def well_known_urls(page_url: str) -> list[str]:
    """The paths blog engines publish feeds at, under the page's folder first, then the root.

    Interleaved so the most common names are tried in both places before the budget runs out.
    """
    parts = urlsplit(page_url)
    root = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
    folder_path = parts.path if parts.path.endswith("/") else parts.path + "/"
    folder = urlunsplit((parts.scheme, parts.netloc, folder_path, "", ""))
    bases = [folder, root] if folder != root else [root]
    return [base + name for name in WELL_KNOWN_PATHS for base in bases]


# --- From what was typed to candidate addresses: pure ---------------------------------------


@dataclass(frozen=True)
class _Plan:
    kind: Kind
    candidates: list[str]
    # A page to examine if the candidates fail: set when the kind was only guessed from the
    # shape of the address (`https://host/@name` is Mastodon-like, but so is TikTok).
    fallback_page: str | None = None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _valid_host(host: str) -> bool:
    if _is_loopback(host) or ":" in host:  # IPv6 literals come without brackets from urlsplit
        return True
    if re.fullmatch(r"[0-9.]+", host):
        return host.count(".") == 3
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return bool(_HOST_LABELS.match(ascii_host))


def normalize_url(text: str) -> str:
    """A web address with a scheme, a lowercase host and a path; DiscoveryError if it is none.

    Without a scheme, https is assumed (what browsers do now), except on this machine, where
    test and development servers speak plain http.
    """
    original = text
    if text.lower().startswith("feed:"):
        rest = text[5:]
        text = "https:" + rest if rest.startswith("//") else rest
    if _NON_WEB_SCHEME.match(text) and not _SCHEME.match(text):
        raise DiscoveryError(f"“{original}” is not a web address. {INPUT_HELP}")
    if not _SCHEME.match(text):
        try:
            host = urlsplit("//" + text).hostname or ""
        except ValueError:
            host = ""
        text = ("http://" if _is_loopback(host) else "https://") + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise DiscoveryError(f"“{original}” is not a valid web address. {INPUT_HELP}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise DiscoveryError(
            f"“{original}” is not a web address: only http:// and https:// addresses can be read."
        )
    if not host or not _valid_host(host):
        raise DiscoveryError(f"“{original}” does not look like a web address. {INPUT_HELP}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _handle_plan(text: str) -> _Plan | None:
    """Bare profile handles. Custom-domain Bluesky handles look like websites, so a bare name
    counts as Bluesky only when it ends in .bsky.social or starts with a single @."""
    lowered = text.lower()
    if "/" in text or ":" in text:
        return None
    at_count = text.count("@")
    if (at_count == 2 and text.startswith("@")) or (at_count == 1 and not text.startswith("@")):
        user, _, instance = text.lstrip("@").partition("@")
        instance = instance.lower()
        if not _FEDI_USER.match(user) or not _valid_host(instance):
            raise DiscoveryError(
                f"“{text}” looks like a Mastodon address but is not one: they look like "
                "@name@mastodon.social."
            )
        return _Plan("mastodon", [f"https://{instance}/@{user}.rss"])
    if (at_count == 0 and lowered.endswith(".bsky.social")) or (
        at_count == 1 and text.startswith("@")
    ):
        handle = lowered.lstrip("@")
        if not _valid_host(handle):
            raise DiscoveryError(
                f"“{text}” is not a Bluesky handle: they look like name.bsky.social. "
                "For Mastodon, type @name@instance."
            )
        return _Plan("bluesky", [f"https://bsky.app/profile/{handle}/rss"])
    if at_count:
        raise DiscoveryError(f"“{text}” is not an address or a profile. {INPUT_HELP}")
    return None


def _youtube_plan(url: str) -> _Plan:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    page = urlunsplit(("https", "www.youtube.com", parts.path, parts.query, ""))
    if parts.path == "/feeds/videos.xml":
        return _Plan("youtube", [page])
    if len(segments) >= 2 and segments[0] == "channel" and _CHANNEL_ID.fullmatch(segments[1]):
        return _Plan("youtube", [youtube_feed_url(segments[1])])
    if segments[:1] == ["playlist"] and query.get("list"):
        playlist = quote(query["list"][0], safe="")
        return _Plan(
            "youtube", [f"https://www.youtube.com/feeds/videos.xml?playlist_id={playlist}"]
        )
    candidates = [page]  # handle, /c/, /user/ and video pages name their channel inside
    if len(segments) >= 2 and segments[0] == "user":
        user = quote(segments[1], safe="")
        candidates.append(f"https://www.youtube.com/feeds/videos.xml?user={user}")
    return _Plan("youtube", candidates)


def _medium_plan(url: str, host: str) -> _Plan | None:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if host not in MEDIUM_HOSTS:  # user.medium.com
        return _Plan("medium", [f"https://{host}/feed"])
    if not segments or segments[0] in MEDIUM_NOT_PUBLICATIONS:
        return None
    if segments[0] == "feed":
        return _Plan("medium", [url])
    if segments[0] == "tag" and len(segments) >= 2:
        return _Plan("medium", [f"https://medium.com/feed/tag/{segments[1]}"])
    return _Plan("medium", [f"https://medium.com/feed/{segments[0]}"])


def _site_plan(url: str) -> _Plan:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host in YOUTUBE_HOSTS:
        return _youtube_plan(url)
    if host.endswith(".bsky.social") and host.count(".") == 2:
        return _Plan("bluesky", [f"https://bsky.app/profile/{host}/rss"])
    if host == "bsky.app":
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) >= 2 and segments[0] == "profile":
            return _Plan("bluesky", [f"https://bsky.app/profile/{segments[1].lower()}/rss"])
    if host.endswith(".substack.com") and host.count(".") == 2 and not host.startswith("www."):
        return _Plan("substack", [f"https://{host}/feed"])
    if host in MEDIUM_HOSTS or (host.endswith(".medium.com") and host.count(".") == 2):
        plan = _medium_plan(url, host)
        if plan is not None:
            return plan
    match = _MASTODON_PATH.match(parts.path)
    if match and not parts.path.endswith(".rss"):
        user, home = match.group(1), (match.group(2) or parts.netloc).lower()
        scheme = parts.scheme if home == parts.netloc.lower() else "https"
        return _Plan("mastodon", [f"{scheme}://{home}/@{user}.rss"], fallback_page=url)
    if match:
        return _Plan("mastodon", [url])
    return _Plan("feed", [url])


def _plan(user_input: str) -> _Plan:
    text = user_input.strip()
    if not text:
        raise DiscoveryError(INPUT_HELP)
    if re.search(r"\s", text):
        raise DiscoveryError(f"“{text}” is not an address: addresses have no spaces. {INPUT_HELP}")
    plan = _handle_plan(text)
    if plan is not None:
        return plan
    return _site_plan(normalize_url(text))


def candidate_urls(user_input: str) -> tuple[Kind, list[str]]:
    """What the input names and the addresses to try, in order, without touching the network.

    YouTube handle pages appear as themselves: their channel id is only known by reading them.
    """
    plan = _plan(user_input)
    return plan.kind, list(plan.candidates)


# --- The search: fetches within a budget, remembering every step for the error message -----

_REASONS = {
    "network": "could not connect",
    "timeout": "no answer in time",
    "tls": "certificate could not be verified",
    "too_large": "too large",
    "redirects": "too many redirects",
    "bad_url": "not a web address",
}


def _reason(result: FetchResult) -> str:
    special = _REASONS.get(result.error_kind or "")
    if special:
        return special
    if result.status_code and result.status_code != 200:
        return str(result.status_code)
    return result.message or "failed"


def _read_feed(result: FetchResult) -> ParsedFeed | None:
    body = result.body
    if not body or looks_like_html(body):
        return None
    try:
        return parse_feed(body, url=result.url, headers=result.headers)
    except Exception:
        # FeedParseError is the expected refusal, but hostile bytes can trip other errors in the
        # parsers; to the rep all of them mean the same thing: this address is not a feed.
        return None


@dataclass
class _Search:
    client: HttpClient
    limits: FetchLimits
    origin: str | None
    attempts: list[str] = field(default_factory=list)
    fetched: dict[str, FetchResult] = field(default_factory=dict)
    unreachable: set[str] = field(default_factory=set)
    fetches: int = 0
    out_of_budget: bool = False

    def label(self, url: str) -> str:
        if url == self.origin:
            return "the address itself"
        if self.origin and urlsplit(url).netloc == urlsplit(self.origin).netloc:
            parts = urlsplit(url)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return url

    def note(self, url: str, reason: str) -> None:
        self.attempts.append(f"{self.label(url)} ({reason})")

    def fetch(self, url: str) -> FetchResult | None:
        """None when the budget is spent or the host already failed to answer."""
        if url in self.fetched:
            return self.fetched[url]
        netloc = urlsplit(url).netloc
        if netloc in self.unreachable:
            return None
        if self.fetches >= MAX_FETCHES:
            self.out_of_budget = True
            return None
        self.fetches += 1
        try:
            result = fetch(self.client, url, limits=self.limits)
        except (ValueError, UnicodeError):
            # fetch() promises no network exceptions; addresses from pages can still be garbage.
            result = FetchResult("error", url, error_kind="bad_url", message="not a web address")
        self.fetched[url] = result
        if result.error_kind in ("network", "timeout", "tls"):
            self.unreachable.add(netloc)
        return result

    def found(self, url: str, result: FetchResult, parsed: ParsedFeed, kind: Kind) -> Discovery:
        title = " ".join(parsed.title.split()) if parsed.title else None
        return Discovery(result.moved_to or url, title or None, kind, result, parsed)

    def try_feed(self, url: str, kind: Kind) -> Discovery | None:
        seen = url in self.fetched
        result = self.fetch(url)
        if result is None or seen:
            return None
        if not result.ok:
            self.note(url, _reason(result))
            return None
        parsed = _read_feed(result)
        if parsed is not None:
            return self.found(url, result, parsed, kind)
        self.note(url, "an HTML page" if looks_like_html(result.body or b"") else "not a feed")
        return None

    def explore(self, url: str, kind: Kind, *, well_known: bool) -> Discovery | None:
        """Is it a feed? Else the page's own links, then (for plain sites) the usual paths."""
        if url in self.fetched:
            return None
        result = self.fetch(url)
        if result is None:
            return None
        if not result.ok:
            self.note(url, _reason(result))
            return None
        parsed = _read_feed(result)
        if parsed is not None:
            return self.found(url, result, parsed, kind)
        body = result.body or b""
        is_html = looks_like_html(body)
        links = feed_links(body, result.url)
        if kind == "youtube" or urlsplit(result.url).hostname in YOUTUBE_HOSTS:
            channel = youtube_channel_id(body)
            if channel and youtube_feed_url(channel) not in links:
                links.append(youtube_feed_url(channel))
        self.note(url, "an HTML page" if is_html else "not a feed")
        if not links and is_html:
            self.attempts.append("links in the page (none)")
        for link in links:
            found = self.try_feed(link, kind)
            if found is not None:
                return found
        if well_known:
            for guess in well_known_urls(result.url):
                found = self.try_feed(guess, kind)
                if found is not None:
                    return found
        return None

    def failure(self, user_input: str) -> DiscoveryError:
        shown = user_input.strip()
        shown = shown if len(shown) <= 200 else shown[:199] + "…"
        tried = ", ".join(self.attempts) or "nothing could be fetched"
        message = f"No feed found for {shown}. Tried: {tried}."
        if self.out_of_budget:
            message += f" Stopped after {MAX_FETCHES} addresses."
        return DiscoveryError(message)


def discover(
    client: HttpClient, user_input: str, *, limits: FetchLimits = DEFAULT_LIMITS
) -> Discovery:
    """The feed behind what the rep typed, fetched and parsed, or a DiscoveryError saying why not.

    The successful fetch is returned too, so the caller stores entries and validators without
    asking the site a second time.
    """
    plan = _plan(user_input)
    search = _Search(client, limits, plan.candidates[0] if plan.kind == "feed" else None)
    for candidate in plan.candidates:
        found = search.explore(candidate, plan.kind, well_known=plan.kind == "feed")
        if found is not None:
            return found
    if plan.fallback_page is not None:
        search.origin = plan.fallback_page
        found = search.explore(plan.fallback_page, "feed", well_known=True)
        if found is not None:
            return found
    raise search.failure(user_input)
