"""The Hyperscan engine: one Hyperscan database (a multi-pattern automaton) reports the end of every match.

It is compiled without start-of-match tracking, which makes the scan about twice as fast: most
patterns have a fixed width in bytes, so start = end - width; for the others (several words, ``*``
endings, apostrophes) the start is where the bytes before the end spell the pattern's shortest
form, or else found with the pattern's own regular expression. The same scan reports where a
distancing cue may end (:mod:`framing.match.prefilter`), for :mod:`framing.voice`; and, for the
context rules, where their words end (:meth:`HyperscanEngine.rule_word_matches`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from framing._chunk import Chunk
from framing.match.patterns import (
    APOSTROPHES,
    RAW_WORD_BYTES,
    ChunkMatches,
    hs,
    pattern_regex,
)

__all__ = ["HyperscanEngine"]


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


def _word_start(chunk: Chunk, end: np.ndarray) -> np.ndarray:
    """Byte offset where the run of ASCII letters, digits and _ ending at each offset begins."""
    from framing._chunk import PAD

    q = end.copy()
    a = chunk.padded
    active = np.arange(len(q))
    while len(active):
        inside = RAW_WORD_BYTES[a[q[active] - 1 + PAD]] & (q[active] > 0)
        active = active[inside]
        q[active] -= 1
    return q


def _on_match(i: int, start: int, end: int, flags: int, found: list) -> None:
    """Hyperscan's match callback: the end and id of the match, packed in one int."""
    found.append(end << 32 | i)


def _on_match_with_start(i: int, start: int, end: int, flags: int, found: list) -> None:
    """Hyperscan's match callback with start-of-match tracking: (id, start, end)."""
    found.append((i, start, end))


class HyperscanEngine:
    """The Hyperscan half of :class:`framing.match.compiled.CompiledLexicon` (its attributes are set there)."""

    def _database(self, language: str | None):
        """The Hyperscan database of every entry, plus the cue prefilter of ``language``.

        Returns (database, number of cue patterns): ids below ``len(entries)`` are entries, the
        others possible ends of a distancing cue.
        """
        key = language or ""
        if key not in self._databases:
            from framing.match.prefilter import cue_prefilter

            exprs = list(self._hs_exprs)
            flags = [0 if e.case_sensitive else hs.HS_FLAG_CASELESS for e in self.entries]
            cues = cue_prefilter(language) if language else None
            n_cues = 0
            if cues:
                exprs += [c.encode("ascii") for c in cues]
                flags += [hs.HS_FLAG_CASELESS | hs.HS_FLAG_PREFILTER] * len(cues)
                n_cues = len(cues)
            db = hs.Database()
            try:
                db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
            except Exception:
                # a cue Hyperscan cannot compile: no prefilter, every hit's cues are checked
                exprs, flags, n_cues = exprs[:len(self.entries)], flags[:len(self.entries)], 0
                db = hs.Database()
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
                    # Hyperscan has no possessive quantifiers, and needs none (it matches in linear time)
                    exprs.append(pattern_regex(word, rule.case_sensitive, for_bytes=True, linear=False).encode("ascii"))
                    flags.append((0 if rule.case_sensitive else hs.HS_FLAG_CASELESS)
                                 | (hs.HS_FLAG_SOM_LEFTMOST if starts else 0))
                    owner.append(r)
                    index.append(w)
            db = hs.Database()
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
                hs.Database().compile(expressions=[x], ids=[0], elements=1,
                                       flags=[0 if e.case_sensitive else hs.HS_FLAG_CASELESS])
            except Exception:
                where = f"{self.contrasts[e.contrast]}/{self.variants[e.variant][1].id}" if e.contrast >= 0 else "voice"
                shown = repr(e.pattern) if len(e.pattern) <= 60 else repr(e.pattern[:40]) + f"... ({len(e.pattern):,} characters)"
                return LexiconError(f"{self.lexicon.name}: the pattern {shown} ({where}) cannot be compiled by "
                                    f"Hyperscan ({exc}); shorten or simplify it, or use engine='python'")
        return LexiconError(f"{self.lexicon.name}: Hyperscan cannot compile the lexicon ({exc}); use engine='python'")

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
                plain = "".join(apostrophe if c in APOSTROPHES else c for c in plain)
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
        return same & ~RAW_WORD_BYTES[chunk.padded[np.maximum(start + PAD - 1, 0)]]

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
