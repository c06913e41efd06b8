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
from tests.test_incremental import ENV, variants

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1669852800")
    return tmp_path


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
