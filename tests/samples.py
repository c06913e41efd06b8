"""Hand-made model objects for tests that need a Brief without running the pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.model import Brief, Citation, Item, Metadata, Section, Skipped, Source

if TYPE_CHECKING:
    from briefing.pipeline.segment import SentenceTable

TEXT_A = (
    "Harbour Tribune\n\nPort strike enters its third week\n\n"
    "Dock workers in Valmora extended their strike on Monday, halting 40% of the country's exports. "
    "The union said talks with the port authority had “collapsed entirely” — a claim the authority denies. "
    "Shipping lines have begun rerouting vessels to Serrat, 200 km to the south.\n"
)
TEXT_B = (
    "Exports slump as the Valmora strike drags on\n\n"
    "The strike at Valmora has cut the country's exports by around 40%, officials said. "
    "Economists at the central bank warned that growth could fall below 1% this year. "
    "Some text with *asterisks*, [brackets] and a back\\slash must stay verbatim.\n"
)


def sentence_table(texts: dict[str, list[str]]) -> tuple[list[Source], SentenceTable]:
    """Sources made of the given sentences (id -> its sentences, in order), and their sentences as
    the build's stages take them."""
    from briefing.pipeline.segment import SentenceTable  # not at the top: the writers' tests check what they import

    sources, spans = [], []
    for sid, sentences in texts.items():
        text, spanned = "", []
        for sentence in sentences:
            spanned.append((len(text), len(text) + len(sentence)))
            text += sentence + " "
        sources.append(Source(sid, f"{sid}.txt", "0", text))
        spans.append(spanned)
    return sources, SentenceTable(sources, spans)


def _span(source: Source, sentence: str) -> Citation:
    start = source.text.index(sentence)
    return Citation(source.id, start, start + len(sentence))


def sample_brief() -> Brief:
    a = Source(
        id="S1", path="seeds/harbour.txt", sha256="a" * 64, text=TEXT_A,
        metadata=Metadata(title="Port strike enters its third week", publication="Harbour Tribune",
                          author="Ana Petrova", date="2022-10-03", url="https://example.org/strike"),
    )
    b = Source(
        id="S2", path="seeds/exports.md", sha256="b" * 64, text=TEXT_B,
        metadata=Metadata(title="Exports slump as the Valmora strike drags on", publication=None,
                          author=None, date=None),
    )
    c = Source(id="S3", path="seeds/copy.txt", sha256="c" * 64, text=TEXT_A, duplicate_of="S1")

    def item(source: Source, sentence: str, score: float, theme: str | None, *more: tuple[Source, str]) -> Item:
        cites = (_span(source, sentence),) + tuple(_span(s, t) for s, t in more)
        return Item(text=sentence, score=score, citations=cites, theme=theme, support=len(cites))

    s_exports = "Dock workers in Valmora extended their strike on Monday, halting 40% of the country's exports."
    s_exports_b = "The strike at Valmora has cut the country's exports by around 40%, officials said."
    s_talks = "The union said talks with the port authority had “collapsed entirely” — a claim the authority denies."
    s_reroute = "Shipping lines have begun rerouting vessels to Serrat, 200 km to the south."
    s_growth = "Economists at the central bank warned that growth could fall below 1% this year."
    s_markup = "Some text with *asterisks*, [brackets] and a back\\slash must stay verbatim."
    return Brief(
        title="Valmora port strike",
        generated_at="2022-10-05T06:00:00+00:00",
        sources=(a, b, c),
        key_judgments=(item(a, s_exports, 0.91, "economy", (b, s_exports_b)),),
        sections=(
            Section("labour", "Labour unrest", "Strikes and unions.", (item(a, s_talks, 0.72, "labour"),)),
            Section("economy", "Economic fallout", "Trade and growth.",
                    (item(b, s_growth, 0.64, "economy"), item(a, s_reroute, 0.5, "economy"),
                     item(b, s_markup, 0.3, "economy"))),
            Section("politics", "Politics", "Government response.", ()),
        ),
        skipped=(Skipped("seeds/photo.txt", "binary file, not text"),),
        stats={"sources": 3, "independent_sources": 2, "sentences": 6, "duplicates": 1,
               "dropped_blocks": 2, "themes": 3},
    )
