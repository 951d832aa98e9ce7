"""The share queue: each share waits for its channel's next free slot, then goes out.

Scheduling reads the channel's slots from settings; times are stored in UTC and shown in the
machine's local time. Marking an item done (posted or confirmed by the rep) logs a touch with
its prospect, which resets their going-cold clock.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from smarketing_desktop import clock
from smarketing_desktop.core.errors import NotFoundError, UserError, ValidationError
from smarketing_desktop.core.queue import (
    MOVE_DIRECTIONS,
    MoveDirection,
    QueueItemInfo,
    QueueMove,
    day_problem,
    edit_refusal,
    link_problem,
    neighbour,
    status_after_edit,
    time_problem,
)
from smarketing_desktop.core.slots import CHANNELS, SlotSchedule
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.db.models import Prospect, QueueItem
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.repositories.touches import log_touch
from smarketing_desktop.db.store import Database
from smarketing_desktop.social.share_links import share_url

OPEN_STATUSES = ("queued", "ready")
CHANGED_MEANWHILE = (
    "Queue item {id} changed while this was being saved (it may just have been posted); "
    "nothing was changed. Look at the queue again."
)


def _local(at: datetime | None) -> datetime | None:
    """A time without an offset is the machine's local time, as the rep typed it."""
    return at.astimezone() if at is not None and at.tzinfo is None else at


def _share_problems(
    channel: str | None, body: str, link: str | None, *, x_length: bool = True
) -> dict[str, str]:
    """Field -> message for a share's text and link, the same on adding and on editing.

    `x_length=False` is for adding: its callers (the command, the share dialog) check X's
    length first, and publishing refuses an over-long share with a kept error, which is how
    one queued by anything else is reported.
    """
    problems: dict[str, str] = {}
    if not body:
        problems["text"] = "A share needs text."
    elif channel == "x" and x_length:
        # Imported here: x_publish imports this module to post what the queue releases.
        from smarketing_desktop.social.x_publish import check_share_length  # noqa: PLC0415

        try:
            check_share_length(body, link)
        except UserError as exc:
            problems["text"] = str(exc)
    link_message = link_problem(link)
    if link_message:
        problems["url"] = link_message
    return problems


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(" ".join(problems.values()), problems)


