"""Naming and writing exported checklist reviews, shared by the window and any later caller.

The report itself is `checklists.review_markdown`; this module only decides what the file is
called and makes sure it lands with the right extension. A rep who types "review" in a save
dialog expects "review.md", not a file without an extension that no program will open.
Qt-free: the PDF bytes are rendered by the window (QTextDocument) and written here.
"""

from __future__ import annotations

from pathlib import Path

from smarketing_desktop.core.checklists import Checklist, Review


def export_file_name(review: Review, suffix: str) -> str:
    """`linkedin-profile-review-2027-03-31.md`: sorts by network, then by date, in a folder."""
    day = review.reviewed_at.astimezone().strftime("%Y-%m-%d")
    return f"{review.network}-profile-review-{day}.{suffix.lstrip('.')}"


def with_suffix(path: Path, suffix: str) -> Path:
    """`path` with `.suffix` added when the rep typed a name without any extension."""
    wanted = "." + suffix.lstrip(".")
    return path if path.suffix else path.with_name(path.name + wanted)


def report_title(review: Review, checklist: Checklist | None) -> str:
    """The document title a PDF carries in its metadata (shown by viewers in the title bar)."""
    name = checklist.title if checklist else f"{review.network} profile"
    day = review.reviewed_at.astimezone().strftime("%Y-%m-%d")
    return f"{name}: review of {day}"


def write_export(path: Path, data: bytes) -> Path:
    """Write the whole report, or leave any earlier file at `path` as it was.

    The bytes go to a temporary file beside the target first and replace it only once
    complete, so a full disk never leaves a half-written report behind.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path
