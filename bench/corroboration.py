"""What counts as corroboration: the pairs of sentences from two sources close enough in words to state
one fact (TF-IDF cosine at `same_fact_similarity`); those of them close only in the words that name
who they say is speaking ("Wikinews reporter Diego Grez reports …" and "…, Wikinews' Diego Grez
reported."), which are no pair at all (briefing.pipeline.dedupe.Speakers); those whose claims disagree
(a denial, another figure, the opposite direction: briefing.pipeline.dedupe.Claims), which support
nothing and are named as disputing each other; those that state figures of two things ("won stage 13",
"won stage 15": `Claims.apart`) and those of which one reports an allegation that the other states
plainly (neither support nor dispute). On the seeds and on each MultiLing 2011 cluster,
prints per corpus the pairs across sources, those left out as close only in their speakers, those
split as disputes and as allegations, and the cross-source pairs by cosine band (the lower the band,
the likelier two sentences that merely share names); with --show N, N pairs of each kind and the N
weakest pairs still counted as support, to read.

    .venv/bin/python bench/corroboration.py [--show N] [--similarity 0.5]

Asserts nothing: tests/test_dedupe.py checks the claims on hand-made pairs.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Pair:
    corpus: str
    cosine: float
    a: str
    b: str
    claimed: bool  # close in what they claim, not only in who they say is speaking
    agree: bool
    framed: bool  # both report an allegation, or neither does
    apart: bool = False  # they state figures of two things ("stage 13", "stage 15")

    @property
    def kind(self) -> str:
        if not self.claimed:
            return "speaker"
        if not self.framed:
            return "alleged"
        if self.agree:
            return "support"
        return "apart" if self.apart else "disputed"


def pairs_of(folder: Path, similarity: float) -> tuple[list[Pair], int]:
    """The corpus's cross-source pairs at the similarity, and its number of sentences."""
    read = read_seeds(Settings(seeds=folder), Progress(quiet=True), Cache(None), 1)
    sentences = segment.SentenceTable(read.corpus.sources, read.corpus.spans)
    likeness = Likeness.of_features(read.corpus.features)
    pairs = dedupe.exact_pairs(likeness.vectors, similarity)
    pairs = pairs[sentences.source_index[pairs[:, 0]] != sentences.source_index[pairs[:, 1]]] if len(pairs) else pairs
    claims = dedupe.Claims.of_features(sentences.texts, read.corpus.features, likeness.space)
    agree, framed = claims.agreement(pairs), claims.framing(pairs)
    claimed = claims.claimed_alike(pairs, similarity)
    apart = [not a and claims.apart(int(i), int(j)) for (i, j), a in zip(pairs, agree)]
    cosine = np.asarray(likeness.vectors[pairs[:, 0]].multiply(likeness.vectors[pairs[:, 1]]).sum(axis=1)).ravel() \
        if len(pairs) else np.zeros(0)
    texts = sentences.texts
    return ([Pair(folder.name, float(c), texts[int(i)], texts[int(j)], bool(m), bool(a), bool(f), d)
             for (i, j), c, m, a, f, d in zip(pairs, cosine, claimed, agree, framed, apart)], len(sentences))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="disputed pairs and weakest supporting pairs to print")
    parser.add_argument("--similarity", type=float, default=0.5, help="same_fact_similarity (briefing's default 0.5)")
    parser.add_argument("--multiling", type=Path, default=MULTILING, help="folder of MultiLing 2011 clusters")
    args = parser.parse_args()
    console = Console(width=max(Console().width, 100))
    table = Table(title=f"Pairs of sentences from two sources at cosine {args.similarity} and above; speaker only: "
                        "close only in the words naming who speaks (no pair); disputed: their claims disagree; "
                        "apart: figures of two things (\"stage 13\", \"stage 15\"), neither support nor dispute; "
                        "alleged: one reports as an allegation what the other states; then the pairs by cosine band",
                  title_justify="left")
    for column in ("corpus", "sentences", "pairs", "speaker only", "disputed", "apart", "alleged",
                   *(f"{a:.2f}+" for a in BANDS[:-1])):
        table.add_column(column, justify="left" if column == "corpus" else "right")
    everything: list[Pair] = []
    for folder in corpora(args.multiling):
        found, n = pairs_of(folder, args.similarity)
        everything += found
        counts = np.histogram([p.cosine for p in found], bins=BANDS)[0]
        kinds = Counter(p.kind for p in found)
        table.add_row(folder.name, f"{n:,}", str(len(found)), str(kinds["speaker"]), str(kinds["disputed"]),
                      str(kinds["apart"]), str(kinds["alleged"]), *(str(k) for k in counts))
    console.print(table)
    if args.show:
        for title, kind in (("close only in who they say is speaking (no pair)", "speaker"),
                            ("disputed (support for nothing)", "disputed"),
                            ("figures of two things (neither support nor dispute)", "apart"),
                            ("one reports an allegation the other states (neither support nor dispute)", "alleged"),
                            ("weakest pairs still counted as support", "support")):
            console.rule(title, align="left")
            for p in sorted((p for p in everything if p.kind == kind), key=lambda p: p.cosine)[: args.show]:
                console.print(f"{p.cosine:.2f} {p.corpus}\n  A: {p.a[:200]}\n  B: {p.b[:200]}", highlight=False,
                              markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
