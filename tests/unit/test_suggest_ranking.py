"""Share and engage suggestions as a rep relies on them: relevant, recent, explained, varied."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import bm25s  # type: ignore[import-untyped]
import pytest

from smarketing_desktop.suggest.model import ContentDoc, EntryDoc, ProspectDoc, Suggestion
from smarketing_desktop.suggest.ranking import SuggestionIndex
from smarketing_desktop.suggest.text import STOPWORDS, Analyzer

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

CLOUD = ContentDoc(
    id=1,
    title="The Cloud Migration Playbook",
    summary="Move an on-premises data warehouse to the cloud without surprises in cost.",
    tags=("cloud", "migration"),
    kind="e_book",
    url="https://example.com/1",
)
SECURITY = ContentDoc(
    id=2,
    title="Security Compliance Without the Paperwork",
    summary="Automate audit evidence, access reviews and compliance reporting.",
    tags=("compliance", "security"),
    kind="e_book",
    url="https://example.com/2",
)
PRICING = ContentDoc(
    id=3,
    title="Pricing Pages That Convert",
    summary="Tiers, packaging and discounts for subscription pricing.",
    tags=("pricing",),
    kind="blog_post",
    url="https://example.com/3",
)
ONBOARDING = ContentDoc(
    id=4,
    title="Ramp New Sales Reps Faster",
    summary="An onboarding program with certification for account executives.",
    tags=("sales enablement",),
    kind="webinar",
    url="https://example.com/4",
)
LIBRARY = (CLOUD, SECURITY, PRICING, ONBOARDING)


def post(
    entry_id: int,
    prospect_id: int,
    days_ago: float,
    title: str,
    text: str = "",
    *,
    signal: tuple[str, ...] = (),
) -> EntryDoc:
    return EntryDoc(
        id=entry_id,
        prospect_id=prospect_id,
        title=title,
        text=text,
        published=NOW - timedelta(days=days_ago),
        is_signal=bool(signal),
        signal_terms=signal,
    )


def make_index(
    library: tuple[ContentDoc, ...] = LIBRARY,
    prospects: tuple[ProspectDoc, ...] = (),
    entries: tuple[EntryDoc, ...] = (),
) -> SuggestionIndex:
    index = SuggestionIndex(now=NOW)
    index.set_content(library)
    index.set_prospects(prospects)
    index.add_entries(entries)
    return index


def ids(suggestions: list[Suggestion]) -> list[int | None]:
    return [suggestion.content_id for suggestion in suggestions]


def summary(suggestions: list[Suggestion]) -> list[tuple[object, ...]]:
    return [(s.content_id, s.entry_id, s.reasons) for s in suggestions]


def prospect(prospect_id: int, *tags: str) -> ProspectDoc:
    return ProspectDoc(id=prospect_id, name=f"Prospect {prospect_id}", tags=tags)


SECURITY_POSTS = (
    (400, "Our security audit is coming", "Collecting compliance evidence for the auditors."),
    (380, "Access reviews every quarter", "Security compliance means reviewing access."),
    (365, "What the audit taught us", "Compliance evidence should be automated."),
)
CLOUD_POST = (6, "Week one of our cloud migration", "Moving the data warehouse to the cloud.")


def test_last_weeks_posts_outweigh_last_years() -> None:
    entries = [post(n, 10, *text) for n, text in enumerate([*SECURITY_POSTS, CLOUD_POST], 1)]
    index = make_index(prospects=(prospect(10),), entries=tuple(entries))

    assert ids(index.rank(10))[:2] == [CLOUD.id, SECURITY.id]

    # The same words with the dates swapped: it is the age that decides, not the wording.
    swapped = [
        post(1, 11, 6, *SECURITY_POSTS[0][1:]),
        post(2, 11, 5, *SECURITY_POSTS[1][1:]),
        post(3, 11, 4, *SECURITY_POSTS[2][1:]),
        post(4, 11, 365, *CLOUD_POST[1:]),
    ]
    index = make_index(prospects=(prospect(11),), entries=tuple(swapped))
    assert ids(index.rank(11))[0] == SECURITY.id


def test_tags_alone_suggest_items_and_say_so() -> None:
    index = make_index(prospects=(prospect(20, "Compliance"),))

    suggestions = index.rank(20)

    assert ids(suggestions) == [SECURITY.id]
    assert suggestions[0].reasons == ('Shares the tag "Compliance"',)
    assert suggestions[0].entry_id is None
    assert suggestions[0].kind == "share"


def test_excluded_items_never_come_back() -> None:
    entries = (post(1, 30, 2, "Cloud migration costs and security compliance"),)
    index = make_index(prospects=(prospect(30, "pricing"),), entries=entries)
    everything = ids(index.rank(30, limit=10))
    assert set(everything) == {CLOUD.id, SECURITY.id, PRICING.id}

    assert ids(index.rank(30, limit=10, exclude={CLOUD.id, PRICING.id})) == [SECURITY.id]
    assert ids(index.rank_all(limit=10, exclude={30: [SECURITY.id]})[30]) == [
        i for i in everything if i != SECURITY.id
    ]


def test_reasons_use_the_words_the_prospect_wrote_and_credit_the_right_post() -> None:
    entries = (
        post(1, 40, 3, "Migrating our warehouse", "The migration of the warehouse to the cloud."),
        post(2, 40, 9, "Subscription pricing experiments", "We tested discounts on our tiers."),
    )
    index = make_index(prospects=(prospect(40),), entries=entries)

    by_item = {s.content_id: s for s in index.rank(40)}

    cloud = by_item[CLOUD.id]
    assert cloud.entry_id == 1
    writes_about = next(r for r in cloud.reasons if r.startswith("Writes about: "))
    words = writes_about.removeprefix("Writes about: ").split(", ")
    written = " ".join(f"{e.title} {e.text}" for e in entries).lower()
    assert all(re.search(rf"\b{word}\b", written) for word in words), words
    assert 'From the post: "Migrating our warehouse"' in cloud.reasons
    assert {"warehouse", "cloud"} <= set(cloud.matched_terms)

    pricing = by_item[PRICING.id]
    assert pricing.entry_id == 2
    assert 'From the post: "Subscription pricing experiments"' in pricing.reasons


def test_adding_posts_changes_only_that_prospects_ranking_without_rebuilding() -> None:
    entries = (
        post(1, 50, 20, "Security compliance audit prep"),
        post(2, 51, 20, "Pricing tiers and packaging"),
    )
    index = make_index(prospects=(prospect(50), prospect(51)), entries=entries)
    model, builds = index.bm25, index.content_builds
    before = index.rank_all()
    assert ids(before[50])[0] == SECURITY.id

    more = (
        post(3, 50, 1, "Cloud migration kickoff", "Our data warehouse moves to the cloud."),
        post(4, 50, 0.5, "Cloud migration, week two", "Warehouse cutover to the cloud."),
    )
    index.add_entries(more)
    after = index.rank_all()

    assert ids(after[50])[0] == CLOUD.id
    assert after[51] == before[51]
    assert index.bm25 is model
    assert index.content_builds == builds

    # Adding a few at a time ends where adding everything at once does.
    batch = make_index(prospects=(prospect(50), prospect(51)), entries=entries + more)
    for prospect_id, suggestions in batch.rank_all().items():
        assert summary(suggestions) == summary(after[prospect_id])
        assert [s.score for s in suggestions] == pytest.approx(
            [s.score for s in after[prospect_id]]
        )


def test_a_post_added_again_replaces_the_earlier_version() -> None:
    index = make_index(prospects=(prospect(55),), entries=(post(1, 55, 1, "Cloud migration"),))
    index.add_entries([post(1, 55, 1, "Pricing tiers")])
    assert ids(index.rank(55)) == [PRICING.id]


def test_engage_puts_buying_signals_first_then_the_newest_posts() -> None:
    entries = (
        post(1, 60, 1, "Team offsite photos"),
        post(2, 60, 12, "We are issuing an RFP for a CRM", signal=("RFP",)),
        post(3, 60, 3, "Thoughts on remote work"),
        post(4, 60, 30, "Quarterly update"),
    )
    index = make_index(prospects=(prospect(60),), entries=entries)

    suggestions = index.engage(60)

    assert [s.entry_id for s in suggestions] == [2, 1, 3]
    assert all(s.kind == "engage" and s.content_id is None for s in suggestions)
    assert suggestions[0].reasons[0] == "Buying signal: RFP"
    assert suggestions[1].reasons == ('New post: "Team offsite photos"',)
    assert [s.entry_id for s in index.engage(60, since=NOW - timedelta(days=5))] == [1, 3]
    assert [s.entry_id for s in index.engage(60, exclude={2}, limit=2)] == [1, 3]


def test_engage_labels_a_post_without_title_by_its_text() -> None:
    long_text = "Big news: we just opened our second warehouse in Rotterdam " * 4
    index = make_index(prospects=(prospect(61),), entries=(post(1, 61, 2, "", long_text),))
    (suggestion,) = index.engage(61)
    label = suggestion.reasons[0]
    assert label.startswith('New post: "Big news: we just opened')
    assert label.endswith('…"')
    assert len(label) < 110


def variety_library() -> tuple[ContentDoc, ...]:
    twin = "Cloud migration guide for moving the data warehouse to the cloud"
    items = [
        ContentDoc(i, f"Cloud migration part {i}", twin, ("cloud",), "blog_post", f"u{i}")
        for i in range(1, 5)
    ]
    items += [
        ContentDoc(8, "Cloud cost webinar", "Cloud costs explained", ("cloud",), "webinar", "u8"),
        ContentDoc(9, "Migration costs calculator", "Estimate costs", (), "calculator", "u9"),
        ContentDoc(10, "How Contoso moved its warehouse", "A data story", (), "case_study", "u10"),
    ]
    # Unrelated items, as a real library has, so the topic's words are not everywhere.
    items += [
        ContentDoc(20 + n, f"{topic} handbook", f"All about {topic}", (topic,), "e_book", "x")
        for n, topic in enumerate(["pricing", "hiring", "payroll", "branding", "events", "tax"])
    ]
    return tuple(items)


def test_top_results_are_varied_in_kind_and_reasons() -> None:
    entries = (
        post(1, 70, 2, "Cloud migration of our data warehouse", "Moving to the cloud."),
        post(2, 70, 4, "Cloud costs during the migration"),
    )
    library = variety_library()
    index = make_index(library=library, prospects=(prospect(70),), entries=entries)

    top = index.rank(70, limit=5)

    assert max(s.score for s in top) == top[0].score
    assert ids(top)[0] == 1  # four identical blog posts score best; the lowest id leads
    assert ids(top)[1] not in {2, 3, 4}  # its twins do not follow it straight away
    kinds = Counter(next(i.kind for i in library if i.id == s.content_id) for s in top)
    assert max(kinds.values()) <= 2
    assert {8, 9, 10} <= set(ids(top))


def test_ties_break_by_content_id_and_repeat_exactly() -> None:
    twins = tuple(
        ContentDoc(i, "Cloud migration", "Cloud migration", ("cloud",), kind, f"u{i}")
        for i, kind in ((7, "webinar"), (3, "e_book"), (5, "calculator"))
    )
    entries = (post(1, 80, 1, "Cloud migration"),)
    first = make_index(library=twins, prospects=(prospect(80),), entries=entries).rank(80)
    again = make_index(library=twins[::-1], prospects=(prospect(80),), entries=entries).rank(80)
    assert ids(first) == [3, 5, 7]
    assert first == again


def test_nothing_to_go_on_gives_empty_lists() -> None:
    empty_library = make_index(library=(), prospects=(prospect(1, "cloud"),))
    assert empty_library.rank(1) == []
    assert empty_library.rank_all() == {1: []}
    assert empty_library.bm25 is None

    wordless = ContentDoc(5, "", "", (), "other", "u5")
    assert make_index(library=(wordless,), prospects=(prospect(1, "cloud"),)).rank(1) == []

    index = make_index(prospects=(prospect(1), prospect(2, "astronomy")))
    assert index.rank(1) == []  # no posts, no tags
    assert index.rank(2) == []  # tags the library knows nothing about
    assert index.rank(999) == []  # unknown prospect
    assert index.engage(1) == []
    assert index.engage(999) == []
    assert index.rank(1, limit=0) == []


def test_removed_content_and_removed_prospects_are_forgotten() -> None:
    entries = (post(1, 90, 1, "Cloud migration and security compliance"),)
    index = make_index(prospects=(prospect(90),), entries=entries)
    index.remove_content(CLOUD.id)
    assert ids(index.rank(90)) == [SECURITY.id]

    index.set_prospects([prospect(91, "pricing")])
    assert index.rank(90) == []
    assert ids(index.rank(91)) == [PRICING.id]


def test_naive_and_aware_dates_mix_without_error() -> None:
    naive = EntryDoc(1, 95, "Cloud migration", "", datetime(2025, 6, 1, 8, 0))  # noqa: DTZ001
    undated = EntryDoc(2, 95, "Pricing tiers", "", None)
    index = make_index(prospects=(prospect(95),), entries=(naive, undated))
    assert ids(index.rank(95))[0] == CLOUD.id
    assert [s.entry_id for s in index.engage(95)] == [1, 2]


@pytest.mark.parametrize(
    "text",
    [
        "Migrating twelve years of sales history to the cloud warehouse",
        "Our CISO's view: SOC compliance, policies and the auditors' evidence requests",
    ],
)
def test_profiles_stem_exactly_like_the_bm25s_tokenizer(text: str) -> None:
    import Stemmer  # type: ignore[import-not-found]

    expected = bm25s.tokenize(
        [text],
        stopwords=list(STOPWORDS),
        stemmer=Stemmer.Stemmer("english"),
        return_ids=False,
        show_progress=False,
    )
    analyzer = Analyzer()
    terms = analyzer.terms([text]).per_text(1)
    assert [[analyzer.stem(stem) for stem in terms[0]]] == expected


def test_half_life_must_be_positive() -> None:
    with pytest.raises(ValueError, match="half_life_days"):
        SuggestionIndex(half_life_days=0, now=NOW)
