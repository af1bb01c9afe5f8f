"""Sentences around many hits of a batch at once: :func:`framing.text.sentences.sentence_bounds_at`, vectorised.

The reference walks the text with a regular expression and decides each candidate break with
:func:`~framing.text.sentences.ends_sentence`. Here the candidate breaks of a chunk (terminal
marks and line breaks, from the chunk's landmarks) are classified only when a hit needs them, with
array operations on the bytes: the run of terminal marks, the closing marks and spaces after it,
the opening marks and the capital or digit that must follow, and the word before a single period
(read from the 8 bytes before it and looked up among the rules' words). Python decides the rare
periods whose word is not plain ASCII, holds an opening mark or needs the starter-word rule
(``U.S. The``). Each hit then walks from its nearest candidates, usually one step each way.
Tests check both give the same sentences on generated and real texts.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from framing._chunk import LANDMARK, PAD, Chunk, utf8_width
from framing.text.rules import sentence_rules
from framing.text.sentences import ends_sentence

__all__ = ["sentence_bounds", "sentence_byte_bounds", "clause_bounds", "clause_byte_bounds"]

_UNKNOWN, _NOT_A_BREAK = -2, -1
_TABLE = 0x3000  # code points below this are classified by table; above, by Python (rare)


@lru_cache(maxsize=1)
def _tables() -> dict:
    """Per code point below _TABLE: flags of the characters the rules name, and Unicode classes."""
    rules = sentence_rules()
    cps = range(_TABLE)
    space = np.array([chr(c).isspace() for c in cps], dtype=bool)
    upper_or_digit = np.array([chr(c).isupper() or chr(c).isdigit() for c in cps], dtype=bool)
    digit = np.array([chr(c).isdigit() for c in cps], dtype=bool)
    alpha = np.array([chr(c).isalpha() for c in cps], dtype=bool)

    def member(chars: str) -> np.ndarray:
        out = np.zeros(_TABLE, dtype=bool)
        out[[ord(c) for c in chars]] = True
        return out

    named = rules.terminals + rules.closers + rules.spaces + rules.openers + rules.bullets
    if any(ord(c) >= _TABLE for c in named):
        raise AssertionError("framing/data/text_rules.yaml: sentence marks must be below U+3000")
    if any(c not in LANDMARK for c in rules.terminals if ord(c) < 0x80):
        raise AssertionError("framing/data/text_rules.yaml: ASCII terminal marks must be chunk landmarks")
    if max(map(len, rules.special_words)) > 7 or not all(w.isascii() for w in rules.special_words):
        raise AssertionError("framing/data/text_rules.yaml: titles and abbreviations are ASCII, at most 7 letters")
    lead_bytes = np.zeros(256, dtype=bool)  # first UTF-8 byte of a non-ASCII terminal mark
    for c in rules.terminals:
        if ord(c) >= 0x80:
            lead_bytes[c.encode()[0]] = True
    ascii_letter = np.zeros(256, dtype=bool)
    ascii_letter[np.frombuffer(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)] = True
    ascii_upper = np.zeros(256, dtype=bool)
    ascii_upper[np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)] = True
    ascii_opener = np.zeros(256, dtype=bool)
    ascii_opener[[ord(c) for c in rules.openers if ord(c) < 0x80]] = True
    return {"space": space, "upper_or_digit": upper_or_digit, "digit": digit, "alpha": alpha, "terminal": member(rules.terminals),
            "closer": member(rules.closers), "gap": member(rules.spaces), "opener": member(rules.openers),
            "bullet": member(rules.bullets), "terminal_lead": lead_bytes, "ascii_letter": ascii_letter,
            "ascii_upper": ascii_upper, "ascii_opener": ascii_opener,
            "ascii_space": space[:256] & (np.arange(256) < 0x80)}


def _pack(word: bytes) -> int:
    """Bytes of an ASCII word as one integer, the last byte lowest."""
    return int.from_bytes(word, "big")


@lru_cache(maxsize=1)
def _word_keys() -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys of the rules' words (``_pack``) and each one's kind: 0 title, 1 before a number, 2 ambiguous."""
    rules = sentence_rules()
    kinds: dict[int, int] = {}
    for kind, words in ((2, rules.ambiguous), (1, rules.before_number), (0, rules.titles)):  # titles win
        for w in words:
            kinds[_pack(w.encode("ascii")) | (len(w) << 56)] = kind
    keys = np.array(sorted(kinds), dtype=np.uint64)
    return keys, np.array([kinds[int(k)] for k in keys], dtype=np.int64)


