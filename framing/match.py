"""Stage 4, match: lexicon hits in the corpus, one row per match, with voice and context."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from framing._atomic import atomic_file, check_file_target
from framing._checks import check_int, check_voices
from framing._chunk import Chunk, CorpusTexts
from framing._chunk_voice import chunk_voices
from framing._engines import TRIGGER, CompiledLexicon, available_engines, pattern_regex
from framing._errors import FramingError, LexiconError
from framing._groups import group_labels
from framing._strings import string_column, text_columns
from framing.lexicon import Contrast, Lexicon, Variant, load_lexicon
from framing.text import sentence_at  # noqa: F401  (framing.match.sentence_at, as before)
from framing.text.chunk_sentences import sentence_byte_bounds
from framing.voice import VOICES

__all__ = ["find_hits", "count_hits", "write_hits", "kwic", "compile_lexicon", "available_engines", "pattern_regex",
           "HIT_COLUMNS", "COUNT_COLUMNS"]

HIT_COLUMNS = ["doc_id", "outlet", "published", "field", "contrast", "variant", "side", "match", "start",
               "end", "voice", "sentence", "left", "right"]
EXPLAIN_COLUMNS = ["voice_rule", "voice_cue", "voice_cue_start", "voice_cue_end", "context_rule", "context_word",
                   "context_word_start", "context_word_end"]
"""Columns ``find_hits(..., explain=True)`` adds: why each hit has its voice, and which context
rules it passed (with the word that satisfied a ``near`` rule)."""
EXCLUDED_COLUMNS = ["doc_id", "field", "contrast", "variant", "match", "start", "end", "except_match",
                    "except_start", "except_end", "rule", "rule_detail"]
COUNT_COLUMNS = ["group", "contrast", "variant", "side", "voice", "n_hits", "n_docs"]
FIELDS = ("title", "text")
_CHUNK_CHARS = 4_000_000
_RULE_SCAN_FROM = 200  # hits of a context rule in a batch from which one scan finds its words (Hyperscan)
_REFERENCE = False  # True: the plain code paths the fast ones are tested against (tools/compare_hits.py)


@lru_cache(maxsize=16)
def _compiled_cached(lexicon: Lexicon, engine: str) -> CompiledLexicon:
    return CompiledLexicon(lexicon, engine)


def compile_lexicon(lexicon: str | Path | Lexicon, engine: str = "auto") -> CompiledLexicon:
    """Compile every pattern of a lexicon into one matcher (cached per lexicon and engine).

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
    return _compiled_cached(lex, engine)


# ------------------------------------------------------------------------------- core scanning
@dataclass
class _Raw:
    """Hits of a batch of segments as arrays (no context strings yet)."""

    seg: np.ndarray
    variant: np.ndarray
    start: np.ndarray
    end: np.ndarray
    voice: np.ndarray  # index into VOICES
    # (seg, variant, start, end, except variant, except start, except end, rule): matches an except
    # phrase consumed (rule -1), or hits a context rule removed (rule: its index; the word that
    # removed it, or -1, -1 for a `near` rule whose words were missing)
    excluded: list[tuple]
    strings: dict[str, list[str]] | None = None  # match, sentence, left, right (find_hits only)
    near_start: np.ndarray | None = None  # the word that satisfied the hit's first `near` rule (-1: none)
    near_end: np.ndarray | None = None
    entry: np.ndarray | None = None  # the matcher entry (pattern) of each hit
    pending: np.ndarray | None = None  # (hit, rule) of the article-scope rules, decided after the scan


def _resolve(matcher: CompiledLexicon, chunk: Chunk, language: str, voices: bool = True) -> _Raw:
    """Scan, resolve leftmost-longest within each contrast, log except-consumed matches, voice.

    Offsets of the result are chunk character offsets (``chunk.joined``). Without ``voices`` every
    hit's voice is left at 0 (for callers that count every voice alike).
    """
    scanned = matcher.scan_chunk(chunk, language)
    seg, ent, st, en = matcher.matches(chunk, scanned)
    aux = matcher._aux[ent]
    frame_ends = frame_words = None
    if language == matcher.trigger_language:  # where each trigger word of the attribution frames ends
        trig = np.flatnonzero(aux == TRIGGER)
        trig = trig[np.argsort(en[trig], kind="stable")]
        frame_ends = en[trig]
        frame_words = [matcher.entries[i].pattern for i in ent[trig].tolist()]
    if aux.any():
        own = aux == 0
        seg, ent, st, en = seg[own], ent[own], st[own], en[own]
    accepted, excluded = _leftmost_longest(matcher, seg, ent, st, en)
    excluded = [(*x, -1) for x in excluded]
    kept = np.flatnonzero(accepted & ~matcher._is_except[ent])
    kept = kept[np.lexsort((matcher._contrast_of[ent[kept]], st[kept]))]  # the order of the hits table
    seg, ent, st, en = seg[kept], ent[kept], st[kept], en[kept]
    near_start = np.full(len(seg), -1, dtype=np.int64)
    near_end = near_start.copy()
    pending = np.zeros((0, 2), dtype=np.int64)
    if matcher.rules:
        passed, removed = _apply_context_rules(matcher, chunk, seg, ent, st, en, near_start, near_end)
        excluded = sorted(excluded + [(int(seg[k]), int(matcher._variant_of[ent[k]]), int(st[k]), int(en[k]), -1,
                                       ws, we, r) for k, r, ws, we in removed], key=_excluded_order)
        seg, ent, st, en = seg[passed], ent[passed], st[passed], en[passed]
        near_start, near_end = near_start[passed], near_end[passed]
        pending = _article_rules(matcher, ent)
    cue_ends = None if scanned.cue_ends is None else chunk.to_chars(scanned.cue_ends)
    kinds = matcher.variant_kinds[matcher._variant_of[ent]].tolist()
    voice = (chunk_voices(chunk, seg, st, en, language, cue_ends, kinds, frame_ends, frame_words) if voices
             else np.zeros(len(seg), dtype=np.int8))
    return _Raw(seg, matcher._variant_of[ent], st, en, voice, excluded, near_start=near_start, near_end=near_end,
                entry=ent, pending=pending)


def _excluded_order(x: tuple) -> tuple:
    """Excluded matches in text order: text, start, longest first, variant, rule."""
    return x[0], x[2], -x[3], x[1], x[7]


def _article_rules(matcher: CompiledLexicon, ent) -> np.ndarray:
    """(hit, rule) of the kept hits an article-scope rule applies to, decided once the article is scanned."""
    pend = [(k, r) for r, rule in enumerate(matcher.rules) if rule.scope == "article"
            for k in np.flatnonzero(matcher._rule_applies[r][ent]).tolist()]
    return np.array(pend, dtype=np.int64).reshape(-1, 2)


@lru_cache(maxsize=256)
def _rule_finder(rule) -> tuple[tuple[str, ...], tuple]:
    """A context rule's words as regexes: (a literal every match of each word holds, lowercased;
    each word's regex with its pattern).

    The same matching as the engines: ASCII word boundaries and case folding, and no match glued to
    a (Unicode) letter where the pattern starts or ends with one.
    """
    flags = re.ASCII | (0 if rule.case_sensitive else re.IGNORECASE)
    regexes = tuple((re.compile("(?=(" + pattern_regex(w, rule.case_sensitive) + "))", flags), w) for w in rule.words)
    literals = tuple(max(re.findall(r"[\x21-\x26\x28-\x29\x2b-\x2c\x2e-\x7e]+", w) or [""], key=len).lower()
                     for w in rule.words)  # the longest run of plain ASCII of each word
    return literals, regexes


