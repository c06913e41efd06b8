"""Readers: encodings, bad files skipped with a reason, front matter and sidecar metadata."""

import hashlib

import pytest

from briefing.ingest import read_folder
from briefing.model import Metadata
from briefing.pipeline import features

ARTICLE = "Dock workers in Valmora extended their strike on Monday, halting exports.\n"


def read(tmp_path, limit=1_000_000):
    return read_folder(tmp_path, limit)


def test_reads_utf8_text_and_records_the_hash_of_the_bytes(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    sources, skipped = read(tmp_path)
    assert skipped == []
    assert sources[0].text == ARTICLE
    assert sources[0].sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert sources[0].path == f"{tmp_path.as_posix()}/a.txt"


def test_falls_back_to_cp1252_and_says_so(tmp_path):
    (tmp_path / "a.txt").write_bytes("The minister’s café reopened on Monday after the strike.".encode("cp1252"))
    sources, skipped = read(tmp_path)
    assert sources[0].text.startswith("The minister’s café")
    assert sources[0].encoding == "cp1252"
    assert any("cp1252" in w for w in sources[0].warnings)


@pytest.mark.parametrize("name, data, reason", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("empty.txt", b"  \n\n", "empty file"),
    ("big.txt", b"word " * 300, "over the"),
    ("notes.docx", b"PK\x03\x04", "not a readable Word file (damaged zip"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported file type '.png'"),
])
def test_unusable_files_are_skipped_with_a_reason(tmp_path, name, data, reason):
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / name).write_bytes(data)
    sources, skipped = read(tmp_path, limit=1000)
    assert [s.path.rsplit("/", 1)[-1] for s in sources] == ["good.txt"]
    assert len(skipped) == 1 and skipped[0].path.endswith(name)
    assert reason in skipped[0].reason


