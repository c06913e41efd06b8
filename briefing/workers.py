"""The per-source stage across worker processes: each source cleaned, split and its features computed."""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

from nltk.tokenize.punkt import PunktSentenceTokenizer

from briefing.errors import BuildError
from briefing.incremental import SentenceModel
from briefing.ingest import RawSource
from briefing.nlp import Lexicon
from briefing.pipeline import persource, segment
from briefing.pipeline.features import Features

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


def reading_pool(jobs: int) -> Callable[[], ProcessPoolExecutor] | None:
    """What makes the process pool that extracts documents' text while reading (none for one job)."""
    workers = resolve_jobs(jobs)
    if workers <= 1:
        return None
    return lambda: ProcessPoolExecutor(workers, initializer=_die_with, initargs=(os.getpid(),))


def resolve_jobs(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


PARALLEL_FROM = 32
"""Fewer sources than this are analysed in-process: starting workers would cost more than it saves."""


def analyse_each(tasks: list[Task], model: SentenceModel, jobs: int, advance: Callable[[int], None],
                 lexicon: Lexicon) -> Iterator[tuple[persource.SourceAnalysis, Features]]:
    """The per-source stage over `tasks`, in order; in `jobs` worker processes when worth it (each
    with its own lexicon), else in this one with the build's."""
    if jobs <= 1 or len(tasks) < PARALLEL_FROM:
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

