"""The "Your profile" form: what the rep's profile shows today, in the shape the rules read.

The fields come from the checklist itself (every field an automatic rule reads), so a rep's own
checklist that checks, say, `pronouns` gets a box for it without any change here; the fields the
shipped LinkedIn and X checklists use get proper labels, hints and editors. What the form gives
is the same plain dict the CLI reads from a profile file (image fields hold file paths), so the
window and `smarketing checklist review` score a profile the same way.

Every field in the form is part of the profile: a box left empty says "my profile has none"
and fails its item with a detail saying so, rather than leaving it unknown. Only the latest
post's date is left out when empty, because the activity log may already know the answer.

The image paths also travel in the profile under `IMAGE_PATHS_KEY`: a stored review keeps only
an image's file name and size, and the form needs the whole path to fill itself in next time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.checklists import Checklist, ChecklistItem
from smarketing_desktop.core.image_check import ImageFacts, inspect_image
from smarketing_desktop.core.profile_rules import RULES, RuleContext, find_phrases
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.checklist_files import ChecklistFileChooser
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import error_color

FieldKind = Literal["line", "text", "list", "tags", "count", "image", "date"]

IMAGE_PATHS_KEY = "image_paths"
MAX_COUNT = 999
NO_KEYWORDS = (
    "No keyword phrases yet: marketing's phrases go in Settings (profile_keywords), separated by ;."
)
DATE_PROBLEM = "must be a date such as 2027-03-28 (or left empty)."


@dataclass(frozen=True)
class FieldSpec:
    """One box of the form: the profile key it fills, its label (with a mnemonic) and help."""

    key: str
    label: str
    kind: FieldKind
    placeholder: str = ""
    tooltip: str = ""

    @property
    def name(self) -> str:
        """The label as a screen reader says it (no mnemonic)."""
        return self.label.replace("&", "")


# The fields of the shipped checklists, in the order a rep reads their own profile.
KNOWN_FIELDS: dict[str, FieldSpec] = {
    spec.key: spec
    for spec in (
        FieldSpec(
            "headline",
            "&Headline",
            "line",
            "Helping finance teams move to the cloud | Account executive at Acme",
            "The line under your name: buyers see it in search results and beside every comment",
        ),
        FieldSpec(
            "bio",
            "B&io",
            "text",
            "Helping finance teams move to the cloud without downtime",
            "Your X bio, as it shows under your name",
        ),
        FieldSpec(
            "about",
            "&About",
            "text",
            "Whom you help, the problem you solve, a result, and what to do next "
            "(“Book a 20-minute call”)",
            "Your profile's About section, as it reads today",
        ),
        FieldSpec(
            "custom_url",
            "Profile add&ress",
            "line",
            "linkedin.com/in/jane-doe",
            "Your public profile address, as shown under Edit public profile & URL",
        ),
        FieldSpec(
            "url", "&Link", "line", "https://acme.example", "The link shown on your X profile"
        ),
        FieldSpec(
            "pinned_post",
            "Pi&nned post",
            "text",
            "Paste your pinned post; leave empty if nothing is pinned",
            "The post pinned to the top of your X profile",
        ),
        FieldSpec("photo", "&Photo", "image", "", "The image file of your profile photo"),
        FieldSpec("banner", "&Banner", "image", "", "The image file of your background banner"),
        FieldSpec("header", "&Header", "image", "", "The image file of your X header"),
        FieldSpec(
            "featured",
            "F&eatured",
            "list",
            "One item per line: a case study, a guide, a webinar",
            "What your Featured section shows, one item per line; empty if it has none",
        ),
        FieldSpec(
            "skills",
            "S&kills",
            "tags",
            "cloud migration, FinOps, SaaS sales",
            "The skills on your profile, separated by commas",
        ),
        FieldSpec(
            "recommendations",
            "Recommendatio&ns",
            "count",
            "",
            "How many recommendations your profile shows",
        ),
        FieldSpec(
            "contact",
            "Con&tact info",
            "line",
            "jane@acme.example or a booking link",
            "What your Contact info section shows; empty if it has none",
        ),
        FieldSpec(
            "last_post_at",
            "Latest p&ost",
            "date",
            "YYYY-MM-DD, for posts the app has not logged",
            "The date of your latest post or comment there; leave empty to go by the activity "
            "log (shares and comments logged in the app)",
        ),
    )
}

# What an unfamiliar field (from a rep's own checklist) is edited with, by the rule reading it.
_KIND_BY_RULE: dict[str, FieldKind] = {
    "image": "image",
    "recent_activity": "date",
    "you_vs_i": "text",
    "call_to_action": "text",
}


def _items_reading(checklist: Checklist, key: str) -> Iterator[ChecklistItem]:
    return (i for i in checklist.items if i.rule is not None and str(i.params.get("field")) == key)


def profile_fields(checklist: Checklist) -> list[FieldSpec]:
    """Every field the checklist's automatic items read, known ones in reading order first."""
    keys: list[str] = []
    for item in checklist.items:
        key = item.params.get("field") if item.rule is not None else None
        if isinstance(key, str) and key not in keys:
            keys.append(key)
    order = list(KNOWN_FIELDS)
    known = sorted((k for k in keys if k in KNOWN_FIELDS), key=order.index)
    specs = [KNOWN_FIELDS[k] for k in known]
    for key in (k for k in keys if k not in KNOWN_FIELDS):
        item = next(_items_reading(checklist, key))
        label = str(item.params.get("label") or key.replace("_", " ")).capitalize()
        kind = _KIND_BY_RULE.get(str(item.rule), "line")
        specs.append(FieldSpec(key, label, kind, "", f"Read by the item “{item.title}”"))
    return specs


