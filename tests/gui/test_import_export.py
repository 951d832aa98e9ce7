"""Importing a CRM export with a per-row preview, and exporting prospects to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.prospect_csv import parse_prospect_csv
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.ui.import_dialog import NO_FILE, ImportDialog
from smarketing_desktop.ui.import_preview import WILL_IMPORT
from smarketing_desktop.ui.main_window import MainWindow
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import FakeChooser, add_prospects, wait_idle
from tests.support.csv_samples import HUBSPOT_10_ROWS_2_BAD


def start_import(qtbot: QtBot, window: MainWindow, chooser: FakeChooser, csv: Path) -> ImportDialog:
    chooser.open_path = csv
    window.actions_by_name["import"].trigger()
    dialog = window.prospects_view.import_dialog
    assert dialog is not None and dialog.isVisible()
    wait_idle(qtbot, window.runner)
    return dialog


def preview_table(dialog: ImportDialog) -> list[tuple[str, ...]]:
    model = dialog.preview
    return [
        tuple(str(model.data(model.index(r, c))) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_preview_shows_each_row_with_its_line_and_import_stores_only_good_rows(
    qtbot: QtBot,
    tmp_path: Path,
    repo: ProspectRepository,
    window: MainWindow,
    chooser: FakeChooser,
) -> None:
    csv = tmp_path / "hubspot.csv"
    csv.write_text(HUBSPOT_10_ROWS_2_BAD, encoding="utf-8")
    dialog = start_import(qtbot, window, chooser, csv)

    assert dialog.path_label.text() == str(csv)
    rows = preview_table(dialog)
    assert [int(r[0]) for r in rows] == list(range(2, 12))  # file lines, header is line 1
    assert rows[0] == (
        "2",
        "Ada Lovelace",
        "Analytical Engines",
        "ada@engines.example",
        WILL_IMPORT,
    )
    skipped = {r[0]: r[4] for r in rows if r[4] != WILL_IMPORT}
    assert set(skipped) == {"4", "9"}
    assert skipped["4"].startswith("Skipped: Email")
    assert skipped["9"].startswith("Skipped: Name")
    model = dialog.preview
    bad = model.index(2, 4)
    assert model.data(bad, Qt.ItemDataRole.ForegroundRole) is not None  # marked in color
    assert model.data(bad, Qt.ItemDataRole.DecorationRole) is not None  # and with an icon
    assert model.data(model.index(0, 4), Qt.ItemDataRole.ForegroundRole) is None
    assert dialog.summary.text() == "8 will be imported, 2 skipped"
    assert dialog.import_button.text() == "&Import 8 prospects"
    assert repo.count() == 0  # nothing stored before the user says so

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)

    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Imported 8 prospects; 2 rows skipped"
    assert repo.count() == 8
    view = window.prospects_view
    assert view.model.rowCount() == 8
    assert view.count_label.text() == "8 prospects"
    assert window.current_area.key == "prospects"


def test_rows_already_stored_are_skipped_with_the_reason(
    qtbot: QtBot,
    tmp_path: Path,
    repo: ProspectRepository,
    open_window: WindowFactory,
    chooser: FakeChooser,
) -> None:
    add_prospects(repo, ProspectDraft(name="Grace Hopper", email="grace@navy.example"))
    window = open_window()
    csv = tmp_path / "hubspot.csv"
    csv.write_text(HUBSPOT_10_ROWS_2_BAD, encoding="utf-8")
    dialog = start_import(qtbot, window, chooser, csv)
    line3 = next(r for r in preview_table(dialog) if r[0] == "3")
    assert "grace@navy.example exists" in line3[4]
    assert dialog.summary.text() == "7 will be imported, 3 skipped"


def test_a_file_that_is_not_a_prospect_list_is_explained(
    qtbot: QtBot, tmp_path: Path, window: MainWindow, chooser: FakeChooser
) -> None:
    csv = tmp_path / "orders.csv"
    csv.write_text("order,amount\n1,20\n", encoding="utf-8")
    dialog = start_import(qtbot, window, chooser, csv)
    assert dialog.message.isVisible()
    assert "No name column found" in dialog.message.text()
    assert dialog.preview.rowCount() == 0
    assert not dialog.import_button.isEnabled()

    dialog.load_file(tmp_path / "missing.csv")
    wait_idle(qtbot, window.runner)
    assert dialog.message.text().startswith("The file cannot be read")
    dialog.reject()


def test_cancelling_the_file_picker_leaves_the_dialog_waiting(
    qtbot: QtBot, window: MainWindow, chooser: FakeChooser
) -> None:
    window.import_prospects()
    dialog = window.prospects_view.import_dialog
    assert dialog is not None
    assert chooser.asked == ["open"]
    assert dialog.path_label.text() == NO_FILE
    assert not dialog.import_button.isEnabled()
    dialog.reject()


def test_export_writes_a_csv_the_importer_reads_back(
    qtbot: QtBot,
    tmp_path: Path,
    repo: ProspectRepository,
    open_window: WindowFactory,
    chooser: FakeChooser,
) -> None:
    add_prospects(
        repo,
        ProspectDraft(name="Ada Lovelace", company="Engines", tags=("a", "b")),
        ProspectDraft(name="Grace Hopper", email="grace@navy.example"),
    )
    window = open_window()
    chooser.save_path = tmp_path / "out.csv"
    window.actions_by_name["export"].trigger()
    wait_idle(qtbot, window.runner)

    assert window.statusBar().currentMessage() == f"Exported 2 prospects to {chooser.save_path}"
    parsed = parse_prospect_csv(chooser.save_path.read_bytes())
    assert [r.draft.name for r in parsed.rows] == ["Ada Lovelace", "Grace Hopper"]
    assert parsed.rows[0].draft.tags == ("a", "b")
