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


def test_every_item_is_cited_with_footnotes_to_its_sources():
    md = markdown_of(sample_brief(), Templates.default())
    assert "halting 40% of the country's exports.[^S1][^S2]" in md
    assert ("[^S1]: S1: *Port strike enters its third week*, Harbour Tribune, Ana Petrova, 2022-10-03. "
            "File `seeds/harbour.txt`.") in md


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
