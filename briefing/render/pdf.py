"""The PDF writer: the template's Markdown, typeset with reportlab.

`write` translates the syntax tree of the brief's Markdown, as the template rendered it (`Rendered.tree`),
into platypus flowables. The template alone decides what the brief says
and in which order; this module only decides how it looks: A4, DejaVu Serif text under DejaVu Sans
headings, a title block, a table of contents where the template writes `<!-- toc -->`, hanging lists,
figures with captions, and a running footer with the title and "Page N of M".

A footnote mark (`[^3]`) whose definition links to anchors in the document (`[S5](#source-S5)`) becomes
those links, as small superscript marks (`[S5]`), so a reader clicks a mark and lands on the source's
entry; a footnote without such links is printed as a numbered note at the end, and its mark links there.
The named destinations are real PDF named destinations (the catalog's /Dests), so `brief.pdf#source-S1`
works too. Headings are the PDF outline (bookmarks) and the entries of the table of contents.

The output is byte-for-byte deterministic for the same Brief: reportlab runs in invariant mode and the
only date in the file (CreationDate, ModDate) is the brief's `generated_at`.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from briefing.model import Brief
from briefing.render import figures
from briefing.render.figures import Images
from briefing.render.markdown import (
    HTML_BREAK,
    LANGUAGE,
    Rendered,
    document_tree,
    listed_sources,
    lone_image,
    meta_paragraph,
    node_text,
    plain_text_of,
    shown_path,
    strip_html,
    toc_title,
    web_url,
)

# --- fonts -------------------------------------------------------------------------------------------

SERIF = "DejaVuSerif"
SANS = "DejaVuSans"
MONO = "DejaVuSansMono"

# family -> (regular, bold, italic, bold italic) file stems in matplotlib's mpl-data/fonts/ttf
_FONT_FILES = {
    SERIF: ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
    SANS: ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    MONO: ("DejaVuSansMono", "DejaVuSansMono-Bold", "DejaVuSansMono-Oblique", "DejaVuSansMono-BoldOblique"),
}


@functools.cache
def register_fonts() -> None:
    """Register the DejaVu families with reportlab, so <b> and <i> pick the right face."""
    directory = figures.font_dir()
    for family, stems in _FONT_FILES.items():
        for stem in stems:
            if stem not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(stem, str(directory / f"{stem}.ttf")))
        regular, bold, italic, bold_italic = stems
        pdfmetrics.registerFontFamily(family, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)


# --- characters DejaVu lacks ---------------------------------------------------------------------------
# The body is DejaVu Serif. A character it lacks is set in DejaVu Sans when that has it (Arabic, more
# symbols), else in a font of the system's that fontconfig (`fc-list :charset=…`) finds with it (CJK,
# emoji), registered with reportlab on first use. What no font has stays a box, and `missing_glyphs`
# names it so the build can warn.

FALLBACK_PREFIX = "BriefingFallback"
MAX_FONT_LOOKUPS = 64
"""Characters fontconfig is asked about per document; others no font found for yet count as missing in
that document (a found font is checked first for every later character, so CJK text costs one or two
lookups). Per document, not per process: `briefing serve` writes brief after brief in one process,
and once a brief full of rare characters had spent a process-wide allowance, every later brief's
Chinese would have been boxes."""

_fallbacks: list[tuple[str, frozenset[int]]] = []  # fonts registered for characters DejaVu lacks, in order
_font_of: dict[int, str | None] = {}  # character → the fallback font found for it (None: none)
_refused: set[str] = set()  # font files reportlab cannot embed (CFF outlines, bitmaps)
_lookups_left = [MAX_FONT_LOOKUPS]  # in the document being written


def _new_document() -> None:
    _lookups_left[0] = MAX_FONT_LOOKUPS


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


def _invisible(ch: str) -> bool:
    """Characters no font needs to draw: spaces, controls, format marks (ZWJ), variation selectors."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") or "\ufe00" <= ch <= "\ufe0f" or (
        "\U000e0100" <= ch <= "\U000e01ef")


def font_for(ch: str) -> str | None:
    """The font to set a character in that DejaVu Serif lacks: DejaVu Sans, a system font, or None."""
    point = ord(ch)
    if point in _cmap(SANS):
        return SANS
    for name, cmap in _fallbacks:
        if point in cmap:
            return name
    if point not in _font_of:
        if _lookups_left[0] <= 0:
            return None  # not remembered: the next document asks
        _lookups_left[0] -= 1
        _font_of[point] = _system_font_for(point)
    return _font_of[point]


def _system_font_for(point: int) -> str | None:
    """A TrueType font of the system's that has the character, registered with reportlab; None when
    fontconfig is not installed or no font it knows has the character."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, f":charset={point:x}", "--format=%{file}\n"], capture_output=True,
                                text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for file in sorted(set(listed.split("\n")) - {""} - _refused):
        if not file.lower().endswith((".ttf", ".ttc", ".otf")):
            continue
        name = f"{FALLBACK_PREFIX}{len(_fallbacks) + 1}"
        try:
            font = TTFont(name, file)
        except Exception:  # reportlab embeds TrueType outlines only
            _refused.add(file)
            continue
        cmap = frozenset(font.face.charToGlyph)
        if point not in cmap:
            continue
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _fallbacks.append((name, cmap))
        return name
    return None


def shown(ch: str) -> bool:
    """Whether some font the PDF can use draws the character."""
    return _invisible(ch) or ord(ch) in _cmap(SERIF) or font_for(ch) is not None


def font_runs(text: str) -> Iterator[tuple[str | None, str]]:
    """The text in runs of (font, characters): None for the paragraph's own font."""
    serif = _cmap(SERIF)
    other = {c for c in set(text) if ord(c) not in serif and not _invisible(c)}
    if not other:
        yield None, text
        return
    start, current = 0, None
    for k, ch in enumerate(text):
        font = font_for(ch) if ch in other else current if _invisible(ch) else None
        if font != current:
            if k > start:
                yield current, text[start:k]
            start, current = k, font
    if start < len(text):
        yield current, text[start:]


