"""What bench/quality.py and bench/multiling.py share: running the briefing CLI, sumy's summarisers
under a word budget, Punkt for sumy, and the few briefing internals a benchmark borrows (guarded, so
that a renamed internal stops the benchmark with one clear line instead of a traceback).

Briefing's own briefs always come from its command line (`briefing build ... --format json`), read
back from brief.json: the CLI and brief.json are the stable interface while selection changes.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from nltk.tokenize import TreebankWordTokenizer
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

ROOT = Path(__file__).resolve().parent.parent
SUMMARIZERS = {"LexRank": LexRankSummarizer, "TextRank": TextRankSummarizer, "LSA": LsaSummarizer,
               "Luhn": LuhnSummarizer, "SumBasic": SumBasicSummarizer}
# Keys of a briefing config that name paths (relative to the config file); `cache` and `out` are
# dropped, as every benchmark build writes into its own temporary folder.
PATH_KEYS = ("seeds", "themes", "templates")
DROPPED_KEYS = ("out", "cache")


class BenchError(Exception):
    """A benchmark cannot go on: the message is one line for the user."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def internal(module: str, name: str, purpose: str) -> Any:
    """briefing.<module>.<name>, or a BenchError saying which internal is gone and what needed it."""
    try:
        return getattr(importlib.import_module(f"briefing.{module}"), name)
    except (ImportError, AttributeError) as error:
        raise BenchError(f"briefing.{module}.{name} is not there any more ({error}); bench uses it for "
                         f"{purpose}: update bench/benchlib.py to the new internals") from None


def call_internal(what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a borrowed internal; a changed signature or result stops the benchmark with one line."""
    try:
        return function(*args, **kwargs)
    except (TypeError, AttributeError) as error:
        raise BenchError(f"{what} changed ({type(error).__name__}: {error}): update bench/benchlib.py") from None


def words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def cut(sentences: list[str], budget: int) -> str:
    """The sentences read in order and cut after `budget` words, as DUC's ROUGE `-l 250` does."""
    return " ".join(" ".join(sentences).split()[:budget])


# --- the briefing command line --------------------------------------------------------------------------

def briefing_command() -> list[str]:
    found = shutil.which("briefing", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-c", "import sys; from briefing.cli import run; sys.exit(run())"]


def briefing_env(**extra: str) -> dict[str, str]:
    """The environment for a `briefing` child process: this checkout's package first on the path, so a
    bench run from another worktree (sharing the virtualenv, whose editable install points elsewhere)
    measures the code beside it."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def load_config(path: Path | None) -> dict[str, Any]:
    """A briefing config as a dict, its paths made absolute (so it can be written elsewhere)."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise BenchError(f"{path}: cannot read the config: {error}") from None
    if not isinstance(data, dict):
        raise BenchError(f"{path}: a briefing config is a mapping of keys to values")
    for key in DROPPED_KEYS:
        data.pop(key, None)
    for key in PATH_KEYS:
        if isinstance(data.get(key), str):
            data[key] = str((path.parent / data[key]).resolve())
    return data


def with_selection(config: dict[str, Any], **selection: Any) -> dict[str, Any]:
    merged = dict(config)
    merged["selection"] = {**(config.get("selection") or {}), **selection}
    return merged


@dataclass
class Built:
    """A brief read back from brief.json."""
    data: dict[str, Any]

    @property
    def key_judgments(self) -> list[dict[str, Any]]:
        return self.data.get("key_judgments") or []

    @property
    def sections(self) -> list[dict[str, Any]]:
        return self.data.get("sections") or []

    @property
    def words_per_theme(self) -> int | None:
        return (self.data.get("stats") or {}).get("words_per_theme")

    def under(self, theme: str) -> list[str]:
        """What a reader finds under a theme: its key judgments, then its section's items."""
        items = [i["text"] for i in self.key_judgments if i.get("theme") == theme]
        for section in self.sections:
            if section.get("theme") == theme:
                items += [i["text"] for i in section.get("items") or []]
        return items

    def read_in_order(self) -> list[str]:
        """Every item as a reader reads the brief: key judgments, then each section in order."""
        return [i["text"] for i in self.key_judgments] + [i["text"] for s in self.sections for i in s.get("items") or []]


def build_brief(seeds: Path, themes: Path, config: dict[str, Any], label: str) -> Built:
    """Run `briefing build` on `seeds` with `themes` and `config` into a temporary folder; its brief.json."""
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        folder = Path(tmp)
        config_path = folder / "config.yaml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        out = folder / "out"
        command = [*briefing_command(), "build", "--seeds", str(seeds.resolve()), "--themes", str(themes.resolve()),
                   "--config", str(config_path), "--out", str(out), "--format", "json", "-q"]
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=briefing_env())
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            last = last.replace(str(config_path), "the config (--config as the bench passed it on)")
            raise BenchError(f"briefing build failed on {label} (exit {done.returncode}): {last}")
        try:
            return Built(json.loads((out / "brief.json").read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise BenchError(f"briefing build on {label}: cannot read brief.json: {error}") from None


# --- sumy -----------------------------------------------------------------------------------------------

class PunktForSumy(Tokenizer):
    """sumy's tokenizer with a corpus-trained Punkt and a word tokenizer that needs no data."""

    def __init__(self, punkt: Any) -> None:
        self._punkt = punkt
        super().__init__("english")

    def _get_sentence_tokenizer(self, language: str) -> Any:
        return self._punkt

    def _get_word_tokenizer(self, language: str) -> Any:
        return TreebankWordTokenizer()


def trained_punkt(texts: list[str]) -> Any:
    """briefing's Punkt trained on these texts (nltk's punkt data cannot be downloaded here)."""
    train = internal("pipeline.segment", "train_tokenizer", "splitting text into sentences for sumy and the baselines")
    return call_internal("briefing.pipeline.segment.train_tokenizer", train, texts)


def sumy_summary(name: str, text: str, tokenizer: Tokenizer, budget: int, reach: bool = False) -> list[str]:
    """A summariser's best sentences, in document order, under a word budget.

    reach=False: the longest summary (in sentences) that fits the budget (facts on the seeds).
    reach=True: the shortest that reaches it, to be cut at the budget as DUC does (ROUGE).
    sumy sorts the sentences by rating and takes a prefix; a callable count chooses that prefix."""
    document = PlaintextParser.from_string(text, tokenizer).document
    summarizer = SUMMARIZERS[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def prefix(infos: list[Any]) -> list[Any]:
        chosen, total = [], 0
        for info in infos:
            size = len(str(info.sentence).split())
            if not reach and total + size > budget:
                break
            chosen.append(info)
            total += size
            if reach and total >= budget:
                break
        return chosen

    return [str(s) for s in summarizer(document, prefix)]
