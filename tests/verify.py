"""Checking a brief.json the way an analyst's script would: every primary citation is the item."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from pathlib import Path

# The README's rule, written out independently of briefing's code: what the reader replaces.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
                    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]")


def as_read(text: str) -> str:
    return UNSAFE.sub(lambda m: " " if m.group().isspace() else "\ufffd", text)


def source_file(root: Path, path: str) -> Path:
    """The file a source's `path` names (bytes that are not UTF-8 are written as backslash escapes)."""
    return root / os.fsdecode(codecs.escape_decode(path.encode())[0])


def collapse(text: str) -> str:
    return " ".join(text.split())


def all_items(brief: dict) -> list[dict]:
    return brief["key_judgments"] + [i for s in brief["sections"] for i in s["items"]]


def cited_text(brief: dict, citation: dict, root: Path) -> str:
    """The cited span of the source file, decoded as the source's `encoding` says (UTF-8 by default),
    control and non-characters replaced one for one as the README says."""
    source = next(s for s in brief["sources"] if s["id"] == citation["source"])
    data = source_file(root, source["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"], source["path"]
    return as_read(data.decode(source.get("encoding") or "utf-8"))[citation["start"]:citation["end"]]


def assert_primary_citations_verify(brief: dict, root: Path) -> None:
    for item in all_items(brief):
        assert collapse(cited_text(brief, item["citations"][0], root)) == collapse(item["text"]), item["text"]


def build_seeds(work: Path, *options: str) -> Path:
    """The project's seeds and config copied into `work` and built there as of 1 December 2022
    (`SOURCE_DATE_EPOCH`); the output folder."""
    import shutil

    import pytest

    from briefing.cli import main

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "seeds", work / "seeds")
    shutil.copy(root / "briefing.yaml", work / "briefing.yaml")
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    mp.setenv("SOURCE_DATE_EPOCH", "1669852800")
    try:
        assert main(["build", "-q", *options]) == 0
    finally:
        mp.undo()
    return work / "output"
