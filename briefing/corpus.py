"""The corpus a brief is made from: the seeds read, each source analysed (or found in the cache), and
those with article text within --since numbered as the brief's sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing import incremental, publish, workers
from briefing.cache import Cache
from briefing.collector import collector_paused
from briefing.config import Settings
from briefing.errors import BuildError, NothingReadable
from briefing.incremental import PerSource
from briefing.ingest import RawSource, read_folder
from briefing.model import Skipped, Source
from briefing.nlp import Lexicon
from briefing.pipeline import persource, recency
from briefing.pipeline.features import Features
from briefing.progress import Progress


@dataclass
class Corpus:
    """The sources a brief is made from, numbered S1, S2, … in reading order, with their sentence
    spans, features and features keys, and how many --since left out (`left_out`: their paths)."""

    sources: list[Source]
    spans: list[tuple[tuple[int, int], ...]]
    features: Features
    keys: list[str]
    excluded: int
    left_out: tuple[str, ...] = ()


def corpus_of(raws: Sequence[RawSource], done: PerSource, settings: Settings, skipped: list[Skipped],
              progress: Progress) -> Corpus:
    """The analysed sources that have article text and are not older than --since (the others
    added to `skipped` or counted as excluded), each made into a Source once, under its final id."""
    kept = []
    for raw, a, feats, key in zip(raws, done.analyses, done.features, done.keys):
        for w in raw.warnings:
            progress.warn(f"{raw.path}: {w}")
        if not a.cleaned.body:
            skipped.append(Skipped(raw.path, "no article text left after removing page furniture"))
            progress.warn(f"{raw.path}: no article text left after removing page furniture; skipped")
            continue
        kept.append((raw, a, feats, key))
    excluded, left_out_paths = 0, []
    if settings.since is not None:
        dates = {k: recency.parsed_date(persource.metadata_of(raw, a).date) for k, (raw, a, _, _) in enumerate(kept)}
        old = recency.before(dates, settings.since)
        excluded = len(old)
        left_out_paths = [raw.path for n, (raw, _, _, _) in enumerate(kept) if n in old]
        kept = [k for n, k in enumerate(kept) if n not in old]
        progress.warn(f"--since {settings.since.isoformat()}: {excluded} source{'s' if excluded != 1 else ''} "
                      f"dated before it left out; {len(kept)} kept (undated sources are kept)")
    if not kept:
        if excluded and settings.since is not None:
            raise BuildError(f"{settings.seeds}: every article is dated before {settings.since.isoformat()} (--since)")
        raise none_readable(settings.seeds, skipped)
    return Corpus([persource.assembled(raw, a, f"S{n}") for n, (raw, a, _, _) in enumerate(kept, start=1)],
                  [a.sentences for _, a, _, _ in kept], Features.joined([f for _, _, f, _ in kept]),
                  [key for _, _, _, key in kept], excluded, tuple(left_out_paths))


SKIPS_NAMED = 3
"""The skipped files the "no readable articles" error names; it counts the rest."""


def none_readable(seeds: Path, skipped: Sequence[Skipped]) -> NothingReadable:
    """The error of a build with no article to read: the first skipped files with their reasons, and
    how many more there are (with -q, the warnings that list each are not printed)."""
    reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:SKIPS_NAMED]) or "the folder is empty"
    more = len(skipped) - SKIPS_NAMED
    if more > 0:
        reasons += f"; and {more} more file{'s' if more != 1 else ''} skipped"
    return NothingReadable(f"{seeds}: no readable articles ({reasons})", tuple(skipped))


@dataclass(frozen=True)
class Read:
    """The seeds read and analysed source by source: what no themes file or selection setting changes."""

    corpus: Corpus
    done: PerSource
    skipped: list[Skipped]
    lexicon: Lexicon


def per_source_stage(raws: Sequence[RawSource], cache: Cache, jobs: int, progress: Progress,
                     lexicon: Lexicon) -> PerSource:
    """Each source cleaned, its metadata inferred, its sentences split and their features computed,
    unless `incremental` found them fresh in the cache."""
    plan = incremental.planned(raws, cache)
    work = plan.work
    with progress.bar(len(work), "Analysing sources") as advance:
        tasks = [(raws[i], plan.cleaned[i], plan.analyses[i]) for i in work]
        for i, (analysis, feats) in zip(work, workers.analyse_each(tasks, plan.model, workers.resolve_jobs(jobs),
                                                                  advance, lexicon)):
            plan.analyses[i], plan.features[i] = analysis, feats
    return incremental.carried_out(plan, work, cache)


def read_seeds(settings: Settings, progress: Progress, cache: Cache, jobs: int) -> Read:
    """The seeds read, and each source cleaned, dated and split (or found in the cache)."""
    seeds = settings.seeds
    if seeds.exists() and not seeds.is_dir():
        raise BuildError(f"{seeds}: is a file, not a folder of articles (set --seeds or 'seeds:' in the config)")
    if not seeds.is_dir():
        raise BuildError(f"{seeds}: seeds folder not found (set --seeds or 'seeds:' in the config)")
    with progress.stage("Read seeds") as note:
        raws, skipped = read_folder(seeds, settings.limits.max_file_bytes, settings.limits.max_metadata_bytes,
                                    settings.follow_outside_links, cache, workers.reading_pool(jobs),
                                    exclude=(settings.out, settings.out / publish.VERSIONS, settings.cache_folder()),
                                    max_read_seconds=settings.limits.max_read_seconds)
        note.append(f"{len(raws)} articles, {len(skipped)} skipped")
    for s in skipped:
        progress.warn(f"{s.path}: {s.reason}; skipped")
    if not raws:
        raise none_readable(seeds, skipped)
    lexicon = Lexicon()
    with progress.stage("Clean, infer metadata and split sentences", spinner=False) as note:
        with collector_paused():
            done = per_source_stage(raws, cache, jobs, progress, lexicon)
        punkt = (f"Punkt trained on {done.model.sample_characters:,} characters" if done.model.trained
                 else "Punkt model reused")
        note.append(f"{done.analysed} analysed, {done.resplit} re-split, {done.reused} reused from the cache; {punkt}")
    return Read(corpus_of(raws, done, settings, skipped, progress), done, skipped, lexicon)
