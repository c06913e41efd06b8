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
from collections.abc import Sequence
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


def _presence(features: Features, matchers: Sequence[ThemeMatcher]) -> tuple[np.ndarray, sparse.csr_matrix]:
    """The stem ids the themes name (sorted), and sentences × those stems, 1 where a sentence uses one.
    Only the themes' own stems are looked up (a binary search per word), not the corpus's vocabulary."""
    named = np.unique(np.array([stem for m in matchers for phrase, _ in m.hashed().phrases for stem in phrase],
                               dtype=np.int64))
    n = len(features)
    if not len(named) or not len(features.stems):
        return named, sparse.csr_matrix((n, max(1, len(named))))
    where = np.minimum(np.searchsorted(named, features.stems), len(named) - 1)
    hit = named[where] == features.stems
    presence = sparse.csr_matrix((np.ones(int(hit.sum())), (features.stem_rows[hit], where[hit])),
                                 shape=(n, len(named)))
    presence.data[:] = 1.0
    return named, presence


def _phrase_rows(features: Features, phrase: tuple[int, ...]) -> np.ndarray:
    """The sentences in which the phrase's stems occur consecutively, in order (on the flat array)."""
    stems, size = features.stems, len(phrase)
    if len(stems) < size:
        return np.zeros(0, dtype=np.int64)
    at = np.flatnonzero(stems[: len(stems) - size + 1] == phrase[0])
    for j in range(1, size):
        at = at[stems[at + j] == phrase[j]]
    row = np.searchsorted(features.stem_start, at, side="right") - 1
    last = np.searchsorted(features.stem_start, at + size - 1, side="right") - 1
    return np.unique(row[row == last])


def strengths(matchers: Sequence[ThemeMatcher], features: Features) -> np.ndarray:
    """strength[i, t]: the summed weights of theme t's terms found in sentence i, as
    `ThemeMatcher.hits` counts them. Single-word terms are counted for all sentences at once (a
    sparse product); only a sentence where a phrase of the theme occurs is matched word by word."""
    n = len(features)
    strength = np.zeros((n, len(matchers)))
    if n == 0:
        return strength
    named, present = _presence(features, matchers)

    def column(stem: int) -> int:
        return int(np.searchsorted(named, stem))

    for t, matcher in enumerate(matchers):
        ids = matcher.hashed()
        weights = np.zeros(present.shape[1])
        exact = np.zeros(n, dtype=bool)
        for phrase, weight in ids.phrases:
            cols = sorted({column(stem) for stem in phrase})
            if len(phrase) == 1:
                weights[cols[0]] = weight
                continue
            exact[_phrase_rows(features, phrase)] = True
        strength[:, t] = present @ weights
        for i in np.flatnonzero(exact).tolist():
            strength[i, t] = sum(ids.hits(features.stems_of(i).tolist()).values())
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
                 features: Features | None = None, space: TermSpace | None = None) -> Relevance:
    """How clearly each text is about each theme. `features` and `space` (the corpus's, when the
    caller has them) spare recomputing them from the texts."""
    if not texts or not themes:
        empty = np.zeros((len(texts), len(themes)))
        return Relevance(empty, empty, (), tuple(() for _ in themes))
    features = features if features is not None else features_of(texts, lexicon)
    space = space or TermSpace.of(features)
    matchers = [ThemeMatcher.of(t, lexicon) for t in themes]
    strength = strengths(matchers, features)
    added = expansion_of(features, strength, matchers, texts, lexicon, expansion_terms, space, sources, usable)
    if any(added):
        matchers = [ThemeMatcher.of(t, lexicon, {w: expansion_weight for w in extra})
                    for t, extra in zip(themes, added)]
        strength = strengths(matchers, features)
    keyword = 1.0 - np.exp(-strength / SATURATION)
    profiles = features_of([f"{t.title}. {t.description} " + " ".join(t.terms()) for t in themes], lexicon)
    described = np.minimum(1.0, 2.5 * (space.vectors(features) @ space.vectors(profiles).T).toarray())
    score = KEYWORD_SHARE * keyword + (1 - KEYWORD_SHARE) * described * (strength > 0)
    return Relevance(score, strength, tuple(matchers), tuple(tuple(a) for a in added))
