"""Why each sentence is in the brief, and why the strongest others are not: `briefing explain`.

Pure: it reads an Analysis (the sentences, their relevance and likeness, and the selection's pools)
and returns plain records; the CLI prints them as tables or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

import numpy as np

from briefing.config import Selection, Theme
from briefing.rank import Candidate, whole_sentence_problem, words_in


@dataclass(frozen=True)
class Entry:
    """One sentence, as the selection saw it."""

    text: str
    source: str
    score: float | None
    relevance: float
    terms: list[str]
    parts: dict[str, float] = field(default_factory=dict)
    support: int = 1
    confidence: str | None = None
    notes: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class ThemeExplanation:
    theme: str
    title: str
    expansion: list[str]
    floor: float
    budget: int
    words: int
    items: list[Entry]
    runners_up: list[Entry]


@dataclass(frozen=True)
class Explanation:
    key_judgments: list[Entry]
    themes: list[ThemeExplanation]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def explain(analysis: Any, themes: Sequence[Theme], selection: Selection, runners_up: int = 5,
            only: str | None = None) -> Explanation:
    """The explanation of an Analysis (from `briefing.build.analyse`): the verdicts selection recorded
    for each candidate it looked at, and which sentences never were candidates and why. Nothing here
    decides anything again."""
    sentences, relevance, facts = analysis.sentences, analysis.relevance, analysis.facts
    selected = analysis.selected
    stems_cache: dict[int, list[str]] = {}
    lexicon = analysis.lexicon

    def terms(i: int, t: int) -> list[str]:
        if i not in stems_cache:
            stems_cache[i] = lexicon.stems(sentences[i].text)
        return relevance.matchers[t].hit_labels(stems_cache[i]) if relevance.matchers else []

    def entry(c: Candidate, t: int | None, reason: str = "", confidence: str | None = None) -> Entry:
        rel = float(relevance.score[c.index, t]) if t is not None else c.relevance
        return Entry(c.sentence.text, c.sentence.source, round(c.score, 4), round(rel, 4),
                     terms(c.index, t) if t is not None else [],
                     {k: round(v, 4) for k, v in c.parts().items()}, c.support, confidence, list(c.notes), reason)

    in_pool = {c.index: c for pool in selected.pools for c in pool}
    key = [entry(in_pool[i], in_pool[i].theme, in_pool[i].verdict, confidence=item.confidence)
           for i, item in zip(selected.judgment_indices, analysis.brief.key_judgments)]
    judged = set(selected.judgment_indices)
    out = []
    for t, theme in enumerate(themes):
        if only is not None and theme.id != only:
            continue
        pool = selected.pools[t] if selected.pools else ()
        chosen = list(selected.chosen[t]) if selected.chosen else []
        by_index = {c.index: c for c in pool}
        items = [entry(by_index[i], t, by_index[i].verdict) for i in chosen if i in by_index]
        used = sum(words_in(by_index[i]) for i in chosen if i in by_index)
        losers = [entry(c, t, c.verdict) for c in islice(
            (c for c in pool if c.index not in chosen and c.index not in judged), runners_up)]
        filed_elsewhere = [c for c in selected.candidates
                           if c.theme != t and relevance.score[c.index, t] >= selection.min_relevance
                           and c.index not in judged]
        filed_elsewhere.sort(key=lambda c: -round(float(relevance.score[c.index, t]), 4))
        elsewhere = [entry(c, t, f"filed under «{themes[c.theme].title}», which it fits better "
                                 f"(fit {relevance.strength[c.index, c.theme]:.2f} against "
                                 f"{relevance.strength[c.index, t]:.2f} here)")
                     for c in filed_elsewhere[:(runners_up + 1) // 2]]
        candidates = {c.index for c in selected.candidates}
        unquotable = []
        for i in np.argsort(-relevance.score[:, t], kind="stable")[:50]:
            i = int(i)
            if i in candidates or relevance.score[i, t] < selection.min_relevance:
                continue
            s = sentences[i]
            problem = whole_sentence_problem(s.text, selection)
            copy_of = facts.original.get(s.source)
            reason = (f"from {s.source}, a republication of {copy_of}" if copy_of
                      else f"cannot be quoted alone: {problem}" if problem else "not a candidate")
            unquotable.append(Entry(s.text, s.source, None, round(float(relevance.score[i, t]), 4), terms(i, t),
                                    reason=reason))
        unquotable.sort(key=lambda e: -e.relevance)
        runners = losers + elsewhere + unquotable[:(runners_up + 1) // 2]
        floor = selected.floors[t] if selected.floors else 0.0
        out.append(ThemeExplanation(theme.id, theme.title,
                                    list(relevance.expansions[t]) if relevance.expansions else [],
                                    round(floor, 4), selection.words_per_theme, used, items, runners))
    kept = key if only is None else [e for e, item in zip(key, analysis.brief.key_judgments) if item.theme == only]
    return Explanation(kept, out)
