"""Language helpers the stages share: word tokens, stop words, stems. Nothing here downloads data.

Stop words come from scikit-learn (it ships them); the stemmer is nltk's Snowball, which is pure code.
British spellings are read as American ones first (breame's list of 1,730 pairs), so "organisation"
and "organization", "neighbours" and "neighbors" are one term, and a word's hyphens are dropped, so
"re-elected" and "reelected", "co-operation" and "cooperation" are too, and accents (Erdoğan, Erdogan):
a themes file written in one spelling finds sources written in the other.
Stages receive a `Lexicon` rather than importing a global one, so a test can hand them another.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS
from lemminflect import getAllLemmas
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils import murmurhash3_32

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "said", "says", "also", "just", "like"}
_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*", re.UNICODE)


def words_of(text: str) -> list[str]:
    """Lower-cased word tokens; inner apostrophes, hyphens and dots stay (U.S., ex-Soviet, Russia’s)."""
    return _WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=1 << 16)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """A lower-case word's lemmas by part of speech, from LemmInflect's lexicon (it ships its data), read
    once per word ({} for a word it does not know) for the three tests below; callers only read it."""
    return getAllLemmas(word)


def known_word(word: str) -> bool:
    """Whether a lower-case word is an English word of LemmInflect's lexicon: a name, a typing error or
    two words run together are not."""
    return bool(lemmas(word))


def can_be_verb(word: str) -> bool:
    """Whether a lower-case English word can be a verb form ("said", "rejects"; "talks", a noun too),
    by LemmInflect's lexicon; a word it does not know can when it ends like one ("-ed", "-ing")."""
    found = lemmas(word)
    if found:
        return "VERB" in found or "AUX" in found
    return word.endswith(("ed", "ing"))


def inflected_verb(word: str) -> bool:
    """Whether a lower-case word is a verb inflected ("snubs", "opened", "loses"), as a headline's verb
    is and a publication's name's words are not ("Free", "Wall", "Post" are a verb's base form too)."""
    return any(lemma != word for lemma in lemmas(word).get("VERB", ()))


def term_id(stem: str) -> int:
    """A stem's stable id (MurmurHash3, 32 bits, seed 0), the same in every process and build."""
    return murmurhash3_32(stem, positive=True)


class Lexicon:
    """Stemming and stop words for one language (English, Snowball)."""

    def __init__(self, stop_words: frozenset[str] = STOP_WORDS) -> None:
        self.stop_words = stop_words
        self._stemmer = SnowballStemmer("english")
        self.stem = lru_cache(maxsize=200_000)(self._stem)
        self._terms: dict[str, tuple[str, ...]] = {}
        self._ids: dict[str, tuple[int, bool]] = {}

    def _stem(self, word: str) -> str:
        word = word.removesuffix("'s")
        if "." in word:
            return word
        word = word.replace("-", "")  # "re-elected", "co-operation": "reelected", "cooperation"
        if not word.isascii():  # "Erdoğan", "café": "erdogan", "cafe", as typed without accents
            word = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
        return self._stemmer.stem(BRITISH_ENGLISH_SPELLINGS.get(word, word))

    def terms(self, text: str) -> list[str]:
        """Stems of the content words, in order: what similarity and relevance are computed on.
        Kept per text: each stage that vectorises the sentences asks again for the same ones."""
        found = self._terms.get(text)
        if found is None:
            found = self._terms[text] = tuple(
                self.stem(w) for w in words_of(text) if w not in self.stop_words and not w.isdigit())
        return list(found)

    def ids(self, word: str) -> tuple[int, bool]:
        """The word's stem id and whether it is a content term, remembered: a corpus has far fewer
        distinct words than tokens."""
        found = self._ids.get(word)
        if found is None:
            found = self._ids[word] = (term_id(self.stem(word)), word not in self.stop_words and not word.isdigit())
        return found

    def stems(self, text: str) -> list[str]:
        """Stems of every word, stop words included: for matching multi-word phrases."""
        return [self.stem(w) for w in words_of(text)]
