"""Slots, share links and the queue: every share at its time, every posted one a touch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from smarketing_desktop.core.errors import UserError, ValidationError
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


# -- editing and reordering ----------------------------------------------------------------

LINK = "https://acme.example/a-rather-long-path/that-x-counts-as-23-characters"


def _pinned_queue(db: Database, monkeypatch: pytest.MonkeyPatch) -> QueueRepository:
    """Friday 27 Nov 2026 12:00 Berlin; X and LinkedIn post at 09:00 and 16:30 on weekdays."""
    monkeypatch.setenv("SMARKETING_NOW", "2026-11-27T12:00:00+01:00")
    for channel in ("x", "linkedin"):
        SettingsRepository(db).set_text(f"slots_{channel}", "Mon-Fri 09:00,16:30")
    return QueueRepository(db, zone=BERLIN)


def test_edit_changes_text_link_and_time(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    queue = _pinned_queue(db, monkeypatch)
    item = queue.add_share(channel="linkedin", text="Draft", url="https://acme.example/old")
    later = datetime(2026, 12, 2, 10, 15, tzinfo=BERLIN)
    edited = queue.edit(item.id, text="  Final words ", url="https://acme.example/new", at=later)
    assert (edited.text, edited.url, edited.scheduled_at) == (
        "Final words",
        "https://acme.example/new",
        later,
    )
    assert edited.status == "queued"
    assert queue.edit(item.id, url="").url is None  # "" removes the link
    assert queue.get(item.id).text == "Final words"  # untouched fields stay


def test_edit_refuses_an_x_text_too_long_as_x_counts_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    item = queue.add_share(channel="x", text="Short", url=LINK)
    queue.edit(item.id, text="a" * 256)  # 256 + space + a link counted as 23 = 280: fits
    with pytest.raises(ValidationError, match="281 characters as X counts them") as refused:
        queue.edit(item.id, text="a" * 257)
    assert set(refused.value.errors) == {"text"}
    assert queue.get(item.id).text == "a" * 256
    # The same text is fine on LinkedIn, which has no such limit here.
    other = queue.add_share(channel="linkedin", text="Short", url=LINK)
    assert queue.edit(other.id, text="a" * 257).text == "a" * 257


def test_edit_refuses_a_link_that_is_not_a_web_address(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    item = queue.add_share(channel="linkedin", text="Read", url="https://acme.example/a")
    for bad in ("ftp://acme.example/a", "acme.example/a", "javascript:alert(1)"):
        with pytest.raises(ValidationError, match="http:// or https://") as refused:
            queue.edit(item.id, url=bad)
        assert set(refused.value.errors) == {"url"}
    assert queue.get(item.id).url == "https://acme.example/a"
    with pytest.raises(ValidationError, match="http:// or https://"):
        queue.add_share(channel="linkedin", text="Read", url="ftp://acme.example/a")


def test_edit_refuses_a_time_in_the_past(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    queue = _pinned_queue(db, monkeypatch)
    item = queue.add_share(channel="x", text="Soon")
    with pytest.raises(ValidationError, match="That time has passed") as refused:
        queue.edit(item.id, text="Changed too", at=datetime(2026, 11, 27, 11, 59, tzinfo=BERLIN))
    assert set(refused.value.errors) == {"at"}
    assert queue.get(item.id) == item  # nothing changed, not even the text


def test_edit_refuses_posted_done_and_failed_items(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    posted = queue.add_share(channel="x", text="Out there")
    queue.mark_done(posted.id, status="posted")
    later = datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN)
    with pytest.raises(UserError, match="already posted"):
        queue.edit(posted.id, at=later)
    with pytest.raises(UserError, match="already posted"):
        queue.move(posted.id, "up")
    assert queue.get(posted.id).status == "posted"  # never back in line: no second post

    from sqlalchemy import update

    from smarketing_desktop.db.models import QueueItem

    failed = queue.add_share(channel="x", text="Timed out")
    with db.session() as session:
        session.execute(update(QueueItem).where(QueueItem.id == failed.id).values(status="failed"))
    with pytest.raises(UserError, match="failed to post"):
        queue.edit(failed.id, text="Again")


def test_a_ready_share_moved_to_a_later_time_waits_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    item = queue.add_share(
        channel="linkedin", text="Due", at=datetime(2026, 11, 27, 11, 0, tzinfo=BERLIN)
    )
    queue.release_due(datetime(2026, 11, 27, 12, 0, tzinfo=BERLIN))
    assert queue.edit(item.id, text="Due, fixed").status == "ready"  # text alone: still ready
    later = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    edited = queue.edit(item.id, at=later)
    assert (edited.status, edited.scheduled_at) == ("queued", later)
    assert queue.release_due(datetime(2026, 11, 27, 13, 0, tzinfo=BERLIN)) == []


def test_edit_changes_a_followups_note_and_due_day(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    jane = ProspectRepository(db).add(ProspectDraft(name="Jane"))
    item = queue.add_followup(prospect_id=jane.id, due=date(2026, 11, 30), note="Call")
    edited = queue.edit(item.id, text="Call about the pilot", due=date(2026, 12, 3))
    assert (edited.text, edited.due_on) == ("Call about the pilot", date(2026, 12, 3))
    with pytest.raises(ValidationError, match="That day has passed"):
        queue.edit(item.id, due=date(2026, 11, 26))
    with pytest.raises(UserError, match="not a link or a time"):
        queue.edit(item.id, url="https://acme.example")


def test_follow_ups_come_soonest_first_whatever_order_they_were_added_in(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    jane = ProspectRepository(db).add(ProspectDraft(name="Jane"))
    for day, note in ((4, "last"), (1, "first"), (2, "second a"), (2, "second b")):
        queue.add_followup(prospect_id=jane.id, due=date(2026, 12, day), note=note)
    share = queue.add_share(channel="x", text="a share keeps its time")
    expected = ["first", "second a", "second b", "last"]  # the same day: in the order added
    assert [i.text for i in queue.list_items(kind="followup")] == expected
    assert [i.text for i in queue.due_followups(date(2026, 12, 3))] == expected[:3]
    assert [i.text for i in queue.list_items()] == [share.text, *expected]


def _times(queue: QueueRepository, channel: str) -> list[tuple[str, str]]:
    return [
        (i.text, i.scheduled_at.astimezone(BERLIN).strftime("%a %H:%M"))
        for i in queue.list_items(status="queued", kind="share")
        if i.channel == channel and i.scheduled_at is not None
    ]


def test_move_swaps_times_with_the_neighbour_in_the_same_channel(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    first, second, third = (queue.add_share(channel="x", text=t) for t in ("a", "b", "c"))
    linkedin = [queue.add_share(channel="linkedin", text=t) for t in ("l1", "l2")]
    before_linkedin = _times(queue, "linkedin")

    moved = queue.move(third.id, "up")
    assert (moved.moved.id, moved.other.id) == (third.id, second.id)
    assert _times(queue, "x") == [("a", "Fri 16:30"), ("c", "Mon 09:00"), ("b", "Mon 16:30")]
    queue.move(first.id, "down")
    assert _times(queue, "x") == [("c", "Fri 16:30"), ("a", "Mon 09:00"), ("b", "Mon 16:30")]
    assert _times(queue, "linkedin") == before_linkedin  # other channels are untouched
    assert [queue.get(i.id).scheduled_at for i in linkedin] == [i.scheduled_at for i in linkedin]


def test_move_is_refused_at_the_ends_and_for_ready_shares(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    first, last = (queue.add_share(channel="x", text=t) for t in ("first", "last"))
    with pytest.raises(UserError, match="already the first of the queued X shares"):
        queue.move(first.id, "up")
    with pytest.raises(UserError, match="already the last"):
        queue.move(last.id, "down")
    ready = queue.add_share(
        channel="x", text="due", at=datetime(2026, 11, 27, 11, 0, tzinfo=BERLIN)
    )
    queue.release_due(datetime(2026, 11, 27, 12, 0, tzinfo=BERLIN))
    with pytest.raises(UserError, match="ready to post"):
        queue.move(ready.id, "down")
    with pytest.raises(UserError, match="already the first"):
        queue.move(first.id, "up")  # a ready share is not a neighbour to swap with
    assert _times(queue, "x") == [("first", "Fri 16:30"), ("last", "Mon 09:00")]


def test_move_changes_the_order_of_shares_set_for_the_same_minute(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _pinned_queue(db, monkeypatch)
    at = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    one, two = (queue.add_share(channel="x", text=t, at=at) for t in ("one", "two"))
    queue.move(two.id, "up")
    assert [i.id for i in queue.list_items(kind="share")] == [two.id, one.id]
