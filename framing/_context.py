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
    texts: dict[int, str] = {}
    out = np.zeros(len(dots), dtype=bool)
    for k, (s, c) in enumerate(zip(seg.tolist(), local.tolist(), strict=True)):
        if s not in texts:
            texts[s] = chunk.text(s)
        out[k] = _abbreviation_before(texts[s], c)
    return out


@lru_cache(maxsize=1)
def _known_abbreviations() -> np.ndarray:
    from framing.match import _ABBREVIATIONS

    return np.array(sorted({_pack(w) for w in _ABBREVIATIONS}), dtype=np.uint64)


def _pack(word: str) -> int:
    """Bytes of an ASCII word, lowercased, first byte lowest ('.' stays '.': 0x2e | 0x20 = 0x2e)."""
    return sum((b | 0x20) << (8 * k) for k, b in enumerate(word.encode("ascii")))


_UNKNOWN, _NOT_AN_END = -2, -1


class _Ends:
    """The possible sentence ends of a chunk (. ! ? and line breaks), classified when first needed.

    For each: ``back[k]``, where a sentence starts after it (read backwards, ``_LAST_END``), and
    ``fwd[k]``, where a sentence ends with it (read forwards, ``_NEXT_END``); ``_NOT_AN_END``
    when it ends no sentence that way, ``_UNKNOWN`` until classified. Byte offsets.
    """

    def __init__(self, chunk: Chunk):
        pos, kind = chunk.landmarks
        wanted = (kind >= LANDMARK["."]) & (kind <= LANDMARK["?"]) | (kind == LANDMARK["\n"])
        self.chunk = chunk
        self.at = pos[wanted]
        self.is_break = kind[wanted] == LANDMARK["\n"]
        self.back = np.full(len(self.at), _UNKNOWN, dtype=np.int64)
        self.fwd = np.full(len(self.at), _UNKNOWN, dtype=np.int64)
        self._seen = np.zeros(len(self.at), dtype=bool)

    def classify(self, k: np.ndarray) -> None:
        """Fill ``back`` and ``fwd`` for the marks ``k`` (indices into ``at``)."""
        k = k[self.back[k] == _UNKNOWN]
        if not len(k):
            return
        self._seen[k] = True  # each mark once
        k = np.flatnonzero(self._seen)
        self._seen[k] = False
        a, p = self.chunk.padded, self.at[k]
        breaks = self.is_break[k]
        r = _closer_run_end(a, p + 1)
        space = _space_width(a, r, newline=False)
        text_end = np.zeros(len(k), dtype=bool)  # the closers reach the end of the text
        maybe = np.flatnonzero(a[r + PAD] == 0)  # a separator (or a NUL inside a text)
        text_end[maybe] = r[maybe] == self.chunk.byte_ends[self.chunk.segment_of_byte(p[maybe])]
        # backwards: punctuation, closers, then spaces; the sentence starts after the first space
        # (give or take spaces that strip() removes)
        back = space > 0
        # forwards: punctuation, closers, then a space, a line break or the end of the text
        fwd = text_end | (space > 0) | (a[r + PAD] == 0x0A)
        dots = np.flatnonzero(~breaks & (a[p + PAD] == ord(".")) & (back | fwd))
        abbreviation = np.zeros(len(k), dtype=bool)
        abbreviation[dots] = _abbreviations(self.chunk, p[dots])
        self.back[k] = np.where(breaks, p + 1, np.where(back & ~abbreviation, r + space, _NOT_AN_END))
        self.fwd[k] = np.where(breaks, p, np.where(fwd & ~abbreviation, r, _NOT_AN_END))


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
    """``sentence_bounds`` in byte offsets; ``a``, ``b``: the hits' byte offsets.

    Walks from each hit to the nearest mark that ends a sentence, backwards (not before ``limit``
    characters back) and forwards (not past ``limit`` characters on); only the marks visited
    are classified.
    """
    ends = chunk.__dict__.get("_sentence_ends")
    if ends is None:  # one per chunk: the context rules and the context strings classify the same marks
        ends = chunk.__dict__["_sentence_ends"] = _Ends(chunk)
    at = ends.at
    lo = chunk.to_bytes(np.maximum(chunk.starts[seg], start - limit))
    hi = chunk.to_bytes(np.minimum(chunk.ends[seg], end + limit))
    if not len(at):
        return lo, hi
    # backwards: the last mark before the hit whose sentence start is at or before the hit
    s = lo.copy()
    k = np.searchsorted(at, a, side="left") - 1
    active = np.arange(len(a))
    while len(active):
        active = active[(k[active] >= 0) & (at[np.maximum(k[active], 0)] >= lo[active])]
        ends.classify(k[active])
        after = ends.back[k[active]]
        found = (after >= 0) & (after <= a[active])
        s[active[found]] = after[found]
        active = active[~found]
        k[active] -= 1
    # forwards: the first mark at or after the end of the hit that ends a sentence
    e = hi.copy()
    k = np.searchsorted(at, b, side="left")
    active = np.arange(len(b))
    while len(active):
        active = active[(k[active] < len(at)) & (at[np.minimum(k[active], len(at) - 1)] < hi[active])]
        ends.classify(k[active])
        until = ends.fwd[k[active]]
        found = until >= 0
        e[active[found]] = np.minimum(until[found], hi[active[found]])
        active = active[~found]
        k[active] += 1
    return s, e
