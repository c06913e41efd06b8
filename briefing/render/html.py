"""The HTML writer: the template's Markdown as one self-contained page, each citation opening its source.

`write` translates the syntax tree of the brief's Markdown, as the template rendered it (`Rendered.tree`),
into HTML, as the DOCX and PDF writers do: the template alone decides what the brief says and in which
order. The page needs no network: its styles and its one script are inline
(`assets/`), the figures are `data:` URIs, and the fonts are the reader's own.

A citation mark is a link to its footnote (so the page works without script and prints its notes); with
the script, following it (a click, or Enter) opens a side panel instead, with the cited sentence
highlighted in its paragraph, the sentences around it, the source's title, publication, date and web
address, and under it the other sources stating the same; Escape closes it and returns to the mark.
Those passages are cut from the sources' text here, only for the notes the brief makes, and travel as
JSON in a `<script type="application/json">` block.

Every value is escaped (markupsafe); only http(s) addresses become links (`web_url`); the page's
Content-Security-Policy lets run only its own script and style (by hash), so even markup that slipped
through could not run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup, escape

from briefing.model import Brief, Citation, Source, Span
from briefing.render.figures import Images
from briefing.render.markdown import (
    HTML_BREAK,
    LANGUAGE,
    Note,
    Rendered,
    lone_image,
    plain_text_of,
    strip_html,
    toc_title,
    web_url,
)
from briefing.safetext import bidi_closed

NOTE_ID = "note-{n}"
REF_ID = "ref-{n}"
SECTION_PREFIX = "sec-"
TOC_LEVELS = (2, 3, 4)
SENTENCES_AROUND = 2
"""Sentences of its paragraph shown before and after a cited sentence."""
CONTEXT_CHARS = 600
"""At most this many characters of context on each side of a cited sentence (cut at a word, with "…")."""
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n(?:[ \t\r\f\v]*\n)*")
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=\S)")
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@functools.cache
def asset(name: str) -> str:
    return resources.files("briefing.render").joinpath("assets", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# --- passages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A cited span in the paragraph around it: a few sentences before and after ("…" where cut)."""

    before: str
    cited: str
    after: str


def passage(text: str, start: int, end: int, furniture: Sequence[Span] = ()) -> Passage:
    """The span `start:end` of `text` with `SENTENCES_AROUND` sentences each side: of its paragraph, and of
    the paragraphs next to it when its own has fewer (a news paragraph is often one sentence), skipping
    `furniture` (the blocks the cleaner dropped: captions, related links). Paragraph breaks are kept
    ("\\n\\n"); "…" marks text left out within a paragraph."""
    return Passage(_context_before(text, start, furniture), text[start:end], _context_after(text, end, furniture))


def _context_before(text: str, start: int, furniture: Sequence[Span]) -> str:
    """The sentences before `start` that a passage shows, "… " first when they start within a paragraph."""
    low = max(0, start - 4 * CONTEXT_CHARS)
    before = without(text, low, start, furniture)
    paragraphs = {len(before) - len(before[m.end():].lstrip()) for m in PARAGRAPH_BREAK.finditer(before)}
    starts = sorted({len(before) - len(before[k:].lstrip()) for k in {0} | paragraphs
                     | {m.end() for m in SENTENCE_END.finditer(before)} if before[k:].strip()})
    cut = starts[-SENTENCES_AROUND] if len(starts) >= SENTENCES_AROUND else 0
    if len(before) - cut > CONTEXT_CHARS:
        cut = len(before) - CONTEXT_CHARS
        space = re.search(r"\s", before[cut:])
        cut += space.end() if space else 0
    lead = "" if cut in paragraphs or (cut == 0 and low == 0) else "… "
    return lead + before[cut:].lstrip()


def _context_after(text: str, end: int, furniture: Sequence[Span]) -> str:
    """The sentences after `end` that a passage shows, " …" last when they stop within a paragraph."""
    high = min(len(text), end + 4 * CONTEXT_CHARS)
    after = without(text, end, high, furniture)
    breaks = {len(after[:m.start()].rstrip()) for m in PARAGRAPH_BREAK.finditer(after)}
    ends = sorted({len(after[:k].rstrip()) for k in breaks | {m.end() for m in SENTENCE_END.finditer(after)}
                   if after[:k].strip()})
    stop = ends[SENTENCES_AROUND - 1] if len(ends) >= SENTENCES_AROUND else len(after)
    if stop > CONTEXT_CHARS:
        space = after.rfind(" ", 0, CONTEXT_CHARS)
        stop = space if space > 0 else CONTEXT_CHARS
    ended = stop in breaks or PARAGRAPH_BREAK.match(after, stop) or (not after[stop:].strip() and high == len(text))
    return after[:stop].rstrip() + ("" if ended else " …")


