"""Theme relevance on stems and phrases, and a clear best theme per sentence."""

import numpy as np

from briefing.config import Theme
from briefing.themes import ThemeMatcher, relevance_of

LABOUR = Theme(id="labour", title="Labour unrest", description="Strikes and unions.",
               keywords={"strike": 3, "union": 2, "collective bargaining": 3})
TRADE = Theme(id="trade", title="Trade", description="Exports and shipping.",
              keywords={"export": 3, "shipping lines": 2.5})


def test_keywords_match_on_stems(lexicon):
    m = ThemeMatcher.of(LABOUR, lexicon)
    assert m.hits(lexicon.stems("Dockers were striking for a third day.")) == {("strike",): 3}


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
