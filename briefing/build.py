"""The orchestrator: read → clean → segment → dedupe → score → select → render, with progress.

Stages are pure functions of the model; this module owns the file system: it reads the seeds folder,
renders every format into a staging folder inside the output folder, and only when all of them
succeeded publishes them at once (`publish`), so a failed or interrupted build leaves the previous
brief intact.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from nltk.tokenize.punkt import PunktSentenceTokenizer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from briefing import dedupe, lock, manifest, persource, publish, rank, recency, segment, themes
from briefing.cache import Cache, StoredBuckets, StoredModel
from briefing.collector import collector_paused, older_objects_frozen
from briefing.config import Settings, Theme
from briefing.features import Features
from briefing.ingest import RawSource, read_folder
from briefing.model import Brief, Sentence, Skipped, Source
from briefing.nlp import Lexicon
from briefing.render import FORMATS, warnings_of, writer_for
from briefing.render.markdown import TemplateProblem, brief_template
from briefing.render.shared import shared
from briefing.templates import Templates

T = TypeVar("T")


class BuildError(Exception):
    """A build that cannot go on; `exit_code` 2 for bad input or usage, 1 for a failure while writing."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _unseen(n: int = 1) -> None:
    """Progress nobody is shown."""


class Progress:
    """One line per finished stage on stderr, with its time; a progress bar over sources when stderr
    is a terminal; silent when quiet. No spinner or bar is drawn when stderr is not a terminal."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.quiet = quiet
        self.console = console or Console(stderr=True, highlight=False)

    @property
    def live(self) -> bool:
        return not self.quiet and self.console.is_terminal

    @contextmanager
    def stage(self, name: str, spinner: bool = True) -> Iterator[list[str]]:
        summary: list[str] = []
        started = time.perf_counter()
        if self.quiet:
            yield summary
            return
        if spinner and self.live:
            with self.console.status(f"{name}…", spinner="dots"):
                yield summary
        else:
            yield summary
        detail = f": {escape(summary[0])}" if summary else ""
        self.console.print(f"[green]✓[/green] {name}{detail} [dim]({time.perf_counter() - started:.2f} s)[/dim]",
                           soft_wrap=True)

    @contextmanager
    def bar(self, total: int, description: str) -> Iterator[Callable[[int], None]]:
        """A callable to advance a progress bar of `total` steps (drawn only on a terminal)."""
        if not self.live or total == 0:
            yield _unseen
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with RichProgress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(description, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)
            yield advance

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.console.print(f"[yellow]warning:[/yellow] {escape(message)}", soft_wrap=True)


@dataclass(frozen=True)
class Analysis:
    """Everything understood about the corpus, before rendering."""

    sources: tuple[Source, ...]
    sentences: Sequence[Sentence]
    skipped: tuple[Skipped, ...]
    brief: Brief
    selected: rank.Selected
    relevance: themes.Relevance | None = None
    likeness: dedupe.Likeness | None = None
    facts: dedupe.Facts | None = None


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set, so a rebuild of the same input is reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat()


RETRAIN_GROWTH = 0.25
"""Punkt is trained again when the corpus has grown or shrunk by more than this share of its
characters since the model was trained, or when more than this share of the sources it learnt from
are gone; otherwise the stored model is reused."""


def wants_training(stored: StoredModel | None, characters: int, hashes: set[str]) -> bool:
    if stored is None or not stored.sample:
        return True
    if abs(characters - stored.corpus_characters) > RETRAIN_GROWTH * stored.corpus_characters:
        return True
    gone = sum(1 for h in stored.sample if h not in hashes)
    return gone > RETRAIN_GROWTH * len(stored.sample)


@dataclass
class SentenceModel:
    tokenizer: PunktSentenceTokenizer
    hash: str
    trained: bool
    sample_characters: int = 0


def sentence_model(raws: Sequence[RawSource], cleaned: list[persource.Cleaned | None], cache: Cache) -> SentenceModel:
    """The stored Punkt model while the corpus has not changed materially, else one trained on a
    bounded sample of it (and stored). Fills `cleaned` for the sources it had to clean to train."""
    characters = sum(len(r.text) for r in raws)
    stored = cache.model()
    if stored is not None and not wants_training(stored, characters, {r.sha256 for r in raws}):
        try:
            return SentenceModel(segment.tokenizer_from_json(stored.params), segment.model_hash(stored.params), False)
        except (ValueError, KeyError, TypeError):
            pass
    sample = set(segment.training_sample([(r.sha256, r.text) for r in raws]))
    texts = []
    for i, raw in enumerate(raws):
        if raw.sha256 in sample:
            made = cleaned[i] or persource.cleaned_of(raw)
            cleaned[i] = made
            texts.append(persource.body_text(raw, made))
    tokenizer = segment.train_tokenizer(texts)
    params = segment.tokenizer_to_json(tokenizer)
    cache.store_model(StoredModel(params, characters, tuple(sorted(sample))))
    return SentenceModel(tokenizer, segment.model_hash(params), True, sum(map(len, texts)))


_worker: tuple[PunktSentenceTokenizer, str, Lexicon] | None = None


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have Linux kill this worker when the build process dies (SIGKILL, the OOM killer, `timeout`'s
    SIGTERM), and exit now if it already has: no orphan works on, or holds anything, for a dead build.
    Elsewhere, a no-op."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _start_worker(params: str, parent: int) -> None:
    global _worker
    _die_with(parent)
    _worker = (segment.tokenizer_from_json(params), segment.model_hash(params), Lexicon())


Task = tuple[RawSource, "persource.Cleaned | None", "persource.SourceAnalysis | None"]


def analysed(task: Task, tokenizer: PunktSentenceTokenizer, model: str,
             lexicon: Lexicon) -> tuple[persource.SourceAnalysis, Features]:
    """One source's analysis (unless given) and its sentence features."""
    raw, cleaned, analysis = task
    if analysis is None:
        analysis = persource.analysis_of(raw, tokenizer, model, cleaned=cleaned)
    return analysis, persource.features_for(raw, analysis, lexicon)


