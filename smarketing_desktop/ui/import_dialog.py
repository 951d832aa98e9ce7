"""Importing prospects from a CRM's CSV export (the dialog itself is `CsvImportDialog`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from smarketing_desktop.core.prospect_csv import parse_prospect_csv
from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.db.repositories.prospects import ImportPlan, ProspectRepository
from smarketing_desktop.ui.csv_import_dialog import NO_FILE, CsvImportDialog
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.import_preview import ImportPreviewModel
from smarketing_desktop.ui.tasks import TaskRunner

__all__ = ["NO_FILE", "ImportDialog", "import_report", "import_summary"]


def import_summary(plan: ImportPlan) -> str:
    return f"{len(plan.rows)} will be imported, {len(plan.skipped)} skipped"


def import_report(imported: int, skipped: int) -> str:
    report = f"Imported {plural(imported, 'prospect')}"
    return f"{report}; {plural(skipped, 'row')} skipped" if skipped else report


class ImportDialog(CsvImportDialog):
    title = "Import prospects from CSV"
    choose_tip = "Pick a CSV export from your CRM or a spreadsheet"
    import_name = "Import prospects"
    noun = button_noun = "prospect"
    column_widths = (60, 180, 160, 220)
    preview: ImportPreviewModel

    def __init__(
        self,
        repo: ProspectRepository,
        runner: TaskRunner,
        chooser: FileChooser,
        parent: QWidget | None = None,
    ) -> None:
        self._repo = repo
        super().__init__(runner, chooser, ImportPreviewModel(), parent)

    def plan_file(self, data: bytes) -> ImportPlan:
        return self._repo.plan_import(parse_prospect_csv(data))

    def plan_summary(self, plan: ImportPlan) -> str:
        return import_summary(plan)

    def store(self, plan: ImportPlan) -> list[Prospect]:
        return self._repo.run_import(plan)

    def report(self, plan: ImportPlan, stored: list[Prospect]) -> str:
        return import_report(len(stored), len(plan.skipped))
