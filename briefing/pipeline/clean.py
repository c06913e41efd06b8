"""Boilerplate removal: keep the article's prose, drop the page furniture around it.

Every block (a line, or a blank-line-separated paragraph when the text is hard-wrapped) is judged by
general rules of shape and position, in the spirit of trafilatura and jusText: prose is long enough,
ends like a sentence and is rich in stop words; headlines, captions, datelines and related-story links
are short or unpunctuated; link lists and author bios sit at the end, after which nothing is article.
No rule knows any publication's wording.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from briefing.model import Source, Span
from briefing.nlp import STOP_WORDS, words_of

TERMINAL = ".!?…"
CLOSERS = "\"'”’»)]"
BULLET = re.compile(r"^\s*(?:[•·▪►‣◦*+\-–—]|\d{1,2}[.)])\s+")
KEY_VALUE = re.compile(
    r"^(?P<key>publication|publisher|published(?: by| on)?|source|author|authors|by|date|updated|"
    r"posted(?: on)?|url|link|originally published(?: at| in| by)?)\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_PERSON = r"[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3}"
BYLINE = re.compile(r"^(?:(?:Analysis|Opinion|Commentary|Perspective|Essay|Column|Interview|Review|Story|Text|Words"
                    r"|Written|Reported)\s+)?[Bb]y\s+(?P<name>" + _PERSON
                    + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)" + _PERSON + r"){0,3})\b", re.UNICODE)
"""A byline: "By" and up to four people's names ("By Jane Doe", "By Jane Doe and John Roe", "By Jane Doe,
John Roe and Ann Lee"), each of two to four capitalised words, "By" after a word that says what the
article is ("Analysis by Jane Doe", "Words by …", "Written by …"; not "Photos by …", a credit)."""
BYLINE_ROLES = frozenset("""staff writer writers reporter reporters correspondent correspondents editor editors
    contributor contributors columnist columnists special senior chief associate foreign political economics
    diplomatic security bureau deputy managing contributing""".split())
"""The words a byline may name its author's job with after the name ("By Jane Doe Staff Writer",
"By Jane Doe, Foreign Correspondent"): no part of the name."""


PEOPLE_APART = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
"""What separates the people a byline names ("Jane Doe, John Roe and Ann Lee")."""


def byline_authors(name: str) -> str:
    """The people a BYLINE's name group names, their jobs left out ("Jane Doe Staff Writer": "Jane Doe";
    "Jane Doe, Foreign Correspondent": "Jane Doe"), joined as written with commas and "and"."""
    people = [p for p in PEOPLE_APART.split(name) if p]
    kept = []
    for person in people:
        words = person.split()
        while len(words) > 1 and words[-1].lower().strip(".") in BYLINE_ROLES:
            words.pop()
        if len(words) >= 2:
            kept.append(" ".join(words))
    if not kept:
        return name
    return kept[0] if len(kept) == 1 else ", ".join(kept[:-1]) + " and " + kept[-1]
BIO_FIRST_PERSON = re.compile(r"^(?:I['’]m|I am|My name is)\s+(?P<name>[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,3})")
BIO_THIRD_PERSON = re.compile(
    r"^(?P<name>[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})\s+(?:is|was|has been)\s+(?:an?|the)\s+"
    r"(?:[\w'’\-]+\s+){0,6}?(?P<role>columnist|writer|editor|reporter|correspondent|journalist|"
    r"contributor|author|fellow|professor|analyst|researcher|director|lecturer|blogger)s?\b"
)
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|gov|edu|io|co|info|news)(?:/\S*)?\b", re.I)
READER_ADDRESS = re.compile(
    r"(?:\bplease\b|^if you\b|\byou can\b|\byou may\b).{0,80}?"
    r"\b(?:call|contact|e-?mail|write to|visit|text|phone|click|tap|subscribe|sign up|follow us|share)\b",
    re.IGNORECASE,
)
"""A line near the end that speaks to the reader ("If you have information please call …", "You can
follow …"): a call to act, not a report. (An imperative that opens the line is a `PROMPT`.)"""
PROMPT = re.compile(
    r"^(?:click|tap|subscribe|sign up|sign in|log in|follow us|follow \S+ on|share this|donate|"
    r"become an? (?:member|subscriber|supporter|patron)|support (?:our|independent)|join (?:us|our)|"
    r"download (?:our|the)|get (?:our|the latest)|don['’]t miss|listen to this)\b"
    r"|\bwe use cookies\b|\buse of cookies\b|\bcookie (?:policy|settings)\b|\balready (?:a subscriber|subscribed)\b"
    r"|\bto continue reading\b|\byou (?:are receiving|received|receive) this (?:e-?mail|newsletter)\b",
    re.IGNORECASE,
)
"""The site's or the newsletter's own call to the reader, wherever it stands in the article: an
imperative that opens the line ("Sign up for our newsletter …", "Follow us on Twitter …", "Become a member
today …", "Download our app …"), the cookie notice, the paywall ("Subscribe to continue reading. Already a
subscriber? Log in."). No sentence of news opens with such an imperative."""
CREDIT = re.compile(
    r"^\(?(?i:(?:additional|further) )?(?i:reporting|writing|editing|compiled|compiling|research|translation|"
    r"translated|graphics|photography|photos|video|production) by\s+"
    r"[A-Z][\w'’.\-]*(?:,?\s+(?:and\s+|in\s+)?[A-Z][\w'’.\-]*)*\s*(?:[;)]|\.?$)"
    r"|\bcontributed (?:additional )?(?:reporting|research|to this (?:report|story|article))\b[^.!?]{0,60}[.!?]?$",
)
"""A credit for the story's making, as wire copy ends: "(Reporting by …; Editing by …)", "Reporting by …",
"… contributed to this report.", "… contributed reporting from …". A credit that opens a sentence
of the article ("Reporting by Reuters in March showed …") runs on with no semicolon or bracket and is
prose: a credit names people (and where they are) and stops: a semicolon, the closing bracket or the
block's end follows the names."""
RIGHTS = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\))\s*\d{4}\b|^copyright\s+\d{4}\b|\ball rights reserved\b"
    r"|\bmay not be (?:re)?published, broadcast\b",
    re.IGNORECASE,
)
"""A copyright notice: "© 2022 …", "Copyright 2022 …", "Copyright (c) 2022 …", "All rights reserved.", "This
material may not be published, broadcast, rewritten or redistributed." It ends the article, so a picture's
credit inside it ("© Vyacheslav Oseledko/AFP via Getty Images") is not one: a notice states a year or
reserves rights. ("Copyright lawyers said …" is prose.)"""
_OPENS = r"^[\[(*_\s]*"  # a note may be bracketed or set in italics: "[Editor's note: …]", "*Correction: …"
NOTE = re.compile(
    _OPENS + r"(?i:editor['’]?s['’]? note|note to (?:our )?readers|corrections?|clarifications?|disclosure|"
    r"disclaimer)\s*(?::|\s[—–-]\s)"
    + "|" + _OPENS + r"(?i:an? (?:earlier |previous |prior |older )?version of this|this)\s+"
    r"(?i:article|story|piece|post|column|op-ed|commentary|newsletter|e-?mail|content)\b(?!\s+of\b)(?:\s+\S+){0,6}?\s+(?i:amended|updated|"
    r"corrected|changed|edited|revised|misstated|misspelled|misidentified|misquoted|incorrectly|erroneously|"
    r"(?:first |originally )?(?:published|appeared|ran)|republished|produced|written|sponsored|supported|funded|"
    r"paid|provided|translated|(?:does|do) not (?:necessarily )?reflect)\b"
    + "|" + _OPENS + r"(?i:(?:the )?(?:views|opinions) (?:expressed )?(?:in this|here|on this|by (?:the |our )?"
    r"(?:author|contributor|columnist|writer|guest)|by [^.,;]{0,40}?(?:contributors|columnists|writers|authors)\b))"
    r"[^.]{0,80}?\b(?i:are|(?:does|do) not)\b"
)
"""A note about the article itself, not news: an editor's note, a correction ("Correction: …", "This
article was amended on …", "An earlier version of this story misstated …"), where it was first
published, who paid for it, and the disclaimer that the views are the author's own. The article names
itself ("this article", "this story", "this newsletter": never "the report", which is news about a
report, nor "this article of the constitution") and says what was done to it, or the note says what it is
("Editor's note:"), or the views are those expressed here ("… in this article are the author's own",
"Opinions expressed by … contributors are their own")."""
POST_SIGNATURE = re.compile(
    r"^(?:[—–-]{1,2}\s*[^()\n]{1,80}\(@\w{1,30}\)\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}"
    r"|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})|(?i:a post shared by)\s+[^()\n]{1,80}\(@[\w.]{1,30}\))\s*$"
)
"""The signature under a social media post embedded in a page, as a browser shows it and trafilatura
extracts it: "— Akorda Press (@AkordaPress) October 14, 2022" (X/Twitter), "A post shared by Name
(@handle)" (Instagram). The post itself is the block above it: someone else's words, not the article's.
(A writer's sign-off, "— Jane Doe (@janedoe)", has no date.)"""
POST_WORDS = 60
"""A post is short (280 characters on X/Twitter): a longer block above a signature is the article's."""
RUNS_ON_END = re.compile(r"(?:[,;]|\b(?:a|an|the|and|or|but|nor|of|than|its|their|our|your|my|whose))\s*$")
"""The end of a line that a sentence runs on from (see `runs_on`); the words are matched in lower case only."""

