"""Markdown articles: YAML front matter gives metadata; the body after it is read as its text (`text_of`),
as a Markdown reader presents it: the markup is not part of any sentence."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing import safeyaml
from briefing.ingest.extracted import PARAGRAPH_BREAK
from briefing.ingest.text import Parsed
from briefing.model import Metadata
from briefing.pipeline import recency
from briefing.safetext import metadata_value

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                         re.S | re.M)
KEYS = {"title": "title", "publication": "publication", "publisher": "publication", "source": "publication",
        "author": "author", "authors": "author", "by": "author", "date": "date", "published": "date",
        "url": "url", "link": "url"}


def parse(text: str, max_metadata_bytes: int) -> Parsed:
    """Front matter over `max_metadata_bytes` (UTF-8), or with YAML aliases, is ignored with a warning."""
    match = FRONT_MATTER.match(text)
    if not match:
        return Parsed(markdown=True)
    size = len(match.group("yaml").encode("utf-8", "surrogatepass"))
    if size > max_metadata_bytes:
        return Parsed(body_start=match.end(), markdown=True,
                      warnings=[f"front matter is {size:,} bytes, over the limit of {max_metadata_bytes:,} "
                                f"(limits.max_metadata_bytes); ignored"])
    try:
        data = safeyaml.load(match.group("yaml"), aliases=False) or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "unreadable"
        return Parsed(body_start=match.end(), markdown=True,
                      warnings=[f"front matter is not valid YAML ({problem}); ignored"])
    if not isinstance(data, dict):
        return Parsed(body_start=match.end(), markdown=True, warnings=["front matter is not a mapping; ignored"])
    values: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in data.items():
        field_name = KEYS.get(str(key).lower())
        if field_name and value is not None and field_name not in values:
            value = _named(value)
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                warnings.append(f"front matter: {metadata_value(str(key))}: not a single value "
                                f"({type(value).__name__}); ignored")
                continue
            text = metadata_value(str(value))
            if field_name == "date" and text and recency.parsed_date(text) is None:
                warnings.append(f"front matter: {metadata_value(str(key))}: {text[:40]!r} is not a date; ignored")
                continue
            values[field_name] = text
    return Parsed(metadata=Metadata(**values), body_start=match.end(), markdown=True, warnings=warnings)


def _named(value: object) -> object:
    """A front matter value as one: a list's items joined with commas; a mapping, as Jekyll and Hugo
    themes write an author or publisher (`author: {name: Jane Doe, twitter: jdoe}`), its `name`. Any
    other mapping or list stays as it is, and is dropped with a warning (it was its Python repr,
    "{'name': 'Jane Doe', 'twitter': 'jdoe'}", cited as the author)."""
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, (str, int, float)) and not isinstance(name, bool) else value
    if isinstance(value, list):
        items = [_named(v) for v in value if v is not None]
        if all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in items):
            return ", ".join(map(str, items))
    return value


@dataclass(frozen=True)
class Text:
    """A Markdown body read as its text (see `text_of`)."""

    text: str
    markup: tuple[tuple[int, int], ...] = ()
    """Spans of `text` that are the document's structure, not its prose: headings, code blocks and
    tables. The clean stage sets them aside as markup whatever their shape, so they are never quoted."""
    title: str | None = None
    """The level-1 heading that opens the body (`# Title`, or underlined with `===`), as MkDocs takes a
    page's title: the article's title when its front matter gives none."""


@functools.cache
def _parser() -> MarkdownIt:
    """CommonMark (raw HTML recognised, so that it can be left out), with GitHub's tables and ~~strikethrough~~."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def text_of(body: str) -> Text:
    """A Markdown body as a Markdown reader presents it, as plain text: one paragraph (a paragraph, a
    heading, a list item's paragraph, a blockquote's paragraph, a table, a code block) after another,
    separated by blank lines. A paragraph is one line, as a viewer shows it: a line break in the
    source is a space, unless it is a hard break (two spaces or a backslash at the end of the line).

    Emphasis and strong markers, a blockquote's `>` and list markers are not text; a link is its text
    (the URL left out), inline code its content, a backslash escape or an entity the character it
    stands for. Images, raw HTML (its tags; the text between inline tags stays), thematic breaks,
    struck-out text (~~…~~: what the author withdrew) and link reference definitions are left out. A
    table is one line per row, its cells joined with " | ". Headings, code blocks and tables are in
    the text, as `markup`; a level-1 heading that opens the body (after other headings if any, a
    section's label such as `## Europe`, before its first paragraph) is also the `title`."""
    parts: list[str] = []
    markup: list[tuple[int, int]] = []
    at = 0
    tokens = _parser().parse(body)
    title = None
    for k, t in enumerate(tokens):  # the headings that open the body (comments and rules have no text)
        if t.type == "heading_open" and t.tag == "h1":
            title = " ".join(_inline(tokens[k + 1].children or []).split()) or None
            break
        if t.type not in ("html_block", "hr", "heading_open", "inline", "heading_close"):
            break  # the body's first paragraph, list, quotation, code or table: no title above it
    for block, is_markup in _blocks(tokens):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        block = "\n".join(lines)
        if parts:
            at += len(PARAGRAPH_BREAK)
        parts.append(block)
        if is_markup:
            markup.append((at, at + len(block)))
        at += len(block)
    return Text(PARAGRAPH_BREAK.join(parts) + "\n" if parts else "", tuple(markup), title)


def _blocks(tokens: list[Token]) -> Iterator[tuple[str, bool]]:
    """Each block's text, and whether it is markup (a heading, a code block, a table)."""
    row: list[str] | None = None
    rows: list[str] = []
    for n, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            text = _inline(token.children or [])
            if row is not None:
                row.append(" ".join(text.split()))
            else:
                yield text, n > 0 and tokens[n - 1].type == "heading_open"
        elif kind in ("fence", "code_block"):
            yield token.content, True
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            rows.append(" | ".join(cell for cell in row if cell))
            row = None
        elif kind == "table_close":
            yield "\n".join(rows), True
            rows = []


def _inline(children: list[Token]) -> str:
    """The text of a block's inline tokens: see `text_of`."""
    out: list[str] = []
    struck = 0
    for token in children:
        kind = token.type
        if kind == "s_open":
            struck += 1
        elif kind == "s_close":
            struck = max(0, struck - 1)
        elif struck:
            continue
        elif kind in ("text", "code_inline"):
            out.append(token.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        # em, strong and link open and close, image, html_inline: no text
    return "".join(out)
