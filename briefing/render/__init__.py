"""Writers: one module per format, each `write(brief, templates, path)`.

The Jinja2 template renders the brief as Markdown (`markdown.markdown_of`); the DOCX and PDF writers
(and the HTML writer) walk that Markdown's syntax tree (`markdown.document_tree`), so the template alone decides order,
headings and fixed wording in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefing.model import Brief
from briefing.templates import Templates

Writer = Callable[[Brief, Templates, Path], None]
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


def warnings_of(fmt: str, brief: Brief) -> list[str]:
    """What a format could not show of the brief, one line each (the PDF: characters no font has)."""
    if fmt == "pdf":
        from briefing.render.pdf import missing_glyphs

        return missing_glyphs(brief)
    return []
