"""What counts as corroboration: the pairs of sentences from two sources close enough in words to state
one fact (TF-IDF cosine at `same_fact_similarity`), and those of them whose claims disagree (a denial,
another figure, the opposite direction: briefing.pipeline.dedupe.Claims), which support nothing and
are named as disputing each other, or of which one reports an allegation that the other states
plainly (neither support nor dispute). On the seeds and on each MultiLing 2011 cluster, prints per
corpus the pairs across sources, those split as disputes and as allegations, and the cross-source
pairs by cosine band (the lower the band, the likelier two sentences that merely share names); with
--show N, the N disputed pairs, the N allegation pairs and the N weakest pairs still counted as
support, to read.

    .venv/bin/python bench/corroboration.py [--show N] [--similarity 0.5]

Asserts nothing: tests/test_dedupe.py checks the claims on hand-made pairs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.build import Progress, read_seeds  # noqa: E402
from briefing.cache import Cache  # noqa: E402
from briefing.config import Settings  # noqa: E402
from briefing.pipeline import dedupe, segment  # noqa: E402
from briefing.similarity import Likeness  # noqa: E402

MULTILING = ROOT.parent / "shared" / "benchmarks" / "multiling2011" / "clusters"
BANDS = (0.5, 0.55, 0.6, 0.7, 0.8, 1.0 + 1e-9)


def corpora(multiling: Path) -> list[Path]:
    found = [ROOT / "seeds"]
    if multiling.is_dir():
        found += sorted(p for p in multiling.iterdir() if p.is_dir())
    return found


def pairs_of(folder: Path, similarity: float) -> tuple[list[tuple[float, str, str, bool, bool]], int]:
    """The corpus's cross-source pairs at the similarity: (cosine, text, text, agree, framed alike), and
    its number of sentences."""
    read = read_seeds(Settings(seeds=folder), Progress(quiet=True), Cache(None), 1)
    sentences = segment.SentenceTable(read.corpus.sources, read.corpus.spans)
    likeness = Likeness.of_features(read.corpus.features)
    pairs = dedupe.exact_pairs(likeness.vectors, similarity)
    pairs = pairs[sentences.source_index[pairs[:, 0]] != sentences.source_index[pairs[:, 1]]] if len(pairs) else pairs
    claims = dedupe.Claims.of_features(sentences.texts, read.corpus.features)
    agree, framed = claims.agreement(pairs), claims.framing(pairs)
    cosine = np.asarray(likeness.vectors[pairs[:, 0]].multiply(likeness.vectors[pairs[:, 1]]).sum(axis=1)).ravel() \
        if len(pairs) else np.zeros(0)
    texts = sentences.texts
    return ([(float(c), texts[int(i)], texts[int(j)], bool(a), bool(f))
             for (i, j), c, a, f in zip(pairs, cosine, agree, framed)], len(sentences))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="disputed pairs and weakest supporting pairs to print")
    parser.add_argument("--similarity", type=float, default=0.5, help="same_fact_similarity (briefing's default 0.5)")
    parser.add_argument("--multiling", type=Path, default=MULTILING, help="folder of MultiLing 2011 clusters")
    args = parser.parse_args()
    console = Console(width=max(Console().width, 100))
    table = Table(title=f"Pairs of sentences from two sources at cosine {args.similarity} and above; disputed: "
                        "their claims disagree; alleged: one reports as an allegation what the other states; "
                        "then the pairs by cosine band", title_justify="left")
    for column in ("corpus", "sentences", "pairs", "disputed", "alleged", *(f"{a:.2f}+" for a in BANDS[:-1])):
        table.add_column(column, justify="left" if column == "corpus" else "right")
    everything: list[tuple[str, float, str, str, bool, bool]] = []
    for folder in corpora(args.multiling):
        found, n = pairs_of(folder, args.similarity)
        everything += [(folder.name, *p) for p in found]
        counts = np.histogram([c for c, *_ in found], bins=BANDS)[0]
        table.add_row(folder.name, f"{n:,}", str(len(found)), str(sum(not a and f for *_, a, f in found)),
                      str(sum(not f for *_, f in found)), *(str(k) for k in counts))
    console.print(table)
    if args.show:
        for title, rows in (("disputed (support for nothing)", [r for r in everything if not r[4] and r[5]]),
                            ("one reports an allegation the other states (neither support nor dispute)",
                             [r for r in everything if not r[5]]),
                            ("weakest pairs still counted as support", sorted(
                                (r for r in everything if r[4]), key=lambda r: r[1]))):
            console.rule(title, align="left")
            for name, cosine, a, b, *_ in rows[: args.show]:
                console.print(f"{cosine:.2f} {name}\n  A: {a[:200]}\n  B: {b[:200]}", highlight=False, markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
