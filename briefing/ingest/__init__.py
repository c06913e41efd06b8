"""Readers: one per input format, each turning a file's bytes into a Source.

Text files (.txt) are decoded and are their own text. A Markdown file (.md, .markdown) is decoded
and read as its text (`briefing.ingest.markdown.text_of`: emphasis, link URLs, images and the rest of
the markup left out), so, like a document's, its text is not its file's bytes. Documents (web pages,
PDF, Word, e-mail; see `DOCUMENT_READERS`) are read by a module each that extracts the article's text
and the metadata the document carries. The build writes the text of a Markdown file or a document
beside the brief for citations to point into. What a document reader found is cached by the file's
bytes (`extractions`), so a nightly build does not extract an unchanged file again (reading Markdown
is cheap: it is read at every build).

`read_folder` walks the seeds folder, decodes each text file (UTF-16/32 with a BOM, UTF-8, else cp1252),
replaces the characters no output can hold and reads ligatures, ``…'' quotations and wire dashes (in every
source's text: see `briefing.safetext`), applies the analyst's sidecar metadata
(`NAME.meta.yaml` beside `NAME.txt`) and reports every file it could not use and why. It opens only
regular files, never follows a link out of the seeds folder unless told to, and reads sidecars and
front matter with a size limit and without YAML aliases.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import importlib.metadata
import json
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from briefing import safeyaml
from briefing.ingest import docx, eml, html, markdown, newswire, pdf, text
from briefing.ingest.extracted import Extracted
from briefing.ingest.text import decode
from briefing.model import METADATA_FIELDS, Metadata, Skipped
from briefing.pipeline import recency
from briefing.safetext import metadata_value, printable_path, sanitised, typographic

Reader = Callable[[str, int], "text.Parsed"]
READERS: dict[str, Reader] = {".txt": text.parse, ".md": markdown.parse, ".markdown": markdown.parse}
DocumentReader = Callable[[bytes, str], Extracted]
DOCUMENT_READERS: dict[str, tuple[str, DocumentReader]] = {
    **{suffix: ("html", html.parse_bytes) for suffix in html.SUFFIXES},
    **{suffix: ("pdf", pdf.parse_bytes) for suffix in pdf.SUFFIXES},
    **{suffix: ("docx", docx.parse_bytes) for suffix in docx.SUFFIXES},
    **{suffix: ("eml", eml.parse_bytes) for suffix in eml.SUFFIXES},
    **{suffix: ("newswire", newswire.parse_bytes) for suffix in newswire.SUFFIXES},
}
"""Suffix → (format, reader) of the formats whose bytes are not the text."""
EXTRACTION_VERSION = "21"
"""Bump when a document reader, or the Markdown reader, changes what it extracts: every cached extraction
(and the analysis of every document and Markdown source, see `reader_version`) is then redone."""
EXTRACTIONS = "extractions"
EXTRACT_IN_WORKERS_FROM = 64
"""Fewer documents than this are extracted in-process: starting workers would cost more than it saves."""
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
NO_METADATA = Metadata()
FETCH_RECORDS = ("retrieved", "feed")
"""Sidecar keys `briefing fetch` writes beside the URL: a record of where the page came from, not metadata."""
MAX_METADATA_BYTES = 65_536
"""The default limit on one sidecar file or one front matter block (`limits.max_metadata_bytes`)."""


class ExtractionStore(Protocol):
    """Where the extractions of documents are kept between builds (`briefing.cache.Cache`)."""

    def get_many(self, keys: Sequence[str], table: str = ...) -> dict: ...
    def put_many(self, entries: Iterable[tuple[str, str | bytes]], table: str = ...) -> None: ...
    def keep_only(self, keys: Iterable[str], table: str = ...) -> int: ...


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
    replaced: int = 0
    """How many characters of the decoded file were replaced (see `briefing.safetext`)."""
    format: str = "txt"
    """The reader's format: txt, md, html, pdf, docx, eml or newswire."""
    extracted: bool = False
    """The text was extracted from a document, or is a text file's with ligatures, ``…'' quotations or wire dashes
    read (`briefing.safetext.typographic`): it is not the file's bytes decoded, so it is published."""
    found: tuple[str, ...] = ()
    """The metadata fields the document itself gave (extracted formats)."""
    details: tuple[tuple[str, str], ...] = ()
    """What else the document says about itself (see `briefing.ingest.extracted.Extracted.details`)."""
    markup: tuple[tuple[int, int], ...] = ()
    """Spans of the text that are a Markdown file's structure, not prose (headings, code blocks,
    tables: see `briefing.ingest.markdown.text_of`), which the clean stage sets aside."""


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIXES)


