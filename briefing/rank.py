"""Scoring and redundancy-aware selection of the sentences that make the brief.

Each sentence is scored for the theme it fits best: relevance, centrality among that theme's
sentences (LexRank), corroboration by independent sources and informativeness (names, numbers),
times a quality factor that marks down sentences that cannot stand alone. Selection is greedy
maximal marginal relevance: a sentence that restates one already chosen, anywhere in the brief, is
never chosen, and one that resembles it is marked down.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from briefing.config import Selection, Theme
from briefing.dedupe import Facts, Likeness
from briefing.model import Citation, Item, Section, Sentence
from briefing.nlp import lexrank, words_of
from briefing.themes import Relevance

WEIGHTS = {"relevance": 0.55, "centrality": 0.2, "corroboration": 0.15, "informativeness": 0.1}
GLOBAL_WEIGHTS = {"relevance": 0.25, "centrality": 0.3, "corroboration": 0.3, "lead": 0.15}
REDUNDANCY = 1.0
# Under a word budget, value per word**LENGTH_COST. A candidate's score is a mix of bounded parts, which
# grows only slowly with length (about as words**0.3 on news), so dividing by words**0.3 (Lin & Bilmes's
# exponent, for an objective that grows with every word covered) left length all but free: a 55-word
# sentence that touches a theme in one clause cost a third more than a 20-word one about nothing else.
# Value per word is the greedy of budgeted maximum coverage (Khuller, Moss & Naor, 1999), there checked
# against the best single item, as budgeted_select does.
LENGTH_COST = 1.0
LEAD_SENTENCES = 3
CENTRALITY_POOL = 1500
AMBIGUOUS = 0.7
BACK_POINTERS = re.compile(
    r"^[\"“‘(]?(?:(?:(?:for|in|of|despite|given|because of|with)\s+)?(?:all\s+)?(?:this|these|those|such)\b"
    r"|(?:he|she|it|they|that|his|her|its|their)\b"
    r"|[A-Z][\w’'-]*(?:\s+\w[\w’'-]*){0,3},\s+(?:he|she|they|it|this|these|those)\s)"
    r"(?!\s*(?:is|was)\s+(?:important|clear|likely|true)\b)",
    re.IGNORECASE,
)
CONNECTIVES = re.compile(
    r"^(?:also|thus|so|similarly|likewise|moreover|additionally|furthermore|finally|however|yet|still|"
    r"indeed|meanwhile|instead|therefore|hence|then|worse|besides|as such|in truth|in addition)\b",
    re.IGNORECASE,
)
UNNAMED_SPEAKER = re.compile(r"[,.!?][\"”’']\s+(?:he|she|they|it)\s+(?:said|added|says|told|wrote|noted)\b", re.I)
DAMAGED = re.compile(r"\(\s*[,;]|,\s*,|\s[,.;]\s|\(\s*\)")
SOFT_OPENERS = re.compile(r"^(?:and|or)\s", re.IGNORECASE)
MARKUP = re.compile(r"\]\(|<[a-zA-Z/][^>]*>|`|!\[")
OPENING = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")
QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("«", "»"), ("(", ")"), ("[", "]"))


def whole_sentence_problem(text: str, selection: Selection) -> str | None:
    """Why the text is not a whole sentence fit to quote alone, or None."""
    words = text.split()
    if len(words) < selection.min_words:
        return f"fragment ({len(words)} words)"
    if len(words) > selection.max_words:
        return f"run-on ({len(words)} words)"
    if not OPENING.match(text):
        return "does not open like a sentence"
    if MARKUP.search(text):
        return "carries link or HTML markup"
    if text.rstrip("\"'”’»)]")[-1:] not in ".!?…":
        return "does not end like a sentence"
    for left, right in QUOTE_PAIRS:
        if left == "‘":
            continue
        if text.count(left) != text.count(right):
            return "unbalanced quotation marks or brackets"
    if text.count('"') % 2:
        return "unbalanced quotation marks"
    return None


def standalone_factor(text: str) -> tuple[float, list[str]]:
    """How well a sentence reads out of context (1 = fully), and the reasons it is marked down."""
    factor, reasons = 1.0, []
    if BACK_POINTERS.match(text):
        factor *= 0.5
        reasons.append("opens with a word that points back")
    elif CONNECTIVES.match(text):
        factor *= 0.8
        reasons.append("opens with a connective")
    elif SOFT_OPENERS.match(text):
        factor *= 0.9
        reasons.append("opens with a conjunction")
    if UNNAMED_SPEAKER.search(text):
        factor *= 0.5
        reasons.append("speaker named only by a pronoun")
    if DAMAGED.search(text):
        factor *= 0.5
        reasons.append("damaged text (a reference or link was stripped)")
    if text.rstrip("\"'”’»)] ").endswith("?"):
        factor *= 0.3
        reasons.append("question")
    stripped = text.strip()
    if stripped[:1] in "“\"" and stripped.rstrip(".")[-1:] in "”\"" and stripped.count("“") <= 1:
        factor *= 0.6
        reasons.append("a quotation without its speaker")
    return factor, reasons


def informativeness(text: str) -> float:
    """Names, numbers and dates make a sentence carry facts: 0 to 1."""
    tokens = text.split()
    names = sum(1 for t in tokens[1:] if t[:1].isupper())
    numbers = sum(1 for w in words_of(text) if any(ch.isdigit() for ch in w))
    return min(1.0, (names + 2 * numbers) / 8)


@dataclass
class Candidate:
    index: int
    sentence: Sentence
    theme: int | None
    relevance: float
    quality: float
    informativeness: float
    corroboration: float
    support: int
    lead: float
    notes: list[str] = field(default_factory=list)
    centrality: float = 0.0
    score: float = 0.0

    def parts(self) -> dict[str, float]:
        return {"relevance": self.relevance, "centrality": self.centrality, "corroboration": self.corroboration,
                "informativeness": self.informativeness, "lead": self.lead, "quality": self.quality}


def weighted(c: Candidate, weights: dict[str, float]) -> float:
    p = c.parts()
    return c.quality * sum(w * p[k] for k, w in weights.items())


def candidates_of(sentences: Sequence[Sentence], relevance: Relevance, facts: Facts,
                  selection: Selection) -> list[Candidate]:
    """The sentences fit to quote, with their best theme (None when no theme is relevant enough)."""
    out = []
    for i, s in enumerate(sentences):
        if s.source in facts.original or whole_sentence_problem(s.text, selection):
            continue
        quality, notes = standalone_factor(s.text)
        theme, rel = None, 0.0
        if relevance.score.shape[1]:
            order = np.argsort(-relevance.strength[i], kind="stable")
            best = int(order[0])
            rel = float(relevance.score[i, best])
            second = float(relevance.strength[i, order[1]]) if len(order) > 1 else 0.0
            if rel >= selection.min_relevance:
                theme = best
                if second and relevance.strength[i, best] < selection.theme_margin * second:
                    quality *= AMBIGUOUS
                    notes.append("fits another theme almost as well")
        support = len(facts.independent_sources(i, sentences))
        lead = max(0.0, 1.0 - s.index / LEAD_SENTENCES)
        out.append(Candidate(i, s, theme, rel, quality, informativeness(s.text), min(1.0, (support - 1) / 2),
                             support, lead, notes))
    return out


def _centrality(cands: Sequence[Candidate], likeness: Likeness) -> None:
    """LexRank among the candidates; in a large pool, among the CENTRALITY_POOL most relevant only
    (candidate pruning: the rest score 0, and could not have been chosen on relevance anyway)."""
    if not cands:
        return
    ranked = sorted(cands, key=lambda c: (-c.relevance * c.quality, c.index))
    ranked, rest = ranked[:CENTRALITY_POOL], ranked[CENTRALITY_POOL:]
    ranks = lexrank(likeness.similarity([c.index for c in ranked]))
    for c, r in zip(ranked, ranks):
        c.centrality = float(r)
    for c in rest:
        c.centrality = 0.0


def keeps_its_theme_covered(pool: Sequence[Candidate], likeness: Likeness, facts: Facts,
                            relevance_ratio: float = 0.0) -> Callable[[Candidate, list[int]], bool]:
    """A test that taking a candidate still leaves its theme a sentence of its own to show, one
    relevant enough to pass the section's relevance floor."""
    best: dict[int | None, float] = {}
    for o in pool:
        best[o.theme] = max(best.get(o.theme, 0.0), o.relevance)

    def allowed(c: Candidate, chosen: list[int]) -> bool:
        taken = chosen + [c.index]
        return any(
            o.theme == c.theme and o.index not in taken and o.relevance >= relevance_ratio * best[o.theme]
            and not any(facts.same_fact(o.index, j) or likeness.too_alike(o.index, j) for j in taken)
            for o in pool
        )
    return allowed


