"""Stage 5, stats: how alike groups word things -- pairwise distances and a two-dimensional map.

Both take the table of :func:`framing.variant_shares`. Every distance says how many contrasts it rests
on (``n_contrasts``) and why it is missing when it is (``note``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing._checks import check_choice
from framing._errors import ArgumentError

__all__ = ["outlet_similarity", "outlet_map"]


def _profiles(shares: pd.DataFrame) -> pd.DataFrame:
    need = {"group", "contrast", "variant", "share"}
    if not isinstance(shares, pd.DataFrame) or not need <= set(shares.columns):
        raise ArgumentError("expected the table returned by framing.variant_shares")
    order = list(dict.fromkeys(zip(shares["contrast"], shares["variant"], strict=True)))
    wide = shares.pivot(index="group", columns=["contrast", "variant"], values="share")
    return wide.reindex(columns=pd.MultiIndex.from_tuples(order, names=["contrast", "variant"]))


def _js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence, base 2 (between 0 and 1), of two distributions."""
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log2(p / m), 0.0).sum()
        kl_q = np.where(q > 0, q * np.log2(q / m), 0.0).sum()
    return float(max((kl_p + kl_q) / 2, 0.0))


def outlet_similarity(shares: pd.DataFrame, metric: str = "jensenshannon", *, contrasts: str = "common",
                      min_contrasts: int = 1) -> pd.DataFrame:
    """Distance between groups' wording profiles (their variant shares), pair by pair.

    Parameters
    ----------
    shares : DataFrame
        From :func:`variant_shares`.
    metric : {"jensenshannon", "cosine"}, default="jensenshannon"
        ``jensenshannon``: the Jensen-Shannon distance (base 2, between 0 and 1) between the two
        groups' concatenated profiles, each contrast weighing ``1/K`` (``K`` contrasts): the square
        root of the mean over the contrasts of the Jensen-Shannon divergence of their variant
        distributions. On one set of contrasts it is a **metric** (it obeys the triangle
        inequality). ``cosine``: 1 - cosine similarity of the concatenated share vectors (not a
        metric).
    contrasts : {"common", "pairwise"}, default="common"
        ``common``: every distance rests on the same contrasts, those every group with hits used,
        so the distances form a metric (a map or a clustering of them is consistent); a group
        with hits in few contrasts shrinks that set for all (``n_contrasts`` says how far).
        ``pairwise``: each pair uses the contrasts both groups used, which keeps more data per
        pair but is **not a metric**: pairs resting on different contrasts can break the triangle
        inequality (6 of the 125 triples of the seed corpus did with the former per-pair mean).
    min_contrasts : int, default=1
        Pairs resting on fewer contrasts get NaN (and a note).

    Returns
    -------
    DataFrame
        ``group_a, group_b, distance, n_contrasts, note`` for every ordered pair (the diagonal is
        0); ``note`` says why a distance is NaN (empty otherwise). ``.pivot(index="group_a",
        columns="group_b", values="distance")`` gives the matrix.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares, outlet_similarity
    >>> corpus = load_corpus("data/seed")
    >>> sim = outlet_similarity(variant_shares(find_hits(corpus), corpus))
    >>> sim.query("group_a == 'RT' and group_b == 'Reuters'")[["distance", "n_contrasts"]].round(2)
       distance  n_contrasts
    ...      ...          ...
    """
    check_choice(metric, "metric", ("jensenshannon", "cosine"))
    check_choice(contrasts, "contrasts", ("common", "pairwise"))
    prof = _profiles(shares)
    names = list(dict.fromkeys(prof.columns.get_level_values(0)))
    groups = list(prof.index)
    blocks = {c: prof.xs(c, axis=1, level=0).to_numpy(dtype=float) for c in names}
    has = {c: ~np.isnan(blocks[c]).any(axis=1) for c in names}  # group x contrast: has hits
    any_hits = np.array([any(has[c][i] for c in names) for i in range(len(groups))], dtype=bool)
    common = [c for c in names if has[c][any_hits].all()] if any_hits.any() else []
    rows = []
    for i, ga in enumerate(groups):
        for j, gb in enumerate(groups):
            if not any_hits[i] or not any_hits[j]:
                rows.append((ga, gb, np.nan, 0, f"{ga if not any_hits[i] else gb} has no hits"))
                continue
            used = common if contrasts == "common" else [c for c in names if has[c][i] and has[c][j]]
            if i == j:
                rows.append((ga, gb, 0.0, len(used), ""))
                continue
            if len(used) < max(min_contrasts, 1):
                why = ("no contrast used by every group with hits" if contrasts == "common" and not used
                       else "no contrast used by both" if not used
                       else f"{len(used)} shared contrast(s), fewer than min_contrasts={min_contrasts}")
                rows.append((ga, gb, np.nan, len(used), why))
                continue
            if metric == "jensenshannon":
                dist = float(np.sqrt(np.mean([_js_divergence(blocks[c][i], blocks[c][j]) for c in used])))
            else:
                u = np.concatenate([blocks[c][i] for c in used])
                v = np.concatenate([blocks[c][j] for c in used])
                dist = max(float(1 - u @ v / (np.linalg.norm(u) * np.linalg.norm(v))), 0.0)
            rows.append((ga, gb, dist, len(used), ""))
    out = pd.DataFrame(rows, columns=["group_a", "group_b", "distance", "n_contrasts", "note"])
    out.attrs.update(metric=metric, contrasts=contrasts, common_contrasts=common, by=shares.attrs.get("by", "outlet"))
    return out


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
        ``n_hits``, ``n_contrasts`` (groups: the contrasts with hits their position rests on;
        variants: NaN), ``dim1``, ``dim2``; ``attrs["explained"]`` holds the share of inertia
        (variance) of each dimension, also in the columns ``explained_dim1``, ``explained_dim2``.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares, outlet_map
    >>> corpus = load_corpus("data/seed")
    >>> m = outlet_map(variant_shares(find_hits(corpus), corpus))
    >>> sorted(m.query("kind == 'group'")["label"])
    ['American Age', 'RT', 'Reuters', 'The National', 'TheJournal.ie']
    """
    check_choice(method, "method", ("ca", "pca"))
    order = list(dict.fromkeys(zip(shares["contrast"], shares["variant"], strict=True)))
    table = (shares.pivot(index="group", columns=["contrast", "variant"], values="n_hits").fillna(0)
             .reindex(columns=pd.MultiIndex.from_tuples(order, names=["contrast", "variant"])))
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise ArgumentError(f"a map needs at least two groups and two variants with hits; got {table.shape[0]} "
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
    per_contrast = table.T.groupby(level="contrast", sort=False).sum().T
    group_rows = pd.DataFrame({"kind": "group", "label": table.index.astype(str), "contrast": None, "side": None,
                               "n_hits": table.sum(axis=1).to_numpy(),
                               "n_contrasts": (per_contrast > 0).sum(axis=1).to_numpy(dtype=float)})
    var_rows = pd.DataFrame({"kind": "variant", "label": table.columns.get_level_values(1),
                             "contrast": table.columns.get_level_values(0),
                             "side": [sides.get(cv) for cv in table.columns],
                             "n_hits": table.sum(axis=0).to_numpy(), "n_contrasts": np.nan})
    for d in range(2):
        group_rows[f"dim{d + 1}"] = rows_xy[:, d] if d < k else 0.0
        var_rows[f"dim{d + 1}"] = cols_xy[:, d] if d < k else 0.0
    out = pd.concat([group_rows, var_rows], ignore_index=True)
    for d in range(2):
        out[f"explained_dim{d + 1}"] = float(explained[d]) if d < k else 0.0
    out.attrs["explained"] = [float(e) for e in explained]
    out.attrs["method"] = method
    out.attrs["by"] = shares.attrs.get("by", "outlet")
    return out
