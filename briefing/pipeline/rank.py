"""Scoring and selection of the sentences that make the brief.

Each sentence goes to the theme it fits best (relevance on each theme's own scale), and to its second
too when it fits that almost as well; it is quoted once. Within a theme a
candidate is scored for relevance, centrality among the theme's sentences (LexRank biased towards the
theme, Otterbacher et al. 2005), corroboration by independent sources and informativeness, times a
quality factor that marks down sentences that cannot stand alone. Each section is then the best fill
of its word budget, found exactly (a small integer programme per theme): the most value, where longer
sentences carry more, no two sentences that state the same fact, and a cost for partial overlap.
Key judgments are the strongest, best corroborated items of the sections, one per theme while there
are themes enough; the sections are filled again around them. Every candidate looked at carries
its verdict, which `briefing explain` prints.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from briefing.config import Selection, Standalone, Theme
from briefing.model import Citation, Item, Section, Sentence
from briefing.nlp import Lexicon
from briefing.pipeline.dedupe import Claims, Facts
from briefing.pipeline.features import (
    BACK_POINTERS,
    CLOSING_QUOTE,
    DEFAULT_STANDALONE,
    MARKS,
    NAMES_BY_PRONOUN,
    UNNAMED_SPEAKER,
    Features,
    features_of,
    informativeness_of,
    length_problem,
    marks_of,
    shape_problem,
    standalone_factor,
    standalone_factors,
)
from briefing.pipeline.segment import SentenceTable
from briefing.pipeline.themes import Relevance, ThemeMatcher, in_plain_words
from briefing.similarity import Likeness, lexrank

__all__ = ["Candidate", "Selected", "informativeness_of", "no_candidate_verdict", "select", "standalone_factor",
           "whole_sentence_problem"]

POOL_CHUNK = 100  # candidates scanned at once for the pool
NO_THEME = -1


def whole_sentence_problem(text: str, selection: Selection) -> str | None:
    """Why the text is not a whole sentence fit to quote alone, or None."""
    return length_problem(len(text.split()), selection.min_words, selection.max_words) or shape_problem(text)


def no_candidate_verdict(sentence: Sentence, facts: Facts, selection: Selection) -> str:
    """Why a sentence relevant enough to a theme was no candidate of any: it is a republication's, or
    not a whole sentence fit to quote alone, or else (below `min_relevance` for its best theme) it was
    never clearly about one."""
    copy_of = facts.original.get(sentence.source)
    if copy_of:
        return f"from {sentence.source}, a republication of {copy_of}"
    problem = whole_sentence_problem(sentence.text, selection)
    return f"cannot be quoted alone: {problem}" if problem else "not a candidate"


@dataclass
class Candidate:
    index: int
    sentence: Sentence
    theme: int
    relevance: float
    quality: float
    informativeness: float
    corroboration: float
    support: int
    lead: float
    ambiguous: bool = False
    centrality: float = 0.0
    score: float = 0.0
    reason: str | Callable[[], str] = ""
    """Why it was chosen or not (set by selection for every candidate of a theme's pool): the words, or
    what works them out when asked (a runner-up's best fill with it, which only `explain` needs)."""
    joined: int | None = None
    """The first of the sentences before it quoted with it as one item: it points back to them, and they
    are no candidates of their own (`sentence` then spans them all)."""
    standalone: Standalone = DEFAULT_STANDALONE
    """The factors by which `quality` marks it down (`selection.standalone`)."""
    marks: int | None = None
    """Its marks (`features.marks_of`, with those of its context), when known."""

    @property
    def verdict(self) -> str:
        """Why it was chosen or not, in words, with the numbers: what `explain` prints."""
        if callable(self.reason):
            self.reason = self.reason()
        return self.reason

    @cached_property
    def notes(self) -> list[str]:
        """Why the candidate is marked down (worked out only when someone asks: explain does)."""
        reasons = standalone_factor(self.sentence.text, self.standalone, self.marks)[1]
        return reasons + (["fits another theme almost as well"] if self.ambiguous else [])

    def parts(self) -> dict[str, float]:
        return {"relevance": self.relevance, "centrality": self.centrality, "corroboration": self.corroboration,
                "informativeness": self.informativeness, "lead": self.lead, "quality": self.quality}


@dataclass(frozen=True)
class _Table:
    """The candidates as arrays, in reading order: what their `Candidate`s hold, field by field."""

    index: np.ndarray
    sentences: SentenceTable
    source: list[str]
    theme: np.ndarray
    relevance: np.ndarray
    quality: np.ndarray
    informativeness: np.ndarray
    corroboration: np.ndarray
    support: np.ndarray
    lead: np.ndarray
    ambiguous: np.ndarray
    standalone: Standalone = DEFAULT_STANDALONE
    marks: np.ndarray | None = None
    """Each candidate's marks (`features.marks_of`, with those of its context)."""

    @classmethod
    def empty(cls, sentences: SentenceTable) -> _Table:
        none, real = np.zeros(0, dtype=np.int64), np.zeros(0)
        return cls(none, sentences, [], none, real, real, real, real, none, real, np.zeros(0, dtype=bool))

    def candidate(self, k: int, centrality: np.ndarray | None = None, score: np.ndarray | None = None) -> Candidate:
        return Candidate(int(self.index[k]), self.sentences[int(self.index[k])], int(self.theme[k]),
                         float(self.relevance[k]), float(self.quality[k]), float(self.informativeness[k]),
                         float(self.corroboration[k]),
                         int(self.support[k]), float(self.lead[k]), bool(self.ambiguous[k]),
                         0.0 if centrality is None else float(centrality[k]),
                         0.0 if score is None else float(score[k]), standalone=self.standalone,
                         marks=None if self.marks is None else int(self.marks[k]))


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


def _table_of(sentences: SentenceTable, relevance: Relevance, facts: Facts, selection: Selection,
              features: Features) -> _Table:
    """The sentences fit to quote that clearly belong to a theme, each with the theme it fits best
    (the highest relevance on the themes' own scales), worked out on arrays for all sentences at once
    (a republication's sentences are never candidates). A sentence whose fit to its second theme is
    within `second_theme_fit` of its best is a candidate of that theme too (a row of its own): which
    of two themes a near tie goes to is no sure thing, and the sentence is quoted once, under the
    first section that chooses it."""
    n = len(sentences)
    if n == 0 or not relevance.score.shape[1]:
        return _Table.empty(sentences)
    quotable = features.shaped & (features.words >= selection.min_words) & (features.words <= selection.max_words)
    fit = relevance.strength
    ranked = np.argsort(-fit, axis=1, kind="stable")
    best = ranked[:, 0]
    rows = np.arange(n)
    second_theme = ranked[:, 1] if fit.shape[1] > 1 else best
    second = fit[rows, second_theme] if fit.shape[1] > 1 else np.zeros(n)
    ambiguous = (second > 0) & (fit[rows, best] < selection.theme_margin * second)
    quality = standalone_factors(features.marks, selection.standalone) \
        * np.where(ambiguous, selection.ambiguous_factor, 1.0)
    usable = quotable & ~facts.copied
    at = np.flatnonzero(usable & (relevance.score[rows, best] >= selection.min_relevance))
    theme = best[at]
    if selection.second_theme_fit is not None and fit.shape[1] > 1:
        also = np.flatnonzero(usable & (second > 0) & (second >= selection.second_theme_fit * fit[rows, best])
                              & (relevance.score[rows, second_theme] >= selection.min_relevance))
        at, theme = np.r_[at, also], np.r_[theme, second_theme[also]]
        order = np.lexsort((theme, at))  # reading order, a sentence's two rows side by side
        at, theme = at[order], theme[order]
    source, place = _where(sentences, at)
    support = facts.support[at].astype(np.int64)
    reported = facts.reporting[at].astype(np.int64)  # how much the corpus says of it, agreeing or not
    informativeness = informativeness_of(features.names[at], features.figures[at], selection.informative_at,
                                         selection.figure_weight)
    return _Table(at, sentences, source, theme, relevance.score[at, theme], quality[at], informativeness,
                  np.minimum(1.0, (reported - 1) / (selection.corroborated_at - 1)), support,
                  np.maximum(0.0, 1.0 - place / selection.lead_sentences),
                  ambiguous[at], selection.standalone, features.marks[at])


def _where(sentences: SentenceTable, rows: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Each row's source id and its place in that source."""
    k = sentences.source_index[rows]
    return [sentences.sources[j].id for j in k.tolist()], rows - sentences.start[k]


def _weighted_sum(weights: Mapping[str, float], parts: Mapping[str, np.ndarray]) -> np.ndarray:
    total = np.zeros(len(next(iter(parts.values()))))
    for name, w in weights.items():
        total = total + w * parts[name]
    return total


@dataclass(frozen=True)
class Alike:
    """How alike some sentences are to others: TF-IDF cosine, and the share of the shorter one's
    content (IDF-weighted) that the other repeats, rows × columns. Selection reads it for what is too
    alike to quote twice: two sentences that differ in a figure or a "not" only read as one to a
    reader of a short section (the one quoted names the other's source as disputing it), though
    they are two facts to corroboration (`dedupe.Claims`). Two sentences close only in the words that
    name who they say is speaking (`dedupe.Speakers`: one spokesman on two subjects) are not alike.
    `repeated` is the share of one's main clause that the other repeats (`Likeness.main_repeated`), which
    the cost of a partial overlap reads beside the cosine."""

    cosine: np.ndarray
    overlap: np.ndarray
    rows: np.ndarray | None = None
    columns: np.ndarray | None = None
    claims: Claims | None = None
    repeated: np.ndarray | None = None

    @classmethod
    def of(cls, rows: np.ndarray, columns: np.ndarray, likeness: Likeness, claims: Claims | None = None,
           main: bool = False) -> Alike:
        """`main`: with `repeated` (else it is left out, and `partly` reads the cosine alone)."""
        rows, columns = np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)
        if not len(rows) or not len(columns):
            empty = np.zeros((len(rows), len(columns)))
            return cls(empty, empty)
        cosine = (likeness.vectors[rows] @ likeness.vectors[columns].T).toarray()
        mine, theirs = likeness.weights[rows], likeness.weights[columns]
        smaller = np.minimum(np.asarray(mine.sum(axis=1)), np.asarray(theirs.sum(axis=1)).T)
        present = theirs.copy()
        present.data[:] = 1.0
        shared = (mine @ present.T).toarray()
        return cls(cosine, np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0),
                   rows, columns, claims, likeness.main_repeated(rows, columns, mine, theirs) if main else None)

    def partly(self, selection: Selection) -> np.ndarray:
        """How alike each pair is, as the cost of a partial overlap reads it: the larger of the cosine
        and `main_clause_weight` × the share of one's main clause the other repeats."""
        if self.repeated is None:
            return self.cosine
        return np.maximum(self.cosine, selection.main_clause_weight * self.repeated)

    def same_fact(self, selection: Selection) -> np.ndarray:
        """Where a row states what a column states, or its contrary in the same words: close in
        TF-IDF, or most of the shorter one's content repeated, and not only in who they say speaks."""
        close = (self.cosine >= selection.same_fact_similarity) | (self.overlap >= selection.same_fact_overlap)
        if self.claims is not None and self.rows is not None and self.columns is not None and close.any():
            r, c = np.nonzero(close)
            i, j = self.rows[r], self.columns[c]
            spoken = (i != j) & ~self.claims.claimed_alike(np.stack([i, j], axis=1), selection.same_fact_similarity)
            close[r[spoken], c[spoken]] = False
        return close


def blocked_by(rows: np.ndarray, chosen: Sequence[int], likeness: Likeness, facts: Facts,
               selection: Selection | None = None) -> np.ndarray:
    """For each of `rows`, whether it states what a chosen sentence states (a same-fact pair, or the
    selection's same-fact test on the two)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(chosen) or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    selection = selection or Selection()
    columns = np.asarray(chosen, dtype=np.int64)
    paired = np.asarray(facts.alike[rows][:, columns].sum(axis=1)).ravel() > 0
    return paired | Alike.of(rows, columns, likeness, facts.claims).same_fact(selection).any(axis=1)


def _centrality_of(rows: np.ndarray, relevance: np.ndarray, likeness: Likeness, bias: float,
                   pool: int) -> np.ndarray:
    """Topic-sensitive LexRank among the `pool` most relevant candidates (ties in reading
    order), the walk jumping `bias` of the time to a sentence in proportion to its relevance; the
    rest score 0 (they could not have been chosen on relevance anyway)."""
    out = np.zeros(len(rows))
    if not len(rows):
        return out
    top = np.lexsort((rows, -relevance))[:pool]
    out[top] = lexrank(likeness.similarity(rows[top].tolist()), bias=relevance[top], bias_share=bias)
    return out


def words_in(c: Candidate) -> int:
    return len(c.sentence.text.split())


@dataclass(frozen=True)
class Fill:
    """A section's best fill of its budget: the positions (in its pool) chosen, and its worth."""

    chosen: list[int]
    worth: float


def value_of(score: np.ndarray, words: np.ndarray, selection: Selection) -> np.ndarray:
    """What a sentence adds to its section: its score, times its length relative to a typical
    sentence to the power 1 - length_cost (1: value per word alone; 0: length is free)."""
    return score * (np.maximum(words, 1) / selection.typical_words) ** (1.0 - selection.length_cost)


def best_fill(value: np.ndarray, words: np.ndarray, conflict: np.ndarray, overlap: np.ndarray,
              budget: int, most: int, forced: int | None = None,
              needs: Sequence[tuple[int, int]] = (), covers: Sequence[Sequence[int]] = (),
              concept_value: np.ndarray | None = None) -> Fill:
    """The subset of the pool worth the most within `budget` words and `most` items, with no two
    in conflict (the same fact), each overlapping pair costing overlap[i, j] (an integer programme,
    solved exactly: the pool is small). `forced`: a position that must be in it; `needs`: pairs
    (a, b) where a may be chosen only with b (a sentence that points back, and the one it points to);
    `covers[i]`: the concepts position i states, each worth concept_value[c] once, however many state
    it (Gillick & Favre's concept coverage)."""
    n = len(value)
    fits = words <= budget
    if forced is not None and not fits[forced]:
        return Fill([], 0.0)
    if n == 0 or not fits.any():
        return Fill([], 0.0)
    i, j = np.nonzero(np.triu(overlap > 0, 1) & fits[:, None] & fits[None, :] & ~conflict)
    ci, cj = np.nonzero(np.triu(conflict, 1) & fits[:, None] & fits[None, :])
    m = len(i)
    concepts = concept_value if concept_value is not None and len(concept_value) else np.zeros(0)
    q = len(concepts)
    cost = np.r_[-value, overlap[i, j], -concepts]
    rows = _Rows(n + m + q)
    rows.add(np.r_[words, np.zeros(m + q)][None, :], budget)  # the budget
    rows.add(np.r_[np.ones(n), np.zeros(m + q)][None, :], most)  # the number of items
    rows.pairs(ci, cj, 1.0, 1.0, 1.0)  # x_i + x_j <= 1: never two that state the same fact
    if needs:  # x_a <= x_b
        rows.pairs(np.array([p[0] for p in needs]), np.array([p[1] for p in needs]), 1.0, -1.0, 0.0)
    if m:  # y_ij >= x_i + x_j - 1
        k = np.arange(m)
        rows.add(sparse.csr_matrix((np.r_[np.ones(m), np.ones(m), -np.ones(m)], (np.r_[k, k, k], np.r_[i, j, n + k])),
                                   shape=(m, n + m + q)), 1.0)
    if q:  # z_c <= the sum of x_i over the sentences that state c
        owner = [(c, k) for k, cs in enumerate(covers) for c in cs]
        cs, ks = np.array([o[0] for o in owner], dtype=np.int64), np.array([o[1] for o in owner], dtype=np.int64)
        rows.add(sparse.csr_matrix((np.r_[np.ones(q), -np.ones(len(cs))],
                                    (np.r_[np.arange(q), cs], np.r_[n + m + np.arange(q), ks])),
                                   shape=(q, n + m + q)), 0.0)
    low = np.zeros(n + m + q)
    high = np.r_[fits.astype(float), np.ones(m + q)]
    if forced is not None:
        low[forced] = 1.0
    with _native_output_silenced():
        result = milp(cost, integrality=np.r_[np.ones(n), np.zeros(m + q)], bounds=Bounds(low, high),
                      constraints=rows.constraint(), options={"time_limit": 10.0})
    if result.x is None:
        return Fill([], 0.0)
    chosen = np.flatnonzero(result.x[:n] > 0.5).tolist()
    return Fill(chosen, float(-result.fun))


class _Rows:
    """An integer programme's constraints, each at most a bound, gathered row block by row block."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.rows: list[sparse.spmatrix] = []
        self.upper: list[np.ndarray] = []

    def add(self, block: np.ndarray | sparse.spmatrix, bound: float) -> None:
        block = sparse.csr_matrix(block)
        self.rows.append(block)
        self.upper.append(np.full(block.shape[0], float(bound)))

    def pairs(self, a: np.ndarray, b: np.ndarray, on_a: float, on_b: float, bound: float) -> None:
        """One row per pair: on_a·x_a + on_b·x_b <= bound."""
        if not len(a):
            return
        k = np.arange(len(a))
        self.add(sparse.csr_matrix((np.r_[np.full(len(a), on_a), np.full(len(a), on_b)], (np.r_[k, k], np.r_[a, b])),
                                   shape=(len(a), self.size)), bound)

    def constraint(self) -> LinearConstraint:
        upper = np.concatenate(self.upper)
        return LinearConstraint(sparse.vstack(self.rows).tocsr(), np.full(len(upper), -np.inf), upper)


@contextmanager
def _native_output_silenced() -> Iterator[None]:
    """Standard output and error closed to native code for a while: the HiGHS solver scipy bundles
    prints debugging lines of its own from C, which no setting turns off and which would land in
    the middle of a build's output."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = []
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        for fd in (1, 2):
            try:
                saved.append((fd, os.dup(fd)))
                os.dup2(devnull, fd)
            except OSError:
                continue
        yield
    finally:
        for fd, copy_of in saved:
            os.dup2(copy_of, fd)
            os.close(copy_of)
        os.close(devnull)


def citations_of(c: Candidate, sentences: SentenceTable, facts: Facts) -> tuple[Citation, ...]:
    """The candidate's own span first, then one span from each other independent source stating it."""
    primary = c.sentence
    return (Citation(primary.source, primary.start, primary.end),
            *_spans_from_other_sources(facts.stating(c.index), {primary.source}, sentences, facts))


def disputes_of(c: Candidate, sentences: SentenceTable, facts: Facts) -> tuple[Citation, ...]:
    """One span from each independent source, other than the candidate's own, that states the
    contrary of the candidate in close wording."""
    return _spans_from_other_sources(facts.disputing(c.index), {c.sentence.source}, sentences, facts)


def _spans_from_other_sources(rows: list[int], seen: set[str], sentences: SentenceTable,
                              facts: Facts) -> tuple[Citation, ...]:
    """A span of the first of the given sentences in each independent source not `seen` (a
    republication is never cited: its original is)."""
    cites = []
    seen = set(seen)
    for j in first_of_each_source(rows, sentences):
        source, start, end = sentences.span_of(j)
        if source not in seen and source not in facts.original:
            seen.add(source)
            cites.append(Citation(source, start, end))
    return tuple(cites)


def first_of_each_source(rows: list[int], sentences: SentenceTable) -> list[int]:
    """Of the given sentences (in order), the first of each source: a fact a syndicated corpus
    repeats thousands of times is cited from a few dozen sources, not its every sentence."""
    if len(rows) < 2:
        return rows
    _, first = np.unique(sentences.source_index[rows], return_index=True)
    return [rows[k] for k in np.sort(first).tolist()]


CONFIDENCE = ((3, "high"), (2, "moderate"), (1, "low"))


def confidence_of(support: int) -> str:
    """A key judgment's confidence follows from how many independent sources state it:
    three or more high, two moderate, one low."""
    return next(label for least, label in CONFIDENCE if support >= least)


def item_of(c: Candidate, sentences: SentenceTable, facts: Facts, theme: Theme | None,
            judgment: bool = False) -> Item:
    support = facts.support_of(c.index)
    return Item(text=c.sentence.text, score=round(c.score, 4), citations=citations_of(c, sentences, facts),
                theme=theme.id if theme else None, support=support, parts=c.parts(),
                confidence=confidence_of(support) if judgment else None,
                disputed_by=disputes_of(c, sentences, facts))


@dataclass(frozen=True)
class Selected:
    """The brief's items, and what `briefing explain` needs to say why: every candidate (scored for
    key judgments; each made when first looked at), and per theme the pool it chose from, each
    candidate of it with its verdict, and the theme's floors."""

    key_judgments: tuple[Item, ...]
    sections: tuple[Section, ...]
    candidates: Sequence[Candidate]
    pools: tuple[tuple[Candidate, ...], ...] = ()
    floors: tuple[float, ...] = ()
    judgment_indices: tuple[int, ...] = ()
    chosen: tuple[tuple[int, ...], ...] = ()
    """Per theme, the sentence indices of its section's items, in order."""


@dataclass
class _Theme:
    """One theme's candidates while a brief is chosen: positions in the table, scores, and its pool."""

    at: np.ndarray
    score: np.ndarray
    centrality: np.ndarray
    floor: float
    relevance_floor: float
    pool: list[Candidate]
    concepts: dict[int, float]
    """Word pairs the theme's best candidates share across independent sources, with their worth."""
    order: np.ndarray
    """Positions in `at`, best score first."""
    made: Callable[[int], Candidate]
    """The Candidate of a position in `at`, scored for the theme (a new copy each time)."""
    aspects: ThemeMatcher[int] | None = None
    """The theme's own keywords and aliases over stem ids, each labelled with its keyword: the things
    the theme asks about, each worth `keyword_coverage` once in a section."""
    about: np.ndarray | None = None
    """Per sentence of the corpus, whether it is about the theme at all (relevance above 0): a sentence
    quoted before one whose demonstrative ("these charges") points back to it must be."""
    judged: tuple[int, ...] = ()
    """The sentences of the key judgments filed under the theme: a reader reads them under it, so what
    they state (keywords, shared word pairs) is worth nothing more to its section."""


def score_weights_for(theme: Theme | None, selection: Selection) -> dict[str, float]:
    """The parts of a candidate's score for `theme`, each as its share: `score_weights`, where a theme
    with keywords weighs relevance `keyword_relevance` times as much (the analyst's keywords say what
    it is about more surely than a plain title and description say it)."""
    weights = selection.score_weights.model_dump()
    if theme is not None and not in_plain_words(theme):
        weights["relevance"] *= selection.keyword_relevance
    total = sum(weights.values())
    return {name: w / total for name, w in weights.items()} if total > 0 else selection.score_weights.normalised()


def _theme_candidates(t: int, table: _Table, cands: _Candidates, weight_of: np.ndarray, likeness: Likeness,
                      selection: Selection, features: Features | None = None, facts: Facts | None = None,
                      theme: Theme | None = None) -> _Theme:
    """Theme t's candidates scored for it, and its pool: those above its floors, best first."""
    at = np.flatnonzero(table.theme == t)
    rel, quality = table.relevance[at], table.quality[at]
    centrality = _centrality_of(table.index[at], rel * quality, likeness, selection.centrality_bias,
                                selection.centrality_pool)
    if len(at) and centrality.max() > 0:
        centrality = centrality / centrality.max()
    parts = {"relevance": rel, "centrality": centrality, "corroboration": table.corroboration[at],
             "informativeness": table.informativeness[at]}
    score = quality * _weighted_sum(score_weights_for(theme, selection), parts) * weight_of[at]
    top = np.sort(score)[::-1][:3]
    floor = selection.min_score_ratio * float(top.mean()) if len(top) else 0.0
    relevance_floor = selection.min_relevance_ratio
    order = np.argsort(-score, kind="stable")
    concepts: dict[int, float] = {}
    if selection.coverage and features is not None and facts is not None and len(at):
        concepts = _concepts_of(table.index[at[order[:selection.coverage_pool]]], features, facts)

    def made(k: int) -> Candidate:
        c = copy(cands[int(at[k])])
        c.centrality, c.score = float(centrality[k]), float(score[k])
        return c

    return _Theme(at, score, centrality, floor, relevance_floor, [], concepts, order, made)


def _pool_for(theme: _Theme, taken: list[int], likeness: Likeness, facts: Facts,
              selection: Selection) -> tuple[list[Candidate], set[int]]:
    """The candidates a section is chosen from, best first: scanned until `fill_candidates` of them are
    open (above the floors, stating nothing already taken, and no more than `wordings_per_fact` of one fact,
    so that a fact a large corpus repeats a thousand times does not fill the pool) or the score floor
    is passed. Returns them, and which of them are wordings over that number."""
    pool: list[Candidate] = []
    spare: set[int] = set()
    already = set(taken)
    open_rows: list[int] = []
    for first in range(0, len(theme.order), POOL_CHUNK):
        chunk = [theme.made(int(k)) for k in theme.order[first : first + POOL_CHUNK]]
        rows = np.array([c.index for c in chunk], dtype=np.int64)
        blocked = blocked_by(rows, taken, likeness, facts, selection)
        eligible = [not is_blocked and c.index not in already and c.relevance >= theme.relevance_floor
                    and c.score >= theme.floor for c, is_blocked in zip(chunk, blocked.tolist())]
        # Each eligible candidate against the open rows so far and the chunk's other eligible ones, at once.
        mine = rows[eligible]
        before = len(open_rows)
        against = np.r_[np.asarray(open_rows, dtype=np.int64), mine]
        same = Alike.of(mine, against, likeness, facts.claims).same_fact(selection)
        if len(mine) and len(against):
            same |= np.asarray(facts.alike[mine][:, against].todense()) > 0
        open_columns = list(range(before))
        e = -1
        for c, ok in zip(chunk, eligible):
            if c.index in already:
                continue
            pool.append(c)
            if not ok:
                continue
            e += 1
            if same[e, open_columns].sum() >= selection.wordings_per_fact:  # already that many wordings of its fact
                spare.add(len(pool) - 1)
                continue
            open_rows.append(c.index)
            open_columns.append(before + e)
        if len(open_rows) >= selection.fill_candidates or (chunk and chunk[-1].score < theme.floor):
            break
    return pool, spare


def _bigrams(i: int, features: Features) -> set[int]:
    terms = features.terms_of(i).astype(np.int64)
    return set((terms[:-1] * (1 << 32) + terms[1:]).tolist())


def _concepts_of(rows: np.ndarray, features: Features, facts: Facts) -> dict[int, float]:
    """The pairs of consecutive content words that at least two independent sources among these
    sentences use, each worth its number of such sources, relative to the most."""
    sources: dict[int, set[int]] = {}
    for i in rows.tolist():
        for gram in _bigrams(i, features):
            sources.setdefault(gram, set()).add(int(facts.folded[i]))
    counted = {gram: len(s) for gram, s in sources.items() if len(s) >= 2}
    most = max(counted.values(), default=1)
    return {gram: count / most for gram, count in counted.items()}


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


@dataclass
class _Section:
    """One section's fill problem: its pool, which positions of it are open to the best fill (and what
    shut the others out), and the fill's terms over the open ones (values, words, same-fact conflicts,
    overlap costs, pairs that go together, concepts)."""

    pool: list[Candidate]
    spare: set[int]
    antecedent: dict[int, int | None]
    alone: list[int]
    taken_rows: np.ndarray
    against: Alike
    repeats: np.ndarray
    open_: np.ndarray
    words: np.ndarray
    value: np.ndarray
    conflict: np.ndarray
    overlap: np.ndarray
    needs: list[tuple[int, int]]
    covers: list[list[int]]
    concept_value: np.ndarray | None
    concept_names: list[str | None] = field(default_factory=list)
    """Each concept's keyword, or None for a shared word pair."""

    def only_states(self, k: int, picked: list[int]) -> list[str]:
        """The theme's keywords that pool position k states and no other chosen item of the section does."""
        position = {int(p): n for n, p in enumerate(self.open_.tolist())}
        if k not in position or not self.concept_names:
            return []
        others = {c for p in picked if p != k and p in position for c in self.covers[position[p]]}
        return [name for c in self.covers[position[k]] if c not in others
                for name in [self.concept_names[c]] if name is not None]

    def fill(self, selection: Selection, forced: int | None = None) -> Fill:
        o = self.open_
        return best_fill(self.value[o], self.words[o], self.conflict, self.overlap, selection.words_per_theme,
                         selection.items_per_theme, forced=forced, needs=self.needs, covers=self.covers,
                         concept_value=self.concept_value)


def _section_of(theme: _Theme, taken: list[int], sentences: SentenceTable, likeness: Likeness,
                facts: Facts, selection: Selection, features: Features | None) -> _Section:
    """The section's fill problem: its pool; open, the candidates that pass the floors, state nothing
    already taken and are not pointers without the sentence they point to (with the sentences that
    go before them); and the terms of the fill over those."""
    pool, spare = _pool_for(theme, taken, likeness, facts, selection)
    pool = _with_antecedents(pool, theme, taken, sentences, likeness, facts, selection)
    antecedent = _antecedents(pool, sentences)
    theme.pool = pool
    rows = np.array([c.index for c in pool], dtype=np.int64)
    passing = np.array([c.score >= theme.floor and c.relevance >= theme.relevance_floor for c in pool], dtype=bool)
    passing[list(spare)] = False
    taken_rows = np.asarray(taken, dtype=np.int64)
    against = Alike.of(rows, taken_rows, likeness, facts.claims)
    repeats = against.same_fact(selection) if len(taken_rows) else np.zeros((len(rows), 0), dtype=bool)
    if len(taken_rows):
        repeats |= np.asarray(facts.alike[rows][:, taken_rows].todense(), dtype=bool)
    open_, alone = _open_positions(passing & ~repeats.any(axis=1), antecedent, selection.fill_candidates)
    words = np.array([words_in(c) for c in pool], dtype=np.int64)
    score = np.array([c.score for c in pool])
    for k in antecedent:  # read after the sentence it points back to, it stands as well as any
        if BACK_POINTERS.match(pool[k].sentence.text) and selection.standalone.points_back > 0:
            score[k] /= selection.standalone.points_back
        elif unattributed(pool[k]) and selection.standalone.unattributed_quote > 0:
            score[k] /= selection.standalone.unattributed_quote
    value = value_of(score, words, selection)
    at = {int(k): p for p, k in enumerate(open_.tolist())}
    needs = [(at[k], at[a]) for k, a in antecedent.items() if k in at and a in at]
    conflict, overlap = _terms_among(rows[open_], value[open_], likeness, facts, selection)
    covers, concept_value, names = _coverage(theme, rows[open_], features, selection)
    return _Section(pool, spare, antecedent, alone, taken_rows, against, repeats, open_, words, value,
                    conflict, overlap, needs, covers, concept_value, names)


def _open_positions(free: np.ndarray, antecedent: dict[int, int | None],
                    limit: int) -> tuple[np.ndarray, list[int]]:
    """The positions the best fill chooses among: the first `limit` free candidates, less those that
    point back to a sentence not among them (returned apart: never quoted alone)."""
    open_ = np.flatnonzero(free)[:limit]
    alone = [k for k in antecedent if antecedent[k] is None or antecedent[k] not in open_]
    return open_[~np.isin(open_, alone)], alone


def _terms_among(rows: np.ndarray, value: np.ndarray, likeness: Likeness, facts: Facts,
                 selection: Selection) -> tuple[np.ndarray, np.ndarray]:
    """Among the open candidates: which pairs state the same fact, and what each partly overlapping
    pair costs (how alike it is, `Alike.partly`, times the smaller value, times `redundancy`)."""
    among = Alike.of(rows, rows, likeness, facts.claims, main=True)
    conflict = among.same_fact(selection)
    if len(rows):
        conflict |= np.asarray(facts.alike[rows][:, rows].todense(), dtype=bool)
    np.fill_diagonal(conflict, False)
    smaller = np.minimum.outer(value, value)
    alike = among.partly(selection)
    overlap = np.where(alike >= selection.similar_from, selection.redundancy * alike * smaller, 0.0)
    return conflict, overlap


def _fill_section(theme: _Theme, taken: list[int], sentences: SentenceTable, likeness: Likeness,
                  facts: Facts, selection: Selection, features: Features | None = None) -> list[Candidate]:
    """The section's items: the best fill of its budget among its pool's candidates that pass its
    floors and state nothing already taken; every candidate of the pool gets its verdict."""
    section = _section_of(theme, taken, sentences, likeness, facts, selection, features)
    fill = section.fill(selection)
    picked = [int(section.open_[k]) for k in fill.chosen]
    for k, c in enumerate(section.pool):
        c.reason = _verdict(k, c, section, picked, fill, theme, sentences, selection, facts)
    return _in_reading_pairs(sorted((section.pool[k] for k in picked), key=lambda c: -c.score),
                             section.antecedent, section.pool)


def _verdict(k: int, c: Candidate, section: _Section, picked: list[int], fill: Fill, theme: _Theme,
             sentences: SentenceTable, selection: Selection, facts: Facts | None = None) -> str | Callable[[], str]:
    """Why the pool's candidate k was chosen or not; a runner-up's best fill with it is worked out
    only when asked."""
    if k in picked:
        alone = section.only_states(k, picked)
        return (f"chosen: value {section.value[k]:.3f} ({c.score:.3f} over {section.words[k]} words)"
                + (f"; the only item here to state {', '.join(alone)}" if alone else "")
                + ("" if c.joined is None else "; quoted with the sentence before it, which names its speaker"
                   if unattributed(c) and not points_back(c.sentence.text)
                   else "; quoted with the sentence before it, to which it points back"))
    if k in section.spare:
        return partial(_one_more_wording, k, c, section, facts, selection.wordings_per_fact)
    if k in section.alone:
        earlier = sentences[c.index - 1].text if c.index > 0 else ""
        if not points_back(c.sentence.text):
            return (f"a quotation whose speaker the sentence before it names («{_short(earlier, 8)}»), which is "
                    "not a candidate of this section: never quoted alone")
        return (f"points back to the sentence before it («{_short(earlier, 8)}»), which is not a candidate of "
                "this section: never quoted alone")
    used = int(section.words[picked].sum())
    return partial(_why_not, k, c, section, theme, fill, used, sentences, selection, facts)


def _coverage(theme: _Theme, rows: np.ndarray, features: Features | None,
              selection: Selection) -> tuple[list[list[int]], np.ndarray | None, list[str | None]]:
    """Which concepts each of the rows states (numbered), each concept's worth and its keyword (None for
    a word pair): the word pairs
    several sources share (`coverage`), and the theme's own keywords, an alias counting as its keyword
    (`keyword_coverage` × the keyword's weight relative to the heaviest), so that a section states the
    different things its theme asks about rather than one of them many times. What the key judgments
    filed under the theme state counts for nothing: the reader has read it under the theme already."""
    aspects = theme.aspects if selection.keyword_coverage else None
    if features is None or not (theme.concepts or aspects is not None):
        return [], None, []
    number: dict[int | str, int] = {}
    worth_of: dict[int | str, float] = {}
    heaviest = max((w for _, w in aspects.phrases), default=1.0) if aspects is not None else 1.0
    keyword_of = ({name: keyword for keyword, names in aspects.theme.aliases.items() for name in names}
                  if aspects is not None else {})

    def stated(i: int) -> dict[int | str, float]:
        found: dict[int | str, float] = {g: selection.coverage * theme.concepts[g]
                                         for g in _bigrams(i, features) if g in theme.concepts}
        if aspects is not None:
            for phrase, weight in aspects.hits(features.stems_of(i).tolist()).items():
                label = aspects.labels.get(phrase, str(phrase))
                keyword = keyword_of.get(label, label)
                found[keyword] = max(found.get(keyword, 0.0), selection.keyword_coverage * weight / heaviest)
        return found

    already = {concept for i in theme.judged for concept in stated(i)}
    covers = []
    for i in rows.tolist():
        row = []
        for concept, value in stated(i).items():
            if concept in already:
                continue
            worth_of[concept] = value
            row.append(number.setdefault(concept, len(number)))
        covers.append(sorted(row))
    worth = np.zeros(len(number))
    names: list[str | None] = [None] * len(number)
    for concept, k in number.items():
        worth[k] = worth_of[concept]
        names[k] = concept if isinstance(concept, str) else None
    return covers, worth, names


REFERS_BACK = re.compile(r"^(?:\S+\s+){0,8}?(?:these|those|such)\s+"
                         r"(?!days\b|years\b|months\b|weeks\b|times\b|as\b)[a-z]", re.IGNORECASE)
"""A sentence whose first words name something said before ("… rejected these charges"): it means
little without the sentence before it."""


FOLLOWS_SUIT = re.compile(r"\b(?:follow(?:s|ed|ing)?\s+suit|did\s+(?:the\s+same|likewise)"
                          r"|(?:do|does|done)\s+likewise)\b", re.IGNORECASE)
"""A sentence that says someone did what was said before ("other states have followed suit"): what
they did is in the sentence before it."""


def names_what_came_before(text: str) -> bool:
    """Whether what a sentence points back to is the sentence right before it: a personal pronoun or a
    comparison ("He had …", "A similar pledge …"), or others doing the same ("… have followed suit")."""
    return bool(NAMES_BY_PRONOUN.match(text) or FOLLOWS_SUIT.search(text))


def points_back(text: str) -> bool:
    return bool(BACK_POINTERS.match(text) or REFERS_BACK.match(text) or FOLLOWS_SUIT.search(text))


UNATTRIBUTED = 1 << next(k for k, mark in enumerate(MARKS) if mark.key == "unattributed_quote")


def unattributed(c: Candidate) -> bool:
    """Whether a candidate is a quotation without its speaker (the `unattributed_quote` mark)."""
    return bool((marks_of(c.sentence.text) if c.marks is None else c.marks) & UNATTRIBUTED)


def speaker_before(c: Candidate, sentences: SentenceTable) -> bool:
    """Whether a candidate is a quotation without its speaker that goes on from a quotation in the
    sentence right before it in its source, where the speaker is named: in “We have always respected
    … our partner,” Rahmon told Putin. “But we want to be respected too.”, the second sentence is
    Rahmon's words, and quoted alone nobody's."""
    before = c.index - 1
    return unattributed(c) and before >= 0 \
        and _source_of(sentences, before) == _source_of(sentences, c.index) \
        and any(mark in sentences[before].text for mark in CLOSING_QUOTE + '"')


SUMS_UP = re.compile(r"^all\s+(?:of\s+)?(?:this|these)\b", re.IGNORECASE)
"""A paragraph's opening that sums up what came before ("All this activity denotes …", "All these
events and trends betoken …"): what it points to is the paragraphs before as a whole, not one
sentence. ("These governments …" names particular ones, and still needs the sentence that names them.)"""


def sums_up(c: Candidate, sentences: SentenceTable) -> bool:
    """Whether a candidate opens its paragraph by summing up the paragraphs before (`SUMS_UP`): no one
    sentence can go with it, so it is quoted alone, marked down as a sentence that points back."""
    if not SUMS_UP.match(c.sentence.text):
        return False
    before = c.index - 1
    if before < 0 or _source_of(sentences, before) != _source_of(sentences, c.index):
        return True
    source = sentences.sources[_source_of(sentences, c.index)]
    return "\n\n" in source.text[sentences[before].end : c.sentence.start]


def leans_back(c: Candidate, sentences: SentenceTable) -> bool:
    """Whether a candidate needs the sentence before it to be read: it points back to it, or that
    sentence names who speaks its words (`speaker_before`); not one that sums up paragraphs (`sums_up`)."""
    if points_back(c.sentence.text):
        return not sums_up(c, sentences)
    return speaker_before(c, sentences)


def _antecedents(pool: list[Candidate], sentences: SentenceTable) -> dict[int, int | None]:
    """For each candidate that opens by pointing back ("He…", "These charges…") or is a quotation whose
    speaker the sentence before names, the position in the pool of the sentence before it in its
    source, or None when that one is not in the pool."""
    where = {c.index: k for k, c in enumerate(pool)}
    out: dict[int, int | None] = {}
    for k, c in enumerate(pool):
        if c.joined is None and leans_back(c, sentences):  # a joined item reads whole
            before = c.index - 1
            same = before >= 0 and _source_of(sentences, before) == _source_of(sentences, c.index)
            out[k] = where.get(before) if same else None
    return out


CONTEXT = 2
"""The most sentences quoted before one that points back: the one it points to, and the one before
that when it points back too ("But Tokayev refused to blink. He had a far more powerful guest … A
similar pledge was issued by …")."""


def _with_antecedents(pool: list[Candidate], theme: _Theme, taken: list[int], sentences: SentenceTable,
                      likeness: Likeness, facts: Facts, selection: Selection) -> list[Candidate]:
    """The pool, each candidate that points back to sentences outside it offered quoted together with
    them where it can be (`_context_of`): only those that could pass the theme's floors so read, the
    sentences before checked against what is taken all at once."""
    inside = {c.index for c in pool} | set(taken)
    wanted: dict[int, tuple[float, list[int]]] = {}
    for k, c in enumerate(pool):
        if c.joined is None and c.index - 1 not in inside and c.relevance >= theme.relevance_floor \
                and leans_back(c, sentences):
            alone = standalone_factor(c.sentence.text, selection.standalone, c.marks)[0]
            if alone > 0 and c.score / alone >= theme.floor:
                context = _context_of(c, theme, sentences, facts, selection)
                if context and not inside.intersection(context):
                    wanted[k] = (alone, context)
    rows = np.array([i for _, context in wanted.values() for i in context], dtype=np.int64)
    blocked = set(rows[blocked_by(rows, taken, likeness, facts, selection)].tolist()) if taken and len(rows) else set()
    out = list(pool)
    for k, (alone, context) in wanted.items():
        if not blocked.intersection(context):
            out[k] = _joined(pool[k], alone, context, sentences, selection.standalone)
    return out


def _context_of(c: Candidate, theme: _Theme, sentences: SentenceTable, facts: Facts,
                selection: Selection) -> list[int] | None:
    """The sentences before a candidate that points back which it must be quoted with (the one it points
    to, and the one before that if that one points back too: at most CONTEXT), earliest first; None when
    they cannot be quoted: another source's, a republication's, not whole sentences, apart from it in
    the source (text that cleaning left out lies between), pointing back further still, or the whole
    over `max_words`. A personal pronoun, a comparison or "followed suit" ("He had …", "A similar
    pledge …") names what the sentence before names; a demonstrative ("these charges") may reach
    further back, so the sentence before must then be about the theme too. A quotation whose speaker
    the sentence before names (`speaker_before`) is quoted with that sentence, and with the one before
    it too when that one names the speaker only as "he" ("“…,” he said.")."""
    context: list[int] = []
    words, start = words_in(c), c.sentence.start
    quoted = not points_back(c.sentence.text)
    near = quoted or names_what_came_before(c.sentence.text)
    text = sentences.sources[_source_of(sentences, c.index)].text
    for before in range(c.index - 1, c.index - 1 - CONTEXT, -1):
        if before < 0 or _source_of(sentences, before) != _source_of(sentences, c.index) or facts.copied[before]:
            return None
        if theme.about is not None and not theme.about[before] and not near:
            return None
        earlier = sentences[before]
        words += len(earlier.text.split())
        if shape_problem(earlier.text) or words > selection.max_words or text[earlier.end : start].strip():
            return None
        context.insert(0, before)
        start = earlier.start
        if quoted and UNNAMED_SPEAKER.search(earlier.text) and not points_back(earlier.text):
            quoted = False  # who "he" is, the sentence before that says
            continue
        if not points_back(earlier.text):
            return context
        quoted, near = False, names_what_came_before(earlier.text)
    return None


def _joined(c: Candidate, alone: float, context: list[int], sentences: SentenceTable,
            standalone: Standalone) -> Candidate:
    """A candidate that points back (`alone`: how well it reads alone) offered quoted together with the
    sentences before it that it needs (`context`) as one item ("Tajikistan is not just any ally. It's a
    poor nation … home to Moscow's largest overseas military base."), marked down only as the whole
    reads."""
    first = sentences[context[0]]
    source = sentences.sources[_source_of(sentences, c.index)]
    text = " ".join(source.text[first.start : c.sentence.end].split())
    together = standalone_factor(text, standalone)[0]
    pair = copy(c)
    pair.sentence = Sentence(c.sentence.source, first.start, c.sentence.end, text, first.index)
    pair.quality, pair.score = c.quality * together / alone, c.score * together / alone
    pair.joined = context[0]
    return pair


def quoted_rows(c: Candidate) -> list[int]:
    """The sentences an item quotes: its own, and those before it that it is quoted with."""
    return [c.index] if c.joined is None else list(range(c.joined, c.index + 1))


def _source_of(sentences: SentenceTable, i: int) -> int:
    return int(sentences.source_index[i])


def _in_reading_pairs(items: list[Candidate], antecedent: dict[int, int | None],
                      pool: list[Candidate]) -> list[Candidate]:
    """The items best first, each that points back right after the sentence it points to."""
    follows = {pool[a].index: pool[k] for k, a in antecedent.items() if a is not None}
    leaners = {pool[k].index for k in antecedent}
    chosen = {c.index for c in items}
    out: list[Candidate] = []
    for c in items:
        if c in out or (c.index in leaners and c.index - 1 in chosen):
            continue
        out.append(c)
        nxt = follows.get(c.index)
        while nxt is not None and nxt.index in chosen:
            out.append(nxt)
            nxt = follows.get(nxt.index)
    return out


def _one_more_wording(k: int, c: Candidate, section: _Section, facts: Facts | None, wordings: int) -> str:
    """A spare wording's verdict (worked out only for the runners-up someone asks about: a corpus that
    repeats a fact a thousand times has a thousand of them)."""
    relations = {facts.relation(c.index, p.index) for p in section.pool[:k]
                 if facts.alike[c.index, p.index]} if facts is not None else set()
    return (f"one more wording of a fact {wordings} better candidates already state"
            + (" (this one states its contrary)" if "contrary" in relations else
               " (worded as an allegation or a possibility in one, as fact in another)"
               if "alleged" in relations else
               " (this one states figures of another thing)" if "distinct" in relations else ""))


def _as_alike(i: int, j: int, facts: Facts | None) -> str:
    """How a runner-up i relates to a sentence j too alike to quote beside it: the same fact, its
    contrary in the same words (a denial, another figure, the opposite direction), the same words
    with one of them reporting an allegation, or figures of another thing ("stage 13", "stage 15")."""
    relation = facts.relation(i, j) if facts is not None else "same"
    if relation == "contrary":
        return "states the contrary, in the same words, of"
    if relation == "distinct":
        return "states figures of another thing, in the same words, than"
    if relation == "alleged":
        framing = facts.claims.claim(i)[3] if facts is not None and facts.claims is not None else 0
        other = facts.claims.claim(j)[3] if facts is not None and facts.claims is not None else 0
        if framing and other:
            return "reports as an allegation or a possibility what is worded otherwise in"
        return ("reports as an allegation or a possibility what is stated as fact in" if framing
                else "states as fact what is reported as an allegation or a possibility in")
    return "states the same fact as"


def _why_not(k: int, c: Candidate, section: _Section, theme: _Theme, fill: Fill, used: int,
             sentences: SentenceTable, selection: Selection, facts: Facts | None = None) -> str:
    """A runner-up's verdict, with the numbers (the best fill that must hold it is solved here, so it is
    worked out only for the runners-up someone asks about)."""
    repeats, pool, open_ = section.repeats, section.pool, section.open_
    if repeats.shape[1] and repeats[k].any():
        j = int(np.flatnonzero(repeats[k])[0])
        alike = section.against
        other = int(section.taken_rows[j])
        relation = _as_alike(c.index, other, facts)
        return (f"{relation} a chosen item («{_short(sentences[other].text)}»: "
                f"cosine {alike.cosine[k, j]:.2f}, {alike.overlap[k, j]:.0%} of the shorter one's content shared)"
                + ("; the item names its source as disputing it" if "contrary" in relation else ""))
    if c.relevance < theme.relevance_floor:
        return (f"relevance {c.relevance:.2f} is below the theme's floor {theme.relevance_floor:.2f} "
                f"(min_relevance_ratio × the theme's typical top sentences)")
    if c.score < theme.floor:
        return (f"score {c.score:.3f} is below the theme's floor {theme.floor:.3f} "
                f"(min_score_ratio × the mean of its three best)")
    if k not in open_:
        return f"not among the {selection.fill_candidates} best candidates the section is chosen from (fill_candidates)"
    if section.words[k] > selection.words_per_theme:
        return f"its {section.words[k]} words alone are over the budget of {selection.words_per_theme}"
    position = int(np.flatnonzero(open_ == k)[0])
    within = section.fill(selection, forced=position)
    displaced = [int(open_[p]) for p in fill.chosen if p not in within.chosen]
    detail = (f"; it would displace «{_short(pool[displaced[0]].sentence.text)}»" if displaced else "")
    if section.conflict[position].any():
        j = int(np.flatnonzero(section.conflict[position])[0])
        rival = pool[int(open_[j])]
        detail += f" (it {_as_alike(c.index, rival.index, facts)} «{_short(rival.sentence.text)}»)"
    elif fill.chosen and section.overlap[position, fill.chosen].max() > 0:
        costs = section.overlap[position, fill.chosen]
        rival = pool[int(open_[fill.chosen[int(np.argmax(costs))]])]
        detail += (f"; beside «{_short(rival.sentence.text)}», which it partly repeats, it would cost "
                   f"{costs.max():.3f}")
    full = (f"{len(fill.chosen)} of {selection.items_per_theme} items and "
            if len(fill.chosen) >= selection.items_per_theme else "")  # the limit that binds, when it is the items'
    return (f"not in the best fill of the budget: with it the section is worth {within.worth:.3f}, "
            f"without it {fill.worth:.3f} ({full}{used} of {selection.words_per_theme} words used){detail}")


def _judgments(sections: list[list[Candidate]], table: _Table, cands: _Candidates, selection: Selection,
               verdicts: dict[int, str]) -> list[Candidate]:
    """The key judgments: the strongest items of the sections by corroboration, centrality, relevance
    and lead, one per theme while there are themes enough, the remaining places to the strongest
    items left (a theme that dominates the brief gives more than one); items that do not read alone
    only when nothing else is left. A section always keeps an item of its own."""
    if selection.key_judgments == 0:
        return []
    strength = {c.index: c.quality * _weighted_sum(selection.judgment_weights.normalised(), {
        "relevance": np.array([c.relevance]), "centrality": np.array([c.centrality]),
        "corroboration": np.array([c.corroboration]), "lead": np.array([c.lead])})[0] for s in sections for c in s}

    def rank_key(c: Candidate) -> tuple[bool, float, int]:
        return (c.quality < selection.judgment_quality, -strength[c.index], c.index)

    # A section gives at most all but one of its items: key judgments never empty a theme.
    firsts = sorted((min(s, key=rank_key) for s in sections if len(s) > 1), key=rank_key)
    picked = firsts[: selection.key_judgments]
    left = {id(s): len(s) - 1 - sum(c in picked for c in s) for s in sections}
    for item, section in sorted(((c, s) for s in sections for c in s if c not in picked),
                                key=lambda p: rank_key(p[0])):
        if len(picked) < selection.key_judgments and left[id(section)] > 0:
            picked.append(item)
            left[id(section)] -= 1
    for c in picked:
        verdicts[c.index] = (f"key judgment: strength {strength[c.index]:.3f} (corroboration {c.corroboration:.2f}, "
                             f"centrality {c.centrality:.2f}, relevance {c.relevance:.2f}, lead {c.lead:.2f})")
    return sorted(picked, key=rank_key)


def select(sentences: SentenceTable, likeness: Likeness, relevance: Relevance, facts: Facts,
           themes: Sequence[Theme], selection: Selection,
           source_weights: Mapping[str, float] | None = None, features: Features | None = None) -> Selected:
    """Each theme's best fill of its budget, none stating what another item states; then the key
    judgments drawn from them, and the sections filled again around them.
    `source_weights` (source id → weight in (0, 1], e.g. recency) multiplies each candidate's score."""
    features = features if features is not None else features_of([s.text for s in sentences], Lexicon())
    table = _table_of(sentences, relevance, facts, selection, features)
    by_source = source_weights or {}
    weight_of = np.array([by_source.get(s, 1.0) for s in table.source], dtype=float)
    cands = _Candidates(table)
    per_theme = [_theme_candidates(t, table, cands, weight_of, likeness, selection, features, facts, themes[t])
                 for t in range(len(themes))]
    for t, theme in enumerate(per_theme):
        theme.aspects = relevance.matchers[t].hashed() if t < len(relevance.matchers) else None
        theme.about = relevance.score[:, t] > 0 if t < relevance.score.shape[1] else None
    first: list[list[Candidate]] = []
    taken: list[int] = []
    for theme in per_theme:
        items = _fill_section(theme, taken, sentences, likeness, facts, selection, features)
        taken += [i for c in items for i in quoted_rows(c)]
        first.append(items)
    verdicts: dict[int, str] = {}
    judgments = _judgments(first, table, cands, selection, verdicts)
    sections_items = _filled_around(judgments, first, per_theme, sentences, likeness, facts, selection, features)
    return _selected(judgments, sections_items, per_theme, themes, cands, verdicts, sentences, facts)


def _filled_around(judgments: list[Candidate], first: list[list[Candidate]], per_theme: list[_Theme],
                   sentences: SentenceTable, likeness: Likeness, facts: Facts, selection: Selection,
                   features: Features) -> list[list[Candidate]]:
    """The sections once the key judgments are drawn: a section that gave one, or whose items state
    what one states, is filled again around them; the others keep their first fill."""
    taken = [i for c in judgments for i in quoted_rows(c)]
    sections_items: list[list[Candidate]] = []
    for t, theme in enumerate(per_theme):
        kept = first[t]
        gave = any(c.theme == t for c in judgments)
        if gave or (kept and taken and blocked_by(np.array([i for c in kept for i in quoted_rows(c)]), taken,
                                                  likeness, facts, selection).any()):
            theme.judged = tuple(i for c in judgments if c.theme == t for i in quoted_rows(c))
            kept = _fill_section(theme, taken, sentences, likeness, facts, selection, features)
        taken += [i for c in kept for i in quoted_rows(c)]
        sections_items.append(kept)
    return sections_items


def _selected(judgments: list[Candidate], sections_items: list[list[Candidate]], per_theme: list[_Theme],
              themes: Sequence[Theme], cands: _Candidates, verdicts: dict[int, str],
              sentences: SentenceTable, facts: Facts) -> Selected:
    """The brief's items as Items, with the pools and verdicts `explain` prints."""
    judgment_items = tuple(item_of(c, sentences, facts, themes[c.theme], judgment=True) for c in judgments)
    sections = tuple(Section(theme.id, theme.title, theme.description,
                             tuple(item_of(c, sentences, facts, theme) for c in items))
                     for theme, items in zip(themes, sections_items))
    pools = []
    for t, theme in enumerate(per_theme):
        promoted = [c for c in judgments if c.theme == t]
        for c in promoted:
            c.reason = verdicts[c.index]
        pools.append(tuple(sorted(promoted + theme.pool, key=lambda c: -c.score)))
    return Selected(judgment_items, sections, cands, tuple(pools), tuple(t.floor for t in per_theme),
                    tuple(c.index for c in judgments), tuple(tuple(c.index for c in items) for items in sections_items))
