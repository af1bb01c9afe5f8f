"""Stage 5b, syndication: sentences shared between outlets (wire copy) and how each outlet edited them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from framing._checks import check_column, check_corpus_table, check_int, check_number
from framing._errors import ArgumentError
from framing.text import quote_spans
from framing.text import sentence_spans as text_sentence_spans
from framing.text.quotes import merged

__all__ = ["sentence_spans", "shared_passages", "copied_spans", "in_spans", "PAIR_COLUMNS",
           "SPAN_COLUMNS"]

PAIR_COLUMNS = ["doc_id_a", "group_a", "start_a", "end_a", "sentence_a", "doc_id_b", "group_b",
                "start_b", "end_b", "sentence_b", "similarity", "kind", "edit"]
SPAN_COLUMNS = ["doc_id", "start", "end", "pair_id", "text"]

_NOTHING = "∅"

# ------------------------------------------------------------------------------ sentence splitting
def sentence_spans(text: str) -> pd.DataFrame:
    """The sentences of a text, as character spans.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotation marks or brackets
    after it, as in ``continuing."``) followed by a space and a capital letter, a digit or an
    opening quotation mark, and at every line break. A period does not end a sentence after a
    title (``Mr``, ``Gen.``, ``St.``), before a number after ``Aug.`` or ``No.``, or inside a
    number (``3.5``); after an initial or a dotted abbreviation (``J.``, ``U.S.``, ``a.m.``) it
    ends one only when a word that usually starts a sentence follows (``The``, ``He``, ``But``).
    Leading bullets and surrounding whitespace are not part of a sentence. These are the rules of
    :func:`framing.text.sentence_spans` (the words: framing/data/text_rules.yaml), the sentences
    that voice, the context rules and KWIC read too.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    DataFrame
        Columns ``start``, ``end`` (character offsets: ``text[start:end] == sentence``) and
        ``sentence``, in text order.

    Examples
    --------
    >>> from framing.syndication import sentence_spans
    >>> sentence_spans('"It goes on." Mr Peskov met U.S. envoys at 3.5 p.m. in St. Petersburg. '
    ...                'It ended.\\nNew line')
       start  end                                           sentence
    0      0   13                                      "It goes on."
    1     14   70  Mr Peskov met U.S. envoys at 3.5 p.m. in St. P...
    2     71   80                                          It ended.
    3     81   89                                           New line
    """
    bounds = text_sentence_spans(text)
    return pd.DataFrame({"start": pd.Series([s for s, _ in bounds], dtype="int64"),
                         "end": pd.Series([e for _, e in bounds], dtype="int64"),
                         "sentence": pd.Series([text[s:e] for s, e in bounds], dtype=object)})


# ----------------------------------------------------------------------------------- quotations
def _quoted_intervals(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, disjoint ``[open, close+1)`` spans of the direct quotations in ``text``
    (:func:`framing.text.quote_spans`, nested ones merged): what voice reads as ``quoted``."""
    spans = merged(quote_spans(text))
    return (np.asarray([s for s, _ in spans], dtype=np.int64), np.asarray([e for _, e in spans], dtype=np.int64))


# ------------------------------------------------------------------------------------------ words
_TOKEN = re.compile(r"[^\W_]+(?:['’‘´\-‐‑–][^\W_]+)*")
_FOLD = str.maketrans({"’": "'", "‘": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})

# Words that are not "content": function words, and the attribution around a quotation
# ("…," Kremlin spokesman Dmitry Peskov told reporters on Friday). A pair must share
# `min_shared` distinct content words; shared narration must include content words.
_FUNCTION_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing down during each either few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves us
don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't
couldn't shouldn't it's he's she's that's there's i'm i've i'd i'll we're we've they're they've
you're you've let's
said says say saying told tells tell added adds adding asked asks stated noted wrote writes
according reporters journalists statement spokesman spokeswoman spokesperson
monday tuesday wednesday thursday friday saturday sunday
""".split())


def _norm(text: str) -> str:
    """Text as compared: one apostrophe and hyphen, Unicode-compatible (NFKC), case-folded."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_FOLD))
    return text.casefold()


@dataclass
class _Sentences:
    """The kept sentences of a corpus, in corpus and text order."""

    doc: np.ndarray  # position of the article in the corpus
    start: np.ndarray
    end: np.ndarray
    words: list  # per sentence: tuple of normalised words


