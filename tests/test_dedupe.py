"""Same facts in other words: clusters, republished sources, independent support."""

import re

import numpy as np
import pytest

from briefing.model import Metadata, Sentence, Source
from briefing.pipeline.dedupe import facts_of
from briefing.similarity import Likeness

ORIGINAL = [
    "Dock workers in Valmora extended their strike on Monday, halting the country's container exports.",
    "The union said talks with the port authority had collapsed entirely after a week of meetings.",
    "Shipping lines have begun rerouting their vessels to the southern port of Serrat.",
    "Economists warned that growth could fall below one percent this year.",
]
PARAPHRASE = [
    "Dock workers in Valmora prolonged their strike on Monday, stopping the country's container exports.",
    "The union said negotiations with the port authority had completely collapsed after a week of meetings.",
    "Shipping companies have started rerouting their vessels to the southern port of Serrat.",
    "Economists cautioned that growth could drop below one percent this year.",
]
OTHER = [
    "The prime minister promised on Tuesday to meet the union leaders next week.",
    "Farmers fear their grain will rot in the silos while the strike continues.",
    "The strike halted the country's container exports, officials at the ministry confirmed.",
]


def corpus():
    sources = [Source("S1", "a.txt", "0", ""), Source("S2", "b.txt", "0", ""), Source("S3", "c.txt", "0", "")]
    sentences = [Sentence(sid, k, k + 1, text, k)
                 for sid, texts in (("S1", ORIGINAL), ("S2", PARAPHRASE), ("S3", OTHER))
                 for k, text in enumerate(texts)]
    return sources, sentences


def test_a_paraphrased_copy_is_marked_as_a_republication_of_the_first(lexicon):
    sources, sentences = corpus()
    likeness = Likeness.of([s.text for s in sentences], lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, 0.5)
    assert facts.original == {"S2": "S1"}


def test_the_earlier_dated_source_is_the_original(lexicon):
    sources, sentences = corpus()
    sources[1] = sources[1].with_(metadata=Metadata(date="2022-01-01"))
    sources[0] = sources[0].with_(metadata=Metadata(date="2022-02-01"))
    facts = facts_of(sources, sentences, Likeness.of([s.text for s in sentences], lexicon).vectors, 0.5)
    assert facts.original == {"S1": "S2"}


def test_a_republication_adds_no_independent_support(lexicon):
    sources, sentences = corpus()
    facts = facts_of(sources, sentences, Likeness.of([s.text for s in sentences], lexicon).vectors, 0.5)
    assert facts.same_fact(0, 4)
    assert facts.support[0] == facts.support[4] == 1


def test_two_copies_of_a_short_wire_story_are_one_source(lexicon):
    # Two outlets ran the same two-sentence wire story under their own headlines and datelines: one
    # report, not two independent sources (the brief said "high confidence: 3 sources" where there were 2).
    story = ["A suicide bomber killed 12 people at a checkpoint in the northern city on Monday, police said.",
             "The attack was the deadliest in the province since the elections in March."]
    copy = ["A suicide bomber killed twelve people at a checkpoint in the northern city on Monday, police said.",
            "The attack was the deadliest in the province since the elections in March, officials added."]
    other = ["Twelve people were killed when a suicide bomber struck a checkpoint in the northern city on Monday.",
             "Hospitals in the city appealed for blood donors after the attack on the checkpoint.",
             "The governor ordered all schools in the province closed until Thursday."]
    sources = [Source("S1", "a.txt", "0", ""), Source("S2", "b.txt", "1", ""), Source("S3", "c.txt", "2", "")]
    sentences = [Sentence(sid, k, k + 1, text, k)
                 for sid, texts in (("S1", story), ("S2", copy), ("S3", other)) for k, text in enumerate(texts)]
    facts = facts_of(sources, sentences, Likeness.of([s.text for s in sentences], lexicon).vectors, 0.5)
    assert facts.original == {"S2": "S1"}
    assert facts.support_of(0) == facts.support_of(2) <= 2
    # one close sentence of a one-sentence source is still its own report of the event
    sources, sentences = sources[:2], [Sentence("S1", 0, 1, story[0], 0), Sentence("S2", 0, 1, copy[0], 0)]
    facts = facts_of(sources, sentences, Likeness.of([s.text for s in sentences], lexicon).vectors, 0.5)
    assert facts.original == {} and facts.support_of(0) == 2


def test_a_source_that_reports_another_outlets_story_is_no_independent_support(lexicon):
    # "…, Reuters reported" in one paper restates Reuters' own story: one report, cited once, not two.
    story = "The army withdrew from the district of Chak on Monday after a week of heavy fighting"
    texts = [("S1", "Reuters", f"{story}, the defence ministry said."),
             ("S2", "The Daily Star", f"{story}, Reuters reported."),
             ("S3", "The Times", f"{story}, the governor said."),
             ("S4", "The Herald", f"{story}, The Moscow Times reported.")]
    sources = [Source(sid, f"{sid}.txt", str(k), "").with_(metadata=Metadata(publication=outlet))
               for k, (sid, outlet, _) in enumerate(texts)] + [Source("S5", "S5.txt", "5", "")]
    sentences = [Sentence(sid, 0, 1, text, 0) for sid, _, text in texts] + [
        Sentence("S5", k, k + 1, text, k) for k, text in enumerate(OTHER)]
    facts = facts_of(sources, sentences, Likeness.of([s.text for s in sentences], lexicon).vectors, 0.5)
    assert facts.same_fact(0, 1) and facts.same_fact(0, 2) and facts.same_fact(0, 3)
    assert facts.stating(0) == [2, 3] and facts.support_of(0) == 3  # the Times' and the Herald's own reports
    assert facts.stating(1) == [2, 3]  # nor does Reuters' story count for the paper that reports it
    assert 3 in facts.stating(2)  # "The Moscow Times" is not The Times


