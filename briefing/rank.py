"""Scoring and redundancy-aware selection of the sentences that make the brief.

Each sentence is scored for the theme it fits best: relevance, centrality among that theme's
sentences (LexRank), corroboration by independent sources and informativeness (names, numbers),
times a quality factor that marks down sentences that cannot stand alone. Selection is greedy
maximal marginal relevance: a sentence that restates one already chosen, anywhere in the brief, is
never chosen, and one that resembles it is marked down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

import numpy as np
from scipy import sparse

from briefing.config import Selection, Theme
from briefing.dedupe import Facts, Likeness
from briefing.features import (Features, features_of, informativeness, length_problem, shape_problem,
                               standalone_factor)
from briefing.model import Citation, Item, Section, Sentence
from briefing.nlp import Lexicon, lexrank
from briefing.segment import SentenceTable
from briefing.themes import Relevance

__all__ = ["Candidate", "Selected", "informativeness", "select", "standalone_factor", "whole_sentence_problem"]

WEIGHTS = {"relevance": 0.55, "centrality": 0.2, "corroboration": 0.15, "informativeness": 0.1}
GLOBAL_WEIGHTS = {"relevance": 0.25, "centrality": 0.3, "corroboration": 0.3, "lead": 0.15}
REDUNDANCY = 1.0
# Under a word budget, value per word**LENGTH_COST. A candidate's score is a mix of bounded parts, which
# grows only slowly with length (about as words**0.3 on news), so dividing by words**0.3 (Lin & Bilmes's
# exponent, for an objective that grows with every word covered) left length all but free: a 55-word
# sentence that touches a theme in one clause cost a third more than a 20-word one about nothing else.
# Value per word is the greedy of budgeted maximum coverage (Khuller, Moss & Naor, 1999), there checked
# against the best single item, as budgeted_select does.
LENGTH_COST = 1.0
LEAD_SENTENCES = 3
CENTRALITY_POOL = 1500
POOL_SHOWN = 50  # a theme's candidates kept for `explain` beyond those that could be chosen
AMBIGUOUS = 0.7
NO_THEME = -1  # a candidate's theme, as an array entry, when it has none


def whole_sentence_problem(text: str, selection: Selection) -> str | None:
    """Why the text is not a whole sentence fit to quote alone, or None."""
    return length_problem(len(text.split()), selection.min_words, selection.max_words) or shape_problem(text)


@dataclass
class Candidate:
    index: int
    sentence: Sentence
    theme: int | None
    relevance: float
    quality: float
    informativeness: float
    corroboration: float
    support: int
    lead: float
    ambiguous: bool = False
    centrality: float = 0.0
    score: float = 0.0

    @cached_property
    def notes(self) -> list[str]:
        """Why the candidate is marked down (worked out only when someone asks: explain does)."""
        reasons = standalone_factor(self.sentence.text)[1]
        return reasons + (["fits another theme almost as well"] if self.ambiguous else [])

    def parts(self) -> dict[str, float]:
        return {"relevance": self.relevance, "centrality": self.centrality, "corroboration": self.corroboration,
                "informativeness": self.informativeness, "lead": self.lead, "quality": self.quality}


@dataclass(frozen=True)
class _Table:
    """The candidates as arrays, in reading order: what their `Candidate`s hold, field by field."""

    index: np.ndarray
    sentences: Sequence[Sentence]
    """All the corpus's sentences (a candidate's is looked up when its Candidate is made)."""
    source: list[str]
    theme: np.ndarray
    relevance: np.ndarray
    quality: np.ndarray
    informativeness: np.ndarray
    corroboration: np.ndarray
    support: np.ndarray
    lead: np.ndarray
    ambiguous: np.ndarray

    @classmethod
    def empty(cls) -> _Table:
        none, real = np.zeros(0, dtype=np.int64), np.zeros(0)
        return cls(none, [], [], none, real, real, real, real, none, real, np.zeros(0, dtype=bool))

    def candidate(self, k: int, centrality: np.ndarray | None = None, score: np.ndarray | None = None) -> Candidate:
        """The k-th candidate's Candidate (its centrality and score 0 unless given)."""
        return Candidate(int(self.index[k]), self.sentences[int(self.index[k])], int(self.theme[k]), float(self.relevance[k]),
                         float(self.quality[k]), float(self.informativeness[k]), float(self.corroboration[k]),
                         int(self.support[k]), float(self.lead[k]), bool(self.ambiguous[k]),
                         0.0 if centrality is None else float(centrality[k]),
                         0.0 if score is None else float(score[k]))


