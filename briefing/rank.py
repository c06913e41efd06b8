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


def candidates_of(sentences: Sequence[Sentence], relevance: Relevance, facts: Facts,
                  selection: Selection, features: Features | None = None) -> list[Candidate]:
    """The sentences fit to quote that clearly belong to a theme, each with the theme it fits best.
    Worked out on arrays: only the sentences that qualify become Candidates."""
    n = len(sentences)
    if n == 0 or not relevance.score.shape[1]:
        return []
    features = features if features is not None else features_of([s.text for s in sentences], Lexicon())
    if len(facts.copied) == n:
        copies = facts.copied
    else:
        copies = np.fromiter((s.source in facts.original for s in sentences), dtype=bool, count=n) \
            if facts.original else np.zeros(n, dtype=bool)
    quotable = ~copies & features.shaped & (features.words >= selection.min_words) & \
        (features.words <= selection.max_words)
    strength = relevance.strength
    best = np.argmax(strength, axis=1)
    rows = np.arange(n)
    rel = relevance.score[rows, best]
    second = np.sort(strength, axis=1)[:, -2] if strength.shape[1] > 1 else np.zeros(n)
    ambiguous = (second > 0) & (strength[rows, best] < selection.theme_margin * second)
    quality = features.quality * np.where(ambiguous, AMBIGUOUS, 1.0)
    out = []
    for i in np.flatnonzero(quotable & (rel >= selection.min_relevance)).tolist():
        s = sentences[i]
        support = int(facts.support[i]) if len(facts.support) else len(facts.independent_sources(i, sentences))
        out.append(Candidate(i, s, int(best[i]), float(rel[i]), float(quality[i]), float(features.informativeness[i]),
                             min(1.0, (support - 1) / 2), support, max(0.0, 1.0 - s.index / LEAD_SENTENCES),
                             bool(ambiguous[i])))
    return out


def _centrality(cands: Sequence[Candidate], likeness: Likeness) -> None:
    """LexRank among the candidates; in a large pool, among the CENTRALITY_POOL most relevant only
    (candidate pruning: the rest score 0, and could not have been chosen on relevance anyway)."""
    if not cands:
        return
    ranked = sorted(cands, key=lambda c: (-c.relevance * c.quality, c.index))
    ranked, rest = ranked[:CENTRALITY_POOL], ranked[CENTRALITY_POOL:]
    ranks = lexrank(likeness.similarity([c.index for c in ranked]))
    for c, r in zip(ranked, ranks):
        c.centrality = float(r)
    for c in rest:
        c.centrality = 0.0


def blocked_by(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness, facts: Facts) -> np.ndarray:
    """For each of `rows`, whether it states a chosen sentence's fact or is too alike to one."""
    if not len(chosen):
        return np.zeros(len(rows), dtype=bool)
    clusters = facts.cluster[np.asarray(chosen, dtype=np.int64)]
    return np.isin(facts.cluster[rows], clusters) | likeness.alike_to_any(rows, chosen)


