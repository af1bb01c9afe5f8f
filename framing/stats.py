"""Stage 5, stats: variant shares and the lean score with article-level intervals, group comparisons.

The article is the unit of analysis: hits cluster in articles (one story says "Kiev" twenty times), so
every interval treats the article as the cluster (:mod:`framing.intervals`: a cluster-adjusted Jeffreys
interval, chosen by ``benchmarks/bench_intervals.py``). Functions take hits and the corpus as tidy
DataFrames and return new tidy DataFrames; inputs are never modified. Articles whose group value is
empty form the group ``"(missing)"`` (never dropped). Similarity and the map are in
:mod:`framing.similarity`, design checks (coverage periods) in :mod:`framing.design`, models in
:mod:`framing.models`, differences between groups in :mod:`framing.compare`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framing._checks import check_choice, check_column, check_int, check_level
from framing._errors import ArgumentError, CorpusError
from framing._stats import (  # noqa: F401
    WEIGHTS,
    check_inputs,
    cluster_units,
    groups_of,
    lean_rows,
    sorted_groups,
    voice_list,
)
from framing.intervals import CI_METHOD, cluster_interval, resample_articles, rng_for
from framing.similarity import outlet_map, outlet_similarity  # noqa: F401  (their former home)
from framing.voice import VOICES

__all__ = ["variant_shares", "lean", "lean_by_contrast", "trend", "outlet_order", "voice_shares"]

SHARE_COLUMNS = ["group", "contrast", "variant", "side", "n_hits", "n_docs", "n_contrast_hits",
                 "n_contrast_docs", "share", "ci_low", "ci_high", "ci_method", "n_eff", "n_group_docs",
                 "n_words", "per_1k_words"]
LEAN_COLUMNS = ["group", "n_docs", "n_a", "n_b", "lean", "ci_low", "ci_high", "ci_method", "n_eff",
                "n_contrasts", "weight", "side_a", "side_b"]
CIS = (CI_METHOD, "bootstrap")


# ------------------------------------------------------------------------------------- helpers
def _check_ci(ci: str, n_boot, seed) -> None:
    check_choice(ci, "ci", CIS)
    check_int(n_boot, "n_boot", low=100, hint=" (bootstrap resamples; fewer cannot place the interval's ends)")
    check_int(seed, "seed", low=0)


def _interval(x, n, *, level, ci, n_boot, rng, cap=None):
    """share, low, high, n_eff of each column of x (articles x k) -- the one place intervals are made."""
    share, low, high, n_eff = cluster_interval(x, n, level=level, cap=cap)
    if ci == "bootstrap" and np.isfinite(share).all():
        x = np.asarray(x, dtype=float).reshape(len(n), -1)
        w = resample_articles(len(n), n_boot, rng)
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = (w @ x) / (w @ np.asarray(n, dtype=float))[:, None]
        a = (1 - level) / 2
        low, high = np.nanquantile(boot, a, axis=0), np.nanquantile(boot, 1 - a, axis=0)
    return share, low, high, n_eff


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
    ci: str = CI_METHOD,
    n_boot: int = 2000,
    seed: int = 0,
    exclude_shared: bool | pd.DataFrame = False,
) -> pd.DataFrame:
    """Each group's share of each variant among its contrast's hits, with a 95% article-level interval.

    Parameters
    ----------
    hits : DataFrame
        From :func:`framing.find_hits`.
    corpus : DataFrame
        The corpus the hits were found in (it gives every group, with or without hits, and the
        word counts).
    by : str, default="outlet"
        Any corpus column. Articles with an empty value form the group ``"(missing)"``.
    voice : str, list of str or None, default="authorial"
        Which hits count: the outlet's own words by default; ``None`` counts every voice.
    lexicon : str, Path or Lexicon, optional
        Report every variant of the lexicon (zero rows included); by default the variants that
        have hits.
    level : float, default=0.95
        Confidence level of the intervals.
    ci : {"cluster-jeffreys", "bootstrap"}, default="cluster-jeffreys"
        The interval (:mod:`framing.intervals`): the share is the group's hits of the variant over
        its hits of the contrast (articles weigh by their hits), the interval a Jeffreys interval on
        the effective sample size from the between-article (jackknife) variance, kept between the
        Kish number of articles and the number of hits. It is valid from one article on, never of
        zero width, and reaches 93-97% coverage from 10 articles in ``benchmarks/bench_intervals.py``.
        ``"bootstrap"``: the percentile bootstrap of articles, for comparison only (it under-covers
        below about 30 articles and gives zero-width intervals when every hit is one variant).
    n_boot : int, default=2000
        Bootstrap resamples (``ci="bootstrap"`` only; at least 100).
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
        ``ci_method`` (empty when there is no share; :func:`framing.methods_text` describes it),
        ``n_eff`` (the effective number of independent hits the interval rests on),
        ``n_group_docs``, ``n_words`` and ``per_1k_words`` (hits per 1,000 words of the group's
        articles). ``attrs["level"]`` holds the level.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares
    >>> corpus = load_corpus("data/seed")
    >>> shares = variant_shares(find_hits(corpus), corpus)
    >>> shares.query("contrast == 'capital' and n_hits > 0")[["group", "variant", "n_hits", "share", "ci_low"]]
       group variant  n_hits  share  ci_low
    ...   RT    kiev       9    1.0  0.14...
    ...
    """
    check_inputs(hits, corpus, by)
    level = check_level(level)
    _check_ci(ci, n_boot, seed)
    if exclude_shared is not False:
        from framing.match.find import drop_shared

        hits = drop_shared(hits, corpus, exclude_shared)
    voices = voice_list(voice)
    h = hits[hits["voice"].isin(voices)]
    group_of = groups_of(corpus, by)
    h = h.assign(group=group_of.reindex(h["doc_id"]).to_numpy())
    variants = _variant_table(hits, lexicon)
    groups = sorted_groups(group_of)
    docs_per_group = group_of.value_counts()
    words_per_group = (corpus["n_words"].groupby(group_of.to_numpy()).sum()
                       if "n_words" in corpus.columns else None)

    rows = []
    for contrast, vt in variants.groupby("contrast", sort=False):
        var_ids = vt["variant"].tolist()
        hc = h[h["contrast"] == contrast]
        per_doc = (hc.groupby(["group", "doc_id", "variant"]).size().unstack("variant", fill_value=0)
                   .reindex(columns=var_ids, fill_value=0)) if len(hc) else None
        present = set(per_doc.index.get_level_values(0)) if per_doc is not None else set()
        for g in groups:
            mat = (per_doc.xs(g, level="group").to_numpy(dtype=np.float64) if g in present
                   else np.zeros((0, len(var_ids))))
            n_hits, n_docs, total, d = mat.sum(axis=0), (mat > 0).sum(axis=0), mat.sum(), mat.shape[0]
            if total == 0:
                share = low = high = n_eff = np.full(len(var_ids), np.nan)
                method = ""
            else:
                share, low, high, n_eff = _interval(mat, mat.sum(axis=1), level=level, ci=ci, n_boot=n_boot,
                                                    rng=rng_for(seed, g, contrast))
                method = ci
            words = float(words_per_group.get(g, np.nan)) if words_per_group is not None else np.nan
            for i, (vid, side) in enumerate(zip(var_ids, vt["side"], strict=True)):
                rows.append((g, contrast, vid, side, int(n_hits[i]), int(n_docs[i]), int(total), d, share[i],
                             low[i], high[i], method, n_eff[i], int(docs_per_group.get(g, 0)), words,
                             n_hits[i] / words * 1000 if words else np.nan))
    out = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    out["n_words"] = out["n_words"].astype("float64")
    out.attrs["level"] = level
    out.attrs["by"] = by
    return out


# ----------------------------------------------------------------------------------- lean score
def _lean_of(rows, key, *, level, ci, n_boot, rng) -> tuple[float, float, float, float]:
    """Lean, its interval and n_eff from side counts clustered by ``key``: lean = 2 share(A) - 1."""
    if rows.empty or rows["n"].sum() == 0:
        return np.nan, np.nan, np.nan, np.nan
    x, n, cap = cluster_units(rows, key)
    share, low, high, n_eff = _interval(x[:, None], n, level=level, ci=ci, n_boot=n_boot, rng=rng, cap=cap)
    return 2 * share[0] - 1, 2 * low[0] - 1, 2 * high[0] - 1, n_eff[0]


def _finish_lean(out: pd.DataFrame, meta: dict, level: float) -> pd.DataFrame:
    out["side_a"], out["side_b"] = meta["sides"]
    out.attrs.update(level=level, weight=meta["weight"], contrasts=meta["contrasts"],
                     left_out=meta["left_out"], sides=meta["sides"], by=meta["by"])
    return out


def lean(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    *,
    weight: str = "contrast",
    sides: Sequence[str] | None = None,
    lexicon=None,
    contrasts: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    unit: str = "group",
    level: float = 0.95,
    ci: str = CI_METHOD,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Lean score between two sides' wording, per group or per article, with its interval.

    +1 means every side-tagged term the outlet used in the chosen voices is side A's, -1 side
    B's. By default only the outlet's own words count, so quoting the other side's term does
    not move an outlet.

    Parameters
    ----------
    hits, corpus, by, voice
        As for :func:`variant_shares`.
    weight : {"contrast", "hits"}, default="contrast"
        What the score weighs. ``"contrast"`` (the default): in each article, each contrast with
        side-tagged hits gives its side balance ``(a - b) / (a + b)``; the article's score is the
        mean over its contrasts and the group's lean the mean over its articles. Every framing
        choice an article makes counts once however often it repeats the term, and every article
        counts once, so a frequent spelling (Kiev/Kyiv) does not outweigh the rarer naming
        choices. ``"hits"``: ``(hits of A - hits of B) / side-tagged hits`` pooled over the group,
        so contrasts and articles weigh by their hits (the score of framing before issue 12).
    sides : (str, str), optional
        Side A and side B by name. Default: the lexicon's first two sides when ``lexicon`` is
        given, else the two sides in the hits in alphabetical order (for ``russia-ukraine``:
        ``ru_state`` then ``ua_western``, so positive = Russian state usage). When the hits hold
        one side only and neither is given, that side is side A.
    lexicon : str, Path or Lexicon, optional
        Gives the default sides and the lean flags: contrasts with ``lean: false`` or
        ``exploratory: true`` and variants with ``lean: false`` are left out of the score unless
        ``contrasts=`` names them. Variants without a side never enter.
    contrasts : list of str, optional
        The contrasts that enter (default: every contrast the lexicon lets in, else every contrast
        in the hits).
    exclude : list of str, optional
        Contrasts to leave out.
    unit : {"group", "article"}, default="group"
        One row per group, or one row per article with side-tagged hits.
    level, ci, n_boot, seed
        As for :func:`variant_shares`. At group level the articles are the clusters; at article
        level the article's contrasts are (repeating a term within an article is one choice, not
        many), so an article with one contrast gets a wide interval.

    Returns
    -------
    DataFrame
        ``group`` (and ``doc_id`` for articles), ``n_docs`` (articles with side-tagged hits),
        ``n_a``, ``n_b`` (hits), ``lean``, ``ci_low``, ``ci_high``, ``ci_method``, ``n_eff``,
        ``n_contrasts`` (contrasts with side-tagged hits), ``weight``, ``side_a``, ``side_b``.
        Groups without side-tagged hits have NaN lean. ``attrs["contrasts"]`` lists the contrasts
        that entered, ``attrs["left_out"]`` the contrasts and variants left out and why. Sort
        outlets with ``lean(...).sort_values("lean")``.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, lean
    >>> corpus = load_corpus("data/seed")
    >>> table = lean(find_hits(corpus), corpus, lexicon="russia-ukraine")
    >>> table.sort_values("lean")[["group", "n_docs", "lean", "ci_low"]].tail(1)
      group  n_docs  lean  ci_low
    1    RT       1   1.0  -0.70...
    """
    check_choice(unit, "unit", ("group", "article"))
    level = check_level(level)
    _check_ci(ci, n_boot, seed)
    rows, meta = lean_rows(hits, corpus, by, voice, sides, lexicon, contrasts, exclude, weight)
    opts = {"level": level, "ci": ci, "n_boot": n_boot}
    if unit == "article":
        out_rows = []
        for doc, r in rows.groupby("doc_id", sort=False):
            value, lo, hi, n_eff = _lean_of(r, r["contrast"].to_numpy(), rng=rng_for(seed, doc, "lean"), **opts)
            out_rows.append((doc, r["group"].iloc[0], 1, int(r["a"].sum()), int(r["b"].sum()), value, lo, hi,
                             ci, n_eff, len(r), weight))
        out = pd.DataFrame(out_rows, columns=["doc_id", *LEAN_COLUMNS[:-2]])
        order = {d: i for i, d in enumerate(corpus.index)}
        out = out.iloc[np.argsort([order[d] for d in out["doc_id"]], kind="stable")].reset_index(drop=True)
    else:
        out_rows = []
        for g in sorted_groups(groups_of(corpus, by)):
            r = rows[rows["group"] == g]
            value, lo, hi, n_eff = _lean_of(r, r["doc_id"].to_numpy(), rng=rng_for(seed, g, "lean"), **opts)
            out_rows.append((g, r["doc_id"].nunique(), int(r["a"].sum()), int(r["b"].sum()), value, lo, hi,
                             ci if np.isfinite(value) else "", n_eff, r["contrast"].nunique(), weight))
        out = pd.DataFrame(out_rows, columns=LEAN_COLUMNS[:-2])
    return _finish_lean(out, meta, level)