def text_limits(checklist: Checklist, key: str) -> tuple[int | None, int | None]:
    """The tightest (min, max) length the checklist's text_length items set for a field."""
    items = [i for i in _items_reading(checklist, key) if i.rule == "text_length"]
    lows = [int(i.params["min"]) for i in items if "min" in i.params]
    highs = [int(i.params["max"]) for i in items if "max" in i.params]
    return (max(lows) if lows else None, min(highs) if highs else None)


def reads_keywords(checklist: Checklist, key: str) -> bool:
    return any(i.rule == "keywords" for i in _items_reading(checklist, key))


def count_text(length: int, low: int | None, high: int | None) -> tuple[str, bool]:
    """("42/220", False): the live count under a text box, and whether it is out of bounds."""
    if low is not None and high is not None:
        text = f"{length:,} characters (aim for {low:,}–{high:,})"
    elif high is not None:
        text = f"{length:,}/{high:,}"
    else:
        text = f"{length:,} characters (at least {low:,})"
    out = (high is not None and length > high) or (low is not None and 0 < length < low)
    return text, out


def keywords_text(text: str, keywords: tuple[str, ...]) -> str:
    """Which of marketing's phrases the text already uses, marked, so the rep sees the gap."""
    if not keywords:
        return NO_KEYWORDS
    used = set(find_phrases(text, keywords))
    marked = [f"✓ {k}" if k in used else k for k in keywords]
    return f"Keyword phrases ({len(used)} of {len(keywords)} used): {' · '.join(marked)}"


def is_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


