"""Statistics: shares and intervals, lean score, comparisons, models, design checks, similarity and map."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from framing import (
    FramingError,
    Lexicon,
    cluster_interval,
    common_period,
    compare_groups,
    corpus_summary,
    count_hits,
    coverage,
    coverage_pairs,
    coverage_warning,
    find_hits,
    lean,
    lean_by_contrast,
    load_corpus,
    load_lexicon,
    methods_text,
    model_shares,
    outlet_map,
    outlet_order,
    outlet_similarity,
    trend,
    variant_shares,
    voice_shares,
)

from .conftest import ROOT

MINI = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")


def make_corpus(docs: dict[str, tuple], by: str = "outlet") -> pd.DataFrame:
    """docs: doc_id -> (group, text) or (group, text, published)."""
    frame = pd.DataFrame({by: [d[0] for d in docs.values()], "text": [d[1] for d in docs.values()]},
                         index=pd.Index(list(docs), name="doc_id"))
    if by != "outlet":
        frame["outlet"] = "O"
    frame["title"] = None
    frame["n_words"] = frame["text"].str.split().str.len()
    frame["published"] = pd.to_datetime([d[2] if len(d) > 2 else "2022-03-01" for d in docs.values()])
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


# --------------------------------------------------------------------------------- shares
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
    assert cap.loc[("A", "kiev"), "ci_method"] == "cluster-jeffreys"
    assert cap.loc[("A", "kiev"), "per_1k_words"] == pytest.approx(4 / 6 * 1000)
    assert cap.loc[("A", "kiev"), "n_group_docs"] == 2


def test_voice_none_counts_quotes(small):
    shares = variant_shares(find_hits(small, MINI), small, voice=None)
    b = shares[(shares.group == "B") & (shares.contrast == "capital")].set_index("variant")
    assert b.loc["kiev", "n_hits"] == 1 and b.loc["kyiv", "share"] == pytest.approx(3 / 4)


def test_cluster_interval_by_hand():
    # three articles: 3 of 4 hits, 1 of 1, 0 of 2 -> share 4/7
    x, n = np.array([3.0, 1.0, 0.0]), np.array([4.0, 1.0, 2.0])
    share, low, high, n_eff = cluster_interval(x, n)
    p, tot, d = 4 / 7, 7.0, 3
    loo = [(4 - xi) / (7 - ni) for xi, ni in zip(x, n, strict=True)]  # the share without each article
    v = (d - 1) / d * (np.array(loo) - p) ** 2
    df = min(max(3 * v.sum() ** 2 / (v**2).sum(), 1), d - 1)
    size = p * (1 - p) / v.sum() * (sps.norm.ppf(0.975) / sps.t.ppf(0.975, df)) ** 2
    size = min(max(size, tot**2 / (n**2).sum()), tot)
    assert share == pytest.approx(p)
    assert n_eff == pytest.approx(size)
    assert low == pytest.approx(sps.beta.ppf(0.025, p * size + 0.5, (1 - p) * size + 0.5))
    assert high == pytest.approx(sps.beta.ppf(0.975, p * size + 0.5, (1 - p) * size + 0.5))


def test_shares_use_the_cluster_interval_of_the_articles(small):
    shares = variant_shares(find_hits(small, MINI), small, lexicon=MINI, level=0.9)
    row = shares[(shares.group == "A") & (shares.variant == "kiev")].iloc[0]
    share, low, high, n_eff = cluster_interval([3, 1], [4, 1], level=0.9)  # a1: 3 Kiev of 4, a2: 1 of 1
    assert (row.share, row.ci_low, row.ci_high, row.n_eff) == pytest.approx((share, low, high, n_eff))
    assert shares.attrs["level"] == 0.9


def test_no_zero_width_interval_for_0_of_11_articles():
    corpus = make_corpus({f"d{i}": ("CNN", "Kyiv said. Kyiv again." if i % 2 else "In Kyiv.") for i in range(11)})
    shares = variant_shares(find_hits(corpus, MINI), corpus, lexicon=MINI)
    cap = shares[shares.contrast == "capital"].set_index("variant")
    assert cap.loc["kiev", "share"] == 0 and cap.loc["kiev", "ci_low"] == 0
    # all or nothing: the articles, not their 16 hits, say how sure we are (Kish number of articles)
    assert 0.1 < cap.loc["kiev", "ci_high"] < 0.3
    assert cap.loc["kyiv", "share"] == 1 and cap.loc["kyiv", "ci_high"] == 1 and cap.loc["kyiv", "ci_low"] < 0.9
    assert (shares.dropna(subset=["share"]).eval("ci_high - ci_low") > 0).all()


def test_a_single_article_group_gets_a_wide_interval():
    corpus = make_corpus({"rt1": ("RT", "Kiev " * 20), **{f"b{i}": ("BBC", "Kyiv and Kiev.") for i in range(12)}})
    hits = find_hits(corpus, MINI)
    cap = variant_shares(hits, corpus).query("contrast == 'capital' and variant == 'kiev'").set_index("group")
    assert cap.loc["RT", "share"] == 1 and cap.loc["RT", "n_eff"] == 1
    assert cap.loc["RT", "ci_low"] < 0.25  # twenty hits of one article are one choice
    table = lean(hits, corpus, lexicon=MINI, weight="hits").set_index("group")
    assert table.loc["RT", "lean"] == 1 and table.loc["RT", "ci_low"] < -0.5


def test_more_articles_narrow_the_interval_not_more_hits():
    ten_long = {f"l{i}": ("L", "Kyiv " * 10) for i in range(10)}
    many_short = {f"s{i}": ("S", "Kyiv") for i in range(100)}
    corpus = make_corpus({**ten_long, **many_short})
    shares = variant_shares(find_hits(corpus, MINI), corpus, lexicon=MINI).query("variant == 'kiev'").set_index("group")
    assert shares.loc["L", "n_contrast_hits"] == shares.loc["S", "n_contrast_hits"] == 100
    assert shares.loc["S", "ci_high"] < shares.loc["L", "ci_high"] / 5


def test_cluster_interval_coverage_is_near_nominal():
    # hits clustered in articles with between-article heterogeneity; the estimand is the ratio of
    # expected counts E[x]/E[n], which is `truth` because p does not depend on n
    rng = np.random.default_rng(7)
    truth, covered, runs = 0.3, 0, 600
    for _ in range(runs):
        n = 1 + rng.geometric(0.25, size=40) - 1
        x = rng.binomial(n, rng.beta(truth * 4, (1 - truth) * 4, size=40))
        _, low, high, _ = cluster_interval(x, n)
        covered += low <= truth <= high
    assert 0.93 <= covered / runs <= 0.975


def test_bootstrap_option_is_article_level_and_seeded():
    docs = {f"d{i}": ("A", "Kiev " * (10 if i % 2 else 1) + "Kyiv " * (i % 7)) for i in range(40)}
    corpus = make_corpus(docs)
    hits = find_hits(corpus, MINI)
    s1 = variant_shares(hits, corpus, ci="bootstrap", n_boot=500, seed=1)
    s2 = variant_shares(hits, corpus, ci="bootstrap", n_boot=500, seed=1)
    s3 = variant_shares(hits, corpus, ci="bootstrap", n_boot=500, seed=2)
    pd.testing.assert_frame_equal(s1, s2)
    assert not s1["ci_low"].equals(s3["ci_low"])
    row = s1[(s1.variant == "kiev")].iloc[0]
    assert row.ci_method == "bootstrap" and row.ci_low < row.share < row.ci_high
    assert row.ci_high - row.ci_low > 0.1  # articles, not hits: a binomial interval on 260 hits is narrower


@pytest.mark.parametrize("kwargs, match", [
    ({"n_boot": 0}, "n_boot must be a whole number"),
    ({"n_boot": 1}, "n_boot must be a whole number"),
    ({"n_boot": 500.0}, "n_boot must be a whole number"),
    ({"level": 0}, "level must be a number between 0 and 1"),
    ({"level": 1}, "level must be a number between 0 and 1"),
    ({"level": 95}, "level must be a number between 0 and 1"),
    ({"level": "0.95"}, "level must be a number between 0 and 1"),
    ({"ci": "wald"}, "ci must be one of"),
    ({"seed": "x"}, "seed must be a whole number"),
])
def test_interval_arguments_are_checked(small, kwargs, match):
    hits = find_hits(small, MINI)
    for fn in (variant_shares, lean, trend):
        with pytest.raises(FramingError, match=match):
            fn(hits, small, **kwargs)


def test_methods_text_says_what_was_used(small):
    hits = find_hits(small, MINI)
    text = methods_text(variant_shares(hits, small, level=0.9), lean(hits, small, level=0.9))
    assert text.startswith("90% intervals: cluster-adjusted Jeffreys") and "Kish" in text
    assert "bootstrap" not in text.split("Chosen by")[0].lower()
    boot = methods_text(variant_shares(hits, small, ci="bootstrap", n_boot=200))
    assert "percentile bootstrap" in boot
    assert "MOVER" in methods_text(compare_groups(hits, small, lexicon=MINI))
    with pytest.raises(FramingError, match="unknown ci_method"):
        methods_text(["jeffreys"])


# ----------------------------------------------------------------------------------- lean
def test_lean_by_hits_signs_and_sorting(small):
    hits = find_hits(small, MINI)
    table = lean(hits, small, lexicon=MINI, weight="hits")
    by = table.set_index("group")
    assert by.loc["A", "lean"] == pytest.approx((4 - 1) / 5)   # Kiev x4 (ru_state) vs Kyiv x1
    assert by.loc["B", "lean"] == pytest.approx((0 - 4) / 4)   # quoted Kiev does not move B
    assert np.isnan(by.loc["C", "lean"]) and by.loc["C", "ci_method"] == ""
    assert table.sort_values("lean")["group"].tolist()[:2] == ["B", "A"]
    flipped = lean(hits, small, sides=("ua_western", "ru_state"), weight="hits").set_index("group")
    assert flipped.loc["A", "lean"] == pytest.approx(-by.loc["A", "lean"])
    everything = lean(hits, small, voice=None, lexicon=MINI, weight="hits").set_index("group")
    assert everything.loc["B", "lean"] == pytest.approx((1 - 4) / 5)


def test_lean_by_contrast_weighs_each_choice_once():
    corpus = make_corpus({
        "d1": ("A", "Kiev " * 20 + "The invasion."),          # capital +1 (20 hits), war -1 (1 hit)
        "d2": ("A", "The special military operation."),     # war +1
    })
    hits = find_hits(corpus, MINI)
    by_contrast = lean(hits, corpus, lexicon=MINI).set_index("group")
    by_hits = lean(hits, corpus, lexicon=MINI, weight="hits").set_index("group")
    assert by_contrast.loc["A", "lean"] == pytest.approx(((1 - 1) / 2 + 1) / 2)  # article means, then mean
    assert by_hits.loc["A", "lean"] == pytest.approx((21 - 1) / 22)
    assert by_contrast.loc["A", "weight"] == "contrast" and by_contrast.loc["A", "n_contrasts"] == 2


def test_lean_contrasts_exclude_and_lexicon_flags():
    lex = Lexicon.from_dict({"name": "flags", "sides": {"r": "R", "u": "U"}, "contrasts": {
        "capital": {"label": "Capital", "kind": "spelling", "lean": False, "variants": {
            "kyiv": {"side": "u", "patterns": ["Kyiv"]}, "kiev": {"side": "r", "patterns": ["Kiev"]}}},
        "war": {"label": "War", "kind": "naming", "variants": {
            "smo": {"side": "r", "patterns": ["special operation"]}, "inv": {"side": "u", "patterns": ["invasion"]},
            "conflict": {"side": "r", "patterns": ["conflict"], "lean": False}}},
        "regime": {"label": "Regime", "exploratory": True, "variants": {
            "regime": {"side": "r", "patterns": ["regime"]}, "gov": {"side": "u", "patterns": ["government"]}}},
    }})
    corpus = make_corpus({"d1": ("A", "Kiev Kiev. The invasion, the conflict, the regime."),
                          "d2": ("A", "Kiev. The special operation.")})
    hits = find_hits(corpus, lex)
    default = lean(hits, corpus, lexicon=lex, weight="hits")
    assert default.attrs["contrasts"] == ["war"]
    left = default.attrs["left_out"].set_index(["contrast", "variant"], drop=False)["reason"]
    assert left[("capital", None)] == "lean: false" and left[("regime", None)] == "exploratory"
    assert left[("war", "conflict")] == "variant lean: false"
    assert default.loc[0, "lean"] == pytest.approx(0.0)  # invasion vs special operation; conflict left out
    named = lean(hits, corpus, lexicon=lex, contrasts=["capital", "war"], weight="hits")
    assert named.attrs["contrasts"] == ["capital", "war"] and named.loc[0, "lean"] == pytest.approx(3 / 5)
    dropped = lean(hits, corpus, lexicon=lex, contrasts=["capital", "war"], exclude=["war"], weight="hits")
    assert dropped.loc[0, "lean"] == 1.0 and "exclude=" in set(dropped.attrs["left_out"]["reason"])
    with pytest.raises(FramingError, match="no contrast 'capitol'"):
        lean(hits, corpus, lexicon=lex, exclude=["capitol"])
    with pytest.raises(FramingError, match="weight must be one of"):
        lean(hits, corpus, lexicon=lex, weight="articles")


def test_lean_by_contrast_adds_up_to_the_lean():
    corpus = make_corpus({
        "a1": ("A", "Kiev Kiev Kyiv. The invasion. The Kiev regime."), "a2": ("A", "Kyiv. The special operation."),
        "a3": ("A", "DPR separatists"), "b1": ("B", "Kyiv, the invasion, the full-scale invasion."),
    })
    hits = find_hits(corpus, MINI)
    for weight in ("contrast", "hits"):
        parts = lean_by_contrast(hits, corpus, lexicon=MINI, weight=weight)
        total = lean(hits, corpus, lexicon=MINI, weight=weight).set_index("group")["lean"]
        sums = parts.groupby("group")["contribution"].sum()
        assert sums.to_dict() == pytest.approx(total.dropna().to_dict())
        assert parts.groupby("group")["weight_share"].sum().to_numpy() == pytest.approx(1.0)
    parts = lean_by_contrast(hits, corpus, lexicon=MINI, weight="hits").set_index(["group", "contrast"])
    assert parts.loc[("A", "capital"), "lean"] == pytest.approx((3 - 2) / 5)  # "Kiev regime" holds a Kiev too
    assert parts.loc[("A", "capital"), "weight_share"] == pytest.approx(5 / 10)
    by_c = lean_by_contrast(hits, corpus, lexicon=MINI).set_index(["group", "contrast"])
    # a1 balances capital +0.5 among its 3 contrasts, a2 -1 among its 2: weights 1/3 and 1/2
    assert by_c.loc[("A", "capital"), "lean"] == pytest.approx((0.5 / 3 - 1 / 2) / (1 / 3 + 1 / 2))


def test_lean_per_article_clusters_its_contrasts(small):
    per = lean(find_hits(small, MINI), small, lexicon=MINI, unit="article", weight="hits").set_index("doc_id")
    assert per.loc["a2", "lean"] == 1.0 and per.loc["b1", "lean"] == -1.0
    assert per.loc["a2", "ci_low"] < 0 and per.loc["a2", "ci_high"] == 1.0  # one contrast: one choice
    assert per.loc["b1", "n_contrasts"] == 2 and per.loc["b1", "n_eff"] == pytest.approx(9 / 5)


def test_lean_and_trend_with_hits_of_one_side_only():
    corpus = make_corpus({"d1": ("A", "Kyiv and the invasion.", "2022-03-01"), "d2": ("B", "Kyiv.", "2022-04-01")})
    hits = find_hits(corpus, MINI)
    assert set(hits["side"]) == {"ua_western"}
    table = lean(hits, corpus)  # no sides, no lexicon: the one side is side A
    assert (table["lean"] == 1).all() and table["side_b"].isna().all()
    assert len(trend(hits, corpus)) == 2
    assert (lean(hits, corpus, lexicon=MINI)["lean"] == -1).all()
    empty = lean(hits.iloc[:0], corpus)
    assert empty["lean"].isna().all() and list(empty["group"]) == ["A", "B"]


def test_inputs_are_not_modified(small):
    hits = find_hits(small, MINI)
    h0, c0 = hits.copy(), small.copy()
    variant_shares(hits, small)
    lean(hits, small)
    lean(hits, small, unit="article")
    lean_by_contrast(hits, small, lexicon=MINI)
    compare_groups(hits, small, lexicon=MINI)
    trend(hits, small)
    coverage(small)
    common_period(small)
    pd.testing.assert_frame_equal(hits, h0)
    pd.testing.assert_frame_equal(small, c0)


# ------------------------------------------------------------------------- missing group values
def test_missing_group_values_are_one_explicit_group(small):
    corpus = small.assign(country=["X", None, "", "Y", "  "])
    hits = find_hits(corpus, MINI)
    missing = "(missing)"
    summary = corpus_summary(corpus, by="country").set_index("country")
    assert summary.loc[missing, "n_articles"] == 3 and summary["n_articles"].sum() == len(corpus)
    counts = count_hits(corpus, MINI, by="country")
    assert missing in set(counts["group"]) and "" not in set(counts["group"])
    assert counts.attrs["n_docs"][missing] == 3
    shares = variant_shares(hits, corpus, by="country")
    assert shares.groupby("group")["n_group_docs"].first().sum() == len(corpus)
    kiev = shares.query("group == @missing and variant == 'kiev'").iloc[0]  # a2's Kiev, b1's two Kyiv
    assert kiev.n_hits == 1 and kiev.n_contrast_hits == 3 and kiev.n_contrast_docs == 2
    assert lean(hits, corpus, by="country").set_index("group").loc[missing, "n_docs"] == 2  # a2 and b1
    per_article = lean(hits, corpus, by="country", unit="article").set_index("doc_id")
    assert per_article.loc["a2", "group"] == missing
    assert missing in set(trend(hits, corpus, by="country")["group"])
    assert missing in set(coverage(corpus, by="country")["group"])


# --------------------------------------------------------------------------- comparisons
def test_compare_groups_mover_interval_p_value_and_holm():
    docs = {**{f"r{i}": ("RT", "Kiev. Kiev." if i % 4 else "Kyiv.") for i in range(16)},
            **{f"b{i}": ("BBC", "Kyiv." if i % 5 else "Kiev.") for i in range(20)},
            **{f"c{i}": ("CNN", "Kyiv. Kyiv.") for i in range(12)}}
    corpus = make_corpus(docs)
    hits = find_hits(corpus, MINI)
    table = lean(hits, corpus, lexicon=MINI, weight="hits").set_index("group")
    d = compare_groups(hits, corpus, a="RT", b="BBC", lexicon=MINI, weight="hits").iloc[0]
    ra, rb = table.loc["RT"], table.loc["BBC"]
    assert d.difference == pytest.approx(ra.lean - rb.lean)
    assert d.ci_low == pytest.approx(d.difference - np.hypot(ra.lean - ra.ci_low, rb.ci_high - rb.lean))
    assert d.ci_high == pytest.approx(d.difference + np.hypot(ra.ci_high - ra.lean, rb.lean - rb.ci_low))
    assert d.ci_low > 0 and d.p < 0.05
    # the p-value inverts the interval: at level 1 - p the interval just reaches 0
    at = compare_groups(hits, corpus, a="RT", b="BBC", lexicon=MINI, weight="hits", level=1 - d.p).iloc[0]
    assert at.ci_low == pytest.approx(0, abs=1e-6)
    every = compare_groups(hits, corpus, lexicon=MINI)
    assert len(every) == 3 and set(every["ci_method"]) == {"mover"}
    p = every["p"].to_numpy()
    order = np.argsort(p)
    holm = np.minimum(np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]), 1)
    assert every["p_holm"].to_numpy()[order] == pytest.approx(holm)
    one_vs_rest = compare_groups(hits, corpus, a="CNN", lexicon=MINI)
    assert list(one_vs_rest["group_b"]) == ["BBC", "RT"]
    share = compare_groups(hits, corpus, a="RT", b="BBC", measure="share", variant="kiev").iloc[0]
    assert share.estimate_a == pytest.approx(24 / 28) and share.estimate_b == pytest.approx(4 / 20)
    with pytest.raises(FramingError, match=r"no articles for outlet \['Fox'\] \(a=\)"):
        compare_groups(hits, corpus, a="Fox", lexicon=MINI)
    with pytest.raises(FramingError, match="needs variant="):
        compare_groups(hits, corpus, measure="share")


# --------------------------------------------------------------------------------- models
def test_model_shares_against_statsmodels_directly():
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(3)
    docs, rows = {}, []
    for i in range(30):
        outlet = "ABC"[i % 3]
        month = ["2022-03", "2022-04"][i % 2]
        p = {"A": 0.8, "B": 0.4, "C": 0.2}[outlet] + (0.1 if month == "2022-04" else 0)
        variants = ["kiev" if rng.random() < p else "kyiv" for _ in range(1 + i % 4)]
        docs[f"d{i}"] = (outlet, " ".join(v.capitalize() for v in variants) + ".", f"{month}-10")
        rows += [(f"d{i}", outlet, month, v == "kyiv") for v in variants]
    corpus = make_corpus(docs)
    hits = find_hits(corpus, MINI)
    got = model_shares(hits, corpus, "capital", "~ outlet + C(month)")
    data = pd.DataFrame(rows, columns=["doc_id", "outlet", "month", "kyiv"]).astype({"kyiv": float})
    ref = smf.glm("kyiv ~ outlet + C(month)", data, family=sm.families.Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["doc_id"])[0]})
    coef = got.attrs["coefficients"].set_index("term")
    assert coef["estimate"].to_numpy() == pytest.approx(ref.params.to_numpy(), rel=1e-6)
    assert coef["std_error"].to_numpy() == pytest.approx(ref.bse.to_numpy(), rel=1e-6)
    assert set(coef["equation"]) == {"kyiv"}
    for g in "ABC":  # adjusted share: every hit given outlet g, month as observed
        expected = ref.predict(data.assign(outlet=g)).mean()
        row = got.query("group == @g and variant == 'kyiv'").iloc[0]
        assert row.share == pytest.approx(expected, rel=1e-6) and row.ci_low < row.share < row.ci_high
        assert got.query("group == @g and variant == 'kiev'")["share"].item() == pytest.approx(1 - expected)
    assert got.attrs["n_docs"] == 30 and got.attrs["n_hits"] == len(data)
    with pytest.raises(FramingError, match="does not use 'outlet'"):
        model_shares(hits, corpus, "capital", "~ C(month)")
    with pytest.raises(FramingError, match="no hits of contrast"):
        model_shares(hits, corpus, "war_name")


def test_model_shares_multinomial_against_statsmodels():
    import statsmodels.formula.api as smf

    lex = Lexicon.from_dict({"name": "three", "sides": {"r": "R", "u": "U"}, "contrasts": {"cap": {
        "label": "Capital", "variants": {"kyiv": {"side": "u", "patterns": ["Kyiv"]},
                                         "kiev": {"side": "r", "patterns": ["Kiev"]},
                                         "kyjiw": {"side": "u", "patterns": ["Kyjiw"]}}}}})
    words = ["Kyiv", "Kiev", "Kyjiw"]
    rng = np.random.default_rng(5)
    docs = {f"d{i}": ("AB"[i % 2], " ".join(rng.choice(words, size=2, p=[[.5, .3, .2], [.2, .6, .2]][i % 2])))
            for i in range(40)}
    corpus = make_corpus(docs)
    hits = find_hits(corpus, lex)
    got = model_shares(hits, corpus, "cap")
    data = hits[["doc_id", "variant"]].assign(outlet=corpus.loc[hits["doc_id"], "outlet"].to_numpy())
    order = list(dict.fromkeys(hits["variant"]))
    data["y"] = pd.Categorical(data["variant"], categories=order).codes
    ref = smf.mnlogit("y ~ outlet", data).fit(cov_type="cluster", disp=0,
                                             cov_kwds={"groups": pd.factorize(data["doc_id"])[0]})
    coef = got.attrs["coefficients"]
    assert coef["estimate"].to_numpy() == pytest.approx(ref.params.to_numpy().ravel(order="F"), rel=1e-5)
    assert coef["std_error"].to_numpy() == pytest.approx(ref.bse.to_numpy().ravel(order="F"), rel=1e-5)
    raw = got.set_index(["group", "variant"])
    assert raw["share"].to_numpy() == pytest.approx(raw["raw_share"].to_numpy(), abs=1e-6)  # saturated model
    assert got.groupby("group")["share"].sum().to_numpy() == pytest.approx(1.0)


# ---------------------------------------------------------------------------------- design
def test_coverage_overlap_rule_and_warning():
    docs = {**{f"bbc{i}": ("BBC", "x", f"2022-0{4 + i % 3}-10") for i in range(6)},     # Apr-Jun
            **{f"rt{i}": ("RT", "x", f"2022-{6 + i % 5:02d}-10") for i in range(10)}}   # Jun-Oct
    corpus = make_corpus(docs)
    pairs = coverage_pairs(corpus).set_index(["group_a", "group_b"])
    bbc_rt = pairs.loc[("BBC", "RT")]
    assert bbc_rt.periods_both == 1 and bbc_rt.share_a == pytest.approx(2 / 6)
    assert bbc_rt.share_b == pytest.approx(2 / 10) and bbc_rt.overlap == pytest.approx(0.2)
    cov = coverage(corpus).set_index("group")
    assert cov.loc["RT", "n_periods"] == 5 and cov.loc["BBC", "per_period"] == pytest.approx(2.0)
    assert cov.loc["BBC", "least_overlap_with"] == "RT"
    text = coverage_warning(corpus)
    assert text.startswith("Periods overlap little: BBC (Apr 2022–Jun 2022) and RT (Jun 2022–Oct 2022)")
    assert "2022-06" in text and "4 of 16 articles" in text
    same = make_corpus({f"d{i}": ("AB"[i % 2], "x", f"2022-0{3 + i // 2 % 2}-01") for i in range(8)})
    assert coverage_warning(same) == ""


def test_common_period_keeps_the_months_every_group_covers():
    docs = {"a1": ("A", "x", "2022-03-05"), "a2": ("A", "x", "2022-04-01"), "b1": ("B", "x", "2022-04-20"),
            "b2": ("B", "x", "2022-05-02"), "c1": ("C", "x", "2022-04-30")}
    corpus = make_corpus(docs)
    corpus.loc["c1", "published"] = pd.NaT
    kept = common_period(corpus, groups=["A", "B"])
    assert kept.index.tolist() == ["a2", "b1"] and kept.attrs["common_periods"] == ["2022-04"]
    reasons = kept.attrs["left_out"].set_index("doc_id")["reason"]
    assert reasons.to_dict() == {"a1": "outside the common period", "b2": "outside the common period",
                                 "c1": "not a compared group"}
    with pytest.raises(FramingError, match="no month has articles of every group"):
        common_period(corpus.drop(index=["a2"]), groups=["A", "B"])


# ---------------------------------------------------------------------- similarity and map
def test_similarity_by_hand():
    shares = pd.DataFrame({
        "group": ["A", "A", "B", "B", "C", "C"], "contrast": ["x"] * 6, "variant": ["u", "v"] * 3,
        "share": [1.0, 0.0, 0.0, 1.0, 0.5, 0.5], "n_hits": [2, 0, 0, 3, 1, 1], "side": [None] * 6,
    })
    sim = outlet_similarity(shares).set_index(["group_a", "group_b"])
    assert sim.loc[("A", "B"), "distance"] == pytest.approx(1.0)
    assert sim.loc[("A", "A"), "distance"] == 0 and (sim["n_contrasts"] == 1).all()
    # JSD between (1,0) and (.5,.5): sqrt of 0.5*KL((1,0)||(.75,.25)) + 0.5*KL((.5,.5)||(.75,.25)), base 2
    kl1 = np.log2(1 / 0.75)
    kl2 = 0.5 * np.log2(0.5 / 0.75) + 0.5 * np.log2(0.5 / 0.25)
    assert sim.loc[("A", "C"), "distance"] == pytest.approx(np.sqrt(0.5 * kl1 + 0.5 * kl2))
    cos = outlet_similarity(shares, "cosine").set_index(["group_a", "group_b"])["distance"]
    assert cos[("A", "C")] == pytest.approx(1 - 0.5 / np.sqrt(0.5))


def _triangle_breaks(sim: pd.DataFrame) -> int:
    d = sim.set_index(["group_a", "group_b"])["distance"]
    groups = sorted(sim["group_a"].unique())
    return sum(d[(a, c)] > d[(a, b)] + d[(b, c)] + 1e-12 for a, b, c in itertools.permutations(groups, 3)
               if np.isfinite([d[(a, c)], d[(a, b)], d[(b, c)]]).all())


def test_common_contrasts_make_a_metric_pairwise_ones_do_not():
    # A and C share one contrast, x, where they differ completely; B agrees with A on three others and
    # with C on three others: per pair, A-B and B-C rest mostly on agreement, A-C on disagreement
    rows = [("A", c, [1, 0]) for c in "yzw"] + [("C", c, [1, 0]) for c in "qrs"]
    rows += [("B", c, [1, 0]) for c in "yzwqrs"] + [("A", "x", [1, 0]), ("B", "x", [0.5, 0.5]), ("C", "x", [0, 1])]
    shares = pd.DataFrame([(g, c, v, s) for g, c, ss in rows for v, s in zip(["u", "v"], ss, strict=True)],
                          columns=["group", "contrast", "variant", "share"])
    full = pd.MultiIndex.from_product([["A", "B", "C"], list("xyzwqrs"), ["u", "v"]],
                                      names=["group", "contrast", "variant"])
    shares = shares.set_index(["group", "contrast", "variant"]).reindex(full).reset_index()  # NaN: no hits
    pairwise = outlet_similarity(shares, contrasts="pairwise")
    assert _triangle_breaks(pairwise) > 0
    assert pairwise.set_index(["group_a", "group_b"]).loc[("A", "B"), "n_contrasts"] == 4
    common = outlet_similarity(shares)
    assert common.attrs["common_contrasts"] == ["x"] and (common["n_contrasts"] == 1).all()
    assert _triangle_breaks(common) == 0
    d = common.set_index(["group_a", "group_b"])["distance"]
    assert d[("A", "C")] == pytest.approx(1.0)
    rest = outlet_similarity(shares.query("group != 'C'")).set_index(["group_a", "group_b"])
    assert rest.loc[("A", "B"), "n_contrasts"] == 4
    half = 0.5 * np.log2(1 / 0.75) + 0.5 * (0.5 * np.log2(0.5 / 0.75) + 0.5 * np.log2(0.5 / 0.25))
    assert rest.loc[("A", "B"), "distance"] == pytest.approx(np.sqrt(half / 4))  # JSD on x, 0 on y, z, w


def test_similarity_explains_missing_distances(seed_corpus):
    shares = variant_shares(find_hits(seed_corpus), seed_corpus)
    pairwise = outlet_similarity(shares, contrasts="pairwise")
    assert _triangle_breaks(pairwise) > 0  # the per-pair version is not a metric on the seed corpus
    nan = pairwise[pairwise["distance"].isna()]
    assert len(nan) and set(nan["note"]) == {"no contrast used by both"} and (nan["n_contrasts"] == 0).all()
    few = outlet_similarity(shares, contrasts="pairwise", min_contrasts=3)
    assert few["note"].str.contains("fewer than min_contrasts=3").any()


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
    assert (m.query("kind == 'group'")["n_contrasts"] == 1).all()
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
    with pytest.raises(FramingError, match=r"contrasts must be one of \['common', 'pairwise'\]"):
        outlet_similarity(variant_shares(hits, small), contrasts="all")
    with pytest.raises(FramingError, match="freq='Z'"):
        trend(hits, small, freq="Z")


# ------------------------------------------------------------------------ ukraine-media-2022
@pytest.mark.slow
def test_rt_leans_russian_and_every_western_outlet_the_other_way(ukraine_path):
    corpus = load_corpus(ukraine_path)
    hits = find_hits(corpus, context=0)
    for weight in ("contrast", "hits"):
        table = lean(hits, corpus, lexicon="russia-ukraine", weight=weight).set_index("group")
        print("\n" + table.sort_values("lean")[["n_docs", "n_a", "n_b", "lean", "ci_low", "ci_high"]]
              .round(3).to_string())
        assert table.loc["RT", "ci_low"] > 0
        western = table.drop(index="RT")
        assert len(western) == 12 and (western["ci_high"] < 0).all()


# --------------------------------------------------------------------------- order and voice shares
SEED_ORDER = ["American Age", "Reuters", "TheJournal.ie", "The National", "RT"]  # ties at -1 sorted by name


def test_outlet_order_sorts_by_lean(seed_corpus):
    hits = find_hits(seed_corpus, "russia-ukraine")
    lean_table = lean(hits, seed_corpus, lexicon="russia-ukraine", weight="hits")
    shares = variant_shares(hits, seed_corpus, lexicon="russia-ukraine")
    assert outlet_order(lean_table) == SEED_ORDER
    assert outlet_order(lean_table, ascending=False)[0] == "RT"
    assert outlet_order(shares)[-1] == "RT"
    with pytest.raises(FramingError, match="outlet_order expects"):
        outlet_order(pd.DataFrame({"x": [1]}))


def test_voice_shares_split_each_group_and_agree_between_hits_and_counts(seed_corpus):
    hits = find_hits(seed_corpus, "russia-ukraine")
    table = voice_shares(hits, contrast="war_name")
    sub = hits[hits["contrast"] == "war_name"]
    assert list(table.columns) == ["group", "voice", "n_hits", "n_group_hits", "share"]
    counted = table.pivot(index="group", columns="voice", values="n_hits")
    expected = sub.groupby(["outlet", "voice"]).size().unstack(fill_value=0)
    for g, row in expected.iterrows():
        for v, n in row.items():
            assert counted.at[g, v] == n
    assert np.allclose(table.groupby("group")["share"].sum(), 1)
    authorial = table[table["voice"] == "authorial"].set_index("group")["share"]
    assert list(authorial.index) == list(authorial.sort_values(ascending=False, kind="stable").index)
    # from count_hits: the same numbers, and groups without hits are listed last with share NaN
    from_counts = voice_shares(count_hits(seed_corpus, "russia-ukraine"), variant="special_operation")
    from_hits = voice_shares(hits, variant="special_operation")
    with_hits = from_counts[from_counts["n_group_hits"] > 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(with_hits, from_hits, check_like=False)
    missing = from_counts[from_counts["n_group_hits"] == 0]
    assert set(missing["group"]) == set(seed_corpus["outlet"]) - set(hits.loc[hits["variant"] == "special_operation",
                                                                             "outlet"])
    assert "American Age" in set(missing["group"]) and missing["share"].isna().all()
    assert list(from_counts["group"].drop_duplicates())[-len(set(missing["group"])):] == \
        list(missing["group"].drop_duplicates())  # listed last
    assert from_counts.attrs["contrast"] == "war_name"
    with pytest.raises(ValueError, match="no hits of variant 'nope'"):
        voice_shares(hits, variant="nope")