def words_in(c: Candidate) -> int:
    return len(c.sentence.text.split())


def mmr_select(pool: Sequence[Candidate], k: int, chosen: list[int], likeness: Likeness,
               facts: Facts, allowed: Callable[[Candidate, list[int]], bool] | None = None,
               budget: int | None = None) -> list[Candidate]:
    """Up to k candidates by score, each marked down by its likeness to anything already chosen;
    one that states a chosen sentence's fact, or is too alike to it, is never taken. With a word
    budget, the first pick always fits and later ones only if the total stays within it."""
    picked: list[Candidate] = []
    used = 0
    remaining = sorted(pool, key=lambda c: -c.score)
    while remaining and len(picked) < k:
        best, best_value = None, -1.0
        for c in remaining:
            if budget is not None and picked and used + words_in(c) > budget:
                continue
            if any(facts.same_fact(c.index, j) or likeness.too_alike(c.index, j) for j in chosen):
                continue
            if allowed is not None and not allowed(c, chosen):
                continue
            nearest = max((likeness.cosine(c.index, j) for j in chosen), default=0.0)
            value = c.score * (1.0 - REDUNDANCY * nearest)
            if budget is not None:
                value /= words_in(c) ** LENGTH_COST
            if value > best_value:
                best, best_value = c, value
        if best is None:
            break
        picked.append(best)
        used += words_in(best)
        chosen.append(best.index)
        remaining.remove(best)
    return sorted(picked, key=lambda c: -c.score)


