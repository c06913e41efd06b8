"""PDF files: the text in reading order by pdfminer.six's layout analysis, for newspaper pages and
reports: columns read one after the other (a block that crosses the page's middle, such as a title,
where it stands), running headers, footers and page numbers removed (lines in the page's top or bottom
band that repeat on other pages, and bare page numbers), hyphenated line ends joined, and a paragraph
that runs on into the next column or page joined back. Metadata from the document information (title,
author, creation date; a placeholder such as "untitled", "anonymous" or "Microsoft Word - draft.docx"
is no title or author) and, without a title there, the first page's largest line.

pdfminer.six was chosen by measuring it against pypdf and pdfplumber on two-column PDFs
(`bench/pdf_libraries.py`): every word in reading order whatever order the page was drawn in (pypdf
follows the drawing order, pdfplumber interleaves the columns), and it gives each line's position,
which the column and furniture rules need. A block's line set in another size (a headline over its
byline) starts a new paragraph. An encrypted PDF that needs a password, one without a text layer (a
scan) and a damaged file are skipped with that reason. A page with more drawing instructions or
characters than a page of text ever has is skipped, and a document past its budget read up to it,
each with a warning: a few kilobytes can inflate to millions of instructions, which pdfminer.six would
take minutes and gigabytes to run.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from statistics import median
from typing import Any, cast

from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text, site_named

SUFFIXES = (".pdf",)
BAND = 0.08
"""The share of the page height, at the top and at the bottom, where running headers and footers are."""
SMALLER = 0.85
"""A line in the top or bottom band set at less than this share of the text's usual size is a running
head or foot."""
PAGE_NUMBER = re.compile(r"(?:page|p\.|seite|стр\.?)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|/|из)\s*\d{1,4})?", re.I)
SENTENCE_END = re.compile(r"[.!?:;…\"'”’)\]]$")

logging.getLogger("pdfminer").setLevel(logging.ERROR)
MAX_STREAM_BYTES = 100_000_000
"""The most one compressed stream of a PDF may inflate to; more is refused as a decompression bomb
(a few megabytes of zeros deflate to a thousandth of their size)."""


PAGE_CONTENT_BYTES = 2_000_000
"""The most drawing instructions (decoded content streams, the forms a page draws counted each time it
draws them) read for one page; a page of dense text has about 20 KB, and pdfminer.six reads about
0.3 MB a second. A page with more (a detailed map, or a small file made to stall a build: a few
kilobytes that inflate to millions of instructions) is skipped, with a warning that names it."""
DOCUMENT_CONTENT_BYTES = 16_000_000
"""The most drawing instructions read for one document, about two thousand pages of text: the pages
after it are left unread, with a warning."""
PAGE_DRAWINGS = 10_000
"""The most content streams run for one page, its own and each form it draws counted each time: a
form that draws another twice, twenty deep, is drawn a million times from a file of 3 KB."""
DOCUMENT_DRAWINGS = 100_000
"""The most content streams run for one document."""
PAGE_CHARACTERS = 100_000
"""The most characters laid out for one page (a page of dense text has about 5,000; laying out one
takes pdfminer.six 15 to 60 µs): a page with more is skipped, with a warning."""
DOCUMENT_CHARACTERS = 2_000_000
"""The most characters laid out for one document (some 700 pages of dense text); the pages after
them are left unread, with a warning."""


class StreamTooLarge(Exception):
    pass


class _OverBudget(Exception):
    def __init__(self, whole_document: bool) -> None:
        self.whole_document = whole_document


class _BoundedZlib:
    """zlib for pdfminer.six, whose streams would otherwise inflate without bound: `decompress` stops
    at MAX_STREAM_BYTES (read when called, so it can be changed)."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes, *args: int) -> bytes:
        inflater = zlib.decompressobj(*args)  # type: ignore[arg-type]  # (wbits, ...) as pdfminer passes them
        out = inflater.decompress(data, MAX_STREAM_BYTES + 1)
        if len(out) > MAX_STREAM_BYTES or inflater.unconsumed_tail:
            raise StreamTooLarge()
        return out + inflater.flush()


