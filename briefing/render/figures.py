"""Figures drawn from the Brief: PNG bytes the DOCX and PDF writers embed and the Markdown writer saves.

The template places a figure with an ordinary Markdown image whose file name is one of `FILES`
(`![Figure 1. …](brief-coverage.png)`); the writers ask `image_of` for the bytes of any image they meet,
so a figure is drawn from the Brief (once per build: see `shared`) and the Markdown's image link resolves to the
file written beside `brief.md`.

Drawing is deterministic: matplotlib's Agg backend, a fixed size and dpi, DejaVu Sans (shipped with
matplotlib, so Cyrillic and other scripts draw on any machine) and no metadata in the PNG.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

from briefing.model import Brief
from briefing.render.shared import memo

FILES = {"coverage": "brief-coverage.png"}
DPI = 200
MAX_ROWS = 15  # sources shown in the coverage figure: the most cited, when there are more
WIDTH_INCHES = 6.3  # the text width of an A4 page with 2.5 cm margins


def coverage_rows(brief: Brief, limit: int = MAX_ROWS) -> list[str]:
    """The cited sources the coverage figure shows: all of them, or the `limit` most cited, in brief order."""
    coverage = brief.coverage()
    if len(coverage) <= limit:
        return list(coverage)
    ranked = sorted(coverage, key=lambda sid: -sum(coverage[sid].values()))[:limit]
    return [sid for sid in coverage if sid in ranked]


def _source_label(brief: Brief, source_id: str, width: int = 30) -> str:
    m = brief.source(source_id).metadata
    name = m.publication or m.title or brief.source(source_id).path.rsplit("/", 1)[-1]
    return f"{source_id}  {textwrap.shorten(name, width, placeholder='…')}"


def coverage_png(brief: Brief) -> bytes | None:
    """A heat map of items per cited source (rows) and theme (columns); None when nothing is cited."""
    rows = coverage_rows(brief)
    sections = [s for s in brief.sections]
    if not rows or not sections:
        return None
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    coverage = brief.coverage()
    values = [[coverage[sid].get(s.theme, 0) for s in sections] for sid in rows]
    peak = max(max(row) for row in values) or 1
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "briefing",
                                "axes.edgecolor": "#C5CCD6", "axes.linewidth": 0.6}):
        height = 0.95 + 0.3 * len(rows)
        fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
        ax = fig.add_subplot()
        ax.imshow(values, cmap="Blues", vmin=0, vmax=peak * 1.25, aspect="auto", interpolation="nearest")
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                if value:
                    dark = value > peak * 0.6
                    ax.text(c, r, str(value), ha="center", va="center", fontsize=8,
                            color="white" if dark else "#1B2F57", fontweight="bold")
        ax.set_xticks(range(len(sections)))
        ax.set_xticklabels([textwrap.fill(s.title, 18) for s in sections], fontsize=7.5, color="#1E2126")
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([_source_label(brief, sid) for sid in rows], fontsize=7.5, color="#1E2126")
        ax.tick_params(length=0, pad=4)
        ax.set_xticks([x - 0.5 for x in range(1, len(sections))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        fig.tight_layout(pad=0.4)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return out.getvalue()


DRAWERS: dict[str, Callable[[Brief], bytes | None]] = {"coverage": coverage_png}


def figures_of(brief: Brief) -> dict[str, bytes]:
    """File name → PNG bytes of every figure the brief can draw."""
    out = {}
    for name, draw in DRAWERS.items():
        data = draw(brief)
        if data is not None:
            out[FILES[name]] = data
    return out


class Images:
    """The bytes behind an image link: a figure of the brief (drawn once, on first use), else a file
    relative to the templates folder; None when neither exists."""

    def __init__(self, brief: Brief | None, directory: Path | None = None) -> None:
        self.brief = brief
        self.directory = directory
        self._cache: dict[str, bytes | None] = {}

    def __call__(self, src: str) -> bytes | None:
        if src not in self._cache:
            self._cache[src] = self._load(src)
        return self._cache[src]

    def _load(self, src: str) -> bytes | None:
        for name, file in FILES.items():
            if src == file and self.brief is not None:
                brief = self.brief
                return memo(("figure", name, id(brief)), brief, lambda: DRAWERS[name](brief))
        if self.directory is not None and src and "://" not in src:
            path = (self.directory / src).resolve()
            if path.is_file() and self.directory.resolve() in path.parents:
                return path.read_bytes()
        return None
