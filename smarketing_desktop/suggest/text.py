"""Text analysis shared by the content index and the prospects' profiles.

Both sides must reduce words to the same terms or nothing matches, so both go through
`bm25s.tokenize` with English stop words and PyStemmer's Snowball stemmer. Stems are good for
matching ("migrating" meets "migration") but unreadable in a reason ("migrat"), so the analyzer
also remembers which surface word each stem came from most often in what prospects write.

Profiles hold tens of thousands of posts, so stems are small integers here (one vocabulary
for the whole index) and a batch of texts comes back as flat numpy arrays rather than lists of
strings: cheaper to keep, and weights can be summed for a whole batch in one numpy call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Protocol, cast

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import Stemmer  # type: ignore[import-not-found]
from bm25s.stopwords import STOPWORDS_EN_PLUS  # type: ignore[import-untyped]

IntArray = npt.NDArray[np.int64]

# NLTK's English stop words (bm25s ships them as "en_plus"; its "en" list has only 33 words and
# lets "our", "how" and "from" through) plus filler that every post uses whatever its subject:
# matching a webinar on "our first" says nothing about a prospect's interests.
_FILLER = (
    "also", "could", "even", "ever", "every", "get", "gets", "got", "just", "like", "lot",
    "made", "make", "makes", "many", "much", "one", "really", "still", "thing", "things",
    "two", "us", "want", "way", "within", "without", "would", "yet",
)  # fmt: skip
STOPWORDS: tuple[str, ...] = (*STOPWORDS_EN_PLUS, *_FILLER)
_STOPWORD_SET = frozenset(STOPWORDS)


class _SnowballStemmer(Protocol):
    def stemWords(self, words: Sequence[str]) -> list[str]: ...


@dataclass(frozen=True)
class Terms:
    """The terms of a batch of texts: parallel arrays, in text order."""

    text: IntArray  # which text of the batch each term came from
    stem: IntArray  # the term's stem id

    def per_text(self, count: int) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in range(count)]
        for text, stem in zip(self.text.tolist(), self.stem.tolist(), strict=True):
            out[text].append(stem)
        return out


class Analyzer:
    """Turns text into stems the way bm25s does, and stems back into words a rep can read."""

    def __init__(self) -> None:
        self._stemmer = cast(_SnowballStemmer, Stemmer.Stemmer("english"))
        self._ids: dict[str, int] = {}
        self._stems: list[str] = []
        self._surfaces: list[Counter[str]] = []
        self._display: dict[int, str] = {}

    @property
    def size(self) -> int:
        """How many distinct stems the analyzer has seen (stem ids are below this)."""
        return len(self._stems)

    def stem(self, stem_id: int) -> str:
        return self._stems[stem_id]

    def index_terms(self, texts: Sequence[str]) -> list[list[str]]:
        """Stems for the library: bm25s.tokenize with the stemmer, exactly as its docs show."""
        if not texts:
            return []
        tokens = bm25s.tokenize(
            list(texts),
            stopwords=list(STOPWORDS),
            stemmer=self._stemmer,
            return_ids=False,
            show_progress=False,
        )
        return cast(list[list[str]], tokens)

    def terms(self, texts: Sequence[str], *, learn: bool = False) -> Terms:
        """Stem ids for posts and tags, optionally learning the surface words behind them.

        bm25s.tokenize with a stemmer splits, drops stop words and then stems the distinct
        surface words in one `stemWords` call. Here bm25s splits, and stop words and stemming
        are applied to the distinct surface words afterwards: the same stems (a test checks),
        but the surface words survive, and stop words are looked up once per distinct word
        instead of once per text (bm25s rebuilds its stop-word set for every text).
        Numbers are dropped: "40%", "2025" and "SOC 2" match by accident far more often than
        by meaning.
        """
        if not texts:
            return Terms(np.zeros(0, np.int64), np.zeros(0, np.int64))
        tokenized = bm25s.tokenize(
            list(texts), stopwords=[], stemmer=None, return_ids=True, show_progress=False
        )
        ids: list[list[int]] = tokenized.ids
        surfaces = list(cast(dict[str, int], tokenized.vocab))  # insertion order is id order
        kept = [
            number
            for number, surface in enumerate(surfaces)
            if surface not in _STOPWORD_SET and not surface.isdigit()
        ]
        lookup = np.full(len(surfaces) + 1, -1, dtype=np.int64)
        stemmed = self._stemmer.stemWords([surfaces[number] for number in kept])
        for number, stem in zip(kept, stemmed, strict=True):
            lookup[number] = self._stem_id(stem)

        lengths = np.fromiter((len(doc) for doc in ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        text = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
        stems = lookup[flat]
        keep = stems >= 0
        if learn:
            counts = np.bincount(flat[keep], minlength=len(surfaces))
            for number in np.flatnonzero(counts).tolist():
                stem_id = int(lookup[number])
                self._surfaces[stem_id][surfaces[number]] += int(counts[number])
                self._display.pop(stem_id, None)
        return Terms(text=text[keep], stem=stems[keep])

    def word(self, stem_id: int) -> str:
        """The surface word most often written for a stem (ties: shortest, then alphabetical)."""
        known = self._display.get(stem_id)
        if known is not None:
            return known
        counts = self._surfaces[stem_id]
        word = self._stems[stem_id]
        if counts:
            word = min(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
        self._display[stem_id] = word
        return word

    def _stem_id(self, stem: str) -> int:
        known = self._ids.get(stem)
        if known is None:
            known = self._ids[stem] = len(self._stems)
            self._stems.append(stem)
            self._surfaces.append(Counter())
        return known
