"""Asking the user for a file, behind a small interface so tests can answer without a dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QWidget

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"


class FileChooser(Protocol):
    def open_csv(self, parent: QWidget) -> Path | None: ...

    def save_csv(self, parent: QWidget, suggested_name: str) -> Path | None: ...


class DialogFileChooser:
    """The real thing: the platform's file dialogs, remembering the last folder used."""

    def __init__(self, start_dir: Path | None = None) -> None:
        self._last_dir = start_dir or Path.home()

    def open_csv(self, parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Import prospects from CSV", str(self._last_dir), CSV_FILTER
        )
        return self._remember(chosen)

    def save_csv(self, parent: QWidget, suggested_name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export prospects to CSV", str(self._last_dir / suggested_name), CSV_FILTER
        )
        return self._remember(chosen)

    def _remember(self, chosen: str) -> Path | None:
        if not chosen:
            return None
        path = Path(chosen)
        self._last_dir = path.parent
        return path
