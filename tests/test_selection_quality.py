"""What issue 3 asks of selection, each on a small hand-made corpus: paraphrase clusters within and
across sources, corroboration and confidence, aliases, corpus expansion, a relevance floor instead of
padding, a word budget per theme, and an explanation of every choice."""


import pytest
from pydantic import ValidationError

from briefing.config import Selection, Theme
from briefing.dedupe import Likeness, facts_of
from briefing.model import Sentence, Source
from briefing.rank import confidence_of, select
from briefing.themes import relevance_of

LABOUR = Theme(id="labour", title="Labour", description="Strikes and unions.", keywords={"strike": 3, "union": 2})
CHINA = Theme(id="china", title="China", description="", keywords={"china": 3},
              aliases={"china": ["beijing", "xi jinping"]})


def corpus(texts: dict[str, list[str]]):
    sources = [Source(sid, f"{sid}.txt", "0", "") for sid in texts]
    sentences = [Sentence(sid, 100 * k, 100 * k + 50, t, k) for sid, ts in texts.items() for k, t in enumerate(ts)]
    return sources, sentences


def chosen(texts, themes, lexicon, selection=Selection()):
    sources, sentences = corpus(texts)
    plain = [s.text for s in sentences]
    likeness = Likeness.of(plain, lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, selection.same_fact_similarity)
    relevance = relevance_of(plain, themes, lexicon, selection.expansion_terms, selection.expansion_weight,
                             [facts.original.get(s.source, s.source) for s in sentences])
    return select(sentences, likeness, relevance, facts, themes, selection), facts, sentences


def test_a_caption_repeated_in_the_body_is_one_fact_within_a_source(lexicon):
    sources, sentences = corpus({"S1": [
        "Dock workers march through the capital on Monday as the strike enters its second week.",
        "The port has been closed since the union called the stoppage.",
        "Dock workers marched through the capital on Monday as their strike entered its second week.",
    ]})
    facts = facts_of(sources, sentences, Likeness.of([s.text for s in sentences], lexicon).vectors, 0.5)
    assert facts.same_fact(0, 2)
    assert not facts.same_fact(0, 1)


def test_support_counts_independent_sources_and_key_judgments_carry_confidence(lexicon):
    texts = {
        "S1": ["Dock workers in Valmora extended their strike on Monday, the union said in a statement.",
               "The union's members voted to stay out until wages rise by a tenth."],
        "S2": ["Dock workers in Valmora prolonged their strike on Monday, the union said in a statement.",
               "A rival union has threatened to call its own members out in sympathy with the dockers."],
        "S3": ["Dock workers in Valmora extended their strike on Monday, the union confirmed in a statement.",
               "Union leaders will meet the port's owners on Thursday to discuss the strike."],
    }
    selected, _, _ = chosen(texts, [LABOUR], lexicon)
    items = list(selected.key_judgments) + [i for s in selected.sections for i in s.items]
    strike = next(i for i in items if "on Monday" in i.text)
    assert strike.support == 3
    assert [c.source for c in strike.citations][1:] == sorted({"S1", "S2", "S3"} - {strike.citations[0].source})
    assert all(k.confidence in {"high", "moderate", "low"} for k in selected.key_judgments)
    assert confidence_of(3) == "high" and confidence_of(2) == "moderate" and confidence_of(1) == "low"
    assert "confidence" in selected.key_judgments[0].to_json()


def test_a_republication_is_not_independent_corroboration(lexicon):
    original = ["Dock workers in Valmora extended their strike on Monday, halting container exports.",
                "The union said talks with the port authority had collapsed after a week of meetings.",
                "Shipping lines have begun rerouting their vessels to the southern port of Serrat."]
    copy = ["Dock workers in Valmora prolonged their strike on Monday, stopping container exports.",
            "The union said negotiations with the port authority had collapsed after a week of meetings.",
            "Shipping companies have started rerouting their vessels to the southern port of Serrat."]
    selected, facts, _ = chosen({"S1": original, "S2": copy}, [LABOUR], lexicon)
    assert facts.original == {"S2": "S1"}
    items = list(selected.key_judgments) + [i for s in selected.sections for i in s.items]
    assert items and all(i.support == 1 for i in items)
    assert all(c.source == "S1" for i in items for c in i.citations)