class ToneLabel(QLabel):
    """A hint that turns to the error color while it reports a problem (over the limit)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = False

    @property
    def problem(self) -> bool:
        return self._problem

    def set_text(self, text: str, *, problem: bool = False) -> None:
        self.setText(text)
        if problem != self._problem:
            self._problem = problem
            self._recolor()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolor()

    def _recolor(self) -> None:
        parent = self.parentWidget()
        palette = QPalette(parent.palette() if parent else self.palette())
        wanted = (
            error_color(palette) if self._problem else palette.color(QPalette.ColorRole.WindowText)
        )
        if self.palette().color(QPalette.ColorRole.WindowText) != wanted:
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.setPalette(palette)


class ImagePicker(QWidget):
    """A path box, a Choose… button, and what the picked image is (size, and whether it fits).

    The file is read on the task runner's worker, so a slow network drive never stalls typing;
    only the newest read is shown when several overlap.
    """

    changed = Signal()

    def __init__(
        self,
        spec: FieldSpec,
        item: ChecklistItem | None,
        runner: TaskRunner,
        chooser: ChecklistFileChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._spec = spec
        self._item = item
        self._runner = runner
        self._chooser = chooser
        self._generation = 0
        self.facts: ImageFacts | None = None
        self.path_edit = accessible(
            QLineEdit(self),
            spec.name,
            f"{spec.tooltip}. Type a path or use Choose…",
        )
        self.path_edit.setPlaceholderText("No image chosen")
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textEdited.connect(self._on_edited)
        self.path_edit.editingFinished.connect(self.inspect)
        self.choose_button = accessible(
            QPushButton("Choose…", self),
            f"Choose {spec.name.lower()} file",
            f"Pick the image file of your {spec.name.lower()}",
        )
        self.choose_button.clicked.connect(self.choose)
        self.info = ToneLabel(self)
        self.info.setWordWrap(True)
        self.info.setAccessibleName(f"{spec.name} size")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setText(self._wanted_text())

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.info)
        self.setFocusProxy(self.path_edit)

    def path(self) -> str:
        return self.path_edit.text().strip()

    def set_path(self, path: str) -> None:
        """Show `path` and read its size (no `changed`: this is the form filling itself in)."""
        self.path_edit.setText(path)
        self.inspect()

    def choose(self) -> None:
        chosen = self._chooser.open_image(self, f"Choose your {self._spec.name.lower()}")
        if chosen is None:
            return
        self.path_edit.setText(str(chosen))
        self.inspect()
        emit(self.changed)

    def inspect(self) -> None:
        """Read the chosen file's size in the background and say whether it fits."""
        self._generation += 1
        generation = self._generation
        text = self.path()
        if not text:
            self.facts = None
            self.info.set_text(self._wanted_text())
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = Path.home() / path
        self.info.set_text("Reading the image…")
        self._runner.run_db(
            lambda: inspect_image(path),
            lambda facts: self._show(generation, facts),
            context=self,
        )

    def _on_edited(self, _text: str) -> None:
        self._generation += 1  # a read still under way is about a path no longer shown
        self.facts = None
        self.info.set_text(self._wanted_text())
        emit(self.changed)

    def _wanted_text(self) -> str:
        if self._item is None:
            return ""
        params = self._item.params
        width, height = params.get("min_width"), params.get("min_height")
        size = f"at least {width}×{height} pixels" if width and height else "an image"
        aspect = params.get("aspect")
        shape = ""
        if aspect is not None:
            shape = ", square" if float(aspect) == 1 else f", {float(aspect):g}:1"
        return f"Wanted: {size}{shape}."

    def _show(self, generation: int, facts: ImageFacts) -> None:
        if generation != self._generation:
            return
        self.facts = facts
        if facts.problem or facts.width is None or facts.height is None:
            self.info.set_text(f"Cannot use it: {facts.problem or 'no size'}.", problem=True)
            return
        size = f"{facts.width}×{facts.height} pixels"
        if self._item is None or self._item.rule is None:
            self.info.set_text(f"{size}.")
            return
        outcome = RULES[self._item.rule].check(
            self._item.params, {self._spec.key: facts}, RuleContext(clock.now())
        )
        if outcome.status == "pass":
            self.info.set_text(f"{size}: fits.")
        else:
            self.info.set_text(outcome.detail, problem=True)


Editor = QLineEdit | QPlainTextEdit | QSpinBox | ImagePicker


