"""What reading web pages costs: the same synthetic articles as plain text and as saved web pages
(not a test). Issue 15's target: 1,000 HTML pages build in less than twice the time of the same
1,000 articles as text, and a nightly rebuild stays cheap whatever the format.

    .venv/bin/python bench/formats.py [--count 1000] [--jobs 2] [--workdir DIR]

The articles are bench/synthetic.py's (made from seeds/); each is written as `.txt` and as a web page
with the usual furniture (navigation, a cookie banner, related links, comments, a footer) and its
metadata in <meta> tags. Each corpus is built with the `briefing` command line in a child process
(JSON only, so rendering does not blur the figure): cold (no cache), then warm (nothing changed),
then with one article more. Prints a table of wall times and the HTML/text ratio.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import briefing_command, briefing_env  # noqa: E402
from synthetic import Generator  # noqa: E402


def as_page(article: str, n: int) -> str:
    """The synthetic article as a saved news page: its headline, byline and paragraphs in <article>,
    what follows "Related" as related links, the closing line in the footer."""
    blocks = [b.strip() for b in article.split("\n\n") if b.strip()]
    related = blocks.index("Related") if "Related" in blocks else len(blocks)
    head, links = blocks[:related], blocks[related + 1:]
    e = html.escape
    byline = next((b for b in head if b.startswith("By ")), "")
    title = next((b for b in head if b != byline and not b.startswith(("Date:", "Published"))), f"Article {n}")
    body = "\n".join(f"<p>{e(b)}</p>" for b in head if b not in (title, byline))
    related_links = "\n".join(f'<li><a href="/story/{k}">{e(b)}</a></li>' for k, b in enumerate(links))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<meta name="author" content="{e(byline[3:])}"><meta property="og:site_name" content="Synthetic News">
<link rel="canonical" href="https://news.example.org/{n}"></head><body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav>
<main><article><h1>{e(title)}</h1><p class="byline">{e(byline)}</p>
{body}
</article><aside class="related"><h2>Related</h2><ul>{related_links}</ul></aside>
<section class="comments"><h2>Comments</h2><div class="comment"><p>reader{n}: Interesting, thanks.</p></div></section>
</main><footer>© Synthetic News · <a href="/privacy">Privacy</a></footer></body></html>
"""


def timed_build(seeds: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run([*briefing_command(), "build", "-q", "--seeds", str(seeds), "--out", str(out), "--format", "json",
                    "--jobs", str(jobs)], check=True, cwd=ROOT, env=briefing_env())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="briefing-formats-"))
    shutil.rmtree(work, ignore_errors=True)
    generator = Generator(ROOT / "seeds")
    rows = {}
    for fmt in ("txt", "html"):
        seeds = work / f"seeds-{fmt}"
        seeds.mkdir(parents=True)
        for n in range(args.count):
            article = generator.article(n)
            if fmt == "txt":
                (seeds / f"{n:06d}.txt").write_text(article, encoding="utf-8")
            else:
                (seeds / f"{n:06d}.html").write_text(as_page(article, n), encoding="utf-8")
        out = work / f"out-{fmt}"
        cold = timed_build(seeds, out, args.jobs)
        warm = timed_build(seeds, out, args.jobs)
        extra = generator.article(args.count)
        if fmt == "txt":
            (seeds / "extra.txt").write_text(extra, encoding="utf-8")
        else:
            (seeds / "extra.html").write_text(as_page(extra, args.count), encoding="utf-8")
        plus_one = timed_build(seeds, out, args.jobs)
        rows[fmt] = (cold, warm, plus_one)
    print(f"{args.count:,} articles, --jobs {args.jobs}, JSON only; wall time in seconds\n")
    print(f"{'corpus':8} {'cold':>8} {'warm':>8} {'+1 article':>11}")
    for fmt, (cold, warm, plus_one) in rows.items():
        print(f"{fmt:8} {cold:>8.1f} {warm:>8.1f} {plus_one:>11.1f}")
    ratios = [h / t for h, t in zip(rows["html"], rows["txt"])]
    print(f"{'html/txt':8} {ratios[0]:>7.2f}x {ratios[1]:>7.2f}x {ratios[2]:>10.2f}x")
    print(f"\ntarget (issue 15): cold HTML build under 2x text: {'met' if ratios[0] < 2 else 'NOT met'}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
