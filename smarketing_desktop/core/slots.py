"""Posting time slots per channel: "Mon-Fri 09:00,12:30,16:30", in the machine's local time.

A share added without a time takes its channel's next free slot. Slots are wall-clock times in
the local zone, so a 09:00 slot stays at 09:00 across a daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from smarketing_desktop.core.fiscal import WEEKDAYS, format_working_days, parse_working_days

CHANNELS = ("x", "linkedin", "mastodon", "bluesky")
DEFAULT_SLOTS = "Mon-Fri 09:00,12:30,16:30"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class SlotSchedule:
    """Per weekday (Monday is 0), the times of day a channel posts at."""

    times: dict[int, tuple[time, ...]]

    @classmethod
    def parse(cls, text: str) -> SlotSchedule:
        """'Mon-Fri 09:00,12:30; Sat 10:00' -> schedule; raises ValueError saying what is wrong."""
        times: dict[int, set[time]] = {}
        for segment in filter(None, (part.strip() for part in text.split(";"))):
            days_text, _, times_text = segment.partition(" ")
            days = parse_working_days(days_text)
            moments = []
            for piece in filter(None, (p.strip() for p in times_text.split(","))):
                match = _TIME.match(piece)
                if not match:
                    raise ValueError(f"{piece!r} is not a time like 09:00.")
                moments.append(time(int(match.group(1)), int(match.group(2))))
            if not moments:
                raise ValueError(f"{segment!r} needs times, e.g. 'Mon-Fri 09:00,12:30'.")
            for day in days:
                times.setdefault(day, set()).update(moments)
        if not times:
            raise ValueError("At least one slot is needed, e.g. 'Mon-Fri 09:00'.")
        return cls({day: tuple(sorted(values)) for day, values in sorted(times.items())})

    def format(self) -> str:
        """The canonical text: weekdays sharing the same times are grouped."""
        groups: dict[tuple[time, ...], list[int]] = {}
        for day, moments in self.times.items():
            groups.setdefault(moments, []).append(day)
        parts = []
        for moments, days in groups.items():
            day_text = format_working_days(days)
            if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
                day_text = f"{WEEKDAYS[days[0]].capitalize()}-{WEEKDAYS[days[-1]].capitalize()}"
            parts.append(f"{day_text} {','.join(m.strftime('%H:%M') for m in moments)}")
        return "; ".join(parts)

    def slots_from(self, start: datetime, zone: tzinfo | None = None) -> Iterator[datetime]:
        """Every slot at or after `start`, in order, as aware datetimes.

        `zone=None` means the machine's local time, with its daylight-saving rules (a naive
        wall-clock time's `astimezone()` asks the system which offset applies that day).
        """
        local = start.astimezone(zone)
        day: date = local.date()
        for _ in range(366 * 2):
            for moment in self.times.get(day.weekday(), ()):
                wall = datetime.combine(day, moment)
                slot = wall.replace(tzinfo=zone) if zone is not None else wall.astimezone()
                if slot >= start:
                    yield slot
            day += timedelta(days=1)

    def next_free(
        self, start: datetime, taken: Collection[datetime], zone: tzinfo | None = None
    ) -> datetime:
        busy = {t.replace(second=0, microsecond=0) for t in taken}
        for slot in self.slots_from(start, zone):
            if slot not in busy:
                return slot
        raise ValueError("No free slot in the next two years; add more slots.")


def normalize_slots(text: str) -> str:
    return SlotSchedule.parse(text).format()
