"""The template's Markdown: escaping keeps source text verbatim; citations are footnotes."""

import re

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


def _corroborated_brief(cited: int, republications: int, uncited: int):
    """The sample brief whose key judgment `cited` more sources state, S1 republished `republications`
    more times, and `uncited` sources nobody cites."""
    from dataclasses import replace

    from briefing.model import Citation, Source

    brief = sample_brief()
    n = len(brief.sources)
    more = [Source(f"S{n + i}", f"seeds/also{i}.txt", "e" * 64, "Text.") for i in range(1, cited + 1)]
    n += cited
    copies = [Source(f"S{n + i}", f"seeds/copy{i}.txt", "f" * 64, "Text.", duplicate_of="S1")
              for i in range(1, republications + 1)]
    n += republications
    unread = [Source(f"S{n + i}", f"seeds/other{i}.txt", "d" * 64, "Text.") for i in range(1, uncited + 1)]
    judgment = brief.key_judgments[0]
    judgment = replace(judgment, citations=judgment.citations + tuple(Citation(s.id, 0, 5) for s in more),
                       support=len(judgment.citations) + cited)
    return replace(brief, sources=brief.sources + tuple(more + copies + unread), key_judgments=(judgment,))


def test_a_footnote_names_the_first_five_sources_and_counts_the_rest():
    brief = _corroborated_brief(cited=40, republications=0, uncited=0)
    md = markdown_of(brief, Templates.default())
    note = next(line for line in md.splitlines() if line.startswith("[^1]:"))
    assert note.count("](#source-") == 5
    assert note.startswith("[^1]: [S1](#source-S1)") and "[S2](#source-S2)" in note
    assert note.endswith("; and 37 other sources stating the same.")  # 42 cited, 5 named
    assert len(brief.to_json()["key_judgments"][0]["citations"]) == 42  # brief.json keeps every citation


def test_at_scale_sources_lists_the_named_sources_and_a_few_republications_and_counts_the_rest():
    brief = _corroborated_brief(cited=40, republications=50, uncited=300)  # S4-S43, S44-S93, S94-S393
    md = markdown_of(brief, Templates.default())
    sources = md.split("## Sources\n", 1)[1]
    listed = [line.split("]", 1)[0][3:] for line in sources.splitlines() if line.startswith("- [")]
    # the sources the notes name (S1, S2, S4-S6), the figure's 15 most cited rows (S1, S2, S4-S16), and
    # three republications of S1 (S3, S44, S45), in brief order
    assert listed == ["S1", "S2", "S3", *(f"S{n}" for n in range(4, 17)), "S44", "S45"]
    assert sources.count("*Republishes S1.*") == 3
    assert ("375 other sources are not listed here: 27 more that state the items above, 48 more "
            "republications of listed sources and 300 read but not cited. `brief.json` lists every "
            "source and every citation.") in sources
    assert len(brief.to_json()["sources"]) == 393


def test_the_coverage_figure_shows_only_listed_sources():
    from briefing.render.figures import coverage_rows
    from briefing.render.markdown import listing

    brief = _corroborated_brief(cited=40, republications=0, uncited=0)
    listed = {s.id for s in listing(brief).sources}
    assert set(coverage_rows(brief.coverage())) <= listed


def test_files_not_used_are_listed_up_to_ten_and_counted_beyond():
    from dataclasses import replace

    from briefing.model import Skipped

    skipped = tuple(Skipped(f"seeds/bad{n}.bin", "binary file, not text") for n in range(25))
    md = markdown_of(replace(sample_brief(), skipped=skipped), Templates.default())
    assert md.count("binary file, not text") == 10
    assert "- … and 15 more; `brief.json` lists every file not used" in md


def test_the_daily_note_quotes_of_each_theme_its_best_item_short_enough_for_one_page():
    from dataclasses import replace

    from briefing.model import Item

    brief = sample_brief()
    long = Item(text=" ".join(["The strike went on."] * 12), score=0.9, citations=brief.sections[0].items[0].citations,
                theme="labour")
    short = brief.sections[0].items[0]
    brief = replace(brief, sections=(replace(brief.sections[0], items=(long, short)), *brief.sections[1:]))
    md = markdown_of(brief, replace(Templates.default(), name="note"))
    assert short.text in md and long.text not in md
    assert "*No sentence in the corpus is clearly about this theme.*" in md  # a theme without items says so


def test_every_internal_link_of_the_note_and_the_brief_has_its_anchor():
    # The note has no Sources list: its footnotes linked "[S1](#source-S1)" to anchors it does not have.
    from dataclasses import replace

    for name in ("brief", "note"):
        md = markdown_of(sample_brief(), replace(Templates.default(), name=name))
        targets = set(re.findall(r"\]\(#([^)]+)\)", md))
        anchors = set(re.findall(r'<a id="([^"]+)"', md)) | set(re.findall(r"\{#([^}]+)\}", md))
        assert targets <= anchors, (name, sorted(targets - anchors))


