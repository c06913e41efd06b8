"""Theme relevance on stems and phrases, and a clear best theme per sentence."""

import numpy as np

from briefing.config import Theme
from briefing.pipeline.features import features_of
from briefing.pipeline.themes import ThemeMatcher, relevance_of, strengths

LABOUR = Theme(id="labour", title="Labour unrest", description="Strikes and unions.",
               keywords={"strike": 3, "union": 2, "collective bargaining": 3})
TRADE = Theme(id="trade", title="Trade", description="Exports and shipping.",
              keywords={"export": 3, "shipping lines": 2.5})


def test_keywords_match_on_stems(lexicon):
    m = ThemeMatcher.of(LABOUR, lexicon)
    assert m.hits(lexicon.stems("Dockers were striking for a third day.")) == {("strike",): 3}


def test_a_theme_finds_its_words_in_either_spelling(lexicon):
    # An analyst who writes British English reads American sources, and the other way round: the
    # theme's "defence", "organisation" and "neighbours" are the sources' "defense", "organization"
    # and "neighbors", in its keywords and in its plain words alike.
    british = Theme(id="defence", title="Defence organisations",
                    description="How neighbours organise their defence.", keywords={"defence": 3, "labour": 2})
    texts = ["The defense ministry called on its neighbors.", "A regional organization was founded.",
             "Labor unions backed the ministry.", "The harvest was early."]
    matcher = ThemeMatcher.of(british, lexicon)
    assert [matcher.hit_labels(lexicon.stems(t)) for t in texts] == [["defence"], [], ["labour"], []]
    plain = relevance_of(texts, [british.model_copy(update={"keywords": {}})], lexicon)
    assert (plain.score[:2, 0] > 0).all() and plain.score[3, 0] == 0
    american = british.model_copy(update={"title": "Defense organizations", "keywords": {"defense": 3, "labor": 2},
                                          "description": "How neighbors organize their defense."})
    assert np.array_equal(relevance_of(texts, [american], lexicon).score, relevance_of(texts, [british], lexicon).score)
    # and a word hyphenated on one side only: "re-elected" is the sources' "reelected"
    hyphens = Theme(id="votes", title="Votes", description="", keywords={"re-elected": 3, "co-operation": 2})
    matcher = ThemeMatcher.of(hyphens, lexicon)
    assert sorted(matcher.hit_labels(lexicon.stems("The president was reelected in a cooperation pact."))) == [
        "co-operation", "re-elected"]
    # and a name typed without its accents: "Erdogan" is the sources' "Erdoğan"
    names = ThemeMatcher.of(Theme(id="turkey", title="Turkey", description="", keywords={"erdogan": 3}), lexicon)
    assert names.hit_labels(lexicon.stems("President Erdoğan met him in Ankara.")) == ["erdogan"]


def test_phrases_match_as_consecutive_words_only(lexicon):
    m = ThemeMatcher.of(LABOUR, lexicon)
    assert ("collect", "bargain") in m.hits(lexicon.stems("Collective bargaining resumed."))
    assert not m.hits(lexicon.stems("Bargaining was collective in spirit."))


def test_each_sentence_is_most_relevant_to_its_own_theme(lexicon):
    texts = ["The union called a strike at the port.", "Exports fell as shipping lines left.", "The weather was fine."]
    rel = relevance_of(texts, [LABOUR, TRADE], lexicon)
    assert list(np.argmax(rel.score[:2], axis=1)) == [0, 1]
    assert rel.score[2].max() == 0
    assert 0 < rel.score[0, 0] <= 1


STATES = Theme(id="states", title="States", description="",
               keywords={"state": 1, "united states": 2, "states department": 2.5, "united states department": 4,
                         "very very": 0.7, "very": 0.2, "of state": 0.3, "department": 0.6})


def test_corpus_wide_matching_counts_as_hits_does(lexicon):
    texts = ["The United States Department of State said so.",  # the longest hit takes its three words
             "United states department, united states, state and state again.",
             "The states department and the state department differ.",
             "It was very very very cold, very very indeed.",  # the third "very" is left over
             "They left the United.", "States rose.",  # a phrase across two sentences is not a hit
             "Department of State staff said the state of the department was fine.",
             "Nothing to see here.", ""]
    matcher = ThemeMatcher.of(STATES, lexicon)
    found = strengths([matcher], features_of(texts, lexicon))[:, 0]
    assert found.tolist() == [sum(matcher.hits(lexicon.stems(t)).values()) for t in texts]
    assert found[0] == 4 + 0.3 and found[3] == 0.7 + 0.2 and found[4] == 0 and found[5] == 1


