"""Adding and editing a library item, and following the company's own feed.

The item form checks each field with the same `validate_content` the repository uses and shows
every problem right under its field, so the dialog stays open and a typo costs one edit. "Fill
from page" reads the page's own metadata on the network pool and fills only the fields the rep
left empty: what they typed always wins. The dialogs know callables, not the network or the
database, so tests can drive them against a local server and a temporary workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.content import (
    CONTENT_KINDS,
    ContentDraft,
    ContentError,
    ContentItem,
    validate_content,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.core.prospects import normalize_tags
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.form_dialog import FORM, FormDialog, busy_bar
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

FetchPage = Callable[[str], ContentDraft]
FollowFeed = Callable[[str], FeedInfo]
MarkCompany = Callable[[int], tuple[FeedInfo, int]]

DEFAULT_KIND = "blog_post"
DEFAULT_EXPIRY = timedelta(days=90)
URL_REQUIRED = "URL is required: the page's web address, starting with https://"
URL_FIRST = "Enter the page's web address first, then fill the rest from it."

# Field -> (label with mnemonic, accessible name, tooltip).
_FIELDS: dict[str, tuple[str, str, str]] = {
    "url": ("&URL:", "URL", "The web address people open; each address is in the library once"),
    "title": ("&Title:", "Title", "Required: what the share text calls the item"),
    "kind": ("T&ype:", "Type", "What kind of content this is"),
    "tags": ("Ta&gs:", "Tags", "Comma-separated topics, matched against prospects' tags"),
    "summary": ("Su&mmary:", "Summary", "A sentence or two; share templates can quote it"),
    "expires": ("E&xpires:", "Expires", "Stop suggesting the item after this day"),
}
_VALID = ContentDraft(url="https://example.com/", title="Title")


def content_errors(draft: ContentDraft) -> dict[str, str]:
    """Every field's problem at once (validate_content stops at the first one)."""
    errors = {} if draft.url.strip() else {"url": URL_REQUIRED}
    probes = {
        "url": replace(_VALID, url=draft.url),
        "title": replace(_VALID, title=draft.title),
        "kind": replace(_VALID, kind=draft.kind),
    }
    for key, probe in probes.items():
        if key in errors:
            continue
        try:
            validate_content(probe)
        except ContentError as exc:
            errors[key] = str(exc)
    return errors


def error_field(message: str) -> str | None:
    """Which field a repository's message is about, from its first word."""
    first = message.split(" ", 1)[0].casefold()
    return {"url": "url", "title": "title", "type": "kind"}.get(first)


