"""Stage 4b, vectorize: a scikit-learn transformer from texts to lexicon counts (same matcher as find_hits)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing._checks import check_choice, check_voices
from framing._docstrings import share_docs
from framing._errors import ArgumentError
from framing.lexicon import load_lexicon
from framing.match.compiled import compile_lexicon
from framing.match.scan import scan
from framing.voice import VOICES

__all__ = ["FramingVectorizer"]

_LEVELS = ("variant", "contrast", "side")
_NORMS = (None, "per_1k", "share")
_MISSING = ("error", "empty")


@share_docs
class FramingVectorizer(TransformerMixin, BaseEstimator):
    """Turn texts into counts of lexicon hits: one column per variant, contrast or side.

    It counts through the same compiled matcher as :func:`framing.find_hits` (one pass per batch,
    leftmost-longest within a contrast, ``except`` phrases, voice), so a count in the matrix is
    exactly the number of rows :func:`framing.find_hits` returns for that document and feature.
    Unlike ``CountVectorizer`` with n-grams, nested terms are not counted twice ("special military
    operation" is one hit, not also "military operation").

    Parameters
    ----------
    {lexicon}
    level : {"variant", "contrast", "side"}, default="variant"
        One feature per variant (``contrast:variant``), per contrast, or per side.
    voice : str, list of str or None, default="authorial"
        Which voices count; ``None`` counts all hits.
    norm : {None, "per_1k", "share"}, default=None
        Raw counts; counts per 1,000 words of the document; or, for ``level="variant"``, each
        variant's share of its contrast's hits (for ``"side"``, each side's share of side-tagged
        hits; for ``"contrast"``, each contrast's share of all hits). Rows without hits stay 0.
    fields : tuple of str, default=("title", "text")
        Corpus columns to scan when a DataFrame corpus is given, as in :func:`framing.find_hits`
        (columns the table lacks are skipped; plain texts are one field).
    sparse : bool, default=True
        Return a SciPy CSR matrix (dense when ``set_output(transform="pandas")`` is active: pandas
        output has no sparse form).
    engine : {"auto", "hyperscan", "python"}, default="auto"
    missing : {"error", "empty"}, default="error"
        A document that is missing (``None``, NaN) or not text (a number, a list) raises a
        ``ValueError`` naming its position; ``"empty"`` counts missing documents as empty texts
        (a row of zeros). Non-text values always raise.

    Notes
    -----
    Like ``CountVectorizer`` it takes raw text (one document per item), not a numeric 2-D array,
    and must be fitted before ``transform`` (fitting loads and compiles the lexicon; it learns
    nothing from ``X``). Bad parameter values raise :class:`framing.ArgumentError`, a
    ``ValueError``, at ``fit``.

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
                 fields=("title", "text"), sparse=True, engine="auto", missing="error"):
        self.lexicon = lexicon
        self.level = level
        self.voice = voice
        self.norm = norm
        self.fields = fields
        self.sparse = sparse
        self.engine = engine
        self.missing = missing

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
        check_choice(self.level, "level", _LEVELS)
        check_choice(self.norm, "norm", _NORMS)
        check_choice(self.missing, "missing", _MISSING)
        if isinstance(self.fields, str) or not all(isinstance(f, str) for f in self.fields):
            raise ArgumentError(f"fields must be a tuple of column names such as ('title', 'text'), "
                                f"not {self.fields!r}")
        check_voices(self.voice)
        self._texts(X)  # the same input checks as transform
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
                raise ArgumentError(f"lexicon {self.lexicon_.name!r} has no sides; use level='variant'")
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
    def _texts(self, X) -> pd.DataFrame:
        """X as a corpus table: a corpus DataFrame as is, else one ``text`` column (checked)."""
        if isinstance(X, pd.DataFrame) and "text" in X.columns:
            frame, columns = X, [f for f in self.fields if f in X.columns] or ["text"]
        elif isinstance(X, pd.DataFrame):
            if X.shape[1] != 1:
                raise ArgumentError("a DataFrame input needs a `text` column (a corpus table) or exactly one column "
                                    f"of texts; it has {X.shape[1]} columns {list(X.columns)[:5]}")
            frame, columns = pd.DataFrame({"text": X.iloc[:, 0].to_numpy()}, index=X.index), ["text"]
        elif isinstance(X, pd.Series):
            frame, columns = pd.DataFrame({"text": X.to_numpy()}, index=X.index), ["text"]
        elif isinstance(X, str | bytes):
            raise ArgumentError("FramingVectorizer takes an iterable of texts (one per document), not a single "
                                "string; wrap it in a list: [text]")
        elif isinstance(X, np.ndarray) and X.ndim != 1:
            raise ArgumentError(f"FramingVectorizer takes raw texts, one per document (a list, Series or 1-D "
                                f"array), not a {X.ndim}-D array of shape {X.shape}")
        else:
            try:
                frame, columns = pd.DataFrame({"text": list(X)}), ["text"]
            except TypeError:
                raise ArgumentError(f"FramingVectorizer takes an iterable of texts, not {type(X).__name__}") from None
        fixed = {}
        for col in columns:
            values = frame[col]
            missing = values.isna().to_numpy()
            wrong = ~missing & ~values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
            if wrong.any():
                i = int(np.flatnonzero(wrong)[0])
                raise ArgumentError(f"document {i} ({col!r}) is a {type(values.iloc[i]).__name__}, not text "
                                    f"({values.iloc[i]!r:.40}); {int(wrong.sum())} of {len(values)} documents are "
                                    "not strings: pass raw texts")
            if missing.any() and (col == "text" or len(columns) == 1):
                if self.missing == "error":
                    i = int(np.flatnonzero(missing)[0])
                    raise ArgumentError(f"document {i} is missing (None or NaN; {int(missing.sum())} of "
                                        f"{len(values)} are); drop them, or pass missing='empty' to count them "
                                        "as empty texts")
            if missing.any():
                fixed[col] = values.where(~values.isna(), "")
        return frame.assign(**fixed) if fixed else frame

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
        corpus = self._texts(X)
        matcher = compile_lexicon(self.lexicon_, self.engine)
        fields = tuple(f for f in self.fields if f in corpus.columns) or ("text",)
        every_voice = set(self._voices()) >= set(VOICES)  # then no hit's voice is needed
        raw, _texts, rows, _flds = scan(corpus, matcher, fields, self.lexicon_.language,
                                                voices=not every_voice)
        keep = np.ones(len(raw.voice), dtype=bool) if every_voice else \
            np.isin(raw.voice, [VOICES.index(v) for v in self._voices()])
        cols = self._column[raw.variant[keep]]
        docs = rows[raw.seg[keep]]
        ok = cols >= 0
        n, m = len(corpus), len(self.feature_names_)
        matrix = sp.csr_matrix((np.ones(int(ok.sum()), dtype=np.float64), (docs[ok], cols[ok])), shape=(n, m))
        matrix.sum_duplicates()
        if self.norm == "per_1k":
            from framing._words import n_words

            words = corpus["n_words"].to_numpy(dtype=float) if "n_words" in corpus.columns else \
                n_words(corpus["text"].astype(str).tolist()).astype(float)
            scale = np.divide(1000.0, words, out=np.zeros_like(words), where=words > 0)
            matrix = sp.csr_matrix(sp.diags(scale) @ matrix)
        elif self.norm == "share":  # each entry over its row's total in its column group, kept sparse
            groups = self._group
            member = sp.csr_matrix((np.ones(m), (np.arange(m), groups)), shape=(m, int(groups.max()) + 1 if m else 0))
            totals = (matrix @ member).tocsr()
            coo = matrix.tocoo()
            denom = np.asarray(totals[coo.row, groups[coo.col]]).ravel()
            matrix = sp.csr_matrix((coo.data / denom, (coo.row, coo.col)), shape=(n, m))
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
        tags.input_tags.allow_nan = self.missing == "empty"
        return tags