def without(text: str, start: int, end: int, furniture: Sequence[Span]) -> str:
    """`text[start:end]` with the furniture in it left out (a paragraph break in its place), and each
    paragraph break as one blank line (what the page's script splits paragraphs at)."""
    pieces, at = [], start
    for span in sorted(furniture, key=lambda s: s.start):
        if span.end <= at or span.start >= end:
            continue
        pieces.append(text[at:max(at, span.start)])
        at = min(end, span.end)
    pieces.append(text[at:end])
    return PARAGRAPH_BREAK.sub("\n\n", "\n\n".join(pieces))


def passages_of(brief: Brief, notes: tuple[Note, ...]) -> dict[str, Any]:
    """Note number → what its panel shows: for each source the note names, its description and the
    passage of its first citation of the item."""
    originals = {s.id: s for s in brief.sources}
    out: dict[str, Any] = {}
    for note in notes:
        first: dict[str, Citation] = {}
        for citation in note.item.citations:
            first.setdefault(citation.source, citation)
        shown = []
        for source in note.sources:
            cited = first.get(source.id)
            original = originals.get(source.id)
            if cited is None or original is None:
                continue
            cut = passage(original.text, cited.start, cited.end, original.dropped)
            # each part closes the directional formatting it opens: the panel shows them on one line, where
            # an override left open before the cited sentence turned it around
            shown.append(_described(source) | {"before": bidi_closed(cut.before), "cited": bidi_closed(cut.cited),
                                               "after": bidi_closed(cut.after)})
        out[str(note.number)] = {"number": note.number, "passages": shown, "more": note.more}
    return out


def _described(source: Source) -> dict[str, Any]:
    """A source as the page's passage view names it, each value's directional formatting (a right-to-left
    override in a title or a file name) ending with it (`bidi_closed`), as the page's text around it does."""
    m = source.metadata

    def closed(value: str | None) -> str | None:
        return bidi_closed(value) if value else value

    return {"id": source.id, "title": closed(m.title), "publication": closed(m.publication), "author": closed(m.author),
            "date": closed(m.date), "url": web_url(m.url), "file": bidi_closed(source.path)}


def json_for_script(value: Any) -> Markup:
    """JSON that an HTML parser cannot end early: `<`, `>` and `&` as \\u escapes, so no `</script>`."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- the tree walk -----------------------------------------------------------------------------------


@dataclass
class Walk:
    """What the walk needs: the anchors that exist, the ids of headings, the notes, the images."""

    anchors: frozenset[str]
    heading_ids: dict[int, str]  # id(node) → its element id
    headings: list[tuple[int, str, str]]  # (level, id, text) of the table of contents
    notes: dict[str, Note]  # footnote label → the note its cite mark made
    images: Images
    titled: bool = False
    list_depth: int = 0
    seen: set[int] = field(default_factory=set)


def _heading_ids(tree: SyntaxTreeNode) -> tuple[dict[int, str], list[tuple[int, str, str]]]:
    taken: set[str] = set()
    ids: dict[int, str] = {}
    listed: list[tuple[int, str, str]] = []
    for node in tree.children:
        if node.type != "heading":
            continue
        text = plain_text_of(node)
        slug = re.sub(r"[\W_]+", "-", text.lower()).strip("-")[:60].strip("-") or "heading"
        name, n = SECTION_PREFIX + slug, 2
        while name in taken:
            name, n = f"{SECTION_PREFIX}{slug}-{n}", n + 1
        taken.add(name)
        ids[id(node)] = name
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 2
        if level in TOC_LEVELS:
            listed.append((level, name, text))
    return ids, listed


def _anchors(tree: SyntaxTreeNode) -> Iterator[str]:
    for node in tree.walk():
        if node.type == "span" and node.attrs.get("id"):
            yield str(node.attrs["id"])
        elif node.type == "footnote":
            yield NOTE_ID.format(n=int(node.meta.get("id", 0)) + 1)


def inlines(nodes: list[SyntaxTreeNode], walk: Walk) -> Markup:
    out = []
    previous: SyntaxTreeNode | None = None
    for node in nodes:
        if node.type == "em" and _names_a_source(previous):
            out.append(Markup("<cite>{}</cite>").format(inlines(node.children, walk)))
        else:
            out.append(inline(node, walk))
        if not (node.type == "text" and not node.content.strip(" :")):
            previous = node
    return Markup("").join(out)


def _names_a_source(node: SyntaxTreeNode | None) -> bool:
    """Whether a node is a source's id (its anchor, or a link to it): the emphasis after it is a title."""
    if node is None:
        return False
    target = str(node.attrs.get("id", "")) if node.type == "span" else str(node.attrs.get("href", ""))[1:]
    return node.type in ("span", "link") and target.startswith("source-")


