"""Intervals for shares whose hits cluster in articles (the article is the unit of analysis).

One method for every number of articles, chosen by the coverage simulation in
``benchmarks/bench_intervals.py``: a **cluster-adjusted Jeffreys interval** (``ci_method =
"cluster-jeffreys"``). The share is the ratio estimator ``p = sum(x) / sum(n)`` over the ``d``
articles (``x``: hits of the variant, ``n``: hits of its contrast), so articles weigh by their hits.
Its variance ``V`` is the jackknife variance over articles, ``(d-1)/d * sum(v_i)`` with
``v_i = ((x_i - p n_i) / (N - n_i))^2`` (the squared change of the share when article ``i`` is
left out; ``N = sum(n)``), and the interval is the Jeffreys interval ``Beta(x* + 1/2, n* - x* + 1/2)``
at ``x* = p n*`` on the effective sample size

    n* = p (1 - p) / V * (z / t_df)^2

(Korn & Graubard 1998's effective size with a degrees-of-freedom factor). ``df = 3 (sum v)^2 /
sum(v^2)``, between 1 and ``d - 1``, is the effective number of articles the variance rests on: about
``d`` when the articles' contributions vary as they would under normal errors, far fewer when a few
articles carry all the variance (a rare variant used by three articles out of a hundred), where a
plain ``d - 1`` would give too short intervals. ``n*`` is kept between two bounds:

* at most the hits (``sum n``): hits are never worth more than independent draws;
* at least the Kish effective number of articles ``(sum n)^2 / sum(n^2)``: what the articles tell
  if each used a single variant throughout (the largest variance articles can have). This is also
  the size used when the data cannot estimate ``V`` (a share of 0 or 1, or a single article), so a
  group whose articles all use one variant gets an honest interval from its number of articles, not
  from its number of hits, and never a zero-width interval.

The Jeffreys interval's lower end is 0 when no hit uses the variant (and the upper end 1 when all do).

Hook for extra uncertainty (e.g. precision-corrected shares from a hand-coded validation sample):
:func:`cluster_interval` takes fractional ``x`` (hits weighted by their estimated precision) and
``extra_var`` (the variance of the ratio that comes from the correction, e.g. by the delta method),
which is added to ``V`` before the effective size is formed; :func:`resample_articles` gives article
resampling weights for corrections that are easier to propagate by simulation.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats as sps

from framing._checks import check_int, check_level
from framing._errors import ArgumentError

__all__ = ["cluster_interval", "methods_text", "resample_articles", "CI_METHOD"]

CI_METHOD = "cluster-jeffreys"
#: What each ``ci_method`` value means, for the methods text of a report.
CI_METHODS = {
    CI_METHOD: (
        "cluster-adjusted Jeffreys intervals with the article as the unit: the share is the ratio of the "
        "group's hits of a variant to its hits of the contrast (articles weigh by their hits); its variance "
        "is the linearised variance of that ratio across articles, which gives an effective sample size "
        "(Korn & Graubard 1998, with their degrees-of-freedom factor) kept between the Kish effective "
        "number of articles and the number of hits; the Jeffreys interval is taken on that size. Where the "
        "variance cannot be estimated (every hit on one side, or a single article) the Kish number of "
        "articles is used, so such intervals are wide, never of zero width. Chosen by a coverage "
        "simulation (benchmarks/bench_intervals.py)"
    ),
    "bootstrap": (
        "percentile bootstrap intervals with the article as the unit (articles resampled with replacement, "
        "seeded per group); unlike the default cluster-adjusted interval, they under-cover below about 30 "
        "articles and have zero width when every hit uses one variant"
    ),
    "mover": (
        "differences between two groups: the MOVER interval (Newcombe 1998; Zou & Donner 2008) built from "
        "the two groups' cluster-adjusted intervals, with the p-value of the test that inverts it, and "
        "Holm's correction over all pairs"
    ),
    "cluster-robust": (
        "model-based comparisons: logistic regression of the variant of each hit, standard errors "
        "clustered by article (statsmodels); adjusted shares are average marginal predictions with "
        "delta-method intervals"
    ),
}


def cluster_interval(x, n, *, level: float = 0.95, cap=None, extra_var=0.0):
    """Share of hits with a cluster-adjusted Jeffreys interval, articles as clusters.

    Parameters
    ----------
    x : array-like, shape (d,) or (d, k)
        Per article, hits of the variant (one column per variant for ``(d, k)``); may be fractional.
    n : array-like, shape (d,)
        Per article, hits of the contrast (the denominator; > 0). Articles with ``n == 0`` are left out.
    level : float, default=0.95
    cap : float, optional
        Upper bound of the effective sample size; default ``sum(n)`` (independent hits). Pass the
        Kish effective number of hits when the hits carry unequal weights.
    extra_var : float or array of shape (k,), default=0
        Variance of the share from another source (e.g. an estimated precision), added to the
        between-article variance.

    Returns
    -------
    share, low, high, n_eff : arrays of shape (k,) (floats for 1-D ``x``)
        NaN when there is no article with hits.

    Examples
    --------
    >>> from framing.intervals import cluster_interval
    >>> share, low, high, n_eff = cluster_interval([0, 0, 0], [4, 1, 2])   # 3 articles, 7 hits, none Kiev
    >>> float(share), round(float(low), 3), round(float(high), 3), round(float(n_eff), 2)
    (0.0, 0.0, 0.617, 2.33)
    """
    level = check_level(level)
    n = np.asarray(n, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    one = x.ndim == 1
    if one:
        x = x[:, None]
    if x.shape[0] != n.shape[0]:
        raise ArgumentError(f"x has {x.shape[0]} articles and n has {n.shape[0]}")
    keep = n > 0
    x, n = x[keep], n[keep]
    d, k = x.shape
    if d == 0:
        nan = np.full(k, np.nan)
        out = (nan, nan, nan, nan)
        return tuple(float(a[0]) for a in out) if one else out
    tot = n.sum()
    share = x.sum(axis=0) / tot
    kish = tot**2 / (n**2).sum()
    cap = tot if cap is None else float(cap)
    extra = np.broadcast_to(np.asarray(extra_var, dtype=np.float64), (k,))
    if d > 1:
        # jackknife: leaving article i out moves the share by -(x_i - p n_i) / (N - n_i)
        v = (d - 1) / d * ((x - share[None, :] * n[:, None]) / (tot - n)[:, None]) ** 2
        var = v.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            dof = np.clip(3 * var**2 / (v**2).sum(axis=0), 1, d - 1)
        dof = np.where(np.isfinite(dof), dof, d - 1)
        var = var + extra
        factor = (sps.norm.ppf(0.5 + level / 2) / sps.t.ppf(0.5 + level / 2, dof)) ** 2
    else:
        var = extra.copy()
        factor = np.zeros(k)
    inner = (share > 0) & (share < 1) & (var > 0) & (d > 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(inner, share * (1 - share) / var * factor, kish)
    n_eff = np.clip(est, min(kish, cap), cap)
    hits = share * n_eff
    a = (1 - level) / 2
    low = np.where(share > 0, sps.beta.ppf(a, hits + 0.5, n_eff - hits + 0.5), 0.0)
    high = np.where(share < 1, sps.beta.ppf(1 - a, hits + 0.5, n_eff - hits + 0.5), 1.0)
    out = (share, low, high, n_eff)
    return tuple(float(a[0]) for a in out) if one else out


def mixture_interval(share_draws, n_eff, *, level: float = 0.95):
    """Interval of a share whose point estimate is itself uncertain (e.g. corrected by an estimated precision).

    Each row of ``share_draws`` is one draw of the shares (from the correction's posterior); the
    interval is the equal-tailed interval of the mixture of the Jeffreys distributions
    ``Beta(s n* + 1/2, (1 - s) n* + 1/2)`` over the draws, on the effective sample size ``n*`` of
    :func:`cluster_interval`. With a certain correction (every draw equal) it is the
    :func:`cluster_interval` interval; it never leaves [0, 1] and respects the draws' bounds (a
    precision that cannot exceed 1 cannot move a share up). The ends are found by bisection, so the
    same draws always give the same interval.

    Parameters
    ----------
    share_draws : array-like, shape (b, k)
        ``b`` draws of ``k`` shares.
    n_eff : array-like, shape (k,)
        Effective sample size of each share (from :func:`cluster_interval`).
    level : float, default=0.95

    Returns
    -------
    low, high : arrays of shape (k,)

    Examples
    --------
    >>> import numpy as np
    >>> from framing.intervals import cluster_interval, mixture_interval
    >>> share, low, high, n_eff = cluster_interval([[3, 1], [2, 2], [4, 0]], [4, 4, 4])
    >>> lo, hi = mixture_interval(np.tile(share, (50, 1)), n_eff)   # a certain correction
    >>> bool(np.allclose(lo, low) and np.allclose(hi, high))
    True
    """
    level = check_level(level)
    s = np.atleast_2d(np.asarray(share_draws, dtype=np.float64))
    n_eff = np.broadcast_to(np.asarray(n_eff, dtype=np.float64), (s.shape[1],))
    a_, b_ = s * n_eff + 0.5, (1 - s) * n_eff + 0.5
    ok = np.isfinite(s).all(axis=0) & np.isfinite(n_eff)
    a_, b_ = np.where(ok, a_, 1.0), np.where(ok, b_, 1.0)
    out = []
    for target in ((1 - level) / 2, (1 + level) / 2):
        lo, hi = np.zeros(s.shape[1]), np.ones(s.shape[1])
        for _ in range(60):  # bisection on the mixture's CDF: 2^-60 is below float precision
            mid = (lo + hi) / 2
            below = sps.beta.cdf(mid, a_, b_).mean(axis=0) < target
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        out.append((lo + hi) / 2)
    low = np.where((s <= 0).all(axis=0), 0.0, out[0])
    high = np.where((s >= 1).all(axis=0), 1.0, out[1])
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)


def resample_articles(n_articles: int, n_boot: int, rng: np.random.Generator, *, weights=None,
                      bayesian: bool = False) -> np.ndarray:
    """Resampling weights of articles, one row per resample (for corrections propagated by simulation).

    Parameters
    ----------
    n_articles, n_boot : int
    rng : numpy Generator
    weights : array of shape (n_articles,), optional
        Sampling probabilities (default equal).
    bayesian : bool, default=False
        Dirichlet weights (Bayesian bootstrap) instead of multinomial counts.

    Returns
    -------
    ndarray of shape (n_boot, n_articles), each row summing to ``n_articles``.

    Examples
    --------
    >>> import numpy as np
    >>> from framing.intervals import resample_articles
    >>> w = resample_articles(4, 3, np.random.default_rng(0))
    >>> w.shape, w.sum(axis=1).tolist()
    ((3, 4), [4.0, 4.0, 4.0])
    """
    check_int(n_boot, "n_boot", low=2, hint=" (resamples)")
    if n_articles < 1:
        raise ArgumentError("there are no articles to resample")
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    if bayesian:
        alpha = np.ones(n_articles) if p is None else p * n_articles
        return rng.dirichlet(alpha, size=n_boot) * n_articles
    if p is None:
        draws = rng.integers(0, n_articles, size=(n_boot, n_articles)) + (np.arange(n_boot) * n_articles)[:, None]
        return np.bincount(draws.ravel(), minlength=n_boot * n_articles).reshape(n_boot, n_articles).astype(float)
    return rng.multinomial(n_articles, p, size=n_boot).astype(float)


def rng_for(seed: int, *keys) -> np.random.Generator:
    """A generator that depends only on the seed and the keys, not on the order of computation."""
    key = zlib.crc32("\x1f".join(map(str, keys)).encode("utf-8"))
    return np.random.default_rng([int(seed), key])


def methods_text(*tables: pd.DataFrame | Iterable[str], level: float | None = None) -> str:
    """The methods paragraph for the intervals in the given tables, from their ``ci_method`` columns.

    Parameters
    ----------
    *tables : DataFrame or iterable of str
        Tables returned by framing's statistics (or ``ci_method`` values).
    level : float, optional
        The confidence level (default: the tables' ``attrs["level"]``, else 0.95).

    Returns
    -------
    str
        One sentence per method used, naming the level; only the methods that appear are described.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares, methods_text
    >>> corpus = load_corpus("data/seed")
    >>> print(methods_text(variant_shares(find_hits(corpus), corpus)))  # doctest: +ELLIPSIS
    95% intervals: cluster-adjusted Jeffreys intervals with the article as the unit: ...
    """
    used: list[str] = []
    levels = []
    for t in tables:
        if isinstance(t, pd.DataFrame):
            if "level" in t.attrs:
                levels.append(t.attrs["level"])
            values = t["ci_method"].dropna().tolist() if "ci_method" in t.columns else []
        else:
            values = list(t)
        used += [v for v in values if v and v not in used]
    level = level if level is not None else (levels[0] if levels else 0.95)
    unknown = [u for u in used if u not in CI_METHODS]
    if unknown:
        raise ArgumentError(f"unknown ci_method {unknown[0]!r}; known: {sorted(CI_METHODS)}")
    if not used:
        return "No interval was computed (no group has hits)."
    return " ".join(f"{level:.0%} intervals: {CI_METHODS[u]}." if i == 0 else f"{CI_METHODS[u][0].upper()}"
                    f"{CI_METHODS[u][1:]}." for i, u in enumerate(used))