class _Candidates(Sequence[Candidate]):
    """A table's Candidates, each made when first asked for: at 10,000 sources there are a hundred
    thousand, of which a build looks at a few hundred (and `explain` at all)."""

    def __init__(self, table: _Table, centrality: np.ndarray | None = None, score: np.ndarray | None = None) -> None:
        self._made: dict[int, Candidate] = {}
        self._make = partial(table.candidate, centrality=centrality, score=score)
        self._size = len(table.index)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            return [self[j] for j in range(self._size)[k]]
        k = range(self._size)[k]
        found = self._made.get(k)
        if found is None:
            found = self._made[k] = self._make(k)
        return found

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


def _table_of(sentences: Sequence[Sentence], relevance: Relevance, facts: Facts, selection: Selection,
              features: Features) -> _Table:
    """The sentences fit to quote that clearly belong to a theme, each with the theme it fits best,
    worked out on arrays for all sentences at once (a republication's sentences are never candidates)."""
    n = len(sentences)
    if n == 0 or not relevance.score.shape[1]:
        return _Table.empty()
    quotable = features.shaped & (features.words >= selection.min_words) & (features.words <= selection.max_words)
    strength = relevance.strength
    best = np.argmax(strength, axis=1)
    rows = np.arange(n)
    rel = relevance.score[rows, best]
    second = np.sort(strength, axis=1)[:, -2] if strength.shape[1] > 1 else np.zeros(n)
    ambiguous = (second > 0) & (strength[rows, best] < selection.theme_margin * second)
    quality = features.quality * np.where(ambiguous, AMBIGUOUS, 1.0)
    at = np.flatnonzero(quotable & ~facts.copied & (rel >= selection.min_relevance))
    source, place = _where(sentences, at)
    support = facts.support[at].astype(np.int64)
    return _Table(at, sentences, source, best[at], rel[at], quality[at], features.informativeness[at],
                  np.minimum(1.0, (support - 1) / 2), support, np.maximum(0.0, 1.0 - place / LEAD_SENTENCES),
                  ambiguous[at])


def _where(sentences: Sequence[Sentence], rows: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Each row's source id and its place in that source: from the table's arrays when the sentences
    are a SentenceTable, so no Sentence is made."""
    if isinstance(sentences, SentenceTable):
        k = sentences.source_index[rows]
        return [sentences.sources[j].id for j in k.tolist()], rows - sentences.start[k]
    quoted = [sentences[i] for i in rows.tolist()]
    return [s.source for s in quoted], np.array([s.index for s in quoted], dtype=np.int64)


def _weighted_sum(weights: Mapping[str, float], parts: Mapping[str, np.ndarray]) -> np.ndarray:
    """Σ weight × part over the weights, added in their order (as `weighted` adds them)."""
    total = np.zeros(len(next(iter(parts.values()))))
    for name, w in weights.items():
        total = total + w * parts[name]
    return total


@dataclass(frozen=True)
class _Rows:
    """Some sentences' rows of the likeness matrices, sliced out once: a pool is asked, round after round,
    how alike it is to each sentence chosen, and that needs its own rows, not the whole corpus's."""

    index: np.ndarray
    vectors: sparse.csr_matrix
    weights: sparse.csr_matrix
    totals: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, likeness: Likeness) -> _Rows:
        weights = likeness.weights[rows]
        return cls(rows, likeness.vectors[rows], weights, np.asarray(weights.sum(axis=1)))

    def cosines(self, chosen: np.ndarray, likeness: Likeness) -> np.ndarray:
        """The cosine of each row (a row each) with each chosen sentence (a column each), as
        `Likeness.against` works it out, to the last bit."""
        return (self.vectors @ likeness.vectors[chosen].T).toarray()

    def overlaps(self, chosen: np.ndarray, likeness: Likeness) -> np.ndarray:
        """The content overlap of each row with each chosen sentence, as `cosines` (the share of the
        shorter one's content, IDF-weighted, that the other repeats)."""
        theirs = likeness.weights[chosen]
        smaller = np.minimum(self.totals, np.asarray(theirs.sum(axis=1)).T)
        present = theirs.copy()
        present.data[:] = 1.0
        shared = (self.weights @ present.T).toarray()
        return np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)


def _nearest(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness) -> np.ndarray:
    """For each of `rows`, its highest cosine with any chosen sentence (0 when none is chosen)."""
    if not len(chosen):
        return np.zeros(len(rows))
    return _Rows.of(rows, likeness).cosines(np.asarray(chosen, dtype=np.int64), likeness).max(axis=1, initial=0.0)


