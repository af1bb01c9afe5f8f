"""The validation loop: sample -> coders' files -> report (precision, agreement, alpha) -> corrected shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import (
    FramingError,
    corrected_lean,
    corrected_shares,
    find_hits,
    load_lexicon,
    validation_report,
    validation_sample,
    variant_shares,
)
from framing.validation import SAMPLE_COLUMNS, read_coding, write_coding_sheet

from .conftest import ROOT

LEX = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")


def _corpus(n_docs: int = 40) -> pd.DataFrame:
    """Two outlets, each article with a few hits of the capital and war contrasts."""
    rng = np.random.default_rng(1)
    texts, outlets = [], []
    for i in range(n_docs):
        outlet = "A" if i % 2 else "B"
        kiev = "Kiev" if (outlet == "A") == (rng.random() < 0.8) else "Kyiv"
        war = "war" if rng.random() < 0.5 else "invasion"
        texts.append(f"Officials in {kiev} spoke. The {war} went on near {kiev}. Kyiv said the special operation "
                     f"failed, and the {war} continued.")
        outlets.append(outlet)
    return pd.DataFrame({"outlet": outlets, "title": [None] * n_docs, "text": texts,
                         "published": pd.to_datetime(["2022-03-01"] * n_docs)},
                        index=pd.Index([f"d{i}" for i in range(n_docs)], name="doc_id"))


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


@pytest.fixture(scope="module")
def hits(corpus):
    return find_hits(corpus, LEX)


def test_sample_is_stratified_stable_and_has_empty_coding_columns(hits):
    sample = validation_sample(hits, n=30, seed=0)
    assert list(sample.columns) == SAMPLE_COLUMNS
    sizes = hits.groupby(["contrast", "variant"]).size()
    taken = sample.groupby(["contrast", "variant"]).size()
    assert taken.sum() == 30 and set(taken.index) == set(sizes.index)
    small = sizes[sizes < 30 / len(sizes)]
    assert (taken[small.index] == small).all()  # a small stratum gives all its hits
    assert taken.drop(small.index).max() - taken.drop(small.index).min() <= 1  # the rest split evenly
    assert (sample["weight"] == sample["stratum_size"] / sample["stratum_sampled"]).all()
    assert sample[["on_referent", "voice", "coder", "note"]].isna().all().all()
    again = validation_sample(hits.sample(frac=1, random_state=3), n=30, seed=0)  # input order does not matter
    pd.testing.assert_frame_equal(sample, again)
    assert set(validation_sample(hits, n=30, seed=1)["hit_id"]) != set(sample["hit_id"])
    # stable ids: the same hit has the same id in a bigger sample
    big = validation_sample(hits, n=len(hits), seed=0).set_index("hit_id")
    assert big.loc[sample["hit_id"], "start"].tolist() == sample["start"].tolist()
    for row in sample.itertuples():
        assert row.match in row.sentence


def test_sample_rejects_bad_input(hits):
    with pytest.raises(FramingError, match="missing columns"):
        validation_sample(hits.drop(columns=["variant"]))
    with pytest.raises(FramingError, match="at least 1"):
        validation_sample(hits, n=0)


def _code(sample: pd.DataFrame, coder: str, wrong: set[str], flip_voice: set[str]) -> pd.DataFrame:
    """A synthetic coder: says no for the hits in ``wrong`` (a Kiev in B's articles is off referent)."""
    out = sample.copy()
    out["on_referent"] = ["no" if h in wrong else "yes" for h in out["hit_id"]]
    out["voice"] = [("quoted" if v != "quoted" else "authorial") if h in flip_voice else v
                    for h, v in zip(out["hit_id"], out["tool_voice"], strict=True)]
    out["coder"] = coder
    return out


def test_end_to_end_sample_two_coders_report_and_corrected_shares(tmp_path, corpus, hits):
    sample = validation_sample(hits, n=60, seed=0)
    path = write_coding_sheet(sample, tmp_path / "coding.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets read the accents right
    kiev = sample[sample["variant"] == "kiev"]["hit_id"].tolist()
    kyiv = sample[sample["variant"] == "kyiv"]["hit_id"].tolist()
    wrong_a = set(kiev[: len(kiev) // 4]) | set(kyiv[: len(kyiv) // 4])  # both spellings ~75% on referent
    wrong_b = wrong_a | {kiev[-1]}  # one disagreement on referent
    flip = set(sample["hit_id"].iloc[:3])
    a = tmp_path / "ann.csv"
    b = tmp_path / "bob.csv"
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    _code(sheet, "ann", wrong_a, set()).to_csv(a, index=False)
    _code(sheet, "", wrong_b, flip).to_csv(b, index=False)  # no coder name: the file's name is used
    report = validation_report([a, b]).set_index(["contrast", "variant"])
    row = report.loc[("capital", "kiev")]
    n = len(kiev)
    assert row.n_coded == n and row.n_coders == 2
    assert row.n_on_referent == pytest.approx(n - len(wrong_a & set(kiev)) / 2 - len(wrong_b & set(kiev)) / 2)
    assert row.precision == pytest.approx(row.n_on_referent / n)
    assert row.precision_low < row.precision < row.precision_high
    assert report.loc[("war_name", "invasion"), "precision"] == 1.0
    overall = report.loc[("(all)", "")]
    assert overall.voice_agreement == pytest.approx(1 - 3 / (2 * len(sample)))
    # alpha from the krippendorff package, computed here on the same coders x hits table
    import krippendorff

    both = read_coding([a, b])
    table = both.pivot(index="coder", columns="hit_id", values="on_referent").to_numpy(dtype=float)
    assert overall.alpha_on_referent == pytest.approx(krippendorff.alpha(reliability_data=table,
                                                                         level_of_measurement="nominal"))
    assert 0 < overall.alpha_on_referent < 1
    # corrected shares: kiev counts less, and the intervals carry the precision's uncertainty
    shares = corrected_shares(hits, corpus, report.reset_index(), lexicon=LEX, n_boot=500, seed=0)
    cap = shares[(shares.contrast == "capital") & shares.n_contrast_hits.gt(0)].set_index(["group", "variant"])
    assert cap["corrected"].all() and cap["precision_coded"].all()
    precision = report["precision"]
    for g in ("A", "B"):
        p_kiev, p_kyiv = precision[("capital", "kiev")], precision[("capital", "kyiv")]
        x, y = cap.loc[(g, "kiev"), "n_hits"], cap.loc[(g, "kyiv"), "n_hits"]
        assert cap.loc[(g, "kiev"), "corrected_share"] == pytest.approx(x * p_kiev / (x * p_kiev + y * p_kyiv))
        assert cap.loc[(g, "kiev"), "corrected_share"] + cap.loc[(g, "kyiv"), "corrected_share"] == pytest.approx(1)
    width = cap["ci_high"] - cap["ci_low"]
    corrected_width = cap["corrected_ci_high"] - cap["corrected_ci_low"]
    assert (corrected_width > width).all()
    # the same correction with the precision known (a huge coded sample) is narrower: the width comes
    # from propagating the precision's uncertainty (a correction that moves a share or the lean
    # towards an end can narrow the raw interval, so this is the comparison that always holds)
    known = report.reset_index().assign(n_coded=lambda r: r.n_coded * 10_000, n_on_referent=lambda r: r.n_on_referent
                                        * 10_000)
    lean = corrected_lean(hits, corpus, report.reset_index(), lexicon=LEX, n_boot=500, seed=0).set_index("group")
    fixed_lean = corrected_lean(hits, corpus, known, lexicon=LEX, n_boot=500, seed=0).set_index("group")
    assert lean["corrected"].all() and np.allclose(lean["corrected_lean"], fixed_lean["corrected_lean"])
    assert ((lean["corrected_ci_high"] - lean["corrected_ci_low"])
            > (fixed_lean["corrected_ci_high"] - fixed_lean["corrected_ci_low"])).all()
    fixed = corrected_shares(hits, corpus, known, lexicon=LEX, n_boot=500, seed=0)
    fixed = fixed[(fixed.contrast == "capital") & fixed.n_contrast_hits.gt(0)].set_index(["group", "variant"])
    assert np.allclose(fixed["corrected_share"], cap["corrected_share"], atol=1e-9)
    assert (corrected_width > fixed["corrected_ci_high"] - fixed["corrected_ci_low"]).all()


def test_uncoded_variants_keep_their_counts(corpus, hits):
    precision = pd.DataFrame({"contrast": ["capital"], "variant": ["kiev"], "n_coded": [20], "n_on_referent": [20]})
    shares = corrected_shares(hits, corpus, precision, n_boot=200)
    war = shares[(shares.contrast == "war_name") & shares.n_contrast_hits.gt(0)]
    assert not war["corrected"].any() and not war["precision_coded"].any()
    assert np.allclose(war["corrected_share"], war["share"])
    kiev = shares[(shares.variant == "kiev") & shares.n_contrast_hits.gt(0)]
    assert (kiev["precision"] == 1).all() and kiev["corrected"].all()
    # all 20 coded hits on referent: the point estimate is unchanged, but 20 hits do not make the
    # precision certain: the share may be lower, so the interval reaches lower than with a precision
    # known to be 1 (precision cannot exceed 1, so the upper end does not move up)
    assert np.allclose(kiev["corrected_share"], kiev["share"])
    known = corrected_shares(hits, corpus, precision.assign(n_coded=10**6, n_on_referent=10**6), n_boot=200)
    known = known[(known.variant == "kiev") & known.n_contrast_hits.gt(0)]
    assert (kiev["corrected_ci_low"] < known["corrected_ci_low"]).all()
    assert (kiev["corrected_ci_high"] <= known["corrected_ci_high"] + 1e-12).all()
    base = variant_shares(hits, corpus, n_boot=200)  # the uncorrected columns are variant_shares
    pd.testing.assert_frame_equal(shares[base.columns], base)


def test_alpha_against_the_package_on_krippendorffs_example():
    """Krippendorff's (2011) example: 3 coders, 15 units, values 1-4, nominal alpha 0.691."""
    import krippendorff

    data = np.array([[np.nan, np.nan, np.nan, np.nan, np.nan, 3, 4, 1, 2, 1, 1, 3, 3, np.nan, 3],
                     [1, np.nan, 2, 1, 3, 3, 4, 3, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
                     [np.nan, np.nan, 2, 1, 3, 4, 4, np.nan, 2, 1, 1, 3, 3, np.nan, 4]])
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert expected == pytest.approx(0.691358, abs=1e-6)
    names = dict(enumerate(["authorial", "quoted", "distanced", "attributed"], start=1))
    rows = [{"hit_id": f"u{u}", "contrast": "c", "variant": "v", "tool_voice": "authorial", "on_referent": "",
             "voice": names[int(data[c, u])], "coder": f"c{c}"}
            for c in range(3) for u in range(15) if not np.isnan(data[c, u])]
    report = validation_report(pd.DataFrame(rows))
    assert report.loc[0, "alpha_voice"] == pytest.approx(expected)
    assert np.isnan(report.loc[0, "alpha_on_referent"])  # nothing coded


@pytest.mark.parametrize(("column", "value", "message"), [
    ("on_referent", "maybe", "line 3: on_referent 'maybe' is not yes or no"),
    ("voice", "loud", "line 3: voice 'loud' is not one of"),
])
def test_bad_codes_name_the_file_and_line(tmp_path, hits, column, value, message):
    sheet = validation_sample(hits, n=5).assign(on_referent="yes", voice="authorial", coder="ann")
    sheet.loc[1, column] = value
    path = tmp_path / "coded.csv"
    sheet.to_csv(path, index=False)
    with pytest.raises(FramingError, match=message):
        validation_report(path)
    with pytest.raises(FramingError, match="missing columns"):
        validation_report(sheet.drop(columns=["voice"]))
    twice = pd.concat([sheet, sheet]).assign(on_referent="yes", voice="authorial")
    with pytest.raises(FramingError, match="coded twice"):
        validation_report(twice)


def test_cli_writes_a_sheet_and_reads_it_back(tmp_path, capsys):
    from framing.cli import main

    out = tmp_path / "coding.csv"
    assert main(["validate", "sample", "data/seed", "--out", str(out), "--n", "12"]) == 0
    sheet = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(sheet) == 12 and list(sheet.columns) == SAMPLE_COLUMNS
    sheet["on_referent"], sheet["voice"], sheet["coder"] = "yes", sheet["tool_voice"], "ann"
    sheet.to_csv(out, index=False)
    assert main(["validate", "report", str(out), "--out", str(tmp_path / "report.csv")]) == 0
    report = pd.read_csv(tmp_path / "report.csv")
    assert report.iloc[-1]["precision"] == 1.0 and report.iloc[-1]["voice_agreement"] == 1.0
    assert main(["validate", "report", str(tmp_path / "missing.csv")]) == 2
    assert "no such coding file" in capsys.readouterr().err


@pytest.mark.parametrize("weight", ["contrast", "hits"])
def test_corrected_lean_with_every_precision_known_to_be_one_is_the_lean(corpus, hits, weight):
    keys = hits[["contrast", "variant"]].drop_duplicates()
    known = keys.assign(n_coded=10**7, n_on_referent=10**7)
    out = corrected_lean(hits, corpus, known, lexicon=LEX, weight=weight, n_boot=200)
    assert out["corrected"].all()
    assert np.allclose(out["corrected_lean"], out["lean"])
    assert np.allclose(out["corrected_ci_low"], out["ci_low"], atol=1e-4)
    assert np.allclose(out["corrected_ci_high"], out["ci_high"], atol=1e-4)


def test_a_variant_never_on_referent_drops_out_of_the_lean(corpus, hits):
    sided = hits[hits["side"].notna()]
    first = sided.iloc[0]
    wrong = pd.DataFrame({"contrast": [first.contrast], "variant": [first.variant], "n_coded": [50],
                          "n_on_referent": [0]})
    out = corrected_lean(hits, corpus, wrong, lexicon=LEX, n_boot=200)
    left = hits[(hits.contrast != first.contrast) | (hits.variant != first.variant)]
    plain = corrected_lean(left, corpus, wrong.iloc[:0], lexicon=LEX, n_boot=200)
    assert np.allclose(out["corrected_lean"], plain["corrected_lean"], equal_nan=True)
    assert np.isfinite(out["corrected_ci_low"]).all()
