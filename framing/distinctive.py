"""Stage stats, distinctive terms: term counts per group, Fightin' Words log-odds and keyness."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse
from scipy.stats import chi2 as _chi2_dist

from framing._checks import check_corpus_table, check_int
from framing._errors import ArgumentError

__all__ = ["term_counts", "log_odds", "distinctive_terms", "keyness", "flag_terms", "words_and_abbreviations"]

LOG_ODDS_COLUMNS = ["term", "n_target", "n_reference", "delta", "var", "z"]
KEYNESS_STAT = {"chi2": "chi2", "lr": "G2", "pmi": "pmi", "exact": "or"}  # measure -> column, quanteda's names
# What correction="default" means as quanteda.textstats' code computes it (src/keyness.cpp, and
# keyness_lr() of quanteda's former R/textstat_keyness.R): Yates for chi2 AND for lr, none for pmi.
# Its documentation says "Williams for lr", but the code applies Williams only when asked for.
DEFAULT_CORRECTION = {"chi2": "yates", "lr": "yates", "pmi": "none", "exact": "none"}
_EPSILON = 1e-9  # quanteda adds this inside log() for G2 and pmi (compat="quanteda" keeps it)
_TOKEN = re.compile(r"\w+")
CHUNK_TOKENS = 2_000_000  # tokens held in memory at once while counting
_SPACE = pa.scalar(" ", type=pa.large_string())


# ------------------------------------------------------------------------------------ counting
def _default_tokenizer(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _check_ngram_range(ngram_range) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in ngram_range)
        ok = 1 <= lo <= hi and tuple(ngram_range) == (lo, hi)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError(f"ngram_range={ngram_range!r}: give two integers (min_n, max_n) with "
                             f"1 <= min_n <= max_n, e.g. (1, 2) for words and word pairs")
    return lo, hi


def _stop_set(stop_words, lowercase: bool) -> frozenset[str]:
    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise ArgumentError(f"stop_words={stop_words!r}: use 'english' (scikit-learn's list), "
                                 f"a collection of words, or None")
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    words = list(stop_words)
    if not all(isinstance(w, str) for w in words):
        raise ArgumentError("stop_words must be 'english', None, or a collection of strings")
    return frozenset(w.lower() for w in words) if lowercase else frozenset(words)


def _first_positions(codes: np.ndarray) -> np.ndarray:
    """Where each code first occurs, in code order (codes numbered by first appearance)."""
    seen_before = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return np.flatnonzero(codes > seen_before)


def _ngram_table(token_lists: list[list[str]], doc_group: np.ndarray, n_groups: int,
                 lo: int, hi: int, stop: frozenset[str],
                 sort: bool = False) -> tuple[pa.Array, sparse.csr_matrix]:
    """Count the n-grams (lo <= n <= hi) of some documents: (terms, term x group counts).

    Every token is coded once; the code of an n-gram is built from the code of its (n-1)-gram
    prefix and its last token, so only distinct n-grams are ever joined into strings. N-grams
    never cross a document boundary. ``sort=True`` returns the terms sorted, ranking tokens
    rather than strings: valid when no token is empty or holds a character <= " ", as with
    word-character tokens (then "a b" < "a" + anything longer, as the token tuples compare).
    """
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    total = int(lengths.sum())
    terms = [pa.array([], type=pa.large_string())]
    blocks = [sparse.csr_matrix((0, n_groups), dtype=np.int64)]
    if total == 0:
        return terms[0], blocks[0]
    flat = np.fromiter(chain.from_iterable(token_lists), dtype=object, count=total)
    codes, vocab = pd.factorize(flat)
    try:
        vocab = pa.array(vocab, type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        bad = next(v for v in vocab if not isinstance(v, str))
        raise ArgumentError(f"the tokenizer returned {bad!r} ({type(bad).__name__}); it must return "
                             f"a list of strings for each text") from None
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    end_of = np.cumsum(lengths)[doc_of]  # exclusive end of each token's document
    group_of = doc_group[doc_of]
    is_stop = None
    if stop:
        stop_arr = pa.array(sorted(stop), type=pa.large_string())
        is_stop = pc.is_in(vocab, value_set=stop_arr).to_numpy(zero_copy_only=False)
    ranks: list[np.ndarray] = []  # per block: the vocabulary rank of each token of each term
    if sort:
        vocab_rank = np.empty(len(vocab), dtype=np.int64)
        vocab_rank[pc.sort_indices(vocab).to_numpy()] = np.arange(len(vocab))
    starts = np.arange(total)  # where an n-gram fits inside its document
    key = codes  # per position: the code of the n-gram starting there (-1: none)
    for n in range(1, hi + 1):
        if n > 1:
            starts = starts[starts + n <= end_of[starts]]
            if len(starts) == 0:
                break
            code = pd.factorize(key[starts] * len(vocab) + codes[starts + n - 1])[0]
            if n < hi:
                key = np.full(total, -1, dtype=np.int64)
                key[starts] = code
        else:
            code = codes
        if n < lo:
            continue
        where, inverse = starts, code
        if is_stop is not None:
            keep = np.ones(len(starts), dtype=bool)
            for j in range(n):
                keep &= ~is_stop[codes[starts + j]]
            if not keep.all():
                where, inverse = starts[keep], pd.factorize(code[keep])[0]
        first = where[_first_positions(inverse)]
        words = vocab.take(codes[first])
        for j in range(1, n):
            words = pc.binary_join_element_wise(words, vocab.take(codes[first + j]), _SPACE)
        terms.append(words)
        blocks.append(sparse.csr_matrix(
            (np.ones(len(inverse), dtype=np.int64), (inverse, group_of[where])),
            shape=(len(first), n_groups)))
        if sort:
            block = np.full((len(first), hi), -1, dtype=np.int64)  # -1: shorter terms first
            for j in range(n):
                block[:, j] = vocab_rank[codes[first + j]]
            ranks.append(block)
    found, table = pa.concat_arrays(terms), sparse.vstack(blocks, format="csr")
    if sort and ranks:
        rank = np.concatenate(ranks)
        order = np.lexsort(rank.T[::-1])
        found, table = found.take(order), table[order]
    return found, table


def _merge(terms: list[pa.Array], tables: list[sparse.csr_matrix],
           n_groups: int) -> tuple[pa.Array, sparse.csr_matrix]:
    """Stack count tables (groups may have been added since) and add up repeated terms."""
    table = sparse.vstack([sparse.csr_matrix((t.data, t.indices, t.indptr),
                                             shape=(t.shape[0], n_groups)) for t in tables],
                          format="csr")
    encoded = pa.concat_arrays(terms).dictionary_encode()
    if len(encoded.dictionary) == table.shape[0]:  # no term repeats
        return encoded.dictionary, table
    coo = table.tocoo()
    rows = encoded.indices.to_numpy()[coo.row]
    merged = sparse.csr_matrix((coo.data, (rows, coo.col)),
                               shape=(len(encoded.dictionary), n_groups))
    merged.sum_duplicates()
    return encoded.dictionary, merged


def _term_order(terms) -> np.ndarray | None:
    """Positions that sort ``terms`` (strings by code point); None when already sorted."""
    try:
        arr = pa.array(terms if hasattr(terms, "__arrow_array__") else
                       np.asarray(terms, dtype=object), type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # not all strings
        values = pd.Index(terms)
        try:
            order = np.asarray(values.argsort())
        except TypeError:  # mixed types
            order = np.argsort(values.astype(str).to_numpy(), kind="stable")
        return None if (order == np.arange(len(order))).all() else order
    if len(arr) < 2 or pc.all(pc.less_equal(arr[:-1], arr[1:])).as_py():
        return None
    return pc.sort_indices(arr).to_numpy()


def _check_corpus(corpus, by: Hashable, text_col: Hashable) -> None:
    check_corpus_table(corpus, by=by, text_col=text_col, need_group=True, need_text=True,
                       accepted="a DataFrame (e.g. from framing.load_corpus), or an iterable of them")


def _count(chunks, by, text_col, tokenize, merge_each, lo, hi, stop):
    """Count n-grams per group over corpus chunks: (terms, term x group table, group labels)."""
    groups: dict[Hashable, int] = {}
    terms: list[pa.Array] = []
    tables: list[sparse.csr_matrix] = []
    for chunk in chunks:
        _check_corpus(chunk, by, text_col)
        labels = chunk[by].to_numpy()
        for label in pd.unique(labels):
            groups.setdefault(label, len(groups))
        doc_group = np.fromiter((groups[g] for g in labels), dtype=np.int64, count=len(labels))
        texts = chunk[text_col].tolist()
        done = 0
        while done < len(texts):  # about CHUNK_TOKENS tokens in memory at once
            batch: list[list[str]] = []
            n_tokens = 0
            while done + len(batch) < len(texts) and n_tokens < CHUNK_TOKENS:
                tokens = tokenize(texts[done + len(batch)])
                batch.append(tokens if isinstance(tokens, list) else list(tokens))
                n_tokens += len(batch[-1])
            found, table = _ngram_table(batch, doc_group[done:done + len(batch)], len(groups),
                                        lo, hi, stop, sort=not merge_each)
            done += len(batch)
            terms.append(found)
            tables.append(table)
            if merge_each or len(tables) > 1:  # keep one row per term as we go
                merged = _merge(terms, tables, len(groups))
                terms, tables = [merged[0]], [merged[1]]
    if not groups:
        raise ArgumentError("the corpus has no rows; there is nothing to count")
    table = tables[0]
    table = sparse.csr_matrix((table.data, table.indices, table.indptr),
                              shape=(table.shape[0], len(groups)))
    return terms[0], table, list(groups)


def term_counts(
    corpus: pd.DataFrame | Iterable[pd.DataFrame],
    by: Hashable = "outlet",
    *,
    ngram_range: tuple[int, int] = (1, 1),
    min_count: int = 1,
    tokenizer: Callable[[str], list[str]] | None = None,
    stop_words: str | Iterable[str] | None = None,
    text_col: Hashable = "text",
) -> pd.DataFrame:
    """Count every term per group: the term x group table behind :func:`distinctive_terms`.

    Parameters
    ----------
    corpus : DataFrame or iterable of DataFrames
        A corpus table (e.g. from :func:`framing.load_corpus`), or chunks of one (e.g. from
        :func:`framing.iter_corpus`), counted chunk by chunk so memory stays bounded.
    by : str, default="outlet"
        The column whose values are the groups.
    ngram_range : tuple of int, default=(1, 1)
        Count n-grams for ``min_n <= n <= max_n``: runs of n consecutive tokens of one text,
        joined with a single space (``(1, 2)``: words and word pairs).
    min_count : int, default=1
        Drop terms whose count over all groups is below this. The default keeps every term, so
        group totals are true token totals and the pooled prior covers the whole vocabulary, as
        in Monroe et al. and scattertext; rare terms are shrunk by the prior anyway. Dropped
        terms are left out of the totals of :func:`log_odds` and :func:`keyness`.
    tokenizer : callable, optional
        ``str -> list[str]``. Default: lowercased runs of word characters,
        ``re.findall(r"\\w+", text.lower())``, the same tokens as scikit-learn's
        ``CountVectorizer(token_pattern=r"(?u)\\w+")``. A custom tokenizer's tokens are used as
        they are (no lowercasing).
    stop_words : {"english"}, collection of str, or None, default=None
        Drop every term that has a stop word among its tokens. N-grams are formed from all tokens
        first, so "state of the union" never becomes "state union" (unlike scikit-learn).
        ``"english"`` is scikit-learn's list; with the default tokenizer, stop words are
        lowercased.
    text_col : str, default="text"
        The column holding the text.

    Returns
    -------
    DataFrame
        Index ``term`` (sorted by code point), one int64 column per group (sorted; the columns'
        name is ``by``). Pass it to :func:`log_odds` or :func:`keyness`.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.distinctive import term_counts
    >>> docs = pd.DataFrame({"outlet": ["A", "A", "B"],
    ...                      "text": ["Illegal aliens.", "illegal ALIENS!", "Undocumented migrants"]})
    >>> term_counts(docs, ngram_range=(1, 2))
    outlet                 A  B
    term
    aliens                 2  0
    illegal                2  0
    illegal aliens         2  0
    migrants               0  1
    undocumented           0  1
    undocumented migrants  0  1
    """
    lo, hi = _check_ngram_range(ngram_range)
    check_int(min_count, "min_count", low=1, hint=" (1 keeps every term)")
    if tokenizer is not None and not callable(tokenizer):
        raise ArgumentError("tokenizer must be a function str -> list[str], or None for the default")
    stop = _stop_set(stop_words, lowercase=tokenizer is None)
    if isinstance(corpus, pd.DataFrame):
        chunks: Iterable = [corpus]
    elif isinstance(corpus, Iterable) and not isinstance(corpus, str | bytes):
        chunks = corpus
    else:
        _check_corpus(corpus, by, text_col)  # raises: not a DataFrame
    # \w+ tokens hold no space, so the default tokenizer's n-grams are distinct strings
    terms, table, labels = _count(chunks, by, text_col, tokenizer or _default_tokenizer,
                                  tokenizer is not None, lo, hi, stop)
    totals = np.asarray(table.sum(axis=1)).ravel()
    keep = np.flatnonzero(totals >= min_count)
    if len(keep) == 0:
        raise ArgumentError(f"no term occurs at least min_count={min_count} times; lower "
                             f"min_count or check the text column and the tokenizer")
    if len(keep) < len(totals):
        terms, table = terms.take(keep), table[keep]
    row_order = _term_order(terms)
    if row_order is not None:
        terms, table = terms.take(row_order), table[row_order]
    try:
        cols = sorted(range(len(labels)), key=lambda j: labels[j])
    except TypeError:  # group labels of mixed types: order of first appearance
        cols = list(range(len(labels)))
    try:
        index = pd.Index(pd.array(terms, dtype="str"), name="term")
    except (TypeError, ValueError):  # pandas without the "str" dtype
        index = pd.Index(terms.to_pylist(), dtype=object, name="term")
    return pd.DataFrame(table.toarray()[:, cols].astype(np.int64, copy=False), index=index,
                        columns=pd.Index([labels[j] for j in cols], name=by))


# ------------------------------------------------------------------------------ the two groups
def _check_counts(counts) -> np.ndarray:
    """Validate a term x group count table; return its values as floats."""
    if not isinstance(counts, pd.DataFrame):
        raise ArgumentError(f"counts must be a DataFrame with one row per term and one column per "
                             f"group (e.g. from term_counts); got {type(counts).__name__}")
    if counts.shape[0] == 0 or counts.shape[1] < 2:
        raise ArgumentError(f"counts has {counts.shape[0]} terms and {counts.shape[1]} groups; it "
                             f"needs at least one term and two groups (columns)")
    if counts.index.has_duplicates:
        dup = counts.index[counts.index.duplicated()].unique()[:5].tolist()
        raise ArgumentError(f"counts has repeated terms in its index, e.g. {dup}; add them up "
                             f"first: counts.groupby(level=0).sum()")
    if counts.columns.has_duplicates:
        raise ArgumentError(f"counts has repeated group names: {list(counts.columns)}")
    for col in counts.columns:
        dtype = counts[col].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise ArgumentError(f"counts column {col!r} is {dtype}, not numbers; counts must be "
                                 f"non-negative whole numbers")
    values = counts.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values) | (values < 0) | (values != np.floor(values))
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        raise ArgumentError(f"the count of term {counts.index[i]!r} in {counts.columns[j]!r} is "
                             f"{values[i, j]!r}; counts must be non-negative whole numbers")
    return values


def _pick(counts: pd.DataFrame, values: np.ndarray, target,
          reference) -> tuple[np.ndarray, np.ndarray]:
    """The target's counts and the reference's (pooled) counts, per term."""
    columns = list(counts.columns)

    def where(name, what: str) -> int:
        try:
            return columns.index(name)
        except ValueError:
            raise ArgumentError(f"{what} {name!r} is not a group (column) of the count table; the "
                                 f"groups are {columns}") from None

    t = where(target, "target")
    if reference is None:
        refs = [j for j in range(len(columns)) if j != t]
    else:
        names = (list(reference) if isinstance(reference, list | tuple | set | pd.Index | np.ndarray)
                 else [reference])
        if not names:
            raise ArgumentError("reference is empty; give a group, a list of groups, or None for "
                                 "all other groups")
        refs = [where(name, "reference") for name in names]
        if t in refs:
            raise ArgumentError(f"the target {target!r} is also in the reference; the reference "
                                 f"must be other groups")
        if len(set(refs)) != len(refs):
            raise ArgumentError(f"reference names a group twice: {names}")
    y_t = values[:, t]
    y_r = values[:, refs[0]] if len(refs) == 1 else values[:, refs].sum(axis=1)
    for y, what, name in ((y_t, "target", target), (y_r, "reference", reference)):
        if y.sum() == 0:
            raise ArgumentError(f"the {what} group {name if name is not None else 'all others'!r} "
                                 f"has no counts (all zero); there is nothing to compare")
    return y_t, y_r


def _sort(out: pd.DataFrame, stat: str) -> pd.DataFrame:
    """Descending by the statistic (NaN last), then ascending by term, as quanteda sorts."""
    key = -out[stat].to_numpy(dtype=np.float64)
    key[np.isnan(key)] = np.inf
    by_term = _term_order(out["term"].array)
    if by_term is None:
        order = np.argsort(key, kind="stable")
    else:
        order = by_term[np.argsort(key[by_term], kind="stable")]
    return out.take(order).reset_index(drop=True)


# ------------------------------------------------------------------------------------ log-odds
def _number(value, name: str, low: float, strict: bool, hint: str) -> float:
    ok = (not isinstance(value, bool) and isinstance(value, int | float | np.number)
          and np.isfinite(value) and (value > low if strict else value >= low))
    if not ok:
        raise ArgumentError(f"{name}={value!r}: give a number {'>' if strict else '>='} {low}"
                             f"{hint}")
    return float(value)


def _prior(counts: pd.DataFrame, values: np.ndarray, prior, prior_scale,
           prior_floor) -> np.ndarray:
    """The prior counts alpha_w, one per term of ``counts``."""
    floor = _number(prior_floor, "prior_floor", 0, False, " (default 0.01)")
    if isinstance(prior, str) and prior == "pooled":
        base = values.sum(axis=1)
    elif isinstance(prior, pd.Series):
        if prior.index.has_duplicates:
            raise ArgumentError("the prior Series has repeated terms in its index")
        if not pd.api.types.is_numeric_dtype(prior.dtype) or pd.api.types.is_bool_dtype(prior.dtype):
            raise ArgumentError(f"the prior Series holds {prior.dtype}, not numbers")
        aligned = prior.reindex(counts.index)
        if aligned.isna().all():
            raise ArgumentError("the prior Series shares no term with the count table; its index "
                                 "must hold the terms (the count table's index)")
        base = aligned.fillna(0.0).to_numpy(dtype=np.float64)
        if not np.isfinite(base).all() or (base < 0).any():
            raise ArgumentError("the prior Series must hold finite numbers >= 0")
    else:
        raise ArgumentError(f"prior={prior!r}: use 'pooled' or a pandas Series of prior counts "
                             f"indexed by term")
    alpha = base + floor
    if (alpha <= 0).any():
        term = counts.index[int(np.flatnonzero(alpha <= 0)[0])]
        raise ArgumentError(f"term {term!r} has a prior count of 0; every term needs a positive "
                             f"prior, so use prior_floor > 0")
    if prior_scale is not None:
        scale = _number(prior_scale, "prior_scale", 0, True,
                        " (the prior's total count, default 500), or None to keep the prior as is")
        alpha = alpha * (scale / alpha.sum())
    return alpha


def _log_odds(counts, values, target, reference, prior, prior_scale, prior_floor, variance):
    if variance not in ("full", "monroe"):
        raise ArgumentError(f"variance={variance!r}: use 'full' (four terms) or 'monroe' (two)")
    if len(values) < 2:
        raise ArgumentError("counts has a single term; log-odds need at least two terms")
    y_i, y_j = _pick(counts, values, target, reference)
    alpha = _prior(counts, values, prior, prior_scale, prior_floor)
    a0, n_i, n_j = alpha.sum(), y_i.sum(), y_j.sum()
    in_i, out_i = y_i + alpha, n_i + a0 - y_i - alpha
    in_j, out_j = y_j + alpha, n_j + a0 - y_j - alpha
    delta = np.log(in_i / out_i) - np.log(in_j / out_j)
    if variance == "full":
        var = 1.0 / in_i + 1.0 / out_i + 1.0 / in_j + 1.0 / out_j
    else:
        var = 1.0 / in_i + 1.0 / in_j
    out = pd.DataFrame({
        "term": counts.index.array,
        "n_target": y_i.astype(np.int64),
        "n_reference": y_j.astype(np.int64),
        "delta": delta,
        "var": var,
        "z": delta / np.sqrt(var),
    })
    return _sort(out, "z")


def log_odds(
    counts: pd.DataFrame,
    target: Hashable,
    reference: Hashable | list | None = None,
    *,
    prior: str | pd.Series = "pooled",
    prior_scale: float | None = 500,
    prior_floor: float = 0.01,
    variance: str = "full",
) -> pd.DataFrame:
    """Fightin' Words: log-odds ratio with an informative Dirichlet prior, per term.

    Monroe, Colaresi & Quinn (2008), "Fightin' words", *Political Analysis* 16(4): 372-403.
    With target counts ``y_i`` (total ``n_i``), reference counts ``y_j`` (total ``n_j``) and
    prior counts ``a`` (total ``a0``), for each term::

        delta = log((y_i + a) / (n_i + a0 - y_i - a)) - log((y_j + a) / (n_j + a0 - y_j - a))
        var   = 1/(y_i + a) + 1/(n_i + a0 - y_i - a)
              + 1/(y_j + a) + 1/(n_j + a0 - y_j - a)        # variance="full"
        var   = 1/(y_i + a) + 1/(y_j + a)                   # variance="monroe"
        z     = delta / sqrt(var)

    With the defaults this is scattertext's ``LogOddsRatioInformativeDirichletPrior(priors,
    sigma=500, scale_type='word')`` with ``priors = PriorFactory(corpus, starting_count=0.01)
    .use_all_categories().get_priors()``, which uses the four-term variance: given the same
    count table the z agree to 1e-9 (tested on the convention2012 speeches). Counts must be
    identical for identical z; see :func:`term_counts` for how framing tokenizes.

    Parameters
    ----------
    counts : DataFrame
        Index: terms; one column per group; non-negative whole numbers (e.g. from
        :func:`term_counts`). The totals ``n`` are the column sums of this table.
    target : str
        The group (column) whose distinctive terms get positive z.
    reference : str or list of str, optional
        The group, or groups pooled, to compare with; default: all other columns pooled.
    prior : "pooled" or Series, default="pooled"
        ``"pooled"``: each term's count summed over *all* columns of ``counts`` (also columns in
        neither target nor reference). A Series: prior counts indexed by term (e.g. from a
        background corpus); terms missing from it (or NaN) get 0, and its terms that are not in
        ``counts`` are ignored. Either way ``prior_floor`` is then added to every term.
    prior_scale : float or None, default=500
        Rescale the prior counts so that they sum to this (``a0``; scattertext's ``sigma`` with
        ``scale_type='word'``). ``None``: use them as they are (``scale_type='none'``).
    prior_floor : float, default=0.01
        Added to every term's prior count before rescaling (scattertext's ``starting_count``), so
        that no term has a zero prior. For a prior that already includes it, such as
        scattertext's ``get_priors()``, pass ``prior_floor=0``.
    variance : {"full", "monroe"}, default="full"
        ``"full"``: the four-term variance above (what scattertext computes); ``"monroe"``: the
        two-term approximation of Monroe et al.'s eq. 20.

    Returns
    -------
    DataFrame
        One row per term of ``counts``: ``term, n_target, n_reference, delta, var, z``, sorted by
        ``z`` (descending), then ``term``. Positive z: over-used by the target.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.distinctive import log_odds
    >>> counts = pd.DataFrame({"RT": [30, 2, 50], "Reuters": [1, 25, 60]},
    ...                       index=pd.Index(["special operation", "invasion", "said"], name="term"))
    >>> log_odds(counts, "RT").round(3)
                    term  n_target  n_reference  delta    var      z
    0  special operation        30            1  0.340  0.023  2.237
    1               said        50           60 -0.056  0.015 -0.454
    2           invasion         2           25 -0.285  0.026 -1.777
    """
    values = _check_counts(counts)
    return _log_odds(counts, values, target, reference, prior, prior_scale, prior_floor, variance)


def distinctive_terms(
    corpus: pd.DataFrame | Iterable[pd.DataFrame],
    by: Hashable = "outlet",
    target: Hashable | None = None,
    reference: Hashable | list | None = None,
    *,
    ngram_range: tuple[int, int] = (1, 1),
    min_count: int = 1,
    tokenizer: Callable[[str], list[str]] | None = None,
    stop_words: str | Iterable[str] | None = None,
    text_col: Hashable = "text",
    **log_odds_kwargs,
) -> pd.DataFrame:
    """The terms that set a group's wording apart: :func:`term_counts`, then :func:`log_odds`.

    Parameters
    ----------
    corpus : DataFrame or iterable of DataFrames
        A corpus table (e.g. from :func:`framing.load_corpus`), or chunks of one.
    by : str, default="outlet"
        The column whose values are the groups.
    target : str, optional
        The group whose distinctive terms get positive z. Default: every group against all the
        others pooled, in one table with a leading ``group`` column.
    reference : str or list of str, optional
        The group(s) to compare the target with; default: all other groups pooled. Needs
        ``target``.
    ngram_range, min_count, tokenizer, stop_words, text_col
        How terms are counted; see :func:`term_counts` (by default lowercased ``\\w+`` words,
        and every term is kept).
    **log_odds_kwargs
        ``prior``, ``prior_scale``, ``prior_floor``, ``variance``; see :func:`log_odds`.

    Returns
    -------
    DataFrame
        Columns ``term, n_target, n_reference, delta, var, z``, sorted by z (descending), then
        term. With ``target=None``: a leading ``group`` column, one block per group (groups
        sorted), each block sorted by z.

    Examples
    --------
    >>> from framing import load_corpus
    >>> from framing.distinctive import distinctive_terms
    >>> corpus = load_corpus("data/seed")
    >>> rt = distinctive_terms(corpus, target="RT", stop_words="english")
    >>> rt.head(3).round(2)
         term  n_target  n_reference  delta   var     z
    0    kiev         8            0   2.09  0.42  3.22
    1    2022         5            0   2.08  0.67  2.54
    2  spring         3            0   2.08  1.12  1.97
    >>> each = distinctive_terms(corpus, stop_words="english")
    >>> each.groupby("group").head(1)[["group", "term", "z"]].round(2)
                  group    term     z
    0      American Age     war  2.08
    566              RT    kiev  3.22
    1132        Reuters   goals  2.35
    1698   The National      mr  4.28
    2264  TheJournal.ie  killed  2.88
    """
    unknown = set(log_odds_kwargs) - {"prior", "prior_scale", "prior_floor", "variance"}
    if unknown:
        raise ArgumentError(f"unknown argument(s) {sorted(unknown)}; log_odds takes prior, "
                             f"prior_scale, prior_floor and variance")
    if target is None and reference is not None:
        raise ArgumentError("reference needs a target; with target=None each group is compared "
                             "with all the others")
    counts = term_counts(corpus, by, ngram_range=ngram_range, min_count=min_count,
                         tokenizer=tokenizer, stop_words=stop_words, text_col=text_col)
    if counts.shape[1] < 2:
        raise ArgumentError(f"the corpus has a single {by!r} group ({counts.columns[0]!r}); "
                             f"distinctive terms need at least two")
    values = counts.to_numpy(dtype=np.float64)
    kwargs = {"prior": "pooled", "prior_scale": 500, "prior_floor": 0.01, "variance": "full",
              **log_odds_kwargs}
    if target is not None:
        return _log_odds(counts, values, target, reference, **kwargs)
    frames = [_log_odds(counts, values, g, None, **kwargs) for g in counts.columns]
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "group", np.repeat(counts.columns.to_numpy(), [len(f) for f in frames]))
    return out


# ------------------------------------------------------------------------------------- keyness
def _fisher_one(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Conditional-MLE odds ratio and two-sided exact p of [[a, b], [c, d]], as R's fisher.test."""
    from scipy.special import gammaln

    m, n, k = a + c, b + d, a + b  # column totals (target, reference tokens) and the term's total
    lo, hi = max(0, k - n), min(k, m)
    x = np.arange(lo, hi + 1)
    logw = (gammaln(m + 1) - gammaln(x + 1) - gammaln(m - x + 1)
            + gammaln(n + 1) - gammaln(k - x + 1) - gammaln(n - k + x + 1))
    logw -= logw.max()
    pmf = np.exp(logw)
    pmf /= pmf.sum()
    p = float(pmf[pmf <= pmf[a - lo] * (1 + 1e-7)].sum())
    if a == lo:
        return (0.0 if lo < hi else np.nan), min(p, 1.0)
    if a == hi:
        return np.inf, min(p, 1.0)

    def mean_var(t):
        z = logw + t * x
        z -= z.max()
        w = np.exp(z)
        w /= w.sum()
        mu = (w * x).sum()
        return mu, (w * (x - mu) ** 2).sum()

    t = np.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5)))
    for _ in range(100):  # Newton on log(odds ratio): E_t[X] = a is increasing in t
        mu, var = mean_var(t)
        step = (a - mu) / max(var, 1e-300)
        t += float(np.clip(step, -5, 5))
        if abs(step) < 1e-12:
            break
    return float(np.exp(t)), min(p, 1.0)