def test_aliases_match_like_their_keyword(lexicon):
    texts = ["Beijing pledged new loans for the railway on Tuesday.",
             "Xi Jinping arrived in the capital for a two-day visit.",
             "The weather in the capital was mild for the season."]
    rel = relevance_of(texts, [CHINA], lexicon)
    assert rel.strength[0, 0] == rel.strength[1, 0] == 3
    assert rel.strength[2, 0] == 0


def test_an_alias_of_an_unknown_keyword_is_a_config_error():
    with pytest.raises(ValidationError, match="'beijing' is not one of this theme's keywords"):
        Theme(id="x", title="X", keywords={"china": 3}, aliases={"beijing": ["peking"]})


def test_the_corpus_widens_a_theme_with_words_its_strongest_sentences_share(lexicon):
    texts = ["Dockers at the port joined the strike and picketed the terminal gates.",
             "The union said dockers would picket the terminal again on Friday.",
             "Another strike by dockers closed the terminal for a day.",
             "Ministers discussed the budget and the pension reform in parliament.",
             "The budget debate in parliament ran late into the night.",
             "The weather in the capital was mild for the season.",
             "Tourists queued at the museum in the old town.",
             "Farmers harvested a record crop of wheat this summer.",
             "The orchestra opened its season with a symphony by a local composer.",
             "Rain is expected across the north of the country at the weekend.",
             "The football club signed a young striker from a rival team.",
             "A new bridge over the river will open to traffic in the spring.",
             "The central bank kept interest rates unchanged at its last meeting.",
             "Students protested against higher tuition fees outside the ministry.",
             "The city council approved plans for a larger public library.",
             "Scientists found a rare species of frog in the mountain forests."]
    sources = ["S1", "S2", "S3"] * 5 + ["S1"]
    rel = relevance_of(texts, [LABOUR], lexicon, expansion_terms=5, expansion_weight=0.6, sources=sources)
    added = set(rel.expansions[0])
    assert {"dockers", "terminal"} <= added
    assert not added & {"budget", "parliament", "weather"}
    without = relevance_of(texts, [LABOUR], lexicon)
    assert rel.score[0, 0] > without.score[0, 0]


def test_a_theme_is_not_padded_with_sentences_that_barely_touch_it(lexicon):
    docks = Theme(id="docks", title="Docks", keywords={"strike": 3, "union": 2, "dockers": 2, "port": 1})
    texts = {"S1": ["Dockers extended their strike at the port on Monday, the union said in a statement.",
                    "The union's dockers voted to continue the strike at the port until wages rise by a tenth.",
                    "Shoppers said the strike had little effect on prices in the capital's markets."],
             "S2": ["Union leaders will meet the port's owners on Thursday to end the dockers' strike.",
                    "The museum's union of friends held its annual dinner in the old town hall."]}
    strong = Selection(min_relevance=0.1)
    selected, _, _ = chosen(texts, [docks], lexicon, strong)
    texts_chosen = [i.text for i in selected.key_judgments] + [i.text for s in selected.sections for i in s.items]
    assert not any("museum" in t for t in texts_chosen)


def test_a_section_keeps_to_its_word_budget(lexicon):
    texts = {"S1": ["Dockers at the northern port began a strike over pay on Monday morning.",
                    "The drivers' union said its members would strike at every depot from Friday.",
                    "Airline pilots voted by a large majority to strike over pension cuts this winter.",
                    "A union of hospital cleaners threatened a strike if agency contracts are renewed.",
                    "Shipyard welders ended a three-day strike after the union accepted a new offer.",
                    "Teachers in the capital joined the strike called by their national union."]}
    budget = Selection(words_per_theme=25, key_judgments=3, min_score_ratio=0, min_relevance_ratio=0)
    selected, _, _ = chosen(texts, [LABOUR], lexicon, budget)
    words = sum(len(i.text.split()) for i in selected.sections[0].items)
    assert selected.sections[0].items and words <= 25
    roomy = Selection(words_per_theme=200, key_judgments=3, min_score_ratio=0, min_relevance_ratio=0)
    more, _, _ = chosen(texts, [LABOUR], lexicon, roomy)
    assert len(more.sections[0].items) > len(selected.sections[0].items)