def _flag(chunk: Chunk, table: str, cps: np.ndarray) -> np.ndarray:
    """``_tables()[table]`` of code points, Python deciding the few at or above _TABLE."""
    out = _tables()[table][np.minimum(cps, _TABLE - 1)]
    high = np.flatnonzero(cps >= _TABLE)
    if len(high):
        test = {"space": str.isspace, "upper_or_digit": lambda c: c.isupper() or c.isdigit(),
                "digit": str.isdigit, "alpha": str.isalpha}.get(table, lambda c: False)
        uniq, inverse = np.unique(cps[high], return_inverse=True)
        out[high] = np.fromiter((test(chr(int(c))) for c in uniq), dtype=bool, count=len(uniq))[inverse]
    return out



def _at(chunk: Chunk, q: np.ndarray, *tables: str) -> tuple[np.ndarray, ...]:
    """(width, code point, then each table's flag) of the character at each byte offset ``q``.

    ASCII bytes are looked up directly; only the others are decoded.
    """
    b = chunk.padded[q + PAD]
    cp = b.astype(np.int64)
    width = np.ones(len(q), dtype=np.int64)
    flags = [_tables()[t][b] for t in tables]
    multi = np.flatnonzero(b >= 0x80)
    if len(multi):
        c = chunk.code_points(q[multi])
        cp[multi] = c
        width[multi] = utf8_width(c)
        for f, t in zip(flags, tables, strict=True):
            f[multi] = _flag(chunk, t, c)
    return (width, cp, *flags)


def _skip(chunk: Chunk, q: np.ndarray, limit: np.ndarray, table: str) -> np.ndarray:
    """Byte offsets after the run of characters of ``table`` from each ``q`` (not past ``limit``)."""
    q = q.copy()
    active = np.flatnonzero(q < limit)
    while len(active):
        width, _, moving = _at(chunk, q[active], table)
        active = active[moving]
        q[active] += width[moving]
        active = active[q[active] < limit[active]]
    return q


