"""Scoring and selection: whole sentences, standalone quality, one theme each, nothing said twice."""

import numpy as np
import pytest

from briefing.config import Selection, Theme
from briefing.pipeline.dedupe import facts_of
from briefing.pipeline.features import aside_spans
from briefing.pipeline.rank import _terms_among, blocked_by, select, standalone_factor, whole_sentence_problem
from briefing.pipeline.themes import relevance_of
from briefing.similarity import Likeness
from tests.samples import sentence_table

SEL = Selection()


def test_whole_sentences_pass_and_fragments_do_not():
    assert whole_sentence_problem("The union called a strike at the port on Monday.", SEL) is None
    assert whole_sentence_problem("of the war at the summit in the capital city.", SEL)
    assert whole_sentence_problem("“We want respect. Nothing else and never anything more", SEL)
    assert whole_sentence_problem("Nothing else.", SEL)
    assert whole_sentence_problem("“We want respect,” the president of the small republic said.", SEL) is None


@pytest.mark.parametrize(("text", "quotable"), [
    ("Ambulances at Russell Square, London after the July 7, 2005 bombings.", False),
    ("Survivors outside the old cathedral of the capital after the earthquake of January.", False),
    ("Survivors gathered outside the old cathedral of the capital after the earthquake of January.", True),
    ("The dock workers of the northern port rejected the offer on Monday.", True),
    ("Kazakhstan rejects the charges of the Russian foreign ministry in Moscow.", True),
    ("It’s a poor nation of some 10 million that hosts a large military base.", True),
    ("THE MINISTER OF TRANSPORT RESIGNED AFTER THE STRIKE AT THE PORT.", True),
])
def test_a_sentence_with_no_verb_is_a_caption_never_quoted(text, quotable):
    """A photo caption that ends with a full stop reads as a sentence but states nothing: no word of it
    can be a verb (names aside). It was quoted as an item (MultiLing M001: "Ambulances at Russell
    Square, …"). A verb in capitals, a contraction or a verb that is also a noun keeps a sentence."""
    assert (whole_sentence_problem(text, SEL) is None) is quotable


def test_sentences_that_point_back_are_marked_down():
    assert standalone_factor("He also complained that the ministry ignored the union's demands.")[0] < 1
    assert standalone_factor("This was about the port's failing finances and its debts.")[0] < 1
    assert standalone_factor("For all these reasons, the strike is likely to last into the winter.")[0] < 1
    assert standalone_factor("All this activity shows how little the ministry can do to end it.")[0] < 1
    assert standalone_factor("All dock workers at the port joined the strike on Monday.")[0] == 1
    assert standalone_factor("A similar pledge was made by the transport minister in October.")[0] < 1
    assert standalone_factor("Another strike closed the northern port on Friday.")[0] < 1
    assert standalone_factor("A similarly large strike closed the northern port on Friday.")[0] == 1
    assert standalone_factor("“It was a disaster for everyone involved,” he said.")[0] < 1
    assert standalone_factor("Is this the end of the strike at the port?")[0] < 1
    assert standalone_factor("The union's leader said talks had collapsed on Monday.")[0] == 1


@pytest.mark.parametrize("text", [
    "It’s important to note that the union is not the only one pushing back.",
    "It is clear that the ministry ignored the union's demands for a week.",
    "It was unclear whether the ministry would meet the union's leaders.",
    "It is Moscow that sets the terms of the talks with the union now.",
    "It was too early to say how long the strike at the port would last.",
    "That the strike has closed the port for a week has been obvious to all.",
])
def test_an_it_or_that_standing_for_the_clause_that_follows_points_back_to_nothing(text):
    # "it" for an extraposed clause, or "that" opening a clause, names nothing before the sentence
    assert standalone_factor(text) == (1.0, [])