def _fisher(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Conditional-MLE odds ratio and two-sided Fisher p of each 2x2 table [[a, b], [c, d]] (as R's
    fisher.test and quanteda's measure="exact"); each distinct table is computed once."""
    odds, p = np.full(len(a), np.nan), np.ones(len(a))
    tables = np.stack([a, b, c, d], axis=1).astype(np.int64)
    seen = (a + b) > 0
    uniq, inverse = np.unique(tables[seen], axis=0, return_inverse=True)
    res = np.array([_fisher_one(*(int(v) for v in t)) for t in uniq]).reshape(-1, 2)
    odds[seen], p[seen] = res[inverse.ravel(), 0], res[inverse.ravel(), 1]
    return odds, p


def keyness(
    counts: pd.DataFrame,
    target: Hashable,
    reference: Hashable | list | None = None,
    measure: str = "chi2",
    *,
    correction: str = "default",
    compat: str | None = None,
) -> pd.DataFrame:
    """Keyness of every term, target vs reference, with quanteda's ``textstat_keyness`` semantics.

    Each term gives a 2x2 table: ``a`` = its count in the target, ``b`` = in the reference,
    ``c`` = the target's other tokens, ``d`` = the reference's other tokens; ``N = a+b+c+d``,
    ``E = (a+b)(a+c)/N``. The statistics are signed: positive when ``a > E`` (over-used by the
    target). The formulas are those of quanteda.textstats (``src/keyness.cpp``):

    * ``"chi2"``: ``N (|ad - bc| - N y)^2 / ((a+b)(c+d)(a+c)(b+d))``, where the Yates term
      ``y = 0.5`` when ``|ad - bc| >= N/2`` and an expected cell count is below 5, else 0.
    * ``"lr"``: ``G2 = 2 sum(O log(O/E))`` over the four cells (``0 log 0 = 0``); with Yates
      (same condition) each cell is first moved 0.5 towards independence.
    * ``"pmi"``: ``log(a/E)`` (``-inf`` for a term the target never uses).
    * ``"exact"``: Fisher's exact test, as quanteda: column ``or`` is the conditional maximum-
      likelihood odds ratio (R's ``fisher.test`` estimate; ``> 1`` = over-used by the target,
      ``inf`` when the reference never uses the term) and ``p`` its two-sided exact p-value.
    * Williams: chi2 or G2 is divided by ``q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) -
      1) / (6N)`` (``q = 1`` when a cell is 0). (quanteda.textstats' C++ code multiplies chi2
      by q instead, an apparent slip; its earlier R code divided, as here.)

    **Where Yates follows quanteda rather than R or scipy**: R's ``chisq.test(correct=TRUE)`` and
    scipy's ``chi2_contingency(correction=True)`` correct every 2x2 table (``|O - E|`` reduced by
    up to 0.5), while quanteda corrects only tables with an expected count below 5 and ``|ad - bc|
    >= N/2``, by exactly 0.5, and applies the same correction to G2, which R and scipy never do.
    ``correction="yates"`` here is quanteda's rule; for R's, call ``chi2_contingency`` per term.

    ``p`` is the upper tail of chi-squared with 1 degree of freedom at ``|statistic|``, as in
    quanteda (also for pmi), and Fisher's exact p for ``"exact"``.

    **Exact by default.** quanteda adds ``1e-9`` inside the logarithms of G2 and pmi, which adds
    about ``2e-9 N`` to every G2 (at ``N = 10^9`` a term exactly at its expectation gets G2 = -2,
    p = 0.16, instead of 0 and 1). framing computes the exact values; ``compat="quanteda"`` gives
    quanteda's numbers, epsilon included.

    Parameters
    ----------
    counts : DataFrame
        Index: terms; one column per group; non-negative whole numbers (e.g. from
        :func:`term_counts`).
    target : str
        The target group (column).
    reference : str or list of str, optional
        The group, or groups pooled, to compare with; default: all other columns pooled.
    measure : {"chi2", "lr", "pmi", "exact"}, default="chi2"
        Pearson's chi-squared, the likelihood ratio G2, pointwise mutual information, or Fisher's
        exact test.
    correction : {"default", "yates", "williams", "none"}, default="default"
        ``"default"`` is what quanteda computes: Yates for ``"chi2"`` and for ``"lr"`` (quanteda's
        documentation says Williams for ``"lr"``, but its code applies Yates), none for
        ``"pmi"`` and ``"exact"``, which take no correction.
    compat : {None, "quanteda"}, default=None
        ``"quanteda"``: quanteda's numbers, with its ``1e-9`` inside the logarithms of G2 and pmi.

    Returns
    -------
    DataFrame
        ``term``, the statistic (column ``chi2``, ``G2``, ``pmi`` or ``or``, as quanteda names
        it), ``p``, ``n_target``, ``n_reference``; sorted by the statistic (descending), then term.
        A term counted in neither group gets NaN (0/0) and comes last.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.distinctive import keyness
    >>> counts = pd.DataFrame({"RT": [30, 2, 50], "Reuters": [1, 25, 60]},
    ...                       index=pd.Index(["special operation", "invasion", "said"], name="term"))
    >>> keyness(counts, "RT").round(3)
                    term    chi2      p  n_target  n_reference
    0  special operation  35.003  0.000        30            1
    1               said  -1.435  0.231        50           60
    2           invasion -22.070  0.000         2           25
    >>> keyness(counts, "RT", measure="lr", correction="williams").round(3)
                    term      G2      p  n_target  n_reference
    0  special operation  41.376  0.000        30            1
    1               said  -1.422  0.233        50           60
    2           invasion -25.163  0.000         2           25
    >>> keyness(counts, "RT", measure="exact").round(3)
                    term      or      p  n_target  n_reference
    0  special operation  48.184  0.000        30            1
    1               said   0.679  0.258        50           60
    2           invasion   0.062  0.000         2           25
    """
    if measure not in KEYNESS_STAT:
        raise ArgumentError(f"measure={measure!r}: use 'chi2', 'lr' (likelihood ratio G2), 'pmi' or 'exact' "
                             f"(Fisher)")
    if compat not in (None, "quanteda"):
        raise ArgumentError(f"compat={compat!r}: use None (exact values) or 'quanteda' (quanteda's 1e-9 "
                             f"inside the logarithms)")
    eps = _EPSILON if compat == "quanteda" else 0.0
    if correction not in ("default", "yates", "williams", "none"):
        raise ArgumentError(f"correction={correction!r}: use 'default', 'yates', 'williams' or "
                             f"'none'")
    if measure in ("pmi", "exact") and correction not in ("default", "none"):
        raise ArgumentError(f"{measure} takes no correction (quanteda ignores correction={correction!r} "
                             f"with a warning); leave correction='default'")
    if correction == "default":
        correction = DEFAULT_CORRECTION[measure]
    a, b = _pick(counts, _check_counts(counts), target, reference)
    c, d = a.sum() - a, b.sum() - b
    n = a + b + c + d
    expected = (a + b) * (a + c) / n
    sign = np.where(a > expected, 1.0, -1.0)
    p = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "exact":
            stat, p = _fisher(a, b, c, d)
        elif measure == "pmi":
            stat = np.log(a / expected + eps)
        else:
            yates = np.zeros_like(a)
            if correction == "yates":
                small = (((a + b) * (a + c) / n < 5) | ((a + b) * (b + d) / n < 5)
                         | ((a + c) * (c + d) / n < 5) | ((c + d) * (b + d) / n < 5))
                yates = np.where((np.abs(a * d - b * c) >= n / 2) & small, 0.5, 0.0)
            if measure == "chi2":
                stat = (n * (np.abs(a * d - b * c) - n * yates) ** 2
                        / ((a + b) * (c + d) * (a + c) * (b + d)) * sign)
            else:
                shift = np.where(a * d - b * c > 0, -yates, yates)  # towards independence
                aa, bb, cc, dd = a + shift, b - shift, c - shift, d + shift
                def cell(o, e):  # O log(O/E), with 0 log 0 = 0 (quanteda: log(O/E + 1e-9))
                    return np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / e + eps), 0.0) if eps == 0 \
                        else o * np.log(o / e + eps)

                stat = 2 * (cell(aa, (aa + bb) * (aa + cc) / n) + cell(bb, (aa + bb) * (bb + dd) / n)
                            + cell(cc, (aa + cc) * (cc + dd) / n) + cell(dd, (bb + dd) * (cc + dd) / n)) * sign
            if correction == "williams":
                q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
                stat = stat / np.where(a * b * c * d == 0, 1.0, q)
    name = KEYNESS_STAT[measure]
    out = pd.DataFrame({
        "term": counts.index.array,
        name: stat,
        "p": _chi2_dist.sf(np.abs(stat), 1) if p is None else p,
        "n_target": a.astype(np.int64),
        "n_reference": b.astype(np.int64),
    })
    return _sort(out, name)


