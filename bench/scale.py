"""How build cost grows with the corpus: cold, warm and +1% rebuilds, peak memory, time per stage
(not a test). At 100 articles, sumy's LexRank on the same text for comparison.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/scale.py [--sizes 100,1000,10000] [--jobs 2] [--timeout 600] [--workdir DIR]

Each build runs the installed `briefing` CLI in a child process (all five formats); its wall time
and peak RSS (wait4) are measured, and its per-stage times read off its stage log lines. A build
that runs past --timeout or over --memory-limit is reported as such, with the stages it finished.
Beside the times, the items and words of the key judgments and of each theme's section of each size's
brief (from its brief.json), so a build that chose nothing (an empty section) shows at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import briefing_env  # noqa: E402
from synthetic import Generator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STAGE_LINE = re.compile(r"^✓ (?P<stage>[^:(]+?)(?:: (?P<note>.*))? \((?P<seconds>\d+\.\d+) s\)$")
SHORT = {"Read seeds": "read", "Clean, infer metadata and split sentences": "per-source",
         "Find repeated facts and republications": "dedupe", "Score and select": "score+select",
         "Write brief.md": "md", "Write brief.json": "json", "Write brief.docx": "docx", "Write brief.pdf": "pdf",
         "Write brief.html": "html"}


@dataclass
class Run:
    seconds: float
    rss_mb: float
    status: str
    stages: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def measured(command: list[str], timeout: float, memory_gb: float, cwd: Path) -> Run:
    """Run a command to completion (or until the timeout), with its wall time and peak RSS."""
    def limits() -> None:
        limit = int(memory_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limits,
                                 env=briefing_env(COLUMNS="300"))
        status = "ok"
        while True:
            pid, code, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                os.kill(child.pid, signal.SIGKILL)
                _, code, usage = os.wait4(child.pid, 0)
                status = f"timeout {timeout:.0f} s"
                break
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(code)
        seconds = time.perf_counter() - started
        err.seek(0)
        log = err.read()
    if status == "ok" and child.returncode != 0:
        last = (log.strip().splitlines() or ["?"])[-1]
        status = "out of memory" if "MemoryError" in log or "Cannot allocate" in log else f"failed: {last[:80]}"
    run = Run(seconds, usage.ru_maxrss / 1024, status)
    for line in log.splitlines():
        m = STAGE_LINE.match(line.strip())
        if m:
            name = SHORT.get(m["stage"], m["stage"])
            run.stages[name] = float(m["seconds"])
            run.notes[name] = m["note"] or ""
    return run


WRITERS = ("md", "json", "docx", "pdf", "html")
IMPORTS = {
    "nltk": "import nltk.tokenize.punkt",
    "briefing": "import briefing.cli, briefing.build, briefing.render.docx, briefing.render.pdf, briefing.render.html",
}
"""What a build must import: nltk (Punkt splits every new article into sentences, and importing any
part of nltk imports all of it, scipy.stats and scikit-learn included), and the whole program."""


def import_seconds(statement: str, repeats: int = 3) -> float:
    """Median wall time of a fresh interpreter that runs `statement` (an import) and exits."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def print_floor(console: Console, run: Run, cold: Run) -> None:
    """The least any build that adds an article can take: Python started with nltk imported (in the
    process that splits the new article), then the brief written in five formats, which cannot start
    before the new article's sentences are known. It leaves out reading, the cache, every corpus-wide
    stage and the program's other imports, so a real build takes longer."""
    nltk, program = import_seconds(IMPORTS["nltk"]), import_seconds(IMPORTS["briefing"])
    writing = sum(run.stages.get(w, 0.0) for w in WRITERS)
    floor = nltk + writing
    console.print(f"least a build that adds an article can take: Python with nltk imported {nltk:.2f} s "
                  f"+ writing the five formats {writing:.2f} s = {floor:.2f} s = {floor / cold.seconds:.1%} of the "
                  f"cold build (importing the whole program takes {program:.2f} s)")


