"""The Markdown writer, and the Markdown every other document writer starts from.

`Rendered` is the brief as every writer receives it: the Jinja2 template's Markdown, and its syntax tree
(`document_tree`: markdown-it-py with CommonMark, footnotes, `[text]{#id}` spans, tables) that the DOCX,
PDF and HTML writers walk, with the figures they embed.

Citations are numbered footnotes, as pandoc writes them: the `cite` filter gives an item the next
number (`[^3]`) and records a `Note` of the sources it cites, and the template writes one footnote
definition per note at its end (`{% for note in notes %}`). Two layout hints are HTML comments, which
pandoc and every Markdown viewer ignore: `<!-- toc -->` (or `<!-- toc Heading -->`) where the DOCX and
PDF writers put a table of contents, and an image whose file is one of `figures.FILES` is a figure the
writers draw from the brief (the Markdown writer saves it beside `brief.md`).
"""

from __future__ import annotations

import functools
import html
import re
import traceback
import unicodedata
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import jinja2.runtime
from jinja2.exceptions import FilterArgumentError
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefing.model import Brief, Item, Source
from briefing.render import figures
from briefing.safetext import bidi_closed
from briefing.templates import Templates, default_templates_dir


class MarkdownText(str):
    """Markdown the template may emit as is; every other value is escaped as text."""


_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|~^$!&@])")  # @: pandoc's citation (a handle, "@UN", would cite)
_LINE_START = re.compile(r"^(\s*)([+\-=]|\d+[.)])(\s|$)")


def escape(text: str) -> str:
    """Text as Markdown that reads back as the same characters, never as markup, and whose
    directional formatting (a right-to-left override) ends with it (`bidi_closed`)."""
    text = bidi_closed(re.sub(r"\s+", " ", str(text)))
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1] + m.group(3), text)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, MarkdownText) or not isinstance(value, str):
        return value
    return escape(value)


CITED_SHOWN = 5
"""Sources a footnote names: the item's own source and the next four that state the same thing; the
note counts the rest (`brief.json` lists them all). An item a whole corpus repeats could otherwise cite
thousands of sources."""
REPUBLICATIONS_SHOWN = 3
"""Republications listed under Sources for each listed source; the rest are counted."""


@dataclass(frozen=True)
class Note:
    """One footnote: the sources it names (the item's own source first, at most `CITED_SHOWN`) and how
    many more sources the item cites."""

    number: int
    sources: tuple[Source, ...]
    item: Item
    more: int = 0


def _shown(count: object, name: str) -> int:
    """A template's count of sources to name: a whole number from 1, at most `CITED_SHOWN`."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise TypeError(f"{name}: the number of sources to name must be a whole number from 1, not {count!r}")
    return min(count, CITED_SHOWN)


def cited_ids(item: Item) -> list[str]:
    """The sources an item cites, each once, primary first."""
    return list(dict.fromkeys(c.source for c in item.citations))


def shown_ids(item: Item) -> list[str]:
    """The sources an item's footnote names."""
    return cited_ids(item)[:CITED_SHOWN]


def _disputing_sources(item: Item) -> list[str]:
    """Every source that states the contrary of an item, each once, in order."""
    return list(dict.fromkeys(c.source for c in item.disputed_by))


def disputing_ids(item: Item) -> list[str]:
    """The sources an item's "disputed by" names: at most `CITED_SHOWN` of those that state the contrary."""
    return _disputing_sources(item)[:CITED_SHOWN]


@jinja2.pass_context
def disputing(context: jinja2.runtime.Context, item: Item, described: bool = False,
              shown: int = CITED_SHOWN) -> MarkdownText:
    """The sources that state the contrary of an item, each a link to its entry under Sources ("S2 and
    S4"), with how many more there are; `described`, for a document without a Sources list: each
    named by its id in bold and its title, publication, author and date instead. `shown`: how many are
    named (at most `CITED_SHOWN`; the rest are counted)."""
    by_id: dict[str, Source] = context["sources_by_id"]
    every = _disputing_sources(item)
    ids = disputing_ids(item)[:_shown(shown, "disputing")]
    links = [MarkdownText(f"**{sid}** ({reference(by_id[sid])})") if described else source_link(by_id[sid])
             for sid in ids]
    more = len(every) - len(ids)
    if more:
        links.append(MarkdownText(f"{more} other source{'s' if more != 1 else ''}"))
    if len(links) < 2:
        return MarkdownText("".join(links))
    return MarkdownText(", ".join(links[:-1]) + " and " + links[-1])


