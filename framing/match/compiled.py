"""The compiled lexicon (:func:`compile_lexicon`): one scan per chunk of texts for the whole lexicon.

Two engines give identical raw matches (a test checks it). Both scan the UTF-8 bytes of a chunk
of texts joined by a separator, and both use the same byte regular expression per pattern: ASCII
word boundaries and case folding, plus explicit alternatives for typographic apostrophes,
hyphens, no-break spaces and non-ASCII letters, so the original text is matched as is and offsets
always refer to it. Overlaps are resolved afterwards (``framing.match``).

- ``hyperscan``: one Hyperscan database (a multi-pattern automaton) reports the end of every
  match. It is compiled without start-of-match tracking, which makes the scan about twice as fast:
  most patterns have a fixed width in bytes, so start = end - width; for the others (several
  words, ``*`` endings, apostrophes) the start is where the bytes before the end spell the
  pattern's shortest form, or else found with the pattern's own regular expression. The same scan
  reports where a distancing cue may end (``framing.match.prefilter``), for :mod:`framing.voice`.
- ``python`` (portable, pure Python, ``re`` and numpy): every pattern has a key, the first letters
  of its first word (and of the next one); the word starts of the chunk whose words fit a key
  are found with array operations, and each such candidate is confirmed with the regular
  expressions of those patterns, anchored there.

Measured on ukraine-media-2022 (benchmarks/bench_match.py --engines): Hyperscan with start-of-match
tracking scans at about half the speed; Aho-Corasick automata (pyahocorasick, ahocorasick-rs)
over the lowercased surface forms are slower than Hyperscan without giving word boundaries,
whitespace runs or ``*`` endings; one Python regex alternation of all patterns is some thirty
times slower than the portable engine.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing._chunk import SEPARATOR, Chunk
from framing.lexicon import Lexicon, load_lexicon

try:  # pragma: no cover - depends on the platform
    import hyperscan as _hs
except ImportError:  # pragma: no cover
    _hs = None

__all__ = ["CompiledLexicon", "available_engines", "pattern_regex", "SEPARATOR"]

_APOS = "'’‘ʼ"
_HYPHENS = "-‐‑"
_SPACES = "\xa0\u2007\u2009\u202f"
_HEAD = 4  # bytes of a pattern's first word used to find candidates (portable engine)
_WORD_BYTES = np.zeros(256, dtype=bool)  # ASCII word characters after lowercasing (\b, \w)
_WORD_BYTES[[ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789_"]] = True
_RAW_WORD_BYTES = _WORD_BYTES.copy()  # ... before lowercasing
_RAW_WORD_BYTES[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]] = True


def available_engines() -> list[str]:
    """The matching engines usable here, fastest first.

    Examples
    --------
    >>> from framing.match import available_engines
    >>> "python" in available_engines()
    True
    """
    return (["hyperscan"] if _hs is not None else []) + ["python"]


def _alt(chars: str, for_bytes: bool) -> str:
    """A regex alternative matching any one of ``chars`` (UTF-8 byte sequences when for_bytes)."""
    if not for_bytes:
        return "[" + "".join(re.escape(c) for c in chars) + "]"
    parts = []
    for c in chars:
        b = c.encode("utf-8")
        parts.append(re.escape(c) if len(b) == 1 else "".join(f"\\x{x:02x}" for x in b))
    return "(?:" + "|".join(parts) + ")"


def pattern_regex(pattern: str, case_sensitive: bool = False, *, for_bytes: bool = False, linear: bool = True) -> str:
    """The regular expression of a lexicon pattern (DESIGN.md, *Lexicon format*).

    Whole words; ``*`` ends a word with any ending; a space matches any run of whitespace; a
    hyphen matches a hyphen or whitespace; apostrophes match typographic ones. With
    ``for_bytes`` the expression is for UTF-8 bytes (what both engines scan).

    With ``linear`` (for Python's ``re``), a run of spaces and hyphens between two words is
    written so that backtracking cannot try the ways of sharing a long stretch of whitespace
    between its tokens (each token takes one character, the last of a stretch the rest,
    possessively). The run between two words is always matched
    whole (the next word starts with a letter), so this matches exactly what the plain form
    (``linear=False``, what Hyperscan compiles into an automaton) matches, at the same offsets, in
    time linear in the run's length (the plain form takes cubic time on ``so - called`` before a
    long run of spaces, exponential on ``a - - - - b``).

    Examples
    --------
    >>> from framing.match import pattern_regex
    >>> pattern_regex("annex*")
    '\\\\bannex\\\\w*\\\\b'
    >>> import re
    >>> bool(re.fullmatch(pattern_regex("so - called"), "so -  called")), bool(re.match(pattern_regex("so - called"), "so called"))
    (True, False)
    """
    ws1 = ("(?:\\s|" + _alt(_SPACES, True)[3:-1] + ")") if for_bytes else ("[\\s" + _SPACES + "]")
    ws = ws1 + "+"
    if for_bytes:  # lookbehinds need a fixed width: one per width
        after_ws = "(?:" + "|".join(f"(?<={x})" for x in ["\\s", *_alt(_SPACES, True)[3:-1].split("|")]) + ")"
    else:
        after_ws = f"(?<={ws1})"
    hyph = _alt(_HYPHENS, for_bytes)
    hyphen = "(?:" + hyph + "|" + ws + ")"
    apos = _alt(_APOS, for_bytes)
    items: list = []  # rendered literal parts (str) and gap tokens: "S" (a space), "Y" (a hyphen)
    firsts: list = []  # the first pattern character of each literal
    for w, word in enumerate(pattern.split()):
        if w:
            items.append("S")
        for k, part in enumerate(word.split("-")):
            if k:
                items.append("Y")
            wild = part.endswith("*")
            core = part[:-1] if part.endswith("*") else part
            chars = []
            for c in core:
                if c in _APOS:
                    chars.append(apos)
                elif not c.isascii():
                    variants = c if case_sensitive else "".join(dict.fromkeys(c + c.lower() + c.upper()))
                    variants = "".join(v for v in variants if len(v) == 1)
                    chars.append(_alt(variants, for_bytes) if len(variants) > 1 or for_bytes else re.escape(c))
                else:
                    chars.append(re.escape(c))
            rendered = "".join(chars) + ("\\w*" if wild else "")
            if rendered:
                items.append(rendered)
                firsts.append(core[:1] or part[:1])
    out = []
    gap: list[str] = []
    n_lit = 0
    for item in [*items, None]:
        if item in ("S", "Y"):
            gap.append(item)
            continue
        if gap:
            gap_char = item is None or not firsts[n_lit] or firsts[n_lit] in _HYPHENS + _SPACES + "-" \
                or firsts[n_lit].isspace()
            if linear and not gap_char:  # a whole run between two words
                out.append(_linear_gap(gap, ws1, hyph, after_ws))
            else:
                out.append("".join(ws if t == "S" else hyphen for t in gap))
            gap = []
        if item is not None:
            out.append(item)
            n_lit += 1
    body = "".join(out)
    first, last = pattern.strip()[0], pattern.strip()[-1]
    # ASCII word boundaries where the pattern starts/ends with an ASCII word character; other edges
    # are checked against Unicode letters after the scan (CompiledLexicon.scan_chunk)
    lead = "\\b" if (first.isascii() and (first.isalnum() or first == "_")) else ""
    trail = "\\b" if (last.isascii() and (last.isalnum() or last in "_*")) else ""
    return f"{lead}{body}{trail}"


def _linear_gap(tokens: list[str], ws1: str, hyph: str, after_ws: str) -> str:
    """The run of spaces (``S``: whitespace) and hyphens (``Y``: a hyphen or whitespace) between two
    words, matched in time linear in the run's length (see :func:`pattern_regex`).

    The run is always matched whole (the next word starts with a letter), so possessive quantifiers
    change nothing but the time: one space or one hyphen is a possessive whitespace run. In a longer
    run each token takes exactly one whitespace character, and the rest of a stretch of whitespace
    goes, possessively, to the token that ends it (before a hyphen, or at the end of the run): any
    other way of sharing the stretch matches the same text, so backtracking only tries which of
    the ``Y`` are hyphens (at most ``2 ** hyphens`` ways, whatever the length of the text).
    """
    if tokens == ["S"]:
        return f"{ws1}++"
    if tokens == ["Y"]:
        return f"(?:{hyph}|{ws1}++)"
    rest = f"(?:{after_ws}{ws1}*+)?"  # the rest of the stretch, when a token took its first character
    # (the first token has no stretch before it: the character before the run is not the run's)
    return "".join(ws1 if t == "S" else f"(?:{rest if k else ''}{hyph}|{ws1})"
                   for k, t in enumerate(tokens)) + rest


def _widths(regex: bytes) -> tuple[int, int | None]:
    """(minimum, maximum or None when unbounded) width in bytes of a byte regex."""
    try:
        from re import _parser  # the parser of the re module (Python >= 3.11)
    except ImportError:  # pragma: no cover
        import sre_parse as _parser
    try:
        lo, hi = _parser.parse(regex).getwidth()
    except Exception:  # pragma: no cover - unknown parser: treat as variable
        return 0, None
    return int(lo), (int(hi) if hi < 1 << 30 else None)


@dataclass(frozen=True)
class _Spelling:
    """One plain spelling of every entry, as arrays: ``form`` (lowercased unless case-sensitive,
    zero-padded, in little-endian 8-byte words), ``fold`` (0x20 where case folds), ``used`` (the
    bytes in use), ``length`` (bytes; 0: no such spelling), ``tail`` (bytes of letters ending the
    spelling, when the pattern ends with ``*``; else -1)."""

    form: np.ndarray
    fold: np.ndarray
    used: np.ndarray
    length: np.ndarray
    tail: np.ndarray

    @classmethod
    def of(cls, forms: list[bytes], tails: list[int], case_sensitive: list[bool]) -> _Spelling:
        width = -(-max([len(f) for f in forms] + [1]) // 8) * 8
        table = np.zeros((len(forms), width), dtype=np.uint8)
        for k, f in enumerate(forms):
            table[k, :len(f)] = np.frombuffer(f, dtype=np.uint8)
        letters = (table >= ord("a")) & (table <= ord("z"))
        fold = np.where(letters & ~np.array(case_sensitive, dtype=bool)[:, None], np.uint8(0x20), np.uint8(0))
        length = np.array([len(f) for f in forms], dtype=np.int64)
        used = (np.arange(width)[None, :] < length[:, None]).astype(np.uint8) * np.uint8(0xFF)
        words = [np.ascontiguousarray(x).view("<u8") for x in (table, fold, used)]
        return cls(*words, length, np.array(tails, dtype=np.int64))


def _order(st: np.ndarray, en: np.ndarray, ent: np.ndarray) -> np.ndarray:
    """The order by start, then longest first, then entry (one packed key when it fits in 63 bits)."""
    if not len(st):
        return np.zeros(0, dtype=np.int64)
    shorter = en.max() - en + st  # grows as the match gets shorter, for one start
    bits = [int(x.max()).bit_length() for x in (st, shorter - st, ent)]
    if sum(bits) > 62:
        return np.lexsort((ent, -en, st))
    return np.argsort((st << (bits[1] + bits[2])) | ((shorter - st) << bits[2]) | ent)


def _word_start(chunk: Chunk, end: np.ndarray) -> np.ndarray:
    """Byte offset where the run of ASCII letters, digits and _ ending at each offset begins."""
    from framing._chunk import PAD

    q = end.copy()
    a = chunk.padded
    active = np.arange(len(q))
    while len(active):
        inside = _RAW_WORD_BYTES[a[q[active] - 1 + PAD]] & (q[active] > 0)
        active = active[inside]
        q[active] -= 1
    return q


def _on_match(i: int, start: int, end: int, flags: int, found: list) -> None:
    """Hyperscan's match callback: the end and id of the match, packed in one int."""
    found.append(end << 32 | i)


