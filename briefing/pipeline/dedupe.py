"""Same facts in other words: near-duplicate sentences, republished sources, corroboration.

Two sentences state the same fact when their TF-IDF vectors (content-word stems) are close. A source
most of whose sentences restate another source's is a republication or paraphrase of it: it is
marked `duplicate_of` the original and never counts as independent support.

Nothing here compares every sentence with every other. Candidate pairs come from locality-sensitive
hashing once the corpus is large (MinHash over each sentence's set of content stems, in bands, as
Broder's shingling and datasketch do): each sentence is checked against the first sentence of every
band bucket it falls in, by exact TF-IDF cosine, so the cost grows with the number of sentences, not
with the square of the largest cluster. A small corpus gets every pair from the exact product.
Pairs that pass make the same-fact graph, which is never closed over chains (A like B and B like C
does not make A state C's fact); support and republications are counted from the pairs.

Close wording is not the same claim. The content terms leave out "not" and "two", so "Saudi Arabia
will cut output by two million barrels" and "Saudi Arabia will not cut output by two million barrels"
or "… by five million barrels" have a cosine of 1. Two sentences state the same fact only when they
also agree (`Claims`): both deny or neither does, and the numbers of one are among the other's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from briefing.cache import StoredBuckets
from briefing.model import Sentence, Source
from briefing.nlp import Lexicon, words_of
from briefing.pipeline.features import (
    BANDS,
    EMPTY,
    LABEL,
    RANK,
    ROWS,
    WHEN,
    Features,
    claim_of,
    features_of,
    may_be_names_apart,
    name_places,
    names_apart,
    names_in_place,
    number_kind,
    opposed,
    quantities,
)
from briefing.similarity import Likeness, TermSpace

REPUBLISHED_SHARE = 0.5
KINDS = frozenset((WHEN, RANK))
"""The kind marks among a number's words (`features.quantities`), which say nothing of what it counts."""
MIN_SENTENCES_FOR_REPUBLICATION = 3
MIN_SENTENCES_RESTATED_WHOLE = 2
"""A source shorter than MIN_SENTENCES_FOR_REPUBLICATION is a copy when another source restates every
one of its sentences and it has at least this many: two copies of a two-sentence wire story under two
headlines are one report, not two (one close sentence may be two outlets reporting one event)."""
PAIR_CHUNK = 200_000  # candidate pairs whose cosine is computed at once

_MIX = np.random.default_rng(20221002).integers(1, 2**63, size=ROWS, dtype=np.uint64) | np.uint64(1)


