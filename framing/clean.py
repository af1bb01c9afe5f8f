"""Stage 1b, clean: find the article in each text, drop the page around it and the boilerplate inside it.

Pure text: this module cleans strings and never reads a corpus table. The loader
(:mod:`framing.corpus`) logs every removed line in the corpus' audit, and the readers of that log
live there too: :func:`framing.cleaning_log` (``doc_id, line_no, text, reason``),
:func:`framing.cleaning_summary` (words before and after, words removed per reason, a flag when
cleaning is unsure), :func:`framing.cleaning_flagged` (the unsure ones) and
:func:`framing.stock_phrases` (lines an outlet repeats). What is removed, in order of precedence (the rules and their
thresholds are data: ``framing/data/boilerplate.yaml`` and ``framing/data/function_words.yaml``):

1. ``end_of_article``: everything from an end-of-article marker on ("Related Articles", "Leave a
   comment", "Most Popular"...), but only once the article body has started: a marker above the
   story (a sidebar heading, a menu) never wipes it.
2. ``headline``: a line repeating the title (the title lives in the ``title`` column).
3. The line rules (captions, credits, stamps, bylines, promos, legal notices...), on lines of at most
   ``max_line_words`` words.
4. ``repeated_on_outlet``: a line, or a segment of a long line with a link, that recurs in at least 3
   distinct articles of the same outlet in the same input and is not a prose sentence.
5. ``before_article`` / ``after_article``: outside the article block. The finder scores each line
   (prose: sentence punctuation, enough words, a share of the language's function words; chrome:
   short labels, teasers without punctuation, links) and takes the run of lines with the highest total,
   anchored after the headline repeat when the page has one. A short prose intro over a longer run of lines
   that are neither rule hits nor links, up to an end-of-article marker (a recipe, a plan, a list), is one
   article: the run is kept with the intro.

Kept lines are returned verbatim; a cleaning that would keep less than a plausible article (under 40
words) while the raw text holds a story keeps the raw text instead, flagged ``kept_raw``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

__all__ = ["clean_text", "CLEANING_LOG_COLUMNS", "CLEANING_RULES", "FLAGS"]

CLEANING_LOG_COLUMNS = ["doc_id", "line_no", "text", "reason"]
STRUCTURAL_RULES = ("end_of_article", "headline", "repeated_on_outlet", "before_article", "after_article")
FLAGS = {
    "kept_raw": "cleaning would have kept less than a plausible article: the raw text was kept",
    "short": "fewer words than a plausible article are left after cleaning",
    "chrome_only": "only page chrome (labels, menu items, links) is left after cleaning",
    "lost_prose": "cleaning removed more prose than it kept",
}

_QUOTES = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'), ("´", "'"), ("`", "'"))
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")  # the word of n_words (framing._words.WORD)
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_URL = re.compile(r"https?://|\bwww\.\w", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_END_CHARS = frozenset(".!?…。！？؟।")
_CLOSERS = "\"'’”»)]"


def _ends_sentence(s: str) -> bool:
    """Whether ``s`` ends with sentence punctuation (optionally followed by closing quotes or brackets)."""
    return s.rstrip(_CLOSERS)[-1:] in _END_CHARS


def _has_url(s: str) -> bool:
    """Whether ``s`` holds a link: ``http(s)://`` or ``www.`` followed by a word character (what ``_URL``
    matches), found with ``str.find`` (the regex scans a long line slowly)."""
    i, colons = s.find(":"), 0  # a colon is found faster than "://" (a one-character search)
    while i >= 0:
        if s.startswith("//", i + 1):
            if s[max(0, i - 4):i].lower() == "http" or s[max(0, i - 5):i].lower() == "https":
                return True
            i = s.find(":", i + 3)
            continue
        colons += 1
        i = s.find(":", i + 1) if colons < 16 else s.find("://", i + 1)  # many colons: the three-character search
    for www in ("www.", "WWW."):
        i = s.find(www)
        while i >= 0:
            if (i == 0 or not (s[i - 1].isalnum() or s[i - 1] == "_")) and i + 4 < len(s) and \
                    (s[i + 4].isalnum() or s[i + 4] == "_"):
                return True
            i = s.find(www, i + 4)
    return False


@dataclass(frozen=True)
class _Rules:
    end_markers: tuple[re.Pattern, ...]
    list_markers: tuple[re.Pattern, ...]
    line_rules: tuple[tuple[str, tuple[re.Pattern, ...], int, tuple[str | None, ...]], ...]  # + needles
    headline_window: int
    max_line_words: int
    prose_min_words: int
    min_function_share: float
    prose_cost: float
    chrome_cost: float
    chrome_per_word: float
    rule_cost: float
    min_lines: int
    anchor_share: float
    lead_lines: int
    min_words: int
    repeat_min_docs: int
    repeat_max_chars: int
    function_words: tuple[tuple[str, frozenset], ...]


def _needle(pattern: re.Pattern) -> str | None:
    """A string every match of ``pattern`` contains (lower-cased for a case-insensitive pattern), or None.

    The longest run of plain characters at the pattern's top level (not in a group, a repeat or an
    alternative), when it is ASCII and at least 3 characters long: ``\\bsupport (our|independent) ...``
    gives ``"support "``. ``_line_rule`` skips the regex of a line that lacks the needle."""
    try:  # the standard library's own regex parser (private: without it, no needle, the same answers)
        from re import _constants as sre_c
        from re import _parser as sre_p
    except ImportError:  # pragma: no cover - a Python whose re module is laid out otherwise
        return None
    best = run = ""
    for op, arg in sre_p.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE):
        if op is sre_c.LITERAL:
            run += chr(arg)
            continue
        best, run = max(best, run, key=len), ""
    best = max(best, run, key=len)
    if len(best) < 3 or not best.isascii():
        return None
    return best.lower() if pattern.flags & re.IGNORECASE else best


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Load and compile the rules shipped in ``framing/data/boilerplate.yaml`` and the function words."""
    data = resources.files("framing").joinpath("data")
    raw = yaml.safe_load(data.joinpath("boilerplate.yaml").read_text("utf-8"))
    words = yaml.safe_load(data.joinpath("function_words.yaml").read_text("utf-8"))
    ends = tuple(re.compile(p, re.IGNORECASE) for p in raw["end_markers"]["patterns"])
    lists = tuple(re.compile(p, re.IGNORECASE) for p in raw.get("list_markers", {}).get("patterns", []))
    rules = []
    for reason, rule in raw["line_rules"].items():
        flags = 0 if rule.get("case") == "sensitive" else re.IGNORECASE
        patterns = tuple(re.compile(p, flags) for p in rule["patterns"])
        rules.append((reason, patterns, int(rule.get("max_words", raw.get("max_line_words", 80))),
                      tuple(_needle(p) for p in patterns)))
    art, safety, rep = raw.get("article", {}), raw.get("safety", {}), raw.get("repeated", {})
    fw = tuple((lang, frozenset(str(w).casefold() for w in ws)) for lang, ws in words.items())
    return _Rules(ends, lists, tuple(rules), int(raw.get("headline_window", 25)), int(raw.get("max_line_words", 80)),
                  int(art.get("prose_min_words", 6)), float(art.get("min_function_share", 0.12)),
                  float(art.get("prose_cost", 4)), float(art.get("chrome_cost", 4)),
                  float(art.get("chrome_per_word", 0.5)), float(art.get("rule_cost", 20)), int(art.get("min_lines", 4)),
                  float(art.get("anchor_share", 0.1)), int(art.get("lead_lines", 12)),
                  int(safety.get("min_words", 40)), int(rep.get("min_docs", 3)), int(rep.get("max_chars", 600)),
                  fw)


