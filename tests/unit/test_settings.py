"""Settings: declared once, validated strictly, and never able to break start-up."""

from __future__ import annotations

import pytest

from smarketing_desktop.core.settings import SETTINGS, SettingError, spec_for
from smarketing_desktop.db.models import Setting
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database


def test_unset_settings_read_as_their_defaults(db: Database) -> None:
    repo = SettingsRepository(db)
    assert repo.all() == {key: spec.default for key, spec in SETTINGS.items()}
    assert repo.get("refresh_interval_minutes") == 30


def test_values_typed_by_a_user_are_parsed_and_kept(db: Database) -> None:
    repo = SettingsRepository(db)
    assert repo.set_text("refresh_interval_minutes", " 45 ") == 45
    assert repo.set_text("refresh_on_start", "no") is False
    assert SettingsRepository(db).get("refresh_interval_minutes") == 45
    assert repo.reset("refresh_interval_minutes") == 30
    assert repo.get("refresh_interval_minutes") == 30


@pytest.mark.parametrize(
    ("key", "text", "words"),
    [
        ("refresh_interval_minutes", "2", "from 5 to 1440"),
        ("refresh_interval_minutes", "soon", "whole number"),
        ("refresh_on_start", "maybe", "true or false"),
        ("no_such_setting", "1", "no setting 'no_such_setting'"),
    ],
)
def test_bad_values_and_unknown_keys_are_refused(
    db: Database, key: str, text: str, words: str
) -> None:
    repo = SettingsRepository(db)
    with pytest.raises(SettingError, match=words):
        repo.set_text(key, text)
    if key in SETTINGS:
        assert repo.get(key) == SETTINGS[key].default


def test_a_stored_value_that_no_longer_fits_falls_back_to_the_default(db: Database) -> None:
    with db.session() as session:
        session.add(Setting(key="refresh_interval_minutes", value='"every hour"'))
    assert SettingsRepository(db).get("refresh_interval_minutes") == 30


def test_every_setting_documents_itself() -> None:
    for key, spec in SETTINGS.items():
        assert spec.description.endswith(".")
        assert spec_for(key).check(spec.default) == spec.default


def test_readme_documents_every_setting() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = {line.split("`")[1] for line in readme.splitlines() if line.startswith("| `")}
    assert documented == set(SETTINGS)


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [("working_days", "sun-thu", "Mon,Tue,Wed,Thu,Sun"), ("holiday_country", " de ", "DE"),
     ("holiday_country", "", ""), ("fiscal_year_naming", "start", "start")],
)  # fmt: skip
def test_formatted_settings_are_stored_in_one_form(
    db: Database, key: str, typed: str, stored: str
) -> None:
    assert SettingsRepository(db).set_text(key, typed) == stored
    assert SettingsRepository(db).get(key) == stored


@pytest.mark.parametrize(
    ("key", "typed"),
    [("holiday_country", "Narnia"), ("working_days", "weekdays"), ("fiscal_year_naming", "middle"),
     ("plan_lead_days", "30"), ("fiscal_year_start_month", "13")],
)  # fmt: skip
def test_calendar_settings_refuse_what_a_plan_cannot_use(
    db: Database, key: str, typed: str
) -> None:
    with pytest.raises(SettingError):
        SettingsRepository(db).set_text(key, typed)


def test_touch_settings_that_contradict_each_other_are_refused(db: Database) -> None:
    repo = SettingsRepository(db)
    assert repo.set_text("touch_ideal_days", "25") == 25
    with pytest.raises(SettingError, match=r"more than touch_ideal_days, which is 25"):
        repo.set_text("touch_max_days", "5")
    with pytest.raises(SettingError, match=r"more than touch_ideal_days, which is 25"):
        repo.set_text("touch_max_days", "25")
    assert repo.get("touch_max_days") == 30  # nothing stored
    with pytest.raises(SettingError, match=r"less than touch_max_days, which is 30"):
        repo.set_text("touch_ideal_days", "40")
    assert repo.get("touch_ideal_days") == 25
    assert repo.set_text("touch_max_days", "60") == 60
    assert repo.set_text("touch_ideal_days", "40") == 40
    # Resetting the maximum to its default (30) would put it under the ideal (40).
    with pytest.raises(SettingError, match=r"more than touch_ideal_days, which is 40"):
        repo.reset("touch_max_days")
    assert repo.get("touch_max_days") == 60
    assert repo.reset("touch_ideal_days") == 14
