"""Voice of every hit of a chunk at once (the rules and reference code are in framing.voice).

- Quotation marks are found and classified (opening, closing, apostrophe...) with array operations
  on the chunk's bytes; only the marks that can open or close a quotation go through the small
  state machine of :func:`framing.voice._quote_spans`, whose spans this reproduces exactly.
  Texts with double quotes only, or single quotes only, need no state machine at all.
- Whether a quotation holds a hit is looked up with ``np.searchsorted`` (the running maximum of
  the quotation ends tells whether any quotation contains it). Scare quotes are checked once per
  quotation, on its own text (``voice._is_scare``); square-bracket insertions from the chunk's
  bracket pairs.
- Distancing cues are checked with the cue regexes (``voice._cue_before``) only where the engine's
  prefilter reports a possible cue end between the hit's cue window and its end (every hit when
  there is no prefilter).
- Attribution frames (``voice._attributed``) are checked, on the hits left authorial, only where
  the scan found a frame's trigger word ("calls", "claimed", "described"...) in the hit's window
  before or after it (every such hit when the triggers are unknown): every frame match holds one.
  With the triggers known, ``_Frames._attribute_fast`` cuts every hit's windows at the sentence
  breaks at once, picks per hit the frames whose trigger words are in them, and matches the frames
  led by a trigger word only where one starts; the plain per-hit path (``framing.match._REFERENCE``)
  gives the same voices.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np

from framing._chunk import Chunk
from framing.voice import (
    _CLOSERS_NEXT,
    _CONTINUES,
    _OPENERS,
    CUE_WINDOW,
    VOICES,
    _attributed,
    _attribution,
    _cue_before,
    _cues,
    _is_scare,
)

__all__ = ["quote_spans", "chunk_voices"]

# roles of a mark (framing.voice._quote_spans)
SKIP, OPEN_D, CLOSE_D, EITHER_D, OPEN_S, CLOSE_S, NEWLINE, BREAK = range(8)

_FIXED_ROLE = {"“": OPEN_D, "„": OPEN_D, "‟": OPEN_D, "«": OPEN_D, "”": CLOSE_D, "»": CLOSE_D,
               "‘": OPEN_S, "‚": OPEN_S, "‹": OPEN_S, "›": CLOSE_S, "\n": NEWLINE}


def _find_marks(chunk: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Byte offset, byte length and code point of every quotation mark and line break, in order.

    Apostrophes between two ASCII letters or digits (don't, Russia's) are left out at once.
    """
    from framing._chunk import LANDMARK, PAD

    pos, kind = chunk.landmarks
    a = chunk.padded
    cps = np.zeros(len(pos), dtype=np.int64)  # the mark's code point; 0: not a mark
    ascii_marks = np.flatnonzero(kind <= LANDMARK["\n"])
    cps[ascii_marks] = np.frombuffer(b'\x00"\'\n', dtype=np.uint8)[kind[ascii_marks]]
    if not chunk.is_ascii:
        lead = np.flatnonzero((kind == LANDMARK["lead2"]) | (kind == LANDMARK["lead3"]))
        at = pos[lead] + PAD
        b0, b1, b2 = a[at], a[at + 1], a[at + 2]
        two = (b0 == 0xC2) & ((b1 == 0xAB) | (b1 == 0xBB))  # « »
        three = (b0 == 0xE2) & (b1 == 0x80) & (((b2 >= 0x98) & (b2 <= 0x9F) & (b2 != 0x9B))  # ‘’‚“”„‟
                                               | (b2 == 0xB9) | (b2 == 0xBA))  # ‹ ›
        cps[lead[two]] = b1[two]
        cps[lead[three]] = 0x2000 + (b2[three].astype(np.int64) - 0x80)
    marks = np.flatnonzero(cps)
    pos, cps = pos[marks], cps[marks]
    width = _utf8_width(cps)
    apostrophe = (cps == ord("'")) | (cps == ord("’"))
    in_word = apostrophe & _ASCII_ALNUM[a[pos + PAD - 1]] & _ASCII_ALNUM[a[pos + width + PAD]]
    return pos[~in_word], width[~in_word], cps[~in_word]


