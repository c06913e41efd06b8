"""Sentence spans, with character offsets into each source's text as read.

nltk's pretrained Punkt data cannot be downloaded, so Punkt is trained on the corpus itself and given
the common abbreviations a small corpus cannot teach it. Of the abbreviations it learns, only dotted
ones (U.N., E.U.) are kept: in a small corpus a word that happens to precede a broken sentence looks
like an abbreviation too. Where a sentence ends at an abbreviation is decided as news prose shows
(`Tokenizer._second_pass_annotation`). A "sentence" that opens in lower case is
the tail of a broken one (machine translation: "did not speak. of the war."): it is joined back on.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import overload

import numpy as np
from nltk.tokenize.punkt import _ORTHO_BEG_UC, PunktParameters, PunktSentenceTokenizer, PunktToken, PunktTrainer

try:
    from nltk import redos
except ImportError:  # nltk before the ReDoS backstop
    redos = None

from briefing.model import Sentence, Source

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt maj sgt capt cmdr adm gov sen rep pres rev hon
    amb atty supt insp spc pvt pfc cpl brig lieut
    u.s u.k u.n e.u u.s.a u.s.s.r d.c jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun etc e.g i.e vs v no nos inc corp ltd co bros dept est approx
    fig figs vol vols p pp ed eds al cf a.m p.m ph.d b.a m.a""".split()
)
TITLES = frozenset(
    """mr mrs ms dr prof gen col lt maj sgt capt cmdr adm gov sen rep pres rev hon amb atty supt insp spc pvt pfc
    cpl brig lieut st mt ft""".split()
)
"""Of the abbreviations, those written before a name ("Gen. Ivanov", "St. Petersburg"): a sentence ends on
one only before a word of OPENERS ("… on Elm St. The house …")."""
OPENERS = frozenset(
    """the a this these those that there he she it its they their we our i his her you your but and or yet so if
    when while after before as at in on for from by with of since although though because however meanwhile
    also then still most many much some all both each every few several another such what who where why how
    one two three""".split()
)
"""Words that open sentences and are no part of a name: capitalised after an abbreviation ("… in the U.S.
The move …", "… Apple Inc. The company …", "… at 3 p.m. The delegates …"), they start the next sentence."""
OPENS_LOWER = re.compile(r"^[\"'“‘(\[]*[a-z]")
WORDY = re.compile(r"[^\W_]")
"""A letter or digit: a "sentence" without one is punctuation Punkt cut off the end of the one before."""
ENDS_ON_INITIAL = re.compile(r"\b[A-Z][\w’'-]+\s+[A-Z]\.$")
OPENS_WITH_NICKNAME = re.compile(r"^[\"“‘'][A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?[\"”’']\s+[A-Z]")
"""A name with a nickname in quotation marks after its initial: "Pvt. Ivan L. “Chip” Frederick". Punkt,
seeing no capital after the initial, ends a sentence there."""


@contextmanager
def untimed() -> Iterator[None]:
    """nltk's own Punkt regexes without the wall-clock timeout nltk arms for every match.

    Recent nltk (3.10 here) runs every regex through `nltk.redos`, under a 5 s timeout meant as a
    backstop for patterns a caller supplies; arming it costs about 3 µs a match, nearly a third of
    Punkt's time. nltk says a trusted pattern may go without (timeout None), and Punkt's are nltk's
    own, so they run without while Punkt trains or splits here. Matches are the same either way.
    The setting is nltk's module-wide default: the build uses nltk from one thread per process."""
    if redos is None or not hasattr(redos, "DEFAULT_TIMEOUT"):
        yield
        return
    previous, redos.DEFAULT_TIMEOUT = redos.DEFAULT_TIMEOUT, None
    try:
        yield
    finally:
        redos.DEFAULT_TIMEOUT = previous


