"""Theme relevance: how clearly a sentence is about each analyst-defined theme.

A theme is read as a query, as a search engine reads one: its keywords and aliases ("china" also as
"beijing", "xi jinping") at their weights, the words of its title and of its description, each times
its IDF in the corpus. A sentence's relevance is its TF-IDF cosine with that query, widened by
relevance feedback (RM3: the words the theme's most relevant sentences share, from independent
sources, and far likelier there than in the corpus), among the sentences that use a keyword or two of
the theme's words; keyword and phrase matches (on stems, phrases as consecutive stems) add to it.
Each theme's scores are then put on the theme's own scale, 1 being as relevant as its typical top
sentences, so that themes are compared by fit and no theme captures sentences because its keywords
weigh more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

import numpy as np
from scipy import sparse

from briefing.config import Selection, Theme
from briefing.nlp import Lexicon, words_of
from briefing.pipeline.abbreviations import Abbreviations
from briefing.pipeline.features import Features, features_of, term_id
from briefing.similarity import TermSpace


def named_terms(theme: Theme, lexicon: Lexicon) -> dict[str, float]:
    """What the analyst named: the theme's keywords and aliases at their weights. A theme written in
    plain words (a title and a description, no keywords) names every content word of both, each
    weighing one, as a query-focused summariser reads a topic's title and narrative; `by_rarity` then
    weighs them by how rare they are in the corpus, since the analyst weighed none of them."""
    terms = theme.terms()
    if terms:
        return terms
    return {word: 1.0 for text in (theme.title, theme.description) for word in words_of(text)
            if word not in lexicon.stop_words and not word.isdigit() and word not in INSTRUCTIONS}


def other_names(theme: Theme, lexicon: Lexicon, defined: Mapping[str, str]) -> dict[str, float]:
    """The other names, as the corpus defines them (`Abbreviations`), of what the theme names:
    the short form of a long form it names ("Collective Security Treaty Organization": "CSTO") and the
    long form of a short form it names, each at the weight of the term that names it. A theme names
    through its keywords and aliases, or, in plain words, through its title and description, where a
    short form counts only as written ("WHO", not "who"). A short form that is a stop word once lower-
    cased ("US", "WHO", "IT") is left out: terms match without case, and it would match every "us"."""
    found: dict[str, float] = {}
    if not defined:
        return found
    named = theme.terms()
    texts = list(named.items()) if named else [(theme.title, 1.0), (theme.description, 1.0)]
    said = [(tuple(lexicon.stems(text)), set(words_of(text)) if named else set(text.split()), weight)
            for text, weight in texts]
    for short, long in defined.items():
        if short.lower() in lexicon.stop_words:  # "US", "WHO", "IT": matched without case, they are "us", "who", "it"
            continue
        long_stems = tuple(lexicon.stems(long))
        for stems, words, weight in said:
            spelled = short.lower() in words if named else any(_bare(w) == short for w in words)
            if spelled and long not in found:
                found[long] = max(weight, found.get(long, 0.0))
            if _runs(long_stems, stems):
                found[short] = max(weight, found.get(short, 0.0))
    return {term: w for term, w in found.items() if term.lower() not in named}


def _bare(word: str) -> str:
    """A word of a theme's text as written, less punctuation around it and a possessive ("CSTO's")."""
    return word.strip(".,;:!?()[]\"'’”“").removesuffix("’s").removesuffix("'s")


