"""Quotations of every text of a batch at once: :func:`framing.text.quotes.quote_spans`, vectorised.

Quotation marks are found and classified (opening, closing, apostrophe...) with array operations on
the chunk's bytes; only the marks that can open or close a quotation go through the small state
machine of the reference, whose spans this reproduces exactly. Texts with double quotes only, or
single quotes only, need no state machine at all. The marks are those of framing/data/text_rules.yaml.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from framing._chunk import LANDMARK, PAD, Chunk, utf8_width
from framing.text.rules import quote_rules

__all__ = ["quote_spans"]

# roles of a mark (framing.text.quotes.quote_spans)
SKIP, OPEN_D, CLOSE_D, EITHER_D, OPEN_S, CLOSE_S, NEWLINE, BREAK = range(8)


@lru_cache(maxsize=1)
def _fixed_roles() -> dict[str, int]:
    """The role of each mark with a direction (and of the line break)."""
    rules = quote_rules()
    roles = {"\n": NEWLINE}
    for chars, role in ((rules.double_open, OPEN_D), (rules.double_close, CLOSE_D), (rules.single_open, OPEN_S),
                        (rules.single_close, CLOSE_S)):
        roles.update(dict.fromkeys(chars, role))
    return roles


@lru_cache(maxsize=1)
def _non_ascii_marks() -> np.ndarray:
    """Sorted code points of the marks that are not ASCII."""
    return np.array(sorted({ord(c) for c in quote_rules().marks if ord(c) >= 0x80}), dtype=np.int64)


@lru_cache(maxsize=1)
def _ascii_marks() -> np.ndarray:
    """Per ASCII byte: is it a mark (or the line break)?"""
    _check_rules()
    table = np.zeros(256, dtype=bool)
    table[[ord(c) for c in quote_rules().marks if ord(c) < 0x80]] = True
    return table


def _codes(chars: str) -> np.ndarray:
    return np.array([ord(c) for c in chars], dtype=np.int64)


def _find_marks(chunk: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Byte offset, byte length and code point of every quotation mark and line break, in order.

    Apostrophes between two ASCII letters or digits (don't, Russia's) are left out at once.
    """
    pos, kind = chunk.landmarks
    a = chunk.padded
    cps = np.zeros(len(pos), dtype=np.int64)  # the mark's code point; 0: not a mark
    ascii_landmarks = np.flatnonzero(kind < LANDMARK["lead2"])
    byte = a[pos[ascii_landmarks] + PAD]
    is_mark = _ascii_marks()[byte]
    cps[ascii_landmarks[is_mark]] = byte[is_mark]
    if not chunk.is_ascii:
        lead = np.flatnonzero((kind == LANDMARK["lead2"]) | (kind == LANDMARK["lead3"]))
        cp = chunk.code_points(pos[lead])
        is_mark = np.isin(cp, _non_ascii_marks())
        cps[lead[is_mark]] = cp[is_mark]
    marks = np.flatnonzero(cps)
    pos, cps = pos[marks], cps[marks]
    width = utf8_width(cps)
    apostrophe = np.isin(cps, _codes(quote_rules().apostrophes))
    in_word = apostrophe & _ASCII_ALNUM[a[pos + PAD - 1]] & _ASCII_ALNUM[a[pos + width + PAD]]
    return pos[~in_word], width[~in_word], cps[~in_word]



_ASCII_ALNUM = np.array([chr(c).isalnum() for c in range(256)], dtype=bool) & (np.arange(256) < 128)


# classes of the characters around a mark (framing.text.quotes.quote_spans), by code point
ALNUM, OPENER, CLOSER_NEXT, CONTINUES = 1, 2, 4, 8
_TABLE = 0x2100  # every character these rules name is below this


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    table = np.zeros(_TABLE, dtype=np.uint8)
    for cp in range(_TABLE):
        table[cp] = ALNUM if chr(cp).isalnum() else 0
    rules = quote_rules()
    for chars, flag in ((rules.opens_after, OPENER), (rules.closes_before, CLOSER_NEXT),
                        (rules.paragraph_continues, CONTINUES)):
        for ch in chars:
            table[ord(ch)] |= flag
    return table


