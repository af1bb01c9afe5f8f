"""Stage 4 at scale, match on Dask: the same counts and hits as ``framing.match``, computed on a cluster.

One task per input file (shard); each task streams its file in chunks through
:func:`framing.iter_corpus` and the in-memory matcher (:func:`framing.count_hits`,
:func:`framing.find_hits`) on the worker, so the client never reads the data. The lexicon is a
task of its own (its value in the task, not scattered data), so the scheduler can compute it again
when every worker holding it died, and the file tasks rerun on the workers that come back;
:func:`framing.match.compile_lexicon` caches the compiled matcher per lexicon content
(``Lexicon.sha256``), so each worker compiles it once. A run whose workers are all gone and do not
come back within :data:`WORKER_WAIT` seconds ends with one line saying what to do. Each chunk becomes
a :class:`framing.match.partial.PartialCounts` (the one counting path of the in-memory and streaming
counts too); the client adds them and finishes them into the tidy table, so the result is identical
to ``framing.count_hits(framing.load_corpus(source), ...)`` by construction.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from distributed import Client, LocalCluster

from framing._checks import check_int, check_voices
from framing._docstrings import share_docs
from framing._errors import CorpusError, FramingError
from framing.corpus import (
    DROPPED_COLUMNS,
    SKIPPED_FILE,
    dropped_documents,
    input_files,
    iter_corpus,
)
from framing.lexicon import Lexicon, load_lexicon
from framing.match import FIELDS, compile_lexicon
from framing.match import find_hits as _find_hits_in_memory
from framing.match.count import count_chunk, hits_counts, voice_codes
from framing.match.partial import PartialCounts
from framing.match.table import hits_arrow

__all__ = ["connect", "count_hits", "find_hits"]

_PART = "part-{file:05d}-{chunk:05d}.parquet"

#: Seconds a run waits for workers when the cluster has none left (all died, were stopped or
#: scaled away) before it ends with a one-line error; a LocalCluster's nanny restarts killed
#: workers within seconds, and their tasks rerun.
WORKER_WAIT = 120
_POLL = 1.0  # seconds between looks at the cluster while waiting for a result
_RESUBMITS = 2  # times a small step (listing files, ...) is submitted again when the scheduler cancelled it


# ------------------------------------------------------------------------------ cluster
@contextmanager
def connect(scheduler: str | Client | None = None, *, n_workers: int | None = None) -> Iterator[Client]:
    """A Dask client for a run: a fresh LocalCluster, a scheduler address, or a client as is.

    Parameters
    ----------
    scheduler : str, Client or None, default=None
        ``None`` or ``"auto"``: start a ``LocalCluster`` of worker processes with one thread
        each (``n_workers`` of them, default one per CPU core) and close it on exit; its workers
        do not get Dask's ``MALLOC_TRIM_THRESHOLD_=65536`` (it makes framing ~25% slower; for a
        cluster you start yourself, set ``distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_``
        to null in the Dask config). An address
        such as ``"tcp://host:8786"``: connect to that scheduler (the cluster stays up). A
        ``distributed.Client``: use it as is (it is not closed).
    n_workers : int, optional
        Worker processes of a LocalCluster; ignored otherwise.

    Yields
    ------
    Client

    Raises
    ------
    FramingError
        When the scheduler cannot be reached or has no workers.

    Examples
    --------
    Count and write hits on one local cluster:

    >>> from framing.distributed import connect, count_hits, find_hits
    >>> with connect(n_workers=2) as client:  # doctest: +SKIP
    ...     counts = count_hits("data/seed", "russia-ukraine", scheduler=client)
    ...     parts = find_hits("data/seed", "russia-ukraine", "hits.parquet", scheduler=client)
    """
    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is None or scheduler == "auto":
        n = n_workers or _n_cores()
        with _trimming_of_your_own():
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        with cluster, Client(cluster) as client:
            yield client
        return
    if not isinstance(scheduler, str):
        raise FramingError(f"scheduler must be None, 'auto', an address such as 'tcp://host:8786' or a "
                           f"distributed.Client; got {type(scheduler).__name__}")
    try:
        client = Client(scheduler)
    except (OSError, TimeoutError, ValueError) as exc:
        raise FramingError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                           f"`dask scheduler` and workers with `dask worker {scheduler}`") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise FramingError(f"the Dask scheduler at {scheduler} has no workers after 60 s; start some "
                               f"with `dask worker {scheduler}`") from None
        yield client


_TRIM = "MALLOC_TRIM_THRESHOLD_"
_OWN_TRIM = os.environ.get(_TRIM)  # yours, read before any Dask nanny of this process wrote Dask's value in


@contextmanager
def _trimming_of_your_own():
    """While a LocalCluster spawns its workers: they get your ``MALLOC_TRIM_THRESHOLD_`` (none: glibc's
    default), not Dask's 65536.

    Dask's nanny sets 65536, which turns off glibc's adaptive thresholds: every large array is then
    mapped and zeroed afresh, and a worker counted ~25% slower (1 GB bench: 38 s of CPU against 31 s
    streaming). A nanny also writes the value into this process' environment, where the next cluster's
    workers would inherit it: the environment is set back to yours for the spawn, and restored after.
    """
    import dask

    before = os.environ.get(_TRIM)
    _set_env(_TRIM, _OWN_TRIM)
    try:
        with dask.config.set({f"distributed.nanny.pre-spawn-environ.{_TRIM}": _OWN_TRIM}):
            yield
    finally:
        _set_env(_TRIM, before)


def _set_env(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


def _n_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


# ------------------------------------------------------------------------------ files (on a worker)
def _is_url(source) -> bool:
    return isinstance(source, str) and "://" in source


PAGE_BATCH = 64  # web pages per task: extraction is the slow part, so pages are spread over workers


def _list_files(source: str, skip_bad: bool = False) -> tuple[list[tuple[str, int, object]], list[tuple[str, str]]]:
    """The inputs of ``source`` in the order :func:`framing.load_corpus` reads them, with sizes, and the
    files and folders that cannot be read (listed with skip_bad; the plan raises without it).

    Each input is ``(name, size, unit)``: the unit is the planned input of :mod:`framing.corpus`, or for
    a URL ``(kind, id prefix)`` (the file is copied to the worker first).
    """
    from framing.corpus import plan_inputs as _plan
    from framing.readers import kind_of, strip_suffixes

    if _is_url(source):
        import fsspec

        fs, root = fsspec.core.url_to_fs(source)
        if fs.isfile(root):
            paths = [root]
            base = root.rsplit("/", 1)[0]
        elif fs.isdir(root):
            paths = sorted(p for p in fs.find(root) if kind_of(p.rsplit("/", 1)[-1]) in ("table", "page", "archive",
                                                                                           "export"))
            base = root.rstrip("/")
            if not paths:
                raise CorpusError(f"{source}: no tables, web pages, web archives or exports under this address")
        else:
            raise CorpusError(f"{source}: no such file or folder on {type(fs).__name__}")
        rel = [p[len(base):].lstrip("/") for p in paths]
        bases = [strip_suffixes(r) for r in rel]
        out = []
        for p, r, b in zip(paths, rel, bases, strict=True):
            kind = kind_of(p.rsplit("/", 1)[-1])
            out.append((fs.unstrip_protocol(p), int(fs.size(p) or 0), (kind, r if bases.count(b) > 1 else b)))
        return out, []
    path = Path(source)
    if not path.exists():
        raise CorpusError(f"{source}: no such file or folder on the Dask worker (working directory "
                          f"{Path.cwd()}); give a path on storage every worker sees")
    plan = _plan(path, skip_bad=skip_bad, page_batch=PAGE_BATCH)
    out = []
    for unit in plan.units:
        name = str(unit.path)
        if unit.kind == "pages":
            name = f"{unit.path} ({unit.members[0].name} ... {len(unit.members)} pages)"
        out.append((name, unit.size(), unit))
    return out, list(plan.skipped)


def _unit_for(local: str, spec):
    """The planned input for a task: as planned, or for a URL's local copy, built from (kind, prefix)."""
    from framing.corpus import InputUnit as _Unit

    if isinstance(spec, _Unit):
        return spec
    kind, prefix = spec
    path = Path(local)
    if kind == "page":
        return _Unit("pages", path.parent, members=[path], ids=[prefix])
    return _Unit(kind, path, prefix)


