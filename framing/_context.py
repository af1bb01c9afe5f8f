"""Sentences around many hits at once: the results of ``framing.match.sentence_at``, vectorised.

``sentence_at`` walks back from a hit to the last sentence end and forward to the next one, with
regular expressions, checking each period for an abbreviation. Here every possible sentence end
of a chunk is found once, from its bytes, and classified (does it end a sentence when read
backwards, forwards, is its period an abbreviation's); each hit then needs two
``np.searchsorted`` lookups. Tests check both give the same sentences.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from framing._chunk import LANDMARK, PAD, Chunk

__all__ = ["sentence_bounds"]

_CLOSERS = b"\"')]"  # ASCII closing marks allowed after . ! ? (and ” ’)


def _byte_set(chars: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(chars, dtype=np.uint8)] = True
    return table


_ASCII_CLOSER = _byte_set(_CLOSERS)
_LETTER_OR_DOT = _byte_set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
_UPPER = _byte_set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWERCASE = np.uint64(0x2020202020202020)


def _closer_run_end(a: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Byte offset after the run of closing quotes/brackets starting at each byte offset."""
    q = q.copy()
    active = np.arange(len(q))
    while len(active):
        at = q[active] + PAD
        b = a[at]
        step = _ASCII_CLOSER[b].astype(np.int64)
        curly = np.flatnonzero(b == 0xE2)
        if len(curly):  # ” or ’
            third = a[at[curly] + 2]
            step[curly] = np.where((a[at[curly] + 1] == 0x80) & ((third == 0x9D) | (third == 0x99)), 3, 0)
        moving = step > 0
        q[active[moving]] += step[moving]
        active = active[moving]
    return q


def _space_width(a: np.ndarray, q: np.ndarray, newline: bool) -> np.ndarray:
    """Byte width of the space, tab, no-break space (or, with ``newline``, line break) at q; 0 if none."""
    b = a[q + PAD]
    one = (b == 0x20) | (b == 0x09)
    if newline:
        one |= b == 0x0A
    return np.where(one, 1, np.where((b == 0xC2) & (a[q + PAD + 1] == 0xA0), 2, 0))


def _abbreviations(chunk: Chunk, dots: np.ndarray) -> np.ndarray:
    """``_abbreviation_before`` of the periods at these byte offsets.

    The word before a period is read from the 8 bytes before it when it is ASCII; when a
    non-ASCII character may belong to it, Python decides.
    """
    from framing.match import _ABBREVIATIONS

    longest = max(map(len, _ABBREVIATIONS))
    out = np.zeros(len(dots), dtype=bool)
    if not len(dots):
        return out
    if longest > 6:  # too long to read from 8 bytes: Python decides every period
        return _python_abbreviations(chunk, dots)
    before = chunk.words8[dots + PAD - 8]  # the 8 bytes before each period (the last is highest)
    run = np.zeros(len(dots), dtype=np.int64)  # ASCII letters and periods right before the period
    going = np.ones(len(dots), dtype=bool)
    for k in range(1, 8):
        going &= _LETTER_OR_DOT[(before >> np.uint64(64 - 8 * k)) & np.uint64(0xFF)]
        run += going
    edge = ((before >> (np.uint64(64) - np.uint64(8) * (run + 1).astype(np.uint64))) & np.uint64(0xFF))
    edge[run >= 7] = 0x20  # the byte before the run
    python = (run <= longest) & (edge >= 0x80)
    ascii_word = np.flatnonzero((run >= 1) & (run <= longest) & (edge < 0x80))
    if len(ascii_word):
        n = run[ascii_word].astype(np.uint64)
        keys = (before[ascii_word] >> (np.uint64(64) - np.uint64(8) * n)) | _LOWERCASE  # the word, lowercased
        keys &= (np.uint64(1) << (np.uint64(8) * n)) - np.uint64(1)
        known = _known_abbreviations()
        found = known[np.minimum(np.searchsorted(known, keys), len(known) - 1)] == keys
        single_upper = (n == 1) & _UPPER[(before[ascii_word] >> np.uint64(56)).astype(np.int64)]
        out[ascii_word] = found | single_upper
    if python.any():
        idx = np.flatnonzero(python)
        out[idx] = _python_abbreviations(chunk, dots[idx])
    return out


