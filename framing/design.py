"""Design checks: when each group published, how far the groups' periods overlap, a common period.

A difference between outlets can be a difference of time: if one outlet's articles are from April to
June and another's from June to October, the war's naming, the places in the news and the lexicon's
hits all change in between. :func:`coverage` shows each group's period, :func:`coverage_pairs` the
overlap of every pair, :func:`coverage_warning` says in words when it is small (the rule below), and
:func:`common_period` keeps the months every compared group covers (the report's ``--common-period``).

**The overlap rule.** Periods are calendar months (``freq="M"``) of ``published``. For two groups
``a`` and ``b``, ``overlap(a, b)`` is the smaller of (the share of ``a``'s dated articles published in
months in which ``b`` has articles) and (the same for ``b``). Periods **overlap little** when
``overlap(a, b) < 0.5`` for some pair: for at least one of the two groups, most articles come from
months the other group did not cover at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing._checks import check_column, check_groups
from framing._errors import ArgumentError, CorpusError, FramingError
from framing._groups import group_labels

__all__ = ["coverage", "coverage_pairs", "coverage_warning", "common_period"]

OVERLAP_THRESHOLD = 0.5


def _dated(corpus: pd.DataFrame, by: str, freq: str, groups=None) -> pd.DataFrame:
    if not isinstance(corpus, pd.DataFrame):
        raise ArgumentError("corpus must be the table returned by framing.load_corpus")
    check_column(corpus.columns, by, option="by=")
    if "published" not in corpus.columns:
        raise CorpusError("the corpus has no `published` column; coverage needs publication dates")
    frame = pd.DataFrame({"group": group_labels(corpus[by]), "published": corpus["published"]}, index=corpus.index)
    if groups is not None:
        groups = list(groups)
        check_groups(groups, frame["group"].unique(), "groups=", by)
        frame = frame[frame["group"].isin(groups)]
    try:
        frame["period"] = frame["published"].dt.to_period(freq)
    except (ValueError, TypeError) as exc:
        raise ArgumentError(f"freq={freq!r} is not a period length; use 'W', 'M', 'Q' or 'Y' ({exc})") from None
    return frame


def coverage(corpus: pd.DataFrame, by: str = "outlet", *, freq: str = "M", groups=None) -> pd.DataFrame:
    """Each group's period of publication, articles per month, and its smallest overlap with another group.

    Parameters
    ----------
    corpus : DataFrame
        From :func:`framing.load_corpus`.
    by : str, default="outlet"
        Articles with an empty value form the group ``"(missing)"``.
    freq : str, default="M"
        Period length (pandas period alias) of the overlap and of ``per_period``.
    groups : list, optional
        Only these groups (e.g. the ones a report compares).

    Returns
    -------
    DataFrame
        One row per group: ``group, n_articles, n_undated, first, last`` (dates), ``n_periods``
        (periods with articles), ``n_periods_spanned`` (from the first to the last),
        ``per_period`` (dated articles per spanned period), ``min_overlap`` (its smallest
        :func:`coverage_pairs` overlap with another group; NaN alone) and ``least_overlap_with``.

    Examples
    --------
    >>> from framing import load_corpus, coverage
    >>> coverage(load_corpus("data/seed"))[["group", "first", "n_periods", "min_overlap"]]
               group      first  n_periods  min_overlap
    0   American Age 2022-12-02          1          0.0
    1             RT 2023-12-05          1          0.0
    2        Reuters 2022-12-06          1          0.0
    3   The National 2022-12-02          1          0.0
    4  TheJournal.ie 2022-12-02          1          0.0
    """
    frame = _dated(corpus, by, freq, groups)
    pairs = coverage_pairs(corpus, by, freq=freq, groups=groups)
    rows = []
    for g, sub in sorted(frame.groupby("group", sort=False), key=lambda kv: str(kv[0])):
        dated = sub.dropna(subset=["published"])
        if len(dated):
            first, last = dated["published"].min(), dated["published"].max()
            spanned = int((last.to_period(freq) - first.to_period(freq)).n) + 1
        else:
            first = last = pd.NaT
            spanned = 0
        mine = pairs[pairs["group_a"] == g]
        worst = mine.loc[mine["overlap"].idxmin()] if mine["overlap"].notna().any() else None
        rows.append((g, len(sub), int(sub["published"].isna().sum()), first, last, int(dated["period"].nunique()),
                     spanned, len(dated) / spanned if spanned else np.nan,
                     float(worst["overlap"]) if worst is not None else np.nan,
                     worst["group_b"] if worst is not None else None))
    return pd.DataFrame(rows, columns=["group", "n_articles", "n_undated", "first", "last", "n_periods",
                                       "n_periods_spanned", "per_period", "min_overlap", "least_overlap_with"])


def coverage_pairs(corpus: pd.DataFrame, by: str = "outlet", *, freq: str = "M", groups=None) -> pd.DataFrame:
    """How far every two groups' periods overlap (the rule is in the module docstring).

    Returns
    -------
    DataFrame
        One row per ordered pair: ``group_a, group_b, periods_a, periods_b, periods_both``,
        ``share_a`` (share of a's dated articles in periods b covers), ``share_b`` (the reverse) and
        ``overlap`` (the smaller of the two).

    Examples
    --------
    >>> from framing import load_corpus, coverage_pairs
    >>> pairs = coverage_pairs(load_corpus("data/seed"))
    >>> pairs.query("group_a == 'Reuters' and group_b == 'RT'")[["periods_both", "overlap"]]
       periods_both  overlap
    9             0      0.0
    """
    frame = _dated(corpus, by, freq, groups).dropna(subset=["published"])
    counts = frame.groupby(["group", "period"]).size()
    groups_ = sorted(frame["group"].unique(), key=str)
    months = {g: counts.loc[g] for g in groups_}
    rows = []
    for a in groups_:
        for b in groups_:
            if a == b:
                continue
            ma, mb = months[a], months[b]
            both = ma.index.intersection(mb.index)
            share_a = float(ma.reindex(both).sum() / ma.sum())
            share_b = float(mb.reindex(both).sum() / mb.sum())
            rows.append((a, b, len(ma), len(mb), len(both), share_a, share_b, min(share_a, share_b)))
    return pd.DataFrame(rows, columns=["group_a", "group_b", "periods_a", "periods_b", "periods_both", "share_a",
                                       "share_b", "overlap"])


def _span(first, last) -> str:
    if pd.isna(first):
        return "no dates"
    a, b = first.strftime("%b %Y"), last.strftime("%b %Y")
    return a if a == b else f"{a}–{b}"


def coverage_warning(corpus: pd.DataFrame, by: str = "outlet", *, groups=None, freq: str = "M",
                     threshold: float = OVERLAP_THRESHOLD) -> str:
    """The warning a report shows when the groups' periods overlap little; "" when they overlap enough.

    The rule: some pair has ``overlap < threshold`` (module docstring). The text names the pair with
    the smallest overlap, the groups' spans, and what the common period would keep.

    Examples
    --------
    >>> from framing import load_corpus, coverage_warning
    >>> print(coverage_warning(load_corpus("data/seed")))  # doctest: +ELLIPSIS
    Periods overlap little: ... Differences between them may be differences of time, not of ...
    """
    pairs = coverage_pairs(corpus, by, freq=freq, groups=groups)
    low = pairs[pairs["overlap"] < threshold]
    if low.empty:
        return ""
    worst = low.sort_values(["overlap", "group_a"], key=lambda s: s.astype(str) if s.name == "group_a" else s,
                            kind="stable").iloc[0]
    cov = coverage(corpus, by, freq=freq, groups=groups).set_index("group")
    a, b = worst["group_a"], worst["group_b"]
    n_pairs = len(low) // 2
    try:
        kept = common_period(corpus, by, groups=groups, freq=freq)
        common = (f"the months every group covers ({', '.join(str(p) for p in kept.attrs['common_periods'])}) "
                  f"hold {len(kept):,} of {len(corpus):,} articles")
    except FramingError:
        common = "no month is covered by every group"
    return (f"Periods overlap little: {a} ({_span(cov.at[a, 'first'], cov.at[a, 'last'])}) and {b} "
            f"({_span(cov.at[b, 'first'], cov.at[b, 'last'])}) share {int(worst['periods_both'])} month(s); "
            f"{worst['share_a']:.0%} of {a}'s articles fall in months {b} covers and {worst['share_b']:.0%} of "
            f"{b}'s in months {a} covers ({n_pairs} pair(s) of groups overlap less than {threshold:.0%}). "
            f"Differences between them may be differences of time, not of {by}; {common} "
            f"(framing.common_period, the report's --common-period).")


def common_period(corpus: pd.DataFrame, by: str = "outlet", *, groups=None, freq: str = "M") -> pd.DataFrame:
    """The corpus restricted to the periods (months) in which every compared group has articles.

    Parameters
    ----------
    corpus : DataFrame
    by : str, default="outlet"
    groups : list, optional
        The compared groups (default: every group); articles of other groups are left out too.
    freq : str, default="M"

    Returns
    -------
    DataFrame
        A new corpus table (the input is not modified); ``attrs["common_periods"]`` lists the
        periods kept and ``attrs["n_left_out"]`` counts the articles left out (undated ones
        included), ``attrs["left_out"]`` their ``doc_id`` and reason.

    Raises
    ------
    FramingError
        When no period is covered by every group (naming each group's span).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing import common_period
    >>> corpus = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "text": ["x"] * 4,
    ...     "published": pd.to_datetime(["2022-03-05", "2022-04-01", "2022-04-20", "2022-05-02"])},
    ...     index=pd.Index(["a1", "a2", "b1", "b2"], name="doc_id"))
    >>> kept = common_period(corpus)
    >>> kept.index.tolist(), kept.attrs["common_periods"], kept.attrs["n_left_out"]
    (['a2', 'b1'], ['2022-04'], 2)
    """
    frame = _dated(corpus, by, freq, groups)
    dated = frame.dropna(subset=["published"])
    names = sorted(frame["group"].unique(), key=str)
    per_group = [set(dated.loc[dated["group"] == g, "period"]) for g in names]
    common = sorted(set.intersection(*per_group)) if per_group else []
    if not common:
        cov = coverage(corpus, by, freq=freq, groups=groups)
        spans = "; ".join(f"{r.group}: {_span(r.first, r.last)}" for r in cov.itertuples())
        raise CorpusError(f"no {'month' if freq == 'M' else 'period'} has articles of every group ({spans}); "
                          f"compare fewer groups (groups=) or drop the common-period restriction")
    keep = frame["period"].isin(common).fillna(False).to_numpy(dtype=bool)
    out = corpus.loc[frame.index[keep]].copy() if groups is not None else corpus[keep].copy()
    left = corpus.index.difference(out.index, sort=False)
    reason = np.where(corpus.loc[left, "published"].isna(), "undated", "outside the common period")
    if groups is not None:
        reason = np.where(~group_labels(corpus.loc[left, by]).isin(list(groups)), "not a compared group", reason)
    out.attrs["common_periods"] = [str(p) for p in common]
    out.attrs["n_left_out"] = len(left)
    out.attrs["left_out"] = pd.DataFrame({"doc_id": left, "reason": reason})
    return out
