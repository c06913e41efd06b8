"""The PDF writer: what a reader of the brief sees, clicks and gets, checked in the written file."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from briefing.model import Brief, Metadata
from briefing.render import pdf
from briefing.render.markdown import Rendered
from briefing.templates import Templates
from tests.samples import sample_brief


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render(tmp_path: Path, brief: Brief | None = None, templates: Templates | None = None,
           name: str = "brief.pdf") -> Path:
    path = tmp_path / name
    pdf.write(Rendered(brief or sample_brief(), templates or Templates.default()), path)
    return path


def page_texts(reader: PdfReader) -> list[str]:
    return [normalise(page.extract_text()) for page in reader.pages]


def link_annotations(reader: PdfReader) -> list[tuple[int, dict]]:
    links = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link":
                links.append((number, annot))
    return links


def internal_target(annot: dict) -> str | None:
    """The named destination a link annotation goes to (/Dest, or a GoTo action's /D), if named."""
    dest = annot.get("/Dest")
    if dest is None and "/A" in annot:
        action = annot["/A"].get_object()
        if action.get("/S") == "/GoTo":
            dest = action.get("/D")
    if dest is None or isinstance(dest, (list, IndirectObject)):
        return None
    return str(dest).lstrip("/")


def named_destinations(reader: PdfReader) -> dict[str, int]:
    """Destination name (without a leading slash) -> page index."""
    return {str(name).lstrip("/"): reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()}


def custom_templates(tmp_path: Path, text: str) -> Templates:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.md.j2").write_text(text, encoding="utf-8")
    return Templates(folder)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def reader(sample_pdf: Path) -> PdfReader:
    return PdfReader(sample_pdf)


def test_title_headings_and_every_item_appear(reader: PdfReader) -> None:
    brief = sample_brief()
    text = " ".join(page_texts(reader))
    assert text.count(brief.title) >= 1
    for section in brief.sections:
        assert section.title in text
    for item in brief.items():
        assert normalise(item.text) in text, item.text


def test_markup_characters_in_a_source_sentence_come_out_verbatim(reader: PdfReader) -> None:
    text = " ".join(page_texts(reader))
    assert "Some text with *asterisks*, [brackets] and a back\\slash must stay verbatim." in text
    assert "“collapsed entirely” — a claim" in text  # curly quotes and the dash survive


def test_the_title_opens_the_first_page_and_the_meta_line_follows(reader: PdfReader) -> None:
    first = page_texts(reader)[0]
    assert first.startswith("Valmora port strike 5 October 2022")


def test_footnote_definitions_are_not_printed(reader: PdfReader) -> None:
    # the template's [^S1]: "S1: title..." definitions would repeat the Sources list
    text = " ".join(page_texts(reader))
    assert "S1:" not in text and "S2:" not in text


def test_every_citation_mark_links_to_its_source_entry(reader: PdfReader) -> None:
    brief = sample_brief()
    expected = [sid for item in brief.items() for sid in dict.fromkeys(c.source for c in item.citations)]
    targets = [internal_target(annot) for _, annot in link_annotations(reader)]
    targets = [t for t in targets if t is not None and t.startswith("source-")]
    assert sorted(targets) == sorted(f"source-{sid}" for sid in expected)

    destinations = named_destinations(reader)
    texts = page_texts(reader)
    for sid in set(expected):
        name = f"source-{sid}"
        assert name in destinations, f"{name} has no named destination"
        # the destination is on the page that lists that source
        assert brief.source(sid).metadata.title in texts[destinations[name]]


def test_every_source_in_the_list_is_a_named_destination(reader: PdfReader) -> None:
    destinations = named_destinations(reader)
    assert {f"source-{s.id}" for s in sample_brief().sources} <= set(destinations)


def test_the_source_url_is_a_clickable_link(reader: PdfReader) -> None:
    uris = []
    for _, annot in link_annotations(reader):
        action = annot.get("/A")
        if action is not None and action.get_object().get("/S") == "/URI":
            uris.append(str(action.get_object()["/URI"]))
    assert uris == ["https://example.org/strike"]


def test_fonts_are_embedded_dejavu(reader: PdfReader, sample_pdf: Path) -> None:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).lstrip("/").split("+")[-1])
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert names and all(n.startswith("DejaVu") for n in names), names
    assert {"DejaVuSerif", "DejaVuSans-Bold"} <= names


