"""The one scale entry point: :func:`count_hits` and :func:`write_hits` in memory, streaming or on Dask.

Without ``scheduler`` they are :func:`framing.match.count_hits` and :func:`framing.match.write_hits`
(in memory or streaming, one process). With ``scheduler`` (a ``distributed.Client``, an address
``"tcp://host:8786"`` or ``"auto"`` for a LocalCluster) they hand the same arguments to
:mod:`framing.distributed`, which only schedules: every chunk is counted and written by the same
:mod:`framing.match` code on the workers, so the results are the same. This module sits above both
(``framing.match`` cannot import ``framing.distributed``, which imports it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from framing._docstrings import share_docs
from framing._errors import ArgumentError
from framing.lexicon import Lexicon
from framing.match import FIELDS
from framing.match import count_hits as _count_in_process
from framing.match import write_hits as _write_in_process

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["count_hits", "write_hits"]


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
    scheduler: str | Client | None = None,
    **load_kwargs,
) -> pd.DataFrame:
    """Tidy counts of hits per group, contrast, variant, side and voice: in memory, streaming or on Dask.

    Parameters
    ----------
    corpus : DataFrame, or str or Path
        A corpus table, or a source that :func:`framing.iter_corpus` streams in chunks (the whole
        corpus is then never held in memory: each chunk is reduced to counts before the next is read).
        With ``scheduler``, a source only (a path every worker sees, or an fsspec URL).
    {lexicon}
    by : str, default="outlet"
        Any corpus column.
    {voice_counts}
    fields : iterable of str, default=("title", "text")
    engine : {"auto", "hyperscan", "python"}
    chunksize : int, default=10_000
        Articles per chunk when streaming from a path (on a worker, with ``scheduler``).
    progress : bool, optional
        Show a progress bar when streaming (``None``: only on a terminal); files done on Dask.
    exclude_shared : bool or DataFrame, default=False
        As for :func:`find_hits` (in-memory corpora only: shared passages are found across outlets,
        which needs the whole corpus; not with ``scheduler``).
    scheduler : str, Client or None, default=None
        ``None``: count in this process (in memory or streaming). A ``distributed.Client``, a
        scheduler address such as ``"tcp://host:8786"``, or ``"auto"`` (a LocalCluster of one
        single-threaded worker process per core, closed afterwards): count on that Dask cluster,
        one task per input file (:func:`framing.distributed.count_hits`); the table is identical.
    **load_kwargs
        Passed to :func:`framing.iter_corpus` when streaming (``skip_bad=True`` skips malformed
        records, ``drop_empty=True`` empty articles; both are listed in ``attrs["skipped"]``).
        With ``scheduler``, also ``n_workers`` and ``retries`` of :func:`framing.distributed.count_hits`.

    Returns
    -------
    DataFrame
        {counts_table}
        When streaming or on Dask, ``attrs`` also holds ``n_articles``, ``n_skipped`` and ``skipped``
        (the records and articles loading dropped: ``doc_id, source_file, line, reason``),
        ``n_skipped_files`` and ``skipped_files``; on Dask also ``n_files`` and ``files``.

    Raises
    ------
    ArgumentError
        ``scheduler`` with a DataFrame or with ``exclude_shared``.

    Examples
    --------
    >>> from framing import load_corpus, count_hits
    >>> counts = count_hits(load_corpus("data/seed"), "russia-ukraine")
    >>> streamed = count_hits("data/seed", "russia-ukraine", chunksize=2)
    >>> streamed.equals(counts), streamed.attrs["n_articles"]
    (True, 5)

    The same count on a local Dask cluster (in a script, under ``if __name__ == "__main__":``):

    >>> on_dask = count_hits("data/seed", "russia-ukraine", scheduler="auto")  # doctest: +SKIP
    >>> on_dask.equals(counts)  # doctest: +SKIP
    True
    """
    if scheduler is None:
        return _count_in_process(corpus, lexicon, by=by, voice=voice, fields=fields, engine=engine,
                                 chunksize=chunksize, progress=progress, exclude_shared=exclude_shared,
                                 **load_kwargs)
    _check_dask(corpus, exclude_shared)
    from framing import distributed

    return distributed.count_hits(corpus, lexicon, by=by, voice=voice, scheduler=scheduler, chunksize=chunksize,
                                  fields=fields, engine=engine, progress=progress, **load_kwargs)


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
    scheduler: str | Client | None = None,
    **load_kwargs,
) -> dict:
    """Stream a corpus through :func:`find_hits` and write every hit to Parquet: one file, or a dataset on Dask.

    The corpus is read in chunks (:func:`framing.iter_corpus`) and each chunk's hits are appended
    to the file as a row group, so memory stays bounded whatever the size of the input. With
    ``scheduler``, each chunk's hits are written by a Dask worker to a part file of the dataset
    folder ``path`` (:func:`framing.distributed.find_hits`); ``pd.read_parquet(path)`` gives the
    same rows in the same order, with the same schema (:data:`framing.match.table.HITS_SCHEMA`).

    Parameters
    ----------
    source : str or Path
        A file or folder :func:`framing.iter_corpus` reads (with ``scheduler``: a path every worker
        sees, or an fsspec URL).
    lexicon : str, Path or Lexicon
    path : str or Path
        The Parquet file to write (replaced if it exists; written to a temporary name first). With
        ``scheduler``, the dataset folder (created if absent; its ``part-*.parquet`` files replaced).
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
    scheduler : str, Client or None, default=None
        ``None``: write in this process. A ``distributed.Client``, an address ``"tcp://host:8786"``
        or ``"auto"``: write the dataset on that Dask cluster (as for :func:`count_hits`).
    **load_kwargs
        Passed to :func:`framing.iter_corpus`; with ``scheduler``, also ``n_workers`` and
        ``retries`` of :func:`framing.distributed.find_hits`.

    Returns
    -------
    dict
        ``path``, ``n_hits``, ``n_articles``, ``n_skipped`` and ``skipped`` (records and articles
        loading dropped: ``doc_id, source_file, line, reason``), ``n_skipped_files``,
        ``skipped_files`` and ``counts`` (None without ``by``). With ``scheduler`` also the run
        summary of :func:`framing.distributed.find_hits` (``n_files``, ``files``) and ``parts``
        (its table of part files).

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> from framing import write_hits
    >>> out = os.path.join(tempfile.mkdtemp(), "hits.parquet")
    >>> summary = write_hits("data/seed", "russia-ukraine", out)
    >>> len(pd.read_parquet(out)) == summary["n_hits"]
    True

    On a Dask cluster, the same hits as a dataset folder:

    >>> folder = os.path.join(tempfile.mkdtemp(), "hits")
    >>> on_dask = write_hits("data/seed", "russia-ukraine", folder, scheduler="auto")  # doctest: +SKIP
    >>> pd.read_parquet(folder).equals(pd.read_parquet(out))  # doctest: +SKIP
    True
    """
    if scheduler is None:
        return _write_in_process(source, lexicon, path, fields=fields, context=context, engine=engine,
                                 chunksize=chunksize, progress=progress, by=by, voice=voice, **load_kwargs)
    _check_dask(source, False)
    from framing import distributed

    parts = distributed.find_hits(source, lexicon, path, scheduler=scheduler, chunksize=chunksize, fields=fields,
                                  context=context, engine=engine, overwrite=True, progress=progress, by=by,
                                  voice=voice, **load_kwargs)
    summary = dict(parts.attrs)
    parts.attrs.clear()
    return {"path": summary.pop("path"), "n_hits": summary.pop("n_hits"), **summary, "parts": parts}


def _check_dask(source, exclude_shared) -> None:
    """A source (not a table) and no exclude_shared: what a Dask run can take."""
    if isinstance(source, pd.DataFrame):
        raise ArgumentError("scheduler: a Dask run reads the corpus on its workers; pass a path or URL (a file or "
                            "folder every worker sees), not a DataFrame, or leave scheduler=None")
    if exclude_shared is not False:
        raise ArgumentError("exclude_shared needs the whole corpus in memory, not a Dask cluster: leave "
                            "scheduler=None and pass framing.load_corpus(...)'s table")
