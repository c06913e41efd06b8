"""What one small hostile file costs a build: each case is a file made to stall a reader (a PDF page
that inflates to millions of instructions, a Word table of merged rows, a tag of 200,000 attributes,
an e-mail header of encoded words, a text of one 800,000-word sentence …), built beside one real
article in a `briefing build` of its own. Prints the file's size, the build's wall time and peak
memory, and what became of the file (read, read with a warning, or skipped and why).

    .venv/bin/python bench/hostile_files.py [--only NAME] [--timeout SECONDS]

Asserts nothing: tests/test_hostile_input.py checks each fix on a smaller file.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import Run, measured  # noqa: E402

from benchlib import briefing_command  # noqa: E402
from tests.test_hostile_input import _article_page, _pdf_by_hand  # noqa: E402

SENTENCE = "Dock workers in Valmora extended their strike on Monday, halting grain exports, the port authority said. "


def _docx(body: str) -> bytes:
    """A Word file of one document part, built by hand."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>'
        f"<w:p><w:r><w:t>{SENTENCE}</w:t></w:r></w:p>{body}</w:body></w:document>",
    }
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return packed.getvalue()


def _merged_rows(rows: int, columns: int = 20) -> str:
    first = "".join(f'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>c{c}</w:t></w:r></w:p></w:tc>'
                    for c in range(columns))
    later = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" * columns
    grid = "<w:tblGrid>" + '<w:gridCol w:w="400"/>' * columns + "</w:tblGrid>"
    return "<w:tbl>" + grid + f"<w:tr>{first}</w:tr>" + f"<w:tr>{later}</w:tr>" * (rows - 1) + "</w:tbl>"


def _page(body: str) -> str:
    return f"<html><head><title>Port strike</title></head><body><p>{SENTENCE * 3}</p>{body}</body></html>"


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "pdf-million-lines": ("map.pdf", lambda: _pdf_by_hand([_article_page(), b"0 0 m 1 1 l S\n" * 1_000_000])),
    "pdf-million-state-saves": ("saves.pdf", lambda: _pdf_by_hand([_article_page(), b"q Q\n" * 1_000_000])),
    "pdf-form-drawn-a-million-times": ("forms.pdf", lambda: _pdf_by_hand(
        [_article_page(), b"/X0 Do\n"],
        forms=tuple(b"/X%d Do /X%d Do\n" % (k + 1, k + 1) for k in range(19)) + (b"BT /F1 1 Tf (x) Tj ET\n",))),
    "pdf-8000-pages": ("pages.pdf", lambda: _pdf_by_hand(
        [b"BT /F1 11 Tf 72 600 Td (Line %d of the report.) Tj ET\n" % k for k in range(8000)])),
    "docx-500-merged-rows": ("table.docx", lambda: _docx(_merged_rows(500))),
    "html-200000-attributes": ("attributes.html", lambda: _page(
        "<p " + " ".join(f"a{k}='v'" for k in range(200_000)) + ">x</p>").encode()),
    "html-500000-line-breaks": ("breaks.html", lambda: _page("<p>" + "<br>" * 500_000 + "</p>").encode()),
    "html-300000-table-cells": ("cells.html", lambda: _page(
        "<table>" + ("<tr>" + "<td>c</td>" * 100 + "</tr>") * 3000 + "</table>").encode()),
    "eml-200000-encoded-words": ("subject.eml", lambda: (
        "From: a@example.org\nSubject: " + "=?utf-8?q?a?= " * 200_000 + "\nContent-Type: text/plain\n\n"
        + SENTENCE + "\n").encode()),
    "txt-one-800000-word-sentence": ("sentence.txt", lambda: (
        SENTENCE * 3 + " ".join("word" for _ in range(800_000)) + ".").encode()),
    "txt-1500000-tiny-sentences": ("dots.txt", lambda: (SENTENCE * 3 + "a. " * 1_500_000).encode()),
    "md-one-1000000-word-sentence": ("under.md", lambda: (SENTENCE * 3 + "\n\n" + "_a " * 1_000_000 + "\n").encode()),
}


def _build(seeds: Path, out: Path, timeout: float, memory_gb: float) -> Run:
    """The build of `seeds` into `out`: wall seconds, peak RSS and how it ended (scale.py's measure)."""
    command = [*briefing_command(), "build", "-q", "--seeds", str(seeds), "--out", str(out), "--format", "json",
               "--themes", str(ROOT / "templates" / "themes.yaml")]
    return measured(command, timeout, memory_gb, seeds.parent)


def _fate(out: Path, name: str) -> str:
    try:
        brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "–"
    for skipped in brief.get("skipped", []):
        if skipped["path"].endswith(name):
            return "skipped: " + skipped["reason"][:70]
    return "read" if any(s["path"].endswith(name) for s in brief.get("sources", [])) else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run this case (repeat for more)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a build is stopped (default 600)")
    parser.add_argument("--memory-limit", type=float, default=8, help="GB of address space per build (default 8)")
    args = parser.parse_args()
    table = Table(title="One hostile file beside one article: `briefing build`, wall time and peak memory")
    for column in ("case", "file", "size", "seconds", "peak MB", "build", "the file"):
        table.add_column(column, justify="right" if column in ("size", "seconds", "peak MB") else "left")
    article = sorted((ROOT / "seeds").glob("*.txt"))[-1]
    for name in args.only or list(CASES):
        file_name, make = CASES[name]
        work = Path(tempfile.mkdtemp(prefix="briefing-hostile-files-"))
        try:
            seeds = work / "seeds"
            seeds.mkdir()
            shutil.copy(article, seeds / "article.txt")
            data = make()
            (seeds / file_name).write_bytes(data)
            run = _build(seeds, work / "out", args.timeout, args.memory_limit)
            size = f"{len(data) / 1e6:.1f} MB" if len(data) >= 1e6 else f"{len(data) / 1e3:.1f} KB"
            table.add_row(name, file_name, size, f"{run.seconds:.1f}", f"{run.rss_mb:,.0f}", run.status,
                          _fate(work / "out", file_name))
            print(f"{name}: {run.seconds:.1f} s, {run.rss_mb:,.0f} MB, {run.status}", file=sys.stderr, flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
