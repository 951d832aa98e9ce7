"""Adding and editing a prospect, with each problem shown right under the field it concerns.

The form validates with the same `validate_prospect` the repository uses, so most mistakes are
caught without a round trip; whatever the repository still rejects comes back as a
`ValidationError` and is shown the same way. The dialog stays open until the save has landed.

The two touch intervals are spin boxes whose lowest value reads "Default (14 days)": leaving
them there keeps the prospect on the settings' cadence, which can change later.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from smarketing_desktop.core.cadence import Cadence
from smarketing_desktop.core.errors import ValidationError
from smarketing_desktop.core.prospects import (
    LABELS,
    MAX_TOUCH_DAYS,
    Prospect,
    ProspectDraft,
    normalize_tags,
    validate_prospect,
)
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.form_dialog import FORM, FormDialog
from smarketing_desktop.ui.tasks import TaskRunner

# Field -> (label with mnemonic, placeholder, tooltip).
_FIELDS: dict[str, tuple[str, str, str]] = {
    "name": ("&Name", "Jane Doe", "Required"),
    "company": ("&Company", "Acme Inc.", "The company they work for"),
    "title": ("&Title", "Head of Operations", "Their job title"),
    "email": ("E&mail", "jane@acme.example", "Their work email address"),
    "x_handle": ("&X handle", "@jane or an x.com profile link", "Their X (Twitter) account"),
    "linkedin_url": (
        "&LinkedIn URL",
        "https://www.linkedin.com/in/jane",
        "A link to their LinkedIn profile",
    ),
    "blog_url": ("&Blog or site URL", "https://jane.example", "Their blog or personal site"),
    "mastodon_handle": (
        "Mast&odon handle",
        "@jane@mastodon.social",
        "Their Mastodon account, as @user@instance",
    ),
    "bluesky_handle": ("Bl&uesky handle", "jane.bsky.social", "Their Bluesky handle"),
    "tags": ("T&ags", "customer, fintech, q3", "Comma-separated labels to filter and group by"),
    "notes": ("N&otes", "", "Anything worth remembering about them"),
    "touch_ideal_days": (
        "&Ideal touch interval",
        "",
        "Touch them at least this often; past it they show amber on Today. "
        "Default follows the setting.",
    ),
    "touch_max_days": (
        "Maximum touch inte&rval",
        "",
        "Never leave them longer than this; past it they show red (going cold). "
        "Default follows the setting.",
    ),
}
assert list(_FIELDS) == [f.name for f in fields(ProspectDraft)], "form out of step with the draft"

DAYS_FIELDS = ("touch_ideal_days", "touch_max_days")
# A spin box at this value means "no own interval": its special-value text says the default.
USE_DEFAULT = 0

Editor = QLineEdit | QPlainTextEdit | QSpinBox


def default_text(days: int | None) -> str:
    return f"Default ({days} days)" if days is not None else "Default"


class ProspectDialog(FormDialog):
    """`saved` carries the stored `Prospect` once the repository has accepted it."""

    saved = Signal(object)

    def __init__(
        self,
        repo: ProspectRepository,
        runner: TaskRunner,
        *,
        prospect: Prospect | None = None,
        companies: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner, title=f"Edit {prospect.name}" if prospect else "New prospect", parent=parent
        )
        self._repo = repo
        self._prospect = prospect
        self._defaults: Cadence | None = prospect.touch_defaults if prospect else None

        # The base's `editors` holds plain widgets; these keep the types for reading the form.
        self._texts: dict[str, QLineEdit | QPlainTextEdit] = {}
        self._days: dict[str, QSpinBox] = {}
        for key, (label_text, placeholder, tooltip) in _FIELDS.items():
            editor = self._make_editor(key, placeholder)
            self.add_field(key, label_text, editor, name=LABELS[key], tooltip=tooltip)

        company = self._texts["company"]
        if companies and isinstance(company, QLineEdit):
            completer = QCompleter(companies, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            company.setCompleter(completer)

        self.save_button = self.add_buttons(
            self.save, accept_name="Save prospect", accept_tip="Check and store this prospect"
        )
        self.lay_out()
        self.resize(560, self.sizeHint().height())

        if prospect is not None:
            self.set_draft(prospect.to_draft())
        if self._defaults is not None:
            self._show_defaults(self._defaults)
        else:
            # A new prospect: the settings are read on the database worker, not here.
            self._runner.run_db(
                repo.touch_defaults, self._show_defaults, self._no_defaults, context=self
            )

    def _make_editor(self, key: str, placeholder: str) -> Editor:
        """Also files the editor by kind, so reading and filling the form needs no casts."""
        if key in DAYS_FIELDS:
            days = QSpinBox(self)
            days.setRange(USE_DEFAULT, MAX_TOUCH_DAYS)
            days.setSuffix(" days")
            days.setSpecialValueText(default_text(None))
            days.setValue(USE_DEFAULT)
            # Its inner line edit takes the focus, so it needs the name too.
            accessible(days.lineEdit(), LABELS[key])
            self._days[key] = days
            return days
        text: QLineEdit | QPlainTextEdit
        if key == "notes":
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
            text.setPlaceholderText("Anything worth remembering about them")
            text.setMinimumHeight(90)
        else:
            text = QLineEdit(self)
            text.setPlaceholderText(placeholder)
        self._texts[key] = text
        return text

    # -- reading and writing the form ----------------------------------------------------

    def _show_defaults(self, defaults: Cadence) -> None:
        self._defaults = defaults
        for key, days in zip(DAYS_FIELDS, (defaults.ideal_days, defaults.max_days), strict=True):
            self._days[key].setSpecialValueText(default_text(days))

    def _no_defaults(self, exc: Exception) -> None:
        # The spin boxes still say "Default"; the repository checks against the real values.
        self._runner.report_error(exc)

    @property
    def defaults(self) -> Cadence | None:
        """The settings' cadence once known (shown in the spin boxes' "Default (N days)")."""
        return self._defaults

    def set_draft(self, draft: ProspectDraft) -> None:
        for key, editor in self._texts.items():
            value = getattr(draft, key)
            text = ", ".join(value) if key == "tags" else (value or "")
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(text)
            else:
                editor.setText(text)
        for key, box in self._days.items():
            value = getattr(draft, key)
            box.setValue(USE_DEFAULT if value is None else int(value))

    def draft(self) -> ProspectDraft:
        def text(key: str) -> str:
            editor = self._texts[key]
            if isinstance(editor, QPlainTextEdit):
                return editor.toPlainText()
            return editor.text()

        def days(key: str) -> int | None:
            value = self._days[key].value()
            return None if value == USE_DEFAULT else value

        def optional(key: str) -> str | None:
            return text(key).strip() or None

        return ProspectDraft(
            name=text("name"),
            company=optional("company"),
            title=optional("title"),
            email=optional("email"),
            x_handle=optional("x_handle"),
            linkedin_url=optional("linkedin_url"),
            blog_url=optional("blog_url"),
            mastodon_handle=optional("mastodon_handle"),
            bluesky_handle=optional("bluesky_handle"),
            tags=normalize_tags(text("tags")),
            notes=optional("notes"),
            touch_ideal_days=days("touch_ideal_days"),
            touch_max_days=days("touch_max_days"),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each field's message gets the field's name in front: `validate_prospect` words them
        to follow it ("is not a valid address") so that the repository's one-line message can
        put the name its own way ("Email: ..."). A form-wide message is a sentence already."""
        super().show_errors(
            {
                key: f"{LABELS.get(key, key)} {message}" if message and key != FORM else message
                for key, message in errors.items()
            }
        )

    def field_problems(self, exc: Exception) -> dict[str, str] | None:
        """Only field problems stay in the dialog alone. Any other refusal (the prospect was
        deleted meanwhile) also goes to the status bar, as a failure does: the list behind the
        dialog is out of date, which is news beyond this form."""
        return dict(exc.errors) if isinstance(exc, ValidationError) else None

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        if self.is_busy:
            return
        checked = validate_prospect(self.draft(), self._defaults)
        self.show_errors(checked.errors)
        if not checked.ok:
            return
        draft = checked.draft
        prospect_id = self._prospect.id if self._prospect is not None else None
        self.run(
            lambda: (
                self._repo.add(draft)
                if prospect_id is None
                else self._repo.update(prospect_id, draft)
            ),
            lambda stored: self.finish(self.saved, stored),
        )
