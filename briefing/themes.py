"""Theme relevance: how clearly a sentence is about each analyst-defined theme.

A theme's keywords (single words or phrases, each with a weight) are matched on word stems, so
"respect" finds "respected"; phrases match as consecutive stems. The weighted hits saturate to a
0–1 relevance, blended with the sentence's similarity to the theme's own description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from briefing.config import Theme
from briefing.nlp import Lexicon

SATURATION = 3.0
KEYWORD_SHARE = 0.85


@dataclass(frozen=True)
class ThemeMatcher:
    theme: Theme
    phrases: tuple[tuple[tuple[str, ...], float], ...]

    @classmethod
    def of(cls, theme: Theme, lexicon: Lexicon) -> ThemeMatcher:
        phrases = {}
        for term, weight in theme.keywords.items():
            stems = tuple(lexicon.stems(term))
            if stems:
                phrases[stems] = max(weight, phrases.get(stems, 0.0))
        return cls(theme, tuple(phrases.items()))

    def hits(self, stems: Sequence[str]) -> dict[tuple[str, ...], float]:
        """The theme's keywords found in a sentence's stems; a word inside a longer hit counts once."""
        found: dict[tuple[str, ...], float] = {}
        covered: set[int] = set()
        for phrase, weight in sorted(self.phrases, key=lambda p: -len(p[0])):
            n = len(phrase)
            for k in range(len(stems) - n + 1):
                if tuple(stems[k : k + n]) == phrase and not covered.intersection(range(k, k + n)):
                    found[phrase] = weight
                    covered.update(range(k, k + n))
        return found


@dataclass(frozen=True)
class Relevance:
    """score[i, t]: how clearly sentence i is about theme t (0 to 1); strength[i, t]: its keyword weight."""

    score: np.ndarray
    strength: np.ndarray


def relevance_of(texts: Sequence[str], themes: Sequence[Theme], lexicon: Lexicon) -> Relevance:
    if not texts or not themes:
        empty = np.zeros((len(texts), len(themes)))
        return Relevance(empty, empty)
    matchers = [ThemeMatcher.of(t, lexicon) for t in themes]
    stems = [lexicon.stems(t) for t in texts]
    strength = np.array([[sum(m.hits(s).values()) for m in matchers] for s in stems])
    keyword = 1.0 - np.exp(-strength / SATURATION)
    profiles = [f"{t.title}. {t.description} " + " ".join(t.keywords) for t in themes]
    vectors = lexicon.vectors(list(texts) + profiles)
    described = np.minimum(1.0, 2.5 * (vectors[: len(texts)] @ vectors[len(texts) :].T).toarray())
    score = KEYWORD_SHARE * keyword + (1 - KEYWORD_SHARE) * described * (strength > 0)
    return Relevance(score, strength)
