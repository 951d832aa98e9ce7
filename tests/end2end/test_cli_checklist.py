"""The profile checklist from the command line: list, review, history, diff, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.end2end.conftest import Cli
from tests.unit.test_profile_rules import write_png

NOW = "2027-03-31T09:00:00+02:00"
LATER = "2027-04-14T09:00:00+02:00"


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A LinkedIn profile file with a good photo, a banner that does not exist, and an I-heavy
    About; images are given relative to the file's folder."""
    folder = tmp_path / "me"
    folder.mkdir()
    write_png(folder, "photo.png", 400, 400)
    return _write_json(
        folder / "linkedin.json",
        {
            "headline": "Account executive at Acme",
            "about": "I have sold software for ten years. My team and I love my job.",
            "photo": "photo.png",
            "banner": "images/banner.png",
            "custom_url": "https://www.linkedin.com/in/jane-doe-1a2b3c4d",
            "featured": [],
        },
    )


def _items(review: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in review["items"]}


def test_list_prints_each_checklist_with_its_items(cli: Cli) -> None:
    result = cli("checklist", "list", "--json")
    assert result.code == 0, result.stderr
    checklists = result.json()
    assert [(c["id"], c["network"]) for c in checklists] == [("linkedin", "linkedin"), ("x", "x")]
    for checklist in checklists:
        assert set(checklist) == {"id", "network", "title", "items"}
        for item in checklist["items"]:
            assert set(item) == {"id", "title", "kind"}
            assert item["kind"] in ("auto", "manual")
    linkedin = {i["id"]: i["kind"] for i in checklists[0]["items"]}
    assert linkedin["photo"] == "auto" and linkedin["experience_outcomes"] == "manual"
    text = cli("checklist", "list")
    assert text.code == 0 and "LinkedIn profile" in text.stdout


def test_review_history_diff_and_export(cli: Cli, profile: Path, tmp_path: Path) -> None:
    assert cli("settings", "set", "profile_keywords", "cloud migration; FinOps").code == 0
    answers = _write_json(
        tmp_path / "answers.json",
        {"experience_outcomes": True, "headline_buyer": {"status": "fail", "note": "too generic"}},
    )
    first = cli(
        "checklist", "review", "linkedin", "--profile", str(profile),
        "--answers", str(answers), "--json", SMARKETING_NOW=NOW,
    )  # fmt: skip
    assert first.code == 0, first.stderr
    review = first.json()
    assert set(review) == {"review_id", "score", "items"}
    items = _items(review)
    assert all(set(i) == {"id", "status", "detail", "note"} for i in review["items"])
    assert items["photo"]["status"] == "pass" and "400x400" in items["photo"]["detail"]
    assert items["banner"]["status"] == "fail"
    assert str(profile.parent / "images" / "banner.png") in items["banner"]["detail"]
    assert items["headline_keywords"]["status"] == "fail"
    assert items["about_customer_focus"]["status"] == "fail"
    assert "0 you/your against 4 I/me/my" in items["about_customer_focus"]["detail"]
    assert items["custom_url"]["status"] == "fail"
    assert items["featured"]["status"] == "fail"  # given empty
    assert items["recommendations"]["status"] == "unknown"  # left out
    assert items["experience_outcomes"]["status"] == "pass"  # answered
    assert items["headline_buyer"]["status"] == "fail"
    assert items["headline_buyer"]["note"] == "too generic"
    assert items["headline_buyer"]["detail"] == "Answered by you: too generic"
    assert items["recent_activity"]["status"] == "fail"

    # Two weeks later: a better profile, and a LinkedIn share logged through the queue.
    write_png(profile.parent, "banner-new.png", 1584, 396)
    better = json.loads(profile.read_text())
    better |= {
        "headline": "Helping finance teams with cloud migration",
        "banner": str(profile.parent / "banner-new.png"),
        "custom_url": "linkedin.com/in/jane-doe",
    }
    _write_json(profile, better)
    prospect = cli("prospect", "add", "Dana Whitfield", "--json", SMARKETING_NOW=LATER).json()
    queued = cli(
        "queue", "add", "--channel", "linkedin", "--text", "Worth a read",
        "--url", "https://acme.example/p", "--prospect", str(prospect["id"]), "--json",
        SMARKETING_NOW=LATER,
    )  # fmt: skip
    assert queued.code == 0, queued.stderr
    assert cli("queue", "done", str(queued.json()["id"]), SMARKETING_NOW=LATER).code == 0
    second = cli(
        "checklist", "review", "linkedin", "--profile", str(profile), "--json",
        SMARKETING_NOW=LATER,
    )  # fmt: skip
    assert second.code == 0, second.stderr
    again = _items(second.json())
    for item_id in ("banner", "headline_keywords", "custom_url", "recent_activity"):
        assert again[item_id]["status"] == "pass", again[item_id]
    assert again["experience_outcomes"]["status"] == "unknown"  # no answers this time
    assert second.json()["score"] > review["score"]

    history = cli("checklist", "history", "linkedin", "--json").json()
    assert [h["review_id"] for h in history] == [second.json()["review_id"], review["review_id"]]
    assert all({"review_id", "date", "score", "changes"} <= set(h) for h in history)
    assert history[0]["date"].startswith("2027-04-14")
    assert {"id": "banner", "from": "fail", "to": "pass"} in history[0]["changes"]
    assert history[1]["changes"] == []

    diff = cli(
        "checklist", "diff", str(review["review_id"]), str(second.json()["review_id"]), "--json"
    )
    assert diff.code == 0, diff.stderr
    changes = diff.json()
    assert changes["score_delta"] == second.json()["score"] - review["score"]
    assert "custom_url" in changes["fixed"] and "experience_outcomes" in changes["broken"]

    report = tmp_path / "review.md"
    exported = cli("checklist", "export", str(review["review_id"]), str(report))
    assert exported.code == 0, exported.stderr
    text = report.read_text(encoding="utf-8")
    assert text.startswith(f"# LinkedIn profile: review {review['review_id']}")
    assert "## To fix" in text and "**Why it matters:**" in text and "**How to fix:**" in text
    assert "too generic" in text

    due = cli("checklist", "due", "--json", SMARKETING_NOW=LATER).json()
    assert {d["network"]: d["due"] for d in due} == {"linkedin": False, "x": True}