def budgeted_select(pool: Sequence[Candidate], k: int, chosen: list[int], likeness: Likeness, facts: Facts,
                    budget: int) -> tuple[list[Candidate], bool]:
    """A section within its word budget: the greedy fill by value per word (mmr_select), or the single
    most valuable sentence that fits, whichever is worth more (the classic check of budgeted greedy, which
    alone could spend a budget on short, weak sentences and leave no room for one that outweighs them all).
    Worth is each sentence's score marked down by its likeness to what was chosen before it. Returns the
    items and whether the single sentence won."""
    before = list(chosen)
    picked = mmr_select(pool, k, chosen, likeness, facts, budget=budget)

    def worth(c: Candidate, against: Sequence[int]) -> float:
        return c.score * (1.0 - REDUNDANCY * max((likeness.cosine(c.index, j) for j in against), default=0.0))

    by_index = {c.index: c for c in picked}
    filled = sum(worth(by_index[i], chosen[:n]) for n, i in enumerate(chosen) if n >= len(before))
    fits = [c for c in pool if words_in(c) <= budget
            and not any(facts.same_fact(c.index, j) or likeness.too_alike(c.index, j) for j in before)]
    alone = max(fits, key=lambda c: worth(c, before), default=None)
    if alone is not None and worth(alone, before) > filled:
        chosen[:] = before + [alone.index]
        return [alone], True
    return picked, False


def citations_of(c: Candidate, sentences: Sequence[Sentence], facts: Facts) -> tuple[Citation, ...]:
    """The candidate's own span first, then one span from each other independent source stating it."""
    primary = c.sentence
    cites = [Citation(primary.source, primary.start, primary.end)]
    seen = {primary.source}
    for j in facts.members[facts.cluster[c.index]]:
        other = sentences[j]
        if other.source not in seen and other.source not in facts.original:
            seen.add(other.source)
            cites.append(Citation(other.source, other.start, other.end))
    return tuple(cites)


