"""Which PDF library reads a two-column newspaper page best: pypdf, pdfminer.six, pdfplumber.

The test corpus's articles (tests/formats_corpus.py) made into two-column PDFs with reportlab (title
across the top, a paragraph running from the left column into the right and onto a second page, a
running header, a footer and page numbers), and the same laid out on one page as a layout program
may write it, the right column drawn before the left (`drawn_out_of_order`). Each library's plain text extraction (its defaults) is
compared with the article's words in order: the share of the article's words it gives in reading
order (difflib's matching blocks over word sequences), the furniture words it leaves in, and the time
per file. Run: .venv/bin/python bench/pdf_libraries.py  (needs the bench extra, for pdfplumber)
"""

from __future__ import annotations

import difflib
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.formats_corpus import ARTICLES, as_pdf, drawn_out_of_order  # noqa: E402


def with_pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def with_pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def with_pdfplumber(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def with_briefing(data: bytes) -> str:
    from briefing.ingest import pdf

    return pdf.extract(data).text


LIBRARIES = {"pypdf": with_pypdf, "pdfminer.six": with_pdfminer, "pdfplumber": with_pdfplumber,
             "briefing (pdfminer.six + layout)": with_briefing}


def words(text: str) -> list[str]:
    return text.replace("-\n", "").split()


def main() -> None:
    for title, pdfs in (("reportlab frames: the stream in reading order; a header, footer and page number on "
                         "each page", [(a, as_pdf(a)) for a in ARTICLES]),
                        ("one page each, the right column drawn before the left, the running head last",
                         [(a, drawn_out_of_order(a)) for a in ARTICLES])):
        print(f"{len(pdfs)} two-column PDFs, {title}\n")
        table(pdfs)
        print()


def table(pdfs: list) -> None:
    print(f"{'library':34} {'words in order':>15} {'furniture words':>16} {'ms per file':>12}")
    for name, extract in LIBRARIES.items():
        in_order = total = furniture = 0
        started = time.perf_counter()
        texts = [extract(data) for _, data in pdfs]
        elapsed = (time.perf_counter() - started) / len(pdfs)
        for (a, _), text in zip(pdfs, texts):
            truth = " ".join((a.title, "By", a.author) + a.paragraphs).split()
            got = words(text)
            matcher = difflib.SequenceMatcher(None, truth, got, autojunk=False)
            in_order += sum(b.size for b in matcher.get_matching_blocks())
            total += len(truth)
            furniture += sum(1 for w in got if w in {"Weekly", "edition", "Subscribe", "Page", "news.example.org"})
        print(f"{name:34} {in_order / total:>14.1%} {furniture:>16} {elapsed * 1000:>12.1f}")


if __name__ == "__main__":
    main()
