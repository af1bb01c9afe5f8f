"""Stage 5b, validation: hand-code a sample of hits, measure precision and reliability, correct the counts.

The loop a reviewer of a content analysis asks for:

1. :func:`validation_sample` draws a stratified sample of hits (by contrast and variant, so rare
   variants get coded too) with everything a coder needs (sentence, context, the tool's voice) and
   empty coding columns; ``framing validate sample CORPUS --out coding.csv`` writes it as a CSV
   that opens in a spreadsheet.
2. Coders fill ``on_referent`` (does the hit refer to what the contrast is about? yes/no),
   ``voice`` (authorial, quoted, distanced, attributed) and ``coder``.
3. :func:`validation_report` reads one or more coders' files: per contrast and variant, precision
   (share on referent) with a Wilson interval, voice agreement with the tool, and Krippendorff's
   alpha between coders for each coded column (the ``krippendorff`` package).
4. :func:`corrected_shares` and :func:`corrected_lean` weight each hit by its variant's precision and
   propagate the precision's uncertainty into the intervals.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framing._checks import check_int
from framing._errors import ArgumentError, FramingError
from framing.voice import VOICES

__all__ = ["validation_sample", "validation_report", "read_coding", "corrected_shares", "corrected_lean",
           "SAMPLE_COLUMNS", "REPORT_COLUMNS"]

CODING_COLUMNS = ["on_referent", "voice", "coder", "note"]
SAMPLE_COLUMNS = ["hit_id", "doc_id", "outlet", "published", "field", "contrast", "variant", "side", "match",
                  "start", "end", "tool_voice", "left", "right", "sentence", "stratum_size", "stratum_sampled",
                  "weight", *CODING_COLUMNS]
"""Columns of :func:`validation_sample` (the coding columns last, empty)."""
REPORT_COLUMNS = ["contrast", "variant", "n_sampled", "n_coded", "n_on_referent", "precision", "precision_low",
                  "precision_high", "n_voice_coded", "voice_agreement", "voice_agreement_low",
                  "voice_agreement_high", "n_coders", "alpha_on_referent", "alpha_voice"]
"""Columns of :func:`validation_report`."""
_YES = {"1", "yes", "y", "true", "t", "on"}
_NO = {"0", "no", "n", "false", "f", "off"}


def _hit_ids(hits: pd.DataFrame) -> pd.Series:
    """A stable id per hit: the same hit gets the same id in every run and every sample."""
    keys = zip(hits["doc_id"].astype(str), hits["field"].astype(str), hits["start"], hits["end"],
               hits["contrast"], hits["variant"], strict=True)
    return pd.Series(["h" + hashlib.sha1("\x1f".join(map(str, k)).encode("utf-8")).hexdigest()[:12] for k in keys],
                     index=hits.index, dtype=object)


def validation_sample(
    hits: pd.DataFrame,
    n: int = 200,
    by: Sequence[str] = ("contrast", "variant"),
    seed: int = 0,
) -> pd.DataFrame:
    """A stratified sample of hits to hand-code, with empty coding columns.

    The sample is split as evenly as the strata allow (a stratum with fewer hits than its share
    gives its rest to the others), so rare variants are coded as often as common ones; ``weight``
    (hits in the stratum per sampled hit) turns the sample back into the population.

    Parameters
    ----------
    hits : DataFrame
        From :func:`framing.find_hits`.
    n : int, default=200
        Hits in the sample (all of them if there are fewer).
    by : sequence of str, default=("contrast", "variant")
        The strata: columns of ``hits``.
    seed : int, default=0
        The same seed draws the same hits, whatever the order of ``hits``.

    Returns
    -------
    DataFrame
        :data:`SAMPLE_COLUMNS`: ``hit_id`` (stable: a hash of document, field, offsets, contrast
        and variant), where the hit is, ``tool_voice`` (the tool's voice), ``left``, ``right`` and
        ``sentence``, ``stratum_size``, ``stratum_sampled``, ``weight``, and the empty coding
        columns ``on_referent``, ``voice``, ``coder``, ``note``. Ordered by stratum, then hit id.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, validation_sample
    >>> sample = validation_sample(find_hits(load_corpus("data/seed")), n=20, seed=0)
    >>> len(sample), sample["hit_id"].is_unique, bool(sample["on_referent"].isna().all())
    (20, True, True)
    """
    need = {"doc_id", "field", "start", "end", "contrast", "variant", "voice", *by}
    if not isinstance(hits, pd.DataFrame) or not need <= set(hits.columns):
        missing = sorted(need - set(hits.columns)) if isinstance(hits, pd.DataFrame) else sorted(need)
        raise ArgumentError(f"validation_sample needs the hits table of framing.find_hits; missing columns {missing}")
    check_int(n, "n", low=1, hint=" (hits to sample)")
    check_int(seed, "seed", low=0)
    h = hits.assign(hit_id=_hit_ids(hits)).sort_values("hit_id", kind="stable")
    groups = {key: g for key, g in h.groupby(list(by), sort=True, dropna=False)}
    sizes = {key: len(g) for key, g in groups.items()}
    quota = dict.fromkeys(groups, 0)
    left = min(n, len(h))
    while left > 0:  # deal the sample out one round at a time, skipping full strata
        open_strata = [k for k in groups if quota[k] < sizes[k]]
        share, extra = divmod(left, len(open_strata))
        rng_round = np.random.default_rng([seed, left])
        lucky = set(rng_round.choice(len(open_strata), size=extra, replace=False).tolist()) if extra else set()
        for i, k in enumerate(open_strata):
            take = min(sizes[k] - quota[k], share + (i in lucky))
            quota[k] += take
            left -= take
    parts = []
    for i, (key, g) in enumerate(groups.items()):
        if not quota[key]:
            continue
        rng = np.random.default_rng([seed, i])
        picked = g.iloc[np.sort(rng.choice(len(g), size=quota[key], replace=False))]
        parts.append(picked.assign(stratum_size=len(g), stratum_sampled=quota[key], weight=len(g) / quota[key]))
    out = pd.concat(parts, ignore_index=True) if parts else h.iloc[:0].assign(stratum_size=0, stratum_sampled=0,
                                                                               weight=0.0)
    out = out.rename(columns={"voice": "tool_voice"})
    for col in ("outlet", "published", "side", "match", "left", "right", "sentence"):
        if col not in out.columns:
            out[col] = None
    for col in CODING_COLUMNS:
        out[col] = pd.Series([None] * len(out), dtype=object)
    extra_by = [c for c in by if c not in SAMPLE_COLUMNS]
    return out[SAMPLE_COLUMNS[:3] + extra_by + SAMPLE_COLUMNS[3:]].reset_index(drop=True)


def write_coding_sheet(sample: pd.DataFrame, path: str | Path) -> Path:
    """Write a sample as a CSV that spreadsheets open with its accents intact (UTF-8 with a BOM).

    The sheet is written to a temporary file beside ``path`` and moved into place, so a coder's
    sheet is never left half-written; a folder or an unwritable place is a one-line
    :class:`~framing._errors.OutputError`.
    """
    from framing._atomic import check_file_target, write_csv

    path = check_file_target(path, option="path", hint=".csv")
    write_csv(sample, path, encoding="utf-8-sig")
    return path


def read_coding(source) -> pd.DataFrame:
    """One coder's (or several coders') coded sample, as a table: a path, a DataFrame or a list of them.

    ``on_referent`` is read as 1 (yes, y, 1, true) or 0 (no, n, 0, false) and left empty when
    blank; ``voice`` must be one of :data:`framing.voice.VOICES` (or blank); a blank ``coder``
    takes the file's name. Raises :class:`framing.FramingError` naming the file, the row (its line
    in the CSV) and the value when a code cannot be read.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.validation import read_coding
    >>> coded = pd.DataFrame({"hit_id": ["h1"], "contrast": ["c"], "variant": ["v"], "tool_voice": ["authorial"],
    ...                       "on_referent": ["Yes"], "voice": ["quoted"], "coder": ["ann"]})
    >>> row = read_coding(coded).iloc[0]
    >>> float(row.on_referent), row.voice, row.coder
    (1.0, 'quoted', 'ann')
    """
    items = source if isinstance(source, (list, tuple)) else [source]
    frames = []
    for k, item in enumerate(items):
        if isinstance(item, pd.DataFrame):
            frame, where = item.copy(), f"coded table {k + 1}"
        else:
            path = Path(item)
            if not path.is_file():
                raise FramingError(f"{path}: no such coding file")
            frame, where = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"), str(path)
        need = {"hit_id", "contrast", "variant", "tool_voice", "on_referent", "voice"}
        missing = sorted(need - set(frame.columns))
        if missing:
            raise FramingError(f"{where}: missing columns {missing}; code the sheet framing validate sample wrote")
        frame = frame.reset_index(drop=True)
        on = []
        for i, value in enumerate(frame["on_referent"].tolist()):
            text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip().lower()
            if text in ("", "nan"):
                on.append(np.nan)
            elif text in _YES or text == "1.0":
                on.append(1.0)
            elif text in _NO or text == "0.0":
                on.append(0.0)
            else:
                raise FramingError(f"{where}, line {i + 2}: on_referent {value!r} is not yes or no (1/0)")
        voices = []
        for i, value in enumerate(frame["voice"].tolist()):
            text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip().lower()
            if text in ("", "nan"):
                voices.append(None)
            elif text in VOICES:
                voices.append(text)
            else:
                raise FramingError(f"{where}, line {i + 2}: voice {value!r} is not one of {list(VOICES)}")
        coder = frame["coder"] if "coder" in frame.columns else pd.Series([""] * len(frame))
        name = Path(str(items[k])).stem if not isinstance(item, pd.DataFrame) else f"coder{k + 1}"
        coder = [str(c).strip() if isinstance(c, str) and c.strip() else name for c in coder.tolist()]
        frames.append(frame.assign(on_referent=on, voice=voices, coder=coder))
    out = pd.concat(frames, ignore_index=True)
    dup = out.duplicated(["hit_id", "coder"], keep=False) & out["on_referent"].notna()
    if dup.any():
        row = out[dup].iloc[0]
        raise FramingError(f"hit {row.hit_id} is coded twice by coder {row.coder!r}; give each coder's file its own "
                           f"coder name")
    return out


def _wilson(x: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x successes of n (x may be fractional: averaged codes)."""
    from scipy.stats import norm

    z = norm.ppf(1 - (1 - level) / 2)
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.where(n > 0, centre - half, np.nan), np.where(n > 0, centre + half, np.nan)


