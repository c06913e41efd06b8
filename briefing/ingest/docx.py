"""Word files (.docx): the paragraphs in document order (python-docx), tables row by row, footnotes
after the text; the core properties (title, author, created) as metadata. Each paragraph's text is
what Word shows with the tracked changes accepted (see `_inline_text`).

A DOCX is a zip of XML parts: before python-docx opens it, every XML part is checked with defusedxml
(a DTD, entity declarations or external references in any part refuse the file), and the zip's
declared sizes are checked so a zip bomb is refused too.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from briefing.ingest import safexml
from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text

SUFFIXES = (".docx",)
PLACEHOLDER_AUTHORS = frozenset({"python-docx", "author", "user", "owner", "admin", "administrator", "unknown",
                                 "anonymous"})
"""Authors a program writes when nobody gave one: python-docx's default template says "python-docx"."""
TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)
"""When python-docx's default template was made: the `created` of every file a script made from it
without setting its own (a 2013 date that recency weighed down and --since left out)."""


def _template_made(created: datetime) -> bool:
    return (created if created.tzinfo else created.replace(tzinfo=UTC)) == TEMPLATE_CREATED
MAX_UNPACKED_BYTES = 200_000_000
"""The most a DOCX may unpack to; a larger one is refused as a zip bomb."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _checked_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValueError(f"not a readable Word file (damaged zip: {exc})") from None
    if "word/document.xml" not in {i.filename for i in infos}:
        raise ValueError("not a readable Word file (no word/document.xml)")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise ValueError(f"unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB; refused (zip bomb)")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                part = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise ValueError(f"not a readable Word file ({info.filename}: {exc})") from None
            problem = safexml.refused(part, info.filename, allow_dtd=False)
            if problem:
                raise ValueError(problem)
    return archive


def _footnotes(archive: zipfile.ZipFile) -> list[str]:
    """The text of each footnote (separators aside), from word/footnotes.xml, parsed with defusedxml."""
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(archive.read("word/footnotes.xml"), forbid_dtd=True)
    except KeyError:
        return []
    notes = []
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        for p in note.iter(f"{W}p"):
            notes.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return notes


_BLOCK_WRAPPERS = frozenset(f"{W}{tag}" for tag in ("sdt", "sdtContent", "customXml"))
"""Elements around paragraphs, tables, rows or cells that Word shows in place: content controls
(`w:sdt`, the text in its `w:sdtContent`) and custom XML."""
_INLINE_WRAPPERS = frozenset(f"{W}{tag}" for tag in (
    "hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml", "dir", "bdo"))
"""Elements in a paragraph whose runs Word shows in place: hyperlinks, tracked insertions and
moves-to, smart tags, simple fields (their runs are the field's displayed result), inline content
controls, custom XML and bidirectional embeddings. Tracked deletions (`w:del`) and moves-from
(`w:moveFrom`) are not among them: with the changes accepted they are gone."""
P, TBL, TR, TC = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc"


def _within(container: Any, *tags: str) -> Iterator[Any]:
    """The children of a body, table, row or cell with one of `tags`, in document order, those inside
    content controls too (python-docx's `iter_inner_content`, `rows` and `cells` pass over them)."""
    for child in container:
        if child.tag in tags:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _within(child, *tags)


def _inline_text(element: Any) -> str:
    """A paragraph's text as Word shows it with tracked changes accepted. python-docx's
    `Paragraph.text` reads only the paragraph's own runs and hyperlinks, so a tracked insertion, a
    content control, a smart tag or a field result was dropped ("would [not] host" read as "would
    host"). Each run's text is python-docx's (`w:t`, tabs and line breaks; `w:delText` is not text)."""
    from docx.oxml.text.run import CT_R

    parts = []
    for child in element:
        if isinstance(child, CT_R):
            parts.append(child.text)
        elif child.tag in _INLINE_WRAPPERS:
            parts.append(_inline_text(child))
    return "".join(parts)


def _rows_of(table: Any) -> list[str]:
    """Each row of a table (`w:tbl`) as one line, its cells' text joined with " | "; a cell's text is
    its paragraphs' (nested tables aside), one line each. A cell that continues a vertical merge
    holds no text of its own (the merge's first cell has it, on its own row), so it is passed over:
    python-docx's `row.cells` would look up each such cell's first row again, which took minutes on
    a 30 KB file of a few hundred merged rows (the time grows with the square of the rows)."""
    lines = []
    for tr in _within(table, TR):
        cells = ("\n".join(_inline_text(p) for p in _within(tc, P)).strip()
                 for tc in _within(tr, TC) if tc.vMerge != "continue")
        lines.append(" | ".join(text for text in cells if text))
    return lines


def extract(data: bytes) -> Extracted:
    archive = _checked_zip(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        for block in _within(document.element.body, P, TBL):
            if block.tag == P:
                paragraphs.append(_inline_text(block))
            else:
                paragraphs += _rows_of(block)
        paragraphs += _footnotes(archive)
        props = document.core_properties
        created = props.created.date().isoformat() if props.created and not _template_made(props.created) else None
        author = None if (props.author or "").strip().lower() in PLACEHOLDER_AUTHORS else props.author
        values = dict(title=props.title, author=author, date=created, publication=props.category or None)
        details = details_of(subject=props.subject, keywords=props.keywords, language=props.language,
                             comments=props.comments, last_modified_by=props.last_modified_by,
                             modified=props.modified.date().isoformat() if props.modified else None)
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"not a readable Word file ({exc})") from None
    except Exception as exc:  # python-docx raises lxml and its own errors on a damaged part
        raise ValueError(f"not a readable Word file ({type(exc).__name__}: {exc})") from None
    text = paragraphs_text(paragraphs)
    if not text.strip():
        raise ValueError("no text in the Word file")
    metadata, found = metadata_of(**values)
    return Extracted(text, metadata, found=found, details=details)


def parse_bytes(data: bytes, suffix: str = ".docx") -> Extracted:
    return extract(data)
