"""Fuzzed seeds folders (hypothesis strategies) and the check of one build over one: the build ends with
exit 0 or a clean exit 2, every output is valid, and every citation verifies by the README's rule.
Shared by tests/test_fuzz.py (a short run in `make test`, 20 builds in about 20 s) and bench/fuzz.py (a long one)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import traceback
from pathlib import Path

import docx
from hypothesis import strategies as st
from pypdf import PdfReader

from briefing.cli import main
from briefing.safetext import bidi_closed
from tests.verify import all_items, cited_text, collapse

THEMES = """themes:
  - id: labour
    title: Labour unrest
    keywords: {strike: 3, union: 2.5, wage: 2.5, dock workers: 2}
  - id: trade
    title: Trade and shipping
    keywords: {exports: 3, shipping: 2.5, grain: 2, trade: 2}
"""
WORDS = ("the strike union wage dock workers exports shipping grain trade port minister said on Monday "
         "government talks collapsed farmers vessels rerouted economy growth fell percent week").split()
ODD = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9b", "\ud7ff", "\ufeff", "\ufffe",
       "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff", "\u202e", "\u200b", "\u0301", "e\u0301", "\u2028", "\u2029",
       "漢字", "مرحبا", "😀", "<script>", "&amp;", "*", "_", "#", "[x](javascript:alert(1))", "\\", "`", "|", "---",
       "{{ x }}", "{% if %}", "<!--", "\r", "\t", "\n\n", "$", "~", "^[1]"]

text_chars = st.characters(exclude_categories=["Cs"])
odd_token = st.one_of(st.sampled_from(ODD), st.text(text_chars, min_size=1, max_size=8),
                      st.integers(1, 400).map(lambda n: "w" * n))
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS), odd_token)


@st.composite
def sentence(draw) -> str:
    words = draw(st.lists(word, min_size=4, max_size=22))
    return " ".join(words).strip().capitalize() + draw(st.sampled_from([".", ".", "!", "?", "", "…"]))


@st.composite
def article_text(draw) -> str:
    paragraphs = draw(st.lists(st.lists(sentence(), min_size=1, max_size=5).map(" ".join), min_size=1, max_size=6))
    head = draw(st.sampled_from(["", "Valmora strike widens\n\n", "By Ana Petrova\n\n",
                                 "Publication: Harbour Tribune\nDate: 2022-13-45\n\n"]))
    return head + "\n\n".join(paragraphs) + "\n"


yaml_value = st.one_of(
    st.text(text_chars, max_size=30).map(json.dumps),  # quoted, with escapes for every odd character
    st.text(text_chars, max_size=30),  # as written: often not YAML
    st.sampled_from(["2022-10-18", "2022-13-45", "2022-02-30", "99999-01-01", "null", "~", "[a, b]", "{a: 1}",
                     "&a [x, x]", "*a", "*nowhere", "!!python/object:os.system x", "!!float abc", "1e999",
                     "9" * 5000, "'unterminated", "- a\n- b", "|\n  block\n  text", "https://a.example/ x",
                     '"line\\nbreak # heading"']),
)
yaml_key = st.sampled_from(["title", "author", "date", "url", "publisher", "publication", "by", "link",
                            "titel", "<<", "? x", "a: b"])


@st.composite
def yaml_document(draw) -> str:
    lines = [f"{draw(yaml_key)}: {draw(yaml_value)}" for _ in range(draw(st.integers(0, 5)))]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n...\n", "\n\x00", "\t\n"]))


name_chars = st.characters(exclude_categories=["Cs"], exclude_characters="/\x00")


@st.composite
def file_name(draw) -> bytes:
    stem = os.fsencode(draw(st.text(name_chars, min_size=1, max_size=12)).lstrip("."))[:100] or b"x"
    stem += draw(st.sampled_from([b"", b"", b"\xff\xfe", b"\x80", b"\xc3"]))
    return stem + draw(st.sampled_from([b".txt", b".md", b".txt", b".md", b".markdown", b".TXT"]))


def encoded(text: str, how: str) -> bytes:
    if how == "cp1252":
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            return text.encode("utf-8")
    if how in ("utf-16", "utf-32"):
        return text.encode(how)  # with a BOM
    if how == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode("utf-8")


@st.composite
def seeds_folder(draw) -> dict[bytes, bytes]:
    """File name → bytes: fuzzed articles, maybe with front matter and sidecars, and one plain article so
    that most folders give a brief."""
    files: dict[bytes, bytes] = {
        b"plain.txt": (b"Dock workers extended the strike on Monday, halting exports of grain. The union said "
                       b"wage talks with the port had collapsed. Shipping lines rerouted vessels as trade fell.\n")
}
    for _ in range(draw(st.integers(2, 6))):
        name = draw(file_name())
        text = draw(article_text())
        if name.lower().endswith((b".md", b".markdown")) and draw(st.booleans()):
            text = "---\n" + draw(yaml_document()) + "\n---\n" + text
        files[name] = encoded(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "cp1252", "utf-16",
                                                          "utf-32", "utf-8-sig"])))
        if draw(st.integers(0, 3)) == 0:
            stem = name.rsplit(b".", 1)[0]
            files[stem + draw(st.sampled_from([b".meta.yaml", b".meta.yml"]))] = draw(yaml_document()).encode(
                "utf-8", "surrogatepass")
    return files


FORMATS = ("md", "json", "docx", "pdf", "html")


def check_build(files: dict[bytes, bytes], work: Path, formats=FORMATS) -> list[str]:
    """Problems found building a brief from `files` in `work` (empty when all is well)."""
    seeds = os.path.join(os.fsencode(work), b"seeds")
    os.makedirs(seeds, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(seeds, name), "wb") as f:
            f.write(data)
    (work / "themes.yaml").write_text(THEMES)
    (work / "briefing.yaml").write_text("{}\n")
    out = work / "output"
    err = io.StringIO()
    args = ["build", "-q", "--config", str(work / "briefing.yaml"), "--seeds", os.fsdecode(seeds), "--out", str(out),
            "--themes", str(work / "themes.yaml"), *[a for f in formats for a in ("--format", f)]]
    try:
        with contextlib.redirect_stderr(err):
            code = main(args)
    except BaseException as exc:  # noqa: BLE001 - a crash is what is looked for
        return [f"crash: {type(exc).__name__}: {str(exc)[:200]} at {traceback.extract_tb(exc.__traceback__)[-1].name}"]
    if code == 2:
        message = err.getvalue().strip()
        return [] if message.startswith("error:") and "Traceback" not in message else [f"unclean exit 2: {message[:200]}"]
    if code != 0:
        return [f"crash: exit {code}: {err.getvalue().strip()[:300]}"]
    return output_problems(out, formats, work)


def output_problems(out: Path, formats, root: Path) -> list[str]:
    problems = []
    try:
        brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"invalid brief.json: {exc}"]
    if "docx" in formats:
        try:
            docx.Document(str(out / "brief.docx"))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"invalid brief.docx: {type(exc).__name__}: {exc}")
    if "pdf" in formats:
        try:
            if not PdfReader(str(out / "brief.pdf")).pages:
                problems.append("invalid brief.pdf: no pages")
        except Exception as exc:  # noqa: BLE001
            problems.append(f"invalid brief.pdf: {type(exc).__name__}: {exc}")
    if "md" in formats and not (out / "brief.md").is_file():
        problems.append("brief.md missing")
    if "html" in formats:
        problems += html_problems(out / "brief.html", brief, root)
    sources = {s["id"]: s for s in brief["sources"]}
    for item in all_items(brief):
        for n, citation in enumerate(item["citations"]):
            try:
                span = cited_text(brief, citation, root, out)
            except Exception as exc:  # noqa: BLE001
                problems.append(f"citation unreadable: {type(exc).__name__}: {exc}")
                continue
            if n == 0 and collapse(span) != collapse(item["text"]):
                problems.append(f"citation does not verify: {item['text'][:60]!r} in {sources[citation['source']]['path']}")
            if n > 0 and not collapse(span):
                problems.append("a corroborating citation is an empty span")
    return problems


def html_problems(path: Path, brief: dict, root: Path) -> list[str]:
    """What is wrong with brief.html: a parse error (html5lib, strict), a script that is not the page's
    own, or a citation mark whose passage does not hold the item's cited span."""
    import html5lib

    try:
        tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(path.read_text(encoding="utf-8"))
    except Exception as exc:  # noqa: BLE001
        return [f"invalid brief.html: {type(exc).__name__}: {exc}"]
    scripts = list(tree.iter("script"))
    if [s.get("type") for s in scripts] != ["application/json", None]:
        return ["brief.html: a script that is not the page's own"]
    passages = json.loads(scripts[0].text)
    marks = [a.get("data-note") for a in tree.iter("a") if a.get("class") == "cite"]
    problems = []
    for note, item in zip(marks, all_items(brief)):
        shown = passages[note]["passages"][0]["cited"]
        # the panel closes a right-to-left override the span leaves open (bidi_closed)
        if collapse(shown) != collapse(bidi_closed(cited_text(brief, item["citations"][0], root, path.parent))):
            problems.append(f"brief.html: the passage of {item['text'][:60]!r} is not its cited span")
    if len(marks) != len(all_items(brief)):
        problems.append(f"brief.html: {len(marks)} citation marks for {len(all_items(brief))} items")
    return problems
