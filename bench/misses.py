"""Why does the brief miss the facts it misses? Per themes file of bench/quality.py (not a test).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/misses.py [--config FILE] [--themes-file NAME ...] [--plain] [--second] [--show]

For every themes file that bench/quality.py measures, briefing builds the brief and `briefing explain
--json` lists each theme's runners-up with the verdict selection recorded. Each expected fact the brief
does not state under its theme (its section or a key judgment filed under it) is put down to the best
sentence that states it:
- a runner-up of its own theme: the verdict's kind (over the budget, below the relevance or score floor,
  filed under another theme, the same fact as a chosen item, points back to a sentence that is no
  candidate, not quotable alone; a republication's copy only when no sentence of another source states
  it and went elsewhere: the copy is never a candidate);
- otherwise where such a sentence went: chosen under another theme, a key judgment filed under another
  theme, a runner-up of another theme only, or no candidate of any theme (it shares no keyword and fewer
  than two words with any theme, or is below every theme's `min_relevance`).
The table counts the misses of each kind per themes file: what to work on next, and whether a change
moved misses from one kind to another. A second table says how well the score, and each of its parts,
orders each theme's own candidates, a fact-stating candidate against one stating none (the area under
the ROC curve, average precision, and the facts among the best five): where the analysts' sense of what
matters is carried, and where only noise. Its last rows are the facts stated and the most a perfect ranking
of each theme's own candidates would state (`ceiling_of`): what ranking can win, and what needs other
candidates. --plain: the themes in plain words (keywords and aliases left
out, as bench/quality.py measures them too); --second: the second analyst's facts; --show: every miss
with the start of the sentence it is put down to.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import yaml  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from benchlib import ROOT, BenchError, Built, briefing_command, briefing_env, load_config, log  # noqa: E402
from briefing.build import analyse  # noqa: E402
from briefing.config import load_settings, themes_of, with_overrides  # noqa: E402
from briefing.pipeline.rank import whole_sentence_problem  # noqa: E402
from briefing.progress import Progress  # noqa: E402
from quality import FactList, ThemesFile, in_plain_words, stated, themes_files  # noqa: E402

RUNNERS_UP = 400
REPUBLISHED = "only in a republication"
KINDS = (  # the start of a runner-up's verdict (briefing explain) and the kind of miss it makes
    (r"not in the best fill", "over the budget"),
    (r"relevance [\d.]+ is below", "below the relevance floor"),
    (r"score [\d.]+ is below", "below the score floor"),
    (r"filed under", "filed under another theme"),
    (r"points back", "points back to no candidate"),
    (r"from S\d+, a republication", REPUBLISHED),
    (r"cannot be quoted alone", "not quotable alone"),
    (r"(?:states|reports as an allegation)", "the same fact as a chosen item"),
    (r"not among the \d+ best", "not among the candidates the section is chosen from"),
    (r"its \d+ words alone", "longer than the budget"),
)
ELSEWHERE = ("chosen under another theme", "a key judgment of another theme", "a runner-up of another theme only",
             "no candidate of any theme")


@dataclass(frozen=True)
class Miss:
    theme: str
    fact: str
    kind: str
    sentence: str


def kind_of(verdict: str) -> str:
    for pattern, kind in KINDS:
        if re.match(pattern, verdict):
            return kind
    return verdict.split(":")[0][:60]


def run_briefing(args: list[str], label: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*briefing_command(), *args], capture_output=True, text=True, env=briefing_env())
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise BenchError(f"briefing {args[0]} failed on {label} (exit {done.returncode}): {last}")
    return done


def explained(seeds: Path, themes: Path, config: dict[str, Any], label: str) -> tuple[Built, dict[str, Any]]:
    """The brief (brief.json) and its explanation (`briefing explain --json`) for these themes."""
    with tempfile.TemporaryDirectory(prefix="briefing-misses-") as tmp:
        folder = Path(tmp)
        config_path = folder / "config.yaml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        common = ["--seeds", str(seeds.resolve()), "--themes", str(themes.resolve()), "--config", str(config_path),
                  "--out", str(folder / "out"), "-q"]
        run_briefing(["build", *common, "--format", "json"], label)
        explanation = json.loads(run_briefing(["explain", *common, "--json", "--runners-up", str(RUNNERS_UP)],
                                              label).stdout)
        return Built(json.loads((folder / "out" / "brief.json").read_text(encoding="utf-8"))), explanation


def misses_of(built: Built, explanation: dict[str, Any], facts: FactList) -> list[Miss]:
    out = []
    themes = explanation.get("themes") or []
    for entry in themes:
        theme = entry["theme"]
        under = built.under(theme)
        for name, patterns in facts.facts.get(theme, {}).items():
            if any(stated(patterns, s) for s in under):
                continue
            own = [r for r in entry.get("runners_up") or [] if stated(patterns, r["text"])]
            real = [r for r in own if kind_of(r["reason"]) != REPUBLISHED]
            if real:
                out.append(Miss(theme, name, kind_of(real[0]["reason"]), real[0]["text"]))
                continue
            # A republication's copy is never a candidate, so it says nothing when the original's own
            # sentence went elsewhere: that is the miss (a copy ranked first would hide it).
            chosen = [s for other in themes for s in built.under(other["theme"]) if stated(patterns, s)]
            judged = [j["text"] for j in built.key_judgments if stated(patterns, j["text"])]
            others = [r["text"] for other in themes for r in other.get("runners_up") or []
                      if stated(patterns, r["text"]) and kind_of(r["reason"]) != REPUBLISHED]
            if chosen:
                kind, text = (ELSEWHERE[1] if chosen[0] in judged else ELSEWHERE[0]), chosen[0]
            elif others:
                kind, text = ELSEWHERE[2], others[0]
            elif own:
                kind, text = REPUBLISHED, own[0]["text"]
            else:
                kind, text = ELSEWHERE[3], ""
            out.append(Miss(theme, name, kind, text))
    return out


PARTS = ("score", "relevance", "centrality", "corroboration", "informativeness", "lead", "quality")
"""What `orderings` measures: a candidate's score for its theme and each part of it (briefing explain)."""
NOT_CANDIDATES = ("filed under another theme", REPUBLISHED)
TOP = 5  # `orderings`' precision: among a theme's this many best candidates by a part


