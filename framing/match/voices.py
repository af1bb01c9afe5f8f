"""Voice of every hit of a chunk at once (the rules and reference code are in framing.voice).

- Quotations come from :func:`framing.text.chunk_quotes.quote_spans` (the vectorised twin of
  :func:`framing.text.quote_spans`); clauses, the unit of cues and frames, from
  :func:`framing.text.chunk_sentences.clause_bounds` (the twin of :func:`framing.text.clause_bounds_at`).
- Whether a quotation holds a hit is looked up with ``np.searchsorted`` (the running maximum of
  the quotation ends tells whether any quotation contains it). Scare quotes are checked once per
  quotation, on its own text (``voice.is_scare_quote``); square-bracket insertions from the chunk's
  bracket pairs.
- Distancing cues are checked with the cue regexes (``voice.cue_before``, in the hit's clause) only
  where the engine's prefilter reports a possible cue end between the hit's cue window and its end
  (every hit when there is no prefilter).
- Attribution frames (``voice.attributed_by``) are checked, on the hits left authorial, only where
  the scan found a frame's trigger word ("calls", "claimed", "described"...) in the hit's window
  before or after it (every such hit when the triggers are unknown): every frame match holds one.
  With the triggers known, ``_Frames._attribute_fast`` cuts every hit's windows at its clause at once, picks per hit the frames whose trigger words are in them, and matches the frames
  led by a trigger word only where one starts; the plain per-hit path (``framing.match.options.REFERENCE``)
  gives the same voices.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np

from framing._chunk import Chunk, utf8_width
from framing.match import options
from framing.text.chunk_quotes import quote_spans
from framing.text.chunk_sentences import clause_bounds
from framing.voice import (
    CUE_WINDOW,
    VOICES,
    attributed_by,
    attribution_rules,
    cue_before,
    cue_rules,
    is_scare_quote,
)

__all__ = ["chunk_voices"]

def chunk_voices(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray, language: str,
                 cue_ends: np.ndarray | None, kinds: list | None = None,
                 frame_ends: np.ndarray | None = None, frame_words: list | None = None) -> np.ndarray:
    """Voice (index into VOICES) of each hit; offsets are chunk character offsets.

    Hits are all the kept hits of the chunk, grouped by text (every hit of a text is a "term" for
    the scare-quote rule). ``cue_ends``: chunk character offsets where a cue may end (None: unknown);
    ``kinds``: the contrast kind of each hit (None: all ``naming``); ``frame_ends``: sorted chunk
    character offsets where an attribution frame's trigger word ends (None: unknown), and
    ``frame_words`` the word ending at each.
    """
    frames = _Frames(chunk, language, kinds, frame_ends, frame_words)
    voices = np.zeros(len(seg), dtype=np.int8)
    if not len(seg):
        return voices
    qs, qe = quote_spans(chunk)
    quoted = np.zeros(len(seg), dtype=bool)
    if len(qs):
        k = np.maximum(np.searchsorted(qs, start, side="left") - 1, 0)  # the last quotation opened before
        reach = np.maximum.accumulate(qe)  # the furthest end of the quotations opened so far
        quoted = (qs[k] < start) & (reach[k] >= end)
        # mostly, the last quotation opened before a hit holds it, lies in no other quotation, and
        # the hit is not between square brackets: that quotation alone decides
        nested = np.zeros(len(qs), dtype=bool)
        nested[1:] = reach[:-1] >= qe[1:]
        bs, be = chunk.brackets
        j = np.searchsorted(bs, start, side="right") - 1  # the last bracket opened at or before the hit
        in_brackets = (j >= 0) & (be[np.maximum(j, 0)] >= end) if len(bs) else np.zeros(len(seg), dtype=bool)
        alone = quoted & (qe[k] >= end) & ~nested[k] & ~in_brackets
        _voices_in_one_quotation(chunk, start, end, alone, k, qs, qe, language, voices)
        if (quoted & ~alone).any():
            _voices_in_quotes(chunk, seg, start, end, quoted & ~alone, qs, qe, language, voices, frames)
    outside = np.flatnonzero(~quoted)
    _voices_by_cues(chunk, seg[outside], start[outside], end[outside], language, cue_ends, voices, outside)
    frames.attribute(seg, start, end, voices, outside)
    return voices


class _Frames:
    """The attribution check of one chunk's hits (``voice.attributed_by``), with the trigger prefilter."""

    def __init__(self, chunk: Chunk, language: str, kinds: list | None, frame_ends: np.ndarray | None,
                 frame_words: list | None):
        self.chunk, self.kinds, self.ends, self.words = chunk, kinds, frame_ends, frame_words
        self.attribution = attribution_rules(language)
        self._triggers: list | None = None  # per frame: where its trigger words end (_frame_triggers)
        self._kinds: np.ndarray | None = None

    def attribute(self, seg, start, end, voices, where) -> None:
        """Make ``attributed`` the hits ``where`` (indices) still authorial that a frame attributes."""
        attribution = self.attribution
        if not attribution.frames or not len(where):
            return
        where = where[voices[where] == VOICES.index("authorial")]
        if not len(where):
            return
        if self.ends is not None and not _plain_paths():
            self._attribute_fast(seg, start, end, voices, where)
            return
        chunk = self.chunk
        s, e, g = start[where], end[where], seg[where]
        lo = np.maximum(chunk.starts[g], s - attribution.window_before)
        hi = np.minimum(chunk.ends[g], e + attribution.window_after)
        first = last = None
        if self.ends is not None:  # a trigger word must end in (lo, start] or in (end, hi]
            ends = self.ends
            first = np.searchsorted(ends, lo, side="right")
            last = np.searchsorted(ends, hi, side="right")
            near = ((np.searchsorted(ends, s, side="right") > first) | (last > np.searchsorted(ends, e, side="right")))
            keep = np.flatnonzero(near)
            where, s, e, lo, hi, first, last = (x[keep] for x in (where, s, e, lo, hi, first, last))
        if not len(where):
            return
        attributed = VOICES.index("attributed")
        kinds, words = self.kinds, self.words
        ends = self.ends.tolist() if self.ends is not None else None
        g = seg[where]
        spans = zip(first.tolist(), last.tolist(), strict=True) if first is not None else None
        texts: dict[int, str] = {}  # the whole text: a sentence end depends on the words before it
        for k, t, a, b in zip(where.tolist(), g.tolist(), (s - chunk.starts[g]).tolist(),
                              (e - chunk.starts[g]).tolist(), strict=True):
            if t not in texts:
                texts[t] = chunk.text(t)
            found = None
            if spans is not None:  # the trigger words around the hit, in the text's offsets
                i, j = next(spans)
                base = int(chunk.starts[t])
                found = [(ends[x] - base, words[x]) for x in range(i, j)]
            if attributed_by(texts[t], a, b, kinds[k] if kinds is not None else None, attribution, found) is not None:
                voices[k] = attributed

    def _attribute_fast(self, seg, start, end, voices, where) -> None:
        """``attribute`` with the work of ``voice.attributed_by`` done for all hits at once where it can be.

        The same results (tests/test_fast_paths.py): each hit's windows (its clause before and
        after it) come from ``clause_bounds`` for all hits at once; the frames to try, in order, are those for the hit's kind
        with one of their trigger words in a window, and, for a frame whose matches start with
        a trigger word (``_Frame.first_words``), with such a word in the window before; those
        frames are matched where such a word starts (the first place the search would find),
        the others searched for as ``attributed_by`` does.
        """
        attribution, chunk = self.attribution, self.chunk
        s, e, g = start[where], end[where], seg[where]
        lo = np.maximum(chunk.starts[g], s - attribution.window_before)
        hi = np.minimum(chunk.ends[g], e + attribution.window_after)
        ends = self.ends  # first, any trigger word ending in (lo, start] or in (end, hi]
        near = np.flatnonzero((np.searchsorted(ends, s, side="right") > np.searchsorted(ends, lo, side="right"))
                              | (np.searchsorted(ends, hi, side="right") > np.searchsorted(ends, e, side="right")))
        if not len(near):
            return
        where, s, e, lo, hi = where[near], s[near], e[near], lo[near], hi[near]
        # the windows: [cut, s) before the hit, [e, stop) after it, within the hit's clause
        cut, stop = clause_bounds(chunk, g[near], s, e, attribution.window_before, attribution.window_after)
        kinds = (self._kind_codes()[where] if self.kinds is not None
                 else np.full(len(where), _kind_code("naming"), dtype=np.int64))
        frames = attribution.frames
        n_kinds = int(kinds.max(initial=0)) + 1
        todo = np.zeros(len(where), dtype=np.int64)  # bit f: frame f is to be tried
        candidates = []  # per frame with first words: (starts, ends, first, last) of those words
        present: dict[int, np.ndarray] = {}  # frames with the same trigger words share their arrays
        for f, (frame, (ends, first_starts, first_ends)) in enumerate(zip(frames, self._frame_triggers(),
                                                                          strict=True)):
            if id(ends) not in present:
                present[id(ends)] = (
                    (np.searchsorted(ends, s, side="right") > np.searchsorted(ends, cut, side="right"))
                    | (np.searchsorted(ends, stop, side="right") > np.searchsorted(ends, e, side="right")))
            ok = present[id(ends)] & _kind_table(frame.kinds, n_kinds)[kinds]
            if first_starts is not None:  # a first word starting in the window before the hit
                if id(first_starts) not in present:
                    a = np.searchsorted(first_starts, cut, side="left")
                    b = np.searchsorted(first_starts, s, side="left")
                    present[id(first_starts)] = (first_starts.tolist(), first_ends.tolist(), a, b)
                starts_f, ends_f, a, b = present[id(first_starts)]
                ok &= b > a
                candidates.append((starts_f, ends_f, a, b))
            else:
                candidates.append(None)
            todo |= ok.astype(np.int64) << f
        busy = np.flatnonzero(todo)
        if not len(busy):
            return
        attributed = VOICES.index("attributed")
        befores = chunk.strings(cut[busy], s[busy])
        afters = chunk.strings(e[busy], stop[busy])
        candidates = [None if c is None else (c[0], c[1], c[2][busy].tolist(), c[3][busy].tolist())
                      for c in candidates]
        for n, (i, mask, before, after, base, hit_start) in enumerate(zip(
                busy.tolist(), todo[busy].tolist(), befores, afters, cut[busy].tolist(), s[busy].tolist(),
                strict=True)):
            for f, frame in enumerate(frames):
                if not mask >> f & 1:
                    continue
                if frame.before is not None:
                    mb = None
                    if candidates[f] is not None:
                        starts_f, ends_f, a_f, b_f = candidates[f]
                        for x in range(a_f[n], b_f[n]):
                            if ends_f[x] <= hit_start:
                                mb = frame.before.match(before, starts_f[x] - base)
                                if mb is not None:
                                    break
                    elif frame.lead_words is None or any(w in before.lower() for w in frame.lead_words):
                        mb = frame.before.search(before)  # (a match starts with one of the lead words)
                    if mb is None:
                        continue
                if frame.after is not None and frame.after.match(after) is None:
                    continue
                voices[where[i]] = attributed
                break

    def _kind_codes(self) -> np.ndarray:
        """The contrast kind of every hit of the chunk as a code (``_kind_code``; None: naming)."""
        if self._kinds is None:
            codes = {k: _kind_code(k or "naming") for k in set(self.kinds)}
            self._kinds = np.array([codes[k] for k in self.kinds], dtype=np.int64)
        return self._kinds

    def _frame_triggers(self) -> list:
        """Per frame: the sorted ends of its trigger words in the chunk, and, for a frame with first
        words, the sorted starts of those words and their ends (else None, None)."""
        if self._triggers is None:
            distinct: dict[str, int] = {}
            code = np.array([distinct.setdefault(w, len(distinct)) for w in self.words], dtype=np.int64)
            vocabulary = list(distinct)
            length = np.array([len(w) for w in vocabulary], dtype=np.int64)[code]
            out, shared, shared_first = [], {}, {}  # frames with the same words share the arrays
            for frame in self.attribution.frames:
                if frame.triggers not in shared:
                    mine = np.array([w in frame.triggers for w in vocabulary] + [False], dtype=bool)[code]
                    shared[frame.triggers] = self.ends[mine]
                if frame.first_words is None or frame.before is None:
                    out.append((shared[frame.triggers], None, None))
                    continue
                if frame.first_words not in shared_first:
                    first = np.flatnonzero(np.array([w in frame.first_words for w in vocabulary] + [False],
                                                    dtype=bool)[code])
                    starts = self.ends[first] - length[first]
                    order = np.argsort(starts, kind="stable")
                    shared_first[frame.first_words] = (starts[order], self.ends[first][order])
                out.append((shared[frame.triggers], *shared_first[frame.first_words]))
            self._triggers = out
        return self._triggers


