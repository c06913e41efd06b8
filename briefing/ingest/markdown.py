"""Markdown articles: YAML front matter gives metadata; the body starts after it."""

from __future__ import annotations

import re

import yaml

from briefing.ingest.text import Parsed
from briefing.model import Metadata

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
KEYS = {"title": "title", "publication": "publication", "publisher": "publication", "source": "publication",
        "author": "author", "authors": "author", "by": "author", "date": "date", "published": "date",
        "url": "url", "link": "url"}


def parse(text: str) -> Parsed:
    match = FRONT_MATTER.match(text)
    if not match:
        return Parsed(markdown=True)
    try:
        data = yaml.safe_load(match.group("yaml")) or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "unreadable"
        return Parsed(body_start=match.end(), markdown=True, warnings=[f"front matter is not valid YAML ({problem}); ignored"])
    if not isinstance(data, dict):
        return Parsed(body_start=match.end(), markdown=True, warnings=["front matter is not a mapping; ignored"])
    values: dict[str, str] = {}
    for key, value in data.items():
        field_name = KEYS.get(str(key).lower())
        if field_name and value is not None and field_name not in values:
            if isinstance(value, list):
                value = ", ".join(map(str, value))
            values[field_name] = str(value).strip()
    return Parsed(metadata=Metadata(**values), body_start=match.end(), markdown=True)
