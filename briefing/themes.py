"""Theme relevance: how clearly a sentence is about each analyst-defined theme.

A theme's keywords and their aliases ("china" also as "beijing", "xi jinping"), single words or
phrases each with a weight, are matched on word stems, so "respect" finds "respected"; phrases match
as consecutive stems. The corpus then widens each theme a little, as pseudo-relevance feedback does in
search engines: words that recur in the theme's strongest sentences far more often than in the corpus
as a whole join the theme at a low weight. The weighted hits saturate to a 0–1 relevance, blended with
the sentence's similarity to the theme's own description.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from briefing.config import Theme
from briefing.dedupe import TermSpace
from briefing.features import Features, features_of, term_id
from briefing.nlp import Lexicon, words_of

SATURATION = 3.0
KEYWORD_SHARE = 0.85
STRONGEST = 8  # sentences per theme that expansion learns from
MIN_LIFT = 4.0  # an expansion term is this many times likelier in those sentences than in the corpus
MIN_SOURCES = 2  # ... and used there by at least this many sources


@dataclass(frozen=True, eq=False)
class ThemeMatcher:
    theme: Theme
    phrases: tuple[tuple[tuple[str, ...], float], ...]
    labels: dict[tuple[str, ...], str]

    @classmethod
    def of(cls, theme: Theme, lexicon: Lexicon, extra: dict[str, float] | None = None) -> ThemeMatcher:
        phrases: dict[tuple[str, ...], float] = {}
        labels: dict[tuple[str, ...], str] = {}
        for term, weight in {**(extra or {}), **theme.terms()}.items():
            stems = tuple(lexicon.stems(term))
            if stems:
                phrases[stems] = max(weight, phrases.get(stems, 0.0))
                labels.setdefault(stems, term)
        return cls(theme, tuple(sorted(phrases.items())), labels)

    @cached_property
    def _by_first(self) -> dict[str, list[tuple[tuple[str, ...], float]]]:
        index: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for phrase, weight in self.phrases:
            index.setdefault(phrase[0], []).append((phrase, weight))
        return index

    def hits(self, stems: Sequence[str]) -> dict[tuple[str, ...], float]:
        """The theme's terms found in a sentence's stems; a word inside a longer hit counts once."""
        index = self._by_first
        matches = [(phrase, weight, k) for k, stem in enumerate(stems) for phrase, weight in index.get(stem, ())
                   if tuple(stems[k : k + len(phrase)]) == phrase]
        found: dict[tuple[str, ...], float] = {}
        covered: set[int] = set()
        for phrase, weight, k in sorted(matches, key=lambda m: (-len(m[0]), m[0], m[2])):
            span = range(k, k + len(phrase))
            if not covered.intersection(span):
                found[phrase] = weight
                covered.update(span)
        return found

    def hashed(self) -> ThemeMatcher:
        """The same matcher over stem ids (briefing.features), for matching cached sentence features."""
        found = self.__dict__.get("_hashed")
        if found is None:
            phrases = tuple(sorted((tuple(term_id(s) for s in phrase), w) for phrase, w in self.phrases))
            labels = {tuple(term_id(s) for s in p): label for p, label in self.labels.items()}
            found = self.__dict__["_hashed"] = ThemeMatcher(self.theme, phrases, labels)
        return found

    def hit_labels(self, stems: Sequence[str]) -> list[str]:
        return [self.labels[p] for p in self.hits(stems)]


@dataclass(frozen=True)
class Relevance:
    """score[i, t]: how clearly sentence i is about theme t (0 to 1); strength[i, t]: its term weight;
    matchers[t]: theme t's terms, corpus expansion included; expansions[t]: the terms the corpus added."""

    score: np.ndarray
    strength: np.ndarray
    matchers: tuple[ThemeMatcher, ...] = ()
    expansions: tuple[tuple[str, ...], ...] = ()