_KIND_CODES: dict[str, int] = {}


def _kind_code(kind: str) -> int:
    """A number per contrast kind (as the frames and the lexicon spell them)."""
    return _KIND_CODES.setdefault(kind, len(_KIND_CODES))


def _kind_table(kinds: tuple, size: int) -> np.ndarray:
    """Per kind code below ``size`` (and any code the frame's kinds have): is it one of ``kinds``?
    (``np.isin(codes, [_kind_code(k) for k in kinds])`` as ``_kind_table(kinds, n)[codes]``)."""
    wanted = [_kind_code(k) for k in kinds]
    table = np.zeros(max([size, *[w + 1 for w in wanted]]), dtype=bool)
    table[wanted] = True
    return table


def _plain_paths() -> bool:
    """True when the matcher runs its plain code paths (the reference of the fast ones)."""
    return options.REFERENCE


def _voices_in_one_quotation(chunk: Chunk, start, end, alone, k, qs, qe, language, voices) -> None:
    """Hits held by exactly one quotation: distanced if it holds only lexicon terms, else quoted."""
    hits = np.flatnonzero(alone)
    if not len(hits):
        return
    spans, which = np.unique(k[hits], return_inverse=True)
    scare = _scare_quotes(chunk, start, end, list(zip(qs[spans].tolist(), qe[spans].tolist(), strict=True)),
                          language, disjoint=True)
    is_scare = np.fromiter(scare.values(), dtype=bool, count=len(scare))
    voices[hits] = np.where(is_scare[which], VOICES.index("distanced"), VOICES.index("quoted"))


