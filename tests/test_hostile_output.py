"""Hostile input meets the outputs: copies posing as corroboration, values that try to become markup or
links, text no font shows, words and titles too long for a page, and where the server keeps its files."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from briefing import cli, safetext

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
THEMES = ROOT / "templates" / "themes.yaml"


def build(tmp_path: Path, seeds: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    assert cli.main(["build", "--seeds", str(seeds), "--themes", str(THEMES), "--out", str(out), "-q", *extra]) == 0
    return out


# --- 1. false corroboration ------------------------------------------------------------------------

@pytest.mark.parametrize("n_copies", [2, 5])
def test_copies_of_one_article_are_one_independent_source_in_the_brief(tmp_path, n_copies):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    article = (SEEDS / "000_bdf31170debefaa5.txt").read_bytes()
    names = [f"copy-{k:03d}.txt" for k in range(n_copies)]
    random.Random(n_copies).shuffle(names)  # file order, not copy number, decides which is the original
    for name in names:
        (seeds / name).write_bytes(article)
    shutil.copy(SEEDS / "002_07f96165ea9ac347.txt", seeds / "other.txt")
    brief = json.loads((build(tmp_path, seeds, "--format", "json") / "brief.json").read_text())
    copies = [s for s in brief["sources"] if s["path"].endswith(tuple(names))]
    roots = [s for s in copies if s["duplicate_of"] is None]
    assert len(roots) == 1
    assert {s["duplicate_of"] for s in copies if s is not roots[0]} == {roots[0]["id"]}
    assert brief["stats"]["independent_sources"] == 2
    copy_ids = {s["id"] for s in copies}
    items = brief["key_judgments"] + [i for s in brief["sections"] for i in s["items"]]
    assert items
    for item in items:
        cited = {c["source"] for c in item["citations"]}
        assert len(cited & copy_ids) <= 1, item  # never two copies of one article as two sources
        assert item["support"] == len(cited) <= brief["stats"]["independent_sources"]
        if cited <= copy_ids:
            assert item["support"] == 1
            assert item["confidence"] in (None, "low")


# --- 2. values from sources and themes never become markup or links --------------------------------

import re  # noqa: E402
import subprocess  # noqa: E402
import zipfile  # noqa: E402

from docx import Document  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from briefing.model import Brief, Citation, Item, Metadata, Section, Skipped, Source  # noqa: E402
from briefing.render import docx as docx_writer  # noqa: E402
from briefing.render import jsonout  # noqa: E402
from briefing.render import markdown as md_writer  # noqa: E402
from briefing.render import pdf as pdf_writer  # noqa: E402
from briefing.render.markdown import Rendered  # noqa: E402
from briefing.templates import Templates  # noqa: E402

INJECTED = "Injected heading"
SCRIPT = "<script>alert(1)</script>"
HOSTILE_URLS = [
    f"https://a.example/> {SCRIPT} <https://b.example/",
    f"https://a.example/\n# {INJECTED}\n",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)//https://ok.example/",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "https://",
    "https://a.example:99999/",
    "https://a.example/\u202egnp.exe",
    "https://a.example/a path",
]
GOOD_URL = 'https://ok.example/a?q=<1>&r="2"&s=é'


def hostile_brief() -> Brief:
    sentence = f"Officials said {SCRIPT} and [a link](javascript:alert(1)) were found in the port's logs."
    second = f"The ministry denied it, calling the claim <img src=x onerror=alert(1)> and # {INJECTED}."
    text = f"{sentence}\n{second}\n"
    sources = [Source(f"S{k + 1}", f"seeds/evil-{k}.txt", "a" * 64, text,
                      Metadata(title=f"Evil {SCRIPT}\n# {INJECTED} {k}", publication="[click](javascript:alert(1))",
                               author="<img src=x onerror=alert(1)>", date="2022-10-03", url=url))
               for k, url in enumerate(HOSTILE_URLS + [GOOD_URL])]
    # a file name may hold a line break, and a source without a title is named by its file
    sources[0] = sources[0].with_(path=f"seeds/evil`\n# {INJECTED}\n`.txt", metadata=Metadata(url=HOSTILE_URLS[0]))

    def item(source: Source, s: str, theme: str) -> Item:
        start = source.text.index(s)
        return Item(s, 0.9, (Citation(source.id, start, start + len(s)),), theme)

    items = tuple(item(s, sentence if k % 2 else second, "evil") for k, s in enumerate(sources))
    return Brief(
        title=f"Brief {SCRIPT}\n# {INJECTED}",
        generated_at="2022-10-05T06:00:00+00:00",
        sources=tuple(sources),
        key_judgments=items[:2],
        sections=(Section("evil", f"Theme {SCRIPT}\n# {INJECTED}", f"About {SCRIPT}\n# {INJECTED}", items[2:]),),
        skipped=(Skipped(f"seeds/bad\n# {INJECTED}\n.txt", f"binary\n# {INJECTED}"),),
        stats={"sources": len(sources), "independent_sources": len(sources), "sentences": 2, "duplicates": 0,
               "dropped_blocks": 0, "themes": 1},
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    rendered = Rendered(hostile_brief(), Templates.default())
    md_writer.write(rendered, folder / "brief.md")
    jsonout.write(rendered, folder / "brief.json")
    docx_writer.write(rendered, folder / "brief.docx")
    pdf_writer.write(rendered, folder / "brief.pdf")
    return folder


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_well_formed_http_urls_are_links(url):
    from briefing.render.markdown import web_url

    assert web_url(url) is None


def test_a_web_url_is_a_link_with_unsafe_characters_percent_encoded():
    from briefing.render.markdown import web_url

    assert web_url(GOOD_URL) == "https://ok.example/a?q=%3C1%3E&r=%222%22&s=%C3%A9"
    assert web_url("http://a.example") == "http://a.example"


def test_pandoc_makes_no_raw_html_heading_or_foreign_link_of_hostile_values(hostile, tmp_path):
    html_path = tmp_path / "brief.html"
    result = subprocess.run(["pandoc", str(hostile / "brief.md"), "--resource-path", str(hostile), "-o", str(html_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = html_path.read_text(encoding="utf-8")
    assert "<script" not in page and "onerror" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("#") or h.startswith("https://ok.example/") for h in hrefs), hrefs
    assert page.count("https://ok.example/a?q=%3C1%3E&amp;r=%222%22&amp;s=%C3%A9") >= 1
    headings = [" ".join(re.sub(r"<[^>]+>", "", h).split()) for _, h in re.findall(r"<h(\d)[^>]*>(.*?)</h\1>", page, re.S)]
    assert headings == ["Brief &lt;script&gt;alert(1)&lt;/script&gt; # Injected heading", "Key judgments",
                        "Theme &lt;script&gt;alert(1)&lt;/script&gt; # Injected heading", "Methodology", "Sources"]
    plain = subprocess.run(["pandoc", str(hostile / "brief.md"), "-t", "plain", "--wrap=none"],
                           capture_output=True, text=True).stdout
    assert SCRIPT in plain and "javascript:alert(1)" in plain  # shown as the text it is


def heading_texts_of_markdown(path: Path) -> list[str]:
    tree = md_writer.document_tree(path.read_text(encoding="utf-8"))
    return [md_writer.plain_text_of(n) for n in tree.walk() if n.type == "heading"]


def test_the_markdown_has_no_heading_a_value_made(hostile):
    headings = heading_texts_of_markdown(hostile / "brief.md")
    assert headings == [f"Brief {SCRIPT} # {INJECTED}", "Key judgments", f"Theme {SCRIPT} # {INJECTED}",
                        "Methodology", "Sources"]
    tree = md_writer.document_tree((hostile / "brief.md").read_text(encoding="utf-8"))
    assert not [n for n in tree.walk() if n.type in ("html_inline", "html_block") and "toc" not in n.content]
    links = [str(n.attrs["href"]) for n in tree.walk() if n.type == "link"]
    assert all(h.startswith("#") or h.startswith("https://ok.example/") for h in links), links


def test_docx_has_no_heading_or_link_a_value_made(hostile):
    document = Document(str(hostile / "brief.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Key judgments", f"Theme {SCRIPT} # {INJECTED}", "Methodology", "Sources"]
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert targets == ["https://ok.example/a?q=%3C1%3E&r=%222%22&s=%C3%A9"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert SCRIPT in body and "javascript:alert(1)" in body
    with zipfile.ZipFile(hostile / "brief.docx") as archive:
        assert b"javascript:" not in b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".rels"))


def test_pdf_has_no_outline_entry_or_link_a_value_made(hostile):
    reader = PdfReader(str(hostile / "brief.pdf"))

    def titles(outline):
        for entry in outline:
            yield from (titles(entry) if isinstance(entry, list) else [entry.title])

    assert [t for t in titles(reader.outline) if INJECTED in t] == [f"Brief {SCRIPT} # {INJECTED}",
                                                                    f"Theme {SCRIPT} # {INJECTED}"]
    uris = [annot["/A"]["/URI"] for page in reader.pages for ref in page.get("/Annots", []) or []
            for annot in [ref.get_object()] if "/A" in annot and "/URI" in annot["/A"]]
    assert uris == ["https://ok.example/a?q=%3C1%3E&r=%222%22&s=%C3%A9"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "alert(1)" in text and "javascript:alert(1)" in " ".join(text.split())
    shown = " ".join(pdf_text(hostile / "brief.pdf").split())
    assert shown.count(f"Theme {SCRIPT}") == 2  # the heading and its line in the contents, as text


def test_json_keeps_every_value_as_it_was_read(hostile):
    brief = json.loads((hostile / "brief.json").read_text(encoding="utf-8"))
    assert [s["url"] for s in brief["sources"]] == HOSTILE_URLS + [GOOD_URL]


# --- 12. documents carry no absolute server paths ---------------------------------------------------

def test_documents_show_paths_within_the_seeds_folder_never_the_servers_absolute_paths(tmp_path):
    """Built from an absolute --seeds at a long path with spaces, with the issue's hostile front matter."""
    seeds = tmp_path / "a very long path" / "with spaces" / ("x" * 120) / "seeds"
    (seeds / "sub").mkdir(parents=True)
    for name in ("000_bdf31170debefaa5.txt", "001_d2222df685e19f28.txt", "003_631f34e62e8be2c6.txt"):
        shutil.copy(SEEDS / name, seeds / name)
    article = (SEEDS / "004_d548319e7085c128.txt").read_text(encoding="utf-8")
    (seeds / "sub" / "evil.md").write_text(
        f'---\nurl: "https://a.example/> {SCRIPT} <https://b.example/"\n---\n{article}', encoding="utf-8")
    (seeds / "photo.txt").write_bytes(b"\x89PNG\x00\x00")
    out = build(tmp_path, seeds)
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert {s["path"] for s in brief["sources"]} >= {f"{seeds}/sub/evil.md", f"{seeds}/000_bdf31170debefaa5.txt"}
    markdown = (out / "brief.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "brief.docx") as archive:
        docx_xml = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    pdf_text = subprocess.run(["pdftotext", str(out / "brief.pdf"), "-"], capture_output=True, text=True).stdout
    for shown in (markdown, docx_xml, " ".join(pdf_text.split())):
        assert str(tmp_path) not in shown and "a very long path" not in shown
    assert "File `sub/evil.md`" in markdown and "`photo.txt`" in markdown
    assert "<script" not in markdown.replace("\\<script", "")


# --- 11. text no font shows, words and titles too long for a page ------------------------------------

CJK = "北京宣布新的贸易协定"
EMOJI = "\U0001F9FF"  # nazar amulet: no font here has it (DejaVu Sans has 😀)
ARABIC = "وقالت الحكومة"
COMBINING = "e\u0301"  # e + combining acute


def glyph_brief(title: str = "Glyphs", word: str = "") -> Brief:
    sentences = [f"Officials in the capital said {CJK} was signed on Monday {EMOJI}.",
                 f"The statement, read out as {ARABIC}, was welcomed by the caf{COMBINING} owners{word}.",
                 f"The port authority said {word} the strike cost ten million dollars a day{word}."]
    text = "\n".join(sentences) + "\n"
    source = Source("S1", "/srv/seeds/glyphs.txt", "a" * 64, text, Metadata(title=f"Report {CJK}", date="2022-10-03"))

    def item(s: str, theme: str | None) -> Item:
        start = text.index(s)
        return Item(s, 0.9, (Citation("S1", start, start + len(s)),), theme)

    return Brief(title=title, generated_at="2022-10-05T06:00:00+00:00", sources=(source,),
                 key_judgments=(item(sentences[0], "t"),),
                 sections=(Section("t", "Theme", "About it.", (item(sentences[1], "t"), item(sentences[2], "t"))),),
                 stats={"sources": 1, "independent_sources": 1, "sentences": 3, "duplicates": 0,
                        "dropped_blocks": 0, "themes": 1}, seeds="/srv/seeds/")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_cjk_is_set_in_a_system_font_that_has_it(tmp_path):
    """`make tools` installs a CJK font (fonts-droid-fallback): fontconfig finds it and the PDF uses it."""
    found = subprocess.run(["fc-list", f":charset={ord(CJK[0]):x}", "--format=%{file}\\n"],
                           capture_output=True, text=True).stdout.split()
    assert found, "no font with CJK characters on this machine: run `make tools`"
    pdf_writer.write(Rendered(glyph_brief(), Templates.default()), tmp_path / "brief.pdf")
    text = pdf_text(tmp_path / "brief.pdf")
    assert CJK in text and f"Report {CJK}" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "brief.pdf")], capture_output=True, text=True).stdout
    assert "BriefingFallback" in fonts or "Droid" in fonts
    # DejaVu Sans has the Arabic letters (set left to right, unshaped: reportlab has no bidi) and the accent
    assert set(ARABIC) - {" "} <= set(text) and "\u0301" in text


