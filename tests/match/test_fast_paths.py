"""The matcher's fast paths give the same tables as its plain code paths (``framing.match.options.REFERENCE``).

The fast paths (context rules through one Hyperscan scan of their words, article rules, the
attribution prefilter) only decide where the plain checks run; every test here compares the whole
``find_hits`` output (all columns, ``explain=True`` and the excluded matches) with both, on texts
written to hit the edge cases and on generated ones, with the thresholds lowered so that the fast
paths run on small texts too.
"""

from __future__ import annotations

from contextlib import contextmanager

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing.match.options as options
from framing import Lexicon, find_hits, load_corpus, load_lexicon
from framing.match import available_engines

from .test_match import FRAME_TEXTS, RULE_TEXTS, RULES_LEX, TEXT_PIECES, VOICE_LEX, corpus_of

ENGINES = available_engines()
BUILT_IN = load_lexicon("russia-ukraine")


@contextmanager
def plain_paths(on: bool):
    """Run the plain code paths (on=True), or the fast ones with every threshold at its lowest."""
    saved = options.REFERENCE, options.RULE_SCAN_FROM
    options.REFERENCE, options.RULE_SCAN_FROM = on, 1
    try:
        yield
    finally:
        options.REFERENCE, options.RULE_SCAN_FROM = saved


def tables(corpus, lexicon, engine, context=20):
    hits, excluded = find_hits(corpus, lexicon, engine=engine, context=context, return_excluded=True)
    explained = find_hits(corpus, lexicon, engine=engine, context=context, explain=True)
    return hits, excluded, explained


def assert_same(corpus, lexicon, context=20):
    for engine in ENGINES:
        with plain_paths(True):
            expected = tables(corpus, lexicon, engine, context)
        with plain_paths(False):
            got = tables(corpus, lexicon, engine, context)
        for a, b in zip(got, expected, strict=True):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            assert a.to_csv() == b.to_csv()


WRITTEN = [
    "Turkey launched a military operation in Syria. Russia's military operation in Ukraine went on.",
    "Pearl Harbor and the war that followed.\nThe war Minister spoke; the war of 1812 and the war.",
    "Wagner mercenaries fought in Ukraine. Ukraine hired foreign mercenaries.\nForeign mercenaries.",
    "Denmark held a referendum on defence. The referendums were held.\nMoscow then moved to annex Donetsk.",
    "Syriaé military operation; éDonetsk referendum; ДонецкDonetsk referendums and Hitler's war.",
    "The war, which the Kremlin calls a special military operation, went on. Critics call it an invasion.",
    "Officials called the explosion a terrorist act; Kiev insists the attack was unprovoked.",
    "Critics call it a Mr.Putin war. Moscow calls it a U.S.-led invasion!Kiev calls them neo-Nazis?Yes.",
    "Putin claimed that Kyiv:neo-Nazis; he alleged\u00a0that the 3.5 neo-Nazis\u2009. Called it a war",
    # sentence and clause breaks the frames must not cross (';', a period before a tab and a capital,
    # ';' before a thin space), and the same without them
    "Putin claimed, in a long speech; they said, that Kyiv is ruled by neo-Nazis. Putin claimed, in a long "
    "speech, that Kyiv is ruled by neo-Nazis.",
    "He claimed that Kyiv.\tNeo-Nazis rule. Putin claimed, in a speech;\u2009they said, that Kyiv is ruled by "
    "neo-Nazis. He claimed that Kyiv, neo-Nazis rule.",
    # no sentence ends here (framing.text): a period before a lowercase word, a title, a thin space
    "He claimed that Kyiv.\tneo-Nazis rule. Putin claimed, said Gen. Ivanov, that Kyiv is ruled by neo-Nazis.",
]


def test_written_texts_with_the_test_lexicons():
    corpus = corpus_of(*WRITTEN, titles=["Donetsk votes", None, "Wagner", None, None, None, "referendum"] + [None] * 5)
    assert_same(corpus, RULES_LEX)
    assert_same(corpus, VOICE_LEX)


def test_written_frames_are_attributed_as_the_reference_says():
    """The texts above hold attributed hits (and authorial ones beside a break), so they test something."""
    with plain_paths(False):
        hits = find_hits(corpus_of(*WRITTEN[-3:]), VOICE_LEX)
    voices = dict(zip(zip(hits["doc_id"], hits["start"], strict=True), hits["voice"], strict=True))
    first, second, third = WRITTEN[-3:]
    assert voices[("d0", first.index("neo-Nazis"))] == "authorial"  # the ';' ends the claim's clause
    assert voices[("d0", first.rindex("neo-Nazis"))] == "attributed"
    at = [k for k in range(len(second)) if second.lower().startswith("neo-nazis", k)]
    assert [voices[("d1", k)] for k in at] == ["authorial", "authorial", "attributed"]
    at = [k for k in range(len(third)) if third.startswith("neo-Nazis", k)]
    assert [voices[("d2", k)] for k in at] == ["attributed", "attributed"]


