"""Similarity and text statistics over a corpus's sentences: the TF-IDF term space (scikit-learn's,
fitted on the corpus), how alike two sentences are, and LexRank centrality. Dedupe, themes and
selection all measure with these."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from threadpoolctl import threadpool_limits

from briefing.nlp import Lexicon
from briefing.pipeline.features import BANDS, ROWS, Features, features_of


@dataclass(frozen=True, eq=False)
class TermSpace:
    """The corpus's content terms (sorted ids), with scikit-learn's TF-IDF fitted on the corpus:
    any batch of sentences, the corpus's own or a theme's description, is vectorised in it.
    df[k] is the number of sentences that use term k."""

    vocabulary: np.ndarray
    df: np.ndarray
    tfidf: TfidfTransformer
    idf_once: TfidfTransformer

    @classmethod
    def of(cls, features: Features) -> TermSpace:
        terms = features.terms.astype(np.uint32)  # term ids are 32-bit: sorted three times faster so
        distinct = np.unique(terms)
        vocabulary = distinct.astype(np.int64)
        space = cls(vocabulary, np.zeros(0), TfidfTransformer(sublinear_tf=True, norm="l2"),
                    TfidfTransformer(norm=None))
        if len(vocabulary):  # the corpus's own counts: every term is in the space, rows already in order
            made = sparse.csr_matrix((np.ones(len(terms)), np.searchsorted(distinct, terms), features.term_start),
                                     shape=(len(features), len(vocabulary)))
            made.sum_duplicates()
            space.__dict__["_memo"] = (features, made)
        counts = space.counts(features)
        # Term weights count each distinct sentence once: a sentence a syndicated corpus repeats a
        # hundred times does not make its words common (and its paraphrases unlike it).
        distinct_rows = np.sort(np.unique(_row_keys(features.signature), return_index=True)[1])
        counts = counts[distinct_rows] if len(distinct_rows) < counts.shape[0] else counts
        present = _binary(counts)
        space.tfidf.fit(counts)
        space.idf_once.fit(present)
        object.__setattr__(space, "df", np.asarray(present.sum(axis=0)).ravel())
        return space

    def counts(self, features: Features) -> sparse.csr_matrix:
        """Sentences × terms: how often each sentence uses each term (terms outside the space dropped).
        The last batch's matrix is kept: the corpus is asked for three times in a row."""
        memo = self.__dict__.get("_memo")
        if memo is not None and memo[0] is features:
            return memo[1].copy()
        made = self._counts(features)
        self.__dict__["_memo"] = (features, made)
        return made.copy()

    def _counts(self, features: Features) -> sparse.csr_matrix:
        n, width = len(features), max(1, len(self.vocabulary))
        if not len(self.vocabulary) or not len(features.terms):
            return sparse.csr_matrix((n, width))
        columns = np.minimum(np.searchsorted(self.vocabulary, features.terms), len(self.vocabulary) - 1)
        known = self.vocabulary[columns] == features.terms
        counts = sparse.csr_matrix((np.ones(int(known.sum())), (features.term_rows[known], columns[known])),
                                   shape=(n, width))
        counts.sum_duplicates()
        return counts

    def main_weights(self, features: Features) -> sparse.csr_matrix:
        """Each sentence's main-clause terms (outside its asides), weighted by their IDF once, for the
        sentences that have asides; the other rows are empty."""
        n, width = len(features), max(1, len(self.vocabulary))
        rows = features.term_rows
        has_asides = np.bincount(rows[~features.main], minlength=n) > 0
        keep = np.flatnonzero(has_asides[rows] & features.main)
        if not len(self.vocabulary) or not len(keep):
            return sparse.csr_matrix((n, width))
        columns = np.minimum(np.searchsorted(self.vocabulary, features.terms[keep]), len(self.vocabulary) - 1)
        known = self.vocabulary[columns] == features.terms[keep]
        present = sparse.csr_matrix((np.ones(int(known.sum())), (rows[keep][known], columns[known])), shape=(n, width))
        present.sum_duplicates()
        return self.idf_once.transform(_binary(present)).tocsr()

    def column(self, term: int) -> int | None:
        k = int(np.searchsorted(self.vocabulary, term))
        return k if k < len(self.vocabulary) and self.vocabulary[k] == term else None

    def vectors(self, features: Features) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows (sublinear tf): row products are cosine similarities."""
        return self.tfidf.transform(self.counts(features)).tocsr()

    def weights(self, features: Features) -> sparse.csr_matrix:
        """Each sentence's terms, each weighted by its IDF once: for measuring shared content."""
        return self.idf_once.transform(_binary(self.counts(features))).tocsr()