def _centrality_of(rows: np.ndarray, strength: np.ndarray, likeness: Likeness) -> np.ndarray:
    """As _centrality, on arrays: LexRank among the CENTRALITY_POOL candidates of greatest
    relevance × quality (ties in reading order); the rest score 0."""
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
    best: dict[int | None, float] = {}
    for o in pool:
        best[o.theme] = max(best.get(o.theme, 0.0), o.relevance)
    eligible: dict[int | None, np.ndarray] = {}
    for theme in best:
        eligible[theme] = np.array([o.index for o in pool if o.theme == theme
                                    and o.relevance >= relevance_ratio * best[theme]], dtype=np.int64)

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
               budget: int | None = None) -> list[Candidate]:
    """Up to k candidates by score, each marked down by its likeness to anything already chosen;
    one that states a chosen sentence's fact, or is too alike to it, is never taken. With a word
    budget, the first pick always fits and later ones only if the total stays within it.
    Each round is a few array operations over the pool, whatever its size."""
    remaining = sorted(pool, key=lambda c: -c.score)
    if not remaining or k <= 0:
        return []
    rows = np.array([c.index for c in remaining], dtype=np.int64)
    score = np.array([c.score for c in remaining])
    words = np.array([words_in(c) for c in remaining])
    position = np.arange(len(remaining))
    blocked = blocked_by(rows, chosen, likeness, facts)
    nearest = likeness.nearest(rows, chosen)
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
        blocked |= blocked_by(rows, [c.index], likeness, facts)
        np.maximum(nearest, likeness.nearest(rows, [c.index]), out=nearest)
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
        return c.score * (1.0 - REDUNDANCY * max((likeness.cosine(c.index, j) for j in against), default=0.0))

    by_index = {c.index: c for c in picked}
    filled = sum(worth(by_index[i], chosen[:n]) for n, i in enumerate(chosen) if n >= len(before))
    fits = [c for c in pool if words_in(c) <= budget]
    rows = np.array([c.index for c in fits], dtype=np.int64)
    free = ~blocked_by(rows, before, likeness, facts)
    worths = np.array([c.score for c in fits]) * (1.0 - REDUNDANCY * likeness.nearest(rows, before))
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
    for j in first_of_each_source(facts.members[facts.cluster[c.index]], sentences):
        other = sentences[j]
        if other.source not in seen and other.source not in facts.original:
            seen.add(other.source)
            cites.append(Citation(other.source, other.start, other.end))
    return tuple(cites)


def first_of_each_source(rows: list[int], sentences: Sequence[Sentence]) -> list[int]:
    """Of the given sentences (in order), the first of each source: a fact a syndicated corpus
    repeats thousands of times is cited from a few dozen sources, not its every sentence."""
    source_index = getattr(sentences, "source_index", None)
    if source_index is None or len(rows) < 2:
        return rows
    _, first = np.unique(source_index[rows], return_index=True)
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
    cands = candidates_of(sentences, relevance, facts, selection, features)
    _centrality(cands, likeness)
    weight = {c.index: (source_weights or {}).get(c.sentence.source, 1.0) for c in cands}
    for c in cands:
        c.score = weighted(c, GLOBAL_WEIGHTS) * weight[c.index]
    chosen: list[int] = []
    most: dict[int, float] = {}
    for c in cands:
        if c.theme is not None:
            most[c.theme] = max(most.get(c.theme, 0.0), c.relevance)
    strong = [c for c in cands if c.theme is not None and c.relevance >= selection.min_relevance_ratio * most[c.theme]]
    judgments = mmr_select(strong, selection.key_judgments, chosen, likeness, facts,
                           keeps_its_theme_covered(strong, likeness, facts, selection.min_relevance_ratio))
    judgment_items = tuple(item_of(c, sentences, facts, themes[c.theme], judgment=True) for c in judgments)
    taken = {c.index for c in judgments}
    columns = {name: np.array([getattr(c, name) for c in cands], dtype=float)
               for name in ("relevance", "quality", "informativeness", "corroboration")}
    theme_of = np.array([c.theme for c in cands], dtype=np.int64)
    index_of = np.array([c.index for c in cands], dtype=np.int64)
    weight_of = np.array([weight[c.index] for c in cands])
    open_ = ~np.isin(index_of, list(taken))
    sections, pools, floors, relevance_floors, alone = [], [], [], [], []
    for t, theme in enumerate(themes):
        at = np.flatnonzero((theme_of == t) & open_)
        rel, quality = columns["relevance"][at], columns["quality"][at]
        centrality = _centrality_of(index_of[at], rel * quality, likeness)
        parts = {"relevance": rel, "centrality": centrality, "corroboration": columns["corroboration"][at],
                 "informativeness": columns["informativeness"][at]}
        total = np.zeros(len(at))
        for name, w in WEIGHTS.items():
            total = total + w * parts[name]
        score = quality * total * weight_of[at]
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
