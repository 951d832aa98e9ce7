"""Slots, share links and the queue: every share at its time, every posted one a touch."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.core.slots import SlotSchedule
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.social.share_links import share_url

BERLIN = ZoneInfo("Europe/Berlin")


def test_slots_are_read_as_reps_write_them_and_kept_in_one_form() -> None:
    schedule = SlotSchedule.parse("mon-wed 9:00, 17:00; fri 10:00")
    assert schedule.format() == "Mon-Wed 09:00,17:00; Fri 10:00"
    assert SlotSchedule.parse(schedule.format()) == schedule
    for bad in ("Mon", "Mon 25:00", "Someday 09:00", ""):
        with pytest.raises(ValueError):
            SlotSchedule.parse(bad)


def test_next_free_slot_skips_taken_ones_and_weekends() -> None:
    schedule = SlotSchedule.parse("Mon-Fri 09:00,16:30")
    friday_noon = datetime(2026, 11, 27, 12, 0, tzinfo=BERLIN)
    first = schedule.next_free(friday_noon, [], BERLIN)
    assert first == datetime(2026, 11, 27, 16, 30, tzinfo=BERLIN)
    assert schedule.next_free(friday_noon, [first], BERLIN) == datetime(
        2026, 11, 30, 9, 0, tzinfo=BERLIN
    )


def test_slots_keep_their_wall_clock_time_across_daylight_saving() -> None:
    schedule = SlotSchedule.parse("Mon-Sun 09:00")
    before = datetime(2027, 3, 27, 10, 0, tzinfo=BERLIN)  # DST starts on 28 March 2027
    slot = schedule.next_free(before, [], BERLIN)
    assert (slot.hour, slot.utcoffset()) == (9, datetime(2027, 3, 28, 9, tzinfo=BERLIN).utcoffset())
    assert slot.astimezone(UTC).hour == 7


def test_share_links_open_each_networks_compose_screen() -> None:
    x = urlsplit(share_url("x", "Read this", "https://c.example/a"))
    assert x.netloc == "twitter.com" and parse_qs(x.query) == {
        "text": ["Read this"],
        "url": ["https://c.example/a"],
    }
    once = parse_qs(
        urlsplit(share_url("x", "Read https://c.example/a", "https://c.example/a")).query
    )
    assert once == {"text": ["Read https://c.example/a"]}  # the link is not repeated
    linkedin = share_url("linkedin", "ignored", "https://c.example/a")
    assert parse_qs(urlsplit(linkedin).query) == {"url": ["https://c.example/a"]}
    mastodon = urlsplit(
        share_url("mastodon", "Hi", "https://c.example/a", mastodon_instance="fosstodon.org")
    )
    assert (mastodon.netloc, parse_qs(mastodon.query)["text"]) == (
        "fosstodon.org",
        ["Hi https://c.example/a"],
    )
    assert parse_qs(urlsplit(share_url("bluesky", "Hi", None)).query)["text"] == ["Hi"]


def test_queued_shares_take_their_channels_next_free_slots(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-27T12:00:00+01:00")
    SettingsRepository(db).set_text("slots_x", "Mon-Fri 09:00,16:30")
    queue = QueueRepository(db, zone=BERLIN)
    times = [queue.add_share(channel="x", text=f"post {i}").scheduled_at for i in range(3)]
    assert [t.astimezone(BERLIN).strftime("%a %H:%M") for t in times if t] == [
        "Fri 16:30",
        "Mon 09:00",
        "Mon 16:30",
    ]
    other = queue.add_share(channel="linkedin", text="own slots").scheduled_at
    assert other is not None and other.astimezone(BERLIN).strftime("%a %H:%M") == "Fri 12:30"
    explicit = queue.add_share(
        channel="x", text="at a chosen time", at=datetime(2026, 12, 1, 8, 15, tzinfo=BERLIN)
    )
    assert explicit.scheduled_at == datetime(2026, 12, 1, 7, 15, tzinfo=UTC)
    assert [i.text for i in queue.list_items()][:2] == ["own slots", "post 0"]


def test_bad_shares_are_refused(db: Database) -> None:
    queue = QueueRepository(db)
    with pytest.raises(UserError, match="Channel"):
        queue.add_share(channel="myspace", text="x")
    with pytest.raises(UserError, match="text"):
        queue.add_share(channel="x", text="   ")
    assert queue.list_items() == []


def test_done_logs_one_touch_and_resets_the_prospects_clock(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    jane = ProspectRepository(db).add(ProspectDraft(name="Jane"))
    queue = QueueRepository(db)
    item = queue.add_share(
        channel="linkedin", text="For Jane", url="https://c.example/a", prospect_id=jane.id
    )
    monkeypatch.setenv("SMARKETING_NOW", "2026-12-01T10:00:00+00:00")
    done = queue.mark_done(item.id)
    assert done.status == "done"
    assert ProspectRepository(db).get(jane.id).last_touch_at == datetime(
        2026, 12, 1, 10, tzinfo=UTC
    )
    with pytest.raises(UserError, match="already done"):
        queue.mark_done(item.id)
    from sqlalchemy import func, select

    from smarketing_desktop.db.models import Activity

    with db.session() as session:
        assert session.scalar(select(func.count(Activity.id))) == 1
