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

from framing._errors import FramingError
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
        raise FramingError(f"validation_sample needs the hits table of framing.find_hits; missing columns {missing}")
    if n < 1:
        raise FramingError(f"n must be at least 1, not {n}")
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
    """Write a sample as a CSV that spreadsheets open with its accents intact (UTF-8 with a BOM)."""
    path = Path(path)
    sample.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
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
        raise FramingError("precision must be the table of framing.validation_report (contrast, variant, n_coded, "
                           "n_on_referent)")
    p = precision[precision["contrast"] != "(all)"].set_index(["contrast", "variant"])
    return p[["n_coded", "n_on_referent"]].astype(float)


def _draws(precision: pd.DataFrame, keys: list[tuple[str, str]], n_boot: int, rng) -> tuple[np.ndarray, np.ndarray,
                                                                                          np.ndarray]:
    """(point estimate, n_boot draws, coded?) of each variant's precision.

    Draws come from the Jeffreys posterior Beta(x + 1/2, n - x + 1/2) of the coded sample: a
    resampling that still has spread when every coded hit was on referent (a plain bootstrap of
    such a sample would claim certainty). Variants not coded keep precision 1 with no spread.
    """
    point = np.ones(len(keys))
    draws = np.ones((n_boot, len(keys)))
    coded = np.zeros(len(keys), dtype=bool)
    for j, key in enumerate(keys):
        if key in precision.index and precision.at[key, "n_coded"] > 0:
            n, x = precision.at[key, "n_coded"], precision.at[key, "n_on_referent"]
            point[j] = x / n
            draws[:, j] = rng.beta(x + 0.5, n - x + 0.5, size=n_boot)
            coded[j] = True
    return point, draws, coded


def _doc_matrix(hits: pd.DataFrame, corpus: pd.DataFrame, by: str, voice, keys: list) -> pd.DataFrame:
    from framing.stats import _voices

    h = hits[hits["voice"].isin(_voices(voice))]
    h = h.assign(group=corpus[by].reindex(h["doc_id"]).to_numpy(), key=list(zip(h["contrast"], h["variant"],
                                                                                    strict=True)))
    h = h[h["key"].isin(set(keys))]
    return (h.groupby(["group", "doc_id", "key"]).size().unstack("key", fill_value=0)
            .reindex(columns=keys, fill_value=0))