def inline(node: SyntaxTreeNode, walk: Walk) -> Markup:
    kind = node.type
    if kind == "text":
        return escape(node.content)
    if kind == "softbreak":
        return Markup("\n")
    if kind == "hardbreak":
        return Markup("<br>")
    if kind == "code_inline":
        return Markup("<code>{}</code>").format(node.content)
    if kind == "footnote_ref":
        return _mark(node, walk)
    if kind == "footnote_anchor":
        n = int(node.meta.get("id", 0)) + 1
        sub = int(node.meta.get("subId", 0))
        ref = REF_ID.format(n=n) + (f"-{sub}" if sub else "")
        backref = ' <a class="backref" href="#{}" aria-label="Back to the text of note {}">↩\ufe0e</a>'
        return Markup(backref).format(ref, n)
    if kind == "html_inline":
        if HTML_BREAK.fullmatch(node.content.strip()):
            return Markup("<br>")
        return escape(strip_html(node.content))
    if kind == "image":
        return _image(node, walk) or inlines(node.children, walk)
    children = inlines(node.children, walk)
    if kind == "inline":
        return children
    if kind in ("strong", "em", "s"):
        tag = {"strong": "strong", "em": "em", "s": "s"}[kind]
        return Markup(f"<{tag}>{{}}</{tag}>").format(children)
    if kind == "link":
        return _link(str(node.attrs.get("href", "")), children, walk)
    if kind == "span":
        anchor = node.attrs.get("id")
        if anchor:
            return Markup('<span class="source-id" id="{}">{}</span>').format(anchor, children)
        return children
    return children if node.children else escape(node.content or "")


def _link(href: str, text: Markup, walk: Walk) -> Markup:
    if href.startswith("#"):
        if href[1:] in walk.anchors:
            return Markup('<a href="{}">{}</a>').format(href, text)
        return text
    url = web_url(href)
    if url is not None:
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url, text)
    return text  # javascript:, file:, relative links: text only


def _mark(node: SyntaxTreeNode, walk: Walk) -> Markup:
    """A citation mark: a link to its note, which the script makes open the note's passages."""
    n = int(node.meta.get("id", 0)) + 1
    sub = int(node.meta.get("subId", 0))
    ref = REF_ID.format(n=n) + (f"-{sub}" if sub else "")
    note = walk.notes.get(str(node.meta.get("label", "")))
    if note is None:
        return Markup('<sup class="fnref"><a href="#{}" id="{}">{}</a></sup>').format(NOTE_ID.format(n=n), ref, n)
    return Markup('<sup class="cite"><a class="cite" href="#{}" id="{}" data-note="{}" aria-controls="passage-panel" '
                  'aria-expanded="false" aria-label="Note {}: show the source" title="Show the source">{}</a></sup>'
                  ).format(NOTE_ID.format(n=n), ref, note.number, n, n)


