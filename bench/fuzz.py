"""A long fuzz run over the reading and writing of articles: many builds of fuzzed seeds folders (see
tests/fuzzing.py), each checked as tests/test_fuzz.py checks one (exit 0 or a clean exit 2, valid
brief.json/DOCX/PDF, every primary citation verifies by the README's rule). Prints a table of what it
found. Not a test: `python bench/fuzz.py [--builds 850] [--seed 1]`."""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from tests.fuzzing import check_build, seeds_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builds", type=int, default=850)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    found: collections.Counter[str] = collections.Counter()
    examples: dict[str, dict[bytes, bytes]] = {}
    tally = collections.Counter()
    started = time.perf_counter()

    @seed(args.seed)
    @settings(max_examples=args.builds, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(seeds_folder())
    def one_build(files: dict[bytes, bytes]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            problems = check_build(files, Path(folder))
            tally["builds"] += 1
            tally["articles"] += sum(1 for n in files if not n.endswith((b".meta.yaml", b".meta.yml"))) - 1
            tally["briefs"] += (Path(folder) / "output" / "brief.json").exists() and not problems
        for problem in problems:
            kind = problem.split(":", 1)[0]
            key = problem[:160]
            tally[kind] += 1
            found[key] += 1
            examples.setdefault(key, files)

    one_build()
    seconds = time.perf_counter() - started
    crashes = sum(n for k, n in tally.items() if k.startswith(("crash", "unclean")))
    invalid = sum(n for k, n in tally.items() if k.startswith(("invalid", "citation", "brief.md", "a corroborating")))
    print(f"{tally['builds']} builds, {tally['articles']} fuzzed articles (plus one plain article per build), "
          f"{tally['briefs']} valid briefs, {seconds:.0f} s")
    print(f"{'crashes':<40} {crashes}")
    print(f"{'invalid outputs':<40} {invalid}")
    if found:
        print("\ncount  problem")
        for key, n in found.most_common():
            print(f"{n:5}  {key}")
            print(f"       e.g. {sorted(examples[key])!r}"[:300])


if __name__ == "__main__":
    main()
