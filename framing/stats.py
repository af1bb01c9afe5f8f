"""Stage 5, stats: variant shares with article-level intervals, lean score, outlet similarity and map.

The article is the unit of analysis: hits cluster in articles (one story says "Kiev" twenty times),
so every interval resamples articles, never single hits. Functions take hits and the corpus as
tidy DataFrames and return new tidy DataFrames; inputs are never modified.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.spatial.distance import jensenshannon

from framing._errors import FramingError
from framing.voice import VOICES

__all__ = ["variant_shares", "lean", "trend", "outlet_similarity", "outlet_map"]

SHARE_COLUMNS = ["group", "contrast", "variant", "side", "n_hits", "n_docs", "n_contrast_hits",
                 "n_contrast_docs", "share", "ci_low", "ci_high", "ci_method", "n_group_docs", "n_words",
                 "per_1k_words"]


# ------------------------------------------------------------------------------------- helpers
def _voices(voice) -> list[str]:
    if voice is None or voice == "all":
        return list(VOICES)
    voices = [voice] if isinstance(voice, str) else list(voice)
    bad = [v for v in voices if v not in VOICES]
    if bad:
        raise FramingError(f"unknown voice {bad[0]!r}; choose from {list(VOICES)} (or None for all)")
    return voices


def _check_inputs(hits: pd.DataFrame, corpus: pd.DataFrame, by: str) -> None:
    if not isinstance(hits, pd.DataFrame) or not {"doc_id", "contrast", "variant", "voice"} <= set(hits.columns):
        raise FramingError("hits must be the table returned by framing.find_hits")
    if not isinstance(corpus, pd.DataFrame) or "text" not in corpus.columns:
        raise FramingError("corpus must be the table returned by framing.load_corpus")
    if by not in corpus.columns:
        raise FramingError(f"no column '{by}' in the corpus to group by; the columns are {list(corpus.columns)}")
    unknown = pd.Index(hits["doc_id"].unique()).difference(corpus.index)
    if len(unknown):
        raise FramingError(f"{len(unknown)} hits come from documents that are not in the corpus "
                           f"(e.g. {list(unknown[:3])}); pass the corpus the hits were found in")


def _rng(seed: int, *keys) -> np.random.Generator:
    """A generator that depends only on the seed and the keys, not on the order of computation."""
    key = zlib.crc32("\x1f".join(map(str, keys)).encode("utf-8"))
    return np.random.default_rng([int(seed), key])


def _ratio_interval(num: np.ndarray, den: np.ndarray, *, n_boot: int, level: float, rng) -> tuple:
    """Percentile interval of sum(num)/sum(den) resampling rows (articles) with replacement.

    ``num`` is (n_docs, k): one column per share; returns arrays (low, high) of length k.
    """
    d = len(den)
    draws = rng.integers(0, d, size=(n_boot, d)) + (np.arange(n_boot) * d)[:, None]
    weights = np.bincount(draws.ravel(), minlength=n_boot * d).reshape(n_boot, d).astype(np.float64)
    tot = weights @ den
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (weights @ num) / tot[:, None]
    alpha = (1 - level) / 2
    low = np.nanquantile(boot, alpha, axis=0)
    high = np.nanquantile(boot, 1 - alpha, axis=0)
    return low, high


def _jeffreys(x: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Jeffreys interval for binomial proportions x/n (hits treated as independent)."""
    alpha = (1 - level) / 2
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    low = np.where(x > 0, sps.beta.ppf(alpha, x + 0.5, n - x + 0.5), 0.0)
    high = np.where(x < n, sps.beta.ppf(1 - alpha, x + 0.5, n - x + 0.5), 1.0)
    return low, high


def _variant_table(hits: pd.DataFrame, lexicon) -> pd.DataFrame:
    """contrast, variant, side of every variant to report (the lexicon's, else those with hits)."""
    if lexicon is not None:
        from framing.lexicon import load_lexicon

        lex = load_lexicon(lexicon)
        return pd.DataFrame([(c.id, v.id, v.side) for c in lex.contrasts.values() for v in c.variants.values()],
                            columns=["contrast", "variant", "side"])
    if hits.empty:
        return pd.DataFrame(columns=["contrast", "variant", "side"])
    return hits[["contrast", "variant", "side"]].drop_duplicates().reset_index(drop=True)


