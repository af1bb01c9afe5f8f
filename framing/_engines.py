"""The compiled matcher behind framing.match: one scan per chunk of texts for the whole lexicon.

Two engines give identical raw matches (a test checks it): Hyperscan (a multi-pattern automaton,
used where its wheel exists) and a portable one on Python's ``re`` (one scan of the text for the
first word of every pattern, then each candidate is confirmed at its position). Both see the same
regular expressions: ASCII word boundaries and case folding, plus explicit alternatives for
typographic apostrophes, hyphens, no-break spaces and non-ASCII letters, so the original text is
matched as is and offsets always refer to it. Overlaps are resolved afterwards (``framing.match``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

try:  # pragma: no cover - depends on the platform
    import hyperscan as _hs
except ImportError:  # pragma: no cover
    _hs = None

__all__ = ["CompiledLexicon", "available_engines", "pattern_regex"]

SEPARATOR = "\x00"  # joins texts in one scan buffer; no pattern can match across it

_APOS = "'’‘ʼ"
_HYPHENS = "-‐‑"
_SPACES = "\xa0\u2007\u2009\u202f"


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


def pattern_regex(pattern: str, case_sensitive: bool = False, *, for_bytes: bool = False) -> str:
    """The regular expression of a lexicon pattern (DESIGN.md, *Lexicon format*).

    Whole words; ``*`` ends a word with any ending; a space matches any run of whitespace; a
    hyphen matches a hyphen or whitespace; apostrophes match typographic ones. With
    ``for_bytes`` the expression is for UTF-8 bytes (Hyperscan).

    Examples
    --------
    >>> from framing.match import pattern_regex
    >>> pattern_regex("annex*")
    '\\\\bannex\\\\w*\\\\b'
    """
    ws = ("(?:\\s|" + _alt(_SPACES, True)[3:-1] + ")+") if for_bytes else ("[\\s" + _SPACES + "]+")
    hyphen = "(?:" + _alt(_HYPHENS, for_bytes) + "|" + ws + ")"
    apos = _alt(_APOS, for_bytes)
    words = pattern.split()
    out = []
    for word in words:
        parts = word.split("-")
        rendered = []
        for part in parts:
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
            rendered.append("".join(chars) + ("\\w*" if wild else ""))
        out.append(hyphen.join(rendered))
    body = ws.join(out)
    first, last = pattern.strip()[0], pattern.strip()[-1]
    # ASCII word boundaries where the pattern starts/ends with an ASCII word character; other edges
    # are checked against Unicode letters after the scan (CompiledLexicon.scan)
    lead = "\\b" if (first.isascii() and (first.isalnum() or first == "_")) else ""
    trail = "\\b" if (last.isascii() and (last.isalnum() or last in "_*")) else ""
    return f"{lead}{body}{trail}"


@dataclass(frozen=True)
class Entry:
    """One pattern or exception phrase of one variant."""

    contrast: int
    variant: int
    is_except: bool
    pattern: str
    case_sensitive: bool


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
        self.variants = [(c, v) for c in lexicon.contrasts.values() for v in c.variants.values()]
        entries = []
        for ci, c in enumerate(lexicon.contrasts.values()):
            for v in c.variants.values():
                vi = self.variants.index((c, v))
                for p in v.patterns:
                    entries.append(Entry(ci, vi, False, p, v.case_sensitive))
                for p in v.exceptions:
                    entries.append(Entry(ci, vi, True, p, v.case_sensitive))
        self.entries = entries
        self._contrast_of = np.array([e.contrast for e in entries], dtype=np.int32)
        self._build()

    # ------------------------------------------------------------------ build / pickle
    def _build(self) -> None:
        self._lock = threading.Lock()
        if self.engine == "hyperscan":
            db = _hs.Database()
            exprs = [pattern_regex(e.pattern, e.case_sensitive, for_bytes=True).encode("ascii")
                     for e in self.entries]
            flags = [(_hs.HS_FLAG_SOM_LEFTMOST | (0 if e.case_sensitive else _hs.HS_FLAG_CASELESS))
                     for e in self.entries]
            db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
            self._db = db
        else:
            self._regexes = [re.compile(pattern_regex(e.pattern, e.case_sensitive),
                                        re.ASCII | (0 if e.case_sensitive else re.IGNORECASE))
                             for e in self.entries]
            by_head: dict[str, list[int]] = {}
            heads = set()
            for i, e in enumerate(self.entries):
                m = re.match(r"[^\W_]+|_", e.pattern.split()[0])
                head = (m.group(0) if m else e.pattern.split()[0]).lower()
                by_head.setdefault(head, []).append(i)
                heads.add(head)
            self._by_head = by_head
            alts = sorted((pattern_regex(h, False)[2:] for h in heads), key=len, reverse=True)
            # candidates: every word that begins with the first word-part of some pattern
            self._candidates = re.compile(r"\b(?:" + "|".join(a.removesuffix("\\b") for a in alts) + ")",
                                          re.ASCII | re.IGNORECASE)
            self._word = re.compile(r"[^\W_]+", re.ASCII)

    def __getstate__(self):
        state = {k: v for k, v in self.__dict__.items()
                 if k not in ("_db", "_lock", "_regexes", "_by_head", "_candidates", "_word")}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._build()

    # ------------------------------------------------------------------ scanning
    def scan(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Raw matches of every entry in ``texts``, before overlap resolution.

        Returns
        -------
        (text_index, entry_index, start, end) : arrays, sorted by text, start, then longest first.
        Offsets are character offsets into each text.
        """
        joined = SEPARATOR.join(texts)
        if self.engine == "hyperscan":
            ent, st, en = self._scan_hyperscan(joined)
        else:
            ent, st, en = self._scan_python(joined)
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        bounds = np.concatenate(([0], np.cumsum(lengths + 1)))
        idx = np.searchsorted(bounds, st, side="right") - 1
        st = st - bounds[idx]
        en = en - bounds[idx]
        # Unicode word boundaries (the engines use ASCII ones): drop a match glued to a letter.
        # Only matches next to a non-ASCII character need a look.
        keep = np.ones(len(st), dtype=bool)
        if len(st) and not joined.isascii():
            g_st = st + bounds[idx]
            g_en = en + bounds[idx]
            suspects = [k for k in range(len(st))
                        if (g_st[k] > 0 and ord(joined[g_st[k] - 1]) > 127)
                        or (g_en[k] < len(joined) and ord(joined[g_en[k]]) > 127)]
            entries = self.entries
            for k in suspects:
                t = texts[idx[k]]
                pattern = entries[ent[k]].pattern
                if st[k] > 0 and t[st[k] - 1].isalnum() and pattern[0].isalnum():
                    keep[k] = False
                elif en[k] < len(t) and t[en[k]].isalnum() and (pattern[-1].isalnum() or pattern[-1] == "*"):
                    keep[k] = False
        idx, ent, st, en = idx[keep], ent[keep], st[keep], en[keep]
        order = np.lexsort((ent, -en, st, idx))
        return idx[order], ent[order], st[order], en[order]

    def _scan_hyperscan(self, joined: str):
        buf = joined.encode("utf-8")
        ids: list[int] = []
        froms: list[int] = []
        tos: list[int] = []
        add_i, add_f, add_t = ids.append, froms.append, tos.append

        def on_match(i, f, t, flags, ctx):
            add_i(i)
            add_f(f)
            add_t(t)

        with self._lock:
            self._db.scan(buf, match_event_handler=on_match)
        ent = np.asarray(ids, dtype=np.int64)
        st = np.asarray(froms, dtype=np.int64)
        en = np.asarray(tos, dtype=np.int64)
        if len(ent):
            # several ends for one (entry, start): keep the longest
            order = np.lexsort((-en, st, ent))
            ent, st, en = ent[order], st[order], en[order]
            first = np.ones(len(ent), dtype=bool)
            first[1:] = (ent[1:] != ent[:-1]) | (st[1:] != st[:-1])
            ent, st, en = ent[first], st[first], en[first]
        if len(buf) != len(joined) and len(st):  # byte offsets -> character offsets
            # a character offset is the byte offset minus the continuation bytes before it
            cont = np.flatnonzero((np.frombuffer(buf, dtype=np.uint8) & 0xC0) == 0x80)
            st = st - np.searchsorted(cont, st)
            en = en - np.searchsorted(cont, en)
        return ent, st, en

    def _scan_python(self, joined: str):
        ids: list[int] = []
        froms: list[int] = []
        tos: list[int] = []
        regexes, by_head, word = self._regexes, self._by_head, self._word
        for m in self._candidates.finditer(joined):
            pos = m.start()
            w = word.match(joined, pos)
            token = w.group(0).lower() if w else ""
            tried = by_head.get(token, ())
            heads = [token] if tried else []
            # prefix heads (patterns whose first word ends with *) and heads shorter than the token
            for k in range(1, len(token)):
                if token[:k] in by_head:
                    heads.append(token[:k])
            for h in heads:
                for i in by_head[h]:
                    r = regexes[i].match(joined, pos)
                    if r is not None:
                        ids.append(i)
                        froms.append(pos)
                        tos.append(r.end())
        return (np.asarray(ids, dtype=np.int64), np.asarray(froms, dtype=np.int64),
                np.asarray(tos, dtype=np.int64))
