"""The sample workspace a new rep explores without network."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.models import Entry
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.demo import load_demo, workspace_is_empty


def test_demo_fills_prospects_companies_content_and_their_posts(db: Database) -> None:
    assert workspace_is_empty(db)
    report = load_demo(db)
    assert not workspace_is_empty(db)
    repo = ProspectRepository(db)
    assert repo.count() == report.prospects >= 6
    with_feeds = [p for p in repo.find() if p.feed_count]
    assert len(with_feeds) == report.feeds
    assert {p.company for p in repo.find()} >= {"Northwind Logistics", "Contoso Health"}
    with db.session() as session:
        untitled = session.scalars(select(Entry.title).where(Entry.title == "")).all()
        assert session.scalar(select(func.count(Entry.id))) == report.entries
    assert untitled == []  # Mastodon posts got a title from their text
    assert repo.find(ProspectQuery(search="compliance"))


def test_demo_never_mixes_into_a_real_workspace(db: Database) -> None:
    load_demo(db)
    before = ProspectRepository(db).count()
    with pytest.raises(UserError, match="already has data"):
        load_demo(db)
    assert ProspectRepository(db).count() == before