# ------------------------------------------------------------------------------- variant shares
def variant_shares(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    *,
    lexicon=None,
    level: float = 0.95,
    n_boot: int = 2000,
    min_docs: int = 10,
    seed: int = 0,
    exclude_shared: bool | pd.DataFrame = False,
) -> pd.DataFrame:
    """Each group's share of each variant among its contrast's hits, with a 95% interval.

    Parameters
    ----------
    hits : DataFrame
        From :func:`framing.find_hits`.
    corpus : DataFrame
        The corpus the hits were found in (it gives every group, with or without hits, and the
        word counts).
    by : str, default="outlet"
        Any corpus column.
    voice : str, list of str or None, default="authorial"
        Which hits count: the outlet's own words by default; ``None`` counts every voice.
    lexicon : str, Path or Lexicon, optional
        Report every variant of the lexicon (zero rows included); by default the variants that
        have hits.
    level : float, default=0.95
        Confidence level of the intervals.
    n_boot : int, default=2000
        Bootstrap resamples of articles.
    min_docs : int, default=10
        Groups whose contrast hits come from fewer articles get a Jeffreys interval instead of the
        bootstrap (``ci_method`` says which).
    seed : int, default=0
        Seed of the bootstrap; the same seed gives the same intervals whatever the order of groups.
    exclude_shared : bool or DataFrame, default=False
        Drop hits in wording copied between outlets first (see :func:`framing.find_hits`).

    Returns
    -------
    DataFrame
        One row per group x contrast x variant: ``group, contrast, variant, side, n_hits,
        n_docs`` (articles with this variant), ``n_contrast_hits``, ``n_contrast_docs``,
        ``share`` (NaN when the group has no hits in the contrast), ``ci_low, ci_high``,
        ``ci_method`` (``bootstrap``: articles resampled with replacement, percentile interval;
        ``jeffreys``: Beta(x+1/2, n-x+1/2) on hits, used when fewer than ``min_docs`` articles;
        empty when there is no share), ``n_group_docs``, ``n_words`` and ``per_1k_words`` (hits
        per 1,000 words of the group's articles).

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares
    >>> corpus = load_corpus("data/seed")
    >>> shares = variant_shares(find_hits(corpus), corpus)
    >>> shares.query("contrast == 'capital' and n_hits > 0")[["group", "variant", "n_hits", "share", "ci_method"]]
       group variant  n_hits  share ci_method
    ...   RT    kiev       9    1.0  jeffreys
    ...
    """
    _check_inputs(hits, corpus, by)
    if not 0 < level < 1:
        raise FramingError(f"level must be between 0 and 1, not {level}")
    if exclude_shared is not False:
        from framing.match import _drop_shared

        hits = _drop_shared(hits, corpus, exclude_shared)
    voices = _voices(voice)
    h = hits[hits["voice"].isin(voices)]
    group_of = corpus[by]
    h = h.assign(group=group_of.reindex(h["doc_id"]).to_numpy())
    variants = _variant_table(hits, lexicon)
    groups = pd.Index(sorted(group_of.dropna().unique(), key=str))
    docs_per_group = group_of.value_counts()
    words_per_group = corpus.groupby(by)["n_words"].sum() if "n_words" in corpus.columns else None

    rows = []
    for contrast, vt in variants.groupby("contrast", sort=False):
        var_ids = vt["variant"].tolist()
        hc = h[h["contrast"] == contrast]
        per_doc = (hc.groupby(["group", "doc_id", "variant"]).size().unstack("variant", fill_value=0)
                   .reindex(columns=var_ids, fill_value=0)) if len(hc) else None
        for g in groups:
            if per_doc is not None and g in per_doc.index.get_level_values(0):
                mat = per_doc.xs(g, level="group").to_numpy(dtype=np.float64)
            else:
                mat = np.zeros((0, len(var_ids)))
            n_hits = mat.sum(axis=0)
            n_docs = (mat > 0).sum(axis=0)
            total = mat.sum()
            d = mat.shape[0]
            if total == 0:
                share = np.full(len(var_ids), np.nan)
                low = high = share
                method = ""
            else:
                share = n_hits / total
                if d >= min_docs:
                    low, high = _ratio_interval(mat, mat.sum(axis=1), n_boot=n_boot, level=level,
                                                rng=_rng(seed, g, contrast))
                    method = "bootstrap"
                else:
                    low, high = _jeffreys(n_hits, np.full(len(var_ids), total), level)
                    method = "jeffreys"
            words = float(words_per_group.get(g, np.nan)) if words_per_group is not None else np.nan
            for i, (vid, side) in enumerate(zip(var_ids, vt["side"], strict=True)):
                rows.append((g, contrast, vid, side, int(n_hits[i]), int(n_docs[i]), int(total), d, share[i],
                             low[i], high[i], method, int(docs_per_group.get(g, 0)), words,
                             n_hits[i] / words * 1000 if words else np.nan))
    out = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    out["n_words"] = out["n_words"].astype("float64")
    return out


