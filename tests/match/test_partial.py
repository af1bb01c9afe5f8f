"""PartialCounts: chunks' counts add up to the counts of the whole corpus, whatever the split."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import count_hits
from framing.match import compile_lexicon
from framing.match.count import count_chunk
from framing.match.partial import COUNT_COLUMNS, PartialCounts
from framing.voice import VOICES

FIELDS = ("title", "text")


def _chunks(corpus, cuts):
    bounds = [0, *sorted(set(cuts)), len(corpus)]
    return [corpus.iloc[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), max_size=4), st.sampled_from([None, [0], [1, 2]]))
def test_any_split_of_the_articles_adds_up_to_the_whole(seed_corpus, cuts, voices):
    matcher = compile_lexicon("russia-ukraine")
    parts = [count_chunk(c, matcher, "outlet", FIELDS, "en", voices) for c in _chunks(seed_corpus, cuts)]
    whole = count_chunk(seed_corpus, matcher, "outlet", FIELDS, "en", voices)
    total = PartialCounts.total(parts)
    assert total.docs == whole.docs
    pd.testing.assert_frame_equal(total.finish(matcher.variants), whole.finish(matcher.variants))
    # adding is associative and commutative: the parts in reverse order, pairwise
    again = PartialCounts()
    for p in reversed(parts):
        again = p + again
    pd.testing.assert_frame_equal(again.finish(matcher.variants), whole.finish(matcher.variants))


def test_finish_is_the_count_hits_table(seed_corpus):
    matcher = compile_lexicon("russia-ukraine")
    table = count_chunk(seed_corpus, matcher, "outlet", FIELDS, "en").finish(matcher.variants)
    expected = count_hits(seed_corpus, "russia-ukraine")
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs["n_docs"] == expected.attrs["n_docs"]
    assert list(table.columns) == COUNT_COLUMNS


def test_from_codes_counts_hits_and_articles_per_cell():
    group = np.array(["RT", "RT", "RT", "BBC", "(missing)"], dtype=object)
    counts = PartialCounts.from_codes(group, np.array([2, 2, 0, 2, 1]), np.array([0, 0, 0, 3, 1]),
                                      np.array([7, 7, 8, 9, 10]), articles=np.array(["RT", "RT", "BBC"], dtype=object))
    cells = {(g, v, VOICES[c]): (h, d) for g, v, c, h, d in zip(counts.group, counts.variant.tolist(),
                                                               counts.voice.tolist(), counts.n_hits.tolist(),
                                                               counts.n_docs.tolist(), strict=True)}
    assert cells == {("RT", 2, "authorial"): (2, 1), ("RT", 0, "authorial"): (1, 1),
                     ("BBC", 2, VOICES[3]): (1, 1), ("(missing)", 1, "quoted"): (1, 1)}
    assert counts.docs == {"RT": 2, "BBC": 1}
    empty = PartialCounts.from_codes(group[:0], [], [], [], voices=[0])
    assert empty.finish([]).empty and list(empty.finish([]).columns) == COUNT_COLUMNS
