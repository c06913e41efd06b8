"""The orchestrator: read → clean → segment → dedupe → score → select → render, with progress.

Stages are pure functions of the model; this module owns the file system: it reads the seeds folder,
renders every format into a temporary folder beside the output, and only when all of them succeeded
renames each into place, so a failed or interrupted build leaves the previous brief intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from briefing import clean, dedupe, metadata, rank, segment, themes
from briefing.config import Settings, Theme
from briefing.ingest import RawSource, read_folder
from briefing.model import Brief, Sentence, Skipped, Source
from briefing.nlp import Lexicon
from briefing.render import FORMATS, writer_for
from briefing.render.markdown import TemplateProblem, brief_template
from briefing.templates import Templates


class BuildError(Exception):
    """A build that cannot go on; `exit_code` 2 for bad input or usage, 1 for a failure while writing."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Progress:
    """One line per finished stage on stderr, with its time; silent when quiet."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.quiet = quiet
        self.console = console or Console(stderr=True, highlight=False)

    @contextmanager
    def stage(self, name: str) -> Iterator[list[str]]:
        summary: list[str] = []
        started = time.perf_counter()
        if self.quiet:
            yield summary
            return
        with self.console.status(f"{name}…", spinner="dots"):
            yield summary
        detail = f": {escape(summary[0])}" if summary else ""
        self.console.print(f"[green]✓[/green] {name}{detail} [dim]({time.perf_counter() - started:.2f} s)[/dim]")

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.console.print(f"[yellow]warning:[/yellow] {escape(message)}", soft_wrap=True)


@dataclass(frozen=True)
class Analysis:
    """Everything understood about the corpus, before rendering."""

    sources: tuple[Source, ...]
    sentences: tuple[Sentence, ...]
    skipped: tuple[Skipped, ...]
    brief: Brief
    selected: rank.Selected
    relevance: themes.Relevance | None = None
    likeness: dedupe.Likeness | None = None
    facts: dedupe.Facts | None = None


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set, so a rebuild of the same input is reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def sources_of(raws: Sequence[RawSource]) -> list[Source]:
    """Cleaned sources with ids S1…, metadata inferred from the text and overridden by the analyst's."""
    out = []
    for n, raw in enumerate(raws, start=1):
        source = Source(f"S{n}", raw.path, raw.sha256, raw.text, raw.metadata, encoding=raw.encoding,
                        warnings=raw.warnings)
        source = clean.clean(source, markdown=raw.markdown, body_start=raw.body_start)
        out.append(source.with_(metadata=metadata.inferred_metadata(source).merged(raw.metadata)))
    return out


