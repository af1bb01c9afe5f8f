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
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_set_params,
)

from framing import FramingVectorizer, find_hits, load_corpus, load_lexicon

from .conftest import ROOT

MINI = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")


def test_sklearn_data_free_checks():
    est = FramingVectorizer(MINI)
    check_no_attributes_set_in_init("FramingVectorizer", est)
    check_get_params_invariance("FramingVectorizer", est)
    check_set_params("FramingVectorizer", est)


def test_clone_keeps_params():
    est = FramingVectorizer(MINI, level="side", voice=["authorial", "distanced"], norm="per_1k")
    assert clone(est).get_params() == est.get_params()


def test_counts_equal_find_hits(seed_corpus):
    vec = FramingVectorizer(MINI, voice=None).fit(seed_corpus)
    X = vec.transform(seed_corpus)
    assert sp.issparse(X) and X.shape == (5, 10)
    hits = find_hits(seed_corpus, MINI, fields=("text",))
    expected = (hits.assign(feature=hits.contrast + ":" + hits.variant)
                .groupby(["doc_id", "feature"]).size().unstack(fill_value=0)
                .reindex(index=seed_corpus.index, columns=vec.get_feature_names_out(), fill_value=0))
    np.testing.assert_array_equal(X.toarray(), expected.to_numpy())


def test_default_counts_only_authorial(seed_corpus):
    all_voices = FramingVectorizer(MINI, voice=None).fit_transform(seed_corpus).sum()
    authorial = FramingVectorizer(MINI).fit_transform(seed_corpus).sum()
    hits = find_hits(seed_corpus, MINI, fields=("text",))
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
    from framing import FramingError

    with pytest.raises(FramingError, match="level"):
        FramingVectorizer(MINI, level="word").fit(["x"])
    with pytest.raises(FramingError, match="voice"):
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