def _blocked_and_nearest(pool: _Rows, chosen: Sequence[int], likeness: Likeness,
                         facts: Facts) -> tuple[np.ndarray, np.ndarray]:
    """`blocked_by` and `_nearest` together, from one set of cosines."""
    if not len(chosen):
        return np.zeros(len(pool.index), dtype=bool), np.zeros(len(pool.index))
    chosen = np.asarray(chosen, dtype=np.int64)
    cosine = pool.cosines(chosen, likeness)
    alike = (cosine >= likeness.cosine_cut) | (pool.overlaps(chosen, likeness) >= likeness.overlap_cut)
    same_fact = np.isin(facts.cluster[pool.index], facts.cluster[chosen])
    return same_fact | alike.any(axis=1), cosine.max(axis=1, initial=0.0)


def blocked_by(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness, facts: Facts) -> np.ndarray:
    """For each of `rows`, whether it states a chosen sentence's fact or is too alike to one."""
    if not len(chosen):
        return np.zeros(len(rows), dtype=bool)
    return _blocked_and_nearest(_Rows.of(rows, likeness), chosen, likeness, facts)[0]


def _centrality_of(rows: np.ndarray, strength: np.ndarray, likeness: Likeness) -> np.ndarray:
    """LexRank among the CENTRALITY_POOL candidates of greatest relevance × quality (ties in reading
    order); the rest score 0 (candidate pruning: they could not have been chosen on relevance anyway)."""
    out = np.zeros(len(rows))
    if not len(rows):
        return out
    top = np.lexsort((rows, -strength))[:CENTRALITY_POOL]
    out[top] = lexrank(likeness.similarity(rows[top].tolist()))
    return out


def _keeps_covered(index: np.ndarray, theme: np.ndarray, relevance: np.ndarray, likeness: Likeness, facts: Facts,
                   relevance_ratio: float) -> Callable[[int, int, list[int]], bool]:
    """A test that taking a sentence (its index and theme) still leaves its theme a sentence of its own
    to show, one relevant enough to pass the section's relevance floor."""
    eligible: dict[int, np.ndarray] = {}
    for t in np.unique(theme).tolist():
        mine = theme == t
        best = max(0.0, float(relevance[mine].max()))
        eligible[t] = index[mine & (relevance >= relevance_ratio * best)]

    def allowed(i: int, t: int, chosen: list[int]) -> bool:
        taken = chosen + [i]
        rows = eligible[t]
        rows = rows[~np.isin(rows, taken)]
        return bool(len(rows)) and bool((~blocked_by(rows, taken, likeness, facts)).any())
    return allowed


def words_in(c: Candidate) -> int:
    return len(c.sentence.text.split())


def mmr_select(pool: Sequence[Candidate], k: int, chosen: list[int], likeness: Likeness,
               facts: Facts, allowed: Callable[[Candidate, list[int]], bool] | None = None,
               budget: int | None = None) -> list[Candidate]:
    """Up to k candidates by score, each marked down by its likeness to anything already chosen;
    one that states a chosen sentence's fact, or is too alike to it, is never taken. With a word
    budget, the first pick always fits and later ones only if the total stays within it."""
    remaining = sorted(pool, key=lambda c: -c.score)
    rows = np.array([c.index for c in remaining], dtype=np.int64)
    words = np.array([words_in(c) for c in remaining], dtype=np.int64)
    test = None if allowed is None else (lambda w: allowed(remaining[w], chosen))
    picked = _mmr(rows, np.array([c.score for c in remaining]), words, k, chosen, likeness, facts, test, budget)
    return sorted((remaining[w] for w in picked), key=lambda c: -c.score)


def _mmr(rows: np.ndarray, score: np.ndarray, words: np.ndarray, k: int, chosen: list[int], likeness: Likeness,
         facts: Facts, allowed: Callable[[int], bool] | None = None, budget: int | None = None) -> list[int]:
    """mmr_select on the pool's arrays (best score first; `allowed` takes a position in them): the
    positions taken. Each round is a few array operations over the pool, whatever its size."""
    position = np.arange(len(rows))
    pool = _Rows.of(rows, likeness)
    blocked, nearest = _blocked_and_nearest(pool, chosen, likeness, facts)
    picked: list[int] = []
    used = 0
    while len(picked) < k:
        open_ = ~blocked
        if budget is not None and picked:
            open_ &= used + words <= budget
        where = np.flatnonzero(open_)
        if not len(where):
            break
        value = score[where] * (1.0 - REDUNDANCY * nearest[where])
        if budget is not None:
            value = value / words[where] ** LENGTH_COST
        ranked = where[np.lexsort((position[where], -value))].tolist()
        best = next((w for w in ranked if allowed is None or allowed(w)), None)
        if best is None:
            break
        picked.append(best)
        used += int(words[best])
        chosen.append(int(rows[best]))
        blocked[best] = True
        now_blocked, now_nearest = _blocked_and_nearest(pool, chosen[-1:], likeness, facts)
        blocked |= now_blocked
        np.maximum(nearest, now_nearest, out=nearest)
    return picked


