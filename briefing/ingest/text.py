"""Plain-text articles: the whole file is the article; metadata is inferred later from its lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.model import Metadata


@dataclass(frozen=True)
class Parsed:
    metadata: Metadata = Metadata()
    body_start: int = 0
    markdown: bool = False
    warnings: list[str] = field(default_factory=list)


def parse(text: str, max_metadata_bytes: int = 0) -> Parsed:
    return Parsed()
