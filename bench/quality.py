"""How good is the selection? Facts found per theme, side by side with sumy's summarizers (not a test).

    .venv/bin/python bench/quality.py [--seeds seeds]

For each themes file (the defaults, and bench/quality/themes-other.yaml, which selection was never
tuned on) it builds the brief and reports, per theme, how many of the analyst's expected facts
(bench/quality/facts-*.yaml: regular expressions, all of which one sentence must match) appear among
the items filed under that theme: its key judgments and its section. Then sumy's LexRank, TextRank,
LSA, Luhn and SumBasic summarise the same seeds at the same total word budget, once from the raw files
(as a user of sumy would run them) and once from briefing's cleaned article text, sentence-split by
the same Punkt model briefing trains on the corpus (nltk's punkt data cannot be downloaded here).
A summarizer has no themes, so its facts are counted anywhere in its summary: a generous reading.

Columns: facts found; near-duplicate pairs (two chosen sentences sharing at least half of the shorter
one's content-word stems); a fact twice (pairs of chosen sentences that both state one expected fact);
boilerplate sentences (captions, bios, link headlines, comment lines: the facts file's `boilerplate`
patterns).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import TreebankWordTokenizer
from rich.console import Console
from rich.table import Table
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefing import segment
from briefing.build import Progress, analyse
from briefing.config import Settings, load_themes, themes_of
from briefing.nlp import STOP_WORDS, words_of

HERE = Path(__file__).resolve().parent / "quality"
SUMMARIZERS = {"LexRank": LexRankSummarizer, "TextRank": TextRankSummarizer, "LSA": LsaSummarizer,
               "Luhn": LuhnSummarizer, "SumBasic": SumBasicSummarizer}
NEAR_DUPLICATE_SHARE = 0.5


@dataclass(frozen=True)
class FactList:
    facts: dict[str, dict[str, list[re.Pattern[str]]]]
    boilerplate: list[re.Pattern[str]]

    @classmethod
    def load(cls, path: Path) -> FactList:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        facts = {theme: {name: [re.compile(p, re.I | re.M) for p in patterns] for name, patterns in entries.items()}
                 for theme, entries in data["themes"].items()}
        boilerplate = [re.compile(p, re.I | re.M) for p in data.get("boilerplate") or []]
        return cls(facts, boilerplate)

    def all_facts(self) -> dict[str, list[re.Pattern[str]]]:
        return {f"{t}/{n}": p for t, entries in self.facts.items() for n, p in entries.items()}


def stated(patterns: list[re.Pattern[str]], sentence: str) -> bool:
    return all(p.search(sentence) for p in patterns)


def facts_in(facts: dict[str, list[re.Pattern[str]]], sentences: list[str]) -> set[str]:
    return {name for name, patterns in facts.items() if any(stated(patterns, s) for s in sentences)}


_stemmer = SnowballStemmer("english")


def content(sentence: str) -> set[str]:
    return {_stemmer.stem(w) for w in words_of(sentence) if w not in STOP_WORDS and not w.isdigit()}


def duplicate_pairs(sentences: list[str], facts: dict[str, list[re.Pattern[str]]]) -> list[tuple[str, str, str]]:
    """Pairs of chosen sentences that are near-duplicates, or state the same expected fact, and why."""
    pairs = []
    for a, b in combinations(sentences, 2):
        ca, cb = content(a), content(b)
        shared = len(ca & cb) / max(1, min(len(ca), len(cb)))
        same = [name for name, p in facts.items() if stated(p, a) and stated(p, b)]
        if shared >= NEAR_DUPLICATE_SHARE or same:
            pairs.append((a, b, f"{shared:.0%} shared" + (f"; both state {', '.join(same)}" if same else "")))
    return pairs


def near_duplicates(sentences: list[str]) -> int:
    """Pairs sharing at least half of the shorter sentence's content-word stems."""
    count = 0
    for a, b in combinations(sentences, 2):
        ca, cb = content(a), content(b)
        count += len(ca & cb) / max(1, min(len(ca), len(cb))) >= NEAR_DUPLICATE_SHARE
    return count


def facts_twice(sentences: list[str], facts: dict[str, list[re.Pattern[str]]]) -> int:
    """Pairs of sentences that both state one expected fact: a brief saying one thing twice."""
    return sum(1 for a, b in combinations(sentences, 2) for p in facts.values() if stated(p, a) and stated(p, b))


def boilerplate(sentences: list[str], patterns: list[re.Pattern[str]]) -> int:
    return sum(1 for s in sentences if any(p.search(s) for p in patterns))


def words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


class PunktForSumy(Tokenizer):
    """sumy's tokenizer with briefing's corpus-trained Punkt and a word tokenizer that needs no data."""

    def __init__(self, punkt) -> None:
        self._punkt = punkt
        super().__init__("english")

    def _get_sentence_tokenizer(self, language):
        return self._punkt

    def _get_word_tokenizer(self, language):
        return TreebankWordTokenizer()


