"""The lexicon's context rules: ``near``, ``not_near``, ``not_after``, ``not_before`` in a hit's
sentence, paragraph, text or article (:class:`framing.lexicon.ContextRule`).

:func:`apply_context_rules` decides the sentence, paragraph and text rules of a batch's hits (fast:
one Hyperscan scan for the words of a rule over many hits; ``options.REFERENCE``: one hit at a
time); :func:`decide_article_rules` the article rules once the whole corpus is scanned.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from framing._chunk import Chunk, CorpusTexts
from framing.match import options
from framing.match.compiled import CompiledLexicon, pattern_regex
from framing.match.raw import Raw
from framing.text.chunk_sentences import sentence_byte_bounds


def excluded_order(x: tuple) -> tuple:
    """Excluded matches in text order: text, start, longest first, variant, rule."""
    return x[0], x[2], -x[3], x[1], x[7]


def article_rules(matcher: CompiledLexicon, ent) -> np.ndarray:
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


def apply_context_rules(matcher: CompiledLexicon, chunk: Chunk, seg, ent, st, en, near_start, near_end):
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
    if options.REFERENCE:
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
    many = tuple(r for r in local if np.count_nonzero(applies[r]) >= options.RULE_SCAN_FROM)
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


def decide_article_rules(raw: Raw, matcher: CompiledLexicon, texts: CorpusTexts) -> None:
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
    present = None if options.REFERENCE else _article_words_present(matcher, texts, fields_of, raw.pending)

    def word_of(row: int, r: int):
        if (row, r) not in first:
            found = None
            for sg in fields_of.get(row, []):  # fields in scan order: the headline first
                finder = _rule_finder(matcher.rules[r])
                if options.REFERENCE:
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
    raw.excluded = sorted(raw.excluded + added, key=excluded_order)


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
