"""Does a selection setting help or hurt, on every themes file at once? Facts before and after (not a test).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/sweep.py --try 'selection.length_cost=0.5' [--try 'KEY=VALUE KEY=VALUE' ...]
                                    [--random N [--keys K] [--seed S]]
                                    [--config FILE] [--themes-file NAME ...] [--jobs N] [--json FILE]

For the baseline (the config given, else briefing's defaults) and for each --try (one or more KEY=VALUE
settings on top of it, dotted keys into the config, each value read as YAML: `selection.min_words=9`,
`selection.second_theme_fit=null`, `selection.score_weights.centrality=0.3`; --random N adds N variants
that each move K settings at once by up to 30% from briefing's defaults, best first in the table: a joint
search that one setting at a time cannot make), briefing builds every
themes file that bench/quality.py measures, once with its keywords and once in plain words (keywords and
aliases left out), and counts the expected facts it states under the right theme (the theme's section
and the key judgments filed under it), by the first analyst's list and, where there is one, the second's.

The table gives each variant's four totals (first and second analyst, keywords and plain words), how
many of the per-file counts rose and fell, and how many of the per-theme counts did (a fact moving from one
theme to another of the same file leaves the file's count as it was, and can empty its worst theme);
under it, every count in which a theme moved, with the themes that moved. A variant that raises some counts and lowers others is a trade, not a gain: the themes files are
samples of what analysts write, and the hold-out ones are others. bench/quality.py gives the whole
picture (sumy and keyword baselines, MultiLing) in about two minutes; this gives the facts alone, in
about twenty seconds a variant on two cores, for trying settings before measuring the one worth it.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from benchlib import BenchError, Built, build_brief, load_config, log  # noqa: E402
from briefing.config import Selection  # noqa: E402
from quality import FactList, ThemesFile, facts_in, in_plain_words, themes_files  # noqa: E402

WORDINGS = ("keywords", "plain words")


@dataclass(frozen=True)
class Count:
    """Facts under the right theme in one brief by one analyst's list: in all, and per theme."""
    found: int
    total: int
    per_theme: dict[str, int]


Counts = dict[tuple[str, str, str], Count]
"""(themes file, analyst, wording) → its count."""


def setting(text: str) -> tuple[list[str], Any]:
    """`selection.min_words=9` as (["selection", "min_words"], 9)."""
    key, sep, value = text.partition("=")
    path = [part for part in key.strip().split(".") if part]
    if not sep or not path:
        raise BenchError(f"--try: {text!r} is not KEY=VALUE (a dotted config key, e.g. selection.min_words=9)")
    try:
        return path, yaml.safe_load(value)
    except yaml.YAMLError as error:
        raise BenchError(f"--try: the value of {key} is not YAML: {error}") from None


RANDOM_KEYS = ("length_cost", "keyword_share", "keyword_relevance", "description_weight", "redundancy", "coverage",
               "keyword_coverage", "centrality_bias", "expansion_weight", "ambiguous_factor", "theme_margin",
               "min_relevance_ratio", "min_score_ratio", "keyword_saturation", "typical_words", "second_theme_fit",
               "similar_from", "title_weight", "score_weights.relevance", "score_weights.centrality",
               "score_weights.corroboration", "score_weights.informativeness")
"""The selection settings `random_tries` moves: those that weigh and cut candidates (not the budgets,
the pool sizes that only bound the work, nor the standalone factors)."""
SPREAD = 0.3  # `random_tries` moves a setting by a factor between 1 - SPREAD and 1 + SPREAD


def _bounds(key: str) -> tuple[float, float, bool]:
    """A selection setting's default, its upper bound (the config's own limit, if any) and whether it is a
    whole number."""
    model: Any = Selection
    *parents, name = key.split(".")
    for part in parents:
        model = model.model_fields[part].annotation
    field = model.model_fields[name]
    high = min([float(m.le) for m in field.metadata if hasattr(m, "le")]
               + [float(m.lt) - 1e-3 for m in field.metadata if hasattr(m, "lt")] + [float("inf")])
    return float(field.default), high, field.annotation is int