@jinja2.pass_context
def cite(context: jinja2.runtime.Context, item: Item, shown: int = CITED_SHOWN) -> MarkdownText:
    """The footnote mark of an item (`[^3]`); its Note, for the template's footnote definitions, is
    appended to `notes`. The note names the item's first `shown` sources (at most `CITED_SHOWN`; the
    daily note names one, to stay on its page) and counts the rest."""
    notes: list[Note] = context["notes"]
    by_id: dict[str, Source] = context["sources_by_id"]
    ids = cited_ids(item)
    if not ids:
        return MarkdownText("")
    named = ids[:_shown(shown, "cite")]
    note = Note(len(notes) + 1, tuple(by_id[sid] for sid in named), item, len(ids) - len(named))
    notes.append(note)
    return MarkdownText(f"[^{note.number}]")


LANGUAGE = "en"
"""The language the documents declare (HTML `lang`, the PDF's /Lang, the DOCX's core property when its
reference document names none): that of the templates' own wording, which screen readers speak it in."""

SOURCE_ANCHOR = "source-{id}"


def anchor(source: Source) -> MarkdownText:
    """The source's id as a span the citation marks link to (`#source-S1`)."""
    return MarkdownText(f"[{source.id}]{{#{SOURCE_ANCHOR.format(id=source.id)}}}")


def source_link(source: Source) -> MarkdownText:
    """The source's id as a link to its entry in the Sources list."""
    return MarkdownText(f"[{source.id}](#{SOURCE_ANCHOR.format(id=source.id)})")


def reference(source: Source) -> MarkdownText:
    """One line naming a source: title, publication, author, date."""
    m = source.metadata
    parts = [f"*{escape(m.title)}*" if m.title else "Untitled"]
    parts += [escape(v) for v in (m.publication, m.author, m.date) if v]
    return MarkdownText(", ".join(parts))


def concise(items: Sequence[Item], words: int = 40) -> Item | None:
    """Of a section's items (best first), the best of at most `words` words, else the shortest: what a
    one-page note quotes of a theme. Anything else (a title, a number of words below 1) is a mistake of
    the template, said as one."""
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, Item) for i in items):
        raise FilterArgumentError(f"concise: takes a list of items (such as section.items), not {_described(items)}")
    if not isinstance(words, int) or isinstance(words, bool) or words < 1:
        raise FilterArgumentError(f"concise: the number of words must be a whole number from 1, not {words!r}")
    if not items:
        return None
    return next((i for i in items if len(i.text.split()) <= words), min(items, key=lambda i: len(i.text.split())))


def _described(value: object) -> str:
    """What a value a filter cannot take is, for its error: its type, and its first few characters."""
    shown = repr(value)
    return f"{type(value).__name__} {shown if len(shown) <= 40 else shown[:39] + '…'}"


def code(text: str) -> MarkdownText:
    """A code span that holds any text, backticks included, on one line (a line break in a file name
    could otherwise end the paragraph and start a heading), whose directional formatting (a right-to-left
    override in a file name) ends with it (`bidi_closed`)."""
    text = bidi_closed(_UNSHOWABLE.sub(" ", str(text)))
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    fence = "`" * ticks
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{text}{pad}{fence}")


_UNSHOWABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"  # RFC 3986's reserved and unreserved characters; the rest %-encoded
WEB_SCHEMES = ("http", "https")


