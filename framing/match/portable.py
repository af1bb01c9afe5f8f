"""The portable engine (pure Python, ``re`` and numpy), for machines without Hyperscan.

Every pattern has a key, the first letters of its first word (and of the next one); the word
starts of the chunk whose words fit a key are found with array operations, and each such
candidate is confirmed with the regular expressions of those patterns, anchored there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from framing._chunk import Chunk
from framing.match.patterns import APOSTROPHES, WORD_BYTES, ChunkMatches, is_gap, leading_word

__all__ = ["PortableEngine"]

_HEAD = 4  # bytes of a pattern's first word used to find candidates


@dataclass(frozen=True)
class _Key:
    """What every match of a pattern starts with, in the lowercased bytes (portable engine).

    ``head``: the first (up to four) letters of the first word; the word has exactly ``length``
    letters when ``whole`` (else at least as many). ``second``: the first letters of a later
    word, ``skip`` words on (the next one, or the one after a possessive 's), when known.
    """

    head: bytes
    length: int
    whole: bool
    second: bytes | None = None
    skip: int = 1

    @classmethod
    def of(cls, pattern: str) -> _Key | None:
        word = leading_word(pattern)
        if not word:
            return None  # starts with punctuation or a non-ASCII letter
        whole = len(word) == len(pattern) or is_gap(pattern[len(word)])
        key = cls(word[:_HEAD].encode("ascii"), len(word), whole)
        if not whole:
            return key
        words, at = [], len(word)  # up to two following words, with what precedes each
        while len(words) < 2:
            k = at
            while k < len(pattern) and is_gap(pattern[k]):
                k += 1
            following = leading_word(pattern, k)
            if not following or k == at:
                break
            words.append((pattern[at:k], following))
            at = k + len(following)
        if not words:
            return key
        skip = 2 if len(words) == 2 and words[0][1] == "s" and words[0][0] in APOSTROPHES else 1  # 's
        return cls(key.head, key.length, True, words[skip - 1][1][:_HEAD].encode("ascii"), skip)


def _packed(head: bytes) -> int:
    """A head (up to four bytes) as one integer: its length, then its bytes."""
    return (len(head) << 32) | int.from_bytes(head, "big")


def _prefix(key4: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The first ``length`` bytes of four-byte keys, packed like ``_packed``."""
    length = np.asarray(length, dtype=np.int64)
    shift = (8 * (_HEAD - length)).astype(np.uint32)
    return (length << 32) | np.right_shift(key4, shift).astype(np.int64)


def _key4(padded: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The four bytes from each word start as one big-endian uint32 (``padded`` is offset by 1)."""
    key = np.zeros(len(starts), dtype=np.uint32)
    for k in range(_HEAD):
        key = (key << np.uint32(8)) | padded[starts + 1 + k].astype(np.uint32)
    return key


def _ranks(width: np.ndarray) -> np.ndarray:
    """0, 1, ..., width[i] - 1 for each i, concatenated."""
    total = int(width.sum())
    offsets = np.repeat(np.cumsum(width) - width, width)
    return np.arange(total) - offsets


class PortableEngine:
    """The portable half of :class:`framing.match.compiled.CompiledLexicon` (its attributes are set there)."""

    def _build_portable(self) -> None:
        """Index the entries by the key of their first words (see ``_Key``)."""
        self._unanchored: list[int] = []  # patterns that start with no ASCII letter or digit
        keyed: list[tuple[int, _Key]] = []
        for i, e in enumerate(self.entries):
            key = _Key.of(e.pattern)
            if key is None:
                self._unanchored.append(i)
            else:
                keyed.append((i, key))
        # sorted by packed head, so that np.searchsorted finds all the entries of a head at once
        keyed.sort(key=lambda x: (_packed(x[1].head), x[0]))
        self._key_entry = np.array([i for i, _ in keyed], dtype=np.int64)
        self._key_head = np.array([_packed(k.head) for _, k in keyed], dtype=np.int64)
        self._key_length = np.array([k.length for _, k in keyed], dtype=np.int64)
        self._key_whole = np.array([k.whole for _, k in keyed], dtype=bool)
        self._key_second = np.array([_packed(k.second) if k.second else -1 for _, k in keyed], dtype=np.int64)
        self._key_skip = np.array([k.skip for _, k in keyed], dtype=np.int64)
        # heads shorter than four bytes that a longer word may begin with ("ab*") need own lookups
        self._short_prefix_lengths = sorted({len(k.head) for _, k in keyed if len(k.head) < _HEAD and not k.whole})
        first2 = np.zeros(1 << 16, dtype=bool)  # the first two bytes of some head
        first1 = np.zeros(256, dtype=bool)
        for _, k in keyed:
            if len(k.head) == 1:
                first1[k.head[0]] = True
            else:
                first2[(k.head[0] << 8) | k.head[1]] = True
        self._first1, self._first2 = first1, first2

    def _scan_python(self, chunk: Chunk) -> ChunkMatches:
        pos, ent = self._candidates(chunk)
        ids: list[int] = []
        froms: list[int] = []
        tos: list[int] = []
        buf, regexes = chunk.buf, self._regexes
        for p, i in zip(pos.tolist(), ent.tolist(), strict=True):
            m = regexes[i].match(buf, p)
            if m is not None:
                ids.append(i)
                froms.append(p)
                tos.append(m.end())
        for i in self._unanchored:  # rare: a pattern starting with punctuation or a non-ASCII letter
            for m in re.finditer(b"(?=(" + self._exprs[i] + b"))", buf, regexes[i].flags):
                ids.append(i)
                froms.append(m.start())
                tos.append(m.end(1))
        return ChunkMatches(np.asarray(ids, dtype=np.int64), np.asarray(froms, dtype=np.int64),
                            np.asarray(tos, dtype=np.int64), None)

    def _candidates(self, chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
        """(byte offset, entry) of each word start where the entry's key fits the words there."""
        lowered = np.frombuffer(chunk.lowered, dtype=np.uint8)  # ASCII case folding only
        n = len(lowered)
        padded = np.zeros(n + _HEAD + 2, dtype=np.uint8)
        padded[1:n + 1] = lowered
        word = WORD_BYTES[padded]
        starts = np.flatnonzero(word[1:n + 1] & ~word[:n])  # ASCII word starts (\b then a word byte)
        ends = np.flatnonzero(word[1:n + 1] & ~word[2:n + 2]) + 1  # ... and word ends
        key4 = _key4(padded, starts)
        size = ends - starts
        maybe = np.flatnonzero(self._first2[key4 >> np.uint32(16)] | self._first1[key4 >> np.uint32(24)])
        # a word is looked up by its first min(size, 4) bytes (and by shorter prefixes for "ab*")
        lookups = [(maybe, np.minimum(size[maybe], _HEAD))]
        for k in self._short_prefix_lengths:
            longer = maybe[size[maybe] > k]
            lookups.append((longer, np.full(len(longer), k)))
        words, rows = [], []
        for w, length in lookups:
            lo = np.searchsorted(self._key_head, _prefix(key4[w], length), side="left")
            hi = np.searchsorted(self._key_head, _prefix(key4[w], length), side="right")
            count = hi - lo  # how many entries have this head
            has = np.flatnonzero(count)
            words.append(np.repeat(w[has], count[has]))
            rows.append(np.repeat(lo[has], count[has]) + _ranks(count[has]))
        words, rows = np.concatenate(words), np.concatenate(rows)
        need = self._key_length[rows]
        fits = np.where(self._key_whole[rows], size[words] == need, size[words] >= need)
        second = self._key_second[rows]
        check = np.flatnonzero(fits & (second >= 0))
        if len(check):  # the next word (or the one after 's) must begin with the entry's second word
            nxt = words[check] + self._key_skip[rows[check]]
            present = nxt < len(starts)
            next4 = _key4(padded, starts[np.minimum(nxt, len(starts) - 1)])
            length = second[check] >> 32
            fits[check] = present & (_prefix(next4, length) == second[check])
        words, rows = words[fits], rows[fits]
        order = np.lexsort((self._key_entry[rows], words))
        return starts[words[order]], self._key_entry[rows[order]]
