"""The entry points that count hits: :func:`count_hits` and :func:`write_hits` (in memory or streaming)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framing._atomic import atomic_file, check_file_target
from framing._checks import check_int, check_voices
from framing._errors import FramingError
from framing._groups import group_labels
from framing.lexicon import Lexicon, load_lexicon
from framing.match.compiled import CompiledLexicon, compile_lexicon
from framing.match.find import FIELDS, check_corpus, find_hits
from framing.match.raw import Raw
from framing.match.scan import scan
from framing.match.table import HIT_COLUMNS
from framing.voice import VOICES

COUNT_COLUMNS = ["group", "contrast", "variant", "side", "voice", "n_hits", "n_docs"]


def _counts_from_raw(raw: Raw, group_of_seg: np.ndarray, doc_of_seg: np.ndarray,
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
        check_corpus(chunk)
        _add_group_sizes(chunk, by, docs_per_group)
        if exclude_shared is not False:
            hits = find_hits(chunk, lex, fields=fields, engine=engine, context=0, exclude_shared=exclude_shared)
            per_doc = _per_doc_from_hits(hits, chunk, by, matcher)
        else:
            raw, texts, rows, flds = scan(chunk, matcher, fields, lex.language)
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