def _word_spans(finder, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of every match of a rule's words (``_rule_finder``) inside ``text[lo:hi]``, overlapping too."""
    literals, regexes = finder
    a0 = max(lo - 1, 0)
    window = text[a0:hi + 1]  # one character of context each side, for the word boundaries
    low = window.lower()
    spans = []
    for lit, (rx, word) in zip(literals, regexes, strict=True):
        if lit not in low:  # a quick look: every match of the word holds its leading literal
            continue
        for m in rx.finditer(window):
            a, b = m.start() + a0, m.end(1) + a0
            if a < lo or b > hi:
                continue
            if a > 0 and text[a - 1].isalnum() and word[0].isalnum():
                continue
            if b < len(text) and text[b].isalnum() and (word[-1].isalnum() or word[-1] == "*"):
                continue
            spans.append((a, b))
    return sorted(set(spans))


def _first_word_span(finder, text: str, words: dict[int, int] | None = None) -> tuple[int, int] | None:
    """``_word_spans(finder, text, 0, len(text))[0]`` (or None), stopping at each word's first match.

    ``words``: {index: offset} of the only words that may occur in the text, none of whose matches
    starts before the offset (None: any word, anywhere).
    """
    literals, regexes = finder
    low = text.lower() if words is None else ""
    best = None
    for w, (lit, (rx, word)) in enumerate(zip(literals, regexes, strict=True)):
        if words is None and lit not in low or words is not None and w not in words:
            continue
        for m in rx.finditer(text, words[w] if words is not None else 0):
            a, b = m.start(), m.end(1)
            if best is not None and a > best[0]:
                break  # a later start than the best so far: no better match of this word
            if a > 0 and text[a - 1].isalnum() and word[0].isalnum():
                continue
            if b < len(text) and text[b].isalnum() and (word[-1].isalnum() or word[-1] == "*"):
                continue
            if best is None or (a, b) < best:
                best = (a, b)
            break
    return best


_WORD = re.compile(r"\w+")


def _context_verdict(rule, text: str, start: int, end: int, spans) -> tuple[bool, tuple[int, int] | None]:
    """Does the context rule let the hit ``text[start:end]`` count, and which word decided?

    ``spans``: (start, end) of the rule's words in the hit's scope. Returns (counts, the word
    that satisfied ``near`` or that a ``not_*`` rule found; None if none). When several words
    qualify, the nearest (fewest characters between; then the first) decides.
    """
    best = None
    for a, b in spans:
        if b <= start:
            side, gap = "before", text[b:start]
        elif a >= end:
            side, gap = "after", text[end:a]
        else:
            side, gap = "overlap", ""
        if rule.kind == "not_after" and side != "before" or rule.kind == "not_before" and side != "after":
            continue
        if rule.within is not None and len(_WORD.findall(gap)) > rule.within:
            continue
        key = (len(gap), a)
        if best is None or key < best[0]:
            best = (key, (a, b))
    found = None if best is None else best[1]
    return (found is not None) == (rule.kind == "near"), found


def _apply_context_rules(matcher: CompiledLexicon, chunk: Chunk, seg, ent, st, en, near_start, near_end):
    """Which kept hits the lexicon's context rules let count (chunk character offsets).

    Returns (mask of the hits that count, [(hit, rule, word start, word end)] of those removed);
    fills ``near_start``/``near_end`` with the word that satisfied each hit's first ``near`` rule.
    The same results as :func:`_apply_context_rules_reference` (tests compare them), faster:
    the sentences of every hit a rule applies to are found once; a rule that applies to many
    hits of the batch has its words found by one Hyperscan scan of the batch
    (``CompiledLexicon.rule_word_ends``), and only the hits with one of these ends in their scope
    are checked word by word (a ``near`` rule removes the others at once, a ``not_*`` rule keeps
    them); a rule over a few hits looks for its words in each hit's scope.
    """
    if _REFERENCE:
        return _apply_context_rules_reference(matcher, chunk, seg, ent, st, en, near_start, near_end)
    n = len(seg)
    passed = np.ones(n, dtype=bool)
    removed: list[tuple[int, int, int, int]] = []
    local = [r for r, rule in enumerate(matcher.rules) if rule.scope != "article"]
    applies = {r: matcher._rule_applies[r][ent] for r in local}
    in_sentence = np.zeros(n, dtype=bool)
    for r in local:
        if matcher.rules[r].scope == "sentence":
            in_sentence |= applies[r]
    sentence_lo = sentence_hi = None
    if in_sentence.any():  # one pass for every rule: a hit's sentence depends on nothing else
        where = np.flatnonzero(in_sentence)
        sentence_lo, sentence_hi = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        sentence_lo[where], sentence_hi[where] = _scope_bounds(chunk, "sentence", seg[where], st[where], en[where])
    many = tuple(r for r in local if np.count_nonzero(applies[r]) >= _RULE_SCAN_FROM)
    word_ends = {}
    if many and matcher.engine == "hyperscan":  # their words, looked for in their scopes only
        scopes = []
        for r in many:
            k = np.flatnonzero(applies[r])
            scopes.append((sentence_lo[k], sentence_hi[k]) if matcher.rules[r].scope == "sentence"
                          else _scope_bounds(chunk, matcher.rules[r].scope, seg[k], st[k], en[k]))
        word_ends = _rule_word_ends(matcher, chunk, many, np.concatenate([a for a, _ in scopes]),
                                    np.concatenate([b for _, b in scopes])) or {}
    for r in local:
        rule = matcher.rules[r]
        idx = np.flatnonzero(applies[r] & passed)
        if not len(idx):
            continue
        if rule.scope == "sentence":
            lo, hi = sentence_lo[idx], sentence_hi[idx]
        else:
            lo, hi = _scope_bounds(chunk, rule.scope, seg[idx], st[idx], en[idx])
        finder = _rule_finder(rule)
        ends = word_ends.get(r)
        out: list[tuple[int, int, int, int]] = []
        if ends is not None:  # a word of the rule in the scope ends in (lo, hi]
            has = np.searchsorted(ends, hi, side="right") > np.searchsorted(ends, lo, side="right")
            if rule.kind == "near":  # no word: the hit does not count
                gone = idx[~has]
                passed[gone] = False
                out.extend((k, r, -1, -1) for k in gone.tolist())
            idx, lo, hi = idx[has], lo[has], hi[has]
        elif rule.kind != "near" and len(idx) > 1000:  # as the reference (the portable engine)
            at = _literal_positions(chunk, finder[0])
            near = np.searchsorted(at, hi, side="left") > np.searchsorted(at, lo - 1, side="left")
            idx, lo, hi = idx[near], lo[near], hi[near]
        # each scope's text with one character more each side (the word boundaries), not the whole
        # joined text: the same checks in the piece's offsets
        p0 = np.maximum(lo - 1, 0)
        p1 = np.minimum(hi + 1, chunk.ends[-1])
        for k, a, b, base, piece in zip(idx.tolist(), lo.tolist(), hi.tolist(), p0.tolist(), chunk.strings(p0, p1),
                                        strict=True):
            spans = _word_spans(finder, piece, a - base, b - base)
            if not spans and rule.kind != "near":
                continue
            counts, word = _context_verdict(rule, piece, int(st[k]) - base, int(en[k]) - base, spans)
            if word is not None:
                word = (word[0] + base, word[1] + base)
            if not counts:
                passed[k] = False
                out.append((k, r, *(word if word is not None else (-1, -1))))
            elif rule.kind == "near" and near_start[k] < 0 and word is not None:
                near_start[k], near_end[k] = word
        removed.extend(sorted(out))
    return passed, removed


def _rule_word_ends(matcher: CompiledLexicon, chunk: Chunk, rules: tuple[int, ...], lo: np.ndarray,
                    hi: np.ndarray) -> dict[int, np.ndarray] | None:
    """{rule: sorted chunk character offsets} holding the end of every match of the rules' words
    that lies in one of the scopes ``[lo, hi)`` (and maybe more): one Hyperscan scan of the scopes,
    merged where they overlap and joined like a chunk's texts (None without Hyperscan).

    A word inside a scope is inside its merged piece, and the separators around a piece only add
    word boundaries there, so every such match is found.
    """
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], hi[order]
    new = np.ones(len(lo), dtype=bool)
    new[1:] = lo[1:] > np.maximum.accumulate(hi)[:-1]
    first = np.flatnonzero(new)
    starts, stops = lo[first], np.maximum.reduceat(hi, first)
    buf = chunk.buf
    pieces = Chunk.from_utf8([buf[a:b] for a, b in zip(chunk.to_bytes(starts).tolist(),
                                                       chunk.to_bytes(stops).tolist(), strict=True)])
    found = matcher.rule_word_matches(pieces, rules)
    if found is None:  # pragma: no cover - no Hyperscan, or a word it cannot compile
        return None
    owner, _, end = found
    piece = pieces.segment_of(np.maximum(end - 1, 0))
    end = starts[piece] + (end - pieces.starts[piece])
    return {r: np.unique(end[owner == r]) for r in rules}


