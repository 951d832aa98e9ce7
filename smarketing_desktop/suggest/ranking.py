"""Which library items to share with which prospect, and which of their posts to engage with.

The library is a BM25 index (bm25s) over title, summary and tags. A prospect is a query: the
stemmed terms of what they write, each weighted by where it appeared (a title says more than a
body) and how recently (exponential decay, so last week's post outweighs last year's), plus the
tags the rep gave them. BM25 scores a query as the sum of its terms' per-document scores; here
the terms carry weights, so the index asks bm25s for each term's scores once
(`get_scores_from_ids([term])`, kept sparse) and sums them weighted. Keeping the per-term scores
is also what makes reasons possible: the terms that contributed most are the words shown to the
rep, and the post that holds most of them is the one credited.

Posts arrive a few at a time from feed refreshes, so `add_entries` updates the affected
prospects' term weights and nothing else: the content index is only rebuilt when the library
changes. Decay weights are absolute (relative to `now`) and profiles are normalised when they
are queried, so adding posts in any order gives the same profile as adding them all at once.

Not thread-safe: one owner (a worker thread or the UI thread) calls it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from smarketing_desktop.suggest.model import ContentDoc, EntryDoc, ProspectDoc, Suggestion
from smarketing_desktop.suggest.text import Analyzer

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Library documents: the title and the tags say what an item is about more reliably than the
# summary, so they are repeated (BM25's term-frequency saturation keeps this from dominating).
CONTENT_TITLE_REPEAT = 2
CONTENT_TAG_REPEAT = 3

# Prospect profiles.
POST_TITLE_WEIGHT = 2.0
POST_BODY_WEIGHT = 1.0
# A title word of a post published today, after damping: the reference a profile is
# normalised against.
FRESH_TITLE_TERM = 1.0 + math.log(POST_TITLE_WEIGHT)
# A tag is the rep's own judgement of what matters to the prospect: as strong as the most
# prominent term of a fresh post.
PROSPECT_TAG_WEIGHT = 1.0
# Posts without a date count as one half-life old: neither news nor forgotten.
UNDATED_DECAY = 0.5
# Terms kept per profile: enough to describe a prospect's interests, few enough to stay fast.
PROFILE_TERMS = 64
_PRUNE_BELOW = 1e-12
ADD_SLICE = 2_000

# Re-ranking for variety.
CANDIDATES_PER_PICK = 4
MIN_CANDIDATES = 20
# Squared overlap: sharing a word or two with an earlier pick costs little, being its near
# duplicate costs up to half the score.
MMR_PENALTY = 0.5
# An item of an over-represented kind gives way to another kind scoring at least this share of
# the best item's score.
KIND_ALTERNATIVE_FLOOR = 0.25
WRITES_ABOUT_WORDS = 3
MATCHED_TERMS = 8

# Engage suggestions.
NEW_POST_DAYS = 7.0
LABEL_CHARS = 90

_NO_INTS: IntArray = np.zeros(0, dtype=np.int64)
_NO_FLOATS: FloatArray = np.zeros(0, dtype=np.float64)


@dataclass
class _Post:
    id: int
    title: str
    text: str
    published: datetime | None
    is_signal: bool
    signal_terms: tuple[str, ...]
    decay: float
    stems: IntArray  # ascending stem ids
    weights: FloatArray  # decayed weight of each stem in this post


@dataclass(frozen=True)
class _Query:
    """A prospect's profile resolved against the current content index (K terms, E posts)."""

    terms: IntArray  # bm25s token ids, ascending
    stems: list[int]  # the analyzer's stem id of each term
    post_weights: FloatArray  # from what the prospect wrote, normalised
    weights: FloatArray  # post weights plus tag weights
    post_ids: tuple[int, ...]  # newest first
    post_matrix: FloatArray  # E x K: each post's share of the post weights


@dataclass
class _Prospect:
    tags: tuple[str, ...] = ()
    tag_stems: tuple[tuple[int, ...], ...] = ()
    posts: dict[int, _Post] = field(default_factory=dict)
    stems: IntArray = field(default_factory=lambda: _NO_INTS)  # ascending
    weights: FloatArray = field(default_factory=lambda: _NO_FLOATS)  # summed over posts
    query: _Query | None = None