def corpus(generator: Generator, folder: Path, size: int) -> Path:
    """The corpus of `size` articles (made once per work folder; the same every time)."""
    seeds = folder / "seeds"
    marker = folder / f".complete-{size}"
    if not marker.exists():
        shutil.rmtree(seeds, ignore_errors=True)
        generator.write(seeds, 0, size)
        marker.touch()
    for extra in sorted(seeds.glob("*.txt"))[size:]:
        extra.unlink()
    return seeds


@dataclass
class Contents:
    """What a brief holds: its key judgments, and each theme's section items and words."""
    key_judgments: tuple[int, int]
    sections: dict[str, tuple[int, int]]
    words_per_theme: int | None


def brief_contents(path: Path) -> Contents:
    """Items and words of the key judgments and of each theme's section, read from brief.json."""
    brief = json.loads(path.read_text(encoding="utf-8"))

    def counted(items: list[dict]) -> tuple[int, int]:
        return len(items), sum(len(i["text"].split()) for i in items)

    return Contents(counted(brief.get("key_judgments") or []),
                    {s["theme"]: counted(s.get("items") or []) for s in brief.get("sections") or []},
                    (brief.get("stats") or {}).get("words_per_theme"))


def describe(contents: Contents) -> str:
    kj = contents.key_judgments
    parts = [f"key judgments {kj[0]} items/{kj[1]} words"]
    parts += [f"{theme} {items}/{words_}" + (" EMPTY" if not items else "")
              for theme, (items, words_) in contents.sections.items()]
    return " · ".join(parts)


def print_contents(console: Console, contents: dict[int, Contents]) -> None:
    """Items and words per theme of each size's brief (cold build), so an empty section shows at once."""
    themes = list(dict.fromkeys(t for c in contents.values() for t in c.sections))
    budget = next((c.words_per_theme for c in contents.values() if c.words_per_theme), None)
    table = Table(title="what each brief holds (cold build): items / words" +
                  (f", sections of about {budget} words" if budget else ""), title_justify="left")
    for column in ("articles", "key judgments", *themes):
        table.add_column(column, justify="right")
    for size, c in contents.items():
        cells = [f"{c.sections[t][0]} / {c.sections[t][1]}" if t in c.sections else "–" for t in themes]
        cells = [f"[red]{cell} EMPTY[/red]" if cell.startswith("0 /") else cell for cell in cells]
        table.add_row(f"{size:,}", f"{c.key_judgments[0]} / {c.key_judgments[1]}", *cells)
    console.print(table)


def lexrank_command(seeds: Path, sentences: int) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--lexrank", str(seeds), "--summary-sentences", str(sentences)]


