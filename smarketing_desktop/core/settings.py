"""Every user setting, declared once: type, default, limits and what it is for.

Like qutebrowser's configdata: the declarations are the single source for validation, the
`settings` command, README documentation and the settings screen. Unknown keys and bad values
are refused with a message that says what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.fiscal import (
    format_working_days,
    parse_working_days,
    supported_countries,
)
from smarketing_desktop.core.reminders import normalize_reminder_time
from smarketing_desktop.core.slots import DEFAULT_SLOTS, normalize_slots

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
    # For text settings with a format (weekday ranges, country codes): returns the stored form
    # or raises ValueError with what is wrong.
    normalize: Callable[[str], str] | None = None
    allowed_text: str = "text"
    # What the settings screen calls it; empty: the key in words ("refresh_on_start" ->
    # "Refresh on start"), which reads well for most keys.
    label: str = ""
    # The key of a setting this one must stay above (touch_max_days > touch_ideal_days). Declared
    # here rather than coded in the repository so each pair is stated once, next to its limits.
    more_than: str = ""

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        words = self.key.replace("_", " ").strip()
        return words[:1].upper() + words[1:]

    def allowed(self) -> str:
        if self.kind == "bool":
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind == "int":
            return f"a whole number from {self.minimum} to {self.maximum}"
        return self.allowed_text

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
        elif self.normalize is not None:
            try:
                return self.normalize(value)
            except ValueError as exc:
                raise SettingError(f"{self.key} must be {self.allowed()}: {exc}") from None
        return value


def _working_days(text: str) -> str:
    return format_working_days(parse_working_days(text))


def _host(text: str) -> str:
    host = text.strip().lower().removeprefix("https://").removeprefix("http://").strip("/")
    if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host):
        raise ValueError(f"{text!r} is not a server name")
    return host


def _country(text: str) -> str:
    code = text.strip().upper()
    if code and code not in supported_countries():
        raise ValueError(
            f"{text!r} is not a country code the holiday calendar knows (e.g. US, GB, DE)"
        )
    return code


_DECLARED: tuple[SettingSpec, ...] = (
    SettingSpec(
        "refresh_interval_minutes",
        "int",
        30,
        "How often the window checks prospects' feeds in the background.",
        minimum=5,
        maximum=1440,
        label="Feed check interval (minutes)",
    ),
    SettingSpec(
        "refresh_on_start",
        "bool",
        True,
        "Check feeds that are due as soon as the window opens.",
    ),
    SettingSpec(
        "fiscal_year_start_month",
        "int",
        1,
        "The month your company's fiscal year starts in (1 = January).",
        minimum=1,
        maximum=12,
    ),
    SettingSpec(
        "fiscal_year_naming",
        "str",
        "end",
        "Name fiscal years after the calendar year they end in ('end') or start in ('start').",
        choices=("end", "start"),
    ),
    SettingSpec(
        "working_days",
        "str",
        "Mon,Tue,Wed,Thu,Fri",
        "Days plan steps may fall on, e.g. Mon-Fri or Sun-Thu.",
        normalize=_working_days,
        allowed_text="weekdays such as Mon-Fri or Mon,Wed,Fri",
    ),
    SettingSpec(
        "holiday_country",
        "str",
        "",
        "Country whose public holidays plan steps avoid (ISO code such as US or DE; empty: none).",
        normalize=_country,
        allowed_text="an ISO country code such as US, GB or DE, or empty",
    ),
    SettingSpec(
        "touch_ideal_days",
        "int",
        14,
        "Touch each prospect at least this often; past it they show amber on Today. "
        "The default for prospects without their own.",
        minimum=1,
        maximum=180,
        label="Ideal days between touches",
    ),
    SettingSpec(
        "touch_max_days",
        "int",
        30,
        "Never leave a prospect longer than this; past it they show red (going cold). "
        "The default for prospects without their own.",
        minimum=2,
        maximum=365,
        label="Maximum days between touches",
        more_than="touch_ideal_days",
    ),
    SettingSpec(
        "plan_lead_days",
        "int",
        180,
        "How many days before the quarter end an engagement plan starts.",
        minimum=90,
        maximum=180,
        label="Plan lead time (days)",
    ),
    SettingSpec(
        "reminder_time",
        "str",
        "09:00",
        "When the window reminds you of the plan steps and follow-ups due that day, once a "
        "day (HH:MM, local time; empty: no reminder).",
        normalize=normalize_reminder_time,
        allowed_text="a time of day such as 09:00, or empty",
        label="Daily reminder time",
    ),
    SettingSpec(
        "profile_keywords",
        "str",
        "",
        "Keyword phrases marketing wants in your profile, separated by ; "
        "(e.g. cloud migration; FinOps).",
        allowed_text="phrases separated by ;, or empty",
    ),
    SettingSpec(
        "profile_review_days",
        "int",
        30,
        "Remind me to review my profiles this often (days).",
        minimum=7,
        maximum=180,
        label="Profile review every (days)",
    ),
)


_QUEUE_SETTINGS = (
    *(
        SettingSpec(
            f"slots_{channel}",
            "str",
            DEFAULT_SLOTS,
            f"When queued {label} shares go out (local time), e.g. 'Mon-Fri 09:00,12:30,16:30'.",
            normalize=normalize_slots,
            allowed_text="days and times such as 'Mon-Fri 09:00,12:30; Sat 10:00'",
            label=f"{label} slots",
        )
        for channel, label in (
            ("x", "X"),
            ("linkedin", "LinkedIn"),
            ("mastodon", "Mastodon"),
            ("bluesky", "Bluesky"),
        )
    ),
    SettingSpec(
        "mastodon_instance",
        "str",
        "mastodon.social",
        "The Mastodon server you post from (its share page opens for queued Mastodon shares).",
        normalize=_host,
        allowed_text="a server name such as mastodon.social",
    ),
)

_X_SETTINGS = (
    SettingSpec(
        "x_monthly_budget_usd",
        "int",
        10,
        "Monthly budget in US dollars for the X API (X bills each post read); tracking X "
        "pauses when it is reached.",
        minimum=0,
        maximum=10000,
        label="X monthly budget (US$)",
    ),
    SettingSpec(
        "x_poll_minutes",
        "int",
        60,
        "How often the window checks tracked prospects' X posts.",
        minimum=15,
        maximum=1440,
        label="X check interval (minutes)",
    ),
)

SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec for spec in (*_DECLARED, *_QUEUE_SETTINGS, *_X_SETTINGS)
}


def cross_check(key: str, value: Any, current: Callable[[str], Any]) -> None:
    """Refuse `value` for `key` when it contradicts a setting it is declared against.

    A single setting can be within its own limits and still make no sense next to another
    (ideal 40 days, maximum 5): storing it would leave prospects with a cadence nobody chose.
    `current(other_key)` gives the other setting's value as it is now. The message names that
    value so the user knows which one to change.
    """
    spec = spec_for(key)
    if spec.more_than:
        other = current(spec.more_than)
        if not value > other:
            raise SettingError(
                f"{key} must be more than {spec.more_than}, which is {other}; "
                f"set {key} above {other} or lower {spec.more_than} first."
            )
    for other_spec in SETTINGS.values():
        if other_spec.more_than == key:
            other = current(other_spec.key)
            if not other > value:
                raise SettingError(
                    f"{key} must be less than {other_spec.key}, which is {other}; "
                    f"set {key} below {other} or raise {other_spec.key} first."
                )


def spec_for(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        known = ", ".join(sorted(SETTINGS))
        raise SettingError(f"There is no setting {key!r}. Settings are: {known}.") from None
