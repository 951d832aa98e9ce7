"""Files the profile checklist asks for: profile images to read, and reviews to save.

The dialogs sit behind a small protocol (like `file_chooser.FileChooser` for CSV) so tests can
answer with prepared paths instead of a modal dialog. The PDF is rendered here from the same
Markdown the CLI exports, with `QTextDocument` and `QPdfWriter` (both in QtGui), so the two
exports always say the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QWidget

from smarketing_desktop import APP_NAME

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp);;All files (*)"
MARKDOWN_FILTER = "Markdown files (*.md);;All files (*)"
PDF_FILTER = "PDF files (*.pdf);;All files (*)"
PDF_RESOLUTION = 300
PDF_MARGIN_MM = 18.0


class ChecklistFileChooser(Protocol):
    def open_image(self, parent: QWidget, title: str) -> Path | None: ...

    def save_markdown(self, parent: QWidget, suggested_name: str) -> Path | None: ...

    def save_pdf(self, parent: QWidget, suggested_name: str) -> Path | None: ...


class DialogChecklistFileChooser:
    """The platform's file dialogs, opening where the rep last picked or saved a file."""

    def __init__(self, start_dir: Path | None = None) -> None:
        self._last_dir = start_dir or Path.home()

    def open_image(self, parent: QWidget, title: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, str(self._last_dir), IMAGE_FILTER)
        return self._remember(chosen)

    def save_markdown(self, parent: QWidget, suggested_name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            "Export review as Markdown",
            str(self._last_dir / suggested_name),
            MARKDOWN_FILTER,
        )
        return self._remember(chosen)

    def save_pdf(self, parent: QWidget, suggested_name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export review as PDF", str(self._last_dir / suggested_name), PDF_FILTER
        )
        return self._remember(chosen)

    def _remember(self, chosen: str) -> Path | None:
        if not chosen:
            return None
        path = Path(chosen)
        self._last_dir = path.parent
        return path


def markdown_to_pdf(markdown: str, title: str) -> bytes:
    """An A4 PDF of `markdown`, in memory (written to disk by the caller, off the UI thread).

    `QTextDocument.print_` paints with black text whatever the window's theme, so a review
    exported in dark mode prints like any other document.
    """
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator(APP_NAME)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setMarkdown(markdown)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    document.print_(writer)
    data = bytes(buffer.data().data())
    buffer.close()
    return data