@lru_cache(maxsize=1)
def _role_table() -> np.ndarray:
    table = np.full(_TABLE, SKIP, dtype=np.int64)
    for ch, role in _fixed_roles().items():
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
    rules = quote_rules()
    straight = np.flatnonzero(np.isin(cps, _codes(rules.straight_double)))
    role[straight] = np.where(before[straight] & OPENER, OPEN_D,
                              np.where(after[straight] & CLOSER_NEXT, CLOSE_D, EITHER_D))
    # ' and ’: an apostrophe inside a word is never a mark; after a letter, or before a non-letter,
    # it closes an open single quotation (if any); ' after an opener and before a letter opens one
    apos = np.flatnonzero(np.isin(cps, _codes(rules.apostrophes)))
    b, n = before[apos], after[apos]
    opens = np.isin(cps[apos], _codes(rules.straight_single)) & ((b & (ALNUM | OPENER)) == OPENER) & ((n & ALNUM) > 0)
    role[apos] = np.where(opens, OPEN_S, np.where(n & ALNUM, SKIP, CLOSE_S))
    newline = np.flatnonzero(role == NEWLINE)
    if len(newline):
        role[newline[~_paragraph_continues(chunk, pos[newline], seg[newline])]] = BREAK
    keep = role != SKIP
    return chunk.to_chars(pos[keep]), role[keep], seg[keep]


def _paragraph_continues(chunk: Chunk, newline: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """For line breaks at these byte offsets: does the next non-blank character open a quotation?"""
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

    Sorted by start; the same spans as :func:`framing.text.quotes.quote_spans` text by text.
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
    """The state machine of :func:`framing.text.quotes.quote_spans` over pre-classified marks.

    The stack holds the positions of open quotation marks, single ones as ``~position``; the
    number of each kind on it is kept to skip closing marks that close nothing.
    """
    starts_out: list[int] = []
    ends_out: list[int] = []
    add_s, add_e = starts_out.append, ends_out.append

    def close_last(stack: list[int], double: bool, end: int) -> int:
        """Close the last open quotation of the kind and every one opened inside it (at ``end``);
        the number of the other kind closed with it."""
        k = len(stack) - 1
        while (stack[k] >= 0) != double:
            k -= 1
        for p in stack[k:]:
            add_s(p if p >= 0 else ~p)
            add_e(end)
        inside = len(stack) - 1 - k
        del stack[k:]
        return inside

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
                n_double -= close_last(stack, False, i + 1)
                n_single -= 1
        elif r == OPEN_D:
            if not (stack and stack[-1] >= 0):  # else a new paragraph of the same quotation
                stack.append(i)
                n_double += 1
        elif r == CLOSE_D:
            if n_double:  # close the last double quotation and any single one opened inside it
                n_single -= close_last(stack, True, i + 1)
                n_double -= 1
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


def _check_rules() -> None:
    """The marks of the rules are ones this code can find: ASCII ones among the chunk's landmarks,
    and every character the rules name below _TABLE (the class tables cover it)."""
    rules = quote_rules()
    named = set(rules.marks) | rules.opens_after | rules.closes_before | set(rules.paragraph_continues)
    landmarks = {chr(b) for b in range(128) if _landmark_byte(b)}
    if not all(ord(c) < _TABLE for c in named) or not all(c in landmarks for c in rules.marks if ord(c) < 0x80):
        raise AssertionError("framing/data/text_rules.yaml: quotation marks must be chunk landmarks "
                             "(framing._chunk.LANDMARK) and below U+2100")


def _landmark_byte(b: int) -> bool:
    return chr(b) in LANDMARK
