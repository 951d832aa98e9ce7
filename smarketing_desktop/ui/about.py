"""The About box: version and where this workspace keeps its data, for support questions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.engine import make_url

from smarketing_desktop import APP_NAME, __version__
from smarketing_desktop.paths import Workspace


def about_text(workspace: Workspace) -> str:
    # A server URL may carry a password; the About box is what people paste into bug reports.
    database = make_url(workspace.db_url).render_as_string(hide_password=True)
    return (
        f"{APP_NAME} {__version__}\n\n"
        "Social selling as a daily habit, stored locally.\n\n"
        f"Data folder: {workspace.home}\n"
        f"Database: {database}"
    )


def about_box(workspace: Workspace, parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(about_text(workspace))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAccessibleName(f"About {APP_NAME}")
    return box
