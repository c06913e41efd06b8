"""The writers of one build receive the brief rendered once (its Markdown, tree and figures) and write the
same bytes as when each renders on its own."""

import gc
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import output
from briefing.progress import Progress
from briefing.render import FORMATS, figures, markdown, writer_for
from briefing.render.markdown import Rendered, brief_template, markdown_of
from briefing.templates import Templates
from tests.samples import sample_brief

ROOT = Path(__file__).resolve().parent.parent


def test_the_build_draws_the_figure_once_and_every_format_has_the_bytes_it_has_alone(tmp_path, monkeypatch):
    brief, templates = sample_brief(), Templates.default()
    (tmp_path / "alone").mkdir()
    for fmt in FORMATS:
        writer_for(fmt)(Rendered(brief, templates), tmp_path / "alone" / f"brief.{fmt}")
    drawn = []
    draw = figures.DRAWERS["coverage"]
    monkeypatch.setitem(figures.DRAWERS, "coverage", lambda b, c: drawn.append(b) or draw(b, c))
    rendered = []
    monkeypatch.setattr(output, "Rendered", lambda b, t: rendered.append(b) or Rendered(b, t))
    output.write_outputs(brief, templates, tmp_path / "built", FORMATS, Progress(quiet=True))
    assert len(drawn) == 1 and len(rendered) == 1
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "built").iterdir() if p.is_file() and p.name.startswith("brief"))
    assert "brief-coverage.png" in names
    for name in names:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "built" / name).read_bytes(), name


def test_an_edited_template_is_read_again(tmp_path):
    brief = sample_brief()
    (tmp_path / "brief.md.j2").write_text("# First\n")
    assert markdown_of(brief, Templates(tmp_path)) == "# First\n"
    (tmp_path / "brief.md.j2").write_text("# Second\n")
    assert markdown_of(brief, Templates(tmp_path)) == "# Second\n"


