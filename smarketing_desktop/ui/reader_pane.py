"""The Inbox's right pane: one post, readable, with nothing in it able to reach the network.

Post HTML is sanitized before it is stored, but even clean HTML can carry remote images, and an
image fetched from a sender's server tells them who read what and when (the reason mail
programs block them). So the browser never loads anything itself: `loadResource` answers remote
images from a cache, and fills that cache only for feeds the rep allowed, through the task
runner and the app's own bounded fetcher. Local files are never read either. Links open in the
rep's browser; the pane never navigates.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTextBrowser,
    QWidget,
)

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.feeds import EntryInfo
from smarketing_desktop.feeds.fetch import FetchLimits, fetch, make_client
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.formatting import format_datetime
from smarketing_desktop.ui.list_area import detail_pages
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

NOTHING_SELECTED = "Select a post to read it."
IMAGES_BLOCKED = "Remote images are blocked (they can track you)."
LOAD_IMAGES = "Load images for this feed"
FOLLOW_UP_TIP = "Add a follow-up to comment on this post, for its prospect (F)"
NO_PROSPECT_TIP = "This post's feed belongs to no prospect: move the feed to a prospect first"
IMAGE_LIMITS = FetchLimits(
    deadline=10.0,
    connect_timeout=5.0,
    read_timeout=8.0,
    max_body=5 * 1024 * 1024,
    max_decoded=10 * 1024 * 1024,
)
MAX_CACHED_IMAGES = 200
REMOTE_SCHEMES = ("http", "https")
# Sanitized markup has quoted attributes only; size attributes are dropped so wide images can be
# scaled to the pane instead of forcing a horizontal scroll bar.
_IMG_SIZE = re.compile(r'\s(?:width|height)="[^"]*"', re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)

ImageFetcher = Callable[[str], bytes]


def fetch_image(url: str) -> bytes:
    """Runs on a network worker: the same bounded fetcher as feeds, so no request hangs."""
    with make_client(IMAGE_LIMITS, max_connections=2) as client:
        result = fetch(client, url, limits=IMAGE_LIMITS)
    if not result.ok or not result.body:
        raise UserError(f"An image could not be loaded: {result.message or url}")
    return result.body


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            source = dict(attrs).get("src")
            if source:
                self.sources.append(source)


def remote_image_urls(content: str, base: str | None) -> list[str]:
    """The http(s) images a post would show, absolute, each once, in order."""
    scanner = _ImageSources()
    scanner.feed(content)
    base_url = QUrl(base or "")
    found: list[str] = []
    for source in scanner.sources:
        url = base_url.resolved(QUrl(source)) if base else QUrl(source)
        if url.scheme() in REMOTE_SCHEMES:
            text = url.toString()
            if text not in found:
                found.append(text)
    return found


def _without_image_sizes(content: str) -> str:
    return _IMG_TAG.sub(lambda m: _IMG_SIZE.sub("", m.group(0)), content)


def render_entry(entry: EntryInfo, source: str, palette: QPalette) -> str:
    """The post as one HTML document: a heading, who and when, then the sanitized body."""
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    meta = [part for part in (entry.author, source) if part]
    if entry.published is not None:
        meta.append(format_datetime(entry.published))
    parts = [f"<h2>{html.escape(entry.title)}</h2>"]
    if meta:
        parts.append(f'<p style="color:{muted}">{html.escape(" · ".join(meta))}</p>')
    if entry.link:
        link = html.escape(entry.link, quote=True)
        parts.append(f'<p><a href="{link}">{html.escape(entry.link)}</a></p>')
    if entry.is_signal:
        terms = ", ".join(f"“{t}”" for t in entry.signal_terms) or "a signal phrase"
        parts.append(f"<p><b>⚑ Buying signal:</b> mentions {html.escape(terms)}</p>")
    parts.append("<hr>")
    if entry.content:
        parts.append(_without_image_sizes(entry.content))  # sanitized before it was stored
    elif entry.summary:
        parts.append(f"<p>{html.escape(entry.summary)}</p>")
    else:
        parts.append(f'<p style="color:{muted}">This post has no text.</p>')
    return "\n".join(parts)


class ReaderBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing: remote images come from `images` when allowed."""

    link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.allow_remote = False
        self.images: dict[str, QImage] = {}
        self.asked: list[str] = []  # remote images this post's layout asked for (allowed or not)
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, kind: int, name: QUrl | str, /) -> Any:
        url = QUrl(name) if isinstance(name, str) else name
        base = self.document().baseUrl()
        if url.isRelative() and base.isValid():
            url = base.resolved(url)
        if url.scheme() not in REMOTE_SCHEMES:
            return None  # never local files, qrc or anything else a post might name
        key = url.toString()
        self.asked.append(key)
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return None
        image = self.images.get(key) if self.allow_remote else None
        if image is None:
            placeholder = QImage(1, 1, QImage.Format.Format_ARGB32)
            placeholder.fill(Qt.GlobalColor.transparent)
            return placeholder
        room = max(self.viewport().width() - 2 * int(self.document().documentMargin()) - 4, 64)
        if image.width() > room:
            return image.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
        return image

    def _on_anchor(self, url: QUrl) -> None:
        if url.isRelative() and not url.path() and url.hasFragment():
            self.scrollToAnchor(url.fragment())
            return
        base = self.document().baseUrl()
        emit(self.link_activated, base.resolved(url) if url.isRelative() else url)