def seed_files(folder: Path) -> list[Path]:
    """Every file under the folder in a stable order, hidden files and sidecars aside."""
    return [folder / rel for rel, _ in _listing(folder)[0]]


def _special(mode: int) -> str | None:
    """Why a file of this type is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _link_problem(path: str, root: str, follow_outside_links: bool) -> str | None:
    """Why a symbolic link in the seeds folder is not read, or None when it leads to a regular file
    that may be read (inside the folder, or anywhere with `follow_outside_links`)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "dangling symbolic link (its target does not exist)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"symbolic link that cannot be followed ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return "symbolic link to a folder; not followed"
    target = os.path.realpath(path)
    if not follow_outside_links and os.path.commonpath([root, target]) != root:
        return "symbolic link to a file outside the seeds folder; not followed (see follow_outside_links)"
    special = _special(mode)
    return f"symbolic link to {special}" if special else None


OWN_FOLDER = "briefing's own output or cache folder: its documents are never read as articles"


def _within(path: str, folder: str) -> bool:
    """Whether the real path `path` is the real path `folder` or lies inside it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _listing(folder: Path, follow_outside_links: bool = False, exclude: Sequence[Path] = ()
             ) -> tuple[list[tuple[str, frozenset[str]]], list[tuple[str, str]]]:
    """Each seed file's path relative to the folder (POSIX, sorted as `seed_files` orders them), with
    the names of the usable files beside it, so sidecars are found without a stat per article; and
    every entry that is not read (special files, links it does not follow) with the reason.

    One os.scandir per folder: regular files, and symbolic links to regular files inside the folder
    (anywhere with `follow_outside_links`); links to folders are not followed; hidden files and
    folders are passed over. Only links and entries that are not regular files cost a stat. The
    folders in `exclude` (the build's output and cache, when they lie inside the seeds folder) are
    passed over with the reason: a brief read back as an article would corroborate itself; so is a
    symbolic link to anything in them (the output folder's public links, `brief.md -> current/brief.md`,
    when it is the seeds folder itself and `exclude` names its `.briefs`). A folder that cannot be
    listed is skipped with the reason, and the rest is read.
    """
    found: list[tuple[str, frozenset[str]]] = []
    skipped: list[tuple[str, str]] = []
    root = os.path.realpath(folder)
    own = {os.path.realpath(p) for p in exclude}
    # Links into an excluded folder are passed over too, but for one that holds the seeds folder itself.
    linked_own = tuple(f for f in own if not _within(root, f))
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, where = pending.pop()
        names: list[str] = []
        files: set[str] = set()
        try:
            entries = list(os.scandir(where))
        except OSError as exc:  # unreadable, a name too long, an I/O error: the folder is skipped, not the build
            if prefix:
                skipped.append((prefix.rstrip("/"), f"folder cannot be read ({exc.strerror or exc})"))
            continue
        pages = {_stem(e.name) for e in entries if e.name.lower().endswith(html.SUFFIXES)}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    suffix = html.SAVED_PAGE_FOLDER
                    if entry.name.endswith(suffix) and entry.name[:-len(suffix)] in pages:
                        continue  # a saved page's pictures, scripts and frames: not articles
                    if own and os.path.realpath(entry.path) in own:
                        skipped.append((prefix + entry.name, OWN_FOLDER))
                        continue
                    pending.append((prefix + entry.name + "/", entry.path))
                    continue
                if entry.is_symlink():
                    target = os.path.realpath(entry.path) if linked_own else ""
                    problem = (OWN_FOLDER if any(_within(target, f) for f in linked_own)
                               else _link_problem(entry.path, root, follow_outside_links))
                elif entry.is_file(follow_symlinks=False):
                    problem = None
                else:
                    problem = _special(entry.stat(follow_symlinks=False).st_mode)
            except OSError as exc:
                problem = f"cannot be read ({exc.strerror or exc})"
            if problem:
                skipped.append((prefix + entry.name, problem))
                continue
            files.add(entry.name)
            if not entry.name.endswith(SIDECAR_SUFFIXES):
                names.append(entry.name)
        beside = frozenset(files)
        found += ((prefix + name, beside) for name in names)
    found.sort(key=lambda item: item[0])
    skipped.sort()
    return found, skipped


def _read_regular(path: Path, max_bytes: int, what: str = "one file", whole: bool = True) -> bytes:
    """The bytes of a regular file; ValueError when it is another kind of file (checked on the open
    file, which O_NONBLOCK keeps a FIFO from blocking) or over `max_bytes`. Not `whole`: its first
    `max_bytes` bytes, whatever its size."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as file:
        info = os.fstat(fd)
        special = _special(info.st_mode)
        if special:
            raise ValueError(special)
        if not whole:
            return file.read(max_bytes)
        if info.st_size > max_bytes:
            raise ValueError(f"{_size(info.st_size)} is over the {_size(max_bytes)} limit for {what}")
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"over the {_size(max_bytes)} limit for {what}")
    return data


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def sidecar_metadata(path: Path, beside: frozenset[str] | None = None,
                     max_bytes: int = MAX_METADATA_BYTES) -> tuple[Metadata, tuple[str, ...]]:
    """Metadata an analyst set beside the article, and warnings naming the sidecar and what in it was
    not used: a sidecar that cannot be used is ignored, a bad value is dropped; the article is read
    either way. `beside` (the names of the usable files in the article's folder, when known) spares a
    stat per possible sidecar."""
    for suffix in SIDECAR_SUFFIXES:
        if beside is not None and _stem(path.name) + suffix not in beside:
            continue
        sidecar = path.with_name(path.stem + suffix)
        if beside is None and not sidecar.is_file():
            continue
        name = printable_path(sidecar.name)
        try:
            data = safeyaml.load(_read_regular(sidecar, max_bytes, "a sidecar (limits.max_metadata_bytes)")
                                 .decode("utf-8"), aliases=False)
        except (ValueError, OSError) as exc:
            return NO_METADATA, (f"{name}: {_reason(exc)}; sidecar ignored",)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return NO_METADATA, (f"{name}: not valid YAML ({problem}); sidecar ignored",)
        return metadata_from_mapping(data or {}, name)
    return NO_METADATA, ()


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at {exc.start})"
    if isinstance(exc, OSError):
        return f"cannot be read ({exc.strerror or exc})"
    return str(exc)


