"""OPML import and export: how reps move their subscriptions between feed readers and this app.

Import reads files from anywhere (a colleague's mail, a download), so the XML goes through
defusedxml: entity-expansion bombs and external entities (which could read local files or call
internal servers) are refused before any expansion happens. Anything else a reader might
write is tolerated: OPML 1.0 to 2.0, any attribute case, folders nested to any depth.

The link between a feed and a prospect survives a round trip through attributes in our own
namespace, which other readers keep or ignore; the same feeds also sit in a "Prospects/<name>"
folder, so a reader that knows nothing of prospects still shows them grouped.
"""

from __future__ import annotations

import codecs
import re
import xml.parsers.expat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import defusedxml
import defusedxml.ElementTree

NAMESPACE = "https://smarketing-desktop.org/opml"
PREFIX = "smarketing"
PROSPECTS_FOLDER = "Prospects"
MAX_OPML_BYTES = 20 * 1024 * 1024
"""Far beyond any real subscription list (211 feeds take 37 KB), small enough to parse at once."""

_XML_DECLARATION = re.compile(
    rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"'][^>]*\?>"
)
# XML 1.0 forbids most control characters even when escaped; a name pasted from a spreadsheet
# can carry them, and one would make the whole exported file unreadable.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class OpmlError(ValueError):
    """The file cannot be imported; the message tells the rep why, with the line if relevant."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str | None
    site_url: str | None
    prospect_id: int | None
    prospect_name: str | None
    prospect_email: str | None
    category: str | None  # folder path like "Prospects/Jane Doe" or "Tech"


# --- Import -----------------------------------------------------------------------------------


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _broken_xml(exc: ParseError, data: bytes) -> OpmlError:
    line, column = exc.position
    reason = xml.parsers.expat.ErrorString(exc.code) or "not well-formed"
    if _looks_like_html(data):
        return OpmlError(
            "This file is a web page (HTML), not an OPML subscription list. "
            "Export your subscriptions as OPML from your feed reader and import that file."
        )
    return OpmlError(
        f"This OPML file is damaged: the XML is broken at line {line}, column {column + 1} "
        f"({reason}). Export it again from your feed reader, or fix that line."
    )


def _transcoded(data: bytes) -> bytes:
    """Expat reads only a few encodings; others (GB2312, Shift_JIS...) are converted first."""
    match = _XML_DECLARATION.match(data)
    if not match:
        raise OpmlError("This OPML file uses a text encoding that cannot be read.")
    name = match.group(1).decode("ascii")
    try:
        text = data[match.end() :].decode(codecs.lookup(name).name)
    except (LookupError, UnicodeDecodeError) as exc:
        raise OpmlError(
            f"This OPML file says it is written in “{name}”, which cannot be read."
        ) from exc
    return b'<?xml version="1.0" encoding="UTF-8"?>' + text.encode("utf-8")


def _parse_xml(data: bytes) -> Element:
    """Parse with entities and external references forbidden; every failure becomes OpmlError."""
    for attempt in range(2):
        try:
            return defusedxml.ElementTree.fromstring(
                data, forbid_dtd=False, forbid_entities=True, forbid_external=True
            )
        except defusedxml.EntitiesForbidden as exc:
            raise OpmlError(
                "This file declares XML entities, which OPML files never need and which can be "
                "used to attack the computer reading them. It was not imported."
            ) from exc
        except defusedxml.ExternalReferenceForbidden as exc:
            raise OpmlError(
                "This file refers to other files or web addresses from inside its XML, which "
                "OPML files never need. It was not imported."
            ) from exc
        except defusedxml.DefusedXmlException as exc:
            raise OpmlError(f"This file was refused for safety ({exc}).") from exc
        except ParseError as exc:
            raise _broken_xml(exc, data) from exc
        except (ValueError, LookupError) as exc:  # expat: "multi-byte encodings", unknown encoding
            if attempt:
                raise OpmlError("This OPML file uses a text encoding that cannot be read.") from exc
            data = _transcoded(data)
    raise AssertionError("unreachable")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _attributes(outline: Element) -> tuple[dict[str, str], dict[str, str]]:
    """Plain attributes and ours, keys lowercased: readers write xmlUrl, xmlurl and XMLURL."""
    plain: dict[str, str] = {}
    ours: dict[str, str] = {}
    for key, value in outline.attrib.items():
        if key.startswith("{"):
            if key.startswith("{" + NAMESPACE + "}"):
                ours.setdefault(_local(key), value.strip())
        else:
            plain.setdefault(key.lower(), value.strip())
    return plain, ours


def _web_url(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _outlines(body: Element) -> Iterator[tuple[Element, tuple[str, ...]]]:
    """Outlines with their folder path; iterative, so absurd nesting cannot exhaust the stack."""
    stack: list[tuple[Element, tuple[str, ...]]] = [
        (child, ()) for child in reversed(list(body)) if _local(child.tag) == "outline"
    ]
    while stack:
        outline, folders = stack.pop()
        yield outline, folders
        plain, _ = _attributes(outline)
        inner = folders
        if not plain.get("xmlurl"):
            name = plain.get("text") or plain.get("title")
            inner = (*folders, name) if name else folders
        children = [c for c in outline if _local(c.tag) == "outline"]
        stack.extend((child, inner) for child in reversed(children))


def _category(plain: dict[str, str], folders: tuple[str, ...]) -> str | None:
    if folders:
        return "/".join(folders)
    # Some readers file feeds with OPML 2.0's category attribute ("/Tech,/News") instead.
    first = plain.get("category", "").split(",")[0].strip().strip("/")
    return first or None


def _feed(outline: Element, folders: tuple[str, ...]) -> OpmlFeed | None:
    plain, ours = _attributes(outline)
    url = _web_url(plain.get("xmlurl"))
    if url is None:
        return None
    # `text` is what the reader displays (renamed by the user), `title` what the feed calls itself.
    title = plain.get("text") or plain.get("title") or None
    if title == url and not plain.get("title"):
        title = None  # our placeholder for an untitled feed: OPML requires some text
    return OpmlFeed(
        url=url,
        title=title,
        site_url=_web_url(plain.get("htmlurl")),
        prospect_id=_int_or_none(ours.get("prospectid")),
        prospect_name=ours.get("prospect") or None,
        prospect_email=ours.get("prospectemail") or None,
        category=_category(plain, folders),
    )


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed in the file, in file order, each address once (the first one wins).

    Outlines without a usable web address are skipped quietly: readers put notes, links and
    empty folders in OPML, and none of them is the rep's problem. A file that is not OPML at
    all is an OpmlError, so the rep does not mistake an empty import for success.
    """
    if not data.strip():
        raise OpmlError("The file is empty; it holds no subscriptions.")
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(
            f"The file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MB, "
            "far more than any subscription list; it was not imported."
        )
    root = _parse_xml(data)
    if _local(root.tag) != "opml":
        if _local(root.tag) == "html":
            raise OpmlError(
                "This file is a web page (HTML), not an OPML subscription list. "
                "Export your subscriptions as OPML from your feed reader and import that file."
            )
        raise OpmlError(
            f"This is an XML file, but not OPML (it starts with <{_local(root.tag)}>, not "
            "<opml>). Export your subscriptions as OPML from your feed reader."
        )
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError("This OPML file has no <body>, so it holds no subscriptions.")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline, folders in _outlines(body):
        feed = _feed(outline, folders)
        if feed is not None and feed.url not in seen:
            seen.add(feed.url)
            feeds.append(feed)
    return feeds