def _bound_pdfminer() -> None:
    from pdfminer import pdftypes

    pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float


@dataclass
class Block:
    lines: list[Line]
    x0: float
    y1: float
    x1: float


def _lines_of(box) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextLine

    out = []
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        text = line.get_text().strip()
        if not text:
            continue
        sizes = [c.size for c in line if isinstance(c, LTChar)]
        out.append(Line(text, line.x0, line.y0, line.x1, line.y1, max(sizes) if sizes else 0.0))
    return out


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _furniture(pages: list[tuple[float, list[Block]]]) -> set[tuple[int, int, int]]:
    """(page, block, line) of each running header, footer and page number: a line in the page's top
    or bottom band that is a bare page number, that repeats (digits aside) on another page, or that
    is set smaller than the text (as running heads are, which the one page of a short PDF has once)."""
    banded: list[tuple[int, int, int, Line]] = []
    sizes = []
    for p, (height, blocks) in enumerate(pages):
        for b, block in enumerate(blocks):
            for n, line in enumerate(block.lines):
                sizes.append(line.size)
                if line.y0 >= height * (1 - BAND) or line.y1 <= height * BAND:
                    banded.append((p, b, n, line))
    text_size = median(sizes) if sizes else 0.0
    pages_with = Counter(key for _, key in {(p, _key(line.text)) for p, _, _, line in banded})
    return {(p, b, n) for p, b, n, line in banded
            if PAGE_NUMBER.fullmatch(line.text.strip()) or pages_with[_key(line.text)] > 1
            or 0 < line.size < SMALLER * text_size}


def _reading_order(width: float, blocks: list[Block]) -> list[tuple[str, list[Block]]]:
    """The page's blocks in groups, in reading order: those that cross the page's middle above the
    columns ("above"), the left column, the right column, the crossing blocks below them ("below");
    each group top to bottom. A page of one column is all "above": so is a page whose narrow blocks all
    stand on one side of the middle (a web page printed to PDF, with an "Advertisement" label, a subheading
    or a short caption between its paragraphs), where they are read where they stand, not as a column
    read after the text above them and run on into the text below."""
    middle = width / 2
    crossing = [b for b in blocks if b.x0 < middle - 5 and b.x1 > middle + 5]
    columns = [b for b in blocks if b not in crossing]
    top = max((b.y1 for b in columns), default=0.0)
    by_top = lambda b: (-b.y1, b.x0)  # noqa: E731  (blocks level at the top, such as a table's cells: left to right)
    if len({(b.x0 + b.x1) / 2 < middle for b in columns}) < 2:
        return [("above", sorted(blocks, key=by_top))] if blocks else []
    groups = (("above", [b for b in crossing if b.y1 > top]),
              ("left", [b for b in columns if (b.x0 + b.x1) / 2 < middle]),
              ("right", [b for b in columns if (b.x0 + b.x1) / 2 >= middle]),
              ("below", [b for b in crossing if b.y1 <= top]))
    return [(name, sorted(group, key=by_top)) for name, group in groups if group]


def _joined(first: str, second: str) -> str:
    """Two pieces of one paragraph: a hyphen at a line end before a lower-case word is taken out."""
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha() and second[:1].islower():
        return first[:-1] + second
    return f"{first} {second}"


def _paragraphs_of(block: Block) -> list[str]:
    """A block's lines joined into paragraphs: a line set in another size (a headline over a byline)
    starts a new one."""
    pieces = [block.lines[0].text]
    for before, line in zip(block.lines, block.lines[1:]):
        if before.size and line.size and abs(line.size - before.size) > 0.15 * max(line.size, before.size):
            pieces.append(line.text)
        else:
            pieces[-1] = _joined(pieces[-1], line.text)
    return pieces


