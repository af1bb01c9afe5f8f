"""framing.text quotations: the rules, and the vectorised path against the reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from framing._chunk import Chunk
from framing.text import quote_spans
from framing.text.chunk_quotes import quote_spans as chunk_quote_spans
from framing.text.quotes import merged


def test_a_quotation_over_two_paragraphs_is_one_span():
    """Issue 14: voice saw one quotation here and syndication two; there is one."""
    text = 'He said "we will win.\n"The war goes on," Mr Peskov added.'
    assert quote_spans(text) == [(8, 40)]


def test_apostrophes_and_nested_quotations():
    assert quote_spans("Russia’s ‘special operation’ goes on, don't doubt it.") == [(9, 28)]
    text = '“They call it ‘denazification’,” he said.'
    assert quote_spans(text) == [(0, 32), (14, 30)]
    assert merged(quote_spans(text)) == [(0, 32)]


def test_an_unclosed_double_quotation_ends_at_the_paragraph_and_a_single_one_is_dropped():
    assert quote_spans('He said "no more.\nThen he left.') == [(8, 17)]
    assert quote_spans("the ’90s and 'tis the season") == []


QUOTE_PIECES = st.lists(st.sampled_from([
    "Kiev", "war", "the", "said", "Russia’s", "soldiers’", "don't", "’90s", "rock'n'roll", "é’s", "x", "1",
    '"', "“", "”", "‘", "’", "'", "«", "»", "‹", "›", "„", "‟", "‚", "\n", "\n\n", " \n ", "\n“", '\n"', "\t",
    " ", "\u00a0", "(", ")", "[", "]", "—", "–", "-", ".", ",", "!", "?", ";", ":", "_", "½", "İ",
]), max_size=80).map("".join)


def _check(texts):
    chunk = Chunk(texts)
    qs, qe = chunk_quote_spans(chunk)
    seg = chunk.segment_of(qs)
    got = [[] for _ in texts]
    for t, a, b in zip(seg.tolist(), qs.tolist(), qe.tolist(), strict=True):
        got[t].append((a - int(chunk.starts[t]), b - int(chunk.starts[t])))
    assert got == [quote_spans(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(QUOTE_PIECES, min_size=1, max_size=4))
def test_chunk_quotations_are_the_reference_quotations(texts):
    _check(texts)


def test_chunk_quotations_on_the_seeds(seed_corpus):
    _check([t for t in seed_corpus["text"].tolist() if isinstance(t, str)])


def test_chunk_quotations_on_the_research_corpus(ukraine_path):
    import pandas as pd

    texts = pd.read_csv(ukraine_path, usecols=["text"])["text"].dropna().tolist()[:1000]
    _check(texts)