class ProfileForm(QWidget):
    """`edited` fires whenever the rep changes a field (not when the form fills itself in)."""

    edited = Signal()

    def __init__(
        self,
        checklist: Checklist,
        runner: TaskRunner,
        chooser: ChecklistFileChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.checklist = checklist
        self._keywords: tuple[str, ...] = ()
        self._filling = False
        self.fields = profile_fields(checklist)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.counters: dict[str, ToneLabel] = {}
        self.keyword_hints: dict[str, QLabel] = {}
        self.setAccessibleName("Your profile")

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in self.fields:
            editor = self._editor(spec, runner, chooser)
            label = QLabel(spec.label, self)
            label.setBuddy(editor)
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor)
            low, high = text_limits(checklist, spec.key)
            if spec.kind in ("line", "text") and (low is not None or high is not None):
                counter = ToneLabel(cell)
                counter.setAccessibleName(f"{spec.name} length")
                counter.setAlignment(Qt.AlignmentFlag.AlignRight)
                cell_layout.addWidget(counter)
                self.counters[spec.key] = counter
            if reads_keywords(checklist, spec.key):
                hint = QLabel(NO_KEYWORDS, cell)
                hint.setWordWrap(True)
                hint.setAccessibleName(f"Keyword phrases for the {spec.name.lower()}")
                cell_layout.addWidget(hint)
                self.keyword_hints[spec.key] = hint
            error = ErrorLabel(cell)
            error.setAccessibleName(f"{spec.name} problem")
            cell_layout.addWidget(error)
            form.addRow(label, cell)
            self.editors[spec.key] = editor
            self.errors[spec.key] = error
            self._update_hints(spec.key)
        for first, second in itertools.pairwise(self.tab_chain()):
            QWidget.setTabOrder(first, second)

    # -- building ------------------------------------------------------------------------

    def _editor(self, spec: FieldSpec, runner: TaskRunner, chooser: ChecklistFileChooser) -> Editor:
        editor: Editor
        if spec.kind == "image":
            item = next(
                (i for i in _items_reading(self.checklist, spec.key) if i.rule == "image"), None
            )
            picker = ImagePicker(spec, item, runner, chooser, self)
            picker.changed.connect(self._changed)
            return picker
        if spec.kind in ("text", "list"):
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)  # Tab moves on, as in every other box of the form
            text.setPlaceholderText(spec.placeholder)
            lines = 5 if spec.key == "about" else 3
            height = text.fontMetrics().lineSpacing() * lines + 12
            text.setFixedHeight(height)
            text.textChanged.connect(lambda key=spec.key: self._changed(key))
            editor = text
        elif spec.kind == "count":
            spin = QSpinBox(self)
            spin.setRange(0, MAX_COUNT)
            spin.setMaximumWidth(90)
            spin.valueChanged.connect(lambda _value: self._changed())
            editor = spin
        else:
            line = QLineEdit(self)
            line.setPlaceholderText(spec.placeholder)
            line.textChanged.connect(lambda _text, key=spec.key: self._changed(key))
            editor = line
        return accessible(editor, spec.name, spec.tooltip or None)

    def tab_chain(self) -> list[QWidget]:
        """The form's controls top to bottom, for the page to continue its tab order from."""
        chain: list[QWidget] = []
        for editor in self.editors.values():
            if isinstance(editor, ImagePicker):
                chain += [editor.path_edit, editor.choose_button]
            else:
                chain.append(editor)
        return chain

    @staticmethod
    def _focus_widget(editor: Editor) -> QWidget:
        return editor.path_edit if isinstance(editor, ImagePicker) else editor

    # -- reading and filling -------------------------------------------------------------

    def text_of(self, key: str) -> str:
        editor = self.editors[key]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QLineEdit):
            return editor.text()
        if isinstance(editor, ImagePicker):
            return editor.path()
        return str(editor.value())

    def set_text(self, key: str, text: str) -> None:
        """Fill one field as if typed (tests and the rep's own pasting go the same way)."""
        editor = self.editors[key]
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
        elif isinstance(editor, QLineEdit):
            editor.setText(text)
            editor.setCursorPosition(0)  # a long headline shows its start, as it reads
        elif isinstance(editor, ImagePicker):
            editor.set_path(text)
            self._changed()
        else:
            editor.setValue(int(text or 0))

    def profile(self) -> dict[str, Any]:
        """The profile as the rules read it; image fields hold file paths, as in a profile file."""
        data: dict[str, Any] = {}
        paths: dict[str, str] = {}
        for spec in self.fields:
            text = self.text_of(spec.key).strip()
            if spec.kind == "list":
                data[spec.key] = [line.strip() for line in text.splitlines() if line.strip()]
            elif spec.kind == "tags":
                data[spec.key] = [part.strip() for part in text.split(",") if part.strip()]
            elif spec.kind == "count":
                data[spec.key] = int(text or 0)
            elif spec.kind == "date":
                if text:
                    data[spec.key] = text
            else:
                data[spec.key] = text
                if spec.kind == "image" and text:
                    paths[spec.key] = text
        if paths:
            data[IMAGE_PATHS_KEY] = paths
        return data

    def set_profile(self, profile: Mapping[str, Any]) -> None:
        """Fill the form from a stored review's profile (texts as given, images by path)."""
        paths = profile.get(IMAGE_PATHS_KEY)
        paths = paths if isinstance(paths, Mapping) else {}
        self._filling = True
        try:
            for spec in self.fields:
                value = profile.get(spec.key)
                if spec.kind == "image":
                    path = paths.get(spec.key)
                    editor = self.editors[spec.key]
                    assert isinstance(editor, ImagePicker)
                    editor.set_path(path if isinstance(path, str) else "")
                    continue
                self.set_text(spec.key, _as_text(value, spec.kind))
        finally:
            self._filling = False
        for key in self.editors:
            self._update_hints(key)

    def set_keywords(self, keywords: tuple[str, ...]) -> None:
        self._keywords = keywords
        for key in self.keyword_hints:
            self._update_hints(key)

    # -- checking ------------------------------------------------------------------------

    def validate(self) -> dict[str, str]:
        """Problems that stop a check (a date that is not one); shown under their fields."""
        errors: dict[str, str] = {}
        for spec in self.fields:
            text = self.text_of(spec.key).strip()
            if spec.kind == "date" and text and not is_date(text):
                errors[spec.key] = f"{spec.name} {DATE_PROBLEM}"
        first: QWidget | None = None
        for key, label in self.errors.items():
            message = errors.get(key, "")
            label.show_message(message)
            self._focus_widget(self.editors[key]).setAccessibleDescription(message)
            if message and first is None:
                first = self._focus_widget(self.editors[key])
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return errors

    def error_text(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    def image_picker(self, key: str) -> ImagePicker:
        editor = self.editors[key]
        assert isinstance(editor, ImagePicker)
        return editor

    # -- reacting ------------------------------------------------------------------------

    def _changed(self, key: str | None = None) -> None:
        if key is not None:
            self._update_hints(key)
            if self.errors[key].text():
                self.errors[key].clear_message()
        if not self._filling:
            emit(self.edited)

    def _update_hints(self, key: str) -> None:
        counter = self.counters.get(key)
        if counter is not None:
            low, high = text_limits(self.checklist, key)
            text, out = count_text(len(self.text_of(key).strip()), low, high)
            counter.set_text(text, problem=out)
        hint = self.keyword_hints.get(key)
        if hint is not None:
            hint.setText(keywords_text(self.text_of(key), self._keywords))


def _as_text(value: Any, kind: FieldKind) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        joiner = ", " if kind == "tags" else "\n"
        return joiner.join(str(v) for v in value)
    if isinstance(value, bool):
        return str(int(value)) if kind == "count" else ""
    if isinstance(value, int | float):
        return f"{value:g}" if kind != "count" else str(int(value))
    return value if isinstance(value, str) else ""
