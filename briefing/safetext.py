"""Text that is safe to write anywhere (XML, DOCX, PDF, JSON): what a reader does to every string it
returns.

Control characters (C0 but tab, newline and carriage return; DEL; C1), lone surrogates and Unicode
non-characters (U+FDD0–U+FDEF and the last two code points of every plane) are replaced one for one,
so character offsets into the decoded file stay true: one that is whitespace to Python (form feed,
vertical tab, U+001C–U+001F, U+0085) becomes a space, every other one U+FFFD.

`typographic` then reads three typesetting conventions as the characters they stand for (a change of
length: see `briefing.ingest.read_file` for what a text source then cites): the ligatures U+FB00–U+FB06
(ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ, which PDFs are full of) as their letters, a quotation written ``…'' (news archives'
wire copy, LaTeX) as “…”, and wire copy's dash " _ " as " — ".
"""

from __future__ import annotations

import os
import re
import unicodedata

CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"  # C0 but tab and line ends, DEL, C1, surrogates
BMP_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
NONCHARACTERS = BMP_NONCHARACTERS + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                                            for plane in range(1, 17))
UNSAFE = re.compile("[" + CONTROLS + NONCHARACTERS + "]")
SUSPECT = re.compile("[" + CONTROLS + BMP_NONCHARACTERS + "\U0001fffe-\U0010ffff]")
"""UNSAFE's characters and every character from U+1FFFE on (rare in any text): a class of a few ranges,
which a regular expression scans ten times faster than UNSAFE's 34 single non-characters of the
other planes. Only a text that has one is searched with UNSAFE (0.34 ms → 0.04 ms a 4.5 KB article)."""
REPLACEMENT = "\ufffd"
LINE_CONTROLS = "\t\n\r"
"""The control characters text may hold (UNSAFE leaves them), but a file's name shown as one line may not."""
NAME_UNSAFE = re.compile("[" + LINE_CONTROLS + CONTROLS + NONCHARACTERS + "]")
NAME_SUSPECT = re.compile("[" + LINE_CONTROLS + CONTROLS + BMP_NONCHARACTERS + "\U0001fffe-\U0010ffff]")
"""NAME_UNSAFE's quick check, as SUSPECT is UNSAFE's."""


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group().isspace() else REPLACEMENT


def sanitised(text: str) -> tuple[str, int]:
    """The text with each unsafe character replaced (same length), and how many were replaced."""
    if SUSPECT.search(text) is None or UNSAFE.search(text) is None:
        return text, 0
    return UNSAFE.subn(_replacement, text)


LIGATURES = re.compile("[\ufb00-\ufb06]")
"""The Latin ligatures of Unicode's Alphabetic Presentation Forms: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ."""
_LETTERS_OF = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
"""Each ligature's letters (its compatibility decomposition, NFKC of that character alone: the rest of
a text is not NFKC-normalised, which would change superscripts, full-width forms and the like)."""
WIRE_QUOTATION = re.compile(r"(?<![\w`'])``(?=[^\s`'])((?:[^`'\n]|'(?!')|\n(?![ \t\r]*\n))*?(?<=\S))''(?![\w`'])")
"""A quotation as news archives (LDC, TREC) and LaTeX write one: two backticks opening, two apostrophes
closing, in one paragraph. Tight on purpose: the `` opens a word, the '' closes one and is the first
pair of apostrophes after it, no backtick lies between (a code span), and a blank line ends the search;
an unmatched `` or '' (an empty string in code, `` in Markdown) is left as it is."""


WIRE_DASH = re.compile(r"(?<=[^\s_]) _ (?=[^\s_])")
"""A dash as wire copy (The New York Times's, in the news archives) writes one: an underscore standing
alone between words ("bypass Russia _ a sign, analysts said, of …"). Markdown's emphasis never stands
alone so."""


def typographic(text: str) -> tuple[str, int, int, int]:
    """The text with every ligature U+FB00–U+FB06 read as its letters, every ``…'' quotation as “…” and
    every wire dash " _ " as " — ", and how many ligatures, quotations and dashes were read. Text without
    any (nearly all) comes back as it is. Unlike `sanitised`, this changes the text's length."""
    ligatures = quotations = dashes = 0
    if "``" in text:
        text, quotations = WIRE_QUOTATION.subn(r"“\1”", text)
    if " _ " in text:
        text, dashes = WIRE_DASH.subn(" — ", text)
    if LIGATURES.search(text) is not None:
        ligatures = len(LIGATURES.findall(text))
        text = text.translate(_LETTERS_OF)
    return text, ligatures, quotations, dashes


def metadata_value(value: str) -> str:
    """A metadata field as one line of safe text: unsafe characters replaced, ligatures and ``…''
    quotations read (`typographic`), whitespace collapsed."""
    return " ".join(typographic(sanitised(value)[0])[0].split())


def printable_path(path: str) -> str:
    """A file's path as text that can be written anywhere, and from which the file's name can be had
    back: its bytes that are not UTF-8 (which os.scandir gives as surrogate escapes) and the UTF-8 bytes
    of control and non-characters as `\\xff`, a backslash as `\\\\`; so `codecs.escape_decode(path.encode())[0]`
    is the name's bytes. Tab, newline and carriage return are escaped too (`\\x09`, `\\x0a`, `\\x0d`):
    text keeps them, but a name is one line, and a raw tab or line break in `path` (brief.json, the
    sources table, a warning) hid what the name was. Most paths have none of these and come back as
    they are."""
    if "\\" not in path and (NAME_SUSPECT.search(path) is None or NAME_UNSAFE.search(path) is None):
        return path
    text = os.fsencode(path).replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")
    return NAME_UNSAFE.sub(lambda m: "".join(f"\\x{b:02x}" for b in m.group().encode("utf-8")), text)


def xml_safe(text: str) -> str:
    """The text with every unsafe character replaced, for a writer whose format cannot hold one."""
    return sanitised(text)[0]


EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: closed by PDF (U+202C)
ISOLATES = "\u2066\u2067\u2068"  # LRI, RLI, FSI: closed by PDI (U+2069)
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_closed(text: str) -> str:
    """The text with the directional embeddings, overrides and isolates it opens and leaves open
    closed at its end (as Unicode's bidirectional algorithm pairs them), so that a right-to-left
    override in a quoted sentence cannot turn around what follows it on the line: the citation mark,
    the next item. Text without such characters (nearly all) comes back as it is."""
    if BIDI.search(text) is None:
        return text
    opened: list[str] = []
    for match in BIDI.finditer(text):
        mark = match.group()
        if mark in EMBEDDINGS:
            opened.append("\u202c")
        elif mark in ISOLATES:
            opened.append("\u2069")
        elif mark == "\u202c":
            if opened and opened[-1] == "\u202c":
                opened.pop()
        elif "\u2069" in opened:  # PDI closes its isolate and every embedding opened inside it
            del opened[len(opened) - 1 - opened[::-1].index("\u2069"):]
    return text + "".join(reversed(opened))


def terminal_text(text: str) -> str:
    """The text as a terminal may show it: each directional embedding, override and isolate character
    (U+202A–U+202E, U+2066–U+2069) written as its escape (`\\u202e`). A terminal that lays out
    right-to-left text lets one turn around the rest of its line, which on a terminal is the next cells
    of a table or the source id after a sentence, and a table folds a long value over lines, so closing
    it at its end (`bidi_closed`) is not enough there. Text without such characters (nearly all) comes
    back as it is."""
    if BIDI.search(text) is None:
        return text
    return BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