def _voices_in_quotes(chunk: Chunk, seg, start, end, quoted, qs, qe, language, voices, frames) -> None:
    """Voices of the other hits inside quotations: the rules of ``Analyzer.voice``.

    Every quotation holding the hit counts (nested ones too), except one in which the hit sits in
    an editorial insertion in square brackets; the hit is distanced when all of them are scare
    quotes, quoted otherwise; with none left, the cue rules apply.
    """
    hits = np.flatnonzero(quoted)
    bs, be = chunk.brackets
    j = np.searchsorted(bs, start[hits], side="right") - 1  # the bracket pair holding the hit, if any
    held = (j >= 0) & (be[np.maximum(j, 0)] >= end[hits]) if len(bs) else np.zeros(len(hits), dtype=bool)
    bracket = np.where(held, j, -1).tolist()
    bs, be = bs.tolist(), be.tolist()
    reach = np.maximum.accumulate(qe).tolist()  # the furthest end of the quotations opened so far
    q_start, q_end = qs.tolist(), qe.tolist()
    first = np.searchsorted(qs, chunk.starts[seg[hits]]).tolist()  # the first quotation of the text
    holding: dict[int, list[tuple[int, int]]] = {}
    for h, a, b, lo, br in zip(hits.tolist(), start[hits].tolist(), end[hits].tolist(), first, bracket, strict=True):
        spans = []
        k = bisect_left(q_start, a) - 1
        while k >= lo and reach[k] >= b:  # quotations opened before the hit, innermost first
            s0, e0 = q_start[k], q_end[k]
            if e0 >= b and not (br >= 0 and s0 < bs[br] and be[br] <= e0):  # not in its insertion
                spans.append((s0, e0))
            k -= 1
        holding[h] = spans
    needed = sorted({span for spans in holding.values() for span in spans})
    scare = _scare_quotes(chunk, start, end, needed, language)
    distanced, quoted_voice = VOICES.index("distanced"), VOICES.index("quoted")
    free = []
    for h, spans in holding.items():
        if spans:
            voices[h] = distanced if all(scare[span] for span in spans) else quoted_voice
        else:  # only in editorial insertions: the author's words
            free.append(h)
    if free:
        free = np.asarray(free, dtype=np.int64)
        _voices_by_cues(chunk, seg[free], start[free], end[free], language, None, voices, free)
        frames.attribute(seg, start, end, voices, free)