@dataclass(frozen=True)
class Ordering:
    """How well one part orders one theme's candidates, stating one of its facts against stating none."""
    auc: float
    """The area under the ROC curve: the chance that a candidate stating a fact stands above one stating none."""
    precision: float
    """Average precision: the same, weighted to the top of the order."""
    top: float
    """The share of the TOP best that state a fact."""
    chance: float
    """The share of all the theme's candidates that do."""


def orderings(explanation: dict[str, Any], facts: FactList) -> dict[str, list[Ordering]]:
    """How well the score and each of its parts order each theme's own candidates (its items and the
    runners-up it ranked, not those filed under another theme), for the themes whose candidates include
    some that state one of its expected facts and some that state none."""
    out: dict[str, list[Ordering]] = {part: [] for part in PARTS}
    for entry in explanation.get("themes") or []:
        expected = list(facts.facts.get(entry["theme"], {}).values())
        rows = [r for r in [*(entry.get("items") or []), *(entry.get("runners_up") or [])]
                if r.get("parts") and kind_of(r.get("reason") or "") not in NOT_CANDIDATES]
        labels = np.array([any(stated(patterns, r["text"]) for patterns in expected) for r in rows])
        if len(set(labels.tolist())) < 2:
            continue
        for part in PARTS:
            values = np.array([r["score"] if part == "score" else r["parts"][part] for r in rows], dtype=float)
            out[part].append(Ordering(float(roc_auc_score(labels, values)),
                                      float(average_precision_score(labels, values)),
                                      top_precision(values, labels, TOP), float(labels.mean())))
    return out