def sumy_summary(name: str, text: str, tokenizer: Tokenizer, budget: int) -> list[str]:
    """The longest summary (in sentences) that fits the word budget."""
    document = PlaintextParser.from_string(text, tokenizer).document
    summarizer = SUMMARIZERS[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    # A summarizer's top k sentences grow with k, so the longest fit is found by bisection.
    low, high = 0, len(document.sentences)
    while low < high:
        middle = (low + high + 1) // 2
        if words([str(s) for s in summarizer(document, middle)]) <= budget:
            low = middle
        else:
            high = middle - 1
    return [str(s) for s in summarizer(document, low)] if low else []


@dataclass
class Row:
    name: str
    words: int
    found: int
    total: int
    duplicates: int
    twice: int
    boilerplate: int


def evaluate(seeds: Path, themes_path: Path | None, facts_path: Path, console: Console, show: bool = False) -> None:
    settings = Settings(seeds=seeds, themes=themes_path)
    theme_list = themes_of(settings)
    facts = FactList.load(facts_path)
    missing = [t.id for t in theme_list if t.id not in facts.facts]
    if missing:
        sys.exit(f"{facts_path}: no facts for theme(s) {', '.join(missing)}")
    analysis = analyse(settings, theme_list, Progress(quiet=True))
    brief = analysis.brief
    label = themes_path.name if themes_path else "default themes"

    per_theme = Table(title=f"briefing on {seeds} ({label}): facts found under the right theme")
    for col in ("theme", "items", "words", "facts found", "recall", "missed"):
        per_theme.add_column(col, justify="left" if col in ("theme", "missed") else "right")
    chosen_all: list[str] = []
    found_total = total = budget = 0
    for section in brief.sections:
        items = [i.text for i in brief.key_judgments if i.theme == section.theme] + [i.text for i in section.items]
        chosen_all += items
        expected = facts.facts[section.theme]
        found = facts_in(expected, items)
        found_total += len(found)
        total += len(expected)
        budget += words(items)
        per_theme.add_row(section.theme, str(len(items)), str(words(items)), f"{len(found)}/{len(expected)}",
                          f"{len(found) / len(expected):.0%}", ", ".join(sorted(set(expected) - found)) or "—")
    console.print(per_theme)
    if show:
        for a, b, why in duplicate_pairs(chosen_all, facts.all_facts()):
            console.print(f"[yellow]near-duplicate[/yellow] ({why}):\n  {a}\n  {b}")

    all_facts = facts.all_facts()
    rows = [Row("briefing (under the right theme)", words(chosen_all), found_total, total,
                near_duplicates(chosen_all), facts_twice(chosen_all, all_facts),
                boilerplate(chosen_all, facts.boilerplate))]
    raw_text = "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*.txt")))
    raw_tokenizer = PunktForSumy(segment.train_tokenizer([raw_text]))
    clean_text = "\n\n".join(segment.body_texts(analysis.sources))
    clean_tokenizer = PunktForSumy(segment.train_tokenizer([clean_text]))
    for source_label, text, tokenizer in (("raw files", raw_text, raw_tokenizer),
                                          ("cleaned text", clean_text, clean_tokenizer)):
        for name in SUMMARIZERS:
            summary = sumy_summary(name, text, tokenizer, budget)
            rows.append(Row(f"sumy {name} ({source_label})", words(summary), len(facts_in(all_facts, summary)),
                            total, near_duplicates(summary), facts_twice(summary, all_facts),
                            boilerplate(summary, facts.boilerplate)))

    table = Table(title=f"Side by side at {budget} words ({label})")
    for col in ("summarizer", "words", "facts found", "near-duplicate pairs", "a fact twice", "boilerplate"):
        table.add_column(col, justify="left" if col == "summarizer" else "right")
    for r in rows:
        table.add_row(r.name, str(r.words), f"{r.found}/{r.total}", str(r.duplicates), str(r.twice), str(r.boilerplate))
    console.print(table)
    best = max(rows[1:], key=lambda r: r.found)
    ratio = rows[0].found / best.found if best.found else float("inf")
    console.print(f"briefing finds {ratio:.2f}× the facts of the best baseline ({best.name}, {best.found}).\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--only", choices=["default", "other"], help="run one themes file only")
    parser.add_argument("--show", action="store_true", help="print briefing's near-duplicate pairs")
    args = parser.parse_args()
    console = Console(width=160)
    if args.only in (None, "default"):
        evaluate(args.seeds, None, HERE / "facts-default.yaml", console, args.show)
    if args.only in (None, "other"):
        evaluate(args.seeds, HERE / "themes-other.yaml", HERE / "facts-other.yaml", console, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