_ROW_MIX = np.random.default_rng(20221003).integers(1, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1)


def _row_keys(signatures: np.ndarray) -> np.ndarray:
    """One 64-bit key per sentence from its MinHash signature: equal for sentences with the same terms."""
    if not len(signatures):
        return np.zeros(0, dtype=np.uint64)
    return (signatures.astype(np.uint64) * _ROW_MIX[None, :]).sum(axis=1, dtype=np.uint64)


def _binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    out = matrix.copy()
    out.data[:] = 1.0
    return out


@dataclass(frozen=True)
class Likeness:
    """How alike two sentences are: TF-IDF cosine, and the share of the shorter one's content
    (IDF-weighted) that the other repeats (selection's test of the same fact reads both).

    Each sentence is compared with all others at once (two sparse products) the first time it is
    asked about, and the result kept (the most recent few hundred): `explain` asks about the same
    few chosen sentences for every runner-up. (Selection works on the rows it needs: rank.py.)"""

    vectors: sparse.csr_matrix
    weights: sparse.csr_matrix
    space: TermSpace | None = None
    main: sparse.csr_matrix | None = None
    _against: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=OrderedDict, repr=False,
                                                                      compare=False)
    _totals: list[np.ndarray] = field(default_factory=list, repr=False, compare=False)
    _main_totals: list[np.ndarray] = field(default_factory=list, repr=False, compare=False)

    KEPT = 256

    @classmethod
    def of(cls, texts: Sequence[str], lexicon: Lexicon) -> Likeness:
        return cls.of_features(features_of(list(texts), lexicon))

    @classmethod
    def of_features(cls, features: Features) -> Likeness:
        space = TermSpace.of(features)
        return cls(space.vectors(features), space.weights(features), space, space.main_weights(features))

    def against(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Cosine and content overlap of every sentence with sentence j."""
        found = self._against.get(j)
        if found is not None:
            self._against.move_to_end(j)
            return found
        if not self._totals:
            self._totals.append(np.asarray(self.weights.sum(axis=1)).ravel())
        totals = self._totals[0]
        cosine = (self.vectors @ self.vectors[j].T).toarray().ravel()
        present = self.weights[j].copy()
        present.data[:] = 1.0
        shared = (self.weights @ present.T).toarray().ravel()
        smaller = np.minimum(totals, totals[j])
        overlap = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
        self._against[j] = (cosine, overlap)
        if len(self._against) > self.KEPT:
            self._against.popitem(last=False)
        return cosine, overlap

    def cosine(self, i: int, j: int) -> float:
        return float(self.against(j)[0][i])

    def overlap(self, i: int, j: int) -> float:
        return float(self.against(j)[1][i])

    def main_repeated(self, rows: Sequence[int] | np.ndarray, columns: Sequence[int] | np.ndarray,
                      row_weights: sparse.csr_matrix | None = None,
                      column_weights: sparse.csr_matrix | None = None) -> np.ndarray:
        """Rows × columns: the share of one sentence's main clause (its content outside its asides,
        IDF-weighted) that the other repeats, the larger of the two ways; 0 where neither has an aside.
        "Japarov, who was furious about the skirmishes, also canceled CSTO exercises" repeats little
        of a long sentence on Japarov's quarrels with Moscow, but its main clause is all in it.
        `row_weights`, `column_weights`: `weights` of the rows and columns, if already taken."""
        rows, columns = np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)
        out = np.zeros((len(rows), len(columns)))
        if self.main is None or not len(rows) or not len(columns):
            return out
        if not self._main_totals:
            self._main_totals.append(np.asarray(self.main.sum(axis=1)).ravel())
        totals, main = self._main_totals[0], self.main

        def share(mine: np.ndarray, theirs: np.ndarray, weights: sparse.csr_matrix | None) -> np.ndarray:
            total = totals[mine]
            shared = (main[mine] @ _binary(self.weights[theirs] if weights is None else weights).T).toarray()
            return np.divide(shared, total[:, None], out=np.zeros_like(shared), where=total[:, None] > 0)

        same = len(rows) == len(columns) and bool(np.array_equal(rows, columns))
        if totals[rows].any():
            out = share(rows, columns, column_weights)
        if same:
            return np.maximum(out, out.T)
        if totals[columns].any():
            out = np.maximum(out, share(columns, rows, row_weights).T)
        return out

    def similarity(self, rows: Sequence[int]) -> np.ndarray:
        """The dense cosine similarity among the given sentences."""
        sub = self.vectors[list(rows)]
        return (sub @ sub.T).toarray()


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
