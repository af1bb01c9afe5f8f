"""Stage 5, stats: differences between groups in lean or share, with MOVER intervals, p-values and Holm.

Each group's estimate and interval are those of :func:`framing.lean` / :func:`framing.variant_shares`
(the article is the cluster); a difference combines the two intervals (MOVER), so it keeps their
behaviour near 0 and 1 and is never of zero width.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framing._checks import check_choice, check_groups, check_level
from framing._errors import ArgumentError
from framing._stats import (
    check_inputs,
    cluster_units,
    groups_of,
    lean_rows,
    sorted_groups,
    voice_list,
)
from framing.intervals import cluster_interval

__all__ = ["compare_groups"]


def _mover(ea, la, ua, eb, lb, ub) -> tuple[float, float, float]:
    """Difference a - b with the MOVER interval from the two groups' own intervals."""
    diff = ea - eb
    return diff, diff - np.hypot(ea - la, ub - eb), diff + np.hypot(ua - ea, eb - lb)


def _mover_p(at, diff: float) -> float:
    """Two-sided p-value of "no difference": 1 - the level at which the MOVER interval reaches 0."""
    from scipy.optimize import brentq

    if not np.isfinite(diff):
        return np.nan
    if diff == 0:
        return 1.0

    def gap(lv):
        _, lo, hi = at(lv)
        return lo if diff > 0 else -hi

    lo_lv, hi_lv = 1e-9, 1 - 1e-15
    if gap(lo_lv) <= 0:
        return 1.0
    if gap(hi_lv) > 0:
        return 1e-15
    return float(1 - brentq(gap, lo_lv, hi_lv, xtol=1e-12))


def compare_groups(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    *,
    a=None,
    b=None,
    measure: str = "lean",
    variant: str | None = None,
    contrast: str | None = None,
    weight: str = "contrast",
    sides: Sequence[str] | None = None,
    lexicon=None,
    contrasts: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Differences in lean (or in a variant's share) between groups, with intervals, p-values and Holm.

    Each group's estimate and interval are those of :func:`lean` (or :func:`variant_shares`); the
    difference ``a - b`` gets the MOVER interval (Newcombe 1998; Zou & Donner 2008), which combines
    the two article-level intervals (it keeps their asymmetry near 0 and 1 and is never of zero
    width), and the p-value of "no difference" is the one that inverts it (the largest ``1 - level``
    whose interval still holds 0). Holm's correction runs over every row of the table.

    Parameters
    ----------
    hits, corpus, by, voice
        As for :func:`variant_shares`.
    a, b : group name, optional
        Compare ``a`` with ``b``; ``a`` alone: with every other group; neither: every pair.
    measure : {"lean", "share"}, default="lean"
    variant, contrast : str, optional
        For ``measure="share"``: the variant (and its contrast when the id is in several).
    weight, sides, lexicon, contrasts, exclude
        For the lean, as in :func:`lean`.
    level : float, default=0.95

    Returns
    -------
    DataFrame
        ``group_a, group_b, measure, estimate_a, estimate_b, difference, ci_low, ci_high, p,
        p_holm, ci_method`` (``mover``), ``n_docs_a, n_docs_b``; NaN where a group has no hits.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, compare_groups
    >>> corpus = load_corpus("data/seed")
    >>> d = compare_groups(find_hits(corpus), corpus, a="RT", b="Reuters", lexicon="russia-ukraine")
    >>> d[["group_a", "group_b", "difference"]]
      group_a  group_b  difference
    0      RT  Reuters         2.0
    """
    level = check_level(level)
    check_choice(measure, "measure", ("lean", "share"))
    labels = groups_of(corpus, by) if by in corpus.columns else None
    if measure == "lean":
        rows, _meta = lean_rows(hits, corpus, by, voice, sides, lexicon, contrasts, exclude, weight)
        per_group = {g: rows[rows["group"] == g] for g in sorted_groups(labels)}
        units = {g: cluster_units(r, r["doc_id"].to_numpy()) if r["n"].sum() else None for g, r in per_group.items()}

        def estimate(g, lv):
            if units[g] is None:
                return np.nan, np.nan, np.nan
            x, n, cap = units[g]
            share, low, high, _ = cluster_interval(x, n, level=lv, cap=cap)
            return 2 * share - 1, 2 * low - 1, 2 * high - 1

        n_docs = {g: r["doc_id"].nunique() for g, r in per_group.items()}
    else:
        if variant is None:
            raise ArgumentError("measure='share' needs variant= (and contrast= when the id is in several contrasts)")
        check_inputs(hits, corpus, by)
        h = hits[hits["voice"].isin(voice_list(voice))]
        cons = h.loc[h["variant"] == variant, "contrast"].unique() if contrast is None else [contrast]
        if len(cons) != 1:
            raise ArgumentError(f"variant {variant!r} is in {len(cons)} contrasts with hits ({list(cons)}); pass "
                                f"contrast=")
        hc = h[h["contrast"] == cons[0]]
        per_doc = pd.DataFrame({"doc_id": hc["doc_id"], "x": (hc["variant"] == variant).astype(float), "n": 1.0})
        per_doc = per_doc.groupby("doc_id", sort=False)[["x", "n"]].sum()
        per_doc["group"] = labels.reindex(per_doc.index).to_numpy()
        per_group = {g: per_doc[per_doc["group"] == g] for g in sorted_groups(labels)}

        def estimate(g, lv):
            r = per_group[g]
            if r.empty:
                return np.nan, np.nan, np.nan
            s, lo, hi, _ = cluster_interval(r["x"].to_numpy(), r["n"].to_numpy(), level=lv)
            return s, lo, hi

        n_docs = {g: len(r) for g, r in per_group.items()}
    groups = list(per_group)
    for name, g in (("a", a), ("b", b)):
        if g is not None:
            check_groups([g], groups, f"{name}=", by)
    if a is not None and b is not None:
        pairs = [(a, b)]
    elif a is not None:
        pairs = [(a, g) for g in groups if g != a]
    else:
        pairs = [(g, k) for i, g in enumerate(groups) for k in groups[i + 1:]]
    out_rows = []
    for ga, gb in pairs:
        ea, la, ua = estimate(ga, level)
        eb, lb, ub = estimate(gb, level)
        diff, lo, hi = _mover(ea, la, ua, eb, lb, ub)

        def at(lv, ga=ga, gb=gb):
            return _mover(*estimate(ga, lv), *estimate(gb, lv))

        out_rows.append((ga, gb, measure, ea, eb, diff, lo, hi, _mover_p(at, diff), n_docs[ga], n_docs[gb]))
    out = pd.DataFrame(out_rows, columns=["group_a", "group_b", "measure", "estimate_a", "estimate_b", "difference",
                                          "ci_low", "ci_high", "p", "n_docs_a", "n_docs_b"])
    out.insert(9, "p_holm", _holm(out["p"].to_numpy()))
    out.insert(10, "ci_method", "mover")
    out.attrs["level"] = level
    return out


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stay NaN and do not count)."""
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if not len(ok):
        return out
    from statsmodels.stats.multitest import multipletests

    out[ok] = multipletests(p[ok], method="holm")[1]
    return out
