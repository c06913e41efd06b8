"""The DOCX writer: the brief's Markdown, walked node by node into a Word document.

The template decides what the brief says and in which order; this module only translates the syntax tree
of its Markdown (`Rendered.tree`) into Word paragraphs, runs, lists, tables, hyperlinks and bookmarks.
It adds no words of its own.

How the document looks is decided by a reference document, as with pandoc's `--reference-doc`:
`templates.reference_docx` is opened, its body is thrown away (its page setup, headers and footers are
kept) and the brief is written with its styles, by name:

    # first level-1 heading  → Title        paragraph right after it → Subtitle
    ## … ###### headings     → Heading 1 … Heading 5
    bullet / ordered lists   → List Bullet, List Bullet 2 … / List Number, List Number 2 …
                               (later paragraphs of an item → List Continue, List Continue 2 …)
    > blockquote             → Quote         code block → Source Code      --- → Horizontal Rule
    tables                   → Brief Table (else Table Grid), then an empty Table Spacer paragraph
    links                    → Hyperlink     `code` → Verbatim Char
    [^1] footnote marks      → real Word footnotes (footnotes.xml): footnote reference / footnote text,
                               the note's text from its Markdown definition
    <!-- toc Contents -->    → TOC Heading, then a TOC field whose entries (toc 1 … toc 3) link to the headings
    a paragraph that is only an image → the picture in Figure, its alt text below it in Caption

A style the reference lacks falls back to a more general one (Heading 4 → Heading 3, List Bullet 3 →
List Bullet 2 …); the few character and paragraph styles briefing itself names (Hyperlink, Citation
Mark, Verbatim Char, Source Code, Horizontal Rule, Table Spacer, Figure, footnote text, footnote
reference, TOC Heading, toc 1-3) are added with plain definitions when missing.

The reference's headers and footers are kept; simple fields in them (`TITLE`, `SUBJECT`, `KEYWORDS`,
`AUTHOR`, `CREATEDATE`) get the brief's values as their shown result, so "Page N of M" and a running
title work in Word and in LibreOffice alike.

python-docx has no footnote API: the footnotes part is a python-docx StoryPart made here (with the
separator and continuation-separator notes Word expects) and related to the document part.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.section import Section
from docx.shared import Emu
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from briefing.render.figures import Images
from briefing.render.markdown import (
    LANGUAGE,
    Rendered,
    TemplateProblem,
    document_tree,
    lone_image,
    meta_paragraph,
    node_text,
    plain_text_of,
    toc_title,
    web_url,
)
from briefing.safetext import xml_safe

AUTHOR = "briefing"
TOC_LEVELS = 3  # Heading 1-3 (Markdown ## to ####) are listed in the table of contents

# Styles briefing names that Word's own templates do not define: added, plainly, if the reference lacks them.
FALLBACK_STYLES = {
    "Hyperlink": (
        '<w:style {ns} w:type="character" w:styleId="{id}"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    ),
    "Citation Mark": (
        '<w:style {ns} w:type="character" w:customStyle="1" w:styleId="{id}"><w:name w:val="Citation Mark"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="0563C1"/>'
        '<w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    ),
    "Verbatim Char": (
        '<w:style {ns} w:type="character" w:customStyle="1" w:styleId="{id}"><w:name w:val="Verbatim Char"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>'
        '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/></w:rPr></w:style>'
    ),
    "Source Code": (
        '<w:style {ns} w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="Source Code"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:left="284"/></w:pPr><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
        '<w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>'
    ),
    "Table Spacer": (
        '<w:style {ns} w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="Table Spacer"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '</w:pPr><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
    ),
    "footnote text": (
        '<w:style {ns} w:type="paragraph" w:styleId="{id}"><w:name w:val="footnote text"/>'
        '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr>'
        '<w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
    ),
    "footnote reference": (
        '<w:style {ns} w:type="character" w:styleId="{id}"><w:name w:val="footnote reference"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    ),
    "Figure": (
        '<w:style {ns} w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="Figure"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Caption"/><w:pPr><w:keepNext/>'
        '<w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/></w:pPr></w:style>'
    ),
    "Caption": (
        '<w:style {ns} w:type="paragraph" w:styleId="{id}"><w:name w:val="caption"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:unhideWhenUsed/>'
        '<w:qFormat/><w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:i/><w:iCs/>'
        '<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
    ),
    "TOC Heading": (
        '<w:style {ns} w:type="paragraph" w:styleId="{id}"><w:name w:val="TOC Heading"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
        '<w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/></w:rPr></w:style>'
    ),
    **{f"toc {n}": (
        f'<w:style {{ns}} w:type="paragraph" w:styleId="{{id}}"><w:name w:val="toc {n}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9016"/></w:tabs>'
        f'<w:spacing w:after="60"/><w:ind w:left="{(n - 1) * 220}"/></w:pPr></w:style>'
    ) for n in range(1, TOC_LEVELS + 1)},
    "Horizontal Rule": (
        '<w:style {ns} w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="Horizontal Rule"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
        'w:color="A6A6A6"/></w:pBdr><w:spacing w:before="0" w:after="240"/></w:pPr>'
        '<w:rPr><w:sz w:val="8"/><w:szCs w:val="8"/></w:rPr></w:style>'
    ),
}

_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}


# --- entry points --------------------------------------------------------------------------------

def write(rendered: Rendered, path: Path) -> None:
    """The brief as a Word document at `path`, styled by the templates' reference document."""
    brief, templates = rendered.brief, rendered.templates
    # Readers already replace what XML cannot hold; this keeps a value from elsewhere (a title, a theme)
    # from stopping the build.
    markdown = xml_safe(rendered.markdown)
    tree = rendered.tree if markdown == rendered.markdown else document_tree(markdown)
    doc = build(tree, templates.reference_docx, rendered.images)
    created = creation_time(brief.generated_at)
    title, themes = xml_safe(brief.title), [xml_safe(s.title) for s in brief.sections]
    set_properties(doc, title=title, created=created, subject=meta_line(tree), keywords=themes)
    fill_fields(doc, {"TITLE": title, "SUBJECT": meta_line(tree), "AUTHOR": AUTHOR,
                      "KEYWORDS": ", ".join(themes),
                      "CREATEDATE": f"{created.day} {created:%B %Y}"})
    save_reproducibly(doc, Path(path), created)


