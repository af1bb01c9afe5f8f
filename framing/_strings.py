"""The text columns of the hits table (match, sentence, left, right) straight from a chunk's bytes.

Each string is a byte range of the chunk's UTF-8 buffer. Where pandas keeps strings in Arrow
(pandas >= 3 infers ``str``), the ranges become an Arrow string-view array over that buffer, cast
to an ordinary string array: no Python string per hit. Elsewhere the strings are sliced in Python.
Either way the values are those of ``framing.match``'s reference code: ``one_line`` (whitespace
runs to one space) applies to the few strings holding a line break or tab, computed in Python.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from framing._chunk import PAD, Chunk

__all__ = ["arrow_strings", "string_column", "text_columns"]


@lru_cache(maxsize=1)
def _inferred_string_dtype():
    import pandas as pd

    return pd.Series(["x"]).dtype


def arrow_strings() -> bool:
    """True when pandas infers an Arrow-backed dtype for a list of str (pandas >= 3)."""
    dtype = _inferred_string_dtype()
    return getattr(dtype, "storage", None) == "pyarrow"


def string_column(values):
    """A pandas Series of the strings (an Arrow array or a list), with the dtype pandas infers."""
    import pandas as pd

    if isinstance(values, list):
        return pd.Series(values)
    return pd.Series(pd.array(values, dtype=_inferred_string_dtype()))


_SPACE_TABLE = 0x3001  # no code point above U+3000 is whitespace


@lru_cache(maxsize=1)
def _whitespace() -> np.ndarray:
    """Per code point below _SPACE_TABLE: does ``str.isspace`` (and so ``str.strip``) treat it as space?"""
    return np.array([chr(c).isspace() for c in range(_SPACE_TABLE)], dtype=bool)


def _is_space(cp: np.ndarray) -> np.ndarray:
    return (cp < _SPACE_TABLE) & _whitespace()[np.minimum(cp, _SPACE_TABLE - 1)]


def _strip(chunk: Chunk, s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Byte ranges without leading and trailing whitespace (``str.strip``)."""
    s, e = s.copy(), e.copy()
    active = np.flatnonzero(s < e)
    while len(active):  # leading
        cp = chunk.code_points(s[active])
        is_space = _is_space(cp)
        active = active[is_space]
        s[active] += _utf8_width(cp[is_space])
        active = active[s[active] < e[active]]
    active = np.flatnonzero(s < e)
    while len(active):  # trailing
        last = chunk.char_start_before(e[active])
        is_space = _is_space(chunk.code_points(last))
        active = active[is_space]
        e[active] = last[is_space]
        active = active[s[active] < e[active]]
    return s, e


def _utf8_width(cp: np.ndarray) -> np.ndarray:
    return 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000)


_LOW_MASKS = np.array([(1 << (8 * min(n, 8))) - 1 for n in range(13)], dtype=np.uint64)  # bytes 0-7 in use
_HIGH_MASKS = np.array([(1 << (8 * max(0, n - 8))) - 1 for n in range(13)], dtype=np.uint64)  # bytes 8-11


def _views(chunk: Chunk, s: np.ndarray, e: np.ndarray):
    """An Arrow string array of the byte ranges [s, e) of the chunk's buffer.

    Arrow's string views are 16 bytes: the length, then either the string itself (up to 12
    bytes, zero-padded) or its first 4 bytes, the buffer number (0) and the offset.
    """
    import pyarrow as pa

    length = e - s
    words = chunk.words8
    first8, next8 = words[s + PAD], words[s + 8 + PAD]
    size = np.minimum(length, 12)
    head = first8 & _LOW_MASKS[size]
    views = np.empty((len(s), 2), dtype="<u8")
    views[:, 0] = length.astype(np.uint64) | (head << np.uint64(32))
    inline = (head >> np.uint64(32)) | ((next8 & _HIGH_MASKS[size]) << np.uint64(32))
    views[:, 1] = np.where(length <= 12, inline, s.astype(np.uint64) << np.uint64(32))
    array = pa.Array.from_buffers(pa.string_view(), len(s), [None, pa.py_buffer(views), pa.py_buffer(chunk.buf)])
    return array.cast(pa.large_string())


def _has_line_break(chunk: Chunk, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """True for the byte ranges holding a line break or a tab."""
    breaks = chunk.line_breaks
    return np.searchsorted(breaks, e, side="left") > np.searchsorted(breaks, s, side="left")


def _column(chunk: Chunk, s: np.ndarray, e: np.ndarray, fix, use_arrow: bool):
    """The strings of the byte ranges; ``fix`` (or None) rewrites those with a line break."""
    buf = chunk.buf
    broken = np.flatnonzero(_has_line_break(chunk, s, e)) if fix is not None else np.zeros(0, dtype=np.int64)
    fixed = [fix(buf[a:b].decode("utf-8")) for a, b in zip(s[broken].tolist(), e[broken].tolist(), strict=True)]
    if not use_arrow:
        out = [buf[a:b].decode("utf-8") for a, b in zip(s.tolist(), e.tolist(), strict=True)]
        for k, value in zip(broken.tolist(), fixed, strict=True):
            out[k] = value
        return out
    array = _views(chunk, s, e)
    if len(broken):
        import pyarrow as pa
        import pyarrow.compute as pc

        mask = np.zeros(len(s), dtype=bool)
        mask[broken] = True
        array = pc.replace_with_mask(array, pa.array(mask), pa.array(fixed, type=pa.large_string()))
    return array


def text_columns(chunk: Chunk, a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                 s: np.ndarray, e: np.ndarray, one_line) -> dict:
    """match, sentence, left and right of each hit, from byte ranges of the chunk.

    ``[a, b)``: the match; ``[lo, a)`` and ``[b, hi)``: the context; ``[s, e)``: the sentence
    before stripping; ``one_line``: ``framing.match.scan.one_line``.
    """
    use_arrow = arrow_strings()
    s, e = _strip(chunk, s, e)
    return {
        "match": _column(chunk, a, b, None, use_arrow),
        "sentence": _column(chunk, s, e, lambda t: one_line(t.strip()), use_arrow),
        "left": _column(chunk, lo, a, one_line, use_arrow),
        "right": _column(chunk, b, hi, one_line, use_arrow),
    }
