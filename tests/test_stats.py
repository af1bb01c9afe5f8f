"""Statistics: shares and intervals, lean score, similarity and map, pinned on hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import (
    FramingError,
    find_hits,
    lean,
    load_corpus,
    load_lexicon,
    outlet_map,
    outlet_similarity,
    variant_shares,
)

from .conftest import ROOT

MINI = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")


def make_corpus(docs: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """docs: doc_id -> (outlet, text)."""
    frame = pd.DataFrame({"outlet": [o for o, _ in docs.values()], "text": [t for _, t in docs.values()]},
                         index=pd.Index(list(docs), name="doc_id"))
    frame["title"] = None
    frame["n_words"] = frame["text"].str.split().str.len()
    return frame


@pytest.fixture
def small():
    return make_corpus({
        "a1": ("A", "Kiev Kiev Kiev Kyiv."),
        "a2": ("A", "Kiev said."),
        "b1": ("B", "Kyiv Kyiv. The invasion went on."),
        "b2": ("B", 'Kyiv. "Kiev will fall," he said.'),
        "c1": ("C", "Nothing to see here."),
    })


def test_shares_counts_and_zero_rows(small):
    shares = variant_shares(find_hits(small, MINI), small, lexicon=MINI)
    assert len(shares) == 3 * sum(len(c.variants) for c in MINI.contrasts.values())
    cap = shares[shares.contrast == "capital"].set_index(["group", "variant"])
    assert cap.loc[("A", "kiev"), "n_hits"] == 4 and cap.loc[("A", "kiev"), "n_docs"] == 2
    assert cap.loc[("A", "kiev"), "share"] == pytest.approx(4 / 5)
    assert cap.loc[("B", "kyiv"), "share"] == 1.0      # the quoted Kiev does not count (authorial)
    assert cap.loc[("B", "kiev"), "n_hits"] == 0
    assert np.isnan(cap.loc[("C", "kyiv"), "share"]) and cap.loc[("C", "kyiv"), "n_hits"] == 0
    assert cap.loc[("C", "kyiv"), "ci_method"] == ""
    assert cap.loc[("A", "kiev"), "per_1k_words"] == pytest.approx(4 / 6 * 1000)
    assert cap.loc[("A", "kiev"), "n_group_docs"] == 2


def test_voice_none_counts_quotes(small):
    shares = variant_shares(find_hits(small, MINI), small, voice=None)
    b = shares[(shares.group == "B") & (shares.contrast == "capital")].set_index("variant")
    assert b.loc["kiev", "n_hits"] == 1 and b.loc["kyiv", "share"] == pytest.approx(3 / 4)


def test_jeffreys_interval_by_hand(small):
    shares = variant_shares(find_hits(small, MINI), small, min_docs=10)
    row = shares[(shares.group == "A") & (shares.variant == "kiev")].iloc[0]
    from scipy.stats import beta

    assert row.ci_method == "jeffreys"
    assert row.ci_low == pytest.approx(beta.ppf(0.025, 4.5, 1.5))
    assert row.ci_high == pytest.approx(beta.ppf(0.975, 4.5, 1.5))


def test_bootstrap_is_article_level_and_seeded():
    docs = {f"d{i}": ("A", "Kiev " * (10 if i % 2 else 1) + "Kyiv " * (i % 7)) for i in range(40)}
    corpus = make_corpus(docs)
    hits = find_hits(corpus, MINI)
    s1 = variant_shares(hits, corpus, seed=1)
    s2 = variant_shares(hits, corpus, seed=1)
    s3 = variant_shares(hits, corpus, seed=2)
    pd.testing.assert_frame_equal(s1, s2)
    assert not s1["ci_low"].equals(s3["ci_low"])
    row = s1[(s1.variant == "kiev")].iloc[0]
    assert row.ci_method == "bootstrap"
    # articles, not hits, are resampled: every resample mixes 1-Kiev and 10-Kiev articles, so the
    # interval is far wider than a binomial interval on 260 hits would be
    assert row.ci_low < row.share < row.ci_high
    assert row.ci_high - row.ci_low > 0.1


def test_bootstrap_coverage_is_near_nominal():
    rng = np.random.default_rng(7)
    truth = 0.3
    covered = 0
    runs = 120
    for r in range(runs):
        docs = {}
        for i in range(40):
            p = rng.beta(truth * 4, (1 - truth) * 4)  # articles differ: hits cluster
            n = rng.integers(1, 8)
            k = rng.binomial(n, p)
            docs[f"d{i}"] = ("A", " ".join(["Kiev"] * k + ["Kyiv"] * (n - k)))
        corpus = make_corpus(docs)
        s = variant_shares(find_hits(corpus, MINI), corpus, n_boot=400, seed=r)
        row = s[(s.variant == "kiev")].iloc[0]
        # the estimand is the ratio of expected counts, which equals `truth` here
        covered += row.ci_low <= truth <= row.ci_high
    assert 0.88 <= covered / runs <= 0.99


def test_lean_signs_and_sorting(small):
    hits = find_hits(small, MINI)
    table = lean(hits, small, lexicon=MINI)
    by = table.set_index("group")
    assert by.loc["A", "lean"] == pytest.approx((4 - 1) / 5)   # Kiev x4 (ru_state) vs Kyiv x1
    assert by.loc["B", "lean"] == pytest.approx((0 - 4) / 4)   # quoted Kiev does not move B
    assert np.isnan(by.loc["C", "lean"])
    assert table.sort_values("lean")["group"].tolist()[:2] == ["B", "A"]
    flipped = lean(hits, small, sides=("ua_western", "ru_state")).set_index("group")
    assert flipped.loc["A", "lean"] == pytest.approx(-by.loc["A", "lean"])
    everything = lean(hits, small, voice=None, lexicon=MINI).set_index("group")
    assert everything.loc["B", "lean"] == pytest.approx((1 - 4) / 5)


def test_lean_per_article(small):
    per = lean(find_hits(small, MINI), small, lexicon=MINI, unit="article").set_index("doc_id")
    assert per.loc["a2", "lean"] == 1.0 and per.loc["b1", "lean"] == -1.0
    assert per.loc["a2", "ci_low"] < 1.0 <= per.loc["a2", "ci_high"] + 1e-12


def test_inputs_are_not_modified(small):
    hits = find_hits(small, MINI)
    h0, c0 = hits.copy(), small.copy()
    variant_shares(hits, small)
    lean(hits, small)
    pd.testing.assert_frame_equal(hits, h0)
    pd.testing.assert_frame_equal(small, c0)


def test_similarity_by_hand():
    shares = pd.DataFrame({
        "group": ["A", "A", "B", "B", "C", "C"], "contrast": ["x"] * 6, "variant": ["u", "v"] * 3,
        "share": [1.0, 0.0, 0.0, 1.0, 0.5, 0.5], "n_hits": [2, 0, 0, 3, 1, 1], "side": [None] * 6,
    })
    sim = outlet_similarity(shares).set_index(["group_a", "group_b"])["distance"]
    assert sim[("A", "B")] == pytest.approx(1.0)
    assert sim[("A", "A")] == 0
    # JSD between (1,0) and (.5,.5): sqrt of 0.5*KL((1,0)||(.75,.25)) + 0.5*KL((.5,.5)||(.75,.25)), base 2
    m = np.array([0.75, 0.25])
    kl1 = np.log2(1 / 0.75)
    kl2 = 0.5 * np.log2(0.5 / 0.75) + 0.5 * np.log2(0.5 / 0.25)
    assert sim[("A", "C")] == pytest.approx(np.sqrt(0.5 * kl1 + 0.5 * kl2))
    del m
    cos = outlet_similarity(shares, "cosine").set_index(["group_a", "group_b"])["distance"]
    assert cos[("A", "C")] == pytest.approx(1 - 0.5 / np.sqrt(0.5))


def test_map_places_groups_by_their_variants():
    shares = pd.DataFrame({
        "group": ["A", "A", "B", "B", "C", "C"], "contrast": ["x"] * 6, "variant": ["u", "v"] * 3,
        "share": [0.9, 0.1, 0.1, 0.9, 0.85, 0.15], "n_hits": [9, 1, 1, 9, 17, 3], "side": ["s", "t"] * 3,
    })
    m = outlet_map(shares)
    g = m[m.kind == "group"].set_index("label")["dim1"]
    v = m[m.kind == "variant"].set_index("label")["dim1"]
    assert np.sign(g["A"]) == np.sign(g["C"]) == np.sign(v["u"]) != np.sign(g["B"])
    assert m.attrs["explained"][0] == pytest.approx(1.0)
    assert set(outlet_map(shares, method="pca").columns) >= {"dim1", "dim2", "explained_dim1"}


def test_clear_errors(small):
    hits = find_hits(small, MINI)
    with pytest.raises(FramingError, match="no column 'country'"):
        variant_shares(hits, small, by="country")
    with pytest.raises(FramingError, match="unknown voice"):
        lean(hits, small, voice="loud")
    with pytest.raises(FramingError, match="not in the corpus"):
        variant_shares(hits, small.drop(index="a1"))
    with pytest.raises(FramingError, match="two groups"):
        only_a = small[small.outlet == "A"]
        outlet_map(variant_shares(hits[hits.doc_id.isin(only_a.index)], only_a))


@pytest.mark.slow
def test_rt_leans_russian_and_every_western_outlet_the_other_way(ukraine_path):
    corpus = load_corpus(ukraine_path)
    table = lean(find_hits(corpus, context=0), corpus, lexicon="russia-ukraine").set_index("group")
    print("\n" + table.sort_values("lean")[["n_docs", "n_a", "n_b", "lean", "ci_low", "ci_high"]].round(3).to_string())
    assert table.loc["RT", "ci_low"] > 0
    western = table.drop(index="RT")
    assert len(western) == 12 and (western["ci_high"] < 0).all()