def _analyse_in_worker(task: Task) -> tuple[persource.SourceAnalysis, Features]:
    assert _worker is not None
    return analysed(task, *_worker)


def resolve_jobs(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


PARALLEL_FROM = 32
"""Fewer sources than this are analysed in-process: starting workers would cost more than it saves."""


def analyse_each(tasks: list[Task], model: SentenceModel, jobs: int,
                 advance: Callable[[int], None]) -> Iterator[tuple[persource.SourceAnalysis, Features]]:
    """The per-source stage over `tasks`, in order; in `jobs` worker processes when worth it."""
    if jobs <= 1 or len(tasks) < PARALLEL_FROM:
        lexicon = Lexicon()
        for task in tasks:
            yield analysed(task, model.tokenizer, model.hash, lexicon)
            advance(1)
        return
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    params = segment.tokenizer_to_json(model.tokenizer)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_start_worker,
                                 initargs=(params, os.getpid())) as pool:
            for result in pool.map(_analyse_in_worker, tasks, chunksize=chunk):
                yield result
                advance(1)
    except BrokenExecutor:
        raise BuildError(f"a worker process of --jobs {jobs} died (out of memory?); try fewer jobs", 1) from None


@dataclass
class PerSource:
    analyses: list[persource.SourceAnalysis]
    features: list[Features]
    keys: list[str]
    """Each source's features key: what its sentences and their features depend on."""
    analysed: int
    resplit: int
    reused: int
    model: SentenceModel


