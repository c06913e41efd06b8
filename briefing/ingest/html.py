"""Web pages (.html, .htm, .xhtml), as saved from a browser: the article's text and metadata (title,
author, date, site name, URL) by trafilatura, without the page's furniture (navigation, cookie
banners, related links, comments). Paragraph breaks are kept as blank lines.

A page that declares XML entities (no web page needs them; they make XML bombs and external-entity
reads) is refused before any parser sees it; so is an XHTML file defusedxml will not parse.
"""

from __future__ import annotations

import codecs
import html as entities
import logging
import re
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from briefing import safetext
from briefing.ingest import safexml
from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text, site_named

SUFFIXES = (".html", ".htm", ".xhtml")
SAVED_PAGE_FOLDER = "_files"
TITLE_ELEMENT = re.compile(rb"<title\b[^>]*>([^<]{1,1000})</title>", re.I)
HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})?)", re.I)
"""A browser saves a page's pictures, scripts and frames in `NAME_files/` beside `NAME.html`."""

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _safe_reference(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    point = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
    if point > 0x10FFFF:
        return b"&#xFFFD;"
    character = chr(point)
    if not safetext.UNSAFE.fullmatch(character):
        return match.group()
    return b" " if character.isspace() else b"&#xFFFD;"


def safe_references(data: bytes) -> bytes:
    """The page with each character reference to a character no document can hold (`&#1;`, `&#xFFFE;`)
    replaced as such characters are replaced in text (README, Bad input): the parser drops the whole
    page on one of them, and its article was lost for one character."""
    return CHARACTER_REFERENCE.sub(_safe_reference, data) if b"&#" in data else data


MAX_ATTRIBUTES = 1000
"""The most attributes of one tag kept; libxml2 compares each attribute with every one before it, so
a tag of 200,000 (a 2 MB file) held a build for many minutes. Real tags have a few dozen."""
LONG_TAG = re.compile(rb"<[A-Za-z][^<>]{8000,}>")
ATTRIBUTE = re.compile(rb"""\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


def _fewer_attributes(match: re.Match[bytes]) -> bytes:
    tag = match.group()
    name = re.match(rb"<[^\s>/]+", tag)
    assert name is not None
    attributes = ATTRIBUTE.finditer(tag, name.end(), len(tag) - 1)
    kept = [a.group() for _, a in zip(range(MAX_ATTRIBUTES + 1), attributes)]
    if len(kept) <= MAX_ATTRIBUTES:
        return tag
    return name.group() + b"".join(kept[:MAX_ATTRIBUTES]) + b">"


def few_attributes(data: bytes) -> bytes:
    """The page with each tag cut to its first MAX_ATTRIBUTES attributes (only a tag of over 8,000
    characters can have more than a thousand); its text is untouched."""
    return LONG_TAG.sub(_fewer_attributes, data)


DEEP_PARSER_DEPTH = 2048
"""libxml2, which parses pages for trafilatura, drops every element nested deeper than 256 (a page of
unclosed <font> or <div> tags, one more per paragraph, gets there); its "huge" mode reads to this
depth, and a page whose article trafilatura cannot find is parsed again so."""


def _deep_tree(data: bytes) -> HtmlElement | None:
    """The page parsed as trafilatura parses it, but to DEEP_PARSER_DEPTH; None if nothing parses."""
    from lxml.html import HTMLParser, fromstring
    from trafilatura.utils import decode_file

    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                        remove_pis=True, huge_tree=True)
    try:
        text = decode_file(data)
        return fromstring(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text, parser=parser)
    except Exception:  # lxml raises several kinds on what is not HTML at all
        return None


PRESCAN = 1024
"""How far into a page its charset declaration is looked for (as browsers prescan a page: WHATWG HTML)."""
META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9][\w.:+-]*)""", re.I)
"""`<meta charset="utf-8">`, or `<meta http-equiv="Content-Type" content="text/html; charset=utf-8">`."""
XML_ENCODING = re.compile(rb"""\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9][\w.:+-]*)""", re.I)
PAGE_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
AS_BROWSERS_READ = {"iso8859-1": "cp1252", "ascii": "cp1252", "utf-16": "utf-8", "utf-16-le": "utf-8",
                    "utf-16-be": "utf-8", "utf-32": "utf-8", "utf-32-le": "utf-8", "utf-32-be": "utf-8"}
"""Declared encodings that browsers read as another (WHATWG Encoding): Latin-1 and ASCII as
windows-1252; UTF-16 or UTF-32 declared in a page the declaration could be read in, as UTF-8."""
ASCII_PROBE = b"\\n" + bytes(c for c in range(0x20, 0x7F) if c != 0x5C) + b"\t\n\r"
COMPRESSED = (b"\x1f\x8b\x08", b"\x28\xb5\x2f\xfd")
"""gzip and zstd: a page trafilatura unpacks itself, before it reads its encoding."""


def _codec(label: bytes) -> str | None:
    """The Python codec of a declared charset, or None when Python has none or it is no encoding
    the declaration itself could have been written in (UTF-7, EBCDIC, unicode_escape: each reads
    ASCII as something else, so the page is not in it)."""
    try:
        name = codecs.lookup(label.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = AS_BROWSERS_READ.get(name, name)
    try:
        if name == "idna" or ASCII_PROBE.decode(name) != ASCII_PROBE.decode("ascii"):
            return None
    except (UnicodeError, LookupError):
        return None
    return name


def declared_encoding(data: bytes) -> tuple[str, str, int] | None:
    """The encoding a page says it is in, as a browser finds it: a byte order mark, else the XML
    declaration's or a `<meta>` charset in its first PRESCAN bytes; with what said so, and the length
    of the byte order mark. None when it says nothing Python can read."""
    for bom, name in PAGE_BOMS:
        if data.startswith(bom):
            return name, "its byte order mark says so", len(bom)
    head = data[:PRESCAN]
    for match in (XML_ENCODING.match(head), META_CHARSET.search(head)):
        codec = _codec(match.group(1)) if match else None
        if match and codec:
            return codec, f"it declares {match.group(1).decode('ascii')}", 0
    return None


@dataclass(frozen=True)
class Decoded:
    """A page as UTF-8 bytes for trafilatura, what was done to read it, and how many invalid bytes
    (or runs of them) became U+FFFD."""

    data: bytes
    warning: str | None = None
    invalid: int = 0


def _replacing(data: bytes, name: str, why: str) -> Decoded:
    """The bytes decoded, each invalid run a U+FFFD (counted; a U+FFFD the page holds itself is not)."""
    text = data.decode(name, "replace")
    invalid = text.count("\ufffd") - data.decode(name, "ignore").count("\ufffd")
    return Decoded(text.encode("utf-8"), f"not valid {name} {why}: {invalid} invalid byte{'s' if invalid != 1 else ''}"
                   " read as U+FFFD", invalid)


def decoded(data: bytes) -> Decoded:
    """The page in UTF-8. A page that is valid UTF-8 is read as UTF-8, whatever it declares (as
    trafilatura reads it: many a page that says iso-8859-1 is UTF-8). Any other is read as its byte
    order mark or declaration says, bytes not valid in that encoding each run a U+FFFD, with a
    warning; one that declares nothing, in the encoding trafilatura's detector guesses, with a warning
    (as a text file that is not UTF-8 is read as cp1252 with one). trafilatura ignores a page's
    declaration and guesses whenever a page is not valid UTF-8: a page declaring UTF-8 with two bad
    bytes was read whole in the code page it guessed (cp1257, cp437: "˙ž" for the two, and every
    other character outside ASCII garbled), with nothing said."""
    try:
        data.decode("utf-8")
        return Decoded(data)
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared is not None:
        name, says, bom = declared
        try:
            return Decoded(data[bom:].decode(name).encode("utf-8"))
        except UnicodeDecodeError:
            return _replacing(data[bom:], name, f"though {says}")
    if data.startswith(COMPRESSED):
        return Decoded(data)
    from trafilatura.utils import detect_encoding

    for guess in detect_encoding(data):
        try:
            text = data.decode(guess)
        except (LookupError, UnicodeDecodeError):
            continue
        return Decoded(text.encode("utf-8"), f"not UTF-8 and declares no known charset; read as {guess} (guessed)")
    return _replacing(data, "utf-8", "and declares no known charset")


DATE_PARAMS = {"extensive_search": False, "original_date": True}
"""How htmldate looks for the page's date: in what states it (meta tags, JSON-LD, `<time>`, elements
named for a date, the URL), the date first published rather than the last update. Not its
"extensive" search, trafilatura's default, which takes any date in the page's text: a citation in
the article ("(The Moscow Times, October 5, 2021)") became the article's date, and a byline's "Oct. 5,
2022" was read as 2022-01-01. A page that states its date only in its text ("Published: October 5,
2022") is dated as a text file is, from that line."""


def _site_of(data: bytes, title: str | None) -> str | None:
    """The site's name as the page's `<title>` gives it after the headline ("Dock strike spreads to
    Valmora - The Valmora Herald"), when the page names no site otherwise (no og:site_name) and that
    headline is the title read: trafilatura cuts it off the title and keeps it nowhere."""
    m = TITLE_ELEMENT.search(data[:65536])
    if not m or not title:
        return None
    whole = " ".join(entities.unescape(m.group(1).decode("utf-8", "replace")).split())
    head, site = site_named(whole)
    return site if site and " ".join(head.split()) == " ".join(title.split()) else None


def extract(data: bytes, xml: bool = False) -> Extracted:
    """The page's article; ValueError when the page is refused or holds no article."""
    data = few_attributes(safe_references(data))
    if safexml.declares_entities(data):
        raise ValueError("the page declares XML entities; refused (XML bomb or external entity)")
    if xml:
        problem = safexml.refused(data)
        if problem:
            raise ValueError(problem)
    read = decoded(data)
    data = read.data  # UTF-8, which trafilatura's parser is told the page is, whatever it declares
    import trafilatura

    def extracted(page: bytes | HtmlElement) -> Any:
        return trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True,
                                           include_images=False, include_links=False,
                                           date_extraction_params=DATE_PARAMS)

    document = extracted(data)  # as_dict=False gives a Document or None
    if not isinstance(document, trafilatura.settings.Document) or not (document.text or "").strip():
        deep = _deep_tree(data)
        document = extracted(deep) if deep is not None else None
    if not isinstance(document, trafilatura.settings.Document):
        raise ValueError("no article text found in the page")
    text = document.text or ""
    if not text.strip():
        raise ValueError("no article text found in the page")
    metadata, found = metadata_of(title=document.title, publication=document.sitename or _site_of(data, document.title),
                                  author=document.author, date=document.date, url=document.url)
    lines = text.split("\n")
    if metadata.title and lines and " ".join(lines[0].split()) == metadata.title:
        lines = lines[1:]  # the headline is metadata; the text is the article
    language = document.language or (m.group(1).decode("ascii") if (m := HTML_LANG.search(data[:65536])) else None)
    details = details_of(language=language, description=document.description, hostname=document.hostname,
                         categories=document.categories, tags=document.tags, license=document.license,
                         pagetype=document.pagetype, image=document.image)
    text = paragraphs_text(lines)
    replaced = min(text.count("\ufffd"), read.invalid)  # those in the article, not the page's furniture
    return Extracted(text, metadata, warnings=(read.warning,) if read.warning else (), found=found, details=details,
                     replaced=replaced)


def parse_bytes(data: bytes, suffix: str = ".html") -> Extracted:
    return extract(data, xml=suffix == ".xhtml" or data.lstrip()[:5] == b"<?xml")