def test_markdown_front_matter_gives_metadata_and_is_not_body(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Port strike\nauthor: Ana Petrova\ndate: 2022-10-03\npublisher: Harbour Tribune\n---\n" + ARTICLE)
    source = read(tmp_path)[0][0]
    assert source.metadata.title == "Port strike"
    assert source.metadata.author == "Ana Petrova"
    assert source.metadata.date == "2022-10-03"
    assert source.metadata.publication == "Harbour Tribune"
    assert source.text[source.body_start:] == ARTICLE


def test_a_front_matter_author_written_as_a_mapping_is_its_name_and_no_repr(tmp_path):
    # Jekyll and Hugo themes write `author: {name: …, twitter: …}`: the brief cited the author as
    # "{'name': 'Ana Petrova', 'twitter': 'apetrova'}"
    (tmp_path / "a.md").write_text("---\ntitle: Port strike\nauthor:\n  name: Ana Petrova\n  twitter: apetrova\n"
                                   "publisher: {name: Harbour Tribune, url: 'https://tribune.example'}\n---\n" + ARTICLE)
    (tmp_path / "b.md").write_text("---\ntitle: Port strike\nauthors: [{name: Ana Petrova}, {name: Ivo Ban}]\n"
                                   "source: {url: 'https://tribune.example'}\n---\n" + ARTICLE)
    (a, b), _ = read(tmp_path)
    assert (a.metadata.author, a.metadata.publication) == ("Ana Petrova", "Harbour Tribune")
    assert (b.metadata.author, b.metadata.publication) == ("Ana Petrova, Ivo Ban", None)
    assert "front matter: source: not a single value (dict); ignored" in b.warnings


NOTE_MD = """---
title: Kazakhstan and the republics
author: Ana Petrova
publication: Steppe Monitor
date: 2022-02-23
---
# Kazakhstan will not recognise the republics

![The foreign ministry in Astana](ministry.jpg)

*Astana* — Officials said Kazakhstan would **never** recognise the republics and would defend its _sovereignty_.

The foreign ministry set out the position in [its statement](https://example.org/x) on Tuesday,
citing the charter of the <abbr>United Nations</abbr>.

> “We respect the territorial integrity of every state,” the deputy foreign minister told reporters
> in Astana.

1. Astana will keep its course of neutrality, a \\*senior\\* official said on `Wednesday`.

## What comes next?
"""


def analysed(tmp_path, name, text):
    """The source as read, and its sentences as a brief would quote them (the per-source stage)."""
    from briefing.pipeline import persource, segment

    (tmp_path / name).write_text(text, encoding="utf-8")
    sources, skipped = read(tmp_path)
    assert skipped == []
    raw = sources[0]
    cleaned = persource.cleaned_of(raw)
    tokenizer = segment.train_tokenizer(segment.body_texts([persource.source_of(raw).with_(body=cleaned.body)]))
    return raw, persource.sentence_texts(raw, persource.analysis_of(raw, tokenizer, "", cleaned))


def test_markdown_is_read_as_its_text_and_its_sentences_are_quoted_without_markup(tmp_path):
    """What an analyst reads in a Markdown viewer is what the brief quotes: emphasis without its
    markers, a link as its text (not its URL), a blockquote and a list item without > or 1., an
    escaped * as a *; the headings and the picture are not sentences."""
    raw, sentences = analysed(tmp_path, "note.md", NOTE_MD)
    assert sentences == [
        "Astana — Officials said Kazakhstan would never recognise the republics and would defend its sovereignty.",
        "The foreign ministry set out the position in its statement on Tuesday, citing the charter of the United "
        "Nations.",
        "“We respect the territorial integrity of every state,” the deputy foreign minister told reporters in Astana.",
        "Astana will keep its course of neutrality, a *senior* official said on Wednesday.",
    ]
    for sentence in sentences:
        assert features.shape_problem(sentence) is None, sentence  # each may be quoted alone
    assert "example.org" not in raw.text and "ministry.jpg" not in raw.text and "<abbr>" not in raw.text
    assert "What comes next?" in raw.text  # in the text, set aside as a heading
    assert (raw.format, raw.extracted, raw.encoding) == ("md", True, "utf-8")


@pytest.mark.parametrize("heading", ["# Kazakhstan *keeps* its course\n", "Kazakhstan *keeps* its course\n====\n"])
def test_a_markdown_article_opening_with_a_level_one_heading_is_titled_by_it(tmp_path, heading):
    # An analyst's note written as `# Title` and paragraphs was "Untitled" in the brief's sources, as in
    # MkDocs the first heading is the page's title; the heading is still never quoted.
    body = ("Officials said Kazakhstan would never recognise the republics and would defend its sovereignty.\n\n"
            "The foreign ministry set out the position in its statement on Tuesday, citing the charter.\n")
    raw, sentences = analysed(tmp_path, "note.md", f"<!-- draft -->\n{heading}\n{body}")
    assert raw.metadata.title == "Kazakhstan keeps its course" and raw.found == ()
    assert not any("course" in s for s in sentences) and len(sentences) == 2
    # the front matter's title wins; a heading after the first paragraph, or of level 2, titles nothing
    for folder in "abc":
        (tmp_path / folder).mkdir()
    assert analysed(tmp_path / "a", "note.md", f"---\ntitle: Steppe notes\n---\n{heading}\n{body}")[0].metadata.title \
        == "Steppe notes"
    assert analysed(tmp_path / "b", "note.md", f"{body}\n{heading}\nMore text.\n")[0].metadata.title is None
    assert analysed(tmp_path / "c", "note.md", f"## Kazakhstan keeps its course\n\n{body}")[0].metadata.title is None


def read_metadata(tmp_path, name, text):
    """A source's metadata as the brief lists it: the document's own, over what its lines say."""
    from briefing.pipeline import persource

    (tmp_path / name).write_text(text, encoding="utf-8")
    raw = read(tmp_path)[0][0]
    return persource.cleaned_of(raw).metadata.merged(raw.metadata)


def test_a_markdown_article_under_a_section_heading_is_titled_by_its_level_one_heading(tmp_path):
    # "## Europe" over "# Title" left the article untitled: only a level-1 heading opening the file counted
    body = ("Officials said Kazakhstan would never recognise the republics and would defend its sovereignty.\n\n"
            "The foreign ministry set out the position in its statement on Tuesday, citing the charter.\n")
    meta = read_metadata(tmp_path, "note.md", f"## Europe\n\n# Kazakhstan keeps its course\n\nBy Jane Doe\n\n{body}")
    assert (meta.title, meta.author) == ("Kazakhstan keeps its course", "Jane Doe")


def test_a_markdown_article_names_the_author_under_its_heading_without_by(tmp_path):
    # "# Title / **Jane Doe**, Staff Writer" named no author
    body = ("Officials said Kazakhstan would never recognise the republics and would defend its sovereignty.\n\n"
            "The foreign ministry set out the position in its statement on Tuesday, citing the charter.\n")
    meta = read_metadata(tmp_path, "note.md", f"# Kazakhstan keeps its course\n\n**Jane Doe**, Staff Writer\n\n{body}")
    assert (meta.title, meta.author) == ("Kazakhstan keeps its course", "Jane Doe")


@pytest.mark.parametrize("line, author, publication", [
    ("Jane Doe | Steppe News", "Jane Doe", "Steppe News"), ("Jane Doe, Staff Writer", "Jane Doe", None),
    ("October 5, 2022 | By Jane Doe", "Jane Doe", None),
])
def test_a_web_page_whose_first_line_is_a_byline_without_by_names_its_author(tmp_path, line, author, publication):
    # the page states its title (<title>, <h1>), so its text opens under the headline with the byline line;
    # the author was not read
    page = ("<html><head><title>Rail link opens between the two capitals</title></head><body><article>"
            f"<h1>Rail link opens between the two capitals</h1><p>{line}</p>"
            "<p>Officials in Astana said the new rail link between the two capitals opened on Friday after years "
            "of delays, and that freight volumes could double within two years.</p><p>The ministry said in a "
            "statement that passenger trains would follow next spring once the stations were finished.</p>"
            "</article></body></html>")
    meta = read_metadata(tmp_path, "page.html", page)
    assert (meta.title, meta.author, meta.publication) == ("Rail link opens between the two capitals", author,
                                                           publication)


def test_markdown_front_matter_is_still_metadata_and_not_text(tmp_path):
    raw, _ = analysed(tmp_path, "note.md", NOTE_MD)
    assert raw.metadata == Metadata(title="Kazakhstan and the republics", publication="Steppe Monitor",
                                    author="Ana Petrova", date="2022-02-23")
    assert raw.found == ("title", "publication", "author", "date")
    assert "Steppe Monitor" not in raw.text and "---" not in raw.text


def test_markdown_code_blocks_tables_and_raw_html_are_not_sentences(tmp_path):
    raw, sentences = analysed(tmp_path, "note.md", (
        "Dock workers in Valmora extended their strike on Monday, halting exports of grain.\n\n"
        "```\nThe port authority said nothing at all about the strike on Monday.\n```\n\n"
        "| month | exports |\n|---|---|\n| October | Exports of grain fell by forty per cent in October. |\n\n"
        "<div>Subscribe to our newsletter for the latest news from the port of Valmora.</div>\n\n"
        "The union said talks with the port authority had collapsed ~~on Friday~~ on Sunday.\n"))
    assert sentences == ["Dock workers in Valmora extended their strike on Monday, halting exports of grain.",
                         "The union said talks with the port authority had collapsed on Sunday."]
    assert "Subscribe" not in raw.text and "October | Exports of grain" in raw.text


def test_a_sidecar_file_sets_or_corrects_metadata_without_editing_the_article(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Wrong title\nauthor: Ana Petrova\n---\n" + ARTICLE)
    (tmp_path / "a.meta.yaml").write_text("title: Port strike enters third week\nurl: https://example.org/a\n")
    sources, skipped = read(tmp_path)
    assert len(sources) == 1 and skipped == []
    meta = sources[0].metadata
    assert meta.title == "Port strike enters third week"
    assert meta.author == "Ana Petrova"
    assert meta.url == "https://example.org/a"


def test_a_sidecar_with_an_unknown_key_is_reported_and_the_article_still_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "a.meta.yaml").write_text("titel: typo\nauthor: Ana Petrova\n")
    sources, skipped = read(tmp_path)
    assert skipped == [] and sources[0].metadata.author == "Ana Petrova"
    assert any(w.startswith("a.meta.yaml: unknown key 'titel'") for w in sources[0].warnings)


def test_folder_walk_matches_rglob_order_hidden_files_links_and_sidecars(tmp_path):
    """The one-scandir-per-folder walk finds what `rglob("*")` + `is_file()` did, in the same order:
    sub-folders, links to files (not to folders), no hidden files or folders, sidecars beside articles."""
    from briefing.ingest import seed_files

    seeds = tmp_path / "seeds"
    (seeds / "b" / "c").mkdir(parents=True)
    (seeds / ".hidden").mkdir()
    (seeds / "elsewhere").mkdir()
    for rel in ["a.txt", "a-b.txt", "b.txt", "b/z.md", "b/c/y.txt", "b/c/y.meta.yml", ".dot.txt", ".hidden/x.txt",
                "b/.x.txt", "elsewhere/w.txt", "noext"]:
        (seeds / rel).write_text(ARTICLE)
    (seeds / "b" / "c" / "y.meta.yml").write_text("title: From the sidecar\n")
    (seeds / "link.txt").symlink_to(seeds / "a.txt")
    (seeds / "linked-folder").symlink_to(seeds / "elsewhere", target_is_directory=True)
    (seeds / "dangling.txt").symlink_to(seeds / "gone.txt")
    expected = sorted(
        (p for p in seeds.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(seeds).parts)
         and not p.name.endswith((".meta.yaml", ".meta.yml"))),
        key=lambda p: p.relative_to(seeds).as_posix())
    assert seed_files(seeds) == expected
    sources, skipped = read_folder(seeds, 1_000_000)
    assert sorted([s.path for s in sources] + [s.path for s in skipped]) == sorted(
        [f"{seeds.as_posix()}/{p.relative_to(seeds).as_posix()}" for p in expected]
        + [f"{seeds.as_posix()}/dangling.txt", f"{seeds.as_posix()}/linked-folder"])
    assert next(s for s in sources if s.path.endswith("b/c/y.txt")).metadata.title == "From the sidecar"
    assert [(s.path.rsplit("/", 1)[-1], s.reason.split(" (")[0].split(";")[0]) for s in skipped] == [
        ("dangling.txt", "dangling symbolic link"), ("linked-folder", "symbolic link to a folder"),
        ("noext", "unsupported file type '(none)'")]
