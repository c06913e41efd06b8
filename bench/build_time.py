"""Time each stage of a build on a seeds folder and print a table (not a test).

    .venv/bin/python bench/build_time.py [--seeds seeds] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from briefing.build import Progress, analyse
from briefing.config import Settings, themes_of
from briefing.render import FORMATS, writer_for
from briefing.templates import Templates


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(seeds=args.seeds)
    themes, templates = themes_of(settings), Templates.default()
    times: dict[str, list[float]] = {"analyse": [], **{f"write {f}": [] for f in FORMATS}}
    sizes: dict[str, int] = {}
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            analysis, seconds = timed(analyse, settings, themes, Progress(quiet=True))
            times["analyse"].append(seconds)
            for fmt in FORMATS:
                path = Path(tmp) / f"brief.{fmt}"
                _, seconds = timed(writer_for(fmt), analysis.brief, templates, path)
                times[f"write {fmt}"].append(seconds)
                sizes[fmt] = path.stat().st_size
        pages = len(PdfReader(str(Path(tmp) / "brief.pdf")).pages)
    brief = analysis.brief
    print(f"corpus: {args.seeds}  sources: {brief.stats['sources']}  sentences: {brief.stats['sentences']}  "
          f"items: {len(brief.items())}  PDF pages: {pages}  runs: {args.runs}")
    print(f"{'step':<14}{'median s':>10}{'min s':>10}{'output KB':>11}")
    for step, values in times.items():
        size = sizes.get(step.removeprefix("write "), 0)
        print(f"{step:<14}{statistics.median(values):>10.3f}{min(values):>10.3f}"
              f"{(f'{size / 1024:.1f}' if size else ''):>11}")
    total = sum(statistics.median(v) for v in times.values())
    print(f"{'total':<14}{total:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
