"""The whole product on hand-made messy inputs: Markdown with markup, cp1252, hard wrapping,
a file that is all furniture, a binary file, and a theme the corpus says nothing about."""

import json
import shutil
from pathlib import Path

import pytest

from briefing.cli import main
from tests.verify import all_items, assert_primary_citations_verify, cited_text, collapse

FIXTURE = Path(__file__).parent / "fixtures" / "messy"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("messy")
    shutil.copytree(FIXTURE, work, dirs_exist_ok=True)
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    code = main(["build", "-q", "--themes", "themes.yaml", "--title", "Valmora strike", "--format", "json",
                 "--format", "md"])
    mp.undo()
    assert code == 0
    return work, json.loads((work / "output" / "brief.json").read_text(encoding="utf-8"))


def by_name(brief, name):
    return next(s for s in brief["sources"] if s["path"].endswith(name))


def test_unusable_files_are_listed_with_reasons(built):
    _, brief = built
    reasons = {Path(s["path"]).name: s["reason"] for s in brief["skipped"]}
    assert set(reasons) == {"photo.txt", "furniture.txt"}
    assert "binary" in reasons["photo.txt"]
    assert "no article text" in reasons["furniture.txt"]


def test_every_primary_citation_verifies_including_the_cp1252_file(built):
    work, brief = built
    assert by_name(brief, "farmers.txt")["encoding"] == "cp1252"
    assert_primary_citations_verify(brief, work, work / "output")
    farmers = [i for i in all_items(brief) if i["citations"][0]["source"] == by_name(brief, "farmers.txt")["id"]]
    assert farmers, "the cp1252 article contributed nothing"


def test_metadata_from_front_matter_and_from_the_text(built):
    _, brief = built
    md = by_name(brief, "harbour.md")
    assert (md["title"], md["author"], md["publication"], md["date"]) == (
        "Port strike enters its third week", "Ana Petrova", "Harbour Tribune", "2022-10-03")
    txt = by_name(brief, "farmers.txt")
    assert (txt["title"], txt["author"]) == ("Valmora strike hits grain farmers", "Marat Sadykov")


def test_items_are_prose_not_markup_datelines_or_links(built):
    _, brief = built
    for item in all_items(brief):
        text = item["text"]
        assert not text.startswith(("#", "VALMORA", "-", "!")), text
        assert "](" not in text and "Related" not in text and "Ten years" not in text


def test_a_hard_wrapped_paragraph_is_quoted_whole(built):
    work, brief = built
    analysis = by_name(brief, "analysis.txt")["id"]
    quoted = [i for i in all_items(brief) if i["citations"][0]["source"] == analysis]
    assert quoted
    for item in quoted:
        span = cited_text(brief, item["citations"][0], work)
        assert "\n" in span or len(span) < 70
        assert collapse(span) == item["text"]


def test_themes_with_material_have_items_and_an_empty_theme_says_so(built):
    work, brief = built
    counts = {s["theme"]: len(s["items"]) for s in brief["sections"]}
    assert counts["labour"] >= 1 and counts["trade"] >= 1
    assert counts["weather"] == 0
    md = (work / "output" / "brief.md").read_text(encoding="utf-8")
    weather = md.split("## Weather", 1)[1].split("##", 1)[0]
    assert "No sentence in the corpus is clearly about this theme." in weather
