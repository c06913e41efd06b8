"""Readers: one per input format, each turning a file's bytes into a Source.

`read_folder` walks the seeds folder, decodes each file (UTF-8, else cp1252), applies the analyst's
sidecar metadata (`NAME.meta.yaml` beside `NAME.txt`) and reports every file it could not use and why.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefing.ingest import markdown, text
from briefing.model import METADATA_FIELDS, Metadata, Skipped

Reader = Callable[[str], "text.Parsed"]
READERS: dict[str, Reader] = {".txt": text.parse, ".md": markdown.parse, ".markdown": markdown.parse}
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
NO_METADATA = Metadata()


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
    return [folder / rel for rel, _ in _listing(folder)]


def _listing(folder: Path) -> list[tuple[str, frozenset[str]]]:
    """Each seed file's path relative to the folder (POSIX, sorted as `seed_files` orders them), with
    the names of the files beside it, so sidecars are found without a stat per article.

    One os.scandir per folder: the same files as `folder.rglob("*")` filtered by `is_file()` (symbolic
    links to files count, links to folders are not followed), without hidden files or folders.
    """
    found: list[tuple[str, frozenset[str]]] = []
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, where = pending.pop()
        names: list[str] = []
        files: set[str] = set()
        try:
            entries = list(os.scandir(where))
        except PermissionError:  # as rglob does: an unreadable folder is passed over
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file():
                    files.add(entry.name)
                    if not entry.name.endswith(SIDECAR_SUFFIXES):
                        names.append(entry.name)
            except OSError:
                continue
        beside = frozenset(files)
        found += ((prefix + name, beside) for name in names)
    found.sort(key=lambda item: item[0])
    return found


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


def sidecar_metadata(path: Path, beside: frozenset[str] | None = None) -> Metadata:
    """Metadata an analyst set beside the article; ValueError names what is wrong. `beside` (the
    names of the files in the article's folder, when known) spares a stat per possible sidecar."""
    for suffix in SIDECAR_SUFFIXES:
        if beside is not None and _stem(path.name) + suffix not in beside:
            continue
        sidecar = path.with_name(path.stem + suffix)
        if beside is None and not sidecar.is_file():
            continue
        try:
            data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ValueError(f"{sidecar.name}: not valid YAML ({str(exc).splitlines()[0]})") from None
        return metadata_from_mapping(data, sidecar.name)
    return NO_METADATA


def _stem(name: str) -> str:
    """`Path(name).stem`, without making a Path."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def metadata_from_mapping(data: object, where: str) -> Metadata:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected keys such as title, author, date")
    unknown = sorted(set(map(str, data)) - set(METADATA_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(METADATA_FIELDS)})")
    return Metadata(**{k: (str(v).strip() if v is not None else None) for k, v in data.items()})


def read_file(path: Path, display: str, max_bytes: int, beside: frozenset[str] | None = None) -> RawSource:
    """One seed file as a RawSource; ValueError with the reason it cannot be used. `beside`: the names
    of the files in its folder, when the caller listed it (see `sidecar_metadata`)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"unsupported file type {path.suffix or '(none)'!r} (readable: {', '.join(sorted(READERS))})")
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_bytes:
            raise ValueError(f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit for one file")
        data = file.read()
    if not data or data.isspace():
        raise ValueError("empty file")
    decoded, encoding = decode(data)
    parsed = reader(decoded)
    body = decoded[parsed.body_start :] if parsed.body_start else decoded
    if not body or body.isspace():
        raise ValueError("no text after the front matter")
    warnings = tuple(parsed.warnings)
    if encoding != "utf-8":
        warnings += (f"not UTF-8; read as {encoding}",)
    sidecar = sidecar_metadata(path, beside)
    metadata = parsed.metadata.merged(sidecar) if sidecar != NO_METADATA else parsed.metadata
    return RawSource(
        path=display, sha256=hashlib.sha256(data).hexdigest(), text=decoded, encoding=encoding,
        metadata=metadata, body_start=parsed.body_start, markdown=parsed.markdown, warnings=warnings,
    )


def read_folder(folder: Path, max_bytes: int) -> tuple[list[RawSource], list[Skipped]]:
    """All readable seeds, and every file skipped with its reason."""
    sources: list[RawSource] = []
    skipped: list[Skipped] = []
    prefix = (folder / "_").as_posix()[:-1]  # how `folder / rel` prints, without a Path per file
    for rel, beside in _listing(folder):
        display = prefix + rel
        try:
            sources.append(read_file(folder / rel, display, max_bytes, beside))
        except (ValueError, OSError) as exc:
            skipped.append(Skipped(display, str(exc)))
    return sources, skipped