class SuggestionIndex:
    """Ranks the content library for each prospect; Qt-free and storage-free."""

    def __init__(self, *, half_life_days: float = 30.0, now: datetime) -> None:
        if half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        self._half_life = half_life_days
        self._now = now
        self._analyzer = Analyzer()
        self._items: list[ContentDoc] = []
        self._positions: dict[int, int] = {}
        self._item_tags: list[frozenset[str]] = []
        self._bm25: bm25s.BM25 | None = None
        self._builds = 0
        self._token_of_stem: IntArray = _NO_INTS
        self._columns: dict[int, tuple[IntArray, FloatArray]] = {}
        self._prospects: dict[int, _Prospect] = {}
        self._entry_owner: dict[int, int] = {}

    # -- what the tests and the benchmark look at ------------------------------------------

    @property
    def content_builds(self) -> int:
        """How many times the BM25 index was built: adding posts must never change it."""
        return self._builds

    @property
    def bm25(self) -> bm25s.BM25 | None:
        """The bm25s model (None while the library has no words): same object until rebuilt."""
        return self._bm25

    # -- inputs -------------------------------------------------------------------------------

    def set_content(self, items: Sequence[ContentDoc]) -> None:
        by_id = {item.id: item for item in items}
        self._items = [by_id[key] for key in sorted(by_id)]  # position order is id order
        self._positions = {item.id: pos for pos, item in enumerate(self._items)}
        self._item_tags = [frozenset(tag.casefold() for tag in item.tags) for item in self._items]
        self._build()

    def remove_content(self, content_id: int) -> None:
        if content_id in self._positions:
            self.set_content([item for item in self._items if item.id != content_id])

    def set_prospects(self, prospects: Sequence[ProspectDoc]) -> None:
        """Replaces who exists: posts of prospects no longer listed are forgotten."""
        listed = {prospect.id: prospect for prospect in prospects}
        for prospect_id in [key for key in self._prospects if key not in listed]:
            for entry_id in self._prospects.pop(prospect_id).posts:
                self._entry_owner.pop(entry_id, None)
        tags = [tuple(dict.fromkeys(prospect.tags)) for prospect in listed.values()]
        flat = [tag for group in tags for tag in group]
        stems = iter(self._analyzer.terms(flat).per_text(len(flat)))
        for (prospect_id, _), group in zip(listed.items(), tags, strict=True):
            state = self._prospects.setdefault(prospect_id, _Prospect())
            state.tags = group
            state.tag_stems = tuple(tuple(dict.fromkeys(next(stems))) for _ in group)
            state.query = None

    def add_entries(self, entries: Sequence[EntryDoc]) -> None:
        """Adds (or replaces, by id) posts; only their prospects' profiles change."""
        latest = list({entry.id: entry for entry in entries}.values())  # last version wins
        # Tokenizing builds Python lists per word: in slices, a first import of a whole
        # workspace does not need several times the memory the profiles end up using.
        for start in range(0, len(latest), ADD_SLICE):
            self._add_batch(latest[start : start + ADD_SLICE])

    def _add_batch(self, batch: list[EntryDoc]) -> None:
        terms = self._analyzer.terms(
            [text for entry in batch for text in (entry.title, entry.text)], learn=True
        )
        # One numpy pass for the whole batch: sum each (post, stem)'s field weights, damp
        # repetition (a post saying "cloud" five times is not five posts), apply the decay.
        width = max(self._analyzer.size, 1)
        numbers = terms.text // 2
        field_weight = np.where(terms.text % 2 == 0, POST_TITLE_WEIGHT, POST_BODY_WEIGHT)
        keys, inverse = np.unique(numbers * width + terms.stem, return_inverse=True)
        raw = np.bincount(inverse.ravel(), weights=field_weight)
        damped = np.where(raw > 1.0, 1.0 + np.log(np.maximum(raw, 1.0)), raw)
        decays = np.array([self._decay(entry.published) for entry in batch])
        owners = keys // width
        stems = keys % width
        weights = damped * decays[owners]
        bounds = np.searchsorted(owners, np.arange(len(batch) + 1)).tolist()

        changes: dict[int, list[tuple[IntArray, FloatArray]]] = {}
        for number, entry in enumerate(batch):
            replaced = self._detach(entry.id)
            if replaced is not None:
                owner, old = replaced
                changes.setdefault(owner, []).append((old.stems, -old.weights))
            low, high = bounds[number], bounds[number + 1]
            post = _Post(
                id=entry.id,
                title=entry.title,
                text=entry.text,
                published=entry.published,
                is_signal=entry.is_signal,
                signal_terms=entry.signal_terms,
                decay=float(decays[number]),
                stems=stems[low:high].copy(),
                weights=weights[low:high].copy(),
            )
            self._prospects.setdefault(entry.prospect_id, _Prospect()).posts[entry.id] = post
            self._entry_owner[entry.id] = entry.prospect_id
            changes.setdefault(entry.prospect_id, []).append((post.stems, post.weights))
        for prospect_id, parts in changes.items():
            prospect = self._prospects[prospect_id]
            prospect.stems, prospect.weights = _sum_by_stem(
                np.concatenate([prospect.stems, *(part[0] for part in parts)]),
                np.concatenate([prospect.weights, *(part[1] for part in parts)]),
            )
            prospect.query = None

    # -- share suggestions ---------------------------------------------------------------------

    def rank(
        self, prospect_id: int, *, limit: int = 5, exclude: Collection[int] = ()
    ) -> list[Suggestion]:
        """Library items for one prospect, in the order to show them (best first, varied).

        `score` is the item's relevance; the order can differ from it where variety won.
        """
        prospect = self._prospects.get(prospect_id)
        if limit <= 0 or prospect is None or self._bm25 is None:
            return []
        query = self._query(prospect)
        if query.terms.size == 0:
            return []
        columns = [self._column(term) for term in query.terms.tolist()]
        lengths = np.array([docs.size for docs, _ in columns], dtype=np.int64)
        docs = np.concatenate([docs for docs, _ in columns])
        values = np.concatenate([values for _, values in columns])
        scores: FloatArray = np.bincount(
            docs, weights=values * np.repeat(query.weights, lengths), minlength=len(self._items)
        ).astype(np.float64, copy=False)
        for content_id in exclude:
            position = self._positions.get(content_id)
            if position is not None:
                scores[position] = 0.0
        candidates = _top_candidates(scores, max(limit * CANDIDATES_PER_PICK, MIN_CANDIDATES))
        if candidates.size == 0:
            return []
        raw = _term_scores(docs, values, lengths, candidates, len(self._items))
        picks = self._diversify(scores[candidates], raw * query.weights[:, None], candidates, limit)
        return self._suggestions(
            prospect_id,
            prospect,
            query,
            positions=candidates[picks].tolist(),
            raw=raw[:, picks],
            scores=scores[candidates[picks]].tolist(),
        )

    def rank_all(
        self, *, limit: int = 5, exclude: Mapping[int, Collection[int]] | None = None
    ) -> dict[int, list[Suggestion]]:
        """Every prospect's suggestions, an empty list included so stale ones can be cleared."""
        exclude = exclude or {}
        return {
            prospect_id: self.rank(prospect_id, limit=limit, exclude=exclude.get(prospect_id, ()))
            for prospect_id in sorted(self._prospects)
        }

    # -- engage suggestions --------------------------------------------------------------------

    def engage(
        self,
        prospect_id: int,
        *,
        limit: int = 3,
        since: datetime | None = None,
        exclude: Collection[int] = (),
    ) -> list[Suggestion]:
        """Posts worth a comment or a reshare: buying signals first, then the most recent.

        `exclude` takes posts the rep already acted on or dismissed.
        """
        prospect = self._prospects.get(prospect_id)
        if limit <= 0 or prospect is None:
            return []
        scored: list[tuple[float, _Post]] = []
        for post in prospect.posts.values():
            if post.id in exclude:
                continue
            if since is not None and (
                post.published is None or _aligned(post.published, since) < since
            ):
                continue
            recency = post.decay if post.published is not None else 0.0
            scored.append(((1.0 if post.is_signal else 0.0) + recency, post))
        scored.sort(key=lambda pair: (-pair[0], -pair[1].id))
        return [
            Suggestion(
                kind="engage",
                prospect_id=prospect_id,
                content_id=None,
                score=score,
                reasons=self._engage_reasons(post),
                entry_id=post.id,
            )
            for score, post in scored[:limit]
        ]

    # -- internals -----------------------------------------------------------------------------

    def _build(self) -> None:
        self._bm25 = None
        self._token_of_stem = _NO_INTS
        self._columns.clear()
        for prospect in self._prospects.values():
            prospect.query = None
        documents = [
            " ".join(
                [*([item.title] * CONTENT_TITLE_REPEAT), item.summary]
                + list(item.tags) * CONTENT_TAG_REPEAT
            )
            for item in self._items
        ]
        corpus = self._analyzer.index_terms(documents)
        if not any(corpus):
            return  # bm25s cannot index a corpus without a single term
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        self._bm25 = retriever
        self._builds += 1

    def _tokens(self) -> IntArray:
        """Analyzer stem id -> bm25s token id (-1: the library never uses that stem)."""
        known = self._token_of_stem.size
        if known < self._analyzer.size:
            assert self._bm25 is not None
            extra = []
            for stem_id in range(known, self._analyzer.size):
                ids: list[int] = self._bm25.get_tokens_ids([self._analyzer.stem(stem_id)])
                extra.append(ids[0] if ids else -1)
            self._token_of_stem = np.concatenate(
                [self._token_of_stem, np.array(extra, dtype=np.int64)]
            )
        return self._token_of_stem

    def _column(self, token: int) -> tuple[IntArray, FloatArray]:
        """One term's BM25 scores over the library, kept sparse: a term hits few items."""
        column = self._columns.get(token)
        if column is None:
            assert self._bm25 is not None
            dense = np.asarray(self._bm25.get_scores_from_ids([token]), dtype=np.float64)
            docs = np.flatnonzero(dense).astype(np.int64)
            column = (docs, dense[docs])
            self._columns[token] = column
        return column

    def _decay(self, published: datetime | None) -> float:
        if published is None:
            return UNDATED_DECAY
        age_days = max(0.0, (self._now - _aligned(published, self._now)).total_seconds() / 86400)
        return float(0.5 ** (age_days / self._half_life))

    def _detach(self, entry_id: int) -> tuple[int, _Post] | None:
        """Takes a post away from its prospect so a new version (or owner) can replace it."""
        owner = self._entry_owner.pop(entry_id, None)
        prospect = self._prospects.get(owner) if owner is not None else None
        if owner is None or prospect is None:
            return None
        post = prospect.posts.pop(entry_id, None)
        return None if post is None else (owner, post)

    def _query(self, prospect: _Prospect) -> _Query:
        if prospect.query is not None:
            return prospect.query
        token_of = self._tokens()
        # Normalising by the strongest term makes a profile independent of when it was built;
        # the floor keeps a prospect whose posts are all old from drowning out their tags.
        divisor = max(float(prospect.weights.max(initial=0.0)), FRESH_TITLE_TERM)
        tokens = token_of[prospect.stems]
        inside = tokens >= 0
        post_tokens, post_stems = tokens[inside], prospect.stems[inside]
        post_values = prospect.weights[inside]
        if post_tokens.size > PROFILE_TERMS:
            keep = np.lexsort((post_tokens, -post_values))[:PROFILE_TERMS]
            post_tokens, post_stems, post_values = (
                post_tokens[keep],
                post_stems[keep],
                post_values[keep],
            )
        # A tag is one idea however many words it has: "data platform" is not two tags.
        tag_share: dict[int, float] = {}
        stem_of: dict[int, int] = dict(zip(post_tokens.tolist(), post_stems.tolist(), strict=True))
        for stems in prospect.tag_stems:
            for stem in stems:
                token = int(token_of[stem])
                if token >= 0:
                    tag_share[token] = tag_share.get(token, 0.0) + PROSPECT_TAG_WEIGHT / len(stems)
                    stem_of[token] = stem
        terms = np.array(sorted(stem_of), dtype=np.int64)
        post_weights = np.zeros(terms.size)
        post_weights[np.searchsorted(terms, post_tokens)] = post_values / divisor
        tag_weights = np.zeros(terms.size)
        for token, share in tag_share.items():
            tag_weights[np.searchsorted(terms, token)] = share

        posts = sorted(prospect.posts.values(), key=_newest_first)
        post_matrix = np.zeros((len(posts), terms.size))
        if posts and terms.size:
            rows = np.repeat(np.arange(len(posts)), [post.stems.size for post in posts])
            in_posts = token_of[np.concatenate([post.stems for post in posts])]
            slots = np.minimum(np.searchsorted(terms, in_posts), terms.size - 1)
            used = (in_posts >= 0) & (terms[slots] == in_posts) & (post_weights[slots] > 0)
            post_values_all = np.concatenate([post.weights for post in posts])
            post_matrix[rows[used], slots[used]] = post_values_all[used] / divisor
        query = _Query(
            terms=terms,
            stems=[stem_of[token] for token in terms.tolist()],
            post_weights=post_weights,
            weights=post_weights + tag_weights,
            post_ids=tuple(post.id for post in posts),
            post_matrix=post_matrix,
        )
        prospect.query = query
        return query

    def _diversify(
        self, scores: FloatArray, contributions: FloatArray, candidates: IntArray, limit: int
    ) -> list[int]:
        """Greedy MMR: each pick is the best item once overlap with earlier picks is discounted.

        Overlap is the histogram intersection of two items' term contributions: 1 when both
        match the prospect for the same reasons, 0 when they share no matched term. At most
        `max_per_kind` items of one kind, unless no other kind scores within reach.
        """
        count = scores.size
        contributions = contributions[contributions.any(axis=1)]  # terms no candidate matches
        totals = contributions.sum(axis=0)
        shares = contributions / np.where(totals > 0, totals, 1.0)
        # Every pair at once (candidates x candidates); the greedy loop below is over a few
        # dozen numbers, where plain Python beats numpy's per-call overhead.
        pairwise: list[list[float]] = (
            np.minimum(shares[:, :, None], shares[:, None, :]).sum(axis=0).tolist()
        )
        relevance: list[float] = scores.tolist()
        kinds = [self._items[position].kind for position in candidates.tolist()]
        overlap = [0.0] * count
        available = [True] * count
        per_kind: Counter[str] = Counter()
        max_per_kind = max(2, math.ceil(limit * 0.4))
        floor = KIND_ALTERNATIVE_FLOOR * max(relevance)
        picks: list[int] = []
        while len(picks) < min(limit, count):
            adjusted = [
                relevance[col] * (1.0 - MMR_PENALTY * overlap[col] ** 2) if available[col] else -1.0
                for col in range(count)
            ]
            # Highest adjusted score; ties go to the lower column (higher score, then lower id).
            ranked = [col for col in range(count) if available[col]]
            pick = max(ranked, key=lambda c: (adjusted[c], -c))
            if per_kind[kinds[pick]] >= max_per_kind:
                ranked.sort(key=lambda c: (-adjusted[c], c))
                pick = next(
                    (
                        col
                        for col in ranked
                        if per_kind[kinds[col]] < max_per_kind and relevance[col] >= floor
                    ),
                    pick,
                )
            picks.append(pick)
            available[pick] = False
            per_kind[kinds[pick]] += 1
            overlap = [max(a, b) for a, b in zip(overlap, pairwise[pick], strict=True)]
        return picks

    def _suggestions(
        self,
        prospect_id: int,
        prospect: _Prospect,
        query: _Query,
        *,
        positions: list[int],
        raw: FloatArray,
        scores: list[float],
    ) -> list[Suggestion]:
        """Suggestions with their reasons, for the picked items (the columns of `raw`)."""
        word = self._analyzer.word
        stems = query.stems
        from_posts = raw * query.post_weights[:, None]
        from_all = raw * query.weights[:, None]
        post_order = np.argsort(-from_posts, axis=0, kind="stable")[: WRITES_ABOUT_WORDS * 2]
        all_order = np.argsort(-from_all, axis=0, kind="stable")[:MATCHED_TERMS]
        post_positive = (np.take_along_axis(from_posts, post_order, axis=0) > 0).T.tolist()
        all_positive = (np.take_along_axis(from_all, all_order, axis=0) > 0).T.tolist()
        best_post: list[int] = []
        best_share: list[float] = []
        if query.post_ids:
            by_post = query.post_matrix @ raw  # posts x picks: which post holds the match
            best_post = by_post.argmax(axis=0).tolist()  # first maximum: posts newest first
            best_share = by_post.max(axis=0).tolist()
        suggestions: list[Suggestion] = []
        for col, (position, post_ks, all_ks) in enumerate(
            zip(positions, post_order.T.tolist(), all_order.T.tolist(), strict=True)
        ):
            reasons: list[str] = []
            words = [
                word(stems[k]) for k, ok in zip(post_ks, post_positive[col], strict=True) if ok
            ]
            if words:
                words = list(dict.fromkeys(words))[:WRITES_ABOUT_WORDS]
                reasons.append("Writes about: " + ", ".join(words))

            if prospect.tag_stems:
                matched = {stems[k] for k in np.flatnonzero(raw[:, col]).tolist()}
                for tag, tag_stems in zip(prospect.tags, prospect.tag_stems, strict=True):
                    if tag_stems and all(stem in matched for stem in tag_stems):
                        shared = tag.casefold() in self._item_tags[position]
                        reasons.append(f'{"Shares" if shared else "Matches"} the tag "{tag}"')

            entry_id: int | None = None
            if best_share and best_share[col] > 0:
                entry_id = query.post_ids[best_post[col]]
                post = prospect.posts[entry_id]
                reasons.append(f'From the post: "{_label(post.title, post.text)}"')

            terms = [word(stems[k]) for k, ok in zip(all_ks, all_positive[col], strict=True) if ok]
            suggestions.append(
                Suggestion(
                    kind="share",
                    prospect_id=prospect_id,
                    content_id=self._items[position].id,
                    score=scores[col],
                    reasons=tuple(reasons),
                    entry_id=entry_id,
                    matched_terms=tuple(dict.fromkeys(terms)),
                )
            )
        return suggestions

    def _engage_reasons(self, post: _Post) -> tuple[str, ...]:
        reasons: list[str] = []
        if post.is_signal:
            terms = ", ".join(post.signal_terms)
            reasons.append(f"Buying signal: {terms}" if terms else "Buying signal")
        label = _label(post.title, post.text)
        if post.published is None:
            reasons.append(f'Post: "{label}"')
        else:
            published = _aligned(post.published, self._now)
            if (self._now - published).total_seconds() <= NEW_POST_DAYS * 86400:
                reasons.append(f'New post: "{label}"')
            else:
                reasons.append(f'Post of {published:%d %b %Y}: "{label}"')
        return tuple(reasons)


