"""The scan: every hit of a corpus as arrays, batch by batch (:func:`scan`).

Per batch of texts (a :class:`framing._chunk.Chunk`): the compiled lexicon's raw matches, the
leftmost-longest choice within each contrast, ``except`` phrases, the context rules
(:mod:`framing.match.rules`), the voices (:mod:`framing.match.voices`) and, for :func:`find_hits`,
the match, sentence and context strings. :func:`framing.match.find_hits`, the counting functions
and :class:`framing.FramingVectorizer` all start here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing._chunk import Chunk, CorpusTexts
from framing._strings import text_columns
from framing.match import options
from framing.match.compiled import TRIGGER, CompiledLexicon
from framing.match.raw import Raw
from framing.match.rules import (
    apply_context_rules,
    article_rules,
    decide_article_rules,
    excluded_order,
)
from framing.match.voices import chunk_voices
from framing.text.chunk_sentences import sentence_byte_bounds

__all__ = ["Raw", "scan", "resolve"]


def resolve(matcher: CompiledLexicon, chunk: Chunk, language: str, voices: bool = True) -> Raw:
    """Scan, resolve leftmost-longest within each contrast, log except-consumed matches, voice.

    Offsets of the result are chunk character offsets (``chunk.joined``). Without ``voices`` every
    hit's voice is left at 0 (for callers that count every voice alike).
    """
    scanned = matcher.scan_chunk(chunk, language)
    seg, ent, st, en = matcher.matches(chunk, scanned)
    aux = matcher._aux[ent]
    frame_ends = frame_words = None
    if language == matcher.trigger_language:  # where each trigger word of the attribution frames ends
        trig = np.flatnonzero(aux == TRIGGER)
        trig = trig[np.argsort(en[trig], kind="stable")]
        frame_ends = en[trig]
        frame_words = [matcher.entries[i].pattern for i in ent[trig].tolist()]
    if aux.any():
        own = aux == 0
        seg, ent, st, en = seg[own], ent[own], st[own], en[own]
    accepted, excluded = leftmost_longest(matcher, seg, ent, st, en)
    excluded = [(*x, -1) for x in excluded]
    kept = np.flatnonzero(accepted & ~matcher._is_except[ent])
    kept = kept[np.lexsort((matcher._contrast_of[ent[kept]], st[kept]))]  # the order of the hits table
    seg, ent, st, en = seg[kept], ent[kept], st[kept], en[kept]
    near_start = np.full(len(seg), -1, dtype=np.int64)
    near_end = near_start.copy()
    pending = np.zeros((0, 2), dtype=np.int64)
    if matcher.rules:
        passed, removed = apply_context_rules(matcher, chunk, seg, ent, st, en, near_start, near_end)
        excluded = sorted(excluded + [(int(seg[k]), int(matcher._variant_of[ent[k]]), int(st[k]), int(en[k]), -1,
                                       ws, we, r) for k, r, ws, we in removed], key=excluded_order)
        seg, ent, st, en = seg[passed], ent[passed], st[passed], en[passed]
        near_start, near_end = near_start[passed], near_end[passed]
        pending = article_rules(matcher, ent)
    cue_ends = None if scanned.cue_ends is None else chunk.to_chars(scanned.cue_ends)
    kinds = matcher.variant_kinds[matcher._variant_of[ent]].tolist()
    voice = (chunk_voices(chunk, seg, st, en, language, cue_ends, kinds, frame_ends, frame_words) if voices
             else np.zeros(len(seg), dtype=np.int8))
    return Raw(seg, matcher._variant_of[ent], st, en, voice, excluded, near_start=near_start, near_end=near_end,
                entry=ent, pending=pending)


def leftmost_longest(matcher: CompiledLexicon, seg, ent, st, en) -> tuple[np.ndarray, list[tuple]]:
    """Which raw matches survive: leftmost-longest, non-overlapping within each contrast.

    The matches (sorted by text, start, longest first) are grouped by text and contrast; a group
    whose matches do not overlap keeps them all. Only groups with overlaps go through the greedy
    loop, which also logs the matches consumed by an ``except`` phrase.
    """
    n = len(ent)
    accepted = np.ones(n, dtype=bool)
    if n < 2:
        return accepted, []
    contrast = matcher._contrast_of[ent]
    order = np.argsort(seg * len(matcher.contrasts) + contrast, kind="stable")  # by text and contrast
    key = (seg * len(matcher.contrasts) + contrast)[order]
    same_group = key[1:] == key[:-1]
    overlaps = same_group & (st[order][1:] < en[order][:-1])
    if not overlaps.any():
        return accepted, []
    group = np.concatenate(([0], np.cumsum(~same_group)))
    bad_group = np.zeros(group[-1] + 1, dtype=bool)
    bad_group[group[1:][overlaps]] = True
    members = order[bad_group[group]]  # the matches of groups with an overlap, group by group
    entries = matcher.entries
    excluded: list[tuple] = []
    last = None  # (group, end, entry, start, is_except) of the last accepted match
    for m, g, i, a, b in zip(members.tolist(), group[bad_group[group]].tolist(), ent[members].tolist(),
                             st[members].tolist(), en[members].tolist(), strict=True):
        e = entries[i]
        if last is None or last[0] != g or a >= last[1]:
            last = (g, b, i, a, e.is_except)
        else:
            accepted[m] = False
            if last[4] and not e.is_except:
                excluded.append((m, int(seg[m]), e.variant, a, b, entries[last[2]].variant, last[3], last[1]))
    excluded.sort()
    return accepted, [x[1:] for x in excluded]


def scan(corpus: pd.DataFrame, matcher: CompiledLexicon, fields: tuple[str, ...],
                 language: str, context: int | None = None,
                 voices: bool = True) -> tuple[Raw, CorpusTexts, np.ndarray, np.ndarray]:
    """Hits of every text of the corpus, batch by batch (memory stays bounded by the batch size).

    Returns the hits, the texts (``texts.text(seg)``), and the row and field of each text. With
    ``context`` (characters each side), ``raw.strings`` holds the match, sentence, left and right
    context of each hit.
    """
    texts = CorpusTexts(corpus, fields)
    parts = []
    for a, b in texts.batches(options.CHUNK_CHARS):
        chunk = texts.chunk(a, b)
        raw = resolve(matcher, chunk, language, voices)
        if context is not None:
            raw.strings = context_strings(chunk, raw, context)
        base = chunk.starts[raw.seg]
        raw.start = raw.start - base
        raw.end = raw.end - base
        raw.excluded = [(s + a, v, st - chunk.starts[s], en - chunk.starts[s], ev,
                         es - chunk.starts[s] if es >= 0 else -1, ee - chunk.starts[s] if ee >= 0 else -1, r)
                        for s, v, st, en, ev, es, ee, r in raw.excluded]
        raw.near_start = np.where(raw.near_start >= 0, raw.near_start - base, -1)
        raw.near_end = np.where(raw.near_end >= 0, raw.near_end - base, -1)
        raw.seg = raw.seg + a
        parts.append(raw)
    rows, flds = texts.rows, texts.fields
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        strings = {k: [] for k in ("match", "sentence", "left", "right")} if context is not None else None
        return (Raw(empty, empty, empty, empty, np.zeros(0, dtype=np.int8), [], strings, empty, empty, empty), texts,
                rows, flds)
    offset = np.cumsum([0] + [len(p.seg) for p in parts[:-1]])
    pending = np.concatenate([p.pending + [o, 0] for p, o in zip(parts, offset, strict=True)])
    raw = Raw(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("seg", "variant", "start", "end", "voice")),
               [x for p in parts for x in p.excluded],
               **{f: np.concatenate([getattr(p, f) for p in parts]) for f in ("near_start", "near_end", "entry")},
               pending=pending)
    if context is not None:
        raw.strings = {k: concat_strings([p.strings[k] for p in parts]) for k in parts[0].strings}
    if len(pending):
        decide_article_rules(raw, matcher, texts)
    return raw, texts, rows, flds


def concat_strings(parts: list):
    """Concatenate per-chunk string columns (lists, or Arrow arrays)."""
    if isinstance(parts[0], list):
        return [x for p in parts for x in p]
    import pyarrow as pa

    return pa.concat_arrays(parts) if len(parts) > 1 else parts[0]


def context_strings(chunk: Chunk, raw: Raw, context: int) -> dict:
    """The match, its sentence and ``context`` characters each side, for each hit of a chunk.

    Values are Arrow string arrays (pandas >= 3) or lists of str (see ``framing._strings``).
    """
    seg, st, en = raw.seg, raw.start, raw.end
    a, b = chunk.to_bytes(st), chunk.to_bytes(en)
    s, e = sentence_byte_bounds(chunk, seg, st, en, a, b)
    lo = chunk.to_bytes(np.maximum(chunk.starts[seg], st - context))
    hi = chunk.to_bytes(np.minimum(chunk.ends[seg], en + context))
    return text_columns(chunk, a, b, lo, hi, s, e, one_line)


def one_line(s: str) -> str:
    return " ".join(s.split()) if "\n" in s or "\t" in s else s
