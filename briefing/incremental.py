"""What this build can reuse from the last one (as Sphinx's environment): each source's cache keys
and whether its stored analysis and features are fresh, whether the stored Punkt model still fits the
corpus, and which sources were added, changed and removed since the last build (`Outdated`). Decided
here, once per build; the build only carries the decisions out."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
from nltk.tokenize.punkt import PunktSentenceTokenizer

from briefing.cache import Cache, StoredBuckets, StoredModel
from briefing.ingest import RawSource
from briefing.manifest import metadata_digest
from briefing.model import Skipped, Source
from briefing.pipeline import persource, segment
from briefing.pipeline.features import Features

T = TypeVar("T")


RETRAIN_GROWTH = 0.25
"""Punkt is trained again when the corpus has grown or shrunk by more than this share of its
characters since the model was trained, or when more than this share of the sources it learnt from
are gone; otherwise the stored model is reused."""


def wants_training(stored: StoredModel | None, characters: int, hashes: set[str]) -> bool:
    if stored is None or not stored.sample or not _knows_abbreviations(stored.params):
        return True
    if abs(characters - stored.corpus_characters) > RETRAIN_GROWTH * stored.corpus_characters:
        return True
    gone = sum(1 for h in stored.sample if h not in hashes)
    return gone > RETRAIN_GROWTH * len(stored.sample)


def _knows_abbreviations(params: str) -> bool:
    """Whether a stored model has every abbreviation this version adds to Punkt (one stored by an
    older version, before the list grew, is trained again rather than splitting "Spc. Graner")."""
    try:
        return segment.ABBREVIATIONS <= set(json.loads(params)["abbrev_types"])
    except (ValueError, KeyError, TypeError):
        return False


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

@dataclass
class Plan:
    """What each source needs: its analysis (None when it must be made: new, edited, or split by
    another model) and features (None when they must be made), under which keys they are stored."""

    keys: list[str]
    feature_keys: list[str]
    model: SentenceModel
    cleaned: list[persource.Cleaned | None]
    analyses: list[persource.SourceAnalysis | None]
    features: list[Features | None]
    todo: list[int]
    """The sources whose analysis is made afresh."""
    resplit: int
    """How many of those were analysed before, with another sentence model."""

    @property
    def work(self) -> list[int]:
        """The sources whose analysis or features are made afresh."""
        return [i for i in range(len(self.keys)) if self.analyses[i] is None or self.features[i] is None]


def planned(raws: Sequence[RawSource], cache: Cache) -> Plan:
    """Each source's stored analysis and features when its bytes, the pipeline version and the
    Punkt model are unchanged; the Punkt model (trained again when the corpus changed materially)."""
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
    return Plan(keys, feature_keys, model, cleaned, analyses, stored_features(analyses, feature_keys, cache),
                todo, resplit)


def stored_features(analyses: Sequence[persource.SourceAnalysis | None], feature_keys: Sequence[str],
                    cache: Cache) -> list[Features | None]:
    """The stored features of each source whose analysis is reused, where sound and of its sentences."""
    stored = cache.get_many([feature_keys[i] for i, a in enumerate(analyses) if a is not None], "features")
    features: list[Features | None] = []
    for i, a in enumerate(analyses):
        try:
            blob = stored.get(feature_keys[i]) if a is not None else None
            made = Features.from_bytes(blob) if blob is not None else None
            features.append(made if made is not None and a is not None and len(made) == len(a.sentences) else None)
        except ValueError:
            features.append(None)
    return features


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


def carried_out(made: Plan, work: Sequence[int], cache: Cache) -> PerSource:
    """The plan carried out (every analysis and features made): what was made is stored (everything,
    when the cache file was found damaged and replaced during this build), and only this corpus's
    entries are kept."""
    analyses, features = filled(made.analyses), filled(made.features)
    cache.put_many((made.keys[i], persource.to_json(analyses[i])) for i in made.todo)
    cache.put_many(((made.feature_keys[i], features[i].to_bytes()) for i in work), "features")
    if cache.rebuilt:  # what this build read from the damaged file is in the new one too
        cache.put_many((key, persource.to_json(a)) for key, a in zip(made.keys, analyses))
        cache.put_many(((key, f.to_bytes()) for key, f in zip(made.feature_keys, features)), "features")
    cache.keep_only(made.keys)
    cache.keep_only(made.feature_keys, "features")
    return PerSource(analyses, features, made.feature_keys, len(made.todo) - made.resplit, made.resplit,
                     len(made.keys) - len(made.todo), made.model)

def filled(items: list[T | None]) -> list[T]:
    """The list, once every entry of it has been made."""
    assert all(item is not None for item in items)
    return cast(list[T], items)


@dataclass(frozen=True)
class Outdated:
    """This build's corpus against the last build's (as Sphinx's `env.get_outdated_files`), decided once
    per build by `outdated` and read by the steps that reuse the last build's work or report on it:

    - `added`, `changed` (positions in this corpus) and `removed` (paths): the sources new, edited and
      gone since the last brief, by path and content hash against its manifest; What's new
      (`manifest.changes_since`) lists them. `since`: when that brief was made. `moved`: the sources
      (position, and the path the last brief read them at) whose file was renamed or moved since,
      bytes unchanged: a path the last brief read is gone and a new path has the same bytes; those
      are neither added nor removed. `left_out`: the paths the last brief read that this build read
      too but left out as dated before --since: still in the seeds folder, so not removed.
      `described`: the sources whose bytes are unchanged but whose metadata (title, publication,
      author, date, url: a sidecar or front matter edited) is not what the last brief showed.
      `unreadable`: the paths the last brief read that this build skipped (path, reason: emptied,
      damaged, too large): still in the seeds folder, so not removed. All empty,
      and `since` None, when there is no last brief.
    - `bucket_sources`: where each source of the corpus whose LSH buckets the cache holds (`buckets`) is
      in this one, when sources were only added since, by features key (bytes, reader, pipeline version
      and Punkt model); None when one was removed or edited since, or no buckets are stored.
      `dedupe.same_facts` then reuses the buckets, or searches afresh.

    The analyses of single sources are reused by their bytes (`planned`), wherever the file now is."""

    since: str | None
    added: tuple[int, ...]
    changed: tuple[int, ...]
    removed: tuple[str, ...]
    buckets: StoredBuckets | None
    bucket_sources: np.ndarray | None
    moved: tuple[tuple[int, str], ...] = ()
    left_out: tuple[str, ...] = ()
    described: tuple[int, ...] = ()
    unreadable: tuple[tuple[str, str], ...] = ()


def outdated(previous: Mapping[str, Any] | None, sources: Sequence[Source], keys: Sequence[str],
             counts: np.ndarray, buckets: StoredBuckets | None, left_out: Sequence[str] = (),
             skipped: Sequence[Skipped] = ()) -> Outdated:
    """The corpus (`sources`, their features `keys` and sentence `counts`; the paths read but `left_out`
    by --since; the files `skipped` as unreadable) against the last brief's manifest (`previous`) and the
    LSH buckets the cache holds (see `Outdated`)."""
    at = bucket_sources(buckets, keys, counts)
    if previous is None:
        return Outdated(None, (), (), (), buckets, at)
    before = {s["path"]: s["sha256"] for s in previous["sources"]}
    described = {s["path"]: s.get("metadata_sha256") for s in previous["sources"]}
    unreadable = tuple((s.path, s.reason) for s in skipped if s.path in before)
    now = {s.path for s in sources} | set(left_out) | {p for p, _ in unreadable}
    gone: dict[str, list[str]] = {}  # the bytes of each path that is gone, and where they were
    for path, sha in before.items():
        if path not in now:
            gone.setdefault(sha, []).append(path)
    added, moved = [], []
    for k, s in enumerate(sources):
        if s.path in before:
            continue
        if gone.get(s.sha256):
            moved.append((k, gone[s.sha256].pop(0)))
        else:
            added.append(k)
    renamed = {p for _, p in moved}
    return Outdated(previous.get("generated_at"), tuple(added),
                    tuple(k for k, s in enumerate(sources) if s.path in before and before[s.path] != s.sha256),
                    tuple(p for p in before if p not in now and p not in renamed), buckets, at, tuple(moved),
                    tuple(p for p in left_out if p in before), tuple(
                        k for k, s in enumerate(sources) if s.path in before and before[s.path] == s.sha256
                        and described.get(s.path) not in (None, metadata_digest(s))), unreadable)


def bucket_sources(stored: StoredBuckets | None, keys: Sequence[str], counts: np.ndarray) -> np.ndarray | None:
    """Where each source the stored bucket leaders number is in this corpus (they keep their order), or
    None when they cannot be reused: one of them was removed or edited (another features key, or another
    number of sentences), or none are stored."""
    if stored is None or len(stored.keys) > len(keys):
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
    return matched

