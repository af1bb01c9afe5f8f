"""The compiled lexicon (:func:`compile_lexicon`): one scan per chunk of texts for the whole lexicon.

Two engines give identical raw matches (a test checks it). Both scan the UTF-8 bytes of a chunk
of texts joined by a separator, and both use the same byte regular expression per pattern
(:mod:`framing.match.patterns`), so the original text is matched as is and offsets always refer to
it. Overlaps are resolved afterwards (:mod:`framing.match.scan`).

- ``hyperscan`` (:mod:`framing.match.hyperscan`): one Hyperscan database reports the end of every
  match; starts are recovered from fixed widths, spellings or the pattern's regex.
- ``python`` (:mod:`framing.match.portable`): candidates from the keys of the patterns' first
  words, confirmed with the patterns' regexes.

:class:`CompiledLexicon` holds what both share (the entries, the context rules they answer to,
Unicode word boundaries, pickling) and takes its scan from the engine's half.

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
from pathlib import Path

import numpy as np

from framing._chunk import SEPARATOR, Chunk
from framing.lexicon import Lexicon, load_lexicon
from framing.match.hyperscan import HyperscanEngine
from framing.match.patterns import (
    TRIGGER,
    ChunkMatches,
    Entry,
    available_engines,
    leading_word,
    match_order,
    pattern_regex,
    regex_widths,
)
from framing.match.portable import PortableEngine

__all__ = ["CompiledLexicon", "available_engines", "pattern_regex", "SEPARATOR"]


class CompiledLexicon(HyperscanEngine, PortableEngine):
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
        widths = [regex_widths(x) for x in self._hs_exprs]
        self._min_width = np.array([lo for lo, _ in widths], dtype=np.int64)
        # fixed width in bytes (start = end - width), or -1 when the start must be recovered
        self._width = np.array([lo if hi == lo else -1 for lo, hi in widths], dtype=np.int64)
        self._spellings_cache = self._spellings()
        self._anchored: dict[int, re.Pattern] = {}
        self._heads = [leading_word(e.pattern).encode("ascii") for e in self.entries]
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
        order = match_order(st, en, ent)
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