def cleaning_rules() -> list[str]:
    """The names of every cleaning rule (the reasons of the log), in order of precedence.

    Examples
    --------
    >>> from framing.clean import cleaning_rules
    >>> cleaning_rules()[:3], cleaning_rules()[-2:]
    (['end_of_article', 'headline', 'legal_notice'], ['before_article', 'after_article'])
    """
    return ["end_of_article", "headline", *[r for r, *_ in _rules().line_rules], "repeated_on_outlet",
            "before_article", "after_article"]


CLEANING_RULES = tuple(cleaning_rules())


def check_skip(skip: Iterable[str] | None) -> frozenset:
    if not skip:
        return frozenset()
    if isinstance(skip, str):
        skip = [skip]
    skip = frozenset(skip)
    unknown = sorted(skip - set(CLEANING_RULES))
    if unknown:
        from framing._errors import CorpusError

        raise CorpusError(f"unknown cleaning rule(s) {unknown} (skip_rules=, --skip-rule); the rules are "
                          f"{list(CLEANING_RULES)}")
    return skip


# ---------------------------------------------------------------------------------------- lines
def _norm_line(s: str) -> str:
    """A line as compared with the headline: NFKC, straight quotes, casefolded, spaces collapsed."""
    s = unicodedata.normalize("NFKC", s)
    for curly, straight in _QUOTES:  # str.replace runs in C; str.translate with a dict is 10x slower
        s = s.replace(curly, straight)
    return " ".join(s.casefold().split()).rstrip(" .!?")


