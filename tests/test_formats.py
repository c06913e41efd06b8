"""Articles as analysts keep them: the same articles as text, a saved web page, a two-column PDF, a
Word file, an e-mail, newswire SGML and Markdown (tests/formats_corpus.py) give the same brief, every citation verifies against
the text published beside the brief, and bad documents are skipped with a reason."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.ingest import docx as docx_reader
from briefing.ingest import extracted, newswire, pdf, read_folder
from briefing.ingest.html import extract as EXTRACT
from briefing.pipeline import persource
from briefing.pipeline.segment import train_tokenizer
from tests import formats_corpus as corpus
from tests.verify import all_items, assert_every_citation_verifies, collapse

FORMATS = ("txt", "html", "pdf", "docx", "eml", "newswire", "md")
SAME_ITEMS_AT_LEAST = 0.8
"""The tolerance: a document format's brief states at least this share of the items (key judgments and
section items, by their text) that the brief of the same articles as plain text states."""


def build(work: Path, seeds: str, out: str, *extra: str) -> dict:
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    mp.setenv("SOURCE_DATE_EPOCH", "1669852800")
    try:
        assert main(["build", "-q", "--seeds", seeds, "--out", out, "--themes", "themes.yaml",
                     "--format", "json", *extra]) == 0
    finally:
        mp.undo()
    return json.loads((work / out / "brief.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    work = tmp_path_factory.mktemp("formats")
    (work / "themes.yaml").write_text(corpus.THEMES_YAML, encoding="utf-8")
    made = {}
    for fmt in FORMATS:
        corpus.write_corpus(work / f"seeds-{fmt}", fmt)
        made[fmt] = build(work, f"seeds-{fmt}", f"out-{fmt}")
    return work, made


def item_texts(brief: dict) -> list[str]:
    return [collapse(i["text"]) for i in all_items(brief)]


@pytest.mark.parametrize("fmt", FORMATS[1:])
def test_each_format_states_the_items_of_the_text_version(briefs, fmt):
    _, made = briefs
    expected = item_texts(made["txt"])
    assert len(expected) >= 6
    got = set(item_texts(made[fmt]))
    same = [t for t in expected if t in got]
    assert len(same) >= SAME_ITEMS_AT_LEAST * len(expected), sorted(set(expected) - got)
    assert len(made[fmt]["sources"]) == len(corpus.ARTICLES)


def test_markdown_states_exactly_the_items_of_the_text_version(briefs):
    """Emphasis, links, inline code, escapes and a blockquote in every paragraph change nothing an
    analyst reads: the brief of the Markdown notes quotes what the brief of the plain text does."""
    _, made = briefs
    assert item_texts(made["md"]) == item_texts(made["txt"])
    for item in all_items(made["md"]):
        assert not any(mark in item["text"] for mark in ("*", "_", "`", "](", "example.org", "\\", "> ")), item


KAZAKHSTAN_MD = """---
title: Kazakhstan and the republics
author: Ana Petrova
date: 2022-02-23
---
# Kazakhstan will not recognise the republics

Officials said Kazakhstan would **never** recognise the republics and would defend its _sovereignty_.

