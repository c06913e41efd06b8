"""The build `briefing serve` keeps in memory: the corpus as read, its repeated facts, the brief and its
page; and, in one place (`first_step`), which of those a change of the inputs makes stale.

A themes file or a selection setting changes only what is scored and chosen: the seeds are not read
again, so a new themes file shows in the page in the time scoring and rendering take. The per-source
cache (the build's own) makes a re-read after a seeds change cheap for the files that did not change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from briefing.build import Analysis, Repeated, open_cache, repeated, understood
from briefing.collector import older_objects_frozen
from briefing.config import Settings, Theme
from briefing.corpus import Read, read_seeds
from briefing.errors import BuildError
from briefing.output import previous_manifest
from briefing.progress import Progress
from briefing.render import html
from briefing.render.markdown import Rendered, TemplateProblem
from briefing.templates import Templates


class Step(IntEnum):
    """A build's steps in order; a change re-runs the first one it makes stale and all after it."""

    READ = 1  # read the seeds, analyse each source (the cache keeps the unchanged ones)
    REPEAT = 2  # find repeated facts and republications
    SCORE = 3  # relevance, selection and the Brief
    RENDER = 4  # the page


DONE = {Step.READ: "read the seeds", Step.REPEAT: "found repeated facts", Step.SCORE: "scored and selected",
        Step.RENDER: "rendered"}

READ_SETTINGS = ("seeds", "limits", "follow_outside_links", "since", "cache")
"""Settings the corpus as read depends on."""
SCORE_SETTINGS = ("selection", "recency", "title", "out")
"""Settings the brief depends on but the corpus does not (`out`: the manifest What's new compares with)."""


@dataclass(frozen=True)
class Inputs:
    """What a build is made from besides the seeds: settings (config and options), themes, templates."""

    settings: Settings
    themes: list[Theme]
    templates: Templates


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def first_step(changed: Collection[Path], before: Inputs, after: Inputs) -> Step | None:
    """The first step to run again when the files `changed` (absolute paths) and the inputs went from
    `before` to `after`; None when nothing the brief depends on changed."""
    old, new = before.settings, after.settings
    seeds = {old.seeds.resolve(), new.seeds.resolve()}
    if any(_under(p, s) for p in changed for s in seeds) or any(getattr(old, k) != getattr(new, k)
                                                                 for k in READ_SETTINGS):
        return Step.READ
    if old.selection.same_fact_similarity != new.selection.same_fact_similarity:
        return Step.REPEAT
    if before.themes != after.themes or any(getattr(old, k) != getattr(new, k) for k in SCORE_SETTINGS):
        return Step.SCORE
    folder = after.templates.directory.resolve()
    if before.templates != after.templates or any(_under(p, folder) for p in changed):
        return Step.RENDER
    return None


def page_of(analysis: Analysis, templates: Templates) -> str:
    """The brief as the HTML page `build` writes."""
    try:
        return str(html.page(Rendered(analysis.brief, templates)))
    except TemplateProblem as exc:
        raise BuildError(str(exc), 2) from None


class Unstaged(Progress):
    """A rebuild's display: its warnings, but no line per stage (serve prints one line per rebuild)."""

    @contextmanager
    def stage(self, name: str, spinner: bool = True) -> Iterator[list[str]]:
        yield []


class Session:
    """The last good build, in memory, and what a rebuild must re-run. `load` reads the config, themes
    and templates again (raising ConfigError); the seeds are read in `run`."""

    def __init__(self, load: Callable[[], Inputs], progress: Progress, jobs: int = 1) -> None:
        self.load, self.progress, self.jobs = load, progress, jobs
        self.inputs = load()
        settings = self.inputs.settings
        self.cache = open_cache(settings.cache_folder(), progress)
        self.previous: dict[str, Any] | None = previous_manifest(settings.out, progress)
        self.read: Read | None = None
        self.found: Repeated | None = None
        self.analysis: Analysis | None = None
        self.page = ""
        self.stale: Step | None = Step.READ  # the first step not yet run for `inputs`
        self.pending: set[Path] = set()  # files changed since the inputs were last loaded

    def run(self, start: Step, progress: Progress | None = None) -> None:
        """The steps from `start` on, for the current inputs; the previous results stay on an error."""
        settings, progress = self.inputs.settings, progress or self.progress
        read = self.read = read_seeds(settings, progress, self.cache, self.jobs) if start <= Step.READ else self.read
        found, analysis = self.found, self.analysis
        assert read is not None and (found is not None or start <= Step.REPEAT)
        with older_objects_frozen():
            if start <= Step.REPEAT:
                found = self.found = repeated(read, settings, progress, self.cache, self.previous)
            assert found is not None
            if start <= Step.SCORE:
                analysis = self.analysis = understood(read, found, settings, self.inputs.themes, progress,
                                                      self.previous)
        assert analysis is not None
        self.page = page_of(analysis, self.inputs.templates)
        self.stale = None

    def update(self, changed: Collection[Path]) -> Step | None:
        """Load the inputs again and re-run from the first step the change needs (or an earlier one a
        failed rebuild left stale). The step started from, or None when nothing needed a rebuild.
        ConfigError or BuildError when the inputs or the build are bad: the last good page stays."""
        self.pending |= set(changed)
        before, after = self.inputs, self.load()
        needed = first_step(self.pending, before, after)
        self.pending = set()
        step = min(s for s in (needed, self.stale) if s is not None) if needed or self.stale else None
        self.inputs = after
        if after.settings.cache_folder() != before.settings.cache_folder():
            self.cache.close()
            self.cache = open_cache(after.settings.cache_folder(), self.progress)
        if after.settings.out != before.settings.out:
            self.previous = previous_manifest(after.settings.out, self.progress)
        if step is not None:
            self.stale = step
            self.run(step, Unstaged(self.progress.quiet, self.progress.console))
        return step

    def close(self) -> None:
        self.cache.close()