def _bold(family: str) -> str:
    return _FONT_FILES[family][1]


def _italic(family: str) -> str:
    return _FONT_FILES[family][2]


# --- look --------------------------------------------------------------------------------------------

NAVY = colors.HexColor("#1B2F57")
INK = colors.HexColor("#1E2126")
GREY = colors.HexColor("#5E6876")
QUOTE = colors.HexColor("#3E4A5A")
RULE = colors.HexColor("#C5CCD6")
LINK = colors.HexColor("#1F4E8C")
CODE_BG = colors.HexColor("#F2F4F7")
HEAD_BG = colors.HexColor("#E9EEF5")

PAGE = A4
MARGIN_LEFT = MARGIN_RIGHT = 25 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 26 * mm
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

BODY_SIZE = 10
LINE = 14.6  # the body leading, and the unit of "a few lines" when keeping headings with their text
LIST_INDENT = 16  # text indent of a list item; the bullet hangs in it
BULLETS = ("•", "–", "◦")
OUTLINE_PREFIX = "briefing-outline-"  # bookmark keys of the outline entries, in /Dests only when linked to
NOTE_PREFIX = "note-"  # anchors of the notes printed at the end
TOC_LEVELS = 3  # ## to #### headings are listed in the table of contents


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    meta: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    h4: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle
    caption: ParagraphStyle
    note: ParagraphStyle
    toc_heading: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]


def stylesheet() -> Styles:
    body = ParagraphStyle(
        "Body", fontName=SERIF, fontSize=BODY_SIZE, leading=LINE, textColor=INK,
        spaceBefore=0, spaceAfter=7, alignment=TA_LEFT, allowWidows=0, allowOrphans=0,
        splitLongWords=1, embeddedHyphenation=0,  # 1 breaks "ex-Soviet" and may print "exSoviet": quotes are verbatim
    )
    heading = ParagraphStyle(
        "Heading", fontName=_bold(SANS), textColor=NAVY, keepWithNext=1, alignment=TA_LEFT,
        allowWidows=0, allowOrphans=0,
    )
    return Styles(
        title=ParagraphStyle("Title", heading, fontSize=22, leading=27, spaceBefore=0, spaceAfter=5),
        meta=ParagraphStyle("Meta", body, fontName=SANS, fontSize=8.8, leading=12.5, textColor=GREY,
                            spaceAfter=0, keepWithNext=1),
        h1=ParagraphStyle("H1", heading, fontSize=16, leading=20, spaceBefore=20, spaceAfter=9),
        h2=ParagraphStyle("H2", heading, fontSize=12.5, leading=16, spaceBefore=17, spaceAfter=9),
        h3=ParagraphStyle("H3", heading, fontSize=10.6, leading=14, spaceBefore=11, spaceAfter=4),
        h4=ParagraphStyle("H4", heading, fontSize=9.6, leading=13, spaceBefore=9, spaceAfter=3,
                          textColor=QUOTE),
        body=body,
        item=ParagraphStyle("Item", body, spaceAfter=4),
        quote=ParagraphStyle("Quote", body, fontName=_italic(SERIF), textColor=QUOTE, spaceAfter=5),
        code=ParagraphStyle("Code", body, fontName=MONO, fontSize=8.2, leading=11.2, backColor=CODE_BG,
                            borderPadding=(5, 6, 5, 6), leftIndent=6, rightIndent=6,
                            spaceBefore=5, spaceAfter=12, splitLongWords=1, embeddedHyphenation=0),
        cell=ParagraphStyle("Cell", body, fontSize=9, leading=12, spaceAfter=0),
        head_cell=ParagraphStyle("HeadCell", body, fontName=_bold(SANS), fontSize=8.6, leading=11.5,
                                 textColor=NAVY, spaceAfter=0),
        caption=ParagraphStyle("Caption", body, fontName=_italic(SANS), fontSize=8.4, leading=11.5,
                               textColor=GREY, alignment=TA_CENTER, spaceBefore=4, spaceAfter=12),
        note=ParagraphStyle("Note", body, fontSize=8.2, leading=10.6, spaceAfter=2, leftIndent=12,
                            firstLineIndent=-12),
        toc_heading=ParagraphStyle("TOCHeading", heading, fontSize=9.6, leading=13, spaceBefore=10,
                                   spaceAfter=3, textColor=NAVY),
        toc=tuple(ParagraphStyle(f"TOC{n}", body, fontName=SANS, fontSize=9 - 0.4 * n, leading=13 - n,
                                 leftIndent=12 * n, spaceAfter=0.5, spaceBefore=0, textColor=INK)
                  for n in range(TOC_LEVELS)),
    )


# --- text --------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