def test_metadata(reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta.title == "Valmora port strike"
    assert meta.author == "briefing"
    assert meta.subject  # the meta line under the title
    assert meta["/CreationDate"].startswith("D:20221005060000")  # from generated_at, not the clock


def test_the_document_declares_its_language_and_viewers_show_its_title(reader: PdfReader) -> None:
    # a screen reader speaks the text in the catalog's /Lang (PDF/UA asks for it); without it, in a guess
    catalog = reader.trailer["/Root"]
    assert catalog.get("/Lang") == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # the window shows the title, not "brief.pdf"


def test_the_same_brief_gives_the_same_bytes(tmp_path: Path, sample_pdf: Path) -> None:
    again = render(tmp_path, name="again.pdf")
    assert again.read_bytes() == sample_pdf.read_bytes()


def test_non_latin_text_renders(tmp_path: Path) -> None:
    brief = replace(sample_brief(), title="Забастовка в порту Валмора: «итоги» – naïve café")
    reader = PdfReader(render(tmp_path, brief))
    assert "Забастовка в порту Валмора: «итоги» – naïve café" in page_texts(reader)[0]
    assert reader.metadata.title == brief.title


def test_the_template_alone_decides_the_content(tmp_path: Path) -> None:
    templates = custom_templates(tmp_path, "# {{ brief.title }}\n\nOnly this line.\n")
    reader = PdfReader(render(tmp_path, templates=templates))
    assert len(reader.pages) == 1
    text = page_texts(reader)[0]
    # the footer repeats the title and numbers the page; nothing else is added
    assert text.replace("Page 1 of 1", "").split() == "Valmora port strike Only this line. Valmora port strike".split()


def test_general_markdown_from_an_edited_template(tmp_path: Path) -> None:
    templates = custom_templates(tmp_path, """\
# {{ brief.title }}

Intro with <b>inline html</b>, a [link](https://example.org/q?a=1&b=2) and `a <code> & span`.

> {{ brief.key_judgments[0].text }}{% raw %}[^S1][^S2]{% endraw %}


| Theme | Items |
|:------|------:|
{% for s in brief.sections %}
| {{ s.title }} | {{ s.items | length }} |
{% endfor %}

```
if a < b && c > d:
    print("<tag>")
```

3. Third
   - nested *one*
   - nested ~~two~~
4. Fourth\\
   after a hard break

<!-- an analyst's note that must not show -->

---

### Smaller heading

See [the annex](#annex) and [a missing part](#nowhere).

{% raw %}[Annex]{#annex}{% endraw %} Closing words.

[^S1]: First source.
[^S2]: Second source.
""")
    reader = PdfReader(render(tmp_path, templates=templates))
    text = " ".join(page_texts(reader))
    for expected in ("Intro with inline html, a link and a <code> & span.",
                     "Labour unrest 1", "Economic fallout 3", "Politics 0",
                     'if a < b && c > d: print("<tag>")',
                     "3. Third", "nested one", "nested two", "4. Fourth after a hard break",
                     "Smaller heading", normalise(sample_brief().key_judgments[0].text)):
        assert expected in text, expected
    assert "analyst's note" not in text
    links = link_annotations(reader)
    uris = [str(a["/A"].get_object()["/URI"]) for _, a in links if "/A" in a]
    assert uris == ["https://example.org/q?a=1&b=2"]
    # no Sources list, so the footnotes link nowhere: they are printed as numbered notes at the end,
    # and the marks link to them
    assert text.endswith("1. First source. 2. Second source. Valmora port strike Page 1 of 1")
    assert [internal_target(a) for _, a in links if internal_target(a)] == ["note-1", "note-2", "annex"]
    assert {"note-1", "note-2"} <= set(named_destinations(reader))
    assert "annex" in named_destinations(reader)
    assert "See the annex and a missing part." in text


def test_two_passes_give_the_contents_right_page_numbers_and_every_footer_its_total(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    import subprocess

    from briefing.model import Item, Section

    brief = sample_brief()
    citation = brief.key_judgments[0].citations[0]
    sentence = "A long sentence about the strike, the port and the exports that fills a line or two. " * 3
    sections = tuple(Section(f"t{n}", f"Theme number {n}", "", tuple(
        Item(sentence.strip(), 0.5, (citation,), theme=f"t{n}") for _ in range(10))) for n in range(6))
    passes = []
    before = pdf.PageCount.beforeBuild
    monkeypatch.setattr(pdf.PageCount, "beforeBuild", lambda self: passes.append(1) or before(self))
    path = render(tmp_path, replace(brief, sections=sections))
    assert len(passes) == 2
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    contents = dict(re.findall(r"^(Theme number \d)[ .]+(\d+)$", pages[0], re.MULTILINE))
    assert len(contents) == 6
    for heading, listed in contents.items():
        shown = next(n for n, page in enumerate(pages, start=1)
                     if re.search(f"^{heading}$", page, re.MULTILINE))
        assert int(listed) == shown, heading


def test_a_heading_over_a_figure_never_ends_a_page_without_it(tmp_path: Path) -> None:
    """However long the section before it, Methodology and its figure start on the same page."""
    import subprocess

    from briefing.model import Item, Section

    brief = sample_brief()
    citation = brief.key_judgments[0].citations[0]
    apart = []
    for n in range(12, 26):
        items = tuple(Item(f"Item {k} says something about the strike at the port and the exports that matter.",
                           0.5, (citation,), theme="t") for k in range(n))
        path = render(tmp_path, replace(brief, sections=(Section("t", "Theme", "", items),)))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        page = next(p for p in text.split("\f") if re.search(r"^Methodology$", p, re.MULTILINE))
        if "Figure 1." not in page:
            apart.append(n)
    assert apart == []


def test_the_coverage_figure_is_drawn_once_with_every_pixel_of_the_png(tmp_path: Path) -> None:
    """The figure is on the page of its caption, exactly the PNG beside brief.md (the first build pass,
    which only lays the pages out, leaves it out)."""
    import io

    from PIL import Image, ImageChops

    from briefing.render import figures

    reader = PdfReader(str(render(tmp_path)))
    drawn = [(n, image) for n, page in enumerate(reader.pages) for image in page.images]
    assert len(drawn) == 1
    number, image = drawn[0]
    assert "Figure 1." in page_texts(reader)[number]
    with Image.open(io.BytesIO(figures.coverage_png(sample_brief()))) as png:
        assert image.image.size == png.size
        assert ImageChops.difference(image.image.convert("RGB"), png.convert("RGB")).getbbox() is None


@pytest.mark.parametrize("room_left", [0.0, 2.5, 5.5, 6.0, 12.0])
def test_a_heading_after_a_block_that_fills_the_page_starts_the_next_page_not_one_after(room_left):
    """The block before ends with less room on the page than its space after: once, that left a blank page."""
    import io

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out)
    block = Spacer(10, doc.height - 12 - room_left)  # the frame's padding is 6 points each side
    block.spaceAfter = 6
    heading = Paragraph("Next section", styles["Heading2"])
    items = ListFlowable([ListItem(Paragraph("An item.", styles["Normal"]))])
    doc.build([block, pdf.RoomFor([heading], items), heading, items])
    pages = PdfReader(io.BytesIO(out.getvalue())).pages
    assert len(pages) == 2 and pages[1].extract_text().startswith("Next section")


def test_a_list_broken_across_pages_never_leaves_its_last_item_alone_on_a_page(tmp_path: Path) -> None:
    # Widow control: the sources end a brief, and a last page holding only their last line looks broken.
    # Some list length puts exactly one item past the first page's foot; the last two then go over together.
    alone = []
    for n in range(30, 80):
        folder = tmp_path / f"t{n}"
        folder.mkdir()
        items = "\n".join(f"- Item {k} of the list, one line long." for k in range(1, n + 1))
        templates = custom_templates(folder, f"# {{{{ brief.title }}}}\n\n{items}\n")
        pages = page_texts(PdfReader(render(folder, templates=templates)))
        if len(pages) > 1:
            last = re.findall(r"Item \d+ of the list", pages[-1])
            assert len(last) >= 2, (n, last)
            alone.append(n)
    assert alone  # the lengths tried did break the list across pages


def test_a_hyphenated_word_at_a_line_end_keeps_its_hyphen(tmp_path: Path) -> None:
    # Quotes are verbatim: reportlab's hyphenation at an embedded hyphen printed "ex-Soviet" as "exSoviet"
    # when the word wrapped. Every wrap position of the word is tried by a prefix of growing length.
    lines = "\n\n".join("word " * k + "of its rightful sphere of ex-Soviet influence." for k in range(60))
    templates = custom_templates(tmp_path, f"# {{{{ brief.title }}}}\n\n{lines}\n")
    path = render(tmp_path, templates=templates)
    text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert text.count("ex-Soviet") == 60
    assert "exSoviet" not in text


def word_boxes(path: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's words as (word, top, bottom), in points from the page's top (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[(word, float(top), float(bottom)) for top, bottom, word in
             re.findall(r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">([^<]*)</word>', page)]
            for page in html.split("<page ")[1:]]


def test_methodology_moves_to_a_new_page_only_when_its_heading_and_figure_do_not_fit(tmp_path: Path) -> None:
    """The room asked for above the figure was three quarters of a page whatever the figure's size
    (reportlab's KeepTogether answers a height of 0xffffff when measured): a brief whose sections
    ended high on a page left the rest of it blank, as a MultiLing cluster's brief left two thirds
    of page 2."""
    from briefing.model import Item, Section

    brief = sample_brief()
    citation = brief.key_judgments[0].citations[0]
    frame_bottom = pdf.PAGE[1] - pdf.MARGIN_BOTTOM
    moved = []
    for n in range(4, 40, 3):
        items = tuple(Item(f"Item {k} says something about the strike at the port and the exports that matter.",
                           0.5, (citation,), theme="t") for k in range(n))
        path = render(tmp_path, replace(brief, sections=(Section("t", "Theme", "", items),)))
        pages = word_boxes(path)
        number = max(i for i, page in enumerate(pages) if any(w == "Methodology" for w, _, _ in page))
        page = pages[number]
        if number == 0 or page[0][0] != "Methodology":  # (the contents name it on page 1 too)
            continue
        top = page[0][1]
        figure_end = next(b for w, _, b in page if w == "Figure")  # the caption's first line
        room = frame_bottom - max(b for _, _, b in pages[number - 1] if b < frame_bottom)
        if room > figure_end - top:
            moved.append((n, round(room), round(figure_end - top)))
    assert moved == []


def test_the_contents_stay_on_one_page_with_their_heading_whatever_the_length_of_whats_new(tmp_path: Path) -> None:
    """The contents came after What's new: when it filled most of page 1, the list was split over two
    pages. Each length of What's new that brought the contents to the foot of page 1 is tried."""
    brief = sample_brief()
    dropped = "A dropped item that said something about the strike at the port and the exports that matter."
    entries = ["What's new", "Key judgments", *(s.title for s in brief.sections), "Methodology", "Sources"]
    split = []
    for n in range(20, 36):
        changes = {"since": "2022-10-04T06:00:00+00:00", "removed_sources": [], "new_items": [],
                   "new_sources": [{"id": f"S{k + 10}", "path": f"seeds/new-{k}.txt"} for k in range(min(n, 10))],
                   "changed_sources": [{"id": f"S{k + 30}", "path": f"seeds/changed-{k}.txt"}
                                       for k in range(min(max(n - 10, 0), 10))],
                   "dropped_items": [{"text": f"{dropped} ({k})", "path": "seeds/harbour.txt", "theme": "labour"}
                                     for k in range(max(n - 20, 0))]}
        path = render(tmp_path, replace(brief, changes=changes))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        page = next(p for p in text.split("\f") if re.search(r"^Contents$", p, re.MULTILINE))
        listed = re.findall(r"^(\S.*?)[ .]+\d+$", page.split("Contents", 1)[1], re.MULTILINE)
        if listed[:len(entries)] != entries:
            split.append(n)
    assert split == []


def test_the_daily_note_stays_on_one_page_when_every_item_is_widely_cited_and_disputed(tmp_path: Path) -> None:
    # Each footnote named up to five sources with their titles, and each "disputed by" its sources with
    # theirs, inline: a note of four themes from a corpus of twenty articles ran to a second page.
    from briefing.model import Citation, Item, Section, Source

    sentence = "Officials said on Monday that the agreement on the new pipeline route would be signed this year."
    sources = tuple(Source(f"S{i}", f"seeds/{i:03}.txt", f"{i:064x}", sentence,
                           Metadata(title=f"Pipeline talks resume as ministers meet for the {i}th round in the capital",
                                    publication="The Regional Monitor", author="Farid Quinn", date="2022-09-26"))
                    for i in range(1, 21))

    def item(first: int, theme: str) -> Item:
        cites = tuple(Citation(f"S{first + k}", 0, len(sentence)) for k in range(6))
        disputed = tuple(Citation(f"S{(first + 10 + k) % 20 + 1}", 0, len(sentence)) for k in range(3 * (first % 3 == 0)))
        return Item(sentence, 0.8, cites, theme=theme, support=6, disputed_by=disputed)

    themes = ("energy", "borders", "trade", "security")
    brief = Brief(title="Pipeline diplomacy", generated_at="2022-10-05T06:00:00+00:00", sources=sources,
                  key_judgments=tuple(item(k + 1, themes[k]) for k in range(3)),
                  sections=tuple(Section(t, t.title(), "", (item(k + 5, t),)) for k, t in enumerate(themes)),
                  skipped=(), stats={"sources": 20, "independent_sources": 20, "sentences": 20, "themes": 4})
    note = Templates(Templates.default().directory, "note")
    reader = PdfReader(render(tmp_path, brief, note))
    assert len(reader.pages) == 1
    text = normalise(page_texts(reader)[0])
    assert text.count("and 5 other sources stating the same") == 7  # each note names the item's own source
    assert text.count("(disputed: see its note)") == 2 and text.count("Disputed by S") == 2