def test_unrelated_sentences_are_not_alike(lexicon):
    _, sentences = corpus()
    likeness = Likeness.of([s.text for s in sentences], lexicon)
    assert likeness.cosine(0, 8) < 0.2 and likeness.overlap(0, 8) < 0.25
    assert likeness.cosine(0, 4) >= 0.5  # the same fact in other words


def known_leaders(sigs, old):
    """The last build's leaders table, of the sentences `old` alone, numbered as in `sigs`."""
    from briefing.pipeline.dedupe import bucket_leaders

    table = np.full((len(sigs), bucket_leaders(sigs[:0]).shape[1]), -1, dtype=np.int32)
    found = bucket_leaders(sigs[old])
    table[old] = np.where(found >= 0, old[np.maximum(found, 0)], -1)
    return table


def test_leaders_of_sentences_added_at_the_end_are_those_a_fresh_search_finds(lexicon):
    from briefing.pipeline.dedupe import bucket_leaders, bucket_leaders_since, candidate_pairs, pairs_of
    from briefing.pipeline.features import features_of

    texts = (ORIGINAL + OTHER) * 3 + PARAPHRASE + ORIGINAL + ["A sentence about nothing else in this corpus at all."]
    sigs = features_of(texts, lexicon).signature
    old = np.arange(len(texts) - len(PARAPHRASE) - len(ORIGINAL) - 1)
    since = bucket_leaders_since(sigs, known_leaders(sigs, old), np.arange(len(old), len(texts)))
    assert (since == bucket_leaders(sigs)).all()
    assert len(candidate_pairs(sigs)) > len(candidate_pairs(sigs[old])) > 0
    assert sorted(map(tuple, pairs_of(since).tolist())) == sorted(map(tuple, candidate_pairs(sigs).tolist()))


def test_leaders_of_sentences_added_anywhere_are_those_a_fresh_search_finds():
    """New sentences among and before the known ones, some leading buckets known sentences were in."""
    from briefing.pipeline.dedupe import bucket_leaders, bucket_leaders_since
    from briefing.pipeline.features import BANDS, EMPTY, ROWS

    rng = np.random.default_rng(7)
    for trial in range(20):
        n = 300
        sigs = rng.integers(0, 3, size=(n, BANDS * ROWS)).astype(np.uint32)  # 27 buckets a band: many shared
        sigs[rng.random(n) < 0.05] = EMPTY  # sentences without content terms are in no bucket
        new = np.flatnonzero(rng.random(n) < (0.02 if trial % 2 else 0.2))
        new = np.union1d(new, [0]) if trial % 3 == 0 else new  # a new first sentence leads every bucket it is in
        old = np.setdiff1d(np.arange(n), new)
        assert (bucket_leaders_since(sigs, known_leaders(sigs, old), new) == bucket_leaders(sigs)).all()


def test_a_new_sentence_before_the_known_ones_leads_their_bucket_and_states_their_fact(lexicon):
    from briefing.pipeline.dedupe import bucket_leaders, bucket_leaders_since, facts_from, pairs_of, verified
    from briefing.pipeline.features import features_of

    texts = [PARAPHRASE[0]] + ORIGINAL + ORIGINAL
    features = features_of(texts, lexicon)
    sigs, likeness = features.signature, Likeness.of_features(features)
    since = bucket_leaders_since(sigs, known_leaders(sigs, np.arange(1, len(texts))), np.array([0]))
    assert (since == bucket_leaders(sigs)).all() and (since[5] == 0).any()  # 5 restates 1; 0 now leads them
    sources = [Source("S1", "a.txt", "0", "")]
    facts = facts_from(sources, np.zeros(len(texts), dtype=np.int64), likeness.vectors, sigs, 0.5,
                       verified(pairs_of(since), likeness.vectors, 0.5))
    assert facts.same_fact(0, 1) and facts.same_fact(0, 5) and facts.same_fact(1, 5)
    assert 1 in facts.stating_all(5) and 5 in facts.stating_all(1)  # paired only through their bucket's first, checked


def copies_corpus(n_copies: int, order_seed: int, paraphrase: bool = False):
    """`n_copies` byte-identical copies of one article (and a paraphrase of it), beside an unrelated
    source, in a shuffled file order (all undated, so file order decides which copy is the original)."""
    rng = np.random.default_rng(order_seed)
    article = [(f"C{k}", ORIGINAL) for k in range(n_copies)] + ([("P", PARAPHRASE)] if paraphrase else [])
    article += [("O", OTHER)]
    order = rng.permutation(len(article))
    article = [article[k] for k in order]
    sources = [Source(sid, f"{sid}.txt", "0", "") for sid, _ in article]
    sentences = [Sentence(sid, k, k + 1, text, k) for sid, texts in article for k, text in enumerate(texts)]
    return sources, sentences


@pytest.mark.parametrize("n_copies, paraphrase", [
    (2, False), (5, False), (100, False), (2, True), (5, True), (100, True)])
@pytest.mark.parametrize("order_seed", [0, 1, 2])
def test_copies_of_one_article_collapse_to_one_original_and_support_one(lexicon, n_copies, order_seed, paraphrase):
    sources, sentences = copies_corpus(n_copies, order_seed, paraphrase)
    likeness = Likeness.of([s.text for s in sentences], lexicon)
    facts = facts_of(sources, sentences, likeness.vectors, 0.5)
    article = {s.id for s in sources} - {"O"}
    roots = set(facts.original.values())
    assert len(roots) == 1, facts.original  # every copy names the same original ...
    (root,) = roots
    assert root in article and root not in facts.original  # ... which is itself no copy: no chains, no cycles
    assert set(facts.original) == article - {root}
    own = [k for k, s in enumerate(sentences) if s.source in article]
    assert set(facts.support[own].tolist()) == {1}  # one article, however often copied: one source
    # what brief.json's stats say agrees: one independent source for the article, one for the other
    assert len(sources) - len(facts.original) == 2


