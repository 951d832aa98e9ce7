"""Every user setting, declared once: type, default, limits and what it is for.

Like qutebrowser's configdata: the declarations are the single source for validation, the
`settings` command, README documentation and the settings screen. Unknown keys and bad values
are refused with a message that says what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from smarketing_desktop.core.errors import UserError

Kind = Literal["int", "bool", "str"]


class SettingError(UserError):
    """An unknown key or a value the key does not accept."""


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: Kind
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()

    def allowed(self) -> str:
        if self.kind == "bool":
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind == "int":
            return f"a whole number from {self.minimum} to {self.maximum}"
        return "text"

    def parse(self, text: str) -> Any:
        """The typed value of `text` (as typed on the command line or in a form)."""
        raw = text.strip()
        if self.kind == "bool":
            lowered = raw.lower()
            if lowered in ("true", "yes", "on", "1"):
                return True
            if lowered in ("false", "no", "off", "0"):
                return False
            raise SettingError(f"{self.key} must be {self.allowed()}, not {text!r}.")
        if self.kind == "int":
            try:
                value = int(raw)
            except ValueError:
                raise SettingError(f"{self.key} must be {self.allowed()}, not {text!r}.") from None
            return self.check(value)
        return self.check(raw)

    def check(self, value: Any) -> Any:
        """Validate an already typed value (from storage or code)."""
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingError(f"{self.key} must be {self.allowed()}.")
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise SettingError(f"{self.key} must be {self.allowed()}, not {value}.")
        elif self.kind == "bool":
            if not isinstance(value, bool):
                raise SettingError(f"{self.key} must be {self.allowed()}.")
        elif not isinstance(value, str) or (self.choices and value not in self.choices):
            raise SettingError(f"{self.key} must be {self.allowed()}, not {value!r}.")
        return value


_DECLARED = (
    SettingSpec(
        "refresh_interval_minutes",
        "int",
        30,
        "How often the window checks prospects' feeds in the background.",
        minimum=5,
        maximum=1440,
    ),
    SettingSpec(
        "refresh_on_start",
        "bool",
        True,
        "Check feeds that are due as soon as the window opens.",
    ),
)

SETTINGS: dict[str, SettingSpec] = {spec.key: spec for spec in _DECLARED}


def spec_for(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        known = ", ".join(sorted(SETTINGS))
        raise SettingError(f"There is no setting {key!r}. Settings are: {known}.") from None
