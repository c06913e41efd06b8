"""The writers of one build share the Markdown, its tree and the figures, and write the same bytes."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from briefing.render import FORMATS, figures, writer_for
from briefing.render.markdown import brief_template, markdown_of
from briefing.render.shared import shared
from briefing.templates import Templates
from tests.samples import sample_brief

ROOT = Path(__file__).resolve().parent.parent


def test_within_shared_the_figure_is_drawn_once_and_every_format_has_the_same_bytes(tmp_path, monkeypatch):
    brief, templates = sample_brief(), Templates.default()
    (tmp_path / "alone").mkdir()
    (tmp_path / "shared").mkdir()
    for fmt in FORMATS:
        writer_for(fmt)(brief, templates, tmp_path / "alone" / f"brief.{fmt}")
    drawn = []
    draw = figures.DRAWERS["coverage"]
    monkeypatch.setitem(figures.DRAWERS, "coverage", lambda b: drawn.append(b) or draw(b))
    with shared():
        for fmt in FORMATS:
            writer_for(fmt)(brief, templates, tmp_path / "shared" / f"brief.{fmt}")
    assert len(drawn) == 1
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "shared").iterdir())
    assert "brief-coverage.png" in names
    for name in names:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes(), name


def test_outside_shared_an_edited_template_is_read_again(tmp_path):
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


def test_shared_keeps_nothing_for_another_brief():
    from dataclasses import replace

    brief = sample_brief()
    with shared():
        first = markdown_of(brief, Templates.default())
        other = markdown_of(replace(brief, title="Another title"), Templates.default())
    assert first.startswith("# Valmora port strike") and other.startswith("# Another title")


def test_within_shared_the_collector_skips_the_objects_made_before_and_after_it_collects_them_again():
    """The writers make many long-lived objects, and each full collection they set off would walk the
    whole analysis of the corpus again (0.1 s each); after the writers that analysis can be freed as usual."""
    analysis = [[n] for n in range(100_000)]
    assert gc.get_freeze_count() == 0
    with shared():
        assert gc.get_freeze_count() >= len(analysis)
        with shared():
            pass
        assert gc.get_freeze_count() >= len(analysis)  # an inner shared() leaves the outer freeze alone
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
from briefing.render.shared import shared
from briefing.templates import Templates
from tests.samples import sample_brief

brief, out = sample_brief(), Path({str(tmp_path)!r})
with shared():
    for fmt in ("md", "json"):
        writer_for(fmt)(brief, Templates.default(), out / f"brief.{{fmt}}")
    assert loaded() == [], loaded()
    for fmt in ("docx", "pdf"):
        writer_for(fmt)(brief, Templates.default(), out / f"brief.{{fmt}}")
    assert loaded() == ["docx", "reportlab"], loaded()
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
