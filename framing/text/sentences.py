"""Sentences and clauses of one text: the readable reference (``chunk_sentences`` is its vectorised twin).

A sentence ends

- at every line break;
- at a run of terminal marks (``. ! ? …``), with any closing marks after it (``continuing."``),
  followed by spaces and, after any opening marks, a capital letter or a digit, except that a
  single period with no closing mark does not end a sentence after a title (``Mr``, ``Gen.``,
  ``St.``), nor after a word that comes before numbers when a digit follows (``Aug. 11``,
  ``No. 10``), and after an ambiguous abbreviation (``Inc``, ``Jr``), an initial (``J.``) or a
  dotted abbreviation (``U.S.``, ``a.m.``) only when a word that usually starts a sentence
  follows (``The``, ``He``, ``But``).

Whitespace around a sentence and leading bullets (``•``, ``-`` followed by a space) are not part
of it. A *clause* is a sentence cut again after ``;`` or ``:`` followed by whitespace; it is the
unit in which :mod:`framing.voice` reads distancing cues and attribution frames. The words and
marks are data: framing/data/text_rules.yaml (:mod:`framing.text.rules`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from framing.text.rules import SentenceRules, sentence_rules

__all__ = ["sentence_spans", "sentence_at", "sentence_bounds_at", "clause_bounds_at", "ends_sentence",
           "sentence_breaks"]


class _Compiled:
    """The regular expressions of the rules."""

    def __init__(self, rules: SentenceRules):
        t, c, s = (re.escape(x) for x in (rules.terminals, rules.closers, rules.spaces))
        self.end = re.compile(f"[{t}]+[{c}]*(?=[{s}]+(\\S))")
        self.bullet = re.compile(f"(?:\\s|[{re.escape(rules.bullets)}](?=\\s))*")
        self.clause = re.compile(f"[{re.escape(rules.clause_breaks)}]\\s")
        self.dotted = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]|[A-Z]")  # U.S, a.m, e.g; a single capital
        self.word = re.compile(r"\w+")
        self.stops = rules.terminals + rules.closers


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    return _Compiled(sentence_rules())


def ends_sentence(text: str, end: int, next_at: int) -> bool:
    """Whether the terminal marks (and closing marks) ending at ``end``, followed by spaces and the
    character at ``next_at``, end a sentence.

    Examples
    --------
    >>> from framing.text.sentences import ends_sentence
    >>> t = "Talks ended at 3 p.m. The Kremlin said so. No. 10 agreed."
    >>> ends_sentence(t, 21, 22), ends_sentence(t, 45, 46)
    (True, False)
    """
    rules, rx = sentence_rules(), _compiled()
    j = next_at
    while j < len(text) - 1 and text[j] in rules.openers:
        j += 1
    nxt = text[j]
    if not (nxt.isupper() or nxt.isdigit()):
        return False  # "Why?" he asked. / "e.g. the"
    if text[end - 1] != "." or (end >= 2 and text[end - 2] in rules.terminals):
        return True  # ! ? ellipsis, a run of marks, or a period followed by a closing mark
    k = end - 1
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    word = text[k:end - 1].lstrip(rules.openers)
    if word in rules.titles:
        return False
    if word in rules.before_number:
        return not nxt.isdigit()
    if word in rules.ambiguous or rx.dotted.fullmatch(word):
        following = rx.word.match(text, j, j + 40)
        return following is not None and following.group() in rules.starters
    return True


def sentence_breaks(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """``(end, next)`` of each sentence break that may bound a sentence reaching into ``[lo, hi]``.

    ``end``: where the sentence before the break ends (after its marks, or at the line break);
    ``next``: where the text after it resumes (the same offset, or after the line break). In text
    order; breaks wholly outside ``[lo, hi]`` may be left out.

    Examples
    --------
    >>> from framing.text.sentences import sentence_breaks
    >>> sentence_breaks("It ended. Mr. Smith left.\\nNext")
    [(9, 9), (25, 26)]
    """
    hi = len(text) if hi is None else min(hi, len(text))
    lo = max(0, min(lo, hi))
    rx = _compiled()
    line_start = text.rfind("\n", 0, lo) + 1
    pos = lo
    while pos > line_start and text[pos - 1] in rx.stops:  # to the start of a run of marks reaching lo
        pos -= 1
    out: list[tuple[int, int]] = []
    while True:
        line_end = text.find("\n", pos)
        if line_end < 0:
            line_end = len(text)
        for m in rx.end.finditer(text, pos, line_end):
            if m.start() > hi:
                break
            if ends_sentence(text, m.end(), m.start(1)):
                out.append((m.end(), m.end()))
        if line_end >= len(text) or line_end > hi:
            return out
        out.append((line_end, line_end + 1))
        pos = line_end + 1


def _trim(text: str, s: int, e: int, start: int | None = None, end: int | None = None) -> tuple[int, int]:
    """(s, e) without leading whitespace and bullets and trailing whitespace (never past a hit)."""
    s = _compiled().bullet.match(text, s, e).end()
    if start is not None:
        s = min(s, start)
    while e > s and text[e - 1].isspace() and (end is None or e > end):
        e -= 1
    return s, e


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` of the sentences of ``text``, in order (empty ones left out).

    Examples
    --------
    >>> from framing.text import sentence_spans
    >>> t = "Talks ended at 3 p.m. The Kremlin said Kiev refused.\\n- No. 10 about Kiev today."
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Talks ended at 3 p.m.', 'The Kremlin said Kiev refused.', 'No. 10 about Kiev today.']
    """
    out = []
    start = 0
    for end, nxt in sentence_breaks(text) + [(len(text), len(text))]:
        s, e = _trim(text, start, end)
        if e > s:
            out.append((s, e))
        start = nxt
    return out


