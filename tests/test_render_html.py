"""The HTML page: valid, self-contained, the same contents as the other formats, each citation's passage
cut from its source, and no value from a source or a themes file able to become markup or script."""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import html5lib
import pytest

from briefing import cli
from briefing.model import Citation, Item, Metadata, Section, Source
from briefing.render import figures
from briefing.render import html as html_writer
from briefing.render.markdown import Rendered, document_tree, markdown_of, plain_text_of
from briefing.templates import Templates
from tests.samples import sample_brief
from tests.test_hostile_output import GOOD_URL, HOSTILE_URLS, INJECTED, SCRIPT, hostile_brief


def parse(page: str):
    """The page's tree; html5lib in strict mode raises on any parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def passages(tree) -> dict:
    block = tree.find(".//script[@id='briefing-passages']")
    assert block.get("type") == "application/json"
    return json.loads(block.text)


@pytest.fixture(scope="module")
def sample():
    brief = sample_brief()
    page = html_writer.page(Rendered(brief, Templates.default()))
    return brief, page, parse(page)


def test_the_page_is_valid_html_with_unique_ids_and_every_internal_link_resolves(sample):
    _, page, tree = sample
    assert page.startswith("<!DOCTYPE html>")
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for a in tree.iter("a"):
        href = a.get("href")
        assert href.startswith(("#", "https://", "http://")), href
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_the_page_needs_no_network(sample):
    _, page, tree = sample
    assert tree.find(".//link") is None
    assert all(s.get("src") is None for s in tree.iter("script"))
    assert all(img.get("src").startswith("data:image/png;base64,") for img in tree.iter("img"))
    assert "url(" not in tree.find(".//style").text and "@import" not in page


def test_the_page_has_the_contents_of_the_template_in_order_with_a_table_of_contents(sample):
    brief, _, tree = sample
    markdown = document_tree(markdown_of(brief, Templates.default()))
    headings = [plain_text_of(n) for n in markdown.children if n.type == "heading"]
    main = tree.find(".//main")
    shown = [text_of(h) for h in main.iter() if h.tag in ("h1", "h2") and h.get("id") not in ("toc-title", "notes-title")]
    assert shown == headings
    toc = tree.find(".//nav")
    assert [text_of(a) for a in toc.iter("a")] == headings[1:]
    body = text_of(main)
    for item in brief.items():
        assert " ".join(item.text.split()) in body
    assert [text_of(c) for c in main.iter("cite")][:2] == ["Port strike enters its third week",
                                                           "Exports slump as the Valmora strike drags on"]


def test_the_coverage_figure_is_inline_with_its_caption(sample):
    brief, _, tree = sample
    figure = tree.find(".//figure")
    src = figure.find("img").get("src")
    assert base64.b64decode(src.split(",", 1)[1]) == figures.coverage_png(brief)
    assert text_of(figure.find("figcaption")).startswith("Figure 1. Items citing each source")


def test_the_coverage_figures_alt_text_gives_its_numbers_not_the_caption_again(sample):
    # a screen reader reads the alt text and then the caption: the alt text says what the picture shows
    _, _, tree = sample
    figure = tree.find(".//figure")
    alt = figure.find("img").get("alt")
    assert alt != text_of(figure.find("figcaption"))
    assert "S1 (Harbour Tribune): 1 in Labour unrest, 2 in Economic fallout." in alt
    assert "S2 (Exports slump as the Valmora strike drags on): 3 in Economic fallout." in alt
    assert "S3" not in alt and "Politics" not in alt  # a republication, and a theme no source is cited in


def test_footnotes_are_an_ordered_list_each_with_a_back_link_to_its_mark(sample):
    brief, _, tree = sample
    marks = [a for a in tree.iter("a") if a.get("class") == "cite"]
    assert len(marks) == len(brief.items())
    notes = tree.find(".//section[@class='notes']/ol")
    assert len(notes) == len(marks)
    for n, (mark, note) in enumerate(zip(marks, notes), 1):
        assert mark.get("href") == f"#note-{n}" and note.get("id") == f"note-{n}"
        assert [a.get("href") for a in note.iter("a") if a.get("class") == "backref"] == [f"#{mark.get('id')}"]


def test_each_mark_has_its_items_passages_primary_first_the_cited_span_verbatim(sample):
    brief, _, tree = sample
    data = passages(tree)
    marks = [a for a in tree.iter("a") if a.get("class") == "cite"]
    for mark, item in zip(marks, brief.items()):
        note = data[mark.get("data-note")]
        cited = list(dict.fromkeys(c.source for c in item.citations))
        assert [p["id"] for p in note["passages"]] == cited
        for p in note["passages"]:
            c = next(c for c in item.citations if c.source == p["id"])
            assert p["cited"] == brief.source(c.source).text[c.start:c.end]
    first = data["1"]["passages"][0]
    assert first["url"] == "https://example.org/strike" and first["publication"] == "Harbour Tribune"
    assert first["after"].startswith(" The union said")
    assert first["before"] == "Harbour Tribune\n\nPort strike enters its third week\n\n"  # short paragraphs before it
    assert "S3" not in {p["id"] for note in data.values() for p in note["passages"]}  # never cited


def test_a_note_names_at_most_five_sources_and_counts_the_rest():
    brief = sample_brief()
    text = "A shared sentence. "
    extra = tuple(Source(f"X{k}", f"seeds/x{k}.txt", "d" * 64, text) for k in range(8))
    item = Item(text.strip(), 0.9, tuple(Citation(s.id, 0, len(text) - 1) for s in extra), "labour", 8)
    brief = replace(brief, sources=brief.sources + extra, key_judgments=(item,))
    note = passages(parse(html_writer.page(Rendered(brief, Templates.default()))))["1"]
    assert len(note["passages"]) == 5 and note["more"] == 3


def test_a_passage_is_the_sentence_with_two_sentences_each_side_crossing_into_short_paragraphs():
    text = ("Headline\n\nOne. Two. Three. Four cited here. Five. Six. Seven.\n\n"
            "Alone cited.\n\nNext paragraph. And more. And even more.")
    start = text.index("Four")
    cut = html_writer.passage(text, start, start + len("Four cited here."))
    assert (cut.before, cut.cited, cut.after) == ("… Two. Three. ", "Four cited here.", " Five. Six. …")
    start = text.index("Alone")
    cut = html_writer.passage(text, start, start + len("Alone cited."))
    assert cut.before == "… Six. Seven.\n\n"
    assert cut.after == "\n\nNext paragraph. And more. …"
    start = text.index("Headline")
    cut = html_writer.passage(text, start, start + len("Headline"))
    assert cut.before == "" and cut.after == "\n\nOne. Two. …"


def test_a_passage_of_one_endless_paragraph_is_cut_at_a_word_within_the_limit():
    words = " ".join(f"w{k}" for k in range(2000))
    text = f"{words} The cited sentence. {words}"
    start = text.index("The cited")
    cut = html_writer.passage(text, start, start + len("The cited sentence."))
    assert len(cut.before) <= html_writer.CONTEXT_CHARS + 2 and cut.before.startswith("… w")
    assert len(cut.after) <= html_writer.CONTEXT_CHARS + 2 and cut.after.endswith(" …")
    assert re.fullmatch(r"… (w\d+ )+", cut.before)


def test_the_content_security_policy_allows_exactly_the_pages_own_script_and_style(sample):
    _, page, tree = sample
    policy = tree.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    script = [s for s in tree.iter("script") if s.get("type") is None]
    assert len(script) == 1
    assert f"script-src {html_writer.csp_hash(script[0].text)}" in policy
    assert f"style-src {html_writer.csp_hash(tree.find('.//style').text)}" in policy
    assert "default-src 'none'" in policy and "img-src data:" in policy


# --- escaping ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile():
    brief = hostile_brief()
    page = html_writer.page(Rendered(brief, Templates.default()))
    return brief, page, parse(page)


def test_no_value_becomes_an_element_attribute_or_script(hostile):
    _, page, tree = hostile
    scripts = list(tree.iter("script"))
    assert [s.get("type") for s in scripts] == ["application/json", None]
    assert scripts[1].text == html_writer.asset("brief.js")
    assert not {e.tag for e in tree.iter()} & {"svg", "iframe", "object", "embed", "form", "base", "link"}
    assert [img.get("src")[:22] for img in tree.iter("img")] == ["data:image/png;base64,"]  # the figure
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert not value.strip().lower().startswith(("javascript:", "data:text", "file:")), value
    assert "<script>alert" not in page
    headings = [text_of(h) for h in tree.iter() if h.tag in ("h1", "h2", "h3")]
    assert not any(h.startswith(INJECTED) for h in headings)


def test_hostile_text_is_shown_as_the_same_characters(hostile):
    brief, _, tree = hostile
    title = " ".join(brief.title.split())
    assert text_of(tree.find(".//title")) == title
    assert text_of(tree.find(".//h1")) == title
    assert f"Theme {SCRIPT} # {INJECTED}" in [text_of(h) for h in tree.iter("h2")]
    assert f"Officials said {SCRIPT} and [a link](javascript:alert(1))" in text_of(tree.find(".//main"))


def test_only_http_urls_are_links_on_the_page_and_in_the_passages(hostile):
    brief, _, tree = hostile
    external = [a.get("href") for a in tree.iter("a") if not a.get("href").startswith("#")]
    assert external == [html_writer.web_url(GOOD_URL)] * len(external) and external
    urls = {p["url"] for note in passages(tree).values() for p in note["passages"]}
    assert urls <= {None, html_writer.web_url(GOOD_URL)}
    assert not set(HOSTILE_URLS) & urls


def test_the_passage_data_holds_the_values_as_read_and_cannot_end_its_script_block(hostile):
    brief, page, tree = hostile
    block = re.search(r'<script type="application/json" id="briefing-passages">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = passages(tree)
    titles = {p["title"] for note in data.values() for p in note["passages"]}
    assert {s.metadata.title for s in brief.sources[1:]} <= titles
    cited = {p["cited"] for note in data.values() for p in note["passages"]}
    assert {i.text for i in brief.items()} == cited


def test_a_theme_title_or_description_cannot_become_markup():
    brief = sample_brief()
    evil = '</h2><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    sections = (Section("t", evil, evil, brief.sections[0].items),) + brief.sections[1:]
    brief = replace(brief, sections=sections, sources=(brief.sources[0].with_(
        metadata=Metadata(title=evil, publication=evil, url="javascript:alert(3)")),) + brief.sources[1:])
    tree = parse(html_writer.page(Rendered(brief, Templates.default())))
    assert len([s for s in tree.iter("script")]) == 2
    assert evil in [text_of(h) for h in tree.iter("h2")]
    assert all(not a.get("href").startswith("javascript") for a in tree.iter("a"))


def test_the_daily_note_template_is_a_valid_page_too():
    tree = parse(html_writer.page(Rendered(sample_brief(), Templates(Templates.default().directory, "note"))))
    assert len([a for a in tree.iter("a") if a.get("class") == "cite"]) == len(passages(tree)) > 0


def test_an_analysts_template_may_use_any_markdown_and_its_raw_html_is_shown_as_text(tmp_path):
    (tmp_path / "brief.md.j2").write_text(
        "# {{ brief.title }}\n\n<!-- toc -->\n\n## Table\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n> quoted\n\n"
        "```\ncode <here>\n```\n\n<div onclick=\"alert(1)\">raw <b>html</b></div>\n\n---\n\n"
        "Inline <span onmouseover=alert(1)>html</span> and a [relative link](other.html).\n\n"
        "### Sub {{ brief.key_judgments[0] | cite }}\n\n![missing](nowhere.png)\n\n"
        "{% for note in notes %}[^{{ note.number }}]: note\n{% endfor %}\n", encoding="utf-8")
    page = html_writer.page(Rendered(sample_brief(), Templates(tmp_path)))
    tree = parse(page)
    assert [text_of(a) for a in tree.find(".//nav").iter("a")] == ["Table", "Sub"]
    assert tree.find(".//table/thead/tr/th").get("class") == "align-left"
    assert text_of(tree.find(".//pre")) == "code <here>"
    assert "raw html" in text_of(tree.find(".//main")) and tree.find(".//main//div") is None
    assert not any(name.startswith("on") for e in tree.iter() for name in e.attrib)
    assert "other.html" not in page and "nowhere.png" not in page


def test_a_build_with_a_hostile_themes_file_and_title_writes_a_page_that_shows_them_as_text(tmp_path):
    root = Path(__file__).resolve().parent.parent
    theme_title = '</h2><script>alert("theme")</script><img src=x onerror=alert(1)>'
    (tmp_path / "themes.yaml").write_text(
        "themes:\n"
        f"  - id: evil\n    title: '{theme_title}'\n"
        "    description: '</script><a href=\"javascript:alert(2)\">respect</a>'\n"
        "    keywords: {respect: 3, sovereignty: 3, Rahmon: 2}\n", encoding="utf-8")
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    title = "<script>alert('title')</script>"
    assert cli.main(["build", "-q", "--seeds", str(tmp_path / "seeds"), "--themes", str(tmp_path / "themes.yaml"),
                     "--out", str(tmp_path / "out"), "--title", title, "--format", "html"]) == 0
    tree = parse((tmp_path / "out" / "brief.html").read_text(encoding="utf-8"))
    assert text_of(tree.find(".//h1")) == title
    assert theme_title in [text_of(h) for h in tree.iter("h2")]
    assert [s.get("type") for s in tree.iter("script")] == ["application/json", None]
    assert not any(name.startswith("on") for e in tree.iter() for name in e.attrib)
    assert passages(tree)


def test_a_passage_never_reaches_into_the_page_furniture_the_cleaner_dropped():
    from briefing.model import Span

    text = "First body sentence. Second one.\n\nRelated: Ten things to know\n\nThe cited sentence. After it."
    start = text.index("The cited")
    dropped = (Span(text.index("Related"), text.index("Related") + len("Related: Ten things to know"), "links"),)
    cut = html_writer.passage(text, start, start + len("The cited sentence."), dropped)
    assert cut.before == "First body sentence. Second one.\n\n" and cut.after == " After it."
    cut = html_writer.passage(text, 0, len("First body sentence."), dropped)
    assert cut.after == " Second one.\n\nThe cited sentence. …"
