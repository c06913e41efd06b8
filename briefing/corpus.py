"""The corpus a brief is made from: the analysed sources with article text, within --since."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing import persource, recency
from briefing.config import Settings
from briefing.errors import BuildError
from briefing.features import Features
from briefing.incremental import PerSource
from briefing.ingest import RawSource
from briefing.model import Skipped, Source
from briefing.progress import Progress


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