# ------------------------------------------------------------------------------- report defaults
_ABBREVIATED = re.compile(r"(?:[^\W\d_]\.){2,}|\w+")


def words_and_abbreviations(text: str) -> list[str]:
    """Lowercased word runs, keeping dotted abbreviations whole: "U.S." is ``u.s.``, not ``u`` and ``s``.

    A tokenizer for :func:`term_counts` and :func:`distinctive_terms` (``tokenizer=``); the report
    uses it. Otherwise the same tokens as the default (``\\w+``).

    Examples
    --------
    >>> from framing.distinctive import words_and_abbreviations
    >>> words_and_abbreviations("The U.S. and the U.K. met in Kyiv, e.g. on 3.5.")
    ['the', 'u.s.', 'and', 'the', 'u.k.', 'met', 'in', 'kyiv', 'e.g.', 'on', '3', '5']
    """
    return _ABBREVIATED.findall(text.lower())


def _chrome_terms() -> frozenset[str]:
    from importlib import resources

    import yaml

    spec = yaml.safe_load(resources.files("framing").joinpath("data/page_chrome_terms.yaml").read_text("utf-8"))
    return frozenset(str(t).lower() for t in spec["terms"])


def _name_tokens(names, urls=()) -> frozenset[str]:
    """Tokens of group names and of their sites' domain names: "Associated Press" gives associated,
    press and the initials ap; https://apnews.com gives apnews."""
    out: set[str] = set()
    for name in names:
        words = _TOKEN.findall(str(name).lower())
        out.update(words)
        if len(words) > 1:
            out.add("".join(w[0] for w in words))
        out.add("".join(words))
    for url in urls:
        host = re.sub(r"^[a-z]+://", "", str(url).lower()).split("/")[0].split(":")[0]
        labels = [x for x in host.split(".") if x and x != "www"]
        out.update(labels[:-1] if len(labels) > 1 else labels)  # not the top-level domain
    return frozenset(t for t in out if t)