PLACEHOLDERS = frozenset({"untitled", "untitled document", "anonymous", "unknown", "unspecified", "none", "null",
                          "n/a", "document", "author", "user", "owner", "admin", "administrator"})
"""Titles and authors a program writes when nobody gave one (reportlab's "untitled" and "anonymous")."""
GENERATED_TITLE = re.compile(
    r"^(?:Microsoft (?:Word|PowerPoint|Excel) - .*|.*\.(?:docx?|odt|rtf|pptx?|txt|html?|pdf))$", re.IGNORECASE)
"""A title that is only the name of the file it was printed from ("Microsoft Word - draft2.docx")."""


PRINTED_PAGE = re.compile(r"Skia/PDF|Mozilla/\d|HeadlessChrome|Chrom(?:e|ium)\b|Firefox|\bSafari\b|wkhtmltopdf", re.I)
"""A Creator or Producer that says a web browser made the PDF, printing a page (Chrome and Edge write
their user agent and "Skia/PDF"; Safari, Firefox and wkhtmltopdf name themselves): its CreationDate is
the day the page was printed, not the article's date, which the printed page's text states."""


def _given(value: str | None, title: bool = False) -> str | None:
    """A document information value, None when it is a placeholder rather than what somebody wrote."""
    if value is None or value.strip().lower() in PLACEHOLDERS:
        return None
    return None if title and GENERATED_TITLE.match(value.strip()) else value


def extract(data: bytes) -> Extracted:
    layout = _laid_out(data)
    paragraphs = _paragraphs_in_order(layout.pages, layout.widths)
    if not "".join(paragraphs).strip() and layout.warnings:
        raise ValueError("no text read: " + "; ".join(layout.warnings))
    if not layout.pages:
        raise ValueError("not a readable PDF (no pages)")
    if not "".join(paragraphs).strip():
        raise ValueError("no text layer (a scanned PDF? it needs OCR first)" if layout.images else "no text in the PDF")
    info = layout.info
    values = {k: _info_text(info.get(key)) for k, key in
              (("title", "Title"), ("author", "Author"), ("date", "CreationDate"))}
    values["title"], values["author"] = _given(values["title"], title=True), _given(values["author"])
    if any(PRINTED_PAGE.search(_info_text(info.get(key)) or "") for key in ("Creator", "Producer")):
        values["date"] = None  # the day it was printed
        if values["title"]:  # the page's <title>, as its tab shows it: the site's name after the headline
            values["title"], values["publication"] = site_named(values["title"])
    if not values["title"]:
        values["title"] = _largest_line(layout.pages[0][1])
    metadata, found = metadata_of(**values)
    details = details_of(subject=_info_text(info.get("Subject")), keywords=_info_text(info.get("Keywords")),
                         creator=_info_text(info.get("Creator")), producer=_info_text(info.get("Producer")),
                         pages=layout.count)
    return Extracted(paragraphs_text(paragraphs), metadata, tuple(layout.warnings), found=found, details=details)


@dataclass
class _Layout:
    """What pdfminer.six's layout analysis found: each page's height and text blocks, its width, how
    many images the pages hold, and the document information."""

    pages: list[tuple[float, list[Block]]]
    widths: list[float]
    images: int
    info: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    count: int = 0  # the document's pages, read or not