def _on_match_with_start(i: int, start: int, end: int, flags: int, found: list) -> None:
    """Hyperscan's match callback with start-of-match tracking: (id, start, end)."""
    found.append((i, start, end))


def _leading_word(pattern: str, start: int = 0) -> str:
    """The run of ASCII letters and digits at ``pattern[start:]``, lowercased ("" if none)."""
    end = start
    while end < len(pattern) and pattern[end].isascii() and pattern[end].isalnum():
        end += 1
    return pattern[start:end].lower()


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
        word = _leading_word(pattern)
        if not word:
            return None  # starts with punctuation or a non-ASCII letter
        whole = len(word) == len(pattern) or _is_gap(pattern[len(word)])
        key = cls(word[:_HEAD].encode("ascii"), len(word), whole)
        if not whole:
            return key
        words, at = [], len(word)  # up to two following words, with what precedes each
        while len(words) < 2:
            k = at
            while k < len(pattern) and _is_gap(pattern[k]):
                k += 1
            following = _leading_word(pattern, k)
            if not following or k == at:
                break
            words.append((pattern[at:k], following))
            at = k + len(following)
        if not words:
            return key
        skip = 2 if len(words) == 2 and words[0][1] == "s" and words[0][0] in _APOS else 1  # 's
        return cls(key.head, key.length, True, words[skip - 1][1][:_HEAD].encode("ascii"), skip)