def top_precision(values: np.ndarray, labels: np.ndarray, k: int) -> float:
    """The share of the k highest values whose label is true, ties among them taken in a random order
    (their expected share): a part that gives most candidates 0 is not credited with the order the
    explanation happens to list them in."""
    k = min(k, len(values))
    taken = hits = 0.0
    for value in np.unique(values)[::-1]:
        tied = values == value
        room = min(k - taken, int(tied.sum()))
        hits += room * labels[tied].mean()
        taken += room
        if taken >= k:
            break
    return hits / k


UNCHOOSABLE = (REPUBLISHED, "not quotable alone", "points back to no candidate")
"""Verdicts of sentences no ranking could choose alone: `ceiling_of` leaves them out."""


def ceiling_of(built: Built, explanation: dict[str, Any], facts: FactList) -> tuple[int, int]:
    """The facts the brief states under their own theme, and the most it could state if each theme's
    ranking of its own candidates were perfect: the facts its key judgments state, plus the most facts
    a set of the theme's choosable candidates within its budget states (an exact integer programme:
    one sentence may state two facts). What the second figure leaves out needs other candidates, not
    better ranking."""
    stated_now = ceiling = 0
    for entry in explanation.get("themes") or []:
        theme, budget = entry["theme"], int(entry.get("budget") or 0)
        expected = list(facts.facts.get(theme, {}).values())
        stated_now += sum(1 for patterns in expected if any(stated(patterns, s) for s in built.under(theme)))
        judged = [j["text"] for j in built.key_judgments if j.get("theme") == theme]
        left = [patterns for patterns in expected if not any(stated(patterns, j) for j in judged)]
        ceiling += len(expected) - len(left)
        pool = {i["text"] for i in entry.get("items") or []}
        pool |= {r["text"] for r in entry.get("runners_up") or [] if kind_of(r["reason"]) not in UNCHOOSABLE}
        texts = sorted(t for t in pool if any(stated(patterns, t) for patterns in left))
        ceiling += _most_facts(texts, left, budget)
    return stated_now, ceiling


def _most_facts(texts: list[str], facts: list[list[re.Pattern[str]]], budget: int) -> int:
    """The most of `facts` that some of `texts` within `budget` words state together: maximise the facts
    stated (z_f <= the sum of x_s over the texts that state f) under the budget (sum of words x_s)."""
    if not texts:
        return 0
    n, m = len(texts), len(facts)
    states = np.array([[stated(patterns, t) for t in texts] for patterns in facts], dtype=float)
    words = np.array([len(t.split()) for t in texts], dtype=float)
    budget_row = np.r_[words, np.zeros(m)]
    cover_rows = np.c_[-states, np.eye(m)]
    result = milp(np.r_[np.zeros(n), -np.ones(m)], integrality=np.r_[np.ones(n), np.zeros(m)], bounds=Bounds(0, 1),
                  constraints=LinearConstraint(np.vstack([budget_row, cover_rows]), -np.inf, np.r_[budget, np.zeros(m)]))
    return round(-result.fun) if result.x is not None else 0


def quotable_sentences(seeds: Path, config: dict[str, Any]) -> tuple[list[str], int]:
    """The corpus's sentences that some selection could quote (whole, within the length limits, not a
    republication's copy), as briefing reads the seeds with this config, and its number of key judgments."""
    with tempfile.TemporaryDirectory(prefix="briefing-misses-") as tmp:
        path = Path(tmp) / "config.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        settings = with_overrides(load_settings(path), {"seeds": seeds.resolve()})
    analysis = analyse(settings, themes_of(settings), Progress(quiet=True))
    copied = analysis.facts.copied if analysis.facts is not None else np.zeros(len(analysis.sentences), dtype=bool)
    texts = [text for k, text in enumerate(s.text for s in analysis.sentences)
             if not copied[k] and whole_sentence_problem(text, settings.selection) is None]
    return texts, settings.selection.key_judgments


