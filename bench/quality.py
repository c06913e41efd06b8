"""How good is the selection? Expected facts on the seeds per themes file, and ROUGE on MultiLing 2011 (not a test).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/quality.py [--only seeds|multiling] [--config FILE] [--json FILE]
                                      [--seeds DIR] [--themes-file NAME ...] [--multiling DIR] [--show]

Part 1, the seeds. For every themes file (the defaults, templates/themes.yaml with
bench/quality/facts-default.yaml, and every bench/quality/themes-NAME.yaml that has a
bench/quality/facts-NAME.yaml) briefing builds the brief through its command line and the report counts,
per theme, the analyst's expected facts (regular expressions, all of which one sentence must match)
stated under the RIGHT theme: the theme's section and the key judgments filed under it. Against it:
- sumy's LexRank, TextRank, LSA, Luhn and SumBasic at the same total words, from the raw files and from
  briefing's cleaned text (split by a Punkt model trained on the seeds: nltk's punkt data cannot be
  downloaded here); a summariser has no themes, so its facts are counted anywhere: a generous reading;
- a keyword-count baseline: each theme's sentences of the cleaned text, by how many of the theme's
  keywords (a keyword or any of its aliases, stemmed, phrases as consecutive words) they contain, most
  first, then in text order, taken greedily while they fit the theme's budget (what briefing filed under
  the theme, and at least words_per_theme), never a sentence twice; its facts are counted under its theme.
The summary also counts the facts under the right theme when each themes file is written in plain words
(its keywords and aliases left out: a title and a description per theme, as query-focused topics are
posed), and against a second analyst's facts for the same themes (bench/quality/second-analyst/, written
blind from the articles and the themes file alone), with how far the two analysts agree (the share of
one list's facts that the other expects under the same theme: a sentence states one of each). Columns also count near-duplicate pairs (two sentences sharing at least half of the shorter one's
content-word stems), a fact twice (two sentences stating one expected fact) and boilerplate (the facts
file's `boilerplate` patterns). The ceiling column is the most of a theme's facts that any choice of the
cleaned text's sentences could state in the words briefing filed under it (a small exact maximum coverage,
scipy's MILP): how much of the reachable the brief reaches. A targets line checks issue 12: at least 70% of the facts under the right
theme (85% on the default themes), every theme at least half, at least 1.5x the best sumy summariser,
and clearly above the keyword baseline (by at least a tenth of the facts).

Part 2, MultiLing Pilot 2011 (bench/multiling.py; see its docstring).

Progress goes to stderr; the tables to stdout; --json FILE writes every figure for before/after diffs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import yaml  # noqa: E402
from nltk.stem.snowball import SnowballStemmer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: E402

from benchlib import (  # noqa: E402
    ROOT,
    SUMMARIZERS,
    BenchError,
    Built,
    PunktForSumy,
    build_brief,
    call_internal,
    internal,
    load_config,
    log,
    sumy_summary,
    trained_punkt,
    words,
)

HERE = Path(__file__).resolve().parent / "quality"
SECOND = HERE / "second-analyst"
DEFAULT_THEMES = ROOT / "templates" / "themes.yaml"
NEAR_DUPLICATE_SHARE = 0.5
TARGET_SHARE, TARGET_SHARE_DEFAULT, TARGET_WORST, TARGET_RATIO, TARGET_OVER_KEYWORDS = 0.70, 0.85, 0.5, 1.5, 0.10


# --- expected facts -------------------------------------------------------------------------------------

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
_WORD = re.compile(r"[^\W_]+(?:['.\-][^\W_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased words, inner apostrophes, dots and hyphens kept (U.S., ex-Soviet)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def stems(text: str) -> list[str]:
    return [_stemmer.stem(w) for w in tokens(text)]


def content(sentence: str) -> set[str]:
    stop_words = internal("nlp", "STOP_WORDS", "the content words of the near-duplicate column")
    words_of = internal("nlp", "words_of", "the content words of the near-duplicate column")
    return {_stemmer.stem(w) for w in words_of(sentence) if w not in stop_words and not w.isdigit()}


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


# --- themes files ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemesFile:
    name: str
    themes: Path
    facts: Path
    second: Path | None = None
    """Another analyst's expected facts for the same themes (bench/quality/second-analyst/), if any."""


