"""The sample workspace: lets a new rep explore every screen without network or their own data.

Everything comes from `resources/sample/`: prospects, companies, content, and feed snapshots that
are parsed here exactly as a refreshed feed would be, so the inbox is populated offline. A few
deals, closing in the coming fiscal quarters counted from the day the sample loads, get their
engagement plans, so the Plan area has plans and Today has plan steps due.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.fiscal import FiscalCalendar
from smarketing_desktop.core.prospects import ProspectDraft, normalize_tags
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.models import Account, ContentItem, Feed, Opportunity, PlanStep
from smarketing_desktop.db.models import Prospect as ProspectRow
from smarketing_desktop.db.repositories.feeds import SAMPLE_PURPOSE, FeedRepository
from smarketing_desktop.db.repositories.opportunities import (
    OpportunityDraft,
    OpportunityRepository,
)
from smarketing_desktop.db.repositories.plans import PlanRepository, PlanSettings
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.feeds.fetch import FetchResult
from smarketing_desktop.feeds.parse import parse_feed
from smarketing_desktop.paths import resources_dir


@dataclass(frozen=True)
class DemoReport:
    prospects: int
    companies: int
    content_items: int
    feeds: int
    entries: int
    opportunities: int = 0
    plan_steps: int = 0

    def summary(self) -> str:
        """One sentence for the CLI and the window's status bar alike."""
        parts = [
            plural(self.prospects, "prospect"),
            plural(self.companies, "company", "companies"),
            plural(self.content_items, "content item"),
            plural(self.feeds, "feed"),
        ]
        if self.opportunities:
            parts.append(
                f"{plural(self.opportunities, 'deal')} with {plural(self.plan_steps, 'plan step')}"
            )
        return f"Loaded the sample workspace: {', '.join(parts)}."

    def to_json(self) -> dict[str, int]:
        return {
            "prospects": self.prospects,
            "companies": self.companies,
            "content_items": self.content_items,
            "feeds": self.feeds,
            "entries": self.entries,
            "opportunities": self.opportunities,
            "plan_steps": self.plan_steps,
        }


def sample_dir() -> Path:
    return resources_dir() / "sample"


def workspace_is_empty(db: Database) -> bool:
    with db.session() as session:
        return not any(
            session.scalar(select(func.count()).select_from(table))
            for table in (ProspectRow, ContentItem, Feed, Opportunity)
        )


def _load_spec() -> dict[str, Any]:
    with (sample_dir() / "workspace.yaml").open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    assert isinstance(spec, dict)
    return spec


def load_demo(db: Database) -> DemoReport:
    """Fill an empty workspace; refuses to mix sample data into a real one."""
    if not workspace_is_empty(db):
        raise UserError(
            "This workspace already has data, so the sample was not loaded. "
            "Try it in a separate folder: smarketing --home /tmp/smarketing-demo demo"
        )
    spec = _load_spec()
    now = clock.now()
    with db.session() as session:
        for company in spec.get("companies", []):
            session.add(Account(created_at=now, **company))

    drafts: list[tuple[str | None, ProspectDraft]] = []
    feed_owner: dict[str, int] = {}
    for item in spec.get("prospects", []):
        fields = {k: v for k, v in item.items() if k != "feed"}
        fields["tags"] = normalize_tags(fields.get("tags", []))
        drafts.append((item.get("feed"), ProspectDraft(**fields)))
    stored = ProspectRepository(db).add_many(d for _, d in drafts)
    for (feed_file, _), stored_prospect in zip(drafts, stored, strict=True):
        if feed_file:
            feed_owner[feed_file] = stored_prospect.id

    entry_count = 0
    with db.session() as session:
        for item in spec.get("content", []):
            session.add(
                ContentItem(
                    url=item["url"],
                    title=item["title"],
                    summary=item.get("summary"),
                    kind=item.get("kind", "blog_post"),
                    tags="; ".join(normalize_tags(item.get("tags", []))),
                    source="sample",
                    added_at=now,
                )
            )
    feeds = FeedRepository(db)
    for phrase in spec.get("signals", []):
        feeds.add_rule(str(phrase))
    for item in spec.get("feeds", []):
        body = (sample_dir() / "feeds" / item["file"]).read_bytes()
        parsed = parse_feed(body, url=item["url"])
        feed = feeds.add_feed(
            item["url"],
            title=item.get("title") or parsed.title,
            site_url=parsed.site_url,
            kind=item.get("kind", "feed"),
            prospect_id=feed_owner.get(item["file"]),
            purpose=SAMPLE_PURPOSE,
        )
        snapshot = FetchResult("ok", item["url"], 200, body=body)
        saved = feeds.store(feed.id, snapshot, parsed, hashlib.sha256(body).hexdigest(), now)
        entry_count += len(saved.new_ids)
    owners = {p.name: p.id for p in stored}
    opportunities, plan_steps = _add_opportunities(db, spec.get("opportunities", []), owners)
    return DemoReport(
        prospects=len(stored),
        companies=len(spec.get("companies", [])),
        content_items=len(spec.get("content", [])),
        feeds=len(spec.get("feeds", [])),
        entries=entry_count,
        opportunities=opportunities,
        plan_steps=plan_steps,
    )


def sample_close_date(
    fiscal: FiscalCalendar, today: date, quarters_ahead: int, day_of_quarter: int
) -> date:
    """A close date `quarters_ahead` fiscal quarters after today's, `day_of_quarter` days into
    it (at most its last day): always ahead of today, whenever the sample is loaded."""
    quarter = fiscal.quarter_of(today)
    for _ in range(max(quarters_ahead, 1)):
        quarter = fiscal.next_quarter(quarter)
    return min(quarter.start + timedelta(days=day_of_quarter), quarter.end)


def _add_opportunities(
    db: Database, items: list[dict[str, Any]], owners: dict[str, int]
) -> tuple[int, int]:
    """The sample deals with their plans; (deals, plan steps). Content for the steps comes from
    the suggestion engine, as for a rep's own deal."""
    if not items:
        return 0, 0
    settings = PlanSettings.load(db)
    today = clock.today()
    opportunities = OpportunityRepository(db)
    plans = PlanRepository(db)
    planned: list[int] = []
    steps = 0
    for item in items:
        close = sample_close_date(
            settings.fiscal, today, int(item["quarters_ahead"]), int(item["day_of_quarter"])
        )
        opportunity = opportunities.add(
            OpportunityDraft(
                owners[item["prospect"]],
                item["name"],
                close,
                amount=str(item["amount"]),
                stage=item.get("stage"),
            )
        )
        plan = plans.generate(opportunity.id)
        planned.append(opportunity.id)
        steps += len(plan.steps)
    _first_step_due_now(db, planned[0], settings.calendar.on_or_before(today))
    return len(planned), steps


def _first_step_due_now(db: Database, opportunity_id: int, day: date) -> None:
    """On a weekend a late plan's first step is Monday's, and Today would show no plan step:
    the sample's first step is then due on the last working day, as if the rep had let it
    wait since Friday."""
    with db.session() as session:
        first = session.scalars(
            select(PlanStep)
            .where(PlanStep.opportunity_id == opportunity_id)
            .order_by(PlanStep.due_on, PlanStep.position)
            .limit(1)
        ).first()
        if first is not None and first.due_on > day:
            first.due_on = day