def _sentences(texts: list[str], min_words: int) -> _Sentences:
    doc, starts, ends, words = [], [], [], []
    findall = _TOKEN.findall
    for d, text in enumerate(texts):
        folded = _norm(text)
        same_length = len(folded) == len(text)  # then offsets carry over (almost always)
        for s, e in text_sentence_spans(text):
            found = findall(folded, s, e) if same_length else findall(_norm(text[s:e]))
            if len(found) >= min_words:
                doc.append(d)
                starts.append(s)
                ends.append(e)
                words.append(tuple(found))
    return _Sentences(np.asarray(doc, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                      np.asarray(ends, dtype=np.int64), words)


@dataclass
class _Words:
    """The words of one sentence, as found in the article text."""

    spans: list  # (start, end) in the article text
    original: list  # as written
    norm: list  # as compared
    quoted: list  # inside a direct quotation


def _words(text: str, start: int, end: int, quoted: tuple[np.ndarray, np.ndarray] | None = None) -> _Words:
    spans = [m.span() for m in _TOKEN.finditer(text, start, end)]
    original = [text[a:b] for a, b in spans]
    inside = [False] * len(spans)
    if quoted is not None and len(quoted[0]):
        qs, qe = quoted
        pos = np.fromiter((a for a, _ in spans), dtype=np.int64, count=len(spans))
        k = np.searchsorted(qs, pos, side="right") - 1
        inside = ((k >= 0) & (pos < qe[np.maximum(k, 0)])).tolist()
    return _Words(spans, original, [_norm(w) for w in original], inside)


# ------------------------------------------------------------------------------------ MinHash LSH
_SHINGLE_SIZE = 2


def word_shingles(words: tuple[str, ...]) -> list[str]:
    """Word bigrams of the content words (function words dropped first), or of all words when
    fewer than two are content words: stock phrases ("did not respond to a request for comment")
    then weigh little, and unrelated sentences seldom share a shingle."""
    content = [w for w in words if w not in _FUNCTION_WORDS]
    seq = content if len(content) >= _SHINGLE_SIZE else list(words)
    if len(seq) <= _SHINGLE_SIZE:
        return [" ".join(seq)]
    return [" ".join(seq[i:i + _SHINGLE_SIZE]) for i in range(len(seq) - _SHINGLE_SIZE + 1)]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies to every input hash."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash_values(keys: list[tuple[str, ...]], num_perm: int, seed: int) -> tuple[np.ndarray, MinHash]:
    """The hash values of the datasketch MinHash (scheme ``affine32``) of each key's shingles.

    Row ``k`` equals ``MinHash(num_perm, seed)`` updated with the 32-bit hashes of
    ``word_shingles(keys[k])`` (``pandas.util.hash_array``, stable across runs and machines); all
    rows are computed at once with numpy. Also returns that empty MinHash.
    """
    proto = MinHash(num_perm=num_perm, seed=seed)
    a, b = proto.permutations
    shingles = [word_shingles(k) for k in keys]
    lengths = np.fromiter((len(s) for s in shingles), dtype=np.int64, count=len(shingles))
    flat = np.fromiter((x for s in shingles for x in s), dtype=object, count=int(lengths.sum()))
    hashes = _fmix32((pd.util.hash_array(flat) & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    values = np.empty((len(keys), num_perm), dtype=np.uint32)
    step = max(1, 4_000_000 // num_perm)  # shingles per block: bounded memory
    first = 0
    while first < len(keys):
        last = int(np.searchsorted(offsets, offsets[first] + step, side="right")) - 1
        last = min(max(last, first + 1), len(keys))
        lo, hi = offsets[first], offsets[last]
        block = hashes[lo:hi, None] * a[None, :] + b[None, :]  # uint32 wraps, as in datasketch
        values[first:last] = np.minimum.reduceat(block, offsets[first:last] - lo, axis=0)
        first = last
    return values, proto


def _candidates(keys, key_groups, eligible, num_perm, seed, lsh_threshold):
    """Pairs ``(u, v)`` of eligible keys that collide in a datasketch MinHash LSH index and do
    not both belong to one and the same single group; each pair once, in no particular order.

    Keys of the largest single group are queried but not inserted: every pair of different
    groups has a key outside that group, so nothing is lost and a third of the work is saved.
    """
    values, carrier = minhash_values(keys, num_perm, seed)
    single = [next(iter(g)) if len(g) == 1 else None for g in key_groups]
    counts = pd.Series([g for g, ok in zip(single, eligible, strict=True) if ok and g is not None],
                       dtype=object).value_counts(sort=False)
    largest = counts.index[int(np.argmax(counts.to_numpy()))] if len(counts) else None
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    # The index keeps only band hashes, computed at insertion: one MinHash carries every row.
    with lsh.insertion_session() as session:
        for k in range(len(keys)):
            if eligible[k] and not (largest is not None and single[k] == largest):
                carrier.hashvalues = values[k]
                session.insert(k, carrier, check_duplication=False)
    for u in range(len(keys)):
        if not eligible[u]:
            continue
        carrier.hashvalues = values[u]
        in_largest = largest is not None and single[u] == largest
        for v in lsh.query(carrier):
            if in_largest or (v > u and not (single[u] is not None and single[u] == single[v])):
                yield u, v


# ------------------------------------------------------------------------------------- comparison
def _matched(opcodes):
    """Index pairs ``(i, j)`` of the words identical in both sentences."""
    for op, i1, i2, j1, _ in opcodes:
        if op == "equal":
            yield from zip(range(i1, i2), range(j1, j1 + i2 - i1), strict=True)


def _n_content(norm_a, opcodes) -> int:
    return len({norm_a[i] for i, _ in _matched(opcodes) if norm_a[i] not in _FUNCTION_WORDS})


def _edit(words_a: list[str], words_b: list[str], opcodes) -> str:
    parts = []
    for op, i1, i2, j1, j2 in opcodes:
        if op != "equal":
            parts.append(f"{' '.join(words_a[i1:i2]) or _NOTHING} → {' '.join(words_b[j1:j2]) or _NOTHING}")
    return "; ".join(parts)


def _kind(a: _Words, b: _Words, opcodes) -> str:
    narration = quoted = 0
    for i, j in _matched(opcodes):
        if a.quoted[i] or b.quoted[j]:
            quoted += 1
        elif a.norm[i] not in _FUNCTION_WORDS:
            narration += 1
    return "quotation" if quoted and narration < max(3, quoted / 4) else "narration"


# ------------------------------------------------------------------------------------ validation
# ---------------------------------------------------------------------------------- public API
def shared_passages(
    corpus: pd.DataFrame,
    *,
    min_words: int = 8,
    threshold: float = 0.6,
    min_shared: int = 5,
    by: str = "outlet",
    num_perm: int = 128,
    seed: int = 1,
    lsh_threshold: float = 0.2,
    text_col: str = "text",
) -> pd.DataFrame:
    """Sentences shared, exactly or nearly, between articles of different outlets (wire copy).

    Every article is split into sentences (:func:`sentence_spans`). Sentences of at least
    ``min_words`` words are compared, across articles of *different* ``by`` groups only, as
    sequences of normalised words: Unicode NFKC, case-folded, typographic apostrophes and
    hyphens unified; punctuation, quotation marks and whitespace are ignored. Candidate pairs
    come from a MinHash LSH index (``datasketch``) over word bigrams of each sentence's content
    words; every candidate is verified exactly with :class:`difflib.SequenceMatcher` over the
    two word sequences.

    A pair is reported when its ``similarity`` (``2 * identical words / all words of both``,
    the matcher's ratio) is at least ``threshold`` *and* at least ``min_shared`` distinct
    content words (words other than function words and attribution such as "said", "told",
    "reporters") are identical. The second condition removes stock phrases that many outlets
    write independently ("…did not immediately respond to a request for comment").

    Parameters
    ----------
    corpus : DataFrame
        A corpus table (:func:`framing.load_corpus`): index ``doc_id``, a text column and the
        ``by`` column.
    min_words : int, default=8
        Shorter sentences are ignored.
    threshold : float, default=0.6
        Minimum similarity. A wire sentence with a few words edited stays well above it: The
        National's "…Mr Peskov said, using the Kremlin term for the invasion of Ukraine." and
        TheJournal.ie's "…Peskov said, using the Kremlin term for the assault on Ukraine." score
        0.86, although only 72% of their distinct words and 57% of their word bigrams are
        shared. On ukraine-media-2022, pairs scoring 0.5-0.6 are mostly paraphrases of one event
        or sentences that share only a name and title ("Russian Foreign Minister Sergey Lavrov
        said that …"); a wire sentence that an outlet extended to more than twice its length
        also falls below 0.6.
    min_shared : int, default=5
        Minimum number of distinct identical content words, for identical sentences too. At 4,
        stock phrases pair up ("X did not immediately respond to a request for comment" shares
        immediately, respond, request, comment); at 5 a short wire sentence may be missed (The
        National's "Moscow, he said, was certainly not ready to accept those conditions." shares
        4 with TheJournal.ie).
    by : str, default="outlet"
        The column whose values must differ between the two articles of a pair.
    num_perm : int, default=128
        MinHash permutations.
    seed : int, default=1
        MinHash seed; the result is deterministic for a given seed.
    lsh_threshold : float, default=0.2
        The Jaccard similarity of shingle sets around which the LSH index is tuned (with
        ``num_perm=128``: 28 bands of 2 rows, so a pair whose content bigrams have Jaccard 0.2 is
        a candidate with probability 0.68, one with 0.3 with probability 0.93). Keep it well
        below ``threshold``: changing one word breaks up to two bigrams. Lower finds more
        near-duplicates and costs more time.
    text_col : str, default="text"
        The column of article text.

    Returns
    -------
    DataFrame
        One row per pair of sentences, reported once with ``doc_id_a < doc_id_b``:

        - ``doc_id_a``, ``group_a``, ``start_a``, ``end_a``, ``sentence_a`` and the same for b:
          the articles, their ``by`` values, and the sentences with their character offsets
          in the article text (``corpus.loc[doc_id_a, text_col][start_a:end_a] == sentence_a``);
        - ``similarity``: as above, 1.0 for identical word sequences;
        - ``kind``: ``"quotation"`` when the pair shares a direct quotation and little else
          (identical words inside quotation marks, while the identical content words outside
          them number fewer than 3 or fewer than a quarter of the identical quoted words),
          otherwise ``"narration"`` (wire copy);
        - ``edit``: the word-level changes from a to b in the words as written,
          ``"before → after"`` joined by ``"; "``, ``"∅"`` for nothing; empty when the word
          sequences are identical.

        Rows are sorted by ``doc_id_a``, ``start_a``, ``doc_id_b``, ``start_b``.

    Raises
    ------
    CorpusError
        When the text or ``by`` column is missing, the index is not unique, or an article has
        no ``by`` value.
    ValueError
        When a parameter is out of range.

    See Also
    --------
    copied_spans : the words identical across each shared-narration pair.

    Notes
    -----
    LSH finds near-duplicates with high probability, not certainty. On ukraine-media-2022 it
    finds about 96% of the pairs (similarity at least 0.6, at least 5 shared content words)
    that a near-exhaustive comparison finds (every cross-outlet pair of sentences sharing
    enough uncommon words, aligned exactly). Identical sentences are always found. The work
    grows with the number of distinct sentences: 4,641 articles (about 100,000 distinct sentences)
    take well under a minute on one core.

    Examples
    --------
    >>> from framing import load_corpus
    >>> from framing.syndication import shared_passages
    >>> pairs = shared_passages(load_corpus("data/seed"))
    >>> pairs[["doc_id_a", "doc_id_b", "similarity", "kind"]].round(2)
                   doc_id_a              doc_id_b  similarity       kind
    0  000_cee673ca099f3711  001_3f0004297d112331        0.69  quotation
    1  000_cee673ca099f3711  002_3bcc3b5630e43c4d        0.70  narration
    2  000_cee673ca099f3711  002_3bcc3b5630e43c4d        0.86  narration
    3  000_cee673ca099f3711  002_3bcc3b5630e43c4d        0.90  quotation
    4  000_cee673ca099f3711  001_3f0004297d112331        0.91  quotation
    >>> wire = pairs.loc[2]
    >>> print(wire["sentence_a"])
    "The special military operation is continuing," Mr Peskov said, using the Kremlin term for the invasion of Ukraine.
    >>> print(wire["sentence_b"])
    “The special military operation is continuing,” Peskov said, using the Kremlin term for the assault on Ukraine.
    >>> print(wire["edit"])
    Mr → ∅; invasion of → assault on
    """
    check_corpus_table(corpus, by=by, text_col=text_col, text_option="text_col", unique_ids=True,
                       need_group=True, why=f"shared passages pair articles of different {by!r}, so every "
                                            f"article needs one", accepted="a pandas DataFrame (a corpus table)")
    check_int(min_words, "min_words", low=1)
    check_int(min_shared, "min_shared", low=0)
    check_number(threshold, "threshold", low=0, high=1, low_open=True)
    check_number(lsh_threshold, "lsh_threshold", low=0, high=1, low_open=True)
    check_int(num_perm, "num_perm", low=16)
    check_int(seed, "seed", low=0)
    threshold, min_shared = float(threshold), int(min_shared)

    texts = [t if isinstance(t, str) else "" for t in corpus[text_col].tolist()]
    group_code = pd.factorize(corpus[by])[0]
    doc_ids = corpus.index.to_numpy()
    rank = np.empty(len(doc_ids), dtype=np.int64)
    rank[np.argsort(doc_ids, kind="stable")] = np.arange(len(doc_ids))

    sent = _sentences(texts, int(min_words))
    if not sent.words:
        return _empty_pairs()
    # identical word sequences share one key, indexed once
    key_of: dict[tuple[str, ...], int] = {}
    uid = np.fromiter((key_of.setdefault(w, len(key_of)) for w in sent.words), dtype=np.int64,
                      count=len(sent.words))
    keys = list(key_of)
    order = np.argsort(uid, kind="stable")
    occurrences = np.split(order, np.flatnonzero(np.diff(uid[order])) + 1)
    sent_group = group_code[sent.doc]
    key_groups = [frozenset(sent_group[o].tolist()) for o in occurrences]
    content = [frozenset(w for w in k if w not in _FUNCTION_WORDS) for k in keys]

    # sentence pairs to report: identical sentences, then verified near-duplicates
    todo: list[tuple[int, int]] = []
    for k, occ in enumerate(occurrences):
        if len(key_groups[k]) > 1 and len(content[k]) >= min_shared:
            todo.extend((int(i), int(j)) for x, i in enumerate(occ) for j in occ[x + 1:]
                        if sent_group[i] != sent_group[j])
    matcher = SequenceMatcher(None, autojunk=False)
    eligible = [len(c) >= min_shared for c in content]
    for u, v in _candidates(keys, key_groups, eligible, int(num_perm), int(seed), float(lsh_threshold)):
        wu, wv = keys[u], keys[v]
        if 2 * min(len(wu), len(wv)) < threshold * (len(wu) + len(wv)):
            continue
        if len(content[u] & content[v]) < min_shared:
            continue
        first, second = (wu, wv) if wu <= wv else (wv, wu)  # one orientation whatever the row order
        matcher.set_seqs(first, second)
        if matcher.quick_ratio() < threshold or matcher.ratio() < threshold:
            continue
        if _n_content(first, matcher.get_opcodes()) < min_shared:
            continue
        todo.extend((int(i), int(j)) for i in occurrences[u] for j in occurrences[v]
                    if sent_group[i] != sent_group[j])

    # each pair again from the text as written: offsets, quotation marks, edit
    quotes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    words: dict[int, _Words] = {}

    def words_of(i: int) -> _Words:
        if i not in words:
            d = int(sent.doc[i])
            if d not in quotes:
                quotes[d] = _quoted_intervals(texts[d])
            words[i] = _words(texts[d], int(sent.start[i]), int(sent.end[i]), quotes[d])
        return words[i]

    rows = []
    for i, j in todo:
        if rank[sent.doc[i]] > rank[sent.doc[j]]:
            i, j = j, i
        a, b = words_of(i), words_of(j)
        matcher.set_seqs(a.norm, b.norm)
        ratio = matcher.ratio()
        opcodes = matcher.get_opcodes()
        if ratio < threshold or _n_content(a.norm, opcodes) < min_shared:
            continue  # rare: word-by-word normalisation or the orientation changed the score
        rows.append((i, j, ratio, _kind(a, b, opcodes), _edit(a.original, b.original, opcodes)))
    if not rows:
        return _empty_pairs()

    ia = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    ib = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    da, db = sent.doc[ia], sent.doc[ib]
    sa, ea, sb, eb = sent.start[ia], sent.end[ia], sent.start[ib], sent.end[ib]
    groups = corpus[by].to_numpy()
    out = pd.DataFrame({
        "doc_id_a": doc_ids[da],
        "group_a": groups[da],
        "start_a": sa,
        "end_a": ea,
        "sentence_a": [texts[d][s:e] for d, s, e in zip(da, sa, ea, strict=True)],
        "doc_id_b": doc_ids[db],
        "group_b": groups[db],
        "start_b": sb,
        "end_b": eb,
        "sentence_b": [texts[d][s:e] for d, s, e in zip(db, sb, eb, strict=True)],
        "similarity": np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows)),
        "kind": [r[3] for r in rows],
        "edit": [r[4] for r in rows],
    })
    return out.iloc[np.lexsort((sb, rank[db], sa, rank[da]))].reset_index(drop=True)


def _empty_pairs() -> pd.DataFrame:
    dtypes = {"start_a": "int64", "end_a": "int64", "start_b": "int64", "end_b": "int64",
              "similarity": "float64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in PAIR_COLUMNS})


def copied_spans(pairs: pd.DataFrame, corpus: pd.DataFrame | None = None, *,
                 text_col: str = "text") -> pd.DataFrame:
    """The copied wording of shared narration: spans of words identical across each pair.

    For every ``"narration"`` pair of :func:`shared_passages`, the two sentences are aligned
    word by word (as there) and every run of identical words becomes one span in each article.
    Words an outlet changed, added or dropped are not in any span: in The National's "…for the
    invasion of Ukraine" against TheJournal.ie's "…for the assault on Ukraine", "invasion" and
    "assault" are each outlet's own choice, while "special military operation", identical in
    both, is copied. ``"quotation"`` pairs give no spans (quoted words are the speaker's, not
    the outlet's, whoever carried them first).

    Parameters
    ----------
    pairs : DataFrame
        The result of :func:`shared_passages` (or rows of it).
    corpus : DataFrame, optional
        The corpus the pairs came from. When given, every sentence is checked against the
        article text at its offsets, and a mismatch (pairs from another corpus or another
        version of it) raises ``ValueError``.
    text_col : str, default="text"
        The text column of ``corpus``.

    Returns
    -------
    DataFrame
        One row per span and pair: ``doc_id``, ``start``, ``end`` (character offsets into the
        article text), ``pair_id`` (the row label of the pair in ``pairs``) and ``text`` (the
        copied words as written in that article). Sorted by ``doc_id``, ``start``, ``end``,
        ``pair_id``. Spans of different pairs may overlap; :func:`in_spans` merges them.

    Examples
    --------
    >>> from framing import load_corpus
    >>> from framing.syndication import copied_spans, shared_passages
    >>> corpus = load_corpus("data/seed")
    >>> pairs = shared_passages(corpus)
    >>> spans = copied_spans(pairs, corpus)
    >>> national = spans[(spans["pair_id"] == 2) & (spans["doc_id"] == "000_cee673ca099f3711")]
    >>> national[["start", "end", "text"]]
       start  end                                          text
    1    711  755  The special military operation is continuing
    2    761  804   Peskov said, using the Kremlin term for the
    3    817  824                                       Ukraine
    """
    needed = ["doc_id_a", "start_a", "sentence_a", "doc_id_b", "start_b", "sentence_b", "kind"]
    if not isinstance(pairs, pd.DataFrame) or any(c not in pairs.columns for c in needed):
        have = list(pairs.columns) if isinstance(pairs, pd.DataFrame) else type(pairs).__name__
        raise ArgumentError(f"pairs must be the table returned by shared_passages, with columns "
                         f"{needed}; got {have}")
    if corpus is not None:
        check_column(corpus.columns, text_col, purpose="", option="text_col")
    rows = []
    matcher = SequenceMatcher(None, autojunk=False)
    narration = pairs[pairs["kind"] == "narration"]
    for pair_id, da, sa, ta, db, sb, tb in zip(
            narration.index, narration["doc_id_a"], narration["start_a"], narration["sentence_a"],
            narration["doc_id_b"], narration["start_b"], narration["sentence_b"], strict=True):
        if corpus is not None:
            for doc, start, sentence in ((da, sa, ta), (db, sb, tb)):
                text = corpus[text_col].get(doc)
                if not isinstance(text, str) or text[int(start):int(start) + len(sentence)] != sentence:
                    raise ArgumentError(f"pair {pair_id!r}: the sentence is not at offset {start} of "
                                     f"article {doc!r} in this corpus; were the pairs computed on "
                                     f"another corpus?")
        a, b = _words(ta, 0, len(ta)), _words(tb, 0, len(tb))
        matcher.set_seqs(a.norm, b.norm)
        for i, j, n in matcher.get_matching_blocks():
            if n == 0:
                continue
            for doc, start, sentence, words, k in ((da, sa, ta, a, i), (db, sb, tb, b, j)):
                lo, hi = words.spans[k][0], words.spans[k + n - 1][1]
                rows.append((doc, int(start) + lo, int(start) + hi, pair_id, sentence[lo:hi]))
    out = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    out = out.astype({"doc_id": object, "start": "int64", "end": "int64", "text": object})
    if len(out):
        doc_rank = pd.Index(sorted(set(out["doc_id"]))).get_indexer(out["doc_id"])
        pair_rank = pd.Index(pairs.index).get_indexer(out["pair_id"])
        out = out.iloc[np.lexsort((pair_rank, out["end"], out["start"], doc_rank))]
    return out.reset_index(drop=True)


_SHIFT = np.int64(1 << 36)  # keys doc * 2**36 + offset: articles up to 68 G characters


def in_spans(doc_ids, starts, ends, spans: pd.DataFrame) -> np.ndarray:
    """Whether each ``[start, end)`` lies entirely inside the copied wording of its article.

    The copied wording of an article is the union of its spans in ``spans`` (overlapping or
    touching spans are merged first), so a hit counts as copied when every character of it
    was copied, whichever pairs it was copied through. Vectorised: one sort of the spans and one
    ``searchsorted`` for all hits.

    Parameters
    ----------
    doc_ids : array-like
        The article of each hit.
    starts, ends : array-like of int
        Character offsets of each hit in its article's text.
    spans : DataFrame
        Columns ``doc_id``, ``start``, ``end``, as returned by :func:`copied_spans`.

    Returns
    -------
    numpy.ndarray of bool
        One value per hit; ``False`` for articles without spans.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.syndication import in_spans
    >>> spans = pd.DataFrame({"doc_id": ["a", "a", "b"], "start": [0, 8, 5], "end": [10, 20, 9]})
    >>> in_spans(["a", "a", "a", "b", "c"], [2, 9, 18, 5, 0], [6, 15, 22, 9, 3], spans)
    array([ True,  True, False,  True, False])
    """
    doc_ids = np.asarray(doc_ids, dtype=object).ravel()
    starts = np.asarray(starts).ravel()
    ends = np.asarray(ends).ravel()
    if not len(doc_ids) == len(starts) == len(ends):
        raise ArgumentError(f"doc_ids, starts and ends must have the same length, got "
                         f"{len(doc_ids)}, {len(starts)}, {len(ends)}")
    missing = [c for c in ("doc_id", "start", "end") if c not in getattr(spans, "columns", [])]
    if missing:
        raise ArgumentError(f"spans must be a DataFrame with columns doc_id, start, end (as returned "
                         f"by copied_spans); missing {missing}")
    inside = np.zeros(len(doc_ids), dtype=bool)
    if not len(spans) or not len(doc_ids):
        return inside
    starts, ends = starts.astype(np.int64), ends.astype(np.int64)
    docs = pd.Index(pd.unique(spans["doc_id"].to_numpy(dtype=object)))
    code = docs.get_indexer(spans["doc_id"].to_numpy(dtype=object)).astype(np.int64)
    s = code * _SHIFT + spans["start"].to_numpy(dtype=np.int64)
    e = code * _SHIFT + spans["end"].to_numpy(dtype=np.int64)
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    first = np.ones(len(s), dtype=bool)
    first[1:] = s[1:] > reach[:-1]  # a new merged span starts where no earlier span reaches
    heads = np.flatnonzero(first)
    merged_start, merged_end = s[heads], np.maximum.reduceat(e, heads)
    hit = docs.get_indexer(doc_ids).astype(np.int64)
    known = hit >= 0
    k_start = hit * _SHIFT + starts
    k_end = hit * _SHIFT + ends
    idx = np.searchsorted(merged_start, k_start, side="right") - 1
    ok = known & (idx >= 0)
    inside[ok] = k_end[ok] <= merged_end[idx[ok]]
    return inside
