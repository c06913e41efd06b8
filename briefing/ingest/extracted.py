"""What a reader of a format whose bytes are not the text (HTML, PDF, DOCX, e-mail) returns: the text
it extracted, as paragraphs separated by blank lines, and the metadata the document carries.

Such a reader raises ValueError with the reason when the file cannot be used (no article in it, a
password, no text layer, damaged, an XML bomb): the folder walk skips the file with that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from briefing.model import Metadata
from briefing.safetext import metadata_value

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Extracted:
    text: str
    metadata: Metadata = Metadata()
    warnings: tuple[str, ...] = ()
    found: tuple[str, ...] = field(default=())
    """The names of the metadata fields the document itself gave (for `briefing sources`)."""
    details: tuple[tuple[str, str], ...] = ()
    """What else the document says about itself (language, description, subject, keywords, pages, …):
    name and value, each value one line of safe text; in brief.json as `document_metadata`."""
    replaced: int = 0
    """How many characters of `text` stand for bytes that were not valid in the document's encoding
    (U+FFFD; a web page's), counted in `replaced_characters` with those the folder walk replaces."""


def paragraphs_text(paragraphs: list[str]) -> str:
    """Paragraphs, each made one line (whitespace collapsed), separated by blank lines."""
    kept = (" ".join(p.split()) for p in paragraphs)
    return PARAGRAPH_BREAK.join(p for p in kept if p) + "\n"


def metadata_of(**values: str | None) -> tuple[Metadata, tuple[str, ...]]:
    """Metadata from the values a document gave (each made one line of safe text; a date as
    YYYY-MM-DD when it is one), and the names of the fields set."""
    clean = {k: metadata_value(v) for k, v in values.items() if v and metadata_value(v)}
    if "date" in clean:
        day = iso_day(clean["date"])
        if day:
            clean["date"] = day
        else:
            del clean["date"]
    return Metadata(**clean), tuple(k for k in ("title", "publication", "author", "date", "url") if k in clean)


MAX_DETAIL = 500
"""A detail longer than this many characters is cut (with …)."""


def details_of(**values: object) -> tuple[tuple[str, str], ...]:
    """The details that are set, lists joined with commas, each made one line of safe text."""
    out = []
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value if v)
        text = metadata_value(str(value)) if value not in (None, "") else ""
        if text:
            out.append((name, text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"))
    return tuple(out)


PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?")


def iso_day(value: str) -> str | None:
    """YYYY-MM-DD of an ISO date or date-time, an RFC 2822 or a PDF (D:YYYYMMDD…) date; None otherwise."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    m = PDF_DATE.fullmatch(value[:10]) if value.startswith("D:") else None
    if m and m.group(2) and m.group(3):
        try:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3))).date().isoformat()
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


SITE_SEPARATOR = re.compile(r"\s+(?:[-–—|·•]|::)\s+")
_SITE_WORD = re.compile(r"^(?:[A-Z0-9][\w'’.&/-]*|of|the|and|for|on|in|&)$")


def site_named(title: str) -> tuple[str, str | None]:
    """A page's title (its `<title>`, or a printed page's) less the site name a browser tab shows after
    it ("Dock strike spreads to Valmora - The Valmora Herald", "… | Reuters"), and that name (the
    publication); the title as it is
    when its last part is no name: up to five words, each capitalised or a short joining word, after a
    title of three words or more ("Russia - Kazakhstan talks resume" is one title)."""
    parts = list(SITE_SEPARATOR.finditer(title))
    if not parts:
        return title, None
    last = parts[-1]
    head, tail = title[:last.start()].strip(), title[last.end():].strip()
    words = tail.split()
    if (1 <= len(words) <= 5 and all(_SITE_WORD.match(w) for w in words) and words[0][0].isupper()
            and len(head.split()) >= 3):
        return head, tail
    return title, None
