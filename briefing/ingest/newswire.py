"""Newswire documents in the SGML of news archives (TREC, LDC, the query-focused summarisation sets):
`<DOC>` holding `<DOCNO>`, a headline, a date and the story in `<TEXT>`, with wire furniture around it
(`<SLUG>`, `<TRAILER>`, `<ANNOTATION>`); or, as Gigaword and the later sets write it, `<DOC id="…"
type="story">` with the document's number in its `id`. Such numbers carry the day (`APW19980602.0008`,
`AFP_ENG_20091115.0012`): it is the date when no tag gives one. Such files come as `.sgml`/`.sgm`, as `.txt`, or with no
suffix of their own (`APW19980602.0008`); `looks_like` tells them by their first tag.

The format is a handful of fixed tags that never nest in one another, so it is read with patterns, not
a parser: lxml's HTML parser moves `<HEAD>`, `<BODY>` and `<TITLE>` (tags these files use for their own
ends) to where a web page has them, and its XML parser drops text at a bare "&" ("AT&T").

One file is one article: a file that bundles several `<DOC>`s is refused with the reason, since their
sentences would be cited as one source and corroborate one another.
"""

from __future__ import annotations

import html
import re
from datetime import date

from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text
from briefing.ingest.text import decode
from briefing.pipeline import recency

SUFFIXES = (".sgml", ".sgm")
START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<DOC(?:\s[^<>]*)?>", re.IGNORECASE)
"""How a newswire file opens (after a UTF-8 byte order mark and white space)."""
PEEK = 256
"""How many bytes of a file `looks_like` needs."""

_DOC = re.compile(r"<DOC(\s[^<>]*)?>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_DAY_IN_NUMBER = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_TAG = re.compile(r"<[^<>]{1,200}>")
_HEADLINES = ("HEADLINE", "HL", "HEAD", "TITLE")
_DATES = ("DATE_TIME", "DATE")
_PARAGRAPH = re.compile(r"<P>(.*?)(?=</P>|<P>|\Z)", re.IGNORECASE | re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_INDENTED = re.compile(r"\n(?=[ \t]+\S)")
_BYLINE = re.compile(r"^\s*by\s+", re.IGNORECASE)


def looks_like(head: bytes) -> bool:
    """Whether a file's first bytes open a newswire document."""
    return START.match(head) is not None


def _parts(text: str, tag: str) -> list[str]:
    """What each `<tag>` … `</tag>` holds, in one pass: once no closing tag is left, none is looked for
    again (a pattern matching both ends would scan to the end of the file for every opening tag that
    is never closed: quadratic in a hostile file of them)."""
    opening = re.compile(rf"<{tag}(?:\s[^<>]*)?>", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    found, at = [], 0
    while (start := opening.search(text, at)) and (end := closing.search(text, start.end())):
        found.append(text[start.end() : end.start()])
        at = end.end()
    return found


_UNKNOWN_ENTITY = re.compile(r"&[A-Za-z][A-Za-z0-9]{0,30};")


def _plain(fragment: str) -> str:
    """A fragment's words: tags left out, entities read (`&amp;`, `&AMP;`), the typesetting codes some
    wires leave as entities no table defines (`&UR;`, `&QL;`) dropped, white space collapsed."""
    return " ".join(_UNKNOWN_ENTITY.sub("", html.unescape(_TAG.sub(" ", fragment))).split())


def _first(text: str, tags: tuple[str, ...]) -> str | None:
    """The words of the first of these tags (in the order given) that holds any."""
    for tag in tags:
        for part in _parts(text, tag):
            if words := _plain(part):
                return words
    return None


def paragraphs(story: str) -> list[str]:
    """A `<TEXT>` part's paragraphs: its `<P>`s; without them, its blocks between blank lines, or, in
    a block of hard-wrapped lines, the lines that open indented (as wire copy marks a new paragraph)."""
    if _PARAGRAPH.search(story):
        return [_plain(p) for p in _PARAGRAPH.findall(story)]
    blocks = _BLANK_LINE.split(story.replace("\r\n", "\n").strip("\n"))
    if len(blocks) == 1:
        blocks = _INDENTED.split(blocks[0])
    return [_plain(b) for b in blocks]


def extract(data: bytes) -> Extracted:
    text, _ = decode(data)
    docs = list(_DOC.finditer(text))
    count = len(docs)
    if count > 1:
        raise ValueError(f"holds {count} newswire documents (<DOC> … </DOC>); briefing reads one article per "
                         "file: split them into a file each")
    stories = _parts(text, "TEXT")
    if not stories:
        raise ValueError("a newswire document (<DOC>) without a <TEXT> part")
    body = paragraphs_text([p for story in stories for p in paragraphs(story)])
    if not body.strip():
        raise ValueError("no text in the newswire document's <TEXT>")
    attributes = {m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
                  for m in _ATTRIBUTE.finditer(docs[0].group(1) or "")} if docs else {}
    number = _first(text, ("DOCNO",)) or attributes.get("id")
    day = recency.parsed_date(_first(text, _DATES)) or _day_in(number)
    bylines = _parts(text, "BYLINE")  # "<P>By Jane Doe</P><P>Times Staff Writer</P>": its first line
    byline = next((p for p in paragraphs(bylines[0]) if p), None) if bylines else None
    metadata, found = metadata_of(title=_first(text, _HEADLINES), author=_BYLINE.sub("", byline) if byline else None,
                                  publication=_first(text, ("PUB", "SOURCE")), date=day.isoformat() if day else None)
    details = details_of(docno=number, doctype=_first(text, ("DOCTYPE", "TYPE")) or attributes.get("type"),
                         dateline=_first(text, ("DATELINE",)))
    return Extracted(body, metadata, found=found, details=details)


def _day_in(number: str | None) -> date | None:
    """The day a document number carries as YYYYMMDD (`NYT19980601.0001`), or None."""
    found = _DAY_IN_NUMBER.search(number or "")
    if not found:
        return None
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


def parse_bytes(data: bytes, suffix: str = ".sgml") -> Extracted:
    return extract(data)