def flag_terms(terms: pd.DataFrame, corpus: pd.DataFrame | None = None, by: Hashable = "outlet", *,
               names: Iterable[str] = (), chrome: bool = True) -> pd.DataFrame:
    """Mark the terms a summary of distinctive words should leave out, and why (column ``left_out``).

    ``group name``: a token of a group's name or of its site's domain (an outlet names itself:
    "bbc", "reuters", "ap", "apnews"); ``page chrome``: words of captions, credits, links and
    widgets (``framing/data/page_chrome_terms.yaml``: photo, file, https, read, related, ...);
    ``number``: no letter ("000" of "10,000"); ``fragment``: a single letter (a split abbreviation
    such as the "s" of "U.S." when the terms were counted with the default tokenizer). N-grams are
    marked when one of their words is. Nothing is dropped: the full table keeps every term.

    Parameters
    ----------
    terms : DataFrame
        From :func:`distinctive_terms` (or :func:`log_odds`).
    corpus : DataFrame, optional
        Gives the group names (its ``by`` column) and their sites (its ``url`` column).
    by : str, default="outlet"
    names : iterable of str
        More names to leave out.
    chrome : bool, default=True
        Mark page-chrome words.

    Returns
    -------
    DataFrame
        A copy of ``terms`` with ``left_out`` ("" for the terms to show).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.distinctive import flag_terms
    >>> terms = pd.DataFrame({"term": ["bbc", "photo", "000", "s", "kyiv", "u.s."], "z": 1.0})
    >>> flag_terms(terms, names=["BBC", "Associated Press"])["left_out"].tolist()
    ['group name', 'page chrome', 'number', 'fragment', '', '']
    """
    group_names = list(names)
    urls: list = []
    if corpus is not None:
        if by in corpus.columns:
            group_names += [str(g) for g in pd.unique(corpus[by].dropna())]
        if "url" in corpus.columns:
            urls = pd.unique(corpus["url"].dropna().astype(str).str.extract(r"^((?:[a-z]+://)?[^/]+)",
                                                                            expand=False).dropna()).tolist()
    own = _name_tokens(group_names, urls)
    page = _chrome_terms() if chrome else frozenset()
    reasons = []
    for term in terms["term"].astype(str):
        words = term.split()
        if any(w in own for w in words):
            reasons.append("group name")
        elif any(w in page for w in words):
            reasons.append("page chrome")
        elif not re.search(r"[^\W\d_]", term):
            reasons.append("number")
        elif any(len(w) == 1 for w in words):
            reasons.append("fragment")
        else:
            reasons.append("")
    return terms.assign(left_out=reasons)