@pytest.mark.parametrize("text", [
    "It was a disaster for the port and for everyone who works there.",
    "It’s a poor port of some ten thousand people that depends on the grain trade.",
    "It is a sign that the ministry has run out of patience with the union.",
    "That decision was taken by the port's owners on Monday without the union.",
    "It is not likely to change before the ministry meets the union.",
])
def test_an_it_or_that_naming_something_before_still_points_back(text):
    assert standalone_factor(text)[0] < 1


@pytest.mark.parametrize(("key", "text"), [
    ("points_back", "He also complained that the ministry ignored the union's demands."),
    ("connective", "However, the ministry ignored the union's demands for a week."),
    ("conjunction", "And the ministry ignored the union's demands for a week."),
    ("unnamed_speaker", "“The ministry ignored our demands,” he said on Monday."),
    ("damaged", "The ministry ignored the union's demands (, August 26) for a week."),
    ("garbled", "Some of the most its close allies ignored the union's demands."),
    ("question", "Did the ministry ignore the union's demands for a week?"),
    ("unattributed_quote", "“The ministry ignored the union's demands for a week.”"),
    ("run_together", "Respectsaid the minister, who met the union's leaders on Monday."),
])
def test_each_way_of_not_reading_alone_costs_what_its_setting_says(key, text):
    # selection.standalone sets each factor: the mark's own factor applies, and no other
    from briefing.config import Standalone

    factor, reasons = standalone_factor(text)
    assert factor == pytest.approx(getattr(Standalone(), key)) and len(reasons) == 1
    assert standalone_factor(text, Standalone(**{key: 0.25}))[0] == pytest.approx(0.25)
    assert standalone_factor(text, Standalone(**{key: 1.0})) == (1.0, [])



THEMES = [
    Theme(id="labour", title="Labour", description="", keywords={"strike": 3, "union": 2}),
    Theme(id="trade", title="Trade", description="", keywords={"export": 3, "shipping": 2}),
]
TEXTS = {
    "S1": ["Dock workers extended their strike on Monday, the union said in a statement.",
           "Exports of grain fell by a third in October as shipping stalled at the port.",
           "The strike is the longest in the port's history, according to the union.",
           "Police closed two roads near the harbour after a protest turned rowdy.",
           "A rival union has threatened to call its own members out in sympathy."],
    "S2": ["Dock workers prolonged their strike on Monday, the union said in a statement to reporters.",
           "Grain exports dropped by a third in October while shipping stalled at the port.",
           "The weather in the capital was mild for the season.",
           "Ministers will meet the port's owners on Thursday to discuss compensation.",
           "Truck drivers queued for miles outside the terminal gates."],
}


def run(selection=SEL, lexicon=None):
    sources, sentences = sentence_table(TEXTS)
    texts = [s.text for s in sentences]
    likeness = Likeness.of(texts, lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, selection.same_fact_similarity)
    return select(sentences, likeness, relevance_of(texts, THEMES, lexicon), facts, THEMES, selection)


def test_each_sentence_appears_once_and_no_fact_twice(lexicon):
    chosen = run(lexicon=lexicon)
    items = list(chosen.key_judgments) + [i for s in chosen.sections for i in s.items]
    texts = [i.text for i in items]
    assert len(texts) == len(set(texts))
    strikes = [t for t in texts if "strike on Monday" in t]
    assert len(strikes) == 1


def test_restatements_become_corroborating_citations(lexicon):
    chosen = run(lexicon=lexicon)
    items = list(chosen.key_judgments) + [i for s in chosen.sections for i in s.items]
    strike = next(i for i in items if "strike on Monday" in i.text)
    assert {c.source for c in strike.citations} == {"S1", "S2"}
    assert strike.support == 2


def test_sentences_about_no_theme_stay_out_of_the_sections(lexicon):
    chosen = run(lexicon=lexicon)
    section_texts = [i.text for s in chosen.sections for i in s.items]
    assert not any("weather" in t for t in section_texts)
    trade = next(s for s in chosen.sections if s.theme == "trade")
    assert all(i.theme == "trade" for i in trade.items)


