"""What an article says about itself: title, publication, author, date and url, read off the
furniture the clean stage set aside (headline, masthead, "Publication: …" lines, bylines, bios)."""

from __future__ import annotations

import re

from briefing.ingest.extracted import SITE_SEPARATOR
from briefing.model import Metadata, Source, Span
from briefing.nlp import can_be_verb, inflected_verb
from briefing.pipeline import clean
from briefing.pipeline.clean import date_line, iso_date
from briefing.pipeline.recency import parsed_date

__all__ = ["date_line", "inferred_metadata", "iso_date"]

MORE_FROM = re.compile(r"^(?:more|read more|more stories|also) (?:from|on|in|by) (?P<name>[A-Z].{1,60}?):?$", re.I)
GLUED_TAGLINE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
NEXT_KEY = re.compile(r"\s+[A-Z]\w{0,20}:\s")
HEADLINE_WORDS = clean.HEADLINE_WORDS
MONTH_OR_DAY = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
DATED_LINE = re.compile(
    r"^(?P<key>(?:first |originally )?published|posted|(?:last )?updated|last modified)(?: on)?\s*:?\s+"
    r"(?P<value>(?:\d|" + MONTH_OR_DAY + r").+?)"
    r"(?:,?\s+by\s+(?P<name>(?-i:[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})))?\s*$", re.I)
"""A line that says when the article was published or updated, with or without a colon ("Published
October 5, 2022", "Updated: Oct 20, 2022", "Posted on October 5, 2022 by Jane Doe"): its date and
author, not the headline. (Without a colon it is no metadata line to the clean stage.)"""
LATER_UPDATE = re.compile(r"\s*[|;,]?\s+(?:last )?(?:updated|modified)\b", re.I)
"""Where a published date's value ends when an update follows it on its line ("Oct 5, 2022 Updated Oct 6, 2022")."""
BYLINE_END = re.compile(
    r"\s*[|,;·•–—-]?\s*\b(?=(?:(?:first |originally )?published|posted|(?:last )?updated|last modified|date)\b"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)", re.I)
"""Where a byline's name ends when the byline goes on to say when ("By Jane Doe Published: October 5,
2022", as a PDF's reader joins two short lines; "By Jane Doe | Updated Oct 6, 2022"; "By Jane Doe Oct. 5,
2022"): the name is not "Jane Doe Published"."""


def _key_value(fields: dict[str, str], text: str) -> None:
    m = clean.KEY_VALUE.match(text)
    if not m:
        return
    key, value = m.group("key").lower(), NEXT_KEY.split(m.group("value"))[0].strip()
    if key.startswith(("publication", "publisher", "source", "published by", "originally")):
        fields.setdefault("publication", value)
    elif key in ("author", "authors", "by"):
        fields.setdefault("author", value)
    elif key in ("url", "link"):
        fields.setdefault("url", value)
    elif key == "updated":
        fields.setdefault(UPDATED, iso_date(value))
    else:
        fields.setdefault("date", iso_date(value))


UPDATED = "updated"
"""Where an "Updated: …" line's date waits: the article's date only when no line states when it was
published ("Date: …", "Published: …", "Posted on: …"), whichever comes first."""


def inferred_metadata(source: Source) -> Metadata:
    """Metadata read off the article's own lines; fields it cannot tell stay None. Each field keeps the
    first value found: the headline block, then metadata lines and bylines, then the footer."""
    text = source.text
    first_body = source.body[0].start if source.body else len(text)
    head = _one_line_each(text, [d for d in source.dropped if d.end <= first_body and d.reason != "front matter"])
    tail = [d for d in source.dropped if d.start > first_body]
    prose = " ".join(text[b.start:b.end] for b in source.body)
    known = source.metadata.title  # the document's own title: the headline over its text's first line
    fields = ((_under_known_title(text[head[0].start:head[0].end].strip(), known, prose) if known and head else {})
              or _headline_fields(text, head, prose))
    for d in head + tail:
        _line_fields(fields, text[d.start:d.end].strip(), d.reason)
    for d in tail:
        _footer_fields(fields, text[d.start:d.end].strip(), d.reason)
    updated = fields.pop(UPDATED, None)
    if updated and not fields.get("date"):
        fields["date"] = updated
    return Metadata(**{k: v for k, v in fields.items() if v})