def _image(node: SyntaxTreeNode, walk: Walk) -> Markup | None:
    """An image as an `img` with its data inline; its alt text says what a figure of the brief shows
    (`Images.description`), else it is the template's (the caption, for a figure)."""
    src = str(node.attrs.get("src", ""))
    data = walk.images(src)
    if not data:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            kind, (width, height) = picture.format, picture.size
            dpi = float((picture.info.get("dpi") or (96, 96))[0]) or 96.0
    except Exception:  # not a picture Pillow reads
        return None
    if kind not in IMAGE_TYPES:
        return None
    scale = min(1.0, 96.0 / dpi)
    uri = f"data:{IMAGE_TYPES[kind]};base64,{base64.b64encode(data).decode('ascii')}"
    return Markup('<img src="{}" alt="{}" width="{}" height="{}">').format(
        uri, walk.images.description(src) or plain_text_of(node), round(width * scale), round(height * scale))


def blocks(nodes: list[SyntaxTreeNode], walk: Walk) -> Markup:
    out = []
    for k, node in enumerate(nodes):
        if id(node) in walk.seen:
            continue
        if not walk.titled and not walk.list_depth and node.type == "heading" and node.tag == "h1":
            walk.titled = True
            meta = nodes[k + 1] if k + 1 < len(nodes) and nodes[k + 1].type == "paragraph" else None
            out.append(_title_block(node, meta, walk))
            continue
        out.append(block(node, walk))
    return Markup("\n").join(out)


def _title_block(title: SyntaxTreeNode, meta: SyntaxTreeNode | None, walk: Walk) -> Markup:
    parts = [Markup('<h1 id="{}">{}</h1>').format(walk.heading_ids.get(id(title), "title"),
                                                  inlines(title.children, walk))]
    if meta is not None:
        walk.seen.add(id(meta))
        parts.append(Markup('<p class="meta">{}</p>').format(inlines(meta.children, walk)))
    return Markup('<header class="title-block">\n{}\n</header>').format(Markup("\n").join(parts))


def block(node: SyntaxTreeNode, walk: Walk) -> Markup:
    """A block node as HTML, by its type (`BLOCKS`); one of an unknown type by its blocks or its text."""
    write = BLOCKS.get(node.type)
    if write is not None:
        return write(node, walk)
    if node.children:
        return blocks(node.children, walk)
    text = (node.content or "").strip()
    return Markup("<p>{}</p>").format(text) if text else Markup("")


def _paragraph(node: SyntaxTreeNode, walk: Walk) -> Markup:
    """A paragraph; one that is only an image (outside a list) is a figure, the image's alt text its caption."""
    image = lone_image(node)
    if image is not None and not walk.list_depth:
        picture = _image(image, walk)
        if picture is not None:
            return Markup("<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>").format(
                picture, inlines(image.children, walk))
    content = inlines(node.children, walk)
    return content if node.hidden else Markup("<p>{}</p>").format(content)


def _heading(node: SyntaxTreeNode, walk: Walk) -> Markup:
    level = node.tag if re.fullmatch(r"h[1-6]", node.tag) else "h2"
    ident = walk.heading_ids.get(id(node))
    attrs = Markup(' id="{}"').format(ident) if ident else Markup("")
    return Markup(f"<{level}{{}}>{{}}</{level}>").format(attrs, inlines(node.children, walk))


def _html_block(node: SyntaxTreeNode, walk: Walk) -> Markup:
    """`<!-- toc -->` as the table of contents; any other raw HTML as the text a browser would show."""
    title = toc_title(node)
    if title is not None:
        return _contents(title, walk)
    text = strip_html(node.content).strip()
    return Markup("<p>{}</p>").format(text) if text else Markup("")


def _list(node: SyntaxTreeNode, walk: Walk) -> Markup:
    ordered = node.type == "ordered_list"
    inner = replace(walk, titled=True, list_depth=walk.list_depth + 1)
    items = [Markup("<li>{}</li>").format(blocks(child.children, inner)) for child in node.children]
    start = node.attrs.get("start")
    attrs = Markup(' start="{}"').format(int(start)) if ordered and start not in (None, 1, "1") else Markup("")
    tag = "ol" if ordered else "ul"
    return Markup(f"<{tag}{{}}>\n{{}}\n</{tag}>").format(attrs, Markup("\n").join(items))


