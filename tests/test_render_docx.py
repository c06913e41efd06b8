"""The DOCX writer: what a reader opening the brief in Word sees, clicks and gets, checked in the file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from briefing.model import Brief
from briefing.render import docx as docx_writer
from briefing.render.markdown import Rendered, document_tree
from briefing.templates import Templates, default_templates_dir
from tests.samples import sample_brief

ROOT = Path(__file__).resolve().parent.parent
BOOKMARK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


def render(tmp_path: Path, brief: Brief | None = None, templates: Templates | None = None,
           name: str = "brief.docx") -> Path:
    path = tmp_path / name
    docx_writer.write(Rendered(brief or sample_brief(), templates or Templates.default()), path)
    return path


def opened(path: Path):
    return docx.Document(str(path))


def template_folder(tmp_path: Path, markdown: str | None = None) -> Path:
    """A folder an analyst might point --templates at: a brief template, here optionally replaced."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    if markdown is None:
        shutil.copy(default_templates_dir() / "brief.md.j2", folder / "brief.md.j2")
    else:
        (folder / "brief.md.j2").write_text(markdown, encoding="utf-8")
    return folder


def marks_of(item) -> str:
    seen: list[str] = []
    for c in item.citations:
        if c.source not in seen:
            seen.append(c.source)
    return "".join(f"[{s}]" for s in seen)


def hyperlinks(document):
    return document.element.body.iter(qn("w:hyperlink"))


def link_text(link) -> str:
    return "".join(t.text or "" for t in link.iter(qn("w:t")))


def run_style(document, run_element) -> str | None:
    rstyle = run_element.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
    if rstyle is None:
        return None
    style_id = rstyle.get(qn("w:val"))
    return next(s.name for s in document.styles if s.style_id == style_id)


def bookmarks(document) -> dict[str, str]:
    """Bookmark name → the text between its start and its end."""
    found: dict[str, str] = {}
    for paragraph in document.element.body.iter(qn("w:p")):
        open_: dict[str, str] = {}
        names: dict[str, str] = {}
        for element in paragraph.iter():
            if element.tag == qn("w:bookmarkStart"):
                names[element.get(qn("w:id"))] = element.get(qn("w:name"))
                open_[element.get(qn("w:id"))] = ""
            elif element.tag == qn("w:bookmarkEnd"):
                key = element.get(qn("w:id"))
                found[names[key]] = open_.pop(key)
            elif element.tag == qn("w:t"):
                for key in open_:
                    open_[key] += element.text or ""
    return found


# --- what the sample brief looks like in Word ------------------------------------------------------

def test_title_subtitle_and_every_heading_use_word_heading_styles(tmp_path):
    brief = sample_brief()
    document = opened(render(tmp_path, brief))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == brief.title and paragraphs[0].style.name == "Title"
    assert paragraphs[1].style.name == "Subtitle" and paragraphs[1].text.startswith("5 October 2022")
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Key judgments", *[s.title for s in brief.sections], "Methodology", "Sources"]
    assert [p.text for p in paragraphs if p.style.name == "Title"] == [brief.title]


