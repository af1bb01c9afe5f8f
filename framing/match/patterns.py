"""Patterns as byte regular expressions (:func:`pattern_regex`), and what both engines share.

A lexicon pattern becomes one byte regex that both engines (:mod:`framing.match.hyperscan`,
:mod:`framing.match.portable`) match on the UTF-8 bytes of a chunk: ASCII word boundaries and case
folding, explicit alternatives for typographic apostrophes, hyphens, no-break spaces and non-ASCII
letters. Also the entries of a compiled lexicon and the raw matches of a scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from framing._chunk import SEPARATOR

try:  # pragma: no cover - depends on the platform
    import hyperscan as hs
except ImportError:  # pragma: no cover
    hs = None

__all__ = ["available_engines", "pattern_regex", "Entry", "ChunkMatches", "TRIGGER", "SEPARATOR"]

APOSTROPHES = "'’‘ʼ"
_HYPHENS = "-‐‑"
_SPACES = "\xa0\u2007\u2009\u202f"
WORD_BYTES = np.zeros(256, dtype=bool)  # ASCII word characters after lowercasing (\b, \w)
WORD_BYTES[[ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789_"]] = True
RAW_WORD_BYTES = WORD_BYTES.copy()  # ... before lowercasing
RAW_WORD_BYTES[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]] = True


def available_engines() -> list[str]:
    """The matching engines usable here, fastest first.

    Examples
    --------
    >>> from framing.match import available_engines
    >>> "python" in available_engines()
    True
    """
    return (["hyperscan"] if hs is not None else []) + ["python"]


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
    apos = _alt(APOSTROPHES, for_bytes)
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
                if c in APOSTROPHES:
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


def regex_widths(regex: bytes) -> tuple[int, int | None]:
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


def match_order(st: np.ndarray, en: np.ndarray, ent: np.ndarray) -> np.ndarray:
    """The order by start, then longest first, then entry (one packed key when it fits in 63 bits)."""
    if not len(st):
        return np.zeros(0, dtype=np.int64)
    shorter = en.max() - en + st  # grows as the match gets shorter, for one start
    bits = [int(x.max()).bit_length() for x in (st, shorter - st, ent)]
    if sum(bits) > 62:
        return np.lexsort((ent, -en, st))
    return np.argsort((st << (bits[1] + bits[2])) | ((shorter - st) << bits[2]) | ent)


def leading_word(pattern: str, start: int = 0) -> str:
    """The run of ASCII letters and digits at ``pattern[start:]``, lowercased ("" if none)."""
    end = start
    while end < len(pattern) and pattern[end].isascii() and pattern[end].isalnum():
        end += 1
    return pattern[start:end].lower()


def is_gap(ch: str) -> bool:
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