def lean_by_contrast(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    *,
    weight: str = "contrast",
    sides: Sequence[str] | None = None,
    lexicon=None,
    contrasts: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Which contrasts move each group's lean: one row per group x contrast, adding up to the lean.

    Parameters
    ----------
    hits, corpus, by, voice, weight, sides, lexicon, contrasts, exclude, level
        As for :func:`lean`.

    Returns
    -------
    DataFrame
        ``group, contrast, kind`` (the lexicon's ``kind`` of the contrast, if any), ``n_docs, n_a,
        n_b``, ``lean`` (the contrast's own side balance in the group, weighted as in the headline:
        pooled hits for ``weight="hits"``, articles weighted by 1 / their contrasts for
        ``"contrast"``), ``ci_low, ci_high, ci_method, n_eff``, ``weight_share`` (the contrast's
        share of the group's headline weight; they add up to 1 per group) and ``contribution``
        (``weight_share * lean``; they add up to the group's :func:`lean`). Only the contrasts with
        side-tagged hits in the group appear.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, lean_by_contrast
    >>> corpus = load_corpus("data/seed")
    >>> parts = lean_by_contrast(find_hits(corpus), corpus, lexicon="russia-ukraine")
    >>> round(float(parts.query("group == 'Reuters'")["contribution"].sum()), 6)  # the group's lean
    -1.0
    """
    level = check_level(level)
    rows, meta = lean_rows(hits, corpus, by, voice, sides, lexicon, contrasts, exclude, weight)
    kinds = {}
    if lexicon is not None:
        from framing.lexicon import load_lexicon

        kinds = {c.id: c.kind for c in load_lexicon(lexicon).contrasts.values()}
    # the headline's weight of each (article, contrast): w * n, normalised per group
    rows["weight"] = rows["w"] * rows["n"]
    out_rows = []
    for (g, c), r in rows.groupby(["group", "contrast"], sort=False):
        value, lo, hi, n_eff = _lean_of(r, r["doc_id"].to_numpy(), level=level, ci=CI_METHOD, n_boot=2000,
                                        rng=None)
        out_rows.append((g, c, kinds.get(c), r["doc_id"].nunique(), int(r["a"].sum()), int(r["b"].sum()), value,
                         lo, hi, CI_METHOD, n_eff, r["weight"].sum()))
    out = pd.DataFrame(out_rows, columns=["group", "contrast", "kind", "n_docs", "n_a", "n_b", "lean", "ci_low",
                                          "ci_high", "ci_method", "n_eff", "weight_share"])
    out["weight_share"] = out["weight_share"] / out.groupby("group")["weight_share"].transform("sum")
    out["contribution"] = out["weight_share"] * out["lean"]
    out["weight"] = weight
    order = {g: i for i, g in enumerate(sorted_groups(groups_of(corpus, by)))}
    c_order = {c: i for i, c in enumerate(meta["contrasts"])}
    out = out.sort_values(["group", "contrast"], key=lambda s: s.map(order if s.name == "group" else c_order),
                          kind="stable").reset_index(drop=True)
    return _finish_lean(out, meta, level)


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
    weight: str = "contrast",
    sides: Sequence[str] | None = None,
    lexicon=None,
    contrasts: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    level: float = 0.95,
    ci: str = CI_METHOD,
    n_boot: int = 1000,
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
    weight, sides, lexicon, contrasts, exclude
        For the lean score, as in :func:`lean`.
    level, ci, n_boot, seed
        As for :func:`variant_shares`.

    Returns
    -------
    DataFrame
        ``group, period`` (period start, a Timestamp), ``measure`` (``share`` or ``lean``),
        ``value, ci_low, ci_high, ci_method, n_eff, n_hits, n_docs``; periods without hits are absent.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, trend
    >>> corpus = load_corpus("data/seed")
    >>> trend(find_hits(corpus), corpus, lexicon="russia-ukraine", freq="Y")[["group", "period", "value"]]
               group     period  value
    0   American Age 2022-01-01   -1.0
    1             RT 2023-01-01    1.0
    2        Reuters 2022-01-01   -1.0
    3   The National 2022-01-01   -0.5
    4  TheJournal.ie 2022-01-01   -1.0
    """
    check_inputs(hits, corpus, by)
    if "published" not in corpus.columns:
        raise CorpusError("the corpus has no `published` column; trends need publication dates")
    dated = corpus["published"].notna()
    try:
        periods = corpus.loc[dated, "published"].dt.to_period(freq).dt.start_time
    except (ValueError, TypeError) as exc:
        raise ArgumentError(f"freq={freq!r} is not a period length; use 'W', 'M', 'Q' or 'Y' ({exc})") from None
    rows = []
    for period in sorted(periods.unique()):
        docs = periods.index[periods == period]
        sub_corpus = corpus.loc[docs]
        sub_hits = hits[hits["doc_id"].isin(docs)]
        if variant is not None:
            table = variant_shares(sub_hits, sub_corpus, by, voice, lexicon=lexicon, level=level, ci=ci,
                                   n_boot=n_boot, seed=seed)
            table = table[table["variant"] == variant]
            if contrast is not None:
                table = table[table["contrast"] == contrast]
            if table["contrast"].nunique() > 1:
                raise ArgumentError(f"variant {variant!r} is in several contrasts {sorted(table['contrast'].unique())}; "
                                    f"pass contrast=")
            for r in table.itertuples():
                if r.n_contrast_hits:
                    rows.append((r.group, period, "share", r.share, r.ci_low, r.ci_high, r.ci_method, r.n_eff,
                                 r.n_hits, r.n_contrast_docs))
        else:
            table = lean(sub_hits, sub_corpus, by, voice, weight=weight, sides=sides, lexicon=lexicon,
                         contrasts=contrasts, exclude=exclude, level=level, ci=ci, n_boot=n_boot, seed=seed)
            for r in table.itertuples():
                if r.n_a + r.n_b:
                    rows.append((r.group, period, "lean", r.lean, r.ci_low, r.ci_high, r.ci_method, r.n_eff,
                                 r.n_a + r.n_b, r.n_docs))
    out = pd.DataFrame(rows, columns=["group", "period", "measure", "value", "ci_low", "ci_high", "ci_method",
                                      "n_eff", "n_hits", "n_docs"])
    out = out.sort_values(["group", "period"], key=lambda s: s.astype(str) if s.name == "group" else s,
                          kind="stable").reset_index(drop=True)
    out.attrs["n_undated"] = int((~dated).sum())
    out.attrs["level"] = level
    out.attrs["by"] = by
    return out


# ------------------------------------------------------------------------------------- order
def outlet_order(table: pd.DataFrame, *, ascending: bool = True) -> list:
    """Outlets sorted by lean score, the order every chart lists them in.

    Parameters
    ----------
    table : DataFrame
        The per-group table of :func:`framing.lean` (sorted by its ``lean``), or the table of
        :func:`framing.variant_shares` (sorted by the lean of its side-tagged hits: side A is the
        alphabetically first side, as in :func:`framing.lean`).
    ascending : bool, default=True
        From side B (negative lean) to side A; groups without side-tagged hits come last.

    Returns
    -------
    list
        Group names, the first to be drawn at the top.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, lean
    >>> from framing import outlet_order
    >>> corpus = load_corpus("data/seed")
    >>> outlet_order(lean(find_hits(corpus), corpus, lexicon="russia-ukraine"))
    ['American Age', 'Reuters', 'TheJournal.ie', 'The National', 'RT']
    """
    if not isinstance(table, pd.DataFrame):
        raise ArgumentError(f"outlet_order expects the table of framing.lean or framing.variant_shares, "
                           f"got {type(table).__name__}")
    if {"group", "lean"} <= set(table.columns):
        if "doc_id" in table.columns:
            raise ArgumentError("outlet_order needs one row per group: use lean(..., unit='group')")
        score = table.set_index("group")["lean"]
    elif {"group", "side", "n_hits"} <= set(table.columns):
        sides = sorted(s for s in table["side"].dropna().unique())[:2]
        if len(sides) < 2:
            score = pd.Series(np.nan, index=pd.Index(table["group"].unique()))
        else:
            t = table[table["side"].isin(sides)]
            na = t[t["side"] == sides[0]].groupby("group")["n_hits"].sum()
            nb = t[t["side"] == sides[1]].groupby("group")["n_hits"].sum()
            groups = pd.Index(table["group"].unique())
            na, nb = na.reindex(groups, fill_value=0), nb.reindex(groups, fill_value=0)
            score = ((na - nb) / (na + nb).replace(0, np.nan)).astype(float)
    else:
        raise ArgumentError("outlet_order expects the table of framing.lean (group, lean) or of "
                           f"framing.variant_shares (group, side, n_hits); its columns are {list(table.columns)}")
    frame = pd.DataFrame({"group": score.index, "score": score.to_numpy(dtype=float)})
    frame["key"] = frame["score"] if ascending else -frame["score"]
    frame["name"] = frame["group"].astype(str)
    return frame.sort_values(["key", "name"], na_position="last", kind="stable")["group"].tolist()

# ------------------------------------------------------------------------------------- voice
VOICE_SHARE_COLUMNS = ["group", "voice", "n_hits", "n_group_hits", "share"]


def voice_shares(
    hits_or_counts: pd.DataFrame,
    *,
    by: str = "outlet",
    contrast: str | None = None,
    variant: str | None = None,
    lexicon=None,
) -> pd.DataFrame:
    """How each group's hits split into the four voices: adopted (authorial), quoted, distanced, attributed.

    The table behind :func:`framing.plot_voice`, one row per group and voice.

    Parameters
    ----------
    hits_or_counts : DataFrame
        From :func:`framing.find_hits` (grouped by the column ``by``) or :func:`framing.count_hits`
        (already grouped; every group it counted is listed, with or without hits).
    by : str, default="outlet"
        The grouping column of find_hits output.
    contrast, variant : str, optional
        Keep this contrast's or variant's hits (both: the variant within that contrast); neither:
        all hits.
    lexicon : str, Path or Lexicon, optional
        Lets a contrast or variant of the lexicon without hits give an empty table instead of an error.

    Returns
    -------
    DataFrame
        ``group, voice, n_hits, n_group_hits, share`` (``share = n_hits / n_group_hits``; NaN for a
        group without hits, listed last). Groups are sorted by their share of authorial hits, highest
        first, then by name; voices in the order of :data:`framing.voice.VOICES`. ``attrs["contrast"]``
        and ``attrs["variant"]`` name the selection (the contrast of a variant when only it was given).

    Examples
    --------
    >>> from framing import load_corpus, find_hits, voice_shares
    >>> table = voice_shares(find_hits(load_corpus("data/seed")), contrast="war_name")
    >>> list(table.columns)
    ['group', 'voice', 'n_hits', 'n_group_hits', 'share']
    >>> table.groupby("group")["share"].sum().round(6).unique().tolist()  # the voices of a group add up to 1
    [1.0]
    """
    if not isinstance(hits_or_counts, pd.DataFrame):
        raise ArgumentError(f"voice_shares expects the table of framing.find_hits or framing.count_hits, "
                            f"got {type(hits_or_counts).__name__}")
    cols = set(hits_or_counts.columns)
    all_groups: list = []
    if {"group", "voice", "n_hits"} <= cols:
        h = hits_or_counts.assign(_w=hits_or_counts["n_hits"].astype(float), _g=hits_or_counts["group"])
        all_groups = list(hits_or_counts.attrs.get("n_docs", {}) or [])
    elif {"doc_id", "voice", "contrast", "variant"} <= cols:
        check_column(hits_or_counts.columns, by, where="the hits", option="by=", error=ArgumentError)
        h = hits_or_counts.assign(_w=1.0, _g=hits_or_counts[by])
    else:
        raise ArgumentError("voice_shares expects the table of framing.find_hits or framing.count_hits; "
                            f"its columns are {list(hits_or_counts.columns)}")
    lex = None
    if lexicon is not None:
        from framing.lexicon import load_lexicon

        lex = load_lexicon(lexicon)
    if contrast is not None:
        known = list(dict.fromkeys(h["contrast"]))
        if contrast not in known and not (lex is not None and contrast in lex.contrasts):
            raise ArgumentError(f"no hits of contrast {contrast!r}; the contrasts with hits are {known}")
        h = h[h["contrast"] == contrast]
    if variant is not None:
        h = h[h["variant"] == variant]
        if h.empty and not (lex is not None and any(variant in c.variants for c in lex.contrasts.values())):
            raise ArgumentError(f"no hits of variant {variant!r}"
                                + (f" in contrast {contrast!r}" if contrast else "")
                                + f"; the variants with hits are {sorted(set(hits_or_counts['variant']))}")
        if h["contrast"].nunique() > 1:
            raise ArgumentError(f"variant {variant!r} is in several contrasts {sorted(h['contrast'].unique())}; "
                                f"pass contrast=")
    tab = (h.groupby(["_g", "voice"])["_w"].sum().unstack("voice", fill_value=0)
           .reindex(columns=list(VOICES), fill_value=0))
    tab = tab[tab.sum(axis=1) > 0]
    share = (tab["authorial"] / tab.sum(axis=1)).rename("share").reset_index()
    share["name"] = share["_g"].astype(str)
    groups = share.sort_values(["share", "name"], ascending=[False, True])["_g"].tolist()
    groups += [g for g in all_groups if g not in set(groups)]
    rows = []
    for g in groups:
        total = float(tab.loc[g].sum()) if g in tab.index else 0.0
        for v in VOICES:
            n = float(tab.at[g, v]) if g in tab.index else 0.0
            rows.append((g, v, n, total, n / total if total else np.nan))
    out = pd.DataFrame(rows, columns=VOICE_SHARE_COLUMNS)
    if out["n_hits"].eq(out["n_hits"].round()).all():
        out["n_hits"] = out["n_hits"].astype("int64")
        out["n_group_hits"] = out["n_group_hits"].astype("int64")
    out.attrs["contrast"] = contrast if contrast is not None else (
        h["contrast"].iloc[0] if variant is not None and len(h) else None)
    out.attrs["variant"] = variant
    out.attrs["by"] = hits_or_counts.attrs.get("by", by) if "group" in cols else by
    return out
