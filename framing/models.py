"""Model-based comparison: which variant a hit uses, by group and any metadata, errors clustered by article.

:func:`model_shares` fits a logistic regression (two variants) or a multinomial logit (more) of the
variant of each hit of one contrast on a formula of corpus columns (``"~ outlet + C(month)"``), with
standard errors clustered by article (statsmodels), and returns each group's **adjusted share**: the
average predicted share over all the contrast's hits when every hit is given that group (marginal
standardisation), so the other terms (month, section, ...) are held at their observed mix. Intervals
are delta-method intervals on the logit scale, so they stay inside 0 and 1.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats as sps

from framing._checks import check_level
from framing._errors import ArgumentError, CorpusError
from framing._groups import group_labels

__all__ = ["model_shares"]

_DERIVED = {"month": "%Y-%m", "year": "%Y"}


def _hit_table(hits, corpus, contrast, by, voice, formula):
    from framing._stats import check_inputs, voice_list

    check_inputs(hits, corpus, by)
    if not isinstance(formula, str) or not formula.strip().startswith("~"):
        raise ArgumentError(f"formula must be the right-hand side of a model formula, e.g. '~ {by} + C(month)', "
                            f"not {formula!r}")
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", formula))
    if by not in names:
        raise ArgumentError(f"the formula {formula!r} does not use '{by}', whose adjusted shares are wanted; "
                            f"add it, e.g. '~ {by} + ...'")
    h = hits[(hits["contrast"] == contrast) & hits["voice"].isin(voice_list(voice))]
    if h.empty:
        known = sorted(hits["contrast"].unique())
        raise ArgumentError(f"no hits of contrast {contrast!r} in the chosen voices; contrasts with hits: {known}")
    meta = corpus.loc[h["doc_id"]]
    data = pd.DataFrame({"doc_id": h["doc_id"].to_numpy(), "variant": h["variant"].to_numpy()})
    for col in sorted(names):
        if col in corpus.columns and col != "text":
            values = meta[col].to_numpy()
            if col == by:
                values = group_labels(values)
            elif pd.isna(values).any():
                n = int(pd.isna(values).sum())
                raise CorpusError(f"column '{col}' is empty for {n} of the contrast's hits; model_shares needs "
                                  f"every value of the formula's columns (fill them in, or filter the corpus)")
            data[col] = values
        elif col in _DERIVED and "published" in corpus.columns:
            dates = meta["published"]
            if dates.isna().any():
                raise CorpusError(f"'{col}' comes from `published`, which is empty for {int(dates.isna().sum())} "
                                  f"of the contrast's hits; filter out undated articles first")
            data[col] = dates.dt.strftime(_DERIVED[col]).to_numpy()
    return data


def _numeric_jacobian(f, params: np.ndarray) -> np.ndarray:
    base = np.asarray(f(params))
    jac = np.empty((base.size, params.size))
    for k in range(params.size):
        step = 1e-6 * max(1.0, abs(params.flat[k]))
        up, down = params.copy(), params.copy()
        up.flat[k] += step
        down.flat[k] -= step
        jac[:, k] = (np.asarray(f(up)).ravel() - np.asarray(f(down)).ravel()) / (2 * step)
    return jac


def model_shares(
    hits: pd.DataFrame,
    corpus: pd.DataFrame,
    contrast: str,
    formula: str = "~ outlet",
    *,
    by: str = "outlet",
    voice: str | Iterable[str] | None = "authorial",
    variant: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Adjusted variant shares per group from a logistic model with errors clustered by article.

    Parameters
    ----------
    hits, corpus
        As for :func:`framing.variant_shares`.
    contrast : str
        The contrast whose variants are modelled (one row per hit of it).
    formula : str, default="~ outlet"
        Right-hand side of a patsy formula over corpus columns; ``month`` (``"2022-03"``) and
        ``year`` are derived from ``published`` when the corpus has no such column. It must use
        ``by``. Example: ``"~ outlet + C(month)"`` holds the month constant.
    by : str, default="outlet"
        The column whose levels get adjusted shares (empty values: ``"(missing)"``).
    voice : str, list or None, default="authorial"
    variant : str, optional
        Model this variant against the others (a logistic regression); default: a logistic
        regression of the second variant against the first when the contrast has two variants with
        hits, else a multinomial logit with the first variant as reference.
    level : float, default=0.95

    Returns
    -------
    DataFrame
        One row per group x variant: ``group, contrast, variant, share`` (adjusted), ``ci_low,
        ci_high, ci_method`` (``cluster-robust``), ``raw_share, n_hits, n_contrast_hits, n_docs``.
        ``attrs["coefficients"]``: tidy coefficients ``equation`` (the modelled variant), ``term,
        estimate, std_error, z, p, ci_low, ci_high, odds_ratio``; ``attrs["formula"]``,
        ``attrs["n_hits"]``, ``attrs["n_docs"]`` (clusters) and ``attrs["warnings"]`` (e.g. perfect
        separation: a group that only ever uses one variant, whose adjusted share is then at the
        boundary with a very wide interval).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing import model_shares
    >>> corpus = pd.DataFrame({"outlet": ["A"] * 4 + ["B"] * 4, "text": "",
    ...     "published": pd.to_datetime(["2022-03-01", "2022-04-01"] * 4)},
    ...     index=pd.Index([f"d{i}" for i in range(8)], name="doc_id"))
    >>> hits = pd.DataFrame({"doc_id": [f"d{i}" for i in range(8) for _ in range(2)],
    ...     "contrast": "capital", "voice": "authorial", "side": None,
    ...     "variant": ["kiev", "kiev", "kiev", "kyiv", "kiev", "kiev", "kyiv", "kiev",
    ...                 "kyiv", "kyiv", "kiev", "kyiv", "kyiv", "kyiv", "kyiv", "kyiv"]})
    >>> m = model_shares(hits, corpus, "capital", "~ outlet + C(month)")
    >>> m[["group", "variant", "share", "raw_share"]].round(3)
      group variant  share  raw_share
    0     A    kiev  0.750      0.750
    1     A    kyiv  0.250      0.250
    2     B    kiev  0.125      0.125
    3     B    kyiv  0.875      0.875
    """
    import patsy
    import statsmodels.api as sm

    level = check_level(level)
    data = _hit_table(hits, corpus, contrast, by, voice, formula)
    order = list(dict.fromkeys(hits.loc[hits["contrast"] == contrast, "variant"]))
    present = [v for v in order if v in set(data["variant"])]
    if len(present) < 2:
        raise ArgumentError(f"contrast {contrast!r} has hits of one variant only ({present}); there is nothing to "
                            f"model")
    if variant is not None and variant not in present:
        raise ArgumentError(f"variant {variant!r} has no hits in contrast {contrast!r}; its variants with hits are "
                            f"{present}")
    try:
        X = patsy.dmatrix(formula, data, NA_action="raise", return_type="dataframe")
    except patsy.PatsyError as exc:
        raise ArgumentError(f"model_shares: the formula {formula!r} cannot be built from the corpus: "
                            f"{str(exc).splitlines()[0]}") from None
    groups = pd.factorize(data["doc_id"])[0]
    binary = variant is not None or len(present) == 2
    modelled = (variant or present[1]) if binary else None
    caught = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        if binary:
            y = (data["variant"] == modelled).astype(float).to_numpy()
            model = sm.GLM(y, X, family=sm.families.Binomial())
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        else:
            y = pd.Categorical(data["variant"], categories=present).codes
            model = sm.MNLogit(y, X)
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, disp=0, maxiter=200)
        caught = sorted({str(w.message).splitlines()[0] for w in seen})
    levels = sorted(data[by].unique(), key=str)
    z = sps.norm.ppf(0.5 + level / 2)
    params = np.asarray(fit.params, dtype=float)
    cov = np.asarray(fit.cov_params(), dtype=float)
    if not binary:  # MNLogit: params (k, J-1) by column, cov over params in column-major (equation) order
        cov = cov.reshape(params.size, params.size)
    rows = []
    for g in levels:
        Xg = patsy.build_design_matrices([X.design_info], data.assign(**{by: g}), return_type="matrix")[0]
        Xg = np.asarray(Xg)

        def mean_pred(p, Xg=Xg):
            if binary:
                return np.array([model.predict(p, exog=Xg).mean()])
            return model.predict(p.reshape(params.shape, order="F"), exog=Xg).mean(axis=0)

        flat = params.ravel(order="F") if not binary else params
        est = mean_pred(flat)
        jac = _numeric_jacobian(mean_pred, flat)
        se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, cov, jac), 0, None))
        probs = ([1 - est[0], est[0]] if binary else list(est))
        ses = ([se[0], se[0]] if binary else list(se))
        names = ([v for v in present if v != modelled] if binary else present)
        names = ([" / ".join(names), modelled] if binary and len(names) > 1 else
                 ([names[0], modelled] if binary else names))
        sub = data[data[by] == g]
        for v, p, s in zip(names, probs, ses, strict=True):
            with np.errstate(divide="ignore", invalid="ignore"):
                logit, se_logit = np.log(p / (1 - p)), s / (p * (1 - p))
                lo, hi = 1 / (1 + np.exp(-(logit - z * se_logit))), 1 / (1 + np.exp(-(logit + z * se_logit)))
            hit_v = sub["variant"] == v if v in present else sub["variant"] != modelled
            rows.append((g, contrast, v, float(p), float(np.nan_to_num(lo, nan=0.0)),
                         float(np.nan_to_num(hi, nan=1.0)), "cluster-robust",
                         float(hit_v.mean()) if len(sub) else np.nan, int(hit_v.sum()), len(sub),
                         int(sub["doc_id"].nunique())))
    out = pd.DataFrame(rows, columns=["group", "contrast", "variant", "share", "ci_low", "ci_high", "ci_method",
                                      "raw_share", "n_hits", "n_contrast_hits", "n_docs"])
    ci = np.asarray(fit.conf_int(alpha=1 - level))
    terms = list(X.columns)
    if binary:
        coef = pd.DataFrame({"equation": modelled, "term": terms, "estimate": params,
                             "std_error": np.asarray(fit.bse), "z": np.asarray(fit.tvalues),
                             "p": np.asarray(fit.pvalues), "ci_low": ci[:, 0], "ci_high": ci[:, 1]})
    else:
        eqs = present[1:]
        coef = pd.DataFrame({"equation": np.repeat(eqs, len(terms)), "term": terms * len(eqs),
                             "estimate": params.ravel(order="F"),
                             "std_error": np.asarray(fit.bse).ravel(order="F"),
                             "z": np.asarray(fit.tvalues).ravel(order="F"),
                             "p": np.asarray(fit.pvalues).ravel(order="F"),
                             "ci_low": ci[:, 0], "ci_high": ci[:, 1]})
    coef["odds_ratio"] = np.exp(coef["estimate"])
    out.attrs.update(coefficients=coef, formula=formula, n_hits=len(data), n_docs=int(groups.max() + 1),
                     warnings=caught, level=level, reference=[v for v in present if v != modelled] if binary
                     else present[0])
    return out