def test_written_texts_with_the_built_in_lexicon():
    assert_same(corpus_of(*WRITTEN), BUILT_IN, context=60)


def test_article_rule_words_in_another_field():
    """The first word of an article rule is looked for field by field, headline first."""
    lex = Lexicon.from_dict({"name": "x", "sides": {"ru": "R", "ua": "W"}, "contrasts": {"referendums": {
        "near": {"words": ["Donetsk", "annex*", "people's republic*"], "scope": "article"}, "variants": {
            "referendum": {"side": "ru", "patterns": ["referendum*"]},
            "sham": {"side": "ua", "patterns": ["sham referendum*"]}}}}})
    corpus = corpus_of("Votes in the people's republics and Donetsk: the referendum passed.",
                       "Denmark held a referendum.", "annexation referendums; annex referendum",
                       "Crimean referendum, preoccupied annexé Donetskyi", "a referendum",
                       titles=["Putin surprised by referendum results", "Denmark's referendum", None, "annexed",
                               "People’s Republic"])
    assert_same(corpus, lex)


def test_the_seed_corpus(seed_corpus):
    assert_same(seed_corpus, BUILT_IN, context=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(RULE_TEXTS, min_size=1, max_size=4), st.lists(st.sampled_from([None, "Donetsk", "referendum",
                                                                                "war", "annexed it"]), max_size=4))
def test_generated_texts_with_context_rules(texts, titles):
    texts = [t for t in texts if t] or ["war"]
    titles = (titles + [None] * len(texts))[:len(texts)]
    assert_same(corpus_of(*texts, titles=titles), RULES_LEX)


BREAKS = st.lists(st.sampled_from([".", "!", "?", ";", ":", "\n", " ", "\u00a0", "\u2009", "\x1c", "\t", "\x0b",
                                   "U.S.", "Mr.", "3.5", "a.m.", "x"]), min_size=1, max_size=3).map("".join)
FRAMES_AND_BREAKS = st.lists(st.tuples(FRAME_TEXTS, BREAKS), max_size=4).map(
    lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(FRAME_TEXTS, FRAMES_AND_BREAKS), min_size=1, max_size=4))
def test_generated_texts_with_attribution_frames(texts):
    texts = [t for t in texts if t] or ["Kiev"]
    assert_same(corpus_of(*texts), VOICE_LEX)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(TEXT_PIECES, RULE_TEXTS, FRAME_TEXTS), min_size=1, max_size=3))
def test_generated_texts_with_the_built_in_lexicon(texts):
    texts = [t for t in texts if t] or ["Kiev"]
    assert_same(corpus_of(*texts), BUILT_IN)


@pytest.mark.slow
def test_the_research_corpus(ukraine_path):
    """ukraine-media-2022 with the real thresholds: the fast paths run on every batch."""
    corpus = load_corpus(ukraine_path)
    for engine in ENGINES:
        with plain_paths(True):
            expected = find_hits(corpus, BUILT_IN, engine=engine, return_excluded=True)
        got = find_hits(corpus, BUILT_IN, engine=engine, return_excluded=True)
        for a, b in zip(got, expected, strict=True):
            pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.skipif("hyperscan" not in ENGINES, reason="Hyperscan is not installed")
@pytest.mark.parametrize("lexicon", [BUILT_IN, RULES_LEX], ids=["built-in", "rules"])
def test_every_context_rule_word_compiles_for_the_one_scan(lexicon):
    # the fast path is taken, not silently given up: multi-word rule words ("Pearl Harbor", "of
    # 1812") once compiled with possessive quantifiers, which Hyperscan refuses, and every batch fell
    # back to looking for literals (a fifth of the streaming time, the same results)
    from framing._chunk import Chunk
    from framing.match import compile_lexicon

    matcher = compile_lexicon(lexicon, engine="hyperscan")
    rules = tuple(range(len(matcher.rules)))
    assert any(" " in w for r in matcher.rules for w in r.words) or lexicon is RULES_LEX
    chunk = Chunk.from_utf8([b"Pearl Harbor, the war of 1812 and the Minister."])
    for starts in (False, True):
        assert matcher.rule_word_matches(chunk, rules, starts=starts) is not None


def test_kind_table_is_isin_of_the_kind_codes():
    import numpy as np

    from framing.match.voices import _kind_code, _kind_table

    codes = np.array([_kind_code(k) for k in ("naming", "framing", "naming", "label")], dtype=np.int64)
    for kinds in ((), ("naming",), ("framing", "label"), ("label", "not-yet-seen")):
        expected = np.isin(codes, [_kind_code(k) for k in kinds])
        assert (_kind_table(kinds, int(codes.max()) + 1)[codes] == expected).all()
