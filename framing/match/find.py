"""The entry points that list hits: :func:`find_hits` and :func:`kwic`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framing._checks import check_corpus_table, check_int, check_voices
from framing._docstrings import share_docs
from framing._errors import FramingError, LexiconError
from framing.lexicon import Contrast, Lexicon, Variant, load_lexicon
from framing.match.compiled import compile_lexicon
from framing.match.scan import scan
from framing.match.table import EXCLUDED_COLUMNS, explain_voices, hits_frame

FIELDS = ("title", "text")


def check_corpus(corpus) -> None:
    """A corpus table: a DataFrame with a ``text`` column (:func:`framing._checks.check_corpus_table`)."""
    check_corpus_table(corpus, text_option="")


@share_docs
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
    {lexicon}
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
    check_corpus(corpus)
    check_int(context, "context", low=0)
    lex = load_lexicon(lexicon)
    matcher = compile_lexicon(lex, engine)
    fields = tuple(fields)
    raw, texts, rows, flds = scan(corpus, matcher, fields, language or lex.language, context=context)

    doc_ids = corpus.index.to_numpy()
    extra = None
    if explain:  # the context rules each hit passed, and the word that satisfied a `near` rule
        checked = np.array(["; ".join(matcher.rules[r].describe() for r in np.flatnonzero(matcher._rule_applies[:, e]))
                            for e in range(len(matcher.entries))] if matcher.rules else [""] * len(matcher.entries),
                           dtype=object)
        extra = {"context_rule": checked[raw.entry], "context_word_start": raw.near_start,
                 "context_word_end": raw.near_end}
    hits = hits_frame(corpus, matcher, fields, raw, rows, flds, extra)
    if explain:
        hits = explain_voices(hits, corpus, lex, language or lex.language)

    if exclude_shared is not False:
        hits = drop_shared(hits, corpus, exclude_shared)
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


def drop_shared(hits: pd.DataFrame, corpus: pd.DataFrame, shared) -> pd.DataFrame:
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
