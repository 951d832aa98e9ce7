"""Share text from editable templates, filled with prospect, content and post fields.

Templates live in `resources/templates/share.yaml` (a copy in the data folder wins), are checked
at load so a typo in a placeholder is reported with the template's id rather than failing at
share time, and a missing value (no X handle, no post) never leaves a raw {placeholder} behind.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from smarketing_desktop.core.content import ContentItem
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.prospects import Prospect

PLACEHOLDERS = frozenset(
    {
        "first_name", "name", "mention", "company", "content_title", "content_url",
        "content_summary", "content_type", "topic", "post_title", "post_url",
    }
)  # fmt: skip


class TemplateError(UserError):
    """A template file that cannot be used; the message names the file and template."""


@dataclass(frozen=True)
class ShareTemplate:
    id: str
    move: str
    channels: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ShareFields:
    prospect: Prospect | None
    content: ContentItem | None
    topic: str | None = None
    post_title: str | None = None
    post_url: str | None = None


def load_templates(path: Path) -> list[ShareTemplate]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot be read ({exc}).") from None
    items = data.get("templates") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise TemplateError(f"{path}: needs a 'templates' list.")
    templates: list[ShareTemplate] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("id", "text")
        ):
            raise TemplateError(f"{path}: template {number} needs an 'id' and a 'text'.")
        unknown = _placeholders(item["text"]) - PLACEHOLDERS
        if unknown:
            raise TemplateError(
                f"{path}: template {item['id']!r} uses unknown placeholders "
                f"{', '.join(sorted(unknown))}; known: {', '.join(sorted(PLACEHOLDERS))}."
            )
        channels = item.get("channels") or []
        templates.append(
            ShareTemplate(
                item["id"],
                str(item.get("move", item["id"])),
                tuple(map(str, channels)),
                item["text"],
            )
        )
    return templates


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError as exc:
        raise TemplateError(f"A template has a broken placeholder: {exc}.") from None


def template_path(resources: Path, data_dir: Path | None) -> Path:
    own = data_dir / "templates" / "share.yaml" if data_dir else None
    return own if own is not None and own.is_file() else resources / "templates" / "share.yaml"


def field_values(fields: ShareFields) -> dict[str, str]:
    prospect, content = fields.prospect, fields.content
    name = prospect.name if prospect else "there"
    return {
        "name": name,
        "first_name": name.split()[0] if prospect else "there",
        "mention": f"@{prospect.x_handle}" if prospect and prospect.x_handle else name,
        "company": (prospect.company if prospect else None) or "your team",
        "content_title": content.title if content else "",
        "content_url": content.url if content else "",
        "content_summary": (content.summary or "") if content else "",
        "content_type": content.kind_label.lower() if content else "",
        "topic": fields.topic or (content.tags[0] if content and content.tags else "this"),
        "post_title": fields.post_title or "your latest post",
        "post_url": fields.post_url or "",
    }


def render(template: ShareTemplate, fields: ShareFields) -> str:
    """The filled text, whitespace tidied; the rep edits it before queueing."""
    text = template.text.format_map(_Defaulting(field_values(fields)))
    return " ".join(text.split())


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def pick(templates: list[ShareTemplate], template_id: str) -> ShareTemplate:
    for template in templates:
        if template.id == template_id:
            return template
    known = ", ".join(t.id for t in templates)
    raise UserError(f"There is no template {template_id!r}; templates are: {known}.")


def as_json(template: ShareTemplate, text: str) -> Mapping[str, Any]:
    return {"template": template.id, "move": template.move, "text": text}