def _apply_context_rules_reference(matcher: CompiledLexicon, chunk: Chunk, seg, ent, st, en, near_start, near_end):
    """Which kept hits the lexicon's context rules let count (chunk character offsets): the plain way.

    Returns (mask of the hits that count, [(hit, rule, word start, word end)] of those removed);
    fills ``near_start``/``near_end`` with the word that satisfied each hit's first ``near`` rule.
    The rule's words are looked for in each hit's scope only (one quick regex first, then each
    word), so common words ("Russian") cost nothing where no rule needs them.
    """
    n = len(seg)
    passed = np.ones(n, dtype=bool)
    removed = []
    joined = None
    for r, rule in enumerate(matcher.rules):
        if rule.scope == "article":  # decided once every field of the article is scanned
            continue
        idx = np.flatnonzero(matcher._rule_applies[r][ent] & passed)
        if not len(idx):
            continue
        if joined is None:
            joined = chunk.joined
        lo, hi = _scope_bounds(chunk, rule.scope, seg[idx], st[idx], en[idx])
        finder = _rule_finder(rule)
        if rule.kind != "near" and len(idx) > 1000:  # many hits: only scopes holding a literal of the words can change
            at = _literal_positions(chunk, finder[0])
            near = np.searchsorted(at, hi, side="left") > np.searchsorted(at, lo - 1, side="left")
            idx, lo, hi = idx[near], lo[near], hi[near]
        for k, a, b in zip(idx.tolist(), lo.tolist(), hi.tolist(), strict=True):
            spans = _word_spans(finder, joined, a, b)
            if not spans and rule.kind != "near":
                continue
            counts, word = _context_verdict(rule, joined, int(st[k]), int(en[k]), spans)
            if not counts:
                passed[k] = False
                removed.append((k, r, *(word if word is not None else (-1, -1))))
            elif rule.kind == "near" and near_start[k] < 0 and word is not None:
                near_start[k], near_end[k] = word
    return passed, removed


def _literal_positions(chunk: Chunk, literals: tuple[str, ...]) -> np.ndarray:
    """Sorted chunk character offsets where one of the (lowercase ASCII) literals starts, ASCII case folded.

    Every match of a rule's word holds its literal, so a scope without one has none of the words.
    """
    if any(not lit for lit in literals):  # a word with no plain ASCII run: every scope may hold it
        return np.array([-(1 << 62), 1 << 62], dtype=np.int64)
    buf = chunk.lowered
    found = []
    for lit in set(literals):
        needle = lit.encode("ascii")
        k = buf.find(needle)
        while k >= 0:
            found.append(k)
            k = buf.find(needle, k + 1)
    if not found:
        return np.zeros(0, dtype=np.int64)
    return np.unique(chunk.to_chars(np.asarray(found, dtype=np.int64)))


def _scope_bounds(chunk: Chunk, scope: str, seg, st, en) -> tuple[np.ndarray, np.ndarray]:
    """Chunk character offsets (start, end) of each hit's sentence, paragraph or text."""
    if scope == "sentence":
        a, b = chunk.to_bytes(st), chunk.to_bytes(en)
        s, e = sentence_byte_bounds(chunk, seg, st, en, a, b)
        return chunk.to_chars(s), chunk.to_chars(e)
    lo, hi = chunk.starts[seg].copy(), chunk.ends[seg].copy()
    if scope == "paragraph":
        from framing._chunk import LANDMARK

        pos, kind = chunk.landmarks
        breaks = chunk.to_chars(pos[kind == LANDMARK["\n"]])
        before = np.searchsorted(breaks, st, side="left") - 1  # the last line break before the hit
        after = np.searchsorted(breaks, en, side="left")  # the first one at or after its end
        has_before = before >= 0
        lo[has_before] = np.maximum(lo[has_before], breaks[before[has_before]] + 1)
        has_after = after < len(breaks)
        hi[has_after] = np.minimum(hi[has_after], breaks[np.minimum(after, len(breaks) - 1)[has_after]])
    return lo, hi


def _leftmost_longest(matcher: CompiledLexicon, seg, ent, st, en) -> tuple[np.ndarray, list[tuple]]:
    """Which raw matches survive: leftmost-longest, non-overlapping within each contrast.

    The matches (sorted by text, start, longest first) are grouped by text and contrast; a group
    whose matches do not overlap keeps them all. Only groups with overlaps go through the greedy
    loop, which also logs the matches consumed by an ``except`` phrase.
    """
    n = len(ent)
    accepted = np.ones(n, dtype=bool)
    if n < 2:
        return accepted, []
    contrast = matcher._contrast_of[ent]
    order = np.argsort(seg * len(matcher.contrasts) + contrast, kind="stable")  # by text and contrast
    key = (seg * len(matcher.contrasts) + contrast)[order]
    same_group = key[1:] == key[:-1]
    overlaps = same_group & (st[order][1:] < en[order][:-1])
    if not overlaps.any():
        return accepted, []
    group = np.concatenate(([0], np.cumsum(~same_group)))
    bad_group = np.zeros(group[-1] + 1, dtype=bool)
    bad_group[group[1:][overlaps]] = True
    members = order[bad_group[group]]  # the matches of groups with an overlap, group by group
    entries = matcher.entries
    excluded: list[tuple] = []
    last = None  # (group, end, entry, start, is_except) of the last accepted match
    for m, g, i, a, b in zip(members.tolist(), group[bad_group[group]].tolist(), ent[members].tolist(),
                             st[members].tolist(), en[members].tolist(), strict=True):
        e = entries[i]
        if last is None or last[0] != g or a >= last[1]:
            last = (g, b, i, a, e.is_except)
        else:
            accepted[m] = False
            if last[4] and not e.is_except:
                excluded.append((m, int(seg[m]), e.variant, a, b, entries[last[2]].variant, last[3], last[1]))
    excluded.sort()
    return accepted, [x[1:] for x in excluded]


