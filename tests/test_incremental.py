"""Nightly builds: the cache, What's new, recency and --since, the lock, --jobs, and killed builds."""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from briefing import lock, output
from briefing.cache import Cache, StoredBuckets, StoredModel
from briefing.cli import main
from briefing.config import load_settings
from briefing.incremental import bucket_sources, outdated, wants_training
from briefing.model import Metadata, Source
from briefing.pipeline import dedupe, recency, segment
from briefing.pipeline.dedupe import known_leaders
from tests.verify import assert_primary_citations_verify

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ENV = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COLUMNS": "200", "SOURCE_DATE_EPOCH": "1669852800"}


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1669852800")
    return tmp_path


def brief_json(folder="output"):
    return json.loads(Path(folder, "brief.json").read_text(encoding="utf-8"))


def outputs(folder):
    return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file() and p.name != ".lock"}


def variants(folder, count, seed=1, name="variant_{:03d}.txt"):
    """`count` new articles made by reordering and retitling the seed articles' paragraphs."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for n in range(count):
        paragraphs = [p for p in rng.choice(texts).split("\n") if p.strip()]
        rng.shuffle(paragraphs)
        (folder / name.format(n)).write_text(f"Variant report number {n}\n\n" + "\n\n".join(paragraphs) + "\n",
                                                     encoding="utf-8")


def start(*args, cwd):
    return subprocess.Popen([sys.executable, "-m", "briefing", "build", *args], cwd=cwd, env=ENV, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_second_build_with_nothing_changed_reanalyses_nothing(work):
    assert main(["build", "-q", "--format", "json"]) == 0
    first = brief_json()
    assert first["stats"]["sources_analysed"] == 5 and first["stats"]["punkt_trained"] is True
    assert "changes" not in first
    assert main(["build", "-q", "--format", "json"]) == 0
    second = brief_json()
    assert second["stats"]["sources_analysed"] == 0
    assert second["stats"]["sources_resplit"] == 0
    assert second["stats"]["sources_reused"] == 5
    assert second["stats"]["punkt_trained"] is False
    assert second["key_judgments"] == first["key_judgments"] and second["sections"] == first["sections"]
    assert second["changes"]["new_sources"] == [] and second["changes"]["new_items"] == []


def test_a_new_source_is_under_whats_new(work):
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    assert "What's new" not in Path("output/brief.md").read_text(encoding="utf-8")
    (work / "seeds" / "zz_new.txt").write_text(
        "Harbour workers in Pretoria walked out on Monday after the port authority cut night-shift pay by a third.\n"
        "The strike closed two of the four container terminals and left forty ships waiting at anchor, officials said.\n",
        encoding="utf-8")
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    changes = brief_json()["changes"]
    assert changes["new_sources"] == [{"id": "S6", "path": "seeds/zz_new.txt"}]
    assert changes["removed_sources"] == []
    assert brief_json()["stats"]["sources_analysed"] == 1
    md = Path("output/brief.md").read_text(encoding="utf-8")
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert "New source: `zz_new.txt`" in whats_new  # documents show paths within the seeds folder
    manifest = json.loads(Path("output/manifest.json").read_text(encoding="utf-8"))
    assert "seeds/zz_new.txt" in {s["path"] for s in manifest["sources"]}


def test_whats_new_names_the_changed_sources_and_counts_every_removed_one(work):
    variants(work / "seeds", 12)
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    edited = work / "seeds" / "003_631f34e62e8be2c6.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Russia", "Moscow", 1), encoding="utf-8")
    for path in (work / "seeds").glob("variant_*.txt"):
        path.unlink()
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    changes = brief_json()["changes"]
    assert [s["path"] for s in changes["changed_sources"]] == ["seeds/003_631f34e62e8be2c6.txt"]
    assert len(changes["removed_sources"]) == 12
    md = Path("output/brief.md").read_text(encoding="utf-8")
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert "Changed source: `003_631f34e62e8be2c6.txt`" in whats_new
    assert whats_new.count("Removed source: ") == 10 and "… and 2 more removed sources" in whats_new


def test_a_removed_source_and_its_items_are_reported(work):
    assert main(["build", "-q", "--format", "json"]) == 0
    before = brief_json()
    gone = before["key_judgments"][0]["citations"][0]["source"]
    path = next(s["path"] for s in before["sources"] if s["id"] == gone)
    Path(path).unlink()
    assert main(["build", "-q", "--format", "json"]) == 0
    changes = brief_json()["changes"]
    assert changes["removed_sources"] == [{"path": path}]
    assert before["key_judgments"][0]["text"] in {i["text"] for i in changes["dropped_items"]}


def test_two_articles_that_swap_contents_are_changed_sources_with_no_new_or_dropped_item(work):
    assert main(["build", "-q", "--format", "json"]) == 0
    before = brief_json()
    a, b = work / "seeds" / "003_631f34e62e8be2c6.txt", work / "seeds" / "004_d548319e7085c128.txt"
    text_a, text_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(text_b)
    b.write_bytes(text_a)
    assert main(["build", "-q", "--format", "json"]) == 0
    after = brief_json()
    changes = after["changes"]
    assert sorted(s["path"] for s in changes["changed_sources"]) == ["seeds/003_631f34e62e8be2c6.txt",
                                                                     "seeds/004_d548319e7085c128.txt"]
    assert [i["text"] for i in after["key_judgments"]] == [i["text"] for i in before["key_judgments"]]
    assert changes["new_items"] == [] and changes["dropped_items"] == []  # the same sentences, in other files


def test_a_renamed_or_moved_article_is_neither_new_nor_removed(work):
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    seeds = work / "seeds"
    (seeds / "sub").mkdir()
    (seeds / "003_631f34e62e8be2c6.txt").rename(seeds / "sub" / "003_631f34e62e8be2c6.txt")
    (seeds / "001_d2222df685e19f28.txt").rename(seeds / "renamed.txt")
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    changes = brief_json()["changes"]
    assert changes["new_sources"] == [] and changes["removed_sources"] == [] and changes["changed_sources"] == []
    ids = {s["path"]: s["id"] for s in brief_json()["sources"]}
    assert changes["moved_sources"] == [
        {"id": ids["seeds/renamed.txt"], "path": "seeds/renamed.txt", "from": "seeds/001_d2222df685e19f28.txt"},
        {"id": ids["seeds/sub/003_631f34e62e8be2c6.txt"], "path": "seeds/sub/003_631f34e62e8be2c6.txt",
         "from": "seeds/003_631f34e62e8be2c6.txt"}]
    assert changes["new_items"] == [] and changes["dropped_items"] == []
    md = Path("output/brief.md").read_text(encoding="utf-8")
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert "0 new, 0 changed and 0 removed sources, 2 renamed or moved;" in whats_new
    assert "Renamed or moved source: `003_631f34e62e8be2c6.txt` → `sub/003_631f34e62e8be2c6.txt`" in whats_new
    assert "New source" not in whats_new and "Removed source" not in whats_new


def test_a_source_whose_sidecar_changed_is_a_changed_source_though_its_text_is_not(work):
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    (work / "seeds" / "003_631f34e62e8be2c6.meta.yaml").write_text("title: A corrected headline\ndate: 2022-10-20\n")
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    changes = brief_json()["changes"]
    assert changes["changed_sources"] == [{"id": "S4", "path": "seeds/003_631f34e62e8be2c6.txt", "metadata_only": True}]
    md = Path("output/brief.md").read_text(encoding="utf-8")
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert "Changed source: `003_631f34e62e8be2c6.txt` (not its text: its title" in whats_new
    assert "Nothing has changed" not in whats_new
    edited = work / "seeds" / "004_d548319e7085c128.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Russia", "Moscow", 1), encoding="utf-8")
    manifest = Path("output/manifest.json").resolve()  # one an older version wrote: no metadata digests
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for source in data["sources"]:
        del source["metadata_sha256"]
    (work / "seeds" / "003_631f34e62e8be2c6.meta.yaml").write_text("title: Corrected again\n")
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["changes"]["changed_sources"] == [
        {"id": "S5", "path": "seeds/004_d548319e7085c128.txt", "metadata_only": False}]


def test_a_damaged_cache_entry_or_file_is_recomputed(work):
    assert main(["build", "-q", "--format", "json"]) == 0
    first = brief_json()
    db = sqlite3.connect("output/.cache/analysis.sqlite")
    with db:
        db.execute("UPDATE analyses SET value = '{not json' WHERE rowid = (SELECT MIN(rowid) FROM analyses)")
        db.execute("UPDATE analyses SET value = '{\"body\": [[0, 99999999]]}' WHERE rowid = (SELECT MAX(rowid) FROM analyses)")
    db.close()
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["stats"]["sources_analysed"] == 2
    assert brief_json()["sections"] == first["sections"]
    Path("output/.cache/analysis.sqlite").write_bytes(b"this is not a database" * 100)
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["stats"]["sources_analysed"] == 5
    assert brief_json()["sections"] == first["sections"]


def damage_pages(path):
    """Overwrite the header of every page of an SQLite file but the first, as a disk or a copy gone wrong
    might: the file still opens, and its tables cannot be read."""
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 : page * 4096 + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def test_a_cache_file_damaged_inside_is_rebuilt_and_used_again(work):
    assert main(["build", "-q", "--format", "json"]) == 0
    first = brief_json()
    damage_pages(work / "output" / ".cache" / "analysis.sqlite")
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["stats"]["sources_analysed"] == 5
    assert brief_json()["sections"] == first["sections"]
    assert main(["build", "-q", "--format", "json"]) == 0  # the damaged file was replaced: the cache works again
    assert brief_json()["stats"]["sources_reused"] == 5 and brief_json()["stats"]["punkt_trained"] is False
    assert brief_json()["sections"] == first["sections"]


def test_damaged_bucket_leaders_are_recomputed(work, monkeypatch, capsys):
    monkeypatch.setattr(dedupe, "EXACT_UP_TO", 0)
    variants(work / "seeds", 4)
    assert main(["build", "-q", "--format", "json"]) == 0
    first = brief_json()
    db = sqlite3.connect("output/.cache/analysis.sqlite")
    with db:
        (blob,) = db.execute("SELECT value FROM corpus WHERE name = 'bucket-leaders'").fetchone()
        middle = len(blob) // 2
        damaged = blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :]  # its zip's checksum fails
        db.execute("UPDATE corpus SET value = ? WHERE name = 'bucket-leaders'", (damaged,))
    db.close()
    assert main(["build", "--format", "json"]) == 0
    assert "known sentences reused" not in capsys.readouterr().err
    assert brief_json()["sections"] == first["sections"]
    assert main(["build", "--format", "json"]) == 0
    assert "known sentences reused" in capsys.readouterr().err


def test_a_changed_standalone_factor_reaches_a_build_that_reuses_every_source(work):
    # How a sentence fails to read alone is cached with each source; how much that costs it is a
    # setting (selection.standalone), so changing one must change the brief without reanalysing
    from briefing.config import Standalone
    from briefing.pipeline.features import marks_of

    def marked(brief):
        items = brief["key_judgments"] + [item for section in brief["sections"] for item in section["items"]]
        return [item["text"] for item in items if marks_of(item["text"])]

    assert main(["build", "-q", "--format", "json"]) == 0
    assert marked(brief_json())  # the seeds brief quotes some ("And yet …", "Similarly, …")
    never = "".join(f"    {key}: 0\n" for key in Standalone.model_fields)
    Path("briefing.yaml").write_text(f"selection:\n  standalone:\n{never}", encoding="utf-8")
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["stats"]["sources_reused"] == 5 and brief_json()["stats"]["sources_analysed"] == 0
    assert marked(brief_json()) == []
    assert all(section["items"] for section in brief_json()["sections"])


def test_changed_informativeness_and_corroboration_settings_reach_a_build_that_reuses_every_source(work, capsys):
    # Names and figures are counted once, with each source's cached features; how many of them make a
    # sentence fully informative, and how many sources fully corroborate a fact, are settings
    def parts():
        assert main(["explain", "-q", "--json"]) == 0
        explanation = json.loads(capsys.readouterr().out)
        read = explanation["key_judgments"] + [e for t in explanation["themes"] for e in t["items"] + t["runners_up"]]
        return [e["parts"] for e in read if e["parts"]]

    assert main(["build", "-q", "--format", "json"]) == 0
    before = parts()
    assert any(0 < p["informativeness"] < 1 for p in before)
    assert any(p["corroboration"] == 1.0 for p in before)  # Rahmon's words, in three sources
    Path("briefing.yaml").write_text("selection:\n  informative_at: 1\n  corroborated_at: 4\n", encoding="utf-8")
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["stats"]["sources_reused"] == 5 and brief_json()["stats"]["sources_analysed"] == 0
    after = parts()
    assert after and all(p["informativeness"] in (0.0, 1.0) for p in after)
    assert max(p["corroboration"] for p in after) == pytest.approx(2 / 3, abs=1e-3)  # three sources of four


def test_the_cache_can_live_elsewhere(work):
    assert main(["build", "-q", "--format", "json", "--cache", "mycache"]) == 0
    assert (work / "mycache" / "analysis.sqlite").is_file()
    assert not (work / "output" / ".cache").exists()
    assert main(["build", "-q", "--format", "json", "--cache", "mycache", "--out", "other"]) == 0
    assert brief_json("other")["stats"]["sources_reused"] == 5


def test_jobs_2_gives_the_same_brief_as_jobs_1(work):
    variants(work / "seeds", 40)
    assert main(["build", "-q", "--format", "json", "--format", "md", "--out", "one", "--jobs", "1"]) == 0
    assert main(["build", "-q", "--format", "json", "--format", "md", "--out", "two", "--jobs", "2"]) == 0
    assert brief_json("two")["stats"]["sources_analysed"] == 45
    assert Path("one/brief.json").read_bytes() == Path("two/brief.json").read_bytes()
    assert Path("one/brief.md").read_bytes() == Path("two/brief.md").read_bytes()


def test_since_leaves_out_sources_dated_before_it(work, capsys):
    seeds = work / "seeds"
    (seeds / "000_bdf31170debefaa5.meta.yaml").write_text("date: 2022-10-18\n")
    (seeds / "001_d2222df685e19f28.meta.yaml").write_text("date: 'March 3, 2021'\n")
    assert main(["build", "--format", "json", "--since", "2022-01-01"]) == 0
    brief = brief_json()
    paths = {s["path"] for s in brief["sources"]}
    assert "seeds/001_d2222df685e19f28.txt" not in paths
    assert "seeds/000_bdf31170debefaa5.txt" in paths and len(paths) == 4
    assert brief["stats"]["excluded_since"] == 1
    assert "1 source dated before it left out" in capsys.readouterr().err
    assert main(["build", "-q", "--format", "json", "--since", "2030-01-01"]) == 0
    assert brief_json()["stats"]["excluded_since"] == 2


def test_a_source_left_out_by_since_is_not_reported_as_removed(work):
    seeds = work / "seeds"
    (seeds / "000_bdf31170debefaa5.meta.yaml").write_text("date: 2022-10-18\n")
    (seeds / "001_d2222df685e19f28.meta.yaml").write_text("date: 2022-10-11\n")
    assert main(["build", "-q", "--format", "json", "--format", "md", "--since", "2022-10-01"]) == 0
    assert main(["build", "-q", "--format", "json", "--format", "md", "--since", "2022-10-15"]) == 0
    changes = brief_json()["changes"]
    assert changes["removed_sources"] == []  # the file is still in the seeds folder
    assert changes["left_out_sources"] == [{"path": "seeds/001_d2222df685e19f28.txt"}]
    md = Path("output/brief.md").read_text(encoding="utf-8")
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert "Left out, dated before 2022-10-15: `001_d2222df685e19f28.txt`" in whats_new
    assert "Removed source" not in whats_new
    (seeds / "003_631f34e62e8be2c6.txt").unlink()
    assert main(["build", "-q", "--format", "json", "--since", "2022-10-15"]) == 0
    changes = brief_json()["changes"]
    assert changes["removed_sources"] == [{"path": "seeds/003_631f34e62e8be2c6.txt"}]
    assert changes["left_out_sources"] == []  # left out by the last brief already


def test_a_source_that_can_no_longer_be_read_is_named_with_its_reason_not_removed(work):
    """An article edited into something briefing skips (emptied, saved as binary) is still in the seeds
    folder: What's new said it was removed, and the reader had to find it among the skipped files."""
    seeds = work / "seeds"
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    (seeds / "003_631f34e62e8be2c6.txt").write_bytes(b"")
    assert main(["build", "-q", "--format", "json", "--format", "md"]) == 0
    brief = brief_json()
    changes = brief["changes"]
    assert changes["removed_sources"] == []
    reason = next(s["reason"] for s in brief["skipped"] if s["path"] == "seeds/003_631f34e62e8be2c6.txt")
    assert changes["unreadable_sources"] == [{"path": "seeds/003_631f34e62e8be2c6.txt", "reason": reason}]
    md = Path("output/brief.md").read_text(encoding="utf-8")
    whats_new = md.split("## What's new", 1)[1].split("\n## ", 1)[0]
    assert "1 no longer readable" in whats_new
    assert f"No longer readable, skipped: `003_631f34e62e8be2c6.txt` ({reason})" in whats_new
    assert "Removed source" not in whats_new
    (seeds / "003_631f34e62e8be2c6.txt").unlink()  # gone now: removed since the last brief that read it
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["changes"]["unreadable_sources"] == []


