"""Figures drawn from the Brief: PNG bytes the DOCX and PDF writers embed and the Markdown writer saves.

The template places a figure with an ordinary Markdown image whose file name is one of `FILES`
(`![Figure 1. …](brief-coverage.png)`); the writers ask the build's `Images` (`Rendered.images`) for the
bytes of any image they meet, so a figure is drawn from the Brief (once per build) and the Markdown's image
link resolves to the file written beside `brief.md`.

Drawing is deterministic and quick: Pillow draws the heat map directly at a fixed size and dpi, in
DejaVu Sans (shipped with matplotlib, found without importing it, so Cyrillic and other scripts draw on
any machine); the PNG holds no metadata but its resolution.
"""

from __future__ import annotations

import importlib.util
import io
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from briefing.model import Brief, Source
from briefing.safetext import bidi_closed

FILES = {"coverage": "brief-coverage.png"}
DPI = 200
MAX_ROWS = 15  # sources shown in the coverage figure: the most cited, when there are more
WIDTH_INCHES = 6.3  # the text width of an A4 page with 2.5 cm margins


def font_dir() -> Path:
    """The DejaVu fonts matplotlib ships, in its mpl-data folder (matplotlib itself is not imported)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the DejaVu fonts come with matplotlib, which is not installed")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


Coverage = dict[str, dict[str, int]]
"""`Brief.coverage()`: source id → theme id → items citing it."""


def coverage_rows(coverage: Coverage, limit: int = MAX_ROWS) -> list[str]:
    """The cited sources the coverage figure shows: all of them, or the `limit` most cited, in brief order."""
    if len(coverage) <= limit:
        return list(coverage)
    ranked = sorted(coverage, key=lambda sid: -sum(coverage[sid].values()))[:limit]
    return [sid for sid in coverage if sid in ranked]


def _source_label(source: Source, width: int = 30) -> str:
    m = source.metadata
    name = m.publication or m.title or source.path.rsplit("/", 1)[-1]
    return f"{source.id}  {textwrap.shorten(name, width, placeholder='…')}"


def coverage_png(brief: Brief, coverage: Coverage | None = None) -> bytes | None:
    """A heat map of items per cited source (rows) and theme (columns); None when nothing is cited.
    `coverage` is `brief.coverage()` when the caller has it already."""
    coverage = brief.coverage() if coverage is None else coverage
    rows = coverage_rows(coverage)
    sections = list(brief.sections)
    if not rows or not sections:
        return None
    values = [[coverage[sid].get(s.theme, 0) for s in sections] for sid in rows]
    shown = {s.id: s for s in brief.sources if s.id in coverage}
    return heat_map_png([_source_label(shown[sid]) for sid in rows], [s.title for s in sections], values)


def coverage_text(brief: Brief, coverage: Coverage | None = None) -> str | None:
    """What the coverage figure shows, in words: its text alternative (the page's `alt`, Word's Alt Text)
    for a reader who cannot see it, the caption says only what it is. Each source the figure shows, with
    its count per theme (themes it has none in left out); None when there is no figure."""
    coverage = brief.coverage() if coverage is None else coverage
    rows = coverage_rows(coverage)
    sections = list(brief.sections)
    if not rows or not sections:
        return None
    shown = {s.id: s for s in brief.sources if s.id in coverage}
    parts = []
    for sid in rows:
        source = shown[sid]
        name = " ".join((source.metadata.publication or source.metadata.title
                         or source.path.rsplit("/", 1)[-1]).split())
        counts = [f"{coverage[sid][s.theme]} in {bidi_closed(' '.join(s.title.split()))}"
                  for s in sections if coverage[sid].get(s.theme)]
        parts.append(f"{sid} ({bidi_closed(name)}): {', '.join(counts) or 'none'}.")
    return f"Heat map of the items citing each source, by theme. {' '.join(parts)}"


# matplotlib's "Blues" (ColorBrewer), light to dark
BLUES = ("#F7FBFF", "#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B")
INK = "#1E2126"
NAVY = "#1B2F57"
FRAME = "#C5CCD6"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def blues(x: float) -> tuple[int, int, int]:
    """The colour at `x` (0 to 1) of the Blues scale, interpolated linearly between its steps."""
    x = min(max(x, 0.0), 1.0) * (len(BLUES) - 1)
    i = min(int(x), len(BLUES) - 2)
    lo, hi = _rgb(BLUES[i]), _rgb(BLUES[i + 1])
    return tuple(round(a + (b - a) * (x - i)) for a, b in zip(lo, hi))  # type: ignore[return-value]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two sRGB colours (1 to 21; text needs 4.5)."""
    def luminance(rgb: tuple[int, int, int]) -> float:
        c = [v / 255 for v in rgb]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def count_colour(cell: tuple[int, int, int]) -> tuple[int, int, int]:
    """The colour a count is written in on a cell of colour `cell`: navy or white, whichever contrasts
    more with it, or black on the mid blues where neither reaches WCAG's 4.5:1 (black always does)."""
    best = max((_rgb(NAVY), (255, 255, 255)), key=lambda ink: contrast(ink, cell))
    return best if contrast(best, cell) >= 4.5 else (0, 0, 0)