def web_url(value: object) -> str | None:
    """`value` as a URL a document may link to, or None: http or https, with a host, no whitespace or
    control characters, and every character outside RFC 3986's set %-encoded (so it cannot end an
    autolink, an attribute or a line). `javascript:`, `file:`, `data:` and anything that does not parse
    as a URL are not links."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return None
    if any(unicodedata.category(c)[0] in "CZ" for c in value):  # controls, format marks, separators, spaces
        return None
    try:
        parts = urllib.parse.urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return urllib.parse.quote(value, safe=_URL_SAFE)


MAX_URL = 2000
"""Longer values are not made links (browsers and Word stop around there)."""


def link(url: object) -> MarkdownText:
    """A source's URL as an autolink (`<https://…>`) when it is a web URL (`web_url`), else as escaped
    text, which no format turns into a link."""
    found = web_url(url)
    if found is not None:
        return MarkdownText(f"<{found}>")
    return MarkdownText(escape(str(url or "")))


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja2's file loader, but a template it compiled counts as out of date when its text has changed,
    not only its modification time (two edits within one tick of the file system's clock keep it)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, _ = super().get_source(environment, template)

        def uptodate() -> bool:
            try:
                return Path(filename).read_bytes().decode(self.encoding) == source
            except (OSError, UnicodeDecodeError):
                return False

        return source, filename, uptodate


def markdown_environment(templates: Templates) -> jinja2.Environment:
    """The Jinja2 environment of a templates folder, made once per process: it keeps each template it
    compiles (compiling the brief template takes longer than rendering it, and a build asks twice: to
    check it before the analysis and to write) until the template's file changes."""
    return _environment(tuple(templates.search_path()))


@functools.lru_cache(maxsize=16)
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=TemplateLoader(search_path),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(cite=cite, anchor=anchor, source_link=source_link, reference=reference, code=code,
                       md=MarkdownText, link=link, concise=concise, disputing=disputing)
    return env


@dataclass(frozen=True)
class Listing:
    """The Sources list of a brief, which stays short however large the corpus: the sources its notes
    name, the sources its coverage figure shows, and up to `REPUBLICATIONS_SHOWN` republications of each
    of them, in brief order; and counts of what it leaves out."""

    sources: tuple[Source, ...]
    cited: int  # sources any item cites (brief.json has every citation)
    unlisted_cited: int  # cited sources not listed: beyond a note's first `CITED_SHOWN`
    unlisted_republications: int  # republications of listed sources not listed
    unlisted: int  # every source not listed


def listing(brief: Brief, coverage_rows: list[str] | None = None) -> Listing:
    items = brief.items()
    cited = {sid for item in items for sid in cited_ids(item)}
    named = {sid for item in items for sid in [*shown_ids(item), *disputing_ids(item)]}
    named.update(figures.coverage_rows(brief.coverage()) if coverage_rows is None else coverage_rows)
    republished: dict[str, int] = {}
    listed = []
    more_republications = 0
    for s in brief.sources:
        if s.id in named:
            listed.append(s)
        elif s.duplicate_of in named:
            republished[s.duplicate_of] = republished.get(s.duplicate_of, 0) + 1
            if republished[s.duplicate_of] <= REPUBLICATIONS_SHOWN:
                listed.append(s)
            elif s.id not in cited:
                more_republications += 1
    listed_ids = {s.id for s in listed}
    return Listing(tuple(listed), len(cited), len(cited - listed_ids), more_republications,
                   len(brief.sources) - len(listed))


def listed_sources(brief: Brief, coverage_rows: list[str] | None = None) -> list[Source]:
    """The sources a brief lists (see `listing`)."""
    return list(listing(brief, coverage_rows).sources)


def shown_path(path: str, seeds: str) -> str:
    """A file's path as a document shows it: within the seeds folder ("sub/a.txt"); a path outside it
    (an older build's, in What's new) by its file name alone, so no document carries the server's
    absolute paths. brief.json keeps the paths as found."""
    if seeds and path.startswith(seeds):
        return path[len(seeds):]
    if PurePosixPath(path).is_absolute():
        return PurePosixPath(path).name
    return path


def for_documents(brief: Brief) -> Brief:
    """The brief with every file path as documents show it (`shown_path`)."""
    def shown(path: str) -> str:
        return shown_path(path, brief.seeds)

    changes = None
    if brief.changes is not None:
        def entry_shown(entry: Any) -> Any:
            if not isinstance(entry, dict):
                return entry
            return {**entry, **{k: shown(entry[k]) for k in ("path", "from") if isinstance(entry.get(k), str)}}

        changes = {key: [entry_shown(entry) for entry in value] if isinstance(value, list) else value
                   for key, value in brief.changes.items()}
    return replace(brief, sources=tuple(s.with_(path=shown(s.path)) for s in brief.sources),
                   skipped=tuple(replace(s, path=shown(s.path)) for s in brief.skipped), changes=changes)


