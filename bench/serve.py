"""How soon `briefing serve` shows a saved themes file (not a test): on the seeds and on 10,000 synthetic
articles (bench/synthetic.py, made as bench/scale.py makes them).

    .venv/bin/python bench/serve.py [--sizes seeds,10000] [--saves 3] [--jobs 2] [--no-browser] [--workdir DIR]

For each corpus it starts the installed `briefing serve --port 0` in a child process and times the first
build (from the start to the URL printed; the cache in the work folder is kept between runs, so the
first run at a size is cold and later ones are warm). Then, --saves times, it writes the themes file
with the first theme retitled and times, from the save: the reload endpoint reporting the new build
number (the page is ready to load), and headless Chromium showing the new title in the open page
(the page reloads itself, as for a user). The child's own line per rebuild gives the rebuild time.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import corpus  # noqa: E402

from benchlib import briefing_env  # noqa: E402
from synthetic import Generator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THEMES = ROOT / "templates" / "themes.yaml"
REBUILT = re.compile(r"changed: .* \((?P<seconds>\d+\.\d+) s, build (?P<build>\d+)\)")


def build_number(url: str, known: int) -> int:
    """The build number once it is not `known` (the page's own long poll)."""
    while True:
        with urllib.request.urlopen(f"{url}__reload?build={known}", timeout=60) as answer:
            number = json.load(answer)["build"]
        if number != known:
            return number


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1400,1000",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='briefing-bench-')}"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def shows(driver, title: str) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        return any(h.text == title for h in driver.find_elements("css selector", "main h2"))
    except (StaleElementReferenceException, WebDriverException):
        return False


def measure(size: str, seeds: Path, folder: Path, args: argparse.Namespace, driver, console: Console) -> dict:
    themes = folder / "themes.yaml"
    text = THEMES.read_text(encoding="utf-8")
    first = re.search(r"^    title: (.+)$", text, re.M)[1]
    themes.write_text(text, encoding="utf-8")
    briefing = shutil.which("briefing", path=str(Path(sys.executable).parent)) or "briefing"
    started = time.perf_counter()
    child = subprocess.Popen([briefing, "serve", "--seeds", str(seeds), "--themes", str(themes), "--out",
                              str(folder / "out"), "--port", "0", "--jobs", args.jobs], cwd=folder,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=briefing_env(COLUMNS="300"))
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(child.stderr), daemon=True).start()
    try:
        line = child.stdout.readline()
        first_build = time.perf_counter() - started
        url = re.search(r"http://\S+/", line)[0]
        console.print(f"[bold]{size}[/bold]: first build {first_build:.2f} s, serving {url}")
        if driver is not None:
            driver.get(url)
        known, endpoint, page, rebuild = 1, [], [], []
        for n in range(args.saves):
            title = f"Retitled {n + 1}"
            saved = time.perf_counter()
            themes.write_text(text.replace(f"title: {first}\n", f"title: {title}\n", 1), encoding="utf-8")
            known = build_number(url, known)
            endpoint.append(time.perf_counter() - saved)
            if driver is not None:
                while not shows(driver, title):
                    time.sleep(0.02)
                page.append(time.perf_counter() - saved)
            time.sleep(0.5)  # the child's line for the rebuild
            times = [float(m["seconds"]) for m in map(REBUILT.search, log) if m and int(m["build"]) == known]
            rebuild.extend(times[-1:])
            console.print(f"  save {n + 1}: new build after {endpoint[-1]:.2f} s"
                          + (f", shown in Chromium after {page[-1]:.2f} s" if page else ""))
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=60)
    return {"first": first_build, "rebuild": rebuild, "endpoint": endpoint, "page": page}


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seeds,10000", help="'seeds' and/or numbers of synthetic articles")
    parser.add_argument("--saves", type=int, default=3, help="themes saves timed per corpus")
    parser.add_argument("--jobs", default="2", help="--jobs for briefing serve")
    parser.add_argument("--no-browser", action="store_true", help="time the reload endpoint only")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "briefing-serve-bench")
    args = parser.parse_args()
    console = Console(highlight=False, width=200)
    driver = None if args.no_browser else browser()
    results = {}
    try:
        for size in args.sizes.split(","):
            folder = args.workdir / size
            folder.mkdir(parents=True, exist_ok=True)
            if size == "seeds":
                seeds = folder / "seeds"
                shutil.rmtree(seeds, ignore_errors=True)
                shutil.copytree(ROOT / "seeds", seeds)
            else:
                seeds = corpus(Generator(ROOT / "seeds"), folder, int(size))
            results[size] = measure(size, seeds, folder, args, driver, console)
    finally:
        if driver is not None:
            driver.quit()
    table = Table(title="briefing serve: seconds from saving a themes file to the new brief (median of "
                        f"{args.saves} saves)", title_justify="left")
    for column in ("corpus", "first build", "rebuild (serve's line)", "new build number", "shown in Chromium"):
        table.add_column(column, justify="right")
    for size, r in results.items():
        table.add_row(size if size == "seeds" else f"{int(size):,} articles", f"{r['first']:.2f}",
                      median(r["rebuild"]), median(r["endpoint"]), median(r["page"]))
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
