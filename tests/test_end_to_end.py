"""The whole product on the project's seeds: four documents that agree, with checkable citations."""

import itertools
import json
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefing.config import Selection
from briefing.nlp import Lexicon
from briefing.pipeline.rank import whole_sentence_problem
from briefing.similarity import Likeness
from tests.verify import all_items, assert_primary_citations_verify, build_seeds, cited_text, collapse

LEXICON = Lexicon()
THEME_IDS = ["respect-sovereignty", "csto-weakness", "china-role", "western-outreach"]
BOILERPLATE = re.compile(r"comments are closed|more from|does not necessarily reflect|professional writer|"
                         r"columnist|getty images|min read|^source:|^publication:", re.I)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e")
    out = build_seeds(work)
    return work, out, json.loads((out / "brief.json").read_text(encoding="utf-8"))


def test_writes_every_format(built):
    _, out, _ = built
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["brief-coverage.png", "brief.docx", "brief.html", "brief.json", "brief.md", "brief.pdf",
                       "current", "manifest.json"]


def test_json_follows_the_schema(built):
    _, _, brief = built
    assert brief["schema"] == "briefing.brief/1"
    assert brief["generated_at"] == "2022-12-01T00:00:00+00:00"
    assert [s["id"] for s in brief["sources"]] == ["S1", "S2", "S3", "S4", "S5"]
    for s in brief["sources"]:
        assert set(s) >= {"id", "path", "sha256", "title", "publication", "author", "date", "duplicate_of"}
    for item in all_items(brief):
        assert set(item) >= {"text", "score", "citations", "disputed_by"} and isinstance(item["score"], float)
    # the schema says float|null: it was 90 (an int) at the default and 90.0 when a config set it
    assert isinstance(brief["stats"]["recency_half_life_days"], float)
    assert isinstance(brief["stats"]["recency_floor"], float)


def test_every_citation_verifies_against_the_file(built):
    work, _, brief = built
    assert_primary_citations_verify(brief, work)
    for item in all_items(brief):
        for cite in item["citations"][1:]:
            span = cited_text(brief, cite, work)
            shared = set(LEXICON.terms(span)) & set(LEXICON.terms(item["text"]))
            assert cite["source"] != item["citations"][0]["source"]
            assert len(shared) >= 2, (item["text"], span)
            assert "\n\n" not in span


def test_every_theme_has_items_and_there_are_key_judgments(built):
    _, _, brief = built
    assert [s["theme"] for s in brief["sections"]] == THEME_IDS
    assert all(len(s["items"]) >= 2 for s in brief["sections"])
    assert 3 <= len(brief["key_judgments"]) <= 5


def test_every_item_is_a_whole_sentence_and_not_boilerplate(built):
    _, _, brief = built
    for item in all_items(brief):
        assert whole_sentence_problem(item["text"], Selection()) is None, item["text"]
        assert not BOILERPLATE.search(item["text"]), item["text"]


def test_no_two_items_state_the_same_fact(built):
    """By the brief's own test of "the same fact" (README: TF-IDF cosine or shared content), worked out
    among its items alone, whose term weights make any shared word count more than the corpus's do."""
    _, _, brief = built
    texts = [i["text"] for i in all_items(brief)]
    likeness = Likeness.of(texts, Lexicon())
    selection = Selection()
    for a, b in itertools.combinations(range(len(texts)), 2):
        assert likeness.cosine(a, b) < selection.same_fact_similarity, (texts[a], texts[b])
        assert likeness.overlap(a, b) < selection.same_fact_overlap, (texts[a], texts[b])
        # nor is most of one's main clause, its asides left out, in the other ("X, who was furious
        # about …, also canceled the drills" beside a long sentence that says X cancelled them)
        assert likeness.main_repeated([a], [b])[0, 0] < selection.same_fact_overlap, (texts[a], texts[b])


def test_the_paraphrased_republication_is_recognised_and_never_cited(built):
    _, _, brief = built
    by_file = {Path(s["path"]).name[:3]: s for s in brief["sources"]}
    original, copy = by_file["000"], by_file["001"]
    assert copy["duplicate_of"] == original["id"] or original["duplicate_of"] == copy["id"]
    duplicates = {s["id"] for s in brief["sources"] if s["duplicate_of"]}
    assert not any(c["source"] in duplicates for i in all_items(brief) for c in i["citations"])


def test_inferred_metadata_of_the_seeds(built):
    _, _, brief = built
    by_file = {Path(s["path"]).name[:3]: s for s in brief["sources"]}
    assert by_file["004"]["publication"] == "The Washington Post"
    assert by_file["004"]["title"] == "Setbacks in Ukraine war diminish Russia’s clout with regional allies"
    assert by_file["003"]["publication"] == "Eurasia Daily Monitor"
    assert by_file["001"]["author"] == "Clara Ferreira Marques"


def test_markdown_cites_every_item_with_footnotes(built):
    _, out, brief = built
    md = (out / "brief.md").read_text(encoding="utf-8")
    for n, item in enumerate(all_items(brief), start=1):
        assert re.search(rf"\[\^{n}\](?:\n| \*\()", md), n
        note = re.search(rf"^\[\^{n}\]: (.*)$", md, re.M).group(1)
        assert [f"[{c}](#source-{c})" for c in dict.fromkeys(c["source"] for c in item["citations"])] == \
            re.findall(r"\[S\d+\]\(#source-S\d+\)", note)
    for heading in ["Key judgments", *[s["title"] for s in brief["sections"]], "Methodology", "Sources"]:
        assert f"\n## {heading}\n" in md


def test_docx_has_the_sections_items_and_citation_links(built):
    _, out, brief = built
    document = docx.Document(str(out / "brief.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Key judgments", *[s["title"] for s in brief["sections"]], "Methodology", "Sources"]
    body = collapse("\n".join(p.text for p in document.paragraphs))
    for item in all_items(brief):
        assert collapse(item["text"]) in body
    xml = document.element.xml
    anchors = set(re.findall(r'w:anchor="([^"]+)"', xml))
    bookmarks = set(re.findall(r'w:bookmarkStart [^>]*w:name="([^"]+)"', xml))
    assert anchors and anchors <= bookmarks


def test_pdf_has_the_title_sections_and_items(built):
    _, out, brief = built
    reader = PdfReader(str(out / "brief.pdf"))
    text = collapse(" ".join(page.extract_text() for page in reader.pages))
    assert collapse(brief["title"]) in text
    for heading in ["Key judgments", *[s["title"] for s in brief["sections"]], "Methodology", "Sources"]:
        assert heading in text
    for item in all_items(brief):
        assert collapse(item["text"]) in text, item["text"]
    assert 2 <= len(reader.pages) <= 8


def test_key_judgments_show_their_confidence_and_items_their_independent_sources(built):
    _, out, brief = built
    md = (out / "brief.md").read_text(encoding="utf-8")
    for item in brief["key_judgments"]:
        assert item["confidence"] in {"high", "moderate", "low"}
        plural = "s" if item["support"] != 1 else ""
        assert f"({item['confidence']} confidence: {item['support']} independent source{plural})" in md
    corroborated = [i for s in brief["sections"] for i in s["items"] if i["support"] > 1]
    for item in corroborated:
        assert len({c["source"] for c in item["citations"]}) == item["support"]
