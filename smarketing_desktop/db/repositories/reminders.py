"""The day the rep was last reminded of the day's plan steps and follow-ups, kept with the
workspace so a restart never reminds twice the same day. Also what such a reminder counts.

Kept in the settings table under a key no setting declares (the leading underscore marks app
state): it lives and moves with the workspace like the settings, but `SettingsRepository`,
the `settings` command and the settings screen only ever see declared keys, so the rep never
meets it as a setting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from smarketing_desktop.db.models import Setting
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database

REMINDED_ON_KEY = "_reminder.reminded_on"


@dataclass(frozen=True)
class DueToday:
    steps: int
    followups: int


class ReminderLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def last_reminded(self) -> date | None:
        with self._db.session() as session:
            row = session.get(Setting, REMINDED_ON_KEY)
            return _decode(row.value) if row is not None else None

    def claim(self, day: date) -> bool:
        """Record `day` as reminded unless it (or a later day) already is, in one transaction;
        True when this caller is the one to remind. Two checks racing (a check that overran
        the next tick) cannot both win."""
        with self._db.session() as session:
            row = session.get(Setting, REMINDED_ON_KEY, with_for_update=True)
            last = _decode(row.value) if row is not None else None
            if last is not None and last >= day:
                return False
            encoded = json.dumps(day.isoformat())
            if row is None:
                session.add(Setting(key=REMINDED_ON_KEY, value=encoded))
            else:
                row.value = encoded
        return True


def due_today(db: Database, today: date) -> DueToday:
    """What Today lists as due: plan steps of open deals and follow-ups, up to `today`."""
    from smarketing_desktop.today import due_steps  # noqa: PLC0415 (Today's own definition)

    return DueToday(len(due_steps(db, today)), len(QueueRepository(db).due_followups(today)))


def _decode(raw: str) -> date | None:
    try:
        value = json.loads(raw)
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # unreadable: better one reminder too many than none