def build(markdown: str | SyntaxTreeNode, reference: Path | None, images: Images | None = None) -> Document:
    """A python-docx Document holding `markdown` (text, or its `document_tree`), with the styles and page
    setup of `reference`."""
    doc = open_reference(reference)
    ensure_styles(doc)
    tree = document_tree(markdown) if isinstance(markdown, str) else markdown
    _Writer(doc, images or Images(None)).render(tree)
    return doc


def open_reference(reference: Path | None) -> Document:
    """The reference document (python-docx's default when None) with its body emptied; the final
    section properties (page size, margins, header and footer references) stay. TemplateProblem when
    `reference` is not a Word file python-docx can open."""
    doc = reference_document(reference)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def reference_document(reference: Path | None) -> Document:
    """The reference document as python-docx opens it (its default when None); TemplateProblem, naming
    the file, when it is not a Word file (a templates folder's reference.docx is the analyst's to edit)."""
    if reference is None:
        return docx.Document()
    try:
        return docx.Document(str(reference))
    except PackageNotFoundError:  # not a zip file, or one that cannot be read
        raise TemplateProblem(f"{reference}: not a Word file (.docx)") from None
    except Exception as exc:  # python-docx raises lxml's, zipfile's and its own errors on a damaged package
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise TemplateProblem(f"{reference}: not a readable Word file ({reason})") from None


def meta_line(tree: SyntaxTreeNode) -> str:
    """The paragraph right under the title, as plain text: what the brief is, when and from what."""
    meta = meta_paragraph(tree)
    return plain_text_of(meta) if meta is not None else ""


# --- footnotes -----------------------------------------------------------------------------------

FOOTNOTES_XML = (
    f'<w:footnotes {nsdecls("w", "r")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '</w:footnotes>'
)