NO_MASTHEAD = re.compile(r"^(?:advertisement|sponsored(?: content)?|ad|skip to (?:main )?content)$"
                         r"|^(?:photo|image|picture|photograph|video|credit|caption)s?(?: by)?:\s|\s[>»›]\s", re.I)
"""A line over the headline that is no masthead, nor the headline: a page's advertisement label, a
credit or caption ("Photo: Reuters"), a breadcrumb ("Home > World > Asia"). It was the publication."""


def _one_line_each(text: str, spans: list[Span]) -> list[Span]:
    """The furniture above the article a line at a time. Lines the clean stage took for one hard-wrapped
    block (a headline over a long caption and a byline, no blank line between) were the title together,
    newlines and all, and the byline's author was lost. A line of such a block is a metadata line or a
    byline when it reads as one; one that ends as a sentence or a credit does (a caption: "… (Jane
    Doe/Reuters)") is no headline."""
    out: list[Span] = []
    for d in spans:
        block = text[d.start:d.end]
        if "\n" not in block.strip():
            out.append(d)
            continue
        pos = d.start
        for line in block.split("\n"):
            a, b = pos + len(line) - len(line.lstrip()), pos + len(line.rstrip())
            pos += len(line) + 1
            if b <= a:
                continue
            reason = (clean.metadata_or_byline(text[a:b], len(text[a:b].split()))
                      or (LINE_OF_BLOCK if clean.ends_like_sentence(text[a:b]) or text[b - 1] == ")" else d.reason))
            out.append(Span(a, b, reason))
    return out


LINE_OF_BLOCK = "a line of a block of furniture"


def _under_known_title(line: str, title: str, prose: str) -> dict[str, str]:
    """The author (and publication) a document's first line names without "By" when the document states
    its title elsewhere (a web page's `<title>` and `<h1>`, a PDF's or Word file's properties), as a line
    under the headline does: "Jane Doe | Steppe News", "Jane Doe, Staff Writer"."""
    return _byline_under(line, prose) if " ".join(line.split()) != " ".join(title.split()) else {}


def _byline_under(line: str, prose: str) -> dict[str, str]:
    """The author (and publication) a line under the headline names without "By" (`_unmarked_byline`),
    unless the article's prose uses the name: then it is what the article is about, not its author."""
    byline = _unmarked_byline(line)
    if not byline or _named_in(byline[0], prose):
        return {}
    return {"author": byline[0], **({"publication": byline[1]} if byline[1] else {})}


HEADLINE_REASONS = (clean.UNPUNCTUATED, clean.TOO_SHORT, clean.DATED_HEADLINE, clean.MARKUP)
"""What the clean stage calls a line that may be a headline or masthead (a Markdown heading is markup)."""