def test_a_long_lived_process_still_finds_fonts_for_a_new_brief(tmp_path, monkeypatch):
    # `briefing serve` writes brief after brief in one process: characters no font had, looked up for
    # earlier briefs, must not use up the lookups of a later brief's Chinese
    monkeypatch.setattr(pdf_writer, "_font_of", {0xE000 + k: None for k in range(pdf_writer.MAX_FONT_LOOKUPS)})
    monkeypatch.setattr(pdf_writer, "_lookups_left", [0])  # and the last brief spent its own
    assert not [w for w in pdf_writer.missing_glyphs(glyph_brief()) if CJK[0] in w]
    pdf_writer.write(Rendered(glyph_brief(), Templates.default()), tmp_path / "brief.pdf")
    assert CJK in pdf_text(tmp_path / "brief.pdf")


def test_characters_no_font_has_are_named_in_one_warning_per_source(monkeypatch):
    monkeypatch.setattr(pdf_writer, "_system_font_for", lambda point: None)  # a machine without such fonts
    monkeypatch.setattr(pdf_writer, "_fallbacks", [])
    monkeypatch.setattr(pdf_writer, "_font_of", {})
    warnings = pdf_writer.missing_glyphs(glyph_brief())
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.startswith("brief.pdf: S1 (glyphs.txt): no font on this machine has ")
    for ch in set(CJK) | {EMOJI}:
        assert f"{ch} (U+{ord(ch):04X})" in warning or "more" in warning
    assert "U+0301" not in warning and "U+0627" not in warning  # DejaVu has combining marks and Arabic


