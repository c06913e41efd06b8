"""The Markdown writer, and the Markdown every other document writer starts from.

`markdown_of` renders the Jinja2 template; `document_tree` parses Markdown with markdown-it-py
(CommonMark, footnotes, `[text]{#id}` spans, tables) into the tree the DOCX and PDF writers walk.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefing.model import Brief, Item, Source
from briefing.templates import Templates


class MarkdownText(str):
    """Markdown the template may emit as is; every other value is escaped as text."""


_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|~^$!&])")
_LINE_START = re.compile(r"^(\s*)([+\-=]|\d+[.)])(\s|$)")


def escape(text: str) -> str:
    """Text as Markdown that reads back as the same characters, never as markup."""
    text = re.sub(r"\s+", " ", str(text))
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1] + m.group(3), text)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, MarkdownText) or not isinstance(value, str):
        return value
    return escape(value)


def cite(item: Item) -> MarkdownText:
    """Footnote marks for an item's citations, primary first."""
    seen: list[str] = []
    for c in item.citations:
        if c.source not in seen:
            seen.append(c.source)
    return MarkdownText("".join(f"[^{sid}]" for sid in seen))


def anchor(source: Source) -> MarkdownText:
    """The source's id as a span the citation marks link to (`#source-S1`)."""
    return MarkdownText(f"[{source.id}]{{#source-{source.id}}}")


def reference(source: Source) -> MarkdownText:
    """One line naming a source: title, publication, author, date."""
    m = source.metadata
    parts = [f"*{escape(m.title)}*" if m.title else "Untitled"]
    parts += [escape(v) for v in (m.publication, m.author, m.date) if v]
    return MarkdownText(", ".join(parts))


def code(text: str) -> MarkdownText:
    """A code span that holds any text, backticks included."""
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    fence = "`" * ticks
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{text}{pad}{fence}")


def markdown_environment(templates: Templates) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates.search_path()),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(cite=cite, anchor=anchor, reference=reference, code=code, md=MarkdownText)
    return env


def template_context(brief: Brief) -> dict[str, Any]:
    cited = {c.source for item in brief.items() for c in item.citations}
    generated = datetime.fromisoformat(brief.generated_at)
    return {
        "brief": brief,
        "stats": brief.stats,
        "generated_date": f"{generated.day} {generated:%B %Y}",
        "cited_sources": [s for s in brief.sources if s.id in cited],
    }


class TemplateProblem(ValueError):
    """An analyst's template that cannot be loaded or rendered; the message names file and line."""


def brief_template(templates: Templates) -> jinja2.Template:
    """The compiled brief template; TemplateProblem says what is wrong with it and where."""
    try:
        return markdown_environment(templates).get_template(templates.brief_template)
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"template {exc.name!r} not found in {', '.join(templates.search_path())}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None


def markdown_of(brief: Brief, templates: Templates) -> str:
    """The brief as Markdown, through the template that decides order and wording for all formats."""
    template = brief_template(templates)
    try:
        text = template.render(**template_context(brief))
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{template.filename}: {exc}") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"typographer": False})
        .enable("table")
        .enable("strikethrough")
        .use(footnote_plugin)
        .use(attrs_plugin, spans=True)
    )


def document_tree(markdown: str) -> SyntaxTreeNode:
    """The Markdown's syntax tree: what the DOCX and PDF writers walk."""
    return SyntaxTreeNode(parser().parse(markdown))


def write(brief: Brief, templates: Templates, path: Path) -> None:
    path.write_text(markdown_of(brief, templates), encoding="utf-8")
