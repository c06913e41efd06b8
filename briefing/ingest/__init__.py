"""Readers: one per input format, each turning a file's bytes into a Source.

`read_folder` walks the seeds folder, decodes each file (UTF-8, else cp1252), applies the analyst's
sidecar metadata (`NAME.meta.yaml` beside `NAME.txt`) and reports every file it could not use and why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefing.ingest import markdown, text
from briefing.model import METADATA_FIELDS, Metadata, Skipped

Reader = Callable[[str], "text.Parsed"]
READERS: dict[str, Reader] = {".txt": text.parse, ".md": markdown.parse, ".markdown": markdown.parse}
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")


@dataclass(frozen=True)
class RawSource:
    """A file as read: what the pipeline needs before it assigns ids."""

    path: str
    sha256: str
    text: str
    encoding: str
    metadata: Metadata
    body_start: int
    markdown: bool
    warnings: tuple[str, ...] = ()


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIXES)


def seed_files(folder: Path) -> list[Path]:
    """Every file under the folder in a stable order, hidden files and sidecars aside."""
    files = [p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted((p for p in files if not is_sidecar(p)), key=lambda p: p.relative_to(folder).as_posix())


def decode(data: bytes) -> tuple[str, str]:
    """The bytes as text and the encoding used; ValueError with a reason when they are not text."""
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


def sidecar_metadata(path: Path) -> Metadata:
    """Metadata an analyst set beside the article; ValueError names what is wrong."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.stem + suffix)
        if not sidecar.is_file():
            continue
        try:
            data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ValueError(f"{sidecar.name}: not valid YAML ({str(exc).splitlines()[0]})") from None
        return metadata_from_mapping(data, sidecar.name)
    return Metadata()


def metadata_from_mapping(data: object, where: str) -> Metadata:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected keys such as title, author, date")
    unknown = sorted(set(map(str, data)) - set(METADATA_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(METADATA_FIELDS)})")
    return Metadata(**{k: (str(v).strip() if v is not None else None) for k, v in data.items()})


def read_file(path: Path, display: str, max_bytes: int) -> RawSource:
    """One seed file as a RawSource; ValueError with the reason it cannot be used."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"unsupported file type {path.suffix or '(none)'!r} (readable: {', '.join(sorted(READERS))})")
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit for one file")
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("empty file")
    decoded, encoding = decode(data)
    parsed = reader(decoded)
    if not decoded[parsed.body_start :].strip():
        raise ValueError("no text after the front matter")
    warnings = tuple(parsed.warnings)
    if encoding != "utf-8":
        warnings += (f"not UTF-8; read as {encoding}",)
    metadata = parsed.metadata.merged(sidecar_metadata(path))
    return RawSource(
        path=display, sha256=hashlib.sha256(data).hexdigest(), text=decoded, encoding=encoding,
        metadata=metadata, body_start=parsed.body_start, markdown=parsed.markdown, warnings=warnings,
    )


def read_folder(folder: Path, max_bytes: int) -> tuple[list[RawSource], list[Skipped]]:
    """All readable seeds, and every file skipped with its reason."""
    sources: list[RawSource] = []
    skipped: list[Skipped] = []
    for path in seed_files(folder):
        display = (folder / path.relative_to(folder)).as_posix()
        try:
            sources.append(read_file(path, display, max_bytes))
        except (ValueError, OSError) as exc:
            skipped.append(Skipped(display, str(exc)))
    return sources, skipped