class _Breaks:
    """The candidate sentence breaks of a chunk (terminal marks, line breaks), classified when first needed.

    ``end[k]``: byte offset where a sentence before candidate ``k`` ends, ``next[k]``: where the
    text after it resumes; ``_NOT_A_BREAK`` when it is no break, ``_UNKNOWN`` until classified.
    A run of terminal marks is one candidate: its last mark.
    """

    def __init__(self, chunk: Chunk):
        tables = _tables()
        pos, kind = chunk.landmarks
        a = chunk.padded
        byte = a[pos + PAD]
        is_line = kind == LANDMARK["\n"]
        wanted = is_line | tables["terminal"][byte] & (byte < 0x80)
        lead = np.flatnonzero(tables["terminal_lead"][byte] & (kind >= LANDMARK["lead2"]))
        if len(lead):  # non-ASCII terminal marks (…)
            wanted[lead] = _flag(chunk, "terminal", chunk.code_points(pos[lead]))
        self.chunk = chunk
        self.at = pos[wanted]
        self.is_line = is_line[wanted]
        self.end = np.full(len(self.at), _UNKNOWN, dtype=np.int64)
        self.next = np.full(len(self.at), _UNKNOWN, dtype=np.int64)
        self._seen = np.zeros(len(self.at), dtype=bool)

    def classify(self, k: np.ndarray) -> None:
        """Fill ``end`` and ``next`` for the candidates ``k`` (indices into ``at``)."""
        k = k[self.end[k] == _UNKNOWN]
        if not len(k):
            return
        if len(k) >= len(self.at) // 16:  # a large share: all of them in one pass (one call, not one per step)
            k = np.flatnonzero(self.end == _UNKNOWN)
        self._seen[k] = True  # each candidate once, in order
        k = np.flatnonzero(self._seen)
        self._seen[k] = False
        p = self.at[k]
        line = self.is_line[k]
        end = np.where(line, p, _NOT_A_BREAK)
        nxt = np.where(line, p + 1, _NOT_A_BREAK)
        marks = np.flatnonzero(~line)
        if len(marks):
            e, n = self._terminal_breaks(p[marks])
            end[marks], nxt[marks] = e, n
        self.end[k], self.next[k] = end, nxt

    def _terminal_breaks(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(end, next) of the terminal marks at byte offsets ``p`` (``_NOT_A_BREAK`` where none)."""
        chunk, a = self.chunk, self.chunk.padded
        seg = chunk.segment_of_byte(p)
        text_start, text_end = chunk.byte_starts[seg], chunk.byte_ends[seg]
        width, _ = _at(chunk, p)[:2]
        after_mark = p + width
        out = np.full(len(p), _NOT_A_BREAK, dtype=np.int64)
        # the last mark of its run (the regex's match takes the whole run)
        last = after_mark >= text_end
        inside = np.flatnonzero(~last)
        last[inside] = ~_at(chunk, after_mark[inside], "terminal")[2]
        # closing marks, then at least one space, then a character that is no whitespace
        r = _skip(chunk, after_mark, text_end, "closer")
        q = _skip(chunk, r, text_end, "gap")
        ok = last & (q > r) & (q < text_end)
        ok[ok] = ~_at(chunk, q[ok], "space")[2]
        # opening marks (not the text's last character), then a capital or a digit
        j = q.copy()
        active = np.flatnonzero(ok)
        while len(active):
            w, _, opener = _at(chunk, j[active], "opener")
            moving = opener & (j[active] + w < text_end[active])
            active, w = active[moving], w[moving]
            j[active] += w
        nxt_cp = np.zeros(len(p), dtype=np.int64)
        _, nxt_cp[ok], upper = _at(chunk, j[ok], "upper_or_digit")
        ok[ok] = upper
        # a run of marks, a mark other than a period, or closing marks: a break
        single_period = ok & (a[p + PAD] == ord(".")) & (r == after_mark)
        prev = np.flatnonzero(single_period & (p > text_start))
        if len(prev):
            single_period[prev] = ~_terminal_before(a, p[prev], text_start[prev])
        out[ok & ~single_period] = r[ok & ~single_period]
        periods = np.flatnonzero(single_period)
        if len(periods):
            verdict = self._after_word(p[periods], text_start[periods], nxt_cp[periods], j[periods])
            python = np.flatnonzero(verdict < 0)
            if len(python):
                idx = periods[python]
                verdict[python] = self._python(p[idx] + 1, q[idx])
            ends = periods[verdict == 1]
            out[ends] = r[ends]
        return out, out.copy()

    def _after_word(self, p: np.ndarray, text_start: np.ndarray, nxt_cp: np.ndarray, j: np.ndarray) -> np.ndarray:
        """For single periods at ``p`` followed by a capital or digit (``nxt_cp``, at byte ``j``): 1
        when the period ends a sentence, 0 when not, -1 when Python must decide (``ends_sentence``).

        The word before the period runs back to the last whitespace (or the start of the text),
        without its leading opening marks; when it is plain ASCII it is read from the 8 bytes
        before the period.
        """
        tables = _tables()
        a = self.chunk.padded
        before8 = self.chunk.words8[p - 8 + PAD]  # the 8 bytes before the period; byte p - i at 8 * (8 - i)
        avail = np.minimum(p - text_start, 8)
        n = np.zeros(len(p), dtype=np.int64)  # bytes of the word (up to 8)
        core = np.zeros(len(p), dtype=np.int64)  # bytes from the first one that is no opening mark
        going = np.ones(len(p), dtype=bool)
        non_ascii = np.zeros(len(p), dtype=bool)
        opener_at = np.zeros((8, len(p)), dtype=bool)
        for i in range(1, 9):
            b = (before8 >> np.uint64(8 * (8 - i))) & np.uint64(0xFF)
            going &= (i <= avail) & ~tables["ascii_space"][b]
            if not going.any():
                break
            non_ascii |= going & (b >= 0x80)
            opener_at[i - 1] = going & tables["ascii_opener"][b]
            core[going & ~opener_at[i - 1]] = i
            n += going
        # an opening mark after the first other character stays in the word: no rule word then
        inner = (opener_at & (np.arange(1, 9)[:, None] < core)).any(axis=0)
        leading = opener_at.any(axis=0) & ~inner  # the word starts with opening marks only
        verdict = np.ones(len(p), dtype=np.int64)
        long_word = n >= 8  # no rule word is that long; a dotted abbreviation ends "X.Y"
        verdict[long_word & ~inner & ((a[p - 2 + PAD] == ord(".")) | leading)] = -1
        short = np.flatnonzero(~long_word & ~non_ascii & ~inner & (core > 0))
        if len(short):
            w = before8[short].byteswap()  # the 8 bytes before, the last lowest
            m = core[short].astype(np.uint64)
            key = (w & ((np.uint64(1) << (np.uint64(8) * m)) - np.uint64(1))) | (m << np.uint64(56))
            keys, kinds = _word_keys()
            at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            known = keys[at] == key
            kind = np.where(known, kinds[at], -1)
            digit = _flag(self.chunk, "digit", nxt_cp[short])
            v = np.ones(len(short), dtype=np.int64)
            v[kind == 0] = 0  # a title
            v[(kind == 1) & digit] = 0  # "No. 10"
            starter = np.flatnonzero((kind == 2) | _dotted(before8[short], core[short], tables))
            v[starter] = _starts_sentence(self.chunk, j[short[starter]])  # "U.S. The" / "U.S. President"
            verdict[short] = v
        verdict[non_ascii] = -1
        # a word ending in a non-ASCII character that is no letter (”, ’) is no rule word
        mark = np.flatnonzero(non_ascii & (a[p - 1 + PAD] >= 0x80))
        if len(mark):
            cp = self.chunk.code_points(self.chunk.char_start_before(p[mark]))
            other = ~_flag(self.chunk, "alpha", cp) & ~_flag(self.chunk, "space", cp) & ~_flag(self.chunk, "opener", cp)
            verdict[mark[other]] = 1
        return verdict

    def _python(self, end: np.ndarray, q: np.ndarray) -> np.ndarray:
        """``ends_sentence`` of the periods ending at byte offsets ``end`` with the next word at ``q``."""
        chunk = self.chunk
        seg, local_end = chunk.local(chunk.to_chars(end))
        local_q = chunk.to_chars(q) - chunk.starts[seg]
        texts: dict[int, str] = {}
        out = np.zeros(len(end), dtype=np.int64)
        for i, (s, e, j) in enumerate(zip(seg.tolist(), local_end.tolist(), local_q.tolist(), strict=True)):
            if s not in texts:
                texts[s] = chunk.text(s)
            out[i] = ends_sentence(texts[s], e, j)
        return out


@lru_cache(maxsize=1)
def _starter_keys() -> tuple[np.ndarray, list[bytes], int]:
    """Sorted ``_pack`` keys of the starter words of at most 8 letters, the longer ones, the longest length."""
    words = [w.encode("ascii") for w in sentence_rules().starters]
    short = np.array(sorted({_pack(w) for w in words if len(w) <= 8}), dtype=np.uint64)
    return short, [w for w in words if len(w) > 8], max(map(len, words))


_WORD_BYTE = np.zeros(256, dtype=bool)  # ASCII bytes of \w
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", dtype=np.uint8)] = True


def _starts_sentence(chunk: Chunk, j: np.ndarray) -> np.ndarray:
    """1 where the word at byte ``j`` (``\\w+``) is a starter word, 0 where not, -1 where Python decides
    (a word with a non-ASCII character)."""
    short, long_words, longest = _starter_keys()
    a = chunk.padded
    n = np.zeros(len(j), dtype=np.int64)
    going = np.ones(len(j), dtype=bool)
    for i in range(longest + 1):
        going &= _WORD_BYTE[a[j + i + PAD]]
        n += going
    stop = a[j + n + PAD]
    out = np.zeros(len(j), dtype=np.int64)
    fits = np.flatnonzero((n >= 1) & (n <= 8))
    if len(fits):
        w = chunk.words8[j[fits] + PAD].byteswap()  # the 8 bytes from j, the first highest
        m = n[fits].astype(np.uint64)
        w = np.where(m == 8, w, w >> (np.uint64(8) * (np.uint64(8) - m)))
        at = np.minimum(np.searchsorted(short, w), len(short) - 1)
        out[fits] = short[at] == w
    for word in long_words:
        same = n == len(word)
        for i, byte in enumerate(word):
            same &= a[j + i + PAD] == byte
        out[same] = 1
    out[stop >= 0x80] = -1  # a letter Python's \w may take
    return out


@lru_cache(maxsize=1)
def _terminal_encodings() -> tuple[np.ndarray, list[bytes]]:
    """Per byte: is it an ASCII terminal mark; and the UTF-8 bytes of the others."""
    table = np.zeros(256, dtype=bool)
    terminals = sentence_rules().terminals
    table[[ord(c) for c in terminals if ord(c) < 0x80]] = True
    return table, [c.encode() for c in terminals if ord(c) >= 0x80]


def _terminal_before(a: np.ndarray, p: np.ndarray, text_start: np.ndarray) -> np.ndarray:
    """Is the character right before each byte offset (inside its text) a terminal mark?"""
    table, others = _terminal_encodings()
    out = table[a[p - 1 + PAD]]
    for enc in others:
        same = p - len(enc) >= text_start
        for i, byte in enumerate(enc):
            same &= a[p - len(enc) + i + PAD] == byte
        out |= same
    return out


def _dotted(before8: np.ndarray, n: np.ndarray, tables: dict) -> np.ndarray:
    r"""Is the ASCII word of ``n`` bytes before each period (``before8``: the 8 bytes before it) an
    initial or a dotted abbreviation (``(?:[^\W\d_]\.)+[^\W\d_]|[A-Z]``: U.S, a.m, J)?"""
    last = (before8 >> np.uint64(56)).astype(np.int64)
    out = (n == 1) & tables["ascii_upper"][last]
    odd = np.flatnonzero((n >= 3) & (n % 2 == 1))
    ok = np.ones(len(odd), dtype=bool)
    w = before8[odd]
    for i in range(1, 8):  # byte p - i: a letter at odd i, a period at even i
        b = ((w >> np.uint64(8 * (8 - i))) & np.uint64(0xFF)).astype(np.int64)
        good = tables["ascii_letter"][b] if i % 2 else b == ord(".")
        ok &= (i > n[odd]) | good
    out[odd[ok]] = True
    return out


def _breaks_of(chunk: Chunk) -> _Breaks:
    breaks = chunk.__dict__.get("_text_sentence_breaks")
    if breaks is None:  # one per chunk: every caller classifies the same candidates
        breaks = chunk.__dict__["_text_sentence_breaks"] = _Breaks(chunk)
    return breaks


def sentence_byte_bounds(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray,
                         a: np.ndarray | None = None, b: np.ndarray | None = None, before: int = 400,
                         after: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sentence_bounds` in byte offsets; ``a``, ``b``: the hits' byte offsets, if known."""
    seg, start, end = (np.asarray(x, dtype=np.int64) for x in (seg, start, end))
    a = chunk.to_bytes(start) if a is None else np.asarray(a, dtype=np.int64)
    b = chunk.to_bytes(end) if b is None else np.asarray(b, dtype=np.int64)
    breaks = _breaks_of(chunk)
    at = breaks.at
    lo = chunk.to_bytes(np.maximum(chunk.starts[seg], start - before))
    hi = chunk.to_bytes(np.minimum(chunk.ends[seg], end + after))
    s, e = lo.copy(), hi.copy()
    if len(at):
        first = np.searchsorted(at, a, side="left") - 1  # the last candidate before the hit
        near = (first[:, None] + np.arange(-1, 3)).ravel()  # most hits need only these: one call
        breaks.classify(near[(near >= 0) & (near < len(at))])
        # backwards: the last break resuming at or before the hit
        k = first.copy()
        active = np.arange(len(a))
        while len(active):
            active = active[k[active] >= 0]
            kk = k[active]
            breaks.classify(kk)
            resume = breaks.next[kk]
            found = (resume >= 0) & (resume <= a[active])
            s[active[found]] = np.maximum(resume[found], lo[active[found]])
            active = active[~found & (at[kk] >= lo[active])]  # a candidate before lo: lo
            k[active] -= 1
        # forwards: the first break after the hit's start that ends at or after its end (only the
        # last candidate before the start may resume after it: look from there)
        k = np.maximum(first, 0)
        active = np.arange(len(b))
        while len(active):
            active = active[(k[active] < len(at)) & (at[np.minimum(k[active], len(at) - 1)] < hi[active])]
            kk = k[active]
            breaks.classify(kk)
            stop, resume = breaks.end[kk], breaks.next[kk]
            found = (stop >= 0) & (resume > a[active]) & (stop >= b[active])
            e[active[found]] = np.minimum(stop[found], hi[active[found]])
            active = active[~found]
            k[active] += 1
    return _trim(chunk, s, e, a, b)


def _trim(chunk: Chunk, s: np.ndarray, e: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leading whitespace and bullets (followed by whitespace) off, up to the hit; trailing whitespace off."""
    s = s.copy()
    limit = np.minimum(a, e)
    active = np.flatnonzero(s < limit)
    while len(active):
        cp = chunk.code_points(s[active])
        w = utf8_width(cp)
        space = _flag(chunk, "space", cp)
        bullet = np.flatnonzero(~space & _flag(chunk, "bullet", cp))
        if len(bullet):  # a bullet counts when whitespace follows it (before the sentence's end)
            after = s[active[bullet]] + w[bullet]
            followed = after < e[active[bullet]]
            followed[followed] = _flag(chunk, "space", chunk.code_points(after[followed]))
            space[bullet] = followed
        active, w = active[space], w[space]
        s[active] += w
        active = active[s[active] < limit[active]]
    e = e.copy()
    a_ = chunk.padded
    before = a_[e - 1 + PAD]
    active = np.flatnonzero((e > b) & (e > s) & (_tables()["ascii_space"][before] | (before >= 0x80)))
    while len(active):
        last = chunk.char_start_before(e[active])
        space = _flag(chunk, "space", chunk.code_points(last))
        active = active[space]
        e[active] = last[space]
        active = active[(e[active] > b[active]) & (e[active] > s[active])]
    return s, e


def sentence_bounds(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray, before: int = 400,
                    after: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (chunk character offsets) of the sentence around each hit.

    ``seg``: each hit's text; ``start``, ``end``: its chunk character offsets. Text by text, the
    bounds of :func:`framing.text.sentences.sentence_bounds_at` (``before``, ``after``: the limits).

    Examples
    --------
    >>> from framing._chunk import Chunk, utf8_width
    >>> from framing.text.chunk_sentences import sentence_bounds
    >>> chunk = Chunk(["Talks ended at 3 p.m. The Kremlin said Kiev refused.", "No. 10 about Kiev today."])
    >>> s, e = sentence_bounds(chunk, [0, 1], [39, 53 + 13], [43, 53 + 17])
    >>> [chunk.joined[i:j] for i, j in zip(s, e)]
    ['The Kremlin said Kiev refused.', 'No. 10 about Kiev today.']
    """
    s, e = sentence_byte_bounds(chunk, seg, start, end, before=before, after=after)
    return chunk.to_chars(s), chunk.to_chars(e)


def _clause_breaks(chunk: Chunk) -> np.ndarray:
    """Sorted byte offsets of every clause break of the chunk: ``;`` or ``:`` (the rules'
    ``clause_breaks``) followed by a whitespace character (``str.isspace``, as the reference's ``\\s``)."""
    cached = chunk.__dict__.get("_text_clause_breaks")
    if cached is not None:
        return cached
    marks = sentence_rules().clause_breaks
    if not all(c in LANDMARK for c in marks):
        raise AssertionError("framing/data/text_rules.yaml: clause breaks must be chunk landmarks")
    pos, kind = chunk.landmarks
    p = pos[np.isin(kind, [LANDMARK[c] for c in marks])]
    p = p[_flag(chunk, "space", chunk.code_points(p + 1))]  # (the separator after a text is no space)
    chunk.__dict__["_text_clause_breaks"] = p
    return p


def clause_byte_bounds(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray,
                       a: np.ndarray | None = None, b: np.ndarray | None = None, before: int = 400,
                       after: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clause_bounds` in byte offsets; ``a``, ``b``: the hits' byte offsets, if known."""
    a = chunk.to_bytes(start) if a is None else np.asarray(a, dtype=np.int64)
    b = chunk.to_bytes(end) if b is None else np.asarray(b, dtype=np.int64)
    s, e = sentence_byte_bounds(chunk, seg, start, end, a, b, before, after)
    p = _clause_breaks(chunk)
    if len(p):
        # the clause starts after the whitespace character after the last break in [s, a)
        k = np.searchsorted(p, a, side="left") - 1
        kk = np.maximum(k, 0)
        after_break = p[kk] + 1 + utf8_width(chunk.code_points(p[kk] + 1))
        cut = (k >= 0) & (p[kk] >= s) & (after_break <= a)
        k2 = np.flatnonzero((k >= 1) & (p[kk] >= s) & ~cut)  # a break whose space runs past the hit's start
        if len(k2):  # (only when the hit starts right after the mark): the break before that one
            prev = p[k[k2] - 1]
            ok = prev >= s[k2]
            cut2 = np.zeros(len(k), dtype=bool)
            cut2[k2[ok]] = True
            after_break[k2[ok]] = prev[ok] + 1 + utf8_width(chunk.code_points(prev[ok] + 1))
            cut |= cut2
        s = np.where(cut, after_break, s)
        # ... and ends at the first break at or after the hit's end whose whitespace fits before e
        k = np.searchsorted(p, b, side="left")
        kk = np.minimum(k, len(p) - 1)
        stop = (k < len(p)) & (p[kk] + 1 + utf8_width(chunk.code_points(p[kk] + 1)) <= e)
        e = np.where(stop, p[kk], e)
    return s, e


def clause_bounds(chunk: Chunk, seg: np.ndarray, start: np.ndarray, end: np.ndarray, before: int = 400,
                  after: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (chunk character offsets) of the clause around each hit.

    Text by text, the bounds of :func:`framing.text.sentences.clause_bounds_at`: the sentence
    (:func:`sentence_bounds`), cut after the last ``;`` or ``:`` followed by whitespace before the
    hit and at the first one after it.

    Examples
    --------
    >>> from framing._chunk import Chunk, utf8_width
    >>> from framing.text.chunk_sentences import clause_bounds
    >>> chunk = Chunk(["Mr. Putin spoke: what Gen. Gerasimov calls liberation; no more."])
    >>> s, e = clause_bounds(chunk, [0], [43], [53])
    >>> chunk.joined[int(s[0]):int(e[0])]
    'what Gen. Gerasimov calls liberation'
    """
    seg, start, end = (np.asarray(x, dtype=np.int64) for x in (seg, start, end))
    s, e = clause_byte_bounds(chunk, seg, start, end, before=before, after=after)
    return chunk.to_chars(s), chunk.to_chars(e)