def _headline_fields(text: str, head: list[Span], prose: str = "") -> dict[str, str]:
    """Title (and publication, author) from the short unpunctuated lines that open the article: two of
    them are the masthead (its tagline cut off) and the headline, one is the headline, or the headline
    and a byline without "By" under it. A line among them that is only a date is neither. (It is not
    read as the article's date: that would weigh such articles by recency, whose half-life buries a
    cluster of articles spread over years; see the README, Recency.) A name under the headline that the
    article's prose (`prose`) uses is what the article is about, a section's label ("Central Asia") or
    its subject, not its author; a section's label over it is no masthead (`_a_label`), nor a headline
    in words of a sentence over its standfirst (`_name_like`)."""
    head = [d for d in head if not _no_title(text[d.start:d.end].strip())]
    while head and NO_MASTHEAD.search(text[head[0].start:head[0].end].strip()):
        head = head[1:]
    headlines = [d for d in head if d.reason in HEADLINE_REASONS and len(text[d.start:d.end].split()) <= HEADLINE_WORDS
                 and not clean.BULLET.match(text[d.start:d.end])]
    lines = [text[d.start:d.end].strip() for d in head[:3]]
    if len(head) >= 3 and all(d in headlines for d in head[:3]) and _a_section(lines[1]) \
            and len(lines[2].split()) > len(lines[1].split()):
        head = [head[0], *head[2:]]  # a masthead, the section's label, the headline
    if len(head) >= 2 and head[0] in headlines and head[1] in headlines:
        first, second = (text[d.start:d.end].strip() for d in head[:2])
        masthead = GLUED_TAGLINE.split(first)[0].strip()
        a_masthead = _a_masthead(masthead, second)
        if len(first.split()) >= 5 or not a_masthead:  # the headline first
            if _unmarked_byline(second):  # … then its author's name, alone or with a job or the publication
                return {"title": _undated(first), **_byline_under(second, prose)}
            if _an_outlet(second):  # … then the publication's name
                return {"title": _undated(first), "publication": second}
            if not a_masthead:  # … then its standfirst (or a caption, a share button's label)
                return {"title": _undated(first)}
        fields = {"title": second} if _a_label(masthead, prose) else {"publication": masthead, "title": second}
        if len(head) >= 3 and head[2] in headlines:  # … and the byline under the headline
            fields = {**_byline_under(text[head[2].start:head[2].end].strip(), prose), **fields}
        return fields
    if headlines and headlines[0] is head[0]:
        return {"title": _undated(text[head[0].start:head[0].end].strip())}
    return {}


SECTION_WORDS = frozenset("""world news europe european asia asian africa african americas america latin middle
    east west pacific politics political business economy economics markets finance opinion opinions analysis
    commentary comment editorial explainer feature features interview exclusive live breaking latest top stories
    sport sports culture arts science technology tech climate environment health security defence defense
    diplomacy foreign affairs global international national local region regional home us uk eu and &""".split())
"""The words of a section's label over the headline ("World", "Europe", "ANALYSIS", "Politics & Security"):
where the page files the article, not its publication."""


JOINING_WORDS = frozenset("of and & the for on in at de del der des du la le les von van al el y und a an".split())


def _name_like(line: str) -> bool:
    """Whether a line reads as a name (a masthead's: "The Washington Post", "Steppe Review Independent
    Since Nineteen Ninety"): every word capitalised, a figure or a short joining word. A headline in
    words of a sentence ("Rail link opens between the two capitals") is none."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in JOINING_WORDS for w in line.split())


POSSESSIVE = re.compile(r"\w['’]s?\s+\S")
"""A possessive before another word ("Kazakhstan's Quiet Revolt"): a headline's, seldom a publication's."""


def _headline_verb(line: str) -> bool:
    """Whether a line of capitalised words reads as a headline, not a name: it has a headline's verb ("Tokayev
    Snubs Putin", "Rail Link Opens": an inflected verb that is no publication's word, "Times", "News"), a
    possessive before another word ("Russia's Central Asian Dilemma") or opens with "A" or "An"."""
    words = line.split()
    return (any(inflected_verb(w.lower()) for w in words if w.lower() not in OUTLET_WORDS)
            or POSSESSIVE.search(line) is not None or (bool(words) and words[0] in ("A", "An")))


def _a_masthead(line: str, below: str) -> bool:
    """Whether the first of two lines that open an article is the publication's masthead over the
    headline: a name (`_name_like`) with no headline's verb, and not a name of five words or more, none
    a publication's word, over a line in words of a sentence (a headline in capitals over its standfirst)."""
    if not _name_like(line) or _headline_verb(line):
        return False
    return len(line.split()) < 5 or _name_like(below) or any(w.lower() in OUTLET_WORDS for w in line.split())


def _a_section(line: str) -> bool:
    """Whether a line between the masthead and the headline is a section's label: up to three capitalised
    words and no headline's verb ("Central Asia", "World News"; "Tokayev Snubs Putin" is a headline)."""
    return len(line.split()) <= 3 and _name_like(line) and not _headline_verb(line)