def _boot_ratio(mat: np.ndarray, num_cols: np.ndarray, den_cols: np.ndarray, draws: np.ndarray, sign: np.ndarray | None,
                rng, small: bool) -> np.ndarray:
    """Replicates of sum(num * p) / sum(den * p) over resampled articles (or, for few articles, a
    Jeffreys draw on the corrected counts), with the precision draws ``draws`` (n_boot x variants)."""
    n_boot, d = draws.shape[0], mat.shape[0]
    if small:  # few articles: resample the counts' binomial uncertainty instead
        totals = np.tile(mat.sum(axis=0), (n_boot, 1))
    else:
        idx = rng.integers(0, d, size=(n_boot, d))
        weights = np.zeros((n_boot, d))
        np.add.at(weights, (np.repeat(np.arange(n_boot), d), idx.ravel()), 1.0)
        totals = weights @ mat
    corrected = totals * draws
    den = corrected[:, den_cols].sum(axis=1)
    num = (corrected[:, num_cols] * (sign if sign is not None else 1.0)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if small:
            if sign is None:
                return rng.beta(num + 0.5, np.maximum(den - num, 0) + 0.5)
            a = corrected[:, num_cols][:, sign > 0].sum(axis=1)
            return 2 * rng.beta(a + 0.5, np.maximum(den - a, 0) + 0.5) - 1
        return num / den


def corrected_shares(hits: pd.DataFrame, corpus: pd.DataFrame, precision: pd.DataFrame, by: str = "outlet",
                     voice="authorial", *, lexicon=None, level: float = 0.95, n_boot: int = 2000, min_docs: int = 10,
                     seed: int = 0) -> pd.DataFrame:
    """:func:`framing.variant_shares`, with each hit weighted by its variant's precision.

    A variant whose hits are 60% on referent counts 0.6 per hit; the share is the corrected count
    over the contrast's corrected total. The interval resamples the articles (as variant_shares
    does) and, in the same replicates, each variant's precision from its coded sample (a Jeffreys
    posterior draw), so it carries both uncertainties; groups with fewer than ``min_docs`` articles
    with hits draw the share from a Jeffreys posterior on the corrected counts instead of resampling
    articles. Variants without coded hits keep precision 1.

    Parameters
    ----------
    hits, corpus, by, voice, lexicon, level, n_boot, min_docs, seed
        As for :func:`framing.variant_shares`.
    precision : DataFrame
        From :func:`validation_report`.

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
    from framing.stats import _rng, variant_shares

    base = variant_shares(hits, corpus, by, voice, lexicon=lexicon, level=level, n_boot=n_boot, min_docs=min_docs,
                          seed=seed)
    prec = _precision_table(precision)
    keys = list(dict.fromkeys(zip(base["contrast"], base["variant"], strict=True)))
    point, _, coded = _draws(prec, keys, 1, np.random.default_rng(seed))
    per_doc = _doc_matrix(hits, corpus, by, voice, keys)
    alpha = (1 - level) / 2
    extra = {}
    for contrast in dict.fromkeys(base["contrast"]):
        cols = np.array([j for j, k in enumerate(keys) if k[0] == contrast])
        for g in dict.fromkeys(base["group"]):
            mat = (per_doc.xs(g, level="group").to_numpy(dtype=float) if g in per_doc.index.get_level_values(0)
                   else np.zeros((0, len(keys))))
            mat = mat[mat[:, cols].sum(axis=1) > 0] if len(mat) else mat
            counts = mat.sum(axis=0) if len(mat) else np.zeros(len(keys))
            corrected = counts[cols] * point[cols]
            total = corrected.sum()
            rng = _rng(seed, g, contrast, "corrected")
            _, draws, _ = _draws(prec, keys, n_boot, rng)
            for i, j in enumerate(cols):
                if total > 0:
                    boot = _boot_ratio(mat, np.array([j]), cols, draws, None, rng, len(mat) < min_docs)
                    low, high = np.nanquantile(boot, alpha), np.nanquantile(boot, 1 - alpha)
                    share = corrected[i] / total
                else:
                    share = low = high = np.nan
                extra[(g, contrast, keys[j][1])] = (point[j], bool(coded[j]), corrected[i], share, low, high,
                                                    bool(coded[cols].any()))
    cols = ["precision", "precision_coded", "corrected_n_hits", "corrected_share", "corrected_ci_low",
            "corrected_ci_high", "corrected"]
    values = [extra[(g, c, v)] for g, c, v in zip(base["group"], base["contrast"], base["variant"], strict=True)]
    return pd.concat([base, pd.DataFrame(values, columns=cols, index=base.index)], axis=1)


def corrected_lean(hits: pd.DataFrame, corpus: pd.DataFrame, precision: pd.DataFrame, by: str = "outlet",
                   voice="authorial", *, sides: Sequence[str] | None = None, lexicon=None, level: float = 0.95,
                   n_boot: int = 2000, min_docs: int = 10, seed: int = 0) -> pd.DataFrame:
    """:func:`framing.lean`, with each hit weighted by its variant's precision.

    (A - B) / (A + B) over precision-weighted side-tagged hits; the interval resamples articles and
    the precisions together, as in :func:`corrected_shares`.

    Returns
    -------
    DataFrame
        The columns of :func:`framing.lean` (uncorrected), then ``corrected_a``, ``corrected_b``,
        ``corrected_lean``, ``corrected_ci_low``, ``corrected_ci_high``, ``corrected``.

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
    from framing.stats import _rng
    from framing.stats import lean as _lean

    base = _lean(hits, corpus, by, voice, sides=sides, lexicon=lexicon, level=level, n_boot=n_boot,
                 min_docs=min_docs, seed=seed)
    a, b = base["side_a"].iloc[0], base["side_b"].iloc[0]
    sided = hits[hits["side"].isin([a, b])]
    keys = list(dict.fromkeys(zip(sided["contrast"], sided["variant"], strict=True)))
    side_of = dict(zip(zip(sided["contrast"], sided["variant"], strict=True), sided["side"], strict=True))
    sign = np.array([1.0 if side_of[k] == a else -1.0 for k in keys])
    prec = _precision_table(precision)
    point, _, coded = _draws(prec, keys, 1, np.random.default_rng(seed))
    per_doc = _doc_matrix(sided, corpus, by, voice, keys)
    alpha = (1 - level) / 2
    cols = np.arange(len(keys))
    rows = []
    for g in base["group"]:
        mat = (per_doc.xs(g, level="group").to_numpy(dtype=float) if len(keys) and g in per_doc.index.get_level_values(0)
               else np.zeros((0, len(keys))))
        counts = mat.sum(axis=0) if len(mat) else np.zeros(len(keys))
        corr = counts * point
        ca, cb = corr[sign > 0].sum(), corr[sign < 0].sum()
        if ca + cb > 0:
            rng = _rng(seed, g, "corrected lean")
            _, draws, _ = _draws(prec, keys, n_boot, rng)
            boot = _boot_ratio(mat, cols, cols, draws, sign, rng, len(mat) < min_docs)
            rows.append((ca, cb, (ca - cb) / (ca + cb), np.nanquantile(boot, alpha), np.nanquantile(boot, 1 - alpha),
                         bool(coded[counts > 0].any())))
        else:
            rows.append((ca, cb, np.nan, np.nan, np.nan, False))
    extra = pd.DataFrame(rows, columns=["corrected_a", "corrected_b", "corrected_lean", "corrected_ci_low",
                                        "corrected_ci_high", "corrected"], index=base.index)
    return pd.concat([base, extra], axis=1)


