"""What an article says about itself: title, publication, author, date and url, read off the
furniture the clean stage set aside (headline, masthead, "Publication: …" lines, bylines, bios)."""

from __future__ import annotations

import re
from datetime import datetime

from briefing.model import Metadata, Source, Span
from briefing.pipeline import clean

MORE_FROM = re.compile(r"^(?:more|read more|more stories|also) (?:from|on|in|by) (?P<name>[A-Z].{1,60}?):?$", re.I)
GLUED_TAGLINE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
NEXT_KEY = re.compile(r"\s+[A-Z]\w{0,20}:\s")
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")
HEADLINE_WORDS = 20


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
    else:
        fields.setdefault("date", iso_date(value))


def inferred_metadata(source: Source) -> Metadata:
    """Metadata read off the article's own lines; fields it cannot tell stay None. Each field keeps the
    first value found: the headline block, then metadata lines and bylines, then the footer."""
    text = source.text
    first_body = source.body[0].start if source.body else len(text)
    head = [d for d in source.dropped if d.end <= first_body and d.reason != "front matter"]
    tail = [d for d in source.dropped if d.start > first_body]
    fields = _headline_fields(text, head)
    for d in head + tail:
        _line_fields(fields, text[d.start:d.end].strip(), d.reason)
    for d in tail:
        _footer_fields(fields, text[d.start:d.end].strip(), d.reason)
    return Metadata(**{k: v for k, v in fields.items() if v})


def date_line(line: str) -> bool:
    """Whether a line is only a date ("Monday, July 23, 2007", "23 July 2007", "2007-07-23")."""
    if len(line) > 40 or not any(c.isdigit() for c in line):  # (no date without a digit: spares strptime)
        return False
    return ISO_DATE.fullmatch(iso_date(line)) is not None


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _headline_fields(text: str, head: list[Span]) -> dict[str, str]:
    """Title (and publication) from the short unpunctuated lines that open the article: two of them are
    the masthead (its tagline cut off) and the headline, one is the headline. A line among them that is
    only a date is neither. (It is not read as the article's date: that would weigh such articles by
    recency, whose half-life buries a cluster of articles spread over years; see the README, Recency.)"""
    head = [d for d in head if not date_line(text[d.start:d.end].strip())]
    headlines = [d for d in head if d.reason in (clean.UNPUNCTUATED, clean.TOO_SHORT)
                 and len(text[d.start:d.end].split()) <= HEADLINE_WORDS and not clean.BULLET.match(text[d.start:d.end])]
    if len(head) >= 2 and head[0] in headlines and head[1] in headlines:
        return {"publication": GLUED_TAGLINE.split(text[head[0].start:head[0].end].strip())[0].strip(),
                "title": text[head[1].start:head[1].end].strip()}
    if headlines and headlines[0] is head[0]:
        return {"title": text[head[0].start:head[0].end].strip()}
    return {}


def _line_fields(fields: dict[str, str], block: str, reason: str) -> None:
    """A "Key: value" metadata line, or a byline."""
    if reason == clean.METADATA_LINE:
        _key_value(fields, block)
    elif reason == clean.BYLINE_REASON:
        m = clean.BYLINE.match(block)
        if m:
            fields.setdefault("author", m.group("name"))


def _footer_fields(fields: dict[str, str], block: str, reason: str) -> None:
    """The author from a bio after the article; the publication from a "More from …" list."""
    if reason == clean.AUTHOR_BIO or (reason == clean.AFTER_END and clean.bio_name(block)):
        fields.setdefault("author", clean.bio_name(block) or "")
    m = MORE_FROM.match(block)
    if m and reason in (clean.LINK_LIST, clean.AFTER_END):
        fields.setdefault("publication", m.group("name").strip())
