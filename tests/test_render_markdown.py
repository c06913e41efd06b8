"""The template's Markdown: escaping keeps source text verbatim; citations are footnotes."""

import pytest

from briefing.render.markdown import document_tree, escape, markdown_of
from briefing.templates import Templates
from tests.samples import sample_brief


def plain_text(markdown: str) -> str:
    tree = document_tree(markdown)
    return "".join(node.content for node in tree.walk() if node.type in ("text", "code_inline"))


@pytest.mark.parametrize("text", [
    "Some text with *asterisks*, [brackets] and a back\\slash must stay verbatim.",
    "1. Not a list item, # not a heading, <b>not html</b> & not an &amp; entity.",
    "- Not a bullet: `not code` and _not emphasis_ ~~nor strike~~ | not a table |",
    "+ 2 > 1 and [^S1] is not a footnote, nor ![an](image).",
])
def test_escaped_source_text_reads_back_unchanged(text):
    assert plain_text(escape(text)) == text


def test_every_item_is_cited_with_a_numbered_footnote_naming_its_sources():
    brief = sample_brief()
    md = markdown_of(brief, Templates.default())
    assert "halting 40% of the country's exports.[^1]\n" in md
    assert ("[^1]: [S1](#source-S1): *Port strike enters its third week*, Harbour Tribune, Ana Petrova, "
            "2022-10-03; [S2](#source-S2): *Exports slump as the Valmora strike drags on*.\n") in md
    assert [n for n in range(1, 10) if f"[^{n}]:" in md] == list(range(1, len(brief.items()) + 1))


def test_sources_lists_the_cited_and_their_republications_and_counts_the_rest():
    from dataclasses import replace

    from briefing.model import Source

    brief = sample_brief()
    unread = tuple(Source(f"S{n}", f"seeds/other{n}.txt", "d" * 64, "Text.") for n in range(4, 7))
    md = markdown_of(replace(brief, sources=brief.sources + unread), Templates.default())
    sources = md.split("## Sources\n", 1)[1]
    assert [line[2:13] for line in sources.splitlines() if line.startswith("- [")] == [
        "[S1]{#sourc", "[S2]{#sourc", "[S3]{#sourc"]
    assert "*Republishes S1.*" in sources  # S3 is listed though never cited: it republishes S1
    assert "3 other sources were read but not cited; `brief.json` lists every source." in sources
    assert "other4" not in md


def test_template_decides_headings_in_order():
    md = markdown_of(sample_brief(), Templates.default())
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Key judgments", "## Labour unrest", "## Economic fallout", "## Politics",
                        "## Methodology", "## Sources"]
    assert "No sentence in the corpus is clearly about this theme." in md


def test_an_analyst_template_changes_the_wording(tmp_path):
    (tmp_path / "brief.md.j2").write_text("# {{ brief.title }}\n\n## Bottom line\n"
                                          "{% for i in brief.key_judgments %}- {{ i.text }}{{ i | cite }}\n{% endfor %}")
    md = markdown_of(sample_brief(), Templates(tmp_path))
    assert md.startswith("# Valmora port strike\n\n## Bottom line\n- Dock workers")
