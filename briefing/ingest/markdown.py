"""Markdown articles: YAML front matter gives metadata; the body starts after it."""

from __future__ import annotations

import re

import yaml

from briefing import safeyaml
from briefing.ingest.text import Parsed
from briefing.model import Metadata
from briefing.pipeline import recency
from briefing.safetext import metadata_value

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                         re.S | re.M)
KEYS = {"title": "title", "publication": "publication", "publisher": "publication", "source": "publication",
        "author": "author", "authors": "author", "by": "author", "date": "date", "published": "date",
        "url": "url", "link": "url"}


def parse(text: str, max_metadata_bytes: int) -> Parsed:
    """Front matter over `max_metadata_bytes` (UTF-8), or with YAML aliases, is ignored with a warning."""
    match = FRONT_MATTER.match(text)
    if not match:
        return Parsed(markdown=True)
    size = len(match.group("yaml").encode("utf-8", "surrogatepass"))
    if size > max_metadata_bytes:
        return Parsed(body_start=match.end(), markdown=True,
                      warnings=[f"front matter is {size:,} bytes, over the limit of {max_metadata_bytes:,} "
                                f"(limits.max_metadata_bytes); ignored"])
    try:
        data = safeyaml.load(match.group("yaml"), aliases=False) or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "unreadable"
        return Parsed(body_start=match.end(), markdown=True,
                      warnings=[f"front matter is not valid YAML ({problem}); ignored"])
    if not isinstance(data, dict):
        return Parsed(body_start=match.end(), markdown=True, warnings=["front matter is not a mapping; ignored"])
    values: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in data.items():
        field_name = KEYS.get(str(key).lower())
        if field_name and value is not None and field_name not in values:
            if isinstance(value, list):
                value = ", ".join(map(str, value))
            text = metadata_value(str(value))
            if field_name == "date" and text and recency.parsed_date(text) is None:
                warnings.append(f"front matter: {metadata_value(str(key))}: {text[:40]!r} is not a date; ignored")
                continue
            values[field_name] = text
    return Parsed(metadata=Metadata(**values), body_start=match.end(), markdown=True, warnings=warnings)
