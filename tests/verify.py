"""Checking a brief.json the way an analyst's script would: every primary citation is the item."""

from __future__ import annotations

import hashlib
from pathlib import Path


def collapse(text: str) -> str:
    return " ".join(text.split())


def all_items(brief: dict) -> list[dict]:
    return brief["key_judgments"] + [i for s in brief["sections"] for i in s["items"]]


def cited_text(brief: dict, citation: dict, root: Path) -> str:
    """The cited span of the source file, decoded as the source's `encoding` says (UTF-8 by default)."""
    source = next(s for s in brief["sources"] if s["id"] == citation["source"])
    data = (root / source["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"], source["path"]
    return data.decode(source.get("encoding") or "utf-8")[citation["start"]:citation["end"]]


def assert_primary_citations_verify(brief: dict, root: Path) -> None:
    for item in all_items(brief):
        assert collapse(cited_text(brief, item["citations"][0], root)) == collapse(item["text"]), item["text"]