def _stem(name: str) -> str:
    """`Path(name).stem`, without making a Path."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def metadata_from_mapping(data: object, where: str) -> tuple[Metadata, tuple[str, ...]]:
    """The metadata of a sidecar's mapping, each value made one line of safe text; with a warning
    for each key or value dropped (an unknown key, a date that is no date)."""
    if not isinstance(data, dict):
        return NO_METADATA, (f"{where}: expected keys such as title, author, date; sidecar ignored",)
    values: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in data.items():
        name = metadata_value(str(key))
        if name in FETCH_RECORDS:
            continue
        if name not in METADATA_FIELDS:
            warnings.append(f"{where}: unknown key {name!r} (known: {', '.join(METADATA_FIELDS)}); ignored")
            continue
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            warnings.append(f"{where}: {name}: not a single value ({type(value).__name__}); ignored")
            continue  # a list, a mapping or !!binary printed as Python's repr ("[1, 2, 3]", "b'…'")
        text = metadata_value(str(value))
        if name == "date" and text and recency.parsed_date(text) is None:
            warnings.append(f"{where}: date: {text[:40]!r} is not a date; ignored")
            continue
        values[name] = text
    return Metadata(**values), tuple(warnings)


def _replaced_warning(replaced: int) -> tuple[str, ...]:
    if not replaced:
        return ()
    return (f"{replaced} control or non-character{'s' if replaced != 1 else ''} replaced "
            f"(by U+FFFD, or a space when it was whitespace)",)


def _typographic_warning(ligatures: int, quotations: int, dashes: int) -> tuple[str, ...]:
    """What `typographic` read in a text file, whose text is then published beside the brief."""
    read = [f"{n} {one if n == 1 else many} read as {what}" for n, one, many, what in (
        (ligatures, "ligature (ﬁ, ﬂ …)", "ligatures (ﬁ, ﬂ …)", "letters"),
        (quotations, "``…'' quotation", "``…'' quotations", "“…”"),
        (dashes, 'wire dash " _ "', 'wire dashes " _ "', '" — "')) if n]
    if not read:
        return ()
    return (" and ".join(read) + "; citations point into the text as read, published beside the brief",)


def readable_types() -> str:
    return ", ".join(sorted([*READERS, *DOCUMENT_READERS]))


READER_LIBRARIES = {"html": ("trafilatura", "lxml"), "pdf": ("pdfminer.six",), "docx": ("python-docx", "lxml"),
                    "eml": ("trafilatura", "lxml"), "newswire": (), "md": ("markdown-it-py",)}


@functools.cache
def reader_version(fmt: str) -> str:
    """The readers' version and the versions of the libraries the format's reader uses: an upgrade of
    trafilatura or pdfminer.six extracts every document again."""
    versions = []
    for name in READER_LIBRARIES.get(fmt, ()):
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return "|".join([EXTRACTION_VERSION, *versions])


def extraction_key(sha256: str, fmt: str) -> str:
    """What a document's extraction depends on: its bytes, its reader and the readers' version (with
    their libraries')."""
    return hashlib.sha256(f"{reader_version(fmt)}|{fmt}|{sha256}".encode()).hexdigest()


def _extraction_to_json(extracted: Extracted | str) -> str:
    if isinstance(extracted, str):
        return json.dumps({"error": extracted})
    m = extracted.metadata
    return json.dumps({"text": extracted.text, "metadata": [getattr(m, k) for k in METADATA_FIELDS],
                       "warnings": list(extracted.warnings), "found": list(extracted.found),
                       "details": [list(d) for d in extracted.details], "replaced": extracted.replaced},
                      ensure_ascii=False)


def _extraction_from_json(value: str) -> Extracted | str:
    """A stored extraction, or the reason the file could not be used; ValueError when damaged."""
    try:
        data = json.loads(value)
        if "error" in data:
            return str(data["error"])
        values = data["metadata"]
        if len(values) != len(METADATA_FIELDS) or not isinstance(data["text"], str):
            raise TypeError("unexpected shape")
        details = tuple((str(name), str(value)) for name, value in data["details"])
        return Extracted(data["text"], Metadata(**dict(zip(METADATA_FIELDS, values))),
                         tuple(map(str, data["warnings"])), tuple(map(str, data["found"])), details,
                         int(data["replaced"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"damaged extraction ({exc})") from None


class Extractions:
    """The document extractions of this read: those an earlier build stored, and the new ones."""

    def __init__(self, store: ExtractionStore | None) -> None:
        self.store = store
        self.new: dict[str, str] = {}
        self.used: list[str] = []
        self.made: dict[str, Extracted | str] = {}
        """Extractions made ahead, in worker processes (see `extract_ahead`)."""

    def get(self, key: str) -> Extracted | str | None:
        self.used.append(key)
        if key in self.made:
            if key not in self.new:
                self.put(key, self.made[key])
            return self.made[key]
        if self.store is None:
            return None
        value = self.store.get_many([key], EXTRACTIONS).get(key)
        try:
            return _extraction_from_json(value) if value is not None else None
        except ValueError:
            return None

    def put(self, key: str, extracted: Extracted | str) -> None:
        if not isinstance(extracted, TimedOut):
            self.new[key] = _extraction_to_json(extracted)

    def save(self) -> None:
        if self.store is not None:
            self.store.put_many(self.new.items(), EXTRACTIONS)
            self.store.keep_only(self.used, EXTRACTIONS)


def _extract_in_worker(task: tuple[bytes, str, str, float | None]) -> Extracted | str:
    data, suffix, fmt, seconds = task
    return _extracted_or_reason(DOCUMENT_READERS[suffix][1], data, suffix, seconds)


MAX_READ_SECONDS = 120.0
"""How long reading one document may take (`limits.max_read_seconds`) before it is skipped."""


class ReadTimeout(Exception):
    """Reading one document took longer than its time limit."""


class TimedOut(str):
    """The reason a document was skipped when reading it ran out of time: never stored, so the next
    build tries again (a busy machine, or a higher limit, may read it)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raises ReadTimeout in the block once `seconds` have passed: a safety net for the parsers, whose
    every known stall briefing bounds by what it reads, against one that no one has found yet. It
    uses SIGALRM, so it acts in the main thread of a process (a build's, or a worker's) and not where
    a build runs in a thread (`briefing serve`), and only between Python steps: a single call into C
    is not cut short. A timer a caller set is kept: when it fires first, this one is not set."""
    outer_left = signal.getitimer(signal.ITIMER_REAL)[0] if hasattr(signal, "setitimer") else 0.0
    if not seconds or threading.current_thread() is not threading.main_thread() or 0 < outer_left <= seconds:
        yield  # no limit, or not here, or the caller's own fires first
        return

    def expired(signum: int, frame: object) -> None:
        raise ReadTimeout()

    started = time.monotonic()
    outer = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer)
        if outer_left:  # the caller's timer goes on
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer_left - (time.monotonic() - started)))