def _guarded_update(session: Session, row: QueueItem, values: dict[str, Any]) -> None:
    """Write `values` only if the row still has the status it was read with.

    Publishing runs in another thread or process; the guard keeps an edit from undoing a
    release or a post that landed in between (the same guard `release_due` uses).
    """
    result = session.execute(
        update(QueueItem)
        .where(QueueItem.id == row.id, QueueItem.status == row.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise UserError(CHANGED_MEANWHILE.format(id=row.id))


class QueueRepository:
    def __init__(self, db: Database, zone: tzinfo | None = None) -> None:
        self._db = db
        self._zone = zone  # None: the machine's local time

    def schedule(self, channel: str) -> SlotSchedule:
        return SlotSchedule.parse(SettingsRepository(self._db).get(f"slots_{channel}"))

    def _info(self, row: QueueItem, instance: str) -> QueueItemInfo:
        link = (
            share_url(row.channel, row.text, row.url, mastodon_instance=instance)
            if row.kind == "share" and row.channel
            else None
        )
        return QueueItemInfo(
            id=row.id,
            kind=row.kind,
            channel=row.channel,
            text=row.text,
            url=row.url,
            prospect_id=row.prospect_id,
            content_id=row.content_id,
            entry_id=row.entry_id,
            scheduled_at=row.scheduled_at,
            due_on=row.due_on,
            status=row.status,
            share_url=link,
            posted_at=row.posted_at,
            external_url=row.external_url,
            error=row.error,
        )

    def _instance(self) -> str:
        value = SettingsRepository(self._db).get("mastodon_instance")
        return str(value)

    def add_share(
        self,
        *,
        channel: str,
        text: str,
        url: str | None = None,
        prospect_id: int | None = None,
        content_id: int | None = None,
        entry_id: int | None = None,
        at: datetime | None = None,
    ) -> QueueItemInfo:
        if channel not in CHANNELS:
            raise UserError(f"Channel {channel!r} is not one of: {', '.join(CHANNELS)}.")
        body = text.strip()
        link = (url or "").strip() or None
        _refuse(_share_problems(channel, body, link, x_length=False))
        at = _local(at)
        schedule = None if at is not None else self.schedule(channel)
        instance = self._instance()
        now = clock.now()
        with self._db.session() as session:
            if prospect_id is not None and session.get(Prospect, prospect_id) is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            if schedule is not None:
                taken = session.scalars(
                    select(QueueItem.scheduled_at).where(
                        QueueItem.channel == channel,
                        QueueItem.status.in_(OPEN_STATUSES),
                        QueueItem.scheduled_at.is_not(None),
                    )
                ).all()
                at = schedule.next_free(now, [t for t in taken if t is not None], self._zone)
            position = session.scalar(select(func.coalesce(func.max(QueueItem.position), 0))) or 0
            row = QueueItem(
                kind="share",
                channel=channel,
                text=body,
                url=link,
                prospect_id=prospect_id,
                content_id=content_id,
                entry_id=entry_id,
                scheduled_at=at,
                position=position + 1,
                status="queued",
                created_at=now,
            )
            session.add(row)
            session.flush()
            return self._info(row, instance)

    def add_followup(
        self,
        *,
        prospect_id: int,
        due: date,
        note: str,
        plan_step_id: int | None = None,
        entry_id: int | None = None,
    ) -> QueueItemInfo:
        """Something to do for a prospect on a day: by hand, from a plan step or a post."""
        text = note.strip()
        if not text:
            raise UserError("A follow-up needs a note saying what to do.")
        instance = self._instance()
        with self._db.session() as session:
            if session.get(Prospect, prospect_id) is None:
                raise NotFoundError(f"There is no prospect with id {prospect_id}.")
            row = QueueItem(
                kind="followup",
                text=text,
                prospect_id=prospect_id,
                plan_step_id=plan_step_id,
                entry_id=entry_id,
                due_on=due,
                position=0,
                status="queued",
                created_at=clock.now(),
            )
            session.add(row)
            session.flush()
            return self._info(row, instance)

    def due_followups(self, by: date) -> list[QueueItemInfo]:
        """Open follow-ups due on or before `by`, soonest first (as `list_items` orders them)."""
        return [
            i
            for i in self.list_items(status="queued", kind="followup")
            if i.due_on is not None and i.due_on <= by
        ]

    def release_due(self, now: datetime) -> list[QueueItemInfo]:
        """Shares whose slot has come become ready for the rep to post, exactly once.

        The status moves queued -> ready in one UPDATE guarded by the old status, so two
        windows (or a window and a command) can never both release the same item.
        """
        with self._db.session() as session:
            due_ids = list(
                session.scalars(
                    select(QueueItem.id).where(
                        QueueItem.kind == "share",
                        QueueItem.status == "queued",
                        QueueItem.scheduled_at <= now,
                    )
                )
            )
            released = []
            for item_id in due_ids:
                result = session.execute(
                    update(QueueItem)
                    .where(QueueItem.id == item_id, QueueItem.status == "queued")
                    .values(status="ready")
                )
                if result.rowcount:  # type: ignore[attr-defined]
                    released.append(item_id)
        return [self.get(i) for i in released]

    def list_items(
        self, *, status: str | None = None, kind: str | None = None
    ) -> list[QueueItemInfo]:
        """Shares by their time, then follow-ups by their due day, soonest first.

        A follow-up has a due day, not a time, and the order it was added in says nothing
        about what to do first; the id only breaks ties between items due together.
        """
        stmt = select(QueueItem).order_by(
            QueueItem.scheduled_at.is_(None),
            QueueItem.scheduled_at,
            QueueItem.due_on.is_(None),
            QueueItem.due_on,
            QueueItem.position,
            QueueItem.id,
        )
        if status is not None:
            stmt = stmt.where(QueueItem.status == status)
        if kind is not None:
            stmt = stmt.where(QueueItem.kind == kind)
        instance = self._instance()
        with self._db.session() as session:
            return [self._info(row, instance) for row in session.scalars(stmt)]

    def get(self, item_id: int) -> QueueItemInfo:
        instance = self._instance()
        with self._db.session() as session:
            row = session.get(QueueItem, item_id)
            if row is None:
                raise NotFoundError(f"There is no queue item with id {item_id}.")
            return self._info(row, instance)

    def remove(self, item_id: int) -> QueueItemInfo:
        item = self.get(item_id)
        with self._db.session() as session:
            row = session.get(QueueItem, item_id)
            if row is not None:
                session.delete(row)
        return item

    def edit(
        self,
        item_id: int,
        *,
        text: str | None = None,
        url: str | None = None,
        at: datetime | None = None,
        due: date | None = None,
    ) -> QueueItemInfo:
        """Change a waiting share's text, link (`url=""` removes it) or time, or a follow-up's
        note or due day; None leaves a field as it is.

        Checked as adding checks (X's length, a web link), plus: a new time or day must not be
        past. A ready share given a later time waits for it again. Posted, done and failed
        items are refused, so an edit can never put a posted share back in line.
        """
        now = clock.now()
        at = _local(at)
        with self._db.session() as session:
            row = session.get(QueueItem, item_id)
            if row is None:
                raise NotFoundError(f"There is no queue item with id {item_id}.")
            refusal = edit_refusal(item_id, row.status)
            if refusal:
                raise UserError(refusal)
            body = row.text if text is None else text.strip()
            problems: dict[str, str]
            values: dict[str, Any]
            if row.kind == "share":
                if due is not None:
                    raise UserError("A share has a time, not a due day: give a time instead.")
                link = row.url if url is None else (url.strip() or None)
                problems = _share_problems(row.channel, body, link)
                when = row.scheduled_at if at is None else at
                if at is not None and (late := time_problem(at, now)):
                    problems["at"] = late
                values = {"text": body, "url": link, "scheduled_at": when}
                values["status"] = status_after_edit(row.status, at, now)
            else:
                if url is not None or at is not None:
                    raise UserError("A follow-up has a note and a due day, not a link or a time.")
                problems = {} if body else {"text": "A follow-up needs a note saying what to do."}
                if due is not None and (late := day_problem(due, now.astimezone().date())):
                    problems["due"] = late
                values = {"text": body, "due_on": row.due_on if due is None else due}
            _refuse(problems)
            _guarded_update(session, row, values)
        return self.get(item_id)

    def move(self, item_id: int, direction: MoveDirection) -> QueueMove:
        """Swap a queued share's time with the next earlier ("up") or later ("down") queued
        share of the same channel: the order changes, the slots stay the ones the rep chose.

        The positions swap too, so two shares set for the same minute still change places.
        """
        if direction not in MOVE_DIRECTIONS:
            raise UserError(f"Move {direction!r}: say up or down.")
        with self._db.session() as session:
            row = session.get(QueueItem, item_id)
            if row is None:
                raise NotFoundError(f"There is no queue item with id {item_id}.")
            if row.kind != "share":
                raise UserError("Follow-ups are ordered by their due day: change the day instead.")
            if row.status != "queued":
                refusal = edit_refusal(item_id, row.status)
                raise UserError(
                    refusal or f"Queue item {item_id} is ready to post now: post it or edit it."
                )
            order = session.scalars(
                select(QueueItem.id)
                .where(
                    QueueItem.kind == "share",
                    QueueItem.channel == row.channel,
                    QueueItem.status == "queued",
                    QueueItem.scheduled_at.is_not(None),
                )
                .order_by(QueueItem.scheduled_at, QueueItem.position, QueueItem.id)
            ).all()
            where = f"queued {channel_name(row.channel)} shares"
            other = session.get(QueueItem, neighbour(order, item_id, direction, where))
            assert other is not None
            mine = {"scheduled_at": row.scheduled_at, "position": row.position}
            theirs = {"scheduled_at": other.scheduled_at, "position": other.position}
            _guarded_update(session, row, theirs)
            _guarded_update(session, other, mine)
            other_id = other.id
        return QueueMove(moved=self.get(item_id), other=self.get(other_id))

    def mark_done(
        self, item_id: int, *, status: str = "done", external_url: str | None = None
    ) -> QueueItemInfo:
        """Posted (by the API) or done (confirmed by the rep): logs a touch exactly once."""
        now = clock.now()
        with self._db.session() as session:
            row = session.get(QueueItem, item_id)
            if row is None:
                raise NotFoundError(f"There is no queue item with id {item_id}.")
            if row.status in ("done", "posted"):
                raise UserError(f"Queue item {item_id} is already {row.status}.")
            row.status = status
            row.posted_at = now
            row.external_url = external_url or row.external_url
            if row.prospect_id is not None:
                kind = f"share_{row.channel}" if row.kind == "share" else "followup"
                log_touch(
                    session, row.prospect_id, kind, now, note=row.text[:200], queue_item_id=row.id
                )
        return self.get(item_id)
