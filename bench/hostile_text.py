"""Times what hostile text costs the writers: a 20,000-character title, and a 10,000-character "word"
in every sentence, written as PDF (and DOCX, Markdown), and a whole build of the seeds with such words.

    .venv/bin/python bench/hostile_text.py

Prints seconds per case; asserts nothing (tests/test_hostile_output.py checks the outputs are right).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import cli  # noqa: E402
from briefing.render import docx, markdown, pdf  # noqa: E402
from briefing.render.markdown import Rendered  # noqa: E402
from briefing.templates import Templates  # noqa: E402
from tests.test_hostile_output import glyph_brief  # noqa: E402


def timed(label: str, run) -> None:
    started = time.perf_counter()
    try:
        result = run()
        outcome = "" if result in (None, 0) else f"  (exit {result})"
    except Exception as exc:  # the figures of the other cases are still worth printing
        outcome = f"  FAILED: {type(exc).__name__}: {str(exc)[:80]}"
    print(f"{label:<58} {time.perf_counter() - started:6.2f} s{outcome}", flush=True)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="briefing-hostile-"))
    try:
        long_title = glyph_brief(title="Sanctions " * 2000)
        long_words = glyph_brief(word="Z" * 10_000)
        for name, module in (("pdf", pdf), ("docx", docx), ("md", markdown)):
            timed(f"brief.{name}: 20,000-character title", lambda: module.write(
                Rendered(long_title, Templates.default()), work / f"title.{name}"))
            timed(f"brief.{name}: 10,000-character words in three items", lambda: module.write(
                Rendered(long_words, Templates.default()), work / f"words.{name}"))
        timed("brief.pdf: CJK title and items (font fallback)", lambda: pdf.write(
            Rendered(replace(glyph_brief(), title="北京宣布新的贸易协定" * 20), Templates.default()), work / "cjk.pdf"))
        seeds = work / "seeds"
        seeds.mkdir()
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            (seeds / path.name).write_text(re.sub(r"(?<=[a-z]) (?=the )", " " + "Q" * 10_000 + " ", text),
                                           encoding="utf-8")
        for label, folder in (("seeds as they are", ROOT / "seeds"), ("a 10,000-character word per sentence", seeds)):
            out = work / f"out-{folder.name}-{label[:3]}"
            timed(f"build, all formats: {label}", lambda: cli.main([
                "build", "--seeds", str(folder), "--themes", str(ROOT / "templates" / "themes.yaml"),
                "--out", str(out), "-q", "--cache", str(work / f"cache-{label[:3]}")]))
            made = (out / "brief.json").read_text(encoding="utf-8")
            items, long_ones = made.count('"text":'), made.count("Q" * 10_000)
            print(f"{'':<58} {items} items; {long_ones} texts with a 10,000-character word", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
