"""Stage 4b, vectorize: a scikit-learn transformer from texts to lexicon counts (same matcher as find_hits)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing._errors import FramingError
from framing.lexicon import load_lexicon
from framing.match import _scan_corpus, compile_lexicon
from framing.voice import VOICES

__all__ = ["FramingVectorizer"]

_LEVELS = ("variant", "contrast", "side")
_NORMS = (None, "per_1k", "share")


class FramingVectorizer(TransformerMixin, BaseEstimator):
    """Turn texts into counts of lexicon hits: one column per variant, contrast or side.

    It counts through the same compiled matcher as :func:`framing.find_hits` (one pass per batch,
    leftmost-longest within a contrast, ``except`` phrases, voice), so a count in the matrix is
    exactly the number of rows :func:`framing.find_hits` returns for that document and feature.
    Unlike ``CountVectorizer`` with n-grams, nested terms are not counted twice ("special military
    operation" is one hit, not also "military operation").

    Parameters
    ----------
    lexicon : str, Path or Lexicon, default="russia-ukraine"
        A built-in name, a YAML path or a Lexicon.
    level : {"variant", "contrast", "side"}, default="variant"
        One feature per variant (``contrast:variant``), per contrast, or per side.
    voice : str, list of str or None, default="authorial"
        Which voices count; ``None`` counts all hits.
    norm : {None, "per_1k", "share"}, default=None
        Raw counts; counts per 1,000 words of the document; or, for ``level="variant"``, each
        variant's share of its contrast's hits (for ``"side"``, each side's share of side-tagged
        hits; for ``"contrast"``, each contrast's share of all hits). Rows without hits stay 0.
    fields : tuple of str, default=("text",)
        Corpus columns to scan when a DataFrame is given (``("title", "text")`` adds headlines).
    sparse : bool, default=True
        Return a SciPy CSR matrix (dense when ``set_output(transform="pandas")`` is active).
    engine : {"auto", "hyperscan", "python"}, default="auto"

    Attributes
    ----------
    lexicon_ : Lexicon
        The loaded lexicon.
    feature_names_ : ndarray of str
        Feature names, also returned by ``get_feature_names_out``.

    Examples
    --------
    >>> from framing import FramingVectorizer, load_corpus
    >>> corpus = load_corpus("data/seed")
    >>> vec = FramingVectorizer(level="side").fit(corpus)
    >>> vec.get_feature_names_out().tolist()
    ['ru_state', 'ua_western']
    >>> vec.set_output(transform="pandas").transform(corpus).loc["003_a08c4a9378959592", "ru_state"] > 0
    np.True_
    """

    def __init__(self, lexicon="russia-ukraine", *, level="variant", voice="authorial", norm=None,
                 fields=("text",), sparse=True, engine="auto"):
        self.lexicon = lexicon
        self.level = level
        self.voice = voice
        self.norm = norm
        self.fields = fields
        self.sparse = sparse
        self.engine = engine

    # -------------------------------------------------------------------------------- fitting
    def fit(self, X, y=None):
        """Validate the parameters and fix the features (the lexicon needs no training).

        Parameters
        ----------
        X : iterable of str, Series or DataFrame
            Texts, or a corpus table.
        y : ignored

        Returns
        -------
        self
        """
        if self.level not in _LEVELS:
            raise FramingError(f"level must be one of {list(_LEVELS)}, not {self.level!r}")
        if self.norm not in _NORMS:
            raise FramingError(f"norm must be one of {list(_NORMS)}, not {self.norm!r}")
        voices = self._voices()
        bad = [v for v in voices if v not in VOICES]
        if bad:
            raise FramingError(f"unknown voice {bad[0]!r}; choose from {list(VOICES)}")
        self.lexicon_ = load_lexicon(self.lexicon)
        matcher = compile_lexicon(self.lexicon_, self.engine)
        variants = matcher.variants
        if self.level == "variant":
            names = [f"{c.id}:{v.id}" for c, v in variants]
            column = np.arange(len(variants))
            self._group = np.array([ci for ci, c in enumerate(self.lexicon_.contrasts.values())
                                    for _ in c.variants], dtype=np.int64)
        elif self.level == "contrast":
            names = list(self.lexicon_.contrasts)
            column = np.array([names.index(c.id) for c, _ in variants])
            self._group = np.zeros(len(names), dtype=np.int64)
        else:
            names = list(self.lexicon_.sides)
            if not names:
                raise FramingError(f"lexicon {self.lexicon_.name!r} has no sides; use level='variant'")
            column = np.array([names.index(v.side) if v.side in names else -1 for _, v in variants])
            self._group = np.zeros(len(names), dtype=np.int64)
        self._column = column
        self.feature_names_ = np.asarray(names, dtype=object)
        return self

    def _voices(self) -> list[str]:
        if self.voice is None:
            return list(VOICES)
        return [self.voice] if isinstance(self.voice, str) else list(self.voice)

    # -------------------------------------------------------------------------------- transform
    def _as_corpus(self, X) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            if "text" in X.columns:
                return X
            if X.shape[1] == 1:
                return pd.DataFrame({"text": X.iloc[:, 0].astype(str).to_numpy()}, index=X.index)
            raise FramingError("a DataFrame input needs a `text` column (a corpus table) or exactly one column")
        if isinstance(X, pd.Series):
            return pd.DataFrame({"text": X.astype(str).to_numpy()}, index=X.index)
        if isinstance(X, str):
            raise FramingError("FramingVectorizer takes an iterable of texts, not a single string")
        return pd.DataFrame({"text": [str(t) for t in X]})

    def transform(self, X):
        """Count the lexicon hits of each document.

        Parameters
        ----------
        X : iterable of str, Series or DataFrame
            Texts, or a corpus table (its ``fields`` are scanned; the index is kept with pandas
            output).

        Returns
        -------
        sparse matrix or ndarray of shape (n_documents, n_features)
        """
        check_is_fitted(self, "feature_names_")
        corpus = self._as_corpus(X)
        matcher = compile_lexicon(self.lexicon_, self.engine)
        fields = tuple(f for f in self.fields if f in corpus.columns) or ("text",)
        raw, _texts, rows, _flds = _scan_corpus(corpus, matcher, fields, self.lexicon_.language)
        keep = np.isin(raw.voice, [VOICES.index(v) for v in self._voices()])
        cols = self._column[raw.variant[keep]]
        docs = rows[raw.seg[keep]]
        ok = cols >= 0
        n, m = len(corpus), len(self.feature_names_)
        matrix = sp.csr_matrix((np.ones(int(ok.sum()), dtype=np.float64), (docs[ok], cols[ok])), shape=(n, m))
        matrix.sum_duplicates()
        if self.norm == "per_1k":
            from framing.corpus import _n_words

            words = corpus["n_words"].to_numpy(dtype=float) if "n_words" in corpus.columns else \
                _n_words(corpus["text"].astype(str).tolist()).astype(float)
            scale = np.divide(1000.0, words, out=np.zeros_like(words), where=words > 0)
            matrix = sp.csr_matrix(sp.diags(scale) @ matrix)
        elif self.norm == "share":
            dense = matrix.toarray()
            groups = self._group
            totals = np.zeros_like(dense)
            for g in np.unique(groups):
                cols_g = groups == g
                totals[:, cols_g] = dense[:, cols_g].sum(axis=1, keepdims=True)
            matrix = sp.csr_matrix(np.divide(dense, totals, out=np.zeros_like(dense), where=totals > 0))
        if not self.sparse or self._pandas_output():
            return matrix.toarray()
        return matrix

    def _pandas_output(self) -> bool:
        config = getattr(self, "_sklearn_output_config", {})
        return config.get("transform") in ("pandas", "polars")

    def get_feature_names_out(self, input_features=None):
        """Feature names: ``contrast:variant``, contrast ids or side ids (by ``level``)."""
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