# ----------------------------------------------------------------------------------- lean score
def lean(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    *,
    sides: Sequence[str] | None = None,
    lexicon=None,
    unit: str = "group",
    level: float = 0.95,
    n_boot: int = 2000,
    min_docs: int = 10,
    seed: int = 0,
) -> pd.DataFrame:
    """Lean score: (hits on side A - hits on side B) / side-tagged hits, per group or per article.

    +1 means every side-tagged term the outlet used in the chosen voices is side A's, -1 side
    B's. By default only the outlet's own words count, so quoting the other side's term does
    not move an outlet.

    Parameters
    ----------
    hits, corpus, by, voice
        As for :func:`variant_shares`.
    sides : (str, str), optional
        Side A and side B by name. Default: the lexicon's first two sides when ``lexicon`` is
        given, else the two sides in the hits in alphabetical order (for ``russia-ukraine``:
        ``ru_state`` then ``ua_western``, so positive = Russian state usage).
    lexicon : str, Path or Lexicon, optional
        Gives the default sides.
    unit : {"group", "article"}, default="group"
        One row per group (with an article-bootstrap interval), or one row per article (with a
        Jeffreys interval on its hits).
    level, n_boot, min_docs, seed
        As for :func:`variant_shares`.

    Returns
    -------
    DataFrame
        ``group`` (and ``doc_id`` for articles), ``n_docs`` (articles with side-tagged hits),
        ``n_a``, ``n_b``, ``lean``, ``ci_low``, ``ci_high``, ``ci_method``, ``side_a``, ``side_b``.
        Groups without side-tagged hits have NaN lean. Sort outlets with
        ``lean(...).sort_values("lean")``.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, lean
    >>> corpus = load_corpus("data/seed")
    >>> lean(find_hits(corpus), corpus, lexicon="russia-ukraine").sort_values("lean")[["group", "lean"]].tail(1)
      group  lean
    1    RT   1.0
    """
    _check_inputs(hits, corpus, by)
    if unit not in ("group", "article"):
        raise FramingError(f"unit must be 'group' or 'article', not {unit!r}")
    if sides is None:
        if lexicon is not None:
            from framing.lexicon import load_lexicon

            sides = list(load_lexicon(lexicon).sides)[:2]
        else:
            sides = sorted(s for s in hits["side"].dropna().unique())[:2]
    sides = list(sides)
    if len(sides) != 2:
        raise FramingError(f"lean needs two sides, got {sides}; pass sides=('side_a', 'side_b')")
    a, b = sides
    voices = _voices(voice)
    h = hits[hits["voice"].isin(voices) & hits["side"].isin(sides)]
    per_doc = (h.assign(is_a=(h["side"] == a).astype(int), is_b=(h["side"] == b).astype(int))
               .groupby("doc_id")[["is_a", "is_b"]].sum())
    per_doc["group"] = corpus[by].reindex(per_doc.index).to_numpy()
    if unit == "article":
        n = (per_doc["is_a"] + per_doc["is_b"]).to_numpy()
        low, high = _jeffreys(per_doc["is_a"].to_numpy(), n, level)
        out = pd.DataFrame({
            "doc_id": per_doc.index, "group": per_doc["group"].to_numpy(), "n_docs": 1,
            "n_a": per_doc["is_a"].to_numpy(), "n_b": per_doc["is_b"].to_numpy(),
            "lean": (per_doc["is_a"] - per_doc["is_b"]).to_numpy() / n,
            "ci_low": 2 * low - 1, "ci_high": 2 * high - 1, "ci_method": "jeffreys",
        })
        order = {d: i for i, d in enumerate(corpus.index)}
        out = out.iloc[np.argsort([order[d] for d in out["doc_id"]], kind="stable")].reset_index(drop=True)
    else:
        rows = []
        for g in sorted(corpus[by].dropna().unique(), key=str):
            sub = per_doc[per_doc["group"] == g]
            na, nb, d = int(sub["is_a"].sum()), int(sub["is_b"].sum()), len(sub)
            if na + nb == 0:
                rows.append((g, d, na, nb, np.nan, np.nan, np.nan, ""))
                continue
            value = (na - nb) / (na + nb)
            if d >= min_docs:
                diff = (sub["is_a"] - sub["is_b"]).to_numpy(dtype=float)[:, None]
                lo, hi = _ratio_interval(diff, (sub["is_a"] + sub["is_b"]).to_numpy(dtype=float), n_boot=n_boot,
                                         level=level, rng=_rng(seed, g, "lean"))
                rows.append((g, d, na, nb, value, lo[0], hi[0], "bootstrap"))
            else:
                lo, hi = _jeffreys(np.array([na]), np.array([na + nb]), level)
                rows.append((g, d, na, nb, value, 2 * lo[0] - 1, 2 * hi[0] - 1, "jeffreys"))
        out = pd.DataFrame(rows, columns=["group", "n_docs", "n_a", "n_b", "lean", "ci_low", "ci_high", "ci_method"])
    out["side_a"], out["side_b"] = a, b
    return out