def test_an_item_disputed_by_many_sources_names_five_and_counts_the_rest():
    from briefing.model import Citation, Item, Source
    from briefing.render.markdown import disputing

    sources = {f"S{i}": Source(f"S{i}", f"{i}.txt", str(i), "") for i in range(1, 9)}
    many = Item("A claim.", 1.0, (Citation("S1", 0, 8),), disputed_by=tuple(Citation(f"S{i}", 0, 8) for i in range(2, 9)))
    one = Item("A claim.", 1.0, (Citation("S1", 0, 8),), disputed_by=(Citation("S2", 0, 8),))
    context = {"sources_by_id": sources}
    assert disputing(context, many) == ("[S2](#source-S2), [S3](#source-S3), [S4](#source-S4), [S5](#source-S5), "
                                        "[S6](#source-S6) and 2 other sources")
    assert disputing(context, one) == "[S2](#source-S2)"
    assert disputing(context, one, described=True) == "**S2** (Untitled)"


@pytest.mark.parametrize("name", ["brief", "note"])
def test_a_brief_asked_for_no_key_judgments_has_no_such_section(name):
    # `key_judgments: 0` ("0: none") gave a "Key judgments" heading over "No sentence in the corpus was
    # strong enough to stand as a key judgment.", blaming the corpus for what the analyst asked for.
    from dataclasses import replace

    brief = replace(sample_brief(), key_judgments=())
    none_asked = markdown_of(replace(brief, stats={**brief.stats, "key_judgments": 0}),
                             replace(Templates.default(), name=name))
    assert "## Key judgments" not in none_asked and "strong enough to stand as a key judgment" not in none_asked
    assert "## Labour unrest" in none_asked or "**Labour unrest.**" in none_asked
    none_found = markdown_of(replace(brief, stats={**brief.stats, "key_judgments": 4}),
                             replace(Templates.default(), name=name))
    assert "## Key judgments" in none_found and "strong enough to stand as a key judgment" in none_found


def test_the_methodology_states_recency_weighting_with_its_floor():
    # It said "a sentence's score halves for every 90 days its source is older", but with the default
    # floor of 0.5 only the part above half halves: 90 days older weighs 0.75, and an old source never
    # less than half (README, Recency).
    from dataclasses import replace

    brief = sample_brief()
    dated = {**brief.stats, "dated_sources": 2, "recency_half_life_days": 90.0}
    md = " ".join(markdown_of(replace(brief, stats={**dated, "recency_floor": 0.5}), Templates.default()).split())
    assert "score halves" not in md
    assert ("Recent sources weigh more: the part of a sentence's score above 50% of it halves for every 90 days its "
            "source is older than the newest dated source, so an old source still counts at least 50% as much.") in md
    md = " ".join(markdown_of(replace(brief, stats={**dated, "recency_floor": 0.0}), Templates.default()).split())
    assert ("Recent sources weigh more: a sentence's score halves for every 90 days its source is older than the "
            "newest dated source.") in md


def test_every_filter_and_value_a_template_sees_is_documented_in_the_readme():
    # An analyst writing a template reads README's Templates section: the shipped templates used the
    # `disputing` filter and `generated_date`, which it never named.
    from pathlib import Path

    import jinja2

    from briefing.render.markdown import markdown_environment, template_context

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Templates"):readme.index("### What the documents contain")]
    filters = set(markdown_environment(Templates.default()).filters) - set(jinja2.Environment().filters)
    for name in sorted(filters | set(template_context(sample_brief()))):
        assert f"`{name}`" in section, name


def test_whats_new_lists_ten_new_and_ten_dropped_items_and_counts_the_rest():
    # After a corpus changed wholesale, What's new listed every new and every dropped item: a hundred
    # lines above the brief, the new ones repeating its sections.
    from dataclasses import replace

    brief = sample_brief()
    changes = {"since": "2022-10-04T06:00:00+00:00", "new_sources": [], "changed_sources": [], "removed_sources": [],
               "new_items": [{"text": f"New finding number {k}.", "source": "S1", "theme": "labour"} for k in range(14)],
               "dropped_items": [{"text": f"Old finding number {k}.", "path": "seeds/old.txt", "theme": "labour"}
                                 for k in range(12)]}
    md = markdown_of(replace(brief, changes=changes), Templates.default())
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert whats_new.count("- New: ") == 10 and "New finding number 9." in whats_new
    assert "New finding number 10." not in whats_new
    assert "… and 4 more new items, in the sections below" in whats_new
    assert whats_new.count("- Dropped: ") == 10 and "… and 2 more dropped items (`brief.json` lists every one)" in whats_new
    assert "14 new item" in whats_new and "12 dropped" in whats_new  # the counts still say how many
