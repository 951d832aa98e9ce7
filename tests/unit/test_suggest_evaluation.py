"""Ranking quality on a labelled set: every prospect must see the right item first."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.suggest_eval import CASES, LIBRARY, build_index, evaluate


def test_the_evaluation_set_is_broad_and_honest() -> None:
    titles = {item.id: item.title.lower() for item in LIBRARY}
    assert len(CASES) >= 8
    assert len(LIBRARY) >= 24
    assert len({item.kind for item in LIBRARY}) >= 5
    assert len({case.expected_top for case in CASES}) == len(CASES)
    for case in CASES:
        assert 3 <= len(case.posts) <= 6
        assert case.relevant <= titles.keys()
        written = " ".join(f"{p.title} {p.text}" for p in case.posts).lower()
        assert not any(title in written for title in titles.values()), case.prospect.name


def test_every_prospect_gets_the_right_item_first(
    record_property: Callable[[str, object], None],
) -> None:
    result = evaluate(build_index())

    print(
        f"suggest eval: P@1={result.precision_at_1:.2f} MRR={result.mrr:.3f} "
        f"MAP@5={result.map_at_5:.3f} over {result.prospects} prospects"
    )
    record_property("suggest_p_at_1", round(result.precision_at_1, 4))
    record_property("suggest_mrr", round(result.mrr, 4))
    record_property("suggest_map_at_5", round(result.map_at_5, 4))
    wrong = {
        case.prospect.name: (result.top_items[case.prospect.id], case.expected_top)
        for case in CASES
        if result.top_items[case.prospect.id] != case.expected_top
    }
    assert not wrong, f"(got, expected) per prospect: {wrong}"
    assert result.precision_at_1 == 1.0
    assert result.mrr == 1.0
