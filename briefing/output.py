"""The output folder: the last build's manifest, and every format rendered into a staging folder and
published at once (see `publish`), so a failed or interrupted build leaves the previous brief intact."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing import manifest, publish
from briefing.collector import older_objects_frozen
from briefing.errors import BuildError
from briefing.model import SOURCE_TEXTS, Brief, source_text_bytes, text_path
from briefing.progress import Progress
from briefing.render import FORMATS, warnings_of, writer_for
from briefing.render.markdown import Rendered, TemplateProblem
from briefing.templates import Templates


def resolve_formats(requested: Sequence[str]) -> list[str]:
    formats: list[str] = []
    for f in requested or ["all"]:
        for name in FORMATS if f == "all" else [f]:
            if name not in FORMATS:
                raise BuildError(f"unknown format {name!r}; choose from {', '.join(FORMATS)} or all")
            if name not in formats:
                formats.append(name)
    return formats


MANIFEST = "manifest.json"


MAX_MANIFEST_BYTES = 64 * 1024 * 1024
"""A manifest larger than this is not read (one of 10,000 sources is about 1.6 MB)."""


def previous_manifest(out: Path, progress: Progress) -> dict[str, Any] | None:
    """The manifest the last successful build left in `out`, if there is one and it is sound. Like the
    cache it is disposable: a damaged one is ignored with a warning (this build then has no What's
    new) and this build writes a good one."""
    path = out / MANIFEST
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise manifest.ManifestError(f"larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MB")
        return manifest.parsed(data)
    except FileNotFoundError:
        return None
    except (OSError, manifest.ManifestError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        progress.warn(f"{path}: damaged or unreadable ({reason}); ignored, so this brief has no What's new")
        return None


def write_source_texts(brief: Brief, folder: Path) -> None:
    """The text extracted from each document source (HTML, PDF, DOCX, e-mail), as `text_path` in
    brief.json names it, so its citations can be checked: published with the brief."""
    for source in brief.sources:
        path = text_path(source)
        if path is not None:
            (folder / path).parent.mkdir(exist_ok=True)
            (folder / path).write_bytes(source_text_bytes(source))


def write_outputs(brief: Brief, templates: Templates, out: Path, formats: Sequence[str],
                  progress: Progress) -> list[Path]:
    """Render every format and the manifest into a staging folder, then publish them all at once (see
    `publish`), only if all succeeded; files a writer puts beside its brief (the figures beside
    brief.md) are published with it. The public paths of the formats and figures written."""
    try:
        staging = publish.staging_folder(out)
    except OSError as exc:
        raise BuildError(f"{out}: cannot write the output folder ({exc.strerror or exc})", 1) from None
    try:
        rendered = Rendered(brief, templates)  # the Markdown, its tree and the figures, made once for all formats
        # The writers make many long-lived objects (reportlab's font tables, python-docx's XML trees), and
        # each full collection they set off would walk the whole analysis of the corpus again.
        with older_objects_frozen():
            for fmt in formats:
                with progress.stage(f"Write brief.{fmt}"):
                    try:
                        writer_for(fmt)(rendered, staging / f"brief.{fmt}")
                        for warning in warnings_of(fmt, rendered):
                            progress.warn(warning)
                    except TemplateProblem as exc:
                        raise BuildError(f"{exc}; the previous brief is unchanged", 2) from None
                    except (OSError, ValueError, KeyError, TypeError) as exc:
                        raise BuildError(f"writing brief.{fmt} failed: {exc}; the previous brief is unchanged",
                                         1) from exc
        try:
            write_source_texts(brief, staging)
        except OSError as exc:
            raise BuildError(f"writing {SOURCE_TEXTS}/ failed: {exc}; the previous brief is unchanged", 1) from None
        try:
            (staging / MANIFEST).write_bytes(manifest.manifest_text(brief))
        except OSError as exc:
            raise BuildError(f"writing {MANIFEST} failed: {exc}; the previous brief is unchanged", 1) from None
        try:
            published = publish.publish(staging, out, progress.warn)
        except OSError as exc:
            raise BuildError(f"{exc.filename or out}: cannot publish the brief ({exc.strerror or exc}); "
                             "the previous brief is unchanged", 1) from None
        first = [out / f"brief.{fmt}" for fmt in formats]
        return first + [p for p in published if p not in first and p.name not in (MANIFEST, SOURCE_TEXTS)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)