def sumy_lexrank(seeds: Path, count: int) -> int:
    """sumy's LexRank over the corpus's text, split by our own Punkt (nltk's data cannot be downloaded)."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from briefing.nlp import words_of
    from briefing.pipeline import segment

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    punkt = segment.train_tokenizer(texts)

    class PunktTokenizer:
        language = "english"

        def to_sentences(self, paragraph: str) -> tuple[str, ...]:
            return tuple(punkt.tokenize(paragraph))

        def to_words(self, sentence: str) -> tuple[str, ...]:
            return tuple(words_of(sentence))

    parser = PlaintextParser.from_string("\n\n".join(texts), PunktTokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    summary = summarizer(parser.document, count)
    print(f"{len(parser.document.sentences)} sentences, {len(summary)} chosen", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--jobs", default="2", help="--jobs for briefing build")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a build is stopped")
    parser.add_argument("--memory-limit", type=float, default=16, help="GB of address space per build (100,000 articles take 10.5 GB)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "briefing-scale")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="articles to draw sentences from")
    parser.add_argument("--lexrank", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--summary-sentences", type=int, default=20, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lexrank:
        return sumy_lexrank(args.lexrank, args.summary_sentences)
    sizes = [int(s) for s in args.sizes.split(",")]
    briefing = shutil.which("briefing", path=str(Path(sys.executable).parent)) or "briefing"
    generator = Generator(args.seeds)
    console = Console(highlight=False, width=200)
    results: dict[int, dict[str, Run]] = {}
    contents: dict[int, Contents] = {}
    for size in sizes:
        folder = args.workdir / str(size)
        seeds = corpus(generator, folder, size)
        out = folder / "out"
        shutil.rmtree(out, ignore_errors=True)
        command = [briefing, "build", "--seeds", str(seeds), "--out", str(out), "--jobs", args.jobs]
        runs: dict[str, Run] = {}
        console.print(f"[bold]{size} articles[/bold] in {seeds}")
        runs["cold"] = measured(command, args.timeout, args.memory_limit, folder)
        console.print(f"  cold  {runs['cold'].seconds:8.2f} s  {runs['cold'].status}")
        if runs["cold"].status == "ok":
            contents[size] = brief_contents(out / "brief.json")
            console.print(f"  brief {describe(contents[size])}")
        if runs["cold"].status == "ok":
            runs["warm"] = measured(command, args.timeout, args.memory_limit, folder)
            console.print(f"  warm  {runs['warm'].seconds:8.2f} s")
            generator.write(seeds, size, max(1, size // 100))
            runs["+1%"] = measured(command, args.timeout, args.memory_limit, folder)
            console.print(f"  +1%   {runs['+1%'].seconds:8.2f} s")
            for extra in sorted(seeds.glob("*.txt"))[size:]:
                extra.unlink()
        if size == 100:
            count = 20
            runs["sumy LexRank"] = measured(lexrank_command(seeds, count), args.timeout, args.memory_limit, folder)
            console.print(f"  sumy  {runs['sumy LexRank'].seconds:8.2f} s  {runs['sumy LexRank'].status}")
        results[size] = runs

    table = Table(title="briefing build: wall time (all five formats) and peak RSS", title_justify="left")
    for column in ("articles", "run", "status", "total s", "peak RSS MB", *dict.fromkeys(SHORT.values())):
        table.add_column(column, justify="right")
    for size, runs in results.items():
        for name, run in runs.items():
            table.add_row(f"{size:,}", name, run.status, f"{run.seconds:.2f}", f"{run.rss_mb:.0f}",
                          *(f"{run.stages[s]:.2f}" if s in run.stages else "–" for s in dict.fromkeys(SHORT.values())))
    console.print(table)
    if contents:
        print_contents(console, contents)
    for size, runs in results.items():
        note = runs["cold"].notes.get("per-source")
        if note:
            console.print(f"{size:,} cold per-source: {note}")
        if "+1%" in runs:
            console.print(f"{size:,} +1% per-source: {runs['+1%'].notes.get('per-source')}; "
                          f"+1% rebuild = {runs['+1%'].seconds / runs['cold'].seconds:.0%} of the cold build")
    largest = max((s for s in sizes if "+1%" in results[s] and results[s]["+1%"].status == "ok"), default=None)
    if largest is not None:
        print_floor(console, results[largest]["+1%"], results[largest]["cold"])
    ok = [s for s in sizes if results[s]["cold"].status == "ok"]
    if len(ok) > 1 and "warm" in results[ok[0]]:
        smallest, largest = ok[0], ok[-1]
        floor = results[smallest]["warm"].seconds
        console.print(f"fixed cost of any build (warm, {smallest:,} articles: start-up, reading, writing five formats) "
                      f"= {floor:.2f} s = {floor / results[largest]['cold'].seconds:.0%} of the {largest:,}-article "
                      f"cold build")
    for small, large in zip(ok, ok[1:]):
        ratio = results[large]["cold"].seconds / results[small]["cold"].seconds
        console.print(f"cold build {small:,} → {large:,} articles: ×{ratio:.1f} the time for ×{large / small:.0f} the articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
