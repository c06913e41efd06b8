"""Language helpers the stages share: word tokens, stop words, stems. Nothing here downloads data.

Stop words come from scikit-learn (it ships them); the stemmer is nltk's Snowball, which is pure code.
Stages receive a `Lexicon` rather than importing a global one, so a test can hand them another.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from threadpoolctl import threadpool_limits

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "said", "says", "also", "just", "like"}
_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*", re.UNICODE)


def words_of(text: str) -> list[str]:
    """Lower-cased word tokens; inner apostrophes, hyphens and dots stay (U.S., ex-Soviet, Russia’s)."""
    return _WORD.findall(text.lower().replace("’", "'"))


class Lexicon:
    """Stemming and stop words for one language (English, Snowball)."""

    def __init__(self, stop_words: frozenset[str] = STOP_WORDS) -> None:
        self.stop_words = stop_words
        self._stemmer = SnowballStemmer("english")
        self.stem = lru_cache(maxsize=200_000)(self._stem)
        self._terms: dict[str, tuple[str, ...]] = {}

    def _stem(self, word: str) -> str:
        word = word.removesuffix("'s")
        if "." in word:
            return word
        return self._stemmer.stem(word)

    def terms(self, text: str) -> list[str]:
        """Stems of the content words, in order: what similarity and relevance are computed on.
        Kept per text: each stage that vectorises the sentences asks again for the same ones."""
        found = self._terms.get(text)
        if found is None:
            found = self._terms[text] = tuple(
                self.stem(w) for w in words_of(text) if w not in self.stop_words and not w.isdigit())
        return list(found)

    def stems(self, text: str) -> list[str]:
        """Stems of every word, stop words included: for matching multi-word phrases."""
        return [self.stem(w) for w in words_of(text)]

    def vectors(self, texts: list[str]) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows over content-word stems: row products are cosine similarities."""
        if not texts:
            return sparse.csr_matrix((0, 0))
        vectorizer = TfidfVectorizer(analyzer=self.terms, sublinear_tf=True, norm="l2")
        try:
            return vectorizer.fit_transform(texts).tocsr()
        except ValueError:
            return sparse.csr_matrix((len(texts), 1))

    def weights(self, texts: list[str]) -> sparse.csr_matrix:
        """Each sentence's content stems, each weighted by its IDF once: for measuring shared content."""
        if not texts:
            return sparse.csr_matrix((0, 0))
        try:
            return TfidfVectorizer(analyzer=self.terms, binary=True, norm=None).fit_transform(texts).tocsr()
        except ValueError:
            return sparse.csr_matrix((len(texts), 1))


def lexrank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 100,
            bias: np.ndarray | None = None, bias_share: float | None = None) -> np.ndarray:
    """Continuous LexRank (Erkan & Radev, 2004): a sentence is central when central sentences resemble it.
    With a `bias` (e.g. relevance to a topic), the walk jumps, `bias_share` of the time, to a sentence in
    proportion to it: topic-sensitive LexRank (Otterbacher, Erkan & Radev, 2005)."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    jump = np.full(n, 1.0 / n)
    if bias is not None and float(np.sum(bias)) > 0:
        jump = np.asarray(bias, dtype=float) / float(np.sum(bias))
        damping = 1.0 - (bias_share if bias_share is not None else 1.0 - damping)
    weights = np.array(similarity, dtype=float)
    np.fill_diagonal(weights, 0.0)
    totals = weights.sum(axis=1, keepdims=True)
    transition = np.divide(weights, totals, out=np.full_like(weights, 1.0 / n), where=totals > 0)
    step = np.ascontiguousarray(damping * transition.T)
    rank = np.full(n, 1.0 / n)
    # One BLAS thread: a product of this size gains nothing from more, and on a busy machine threads
    # that wait for each other made it ten times slower; the result is then the same on every machine.
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(iterations):
            updated = (1 - damping) * jump + step @ rank
            if np.abs(updated - rank).sum() < 1e-9:
                rank = updated
                break
            rank = updated
    return rank / rank.max()