def test_an_x_profile_from_plain_fields(cli: Cli, tmp_path: Path) -> None:
    write_png(tmp_path, "avatar.png", 800, 400)
    profile = _write_json(
        tmp_path / "x.json",
        {"bio": "FinOps for finance teams", "url": "acme.example", "photo": "avatar.png",
         "pinned_post": "", "header": {"width": 1500, "height": 500}},
    )  # fmt: skip
    result = cli(
        "checklist", "review", "X", "--profile", str(profile), "--json", SMARKETING_NOW=NOW
    )
    assert result.code == 0, result.stderr
    items = _items(result.json())
    assert items["photo"]["status"] == "fail" and "800x400" in items["photo"]["detail"]
    assert items["header"]["status"] == "pass"
    assert items["link"]["status"] == "pass"
    assert items["pinned_post"]["status"] == "fail"
    assert items["bio_keywords"]["status"] == "unknown"  # no profile_keywords set
    assert items["bio_value"]["status"] == "unknown"


def test_a_profile_file_with_wrong_types_or_no_known_fields_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    cases = [
        ({"about": ["x"]}, "the profile file's 'about' must be text, not a list"),
        ({"headline": 42}, "the profile file's 'headline' must be text, not a number"),
        ({"photo": 3}, "the profile file's 'photo' must be the path of an image file"),
        ({"recommendations": "3"}, "the profile file's 'recommendations' must be a number"),
        ({}, "The profile file has none of the fields a review checks: photo, banner, headline"),
        ({"headlin": "typo"}, "has none of the fields a review checks"),
    ]
    for data, message in cases:
        path = _write_json(tmp_path / "p.json", data)
        refused = cli("checklist", "review", "linkedin", "--profile", str(path))
        assert refused.code == 2, data
        assert message in refused.stderr, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert cli("checklist", "history", "linkedin", "--json").json() == []  # nothing stored


def test_an_answer_note_shows_in_the_printed_review(
    cli: Cli, profile: Path, tmp_path: Path
) -> None:
    answers = _write_json(
        tmp_path / "answers.json",
        {"experience_outcomes": {"status": "fail", "note": "no numbers yet"}},
    )
    shown = cli(
        "checklist", "review", "linkedin", "--profile", str(profile), "--answers", str(answers),
        SMARKETING_NOW=NOW,
    )  # fmt: skip
    assert shown.code == 0, shown.stderr
    assert "Answered by you: no numbers yet" in shown.stdout


def test_bad_input_exits_2_with_a_one_line_message(cli: Cli, profile: Path, tmp_path: Path) -> None:
    unknown = cli("checklist", "review", "myspace", "--profile", str(profile))
    assert unknown.code == 2 and "no checklist for network 'myspace'" in unknown.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "headline": "x"\n  "about": "y"\n}\n', encoding="utf-8")
    malformed = cli("checklist", "review", "linkedin", "--profile", str(broken))
    assert malformed.code == 2
    assert f"{broken}: not valid JSON at line 3" in malformed.stderr
    missing = cli("checklist", "review", "linkedin", "--profile", str(tmp_path / "none.json"))
    assert missing.code == 2 and "no such file" in missing.stderr
    answers = _write_json(tmp_path / "answers.json", {"no_such_item": True})
    bad_answer = cli(
        "checklist", "review", "linkedin", "--profile", str(profile), "--answers", str(answers)
    )
    assert bad_answer.code == 2 and "no_such_item" in bad_answer.stderr
    assert cli("checklist", "history", "linkedin", "--json").json() == []  # nothing stored
    no_review = cli("checklist", "diff", "1", "2")
    assert no_review.code == 2 and "no checklist review with id 1" in no_review.stderr
    own = tmp_path / "home" / "checklists"
    own.mkdir(parents=True)
    (own / "typo.yaml").write_text(
        "id: typo\nnetwork: mastodon\ntitle: T\nitems:\n  - {id: a, title: A, why: W, how: H, "
        "weight: 1, manual: true, colour: red}\n",
        encoding="utf-8",
    )
    typo = cli("checklist", "list")
    assert typo.code == 2
    assert "typo.yaml: item 1 ('a'): unknown key 'colour'" in typo.stderr