def themes_files() -> tuple[list[ThemesFile], list[str]]:
    """The defaults, then every bench/quality/themes-NAME.yaml with a facts-NAME.yaml (and those without)."""
    def second(name: str) -> Path | None:
        path = SECOND / f"facts-{name}.yaml"
        return path if path.exists() else None

    found = [ThemesFile("default", DEFAULT_THEMES, HERE / "facts-default.yaml", second("default"))]
    lonely = []
    for path in sorted(HERE.glob("themes-*.yaml")):
        name = path.stem.removeprefix("themes-")
        facts = HERE / f"facts-{name}.yaml"
        if facts.exists():
            found.append(ThemesFile(name, path, facts, second(name)))
        else:
            lonely.append(path.name)
    return found, lonely


@dataclass(frozen=True)
class ThemeTerms:
    id: str
    keywords: list[list[tuple[str, ...]]]  # per keyword: its stemmed forms (itself and its aliases)


def theme_terms(path: Path) -> list[ThemeTerms]:
    """Each theme's keywords and aliases, stemmed, read off the themes file (for the keyword baseline)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for theme in data.get("themes") or []:
        aliases = theme.get("aliases") or {}
        keywords = [[tuple(stems(term)), *(tuple(stems(a)) for a in aliases.get(term) or [])]
                    for term in (theme.get("keywords") or {})]
        out.append(ThemeTerms(str(theme["id"]), [[f for f in forms if f] for forms in keywords]))
    return out


def contains(sentence: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(sentence[i:i + n]) == phrase for i in range(len(sentence) - n + 1))


def keyword_baseline(sentences: list[str], terms: list[ThemeTerms], budgets: dict[str, int]) -> dict[str, list[str]]:
    """Each theme's sentences by how many of its keywords they contain, greedily into its budget, none twice."""
    stemmed = [stems(s) for s in sentences]
    used: set[int] = set()
    chosen: dict[str, list[str]] = {}
    for theme in terms:
        counts = [sum(any(contains(st, form) for form in forms) for forms in theme.keywords) for st in stemmed]
        order = sorted((i for i, c in enumerate(counts) if c > 0), key=lambda i: (-counts[i], i))
        picked, total = [], 0
        for i in order:
            size = len(sentences[i].split())
            if i in used or total + size > budgets[theme.id]:
                continue
            picked.append(i)
            used.add(i)
            total += size
        chosen[theme.id] = [sentences[i] for i in picked]
    return chosen


def best_cover(sentences: list[str], expected: dict[str, list[re.Pattern[str]]], budget: int) -> list[str]:
    """The sentences of the seeds that state the most of a theme's facts in `budget` words, and of those
    choices the one in the fewest words: a small exact maximum coverage (which sentences state which
    facts), solved with scipy's MILP. What an analyst who wrote the facts would quote."""
    names = list(expected)
    useful = [s for s in sentences if any(stated(expected[f], s) for f in names)]
    if not useful:
        return []
    states = np.array([[1.0 if stated(expected[f], s) else 0.0 for s in useful] for f in names])
    n, m = len(useful), len(names)
    lengths = np.array([len(s.split()) for s in useful], dtype=float)
    # variables: a sentence is chosen (n), a fact is stated (m); each stated fact needs a chosen sentence that
    # states it; a word costs less than a fact is worth in any budget, so the fewest words break ties
    word_cost = 1.0 / (2.0 * max(1.0, float(budget)))
    result = milp(np.r_[word_cost * lengths, -np.ones(m)], integrality=np.ones(n + m), bounds=Bounds(0, 1),
                  constraints=[LinearConstraint(np.c_[-states, np.eye(m)], -np.inf, 0),
                               LinearConstraint(np.r_[lengths, np.zeros(m)][None, :], 0, budget)])
    if not result.success:
        raise BenchError(f"the ceiling's MILP failed: {result.message}")
    return [useful[i] for i in range(n) if result.x[i] > 0.5]


def ceiling(sentences: list[str], expected: dict[str, list[re.Pattern[str]]], budget: int) -> int:
    """The most of a theme's facts that any choice of the seeds' sentences could state in `budget` words."""
    return len(facts_in(expected, best_cover(sentences, expected, budget)))


# --- the seeds part -------------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    words: int
    found: int
    total: int
    duplicates: int
    twice: int
    boilerplate: int