def _runs(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether `part` occurs in `whole` as consecutive items."""
    size = len(part)
    return 0 < size <= len(whole) and any(whole[k : k + size] == part for k in range(len(whole) - size + 1))


def in_plain_words(theme: Theme) -> bool:
    """A theme with no keywords: its title's and description's words are what it names."""
    return not theme.terms()


Stem = TypeVar("Stem", str, int)
"""A matcher's words: stems (str) as read from a theme, or their ids (int) to match cached features."""


@dataclass(frozen=True, eq=False)
class ThemeMatcher(Generic[Stem]):
    theme: Theme
    phrases: tuple[tuple[tuple[Stem, ...], float], ...]
    labels: dict[tuple[Stem, ...], str]

    @classmethod
    def of(cls, theme: Theme, lexicon: Lexicon, extra: dict[str, float] | None = None) -> ThemeMatcher[str]:
        phrases: dict[tuple[str, ...], float] = {}
        labels: dict[tuple[str, ...], str] = {}
        for term, weight in {**(extra or {}), **named_terms(theme, lexicon)}.items():
            stems = tuple(lexicon.stems(term))
            if stems:
                phrases[stems] = max(weight, phrases.get(stems, 0.0))
                labels.setdefault(stems, term)
        return ThemeMatcher(theme, tuple(sorted(phrases.items())), labels)

    @cached_property
    def _by_first(self) -> dict[Stem, list[tuple[tuple[Stem, ...], float]]]:
        index: dict[Stem, list[tuple[tuple[Stem, ...], float]]] = {}
        for phrase, weight in self.phrases:
            index.setdefault(phrase[0], []).append((phrase, weight))
        return index

    def hits(self, stems: Sequence[Stem]) -> dict[tuple[Stem, ...], float]:
        """The theme's terms found in a sentence's stems; a word inside a longer hit counts once."""
        index = self._by_first
        matches = [(phrase, weight, k) for k, stem in enumerate(stems) for phrase, weight in index.get(stem, ())
                   if tuple(stems[k : k + len(phrase)]) == phrase]
        found: dict[tuple[Stem, ...], float] = {}
        covered: set[int] = set()
        for phrase, weight, k in sorted(matches, key=lambda m: (-len(m[0]), m[0], m[2])):
            span = range(k, k + len(phrase))
            if not covered.intersection(span):
                found[phrase] = weight
                covered.update(span)
        return found

    def by_rarity(self: ThemeMatcher[str], idf: dict[tuple[str, ...], float]) -> ThemeMatcher[str]:
        """The same terms, each weighing its IDF (`idf`: a phrase's rarest word's) over the rarest
        term's: for a theme in plain words, where a word the whole corpus uses ("Russia" in a corpus
        about Russia) tells little of what the analyst asks."""
        top = max((idf.get(p, 0.0) for p, _ in self.phrases), default=0.0)
        if top <= 0:
            return self
        return ThemeMatcher(self.theme, tuple((p, w * idf.get(p, 0.0) / top) for p, w in self.phrases), self.labels)

    def hashed(self: ThemeMatcher[str]) -> ThemeMatcher[int]:
        """The same matcher over stem ids (briefing.pipeline.features), for matching cached sentence features."""
        found = self.__dict__.get("_hashed")
        if found is None:
            phrases = tuple(sorted((tuple(term_id(s) for s in phrase), w) for phrase, w in self.phrases))
            labels = {tuple(term_id(s) for s in p): label for p, label in self.labels.items()}
            found = self.__dict__["_hashed"] = ThemeMatcher(self.theme, phrases, labels)
        return found

    def hit_labels(self, stems: Sequence[Stem]) -> list[str]:
        return [self.labels[p] for p in self.hits(stems)]


class Occurrences:
    """Where the themes' stems and phrases occur in the corpus's flat stem array (briefing.pipeline.features),
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
    counted = ~np.asarray(covered[starts[:, None] + np.arange(size)].any(axis=1))
    if size > 1 and (np.diff(starts[counted]) < size).any():
        end = -1
        for k in np.flatnonzero(counted).tolist():
            counted[k] = starts[k] >= end
            end = starts[k] + size if counted[k] else end
    return counted


def _strength_of(matcher: ThemeMatcher[int], occurrences: Occurrences) -> np.ndarray:
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


FORM_ROWS = 200  # the sentences per keyword `keyword_forms` reads for the word forms it matched


def keyword_use(theme: Theme, lexicon: Lexicon, occurrences: Occurrences,
                usable: np.ndarray) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """How many of the usable sentences use each of the theme's keywords, or one of its aliases (a
    theme in plain words: each of its title's and description's words), as the theme's matcher finds them: what tells
    an analyst which words of a theme the corpus never uses; and the first FORM_ROWS of those sentences
    (for `keyword_forms`)."""
    found: dict[str, int] = {}
    where: dict[str, np.ndarray] = {}
    for keyword in list(theme.keywords) or list(named_terms(theme, lexicon)):
        rows = [np.zeros(0, dtype=np.int64)]
        for term in (keyword, *theme.aliases.get(keyword, ())):
            stems = tuple(term_id(s) for s in lexicon.stems(term))
            if stems:
                occurrences.look_up(stems)
                _, at = occurrences.starts(stems)
                rows.append(at[usable[at]])
        used = np.unique(np.concatenate(rows))
        found[keyword], where[keyword] = len(used), used[:FORM_ROWS]
    return found, where


def _bare_form(word: str) -> str:
    """A word less a possessive and a plural or third-person "s" ("neighbors", "Russia's")."""
    word = word.removesuffix("'s")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def keyword_forms(theme: Theme, lexicon: Lexicon, texts: Sequence[str],
                  rows: Mapping[str, np.ndarray]) -> dict[str, list[str]]:
    """The other words each keyword (or one of its aliases) matched through stemming, most frequent
    first, in the sentences `rows` gives it (`keyword_use`): "demonstrations" matching "demonstrating"
    shows the analyst a keyword met in another sense. A plural, a possessive or a change of case is no
    other word."""
    out: dict[str, list[str]] = {}
    for keyword, at in rows.items():
        own = [keyword, *theme.aliases.get(keyword, ())]
        written = {" ".join(_bare_form(w) for w in words_of(term)) for term in own}
        phrases = {tuple(lexicon.stems(term)) for term in own} - {()}
        forms: Counter[str] = Counter()
        for i in at.tolist():
            words = words_of(texts[i][:SPELLING_CHARACTERS])
            stems = [lexicon.stem(w) for w in words]
            for phrase in phrases:
                size = len(phrase)
                for k in range(len(stems) - size + 1):
                    if tuple(stems[k : k + size]) == phrase:
                        form = words[k : k + size]
                        if " ".join(_bare_form(w) for w in form) not in written:
                            forms[" ".join(w.removesuffix("'s") for w in form)] += 1
        if forms:
            out[keyword] = [form for form, _ in forms.most_common()]
    return out


def strengths(matchers: Sequence[ThemeMatcher[str]], features: Features,
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


DESCRIPTION_WEIGHT = Selection().description_weight
"""A theme is a query in two parts, each its words times their IDF, L2-normalised: what the analyst
named (keywords and aliases, each at its weight relative to the heaviest, and the words of its title)
and what its description says. The description's share of the whole follows how much each part says:
w·D / (w·D + N) for D words of the description and N named ones, a description word counting
`description_weight` (w) of a named one. Eight keywords and a narrative of fifteen words give the
narrative about a fifth, so that it widens the theme without drowning the keywords. A theme in plain
words (no keywords: a title and a narrative, as query-focused topics are posed) names every content
word of its title and narrative, each weighing one (`named_terms`), its keyword matches count each
word by its rarity (`ThemeMatcher.by_rarity`), and a description word counts as much as a named one,
since nobody weighed either."""
TYPICAL_SCAN = 20_000  # the most relevant sentences looked through for them


def typical_top(relevance: np.ndarray, vectors: sparse.csr_matrix, size: int, same: float = 0.5) -> float:
    """The mean relevance of the `size` most relevant sentences that are not restatements of one
    another (TF-IDF cosine under `same`): a fact a corpus repeats fifty times counts once, so its copies
    do not set the scale for every other sentence. Scanned best first, a block at a time."""
    order = np.argsort(-relevance, kind="stable")
    order = order[relevance[order] > 0][:TYPICAL_SCAN]
    kept: list[int] = []
    for first in range(0, len(order), 200):
        block = order[first : first + 200]
        if kept:  # drop what restates a sentence kept already, all at once
            block = block[(vectors[block] @ vectors[kept].T).toarray().max(axis=1) < same]
        among = (vectors[block] @ vectors[block].T).toarray()
        chosen: list[int] = []
        for k in range(len(block)):
            if not chosen or among[k, chosen].max() < same:
                chosen.append(k)
                kept.append(int(block[k]))
                if len(kept) == size:
                    return float(relevance[kept].mean())
    return float(relevance[kept].mean()) if kept else 0.0


def reference_size(sentences: int, selection: Selection) -> int:
    """How many of a theme's most relevant sentences make its typical top: `typical_top` in a small
    corpus; in a large one a fixed share, so that a few keyword-stuffed sentences do not set the scale."""
    return max(selection.typical_top, int(sentences * selection.typical_top_share))


@dataclass(frozen=True)
class Relevance:
    """score[i, t]: how clearly sentence i is about theme t, from 0 to 1, on the theme's own scale
    (1: as relevant as the theme's typical top sentences); strength[i, t]: the same, unclipped, which
    compares themes (a sentence fits best the theme where it stands highest); raw[i, t]: the cosine
    with the widened theme; matchers[t]: theme t's own terms (for saying which matched);
    expansions[t]: the words the corpus added to theme t; keyword_use[t]: how many sentences use each
    of theme t's keywords (see `keyword_use`)."""

    score: np.ndarray
    strength: np.ndarray
    matchers: tuple[ThemeMatcher[str], ...] = ()
    expansions: tuple[tuple[str, ...], ...] = ()
    raw: np.ndarray | None = None
    reference: np.ndarray | None = None
    keyword_use: tuple[dict[str, int], ...] = ()
    keyword_rows: tuple[dict[str, np.ndarray], ...] = ()
    """keyword_rows[t]: some of the sentences that use each of theme t's keywords (see `keyword_use`)."""


def query_weights(theme: Theme, lexicon: Lexicon, extra: Mapping[str, float] | None = None,
                  title_weight: float = 1.0) -> tuple[dict[int, float], dict[int, float]]:
    """The theme's own words as term ids with their weights (before IDF): those the analyst named
    (keywords, aliases, title at `title_weight`, and the `extra` terms: `other_names`) and those of
    the description."""
    named: dict[int, float] = {}
    described: dict[int, float] = {}

    def add(into: dict[int, float], text: str, weight: float, skip: frozenset[str] = frozenset()) -> None:
        for stem in lexicon.terms(text):
            if stem in skip:
                continue
            key = term_id(stem)
            into[key] = max(into.get(key, 0.0), weight)

    terms = named_terms(theme, lexicon)
    heaviest = max(terms.values(), default=1.0)
    for term, weight in terms.items():
        add(named, term, weight / heaviest)
    for term, weight in (extra or {}).items():
        add(named, term, weight / heaviest)
    add(named, theme.title, title_weight)
    add(described, theme.description, 1.0, _instruction_stems(lexicon))
    return named, described


INSTRUCTIONS = ("discuss", "describe", "identify", "explain", "include", "including", "information", "detail",
                "details", "specific", "specifically", "example", "examples", "provide", "mention", "aspect",
                "aspects", "regarding", "concerning", "various", "summarize", "summarise")
"""Words a description uses to ask ("Describe … and include any information on …"), not to say what
the theme is about: left out of the theme's words, as query-focused summarisers leave them out."""


def _instruction_stems(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(lexicon.stem(w) for w in INSTRUCTIONS)


def query_matrix(themes: Sequence[Theme], lexicon: Lexicon, space: TermSpace,
                 description_weight: float = DESCRIPTION_WEIGHT,
                 extras: Sequence[Mapping[str, float]] | None = None, title_weight: float = 1.0) -> sparse.csr_matrix:
    """Themes × terms: each theme's named words and its description's, each part times IDF and
    L2-normalised, the description making its share (see DESCRIPTION_WEIGHT), then normalised again
    (words the corpus never uses drop out, and count for neither part)."""
    idf = space.tfidf.idf_ if len(space.vocabulary) else np.zeros(0)
    width = max(1, len(space.vocabulary))

    def part(weights: dict[int, float]) -> tuple[sparse.csr_matrix, int]:
        found = [(k, w * idf[k]) for k, w in ((space.column(key), w) for key, w in weights.items())
                 if k is not None and w > 0]
        row = sparse.csr_matrix(([v for _, v in found], ([0] * len(found), [k for k, _ in found])), shape=(1, width))
        return _normalised(row), len(found)

    rows = []
    for k, theme in enumerate(themes):
        named, described = query_weights(theme, lexicon, extras[k] if extras else None, title_weight)
        (said, n), (told, d) = part(named), part(described)
        weight = 1.0 if in_plain_words(theme) else description_weight  # nobody weighed a plain theme's words
        share = weight * d / (weight * d + n) if weight * d + n else 0.0
        rows.append((1 - share) * said + share * told)
    if not rows:
        return sparse.csr_matrix((0, width))
    return _normalised(sparse.vstack(rows).tocsr())


def _normalised(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ matrix


def feedback(query: sparse.csr_matrix, vectors: sparse.csr_matrix, relevance: np.ndarray, limit: int,
             weight: float, origins: np.ndarray, usable: np.ndarray,
             df: np.ndarray | None = None, lift: float = 3.0, sentences: int = 10,
             min_sources: int = 2) -> tuple[sparse.csr_matrix, list[np.ndarray]]:
    """The themes widened by their most relevant sentences (RM3-style relevance feedback): the
    relevance-weighted mean of the `sentences` most relevant usable sentences, cut to the theme's own
    words and the `limit` heaviest others that at least two of those sentences from `min_sources`
    sources use, mixed in at `weight`. Returns the widened query and, per theme, the columns it gained."""
    if limit == 0 or weight == 0:
        return query, [np.zeros(0, dtype=np.int64) for _ in range(query.shape[0])]
    rows, gained = [], []
    for t in range(query.shape[0]):
        own = query[t]
        ranked = np.argsort(-np.where(usable, relevance[:, t], 0.0), kind="stable")[:sentences]
        ranked = ranked[relevance[ranked, t] > 0]
        if len(ranked) < 2:
            rows.append(own)
            gained.append(np.zeros(0, dtype=np.int64))
            continue
        block = vectors[ranked]
        mean = np.asarray(block.T @ relevance[ranked, t]).ravel() / relevance[ranked, t].sum()
        present = block.copy()
        present.data[:] = 1.0
        users = np.asarray(present.sum(axis=0)).ravel()
        by_source = sparse.csr_matrix((np.ones(len(ranked)), (origins[ranked], np.arange(len(ranked)))),
                                      shape=(int(origins.max()) + 1, len(ranked))) @ present
        sources = np.asarray((by_source > 0).sum(axis=0)).ravel()
        new = (users >= 2) & (sources >= min_sources) & (mean > 0)
        if df is not None:  # far likelier among these sentences than in the corpus: not a corpus-wide word
            new &= users / len(ranked) >= lift * df / len(relevance)
        new[own.indices] = False
        candidates = np.flatnonzero(new)
        added = candidates[np.lexsort((candidates, -mean[candidates]))][:limit]
        keep = np.zeros(len(mean), dtype=bool)
        keep[added] = True
        keep[own.indices] = True
        fb = sparse.csr_matrix(np.where(keep, mean, 0.0))
        rows.append((1 - weight) * own + weight * _normalised(fb))
        gained.append(added)
    return _normalised(sparse.vstack(rows).tocsr()), gained


SPELLING_CHARACTERS = 10_000


def _surface_words(columns: np.ndarray, space: TermSpace, texts: Sequence[str], rows: np.ndarray,
                   lexicon: Lexicon) -> tuple[str, ...]:
    """The words, as the given sentences spell them most often, of some of the space's terms (read in
    each sentence's first SPELLING_CHARACTERS characters: a sentence of a million words is no quotable sentence,
    and reading it whole for each theme took seconds)."""
    wanted = {int(space.vocabulary[k]): k for k in columns.tolist()}
    spelled: dict[int, Counter[str]] = {}
    for i in (rows.tolist() if wanted else ()):
        for word in words_of(texts[i][:SPELLING_CHARACTERS]):
            key = term_id(lexicon.stem(word))
            if key in wanted and word not in lexicon.stop_words:
                spelled.setdefault(key, Counter())[word] += 1
    return tuple(spelled[int(space.vocabulary[k])].most_common(1)[0][0] for k in columns.tolist()
                 if int(space.vocabulary[k]) in spelled)


def _phrase_idf(matcher: ThemeMatcher[str], space: TermSpace) -> dict[tuple[str, ...], float]:
    """Each of the matcher's terms' IDF in the corpus: a phrase's rarest word's (0 for words it never uses)."""
    idf = space.tfidf.idf_
    found = {}
    for phrase, _ in matcher.phrases:
        columns = [space.column(term_id(stem)) for stem in phrase]
        found[phrase] = max((float(idf[c]) for c in columns if c is not None), default=0.0)
    return found


NO_EXPANSION = Selection(expansion_terms=0)
"""`relevance_of`'s settings when none are given: a build's, less the words the corpus adds to a theme."""


def relevance_of(texts: Sequence[str], themes: Sequence[Theme], lexicon: Lexicon,
                 selection: Selection = NO_EXPANSION,
                 sources: Sequence[str] | np.ndarray | None = None, usable: Sequence[bool] | np.ndarray | None = None,
                 features: Features | None = None, space: TermSpace | None = None,
                 vectors: sparse.csr_matrix | None = None, defined: Abbreviations | None = None) -> Relevance:
    """How clearly each text is about each theme: the TF-IDF cosine of the sentence with the theme's
    whole statement (keywords, title, description), widened by relevance feedback, among sentences that
    use a keyword or at least two of the theme's words; then put on each theme's own scale, so themes
    are compared by fit, not by how heavy their keywords are; `selection` says how (its relevance
    settings; by default, a build's settings without the corpus's words). `features`, `space` and `vectors` (the
    corpus's, and its TF-IDF rows in that space, when the caller has them) spare recomputing them, as
    `defined` (the abbreviations the corpus defines) spares making every sentence's text."""
    n = len(texts)
    if not texts or not themes:
        empty = np.zeros((n, len(themes)))
        return Relevance(empty, empty, (), tuple(() for _ in themes), empty, np.zeros(len(themes)))
    features = features if features is not None else features_of(texts, lexicon)
    space = space or TermSpace.of(features)
    vectors = vectors if vectors is not None else space.vectors(features)
    known = defined if defined is not None else Abbreviations.of_sentences(texts)
    extras = [other_names(t, lexicon, known.pairs) for t in themes]
    words = {short for extra in extras for short in extra if short in known.pairs and known.written_as_word(short)}
    extras = [{term: w for term, w in extra.items() if term not in words} for extra in extras]
    matchers = tuple(ThemeMatcher.of(t, lexicon, extra) for t, extra in zip(themes, extras))
    if len(space.vocabulary):
        matchers = tuple(m.by_rarity(_phrase_idf(m, space)) if in_plain_words(m.theme) else m for m in matchers)
    occurrences = Occurrences(features)
    strength = strengths(matchers, features, occurrences)
    present = space.counts(features)
    present.data[:] = 1.0
    # the query gains a short form ("CSTO") for the long form a theme names, not a long form's many words
    # for a short form: those outweighed what the theme is about (its matcher knows both)
    shorts = [{term: w for term, w in extra.items() if len(lexicon.terms(term)) == 1} for extra in extras]
    query = query_matrix(themes, lexicon, space, selection.description_weight, shorts, selection.title_weight)
    own_words = np.asarray((present @ (query > 0).T.astype(np.float64)).todense())
    about = (strength > 0) | (own_words >= 2)
    first = np.asarray((vectors @ query.T).todense()) * about
    usable_rows = np.ones(n, dtype=bool) if usable is None else np.asarray(usable, dtype=bool)
    origin_names = list(sources) if sources is not None else [str(i) for i in range(n)]
    _, origins = np.unique(np.asarray(origin_names, dtype=object).astype(str), return_inverse=True)
    widened, gained = feedback(query, vectors, first, selection.expansion_terms, selection.expansion_weight, origins,
                               usable_rows, space.df if len(space.vocabulary) else None, selection.expansion_lift,
                               selection.feedback_sentences, selection.expansion_sources)
    raw = np.asarray((vectors @ widened.T).todense()) * about
    share = selection.keyword_share
    raw = raw * ((1 - share) + share * (1.0 - np.exp(-strength / selection.keyword_saturation)))
    reference = np.array([typical_top(np.where(usable_rows, raw[:, t], 0.0), vectors, reference_size(n, selection),
                                      selection.same_fact_similarity)
                          for t in range(len(themes))])
    fit = np.divide(raw, reference[None, :], out=np.zeros_like(raw), where=reference[None, :] > 0)
    expansions = []
    for t in range(len(themes)):
        ranked = np.argsort(-first[:, t], kind="stable")[:selection.feedback_sentences]
        expansions.append(tuple(extras[t]) + _surface_words(gained[t], space, texts, ranked, lexicon))
    use, rows = zip(*(keyword_use(theme, lexicon, occurrences, usable_rows) for theme in themes))
    return Relevance(np.minimum(1.0, fit), fit, matchers, tuple(expansions), raw, reference, use, rows)