def test_minhash_signatures_take_bounded_memory_for_a_sentence_of_any_length():
    # Signatures were hashed a block of sentences at a time, every term a row of 72 64-bit hashes:
    # one 800,000-word sentence (a 4 MB file with no full stop) took a gigabyte. Each value is still
    # the minimum of the sentence's term hashes. The peak is a bomb guard, not a target.
    import tracemalloc

    import numpy as np

    from briefing.pipeline.features import _MULTIPLIERS, _OFFSETS, EMPTY, signatures

    rng = np.random.default_rng(7)
    lengths = np.array([5, 0, 400_000, 12, 3])
    term_start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    terms = rng.integers(0, 2**32, size=int(term_start[-1]), dtype=np.uint64).astype(np.uint32)
    tracemalloc.start()
    try:
        found = signatures(terms, term_start)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 150_000_000  # 400,000 terms hashed at once: 230 MB for each of several temporaries
    for i in range(len(lengths)):
        own = terms[term_start[i] : term_start[i + 1]].astype(np.uint64)
        if not len(own):
            assert (found[i] == EMPTY).all()
            continue
        own = own[:20_000]  # for the long sentence, its first 20,000 terms: the minimum over all is no higher
        expected = ((own[:, None] * _MULTIPLIERS[None, :] + _OFFSETS[None, :]) >> np.uint64(32)).astype(np.uint32).min(0)
        assert (found[i] <= expected).all() if len(own) < lengths[i] else (found[i] == expected).all()


# -- close wording is not the same claim -------------------------------------------------------------

CUT = "Saudi Arabia will cut its oil production by two million barrels a day from November, the ministers agreed."
CLAIMS = {
    "S1": [CUT],
    "S2": ["Saudi Arabia will not cut its oil production by two million barrels a day from November, "
           "the ministers agreed."],
    "S3": ["Saudi Arabia will cut its oil production by five million barrels a day from November, "
           "the ministers agreed."],
    "S4": ["The ministers agreed that Saudi Arabia will cut its oil production by 2,000,000 barrels a day "
           "from November."],
    "S5": ["Saudi Arabia will cut its oil production by two million barrels a day, the ministers agreed."],
}


def claims_corpus(claims):
    sources = [Source(sid, f"{sid}.txt", sid, "") for sid in claims]  # distinct files: none a copy
    sentences = [Sentence(sid, k, k + 1, text, k) for sid, texts in claims.items() for k, text in enumerate(texts)]
    return sources, sentences


def test_a_denial_or_another_number_never_corroborates_a_claim(lexicon):
    """The same words with "not", or with five million for two, is another claim: it is no support.
    Two million written in figures, or with the date left out, is the same claim."""
    sources, sentences = claims_corpus(CLAIMS)
    likeness = Likeness.of([s.text for s in sentences], lexicon)
    assert (likeness.vectors[0] @ likeness.vectors[1:3].T).toarray().min() > 0.95  # alike in words
    facts = facts_of(sources, sentences, likeness.vectors, 0.5)
    assert facts.stating(0) == [3, 4]
    assert facts.support.tolist() == [3, 1, 1, 3, 3]
    assert not facts.same_fact(0, 1) and not facts.same_fact(0, 2) and not facts.same_fact(1, 2)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Flight 447 vanished over the Atlantic on June 1 after leaving Rio de Janeiro for Paris.",
     "Flight 447, carrying 228 people, vanished over the Atlantic after leaving Rio de Janeiro for Paris.", True),
    ("More than 200,000 Russians have entered Kazakhstan since the mobilisation was announced.",
     "More than two hundred thousand Russians have entered Kazakhstan since the mobilisation was announced.", True),
    ("Vinokourov of Kazakhstan won stage 15 of the 2007 Tour de France on Sunday.",
     "Vinokourov of Kazakhstan won stage 13 of the 2007 Tour de France on Sunday.", False),
    ("The death toll from the earthquake in the capital could rise as high as 200,000, officials estimated.",
     "The death toll from the earthquake in the capital is 110,000, officials estimated.", False),
    ("Kazakhstan did not recognise the breakaway republics, its president said in St Petersburg.",
     "Kazakhstan recognised the breakaway republics, its president said in St Petersburg.", False),
    ("Not only Kazakhstan but also Uzbekistan warned citizens they risk jail for joining the fight.",
     "Kazakhstan and also Uzbekistan warned citizens they risk jail for joining the fight.", True),
    ("Oil prices rose sharply on Monday after the cartel's decision on production quotas.",
     "Oil prices fell sharply on Monday after the cartel's decision on production quotas.", False),
    ("The parliament approved the government's proposal to privatise the state railway company.",
     "The parliament rejected the government's proposal to privatise the state railway company.", False),
    ("Oil prices rose sharply on Monday after the cartel's decision, while gas prices fell.",
     "Oil prices rose sharply on Monday after the cartel's decision on production quotas.", True),
    ("Moscow accused Astana of supplying artillery shells to Kyiv through a Turkish intermediary.",
     "Astana has been supplying artillery shells to Kyiv through a Turkish intermediary.", False),
    ("Astana allegedly supplied artillery shells to Kyiv through a Turkish intermediary in the spring.",
     "Astana supplied artillery shells to Kyiv through a Turkish intermediary in the spring.", False),
    ("Astana allegedly supplied artillery shells to Kyiv through a Turkish intermediary in the spring.",
     "Astana reportedly supplied artillery shells to Kyiv through a Turkish intermediary in the spring.", True),
    # a bound or a hedge denies nothing; a negated condition still does
    ("Rescuers said no fewer than 40 villagers were trapped under the collapsed school in the valley.",
     "Rescuers said 40 villagers were trapped under the collapsed school in the valley.", True),
    ("Beijing will seek closer economic, if not political, ties with the five republics, diplomats said.",
     "Beijing will seek closer economic ties with the five republics, diplomats said.", True),
    ("Many of the injured could die if not airlifted to the capital soon, a doctor at the hospital said.",
     "Many of the injured could die if airlifted to the capital soon, a doctor at the hospital said.", False),
    ("The panel is charged with assessing what the government knew about the spill in the spring.",
     "The panel is assessing what the government knew about the spill in the spring.", True),
    # close in who speaks, not in what is said: one spokesman on two things, one governor on two things
    ("Kremlin spokesman Dmitry Peskov told reporters in Moscow on Monday that the talks in Astana had been constructive.",
     "Kremlin spokesman Dmitry Peskov told reporters in Moscow on Monday that Moscow would send more troops to the border.", False),
    ("Floods have cut the coastal road, the regional governor Ana Ruiz told state radio on Sunday.",
     "The harvest will be late, the regional governor Ana Ruiz told state radio on Sunday.", False),
    # ... while one claim from two speakers, one speaker's claim in other words, and a passive, still are
    ("The port of Serrat will reopen to container ships on Friday, the harbour master said.",
     "The port of Serrat will reopen to container ships on Friday, according to the shipping ministry.", True),
    ("Governor Ana Ruiz said she was hopeful that the missing fishermen would be found alive.",
     "Governor Ana Ruiz said the chances of finding the missing fishermen alive were good.", True),
    ("No injuries were reported after the blast at the Serrat refinery.",
     "No injuries have been reported after the blast at the Serrat refinery on Tuesday.", True),
])
def test_sources_corroborate_only_what_they_both_claim(lexicon, a, b, same):
    sources, sentences = claims_corpus({"S1": [a], "S2": [b]})
    facts = facts_of(sources, sentences, Likeness.of([a, b], lexicon).vectors, 0.5)
    assert facts.same_fact(0, 1) is same
    assert facts.support.tolist() == ([2, 2] if same else [1, 1])