def analyse(settings: Settings, theme_list: Sequence[Theme], progress: Progress) -> Analysis:
    seeds = settings.seeds
    if not seeds.is_dir():
        raise BuildError(f"{seeds}: seeds folder not found (set --seeds or 'seeds:' in the config)")
    with progress.stage("Read seeds") as note:
        raws, skipped = read_folder(seeds, settings.limits.max_file_bytes)
        note.append(f"{len(raws)} articles, {len(skipped)} skipped")
    for s in skipped:
        progress.warn(f"{s.path}: {s.reason}; skipped")
    with progress.stage("Clean and infer metadata") as note:
        cleaned = sources_of(raws)
        sources = [s for s in cleaned if s.body]
        for s in cleaned:
            if not s.body:
                skipped.append(Skipped(s.path, "no article text left after removing page furniture"))
                progress.warn(f"{s.path}: no article text left after removing page furniture; skipped")
            for w in s.warnings:
                progress.warn(f"{s.path}: {w}")
        note.append(f"{sum(len(s.dropped) for s in sources)} blocks of page furniture removed")
    if not sources:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3]) or "the folder is empty"
        raise BuildError(f"{seeds}: no readable articles ({reasons})")
    sources = [s.with_(id=f"S{n}") for n, s in enumerate(sources, start=1)]
    lexicon = Lexicon()
    with progress.stage("Split sentences") as note:
        tokenizer = segment.train_tokenizer(segment.body_texts(sources))
        sentences = [x for s in sources for x in segment.sentences_of(s, tokenizer)]
        note.append(f"{len(sentences)} sentences (Punkt trained on the corpus)")
    with progress.stage("Find repeated facts and republications") as note:
        likeness = dedupe.Likeness.of([s.text for s in sentences], lexicon)
        facts = dedupe.facts_of(sources, sentences, likeness.vectors, settings.selection.same_fact_similarity)
        sources = [s.with_(duplicate_of=facts.original.get(s.id)) for s in sources]
        note.append(f"{len(facts.original)} republished source(s)")
    with progress.stage("Score and select") as note:
        relevance = themes.relevance_of([s.text for s in sentences], theme_list, lexicon,
                                          settings.selection.expansion_terms, settings.selection.expansion_weight,
                                          [facts.original.get(s.source, s.source) for s in sentences],
                                          [s.source not in facts.original for s in sentences])
        selected = rank.select(sentences, likeness, relevance, facts, theme_list, settings.selection)
        n_items = len(selected.key_judgments) + sum(len(s.items) for s in selected.sections)
        note.append(f"{n_items} items across {len(theme_list)} themes")
    for section in selected.sections:
        if not section.items:
            progress.warn(f"theme {section.theme!r}: no sentence in the corpus is clearly about it")
    brief = Brief(
        title=settings.title,
        generated_at=generated_at(),
        sources=tuple(sources),
        key_judgments=selected.key_judgments,
        sections=selected.sections,
        skipped=tuple(skipped),
        stats={
            "sources": len(sources),
            "independent_sources": len(sources) - len(facts.original),
            "duplicates": len(facts.original),
            "sentences": len(sentences),
            "dropped_blocks": sum(len(s.dropped) for s in sources),
            "themes": len(theme_list),
            "words_per_theme": settings.selection.words_per_theme,
            "skipped": len(skipped),
        },
    )
    return Analysis(tuple(sources), tuple(sentences), tuple(skipped), brief, selected, relevance, likeness, facts)


def resolve_formats(requested: Sequence[str]) -> list[str]:
    formats: list[str] = []
    for f in requested or ["all"]:
        for name in FORMATS if f == "all" else [f]:
            if name not in FORMATS:
                raise BuildError(f"unknown format {name!r}; choose from {', '.join(FORMATS)} or all")
            if name not in formats:
                formats.append(name)
    return formats


STAGING_PREFIX = ".brief-"
ABANDONED_AFTER_SECONDS = 3600


def remove_abandoned_staging(out: Path) -> None:
    """Staging folders an interrupted build left behind (old enough that no build still uses them)."""
    now = time.time()
    for folder in out.glob(f"{STAGING_PREFIX}*"):
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > ABANDONED_AFTER_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def write_outputs(brief: Brief, templates: Templates, out: Path, formats: Sequence[str],
                  progress: Progress) -> list[Path]:
    """Render every format into a temporary folder, then move each into `out` only if all succeeded;
    files a writer puts beside its brief (the figures beside brief.md) move with it."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(out)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    except OSError as exc:
        raise BuildError(f"{out}: cannot write the output folder ({exc.strerror or exc})", 1) from None
    try:
        for fmt in formats:
            with progress.stage(f"Write brief.{fmt}"):
                try:
                    writer_for(fmt)(brief, templates, staging / f"brief.{fmt}")
                except TemplateProblem as exc:
                    raise BuildError(f"{exc}; the previous brief is unchanged", 2) from None
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise BuildError(f"writing brief.{fmt} failed: {exc}; the previous brief is unchanged", 1) from exc
        written = []
        staged = [staging / f"brief.{fmt}" for fmt in formats]
        staged += sorted(p for p in staging.iterdir() if p not in staged)  # files a writer put beside its brief
        for path in staged:
            target = out / path.name
            try:
                os.replace(path, target)
            except OSError as exc:
                raise BuildError(f"{target}: cannot replace ({exc.strerror or exc})", 1) from None
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(settings: Settings, theme_list: Sequence[Theme], templates: Templates, formats: Sequence[str],
          progress: Progress) -> tuple[Analysis, list[Path]]:
    """Read the seeds, understand them, and write the brief in every asked-for format."""
    chosen = resolve_formats(formats)
    try:
        brief_template(templates)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    analysis = analyse(settings, theme_list, progress)
    return analysis, write_outputs(analysis.brief, templates, settings.out, chosen, progress)