def _utf8_width(cp: np.ndarray) -> np.ndarray:
    return 1 + (cp >= 0x80) + (cp >= 0x800)


_ASCII_ALNUM = np.array([chr(c).isalnum() for c in range(256)], dtype=bool) & (np.arange(256) < 128)


# classes of the characters around a mark (framing.voice._quote_spans), by code point
ALNUM, OPENER, CLOSER_NEXT, CONTINUES = 1, 2, 4, 8
_TABLE = 0x2100  # every character these rules name is below this


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    table = np.zeros(_TABLE, dtype=np.uint8)
    for cp in range(_TABLE):
        table[cp] = ALNUM if chr(cp).isalnum() else 0
    for chars, flag in ((_OPENERS, OPENER), (_CLOSERS_NEXT, CLOSER_NEXT), (_CONTINUES, CONTINUES)):
        for ch in chars:
            table[ord(ch)] |= flag
    return table


@lru_cache(maxsize=1)
def _role_table() -> np.ndarray:
    table = np.full(_TABLE, SKIP, dtype=np.int64)
    for ch, role in _FIXED_ROLE.items():
        table[ord(ch)] = role
    return table


def _classes(cps: np.ndarray) -> np.ndarray:
    """ALNUM | OPENER | CLOSER_NEXT | CONTINUES flags of each code point."""
    out = _class_table()[np.minimum(cps, _TABLE - 1)]
    high = np.flatnonzero(cps >= _TABLE)
    if len(high):  # rare: Python decides the few distinct ones
        uniq, inverse = np.unique(cps[high], return_inverse=True)
        out[high] = np.fromiter((ALNUM if chr(int(c)).isalnum() else 0 for c in uniq), dtype=np.uint8,
                                count=len(uniq))[inverse]
    return out


