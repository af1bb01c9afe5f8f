"""What the statistics modules share (stats, compare, models, validation): the checks of hits and
corpus, the voices and groups of a table, and the lean's per-article side counts.

Internal (names without underscore in a module with one): :mod:`framing.stats` and its neighbours
import these instead of each other's private helpers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing._checks import check_choice, check_column, check_voices
from framing._errors import ArgumentError
from framing._groups import group_labels
from framing._voices import VOICES

__all__ = ["WEIGHTS", "check_inputs", "cluster_units", "groups_of", "lean_rows", "sorted_groups", "voice_list"]

WEIGHTS = ("contrast", "hits")


def voice_list(voice) -> list[str]:
    """The voices ``voice`` names (None or ``"all"``: every voice), or an ArgumentError."""
    return check_voices(voice, all_word=True) or list(VOICES)


def check_inputs(hits: pd.DataFrame, corpus: pd.DataFrame, by: str) -> None:
    """``hits`` and ``corpus`` are framing's tables, ``by`` a corpus column, every hit from the corpus."""
    if not isinstance(hits, pd.DataFrame) or not {"doc_id", "contrast", "variant", "voice"} <= set(hits.columns):
        raise ArgumentError("hits must be the table returned by framing.find_hits")
    if not isinstance(corpus, pd.DataFrame) or "text" not in corpus.columns:
        raise ArgumentError("corpus must be the table returned by framing.load_corpus")
    check_column(corpus.columns, by, option="by=")
    unknown = pd.Index(hits["doc_id"].unique()).difference(corpus.index)
    if len(unknown):
        raise ArgumentError(f"{len(unknown)} hits come from documents that are not in the corpus "
                            f"(e.g. {list(unknown[:3])}); pass the corpus the hits were found in")


def groups_of(corpus: pd.DataFrame, by: str) -> pd.Series:
    """Each article's group, "(missing)" for empty values (the one rule, framing._groups)."""
    return group_labels(corpus[by])


def sorted_groups(labels: pd.Series) -> list:
    """The groups of ``labels`` in the order of every table (by their text)."""
    return sorted(labels.unique(), key=str)


def _lean_sides(hits: pd.DataFrame, lex, sides) -> list:
    if sides is not None:
        sides = list(sides)
        if len(sides) != 2 or sides[0] == sides[1]:
            raise ArgumentError(f"lean needs two different sides, got {sides}; pass sides=('side_a', 'side_b')")
        return sides
    if lex is not None:
        if len(lex.sides) < 2:
            raise ArgumentError(f"lexicon {lex.name!r} has {len(lex.sides)} side(s); a lean needs two")
        return list(lex.sides)[:2]
    found = sorted(s for s in hits["side"].dropna().unique()) if "side" in hits.columns else []
    return (found + [None, None])[:2]  # one side only: it is side A, side B has no hits


def _lean_selection(hits: pd.DataFrame, lex, contrasts, exclude) -> tuple[list, pd.DataFrame, set]:
    """The contrasts that enter the lean, the ones left out (with why) and the variants left out."""
    known = list(lex.contrasts) if lex is not None else list(dict.fromkeys(hits["contrast"]))
    left = []
    for name, given in (("contrasts", contrasts), ("exclude", exclude)):
        if given is not None:
            given = [given] if isinstance(given, str) else list(given)
            bad = [c for c in given if c not in known] if lex is not None else []
            if bad:
                raise ArgumentError(f"{name}=: no contrast {bad[0]!r} in lexicon {lex.name!r}; its contrasts are "
                                    f"{known}")
        if name == "contrasts":
            contrasts = given
        else:
            exclude = given or []
    if contrasts is not None:
        used = list(contrasts)
        left += [(c, None, "not in contrasts=") for c in known if c not in used]
    else:
        used = []
        for c in known:
            con = lex.contrasts[c] if lex is not None else None
            if con is not None and con.exploratory:
                left.append((c, None, "exploratory"))
            elif con is not None and not con.lean:
                left.append((c, None, "lean: false"))
            else:
                used.append(c)
    left += [(c, None, "exclude=") for c in exclude if c in used]
    used = [c for c in used if c not in set(exclude)]
    off_variants = set()
    if lex is not None:
        for c in used:
            for v in lex.contrasts[c].variants.values():
                if not v.lean:
                    off_variants.add((c, v.id))
                    left.append((c, v.id, "variant lean: false"))
                elif v.side is None:
                    left.append((c, v.id, "variant without a side"))
    return used, pd.DataFrame(left, columns=["contrast", "variant", "reason"]), off_variants


def lean_rows(hits, corpus, by, voice, sides, lexicon, contrasts, exclude, weight, hit_weight=None):
    """Per article x contrast side counts a, b of the contrasts in the lean, with the lean weight w.

    ``hit_weight`` (a Series on the hits' index) counts each hit by that weight instead of 1 (the
    precision-corrected lean of :func:`framing.corrected_lean`)."""
    check_inputs(hits, corpus, by)
    check_choice(weight, "weight", WEIGHTS)
    from framing.lexicon import load_lexicon

    lex = load_lexicon(lexicon) if lexicon is not None else None
    sides = _lean_sides(hits, lex, sides)
    used, left_out, off = _lean_selection(hits, lex, contrasts, exclude)
    voices = voice_list(voice)
    a, b = sides
    keep = hits["voice"].isin(voices) & hits["side"].isin([s for s in sides if s is not None])
    keep &= hits["contrast"].isin(used)
    if off:
        keep &= ~pd.Series(list(zip(hits["contrast"], hits["variant"], strict=True)), index=hits.index).isin(off)
    h = hits[keep]
    if hit_weight is None:
        h = h.assign(a=(h["side"] == a).astype(int), b=(h["side"] == b).astype(int))
    else:
        one = hit_weight.reindex(h.index).to_numpy(dtype=float)
        h = h.assign(a=(h["side"] == a) * one, b=(h["side"] == b) * one)
    rows = (h
            .groupby(["doc_id", "contrast"], sort=False)[["a", "b"]].sum().reset_index())
    rows["n"] = rows["a"] + rows["b"]
    rows = rows[rows["n"] > 0].reset_index(drop=True)  # only precision weights of 0 make an empty unit
    if weight == "hits":
        rows["w"] = 1.0
    else:  # every contrast of an article weighs 1 / (its contrasts), whatever its number of hits
        k = rows.groupby("doc_id")["contrast"].transform("size")
        rows["w"] = 1.0 / (k * rows["n"])
    rows["group"] = groups_of(corpus, by).reindex(rows["doc_id"]).to_numpy()
    meta = {"sides": sides, "contrasts": used, "left_out": left_out, "weight": weight, "hits": h, "by": by}
    return rows, meta


def cluster_units(rows: pd.DataFrame, key) -> tuple[np.ndarray, np.ndarray, float]:
    """Cluster units (x, n) and the effective number of hits (cap) of weighted side counts."""
    wa, wn = rows["w"] * rows["a"], rows["w"] * rows["n"]
    grouped = pd.DataFrame({"k": key, "x": wa, "n": wn}).groupby("k", sort=False)[["x", "n"]].sum()
    cap = float(wn.sum() ** 2 / (rows["w"] ** 2 * rows["n"]).sum())
    return grouped["x"].to_numpy(), grouped["n"].to_numpy(), cap