def _scan_corpus(corpus: pd.DataFrame, matcher: CompiledLexicon, fields: tuple[str, ...],
                 language: str, context: int | None = None,
                 voices: bool = True) -> tuple[_Raw, CorpusTexts, np.ndarray, np.ndarray]:
    """Hits of every text of the corpus, batch by batch (memory stays bounded by the batch size).

    Returns the hits, the texts (``texts.text(seg)``), and the row and field of each text. With
    ``context`` (characters each side), ``raw.strings`` holds the match, sentence, left and right
    context of each hit.
    """
    texts = CorpusTexts(corpus, fields)
    parts = []
    for a, b in texts.batches(_CHUNK_CHARS):
        chunk = texts.chunk(a, b)
        raw = _resolve(matcher, chunk, language, voices)
        if context is not None:
            raw.strings = _context_strings(chunk, raw, context)
        base = chunk.starts[raw.seg]
        raw.start = raw.start - base
        raw.end = raw.end - base
        raw.excluded = [(s + a, v, st - chunk.starts[s], en - chunk.starts[s], ev,
                         es - chunk.starts[s] if es >= 0 else -1, ee - chunk.starts[s] if ee >= 0 else -1, r)
                        for s, v, st, en, ev, es, ee, r in raw.excluded]
        raw.near_start = np.where(raw.near_start >= 0, raw.near_start - base, -1)
        raw.near_end = np.where(raw.near_end >= 0, raw.near_end - base, -1)
        raw.seg = raw.seg + a
        parts.append(raw)
    rows, flds = texts.rows, texts.fields
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        strings = {k: [] for k in ("match", "sentence", "left", "right")} if context is not None else None
        return (_Raw(empty, empty, empty, empty, np.zeros(0, dtype=np.int8), [], strings, empty, empty, empty), texts,
                rows, flds)
    offset = np.cumsum([0] + [len(p.seg) for p in parts[:-1]])
    pending = np.concatenate([p.pending + [o, 0] for p, o in zip(parts, offset, strict=True)])
    raw = _Raw(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("seg", "variant", "start", "end", "voice")),
               [x for p in parts for x in p.excluded],
               **{f: np.concatenate([getattr(p, f) for p in parts]) for f in ("near_start", "near_end", "entry")},
               pending=pending)
    if context is not None:
        raw.strings = {k: _concat_strings([p.strings[k] for p in parts]) for k in parts[0].strings}
    if len(pending):
        _decide_article_rules(raw, matcher, texts)
    return raw, texts, rows, flds


def _decide_article_rules(raw: _Raw, matcher: CompiledLexicon, texts: CorpusTexts) -> None:
    """Apply the article-scope rules: a rule's word anywhere in the article's scanned fields.

    Hits an article rule removes are dropped from ``raw`` and listed in ``raw.excluded`` (with the
    word's offsets when it is in the hit's own field). These hits were already voiced, so within
    their own text they counted as lexicon terms for the scare-quote rule.
    """
    rows = texts.rows
    wanted = set(rows[raw.seg[raw.pending[:, 0]]].tolist())
    fields_of: dict[int, list[int]] = {}
    for i in np.flatnonzero(np.isin(rows, list(wanted))).tolist():
        fields_of.setdefault(int(rows[i]), []).append(i)
    first: dict[tuple[int, int], tuple[int, int, int] | None] = {}  # (row, rule) -> (seg, start, end) of a word
    present = None if _REFERENCE else _article_words_present(matcher, texts, fields_of, raw.pending)

    def word_of(row: int, r: int):
        if (row, r) not in first:
            found = None
            for sg in fields_of.get(row, []):  # fields in scan order: the headline first
                finder = _rule_finder(matcher.rules[r])
                if _REFERENCE:
                    text = texts.text(sg)
                    spans = _word_spans(finder, text, 0, len(text))
                    span = spans[0] if spans else None
                else:
                    words = present.get((sg, r), ()) if present is not None else None
                    span = _first_word_span(finder, texts.text(sg), words) if words != () else None
                if span is not None:
                    found = (sg, *span)
                    break
            first[(row, r)] = found
        return first[(row, r)]

    drop = np.zeros(len(raw.seg), dtype=bool)
    added = []
    for k, r in raw.pending.tolist():
        if drop[k]:
            continue
        rule = matcher.rules[r]
        sg = int(raw.seg[k])
        word = word_of(int(rows[sg]), r)
        at = (word[1], word[2]) if word is not None and word[0] == sg else (-1, -1)
        if (word is not None) != (rule.kind == "near"):
            drop[k] = True
            added.append((sg, int(raw.variant[k]), int(raw.start[k]), int(raw.end[k]), -1, *at, r))
        elif word is not None and raw.near_start[k] < 0:
            raw.near_start[k], raw.near_end[k] = at
    if not drop.any():
        return
    keep = ~drop
    for f in ("seg", "variant", "start", "end", "voice", "near_start", "near_end", "entry"):
        setattr(raw, f, getattr(raw, f)[keep])
    if raw.strings is not None:
        picked = np.flatnonzero(keep)
        for key, values in raw.strings.items():
            raw.strings[key] = [values[i] for i in picked.tolist()] if isinstance(values, list) else values.take(picked)
    raw.excluded = sorted(raw.excluded + added, key=_excluded_order)


def _article_words_present(matcher: CompiledLexicon, texts: CorpusTexts, fields_of: dict[int, list[int]],
                           pending: np.ndarray) -> dict[tuple[int, int], dict[int, int]] | None:
    """{(text, rule): {word: where its first match may start}} for the article-scope rules with
    pending hits, from one Hyperscan scan of the articles' texts (None without Hyperscan).

    A text and rule missing from the result has none of the rule's words, a word missing from a
    text's entry is not in the text, and no match of a word starts before the offset given.
    """
    rules = tuple(sorted(set(pending[:, 1].tolist())))
    segs = sorted(sg for sgs in fields_of.values() for sg in sgs)
    if not segs or matcher.engine != "hyperscan":
        return None
    chunk = Chunk([texts.text(sg) for sg in segs])
    found = matcher.rule_word_matches(chunk, rules, starts=True)
    if found is None:  # pragma: no cover - a word Hyperscan cannot compile
        return None
    owner, word, end, start = found
    where = chunk.segment_of(end - 1)
    text_of = np.asarray(segs, dtype=np.int64)[where]
    present: dict[tuple[int, int], dict[int, int]] = {}
    for sg, r, w, a in zip(text_of.tolist(), owner.tolist(), word.tolist(), (start - chunk.starts[where]).tolist(),
                           strict=True):
        words = present.setdefault((sg, r), {})
        words[w] = min(a, words.get(w, a))
    return present


def _concat_strings(parts: list):
    """Concatenate per-chunk string columns (lists, or Arrow arrays)."""
    if isinstance(parts[0], list):
        return [x for p in parts for x in p]
    import pyarrow as pa

    return pa.concat_arrays(parts) if len(parts) > 1 else parts[0]


def _context_strings(chunk: Chunk, raw: _Raw, context: int) -> dict:
    """The match, its sentence and ``context`` characters each side, for each hit of a chunk.

    Values are Arrow string arrays (pandas >= 3) or lists of str (see ``framing._strings``).
    """
    seg, st, en = raw.seg, raw.start, raw.end
    a, b = chunk.to_bytes(st), chunk.to_bytes(en)
    s, e = sentence_byte_bounds(chunk, seg, st, en, a, b)
    lo = chunk.to_bytes(np.maximum(chunk.starts[seg], st - context))
    hi = chunk.to_bytes(np.minimum(chunk.ends[seg], en + context))
    return text_columns(chunk, a, b, lo, hi, s, e, _one_line)


