"""Sentence spans: Punkt trained on the text itself, abbreviations, broken sentences, offsets."""

from briefing.model import Source, Span
from briefing.segment import sentences_of, train_tokenizer


def sentences(text: str) -> list[str]:
    source = Source("S1", "a.txt", "0", text, body=(Span(0, len(text)),))
    tok = train_tokenizer([text])
    found = sentences_of(source, tok)
    for s in found:
        assert " ".join(text[s.start:s.end].split()) == s.text
    return [s.text for s in found]


def test_common_abbreviations_do_not_end_sentences():
    text = ("Mr. Smith met Gen. Ivanov in St. Petersburg on Nov. 20 to discuss U.S. aid. "
            "They agreed on a plan. Talks continue next week.")
    assert sentences(text) == [
        "Mr. Smith met Gen. Ivanov in St. Petersburg on Nov. 20 to discuss U.S. aid.",
        "They agreed on a plan.",
        "Talks continue next week.",
    ]


def test_a_broken_sentence_that_continues_in_lower_case_is_joined():
    text = "The leader did not speak. of the war at the summit. Officials said nothing more."
    assert sentences(text) == ["The leader did not speak. of the war at the summit.", "Officials said nothing more."]


def test_closing_curly_quotes_stay_with_their_sentence():
    text = "“We want to be respected,” he said. “Nothing else.” The room fell silent."
    assert sentences(text)[-1] == "The room fell silent."
    assert sentences(text)[0] == "“We want to be respected,” he said."


def test_offsets_point_into_the_text_as_read():
    text = "Intro line\r\nFirst  sentence here.\r\nSecond\nsentence wraps."
    source = Source("S1", "a.txt", "0", text, body=(Span(12, len(text)),))
    found = sentences_of(source, train_tokenizer([text]))
    assert [text[s.start:s.end] for s in found] == ["First  sentence here.", "Second\nsentence wraps."]
    assert found[1].text == "Second sentence wraps."