MARKUP = "markup"
METADATA_LINE = "metadata line"
BYLINE_REASON = "byline"
LINK_LIST = "link list"
TOO_SHORT = "too short for prose"
UNPUNCTUATED = "headline, caption or link (no closing punctuation)"
AUTHOR_BIO = "author bio"
PROMOTION = "link or promotion"
READER_CALL = "a call to the reader"
CREDIT_REASON = "credits (reporting, writing, editing by …)"
RIGHTS_REASON = "copyright notice"
NOTE_REASON = "a note about the article (correction, editor's note, disclaimer)"
EMBED = "an embedded social media post"
FEW_FUNCTION_WORDS = "not prose (few function words)"
AFTER_END = "after the end of the article"
DATED_HEADLINE = "headline (the first line, above the date)"
HEADLINE_WORDS = 20
TAIL_MARKERS = {LINK_LIST, AUTHOR_BIO, METADATA_LINE, BYLINE_REASON, PROMOTION, READER_CALL, CREDIT_REASON,
                RIGHTS_REASON, NOTE_REASON}

DATELINE = re.compile(r"[A-Z][A-Z .'’\-]{2,40}(?:,\s+[A-Z][\w .'’\-]{1,40})?"  # PARIS, RIGA, Latvia
                      r"(?:\s*\([A-Z][\w .&/\-]{0,30}\))?"  # a wire service: (AP), (Reuters)
                      r"\s+(?:[—–\-]{1,2}|_)\s+(?=[\"“A-Z])")

