"""Same facts in other words: near-duplicate sentences, republished sources, corroboration.

Two sentences state the same fact when their TF-IDF vectors (content-word stems) are close. A source
most of whose sentences restate another source's is a republication or paraphrase of it: it is
marked `duplicate_of` the original and never counts as independent support.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from briefing.model import Sentence, Source
from briefing.nlp import Lexicon

REPUBLISHED_SHARE = 0.5
MIN_SENTENCES_FOR_REPUBLICATION = 3
PAIR_BLOCK = 2000  # rows of the similarity product computed at once


@dataclass(frozen=True)
class Facts:
    """Which sentences state the same thing, and which sources stand on their own."""

    cluster: list[int]
    members: dict[int, list[int]]
    original: dict[str, str]

    _independent: dict[int, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def independent_sources(self, index: int, sentences: Sequence[Sentence]) -> set[str]:
        """The independent sources that state sentence `index`'s fact (republications folded in);
        computed once per cluster, since every member of a cluster shares the answer."""
        c = self.cluster[index]
        if c not in self._independent:
            self._independent[c] = frozenset(self.original.get(sentences[j].source, sentences[j].source)
                                             for j in self.members[c])
        return set(self._independent[c])

    def same_fact(self, i: int, j: int) -> bool:
        return self.cluster[i] == self.cluster[j]


def same_fact_pairs(vectors: sparse.csr_matrix, threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of sentences whose similarity reaches the threshold."""
    n = vectors.shape[0]
    if n == 0:
        return []
    pairs: list[tuple[int, int, float]] = []
    transposed = vectors.T.tocsc()
    for start in range(0, n, PAIR_BLOCK):
        # A block of rows at a time, thresholded at once, so memory holds one block's products only.
        block = (vectors[start : start + PAIR_BLOCK] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.col > block.row + start)
        pairs += [(int(i) + start, int(j), float(s))
                  for i, j, s in zip(block.row[keep], block.col[keep], block.data[keep])]
    return pairs


def clusters_of(n: int, pairs: Sequence[tuple[int, int, float]]) -> list[int]:
    """A cluster id per sentence: sentences linked by same-fact pairs share one (union-find)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(n)]


def republications(sources: Sequence[Source], sentences: Sequence[Sentence],
                   pairs: Sequence[tuple[int, int, float]]) -> dict[str, str]:
    """{copy id: original id} for sources that mostly restate another source."""
    counts = defaultdict(int)
    for s in sentences:
        counts[s.source] += 1
    restated: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, j, _ in pairs:
        a, b = sentences[i].source, sentences[j].source
        if a != b:
            restated[(a, b)].add(i)
            restated[(b, a)].add(j)
    order = {s.id: (s.metadata.date or "9999", k) for k, s in enumerate(sources)}
    original: dict[str, str] = {}
    candidates = sorted(
        ((len(idx) / counts[copy], copy, orig) for (copy, orig), idx in restated.items()
         if counts[copy] >= MIN_SENTENCES_FOR_REPUBLICATION),
        reverse=True,
    )
    for share, a, b in candidates:
        if share < REPUBLISHED_SHARE or a in original or b in original:
            continue
        share_back = len(restated[(b, a)]) / counts[b]
        copy, orig = (a, b) if order[b] < order[a] or share_back < REPUBLISHED_SHARE else (b, a)
        if copy not in original and orig not in original:
            original[copy] = orig
    return original


def facts_of(sources: Sequence[Source], sentences: Sequence[Sentence], vectors: sparse.csr_matrix,
             threshold: float) -> Facts:
    pairs = same_fact_pairs(vectors, threshold)
    cluster = clusters_of(len(sentences), pairs)
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cluster):
        members[c].append(i)
    return Facts(cluster, dict(members), republications(sources, sentences, pairs))


@dataclass(frozen=True)
class Likeness:
    """How alike two sentences are: TF-IDF cosine, and the share of the shorter one's content
    (IDF-weighted) that the other repeats. Either above its cut makes them too alike to both appear.

    Each sentence is compared with all others at once (two sparse products) the first time it is
    asked about, and the result kept: selection asks about the same few chosen sentences often."""

    vectors: sparse.csr_matrix
    weights: sparse.csr_matrix
    cosine_cut: float = 0.2
    overlap_cut: float = 0.25
    _against: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, texts: Sequence[str], lexicon: Lexicon) -> Likeness:
        return cls(lexicon.vectors(list(texts)), lexicon.weights(list(texts)))

    def against(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Cosine and content overlap of every sentence with sentence j."""
        if j not in self._against:
            cosine = (self.vectors @ self.vectors[j].T).toarray().ravel()
            present = self.weights[j].copy()
            present.data[:] = 1.0
            shared = (self.weights @ present.T).toarray().ravel()
            totals = np.asarray(self.weights.sum(axis=1)).ravel()
            smaller = np.minimum(totals, totals[j])
            overlap = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
            self._against[j] = (cosine, overlap)
        return self._against[j]

    def cosine(self, i: int, j: int) -> float:
        return float(self.against(j)[0][i])

    def overlap(self, i: int, j: int) -> float:
        return float(self.against(j)[1][i])

    def too_alike(self, i: int, j: int) -> bool:
        cosine, overlap = self.against(j)
        return bool(cosine[i] >= self.cosine_cut or overlap[i] >= self.overlap_cut)

    def similarity(self, rows: Sequence[int]) -> np.ndarray:
        """The dense cosine similarity among the given sentences."""
        sub = self.vectors[list(rows)]
        return (sub @ sub.T).toarray()
