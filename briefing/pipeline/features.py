"""What each sentence is on its own, before it is compared with any other: its content terms and
word stems as stable integer ids, how well it reads out of context, and how much it names and counts.

These depend only on the sentence's text (and the lexicon), so the per-source stage computes them
once, in parallel, and the cache keeps them with the source's analysis; the corpus-wide stages then
work on arrays instead of re-reading 400,000 sentences. Ids are 32-bit MurmurHash3 values of the
stems (as scikit-learn's HashingVectorizer uses), the same in every process and every build.
"""

from __future__ import annotations

import bisect
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from briefing.config import Standalone
from briefing.nlp import STOP_WORDS, Lexicon, can_be_verb, known_word, term_id, words_of

__all__ = ["Features", "features_of", "term_id"]

DEFAULT_STANDALONE = Standalone()

FEATURES_VERSION = "22"
"""Bump when what is computed here changes: cached features of another version are recomputed."""

# -- a sentence's fitness to be quoted alone -------------------------------------------------------

_OPENING = r"^[\"“‘(]?"  # a sentence's start, an opening quotation mark or bracket allowed
_LEAD_IN = r"[A-Z][\w’'-]*(?:\s+\w[\w’'-]*){0,3},\s+"  # a short opening phrase: "In Kazakhstan, he …"
_BE = (r"(?:[’']s|\s+(?:is|was|seems|seemed|appears|appeared"
       r"|would\s+be|will\s+be|has\s+been|had\s+been|may\s+be|might\s+be|could\s+be))")
_EXTRAPOSED = (
    r"it" + _BE + r"\s+(?:(?:not|also|now|still|already|very|more|less|equally|hardly|no\s+longer)\s+)*"
    r"(?:(?!(?:a|an|the|his|her|its|their|our|my|your|this|that|these|those)\b)\w+\s+(?:that|whether|how|why|if)\b"
    r"|(?:important|necessary|hard|difficult|easy|impossible|possible|worth|time|unclear|clear|fair|safe|wrong|right"
    r"|useful|vital|crucial|essential|tempting|premature|too\s+early|too\s+late)\s+to\b)"
)
"""Openings whose "it" or "that" points at nothing before: "it" standing for a clause that follows ("It’s
important to note that …", "It is clear whether …", "It is Russia that …") and "that" opening a clause
("That the assault has distracted the Kremlin … has been obvious")."""
BACK_POINTERS = re.compile(
    _OPENING + r"(?!" + _EXTRAPOSED + r"|that\s+(?:the|a|an|some|many|most|several)\s)"
    r"(?:(?:(?:for|in|of|despite|given|because of|with)\s+)?(?:all\s+)?(?:this|these|those|such)\b"
    r"|(?:he|she|it|they|that|his|her|its|their)\b"
    r"|(?:an?\s+similar|the\s+same|another)\s"
    r"|" + _LEAD_IN + r"(?:he|she|they|it|this|these|those)\s)"
    r"(?!\s*(?:is|was)\s+(?:important|clear|likely|true)\b)",
    re.IGNORECASE,
)
NAMES_BY_PRONOUN = re.compile(
    _OPENING + r"(?:" + _LEAD_IN + r")?(?:he|she|it|they|his|her|its|their|an?\s+similar|the\s+same|another)\b",
    re.IGNORECASE,
)
"""Of the sentences that point back, those that open with a personal pronoun or a comparison ("A
similar pledge …", "Another …"), after a short opening phrase if any: they name someone or something
that the sentence right before names (a demonstrative, "these charges", may reach further back)."""
CONNECTIVES = re.compile(
    r"^(?:also|thus|so|similarly|likewise|moreover|additionally|furthermore|finally|however|yet|still|"
    r"indeed|meanwhile|instead|therefore|hence|then|worse|besides|as such|in truth|in addition)\b",
    re.IGNORECASE,
)
UNNAMED_SPEAKER = re.compile(r"[,.!?][\"”’']\s+(?:he|she|they|it)\s+(?:said|added|says|told|wrote|noted)\b", re.I)
DAMAGED = re.compile(r"\(\s*[,;]|,\s*,|\s[,.;]\s|\(\s*\)")
_SAYING_GLUED = re.compile(r"\b([A-Za-z]{3,})(said|says|told|added|noted|stated|asked|wrote)\b")


def run_together(text: str) -> bool:
    """Whether a lost space ran a word into the verb of an attribution, as an extractor leaves it when a
    closing quotation mark and the space after it go ("… Nothing else. Respectsaid Imomali Rahmon"):
    a word no English lexicon knows, made of an English word of three letters or more and a verb of
    saying. Names that end so ("Alsaid") are no English word and a short one before it."""
    return any(not known_word(m.group(0).lower()) and known_word(m.group(1).lower())
               for m in _SAYING_GLUED.finditer(text))


SOFT_OPENERS = re.compile(r"^(?:and|or)\s", re.IGNORECASE)
GARBLED = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Tt]heir|[Oo]ur|[Mm]y|[Yy]our|[Mm]ost)\s+(?:the|an?|its|his|her|their|our|my|your)\b"
    r"|\b([Tt]he|[Aa]n?|[Oo]f|[Tt]o|[Ii]n|[Oo]n|[Ff]or|[Aa]nd|[Ww]ith)\s+(?i:\1)\b")
"""Grammar a writer does not leave but machine translation does: a determiner before a determiner or a
possessive ("some of the most its close allies"), a function word twice ("the the")."""
MARKUP = re.compile(r"\]\(|<[a-zA-Z/][^>]*>|`|!\[")
OPENING = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")
QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("«", "»"), ("(", ")"), ("[", "]"))


_LETTERS = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def has_verb(text: str) -> bool:
    """Whether a sentence has a word that can be a verb. A photo caption ("Ambulances at Russell
    Square, London after the July 7, 2005 bombings.") or a heading has none. A capitalised word after
    the first is a name and is not read ("Russell Square"); a word in capitals is ("RESIGNED"); a
    contraction counts as a verb ("it's")."""
    for k, match in enumerate(_LETTERS.finditer(text)):
        word = match.group()
        if k and word[0].isupper() and not word.isupper():
            continue
        lowered = word.lower()
        if "'" in lowered or "’" in lowered or can_be_verb(lowered):
            return True
    return False