@dataclass
class FileResult:
    name: str
    themes_file: str
    found: int
    total: int
    share: float
    worst_theme: str
    worst_share: float
    best_sumy: str
    best_sumy_found: int
    ratio_to_best_sumy: float | None
    keyword_found: int
    targets: dict[str, bool]
    ceiling_found: int = 0
    """The most facts any choice of sentences states in each theme's words (the sum of the themes' ceilings)."""
    anywhere: int = 0
    """Facts the brief states under any theme or key judgment (counted as sumy's are)."""
    per_theme: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    plain_found: int = 0
    """Facts under the right theme when the same themes are written in plain words: their keywords and
    aliases left out, each theme a title and a description (as query-focused topics are posed)."""
    second_found: int | None = None
    """The second analyst's facts (bench/quality/second-analyst/) under the right theme, when there are any."""
    second_total: int = 0
    second_plain_found: int = 0
    agreement: dict[str, int] = field(default_factory=dict)
    """How far the two analysts agree: `second_listed`, of the second analyst's facts, those the first
    also expects under the same theme (a sentence states one of each); `first_listed` the other way;
    `first_brief_states_second`, of the second analyst's facts, those stated by the first analyst's own
    brief (per theme, the sentences that state the most of the first's facts in the words briefing
    filed under the theme, see `best_cover`); `second_brief_states_first` the other way."""


@dataclass
class SeedTexts:
    """The seeds as the baselines read them: raw files and briefing's cleaned text, each with its Punkt."""
    raw: str
    raw_tokenizer: PunktForSumy
    clean: str
    clean_tokenizer: PunktForSumy
    clean_sentences: list[str]


def seed_texts(seeds: Path) -> SeedTexts:
    raw = "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*.txt")))
    if not raw.strip():
        raise BenchError(f"{seeds}: no .txt articles to measure on")
    settings_class = internal("config", "Settings", "briefing's cleaned text of the seeds (sumy on cleaned text)")
    themes_of = internal("config", "themes_of", "briefing's cleaned text of the seeds")
    analyse = internal("build", "analyse", "briefing's cleaned text of the seeds")
    progress = internal("build", "Progress", "briefing's cleaned text of the seeds")
    body_texts = internal("pipeline.segment", "body_texts", "briefing's cleaned text of the seeds")
    settings = call_internal("briefing.config.Settings", settings_class, seeds=seeds)
    theme_list = call_internal("briefing.config.themes_of", themes_of, settings)
    analysis = call_internal("briefing.build.analyse", analyse, settings, theme_list, progress(quiet=True))
    clean = "\n\n".join(call_internal("briefing.pipeline.segment.body_texts", body_texts, analysis.sources))
    clean_punkt = trained_punkt([clean])
    sentences = [s for paragraph in clean.split("\n") for s in clean_punkt.tokenize(paragraph) if s.strip()]
    return SeedTexts(raw, PunktForSumy(trained_punkt([raw])), clean, PunktForSumy(clean_punkt), sentences)


def verdict(ok: bool) -> str:
    return "[green]met[/green]" if ok else "[red]NOT met[/red]"


