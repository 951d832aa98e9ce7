"""Buying signals: keyword rules ("RFP", "hiring", "migrating to", a competitor) over posts.

Matching is case-insensitive on word boundaries, so "RFP" flags "our RFP is out" but not
"rfpx"; a phrase matches across any run of whitespace. Pure, so a rule can be previewed
against stored posts before it is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

MAX_PHRASE = 200


@dataclass(frozen=True)
class Rule:
    phrase: str
    prospect_id: int | None = None  # None: applies to every prospect

    def applies_to(self, prospect_id: int | None) -> bool:
        return self.prospect_id is None or self.prospect_id == prospect_id


def clean_phrase(phrase: str) -> str:
    """The phrase as stored; raises ValueError with a message for the rep if unusable."""
    text = " ".join(phrase.split())
    if not text:
        raise ValueError("A signal phrase cannot be empty.")
    if len(text) > MAX_PHRASE:
        raise ValueError(f"A signal phrase can be at most {MAX_PHRASE} characters.")
    return text


@lru_cache(maxsize=1024)
def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    body = r"\s+".join(words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def matching_phrases(text: str, rules: Iterable[Rule], prospect_id: int | None) -> tuple[str, ...]:
    """The phrases of `rules` found in `text`, each once, in rule order."""
    found: list[str] = []
    for rule in rules:
        if (
            rule.applies_to(prospect_id)
            and rule.phrase not in found
            and _pattern(rule.phrase).search(text)
        ):
            found.append(rule.phrase)
    return tuple(found)