@contextmanager
def _local_copy(path: str) -> Iterator[str]:
    """``path`` itself, or for a URL (``s3://``, ``gs://``, ``file://``...) a temporary local copy."""
    if not _is_url(path):
        yield path
        return
    import fsspec

    with tempfile.TemporaryDirectory(prefix="framing-") as tmp:
        local = Path(tmp) / path.rstrip("/").rsplit("/", 1)[-1]  # same name: same doc ids
        with fsspec.open(path, "rb") as src, open(local, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        yield str(local)


# ------------------------------------------------------------------------------ tasks (on a worker)
@dataclass
class _FileResult:
    """What one task returns to the client: small (partial counts, summary), never the data."""

    index: int
    path: str
    n_articles: int = 0
    n_docs: dict = field(default_factory=dict)
    dropped: list = field(default_factory=list)  # rows of DROPPED_COLUMNS
    sources: list = field(default_factory=list)  # rows of (file, sha256, encoding, role)
    counts: PartialCounts | None = None
    parts: list = field(default_factory=list)  # find_hits: (part file, chunk, n_articles, n_hits)
    error: Exception | None = None
    shard_error: bool = False  # raised while reading the file (skippable), not while matching
    ids: list = field(default_factory=list)  # doc ids read, with their file and source_row: the client
    id_files: list = field(default_factory=list)  # checks ids across files (duplicates are errors)
    id_rows: list = field(default_factory=list)


def _count_chunk(chunk: pd.DataFrame, lexicon: Lexicon, by: str, voice, fields, engine) -> PartialCounts:
    """The counts of one chunk (a module global, so that tests can wrap it on workers)."""
    return count_chunk(chunk, compile_lexicon(lexicon, engine), by, tuple(fields), lexicon.language,
                       voice_codes(voice))


def _chunks(path: str, local: str, result: _FileResult, chunksize: int, skip_bad: bool,
            load_kwargs: dict, spec=None, exclude: dict | None = None) -> Iterator[pd.DataFrame]:
    """Chunks of one input, recording articles, ids and dropped records; a read error ends the input.

    ``exclude``: doc id -> where its first copy is, for ids first read from an earlier input
    (skip_bad): left out and listed, as the in-memory loader does.
    """
    from framing.corpus import read_input as _read_input

    if spec is None:
        chunks = iter_corpus(local, chunksize=chunksize, skip_bad=skip_bad, **load_kwargs)
    else:
        chunks = _read_input(_unit_for(local, spec), chunksize=chunksize, skip_bad=skip_bad, **load_kwargs)
    while True:
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        except FramingError as exc:
            result.error, result.shard_error = _renamed(exc, local, path), True
            return
        for d, f, line, why in dropped_documents(chunk).itertuples(index=False, name=None):
            if d is None and pd.isna(line) and why.startswith(SKIPPED_FILE):  # the whole input was skipped
                result.error = _renamed(CorpusError(why[len(SKIPPED_FILE):]), local, path)
                result.shard_error = True
                continue
            result.dropped.append([d, _rename(f, local, path), None if pd.isna(line) else int(line), why])
        result.sources.extend([_rename(f, local, path), *rest] for f, *rest in
                              input_files(chunk).itertuples(index=False, name=None))
        if exclude and len(chunk):
            out = chunk.index.isin(list(exclude))
            for doc_id, f, row in zip(chunk.index[out], chunk["source_file"][out], chunk["source_row"][out],
                                      strict=True):
                result.dropped.append([doc_id, _rename(f, local, path), int(row),
                                       f"duplicate doc_id: the first is in {exclude[doc_id]}"])
            chunk = chunk[~out]
        result.n_articles += len(chunk)
        result.ids.extend(chunk.index.tolist())
        result.id_files.extend(_rename(f, local, path) for f in chunk["source_file"])
        result.id_rows.extend(int(r) for r in chunk["source_row"])
        yield chunk


def _shown(local: str) -> list[str]:
    """The ways framing.corpus may write a file's name in messages (absolute, or relative to cwd)."""
    forms = [local]
    try:
        forms.append(str(Path(local).resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        pass
    return sorted(set(forms), key=len, reverse=True)


def _rename(name, local: str, path: str):
    """A file name as the user gave it: a temporary copy's name becomes the file's URL."""
    if local == path or name is None:
        return name
    return path if str(name) in _shown(local) else name


def _renamed(exc: Exception, local: str, path: str) -> Exception:
    """The worker's error with a temporary copy's name replaced by the file's URL."""
    if local == path:
        return exc
    message = str(exc)
    for form in _shown(local):
        message = message.replace(form, path)
    return type(exc)(message)


def _count_file(index: int, path: str, lexicon: Lexicon, by: str, voice, fields: tuple, engine: str,
                chunksize: int, skip_bad: bool, load_kwargs: dict, spec=None, exclude=None) -> _FileResult:
    """Count one file. Pure: the same file and arguments give the same result, so retries are safe."""
    result = _FileResult(index, path)
    partial: list[PartialCounts] = []
    with _local_copy(path) as local:
        for chunk in _chunks(path, local, result, chunksize, skip_bad, load_kwargs, spec, exclude):
            try:
                counts = _count_chunk(chunk, lexicon, by, voice, fields, engine)
            except FramingError as exc:
                result.error = exc
                return result
            partial.append(counts)
            if len(partial) >= 64:  # keep the task's memory small on huge files
                partial = [PartialCounts.total(partial)]
    result.counts = PartialCounts.total(partial)
    result.n_docs = dict(result.counts.docs)
    return result


def _write_parts(index: int, path: str, lexicon: Lexicon, staging: str, fields: tuple, context: int,
                 engine: str, language: str | None, by: str | None, voice, chunksize: int, skip_bad: bool,
                 load_kwargs: dict, spec=None, exclude=None) -> _FileResult:
    """Write the hits of each chunk of one file to ``staging/part-<file>-<chunk>.parquet``.

    Each part is written under a temporary name and renamed, so a retried task overwrites its own
    parts with the same content and no reader sees a partial file. The parts of a file that fails
    part-way are removed. :func:`_commit` moves the parts into the dataset after the whole run.
    With ``by``, each chunk's hits are also counted (``result.counts``), so the file is read once.
    """
    import fsspec
    import pyarrow.parquet as pq

    result = _FileResult(index, path)
    fs, root = fsspec.core.url_to_fs(staging)
    wanted = voice_codes(voice)
    partial: list[PartialCounts] = []
    with _local_copy(path) as local:
        for k, chunk in enumerate(_chunks(path, local, result, chunksize, skip_bad, load_kwargs, spec, exclude)):
            try:
                hits = _find_hits_in_memory(chunk, lexicon, fields=fields, context=context, engine=engine,
                                            language=language)
                if by is not None:
                    partial.append(hits_counts(hits, chunk, by, compile_lexicon(lexicon, engine), wanted))
                    if len(partial) >= 64:  # keep the task's memory small on huge files
                        partial = [PartialCounts.total(partial)]
            except FramingError as exc:
                result.error = exc
                break
            name = _PART.format(file=index, chunk=k)
            tmp = f"{root}/.{name}.{uuid.uuid4().hex}.tmp"
            with fs.open(tmp, "wb") as fh:
                pq.write_table(hits_arrow(hits), fh)  # HITS_SCHEMA, as write_hits in one process
            fs.mv(tmp, f"{root}/{name}")
            result.parts.append((name, k, len(chunk), len(hits)))
    if result.error is not None:
        for name, *_ in result.parts:
            fs.rm(f"{root}/{name}")
        result.parts = []
    elif by is not None:
        result.counts = PartialCounts.total(partial)
        result.n_docs = dict(result.counts.docs)
    return result


def _is_part(path: str) -> bool:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return name.startswith("part-") and name.endswith(".parquet")


def _prepare(out_dir: str, staging: str, overwrite: bool) -> None:
    """Check that ``out_dir`` may be written (empty, or ``overwrite``) and create the staging folder."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(out_dir)
    if fs.exists(root):
        if not fs.isdir(root):
            raise FramingError(f"{out_dir}: exists and is not a folder; the hits are written as a Parquet "
                               f"dataset (a folder of part files)")
        visible = [p for p in fs.ls(root, detail=False) if not p.rstrip("/").rsplit("/", 1)[-1].startswith((".", "_"))]
        if visible and not overwrite:
            raise FramingError(f"{out_dir}: the folder is not empty; choose a new folder or pass "
                               f"overwrite=True to replace its part-*.parquet files")
    fs.makedirs(fsspec.core.url_to_fs(staging)[1], exist_ok=True)


def _commit(out_dir: str, staging: str, names: list[str] | None) -> None:
    """Replace the dataset's parts by the run's ``names`` from ``staging``; None: only clean up."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(out_dir)
    _, stage = fsspec.core.url_to_fs(staging)
    if names is not None:
        for p in fs.ls(root, detail=False):
            if _is_part(p):
                fs.rm(p)
        for name in names:
            fs.mv(f"{stage}/{name}", f"{root}/{name}")
    if fs.exists(stage):
        fs.rm(stage, recursive=True)


# ------------------------------------------------------------------------------ the run (client)
def _resolve_source(source) -> str:
    """An absolute path when the client sees it (workers may start elsewhere), else as given."""
    if _is_url(source):
        return source
    path = Path(source)
    return str(path.resolve()) if path.exists() else str(source)


def _check_arguments(chunksize, retries, n_workers, context=0) -> None:
    """The numbers of a run, checked on the client before any cluster starts."""
    check_int(chunksize, "chunksize (--chunksize)", low=1, hint=" (articles per chunk)")
    check_int(retries, "retries", low=0)
    check_int(n_workers, "n_workers", low=1, allow_none=True)
    check_int(context, "context", low=0)


def _lexicon_value(lexicon: Lexicon) -> Lexicon:
    """A task whose result is the lexicon: its value travels in the task, so the scheduler can run it
    again on a new worker when the workers holding the result died (scattered data would be lost)."""
    return lexicon


def _send_lexicon(client: Client, lex: Lexicon, run: str):
    return client.submit(_lexicon_value, lex, key=f"framing-lexicon-{run}", pure=False)


class _Watch:
    """Ends a run with one line when the cluster has had no worker for WORKER_WAIT seconds."""

    def __init__(self, client: Client):
        self.client = client
        self.gone_since: float | None = None

    def check(self) -> None:
        try:
            n = len(self.client.nthreads())
        except (OSError, TimeoutError):
            n = 0
        if n:
            self.gone_since = None
            return
        now = time.monotonic()
        if self.gone_since is None:
            self.gone_since = now
        elif now - self.gone_since >= WORKER_WAIT:
            address = getattr(self.client.scheduler, "address", None) or "the scheduler"
            raise FramingError(
                f"the Dask cluster lost every worker mid-run and none came back within {WORKER_WAIT:g} s; start "
                f"workers (`dask worker {address}`) and run again, or run on a fresh local cluster (--scheduler "
                f"auto); nothing was written")


def _result(client: Client, future):
    """``future.result()``, watching that the cluster still has workers."""
    watch = _Watch(client)
    while True:
        try:
            return future.result(timeout=_POLL)
        except TimeoutError:
            if future.done():
                raise
            watch.check()


def _run(client: Client, source: str, task, args: tuple, *, retries: int, skip_bad: bool,
         progress: bool | None, label: str) -> tuple[list[_FileResult], list[str]]:
    """Submit one task per file, largest first; return the results in file order.

    A failure fails the run with the worker's one-line message (the earliest failing file in file
    order, whatever finished first), raised as its own class (CorpusError...), never a Dask
    traceback. With ``skip_bad``, a file that cannot be read is skipped and listed instead.
    """
    from distributed import KilledWorker, wait

    run = uuid.uuid4().hex[:8]
    files, plan_skipped = _on_worker(client, _list_files, source, skip_bad, retries=retries, read_only=True)
    by_size = sorted(range(len(files)), key=lambda i: (-files[i][1], i))
    priority = {i: len(files) - rank for rank, i in enumerate(by_size)}
    futures = [client.submit(task, i, path, *args, spec, key=f"framing-{label}-{run}-{i:05d}", retries=retries,
                             priority=priority[i]) for i, (path, _size, spec) in enumerate(files)]
    results: list[_FileResult | None] = [None] * len(files)
    bar = _progress_bar(len(files), label, progress)
    first_error: int | None = None
    watch = _Watch(client)
    pending = set(futures)
    try:
        while pending:
            try:
                done, pending = wait(list(pending), timeout=_POLL, return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished: is anyone still working?
                watch.check()
                continue
            watch.gone_since = None
            finished = False
            for future in sorted(done, key=lambda f: f.key):
                if future.cancelled():
                    continue
                try:
                    res: _FileResult = future.result()
                except KilledWorker:
                    raise FramingError(
                        f"{files[int(future.key.rsplit('-', 1)[1])][0]}: the worker process reading this file "
                        f"died each time it was tried (out of memory? pass a smaller chunksize=, or give the "
                        f"workers more memory)") from None
                results[res.index] = res
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix_str(f"{sum(r.n_articles for r in results if r):,} articles")
                if res.error is not None and not (skip_bad and res.shard_error):
                    if first_error is None or res.index < first_error:
                        first_error = res.index
                    for f in futures[first_error + 1:]:  # later files cannot change which error is reported
                        f.cancel()
                    if all(r is not None for r in results[:first_error]):
                        finished = True
            if finished:
                break
            pending = {f for f in pending if not f.cancelled()}
    finally:
        if bar is not None:
            bar.close()
        client.cancel([f for f in futures if not f.done()])
        del futures
    if first_error is not None:
        exc = results[first_error].error
        raise type(exc)(str(exc)) from None
    lost = [files[i][0] for i, r in enumerate(results) if r is None]
    if lost:
        raise FramingError(f"{len(lost)} tasks were cancelled on the cluster before they finished (the "
                           f"first reads {lost[0]}); was the cluster restarted? run again")
    results = _check_ids(client, results, files, task, args, skip_bad=skip_bad, retries=retries, run=run,
                         label=label)
    for name, why in plan_skipped:  # folders and files the listing could not read (skip_bad)
        results.append(_FileResult(len(results), name, error=CorpusError(why), shard_error=True))
    skipped = [r for r in results if r.error is not None]
    if skipped and len(skipped) == len(results):
        exc = skipped[0].error
        raise type(exc)(f"every input file was skipped; the first: {exc}") from None
    return results, [f for f, *_ in files]


def _check_ids(client: Client, results: list, files: list, task, args: tuple, *, skip_bad: bool, retries: int,
               run: str, label: str) -> list:
    """doc ids unique across the whole corpus, as in memory: a duplicate in a later file is an error
    naming both places; with skip_bad, the files holding later copies are read again without them."""
    first: dict = {}
    exclude: dict[int, dict] = {}
    for r in results:
        if r.error is not None:
            continue
        for doc_id, f, row in zip(r.ids, r.id_files, r.id_rows, strict=True):
            prior = first.get(doc_id)
            if prior is None:
                first[doc_id] = (r.index, f, row)
                continue
            if not skip_bad:
                raise CorpusError(
                    f"duplicate doc_id {doc_id!r}: {prior[1]}, row {prior[2]} and {f}, row {row}; every article "
                    f"needs a unique id: remove the copy, pass id_col= (--id-col) a unique column, or pass "
                    f"skip_bad=True (--skip-bad) to keep the first and list the others")
            exclude.setdefault(r.index, {})[doc_id] = f"{prior[1]}, row {prior[2]}"
    if not exclude:
        return results
    futures = {i: client.submit(task, i, files[i][0], *args, files[i][2], ex, key=f"framing-{label}-{run}-{i:05d}-dedup",
                                retries=retries) for i, ex in exclude.items()}
    for i, future in futures.items():
        try:
            results[i] = _result(client, future)
        except FramingError as exc:
            raise type(exc)(str(exc)) from None
    return results


def _on_worker(client: Client, func, *args, retries: int = 0, read_only: bool = False):
    """Run a small step on a worker (it sees the data where the client may not); clean errors.

    A ``read_only`` step that the scheduler cancelled is submitted again (up to ``_RESUBMITS`` times).
    """
    for _attempt in range(_RESUBMITS + 1 if read_only else 1):
        future = client.submit(func, *args, key=f"framing-{func.__name__.strip('_')}-{uuid.uuid4().hex[:8]}",
                               retries=retries)
        try:
            return _result(client, future)
        except FramingError as exc:
            raise type(exc)(str(exc)) from None
        except ImportError as exc:
            raise FramingError(f"the Dask workers cannot import framing ({exc}); install the same framing "
                               f"version on every worker") from None
        except Exception:
            # a step the scheduler cancelled (its connection to the client or a worker dropped, as on a
            # heavily loaded machine) is resubmitted when it only reads, so running it again is safe
            if not (read_only and future.cancelled()):
                raise
    raise FramingError(f"the Dask scheduler cancelled the step {func.__name__.strip('_')!r} "
                       f"{_RESUBMITS + 1} times (lost connections to the cluster?); check the cluster and run again")


def _progress_bar(total: int, label: str, progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm.auto import tqdm

    from framing.progress import bar_width

    return tqdm(total=total, unit="file", desc=f"framing {label}", file=sys.stderr, **bar_width())


def _summary(results: list[_FileResult]) -> dict:
    """The run summary stored in ``attrs``: files, articles, skipped records and files."""
    skipped = [dict(zip(DROPPED_COLUMNS, row, strict=True)) for r in results if r.error is None
               for row in r.dropped]
    skipped_files = [{"file": r.path, "reason": str(r.error)} for r in results if r.error is not None]
    n_docs: dict = {}
    for r in results:
        if r.error is None:
            for g, n in r.n_docs.items():
                n_docs[g] = n_docs.get(g, 0) + n
    return {
        "n_docs": n_docs,
        "n_files": len(results),
        "n_articles": sum(r.n_articles for r in results if r.error is None),
        "n_skipped": len(skipped),
        "skipped": skipped,
        "n_skipped_files": len(skipped_files),
        "skipped_files": skipped_files,
        "files": [{"file": f, "sha256": sha, "encoding": enc, "role": role}
                  for r in results if r.error is None for f, sha, enc, role in r.sources],
    }


@share_docs
def count_hits(
    source: str | Path,
    lexicon: str | Path | Lexicon = "russia-ukraine",
    *,
    by: str = "outlet",
    voice: str | Iterable[str] | None = None,
    scheduler: str | Client | None = None,
    chunksize: int = 10_000,
    skip_bad: bool = False,
    n_workers: int | None = None,
    fields: Iterable[str] = FIELDS,
    engine: str = "auto",
    retries: int = 3,
    progress: bool | None = False,
    **load_kwargs,
) -> pd.DataFrame:
    """Counts of hits per group, contrast, variant, side and voice, computed on a Dask cluster.

    Identical (rows, order, dtypes) to ``framing.count_hits(framing.load_corpus(source), ...)``.
    Each input file is one task: the worker reads it itself in chunks of ``chunksize`` articles
    (:func:`framing.iter_corpus`) and counts each chunk as :func:`framing.count_hits` does
    (PartialCounts); the client adds the partial counts and finishes them into the table. The
    lexicon is sent once per run, as a task the scheduler can rerun.

    Parameters
    ----------
    source : str or Path
        A file (CSV/TSV, optionally gzipped, JSONL, Parquet), a folder of such files (the shards;
        read recursively, in name order), or a folder of ``.txt`` files with ``metadata.csv``
        (one task). On a multi-machine cluster, a path that every worker sees (shared storage),
        or an fsspec URL (``s3://bucket/corpus/``, needs ``s3fs`` on the workers).
    lexicon : str, Path or Lexicon, default="russia-ukraine"
        A built-in name, a YAML path or a Lexicon (loaded and validated on the client).
    by : str, default="outlet"
        Any corpus column.
    {voice_counts}
    scheduler : str, Client or None, default=None
        ``None``/``"auto"``: a LocalCluster with one single-threaded worker process per core,
        closed afterwards; ``"tcp://host:8786"``: that cluster; a ``distributed.Client``: used as
        is. See :func:`connect`.
    chunksize : int, default=10_000
        Articles per chunk on a worker (bounds each worker's memory).
    skip_bad : bool, default=False
        Skip malformed records (listed with file and line in ``attrs["skipped"]``) and files that
        cannot be read at all (listed in ``attrs["skipped_files"]``) instead of failing.
    n_workers : int, optional
        Worker processes of the LocalCluster (default: one per core); ignored otherwise.
    fields : iterable of str, default=("title", "text")
    engine : {"auto", "hyperscan", "python"}
    retries : int, default=3
        Times a task is retried after an unexpected error. Tasks are pure (a file and the same
        arguments give the same counts), so retries and tasks re-run after a worker died do not
        change the result.
    progress : bool, optional
        A progress bar of files done (``None``: only on a terminal).
    **load_kwargs
        Passed to :func:`framing.iter_corpus` (``text_col``, ``id_col``, ``drop_empty``...).

    Returns
    -------
    DataFrame
        Columns ``group, contrast, variant, side, voice, n_hits, n_docs``, as
        :func:`framing.count_hits`. ``attrs`` holds the run summary: ``n_docs`` (articles per
        group), ``n_files``, ``n_articles``, ``n_skipped`` and ``skipped`` (records dropped:
        ``doc_id, source_file, line, reason``), ``n_skipped_files`` and ``skipped_files``
        (``file, reason``), and ``files`` (each input file with its sha256).

    Raises
    ------
    CorpusError
        With the worker's message, which names the file and line at fault (the earliest failing
        file in file order).
    FramingError
        An unknown voice, an unreachable scheduler.

    Examples
    --------
    >>> from framing import load_corpus
    >>> from framing import count_hits as count_in_memory
    >>> from framing.distributed import count_hits
    >>> counts = count_hits("data/seed", "russia-ukraine", n_workers=2)  # doctest: +SKIP
    >>> counts.equals(count_in_memory(load_corpus("data/seed"), "russia-ukraine"))  # doctest: +SKIP
    True
    >>> counts.attrs["n_articles"], counts.attrs["n_skipped"]  # doctest: +SKIP
    (5, 0)
    """
    lex = load_lexicon(lexicon)
    check_voices(voice)
    _check_arguments(chunksize, retries, n_workers)
    fields = tuple(fields)
    source = _resolve_source(source)
    with connect(scheduler, n_workers=n_workers) as client:
        lex_future = _send_lexicon(client, lex, uuid.uuid4().hex[:8])
        try:
            results, _ = _run(client, source, _count_file,
                              (lex_future, by, voice, fields, engine, chunksize, skip_bad, load_kwargs),
                              retries=retries, skip_bad=skip_bad, progress=progress, label="count")
        finally:
            del lex_future
    out = PartialCounts.total([r.counts for r in results if r.error is None]).finish(_variants(lex))
    out.attrs.update(_summary(results))
    return out


def find_hits(
    source: str | Path,
    lexicon: str | Path | Lexicon,
    out_dir: str | Path,
    *,
    scheduler: str | Client | None = None,
    chunksize: int = 10_000,
    skip_bad: bool = False,
    n_workers: int | None = None,
    fields: Iterable[str] = FIELDS,
    context: int = 60,
    engine: str = "auto",
    language: str | None = None,
    overwrite: bool = False,
    retries: int = 3,
    progress: bool | None = False,
    by: str | None = None,
    voice: str | Iterable[str] | None = None,
    **load_kwargs,
) -> pd.DataFrame:
    """Write every hit to a Parquet dataset, computed on a Dask cluster.

    Each input file is one task; the worker writes the hits of each chunk to
    ``out_dir/part-<file>-<chunk>.parquet`` (file number in name order, chunk number in the file,
    five digits each), the rows of :func:`framing.find_hits` on that chunk. Read the dataset with
    ``pd.read_parquet(out_dir)``: the parts in name order are the in-memory hits in corpus order.

    Parameters
    ----------
    source : str or Path
        As for :func:`count_hits`.
    lexicon : str, Path or Lexicon
        A built-in name, a YAML path or a Lexicon.
    out_dir : str or Path
        The dataset folder (a path every worker sees, or an fsspec URL). Created if absent.
    scheduler, chunksize, skip_bad, n_workers, retries, progress, **load_kwargs
        As for :func:`count_hits`.
    fields, context, engine, language
        As for :func:`framing.find_hits`.
    overwrite : bool, default=False
        Replace the ``part-*.parquet`` files of a folder that is not empty (otherwise an error).
    by : str, optional
        Also count the hits per group of this column in the same pass (each file is read once):
        ``attrs["counts"]`` is then the table :func:`count_hits` returns, its run summary in its
        ``attrs``.
    voice : str or list of str, optional
        With ``by``: count only these voices (every hit is written whatever its voice).

    Returns
    -------
    DataFrame
        One row per part file written: ``part, source_file, chunk, n_articles, n_hits``.
        ``attrs["path"]`` is ``out_dir``; ``attrs`` also holds the run summary of
        :func:`count_hits` (``n_files``, ``n_articles``, ``skipped``...), ``n_hits`` and
        ``counts`` (None without ``by``).

    Raises
    ------
    CorpusError
        As for :func:`count_hits`.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.distributed import find_hits
    >>> parts = find_hits("data/seed", "russia-ukraine", "hits.parquet", n_workers=2)  # doctest: +SKIP
    >>> hits = pd.read_parquet(parts.attrs["path"])  # doctest: +SKIP
    >>> len(hits) == parts.attrs["n_hits"]  # doctest: +SKIP
    True
    """
    lex = load_lexicon(lexicon)
    check_voices(voice)
    _check_arguments(chunksize, retries, n_workers, context)
    fields = tuple(fields)
    source = _resolve_source(source)
    out = str(out_dir) if _is_url(str(out_dir)) else str(Path(out_dir).resolve())
    with connect(scheduler, n_workers=n_workers) as client:
        staging = f"{out}/.framing-staging-{uuid.uuid4().hex[:8]}"  # hidden: not part of the dataset
        _on_worker(client, _prepare, out, staging, overwrite)
        lex_future = _send_lexicon(client, lex, uuid.uuid4().hex[:8])
        try:
            results, _ = _run(client, source, _write_parts,
                              (lex_future, staging, fields, context, engine, language, by, voice, chunksize,
                               skip_bad, load_kwargs),
                              retries=retries, skip_bad=skip_bad, progress=progress, label="hits")
        except BaseException:  # a failed run leaves the folder as it was
            _on_worker(client, _commit, out, staging, None)
            raise
        finally:
            del lex_future
        names = [name for r in results if r.error is None for name, *_ in r.parts]
        _on_worker(client, _commit, out, staging, names)
    rows = [(name, r.path, k, n_art, n_hits) for r in results if r.error is None
            for name, k, n_art, n_hits in r.parts]
    parts = pd.DataFrame(rows, columns=["part", "source_file", "chunk", "n_articles", "n_hits"])
    parts.attrs.update(_summary(results))
    parts.attrs["n_hits"] = int(parts["n_hits"].sum())
    parts.attrs["path"] = out
    parts.attrs["counts"] = None
    if by is not None:
        counts = PartialCounts.total([r.counts for r in results if r.error is None]).finish(_variants(lex))
        counts.attrs.update(_summary(results))
        parts.attrs["counts"] = counts
    return parts


def _variants(lex: Lexicon) -> list:
    """(contrast, variant) pairs in lexicon order, as the counts table orders them."""
    return [(c, v) for c in lex.contrasts.values() for v in c.variants.values()]
