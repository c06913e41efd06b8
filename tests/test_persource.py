"""The per-source analysis as cached: compact JSON that round-trips, and damaged entries refused."""

import gc
import json
import pickle

import pytest

from briefing.collector import collector_paused
from briefing.ingest import RawSource
from briefing.model import Metadata
from briefing.pipeline import persource
from briefing.pipeline.segment import train_tokenizer

TEXT = ("Harbour Tribune\n\nPort strike enters its third week\n\nBy Ana Petrova\n\n"
        "Dock workers in Valmora extended their strike on Monday, halting 40% of the country's exports. "
        "The union said talks with the port authority had “collapsed entirely” — a claim the authority denies.\n\n"
        "Shipping lines have begun rerouting vessels to Serrat, 200 km to the south, officials said on Tuesday.\n")


@pytest.fixture(scope="module")
def analysis():
    raw = RawSource("a.txt", "0" * 64, TEXT, "utf-8", Metadata(), 0, False)
    return persource.analysis_of(raw, train_tokenizer([TEXT]), "model-hash")


def test_an_analysis_round_trips_through_the_cache_and_between_processes(analysis):
    assert analysis.cleaned.body and analysis.cleaned.dropped and len(analysis.sentences) == 3
    assert analysis.cleaned.metadata.author == "Ana Petrova"
    stored = persource.to_json(analysis)
    assert persource.from_json(stored, len(TEXT)) == analysis
    assert persource.from_json(stored.encode(), len(TEXT)) == analysis
    assert pickle.loads(pickle.dumps(analysis)) == analysis


def _damaged(stored: str, **changes) -> str:
    data = json.loads(stored)
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize("changes", [
    {"body": [0, 5.0]}, {"body": [0, "5"]}, {"body": [0, 5, 7]}, {"sentences": [True, 5]},
    {"reasons": []}, {"reasons": [1] * 3}, {"metadata": [None] * 4}, {"metadata": [1, None, None, None, None]},
    {"model": None}, {"sentences": None},
])
def test_a_damaged_entry_is_refused(analysis, changes):
    with pytest.raises(ValueError, match="damaged"):
        persource.from_json(_damaged(persource.to_json(analysis), **changes), len(TEXT))


@pytest.mark.parametrize("changes", [{"body": [0, len(TEXT) + 1]}, {"body": [-1, 3]}, {"sentences": [9, 3]}])
def test_an_entry_that_does_not_fit_the_text_is_refused(analysis, changes):
    with pytest.raises(ValueError, match="does not fit"):
        persource.from_json(_damaged(persource.to_json(analysis), **changes), len(TEXT))


def test_an_entry_of_the_first_format_is_refused_not_misread(analysis):
    c = analysis.cleaned
    first = json.dumps({"body": [[s.start, s.end] for s in c.body],
                        "dropped": [[s.start, s.end, s.reason] for s in c.dropped],
                        "metadata": {"title": None, "publication": None, "author": "Ana Petrova", "date": None, "url": None},
                        "sentences": [list(ab) for ab in analysis.sentences], "model": "model-hash"})
    with pytest.raises(ValueError):
        persource.from_json(first, len(TEXT))
    assert persource.PIPELINE_VERSION != "1"


def test_the_collector_is_paused_only_for_the_stage():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