def test_key_judgments_never_take_a_theme_s_only_sentence(lexicon):
    chosen = run(lexicon=lexicon)
    assert all(section.items for section in chosen.sections)
    trade_facts = [i.text for s in chosen.sections if s.theme == "trade" for i in s.items]
    assert any("exports" in t.lower() for t in trade_facts)


def test_garbled_machine_translation_is_marked_down_and_plain_english_is_not():
    garbled = "Sensing that Russia was weakened by its war, some of the most its close allies are defiant."
    assert "garbled grammar (as machine translation leaves it)" in standalone_factor(garbled)[1]
    assert standalone_factor("The the union said talks had collapsed on Monday night.")[0] < 1
    assert standalone_factor("The union gave her the keys to the port office on Monday.")[0] == 1
    assert standalone_factor("Officials said the ministry would meet the union and the owners.")[0] == 1
    assert standalone_factor("Many of the men I studied for my A Levels with joined the strike.")[0] == 1


def test_words_a_lost_space_ran_together_are_marked_and_names_and_words_that_end_so_are_not():
    # an extractor that loses a closing quotation mark and the space after it glues the quotation's
    # last word to the verb of its attribution
    reason = "words run together (a space was lost)"
    assert reason in standalone_factor("Respectsaid Imomali Rahmon, president of Tajikistan since 1994.")[1]
    assert reason in standalone_factor("The talks failed, the ministry's spokesmanadded on Monday night.")[1]
    for text in ("Mohammed Alsaid told the union that the port would reopen on Monday.",
                 "The aforesaid union has untold reserves for the strike, its essays say.",
                 "The union said the strike would go on, and the ministry added nothing."):
        assert standalone_factor(text) == (1.0, [])


def test_sentences_with_markup_are_not_quoted():
    assert whole_sentence_problem("Read the [full statement](https://example.org) published on Friday.", SEL)
    assert whole_sentence_problem("The minister said <b>nothing</b> about the strike at the port.", SEL)


def test_a_sentence_is_kept_out_exactly_when_it_states_what_a_chosen_one_states(lexicon):
    """Redundancy by fact, not by topic: blocked when a same-fact pair, or close in TF-IDF, or most of
    the shorter one's content repeated; sentences that only share the topic are not blocked."""
    sources, sentences = sentence_table(TEXTS)
    likeness = Likeness.of([s.text for s in sentences], lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, SEL.same_fact_similarity)
    rows = np.arange(len(sentences))
    for j in rows.tolist():
        cosine, overlap = likeness.against(j)
        said = [facts.same_fact(i, j) or cosine[i] >= SEL.same_fact_similarity or overlap[i] >= SEL.same_fact_overlap
                for i in rows.tolist()]
        assert blocked_by(rows, [j], likeness, facts, SEL).tolist() == said
    # The two strike sentences of S1 share the topic (and a fifth of their words), not a fact.
    assert 0.15 < likeness.cosine(0, 2) < SEL.same_fact_similarity
    assert not blocked_by(np.array([2]), [0], likeness, facts, SEL)[0]
    assert blocked_by(np.array([5]), [0], likeness, facts, SEL)[0]  # the same statement in other words


ASPECT_THEME = [Theme(id="labour", title="Labour unrest", description="",
                      keywords={"strike": 3, "wages": 1.5})]
ASPECT_TEXTS = {
    "S1": ["Dock workers began a strike at the northern port early on Monday morning.",
           "The strike also halted the ferries that link the islands to the mainland.",
           "The weather in the capital was mild for the season, forecasters said."],
    "S2": ["Their strike has already cost the harbour owners millions in lost fees.",
           "Workers at the port earn wages far below the national average, a survey found.",
           "Ministers will meet the port's owners on Thursday to discuss the timetable."],
}