def _extracted_or_reason(reader: DocumentReader, data: bytes, suffix: str,
                         seconds: float | None = MAX_READ_SECONDS) -> Extracted | str:
    """What the reader extracts, or the reason the document cannot be used."""
    try:
        with time_limit(seconds):
            return reader(data, suffix)
    except ReadTimeout:
        return TimedOut(f"reading it took more than {seconds:g} s (limits.max_read_seconds), far longer than a "
                        "document of its size takes")
    except ValueError as exc:
        return str(exc)
    except RecursionError:
        return "nested too deeply to read"
    except Exception as exc:  # a third-party parser's failure on a damaged file is that file's problem
        return f"could not be read ({type(exc).__name__}: {exc})"


AHEAD_BATCH = 256
"""Documents read into memory at once to be extracted in worker processes."""


def extract_ahead(folder: Path, found: list[tuple[str, frozenset[str]]], max_bytes: int, extractions: Extractions,
                  pool: Executor, max_read_seconds: float | None = MAX_READ_SECONDS) -> None:
    """Extract the documents the store does not hold in the worker processes of `pool`, a batch at a
    time, into `extractions` for the read that follows. A file that cannot be read here is left for
    that read to report."""
    documents = [rel for rel, _ in found if os.path.splitext(rel)[1].lower() in DOCUMENT_READERS]
    for n in range(0, len(documents), AHEAD_BATCH):
        tasks: dict[str, tuple[bytes, str, str, float | None]] = {}
        for rel in documents[n : n + AHEAD_BATCH]:
            suffix = os.path.splitext(rel)[1].lower()
            try:
                data = _read_regular(folder / rel, max_bytes)
            except (ValueError, OSError):
                continue
            key = extraction_key(hashlib.sha256(data).hexdigest(), DOCUMENT_READERS[suffix][0])
            tasks.setdefault(key, (data, suffix, DOCUMENT_READERS[suffix][0], max_read_seconds))
        stored = extractions.store.get_many(list(tasks), EXTRACTIONS) if extractions.store is not None else {}
        todo = [key for key in tasks if key not in stored]
        for key, result in zip(todo, pool.map(_extract_in_worker, [tasks[k] for k in todo])):
            extractions.made[key] = result


