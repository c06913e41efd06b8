"""Why each sentence is in the brief, and why the strongest others are not: `briefing explain`.

Pure: it reads an Analysis (the sentences, their relevance and likeness, and the selection's pools)
and returns plain records; the CLI prints them as tables or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from typing import Any

import numpy as np

from briefing.config import Selection, Theme
from briefing.pipeline.rank import Candidate, disputes_of, no_candidate_verdict, words_in
from briefing.pipeline.themes import in_plain_words, keyword_forms


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
    disputed_by: list[str] = field(default_factory=list)
    """The other independent sources that state its contrary in close wording."""


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
    keywords: dict[str, int] = field(default_factory=dict)
    """How many sentences of the corpus use each keyword or one of its aliases (0: a word of the theme
    the corpus never uses, which only the analyst can replace)."""
    in_plain_words: bool = False
    """The theme has no keywords: `keywords` counts the words of its title and description."""
    keyword_forms: dict[str, list[str]] = field(default_factory=dict)
    """The other words each keyword matched through stemming ("demonstrations": ["demonstrating"]),
    most frequent first: a keyword met in another sense shows here."""


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
    read = _Reading(analysis, themes, selection)
    key = read.key_judgments()
    out = [read.theme(t, theme, runners_up) for t, theme in enumerate(themes) if only is None or theme.id == only]
    kept = key if only is None else [e for e, item in zip(key, analysis.brief.key_judgments) if item.theme == only]
    return Explanation(kept, out)


class _Reading:
    """An Analysis read for `explain`: each candidate's entry, with the theme terms it matched."""

    def __init__(self, analysis: Any, themes: Sequence[Theme], selection: Selection) -> None:
        self.analysis, self.themes, self.selection = analysis, themes, selection
        self.sentences, self.relevance, self.facts = analysis.sentences, analysis.relevance, analysis.facts
        self.selected = analysis.selected
        self.judged = set(self.selected.judgment_indices)
        self.quoted_elsewhere = {i: f"quoted under «{themes[t].title}» (a candidate of both themes, quoted once)"
                                 for t, rows in enumerate(self.selected.chosen or ()) for i in rows}
        self.stems: dict[int, list[str]] = {}

    def terms(self, i: int, t: int) -> list[str]:
        """The terms of theme `t` that sentence `i` matched."""
        if i not in self.stems:
            self.stems[i] = self.analysis.lexicon.stems(self.sentences[i].text)
        return self.relevance.matchers[t].hit_labels(self.stems[i]) if self.relevance.matchers else []

    def entry(self, c: Candidate, t: int | None, reason: str = "", confidence: str | None = None) -> Entry:
        rel = float(self.relevance.score[c.index, t]) if t is not None else c.relevance
        return Entry(c.sentence.text, c.sentence.source, round(c.score, 4), round(rel, 4),
                     self.terms(c.index, t) if t is not None else [],
                     {k: round(v, 4) for k, v in c.parts().items()}, c.support, confidence, list(c.notes), reason,
                     list(dict.fromkeys(d.source for d in disputes_of(c, self.sentences, self.facts))))

    def key_judgments(self) -> list[Entry]:
        """Each key judgment as the candidate of the theme it is filed under (a sentence that fits two
        themes almost equally is a candidate of both)."""
        ids = [theme.id for theme in self.themes]
        out = []
        for i, item in zip(self.selected.judgment_indices, self.analysis.brief.key_judgments):
            t = ids.index(item.theme) if item.theme in ids else None
            pools = [self.selected.pools[t]] if t is not None else self.selected.pools
            c = next(c for pool in pools for c in pool if c.index == i)
            out.append(self.entry(c, c.theme, c.verdict, confidence=item.confidence))
        return out

    def theme(self, t: int, theme: Theme, runners_up: int) -> ThemeExplanation:
        """A theme's items and its strongest runners-up: candidates that lost, with their verdicts; sentences
        filed under another theme; sentences that were no candidate."""
        selected, selection = self.selected, self.selection
        pool = selected.pools[t] if selected.pools else ()
        chosen = list(selected.chosen[t]) if selected.chosen else []
        by_index = {c.index: c for c in pool}
        items = [self.entry(by_index[i], t, by_index[i].verdict) for i in chosen if i in by_index]
        used = sum(words_in(by_index[i]) for i in chosen if i in by_index)
        losers = [self.entry(c, t, self.quoted_elsewhere.get(c.index) or c.verdict) for c in islice(
            (c for c in pool if c.index not in chosen and c.index not in self.judged), runners_up)]
        half = (runners_up + 1) // 2
        runners = losers + self.filed_elsewhere(t, half) + self.no_candidates(t)[:half]
        floor = selected.floors[t] if selected.floors else 0.0
        use = dict(self.relevance.keyword_use[t]) if t < len(self.relevance.keyword_use) else {}
        rows = self.relevance.keyword_rows[t] if t < len(self.relevance.keyword_rows) else {}
        forms = keyword_forms(theme, self.analysis.lexicon, self.sentences.texts, rows)
        return ThemeExplanation(theme.id, theme.title,
                                list(self.relevance.expansions[t]) if self.relevance.expansions else [],
                                round(floor, 4), selection.words_per_theme, used, items, runners, use,
                                in_plain_words(theme), forms)

    def filed_elsewhere(self, t: int, count: int) -> list[Entry]:
        """The `count` most relevant candidates to theme `t` that selection filed under another theme."""
        score, strength = self.relevance.score, self.relevance.strength
        own = {c.index for c in self.selected.candidates if c.theme == t}
        best: dict[int, Candidate] = {}  # a sentence that is a candidate of two other themes: the one it fits best
        for c in self.selected.candidates:
            if c.theme == t or c.index in own or c.index in self.judged:
                continue
            if score[c.index, t] < self.selection.min_relevance:
                continue
            if c.index not in best or strength[c.index, c.theme] > strength[c.index, best[c.index].theme]:
                best[c.index] = c
        found = list(best.values())
        found.sort(key=lambda c: -round(float(score[c.index, t]), 4))
        return [self.unscored(c, t, f"filed under «{self.themes[c.theme].title}», which it fits better "
                                    f"(fit {strength[c.index, c.theme]:.2f} against {strength[c.index, t]:.2f} here)")
                for c in found[:count]]

    def unscored(self, c: Candidate, t: int, reason: str) -> Entry:
        """A candidate of another theme, as theme `t` sees it: never scored for `t` (its score is None, not
        the 0 an unscored candidate holds), its relevance to `t`, and the parts of its score that depend
        on no theme (centrality is worked out within a theme's candidates)."""
        entry = self.entry(c, t, reason)
        rel = float(self.relevance.score[c.index, t])
        parts = {k: (round(rel, 4) if k == "relevance" else v) for k, v in entry.parts.items() if k != "centrality"}
        return replace(entry, score=None, parts=parts)

    def no_candidates(self, t: int) -> list[Entry]:
        """Among the 50 sentences most relevant to theme `t`, those relevant enough that were no candidate,
        and why: from a republication, a fragment, or else not a candidate; most relevant first."""
        candidates = {c.index for c in self.selected.candidates}
        score = self.relevance.score
        out = []
        for i in np.argsort(-score[:, t], kind="stable")[:50]:
            i = int(i)
            if i in candidates or score[i, t] < self.selection.min_relevance:
                continue
            s = self.sentences[i]
            reason = no_candidate_verdict(s, self.facts, self.selection)
            out.append(Entry(s.text, s.source, None, round(float(score[i, t]), 4), self.terms(i, t), reason=reason))
        out.sort(key=lambda e: -e.relevance)
        return out
