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


def cited_text(brief: dict, citation: dict, root: Path, brief_dir: Path | None = None) -> str:
    """The cited span of the source's text: for a document (HTML, PDF, DOCX, e-mail) the extracted
    text at `text_path` beside brief.json (`brief_dir`: the published build, `OUT/current`), checked
    against `text_sha256`; otherwise the source file decoded as the source's `encoding` says (UTF-8 by
    default), control and non-characters replaced one for one as the README says. The source file's
    SHA-256 is checked either way."""
    source = next(s for s in brief["sources"] if s["id"] == citation["source"])
    data = source_file(root, source["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"], source["path"]
    if source.get("text_path"):
        assert brief_dir is not None, f"{source['path']} is a document: its text is beside brief.json"
        data = (brief_dir / source["text_path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["text_sha256"], source["text_path"]
    return as_read(data.decode(source.get("encoding") or "utf-8"))[citation["start"]:citation["end"]]


def assert_primary_citations_verify(brief: dict, root: Path, brief_dir: Path | None = None) -> None:
    for item in all_items(brief):
        cited = cited_text(brief, item["citations"][0], root, brief_dir)
        assert collapse(cited) == collapse(item["text"]), item["text"]


def assert_every_citation_verifies(brief: dict, root: Path, brief_dir: Path | None = None) -> None:
    """Every citation, primary or not, is a span of its source's text that holds a whole sentence."""
    assert_primary_citations_verify(brief, root, brief_dir)
    for item in all_items(brief):
        for citation in item["citations"][1:]:
            cited = cited_text(brief, citation, root, brief_dir)
            assert cited.strip() and "\n\n" not in cited.strip(), (item["text"], cited)


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