def _repeat_key(s: str) -> int:
    """The hash a line is counted under across articles: whitespace collapsed, digits as 0, quotes straight."""
    s = " ".join(s.split())
    for curly, straight in _QUOTES:
        if curly in s:
            s = s.replace(curly, straight)
    return hash(_DIGITS.sub("0", s))


_URL_TOKEN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SEP_RUN = re.compile(r"(?<!\S)(?:_{3,}|[-–—=*•·]{3,})(?!\S)")
_BOUNDARY = re.compile(r"(?:[.!?…。！？؟।][\"'’”»)\]]*|_{3,}|[-–—=*•·]{3,})\s+")
# the end of the last _BOUNDARY match in line[pos:endpos] (greedy .* backs off from the end: one C loop,
# no match objects), and the places where a _SEP_RUN match may start (a run of separator characters)
_LAST_BOUNDARY = re.compile(r"(?s:.*)(?:" + _BOUNDARY.pattern + ")")
_SEP_CHARS = re.compile(r"[_\-–—=*•·]{3,}")


def _has_sep(s: str) -> bool:
    return any(c * 3 in s for c in "_-–—=*•·")


def _url_tokens(line: str) -> list[tuple[int, int]]:
    """(start, end) of the links of a line (``http(s)://...`` and ``www.x...`` up to the next space)."""
    out = []
    lower = None
    for needle in ("://", "www."):
        i = line.find(needle) if needle == "://" else (lower or line.lower()).find(needle)
        if needle == "www." and lower is None:
            lower = line.lower()
        while i >= 0:
            if needle == "://":
                start = i - 5 if line[max(0, i - 5):i].lower() == "https" else i - 4
                ok = start >= 0 and line[start:i].lower() in ("http", "https")
            else:
                start = i
                ok = (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == "_")) and i + 4 < len(line) \
                    and (line[i + 4].isalnum() or line[i + 4] == "_")
            if ok:
                end = i
                while end < len(line) and not line[end].isspace():
                    end += 1
                out.append((start, end))
            i = (line if needle == "://" else lower).find(needle, i + len(needle))
    out.sort()
    return [(a, b) for k, (a, b) in enumerate(out) if k == 0 or a >= out[k - 1][1]]


