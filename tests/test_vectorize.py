"""FramingVectorizer: the scikit-learn contract, and counts identical to find_hits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from framing import FramingVectorizer, find_hits, load_corpus, load_lexicon

from .conftest import ROOT

MINI = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")


# scikit-learn's estimator checks that apply to a raw-text transformer. The others feed numeric
# 2-D arrays (fit2d_*, dtypes, nan_inf, pickle on random floats, subset invariance, ...); they do not
# apply to CountVectorizer either (check_estimator yields only check_estimator_cloneable for
# input_tags.string), so they are not run; the behaviours they cover are tested below on texts.
APPLICABLE_CHECKS = [
    "check_estimator_cloneable", "check_estimator_repr", "check_no_attributes_set_in_init",
    "check_get_params_invariance", "check_set_params", "check_parameters_default_constructible",
    "check_estimators_unfitted", "check_get_feature_names_out_error", "check_mixin_order",
    "check_valid_tag_types", "check_estimator_tags_renamed", "check_n_features_in_after_fitting",
    "check_estimator_sparse_tag", "check_transformer_n_iter",
]


@pytest.mark.parametrize("check", APPLICABLE_CHECKS)
def test_sklearn_estimator_checks_that_apply_to_text(check):
    from sklearn.utils import estimator_checks

    getattr(estimator_checks, check)("FramingVectorizer", FramingVectorizer(MINI))


def test_transform_requires_fit_as_the_tags_say():
    from sklearn.exceptions import NotFittedError

    vec = FramingVectorizer(MINI)
    assert vec.__sklearn_tags__().requires_fit
    with pytest.raises(NotFittedError):
        vec.transform(["Kiev"])


@pytest.mark.parametrize("bad", [["Kiev", None], ["Kiev", float("nan")], pd.Series(["Kiev", None])])
def test_missing_documents_are_refused_or_empty_when_asked(bad):
    with pytest.raises(ValueError, match="document 1 is missing.*missing='empty'"):
        FramingVectorizer(MINI, level="side").fit(["Kiev"]).transform(bad)
    out = FramingVectorizer(MINI, level="side", missing="empty").fit(["Kiev"]).transform(bad).toarray()
    assert out[1].tolist() == [0.0, 0.0] and out[0].sum() == 1


@pytest.mark.parametrize("bad", [np.array([[1.0, 2.0], [3.0, 4.0]]), [1, 2], ["Kiev", ["a", "list"]], "Kiev"])
def test_non_text_input_is_refused_like_countvectorizer(bad):
    with pytest.raises(ValueError, match="text|string"):
        FramingVectorizer(MINI).fit(["Kiev"]).transform(bad)


def test_share_stays_sparse_and_equals_the_dense_computation(seed_corpus):
    vec = FramingVectorizer(MINI, norm="share", voice=None).fit(seed_corpus)
    share = vec.transform(seed_corpus)
    counts = FramingVectorizer(MINI, voice=None).fit_transform(seed_corpus).toarray()
    assert sp.issparse(share) and share.nnz == np.count_nonzero(counts)
    names = vec.get_feature_names_out()
    contrast = np.array([n.split(":")[0] for n in names])
    expected = np.zeros_like(counts)
    for c in np.unique(contrast):
        block = counts[:, contrast == c]
        tot = block.sum(axis=1, keepdims=True)
        expected[:, contrast == c] = np.divide(block, tot, out=np.zeros_like(block), where=tot > 0)
    np.testing.assert_allclose(share.toarray(), expected)


def test_default_fields_are_find_hits_defaults(seed_corpus):
    corpus = seed_corpus.assign(title="Kiev " + seed_corpus["title"].fillna(""))
    X = FramingVectorizer(MINI, voice=None).fit_transform(corpus)
    assert X.sum() == len(find_hits(corpus, MINI))  # find_hits scans ("title", "text") by default
    assert FramingVectorizer(MINI, voice=None, fields=("text",)).fit_transform(corpus).sum() == len(
        find_hits(corpus, MINI, fields=("text",)))


def test_set_output_pandas_on_the_default_sparse_output(seed_corpus):
    out = FramingVectorizer(MINI).set_output(transform="pandas").fit_transform(seed_corpus)
    assert isinstance(out, pd.DataFrame) and out.shape == (5, 10)


def test_grid_search_with_two_jobs_and_a_column_transformer(seed_corpus):
    from sklearn.compose import ColumnTransformer
    from sklearn.model_selection import GridSearchCV

    corpus = pd.concat([seed_corpus] * 4, ignore_index=True)
    y = (corpus["outlet"] == "RT").to_numpy()
    pipe = make_pipeline(FramingVectorizer(MINI, level="side"), LogisticRegression())
    grid = GridSearchCV(pipe, {"framingvectorizer__norm": [None, "per_1k"]}, cv=2, n_jobs=2).fit(corpus, y)
    assert grid.best_score_ == 1.0 and set(grid.cv_results_["param_framingvectorizer__norm"]) == {None, "per_1k"}
    ct = ColumnTransformer([("lex", FramingVectorizer(MINI, level="side"), "text")])
    X = ct.fit_transform(corpus)
    expected = FramingVectorizer(MINI, level="side", fields=("text",)).fit_transform(corpus)
    np.testing.assert_array_equal(np.asarray(X.toarray() if sp.issparse(X) else X), expected.toarray())


def test_clone_keeps_params():
    est = FramingVectorizer(MINI, level="side", voice=["authorial", "distanced"], norm="per_1k")
    assert clone(est).get_params() == est.get_params()


def test_counts_equal_find_hits(seed_corpus):
    vec = FramingVectorizer(MINI, voice=None).fit(seed_corpus)
    X = vec.transform(seed_corpus)
    assert sp.issparse(X) and X.shape == (5, 10)
    hits = find_hits(seed_corpus, MINI)
    expected = (hits.assign(feature=hits.contrast + ":" + hits.variant)
                .groupby(["doc_id", "feature"]).size().unstack(fill_value=0)
                .reindex(index=seed_corpus.index, columns=vec.get_feature_names_out(), fill_value=0))
    np.testing.assert_array_equal(X.toarray(), expected.to_numpy())


def test_default_counts_only_authorial(seed_corpus):
    all_voices = FramingVectorizer(MINI, voice=None).fit_transform(seed_corpus).sum()
    authorial = FramingVectorizer(MINI).fit_transform(seed_corpus).sum()
    hits = find_hits(seed_corpus, MINI)
    assert authorial == (hits.voice == "authorial").sum() < all_voices == len(hits)


def test_pandas_output_keeps_the_index(seed_corpus):
    out = FramingVectorizer(MINI, level="contrast").set_output(transform="pandas").fit_transform(seed_corpus)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(seed_corpus.index)
    assert list(out.columns) == list(MINI.contrasts)


def test_texts_series_and_single_column_frame():
    texts = ["Kiev and the Kiev regime", "Kyiv, the war and the invasion"]
    vec = FramingVectorizer(MINI, level="side").fit(texts)
    a = vec.transform(texts).toarray()
    b = vec.transform(pd.Series(texts)).toarray()
    c = vec.transform(pd.DataFrame({"body": texts})).toarray()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert a.tolist() == [[3.0, 0.0], [0.0, 3.0]]  # Kiev, Kiev, Kiev regime | Kyiv, war, invasion


def test_norms():
    texts = ["Kiev Kiev Kyiv and words to make ten words here"]
    share = FramingVectorizer(MINI, norm="share").fit_transform(texts).toarray()[0]
    names = FramingVectorizer(MINI).fit(texts).get_feature_names_out().tolist()
    assert share[names.index("capital:kiev")] == pytest.approx(2 / 3)
    per_1k = FramingVectorizer(MINI, level="contrast", norm="per_1k").fit_transform(texts).toarray()[0]
    assert per_1k[0] == pytest.approx(3 / 10 * 1000)


def test_bad_params_fail_at_fit():
    from framing import ArgumentError

    with pytest.raises(ArgumentError, match="level"):
        FramingVectorizer(MINI, level="word").fit(["x"])
    with pytest.raises(ValueError, match="norm"):  # scikit-learn expects a ValueError
        FramingVectorizer(MINI, norm="l2").fit(["x"])
    with pytest.raises(ArgumentError, match="voice"):
        FramingVectorizer(MINI, voice="loud").fit(["x"])


def test_works_in_a_pipeline(seed_corpus):
    y = (seed_corpus["outlet"] == "RT").to_numpy()
    model = make_pipeline(FramingVectorizer(MINI, level="side"), LogisticRegression()).fit(seed_corpus, y)
    assert model.predict(seed_corpus).tolist() == y.tolist()


@pytest.mark.slow
def test_pipeline_tells_rt_from_the_others(ukraine_path):
    corpus = load_corpus(ukraine_path)
    y = (corpus["outlet"] == "RT").to_numpy()
    model = make_pipeline(FramingVectorizer("russia-ukraine", norm="per_1k"), LogisticRegression(max_iter=2000))
    scores = cross_val_score(model, corpus, y, cv=5, scoring="accuracy")
    print(f"\n5-fold accuracy RT vs the rest: {scores.mean():.3f} ± {scores.std():.3f}")
    majority = max(y.mean(), 1 - y.mean())
    assert scores.mean() > majority + 0.15