def evaluate(entry: ThemesFile, built: Built, texts: SeedTexts, console: Console, show: bool) -> FileResult:
    facts = FactList.load(entry.facts)
    terms = theme_terms(entry.themes)
    theme_ids = [t.id for t in terms]
    missing = [t for t in theme_ids if t not in facts.facts]
    if missing:
        raise BenchError(f"{entry.facts}: no facts for theme(s) {', '.join(missing)} of {entry.themes.name}")
    label = entry.themes.name if entry.name != "default" else "default themes"
    all_facts = facts.all_facts()
    per_theme_budget = built.words_per_theme or 150

    under = {t: built.under(t) for t in theme_ids}
    budgets = {t: max(per_theme_budget, words(under[t])) for t in theme_ids}
    keyword = keyword_baseline(texts.clean_sentences, terms, budgets)

    per_theme = Table(title=f"briefing on the seeds ({label}): facts found under the right theme", title_justify="left")
    for col in ("theme", "items", "words", "facts found", "share", "ceiling", "keyword baseline", "missed by briefing"):
        per_theme.add_column(col, justify="left" if col in ("theme", "missed by briefing") else "right")
    chosen_all: list[str] = []
    found_total = total = keyword_total = ceiling_total = 0
    theme_rows = []
    for theme in theme_ids:
        items = under[theme]
        chosen_all += items
        expected = facts.facts[theme]
        found = facts_in(expected, items)
        by_keywords = facts_in(expected, keyword[theme])
        best_possible = ceiling(texts.clean_sentences, expected, max(budgets[theme], words(items)))
        ceiling_total += best_possible
        found_total += len(found)
        keyword_total += len(by_keywords)
        total += len(expected)
        share = len(found) / len(expected) if expected else 1.0
        missed = sorted(set(expected) - found)
        theme_rows.append({"theme": theme, "items": len(items), "words": words(items), "found": len(found),
                           "total": len(expected), "share": share, "ceiling": best_possible, "keyword_found": len(by_keywords),
                           "keyword_words": words(keyword[theme]), "missed": missed})
        per_theme.add_row(theme, str(len(items)), str(words(items)), f"{len(found)}/{len(expected)}", f"{share:.0%}",
                          f"{best_possible}/{len(expected)}", f"{len(by_keywords)}/{len(expected)}",
                          ", ".join(missed) or "—")
    console.print(per_theme)
    if show:
        for a, b, why in duplicate_pairs(chosen_all, all_facts):
            console.print(f"[yellow]near-duplicate[/yellow] ({why}):\n  {a}\n  {b}")

    budget = words(chosen_all)
    keyword_all = [s for t in theme_ids for s in keyword[t]]
    rows = [Row("briefing (under the right theme)", budget, found_total, total, near_duplicates(chosen_all),
                facts_twice(chosen_all, all_facts), boilerplate(chosen_all, facts.boilerplate)),
            Row("briefing (anywhere in the brief)", budget, len(facts_in(all_facts, chosen_all)), total,
                near_duplicates(chosen_all), facts_twice(chosen_all, all_facts), boilerplate(chosen_all, facts.boilerplate)),
            Row("keyword count (under its theme)", words(keyword_all), keyword_total, total,
                near_duplicates(keyword_all), facts_twice(keyword_all, all_facts),
                boilerplate(keyword_all, facts.boilerplate))]
    for source_label, text, tokenizer in (("raw files", texts.raw, texts.raw_tokenizer),
                                          ("cleaned text", texts.clean, texts.clean_tokenizer)):
        for name in SUMMARIZERS:
            summary = sumy_summary(name, text, tokenizer, budget)
            rows.append(Row(f"sumy {name} ({source_label})", words(summary), len(facts_in(all_facts, summary)),
                            total, near_duplicates(summary), facts_twice(summary, all_facts),
                            boilerplate(summary, facts.boilerplate)))

    table = Table(title=f"Side by side at {budget} words ({label}); sumy's facts counted anywhere", title_justify="left")
    for col in ("summarizer", "words", "facts found", "near-duplicate pairs", "a fact twice", "boilerplate"):
        table.add_column(col, justify="left" if col == "summarizer" else "right")
    for r in rows:
        table.add_row(r.name, str(r.words), f"{r.found}/{r.total}", str(r.duplicates), str(r.twice), str(r.boilerplate))
    console.print(table)

    share = found_total / total if total else 0.0
    worst = min(theme_rows, key=lambda r: r["share"])
    best = max((r for r in rows if r.name.startswith("sumy")), key=lambda r: r.found)
    ratio = found_total / best.found if best.found else None
    target_share = TARGET_SHARE_DEFAULT if entry.name == "default" else TARGET_SHARE
    over = found_total - keyword_total
    ratio_text = f"{ratio:.2f}×" if ratio is not None else "∞ (sumy found none)"
    checks = [(f"share >= {target_share:.0%}", share >= target_share,
               f"{share:.0%} under the right theme (≥{target_share:.0%})"),
              (f"every theme >= {TARGET_WORST:.0%}", worst["share"] >= TARGET_WORST,
               f"worst theme {worst['share']:.0%} (≥{TARGET_WORST:.0%})"),
              (f">= {TARGET_RATIO}x best sumy", (ratio or 0) >= TARGET_RATIO if ratio is not None else found_total > 0,
               f"{ratio_text} best sumy (≥{TARGET_RATIO}×)"),
              (f"keyword baseline + {TARGET_OVER_KEYWORDS:.0%} of facts", over >= TARGET_OVER_KEYWORDS * total,
               f"{over:+d} facts over keyword baseline (≥+{TARGET_OVER_KEYWORDS * total:.1f})")]
    targets = {key: ok for key, ok, _ in checks}
    console.print(f"[bold]{label}[/bold]: {found_total}/{total} facts under the right theme ({share:.0%}); worst theme "
                  f"{worst['theme']} {worst['share']:.0%}; best sumy: {best.name.removeprefix('sumy ')} "
                  f"{best.found}/{total} (briefing {ratio_text}); keyword baseline {keyword_total}/{total}; ceiling in the same "
                  f"words {ceiling_total}/{total}; anywhere in the brief {rows[1].found}/{total}", soft_wrap=True)
    console.print("targets (issue 12): " + " · ".join(f"{text} {verdict(ok)}" for _, ok, text in checks)
                  + f" → {sum(targets.values())} of {len(checks)} met\n", soft_wrap=True)
    return FileResult(entry.name, str(entry.themes.relative_to(ROOT) if entry.themes.is_relative_to(ROOT) else entry.themes),
                      found_total, total, share, worst["theme"], worst["share"], best.name, best.found, ratio,
                      keyword_total, targets, ceiling_total, rows[1].found, theme_rows, [asdict(r) for r in rows])