def _scare_quotes(chunk: Chunk, start, end, spans: list[tuple[int, int]], language,
                  disjoint: bool = False) -> dict:
    """For each quotation span (sorted, distinct): does it hold only lexicon terms (``voice.is_scare_quote``)?

    ``start``, ``end``: every hit of the chunk, sorted by start (the terms a quotation may hold);
    ``disjoint``: no span holds another. Quotations with other words before their first term (or,
    when disjoint, after their last one) are told from the bytes; the others get ``is_scare_quote``.
    """
    if not spans:
        return {}
    cues = cue_rules(language)
    qs, qe = np.array(spans, dtype=np.int64).T
    lo = np.searchsorted(start, qs, side="right")  # the hits that start inside each quotation
    hi = np.searchsorted(start, qe, side="left")
    first_term = (lo < hi) & (end[np.minimum(lo, len(end) - 1)] <= qe)  # the first hit inside is a term
    other_words = np.zeros(len(spans), dtype=bool)  # certainly more than terms: no scare quotes
    other_words[first_term] = _long_heads(chunk, qs[first_term], start[lo[first_term]], language)
    if disjoint:
        last = _last_term_ends(start, end, qs, qe, lo, hi)
        check = np.flatnonzero((last >= 0) & ~other_words)
        other_words[check] = _words_after(chunk, last[check], qe[check])
    out = dict.fromkeys((span for span, no in zip(spans, other_words.tolist(), strict=True) if no), False)
    check = np.flatnonzero(~other_words)
    h_start, h_end = start.tolist(), end.tolist()
    for n, quote in zip(check.tolist(), chunk.strings(qs[check], qe[check]), strict=True):
        (s, e), first, last = spans[n], int(lo[n]), int(hi[n])
        inner = [(a - s, b - s) for a, b in zip(h_start[first:last], h_end[first:last], strict=True) if b <= e]
        out[(s, e)] = is_scare_quote(quote, cues, (0, e - s), inner)
    return {span: out[span] for span in spans}