def per_source_stage(raws: Sequence[RawSource], cache: Cache, jobs: int, progress: Progress) -> PerSource:
    """Each source cleaned, its metadata inferred, its sentences split and their features computed,
    from the cache when its bytes, the pipeline version and the Punkt model are unchanged."""
    keys = [persource.cache_key(r) for r in raws]
    stored = cache.get_many(keys)
    found: list[persource.SourceAnalysis | None] = []
    for raw, key in zip(raws, keys):
        try:
            found.append(persource.from_json(stored[key], len(raw.text)) if key in stored else None)
        except ValueError:
            found.append(None)
    cleaned = [a.cleaned if a else None for a in found]
    model = sentence_model(raws, cleaned, cache)
    todo = [i for i, a in enumerate(found) if a is None or a.model != model.hash]
    resplit = sum(1 for i in todo if found[i] is not None)
    redo = set(todo)
    analyses: list[persource.SourceAnalysis | None] = [None if i in redo else a for i, a in enumerate(found)]
    feature_keys = [persource.features_key(k, model.hash) for k in keys]
    stored_features = cache.get_many([feature_keys[i] for i, a in enumerate(analyses) if a is not None], "features")
    features: list[Features | None] = []
    for i, a in enumerate(analyses):
        try:
            blob = stored_features.get(feature_keys[i]) if a is not None else None
            made = Features.from_bytes(blob) if blob is not None else None
            features.append(made if made is not None and a is not None and len(made) == len(a.sentences) else None)
        except ValueError:
            features.append(None)
    work = [i for i in range(len(raws)) if analyses[i] is None or features[i] is None]
    with progress.bar(len(work), "Analysing sources") as advance:
        results = analyse_each([(raws[i], cleaned[i], analyses[i]) for i in work], model, resolve_jobs(jobs), advance)
        for i, (analysis, feats) in zip(work, results):
            analyses[i], features[i] = analysis, feats
    done, done_features = filled(analyses), filled(features)
    cache.put_many((keys[i], persource.to_json(done[i])) for i in todo)
    cache.put_many(((feature_keys[i], done_features[i].to_bytes()) for i in work), "features")
    cache.keep_only(keys)
    cache.keep_only(feature_keys, "features")
    return PerSource(done, done_features, feature_keys, len(todo) - resplit, resplit, len(raws) - len(todo), model)


def filled(items: list[T | None]) -> list[T]:
    """The list, once every entry of it has been made."""
    assert all(item is not None for item in items)
    return cast(list[T], items)


