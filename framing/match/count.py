"""The entry points that count hits: :func:`count_hits` and :func:`write_hits` (in memory or streaming)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framing._atomic import atomic_file, check_file_target
from framing._checks import check_int, check_voices
from framing._docstrings import share_docs
from framing._errors import FramingError
from framing._groups import group_labels
from framing.lexicon import Lexicon, load_lexicon
from framing.match.compiled import CompiledLexicon, compile_lexicon
from framing.match.find import FIELDS, check_corpus, find_hits
from framing.match.partial import COUNT_COLUMNS, PartialCounts
from framing.match.scan import scan
from framing.match.table import HITS_SCHEMA, hits_arrow
from framing.voice import VOICES

__all__ = ["count_hits", "write_hits", "count_chunk", "hits_counts", "voice_codes", "COUNT_COLUMNS"]


def voice_codes(voice: str | Iterable[str] | None) -> list[int] | None:
    """The VOICES indices of ``voice`` (None: every voice); an unknown voice is an error, before any work."""
    if voice is None:
        return None
    return [VOICES.index(v) for v in check_voices(voice)]


def _check_by(chunk: pd.DataFrame, by: str) -> None:
    """An error naming the columns if ``by`` is not one."""
    if by not in chunk.columns:
        from framing._errors import CorpusError

        raise CorpusError(f"no column '{by}' to group by; the columns are {list(chunk.columns)}")


def count_chunk(chunk: pd.DataFrame, matcher: CompiledLexicon, by: str, fields: tuple[str, ...], language: str,
                voices: list[int] | None = None) -> PartialCounts:
    """:class:`~framing.match.partial.PartialCounts` of one chunk of a corpus (in memory, streamed, or a Dask task)."""
    check_corpus(chunk)
    _check_by(chunk, by)
    raw, _texts, rows, _flds = scan(chunk, matcher, fields, language)
    labels = group_labels(chunk[by].to_numpy())
    docs, _ = pd.factorize(chunk.index.to_numpy(), sort=False, use_na_sentinel=False)
    article = rows[raw.seg]
    return PartialCounts.from_codes(labels[article], raw.variant, raw.voice, docs[article], articles=labels,
                                    voices=voices)


def hits_counts(hits: pd.DataFrame, chunk: pd.DataFrame, by: str, matcher: CompiledLexicon,
                 voices: list[int] | None) -> PartialCounts:
    """:class:`~framing.match.partial.PartialCounts` of a chunk from its hits table (``find_hits``)."""
    _check_by(chunk, by)
    labels = group_labels(chunk[by].to_numpy())
    if hits.empty:
        return PartialCounts.from_codes(labels[:0], [], [], [], articles=labels, voices=voices)
    v_index = {(c.id, v.id): i for i, (c, v) in enumerate(matcher.variants)}
    docs, _ = pd.factorize(hits["doc_id"].to_numpy(), sort=False, use_na_sentinel=False)
    return PartialCounts.from_codes(
        group_labels(chunk[by].reindex(hits["doc_id"]).to_numpy()),
        np.array([v_index[(c, v)] for c, v in zip(hits["contrast"], hits["variant"], strict=True)], dtype=np.int64),
        hits["voice"].map({v: i for i, v in enumerate(VOICES)}).to_numpy().astype(np.int64), docs,
        articles=labels, voices=voices)


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


@share_docs
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

    In this process, in memory or streaming; ``framing.count_hits`` (:mod:`framing.scale`) is this
    function with a ``scheduler`` parameter that runs the same count on a Dask cluster.

    Parameters
    ----------
    corpus : DataFrame, or str or Path
        A corpus table, or a source that :func:`framing.iter_corpus` streams in chunks (the whole
        corpus is then never held in memory: each chunk is reduced to counts before the next is read).
    {lexicon}
    by : str, default="outlet"
        Any corpus column.
    {voice_counts}
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
        {counts_table}
        When streaming, ``attrs`` also holds ``n_articles``, ``n_skipped`` and ``skipped`` (the
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
    wanted = voice_codes(voice)
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
    for chunk in chunks:
        if exclude_shared is not False:
            check_corpus(chunk)
            _check_by(chunk, by)
            hits = find_hits(chunk, lex, fields=fields, engine=engine, context=0, exclude_shared=exclude_shared)
            partials.append(hits_counts(hits, chunk, by, matcher, wanted))
        else:
            partials.append(count_chunk(chunk, matcher, by, fields, lex.language, wanted))
    out = PartialCounts.total(partials).finish(matcher.variants)
    out.attrs.update(summary)
    return out


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
    to the file as a row group (:data:`framing.match.table.HITS_SCHEMA`), so memory stays bounded
    whatever the size of the input. ``framing.write_hits`` (:mod:`framing.scale`) is this function
    with a ``scheduler`` parameter that writes the same hits as a dataset on a Dask cluster.

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
    import pyarrow.parquet as pq

    wanted = voice_codes(voice)
    check_int(context, "context", low=0)
    check_int(chunksize, "chunksize", low=1)
    lex = load_lexicon(lexicon)
    matcher = compile_lexicon(lex, engine)
    path = check_file_target(path, option="path", inputs=[source, load_kwargs.get("metadata")], hint=".parquet")
    summary: dict = {}
    partials = []
    n_hits = 0
    with atomic_file(path) as tmp:  # a unique temporary beside `path`, moved onto it at the end
        with pq.ParquetWriter(tmp, HITS_SCHEMA) as writer:  # one schema, whatever the chunks hold
            for chunk in _stream(source, chunksize, progress, summary, load_kwargs):
                hits = find_hits(chunk, lex, fields=fields, context=context, engine=engine)
                if by is not None:
                    partials.append(hits_counts(hits, chunk, by, matcher, wanted))
                if len(hits):
                    writer.write_table(hits_arrow(hits))
                    n_hits += len(hits)
    counts = None
    if by is not None:
        counts = PartialCounts.total(partials).finish(matcher.variants)
        counts.attrs.update(summary)
    return {"path": str(path), "n_hits": n_hits, **summary, "counts": counts}