def _last_term_ends(start, end, qs, qe, lo, hi) -> np.ndarray:
    """Where the last lexicon term inside each quotation ends (-1 if none); quotations disjoint."""
    inside = np.searchsorted(qs, start, side="right") - 1  # the quotation each hit may sit in
    term_end = np.where((inside >= 0) & (end <= qe[np.maximum(inside, 0)]), end, -1)
    term_end = np.append(term_end, -1)  # so that a range may end at the last hit
    bounds = np.stack((lo, np.maximum(hi, lo))).T.ravel()
    last = np.maximum.reduceat(term_end, bounds)[::2]  # the max over [lo, hi) of each quotation
    return np.where(hi > lo, last, -1)


_ASCII_SPACE = np.zeros(256, dtype=bool)  # what re's \s matches in ASCII
_ASCII_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


@lru_cache(maxsize=8)
def _longest_filler(language: str) -> int:
    """Bytes of the longest scare-quote filler (an article or possessive) any casing could take."""
    from framing.voice import cue_spec

    fillers = cue_spec(language).get("scare_quote_fillers", [])
    return 4 * max([len(f) for f in fillers] + [0])  # at most 4 bytes per character


def _long_heads(chunk: Chunk, quote_start: np.ndarray, term_start: np.ndarray, language: str) -> np.ndarray:
    """True where the words between a quotation mark and the first term are too long to be a
    scare-quote filler (so the quotation is no scare quote); False where unsure."""
    from framing._chunk import PAD

    a = chunk.padded
    p = chunk.to_bytes(quote_start)
    p = p + utf8_width(chunk.code_points(p))  # after the quotation mark
    q = chunk.to_bytes(term_start)
    for forward in (True, False):  # strip ASCII whitespace and no-break spaces at both ends
        active = np.arange(len(p))
        while len(active):
            at = p[active] if forward else q[active] - 1
            b = a[at + PAD]
            nbsp = (b == 0xC2) & (a[at + PAD + 1] == 0xA0) if forward else (b == 0xA0) & (a[at + PAD - 1] == 0xC2)
            step = np.where(_ASCII_SPACE[b], 1, np.where(nbsp, 2, 0)) * (p[active] < q[active])
            active = active[step > 0]
            if forward:
                p[active] += step[step > 0]
            else:
                q[active] -= step[step > 0]
    ascii_edges = (a[p + PAD] < 0x80) & (a[np.maximum(q - 1, p) + PAD] < 0x80)
    return (q - p > _longest_filler(language)) & ascii_edges