def test_a_bad_since_date_is_a_usage_error(work):
    result = subprocess.run([sys.executable, "-m", "briefing", "build", "--since", "yesterday"], cwd=work, env=ENV,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "must be a date written YYYY-MM-DD (2022-01-31), not 'yesterday'" in result.stderr
    assert "Traceback" not in result.stderr
    # refused as the config refuses "since: 20220101" (date.fromisoformat alone takes it)
    result = subprocess.run([sys.executable, "-m", "briefing", "build", "--since", "20220101"], cwd=work, env=ENV,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "must be a date written YYYY-MM-DD (2022-01-31), not '20220101'" in result.stderr
    result = subprocess.run([sys.executable, "-m", "briefing", "build", "--since", "2022-02-30"], cwd=work, env=ENV,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "'2022-02-30' is no day of the calendar" in result.stderr


def test_recency_weights_halve_every_half_life_and_undated_take_the_median():
    dates = {"S1": date(2022, 10, 1), "S2": date(2022, 9, 1), "S3": date(2022, 7, 3), "S4": None}
    weights = recency.weights(dates, half_life_days=30)
    assert weights["S1"] == 1.0
    assert weights["S2"] == pytest.approx(0.5 ** (30 / 30))
    assert weights["S3"] == pytest.approx(0.5 ** (90 / 30))
    assert weights["S4"] == weights["S2"]
    assert recency.weights(dates, None) == {k: 1.0 for k in dates}
    assert recency.weights({"S1": None}, 30) == {"S1": 1.0}
    assert recency.before(dates, date(2022, 8, 1)) == {"S3"}


def test_an_old_source_keeps_the_recency_floor():
    # a folder spanning years: without a floor, the article two years older than the newest would
    # weigh 0.5 ** (730 / 90) = 0.004 and nothing it says would be chosen
    dates = {"new": date(2022, 10, 1), "quarter": date(2022, 7, 3), "old": date(2020, 10, 1), "undated": None}
    weights = recency.weights(dates, half_life_days=90, floor=0.5)
    assert weights["new"] == 1.0
    assert weights["quarter"] == pytest.approx(0.5 + 0.5 * 0.5 ** (90 / 90))
    assert 0.5 < weights["old"] < 0.51
    assert weights["undated"] == weights["quarter"]  # the median of the dated ones
    assert recency.weights(dates, 90, floor=1.0) == {k: 1.0 for k in dates}
    assert load_settings(None).recency.floor == 0.5  # the default a build uses


@pytest.mark.parametrize("text, expected", [
    ("2022-10-18", date(2022, 10, 18)), ("Oct. 18, 2022", date(2022, 10, 18)),
    ("Tuesday, 18 October 2022, 10:04 GMT", date(2022, 10, 18)), ("yesterday", None), (None, None),
    # no year in four digits: not a date (read fuzzily, each was a day of 2000, and --since dropped it)
    ("2 hours ago", None), ("5 min read", None), ("Page 3 of 12", None), ("-1", None), ("1e400", None),
    # two dates, or a date among other things: the first date (dateutil read none, and the source was undated)
    ("5 October 2022, updated 7 October 2022", date(2022, 10, 5)), ("Oct 18, 2022, updated Oct 20, 2022", date(2022, 10, 18)),
    ("5 min read | Oct 5, 2022", date(2022, 10, 5)), ("5 October 2022 (updated 7 October 2022)", date(2022, 10, 5)),
])
def test_free_form_dates_are_read(text, expected):
    assert recency.parsed_date(text) == expected


@pytest.mark.parametrize("text", ["Oct 18, 2022 at 10:04 a.m. EDT", "Tuesday, 18 October 2022, 10:04 BST"])
def test_a_time_zone_dateutil_does_not_know_is_no_warning(text):
    # dateutil's UnknownTimezoneWarning went to stderr, --quiet or not; the day is the one written
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert recency.parsed_date.__wrapped__(text) == date(2022, 10, 18)


def test_recent_sources_weigh_more_in_selection(work):
    seeds = work / "seeds"
    assert main(["build", "-q", "--format", "json", "--out", "plain"]) == 0
    first = brief_json("plain")["key_judgments"][0]
    cited = next(s["path"] for s in brief_json("plain")["sources"] if s["id"] == first["citations"][0]["source"])
    for p in sorted(seeds.glob("*.txt")):
        old = Path(p).name == Path(cited).name
        p.with_name(p.stem + ".meta.yaml").write_text(f"date: {'2019-01-01' if old else '2022-10-01'}\n")
    assert main(["build", "-q", "--format", "json", "--out", "dated"]) == 0
    dated = brief_json("dated")
    assert dated["stats"]["dated_sources"] == 5
    # dated three years before the rest, the source of the first key judgment leads no more, holds fewer
    # key judgments, and what it still has weighs less (a theme only it covers may still quote it)
    old_source, plain = first["citations"][0]["source"], brief_json("plain")

    def judgments_of(brief):
        return {i["text"]: i["score"] for i in brief["key_judgments"] if i["citations"][0]["source"] == old_source}

    assert dated["key_judgments"][0]["citations"][0]["source"] != old_source
    assert len(judgments_of(dated)) < len(judgments_of(plain))
    assert all(score < judgments_of(plain)[text] for text, score in judgments_of(dated).items()
               if text in judgments_of(plain))


def test_a_source_dated_in_the_future_does_not_make_every_other_source_old(work, capsys, monkeypatch):
    """A typo in one article's year ("2032" for "2022") made it the newest source by ten years: recency
    counts back from the newest, so every other source weighed the floor, and the brief leaned on the
    one mistyped article. A date after the build's day is read as no date, and the build says so."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023
    seeds = sorted((work / "seeds").glob("*.txt"))
    for p in seeds:
        p.with_name(p.stem + ".meta.yaml").write_text("date: 2022-10-01\n")
    typo = seeds[-1].with_name(seeds[-1].stem + ".meta.yaml")
    typo.unlink()
    assert main(["build", "-q", "--format", "json", "--out", "undated"]) == 0
    typo.write_text("date: 2032-10-01\n")
    capsys.readouterr()
    assert main(["build", "--format", "json", "--out", "typo"]) == 0
    assert f"{seeds[-1].name}: dated 2032-10-01, after today" in capsys.readouterr().err
    undated, mistyped = brief_json("undated"), brief_json("typo")
    assert [i["text"] for i in mistyped["key_judgments"]] == [i["text"] for i in undated["key_judgments"]]
    assert ([[i["text"] for i in s["items"]] for s in mistyped["sections"]]
            == [[i["text"] for i in s["items"]] for s in undated["sections"]])
    assert recency.after({"a": date(2023, 11, 15), "b": date(2023, 11, 16), "c": None}, date(2023, 11, 14)) == {"b"}


def test_punkt_is_trained_again_only_when_the_corpus_changed_materially():
    params = json.dumps({"abbrev_types": sorted(segment.ABBREVIATIONS)})
    stored = StoredModel(params, 1000, tuple("abcd"))
    assert not wants_training(stored, 1200, set("abcdx"))
    assert wants_training(stored, 1300, set("abcd"))
    assert wants_training(stored, 700, set("abcd"))
    assert wants_training(stored, 1000, set("abx"))
    assert wants_training(None, 1000, set("abcd"))
    older = json.dumps({"abbrev_types": sorted(segment.ABBREVIATIONS - {"spc"})})  # stored before "Spc." was known
    assert wants_training(StoredModel(older, 1000, tuple("abcd")), 1000, set("abcd"))


def test_a_second_build_waits_for_the_first_or_gives_up_naming_it(work):
    with lock.exclusive(work / "output", 0):
        result = subprocess.run([sys.executable, "-m", "briefing", "build", "-q", "--wait", "0.5"], cwd=work,
                                env=ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"error: output: another build (PID {os.getpid()}) is writing this folder; "
                                     "gave up after waiting 0.5 s (see --wait)")
    assert not (work / "output" / "brief.json").exists()


def test_two_concurrent_builds_both_succeed_and_leave_a_valid_brief(work):
    # Both builds are started while the folder is locked, so they contend for it whatever the machine's
    # speed (started one after the other, the first could finish before the second asked for the lock).
    variants(work / "seeds", 10)
    with lock.exclusive(work / "output", 0):
        builds = [start("--format", "json", "--format", "md", cwd=work) for _ in range(2)]
        said = ["" for _ in builds]
        for k, b in enumerate(builds):
            for line in b.stderr:
                said[k] += line
                if "is writing this folder; waiting up to 600 s" in line:
                    break
        assert all("waiting up to 600 s" in text for text in said), said
    results = [(b.wait(timeout=120), said[k] + b.stderr.read()) for k, b in enumerate(builds)]
    assert [code for code, _ in results] == [0, 0], results
    brief = brief_json(work / "output")
    assert brief["stats"]["sources"] == 15
    assert_primary_citations_verify(brief, work)
    assert not list((work / "output" / ".briefs").glob(".staging-*"))
    assert len(list((work / "output" / ".briefs").iterdir())) == 2  # the brief, and the one before


def kill_when(process, line_start):
    for line in process.stderr:
        if line.startswith(line_start):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


def test_a_killed_build_leaves_the_previous_brief_and_the_next_build_succeeds(work):
    assert main(["build", "-q", "--format", "json", "--format", "md", "--format", "docx"]) == 0
    before = outputs(work / "output")
    variants(work / "seeds", 30)
    kill_when(start("--format", "json", "--format", "md", "--format", "docx", cwd=work), "✓ Read seeds")
    assert outputs(work / "output") == before
    kill_when(start("--format", "json", "--format", "md", "--format", "docx", cwd=work), "✓ Write brief.md")
    assert outputs(work / "output") == before
    result = subprocess.run([sys.executable, "-m", "briefing", "build", "-q", "--format", "json", "--format", "md",
                             "--format", "docx"], cwd=work, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    brief = brief_json(work / "output")
    assert brief["stats"]["sources"] == 35
    assert len(brief["changes"]["new_sources"]) == 30
    assert_primary_citations_verify(brief, work)


def test_help_explains_the_nightly_options(tmp_path):
    out = subprocess.run([sys.executable, "-m", "briefing", "build", "--help"], cwd=tmp_path, env=ENV,
                         capture_output=True, text=True).stdout
    for option in ("--jobs", "--since", "--wait", "--cache", "--quiet"):
        assert option in out


def test_the_last_builds_bucket_leaders_are_renumbered_around_new_sources_or_not_reused():
    leaders = np.array([[-1, -1], [0, -1], [-1, 0], [-1, -1], [2, 3], [3, -1]])
    stored = StoredBuckets(("a", "b", "c"), np.array([2, 3, 1]), leaders)
    keys, counts = ["a", "x", "b", "c"], np.array([2, 2, 3, 1])
    known, new = known_leaders(stored, bucket_sources(stored, keys, counts), counts)
    assert known.tolist() == [[-1, -1], [0, -1], [-1, -1], [-1, -1], [-1, 0], [-1, -1], [4, 5], [5, -1]]
    assert new.tolist() == [2, 3]
    assert bucket_sources(stored, ["a", "c"], np.array([2, 1])) is None  # b was removed
    assert bucket_sources(stored, ["a", "b", "c"], np.array([2, 4, 1])) is None  # b was edited
    keys, counts = ["y", "a", "b", "c", "z"], np.array([3, 2, 3, 1, 5])  # doubled
    known, new = known_leaders(stored, bucket_sources(stored, keys, counts), counts)
    assert known[3:9].tolist() == [[-1, -1], [3, -1], [-1, 3], [-1, -1], [5, 6], [6, -1]]
    assert new.tolist() == [0, 1, 2, 9, 10, 11, 12, 13] and (known[new] == -1).all()
    assert bucket_sources(None, keys, counts) is None  # nothing stored


def test_added_changed_and_removed_are_decided_once_against_the_last_manifest():
    def source(path: str, sha: str) -> Source:
        return Source(id="S", path=path, text="", sha256=sha, metadata=Metadata())

    previous = {"generated_at": "2022-11-30T00:00:00+00:00", "items": [],
                "sources": [{"path": "a", "sha256": "1"}, {"path": "b", "sha256": "2"}, {"path": "c", "sha256": "3"}]}
    now = [source("a", "1"), source("b", "9"), source("d", "4")]
    found = outdated(previous, now, ["ka", "kb", "kd"], np.array([1, 1, 1]), None)
    assert (found.added, found.changed, found.removed, found.moved) == ((2,), (1,), ("c",), ())
    moved = outdated(previous, [source("a", "1"), source("x/c", "3"), source("e", "3")], ["ka", "kc", "ke"],
                     np.array([1, 1, 1]), None)  # c moved to x/c; e is a second copy of it, new
    assert (moved.added, moved.changed, moved.removed, moved.moved) == ((2,), (), ("b",), ((1, "c"),))
    assert found.since == "2022-11-30T00:00:00+00:00" and found.bucket_sources is None
    first = outdated(None, now, ["ka", "kb", "kd"], np.array([1, 1, 1]), None)
    assert (first.since, first.added, first.changed, first.removed) == (None, (), (), ())


def test_a_large_corpus_reuses_its_buckets_and_gives_the_brief_a_fresh_search_gives(work, monkeypatch, capsys):
    monkeypatch.setattr(dedupe, "EXACT_UP_TO", 0)
    variants(work / "seeds", 16)
    assert main(["build", "--format", "json", "--cache", "cache"]) == 0
    assert "known sentences reused" not in capsys.readouterr().err
    known = brief_json()["stats"]["sentences"]
    variants(work / "seeds", 18)  # two more, named after the others: their sentences come last
    variants(work / "seeds", 1, seed=5, name="00-early-{}.txt")  # and one that comes first (Punkt is kept)
    assert main(["build", "--format", "json", "--cache", "cache"]) == 0
    assert f"LSH buckets of {known:,} known sentences reused" in capsys.readouterr().err
    reused, reused_leaders = brief_json(), Cache(work / "cache").buckets().leaders
    Cache(work / "cache").store_buckets(None)
    assert main(["build", "--format", "json", "--cache", "cache", "--out", "fresh"]) == 0
    assert "known sentences reused" not in capsys.readouterr().err
    fresh, fresh_leaders = brief_json("fresh"), Cache(work / "cache").buckets().leaders
    assert (reused_leaders == fresh_leaders).all()
    assert reused["sources"] == fresh["sources"] and reused["sources"][0]["path"].endswith("00-early-0.txt")
    assert reused["key_judgments"] == fresh["key_judgments"] and reused["sections"] == fresh["sections"]


def test_the_manifest_is_indented_json_as_pythons_encoder_writes_it(work):
    shutil.copy(work / "seeds" / sorted(p.name for p in (work / "seeds").glob("*.txt"))[0], work / "seeds" / "Ügé “quoted”.txt")
    assert main(["build", "-q", "--format", "json"]) == 0
    text = Path("output/manifest.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert "seeds/Ügé “quoted”.txt" in {s["path"] for s in data["sources"]}
    assert text == json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("damage", [
    '{"schema": "briefing.manifest/1", "sources": [], "items": [{}]}',
    '{"schema": "briefing.manifest/1", "sources": [{"sha256": "ab"}], "items": []}',
    '{"schema": "briefing.manifest/1", "sources": [1, "x"], "items": []}',
    '{"schema": "briefing.manifest/1", "sources": {"path": 3}, "items": null}',
    '{"schema": "briefing.manifest/1", "sources": [{"path": 3, "sha256": ["x"]}], "items": []}',
    "[" * 100_000 + "]" * 100_000,
    '{"schema": "briefing.manifest/1", "sources": [], "items": [], "generated_at": 5}',
    "\xff\xfe not json",
    "huge",
])
def test_a_damaged_manifest_is_ignored_with_one_warning_and_the_next_build_writes_a_good_one(work, capsys, damage):
    assert main(["build", "-q", "--format", "json"]) == 0
    (work / "seeds" / "000_bdf31170debefaa5.txt").unlink()
    manifest = Path("output/manifest.json")
    target = manifest.resolve()
    if damage == "huge":
        with open(target, "wb") as f:
            f.truncate(output.MAX_MANIFEST_BYTES + 1)
    else:
        target.write_bytes(damage.encode("utf-8", "surrogateescape"))
    assert main(["build", "--format", "json"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning: output/manifest.json")]
    assert len(warnings) == 1, err
    assert "ignored" in warnings[0] and "What's new" in warnings[0] and len(warnings[0]) < 300
    assert "changes" not in brief_json()
    assert main(["build", "-q", "--format", "json"]) == 0
    assert brief_json()["changes"]["removed_sources"] == []
    assert json.loads(manifest.read_text(encoding="utf-8"))["schema"] == "briefing.manifest/1"