def footnotes_of(path: Path) -> dict[str, str]:
    """Footnote id → its text, read straight from word/footnotes.xml."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    return {n.get(qn("w:id")): "".join(t.text or "" for t in n.iter(qn("w:t")))
            for n in root.iter(qn("w:footnote"))}


def note_ids(paragraph) -> list[str]:
    return [r.get(qn("w:id")) for r in paragraph._p.iter(qn("w:footnoteReference"))]


def test_every_item_reads_verbatim_and_ends_with_one_word_footnote(tmp_path):
    brief = sample_brief()
    path = render(tmp_path, brief)
    document = opened(path)
    notes = footnotes_of(path)
    by_text = {p.text: p for p in document.paragraphs}
    for item in brief.items():
        paragraph = by_text.get(item.text)
        assert paragraph is not None, item.text
        assert paragraph.style.name in ("List Number", "List Bullet")
        (note,) = note_ids(paragraph)
        for sid in dict.fromkeys(c.source for c in item.citations):
            m = brief.source(sid).metadata
            assert f"{sid}: {m.title}" in notes[note]
            for value in (m.publication, m.author, m.date):
                assert value is None or value in notes[note]
    assert notes["1"] == (" S1: Port strike enters its third week, Harbour Tribune, Ana Petrova, 2022-10-03; "
                          "S2: Exports slump as the Valmora strike drags on.")


def test_footnotes_are_a_real_word_footnotes_part(tmp_path):
    path = render(tmp_path)
    document = opened(path)
    rels = [r for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    assert len(rels) == 1 and rels[0].target_ref == "footnotes.xml"
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml").decode()
        root = etree.fromstring(archive.read("word/footnotes.xml"))  # well-formed XML
    assert ('PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.footnotes+xml"') in types
    notes = root.findall(qn("w:footnote"))
    assert [(n.get(qn("w:id")), n.get(qn("w:type"))) for n in notes[:2]] == [
        ("-1", "separator"), ("0", "continuationSeparator")]
    referenced = [r.get(qn("w:id")) for r in document.element.body.iter(qn("w:footnoteReference"))]
    assert referenced == [str(n) for n in range(1, len(notes) - 1)]  # one note per reference, in order
    for note in notes[2:]:
        first = note.find(qn("w:p"))
        assert first.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == document.styles["footnote text"].style_id
        assert first.find(f"{qn('w:r')}/{qn('w:footnoteRef')}") is not None  # the number in the note
    ref_style = document.styles["footnote reference"]
    assert ref_style.font.superscript
    for run in document.element.body.iter(qn("w:r")):
        if run.find(qn("w:footnoteReference")) is not None:
            assert run_style(document, run) == "footnote reference"


def test_source_ids_in_footnotes_link_to_the_bookmarked_source_entries(tmp_path):
    path = render(tmp_path)
    document = opened(path)
    entries = bookmarks(document)
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    anchors = [link.get(qn("w:anchor")) for link in root.iter(qn("w:hyperlink"))]
    assert anchors and set(anchors) <= {"source_S1", "source_S2"}
    sources = {k: v for k, v in entries.items() if k.startswith("source_")}
    assert sources == {"source_S1": "S1", "source_S2": "S2", "source_S3": "S3"}
    assert all(BOOKMARK_NAME.match(name) for name in sources)


def test_source_urls_are_real_external_hyperlinks(tmp_path):
    document = opened(render(tmp_path))
    external = [link for link in hyperlinks(document) if link.get(qn("r:id"))]
    assert len(external) == 1
    rel = document.part.rels[external[0].get(qn("r:id"))]
    assert rel.reltype == RT.HYPERLINK and rel.is_external
    assert rel.target_ref == "https://example.org/strike"
    assert link_text(external[0]) == "https://example.org/strike"
    assert {run_style(document, r) for r in external[0].iter(qn("w:r"))} == {"Hyperlink"}


def test_footnote_definitions_are_not_dumped_into_the_body(tmp_path):
    document = opened(render(tmp_path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "S1: Port strike enters its third week" not in text
    assert "S2: Exports slump" not in text
    assert "[^" not in text and "]:" not in text
    assert document.paragraphs[-1].text.startswith("S3")  # the Sources list ends the document


def test_table_of_contents_is_a_word_field_listing_the_headings(tmp_path):
    brief = sample_brief()
    document = opened(render(tmp_path, brief))
    xml = document.element.body.xml
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-3" \\h \\z \\u </w:instrText>', xml)
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    headings = ["Key judgments", *[s.title for s in brief.sections], "Methodology", "Sources"]
    assert [p.text for p in entries] == headings
    targets = [link.get(qn("w:anchor")) for p in entries for link in p._p.iter(qn("w:hyperlink"))]
    marks = bookmarks(document)
    assert [marks[t] for t in targets] == headings  # each entry links to its heading
    assert styled(document, "TOC Heading") == ["Contents"]


def test_core_properties_and_header_fields_carry_the_brief(tmp_path):
    brief = sample_brief()
    document = opened(render(tmp_path, brief))
    props = document.core_properties
    assert props.subject.startswith("5 October 2022")
    assert props.keywords == "Labour unrest, Economic fallout, Politics"
    header = document.sections[-1].header._element.xml
    assert 'w:instr=" TITLE "' in header and "Valmora port strike" in header
    assert "5 October 2022" in header  # the CREATEDATE field's shown result
    footer = document.sections[-1].footer._element.xml
    assert "NUMPAGES" in footer and " PAGE " in footer


def test_the_core_properties_name_the_language_the_text_is_set_in(tmp_path):
    # the document's language (File > Info, and what a converter writes as the PDF's /Lang or the page's
    # lang) is the one its text is proofed in: the reference's default, en-GB in the shipped one
    document = opened(render(tmp_path))
    default = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert default.get(qn("w:val")) == "en-GB"
    assert document.core_properties.language == "en-GB"


def test_the_figure_is_a_picture_with_its_caption_and_its_numbers_as_alt_text(tmp_path):
    document = opened(render(tmp_path))
    (figure,) = [p for p in document.paragraphs if p.style.name == "Figure"]
    (shape,) = document.inline_shapes
    assert shape.width <= document.sections[-1].page_width - document.sections[-1].left_margin \
        - document.sections[-1].right_margin
    # Word's Alt Text (what a screen reader reads for the picture) gives the figure's numbers; the caption
    # under it says what the figure is, and is not read twice
    alt = shape._inline.docPr.get("descr")
    assert "S1 (Harbour Tribune): 1 in Labour unrest, 2 in Economic fallout." in alt
    assert "S2 (Exports slump as the Valmora strike drags on): 3 in Economic fallout." in alt
    follower = document.paragraphs[document.paragraphs.index(figure) if False else
                                   [p._p for p in document.paragraphs].index(figure._p) + 1]
    assert follower.style.name == "Caption" and follower.text.startswith("Figure 1. Items citing each source")


def test_same_brief_gives_the_same_bytes_and_the_briefs_properties(tmp_path):
    first, second = render(tmp_path, name="a.docx"), render(tmp_path, name="b.docx")
    assert first.read_bytes() == second.read_bytes()
    props = opened(first).core_properties
    assert props.title == "Valmora port strike"
    assert props.author == "briefing"
    assert props.created.isoformat().startswith("2022-10-05T06:00:00")
    assert props.modified == props.created
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 10, 5, 6, 0, 0)}


# --- the reference document ------------------------------------------------------------------------

def test_styles_page_setup_and_body_come_from_the_reference_document(tmp_path):
    reference = docx.Document(str(Templates.default().reference_docx))
    reference.styles["Normal"].font.name = "Courier New"
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
    reference.styles["Heading 1"].font.size = Pt(20)
    reference.sections[0].left_margin = Cm(4)
    reference.add_paragraph("Placeholder text of the reference document")
    folder = template_folder(tmp_path)
    reference.save(str(folder / "reference.docx"))

    document = opened(render(tmp_path, templates=Templates(folder)))
    assert document.styles["Normal"].font.name == "Courier New"
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x8B, 0x00, 0x00)
    assert document.styles["Heading 1"].font.size == Pt(20)
    assert abs(document.sections[0].left_margin.cm - 4) < 0.01
    assert all("Placeholder" not in p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Valmora port strike"


def test_shipped_reference_gives_an_a4_brief_with_page_numbers(tmp_path):
    document = opened(render(tmp_path))
    section = document.sections[-1]
    assert abs(section.page_width.cm - 21.0) < 0.05 and abs(section.page_height.cm - 29.7) < 0.05
    assert abs(section.left_margin.cm - 2.5) < 0.05 and abs(section.top_margin.cm - 2.5) < 0.05
    footer = section.footer._element.xml
    assert "PAGE" in footer and "Page " in "".join(p.text for p in section.footer.paragraphs)
    heading = document.styles["Heading 1"].font
    assert heading.bold and heading.color.rgb == RGBColor(0x1F, 0x38, 0x64)


def test_the_shipped_reference_is_what_the_tool_builds(tmp_path):
    out = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_reference_docx.py"), str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    assert out.read_bytes() == (ROOT / "templates" / "reference.docx").read_bytes(), \
        "templates/reference.docx is stale: run tools/make_reference_docx.py"


def test_without_any_reference_python_docx_defaults_still_give_a_working_brief(tmp_path):
    @dataclass(frozen=True)
    class NoReference(Templates):
        @property
        def reference_docx(self):
            return None

    document = opened(render(tmp_path, templates=NoReference(default_templates_dir())))
    assert document.paragraphs[0].style.name == "Title"
    anchors = {link.get(qn("w:anchor")) for link in hyperlinks(document)} - {None}
    assert anchors and anchors <= set(bookmarks(document))
    assert document.styles["Hyperlink"].font.underline
    assert document.styles["footnote reference"].font.superscript


# --- general Markdown, as an analyst's template may write it -------------------------------------

GENERAL = r"""# {{ brief.title }}
{% raw %}