def template_context(brief: Brief, coverage: figures.Coverage | None = None) -> dict[str, Any]:
    """What the template sees; `coverage` is `brief.coverage()` when the caller has it already."""
    brief = for_documents(brief)
    generated = datetime.fromisoformat(brief.generated_at)
    coverage = brief.coverage() if coverage is None else coverage
    rows = figures.coverage_rows(coverage) if coverage else []
    listed = listing(brief, rows)
    cited = {c.source for item in brief.items() for c in item.citations}
    return {
        "brief": brief,
        "stats": brief.stats,
        "generated_date": f"{generated.day} {generated:%B %Y}",
        "cited_sources": [s for s in brief.sources if s.id in cited],
        "cited_count": listed.cited,
        "listed_sources": list(listed.sources),
        "unlisted_cited": listed.unlisted_cited,
        "unlisted_republications": listed.unlisted_republications,
        "uncited_count": listed.unlisted,
        "coverage": coverage,
        "coverage_rows": rows,
        "figures": dict(figures.FILES),
        "notes": [],
        "sources_by_id": {s.id: s for s in brief.sources},
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
    return Rendered(brief, templates).markdown


@dataclass
class Rendered:
    """The brief as every writer receives it, as pandoc's writers receive the document's AST: the brief,
    the template's Markdown and the notes its `cite` marks made (a footnote label is a note's number), the
    Markdown's syntax tree, the coverage counts and the figures. `write_outputs` makes one per build and
    hands it to each writer; each part is made when a writer first asks for it (a build that writes only
    JSON renders no Markdown) and kept for the others. Nothing outlives the object: the next build (or
    call) renders a template edited meanwhile."""

    brief: Brief
    templates: Templates

    @functools.cached_property
    def coverage(self) -> figures.Coverage:
        """`brief.coverage()`: the template, its Sources list and the figure all ask for it, and it walks
        every citation and every source."""
        return self.brief.coverage()

    @functools.cached_property
    def coverage_rows(self) -> list[str]:
        """The sources the coverage figure shows (`figures.coverage_rows`)."""
        return figures.coverage_rows(self.coverage)

    @property
    def markdown(self) -> str:
        return self._template[0]

    @property
    def notes(self) -> tuple[Note, ...]:
        return self._template[1]

    @functools.cached_property
    def tree(self) -> SyntaxTreeNode:
        """The Markdown's syntax tree, which the writers walk and never change."""
        return document_tree(self.markdown)

    @functools.cached_property
    def images(self) -> figures.Images:
        """The bytes behind the Markdown's image links: the figures, each drawn once, and the templates'
        own image files."""
        return figures.Images(self.brief, self.templates.directory, self.coverage)

    @functools.cached_property
    def _template(self) -> tuple[str, tuple[Note, ...]]:
        return _rendered(self.brief, self.templates, self.coverage)


def _template_line(error: BaseException, filename: str | None) -> int | None:
    """The template's line at which rendering failed: jinja2 gives the frames of a template's code its
    file name and line, so the innermost such frame of the traceback is where the mistake is."""
    found = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        if filename is not None and frame.f_code.co_filename == filename:
            found = line
    return found


def _analysts(template: jinja2.Template) -> bool:
    """Whether a template is the analyst's own (from their templates folder), not one briefing ships."""
    if template.filename is None:
        return False
    shipped = default_templates_dir().resolve()
    return shipped not in Path(template.filename).resolve().parents


def _rendered(brief: Brief, templates: Templates, coverage: figures.Coverage) -> tuple[str, tuple[Note, ...]]:
    template = brief_template(templates)
    context = template_context(brief, coverage)
    try:
        text = template.render(**context)
    except jinja2.TemplateError as exc:
        raise _problem(template, exc, str(exc).rstrip(".")) from None
    except Exception as exc:
        # Whatever an analyst's template runs into while it renders (`{{ 1/0 }}`, a method called with
        # values it refuses) is a mistake of the template, told as one; in briefing's own templates it is
        # a bug of briefing's, and keeps its traceback.
        if not _analysts(template):
            raise
        raise _problem(template, exc, " ".join(f"{type(exc).__name__}: {exc}".split()).rstrip(":")) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", tuple(context["notes"])


def _problem(template: jinja2.Template, error: Exception, reason: str) -> TemplateProblem:
    """The error of a template that failed while it rendered, with its file and, when the traceback
    shows it, the line."""
    line = _template_line(error, template.filename)
    return TemplateProblem(f"{template.filename}{f':{line}' if line else ''}: {reason}")


def parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"typographer": False})
        .enable("table")
        .enable("strikethrough")
        .use(footnote_plugin)
        .use(attrs_plugin, spans=True)
    )