def test_an_allegation_neither_corroborates_nor_disputes_what_another_source_states(lexicon):
    """"Moscow accused Astana of supplying shells" is no support for "Astana supplied shells", and no
    denial of it either: the pair supports nothing and disputes nothing, though selection still never
    quotes both (they read alike), and the corpus is said to speak of it twice."""
    a = "Astana allegedly supplied artillery shells to Kyiv through a Turkish intermediary in the spring."
    b = "Astana supplied artillery shells to Kyiv through a Turkish intermediary in the spring."
    sources, sentences = claims_corpus({"S1": [a], "S2": [b]})
    facts = facts_of(sources, sentences, Likeness.of([a, b], lexicon).vectors, 0.5)
    assert facts.support.tolist() == [1, 1] and facts.stating(0) == facts.stating(1) == []
    assert facts.disputing(0) == facts.disputing(1) == []
    assert facts.alike[0, 1] and facts.reporting.tolist() == [2, 2]
    assert not facts.contrary(0, 1)


@pytest.mark.parametrize(("a", "b", "relation"), [
    ("Vinokourov of Kazakhstan won stage 15 of the 2007 Tour de France on Sunday.",
     "Vinokourov of Kazakhstan won stage 13 of the 2007 Tour de France on Sunday.", "distinct"),
    ("The assembly adopted chapter 3 of the draft constitution after a long debate on Monday.",
     "The assembly adopted chapter 4 of the draft constitution after a long debate on Monday.", "distinct"),
    ("The coordinated bombings struck the city's transport system in the morning rush hour, three of them within 50 seconds.",
     "The coordinated bombings struck the city's transport system in the morning rush hour of July 7, 2005.", "distinct"),
    ("Rasmussen of Denmark kept his overall lead by 2 minutes 23 seconds over Contador of Spain.",
     "Rasmussen of Denmark kept his overall lead, finishing 11th in the stage over Contador of Spain.", "distinct"),
    # a count, or a rating of one thing, is still disputed by another figure, whatever the words beside
    # it, as are two dates and two ranks
    ("The death toll from the earthquake in the capital rose to 200,000 by Monday night.",
     "The death toll from the earthquake in the capital is 110,000 by Monday night.", "contrary"),
    ("The earthquake in the capital has killed at least 200,000 people, the health ministry said.",
     "The earthquake in the capital has killed as many as 150,000, the health ministry said.", "contrary"),
    ("The presidents signed the border treaty in Astana on May 3, the foreign ministry said.",
     "The presidents signed the border treaty in Astana on May 5, the foreign ministry said.", "contrary"),
    ("Vinokourov of Kazakhstan finished 11th in the time trial of the Tour de France on Sunday.",
     "Vinokourov of Kazakhstan finished 12th in the time trial of the Tour de France on Sunday.", "contrary"),
    ("The storm strengthened into a category 4 hurricane before it reached the coast on Friday.",
     "The storm strengthened into a category 5 hurricane before it reached the coast on Friday.", "contrary"),
    ("Rebels killed 50 villagers in the attack on the northern market town, officials said.",
     "Rebels killed 60 villagers in the attack on the northern market town, officials said.", "contrary"),
])
def test_two_numbered_things_in_the_same_words_neither_corroborate_nor_dispute(lexicon, a, b, relation):
    """"Won stage 13" and "won stage 15" are two facts about two stages, not two counts of one thing,
    and a count ("three bombs within 50 seconds") does not dispute a date ("July 7, 2005") nor a rank
    ("11th"): the brief must neither count one as support for the other nor print "disputed by" (it did)."""
    sources, sentences = claims_corpus({"S1": [a], "S2": [b]})
    facts = facts_of(sources, sentences, Likeness.of([a, b], lexicon).vectors, 0.5)
    assert facts.support.tolist() == [1, 1] and facts.relation(0, 1) == relation
    disputed = relation == "contrary"
    assert (facts.disputing(0), facts.disputing(1)) == (([1], [0]) if disputed else ([], []))


