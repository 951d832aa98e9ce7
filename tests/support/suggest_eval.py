"""A labelled evaluation set for share suggestions: ten prospects, a 38-item library.

Each prospect blogs about one B2B theme, in their own words (the posts never quote item titles).
The library holds several items per theme, of different kinds, plus near misses that share
vocabulary with a theme but answer a different need (cloud cost control next to cloud migration,
vendor security questionnaires next to SOC 2, warehouse robotics next to data warehouses).
`expected_top` is the single best item for the prospect as a rep would judge it; `relevant`
holds every item a rep would gladly share, for mean reciprocal rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from smarketing_desktop.suggest.model import ContentDoc, EntryDoc, ProspectDoc
from smarketing_desktop.suggest.ranking import SuggestionIndex

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def _item(content_id: int, kind: str, title: str, summary: str, *tags: str) -> ContentDoc:
    return ContentDoc(
        id=content_id,
        title=title,
        summary=summary,
        tags=tags,
        kind=kind,
        url=f"https://example.com/library/{content_id}",
    )


LIBRARY: tuple[ContentDoc, ...] = (
    # Cloud data migration
    _item(
        1, "e_book", "The Cloud Data Migration Playbook",
        "A step-by-step plan for moving an on-premises data warehouse to the cloud: inventory, "
        "phased cutover, validating every load and keeping the project on budget.",
        "cloud", "data migration", "data warehouse",
    ),
    _item(
        2, "webinar", "Live: Zero-Downtime Database Cutover",
        "Engineers replicate Oracle and SQL Server databases with change data capture and "
        "rehearse a rollback plan before switching applications over.",
        "database", "replication",
    ),
    _item(
        3, "blog_post", "FinOps Basics: Taming Your Monthly Cloud Bill",
        "Reserved instances, rightsizing, auto-suspend and tagging resources to cut cloud "
        "spend before finance asks.",
        "cloud", "finops", "cost",
    ),
    _item(
        4, "calculator", "Cloud Migration Cost Calculator",
        "Estimate licence, storage and egress savings of moving analytics workloads off your "
        "data center.",
        "cloud", "tco",
    ),
    # SOC 2 and security compliance
    _item(
        5, "case_study", "How Finlytics Passed Its SOC 2 Type II Audit in 90 Days",
        "A fintech scale-up automated evidence collection, quarterly access reviews and policy "
        "acknowledgements to face its auditors with confidence.",
        "soc 2", "compliance", "audit",
    ),
    _item(
        6, "e_book", "The SOC 2 Readiness Checklist",
        "Trust services criteria explained in plain language, with the controls a first-time "
        "company needs in place.",
        "soc 2", "security",
    ),
    _item(
        7, "blog_post", "GDPR Data Subject Requests: A Practical Guide",
        "How to answer access and deletion requests within the legal deadline without "
        "drowning your support team.",
        "privacy", "gdpr",
    ),
    _item(
        8, "webinar", "Securing Public APIs: Authentication, Rate Limits and Secrets",
        "OAuth scopes, key rotation and abuse protection for endpoints exposed to the internet.",
        "api", "security",
    ),
    # Sales onboarding and enablement
    _item(
        9, "e_book", "Ramp New Sales Reps in Half the Time",
        "A 30-60-90 day onboarding program with certification milestones, so new account "
        "executives reach full productivity faster.",
        "sales enablement", "onboarding",
    ),
    _item(
        10, "webinar", "Sales Coaching That Sticks",
        "How frontline managers run weekly call reviews that change rep behaviour.",
        "sales enablement", "coaching",
    ),
    _item(
        11, "blog_post", "Designing a Sales Compensation Plan That Rewards New Logos",
        "Accelerators, quota relief and clawbacks: what to pay account executives for.",
        "sales compensation", "quota",
    ),
    _item(
        12, "registration_page", "Register: Enablement Summit",
        "A day of talks on playbooks, seller readiness and content reps actually use.",
        "sales enablement", "event",
    ),
    # Procurement and RFPs
    _item(
        13, "e_book", "Winning RFPs: A Response Playbook for Vendors",
        "Build a reusable answer library, qualify which bids to pursue and write responses "
        "evaluators score highly.",
        "rfp", "proposals",
    ),
    _item(
        14, "calculator", "Vendor Evaluation Scorecard",
        "Agree weighted criteria, score suppliers side by side and export a shortlist for your "
        "sourcing committee.",
        "procurement", "vendor selection",
    ),
    _item(
        15, "blog_post", "Third-Party Risk: Reading Vendors' Security Questionnaires",
        "What to ask suppliers about encryption, incident response and attestation reports.",
        "vendor risk", "security",
    ),
    _item(
        16, "case_study", "How Northwind Cut Purchase Order Cycle Time by 40%",
        "Automated requisitions and approval routing in the ERP freed buyers from paperwork.",
        "procurement", "purchasing",
    ),
    # Supply chain visibility
    _item(
        17, "case_study", "Real-Time Shipment Tracking at Contoso Logistics",
        "GPS feeds from trucks and vessels gave the company live positions across its fleet.",
        "logistics", "tracking",
    ),
    _item(
        18, "webinar", "Supply Chain Visibility: From Spreadsheets to a Control Tower",
        "Why spreadsheets and carrier emails break down, and how a control tower with "
        "exception alerts gives planners one view of inventory in transit.",
        "supply chain", "visibility",
    ),
    _item(
        19, "blog_post", "Warehouse Robotics: Where Automation Pays Off",
        "Picking robots, autonomous mobile robots and conveyors compared on cost per order.",
        "warehouse", "automation",
    ),
    _item(
        20, "e_book", "Demand Forecasting for Volatile Markets",
        "Statistical forecasts, safety stock and scenario planning when demand swings.",
        "forecasting", "inventory",
    ),
    # Customer churn and retention
    _item(
        21, "e_book", "The Customer Retention Playbook",
        "Spot churn risk with health scores built on product usage, run save plays and grow "
        "renewals.",
        "churn", "retention", "customer success",
    ),
    _item(
        22, "calculator", "Churn Cost Calculator",
        "See what every lost customer costs in recurring revenue and what one point less churn "
        "is worth.",
        "churn", "revenue",
    ),
    _item(
        23, "blog_post", "Onboarding New Customers: The First 30 Days",
        "Kickoff, implementation milestones and time to value for new accounts.",
        "customer onboarding", "customer success",
    ),
    _item(
        24, "webinar", "Voice of the Customer: NPS Programs That Drive Change",
        "Survey design, closing the loop with detractors and sharing feedback with product.",
        "nps", "customer feedback",
    ),
    # Pricing strategy
    _item(
        25, "e_book", "Value-Based Pricing for SaaS",
        "Choose a value metric, design tiers and packaging, and measure willingness to pay.",
        "pricing", "packaging",
    ),
    _item(
        26, "webinar", "Raising Prices Without Losing Customers",
        "Plan, announce and grandfather a price increase your customers accept.",
        "pricing", "price increase",
    ),
    _item(
        27, "blog_post", "Stop Discounting: Deal Desk Rules for Sales Teams",
        "Approval thresholds and give-gets that protect margin at quarter end.",
        "discounting", "deal desk",
    ),
    _item(
        28, "calculator", "Usage-Based Pricing Simulator",
        "Model revenue under consumption pricing with your own usage data.",
        "pricing", "usage-based",
    ),
    # Developer platform and API integration
    _item(
        29, "e_book", "API-First Integration Patterns",
        "Webhooks, idempotent writes, cursor pagination and versioning for reliable "
        "integrations with partner systems.",
        "api", "integration", "developers",
    ),
    _item(
        30, "registration_page", "Register: DevDay — Building on Our Platform",
        "Hands-on workshops on the SDKs, sandbox environments and the integration marketplace.",
        "developers", "sdk",
    ),
    _item(
        31, "case_study", "How Fabrikam Connected 40 Partner Apps Through One Integration Layer",
        "One integration layer replaced point-to-point connectors between partner apps.",
        "integration", "partners",
    ),
    _item(
        32, "blog_post", "Developer Experience Metrics for Internal Platforms",
        "Lead time, build times and onboarding time for platform engineering teams.",
        "developer experience", "platform engineering",
    ),
    # Marketing attribution
    _item(
        33, "e_book", "Multi-Touch Attribution Without the Headaches",
        "Connect campaigns and touchpoints to pipeline to learn which channels create revenue.",
        "attribution", "marketing analytics",
    ),
    _item(
        34, "webinar", "Marketing and Sales Alignment: One Pipeline Number",
        "Shared definitions of qualified leads and a single forecast both teams trust.",
        "pipeline", "revenue operations",
    ),
    _item(
        35, "calculator", "Marketing ROI Calculator",
        "Return on spend per program, from budget to closed revenue.",
        "marketing", "roi",
    ),
    # Predictive maintenance in manufacturing
    _item(
        36, "case_study", "Predictive Maintenance Cut Unplanned Downtime 30% at Tailspin",
        "Vibration and temperature sensors with machine-learning alerts let technicians "
        "schedule repairs before machines fail.",
        "manufacturing", "predictive maintenance", "iot",
    ),
    _item(
        37, "webinar", "Getting Started with Industrial IoT Sensor Data",
        "Connecting PLCs and sensors, storing time series and building the first dashboards.",
        "iot", "manufacturing",
    ),
    _item(
        38, "blog_post", "OEE Explained: Measuring Factory Productivity",
        "Availability, performance and quality: the three numbers behind overall equipment "
        "effectiveness.",
        "manufacturing", "oee",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class EvalProspect:
    prospect: ProspectDoc
    posts: tuple[EntryDoc, ...]
    expected_top: int
    relevant: frozenset[int]


_next_entry = iter(range(1, 10_000))


def _post(prospect_id: int, days_ago: float, title: str, text: str) -> EntryDoc:
    return EntryDoc(
        id=next(_next_entry),
        prospect_id=prospect_id,
        title=title,
        text=text,
        published=NOW - timedelta(days=days_ago),
    )


def _case(
    prospect_id: int,
    name: str,
    tags: tuple[str, ...],
    expected_top: int,
    relevant: set[int],
    *posts: tuple[float, str, str],
) -> EvalProspect:
    return EvalProspect(
        prospect=ProspectDoc(id=prospect_id, name=name, tags=tags),
        posts=tuple(_post(prospect_id, *post) for post in posts),
        expected_top=expected_top,
        relevant=frozenset(relevant | {expected_top}),
    )


CASES: tuple[EvalProspect, ...] = (
    _case(
        101, "Dana Whitfield (Head of Data, Harbor Retail)", ("retail", "data platform"),
        1, {1, 2, 4},
        (3, "Month two of moving our warehouse off the mainframe",
         "We are halfway through migrating twelve years of sales history from our on-prem "
         "Teradata warehouse to Snowflake. Copying tables is easy; proving that row counts and "
         "revenue totals still match after every load is the real work."),
        (10, "Why we picked a phased cutover",
         "Big-bang migrations scare me. We move one subject area at a time, run the old and new "
         "pipelines side by side for two weeks, then switch the dashboards over."),
        (25, "Our first cloud invoice was a surprise",
         "The first month on the new platform cost more than the data center did. Partitioning "
         "and auto-suspend fixed most of it, but budget it from day one."),
        (200, "We're hiring analytics engineers",
         "Two openings on the team that builds store and e-commerce reporting."),
    ),
    _case(
        102, "Marcus Oyelaran (CISO, Brightpay)", ("fintech",),
        5, {5, 6},
        (2, "Our first Type II observation window starts Monday",
         "Six months of evidence: access reviews, change tickets, vendor assessments. We built "
         "the controls matrix early so the auditors don't find gaps in month five."),
        (12, "Policies nobody reads are not controls",
         "We rewrote our information security policies to one page each. Staff acknowledge them "
         "in the HR tool, which doubles as audit evidence."),
        (30, "Enterprise deals now start with a questionnaire",
         "Every bank we sell to wants our attestation report before the first demo. "
         "Compliance has become a sales topic."),
    ),
    _case(
        103, "Priya Natarajan (VP Sales Enablement, Ledgerly)", ("saas",),
        9, {9, 10, 12},
        (4, "New AEs closed their first deal in week seven",
         "We rebuilt onboarding around certifications instead of slide decks: demo "
         "certification in week two, discovery call certification in week four."),
        (15, "Ramp time is the number I report to the board",
         "Every month a new hire is not productive costs us quota. Shortening ramp from six "
         "months to four was worth more than two extra hires."),
        (40, "Managers, please listen to calls",
         "Coaching beats classroom training. I ask frontline managers to review two recorded "
         "calls per rep every week."),
    ),
    _case(
        104, "Tomasz Wójcik (Head of Procurement, Alder Industries)", ("purchasing",),
        14, {13, 14, 16},
        (5, "How we score suppliers",
         "Every sourcing event gets weighted criteria agreed before responses arrive: quality "
         "40%, cost 30%, delivery 20%, sustainability 10%."),
        (18, "We issued 43 RFPs last year and I read every response",
         "The vendors that win answer the question asked, show references from our industry "
         "and price every line item. Boilerplate scores low."),
        (33, "Shortlists should be short",
         "Three vendors in the final round, never seven. The committee's time is the real cost "
         "of a tender."),
    ),
    _case(
        105, "Elena Marsh (COO, Kettle & Co)", ("consumer goods",),
        18, {17, 18},
        (1, "Where is my container?",
         "Half my team's morning goes to emailing carriers for ETAs. We need one view of every "
         "order from the factory in Vietnam to our distribution centres."),
        (9, "Late deliveries start upstream",
         "Port congestion added nine days to our lead times, and we only found out when "
         "shelves were empty."),
        (21, "A control tower is more than a dashboard",
         "Seeing stock in transit is useless without alerts and someone who owns each "
         "exception."),
    ),
    _case(
        106, "Jordan Lee (VP Customer Success, Plannly)", ("saas", "customer success"),
        21, {21, 22},
        (3, "Gross retention slipped to 88%",
         "Most cancellations came from accounts that never adopted the second module. We are "
         "building health scores from product usage to flag them earlier."),
        (11, "Save plays that worked this quarter",
         "When an account turns red: an executive sponsor call within a week, a usage "
         "workshop, and the renewal conversation ninety days out, not nine."),
        (26, "Expansion is retention's reward",
         "Customers who renew happy buy more. Our net retention comes from the accounts we talk "
         "to monthly."),
        (400, "What our NPS survey taught us",
         "Detractors told us the kickoff was confusing, so we rewrote the implementation "
         "plan."),
    ),
    _case(
        107, "Sofia Alvarez (Head of Monetization, Tallyworks)", ("monetization",),
        25, {25, 26, 28},
        (6, "Per-seat pricing punishes our best customers",
         "Teams that automate the most need fewer seats, so they pay us less. We are testing a "
         "value metric tied to invoices processed."),
        (14, "Good, better, best",
         "Three tiers with clear fences between them. Packaging decides which customers "
         "self-serve and which talk to sales."),
        (28, "Willingness-to-pay interviews",
         "Forty Van Westendorp surveys later: mid-market buyers would pay 30% more for the "
         "approval workflow alone."),
    ),
    _case(
        108, "Ravi Menon (CTO, Routewise)", ("developers",),
        29, {29, 30, 31},
        (2, "Our partners kept tripping over our webhooks",
         "Retries without idempotency keys created duplicate records. Version two of our API "
         "makes every write idempotent."),
        (8, "Pagination is a contract",
         "Cursor-based pagination let us swap the database underneath without breaking a "
         "single integration."),
        (20, "We shipped a public sandbox",
         "Partners can test against fake data before they touch production."),
        (35, "Versioning without tears",
         "We date-stamp API versions and support each one for eighteen months."),
    ),
    _case(
        109, "Hannah Brooks (Director of Demand Generation, Quillsoft)", ("marketing",),
        33, {33, 34, 35},
        (3, "Which channel sourced that deal?",
         "First-touch credits webinars, last-touch credits paid search. Neither explains how "
         "buyers actually found us."),
        (13, "Campaign influence in the CRM",
         "We now link every touchpoint to an opportunity, so we can report pipeline and revenue "
         "by campaign."),
        (27, "Dark social is real",
         "Half our demo requests say they heard about us on a podcast. No tracking link "
         "captures that."),
    ),
    _case(
        110, "Greg Novak (Plant Manager, Alder Industries)", ("manufacturing",),
        36, {36, 37},
        (2, "A bearing failure cost us three shifts",
         "The press line stopped at 2 a.m. The vibration had been there for weeks; nobody was "
         "looking at the data."),
        (10, "Maintenance by calendar wastes parts",
         "We replace components on schedule whether they are worn or not. Condition monitoring "
         "would tell us when a repair is actually due."),
        (24, "Our first sensors are live",
         "Twenty vibration and temperature sensors on the stamping presses, streaming to the "
         "cloud."),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class EvalResult:
    precision_at_1: float
    mrr: float
    map_at_5: float
    prospects: int
    top_items: dict[int, int | None]


def build_index() -> SuggestionIndex:
    index = SuggestionIndex(now=NOW)
    index.set_content(LIBRARY)
    index.set_prospects([case.prospect for case in CASES])
    index.add_entries([post for case in CASES for post in case.posts])
    return index


def evaluate(index: SuggestionIndex, *, depth: int = 10) -> EvalResult:
    """P@1 against `expected_top`; MRR and MAP@5 against `relevant`.

    MRR rewards the first relevant item however far down it is; MAP@5 also asks whether the
    other relevant items made the five a rep sees (it is where variety re-ranking costs).
    """
    hits = 0
    reciprocal = 0.0
    average_precision = 0.0
    tops: dict[int, int | None] = {}
    for case in CASES:
        ranked = [s.content_id for s in index.rank(case.prospect.id, limit=depth)]
        tops[case.prospect.id] = ranked[0] if ranked else None
        hits += bool(ranked) and ranked[0] == case.expected_top
        first = next((n for n, cid in enumerate(ranked, 1) if cid in case.relevant), None)
        reciprocal += 1.0 / first if first else 0.0
        found = 0
        precision_sum = 0.0
        for n, content_id in enumerate(ranked[:5], 1):
            if content_id in case.relevant:
                found += 1
                precision_sum += found / n
        average_precision += precision_sum / min(len(case.relevant), 5)
    count = len(CASES)
    return EvalResult(
        precision_at_1=hits / count,
        mrr=reciprocal / count,
        map_at_5=average_precision / count,
        prospects=count,
        top_items=tops,
    )