def in_plain_words(themes: Path, folder: Path) -> Path:
    """The themes file with every theme's keywords and aliases left out (a title and a description
    each), written into `folder`: how selection does with themes nobody gave keywords."""
    data = yaml.safe_load(themes.read_text(encoding="utf-8")) or {}
    for theme in data.get("themes") or []:
        theme.pop("keywords", None)
        theme.pop("aliases", None)
    plain = folder / f"plain-{themes.name}"
    plain.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return plain


def facts_under_themes(built: Built, facts: Path) -> int:
    return sum(len(facts_in(expected, built.under(theme))) for theme, expected in FactList.load(facts).facts.items())


def listed_by_both(ours: FactList, theirs: FactList, sentences: list[str]) -> int:
    """Of `theirs`'s facts, those that `ours` expects under the same theme too: some sentence of the
    text states both."""
    agreed = 0
    for theme, expected in theirs.facts.items():
        mine = ours.facts.get(theme, {})
        stating = [s for s in sentences if any(stated(p, s) for p in mine.values())]
        agreed += sum(1 for patterns in expected.values() if any(stated(patterns, s) for s in stating))
    return agreed


def with_second_analyst(result: FileResult, entry: ThemesFile, built: Built, plain: Built, sentences: list[str]) -> None:
    """The same briefs scored against the second analyst's facts, and how far the two analysts agree."""
    if entry.second is None:
        return
    first, second = FactList.load(entry.facts), FactList.load(entry.second)
    budgets = {row["theme"]: max(built.words_per_theme or 150, row["words"]) for row in result.per_theme}

    def brief_of(analyst: FactList, scored: FactList) -> int:
        return sum(len(facts_in(scored.facts.get(theme, {}), best_cover(sentences, expected, budgets[theme])))
                   for theme, expected in analyst.facts.items() if theme in budgets)

    result.second_found = facts_under_themes(built, entry.second)
    result.second_total = sum(len(f) for f in second.facts.values())
    result.second_plain_found = facts_under_themes(plain, entry.second)
    result.agreement = {"second_listed": listed_by_both(first, second, sentences), "second_total": result.second_total,
                        "first_listed": listed_by_both(second, first, sentences), "first_total": result.total,
                        "first_brief_states_second": brief_of(first, second),
                        "second_brief_states_first": brief_of(second, first)}