class Tokenizer(PunktSentenceTokenizer):
    """nltk's Punkt sentence tokenizer, remembering its verdict on each candidate break.

    For every . ? or ! Punkt tokenises and annotates the few characters around it ("said. The") to
    decide whether a sentence ends there; the verdict depends only on those characters and the
    learnt parameters, and the same contexts recur across articles, so each is decided once."""

    MEMORY = 200_000
    """Contexts remembered at most (each a few dozen characters); then memory starts afresh."""

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params)
        self._verdicts: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        verdict = self._verdicts.get(text)
        if verdict is None:
            if len(self._verdicts) >= self.MEMORY:
                self._verdicts.clear()
            verdict = self._verdicts[text] = super().text_contains_sentbreak(text)
        return verdict

    def _second_pass_annotation(self, aug_tok1: PunktToken, aug_tok2: PunktToken | None) -> str | None:
        """Punkt's verdict on a period after an abbreviation, overruled where news prose shows better.

        Punkt ends a sentence at an abbreviation when the next word is capitalised but seen in lower case
        elsewhere, and never seen capitalised mid-sentence: true of "The", but also of a name made of
        common words, so "the U.S. House of Representatives" and "U.N. Secretary-General Ban" were cut
        after the abbreviation, while "The" often is seen mid-sentence (in "The New York Times"), so
        "… in the U.S. The move …" ran on as one sentence. Here a sentence ends at an abbreviation
        before a capitalised word that opens sentences and is no part of a name (OPENERS: "The", "He",
        "In"), and otherwise only where Punkt ends it and the next word has been seen opening a sentence
        (or is one of the frequent sentence starters it learnt), never after a title ("Gen.", "Mr.").
        Initials and ellipses keep Punkt's verdict."""
        reason = super()._second_pass_annotation(aug_tok1, aug_tok2)
        if aug_tok2 is None or not aug_tok1.abbr or aug_tok1.ellipsis or aug_tok1.is_initial:
            return reason
        typ = aug_tok1.type_no_period
        if typ not in self._params.abbrev_types:
            return reason
        following = aug_tok2.type_no_sentperiod
        if aug_tok2.first_upper and following in OPENERS and not aug_tok2.period_final:
            aug_tok1.sentbreak = True
            return "abbreviation before a word that opens sentences"
        if aug_tok1.sentbreak and (typ in TITLES or not (self._params.ortho_context[following] & _ORTHO_BEG_UC
                                                         or following in self._params.sent_starters)):
            aug_tok1.sentbreak = False
            return "abbreviation before a word never seen opening a sentence"
        return reason


def train_tokenizer(texts: Iterable[str], limit: int | None = None) -> PunktSentenceTokenizer:
    """A Punkt tokenizer learnt from the texts, with the usual abbreviations added: from their first
    `limit` characters (default: twice TRAINING_CHARACTERS), the last text cut at a space. The sample
    stops once it has TRAINING_CHARACTERS, but its last text can be a file of millions of characters,
    and Punkt's training keeps an object for every word of it (a 4 MB sentence took 16 s and a GB)."""
    left = 2 * TRAINING_CHARACTERS if limit is None else limit
    trainer = PunktTrainer()
    with untimed():
        for text in texts:
            if len(text) > left:  # the last text learnt from
                space = text.rfind(" ", 0, left)
                trainer.train(text[: space if space > 0 else left], finalize=False)
                break
            left -= len(text)
            trainer.train(text, finalize=False)
        trainer.finalize_training()
    params: PunktParameters = trainer.get_params()
    learned = {a for a in params.abbrev_types if "." in a}
    params.abbrev_types = set(ABBREVIATIONS) | learned
    return Tokenizer(params)


TRAINING_CHARACTERS = 200_000
"""About 45 articles. On the synthetic corpora of bench/scale.py (1,000 and 10,000 articles), models
trained on 100,000, 200,000 and 500,000 characters split every source identically; the seeds folder
is smaller than any of these, so it is learnt whole."""


def training_sample(texts: Sequence[tuple[str, str]], limit: int = TRAINING_CHARACTERS) -> list[str]:
    """Keys of the texts Punkt learns from: in key order (a content hash spreads them over the corpus),
    until `limit` characters, so training costs the same at 1,000 articles as at 100,000."""
    chosen, total = [], 0
    for key, text in sorted(texts):
        if total >= limit:
            break
        chosen.append(key)
        total += len(text)
    return chosen


def tokenizer_to_json(tokenizer: PunktSentenceTokenizer) -> str:
    """The tokenizer's learnt parameters as canonical JSON (stable, so its hash names the model)."""
    p = tokenizer._params
    return json.dumps({
        "abbrev_types": sorted(p.abbrev_types),
        "collocations": sorted(map(list, p.collocations)),
        "sent_starters": sorted(p.sent_starters),
        "ortho_context": sorted([k, v] for k, v in p.ortho_context.items()),
    }, ensure_ascii=False, separators=(",", ":"))