def _voices_by_cues(chunk: Chunk, seg, start, end, language, cue_ends, voices, where) -> None:
    """Distanced when a cue is inside the match or right before it; authorial otherwise.

    With a prefilter (``cue_ends``), only the hits with a possible cue end between the start of
    their cue window and their own end are checked.
    """
    cues = cue_rules(language)
    seg_start = chunk.starts[seg]
    if cue_ends is None:
        check = np.arange(len(seg))
    else:
        lo = np.maximum(seg_start, start - CUE_WINDOW)
        check = np.flatnonzero(np.searchsorted(cue_ends, end, side="right")
                               > np.searchsorted(cue_ends, lo, side="right"))
    inside_cache: dict[str, bool] = {}
    distanced = VOICES.index("distanced")
    # the cue window (the hit's clause, at most CUE_WINDOW characters before it), then the match
    window_start = clause_bounds(chunk, seg[check], start[check], start[check], CUE_WINDOW, 0)[0]
    for k, piece, at in zip(check.tolist(), chunk.strings(window_start, end[check]),
                            (start[check] - window_start).tolist(), strict=True):
        term = piece[at:]
        found = inside_cache.get(term)
        if found is None:
            found = inside_cache[term] = cues.inside.search(term) is not None
        if found or cue_before(cues, piece, at, 0):
            voices[where[k]] = distanced


_CLOSING_MARKS = np.fromiter(map(ord, "\"'”’»›"), dtype=np.int64)
_TAIL = _ASCII_SPACE.copy()  # ASCII bytes a possessive tail may hold after its 's
_TAIL[np.frombuffer(b",.;:!?", dtype=np.uint8)] = True


def _words_after(chunk: Chunk, last_end: np.ndarray, quote_end: np.ndarray) -> np.ndarray:
    """True where a quotation certainly holds other words after its last term; False where unsure.

    ``voice.is_scare_quote``'s tail: an optional 's, then spaces and punctuation, then the closing mark.
    """
    from framing._chunk import PAD

    a = chunk.padded
    p, q = chunk.to_bytes(last_end), chunk.to_bytes(quote_end)
    last = chunk.char_start_before(np.maximum(q, 1))
    q = np.where(np.isin(chunk.code_points(last), _CLOSING_MARKS) & (last >= p), last, q)  # the closing mark
    straight = (a[p + PAD] == ord("'")) & (a[p + PAD + 1] == ord("s"))
    curly = (a[p + PAD] == 0xE2) & (a[p + PAD + 1] == 0x80) & (a[p + PAD + 2] == 0x99) & (a[p + PAD + 3] == ord("s"))
    p = np.minimum(p + np.where(straight, 2, np.where(curly, 4, 0)), np.maximum(q, p))
    active = np.flatnonzero(p < q)
    while len(active):
        b = a[p[active] + PAD]
        nbsp = (b == 0xC2) & (a[p[active] + PAD + 1] == 0xA0)
        step = np.where(_TAIL[b], 1, np.where(nbsp, 2, 0))
        active = active[step > 0]
        p[active] += step[step > 0]
        active = active[p[active] < q[active]]
    return (p < q) & (a[np.minimum(p, q) + PAD] < 0x80)