def _table(node: SyntaxTreeNode, walk: Walk) -> Markup:
    parts = []
    for part in node.children:
        rows = []
        for row in part.children:
            cells = []
            for cell in row.children:
                align = re.search(r"text-align:\s*(left|center|right)", str(cell.attrs.get("style", "")))
                attrs = Markup(' class="align-{}"').format(align.group(1)) if align else Markup("")
                cells.append(Markup(f"<{cell.type}{{}}>{{}}</{cell.type}>").format(attrs, inlines(cell.children, walk)))
            rows.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
        tag = part.type if part.type in ("thead", "tbody") else "tbody"
        parts.append(Markup(f"<{tag}>\n{{}}\n</{tag}>").format(Markup("\n").join(rows)))
    return Markup("<table>\n{}\n</table>").format(Markup("\n").join(parts))


def _inline(node: SyntaxTreeNode, walk: Walk) -> Markup:
    return inlines(node.children, walk)


def _blockquote(node: SyntaxTreeNode, walk: Walk) -> Markup:
    return Markup("<blockquote>\n{}\n</blockquote>").format(blocks(node.children, walk))


def _code(node: SyntaxTreeNode, walk: Walk) -> Markup:
    return Markup("<pre><code>{}</code></pre>").format(node.content)


def _rule(node: SyntaxTreeNode, walk: Walk) -> Markup:
    return Markup("<hr>")


def _contents(title: str, walk: Walk) -> Markup:
    entries = [Markup('<li class="toc-level-{}"><a href="#{}">{}</a></li>').format(level - 1, ident, text)
               for level, ident, text in walk.headings]
    if not entries:
        return Markup("")
    return Markup('<nav class="toc" aria-labelledby="toc-title">\n<h2 id="toc-title">{}</h2>\n<ol>\n{}\n</ol>\n</nav>'
                  ).format(title, Markup("\n").join(entries))


def _notes(node: SyntaxTreeNode, walk: Walk) -> Markup:
    """The footnotes as an ordered list, each with a back-link to its mark."""
    items = []
    for footnote in node.children:
        if footnote.type != "footnote":
            continue
        n = int(footnote.meta.get("id", 0)) + 1
        content = Markup(" ").join(inlines(child.children, walk) if child.type == "paragraph" else block(child, walk)
                                   for child in footnote.children)
        items.append(Markup('<li id="{}">{}</li>').format(NOTE_ID.format(n=n), content))
    return Markup('<section class="notes" aria-labelledby="notes-title">\n<h2 id="notes-title">Notes</h2>\n'
                  '<ol>\n{}\n</ol>\n</section>').format(Markup("\n").join(items))


BLOCKS: dict[str, Callable[[SyntaxTreeNode, Walk], Markup]] = {
    "paragraph": _paragraph, "inline": _inline, "heading": _heading, "bullet_list": _list, "ordered_list": _list,
    "blockquote": _blockquote, "code_block": _code, "fence": _code, "hr": _rule, "table": _table,
    "footnote_block": _notes, "html_block": _html_block,
}
"""How each type of block is written."""


# --- the page ----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="briefing">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
{body}
</main>
<div id="passage-panel" class="passage-panel" role="dialog" aria-labelledby="passage-title" tabindex="-1" hidden>
<div class="passage-head"><h2 id="passage-title">Source</h2>
<button type="button" id="passage-close" class="passage-close">Close <span aria-hidden="true">×</span></button></div>
<div id="passage-body" aria-live="polite"></div>
</div>
<script type="application/json" id="briefing-passages">{data}</script>
<script>{script}</script>
</body>
</html>
"""


def page(made: Rendered) -> str:
    """The brief as one HTML page."""
    brief, tree = made.brief, made.tree
    ids, headings = _heading_ids(tree)
    walk = Walk(anchors=frozenset(_anchors(tree)) | frozenset(ids.values()), heading_ids=ids, headings=headings,
                notes={str(note.number): note for note in made.notes}, images=made.images)
    body = blocks(list(tree.children), walk)
    style, script = asset("brief.css"), asset("brief.js")
    csp = (f"default-src 'none'; img-src data:; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
           "base-uri 'none'; form-action 'none'")
    return Markup(PAGE).format(lang=LANGUAGE, csp=csp, title=" ".join(brief.title.split()), style=Markup(style),
                               body=body, data=json_for_script(passages_of(brief, made.notes)),
                               script=Markup(script))


def write(rendered: Rendered, path: Path) -> None:
    Path(path).write_text(page(rendered), encoding="utf-8")