class ReaderPane(QWidget):
    """Shows one post. Asks the view (signals) to change anything stored."""

    load_images_requested = Signal(int)  # feed id
    toggle_read_requested = Signal()
    delete_requested = Signal()
    followup_requested = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        image_fetcher: ImageFetcher = fetch_image,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch_image = image_fetcher
        self._entry: EntryInfo | None = None
        self._source = ""
        self._fetching: set[str] = set()
        self._failed: set[str] = set()

        self._empty = QLabel(NOTHING_SELECTED, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setAccessibleName(NOTHING_SELECTED)

        self.browser = accessible(
            ReaderBrowser(self),
            "Post",
            "Links open in your web browser",
            "The selected post. Space scrolls; links open in your browser.",
        )
        self.browser.link_activated.connect(self.open_url)

        self.images_bar = QFrame(self)
        self.images_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.images_bar.setAccessibleName("Remote images blocked")
        icon = QLabel(self.images_bar)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size)
        )
        self.images_label = QLabel(IMAGES_BLOCKED, self.images_bar)
        self.images_label.setWordWrap(True)
        self.load_images_button = accessible(
            QPushButton(LOAD_IMAGES, self.images_bar),
            LOAD_IMAGES,
            "Always load this feed's images (the sender can then see that you read its posts)",
        )
        self.load_images_button.clicked.connect(self._ask_load_images)
        bar_layout = QHBoxLayout(self.images_bar)
        bar_layout.setContentsMargins(6, 4, 6, 4)
        bar_layout.addWidget(icon)
        bar_layout.addWidget(self.images_label, 1)
        bar_layout.addWidget(self.load_images_button)
        self.images_bar.setVisible(False)

        self.open_button = accessible(
            QPushButton("&Open in browser", self),
            "Open in browser",
            "Open the post on its site in your web browser (Enter, or O)",
        )
        self.open_button.clicked.connect(self.open_in_browser)
        self.read_button = accessible(
            QPushButton("Mark &unread", self), "Mark unread", "Toggle read or unread (M)"
        )
        self.read_button.clicked.connect(lambda: emit(self.toggle_read_requested))
        self.delete_button = accessible(
            QPushButton("&Delete", self),
            "Delete post",
            "Delete this post; it will not come back on the next refresh (Delete)",
        )
        self.delete_button.clicked.connect(lambda: emit(self.delete_requested))
        # Alt+L, not Alt+F: the window's File menu has that one.
        self.followup_button = accessible(
            QPushButton("Fo&llow up…", self),
            "Follow up on this post",
            FOLLOW_UP_TIP,
        )
        self.followup_button.clicked.connect(lambda: emit(self.followup_requested))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.followup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        self._stack = detail_pages(
            self, self._empty, [(self.images_bar, 0), (self.browser, 1)], buttons
        )
        self.setAccessibleName("Reader")
        self.show_entry(None)

    # -- public API ----------------------------------------------------------------------

    @property
    def entry(self) -> EntryInfo | None:
        return self._entry

    @property
    def showing_post(self) -> bool:
        return self._stack.currentIndex() == 1

    def show_entry(
        self, entry: EntryInfo | None, *, source: str = "", allow_remote: bool = False
    ) -> None:
        """Render a post (None: the empty state). Keeps the scroll position for the same post."""
        same = entry is not None and self._entry is not None and entry.id == self._entry.id
        self._entry = entry
        self._source = source
        for button in (self.open_button, self.read_button, self.delete_button):
            button.setEnabled(entry is not None)
        # A post from a feed nobody is linked to has nobody to follow up with: say so.
        can_follow = entry is not None and entry.prospect_id is not None
        self.followup_button.setEnabled(can_follow)
        self.followup_button.setToolTip(
            FOLLOW_UP_TIP if can_follow or entry is None else NO_PROSPECT_TIP
        )
        if entry is None:
            self.images_bar.setVisible(False)
            self.browser.clear()
            self._stack.setCurrentIndex(0)
            return
        self.open_button.setEnabled(bool(entry.link))
        self.read_button.setText("Mark &unread" if entry.read else "Mark &read")
        self.read_button.setAccessibleName("Mark unread" if entry.read else "Mark read")
        self.browser.allow_remote = allow_remote
        remote = remote_image_urls(entry.content or "", entry.link)
        self.images_bar.setVisible(bool(remote) and not allow_remote)
        self._render(keep_scroll=same)
        self._stack.setCurrentIndex(1)
        if allow_remote:
            self._fetch_images(remote)

    def images_not_allowed(self) -> None:
        """Storing the choice failed: let the rep try again."""
        self.load_images_button.setEnabled(True)

    def set_remote_allowed(self, feed_id: int, allowed: bool) -> None:
        """The feed's image choice changed: re-render the post if it is from that feed."""
        entry = self._entry
        if entry is not None and entry.feed_id == feed_id:
            self.show_entry(entry, source=self._source, allow_remote=allowed)

    def open_in_browser(self) -> None:
        if self._entry is not None and self._entry.link:
            self.open_url(QUrl(self._entry.link))

    def open_url(self, url: QUrl) -> None:
        if url.scheme() not in (*REMOTE_SCHEMES, "mailto"):
            log.info("Not opening a link with scheme %r", url.scheme())
            return
        if not QDesktopServices.openUrl(url):
            log.warning("No program could open %s", url.toString())

    def scroll_page(self) -> bool:
        """One page down; False when already at the end (Space then moves to the next post)."""
        bar = self.browser.verticalScrollBar()
        if bar.value() >= bar.maximum():
            return False
        bar.setValue(bar.value() + bar.pageStep())
        return True

    # -- internals -----------------------------------------------------------------------

    def _render(self, *, keep_scroll: bool) -> None:
        entry = self._entry
        if entry is None:
            return
        bar = self.browser.verticalScrollBar()
        position = bar.value() if keep_scroll else 0
        base = QUrl(entry.link or "")
        document = self.browser.document()
        document.setBaseUrl(base if base.scheme() in REMOTE_SCHEMES else QUrl())
        self.browser.asked.clear()
        self.browser.setHtml(render_entry(entry, self._source, self.palette()))
        bar.setValue(position)

    def _ask_load_images(self) -> None:
        if self._entry is not None:
            self.load_images_button.setEnabled(False)
            emit(self.load_images_requested, self._entry.feed_id)

    def _fetch_images(self, urls: list[str]) -> None:
        cache = self.browser.images
        for url in urls:
            if url in cache or url in self._fetching or url in self._failed:
                continue
            self._fetching.add(url)
            self._start_fetch(url)
        self.load_images_button.setEnabled(True)

    def _start_fetch(self, url: str) -> None:
        self._runner.run_network(
            lambda: self._fetch_image(url),
            lambda body: self._image_arrived(url, body),
            lambda exc: self._image_failed(url, exc),
            context=self,
        )

    def _image_arrived(self, url: str, body: bytes) -> None:
        self._fetching.discard(url)
        image = QImage.fromData(body)
        if image.isNull():
            self._failed.add(url)
            return
        cache = self.browser.images
        if len(cache) >= MAX_CACHED_IMAGES:
            cache.pop(next(iter(cache)))
        cache[url] = image
        entry = self._entry
        if entry is not None and url in remote_image_urls(entry.content or "", entry.link):
            self._render(keep_scroll=True)

    def _image_failed(self, url: str, exc: Exception) -> None:
        self._fetching.discard(url)
        self._failed.add(url)
        log.info("Image %s not loaded: %s", url, exc)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Link and muted colors are written into the HTML from the palette: a theme switch
        # needs the post rendered again to stay readable.
        if event.type() == QEvent.Type.PaletteChange and self._entry is not None:
            self._render(keep_scroll=True)