def _python_abbreviations(chunk: Chunk, dots: np.ndarray) -> np.ndarray:
    """``_abbreviation_before`` of the periods at these byte offsets, in Python."""
    from framing.match import _abbreviation_before

    seg, local = chunk.local(chunk.to_chars(dots))
    texts = chunk.texts
    return np.array([_abbreviation_before(texts[s], c) for s, c in zip(seg.tolist(), local.tolist(), strict=True)],
                    dtype=bool)


@lru_cache(maxsize=1)
def _known_abbreviations() -> np.ndarray:
    from framing.match import _ABBREVIATIONS

    return np.array(sorted({_pack(w) for w in _ABBREVIATIONS}), dtype=np.uint64)


def _pack(word: str) -> int:
    """Bytes of an ASCII word, lowercased, first byte lowest ('.' stays '.': 0x2e | 0x20 = 0x2e)."""
    return sum((b | 0x20) << (8 * k) for k, b in enumerate(word.encode("ascii")))


class _Ends:
    """Every possible sentence end of a chunk, read backwards and forwards (byte offsets)."""

    def __init__(self, chunk: Chunk):
        a = chunk.padded
        pos, kind = chunk.landmarks
        punct = pos[(kind >= LANDMARK["."]) & (kind <= LANDMARK["?"])]
        breaks = pos[kind == LANDMARK["\n"]]
        seg_end = chunk.byte_ends[chunk.segment_of_byte(punct)]
        r = _closer_run_end(a, punct + 1)
        space = _space_width(a, r, newline=False)
        # backwards (_LAST_END): punctuation, closers, then spaces; the sentence starts after them
        back = (space > 0) & (r < seg_end)
        # forwards (_NEXT_END): punctuation, closers, then a space, line break or the end of the text
        fwd = (r == seg_end) | (space > 0) | (a[r + PAD] == 0x0A)
        is_dot = a[punct + PAD] == ord(".")
        check = np.flatnonzero(is_dot & (back | fwd))
        abbrev = np.zeros(len(punct), dtype=bool)
        abbrev[check] = _abbreviations(chunk, punct[check])
        back &= ~abbrev
        fwd &= ~abbrev
        # backwards: where the mark starts, where its first space ends (the sentence starts there,
        # give or take spaces that strip() removes)
        self.back_at, self.back_first = _merge((punct[back], r[back] + space[back]), (breaks, breaks + 1))
        # forwards: where the mark starts, where the sentence ends
        self.fwd_at, self.fwd_end = _merge((punct[fwd], r[fwd]), (breaks, breaks))


def _merge(*columns: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Concatenate parallel arrays and sort them by the first."""
    merged = [np.concatenate(parts) for parts in zip(*columns, strict=True)]
    order = np.argsort(merged[0], kind="stable")
    return tuple(m[order] for m in merged)


def sentence_bounds(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray,
                    limit: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (chunk character offsets) of the sentence around each hit, as sentence_at.

    ``joined[s:e].strip()`` is ``sentence_at(text, start, end)`` (``s`` may be before spaces
    that ``sentence_at`` skips).
    """
    s, e = sentence_byte_bounds(chunk, seg, start, end, chunk.to_bytes(start), chunk.to_bytes(end), limit)
    return chunk.to_chars(s), chunk.to_chars(e)


def sentence_byte_bounds(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray,
                         a: np.ndarray, b: np.ndarray, limit: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """``sentence_bounds`` in byte offsets; ``a``, ``b``: the hits' byte offsets."""
    ends = _Ends(chunk)
    lo = chunk.to_bytes(np.maximum(chunk.starts[seg], start - limit))
    hi = chunk.to_bytes(np.minimum(chunk.ends[seg], end + limit))
    # the last end mark before the hit whose first space is before it too (back_first increases)
    s = lo.copy()
    k = np.searchsorted(ends.back_first, a, side="right") - 1
    found = np.flatnonzero(k >= 0)
    found = found[ends.back_at[k[found]] >= lo[found]]
    s[found] = ends.back_first[k[found]]
    # the first end mark at or after the end of the hit
    e = hi.copy()
    k = np.searchsorted(ends.fwd_at, b, side="left")
    found = np.flatnonzero(k < len(ends.fwd_at))
    found = found[ends.fwd_at[k[found]] < hi[found]]
    e[found] = np.minimum(ends.fwd_end[k[found]], hi[found])
    return s, e