def _named_in(name: str, prose: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", prose) is not None


def _a_label(line: str, prose: str) -> bool:
    """Whether a line over the headline is a section's label rather than the publication's masthead: its
    words are all a section's (SECTION_WORDS), or it names, as no publication's name reads, what the
    article's prose speaks of ("Central Asia" over an article about the region)."""
    words = [w.lower().strip(",:|") for w in line.split()]
    return all(w in SECTION_WORDS for w in words if w) or (not _an_outlet(line) and _named_in(line, prose))


NAME_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)*|[A-Z]\.)$")
OUTLET_WORDS = frozenset("""post times news daily journal monitor herald review tribune agency press radio tv
    magazine gazette telegraph guardian observer economist weekly online media today world international
    report reports wire network""".split())
"""Words that name a publication rather than a person ("The Valmora Herald", "Steppe News")."""


def _no_title(line: str) -> bool:
    """A line of the headline block that is neither headline nor masthead: a date, a line that says when
    the article was published, or the time it takes to read ("5 min read")."""
    return bool(date_line(line) or _dated(line) or READING_TIME.match(line))


HONORIFIC = re.compile(r"^(?:Dr|Prof|Professor|Sir|Dame|Mr|Mrs|Ms)\.?\s+(?=[A-Z])")


def _a_name(line: str) -> bool:
    """Whether a short line under the headline is a person's name alone ("Mary Ilyushina", "Ana M.
    Petrova", "Dr. Ana Petrova"): two or three capitalised words after a title if any, none a verb form
    ("Putin Loses Ground" is a headline), a publication's word ("Steppe News") or "The"."""
    words = HONORIFIC.sub("", line).split()
    return (2 <= len(words) <= 3 and all(NAME_WORD.match(w) for w in words) and words[0] != "The"
            and not any(w.lower() in OUTLET_WORDS or (len(w) > 2 and can_be_verb(w.lower())) for w in words))


READING_TIME = re.compile(r"^\d+\s*(?:-\s*)?min(?:ute)?s?(?:\s+read)?$", re.I)


def _unmarked_byline(line: str) -> tuple[str, str | None] | None:
    """The author (and publication) a line under the headline names without "By": a person's name
    alone ("Mary Ilyushina"), with a job ("Jane Doe, Staff Writer"), or beside the publication and the
    time it takes to read ("Jane Doe | Steppe News", "Jane Doe · Reuters · 5 min read"), or after the date
    ("October 5, 2022 | By Jane Doe"); else None. Of the capitalised parts after the name, a
    publication's name or a single word is the publication. (A date there is not read: see
    `_headline_fields`.)"""
    parts = [p.strip() for p in SITE_SEPARATOR.split(line.strip())]  # "Jane Doe | Steppe News | 5 min read"
    while parts and _no_title(parts[0]):  # "October 5, 2022 | By Jane Doe"
        parts.pop(0)
    if not parts:
        return None
    first, *rest = parts
    byline = clean.BYLINE.fullmatch(first)
    if byline:
        return clean.byline_authors(byline.group("name")), None
    name, _, job = first.partition(",")
    name = name.strip()
    if job and not all(w.lower().strip(".") in clean.BYLINE_ROLES for w in job.split()):
        return None
    if not _a_name(name):
        return None
    publication = None
    for part in rest:
        if _no_title(part):
            continue
        if not all(NAME_WORD.match(w) or w.isupper() or w in ("of", "and", "&") for w in part.split()):
            return None  # something a byline does not say: the line is no byline
        if publication is None and (_an_outlet(part) or len(part.split()) == 1):
            publication = part  # "Steppe News", "Reuters", "AFP"; not "New York", which may be a place
    return name, publication


def _an_outlet(line: str) -> bool:
    """Whether a short line under the headline names a publication ("The Steppe Review", "Steppe News"):
    up to five capitalised words (or "of", "and", "&") with a publication's word among them, or opening
    with "The" and no verb form ("The Kremlin Blinks" is a headline)."""
    words = line.split()
    if not 1 <= len(words) <= 5 or not all(w[:1].isupper() or w in ("of", "and", "&") for w in words):
        return False
    if any(w.lower().strip(".,") in OUTLET_WORDS for w in words):
        return True
    return words[0] == "The" and len(words) >= 2 and not any(len(w) > 2 and can_be_verb(w.lower()) for w in words[1:])


