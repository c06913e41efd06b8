"""Hostile input meets the outputs: copies posing as corroboration, values that try to become markup or
links, text no font shows, words and titles too long for a page, and where the server keeps its files."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from briefing import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
THEMES = ROOT / "templates" / "themes.yaml"


def build(tmp_path: Path, seeds: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    assert cli.main(["build", "--seeds", str(seeds), "--themes", str(THEMES), "--out", str(out), "-q", *extra]) == 0
    return out


# --- 1. false corroboration ------------------------------------------------------------------------

@pytest.mark.parametrize("n_copies", [2, 5])
def test_copies_of_one_article_are_one_independent_source_in_the_brief(tmp_path, n_copies):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    article = (SEEDS / "000_bdf31170debefaa5.txt").read_bytes()
    names = [f"copy-{k:03d}.txt" for k in range(n_copies)]
    random.Random(n_copies).shuffle(names)  # file order, not copy number, decides which is the original
    for name in names:
        (seeds / name).write_bytes(article)
    shutil.copy(SEEDS / "002_07f96165ea9ac347.txt", seeds / "other.txt")
    brief = json.loads((build(tmp_path, seeds, "--format", "json") / "brief.json").read_text())
    copies = [s for s in brief["sources"] if s["path"].endswith(tuple(names))]
    roots = [s for s in copies if s["duplicate_of"] is None]
    assert len(roots) == 1
    assert {s["duplicate_of"] for s in copies if s is not roots[0]} == {roots[0]["id"]}
    assert brief["stats"]["independent_sources"] == 2
    copy_ids = {s["id"] for s in copies}
    items = brief["key_judgments"] + [i for s in brief["sections"] for i in s["items"]]
    assert items
    for item in items:
        cited = {c["source"] for c in item["citations"]}
        assert len(cited & copy_ids) <= 1, item  # never two copies of one article as two sources
        assert item["support"] == len(cited) <= brief["stats"]["independent_sources"]
        if cited <= copy_ids:
            assert item["support"] == 1
            assert item["confidence"] in (None, "low")
