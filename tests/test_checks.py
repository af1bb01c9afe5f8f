"""framing._checks.check_corpus_table: one check, one message, wherever a corpus table is an argument."""

from __future__ import annotations

import pandas as pd
import pytest

from framing import ArgumentError, CorpusError, find_hits, shared_passages, term_counts


@pytest.mark.parametrize("call", [lambda c: find_hits(c), lambda c: shared_passages(c), lambda c: term_counts(c)])
def test_a_corpus_that_is_not_a_table_gets_one_message_everywhere(call):
    with pytest.raises(ArgumentError, match=r"^corpus must be a .*DataFrame.*; got int$"):
        call(42)


def test_a_missing_group_value_gets_one_message_with_its_reason():
    corpus = pd.DataFrame({"outlet": ["RT", None], "text": ["Kiev said.", "Kyiv said."]},
                          index=pd.Index(["a", "b"], name="doc_id"))
    with pytest.raises(CorpusError, match=r"^1 articles have no 'outlet' value \(first: 'b'\); fill them in"):
        term_counts(corpus)
    with pytest.raises(CorpusError, match=r"^1 articles have no 'outlet' value \(first: 'b'\); shared passages"):
        shared_passages(corpus)
