"""framing.text sentences and clauses: the rules, and the vectorised path against the reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing._chunk import Chunk
from framing.text import clause_bounds_at, sentence_at, sentence_bounds_at, sentence_spans
from framing.text.chunk_sentences import clause_bounds, sentence_bounds


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# ----------------------------------------------------------------- the disagreements of issue 14
def test_a_time_before_a_sentence_starter_ends_the_sentence():
    text = "Talks ended at 3 p.m. The Kremlin said Kiev refused."
    at = text.index("Kiev")
    assert sentence_at(text, at, at + 4) == "The Kremlin said Kiev refused."
    assert _sentences(text) == ["Talks ended at 3 p.m.", "The Kremlin said Kiev refused."]


def test_a_word_before_a_number_keeps_its_period():
    text = "No. 10 about Kiev today."
    at = text.index("Kiev")
    assert sentence_at(text, at, at + 4) == "No. 10 about Kiev today."
    assert _sentences(text) == [text]


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr Peskov said talks were over. Mr. Putin agreed.", ["Mr Peskov said talks were over.", "Mr. Putin agreed."]),
    ("U.S. President Joe Biden spoke. Sanctions by the U.S. The Kremlin objected.",
     ["U.S. President Joe Biden spoke.", "Sanctions by the U.S.", "The Kremlin objected."]),
    ("Gen. Mark Milley and Lt. Col. Smith met in St. Petersburg. Then they left.",
     ["Gen. Mark Milley and Lt. Col. Smith met in St. Petersburg.", "Then they left."]),
    ("George W. Bush and J. K. Rowling met. It went well.", ["George W. Bush and J. K. Rowling met.", "It went well."]),
    ("Output grew 3.5 percent. Exports fell.", ["Output grew 3.5 percent.", "Exports fell."]),
    ('"Why?" he asked. "Because!" she said.', ['"Why?" he asked.', '"Because!" she said.']),
    ("“The operation is continuing.” Peskov said so. ‘Yes.’ Done.",
     ["“The operation is continuing.”", "Peskov said so.", "‘Yes.’", "Done."]),
    ("e.g. the army. It was the UK… The end. Wait... what?",
     ["e.g. the army.", "It was the UK…", "The end.", "Wait... what?"]),
    ("A headline\n  • A bullet point\n- Another one. Київ відповів.",
     ["A headline", "A bullet point", "Another one.", "Київ відповів."]),
    ("", []),
])
def test_sentence_spans(text, expected):
    assert _sentences(text) == expected


def test_a_span_over_a_break_gets_both_sentences_and_the_limits_hold():
    text = "It began. Kiev said no. It ended."
    assert sentence_at(text, text.index("began"), text.index("Kiev") + 4) == "It began. Kiev said no."
    assert sentence_at(text, text.index("said"), text.index("said") + 4, limit=3) == "ev said no"


def test_clauses_cut_sentences_at_semicolons_and_colons():
    text = "Mr. Putin spoke: what Gen. Gerasimov calls liberation; no more. The end."
    at = text.index("liberation")
    s, e = clause_bounds_at(text, at, at + 10, 100, 100)
    assert text[s:e] == "what Gen. Gerasimov calls liberation"
    s, e = clause_bounds_at(text, at, at + 10, 20, 0)
    assert (s, e) == (at - 20, at + 10)


# ------------------------------------------------------------- the fast path against the reference
PIECES = st.sampled_from([
    "Kiev", "the", "The", "He", "But", "kyiv", "Mr", "Mrs", "Gen", "St", "No", "Aug", "Inc", "Jr", "U.S", "a.m",
    "J", "e.g", "approx", "Messrs", "Zaporizhzhia", "A.B.C.D.E", "3", "10", "3.5", "Київ", "Єв", "É", "ß", "x",
    "²", "½", "Ⅻ", "𝐀", "Ａ", "_", ".", ".", ".", "..", "!", "?", "…", "?!", '"', "'", "”", "’", "»", ")", "]", "“",
    "‘", "«", "(", "[", " ", " ", " ", "  ", "\t", "\xa0", "\u2003", "\n", "\n\n", "\r\n", "•", "-", "—", "*", ";",
    ":", ",",
])
ABBREVIATIONS = st.sampled_from(["Mr.", "Gen.", "No.", "Nos.", "U.S.", "a.m.", "Inc.", "J.", "e.g.", "St.", "Aug.",
                                 "v.", "(Mr.", "“Gen.", "Zaporizhzhia.", "A.B.C.D.", "etc.", "3.", "Київ."])
FOLLOWERS = st.sampled_from([" The", " He", " the", " 10", " (The", " “He", ' "It', " Kiev", "  But", "\xa0The",
                             " \u2003The", " Єв", " 𝐀", " But."])
TEXTS = st.lists(st.one_of(PIECES, PIECES, st.tuples(ABBREVIATIONS, FOLLOWERS).map("".join)), max_size=60).map("".join)


def _spans(texts, draw_pairs):
    return [(t, a, b) for t, text in enumerate(texts) for a, b in draw_pairs(len(text))]


def _check(texts, cases, before=400, after=400, fast=sentence_bounds, reference=sentence_bounds_at):
    chunk = Chunk(texts)
    seg = np.array([t for t, _, _ in cases], dtype=np.int64)
    base = chunk.starts[seg]
    start = np.array([a for _, a, _ in cases], dtype=np.int64) + base
    end = np.array([b for _, _, b in cases], dtype=np.int64) + base
    s, e = fast(chunk, seg, start, end, before, after)
    got = [(int(x), int(y)) for x, y in zip(s - base, e - base, strict=True)]
    assert got == [reference(texts[t], a, b, before, after) for t, a, b in cases]


@settings(max_examples=400, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=4), st.data(), st.sampled_from([(400, 400), (12, 30), (0, 5)]))
def test_chunk_sentences_are_the_reference_sentences(texts, data, limits):
    """Spans starting at every few characters of each text (so every break near one is read)."""
    step = data.draw(st.integers(1, 3))
    width = data.draw(st.integers(1, 8))
    cases = [(t, a, min(len(text), a + width)) for t, text in enumerate(texts) for a in range(0, len(text), step)]
    if cases:
        _check(texts, cases, *limits)


CLAUSE_TEXTS = st.lists(st.one_of(PIECES, st.sampled_from([";", ":", "; ", ": ", ";\u2003", ":\n", ";;  ", "Gen. X: "])),
                        max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(CLAUSE_TEXTS, min_size=1, max_size=4), st.data(),
       st.sampled_from([(400, 400), (250, 120), (100, 0), (7, 3)]))
def test_chunk_clauses_are_the_reference_clauses(texts, data, limits):
    """Spans (also empty ones, as the cue window asks for) at every few characters of each text."""
    step = data.draw(st.integers(1, 3))
    width = data.draw(st.integers(0, 6))
    cases = [(t, a, min(len(text), a + width)) for t, text in enumerate(texts) for a in range(0, len(text), step)]
    if cases:
        _check(texts, cases, *limits, fast=clause_bounds, reference=clause_bounds_at)


def test_chunk_clauses_on_the_seeds(seed_corpus):
    texts = [t for f in ("title", "text") for t in seed_corpus[f].tolist() if isinstance(t, str) and t]
    _check(texts, _word_cases(texts, every=1), 250, 120, fast=clause_bounds, reference=clause_bounds_at)
    _check(texts, [(t, a, a) for t, a, _ in _word_cases(texts, every=1)], 100, 0, fast=clause_bounds,
           reference=clause_bounds_at)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_a_span_inside_a_sentence_gets_that_sentence(text, data):
    spans = sentence_spans(text)
    if not spans:
        return
    s, e = data.draw(st.sampled_from(spans))
    a = data.draw(st.integers(s, e - 1))
    b = data.draw(st.integers(a + 1, e))
    assert sentence_bounds_at(text, a, b, len(text), len(text)) == (s, e)


def _word_cases(texts, every=7):
    import re

    cases = []
    for t, text in enumerate(texts):
        for k, m in enumerate(re.finditer(r"\w+", text)):
            if k % every == 0:
                cases.append((t, m.start(), m.end()))
    return cases


def test_chunk_sentences_on_the_seeds(seed_corpus):
    texts = [t for f in ("title", "text") for t in seed_corpus[f].tolist() if isinstance(t, str) and t]
    _check(texts, _word_cases(texts, every=1))


@pytest.mark.slow
def test_chunk_sentences_on_the_research_corpus(ukraine_path):
    import pandas as pd

    texts = [t for t in pd.read_csv(ukraine_path, usecols=["text"])["text"].tolist()[:400] if isinstance(t, str) and t]
    _check(texts, _word_cases(texts))


def test_breaks_classified_all_at_once_are_the_breaks_classified_one_by_one(seed_corpus):
    # a large request classifies every candidate of the chunk in one pass: the same verdicts
    from framing.text.chunk_sentences import _UNKNOWN, _Breaks

    chunk = Chunk([t for t in seed_corpus["text"].tolist() if isinstance(t, str) and t][:200])
    whole, single = _Breaks(chunk), _Breaks(chunk)
    whole.classify(np.arange(len(whole.at)))
    assert (whole.end != _UNKNOWN).all()
    for k in range(0, len(single.at), max(len(single.at) // 97, 1)):
        single.classify(np.array([k]))
        assert (single.end[k], single.next[k]) == (whole.end[k], whole.next[k])