def test_a_disagreeing_sentence_is_not_found_through_a_bucket_it_shares(lexicon):
    """With LSH candidates a sentence is paired only with its bucket's first sentence; the sentences
    two pairs away are checked again, and a denial among them is not taken for support."""
    from briefing.pipeline.dedupe import Claims, facts_from

    sources, sentences = claims_corpus({"S1": [CUT], "S2": [CLAIMS["S5"][0]], "S3": [CLAIMS["S2"][0]]})
    texts = [s.text for s in sentences]
    likeness = Likeness.of(texts, lexicon)
    pairs = np.array([[1, 0], [2, 0]])  # both paired with the bucket's first sentence only
    facts = facts_from(sources, np.arange(3), likeness.vectors, np.zeros((3, 72), dtype=np.uint32), 0.5, pairs,
                       Claims(texts))
    assert facts.pairs.tolist() == [[1, 0]]
    facts = facts_from(sources, np.arange(3), likeness.vectors, np.zeros((3, 72), dtype=np.uint32), 0.5,
                       np.array([[1, 0]]), Claims(texts))
    object.__setattr__(facts, "exhaustive", False)
    assert facts.stating(1) == [0]
    assert facts.support_of(2) == 1


def test_a_brief_gives_a_disputed_claim_the_confidence_of_its_own_sources_only(tmp_path):
    """Three sources, three claims in nearly the same words: the brief quotes none of them as
    corroborated by the others ("high confidence: 3 independent sources" was printed before), and
    says which sources state the contrary (one of the three is quoted: they read alike)."""
    import json

    from briefing.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    filler = {"S1": ["Energy ministers of the producers' group met in Vienna on Monday to set quotas for next year.",
                     "Analysts said the decision would push crude prices higher over the winter months."],
              "S2": ["Oil ministers gathered in the Austrian capital this week for a closely watched meeting.",
                     "Importing countries in Asia welcomed the outcome of the talks on Wednesday."],
              "S3": ["Delegates from producing nations arrived in Vienna for talks on how much crude to pump.",
                     "Several delegates warned that a deep reduction could backfire if demand weakened."]}
    for sid in ("S1", "S2", "S3"):
        (seeds / f"{sid}.txt").write_text(f"Report {sid}\n\n" + "\n\n".join([filler[sid][0], CLAIMS[sid][0],
                                                                           filler[sid][1]]) + "\n")
    (tmp_path / "themes.yaml").write_text("themes:\n  - id: supply\n    title: Oil supply decisions\n"
                                          "    keywords: [production, cut, oil, barrels]\n")
    assert main(["build", "-q", "--seeds", str(seeds), "--out", str(tmp_path / "out"),
                 "--themes", str(tmp_path / "themes.yaml"), "--format", "json", "--format", "md",
                 "--format", "docx"]) == 0
    brief = json.loads((tmp_path / "out" / "brief.json").read_text())
    items = brief["key_judgments"] + [i for s in brief["sections"] for i in s["items"]]
    quoted = [i for i in items if "Saudi Arabia" in i["text"]]
    assert quoted
    assert all(i["support"] == 1 and len(i["citations"]) == 1 for i in quoted)
    markdown = (tmp_path / "out" / "brief.md").read_text()
    assert "(high confidence" not in markdown and "(moderate confidence" not in markdown
    # ... and each names the sources that state the contrary, which the reader finds under Sources
    for item in quoted:
        own = item["citations"][0]["source"]
        assert sorted(c["source"] for c in item["disputed_by"]) == sorted({"S1", "S2", "S3"} - {own})
        others = " and ".join(f"[{s}](#source-{s})" for s in sorted({"S1", "S2", "S3"} - {own}))
        assert f"disputed by {others})*" in markdown
    assert all(f"[{s}]{{#source-{s}}}" in markdown for s in ("S1", "S2", "S3"))
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp_path / "out" / "brief.docx")).paragraphs)
    assert text.count("disputed by S") == len(quoted)
    # the one-page note, which has no Sources list, names them with their titles
    assert main(["build", "-q", "--seeds", str(seeds), "--out", str(tmp_path / "note"), "--template", "note",
                 "--themes", str(tmp_path / "themes.yaml"), "--format", "md"]) == 0
    note = (tmp_path / "note" / "brief.md").read_text()
    assert "Saudi Arabia" in note and "*(disputed: see its note)*" in note
    assert re.search(r"\[\^\d+\]: \*\*S\d\*\*: .*\. Disputed by \*\*S\d\*\* \(\*Report S", note)


def test_explain_says_which_sources_dispute_an_item_and_that_a_runner_up_states_its_contrary(tmp_path, capsys):
    import json

    from briefing.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for sid in ("S1", "S2", "S3"):
        (seeds / f"{sid}.txt").write_text(f"Report {sid}\n\n{CLAIMS[sid][0]}\n\nAnalysts in {sid} watched the "
                                          "meeting of the ministers closely this week.\n")
    (tmp_path / "themes.yaml").write_text("themes:\n  - id: supply\n    title: Oil supply decisions\n"
                                          "    keywords: [production, cut, oil, barrels]\n")
    assert main(["explain", "-q", "--json", "--seeds", str(seeds), "--out", str(tmp_path / "out"),
                 "--themes", str(tmp_path / "themes.yaml")]) == 0
    explanation = json.loads(capsys.readouterr().out)
    entries = explanation["key_judgments"] + [e for t in explanation["themes"] for e in t["items"]]
    quoted = [e for e in entries if "Saudi Arabia" in e["text"]]
    assert quoted and all(sorted(e["disputed_by"]) == sorted({"S1", "S2", "S3"} - {e["source"]}) for e in quoted)
    rivals = [r for t in explanation["themes"] for r in t["runners_up"] if "Saudi Arabia" in r["text"]]
    assert rivals and all("contrary" in r["reason"] for r in rivals)


