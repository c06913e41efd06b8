"""The documents as a reader gets them, checked with the programs readers and publishers use: qpdf,
poppler (pdftotext, pdffonts), LibreOffice and pandoc. `make tools` installs them; a missing program
fails these tests, it never skips them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from briefing import cli
from briefing.model import Brief, Citation, Item, Metadata, Section, Source
from briefing.render import docx as docx_writer
from briefing.render import pdf as pdf_writer
from briefing.render.markdown import Rendered
from briefing.templates import Templates
from tests.samples import sample_brief

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"  # 14 November 2023
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: run `make tools` (apt-get install poppler-utils qpdf " \
                 "libreoffice-writer-nogui pandoc)"
    return path


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([tool(str(args[0])), *map(str, args[1:])], capture_output=True, text=True,
                          check=True, cwd=cwd, timeout=180)


def pdftotext(path: Path) -> str:
    return " ".join(run("pdftotext", "-enc", "UTF-8", path, "-").stdout.split())


def page_count(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


# --- a brief in Cyrillic and Kazakh ----------------------------------------------------------------

KAZAKH = "Үкімет өңірлік құрылыс пен ғылым саласындағы жаңа бағдарламаны қабылдады, деді әкім «Һәм ішкі сауда һәм күзгі жүк» туралы."
RUSSIAN = "Министр заявил: «Переговоры зашли в тупик» — но порт снова работает."
KAZAKH_LETTERS = set("әғқңөұүһі")


def unicode_brief() -> Brief:
    text_kz = f"Астана хабаршысы\n\nӨңірлік кеңес\n\n{KAZAKH}\n"
    text_ru = f"Вести порта\n\n{RUSSIAN}\n"
    kz = Source("S1", "seeds/kz.txt", "a" * 64, text_kz,
                Metadata(title="Өңірлік кеңес", publication="Астана хабаршысы", author="Әлия Нұрланқызы",
                         date="2023-11-13"))
    ru = Source("S2", "seeds/ru.txt", "b" * 64, text_ru,
                Metadata(title="Порт снова работает", publication="Вести порта", date="2023-11-12"))

    def item(source: Source, sentence: str, theme: str) -> Item:
        start = source.text.index(sentence)
        return Item(sentence, 0.8, (Citation(source.id, start, start + len(sentence)),), theme)

    return Brief(
        title="Порт и өңір: қысқаша шолу",
        generated_at="2023-11-14T06:00:00+00:00",
        sources=(kz, ru),
        key_judgments=(item(kz, KAZAKH, "region"),),
        sections=(Section("region", "Өңірлік саясат", "", ()),
                  Section("port", "Порт", "", (item(ru, RUSSIAN, "port"),))),
        stats={"sources": 2, "independent_sources": 2, "sentences": 2, "duplicates": 0, "dropped_blocks": 0,
               "themes": 2, "skipped": 0},
    )


# --- builds, once per session ----------------------------------------------------------------------

def cli_build(out: Path, *extra: str) -> Path:
    code = cli.main(["build", "--seeds", str(ROOT / "seeds"), "--themes", str(ROOT / "templates" / "themes.yaml"),
                     "--out", str(out), "-q", *extra])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The seeds' brief twice (same SOURCE_DATE_EPOCH, separate folders), the daily note, the sample and
    the Cyrillic/Kazakh briefs; every DOCX converted to PDF by LibreOffice in one call."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path_factory.mktemp("documents")
    try:
        paths = {"brief": cli_build(root / "brief"), "again": cli_build(root / "again"),
                 "note": cli_build(root / "note", "--template", "note")}
    finally:
        mp.undo()
    for name, brief in (("sample", sample_brief()), ("unicode", unicode_brief())):
        folder = root / name
        folder.mkdir()
        pdf_writer.write(Rendered(brief, Templates.default()), folder / "brief.pdf")
        docx_writer.write(Rendered(brief, Templates.default()), folder / "brief.docx")
        paths[name] = folder
    office = root / "office"
    office.mkdir()
    for name in ("brief", "note", "sample", "unicode"):
        shutil.copy(paths[name] / "brief.docx", office / f"{name}.docx")
    run("soffice", f"-env:UserInstallation=file://{root / 'lo-profile'}", "--headless", "--convert-to", "pdf",
        "--outdir", office, *sorted(office.glob("*.docx")), cwd=office)
    paths["office"] = office
    return paths


# --- PDF -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["brief", "note", "sample", "unicode"])
def test_qpdf_finds_no_errors(built, name):
    result = run("qpdf", "--check", built[name] / "brief.pdf")
    assert "No syntax or stream encoding errors found" in result.stdout


def headings_of(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def test_pdftotext_shows_every_section_and_the_table_of_contents(built):
    markdown = (built["brief"] / "brief.md").read_text(encoding="utf-8")
    text = pdftotext(built["brief"] / "brief.pdf")
    headings = headings_of(markdown)
    assert len(headings) >= 4
    contents = text.split("Contents", 1)[1]
    positions = [contents.index(h) for h in headings]  # listed in the table of contents, in order
    assert positions == sorted(positions)
    for heading in headings:
        assert text.count(heading) >= 2, heading  # in the contents and as a heading
    pages = page_count(built["brief"] / "brief.pdf")
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Figure 1. Items citing each source, by theme" in text


def test_the_outline_lists_the_title_and_every_section(built):
    markdown = (built["brief"] / "brief.md").read_text(encoding="utf-8")
    reader = PdfReader(str(built["brief"] / "brief.pdf"))
    outline = reader.outline
    assert outline[0].title == reader.metadata.title
    sections = [entry.title for entry in outline[1]] if isinstance(outline[1], list) else []
    assert sections == headings_of(markdown)


def test_every_link_resolves(built):
    for name in ("brief", "note", "sample"):
        reader = PdfReader(str(built[name] / "brief.pdf"))
        dests = {str(k).lstrip("/") for k in reader.named_destinations}
        internal = 0
        for page in reader.pages:
            for ref in page.get("/Annots", []) or []:
                annot = ref.get_object()
                if annot.get("/Subtype") != "/Link":
                    continue
                if "/Dest" in annot:
                    internal += 1
                    assert str(annot["/Dest"]).lstrip("/") in dests, (name, annot["/Dest"])
                else:
                    assert annot["/A"]["/S"] == "/URI", annot
        assert internal > 0, name


def test_pdf_metadata(built):
    reader = PdfReader(str(built["brief"] / "brief.pdf"))
    meta = reader.metadata
    assert meta.title and meta.author == "briefing" and meta.subject
    assert meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20231114")  # SOURCE_DATE_EPOCH, not the clock


def test_cyrillic_and_kazakh_render_with_embedded_dejavu_fonts(built):
    path = built["unicode"] / "brief.pdf"
    text = pdftotext(path)
    for expected in (KAZAKH, RUSSIAN, "Порт и өңір: қысқаша шолу", "Астана хабаршысы", "Әлия Нұрланқызы"):
        assert expected in text, expected
    assert KAZAKH_LETTERS <= set(text)
    rows = run("pdffonts", path).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, kind, emb = row.split()[0], row.split()[1], row.split()[-5]
        assert "+DejaVu" in name, row  # a subset of DejaVu, not a base-14 fallback such as Helvetica
        assert kind == "TrueType" and emb == "yes", row  # embedded TrueType, not Type 3


# --- DOCX through LibreOffice --------------------------------------------------------------------

def test_libreoffice_converts_the_docx_and_shows_every_footnote(built):
    docx_path = built["brief"] / "brief.docx"
    with zipfile.ZipFile(docx_path) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
        body = archive.read("word/document.xml")
    texts = [" ".join("".join(t.text or "" for t in n.iter(f"{W}t")).split())
             for n in notes.iter(f"{W}footnote") if n.get(f"{W}type") is None]
    assert len(texts) == body.count(b"<w:footnoteReference ") > 10
    office = pdftotext(built["office"] / "brief.pdf")
    squashed = office.replace(" ", "")
    for text in texts:
        assert text.replace(" ", "") in squashed, text
    markdown = (built["brief"] / "brief.md").read_text(encoding="utf-8")
    for heading in headings_of(markdown):
        assert heading in office
    pages = page_count(built["office"] / "brief.pdf")
    assert f"Page 1 of {pages}" in office
    assert f"Page {pages} of {pages}" in office
    assert "14 November 2023" in office  # the running header's date, on the pages after the first


def test_footnotes_give_publication_title_author_and_date(built):
    office = pdftotext(built["office"] / "sample.pdf")
    assert "S1: Port strike enters its third week, Harbour Tribune, Ana Petrova, 2022-10-03" in office
    office = pdftotext(built["office"] / "unicode.pdf")
    assert "S1: Өңірлік кеңес, Астана хабаршысы, Әлия Нұрланқызы, 2023-11-13" in office
    assert KAZAKH in office and RUSSIAN in office


# --- the daily note ------------------------------------------------------------------------------

def test_the_daily_note_is_one_page_in_pdf_and_docx_and_still_cited(built):
    assert page_count(built["note"] / "brief.pdf") == 1
    assert page_count(built["office"] / "note.pdf") == 1
    markdown = (built["note"] / "brief.md").read_text(encoding="utf-8")
    assert headings_of(markdown) == ["Key judgments", "Top item per theme"]
    items = [line for line in markdown.splitlines() if re.match(r"^(\d+\.|-) ", line)]
    assert items and all(re.search(r"\[\^\d+\]$", line) for line in items)
    text = pdftotext(built["note"] / "brief.pdf")
    assert "S5: Setbacks in Ukraine war" in text  # the notes at the end name the sources


# --- reproducible ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["brief.docx", "brief.pdf", "brief.html", "brief.md", "brief.json",
                                  "brief-coverage.png"])
def test_same_seeds_and_source_date_epoch_give_identical_bytes(built, name):
    first, second = (built["brief"] / name).read_bytes(), (built["again"] / name).read_bytes()
    assert first == second


def test_docx_dates_come_from_source_date_epoch(built):
    with zipfile.ZipFile(built["brief"] / "brief.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        core = archive.read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core


# --- pandoc ----------------------------------------------------------------------------------------

def test_pandoc_reads_the_markdown_cleanly(built, tmp_path):
    md = built["brief"] / "brief.md"
    notes = len(re.findall(r"^\[\^\d+\]: ", md.read_text(encoding="utf-8"), re.M))
    html = run("pandoc", md, "--resource-path", built["brief"], "-o", tmp_path / "x.html")
    assert html.stderr == ""
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert page.count('class="footnote-ref"') == notes
    assert 'id="source-S5"' in page and 'href="#source-S5"' in page
    assert 'src="brief-coverage.png"' in page
    converted = run("pandoc", md, "--resource-path", built["brief"], "-o", tmp_path / "x.docx")
    assert converted.stderr == ""
    with zipfile.ZipFile(tmp_path / "x.docx") as archive:
        footnotes = archive.read("word/footnotes.xml")
        assert any(n.startswith("word/media/") for n in archive.namelist())
    assert footnotes.count(b"<w:footnote ") - 2 == notes
