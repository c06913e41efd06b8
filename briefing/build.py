"""The orchestrator: read → clean → segment → dedupe → score → select → render, each step one call.

Stages are pure functions of the model. What can be reused from the last build is decided in
`incremental`, the per-source stage runs in `workers`, and the output folder is written by `output`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from briefing import incremental, lock, manifest
from briefing.cache import Cache
from briefing.collector import older_objects_frozen
from briefing.config import Settings, Theme
from briefing.corpus import Read, read_seeds
from briefing.errors import BuildError
from briefing.incremental import PerSource
from briefing.model import Brief, Sentence, Skipped, Source
from briefing.nlp import Lexicon
from briefing.output import previous_manifest, resolve_formats, write_outputs
from briefing.pipeline import dedupe, rank, recency, segment, themes
from briefing.pipeline.abbreviations import Abbreviations
from briefing.progress import Progress
from briefing.render.markdown import TemplateProblem, brief_template
from briefing.safetext import printable_path
from briefing.similarity import Likeness
from briefing.templates import Templates


@dataclass(frozen=True)
class Analysis:
    """Everything understood about the corpus, before rendering."""

    sources: tuple[Source, ...]
    sentences: Sequence[Sentence]
    skipped: tuple[Skipped, ...]
    brief: Brief
    selected: rank.Selected
    relevance: themes.Relevance | None = None
    likeness: Likeness | None = None
    facts: dedupe.Facts | None = None
    lexicon: Lexicon = field(default_factory=Lexicon)  # the build's one lexicon, which explain reads stems with


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set, so a rebuild of the same input is reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Repeated:
    """The corpus's repeated facts and republications: they depend on no theme."""

    sources: list[Source]
    sentences: segment.SentenceTable
    likeness: Likeness
    facts: dedupe.Facts
    changed: incremental.Outdated
    """What is new since the last brief, which What's new reads."""


def analyse(settings: Settings, theme_list: Sequence[Theme], progress: Progress, cache: Cache | None = None,
            jobs: int = 1, previous: Mapping[str, Any] | None = None) -> Analysis:
    """The corpus understood: per-source analysis (cached), then the corpus-wide stages."""
    cache = cache or Cache(None)
    read = read_seeds(settings, progress, cache, jobs)
    with older_objects_frozen():  # the corpus's objects are all made: collections need not walk them again
        return understood(read, repeated(read, settings, progress, cache, previous), settings, theme_list, progress,
                          previous)


def repeated(read: Read, settings: Settings, progress: Progress, cache: Cache,
             previous: Mapping[str, Any] | None) -> Repeated:
    """Sentences that state the same fact, and the sources that republish another; and what changed
    since the last brief (`previous`, its manifest), decided once for What's new and bucket reuse."""
    sources, features, keys = read.corpus.sources, read.corpus.features, read.corpus.keys
    sentences = segment.SentenceTable(sources, read.corpus.spans)
    counts = np.diff(sentences.start)
    with progress.stage("Find repeated facts and republications") as note:
        changed = incremental.outdated(previous, sources, keys, counts, cache.buckets(), read.corpus.left_out,
                                       read.skipped)
        likeness = Likeness.of_features(features)
        claims = dedupe.Claims.of_features(sentences.texts, features, likeness.space)
        facts, reused, buckets = dedupe.same_facts(sources, sentences.source_index, counts, features, likeness,
                                                   keys, settings.selection.same_fact_similarity, changed.buckets,
                                                   changed.bucket_sources, claims)
        cache.store_buckets(buckets)
        sources = [s.with_(duplicate_of=facts.original[s.id]) if s.id in facts.original else s for s in sources]
        note.append(f"{len(facts.original)} republished source(s)" +
                    (f"; LSH buckets of {reused:,} known sentences reused" if reused else ""))
    return Repeated(sources, segment.SentenceTable(sources, read.corpus.spans), likeness, facts, changed)


