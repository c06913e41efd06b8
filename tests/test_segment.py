"""Sentence spans: Punkt trained on the text itself, abbreviations, broken sentences, offsets."""

from briefing.model import Source, Span
from briefing.pipeline.segment import sentences_of, train_tokenizer


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


def test_military_ranks_before_a_name_do_not_end_sentences():
    text = ("A court martial found Army Spc. Charles Graner guilty. Pvt. Lynndie England and Pfc. Jeremy Sivits "
            "were tried too, as was Cpl. Ivan Frederick under Brig. Gen. Janis Karpinski. The trials ended.")
    assert sentences(text) == [
        "A court martial found Army Spc. Charles Graner guilty.",
        "Pvt. Lynndie England and Pfc. Jeremy Sivits were tried too, as was Cpl. Ivan Frederick under Brig. Gen. "
        "Janis Karpinski.",
        "The trials ended.",
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


def test_remembered_verdicts_split_as_nltk_punkt_does(monkeypatch):
    """The tokenizer decides each candidate break's context once; its spans are nltk's, also after its
    memory fills and starts afresh, and the regex timeout nltk arms is back in place afterwards."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from briefing.pipeline import segment

    text = ("Mr. Smith met Gen. Ivanov on Nov. 20. They spoke... of U.S. aid! “Why?” he asked. (It was 3 p.m.) "
            "No. 10 said nothing. The E.U. agreed. They agreed. They agreed. It ended at 5 a.m. Officials left.") * 3
    tok = train_tokenizer([text])
    assert isinstance(tok, segment.Tokenizer)
    plain = PunktSentenceTokenizer(tok._params)
    expected = list(plain.span_tokenize(text))
    assert list(tok.span_tokenize(text)) == expected
    assert 0 < len(tok._verdicts) < text.count(".") + text.count("?") + text.count("!")
    monkeypatch.setattr(segment.Tokenizer, "MEMORY", 3)
    small = segment.tokenizer_from_json(segment.tokenizer_to_json(tok))
    assert list(small.span_tokenize(text)) == expected and len(small._verdicts) <= 3
    timeout = getattr(segment.redos, "DEFAULT_TIMEOUT", None)
    segment.sentence_spans(text, 0, len(text), tok)
    assert getattr(segment.redos, "DEFAULT_TIMEOUT", None) == timeout


def test_the_training_sample_is_bounded_and_depends_only_on_the_texts():
    from briefing.pipeline import segment

    texts = [(f"{n:03d}", "x" * 30_000) for n in range(40)]
    sample = segment.training_sample(list(reversed(texts)))
    assert sample == segment.training_sample(texts) == [f"{n:03d}" for n in range(len(sample))]
    assert (len(sample) - 1) * 30_000 < segment.TRAINING_CHARACTERS <= len(sample) * 30_000
    assert segment.training_sample(texts[:3]) == ["000", "001", "002"]


def test_punkt_learns_from_a_bounded_share_of_a_huge_file(monkeypatch):
    # The sample stops once it has TRAINING_CHARACTERS, but its last text was learnt whole: one 4 MB
    # file of a single sentence took Punkt's training 16 s and a gigabyte (an object for every word).
    from nltk.tokenize.punkt import PunktTrainer

    from briefing.pipeline import segment

    seen: list[str] = []
    learn = PunktTrainer.train
    monkeypatch.setattr(PunktTrainer, "train", lambda self, text, *a, **k: (seen.append(text), learn(self, text, *a, **k)))
    article = "The port of Valmora reopened on Monday. Dr. Ruiz said grain exports would resume. " * 20
    tokenizer = segment.train_tokenizer([article, "word " * 800_000, article])
    assert seen[0] == article and len(seen) == 2  # the huge text cut, and nothing learnt after the limit
    assert sum(map(len, seen)) <= 2 * segment.TRAINING_CHARACTERS and seen[1].endswith("word")
    assert [s for _, s in tokenizer.span_tokenize(article[:81])] == [39, 81]  # still splits at sentence ends


def test_the_sentence_table_gives_each_sources_sentences_in_order_without_making_them_all():
    from briefing.model import Source
    from briefing.pipeline.segment import SentenceTable, sentences_at

    a = Source("S1", "a.txt", "0", "First one here.  Second\n one here.")
    b = Source("S2", "b.txt", "0", "Only one.")
    spans = [((0, 15), (17, 34)), ((0, 9),)]
    table = SentenceTable([a, b], spans)
    expected = sentences_at(a, spans[0]) + sentences_at(b, spans[1])
    assert len(table) == 3 and list(table) == expected
    assert [table[i] for i in range(3)] == expected and table[-1] == expected[-1] and table[1:] == expected[1:]
    assert table[1].text == "Second one here." and table[1].index == 1 and table[2].index == 0
    assert list(table.texts) == [s.text for s in expected]
    assert table.span_of(2) == ("S2", 0, 9) and table.source_index.tolist() == [0, 0, 1]


def test_a_name_after_an_abbreviation_is_not_cut_off():
    """"U.S. House" and "U.N. Secretary-General" are names made of common words ("the house", "the
    secretary-general"): Punkt cut them after the abbreviation, and the brief quoted "… a bill passed in
    the U.S." and "House of Representatives and the Senate …" as two sentences."""
    text = ("Donors may deduct their gifts, thanks to a bill quickly passed in the U.S. House of Representatives "
            "and the Senate on a voice vote. The house was full.\n"
            "U.N. Secretary-General Ban Ki-moon told reporters the targets may be too ambitious. "
            "The secretary-general spoke in Bali. He left on Friday.")
    assert sentences(text) == [
        "Donors may deduct their gifts, thanks to a bill quickly passed in the U.S. House of Representatives and "
        "the Senate on a voice vote.",
        "The house was full.",
        "U.N. Secretary-General Ban Ki-moon told reporters the targets may be too ambitious.",
        "The secretary-general spoke in Bali.",
        "He left on Friday.",
    ]


def test_a_sentence_that_ends_on_an_abbreviation_is_not_run_into_the_next():
    """A sentence may end on "U.S.", "Inc." or "p.m."; "The" after it opens the next one, though Punkt
    has seen "The" mid-sentence (in "The Hobbit", "The New York Times") and kept the two as one."""
    text = ("The New York Times said the author of The Hobbit moved to the U.S. The move was a success. "
            "He works at Apple Inc. The company makes phones. The meeting ended at 3 p.m. The delegates left. "
            "It resumed at 9 a.m. Tuesday. The firm sold food, water, etc. It made a profit. The session ended "
            "at 4:10 a.m. Most senators left.")
    assert sentences(text) == [
        "The New York Times said the author of The Hobbit moved to the U.S.",
        "The move was a success.",
        "He works at Apple Inc.",
        "The company makes phones.",
        "The meeting ended at 3 p.m.",
        "The delegates left.",
        "It resumed at 9 a.m. Tuesday.",
        "The firm sold food, water, etc.",
        "It made a profit.",
        "The session ended at 4:10 a.m.",
        "Most senators left.",
    ]


def test_a_nickname_after_an_initial_does_not_cut_the_name():
    """Punkt ended a sentence after "Ivan L." (no capital follows it, a quotation mark does), and the
    brief offered "“Chip” Frederick, now serving an 8-year sentence …" as a sentence of its own."""
    text = ("Testimony was also heard from Pvt. Ivan L. “Chip” Frederick, now serving an 8-year sentence. "
            "The court heard Staff Sgt. Ivan L. \"Chip\" Frederick II by phone. The grade was a B. \"Good\" "
            "work, he said. He got an A. “Excellent,” the teacher wrote.")
    assert sentences(text) == [
        "Testimony was also heard from Pvt. Ivan L. “Chip” Frederick, now serving an 8-year sentence.",
        "The court heard Staff Sgt. Ivan L. \"Chip\" Frederick II by phone.",
        "The grade was a B.",
        "\"Good\" work, he said.",
        "He got an A.",
        "“Excellent,” the teacher wrote.",
    ]


def test_a_closing_quotation_mark_cut_off_after_the_full_stop_stays_with_its_sentence():
    """A writer's `loss.".` : Punkt ended the sentence at the full stop and made `".` a sentence, and the
    last sentence of the quotation lost its closing mark (so it read as the article's own words)."""
    text = ('Findings were reported in several papers. He said: "Two satellites went over. What we hope to do is '
            'develop technologies that can minimize that loss.".')
    assert sentences(text) == [
        "Findings were reported in several papers.",
        'He said: "Two satellites went over.',
        'What we hope to do is develop technologies that can minimize that loss.".',
    ]