def footnotes_part(doc: Document) -> StoryPart:
    """The document's footnotes part, holding only the separator notes: the reference's own, emptied of
    its notes, else a new one."""
    part = doc.part
    element = parse_xml(FOOTNOTES_XML)
    for rId, rel in list(part.rels.items()):
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            old = parse_xml(rel.target_part.blob)
            kept = [n for n in old.findall(qn("w:footnote")) if n.get(qn("w:type")) in
                    ("separator", "continuationSeparator", "continuationNotice")]
            if kept:
                element = old
                for note in old.findall(qn("w:footnote")):
                    if note not in kept:
                        old.remove(note)
            part.rels.pop(rId)
    notes = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, part.package)
    part.relate_to(notes, RT.FOOTNOTES)
    return notes


class _Story:
    """The parent python-docx paragraphs need: it names the part their styles and links belong to."""

    def __init__(self, part: StoryPart) -> None:
        self.part = part


# --- properties and fields -----------------------------------------------------------------------

def ensure_styles(doc: Document) -> None:
    """Add the styles briefing names but a reference document may lack (see FALLBACK_STYLES)."""
    styles = doc.styles
    taken = {s.get(qn("w:styleId")) for s in styles.element.findall(qn("w:style"))}
    present = {style.name_val for style in styles.element.style_lst}  # `name in styles` searches them all
    for name, xml in FALLBACK_STYLES.items():
        if BabelFish.ui2internal(name) in present:
            continue
        style_id = base = "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", name))
        n = 1
        while style_id in taken:
            n += 1
            style_id = f"{base}{n}"
        taken.add(style_id)
        styles.element.append(parse_xml(xml.format(ns=nsdecls("w"), id=style_id)))


def creation_time(generated_at: str) -> dt.datetime:
    """`generated_at` (ISO 8601) as a naive UTC datetime, which is what the core properties store."""
    when = dt.datetime.fromisoformat(generated_at)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def set_properties(doc: Document, *, title: str, created: dt.datetime, subject: str = "",
                   keywords: Iterable[str] = ()) -> None:
    """Core properties from the brief alone, so the same brief gives the same file; descriptive fields
    the reference document may carry (comments, category…) are cleared. The language is the one the
    reference sets its text in (`text_language`)."""
    props = doc.core_properties
    props.title = _property(title)
    props.language = text_language(doc)
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = created
    props.modified = created
    props.revision = 1
    element = props._element
    for tag in ("dc:subject", "cp:keywords", "dc:description", "cp:category", "cp:contentStatus",
                "dc:identifier", "cp:version", "cp:lastPrinted"):
        for found in element.findall(qn(tag)):
            element.remove(found)
    if subject:
        props.subject = _property(subject)
    if keywords:
        props.keywords = _property(", ".join(keywords))


def text_language(doc: Document) -> str:
    """The language of the document's text: its default run language (`w:docDefaults`, which Word's
    proofing and screen readers use; en-GB in the shipped reference), else `LANGUAGE`."""
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang"))
    lang = doc.styles.element.find(path)
    return (lang.get(qn("w:val")) if lang is not None else None) or LANGUAGE


PROPERTY_LIMIT = 255  # characters of a core property (title, subject, keywords) python-docx and Word take


def _property(text: str) -> str:
    """A core property's value, cut to `PROPERTY_LIMIT` characters with "…" (the body keeps it whole)."""
    text = " ".join(text.split())
    return text if len(text) <= PROPERTY_LIMIT else text[:PROPERTY_LIMIT - 1].rstrip() + "…"


_FIELD = re.compile(r"^\s*([A-Z]+)")


def fill_fields(doc: Document, values: dict[str, str]) -> None:
    """Give the simple fields of the headers and footers (`TITLE`, `CREATEDATE`…) the brief's values as
    their shown result; Word and LibreOffice show that result until they update the field."""
    parts = [rel.target_part for rel in doc.part.rels.values()
             if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER)]
    for part in parts:
        for field in part.element.iter(qn("w:fldSimple")):
            match = _FIELD.match(field.get(qn("w:instr"), ""))
            if not match or match.group(1) not in values:
                continue
            runs = field.findall(qn("w:r"))
            keep = copy.deepcopy(runs[0].find(qn("w:rPr"))) if runs and runs[0].find(qn("w:rPr")) is not None else None
            for run in runs:
                field.remove(run)
            run = OxmlElement("w:r")
            if keep is not None:
                run.append(keep)
            text = OxmlElement("w:t")
            text.text = values[match.group(1)]
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(text)
            field.append(run)