CONFIDENCE = ((3, "high"), (2, "moderate"), (1, "low"))


def confidence_of(support: int) -> str:
    """A key judgment's confidence follows from how many independent sources state it:
    three or more high, two moderate, one low."""
    return next(label for least, label in CONFIDENCE if support >= least)


def item_of(c: Candidate, sentences: Sequence[Sentence], facts: Facts, theme: Theme | None,
            judgment: bool = False) -> Item:
    return Item(text=c.sentence.text, score=round(c.score, 4), citations=citations_of(c, sentences, facts),
                theme=theme.id if theme else None, support=c.support, parts=c.parts(),
                confidence=confidence_of(c.support) if judgment else None)


@dataclass(frozen=True)
class Selected:
    """The brief's items, and what `briefing explain` needs to say why: every candidate (scored for
    key judgments), and per theme the pool it chose from (scored for the theme) and its score floor."""

    key_judgments: tuple[Item, ...]
    sections: tuple[Section, ...]
    candidates: tuple[Candidate, ...]
    pools: tuple[tuple[Candidate, ...], ...] = ()
    floors: tuple[float, ...] = ()
    judgment_indices: tuple[int, ...] = ()
    relevance_floors: tuple[float, ...] = ()
    alone: tuple[bool, ...] = ()
    """Per theme: whether its section is one sentence worth more than the greedy fill of its budget."""


def select(sentences: Sequence[Sentence], likeness: Likeness, relevance: Relevance, facts: Facts,
           themes: Sequence[Theme], selection: Selection,
           source_weights: Mapping[str, float] | None = None) -> Selected:
    """Key judgments first (the strongest sentences overall), then each theme's best, none said twice.
    `source_weights` (source id → weight in (0, 1], e.g. recency) multiplies each candidate's score."""
    cands = candidates_of(sentences, relevance, facts, selection)
    _centrality(cands, likeness)
    weight = {c.index: (source_weights or {}).get(c.sentence.source, 1.0) for c in cands}
    for c in cands:
        c.score = weighted(c, GLOBAL_WEIGHTS) * weight[c.index]
    chosen: list[int] = []
    most: dict[int, float] = {}
    for c in cands:
        if c.theme is not None:
            most[c.theme] = max(most.get(c.theme, 0.0), c.relevance)
    strong = [c for c in cands if c.theme is not None and c.relevance >= selection.min_relevance_ratio * most[c.theme]]
    judgments = mmr_select(strong, selection.key_judgments, chosen, likeness, facts,
                           keeps_its_theme_covered(strong, likeness, facts, selection.min_relevance_ratio))
    judgment_items = tuple(item_of(c, sentences, facts, themes[c.theme], judgment=True) for c in judgments)
    taken = {c.index for c in judgments}
    sections, pools, floors, relevance_floors, alone = [], [], [], [], []
    for t, theme in enumerate(themes):
        pool = [replace(c) for c in cands if c.theme == t and c.index not in taken]
        _centrality(pool, likeness)
        for c in pool:
            c.score = weighted(c, WEIGHTS) * weight[c.index]
        floor = selection.min_score_ratio * max((c.score for c in pool), default=0.0)
        relevance_floor = selection.min_relevance_ratio * max((c.relevance for c in pool), default=0.0)
        pools.append(tuple(sorted(pool, key=lambda c: -c.score)))
        floors.append(floor)
        relevance_floors.append(relevance_floor)
        eligible = [c for c in pool if c.score >= floor and c.relevance >= relevance_floor
                    and not any(facts.same_fact(c.index, j) or likeness.too_alike(c.index, j) for j in chosen)]
        picked, single = budgeted_select(eligible, selection.items_per_theme, chosen, likeness, facts,
                                         selection.words_per_theme)
        alone.append(single)
        sections.append(Section(theme.id, theme.title, theme.description,
                                tuple(item_of(c, sentences, facts, theme) for c in picked)))
    return Selected(judgment_items, tuple(sections), tuple(cands), tuple(pools), tuple(floors),
                    tuple(c.index for c in judgments), tuple(relevance_floors), tuple(alone))