def _laid_out(data: bytes) -> _Layout:
    """The PDF's layout; ValueError with the reason for an encrypted, bomb-like or damaged file."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    _bound_pdfminer()
    try:
        return _analysed(data)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ValueError("an encrypted PDF that needs a password") from None
    except StreamTooLarge:
        raise ValueError(f"a stream inflates to more than {MAX_STREAM_BYTES / 1e6:g} MB; refused "
                         "(decompression bomb)") from None
    except Exception as exc:  # pdfminer raises many kinds (PSException, KeyError, …) on a damaged file
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise ValueError("an encrypted PDF that needs a password") from None
        raise ValueError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None


@functools.cache
def _budgeted() -> tuple[type, type]:
    """pdfminer.six's page aggregator and interpreter, for text alone and within the budgets: lines
    and shapes are not kept (briefing reads no graphics); every content stream the interpreter runs (a
    page's, each form it draws) is counted against PAGE_CONTENT_BYTES, DOCUMENT_CONTENT_BYTES,
    PAGE_DRAWINGS and DOCUMENT_DRAWINGS first, and every character against PAGE_CHARACTERS and
    DOCUMENT_CHARACTERS (_OverBudget when one would be passed)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import list_value, stream_value

    class TextAggregator(PDFPageAggregator):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.page_left, self.page_drawings, self.page_characters = 0, 0, 0  # set at each page
            self.document_left, self.document_drawings = DOCUMENT_CONTENT_BYTES, DOCUMENT_DRAWINGS
            self.document_characters = DOCUMENT_CHARACTERS

        def begin_page(self, page: Any, ctm: Any) -> None:
            self.page_left, self.page_characters = PAGE_CONTENT_BYTES, PAGE_CHARACTERS
            self.page_drawings = PAGE_DRAWINGS
            self._stack = []  # the figures a page skipped over its budget had open
            super().begin_page(page, ctm)

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            pass

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.page_characters -= 1
            self.document_characters -= 1
            if self.page_characters < 0:
                self.document_characters += PAGE_CHARACTERS + 1  # not laid out: the page is skipped
                raise _OverBudget(whole_document=False)
            if self.document_characters < 0:
                raise _OverBudget(whole_document=True)
            return float(super().render_char(*args, **kwargs))

        def charge(self, size: int) -> None:
            if size > self.page_left or self.page_drawings <= 0:
                raise _OverBudget(whole_document=False)
            if size > self.document_left or self.document_drawings <= 0:
                raise _OverBudget(whole_document=True)
            self.page_left -= size
            self.document_left -= size
            self.page_drawings -= 1
            self.document_drawings -= 1

    class BudgetedInterpreter(PDFPageInterpreter):
        def render_contents(self, resources: Any, streams: Any, ctm: Any = (1, 0, 0, 1, 0, 0)) -> None:
            drawn = sum(len(stream_value(s).get_data() or b"") for s in list_value(streams))
            cast(Any, self.device).charge(drawn)
            super().render_contents(resources, streams, ctm=ctm)

    return TextAggregator, BudgetedInterpreter


def _analysed(data: bytes) -> _Layout:
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    TextAggregator, BudgetedInterpreter = _budgeted()

    document = PDFDocument(PDFParser(io.BytesIO(data)))  # permissions are not checked: reading is not copying
    manager = PDFResourceManager()
    # pdfminer.six groups characters into lines and lines into text boxes; its further step, ordering
    # the boxes by grouping them hierarchically (boxes_flow), is left out: _reading_order orders them by
    # columns and position, and that step's cost grows so fast with the boxes on a page that one page of
    # a thousand scattered words (a map's labels, an index, or an 11 KB file made to stall a build)
    # took minutes; without it, under a second.
    device = TextAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = BudgetedInterpreter(manager, device)
    found = _Layout([], [], 0, {})
    laid_out: dict[tuple[Any, ...], tuple[float, float, list[Block], int]] = {}
    over_page: list[int] = []
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        found.count = number
        same = _drawing_of(page)
        if same is not None and same in laid_out:  # a page that draws what an earlier one drew: its layout
            height, width, blocks, images = laid_out[same]
            found.pages.append((height, blocks))
            found.widths.append(width)
            found.images += images
            continue
        try:
            interpreter.process_page(page)
        except _OverBudget as over:
            if over.whole_document:
                found.warnings.append(f"pages {number} and after not read: the document runs past what briefing "
                                      f"reads of one ({DOCUMENT_CONTENT_BYTES / 1e6:g} MB of drawing instructions, "
                                      f"{DOCUMENT_CHARACTERS:,} characters or {DOCUMENT_DRAWINGS:,} drawings)")
                found.count = sum(1 for _ in PDFPage.create_pages(document))
                break
            over_page.append(number)
            continue
        layout = device.get_result()
        blocks, images = [], 0
        for element in layout:
            if isinstance(element, LTTextBox):
                lines = _lines_of(element)
                if lines:
                    blocks.append(Block(lines, element.x0, element.y1, element.x1))
            elif isinstance(element, (LTFigure, LTImage)):
                images += 1
        found.images += images
        found.pages.append((layout.height, blocks))
        found.widths.append(layout.width)
        if same is not None:
            laid_out[same] = (layout.height, layout.width, blocks, images)
    if over_page:
        found.warnings.insert(0, f"{_pages_named(over_page)} not read: more than briefing reads of a page "
                                 f"({PAGE_CONTENT_BYTES / 1e6:g} MB of drawing instructions, {PAGE_CHARACTERS:,} "
                                 f"characters or {PAGE_DRAWINGS:,} drawings): a detailed map, or a file made to "
                                 "stall a build")
    found.info = document.info[0] if document.info else {}
    return found


def _pages_named(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10]) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
    return f"page {shown}" if len(numbers) == 1 else f"pages {shown}"


