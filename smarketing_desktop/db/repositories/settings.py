"""Settings stored as JSON values; every read and write goes through the declarations."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from smarketing_desktop.core.settings import SETTINGS, SettingError, cross_check, spec_for
from smarketing_desktop.db.models import Setting
from smarketing_desktop.db.store import Database

log = logging.getLogger(__name__)


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str) -> Any:
        """The stored value, or the default when unset or no longer valid."""
        spec = spec_for(key)
        with self._db.session() as session:
            raw = session.scalar(select(Setting.value).where(Setting.key == key))
        return self._decode(key, raw, spec.default)

    def all(self) -> dict[str, Any]:
        with self._db.session() as session:
            rows = session.execute(select(Setting.key, Setting.value)).all()
        stored: dict[str, str] = {row.key: row.value for row in rows}
        return {
            key: self._decode(key, stored.get(key), spec.default) for key, spec in SETTINGS.items()
        }

    def set_text(self, key: str, text: str) -> Any:
        """Parse and store a value typed by the user; returns the typed value."""
        return self.set(key, spec_for(key).parse(text))

    def set(self, key: str, value: Any) -> Any:
        """Store `value`; refused (nothing stored) when it is out of range or contradicts
        another setting, so prospects never get a cadence the user did not mean."""
        checked = spec_for(key).check(value)
        with self._db.session() as session:
            cross_check(key, checked, lambda other: self._read(session, other))
            row = session.get(Setting, key)
            encoded = json.dumps(checked)
            if row is None:
                session.add(Setting(key=key, value=encoded))
            else:
                row.value = encoded
        return checked

    def reset(self, key: str) -> Any:
        """Back to the default; refused like `set` when the default contradicts another
        setting the user changed (ideal 40 days, then resetting the maximum to 30)."""
        spec = spec_for(key)
        with self._db.session() as session:
            cross_check(key, spec.default, lambda other: self._read(session, other))
            session.execute(delete(Setting).where(Setting.key == key))
        return spec.default

    def _read(self, session: Session, key: str) -> Any:
        raw = session.scalar(select(Setting.value).where(Setting.key == key))
        return self._decode(key, raw, spec_for(key).default)

    @staticmethod
    def _decode(key: str, raw: str | None, default: Any) -> Any:
        if raw is None:
            return default
        try:
            return spec_for(key).check(json.loads(raw))
        except (ValueError, SettingError):
            # A value written by a newer or older version that no longer fits: keep working.
            log.warning("Ignoring stored value for setting %s; using the default", key)
            return default