def labour_section(lexicon, keyword_coverage):
    selection = Selection(words_per_theme=27, key_judgments=0, keyword_coverage=keyword_coverage)
    sources, sentences = sentence_table(ASPECT_TEXTS)
    texts = [s.text for s in sentences]
    likeness = Likeness.of(texts, lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, selection.same_fact_similarity)
    relevance = relevance_of(texts, ASPECT_THEME, lexicon)
    chosen = select(sentences, likeness, relevance, facts, ASPECT_THEME, selection)
    return [i.text for i in chosen.sections[0].items], {c.sentence.text: c.verdict for c in chosen.pools[0]}


def test_a_section_states_each_thing_its_theme_asks_about_before_one_of_them_twice(lexicon):
    items, verdicts = labour_section(lexicon, Selection().keyword_coverage)
    assert len(items) == 2
    assert sum("strike" in t for t in items) == 1
    wages = next(t for t in items if "wages" in t)
    assert verdicts[wages].endswith("the only item here to state wages")  # explain says why it won
    # without keyword coverage the heavier keyword's second sentence wins the place
    assert not any("wages" in t for t in labour_section(lexicon, 0.0)[0])


def test_what_a_key_judgment_states_is_worth_nothing_more_to_its_section(lexicon):
    texts_by_source = {**ASPECT_TEXTS, "S2": ["The strike has already cost the harbour owners millions in lost fees.",
                                              *ASPECT_TEXTS["S2"][1:]],
                       "S3": ["Lorry drivers joined the strike on Tuesday, blocking the roads to the terminal.",
                              "Shops near the harbour closed early as the protest grew during the afternoon."]}
    selection = Selection(words_per_theme=27, key_judgments=1)
    sources, sentences = sentence_table(texts_by_source)
    texts = [s.text for s in sentences]
    likeness = Likeness.of(texts, lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, selection.same_fact_similarity)
    chosen = select(sentences, likeness, relevance_of(texts, ASPECT_THEME, lexicon), facts, ASPECT_THEME, selection)
    judged = [k.text for k in chosen.key_judgments]
    assert len(judged) == 1 and "strike" in judged[0]
    verdicts = {c.sentence.text: c.verdict for c in chosen.pools[0]}
    for item in chosen.sections[0].items:
        # the strike is stated under the theme already, by its key judgment: no item gains by stating it
        assert "state strike" not in verdicts[item.text], verdicts[item.text]
    wages = next(i.text for i in chosen.sections[0].items if "wages" in i.text)
    assert verdicts[wages].endswith("the only item here to state wages")


@pytest.mark.parametrize("text, asides", [
    ("The president, who was furious about the skirmishes, also cancelled the drills.",
     [", who was furious about the skirmishes"]),
    ("The alliance (CSTO) met in the capital, which was cold.", [" (CSTO)", ", which was cold"]),
    ("The alliance — never a match for its rival — is weaker than ever.", [" — never a match for its rival —"]),
    ("The leader who won the vote cancelled the drills.", []),  # a restrictive clause is the claim itself
    ("“We cancelled the drills,” said the minister, whose ministry runs them.", [", whose ministry runs them"]),
])
def test_asides_are_parentheses_relative_clauses_after_a_comma_and_pairs_of_dashes(text, asides):
    assert [text[a:b] for a, b in aside_spans(text)] == asides


LONG = ("Indeed, the president cancelled joint military drills with the alliance because of its support for a "
        "neighbouring rival in their long quarrel over water; opposed the railway project to connect the three "
        "landlocked republics with the coast; recalled his ambassador for urgent consultations; as well as decried the colonial arrogance of its leaders.")
ASIDE = ("The president, who was furious about skirmishes in September when rival troops pushed into his "
         "territory, also cancelled the alliance's military drills.")


