"""What a build used and chose (the manifest), and what changed since the previous build.

Sources are matched by path and content hash (source ids are renumbered as the corpus grows, so they
cannot identify anything across builds), items by their text alone, whitespace collapsed: a sentence
the last brief showed is not new because its file was renamed, swapped with another or replaced by a
copy, nor dropped because another source is now quoted for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing.model import METADATA_FIELDS, Brief, Source

if TYPE_CHECKING:
    from briefing.incremental import Outdated

SCHEMA = "briefing.manifest/1"


def metadata_digest(source: Source) -> str:
    """A digest of the metadata a brief shows for the source (title, publication, author, date, url), so
    the next build can tell a sidecar or front matter edit from an unchanged source."""
    values = [getattr(source.metadata, k) for k in METADATA_FIELDS]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def manifest_of(brief: Brief) -> dict[str, Any]:
    paths = {s.id: s.path for s in brief.sources}
    return {
        "schema": SCHEMA,
        "generated_at": brief.generated_at,
        "sources": [{"id": s.id, "path": s.path, "sha256": s.sha256, "metadata_sha256": metadata_digest(s)}
                    for s in brief.sources],
        "items": [{"text": i.text, "source": i.citations[0].source, "path": paths[i.citations[0].source],
                   "theme": i.theme} for i in brief.items()],
    }


def manifest_text(brief: Brief) -> bytes:
    """The manifest as indented UTF-8 JSON, as `json.dumps(indent=1, ensure_ascii=False)` writes it, but
    by pydantic-core: Python's encoder is pure Python once indenting, and a 10,000-source manifest is
    1.6 MB. (It holds only strings, so the two agree byte for byte.)"""
    return pydantic_core.to_json(manifest_of(brief), indent=1) + b"\n"


class ManifestError(ValueError):
    """A manifest that cannot be used; the message says what is wrong, in a few words."""


class _Part(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class _Source(_Part):
    path: str
    sha256: str
    metadata_sha256: str | None = None  # absent from a manifest written before it was recorded


class _Item(_Part):
    text: str
    path: str
    theme: str | None = None


class _Manifest(_Part):
    schema_: Literal["briefing.manifest/1"] = Field(alias="schema")
    generated_at: str | None = None
    sources: list[_Source]
    items: list[_Item]


def parsed(data: bytes) -> dict[str, Any]:
    """A manifest's bytes, checked to be one this version wrote (as far as `changes_since` reads it):
    ManifestError on anything else, however damaged; no recursion, whatever the nesting."""
    try:
        return _Manifest.model_validate_json(data).model_dump(by_alias=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise ManifestError(f"{where}: {first['msg'][:80]}") from None


def _said(text: str) -> str:
    """What an item says, as a reader sees it: its text, whitespace collapsed."""
    return " ".join(text.split())


def changes_since(previous: Mapping[str, Any], brief: Brief, outdated: Outdated) -> dict[str, Any]:
    """New, changed, removed and moved (renamed) sources (as `incremental.outdated` decided against the
    `previous` manifest), and new and dropped items, since the `previous` manifest."""
    current = manifest_of(brief)
    old_items = {_said(i["text"]): i for i in previous["items"]}
    new_items = {_said(i["text"]): i for i in current["items"]}
    sources, described = brief.sources, set(outdated.described)
    return {
        "since": outdated.since,
        "new_sources": [{"id": sources[k].id, "path": sources[k].path} for k in outdated.added],
        "changed_sources": [{"id": sources[k].id, "path": sources[k].path, "metadata_only": k in described}
                            for k in sorted(outdated.changed + outdated.described)],
        "removed_sources": [{"path": p} for p in outdated.removed],
        "moved_sources": [{"id": sources[k].id, "path": sources[k].path, "from": p} for k, p in outdated.moved],
        "left_out_sources": [{"path": p} for p in outdated.left_out],
        "unreadable_sources": [{"path": p, "reason": r} for p, r in outdated.unreadable],
        "new_items": [{"text": i["text"], "source": i["source"], "theme": i["theme"]}
                      for k, i in new_items.items() if k not in old_items],
        "dropped_items": [{"text": i["text"], "path": i["path"], "theme": i["theme"]}
                          for k, i in old_items.items() if k not in new_items],
    }
