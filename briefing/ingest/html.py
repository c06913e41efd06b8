"""Web pages (.html, .htm, .xhtml), as saved from a browser: the article's text and metadata (title,
author, date, site name, URL) by trafilatura, without the page's furniture (navigation, cookie
banners, related links, comments). Paragraph breaks are kept as blank lines.

A page that declares XML entities (no web page needs them; they make XML bombs and external-entity
reads) is refused before any parser sees it; so is an XHTML file defusedxml will not parse.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml.html import HtmlElement

from briefing import safetext
from briefing.ingest import safexml
from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text

SUFFIXES = (".html", ".htm", ".xhtml")
SAVED_PAGE_FOLDER = "_files"
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


def extract(data: bytes, xml: bool = False) -> Extracted:
    """The page's article; ValueError when the page is refused or holds no article."""
    data = few_attributes(safe_references(data))
    if safexml.declares_entities(data):
        raise ValueError("the page declares XML entities; refused (XML bomb or external entity)")
    if xml:
        problem = safexml.refused(data)
        if problem:
            raise ValueError(problem)
    import trafilatura

    def extracted(page: bytes | HtmlElement) -> Any:
        return trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True,
                                           include_images=False, include_links=False)

    document = extracted(data)  # as_dict=False gives a Document or None
    if not isinstance(document, trafilatura.settings.Document) or not (document.text or "").strip():
        deep = _deep_tree(data)
        document = extracted(deep) if deep is not None else None
    if not isinstance(document, trafilatura.settings.Document):
        raise ValueError("no article text found in the page")
    text = document.text or ""
    if not text.strip():
        raise ValueError("no article text found in the page")
    metadata, found = metadata_of(title=document.title, publication=document.sitename, author=document.author,
                                  date=document.date, url=document.url)
    lines = text.split("\n")
    if metadata.title and lines and " ".join(lines[0].split()) == metadata.title:
        lines = lines[1:]  # the headline is metadata; the text is the article
    language = document.language or (m.group(1).decode("ascii") if (m := HTML_LANG.search(data[:65536])) else None)
    details = details_of(language=language, description=document.description, hostname=document.hostname,
                         categories=document.categories, tags=document.tags, license=document.license,
                         pagetype=document.pagetype, image=document.image)
    return Extracted(paragraphs_text(lines), metadata, found=found, details=details)


def parse_bytes(data: bytes, suffix: str = ".html") -> Extracted:
    return extract(data, xml=suffix == ".xhtml" or data.lstrip()[:5] == b"<?xml")