def reusable_buckets(stored: StoredBuckets | None, keys: Sequence[str],
                     counts: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The last build's bucket leaders renumbered into this corpus (the new sentences' rows -1), and
    which sentences are new; None when they cannot be reused: a source was removed or edited, or the
    corpus is small enough for the exact product (which is always done afresh)."""
    n = int(counts.sum())
    if stored is None or n <= dedupe.EXACT_UP_TO or len(stored.keys) > len(keys):
        return None
    matched = np.empty(len(stored.keys), dtype=np.int64)
    at = 0
    for k, key in enumerate(stored.keys):  # the stored sources, in order, among this corpus's
        while at < len(keys) and keys[at] != key:
            at += 1
        if at == len(keys) or counts[at] != stored.counts[k]:
            return None
        matched[k] = at
        at += 1
    start = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    stored_start = np.zeros(len(stored.keys) + 1, dtype=np.int64)
    np.cumsum(stored.counts, out=stored_start[1:])
    renumber = np.repeat(start[matched] - stored_start[:-1], stored.counts) + np.arange(stored_start[-1])
    leaders = np.full((n, stored.leaders.shape[1]), -1, dtype=np.int32)
    leaders[renumber] = np.where(stored.leaders >= 0, renumber[np.maximum(stored.leaders, 0)], -1)
    new = np.ones(n, dtype=bool)
    new[renumber] = False
    return leaders, np.flatnonzero(new)


def same_facts(sources: Sequence[Source], sentences: segment.SentenceTable, features: Features,
               likeness: dedupe.Likeness, keys: Sequence[str], threshold: float,
               cache: Cache) -> tuple[dedupe.Facts, int]:
    """Same-fact clusters and republications; with how many sentences' LSH buckets were reused.

    Above EXACT_UP_TO sentences, candidate pairs come from locality-sensitive hashing: each sentence
    is paired with the first sentence of each of its buckets. The last build's bucket leaders are
    reused when only sources were added (see `reusable_buckets`): only the new sentences' buckets are
    looked up, and the leaders are exactly those a fresh search finds. Every candidate's similarity
    is checked afresh. The leaders are stored for the next build."""
    if len(sentences) <= dedupe.EXACT_UP_TO:
        cache.store_buckets(None)
        return dedupe.facts_from(sources, sentences.source_index, likeness.vectors, features.signature, threshold), 0
    counts = np.diff(sentences.start)
    reuse = reusable_buckets(cache.buckets(), keys, counts)
    if reuse is None:
        leaders, reused = dedupe.bucket_leaders(features.signature), 0
    else:
        known, new = reuse
        leaders, reused = dedupe.bucket_leaders_since(features.signature, known, new), len(sentences) - len(new)
    pairs = dedupe.verified(dedupe.pairs_of(leaders), likeness.vectors, threshold)
    facts = dedupe.facts_from(sources, sentences.source_index, likeness.vectors, features.signature, threshold, pairs)
    cache.store_buckets(StoredBuckets(tuple(keys), counts, leaders))
    return facts, reused


@dataclass
class Corpus:
    """The sources a brief is made from, numbered S1, S2, … in reading order, with their sentence
    spans, features and features keys, and how many --since left out."""

    sources: list[Source]
    spans: list[tuple[tuple[int, int], ...]]
    features: Features
    keys: list[str]
    excluded: int


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
    excluded = 0
    if settings.since is not None:
        dates = {k: recency.parsed_date(persource.metadata_of(raw, a).date) for k, (raw, a, _, _) in enumerate(kept)}
        old = recency.before(dates, settings.since)
        excluded = len(old)
        kept = [k for n, k in enumerate(kept) if n not in old]
        progress.warn(f"--since {settings.since.isoformat()}: {excluded} source{'s' if excluded != 1 else ''} "
                      f"dated before it left out; {len(kept)} kept (undated sources are kept)")
    if not kept:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3]) or "the folder is empty"
        if excluded and settings.since is not None:
            raise BuildError(f"{settings.seeds}: every article is dated before {settings.since.isoformat()} (--since)")
        raise BuildError(f"{settings.seeds}: no readable articles ({reasons})")
    return Corpus([persource.assembled(raw, a, f"S{n}") for n, (raw, a, _, _) in enumerate(kept, start=1)],
                  [a.sentences for _, a, _, _ in kept], Features.joined([f for _, _, f, _ in kept]),
                  [key for _, _, _, key in kept], excluded)


def analyse(settings: Settings, theme_list: Sequence[Theme], progress: Progress, cache: Cache | None = None,
            jobs: int = 1, previous: Mapping[str, Any] | None = None) -> Analysis:
    """The corpus understood: per-source analysis (cached), then the corpus-wide stages."""
    seeds = settings.seeds
    if not seeds.is_dir():
        raise BuildError(f"{seeds}: seeds folder not found (set --seeds or 'seeds:' in the config)")
    with progress.stage("Read seeds") as note:
        raws, skipped = read_folder(seeds, settings.limits.max_file_bytes, settings.limits.max_metadata_bytes,
                                    settings.follow_outside_links)
        note.append(f"{len(raws)} articles, {len(skipped)} skipped")
    for s in skipped:
        progress.warn(f"{s.path}: {s.reason}; skipped")
    if not raws:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3]) or "the folder is empty"
        raise BuildError(f"{seeds}: no readable articles ({reasons})")
    cache = cache or Cache(None)
    with progress.stage("Clean, infer metadata and split sentences", spinner=False) as note:
        with collector_paused():
            done = per_source_stage(raws, cache, jobs, progress)
        punkt = (f"Punkt trained on {done.model.sample_characters:,} characters" if done.model.trained
                 else "Punkt model reused")
        note.append(f"{done.analysed} analysed, {done.resplit} re-split, {done.reused} reused from the cache; {punkt}")
    corpus = corpus_of(raws, done, settings, skipped, progress)
    with older_objects_frozen():  # the corpus's objects are all made: collections need not walk them again
        return understood(corpus, done, skipped, settings, theme_list, progress, cache, previous)


def understood(corpus: Corpus, done: PerSource, skipped: list[Skipped], settings: Settings,
               theme_list: Sequence[Theme], progress: Progress, cache: Cache,
               previous: Mapping[str, Any] | None) -> Analysis:
    """The corpus-wide stages: repeated facts, relevance, selection, and the Brief with What's new."""
    sources, table_spans, features, keys, excluded = (corpus.sources, corpus.spans, corpus.features, corpus.keys,
                                                      corpus.excluded)
    sentences = segment.SentenceTable(sources, table_spans)
    lexicon = Lexicon()
    with progress.stage("Find repeated facts and republications") as note:
        likeness = dedupe.Likeness.of_features(features)
        facts, reused = same_facts(sources, sentences, features, likeness, keys,
                                   settings.selection.same_fact_similarity, cache)
        sources = [s.with_(duplicate_of=facts.original[s.id]) if s.id in facts.original else s for s in sources]
        sentences = segment.SentenceTable(sources, table_spans)
        note.append(f"{len(facts.original)} republished source(s)" +
                    (f"; LSH buckets of {reused:,} known sentences reused" if reused else ""))
    with progress.stage("Score and select") as note:
        weights = recency.weights(recency.dates_of(sources), settings.recency.half_life_days)
        folded = np.array([facts.original.get(s.id, s.id) for s in sources], dtype=object)[sentences.source_index]
        chosen = settings.selection
        relevance = themes.relevance_of(sentences.texts, theme_list, lexicon, chosen.expansion_terms,
                                        chosen.expansion_weight, folded, ~facts.copied, features=features,
                                        space=likeness.space, vectors=likeness.vectors,
                                        keyword_share=chosen.keyword_share,
                                        description_weight=chosen.description_weight,
                                        expansion_lift=chosen.expansion_lift)
        selected = rank.select(sentences, likeness, relevance, facts, theme_list, settings.selection,
                               source_weights=weights, features=features)
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
        seeds=(settings.seeds / "_").as_posix()[:-1],
        stats={
            "sources": len(sources),
            "independent_sources": len(sources) - len(facts.original),
            "duplicates": len(facts.original),
            "sentences": len(sentences),
            "dropped_blocks": sum(len(s.dropped) for s in sources),
            "themes": len(theme_list),
            "words_per_theme": settings.selection.words_per_theme,
            "skipped": len(skipped),
            "sources_analysed": done.analysed,
            "sources_resplit": done.resplit,
            "sources_reused": done.reused,
            "punkt_trained": done.model.trained,
            "excluded_since": excluded,
            "dated_sources": sum(1 for d in recency.dates_of(sources).values() if d is not None),
            "recency_half_life_days": settings.recency.half_life_days,
            "since": settings.since.isoformat() if settings.since else None,
        },
    )
    if previous is not None:
        brief = replace(brief, changes=manifest.changes_since(previous, brief))
    return Analysis(tuple(sources), sentences, tuple(skipped), brief, selected, relevance, likeness, facts)


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
        with shared():  # the Markdown, its tree and the figures are made once for all formats
            for fmt in formats:
                with progress.stage(f"Write brief.{fmt}"):
                    try:
                        writer_for(fmt)(brief, templates, staging / f"brief.{fmt}")
                        for warning in warnings_of(fmt, brief):
                            progress.warn(warning)
                    except TemplateProblem as exc:
                        raise BuildError(f"{exc}; the previous brief is unchanged", 2) from None
                    except (OSError, ValueError, KeyError, TypeError) as exc:
                        raise BuildError(f"writing brief.{fmt} failed: {exc}; the previous brief is unchanged",
                                         1) from exc
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
        return first + [p for p in published if p not in first and p.name != MANIFEST]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


DEFAULT_WAIT_SECONDS = 600.0


def build(settings: Settings, theme_list: Sequence[Theme], templates: Templates, formats: Sequence[str],
          progress: Progress, jobs: int = 1, wait: float = DEFAULT_WAIT_SECONDS) -> tuple[Analysis, list[Path]]:
    """Read the seeds, understand them, and write the brief in every asked-for format, holding the
    output folder's lock throughout so two builds never write it at once."""
    chosen = resolve_formats(formats)
    try:
        brief_template(templates)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
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