# ------------------------------------------------------------------------------------- trends
def trend(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    *,
    variant: str | None = None,
    contrast: str | None = None,
    freq: str = "M",
    sides: Sequence[str] | None = None,
    lexicon=None,
    level: float = 0.95,
    n_boot: int = 1000,
    min_docs: int = 10,
    seed: int = 0,
) -> pd.DataFrame:
    """A variant's share (or the lean score) per group and period of publication.

    Parameters
    ----------
    hits, corpus, by, voice
        As for :func:`variant_shares`; articles without a ``published`` date are left out and
        counted in ``attrs["n_undated"]``.
    variant : str, optional
        The variant whose share of its contrast to follow; ``contrast`` is needed when the same
        variant id exists in several contrasts. Without ``variant``, the lean score is followed.
    freq : str, default="M"
        Period length, a pandas period alias: ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.
    sides, lexicon
        For the lean score, as in :func:`lean`.
    level, n_boot, min_docs, seed
        As for :func:`variant_shares`.

    Returns
    -------
    DataFrame
        ``group, period`` (period start, a Timestamp), ``measure`` (``share`` or ``lean``),
        ``value, ci_low, ci_high, ci_method, n_hits, n_docs``; periods without hits are absent.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, trend
    >>> corpus = load_corpus("data/seed")
    >>> trend(find_hits(corpus), corpus, lexicon="russia-ukraine", freq="Y")[["group", "period", "value"]]
               group     period     value
    0   American Age 2022-01-01 -1.000000
    1             RT 2023-01-01  1.000000
    2        Reuters 2022-01-01 -1.000000
    3   The National 2022-01-01 -0.777778
    4  TheJournal.ie 2022-01-01 -1.000000
    """
    _check_inputs(hits, corpus, by)
    if "published" not in corpus.columns:
        raise FramingError("the corpus has no `published` column; trends need publication dates")
    dated = corpus["published"].notna()
    periods = corpus.loc[dated, "published"].dt.to_period(freq).dt.start_time
    rows = []
    for period in sorted(periods.unique()):
        docs = periods.index[periods == period]
        sub_corpus = corpus.loc[docs]
        sub_hits = hits[hits["doc_id"].isin(docs)]
        if variant is not None:
            table = variant_shares(sub_hits, sub_corpus, by, voice, lexicon=lexicon, level=level, n_boot=n_boot,
                                   min_docs=min_docs, seed=seed)
            table = table[table["variant"] == variant]
            if contrast is not None:
                table = table[table["contrast"] == contrast]
            if table["contrast"].nunique() > 1:
                raise FramingError(f"variant {variant!r} is in several contrasts {sorted(table['contrast'].unique())}; "
                                   f"pass contrast=")
            for r in table.itertuples():
                if r.n_contrast_hits:
                    rows.append((r.group, period, "share", r.share, r.ci_low, r.ci_high, r.ci_method, r.n_hits,
                                 r.n_contrast_docs))
        else:
            table = lean(sub_hits, sub_corpus, by, voice, sides=sides, lexicon=lexicon, level=level, n_boot=n_boot,
                         min_docs=min_docs, seed=seed)
            for r in table.itertuples():
                if r.n_a + r.n_b:
                    rows.append((r.group, period, "lean", r.lean, r.ci_low, r.ci_high, r.ci_method, r.n_a + r.n_b,
                                 r.n_docs))
    out = pd.DataFrame(rows, columns=["group", "period", "measure", "value", "ci_low", "ci_high", "ci_method",
                                      "n_hits", "n_docs"])
    out = out.sort_values(["group", "period"], key=lambda s: s.astype(str) if s.name == "group" else s,
                          kind="stable").reset_index(drop=True)
    out.attrs["n_undated"] = int((~dated).sum())
    return out


