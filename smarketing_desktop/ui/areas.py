"""The app's areas, in navigation order: titles, keys for saved state, and what each will do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    summary: str


TODAY = Area(
    "today",
    "Today",
    "Today will gather your daily social-selling routine: fresh posts from prospects to react "
    "to, content worth sharing and the shares queued for the day.",
)
INBOX = Area(
    "inbox",
    "Inbox",
    "Inbox will collect new posts and articles from your prospects' blogs, X, Mastodon and "
    "Bluesky feeds, so you can react while they are fresh.",
)
PROSPECTS = Area(
    "prospects",
    "Prospects",
    "Prospects keeps the people you sell to: their companies, profiles, tags and notes.",
)
CONTENT = Area(
    "content",
    "Content",
    "Content will keep the articles and posts you can share, with suggestions matched to what "
    "your prospects care about.",
)
PLAN = Area(
    "plan",
    "Plan",
    "Plan will turn a playbook into a quarter-end plan: whom to engage, how, and when.",
)
QUEUE = Area(
    "queue",
    "Queue",
    "Queue will line up your shares across the week and open each one on X or LinkedIn when "
    "its slot comes.",
)
CHECKLIST = Area(
    "checklist",
    "Profile checklist",
    "Profile checklist will walk you through making your LinkedIn and X profiles buyer-ready, "
    "item by item.",
)
SETTINGS = Area(
    "settings",
    "Settings",
    "Settings will hold your social accounts, feed refresh and notification preferences.",
)

AREAS: tuple[Area, ...] = (TODAY, INBOX, PROSPECTS, CONTENT, PLAN, QUEUE, CHECKLIST, SETTINGS)


def area_by_key(key: str) -> Area | None:
    return next((a for a in AREAS if a.key == key), None)