def read_document(data: bytes, suffix: str, fmt: str, reader: DocumentReader,
                  extractions: Extractions | None = None,
                  max_read_seconds: float | None = MAX_READ_SECONDS) -> tuple[str, Extracted]:
    """A document's extracted text and metadata (from `extractions` when an earlier build stored them);
    ValueError with the reason it cannot be used."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = extraction_key(sha256, fmt)
    found = extractions.get(key) if extractions is not None else None
    if found is None:
        found = _extracted_or_reason(reader, data, suffix, max_read_seconds)
        if extractions is not None:
            extractions.put(key, found)
    if isinstance(found, str):
        raise ValueError(found)
    return sha256, found


def read_file(path: Path, display: str, max_bytes: int, beside: frozenset[str] | None = None,
              max_metadata_bytes: int = MAX_METADATA_BYTES, extractions: Extractions | None = None,
              max_read_seconds: float | None = MAX_READ_SECONDS) -> RawSource:
    """One seed file as a RawSource; ValueError with the reason it cannot be used. `beside`: the names
    of the files in its folder, when the caller listed it (see `sidecar_metadata`); `extractions`:
    documents read by earlier builds."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    document = DOCUMENT_READERS.get(suffix)
    if reader is None and document is None:
        if not newswire.looks_like(_peek(path)):
            suffix = printable_path(path.suffix)
            raise ValueError(f"unsupported file type {suffix or '(none)'!r} (readable: {readable_types()}, "
                             "and newswire SGML under any name)")
    data = _read_regular(path, max_bytes)
    if not data or data.isspace():
        raise ValueError("empty file")
    if document is None and (reader is None or suffix == ".txt") and newswire.looks_like(data[: newswire.PEEK]):
        suffix, reader, document = newswire.SUFFIXES[0], None, DOCUMENT_READERS[newswire.SUFFIXES[0]]
    if document is not None:
        fmt, read = document
        sha256, extracted = read_document(data, suffix, fmt, read, extractions, max_read_seconds)
        decoded, replaced = sanitised(extracted.text)
        decoded = typographic(decoded)[0]  # the text published beside the brief, which citations index
        sidecar, sidecar_warnings = sidecar_metadata(path, beside, max_metadata_bytes)
        metadata = extracted.metadata.merged(sidecar) if sidecar != NO_METADATA else extracted.metadata
        return RawSource(path=display, sha256=sha256, text=decoded, encoding="utf-8", metadata=metadata,
                         body_start=0, markdown=False,
                         warnings=extracted.warnings + _replaced_warning(replaced) + sidecar_warnings,
                         replaced=replaced + extracted.replaced, format=fmt, extracted=True, found=extracted.found,
                         details=extracted.details)
    assert reader is not None  # a document format returned above
    decoded, encoding = decode(data)
    decoded, replaced = sanitised(decoded)
    decoded, ligatures, quotations, dashes = typographic(decoded)
    parsed = reader(decoded, max_metadata_bytes)
    body = decoded[parsed.body_start :] if parsed.body_start else decoded
    if not body or body.isspace():
        raise ValueError("no text after the front matter")
    markup: tuple[tuple[int, int], ...] = ()
    heading: str | None = None
    if parsed.markdown:  # read as its text, as a document's is: citations index that text, not the file
        plain = _markdown_text(body, max_read_seconds)
        heading = plain.title
        body, more = sanitised(plain.text)  # an entity may stand for a character no output can hold
        if not body or body.isspace():
            raise ValueError("no text once read as Markdown (only images, raw HTML or rules)")
        replaced, markup = replaced + more, plain.markup
    warnings = tuple(parsed.warnings)
    if encoding != "utf-8":
        warnings += (f"not UTF-8; read as {encoding}",)
    warnings += _replaced_warning(replaced)
    # Ligatures or ``…'' quotations read: the text is no longer the file's characters one for one, so it
    # is published beside the brief (as UTF-8), as a document's is, and citations index it.
    published = bool(ligatures or quotations or dashes)
    warnings += _typographic_warning(ligatures, quotations, dashes)
    sidecar, sidecar_warnings = sidecar_metadata(path, beside, max_metadata_bytes)
    metadata = parsed.metadata
    if heading is not None:  # the `# Title` that opens a Markdown body, when the front matter names none
        metadata = Metadata(title=metadata_value(heading)).merged(metadata)
    metadata = metadata.merged(sidecar) if sidecar != NO_METADATA else metadata
    sha256 = hashlib.sha256(data).hexdigest()
    if parsed.markdown:
        return RawSource(path=display, sha256=sha256, text=body, encoding="utf-8", metadata=metadata, body_start=0,
                         markdown=True, warnings=warnings + sidecar_warnings, replaced=replaced, format="md",
                         extracted=True, found=tuple(k for k in METADATA_FIELDS if getattr(parsed.metadata, k)),
                         markup=markup)
    return RawSource(
        path=display, sha256=sha256, text=decoded, encoding="utf-8" if published else encoding, metadata=metadata,
        body_start=parsed.body_start, markdown=False, warnings=warnings + sidecar_warnings, replaced=replaced,
        extracted=published,
    )