def budgeted_select(pool: Sequence[Candidate], k: int, chosen: list[int], likeness: Likeness, facts: Facts,
                    budget: int) -> tuple[list[Candidate], bool]:
    """A section within its word budget: the greedy fill by value per word (mmr_select), or the single
    most valuable sentence that fits, whichever is worth more (the classic check of budgeted greedy, which
    alone could spend a budget on short, weak sentences and leave no room for one that outweighs them all).
    Worth is each sentence's score marked down by its likeness to what was chosen before it. Returns the
    items and whether the single sentence won."""
    before = list(chosen)
    picked = mmr_select(pool, k, chosen, likeness, facts, budget=budget)

    def worth(c: Candidate, against: Sequence[int]) -> float:
        return c.score * (1.0 - REDUNDANCY * float(_nearest(np.array([c.index]), against, likeness)[0]))

    by_index = {c.index: c for c in picked}
    filled = sum(worth(by_index[i], chosen[:n]) for n, i in enumerate(chosen) if n >= len(before))
    fits = [c for c in pool if words_in(c) <= budget]
    rows = np.array([c.index for c in fits], dtype=np.int64)
    blocked, nearest = _blocked_and_nearest(_Rows.of(rows, likeness), before, likeness, facts)
    free = ~blocked
    worths = np.array([c.score for c in fits]) * (1.0 - REDUNDANCY * nearest)
    alone = fits[int(np.argmax(np.where(free, worths, -np.inf)))] if free.any() else None
    if alone is not None and worth(alone, before) > filled:
        chosen[:] = before + [alone.index]
        return [alone], True
    return picked, False


def citations_of(c: Candidate, sentences: Sequence[Sentence], facts: Facts) -> tuple[Citation, ...]:
    """The candidate's own span first, then one span from each other independent source stating it."""
    primary = c.sentence
    cites = [Citation(primary.source, primary.start, primary.end)]
    seen = {primary.source}
    span_of = sentences.span_of if isinstance(sentences, SentenceTable) else \
        (lambda j: (sentences[j].source, sentences[j].start, sentences[j].end))
    for j in first_of_each_source(facts.members[facts.cluster[c.index]], sentences):
        source, start, end = span_of(j)
        if source not in seen and source not in facts.original:
            seen.add(source)
            cites.append(Citation(source, start, end))
    return tuple(cites)


def first_of_each_source(rows: list[int], sentences: Sequence[Sentence]) -> list[int]:
    """Of the given sentences (in order), the first of each source: a fact a syndicated corpus
    repeats thousands of times is cited from a few dozen sources, not its every sentence."""
    if not isinstance(sentences, SentenceTable) or len(rows) < 2:
        return rows
    _, first = np.unique(sentences.source_index[rows], return_index=True)
    return [rows[k] for k in np.sort(first).tolist()]


CONFIDENCE = ((3, "high"), (2, "moderate"), (1, "low"))


def confidence_of(support: int) -> str:
    """A key judgment's confidence follows from how many independent sources state it:
    three or more high, two moderate, one low."""
    return next(label for least, label in CONFIDENCE if support >= least)


def item_of(c: Candidate, sentences: Sequence[Sentence], facts: Facts, theme: Theme | None,
            judgment: bool = False) -> Item:
    return Item(text=c.sentence.text, score=round(c.score, 4), citations=citations_of(c, sentences, facts),
                theme=theme.id if theme else None, support=c.support, parts=c.parts(),
                confidence=confidence_of(c.support) if judgment else None)


@dataclass(frozen=True)
class Selected:
    """The brief's items, and what `briefing explain` needs to say why: every candidate (scored for
    key judgments; each made when first looked at), and per theme the pool it chose from (scored for
    the theme) and its score floor."""

    key_judgments: tuple[Item, ...]
    sections: tuple[Section, ...]
    candidates: Sequence[Candidate]
    pools: tuple[tuple[Candidate, ...], ...] = ()
    floors: tuple[float, ...] = ()
    judgment_indices: tuple[int, ...] = ()
    relevance_floors: tuple[float, ...] = ()
    alone: tuple[bool, ...] = ()
    """Per theme: whether its section is one sentence worth more than the greedy fill of its budget."""


