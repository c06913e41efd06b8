"""Publishing a build's outputs as one unit, so a reader never meets half of one brief and half of another.

Each build is rendered into a staging folder, which becomes a numbered version folder; one symbolic
link names the published version, and the public names are links through it:

    OUT/.briefs/000042/            brief.pdf, brief.docx, brief.md, brief.json, brief-coverage.png, manifest.json
    OUT/current -> .briefs/000042  the published build: replaced by one rename(2), so every format changes at once
    OUT/brief.pdf -> current/brief.pdf, … one link per file of the published build

A build publishes exactly the files it wrote: a name the new build did not write (`--format md` after
a build of every format) no longer resolves. The two versions before the current one are kept, so a
reader that resolved `current` just before a swap can finish reading. The caller holds the output
folder's lock: staging folders and versions a killed build left are removed at the next build's start.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

VERSIONS = ".briefs"
CURRENT = "current"
STAGING_PREFIX = ".staging-"
LINK_PREFIX = ".link-"
LEGACY_STAGING_PREFIX = ".brief-"
"""Staging folders of briefing before versioned output, which renamed each file into OUT itself."""
KEEP_PREVIOUS = 2
PLAIN_OUTPUT = re.compile(r"brief\.(pdf|docx|md|json)|brief-[\w-]+\.png|manifest\.json")
"""The names an earlier briefing wrote into OUT as plain files."""


def staging_folder(out: Path) -> Path:
    """A new, empty folder to render a build into, inside `out`; what a killed build left is removed
    first (the caller holds the lock, so no other build is using it)."""
    versions = out / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    return _new_staging(out)


def remove_leftovers(out: Path) -> None:
    """Staging folders, half-made links and versions that were never published, left by killed builds."""
    current = published_version(out)
    versions = out / VERSIONS
    for path in [*out.glob(f"{LEGACY_STAGING_PREFIX}*"), *versions.glob(f"{STAGING_PREFIX}*"),
                 *(v for v in version_folders(out) if current is None or int(v.name) > int(current))]:
        shutil.rmtree(path, ignore_errors=True)
    for link in out.glob(f"{LINK_PREFIX}*"):
        link.unlink(missing_ok=True)


def version_folders(out: Path) -> list[Path]:
    """The numbered version folders, oldest first."""
    try:
        return sorted((p for p in (out / VERSIONS).iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
    except OSError:
        return []


def published_version(out: Path) -> str | None:
    """The name of the version folder `current` points to, or None before the first publication."""
    try:
        target = os.readlink(out / CURRENT)
    except OSError:
        return None
    parent, _, name = target.rpartition("/")
    return name if parent == VERSIONS and name.isdigit() else None


def publish(staging: Path, out: Path, warn: Callable[[str], None]) -> list[Path]:
    """Make the staged build the published one, every file at once; its public paths. An OSError
    before the swap leaves the previous brief published; tidying after it only warns."""
    adopt_plain_files(out)
    version = _next_version(out)
    os.rename(staging, out / VERSIONS / version)
    names = sorted(p.name for p in (out / VERSIONS / version).iterdir())
    for name in names:
        _link(out / name, f"{CURRENT}/{name}")  # a name new to this build resolves once `current` moves
    _link(out / CURRENT, f"{VERSIONS}/{version}")
    try:
        _remove_stale_links(out, set(names))
        for old in _superseded(out, version):
            shutil.rmtree(old)
    except OSError as exc:
        warn(f"{exc.filename or out}: could not tidy the output folder after publishing ({exc.strerror or exc})")
    return [out / name for name in names]


def adopt_plain_files(out: Path) -> None:
    """Turn an output folder of plain files (briefing before versioned output) into a published
    version of the same files, without a moment in which a reader sees anything else."""
    if (out / CURRENT).is_symlink():
        return
    plain = [p for p in sorted(out.iterdir()) if PLAIN_OUTPUT.fullmatch(p.name) and p.is_file() and not p.is_symlink()]
    if not plain:
        return
    staging = _new_staging(out)
    for path in plain:
        try:
            os.link(path, staging / path.name)
        except OSError:
            shutil.copy2(path, staging / path.name)
    version = _next_version(out)
    os.rename(staging, out / VERSIONS / version)
    _link(out / CURRENT, f"{VERSIONS}/{version}")
    for path in plain:
        _link(path, f"{CURRENT}/{path.name}")


def _new_staging(out: Path) -> Path:
    """An empty folder in VERSIONS, readable as the umask allows (as the plain files of old were)."""
    folder = out / VERSIONS / f"{STAGING_PREFIX}{os.urandom(6).hex()}"
    folder.mkdir()
    return folder


def _next_version(out: Path) -> str:
    existing = version_folders(out)
    return f"{int(existing[-1].name) + 1 if existing else 1:06d}"


def _link(path: Path, target: str) -> None:
    """`path` made a symbolic link to `target` in one rename(2), whatever it was before."""
    try:
        if os.readlink(path) == target:
            return
    except OSError:
        pass
    temporary = path.with_name(f"{LINK_PREFIX}{os.urandom(6).hex()}")
    os.symlink(target, temporary)
    try:
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _remove_stale_links(out: Path, names: set[str]) -> None:
    """Public links to files the published build did not write."""
    for path in out.iterdir():
        if path.name not in names and path.is_symlink() and os.readlink(path).startswith(f"{CURRENT}/"):
            path.unlink()


def _superseded(out: Path, version: str) -> list[Path]:
    """Version folders older than the KEEP_PREVIOUS before `version`, and any never published."""
    older = [v for v in version_folders(out) if int(v.name) < int(version)]
    newer = [v for v in version_folders(out) if int(v.name) > int(version)]
    return older[:max(0, len(older) - KEEP_PREVIOUS)] + newer