The foreign ministry repeated that Kazakhstan would not recognise the republics in [its statement](https://example.org/x)
on Tuesday, citing the charter of the United Nations.

> “Kazakhstan respects the territorial integrity and the sovereignty of every state,” the deputy foreign
> minister told reporters in Astana.
"""


def test_a_markdown_note_is_quoted_as_it_reads_in_every_format(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "note.md").write_text(KAZAKHSTAN_MD, encoding="utf-8")
    (tmp_path / "themes.yaml").write_text(
        "themes:\n  - id: sovereignty\n    title: Sovereignty\n    description: Recognition of the republics.\n"
        "    keywords: {kazakhstan: 3, recognise: 2, sovereignty: 2, republics: 2, territorial integrity: 2}\n")
    (tmp_path / "wide.yaml").write_text("selection: {words_per_theme: 600, items_per_theme: 30, "
                                        "min_relevance: 0.05, min_relevance_ratio: 0.05, min_score_ratio: 0.05}\n")
    brief = build(tmp_path, "seeds", "out", "--config", "wide.yaml", "--format", "md", "--format", "html")
    quoted = set(item_texts(brief))
    assert quoted == {
        "Officials said Kazakhstan would never recognise the republics and would defend its sovereignty.",
        "The foreign ministry repeated that Kazakhstan would not recognise the republics in its statement on "
        "Tuesday, citing the charter of the United Nations.",
        "“Kazakhstan respects the territorial integrity and the sovereignty of every state,” the deputy foreign "
        "minister told reporters in Astana.",
    }
    published = (tmp_path / "out" / "current").resolve()
    assert_every_citation_verifies(brief, tmp_path, published)
    [source] = brief["sources"]
    assert (source["title"], source["author"], source["date"]) == ("Kazakhstan and the republics", "Ana Petrova",
                                                                   "2022-02-23")
    markdown = (published / "brief.md").read_text(encoding="utf-8")
    page = (published / "brief.html").read_text(encoding="utf-8")
    for shown in (markdown, page):
        assert "would never recognise the republics and would defend its sovereignty." in shown
        assert "**never**" not in shown and "_sovereignty_" not in shown and "example.org/x" not in shown


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_citation_of_every_format_verifies(briefs, fmt):
    work, made = briefs
    brief = made[fmt]
    published = (work / f"out-{fmt}" / "current").resolve()
    assert_every_citation_verifies(brief, work, published)
    for source in brief["sources"]:
        assert source["format"] == fmt
        if fmt == "txt":
            assert source["text_path"] is None and source["text_sha256"] is None
        else:  # the text is part of the published build, and reachable through OUT/sources too
            assert source["text_path"] == f"sources/{source['id']}.txt"
            assert (published / source["text_path"]).is_file()
            assert (work / f"out-{fmt}" / source["text_path"]).resolve() == published / source["text_path"]


def test_the_extracted_text_leaves_out_the_page_furniture(briefs):
    work, made = briefs
    for fmt in FORMATS[1:]:
        published = (work / f"out-{fmt}" / "current").resolve()
        for source in made[fmt]["sources"]:
            text = (published / source["text_path"]).read_text(encoding="utf-8")
            for furniture in ("cookies", "Related stories", "Reader1234", "Privacy policy", "Weekly edition",
                              "Page 1", "Subscribe at"):
                assert furniture not in text, (fmt, source["path"], furniture)
            article = next(a for a in corpus.ARTICLES if a.slug in source["path"])
            for paragraph in article.paragraphs:  # whole, in order, as a paragraph of its own
                assert f"\n{paragraph}\n" in f"\n{text}", (fmt, paragraph[:40])


def test_metadata_found_per_format(briefs):
    _, made = briefs
    wanted = {"html": ("title", "publication", "author", "date", "url"), "docx": ("title", "author", "date"),
              "pdf": ("title", "author", "date"), "eml": ("title", "author", "date"),
              "newswire": ("title", "publication", "author", "date"),
              "md": ("title", "publication", "author", "date", "url")}
    for fmt, fields in wanted.items():
        for source in made[fmt]["sources"]:
            article = next(a for a in corpus.ARTICLES if a.slug in source["path"])
            expected = {"title": article.title, "author": article.author, "date": article.date,
                        "publication": article.publication, "url": f"https://news.example.org/{article.slug}"}
            assert {f: source[f] for f in fields} == {f: expected[f] for f in fields}, (fmt, source)
    # What else each document says about itself, beside the five fields.
    details = {fmt: made[fmt]["sources"][0]["document_metadata"] for fmt in FORMATS}
    assert details["txt"] == details["md"] == {}
    assert details["html"] == {"language": "en", "hostname": "example.org"}
    assert details["pdf"]["pages"] in ("1", "2") and details["pdf"]["keywords"] == "port, strike"
    assert details["docx"]["keywords"] == "port, strike"
    assert details["eml"] == {"to": "analyst@example.org"}
    for source in made["newswire"]["sources"]:  # the story's number, not the wire's furniture
        number = next(n for n, a in enumerate(corpus.ARTICLES) if a.slug in source["path"])
        docno = f"NWS{corpus.ARTICLES[number].date.replace('-', '')}.{number:04d}"
        assert source["document_metadata"] == {"docno": docno, "doctype": "NEWS STORY"}


def test_a_saved_pages_files_folder_is_not_read(briefs):
    work, made = briefs
    assert (work / "seeds-html" / "strike_files" / "ad-frame.html").is_file()
    paths = [s["path"] for s in made["html"]["sources"]] + [s["path"] for s in made["html"]["skipped"]]
    assert not [p for p in paths if "_files" in p]


def test_sources_shows_the_format_and_the_metadata_each_document_gave(briefs, capsys):
    work, _ = briefs
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    mp.setenv("COLUMNS", "300")
    try:
        assert main(["sources", "--seeds", "seeds-html", "--out", "out-html", "--themes", "themes.yaml"]) == 0
    finally:
        mp.undo()
    shown = capsys.readouterr().out
    shown = " ".join(shown.split())
    assert "html" in shown and "metadata in the HTML: title, publication, author, date, url" in shown
    assert "language: en" in shown


def test_a_sidecar_overrides_the_documents_own_metadata(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.html").write_text(corpus.as_html(corpus.ARTICLES[0]), encoding="utf-8")
    (seeds / "page.meta.yaml").write_text("title: Corrected title\n", encoding="utf-8")
    sources, skipped = read_folder(seeds, 5_000_000)
    assert not skipped
    assert sources[0].metadata.title == "Corrected title"
    assert sources[0].metadata.author == "Ana Petrova"  # the page's own, where the sidecar says nothing


def test_an_unchanged_document_is_not_extracted_again(briefs, monkeypatch):
    work, made = briefs

    def fail(*args, **kwargs):
        raise AssertionError("extracted again")

    monkeypatch.setattr("briefing.ingest.html.extract", fail)
    again = build(work, "seeds-html", "out-html")
    assert again["stats"]["sources_reused"] == len(corpus.ARTICLES)
    assert item_texts(again) == item_texts(made["html"])
    monkeypatch.undo()

    # A new trafilatura extracts every page again.
    import importlib.metadata

    from briefing import ingest
    from briefing.ingest import html

    calls = []
    version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "trafilatura" else version(name))
    monkeypatch.setattr(html, "extract", lambda *args, **kwargs: calls.append(1) or EXTRACT(*args, **kwargs))
    ingest.reader_version.cache_clear()
    try:
        upgraded = build(work, "seeds-html", "out-html")
    finally:
        monkeypatch.undo()
        ingest.reader_version.cache_clear()
    assert len(calls) == len(corpus.ARTICLES)
    assert item_texts(upgraded) == item_texts(made["html"])


def test_pdf_line_ends_hyphenated_are_joined_and_page_numbers_dropped():
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    lines = ["The ministry said the new govern-", "ment would meet on Monday to discuss", "the strike at the port."]
    text = c.beginText(72, 700)
    for line in lines:
        text.textLine(line)
    c.drawText(text)
    c.drawString(290, 30, "7")
    c.showPage()
    c.save()
    got = pdf.extract(out.getvalue()).text
    assert got == "The ministry said the new government would meet on Monday to discuss the strike at the port.\n"


BAD = {
    "encrypted.pdf": "an encrypted PDF that needs a password",
    "scanned.pdf": "no text layer (a scanned PDF? it needs OCR first)",
    "corrupt.docx": "not a readable Word file",
    "empty-page.html": "no article text",  # none found in the page, or none left once its furniture is removed
    "bomb.xhtml": "the page declares XML entities; refused (XML bomb or external entity)",
    "bomb.docx": "word/document.xml: has a DTD; refused (XML bomb or external entity)",
    "leak.xhtml": "the page declares XML entities; refused (XML bomb or external entity)",
    "huge.pdf": "104.9 MB is over the 5.0 MB limit for one file",
    "damaged.pdf": "not a readable PDF",
    "bundle.sgml": "holds 2 newswire documents (<DOC> … </DOC>); briefing reads one article per file",
    "APW19980602": "a newswire document (<DOC>) without a <TEXT> part",
    "notes.0001": "unsupported file type '.0001'",
    "core.dump": "binary file, not text (NUL byte at 6)",  # opens as newswire does, and is no text
}


def test_bad_documents_are_skipped_with_a_reason_and_the_build_goes_on(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSPHRASE\n")
    seeds = tmp_path / "seeds"
    corpus.write_corpus(seeds, "txt")
    (seeds / "encrypted.pdf").write_bytes(corpus.encrypted_pdf())
    (seeds / "scanned.pdf").write_bytes(corpus.scanned_pdf())
    (seeds / "corrupt.docx").write_bytes(corpus.corrupt_docx())
    (seeds / "empty-page.html").write_text(corpus.NO_ARTICLE_HTML)
    (seeds / "bomb.xhtml").write_text(corpus.xhtml_bomb())
    (seeds / "bomb.docx").write_bytes(corpus.docx_with_bomb())
    (seeds / "leak.xhtml").write_text(corpus.external_entity_xhtml(secret))
    with open(seeds / "huge.pdf", "wb") as f:  # 100 MiB, sparse: over the 5 MB limit, written in no time
        f.write(b"%PDF-1.4\n")
        f.truncate(100 * 1024 * 1024)
    (seeds / "damaged.pdf").write_bytes(corpus.as_pdf(corpus.ARTICLES[0])[:2000])
    (seeds / "bundle.sgml").write_text(corpus.as_newswire(corpus.ARTICLES[0], 0) + corpus.as_newswire(corpus.ARTICLES[1], 1))
    (seeds / "APW19980602").write_text("<DOC>\n<DOCNO> APW19980602 </DOCNO>\n<HEADLINE> Only a headline </HEADLINE>\n</DOC>\n")
    (seeds / "core.dump").write_bytes(b"<DOC>\n\x00\x01\x02<TEXT>\x00</TEXT>")
    (seeds / "notes.0001").write_text("Dock workers in Valmora extended their strike on Monday.\n")  # no <DOC>: no format
    (tmp_path / "themes.yaml").write_text(corpus.THEMES_YAML, encoding="utf-8")
    brief = build(tmp_path, "seeds", "out", "--format", "md")
    reasons = {Path(s["path"]).name: s["reason"] for s in brief["skipped"]}
    assert set(reasons) == set(BAD)
    for name, reason in BAD.items():
        assert reasons[name].startswith(reason), (name, reasons[name])
    assert len(brief["sources"]) == len(corpus.ARTICLES)
    for path in (tmp_path / "out" / "current").resolve().rglob("*"):
        if path.is_file():
            assert b"TOP-SECRET" not in path.read_bytes(), path


def test_newswire_headlines_entities_and_dates_as_the_archives_write_them():
    # An AP story of the late 1980s: <HEAD> for the headline (a tag a web page has elsewhere), a six-digit
    # date that names no year in full, entities in capitals and a bare ampersand, typesetting codes as
    # entities no table defines, no <P> and no blank lines.
    story = (b"<DOC>\n<DOCNO> AP880212-0001 </DOCNO>\n<FILEID>AP-NR-02-12-88 2344EST</FILEID>\n"
             b"<DATE>880212</DATE>\n<HEAD>Valmora Port Reopens</HEAD>\n<BYLINE>By ANA PETROVA</BYLINE>\n"
             b"<DATELINE>VALMORA (AP) </DATELINE>\n<TEXT>\n   The port of Valmora reopened on Friday after\n"
             b"a strike of three &UR;weeks&LR;, the port authority said.\n   Exporters of grain &AMP; timber, and AT&T's "
             b"local\nunit, said losses reached 40 million dollars.\n</TEXT>\n</DOC>\n")
    found = newswire.extract(story)
    assert found.text == ("The port of Valmora reopened on Friday after a strike of three weeks, the port authority "
                          "said.\n\nExporters of grain & timber, and AT&T's local unit, said losses reached 40 "
                          "million dollars.\n")
    assert (found.metadata.title, found.metadata.author, found.metadata.date) == ("Valmora Port Reopens",
                                                                                  "ANA PETROVA", None)
    assert dict(found.details) == {"docno": "AP880212-0001", "dateline": "VALMORA (AP)"}
    dated = newswire.extract(story.replace(b"<DATE>880212</DATE>", b"<DATE_TIME> 1988-02-12 23:44 </DATE_TIME>"))
    assert dated.metadata.date == "1988-02-12"
    # a newspaper's: the date in words, the byline in paragraphs, the second the writer's post
    paper = newswire.extract(story.replace(b"<DATE>880212</DATE>", b"<DATE><P>February 12, 1988, Friday, Home "
                                           b"Edition</P></DATE>").replace(b"<BYLINE>By ANA PETROVA</BYLINE>",
                                           b"<BYLINE><P>By ANA PETROVA</P><P>Times Staff Writer</P></BYLINE>"))
    assert (paper.metadata.author, paper.metadata.date) == ("ANA PETROVA", "1988-02-12")


def test_newswire_as_gigaword_writes_it_the_number_in_the_doc_tag_and_the_day_in_the_number(tmp_path):
    story = ('<DOC id="AFP_ENG_20091115.0012" type="story" >\n<HEADLINE>\nValmora port reopens\n</HEADLINE>\n'
             "<DATELINE>\nVALMORA, Nov 15 2009 (AFP)\n</DATELINE>\n<TEXT>\n<P>\nThe port of Valmora reopened on "
             "Sunday after a strike of three weeks, the port authority said.\n</P>\n<P>\nExporters said losses "
             "reached 40 million dollars.\n</P>\n</TEXT>\n</DOC>\n")
    (tmp_path / "AFP_ENG_20091115.0012").write_text(story, encoding="utf-8")
    (sources, skipped) = read_folder(tmp_path, 1_000_000)
    assert skipped == [] and sources[0].format == "newswire"
    assert (sources[0].metadata.title, sources[0].metadata.date) == ("Valmora port reopens", "2009-11-15")
    assert dict(sources[0].details) == {"docno": "AFP_ENG_20091115.0012", "doctype": "story",
                                        "dateline": "VALMORA, Nov 15 2009 (AFP)"}
    assert sources[0].text.startswith("The port of Valmora reopened on Sunday")
    # a number with no day in it, or one no calendar has, gives no date
    assert newswire.extract(story.replace("20091115", "2009111").encode()).metadata.date is None
    assert newswire.extract(story.replace("20091115", "20091341").encode()).metadata.date is None


DATED_BODY = ("Kazakhstan has deepened its ties with China and Turkey as the war drags on, officials in Astana said.",
              "Tajikistan's leader, in power since 1994, demanded respect from Moscow (The Moscow Times, October 5, 2021).",
              "Analysts said the region was searching for alternative partners as sanctions reshaped its trade routes.")


def dated_page(head: str = "", above: str = "") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in DATED_BODY)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Kazakhstan turns to China</title>"
            f"{head}</head><body><article><h1>Kazakhstan turns to China</h1>{above}{paragraphs}</article>"
            f"<footer>© 2019 Example News</footer></body></html>").encode()


def test_a_web_page_is_dated_by_what_states_its_date_not_by_a_date_in_its_text(tmp_path):
    # A citation in the article was the page's date (2021-10-05), a byline's "Oct. 5, 2022" was 2022-01-01,
    # and a published time after today fell back to the citation.
    assert EXTRACT(dated_page()).metadata.date is None
    assert EXTRACT(dated_page(above="<p>By Jane Doe | Oct. 5, 2022 | 4 min read</p>")).metadata.date is None
    assert EXTRACT(dated_page("<meta property='article:published_time' content='2099-10-05T08:00:00Z'>")).metadata.date is None
    meta = "<meta property='article:published_time' content='2022-10-05T08:00:00+05:00'>"
    assert EXTRACT(dated_page(meta)).metadata.date == "2022-10-05"
    assert EXTRACT(dated_page(above="<time datetime='2022-10-05'>October 5</time>")).metadata.date == "2022-10-05"
    # a date the page states only in its text is read from its line, as a text file's
    (tmp_path / "page.html").write_bytes(dated_page(above="<p>Published: October 5, 2022</p>"))
    (raw,), _ = read_folder(tmp_path, 1_000_000)
    analysis = persource.analysis_of(raw, train_tokenizer([raw.text]), "model")
    assert persource.metadata_of(raw, analysis).date == "2022-10-05"


@pytest.mark.parametrize("title, site", [("Kazakhstan turns to China - Steppe News", "Steppe News"),
                                         ("Kazakhstan turns to China | The Valmora Herald", "The Valmora Herald"),
                                         ("Kazakhstan turns to China", None)])
def test_a_web_page_that_names_no_site_but_in_its_title_has_that_name_as_its_publication(title, site):
    # trafilatura cut " - Steppe News" off the title and kept it nowhere: the source had no publication
    page = dated_page().replace(b"<title>Kazakhstan turns to China</title>", f"<title>{title}</title>".encode())
    meta = EXTRACT(page).metadata
    assert (meta.title, meta.publication) == ("Kazakhstan turns to China", site)
    # the site's own metadata wins
    named = EXTRACT(dated_page("<meta property='og:site_name' content='Example News'>").replace(
        b"<title>Kazakhstan turns to China</title>", f"<title>{title}</title>".encode())).metadata
    assert named.publication == "Example News"


def test_iso_day_reads_the_dates_documents_carry():
    assert extracted.iso_day("D:20221003081500+02'00'") == "2022-10-03"
    assert extracted.iso_day("Mon, 03 Oct 2022 08:00:00 +0000") == "2022-10-03"
    assert extracted.iso_day("2022-10-03T08:00:00Z") == "2022-10-03"
    assert extracted.iso_day("last Tuesday") is None


def readme_script() -> str:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    return readme.split("A script can check every claim:\n\n```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_script_verifies_a_brief_of_every_format(tmp_path):
    seeds = tmp_path / "seeds"
    for fmt, article in zip(FORMATS, corpus.ARTICLES):  # a different article in each format
        corpus.write_corpus(tmp_path / "all", fmt)
        name = f"{article.slug}.{fmt}"
        (seeds / fmt).mkdir(parents=True)
        (tmp_path / "all" / name).rename(seeds / fmt / name)
    (seeds / "newswire").mkdir()  # five articles, seven formats: the first again, as a wire story
    (seeds / "newswire" / "strike.sgml").write_text(corpus.as_newswire(corpus.ARTICLES[0], 0), encoding="utf-8")
    (seeds / "md").mkdir()  # and the second again, as Markdown
    (seeds / "md" / "exports.md").write_text(corpus.as_markdown(corpus.ARTICLES[1]), encoding="utf-8")
    (tmp_path / "themes.yaml").write_text(corpus.THEMES_YAML, encoding="utf-8")
    (tmp_path / "wide.yaml").write_text("selection: {words_per_theme: 600, items_per_theme: 30, "
                                        "min_relevance: 0.05, min_relevance_ratio: 0.05, min_score_ratio: 0.05}\n")
    brief = build(tmp_path, "seeds", "output", "--config", "wide.yaml")  # room for every source to be cited
    assert {s["format"] for s in brief["sources"]} == set(FORMATS)
    cited = {c["source"] for item in all_items(brief) for c in item["citations"]}
    assert {s["format"] for s in brief["sources"] if s["id"] in cited} >= {"html", "pdf", "docx", "eml"}
    mp = pytest.MonkeyPatch()
    mp.chdir(tmp_path)
    try:
        exec(compile(readme_script(), "README.md", "exec"), {})
        # The check can fail: a changed text no longer matches its text_sha256.
        document = next(s for s in brief["sources"] if s["text_path"] and s["id"] in cited)
        published = (tmp_path / "output" / "current").resolve() / document["text_path"]
        published.write_text(published.read_text(encoding="utf-8").replace("e", "a"), encoding="utf-8")
        with pytest.raises(AssertionError):
            exec(compile(readme_script(), "README.md", "exec"), {})
    finally:
        mp.undo()


def test_docx_tables_and_footnotes_are_read_in_order():
    import io
    import zipfile

    import docx as python_docx

    from briefing.ingest import docx

    document = python_docx.Document()
    document.add_paragraph("The port authority published its traffic figures on Monday.")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Port", (0, 1): "Ships a week", (1, 0): "Serrat", (1, 1): "41"}.items():
        table.cell(r, c).text = text
    document.add_paragraph("Queues at Serrat have grown every day since the strike began.")
    out = io.BytesIO()
    document.save(out)
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Figures from the port </w:t></w:r>'
                 '<w:r><w:t>authority of Serrat.</w:t></w:r></w:p></w:footnote></w:footnotes>')
    with_notes = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(with_notes, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/footnotes.xml", footnotes)
    got = docx.extract(with_notes.getvalue()).text
    assert got == ("The port authority published its traffic figures on Monday.\n\nPort | Ships a week\n\n"
                   "Serrat | 41\n\nQueues at Serrat have grown every day since the strike began.\n\n"
                   "Figures from the port authority of Serrat.\n")


WORD_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def word_file(*blocks: str) -> bytes:
    """A Word file made by python-docx whose body holds `blocks`, raw WordprocessingML (a `w:p`,
    `w:tbl` or `w:sdt` each), as Word writes tracked changes, content controls and fields."""
    import io

    import docx as python_docx
    from docx.oxml import parse_xml

    document = python_docx.Document()
    body = document.element.body
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(block.replace(">", f" {WORD_NS}>", 1)))  # before w:sectPr
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_tracked_insertions_and_moves_are_read_as_accepted_and_deletions_are_not():
    # python-docx's Paragraph.text reads only a paragraph's own runs: an inserted "not" was dropped,
    # and "would not host" became "would host", the opposite of what Word shows.
    from briefing.ingest import docx

    change = 'w:author="Desk editor" w:date="2022-10-19T10:00:00Z"'
    got = docx.extract(word_file(
        "<w:p>" + word_run("President Sadyr Japarov said Kyrgyzstan would ")
        + f'<w:ins w:id="1" {change}>{word_run("not ")}</w:ins>'
        + word_run("host the alliance's military drills next year.") + "</w:p>",
        "<w:p>" + word_run("The ministry said Kyrgyz troops would ")
        + f'<w:del w:id="2" {change}><w:r><w:delText xml:space="preserve">never </w:delText></w:r></w:del>'
        + word_run("take part in the peacekeeping mission.") + "</w:p>",
        "<w:p>" + word_run("The statement was issued ")
        + f'<w:moveFrom w:id="3" {change}>{word_run("in Osh ")}</w:moveFrom>'
        + word_run("on Wednesday") + f'<w:moveTo w:id="4" {change}>{word_run(" in Bishkek")}</w:moveTo>'
        + word_run(".") + "</w:p>")).text
    assert got == ("President Sadyr Japarov said Kyrgyzstan would not host the alliance's military drills "
                   "next year.\n\nThe ministry said Kyrgyz troops would take part in the peacekeeping mission."
                   "\n\nThe statement was issued on Wednesday in Bishkek.\n")
    assert "never" not in got and "Osh" not in got


def test_docx_content_controls_smart_tags_fields_and_hyperlinks_keep_their_text_in_order():
    # A paragraph in a block content control (w:sdt in the body) was dropped whole; the text of an
    # inline content control, a smart tag or a simple field's result was dropped from its sentence.
    from briefing.ingest import docx

    got = docx.extract(word_file(
        "<w:p>" + word_run("Kyrgyzstan said it would reconsider its membership of the alliance.") + "</w:p>",
        '<w:sdt><w:sdtPr><w:alias w:val="Lead"/></w:sdtPr><w:sdtContent><w:p>'
        + word_run("Officials in Bishkek said the alliance had become largely symbolic.")
        + "</w:p></w:sdtContent></w:sdt>",
        "<w:p>" + word_run("The drills were to be held near ")
        + f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">{word_run("Osh")}'
        + "</w:smartTag>" + word_run(", close to the border.") + "</w:p>",
        "<w:p>" + word_run("The statement was dated ")
        + f'<w:fldSimple w:instr=" DATE ">{word_run("19 October 2022")}</w:fldSimple>'
        + word_run(" and signed by the minister.") + "</w:p>",
        "<w:p>" + word_run("Japarov spoke with ")
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{word_run('Vladimir Putin')}</w:sdtContent></w:sdt>"
        + word_run(" by telephone, according to ")
        + f'<w:hyperlink w:anchor="office">{word_run("the presidential office")}</w:hyperlink>' + word_run(".") + "</w:p>")).text
    assert got == ("Kyrgyzstan said it would reconsider its membership of the alliance.\n\n"
                   "Officials in Bishkek said the alliance had become largely symbolic.\n\n"
                   "The drills were to be held near Osh, close to the border.\n\n"
                   "The statement was dated 19 October 2022 and signed by the minister.\n\n"
                   "Japarov spoke with Vladimir Putin by telephone, according to the presidential office.\n")


def test_docx_table_cells_read_tracked_insertions_and_content_controls():
    from briefing.ingest import docx

    got = docx.extract(word_file(
        "<w:p>" + word_run("The ministry listed the exercises it would join.") + "</w:p>",
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>"
        f"<w:tc><w:p>{word_run('Exercise')}</w:p></w:tc><w:tc><w:p>{word_run('Taking part')}</w:p></w:tc></w:tr><w:tr>"
        f"<w:tc><w:sdt><w:sdtContent><w:p>{word_run('Cooperation 2022')}</w:p></w:sdtContent></w:sdt></w:tc>"
        f'<w:tc><w:p><w:ins w:id="1" w:author="Desk editor">{word_run("No")}</w:ins>'
        f'<w:del w:id="2" w:author="Desk editor"><w:r><w:delText>Yes</w:delText></w:r></w:del></w:p></w:tc>'
        "</w:tr></w:tbl>")).text
    assert got == ("The ministry listed the exercises it would join.\n\nExercise | Taking part\n\n"
                   "Cooperation 2022 | No\n")


def test_documents_extracted_in_worker_processes_read_as_in_one(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    from briefing import ingest

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(ingest.EXTRACT_IN_WORKERS_FROM):
        article = corpus.ARTICLES[n % len(corpus.ARTICLES)]
        page = corpus.as_html(article).replace("</article>", f"<p>Correspondent number {n} filed this report "
                                                             "from the harbour on the same day.</p></article>")
        (seeds / f"{n:03d}.html").write_text(page, encoding="utf-8")
    (seeds / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    alone = read_folder(seeds, 5_000_000)
    made: list[int] = []

    def pool():
        made.append(1)
        return ProcessPoolExecutor(2)

    in_workers = read_folder(seeds, 5_000_000, pool=pool)
    assert made == [1]
    assert in_workers == alone
    assert len(alone[0]) == ingest.EXTRACT_IN_WORKERS_FROM and alone[1][0].reason.startswith("not a readable PDF")


def test_an_email_with_only_an_html_part_is_read_as_a_web_page():
    from briefing.ingest import eml, html

    article = corpus.ARTICLES[1]
    got = eml.extract(corpus.as_eml(article, html_only=True))
    assert got.text == html.extract(corpus.as_html(article).encode()).text
    assert "cookies" not in got.text and article.paragraphs[0] in got.text
    assert (got.metadata.title, got.metadata.author, got.metadata.date) == (article.title, article.author, article.date)


def test_an_email_whose_plain_part_is_a_stub_is_read_from_its_html_part():
    # A newsletter's plain part said only "best viewed in HTML": the mail was skipped as holding no
    # article ("no article text left"), though its HTML part held the whole of it.
    from email.message import EmailMessage

    from briefing.ingest import eml

    article = corpus.ARTICLES[2]
    message = EmailMessage()
    message["Subject"], message["From"] = article.title, f"{article.author} <desk@news.example.org>"
    message.set_content("This newsletter is best viewed in HTML. View it in your browser: https://news.example.org/v\n")
    message.add_alternative(corpus.as_html(article), subtype="html")
    got = eml.extract(bytes(message))
    assert article.paragraphs[0] in got.text and article.paragraphs[-1] in got.text
    assert "best viewed" not in got.text
    # A plain part that is the article itself is still what is read (the HTML part is the same text).
    whole = eml.extract(corpus.as_eml(article))
    assert "You receive this newsletter because you subscribed." in whole.text


@pytest.mark.parametrize("body, expected", [
    (b"Dock workers in Valmora extended their strike on Monday.", "Dock workers in Valmora extended"),
    ("Caf\u00e9 owners in Valmora joined the strike on Monday.".encode("cp1252"), "Caf\u00e9 owners in Valmora"),
])
def test_an_email_in_a_charset_python_does_not_know_is_read_as_utf8_or_cp1252(body, expected):
    # The whole mail was skipped ("not a readable e-mail (unknown encoding …)").
    from briefing.ingest import eml

    mail = (b"From: Port desk <desk@example.org>\r\nSubject: Port strike\r\n"
            b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n" + body + b"\r\n")
    got = eml.extract(mail)
    assert got.text.startswith(expected) and got.metadata.title == "Port strike"


FORWARDS = {
    "gmail": ("---------- Forwarded message ---------\r\nFrom: Port Desk <desk@harbour.example>\r\n"
              "Date: Mon, 3 Oct 2022 at 07:00\r\nSubject: Port strike enters its third week\r\n"
              "To: <analyst@example.org>\r\n\r\n"),
    "outlook": ("-----Original Message-----\r\nFrom: Port Desk <desk@harbour.example>\r\n"
                "Sent: Monday, October 3, 2022 7:00 AM\r\nTo: Analyst\r\nSubject: Port strike enters its third week\r\n\r\n"),
    "apple": ("Begin forwarded message:\r\n\r\n> From: Port Desk <desk@harbour.example>\r\n"
              "> Subject: Port strike enters its third week\r\n> Date: 3 October 2022 at 07:00:12 BST\r\n>\r\n"),
}


@pytest.mark.parametrize("client", FORWARDS)
def test_a_forwarded_article_is_read_with_its_own_sender_date_and_subject_not_the_forwarder_s(client):
    # An analyst forwards a newsletter to the team's inbox: the brief cited the colleague who forwarded it
    # as the author, on the day of forwarding, under "Fwd: …", and quoted their "FYI" as the article's.
    from briefing.ingest import eml

    body = ("Dock workers in Valmora extended their strike on Monday, halting most of the country's exports.\r\n\r\n"
            "The union said talks with the port authority had collapsed, a claim the authority denies.\r\n")
    if client == "apple":
        body = "".join(f"> {line}\r\n" for line in body.split("\r\n"))
    mail = ("From: Colleague <me@ministry.example>\r\nTo: Team <team@ministry.example>\r\n"
            "Subject: Fwd: Port strike enters its third week\r\nDate: Tue, 18 Oct 2022 09:12:00 +0000\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "FYI, worth reading before Thursday's meeting, I think it changes things.\r\n\r\n"
            + FORWARDS[client] + body).encode("utf-8")
    got = eml.extract(mail)
    assert (got.metadata.title, got.metadata.author, got.metadata.date) == (
        "Port strike enters its third week", "Port Desk", "2022-10-03")
    assert got.text.startswith("Dock workers in Valmora") and "FYI" not in got.text and "From:" not in got.text
    assert "a claim the authority denies." in got.text and ">" not in got.text


def test_a_subject_s_fwd_and_re_are_not_the_article_s_title():
    from briefing.ingest import eml

    mail = (b"From: Colleague <me@ministry.example>\r\nSubject: FW: Re: Port strike enters its third week\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nDock workers in Valmora extended their strike on Monday.\r\n")
    assert eml.extract(mail).metadata.title == "Port strike enters its third week"


def test_a_web_page_is_read_in_the_encoding_it_declares_and_its_bad_bytes_are_replaced_counted_and_told(tmp_path):
    # trafilatura guesses the encoding of any page that is not valid UTF-8, whatever the page declares:
    # one declaring UTF-8 with two bad bytes was read whole in the code page its detector guessed (this
    # one as cp437: "Caf├® ■"; others as cp1257), with no warning and replaced_characters 0.
    from briefing import ingest

    article = corpus.ARTICLES[0]
    page = corpus.as_html(article).replace("Dock workers", "Caf\u00e9 owners and dock workers")
    (tmp_path / "bad.html").write_bytes(page.encode("utf-8").replace(b"Caf\xc3\xa9 ", b"Caf\xc3\xa9 \xff\xfe "))
    (tmp_path / "cyrillic.html").write_bytes(page.replace('charset="utf-8"', 'charset="windows-1251"')
                                             .replace("owners", "\u0432\u043b\u0430\u0434\u0435\u043b\u044c\u0446\u044b")
                                             .encode("cp1251", "xmlcharrefreplace"))
    (tmp_path / "undeclared.html").write_bytes(page.replace('<meta charset="utf-8">', "").encode("utf-8")
                                               .replace(b"Caf\xc3\xa9 ", b"Caf\xc3\xa9 \xff\xfe "))
    # many a page that says iso-8859-1 is UTF-8: valid UTF-8 is read as UTF-8, whatever the page says
    (tmp_path / "valid.html").write_bytes(page.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("utf-8"))
    sources, skipped = read_folder(tmp_path, 1_000_000)
    assert skipped == []
    bad, cyrillic, undeclared, valid = sources
    assert "Caf\u00e9 owners and dock workers" in valid.text and valid.warnings == ()
    assert "Caf\u00e9 \ufffd\ufffd owners and dock workers in Valmora" in bad.text
    assert bad.replaced == 2 and bad.encoding == "utf-8"
    assert "not valid utf-8 though it declares utf-8: 2 invalid bytes read as U+FFFD" in bad.warnings
    assert "Caf\u00e9 \u0432\u043b\u0430\u0434\u0435\u043b\u044c\u0446\u044b and dock" in cyrillic.text
    assert cyrillic.replaced == 0 and cyrillic.warnings == ()
    assert any(w.startswith("not UTF-8 and declares no known charset; read as") for w in undeclared.warnings)
    page_read = EXTRACT(page.encode("utf-8").replace(b"Caf\xc3\xa9 ", b"Caf\xc3\xa9 \xff\xfe "))
    assert ingest._extraction_from_json(ingest._extraction_to_json(page_read)) == page_read  # the count is cached


def test_an_email_s_html_part_is_read_in_its_mime_charset_whatever_the_page_declares():
    # The part is decoded by its MIME charset before it is read as a page: the page's own declaration
    # (here a wrong one) must not be applied to it again.
    from briefing.ingest import eml

    article = corpus.ARTICLES[0]
    page = corpus.as_html(article).replace('charset="utf-8"', 'charset="windows-1251"')
    mail = (b"From: Port desk <desk@example.org>\r\nSubject: Port strike\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + page.replace("Dock workers", "Caf\u00e9 owners and dock workers").encode("utf-8"))
    got = eml.extract(mail)
    assert "Caf\u00e9 owners and dock workers" in got.text and got.replaced == 0


def test_a_word_file_a_script_made_from_python_docx_s_template_has_no_2013_date_and_no_author_python_docx():
    # Its core properties are the template's: created 2013-12-23 (recency weighed the article down as
    # nine years old, --since left it out) and author "python-docx", cited as the source's author
    import io
    from datetime import UTC, datetime

    import docx

    document = docx.Document()
    for p in corpus.ARTICLES[0].paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    got = docx_reader.extract(out.getvalue())
    assert (got.metadata.author, got.metadata.date) == (None, None)
    document.core_properties.author, document.core_properties.created = "Ana Petrova", datetime(2022, 10, 3, tzinfo=UTC)
    out = io.BytesIO()
    document.save(out)
    got = docx_reader.extract(out.getvalue())
    assert (got.metadata.author, got.metadata.date) == ("Ana Petrova", "2022-10-03")


def printed_pdf(creator: str, producer: str, title: str | None = None) -> bytes:
    """A page as a browser prints it to PDF, made on 30 November 2026: its headline, byline and date line."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas._doc.setDateFormatter(lambda *ymdhms: "D:20261130151200+00'00'")
    canvas.setCreator(creator)
    canvas._doc.info.producer = producer
    if title is not None:
        canvas.setTitle(title)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(56, 760, "Dock strike spreads to Valmora")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(56, 730, "By Ana Petrova")
    canvas.drawString(56, 716, "Published: October 3, 2022")
    for k, line in enumerate(corpus.ARTICLES[0].paragraphs[:3]):
        canvas.drawString(56, 690 - 16 * k, line[:90])
    canvas.showPage()
    canvas.save()
    return out.getvalue()


CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36"


@pytest.mark.parametrize("creator, producer", [(CHROME, "Skia/PDF m120"), ("Safari", "macOS Version 14.0 Quartz PDFContext"),
                                               ("wkhtmltopdf 0.12.6", "Qt 5.15.2")])
def test_a_web_page_a_browser_printed_to_pdf_is_dated_by_its_text_not_the_day_it_was_printed(tmp_path, creator, producer):
    # The CreationDate, the day the analyst printed the page, was the article's date: a 2022 article
    # weighed as the newest and --since kept it
    assert pdf.extract(printed_pdf(creator, producer)).metadata.date is None
    (tmp_path / "printed.pdf").write_bytes(printed_pdf(creator, producer))
    (raw,), _ = read_folder(tmp_path, 1_000_000)
    analysis = persource.analysis_of(raw, train_tokenizer([raw.text]), "model")
    meta = persource.metadata_of(raw, analysis)
    assert (meta.author, meta.date) == ("Ana Petrova", "2022-10-03")
    # a PDF a publisher made keeps its CreationDate
    assert pdf.extract(printed_pdf("Adobe InDesign 18.0", "Adobe PDF Library 17.0")).metadata.date == "2026-11-30"


@pytest.mark.parametrize("title, headline, site", [
    ("Dock strike spreads to Valmora - The Valmora Herald", "Dock strike spreads to Valmora", "The Valmora Herald"),
    ("Dock strike spreads to Valmora | Reuters", "Dock strike spreads to Valmora", "Reuters"),
    ("Dock strike spreads to Valmora – Eurasia Daily Monitor", "Dock strike spreads to Valmora", "Eurasia Daily Monitor"),
    ("Russia - Kazakhstan talks resume after a year", "Russia - Kazakhstan talks resume after a year", None),
    ("Dock strike spreads to Valmora - as port stalls", "Dock strike spreads to Valmora - as port stalls", None),
])
def test_a_page_a_browser_printed_to_pdf_names_its_site_as_the_publication_not_in_the_title(title, headline, site):
    # A browser prints the page's <title>, as its tab shows it: "Headline - Site" was cited as the title,
    # with no publication
    meta = pdf.extract(printed_pdf(CHROME, "Skia/PDF m120", title)).metadata
    assert (meta.title, meta.publication) == (headline, site)
    # a PDF a publisher made keeps its title as written
    made = pdf.extract(printed_pdf("Adobe InDesign 18.0", "Adobe PDF Library 17.0", title)).metadata
    assert (made.title, made.publication) == (title, None)


@pytest.mark.parametrize("title, author", [("untitled", "anonymous"), ("Microsoft Word - draft2.docx", "Administrator")])
def test_a_pdf_s_placeholder_title_and_author_are_not_taken_for_real_ones(title, author):
    # reportlab's defaults were cited as the source's title and author: "*untitled*, anonymous".
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(60, 760, "Dock strike spreads to Valmora")
    canvas.setFont("Helvetica", 10)
    for k, line in enumerate(corpus.ARTICLES[0].paragraphs[:3]):
        canvas.drawString(60, 720 - 16 * k, line[:90])
    canvas.showPage()
    canvas.save()
    got = pdf.extract(out.getvalue())
    assert got.metadata.title == "Dock strike spreads to Valmora"
    assert got.metadata.author is None and "author" not in got.found


def test_a_pdf_encrypted_without_a_user_password_is_read():
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(corpus.as_pdf(corpus.ARTICLES[2]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert corpus.ARTICLES[2].paragraphs[0] in pdf.extract(out.getvalue()).text


def test_pdf_columns_are_read_in_reading_order_whatever_order_they_were_drawn_in():
    for article in corpus.ARTICLES:
        got = pdf.extract(corpus.drawn_out_of_order(article))
        assert got.text == extracted.paragraphs_text([article.title, f"By {article.author}", *article.paragraphs])


def test_a_short_line_between_paragraphs_of_a_one_column_pdf_is_not_glued_to_the_next():
    """A web page printed to PDF: an "Advertisement" label, a subheading, a caption without its full stop
    between two paragraphs is narrower than the text, so it stands where a left column would; it is no
    column that runs on into the next, and the paragraph after it is quoted without it."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas as pdfcanvas

    article = corpus.ARTICLES[0]
    out = io.BytesIO()
    canvas = pdfcanvas.Canvas(out, pagesize=A4)
    y = A4[1] - 80
    for k, paragraph in enumerate(article.paragraphs):
        for piece in [*(["Talks collapse"] if k == 1 else []), *(["Advertisement"] if k == 2 else []), paragraph]:
            canvas.setFont("Helvetica", 11)
            for line in simpleSplit(piece, "Helvetica", 11, A4[0] - 100):
                canvas.drawString(50, y, line)
                y -= 14
            y -= 10
    canvas.showPage()
    canvas.save()
    got = [p.strip() for p in pdf.extract(out.getvalue()).text.split("\n\n")]
    assert "Advertisement" in got and "Talks collapse" in got
    assert got == [article.paragraphs[0], "Talks collapse", article.paragraphs[1], "Advertisement", article.paragraphs[2]]


def deflated_pdf(content: bytes) -> bytes:
    """A one-page PDF whose content stream is `content`, deflated."""
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused(monkeypatch):
    text = b"BT /F1 12 Tf 72 700 Td (The port reopened on Monday after the strike.) Tj ET\n"
    assert pdf.extract(deflated_pdf(text)).text == "The port reopened on Monday after the strike.\n"
    monkeypatch.setattr(pdf, "MAX_STREAM_BYTES", 1_000_000)
    bomb = deflated_pdf(text + b" " * 5_000_000)
    assert len(bomb) < 20_000
    with pytest.raises(ValueError, match=r"a stream inflates to more than 1 MB; refused \(decompression bomb\)"):
        pdf.extract(bomb)


# Typesetting conventions read as the characters they stand for (briefing.safetext.typographic) ----------

WIRE_STORY = """<DOC>
<DOCNO> NYT20221018.0123 </DOCNO>
<DOCTYPE> NEWS STORY </DOCTYPE>
<DATE_TIME> 10/18/22 </DATE_TIME>
<BODY>
<SLUG> BC-RUSSIA-ASIA-NYT </SLUG>
<HEADLINE>
Putin's Allies in Central Asia Start to Push Back
</HEADLINE>
<TEXT>
   ALMATY, Kazakhstan _ For decades, the leaders of the former Soviet
republics of Central Asia deferred to Moscow, but the war in Ukraine has
emboldened them to demand respect and to assert their independence.
   Kazakhstan's president, Kassym-Jomart Tokayev, told Putin in June that
his country would not recognize the breakaway republics in eastern
Ukraine, a rare public snub.
   ``We respect our partners, but we will defend our sovereignty,'' a
senior Kazakh official said in an interview this week.
   The Collective Security Treaty Organization, Russia's answer to NATO,
has been largely symbolic since the war began, analysts said.
</TEXT>
</BODY>
</DOC>
"""
WIRE_QUOTATION = ("“We respect our partners, but we will defend our sovereignty,” a senior Kazakh official said in "
                  "an interview this week.")


def test_a_wire_quotation_written_with_backticks_is_quoted_with_curly_quotes(tmp_path):
    # LDC and TREC wire copy writes every quotation ``…'': read as it is, the sentence opened with
    # backticks (no sentence's opening, and markup), so no quotation of such a story could be quoted.
    import shutil

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    shutil.copy(root / "briefing.yaml", tmp_path / "briefing.yaml")
    (tmp_path / "seeds" / "NYT20221018.0123").write_text(WIRE_STORY, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.chdir(tmp_path)
    mp.setenv("SOURCE_DATE_EPOCH", "1669852800")
    try:
        assert main(["build", "-q", "--format", "json"]) == 0
    finally:
        mp.undo()
    brief = json.loads((tmp_path / "output" / "brief.json").read_text(encoding="utf-8"))
    wire = next(s for s in brief["sources"] if s["path"].endswith("NYT20221018.0123"))
    assert wire["format"] == "newswire"
    quoted = [i for i in all_items(brief) if i["citations"][0]["source"] == wire["id"]]
    assert WIRE_QUOTATION in [collapse(i["text"]) for i in quoted]
    assert not [i for i in all_items(brief) if "``" in i["text"] or "''" in i["text"]]
    assert_every_citation_verifies(brief, tmp_path, (tmp_path / "output" / "current").resolve())


DASHED_STORY = """<DOC>
<DOCNO> NYT20221020.0042 </DOCNO>
<DOCTYPE> NEWS STORY </DOCTYPE>
<DATE_TIME> 2022-10-20 08:15 </DATE_TIME>
<BODY>
<HEADLINE>
Kazakhstan courts Europe as Russia falters
</HEADLINE>
<TEXT>
<P>
ASTANA, Kazakhstan _ Kazakhstan's president met European officials this week
to discuss oil exports that bypass Russia _ a sign, analysts said, of the
region's growing independence from Moscow.
</P>
</TEXT>
</BODY>
</DOC>
"""


def test_a_wire_dash_written_as_an_underscore_is_read_as_a_dash(tmp_path):
    # The New York Times's wire copy writes a dash as " _ ": briefs quoted "bypass Russia _ a sign".
    (tmp_path / "NYT20221020.0042").write_text(DASHED_STORY, encoding="utf-8")
    (story,), _ = read_folder(tmp_path, 1_000_000)
    assert "oil exports that bypass Russia — a sign, analysts said, of the" in collapse(story.text)
    assert " _ " not in story.text


def with_ligatures(text: str) -> str:
    """The text as a PDF's fonts set it: ffi, fi, fl as one glyph each."""
    return text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")


def ligature_pdf(lines: list[str]) -> bytes:
    """A page set in DejaVu Sans (it has the ligatures), as a typesetting program leaves them in a PDF."""
    import io
    import os

    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
    pdfmetrics.registerFont(TTFont("DejaVuSans", font))
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.setFont("DejaVuSans", 11)
    for n, line in enumerate(lines):
        page.drawString(72, 700 - 14 * n, line)
    page.save()
    return out.getvalue()


def test_ligatures_in_a_pdf_a_web_page_and_a_text_file_read_as_letters(tmp_path):
    lines = [with_ligatures("Port officials in Serrat confirmed on Monday that the harbour was"),
             with_ligatures("handling three times its usual traffic, which reflects the strike.")]
    assert "\ufb03" in lines[0] and "\ufb02" in lines[1]
    assert "\ufb03" in pdf.parse_bytes(ligature_pdf(lines), ".pdf").text  # the PDF holds the ligatures
    (tmp_path / "port.pdf").write_bytes(ligature_pdf(lines))
    article = " ".join(lines) + " Oﬃcials at the quays, the oﬀice said, counted 40 m² of cargo in ＡＢ."
    (tmp_path / "port.html").write_text(f"<html><body><article><h1>Port</h1><p>{article}</p><p>{article}</p>"
                                        "</article></body></html>", encoding="utf-8")
    (tmp_path / "port.txt").write_text(f"Port\n\n{article}\n", encoding="utf-8")
    sources, skipped = read_folder(tmp_path, 1_000_000)
    assert skipped == [] and len(sources) == 3
    for source in sources:
        assert not [c for c in source.text if "\ufb00" <= c <= "\ufb06"], source.path
        assert "Port officials in Serrat confirmed" in source.text and "reflects" in source.text, source.path
    for source in (s for s in sources if not s.path.endswith(".pdf")):  # the rest of the text is not NFKC'd
        assert "Officials at the quays, the office said, counted 40 m² of cargo in ＡＢ." in source.text
    text = next(s for s in sources if s.path.endswith(".txt"))
    assert text.extracted and text.encoding == "utf-8"  # no longer the file's characters: published
    assert text.warnings == ("6 ligatures (ﬁ, ﬂ …) read as letters; citations point into the text as read, "
                             "published beside the brief",)


def test_a_ligature_word_in_a_text_file_matches_its_keyword_and_its_citation_verifies(tmp_path):
    # A text file set with ligatures (copied out of a PDF): the brief quotes "officials", the theme's
    # keyword matches it, and the citation points into the text as read, published beside the brief.
    seeds = tmp_path / "seeds"
    corpus.write_corpus(seeds, "txt")
    strike = seeds / "strike.txt"
    strike.write_text(with_ligatures(strike.read_text(encoding="utf-8")), encoding="utf-8")
    assert "oﬃcials" in strike.read_text(encoding="utf-8")
    (tmp_path / "themes.yaml").write_text(
        "themes:\n  - id: ports\n    title: Other ports\n    description: Serrat and its harbour.\n"
        "    keywords: {officials: 3, serrat: 3, harbour: 2}\n", encoding="utf-8")
    brief = build(tmp_path, "seeds", "out")
    sentence = "Port officials in Serrat said the harbour was handling three times its usual traffic."
    assert sentence in [collapse(i["text"]) for i in all_items(brief)]
    source = next(s for s in brief["sources"] if s["path"].endswith("strike.txt"))
    assert source["format"] == "txt" and source["text_path"] == f"sources/{source['id']}.txt"
    assert_every_citation_verifies(brief, tmp_path, (tmp_path / "out" / "current").resolve())
    mp = pytest.MonkeyPatch()
    mp.chdir(tmp_path)
    try:
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["explain", "-q", "--seeds", "seeds", "--out", "out", "--themes", "themes.yaml", "--json"]) == 0
    finally:
        mp.undo()
    explained = json.loads(out.getvalue())
    items = explained["key_judgments"] + [i for theme in explained["themes"] for i in theme["items"]]
    assert "officials" in next(i for i in items if collapse(i["text"]) == sentence)["terms"]
    assert explained["themes"][0]["keywords"]["officials"] >= 1