# --- Export -----------------------------------------------------------------------------------


def _clean(value: str) -> str:
    return _NOT_XML_CHARS.sub("", value)


def _attr(value: str) -> str:
    """Quoted attribute value; newlines and tabs as references so they survive re-reading."""
    escaped = escape(_clean(value), {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    return f'"{escaped}"'


def _folders(feed: OpmlFeed) -> tuple[str, ...]:
    if feed.category:
        return tuple(part.strip() for part in feed.category.split("/") if part.strip())
    if feed.prospect_name or feed.prospect_id is not None:
        name = feed.prospect_name or feed.prospect_email or f"#{feed.prospect_id}"
        return (PROSPECTS_FOLDER, name)
    return ()


def _feed_element(feed: OpmlFeed, folders: tuple[str, ...]) -> str:
    attrs = [("type", "rss"), ("text", feed.title or feed.url)]
    if feed.title:
        attrs.append(("title", feed.title))
    attrs.append(("xmlUrl", feed.url))
    if feed.site_url:
        attrs.append(("htmlUrl", feed.site_url))
    if folders:
        attrs.append(("category", "/" + "/".join(folders)))
    if feed.prospect_id is not None:
        attrs.append((f"{PREFIX}:prospectId", str(feed.prospect_id)))
    if feed.prospect_name:
        attrs.append((f"{PREFIX}:prospect", feed.prospect_name))
    if feed.prospect_email:
        attrs.append((f"{PREFIX}:prospectEmail", feed.prospect_email))
    return "<outline " + " ".join(f"{key}={_attr(value)}" for key, value in attrs) + "/>"


@dataclass
class _Folder:
    """Feeds and subfolders in first-seen order, so an export re-imports in the same order."""

    items: list[str | tuple[str, _Folder]]
    index: dict[str, _Folder]

    @classmethod
    def empty(cls) -> _Folder:
        return cls([], {})

    def folder(self, name: str) -> _Folder:
        if name not in self.index:
            self.index[name] = _Folder.empty()
            self.items.append((name, self.index[name]))
        return self.index[name]

    def render(self, depth: int) -> Iterator[str]:
        indent = "  " * depth
        for item in self.items:
            if isinstance(item, str):
                yield indent + item
                continue
            name, folder = item
            yield f"{indent}<outline text={_attr(name)} title={_attr(name)}>"
            yield from folder.render(depth + 1)
            yield f"{indent}</outline>"


def write_opml(
    feeds: Sequence[OpmlFeed], *, title: str = "Smarketing Desktop feeds", now: datetime
) -> bytes:
    """OPML 2.0 that any reader imports, with folders for categories and prospects.

    A feed without a category but with a prospect is filed under "Prospects/<name>", so the
    grouping shows even in readers that ignore our namespace. `now` is passed in rather than
    read, so exports are reproducible; a naive time is taken as UTC.
    """
    stamp = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    tree = _Folder.empty()
    for feed in feeds:
        folders = _folders(feed)
        node = tree
        for name in folders:
            node = node.folder(name)
        node.items.append(_feed_element(feed, folders))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:{PREFIX}="{NAMESPACE}">',
        "  <head>",
        f"    <title>{escape(_clean(title))}</title>",
        f"    <dateCreated>{format_datetime(stamp)}</dateCreated>",
        "  </head>",
        "  <body>",
        *tree.render(2),
        "  </body>",
        "</opml>",
        "",
    ]
    return "\n".join(lines).encode("utf-8", errors="replace")