def built_from(tmp_path, reports, filler, theme, *formats):
    """`briefing build` on one report per source (its text, then a sentence "Diplomats in S1 <filler>
    closely this week."), with one theme (its YAML lines); the command-line arguments and brief.json."""
    import json

    from briefing.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for sid, text in reports.items():
        (seeds / f"{sid}.txt").write_text(f"Report {sid}\n\n{text}\n\nDiplomats in {sid} {filler} closely this week.\n")
    (tmp_path / "themes.yaml").write_text(f"themes:\n  - {theme}\n")
    args = ["--seeds", str(seeds), "--out", str(tmp_path / "out"), "--themes", str(tmp_path / "themes.yaml")]
    assert main(["build", "-q", *args, "--format", "json", *(a for f in formats for a in ("--format", f))]) == 0
    return args, json.loads((tmp_path / "out" / "brief.json").read_text())


def items_saying(brief, words):
    """The brief's items (key judgments and sections) whose text has these words."""
    return [i for i in brief["key_judgments"] + [i for s in brief["sections"] for i in s["items"]] if words in i["text"]]


ALLEGED = {"S1": "Moscow accused Astana of supplying artillery shells to Kyiv through a Turkish intermediary.",
           "S2": "Moscow has accused Astana of supplying artillery shells to Kyiv through a Turkish intermediary.",
           "S3": "Astana has been supplying artillery shells to Kyiv through a Turkish intermediary."}


def test_a_brief_does_not_count_an_allegation_as_support_for_the_fact(tmp_path, capsys):
    """Two sources report Moscow's accusation, a third states the thing as fact: the fact has one
    independent source (it used to have three: high confidence), the accusation two, and neither is
    said to dispute the other; explain says a runner-up words it as an allegation."""
    import json

    from briefing.cli import main

    args, brief = built_from(tmp_path, ALLEGED, "followed the row between the two capitals",
                             "id: arms\n    title: Arms supplies\n    keywords: [artillery, shells, supplying, weapons]",
                             "md")
    items = items_saying(brief, "Turkish intermediary")
    assert len(items) == 1  # the three read alike: one is quoted
    item = items[0]
    expected = 2 if "accused" in item["text"] else 1
    assert item["support"] == expected and len(item["citations"]) == expected
    assert item["disputed_by"] == []
    assert "(high confidence" not in (tmp_path / "out" / "brief.md").read_text()
    assert main(["explain", "-q", "--json", *args]) == 0
    explanation = json.loads(capsys.readouterr().out)
    rivals = [r for t in explanation["themes"] for r in t["runners_up"] if "Turkish intermediary" in r["text"]]
    assert any("as an allegation" in r["reason"] for r in rivals)
    assert not any("contrary" in r["reason"] for r in rivals)


STAGES = {"S1": "Vinokourov of Kazakhstan won stage 13 of the Tour de France on Saturday in the Pyrenees.",
          "S2": "Vinokourov of Kazakhstan won stage 15 of the Tour de France on Saturday in the Pyrenees."}


def test_a_brief_does_not_call_two_numbered_things_a_dispute(tmp_path, capsys):
    """Two sources, two stages won, in nearly the same words: the brief quotes one (they read alike),
    with its own source only and no "disputed by" (it printed "disputed by S2"); explain says the
    runner-up states figures of another thing, not the contrary."""
    import json

    from briefing.cli import main

    args, brief = built_from(tmp_path, STAGES, "followed the race",
                             "id: race\n    title: The race\n    keywords: [stage, won, vinokourov]", "md")
    items = items_saying(brief, "Pyrenees")
    assert len(items) == 1
    assert items[0]["support"] == 1 and items[0]["disputed_by"] == []
    assert "disputed by" not in (tmp_path / "out" / "brief.md").read_text()
    assert main(["explain", "-q", "--json", *args]) == 0
    explanation = json.loads(capsys.readouterr().out)
    rivals = [r for t in explanation["themes"] for r in t["runners_up"] if "Pyrenees" in r["text"]]
    assert rivals and all("figures of another thing" in r["reason"] for r in rivals)


def test_what_a_sentence_claims_is_kept_with_its_cached_features(lexicon):
    """A warm build reads features from the cache: the claims must come back as they were made."""
    from briefing.pipeline.features import Features, features_of

    texts = [CUT, CLAIMS["S2"][0], CLAIMS["S3"][0], "Oil prices fell on Monday.", "Talks went on."]
    made = features_of(texts, lexicon)
    back = Features.from_bytes(made.to_bytes())
    assert made.denies.tolist() == back.denies.tolist() == [False, True, False, False, False]
    assert made.numbers.tolist() == back.numbers.tolist()
    ids = made.numbers.tolist()
    assert ids[0] == ids[1] != ids[2] and ids[3] == ids[4] == 0  # two million twice, five million, none
    assert made.poles.tolist() == back.poles.tolist() and made.poles[3] and not made.poles[4]
    alleging = features_of(["Moscow accused Astana of supplying shells to Kyiv.", "Astana supplied shells."], lexicon)
    assert Features.from_bytes(alleging.to_bytes()).alleges.tolist() == alleging.alleges.tolist() == [True, False]
    spoken = features_of(["Prices rose, the Serrat ministry of trade said.", "Prices rose."], lexicon)
    back = Features.from_bytes(spoken.to_bytes())
    assert back.said_lead.tolist() == spoken.said_lead.tolist() == [0, 0]
    assert back.said_tail.tolist() == spoken.said_tail.tolist() == [3, 0]  # serrat, ministry, trade ("said" is a stop word)
    aside = features_of(["The mayor, who was angry, closed the port (and the docks)."], lexicon)
    back = Features.from_bytes(aside.to_bytes())
    # mayor, closed, port in the main clause; angry, docks in its asides
    assert back.main.tolist() == aside.main.tolist() == [True, False, True, True, False]