def _alpha(coded: pd.DataFrame, column: str) -> float:
    """Krippendorff's alpha (nominal) between the coders of ``column``; NaN with fewer than two coders."""
    import krippendorff

    sub = coded[coded[column].notna()]
    if sub["coder"].nunique() < 2 or sub["hit_id"].nunique() < 2:
        return np.nan
    values = sub[column].astype(str) if column == "voice" else sub[column]
    codes = {v: i for i, v in enumerate(sorted(values.unique(), key=str))}
    table = (sub.assign(_code=values.map(codes)).pivot_table(index="coder", columns="hit_id", values="_code",
                                                             aggfunc="first"))
    matrix = table.to_numpy(dtype=float)
    if np.sum(~np.isnan(matrix).all(axis=0) & ((~np.isnan(matrix)).sum(axis=0) >= 2)) < 1:
        return np.nan  # no hit coded by two coders
    if len(codes) < 2:
        return np.nan  # one value only: alpha is undefined (no variation to agree on)
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def validation_report(coded, *, level: float = 0.95) -> pd.DataFrame:
    """Precision, voice agreement and intercoder reliability per contrast and variant.

    Parameters
    ----------
    coded : str, Path, DataFrame, or a list of them
        One or more coders' filled-in samples (:func:`validation_sample`; see :func:`read_coding`).
    level : float, default=0.95
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        :data:`REPORT_COLUMNS`, one row per contrast and variant of the sample, then one row
        ``contrast="(all)"``: ``n_coded`` hits coded for ``on_referent`` (by any coder),
        ``n_on_referent`` (each hit counts the share of its coders who said yes), ``precision`` =
        n_on_referent / n_coded with a Wilson interval; ``voice_agreement``: the share of coded
        voices (coder x hit) equal to the tool's, with a Wilson interval; ``alpha_on_referent``,
        ``alpha_voice``: Krippendorff's alpha (nominal, ``krippendorff`` package) between the
        coders (NaN with fewer than two coders or no variation). The "(all)" row pools the sample
        unweighted.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing import validation_report
    >>> coded = pd.DataFrame({"hit_id": ["a", "b", "c", "a", "b", "c"], "contrast": ["war"] * 6,
    ...     "variant": ["invasion"] * 6, "tool_voice": ["authorial"] * 6, "on_referent": ["y", "y", "n", "y", "n", "n"],
    ...     "voice": ["authorial"] * 6, "coder": ["ann", "ann", "ann", "bob", "bob", "bob"]})
    >>> report = validation_report(coded)
    >>> [float(x) for x in report.loc[0, ["n_coded", "n_on_referent", "precision", "voice_agreement"]]]
    [3.0, 1.5, 0.5, 1.0]
    """
    table = read_coding(coded)
    rows = []
    strata = list(table.groupby(["contrast", "variant"], sort=False)) + [(("(all)", ""), table)]
    for (contrast, variant), g in strata:
        on = g[g["on_referent"].notna()]
        per_hit = on.groupby("hit_id")["on_referent"].mean()
        voiced = g[g["voice"].notna()]
        agree = (voiced["voice"] == voiced["tool_voice"].astype(str).str.strip().str.lower()).to_numpy()
        p_low, p_high = _wilson(np.array([per_hit.sum()]), np.array([len(per_hit)]), level)
        v_low, v_high = _wilson(np.array([agree.sum()]), np.array([len(agree)]), level)
        rows.append((contrast, variant, int(g["hit_id"].nunique()), len(per_hit), float(per_hit.sum()),
                     float(per_hit.mean()) if len(per_hit) else np.nan, p_low[0], p_high[0], len(agree),
                     float(agree.mean()) if len(agree) else np.nan, v_low[0], v_high[0], int(g["coder"].nunique()),
                     _alpha(g, "on_referent"), _alpha(g, "voice")))
    out = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    out.attrs["level"] = level
    return out