def _is_gap(ch: str) -> bool:
    """True for a pattern character whose every rendering is made of non-word bytes."""
    if ch in "_*":
        return False
    if ch.isascii():
        return not ch.isalnum()
    return not any(v.isascii() for v in (ch.lower(), ch.upper()))


@dataclass(frozen=True)
class Entry:
    """One pattern or exception phrase of one variant, or an auxiliary word the scan also finds.

    ``aux``: 0 for the lexicon's own patterns and exceptions; ``TRIGGER`` for the trigger words of
    the attribution frames (framing.voice), whose ends tell where a frame may be.
    """

    contrast: int
    variant: int
    is_except: bool
    pattern: str
    case_sensitive: bool
    aux: int = 0


TRIGGER = 1  # Entry.aux of an attribution frame's trigger word


@dataclass
class ChunkMatches:
    """Raw matches of one chunk, in byte offsets into ``Chunk.buf``, before any filtering.

    ``cue_ends``: byte offsets where a distancing cue may end (a superset; see
    :func:`framing.match.prefilter.cue_prefilter`), or None when this engine does not report them.
    """

    entry: np.ndarray
    start: np.ndarray
    end: np.ndarray
    cue_ends: np.ndarray | None


class CompiledLexicon:
    """Every pattern of a lexicon in one matcher; picklable (shipped once to Dask workers).

    Parameters
    ----------
    lexicon : Lexicon
    engine : {"auto", "hyperscan", "python"}
    """

    def __init__(self, lexicon, engine: str = "auto"):
        if engine == "auto":
            engine = available_engines()[0]
        if engine not in available_engines():
            from framing._errors import FramingError

            raise FramingError(f"matching engine {engine!r} is not available here; use one of "
                               f"{available_engines()}")
        self.engine = engine
        self.lexicon = lexicon
        self.contrasts = list(lexicon.contrasts)
        self.kinds = np.array([c.kind for c in lexicon.contrasts.values()], dtype=object)  # by contrast index
        self.variants = [(c, v) for c in lexicon.contrasts.values() for v in c.variants.values()]
        # by variant index: the kind the voice rules read (a variant's own kind, else its contrast's)
        self.variant_kinds = np.array([getattr(v, "kind", None) or c.kind for c, v in self.variants], dtype=object)
        entries = []
        for ci, c in enumerate(lexicon.contrasts.values()):
            for v in c.variants.values():
                vi = self.variants.index((c, v))
                for p in v.patterns:
                    entries.append(Entry(ci, vi, False, p, v.case_sensitive))
                for p in v.exceptions:
                    entries.append(Entry(ci, vi, True, p, v.case_sensitive))
        self.trigger_language = getattr(lexicon, "language", None)
        for word in _trigger_words(self.trigger_language):
            entries.append(Entry(-1, -1, False, word, False, TRIGGER))
        self.rules = list(getattr(lexicon, "rules", []))  # context rules (their words: framing.match)
        self.entries = entries
        self._contrast_of = np.array([e.contrast for e in entries], dtype=np.int64)
        self._variant_of = np.array([e.variant for e in entries], dtype=np.int64)
        self._is_except = np.array([e.is_except for e in entries], dtype=bool)
        self._aux = np.array([e.aux for e in entries], dtype=np.int8)
        self._rule_applies = self._applies()
        # trigger words are found with ASCII word boundaries only, as the frames' regexes read them
        self._starts_alnum = np.array([e.pattern[0].isalnum() and e.aux != TRIGGER for e in entries], dtype=bool)
        self._ends_alnum = np.array([(e.pattern[-1].isalnum() or e.pattern[-1] == "*") and e.aux != TRIGGER
                                     for e in entries], dtype=bool)
        self._build()

    def _applies(self) -> np.ndarray:
        """(rules x entries): does the rule check the hits of this entry (a pattern of its variant or contrast)?"""
        from framing.lexicon import surface_form

        out = np.zeros((len(self.rules), len(self.entries)), dtype=bool)
        for ri, rule in enumerate(self.rules):
            ci = self.contrasts.index(rule.contrast)
            vi = next(i for i, (c, v) in enumerate(self.variants) if c.id == rule.contrast and v.id == rule.variant) \
                if rule.variant else -1
            only = {surface_form(p) for p in rule.patterns}
            for k, e in enumerate(self.entries):
                out[ri, k] = (not e.aux and not e.is_except and e.contrast == ci and (vi < 0 or e.variant == vi)
                              and (not only or surface_form(e.pattern) in only))
        return out

    # ------------------------------------------------------------------ build / pickle
    def _build(self) -> None:
        self._lock = threading.Lock()
        # Hyperscan compiles the plain form into an automaton; Python's re gets the same language
        # written without nested quantifiers (linear matching time; see pattern_regex)
        self._hs_exprs = [pattern_regex(e.pattern, e.case_sensitive, for_bytes=True, linear=False).encode("ascii")
                          for e in self.entries]
        self._exprs = [pattern_regex(e.pattern, e.case_sensitive, for_bytes=True).encode("ascii")
                       for e in self.entries]
        self._regexes = [re.compile(x, 0 if e.case_sensitive else re.IGNORECASE)
                         for x, e in zip(self._exprs, self.entries, strict=True)]
        widths = [_widths(x) for x in self._hs_exprs]
        self._min_width = np.array([lo for lo, _ in widths], dtype=np.int64)
        # fixed width in bytes (start = end - width), or -1 when the start must be recovered
        self._width = np.array([lo if hi == lo else -1 for lo, hi in widths], dtype=np.int64)
        self._spellings_cache = self._spellings()
        self._anchored: dict[int, re.Pattern] = {}
        self._heads = [_leading_word(e.pattern).encode("ascii") for e in self.entries]
        self._databases: dict[str, tuple] = {}
        self._rule_databases: dict[tuple[int, ...], tuple | None] = {}  # context rules' words (rule_word_ends)
        if self.engine == "python":
            self._build_portable()
        else:
            self._database(getattr(self.lexicon, "language", None))  # compile now, not at the first scan

    def __getstate__(self):
        keep = ("engine", "lexicon", "contrasts", "variants", "entries", "_contrast_of", "_variant_of",
                "_is_except", "_aux", "_rule_applies", "_starts_alnum", "_ends_alnum",
                "trigger_language", "kinds", "variant_kinds", "rules")
        return {k: v for k, v in self.__dict__.items() if k in keep}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._build()

    def _database(self, language: str | None):
        """The Hyperscan database of every entry, plus the cue prefilter of ``language``.

        Returns (database, number of cue patterns): ids below ``len(entries)`` are entries, the
        others possible ends of a distancing cue.
        """
        key = language or ""
        if key not in self._databases:
            from framing.match.prefilter import cue_prefilter

            exprs = list(self._hs_exprs)
            flags = [0 if e.case_sensitive else _hs.HS_FLAG_CASELESS for e in self.entries]
            cues = cue_prefilter(language) if language else None
            n_cues = 0
            if cues:
                exprs += [c.encode("ascii") for c in cues]
                flags += [_hs.HS_FLAG_CASELESS | _hs.HS_FLAG_PREFILTER] * len(cues)
                n_cues = len(cues)
            db = _hs.Database()
            try:
                db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
            except Exception:
                # a cue Hyperscan cannot compile: no prefilter, every hit's cues are checked
                exprs, flags, n_cues = exprs[:len(self.entries)], flags[:len(self.entries)], 0
                db = _hs.Database()
                try:
                    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
                except Exception as exc:
                    raise self._uncompilable(exc) from None
            self._databases[key] = (db, n_cues)
        return self._databases[key]

    def rule_word_matches(self, chunk: Chunk, rules: tuple[int, ...], starts: bool = False):
        """Where a word of these context rules may end in the chunk, from one Hyperscan scan.

        Returns (rule index, word index in the rule, chunk character offset of the end) of every
        match of the rules' words: the engines' byte regexes, case folded unless the rule is
        case-sensitive; matches glued to a non-ASCII letter are not left out, so the ends hold
        every end of the words ``framing.match._word_spans`` finds (and maybe more). With
        ``starts``, also the leftmost start of a match with each end (a slower scan): no match of
        the word starts before the first of them. None without Hyperscan, or when a word does not
        compile: the caller then looks for the words itself.
        """
        if self.engine != "hyperscan" or not rules:
            return None
        key = (rules, starts)
        if key not in self._rule_databases:
            exprs, flags, owner, index = [], [], [], []
            for r in rules:
                rule = self.rules[r]
                for w, word in enumerate(rule.words):
                    exprs.append(pattern_regex(word, rule.case_sensitive, for_bytes=True).encode("ascii"))
                    flags.append((0 if rule.case_sensitive else _hs.HS_FLAG_CASELESS)
                                 | (_hs.HS_FLAG_SOM_LEFTMOST if starts else 0))
                    owner.append(r)
                    index.append(w)
            db = _hs.Database()
            try:
                db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
                self._rule_databases[key] = (db, np.array(owner, dtype=np.int64), np.array(index, dtype=np.int64))
            except Exception:  # pragma: no cover - a word Hyperscan cannot compile
                self._rule_databases[key] = None
        compiled = self._rule_databases[key]
        if compiled is None:  # pragma: no cover
            return None
        db, owner, index = compiled
        found: list = []
        with self._lock:
            db.scan(chunk.buf, match_event_handler=_on_match_with_start if starts else _on_match, context=found)
        if starts:
            ids, first, last = np.array(found, dtype=np.int64).reshape(-1, 3).T
            return owner[ids], index[ids], chunk.to_chars(last), chunk.to_chars(first)
        packed = np.asarray(found, dtype=np.int64)
        ids = packed & 0xFFFFFFFF
        return owner[ids], index[ids], chunk.to_chars(packed >> 32)

    def rule_word_ends(self, chunk: Chunk, rules: tuple[int, ...]) -> dict[int, np.ndarray] | None:
        """{rule index: sorted chunk character offsets where a word of the rule may end} (``rule_word_matches``)."""
        found = self.rule_word_matches(chunk, rules)
        if found is None:
            return None
        owner, _, ends = found
        return {r: np.unique(ends[owner == r]) for r in rules}

    def _uncompilable(self, exc: Exception):
        """A one-line LexiconError naming the pattern Hyperscan cannot compile."""
        from framing._errors import LexiconError

        for e, x in zip(self.entries, self._hs_exprs, strict=True):
            try:
                _hs.Database().compile(expressions=[x], ids=[0], elements=1,
                                       flags=[0 if e.case_sensitive else _hs.HS_FLAG_CASELESS])
            except Exception:
                where = f"{self.contrasts[e.contrast]}/{self.variants[e.variant][1].id}" if e.contrast >= 0 else "voice"
                shown = repr(e.pattern) if len(e.pattern) <= 60 else repr(e.pattern[:40]) + f"... ({len(e.pattern):,} characters)"
                return LexiconError(f"{self.lexicon.name}: the pattern {shown} ({where}) cannot be compiled by "
                                    f"Hyperscan ({exc}); shorten or simplify it, or use engine='python'")
        return LexiconError(f"{self.lexicon.name}: Hyperscan cannot compile the lexicon ({exc}); use engine='python'")

    # ------------------------------------------------------------------ scanning
    def scan(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Raw matches of every entry in ``texts``, before overlap resolution.

        Returns
        -------
        (text_index, entry_index, start, end) : arrays, sorted by text, start, then longest first.
        Offsets are character offsets into each text.
        """
        chunk = Chunk(texts)
        idx, ent, st, en = self.matches(chunk, self.scan_chunk(chunk, None))
        own = self._aux[ent] == 0  # the lexicon's entries, not the auxiliary words
        idx, ent, st, en = idx[own], ent[own], st[own], en[own]
        return idx, ent, st - chunk.starts[idx], en - chunk.starts[idx]

    def scan_chunk(self, chunk: Chunk, language: str | None) -> ChunkMatches:
        """Raw matches (and, with Hyperscan, possible ends of ``language``'s distancing cues)."""
        if self.engine == "hyperscan":
            return self._scan_hyperscan(chunk, language)
        return self._scan_python(chunk)

    def matches(self, chunk: Chunk, raw: ChunkMatches):
        """Raw matches as (text index, entry, start, end) in chunk character offsets.

        Matches glued to a non-ASCII letter are dropped (the engines use ASCII word boundaries);
        the order is text, start, longest first, entry.
        """
        ent, st, en = raw.entry, raw.start, raw.end
        if len(st):
            keep = self._unicode_boundaries(chunk, ent, st, en)
            ent, st, en = ent[keep], st[keep], en[keep]
        st, en = chunk.to_chars(st), chunk.to_chars(en)
        idx = chunk.segment_of(st)
        order = _order(st, en, ent)
        return idx[order], ent[order], st[order], en[order]

    def _unicode_boundaries(self, chunk: Chunk, ent, st, en) -> np.ndarray:
        """False for a match glued to a letter (Unicode word boundaries; the engines use ASCII ones).

        Only matches next to a non-ASCII character need a look (byte offsets in, a mask out).
        """
        keep = np.ones(len(st), dtype=bool)
        if chunk.is_ascii:
            return keep
        from framing._chunk import PAD, isalnum

        a = chunk.padded
        suspects = np.flatnonzero((a[st + PAD - 1] >= 0x80) | (a[en + PAD] >= 0x80))
        if not len(suspects):
            return keep
        s, e, i = st[suspects], en[suspects], ent[suspects]
        seg = chunk.segment_of_byte(s)
        after_letter = (s > chunk.byte_starts[seg]) & isalnum(chunk.code_points(chunk.char_start_before(s)))
        before_letter = (e < chunk.byte_ends[seg]) & isalnum(chunk.code_points(e))
        keep[suspects] = ~((after_letter & self._starts_alnum[i]) | (before_letter & self._ends_alnum[i]))
        return keep

    # ------------------------------------------------------------------ hyperscan
    def _scan_hyperscan(self, chunk: Chunk, language: str | None) -> ChunkMatches:
        db, n_cues = self._database(language)
        found: list[int] = []  # end << 32 | id of every match (one append per match: the hot loop)
        with self._lock:
            db.scan(chunk.buf, match_event_handler=_on_match, context=found)
        packed = np.asarray(found, dtype=np.int64)
        ent, en = packed & 0xFFFFFFFF, packed >> 32
        n = len(self.entries)
        cue_ends = np.unique(en[ent >= n]) if n_cues else None
        is_entry = ent < n
        ent, en = ent[is_entry], en[is_entry]
        st = en - self._width[ent]
        variable = np.flatnonzero(self._width[ent] < 0)
        if len(variable):
            st[variable] = self._starts_of(chunk, ent[variable], en[variable])
        return ChunkMatches(ent, st, en, cue_ends)

    def _spellings(self) -> list[_Spelling]:
        """The plain spellings of every entry (see ``_Spelling``): with ' and with ’ apostrophes."""
        out = []
        for apostrophe in ("'", "’"):
            forms, tails = [], []
            for e, regex in zip(self.entries, self._regexes, strict=True):
                plain = " ".join("-".join(part.rstrip("*") for part in word.split("-")) for word in e.pattern.split())
                plain = "".join(apostrophe if c in _APOS else c for c in plain)
                form = plain.encode("utf-8") if plain.replace("’", "").isascii() else b""
                if not e.case_sensitive:
                    form = form.lower()
                ok = form and regex.fullmatch(form if not e.case_sensitive else plain.encode())
                forms.append(form if ok else b"")
                run = len(form) - len(form.rstrip(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))
                tails.append(run if ok and e.pattern.endswith("*") else -1)
            out.append(_Spelling.of(forms, tails, [e.case_sensitive for e in self.entries]))
        return out

    def _spelled(self, chunk: Chunk, spelling: _Spelling, ent: np.ndarray, start: np.ndarray) -> np.ndarray:
        """True where the bytes from ``start`` spell the entry, after a word boundary."""
        from framing._chunk import PAD

        words = chunk.words8
        same = (spelling.length[ent] > 0) & (start >= 0)
        for k in range(spelling.form.shape[1]):  # eight bytes at a time
            at = np.minimum(np.maximum(start + PAD + 8 * k, 0), len(words) - 1)
            same &= ((words[at] | spelling.fold[ent, k]) & spelling.used[ent, k]) == spelling.form[ent, k]
        return same & ~_RAW_WORD_BYTES[chunk.padded[np.maximum(start + PAD - 1, 0)]]

    def _starts_of(self, chunk: Chunk, ent: np.ndarray, en: np.ndarray) -> np.ndarray:
        """The start of a match of each (variable-width) entry ending at each byte offset.

        Most matches are spelled plainly (single spaces, one apostrophe character, a word ending
        only on a final ``*`` word): their bytes are compared with the spellings of the entry,
        ending at the end, or with the last word's letters from its first letter on. The others
        go through the entry's regex (``_other_starts``).
        """
        starts = np.full(len(ent), -1, dtype=np.int64)
        rest = np.arange(len(ent))
        for spelling in self._spellings_cache:
            for aligned_on_word in (False, True):
                e, i = en[rest], ent[rest]
                if aligned_on_word:  # a final word with an ending: its letters start the word
                    start = _word_start(chunk, e) + spelling.tail[i] - spelling.length[i]
                    ok = (spelling.tail[i] >= 0) & self._spelled(chunk, spelling, i, start)
                else:
                    start = e - spelling.length[i]
                    ok = self._spelled(chunk, spelling, i, start)
                starts[rest[ok]] = start[ok]
                rest = rest[~ok]
                if not len(rest):
                    return starts
        starts[rest] = self._other_starts(chunk, ent[rest], en[rest], en[rest] - self._min_width[ent[rest]])
        return starts

    def _other_starts(self, chunk: Chunk, ent: np.ndarray, en: np.ndarray, shortest: np.ndarray) -> np.ndarray:
        """``_starts_of`` with the entries' regexes (matches not spelled in their shortest form)."""
        buf = chunk.buf
        seg_start = chunk.byte_starts[chunk.segment_of_byte(en - 1)]
        out = []
        regexes, heads = self._regexes, self._heads
        for i, e, lo, s in zip(ent.tolist(), en.tolist(), seg_start.tolist(), shortest.tolist(), strict=True):
            regex = regexes[i]
            if s >= lo and regex.fullmatch(buf, s, e) is not None:
                out.append(s)
                continue
            head = heads[i]
            if not head:
                out.append(self._search_start(chunk, i, lo, e))
                continue
            for left in (max(lo, e - 4 * len(head) - 256), lo):  # a window before the end, then the text
                window = buf[left:e].lower()
                s = window.rfind(head)
                while s >= 0 and regex.fullmatch(buf, left + s, e) is None:  # the head inside the match
                    s = window.rfind(head, 0, s + len(head) - 1)
                if s >= 0 or left == lo:
                    break
            out.append(left + s if s >= 0 else self._search_start(chunk, i, lo, e))
        return np.asarray(out, dtype=np.int64)

    def _search_start(self, chunk: Chunk, i: int, lo: int, e: int) -> int:
        """The leftmost start in [lo, e) of a match of entry i that ends at e (a regex search)."""
        anchored = self._anchored.get(i)
        if anchored is None:
            anchored = re.compile(b"(?:" + self._exprs[i] + b")\\Z", self._regexes[i].flags)
            self._anchored[i] = anchored
        m = anchored.search(chunk.buf, lo, e)
        if m is None:  # pragma: no cover - Hyperscan reported a match Python's re does not see
            raise RuntimeError(f"no match of {self.entries[i].pattern!r} ends at byte {e}")
        return m.start()

    # ------------------------------------------------------------------ portable
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
        word = _WORD_BYTES[padded]
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


def _trigger_words(language: str | None) -> list[str]:
    """The trigger words of ``language``'s attribution frames, as lexicon patterns (none if unknown)."""
    if not language:
        return []
    from framing._errors import LexiconError
    from framing.voice import attribution_rules

    try:
        return list(attribution_rules(language).triggers)
    except LexiconError:  # an unknown language fails later, where voices are needed
        return []


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


class _Cache:
    """Compiled lexicons keyed by the lexicon's content (``Lexicon.sha256``) and the engine, the last 16.

    A copy of a lexicon (another load of the same file, or the copy a Dask worker receives each
    run) finds the matcher compiled for the first one. A lexicon without a digest is keyed by the
    object itself (the cache holds it, so its ``id`` is not reused while cached).
    """

    def __init__(self, size: int = 16):
        self.size, self.misses = size, 0
        self._items: OrderedDict[tuple, CompiledLexicon] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, lexicon: Lexicon, engine: str) -> CompiledLexicon:
        key = (lexicon.sha256 or ("id", id(lexicon)), engine)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        compiled = CompiledLexicon(lexicon, engine)  # outside the lock: compiling takes seconds
        with self._lock:
            self.misses += 1
            self._items[key] = compiled
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


compiled_cached = _Cache()


def compile_lexicon(lexicon: str | Path | Lexicon, engine: str = "auto") -> CompiledLexicon:
    """Compile every pattern of a lexicon into one matcher (cached per lexicon content and engine).

    Parameters
    ----------
    lexicon : str, Path or Lexicon
        A built-in name, a YAML path or a Lexicon.
    engine : {"auto", "hyperscan", "python"}, default="auto"
        ``auto`` takes Hyperscan where it is installed and the portable ``re`` engine otherwise;
        both give identical hits.

    Examples
    --------
    >>> from framing.match import compile_lexicon
    >>> compile_lexicon("russia-ukraine", engine="python").engine
    'python'
    """
    if isinstance(lexicon, CompiledLexicon):
        return lexicon
    lex = load_lexicon(lexicon)
    if engine == "auto":
        engine = available_engines()[0]
    return compiled_cached(lex, engine)

