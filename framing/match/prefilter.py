"""Hyperscan prefilters for the distancing cues of framing/data/voice_cues.yaml.

A cue is a Python regular expression matched case-insensitively on text. To find, in the same
Hyperscan scan as the lexicon, where a cue *may* end, each cue is rewritten as a byte regular
expression that matches at least every UTF-8 byte string the cue matches, in any context:
assertions (``\\b``, ``^``, lookarounds) are dropped, any non-ASCII character becomes "one or more
non-ASCII bytes", ASCII letters keep the non-ASCII characters Python folds them with. A hit far
from every such end has no cue before it; the others are checked with the cue regex itself
(framing.voice), so the prefilter changes no result.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["cue_prefilter", "superset_regex"]

# non-ASCII characters that Python's case-insensitive matching equates with an ASCII letter
# (tests/test_voice.py checks this table against the running Python)
ASCII_FOLD_PARTNERS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
_NON_ASCII = "[\\x80-\\xff]+"
_ANY_CHAR = "(?:[\\x00-\\x7f]|[\\x80-\\xff]+)"


class Unsupported(ValueError):
    """A construct the rewriting does not know (the cue is then checked at every hit)."""


def _bytes_of(ch: str) -> str:
    return "".join(f"\\x{b:02x}" for b in ch.encode("utf-8"))


def _literal(cp: int) -> str:
    """One character, any case (the caller compiles with Hyperscan's caseless flag)."""
    ch = chr(cp)
    if cp < 128:
        partners = ASCII_FOLD_PARTNERS.get(ch.lower(), "")
        return "(?:" + "|".join([f"\\x{cp:02x}"] + [_bytes_of(p) for p in partners]) + ")" if partners \
            else f"\\x{cp:02x}"
    ascii_twins = [a for a, partners in ASCII_FOLD_PARTNERS.items() if ch in partners]
    return "(?:" + "|".join([_NON_ASCII] + [f"\\x{ord(a):02x}" for a in ascii_twins]) + ")"


_CATEGORIES = None


def _category_source(av) -> str:
    global _CATEGORIES
    if _CATEGORIES is None:
        from re import _constants as c

        _CATEGORIES = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_SPACE: r"\s",
                       c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}
    if av not in _CATEGORIES:
        raise Unsupported(str(av))
    return _CATEGORIES[av]


def _char_class(items, flags: int) -> str:
    """A set of characters ``[...]``: its ASCII members exactly, any non-ASCII character loosely."""
    from re import _constants as c

    source, non_ascii = [], False
    for op, av in items:
        if op is c.NEGATE:
            return _ANY_CHAR
        if op is c.LITERAL:
            source.append(f"\\U{av:08x}")
            non_ascii |= av >= 128
        elif op is c.RANGE:
            source.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
            non_ascii |= av[1] >= 128
        elif op is c.CATEGORY:
            source.append(_category_source(av))
            non_ascii = True
        else:
            raise Unsupported(str(op))
    members = re.compile("[" + "".join(source) + "]", flags & re.IGNORECASE)
    ascii_members = [ch for ch in map(chr, range(128)) if members.fullmatch(ch)]
    non_ascii |= any(ch.lower() in ASCII_FOLD_PARTNERS for ch in ascii_members)
    parts = (["[" + "".join(f"\\x{ord(ch):02x}" for ch in ascii_members) + "]"] if ascii_members else []) \
        + ([_NON_ASCII] if non_ascii else [])
    if not parts:
        raise Unsupported("empty class")
    return "(?:" + "|".join(parts) + ")"


def _rewrite(pattern, flags: int) -> str:
    from re import _constants as c

    out = []
    for op, av in pattern.data:
        if op is c.LITERAL:
            out.append(_literal(av))
        elif op in (c.NOT_LITERAL, c.ANY):
            out.append(_ANY_CHAR)
        elif op is c.IN:
            out.append(_char_class(av, flags))
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_rewrite(p, flags) for p in av[1]) + ")")
        elif op is c.SUBPATTERN:
            out.append("(?:" + _rewrite(av[-1], flags | av[1]) + ")")
        elif op is c.ATOMIC_GROUP:
            out.append("(?:" + _rewrite(av, flags) + ")")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
            lo, hi, sub = av
            bound = f"{{{lo},}}" if hi is c.MAXREPEAT or hi >= c.MAXREPEAT else f"{{{lo},{hi}}}"
            out.append("(?:" + _rewrite(sub, flags) + ")" + bound)
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # dropping an assertion only widens the match
        elif op is c.GROUPREF:
            out.append("[\\x00-\\xff]*")
        elif op is c.GROUPREF_EXISTS:
            _, yes, no = av
            out.append("(?:" + _rewrite(yes, flags) + "|" + (_rewrite(no, flags) if no else "") + ")")
        else:
            raise Unsupported(str(op))
    return "".join(out)


def superset_regex(pattern: str, flags: int = re.IGNORECASE) -> str:
    """A byte regex (for Hyperscan, caseless) matching at least what ``pattern`` matches in UTF-8.

    Raises ``Unsupported`` for a construct it does not know.

    Examples
    --------
    >>> from framing.match.prefilter import superset_regex
    >>> superset_regex(r"\\bso[- ]called")
    '(?:\\\\x73|\\\\xc5\\\\xbf)\\\\x6f(?:[\\\\x20\\\\x2d])\\\\x63\\\\x61\\\\x6c\\\\x6c\\\\x65\\\\x64'
    """
    try:
        from re import _parser
    except ImportError:  # pragma: no cover
        raise Unsupported("no regex parser") from None
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error as exc:  # pragma: no cover - cue_rules would have failed first
        raise Unsupported(str(exc)) from None
    return _rewrite(parsed, flags)


@lru_cache(maxsize=8)
def cue_prefilter(language: str) -> tuple[str, ...] | None:
    """Byte regexes whose match ends include every end of a distancing cue of ``language``.

    None when some cue cannot be rewritten (every hit is then checked with the cue regexes).
    """
    from framing._errors import LexiconError
    from framing.voice import cue_spec

    try:
        return tuple(superset_regex(cue, re.IGNORECASE) for cue in cue_spec(language)["cues"])
    except (Unsupported, LexiconError):  # an unknown language fails later, where voices are needed
        return None
