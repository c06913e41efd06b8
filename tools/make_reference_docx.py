"""Build `templates/reference.docx`, the Word document whose styles every DOCX brief takes.

The DOCX writer (`briefing.render.docx`) works like pandoc's `--reference-doc`: it opens this file,
throws away its body and writes the brief using the styles found here by name. So every font, colour,
size, indent, margin, header and footer of a generated brief is decided here, and an analyst can change
the look by editing a copy of the file in Word (Modify Style...) without touching any code.

Run from the top of the checkout, then commit the result:

    PYTHONPATH=. .venv/bin/python tools/make_reference_docx.py            # writes templates/reference.docx
    PYTHONPATH=. .venv/bin/python tools/make_reference_docx.py OUT.docx   # somewhere else

The output is byte-for-byte reproducible (fixed dates, fixed zip timestamps).

Styles the writer uses: Title, Subtitle, Heading 1-9, Normal, List Bullet / List Bullet 2 / 3,
List Number / 2 / 3, List Continue / 2 / 3, Quote, Source Code, Horizontal Rule, Brief Table, Table Spacer,
Figure, Caption, footnote text, TOC Heading, toc 1-3, and the character styles Hyperlink, Citation Mark,
Verbatim Char, footnote reference.

The header (from the second page on: the brief's title and date) and the footer ("Page N of M") are
fields: the writer gives TITLE and CREATEDATE the brief's values.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Cm  # noqa: E402

from briefing.render.docx import save_reproducibly  # noqa: E402

OUT = ROOT / "templates" / "reference.docx"

# The palette and type: one sans family everywhere (present in Word, LibreOffice maps it to the
# metric-compatible Liberation Sans), navy headings, grey secondary text.
FONT = "Arial"
MONO = "Consolas"
TEXT = "1A1A1A"
NAVY = "1F3864"
BLUE = "1F5FA8"
GREY = "595959"
LIGHT_GREY = "8C8C8C"
RULE = "BFBFBF"
TINT = "EEF1F6"
LANG = "en-GB"

# Indent step of the list levels, in twentieths of a point (397 = 0.7 cm).
STEP = 397
STAMP = dt.datetime(2024, 1, 1, 0, 0, 0)


def W(tag: str) -> str:
    return qn(f"w:{tag}")


def build() -> docx.document.Document:
    doc = docx.Document()
    _clean_package(doc)
    _page(doc)
    styles = doc.styles.element
    _drop_theme_references(styles)
    _defaults(styles)
    _paragraph_styles(doc)
    _character_styles(doc)
    _table_style(doc)
    _lists(doc)
    _sync_linked_character_styles(doc)
    _header_and_footer(doc)
    _settings(doc)
    _core_properties(doc)
    return doc


# --- package -------------------------------------------------------------------------------------

def _clean_package(doc) -> None:
    """Drop what python-docx's template carries that a reference document should not: the preview
    thumbnail, the Word 2010 `stylesWithEffects` copy of the styles (it would shadow ours in old Word),
    the empty bibliography item, and the body's placeholder content."""
    package_rels = doc.part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rId]
    unwanted = {RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in unwanted:
            doc.part.rels.pop(rId)
            doc.part.rels.related_parts.pop(rId, None)
    body = doc.element.body
    for child in list(body):
        if child.tag != W("sectPr"):
            body.remove(child)


def _page(doc) -> None:
    """A4 portrait, 2.5 cm margins."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance, section.footer_distance = Cm(1.25), Cm(1.2)
    section.gutter = 0


# --- style helpers -------------------------------------------------------------------------------

def _drop_theme_references(styles) -> None:
    """Theme fonts and theme colours win over explicit ones in Word; remove them so what this script
    sets is what Word and LibreOffice show."""
    for rfonts in styles.iter(W("rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(W(attr), None)
        if not len(rfonts.attrib):
            rfonts.getparent().remove(rfonts)
    for color in list(styles.iter(W("color"))):
        for attr in ("themeColor", "themeShade", "themeTint"):
            color.attrib.pop(W(attr), None)


def _child(parent, tag: str, order: tuple[str, ...] = ()):
    """The child `w:tag` of `parent`, created (in schema order when `order` is given) if missing."""
    found = parent.find(W(tag))
    if found is not None:
        return found
    element = parent.makeelement(W(tag), {})
    if order and tag in order:
        later = set(order[order.index(tag) + 1:])
        for i, existing in enumerate(parent):
            if existing.tag.split("}")[-1] in later:
                parent.insert(i, element)
                return element
    parent.append(element)
    return element


RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
             "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
             "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
             "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
             "specVanish", "oMath")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
             "rPr", "sectPr", "pPrChange")
STYLE_ORDER = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
               "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
               "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr")


def _rpr(parent, *, font: str | None = None, size: float | None = None, color: str | None = None,
         bold: bool | None = None, italic: bool | None = None, underline: str | None = None,
         vert: str | None = None, spacing: int | None = None, lang: str | None = None):
    order = STYLE_ORDER if parent.tag == W("style") else PPR_ORDER
    rpr = _child(parent, "rPr", order)
    if font is not None:
        rfonts = _child(rpr, "rFonts", RPR_ORDER)
        rfonts.attrib.clear()
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(W(attr), font)
    for tag, value in (("b", bold), ("bCs", bold), ("i", italic), ("iCs", italic)):
        if value is not None:
            element = _child(rpr, tag, RPR_ORDER)
            if value:
                element.attrib.pop(W("val"), None)
            else:
                element.set(W("val"), "0")
    if color is not None:
        element = _child(rpr, "color", RPR_ORDER)
        element.attrib.clear()
        element.set(W("val"), color)
    if spacing is not None:
        _child(rpr, "spacing", RPR_ORDER).set(W("val"), str(spacing))
    if size is not None:
        half_points = str(round(size * 2))
        _child(rpr, "sz", RPR_ORDER).set(W("val"), half_points)
        _child(rpr, "szCs", RPR_ORDER).set(W("val"), half_points)
    if underline is not None:
        _child(rpr, "u", RPR_ORDER).set(W("val"), underline)
    if vert is not None:
        _child(rpr, "vertAlign", RPR_ORDER).set(W("val"), vert)
    if lang is not None:
        element = _child(rpr, "lang", RPR_ORDER)
        element.set(W("val"), lang)
    return rpr


def _ppr(style, *, before: int | None = None, after: int | None = None, line: int | None = None,
         left: int | None = None, right: int | None = None, hanging: int | None = None,
         keep_next: bool = False, keep_lines: bool = False, jc: str | None = None,
         outline: int | None = None):
    ppr = _child(style, "pPr", STYLE_ORDER)
    if keep_next:
        _child(ppr, "keepNext", PPR_ORDER)
    if keep_lines:
        _child(ppr, "keepLines", PPR_ORDER)
    if before is not None or after is not None or line is not None:
        spacing = _child(ppr, "spacing", PPR_ORDER)
        if before is not None:
            spacing.set(W("before"), str(before))
        if after is not None:
            spacing.set(W("after"), str(after))
        if line is not None:
            spacing.set(W("line"), str(line))
            spacing.set(W("lineRule"), "auto")
    if left is not None or right is not None or hanging is not None:
        ind = _child(ppr, "ind", PPR_ORDER)
        for attr, value in (("left", left), ("right", right), ("hanging", hanging)):
            if value is not None:
                ind.set(W(attr), str(value))
    if jc is not None:
        _child(ppr, "jc", PPR_ORDER).set(W("val"), jc)
    if outline is not None:
        _child(ppr, "outlineLvl", PPR_ORDER).set(W("val"), str(outline))
    return ppr


def _border(style, side: str, *, size: int, color: str, space: int) -> None:
    ppr = _child(style, "pPr", STYLE_ORDER)
    pbdr = _child(ppr, "pBdr", PPR_ORDER)
    edge = _child(pbdr, side, ("top", "left", "bottom", "right", "between", "bar"))
    edge.attrib.clear()
    for attr, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
        edge.set(W(attr), value)


def _remove(parent, *tags: str) -> None:
    for tag in tags:
        for element in parent.findall(W(tag)):
            parent.remove(element)


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH):
    """The style called `name`, added if the template lacks it; returns its XML element."""
    try:
        return doc.styles[name].element
    except KeyError:
        return doc.styles.add_style(name, kind).element


# --- the styles ----------------------------------------------------------------------------------

def _defaults(styles) -> None:
    """Body text: Arial 11 pt, 1.15 lines, 6 pt after. Sizes and spacing live in the document defaults
    (not in Normal) so that a table style can still make its cells compact."""
    defaults = styles.find(W("docDefaults"))
    rpr = defaults.find(W("rPrDefault")).find(W("rPr"))
    rpr.getparent().remove(rpr)
    rpr = parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:color w:val="{TEXT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
        f'<w:lang w:val="{LANG}" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr>'
    )
    defaults.find(W("rPrDefault")).append(rpr)
    ppr = defaults.find(W("pPrDefault")).find(W("pPr"))
    _remove(ppr, "spacing")
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>'))


def _paragraph_styles(doc) -> None:
    normal = _style(doc, "Normal")
    _rpr(normal, font=FONT)
    _ppr(normal)  # an empty pPr keeps Word from inventing one
    _child(_child(normal, "pPr", STYLE_ORDER), "widowControl", PPR_ORDER)

    title = _style(doc, "Title")
    _remove(title, "pPr", "rPr")
    _ppr(title, before=0, after=80, line=240, keep_next=True)
    _rpr(title, size=24, bold=True, color=NAVY, spacing=0)

    subtitle = _style(doc, "Subtitle")
    _remove(subtitle, "pPr", "rPr")
    _ppr(subtitle, before=0, after=360, line=264)
    _border(subtitle, "bottom", size=12, color=NAVY, space=8)
    _rpr(subtitle, size=10.5, color=GREY, italic=False)

    headings = {
        1: dict(size=14, before=360, after=120, color=NAVY),
        2: dict(size=12, before=240, after=80, color=NAVY),
        3: dict(size=11, before=200, after=60, color=NAVY),
    }
    for level in range(1, 10):
        spec = headings.get(level, dict(size=11, before=160, after=40, color=GREY))
        style = _style(doc, f"Heading {level}")
        _remove(style, "pPr", "rPr")
        _ppr(style, before=spec["before"], after=spec["after"], line=240, keep_next=True, keep_lines=True,
             outline=level - 1)
        _rpr(style, size=spec["size"], bold=True, italic=level >= 4 or None, color=spec["color"])

    quote = _style(doc, "Quote")
    _remove(quote, "pPr", "rPr")
    _ppr(quote, before=60, after=160, left=340, right=340)
    _border(quote, "left", size=18, color="C5CFE0", space=10)
    _rpr(quote, italic=True, color="404040")

    code = _style(doc, "Source Code")
    _remove(code, "pPr", "rPr")
    ppr = _ppr(code, before=60, after=160, line=240, left=113, right=113)
    _child(ppr, "shd", PPR_ORDER).attrib.update({W("val"): "clear", W("color"): "auto", W("fill"): "F3F4F6"})
    _child(ppr, "wordWrap", PPR_ORDER).set(W("val"), "0")
    _rpr(code, font=MONO, size=9.5)

    rule = _style(doc, "Horizontal Rule")
    _remove(rule, "pPr", "rPr")
    _ppr(rule, before=0, after=240, line=240)
    _border(rule, "bottom", size=6, color=RULE, space=1)
    _rpr(rule, size=4)

    spacer = _style(doc, "Table Spacer")
    _remove(spacer, "pPr", "rPr")
    _ppr(spacer, before=0, after=0, line=240)
    _rpr(spacer, size=8)

    footer = _style(doc, "Footer")
    _remove(footer, "pPr", "rPr")
    _ppr(footer, before=0, after=0, line=240, jc="center")
    _rpr(footer, size=8, color=LIGHT_GREY)

    header = _style(doc, "Header")
    _remove(header, "pPr", "rPr")
    _ppr(header, before=0, after=0, line=240, jc="right")
    _rpr(header, size=8, color=LIGHT_GREY)

    note = _style(doc, "footnote text")
    _remove(note, "pPr", "rPr")
    _ppr(note, before=0, after=40, line=240, left=170, hanging=170)
    _rpr(note, size=8.5, color="333333")

    caption = _style(doc, "Caption")
    _remove(caption, "pPr", "rPr")
    _ppr(caption, before=40, after=240, line=240, jc="center")
    _rpr(caption, size=9, italic=True, color=GREY)

    figure = _style(doc, "Figure")
    _remove(figure, "pPr", "rPr")
    _ppr(figure, before=160, after=40, line=240, keep_next=True, jc="center")

    toc_heading = _style(doc, "TOC Heading")
    _remove(toc_heading, "pPr", "rPr")
    _ppr(toc_heading, before=120, after=80, line=240, keep_next=True)
    _rpr(toc_heading, size=10, bold=True, color=NAVY)
    for level in (1, 2, 3):
        toc = _style(doc, f"toc {level}")
        _remove(toc, "pPr", "rPr")
        ppr = _ppr(toc, before=0, after=20, line=240, left=STEP * (level - 1))
        tabs = _child(ppr, "tabs", PPR_ORDER)
        tabs.append(parse_xml(f'<w:tab {nsdecls("w")} w:val="right" w:leader="dot" w:pos="9060"/>'))
        _rpr(toc, size=10, color=TEXT)
        _child(toc, "uiPriority", STYLE_ORDER).set(W("val"), "39")
        _child(toc, "unhideWhenUsed", STYLE_ORDER)

    for style in (title, subtitle, quote, code, rule, caption):
        _child(style, "qFormat", STYLE_ORDER)
    for style in (code, rule, spacer, note, caption, figure, toc_heading):
        _child(style, "basedOn", STYLE_ORDER).set(W("val"), "Normal")
        _child(style, "next", STYLE_ORDER).set(W("val"), "Normal")


def _character_styles(doc) -> None:
    link = _style(doc, "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    _remove(link, "rPr")
    _rpr(link, color=BLUE, underline="single")
    _child(link, "uiPriority", STYLE_ORDER).set(W("val"), "99")
    _child(link, "unhideWhenUsed", STYLE_ORDER)

    mark = _style(doc, "Citation Mark", WD_STYLE_TYPE.CHARACTER)
    _remove(mark, "rPr")
    _rpr(mark, color=BLUE, vert="superscript")

    verbatim = _style(doc, "Verbatim Char", WD_STYLE_TYPE.CHARACTER)
    _remove(verbatim, "rPr")
    _rpr(verbatim, font=MONO, size=10)

    note_mark = _style(doc, "footnote reference", WD_STYLE_TYPE.CHARACTER)
    _remove(note_mark, "rPr")
    _rpr(note_mark, color=BLUE, vert="superscript")

    for element in (link, mark, verbatim, note_mark):
        _child(element, "basedOn", STYLE_ORDER).set(W("val"), "DefaultParagraphFont")
    link.attrib.pop(W("customStyle"), None)  # Word's own built-in Hyperlink style, not a custom one


def _table_style(doc) -> None:
    """Brief Table: navy rules above and below, hairlines between rows, a tinted bold header row, and
    compact 10 pt cells."""
    try:
        existing = doc.styles["Brief Table"].element
        existing.getparent().remove(existing)
    except KeyError:
        pass
    doc.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefTable">'
        '<w:name w:val="Brief Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
        '</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/></w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{TINT}"/></w:tcPr></w:tblStylePr>'
        '</w:style>'
    ))


def _lists(doc) -> None:
    """One single-level numbering definition per list style, linked both ways (style → numId, level →
    pStyle), as Word itself does; the writer restarts numbered lists with new `w:num`s of these."""
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        if child.tag in (W("abstractNum"), W("num"), W("numIdMacAtCleanup")):
            numbering.remove(child)
    kinds = [
        ("List Bullet", "bullet", "\u2022", 1), ("List Bullet 2", "bullet", "\u2013", 2),
        ("List Bullet 3", "bullet", "\u2022", 3),
        ("List Number", "decimal", "%1.", 1), ("List Number 2", "lowerLetter", "%1.", 2),
        ("List Number 3", "lowerRoman", "%1.", 3),
    ]
    abstracts, nums = [], []
    for index, (name, fmt, text, depth) in enumerate(kinds):
        style = _style(doc, name)
        style_id = style.get(W("styleId"))
        number_rpr = f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>' if fmt != "bullet" else f'<w:color w:val="{NAVY}"/>'
        abstracts.append(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{index}"><w:nsid w:val="5B1EF{index:03X}"/>'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:pStyle w:val="{style_id}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{STEP * depth}"/></w:tabs>'
            f'<w:ind w:left="{STEP * depth}" w:hanging="{STEP}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:hint="default"/>{number_rpr}</w:rPr>'
            '</w:lvl></w:abstractNum>'
        ))
        nums.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{index + 1}"><w:abstractNumId w:val="{index}"/></w:num>'
        ))
        _remove(style, "pPr")
        ppr = _ppr(style, before=0, after=80, left=STEP * depth, hanging=STEP)
        numpr = _child(ppr, "numPr", PPR_ORDER)
        numpr.append(parse_xml(f'<w:numId {nsdecls("w")} w:val="{index + 1}"/>'))
    for element in abstracts + nums:
        numbering.append(element)
    for depth, name in enumerate(("List Continue", "List Continue 2", "List Continue 3"), start=1):
        style = _style(doc, name)
        _remove(style, "pPr")
        _ppr(style, before=0, after=80, left=STEP * depth)


def _sync_linked_character_styles(doc) -> None:
    """Word pairs each paragraph style with a "... Char" style; give the pair the same run formatting."""
    styles = doc.styles.element
    by_id = {s.get(W("styleId")): s for s in styles.findall(W("style"))}
    for style in list(by_id.values()):
        if style.get(W("type")) != "character":
            continue
        link = style.find(W("link"))
        if link is None or link.get(W("val")) not in by_id:
            continue
        paragraph = by_id[link.get(W("val"))]
        _remove(style, "rPr")
        rpr = paragraph.find(W("rPr"))
        if rpr is not None:
            _child(style, "rPr", STYLE_ORDER).extend(copy.deepcopy(list(rpr)))


# --- footer, settings, properties ----------------------------------------------------------------

def _field(instr: str, placeholder: str) -> str:
    return (f'<w:fldSimple {nsdecls("w")} w:instr=" {html.escape(instr)} "><w:r><w:t xml:space="preserve">{placeholder}'
            '</w:t></w:r></w:fldSimple>')


def _page_number_footer(doc, footer) -> None:
    """'Page N of M', small and grey, centred."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    paragraph.add_run("Page ")
    paragraph._p.append(parse_xml(_field("PAGE", "1")))
    paragraph.add_run(" of ")
    paragraph._p.append(parse_xml(_field("NUMPAGES", "1")))


def _header_and_footer(doc) -> None:
    """Every page: 'Page N of M' at the foot. From the second page on: the brief's title and date at the
    head (TITLE and CREATEDATE fields, which the writer fills in); the first page opens with the title."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    _page_number_footer(doc, section.footer)
    _page_number_footer(doc, section.first_page_footer)
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = doc.styles["Header"]
    paragraph._p.append(parse_xml(_field("TITLE", "Title")))
    paragraph.add_run(" \u00b7 ")
    paragraph._p.append(parse_xml(_field('CREATEDATE \\@ "d MMMM yyyy"', "1 January 2024")))
    section.first_page_header.is_linked_to_previous = False


def _settings(doc) -> None:
    settings = doc.settings.element
    _remove(settings, "savePreviewPicture", "rsids", "proofState")
    lang = settings.find(W("themeFontLang"))
    if lang is not None:
        lang.set(W("val"), LANG)


def _core_properties(doc) -> None:
    props = doc.core_properties
    props.title = "Reference document for briefing"
    props.subject = ""
    props.author = "briefing"
    props.last_modified_by = "briefing"
    props.comments = ("Styles only: briefing keeps the styles, page setup, header and footer of this "
                      "document and replaces its body with the brief.")
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = STAMP


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    save_reproducibly(build(), out, STAMP)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
