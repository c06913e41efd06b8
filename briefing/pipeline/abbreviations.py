"""Abbreviations the corpus defines: "the Collective Security Treaty Organization (CSTO)" makes "CSTO"
and the long form two names of one thing, so that a theme which names either finds both.

Pairs are found as Schwartz and Hearst find them ("A simple algorithm for identifying abbreviation
definitions in biomedical text", PSB 2003): a short form in brackets right after the words it
abbreviates, each of its letters found in those words from right to left, its first letter at the
start of a word, the long form no longer than min(|short| + 5, 2·|short|) words. Only short forms
written like an acronym count (two capitals or more, at most ten characters: "CSTO", "USGS", "U.N."),
so a bracketed aside ("(2022)", "(Reuters)", "(in Russian)") defines nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BEFORE = 400  # characters read before a short form: its long form has at most 20 words
_BRACKETED = re.compile(r"\(([A-Za-z][A-Za-z0-9.&-]{1,9})\)")
_WORD = re.compile(r"[^\W_]+(?:[’'.\-&][^\W_]+)*")


def _acronym_like(short: str) -> bool:
    return sum(c.isupper() for c in short) >= 2 and short[0].isalpha()


def long_form(short: str, before: str) -> str | None:
    """The words right before a bracketed short form that it abbreviates (Schwartz and Hearst), or None."""
    letters = [c for c in short.lower() if c.isalnum()]
    words = _WORD.findall(before)[-min(len(letters) + 5, 2 * len(letters)):]
    if len(letters) < 2 or len(words) < 2:
        return None
    text = " ".join(words).lower()
    at = len(text) - 1
    for k in range(len(letters) - 1, -1, -1):
        while at >= 0 and (text[at] != letters[k] or (k == 0 and at > 0 and text[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
    start = text.rfind(" ", 0, at + 1) + 1
    found = " ".join(words)[start:]
    if len(found.split()) < 2 or short.lower() in found.lower().split():
        return None
    return found


def _add(seen: dict[str, Counter[str]], text: str, match: re.Match[str], sentence_start: int) -> None:
    """Counts in `seen` the definition a bracketed short form (`match`) makes, if any: its long form
    is read back from it, within its sentence (which starts at `sentence_start`)."""
    short = match.group(1).rstrip(".")
    if _acronym_like(short):
        found = long_form(short, text[max(sentence_start, match.start() - BEFORE) : match.start()])
        if found:
            seen.setdefault(short, Counter())[found] += 1


def _most_common(seen: dict[str, Counter[str]]) -> dict[str, str]:
    return {short: forms.most_common(1)[0][0] for short, forms in seen.items()}


def defined(texts: Iterable[str]) -> dict[str, str]:
    """{short form: long form} for every acronym the texts (sentences) define, each with the long form
    they give it most often (then the first given)."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        if "(" in text:
            for match in _BRACKETED.finditer(text):
                _add(seen, text, match, 0)
    return _most_common(seen)


def written_as_word(short: str, texts: Iterable[str]) -> bool:
    """Whether the texts also write a short form in lower case, as an ordinary word ("food aid" for
    AID): terms match without case, so it would find that word wherever it is."""
    word = re.compile(r"(?<![\w.-])" + re.escape(short.lower()) + r"(?![\w-])")
    return any(word.search(text) for text in texts if short.lower() in text)


@dataclass(frozen=True)
class Abbreviations:
    """The acronyms a corpus defines ({short form: long form}), and the texts in which to look for a
    short form also written as an ordinary word."""

    pairs: dict[str, str]
    texts: Sequence[str]

    @classmethod
    def of_sentences(cls, texts: Sequence[str]) -> Abbreviations:
        return cls(defined(texts), texts)

    @classmethod
    def of_sources(cls, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> Abbreviations:
        """Read off each source's text (`texts`), within its sentences' `spans` (as `defined` reads
        sentences): making every sentence's text of a large corpus to look for a bracket took seconds."""
        seen: dict[str, Counter[str]] = {}
        for text, at in zip(texts, spans):
            if "(" not in text or not at:
                continue
            starts = [a for a, _ in at]
            for match in _BRACKETED.finditer(text):
                k = bisect_right(starts, match.start()) - 1
                if k >= 0 and match.end() <= at[k][1]:  # inside a sentence, not in what cleaning left out
                    _add(seen, text, match, at[k][0])
        return cls(_most_common(seen), texts)

    def written_as_word(self, short: str) -> bool:
        return written_as_word(short, self.texts)