def document_tree(markdown: str) -> SyntaxTreeNode:
    """The Markdown's syntax tree: what the DOCX, PDF and HTML writers walk (and never change)."""
    return SyntaxTreeNode(parser().parse(markdown))


_TOC = re.compile(r"^\s*<!--\s*toc\b\s*(.*?)\s*-->\s*$", re.IGNORECASE | re.DOTALL)


def toc_title(node: SyntaxTreeNode) -> str | None:
    """The heading of the table of contents an `<!-- toc Heading -->` block asks for ("Contents" when
    it names none); None for any other node."""
    if node.type != "html_block":
        return None
    match = _TOC.match(node.content)
    if match is None:
        return None
    return " ".join(match.group(1).split()) or "Contents"


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def strip_html(raw: str) -> str:
    """What a browser would show of raw HTML, roughly: comments and tags dropped, entities decoded."""
    text = _HTML_COMMENT.sub("", raw)
    text = HTML_BREAK.sub("\n", text)
    return html.unescape(_HTML_TAG.sub("", text))


def node_text(node: SyntaxTreeNode, *, marks: bool = False, raw_html: bool = False) -> str:
    """The characters a node shows, markup and footnote back-references dropped, line breaks as spaces,
    other whitespace as it is. Footnote marks are dropped, or with `marks` shown as `[label]`; raw HTML is
    dropped, or with `raw_html` shown as a browser would (`strip_html`)."""
    kind = node.type
    if kind in ("softbreak", "hardbreak"):
        return " "
    if kind == "footnote_ref":
        return f"[{node.meta.get('label', '')}]" if marks else ""
    if kind in ("html_inline", "html_block"):
        return strip_html(node.content) if raw_html else ""
    if kind == "footnote_anchor":
        return ""
    if node.children:
        return "".join(node_text(c, marks=marks, raw_html=raw_html) for c in node.children)
    return node.content or ""


def plain_text_of(node: SyntaxTreeNode) -> str:
    """The characters a node shows, markup, footnote marks and back-references dropped, whitespace collapsed."""
    return " ".join(node_text(node).split())


def meta_paragraph(tree: SyntaxTreeNode) -> SyntaxTreeNode | None:
    """The paragraph right under the title (the first level-1 heading): what the brief is, when and from
    what; None when the title has none."""
    nodes = list(tree.children)
    for i, node in enumerate(nodes):
        if node.type == "heading" and node.tag == "h1":
            if i + 1 < len(nodes) and nodes[i + 1].type == "paragraph":
                return nodes[i + 1]
            break
    return None


def lone_image(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    """The image of a paragraph that holds nothing else (a figure, as pandoc reads it)."""
    if node.type != "paragraph" or len(node.children) != 1 or node.children[0].type != "inline":
        return None
    parts = [c for c in node.children[0].children if not (c.type in ("text", "softbreak") and not c.content.strip())]
    return parts[0] if len(parts) == 1 and parts[0].type == "image" else None


def image_sources(tree: SyntaxTreeNode) -> list[str]:
    """The `src` of every image in the tree, in order."""
    return [str(node.attrs.get("src", "")) for node in tree.walk() if node.type == "image"]


def write(rendered: Rendered, path: Path) -> None:
    """brief.md, and beside it every figure file its image links name."""
    path.write_text(rendered.markdown, encoding="utf-8")
    for src in dict.fromkeys(image_sources(rendered.tree)):
        if src in figures.FILES.values():
            data = rendered.images(src)
            if data is not None:
                (path.parent / src).write_bytes(data)