def save_reproducibly(doc: Document, path: Path, stamp: dt.datetime) -> None:
    """Save `doc` with every zip entry dated `stamp`, so equal documents give equal bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    date_time = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info))
    Path(path).write_bytes(out.getvalue())


# --- the tree walk -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Block:
    """Where a block is being written: the paragraph style its plain paragraphs take, the list depth."""

    paragraph_style: str | None = None
    depth: int = 0
    quote: bool = False


@dataclass(frozen=True)
class _Fmt:
    """Run formatting inherited by inline content."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    style: str | None = None  # a character style


class _Writer:
    def __init__(self, doc: Document, images: Images) -> None:
        self.doc = doc
        self.images = images
        self.style_names = {s.name for s in doc.styles}
        self.style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self.span_ids: set[str] = set()
        self.footnotes: dict[int, SyntaxTreeNode] = {}
        self.toc: list[tuple[int, str]] = []  # (level, text) of the headings the table of contents lists
        self.headings_done = 0
        self.bookmark_names: dict[str, str] = {}
        self.bookmarks_taken: set[str] = set()
        self.placed: set[str] = set()
        self.next_bookmark = 0
        self.title_done = False
        self.notes_part: StoryPart | None = None
        self.story = _Story(doc.part)  # where paragraphs go: the body, or a footnote while one is written
        self.container: BaseOxmlElement | None = None  # the footnote being written, None for the body
        self.body = doc._body
        self.block_writers = self._block_writers()

    # --- document level ---

    def render(self, tree: SyntaxTreeNode) -> None:
        self._survey(tree)
        subtitle_next = False
        for node in tree.children:
            if node.type == "heading" and node.tag == "h1" and not self.title_done:
                self.title_done = True
                self._heading(node, self._pick("Title", "Heading 1"))
                subtitle_next = True
                continue
            if subtitle_next and node.type == "paragraph":
                self._paragraph(node, self._pick("Subtitle"))
            elif node.type == "heading":
                self._heading(node, self._heading_style(node), toc=True)
            else:
                self._block(node, _Block())
            subtitle_next = False

    def _survey(self, tree: SyntaxTreeNode) -> None:
        """Span ids (bookmark targets), footnote definitions and the headings of the table of contents,
        before writing anything."""
        for node in tree.walk():
            if node.type == "span" and node.attrs.get("id"):
                self.span_ids.add(str(node.attrs["id"]))
            elif node.type == "footnote":
                self.footnotes[int(node.meta.get("id", -1))] = node
        if not any(toc_title(node) is not None for node in tree.children):
            return
        titled = False
        for node in tree.children:
            if node.type != "heading":
                continue
            if node.tag == "h1" and not titled:
                titled = True
                continue
            self.toc.append((self._level(node), plain_text_of(node)))

    # --- blocks ---

    def _blocks(self, nodes: Iterable[SyntaxTreeNode], where: _Block) -> None:
        for node in nodes:
            self._block(node, where)

    def _block(self, node: SyntaxTreeNode, where: _Block) -> None:
        """A block node written by its type (`block_writers`); one of an unknown type keeps its text."""
        write = self.block_writers.get(node.type)
        if write is not None:
            write(node, where)
        elif node.children:
            if any(child.type == "inline" for child in node.children):
                self._paragraph(node, where.paragraph_style)
            else:
                self._blocks(node.children, where)
        elif node_text(node).strip():
            self._run(self._add_paragraph(where.paragraph_style), None, node_text(node).strip(), _Fmt())

    def _block_writers(self) -> dict[str, Callable[[SyntaxTreeNode, _Block], None]]:
        """How each type of block is written."""
        return {
            "heading": lambda node, where: self._heading(node, self._heading_style(node)),
            "paragraph": self._paragraph_block, "bullet_list": self._list, "ordered_list": self._list,
            "blockquote": self._blockquote, "fence": self._code, "code_block": self._code, "hr": self._rule,
            "table": lambda node, where: self._table(node), "html_block": self._html_block,
            "inline": self._inline_block,
            # each footnote definition is written as a Word footnote where it is referenced
            "footnote_block": lambda node, where: None, "footnote_anchor": lambda node, where: None,
        }

    def _paragraph_block(self, node: SyntaxTreeNode, where: _Block) -> None:
        """A paragraph; one that is only an image (in the body) is a figure, its alt text the caption."""
        image = lone_image(node)
        if image is not None and self.container is None and self._figure(image):
            return
        self._paragraph(node, where.paragraph_style)

    def _blockquote(self, node: SyntaxTreeNode, where: _Block) -> None:
        self._blocks(node.children, replace(where, paragraph_style=self._pick("Quote"), quote=True))

    def _code(self, node: SyntaxTreeNode, where: _Block) -> None:
        paragraph = self._add_paragraph(self._pick("Source Code", "macro") or where.paragraph_style)
        self._run(paragraph, paragraph._p, node.content.rstrip("\n"), _Fmt())

    def _rule(self, node: SyntaxTreeNode, where: _Block) -> None:
        self._add_paragraph(self._pick("Horizontal Rule"))

    def _html_block(self, node: SyntaxTreeNode, where: _Block) -> None:
        """`<!-- toc -->` as the table of contents (in the body); other raw HTML as its text."""
        title = toc_title(node)
        if title is not None:
            if self.container is None:
                self._table_of_contents(title)
            return
        text = " ".join(html.unescape(_TAG.sub(" ", _COMMENT.sub("", node.content))).split())
        if text:
            self._run(self._add_paragraph(where.paragraph_style), None, text, _Fmt())

    def _inline_block(self, node: SyntaxTreeNode, where: _Block) -> None:
        paragraph = self._add_paragraph(where.paragraph_style)
        self._inlines(node.children, paragraph, paragraph._p, _Fmt())

    @staticmethod
    def _level(node: SyntaxTreeNode) -> int:
        """The Word heading level of a Markdown heading: ## is Heading 1 (# is the title)."""
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 2
        return max(level - 1, 1)

    def _heading_style(self, node: SyntaxTreeNode) -> str | None:
        return self._pick(*(f"Heading {n}" for n in range(self._level(node), 0, -1)))

    def _heading(self, node: SyntaxTreeNode, style: str | None, toc: bool = False) -> None:
        paragraph = self._paragraph(node, style)
        if toc and self.headings_done < len(self.toc):
            self._wrap_in_bookmark(paragraph._p, f"_Toc{self.headings_done + 1:06d}")
            self.headings_done += 1

    def _wrap_in_bookmark(self, p, name: str) -> None:
        number = str(self.next_bookmark)
        self.next_bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), number)
        p.append(end)

    def _paragraph(self, node: SyntaxTreeNode, style: str | None) -> Paragraph:
        paragraph = self._add_paragraph(style)
        self._inline_content(node, paragraph)
        return paragraph

    def _style_id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        """The id python-docx would write for the style `name` (None for the default style of its kind),
        looked up once: python-docx searches every style on each assignment by name."""
        key = (name, kind)
        if key not in self.style_ids:
            self.style_ids[key] = self.doc.part.get_style_id(name, kind)
        return self.style_ids[key]

    def _add_paragraph(self, style: str | None) -> Paragraph:
        if self.container is None:
            paragraph = self.body.add_paragraph()
        else:
            p = OxmlElement("w:p")
            self.container.append(p)
            paragraph = Paragraph(p, self.story)
        if style:
            paragraph._p.style = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        return paragraph

    def _table_of_contents(self, title: str) -> None:
        """A TOC field (Word's References → Table of Contents) whose shown result already lists the
        headings, each a link to its heading. Page numbers are Word's to compute: they appear when the
        field is updated (F9, or Update Table); the shown result leaves them out rather than guess."""
        if not self.toc:
            return
        heading = self._add_paragraph(self._pick("TOC Heading"))
        heading.add_run(title)
        styles = [self._pick(*(f"toc {n}" for n in range(level, 0, -1))) for level, _ in self.toc]
        for n, ((_, text), style) in enumerate(zip(self.toc, styles), start=1):
            paragraph = self._add_paragraph(style)
            p = paragraph._p
            if n == 1:
                p.append(_field_char("begin"))
                p.append(_instr(f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '))
                p.append(_field_char("separate"))
            bookmark = f"_Toc{n:06d}"
            link = self._hyperlink(paragraph, p, anchor=bookmark)
            self._run(paragraph, link, text, _Fmt())
            if n == len(self.toc):
                p.append(_field_char("end"))

    def _figure(self, image: SyntaxTreeNode) -> bool:
        """A picture and its caption (the image's alt text); False when the image cannot be found. Its
        Alt Text says what a figure of the brief shows (`Images.description`), else it is the caption."""
        src = str(image.attrs.get("src", ""))
        data = self.images(src)
        if not data:
            return False
        paragraph = self._add_paragraph(self._pick("Figure"))
        text_width = _text_width(self.doc.sections[-1])
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(data))
        if text_width is not None and shape.width > text_width:
            shape.height = Emu(int(shape.height * text_width / shape.width))
            shape.width = Emu(text_width)
        alt = self.images.description(src) or plain_text_of(image)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("name", "Figure")
        if image.children:
            caption = self._add_paragraph(self._pick("Caption"))
            self._inlines(image.children, caption, caption._p, _Fmt())
        return True

    def _list(self, node: SyntaxTreeNode, where: _Block) -> None:
        ordered = node.type == "ordered_list"
        depth = where.depth + 1
        style = self._list_style("List Number" if ordered else "List Bullet", depth)
        numbering = self._restart_numbering(style, _start(node)) if ordered and style else None
        continued = where.paragraph_style if where.quote else self._list_style("List Continue", depth)
        inner = replace(where, paragraph_style=continued, depth=depth)
        for item in node.children:
            children = list(item.children)
            if children and children[0].type == "paragraph":
                first = self._paragraph(children.pop(0), style)
            else:
                first = self._add_paragraph(style)
            if numbering:
                _number(first, *numbering)
            self._blocks(children, inner)

    def _list_style(self, base: str, depth: int) -> str | None:
        names = [f"{base} {n}" if n > 1 else base for n in range(depth, 0, -1)]
        return self._pick(*names, "List Paragraph" if base != "List Continue" else "")

    def _restart_numbering(self, style: str, start: int) -> tuple[int, int] | None:
        """A fresh `w:num` of the style's numbering, so every ordered list counts from its own start."""
        found = self._style_numbering(style)
        if found is None:
            return None
        num_id, ilvl = found
        numbering = self.doc.part.numbering_part.element
        try:
            abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
        except KeyError:
            return None
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl).add_startOverride(start)
        return num.numId, ilvl
    def _style_numbering(self, name: str) -> tuple[int, int] | None:
        style = self.doc.styles[name]
        while style is not None:
            numpr = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numpr is not None and numpr.find(qn("w:numId")) is not None:
                num_id = int(numpr.find(qn("w:numId")).get(qn("w:val")))
                ilvl = numpr.find(qn("w:ilvl"))
                return (num_id, int(ilvl.get(qn("w:val"))) if ilvl is not None else 0) if num_id else None
            style = style.base_style
        return None

    def _table(self, node: SyntaxTreeNode) -> None:
        groups = [child for child in node.children if child.type in ("thead", "tbody")]
        rows = [(group.type == "thead", tr) for group in groups for tr in group.children if tr.type == "tr"]
        columns = max((len(tr.children) for _, tr in rows), default=0)
        if not rows or not columns:
            return
        if self.container is not None:  # a table inside a footnote: its cells as paragraphs
            for _, tr in rows:
                paragraph = self._add_paragraph(self._pick("footnote text"))
                self._inlines([c for cell in tr.children for c in cell.children], paragraph, paragraph._p, _Fmt())
            return
        table = self.doc.add_table(rows=len(rows), cols=columns)
        style = self._pick("Brief Table", "Table Grid")
        if style:
            table.style = self.doc.styles[style]
        for r, (is_header, tr) in enumerate(rows):
            if is_header:
                tr_pr = table.rows[r]._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c, cell in enumerate(tr.children):
                paragraph = table.cell(r, c).paragraphs[0]
                align = re.search(r"text-align:\s*(\w+)", str(cell.attrs.get("style", "")))
                if align and align.group(1) in _ALIGN:
                    paragraph.alignment = _ALIGN[align.group(1)]
                self._inline_content(cell, paragraph)
        # Word wants a paragraph after every table (and runs two adjacent tables together without one);
        # an empty one in a small style also keeps what follows off the table's bottom rule.
        self._add_paragraph(self._pick("Table Spacer"))

    # --- inlines ---

    def _inline_content(self, node: SyntaxTreeNode, paragraph: Paragraph) -> None:
        for child in node.children:
            if child.type == "inline":
                self._inlines(child.children, paragraph, paragraph._p, _Fmt())
            else:
                self._inlines([child], paragraph, paragraph._p, _Fmt())

    def _inlines(self, nodes: Iterable[SyntaxTreeNode], paragraph: Paragraph, target, fmt: _Fmt) -> None:
        for node in nodes:
            kind = node.type
            if kind in ("text", "text_special"):
                self._run(paragraph, target, node.content, fmt)
            elif kind == "softbreak":
                self._run(paragraph, target, " ", fmt)
            elif kind == "hardbreak":
                self._run(paragraph, target, "\n", fmt)
            elif kind == "strong":
                self._inlines(node.children, paragraph, target, replace(fmt, bold=True))
            elif kind == "em":
                self._inlines(node.children, paragraph, target, replace(fmt, italic=True))
            elif kind == "s":
                self._inlines(node.children, paragraph, target, replace(fmt, strike=True))
            elif kind == "code_inline":
                inside_link = fmt.style is not None
                self._run(paragraph, target, node.content, fmt if inside_link else replace(fmt, style="Verbatim Char"))
            elif kind == "link":
                self._link(node, paragraph, target, fmt)
            elif kind == "span":
                self._span(node, paragraph, target, fmt)
            elif kind == "footnote_ref":
                self._citation(node, paragraph, target, fmt)
            elif kind == "html_inline":
                if _BREAK.match(node.content.strip()):
                    self._run(paragraph, target, "\n", fmt)
            elif kind == "footnote_anchor":
                continue
            elif node.children:  # image (its alt text) and anything unknown
                self._inlines(node.children, paragraph, target, fmt)
            elif node.content:
                self._run(paragraph, target, node.content, fmt)

    def _run(self, paragraph: Paragraph, target, text: str, fmt: _Fmt):
        run = paragraph.add_run(text)
        if fmt.style and fmt.style in self.style_names:
            run._r.style = self._style_id(fmt.style, WD_STYLE_TYPE.CHARACTER)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.strike:
            run.font.strike = True
        if target is not None and target is not paragraph._p:
            target.append(run._r)
        return run

    def _hyperlink(self, paragraph: Paragraph, target, *, url: str | None = None, anchor: str | None = None,
                   tooltip: str | None = None):
        link = OxmlElement("w:hyperlink")
        if url is not None:
            link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
        if anchor is not None:
            link.set(qn("w:anchor"), anchor)
        if tooltip:
            link.set(qn("w:tooltip"), tooltip)
        link.set(qn("w:history"), "1")
        target.append(link)
        return link

    def _link(self, node: SyntaxTreeNode, paragraph: Paragraph, target, fmt: _Fmt) -> None:
        href = str(node.attrs.get("href", "") or "")
        title = str(node.attrs.get("title", "") or "") or None
        inside_link = target is not paragraph._p
        url = None if href.startswith("#") else web_url(href)  # only http(s) links: never javascript:, file:
        if inside_link or (href[1:] not in self.span_ids if href.startswith("#") else url is None):
            self._inlines(node.children, paragraph, target, fmt)
            return
        if url is None:
            link = self._hyperlink(paragraph, target, anchor=self._bookmark_name(href[1:]), tooltip=title)
        else:
            link = self._hyperlink(paragraph, target, url=url, tooltip=title)
        self._inlines(node.children, paragraph, link, replace(fmt, style="Hyperlink"))

    def _span(self, node: SyntaxTreeNode, paragraph: Paragraph, target, fmt: _Fmt) -> None:
        ident = node.attrs.get("id")
        if not ident:
            self._inlines(node.children, paragraph, target, fmt)
            return
        name = self._bookmark_name(str(ident))
        if name in self.placed:  # a repeated id: one bookmark only
            self._inlines(node.children, paragraph, target, replace(fmt, bold=True))
            return
        self.placed.add(name)
        number = str(self.next_bookmark)
        self.next_bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        target.append(start)
        self._inlines(node.children, paragraph, target, replace(fmt, bold=True))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), number)
        target.append(end)

    def _citation(self, node: SyntaxTreeNode, paragraph: Paragraph, target, fmt: _Fmt) -> None:
        """A Word footnote holding the Markdown footnote's definition, referenced here."""
        definition = self.footnotes.get(int(node.meta.get("id", -1)))
        if definition is None or self.container is not None:  # undefined, or a note inside a note
            label = node.meta.get("label") or int(node.meta.get("id", 0)) + 1
            self._run(paragraph, target, f"[{label}]", replace(fmt, style="footnote reference"))
            return
        if self.notes_part is None:
            self.notes_part = footnotes_part(self.doc)
        notes = self.notes_part.element
        number = max([int(n.get(qn("w:id"))) for n in notes.findall(qn("w:footnote"))] + [0]) + 1
        reference = self._run(paragraph, target, "", _Fmt(style="footnote reference"))
        reference._r.remove(reference._r.find(qn("w:t"))) if reference._r.find(qn("w:t")) is not None else None
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), str(number))
        reference._r.append(mark)

        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        notes.append(note)
        outer = (self.story, self.container)
        self.story, self.container = _Story(self.notes_part), note
        try:
            self._blocks([c for c in definition.children if c.type != "footnote_anchor"],
                         _Block(paragraph_style=self._pick("footnote text")))
            if not len(note):
                self._add_paragraph(self._pick("footnote text"))
            first = note.find(qn("w:p"))
            own = Paragraph(first, self.story)
            ref_run = self._run(own, None, "", _Fmt(style="footnote reference"))
            ref_run._r.remove(ref_run._r.find(qn("w:t"))) if ref_run._r.find(qn("w:t")) is not None else None
            ref_run._r.append(OxmlElement("w:footnoteRef"))
            space = self._run(own, None, " ", _Fmt())
            ppr = first.find(qn("w:pPr"))
            at = 1 if ppr is not None else 0
            first.insert(at, ref_run._r)
            first.insert(at + 1, space._r)
        finally:
            self.story, self.container = outer

    # --- names ---

    def _bookmark_name(self, ident: str) -> str:
        """A valid Word bookmark name for a span id, the same every time it is asked for: letters, digits
        and underscores, starting with a letter, at most 40 characters, distinct per id."""
        if ident in self.bookmark_names:
            return self.bookmark_names[ident]
        base = re.sub(r"[^A-Za-z0-9_]", "_", ident)
        if not base[:1].isalpha():
            base = "id_" + base
        base = base[:40]
        name, n = base, 1
        while name in self.bookmarks_taken:
            n += 1
            suffix = f"_{n}"
            name = base[: 40 - len(suffix)] + suffix
        self.bookmark_names[ident] = name
        self.bookmarks_taken.add(name)
        return name

    def _pick(self, *names: str) -> str | None:
        """The first of `names` the document has a style for."""
        for name in names:
            if name and name in self.style_names:
                return name
        return None


def _text_width(section: Section) -> int | None:
    """The width between the margins; None when the reference document leaves the page size or a margin
    unset (the picture then keeps its own size)."""
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return None
    return section.page_width - section.left_margin - section.right_margin


def _start(node: SyntaxTreeNode) -> int:
    try:
        return int(node.attrs.get("start", 1))
    except (TypeError, ValueError):
        return 1


def _field_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instr(text: str):
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = text
    run.append(instr)
    return run


def _number(paragraph: Paragraph, num_id: int, ilvl: int) -> None:
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id

