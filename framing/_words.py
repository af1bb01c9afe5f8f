"""The word of ``n_words``: ``\\w+`` runs joined by one ' ’ or - (the corpus' ``n_words`` column, the
vectorizer's per-1k-words norm and the cleaning summary's words removed count the same words).

Below the corpus and cleaning stages, so both use it without importing each other.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from framing._chunk import utf8_code_points

__all__ = ["WORD", "n_words", "n_words_arrow", "word_chars"]

WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@lru_cache(maxsize=1)
def word_chars() -> np.ndarray:
    """For every code point, whether ``re``'s ``\\w`` matches it (``str.isalnum()`` or ``_``)."""
    table = np.fromiter((chr(i).isalnum() for i in range(0x110000)), dtype=bool, count=0x110000)
    table[ord("_")] = True
    return table


def n_words(texts, batch_chars: int = 1_000_000) -> np.ndarray:
    """Words per text: the number of matches of ``WORD`` (``\\w+`` runs, joined by one ' ’ or -).

    Counted on code-point arrays with numpy, in batches of about ``batch_chars`` characters: word
    runs that start, minus joiners with a word character on both sides. 5x faster than
    ``len(WORD.findall(t))``, and the same numbers (tested).
    """
    texts = list(texts)
    out = np.zeros(len(texts), dtype=np.int64)
    is_word = word_chars()
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (size == 0 or size + len(texts[stop]) < batch_chars):
            size += len(texts[stop]) + 1
            stop += 1
        joined = "\n".join(texts[start:stop]) + "\n"
        cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        w = is_word[cps]
        # +1 where a word run starts (the first character of a text follows the separator "\n")
        step = np.empty(len(w), dtype=np.int8)
        step[0] = w[0]
        np.greater(w[1:], w[:-1], out=step[1:])
        # -1 after a joiner with a word character on both sides: its two runs are one word
        glued = (cps[1:-1] == ord("'")) | (cps[1:-1] == ord("’")) | (cps[1:-1] == ord("-"))  # faster than np.isin
        glued &= w[:-2]
        glued &= w[2:]
        step[2:] -= glued
        firsts = np.zeros(stop - start, dtype=np.int64)  # where each text starts in the batch
        np.cumsum([len(t) + 1 for t in texts[start:stop - 1]], out=firsts[1:])
        out[start:stop] = np.add.reduceat(step, firsts, dtype=np.int64)
        start = stop
    return out


def n_words_arrow(array) -> np.ndarray:
    """Words per text of an Arrow string array (or chunked array): the numbers of ``n_words``, counted on
    the array's UTF-8 bytes, with no Python string and no re-encoding (a null counts 0 words).

    ASCII bytes are classified with byte arithmetic; only the lead bytes of non-ASCII characters are
    decoded and looked up in ``word_chars`` (their continuation bytes take the lead's class, so a
    character is one unit). Word runs that start, minus joiners (' - one byte, ’ three) with a word
    character on both sides, per text. About 2x faster than ``n_words`` on news text (tested equal).

    >>> import pyarrow as pa
    >>> n_words_arrow(pa.array(["Kyiv’s mayor said", "", None, "a-b - c"])).tolist()
    [3, 0, 0, 2]
    """
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        parts = [_n_words_utf8(c) for c in array.chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return _n_words_utf8(array)


_BLOCK = 1 << 17  # bytes classified at a time (scratch arrays that stay in the CPU cache)


def _n_words_utf8(arr) -> np.ndarray:
    import pyarrow as pa

    n = len(arr)
    if pa.types.is_large_string(arr.type):
        odt = np.int64
    elif pa.types.is_string(arr.type):
        odt = np.int32
    else:
        raise TypeError(f"n_words_arrow needs an Arrow string array, not {arr.type}")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    _, obuf, dbuf = arr.buffers()
    o = np.frombuffer(obuf, dtype=odt, count=n + 1, offset=arr.offset * np.dtype(odt).itemsize).astype(np.int64)
    base, top = int(o[0]), int(o[-1])
    o -= base
    if arr.null_count:  # a null's bytes (if any) are no text
        null = np.asarray(arr.is_null(), dtype=bool)
    else:
        null = None
    size = top - base
    if size == 0 or dbuf is None:
        return np.zeros(n, dtype=np.int64)
    b = np.frombuffer(dbuf, dtype=np.uint8, count=size, offset=base)
    # ASCII word bytes: letters (b | 0x20 in a..z), digits, "_"; a byte >= 0x80 is none of them here.
    # In blocks that stay in the CPU cache, into two scratch arrays; also where the non-ASCII characters
    # (lead bytes) and the one-byte joiners ' and - are
    w = np.empty(size, dtype=bool)
    t = np.empty(min(size, _BLOCK), dtype=np.uint8)
    m = np.empty(min(size, _BLOCK), dtype=bool)
    leads, joiners = [], []
    for a in range(0, size, _BLOCK):
        bb = b[a:a + _BLOCK]
        k = len(bb)
        tt, mm, ww = t[:k], m[:k], w[a:a + k]
        np.bitwise_or(bb, 0x20, out=tt)
        np.subtract(tt, 97, out=tt)
        np.less(tt, 26, out=ww)
        np.subtract(bb, 48, out=tt)
        np.less(tt, 10, out=mm)
        ww |= mm
        np.equal(bb, 95, out=mm)
        ww |= mm
        np.greater_equal(bb, 0xC0, out=mm)
        leads.append(np.flatnonzero(mm) + a)
        np.equal(bb, 39, out=mm)
        np.logical_or(mm, np.equal(bb, 45, out=tt.view(bool)), out=mm)
        joiners.append(np.flatnonzero(mm) + a)
    lead = np.concatenate(leads)  # the first byte of each non-ASCII character
    curly = None
    if len(lead):
        b0 = b[lead]
        width = 2 + (b0 >= 0xE0) + (b0 >= 0xF0)
        cp = utf8_code_points(b, lead)
        wl = word_chars()[cp]
        w[lead] = wl
        for k in (1, 2, 3):
            more = width > k
            w[lead[more] + k] = wl[more]
        curly = lead[cp == 0x2019]
    start = np.empty(size, dtype=bool)  # where a word run starts
    start[0] = w[0]
    np.greater(w[1:], w[:-1], out=start[1:])
    lo, hi = o[:-1], o[1:]
    full = np.flatnonzero(lo < hi)
    start[lo[full]] = w[lo[full]]  # a text's first character starts a run if it is a word character
    counts = np.zeros(n, dtype=np.int64)
    if len(full) * 64 < size:  # long texts: one C count each
        counts[full] = [np.count_nonzero(start[a:c]) for a, c in zip(lo[full].tolist(), hi[full].tolist(), strict=True)]
    else:  # many short texts: one reduction (empty texts hold no byte, so the non-empty ones tile the bytes)
        counts[full] = np.add.reduceat(start.view(np.int8), lo[full], dtype=np.int64)
    for pos, width_j in ((np.concatenate(joiners), 1), (curly, 3)):
        if pos is None or not len(pos):
            continue
        pos = pos[(pos > 0) & (pos + width_j < size)]
        k = np.searchsorted(o, pos, side="right") - 1  # the text of each joiner
        glued = (pos > o[k]) & (pos + width_j < o[k + 1]) & w[pos - 1] & w[pos + width_j]
        counts -= np.bincount(k[glued], minlength=n)
    if null is not None:
        counts[null] = 0
    return counts
