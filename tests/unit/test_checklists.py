"""Checklists: strict loading, evaluation and scoring, stored reviews, history and reminders."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smarketing_desktop.core.checklists import (
    Answer,
    Checklist,
    ChecklistError,
    ChecklistItem,
    ItemResult,
    Review,
    checklist_for,
    diff_reviews,
    evaluate,
    evaluate_item,
    history_entries,
    load_checklists,
    parse_answers,
    parse_checklist,
    parse_profile,
    prepare_profile,
    review_due_on,
    review_markdown,
    score,
)
from smarketing_desktop.core.errors import NotFoundError, UserError
from smarketing_desktop.core.image_check import ImageFacts
from smarketing_desktop.core.profile_rules import RuleContext
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.checklists import ChecklistRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.repositories.touches import log_touch
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir
from tests.unit.test_profile_rules import write_png

NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
PINNED = "2027-03-31T09:00:00+00:00"


def _yaml(body: str) -> str:
    return textwrap.dedent(body).strip() + "\n"


MINIMAL = _yaml(
    """
    id: mine
    network: mastodon
    title: Mastodon profile
    items:
      - id: bio
        title: A bio
        why: Buyers read it.
        how: Write one.
        weight: 3
        rule: filled
        params: {field: bio}
      - id: avatar
        title: An avatar
        why: Faces.
        how: Upload one.
        weight: 1
        manual: true
    """
)


def _checklist(text: str, tmp_path: Path, name: str = "mine.yaml") -> Checklist:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_checklist(text, path)


# -- loading -------------------------------------------------------------------------------


def test_shipped_checklists_load_and_keep_the_required_items() -> None:
    checklists = load_checklists(resources_dir())
    assert [c.network for c in checklists] == ["linkedin", "x"]
    linkedin = checklist_for(checklists, "LinkedIn")
    ids = {i.id for i in linkedin.items}
    assert {"photo", "headline_keywords", "custom_url", "about_customer_focus"} <= ids
    assert {"banner", "featured", "recommendations", "contact_info", "recent_activity"} <= ids
    assert {i.kind for i in linkedin.items} == {"auto", "manual"}
    x_ids = {i.id for i in checklist_for(checklists, "x").items}
    assert {"photo", "bio_keywords", "link", "pinned_post", "header", "recent_activity"} <= x_ids
    assert linkedin.image_fields() == {"photo", "banner"}
    for checklist in checklists:  # shipped weights are points out of 100
        assert sum(i.weight for i in checklist.items) == 100


def test_an_unknown_network_is_a_user_error() -> None:
    with pytest.raises(UserError, match=r"no checklist for network 'myspace'.*linkedin, x"):
        checklist_for(load_checklists(resources_dir()), "myspace")


def test_a_minimal_checklist_parses(tmp_path: Path) -> None:
    checklist = _checklist(MINIMAL, tmp_path)
    assert checklist.items == (
        ChecklistItem(
            "bio", "A bio", "Buyers read it.", "Write one.", 3, "filled", {"field": "bio"}
        ),
        ChecklistItem("avatar", "An avatar", "Faces.", "Upload one.", 1),
    )
    assert checklist.to_json()["items"][1] == {
        "id": "avatar",
        "title": "An avatar",
        "kind": "manual",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("weight: 3", "wieght: 3"), r"item 1 \('bio'\): unknown key 'wieght'"),
        (("weight: 3", "weight: 0"), r"item 1 \('bio'\): 'weight' must be a whole number"),
        (("rule: filled", "rule: magic"), r"item 1 \('bio'\): 'rule' must be one of"),
        (("{field: bio}", "{field: bio, colour: red}"), r"'bio'\): rule 'filled' has no param"),
        (("{field: bio}", "{min_items: 2}"), r"'bio'\): rule 'filled' needs parameter 'field'"),
        (("{field: bio}", "{field: bio, min_items: two}"), r"'min_items' must be a whole"),
        (("manual: true", "manual: yes please"), r"item 2 \('avatar'\): 'manual' must be"),
        (("    manual: true\n", ""), r"item 2 \('avatar'\): give either 'rule'"),
        (("id: avatar", "id: bio"), r"item 2: id 'bio' is used twice"),
        (("id: avatar", "id: Avatar!"), r"item 2 \('Avatar!'\): 'id' must be lower-case"),
        (("why: Faces.", "why: ''"), r"item 2 \('avatar'\): 'why' must be a non-empty text"),
        (("    title: A bio\n", ""), r"item 1 \('bio'\): missing 'title'"),
        (
            ("network: mastodon", "network: mastodon\ncolour: red"),
            r"mine.yaml: unknown key 'colour'",
        ),
    ],
)
def test_validation_errors_name_the_file_and_the_item(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in MINIMAL
    with pytest.raises(ChecklistError, match=message) as caught:
        _checklist(MINIMAL.replace(old, new, 1), tmp_path)
    assert str(tmp_path / "mine.yaml") in str(caught.value)


def test_manual_items_take_no_params_and_files_must_be_mappings(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError, match="a manual item has none"):
        _checklist(MINIMAL.replace("manual: true", "manual: true\n    params: {}"), tmp_path)
    with pytest.raises(ChecklistError, match=r"mine.yaml: must be a mapping"):
        _checklist("- just a list\n", tmp_path)
    with pytest.raises(ChecklistError, match=r"mine.yaml: not valid YAML"):
        _checklist("id: [unclosed\n", tmp_path)


def test_a_linkedin_checklist_must_keep_the_comparable_items(tmp_path: Path) -> None:
    text = MINIMAL.replace("network: mastodon", "network: linkedin")
    with pytest.raises(
        ChecklistError, match="must keep the items about_customer_focus, custom_url"
    ):
        _checklist(text, tmp_path)


def test_own_checklists_add_networks_and_replace_shipped_ones_by_id(tmp_path: Path) -> None:
    own = tmp_path / "home" / "checklists"
    own.mkdir(parents=True)
    (own / "mastodon.yaml").write_text(MINIMAL, encoding="utf-8")
    shipped_x = (resources_dir() / "checklists" / "x.yaml").read_text(encoding="utf-8")
    (own / "x.yaml").write_text(shipped_x.replace("title: X profile", "title: My X"), "utf-8")
    checklists = load_checklists(resources_dir(), tmp_path / "home")
    assert [(c.network, c.title) for c in checklists] == [
        ("linkedin", "LinkedIn profile"),
        ("mastodon", "Mastodon profile"),
        ("x", "My X"),
    ]
    (own / "other.yaml").write_text(MINIMAL.replace("id: mine", "id: other"), "utf-8")
    with pytest.raises(ChecklistError, match=r"other.yaml: network 'mastodon' already has"):
        load_checklists(resources_dir(), tmp_path / "home")


# -- profiles and answers ------------------------------------------------------------------


def test_malformed_profile_json_names_the_line() -> None:
    with pytest.raises(ChecklistError, match=r"p.json: not valid JSON at line 2, column 1"):
        parse_profile(b'{"headline": "x",\n}', "p.json")
    with pytest.raises(ChecklistError, match=r"p.json: must be a JSON object"):
        parse_profile(b"[1, 2]", "p.json")


def test_prepare_profile_opens_images_relative_to_the_profile(tmp_path: Path) -> None:
    write_png(tmp_path, "me.png", 400, 400)
    prepared = prepare_profile(
        {"photo": "me.png", "banner": "gone.png", "headline": "hi"}, {"photo", "banner"}, tmp_path
    )
    photo, banner = prepared["photo"], prepared["banner"]
    assert isinstance(photo, ImageFacts) and (photo.width, photo.height) == (400, 400)
    assert isinstance(banner, ImageFacts) and banner.problem == (
        f"file not found: {tmp_path / 'gone.png'}"
    )
    absolute = prepare_profile({"photo": str(tmp_path / "me.png")}, {"photo"}, None)["photo"]
    assert isinstance(absolute, ImageFacts) and absolute.width == 400


def test_answers_are_checked_against_the_checklist(tmp_path: Path) -> None:
    checklist = _checklist(MINIMAL, tmp_path)
    answers = parse_answers(
        b'{"avatar": true, "bio": {"status": "fail", "note": "too long"}}', "a.json", checklist
    )
    assert answers == {"avatar": Answer("pass"), "bio": Answer("fail", "too long")}
    assert parse_answers(b'{"bio": {"note": "ok"}}', "a.json", checklist) == {
        "bio": Answer(None, "ok")
    }
    bad = [
        (b'{"nope": true}', "answer 'nope': the Mastodon profile checklist has no such item"),
        (b'{"bio": "yes"}', "answer 'bio': must be true, false"),
        (b'{"bio": {"status": "maybe"}}', "'status' must be one of pass, fail, unknown"),
        (b'{"bio": {"stat": "pass"}}', "unknown key 'stat'"),
        (b'{"bio": {"note": 3}}', "'note' must be a text"),
    ]
    for data, message in bad:
        with pytest.raises(ChecklistError, match=message):
            parse_answers(data, "a.json", checklist)


# -- evaluation and score ------------------------------------------------------------------


def test_missing_is_unknown_empty_fails_and_manual_waits_for_an_answer(tmp_path: Path) -> None:
    checklist = _checklist(MINIMAL, tmp_path)
    context = RuleContext(NOW)
    assert [r.status for r in evaluate(checklist, {}, context).results] == ["unknown", "unknown"]
    assert [r.status for r in evaluate(checklist, {"bio": ""}, context).results] == [
        "fail",
        "unknown",
    ]
    answered = evaluate(checklist, {}, context, {"avatar": Answer("pass", "new photo")})
    assert answered.results[1] == ItemResult("avatar", "pass", "Answered by you.", "new photo")
    assert answered.score == 25  # weight 1 of 4


def test_an_answer_overrides_a_rule_and_the_detail_keeps_what_the_rule_said(
    tmp_path: Path,
) -> None:
    item = _checklist(MINIMAL, tmp_path).items[0]
    result = evaluate_item(item, {"bio": ""}, RuleContext(NOW), Answer("pass"))
    assert result.status == "pass"
    assert result.detail.startswith("Answered by you; the automatic check said fail: Empty")
    same = evaluate_item(item, {"bio": "Hi"}, RuleContext(NOW), Answer("pass", "n"))
    assert (same.status, same.detail, same.note) == ("pass", 'Bio: "Hi".', "n")


def test_score_is_the_passed_share_of_the_weight_rounded_half_up(tmp_path: Path) -> None:
    checklist = _checklist(MINIMAL, tmp_path)  # weights 3 and 1
    results = [ItemResult("bio", "pass", ""), ItemResult("avatar", "unknown", "")]
    assert score(checklist, results) == 75
    assert score(checklist, [ItemResult("bio", "fail", ""), ItemResult("avatar", "pass", "")]) == 25
    assert score(checklist, []) == 0
    odd = Checklist(
        "c", "n", "C", tuple(ChecklistItem(str(n), "t", "w", "h", 1) for n in "abcdefgh")
    )
    assert score(odd, [ItemResult("a", "pass", "")]) == 13  # 12.5 rounds up


def _full_linkedin_profile(folder: Path) -> dict[str, Any]:
    write_png(folder, "photo.png", 400, 400)
    write_png(folder, "banner.png", 1584, 396)
    return {
        "photo": "photo.png",
        "banner": "banner.png",
        "headline": "Helping finance teams with cloud migration that closes the books faster",
        "custom_url": "https://www.linkedin.com/in/jane-doe",
        "about": (
            "Your month-end close takes two weeks and your team spends it copying numbers. "
            "You could close in three days. Teams like yours moved their finance data with a "
            "cloud migration that kept every report running, and you can too: your auditors "
            "get the same numbers, your analysts get their evenings back. Book a 20-minute call "
            "and you will leave with a plan for your own close."
        ),
        "featured": ["Cloud migration guide"],
        "recommendations": 3,
        "skills": ["Cloud Migration", "FinOps"],
        "contact": {"email": "jane@acme.example"},
        "last_post_at": "2027-03-30",
    }


def test_a_complete_linkedin_profile_scores_100(tmp_path: Path) -> None:
    linkedin = checklist_for(load_checklists(resources_dir()), "linkedin")
    profile = prepare_profile(_full_linkedin_profile(tmp_path), linkedin.image_fields(), tmp_path)
    answers = {"headline_buyer": Answer("pass"), "experience_outcomes": Answer("pass")}
    evaluation = evaluate(linkedin, profile, RuleContext(NOW, ("cloud migration",)), answers)
    failing = [(r.item_id, r.detail) for r in evaluation.results if r.status != "pass"]
    assert failing == []
    assert evaluation.score == 100
    snapshot = evaluation.snapshot
    assert snapshot["profile"]["photo"]["width"] == 400
    assert snapshot["profile"]["photo"]["file"] == "photo.png"
    assert snapshot["keywords"] == ["cloud migration"]
    json.dumps(snapshot)  # storable as it is


# -- stored reviews ------------------------------------------------------------------------


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", PINNED)


def _review(
    db: Database, tmp_path: Path, profile: dict[str, Any], answers: dict[str, Answer] | None = None
) -> Review:
    linkedin = checklist_for(load_checklists(resources_dir()), "linkedin")
    prepared = prepare_profile(profile, linkedin.image_fields(), tmp_path)
    return ChecklistRepository(db).review(linkedin, prepared, answers)


@pytest.mark.usefixtures("pinned")
def test_a_review_is_stored_with_results_notes_and_snapshot(db: Database, tmp_path: Path) -> None:
    SettingsRepository(db).set_text("profile_keywords", "cloud migration; FinOps")
    profile = _full_linkedin_profile(tmp_path)
    review = _review(db, tmp_path, profile, {"headline_buyer": Answer("pass", "reworded")})
    assert review.reviewed_at == NOW
    stored = ChecklistRepository(db).get(review.id)
    assert stored == review
    linkedin = checklist_for(load_checklists(resources_dir()), "linkedin")
    assert [r.item_id for r in stored.results] == [i.id for i in linkedin.items]
    assert stored.statuses()["experience_outcomes"] == "unknown"
    assert next(r.note for r in stored.results if r.item_id == "headline_buyer") == "reworded"
    assert stored.snapshot["profile"]["banner"] == {
        "file": "banner.png",
        "bytes": (tmp_path / "banner.png").stat().st_size,
        "width": 1584,
        "height": 396,
    }
    assert stored.snapshot["keywords"] == ["cloud migration", "FinOps"]
    assert stored.score == 92  # experience_outcomes (weight 8 of 100) is not answered
    with pytest.raises(NotFoundError):
        ChecklistRepository(db).get(999)


@pytest.mark.usefixtures("pinned")
def test_recent_activity_comes_from_logged_touches(db: Database, tmp_path: Path) -> None:
    profile = {"headline": "x"}
    assert _review(db, tmp_path, profile).statuses()["recent_activity"] == "fail"
    prospect = ProspectRepository(db).add(ProspectDraft(name="Dana Whitfield"))
    ActivityRepository(db).log(prospect.id, "call", when=NOW - timedelta(days=1))
    assert _review(db, tmp_path, profile).statuses()["recent_activity"] == "fail"  # not a post
    ActivityRepository(db).log(prospect.id, "comment", when=NOW - timedelta(days=40))
    assert _review(db, tmp_path, profile).statuses()["recent_activity"] == "fail"  # too old
    with db.session() as session:
        log_touch(session, prospect.id, "share_linkedin", NOW - timedelta(days=2))
    review = _review(db, tmp_path, profile)
    assert review.statuses()["recent_activity"] == "pass"
    detail = next(r.detail for r in review.results if r.item_id == "recent_activity")
    assert "1 post, share or comment in the last 30 days (latest 2027-03-29)" in detail


def _stored(review_id: int, day: int, score_: int, **statuses: Any) -> Review:
    results = tuple(ItemResult(k, v, "") for k, v in statuses.items())
    return Review(review_id, "linkedin", datetime(2027, 1, day, tzinfo=UTC), score_, results)


def test_diff_reports_items_that_changed_and_the_score_delta() -> None:
    before = _stored(1, 1, 40, photo="fail", custom_url="pass", about_customer_focus="unknown")
    after = _stored(2, 2, 55, photo="pass", custom_url="fail", headline_keywords="pass")
    diff = diff_reviews(before, after).to_json()
    assert diff["score_delta"] == 15
    assert diff["changes"] == [
        {"id": "photo", "from": "fail", "to": "pass"},
        {"id": "custom_url", "from": "pass", "to": "fail"},
        {"id": "headline_keywords", "from": None, "to": "pass"},
        {"id": "about_customer_focus", "from": "unknown", "to": None},
    ]
    assert diff["fixed"] == ["photo", "headline_keywords"]
    assert diff["broken"] == ["custom_url"]
    other = Review(3, "x", NOW, 10, ())
    with pytest.raises(UserError, match="only reviews of one network"):
        diff_reviews(before, other)


def test_history_is_newest_first_with_trend_and_changes() -> None:
    reviews = [
        _stored(2, 5, 60, photo="pass"),
        _stored(1, 1, 40, photo="fail"),
        _stored(3, 9, 60, photo="pass"),
    ]
    entries = history_entries(reviews)
    assert [(e.review.id, e.score_delta, e.trend) for e in entries] == [
        (3, 0, "same"),
        (2, 20, "up"),
        (1, None, "first"),
    ]
    assert entries[1].to_json()["changes"] == [{"id": "photo", "from": "fail", "to": "pass"}]
    assert entries[2].to_json()["changes"] == []


def test_history_and_diff_through_the_repository(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2027-03-01T09:00:00+00:00")
    first = _review(db, tmp_path, {"custom_url": "linkedin.com/in/jane-doe-1a2b3c4d"})
    monkeypatch.setenv("SMARKETING_NOW", PINNED)
    second = _review(db, tmp_path, {"custom_url": "linkedin.com/in/jane-doe"})
    repo = ChecklistRepository(db)
    history = repo.history("linkedin")
    assert [e.review.id for e in history] == [second.id, first.id]
    assert history[0].score_delta == 5  # custom_url's weight
    assert [c.to_json() for c in history[0].changes] == [
        {"id": "custom_url", "from": "fail", "to": "pass"}
    ]
    assert repo.diff(first.id, second.id).score_delta == 5
    assert repo.previous(second) == first and repo.previous(first) is None
    assert repo.history("x") == []


def test_review_due_dates() -> None:
    today = date(2027, 3, 31)
    assert review_due_on(None, 30, today) == today
    assert review_due_on(datetime(2027, 3, 1, 12, tzinfo=UTC), 30, today) == date(2027, 3, 31)
    assert review_due_on(datetime(2027, 3, 2, 12, tzinfo=UTC), 30, today) is None
    assert review_due_on(datetime(2027, 1, 1, 12, tzinfo=UTC), 30, today) == date(2027, 1, 31)


def test_the_reminder_follows_the_setting(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = ChecklistRepository(db)
    today = date(2027, 3, 31)
    assert repo.review_due("linkedin", today) == today  # never reviewed
    monkeypatch.setenv("SMARKETING_NOW", "2027-03-10T12:00:00+00:00")
    _review(db, tmp_path, {"headline": "Account executive"})
    assert repo.review_due("linkedin", today) is None
    assert repo.next_review("linkedin", today) == date(2027, 4, 9)
    SettingsRepository(db).set_text("profile_review_days", "14")
    assert repo.review_due("linkedin", today) == date(2027, 3, 24)
    assert repo.due(["linkedin", "x"], today) == {"linkedin": date(2027, 3, 24), "x": today}


def test_markdown_report_puts_failures_first_with_why_and_how(tmp_path: Path) -> None:
    linkedin = checklist_for(load_checklists(resources_dir()), "linkedin")
    review = Review(
        7,
        "linkedin",
        NOW,
        40,
        (
            ItemResult("photo", "pass", "400x400 pixels (photo.png)."),
            ItemResult("custom_url", "fail", "ends in -1a2b3c4d", "ask IT"),
            ItemResult("featured", "unknown", "No featured items"),
        ),
    )
    previous = Review(5, "linkedin", NOW - timedelta(days=30), 30, ())
    text = review_markdown(review, linkedin, previous)
    assert text.startswith("# LinkedIn profile: review 7\n")
    assert "Score **40/100** (+10 since review 5)." in text
    assert (
        text.index("## To fix (1)") < text.index("## Not checked yet (1)") < text.index("## Done")
    )
    custom_url = linkedin.item("custom_url")
    assert custom_url is not None
    assert f"- **Why it matters:** {custom_url.why}" in text
    assert f"- **How to fix:** {custom_url.how}" in text
    assert "- **Note:** ask IT" in text
    assert "- **A professional photo**: 400x400 pixels (photo.png)." in text
    assert "# linkedin profile: review 7" in review_markdown(review, None)


def test_a_profile_naming_no_checklist_field_is_not_stored(db: Database, tmp_path: Path) -> None:
    from smarketing_desktop.core.checklists import ChecklistError

    with pytest.raises(ChecklistError, match="none of the fields a review checks: photo, banner"):
        _review(db, tmp_path, {})
    assert ChecklistRepository(db).history("linkedin") == []


def test_profile_files_are_checked_field_by_field() -> None:
    from smarketing_desktop.core.checklists import ChecklistError, check_profile_file

    linkedin = checklist_for(load_checklists(resources_dir()), "linkedin")
    good = {
        "headline": "AE",
        "about": None,  # given empty: the rules fail it, the file is fine
        "photo": "me.png",
        "banner": {"width": 1584, "height": 396},
        "skills": ["FinOps", "cloud migration"],
        "recommendations": 3,
        "featured": [],
        "contact": {"email": "a@b.example"},
        "last_post_at": ["2027-03-01"],
    }
    check_profile_file(good, linkedin, "me.json")
    for field_name, value, words in (
        ("about", ["x"], "'about' must be text, not a list"),
        ("skills", [1, 2], "'skills' must be text or a list of texts"),
        ("banner", 7, "'banner' must be the path of an image file"),
        ("recommendations", True, "'recommendations' must be a number or a list, not true"),
        ("last_post_at", 20270301, "'last_post_at' must be a date"),
    ):
        with pytest.raises(ChecklistError, match=words):
            check_profile_file({**good, field_name: value}, linkedin, "me.json")


def test_an_answer_note_is_part_of_the_shown_detail() -> None:
    answered = ItemResult("a", "fail", "Answered by you.", "no numbers yet")
    assert answered.shown_detail == "Answered by you: no numbers yet"
    overridden = ItemResult("b", "pass", "Answered by you; the automatic check said fail: x", "ok")
    assert overridden.shown_detail.endswith("Your note: ok")
    assert ItemResult("c", "pass", "Fine.").shown_detail == "Fine."
    review = Review(1, "linkedin", datetime(2027, 3, 1, tzinfo=UTC), 50, (answered,))
    assert review.to_json()["items"] == [
        {
            "id": "a",
            "status": "fail",
            "detail": "Answered by you: no numbers yet",
            "note": "no numbers yet",
        }
    ]