def test_a_template_edited_within_one_tick_of_the_clock_is_read_again(tmp_path):
    """The compiled template is kept between calls, but its text, not only its modification time, says
    whether it is still the file's: two quick edits can leave the file with the same time."""
    brief, template = sample_brief(), tmp_path / "brief.md.j2"
    template.write_text("# First\n")
    assert markdown_of(brief, Templates(tmp_path)) == "# First\n"
    stamp = template.stat()
    template.write_text("# Other\n")
    os.utime(template, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert markdown_of(brief, Templates(tmp_path)) == "# Other\n"


def test_the_build_checks_the_template_and_writes_with_one_compilation(tmp_path):
    (tmp_path / "brief.md.j2").write_text("# {{ brief.title }}\n")
    assert brief_template(Templates(tmp_path)) is brief_template(Templates(tmp_path))


def test_nothing_rendered_for_one_brief_is_kept_for_another():
    brief = sample_brief()
    first = markdown_of(brief, Templates.default())
    other = markdown_of(replace(brief, title="Another title"), Templates.default())
    assert first.startswith("# Valmora port strike") and other.startswith("# Another title")


def test_while_writing_the_collector_skips_the_objects_made_before_and_after_it_collects_them_again(tmp_path,
                                                                                                   monkeypatch):
    """The writers make many long-lived objects, and each full collection they set off would walk the
    whole analysis of the corpus again (0.1 s each); after the writers that analysis can be freed as usual."""
    analysis = [[n] for n in range(100_000)]
    frozen = []

    def counting(fmt):
        def write(rendered, path):
            frozen.append(gc.get_freeze_count())
            path.write_text("")
        return write

    monkeypatch.setattr(output, "writer_for", counting)
    assert gc.get_freeze_count() == 0
    output.write_outputs(sample_brief(), Templates.default(), tmp_path, ["md", "json"], Progress(quiet=True))
    assert len(frozen) == 2 and min(frozen) >= len(analysis)
    assert gc.get_freeze_count() == 0


def test_the_coverage_figure_is_a_200_dpi_png_as_wide_as_the_text_and_drawn_the_same_every_time():
    import io

    from PIL import Image

    brief = sample_brief()
    data = figures.coverage_png(brief)
    assert data == figures.coverage_png(brief)
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "PNG"
        assert picture.size[0] == round(figures.WIDTH_INCHES * figures.DPI)
        assert round(picture.info["dpi"][0]) == figures.DPI
        assert set(picture.info) <= {"dpi"}  # no metadata that could differ between runs
        colours = {colour for _, colour in picture.getcolors(1 << 20)}
    assert figures.blues(1 / 1.25) in colours  # the most cited cell


def test_every_count_in_the_figure_reads_at_wcag_contrast_on_its_cell():
    # the counts are text in a picture: each needs 4.5:1 against its cell's blue (white on the mid blues
    # was 2.6:1 to 4.1:1)
    import io
    from collections import Counter

    from PIL import Image

    peak = 10
    data = figures.heat_map_png(["S1  Harbour Tribune"], [f"Theme {n}" for n in range(1, peak + 1)],
                                [list(range(1, peak + 1))])
    with Image.open(io.BytesIO(data)) as png:
        picture = png.convert("RGB")
    pixels, (width, height) = picture.load(), picture.size
    fills = {figures.blues(value / (peak * 1.25)): value for value in range(1, peak + 1)}
    columns: dict[tuple, Counter] = {fill: Counter() for fill in fills}
    rows: dict[tuple, Counter] = {fill: Counter() for fill in fills}
    for y in range(height):
        for x in range(width):
            if (colour := pixels[x, y]) in fills:
                columns[colour][x] += 1
                rows[colour][y] += 1
    for fill, value in fills.items():
        xs = [x for x, n in columns[fill].items() if n > 20]  # the cell: a block of its colour, not a stray pixel
        ys = [y for y, n in rows[fill].items() if n > 20]
        inside = Counter(pixels[x, y] for x in range(min(xs) + 3, max(xs) - 2) for y in range(min(ys) + 3, max(ys) - 2))
        del inside[fill]
        ink = inside.most_common(1)[0][0]  # the count's own colour: its strokes' pixels, not their smoothed edges
        assert contrast(ink, fill) >= 4.5, (value, ink, fill)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2's contrast ratio of two sRGB colours."""
    def luminance(rgb: tuple[int, int, int]) -> float:
        r, g, b = (v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_blues_runs_from_the_lightest_to_the_darkest_step():
    assert figures.blues(0.0) == (0xF7, 0xFB, 0xFF)
    assert figures.blues(1.0) == (0x08, 0x30, 0x6B)
    assert figures.blues(0.5) == (0x6B, 0xAE, 0xD6)


def test_each_format_imports_only_the_libraries_it_needs(tmp_path):
    """Startup cost: the command line imports no analysis or document library; Markdown and JSON import
    neither python-docx nor reportlab; no format imports matplotlib (only its fonts are used)."""
    code = f"""
import sys
from pathlib import Path

def loaded():
    return sorted(n for n in ("nltk", "sklearn", "docx", "reportlab", "matplotlib") if n in sys.modules)

import briefing.cli
assert loaded() == [], loaded()
from briefing.render import writer_for
from briefing.render.markdown import Rendered
from briefing.templates import Templates
from tests.samples import sample_brief

rendered, out = Rendered(sample_brief(), Templates.default()), Path({str(tmp_path)!r})
for fmt in ("md", "json"):
    writer_for(fmt)(rendered, out / f"brief.{{fmt}}")
assert loaded() == [], loaded()
for fmt in ("docx", "pdf"):
    writer_for(fmt)(rendered, out / f"brief.{{fmt}}")
assert loaded() == ["docx", "reportlab"], loaded()
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_error_in_briefings_own_template_is_a_bug_and_keeps_its_traceback(tmp_path, monkeypatch):
    """Only an analyst's template has what it runs into told as a mistake of the template (one line,
    exit 2); the same failure while briefing's own template renders is briefing's, and is not hidden."""
    def broken(text):
        raise RuntimeError("a bug in briefing")

    monkeypatch.setattr(markdown, "escape", broken)  # every value the template writes goes through it
    shutil.copy(Templates.default().directory / "brief.md.j2", tmp_path)
    with pytest.raises(markdown.TemplateProblem, match=r"brief.md.j2:\d+: RuntimeError: a bug in briefing$"):
        markdown_of(sample_brief(), Templates(tmp_path))
    with pytest.raises(RuntimeError, match="a bug in briefing"):
        markdown_of(sample_brief(), Templates.default())


THEME_TITLES = ("Visits and meetings between leaders", "Armenia, Azerbaijan and the Russian-led alliance",
                "Sanctions and Russia's economy", "Unrest, protests and public order", "Tajikistan",
                "Turkey, Iran and other middle powers")


@pytest.mark.parametrize("themes", [1, 4, 6, 8, 12, 20])
def test_the_theme_names_over_the_coverage_figure_stay_in_their_columns_and_in_the_picture(themes):
    """With 12 themes (one per line of a themes file an analyst may well write) the names were wrapped at
    18 characters whatever the columns' width, and ran into each other in an unreadable band, the last
    one cut by the picture's edge. Each name now stays between its column's neighbours (no ink on the
    lines between the columns, over the grid) and inside the picture."""
    import io

    from PIL import Image

    from briefing.model import Section

    brief = sample_brief()
    item = brief.key_judgments[0]
    sections = tuple(Section(f"t{n}", THEME_TITLES[n % len(THEME_TITLES)], "", (replace(item, theme=f"t{n}"),))
                     for n in range(themes))
    data = figures.coverage_png(replace(brief, key_judgments=(), sections=sections))
    with Image.open(io.BytesIO(data)) as picture:
        image = picture.convert("RGB")
    frame = figures._rgb(figures.FRAME)
    width, height = image.size
    framed = [(x, y) for y in range(height) for x in range(width) if image.getpixel((x, y)) == frame]
    top = min(y for _, y in framed)
    left, right = min(x for x, _ in framed), max(x for x, _ in framed)
    column = (right + 1 - left) / themes

    def ink(x: int) -> list[int]:
        return [y for y in range(top - 1) if min(image.getpixel((x, y))) < 200]

    for c in range(1, themes):
        assert ink(round(left + c * column)) == [], f"the names over columns {c} and {c + 1} touch"
    assert ink(0) == [] and ink(width - 1) == [], "a name runs off the picture"
