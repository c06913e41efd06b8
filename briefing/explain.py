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
from briefing.nlp import Lexicon
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


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def explain(analysis: Any, themes: Sequence[Theme], selection: Selection, runners_up: int = 5,
            only: str | None = None) -> Explanation:
    """The explanation of an Analysis (from `briefing.build.analyse`)."""
    sentences, relevance, likeness, facts = analysis.sentences, analysis.relevance, analysis.likeness, analysis.facts
    selected = analysis.selected
    stems_cache: dict[int, list[str]] = {}
    lexicon = Lexicon()

    def terms(i: int, t: int) -> list[str]:
        if i not in stems_cache:
            stems_cache[i] = lexicon.stems(sentences[i].text)
        return relevance.matchers[t].hit_labels(stems_cache[i]) if relevance.matchers else []

    def entry(c: Candidate, t: int | None, reason: str = "", confidence: str | None = None) -> Entry:
        rel = float(relevance.score[c.index, t]) if t is not None else c.relevance
        return Entry(c.sentence.text, c.sentence.source, round(c.score, 4), round(rel, 4),
                     terms(c.index, t) if t is not None else [],
                     {k: round(v, 4) for k, v in c.parts().items()}, c.support, confidence, list(c.notes), reason)

    by_index = {c.index: c for c in selected.candidates}
    chosen_text = {i.text for i in analysis.brief.items()}
    chosen = [c.index for c in selected.candidates if c.sentence.text in chosen_text]
    key = [entry(by_index[i], by_index[i].theme, confidence=item.confidence)
           for i, item in zip(selected.judgment_indices, analysis.brief.key_judgments)]

    def why_not(c: Candidate, t: int, section_words: int, floor: float, full: bool, alone: bool) -> str:
        relevance_floor = selected.relevance_floors[t] if selected.relevance_floors else 0.0
        for j in chosen:
            if facts.same_fact(c.index, j):
                return f"states the same fact as a chosen item («{_short(sentences[j].text)}»)"
        for j in chosen:
            if likeness.too_alike(c.index, j):
                cosine, overlap = likeness.cosine(c.index, j), likeness.overlap(c.index, j)
                return (f"too alike to a chosen item («{_short(sentences[j].text)}»: cosine {cosine:.2f}, "
                        f"{overlap:.0%} of its content shared)")
        if c.relevance < relevance_floor:
            return (f"relevance {c.relevance:.2f} is below the theme's floor {relevance_floor:.2f} "
                    f"({selection.min_relevance_ratio} × its most relevant sentence)")
        if c.score < floor:
            return f"score {c.score:.3f} is below the theme's floor {floor:.3f} ({selection.min_score_ratio} × its best)"
        if section_words + words_in(c) > selection.words_per_theme:
            return (f"its {words_in(c)} words would take the section to {section_words + words_in(c)}, "
                    f"over the budget of {selection.words_per_theme}")
        if full:
            return f"the section already has {selection.items_per_theme} items"
        if alone:
            return "the section's one item is worth more alone than any fill of the budget with shorter ones"
        return (f"lower score per word ({c.score:.3f} over {words_in(c)} words) than the chosen items "
                "once likeness to them is counted")

    out = []
    for t, theme in enumerate(themes):
        if only is not None and theme.id != only:
            continue
        section = analysis.brief.sections[t]
        items_text = {i.text for i in section.items}
        pool = selected.pools[t] if selected.pools else ()
        floor = selected.floors[t] if selected.floors else 0.0
        picked = [c for c in pool if c.sentence.text in items_text]
        picked.sort(key=lambda c: [i.text for i in section.items].index(c.sentence.text))
        used = sum(words_in(c) for c in picked)
        full = len(picked) >= selection.items_per_theme
        alone = bool(selected.alone and selected.alone[t])
        losers = [entry(c, t, why_not(c, t, used, floor, full, alone))
                  for c in islice((c for c in pool if c.sentence.text not in items_text), runners_up)]
        filed_elsewhere = [c for c in selected.candidates
                           if c.theme is not None and c.theme != t and relevance.score[c.index, t] >= selection.min_relevance
                           and c.index not in selected.judgment_indices]
        filed_elsewhere.sort(key=lambda c: -round(float(relevance.score[c.index, t]), 4))
        elsewhere = [entry(c, t, f"filed under «{themes[c.theme].title}», which it fits better "
                                 f"(term weight {relevance.strength[c.index, c.theme]:.1f} against "
                                 f"{relevance.strength[c.index, t]:.1f})")
                     for c in filed_elsewhere[:max(1, runners_up // 2)]]
        unquotable = []
        for i in np.argsort(-relevance.score[:, t], kind="stable")[:50]:
            i = int(i)
            if i in by_index or relevance.score[i, t] < selection.min_relevance:
                continue
            s = sentences[i]
            problem = whole_sentence_problem(s.text, selection)
            copy_of = facts.original.get(s.source)
            reason = (f"from {s.source}, a republication of {copy_of}" if copy_of
                      else f"cannot be quoted alone: {problem}" if problem else "not a candidate")
            unquotable.append(Entry(s.text, s.source, None, round(float(relevance.score[i, t]), 4), terms(i, t),
                                    reason=reason))
        unquotable.sort(key=lambda e: -e.relevance)
        runners = losers + elsewhere + unquotable[:max(1, runners_up // 2)]
        items = [entry(c, t) for c in picked]
        out.append(ThemeExplanation(theme.id, theme.title,
                                    list(relevance.expansions[t]) if relevance.expansions else [],
                                    round(floor, 4), selection.words_per_theme, used, items, runners))
    return Explanation(key if only is None else [e for e in key if e.text in {i.text for i in analysis.brief.key_judgments if i.theme == only}], out)
