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
from functools import cached_property

import numpy as np

from briefing.config import Selection, Theme
from briefing.dedupe import Facts, Likeness
from briefing.features import (Features, features_of, informativeness, length_problem, shape_problem,
                               standalone_factor)
from briefing.model import Citation, Item, Section, Sentence
from briefing.nlp import Lexicon, lexrank
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


def weighted(c: Candidate, weights: dict[str, float]) -> float:
    p = c.parts()
    return c.quality * sum(w * p[k] for k, w in weights.items())


@dataclass(frozen=True)
class _Table:
    """The candidates as arrays, in reading order: what their `Candidate`s hold, field by field."""

    index: np.ndarray
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
        return cls(none, none, real, real, real, real, none, real, np.zeros(0, dtype=bool))

    def candidates(self, sentences: Sequence[Sentence], centrality: np.ndarray | None = None,
                   score: np.ndarray | None = None) -> list[Candidate]:
        """Their Candidates, made in one pass: a large corpus has a hundred thousand."""
        index = self.index.tolist()
        unset = [0.0] * len(index)
        return list(map(Candidate, index, [sentences[i] for i in index], self.theme.tolist(),
                        self.relevance.tolist(), self.quality.tolist(), self.informativeness.tolist(),
                        self.corroboration.tolist(), self.support.tolist(), self.lead.tolist(),
                        self.ambiguous.tolist(), unset if centrality is None else centrality.tolist(),
                        unset if score is None else score.tolist()))


def _table_of(sentences: Sequence[Sentence], relevance: Relevance, facts: Facts, selection: Selection,
              features: Features) -> _Table:
    """The candidates (see `candidates_of`), worked out on arrays for all sentences at once."""
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
    at = np.flatnonzero(quotable & (rel >= selection.min_relevance))
    if facts.original:
        at = at[np.array([sentences[i].source not in facts.original for i in at.tolist()], dtype=bool)]
    support = facts.support[at].astype(np.int64) if len(facts.support) else \
        np.array([len(facts.independent_sources(i, sentences)) for i in at.tolist()], dtype=np.int64)
    place = np.array([sentences[i].index for i in at.tolist()], dtype=np.int64)
    return _Table(at, best[at], rel[at], quality[at], features.informativeness[at],
                  np.minimum(1.0, (support - 1) / 2), support, np.maximum(0.0, 1.0 - place / LEAD_SENTENCES),
                  ambiguous[at])


def candidates_of(sentences: Sequence[Sentence], relevance: Relevance, facts: Facts,
                  selection: Selection, features: Features | None = None) -> list[Candidate]:
    """The sentences fit to quote that clearly belong to a theme, each with the theme it fits best.
    Worked out on arrays: only the sentences that qualify become Candidates."""
    features = features if features is not None else features_of([s.text for s in sentences], Lexicon())
    return _table_of(sentences, relevance, facts, selection, features).candidates(sentences)


def _weighted_sum(weights: Mapping[str, float], parts: Mapping[str, np.ndarray]) -> np.ndarray:
    """Σ weight × part over the weights, added in their order (as `weighted` adds them)."""
    total = np.zeros(len(next(iter(parts.values()))))
    for name, w in weights.items():
        total = total + w * parts[name]
    return total


def _cosines(rows: np.ndarray, chosen: np.ndarray, likeness: Likeness) -> np.ndarray:
    """The cosine of each of `rows` (a row each) with each chosen sentence (a column each), as
    `Likeness.against` works it out, but over the rows asked about rather than the whole corpus."""
    return (likeness.vectors[rows] @ likeness.vectors[chosen].T).toarray()


def _overlaps(rows: np.ndarray, chosen: np.ndarray, likeness: Likeness) -> np.ndarray:
    """The content overlap of each of `rows` with each chosen sentence, as `_cosines` (the share of the
    shorter one's content, IDF-weighted, that the other repeats)."""
    mine, theirs = likeness.weights[rows], likeness.weights[chosen]
    smaller = np.minimum(np.asarray(mine.sum(axis=1)), np.asarray(theirs.sum(axis=1)).T)
    present = theirs.copy()
    present.data[:] = 1.0
    shared = (mine @ present.T).toarray()
    return np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)


def _nearest(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness) -> np.ndarray:
    """For each of `rows`, its highest cosine with any chosen sentence (0 when none is chosen)."""
    if not len(chosen):
        return np.zeros(len(rows))
    return _cosines(rows, np.asarray(chosen, dtype=np.int64), likeness).max(axis=1, initial=0.0)


def _blocked_and_nearest(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness,
                         facts: Facts) -> tuple[np.ndarray, np.ndarray]:
    """`blocked_by` and `_nearest` together, from one set of cosines."""
    if not len(chosen):
        return np.zeros(len(rows), dtype=bool), np.zeros(len(rows))
    chosen = np.asarray(chosen, dtype=np.int64)
    cosine = _cosines(rows, chosen, likeness)
    alike = (cosine >= likeness.cosine_cut) | (_overlaps(rows, chosen, likeness) >= likeness.overlap_cut)
    same_fact = np.isin(facts.cluster[rows], facts.cluster[chosen])
    return same_fact | alike.any(axis=1), cosine.max(axis=1, initial=0.0)


