"""The schema for the whole product, in one place.

Later features flesh these tables out through migrations; they exist from the start so that the
relationships (a prospect's feeds, touches, opportunities, queued shares) are designed together.
Widgets never see these classes: repositories turn rows into plain dataclasses.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from smarketing_desktop.db.types import UTCDateTime

# Stable constraint names let batch migrations on SQLite find and alter constraints later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    """A company that prospects work for."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    website: Mapped[str | None] = mapped_column(String(500))
    industry: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    prospects: Mapped[list[Prospect]] = relationship(back_populates="account")


class Prospect(Base):
    __tablename__ = "prospects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    x_handle: Mapped[str | None] = mapped_column(String(50))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    blog_url: Mapped[str | None] = mapped_column(String(500))
    mastodon_handle: Mapped[str | None] = mapped_column(String(300))
    bluesky_handle: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    last_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Days between touches for this prospect; NULL follows the settings default.
    touch_ideal_days: Mapped[int | None] = mapped_column(Integer)
    touch_max_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    account: Mapped[Account | None] = relationship(back_populates="prospects")
    tags: Mapped[list[ProspectTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ProspectTag.position"
    )


class ProspectTag(Base):
    __tablename__ = "prospect_tags"

    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_prospect_tags_tag", "tag"),)


class Feed(Base):
    """A prospect's (or the company's) feed, with everything the refresh scheduler needs."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    site_url: Mapped[str | None] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(30), default="feed")
    purpose: Mapped[str] = mapped_column(String(30), default="prospect")
    prospect_id: Mapped[int | None] = mapped_column(
        ForeignKey("prospects.id", ondelete="SET NULL"), index=True
    )
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(30), default="pending")  # pending|ok|error|gone
    error_kind: Mapped[str | None] = mapped_column(String(30))
    error_message: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    allow_remote_images: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Entry(Base):
    """One post from a feed. `key` is its identity within the feed (guid, link or hash)."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(2000))
    link: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content_hash: Mapped[str | None] = mapped_column(String(64))
    read: Mapped[bool] = mapped_column(Boolean, default=False)
    is_signal: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    signal_terms: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("feed_id", "key", name="uq_entries_feed_key"),)


class SignalRule(Base):
    """A phrase that marks a post as a buying signal ("RFP", "hiring"), for one prospect or all."""

    __tablename__ = "signal_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(200))
    prospect_id: Mapped[int | None] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EntryTombstone(Base):
    """An entry the user deleted: remembered so the next refresh does not bring it back."""

    __tablename__ = "entry_tombstones"

    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(2000), primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ContentItem(Base):
    """Marketing's library: what a rep can share."""

    __tablename__ = "content_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), default="blog_post")
    tags: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(200))
    # Set for items that came from the company's own feed, which keeps being followed.
    source_feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_on: Mapped[date | None] = mapped_column(Date)


class SuggestionFeedback(Base):
    """What a rep did with a suggestion: dismissed or shared. Neither is suggested again."""

    __tablename__ = "suggestion_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE")
    )
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))  # dismissed | shared
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChecklistReview(Base):
    __tablename__ = "checklist_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(30), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    score: Mapped[int] = mapped_column(Integer)
    profile_snapshot: Mapped[str] = mapped_column(Text, default="{}")

    results: Mapped[list[ChecklistResult]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class ChecklistResult(Base):
    __tablename__ = "checklist_results"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Opportunity(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        ForeignKey("prospects.id", ondelete="SET NULL"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    close_date: Mapped[date] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanStep(Base):
    """One step of an opportunity's engagement plan, laid out from a playbook step."""

    __tablename__ = "plan_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date, index=True)
    # Where the step came from, so regenerating skips steps already done or skipped and a
    # moved close date can lay pending steps out again without the playbook file.
    playbook_id: Mapped[str | None] = mapped_column(String(100))
    step_key: Mapped[str | None] = mapped_column(String(100))
    offset_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    channel: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default="planned")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QueueItem(Base):
    """A share waiting for its slot, or a follow-up waiting for its day."""

    __tablename__ = "queue_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # share | followup
    channel: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="SET NULL")
    )
    prospect_id: Mapped[int | None] = mapped_column(
        ForeignKey("prospects.id", ondelete="SET NULL"), index=True
    )
    plan_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_steps.id", ondelete="SET NULL")
    )
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_url: Mapped[str | None] = mapped_column(String(2000))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Activity(Base):
    """Every touch with a prospect: the clock that says who is going cold."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    queue_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_items.id", ondelete="SET NULL")
    )


class Setting(Base):
    """User settings as JSON values, validated by the settings declarations before they land."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class XRead(Base):
    """What the app read from the X API, one row per UTC day and item: the cost meter's ledger.

    X bills every post read (and every user looked up) once per UTC day, so a row per (day,
    kind, item) counts exactly what is billed, however often a post comes back. The `user` rows
    double as the cache of handle -> user id, so each handle is looked up (and paid for) once.
    kind: post (item = post id), user (item = lower-case handle, user_id set), missing (a handle
    X does not know; not billed, retried the next day), me (the connected account's check).
    """

    __tablename__ = "x_reads"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    item: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(30))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_x_reads_kind_item", "kind", "item"),)