# --------------------------------------------------------------------- similarity and the map
def _profiles(shares: pd.DataFrame) -> pd.DataFrame:
    need = {"group", "contrast", "variant", "share"}
    if not need <= set(shares.columns):
        raise FramingError("expected the table returned by framing.variant_shares")
    order = list(dict.fromkeys(zip(shares["contrast"], shares["variant"], strict=True)))
    wide = shares.pivot(index="group", columns=["contrast", "variant"], values="share")
    return wide.reindex(columns=pd.MultiIndex.from_tuples(order, names=["contrast", "variant"]))


def outlet_similarity(shares: pd.DataFrame, metric: str = "jensenshannon", *, min_contrasts: int = 1) -> pd.DataFrame:
    """Distance between groups' wording profiles (their variant shares), pair by pair.

    Parameters
    ----------
    shares : DataFrame
        From :func:`variant_shares`.
    metric : {"jensenshannon", "cosine"}, default="jensenshannon"
        ``jensenshannon``: the mean, over the contrasts both groups used, of the Jensen–Shannon
        distance (base 2, between 0 and 1) of their variant distributions. ``cosine``: cosine
        distance of the concatenated share vectors over those contrasts.
    min_contrasts : int, default=1
        Pairs sharing fewer contrasts get NaN.

    Returns
    -------
    DataFrame
        ``group_a, group_b, distance, n_contrasts`` for every ordered pair (the diagonal is 0),
        so ``.pivot(index="group_a", columns="group_b", values="distance")`` gives the matrix.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares, outlet_similarity
    >>> corpus = load_corpus("data/seed")
    >>> sim = outlet_similarity(variant_shares(find_hits(corpus), corpus))
    >>> sim.query("group_a == 'RT' and group_b == 'Reuters'")["distance"].round(2).item() > 0
    True
    """
    if metric not in ("jensenshannon", "cosine"):
        raise FramingError(f"metric must be 'jensenshannon' or 'cosine', not {metric!r}")
    prof = _profiles(shares)
    contrasts = list(dict.fromkeys(prof.columns.get_level_values(0)))
    groups = list(prof.index)
    blocks = {c: prof.xs(c, axis=1, level=0).to_numpy(dtype=float) for c in contrasts}
    rows = []
    for i, ga in enumerate(groups):
        for j, gb in enumerate(groups):
            used = [c for c in contrasts if not np.isnan(blocks[c][i]).any() and not np.isnan(blocks[c][j]).any()]
            if len(used) < min_contrasts:
                rows.append((ga, gb, np.nan, len(used)))
                continue
            if metric == "jensenshannon":
                dist = float(np.mean([jensenshannon(blocks[c][i], blocks[c][j], base=2) for c in used]))
            else:
                u = np.concatenate([blocks[c][i] for c in used])
                v = np.concatenate([blocks[c][j] for c in used])
                dist = float(1 - u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
            rows.append((ga, gb, 0.0 if i == j else max(dist, 0.0), len(used)))
    return pd.DataFrame(rows, columns=["group_a", "group_b", "distance", "n_contrasts"])


def outlet_map(shares: pd.DataFrame, method: str = "ca", *, n_components: int = 2) -> pd.DataFrame:
    """Two-dimensional map of groups (and variants) by how they word things.

    Parameters
    ----------
    shares : DataFrame
        From :func:`variant_shares`.
    method : {"ca", "pca"}, default="ca"
        ``ca``: correspondence analysis of the group x variant table of hits (symmetric map:
        groups and variants in principal coordinates, so a group lies towards the variants it
        uses more than the others do). ``pca``: principal components of the groups' variant
        shares (contrasts a group never used are filled with the mean of the other groups),
        variants placed by their loadings.
    n_components : int, default=2

    Returns
    -------
    DataFrame
        ``kind`` (``group`` or ``variant``), ``label``, ``contrast`` (variants only), ``side``,
        ``n_hits``, ``dim1``, ``dim2``; ``attrs["explained"]`` holds the share of inertia
        (variance) of each dimension, also in the columns ``explained_dim1``, ``explained_dim2``.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares, outlet_map
    >>> corpus = load_corpus("data/seed")
    >>> m = outlet_map(variant_shares(find_hits(corpus), corpus))
    >>> sorted(m.query("kind == 'group'")["label"])
    ['American Age', 'RT', 'Reuters', 'The National', 'TheJournal.ie']
    """
    if method not in ("ca", "pca"):
        raise FramingError(f"method must be 'ca' or 'pca', not {method!r}")
    order = list(dict.fromkeys(zip(shares["contrast"], shares["variant"], strict=True)))
    table = (shares.pivot(index="group", columns=["contrast", "variant"], values="n_hits").fillna(0)
             .reindex(columns=pd.MultiIndex.from_tuples(order, names=["contrast", "variant"])))
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise FramingError(f"a map needs at least two groups and two variants with hits; got {table.shape[0]} "
                           f"groups and {table.shape[1]} variants")
    k = min(n_components, min(table.shape) - 1)
    if method == "ca":
        N = table.to_numpy(dtype=float)
        P = N / N.sum()
        r, c = P.sum(axis=1), P.sum(axis=0)
        S = (P - np.outer(r, c)) / np.sqrt(np.outer(r, c))
        U, sv, Vt = np.linalg.svd(S, full_matrices=False)
        inertia = sv**2
        rows_xy = (U[:, :k] * sv[:k]) / np.sqrt(r)[:, None]
        cols_xy = (Vt.T[:, :k] * sv[:k]) / np.sqrt(c)[:, None]
    else:
        prof = _profiles(shares).reindex(index=table.index, columns=table.columns)
        X = prof.to_numpy(dtype=float)
        X = np.where(np.isnan(X), np.nanmean(X, axis=0, keepdims=True), X)
        X = np.nan_to_num(X - X.mean(axis=0))
        U, sv, Vt = np.linalg.svd(X, full_matrices=False)
        inertia = sv**2
        rows_xy = U[:, :k] * sv[:k]
        cols_xy = Vt.T[:, :k] * sv[:k] / max(np.sqrt(len(X) - 1), 1)
    explained = (inertia[:k] / inertia.sum()) if inertia.sum() > 0 else np.zeros(k)
    sides = shares.drop_duplicates(["contrast", "variant"]).set_index(["contrast", "variant"])["side"]
    group_rows = pd.DataFrame({"kind": "group", "label": table.index.astype(str), "contrast": None, "side": None,
                               "n_hits": table.sum(axis=1).to_numpy()})
    var_rows = pd.DataFrame({"kind": "variant", "label": table.columns.get_level_values(1),
                             "contrast": table.columns.get_level_values(0),
                             "side": [sides.get(cv) for cv in table.columns],
                             "n_hits": table.sum(axis=0).to_numpy()})
    for d in range(2):
        group_rows[f"dim{d + 1}"] = rows_xy[:, d] if d < k else 0.0
        var_rows[f"dim{d + 1}"] = cols_xy[:, d] if d < k else 0.0
    out = pd.concat([group_rows, var_rows], ignore_index=True)
    for d in range(2):
        out[f"explained_dim{d + 1}"] = float(explained[d]) if d < k else 0.0
    out.attrs["explained"] = [float(e) for e in explained]
    out.attrs["method"] = method
    return out