def _markdown_text(body: str, seconds: float | None) -> markdown.Text:
    """A Markdown body as its text; ValueError with the reason when it cannot be read (in time)."""
    try:
        with time_limit(seconds):
            return markdown.text_of(body)
    except ReadTimeout:
        raise ValueError(f"reading it took more than {seconds:g} s (limits.max_read_seconds), far longer than a "
                         "document of its size takes") from None
    except RecursionError:
        raise ValueError("nested too deeply to read") from None
    except Exception as exc:  # the parser's failure on a strange file is that file's problem
        raise ValueError(f"could not be read as Markdown ({type(exc).__name__}: {exc})") from None


def _peek(path: Path) -> bytes:
    """The first bytes of a regular file whose suffix names no format, to tell a newswire document;
    empty for any other kind of file, or one that cannot be opened."""
    try:
        return _read_regular(path, newswire.PEEK, whole=False)
    except (ValueError, OSError):
        return b""


def read_folder(folder: Path, max_bytes: int, max_metadata_bytes: int = MAX_METADATA_BYTES,
                follow_outside_links: bool = False, store: ExtractionStore | None = None,
                pool: Callable[[], Executor] | None = None, exclude: Sequence[Path] = (),
                max_read_seconds: float | None = MAX_READ_SECONDS) -> tuple[list[RawSource], list[Skipped]]:
    """All readable seeds, and every file skipped with its reason. Paths are as `printable_path`
    writes them. `store`: where document extractions are kept between builds (new ones are added,
    those of files gone are dropped); `pool`: makes the worker processes to extract documents in,
    when there are at least EXTRACT_IN_WORKERS_FROM of them; `exclude`: folders never read (the
    build's output and cache); `max_read_seconds`: how long reading one document may take."""
    sources: list[RawSource] = []
    prefix = (folder / "_").as_posix()[:-1]  # how `folder / rel` prints, without a Path per file
    found, passed_over = _listing(folder, follow_outside_links, exclude)
    skipped = [Skipped(printable_path(prefix + rel), reason) for rel, reason in passed_over]
    extractions = Extractions(store)
    if pool is not None and sum(1 for rel, _ in found if os.path.splitext(rel)[1].lower() in DOCUMENT_READERS
                                ) >= EXTRACT_IN_WORKERS_FROM:
        try:
            with pool() as executor:
                extract_ahead(folder, found, max_bytes, extractions, executor, max_read_seconds)
        except BrokenExecutor:  # a worker died (out of memory?): what is left is extracted in-process
            pass
    for rel, beside in found:
        display = printable_path(prefix + rel)
        try:
            sources.append(read_file(folder / rel, display, max_bytes, beside, max_metadata_bytes, extractions,
                                     max_read_seconds))
        except (ValueError, OSError) as exc:
            skipped.append(Skipped(display, _reason(exc)))
    extractions.save()
    skipped.sort(key=lambda s: s.path)
    return sources, skipped