LONG_WORD = 200
"""A "word" (characters between spaces) this long gets a line break every `WORD_CHUNK` characters
reportlab splits an over-long word character by character, measuring each (seconds per word of
10,000 characters, in every pass), and a title taller than the page cannot be split at all."""
WORD_CHUNK = 30
"""Narrower than a line at body size even in wide letters (30 × "W" is 300 pt), so reportlab never splits one."""
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD},}}")
MAX_HEADING = 300
"""Headings (the title too) longer than this many characters are cut, with "…": a heading is kept whole
on one page, and it is also the outline entry, the contents line and the footer."""


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc(text: str) -> str:
    """Text as reportlab paragraph markup that reads back as the same characters: escaped, characters
    DejaVu Serif lacks set in a font that has them (`font_runs`), over-long words broken."""
    text = _CONTROL.sub("", text)
    if _LONG_WORD.search(text):
        text = _LONG_WORD.sub(lambda m: "\x00".join(m.group()[k:k + WORD_CHUNK]
                                                    for k in range(0, len(m.group()), WORD_CHUNK)), text)
        return "<br/>".join(esc(part) for part in text.split("\x00"))
    return "".join(_xml(part) if font is None else f'<font face="{font}">{_xml(part)}</font>'
                   for font, part in font_runs(text))


def esc_attr(text: str) -> str:
    return _xml(_CONTROL.sub("", text)).replace('"', "&quot;")


def cut(text: str, limit: int = MAX_HEADING) -> str:
    """Text of at most `limit` characters, "…" where it was cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def plain_text(node: SyntaxTreeNode) -> str:
    """The characters a node shows, footnote marks as `[label]` (for outline entries and unknown nodes)."""
    return node_text(node, marks=True, raw_html=True)


@dataclass
class Walk:
    """What the tree walk needs to know: the styles, the anchors that exist, the font in force."""

    styles: Styles
    anchors: frozenset[str]
    width: float
    text_style: ParagraphStyle | None = None  # paragraph style for the current container
    list_depth: int = 0
    outline: list[int] = field(default_factory=lambda: [0])  # shared heading counter
    notes: dict[int, SyntaxTreeNode] = field(default_factory=dict)  # footnote id → its definition
    note_links: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # id → (anchor, text)
    images: Images = field(default_factory=lambda: Images(None))
    toc: TableOfContents | None = None

    def inside(self, *, width: float, text_style: ParagraphStyle, list_depth: int | None = None) -> Walk:
        """The walk inside a container (a list or a quote) of `width`, whose paragraphs take `text_style`."""
        depth = self.list_depth if list_depth is None else list_depth
        return replace(self, width=width, text_style=text_style, list_depth=depth)


def inline(node: SyntaxTreeNode, walk: Walk, size: float) -> str:
    """Paragraph mini-markup for an inline node and its children."""
    kind = node.type
    if kind == "text":
        return esc(node.content)
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "<br/>"
    children = "".join(inline(c, walk, size) for c in node.children)
    if kind == "inline":
        return children
    if kind == "strong":
        return f"<b>{children}</b>"
    if kind == "em":
        return f"<i>{children}</i>"
    if kind == "s":
        return f"<strike>{children}</strike>"
    if kind == "code_inline":
        return f'<font face="{MONO}" size="{size * 0.86:.2f}">{esc(node.content)}</font>'
    if kind == "link":
        return _link(str(node.attrs.get("href", "")), children, walk)
    if kind == "span":
        anchor = node.attrs.get("id")
        if anchor:
            return f'<a name="{esc_attr(str(anchor))}"/><b>{children}</b>'
        return children
    if kind == "footnote_ref":
        return _citation(node, walk, size)
    if kind == "footnote_anchor":
        return ""  # the back-reference arrow of a footnote definition
    if kind == "html_inline":
        raw = node.content
        if HTML_BREAK.fullmatch(raw.strip()):
            return "<br/>"
        return esc(strip_html(raw))
    if kind == "image":
        return children  # the alt text
    # anything else: its text
    return children if node.children else esc(node.content or "")


def _link(href: str, text: str, walk: Walk) -> str:
    if href.startswith("#"):
        target = href[1:]
        if target in walk.anchors:
            return f'<a href="#{esc_attr(target)}" color="{LINK.hexval()}">{text}</a>'
        return text
    url = web_url(href)
    if url is not None:
        return (f'<a href="{esc_attr(url)}" color="{LINK.hexval()}" underline="1" '
                f'ucolor="{RULE.hexval()}" uwidth="0.5">{text}</a>')
    return text  # a relative link points nowhere in a PDF; only http(s) links are made (javascript:, file: are not)


def _mark(text: str, size: float) -> str:
    mark = f'<font face="{SANS}" color="{LINK.hexval()}">{esc(text)}</font>'
    return f'<super rise="{size * 0.36:.2f}" size="{size * 0.62:.2f}">{mark}</super>'


def _citation(node: SyntaxTreeNode, walk: Walk, size: float) -> str:
    """The footnote's links as marks (`[S5]`), else its number linking to the note at the end."""
    note = int(node.meta.get("id", -1))
    links = walk.note_links.get(note)
    if links:
        return "".join(f'<a href="#{esc_attr(anchor)}">{_mark(f"[{text}]", size)}</a>' for anchor, text in links)
    if note in walk.notes:
        return f'<a href="#{NOTE_PREFIX}{note + 1}">{_mark(str(note + 1), size)}</a>'
    return _mark(f"[{node.meta.get('label', '')}]", size)


def _note_links(notes: dict[int, SyntaxTreeNode], anchors: frozenset[str]) -> dict[int, list[tuple[str, str]]]:
    """Footnote id → the links its definition makes to anchors of the document, in order."""
    out: dict[int, list[tuple[str, str]]] = {}
    for note, definition in notes.items():
        links = [(str(n.attrs["href"])[1:], plain_text_of(n)) for n in definition.walk()
                 if n.type == "link" and str(n.attrs.get("href", "")).startswith("#")
                 and str(n.attrs["href"])[1:] in anchors]
        if links:
            out[note] = list(dict.fromkeys(links))
    return out