def _link_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of a long line that cleaning may cut out: separator runs such as ``___``,
    and link segments, from the sentence end (or separator) before a link to the end of the link.

    >>> line = "He spoke on Monday. ___ Follow our coverage at https://example.org/hub A man walks."
    >>> [line[a:b] for a, b in _link_spans(line)]
    ['___', 'Follow our coverage at https://example.org/hub']
    """
    spans = []
    if _has_sep(line):  # the _SEP_RUN matches, looked for around runs of separator characters only
        for run in _SEP_CHARS.finditer(line):
            a, b = run.span()
            spans.extend(m.span() for m in _SEP_RUN.finditer(line, max(0, a - 1), min(len(line), b + 1)))
    for start, end in _url_tokens(line):
        lo = max(0, start - 300)
        last = _LAST_BOUNDARY.match(line, lo, start)  # the last sentence end (or separator) before the link
        if last is None and lo > 0:
            continue  # no sentence end within reach: the link is inside running text
        spans.append((last.end() if last else 0, end))
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _cut_spans(line: str, spans: list[tuple[int, int]]) -> str:
    """The line without the given spans, the whitespace around each cut reduced to one space."""
    out, pos = [], 0
    for a, b in spans:
        out.append(line[pos:a])
        pos = b
    out.append(line[pos:])
    return " ".join(part.strip() for part in out if part.strip())


def _keys(s: str) -> tuple[int, ...]:
    """The repeat keys of a line or segment: the whole of it and, when it holds a link, its template too:
    its first four words before the link ("Follow AP's coverage of ... <link>"), so that one promo
    pointing at different pages counts as one."""
    full = _repeat_key(s)
    m = _URL.search(s) if ("://" in s or "www." in s or "WWW." in s) else None
    if m is None:
        return (full,)
    words = s[:m.start()].split()
    if len(words) < 2:
        return (full,)
    return full, _repeat_key("\x00link template: " + " ".join(words[:4]))


def _unit_keys(text: str, max_chars: int) -> set[int]:
    """The repeat keys of one text: its lines up to ``max_chars`` characters and the link segments of
    longer lines."""
    keys: set[int] = set()
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if len(s) <= max_chars:
            keys.update(_keys(s))
        elif _has_url(s):
            for a, b in _link_spans(line):
                if b - a <= max_chars:
                    keys.update(_keys(line[a:b]))
    return keys


class RepeatCounter:
    """Counts, per outlet, in how many distinct articles each line occurs (first pass over an input).

    ``add(outlet, text)`` for every article of the input (an article whose text was seen before for the
    same outlet counts once), then ``repeated()``: outlet -> the set of line keys found in at least
    ``min_docs`` distinct articles. 16 bytes per distinct line of an article, so a first pass over a
    large input stays small.
    """

    def __init__(self, min_docs: int | None = None, max_chars: int | None = None):
        rules = _rules()
        self.min_docs = rules.repeat_min_docs if min_docs is None else int(min_docs)
        self.max_chars = rules.repeat_max_chars if max_chars is None else int(max_chars)
        self.outlets: dict[str, int] = {}
        self.seen: set[tuple[int, int]] = set()
        self.parts: list[np.ndarray] = []
        self.pending: list[int] = []
        self.pending_outlet: list[int] = []

    def add(self, outlet, text) -> None:
        if not isinstance(text, str) or not text or not isinstance(outlet, str):
            return
        o = self.outlets.setdefault(outlet.strip(), len(self.outlets))
        doc = (o, hash(text))
        if doc in self.seen:
            return
        self.seen.add(doc)
        keys = _unit_keys(text, self.max_chars)
        self.pending.extend(keys)
        self.pending_outlet.extend([o] * len(keys))
        if len(self.pending) > 1_000_000:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            arr = np.empty(len(self.pending), dtype=[("o", np.int64), ("k", np.int64)])
            arr["o"] = self.pending_outlet
            arr["k"] = self.pending
            self.parts.append(arr)
            self.pending, self.pending_outlet = [], []

    def repeated(self) -> dict[str, frozenset]:
        self._flush()
        if not self.parts:
            return {}
        arr = np.concatenate(self.parts)
        uniq, counts = np.unique(arr, return_counts=True)
        hot = uniq[counts >= self.min_docs]
        names = {v: k for k, v in self.outlets.items()}
        out: dict[str, set] = {}
        for o, k in zip(hot["o"].tolist(), hot["k"].tolist(), strict=True):
            out.setdefault(names[o], set()).add(k)
        return {k: frozenset(v) for k, v in out.items()}


def repeated_lines(outlets: Iterable, texts: Iterable, min_docs: int | None = None) -> dict[str, frozenset]:
    """Outlet -> keys of the lines found in at least ``min_docs`` distinct articles of that outlet."""
    counter = RepeatCounter(min_docs)
    for o, t in zip(outlets, texts, strict=True):
        counter.add(o, t)
    return counter.repeated()


def _language(token_lists: list[list[str]], rules: _Rules) -> frozenset | None:
    """The function words of the language that covers most tokens (None: no list covers 5%)."""
    toks = [t.casefold() for tl in token_lists for t in tl][:4000]
    if not toks:
        return None
    best, best_n = None, 0
    for _lang, words in rules.function_words:
        n = sum(map(words.__contains__, toks))
        if n > best_n:
            best, best_n = words, n
    return best if best_n >= 0.05 * len(toks) else None


def _size(s: str, tokens: list[str]) -> int:
    """Words of a line for the finder: tokens, or half the Chinese/Japanese characters when more."""
    n = len(tokens)
    if not s.isascii():
        h = len(_HAN_KANA.findall(s))
        if h:
            n = max(n, h // 2)
    return n


_TITLE_SEP = re.compile(r"\s+[|–—:-]+\s+|\s+::\s+")


def _title_forms(title: str) -> frozenset:
    """The title as a line may repeat it: whole, or one part of at least 4 words of a title with a site
    name around it ("Talks resume | The Daily", "The Daily - Talks resume")."""
    forms = {_norm_line(title)}
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1:
        forms.update(_norm_line(p) for p in parts if len(p.split()) >= 4)
    forms.discard("")
    return frozenset(forms)


# the characters other than ASCII ones that Python's case-insensitive matching takes for an ASCII letter
# (or that lower-case to one): a line holding one is searched by every regex, needle or not
_ASCII_FOLDS = ("İ", "ı", "ſ", "K")


def _line_rule(s: str, nwords: int, rules: _Rules, skip: frozenset) -> str | None:
    """The first line rule that removes this line (None: none; no rule removes a line over its word limit).

    A pattern's regex runs only on a line that holds its needle (``_needle``): as is for a case-sensitive
    pattern, in ``s.lower()`` for a case-insensitive one unless the line holds one of ``_ASCII_FOLDS``
    (then ``lower`` is not what the regex compares). The same answers as searching every regex (tested),
    in half the time."""
    if nwords > rules.max_line_words:
        return None
    low = s.lower() if s.isascii() or not any(c in s for c in _ASCII_FOLDS) else None
    for reason, patterns, max_words, needles in rules.line_rules:
        if nwords > max_words or reason in skip:
            continue
        for p, needle in zip(patterns, needles, strict=True):
            if needle is not None:
                if p.flags & re.IGNORECASE:
                    if low is not None and needle not in low:
                        continue
                elif needle not in s:
                    continue
            if p.search(s):
                return reason
    return None


def _legal(s: str, rules: _Rules) -> bool:
    return any(p.search(s) for reason, ps, *_ in rules.line_rules if reason == "legal_notice" for p in ps)


def _best_block(values: list[float], lo: int, hi: int) -> tuple[int, int, float]:
    """The contiguous run of values[lo:hi] with the highest sum (Kadane): (start, end inclusive, sum)."""
    best = (lo, lo - 1, 0.0)
    run, start = 0.0, lo
    for i in range(lo, hi):
        if run <= 0:
            run, start = 0.0, i
        run += values[i]
        if run > best[2]:
            best = (start, i, run)
    return best


@dataclass
class _Outcome:
    cleaned: str
    removed: list  # (line_no, text, reason)
    flag: str | None = None
    note: str | None = None


def clean_article(text: str, title: str | None, repeated: frozenset | None = None,
                   skip: frozenset = frozenset()) -> _Outcome:
    """Clean one text: the whole decision procedure of the module docstring."""
    rules = _rules()
    if "\n" not in text:  # one line (an export that joined the paragraphs): quick unless a rule can apply
        s = text.strip()
        if not s:
            return _Outcome("", [])
        if len(s) > 12 * rules.max_line_words or len(s.split()) > rules.max_line_words:
            if not (repeated and "repeated_on_outlet" not in skip and _has_url(s)):
                return _Outcome(text, [])
            return _cut_repeated_line(text, repeated, rules)
    lines = text.split("\n")
    stripped = [ln.strip() for ln in lines]
    idx = [i for i, s in enumerate(stripped) if s]  # the non-blank lines, in order
    n = len(idx)
    if not n:
        return _Outcome("", [])
    utext = [stripped[i] for i in idx]
    wants = _title_forms(title) if title and "headline" not in skip else ()
    longest = max((len(w) for w in wants), default=0)
    heads = {k for k, s in enumerate(utext) if wants and len(s) < 2 * longest + 20 and _norm_line(s) in wants}
    # words of a line, as line rules see them (a line over 12 characters a word is over any limit)
    nwords = [len(s.split()) if len(s) <= 12 * rules.max_line_words else 10**6 for s in utext]

    tokens: list[list[str] | None] = [None] * n
    prose = [False] * n
    sentence = [False] * n
    find = n >= rules.min_lines and not {"before_article", "after_article"} <= skip
    fw = None

    def feats(k: int) -> None:
        s = utext[k]
        tl = tokens[k] if tokens[k] is not None else _TOKEN.findall(s)
        tokens[k] = tl
        if not _ends_sentence(s) or (len(tl) < 15 and _has_url(s)):  # a short line with a link is a link
            return
        share_ok = fw is None or not tl or sum(1 for t in tl if t.casefold() in fw) >= rules.min_function_share * len(tl)
        size = _size(s, tl)
        sentence[k] = share_ok and size >= 2
        prose[k] = share_ok and size >= rules.prose_min_words

    rule_of = [_line_rule(s, w, rules, skip) for s, w in zip(utext, nwords, strict=True)]
    values: list[float] = []
    if find:
        tokens = [_TOKEN.findall(s) for s in utext]
        fw = _language(tokens, rules)
        for k in range(n):
            feats(k)
        for k in range(n):
            s, tl = utext[k], tokens[k]
            size = _size(s, tl)
            if rule_of[k] is not None or (nwords[k] > rules.max_line_words and _legal(s, rules)):
                v = -(rules.rule_cost + rules.chrome_per_word * min(size, 30))
            elif sentence[k]:
                v = size - rules.prose_cost
            elif len(tl) >= 4 and sum(1 for t in tl if t[0].isdigit()) >= 0.4 * len(tl):
                v = 0.0  # a row of a table: data, neither prose nor chrome
            elif size >= 25 and not _has_url(s) and (fw is None or sum(1 for t in tl if t.casefold() in fw)
                                                        >= 2 * rules.min_function_share * len(tl)):
                v = size / 2 - rules.prose_cost  # long text without final punctuation
            else:
                v = -(rules.chrome_cost + rules.chrome_per_word * min(size, 30))
            values.append(v)
    # the article block: [start, end]; the body proper starts at `body` (after a lead below the headline)
    start, end, body, lead = 0, n - 1, 0, None
    if find:
        a, b, total = _best_block(values, 0, n)
        if total > 0:
            for h in sorted(heads):  # the article follows the headline: the best run starting right after it
                b2, t2, run = h, 0.0, 0.0
                # the lead (stamps, bylines, share buttons) up to the first text line below the headline is free
                first = next((k for k in range(h + 1, min(n, h + 1 + rules.lead_lines)) if values[k] > 0), h + 1)
                for k in range(first, n):
                    run += values[k]
                    if run > t2:
                        b2, t2 = k, run
                if t2 > 0 and t2 >= rules.anchor_share * total:
                    a = next(k for k in range(h + 1, b2 + 1) if values[k] > 0)
                    b, lead = b2, h
                    break
            while a > (lead + 1 if lead is not None else 0) and sentence[a - 1]:
                a -= 1
            while b + 1 < n and sentence[b + 1]:
                b += 1
            start, end, body = (lead + 1 if lead is not None else a), b, a
    if "before_article" in skip:
        start, body = 0, 0
    if "after_article" in skip:
        end = n - 1
    # the end of the article: the first marker after the body has started
    cut = n
    if "end_of_article" not in skip:
        started = False
        prose_at = [(_size(utext[k], tokens[k]) if values[k] > 0 else 0) for k in range(n)] if find else None
        for k in range(body, n):
            s = utext[k]
            if started and len(s) < 120:
                if any(p.search(s) for p in rules.end_markers):
                    cut = k
                    break
                if any(p.search(s) for p in rules.list_markers):
                    # an inline box of links: more of the article follows it than precedes it
                    if find and k < end and sum(prose_at[k + 1:end + 1]) > sum(prose_at[body:k]):
                        continue
                    cut = k
                    break
            if not started and k >= start:
                if find:
                    started = sentence[k] or values[k] > 0
                else:  # a short text: the story has started at a sentence or a line of a few words
                    started = (_ends_sentence(s) or nwords[k] >= rules.prose_min_words) and not _has_url(s)
    check_repeats = bool(repeated) and "repeated_on_outlet" not in skip
    if find and end < cut - 1 < n - 1 and "after_article" not in skip:
        # a short prose intro followed by a longer uninterrupted body (a list, a recipe, a table) up to an
        # end-of-article marker: the body is the article's too (no line rule, no link in it)
        gap = range(end + 1, cut)
        if all(rule_of[k] is None and not _has_url(utext[k]) for k in gap) and \
                sum(len(tokens[k]) for k in gap) > sum(len(tokens[k]) for k in range(start, end + 1)):
            end = cut - 1
    removed: list[tuple[int, str, str]] = []
    reasons: list[str | None] = [None] * n
    for k in range(n):
        s = utext[k]
        if k >= cut:
            reason = "end_of_article"
        elif k in heads:
            reason = "headline"
        else:
            reason = rule_of[k]
            if reason is None and check_repeats and len(s) <= rules.repeat_max_chars and \
                    any(key in repeated for key in _keys(s)):
                if tokens[k] is None:
                    if fw is None:
                        fw = _language([_TOKEN.findall(s)], rules)
                    feats(k)
                if not prose[k] or _has_url(s):  # a repeated sentence with a link is a promo
                    reason = "repeated_on_outlet"
            if reason is None and k < start:
                reason = "before_article"
            elif reason is None and lead is not None and start <= k < body and not sentence[k]:
                if _size(s, tokens[k] or _TOKEN.findall(s)) < 8 or _has_url(s):
                    reason = "before_article"
            elif reason is None and k > end:
                reason = "after_article"
        reasons[k] = reason
        if reason is not None:
            removed.append((idx[k] + 1, s, reason))
    # a long kept line with a link: its link segments that the outlet repeats go (the one cut inside a line)
    new_line: dict[int, str] = {}
    cut_words = 0
    if check_repeats:
        for k in range(n):
            s = utext[k]
            if reasons[k] is None and len(s) > rules.repeat_max_chars and _has_url(s):
                line = lines[idx[k]]
                cuts = [(a, b) for a, b in _link_spans(line) if b - a <= rules.repeat_max_chars
                        and any(key in repeated for key in _keys(line[a:b]))]
                if cuts:
                    new_line[idx[k]] = _cut_spans(line, cuts)
                    removed.extend((idx[k] + 1, line[a:b], "repeated_on_outlet") for a, b in cuts)
                    cut_words += sum(len(_TOKEN.findall(line[a:b])) for a, b in cuts)
                    removed.sort(key=lambda r: r[0])
    if not removed:
        cleaned = text
        if "\n\n\n" in cleaned:
            cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
        cleaned = cleaned.strip("\n")
        if find and not any(v > 0 for v in values) and not any(sentence) and \
                sum(len(t) for t in tokens) < rules.min_words:  # a menu, nothing else: say so
            return _Outcome(cleaned, [], "chrome_only",
                            f"only page chrome (no sentence, {sum(len(t) for t in tokens)} words): nothing to keep")
        return _Outcome(cleaned, [])
    kept_idx = [idx[k] for k in range(n) if reasons[k] is None and new_line.get(idx[k], True) != ""]
    out: list[str] = []
    if kept_idx:
        keep_set = set(kept_idx)
        for i in range(kept_idx[0], kept_idx[-1] + 1):
            if i in keep_set:
                out.append(new_line.get(i, lines[i]))
            elif not stripped[i]:
                out.append("")
    cleaned = "\n".join(out)
    if "\n\n\n" in cleaned:
        cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    cleaned = cleaned.strip("\n")
    return _safety(text, cleaned, removed, reasons, tokens, prose, sentence, rules, feats, cut_words)


def _cut_repeated_line(text: str, repeated: frozenset, rules: _Rules) -> _Outcome:
    """A text of one long line: only the outlet's repeated link segments and separators can go."""
    cuts = [(a, b) for a, b in _link_spans(text) if b - a <= rules.repeat_max_chars
            and any(key in repeated for key in _keys(text[a:b]))]
    if not cuts:
        return _Outcome(text, [])
    cleaned = _cut_spans(text, cuts)
    if len(cleaned.split(None, rules.min_words)) < rules.min_words:  # stops splitting at min_words words
        return _Outcome(text.strip("\n"), [], "kept_raw", f"cleaning would keep {len(cleaned.split())} words: "
                        f"raw text kept")
    return _Outcome(cleaned, [(1, text[a:b], "repeated_on_outlet") for a, b in cuts])


