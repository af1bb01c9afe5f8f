"""find_hits / count_hits / kwic: matching rules, offsets, voice, engines, and properties."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import count_hits, find_hits, kwic, load_corpus, load_lexicon
from framing.match import HIT_COLUMNS, available_engines, compile_lexicon

from .conftest import ROOT

MINI = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")
ENGINES = available_engines()


def corpus_of(*texts, outlets=None, titles=None) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame({
        "outlet": outlets or ["A"] * n,
        "title": titles or [None] * n,
        "published": pd.to_datetime(["2022-03-01"] * n),
        "text": list(texts),
    }, index=pd.Index([f"d{i}" for i in range(n)], name="doc_id"))


def hits_of(text, engine="auto", **kw):
    return find_hits(corpus_of(text), MINI, engine=engine, **kw)


def test_columns_and_offsets_point_at_the_text(seed_corpus):
    hits = find_hits(seed_corpus, MINI)
    assert list(hits.columns) == HIT_COLUMNS
    for row in hits.itertuples():
        assert seed_corpus.loc[row.doc_id, row.field][row.start:row.end] == row.match
    assert set(hits["voice"]) <= {"authorial", "quoted", "distanced"}


def test_titles_are_scanned(seed_corpus):
    hits = find_hits(seed_corpus, MINI)
    rt = hits[(hits.doc_id == "003_a08c4a9378959592") & (hits.field == "title")]
    assert rt["match"].tolist() == ["Kiev"]


@pytest.mark.parametrize("engine", ENGINES)
def test_longest_match_within_a_contrast(engine):
    hits = hits_of("The special military operation went on; a military operation too.", engine)
    assert hits["match"].tolist() == ["special military operation", "military operation"]


@pytest.mark.parametrize("engine", ENGINES)
def test_contrasts_may_overlap(engine):
    hits = hits_of("Talks with the Kiev regime stalled.", engine)
    assert sorted(zip(hits.contrast, hits.match, strict=True)) == [("capital", "Kiev"), ("government", "Kiev regime")]


@pytest.mark.parametrize("engine", ENGINES)
def test_except_phrases_count_for_nothing_and_are_listed(engine):
    text = "He ate chicken Kiev near Dynamo Kyiv stadium; war crimes; the cold war; the war."
    hits, excluded = hits_of(text, engine, return_excluded=True)
    assert hits["match"].tolist() == ["war"]
    assert sorted(excluded["except_match"]) == ["Dynamo Kyiv", "chicken Kiev", "cold war", "war crimes"]
    for row in excluded.itertuples():
        assert text[row.start:row.end] == row.match and text[row.except_start:row.except_end] == row.except_match


@pytest.mark.parametrize("engine", ENGINES)
def test_pattern_syntax(engine):
    text = ("Troops invaded and invades; a full scale invasion, a full-scale invasion; "
            "Kiev's mayor; KIEV; the LPR and the lpr; special\u00a0military\n operation; Kievan; Kiev‐based.")
    hits = hits_of(text, engine)
    assert hits["match"].tolist() == ["invaded", "invades", "full scale invasion", "full-scale invasion", "Kiev",
                                      "KIEV", "LPR", "special\u00a0military\n operation", "Kiev"]


@pytest.mark.parametrize("engine", ENGINES)
def test_unicode_word_boundaries(engine):
    assert hits_of("Kievé and éKiev and Kiev.", engine)["start"].tolist() == [20]


def test_engines_give_identical_hits(seed_corpus):
    if len(ENGINES) < 2:
        pytest.skip("only the portable engine is installed")
    a, ea = find_hits(seed_corpus, MINI, engine="hyperscan", return_excluded=True)
    b, eb = find_hits(seed_corpus, MINI, engine="python", return_excluded=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ea, eb)


def test_row_order_is_deterministic(seed_corpus):
    a = find_hits(seed_corpus, MINI)
    b = find_hits(seed_corpus.iloc[::-1].iloc[::-1], MINI)
    pd.testing.assert_frame_equal(a, b)


def test_count_hits_tidy(seed_corpus):
    counts = count_hits(seed_corpus, MINI)
    assert list(counts.columns) == ["group", "contrast", "variant", "side", "voice", "n_hits", "n_docs"]
    hits = find_hits(seed_corpus, MINI)
    assert counts["n_hits"].sum() == len(hits)
    rt = counts[(counts.group == "RT") & (counts.variant == "kiev")]
    assert rt["n_hits"].sum() == ((hits.outlet == "RT") & (hits.variant == "kiev")).sum()
    assert count_hits(seed_corpus, MINI, voice="quoted")["voice"].unique().tolist() == ["quoted"]


def test_count_hits_by_any_column(seed_corpus):
    counts = count_hits(seed_corpus, MINI, by="outlet_country")
    assert "Russia" in set(counts["group"])


def test_count_hits_streams_a_file(tmp_path, seed_corpus):
    path = tmp_path / "seed.parquet"
    seed_corpus.reset_index().to_parquet(path)
    streamed = count_hits(path, MINI, chunksize=2, id_col="doc_id", clean=False)
    pd.testing.assert_frame_equal(streamed, count_hits(seed_corpus, MINI))


def test_kwic_by_variant_and_pattern(seed_corpus):
    k = kwic(seed_corpus, MINI, variant="kiev")
    assert len(k) == 9 and set(k["outlet"]) == {"RT"}
    assert list(k.columns[:8]) == ["doc_id", "outlet", "field", "start", "end", "left", "match", "right"]
    k = kwic(seed_corpus, pattern="annex*")
    assert set(k["match"].str.lower()) == {"annex", "annexed", "annexation", "annexations"}


def test_kwic_html_is_escaped():
    k = kwic(corpus_of("<script>alert(1)</script> Kiev <b>x</b>"), MINI, contrast="capital")
    html = k._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_bad_arguments_are_clear(seed_corpus):
    from framing import FramingError

    with pytest.raises(FramingError, match="unknown contrast"):
        kwic(seed_corpus, MINI, contrast="nope")
    with pytest.raises(FramingError, match="unknown voice"):
        count_hits(seed_corpus, MINI, voice="loud")
    with pytest.raises(FramingError, match="corpus table"):
        find_hits(["a text"], MINI)


# --------------------------------------------------------------------------------- properties
WORDS = st.sampled_from(["Kiev", "Kyiv", "war", "special", "military", "operation", "invasion", "the", "said",
                         "regime", "Kiev regime", "so-called", "referendums", "DPR", "chicken", ",", ".", "\n",
                         "“", "”", '"', "’s", "Russia’s", "é", "LPR", "separatists"])
TEXTS = st.lists(WORDS, min_size=0, max_size=40).map(" ".join)
settings.register_profile("framing", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=80)
settings.load_profile("framing")


@given(TEXTS)
def test_hits_of_one_contrast_never_overlap_and_offsets_hold(text):
    hits = hits_of(text)
    for _, group in hits.groupby("contrast"):
        ends = group.sort_values("start")
        assert (ends["start"].to_numpy()[1:] >= ends["end"].to_numpy()[:-1]).all()
    for row in hits.itertuples():
        assert text[row.start:row.end] == row.match


@given(TEXTS)
def test_letter_case_does_not_change_case_insensitive_counts(text):
    def counts(t):
        h = hits_of(t)
        h = h[~h["variant"].isin(["dpr"])]  # DPR/LPR are case-sensitive
        return h.groupby("variant").size().to_dict()

    assert counts(text.upper()) == counts(text) == counts(text.lower())


@given(st.lists(st.sampled_from(["Kiev", "Kyiv", "war", "invasion", "the", "army", "said", "referendums",
                                 "special military operation"]), min_size=1, max_size=15).map(" ".join))
def test_wrapping_a_sentence_in_quotes_makes_its_hits_quoted(sentence):
    plain = hits_of(f"{sentence}.")
    quoted = hits_of(f"“{sentence}, and more,” he said.")
    assert len(plain) == len(quoted)
    assert set(quoted["voice"]) <= {"quoted"}


@given(st.text(max_size=200))
@settings(max_examples=150)
def test_arbitrary_unicode_never_crashes(text):
    for engine in ENGINES:
        hits = hits_of(text, engine)
        for row in hits.itertuples():
            assert text[row.start:row.end] == row.match


@pytest.mark.slow
def test_engines_identical_on_the_research_corpus(ukraine_path):
    if len(ENGINES) < 2:
        pytest.skip("only the portable engine is installed")
    corpus = load_corpus(ukraine_path).iloc[::7]
    lex = load_lexicon("russia-ukraine")
    a = find_hits(corpus, lex, engine="hyperscan", context=0)
    b = find_hits(corpus, lex, engine="python", context=0)
    pd.testing.assert_frame_equal(a, b)


def test_compiled_lexicon_pickles():
    import pickle

    m = compile_lexicon(MINI)
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.scan(["the Kiev regime"])[1].tolist() == m.scan(["the Kiev regime"])[1].tolist()