class ContentDialog(FormDialog):
    """`saved` carries the stored ContentItem once the repository has accepted it."""

    saved = Signal(object)

    def __init__(
        self,
        repo: ContentRepository,
        runner: TaskRunner,
        fetch_page: FetchPage,
        *,
        item: ContentItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            title=f"Edit {item.title}" if item else "Add content item",
            accessible_name="Edit content item" if item else "Add content item",
            parent=parent,
        )
        self._repo = repo
        self._fetch_page = fetch_page
        self._item = item
        self._fetching = False
        self._kind_chosen = item is not None  # a stored type is the rep's choice

        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://example.com/blog/your-article")
        self.url.setClearButtonEnabled(True)
        self.fill_button = accessible(
            QPushButton("Fill from &page", self),
            "Fill from page",
            "Read the page's title, description and tags into the empty fields",
        )
        self.fill_button.setAutoDefault(False)
        self.fill_button.clicked.connect(self.fill_from_page)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("Cloud migration checklist")
        self.kind = QComboBox(self)
        for stored, kind_label in CONTENT_KINDS.items():
            self.kind.addItem(kind_label, stored)
        self.kind.activated.connect(self._on_kind_chosen)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("cloud migration, finance")
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("What the reader gets from it")
        self.summary.setMinimumHeight(80)
        self.expires_check = accessible(
            QCheckBox("Stop suggesting after", self),
            "Has an expiry date",
            "Tick for content that goes stale, like a registration page for a past webinar",
        )
        self.expires_date = accessible(
            QDateEdit(self), "Expiry date", "The last day the item is suggested"
        )
        self.expires_date.setCalendarPopup(True)
        self.expires_date.setDisplayFormat("yyyy-MM-dd")
        self.expires_date.setDate(_qdate(clock.today() + DEFAULT_EXPIRY))
        self.expires_date.setEnabled(False)
        self.expires_check.toggled.connect(self.expires_date.setEnabled)
        # indeterminate: a page fetch cannot say how far it is
        self.busy_bar = busy_bar(self, "Reading the page")
        self.fill_status = QLabel("", self)
        self.fill_status.setWordWrap(True)
        self.fill_status.setAccessibleName("Fill from page result")
        self.fill_status.setVisible(False)

        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.fill_button)
        expires_row = QHBoxLayout()
        expires_row.addWidget(self.expires_check)
        expires_row.addWidget(self.expires_date)
        expires_row.addStretch(1)
        cells: dict[str, tuple[QWidget, Sequence[QWidget | QLayout]]] = {
            "url": (self.url, (url_row, self.busy_bar, self.fill_status)),
            "title": (self.title_edit, ()),
            "kind": (self.kind, ()),
            "tags": (self.tags, ()),
            "summary": (self.summary, ()),
            "expires": (self.expires_check, (expires_row,)),  # its controls are named apart
        }
        for key, (label_text, name, tooltip) in _FIELDS.items():
            editor, contents = cells[key]
            self.add_field(
                key,
                label_text,
                editor,
                name=name,
                tooltip=tooltip,
                contents=contents,
                name_editor=key != "expires",
            )
        self.save_button = self.add_buttons(
            self.save, accept_name="Save content item", accept_tip="Check and store this item"
        )
        self.lay_out()
        self.resize(600, self.sizeHint().height())
        if item is not None:
            self.set_draft(item_draft(item))
        self.url.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- reading and writing the form ----------------------------------------------------

    def set_draft(self, draft: ContentDraft) -> None:
        self.url.setText(draft.url)
        self.title_edit.setText(draft.title)
        self._set_kind(draft.kind)
        self.tags.setText(", ".join(draft.tags))
        self.summary.setPlainText(draft.summary or "")
        self.expires_check.setChecked(draft.expires_on is not None)
        if draft.expires_on is not None:
            self.expires_date.setDate(_qdate(draft.expires_on))

    def draft(self) -> ContentDraft:
        expires: date | None = None
        if self.expires_check.isChecked():
            expires = self.expires_date.date().toPython()  # type: ignore[assignment]
        return ContentDraft(
            url=self.url.text().strip(),
            title=self.title_edit.text(),
            summary=self.summary.toPlainText().strip() or None,
            kind=str(self.kind.currentData() or DEFAULT_KIND),
            tags=normalize_tags(self.tags.text()),
            source=self._item.source if self._item else "added by hand",
            expires_on=expires,
        )

    def field_problems(self, exc: Exception) -> dict[str, str] | None:
        """The repository names the field in its message's first word (ContentError is a
        ValueError, not a UserError, so the base class would not recognise it)."""
        if not isinstance(exc, ContentError | UserError):
            return None
        message = str(exc)
        # "…is already in the library" is about the address, as is any URL complaint.
        field = "url" if "already in the library" in message else error_field(message)
        return {field or FORM: message}

    # -- filling from the page -----------------------------------------------------------

    @property
    def is_fetching(self) -> bool:
        return self._fetching

    def fill_from_page(self) -> None:
        """Read the page in the background; only empty fields are filled from it."""
        if self._fetching:
            return
        url = self.url.text().strip()
        problem = content_errors(replace(_VALID, url=url)).get("url") if url else URL_FIRST
        self._show_fill_status("")
        if problem:
            self.show_errors({"url": problem})
            return
        self.show_errors({})
        self._set_fetching(True)
        self._runner.run_network(
            lambda: self._fetch_page(url), self._page_read, self._page_failed, context=self
        )

    def _set_fetching(self, fetching: bool) -> None:
        self._fetching = fetching
        self.busy_bar.setVisible(fetching)
        self.fill_button.setEnabled(not fetching)
        self.fill_button.setText("Reading the page…" if fetching else "Fill from &page")
        self.url.setReadOnly(fetching)

    def _page_read(self, page: ContentDraft) -> None:
        self._set_fetching(False)
        filled: list[str] = []
        if not self.title_edit.text().strip() and page.title:
            self.title_edit.setText(page.title)
            filled.append("title")
        if not self.summary.toPlainText().strip() and page.summary:
            self.summary.setPlainText(page.summary)
            filled.append("summary")
        if not self.tags.text().strip() and page.tags:
            self.tags.setText(", ".join(page.tags))
            filled.append("tags")
        if not self._kind_chosen and page.kind != self.kind.currentData():
            self._set_kind(page.kind)
            filled.append("type")
        if filled:
            self._show_fill_status(f"Filled {', '.join(filled)} from the page.")
        else:
            self._show_fill_status("Nothing to fill: every field the page offers is filled.")

    def _page_failed(self, exc: Exception) -> None:
        self._set_fetching(False)
        if isinstance(exc, UserError):
            self.show_errors({"url": f"{exc} Fill in the fields yourself instead."})
        else:
            self.show_errors({"url": describe_error(exc)})
            self._runner.report_error(exc)

    def _show_fill_status(self, text: str) -> None:
        self.fill_status.setText(text)
        self.fill_status.setVisible(bool(text))

    def _on_kind_chosen(self, _index: int) -> None:
        self._kind_chosen = True

    def _set_kind(self, kind: str) -> None:
        index = self.kind.findData(kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        if self.is_busy:
            return
        draft = self.draft()
        errors = content_errors(draft)
        self.show_errors(errors)
        if errors:
            return
        item = self._item
        if item is None:
            self.run(lambda: self._repo.add(draft), self._saved)
        else:
            item_id = item.id
            self.run(lambda: self._repo.update(item_id, draft), self._saved)

    def _saved(self, item: ContentItem) -> None:
        self.finish(self.saved, item)


def item_draft(item: ContentItem) -> ContentDraft:
    return ContentDraft(
        url=item.url,
        title=item.title,
        summary=item.summary,
        kind=item.kind,
        tags=item.tags,
        source=item.source,
        expires_on=item.expires_on,
    )


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class FollowFeedDialog(FormDialog):
    """Follow the company's blog or news feed: its posts become library items.

    Finding the feed runs on the network pool; marking it as the company's and turning its
    posts into items then runs on the database worker. `followed` carries the report line.
    """

    followed = Signal(str)
    message_field = "address"  # the only field: every problem is about the address

    def __init__(
        self,
        follow: FollowFeed,
        mark_company: MarkCompany,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, title="Follow company feed", parent=parent)
        self._follow = follow
        self._mark_company = mark_company

        self.address = QLineEdit(self)
        self.address.setPlaceholderText("https://yourcompany.example/blog")
        self.address.setClearButtonEnabled(True)
        self.address.setMinimumWidth(420)
        self.busy_bar = busy_bar(self, "Looking for the feed")
        self.error = self.add_field(
            "address",
            "&Address:",
            self.address,
            name="Company blog or feed address",
            tooltip="A site or feed address",
            contents=(self.address, self.busy_bar),
            problem_name="Problem following the feed",
        )
        self.follow_button = self.add_buttons(
            self.submit,
            accept_text="&Follow",
            busy_text="Looking for the feed…",
            accept_name="Follow feed",
            accept_tip="Find the feed and add its posts",
            cancel_tip="Close without following a feed",
        )
        self.lay_out(
            "Paste your company's blog or news page. Its posts become content you can share, "
            "and new posts arrive with every feed check."
        )
        self.address.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self.is_busy:
            return
        text = self.address.text().strip()
        if not text:
            self.show_errors({"address": "Enter your company's blog or feed address."})
            return
        self.show_errors({})
        self.run(lambda: self._follow(text), self._found, network=True)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.busy_bar.setVisible(busy)
        self.address.setReadOnly(busy)

    def _found(self, feed: FeedInfo) -> None:
        feed_id = feed.id
        self.run(lambda: self._mark_company(feed_id), self._marked)

    def _marked(self, result: tuple[FeedInfo, int]) -> None:
        feed, added = result
        self.finish(
            self.followed,
            f"Following {feed.display_title}: {plural(added, 'post')} added to the library; "
            "new posts arrive with every feed check.",
        )
