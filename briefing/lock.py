"""One build at a time per output folder: an exclusive lock on `.lock` inside it, held for the whole
build. The kernel releases it when the holder exits, even when killed, so it never goes stale.

It is a POSIX record lock (`lockf`), which belongs to the process that took it: a child forked while it
is held (a worker of `--jobs`) does not hold it, so an orphaned child cannot keep a dead build's lock,
as it could a `flock`, which belongs to the open file and so to every process with a copy of it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"
POLL_SECONDS = 0.2


class Busy(Exception):
    """Another build held the folder for longer than we were willing to wait."""

    def __init__(self, folder: Path, holder: str, waited: float) -> None:
        who = f"PID {holder}" if holder else "another process"
        super().__init__(f"{folder}: another build ({who}) is writing this folder; "
                         f"gave up after waiting {waited:g} s (see --wait)")


@contextmanager
def exclusive(folder: Path, wait_seconds: float,
              on_wait: Callable[[str], None] = lambda holder: None) -> Iterator[None]:
    """Hold the folder's lock, waiting up to `wait_seconds` for another build to finish (telling
    `on_wait` the holder's PID once); OSError when the folder cannot be written, Busy when the wait
    runs out."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (BlockingIOError, PermissionError):
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                if time.monotonic() >= deadline:
                    raise Busy(folder, holder, wait_seconds) from None
                if not told:
                    on_wait(holder)
                    told = True
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
