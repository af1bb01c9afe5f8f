"""Stage 3, voice: who is speaking when a term is used (authorial, quoted or distanced)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

__all__ = ["VOICES", "voice_spans", "voice_of", "assign_voices"]

VOICES = ("authorial", "quoted", "distanced")

_BRACKETS = re.compile(r"\[[^\[\]\n]*\]")
_SENTENCE_BREAK = re.compile(r"[.!?;:]\s|\n")
CUE_WINDOW = 100  # characters before a hit searched for a distancing cue


@dataclass(frozen=True)
class _Cues:
    before: re.Pattern
    inside: re.Pattern
    filler: re.Pattern
    possessive_tail: re.Pattern


@lru_cache(maxsize=8)
def _cue_spec(language: str = "en") -> dict:
    """The entry of ``language`` in framing/data/voice_cues.yaml."""
    data = yaml.safe_load(resources.files("framing").joinpath("data/voice_cues.yaml").read_text("utf-8"))
    if language not in data:
        from framing._errors import LexiconError

        raise LexiconError(f"no distancing cues for language {language!r} in framing/data/voice_cues.yaml; "
                           f"available: {sorted(data)}")
    return data[language]


@lru_cache(maxsize=8)
def _cues(language: str = "en") -> _Cues:
    spec = _cue_spec(language)
    cues = "|".join(f"(?:{c})" for c in spec["cues"])
    n = int(spec.get("max_words_between", 3))
    before = re.compile(rf"(?:^|[^\w])(?:{cues})(?:[\s\-]+[\w'’.\-]+){{0,{n}}}[\s\-]*[\"“‘'«]?\s*$", re.I)
    fillers = "|".join(re.escape(f).replace("'", "['’]") for f in spec.get("scare_quote_fillers", []))
    return _Cues(
        before=before,
        inside=re.compile(rf"(?:^|[^\w])(?:{cues})", re.I),
        filler=re.compile(rf"^\s*(?:(?:{fillers})\s+)?$", re.I),
        possessive_tail=re.compile(r"^(?:['’]s)?[\s,.;:!?]*$"),
    )


_MARKS = re.compile("[\n\"'“”„‟«»‹›‘’‚]")
_OPENERS = frozenset(" \t\n\xa0([{—–-‘'\"“")
_CONTINUES = "\"“„«"  # a paragraph opening with one of these continues an open double quotation
_CLOSERS_NEXT = frozenset(" \t\xa0\n.,;:!?)]}—–-’'")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans [open, close+1) of quotations, straight and curly, across paragraph breaks.

    Rules: curly and guillemet marks have a direction; a straight mark opens after a space or an
    opening bracket and closes otherwise; ' and ’ between letters are apostrophes; an opening
    double mark while a double quotation is open continues it (a quotation that runs over several
    paragraphs reopens each paragraph); a double quotation still open at a line break continues
    when the next paragraph opens with a quote mark and ends at the line break otherwise; a single
    quotation still open at a line break is dropped (it was an apostrophe).
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (family "d"/"s", position)
    n = len(text)
    for m in _MARKS.finditer(text):
        i = m.start()
        ch = text[i]
        if ch in "'’":
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if prev.isalnum():
                if nxt.isalnum() or not stack or stack[-1][0] != "s" and all(f != "s" for f, _ in stack):
                    continue  # apostrophe: don't, Russia’s, soldiers’
                role = "cs"
            elif ch == "'" and nxt.isalnum() and prev in _OPENERS:
                role = "os"
            elif any(f == "s" for f, _ in stack) and not nxt.isalnum():
                role = "cs"
            else:
                continue  # ’90s, a stray mark
        elif ch == "\n":
            if not stack:
                continue
            j = i + 1
            while j < n and text[j] in " \t\n\xa0":
                j += 1
            continues = j < n and text[j] in _CONTINUES
            kept = []
            for family, pos in stack:
                if family == "d" and continues:
                    kept.append((family, pos))
                elif family == "d":
                    spans.append((pos, i))
            stack = kept
            continue
        elif ch == '"':
            prev = text[i - 1] if i else " "
            if prev in _OPENERS:
                role = "od"
            elif i + 1 >= n or text[i + 1] in _CLOSERS_NEXT:
                role = "cd"
            else:
                role = "cd" if any(f == "d" for f, _ in stack) else "od"
        elif ch in "“„‟«":
            role = "od"
        elif ch in "”»":
            role = "cd"
        elif ch in "‘‚‹":
            role = "os"
        else:
            role = "cs"
        family = role[1]
        if role[0] == "o":
            if family == "d" and stack and stack[-1][0] == "d":
                continue  # a new paragraph of the same quotation, joined into one line
            stack.append((family, i))
        else:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == family:
                    for _, pos in stack[k:]:
                        spans.append((pos, i + 1))
                    del stack[k:]
                    break
    for family, pos in stack:
        if family == "d":
            spans.append((pos, n))
    spans.sort()
    return spans


def voice_spans(text: str) -> pd.DataFrame:
    """The quotations and the editorial insertions in a text, as character spans.

    Parameters
    ----------
    text : str

    Returns
    -------
    DataFrame
        Columns ``start, end, kind`` (``quotation`` or ``insertion``: square brackets inside a
        quotation, which are the author's words) and ``text``.

    Examples
    --------
    >>> from framing import voice_spans
    >>> voice_spans('“Our goals [in the conflict with Kiev] are clear,” he said.')[["start", "end", "kind"]]
       start  end       kind
    0      0   50  quotation
    1     11   38  insertion
    """
    quotes = _quote_spans(text)
    rows = [(s, e, "quotation") for s, e in quotes]
    for m in _BRACKETS.finditer(text):
        if any(s < m.start() and m.end() <= e for s, e in quotes):
            rows.append((m.start(), m.end(), "insertion"))
    rows.sort()
    return pd.DataFrame([(s, e, k, text[s:e]) for s, e, k in rows], columns=["start", "end", "kind", "text"])


class _Analyzer:
    """Voice of character spans of one text; quotation spans are computed once."""

    def __init__(self, text: str, language: str = "en", quotes: list[tuple[int, int]] | None = None):
        self.text = text
        self.cues = _cues(language)
        self.quotes = _quote_spans(text) if quotes is None else quotes
        self.starts = [s for s, _ in self.quotes]
        self.brackets = [(m.start(), m.end()) for m in _BRACKETS.finditer(text)] if "[" in text else []

    def _containing(self, start: int, end: int) -> list[tuple[int, int]]:
        k = bisect_right(self.starts, start)
        out = []
        for s, e in self.quotes[:k]:
            if s < start and end <= e:
                if any(s < bs <= start and end <= be <= e for bs, be in self.brackets):
                    continue  # in an editorial insertion: the author's words
                out.append((s, e))
        return out

    def _scare(self, span: tuple[int, int], covered: list[tuple[int, int]]) -> bool:
        """True when the quotation holds only lexicon terms (after an article or possessive)."""
        s, e = span
        return _is_scare(self.text, self.cues, span, [(a, b) for a, b in covered if s < a and b <= e])

    def voice(self, start: int, end: int, covered: Sequence[tuple[int, int]] = ()) -> str:
        spans = self._containing(start, end) if self.quotes else []
        if spans:
            terms = list(covered) or [(start, end)]
            if all(self._scare(sp, terms) for sp in spans):
                return "distanced"
            return "quoted"
        if self.cues.inside.search(self.text[start:end]):
            return "distanced"
        if _cue_before(self.cues, self.text, start):
            return "distanced"
        return "authorial"


def _is_scare(text: str, cues: _Cues, span: tuple[int, int], inner: list[tuple[int, int]]) -> bool:
    """True when the quotation ``span`` holds only the terms ``inner`` (after an article or possessive).

    ``inner``: the lexicon hits inside the quotation.
    """
    if not inner:
        return False
    s, e = span
    first = min(a for a, _ in inner)
    if not cues.filler.match(text[s + 1:first]):
        return False  # other words before the first term
    last = max(b for _, b in inner)
    pos = first
    for a, b in sorted(inner):
        if a > pos and text[pos:a].strip():
            return False  # a gap of other words between the terms
        pos = max(pos, b)
    tail = text[last:e - 1] if text[e - 1] in "\"'”’»›" else text[last:e]
    return bool(cues.possessive_tail.match(tail))


def _cue_before(cues: _Cues, text: str, start: int) -> bool:
    """True when a distancing cue ends at most a few words before ``start``, in the same sentence."""
    window = text[max(0, start - CUE_WINDOW):start]
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(window)]
    if breaks:
        window = window[breaks[-1]:]  # cues count only within the sentence
    return cues.before.search(window) is not None


def assign_voices(text: str, spans: Sequence[tuple[int, int]], language: str = "en") -> list[str]:
    """The voice of each span of one text, knowing all the lexicon hits in it.

    ``spans`` are every lexicon hit of the text (all contrasts): a quotation that holds only
    lexicon terms (scare quotes) makes them ``distanced``, any other quotation makes a hit
    ``quoted``, a distancing cue up to three words before a hit (or inside it) makes it
    ``distanced``, and everything else is ``authorial``. Square-bracket insertions inside a
    quotation are the author's words.

    Examples
    --------
    >>> from framing import assign_voices
    >>> text = 'Russia calls it a "special military operation". Kyiv says invasion.'
    >>> assign_voices(text, [(19, 45), (59, 67)])
    ['distanced', 'authorial']
    """
    analyzer = _Analyzer(text, language)
    covered = list(spans)
    return [analyzer.voice(s, e, covered) for s, e in covered]


def voice_of(text: str, start: int, end: int, *, language: str = "en") -> str:
    """The voice of the span ``text[start:end]``: ``authorial``, ``quoted`` or ``distanced``.

    Parameters
    ----------
    text : str
        The whole text (a quotation may open paragraphs earlier).
    start, end : int
        Character offsets of the term.
    language : str, default="en"
        Which distancing cues to use (``framing/data/voice_cues.yaml``).

    Examples
    --------
    >>> from framing import voice_of
    >>> t = '"The special military operation is continuing," Mr Peskov said.'
    >>> voice_of(t, 5, 31)
    'quoted'
    >>> t = "Moscow held what it called referendums in four regions."
    >>> voice_of(t, 27, 38)
    'distanced'
    >>> t = "Russia launched its military operation in Ukraine in February 2022."
    >>> voice_of(t, 20, 38)
    'authorial'
    """
    return _Analyzer(text, language).voice(start, end)
