"""The command line as a user meets it: exit codes, one-line errors, skipped files, atomic output."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefing import build as build_module
from briefing import output
from briefing.cli import main
from briefing.errors import BuildError
from briefing.pipeline import persource, segment
from briefing.progress import Progress
from briefing.templates import Templates
from tests.samples import sample_brief

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run(*args, cwd, columns=200):
    return subprocess.run([sys.executable, "-m", "briefing", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COLUMNS": str(columns)})


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_help_explains_every_option(tmp_path):
    out = run("build", "--help", cwd=tmp_path).stdout
    for option in ("--format", "--seeds", "--out", "--config", "--title", "--templates", "--quiet"):
        assert option in out
    assert "exit status" in out
    assert "a template error" in " ".join(out.split())  # exit 2, as README says; the help left it out


def test_missing_seeds_folder_is_one_line_and_exit_2(tmp_path):
    result = run("build", "--seeds", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: nowhere: seeds folder not found (set --seeds or 'seeds:' in the config)"]
    assert "Traceback" not in result.stderr


def test_a_file_given_as_the_seeds_folder_is_named_as_a_file(tmp_path):
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    result = run("build", "--seeds", "notes.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: notes.md: is a file, not a folder of articles (set --seeds or 'seeds:' in the config)"]


def test_an_empty_title_is_refused(tmp_path):
    # A brief headed "# " (and a PDF without a title) was written before.
    result = run("build", "--title", "   ", cwd=tmp_path)
    assert result.returncode == 2
    assert "--title: is empty: give a title" in result.stderr
    (tmp_path / "themes.yaml").write_text("themes:\n  - id: a\n    title: ' '\n    keywords: [x]\n", encoding="utf-8")
    result = run("build", "--themes", "themes.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "themes.yaml:3: themes[0].title: is empty: give a title" in result.stderr


def test_a_folder_with_nothing_readable_is_exit_2(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "photo.txt").write_bytes(b"\x89PNG\x00\x00")
    result = run("build", "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert "no readable articles" in result.stderr and "binary file" in result.stderr
    assert "Traceback" not in result.stderr


def test_sources_lists_every_skipped_file_even_when_none_could_be_read(tmp_path):
    # `sources` printed only the build's error, naming three files: the one command meant to show what
    # was read and why not showed nothing.
    (tmp_path / "seeds").mkdir()
    for k in range(5):
        (tmp_path / "seeds" / f"photo{k}.txt").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "seeds" / "empty.txt").write_text("")
    result = run("sources", cwd=tmp_path)
    assert result.returncode == 2 and "no readable articles" in result.stderr
    assert "6 skipped" in result.stdout and "empty.txt" in result.stdout
    assert all(f"photo{k}.txt" in result.stdout for k in range(5))


def test_nothing_readable_among_many_files_says_how_many_more_were_skipped(tmp_path):
    # with -q the warnings naming each skipped file are not printed: the error named three and stopped
    (tmp_path / "seeds").mkdir()
    for k in range(5):
        (tmp_path / "seeds" / f"photo{k}.txt").write_bytes(b"\x89PNG\x00\x00")
    result = run("build", "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("binary file") == 3 and "and 2 more files skipped)" in result.stderr


def test_a_malformed_themes_file_names_file_and_key(tmp_path, seeds):
    (tmp_path / "themes.yaml").write_text("themes:\n  - id: Bad Id\n    title: x\n    keywords: {a: 1}\n")
    result = run("build", "--themes", "themes.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "themes.yaml:2: themes[0].id" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_files_are_warned_about_skipped_and_listed(tmp_path, seeds):
    (seeds / "empty.txt").write_text("")
    (seeds / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run("build", "--format", "json", "--format", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "seeds/empty.txt: empty file; skipped" in result.stderr
    brief = json.loads((tmp_path / "output" / "brief.json").read_text())
    assert {s["path"] for s in brief["skipped"]} == {"seeds/empty.txt", "seeds/photo.txt"}
    assert "photo.txt" in (tmp_path / "output" / "brief.md").read_text()
    assert not (tmp_path / "output" / "brief.pdf").exists()


def test_sources_lists_metadata_counts_and_skips(tmp_path, seeds):
    (seeds / "empty.txt").write_text("")
    result = run("sources", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "The Washington Post" in result.stdout
    assert "republishes S1" in result.stdout
    assert "empty file" in result.stdout


def test_sources_shows_file_names_and_titles_as_written_not_as_terminal_markup(tmp_path, seeds):
    """A file named "[red]x.txt" was listed as "x.txt", and a title in square brackets was eaten the same
    way: the table read what the corpus says as rich's markup."""
    (seeds / "[red]x.txt").write_text("[bold]Markup in a title[/bold]\n\n" + "The minister visited the port. " * 5)
    (seeds / "[blink]empty.txt").write_text("")
    result = run("sources", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[red]x.txt" in result.stdout and "[bold]Markup in a title[/bold]" in result.stdout
    assert "[blink]empty.txt" in result.stdout


def test_title_and_out_options(tmp_path, seeds):
    result = run("build", "-q", "--format", "json", "--title", "Weekly note", "--out", "elsewhere", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads((tmp_path / "elsewhere" / "brief.json").read_text())["title"] == "Weekly note"


def test_a_failed_build_keeps_the_previous_brief(tmp_path, seeds, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q", "--format", "md", "--format", "json"]) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "output").iterdir() if p.is_file()}

    real = output.writer_for

    def failing(fmt):
        if fmt == "json":
            def broken(rendered, path):
                path.write_text("half a bri")
                raise OSError("disk full")
            return broken
        return real(fmt)

    monkeypatch.setattr(output, "writer_for", failing)
    (seeds / "extra.txt").write_text("A new article arrived overnight about the strike at the harbour gates.\n")
    assert main(["build", "-q", "--format", "md", "--format", "json"]) == 1
    after = {p.name: p.read_bytes() for p in (tmp_path / "output").iterdir() if p.is_file()}
    assert after == before


def test_staging_left_by_an_interrupted_build_is_cleared_by_the_next_build(tmp_path, seeds, monkeypatch):
    out = tmp_path / "output"
    legacy, staged, unpublished = out / ".brief-killed", out / ".briefs" / ".staging-killed", out / ".briefs" / "000007"
    for folder in (legacy, staged, unpublished):
        folder.mkdir(parents=True)
        (folder / "brief.pdf").write_text("partial")
    (out / ".link-killed").symlink_to("current/brief.pdf")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q", "--format", "json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".briefs", ".cache", ".lock", "brief.json", "current",
                                                     "manifest.json"]
    assert [p.name for p in (out / ".briefs").iterdir()] == ["000001"]
    assert (out / "current").readlink() == Path(".briefs/000001")


def test_a_broken_template_is_reported_with_file_and_line_before_any_work(tmp_path, seeds):
    custom = tmp_path / "mytemplates"
    custom.mkdir()
    (custom / "brief.md.j2").write_text("# {{ brief.title }}\n\n{% for item in brief.key_judgments %}\n- {{ item.text }\n")
    result = run("build", "--templates", "mytemplates", cwd=tmp_path)
    assert result.returncode == 2
    assert "mytemplates/brief.md.j2:4:" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Read seeds" not in result.stderr


def test_a_template_naming_a_missing_field_fails_cleanly_and_keeps_the_old_brief(tmp_path, seeds):
    assert run("build", "-q", "--format", "md", cwd=tmp_path).returncode == 0
    before = (tmp_path / "output" / "brief.md").read_bytes()
    custom = tmp_path / "mytemplates"
    custom.mkdir()
    (custom / "brief.md.j2").write_text("# {{ brief.title }}\n\n{{ brief.titel }}\n")
    result = run("build", "-q", "--format", "md", "--templates", "mytemplates", cwd=tmp_path)
    assert result.returncode == 2
    assert "brief.md.j2:3: " in result.stderr and "titel" in result.stderr  # the line of the mistake
    assert "Traceback" not in result.stderr
    assert (tmp_path / "output" / "brief.md").read_bytes() == before


@pytest.mark.parametrize("body, expected", [
    ("{{ 1/0 }}\n", "brief.md.j2:3: ZeroDivisionError: division by zero"),
    ("{{ brief.title | concise(-1) }}\n", "brief.md.j2:3: concise: takes a list of items (such as section.items), not str"),
    ("{% for s in brief.sections %}{{ s.items | concise(-1) }}{% endfor %}\n",
     "brief.md.j2:3: concise: the number of words must be a whole number from 1, not -1"),
])
def test_an_error_raised_while_a_template_runs_is_one_line_naming_file_and_line_and_keeps_the_old_brief(
        tmp_path, seeds, body, expected):
    assert run("build", "-q", "--format", "md", cwd=tmp_path).returncode == 0
    before = (tmp_path / "output" / "brief.md").read_bytes()
    custom = tmp_path / "mytemplates"
    custom.mkdir()
    (custom / "brief.md.j2").write_text("# {{ brief.title }}\n\n" + body)
    result = run("build", "-q", "--format", "md", "--templates", "mytemplates", cwd=tmp_path)
    line = one_line_error(result)
    assert line.startswith("error: mytemplates/") and expected in line, line
    assert line.endswith("; the previous brief is unchanged")
    assert (tmp_path / "output" / "brief.md").read_bytes() == before


def test_a_reference_docx_that_is_not_a_word_file_is_one_line_before_any_work_and_keeps_the_old_brief(
        tmp_path, seeds):
    assert run("build", "-q", "--format", "docx", cwd=tmp_path).returncode == 0
    before = (tmp_path / "output" / "brief.docx").read_bytes()
    custom = tmp_path / "mytemplates"
    custom.mkdir()
    shutil.copy(ROOT / "templates" / "brief.md.j2", custom)
    (custom / "reference.docx").write_text("garbage\n")
    result = run("build", "--format", "docx", "--templates", "mytemplates", cwd=tmp_path)
    assert one_line_error(result) == ("error: mytemplates/reference.docx: not a Word file (.docx); "
                                      "the previous brief is unchanged")
    assert "Read seeds" not in result.stderr
    assert (tmp_path / "output" / "brief.docx").read_bytes() == before
    with zipfile.ZipFile(custom / "reference.docx", "w") as z:  # a zip, but no Word document
        z.writestr("hello.txt", "not a document")
    result = run("build", "-q", "--format", "docx", "--templates", "mytemplates", cwd=tmp_path)
    assert one_line_error(result).startswith("error: mytemplates/reference.docx: not a readable Word file (")
    assert (tmp_path / "output" / "brief.docx").read_bytes() == before


def test_a_reference_docx_that_is_not_a_word_file_is_a_template_error_when_writing_too(tmp_path):
    """The DOCX writer says it too, for a caller that did not check the templates first."""
    (tmp_path / "reference.docx").write_text("garbage\n")
    with pytest.raises(BuildError) as raised:
        output.write_outputs(sample_brief(), Templates(tmp_path), tmp_path / "out", ["docx"], Progress(quiet=True))
    assert raised.value.exit_code == 2
    assert str(raised.value) == f"{tmp_path}/reference.docx: not a Word file (.docx); the previous brief is unchanged"


def test_an_unwritable_output_folder_is_one_line_and_exit_1(tmp_path, seeds):
    (tmp_path / "blocked").write_text("a file where the output folder should be")
    result = run("build", "-q", "--format", "md", "--out", "blocked/out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: blocked/out: cannot write the output folder")
    assert "Traceback" not in result.stderr


def test_explain_shows_score_parts_matched_terms_and_why_runners_up_lost(tmp_path, seeds):
    result = run("explain", "--seeds", str(seeds), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    explanation = json.loads(result.stdout)
    brief = run("build", "--seeds", str(seeds), "--format", "json", "-q", cwd=tmp_path)
    assert brief.returncode == 0, brief.stderr
    sections = json.loads((tmp_path / "output" / "brief.json").read_text())["sections"]
    for theme, section in zip(explanation["themes"], sections):
        assert [e["text"] for e in theme["items"]] == [i["text"] for i in section["items"]]
        for e in theme["items"]:
            assert {"relevance", "centrality", "corroboration", "informativeness", "quality"} <= set(e["parts"])
            assert e["terms"], e["text"]
        assert theme["runners_up"] and all(r["reason"] for r in theme["runners_up"])
    assert all(k["confidence"] in {"high", "moderate", "low"} for k in explanation["key_judgments"])


def test_explain_one_theme_as_a_table_and_an_unknown_theme_is_exit_2(tmp_path, seeds):
    result = run("explain", "--seeds", str(seeds), "--theme", "china-role", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "China’s growing role" in result.stdout and "Runners-up" in result.stdout
    assert "(western-outreach)" not in result.stdout and "(china-role)" in result.stdout
    bad = run("explain", "--seeds", str(seeds), "--theme", "nope", cwd=tmp_path)
    assert bad.returncode == 2 and "no such theme" in bad.stderr and "china-role" in bad.stderr


def test_explain_counts_the_sentences_using_each_keyword_and_names_those_none_uses(tmp_path, seeds):
    themes = tmp_path / "themes.yaml"
    themes.write_text("themes:\n  - id: alliance\n    title: The alliance\n"
                      "    keywords: {csto: 3, military: 2, zeppelins: 2}\n    aliases: {military: [army]}\n",
                      encoding="utf-8")
    result = run("explain", "--seeds", str(seeds), "--themes", str(themes), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    use = json.loads(result.stdout)["themes"][0]["keywords"]
    assert list(use) == ["csto", "military", "zeppelins"]
    assert use["csto"] > 0 and use["military"] > 0 and use["zeppelins"] == 0
    table = run("explain", "--seeds", str(seeds), "--themes", str(themes), "-q", cwd=tmp_path)
    assert "keywords no sentence uses: zeppelins" in " ".join(table.stdout.split())
    line = next(x for x in table.stdout.splitlines() if x.startswith("keywords used (sentences): "))
    assert f"csto {use['csto']}" in line and f"military {use['military']}" in line and "zeppelins" not in line


def test_explain_shows_the_other_words_a_keyword_matched_through_stemming(tmp_path):
    # "integration" and "integrity" share a stem, as "demonstrations" (protests) and "demonstrated" (showed)
    # do: explain says which words a keyword met, so an analyst sees one met in another sense
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Leaders met in the capital to discuss regional integration and a customs union for the region.\n\n"
        "The summit also demonstrated that the neighbours respect each other's territorial integrity.\n\n"
        "Street demonstrations against the price of fuel spread to three more cities on Friday.\n", encoding="utf-8")
    (seeds / "b.txt").write_text(
        "Officials say the integration of the power grids of the region will take a decade to finish.\n\n"
        "Police broke up two demonstrations near the parliament building on Saturday evening.\n", encoding="utf-8")
    themes = tmp_path / "themes.yaml"
    themes.write_text("themes:\n  - id: region\n    title: Regional integration\n"
                      "    keywords: {integration: 3, demonstrations: 2, neighbours: 1}\n", encoding="utf-8")
    result = run("explain", "--seeds", str(seeds), "--themes", str(themes), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    forms = json.loads(result.stdout)["themes"][0]["keyword_forms"]
    assert forms == {"integration": ["integrity"], "demonstrations": ["demonstrated"]}  # plural and keyword: none
    table = run("explain", "--seeds", str(seeds), "--themes", str(themes), "-q", cwd=tmp_path).stdout
    line = next(x for x in table.splitlines() if x.startswith("keywords used (sentences): "))
    assert line.split(": ", 1)[1].split(", ") == ["demonstrations 3 (as demonstrated)", "integration 3 (as integrity)",
                                                 "neighbours 1"]


def test_explain_of_a_theme_in_plain_words_counts_its_title_s_and_description_s_words(tmp_path, seeds):
    # a theme without keywords is found by its title's and description's words: explain names them so
    themes = tmp_path / "themes.yaml"
    themes.write_text("themes:\n  - id: alliance\n    title: The military alliance\n"
                      "    description: Drills cancelled, and zeppelins.\n", encoding="utf-8")
    result = run("explain", "--seeds", str(seeds), "--themes", str(themes), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    theme = json.loads(result.stdout)["themes"][0]
    assert theme["in_plain_words"] is True
    assert {"military", "alliance", "drills", "cancelled", "zeppelins"} <= set(theme["keywords"])
    table = " ".join(run("explain", "--seeds", str(seeds), "--themes", str(themes), "-q", cwd=tmp_path).stdout.split())
    assert "words of its title and description no sentence uses: zeppelins" in table
    assert "words of its title and description used (sentences): " in table and "keywords used" not in table


def test_sources_piped_without_columns_keeps_words_whole(tmp_path, seeds):
    # rich prints 80 columns to a pipe, and its table broke "Vladimir" as "Vladimi r".
    result = subprocess.run([sys.executable, "-m", "briefing", "sources", "--seeds", str(seeds)], cwd=tmp_path,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) > 80
    assert "Vladimir Putin’s Guide" in result.stdout


def test_a_theme_that_names_nothing_to_look_for_is_told_so(tmp_path, seeds):
    themes = tmp_path / "themes.yaml"
    themes.write_text("themes:\n  - id: empty\n    title: The\n  - id: alliance\n    title: Military alliance\n",
                      encoding="utf-8")
    result = run("build", "--seeds", str(seeds), "--themes", str(themes), "--format", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warning = " ".join(result.stderr.split())
    assert "theme 'empty': no sentence in the corpus is clearly about it (it names nothing to look for" in warning
    assert "theme 'alliance'" not in warning  # a title in plain words finds its sentences


def test_explain_and_sources_describe_the_last_build_from_its_cache_without_changing_it(tmp_path, seeds, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--seeds", str(seeds), "--format", "json", "-q"]) == 0
    cache = tmp_path / "output" / ".cache" / "analysis.sqlite"
    before = cache.read_bytes()

    def no_analysis(*args, **kwargs):
        raise AssertionError("a source was analysed again")

    monkeypatch.setattr(persource, "analysis_of", no_analysis)
    monkeypatch.setattr(segment, "train_tokenizer", no_analysis)
    assert main(["explain", "--seeds", str(seeds), "--json", "-q"]) == 0
    assert main(["sources", "--seeds", str(seeds)]) == 0
    assert cache.read_bytes() == before
    (seeds / "new.txt").write_text("A new article about nothing the build has seen yet, in one long sentence.\n",
                                   encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert main(["explain", "--seeds", str(seeds), "-q"]) == 0  # a source the build has not seen: analysed, not stored
    assert cache.read_bytes() == before


@pytest.mark.parametrize("where", ["out", "cache"])
def test_explain_and_sources_read_a_build_made_with_out_or_cache(tmp_path, seeds, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    place = ["--out", str(tmp_path / "elsewhere")] if where == "out" else ["--cache", str(tmp_path / "my-cache")]
    assert main(["build", "--seeds", str(seeds), "--format", "json", "-q", *place]) == 0

    def no_analysis(*args, **kwargs):
        raise AssertionError("a source was analysed again: the build's cache was not found")

    monkeypatch.setattr(persource, "analysis_of", no_analysis)
    monkeypatch.setattr(segment, "train_tokenizer", no_analysis)
    assert main(["explain", "--seeds", str(seeds), "--json", "-q", *place]) == 0
    assert main(["sources", "--seeds", str(seeds), *place]) == 0
    assert not (tmp_path / "output" / ".cache").exists()  # read where the build put it, nothing made elsewhere


def read_brief_as_a_script_should(out):
    """brief.json, brief.md and manifest.json from one published build: `current` resolved once (an
    output folder without it holds the brief as plain files)."""
    folder = (out / "current").resolve() if (out / "current").exists() else out
    return (json.loads((folder / "brief.json").read_text()), (folder / "brief.md").read_text(),
            json.loads((folder / "manifest.json").read_text()))


def test_a_failure_at_any_step_of_writing_the_outputs_never_publishes_a_mix(tmp_path, seeds, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1669852800")
    (seeds / "zz_extra.txt").write_text("Harbour workers in Pretoria walked out on Monday after the port authority "
                                        "cut night-shift pay by a third, officials said.\n")
    real_write = build_module.write_outputs
    calls = {"n": 0, "fail_at": None}

    def counted(real):
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == calls["fail_at"] and not kwargs.get("ignore_errors"):  # as rmtree(ignore_errors)
                raise OSError(28, "No space left on device (injected)", str(args[0]))
            return real(*args, **kwargs)
        return call

    def faulty_write(*args, **kwargs):
        with pytest.MonkeyPatch.context() as m:
            for module, name in [(os, "rename"), (os, "replace"), (os, "symlink"), (os, "unlink"), (shutil, "rmtree")]:
                m.setattr(module, name, counted(getattr(module, name)))
            return real_write(*args, **kwargs)

    monkeypatch.setattr(build_module, "write_outputs", faulty_write)
    fail_at = 1
    while True:
        out = f"out{fail_at}"
        (seeds / "zz_extra.txt").rename(tmp_path / "zz_extra.txt")
        calls["fail_at"] = None
        assert main(["build", "-q", "--format", "md", "--format", "json", "--out", out]) == 0
        (tmp_path / "zz_extra.txt").rename(seeds / "zz_extra.txt")
        calls["n"], calls["fail_at"] = 0, fail_at
        code = main(["build", "-q", "--format", "md", "--format", "json", "--out", out])
        brief, md, manifest = read_brief_as_a_script_should(tmp_path / out)
        new = "seeds/zz_extra.txt" in {s["path"] for s in brief["sources"]}
        assert new == ("seeds/zz_extra.txt" in {s["path"] for s in manifest["sources"]}), fail_at
        assert new == ("zz_extra.txt" in md), fail_at
        assert new == (code == 0), fail_at
        if calls["n"] < fail_at:  # every step was passed without a fault
            break
        fail_at += 1
    assert fail_at >= 3


def one_line_error(result, code=2):
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("config, expected", [
    ("since: 2022-02-30\n", "briefing.yaml:1: since: "),
    ("selection:\n  words_per_theme: " + "9" * 5000 + "\n", "briefing.yaml:2: "),
    ("selection:\n  min_relevance: .nan\n", "briefing.yaml:2: selection.min_relevance: "),
    ("selection:\n  theme_margin: .inf\n", "briefing.yaml:2: selection.theme_margin: "),
    ("recency:\n  half_life_days: 1e400\n", "briefing.yaml:2: recency.half_life_days: "),
    ("since: 10000-01-01\n", "briefing.yaml:1: since: "),
    # read as a buffer of that size: an OverflowError or MemoryError traceback at the first article
    ("limits:\n  max_file_bytes: 99999999999999999999999\n",
     "briefing.yaml:2: limits.max_file_bytes: must be at most 1000000000, not 99999999999999999999999"),
    ("limits:\n  max_file_bytes: 100000000000000\n", "briefing.yaml:2: limits.max_file_bytes: must be at most"),
    ("title: " + "9" * 5000 + "\n", "briefing.yaml:1: "),
    ("title: |\n  two\n  lines\n", "briefing.yaml:1: title: "),
    ('cache: "a\\0b"\n', "briefing.yaml:1: cache: "),
    ("formats: [pdf, xml]\n", "briefing.yaml:1: formats[1]: unknown format 'xml'"),  # though --format json is given
    ("themes: []\n", "briefing.yaml:1: themes: "),
    ('themes:\n  - {id: a, title: x, keywords: {"  ": 1}}\n', "briefing.yaml:2: themes[0].keywords: a keyword is empty"),
    ('themes:\n  - {id: a, title: x, keywords: {"(.*)+": 1}}\n',
     "briefing.yaml:2: themes[0].keywords: '(.*)+' has no letter or digit: keywords are matched as words, not as patterns"),
    ('themes:\n  - {id: a, title: x, keywords: {b: 1}, aliases: {b: ["*"]}}\n',
     "briefing.yaml:2: themes[0].aliases: '*' has no letter or digit: aliases are matched as words, not as patterns"),
    ("themes:\n  - {id: a, title: x, keywords: {b: 1}}\n  - {id: a, title: y, keywords: {b: 1}}\n",
     "briefing.yaml:2: themes: theme id 'a' is used twice"),
    ('themes:\n  - {id: a, title: "a\\x01b", keywords: {b: 1}}\n', "briefing.yaml:2: themes[0].title: must be one line"),
    ('themes:\n  - {id: a, title: x, description: "a\\x1bb", keywords: {b: 1}}\n',
     "briefing.yaml:2: themes[0].description: it holds the character U+001B"),
])
def test_a_config_value_that_cannot_be_read_is_one_line_naming_file_line_and_key(tmp_path, seeds, config, expected):
    (tmp_path / "briefing.yaml").write_text(config)
    line = one_line_error(run("build", "-q", "--format", "json", "--config", "briefing.yaml", cwd=tmp_path))
    assert line.startswith(f"error: {expected}"), line
    assert len(line) < 200, line


@pytest.mark.parametrize("args, expected", [
    (["explain", "--runners-up", "-3"], "--runners-up"),
    (["explain", "--runners-up", "9" * 5000], "--runners-up"),
    (["build", "--jobs", "9" * 5000], "--jobs"),
    (["build", "--jobs", "100000"], "--jobs"),
    (["build", "--since", "9" * 5000], "--since"),
    (["build", "--wait", "-" + "9" * 5000], "--wait"),
    (["build", "--title", "a\nb"], "--title"),
    (["build", "--title", "x" * 5000], "--title"),
    (["build", "--template", "../../etc/passwd"], "template '../../etc/passwd.md.j2' not found"),
    (["build", "--template", ""], "template '.md.j2' not found"),
    (["build", "--cache", ""], "--cache: an empty path"),
    (["build", "--seeds", ""], "--seeds: an empty path"),
    (["explain", "--out", ""], "--out: an empty path"),
])
def test_a_bad_option_value_is_one_line_and_exit_2(tmp_path, seeds, args, expected):
    line = one_line_error(run(*args, "-q", cwd=tmp_path))
    assert expected in line, line
    assert len(line.replace(str(ROOT), "ROOT")) < 200, line  # short, but for where the checkout lives


def test_a_title_past_the_docx_limit_of_255_characters_is_shortened_in_the_properties_only(tmp_path, seeds):
    from docx import Document

    title = "A very long title about the harbour strike " * 8
    result = run("build", "-q", "--format", "docx", "--format", "json", "--title", title, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "output" / "brief.json").read_text())["title"] == title
    props = Document(str(tmp_path / "output" / "brief.docx")).core_properties
    assert len(props.title) <= 255 and props.title.endswith("…") and title.startswith(props.title[:-1])


def test_theme_titles_adding_up_past_255_characters_still_give_a_docx(tmp_path, seeds):
    themes = "themes:\n" + "".join(
        f"  - id: theme-{n}\n    title: {'Harbour strike and the port authority ' * 3}{n}\n"
        f"    keywords: {{strike: 1, harbour: 1}}\n" for n in range(4))
    (tmp_path / "themes.yaml").write_text(themes)
    result = run("build", "-q", "--format", "docx", "--themes", "themes.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_themes_file_that_never_ends_is_one_line_and_exit_2(tmp_path, seeds):
    big = tmp_path / "themes.yaml"
    with open(big, "wb") as f:
        f.truncate(10_000_001)
    line = one_line_error(run("build", "-q", "--themes", "themes.yaml", cwd=tmp_path))
    assert line == "error: themes.yaml: larger than 10 MB; not a config or themes file"
    line = one_line_error(run("build", "-q", "--themes", "/dev/zero", cwd=tmp_path))
    assert line.startswith("error: /dev/zero: larger than 10 MB")


def test_explain_with_no_runners_up_shows_none(tmp_path, seeds):
    result = run("explain", "--seeds", str(seeds), "--json", "-q", "--runners-up", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert all(not theme["runners_up"] for theme in json.loads(result.stdout)["themes"])


def test_explain_shows_as_many_runners_up_of_each_kind_as_its_help_says(tmp_path, seeds):
    """`--runners-up N`: the N strongest candidates that lost, and up to N/2 (rounded up) each of the
    sentences filed under another theme and of those that were no candidate, per theme."""
    result = run("explain", "--seeds", str(seeds), "--json", "-q", "--runners-up", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    seen = {"lost": 0, "elsewhere": 0, "no candidate": 0}
    for theme in json.loads(result.stdout)["themes"]:
        kinds = ["elsewhere" if r["reason"].startswith("filed under «") else "no candidate" if r["score"] is None
                 else "lost" for r in theme["runners_up"]]
        assert kinds.count("lost") <= 3 and kinds.count("elsewhere") <= 2 and kinds.count("no candidate") <= 2
        for kind in seen:
            seen[kind] = max(seen[kind], kinds.count(kind))
    assert seen == {"lost": 3, "elsewhere": 2, "no candidate": 2}


def test_a_brief_built_with_key_judgments_0_has_no_key_judgments_section(tmp_path, seeds):
    # "key_judgments: 0 to 10; 0: none": the brief still opened with a "Key judgments" heading saying no
    # sentence of the corpus was strong enough, though none had been asked for.
    (tmp_path / "briefing.yaml").write_text("selection:\n  key_judgments: 0\n", encoding="utf-8")
    result = run("build", "-q", "--format", "md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    brief = json.loads((tmp_path / "output" / "brief.json").read_text())
    assert brief["key_judgments"] == [] and brief["stats"]["key_judgments"] == 0
    assert "## Key judgments" not in (tmp_path / "output" / "brief.md").read_text()


def test_explain_gives_no_score_of_zero_to_a_sentence_filed_under_another_theme(tmp_path, seeds):
    # A sentence filed under another theme was shown among this theme's runners-up with "score 0.000"
    # (and centrality 0): it was never scored for this theme, and 0 read as "worth nothing".
    result = run("explain", "--seeds", str(seeds), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    elsewhere = [r for theme in json.loads(result.stdout)["themes"] for r in theme["runners_up"]
                 if r["reason"].startswith("filed under «")]
    assert elsewhere
    assert all(r["score"] is None and "centrality" not in r["parts"] for r in elsewhere), elsewhere
    table = run("explain", "--seeds", str(seeds), "-q", cwd=tmp_path).stdout
    assert "0.000" not in table


def test_explain_and_sources_take_since_to_describe_a_build_made_with_it(tmp_path, seeds):
    # A build given --since chose from the newer sources only; explain had no --since, so it explained
    # another brief (other key judgments) and sources listed sources the brief never read.
    for n, article in enumerate(sorted(seeds.glob("*.txt"))):
        article.with_suffix(".meta.yaml").write_text(f"date: 2022-10-1{n}\n", encoding="utf-8")
    result = run("build", "-q", "--seeds", str(seeds), "--format", "json", "--since", "2022-10-13", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    brief = json.loads((tmp_path / "output" / "brief.json").read_text())
    assert brief["stats"]["excluded_since"] == 3
    result = run("explain", "--seeds", str(seeds), "--json", "-q", "--since", "2022-10-13", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    explanation = json.loads(result.stdout)
    assert [e["text"] for e in explanation["key_judgments"]] == [i["text"] for i in brief["key_judgments"]]
    for theme, section in zip(explanation["themes"], brief["sections"]):
        assert [e["text"] for e in theme["items"]] == [i["text"] for i in section["items"]]
    listed = run("sources", "--seeds", str(seeds), "--since", "2022-10-13", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "2 sources" in listed.stdout and "2022-10-10" not in listed.stdout
    bad = run("explain", "--seeds", str(seeds), "--since", "2022-02-30", cwd=tmp_path)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_explain_as_a_table_says_why_each_key_judgment_was_chosen(tmp_path, seeds):
    # The table printed each key judgment's score for its theme, which does not order them (0.759 came
    # before 0.918), but not its verdict, the strength it was chosen by; only --json had it.
    result = run("explain", "--seeds", str(seeds), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    verdicts = [k["reason"] for k in json.loads(result.stdout)["key_judgments"]]
    assert verdicts and all(v.startswith("key judgment: strength ") for v in verdicts)
    table = run("explain", "--seeds", str(seeds), "-q", cwd=tmp_path, columns=1000).stdout
    for verdict in verdicts:
        assert verdict in table


def test_explain_says_when_a_runner_up_lost_to_the_item_limit_not_the_word_budget(tmp_path, seeds):
    # With items_per_theme: 2 and a budget of 500 words, a runner-up was "not in the best fill of the
    # budget: … (69 of 500 words used)": the word budget had room, and the limit that kept it out went
    # unnamed.
    (tmp_path / "briefing.yaml").write_text("selection:\n  items_per_theme: 2\n  words_per_theme: 500\n",
                                            encoding="utf-8")
    result = run("explain", "--seeds", str(seeds), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lost = [r["reason"] for theme in json.loads(result.stdout)["themes"] for r in theme["runners_up"]
            if r["reason"].startswith("not in the best fill")]
    assert lost
    assert all("(2 of 2 items and " in reason and " of 500 words used" in reason for reason in lost), lost


def test_sources_says_which_fields_a_markdown_file_s_front_matter_gave(tmp_path, seeds):
    """README (The command line): `sources` names, for Markdown, "metadata in the front matter: …", as it
    does "metadata in the HTML: …" for a web page. A Markdown source said nothing of its front matter,
    and a text file whose ligatures were read (its text published too) is no document either."""
    (seeds / "note.md").write_text("---\ntitle: Kazakhstan keeps its distance\ndate: 2022-10-18\n---\n\n"
                                   + "The minister visited the port and spoke about trade with China. " * 5)
    (seeds / "ligatures.txt").write_text("The oﬃcials visited the port and spoke about trade with China. " * 5)
    result = run("sources", cwd=tmp_path, columns=400)
    assert result.returncode == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "metadata in the front matter: title, date" in shown
    assert "metadata in the TXT" not in shown
