"""Stage 3, voice: who is speaking when a term is used (authorial, quoted, distanced or attributed).

Precedence, strongest evidence first: a hit inside quotation marks is ``quoted`` (or ``distanced``
when the quotation holds only lexicon terms: scare quotes); outside quotation marks, a distancing
cue ("so-called", "self-proclaimed", "what X calls", "pseudo-") makes it ``distanced``, the outlet
marking doubt; else an attribution frame ("which Moscow calls ...", "was described as ...",
"claimed that ... neo-Nazis") makes it ``attributed``, the wording given as someone else's without
the outlet's doubt; everything else is ``authorial``. Quotation marks are the surest sign of other
people's words and a cue is an explicit stance, so both outrank a frame (and "what X calls" is
both a frame and a cue: distanced). The rules and cue lists are data: framing/data/voice_cues.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

from framing._voices import VOICES
from framing.text import clause_bounds_at, quote_spans

__all__ = ["VOICES", "voice_spans", "voice_of", "assign_voices"]

BRACKETS = re.compile(r"\[[^\[\]\n]*\]")
CUE_WINDOW = 100  # characters before a hit searched for a distancing cue


@dataclass(frozen=True)
class _Cues:
    before: re.Pattern
    inside: re.Pattern
    filler: re.Pattern
    possessive_tail: re.Pattern


@lru_cache(maxsize=8)
def cue_spec(language: str = "en") -> dict:
    """The entry of ``language`` in framing/data/voice_cues.yaml."""
    data = yaml.safe_load(resources.files("framing").joinpath("data/voice_cues.yaml").read_text("utf-8"))
    if language not in data:
        from framing._errors import LexiconError

        raise LexiconError(f"no distancing cues for language {language!r} in framing/data/voice_cues.yaml; "
                           f"available: {sorted(data)}")
    return data[language]


@lru_cache(maxsize=8)
def cue_rules(language: str = "en") -> _Cues:
    spec = cue_spec(language)
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


@dataclass(frozen=True)
class _Frame:
    """One attribution frame of voice_cues.yaml, compiled."""

    id: str
    kinds: frozenset
    before: re.Pattern | None
    after: re.Pattern | None
    triggers: frozenset  # each match holds one of these words (lowercase)
    # each match of ``before`` starts with one of these trigger words (None: not known to), read
    # from the template by _leading_lists; framing.match.voices then tries it only where one starts
    first_words: frozenset | None = None
    # each match of ``before`` starts with one of these words (from lists that need not be triggers)
    lead_words: frozenset | None = None


@dataclass(frozen=True)
class Attribution:
    frames: tuple[_Frame, ...]
    window_before: int
    window_after: int
    triggers: tuple[str, ...]  # every word (lowercase) of which each frame match holds one


_FRAME_FLAGS = re.ASCII | re.IGNORECASE  # ASCII letters and case folding, as the matchers'


def _alternation(items) -> str:
    """Whole words or phrases (a space: any run of whitespace, ' also ’), as one regex trie.

    A trie ("call(?:s|ed|ing)?") is tested in one pass at each position; a plain alternation of
    a hundred words would be tried word by word.
    """
    trie: dict = {}
    for item in {" ".join(str(i).lower().split()) for i in items}:
        node = trie
        for ch in item:
            node = node.setdefault(ch, {})
        node[""] = {}  # the end of an item

    def emit(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            atom = r"\s+" if ch == " " else "['’]" if ch in "'’" else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return (body + "?") if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + body + ")?"
        return body

    return r"\b" + emit(trie) + r"\b"


def _frame_regex(template: str, lists: dict[str, str], where: str) -> re.Pattern:
    """Compile a frame template: ``{list}`` placeholders, a space for any run of whitespace."""
    from framing._errors import LexiconError

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in lists:
            raise LexiconError(f"framing/data/voice_cues.yaml, attribution frame {where}: unknown list "
                               f"{{{name}}}; the lists are {sorted(lists)}")
        return "(?:" + lists[name] + ")"

    body = re.sub(r"\{([a-z_]+)\}", sub, template.replace(" ", r"\s+"))
    try:
        return re.compile(body, _FRAME_FLAGS)
    except re.error as exc:
        raise LexiconError(f"framing/data/voice_cues.yaml, attribution frame {where}: not a valid "
                           f"regular expression ({exc})") from None


@lru_cache(maxsize=8)
def attribution_rules(language: str = "en") -> Attribution:
    """The attribution frames of ``language`` (none when the language has no ``attribution``)."""
    from framing._errors import LexiconError

    spec = cue_spec(language).get("attribution") or {}
    raw = dict(spec.get("lists") or {})
    for name, items in raw.items():
        bad = [i for i in items if not isinstance(i, str)] if isinstance(items, list) else [items]
        if bad:
            raise LexiconError(f"framing/data/voice_cues.yaml, attribution list {name!r}: {bad[0]!r} is not a "
                               f"word; give a list of words and quote those YAML reads otherwise (\"on\", \"no\")")
    lists = {k: _alternation(v) for k, v in raw.items()}
    fn = lists.get("function", r"(?!)")
    lists["word"] = rf"(?!{fn}(?![\w'’-]))\w[\w'’.\-]*"
    breaks = lists.get("clause_break", r"(?!)")
    lists["tok"] = rf"(?!{breaks}(?![\w'’-]))(?!-+(?:\s|$))[^\s;:!?()\[\]{{}}\"“”«»—–]+"
    det = lists.get("determiner", r"(?!)")
    lists["name"] = rf"(?:{det}\s+)?(?:(?:{lists['word']}|of)\s+){{0,3}}"
    frames, triggers = [], set()
    for k, f in enumerate(spec.get("frames") or []):
        where = f"{f.get('id', k)!r}"
        if not f.get("before") and not f.get("after"):
            raise LexiconError(f"framing/data/voice_cues.yaml, attribution frame {where}: needs `before` or `after`")
        own = set()
        for t in f.get("triggers") or []:
            for w in raw.get(t, [t]):
                word = str(w).split()[0].lower()
                if not re.fullmatch(r"[a-z]+", word):
                    raise LexiconError(f"framing/data/voice_cues.yaml, attribution frame {where}: trigger "
                                       f"{word!r} must be a word of ASCII letters (the scan looks for it)")
                own.add(word)
        if not own:
            raise LexiconError(f"framing/data/voice_cues.yaml, attribution frame {where}: needs `triggers`")
        triggers |= own
        frames.append(_Frame(
            id=str(f["id"]), kinds=frozenset(f.get("kinds") or ("spelling", "naming", "label")),
            before=_frame_regex(f["before"], lists, where) if f.get("before") else None,
            after=_frame_regex(f["after"], lists, where) if f.get("after") else None,
            triggers=frozenset(own), first_words=_first_words(f, raw), lead_words=_first_words(f, raw, False)))
    return Attribution(tuple(frames), int(spec.get("window_before", 250)), int(spec.get("window_after", 120)),
                        tuple(sorted(triggers)))


def _first_words(frame: dict, lists: dict[str, list], triggers_only: bool = True) -> frozenset | None:
    """The words one of which starts every match of the frame's ``before`` (None if unknown).

    Known when the template starts, in each of its alternatives, with a ``{list}`` (with
    ``triggers_only``, one of the frame's ``triggers``: ``(?:{naming_verb} ...|{naming_as_verb} ...)``):
    each match then starts with an item of those lists, so with the first word of one.
    """
    leading = _leading_lists(frame.get("before") or "")
    triggers = set(frame.get("triggers") or [])
    if not leading or triggers_only and not leading <= triggers \
            or not all(isinstance(lists.get(name), list) for name in leading):
        return None
    return frozenset(str(item).split()[0].lower() for name in leading for item in lists[name])


def _leading_lists(template: str) -> set[str] | None:
    """The ``{list}`` placeholders one of which every match of a frame template starts with, or None.

    Reads top-level alternatives and ``(?:...)`` groups; anything else first (a literal, an
    optional or repeated group or list, a class) gives None.
    """
    alternatives = _split_alternatives(template)
    if alternatives is None:
        return None
    out: set[str] = set()
    for alt in alternatives:
        m = re.match(r"\{([a-z_]+)\}", alt)
        if m:
            if alt[m.end():m.end() + 1] in ("?", "*", "+", "{"):
                return None
            out.add(m.group(1))
            continue
        if not alt.startswith("(?:"):
            return None
        close = _closing_paren(alt)
        if close is None or alt[close + 1:close + 2] in ("?", "*", "+", "{"):
            return None
        inner = _leading_lists(alt[3:close])
        if inner is None:
            return None
        out |= inner
    return out


def _regex_chars(text: str):
    """(index, character, parenthesis depth after it) of each character of a regex that is neither
    escaped nor inside a ``[...]`` class."""
    depth, k, in_class = 0, 0, False
    while k < len(text):
        ch = text[k]
        if ch == "\\":
            k += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += (ch == "(") - (ch == ")")
            yield k, ch, depth
        k += 1


def _closing_paren(text: str) -> int | None:
    """Index of the parenthesis closing the group that opens ``text`` (None if unbalanced)."""
    for k, ch, depth in _regex_chars(text):
        if ch == ")" and depth == 0:
            return k
    return None


def _split_alternatives(text: str) -> list[str] | None:
    """``text`` split at its top-level ``|`` (None if its parentheses do not balance)."""
    parts, start, depth = [], 0, 0
    for k, ch, depth in _regex_chars(text):  # depth: after the last character, read below
        if depth < 0:
            return None
        if ch == "|" and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    return None if depth else parts + [text[start:]]


def attributed_by(text: str, start: int, end: int, kind: str | None, attribution: Attribution,
                triggers: Sequence[tuple[int, str]] | None = None, clause: tuple[int, int] | None = None):
    """(frame id, frame start, frame end) of the first frame attributing ``text[start:end]``, or None.

    ``kind``: the contrast's kind (None reads as ``naming``). Frames are matched within the hit's
    clause (:func:`framing.text.clause_bounds_at`, at most the attribution windows around the hit):
    ``before`` on the clause before the hit, ``after`` on the clause after it; ``clause``: its
    bounds, if known. ``triggers``: (end offset, word) of trigger words found around the hit by a
    scan, if known: only the frames with one of these words in the windows can match, so only
    those are tried.
    """
    if not attribution.frames:
        return None
    kind = kind or "naming"
    lo, hi = clause if clause is not None else clause_bounds_at(text, start, end, attribution.window_before,
                                                                attribution.window_after)
    before = text[lo:start]
    after = text[end:hi]
    present = None
    if triggers is not None:
        present = {w for e, w in triggers if lo < e <= start or end < e <= end + len(after)}
        if not present:
            return None
    for frame in attribution.frames:
        if kind not in frame.kinds or present is not None and not frame.triggers & present:
            continue
        mb = frame.before.search(before) if frame.before is not None else None
        if frame.before is not None and mb is None:
            continue
        ma = frame.after.match(after) if frame.after is not None else None
        if frame.after is not None and ma is None:
            continue
        if mb is not None:
            return frame.id, lo + mb.start(), lo + mb.end()
        return frame.id, end + ma.start(), end + ma.end()
    return None


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
    quotes = quote_spans(text)
    rows = [(s, e, "quotation") for s, e in quotes]
    for m in BRACKETS.finditer(text):
        if any(s < m.start() and m.end() <= e for s, e in quotes):
            rows.append((m.start(), m.end(), "insertion"))
    rows.sort()
    return pd.DataFrame([(s, e, k, text[s:e]) for s, e, k in rows], columns=["start", "end", "kind", "text"])


class Analyzer:
    """Voice of character spans of one text; quotation spans are computed once."""

    def __init__(self, text: str, language: str = "en", quotes: list[tuple[int, int]] | None = None):
        self.text = text
        self.cues = cue_rules(language)
        self.attribution = attribution_rules(language)
        self.quotes = quote_spans(text) if quotes is None else quotes
        self.starts = [s for s, _ in self.quotes]
        self.brackets = [(m.start(), m.end()) for m in BRACKETS.finditer(text)] if "[" in text else []

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
        return is_scare_quote(self.text, self.cues, span, [(a, b) for a, b in covered if s < a and b <= e])

    def explain(self, start: int, end: int, covered: Sequence[tuple[int, int]] = (),
                kind: str | None = None) -> tuple[str, str, int, int]:
        """(voice, rule, evidence start, evidence end) of the span: the rule that decided the voice.

        Rules, in order of precedence: ``quotation`` (the innermost quotation holding the hit),
        ``scare_quotes`` (it, holding only lexicon terms), ``distancing_cue`` (the cue), an
        attribution frame's id (the frame's words), ``editorial_insertion`` (the brackets of an
        insertion inside a quotation: the author's words), ``none`` (-1, -1).
        """
        spans = self._containing(start, end) if self.quotes else []
        if spans:
            terms = list(covered) or [(start, end)]
            scare = [self._scare(sp, terms) for sp in spans]
            if all(scare):
                return ("distanced", "scare_quotes", *spans[-1])
            return ("quoted", "quotation", *[sp for sp, sc in zip(spans, scare, strict=True) if not sc][-1])
        m = self.cues.inside.search(self.text[start:end])
        if m is not None:
            return "distanced", "distancing_cue", start + m.start() + _lead(m), start + m.end()
        cue = _cue_before_span(self.cues, self.text, start)
        if cue is not None:
            return ("distanced", "distancing_cue", *cue)
        frame = attributed_by(self.text, start, end, kind, self.attribution)
        if frame is not None:
            return ("attributed", *frame)
        if self.brackets:
            for bs, be in self.brackets:
                if bs < start and end <= be and any(s < bs and be <= e for s, e in self.quotes):
                    return "authorial", "editorial_insertion", bs, be
        return "authorial", "none", -1, -1

    def voice(self, start: int, end: int, covered: Sequence[tuple[int, int]] = (), kind: str | None = None) -> str:
        return self.explain(start, end, covered, kind)[0]


def is_scare_quote(text: str, cues: _Cues, span: tuple[int, int], inner: list[tuple[int, int]]) -> bool:
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


def cue_before(cues: _Cues, text: str, start: int, lo: int | None = None) -> bool:
    """True when a distancing cue ends at most a few words before ``start``, in the same clause."""
    return _cue_before_span(cues, text, start, lo) is not None


def _cue_before_span(cues: _Cues, text: str, start: int, lo: int | None = None) -> tuple[int, int] | None:
    """(start, end) in ``text`` of the distancing cue (and the words after it) before ``start``, or None.

    The cue is looked for in the hit's clause (:func:`framing.text.clause_bounds_at`), at most
    ``CUE_WINDOW`` characters before ``start``; ``lo``: where that window starts, if known.
    """
    if lo is None:
        lo = clause_bounds_at(text, start, start, CUE_WINDOW, 0)[0]
    m = cues.before.search(text[lo:start])  # (the cue regex is anchored at the window's ends)
    if m is None:
        return None
    return lo + m.start() + _lead(m), lo + m.end()


def _lead(m: re.Match) -> int:
    """1 when a cue match starts with the non-word character before the cue (``(?:^|[^\\w])``), else 0."""
    first = m.group(0)[:1]
    return 1 if first and not (first.isalnum() or first == "_") else 0


def assign_voices(text: str, spans: Sequence[tuple[int, int]], language: str = "en",
                  kinds: Sequence[str | None] | None = None) -> list[str]:
    """The voice of each span of one text, knowing all the lexicon hits in it.

    ``spans`` are every lexicon hit of the text (all contrasts): a quotation that holds only
    lexicon terms (scare quotes) makes them ``distanced``, any other quotation makes a hit
    ``quoted``, a distancing cue up to three words before a hit (or inside it) makes it
    ``distanced``, an attribution frame makes it ``attributed``, and everything else is
    ``authorial``. Square-bracket insertions inside a quotation are the author's words.
    ``kinds``: the contrast kind of each span (``spelling``, ``naming``, ``label`` or None,
    read as ``naming``); claim frames attribute only labels.

    Examples
    --------
    >>> from framing import assign_voices
    >>> text = 'Russia calls it a "special military operation". Kyiv says invasion.'
    >>> assign_voices(text, [(19, 45), (59, 67)])
    ['distanced', 'authorial']
    >>> text = "Putin claimed that Kyiv is run by neo-Nazis."
    >>> assign_voices(text, [(19, 23), (34, 43)], kinds=["spelling", "label"])
    ['authorial', 'attributed']
    """
    analyzer = Analyzer(text, language)
    covered = list(spans)
    kinds = list(kinds) if kinds is not None else [None] * len(covered)
    return [analyzer.voice(s, e, covered, k) for (s, e), k in zip(covered, kinds, strict=True)]


def voice_of(text: str, start: int, end: int, *, language: str = "en", kind: str | None = None,
             explain: bool = False) -> str | dict:
    """The voice of the span ``text[start:end]``: ``authorial``, ``quoted``, ``distanced`` or ``attributed``.

    Parameters
    ----------
    text : str
        The whole text (a quotation may open paragraphs earlier).
    start, end : int
        Character offsets of the term.
    language : str, default="en"
        Which cues and attribution frames to use (``framing/data/voice_cues.yaml``).
    kind : {"spelling", "naming", "label"}, optional
        The kind of the term's contrast (None reads as ``naming``): a claim frame ("X claimed
        that ...") attributes a label, never a name or a spelling.
    explain : bool, default=False
        Return a dict ``voice, rule, cue, cue_start, cue_end``: the rule that decided (``quotation``,
        ``scare_quotes``, ``distancing_cue``, an attribution frame's id, ``editorial_insertion`` or
        ``none``) and the text and offsets of its evidence (-1 for ``none``).

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
    >>> t = "The war, which the Kremlin calls a special military operation, goes on."
    >>> voice_of(t, 35, 61, explain=True)
    {'voice': 'attributed', 'rule': 'naming_relative', 'cue': 'which the Kremlin calls a ', 'cue_start': 9, 'cue_end': 35}
    """
    voice, rule, a, b = Analyzer(text, language).explain(start, end, (), kind)
    if not explain:
        return voice
    return {"voice": voice, "rule": rule, "cue": text[a:b] if a >= 0 else "", "cue_start": a, "cue_end": b}
