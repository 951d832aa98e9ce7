"""Suggestion benchmark: BM25 share suggestions for a large workspace.

Synthetic but realistic: every text is drawn from topic word lists (a prospect writes mostly
about one or two topics, library items are about one topic with a second one mixed in, and both
share a pool of everyday business words), so terms overlap the way real posts and items do.
Default: 5,000 library items, 1,000 prospects, 20,000 posts from the last year.

Reports: content index build, profile build (all posts added), ranking every prospect (cold,
then with cached profiles), adding 200 posts incrementally versus rebuilding everything.
Floors: ranking every prospect at most 2 s after the index is built; adding posts never
rebuilds the content index.

    .venv/bin/python -m bench.suggest          (or: --items 5000 --prospects 1000 --entries 20000)
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smarketing_desktop.suggest.model import ContentDoc, EntryDoc, ProspectDoc, Suggestion
from smarketing_desktop.suggest.ranking import SuggestionIndex

RANK_ALL_FLOOR_S = 2.0
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
KINDS = ("blog_post", "e_book", "webinar", "registration_page", "case_study", "calculator")

TOPICS: dict[str, tuple[str, ...]] = {
    "cloud": ("cloud", "migration", "warehouse", "snowflake", "cutover", "replication",
              "latency", "kubernetes", "workloads", "hybrid", "egress", "terraform"),
    "security": ("security", "compliance", "audit", "soc", "controls", "evidence", "policies",
                 "encryption", "access", "auditors", "iso", "attestation"),
    "enablement": ("onboarding", "ramp", "certification", "coaching", "reps", "playbook",
                   "enablement", "readiness", "managers", "quota", "discovery", "demo"),
    "procurement": ("procurement", "rfp", "suppliers", "sourcing", "tender", "vendors",
                    "scorecard", "requisition", "purchasing", "contracts", "bids", "shortlist"),
    "supply": ("shipment", "carriers", "ports", "visibility", "logistics", "freight",
               "inventory", "container", "eta", "distribution", "lead", "tracking"),
    "churn": ("churn", "retention", "renewals", "health", "adoption", "expansion", "accounts",
              "cancellations", "success", "nps", "detractors", "usage"),
    "pricing": ("pricing", "packaging", "tiers", "discounts", "monetization", "willingness",
                "seats", "metering", "price", "margin", "bundles", "subscription"),
    "api": ("api", "webhooks", "integration", "sdk", "developers", "pagination", "sandbox",
            "versioning", "idempotency", "endpoints", "partners", "oauth"),
    "attribution": ("attribution", "campaigns", "touchpoints", "pipeline", "channels",
                    "demand", "leads", "funnel", "conversion", "paid", "organic", "podcast"),
    "maintenance": ("maintenance", "vibration", "sensors", "downtime", "bearing", "presses",
                    "iot", "factory", "technicians", "repairs", "plc", "shifts"),
    "hr": ("hiring", "recruiting", "candidates", "interviews", "talent", "offers", "benefits",
           "payroll", "retention", "culture", "remote", "headcount"),
    "finance": ("budget", "forecast", "close", "ledger", "invoices", "reconciliation",
                "audit", "cash", "receivables", "payables", "treasury", "fpa"),
    "ai": ("ai", "models", "llm", "prompts", "training", "inference", "copilot", "agents",
           "embeddings", "hallucinations", "governance", "automation"),
    "esg": ("sustainability", "emissions", "carbon", "esg", "reporting", "scope", "energy",
            "renewable", "offsets", "disclosure", "footprint", "circular"),
    "cx": ("support", "tickets", "chatbot", "csat", "agents", "escalations", "knowledge",
           "helpdesk", "response", "queue", "omnichannel", "self-service"),
    "ecommerce": ("checkout", "cart", "conversion", "storefront", "shoppers", "returns",
                  "merchandising", "catalog", "promotions", "loyalty", "payments", "mobile"),
    "healthcare": ("patients", "clinicians", "ehr", "hipaa", "telehealth", "claims", "care",
                   "hospital", "scheduling", "outcomes", "interoperability", "billing"),
    "fintech": ("payments", "fraud", "kyc", "lending", "banking", "ledger", "cards",
                "settlement", "risk", "underwriting", "wallets", "chargebacks"),
    "data": ("dashboards", "bi", "metrics", "analytics", "semantic", "dbt", "pipelines",
             "quality", "lineage", "catalog", "governance", "warehouse"),
    "field": ("technicians", "dispatch", "work", "orders", "routes", "scheduling", "mobile",
              "parts", "van", "appointments", "first-time", "fix"),
}  # fmt: skip
EVERYDAY = (
    "team", "customers", "growth", "strategy", "quarter", "results", "revenue", "process",
    "cost", "time", "data", "leaders", "plan", "project", "goals", "market", "change",
    "people", "product", "sales", "operations", "program", "experience", "value", "risk",
    "priorities", "lessons", "board", "budget", "company", "industry", "launch", "roadmap",
    "feedback", "week", "month", "year", "learned", "building", "scale", "tools", "workflow",
)  # fmt: skip
TITLE_NOUNS = ("guide", "playbook", "checklist", "lessons", "report", "benchmark", "toolkit")
TOPIC_NAMES = tuple(TOPICS)


def _words(rng: random.Random, pool: tuple[str, ...], count: int) -> list[str]:
    return [rng.choice(pool) for _ in range(count)]


def _mixed(rng: random.Random, main: str, other: str, count: int, main_share: float) -> str:
    words: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if roll < main_share:
            words.append(rng.choice(TOPICS[main]))
        elif roll < main_share + 0.12:
            words.append(rng.choice(TOPICS[other]))
        else:
            words.append(rng.choice(EVERYDAY))
    return " ".join(words)


def make_library(rng: random.Random, count: int) -> list[ContentDoc]:
    items = []
    for content_id in range(1, count + 1):
        main, other = rng.sample(TOPIC_NAMES, 2)
        title = " ".join([*_words(rng, TOPICS[main], rng.randint(2, 4)), rng.choice(TITLE_NOUNS)])
        items.append(
            ContentDoc(
                id=content_id,
                title=title.capitalize(),
                summary=_mixed(rng, main, other, rng.randint(15, 30), 0.55),
                tags=tuple(dict.fromkeys(_words(rng, TOPICS[main], 2))),
                kind=rng.choice(KINDS),
                url=f"https://example.com/library/{content_id}",
            )
        )
    return items


def make_prospects(
    rng: random.Random, count: int
) -> tuple[list[ProspectDoc], dict[int, list[str]]]:
    prospects: list[ProspectDoc] = []
    interests: dict[int, list[str]] = {}
    for prospect_id in range(1, count + 1):
        interests[prospect_id] = rng.sample(TOPIC_NAMES, rng.choice((1, 2, 2, 3)))
        tags = tuple(rng.sample(TOPICS[interests[prospect_id][0]], rng.choice((0, 0, 1, 2))))
        prospects.append(ProspectDoc(id=prospect_id, name=f"Prospect {prospect_id}", tags=tags))
    return prospects, interests


def make_entries(
    rng: random.Random, interests: dict[int, list[str]], count: int, first_id: int = 1
) -> list[EntryDoc]:
    owners = list(interests)
    if count >= len(owners):  # everybody posts at least once
        owners += [rng.choice(list(interests)) for _ in range(count - len(owners))]
    else:
        owners = [rng.choice(owners) for _ in range(count)]
    entries = []
    for number, prospect_id in enumerate(owners):
        topics = interests[prospect_id]
        main = topics[0] if rng.random() < 0.6 else rng.choice(topics)
        other = rng.choice(TOPIC_NAMES)
        entries.append(
            EntryDoc(
                id=first_id + number,
                prospect_id=prospect_id,
                title=_mixed(rng, main, other, rng.randint(4, 9), 0.5).capitalize(),
                text=_mixed(rng, main, other, rng.randint(30, 90), 0.35),
                published=NOW - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600)),
                is_signal=rng.random() < 0.03,
            )
        )
    return entries


def _rss_mb() -> float:
    """Resident memory now (Linux); the peak where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"  {label:<46} {seconds:7.3f} s")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--prospects", type=int, default=1_000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--new-entries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    library = make_library(rng, args.items)
    prospects, interests = make_prospects(rng, args.prospects)
    entries = make_entries(rng, interests, args.entries)
    fresh = make_entries(rng, interests, args.new_entries, first_id=args.entries + 1)
    print(
        f"{len(library)} items, {len(prospects)} prospects, {len(entries)} posts "
        f"(+{len(fresh)} new), {len(TOPICS)} topics"
    )

    before_mb = _rss_mb()
    index = SuggestionIndex(now=NOW)
    _timed("content index build (bm25s)", lambda: index.set_content(library))

    def build_profiles() -> None:
        index.set_prospects(prospects)
        index.add_entries(entries)

    _timed(f"profile build ({len(entries)} posts)", build_profiles)
    results: dict[int, list[Suggestion]] = {}

    def rank_all() -> None:
        results.clear()
        results.update(index.rank_all(limit=5))

    cold = _timed("rank_all(limit=5), first (profiles resolved)", rank_all)
    _timed("rank_all(limit=5), again (profiles cached)", rank_all)
    served = sum(1 for suggestions in results.values() if suggestions)
    _timed("engage(limit=3) for every prospect", lambda: [index.engage(p.id) for p in prospects])
    index_mb = _rss_mb() - before_mb

    model, builds = index.bm25, index.content_builds
    incremental = _timed(f"add_entries({len(fresh)} new posts)", lambda: index.add_entries(fresh))
    touched = len({entry.prospect_id for entry in fresh})
    _timed(f"rank_all after the add ({touched} profiles redone)", rank_all)
    not_rebuilt = index.bm25 is model and index.content_builds == builds

    def rebuild() -> None:
        again = SuggestionIndex(now=NOW)
        again.set_content(library)
        again.set_prospects(prospects)
        again.add_entries(entries + fresh)

    full = _timed("full rebuild (index + every profile)", rebuild)

    print(
        f"index memory ~{index_mb:.0f} MB (RSS growth); "
        f"prospects with suggestions: {served}/{len(prospects)}; "
        f"per prospect (cold) {cold / len(prospects) * 1000:.2f} ms; "
        f"incremental add is {full / incremental:.0f}x faster than a rebuild"
    )
    floors = {
        f"rank_all for {len(prospects)} prospects at most {RANK_ALL_FLOOR_S:.0f} s": (
            cold <= RANK_ALL_FLOOR_S
        ),
        "adding posts did not rebuild the content index": not_rebuilt,
        "adding posts is cheaper than a rebuild": incremental < full,
    }
    for floor, ok in floors.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {floor}")
    return 0 if all(floors.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
