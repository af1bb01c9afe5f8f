"""shared_passages, copied_spans, in_spans, sentence_spans: wire copy shared between outlets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import ArgumentError, CorpusError
from framing.syndication import (
    PAIR_COLUMNS,
    SPAN_COLUMNS,
    copied_spans,
    in_spans,
    sentence_spans,
    shared_passages,
)

NATIONAL = "000_cee673ca099f3711"
JOURNAL = "002_3bcc3b5630e43c4d"


def _corpus(rows):
    frame = pd.DataFrame(rows, columns=["doc_id", "outlet", "text"]).set_index("doc_id")
    return frame


EXACT = "The ministry said the convoy of forty trucks reached the northern city on Tuesday evening."
NEAR_A = "Officials said the new bridge over the river would open to traffic next spring."
NEAR_B = "Officials said the new bridge across the river would open to traffic in the spring."
QUOTE_A = ('"We will never give up our land to the invaders, whatever the cost," the mayor said '
           "at a news conference.")
QUOTE_B = ("Speaking on television, Oleksandr Petrenko insisted: “We will never give up our land to "
           "the invaders, whatever the cost.”")
SHORT = "Ten villages lost power overnight."


@pytest.fixture
def toy():
    return _corpus([
        ("a1", "Alpha", f"{EXACT} Farmers in the region began the harvest early this year. {SHORT}"),
        ("a2", "Alpha", f"{NEAR_A}\n{QUOTE_A}"),
        ("a3", "Alpha", f"{EXACT} A local choir performed folk songs in the main square."),
        ("b1", "Beta", f"Heavy rain flooded several streets downtown overnight. {EXACT} {SHORT}"),
        ("b2", "Beta", f"{QUOTE_B} {NEAR_B}"),
        ("c1", "Gamma", "The football club announced a new coach after a disappointing season."),
    ])


def _find(pairs, doc_a, doc_b, needle):
    rows = pairs[(pairs["doc_id_a"] == doc_a) & (pairs["doc_id_b"] == doc_b)
                 & pairs["sentence_a"].str.contains(needle, regex=False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# ------------------------------------------------------------------------------------ seed corpus
def test_seed_wire_sentence_found_with_its_edit(seed_corpus):
    pairs = shared_passages(seed_corpus)
    row = _find(pairs, NATIONAL, JOURNAL, "special military operation is continuing")
    national = seed_corpus.loc[NATIONAL, "text"]
    journal = seed_corpus.loc[JOURNAL, "text"]
    assert row["start_a"] == national.index('"The special military operation is continuing')
    assert row["start_b"] == journal.index("“The special military operation is continuing")
    assert national[row["start_a"]:row["end_a"]] == row["sentence_a"]
    assert journal[row["start_b"]:row["end_b"]] == row["sentence_b"]
    assert row["sentence_a"].endswith("for the invasion of Ukraine.")
    assert row["sentence_b"].endswith("for the assault on Ukraine.")
    assert row["edit"] == "Mr → ∅; invasion of → assault on"
    assert "invasion of → assault on" in row["edit"]
    assert row["kind"] == "narration"
    assert row["similarity"] == pytest.approx(30 / 35)  # 15 identical words of 18 + 17
    assert (row["group_a"], row["group_b"]) == ("The National", "TheJournal.ie")


def test_seed_pair_reported_once(seed_corpus):
    pairs = shared_passages(seed_corpus)
    hit = pairs["sentence_a"].str.contains("special military operation is continuing") | \
        pairs["sentence_b"].str.contains("special military operation is continuing")
    assert hit.sum() == 1
    assert (pairs["doc_id_a"] < pairs["doc_id_b"]).all()


def test_seed_pairs_are_the_shared_story_only(seed_corpus):
    """The National, American Age and TheJournal.ie carry the same wire story; RT and Reuters
    report other days: no pair may involve them, and no sentence pair is unrelated."""
    pairs = shared_passages(seed_corpus)
    assert list(pairs.columns) == PAIR_COLUMNS
    found = list(zip(pairs["doc_id_a"].str[:3], pairs["doc_id_b"].str[:3], pairs["kind"], strict=True))
    assert found == [("000", "001", "quotation"), ("000", "002", "narration"),
                     ("000", "002", "narration"), ("000", "002", "quotation"),
                     ("000", "001", "quotation")]
    assert (pairs["similarity"] >= 0.6).all()
    for prefix in ("He said that negotiations", '"The special military', '"I\'m prepared to speak',
                   '"The most preferable way'):
        assert pairs["sentence_a"].str.startswith(prefix).any(), prefix


def test_offsets_point_into_the_text(seed_corpus):
    pairs = shared_passages(seed_corpus)
    for side in "ab":
        for doc, start, end, sentence in zip(pairs[f"doc_id_{side}"], pairs[f"start_{side}"],
                                             pairs[f"end_{side}"], pairs[f"sentence_{side}"], strict=True):
            assert seed_corpus.loc[doc, "text"][start:end] == sentence


def test_seed_quotation_with_edited_attribution(seed_corpus):
    pairs = shared_passages(seed_corpus)
    row = _find(pairs, NATIONAL, JOURNAL, "I'm prepared to speak")
    assert row["kind"] == "quotation"
    assert row["edit"] == "Mr → ∅; ∅ → that; the US leader → Biden"


# ------------------------------------------------------------------------------- hand-made corpus
def test_exact_shared_sentence(toy):
    pairs = shared_passages(toy)
    row = _find(pairs, "a1", "b1", "convoy of forty trucks")
    assert row["sentence_a"] == row["sentence_b"] == EXACT
    assert row["similarity"] == 1.0
    assert row["edit"] == ""
    assert row["kind"] == "narration"
    assert toy.loc["b1", "text"][row["start_b"]:row["end_b"]] == EXACT


def test_near_identical_sentence_and_its_edit(toy):
    pairs = shared_passages(toy)
    row = _find(pairs, "a2", "b2", "new bridge")
    assert (row["sentence_a"], row["sentence_b"]) == (NEAR_A, NEAR_B)
    assert row["edit"] == "over → across; next → in the"
    assert row["kind"] == "narration"
    assert 0.6 <= row["similarity"] < 1


def test_shared_quotation_only(toy):
    pairs = shared_passages(toy)
    row = _find(pairs, "a2", "b2", "never give up our land")
    assert row["kind"] == "quotation"
    assert row["edit"] == ("∅ → Speaking on television Oleksandr Petrenko insisted; the mayor said at "
                           "a news conference → ∅")


def test_same_outlet_not_paired(toy):
    pairs = shared_passages(toy)
    same = pairs["group_a"] == pairs["group_b"]
    assert not same.any()
    assert not ((pairs["doc_id_a"] == "a1") & (pairs["doc_id_b"] == "a3")).any()
    # the exact sentence of a1 and a3 (Alpha) is paired with b1 (Beta) only
    exact = pairs[pairs["sentence_a"] == EXACT]
    assert sorted(zip(exact["doc_id_a"], exact["doc_id_b"], strict=True)) == [("a1", "b1"), ("a3", "b1")]


def test_same_group_by_any_column(toy):
    grouped = toy.assign(country=["UK", "UK", "UK", "UK", "UK", "IE"])
    assert shared_passages(grouped, by="country").empty
    assert len(shared_passages(grouped, by="outlet")) > 0


def test_short_sentences_ignored(toy):
    assert not shared_passages(toy)["sentence_a"].eq(SHORT).any()
    short = shared_passages(toy, min_words=5)
    row = _find(short, "a1", "b1", "Ten villages")
    assert row["sentence_b"] == SHORT


def test_unrelated_sentences_not_paired(toy):
    pairs = shared_passages(toy)
    assert not pairs["doc_id_b"].eq("c1").any()
    assert len(pairs) == 4  # exact a1-b1, exact a3-b1, near a2-b2, quotation a2-b2


def test_no_pairs_gives_empty_table_with_columns():
    corpus = _corpus([("x", "One", EXACT), ("y", "One", EXACT)])
    pairs = shared_passages(corpus)
    assert pairs.empty
    assert list(pairs.columns) == PAIR_COLUMNS
    assert copied_spans(pairs).empty
    assert list(copied_spans(pairs).columns) == SPAN_COLUMNS


def test_text_col_and_missing_text(toy):
    other = toy.rename(columns={"text": "body"})
    pd.testing.assert_frame_equal(shared_passages(other, text_col="body"), shared_passages(toy))
    with_nan = toy.astype({"text": object})
    with_nan.loc["c1", "text"] = None
    assert len(shared_passages(with_nan)) == 4


# ------------------------------------------------------------------------- determinism, no mutation
def test_deterministic_and_independent_of_row_order(seed_corpus, toy):
    first = shared_passages(seed_corpus)
    pd.testing.assert_frame_equal(first, shared_passages(seed_corpus))
    shuffled = toy.iloc[[4, 2, 0, 5, 1, 3]]
    pd.testing.assert_frame_equal(shared_passages(shuffled), shared_passages(toy))


def test_inputs_not_mutated(seed_corpus):
    before = seed_corpus.copy(deep=True)
    pairs = shared_passages(seed_corpus)
    pairs_before = pairs.copy(deep=True)
    spans = copied_spans(pairs, seed_corpus)
    spans_before = spans.copy(deep=True)
    in_spans(spans["doc_id"], spans["start"], spans["end"], spans)
    pd.testing.assert_frame_equal(seed_corpus, before)
    pd.testing.assert_frame_equal(pairs, pairs_before)
    pd.testing.assert_frame_equal(spans, spans_before)


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("kwargs", [{"threshold": 0}, {"threshold": 1.5}, {"min_words": 0},
                                    {"min_words": 2.5}, {"lsh_threshold": 0}, {"num_perm": 1},
                                    {"min_shared": -1}, {"threshold": "high"}])
def test_bad_parameters(toy, kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        shared_passages(toy, **kwargs)


def test_bad_corpus(toy):
    with pytest.raises(CorpusError, match="no column 'country'"):
        shared_passages(toy, by="country")
    with pytest.raises(CorpusError, match="no column 'body'"):
        shared_passages(toy, text_col="body")
    missing = toy.astype({"outlet": object})
    missing.loc["b1", "outlet"] = None
    with pytest.raises(CorpusError, match="have no 'outlet'"):
        shared_passages(missing)
    with pytest.raises(CorpusError, match="unique"):
        shared_passages(pd.concat([toy, toy]))
    with pytest.raises(ArgumentError, match="DataFrame"):
        shared_passages(toy["text"])


# -------------------------------------------------------------------------------- sentence splitter
@pytest.mark.parametrize(("text", "expected"), [
    ("Mr Peskov said talks were over. Mr. Putin agreed.",
     ["Mr Peskov said talks were over.", "Mr. Putin agreed."]),
    ("U.S. President Joe Biden spoke. Sanctions by the U.S. The Kremlin objected.",
     ["U.S. President Joe Biden spoke.", "Sanctions by the U.S.", "The Kremlin objected."]),
    ("Gen. Mark Milley and Lt. Col. Smith met in St. Petersburg. Then they left.",
     ["Gen. Mark Milley and Lt. Col. Smith met in St. Petersburg.", "Then they left."]),
    ("George W. Bush and J. K. Rowling met. It went well.",
     ["George W. Bush and J. K. Rowling met.", "It went well."]),
    ("Output grew 3.5 percent and 1,200.75 tonnes. Exports fell.",
     ["Output grew 3.5 percent and 1,200.75 tonnes.", "Exports fell."]),
    ('"The operation is continuing," Mr Peskov said. "It will go on." He left.',
     ['"The operation is continuing," Mr Peskov said.', '"It will go on."', "He left."]),
    ("“The operation is continuing.” Peskov said so. ‘Yes.’ Done.",
     ["“The operation is continuing.”", "Peskov said so.", "‘Yes.’", "Done."]),
    ('"Why?" he asked. "Because!" she said.', ['"Why?" he asked.', '"Because!" she said.']),
    ("A headline without a period\nThe first sentence. The second one\n\n  • A bullet point",
     ["A headline without a period", "The first sentence.", "The second one", "A bullet point"]),
    ("On Aug. 11, 2022, at 10 a.m. local time, No. 10 said so. Then at 5 p.m. The end.",
     ["On Aug. 11, 2022, at 10 a.m. local time, No. 10 said so.", "Then at 5 p.m.", "The end."]),
    ("It was the UK… The situation is obvious. Wait... what?",
     ["It was the UK…", "The situation is obvious.", "Wait... what?"]),
    ("", []),
])
def test_sentence_spans(text, expected):
    spans = sentence_spans(text)
    assert spans["sentence"].tolist() == expected
    assert list(spans.columns) == ["start", "end", "sentence"]
    for start, end, sentence in spans.itertuples(index=False):
        assert text[start:end] == sentence


# ------------------------------------------------------------------------- copied_spans, in_spans
def _offsets(text, phrase):
    start = text.index(phrase)
    return start, start + len(phrase)


def test_copied_spans_keep_changed_words_out(seed_corpus):
    pairs = shared_passages(seed_corpus)
    spans = copied_spans(pairs, seed_corpus)
    assert list(spans.columns) == SPAN_COLUMNS
    national = seed_corpus.loc[NATIONAL, "text"]
    journal = seed_corpus.loc[JOURNAL, "text"]
    hits = [
        (NATIONAL, *_offsets(national, "special military operation is continuing"), True),
        (NATIONAL, *_offsets(national, "invasion of Ukraine"), False),
        (NATIONAL, *_offsets(national, "Mr Peskov said, using"), False),
        (NATIONAL, *_offsets(national, "Kremlin term"), True),
        (JOURNAL, *_offsets(journal, "special military operation is continuing"), True),
        (JOURNAL, *_offsets(journal, "assault"), False),
        (JOURNAL, *_offsets(journal, "Kremlin term"), True),
        ("003_a08c4a9378959592", 0, 6, False),  # RT: no shared passage at all
    ]
    doc_ids, starts, ends, expected = zip(*hits, strict=True)
    assert in_spans(doc_ids, starts, ends, spans).tolist() == list(expected)
    for doc, start, end, text in zip(spans["doc_id"], spans["start"], spans["end"], spans["text"],
                                     strict=True):
        assert seed_corpus.loc[doc, "text"][start:end] == text


def test_copied_spans_only_from_narration(seed_corpus):
    pairs = shared_passages(seed_corpus)
    spans = copied_spans(pairs)
    narration = set(pairs.index[pairs["kind"] == "narration"])
    assert set(spans["pair_id"]) == narration
    wire = spans[spans["pair_id"] == 2]
    assert wire["text"].tolist() == ["The special military operation is continuing",
                                     "Peskov said, using the Kremlin term for the", "Ukraine"] * 2


def test_copied_spans_check_the_corpus(seed_corpus, toy):
    pairs = shared_passages(seed_corpus)
    with pytest.raises(ValueError, match="another corpus"):
        copied_spans(pairs, toy)
    with pytest.raises(ValueError, match="shared_passages"):
        copied_spans(pairs.drop(columns="kind"))


def test_in_spans_merges_and_handles_edges():
    spans = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "start": [0, 8, 30, 5],
                          "end": [10, 20, 40, 9], "pair_id": [0, 1, 2, 3]})
    result = in_spans(["a", "a", "a", "a", "b", "b", "c"],
                      [2, 9, 18, 25, 5, 4, 0], [6, 15, 20, 31, 9, 6, 3], spans)
    assert result.dtype == bool
    assert result.tolist() == [True, True, True, False, True, False, False]
    # a hit across two overlapping spans of different pairs is inside their union
    assert in_spans(["a"], [5], [15], spans).tolist() == [True]
    assert in_spans([], [], [], spans).tolist() == []
    assert in_spans(["a"], [0], [1], spans.iloc[:0]).tolist() == [False]
    with pytest.raises(ValueError, match="same length"):
        in_spans(["a", "b"], [0], [1], spans)
    with pytest.raises(ValueError, match="doc_id"):
        in_spans(["a"], [0], [1], spans.drop(columns="doc_id"))
    assert isinstance(in_spans(np.array(["a"]), pd.Series([1]), [2], spans), np.ndarray)


def test_minhash_values_equal_datasketch():
    from datasketch import MinHash

    from framing.syndication import minhash_values, word_shingles

    keys = [("the", "special", "military", "operation", "is", "continuing"), ("a", "b")]
    values, _ = minhash_values(keys, 64, 7)
    for key, row in zip(keys, values, strict=True):
        shingles = np.array(word_shingles(key), dtype=object)
        hashes = pd.util.hash_array(shingles) & np.uint64(0xFFFFFFFF)
        reference = MinHash(num_perm=64, seed=7, hashfunc=int)
        reference.update_batch(hashes.tolist())
        assert np.array_equal(reference.hashvalues, row)


# ------------------------------------------------------------------------------ ukraine-media-2022
@pytest.mark.slow
@pytest.mark.shared
def test_ukraine_media_wire_copy(ukraine_path):
    from framing import load_corpus

    corpus = load_corpus(ukraine_path, drop_empty=True)
    pairs = shared_passages(corpus)
    assert len(pairs) > 500
    assert (pairs["group_a"] != pairs["group_b"]).all()
    assert (pairs["doc_id_a"] < pairs["doc_id_b"]).all()
    assert set(pairs["kind"]) == {"narration", "quotation"}
    outlets = pd.Series([" / ".join(sorted(p)) for p in zip(pairs["group_a"], pairs["group_b"],
                                                             strict=True)])
    assert (outlets == "Associated Press / Daily Mail").sum() > 50
    sample = pairs.sample(200, random_state=0)
    for side in "ab":
        for doc, start, end, sentence in zip(sample[f"doc_id_{side}"], sample[f"start_{side}"],
                                             sample[f"end_{side}"], sample[f"sentence_{side}"],
                                             strict=True):
            assert corpus.loc[doc, "text"][start:end] == sentence


def test_a_quotation_over_two_paragraphs_is_a_quotation_as_voice_reads_it():
    """Issue 14: syndication reads quotations with framing.text, as voice does (one quotation here)."""
    from framing import voice_spans

    text_a = ('The mayor spoke to reporters. He said "we will hold the city.\n"We will never give up our land to '
              'the invaders, whatever the cost," he added.')
    text_b = f"On television: {QUOTE_B}"
    pairs = shared_passages(_corpus([("a", "Alpha", text_a), ("b", "Beta", text_b)]))
    row = _find(pairs, "a", "b", "never give up our land")
    assert row["kind"] == "quotation"
    quotations = voice_spans(text_a)
    assert quotations[["start", "end"]].values.tolist() == [[text_a.index('"we'), text_a.index(' he added')]]