def test_a_sentence_whose_main_clause_another_states_partly_repeats_it(lexicon):
    texts = [LONG, ASIDE, "The weather in the capital was mild for the season, forecasters said.",
             "Shops near the harbour closed early as the protest grew during the afternoon.",
             "Ministers will meet the port's owners on Thursday to discuss the timetable."]
    likeness = Likeness.of(texts, lexicon)
    sources, sentences = sentence_table({"S1": texts[:1] + texts[2:], "S2": texts[1:2]})
    facts = facts_of(sources, sentences, likeness.vectors, SEL.same_fact_similarity)
    # In words they are far apart: the aside and the long sentence's other clauses share nothing ...
    assert likeness.cosine(0, 1) < SEL.similar_from
    # ... but all of the second one's main clause is in the first.
    assert likeness.main_repeated([0], [1])[0, 0] == likeness.main_repeated([1], [0])[0, 0] == 1.0
    rows, value = np.array([0, 1]), np.array([0.8, 0.8])
    conflict, cost = _terms_among(rows, value, likeness, facts, SEL)
    assert not conflict.any()  # not the same fact: the aside says more
    assert cost[0, 1] == pytest.approx(SEL.redundancy * SEL.main_clause_weight * 0.8)
    assert _terms_among(rows, value, likeness, facts, Selection(main_clause_weight=0))[1][0, 1] == 0  # by cosine alone


def test_the_score_weighs_its_parts_as_the_config_says(lexicon):
    from briefing.config import ScoreWeights

    weights = ScoreWeights(relevance=0, centrality=0, corroboration=2, informativeness=0)  # divided by their sum
    chosen = run(Selection(score_weights=weights), lexicon)
    pool = [c for p in chosen.pools for c in p]
    assert pool and all(c.score == pytest.approx(c.quality * c.corroboration) for c in pool)
    assert any(c.score != pytest.approx(c.quality * c.corroboration) for p in run(SEL, lexicon).pools for c in p)


def test_a_theme_with_keywords_lets_relevance_lead_its_score(lexicon):
    from briefing.config import ScoreWeights

    weights = ScoreWeights(relevance=1, centrality=1, corroboration=0, informativeness=0)
    keyworded = run(Selection(score_weights=weights, keyword_relevance=3), lexicon)
    pool = [c for p in keyworded.pools for c in p if c.joined is None]
    # the analyst's keywords make relevance weigh 3 times what the config gives it: 3/4 of the score
    assert pool and all(c.score == pytest.approx(c.quality * (0.75 * c.relevance + 0.25 * c.centrality))
                        for c in pool)
    assert any(c.relevance != pytest.approx(c.centrality) for c in pool)

    # a theme in plain words has no keywords to trust more: the weights as the config gives them
    plain = [Theme(id=t.id, title=f"{t.title}: " + ", ".join(t.keywords), description="") for t in THEMES]
    sources, sentences = sentence_table(TEXTS)
    texts = [s.text for s in sentences]
    likeness = Likeness.of(texts, lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, SEL.same_fact_similarity)
    worded = select(sentences, likeness, relevance_of(texts, plain, lexicon), facts, plain,
                    Selection(score_weights=weights, keyword_relevance=3))
    pool = [c for p in worded.pools for c in p if c.joined is None]
    assert pool and all(c.score == pytest.approx(c.quality * (0.5 * c.relevance + 0.5 * c.centrality)) for c in pool)


def test_informativeness_and_corroboration_are_full_where_their_settings_say(lexicon):
    # The dock strike is stated by both sources; the rival union's threat by one. Each exports and
    # strike sentence names one thing ("Monday", "October") and states no figure.
    def candidates(selection):
        return {c.sentence.text: c for pool in run(selection, lexicon).pools for c in pool}

    strike, threat = TEXTS["S1"][0], TEXTS["S1"][4]
    default = candidates(SEL)
    assert default[strike].corroboration == pytest.approx(0.5)  # two sources of the three it takes
    assert default[threat].corroboration == 0.0
    assert default[strike].informativeness == pytest.approx(1 / 8)
    changed = candidates(Selection(corroborated_at=2, informative_at=1))
    assert changed[strike].corroboration == 1.0 and changed[threat].corroboration == 0.0
    assert changed[strike].informativeness == 1.0
    from briefing.pipeline.features import informativeness_of, names_and_figures

    names, figures = names_and_figures("Exports fell 12% in 2022, the Serrat trade ministry said.")
    assert (names, figures) == (1, 2)
    counts = np.array([names]), np.array([figures])
    assert informativeness_of(*counts, SEL.informative_at, SEL.figure_weight)[0] == pytest.approx(5 / 8)
    assert informativeness_of(*counts, SEL.informative_at, 0)[0] == pytest.approx(1 / 8)