Prepared for the minister

## Lists

1. First point
2. Second with **bold**, *italic*, ~~struck~~ and `code`
   - nested bullet

     a second paragraph in the nested item

     1. deep
3. Third, soft
   break and hard\
   break

Then another list:

1. counts again from one
2. two

> Quoted words.

---

#### Deep heading

```
    indented code
```

| Indicator | Value |
|:--|--:|
| Exports | 40% |

See [the first source](#source-S1), [nowhere](#no-such-id) and <!-- hidden --> on.

A mark for no source[^X9] and one with an awkward label[^Über-lange-Kennung-die-viel-zu-lang-ist-für-Word].

- [S1]{#source-S1} First.
- [Ü]{#source-Über-lange-Kennung-die-viel-zu-lang-ist-für-Word} Second.

[^X9]: nothing.
[^Über-lange-Kennung-die-viel-zu-lang-ist-für-Word]: long.
{% endraw %}
"""


@pytest.fixture(scope="module")
def general(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("general")
    return opened(render(tmp_path, templates=Templates(template_folder(tmp_path, GENERAL))))


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_nested_lists_take_deeper_list_styles(general):
    assert styled(general, "List Number")[:3] == [
        "First point", "Second with bold, italic, struck and code", "Third, soft break and hard\nbreak"]
    assert styled(general, "List Bullet 2") == ["nested bullet"]
    assert styled(general, "List Continue 2") == ["a second paragraph in the nested item"]
    assert styled(general, "List Number 3") == ["deep"]


def test_each_ordered_list_restarts_its_numbering(general):
    def numbering(text):
        paragraph = next(p for p in general.paragraphs if p.text == text)
        return int(paragraph._p.pPr.numPr.numId.val)

    first, again = numbering("First point"), numbering("counts again from one")
    assert numbering("Second with bold, italic, struck and code") == first
    assert first != again
    numbering_xml = general.part.numbering_part.element
    num = numbering_xml.num_having_numId(again)
    start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
    assert start is not None and start.get(qn("w:val")) == "1"


def test_inline_formatting_breaks_quotes_rules_code_and_headings(general):
    runs = {r.text: r for p in general.paragraphs for r in p.runs}
    assert runs["bold"].bold and runs["italic"].italic and runs["struck"].font.strike
    assert runs["code"].style.name == "Verbatim Char"
    assert styled(general, "Quote") == ["Quoted words."]
    assert len(styled(general, "Horizontal Rule")) == 1
    assert styled(general, "Heading 3") == ["Deep heading"]
    assert styled(general, "Source Code") == ["    indented code"]
    assert styled(general, "Subtitle") == ["Prepared for the minister"]


def test_tables_use_the_reference_table_style_with_a_header_row(general):
    (table,) = general.tables
    assert table.style.name == "Brief Table"
    assert [[c.text for c in row.cells] for row in table.rows] == [["Indicator", "Value"], ["Exports", "40%"]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.cell(1, 1).paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_internal_links_and_marks_only_point_at_bookmarks_that_exist(general):
    text = "\n".join(p.text for p in general.paragraphs)
    assert "See the first source, nowhere and  on." in text
    assert "hidden" not in text
    entries = bookmarks(general)
    anchors = [link.get(qn("w:anchor")) for link in hyperlinks(general) if link.get(qn("w:anchor"))]
    assert anchors and set(anchors) <= set(entries)
    assert all(BOOKMARK_NAME.match(name) for name in entries)
    assert len(entries) == 2 and "source_S1" in entries
    awkward = next(p for p in general.paragraphs if p.text.startswith("A mark for no source"))
    assert awkward.text == "A mark for no source and one with an awkward label."
    assert len(note_ids(awkward)) == 2  # both are Word footnotes, whatever their labels


def test_unknown_node_types_render_their_text(tmp_path):
    def with_strangers(markdown: str) -> SyntaxTreeNode:
        tree = document_tree(markdown)
        block = Token("mystery_block", "", 0, content="A block of an unknown kind.", block=True)
        inline = Token("mystery_inline", "", 0, content=" plus an unknown inline")
        strange = SyntaxTreeNode([block])
        strange.children[0].parent = tree
        tree.children = tree.children + strange.children
        paragraph = next(n for n in tree.walk() if n.type == "inline" and n.children)
        extra = SyntaxTreeNode([Token("inline", "", 0, children=[inline])]).children[0].children[0]
        extra.parent = paragraph
        paragraph.children = paragraph.children + [extra]
        return tree

    rendered = Rendered(sample_brief(), Templates.default())
    rendered.tree = with_strangers(rendered.markdown)
    docx_writer.write(rendered, tmp_path / "brief.docx")
    document = opened(tmp_path / "brief.docx")
    assert document.paragraphs[-1].text == "A block of an unknown kind."
    assert document.paragraphs[0].text == "Valmora port strike plus an unknown inline"



def long_whats_new(brief: Brief, n: int) -> Brief:
    """The brief after a build that found `n` changes: up to ten new sources, ten changed ones, then
    dropped items (a line, a line, two lines each)."""
    dropped = "A dropped item that said something about the strike at the port and the exports that matter."
    return replace(brief, changes={
        "since": "2022-10-04T06:00:00+00:00", "removed_sources": [], "new_items": [],
        "new_sources": [{"id": f"S{k + 10}", "path": f"seeds/new-{k}.txt"} for k in range(min(n, 10))],
        "changed_sources": [{"id": f"S{k + 30}", "path": f"seeds/changed-{k}.txt"} for k in range(min(max(n - 10, 0), 10))],
        "dropped_items": [{"text": f"{dropped} ({k})", "path": "seeds/harbour.txt", "theme": "labour"}
                          for k in range(max(n - 20, 0))]})


def test_the_contents_stay_on_one_page_with_their_heading_whatever_the_length_of_whats_new(tmp_path):
    """The contents came after What's new: when it filled most of page 1, LibreOffice (as a Word user's
    colleague opens the file) split the list over two pages or left "Contents" alone at the page's foot,
    its keep-with-next not reaching into the table of contents field. Each length of What's new that
    brought the contents to the foot of page 1 is tried."""
    brief = sample_brief()
    entries = ["What's new", "Key judgments", *(s.title for s in brief.sections), "Methodology", "Sources"]
    folder = tmp_path / "office"
    folder.mkdir()
    for n in range(18, 28):
        render(folder, long_whats_new(brief, n), name=f"brief-{n:02d}.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *sorted(str(p) for p in folder.glob("*.docx"))],
                   cwd=folder, capture_output=True, check=True, timeout=300)
    broken = []
    for pdf in sorted(folder.glob("*.pdf")):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        page = next(p for p in text.split("\f") if re.search(r"^Contents$", p, re.MULTILINE))
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        start = lines.index("Contents") + 1
        if lines[start:start + len(entries)] != entries:
            broken.append(pdf.name)
    assert broken == []