def _undated(headline: str) -> str:
    """A headline less the date stamp an archive put before it ("2005/01/08 Tsunami aid …")."""
    first, _, rest = headline.partition(" ")
    return rest.strip() if rest.strip() and date_line(first) else headline


def _dated(line: str) -> re.Match[str] | None:
    """The line as a DATED_LINE whose value is a date (with its year in four digits), else None."""
    m = DATED_LINE.match(line) if len(line) <= 120 else None
    return m if m and parsed_date(m.group("value")) else None


def _dated_fields(fields: dict[str, str], m: re.Match[str]) -> None:
    key = UPDATED if m.group("key").lower().endswith(("updated", "modified")) else "date"
    fields.setdefault(key, iso_date(LATER_UPDATE.split(m.group("value"), 1)[0]))
    if m.group("name"):
        fields.setdefault("author", m.group("name"))


def _line_fields(fields: dict[str, str], block: str, reason: str) -> None:
    """A "Key: value" metadata line, a line that says when the article was published, or a byline."""
    dated = _dated(block) if reason != clean.BYLINE_REASON else None
    if dated:
        _dated_fields(fields, dated)
    elif reason == clean.METADATA_LINE:
        _key_value(fields, block)
    elif reason == clean.BYLINE_REASON:
        end = BYLINE_END.search(block, 3)
        line = block[:end.start()] if end else block
        m = clean.BYLINE.match(line)
        if m:
            people, outlet = _people_and_outlet(m.group("name"), line[m.end():])
            fields.setdefault("author", clean.byline_authors(people))
            if outlet:
                fields.setdefault("publication", outlet)
        rest = block[end.end():] if end and m else ""
        if dated := _dated(rest):
            _dated_fields(fields, dated)
        elif clean.KEY_VALUE.match(rest):
            _key_value(fields, rest)


WIRES = frozenset("reuters afp ap bloomberg xinhua tass interfax ria efe dpa ansa upi kyodo yonhap anadolu".split())
"""News agencies a byline names after a comma ("By Jane Doe, Reuters"); another single word there may be
where the reporter is ("By Jane Doe, Almaty")."""
BYLINE_OUTLET = re.compile(r"^\s*(?:(?P<via>for)\s+|(?P<mark>[,|·•–—-])\s*)(?P<name>[A-Z][\w&'’.\-]*"
                           r"(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'’.\-]*){0,4})\s*$")


def _people_and_outlet(names: str, after: str) -> tuple[str, str | None]:
    """A byline's people, and the publication it names after them, if any: the last of its names when
    that is a publication's ("By Jane Doe, Steppe News", "… and John Roe, Associated Press"), or what
    follows the names: "for" and a name ("By Jane Doe for The Steppe Review"), or after a comma or a bar
    a publication's name ("By Jane Doe, Steppe News"), after a bar a single word ("By Jane Doe | Eurasianet"),
    after a comma a news agency ("By Jane Doe, Reuters"; not "By Jane Doe, Almaty")."""
    parts = list(clean.PEOPLE_APART.finditer(names))
    if parts and _an_outlet(names[parts[-1].end():]):
        return names[:parts[-1].start()], names[parts[-1].end():]
    m = BYLINE_OUTLET.match(after)
    single = m is not None and len(m.group("name").split()) == 1
    if m and (m.group("via") or _an_outlet(m.group("name"))
              or (single and (m.group("mark") != "," or m.group("name").lower() in WIRES))):
        return names, m.group("name")
    return names, None


def _footer_fields(fields: dict[str, str], block: str, reason: str) -> None:
    """The author from a bio after the article; the publication from a "More from …" list."""
    if reason == clean.AUTHOR_BIO or (reason == clean.AFTER_END and clean.bio_name(block)):
        fields.setdefault("author", clean.bio_name(block) or "")
    m = MORE_FROM.match(block)
    if m and reason in (clean.LINK_LIST, clean.AFTER_END):
        fields.setdefault("publication", m.group("name").strip())
