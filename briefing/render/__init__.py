"""Writers: one module per format, each `write(rendered, path)`.

A build renders the brief once (`markdown.Rendered`: the Jinja2 template's Markdown, its syntax tree and
the figures) and hands that to every writer, as pandoc's writers receive the document's AST; the DOCX,
PDF and HTML writers walk the syntax tree, so the template alone decides order, headings and fixed
wording in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.render.markdown import Rendered

Writer = Callable[["Rendered", Path], None]
FORMATS = ("md", "json", "docx", "pdf", "html")


def writer_for(fmt: str) -> Writer:
    """The write function of a format, imported only when that format is asked for."""
    if fmt == "md":
        from briefing.render.markdown import write
    elif fmt == "json":
        from briefing.render.jsonout import write
    elif fmt == "docx":
        from briefing.render.docx import write
    elif fmt == "pdf":
        from briefing.render.pdf import write
    elif fmt == "html":
        from briefing.render.html import write
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return write


def warnings_of(fmt: str, rendered: Rendered) -> list[str]:
    """What a format could not show of the brief, one line each (the PDF: characters no font has)."""
    if fmt == "pdf":
        from briefing.render.pdf import missing_glyphs

        return missing_glyphs(rendered.brief, rendered.coverage_rows)
    return []