def test_a_long_description_widens_a_theme_without_drowning_its_keywords(lexicon):
    # A narrative of many plain words, as query-focused topics are written. Beside eight keywords, a
    # sentence that uses seven of its words but no keyword must not outrank one that states a keyword;
    # when the only keyword is the title's word, the narrative says what is asked and counts for more.
    narrative = ("Describe how workers, employers and the government in the northern provinces argued this year "
                 "about pay, hours and conditions in factories, ports and offices.")
    told = Theme(id="labour", title="Labour", description=narrative,
                 keywords={"strike": 3, "union": 2.5, "walkout": 2.5, "picket": 2, "dockers": 2, "wages": 2,
                           "stoppage": 2, "pay talks": 2})
    bare = Theme(id="labour", title="Labour", description=narrative, keywords={"labour": 1})
    texts = ["Dockers at the port called a strike on Monday.",
             "The government said pay in the northern provinces rose this year in factories and offices.",
             "Farmers planted wheat early because the spring was warm and wet.",
             "The central bank left its main interest rate unchanged in March.",
             "Labour ministers of the region met in the capital on Tuesday."]
    rich, plain = relevance_of(texts, [told], lexicon), relevance_of(texts, [bare], lexicon)
    assert rich.score[0, 0] > rich.score[1, 0] > 0  # the narrative still counts, below the keywords
    assert plain.score[1, 0] > 0 and plain.score[2, 0] == 0
    assert plain.raw[1, 0] > 1.5 * rich.raw[1, 0]  # with only the title named, the narrative weighs more
    without = relevance_of(texts, [told.model_copy(update={"description": ""})], lexicon)
    assert without.score[1, 0] == 0  # without a narrative the same sentence is not about the theme at all


def test_a_theme_in_plain_words_needs_no_keywords(lexicon):
    # A title and a description, as a query-focused topic is posed: the words of both stand for the
    # keywords, so the theme finds what its narrative asks about even where no title word appears.
    plain = Theme(id="labour", title="Dock strikes", description="Why dockers walked out and what they won.")
    texts = ["Dockers at the port walked out on Monday.", "The dock strikes ended with a pay rise.",
             "Farmers planted wheat early because the spring was warm and wet."]
    found = relevance_of(texts, [plain], lexicon)
    assert found.score[0, 0] > 0 and found.score[1, 0] > 0 and found.score[2, 0] == 0
    assert ThemeMatcher.of(plain, lexicon).hit_labels(lexicon.stems(texts[1])) == ["dock", "strikes"]
    assert ThemeMatcher.of(plain, lexicon).hit_labels(lexicon.stems(texts[0])) == ["dockers", "walked"]
    # sentences using each of its words: explain reports it
    assert found.keyword_use == ({"dock": 1, "strikes": 1, "dockers": 1, "walked": 1, "won": 0},)


def test_a_theme_in_plain_words_is_not_taken_over_by_the_corpus_s_common_words(lexicon):
    # Nobody weighed a plain theme's words: one that nearly every sentence uses ("port" in a corpus
    # about a port) must not outrank what the narrative asks about (the dockers' walkout).
    theme = Theme(id="walkout", title="The port's strikes",
                  description="Why the dockers walked out, what they demanded and what the port's owners offered.")
    texts = ["The port handled more ships this year than last.",
             "The port's new cranes arrived from the port of Rotterdam.",
             "Dockers walked out over pay and the night shifts.",
             "The port authority elected a new chairman for the port.",
             "Ships waited outside the port in the fog.", "The port's cafe reopened near the port gate.",
             "A storm closed the port for two days."]
    relevance = relevance_of(texts, [theme], lexicon)
    ranked = np.argsort(-relevance.raw[:, 0], kind="stable").tolist()
    assert ranked[0] == 2, [texts[i] for i in ranked]


def test_keyword_use_counts_a_keyword_with_its_aliases_once_per_sentence(lexicon):
    docks = Theme(id="docks", title="Docks", keywords={"strike": 3, "collective bargaining": 2, "lockout": 1},
                  aliases={"strike": ["walkout"]})
    texts = ["The strike went on; a second strike and a walkout followed.", "Dockers staged a walkout.",
             "Bargaining was collective in spirit.", "Collective bargaining resumed."]
    assert relevance_of(texts, [docks], lexicon).keyword_use == (
        {"strike": 2, "collective bargaining": 1, "lockout": 0},)