def seeds_part(seeds: Path, config: dict[str, Any], only: list[str] | None, console: Console,
               show: bool) -> list[FileResult]:
    entries, lonely = themes_files()
    for name in lonely:
        log(f"seeds: {name} has no facts-{name.removeprefix('themes-')} file beside it: skipped")
    if only:
        unknown = set(only) - {e.name for e in entries}
        if unknown:
            raise BenchError(f"--themes-file: no themes file named {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(e.name for e in entries)})")
        entries = [e for e in entries if e.name in only]
    log(f"seeds: {len(entries)} themes file(s): {', '.join(e.name for e in entries)}; building briefs")
    with ThreadPoolExecutor(max_workers=2) as pool, tempfile.TemporaryDirectory(prefix="briefing-plain-") as tmp:
        builds = [pool.submit(build_brief, seeds, e.themes, config, f"{seeds} with {e.themes.name}") for e in entries]
        plain = [pool.submit(build_brief, seeds, in_plain_words(e.themes, Path(tmp)), config,
                             f"{seeds} with {e.themes.name} in plain words") for e in entries]
        log("seeds: cleaning the seeds for the baselines")
        texts = seed_texts(seeds)
        results = []
        for entry, future, plain_future in zip(entries, builds, plain):
            built = future.result()
            log(f"seeds: {entry.name}: scoring briefing and the baselines")
            result = evaluate(entry, built, texts, console, show)
            result.plain_found = facts_under_themes(plain_future.result(), entry.facts)
            with_second_analyst(result, entry, built, plain_future.result(), texts.clean_sentences)
            results.append(result)
    summary = Table(title="Seeds: facts under the right theme, per themes file", title_justify="left")
    for col in ("themes file", "facts", "share", "anywhere", "ceiling", "worst theme", "best sumy", "× best sumy",
                "keyword baseline", "in plain words", "second analyst", "analysts agree", "targets met"):
        summary.add_column(col, justify="left" if col in ("themes file", "worst theme", "best sumy") else "right")
    for r in results:
        summary.add_row(r.name, f"{r.found}/{r.total}", f"{r.share:.0%}", f"{r.anywhere}/{r.total}", f"{r.ceiling_found}/{r.total}",
                        f"{r.worst_theme} {r.worst_share:.0%}",
                        f"{r.best_sumy.removeprefix('sumy ')} {r.best_sumy_found}",
                        f"{r.ratio_to_best_sumy:.2f}" if r.ratio_to_best_sumy is not None else "∞",
                        f"{r.keyword_found}/{r.total}", f"{r.plain_found}/{r.total}",
                        f"{r.second_found}/{r.second_total} ({r.second_plain_found})" if r.second_found is not None else "—",
                        f"{r.agreement['second_listed'] / r.second_total:.0%} "
                        f"({r.agreement['first_brief_states_second'] / r.second_total:.0%})"
                        if r.second_found is not None else "—",
                        f"{sum(r.targets.values())}/{len(r.targets)}")
    console.print(summary)
    seconded = [r for r in results if r.second_found is not None]
    if seconded:
        def total(key: str) -> int:
            return sum(getattr(r, key) for r in seconded)

        both = sum(r.agreement["second_listed"] for r in seconded)
        back = sum(r.agreement["first_listed"] for r in seconded)
        console.print(f"second analyst: {len(seconded)} themes file(s) with a second analyst's facts; briefing states "
                      f"{total('found')}/{total('total')} of the first analyst's facts and {total('second_found')}/"
                      f"{total('second_total')} of the second's ({total('second_plain_found')} in plain words); the "
                      f"analysts agree on {both}/{total('second_total')} of the second's facts "
                      f"({both / max(1, total('second_total')):.0%}) and {back}/{total('total')} of the first's "
                      f"({back / max(1, total('total')):.0%}). An analyst's own brief (per theme, the sentences that "
                      f"state the most of their facts in the words briefing filed under it) states "
                      f"{sum(r.agreement['first_brief_states_second'] for r in seconded)}/{total('second_total')} of "
                      f"the other's facts (first → second) and "
                      f"{sum(r.agreement['second_brief_states_first'] for r in seconded)}/{total('total')} (second → "
                      f"first): what a brief can hope to state of the list of an analyst it has never met",
                      soft_wrap=True)
    console.print("in plain words: the same themes without their keywords and aliases (a title and a description "
                  "each), facts under the right theme; second analyst: the same briefs against another analyst's "
                  "facts (in brackets: in plain words); analysts agree: the second analyst's facts the first expects "
                  "under the same theme too (in brackets: that the first analyst's own brief states)", soft_wrap=True)
    return results


# --- main -----------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["seeds", "multiling"], help="run one part only")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="the seed articles (default: seeds/)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="a briefing config passed to every briefing build (MultiLing sets words_per_theme: 250)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument("--themes-file", action="append", metavar="NAME",
                        help="seeds: only this themes file ('default', or NAME of themes-NAME.yaml); repeatable")
    parser.add_argument("--multiling", type=Path, metavar="DIR",
                        help="the MultiLing 2011 folder (default: ../shared/benchmarks/multiling2011 beside the repo)")
    parser.add_argument("--show", action="store_true", help="print briefing's near-duplicate pairs")
    args = parser.parse_args()
    console = Console(width=170, highlight=False)
    report: dict[str, Any] = {"config": str(args.config) if args.config else None}
    try:
        config = load_config(args.config)
        if args.only in (None, "seeds"):
            results = seeds_part(args.seeds, config, args.themes_file, console, args.show)
            report["seeds"] = [asdict(r) for r in results]
        if args.only in (None, "multiling"):
            import multiling
            report["multiling"] = multiling.run(args.multiling or multiling.DEFAULT_DIR, config, console)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