def _anchors(node: SyntaxTreeNode) -> Iterator[str]:
    if node.type == "span" and node.attrs.get("id"):
        yield str(node.attrs["id"])
    for child in node.children:
        yield from _anchors(child)


# --- flowables ---------------------------------------------------------------------------------------


class Heading(Paragraph):
    """A heading paragraph that leaves an entry in the PDF outline (the viewer's bookmarks pane)."""

    def __init__(self, text: str, style: ParagraphStyle, outline: tuple[str, str, int] | None = None,
                 rule: colors.Color | None = None, is_title: bool = False, toc_level: int | None = None):
        super().__init__(text, style)
        self.is_title = is_title
        self._outline = outline
        self._rule = rule
        self.toc_level = toc_level  # its level in the table of contents, None when not listed

    def draw(self) -> None:
        super().draw()
        canv = self.canv
        if self._rule is not None:
            canv.saveState()
            canv.setStrokeColor(self._rule)
            canv.setLineWidth(0.6)
            canv.line(0, -3.5, self.width, -3.5)
            canv.restoreState()
        if self._outline is not None:
            title, key, level = self._outline
            done = canv.__dict__.setdefault("_briefing_outlined", set())
            if key in done:  # once, even if split; every build pass has a new canvas
                return
            done.add(key)
            canv.bookmarkHorizontal(key, 0, self.height + 4)
            last = getattr(canv, "_briefing_outline_level", -1)
            level = max(0, min(level, last + 1))
            canv._briefing_outline_level = level
            canv.addOutlineEntry(title, key, level=level)


def blocks(nodes: Iterable[SyntaxTreeNode], walk: Walk) -> list[Flowable]:
    out: list[Flowable] = []
    for node in nodes:
        out.extend(block(node, walk))
    return out