def _safety(text, cleaned, removed, reasons, tokens, prose, sentence, rules, feats, cut_words) -> _Outcome:
    """Flag an unsure cleaning; keep the raw text when cleaning would leave less than a plausible article."""
    n = len(reasons)
    for k in range(n):
        if tokens[k] is None:
            feats(k)
    words = [len(t) for t in tokens]
    kept = sum(w for w, r in zip(words, reasons, strict=True) if r is None) - cut_words
    raw_words = sum(words)
    prose_all = sum(w for w, p in zip(words, prose, strict=True) if p)
    prose_kept = sum(w for w, p, r in zip(words, prose, reasons, strict=True) if p and r is None)
    m = rules.min_words
    if kept < m and prose_all >= m:
        note = (f"cleaning would keep {kept} of {raw_words} words, but the text has {prose_all} words of prose: "
                f"raw text kept")
        return _Outcome(text.strip("\n"), [], "kept_raw", note)
    chrome_only = kept > 0 and not any(sentence[k] or prose[k] for k in range(n) if reasons[k] is None)
    if chrome_only and kept < m:
        return _Outcome(cleaned, removed, "chrome_only",
                        f"only page chrome is left ({kept} words, no sentence); {raw_words} words before cleaning")
    if kept < m:
        return _Outcome(cleaned, removed, "short", f"{kept} words left after cleaning ({raw_words} before)")
    if prose_all - prose_kept > prose_kept:
        return _Outcome(cleaned, removed, "lost_prose",
                        f"cleaning removed {prose_all - prose_kept} words of prose and kept {prose_kept}")
    return _Outcome(cleaned, removed)