def understood(read: Read, found: Repeated, settings: Settings, theme_list: Sequence[Theme], progress: Progress,
               previous: Mapping[str, Any] | None) -> Analysis:
    """Relevance to the themes, selection, and the Brief with What's new."""
    sources, sentences, likeness, facts = found.sources, found.sentences, found.likeness, found.facts
    features, chosen = read.corpus.features, settings.selection
    made = generated_at()
    dates = recency.dates_of(sources)
    future = recency.after(dates, datetime.fromisoformat(made).date())
    for s in sources:
        if s.id in future:
            progress.warn(f"{s.path}: dated {dates[s.id]}, after today; its date is not used to weigh it by "
                          "recency (it would have made every other source old)")
    dates = {sid: None if sid in future else d for sid, d in dates.items()}
    with progress.stage("Score and select") as note:
        weights = recency.weights(dates, settings.recency.half_life_days, settings.recency.floor)
        folded = np.array([facts.original.get(s.id, s.id) for s in sources], dtype=object)[sentences.source_index]
        relevance = themes.relevance_of(sentences.texts, theme_list, read.lexicon, chosen, folded, ~facts.copied,
                                        features=features, space=likeness.space, vectors=likeness.vectors,
                                        defined=Abbreviations.of_sources([s.text for s in sources], read.corpus.spans))
        selected = rank.select(sentences, likeness, relevance, facts, theme_list, chosen,
                               source_weights=weights, features=features)
        n_items = len(selected.key_judgments) + sum(len(s.items) for s in selected.sections)
        note.append(f"{n_items} items across {len(theme_list)} themes")
    for theme, section in zip(theme_list, selected.sections):
        if not section.items:
            progress.warn(f"theme {section.theme!r}: no sentence in the corpus is clearly about it"
                          + ("" if themes.named_terms(theme, read.lexicon) else
                             " (it names nothing to look for: give it keywords, or a title or description "
                             "with a word that is not a stop word)"))
    brief = Brief(title=settings.title, generated_at=made, sources=tuple(sources),
                  key_judgments=selected.key_judgments, sections=selected.sections, skipped=tuple(read.skipped),
                  seeds=printable_path((settings.seeds / "_").as_posix()[:-1]),  # as it begins each `path`
                  stats=stats_of(sources, len(sentences), facts, read.skipped, read.done, read.corpus.excluded,
                                 settings, len(theme_list)))
    if previous is not None:
        brief = replace(brief, changes=manifest.changes_since(previous, brief, found.changed))
    return Analysis(tuple(sources), sentences, tuple(read.skipped), brief, selected, relevance, likeness, facts,
                    read.lexicon)


def stats_of(sources: Sequence[Source], sentences: int, facts: dedupe.Facts, skipped: Sequence[Skipped],
             done: PerSource, excluded: int, settings: Settings, n_themes: int) -> dict[str, Any]:
    """brief.json's `stats`: what the build read, kept, reused and chose with."""
    return {
        "sources": len(sources),
        "independent_sources": len(sources) - len(facts.original),
        "duplicates": len(facts.original),
        "sentences": sentences,
        "dropped_blocks": sum(len(s.dropped) for s in sources),
        "themes": n_themes,
        "words_per_theme": settings.selection.words_per_theme,
        "key_judgments": settings.selection.key_judgments,
        "skipped": len(skipped),
        "sources_analysed": done.analysed,
        "sources_resplit": done.resplit,
        "sources_reused": done.reused,
        "punkt_trained": done.model.trained,
        "excluded_since": excluded,
        "dated_sources": sum(1 for d in recency.dates_of(sources).values() if d is not None),
        "recency_half_life_days": settings.recency.half_life_days,
        "recency_floor": settings.recency.floor,
        "since": settings.since.isoformat() if settings.since else None,
    }


DEFAULT_WAIT_SECONDS = 600.0


def build(settings: Settings, theme_list: Sequence[Theme], templates: Templates, formats: Sequence[str],
          progress: Progress, jobs: int = 1, wait: float = DEFAULT_WAIT_SECONDS) -> tuple[Analysis, list[Path]]:
    """Read the seeds, understand them, and write the brief in every asked-for format, holding the
    output folder's lock throughout so two builds never write it at once."""
    chosen = resolve_formats(formats)
    try:
        brief_template(templates)
        if "docx" in chosen:  # its reference document too, before the analysis rather than after it
            from briefing.render.docx import reference_document

            reference_document(templates.reference_docx)
    except TemplateProblem as exc:
        raise BuildError(f"{exc}; the previous brief is unchanged") from None
    out = settings.out
    with ExitStack() as stack:
        def waiting(holder: str) -> None:
            progress.warn(f"{out}: another build ({f'PID {holder}' if holder else 'another process'}) is writing "
                          f"this folder; waiting up to {wait:g} s")
        try:
            stack.enter_context(lock.exclusive(out, wait, waiting))
        except lock.Busy as exc:
            raise BuildError(str(exc), 1) from None
        except OSError as exc:
            raise BuildError(f"{out}: cannot write the output folder ({exc.strerror or exc})", 1) from None
        cache = stack.enter_context(closing(open_cache(settings.cache_folder(), progress)))
        analysis = analyse(settings, theme_list, progress, cache, jobs, previous_manifest(out, progress))
        return analysis, write_outputs(analysis.brief, templates, out, chosen, progress)


def open_cache(folder: Path, progress: Progress) -> Cache:
    """The cache in `folder`; when it cannot be opened there, an in-memory one (with a warning)."""
    try:
        return Cache(folder)
    except (OSError, sqlite3.Error) as exc:
        progress.warn(f"{folder}: cannot use the cache ({exc}); analysing every source")
        return Cache(None)