def shape_problem(text: str) -> str | None:
    """Why the text does not have the shape of a whole sentence fit to quote alone (its length
    aside: that limit is a setting), or None."""
    if not OPENING.match(text):
        return "does not open like a sentence"
    if MARKUP.search(text):
        return "carries link or HTML markup"
    if text.rstrip("\"'”’»)]")[-1:] not in ".!?…":
        return "does not end like a sentence"
    if not has_verb(text):
        return "has no verb (a caption or a heading)"
    for left, right in QUOTE_PAIRS:
        if left == "‘":
            continue
        if text.count(left) != text.count(right):
            return "unbalanced quotation marks or brackets"
    if text.count('"') % 2:
        return "unbalanced quotation marks"
    return None


def length_problem(words: int, min_words: int, max_words: int) -> str | None:
    if words < min_words:
        return f"fragment ({words} words)"
    if words > max_words:
        return f"run-on ({words} words)"
    return None


def _question(text: str) -> bool:
    return text.rstrip("\"'”’»)] ").endswith("?")


def _unattributed_quote(text: str) -> bool:
    stripped = text.strip()
    return stripped[:1] in "“\"" and stripped.rstrip(".")[-1:] in "”\"" and stripped.count("“") <= 1


@dataclass(frozen=True)
class Mark:
    """A way a sentence fails to read alone: its key in the config (`selection.standalone`, where its
    factor is set), why, in words, and whether a text carries it."""

    key: str
    reason: str
    carries: Callable[[str], object]
    opening: bool = False
    """One of the openings, of which only the first that matches counts."""
    context: bool = False
    """Carried by what comes before the sentence, not by its own text (`carries` says no): set from the
    source by `features_of`'s `continued`."""


MARKS = (Mark("points_back", "opens with a word that points back", BACK_POINTERS.match, opening=True),
         Mark("connective", "opens with a connective", CONNECTIVES.match, opening=True),
         Mark("conjunction", "opens with a conjunction", SOFT_OPENERS.match, opening=True),
         Mark("unnamed_speaker", "speaker named only by a pronoun", UNNAMED_SPEAKER.search),
         Mark("damaged", "damaged text (a reference or link was stripped)", DAMAGED.search),
         Mark("garbled", "garbled grammar (as machine translation leaves it)", GARBLED.search),
         Mark("question", "question", _question),
         Mark("unattributed_quote", "a quotation without its speaker", _unattributed_quote),
         Mark("in_quotation", "inside a quotation that opens in a sentence before it (neither marks nor speaker)",
              lambda _text: False, context=True),
         Mark("run_together", "words run together (a space was lost)", run_together))
"""The marks, in the order their bits are numbered (see `marks_of`)."""


def marks_of(text: str) -> int:
    """The marks a sentence carries, as bits (bit k: MARKS[k])."""
    bits, opened = 0, False
    for k, mark in enumerate(MARKS):
        if mark.opening and opened:
            continue
        if mark.carries(text):
            bits |= 1 << k
            opened = opened or mark.opening
    return bits


IN_QUOTATION = 1 << next(k for k, mark in enumerate(MARKS) if mark.key == "in_quotation")
OPENING_QUOTE, CLOSING_QUOTE = "“„«", "”»"


def continued_quotations(text: str, sentences: Sequence[tuple[int, int]],
                         paragraphs: Sequence[tuple[int, int]]) -> list[bool]:
    """For each sentence (a span of `text`), whether it starts inside a quotation that an earlier
    sentence of its paragraph opened and has not closed: "… described the situation. “We fear major
    loss of life. There is huge damage to the infrastructure. All phone lines are down.”" Its middle
    sentences are someone's words with neither quotation marks nor speaker, and quoted alone they read
    as the source's own statement. Curly marks are counted opening against closing, straight ones by
    their parity; single marks are left out (they are apostrophes too)."""
    starts = [a for a, _ in paragraphs]
    out = []
    for a, b in sentences:
        k = bisect.bisect_right(starts, a) - 1
        inside = k >= 0 and a <= paragraphs[k][1]
        before = text[paragraphs[k][0] : a] if inside else ""
        after = text[b : paragraphs[k][1]] if inside else ""
        own = text[a:b]
        curly = sum(before.count(c) for c in OPENING_QUOTE) - sum(before.count(c) for c in CLOSING_QUOTE)
        straight = before.count('"') % 2 == 1
        # open before it, and closed by it or after it in the paragraph: a quotation as written, not a
        # mark lost in a damaged text ("“We want respect. Nothing else. Respectsaid Imomali Rahmon, …")
        closed = (curly > 0 and any(c in own + after for c in CLOSING_QUOTE)) or (straight and '"' in own + after)
        out.append(closed)
    return out


def standalone_factor(text: str, standalone: Standalone = DEFAULT_STANDALONE,
                      bits: int | None = None) -> tuple[float, list[str]]:
    """How well a sentence reads out of context (1 = fully), by `standalone`'s factors, and the
    reasons it is marked down; `bits`: its marks, when known (a mark of its context among them),
    else read off the text."""
    bits = marks_of(text) if bits is None else bits
    factor, reasons = 1.0, []
    for k, mark in enumerate(MARKS):
        if bits >> k & 1 and getattr(standalone, mark.key) < 1:
            factor *= getattr(standalone, mark.key)
            reasons.append(mark.reason)
    return factor, reasons


def standalone_factors(marks: np.ndarray, standalone: Standalone) -> np.ndarray:
    """`standalone_factor` of each sentence whose marks (`marks_of`) are given."""
    factor = np.ones(len(marks))
    for k, mark in enumerate(MARKS):
        factor[(marks >> k) & 1 == 1] *= getattr(standalone, mark.key)
    return factor


_DIGIT = re.compile(r"\d")


def names_and_figures(text: str, words: Sequence[str] | None = None) -> tuple[int, int]:
    """Names, numbers and dates make a sentence carry facts: how many names it has (capitalised words
    after the first) and how many figures (words with a digit). (`words`: its words_of, if known.)"""
    tokens = text.split()
    names = sum(1 for t in tokens[1:] if t[:1].isupper())
    figures = sum(1 for w in (words if words is not None else words_of(text)) if _DIGIT.search(w))
    return names, figures


def informativeness_of(names: np.ndarray, figures: np.ndarray, informative_at: float,
                       figure_weight: float) -> np.ndarray:
    """From 0 to 1, how many facts sentences carry: their names and figures (`names_and_figures`), a
    figure counting `figure_weight` names, 1 from `informative_at` of them (selection's settings)."""
    return np.minimum(1.0, (names + figure_weight * figures) / informative_at)