class Occurrences:
    """Where the themes' stems and phrases occur in the corpus's flat stem array (briefing.features),
    and in which sentences. Each stem is looked up once and kept: the pass over the themes widened by
    expansion looks up only the words expansion added."""

    def __init__(self, features: Features) -> None:
        self.features = features
        self._at: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._starts: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}

    def look_up(self, stems: Iterable[int]) -> None:
        """Finds the positions of the stems not looked up yet, all in one pass over the array."""
        wanted = np.unique(np.fromiter((s for s in stems if s not in self._at), dtype=np.int64))
        if not len(wanted):
            return
        positions, which = _positions_of(self.features.stems, wanted)
        order = np.argsort(which.astype(np.min_scalar_type(len(wanted))), kind="stable")  # a radix sort
        positions, bounds = positions[order], np.searchsorted(which[order], np.arange(len(wanted) + 1))
        rows = np.searchsorted(self.features.stem_start, positions, side="right") - 1
        for k, stem in enumerate(wanted.tolist()):
            self._at[stem] = positions[bounds[k] : bounds[k + 1]], rows[bounds[k] : bounds[k + 1]]

    def starts(self, phrase: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """The positions (ascending) at which the phrase's stems follow one another within a sentence,
        and those sentences."""
        found = self._starts.get(phrase)
        if found is None:
            self.look_up(phrase[:1])
            stems, ends, size = self.features.stems, self.features.stem_start[1:], len(phrase)
            at, rows = self._at[phrase[0]]
            whole = at + size <= ends[rows]
            at, rows = at[whole], rows[whole]
            for j in range(1, size):
                follows = stems[at + j] == phrase[j]
                at, rows = at[follows], rows[follows]
            found = self._starts[phrase] = at, rows
        return found


def _positions_of(stems: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions in `stems` holding one of the `wanted` ids (sorted), and which (an index into
    `wanted`). A table of the ids' low 16 bits rules out almost all positions before a binary search."""
    low = np.zeros(1 << 16, dtype=bool)
    low[wanted.astype(np.uint16)] = True
    maybe = np.flatnonzero(low[stems.astype(np.uint16)])
    where = np.minimum(np.searchsorted(wanted, stems[maybe]), len(wanted) - 1)
    found = wanted[where] == stems[maybe]
    return maybe[found], where[found]


def _counted(starts: np.ndarray, size: int, covered: np.ndarray) -> np.ndarray:
    """Which occurrences of a phrase `ThemeMatcher.hits` counts: those with none of their words inside a
    longer hit (`covered`, a mask over positions) or inside an occurrence of the same phrase further left."""
    counted = ~covered[starts[:, None] + np.arange(size)].any(axis=1)
    if size > 1 and (np.diff(starts[counted]) < size).any():
        end = -1
        for k in np.flatnonzero(counted).tolist():
            counted[k] = starts[k] >= end
            end = starts[k] + size if counted[k] else end
    return counted


def _strength_of(matcher: ThemeMatcher, occurrences: Occurrences) -> np.ndarray:
    """One theme's column of `strengths` (the matcher over stem ids): each term, longest first, adds
    its weight to the sentences where it occurs outside a longer hit, in the order `hits` sums them."""
    total = np.zeros(len(occurrences.features))
    covered = np.zeros(len(occurrences.features.stems), dtype=bool)
    for phrase, weight in sorted(matcher.phrases, key=lambda p: (-len(p[0]), p[0])):
        starts, rows = occurrences.starts(phrase)
        counted = _counted(starts, len(phrase), covered)
        rows = rows[counted]
        total[rows[np.diff(rows, prepend=-1) > 0]] += weight
        if len(phrase) > 1:
            covered[starts[counted][:, None] + np.arange(len(phrase))] = True
    return total


def strengths(matchers: Sequence[ThemeMatcher], features: Features,
              occurrences: Occurrences | None = None) -> np.ndarray:
    """strength[i, t]: the summed weights of theme t's terms found in sentence i, as
    `ThemeMatcher.hits` counts them, for all sentences at once on the flat stem array.
    `occurrences` (of these features) carries the stems found by an earlier call over."""
    strength = np.zeros((len(features), len(matchers)))
    if not len(features):
        return strength
    occurrences = occurrences if occurrences is not None else Occurrences(features)
    ids = [m.hashed() for m in matchers]
    occurrences.look_up(stem for m in ids for phrase, _ in m.phrases for stem in phrase)
    for t, matcher in enumerate(ids):
        strength[:, t] = _strength_of(matcher, occurrences)
    return strength


def expansion_of(features: Features, strength: np.ndarray, matchers: Sequence[ThemeMatcher],
                 texts: Sequence[str], lexicon: Lexicon, limit: int, space: TermSpace,
                 sources: Sequence[str] | None = None,
                 usable: Sequence[bool] | None = None) -> list[dict[str, float]]:
    """For each theme, up to `limit` words that co-occur with its terms in its strongest sentences.

    A word qualifies when at least two of those sentences, from MIN_SOURCES sources, use it, it is
    MIN_LIFT times likelier there than in the corpus, and no theme already names it. Ranked by how many strong sentences use it,
    times its rarity. Returns {surface word: 1.0} per theme (the caller sets the weight)."""
    n = len(features)
    if limit == 0 or not n:
        return [{} for _ in matchers]
    named = {stem for m in matchers for phrase, _ in m.hashed().phrases for stem in phrase}
    surface: dict[int, Counter[str]] = {}
    out = []
    for t in range(len(matchers)):
        ranked_rows = np.argsort(-strength[:, t], kind="stable")
        order = [int(i) for i in ranked_rows[: max(STRONGEST * 50, 1000)]
                 if strength[i, t] > 0 and (usable is None or usable[i])][:STRONGEST]
        if len(order) < 2:
            out.append({})
            continue
        content = {i: set(features.terms_of(i).tolist()) for i in order}
        spelled = {term_id(stem): stem for i in order for stem in lexicon.terms(texts[i])}
        sf = Counter(term for i in order for term in content[i])
        origins: dict[int, set[str]] = {}
        for i in order:
            for term in content[i]:
                origins.setdefault(term, set()).add(sources[i] if sources is not None else str(i))
        ranked = []
        for term, count in sf.items():
            k = space.column(term)
            df = int(space.df[k]) if k is not None else count
            stem = spelled.get(term, "")
            lift = (count / len(order)) / (df / n)
            if (count >= 2 and len(origins[term]) >= MIN_SOURCES and lift >= MIN_LIFT and term not in named
                    and len(stem) > 2 and not stem.isdigit()):
                ranked.append((-count * math.log(n / df), stem, term))
        chosen = [(stem, term) for _, stem, term in sorted(ranked)[:limit]]
        words: dict[str, float] = {}
        for stem, term in chosen:
            if term not in surface:
                surface[term] = Counter(w for i in order for w in words_of(texts[i]) if lexicon.stem(w) == stem)
            words[surface[term].most_common(1)[0][0] if surface[term] else stem] = 1.0
        out.append(words)
    return out


def relevance_of(texts: Sequence[str], themes: Sequence[Theme], lexicon: Lexicon,
                 expansion_terms: int = 0, expansion_weight: float = 0.6,
                 sources: Sequence[str] | None = None, usable: Sequence[bool] | None = None,
                 features: Features | None = None, space: TermSpace | None = None,
                 vectors: sparse.csr_matrix | None = None) -> Relevance:
    """How clearly each text is about each theme. `features`, `space` and `vectors` (the corpus's, and
    its TF-IDF rows in that space, when the caller has them) spare recomputing them from the texts."""
    if not texts or not themes:
        empty = np.zeros((len(texts), len(themes)))
        return Relevance(empty, empty, (), tuple(() for _ in themes))
    features = features if features is not None else features_of(texts, lexicon)
    space = space or TermSpace.of(features)
    matchers = [ThemeMatcher.of(t, lexicon) for t in themes]
    occurrences = Occurrences(features)
    strength = strengths(matchers, features, occurrences)
    added = expansion_of(features, strength, matchers, texts, lexicon, expansion_terms, space, sources, usable)
    if any(added):
        matchers = [ThemeMatcher.of(t, lexicon, {w: expansion_weight for w in extra})
                    for t, extra in zip(themes, added)]
        strength = strengths(matchers, features, occurrences)
    keyword = 1.0 - np.exp(-strength / SATURATION)
    profiles = features_of([f"{t.title}. {t.description} " + " ".join(t.terms()) for t in themes], lexicon)
    vectors = vectors if vectors is not None else space.vectors(features)
    described = np.minimum(1.0, 2.5 * (vectors @ space.vectors(profiles).T).toarray())
    score = KEYWORD_SHARE * keyword + (1 - KEYWORD_SHARE) * described * (strength > 0)
    return Relevance(score, strength, tuple(matchers), tuple(tuple(a) for a in added))
