"""Faults a nightly build meets: killed builds and their workers, interrupted publishing, damaged state."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing import lock
from tests.test_incremental import ENV, variants, work  # noqa: F401 (a fixture)


def children_of(pid):
    """The PIDs of the live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone_within(pids, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_killed_while_its_workers_analyse_leaves_no_worker_and_no_lock(work, sig):
    variants(work / "seeds", 400)
    build = subprocess.Popen([sys.executable, "-m", "briefing", "build", "--format", "json", "--jobs", "2"],
                             cwd=work, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
        workers = children_of(build.pid)
        time.sleep(0.01)
    assert len(workers) == 2, "the build never started its two workers"
    build.send_signal(sig)
    build.wait(timeout=60)
    try:
        assert gone_within(workers, 30), "a worker outlived the build it belonged to"
    finally:
        for pid in filter(alive, workers):
            os.kill(pid, signal.SIGKILL)
    again = subprocess.run([sys.executable, "-m", "briefing", "build", "-q", "--format", "json", "--wait", "0"],
                           cwd=work, env=ENV, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert json.loads((work / "output" / "brief.json").read_text())["stats"]["sources"] == 405


def test_a_forked_child_does_not_keep_the_lock_of_the_build_that_forked_it(tmp_path):
    with lock.exclusive(tmp_path, 0):
        child = os.fork()
        if child == 0:
            time.sleep(30)
            os._exit(0)
    try:
        with lock.exclusive(tmp_path, 0):  # the child lives on, and the folder is free
            assert alive(child)
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


# Publishing: a reader that resolves `current` once sees one whole brief, the old or the new.

from briefing import publish  # noqa: E402

EVERY = ["brief-coverage.png", "brief.docx", "brief.json", "brief.md", "brief.pdf", "manifest.json"]
FEWER = ["brief-coverage.png", "brief.json", "brief.md", "manifest.json"]


def staged(out, tag, names):
    folder = publish.staging_folder(out)
    for name in names:
        (folder / name).write_text(f"{tag} {name}")
    return folder


def published(out):
    """(tag, names) of the brief a reader sees: `current` resolved once and every file read from there,
    checked against what the public names show; an AssertionError on any mix. (An output folder an
    earlier briefing left has no `current`: its plain files are the brief.)"""
    folder = (out / "current").resolve() if (out / "current").exists() else out
    contents = {p.name: p.read_text() for p in folder.iterdir() if publish.PLAIN_OUTPUT.fullmatch(p.name)}
    tags = {text.split()[0] for text in contents.values()}
    assert len(tags) == 1, contents
    tag = tags.pop()
    assert all(text == f"{tag} {name}" for name, text in contents.items()), contents
    public = {p.name: p.read_text() for p in out.iterdir() if publish.PLAIN_OUTPUT.fullmatch(p.name) and p.exists()}
    assert public == contents
    return tag, sorted(contents)


class Faults:
    """Every file-system call publishing makes, counted; the `fail_at`-th raises OSError."""

    CALLS = [(os, "rename"), (os, "replace"), (os, "symlink"), (os, "link"), (os, "unlink"), (os, "mkdir"),
             (shutil, "rmtree")]

    def __init__(self, monkeypatch, fail_at=None):
        self.count, self.fail_at = 0, fail_at
        for module, name in self.CALLS:
            monkeypatch.setattr(module, name, self.wrapped(getattr(module, name)))

    def wrapped(self, real):
        def call(*args, **kwargs):
            self.count += 1
            if self.count == self.fail_at and not kwargs.get("ignore_errors"):  # as rmtree(ignore_errors)
                raise OSError(28, "No space left on device (injected)", str(args[0]))
            return real(*args, **kwargs)
        return call


def plain_brief(out, tag, names):
    out.mkdir()
    for name in names:
        (out / name).write_text(f"{tag} {name}")


@pytest.mark.parametrize("before, after", [(EVERY, EVERY), (EVERY, FEWER), (FEWER, EVERY), ("plain", EVERY)])
def test_a_fault_at_any_step_of_publishing_leaves_the_old_brief_or_the_new_never_a_mix(tmp_path, before, after):
    def prepared():
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        if before == "plain":  # an output folder an earlier briefing left: plain files, no versions
            plain_brief(out, "old", EVERY)
            return out, ("old", EVERY)
        publish.publish(staged(out, "old", before), out, print)
        return out, ("old", before)

    out, old = prepared()
    with pytest.MonkeyPatch.context() as m:
        clean = Faults(m)
        publish.publish(staged(out, "new", after), out, print)
    assert published(out) == ("new", after)
    steps = clean.count
    assert steps >= 3
    outcomes = set()
    for fail_at in range(1, steps + 1):
        out, old = prepared()
        folder = staged(out, "new", after)
        warnings = []
        with pytest.MonkeyPatch.context() as m:
            Faults(m, fail_at)
            try:
                publish.publish(folder, out, warnings.append)
            except OSError:
                outcome = "failed"
            else:
                outcome = "warned" if warnings else "clean"
        seen = published(out)
        assert seen in (old, ("new", after)), (fail_at, seen)
        assert (outcome == "failed") == (seen == old), (fail_at, outcome, seen)
        outcomes.add(outcome)
        publish.publish(staged(out, "next", after), out, print)  # and the next build publishes, and tidies up
        assert published(out) == ("next", after)
        assert not list(out.glob(".link-*")) and not list((out / ".briefs").glob(".staging-*"))
        assert len(list((out / ".briefs").iterdir())) <= 1 + publish.KEEP_PREVIOUS
    assert "failed" in outcomes


PUBLISH_FOREVER = """
import sys
from pathlib import Path
from briefing import publish
out, names = Path(sys.argv[1]), [{every!r}, {fewer!r}]
n = int(sys.argv[2])
while True:
    folder = publish.staging_folder(out)
    for name in names[n % 2]:
        (folder / name).write_text(f"v{{n}} {{name}}")
    publish.publish(folder, out, print)
    if n == int(sys.argv[2]):
        print("published", flush=True)
    n += 1
"""


def test_a_publisher_killed_at_random_moments_always_leaves_one_whole_brief(tmp_path):
    import random

    rng = random.Random(13)
    out = tmp_path / "output"
    plain_brief(out, "v0", EVERY)
    code = PUBLISH_FOREVER.format(every=EVERY, fewer=FEWER)
    seen = set()
    for round_ in range(1, 31):
        child = subprocess.Popen([sys.executable, "-c", code, str(out), str(round_ * 1000)], env=ENV,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline() == "published\n"
        time.sleep(rng.uniform(0, 0.05))  # publishing over and over: the kill lands anywhere in a publication
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        tag, names = published(out)
        assert names == (EVERY if int(tag[1:]) % 2 == 0 else FEWER)
        assert int(tag[1:]) >= round_ * 1000
        seen.add(tag)
    assert len(seen) == 30


def test_versions_are_ordered_by_number_past_a_million_builds(tmp_path):
    out = tmp_path / "output"
    (out / ".briefs" / "999999").mkdir(parents=True)
    (out / "current").symlink_to(".briefs/999999")
    publish.publish(staged(out, "a", FEWER), out, print)
    assert sorted(p.name for p in (out / ".briefs").iterdir()) == ["1000000", "999999"]  # the one before is kept
    for tag in ("b", "c", "d"):
        publish.publish(staged(out, tag, FEWER), out, print)
    assert published(out) == ("d", FEWER)
    assert sorted(p.name for p in (out / ".briefs").iterdir()) == ["1000001", "1000002", "1000003"]


def test_a_folder_where_a_public_file_belongs_fails_the_build_naming_it(work, capsys):
    from briefing.cli import main

    (work / "output" / "brief.md").mkdir(parents=True)
    (work / "output" / "brief.md" / "keep.txt").write_text("an analyst's folder")
    assert main(["build", "-q", "--format", "md"]) == 1
    assert capsys.readouterr().err.startswith("error: output/brief.md: cannot publish the brief (Is a directory)")
    assert (work / "output" / "brief.md" / "keep.txt").read_text() == "an analyst's folder"


def test_a_build_killed_at_random_moments_of_publishing_leaves_one_whole_brief(work):
    import random

    from tests.test_cli import read_brief_as_a_script_should

    rng = random.Random(5)
    formats = ["--format", "md", "--format", "json"]
    assert subprocess.run([sys.executable, "-m", "briefing", "build", "-q", *formats], cwd=work, env=ENV).returncode == 0
    for n in range(3):
        variants(work / "seeds", 1, seed=n, name=f"new_{n}_{{}}.txt")
        build = subprocess.Popen([sys.executable, "-m", "briefing", "build", *formats], cwd=work, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in build.stderr:
            if line.startswith("✓ Write brief.json"):
                time.sleep(rng.uniform(0, 0.02))
                build.send_signal(signal.SIGKILL)
                break
        build.wait(timeout=60)
        build.stderr.close()
        brief, md, manifest = read_brief_as_a_script_should(work / "output")
        paths = {s["path"] for s in brief["sources"]}
        assert paths == {s["path"] for s in manifest["sources"]}
        assert f"Compiled from {len(paths)} sources" in md