def random_tries(count: int, keys: int, seed: int) -> list[str]:
    """`count` variants, each `keys` of RANDOM_KEYS moved together from briefing's defaults by a factor
    drawn between 1 - SPREAD and 1 + SPREAD (a default of 0 drawn up to SPREAD): a joint search around
    the defaults, which one setting at a time cannot make. Seeded: the same seed, the same variants."""
    rng = random.Random(seed)
    tries = []
    for _ in range(count):
        parts = []
        for key in sorted(rng.sample(RANDOM_KEYS, min(keys, len(RANDOM_KEYS)))):
            default, high, whole = _bounds(key)
            value = min(high, default * rng.uniform(1 - SPREAD, 1 + SPREAD) if default else rng.uniform(0, SPREAD))
            parts.append(f"selection.{key}={round(value) if whole else round(value, 3)}")
        tries.append(" ".join(parts))
    return tries


def with_settings(config: dict[str, Any], settings: list[tuple[list[str], Any]]) -> dict[str, Any]:
    out = copy.deepcopy(config)
    for path, value in settings:
        node = out
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[path[-1]] = value
    return out


def count(built: Built, facts: Path) -> Count:
    expected = FactList.load(facts).facts
    per_theme = {theme: len(facts_in(patterns, built.under(theme))) for theme, patterns in expected.items()}
    return Count(sum(per_theme.values()), sum(len(p) for p in expected.values()), per_theme)


def measure(seeds: Path, config: dict[str, Any], entries: list[ThemesFile], jobs: int, label: str) -> Counts:
    """Every themes file with its keywords and in plain words, counted by each analyst's facts."""
    log(f"sweep: {label}: {2 * len(entries)} briefs")
    with tempfile.TemporaryDirectory(prefix="briefing-sweep-") as tmp, ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = [(entry, wording, entry.themes if wording == WORDINGS[0] else in_plain_words(entry.themes, Path(tmp)))
                for entry in entries for wording in WORDINGS]
        futures = [pool.submit(build_brief, seeds, themes, config, f"{entry.themes.name} ({wording}, {label})")
                   for entry, wording, themes in runs]
        counts: Counts = {}
        for (entry, wording, _), future in zip(runs, futures):
            built = future.result()
            for analyst, facts in (("first", entry.facts), ("second", entry.second)):
                if facts is not None:
                    counts[(entry.name, analyst, wording)] = count(built, facts)
        return counts


def totals(counts: Counts) -> dict[tuple[str, str], tuple[int, int]]:
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for (_, analyst, wording), c in counts.items():
        found, total = out.get((analyst, wording), (0, 0))
        out[(analyst, wording)] = (found + c.found, total + c.total)
    return out


def theme_moves(before: Counts, after: Counts) -> tuple[int, int]:
    """How many per-theme counts rose and how many fell, over every themes file, analyst and wording."""
    pairs = [(old.per_theme[t], after[key].per_theme.get(t, 0)) for key, old in before.items() for t in old.per_theme]
    return sum(new > old for old, new in pairs), sum(new < old for old, new in pairs)