def blocked_by(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness, facts: Facts) -> np.ndarray:
    """For each of `rows`, whether it states a chosen sentence's fact or is too alike to one."""
    return _blocked_and_nearest(rows, chosen, likeness, facts)[0]


def _centrality_of(rows: np.ndarray, strength: np.ndarray, likeness: Likeness) -> np.ndarray:
    """LexRank among the CENTRALITY_POOL candidates of greatest relevance × quality (ties in reading
    order); the rest score 0 (candidate pruning: they could not have been chosen on relevance anyway)."""
    out = np.zeros(len(rows))
    if not len(rows):
        return out
    top = np.lexsort((rows, -strength))[:CENTRALITY_POOL]
    out[top] = lexrank(likeness.similarity(rows[top].tolist()))
    return out


def keeps_its_theme_covered(pool: Sequence[Candidate], likeness: Likeness, facts: Facts,
                            relevance_ratio: float = 0.0) -> Callable[[Candidate, list[int]], bool]:
    """A test that taking a candidate still leaves its theme a sentence of its own to show, one
    relevant enough to pass the section's relevance floor."""
    index = np.array([o.index for o in pool], dtype=np.int64)
    relevance = np.array([o.relevance for o in pool], dtype=float)
    theme_of = np.array([-1 if o.theme is None else o.theme for o in pool], dtype=np.int64)
    eligible: dict[int | None, np.ndarray] = {}
    for theme in np.unique(theme_of).tolist():
        mine = theme_of == theme
        best = max(0.0, float(relevance[mine].max()))
        eligible[None if theme < 0 else theme] = index[mine & (relevance >= relevance_ratio * best)]

    def allowed(c: Candidate, chosen: list[int]) -> bool:
        taken = chosen + [c.index]
        rows = eligible[c.theme]
        rows = rows[~np.isin(rows, taken)]
        return bool(len(rows)) and bool((~blocked_by(rows, taken, likeness, facts)).any())
    return allowed


def words_in(c: Candidate) -> int:
    return len(c.sentence.text.split())


def mmr_select(pool: Sequence[Candidate], k: int, chosen: list[int], likeness: Likeness,
               facts: Facts, allowed: Callable[[Candidate, list[int]], bool] | None = None,
               budget: int | None = None, words: np.ndarray | None = None) -> list[Candidate]:
    """Up to k candidates by score, each marked down by its likeness to anything already chosen;
    one that states a chosen sentence's fact, or is too alike to it, is never taken. With a word
    budget, the first pick always fits and later ones only if the total stays within it.
    Each round is a few array operations over the pool, whatever its size. `words` (every sentence's
    word count, by index, as `words_in` counts it) spares splitting each candidate's text."""
    remaining = sorted(pool, key=lambda c: -c.score)
    if not remaining or k <= 0:
        return []
    rows = np.array([c.index for c in remaining], dtype=np.int64)
    score = np.array([c.score for c in remaining])
    words = words[rows] if words is not None else np.array([words_in(c) for c in remaining])
    position = np.arange(len(remaining))
    blocked, nearest = _blocked_and_nearest(rows, chosen, likeness, facts)
    picked: list[Candidate] = []
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
        best = None
        for w in where[np.lexsort((position[where], -value))].tolist():
            if allowed is None or allowed(remaining[w], chosen):
                best = w
                break
        if best is None:
            break
        c = remaining[best]
        picked.append(c)
        used += int(words[best])
        chosen.append(c.index)
        blocked[best] = True
        now_blocked, now_nearest = _blocked_and_nearest(rows, [c.index], likeness, facts)
        blocked |= now_blocked
        np.maximum(nearest, now_nearest, out=nearest)
    return sorted(picked, key=lambda c: -c.score)


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
    blocked, nearest = _blocked_and_nearest(rows, before, likeness, facts)
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
    for j in facts.members[facts.cluster[c.index]]:
        other = sentences[j]
        if other.source not in seen and other.source not in facts.original:
            seen.add(other.source)
            cites.append(Citation(other.source, other.start, other.end))
    return tuple(cites)


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
    key judgments), and per theme the pool it chose from (scored for the theme) and its score floor."""

    key_judgments: tuple[Item, ...]
    sections: tuple[Section, ...]
    candidates: tuple[Candidate, ...]
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
    weight_of = np.array([(source_weights or {}).get(sentences[i].source, 1.0) for i in table.index.tolist()])
    centrality = _centrality_of(table.index, table.relevance * table.quality, likeness)
    parts = {"relevance": table.relevance, "centrality": centrality, "corroboration": table.corroboration,
             "lead": table.lead}
    cands = table.candidates(sentences, centrality,
                             table.quality * _weighted_sum(GLOBAL_WEIGHTS, parts) * weight_of)
    chosen: list[int] = []
    most = np.zeros(relevance.score.shape[1])
    np.maximum.at(most, table.theme, table.relevance)
    strong = [cands[k] for k in np.flatnonzero(
        table.relevance >= selection.min_relevance_ratio * most[table.theme]).tolist()]
    judgments = mmr_select(strong, selection.key_judgments, chosen, likeness, facts,
                           keeps_its_theme_covered(strong, likeness, facts, selection.min_relevance_ratio),
                           words=features.words)
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
    return Selected(judgment_items, tuple(sections), tuple(cands), tuple(pools), tuple(floors),
                    tuple(c.index for c in judgments), tuple(relevance_floors), tuple(alone))