BANDS, ROWS = 24, 3
"""MinHash bands and rows per band (72 hash functions). Two sentences whose sets of content terms
have Jaccard similarity J share at least one band with probability 1 - (1 - J**3)**24: 0.65 at
J = 0.35, 0.96 at J = 0.5."""
_HASH = np.random.default_rng(20221001)
_MULTIPLIERS = (_HASH.integers(1, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1))
_OFFSETS = _HASH.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
EMPTY = np.uint32(0xFFFFFFFF)


def signatures(terms: np.ndarray, term_start: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """MinHash signatures (sentences × BANDS·ROWS, uint32) of each sentence's set of content terms,
    by multiply-shift hashing; a sentence without content terms gets EMPTY throughout. The terms are
    hashed `block` at a time (each hash a row of BANDS·ROWS 64-bit values), so memory stays bounded
    however long a sentence is: a block of sentences was hashed at once, and one 800,000-word
    sentence took a gigabyte."""
    n = len(term_start) - 1
    out = np.full((n, BANDS * ROWS), EMPTY, dtype=np.uint32)
    if n == 0:
        return out
    for a in range(int(term_start[0]), int(term_start[-1]), block):
        b = min(int(term_start[-1]), a + block)
        chosen = terms[a:b].astype(np.uint64)
        hashed = ((chosen[:, None] * _MULTIPLIERS[None, :] + _OFFSETS[None, :]) >> np.uint64(32)).astype(np.uint32)
        rows = np.searchsorted(term_start, np.arange(a, b), side="right") - 1  # the sentence of each term
        starts = np.flatnonzero(np.diff(rows, prepend=-1))
        at = rows[starts]
        out[at] = np.minimum(out[at], np.minimum.reduceat(hashed, starts, axis=0))
    return out


# -- what a sentence claims beyond its content words ------------------------------------------------

_NEGATING_WORDS = frozenset("not no never none nobody nothing neither nor cannot".split())
NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot)\b|n['’]t\b", re.IGNORECASE)
NOT_A_DENIAL = re.compile(r"\b(?:not\s+only|no\s+doubt|no\s+wonder|none\s+other|not\s+least|nothing\s+but"
                          r"|no\s+(?:more|fewer|less|later)\s+than|not\s+to\s+mention|nothing\s+(?:less|short)\s+of"
                          r"|whether\s+or\s+not|if\s+nothing\s+else)\b|[,(]\s*if\s+not\b", re.IGNORECASE)
"""Grammatical negation, less the phrases that deny nothing: "not only … but also", a bound ("no fewer
than 40"), a hedge after a comma or bracket ("economic, if not political, ties"). A conditional ("could
die if not airlifted") still counts: "if airlifted" says the opposite."""
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_UNITS = {w: v for v, w in enumerate("zero _ two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split()) if w != "_"}
_TENS = {w: 10 * v for v, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
         if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
"""Number words ("one" is left out: "one of the …" counts nothing)."""


_NUMBER_WORDS = "|".join([*_UNITS, *_TENS, *_SCALES])
_NUMBER_PHRASE = re.compile(r"(?<![\w.,])(?:\d+(?:[.,]\d+)*|(?:" + _NUMBER_WORDS + r")\b)"
                            r"(?:(?:[\s-]+(?:and\s+)?)(?:\d+(?:[.,]\d+)*|(?:" + _NUMBER_WORDS + r")\b))*")
"""A run of numerals and number words, in lower-cased text: "2.5 billion", "two hundred and fifty"."""
_TOKEN = re.compile(r"[^\W_]+")
_PARTS = re.compile(r"[^\s-]+")
CONTEXT_CHARACTERS = 60  # looked at on either side of a number for the word that says what it counts


def _values(tokens: list[str]) -> list[float]:
    """The numbers a run of number tokens spells: ["two", "hundred", "and", "fifty"] is [250.0];
    ["2", "and", "3"] is [2.0, 3.0]."""
    values: list[float] = []
    total, part = 0.0, None
    for k, token in enumerate(tokens):
        word = token.lower()
        if token[0].isdigit():
            if part is not None:
                values.append(total + part)
                total = 0.0
            digits = token.replace(",", "") if _THOUSANDS.fullmatch(token) else token.replace(",", ".")
            try:
                part = float(digits)
            except ValueError:  # "1.2.3": a section number, not a quantity
                part = None
        elif word in _SCALES:
            if part is None:
                continue
            if _SCALES[word] == 100:
                part *= 100
            else:
                total, part = total + part * _SCALES[word], 0.0
        elif word == "and":
            if not (k and tokens[k - 1].lower() in _SCALES):  # "two and three" is two numbers
                if part is not None:
                    values.append(total + part)
                total, part = 0.0, None
        else:
            if part is not None and not (k and tokens[k - 1].lower() in _SCALES) and word in _UNITS \
                    and (tokens[k - 1].lower() not in _TENS):
                values.append(total + part)  # "five six": two numbers
                total, part = 0.0, None
            part = (part or 0.0) + _UNITS.get(word, 0) + _TENS.get(word, 0)
    if part is not None:
        values.append(total + part)
    return values


def _context_word(word: str) -> str:
    if not word or word[0].isdigit() or word in STOP_WORDS or word in _UNITS or word in _TENS or word in _SCALES:
        return ""
    return word


LABELS = frozenset("""stage flight article chapter section resolution route highway road room gate terminal platform
    bus train episode season round game match day week phase item part volume page paragraph clause amendment
    protocol district ward precinct block lane runway pier berth track leg lap hole""".split())
"""Nouns that a whole number after them names one of many (“stage 13”, “Flight 447”, “Article 5”,
“Resolution 1441”), rather than counts (“killed 50”, “13 stages”): two sentences alike but for such a
number speak of two things (see `LABEL`), neither the same fact nor its contrary. Ratings of one thing
(“category 4”, “level 3”, “magnitude 7.1”) are not among them: two of those for one storm do disagree."""
LABEL = "#"
"""Marks a `quantities` context word that the number labels: "#stage" for the 13 of "stage 13"."""
WHEN, RANK = "#when", "#rank"
"""Mark a `quantities` number as a date or a time of day ("July 7", "2005", "11:39") or as a rank ("11th"):
a number of another kind than a count, which no count can dispute."""
_WHOLE = re.compile(r"\d{1,4}")
_MONTHS = frozenset("""january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split())
_CLOCK = re.compile(r"\d:\d")
_ORDINAL = ("st", "nd", "rd", "th")


def _kind(lowered: str, start: int, end: int, before: str, after: str) -> str | None:
    """WHEN for a date or a time of day, RANK for an ordinal, None for anything else (a count)."""
    number = lowered[start:end]
    if _CLOCK.search(lowered, max(0, start - 2), min(len(lowered), end + 2)):
        return WHEN
    if before in _MONTHS or after in _MONTHS or (len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100):
        return WHEN
    if lowered[end : end + 2] in _ORDINAL and not lowered[end + 2 : end + 3].isalpha():
        return RANK
    return None


def number_kind(words: frozenset[str]) -> str:
    """A number's kind, from its `quantities` words: WHEN, RANK, the noun it labels ("#stage"), or ""
    for a count. Numbers of two kinds never dispute each other: "three bombs" and "July 7"."""
    if WHEN in words:
        return WHEN
    if RANK in words:
        return RANK
    return next((w for w in sorted(words) if w.startswith(LABEL)), "")


def quantities(text: str) -> dict[float, frozenset[str]]:
    """The numbers a sentence states, each with the words right before and after it (stop words
    aside), which say what it counts: "stage 15", "30 seconds". "200,000", "two hundred thousand" and
    "200 thousand" are all 200000.0; "$2.5 billion" is 2500000000.0; a year is its number. A whole
    number that names one of many (`LABELS`: "stage 15", "Article 5") has its noun marked with `LABEL`
    ("#stage"); a date or time of day has WHEN among its words, a rank ("11th") RANK."""
    found: dict[float, set[str]] = {}
    lowered = text.lower()
    for match in _NUMBER_PHRASE.finditer(lowered):
        values = _values(_PARTS.findall(match.group()))
        if not values:
            continue
        start, end = match.span()
        before = _TOKEN.findall(lowered, max(0, start - CONTEXT_CHARACTERS), start)
        after = _TOKEN.search(lowered, end, end + CONTEXT_CHARACTERS)
        words = (_context_word(before[-1] if before else ""), _context_word(after.group() if after else ""))
        kind = _kind(lowered, start, end, before[-1] if before else "", after.group() if after else "")
        if words[0] in LABELS and _WHOLE.fullmatch(match.group()) and start and lowered[start - 1] == " ":
            words = (LABEL + words[0], words[1])
        for value in values:
            found.setdefault(value, set()).update(w for w in (*words, kind) if w)
    return {value: frozenset(words) for value, words in found.items()}


DENYING_WORDS = frozenset("""deny denies denied denying refuse refuses refused refusing reject rejects rejected
    rejecting cancel cancels cancelled canceled cancelling canceling postpone postpones postponed postponing
    """.split())
"""Verbs that deny or call off what they govern as "not" does: "The army denied that it had withdrawn",
"refused to resign", "cancelled the drills", "postponed the elections" say the contrary of "the army
had withdrawn", "resigned", "held the drills", "held the elections". (A phrase, `DENYING_PHRASE`:
"called off the drills", "failed to reach a deal".)"""
DENYING_PHRASE = re.compile(r"\b(?:call(?:s|ed|ing)?\s+off|fail(?:s|ed|ing)?\s+to)\b", re.IGNORECASE)


_DENYING_VERB = (r"(?:den(?:y|ies|ied|ying)|refus(?:e|es|ed|ing)|reject(?:s|ed|ing)?|cancel(?:s|led|ed|ling|ing)?"
                 r"|postpon(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+off|fail(?:s|ed|ing)?\s+to)")
NEGATED_DENIAL = re.compile(
    r"\b(?:refus|declin)(?:e|es|ed|ing)\s+to\s+(?:confirm\s+or\s+)?deny\b"
    r"|\b(?:neither\s+confirm(?:s|ed)?\s+nor|confirm(?:s|ed|ing)?\s+or)\s+den(?:y|ies|ied|ying)\b"
    r"|(?:\b(?:not|never|no\s+longer)|\b\w+n['’]t)\s+(?:(?:yet|\w+ly)\s+)?(?:been?\s+)?" + _DENYING_VERB + r"\b",
    re.IGNORECASE)
"""A denying verb that is itself negated or left open: "did not deny that it had withdrawn", "has never
rejected", "was not cancelled", "refused to confirm or deny", "would neither confirm nor deny". It denies
nothing, nor does it state what it governs: such a sentence neither supports nor disputes the plain
claim (`framing_of` marks it HEDGED)."""


def _maybe_denying(text: str, present: Sequence[str] | frozenset[str]) -> bool:
    """Whether a sentence has a denying verb or phrase at all (`DENYING_WORDS`, `DENYING_PHRASE`)."""
    return not DENYING_WORDS.isdisjoint(present) or (("off" in present or not _FAILING.isdisjoint(present))
                                                    and bool(DENYING_PHRASE.search(text)))


_FAILING = frozenset("fail fails failed failing".split())


def _main_clause(text: str) -> str:
    """The sentence less its asides (`aside_spans`): what it says, not what it says by the way."""
    spans = aside_spans(text)
    if not spans:
        return text
    kept, at = [], 0
    for start, end in spans:
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return " ".join(kept)


def denies(text: str, words: Sequence[str] | None = None, denying: bool | None = None) -> bool:
    """Whether a sentence's main clause is negated: "will not cut", "never joined", "didn't recognise"
    (not "a not-so-subtle warning"), or says that something was denied, refused, rejected, cancelled,
    postponed, called off or failed (`DENYING_WORDS`). A denial in an aside ("The army, which denied the
    report at first, withdrew on Monday.") and a denying verb that is itself negated or left open ("did
    not deny", "refused to confirm or deny": `NEGATED_DENIAL`) deny nothing. `words`: its words_of, and
    `denying`: whether it has a denying verb (`_maybe_denying`), if known."""
    present = words if words is not None else words_of(text)
    denying = _maybe_denying(text, present) if denying is None else denying
    if not denying and _NEGATING_WORDS.isdisjoint(present) and "n't" not in text and "n’t" not in text:
        return False
    main = _main_clause(text)
    if denying:
        main = NEGATED_DENIAL.sub(" ", main)
        if _maybe_denying(main, words_of(main)):
            return True
    return bool(NEGATION.search(NOT_A_DENIAL.sub(" ", main)))


_NUMBER_WORD_SET = frozenset([*_UNITS, *_TENS])

ALLEGING = re.compile(
    r"\b(?:accus(?:e|es|ed|ing|ation|ations)|alleg(?:e|es|ed|edly|ing|ation|ations)|reportedly|purportedly"
    r"|rumou?r(?:s|ed)?|unconfirmed|unverified|suspected\s+of|(?:claims?|claimed|claiming|charges?|charged)\s+that)\b",
    re.IGNORECASE)
"""Words that report what someone alleges instead of stating it ("The ministry accused the firm of
dumping steel", "… allegedly dumped", "charges that the firm is dumping", "reportedly"); "said" and
"told" are not among them: most facts in the news are somebody's words."""


_ALLEGING_STEMS = ("accus", "alleg", "reportedly", "purportedly", "rumo", "unconfirmed", "unverified", "suspected",
                   "claim", "charg")
"""A part of every word ALLEGING matches, as `_folded` spells it: a sentence with none of them (most
sentences) is not searched (the search cost a build of 100,000 articles 14 s)."""


def _folded(text: str) -> str:
    """The text case-folded as ALLEGING's IGNORECASE matches it ("İ" and "ı" match "i" there)."""
    return text.casefold().replace("ı", "i").replace("\u0307", "")


def alleges(text: str) -> bool:
    """Whether a sentence reports an allegation or an unconfirmed claim rather than stating it as fact:
    it does not corroborate a sentence that states the same thing plainly, nor dispute it."""
    folded = _folded(text)
    return any(stem in folded for stem in _ALLEGING_STEMS) and bool(ALLEGING.search(text))


HEDGING = re.compile(
    r"\b(?:(?:could|might|(?-i:may))(?=\s+(?!(?:and|or|but|of|in|to|that|is|was|as|for|with)\b)[^\W\d_])"
    r"|(?:plan(?:s|ned|ning)?|expected|scheduled|intend(?:s|ed)?|threaten(?:s|ed)?)\s+to\b)"
    r"|^[\"“‘(]?if\b|[,;:]\s+if\b(?!\s+not\b)", re.IGNORECASE)
"""Words that tell of what may, or is planned to, happen rather than what did: "could kill hundreds",
"might withdraw", "may be held", "planned to hold drills", "is expected to visit", "If the talks fail,
…" (a clause opening with "if"; "asked if" is no condition, "economic, if not political, ties" a
hedge that states the ties, "political might and" no modal)."""
_HEDGING_WORDS = frozenset("could might may plan plans planned planning expected scheduled intend intends "
                           "intended threaten threatens threatened if".split())

ALLEGED, HEDGED = 1, 2
"""The bits of a sentence's framing (`framing_of`): it reports an allegation (`alleges`); it tells of a
possibility, a plan or a condition (`HEDGING`), or leaves open what a negated denying verb governs
("did not deny that …": `NEGATED_DENIAL`)."""


def framing_of(text: str, words: Sequence[str] | None = None, denying: bool | None = None) -> int:
    """How a sentence frames what it says, as bits: ALLEGED when it reports an allegation, HEDGED when
    it tells of a possibility, a plan or a condition, or does not deny what it might ("did not deny
    that …"); 0 when it states it as fact. Two sentences framed otherwise neither corroborate nor dispute
    each other: "The strike could kill hundreds" is no support for "The strike killed hundreds", nor
    "The army did not deny that it had withdrawn" for "The army had withdrawn". `words`: its words_of,
    and `denying`: whether it has a denying verb (`_maybe_denying`), if known."""
    present = words if words is not None else words_of(text)
    denying = _maybe_denying(text, present) if denying is None else denying
    hedged = ((not _HEDGING_WORDS.isdisjoint(present) and bool(HEDGING.search(text)))
              or (denying and bool(NEGATED_DENIAL.search(_main_clause(text)))))
    return (ALLEGED if alleges(text) else 0) | (HEDGED if hedged else 0)


_NUMERALS = re.compile(r"\d+(?:[.,]\d+)*")


_SAYING_WORDS = frozenset("said says say told tells added adds reported reports noted notes wrote writes stated "
                          "explained explains insisted insists announced announces warned warns argued argues "
                          "commented remarked declared declares observed recalled stressed predicted".split())
_SAYING = "(?:" + "|".join(sorted(_SAYING_WORDS)) + ")"
_NAMING = r"[^\s,;:!?“”\"()]++"  # a word of a speaker's name or title ...
_SPEAKER_WORD = (r"(?!(?:and|but|or|nor|while|whereas|because|although|though|if|when|as|so|yet|that|who|whom"
                 r"|whose|which|where|adding|saying|is|are|was|were|be|been|being)\b)" + _NAMING)
"""... never a word that joins clauses or opens a relative one, nor a form of "be" ("No casualties were
reported" names nobody)."""
SPEAKER_FIRST = re.compile(
    r"^(?:according\s+to\s+[^,;:“”\"]{1,80},"
    r"|(?:" + _SPEAKER_WORD + r"\s+){0,7}" + _SPEAKER_WORD + r"(?:,\s[^,;:“”\"]{1,80},)?\s+" + _SAYING
    + r"\b(?:\s+(?:reporters|journalists))?(?:(?:\s+" + _SPEAKER_WORD + r"){0,5}?,?\s+that\b|,)?)",
    re.IGNORECASE)
SPEAKER_LAST = re.compile(
    r"(?:(?:[,;]|[”\"’])\s+(?:according\s+to\s+[^,;:“”\"]{1,80}"
    r"|(?:" + _SPEAKER_WORD + r"\s+){1,10}" + _SAYING + r"(?:\s+" + _SPEAKER_WORD + r"){0,6})"
    r"|(?:[”\"’]\s+" + _SAYING + r"|[,;]\s+(?:said|says|say|added|adds))(?:\s+" + _SPEAKER_WORD
    + r"){1,15})[.!]?[”\"’]?$",
    re.IGNORECASE)
"""Who a sentence says is speaking, when it names them at its start ("Kremlin spokesman Dmitry Peskov
told reporters that …", "According to the ministry, …") or at its end (", the ministry said.",
'," said a reporter for the Al Jazeera news agency.', ", said the minister."; a verb other than "said"
or "added" comes first only after a quotation: ", warned Putin against …" is what was said): the
words that say who claims it, not what."""


_CUES = _SAYING_WORDS | {"according"}


def speaker_spans(text: str, words: Sequence[str] | None = None) -> tuple[int, int]:
    """Where the sentence's claim lies between the words that name its speaker: the end of a speaker
    named at its start (0: none) and the start of one named at its end (len(text): none). `words`:
    its words_of, if known."""
    if _CUES.isdisjoint(words if words is not None else words_of(text)):
        return 0, len(text)
    first = SPEAKER_FIRST.match(text)
    lead = first.end() if first else 0
    last = SPEAKER_LAST.search(text, lead)
    return lead, (last.start() if last else len(text))


def speaker_terms(text: str, is_term: Callable[[str], bool], words: Sequence[str] | None = None) -> tuple[int, int]:
    """How many of the sentence's content terms (in order) name its speaker at its start, and how many
    at its end (`speaker_spans`): the rest are what it claims. `is_term`: whether a word is a content
    term; `words`: its words_of, if known."""
    lead, tail = speaker_spans(text, words)
    if not lead and tail == len(text):
        return 0, 0
    return (sum(map(is_term, words_of(text[:lead]))), sum(map(is_term, words_of(text[tail:]))))


_NAME_TOKEN = re.compile(r"[^\W_][\w’'-]*")
_OPENS = re.compile(r"[.!?:;“\"‘(\[—–]\s*$")
_CALENDAR = _MONTHS | frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_A_NAME = "\x00"
"""Stands for a neighbour that is itself a name of one sentence only ("President Sadyr Japarov")."""


@lru_cache(maxsize=1 << 16)
def names_in_place(text: str) -> tuple[tuple[str, str, str], ...]:
    """The names in what a sentence claims (its speaker's words left out, `speaker_spans`), each with
    the words right before and after it ("" at an end), all lower-cased: a word written with a capital
    that opens neither the sentence nor a quotation or clause and is no stop word, month or weekday
    (dates are numbers' business), a possessive "'s" left off. "… in Kabul on Monday" has ("kabul",
    "in", "on")."""
    lead, tail = speaker_spans(text)
    tokens = [t.group() for t in _NAME_TOKEN.finditer(text, lead, tail)]
    spans = list(_NAME_TOKEN.finditer(text, lead, tail))
    found = []
    for k, word in enumerate(tokens):
        if not k or not word[0].isupper() or _OPENS.search(text, spans[k - 1].end(), spans[k].start()):
            continue
        name = re.sub(r"[’']s$", "", word.lower())
        if name in STOP_WORDS or name in _CALENDAR:
            continue
        found.append((name, tokens[k - 1].lower(), tokens[k + 1].lower() if k + 1 < len(tokens) else ""))
    return tuple(found)


def name_places(names: Sequence[tuple[str, str, str]]) -> frozenset[tuple[str, str, str]]:
    """Each name with every place (the words before and after) that `names_apart` may compare it by, a
    neighbour that is itself a name also as `_A_NAME`: two sentences are names apart only where one has
    a (place, name) the other lacks in a place where the other has a name of its own, which rules out
    almost every pair without looking at their words (`may_be_names_apart`)."""
    own = {name for name, _, _ in names}
    found = set()
    for name, before, after in names:
        for b in {before, _A_NAME if before in own else before}:
            for a in {after, _A_NAME if after in own else after}:
                found.add((b, a, name))
    return frozenset(found)


def may_be_names_apart(places_a: frozenset[tuple[str, str, str]], places_b: frozenset[tuple[str, str, str]]) -> bool:
    """Whether `names_apart` can hold for two sentences with these `name_places`: some place holds a
    name in one that the other does not name there, and another name in the other."""
    if places_a == places_b:
        return False
    only_a = {(b, a) for b, a, _ in places_a - places_b}
    return bool(only_a) and not only_a.isdisjoint((b, a) for b, a, _ in places_b - places_a)


@lru_cache(maxsize=1 << 18)
def _spelled_alike(a: str, b: str) -> bool:
    """Whether two lower-cased words may be one name: one within the other ("russia", "russian's";
    "soviet", "ex-soviet") or nearly the same letters from the same first letter ("lugansk", "luhansk").
    Cached: the same names meet the same words across a corpus's many pairs."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and short in long:
        return True
    # difflib's ratio is at most 2·len(short) / (len(short) + len(long)): most pairs end here, cheaply
    if a[:1] != b[:1] or 2 * len(short) < 0.75 * (len(short) + len(long)):
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.75


def names_apart(words_a: set[str] | frozenset[str], names_a: Sequence[tuple[str, str, str]],
                words_b: set[str] | frozenset[str], names_b: Sequence[tuple[str, str, str]]) -> bool:
    """Whether two sentences name two different people or places in the same place of what they claim
    (`names_in_place`), between the same words: "a bomb exploded in Kabul on Monday" and "… in Kandahar
    on Monday", "President Sadyr Japarov cancelled the drills" and "President Kassym-Jomart Tokayev
    cancelled the drills" tell of two things, however alike their other words. A name the other
    leaves out ("President Vladimir Putin", "Putin") or spells alike ("Russian", "Russia's") is no
    such name. `words_a`, `words_b`: the sentences' sets of words_of."""
    if not names_a or not names_b:
        return False

    def own(names: Sequence[tuple[str, str, str]], other: set[str] | frozenset[str]) -> list[tuple[str, str, str]]:
        only = {name for name, _, _ in names
                if name not in other and not any(_spelled_alike(name, w) for w in other)}
        return [(name, _A_NAME if before in only else before, _A_NAME if after in only else after)
                for name, before, after in names if name in only]

    only_a, only_b = own(names_a, words_b), own(names_b, words_a)
    return any(a[1:] == b[1:] for a in only_a for b in only_b)


ASIDES = re.compile(
    r"\s?\([^()]{1,200}\)"
    r"|,\s+(?:who|whom|whose|which)\b[^,;:()“”\"—–]{1,200}?(?=[,;:—–]|[.!?]?[”\"’]?\s*$)"
    r"|\s[—–]\s?[^—–]{1,200}?\s?[—–](?=\s)"
    r"|\s--\s[^-]{1,200}?\s--(?=\s)")
"""A sentence's asides, which its main clause reads the same without: a parenthesis, a relative
clause set off by a comma (", who was furious about the skirmishes,"; "the man who won" is no aside),
a pair of dashes. A relative clause ends at its first comma: an aside with commas of its own is
only partly left out, never more than it."""


def aside_spans(text: str) -> list[tuple[int, int]]:
    """Where the sentence's asides are (`ASIDES`), in order."""
    if "(" not in text and ", wh" not in text and "—" not in text and "–" not in text and " -- " not in text:
        return []  # none can start (the text's whitespace is collapsed)
    return [m.span() for m in ASIDES.finditer(text)]


def in_asides(text: str, words: Sequence[str]) -> list[bool] | None:
    """For each of the sentence's words (its words_of), whether it lies in an aside; None when it has
    none."""
    spans = aside_spans(text)
    if not spans:
        return None
    inside: list[bool] = []
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        for piece, flag in ((text[at:start], False), (text[start:end], True)):
            found = words_of(piece)
            pieces.extend(found)
            inside.extend([flag] * len(found))
        at = end
    found = words_of(text[at:])
    pieces.extend(found)
    inside.extend([False] * len(found))
    # Asides start and end at a space or a mark, so the pieces hold the same words; if a text ever
    # tokenises otherwise, the sentence is read as having no aside rather than with misplaced ones.
    return inside if pieces == list(words) else None


OPPOSITES = (
    ("rise rises rose risen rising increase increases increased increasing grow grows grew grown growing "
     "climb climbs climbed jump jumps jumped surge surges surged soar soars soared",
     "fall falls fell fallen falling decrease decreases decreased decreasing decline declines declined "
     "declining drop drops dropped shrink shrinks shrank shrunk slump slumps slumped plunge plunges plunged"),
    ("raise raises raised boost boosts boosted expand expands expanded",
     "cut cuts reduce reduces reduced curb curbs curbed slash slashes slashed"),
    ("higher more above", "lower less fewer below"),
    ("win wins won gain gains gained", "lose loses lost losing loss losses"),
    ("accept accepts accepted approve approves approved agree agrees agreed support supports supported "
     "endorse endorses endorsed confirm confirms confirmed",
     "reject rejects rejected refuse refuses refused oppose opposes opposed deny denies denied veto vetoed"),
    ("allow allows allowed permit permits permitted lift lifts lifted", "ban bans banned forbid forbids forbade "
     "prohibit prohibits prohibited impose imposes imposed"),
    ("open opens opened reopen reopened", "close closes closed shut shuts"),
    ("strengthen strengthens strengthened stronger", "weaken weakens weakened weaker"),
    ("before", "after"),
)
"""Words that say which way something went, in pairs of opposites: two sentences alike in every other
word, one saying prices rose and the other that they fell, state two facts, not one."""
_POLES = {word: 1 << (2 * k + side) for k, pair in enumerate(OPPOSITES) for side, words in enumerate(pair)
          for word in words.split()}
_POLE_WORDS = frozenset(_POLES)
PLUS_POLES = sum(1 << (2 * k) for k in range(len(OPPOSITES)))
"""The bits of the first word of each pair (a sentence's `poles`); the bit above each is its opposite's."""


def poles_of(words: Sequence[str]) -> int:
    """Which of OPPOSITES's words a sentence uses, as bits (see PLUS_POLES)."""
    poles = 0
    for word in _POLE_WORDS.intersection(words):
        poles |= _POLES[word]
    return poles


def opposed(poles_a: np.ndarray | int, poles_b: np.ndarray | int) -> np.ndarray | bool:
    """Whether two sentences go opposite ways on some pair of OPPOSITES: one uses only its first
    word, the other only its second ("rose" against "fell"; "rose … fell" against "fell" is not)."""
    a = np.asarray(poles_a, dtype=np.uint64)
    b = np.asarray(poles_b, dtype=np.uint64)
    plus, one = np.uint64(PLUS_POLES), np.uint64(1)
    a_up, a_down = a & plus, (a >> one) & plus
    b_up, b_down = b & plus, (b >> one) & plus
    crossed = (a_up & ~a_down & b_down & ~b_up) | (a_down & ~a_up & b_up & ~b_down)
    return crossed != 0


def claim_of(text: str, words: Sequence[str] | None = None) -> tuple[bool, int, int, int]:
    """Whether the sentence denies, an id of the numerals and number words it uses (0: none, and
    then it states no number), its `poles_of`, and its `framing_of` (an allegation, a possibility),
    for comparing sentences on arrays: two sentences with the same id state the same numbers.
    (Telling "200,000" from "two hundred thousand" takes `quantities`, which reads only the few pairs
    the ids leave open.)
    `words`: its words_of, if known."""
    words = words if words is not None else words_of(text)
    spelled = sorted(_NUMBER_WORD_SET.intersection(words))
    numerals = sorted(n.replace(",", "") for n in _NUMERALS.findall(text)) if _DIGIT.search(text) else []
    numbers = (term_id(" ".join(numerals + spelled)) or 1) if numerals or spelled else 0
    denying = _maybe_denying(text, words)
    return denies(text, words, denying), numbers, poles_of(words), framing_of(text, words, denying)


# -- a batch of sentences' features ----------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Features:
    """Per-sentence features of a run of sentences, as flat arrays.

    terms[term_start[i]:term_start[i+1]] are sentence i's content-term ids, in order (repeats kept);
    stems[stem_start[i]:stem_start[i+1]] the ids of all its word stems, stop words included (for
    matching phrases). marks are the ways it fails to read alone (`marks_of`), names and figures
    its counts of them (`names_and_figures`, which `informativeness_of` reads), words the word count
    (these three at most 65,535), shaped whether the text has the shape of a whole sentence (length
    aside), and signature its MinHash signature (BANDS·ROWS values) over its set of content terms.
    denies is whether it is negated, numbers an id of the set of numbers it states (0: none), poles
    which way it says things went, alleges its `framing_of` (bits: an allegation, a possibility or plan):
    see `claim_of`.
    said_lead and said_tail are how many of its content terms, at its start and at its end, name who
    it says is speaking (`speaker_terms`): the terms between are what it claims. main[k] is whether
    terms[k] lies in the sentence's main clause, outside its asides (`aside_spans`)."""

    terms: np.ndarray
    term_start: np.ndarray
    stems: np.ndarray
    stem_start: np.ndarray
    marks: np.ndarray
    names: np.ndarray
    figures: np.ndarray
    words: np.ndarray
    shaped: np.ndarray
    signature: np.ndarray
    denies: np.ndarray
    numbers: np.ndarray
    poles: np.ndarray
    alleges: np.ndarray
    said_lead: np.ndarray
    said_tail: np.ndarray
    main: np.ndarray

    def __len__(self) -> int:
        return len(self.marks)

    def terms_of(self, i: int) -> np.ndarray:
        return self.terms[self.term_start[i] : self.term_start[i + 1]]

    def stems_of(self, i: int) -> np.ndarray:
        return self.stems[self.stem_start[i] : self.stem_start[i + 1]]

    @property
    def term_rows(self) -> np.ndarray:
        """The sentence each entry of `terms` belongs to."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.term_start))

    @property
    def stem_rows(self) -> np.ndarray:
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.stem_start))

    # Layout of the bytes: a header of 3 counts (sentences, terms, stems), then each array in order.
    _LAYOUT = (("terms", np.uint32, 1), ("term_start", np.uint32, 0), ("stems", np.uint32, 2),
               ("stem_start", np.uint32, 0), ("marks", np.uint16, 0), ("names", np.uint16, 0),
               ("figures", np.uint16, 0),
               ("words", np.uint16, 0), ("shaped", np.uint8, 0), ("signature", np.uint32, 3),
               ("denies", np.uint8, 0), ("numbers", np.uint32, 0),
               ("poles", np.uint64, 0), ("alleges", np.uint8, 0), ("said_lead", np.uint16, 0),
               ("said_tail", np.uint16, 0), ("main", np.uint8, 1))

    def to_bytes(self) -> bytes:
        n, t, s = len(self), len(self.terms), len(self.stems)
        parts = [struct.pack("<3I", n, t, s)]
        for name, dtype, _ in self._LAYOUT:
            parts.append(np.ascontiguousarray(getattr(self, name), dtype=dtype).tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Features:
        """Features stored by `to_bytes`; ValueError when the bytes are not such a record."""
        try:
            n, t, s = struct.unpack_from("<3I", data)
        except struct.error as exc:
            raise ValueError(f"damaged features ({exc})") from None
        sizes = {0: n + 1, 1: t, 2: s, 3: n * BANDS * ROWS}
        offset, arrays = 12, {}
        for name, dtype, which in cls._LAYOUT:
            count = sizes[which] if name.endswith("start") or which else n
            end = offset + count * np.dtype(dtype).itemsize
            if end > len(data):
                raise ValueError("damaged features (too short)")
            arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
            offset = end
        if offset != len(data):
            raise ValueError("damaged features (trailing bytes)")
        arrays["signature"] = arrays["signature"].reshape(n, BANDS * ROWS)
        arrays["denies"] = arrays["denies"].astype(bool)
        arrays["alleges"] = arrays["alleges"].astype(np.int64)
        arrays["main"] = arrays["main"].astype(bool)
        made = cls(**arrays)
        if made.term_start[-1] != t or made.stem_start[-1] != s:
            raise ValueError("damaged features (offsets)")
        return made

    @classmethod
    def joined(cls, parts: Sequence[Features]) -> Features:
        """One batch from several, in order (the corpus from its sources)."""
        if not parts:
            return features_of([], Lexicon())

        def starts(name: str) -> np.ndarray:
            lengths = np.concatenate([np.diff(getattr(p, name)) for p in parts])
            out = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=out[1:])
            return out

        return cls(
            terms=np.concatenate([p.terms for p in parts]).astype(np.int64),
            term_start=starts("term_start"),
            stems=np.concatenate([p.stems for p in parts]).astype(np.int64),
            stem_start=starts("stem_start"),
            marks=np.concatenate([p.marks for p in parts]).astype(np.int64),
            names=np.concatenate([p.names for p in parts]).astype(np.int64),
            figures=np.concatenate([p.figures for p in parts]).astype(np.int64),
            words=np.concatenate([p.words for p in parts]).astype(np.int64),
            shaped=np.concatenate([p.shaped for p in parts]).astype(bool),
            signature=np.concatenate([p.signature for p in parts]),
            denies=np.concatenate([p.denies for p in parts]).astype(bool),
            numbers=np.concatenate([p.numbers for p in parts]).astype(np.int64),
            poles=np.concatenate([p.poles for p in parts]).astype(np.uint64),
            alleges=np.concatenate([p.alleges for p in parts]).astype(np.int64),
            said_lead=np.concatenate([p.said_lead for p in parts]).astype(np.int64),
            said_tail=np.concatenate([p.said_tail for p in parts]).astype(np.int64),
            main=np.concatenate([p.main for p in parts]).astype(bool),
        )


def features_of(texts: Sequence[str], lexicon: Lexicon, continued: Sequence[bool] | None = None) -> Features:
    """The features of each text (a sentence, whitespace already collapsed); `continued`: which of them
    start inside a quotation opened before them (`continued_quotations`), a mark of their context."""
    ids = lexicon.ids
    terms: list[int] = []
    stems: list[int] = []
    term_start, stem_start = [0], [0]
    marks: list[int] = []
    names, figures, words, shaped, denied, numbers, poles, alleged = [], [], [], [], [], [], [], []
    said_lead, said_tail = [], []
    main: list[bool] = []

    def content(word: str) -> bool:
        return ids(word)[1]

    for text in texts:
        tokens = words_of(text)
        aside = in_asides(text, tokens)
        before = len(terms)
        looked_up = list(map(ids, tokens))
        for stem_id, is_term in looked_up:
            stems.append(stem_id)
            if is_term:
                terms.append(stem_id)
        if aside is None:
            main.extend([True] * (len(terms) - before))
        else:
            main.extend(not inside for inside, (_, is_term) in zip(aside, looked_up) if is_term)
        term_start.append(len(terms))
        stem_start.append(len(stems))
        context: int = IN_QUOTATION if continued is not None and continued[len(marks)] else 0
        marks.append(marks_of(text) | context)
        named, figured = names_and_figures(text, tokens)
        names.append(min(named, 0xFFFF))
        figures.append(min(figured, 0xFFFF))
        words.append(min(len(text.split()), 0xFFFF))  # (stored in 16 bits: a longer one stays too long)
        shaped.append(shape_problem(text) is None)
        claim = claim_of(text, tokens)
        denied.append(claim[0])
        numbers.append(claim[1])
        poles.append(claim[2])
        alleged.append(claim[3])
        lead, tail = speaker_terms(text, content, tokens)
        said_lead.append(lead)
        said_tail.append(tail)
    term_array, term_starts = np.array(terms, dtype=np.int64), np.array(term_start, dtype=np.int64)
    return Features(
        terms=term_array, term_start=term_starts,
        stems=np.array(stems, dtype=np.int64), stem_start=np.array(stem_start, dtype=np.int64),
        marks=np.array(marks, dtype=np.int64), names=np.array(names, dtype=np.int64),
        figures=np.array(figures, dtype=np.int64),
        words=np.array(words, dtype=np.int64), shaped=np.array(shaped, dtype=bool),
        signature=signatures(term_array, term_starts),
        denies=np.array(denied, dtype=bool), numbers=np.array(numbers, dtype=np.int64),
        poles=np.array(poles, dtype=np.uint64), alleges=np.array(alleged, dtype=np.int64),
        said_lead=np.array(said_lead, dtype=np.int64), said_tail=np.array(said_tail, dtype=np.int64),
        main=np.array(main, dtype=bool),
    )