@pytest.mark.parametrize("text, speaker", [
    ("Kremlin spokesman Dmitry Peskov told reporters that the talks had been constructive.",
     "Kremlin spokesman Dmitry Peskov told reporters that"),
    ("Floods have cut the coastal road, the regional governor told state radio on Sunday.",
     ", the regional governor told state radio on Sunday."),
    ("According to the ministry, exports fell by a third.", "According to the ministry,"),
    ("\u201cWe will not go,\u201d Putin said.", "\u201d Putin said."),
    ("Diego Ruiz, a reporter in Serrat, said the quake was felt across the valley.",
     "Diego Ruiz, a reporter in Serrat, said"),
    ("No injuries have been reported.", ""),  # a passive names nobody
    ("At least 130,000 people have left the capital, say the aid agencies.", ", say the aid agencies."),
    ("Russia invaded Ukraine and Putin said nothing.", ""),  # two clauses: no speaker's phrase
    ("The rebuke came from the president, who at a summit in May warned the premier against delay.", ""),
    ("The report said nothing new, and analysts said it was late.", "The report said"),
])
def test_the_words_that_name_a_speaker_are_told_from_what_is_claimed(text, speaker):
    from briefing.pipeline.features import speaker_spans

    lead, tail = speaker_spans(text)
    assert text[:lead] + text[tail:] == speaker


def test_two_statements_of_one_spokesman_are_two_facts_each_from_its_own_source(tmp_path):
    """Two sources quote the same spokesman on two different things: the sentences share the
    spokesman's name and title, not a fact. Each is quoted with its own source; neither is "stated
    by" the other (they used to make one fact with two sources, and only one of them was quoted)."""
    said = {"S1": "Kremlin spokesman Dmitry Peskov told reporters in Moscow on Monday that the talks in Astana had "
                  "been constructive.",
            "S2": "Kremlin spokesman Dmitry Peskov told reporters in Moscow on Monday that Moscow would send more troops to the border."}
    _, brief = built_from(tmp_path, said, "followed the visit of the delegation",
                          "id: kremlin\n    title: What the Kremlin says\n    keywords: [kremlin, peskov, talks, troops]")
    items = items_saying(brief, "Peskov")
    assert sorted(i["text"] for i in items) == sorted(said.values())
    assert all(i["support"] == 1 and len(i["citations"]) == 1 for i in items)


def test_two_statements_of_one_spokesman_are_not_found_through_a_bucket_they_share(lexicon):
    """With LSH candidates, sentences two pairs away are checked again: two statements of one
    spokesman, each paired with a sentence that reports both, do not state each other's fact."""
    from briefing.pipeline.dedupe import Claims, facts_from
    from briefing.pipeline.features import features_of
    from briefing.similarity import TermSpace

    said = "Kremlin spokesman Dmitry Peskov told reporters in Moscow on Monday that"
    texts = [f"{said} the talks in Astana had been constructive and Moscow would send more troops to the border.",
             f"{said} the talks in Astana had been constructive.",
             f"{said} Moscow would send more troops to the border."]
    sources, sentences = claims_corpus({"S1": [texts[0]], "S2": [texts[1]], "S3": [texts[2]]})
    features = features_of(texts, lexicon)
    likeness = Likeness.of(texts, lexicon)
    assert likeness.cosine(1, 2) >= 0.5  # close in words: the spokesman's
    claims = Claims.of_features(texts, features, TermSpace.of(features))
    facts = facts_from(sources, np.arange(3), likeness.vectors, features.signature, 0.5, np.array([[1, 0], [2, 0]]),
                       claims)
    assert facts.pairs.tolist() == [[1, 0], [2, 0]]  # each states part of what the first reports
    object.__setattr__(facts, "exhaustive", False)
    assert facts.stating(1) == [0] and facts.stating(2) == [0]
    assert not facts.same_fact(1, 2)


@pytest.mark.parametrize("word", ["accused", "ALLEGEDLY", "Reportedly", "purportedly", "rumoured", "RUMORS",
                                  "unconfirmed", "Unverified", "suspected of", "claims that", "CHARGED THAT",
                                  "CLAİMED THAT", "claımed that", "UNVERİFİED", "accuſed", "Accusation"])
def test_an_allegation_is_read_as_one_however_its_word_is_cased(word):
    """Every casing the allegation words can take in a news text (capitals, a Turkish dotted or dotless
    i, a long s from an old scan), as the search for them reads it, marks the sentence as alleging."""
    from briefing.pipeline.features import alleges

    assert alleges(f"The ministry {word} the firm dumped steel in the spring.")
    assert not alleges("The ministry said the firm dumped steel in the spring.")


def test_a_sentence_too_long_to_count_in_16_bits_stays_too_long_in_the_cache(lexicon):
    """The cache keeps word counts in 16 bits: a sentence of 65,546 words must not come back as one of
    ten, short enough to quote."""
    from briefing.pipeline.features import Features, features_of

    made = features_of(["Dock " + "workers " * 65_544 + "struck."], lexicon)
    back = Features.from_bytes(made.to_bytes())
    assert made.words[0] >= 65_535 and back.words[0] >= 65_535


