"""A batch of texts joined for one scan: their UTF-8 bytes and offset maps.

Everything the matcher computes per batch (raw matches, quotation marks, sentence ends) is found
with vectorised passes over the UTF-8 bytes and converted to character offsets into the joined
text, from which each text's own offsets follow by subtracting its start.
"""

from __future__ import annotations

from functools import cached_property, lru_cache

import numpy as np

SEPARATOR = "\x00"  # joins texts in one scan buffer; no pattern can match across it
PAD = 16  # zero bytes before and after the buffer in ``Chunk.padded`` (room to look around)

# kinds of "landmark" bytes (Chunk.landmarks)
LANDMARK = {'"': 1, "'": 2, "\n": 3, ".": 4, "!": 5, "?": 6, "[": 7, "]": 8, "\t": 9, ";": 10, ":": 11,
            "lead2": 12, "lead3": 13, "lead4": 14}  # lead bytes last


def _landmark_table() -> bytes:
    table = bytearray(256)
    for ch in "\"'\n.!?[]\t;:":
        table[ord(ch)] = LANDMARK[ch]
    for b in range(0xC0, 0x100):  # first byte of a 2-, 3- or 4-byte character
        table[b] = LANDMARK["lead2"] if b < 0xE0 else LANDMARK["lead3"] if b < 0xF0 else LANDMARK["lead4"]
    return bytes(table)


_LANDMARK_TABLE = _landmark_table()


def utf8_width(cp: np.ndarray) -> np.ndarray:
    """Bytes of the UTF-8 encoding of each code point."""
    return 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000)


