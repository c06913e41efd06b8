"""The document model every stage reads and writes: Source, Sentence, Item, Section, Brief.

Readers produce Sources, the understanding stages produce Sentences and a Brief, and every renderer
draws from the same Brief, so all formats agree. `Brief.to_json` is the public `briefing.brief/1`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

SCHEMA = "briefing.brief/1"
METADATA_FIELDS = ("title", "publication", "author", "date", "url")


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    publication: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None

    def merged(self, override: Metadata) -> Metadata:
        """Fields set in `override` win; the rest are kept."""
        values = {k: getattr(override, k) or getattr(self, k) for k in METADATA_FIELDS}
        return Metadata(**values)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    reason: str = ""


@dataclass(frozen=True)
class Source:
    id: str
    path: str
    sha256: str
    text: str
    metadata: Metadata = field(default_factory=Metadata)
    encoding: str = "utf-8"
    body: tuple[Span, ...] = ()
    dropped: tuple[Span, ...] = ()
    duplicate_of: str | None = None
    warnings: tuple[str, ...] = ()
    replaced: int = 0
    """How many characters of the decoded file the reader replaced (control and non-characters)."""
    format: str = "txt"
    """The reader's format: txt, md, html, pdf, docx or eml."""
    extracted: bool = False
    """The text was extracted from a document (HTML, PDF, DOCX, e-mail, newswire), or is a text file's
    with ligatures, ``…'' quotations or wire dashes read (`briefing.safetext.typographic`): it is not the file's
    bytes, so the build writes it beside the brief (`text_path`) for citations to point into."""
    found: tuple[str, ...] = ()
    """The metadata fields the document itself gave (title, author, …), for `briefing sources`."""
    details: tuple[tuple[str, str], ...] = ()
    """What else a document says about itself (language, description, subject, keywords, pages, …)."""

    def with_(self, **changes: Any) -> Source:
        return replace(self, **changes)

    def label(self) -> str:
        """A short human name: the title, else the file name."""
        return self.metadata.title or self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Sentence:
    source: str
    start: int
    end: int
    text: str
    index: int = 0

    @property
    def key(self) -> tuple[str, int]:
        return (self.source, self.start)


@dataclass(frozen=True)
class Citation:
    source: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Item:
    text: str
    score: float
    citations: tuple[Citation, ...]
    theme: str | None = None
    support: int = 1
    parts: dict[str, float] = field(default_factory=dict, compare=False)
    confidence: str | None = None
    disputed_by: tuple[Citation, ...] = ()
    """A span from each other independent source that states the contrary in close wording (a
    denial, another figure, the opposite direction: see pipeline.dedupe.Claims)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "score": round(self.score, 4),
            "citations": [c.to_json() for c in self.citations],
            "theme": self.theme,
            "support": self.support,
            "confidence": self.confidence,
            "disputed_by": [c.to_json() for c in self.disputed_by],
        }


@dataclass(frozen=True)
class Section:
    theme: str
    title: str
    description: str
    items: tuple[Item, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "title": self.title,
            "description": self.description,
            "items": [i.to_json() for i in self.items],
        }


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class Brief:
    title: str
    generated_at: str
    sources: tuple[Source, ...]
    key_judgments: tuple[Item, ...]
    sections: tuple[Section, ...]
    skipped: tuple[Skipped, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] | None = None
    """What changed since the previous build (see manifest.changes_since); None on a first build."""
    seeds: str = ""
    """The seeds folder as the build was given it, as it begins every source's `path` ("seeds/"):
    documents show paths within it (never the server's absolute paths). Not in brief.json."""

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def items(self) -> list[Item]:
        return list(self.key_judgments) + [i for s in self.sections for i in s.items]

    def coverage(self) -> dict[str, dict[str, int]]:
        """Source id → theme id → how many items of that theme (key judgments included) cite the source;
        only cited sources and themes appear, in brief order."""
        counts: dict[str, dict[str, int]] = {}
        for item in self.items():
            if item.theme is None:
                continue
            for source in dict.fromkeys(c.source for c in item.citations):
                per_theme = counts.setdefault(source, {})
                per_theme[item.theme] = per_theme.get(item.theme, 0) + 1
        order = {s.id: n for n, s in enumerate(self.sources)}
        return {k: counts[k] for k in sorted(counts, key=lambda k: order.get(k, len(order)))}

    def to_json(self) -> dict[str, Any]:
        out = {
            "schema": SCHEMA,
            "title": self.title,
            "generated_at": self.generated_at,
            "sources": [source_json(s) for s in self.sources],
            "key_judgments": [i.to_json() for i in self.key_judgments],
            "sections": [s.to_json() for s in self.sections],
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "stats": self.stats,
        }
        if self.changes is not None:
            out["changes"] = self.changes
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"


SOURCE_TEXTS = "sources"
"""The folder beside brief.json that holds the text extracted from each document source."""


def text_path(source: Source) -> str | None:
    """Where the extracted text of a document source is written, relative to brief.json; None for a
    source whose file is its text."""
    return f"{SOURCE_TEXTS}/{source.id}.txt" if source.extracted else None


def source_text_bytes(source: Source) -> bytes:
    """The bytes written at `text_path`: the text citations index into, as UTF-8."""
    return source.text.encode("utf-8")


def source_json(source: Source) -> dict[str, Any]:
    m = source.metadata
    return {
        "id": source.id,
        "path": source.path,
        "sha256": source.sha256,
        "title": m.title,
        "publication": m.publication,
        "author": m.author,
        "date": m.date,
        "url": m.url,
        "encoding": source.encoding,
        "duplicate_of": source.duplicate_of,
        "replaced_characters": source.replaced,
        "format": source.format,
        "text_path": text_path(source),
        "text_sha256": hashlib.sha256(source_text_bytes(source)).hexdigest() if source.extracted else None,
        "document_metadata": dict(source.details),
    }
