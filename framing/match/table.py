"""The hits table: one row per hit, in corpus order, with its columns' dtypes as pandas infers them.

:func:`hits_frame` builds it from the arrays of :func:`framing.match.scan.scan`; :func:`explain_voices`
adds why each hit has its voice (the reference rules of :mod:`framing.voice`). :data:`HITS_SCHEMA` is
its one Parquet schema and :func:`hits_arrow` the table in it, for every writer of hits files
(``write_hits`` in one process, and the Dask dataset of :mod:`framing.distributed`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from framing._strings import string_column
from framing.lexicon import Lexicon
from framing.match.compiled import CompiledLexicon
from framing.match.raw import Raw
from framing.voice import VOICES

HIT_COLUMNS = ["doc_id", "outlet", "published", "field", "contrast", "variant", "side", "match", "start",
               "end", "voice", "sentence", "left", "right"]
HITS_SCHEMA = pa.schema([(c, {"published": pa.timestamp("ns"), "start": pa.int64(), "end": pa.int64()}
                            .get(c, pa.large_string())) for c in HIT_COLUMNS])
"""The Parquet schema of the hits (``HIT_COLUMNS``): text as ``large_string``, ``published`` as
``timestamp[ns]``, ``start`` and ``end`` as ``int64``, no pandas metadata; so every hits file reads
back as the same frame whoever wrote it, whatever a chunk held (no hits, an outlet always missing)."""
EXPLAIN_COLUMNS = ["voice_rule", "voice_cue", "voice_cue_start", "voice_cue_end", "context_rule", "context_word",
                   "context_word_start", "context_word_end"]
"""Columns ``find_hits(..., explain=True)`` adds: why each hit has its voice, and which context
rules it passed (with the word that satisfied a ``near`` rule)."""
EXCLUDED_COLUMNS = ["doc_id", "field", "contrast", "variant", "match", "start", "end", "except_match",
                    "except_start", "except_end", "rule", "rule_detail"]


def hits_arrow(hits: pd.DataFrame) -> pa.Table:
    """The ``HIT_COLUMNS`` of a hits table as an Arrow table in :data:`HITS_SCHEMA`."""
    return pa.Table.from_pandas(hits[HIT_COLUMNS], schema=HITS_SCHEMA, preserve_index=False
                                ).replace_schema_metadata(None)


def explain_voices(hits: pd.DataFrame, corpus: pd.DataFrame, lex: Lexicon, language: str) -> pd.DataFrame:
    """``hits`` with the EXPLAIN_COLUMNS of its voices, from the reference rules (framing.voice)."""
    from framing.voice import Analyzer

    n = len(hits)
    rule = np.full(n, "none", dtype=object)
    cue = np.full(n, "", dtype=object)
    cue_start = np.full(n, -1, dtype=np.int64)
    cue_end = np.full(n, -1, dtype=np.int64)
    kind = {(c.id, v.id): v.kind or c.kind for c in lex.contrasts.values() for v in c.variants.values()}
    keys = pd.Series(list(zip(hits["doc_id"], hits["field"], strict=True)), dtype=object)
    starts, ends = hits["start"].to_numpy(), hits["end"].to_numpy()
    contrasts = list(zip(hits["contrast"], hits["variant"], strict=True))
    for (doc, field), where in keys.groupby(keys, sort=False).groups.items():
        where = np.asarray(where)
        text = corpus.at[doc, field]
        analyzer = Analyzer(text, language)
        covered = list(zip(starts[where].tolist(), ends[where].tolist(), strict=True))
        for k, (a, b) in zip(where.tolist(), covered, strict=True):
            _, rule[k], s, e = analyzer.explain(a, b, covered, kind.get(contrasts[k]))
            if s >= 0:
                cue[k], cue_start[k], cue_end[k] = text[s:e], s, e
    word = [corpus.at[d, f][a:b] if a >= 0 else "" for d, f, a, b in
            zip(hits["doc_id"], hits["field"], hits["context_word_start"], hits["context_word_end"], strict=True)]
    out = hits.assign(voice_rule=rule, voice_cue=string_column(cue.tolist()).set_axis(hits.index),
                      voice_cue_start=cue_start, voice_cue_end=cue_end,
                      context_word=string_column(word).set_axis(hits.index))
    return out[HIT_COLUMNS + EXPLAIN_COLUMNS]


def hits_frame(corpus: pd.DataFrame, matcher: CompiledLexicon, fields: tuple[str, ...], raw: Raw,
                rows: np.ndarray, flds: np.ndarray, extra: dict | None = None) -> pd.DataFrame:
    """The hits table, ordered by document, field, start and contrast.

    Columns with few distinct values (ids, outlet, voice...) are built from their distinct values
    and codes; pandas infers each column's dtype as it would from the full column.
    """
    seg_row = rows[raw.seg]
    field = flds[raw.seg]
    contrast_of = np.array([matcher.contrasts.index(c.id) for c, _ in matcher.variants], dtype=np.int64)
    keys = (contrast_of[raw.variant], raw.start, field, seg_row)
    order = np.arange(len(seg_row)) if _is_sorted(keys) else np.lexsort(keys)
    seg_row, field, variant = seg_row[order], field[order], raw.variant[order]
    variants = matcher.variants
    outlet = corpus["outlet"].to_numpy() if "outlet" in corpus.columns else np.full(len(corpus), None)
    published = (corpus["published"].to_numpy() if "published" in corpus.columns
                 else np.full(len(corpus), np.datetime64("NaT"), dtype="datetime64[ns]"))
    if not len(order):  # the dtypes of an empty table, as pandas infers them
        columns = {"doc_id": corpus.index.to_numpy()[seg_row], "outlet": outlet[seg_row],
                   "published": published[seg_row], "field": [],
                   **{k: np.zeros(0, dtype=object) for k in ("contrast", "variant", "side", "match")},
                   "start": raw.start, "end": raw.end, "voice": np.zeros(0, dtype=object),
                   **{k: [] for k in ("sentence", "left", "right")}}
        hits = pd.DataFrame(columns, columns=HIT_COLUMNS)
        hits["start"] = hits["start"].astype("int64")
        hits["end"] = hits["end"].astype("int64")
        for name, values in (extra or {}).items():
            hits[name] = pd.Series(values, dtype=values.dtype if isinstance(values, np.ndarray) else object)
        return hits
    picked = order.tolist()
    in_order = bool((np.diff(order) == 1).all())  # one field: the hits come in table order

    def reordered(name: str) -> pd.Series:
        values = raw.strings[name]
        if in_order:
            return string_column(values)
        if isinstance(values, list):
            return string_column(list(map(values.__getitem__, picked)))
        return string_column(values.take(order))

    columns = {
        "doc_id": _coded(corpus.index.to_numpy(), seg_row),
        "outlet": _coded(outlet, seg_row),
        "published": published[seg_row],
        "field": _coded(np.asarray(fields, dtype=object), field),
        "contrast": _coded(np.array([c.id for c, _ in variants], dtype=object), variant),
        "variant": _coded(np.array([v.id for _, v in variants], dtype=object), variant),
        "side": _coded(np.array([v.side for _, v in variants], dtype=object), variant),
        "match": reordered("match"),
        "start": raw.start[order].astype("int64"),
        "end": raw.end[order].astype("int64"),
        "voice": _coded(np.asarray(VOICES, dtype=object), raw.voice[order].astype(np.int64)),
        **{k: reordered(k) for k in ("sentence", "left", "right")},
    }
    hits = pd.DataFrame(columns, columns=HIT_COLUMNS)
    for name, values in (extra or {}).items():
        hits[name] = values[order]
    return hits


def _coded(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``pd.Series(values[codes])``, built from the distinct codes only."""
    present = np.bincount(codes, minlength=len(values)) > 0
    used = np.flatnonzero(present)
    renumber = np.cumsum(present) - 1
    return pd.Series(pd.Series(values[used]).array.take(renumber[codes]))


def _is_sorted(keys: tuple[np.ndarray, ...]) -> bool:
    """Are the rows sorted by these keys (``np.lexsort`` order: the last key first)?"""
    if len(keys[0]) < 2:
        return True
    later = np.zeros(len(keys[0]) - 1, dtype=bool)  # row i + 1 comes after row i on an earlier key
    tied = np.ones(len(keys[0]) - 1, dtype=bool)
    for key in reversed(keys):
        step = np.diff(key)
        if (tied & (step < 0)).any():
            return False
        later |= tied & (step > 0)
        tied &= step == 0
    return True