def test_a_build_warns_of_missing_glyphs_on_stderr_and_goes_on(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf_writer, "_system_font_for", lambda point: None)
    monkeypatch.setattr(pdf_writer, "_fallbacks", [])
    monkeypatch.setattr(pdf_writer, "_font_of", {})
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("000_bdf31170debefaa5.txt", "001_d2222df685e19f28.txt"):
        shutil.copy(SEEDS / name, seeds / name)
    article = (SEEDS / "003_631f34e62e8be2c6.txt").read_text(encoding="utf-8")
    (seeds / "cjk.md").write_text(f"---\ntitle: Report {CJK} {EMOJI}\n---\n{article}", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", "--seeds", str(seeds), "--themes", str(THEMES), "--out", str(out),
                     "--format", "pdf"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "no font on this machine has" in line]
    assert len(lines) == 1 and "(cjk.md)" in lines[0] and f"{EMOJI} (U+1F9FF)" in lines[0], err
    assert lines[0].startswith("warning: brief.pdf: S")
    assert (out / "brief.pdf").exists()


def line_widths_fit(path: Path) -> bool:
    """No text runs past the right margin: pdftotext's bounding boxes of every word stay on the page."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    return bool(right) and max(right) <= page_width - pdf_writer.MARGIN_RIGHT + 1


def test_an_over_long_title_is_cut_and_the_pdf_builds(tmp_path):
    title = "Sanctions " * 2000  # 20,000 characters
    pdf_writer.write(Rendered(glyph_brief(title=title), Templates.default()), tmp_path / "brief.pdf")
    text = " ".join(pdf_text(tmp_path / "brief.pdf").split())
    assert "Sanctions Sanctions" in text and "…" in text
    assert line_widths_fit(tmp_path / "brief.pdf")
    reader = PdfReader(str(tmp_path / "brief.pdf"))
    assert len(reader.outline[0].title) <= pdf_writer.MAX_HEADING


def test_over_long_words_are_broken_and_every_character_is_there(tmp_path):
    word = "Z" * 10_000
    pdf_writer.write(Rendered(glyph_brief(word=word), Templates.default()), tmp_path / "brief.pdf")
    text = pdf_text(tmp_path / "brief.pdf")
    assert "".join(re.findall(r"Z+", text)).count("Z") == 3 * len(word)  # the three items' words, whole
    assert line_widths_fit(tmp_path / "brief.pdf")


def test_docx_core_properties_are_cut_to_what_word_takes_and_the_body_keeps_the_title(tmp_path):
    title = "Sanctions " * 2000
    docx_writer.write(Rendered(glyph_brief(title=title), Templates.default()), tmp_path / "brief.docx")
    document = Document(str(tmp_path / "brief.docx"))
    assert len(document.core_properties.title) <= 255 and document.core_properties.title.endswith("…")
    assert " ".join(document.paragraphs[0].text.split()) == title.strip()


def test_a_right_to_left_override_in_a_source_ends_with_its_sentence(tmp_path):
    # An unclosed U+202E (right-to-left override) in a quoted sentence turned around the rest of its
    # line where the brief is shown: the citation mark read "]1^[". Each value now closes what it opens.
    from briefing.render import html as html_writer
    sentence = "Officials said the \u202eport was closed on Monday."
    source = Source("S1", "seeds/rlo.txt", "b" * 64, sentence + "\n", Metadata(title="Port \u202eclosed", date="2022-10-03"))
    item = Item(sentence, 0.9, (Citation("S1", 0, len(sentence)),), "port")
    brief = Brief(title="Brief", generated_at="2022-10-05T06:00:00+00:00", sources=(source,), key_judgments=(),
                  sections=(Section("port", "Port", "", (item,)),), skipped=(),
                  stats={"sources": 1, "independent_sources": 1, "sentences": 1, "duplicates": 0,
                         "dropped_blocks": 0, "themes": 1})
    rendered = Rendered(brief, Templates.default())
    for writer, name in ((md_writer, "brief.md"), (docx_writer, "brief.docx"), (html_writer, "brief.html"),
                         (jsonout, "brief.json")):
        writer.write(rendered, tmp_path / name)
    markdown = (tmp_path / "brief.md").read_text(encoding="utf-8")
    assert "the \u202eport was closed on Monday.\u202c[^" in markdown
    assert "Port \u202eclosed\u202c" in markdown
    paragraphs = [p.text for p in Document(str(tmp_path / "brief.docx")).paragraphs if "Monday" in p.text]
    assert paragraphs and all("Monday.\u202c" in p for p in paragraphs)
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "Monday.\u202c" in page
    assert '"title":"Port \u202eclosed\u202c"' in page  # the note's passage view names its source closed too
    data = json.loads((tmp_path / "brief.json").read_text(encoding="utf-8"))
    assert data["sections"][0]["items"][0]["text"] == sentence  # the JSON keeps what the source says


def test_a_right_to_left_override_in_a_file_name_ends_with_the_name(tmp_path):
    # A file named "report<U+202E>txt.exe.txt" was written into the Sources list as it was: the override
    # turned around what follows it on the line (". Republishes …", the next source's text), and the
    # name read "report txt.exe.txt" backwards. The name now closes what it opens in every document.
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    name = "report\u202etxt.exe.txt"
    cited = max(seeds.iterdir(), key=lambda f: f.stat().st_size)  # the longest article: the brief cites it
    cited.rename(seeds / name)
    out = build(tmp_path, seeds)
    closed = name + "\u202c"
    markdown = (out / "brief.md").read_text(encoding="utf-8")
    assert f"`{closed}`" in markdown and f"`{name}`" not in markdown
    paragraphs = [p.text for p in Document(str(out / "brief.docx")).paragraphs if name in p.text]
    assert paragraphs and all(closed in p for p in paragraphs)
    page = (out / "brief.html").read_text(encoding="utf-8")
    assert closed in page and re.search(name + "(?!\u202c)", page) is None
    sources = json.loads((out / "brief.json").read_text(encoding="utf-8"))["sources"]
    assert any(s["path"].endswith(name) for s in sources)  # the JSON keeps the name as found


def test_a_right_to_left_override_from_a_source_is_shown_escaped_on_the_terminal(tmp_path, capsys):
    # `sources`, `explain` and the warnings printed a file name, title or sentence holding U+202E as it
    # was: on a terminal that lays out right-to-left text (Konsole, mlterm, VTE), it turned around the
    # rest of the line, the next cells of the table, the source id after a sentence. The terminal now
    # shows each directional formatting character as its escape, `\u202e`; brief.json keeps it.
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    files = sorted(seeds.iterdir(), key=lambda f: f.stat().st_size)
    files[-1].rename(seeds / "report\u202etxt.exe.txt")
    article = files[-2].read_text(encoding="utf-8")
    files[-2].write_text(article.replace(". ", " \u202eafdc. "), encoding="utf-8")  # every sentence
    (seeds / f"{files[-2].stem}.meta.yaml").write_text("title: Port \u202eclosed\n", encoding="utf-8")
    (seeds / "photo\u2067gnp.txt").write_bytes(b"\x89PNG\x00\x00")  # skipped, with a warning naming it
    bidi = re.compile("[\u202a-\u202e\u2066-\u2069]")
    common = ["--seeds", str(seeds), "--themes", str(THEMES), "--out", str(tmp_path / "out")]
    assert cli.main(["build", *common, "--format", "json"]) == 0
    shown = capsys.readouterr()
    assert "photo\\u2067gnp.txt" in shown.err and not bidi.search(shown.out + shown.err)
    assert cli.main(["sources", *common]) == 0
    shown = capsys.readouterr()
    flat = re.sub(r"[\s│]+", "", shown.out)  # the table folds long cells
    assert "report\\u202etxt.exe.txt" in flat and "Port\\u202eclosed" in flat
    assert not bidi.search(shown.out + shown.err)
    for extra in ([], ["--json"], ["--runners-up", "3"]):
        assert cli.main(["explain", *common, "-q", *extra]) == 0
        shown = capsys.readouterr()
        assert "\\u202eafdc." in shown.out and not bidi.search(shown.out + shown.err), extra
    assert cli.main(["explain", *common, "-q", "--json"]) == 0
    explained = json.loads(capsys.readouterr().out)  # the same values, as JSON reads its escapes
    assert any("\u202eafdc." in item["text"] for theme in explained["themes"] for item in theme["items"] + theme["runners_up"])
    brief = json.loads((tmp_path / "out" / "brief.json").read_text(encoding="utf-8"))
    assert any(s["path"].endswith("report\u202etxt.exe.txt") for s in brief["sources"])  # kept as found


def test_a_right_to_left_override_in_a_passage_ends_with_its_paragraph_or_sentence(tmp_path):
    # The page's side panel shows the cited sentence in its paragraph: the sentences before it, the
    # sentence marked, the sentences after it, in one line of text. An override left open in the
    # sentence before (or in the cited one) turned around the marked sentence (or what follows it) in
    # the panel, though the brief's own text closed it. Each part of the passage now closes its own.
    from briefing.render import html as html_writer
    before = "The harbour \u202emaster spoke at dawn."
    sentence = "Officials said the \u202bport was closed on Monday."
    text = f"{before} {sentence} It reopened on \u2067Friday after talks.\n"
    start = text.index(sentence)
    source = Source("S1", "seeds/rlo.txt", "b" * 64, text, Metadata(title="Port", date="2022-10-03"))
    item = Item(sentence, 0.9, (Citation("S1", start, start + len(sentence)),), "port")
    brief = Brief(title="Brief", generated_at="2022-10-05T06:00:00+00:00", sources=(source,), key_judgments=(),
                  sections=(Section("port", "Port", "", (item,)),), skipped=(),
                  stats={"sources": 1, "independent_sources": 1, "sentences": 3, "duplicates": 0,
                         "dropped_blocks": 0, "themes": 1})
    html_writer.write(Rendered(brief, Templates.default()), tmp_path / "brief.html")
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="briefing-passages">(.*?)</script>', page, re.S).group(1)
    (shown,) = json.loads(data)["1"]["passages"]
    assert shown["before"].startswith("The harbour \u202emaster") and shown["cited"].startswith("Officials said")
    for part in ("before", "cited", "after"):  # each as the panel shows it: no override open at its end
        assert safetext.bidi_closed(shown[part]) == shown[part], (part, shown[part])
    assert shown["before"] + shown["cited"] + shown["after"] == (
        f"{before} \u202c{sentence}\u202c It reopened on \u2067Friday after talks.\u2069")


def test_a_handle_in_a_quoted_sentence_is_no_citation_to_pandoc(tmp_path):
    # "@UN" (a social-media handle, common in news) is pandoc's citation syntax: brief.md run through
    # `pandoc --citeproc` quoted the sentence as "… to (UN?) and [(WHO?)] …", and with the reader's
    # bibliography would cite its entry. The Markdown now escapes "@" as it escapes the other syntax.
    sentence = "The minister wrote to @UN and [@WHO] that the aid was late; mail press@gov.example."
    source = Source("S1", "seeds/at.txt", "c" * 64, sentence + "\n",
                    Metadata(title="Letter to @UN", author="@minister", date="2022-10-03"))
    item = Item(sentence, 0.9, (Citation("S1", 0, len(sentence)),), "aid")
    brief = Brief(title="Brief", generated_at="2022-10-05T06:00:00+00:00", sources=(source,), key_judgments=(),
                  sections=(Section("aid", "Aid", "", (item,)),), skipped=(),
                  stats={"sources": 1, "independent_sources": 1, "sentences": 1, "duplicates": 0,
                         "dropped_blocks": 0, "themes": 1})
    rendered = Rendered(brief, Templates.default())
    md_writer.write(rendered, tmp_path / "brief.md")
    result = subprocess.run(["pandoc", str(tmp_path / "brief.md"), "--citeproc", "-t", "plain", "--wrap=none"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Citeproc" not in result.stderr, result.stderr
    shown = " ".join(result.stdout.split())
    assert sentence in shown and "Letter to @UN" in shown and "@minister" in shown
    tree = md_writer.document_tree(rendered.markdown)  # and the other formats still read "@"
    assert any(sentence in md_writer.plain_text_of(n) for n in tree.walk() if n.type == "paragraph")