def sentence_bounds_at(text: str, start: int, end: int, before: int = 400, after: int = 400) -> tuple[int, int]:
    """``(s, e)``: the sentence of ``text`` around ``[start, end)``, at most ``before`` characters
    before ``start`` and ``after`` characters after ``end``.

    A span over a sentence break gets both sentences. Inside one sentence (and the limits),
    ``(s, e)`` is that sentence of :func:`sentence_spans`.

    Examples
    --------
    >>> from framing.text.sentences import sentence_bounds_at
    >>> sentence_bounds_at("No. 10 about Kiev today.", 13, 17)
    (0, 24)
    """
    lo, hi = max(0, start - before), min(len(text), end + after)
    s, e = lo, hi
    for b_end, b_next in sentence_breaks(text, lo, hi):
        if b_next <= start:
            s = max(s, b_next)
        elif b_end >= end:
            e = min(e, b_end)
            break
    return _trim(text, s, e, start, end)


def sentence_at(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence of ``text`` around ``[start, end)`` (at most ``limit`` characters each side).

    Examples
    --------
    >>> from framing.text import sentence_at
    >>> t = "Talks ended at 3 p.m. The Kremlin said Kiev refused."
    >>> sentence_at(t, 39, 43)
    'The Kremlin said Kiev refused.'
    >>> sentence_at("No. 10 about Kiev today.", 13, 17)
    'No. 10 about Kiev today.'
    """
    s, e = sentence_bounds_at(text, start, end, limit, limit)
    return text[s:e]


def clause_bounds_at(text: str, start: int, end: int, before: int, after: int) -> tuple[int, int]:
    """``(s, e)``: the clause of ``text`` around ``[start, end)``, at most ``before`` characters
    before ``start`` and ``after`` characters after ``end``.

    The sentence (:func:`sentence_bounds_at`), cut after the last ``;`` or ``:`` followed by
    whitespace before the span (the clause starts after that whitespace character) and at the
    first one after it.

    Examples
    --------
    >>> from framing.text.sentences import clause_bounds_at
    >>> t = "Mr. Putin spoke: what Gen. Gerasimov calls liberation; no more."
    >>> s, e = clause_bounds_at(t, 43, 53, 100, 100)
    >>> t[s:e]
    'what Gen. Gerasimov calls liberation'
    """
    s, e = sentence_bounds_at(text, start, end, before, after)
    rx = _compiled().clause
    for m in rx.finditer(text, s, start):
        s = m.end()
    m = rx.search(text, end, e)
    if m is not None and m.start() < e:
        e = m.start()
    return s, e