def _sum_by_stem(stems: IntArray, weights: FloatArray) -> tuple[IntArray, FloatArray]:
    """Adds up weights per stem; stems whose posts were all replaced drop out."""
    unique, inverse = np.unique(stems, return_inverse=True)
    sums = np.bincount(inverse.ravel(), weights=weights, minlength=unique.size)
    keep = sums > _PRUNE_BELOW
    return unique[keep].astype(np.int64), sums[keep].astype(np.float64)


def _top_candidates(scores: FloatArray, count: int) -> IntArray:
    """Positions of the best-scoring items, best first, ties by content id, zero scores out."""
    positive = np.flatnonzero(scores > 0)
    if positive.size > count:
        values = scores[positive]
        cutoff = np.partition(values, positive.size - count)[positive.size - count]
        positive = positive[values >= cutoff]  # keeps every tie at the cut
    order = np.lexsort((positive, -scores[positive]))
    return positive[order].astype(np.int64)


def _term_scores(
    docs: IntArray, values: FloatArray, lengths: IntArray, candidates: IntArray, items: int
) -> FloatArray:
    """Per-term BM25 scores (terms x candidates) for the candidate items only.

    `docs`/`values` are the query terms' sparse columns laid end to end, `lengths` their sizes.
    """
    column_of = np.full(items, -1, dtype=np.int64)
    column_of[candidates] = np.arange(candidates.size)
    columns = column_of[docs]
    hits = np.flatnonzero(columns >= 0)
    term_of_hit = np.searchsorted(np.cumsum(lengths), hits, side="right")
    raw = np.zeros((lengths.size, candidates.size))
    raw[term_of_hit, columns[hits]] = values[hits]
    return raw


def _aligned(moment: datetime, reference: datetime) -> datetime:
    """`moment` comparable with `reference`: a naive time on one side is read as UTC."""
    if (moment.tzinfo is None) == (reference.tzinfo is None):
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _newest_first(post: _Post) -> tuple[float, int]:
    """Sort key; ties resolved by id so the post credited for a match never flickers."""
    published = post.published
    if published is None:
        return (math.inf, -post.id)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (-published.timestamp(), -post.id)


def _label(title: str, text: str) -> str:
    """A post's title, or the start of its text when it has none (most social posts)."""
    label = " ".join((title or text).split())
    if len(label) <= LABEL_CHARS:
        return label
    cut = label[: LABEL_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