def _one_line(s: str) -> str:
    return " ".join(s.split()) if "\n" in s or "\t" in s else s


# ------------------------------------------------------------------------------- public API
def _check_corpus(corpus) -> None:
    if not isinstance(corpus, pd.DataFrame) or "text" not in corpus.columns:
        raise FramingError("expected a corpus table (a DataFrame with a `text` column, from "
                           "framing.load_corpus); got " + type(corpus).__name__)


def find_hits(
    corpus: pd.DataFrame,
    lexicon: str | Path | Lexicon = "russia-ukraine",
    *,
    fields: Iterable[str] = FIELDS,
    context: int = 60,
    engine: str = "auto",
    language: str | None = None,
    return_excluded: bool = False,
    exclude_shared: bool | pd.DataFrame = False,
    explain: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Every match of the lexicon in the corpus, one row per hit, with its voice and context.

    One pass per batch of documents over one compiled matcher for the whole lexicon. Within a
    contrast, matches are leftmost-longest and non-overlapping ("special military operation" is one
    hit, never also "military operation"); different contrasts may match overlapping text ("Kiev"
    for the capital and "Kiev regime" for the government are two framing choices). A match inside
    an ``except`` phrase counts for nothing and is listed with ``return_excluded=True``.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table (:func:`framing.load_corpus`).
    lexicon : str, Path or Lexicon, default="russia-ukraine"
        A built-in lexicon name, a YAML path or a Lexicon.
    fields : iterable of str, default=("title", "text")
        The columns to scan; headlines are scanned too.
    context : int, default=60
        Characters of context in ``left`` and ``right``.
    engine : {"auto", "hyperscan", "python"}, default="auto"
        The matching engine; all give identical hits.
    language : str, optional
        Language of the distancing cues (default: the lexicon's language).
    return_excluded : bool, default=False
        Also return the matches that do not count: those consumed by ``except`` phrases, and the
        hits a context rule of the lexicon removed (``not_near``, ``near``, ``not_after``,
        ``not_before``; :class:`framing.lexicon.ContextRule`).
    exclude_shared : bool or DataFrame, default=False
        Drop hits in wording copied between outlets (wire copy): ``True`` finds shared passages with
        :func:`framing.shared_passages`; a DataFrame of its output is used as is. The number of
        dropped hits is in ``hits.attrs["n_shared_dropped"]`` and the dropped hits in
        ``hits.attrs["shared_dropped"]``.
    explain : bool, default=False
        Add the columns that say why each hit has its voice (:data:`EXPLAIN_COLUMNS`):
        ``voice_rule`` (``quotation``, ``scare_quotes``, ``distancing_cue``, the id of the
        attribution frame of framing/data/voice_cues.yaml, ``editorial_insertion`` or ``none``),
        ``voice_cue`` (the quotation, cue or frame words) and ``voice_cue_start``,
        ``voice_cue_end`` (their offsets in the field; -1 when there is none); ``context_rule``
        (the lexicon's context rules the hit passed, "; "-separated; empty when none applies),
        ``context_word``, ``context_word_start``, ``context_word_end`` (the word that satisfied its
        first ``near`` rule; empty and -1 otherwise). Slower: each hit's voice rules are checked
        one by one.

    Returns
    -------
    DataFrame or (DataFrame, DataFrame)
        Hits with columns ``doc_id, outlet, published, field, contrast, variant, side, match,
        start, end, voice, sentence, left, right``: ``corpus.loc[doc_id, field][start:end] ==
        match``; ``voice`` is ``authorial``, ``quoted``, ``distanced`` or ``attributed``
        (:mod:`framing.voice`; only ``authorial`` is the outlet's own wording). Rows are ordered by
        document (corpus order), field, start, contrast. With ``return_excluded``, also the
        excluded matches: ``doc_id, field, contrast, variant, match, start, end, except_match,
        except_start, except_end, rule, rule_detail``: ``rule`` is ``except`` (``except_*``: the
        except phrase) or the context rule's kind (``except_*``: the word that removed the hit,
        empty and -1 for a ``near`` rule whose words were missing), ``rule_detail`` the rule
        (:meth:`framing.lexicon.ContextRule.describe`).

    Examples
    --------
    >>> from framing import load_corpus, find_hits
    >>> hits = find_hits(load_corpus("data/seed"), "russia-ukraine")
    >>> rt = hits[(hits.outlet == "RT") & (hits.contrast == "capital")]
    >>> rt[["field", "match", "voice"]].head(3)
         field match      voice
    ...  title  Kiev  authorial
    ...   text  Kiev  authorial
    ...   text  Kiev  authorial
    """
    _check_corpus(corpus)
    check_int(context, "context", low=0)
    lex = load_lexicon(lexicon)
    matcher = compile_lexicon(lex, engine)
    fields = tuple(fields)
    raw, texts, rows, flds = _scan_corpus(corpus, matcher, fields, language or lex.language, context=context)

    doc_ids = corpus.index.to_numpy()
    extra = None
    if explain:  # the context rules each hit passed, and the word that satisfied a `near` rule
        checked = np.array(["; ".join(matcher.rules[r].describe() for r in np.flatnonzero(matcher._rule_applies[:, e]))
                            for e in range(len(matcher.entries))] if matcher.rules else [""] * len(matcher.entries),
                           dtype=object)
        extra = {"context_rule": checked[raw.entry], "context_word_start": raw.near_start,
                 "context_word_end": raw.near_end}
    hits = _hits_frame(corpus, matcher, fields, raw, rows, flds, extra)
    if explain:
        hits = _explain_voices(hits, corpus, lex, language or lex.language)

    if exclude_shared is not False:
        hits = _drop_shared(hits, corpus, exclude_shared)
    if not return_excluded:
        return hits
    ex = raw.excluded
    variants = matcher.variants
    excluded = pd.DataFrame(
        [(doc_ids[rows[s]], fields[flds[s]], variants[v][0].id, variants[v][1].id, texts.text(s)[a:b], a, b,
          texts.text(s)[ea:eb] if ea >= 0 else "", ea, eb,
          "except" if r < 0 else matcher.rules[r].kind, "" if r < 0 else matcher.rules[r].describe())
         for s, v, a, b, _ev, ea, eb, r in ex],
        columns=EXCLUDED_COLUMNS)
    return hits, excluded


def _explain_voices(hits: pd.DataFrame, corpus: pd.DataFrame, lex: Lexicon, language: str) -> pd.DataFrame:
    """``hits`` with the EXPLAIN_COLUMNS of its voices, from the reference rules (framing.voice)."""
    from framing.voice import _Analyzer

    n = len(hits)
    rule = np.full(n, "none", dtype=object)
    cue = np.full(n, "", dtype=object)
    cue_start = np.full(n, -1, dtype=np.int64)
    cue_end = np.full(n, -1, dtype=np.int64)
    kind = {(c.id, v.id): v.kind or c.kind for c in lex.contrasts.values() for v in c.variants.values()}
    keys = pd.Series(list(zip(hits["doc_id"], hits["field"], strict=True)), dtype=object)
    starts, ends = hits["start"].to_numpy(), hits["end"].to_numpy()
    contrasts = list(zip(hits["contrast"], hits["variant"], strict=True))
    for (doc, field), where in keys.groupby(keys, sort=False).groups.items():
        where = np.asarray(where)
        text = corpus.at[doc, field]
        analyzer = _Analyzer(text, language)
        covered = list(zip(starts[where].tolist(), ends[where].tolist(), strict=True))
        for k, (a, b) in zip(where.tolist(), covered, strict=True):
            _, rule[k], s, e = analyzer.explain(a, b, covered, kind.get(contrasts[k]))
            if s >= 0:
                cue[k], cue_start[k], cue_end[k] = text[s:e], s, e
    word = [corpus.at[d, f][a:b] if a >= 0 else "" for d, f, a, b in
            zip(hits["doc_id"], hits["field"], hits["context_word_start"], hits["context_word_end"], strict=True)]
    out = hits.assign(voice_rule=rule, voice_cue=string_column(cue.tolist()).set_axis(hits.index),
                      voice_cue_start=cue_start, voice_cue_end=cue_end,
                      context_word=string_column(word).set_axis(hits.index))
    return out[HIT_COLUMNS + EXPLAIN_COLUMNS]


def _hits_frame(corpus: pd.DataFrame, matcher: CompiledLexicon, fields: tuple[str, ...], raw: _Raw,
                rows: np.ndarray, flds: np.ndarray, extra: dict | None = None) -> pd.DataFrame:
    """The hits table, ordered by document, field, start and contrast.

    Columns with few distinct values (ids, outlet, voice...) are built from their distinct values
    and codes; pandas infers each column's dtype as it would from the full column.
    """
    seg_row = rows[raw.seg]
    field = flds[raw.seg]
    contrast_of = np.array([matcher.contrasts.index(c.id) for c, _ in matcher.variants], dtype=np.int64)
    keys = (contrast_of[raw.variant], raw.start, field, seg_row)
    order = np.arange(len(seg_row)) if _is_sorted(keys) else np.lexsort(keys)
    seg_row, field, variant = seg_row[order], field[order], raw.variant[order]
    variants = matcher.variants
    outlet = corpus["outlet"].to_numpy() if "outlet" in corpus.columns else np.full(len(corpus), None)
    published = (corpus["published"].to_numpy() if "published" in corpus.columns
                 else np.full(len(corpus), np.datetime64("NaT"), dtype="datetime64[ns]"))
    if not len(order):  # the dtypes of an empty table, as pandas infers them
        columns = {"doc_id": corpus.index.to_numpy()[seg_row], "outlet": outlet[seg_row],
                   "published": published[seg_row], "field": [],
                   **{k: np.zeros(0, dtype=object) for k in ("contrast", "variant", "side", "match")},
                   "start": raw.start, "end": raw.end, "voice": np.zeros(0, dtype=object),
                   **{k: [] for k in ("sentence", "left", "right")}}
        hits = pd.DataFrame(columns, columns=HIT_COLUMNS)
        hits["start"] = hits["start"].astype("int64")
        hits["end"] = hits["end"].astype("int64")
        for name, values in (extra or {}).items():
            hits[name] = pd.Series(values, dtype=values.dtype if isinstance(values, np.ndarray) else object)
        return hits
    picked = order.tolist()
    in_order = bool((np.diff(order) == 1).all())  # one field: the hits come in table order

    def reordered(name: str) -> pd.Series:
        values = raw.strings[name]
        if in_order:
            return string_column(values)
        if isinstance(values, list):
            return string_column(list(map(values.__getitem__, picked)))
        return string_column(values.take(order))

    columns = {
        "doc_id": _coded(corpus.index.to_numpy(), seg_row),
        "outlet": _coded(outlet, seg_row),
        "published": published[seg_row],
        "field": _coded(np.asarray(fields, dtype=object), field),
        "contrast": _coded(np.array([c.id for c, _ in variants], dtype=object), variant),
        "variant": _coded(np.array([v.id for _, v in variants], dtype=object), variant),
        "side": _coded(np.array([v.side for _, v in variants], dtype=object), variant),
        "match": reordered("match"),
        "start": raw.start[order].astype("int64"),
        "end": raw.end[order].astype("int64"),
        "voice": _coded(np.asarray(VOICES, dtype=object), raw.voice[order].astype(np.int64)),
        **{k: reordered(k) for k in ("sentence", "left", "right")},
    }
    hits = pd.DataFrame(columns, columns=HIT_COLUMNS)
    for name, values in (extra or {}).items():
        hits[name] = values[order]
    return hits


def _coded(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``pd.Series(values[codes])``, built from the distinct codes only."""
    present = np.bincount(codes, minlength=len(values)) > 0
    used = np.flatnonzero(present)
    renumber = np.cumsum(present) - 1
    return pd.Series(pd.Series(values[used]).array.take(renumber[codes]))


def _is_sorted(keys: tuple[np.ndarray, ...]) -> bool:
    """Are the rows sorted by these keys (``np.lexsort`` order: the last key first)?"""
    if len(keys[0]) < 2:
        return True
    later = np.zeros(len(keys[0]) - 1, dtype=bool)  # row i + 1 comes after row i on an earlier key
    tied = np.ones(len(keys[0]) - 1, dtype=bool)
    for key in reversed(keys):
        step = np.diff(key)
        if (tied & (step < 0)).any():
            return False
        later |= tied & (step > 0)
        tied &= step == 0
    return True


def _drop_shared(hits: pd.DataFrame, corpus: pd.DataFrame, shared) -> pd.DataFrame:
    from framing.syndication import copied_spans, in_spans, shared_passages

    pairs = shared_passages(corpus) if shared is True else shared
    spans = copied_spans(pairs, corpus)
    is_text = (hits["field"] == "text").to_numpy()
    inside = np.zeros(len(hits), dtype=bool)
    if is_text.any() and len(spans):
        inside[is_text] = in_spans(hits["doc_id"].to_numpy()[is_text], hits["start"].to_numpy()[is_text],
                                   hits["end"].to_numpy()[is_text], spans)
    kept = hits[~inside].reset_index(drop=True)
    kept.attrs["n_shared_dropped"] = int(inside.sum())
    kept.attrs["shared_dropped"] = hits[inside].reset_index(drop=True)
    return kept


def _counts_from_raw(raw: _Raw, group_of_seg: np.ndarray, doc_of_seg: np.ndarray,
                     matcher: CompiledLexicon) -> pd.DataFrame:
    if not len(raw.seg):
        return pd.DataFrame(columns=["group", "variant", "voice", "doc", "n"])
    frame = pd.DataFrame({"group": group_of_seg[raw.seg], "variant": raw.variant, "voice": raw.voice,
                          "doc": doc_of_seg[raw.seg]})
    return frame.groupby(["group", "variant", "voice", "doc"], sort=False, dropna=False).size().rename("n").reset_index()


def _voice_codes(voice: str | Iterable[str] | None) -> list[int] | None:
    """The VOICES indices of ``voice`` (None: every voice); an unknown voice is an error, before any work."""
    if voice is None:
        return None
    return [VOICES.index(v) for v in check_voices(voice)]


def _reduce_counts(per_doc: pd.DataFrame, voice_codes: list[int] | None) -> pd.DataFrame:
    """Per-document counts of one chunk -> ``group, variant, voice, n_hits, n_docs``.

    A document lies in one chunk only, so these partial counts (small: groups x variants x voices)
    simply add up across chunks, and memory does not grow with the corpus.
    """
    if voice_codes is not None:
        per_doc = per_doc[per_doc["voice"].isin(voice_codes)]
    if per_doc.empty:
        return pd.DataFrame(columns=["group", "variant", "voice", "n_hits", "n_docs"])
    return (per_doc.groupby(["group", "variant", "voice"], sort=False, dropna=False)
            .agg(n_hits=("n", "sum"), n_docs=("doc", "nunique")).reset_index())


def _finish_counts(partials: list[pd.DataFrame], matcher: CompiledLexicon) -> pd.DataFrame:
    partials = [p for p in partials if len(p)]
    if not partials:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    agg = partials[0] if len(partials) == 1 else (
        pd.concat(partials, ignore_index=True)
        .groupby(["group", "variant", "voice"], sort=False, dropna=False)[["n_hits", "n_docs"]].sum().reset_index())
    variants = matcher.variants
    out = pd.DataFrame({
        "group": agg["group"].to_numpy(),
        "contrast": [variants[v][0].id for v in agg["variant"]],
        "variant": [variants[v][1].id for v in agg["variant"]],
        "side": [variants[v][1].side for v in agg["variant"]],
        "voice": [VOICES[v] for v in agg["voice"]],
        "n_hits": agg["n_hits"].astype("int64").to_numpy(),
        "n_docs": agg["n_docs"].astype("int64").to_numpy(),
    })
    v_order = {(c.id, v.id): i for i, (c, v) in enumerate(variants)}
    out["_v"] = [v_order[(c, v)] for c, v in zip(out["contrast"], out["variant"], strict=True)]
    out["_voice"] = out["voice"].map({v: i for i, v in enumerate(VOICES)})
    out = out.sort_values(["group", "_v", "_voice"], kind="stable").drop(columns=["_v", "_voice"])
    return out.reset_index(drop=True)


def _stream(source, chunksize: int, progress: bool | None, summary: dict, load_kwargs: dict):
    """Chunks of a source, adding up articles and dropped records in ``summary`` as they pass."""
    from framing.corpus import SKIPPED_FILE, dropped_documents, iter_corpus
    from framing.progress import progress_chunks

    summary.update(n_articles=0, n_skipped=0, skipped=[], n_skipped_files=0, skipped_files=[])
    for chunk in progress_chunks(iter_corpus(source, chunksize=chunksize, **load_kwargs), source, progress):
        summary["n_articles"] += len(chunk)
        for d, f, line, why in dropped_documents(chunk).itertuples(index=False, name=None):
            if d is None and pd.isna(line) and why.startswith(SKIPPED_FILE):  # a whole file left out (skip_bad)
                summary["skipped_files"].append({"file": f, "reason": why[len(SKIPPED_FILE):]})
                summary["n_skipped_files"] += 1
                continue
            summary["n_skipped"] += 1
            summary["skipped"].append(
                {"doc_id": d, "source_file": f, "line": None if pd.isna(line) else int(line), "reason": why})
        yield chunk


def count_hits(
    corpus,
    lexicon: str | Path | Lexicon = "russia-ukraine",
    *,
    by: str = "outlet",
    voice: str | Iterable[str] | None = None,
    fields: Iterable[str] = FIELDS,
    engine: str = "auto",
    chunksize: int = 10_000,
    progress: bool | None = False,
    exclude_shared: bool | pd.DataFrame = False,
    **load_kwargs,
) -> pd.DataFrame:
    """Tidy counts of hits per group, contrast, variant, side and voice.

    Parameters
    ----------
    corpus : DataFrame, or str or Path
        A corpus table, or a source that :func:`framing.iter_corpus` streams in chunks (the whole
        corpus is then never held in memory: each chunk is reduced to counts before the next is read).
    lexicon : str, Path or Lexicon, default="russia-ukraine"
    by : str, default="outlet"
        Any corpus column.
    voice : str or list of str, optional
        Keep only these voices (default: all three, each counted separately).
    fields : iterable of str, default=("title", "text")
    engine : {"auto", "hyperscan", "python"}
    chunksize : int, default=10_000
        Articles per chunk when streaming from a path.
    progress : bool, optional
        Show a progress bar when streaming (``None``: only on a terminal).
    exclude_shared : bool or DataFrame, default=False
        As for :func:`find_hits` (in-memory corpora only: shared passages are found across outlets,
        which needs the whole corpus).
    **load_kwargs
        Passed to :func:`framing.iter_corpus` when streaming (``skip_bad=True`` skips malformed
        records, ``drop_empty=True`` empty articles; both are listed in ``attrs["skipped"]``).

    Returns
    -------
    DataFrame
        Columns ``group, contrast, variant, side, voice, n_hits, n_docs`` (``n_docs``: articles
        with at least one such hit). Articles with an empty ``by`` value are counted in the group
        ``"(missing)"``. Only combinations with hits appear; ordered by group, then
        lexicon order, then voice. ``attrs["n_docs"]`` holds the number of articles per group;
        when streaming, ``attrs`` also holds ``n_articles``, ``n_skipped`` and ``skipped`` (the
        records and articles loading dropped: ``doc_id, source_file, line, reason``).

    Examples
    --------
    >>> from framing import load_corpus, count_hits
    >>> counts = count_hits(load_corpus("data/seed"), "russia-ukraine")
    >>> counts.query("group == 'RT' and contrast == 'capital'")[["variant", "voice", "n_hits", "n_docs"]]
      variant      voice  n_hits  n_docs
    ...  kiev  authorial     ...       1

    Streaming from a file or folder gives the same counts in bounded memory:

    >>> streamed = count_hits("data/seed", "russia-ukraine", chunksize=2)
    >>> streamed.equals(counts), streamed.attrs["n_articles"]
    (True, 5)
    """
    voice_codes = _voice_codes(voice)
    check_int(chunksize, "chunksize", low=1)
    lex = load_lexicon(lexicon)
    matcher = compile_lexicon(lex, engine)
    fields = tuple(fields)
    summary: dict = {}
    if isinstance(corpus, pd.DataFrame):
        chunks: Iterable[pd.DataFrame] = [corpus]
    else:
        if exclude_shared is not False:
            raise FramingError("exclude_shared needs the whole corpus in memory: load it with "
                               "framing.load_corpus and pass the table instead of a path")
        chunks = _stream(corpus, chunksize, progress, summary, load_kwargs)
    partials = []
    docs_per_group: dict = {}
    for chunk in chunks:
        _check_corpus(chunk)
        _add_group_sizes(chunk, by, docs_per_group)
        if exclude_shared is not False:
            hits = find_hits(chunk, lex, fields=fields, engine=engine, context=0, exclude_shared=exclude_shared)
            per_doc = _per_doc_from_hits(hits, chunk, by, matcher)
        else:
            raw, texts, rows, flds = _scan_corpus(chunk, matcher, fields, lex.language)
            group_of_seg = group_labels(chunk[by].to_numpy())[rows]
            doc_of_seg = chunk.index.to_numpy()[rows]
            per_doc = _counts_from_raw(raw, group_of_seg, doc_of_seg, matcher)
        partials.append(_reduce_counts(per_doc, voice_codes))
    out = _finish_counts(partials, matcher)
    out.attrs["n_docs"] = docs_per_group
    out.attrs.update(summary)
    return out


def _add_group_sizes(chunk: pd.DataFrame, by: str, sizes: dict) -> None:
    """Add the chunk's articles per group to ``sizes`` (an error naming the columns if ``by`` is not one)."""
    if by not in chunk.columns:
        from framing._errors import CorpusError

        raise CorpusError(f"no column '{by}' to group by; the columns are {list(chunk.columns)}")
    for g, n in pd.Series(group_labels(chunk[by].to_numpy())).value_counts(dropna=False).items():
        sizes[g] = sizes.get(g, 0) + int(n)


def write_hits(
    source: str | Path,
    lexicon: str | Path | Lexicon,
    path: str | Path,
    *,
    fields: Iterable[str] = FIELDS,
    context: int = 60,
    engine: str = "auto",
    chunksize: int = 10_000,
    progress: bool | None = False,
    by: str | None = None,
    voice: str | Iterable[str] | None = None,
    **load_kwargs,
) -> dict:
    """Stream a corpus through :func:`find_hits` and write every hit to one Parquet file.

    The corpus is read in chunks (:func:`framing.iter_corpus`) and each chunk's hits are appended
    to the file as a row group, so memory stays bounded whatever the size of the input.

    Parameters
    ----------
    source : str or Path
        A file or folder :func:`framing.iter_corpus` reads.
    lexicon : str, Path or Lexicon
    path : str or Path
        The Parquet file to write (replaced if it exists; written to a temporary name first).
    fields, context, engine
        As for :func:`find_hits`.
    chunksize : int, default=10_000
        Articles per chunk.
    progress : bool, optional
        Show a progress bar (``None``: only on a terminal).
    by : str, optional
        Also count the hits per group of this column in the same pass: ``summary["counts"]`` is
        then the table :func:`count_hits` returns (so the corpus is read once, not twice).
    voice : str or list of str, optional
        With ``by``: count only these voices (every hit is written whatever its voice).
    **load_kwargs
        Passed to :func:`framing.iter_corpus`.

    Returns
    -------
    dict
        ``path``, ``n_hits``, ``n_articles``, ``n_skipped`` and ``skipped`` (records and articles
        loading dropped: ``doc_id, source_file, line, reason``), and ``counts`` (None without ``by``).

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> from framing import write_hits
    >>> out = os.path.join(tempfile.mkdtemp(), "hits.parquet")
    >>> summary = write_hits("data/seed", "russia-ukraine", out)
    >>> len(pd.read_parquet(out)) == summary["n_hits"]
    True
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    voice_codes = _voice_codes(voice)
    check_int(context, "context", low=0)
    check_int(chunksize, "chunksize", low=1)
    lex = load_lexicon(lexicon)
    matcher = compile_lexicon(lex, engine)
    path = check_file_target(path, option="path", inputs=[source, load_kwargs.get("metadata")], hint=".parquet")
    summary: dict = {}
    partials, docs_per_group = [], {}
    n_hits = 0
    with atomic_file(path) as tmp:  # a unique temporary beside `path`, moved onto it at the end
        writer = None
        empty = None
        try:
            for chunk in _stream(source, chunksize, progress, summary, load_kwargs):
                hits = find_hits(chunk, lex, fields=fields, context=context, engine=engine)
                if by is not None:
                    _add_group_sizes(chunk, by, docs_per_group)
                    partials.append(_reduce_counts(_per_doc_from_hits(hits, chunk, by, matcher), voice_codes))
                if not len(hits):
                    empty = hits  # its columns, should no chunk have a hit
                    continue
                table = pa.Table.from_pandas(hits, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table.cast(writer.schema))
                n_hits += len(hits)
            if writer is None:
                frame = empty if empty is not None else pd.DataFrame(columns=HIT_COLUMNS)
                frame.to_parquet(tmp, index=False)
        finally:
            if writer is not None:
                writer.close()
    counts = None
    if by is not None:
        counts = _finish_counts(partials, matcher)
        counts.attrs["n_docs"] = docs_per_group
        counts.attrs.update(summary)
    return {"path": str(path), "n_hits": n_hits, **summary, "counts": counts}


def _per_doc_from_hits(hits: pd.DataFrame, chunk: pd.DataFrame, by: str, matcher: CompiledLexicon) -> pd.DataFrame:
    v_index = {(c.id, v.id): i for i, (c, v) in enumerate(matcher.variants)}
    if hits.empty:
        return pd.DataFrame(columns=["group", "variant", "voice", "doc", "n"])
    frame = pd.DataFrame({
        "group": group_labels(chunk[by].reindex(hits["doc_id"]).to_numpy()),
        "variant": [v_index[(c, v)] for c, v in zip(hits["contrast"], hits["variant"], strict=True)],
        "voice": hits["voice"].map({v: i for i, v in enumerate(VOICES)}).to_numpy(),
        "doc": hits["doc_id"].to_numpy(),
    })
    return frame.groupby(["group", "variant", "voice", "doc"], sort=False, dropna=False).size().rename("n").reset_index()


def kwic(
    corpus: pd.DataFrame,
    lexicon: str | Path | Lexicon | None = "russia-ukraine",
    *,
    variant: str | None = None,
    contrast: str | None = None,
    pattern: str | None = None,
    voice: str | Iterable[str] | None = None,
    window: int = 60,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Keyword in context: every hit of a variant, a contrast or a free pattern, with its context.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table.
    lexicon : str, Path or Lexicon, default="russia-ukraine"
        Used with ``variant``/``contrast``.
    variant, contrast : str, optional
        Which hits to list (a variant id, or a contrast id).
    pattern : str, optional
        A free pattern in lexicon syntax (``"annex*"``, ``"so-called referendum*"``), instead of
        ``variant``/``contrast``.
    voice : str or list of str, optional
        Keep only these voices.
    window : int, default=60
        Characters of context each side.
    hits : DataFrame, optional
        Precomputed :func:`find_hits` output to list from.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, field, start, end, left, match, right, voice, contrast, variant``, in
        corpus order. In a notebook the text is HTML-escaped (pandas escapes cell text).

    Examples
    --------
    >>> from framing import load_corpus, kwic
    >>> k = kwic(load_corpus("data/seed"), pattern="referendum*", window=25)
    >>> k[["outlet", "left", "match", "voice"]]
             outlet                       left        match      voice
    0  The National  ...what it called   referendums  distanced
    1  The National  ...land. The   referendums  authorial
    2            RT  ...a series of   referendums  authorial
    """
    check_int(window, "window", low=0)
    check_voices(voice)
    if pattern is not None:
        from framing.lexicon import pattern_problem

        problem = pattern_problem(pattern) if isinstance(pattern, str) and re.search(r"\w", pattern) else \
            "has no letters or digits"
        if problem:
            raise LexiconError(f"the pattern {pattern[:40]!r}{'...' if len(str(pattern)) > 40 else ''} {problem}")
        v = Variant(id="pattern", contrast="kwic", patterns=(pattern,))
        lex = Lexicon(name="kwic", contrasts={"kwic": Contrast(id="kwic", label=pattern, variants={"pattern": v})},
                      sha256=pattern)
        found = find_hits(corpus, lex, context=window)
    else:
        if variant is None and contrast is None:
            raise FramingError("kwic needs variant=, contrast= or pattern=")
        found = hits if hits is not None else find_hits(corpus, lexicon, context=window)
        lex = load_lexicon(lexicon)
        if contrast is not None and contrast not in lex.contrasts:
            raise FramingError(f"unknown contrast {contrast!r}; the lexicon has {list(lex.contrasts)}")
        if variant is not None and variant not in {v.id for v in lex.variants}:
            raise FramingError(f"unknown variant {variant!r}; see framing.load_lexicon({lex.name!r}).to_frame()")
        if contrast is not None:
            found = found[found["contrast"] == contrast]
        if variant is not None:
            found = found[found["variant"] == variant]
    if voice is not None:
        found = found[found["voice"].isin([voice] if isinstance(voice, str) else list(voice))]
    cols = ["doc_id", "outlet", "field", "start", "end", "left", "match", "right", "voice", "contrast", "variant"]
    return found[cols].reset_index(drop=True)