@pytest.mark.parametrize(("a", "b", "relation"), [
    # a denial in a verb, not a "not": the army denying a withdrawal disputes it
    ("The rebels said the army had withdrawn from the district of Chak two weeks ago.",
     "The army denied that it had withdrawn from the district of Chak two weeks ago.", "contrary"),
    ("The minister resigned on Tuesday after the scandal over the arms contracts.",
     "The minister refused to resign on Tuesday after the scandal over the arms contracts.", "contrary"),
    ("The government announced that parliamentary elections would be held in March next year.",
     "The government announced that parliamentary elections would be postponed until March next year.", "contrary"),
    ("Russia held joint military exercises with Kazakhstan near the border in September.",
     "Russia cancelled joint military exercises with Kazakhstan near the border in September.", "contrary"),
    ("Russia held joint military exercises with Kazakhstan near the border in September.",
     "Russia called off joint military exercises with Kazakhstan near the border in September.", "contrary"),
    # what could happen, or is planned, is no support for what did, nor a denial of it
    ("The strike killed hundreds of civilians in the northern province, officials said.",
     "The strike could kill hundreds of civilians in the northern province, officials said.", "alleged"),
    ("Russia held joint military exercises with Kazakhstan near the border in September.",
     "Russia planned to hold joint military exercises with Kazakhstan near the border in September.", "alleged"),
    ("Parliamentary elections could be held in March next year if the security situation improves.",
     "The government announced that parliamentary elections would be held in March next year.", "alleged"),
    # a denying verb that is itself negated, or left open, denies nothing and states nothing
    ("The rebels said the army had withdrawn from the district of Chak two weeks ago.",
     "The army did not deny that it had withdrawn from the district of Chak two weeks ago.", "alleged"),
    ("The rebels said the army had withdrawn from the district of Chak two weeks ago.",
     "The army refused to confirm or deny that it had withdrawn from the district of Chak two weeks ago.", "alleged"),
    ("Russia held joint military exercises with Kazakhstan near the border in September.",
     "Russia didn't cancel joint military exercises with Kazakhstan near the border in September.", "alleged"),
    # the same words of another place or another person tell of another thing
    ("A suicide bomber killed 12 people at a crowded vegetable market in Kabul on Monday morning, officials said.",
     "A suicide bomber killed 12 people at a crowded vegetable market in Kandahar on Monday morning, officials said.",
     "distinct"),
    ("A bomb exploded outside a mosque in Herat on Friday, killing worshippers leaving evening prayers.",
     "A bomb exploded outside a mosque in Mazar-i-Sharif on Friday, killing worshippers leaving evening prayers.",
     "distinct"),
    ("Kyrgyz President Sadyr Japarov cancelled the joint military drills planned for October.",
     "Kazakh President Kassym-Jomart Tokayev cancelled the joint military drills planned for October.", "distinct"),
    ("Police arrested the opposition leader Ivan Petrov at his home in the capital on Sunday.",
     "Police arrested the opposition leader Oleg Sidorov at his home in the capital on Sunday.", "distinct"),
])
def test_a_denying_verb_a_possibility_or_another_name_is_no_support(lexicon, a, b, relation):
    """Each pair is close in words, and each used to count as two independent sources for one fact
    (a key judgment of moderate or high confidence): a verb that denies or calls off ("denied",
    "refused", "postponed", "cancelled", "called off") says the contrary, as "not" does, and the brief
    names the source as disputing, but one itself negated or left open ("did not deny", "refused to
    confirm or deny", "didn't cancel") neither denies nor states the fact; a possibility or a plan ("could", "planned to", "if") is no support
    for the event, as an allegation is not; the same words of another place or person ("in Kabul",
    "in Kandahar") tell of two things."""
    sources, sentences = claims_corpus({"S1": [a], "S2": [b]})
    facts = facts_of(sources, sentences, Likeness.of([a, b], lexicon).vectors, 0.5)
    assert facts.alike[0, 1]  # close in words: only what they claim tells them apart
    assert [facts.support_of(0), facts.support_of(1)] == [1, 1] and facts.relation(0, 1) == relation
    assert (facts.stating(0), facts.stating(1)) == ([], [])  # nor is cited as the other's second source
    disputed = relation == "contrary"
    assert (facts.disputing(0), facts.disputing(1)) == (([1], [0]) if disputed else ([], []))


@pytest.mark.parametrize(("a", "b"), [
    ("Russian President Vladimir Putin told Tajik President Emomali Rahmon that Moscow valued the alliance.",
     "Putin told Rahmon that Moscow valued the alliance."),
    ("It doesn't help that the Russian military has suffered a major reputational blow in Ukraine.",
     "It doesn't help that Russia's military has suffered a major reputational blow in Ukraine."),
    ("Kazakh leader Tokayev said he would not recognize the republics of Donetsk and Lugansk in eastern Ukraine.",
     "Kazakh leader Tokayev said he would not recognize the republics of Donetsk and Luhansk in eastern Ukraine."),
    ("The army denied that it had withdrawn from the district of Chak two weeks ago.",
     "The army said it had not withdrawn from the district of Chak two weeks ago."),
    ("This was about Russia's faltering military, economic and political might, and its implications.",
     "It was about Russia's failing military, economic and political power, and its implications."),
    # a denial or a "not" in an aside leaves the main clause as it is
    ("The army withdrew from the district of Chak on Monday after two weeks of fighting, officials said.",
     "The army, which denied the report at first, withdrew from the district of Chak on Monday after two weeks of "
     "fighting, officials said."),
    ("The minister resigned on Tuesday after the scandal over the arms contracts.",
     "The minister, who had not spoken in public for a week, resigned on Tuesday after the scandal over the arms "
     "contracts."),
])
def test_a_name_in_other_words_or_a_denial_in_other_words_still_corroborates(lexicon, a, b):
    """A name one source leaves out or spells otherwise, a denial worded with "not" or "denied", and a
    denial or a "not" in an aside of one of them, are still one fact from two sources."""
    sources, sentences = claims_corpus({"S1": [a], "S2": [b]})
    facts = facts_of(sources, sentences, Likeness.of([a, b], lexicon).vectors, 0.5)
    assert facts.support.tolist() == [2, 2] and facts.relation(0, 1) == "same"