def utf8_code_points(a: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The code point of the character whose UTF-8 encoding starts at each index ``p`` of the bytes ``a``
    (an index past the end of ``a`` reads its last byte: a truncated character decodes to garbage, not
    to an error)."""
    out = a[p].astype(np.int32)  # (every code point fits in 21 bits)
    multi = np.flatnonzero(out >= 0x80)
    if len(multi):
        p = p[multi]
        b0 = out[multi]
        last = len(a) - 1
        b1, b2, b3 = (a[np.minimum(p + k, last)].astype(np.int32) & 0x3F for k in (1, 2, 3))
        out[multi] = np.where(b0 < 0xE0, ((b0 & 0x1F) << 6) | b1,
                              np.where(b0 < 0xF0, ((b0 & 0x0F) << 12) | (b1 << 6) | b2,
                                       ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3))
    return out


class Chunk:
    """Texts joined by ``SEPARATOR``, with their UTF-8 encoding and char <-> byte offset maps.

    Attributes
    ----------
    buf : bytes
        The texts in UTF-8 joined by ``SEPARATOR`` (what the engines scan).
    starts, ends : ndarray of int64
        Character offsets of each text in the joined text (``joined``, built only on demand).

    Examples
    --------
    >>> from framing._chunk import Chunk
    >>> c = Chunk(["Kyiv", "café Kiev"])
    >>> c.starts.tolist(), c.to_bytes(c.starts).tolist(), c.to_chars(c.to_bytes([10, 14])).tolist()
    ([0, 5], [0, 5], [10, 14])
    """

    def __init__(self, texts: list[str]):
        self._texts = texts
        self.buf = SEPARATOR.encode().join([t.encode("utf-8") for t in texts])
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        self.starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        self.ends = self.starts + lengths
        self.is_ascii = len(self.buf) == int(lengths.sum()) + max(len(texts) - 1, 0)

    @classmethod
    def from_utf8(cls, pieces: list) -> Chunk:
        """A chunk of texts given as UTF-8 byte strings (or memoryviews of Arrow's string data)."""
        self = cls.__new__(cls)
        self._texts = None
        self.buf = SEPARATOR.encode().join(pieces)
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        byte_starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        self.byte_starts, self.byte_ends = byte_starts, byte_starts + lengths
        self.is_ascii = bool(self.buf.isascii())
        self.starts, self.ends = self.to_chars(self.byte_starts), self.to_chars(self.byte_ends)
        return self

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def texts(self) -> list[str]:
        """The texts (decoded when the chunk was made from bytes)."""
        if self._texts is None:
            self._texts = [self.buf[a:b].decode("utf-8") for a, b in
                           zip(self.byte_starts.tolist(), self.byte_ends.tolist(), strict=True)]
        return self._texts

    def text(self, i: int) -> str:
        """Text ``i`` (decoding only this one when the chunk was made from bytes)."""
        if self._texts is not None:
            return self._texts[i]
        return self.buf[int(self.byte_starts[i]):int(self.byte_ends[i])].decode("utf-8")

    def strings(self, lo, hi) -> list[str]:
        """The pieces of text between chunk character offsets ``lo[i]`` and ``hi[i]``."""
        buf = self.buf
        return [buf[a:b].decode("utf-8") for a, b in zip(self.to_bytes(lo).tolist(), self.to_bytes(hi).tolist(),
                                                         strict=True)]

    @cached_property
    def joined(self) -> str:
        """The texts joined by ``SEPARATOR`` (built only when asked for)."""
        return SEPARATOR.join(self.texts)

    def local(self, char_offsets) -> tuple[np.ndarray, np.ndarray]:
        """(text index, offset in that text) of chunk character offsets."""
        seg = self.segment_of(char_offsets)
        return seg, np.asarray(char_offsets, dtype=np.int64) - self.starts[seg]

    # ------------------------------------------------------------------ bytes
    @cached_property
    def array(self) -> np.ndarray:
        """The UTF-8 bytes as a read-only uint8 array."""
        return np.frombuffer(self.buf, dtype=np.uint8)

    @cached_property
    def lowered(self) -> bytes:
        """``buf`` with ASCII letters lowercased (the case folding of both engines)."""
        return self.buf.lower()

    @cached_property
    def padded(self) -> np.ndarray:
        """The bytes with ``PAD`` zero bytes on each side (index ``i + PAD`` is byte ``i``)."""
        out = np.zeros(len(self.buf) + 2 * PAD, dtype=np.uint8)
        out[PAD:PAD + len(self.buf)] = self.array
        return out

    @cached_property
    def words8(self) -> np.ndarray:
        """``words8[i + PAD]``: the 8 bytes from byte ``i`` on as one little-endian uint64."""
        a = self.padded
        return np.ndarray(shape=(len(a) - 7,), dtype="<u8", buffer=a, strides=(1,))

    @cached_property
    def byte_starts(self) -> np.ndarray:
        """Byte offsets of each text in ``buf``."""
        return self.to_bytes(self.starts)

    @cached_property
    def byte_ends(self) -> np.ndarray:
        """Byte offsets of the end of each text in ``buf``."""
        return self.to_bytes(self.ends)

    # ------------------------------------------------------------------ offset maps
    @cached_property
    def landmarks(self) -> tuple[np.ndarray, np.ndarray]:
        """Byte offsets and kinds (``LANDMARK`` codes) of every byte the later stages look at.

        One pass over the bytes: quote marks, line breaks, sentence-ending punctuation (and ``;``,
        ``:``, which end the clauses of the attribution frames) and the first byte of every
        non-ASCII character.
        """
        kinds = self.buf.translate(_LANDMARK_TABLE)
        n_words = len(kinds) // 8
        words = np.frombuffer(kinds, dtype=np.uint64, count=n_words)  # skip 8 ordinary bytes at once
        busy = np.flatnonzero(words != 0)
        inner = np.flatnonzero(words[busy].view(np.uint8) != 0)
        pos = busy[inner >> 3] * 8 + (inner & 7)
        tail = np.frombuffer(kinds, dtype=np.uint8, offset=8 * n_words)
        pos = np.concatenate((pos, 8 * n_words + np.flatnonzero(tail != 0)))
        return pos, np.frombuffer(kinds, dtype=np.uint8)[pos]

    def landmarks_of(self, *kinds: int) -> np.ndarray:
        """Byte offsets of the landmarks of the given kinds."""
        pos, kind = self.landmarks
        wanted = np.zeros(256, dtype=bool)
        wanted[list(kinds)] = True
        return pos[wanted[kind]]

    @cached_property
    def line_breaks(self) -> np.ndarray:
        """Byte offsets of line breaks and tabs."""
        return self.landmarks_of(LANDMARK["\n"], LANDMARK["\t"])

    @cached_property
    def brackets(self) -> tuple[np.ndarray, np.ndarray]:
        """Square-bracket pairs (``framing.voice.BRACKETS``: no bracket or line break inside) as
        (starts, ends) in character offsets, sorted."""
        pos, kind = self.landmarks
        marks = np.flatnonzero((kind == LANDMARK["["]) | (kind == LANDMARK["]"]) | (kind == LANDMARK["\n"]))
        p, k = pos[marks], kind[marks]
        opening = np.flatnonzero(k[:-1] == LANDMARK["["])
        closed = (k[opening + 1] == LANDMARK["]"]) & (self.segment_of_byte(p[opening]) == self.segment_of_byte(p[opening + 1]))
        opening = opening[closed]
        return self.to_chars(p[opening]), self.to_chars(p[opening + 1] + 1)

    @cached_property
    def _leads(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lead bytes of non-ASCII characters: byte offsets, char offsets, extra bytes before each."""
        pos, kind = self.landmarks
        lead = kind >= LANDMARK["lead2"]  # the last kinds
        lead_bytes = pos[lead]
        extra = kind[lead].astype(np.int64) - (LANDMARK["lead2"] - 1)
        cum = np.zeros(len(extra) + 1, dtype=np.int64)
        np.cumsum(extra, out=cum[1:])
        return lead_bytes, lead_bytes - cum[:-1], cum

    def to_chars(self, byte_offsets) -> np.ndarray:
        """Character offsets of byte offsets that fall on character boundaries."""
        b = np.asarray(byte_offsets, dtype=np.int64)
        if self.is_ascii:
            return b
        lead_bytes, _, cum = self._leads
        return b - cum[np.searchsorted(lead_bytes, b, side="left")]

    def to_bytes(self, char_offsets) -> np.ndarray:
        """Byte offsets of character offsets."""
        c = np.asarray(char_offsets, dtype=np.int64)
        if self.is_ascii:
            return c
        _, lead_chars, cum = self._leads
        return c + cum[np.searchsorted(lead_chars, c, side="left")]

    def segment_of(self, char_offsets) -> np.ndarray:
        """Index of the text holding each character offset of ``joined``."""
        return np.searchsorted(self.starts, char_offsets, side="right") - 1

    def segment_of_byte(self, byte_offsets) -> np.ndarray:
        """Index of the text holding each byte offset of ``buf``."""
        return np.searchsorted(self.byte_starts, byte_offsets, side="right") - 1

    def code_points(self, byte_offsets) -> np.ndarray:
        """The code point of the character starting at each byte offset (offsets inside ``buf``)."""
        return utf8_code_points(self.padded, np.asarray(byte_offsets, dtype=np.int64) + PAD).astype(np.int64)

    def char_start_before(self, byte_offsets) -> np.ndarray:
        """Byte offset of the character that ends right before each byte offset (offsets > 0)."""
        q = np.asarray(byte_offsets, dtype=np.int64) - 1
        a = self.padded
        multi = np.flatnonzero(a[q + PAD] >= 0x80)  # the character before is not ASCII
        for _ in range(3):  # step back over UTF-8 continuation bytes
            cont = (a[q[multi] + PAD] & 0xC0) == 0x80
            if not cont.any():
                break
            multi = multi[cont]
            q[multi] -= 1
        return q


_ALNUM_TABLE = 0x3000


@lru_cache(maxsize=1)
def _alnum_table() -> np.ndarray:
    return np.array([chr(c).isalnum() for c in range(_ALNUM_TABLE)], dtype=bool)


def isalnum(cps: np.ndarray) -> np.ndarray:
    """``str.isalnum`` of each code point (Python decides the few distinct rare ones)."""
    cps = np.asarray(cps, dtype=np.int64)
    out = _alnum_table()[np.minimum(cps, _ALNUM_TABLE - 1)]
    high = np.flatnonzero(cps >= _ALNUM_TABLE)
    if len(high):
        uniq, inverse = np.unique(cps[high], return_inverse=True)
        out[high] = np.fromiter((chr(int(c)).isalnum() for c in uniq), dtype=bool, count=len(uniq))[inverse]
    return out


class CorpusTexts:
    """The texts to scan: each non-empty field of each document (fields in order, then rows).

    String columns that pandas keeps in Arrow are read as UTF-8 straight from Arrow's buffers, with
    no Python string per text; other columns go through Python strings.

    Attributes
    ----------
    rows, fields : ndarray of int64
        Row (position in the corpus) and field (index into ``fields``) of each text.
    """

    def __init__(self, corpus, fields: tuple[str, ...]):
        self._columns: list = []  # per field: ("arrow", offsets, data) or ("list", values)
        rows, flds, sizes = [], [], []
        for fi, f in enumerate(fields):
            if f not in corpus.columns:
                self._columns.append(None)
                continue
            arrow = _arrow_utf8(corpus[f])
            if arrow is not None:
                offsets, data, valid = arrow
                size = np.diff(offsets)
                keep = np.flatnonzero(valid & (size > 0))
                self._columns.append(("arrow", offsets, data))
            else:
                values = corpus[f].tolist()
                keep = np.array([r for r, t in enumerate(values) if isinstance(t, str) and t], dtype=np.int64)
                size = np.fromiter((len(t) if isinstance(t, str) else 0 for t in values), dtype=np.int64,
                                   count=len(values))
                self._columns.append(("list", values))
            rows.append(keep)
            flds.append(np.full(len(keep), fi, dtype=np.int64))
            sizes.append(size[keep])
        self.rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        self.fields = np.concatenate(flds) if flds else np.zeros(0, dtype=np.int64)
        self._sizes = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.rows)

    def batches(self, size: int):
        """(start, stop) of consecutive texts of about ``size`` characters (bytes) in all."""
        start, total = 0, 0
        for i, n in enumerate(self._sizes.tolist()):
            total += n
            if total >= size:
                yield start, i + 1
                start, total = i + 1, 0
        if start < len(self):
            yield start, len(self)

    def _piece(self, i: int):
        column = self._columns[self.fields[i]]
        r = int(self.rows[i])
        if column[0] == "arrow":
            offsets, data = column[1], column[2]
            return data[offsets[r]:offsets[r + 1]]
        return column[1][r]

    def _pieces(self, start: int, stop: int) -> list:
        """``[self._piece(i) for i in range(start, stop)]``, with the offsets read as Python ints once."""
        out = []
        fields, rows = self.fields[start:stop], self.rows[start:stop]
        cut = np.flatnonzero(fields[1:] != fields[:-1]) + 1  # runs of one field
        for a, b in zip([0, *cut.tolist()], [*cut.tolist(), len(fields)], strict=True):
            column = self._columns[int(fields[a])] if b > a else None
            if column is None:
                continue
            r = rows[a:b]
            if column[0] == "arrow":
                offsets, data = column[1], column[2]
                out.extend(data[x:y] for x, y in zip(offsets[r].tolist(), offsets[r + 1].tolist(), strict=True))
            else:
                values = column[1]
                out.extend(values[x] for x in r.tolist())
        return out

    def chunk(self, start: int, stop: int) -> Chunk:
        """The texts start..stop-1 as one Chunk."""
        pieces = self._pieces(start, stop)
        if all(isinstance(p, str) for p in pieces):
            return Chunk(pieces)
        return Chunk.from_utf8([p.encode("utf-8") if isinstance(p, str) else p for p in pieces])

    def text(self, i: int) -> str:
        """Text ``i``."""
        piece = self._piece(i)
        return piece if isinstance(piece, str) else bytes(piece).decode("utf-8")


def _arrow_utf8(column):
    """(offsets, data, valid) of a pandas string column kept in Arrow, or None."""
    import pandas as pd

    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    try:
        import pyarrow as pa

        array = column.array.__arrow_array__()
        if isinstance(array, pa.ChunkedArray):
            array = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
        if array.type == pa.large_string():
            width = np.int64
        elif array.type == pa.string():
            width = np.int32
        else:
            return None
        buffers = array.buffers()
        offsets = np.frombuffer(buffers[1], dtype=width)[array.offset:array.offset + len(array) + 1].astype(np.int64)
        data = memoryview(buffers[2]) if buffers[2] is not None else memoryview(b"")
        valid = (array.is_valid().to_numpy(zero_copy_only=False) if array.null_count
                 else np.ones(len(array), dtype=bool))
        return offsets, data, valid
    except Exception:  # pragma: no cover - an Arrow layout we do not read: use Python strings
        return None