IMAGE_NAME = re.compile(r"(?i:(?:file|image):)?[^\s/\\]{1,120}\.(?i:svg|png|jpe?g|gif|webp|bmp|tiff?)\s+(?=\S)")
"""An image's file name at the start of a line, as a page's text keeps it where the picture stood: the
opening quotation mark of a pull quote ("Cquote1.svg  On the occasion of …"), an icon or a photo."""

MIN_WORDS = 6
SHORT_UNPUNCTUATED = 40
TAIL_FRACTION = 0.6


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    text: str
    lines: int = 1

    @property
    def words(self) -> list[str]:
        return self.text.split()


DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: str) -> str:
    """The date as YYYY-MM-DD when it is in a common form, else as written."""
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.strip().rstrip("."))
    candidate = re.sub(r"^[A-Z][a-z]+day,?\s+", "", candidate)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(candidate[: len(candidate)], fmt).date().isoformat()
        except ValueError:
            continue
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]", candidate)
    return m.group(1) if m else value.strip()


def date_line(line: str) -> bool:
    """Whether a line is only a date ("Monday, July 23, 2007", "23 July 2007", "2007-07-23")."""
    if len(line) > 40 or not any(c.isdigit() for c in line):  # (no date without a digit: spares strptime)
        return False
    return ISO_DATE.fullmatch(iso_date(line)) is not None


REFERENCE_MARK = re.compile(r"(?:\[(?:\d{1,3}|[a-z]|citation needed|note \d{1,3})\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[*†‡])+$", re.I)
"""A footnote or reference mark after a sentence's end ("… the ministry said.[1]", "….¹", "…*")."""


def ends_like_sentence(text: str) -> bool:
    """Whether the text closes as prose does: with . ! ? or … , perhaps inside quotes or brackets, and
    perhaps followed by a reference mark (`REFERENCE_MARK`)."""
    stripped = REFERENCE_MARK.sub("", text.rstrip()).rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def stop_word_ratio(text: str) -> float:
    tokens = words_of(text)
    return sum(map(STOP_WORDS.__contains__, tokens)) / len(tokens) if tokens else 0.0