def best_choice(texts: list[str], facts: FactList, budgets: dict[str, int], judgments: int) -> int:
    """The most facts a brief of these budgets could state under their own themes, choosing freely among
    all of the corpus's quotable sentences (`texts`), not only a theme's candidates: each theme fills its
    budget, and up to `judgments` sentences more (the key judgments, filed under a theme) come on top; a
    sentence is quoted once. An exact integer programme: x (theme, sentence) chosen, k (theme, sentence)
    a key judgment (k <= x, out of the budget), z (theme, fact) stated (z <= the x that state it)."""
    pairs: list[tuple[int, int]] = []  # (theme, sentence): a sentence that states a fact of the theme
    stated_by: list[tuple[int, list[int]]] = []  # (theme, the pairs that state the fact)
    themes = [t for t in budgets if facts.facts.get(t)]
    for t, theme in enumerate(themes):
        expected = list(facts.facts[theme].values())
        states = {i: [f for f, patterns in enumerate(expected) if stated(patterns, text)] for i, text in enumerate(texts)}
        first = len(pairs)
        pairs += [(t, i) for i, found in states.items() if found]
        for f in range(len(expected)):
            stated_by.append((t, [first + k for k, (_, i) in enumerate(pairs[first:]) if f in states[i]]))
    n, m = len(pairs), len(stated_by)
    if not n:
        return 0
    words = np.array([len(texts[i].split()) for _, i in pairs], dtype=float)
    rows, lower, upper = [], [], []

    def add(x: np.ndarray, k: np.ndarray, z: np.ndarray, low: float, high: float) -> None:
        rows.append(np.r_[x, k, z])
        lower.append(low)
        upper.append(high)

    zero_n, zero_m = np.zeros(n), np.zeros(m)
    for t, theme in enumerate(themes):
        mine = np.array([p[0] == t for p in pairs], dtype=float)
        add(mine * words, -mine * words, zero_m, -np.inf, budgets[theme])
    add(zero_n, np.ones(n), zero_m, -np.inf, judgments)
    for k in range(n):
        add(-np.eye(n)[k], np.eye(n)[k], zero_m, -np.inf, 0)
    for i in {i for _, i in pairs}:
        add(np.array([p[1] == i for p in pairs], dtype=float), zero_n, zero_m, -np.inf, 1)
    for f, (_, by) in enumerate(stated_by):
        x = np.zeros(n)
        x[by] = -1.0
        add(x, zero_n, np.eye(m)[f], -np.inf, 0)
    result = milp(np.r_[zero_n, zero_n, -np.ones(m)], integrality=np.r_[np.ones(2 * n), np.zeros(m)],
                  bounds=Bounds(0, 1), constraints=LinearConstraint(np.vstack(rows), lower, upper))
    return round(-result.fun) if result.x is not None else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, help="a briefing config (YAML) to measure with")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--themes-file", nargs="+", metavar="NAME", help="only these themes files (default, economy …)")
    parser.add_argument("--plain", action="store_true", help="the themes in plain words (no keywords or aliases)")
    parser.add_argument("--second", action="store_true", help="the second analyst's facts")
    parser.add_argument("--show", action="store_true", help="print every miss and the sentence it is put down to")
    args = parser.parse_args()
    console = Console(width=160)
    try:
        config = load_config(args.config)
        entries, _ = themes_files()
        if args.themes_file:
            entries = [e for e in entries if e.name in args.themes_file]
            if not entries:
                raise BenchError(f"no themes file named {', '.join(args.themes_file)}")
        if args.second:
            entries = [e for e in entries if e.second is not None]
        results: dict[str, list[Miss]] = {}
        ceilings: dict[str, tuple[int, int]] = {}
        oracle: dict[str, int] = {}
        totals: dict[str, int] = {}
        ordered: dict[str, dict[str, list[Ordering]]] = {}
        texts, judgments = quotable_sentences(args.seeds, config)
        with tempfile.TemporaryDirectory(prefix="briefing-misses-plain-") as tmp, ThreadPoolExecutor(max_workers=4) as pool:
            def one(entry: ThemesFile) -> list[Miss]:
                themes = in_plain_words(entry.themes, Path(tmp)) if args.plain else entry.themes
                log(f"misses: {entry.name}")
                built, explanation = explained(args.seeds, themes, config, entry.name)
                facts = FactList.load(entry.second if args.second else entry.facts)
                ceilings[entry.name] = ceiling_of(built, explanation, facts)
                budgets = {e["theme"]: int(e.get("budget") or 0) for e in explanation.get("themes") or []}
                oracle[entry.name] = best_choice(texts, facts, budgets, judgments)
                totals[entry.name] = sum(len(found) for found in facts.facts.values())
                ordered[entry.name] = orderings(explanation, facts)
                return misses_of(built, explanation, facts)
            for entry, found in zip(entries, pool.map(one, entries)):
                results[entry.name] = found
    except BenchError as error:
        print(f"bench/misses.py: {error}", file=sys.stderr)
        return 1

    kinds = [k for _, k in KINDS] + list(ELSEWHERE)
    counts = {name: Counter(m.kind for m in found) for name, found in results.items()}
    kinds += sorted({k for c in counts.values() for k in c} - set(kinds))
    label = ("second analyst's" if args.second else "first analyst's") + (" facts, themes in plain words" if args.plain
                                                                          else " facts, themes with keywords")
    table = Table(title=f"Facts missed under the right theme, by why ({label})", title_justify="left")
    table.add_column("why", justify="left")
    for name in results:
        table.add_column(name, justify="right")
    table.add_column("total", justify="right")
    for kind in kinds:
        row = [counts[name][kind] for name in results]
        if sum(row):
            table.add_row(kind, *(str(n) if n else "·" for n in row), str(sum(row)))
    table.add_row("[bold]all misses[/bold]", *(str(sum(c.values())) for c in counts.values()),
                  str(sum(sum(c.values()) for c in counts.values())))
    table.add_row("[bold]stated[/bold]", *(str(ceilings[name][0]) for name in results),
                  str(sum(ceilings[name][0] for name in results)))
    table.add_row("[bold]with a perfect ranking[/bold]", *(str(ceilings[name][1]) for name in results),
                  str(sum(ceilings[name][1] for name in results)))
    table.add_row("[bold]with the best choice of any sentence[/bold]", *(str(oracle[name]) for name in results),
                  str(sum(oracle[name] for name in results)))
    table.add_row("[bold]expected[/bold]", *(str(totals[name]) for name in results), str(sum(totals.values())))
    console.print(table)
    console.print("with a perfect ranking: the facts each theme's key judgments state, plus the most facts that some "
                  "of its own choosable candidates state together within its budget; the rest need other "
                  "candidates, not better ranking. With the best choice of any sentence: the most facts any "
                  "choice among all the corpus's quotable sentences states under their themes, each theme within "
                  "its budget and the key judgments on top: what no selection at these budgets can exceed.",
                  soft_wrap=True)
    order = Table(title=f"How well the score and each of its parts order a theme's own candidates ({label}): "
                  "stating one of the theme's facts against stating none, mean over the themes", title_justify="left")
    for column in ("part", "area under the ROC curve", "average precision", f"facts among the {TOP} best"):
        order.add_column(column, justify="left" if column == "part" else "right")
    for part in PARTS:
        among = [o for name in results for o in ordered[name][part]]
        order.add_row(part, *(f"{np.mean([getattr(o, key) for o in among]):.2f}" if among else "–"
                              for key in ("auc", "precision", "top")))
    chance = [o.chance for name in results for o in ordered[name]["score"]]
    order.add_row("chance", "0.50", *(f"{np.mean(chance):.2f}" if chance else "–" for _ in range(2)))
    console.print(order)
    console.print(f"The area under the curve reads the whole order; average precision and the {TOP} best read its "
                  "top, where a section is chosen (ties among the best in a random order). Themes whose candidates all state a fact, or none does, "
                  "are left out.", soft_wrap=True)
    if args.show:
        for name, found in results.items():
            for m in found:
                console.print(f"{name}/{m.theme}/{m.fact}: [yellow]{m.kind}[/yellow] {m.sentence[:110]}", soft_wrap=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