def block(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    """A block node's flowables, by its type (`BLOCKS`); one of an unknown type by its block children if
    it has any, else by its text."""
    write = BLOCKS.get(node.type)
    if write is not None:
        return write(node, walk)
    if node.children and any(c.type != "inline" and not _is_inline(c) for c in node.children):
        return blocks(node.children, walk)
    text = plain_text(node).strip()
    if not text:
        return []
    return [Paragraph(esc(text), walk.text_style or walk.styles.body)]


def _paragraph_block(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    """A paragraph; one that is only an image (outside a list) is a figure, its alt text the caption."""
    image = lone_image(node)
    if image is not None and not walk.list_depth:
        figure = _figure(image, walk)
        if figure:
            return figure
    return [_paragraph(node, walk.text_style or walk.styles.body, walk)]


def _html_block(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    """`<!-- toc -->` as the table of contents; any other raw HTML as the text a browser would show."""
    title = toc_title(node)
    if title is not None:
        return _table_of_contents(title, walk)
    text = strip_html(node.content).strip()
    if not text:
        return []
    markup = "<br/>".join(esc(line) for line in text.splitlines())
    return [Paragraph(markup, walk.text_style or walk.styles.body)]


def _inline_block(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    return [Paragraph(inline(node, walk, BODY_SIZE), walk.text_style or walk.styles.body)]


def _rule(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    return [HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=6, spaceAfter=12)]


def _figure(image: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    """The picture, no wider than the text, over its caption (the alt text); [] when it cannot be found."""
    data = walk.images(str(image.attrs.get("src", "")))
    if not data:
        return []
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(data)) as picture:
        pixels_wide, pixels_high = picture.size
        dpi = float((picture.info.get("dpi") or (72, 72))[0]) or 72.0
    width = min(walk.width, pixels_wide * 72.0 / dpi)
    height = width * pixels_high / pixels_wide
    picture = Image(io.BytesIO(data), width=width, height=height)
    picture.hAlign = "CENTER"
    parts: list[Flowable] = [Spacer(0, 4), picture]
    if image.children:
        parts.append(Paragraph("".join(inline(c, walk, walk.styles.caption.fontSize) for c in image.children),
                               walk.styles.caption))
    return [KeepTogether(parts)]


def _table_of_contents(title: str, walk: Walk) -> list[Flowable]:
    styles = walk.styles
    toc = TableOfContents(levelStyles=list(styles.toc), dotsMinLevel=0, rightColumnWidth=24,
                          tableStyle=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("FONT", (0, 0), (-1, -1), SANS, 9),
                                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                 ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    walk.toc = toc
    return [Paragraph(esc(title), styles.toc_heading), toc, Spacer(0, 6)]


def _endnotes(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    """The footnotes whose marks do not link elsewhere, numbered, after a short rule; notes that say the
    same thing are printed once under all their numbers ("2, 4, 5. …")."""
    texts: dict[str, list[int]] = {}
    for footnote in node.children:
        number = int(footnote.meta.get("id", -1))
        if footnote.type != "footnote" or number in walk.note_links:
            continue
        text = " ".join("".join(inline(c, walk, walk.styles.note.fontSize) for c in child.children)
                        if child.children else "" for child in footnote.children if child.type != "footnote_anchor")
        texts.setdefault(text, []).append(number + 1)
    out: list[Flowable] = []
    for text, numbers in texts.items():
        anchors = "".join(f'<a name="{NOTE_PREFIX}{n}"/>' for n in numbers)
        out.append(Paragraph(f'{anchors}{", ".join(map(str, numbers))}.&nbsp;&nbsp;{text}', walk.styles.note))
    if out:
        out.insert(0, HRFlowable(width="30%", thickness=0.5, color=RULE, spaceBefore=10, spaceAfter=6, hAlign="LEFT"))
    return out


_INLINE_TYPES = {"text", "softbreak", "hardbreak", "strong", "em", "s", "code_inline", "link", "span",
                 "footnote_ref", "footnote_anchor", "html_inline", "image"}


def _is_inline(node: SyntaxTreeNode) -> bool:
    return node.type in _INLINE_TYPES


class KeptParagraph(Paragraph):
    """A short paragraph that moves to the next page whole rather than break across pages: a list item
    is usually one cited sentence, and it should read (and copy) as one."""

    max_lines = 6

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        if len(getattr(self.blPara, "lines", ())) <= self.max_lines:
            return []
        return super().split(availWidth, availHeight)


class WidowlessList(ListFlowable):
    """A list whose last item never starts a page alone: broken across pages, it keeps its last two
    items together, as a word processor's widow control keeps a paragraph's last two lines, so that
    no page holds only the last line of a list (the sources, at the end of a brief)."""

    def split(self, availWidth, availHeight):
        content = list(super().split(availWidth, availHeight))
        if len(content) >= 3:
            content[-2:] = [KeepTogether(content[-2:])]
        return content


class RoomFor(CondPageBreak):
    """Starts a new page unless the headings that follow fit together with the start of what they head.

    reportlab's keepWithNext cannot hold a heading to a list (a ListFlowable is a container), so a
    heading could end a page with its list on the next; this asks, before the heading, for room for
    the heading(s) and the first item whole (if short), or the first few lines of anything else."""

    _ZEROSIZE = True  # takes no space itself ...
    _SPACETRANSFER = True  # ... and passes the space after the previous block on to the heading

    def __init__(self, run: list[Flowable], follower: Flowable | None):
        super().__init__(0)
        self._run = run
        self._follower = follower

    def wrap(self, availWidth, availHeight):
        if availHeight < 0:
            # The block before already took the page's last points (its space after overran the foot):
            # this moves to the next page by itself and is asked again there. Asking for a page break
            # as well left a blank page between the two.
            return 0, 0
        canv = self.canv
        need = 0.0
        for f in self._run:
            need += f.wrapOn(canv, availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        if self._follower is not None:
            need += _opening_height(self._follower, canv, availWidth, availHeight)
        self.height = need
        return super().wrap(availWidth, availHeight)


def _opening_height(f: Flowable, canv: Canvas, width: float, height: float) -> float:
    """The height a flowable needs at the foot of a page before it may continue on the next."""
    if isinstance(f, ListFlowable):
        parts = f.split(width, height)
        if not parts:
            return 0.0
        first = parts[0]
        h = first.wrapOn(canv, width, height)[1] + first.getSpaceBefore()
        return min(h, (KeptParagraph.max_lines + 0.5) * LINE)
    h = f.wrapOn(canv, width, height)[1] + f.getSpaceBefore()
    if isinstance(f, KeepTogether):  # a figure and its caption never split: the heading goes with all of it
        # (its wrap answers 0xffffff, to be asked to split; the height of its content is `_H`)
        h = f._H + f.getSpaceBefore()
        return min(h, 0.75 * FRAME_HEIGHT)  # (a page always has room for the headings and this much)
    return min(h, 3 * LINE if isinstance(f, Paragraph) else 4 * LINE)


def _paragraph(node: SyntaxTreeNode, style: ParagraphStyle, walk: Walk) -> Paragraph:
    kind = KeptParagraph if walk.list_depth else Paragraph
    return kind(inline(node, walk, style.fontSize), style)


def _heading(node: SyntaxTreeNode, walk: Walk) -> Flowable:
    styles = walk.styles
    level = int(node.tag[1]) if node.tag[:1] == "h" and node.tag[1:].isdigit() else 2
    style = {1: styles.h1, 2: styles.h2, 3: styles.h3}.get(level, styles.h4)
    if walk.list_depth or walk.text_style is not None:  # a heading inside a list or quote: no outline
        return Heading(_heading_markup(node, walk, style.fontSize), style)
    walk.outline[0] += 1
    outline = None
    if level <= 3:
        title = cut(plain_text_of(node))
        outline = (title or "…", f"{OUTLINE_PREFIX}{walk.outline[0]}", level - 1)
    rule = RULE if level == 2 else None
    toc_level = level - 2 if 2 <= level < 2 + TOC_LEVELS else None
    return Heading(_heading_markup(node, walk, style.fontSize), style, outline, rule, toc_level=toc_level)


def _heading_markup(node: SyntaxTreeNode, walk: Walk, size: float) -> str:
    """A heading's markup; past `MAX_HEADING` characters, its plain text cut there."""
    text = plain_text_of(node)
    return inline(node, walk, size) if len(text) <= MAX_HEADING else esc(cut(text))


def _list(node: SyntaxTreeNode, walk: Walk) -> Flowable:
    styles = walk.styles
    ordered = node.type == "ordered_list"
    depth = walk.list_depth
    tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
    item_style = ParagraphStyle(f"Item{depth}{'t' if tight else 'l'}", walk.text_style or styles.item,
                                spaceAfter=3.5 if tight else 7)
    inner = walk.inside(width=walk.width - LIST_INDENT, list_depth=depth + 1, text_style=item_style)
    items = []
    for child in node.children:
        content = blocks(child.children, inner) if child.children else [Paragraph("", item_style)]
        items.append(ListItem(content or [Paragraph("", item_style)]))
    text_size = item_style.fontSize
    if ordered:
        start = node.attrs.get("start", 1)
        try:
            start = int(start)
        except (TypeError, ValueError):
            start = 1
        bullet_size = text_size * 0.9
        return WidowlessList(
            items, bulletType="1", start=start, bulletFormat="%s.", leftIndent=LIST_INDENT,
            bulletAlign="right", bulletDedent=4.5, bulletFontName=_bold(SANS), bulletFontSize=bullet_size,
            bulletColor=NAVY, bulletOffsetY=-(text_size - bullet_size), spaceBefore=0, spaceAfter=4 if depth else 6,
        )
    bullet = BULLETS[min(depth, len(BULLETS) - 1)]
    bullet_size = text_size * 0.9
    return WidowlessList(
        items, bulletType="bullet", start=bullet, leftIndent=LIST_INDENT, bulletDedent=LIST_INDENT - 2,
        bulletAlign="left", bulletFontName=SANS, bulletFontSize=bullet_size, bulletColor=NAVY,
        bulletOffsetY=-(text_size - bullet_size), spaceBefore=0, spaceAfter=4 if depth else 6,
    )


def _blockquote(node: SyntaxTreeNode, walk: Walk) -> list[Flowable]:
    styles = walk.styles
    pad = 11
    inner = walk.inside(width=walk.width - pad - 2, text_style=styles.quote)
    content = blocks(node.children, inner)
    if not content:
        return []
    table = Table([[content]], colWidths=[walk.width], splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SERIF, BODY_SIZE),  # not reportlab's default Helvetica
        ("LINEBEFORE", (0, 0), (0, -1), 2, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    table.spaceBefore = 2
    table.spaceAfter = 8
    return [table]


def _code(node: SyntaxTreeNode, walk: Walk) -> Paragraph:
    lines = node.content.rstrip("\n").expandtabs(4).split("\n")
    markup = "<br/>".join(esc(line).replace(" ", "&nbsp;") or "&nbsp;" for line in lines)
    return Paragraph(markup, walk.styles.code)


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _table_rows(node: SyntaxTreeNode) -> tuple[list[list[SyntaxTreeNode]], int]:
    """A table's rows, each its cells, and how many of them are header rows (the first ones)."""
    rows: list[list[SyntaxTreeNode]] = []
    header_rows = 0
    for part in node.children:
        for tr in part.children if part.type in ("thead", "tbody") else [part]:
            if tr.type != "tr":
                continue
            rows.append([cell for cell in tr.children if cell.type in ("th", "td")])
            if part.type == "thead":
                header_rows += 1
    return rows, header_rows


def _cell_style(cell: SyntaxTreeNode, base: ParagraphStyle) -> ParagraphStyle:
    """The cell's paragraph style: `base`, aligned as the Markdown's column says."""
    match = re.search(r"text-align:\s*(\w+)", str(cell.attrs.get("style", "")))
    if match and match.group(1) in _ALIGN:
        return ParagraphStyle(f"{base.name}-{match.group(1)}", base, alignment=_ALIGN[match.group(1)])
    return base


def _table(node: SyntaxTreeNode, walk: Walk) -> Flowable:
    styles = walk.styles
    rows, header_rows = _table_rows(node)
    if not rows:
        return Spacer(0, 0)
    columns = max(len(r) for r in rows) or 1
    data = []
    lengths = [1] * columns  # each column's longest text, up to 60 characters: its share of the width
    for r, row in enumerate(rows):
        base = styles.head_cell if r < header_rows else styles.cell
        cells = []
        for c in range(columns):
            if c >= len(row):
                cells.append(Paragraph("", base))
                continue
            style = _cell_style(row[c], base)
            cells.append(Paragraph("".join(inline(ch, walk, style.fontSize) for ch in row[c].children), style))
            lengths[c] = max(lengths[c], min(len(plain_text(row[c])), 60))
        data.append(cells)
    weights = [length + 6 for length in lengths]
    total = sum(weights)
    widths = [walk.width * w / total for w in weights]
    table = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), SERIF, BODY_SIZE),  # not reportlab's default Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, NAVY),
        ]
    table.setStyle(TableStyle(commands))
    table.spaceBefore = 3
    table.spaceAfter = 10
    return table


BlockWriter = Callable[[SyntaxTreeNode, Walk], list[Flowable]]


def _one(make: Callable[[SyntaxTreeNode, Walk], Flowable]) -> BlockWriter:
    """A block writer of one flowable."""
    return lambda node, walk: [make(node, walk)]


BLOCKS: dict[str, BlockWriter] = {
    "paragraph": _paragraph_block, "heading": _one(_heading), "bullet_list": _one(_list), "ordered_list": _one(_list),
    "blockquote": _blockquote, "code_block": _one(_code), "fence": _one(_code), "hr": _rule, "table": _one(_table),
    "footnote_block": _endnotes, "html_block": _html_block, "inline": _inline_block,
}
"""How each type of block is typeset."""


def flowables(tree: SyntaxTreeNode, width: float, styles: Styles | None = None,
              images: Images | None = None) -> list[Flowable]:
    """The document's flowables: a title block for the first level-1 heading, then the rest in order."""
    styles = styles or stylesheet()
    anchors = frozenset(_anchors(tree))
    notes = {int(n.meta.get("id", -1)): n for n in tree.walk() if n.type == "footnote"}
    walk = Walk(styles=styles, anchors=anchors, width=width, notes=notes,
                note_links=_note_links(notes, anchors), images=images or Images(None))
    out: list[Flowable] = []
    nodes = list(tree.children)
    titled = False
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if not titled and node.type == "heading" and node.tag == "h1":
            titled = True
            out.extend(_title_block(node, nodes[i + 1] if i + 1 < len(nodes) else None, walk))
            if i + 1 < len(nodes) and nodes[i + 1].type == "paragraph":
                i += 1  # the meta line went into the title block
        else:
            out.extend(block(node, walk))
        i += 1
    return _make_room_for_headings(out)


def _make_room_for_headings(story: list[Flowable]) -> list[Flowable]:
    """Put a RoomFor before each run of headings (the title block looks after itself)."""
    out: list[Flowable] = []
    for i, f in enumerate(story):
        starts_run = isinstance(f, Heading) and not f.is_title and not (i and isinstance(story[i - 1], Heading))
        if starts_run:
            j = i
            while j < len(story) and isinstance(story[j], Heading):
                j += 1
            out.append(RoomFor(story[i:j], story[j] if j < len(story) else None))
        out.append(f)
    return out


def _title_block(title: SyntaxTreeNode, following: SyntaxTreeNode | None, walk: Walk) -> list[Flowable]:
    styles = walk.styles
    walk.outline[0] += 1
    name = cut(re.sub(r"\s+", " ", plain_text(title)).strip())
    out: list[Flowable] = [
        _keep(HRFlowable(width="100%", thickness=3, color=NAVY, spaceBefore=0, spaceAfter=12)),
        Heading(_heading_markup(title, walk, styles.title.fontSize), styles.title,
                (name or "…", f"{OUTLINE_PREFIX}{walk.outline[0]}", 0), is_title=True),
    ]
    if following is not None and following.type == "paragraph":
        out.append(_paragraph(following, styles.meta, walk))
    out.append(HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=10, spaceAfter=4))
    return out


def _keep(flowable: Flowable) -> Flowable:
    flowable.keepWithNext = 1
    return flowable


# --- document ----------------------------------------------------------------------------------------


class _Canvas(Canvas):
    """A canvas whose internal links name their destination (/Dest /source-S1) and whose catalog lists
    every destination by name (/Dests), instead of reportlab's anonymous explicit destinations; on a draft
    (see `BriefDocument.drafting`) it draws no images."""

    drafting = False

    def drawImage(self, image, x, y, width=None, height=None, **kw):
        if self.drafting:  # decoding and compressing the figure's pixels cost as much as laying pages out
            return width, height
        return super().drawImage(image, x, y, width, height, **kw)

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        self._bookmarkReference(destinationname)  # must be bound by the time the file is written
        self.__dict__.setdefault("_briefing_linked", set()).add(destinationname)
        kw["Rect"] = self._absRect(Rect, relative)
        kw["Contents"] = contents
        kw["Destination"] = pdfdoc.PDFName(destinationname)
        kw.setdefault("Border", pdfdoc.PDFArray([0, 0, thickness or 0]))
        if color:
            kw["C"] = pdfdoc.PDFArray([color.red, color.green, color.blue])
        return self._addAnnotation(pdfdoc.LinkAnnotation(**kw), name, addtopage)

    def save(self) -> None:
        linked = self.__dict__.get("_briefing_linked", set())
        named = {key: dest for key, dest in self._destinations.items()
                 if dest.fmt is not None and (not key.startswith(OUTLINE_PREFIX) or key in linked)}
        if named:
            self._doc.Catalog.Dests = pdfdoc.PDFDictionary(named)
        super().save()


def _pdf_date(generated_at: str) -> str | None:
    """generated_at as a PDF date string (D:YYYYMMDDHHmmSS+HH'mm')."""
    try:
        when = datetime.fromisoformat(generated_at)
    except (TypeError, ValueError):
        return None
    text = f"D:{when:%Y%m%d%H%M%S}"
    offset = when.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        minutes = abs(minutes)
        text += f"{sign}{minutes // 60:02d}'{minutes % 60:02d}'"
    return text


class KeepWithNext(KeepTogether):
    """Keeps a heading with the paragraph or table after it without pushing a long follower to the next
    page: once the heading and a few lines fit, the group may split (reportlab's KeepTogether would start
    a new page whenever the whole group does not fit)."""

    room = 4 * LINE

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H > aH and len(self._content) > 1:
            lead = 0.0
            for f in self._content[:-1]:
                lead += f.wrapOn(self.canv, aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter()
            if lead + self.room <= aH:
                return self._content[:]
        return super().split(aW, aH)


class PageCount(Flowable):
    """Takes no room; asks for one more build pass until the page count the footers print ("of M", from
    the pass before) is the page count of the pass itself."""

    def __init__(self, doc: BriefDocument) -> None:
        super().__init__()
        self.doc = doc
        self.counted: int | None = None

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self) -> None:
        pass

    def isIndexing(self) -> int:
        return 1

    def notify(self, kind: str, stuff: object) -> None:
        pass

    def beforeBuild(self) -> None:
        self.doc.page_total = self.counted
        self.doc.drafting = self.counted is None  # the first pass: its count always asks for another

    def afterBuild(self) -> None:
        self.counted = self.doc.page

    def isSatisfied(self) -> bool:
        return self.counted == self.doc.page_total


class BriefDocument(BaseDocTemplate):
    """A4 pages with one text frame and a running footer: the brief's title and "Page N of M"."""

    def __init__(self, path: Path, *, title: str, subject: str, pdf_date: str | None, keywords: str = ""):
        super().__init__(
            str(path), pagesize=PAGE, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author="briefing",
            subject=subject, keywords=keywords, creator="briefing", invariant=1, displayDocTitle=1,
            lang=LANGUAGE, initialFontName=SERIF, initialFontSize=BODY_SIZE, keepTogetherClass=KeepWithNext,
        )
        self.page_total: int | None = None
        self.drafting = False  # a build pass only laying the pages out for the next, which draws them again
        self._pdf_date = pdf_date
        self._footer_title = title
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=self._decorate)])

    def beforeDocument(self) -> None:
        self.canv.drafting = self.drafting
        if self._pdf_date:
            stamp = self._pdf_date
            self.canv.setDateFormatter(lambda *_: stamp)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Headings become entries of the table of contents, linked to their outline bookmark."""
        level = getattr(flowable, "toc_level", None)
        outline = getattr(flowable, "_outline", None)
        if level is not None and outline is not None:
            self.notify("TOCEntry", (level, esc(outline[0]), self.page, outline[1]))  # entries are markup

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        width, _ = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        y = 14 * mm
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, y + 9, right, y + 9)
        canv.setFont(SANS, 7.6)
        canv.setFillColor(GREY)
        title = cut(" ".join(self._footer_title.split()), 200)  # no more fits: measured once, not 20,000 times
        limit = (right - left) * 0.7
        if _runs_width(title, 7.6) > limit:
            while title and _runs_width(title + "…", 7.6) > limit:
                title = title[:-1]
            title = title.rstrip() + "…"
        x = left
        for font, part in font_runs(title):
            canv.setFont(font or SANS, 7.6)
            canv.drawString(x, y, part)
            x += pdfmetrics.stringWidth(part, font or SANS, 7.6)
        canv.setFont(SANS, 7.6)
        total = f" of {self.page_total}" if self.page_total else ""
        canv.drawRightString(right, y, f"Page {doc.page}{total}")
        canv.restoreState()


def _runs_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(part, font or SANS, size) for font, part in font_runs(text))


def render(markdown: str | SyntaxTreeNode, path: Path, *, title: str, subject: str, pdf_date: str | None = None,
           keywords: str = "", images: Images | None = None) -> None:
    """Typeset Markdown (as the template emits it, or its `document_tree`) into a PDF at `path`."""
    register_fonts()
    doc = BriefDocument(path, title=title, subject=subject, pdf_date=pdf_date, keywords=keywords)
    tree = document_tree(markdown) if isinstance(markdown, str) else markdown
    story = [PageCount(doc), *flowables(tree, doc.width, images=images)]
    _expect_contents(story)
    with binary_streams():
        doc.multiBuild(story, canvasmaker=_Canvas, maxPasses=6)


@contextmanager
def binary_streams() -> Iterator[None]:
    """Within it reportlab writes page and image streams compressed but not also ASCII85-encoded (which
    makes them a quarter longer, for 7-bit channels a PDF no longer travels through): without reportlab's
    separately packaged C accelerator that encoder is pure Python, a sixth of the PDF's time."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _expect_contents(story: list[Flowable]) -> None:
    """Give the table of contents its entries before the first pass, with page 1 for every page number
    (the page column has a fixed width), so the first pass already lays the pages out as the last will:
    two passes (the second puts in the page numbers and "of M") instead of three."""
    for toc in (f for f in story if isinstance(f, TableOfContents)):
        toc.addEntries([(f.toc_level, esc(f._outline[0]), 1, f._outline[1]) for f in story
                        if isinstance(f, Heading) and f.toc_level is not None and f._outline is not None])


def _subject(tree: SyntaxTreeNode) -> str:
    """The meta line under the title, as plain text: what the brief is, when and from what."""
    meta = meta_paragraph(tree)
    return re.sub(r"\s+", " ", plain_text(meta)).strip() if meta is not None else "Policy brief"


MISSING_SHOWN = 12  # characters a warning names; it counts the rest


def missing_glyphs(brief: Brief, coverage_rows: list[str] | None = None) -> list[str]:
    """One warning per source (and for the title and theme titles) whose text in the brief holds
    characters that no font the PDF can use draws: they show as empty boxes. Names the characters.
    `coverage_rows`: the sources the coverage figure shows, when the caller has them already."""
    register_fonts()
    _new_document()
    texts: dict[str, list[str]] = {}
    for item in brief.items():
        if item.citations:
            texts.setdefault(item.citations[0].source, []).append(item.text)
    for source in listed_sources(brief, coverage_rows) + [brief.source(i) for i in list(texts)]:
        texts.setdefault(source.id, []).extend(v for v in vars(source.metadata).values() if isinstance(v, str))
    labels = {s.id: f"{s.id} ({shown_path(s.path, brief.seeds)})" for s in brief.sources}
    texts["title"] = [brief.title]
    for section in brief.sections:
        texts[f"theme {section.theme!r}"] = [section.title, section.description]
    warnings = []
    for key, strings in texts.items():
        missing = sorted({c for c in "".join(strings) if not shown(c)})
        if missing:
            named = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:MISSING_SHOWN])
            more = f" and {len(missing) - MISSING_SHOWN} more" if len(missing) > MISSING_SHOWN else ""
            warnings.append(f"brief.pdf: {labels.get(key, key)}: no font on this machine has {named}{more}; "
                            "they show as empty boxes (install a font with them, e.g. Noto, for fontconfig to find)")
    return warnings


def write(rendered: Rendered, path: Path) -> None:
    brief, tree = rendered.brief, rendered.tree
    _new_document()
    render(tree, Path(path), title=brief.title, subject=_subject(tree), pdf_date=_pdf_date(brief.generated_at),
           keywords=", ".join(s.title for s in brief.sections), images=rendered.images)