@dataclass(frozen=True)
class Speakers:
    """Which of each sentence's content terms name who it says is speaking (`features.speaker_terms`):
    "Wikinews reporter Diego Grez reports the aftershock was clearly felt in Pichilemu" and "The rains
    have damaged some roads in Pichilemu, Wikinews' Diego Grez reported" share their speaker's words,
    not a fact. Two sentences are close in words only when what they claim is, whoever claims it."""

    features: Features
    space: TermSpace

    SHARE = 0.5
    """What the pair claims must be alike at this share of the same-fact similarity at least: a claim
    is shorter than its sentence and paraphrased claims ("pessimistic that any survivors would be
    found", "the prospects of finding survivors are very small") keep little of it, while two claims
    that share only their speaker keep next to nothing (cosine 0.00-0.16 in bench/corroboration.py)."""

    @cached_property
    def spoken(self) -> np.ndarray:
        """Which sentences name a speaker."""
        return np.asarray((self.features.said_lead > 0) | (self.features.said_tail > 0))

    def claim_vectors(self, rows: np.ndarray) -> sparse.csr_matrix:
        """The TF-IDF rows (in the corpus's space) of the given sentences' content terms less those
        naming a speaker."""
        f, vocabulary = self.features, self.space.vocabulary
        width = max(1, len(vocabulary))
        if not len(rows) or not len(vocabulary):
            return sparse.csr_matrix((len(rows), width))
        start = f.term_start[rows] + f.said_lead[rows]
        end = np.maximum(start, f.term_start[rows + 1] - f.said_tail[rows])
        lengths = end - start
        at = np.repeat(start - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(int(lengths.sum()))
        terms = f.terms[at]
        columns = np.minimum(np.searchsorted(vocabulary, terms), len(vocabulary) - 1)
        known = vocabulary[columns] == terms
        owner = np.repeat(np.arange(len(rows)), lengths)
        counts = sparse.csr_matrix((np.ones(int(known.sum())), (owner[known], columns[known])),
                                   shape=(len(rows), width))
        counts.sum_duplicates()
        return self.space.tfidf.transform(counts).tocsr()

    def claimed_alike(self, pairs: np.ndarray, threshold: float) -> np.ndarray:
        """For each pair (a row of i, j), whether what its sentences claim is still alike (TF-IDF cosine
        at SHARE of the threshold) once the words naming a speaker are left out; True where neither
        names one."""
        out = np.ones(len(pairs), dtype=bool)
        if not len(pairs):
            return out
        spoken = self.spoken
        check = np.flatnonzero(spoken[pairs[:, 0]] | spoken[pairs[:, 1]])
        if len(check):
            rows, where = np.unique(pairs[check], return_inverse=True)
            where = where.reshape(-1, 2)
            out[check] = row_cosines(self.claim_vectors(rows), where) >= self.SHARE * threshold
        return out


@dataclass
class Claims:
    """What each sentence claims beyond its content words: whether it denies, which numbers it
    states, which way it says things went, and whether it reports an allegation (features.claim_of).
    The features' arrays settle most pairs at once: another polarity, or opposite directions ("rose",
    "fell"), disagree; the same numbers, or numbers in one only, agree. The numbers of the rest are
    read from the text, each sentence the first time it is asked about. A sentence that reports an
    allegation and one that states the same thing plainly neither agree nor disagree (`framed_alike`).
    Without the arrays (`texts` only), each sentence's claim is read from its text when first asked about."""

    texts: Sequence[str]
    denied: np.ndarray | None = None
    numbers: np.ndarray | None = None
    poles: np.ndarray | None = None
    alleged: np.ndarray | None = None
    speakers: Speakers | None = None
    """Which words of each sentence name its speaker; None: no sentence is read as naming one."""
    _read: dict[int, dict[float, frozenset[str]]] = field(default_factory=dict, repr=False)
    _claims: dict[int, tuple[bool, int, int, int]] = field(default_factory=dict, repr=False)
    _names: dict[int, tuple[tuple[tuple[str, str, str], ...], frozenset[tuple[str, str, str]]]] = field(
        default_factory=dict, repr=False)

    @classmethod
    def of_features(cls, texts: Sequence[str], features: Features, space: TermSpace | None = None) -> Claims:
        """The claims of sentences whose features are computed; with the corpus's term `space`, also
        which words name their speakers (`Speakers`)."""
        speakers = Speakers(features, space) if space is not None else None
        return cls(texts, features.denies, features.numbers, features.poles, features.alleges, speakers)

    def claimed_alike(self, pairs: np.ndarray, threshold: float) -> np.ndarray:
        """For each pair, whether its sentences are close in what they claim, not only in who they
        say claims it (`Speakers`): True for all without speakers' words to go on."""
        if self.speakers is None:
            return np.ones(len(pairs), dtype=bool)
        return self.speakers.claimed_alike(pairs, threshold)

    def claim(self, i: int) -> tuple[bool, int, int, int]:
        """Sentence i's polarity, numbers id, poles and framing (see features.claim_of)."""
        if self.denied is not None and self.numbers is not None and self.poles is not None and self.alleged is not None:
            return bool(self.denied[i]), int(self.numbers[i]), int(self.poles[i]), int(self.alleged[i])
        found = self._claims.get(i)
        if found is None:
            found = self._claims[i] = claim_of(self.texts[i])
        return found

    def quantities(self, i: int) -> dict[float, frozenset[str]]:
        found = self._read.get(i)
        if found is None:
            found = self._read[i] = quantities(self.texts[i])
        return found

    def names_apart(self, i: int, j: int) -> bool:
        """Whether sentences i and j name two people or places in the same place of what they claim
        ("in Kabul on Monday", "in Kandahar on Monday": `features.names_apart`): two things, not one."""
        for k in (i, j):
            if k not in self._names:
                found = names_in_place(self.texts[k])
                self._names[k] = (found, name_places(found))
        (names_i, places_i), (names_j, places_j) = self._names[i], self._names[j]
        if not may_be_names_apart(places_i, places_j):
            return False
        return names_apart(frozenset(words_of(self.texts[i])), names_i, frozenset(words_of(self.texts[j])), names_j)

    def framed_alike(self, i: int, j: int) -> bool:
        """Whether both sentences report an allegation, or neither does: "The ministry accused the
        firm of dumping steel" neither supports nor disputes "The firm dumped steel"."""
        return self.claim(i)[3] == self.claim(j)[3]

    def agree(self, i: int, j: int) -> bool:
        """Whether sentences i and j can state the same fact. Not when one reports an allegation and
        the other states it plainly, nor when one denies and the other does not, nor when they go
        opposite ways ("rose", "fell"). As for numbers: when one states none the other does not (a
        date one of them leaves out), they agree; when each states a number of the same thing that
        the other does not ("stage 15", "stage 13"), they do not; otherwise they agree only when they
        share a number (the same event, each with a detail of its own): two counts of a death toll
        share none."""
        if not self.alike_but_numbers(i, j):
            return False
        id_i, id_j = self.claim(i)[1], self.claim(j)[1]
        if id_i == id_j or not id_i or not id_j:
            return True
        return self.numbers_agree(i, j)

    def alike_but_numbers(self, i: int, j: int) -> bool:
        """Whether sentences i and j claim alike in all but their numbers: both report an allegation or
        neither does, both deny or neither does, and they do not go opposite ways."""
        (deny_i, _, poles_i, alleged_i), (deny_j, _, poles_j, alleged_j) = self.claim(i), self.claim(j)
        return alleged_i == alleged_j and deny_i == deny_j and not opposed(poles_i, poles_j)

    def numbers_agree(self, i: int, j: int) -> bool:
        """`agree`'s test of the numbers, for two sentences that each state some, not the same."""
        numbers_i, numbers_j = self.quantities(i), self.quantities(j)
        only_i, only_j = numbers_i.keys() - numbers_j.keys(), numbers_j.keys() - numbers_i.keys()
        if not only_i or not only_j:
            return True
        if any((numbers_i[a] & numbers_j[b]) - KINDS for a in only_i for b in only_j):
            return False
        return bool(numbers_i.keys() & numbers_j.keys())

    def apart(self, i: int, j: int) -> bool:
        """Whether sentences i and j, close in words, state two things rather than one thing two ways:
        they agree in all but numbers, and each states a number the other does not, of something else
        (`numbers_apart`). Such a pair neither corroborates nor disputes."""
        return self.alike_but_numbers(i, j) and self.numbers_apart(i, j)

    def numbers_apart(self, i: int, j: int) -> bool:
        """Whether the numbers each of sentences i and j states and the other does not are of different
        things: two numbered things with one noun ("won stage 13", "won stage 15": `features.LABELS`),
        or numbers of different kinds (`features.number_kind`: "three bombs within 50 seconds" against
        "on July 7, 2005"). Not two counts ("killed 50", "killed 60"), two dates, nor two ranks."""
        numbers_i, numbers_j = self.quantities(i), self.quantities(j)
        kinds_i = {number_kind(numbers_i[a]) for a in numbers_i.keys() - numbers_j.keys()}
        kinds_j = {number_kind(numbers_j[b]) for b in numbers_j.keys() - numbers_i.keys()}
        if not kinds_i or not kinds_j:
            return False
        if any(k.startswith(LABEL) and k not in KINDS for k in kinds_i & kinds_j):
            return True  # another stage: whatever else the two say of it is no dispute
        return kinds_i.isdisjoint(kinds_j)

    def framing(self, pairs: np.ndarray) -> np.ndarray:
        """For each pair (a row of i, j), whether its sentences are `framed_alike`."""
        if not len(pairs):
            return np.zeros(0, dtype=bool)
        if self.alleged is None:
            return np.array([self.framed_alike(int(a), int(b)) for a, b in pairs], dtype=bool)
        return np.asarray(self.alleged[pairs[:, 0]] == self.alleged[pairs[:, 1]], dtype=bool)

    def agreement(self, pairs: np.ndarray) -> np.ndarray:
        """For each pair (a row of i, j), whether its sentences agree."""
        if not len(pairs):
            return np.zeros(0, dtype=bool)
        if self.denied is None or self.numbers is None or self.poles is None or self.alleged is None:
            return np.array([self.agree(int(a), int(b)) for a, b in pairs], dtype=bool)
        i, j = pairs[:, 0], pairs[:, 1]
        differ = (self.denied[i] != self.denied[j]) | opposed(self.poles[i], self.poles[j]) | ~self.framing(pairs)
        same = (self.numbers[i] == self.numbers[j]) | (self.numbers[i] == 0) | (self.numbers[j] == 0)
        keep = ~differ & same
        rest = np.flatnonzero(~differ & ~same)
        keep[rest] = [self.numbers_agree(a, b) for a, b in pairs[rest].tolist()]
        return keep


def band_keys(sigs: np.ndarray, band: int) -> np.ndarray:
    """Each signature's bucket in one band: its ROWS values mixed into one 64-bit key."""
    block = sigs[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
    return (block * _MIX[None, :]).sum(axis=1, dtype=np.uint64)


def pairs_of(leaders: np.ndarray) -> np.ndarray:
    """The candidate pairs (i, j), i > j, of a sentences × bands table of bucket leaders (-1: none):
    each sentence with each of its leaders, each pair once (duplicates are removed per row)."""
    ordered = np.sort(leaders, axis=1)
    fresh = np.ones_like(ordered, dtype=bool)
    fresh[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    keep = fresh & (ordered >= 0)
    i = np.broadcast_to(np.arange(len(ordered), dtype=np.int64)[:, None], ordered.shape)[keep]
    return np.stack([i, ordered[keep].astype(np.int64)], axis=1) if len(i) else np.zeros((0, 2), dtype=np.int64)


def bucket_leaders(sigs: np.ndarray) -> np.ndarray:
    """A sentences × bands table: in each band, the first sentence of the bucket a sentence is in
    (its leader), -1 where the sentence leads its bucket or has no content terms."""
    has_terms = sigs[:, 0] != EMPTY
    rows = np.flatnonzero(has_terms).astype(np.int64)
    leaders = np.full((len(sigs), BANDS), -1, dtype=np.int32)
    for band in range(BANDS):
        key = band_keys(sigs[rows], band)
        order = np.argsort(key, kind="stable")  # stable: within a bucket, reading order
        sorted_key = key[order]
        starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        first = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
        leader = np.empty(len(rows), dtype=np.int64)
        leader[order] = rows[first]
        leaders[rows, band] = np.where(leader != rows, leader, -1)
    return leaders


def candidate_pairs(sigs: np.ndarray) -> np.ndarray:
    """(i, j) pairs, i > j, where sentence j is the first sentence of a band bucket that i is in."""
    return pairs_of(bucket_leaders(sigs))


def bucket_leaders_since(sigs: np.ndarray, known: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Exactly `bucket_leaders(sigs)`, when `known` is that table for all sentences but `new` (its
    rows and values numbered as in `sigs`; the rows of `new` are not read), without sorting every
    key. `known` is updated in place (it is 24 MB at 250,000 sentences) and returned.

    Only the buckets the new sentences fall in change. In each band, a new sentence is led by the
    first sentence of its bucket, known or new; a new sentence that comes before a bucket's first
    known sentence leads the bucket's known sentences from now on. Each band's keys are looked up
    among the new sentences' (sorted), so nothing but the new keys is sorted."""
    leaders = known
    leaders[new] = -1  # not read, but set: the rows of sentences without terms stay so
    has_terms = sigs[:, 0] != EMPTY
    new = np.unique(new[has_terms[new]]).astype(np.int64)
    if not len(new):
        return leaders
    n = len(sigs)
    is_new = np.zeros(n, dtype=bool)
    is_new[new] = True
    for band in range(BANDS):
        keys = band_keys(sigs, band)
        wanted, slot = np.unique(keys[new], return_inverse=True)
        at = np.minimum(np.searchsorted(wanted, keys), len(wanted) - 1)
        members = np.flatnonzero((wanted[at] == keys) & has_terms)
        bucket, known_member = at[members], ~is_new[members]
        first_new = np.full(len(wanted), n, dtype=np.int64)
        np.minimum.at(first_new, slot, new)
        first_known = np.full(len(wanted), n, dtype=np.int64)
        np.minimum.at(first_known, bucket[known_member], members[known_member])
        first = np.minimum(first_new, first_known)
        leaders[new, band] = np.where(first[slot] != new, first[slot], -1)
        led_anew = known_member & (first_new < first_known)[bucket]
        leaders[members[led_anew], band] = first_new[bucket[led_anew]]
    return leaders


def row_cosines(vectors: sparse.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """The cosine of each pair's rows (rows are L2-normalised)."""
    out = np.empty(len(pairs))
    for first in range(0, len(pairs), PAIR_CHUNK):
        part = pairs[first : first + PAIR_CHUNK]
        out[first : first + len(part)] = np.asarray(
            vectors[part[:, 0]].multiply(vectors[part[:, 1]]).sum(axis=1)).ravel()
    return out


EXACT_UP_TO = 5000
"""Up to this many sentences, same-fact pairs come from the exact similarity product (every pair is
seen); above it, from LSH candidates (cost linear in the sentences, some pairs missed)."""
PAIR_BLOCK = 2000  # rows of the exact similarity product computed at once


def exact_pairs(vectors: sparse.csr_matrix, threshold: float) -> np.ndarray:
    """Every pair (i, j), i > j, whose cosine reaches the threshold, a block of rows at a time."""
    n = vectors.shape[0]
    found = [np.zeros((0, 2), dtype=np.int64)]
    transposed = vectors.T.tocsc()
    for start in range(0, n, PAIR_BLOCK):
        block = (vectors[start : start + PAIR_BLOCK] @ transposed).tocoo()
        rows = block.row.astype(np.int64) + start
        keep = (block.data >= threshold) & (block.col < rows)
        found.append(np.stack([rows[keep], block.col[keep].astype(np.int64)], axis=1))
    return np.concatenate(found)


def same_fact_pairs(vectors: sparse.csr_matrix, threshold: float, sigs: np.ndarray,
                    exact_up_to: int = EXACT_UP_TO) -> np.ndarray:
    """Pairs (i, j), i > j, of sentences that state the same fact: cosine at least the threshold."""
    if vectors.shape[0] <= exact_up_to:
        return exact_pairs(vectors, threshold)
    return verified(candidate_pairs(sigs), vectors, threshold)


def verified(pairs: np.ndarray, vectors: sparse.csr_matrix, threshold: float) -> np.ndarray:
    """The candidate pairs whose cosine reaches the threshold."""
    if not len(pairs):
        return pairs
    return pairs[row_cosines(vectors, pairs) >= threshold]


def neighbours_of(n: int, pairs: np.ndarray) -> sparse.csr_matrix:
    """The same-fact graph as a symmetric n × n boolean matrix: an entry for each pair, none on the
    diagonal. "The same fact" is a property of a pair: it is never closed over chains of pairs, since
    A like B and B like C does not make A state what C states."""
    graph = sparse.csr_matrix((np.ones(2 * len(pairs), dtype=bool),
                               (np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]])), shape=(n, n))
    graph.sum_duplicates()
    return graph


def independent_support(neighbours: sparse.csr_matrix, folded: np.ndarray, n_sources: int) -> np.ndarray:
    """For each sentence, how many independent sources state it: its own and those of the sentences it
    is paired with directly (each source counted as its original when it is a republication)."""
    n = neighbours.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    own = sparse.csr_matrix((np.ones(n, dtype=bool), (np.arange(n), folded)), shape=(n, max(1, n_sources)))
    reach = (neighbours.astype(np.int32) + sparse.identity(n, dtype=np.int32, format="csr")) @ own.astype(np.int32)
    return np.diff(reach.tocsr().indptr).astype(np.int64)


def republications(sources: Sequence[Source], source_of: np.ndarray, pairs: np.ndarray) -> dict[str, str]:
    """{copy id: original id} for sources that mostly restate another source: at least half of the
    copy's sentences have a same-fact pair in the original. Sources shorter than
    `MIN_SENTENCES_FOR_REPUBLICATION` count when the original restates every one of their sentences and
    they have at least `MIN_SENTENCES_RESTATED_WHOLE`, or when their file is byte-identical and every
    sentence is restated both ways.

    Each copy names the root original, never another copy, however many copies there are and in
    whatever order they come: of two sources that restate each other, the later (date, then file
    order) is the copy; of two where only one is mostly restated, that one is the copy (an excerpt).
    Every copy takes the original it shares most with (then the earliest), links that would close a
    cycle are dropped, and chains (a copy of a copy) are followed to their root."""
    n_sources = len(sources)
    counts = np.bincount(source_of, minlength=n_sources)
    if n_sources < 2 or not len(pairs):
        return {}
    x, y, share, back = restated_shares(source_of, pairs, counts)
    order = [(s.metadata.date or "9999", k) for k, s in enumerate(sources)]
    links = copy_links(sources, counts, order, x, y, share, back)
    parent: dict[int, int] = {}

    def root(k: int) -> int:
        while k in parent:
            k = parent[k]
        return k

    for (copy, orig), _ in sorted(links.items(), key=lambda e: (-e[1], order[e[0][1]], order[e[0][0]])):
        if copy not in parent and root(orig) != copy:
            parent[copy] = orig
    ids = [s.id for s in sources]
    return {ids[k]: ids[root(k)] for k in sorted(parent)}


def restated_shares(source_of: np.ndarray, pairs: np.ndarray,
                    counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of sources (x, y) that restate each other at all, with the share of x's sentences that
    y restates and the share of y's that x restates."""
    n_sources, n = len(counts), len(source_of)
    a, b = source_of[pairs[:, 0]], source_of[pairs[:, 1]]
    across = a != b
    # Sentence i of source a is restated by source b: a sentences × sources matrix, entries made 1 ...
    restated = sparse.csr_matrix((np.ones(2 * int(across.sum())),
                                  (np.r_[pairs[across, 0], pairs[across, 1]], np.r_[b[across], a[across]])),
                                 shape=(n, n_sources))
    restated.data[:] = 1.0
    # ... then summed per source: shared[a, b] = how many of a's sentences b restates.
    owner = sparse.csr_matrix((np.ones(n), (source_of, np.arange(n))), shape=(n_sources, n))
    shared = (owner @ restated).tocoo()
    x, y, restated_count = shared.row.astype(np.int64), shared.col.astype(np.int64), shared.data
    share = restated_count / counts[x]
    # the share the other way round, (y, x), looked up for all entries at once
    key = x * n_sources + y
    order_of = np.argsort(key)
    at = np.minimum(np.searchsorted(key[order_of], y * n_sources + x), len(key) - 1)
    found = key[order_of][at] == y * n_sources + x
    back = np.where(found, restated_count[order_of][at], 0.0) / counts[y]
    return x, y, share, back


def copy_links(sources: Sequence[Source], counts: np.ndarray, order: Sequence[tuple[str, int]], x: np.ndarray,
               y: np.ndarray, share: np.ndarray, back: np.ndarray) -> dict[tuple[int, int], float]:
    """(copy, original) → the share of the copy's sentences the original restates, for each pair of
    `restated_shares` where one mostly restates the other: of two that restate each other, the later in
    `order` is the copy."""
    hashes = np.array([s.sha256 for s in sources], dtype=object)
    identical = (hashes[x] == hashes[y]) & (share == 1.0) & (back == 1.0)

    def copies_of(mine: np.ndarray, restates: np.ndarray) -> np.ndarray:
        """Whether a source mostly restates the other: by share when it is long enough; a short one when
        every sentence of it is restated (two or more), or as a byte-identical file whose every sentence
        is restated both ways."""
        long = counts[mine] >= MIN_SENTENCES_FOR_REPUBLICATION
        whole = (counts[mine] >= MIN_SENTENCES_RESTATED_WHOLE) & (restates >= 1.0)
        return np.where(long, restates >= REPUBLISHED_SHARE, whole | identical)

    forward, backward = copies_of(x, share), copies_of(y, back)
    links: dict[tuple[int, int], float] = {}
    for k in np.flatnonzero(forward & (x != y)).tolist():
        a, b = int(x[k]), int(y[k])
        if order[b] < order[a] or not backward[k]:
            links[(a, b)] = float(share[k])
        else:
            links[(b, a)] = float(back[k])
    return links


@dataclass(frozen=True)
class Facts:
    """Which sentences state the same thing, and which sources stand on their own.

    Two sentences state the same fact when they are a same-fact pair (TF-IDF cosine at least the
    threshold): a property of the pair, never of a chain. support[i] is the number of independent
    sources among sentence i and the sentences paired with it (a republication counts as its
    original); copied[i] whether its source is a republication."""

    neighbours: sparse.csr_matrix
    original: dict[str, str]
    support: np.ndarray
    copied: np.ndarray
    pairs: np.ndarray
    """The same-fact pairs (i, j), i > j."""
    folded: np.ndarray
    """Each sentence's source index, a republication's replaced by its original's."""
    vectors: sparse.csr_matrix | None = None
    threshold: float = 1.0
    exhaustive: bool = True
    """Whether every pair at the threshold is among `pairs` (the exact product); with LSH candidates,
    two sentences of one bucket may be paired only through its first sentence."""
    claims: Claims | None = None
    """What each sentence denies and counts: a pair states one fact only when they agree."""
    disputes: sparse.csr_matrix | None = None
    """The pairs close enough in words to state one fact whose claims disagree ("rose", "fell"), both
    framed alike (see `alleged`), as a symmetric matrix like `neighbours`: where one source disputes
    what another states."""
    reported: np.ndarray | None = None
    """For each sentence, how many independent sources state it, its contrary or an allegation of it
    in close wording: how much the corpus says of it, which selection weighs (`support` is how many
    agree with it, which a reader is told). None: as `support` (nothing disputed or alleged)."""
    alleged: sparse.csr_matrix | None = None
    """The pairs close enough in words to state one fact of which one reports an allegation and the
    other states it plainly ("The ministry accused the firm of dumping steel", "The firm dumped steel"):
    neither supports nor disputes the other. None: no such pair."""
    apart: sparse.csr_matrix | None = None
    outlets: tuple[str | None, ...] = ()
    """Each source's publication (`Metadata.publication`), by source index, for `names_outlet`."""
    source_of: np.ndarray | None = None
    """Each sentence's own source index (a republication's not replaced by its original's)."""
    _stating: dict[int, list[int]] = field(default_factory=dict, repr=False, compare=False)
    """The pairs close enough in words to state one fact that state figures of two things ("won stage
    13", "won stage 15": `Claims.apart`): neither supports nor disputes the other, though the corpus
    speaks of the matter twice and selection quotes one of them only, as for `alleged`. None: no such pair."""

    @property
    def reporting(self) -> np.ndarray:
        return self.support if self.reported is None else self.reported

    def same_fact(self, i: int, j: int) -> bool:
        if i == j or self.neighbours[i, j]:
            return True
        if self.exhaustive or self.vectors is None or not self.agree(i, j):
            return False
        return float(self.vectors[i].multiply(self.vectors[j]).sum()) >= self.threshold and self.claimed_alike(i, j)

    def agree(self, i: int, j: int) -> bool:
        """Whether sentences i and j may state one fact, however close their words (see `Claims`)."""
        return self.claims is None or self.claims.agree(i, j)

    def names_outlet(self, i: int, j: int) -> bool:
        """Whether one of sentences i and j names the publication the other comes from ("…, Reuters
        reported", "according to The Washington Post"): the one reports the other's story, and is no
        independent support for it."""
        if self.source_of is None or not self.outlets:
            return False
        for a, b in ((i, j), (j, i)):
            text = self.claims.texts[a] if self.claims is not None else None
            for k in {int(self.source_of[b]), int(self.folded[b])}:
                if text and cites_outlet(text, self.outlets[k]):
                    return True
        return False

    def named_apart(self, i: int, j: int) -> bool:
        """Whether sentences i and j name two different people or places in the same words of what they
        claim (`Claims.names_apart`): two things, so neither supports nor disputes the other. Read for
        the sentences a brief quotes (`stating`, `disputing`, `relation`), not over the corpus's every
        pair, where it cost thirty times the rest of finding the same facts."""
        return self.claims is not None and self.claims.names_apart(i, j)

    def claimed_alike(self, i: int, j: int) -> bool:
        """Whether sentences i and j are close in what they claim, not only in who claims it (`Speakers`)."""
        return self.claims is None or bool(self.claims.claimed_alike(np.array([[i, j]]), self.threshold)[0])

    def stating(self, i: int) -> list[int]:
        """Of the other sentences that state what sentence i states, in reading order, the first of each
        source: what its citations and support read (`support_of`; `rank.citations_of`). Where the pairs
        came from LSH, the sentences two pairs away are checked against i itself, so a sentence paired
        only through its bucket's first sentence is found, and one that merely resembles that first
        sentence is not. Not those that name other people or places in the same words (`named_apart`),
        nor those that name the other's publication as their source, or come from the one it names
        (`names_outlet`): a source's later sentences are read only until one passes, and the answer is
        kept, so a fact a syndicated corpus repeats thousands of times is read once per source."""
        found = self._stating.get(i)
        if found is None:
            found = self._stating[i] = self._first_of_each_source(i, self.stating_all(i))
        return found

    def _first_of_each_source(self, i: int, rows: list[int]) -> list[int]:
        own = self.source_of if self.source_of is not None else self.folded
        taken: set[int] = set()
        out = []
        for j in rows:
            source = int(own[j])
            if source not in taken and not self.named_apart(i, j) and not self.names_outlet(i, j):
                taken.add(source)
                out.append(j)
        return out

    def stating_all(self, i: int) -> list[int]:
        """Every other sentence close enough in words to state what sentence i states and agreeing with
        it, in reading order (see `stating`)."""
        near = self.neighbours.indices[self.neighbours.indptr[i] : self.neighbours.indptr[i + 1]]
        if self.exhaustive or self.vectors is None or not len(near):
            return sorted(int(j) for j in near)
        around = np.unique(np.concatenate([near, self.neighbours[near].indices]))
        around = around[(around != i) & ~np.isin(around, near)]
        if len(around):
            cosine = (self.vectors[around] @ self.vectors[i].T).toarray().ravel()
            around = around[cosine >= self.threshold]
            if len(around) and self.claims is not None:  # close in what they claim, all at once
                around = around[self.claims.claimed_alike(np.stack([np.full(len(around), i), around], axis=1),
                                                          self.threshold)]
            near = np.concatenate([near, [j for j in around.tolist() if self.agree(i, j)]]).astype(np.int64)
        return sorted(int(j) for j in near)

    @cached_property
    def alike(self) -> sparse.csr_matrix:
        """The pairs close in words, whether their claims agree or not (`neighbours`, `disputes`,
        `alleged` and `apart`): what selection never quotes both of."""
        extra = [m for m in (self.disputes, self.alleged, self.apart) if m is not None]
        return self.neighbours if not extra else (self.neighbours + sum(extra[1:], extra[0])).tocsr()

    def relation(self, i: int, j: int) -> str:
        """How two sentences close in words relate: "same" (they agree), "contrary" (they disagree,
        both framed alike), "alleged" (one reports as an allegation what the other states) or
        "distinct" (they state figures of two things: "stage 13", "stage 15"; see `Claims.apart`)."""
        if self.named_apart(i, j):
            return "distinct"
        if self.agree(i, j):
            return "same"
        if self.claims is None:
            return "contrary"
        if not self.claims.framed_alike(i, j):
            return "alleged"
        return "distinct" if self.claims.apart(i, j) else "contrary"

    def contrary(self, i: int, j: int) -> bool:
        """Whether sentence j states the contrary of sentence i (they disagree, both framed alike)."""
        return self.relation(i, j) == "contrary"

    def disputing(self, i: int) -> list[int]:
        """The sentences that state the contrary of sentence i in close wording, in reading order."""
        if self.disputes is None:
            return []
        return sorted(int(j) for j in self.disputes.indices[self.disputes.indptr[i] : self.disputes.indptr[i + 1]]
                      if not self.named_apart(i, int(j)))

    def support_of(self, i: int) -> int:
        """The independent sources that state sentence i, counted exactly (see `stating`)."""
        return len({int(self.folded[j]) for j in [i, *self.stating(i)]})


def cites_outlet(text: str, publication: str | None) -> bool:
    """Whether a sentence names a publication, as written (case and all), less a leading "The" ("…,
    the Washington Post reported"), and not as the end of a longer name ("Times" in "The Moscow
    Times"). A name under three letters is too short to tell from a word."""
    if not publication:
        return False
    name = re.sub(r"^the\s+", "", " ".join(publication.split()), flags=re.IGNORECASE)
    if len(name) < 3:
        return False
    for found in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        before = text[: found.start()].split()
        if not before or not before[-1][:1].isupper() or before[-1].lower().strip("“\"(") in _BEFORE_AN_OUTLET:
            return True
    return False


_BEFORE_AN_OUTLET = frozenset("the as citing per by in from".split())
"""Words that may open a sentence right before a publication's name ("As Reuters reported, …")."""


def facts_from(sources: Sequence[Source], source_of: np.ndarray, vectors: sparse.csr_matrix,
               sigs: np.ndarray, threshold: float, pairs: np.ndarray | None = None,
               claims: Claims | None = None) -> Facts:
    """Same-fact pairs, republications and support for sentences whose source index is `source_of[i]`;
    `pairs`, when the caller has found them (LSH candidates, verified), are the pairs close enough in
    words; of those, the pairs whose `claims` agree state the same fact."""
    n = len(source_of)
    exhaustive = pairs is None and n <= EXACT_UP_TO
    if pairs is None:
        pairs = same_fact_pairs(vectors, threshold, sigs)
    disputed = reframed = distinct = np.zeros((0, 2), dtype=np.int64)
    if claims is not None:
        pairs = pairs[claims.claimed_alike(pairs, threshold)]
        agree, framed = claims.agreement(pairs), claims.framing(pairs)
        pairs, disputed, reframed = pairs[agree], pairs[~agree & framed], pairs[~framed]
        distinct = np.array([claims.apart(a, b) for a, b in disputed.tolist()], dtype=bool)
        disputed, distinct = (disputed[~distinct], disputed[distinct]) if len(disputed) else (disputed, disputed)
    original = republications(sources, source_of, pairs)
    index = {s.id: k for k, s in enumerate(sources)}
    folded_source = np.array([index[original.get(s.id, s.id)] for s in sources], dtype=np.int64)
    folded = folded_source[source_of] if n else np.zeros(0, dtype=np.int64)
    neighbours = neighbours_of(n, pairs)
    support = independent_support(neighbours, folded, len(sources))
    copied = np.array([s.id in original for s in sources], dtype=bool)[source_of] if n else np.zeros(0, dtype=bool)
    disputes = neighbours_of(n, disputed) if len(disputed) else None
    alleged = neighbours_of(n, reframed) if len(reframed) else None
    apart = neighbours_of(n, distinct) if len(distinct) else None
    said = [m for m in (disputes, alleged, apart) if m is not None]
    reported = independent_support(neighbours + sum(said[1:], said[0]), folded, len(sources)) if said else None
    return Facts(neighbours, original, support, copied, pairs, folded, vectors, threshold, exhaustive, claims,
                 disputes, reported, alleged, apart, tuple(s.metadata.publication for s in sources), source_of)


def facts_of(sources: Sequence[Source], sentences: Sequence[Sentence], vectors: sparse.csr_matrix,
             threshold: float, sigs: np.ndarray | None = None, lexicon: Lexicon | None = None) -> Facts:
    """Facts for sentences given as objects (their source ids); signatures computed when not given."""
    texts = [s.text for s in sentences]
    features = features_of(texts, lexicon or Lexicon())
    index = {s.id: k for k, s in enumerate(sources)}
    source_of = np.array([index[s.source] for s in sentences], dtype=np.int64)
    claims = Claims.of_features(texts, features, TermSpace.of(features))
    return facts_from(sources, source_of, vectors, features.signature if sigs is None else sigs, threshold,
                      claims=claims)


def known_leaders(stored: StoredBuckets, at: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The last build's bucket leaders renumbered into this corpus (the new sentences' rows -1), and
    which sentences are new. `at`: where each source the stored leaders number is in this corpus (see
    `incremental.Outdated.bucket_sources`); `counts`: each source's number of sentences, in order."""
    n = int(counts.sum())
    start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    stored_start = np.zeros(len(stored.keys) + 1, dtype=np.int64)
    np.cumsum(stored.counts, out=stored_start[1:])
    renumber = np.repeat(start[at] - stored_start[:-1], stored.counts) + np.arange(stored_start[-1])
    leaders = np.full((n, stored.leaders.shape[1]), -1, dtype=np.int32)
    leaders[renumber] = np.where(stored.leaders >= 0, renumber[np.maximum(stored.leaders, 0)], -1)
    new = np.ones(n, dtype=bool)
    new[renumber] = False
    return leaders, np.flatnonzero(new)


def same_facts(sources: Sequence[Source], source_index: np.ndarray, counts: np.ndarray, features: Features,
               likeness: Likeness, keys: Sequence[str], threshold: float, stored: StoredBuckets | None,
               stored_at: np.ndarray | None, claims: Claims | None = None) -> tuple[Facts, int, StoredBuckets | None]:
    """Same-fact clusters and republications; with how many sentences' LSH buckets were reused, and
    the buckets to store for the next build (None for the exact search).

    Above EXACT_UP_TO sentences, candidate pairs come from locality-sensitive hashing: each sentence
    is paired with the first sentence of each of its buckets. The last build's bucket leaders
    (`stored`) are reused when only sources were added since, as `incremental.outdated` decided
    (`stored_at`: where each of their sources is now, else None): only the new sentences' buckets are
    looked up, and the leaders are exactly those a fresh search finds. Every candidate's similarity
    is checked afresh, and pairs whose `claims` disagree are dropped. `counts`: each source's number of
    sentences, in order."""
    if len(source_index) <= EXACT_UP_TO:
        return facts_from(sources, source_index, likeness.vectors, features.signature, threshold,
                          claims=claims), 0, None
    if stored is None or stored_at is None:
        leaders, reused = bucket_leaders(features.signature), 0
    else:
        known, new = known_leaders(stored, stored_at, counts)
        leaders, reused = bucket_leaders_since(features.signature, known, new), len(source_index) - len(new)
    pairs = verified(pairs_of(leaders), likeness.vectors, threshold)
    facts = facts_from(sources, source_index, likeness.vectors, features.signature, threshold, pairs, claims)
    return facts, reused, StoredBuckets(tuple(keys), counts, leaders)