QUOTED_PARAGRAPH = ('Efstathios Daras, the Greek ambassador, described the situation in the capital. “We fear a '
                    'major loss of life in the city. There is huge damage to the port and its roads. All phone '
                    'lines are down,” he told reporters.')


def test_a_sentence_inside_a_quotation_opened_before_it_is_marked_as_someone_s_words():
    # Quoted alone, "There is huge damage to the port and its roads." read as the source's own statement:
    # the ambassador's words, with neither quotation marks nor speaker.
    import re

    from briefing.config import Standalone
    from briefing.pipeline.features import continued_quotations

    def flags(text: str) -> list[tuple[str, bool]]:
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S.*?[.!?][”\"]?(?=\s|$)", text)]
        return [(text[a:b], f) for (a, b), f in zip(spans, continued_quotations(text, spans, [(0, len(text))]))]

    assert flags(QUOTED_PARAGRAPH) == [
        ("Efstathios Daras, the Greek ambassador, described the situation in the capital.", False),
        ("“We fear a major loss of life in the city.", False),  # (its own unbalanced mark keeps it out)
        ("There is huge damage to the port and its roads.", True),
        ("All phone lines are down,” he told reporters.", True)]
    straight = QUOTED_PARAGRAPH.replace("“", '"').replace("”", '"')
    assert [f for _, f in flags(straight)] == [False, False, True, True]
    # a quotation closed before it, or a mark a damaged text lost, is no quotation it is inside
    assert [f for _, f in flags("“We want respect.” The envoy left. Nothing else was said.")] == [False, False, False]
    assert [f for _, f in flags("“We want respect. Nothing else. Respectsaid Rahmon, the president.")] == [
        False, False, False]
    # its factor is a setting, as every mark's
    bits = 1 << [m.key for m in __import__("briefing.pipeline.features", fromlist=["MARKS"]).MARKS].index("in_quotation")
    text = "There is huge damage to the port and its roads."
    assert standalone_factor(text) == (1.0, [])
    factor, reasons = standalone_factor(text, Standalone(), bits)
    assert factor == pytest.approx(Standalone().in_quotation) and len(reasons) == 1


def test_a_brief_does_not_quote_a_quotation_s_middle_sentence_as_the_source_s_own(tmp_path):
    from briefing.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Port damage\n\n" + QUOTED_PARAGRAPH + "\n\nOfficials said the port would stay closed for a week while "
        "engineers inspected the damage to its cranes.\n\nShipping lines rerouted their vessels to Serrat, "
        "two hundred kilometres to the south of the capital.\n", encoding="utf-8")
    (tmp_path / "themes.yaml").write_text("themes:\n  - id: damage\n    title: Damage to the port\n"
                                          "    keywords: {damage: 3, port: 2, roads: 2}\n", encoding="utf-8")
    # room for one item: the ambassador's words, the most relevant sentence, lose to the officials' own
    (tmp_path / "config.yaml").write_text("selection: {words_per_theme: 20, key_judgments: 0}\n", encoding="utf-8")
    assert main(["build", "-q", "--seeds", str(seeds), "--themes", str(tmp_path / "themes.yaml"),
                 "--config", str(tmp_path / "config.yaml"), "--out", str(tmp_path / "out"), "--format", "md"]) == 0
    brief = (tmp_path / "out" / "brief.md").read_text(encoding="utf-8")
    assert "engineers inspected the damage" in brief
    assert "There is huge damage to the port and its roads." not in brief
