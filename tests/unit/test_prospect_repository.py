"""Finding, sorting and changing prospects as every list and table does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smarketing_desktop.core.errors import NotFoundError, ValidationError
from smarketing_desktop.core.prospect_csv import parse_prospect_csv
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.db.store import Database


@pytest.fixture
def repo(db: Database) -> ProspectRepository:
    repository = ProspectRepository(db)
    repository.add_many(
        [
            ProspectDraft(name="Cara", company="Zeta", email="cara@zeta.example", tags=("rfp",)),
            ProspectDraft(name="anna", company="alpha", title="CFO", tags=("Cloud",)),
            ProspectDraft(name="Ben", title="Security lead"),
        ]
    )
    return repository


def names(repo: ProspectRepository, query: ProspectQuery) -> list[str]:
    return [p.name for p in repo.find(query)]


def test_sorting_ignores_case_and_puts_empty_values_last(repo: ProspectRepository) -> None:
    assert names(repo, ProspectQuery()) == ["anna", "Ben", "Cara"]
    assert names(repo, ProspectQuery(sort="company")) == ["anna", "Cara", "Ben"]
    assert names(repo, ProspectQuery(sort="company", descending=True)) == ["Cara", "anna", "Ben"]


def test_search_matches_name_company_title_email_and_tags(repo: ProspectRepository) -> None:
    assert names(repo, ProspectQuery(search="ZETA")) == ["Cara"]
    assert names(repo, ProspectQuery(search="security")) == ["Ben"]
    assert names(repo, ProspectQuery(search="cloud")) == ["anna"]
    assert names(repo, ProspectQuery(search="@zeta.")) == ["Cara"]
    assert names(repo, ProspectQuery(tag="RFP")) == ["Cara"]
    assert names(repo, ProspectQuery(company="Alpha")) == ["anna"]


def test_companies_are_shared_by_name_ignoring_case(repo: ProspectRepository) -> None:
    dora = repo.add(ProspectDraft(name="Dora", company="ZETA"))
    cara = repo.find(ProspectQuery(search="Cara"))[0]
    assert dora.account_id == cara.account_id
    assert dora.company == "Zeta"


def test_edit_replaces_tags_in_order_and_keeps_creation_time(
    repo: ProspectRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    cara = repo.find(ProspectQuery(search="Cara"))[0]
    monkeypatch.setenv("SMARKETING_NOW", "2030-05-01T10:00:00+00:00")
    updated = repo.update(cara.id, ProspectDraft(name="Cara Z", tags=("b", "a", "rfp")))
    assert updated.tags == ("b", "a", "rfp")
    assert updated.company is None
    assert updated.created_at == cara.created_at
    assert updated.updated_at == datetime(2030, 5, 1, 10, tzinfo=UTC)


def test_invalid_edit_changes_nothing(repo: ProspectRepository) -> None:
    cara = repo.find(ProspectQuery(search="Cara"))[0]
    with pytest.raises(ValidationError) as caught:
        repo.update(cara.id, ProspectDraft(name="Cara", email="broken"))
    assert set(caught.value.errors) == {"email"}
    assert repo.get(cara.id).email == "cara@zeta.example"


def test_adding_or_editing_to_an_email_someone_has_is_refused(repo: ProspectRepository) -> None:
    cara = repo.find(ProspectQuery(search="Cara"))[0]
    with pytest.raises(ValidationError) as caught:
        repo.add(ProspectDraft(name="Cara Again", email="CARA@zeta.example"))
    assert f"Cara (id {cara.id}) already has this email" in str(caught.value)
    assert caught.value.errors == {"email": f"is taken: Cara (id {cara.id}) already has this email"}
    assert repo.count() == 3
    ben = repo.find(ProspectQuery(search="Ben"))[0]
    with pytest.raises(ValidationError, match=f"Cara \\(id {cara.id}\\) already has"):
        repo.update(ben.id, ProspectDraft(name="Ben", email="cara@zeta.example"))
    assert repo.get(ben.id).email is None
    # Saving someone with their own email is not a clash; two in one batch is.
    assert repo.update(cara.id, ProspectDraft(name="Cara Z", email="cara@zeta.example")).email
    with pytest.raises(ValidationError, match="already has this email"):
        repo.add_many([ProspectDraft(name="X", email="x@e.example")] * 2)
    assert repo.count() == 3


def test_missing_prospects_are_reported(repo: ProspectRepository) -> None:
    with pytest.raises(NotFoundError):
        repo.get(999)
    with pytest.raises(NotFoundError):
        repo.remove(999)


def test_one_bad_draft_stores_none_of_a_batch(repo: ProspectRepository) -> None:
    with pytest.raises(ValidationError):
        repo.add_many([ProspectDraft(name="Ok"), ProspectDraft(name="")])
    assert repo.count() == 3


def test_import_skips_people_already_stored_by_email(repo: ProspectRepository) -> None:
    parsed = parse_prospect_csv(b"Name,Email\nCara Again,CARA@zeta.example\nNew,new@example.com\n")
    plan = repo.plan_import(parsed)
    assert [r.draft.name for r in plan.rows] == ["New"]
    assert [(s.line, "exists" in s.reason) for s in plan.skipped] == [(2, True)]
    repo.run_import(plan)
    assert repo.count() == 4


def test_own_touch_intervals_are_stored_shown_as_effective_and_cleared(
    repo: ProspectRepository, db: Database
) -> None:
    from dataclasses import replace

    from smarketing_desktop.db.repositories.settings import SettingsRepository

    SettingsRepository(db).set("touch_ideal_days", 10)
    SettingsRepository(db).set("touch_max_days", 25)
    dora = repo.add(ProspectDraft(name="Dora", touch_ideal_days=3))
    assert (dora.touch_ideal_days, dora.touch_max_days) == (3, None)
    assert dora.to_json()["touch"] == {
        "ideal_days": 3,
        "max_days": 25,
        "ideal_is_default": False,
        "max_is_default": True,
    }
    back = repo.update(dora.id, replace(dora.to_draft(), touch_ideal_days=None))
    assert back.touch_ideal_days is None
    assert (back.cadence.ideal_days, back.cadence.max_days) == (10, 25)
    assert back.to_json()["touch"]["ideal_is_default"] is True


def test_an_own_ideal_past_the_default_maximum_is_refused_with_what_to_do(
    repo: ProspectRepository,
) -> None:
    with pytest.raises(ValidationError) as caught:
        repo.add(ProspectDraft(name="Eve", touch_ideal_days=45))
    assert set(caught.value.errors) == {"touch_max_days"}
    assert "default maximum is 30 days" in str(caught.value)
    assert repo.add(ProspectDraft(name="Eve", touch_ideal_days=45, touch_max_days=90)).cadence


def test_import_skips_rows_whose_own_interval_does_not_fit_the_default(
    repo: ProspectRepository,
) -> None:
    parsed = parse_prospect_csv(
        b"Name,Ideal Touch Days,Max Touch Days\nFar,45,\nNear,3,\nBoth,45,60\n"
    )
    assert not parsed.skipped  # the file alone cannot know the default maximum
    plan = repo.plan_import(parsed)
    assert [r.draft.name for r in plan.rows] == ["Near", "Both"]
    assert [s.line for s in plan.skipped] == [2]
    assert "default maximum is 30 days" in plan.skipped[0].reason


def test_removing_a_prospect_removes_open_followups_keeps_deals_and_says_so(
    repo: ProspectRepository, db: Database
) -> None:
    from datetime import date

    from sqlalchemy import select

    from smarketing_desktop.db.models import PlanStep, QueueItem
    from smarketing_desktop.db.repositories.opportunities import (
        OpportunityDraft,
        OpportunityRepository,
    )
    from smarketing_desktop.db.repositories.queue import QueueRepository
    from smarketing_desktop.today import due_steps

    sam = repo.add(ProspectDraft(name="Sam Carter", company="Globex"))
    deal = OpportunityRepository(db).add(
        OpportunityDraft(sam.id, "Globex renewal", date(2027, 3, 1))
    )
    queue = QueueRepository(db)
    queue.add_followup(prospect_id=sam.id, due=date(2026, 11, 20), note="Call Sam")
    queue.add_followup(prospect_id=sam.id, due=date(2026, 11, 21), note="Send deck")
    ben = repo.find(ProspectQuery(search="Ben"))[0]
    assert repo.removal_impact(ben.id).summary() == ""
    impact = repo.removal_impact(sam.id)
    assert impact.summary() == "Sam Carter has 1 open deal and 2 follow-ups"
    assert impact.consequence() == (
        "Their 2 follow-ups are removed with them; the deal stays, shown with (prospect removed)."
    )
    with db.session() as session:
        session.add(
            PlanStep(opportunity_id=deal.id, due_on=date(2026, 1, 5), channel="email", action="Hi")
        )
    repo.remove(sam.id)
    with db.session() as session:
        assert session.scalars(select(QueueItem).where(QueueItem.kind == "followup")).all() == []
    kept = OpportunityRepository(db).get(deal.id)
    assert kept.prospect_id is None
    [step] = due_steps(db, date(2026, 1, 5))
    assert step["prospect"] == "(prospect removed)"
    with pytest.raises(NotFoundError):
        repo.removal_impact(sam.id)
