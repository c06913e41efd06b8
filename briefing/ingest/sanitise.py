"""Text that is safe to write anywhere (XML, DOCX, PDF, JSON): what a reader does to every string it
returns.

Control characters (C0 but tab, newline and carriage return; DEL; C1), lone surrogates and Unicode
non-characters (U+FDD0–U+FDEF and the last two code points of every plane) are replaced one for one,
so character offsets into the decoded file stay true: one that is whitespace to Python (form feed,
vertical tab, U+001C–U+001F, U+0085) becomes a space, every other one U+FFFD.
"""

from __future__ import annotations

import os
import re

NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                                          for plane in range(17))
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + NONCHARACTERS + "]")
REPLACEMENT = "\ufffd"


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group().isspace() else REPLACEMENT


def sanitised(text: str) -> tuple[str, int]:
    """The text with each unsafe character replaced (same length), and how many were replaced."""
    if UNSAFE.search(text) is None:
        return text, 0
    return UNSAFE.subn(_replacement, text)


def metadata_value(value: str) -> str:
    """A metadata field as one line of safe text: unsafe characters replaced, whitespace collapsed."""
    return " ".join(sanitised(value)[0].split())


def printable_path(path: str) -> str:
    """A file's path as text that can be written anywhere: bytes that are not UTF-8 (which os.scandir
    gives as surrogate escapes) as `\\xff`, and control or non-characters as `\\x01`, `\\ufffe`."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