def _drawing_of(page: Any) -> tuple[Any, ...] | None:
    """What decides a page's layout: its content streams (as objects of the file), resources, boxes and
    rotation; pages that share all of them (one stream drawn on every page, as a made-up 13 KB file
    does sixteen times) are laid out once. None when a stream is not an object of its own."""
    ids = tuple(getattr(stream, "objid", None) for stream in page.contents)
    if not ids or None in ids:
        return None
    return ids, repr(page.resources), tuple(page.mediabox or ()), tuple(page.cropbox or ()), page.rotate


def _paragraphs_in_order(pages: list[tuple[float, list[Block]]], widths: list[float]) -> list[str]:
    """The paragraphs of every page in reading order, furniture left out; a paragraph that ends a column
    or page in mid-sentence is joined to the first of the next."""
    furniture = _furniture(pages)
    paragraphs: list[str] = []
    run_on = False  # the last paragraph ended a column or page in mid-sentence
    for p, ((_height, blocks), width) in enumerate(zip(pages, widths)):
        kept_blocks = []
        for b, block in enumerate(blocks):
            kept = [line for n, line in enumerate(block.lines) if (p, b, n) not in furniture]
            if kept:
                kept_blocks.append(Block(kept, block.x0, block.y1, block.x1))
        for name, group in _reading_order(width, kept_blocks):
            for n, block in enumerate(group):
                pieces = _paragraphs_of(block)
                if run_on and n == 0:
                    paragraphs[-1] = _joined(paragraphs[-1], pieces.pop(0))  # runs on from the column or page before
                paragraphs += pieces
                run_on = False
            run_on = name in ("left", "right") and not SENTENCE_END.search(paragraphs[-1])
        if kept_blocks:
            run_on = run_on or (len(_reading_order(width, kept_blocks)) == 1
                                and not SENTENCE_END.search(paragraphs[-1]))
    return paragraphs


def _info_text(value) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value) or None
    if isinstance(value, PSLiteral):
        return str(value.name)
    return value if isinstance(value, str) and value else None


def _largest_line(blocks: list[Block]) -> str | None:
    """The first page's line set largest, when it stands out (a headline), else None."""
    lines = [line for block in blocks for line in block.lines]
    if len(lines) < 2:
        return None
    typical = median(line.size for line in lines)
    biggest = max(lines, key=lambda line: line.size)
    return biggest.text if biggest.size > 1.3 * typical else None


def parse_bytes(data: bytes, suffix: str = ".pdf") -> Extracted:
    return extract(data)