def moves(before: Counts, after: Counts) -> list[str]:
    """Each count in which a theme moved, its total too or not: `politics, first analyst, keywords: 14 → 13
    (russia-influence 4 → 3)`, `levers, first analyst, keywords: 10 → 10 (hard-power 3 → 4, soft-power 2 → 1)`."""
    lines = []
    for key, old in before.items():
        new = after[key]
        if new.per_theme != old.per_theme:
            themes = ", ".join(f"{theme} {old.per_theme[theme]} → {new.per_theme[theme]}"
                               for theme in old.per_theme if new.per_theme.get(theme) != old.per_theme[theme])
            lines.append(f"{key[0]}, {key[1]} analyst, {key[2]}: {old.found} → {new.found} ({themes})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--try", dest="tries", action="append", default=[], metavar="'KEY=VALUE ...'",
                        help="a variant: settings on top of the config (repeatable)")
    parser.add_argument("--random", type=int, default=0, metavar="N",
                        help="also N variants that each move several selection settings at once (see --keys, --seed)")
    parser.add_argument("--keys", type=int, default=4, metavar="K", help="settings each --random variant moves (default 4)")
    parser.add_argument("--seed", type=int, default=8, help="the --random variants' seed (default 8)")
    parser.add_argument("--config", type=Path, metavar="FILE", help="the baseline config (default: briefing's defaults)")
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parent.parent / "seeds")
    parser.add_argument("--themes-file", nargs="+", metavar="NAME", help="only these themes files (default, economy …)")
    parser.add_argument("--jobs", type=int, default=2, help="briefs built at once (default 2)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every count to FILE as JSON")
    args = parser.parse_args()
    if not args.tries and args.random <= 0:
        parser.error("give a variant: --try 'KEY=VALUE ...' or --random N")
    args.tries += random_tries(args.random, args.keys, args.seed)
    console = Console(width=180)
    try:
        baseline = load_config(args.config)
        variants = [(text, with_settings(baseline, [setting(part) for part in text.split()])) for text in args.tries]
        entries, _ = themes_files()
        if args.themes_file:
            entries = [e for e in entries if e.name in args.themes_file]
            if not entries:
                raise BenchError(f"no themes file named {', '.join(args.themes_file)}")
        before = measure(args.seeds, baseline, entries, max(1, args.jobs), "baseline")
        results = [(text, measure(args.seeds, config, entries, max(1, args.jobs), text)) for text, config in variants]
    except BenchError as error:
        print(f"sweep: {error}", file=sys.stderr)
        return 1
    columns = sorted(totals(before), key=lambda k: (k[0] != "first", k[1] != WORDINGS[0]))
    table = Table(title=f"Facts under the right theme, {len(entries)} themes files ({args.seeds})", title_justify="left")
    table.add_column("variant", overflow="fold", min_width=36)
    for analyst, wording in columns:
        table.add_column(f"{analyst} analyst, {wording}", justify="right")
    for heading in ("counts up", "counts down", "themes up", "themes down"):
        table.add_column(heading, justify="right")
    base_totals = totals(before)
    table.add_row("baseline", *(f"{base_totals[k][0]}/{base_totals[k][1]}" for k in columns), "", "", "", "")
    if args.random:  # many variants: the best first, by the sum of the four totals' changes
        results.sort(key=lambda r: -sum(t[0] for t in totals(r[1]).values()))
    for text, after in results:
        got = totals(after)
        up = sum(after[k].found > c.found for k, c in before.items())
        down = sum(after[k].found < c.found for k, c in before.items())
        themes_up, themes_down = theme_moves(before, after)
        table.add_row(text, *(f"{got[k][0]} ({got[k][0] - base_totals[k][0]:+d})" for k in columns), str(up), str(down),
                      str(themes_up), str(themes_down))
    console.print(table)
    for text, after in results:
        moved = moves(before, after)
        console.print(f"\n{text}: " + ("no count moved" if not moved else f"{len(moved)} counts moved"), soft_wrap=True)
        for line in moved:
            console.print(f"  {line}", soft_wrap=True)
    if args.json:
        def plain(counts: Counts) -> list[dict[str, Any]]:
            return [{"themes_file": f, "analyst": a, "wording": w, "found": c.found, "total": c.total,
                     "per_theme": c.per_theme} for (f, a, w), c in counts.items()]

        args.json.write_text(json.dumps({"baseline": plain(before), "variants": {t: plain(r) for t, r in results}},
                                        indent=1), encoding="utf-8")
        log(f"sweep: counts written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