def select(sentences: Sequence[Sentence], likeness: Likeness, relevance: Relevance, facts: Facts,
           themes: Sequence[Theme], selection: Selection,
           source_weights: Mapping[str, float] | None = None, features: Features | None = None) -> Selected:
    """Key judgments first (the strongest sentences overall), then each theme's best, none said twice.
    `source_weights` (source id → weight in (0, 1], e.g. recency) multiplies each candidate's score."""
    features = features if features is not None else features_of([s.text for s in sentences], Lexicon())
    table = _table_of(sentences, relevance, facts, selection, features)
    by_source = source_weights or {}
    weight_of = np.array([by_source.get(s, 1.0) for s in table.source], dtype=float)
    centrality = _centrality_of(table.index, table.relevance * table.quality, likeness)
    parts = {"relevance": table.relevance, "centrality": centrality, "corroboration": table.corroboration,
             "lead": table.lead}
    overall = table.quality * _weighted_sum(GLOBAL_WEIGHTS, parts) * weight_of
    cands = _Candidates(table, centrality, overall)
    chosen: list[int] = []
    most = np.zeros(relevance.score.shape[1])
    np.maximum.at(most, table.theme, table.relevance)
    strong = np.flatnonzero(table.relevance >= selection.min_relevance_ratio * most[table.theme])
    ranked = strong[np.argsort(-overall[strong], kind="stable")]
    covered = _keeps_covered(table.index[strong], table.theme[strong], table.relevance[strong], likeness, facts,
                             selection.min_relevance_ratio)
    taken_at = _mmr(table.index[ranked], overall[ranked], features.words[table.index[ranked]],
                    selection.key_judgments, chosen, likeness, facts,
                    lambda w: covered(int(table.index[ranked[w]]), int(table.theme[ranked[w]]), chosen))
    judgments = sorted((cands[int(ranked[w])] for w in taken_at), key=lambda c: -c.score)
    judgment_items = tuple(item_of(c, sentences, facts, themes[c.theme], judgment=True) for c in judgments)
    taken = {c.index for c in judgments}
    theme_of, index_of = table.theme, table.index
    open_ = ~np.isin(index_of, list(taken))
    sections, pools, floors, relevance_floors, alone = [], [], [], [], []
    for t, theme in enumerate(themes):
        at = np.flatnonzero((theme_of == t) & open_)
        rel, quality = table.relevance[at], table.quality[at]
        centrality = _centrality_of(index_of[at], rel * quality, likeness)
        parts = {"relevance": rel, "centrality": centrality, "corroboration": table.corroboration[at],
                 "informativeness": table.informativeness[at]}
        score = quality * _weighted_sum(WEIGHTS, parts) * weight_of[at]
        floor = selection.min_score_ratio * float(score.max()) if len(at) else 0.0
        relevance_floor = selection.min_relevance_ratio * float(rel.max()) if len(at) else 0.0
        order = np.argsort(-score, kind="stable")
        # Every candidate that can be chosen, and the best of the rest (what `explain` shows as runners-up).
        keep = np.zeros(len(at), dtype=bool)
        keep[order[:POOL_SHOWN]] = True
        keep |= (score >= floor) & (rel >= relevance_floor)
        pool = []
        for k in order[keep[order]].tolist():
            c = copy(cands[at[k]])
            c.centrality, c.score = float(centrality[k]), float(score[k])
            pool.append(c)
        pools.append(tuple(pool))
        floors.append(floor)
        relevance_floors.append(relevance_floor)
        passing = [c for c in pool if c.score >= floor and c.relevance >= relevance_floor]
        passing.sort(key=lambda c: c.index)
        free = ~blocked_by(np.array([c.index for c in passing], dtype=np.int64), chosen, likeness, facts)
        eligible = [c for c, ok in zip(passing, free) if ok]
        picked, single = budgeted_select(eligible, selection.items_per_theme, chosen, likeness, facts,
                                         selection.words_per_theme)
        alone.append(single)
        sections.append(Section(theme.id, theme.title, theme.description,
                                tuple(item_of(c, sentences, facts, theme) for c in picked)))
    return Selected(judgment_items, tuple(sections), cands, tuple(pools), tuple(floors),
                    tuple(c.index for c in judgments), tuple(relevance_floors), tuple(alone))