def scored(texts_and_scores, lexicon):
    """Hand-scored candidates of one theme, with the likeness and facts of their texts."""
    from briefing.rank import Candidate

    sources, sentences = corpus({"S1": [t for t, _ in texts_and_scores]})
    likeness = Likeness.of([s.text for s in sentences], lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, 0.5)
    cands = [Candidate(i, s, 0, 0.8, 1.0, 0.5, 0.0, 1, 0.0, score=score)
             for i, (s, (_, score)) in enumerate(zip(sentences, texts_and_scores))]
    return cands, likeness, facts


LONG = ("Dock workers in Valmora walked out on Monday after talks on pay collapsed, and the union said the "
        "stoppage would spread to the rail depots, the bus garages and the airport unless ministers "
        "reopened negotiations within a week.")  # 38 words
SHORT_A = "Teachers in Serrat voted to strike over pensions this winter."  # 10 words
SHORT_B = "Hospital cleaners threatened a walkout if agency contracts are renewed."  # 10 words


def test_under_a_word_budget_sentences_compete_on_value_per_word(lexicon):
    from briefing.rank import budgeted_select

    # The long sentence scores best, but two short ones worth more together fill the same budget.
    cands, likeness, facts = scored([(LONG, 0.8), (SHORT_A, 0.5), (SHORT_B, 0.45)], lexicon)
    picked, alone = budgeted_select(cands, 8, [], likeness, facts, budget=38)
    assert sorted(c.sentence.text for c in picked) == sorted([SHORT_A, SHORT_B]) and not alone


def test_one_sentence_worth_more_than_a_greedy_fill_of_short_ones_stands_alone(lexicon):
    from briefing.rank import budgeted_select

    # By value per word the short sentences come first, then the long one no longer fits: together they
    # are worth less than it alone, so the section is the long sentence (the classic budgeted-greedy check).
    cands, likeness, facts = scored([(LONG, 0.9), (SHORT_A, 0.3), (SHORT_B, 0.25)], lexicon)
    chosen = []
    picked, alone = budgeted_select(cands, 8, chosen, likeness, facts, budget=40)
    assert [c.sentence.text for c in picked] == [LONG] and alone
    assert chosen == [0]


def test_explain_says_when_a_section_is_one_sentence_worth_more_than_a_fill(lexicon):
    from types import SimpleNamespace

    from briefing.explain import explain
    from briefing.model import Section
    from briefing.rank import Selected, budgeted_select, item_of

    cands, likeness, facts = scored([(LONG, 0.9), (SHORT_A, 0.3), (SHORT_B, 0.25)], lexicon)
    sentences = [c.sentence for c in cands]
    selection = Selection(words_per_theme=48, min_score_ratio=0, min_relevance_ratio=0)
    picked, alone = budgeted_select(cands, 8, [], likeness, facts, selection.words_per_theme)
    section = Section("labour", "Labour", "", tuple(item_of(c, sentences, facts, LABOUR) for c in picked))
    selected = Selected((), (section,), tuple(cands), (tuple(cands),), (0.0,), (), (0.0,), (alone,))
    relevance = relevance_of([s.text for s in sentences], [LABOUR], lexicon)
    brief = SimpleNamespace(key_judgments=(), sections=(section,), items=lambda: list(section.items))
    analysis = SimpleNamespace(sentences=sentences, relevance=relevance, likeness=likeness, facts=facts,
                               selected=selected, brief=brief)
    [theme] = explain(analysis, [LABOUR], selection).themes
    assert [e.text for e in theme.items] == [LONG]
    reasons = {e.text: e.reason for e in theme.runners_up}
    assert all("worth more alone" in reasons[s] for s in (SHORT_A, SHORT_B))  # either would have fitted