def paragraphs_of(text: str, start: int = 0) -> Iterator[list[tuple[int, int]]]:
    """The text's paragraphs from `start`, each as the spans of its lines (runs of lines with a
    character that is not white space, a line's span without its newline). One pass over the text:
    a long line of white space costs its length once (a regular expression that looks for a
    non-space on it from every position costs its square)."""
    lines: list[tuple[int, int]] = []
    pos = start
    for line in text[start:].split("\n"):
        end = pos + len(line)
        if line and not line.isspace():
            lines.append((pos, end))
        elif lines:
            yield lines
            lines = []
        pos = end + 1
    if lines:
        yield lines


def blocks_of(text: str, start: int = 0) -> list[Block]:
    """The text's blocks: each line, except that a hard-wrapped paragraph stays one block."""
    blocks: list[Block] = []
    for lines in paragraphs_of(text, start):
        if len(lines) > 1 and _hard_wrapped([text[a:b] for a, b in lines]):
            a, b = lines[0][0], lines[-1][1]
            blocks.append(Block(a, b, text[a:b], lines=len(lines)))
        else:
            blocks.extend(Block(a, b, text[a:b].strip()) for a, b in _trimmed(text, lines))
    return blocks


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a paragraph's lines are one paragraph broken inside it (not one paragraph a line: none is
    over 120 characters; no bullets or key lines): each line but the last runs on into the next
    (`runs_on`), which is how a paragraph of two lines shows it; or they are broken at a fixed width, all
    but the last close to it (at least 40), and few end a sentence. Headlines, captions and key lines
    stacked without blank lines do neither."""
    width = max(len(t.strip()) for t in lines)
    if width > 120 or any(BULLET.match(t) or KEY_VALUE.match(t) for t in lines):
        return False
    if all(map(runs_on, lines, lines[1:])):
        return True
    full = width >= 40 and all(len(t.strip()) >= 0.6 * width for t in lines[:-1])
    return full and sum(ends_like_sentence(t) for t in lines) < len(lines) / 2


def runs_on(line: str, next_line: str) -> bool:
    """Whether a sentence runs on from the line into the next: the line does not end like a sentence,
    and it ends with a comma or semicolon or a lower-case word a sentence cannot end on (an article,
    conjunction, "of", "than" or a possessive: "… showed the"), or the next line starts in lower case.
    A headline ends in none of these ("Russia's Position in Central Asia Continues to Slip", and in title
    case "… of" is "… Of"), and the text under it starts with a capital."""
    if ends_like_sentence(line):
        return False
    return bool(RUNS_ON_END.search(line)) or next_line.lstrip()[:1].islower()


def _trimmed(text: str, spans: Iterable[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    for a, b in spans:
        segment = text[a:b]
        a += len(segment) - len(segment.lstrip())
        b -= len(segment) - len(segment.rstrip())
        yield a, b


def bio_name(text: str) -> str | None:
    m = BIO_FIRST_PERSON.match(text) or BIO_THIRD_PERSON.match(text)
    return m.group("name") if m else None


def _is_link_list_header(blocks: list[Block], i: int) -> bool:
    """A short line ending in a colon followed by lines that are links, bulleted or not, as headlines are
    unpunctuated: 'More from …:'. A line that introduces a list of sentences ("The ministry gave three
    reasons:" over "- Funding was cut twice.") is prose."""
    b = blocks[i]
    if not b.text.rstrip().endswith(":") or len(b.words) > 8:
        return False
    following = blocks[i + 1 : i + 3]
    return bool(following) and all(not ends_like_sentence(f.text) for f in following)


def metadata_or_byline(text: str, n_words: int) -> str | None:
    """METADATA_LINE for a short "Key: value" line ("Publication: …"), BYLINE_REASON for a byline, else None."""
    if n_words <= 15 and KEY_VALUE.match(text):
        return METADATA_LINE
    if n_words <= 12 and BYLINE.match(text):
        return BYLINE_REASON
    return None


def block_verdict(blocks: list[Block], i: int) -> str | None:
    """Why block i is not article prose, or None when it is. (The cheap test of each rule goes first.)"""
    b = blocks[i]
    text = b.text
    n_words = len(b.words)
    if n_words <= 20 and POST_SIGNATURE.match(text):
        return EMBED
    if n_words <= POST_WORDS and i + 1 < len(blocks) and POST_SIGNATURE.match(blocks[i + 1].text):
        return EMBED
    if i == 0 and n_words <= HEADLINE_WORDS and len(blocks) > 1 and "\n" not in text.strip() \
            and date_line(blocks[1].text.strip()):
        return DATED_HEADLINE  # "… for 2004 in the U.S." over "Saturday, January 8, 2005": no sentence's period
    line = metadata_or_byline(text, n_words)
    if line:
        return line
    if n_words <= 40 and CREDIT.search(text):
        return CREDIT_REASON
    if n_words <= 60 and RIGHTS.search(text):
        return RIGHTS_REASON
    if n_words <= 60 and NOTE.search(text):
        return NOTE_REASON
    if _is_link_list_header(blocks, i):
        return LINK_LIST
    if BULLET.match(text) and not ends_like_sentence(text):
        return LINK_LIST
    if n_words >= MIN_WORDS and text.rstrip().endswith(":") and i + 1 < len(blocks) \
            and BULLET.match(blocks[i + 1].text) and ends_like_sentence(blocks[i + 1].text):
        return None  # a sentence that introduces a list of sentences ("The ministry gave two reasons:")
    if n_words < MIN_WORDS:
        return TOO_SHORT
    if n_words < SHORT_UNPUNCTUATED and not ends_like_sentence(text):
        return UNPUNCTUATED
    in_tail = i >= len(blocks) * TAIL_FRACTION
    if in_tail and bio_name(text):
        return AUTHOR_BIO
    if in_tail and n_words < 25 and URL.search(text):
        return PROMOTION
    if n_words < 40 and (PROMPT.search(text) or in_tail and READER_ADDRESS.search(text)):
        return READER_CALL
    if n_words < 60 and stop_word_ratio(text) < 0.15:
        return FEW_FUNCTION_WORDS
    return None


def _without_dateline(text: str, block: Block) -> Span:
    """The block's span, starting after an image's file name (`IMAGE_NAME`) and a dateline such as
    "PARIS —" or "RIGA, Latvia —"."""
    image = IMAGE_NAME.match(text, block.start, block.end)
    start = image.end() if image else block.start
    m = DATELINE.match(text, start, block.end)
    return Span(m.end() if m else start, block.end)


def _inside(spans: Sequence[tuple[int, int]], starts: Sequence[int], block: Block) -> bool:
    """Whether the block lies within one of the spans (in order, not overlapping; `starts` their starts)."""
    n = bisect.bisect_right(starts, block.start) - 1
    return n >= 0 and block.end <= spans[n][1]


def clean(source: Source, body_start: int = 0, markup: Sequence[tuple[int, int]] = ()) -> Source:
    """The source with `body` (article prose) and `dropped` (furniture, with reasons) spans set.
    `markup`: spans of the text a Markdown reader knows for structure, not prose (headings, code
    blocks, tables: `briefing.ingest.markdown.text_of`); their blocks are set aside as markup."""
    blocks = blocks_of(source.text, body_start)
    starts = [a for a, _ in markup]
    verdicts = [MARKUP if markup and _inside(markup, starts, blocks[i]) else block_verdict(blocks, i)
                for i in range(len(blocks))]
    # the article ends at furniture that follows it (a bio, links, a byline at its foot) in its last part;
    # not before its prose has begun: a short article's header lines (label, headline, standfirst, byline)
    # may be most of its blocks
    began = next((i for i, v in enumerate(verdicts) if v is None), len(blocks))
    # an author's bio among the furniture that closes the article is one, however many blocks that
    # furniture has ("Jane Doe is a correspondent …" over a list of links)
    for i in range(len(blocks) - 1, began, -1):
        if verdicts[i] is None:
            if not bio_name(blocks[i].text):
                break
            verdicts[i] = AUTHOR_BIO
    # … and "its last part" is read in its prose: furniture between the paragraphs (an advertisement's label,
    # a caption) does not move the part's start forward into the article
    prose_before = list(itertools.accumulate((v is None for v in verdicts), initial=0))
    tail_from = next(
        (i for i, v in enumerate(verdicts) if v in TAIL_MARKERS and i > began
         and prose_before[i] >= prose_before[-1] * TAIL_FRACTION),
        None,
    )
    if tail_from is not None:
        for i in range(tail_from + 1, len(blocks)):
            verdicts[i] = verdicts[i] or AFTER_END
    body = tuple(_without_dateline(source.text, b) for b, v in zip(blocks, verdicts) if v is None)
    dropped = tuple(Span(b.start, b.end, v) for b, v in zip(blocks, verdicts) if v is not None)
    if body_start:
        dropped = (Span(0, body_start, "front matter"),) + dropped
    return source.with_(body=body, dropped=dropped)
