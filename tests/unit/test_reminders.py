"""The daily reminder: once a day at the rep's time, also after the app was closed over it,
never twice the same day (also across restarts), and off when the time is empty."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.core.reminders import (
    ReminderDecision,
    decide,
    normalize_reminder_time,
    parse_reminder_time,
    reminder_message,
)
from smarketing_desktop.core.settings import SettingError
from smarketing_desktop.db.repositories.opportunities import OpportunityDraft, OpportunityRepository
from smarketing_desktop.db.repositories.plans import PlanRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.repositories.reminders import ReminderLog, due_today
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database

CET = timezone(timedelta(hours=1))
NINE = time(9, 0)
MONDAY = date(2026, 11, 23)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CET)


def test_before_the_time_it_waits_for_the_time() -> None:
    assert decide(at(8, 30), NINE, MONDAY - timedelta(days=1)) == ReminderDecision(False, at(9))


def test_at_or_after_the_time_it_reminds_and_waits_for_tomorrow() -> None:
    tomorrow = at(9, day=MONDAY + timedelta(days=1))
    assert decide(at(9), NINE, None) == ReminderDecision(True, tomorrow)
    assert decide(at(14, 5), NINE, MONDAY - timedelta(days=1)) == ReminderDecision(True, tomorrow)


def test_already_reminded_today_it_waits_for_tomorrow() -> None:
    tomorrow = at(9, day=MONDAY + timedelta(days=1))
    assert decide(at(9, 1), NINE, MONDAY) == ReminderDecision(False, tomorrow)
    assert decide(at(23, 59), NINE, MONDAY) == ReminderDecision(False, tomorrow)
    # The clock was turned back to a day before the last reminder: still no second one.
    assert not decide(at(10), NINE, MONDAY + timedelta(days=3)).remind_now


def test_the_app_closed_over_the_time_reminds_at_the_next_start() -> None:
    # Last reminded on Friday, closed over the weekend, opened on Monday at 10:40.
    friday = MONDAY - timedelta(days=3)
    assert decide(at(10, 40), NINE, friday).remind_now
    # Opened early on Monday: Monday's reminder comes at nine, not at once.
    assert decide(at(7, 15), NINE, friday) == ReminderDecision(False, at(9))


def test_an_empty_time_turns_reminders_off() -> None:
    assert decide(at(10), None, None) == ReminderDecision(False, None)
    assert parse_reminder_time("") is None and parse_reminder_time("  ") is None


def test_the_next_time_is_in_the_zone_now_is_in() -> None:
    utc = decide(datetime(2026, 11, 23, 8, tzinfo=UTC), NINE, None)
    assert utc.next_at == datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "stored"), [("09:00", "09:00"), ("9:05", "09:05"), (" 17:30 ", "17:30"), ("", "")]
)
def test_reminder_times_are_stored_in_one_form(db: Database, typed: str, stored: str) -> None:
    assert normalize_reminder_time(typed) == stored
    assert SettingsRepository(db).set_text("reminder_time", typed) == stored
    assert SettingsRepository(db).get("reminder_time") == stored


@pytest.mark.parametrize("typed", ["9", "nine", "24:00", "09:60", "9:5", "09:00:00"])
def test_bad_reminder_times_are_refused_with_the_form_wanted(db: Database, typed: str) -> None:
    with pytest.raises(SettingError, match="a time of day such as 09:00"):
        SettingsRepository(db).set_text("reminder_time", typed)
    assert SettingsRepository(db).get("reminder_time") == "09:00"


def test_the_message_counts_steps_and_follow_ups() -> None:
    assert reminder_message(3, 1) == "3 plan steps and 1 follow-up are due today"
    assert reminder_message(1, 0) == "1 plan step is due today"
    assert reminder_message(0, 2) == "2 follow-ups are due today"
    assert reminder_message(0, 0) is None


def test_the_day_reminded_survives_a_restart_and_is_claimed_once(db: Database) -> None:
    log = ReminderLog(db)
    assert log.last_reminded() is None
    assert log.claim(MONDAY)
    assert not ReminderLog(db).claim(MONDAY)  # a second check (or window) that day
    assert not ReminderLog(db).claim(MONDAY - timedelta(days=1))
    assert ReminderLog(db).last_reminded() == MONDAY
    # Kept apart from the settings the rep sees.
    assert "_reminder.reminded_on" not in SettingsRepository(db).all()
    assert ReminderLog(db).claim(MONDAY + timedelta(days=1))


def test_what_is_due_today_is_what_today_lists(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-23T09:00:00+00:00")
    prospect = ProspectRepository(db).add(ProspectDraft(name="Dana", company="Northwind")).id
    opportunity = OpportunityRepository(db).add(
        OpportunityDraft(prospect, "Warehouse move", date(2027, 2, 15), amount="50000")
    )
    steps = PlanRepository(db).generate(opportunity.id, candidates=[]).steps  # starts late: today
    queue = QueueRepository(db)
    queue.add_followup(prospect_id=prospect, due=MONDAY, note="Send the link")
    queue.add_followup(prospect_id=prospect, due=MONDAY + timedelta(days=2), note="Later")
    assert steps[0].due == MONDAY
    due = due_today(db, MONDAY)
    assert (due.steps, due.followups) == (1, 1)
    assert due_today(db, MONDAY + timedelta(days=2)).followups == 2