COLUMN_LABEL_POINTS = 110  # a column's name is wrapped to lines no wider than this, or its column if narrower
COLUMN_LABEL_LINES = 4  # names that need more lines than this in their columns are set on end instead
ROTATED_LABEL_POINTS = 100  # a name set on end takes up to two lines this long, cut with "…" beyond


def _wrap(label: str, width: float, measure: Callable[[str], float]) -> list[str] | None:
    """`label` in lines no wider than `width` (as `measure` measures), broken between words; None when a
    word alone is wider."""
    lines: list[str] = []
    for word in label.split():
        if measure(word) > width:
            return None
        if lines and measure(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _cut(text: str, width: float, measure: Callable[[str], float]) -> str:
    """`text` cut, with "…", to no wider than `width`."""
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _on_end(label: str, width: float, lines: int, measure: Callable[[str], float]) -> list[str]:
    """`label` in at most `lines` lines no wider than `width`, its end cut with "…" if it is longer."""
    wrapped = _wrap(label, width, measure) or [label]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines - 1] + [" ".join(wrapped[lines - 1:])]
    return [_cut(line, width, measure) for line in wrapped]


def heat_map_png(row_labels: Sequence[str], column_labels: Sequence[str], values: Sequence[Sequence[int]]) -> bytes:
    """A table of counts as a heat map: labels left and on top, each non-zero count written in its cell.
    The column labels are wrapped to their columns' width; when that cannot be done in a few lines (many
    or narrow columns), they are set on end, reading upwards, so that none runs into its neighbour."""
    from PIL import Image, ImageDraw, ImageFont

    pt = DPI / 72  # pixels per point
    fonts = font_dir()
    label_font = ImageFont.truetype(str(fonts / "DejaVuSans.ttf"), 7.5 * pt)
    value_font = ImageFont.truetype(str(fonts / "DejaVuSans-Bold.ttf"), 8 * pt)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    spacing = round(1.5 * pt)

    margin, pad = round(3.2 * pt), round(4 * pt)
    label_width = max(measure.textlength(label, font=label_font) for label in row_labels)
    width = round(WIDTH_INCHES * DPI)
    row_height = round(0.3 * DPI)
    left = margin + round(label_width) + pad
    column_width = (width - margin - left) / len(column_labels)

    gutter = round(2 * pt)  # at least this much between the names of neighbouring columns
    room = min(column_width - gutter, COLUMN_LABEL_POINTS * pt)
    wrapped = [_wrap(" ".join(label.split()), room, lambda text: measure.textlength(text, font=label_font))
               for label in column_labels]
    upright = all(lines is not None and len(lines) <= COLUMN_LABEL_LINES for lines in wrapped)
    if upright:
        texts = ["\n".join(lines or ()) for lines in wrapped]
        header = round(max(measure.multiline_textbbox((0, 0), text, font=label_font, spacing=spacing)[3]
                           for text in texts))  # whole pixels already, typed as float
        side_font = label_font
    else:  # on end: in two lines when the columns have room for them, else one, smaller if need be
        size = min(7.5 * pt, (column_width - gutter) / 1.25)
        side_font = ImageFont.truetype(str(fonts / "DejaVuSans.ttf"), max(size, 1))
        ascent, descent = side_font.getmetrics()
        lines = 2 if 2 * (ascent + descent) + spacing <= column_width - gutter else 1
        texts = ["\n".join(_on_end(" ".join(label.split()), ROTATED_LABEL_POINTS * pt, lines,
                                   lambda text: measure.textlength(text, font=side_font)))
                 for label in column_labels]
        header = round(max(measure.multiline_textbbox((0, 0), text, font=side_font, spacing=spacing)[2]
                           for text in texts))
    top = margin + header + pad
    height = top + row_height * len(row_labels) + margin

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    peak = max((v for row in values for v in row), default=0) or 1
    xs = [round(left + c * column_width) for c in range(len(column_labels) + 1)]
    ys = [top + r * row_height for r in range(len(row_labels) + 1)]
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            fill = blues(value / (peak * 1.25))
            draw.rectangle((xs[c], ys[r], xs[c + 1] - 1, ys[r + 1] - 1), fill=fill)
            if value:
                colour = count_colour(fill)
                draw.text(((xs[c] + xs[c + 1]) / 2, (ys[r] + ys[r + 1]) / 2), str(value), font=value_font,
                          fill=colour, anchor="mm")
    gap = round(1.5 * pt)  # white lines between the cells
    for x in xs[1:-1]:
        draw.rectangle((x - gap // 2, ys[0], x - gap // 2 + gap - 1, ys[-1] - 1), fill="white")
    for y in ys[1:-1]:
        draw.rectangle((xs[0], y - gap // 2, xs[-1] - 1, y - gap // 2 + gap - 1), fill="white")
    draw.rectangle((xs[0], ys[0], xs[-1] - 1, ys[-1] - 1), outline=FRAME, width=max(1, round(0.6 * pt)))
    for r, label in enumerate(row_labels):
        draw.text((left - pad, (ys[r] + ys[r + 1]) / 2), label, font=label_font, fill=INK, anchor="rm")
    for c, text in enumerate(texts):
        centre = (xs[c] + xs[c + 1]) / 2
        if upright:
            draw.multiline_text((centre, top - pad), text, font=label_font, fill=INK, anchor="md",
                                align="center", spacing=spacing)
            continue
        box = draw.multiline_textbbox((0, 0), text, font=side_font, spacing=spacing)
        lines_drawn = Image.new("L", (max(1, round(box[2])), max(1, round(box[3]))))
        ImageDraw.Draw(lines_drawn).multiline_text((0, 0), text, font=side_font, fill=255, spacing=spacing)
        upward = lines_drawn.rotate(90, expand=True)  # reads from the bottom up, its start over the column
        image.paste(INK, (round(centre - upward.width / 2), top - pad - upward.height), upward)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


DRAWERS: dict[str, Callable[[Brief, Coverage | None], bytes | None]] = {"coverage": coverage_png}
DESCRIBERS: dict[str, Callable[[Brief, Coverage | None], str | None]] = {"coverage": coverage_text}


class Images:
    """The bytes behind an image link: a figure of the brief (drawn once, on first use), else a file
    relative to the templates folder; None when neither exists. `coverage`: `brief.coverage()`, when
    the caller has it already."""

    def __init__(self, brief: Brief | None, directory: Path | None = None, coverage: Coverage | None = None) -> None:
        self.brief = brief
        self.directory = directory
        self.coverage = coverage
        self._cache: dict[str, bytes | None] = {}

    def __call__(self, src: str) -> bytes | None:
        if src not in self._cache:
            self._cache[src] = self._load(src)
        return self._cache[src]

    def description(self, src: str) -> str | None:
        """The text alternative of a figure of the brief (what it shows, in words); None for any other
        image, whose alt text is the template's."""
        for name, file in FILES.items():
            if src == file and self.brief is not None:
                return DESCRIBERS[name](self.brief, self.coverage)
        return None

    def _load(self, src: str) -> bytes | None:
        for name, file in FILES.items():
            if src == file and self.brief is not None:
                return DRAWERS[name](self.brief, self.coverage)
        if self.directory is not None and src and "://" not in src:
            path = (self.directory / src).resolve()
            if path.is_file() and self.directory.resolve() in path.parents:
                return path.read_bytes()
        return None