def tokenizer_from_json(text: str) -> PunktSentenceTokenizer:
    """A tokenizer from `tokenizer_to_json`; ValueError (or KeyError) when the text is not one."""
    data = json.loads(text)
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(c) for c in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for word, flags in data["ortho_context"]:
        params.ortho_context[word] = int(flags)
    return Tokenizer(params)


def model_hash(params_json: str) -> str:
    return hashlib.sha256(params_json.encode("utf-8")).hexdigest()[:16]


def body_texts(sources: Iterable[Source]) -> Iterable[str]:
    for source in sources:
        yield "\n".join(source.text[span.start : span.end] for span in source.body)


def sentence_spans(text: str, start: int, end: int, tokenizer: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """Spans of the sentences in text[start:end], broken tails joined to the sentence before: one that
    opens in lower case, one with no letter or digit (the closing quotation mark of `loss.".`), and a name
    cut after its initial before a nickname ("Ivan L." and "“Chip” Frederick, …")."""
    spans: list[tuple[int, int]] = []
    with untimed():
        found = list(tokenizer.span_tokenize(text[start:end]))
    for a, b in found:
        a, b = a + start, b + start
        if spans and (OPENS_LOWER.match(text[a:b]) or not WORDY.search(text, a, b)
                      or OPENS_WITH_NICKNAME.match(text[a:b])
                      and ENDS_ON_INITIAL.search(text[spans[-1][0] : spans[-1][1]])):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def spans_of(source: Source, tokenizer: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """The spans of the source's body sentences, in reading order."""
    return [ab for span in source.body for ab in sentence_spans(source.text, span.start, span.end, tokenizer)]


def sentences_at(source: Source, spans: Iterable[tuple[int, int]]) -> list[Sentence]:
    """The source's sentences at the given spans, numbered in reading order."""
    return [Sentence(source.id, a, b, " ".join(source.text[a:b].split()), n) for n, (a, b) in enumerate(spans)]


class SentenceTable(Sequence[Sentence]):
    """The corpus's sentences, source after source, each made when it is asked for: a brief quotes a
    few dozen of a corpus's hundreds of thousands, and building them all took longer than choosing.

    source_index[i] is the position in `sources` of sentence i's source."""

    def __init__(self, sources: Sequence[Source], spans: Sequence[Sequence[tuple[int, int]]]) -> None:
        self.sources = tuple(sources)
        self._spans = tuple(spans)
        counts = np.fromiter(map(len, self._spans), dtype=np.int64, count=len(self._spans))
        self.start = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.start[1:])
        self.source_index = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        self._where = (self.source_index.tolist(), self.start.tolist())

    def __len__(self) -> int:
        return int(self.start[-1])

    @overload
    def __getitem__(self, i: int) -> Sentence: ...
    @overload
    def __getitem__(self, i: slice) -> list[Sentence]: ...

    def __getitem__(self, i: int | slice) -> Sentence | list[Sentence]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = operator.index(i)
        source_index, start = self._where
        if i < 0:
            i += len(source_index)
        if not 0 <= i < len(source_index):
            raise IndexError("sentence index out of range")
        k = source_index[i]
        n = i - start[k]
        source = self.sources[k]
        a, b = self._spans[k][n]
        return Sentence(source.id, a, b, " ".join(source.text[a:b].split()), n)

    def span_of(self, i: int) -> tuple[str, int, int]:
        """Sentence i's source id and character span, without making its text."""
        k = self._where[0][i]
        a, b = self._spans[k][i - self._where[1][k]]
        return self.sources[k].id, a, b

    def __iter__(self) -> Iterator[Sentence]:
        for source, spans in zip(self.sources, self._spans):
            yield from sentences_at(source, spans)

    @property
    def texts(self) -> Sequence[str]:
        """The sentences' texts, each made when it is asked for."""
        return _Texts(self)


class _Texts(Sequence[str]):
    def __init__(self, table: SentenceTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [s.text for s in self._table[i]]
        return self._table[i].text


def sentences_of(source: Source, tokenizer: PunktSentenceTokenizer) -> list[Sentence]:
    """The source's body as sentences, numbered in reading order."""
    return sentences_at(source, spans_of(source, tokenizer))