def _clean_lines(text: str, title: str | None, repeated: frozenset | None = None,
                 skip: frozenset = frozenset()) -> tuple[str, list[tuple[int, str, str]]]:
    out = clean_article(text, title, repeated, skip)
    return out.cleaned, out.removed


def clean_text(
    text: str, *, title: str | None = None, return_log: bool = False, skip_rules: Iterable[str] | None = None,
) -> str | tuple[str, pd.DataFrame]:
    """Find the article in one text, drop the page around it and the boilerplate inside it.

    The rules (see the module docstring and ``framing/data/boilerplate.yaml``): end-of-article
    markers, armed once the story has started ("Related Stories", comment widgets, "Most Popular",
    paywall prompts) cut everything from there on; the line that repeats the headline is dropped (the
    headline lives in the ``title`` column); line rules remove button labels, promos, donation appeals,
    photo captions and credits, stamps, machine-translation banners, bylines and legal notices; the
    article finder drops the lines before and after the densest block of prose (``before_article``,
    ``after_article``). Kept lines are returned verbatim, so offsets into the cleaned text point at the
    original characters; runs of blank lines are reduced to one paragraph break. Lines an outlet repeats
    across articles are found when a corpus is loaded (:func:`framing.load_corpus`), not here.

    Parameters
    ----------
    text : str
        Article text, lines separated by ``"\\n"``.
    title : str, optional
        The article's headline from the metadata; a body line repeating it is removed, and the
        article is looked for after it.
    return_log : bool, default=False
        Also return the removed lines as a DataFrame ``line_no, text, reason`` (``line_no`` is
        1-based in ``text``; blank lines are not logged).
    skip_rules : list of str, optional
        Rules not to apply (reasons of the log, see ``framing.clean.CLEANING_RULES``), e.g.
        ``["before_article", "after_article"]`` to keep the page around the article.

    Returns
    -------
    str or (str, DataFrame)
        The cleaned text, and the log of removed lines when ``return_log`` is true.

    Examples
    --------
    >>> from framing import clean_text
    >>> raw = "Advertisement\\nTalks stall\\nThe talks stalled on Friday.\\nNext Post\\nOther story"
    >>> clean_text(raw, title="Talks stall")
    'The talks stalled on Friday.'
    >>> clean_text(raw, title="Talks stall", return_log=True)[1]
       line_no           text          reason
    0        1  Advertisement        ui_label
    1        2    Talks stall        headline
    2        4      Next Post  end_of_article
    3        5    Other story  end_of_article

    A sidebar heading above the story is page chrome, not the end of the article:

    >>> page = ("Home\\nWorld\\nTrending\\nStocks slide as oil jumps\\n"
    ...         "Delegations from both countries met in Istanbul on Tuesday to discuss a ceasefire.\\n"
    ...         "Officials said prisoner exchanges were on the agenda, and that talks would resume in May.\\n"
    ...         "Most Popular\\nStocks slide as oil jumps")
    >>> print(clean_text(page))
    Delegations from both countries met in Istanbul on Tuesday to discuss a ceasefire.
    Officials said prisoner exchanges were on the agenda, and that talks would resume in May.
    """
    out = clean_article(text, title, None, check_skip(skip_rules))
    if not return_log:
        return out.cleaned
    return out.cleaned, pd.DataFrame(out.removed, columns=["line_no", "text", "reason"])


# ------------------------------------------------------------------------------------- the audit
