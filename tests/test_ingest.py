"""Readers: encodings, bad files skipped with a reason, front matter and sidecar metadata."""

import hashlib

import pytest

from briefing.ingest import read_folder

ARTICLE = "Dock workers in Valmora extended their strike on Monday, halting exports.\n"


def read(tmp_path, limit=1_000_000):
    return read_folder(tmp_path, limit)


def test_reads_utf8_text_and_records_the_hash_of_the_bytes(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    sources, skipped = read(tmp_path)
    assert skipped == []
    assert sources[0].text == ARTICLE
    assert sources[0].sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert sources[0].path == f"{tmp_path.as_posix()}/a.txt"


def test_falls_back_to_cp1252_and_says_so(tmp_path):
    (tmp_path / "a.txt").write_bytes("The minister’s café reopened on Monday after the strike.".encode("cp1252"))
    sources, skipped = read(tmp_path)
    assert sources[0].text.startswith("The minister’s café")
    assert sources[0].encoding == "cp1252"
    assert any("cp1252" in w for w in sources[0].warnings)


@pytest.mark.parametrize("name, data, reason", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("empty.txt", b"  \n\n", "empty file"),
    ("big.txt", b"word " * 300, "over the"),
    ("notes.docx", b"PK\x03\x04", "not a readable Word file (damaged zip"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported file type '.png'"),
])
def test_unusable_files_are_skipped_with_a_reason(tmp_path, name, data, reason):
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / name).write_bytes(data)
    sources, skipped = read(tmp_path, limit=1000)
    assert [s.path.rsplit("/", 1)[-1] for s in sources] == ["good.txt"]
    assert len(skipped) == 1 and skipped[0].path.endswith(name)
    assert reason in skipped[0].reason


def test_markdown_front_matter_gives_metadata_and_is_not_body(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Port strike\nauthor: Ana Petrova\ndate: 2022-10-03\npublisher: Harbour Tribune\n---\n" + ARTICLE)
    source = read(tmp_path)[0][0]
    assert source.metadata.title == "Port strike"
    assert source.metadata.author == "Ana Petrova"
    assert source.metadata.date == "2022-10-03"
    assert source.metadata.publication == "Harbour Tribune"
    assert source.text[source.body_start:] == ARTICLE


def test_a_sidecar_file_sets_or_corrects_metadata_without_editing_the_article(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Wrong title\nauthor: Ana Petrova\n---\n" + ARTICLE)
    (tmp_path / "a.meta.yaml").write_text("title: Port strike enters third week\nurl: https://example.org/a\n")
    sources, skipped = read(tmp_path)
    assert len(sources) == 1 and skipped == []
    meta = sources[0].metadata
    assert meta.title == "Port strike enters third week"
    assert meta.author == "Ana Petrova"
    assert meta.url == "https://example.org/a"


def test_a_sidecar_with_an_unknown_key_is_reported_and_the_article_still_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "a.meta.yaml").write_text("titel: typo\nauthor: Ana Petrova\n")
    sources, skipped = read(tmp_path)
    assert skipped == [] and sources[0].metadata.author == "Ana Petrova"
    assert any(w.startswith("a.meta.yaml: unknown key 'titel'") for w in sources[0].warnings)


def test_folder_walk_matches_rglob_order_hidden_files_links_and_sidecars(tmp_path):
    """The one-scandir-per-folder walk finds what `rglob("*")` + `is_file()` did, in the same order:
    sub-folders, links to files (not to folders), no hidden files or folders, sidecars beside articles."""
    from briefing.ingest import seed_files

    seeds = tmp_path / "seeds"
    (seeds / "b" / "c").mkdir(parents=True)
    (seeds / ".hidden").mkdir()
    (seeds / "elsewhere").mkdir()
    for rel in ["a.txt", "a-b.txt", "b.txt", "b/z.md", "b/c/y.txt", "b/c/y.meta.yml", ".dot.txt", ".hidden/x.txt",
                "b/.x.txt", "elsewhere/w.txt", "noext"]:
        (seeds / rel).write_text(ARTICLE)
    (seeds / "b" / "c" / "y.meta.yml").write_text("title: From the sidecar\n")
    (seeds / "link.txt").symlink_to(seeds / "a.txt")
    (seeds / "linked-folder").symlink_to(seeds / "elsewhere", target_is_directory=True)
    (seeds / "dangling.txt").symlink_to(seeds / "gone.txt")
    expected = sorted(
        (p for p in seeds.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(seeds).parts)
         and not p.name.endswith((".meta.yaml", ".meta.yml"))),
        key=lambda p: p.relative_to(seeds).as_posix())
    assert seed_files(seeds) == expected
    sources, skipped = read_folder(seeds, 1_000_000)
    assert sorted([s.path for s in sources] + [s.path for s in skipped]) == sorted(
        [f"{seeds.as_posix()}/{p.relative_to(seeds).as_posix()}" for p in expected]
        + [f"{seeds.as_posix()}/dangling.txt", f"{seeds.as_posix()}/linked-folder"])
    assert next(s for s in sources if s.path.endswith("b/c/y.txt")).metadata.title == "From the sidecar"
    assert [(s.path.rsplit("/", 1)[-1], s.reason.split(" (")[0].split(";")[0]) for s in skipped] == [
        ("dangling.txt", "dangling symbolic link"), ("linked-folder", "symbolic link to a folder"),
        ("noext", "unsupported file type '(none)'")]