def _mark_roles(chunk: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(character offset, role, text index) of each mark that may open or close a quotation.

    Line breaks get the role ``NEWLINE`` when the next paragraph opens with a quote mark (an open
    double quotation continues there) and ``BREAK`` otherwise.
    """
    pos, lens, cps = _find_marks(chunk)
    if not len(pos):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    seg = chunk.segment_of_byte(pos)
    at_start = pos == chunk.byte_starts[seg]
    at_end = pos + lens == chunk.byte_ends[seg]
    prev = np.where(at_start, 0x20, chunk.code_points(chunk.char_start_before(np.maximum(pos, 1))))
    nxt = np.where(at_end, 0x20, chunk.code_points(pos + lens))
    before, after = _classes(prev), _classes(nxt)
    role = _role_table()[cps]
    straight = np.flatnonzero(cps == ord('"'))
    role[straight] = np.where(before[straight] & OPENER, OPEN_D,
                              np.where(after[straight] & CLOSER_NEXT, CLOSE_D, EITHER_D))
    # ' and ’: an apostrophe inside a word is never a mark; after a letter, or before a non-letter,
    # it closes an open single quotation (if any); ' after an opener and before a letter opens one
    apos = np.flatnonzero((cps == ord("'")) | (cps == ord("’")))
    b, n = before[apos], after[apos]
    opens = (cps[apos] == ord("'")) & ((b & (ALNUM | OPENER)) == OPENER) & ((n & ALNUM) > 0)
    role[apos] = np.where(opens, OPEN_S, np.where(n & ALNUM, SKIP, CLOSE_S))
    newline = np.flatnonzero(role == NEWLINE)
    if len(newline):
        role[newline[~_paragraph_continues(chunk, pos[newline], seg[newline])]] = BREAK
    keep = role != SKIP
    return chunk.to_chars(pos[keep]), role[keep], seg[keep]


def _paragraph_continues(chunk: Chunk, newline: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """For line breaks at these byte offsets: does the next non-blank character open a quotation?"""
    from framing._chunk import PAD

    a = chunk.padded
    end = chunk.byte_ends[seg]
    q = newline + 1
    active = np.arange(len(q))
    while len(active):  # step over spaces, tabs, line breaks and no-break spaces
        b = a[q[active] + PAD]
        step = np.where((b == 0x20) | (b == 0x09) | (b == 0x0A), 1,
                        np.where((b == 0xC2) & (a[q[active] + PAD + 1] == 0xA0), 2, 0))
        step[q[active] >= end[active]] = 0
        q[active] += step
        active = active[step > 0]
    first = chunk.code_points(np.minimum(q, len(chunk.buf) - 1)) if len(chunk.buf) else q
    return (q < end) & ((_classes(first) & CONTINUES) > 0)


def _double_spans(pos, role, seg, ends) -> tuple[np.ndarray, np.ndarray]:
    """Spans of texts whose marks are only double quotes and line breaks, without a state machine.

    With no single quotation and no ambiguous mark, at most one quotation is open at a time: each
    closing mark (or paragraph break, or the end of the text) ends the quotation opened by the
    first opening mark after the previous closing one, if there is one.
    """
    texts = np.unique(seg)
    pos = np.concatenate((pos, ends[texts]))  # an "end of text" closing event per text
    role = np.concatenate((role, np.full(len(texts), BREAK)))
    seg = np.concatenate((seg, texts))
    order = np.lexsort((pos, seg))
    pos, role = pos[order], role[order]
    closing = np.flatnonzero(role != OPEN_D)
    previous = np.concatenate(([-1], closing[:-1]))
    has_open = closing - previous > 1  # events between two closing ones are all openings
    first_open = previous[has_open] + 1
    close_at = closing[has_open]
    span_end = pos[close_at] + (role[close_at] == CLOSE_D)  # a closing mark is part of the quotation
    return pos[first_open], span_end


def quote_spans(chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
    """Quotation spans of every text of the chunk as (starts, ends) in chunk character offsets.

    Sorted by start; the same spans as :func:`framing.voice._quote_spans` text by text.
    """
    pos, role, seg = _mark_roles(chunk)
    # a closing single mark before the first opening one in its text can close nothing
    n = len(chunk)
    opens_s = np.flatnonzero(role == OPEN_S)
    first_s = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    texts_s, first = np.unique(seg[opens_s], return_index=True)
    first_s[texts_s] = pos[opens_s[first]]
    keep = ~((role == CLOSE_S) & (pos < first_s[seg]))
    pos, role, seg = pos[keep], role[keep], seg[keep]
    # texts with double quotes only: no state machine (_double_spans); texts with single quotes
    # only: bracket matching (_single_spans); texts with both, or an ambiguous mark: the machine
    has_single = np.zeros(n, dtype=bool)
    has_single[seg[role == OPEN_S]] = True
    has_double = np.zeros(n, dtype=bool)
    has_double[seg[(role == OPEN_D) | (role == CLOSE_D)]] = True
    ambiguous = np.zeros(n, dtype=bool)
    ambiguous[seg[role == EITHER_D]] = True
    kind = np.where(ambiguous | has_single & has_double, 2, np.where(has_single, 1, 0))[seg]
    doubles = (kind == 0) & (role != NEWLINE)  # a continuing paragraph changes nothing here
    singles = (kind == 1) & (role != OPEN_D) & (role != CLOSE_D)
    mixed = kind == 2
    parts = [_double_spans(pos[doubles], role[doubles], seg[doubles], chunk.ends),
             _single_spans(pos[singles], role[singles], seg[singles]),
             _stack_spans(pos[mixed], role[mixed], seg[mixed], chunk.ends)]
    qs = np.concatenate([p[0] for p in parts])
    qe = np.concatenate([p[1] for p in parts])
    order = np.lexsort((qe, qs))
    return qs[order], qe[order]


def _single_spans(pos, role, seg) -> tuple[np.ndarray, np.ndarray]:
    """Spans of texts whose marks are only single quotes and line breaks: bracket matching.

    A closing mark closes the innermost open single quotation, if any; a line break or the end of
    the text drops the open ones. The depth of nesting is a running sum floored at zero (closing
    marks that close nothing are ignored); each effective closing mark pairs with the last opening
    mark at its depth.
    """
    if not len(pos):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    breaks = (role == NEWLINE) | (role == BREAK)
    run = np.cumsum(np.concatenate(([True], (seg[1:] != seg[:-1]) | breaks[1:])))  # reset points
    step = np.where(role == OPEN_S, 1, np.where(role == CLOSE_S, -1, 0))
    total = np.cumsum(step)
    first = np.concatenate(([0], np.flatnonzero(np.diff(run)) + 1))
    base = (total - step)[first][run - 1]  # the running sum before each run
    level = total - base
    span = 2 * (len(pos) + 1)
    floor = np.minimum(np.minimum.accumulate(level - span * run) + span * run, 0)
    depth = level - floor  # open single quotations after each mark
    before = np.where(np.concatenate(([True], run[1:] != run[:-1])), 0, np.roll(depth, 1))
    opening = role == OPEN_S
    closing = (role == CLOSE_S) & (before > 0)
    events = np.flatnonzero(opening | closing)
    height = np.where(opening, depth, before)[events]
    order = np.lexsort((pos[events], height, run[events]))
    events, height = events[order], height[order]
    # within a run and a depth, opening and closing marks alternate: each closing mark's
    # opening one comes right before it
    pair = np.flatnonzero(closing[events][1:]) + 1
    return pos[events[pair - 1]], pos[events[pair]] + 1


def _stack_spans(pos, role, seg, ends) -> tuple[np.ndarray, np.ndarray]:
    """The state machine of :func:`framing.voice._quote_spans` over pre-classified marks.

    The stack holds the positions of open quotation marks, single ones as ``~position``; the
    number of each kind on it is kept to skip closing marks that close nothing.
    """
    starts_out: list[int] = []
    ends_out: list[int] = []
    add_s, add_e = starts_out.append, ends_out.append
    stack: list[int] = []
    n_double = n_single = 0
    current = -1
    for i, r, s in zip(pos.tolist(), role.tolist(), seg.tolist(), strict=True):
        if s != current:
            for p in stack:  # a double quotation left open runs to the end of its text
                if p >= 0:
                    add_s(p)
                    add_e(int(ends[current]))
            stack = []
            n_double = n_single = 0
            current = s
        if r == EITHER_D:
            r = CLOSE_D if n_double else OPEN_D
        if r == OPEN_S:
            stack.append(~i)
            n_single += 1
        elif r == CLOSE_S:
            if n_single:  # close the last single quotation and any double one opened inside it
                k = len(stack) - 1
                while stack[k] >= 0:
                    k -= 1
                for p in stack[k:]:
                    add_s(p if p >= 0 else ~p)
                    add_e(i + 1)
                n_double -= len(stack) - 1 - k
                n_single -= 1
                del stack[k:]
        elif r == OPEN_D:
            if not (stack and stack[-1] >= 0):  # else a new paragraph of the same quotation
                stack.append(i)
                n_double += 1
        elif r == CLOSE_D:
            if n_double:  # close the last double quotation and any single one opened inside it
                k = len(stack) - 1
                while stack[k] < 0:
                    k -= 1
                for p in stack[k:]:
                    add_s(p if p >= 0 else ~p)
                    add_e(i + 1)
                n_single -= len(stack) - 1 - k
                n_double -= 1
                del stack[k:]
        elif stack:  # a line break: single quotations end; double ones end unless continued
            kept = []
            for p in stack:
                if p >= 0 and r == NEWLINE:
                    kept.append(p)
                elif p >= 0:
                    add_s(p)
                    add_e(i)
            stack = kept
            n_double, n_single = len(kept), 0
    for p in stack:
        if p >= 0:
            add_s(p)
            add_e(int(ends[current]))
    return np.asarray(starts_out, dtype=np.int64), np.asarray(ends_out, dtype=np.int64)


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
    """The attribution check of one chunk's hits (``voice._attributed``), with the trigger prefilter."""

    def __init__(self, chunk: Chunk, language: str, kinds: list | None, frame_ends: np.ndarray | None,
                 frame_words: list | None):
        self.chunk, self.kinds, self.ends, self.words = chunk, kinds, frame_ends, frame_words
        self.attribution = _attribution(language)
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
        spans = zip(first.tolist(), last.tolist(), lo.tolist(), strict=True) if first is not None else None
        for k, piece, a, b in zip(where.tolist(), chunk.strings(lo, hi), (s - lo).tolist(), (e - lo).tolist(),
                                  strict=True):
            found = None
            if spans is not None:  # the trigger words around the hit, in the piece's offsets
                i, j, base = next(spans)
                found = [(ends[x] - base, words[x]) for x in range(i, j)]
            if _attributed(piece, a, b, kinds[k] if kinds is not None else None, attribution, found) is not None:
                voices[k] = attributed

    def _attribute_fast(self, seg, start, end, voices, where) -> None:
        """``attribute`` with the work of ``voice._attributed`` done for all hits at once where it can be.

        The same results (tests/test_fast_paths.py): each hit's windows (its sentence before and
        after it, ``voice._LAST_BREAK`` and ``_SENTENCE_BREAK``) come from the chunk's sentence
        breaks (``_sentence_breaks``); the frames to try, in order, are those for the hit's kind
        with one of their trigger words in a window, and, for a frame whose matches start with
        a trigger word (``_Frame.first_words``), with such a word in the window before; those
        frames are matched where such a word starts (the first place the search would find),
        the others searched for as ``_attributed`` does.
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
        cut, stop = lo, hi  # the windows: [cut, s) before the hit, [e, stop) after it
        breaks_start, breaks_end = _sentence_breaks(chunk)
        if len(breaks_start):
            j = np.searchsorted(breaks_end, s, side="right") - 1  # the last break ending at or before the hit
            jj = np.maximum(j, 0)
            cut = np.where((j >= 0) & (breaks_start[jj] >= lo), breaks_end[jj], lo)
            k = np.searchsorted(breaks_start, e, side="left")  # the first break starting at or after its end
            kk = np.minimum(k, len(breaks_start) - 1)
            stop = np.where((k < len(breaks_start)) & (breaks_end[kk] <= hi), breaks_start[kk], hi)
        kinds = (self._kind_codes()[where] if self.kinds is not None
                 else np.full(len(where), _kind_code("naming"), dtype=np.int64))
        frames = attribution.frames
        todo = np.zeros(len(where), dtype=np.int64)  # bit f: frame f is to be tried
        candidates = []  # per frame with first words: (starts, ends, first, last) of those words
        present: dict[int, np.ndarray] = {}  # frames with the same trigger words share their arrays
        for f, (frame, (ends, first_starts, first_ends)) in enumerate(zip(frames, self._frame_triggers(),
                                                                          strict=True)):
            if id(ends) not in present:
                present[id(ends)] = (
                    (np.searchsorted(ends, s, side="right") > np.searchsorted(ends, cut, side="right"))
                    | (np.searchsorted(ends, stop, side="right") > np.searchsorted(ends, e, side="right")))
            ok = present[id(ends)] & np.isin(kinds, [_kind_code(k) for k in frame.kinds])
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


def _plain_paths() -> bool:
    """True when framing.match runs its plain code paths (the reference of the fast ones)."""
    import framing.match

    return framing.match._REFERENCE


def _sentence_breaks(chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) in chunk character offsets of every match of ``voice._SENTENCE_BREAK``.

    ``.``, ``!``, ``?``, ``;`` or ``:`` before a whitespace character (``str.isspace``, as the
    regex's ``\\s``; end: after it), and every line break. Sorted by start (then end; the ends
    grow with the starts).
    """
    cached = chunk.__dict__.get("_sentence_breaks")
    if cached is not None:
        return cached
    from framing._chunk import LANDMARK
    from framing._strings import _is_space

    pos, kind = chunk.landmarks
    is_punct = np.zeros(256, dtype=bool)
    is_punct[[LANDMARK[c] for c in ".!?;:"]] = True
    punct = pos[is_punct[kind]]
    punct = punct[_is_space(chunk.code_points(punct + 1))]
    lines = pos[kind == LANDMARK["\n"]]
    starts = np.concatenate((chunk.to_chars(punct), chunk.to_chars(lines)))
    ends = starts + np.concatenate((np.full(len(punct), 2), np.ones(len(lines)))).astype(np.int64)
    order = np.lexsort((ends, starts))
    chunk.__dict__["_sentence_breaks"] = out = (starts[order], ends[order])
    return out


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
    """Voices of the other hits inside quotations: the rules of ``_Analyzer.voice``.

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
    """For each quotation span (sorted, distinct): does it hold only lexicon terms (``voice._is_scare``)?

    ``start``, ``end``: every hit of the chunk, sorted by start (the terms a quotation may hold);
    ``disjoint``: no span holds another. Quotations with other words before their first term (or,
    when disjoint, after their last one) are told from the bytes; the others get ``_is_scare``.
    """
    if not spans:
        return {}
    cues = _cues(language)
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
        out[(s, e)] = _is_scare(quote, cues, (0, e - s), inner)
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
    from framing.voice import _cue_spec

    fillers = _cue_spec(language).get("scare_quote_fillers", [])
    return 4 * max([len(f) for f in fillers] + [0])  # at most 4 bytes per character


def _long_heads(chunk: Chunk, quote_start: np.ndarray, term_start: np.ndarray, language: str) -> np.ndarray:
    """True where the words between a quotation mark and the first term are too long to be a
    scare-quote filler (so the quotation is no scare quote); False where unsure."""
    from framing._chunk import PAD

    a = chunk.padded
    p = chunk.to_bytes(quote_start)
    p = p + _utf8_width(chunk.code_points(p))  # after the quotation mark
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
    cues = _cues(language)
    seg_start = chunk.starts[seg]
    if cue_ends is None:
        check = np.arange(len(seg))
    else:
        lo = np.maximum(seg_start, start - CUE_WINDOW)
        check = np.flatnonzero(np.searchsorted(cue_ends, end, side="right")
                               > np.searchsorted(cue_ends, lo, side="right"))
    inside_cache: dict[str, bool] = {}
    distanced = VOICES.index("distanced")
    window_start = np.maximum(seg_start, start - CUE_WINDOW)[check]  # the cue window, then the match
    for k, piece, at in zip(check.tolist(), chunk.strings(window_start, end[check]),
                            (start[check] - window_start).tolist(), strict=True):
        term = piece[at:]
        found = inside_cache.get(term)
        if found is None:
            found = inside_cache[term] = cues.inside.search(term) is not None
        if found or _cue_before(cues, piece, at):
            voices[where[k]] = distanced


_CLOSING_MARKS = np.fromiter(map(ord, "\"'”’»›"), dtype=np.int64)
_TAIL = _ASCII_SPACE.copy()  # ASCII bytes a possessive tail may hold after its 's
_TAIL[np.frombuffer(b",.;:!?", dtype=np.uint8)] = True


def _words_after(chunk: Chunk, last_end: np.ndarray, quote_end: np.ndarray) -> np.ndarray:
    """True where a quotation certainly holds other words after its last term; False where unsure.

    ``voice._is_scare``'s tail: an optional 's, then spaces and punctuation, then the closing mark.
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
