"""Test doubles and small steps shared by the window tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.ui.tasks import TaskRunner


class FakeChooser:
    """Answers file dialogs with prepared paths, and records that it was asked."""

    def __init__(self) -> None:
        self.open_path: Path | None = None
        self.save_path: Path | None = None
        self.asked: list[str] = []

    def open_csv(self, parent: QWidget) -> Path | None:
        self.asked.append("open")
        return self.open_path

    def save_csv(self, parent: QWidget, suggested_name: str) -> Path | None:
        self.asked.append("save")
        return self.save_path


class UrlCatcher(QObject):
    """Stands in for the browser: `QDesktopServices.openUrl` hands URLs here instead."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def wait_idle(qtbot: QtBot, runner: TaskRunner) -> None:
    """Until every background task has delivered its result (chained tasks included)."""
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)


def add_prospects(repo: ProspectRepository, *drafts: ProspectDraft) -> list[int]:
    return [p.id for p in repo.add_many(drafts)]


def numbered_drafts(count: int) -> list[ProspectDraft]:
    return [
        ProspectDraft(
            name=f"Person {i:04d}",
            company=f"Company {i % 7}",
            email=f"person{i}@example.com",
            tags=("even",) if i % 2 == 0 else ("odd",),
        )
        for i in range(count)
    ]