# ----------------------------------------------------------------------- precision-corrected counts
def _precision_table(precision: pd.DataFrame) -> pd.DataFrame:
    need = {"contrast", "variant", "n_coded", "n_on_referent"}
    if not isinstance(precision, pd.DataFrame) or not need <= set(precision.columns):
        raise ArgumentError("precision must be the table of framing.validation_report (contrast, variant, n_coded, "
                            "n_on_referent)")
    p = precision[precision["contrast"] != "(all)"].set_index(["contrast", "variant"])
    return p[["n_coded", "n_on_referent"]].astype(float)


def _precision_draws(precision: pd.DataFrame, keys: list[tuple[str, str]], n_draws: int, rng
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(point estimate, n_draws draws, coded?) of each variant's precision.

    Draws come from the Jeffreys posterior Beta(x + 1/2, n - x + 1/2) of the coded sample: they
    still spread when every coded hit was on referent (a plain bootstrap of such a sample would
    claim certainty). Variants not coded keep precision 1 with no spread.
    """
    point = np.ones(len(keys))
    draws = np.ones((n_draws, len(keys)))
    coded = np.zeros(len(keys), dtype=bool)
    for j, key in enumerate(keys):
        if key in precision.index and precision.at[key, "n_coded"] > 0:
            n, x = precision.at[key, "n_coded"], precision.at[key, "n_on_referent"]
            point[j] = x / n
            draws[:, j] = rng.beta(x + 0.5, n - x + 0.5, size=n_draws)
            coded[j] = True
    return point, draws, coded


def _check_draws(n_boot) -> None:
    check_int(n_boot, "n_boot", low=100, hint=" (precision draws)")


def corrected_shares(hits: pd.DataFrame, corpus: pd.DataFrame, precision: pd.DataFrame, by: str = "outlet",
                     voice="authorial", *, lexicon=None, level: float = 0.95, n_boot: int = 2000,
                     seed: int = 0) -> pd.DataFrame:
    """:func:`framing.variant_shares`, with each hit weighted by its variant's precision.

    A variant whose hits are 60% on referent counts 0.6 per hit; the share is the corrected count
    over the contrast's corrected total. The interval carries both uncertainties: the articles' (the
    cluster-adjusted effective sample size of :func:`framing.intervals.cluster_interval`, on the
    corrected counts) and the precision's (``n_boot`` draws from each coded variant's Jeffreys
    posterior), combined by :func:`framing.intervals.mixture_interval`. Variants without coded hits
    keep precision 1.

    Parameters
    ----------
    hits, corpus, by, voice, lexicon, level, seed
        As for :func:`framing.variant_shares`.
    precision : DataFrame
        From :func:`validation_report` (``contrast, variant, n_coded, n_on_referent``).
    n_boot : int, default=2000
        Draws of the precisions (at least 100).

    Returns
    -------
    DataFrame
        The columns of :func:`framing.variant_shares` (uncorrected: ``share``, ``ci_low``,
        ``ci_high``), then ``precision``, ``precision_coded`` (False: no coded hits, 1 assumed),
        ``corrected_n_hits``, ``corrected_share``, ``corrected_ci_low``, ``corrected_ci_high`` and
        ``corrected`` (True where a coded precision entered the contrast).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing import load_corpus, find_hits, corrected_shares
    >>> corpus = load_corpus("data/seed")
    >>> precision = pd.DataFrame({"contrast": ["capital"], "variant": ["kiev"], "n_coded": [10], "n_on_referent": [5]})
    >>> out = corrected_shares(find_hits(corpus), corpus, precision, n_boot=200)
    >>> out.query("contrast == 'capital' and group == 'RT'")[["variant", "share", "corrected_share", "corrected"]]
       variant  share  corrected_share  corrected
    ...   kyiv    0.0              0.0       True
    ...   kiev    1.0              1.0       True
    """
    from framing._groups import group_labels
    from framing._stats import voice_list
    from framing.intervals import cluster_interval, mixture_interval, rng_for
    from framing.stats import variant_shares

    _check_draws(n_boot)
    base = variant_shares(hits, corpus, by, voice, lexicon=lexicon, level=level, seed=seed)
    prec = _precision_table(precision)
    h = hits[hits["voice"].isin(voice_list(voice))]
    h = h.assign(group=group_labels(corpus[by]).reindex(h["doc_id"]).to_numpy())
    extra = {}
    for contrast, rows in base.groupby("contrast", sort=False):
        var_ids = list(dict.fromkeys(rows["variant"]))
        keys = [(contrast, v) for v in var_ids]
        point, draws, coded = _precision_draws(prec, keys, n_boot, rng_for(seed, contrast, "precision"))
        hc = h[h["contrast"] == contrast]
        per_doc = (hc.groupby(["group", "doc_id", "variant"]).size().unstack("variant", fill_value=0)
                   .reindex(columns=var_ids, fill_value=0)) if len(hc) else None
        present = set(per_doc.index.get_level_values(0)) if per_doc is not None else set()
        for g in dict.fromkeys(rows["group"]):
            mat = (per_doc.xs(g, level="group").to_numpy(dtype=float) if g in present
                   else np.zeros((0, len(var_ids))))
            counts = mat.sum(axis=0)
            x = mat * point
            total = x.sum()
            if total > 0:
                cap = total**2 / (counts * point**2).sum()  # Kish: hits weighted by their precision
                share, _, _, n_eff = cluster_interval(x, x.sum(axis=1), level=level, cap=cap)
                with np.errstate(invalid="ignore", divide="ignore"):
                    s_draws = draws * counts / (draws * counts).sum(axis=1, keepdims=True)
                low, high = mixture_interval(s_draws, n_eff, level=level)
            else:
                share = low = high = np.full(len(var_ids), np.nan)
            for j, vid in enumerate(var_ids):
                extra[(g, contrast, vid)] = (point[j], bool(coded[j]), counts[j] * point[j], share[j], low[j],
                                             high[j], bool(coded.any()))
    cols = ["precision", "precision_coded", "corrected_n_hits", "corrected_share", "corrected_ci_low",
            "corrected_ci_high", "corrected"]
    values = [extra[(g, c, v)] for g, c, v in zip(base["group"], base["contrast"], base["variant"], strict=True)]
    return pd.concat([base, pd.DataFrame(values, columns=cols, index=base.index)], axis=1)


def corrected_lean(hits: pd.DataFrame, corpus: pd.DataFrame, precision: pd.DataFrame, by: str = "outlet",
                   voice="authorial", *, sides: Sequence[str] | None = None, lexicon=None, weight: str = "contrast",
                   contrasts: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
                   level: float = 0.95, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """:func:`framing.lean`, with each hit weighted by its variant's precision.

    The lean of :func:`framing.lean` (same ``weight``, ``contrasts``, ``exclude``) over
    precision-weighted side-tagged hits; the interval combines the articles' and the precisions'
    uncertainty as in :func:`corrected_shares`.

    Returns
    -------
    DataFrame
        The columns of :func:`framing.lean` (uncorrected), then ``corrected_a``, ``corrected_b``
        (precision-weighted hits), ``corrected_lean``, ``corrected_ci_low``, ``corrected_ci_high``,
        ``corrected``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing import load_corpus, find_hits, corrected_lean
    >>> corpus = load_corpus("data/seed")
    >>> precision = pd.DataFrame({"contrast": ["capital"], "variant": ["kiev"], "n_coded": [10], "n_on_referent": [5]})
    >>> out = corrected_lean(find_hits(corpus), corpus, precision, lexicon="russia-ukraine", n_boot=200)
    >>> bool((out["corrected_lean"] <= out["lean"] + 1e-12).all())
    True
    """
    from framing._stats import cluster_units, lean_rows
    from framing.intervals import cluster_interval, mixture_interval, rng_for
    from framing.stats import lean as _lean

    _check_draws(n_boot)
    base = _lean(hits, corpus, by, voice, sides=sides, lexicon=lexicon, weight=weight, contrasts=contrasts,
                 exclude=exclude, level=level, seed=seed)
    prec = _precision_table(precision)
    keys = list(dict.fromkeys(zip(hits["contrast"], hits["variant"], strict=True)))
    point, draws, coded = _precision_draws(prec, keys, n_boot, rng_for(seed, "corrected lean"))
    col = pd.Series(range(len(keys)), index=pd.MultiIndex.from_tuples(keys) if keys else None, dtype=int)
    j_of = pd.Series(col.reindex(list(zip(hits["contrast"], hits["variant"], strict=True))).to_numpy(),
                     index=hits.index)
    weights = pd.Series(point[j_of.to_numpy()] if len(keys) else [], index=hits.index, dtype=float)
    rows, meta = lean_rows(hits, corpus, by, voice, sides, lexicon, contrasts, exclude, weight,
                            hit_weight=weights)
    used, side_a = meta["hits"], meta["sides"][0]
    out_rows = []
    for g in base["group"]:
        r = rows[rows["group"] == g]
        if r.empty or r["n"].sum() <= 0:
            out_rows.append((0.0, 0.0, np.nan, np.nan, np.nan, False))
            continue
        x, n, cap = cluster_units(r, r["doc_id"].to_numpy())
        share, _, _, n_eff = cluster_interval(x[:, None], n, level=level, cap=cap)
        # per (article, contrast) unit and variant: side-A hits and all side-tagged hits, to redo the
        # lean under each precision draw (a unit weighs 1 / its article's contrasts, or by its hits)
        hg = used[used["doc_id"].isin(set(r["doc_id"]))]
        unit = pd.MultiIndex.from_arrays([hg["doc_id"], hg["contrast"]])
        units = unit.unique()
        u = units.get_indexer(unit)
        j = j_of.reindex(hg.index).to_numpy()
        A = np.zeros((len(units), len(keys)))
        N = np.zeros((len(units), len(keys)))
        np.add.at(N, (u, j), 1.0)
        np.add.at(A, (u, j), (hg["side"] == side_a).to_numpy(dtype=float))
        docs, doc_of_unit = np.unique(units.get_level_values(0), return_inverse=True)
        in_doc = np.zeros((len(units), len(docs)))
        in_doc[np.arange(len(units)), doc_of_unit] = 1.0
        s_draws = []
        for chunk in np.array_split(draws, max(1, len(draws) // 100)):
            a_u, n_u = chunk @ A.T, chunk @ N.T  # draws x units
            with np.errstate(invalid="ignore", divide="ignore"):
                if weight == "hits":
                    s_draws.append(a_u.sum(axis=1) / n_u.sum(axis=1))
                else:
                    live = (n_u > 0).astype(float)
                    k = (live @ in_doc)[:, doc_of_unit]  # the article's contrasts with hits in this draw
                    w = np.where(n_u > 0, 1.0 / np.maximum(k, 1), 0.0)
                    s_draws.append((w * np.where(n_u > 0, a_u / n_u, 0)).sum(axis=1) / w.sum(axis=1))
        low, high = mixture_interval(np.concatenate(s_draws)[:, None], n_eff, level=level)
        ca, cb = float(r["a"].sum()), float(r["b"].sum())
        used_keys = np.unique(j)
        out_rows.append((ca, cb, 2 * share[0] - 1, 2 * low[0] - 1, 2 * high[0] - 1, bool(coded[used_keys].any())))
    extra = pd.DataFrame(out_rows, columns=["corrected_a", "corrected_b", "corrected_lean", "corrected_ci_low",
                                            "corrected_ci_high", "corrected"], index=base.index)
    return pd.concat([base, extra], axis=1)
