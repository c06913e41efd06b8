"""Plain-text articles: the whole file is the article; metadata is inferred later from its lines.
`decode` reads a file's bytes as text, for every reader of a text format."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.model import Metadata

BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True)
class Parsed:
    metadata: Metadata = Metadata()
    body_start: int = 0
    markdown: bool = False
    warnings: list[str] = field(default_factory=list)


def parse(text: str, max_metadata_bytes: int = 0) -> Parsed:
    return Parsed()


def decode(data: bytes) -> tuple[str, str]:
    """The bytes as text and the encoding used; ValueError with a reason when they are not text.
    UTF-32 and UTF-16 are recognised by their byte order mark (the text then starts after it, as
    Python's "utf-16" and "utf-32" codecs decode it); otherwise UTF-8, else cp1252."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ValueError(f"not valid {encoding.upper()} text ({exc.reason} at byte {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise ValueError(f"binary file, not text (NUL byte at {data.index(0)})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        decoded = data.decode("cp1252")
    except UnicodeDecodeError:
        bad = data[utf8_error.start]
        raise ValueError(f"not UTF-8 or cp1252 text (byte 0x{bad:02x} at {utf8_error.start})") from None
    controls = sum(1 for ch in decoded if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(decoded) / 100:
        raise ValueError("binary file, not text (control characters)")
    return decoded, "cp1252"
