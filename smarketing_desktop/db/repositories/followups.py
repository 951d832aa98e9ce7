"""Follow-ups made from a plan step or from a prospect's post, with the note a rep would write.

A follow-up is always for a prospect: for a step that is the prospect of the step's deal, for
a post the prospect whose feed it came from. Posts of the company's own feeds, or of feeds not
yet linked to anyone, have nobody to follow up with, and saying so beats guessing.

The due date, when none is given, differs by source, on purpose:

* a post: today, or the next working day when today is not one. A comment is worth most
  while the post is fresh (a day later the conversation has moved on), and a follow-up due
  today shows on Today at once, where the rep works from.
* a plan step: the next working day after today. The step itself is today's task; the
  follow-up is the nudge after it, and on today it would only repeat the step on the list.

Working days are the plan settings' (weekdays and public holidays), so a follow-up never
lands on a Saturday. Everything is stored through `QueueRepository.add_followup` with the
step or post it came from, so Today can offer to open that post again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from smarketing_desktop import clock
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.db.models import Entry, Feed, Opportunity, PlanStep, Prospect, QueueItem
from smarketing_desktop.db.repositories.plans import PlanSettings
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database

TITLE_CHARS = 60  # a note stays one readable line in the Queue and on Today


@dataclass(frozen=True)
class FollowupDraft:
    """A follow-up before it is stored: the dialog shows it, the rep may change due and note."""

    prospect_id: int
    prospect: str
    due: date
    note: str
    plan_step_id: int | None = None
    entry_id: int | None = None


@dataclass(frozen=True)
class FollowupSource:
    """Where a stored follow-up came from; a post's link lets the rep open it again."""

    plan_step_id: int | None = None
    entry_id: int | None = None
    entry_title: str | None = None
    entry_link: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_step_id": self.plan_step_id,
            "entry_id": self.entry_id,
            "entry_title": self.entry_title,
            "entry_link": self.entry_link,
        }


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def _first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


def entry_note(prospect: str, title: str, link: str | None) -> str:
    """ "Comment on Dana's post “What we learned…” (https://…)": what and where, in one line."""
    post = f"post “{_short(title)}”" if title.strip() else "latest post"
    note = f"Comment on {_first_name(prospect)}'s {post}"
    return f"{note} ({link})" if link else note


def step_note(action: str) -> str:
    return f"Follow up on: {' '.join(action.split())}"


def _working_day(db: Database, day: date) -> date:
    """`day`, or the first working day after it (plan settings: weekdays and holidays)."""
    try:
        return PlanSettings.load(db).calendar.on_or_after(day)
    except ValueError:  # no working day in a year: the settings are odd, the day still serves
        return day


def draft_from_entry(db: Database, entry_id: int) -> FollowupDraft:
    """The follow-up for commenting on a post, for the prospect whose feed it came from."""
    with db.session() as session:
        row = session.execute(
            select(Entry, Feed).join(Feed, Entry.feed_id == Feed.id).where(Entry.id == entry_id)
        ).first()
        if row is None:
            raise NotFoundError(f"There is no post with id {entry_id}.")
        entry, feed = row
        title = entry.title or ""
        link = entry.link
        feed_name = feed.title or feed.url
        prospect = session.get(Prospect, feed.prospect_id) if feed.prospect_id else None
        if feed.purpose == "company":
            raise UserError(
                f"“{_short(title)}” is from your company's own feed ({feed_name}): "
                "a follow-up is for a prospect."
            )
        if prospect is None:
            raise UserError(
                f"“{_short(title)}” is from {feed_name}, which belongs to no prospect: "
                "move the feed to a prospect first."
            )
        prospect_id, name = prospect.id, prospect.name
    return FollowupDraft(
        prospect_id=prospect_id,
        prospect=name,
        due=_working_day(db, clock.today()),
        note=entry_note(name, title, link),
        entry_id=entry_id,
    )


def draft_from_step(db: Database, step_id: int) -> FollowupDraft:
    """The follow-up after a plan step, for the prospect of the step's deal."""
    with db.session() as session:
        row = session.execute(
            select(PlanStep, Opportunity)
            .join(Opportunity, PlanStep.opportunity_id == Opportunity.id)
            .where(PlanStep.id == step_id)
        ).first()
        if row is None:
            raise NotFoundError(f"There is no plan step with id {step_id}.")
        step, opportunity = row
        prospect = (
            session.get(Prospect, opportunity.prospect_id) if opportunity.prospect_id else None
        )
        if prospect is None:
            raise UserError(
                f"The deal “{opportunity.name}” has no prospect: choose one for the deal "
                "before following up on its steps."
            )
        prospect_id, name, action = prospect.id, prospect.name, step.action
    return FollowupDraft(
        prospect_id=prospect_id,
        prospect=name,
        due=_working_day(db, clock.today() + timedelta(days=1)),
        note=step_note(action),
        plan_step_id=step_id,
    )


def add_draft(
    db: Database, draft: FollowupDraft, due: date | None = None, note: str | None = None
) -> QueueItemInfo:
    """Store the draft, with the rep's due date and note where they gave one."""
    return QueueRepository(db).add_followup(
        prospect_id=draft.prospect_id,
        due=due or draft.due,
        note=draft.note if note is None else note,
        plan_step_id=draft.plan_step_id,
        entry_id=draft.entry_id,
    )


def followup_from_entry(
    db: Database, entry_id: int, due: date | None = None, note: str | None = None
) -> QueueItemInfo:
    """A follow-up to comment on a post (`note` None: the default note; "" is refused)."""
    return add_draft(db, draft_from_entry(db, entry_id), due, note)


def followup_from_step(
    db: Database, step_id: int, due: date | None = None, note: str | None = None
) -> QueueItemInfo:
    """A follow-up after a plan step (`note` None: the default note; "" is refused)."""
    return add_draft(db, draft_from_step(db, step_id), due, note)


def followup_sources(db: Database, item_ids: Iterable[int]) -> dict[int, FollowupSource]:
    """Per queue item id, the step or post it came from (items made by hand map to empty)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    with db.session() as session:
        rows = session.execute(
            select(QueueItem.id, QueueItem.plan_step_id, Entry.id, Entry.title, Entry.link)
            .outerjoin(Entry, QueueItem.entry_id == Entry.id)
            .where(QueueItem.id.in_(ids))
        ).all()
    return {
        item_id: FollowupSource(step_id, entry, title, link)
        for item_id, step_id, entry, title, link in rows
    }


def followups_json(db: Database, items: Sequence[QueueItemInfo]) -> list[dict[str, Any]]:
    """The items' JSON, each with the step or post it came from (the issue's keys kept)."""
    sources = followup_sources(db, (i.id for i in items))
    return [{**i.to_json(), **sources.get(i.id, FollowupSource()).to_json()} for i in items]
