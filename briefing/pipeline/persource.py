"""The per-source stage: what can be understood about one article without looking at the others.

Clean (body and furniture spans), the metadata the text states about itself, and the sentence spans
under a given Punkt model. The result depends only on the file's bytes, its reader, the pipeline
version and the Punkt model, so the orchestrator can cache it by those and reuse it across builds.
Results are plain spans (no ids): sources are numbered only when the corpus is assembled.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import chain
from operator import le
from typing import Any

from nltk.tokenize.punkt import PunktSentenceTokenizer

from briefing import ingest
from briefing.ingest import RawSource
from briefing.model import METADATA_FIELDS, Metadata, Source, Span
from briefing.nlp import Lexicon
from briefing.pipeline import clean, features, metadata, segment

PIPELINE_VERSION = "39"
"""Bump when clean, metadata inference or segmentation change what they produce: every cache entry
made by another version is then recomputed."""


@dataclass(frozen=True)
class Cleaned:
    body: tuple[Span, ...]
    dropped: tuple[Span, ...]
    metadata: Metadata


@dataclass(frozen=True)
class SourceAnalysis:
    cleaned: Cleaned
    sentences: tuple[tuple[int, int], ...]
    model: str
    """The hash of the Punkt model the sentences were split with."""

    def __reduce__(self) -> tuple[Any, ...]:
        # From a worker process as compact JSON: far cheaper to unpickle than the dataclasses.
        return from_json, (to_json(self), None)


def cache_key(raw: RawSource) -> str:
    """What the analysis of a source depends on, apart from the Punkt model: its bytes, how they
    were read (reader, and the readers' version for a document whose text is extracted; where the body
    starts) and the pipeline version. No setting in the config
    changes the per-source stage, so none is part of the key."""
    kind = f"{raw.format}/{ingest.reader_version(raw.format)}" if raw.extracted else ("md" if raw.markdown else "txt")
    parts = [PIPELINE_VERSION, raw.sha256, raw.encoding, kind, str(raw.body_start)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def source_of(raw: RawSource, source_id: str = "") -> Source:
    return Source(source_id, raw.path, raw.sha256, raw.text, raw.metadata, encoding=raw.encoding,
                  warnings=raw.warnings, replaced=raw.replaced, format=raw.format, extracted=raw.extracted,
                  found=raw.found, details=raw.details)


def cleaned_of(raw: RawSource) -> Cleaned:
    """The source's body and furniture spans, and the metadata its own lines state."""
    source = clean.clean(source_of(raw), body_start=raw.body_start, markup=raw.markup)
    return Cleaned(source.body, source.dropped, metadata.inferred_metadata(source))


def analysis_of(raw: RawSource, tokenizer: PunktSentenceTokenizer, model: str,
                cleaned: Cleaned | None = None) -> SourceAnalysis:
    """The per-source stage for one source; `cleaned` from an earlier build skips cleaning."""
    cleaned = cleaned or cleaned_of(raw)
    source = source_of(raw).with_(body=cleaned.body)
    return SourceAnalysis(cleaned, tuple(segment.spans_of(source, tokenizer)), model)


def features_key(analysis_key: str, model: str) -> str:
    """What a source's sentence features depend on: its analysis, the Punkt model that split it,
    and the features' own version (lexicon and hashing included)."""
    return hashlib.sha256(f"{analysis_key}|{model}|{features.FEATURES_VERSION}".encode()).hexdigest()


def sentence_texts(raw: RawSource, analysis: SourceAnalysis) -> list[str]:
    """The source's sentences as quoted in a brief (whitespace collapsed)."""
    return [" ".join(raw.text[a:b].split()) for a, b in analysis.sentences]


def features_for(raw: RawSource, analysis: SourceAnalysis, lexicon: Lexicon) -> features.Features:
    paragraphs = [(s.start, s.end) for s in analysis.cleaned.body]
    continued = features.continued_quotations(raw.text, analysis.sentences, paragraphs)
    return features.features_of(sentence_texts(raw, analysis), lexicon, continued)


def metadata_of(raw: RawSource, analysis: SourceAnalysis) -> Metadata:
    """The source's metadata: the analyst's (front matter, sidecar) over what its text states."""
    return analysis.cleaned.metadata.merged(raw.metadata)


def assembled(raw: RawSource, analysis: SourceAnalysis, source_id: str) -> Source:
    """The model's Source: the analysis applied, the analyst's metadata over the inferred."""
    c = analysis.cleaned
    return Source(source_id, raw.path, raw.sha256, raw.text, metadata_of(raw, analysis), encoding=raw.encoding,
                  body=c.body, dropped=c.dropped, warnings=raw.warnings, replaced=raw.replaced, format=raw.format,
                  extracted=raw.extracted, found=raw.found, details=raw.details)


def body_text(raw: RawSource, cleaned: Cleaned) -> str:
    return "\n".join(raw.text[s.start : s.end] for s in cleaned.body)


def to_json(analysis: SourceAnalysis) -> str:
    """The analysis as compact JSON: spans as flat [start, end, start, end, …] lists, the dropped
    spans' reasons apart, metadata in METADATA_FIELDS order."""
    c = analysis.cleaned
    return json.dumps({
        "body": [n for s in c.body for n in (s.start, s.end)],
        "dropped": [n for s in c.dropped for n in (s.start, s.end)],
        "reasons": [s.reason for s in c.dropped],
        "metadata": [getattr(c.metadata, k) for k in METADATA_FIELDS],
        "sentences": list(chain.from_iterable(analysis.sentences)),
        "model": analysis.model,
    }, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str | bytes, length: int | None) -> SourceAnalysis:
    """An analysis stored by `to_json`; ValueError when it is damaged or does not fit a text of
    `length` (None: from a worker of this build, not checked against a text)."""
    try:
        data: dict[str, Any] = json.loads(text)
        body, dropped, reasons, sentences = data["body"], data["dropped"], data["reasons"], data["sentences"]
        values, model = data["metadata"], data["model"]
        numbers = body + dropped + sentences
        if (len(body) % 2 or len(sentences) % 2 or len(dropped) != 2 * len(reasons)
                or len(values) != len(METADATA_FIELDS)
                or not set(map(type, numbers)) <= {int} or not set(map(type, reasons)) <= {str}
                or not set(map(type, values)) <= {str, type(None)} or type(model) is not str):
            raise TypeError("unexpected shape or types")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"damaged cache entry ({exc})") from None
    if length is not None and numbers and (
            min(numbers) < 0 or max(numbers) > length or not all(map(le, numbers[::2], numbers[1::2]))):
        raise ValueError("cache entry does not fit the source's text")
    cleaned = Cleaned(_spans(body), _spans(dropped, reasons), Metadata(**dict(zip(METADATA_FIELDS, values))))
    return SourceAnalysis(cleaned, tuple(zip(*[iter(sentences)] * 2)), model)


def _spans(numbers: list[int], reasons: list[str] | None = None) -> tuple[Span, ...]:
    pairs = iter(numbers)
    return tuple(map(Span, pairs, pairs, reasons) if reasons is not None else map(Span, pairs, pairs))