ALLIANCE_TEXTS = [
    "Ministers of the Collective Security Treaty Organization (CSTO) met in Yerevan on Monday.",
    "Armenia walked out of the CSTO meeting in anger.",
    "The harvest in the valley was late this year.",
    "Bishkek cancelled the joint drills of the Collective Security Treaty Organization.",
    "The Agency for International Development (AID) sent doctors to the valley.",
    "Troops of the United States (US) left the valley.",
]


def test_an_abbreviation_the_corpus_defines_finds_what_the_theme_names_by_its_other_name(lexicon):
    """A theme that names the long form finds a sentence that writes only the short form, and one
    that names the short form (a keyword) finds a sentence that writes only the long form."""
    plain = Theme(id="alliance", title="The Collective Security Treaty Organization", description="")
    keyword = Theme(id="acronym", title="Alliance", description="", keywords={"csto": 3})
    rel = relevance_of(ALLIANCE_TEXTS, [plain, keyword], lexicon)
    assert rel.raw[1, 0] > 0  # "the CSTO meeting", for the long form
    assert rel.matchers[1].hits(lexicon.stems(ALLIANCE_TEXTS[3]))  # "the Collective Security …", for "csto"
    assert rel.raw[2].max() == 0
    assert "CSTO" in rel.expansions[0] and "Collective Security Treaty Organization" in rel.expansions[1]


def test_a_short_form_counts_only_as_written_in_a_theme_s_words(lexicon):
    """"aid" in a description is not the AID the corpus defines, and "US" is never added to a theme
    that names the United States: terms match without case, and it would match every "us"."""
    from briefing.pipeline.abbreviations import defined
    from briefing.pipeline.themes import other_names

    pairs = defined(ALLIANCE_TEXTS)
    assert pairs == {"CSTO": "Collective Security Treaty Organization", "AID": "Agency for International Development",
                     "US": "United States"}
    asking = Theme(id="doctors", title="Doctors", description="How much aid reached the valley?")
    assert other_names(asking, lexicon, pairs) == {}
    naming = Theme(id="doctors", title="Doctors", description="What AID's doctors did in the valley.")
    assert other_names(naming, lexicon, pairs) == {"Agency for International Development": 1.0}
    troops = Theme(id="troops", title="Troops", description="", keywords={"united states": 2})
    assert other_names(troops, lexicon, pairs) == {}


def test_a_short_form_the_corpus_also_writes_as_a_word_is_not_added(lexicon):
    """Where the articles also write "aid" as a word, a theme naming the Agency for International
    Development does not take every sentence about food aid."""
    agency = Theme(id="agency", title="The Agency for International Development", description="")
    texts = [*ALLIANCE_TEXTS, "Food aid reached the valley by truck."]
    assert "AID" not in relevance_of(texts, [agency], lexicon).expansions[0]
    assert "AID" in relevance_of(ALLIANCE_TEXTS, [agency], lexicon).expansions[0]


def test_a_bracketed_aside_defines_no_abbreviation():
    from briefing.pipeline.abbreviations import defined, long_form

    assert defined(["Exports fell (Reuters) in 2022 (by a third).", "The ministry (in Russian) said so.",
                    "A deal was signed (AB) yesterday.", "Its share (PR) rose."]) == {}
    assert long_form("OSCE", "the Organization for Security and Co-operation in Europe") == \
        "Organization for Security and Co-operation in Europe"
    assert long_form("USGS", "said the US Geological Survey") == "US Geological Survey"


def test_abbreviations_read_off_the_sources_are_those_read_off_their_sentences():
    """A build reads the definitions off each source's text within its sentences' spans (making every
    sentence's text took seconds at 10,000 articles): the same pairs as from the sentences, and none
    from text that cleaning left out of every sentence."""
    from briefing.pipeline.abbreviations import Abbreviations

    text = ("Photo: the Big Old Caption (BOC).\n\nMinisters of the Collective Security Treaty Organization (CSTO) "
            "met. The World Food Programme (WFP) said so.")
    spans = [(text.index("Ministers"), text.index("met.") + 4), (text.index("The World"), len(text))]
    sentences = [text[a:b] for a, b in spans]
    assert Abbreviations.of_sources([text], [spans]).pairs == Abbreviations.of_sentences(sentences).pairs == {
        "CSTO": "Collective Security Treaty Organization", "WFP": "World Food Programme"}
