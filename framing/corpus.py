"""Stage 1, corpus: read article files into the corpus table (one row per article) and validate it."""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from framing._errors import CorpusError
from framing._formats import TABLE_SUFFIXES
from framing.clean import CLEANING_LOG_COLUMNS, _clean_lines

__all__ = [
    "corpus_files",
    "load_corpus",
    "iter_corpus",
    "corpus_summary",
    "dropped_documents",
    "input_files",
    "CorpusError",
]

STANDARD_COLUMNS = ["outlet", "title", "published", "url", "text", "n_words"]
PROVENANCE_COLUMNS = ["source_file", "source_row", "source_sha256", "encoding"]
DROPPED_COLUMNS = ["doc_id", "source_file", "line", "reason"]
SOURCE_COLUMNS = ["file", "sha256", "encoding", "role"]

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_ENCODINGS = ("utf-8", "cp1252")


def _plain(value):
    """A JSON-friendly Python value (numpy scalars and NaN/NaT become int/float/str/None)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return None if isinstance(value, float) and value != value else value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if pd.isna(value):
        return None
    return str(value)


class CorpusAudit(dict):
    """What loading did besides producing rows: removed lines, dropped records, input files.

    Stored in ``corpus.attrs["framing_audit"]`` as plain lists, so it survives ``to_parquet`` /
    ``read_parquet`` (pandas keeps ``attrs`` in the Parquet metadata); pandas operations share it
    instead of copying it. Read it through :func:`framing.cleaning_log`,
    :func:`framing.dropped_documents` and :func:`framing.input_files`.
    """

    def __init__(self, cleaning=None, dropped=None, sources=None):
        super().__init__(
            cleaning=self._rows(cleaning), dropped=self._rows(dropped), sources=self._rows(sources))

    @staticmethod
    def _rows(table) -> list[list]:
        if table is None:
            return []
        if isinstance(table, pd.DataFrame):
            return [[_plain(v) for v in row] for row in table.itertuples(index=False, name=None)]
        return [[_plain(v) for v in row] for row in table]

    @property
    def cleaning(self) -> pd.DataFrame:
        return pd.DataFrame(self["cleaning"], columns=CLEANING_LOG_COLUMNS)

    @property
    def dropped(self) -> pd.DataFrame:
        return pd.DataFrame(self["dropped"], columns=DROPPED_COLUMNS)

    @property
    def sources(self) -> pd.DataFrame:
        return pd.DataFrame(self["sources"], columns=SOURCE_COLUMNS)

    def __deepcopy__(self, memo):  # pandas deep-copies attrs on every operation: share instead
        return self


def audit_of(corpus: pd.DataFrame) -> CorpusAudit:
    """Return the audit attached by :func:`load_corpus`, or raise a clear error."""
    audit = corpus.attrs.get("framing_audit")
    if audit is None:
        raise CorpusError(
            "this table carries no loading audit (cleaning log, dropped documents, input files): "
            "it was not made by framing.load_corpus, or pandas dropped its attrs (e.g. pd.concat "
            "of two corpora); load the files with framing.load_corpus"
        )
    if not isinstance(audit, CorpusAudit):  # read back from Parquet metadata as a plain dict
        audit = CorpusAudit(audit.get("cleaning"), audit.get("dropped"), audit.get("sources"))
    return audit


def dropped_documents(corpus: pd.DataFrame) -> pd.DataFrame:
    """Documents and records that loading dropped, with the reason.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`load_corpus`.

    Returns
    -------
    DataFrame
        Columns ``doc_id, source_file, line, reason``. ``line`` is the line of a malformed record
        in its file (skipped with ``skip_bad=True``) or the data row of an article that was empty
        after cleaning (dropped with ``drop_empty=True``). Empty when nothing was dropped.

    Examples
    --------
    >>> from framing import load_corpus, dropped_documents
    >>> len(dropped_documents(load_corpus("data/seed")))
    0
    """
    return audit_of(corpus).dropped.copy()


def input_files(corpus: pd.DataFrame) -> pd.DataFrame:
    """The files a corpus was read from, with their sha256 and detected encoding.

    Examples
    --------
    >>> from framing import load_corpus, input_files
    >>> input_files(load_corpus("data/seed"))[["file", "role"]].tail(2)
                                   file     role
    4  data/seed/004_3291864899c34feb.txt  article
    5             data/seed/metadata.csv metadata
    """
    return audit_of(corpus).sources.copy()


# --------------------------------------------------------------------------------------- reading
def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


def _sha256(path: Path) -> str:
    """sha256 of the bytes on disk, read in 1 MiB blocks (memory stays flat for any file size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _probe(path: Path) -> tuple[str, str]:
    """The file's sha256 and its encoding (decoded in blocks: memory stays flat)."""
    sha = _sha256(path)
    for encoding in _ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        first = True
        try:
            with _open_binary(path) as fh:
                for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    if first and encoding == "utf-8" and block.startswith(codecs.BOM_UTF8):
                        encoding = "utf-8-sig"
                    first = False
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return sha, encoding
        except UnicodeDecodeError:
            continue
        except (OSError, EOFError) as exc:
            raise CorpusError(f"{path}: cannot read the file ({exc}); check that it is not truncated") from None
    raise CorpusError(
        f"{path}: the file is neither UTF-8 nor Windows-1252 text; re-export it as UTF-8"
    )


def _decode_text_file(path: Path) -> tuple[str, str, str]:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    else:
        candidates = [(enc, data) for enc in _ENCODINGS]
    for encoding, raw in candidates:
        try:
            return raw.decode(encoding), encoding, sha
        except UnicodeDecodeError:
            continue
    raise CorpusError(f"{path}: the file is neither UTF-8 nor Windows-1252 text; re-export it as UTF-8")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_records(path: Path, encoding: str, sep: str):
    """Parse with the csv module, tracking lines: (header, good rows, their lines, bad [(line, why)])."""
    good: list[list[str]] = []
    lines: list[int] = []  # record number (data row, header not counted) of each good row
    bad: list[tuple[int, str]] = []  # (physical line, why)
    with _open_binary(path) as fb, io.TextIOWrapper(fb, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=sep, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return [], good, lines, bad
        except csv.Error as exc:
            return [], good, lines, [(1, f"header cannot be parsed ({exc})")]
        record = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                bad.append((start, f"cannot be parsed ({exc}); the rest of the file cannot be read"))
                break
            if not row:
                continue
            record += 1
            if len(row) != len(header):
                bad.append((start, f"has {len(row)} fields where the header has {len(header)}"))
            else:
                good.append(row)
                lines.append(record)
    return header, good, lines, bad


def _read_csv_chunks(path: Path, encoding: str, chunksize: int | None, skip_bad: bool,
                     dropped: list[tuple]) -> Iterator[tuple[pd.DataFrame, int]]:
    sep = "\t" if ".tsv" in path.name.lower() else ","
    kind = "TSV" if sep == "\t" else "CSV"
    kwargs = dict(sep=sep, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""],
                  on_bad_lines="error")
    offset = 0
    try:  # fast path: pandas' C parser, in chunks
        frames = [pd.read_csv(path, **kwargs)] if chunksize is None else pd.read_csv(path, chunksize=chunksize, **kwargs)
        for frame in frames:
            yield frame, offset
            offset += len(frame)
        return
    except pd.errors.EmptyDataError:
        raise CorpusError(f"{path}: the file is empty; it needs a header row and one row per article") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        error = exc
    # slow path: the csv module finds the malformed records and their lines
    header, good, lines, bad = _csv_records(path, encoding, sep)
    if not bad:
        raise CorpusError(f"{path}: cannot be parsed as {kind} ({error})") from None
    fatal = [b for b in bad if "rest of the file" in b[1]]
    if not skip_bad or fatal:
        line, why = (fatal or bad)[0]
        more = f" (and {len(bad) - 1} more malformed records)" if len(bad) > 1 else ""
        hint = ("fix the quoting" if fatal else
                "fix the quoting or the number of fields, or pass skip_bad=True (--skip-bad) to skip "
                "and count such records")
        raise CorpusError(f"{path}, line {line}: the record {why}{more}; {hint}") from None
    if offset:  # chunks before the bad record were already yielded: continue after them
        good, lines = good[offset:], lines[offset:]
    for line, why in bad:
        dropped.append((None, str(path), line, f"malformed record: {why}"))
    frame = pd.DataFrame(good, columns=header, dtype=object).replace("", None)
    step = chunksize or max(len(frame), 1)
    for start in range(0, max(len(frame), 1), step):
        part = frame.iloc[start:start + step]
        part.attrs["rows"] = lines[start:start + step]
        yield part, offset + start


def _read_jsonl_chunks(path: Path, encoding: str, chunksize: int | None, skip_bad: bool,
                       dropped: list[tuple]) -> Iterator[tuple[pd.DataFrame, int]]:
    records: list[dict] = []
    lines: list[int] = []
    offset = 0
    with _open_binary(path) as fb, io.TextIOWrapper(fb, encoding=encoding) as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError(f"expected a JSON object, found {type(record).__name__}")
            except ValueError as exc:
                if not skip_bad:
                    raise CorpusError(
                        f"{path}, line {lineno}: not a valid JSON object ({exc}); fix the line or pass "
                        f"skip_bad=True (--skip-bad) to skip and count such records"
                    ) from None
                dropped.append((None, str(path), lineno, f"malformed record: {exc}"))
                continue
            records.append(record)
            lines.append(lineno)
            if chunksize is not None and len(records) >= chunksize:
                yield _records_frame(records, lines), offset
                offset += len(records)
                records, lines = [], []
    if records or offset == 0:
        yield _records_frame(records, lines), offset


def _records_frame(records: list[dict], lines: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    frame = frame.astype(object).where(frame.notna(), None)
    frame.attrs["rows"] = lines
    return frame


def _read_parquet_chunks(path: Path, chunksize: int | None) -> Iterator[tuple[pd.DataFrame, int]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        if chunksize is None:
            yield pf.read().to_pandas(), 0
            return
        offset = 0
        for batch in pf.iter_batches(batch_size=chunksize):
            frame = batch.to_pandas()
            yield frame, offset
            offset += len(frame)
    except (OSError, ValueError) as exc:
        if isinstance(exc, CorpusError):
            raise
        raise CorpusError(f"{path}: not a readable Parquet file ({exc}); re-export it") from None


# ----------------------------------------------------------------------------------- normalising
@dataclass
class _Options:
    text_col: str
    outlet_col: str
    title_col: str
    date_col: str | None
    url_col: str
    id_col: str | None
    clean: bool
    drop_empty: bool


def _pick_date_col(columns, date_col: str | None) -> str | None:
    if date_col is not None:
        return date_col
    for name in ("published", "date", "pubdate", "publish_date"):
        if name in columns:
            return name
    return None


def _parse_dates(values: pd.Series, where: str, col: str, rows: np.ndarray) -> pd.Series:
    raw = values.astype(object)
    present = raw.notna() & (raw.astype(str).str.strip() != "")
    parsed = pd.to_datetime(raw.where(present), errors="coerce", utc=True, format="mixed")
    bad = present & parsed.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise CorpusError(
            f"{where}, row {rows[i]}: column '{col}' holds {raw.iloc[i]!r}, which is not a date; "
            f"use ISO dates (2022-12-02), leave it empty, or pass date_col= another column"
        )
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


@lru_cache(maxsize=1)
def _word_chars() -> np.ndarray:
    """For every code point, whether ``re``'s ``\\w`` matches it (``str.isalnum()`` or ``_``)."""
    table = np.fromiter((chr(i).isalnum() for i in range(0x110000)), dtype=bool, count=0x110000)
    table[ord("_")] = True
    return table


def _n_words(texts, batch_chars: int = 4_000_000) -> np.ndarray:
    """Words per text: the number of matches of ``_WORD`` (``\\w+`` runs, joined by one ' ’ or -).

    Counted on code-point arrays with numpy, in batches of about ``batch_chars`` characters: word
    runs that start, minus joiners with a word character on both sides. 5x faster than
    ``len(_WORD.findall(t))``, and the same numbers (tested).
    """
    texts = list(texts)
    out = np.zeros(len(texts), dtype=np.int64)
    is_word = _word_chars()
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (size == 0 or size + len(texts[stop]) < batch_chars):
            size += len(texts[stop]) + 1
            stop += 1
        joined = "\n".join(texts[start:stop]) + "\n"
        cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        w = is_word[cps]
        prev = np.concatenate(([False], w[:-1]))
        nxt = np.concatenate((w[1:], [False]))
        starts = np.flatnonzero(w & ~prev)
        joiner = (cps == ord("'")) | (cps == ord("’")) | (cps == ord("-"))  # faster than np.isin
        joins = np.flatnonzero(joiner & prev & nxt)
        ends = np.cumsum([len(t) + 1 for t in texts[start:stop]])  # one past each text's separator
        out[start:stop] = (np.bincount(np.searchsorted(ends, starts, side="right"), minlength=stop - start)
                           - np.bincount(np.searchsorted(ends, joins, side="right"), minlength=stop - start))
        start = stop
    return out


def _build(frame: pd.DataFrame, *, where: str, opts: _Options, doc_ids: list[str], rows: np.ndarray,
           source_file, source_sha, encoding, dropped: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a raw table (one row per article) into the corpus table; return it and its cleaning log."""
    cols = list(frame.columns)
    for required in (opts.outlet_col, opts.text_col):
        if required not in frame.columns:
            kind = "outlet" if required == opts.outlet_col else "text"
            raise CorpusError(
                f"{where}: no column '{required}' (the {kind} column); the columns are {cols}; "
                f"pass {kind}_col= to name the right one"
            )
    date_col = _pick_date_col(frame.columns, opts.date_col)
    if date_col is not None and date_col not in frame.columns:
        raise CorpusError(f"{where}: no column '{date_col}' (date_col); the columns are {cols}")

    outlet = frame[opts.outlet_col]
    missing = outlet.isna() | (outlet.astype(str).str.strip() == "")
    if missing.any():
        bad_rows = rows[missing.to_numpy()][:10].tolist()
        raise CorpusError(
            f"{where}: {int(missing.sum())} rows have no '{opts.outlet_col}' (rows {bad_rows}); "
            f"fill in the outlet of every article"
        )

    raw_text = frame[opts.text_col].astype(object).where(frame[opts.text_col].notna(), "")
    titles = (frame[opts.title_col].astype(object).where(frame[opts.title_col].notna(), None)
              if opts.title_col in frame.columns else pd.Series([None] * len(frame), dtype=object))
    texts, logs = [], []
    for doc_id, text, title in zip(doc_ids, raw_text, titles, strict=True):
        text = _normalise_newlines(str(text))
        if opts.clean:
            text, removed = _clean_lines(text, title if isinstance(title, str) else None)
            logs.extend((doc_id, ln, t, r) for ln, t, r in removed)
        texts.append(text)

    out = pd.DataFrame(index=pd.Index(doc_ids, name="doc_id", dtype="str"))
    out["outlet"] = pd.array(outlet.astype(str).str.strip().to_numpy(), dtype="str")
    out["title"] = titles.to_numpy(dtype=object)
    if date_col is not None:
        out["published"] = _parse_dates(frame[date_col], where, date_col, rows).to_numpy()
    else:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    url = frame[opts.url_col] if opts.url_col in frame.columns else None
    out["url"] = (url.astype(object).where(url.notna(), None).to_numpy() if url is not None
                  else np.full(len(frame), None, dtype=object))
    out["text"] = pd.array(texts, dtype="str")
    out["n_words"] = _n_words(texts)
    used = {opts.outlet_col, opts.text_col, opts.title_col, opts.url_col, date_col, opts.id_col}
    for col in frame.columns:
        if col not in used and col not in out.columns and col not in PROVENANCE_COLUMNS:
            out[col] = frame[col].to_numpy()
    out["source_file"] = source_file
    out["source_row"] = rows
    out["source_sha256"] = source_sha
    out["encoding"] = encoding

    log = pd.DataFrame(logs, columns=CLEANING_LOG_COLUMNS)
    empty = out["text"].str.strip() == ""
    if empty.any():
        ids = out.index[empty].tolist()
        if not opts.drop_empty:
            raise CorpusError(
                f"{where}: {len(ids)} articles have no text{' after cleaning' if opts.clean else ''}: "
                f"{ids[:10]}{' ...' if len(ids) > 10 else ''}; fix them, or pass drop_empty=True "
                f"(--drop-empty) to drop them (they are listed by framing.dropped_documents)"
            )
        for doc_id, src, row in zip(out.index[empty], out["source_file"][empty], out["source_row"][empty],
                                    strict=True):
            dropped.append((doc_id, src, int(row), "empty after cleaning" if opts.clean else "empty text"))
        out = out[~empty]
    return out, log


def _check_unique(index: pd.Index, where: str) -> None:
    dup = index[index.duplicated()].unique().tolist()
    if dup:
        raise CorpusError(
            f"{where}: duplicate doc_id {dup[:10]}{' ...' if len(dup) > 10 else ''}; every article "
            f"needs a unique id (pass id_col= a unique column, or remove the duplicates)"
        )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _iter_txt_folder(folder: Path, opts: _Options, file_col: str) -> Iterator[tuple[pd.DataFrame, CorpusAudit]]:
    meta_path = folder / "metadata.csv"
    sources = []
    meta_sha, meta_enc = _probe(meta_path)
    try:
        meta = pd.read_csv(meta_path, dtype=str, keep_default_na=False, na_values=[""], encoding=meta_enc)
    except (pd.errors.ParserError, ValueError) as exc:
        bad = _csv_records(meta_path, meta_enc, ",")[3]
        line = f", line {bad[0][0]}" if bad else ""
        raise CorpusError(f"{_display(meta_path)}{line}: cannot be parsed ({exc}); fix the CSV") from None
    where = _display(meta_path)
    if file_col not in meta.columns:
        raise CorpusError(f"{where}: no column '{file_col}' naming each article's file; the columns "
                          f"are {list(meta.columns)}")
    no_file = meta[file_col].isna() | (meta[file_col].str.strip() == "")
    if no_file.any():
        rows = (np.flatnonzero(no_file.to_numpy()) + 2).tolist()
        raise CorpusError(f"{where}: lines {rows} have no file name in column '{file_col}'; fill them "
                          f"in or delete those rows")
    names = meta[file_col].str.strip()
    on_disk = {p.name for p in folder.glob("*.txt")}
    missing = [f"{n} (line {i + 2})" for i, n in enumerate(names) if n not in on_disk]
    if missing:
        raise CorpusError(f"{where}: rows name files that do not exist in {_display(folder)}: "
                          f"{missing[:10]}; fix the names or add the files")
    unlisted = sorted(on_disk - set(names))
    if unlisted:
        raise CorpusError(f"{where}: .txt files without a metadata row: {unlisted[:10]}; add a row "
                          f"for each (column '{file_col}') or move the files out of the folder")
    texts, encodings, shas, files = [], [], [], []
    for name in names:
        path = folder / name
        text, enc, sha = _decode_text_file(path)
        texts.append(text)
        encodings.append(enc)
        shas.append(sha)
        files.append(_display(path))
        sources.append((_display(path), sha, enc, "article"))
    sources.append((where, meta_sha, meta_enc, "metadata"))
    frame = meta.drop(columns=[file_col]).assign(**{opts.text_col: texts})
    if opts.id_col and opts.id_col in meta.columns:
        doc_ids = meta[opts.id_col].astype(str).tolist()
    else:
        doc_ids = [Path(n).stem for n in names]
    rows = np.arange(2, len(meta) + 2)  # line in metadata.csv
    dropped: list[tuple] = []
    out, log = _build(frame, where=where, opts=opts, doc_ids=doc_ids, rows=rows,
                      source_file=files, source_sha=shas, encoding=encodings, dropped=dropped)
    _check_unique(out.index, where)
    yield out, CorpusAudit(log, pd.DataFrame(dropped, columns=DROPPED_COLUMNS),
                           pd.DataFrame(sources, columns=SOURCE_COLUMNS))


def _iter_table_file(path: Path, opts: _Options, chunksize: int | None,
                     skip_bad: bool) -> Iterator[tuple[pd.DataFrame, CorpusAudit]]:
    where = _display(path)
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        sha, encoding = _sha256(path), "parquet"
    else:
        sha, encoding = _probe(path)
    source = pd.DataFrame([(where, sha, encoding, "articles")], columns=SOURCE_COLUMNS)
    dropped: list[tuple] = []
    if name.endswith((".parquet", ".pq")):
        chunks = _read_parquet_chunks(path, chunksize)
    elif name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
        chunks = _read_jsonl_chunks(path, encoding, chunksize, skip_bad, dropped)
    else:
        chunks = _read_csv_chunks(path, encoding, chunksize, skip_bad, dropped)
    stem = re.sub(r"\.(csv|tsv|jsonl|ndjson|parquet|pq)(\.gz)?$", "", path.name, flags=re.I)
    reported = 0
    first = True
    for frame, offset in chunks:
        if "rows" in frame.attrs:
            rows = np.asarray(frame.attrs["rows"], dtype=np.int64)
        else:
            rows = np.arange(offset + 1, offset + len(frame) + 1)
        id_col = opts.id_col or next((c for c in ("doc_id", "id") if c in frame.columns), None)
        if id_col is not None:
            if id_col not in frame.columns:
                raise CorpusError(f"{where}: no column '{id_col}' (id_col); the columns are {list(frame.columns)}")
            ids = frame[id_col]
            if ids.isna().any():
                raise CorpusError(f"{where}: rows {rows[ids.isna().to_numpy()][:10].tolist()} have no "
                                  f"'{id_col}'; every article needs an id")
            doc_ids = ids.astype(str).tolist()
        else:
            doc_ids = [f"{stem}-{r:06d}" for r in rows]
        local = _Options(**{**opts.__dict__, "id_col": id_col})
        out, log = _build(frame, where=where, opts=local, doc_ids=doc_ids, rows=rows, source_file=where,
                          source_sha=sha, encoding=encoding, dropped=dropped)
        _check_unique(out.index, where)
        audit = CorpusAudit(log, pd.DataFrame(dropped[reported:], columns=DROPPED_COLUMNS),
                            source if first else pd.DataFrame(columns=SOURCE_COLUMNS))
        reported, first = len(dropped), False
        yield out, audit


def corpus_files(path: str | Path) -> list[Path]:
    """The inputs :func:`load_corpus` reads for ``path``, in the order it reads them.

    A file is itself; a folder with ``metadata.csv`` is one input (its ``.txt`` articles); any other
    folder gives its CSV/TSV/JSONL/Parquet files (recursively, in name order). Streaming and the
    Dask path use this list, so every path reads the same files in the same order.

    Examples
    --------
    >>> from framing.corpus import corpus_files
    >>> [p.name for p in corpus_files("data/seed")]
    ['seed']
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if (path / "metadata.csv").exists():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(TABLE_SUFFIXES))
    if not files:
        raise CorpusError(
            f"{_display(path)}: no readable articles: the folder has no metadata.csv beside .txt files and "
            f"no {', '.join(TABLE_SUFFIXES)} files; see the README section 'Load your own corpus'"
        )
    return files


def _iter(path, chunksize, opts, skip_bad, file_col) -> Iterator[tuple[pd.DataFrame, CorpusAudit]]:
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder; check the path (relative paths start at "
                          f"{Path.cwd()})")
    for item in corpus_files(path):
        if item.is_dir():
            yield from _iter_txt_folder(item, opts, file_col)
        elif item.name.lower().endswith(TABLE_SUFFIXES):
            yield from _iter_table_file(item, opts, chunksize, skip_bad)
        else:
            raise CorpusError(
                f"{_display(item)}: unknown file type; use a folder of .txt files with metadata.csv, "
                f"or {', '.join(TABLE_SUFFIXES)}"
            )


def _attach(frame: pd.DataFrame, audit: CorpusAudit) -> pd.DataFrame:
    frame.attrs = {"framing_audit": audit}
    return frame


def iter_corpus(
    source: str | Path,
    *,
    chunksize: int = 10_000,
    text_col: str = "text",
    outlet_col: str = "outlet",
    title_col: str = "title",
    date_col: str | None = None,
    url_col: str = "url",
    id_col: str | None = None,
    file_col: str = "file",
    clean: bool = True,
    drop_empty: bool = False,
    skip_bad: bool = False,
) -> Iterator[pd.DataFrame]:
    """Read a corpus in chunks of at most ``chunksize`` articles, through the same loader as
    :func:`load_corpus`.

    Memory stays bounded by the chunk size, whatever the size of the input. Each chunk is a corpus
    table with its own audit (``cleaning_log(chunk)``, ``dropped_documents(chunk)``). Duplicate
    ``doc_id`` values are detected within a chunk, not across chunks.

    Parameters
    ----------
    source : str or Path
        A file (CSV/TSV, optionally gzipped, JSONL, Parquet) or a folder of such files, or a folder
        of ``.txt`` files with ``metadata.csv`` (read as one chunk).
    chunksize : int, default=10_000
        Articles per chunk.
    **kwargs
        As for :func:`load_corpus`.

    Yields
    ------
    DataFrame
        Corpus tables of at most ``chunksize`` rows.

    Examples
    --------
    >>> from framing import iter_corpus
    >>> [len(chunk) for chunk in iter_corpus("data/seed", chunksize=2)]
    [5]
    """
    opts = _Options(text_col, outlet_col, title_col, date_col, url_col, id_col, clean, drop_empty)
    for frame, audit in _iter(source, chunksize, opts, skip_bad, file_col):
        yield _attach(frame, audit)


def load_corpus(
    path: str | Path,
    *,
    text_col: str = "text",
    outlet_col: str = "outlet",
    title_col: str = "title",
    date_col: str | None = None,
    url_col: str = "url",
    id_col: str | None = None,
    file_col: str = "file",
    clean: bool = True,
    drop_empty: bool = False,
    skip_bad: bool = False,
) -> pd.DataFrame:
    """Read articles into the corpus table: one row per article, indexed by ``doc_id``.

    Parameters
    ----------
    path : str or Path
        One of: a folder of ``.txt`` files with a ``metadata.csv`` beside them (column ``file``
        names each article's file; ``doc_id`` is the file name without extension); a CSV or TSV
        file (also ``.gz``); a JSONL file (one JSON object per line); a Parquet file; or a folder
        of CSV/TSV/JSONL/Parquet files, read in name order.
    text_col, outlet_col, title_col, url_col : str
        Names of those columns in the input.
    date_col : str, optional
        The publication date column; by default the first of ``published``, ``date``,
        ``pubdate``, ``publish_date`` that exists. Unparseable dates are an error.
    id_col : str, optional
        A column of unique article ids; by default ``doc_id`` or ``id`` when present, otherwise
        ``<file stem>-<row number>``, so every id points back to its row.
    file_col : str, default="file"
        The column of ``metadata.csv`` that names each ``.txt`` file.
    clean : bool, default=True
        Remove page chrome and boilerplate (see :func:`framing.clean_text`); every removed line
        is listed by :func:`framing.cleaning_log`. ``False`` keeps the raw text.
    drop_empty : bool, default=False
        Drop articles that are empty (after cleaning) instead of raising; they are listed by
        :func:`framing.dropped_documents`.
    skip_bad : bool, default=False
        Skip malformed CSV/JSONL records instead of raising; they are listed, with file and line,
        by :func:`framing.dropped_documents`.

    Returns
    -------
    DataFrame
        Index ``doc_id`` (unique strings). Columns ``outlet``, ``title``, ``published``
        (datetime, NaT when unknown), ``url``, ``text`` (cleaned, line endings normalised to
        ``\\n``), ``n_words``, then any other metadata columns of the input, then provenance:
        ``source_file``, ``source_row`` (line of ``metadata.csv``, data row of a CSV/Parquet
        file, or line of a JSONL file), ``source_sha256`` and ``encoding`` (``utf-8``,
        ``utf-8-sig`` or ``cp1252``).

    Raises
    ------
    CorpusError
        With one message that names the file and the line, row or column at fault, and the fix.

    Examples
    --------
    >>> from framing import load_corpus
    >>> corpus = load_corpus("data/seed")
    >>> corpus[["outlet", "published", "n_words"]]
                                  outlet  published  n_words
    doc_id
    000_cee673ca099f3711    The National 2022-12-02      ...
    001_3f0004297d112331    American Age 2022-12-02      ...
    002_3bcc3b5630e43c4d   TheJournal.ie 2022-12-02      ...
    003_a08c4a9378959592              RT 2023-12-05      ...
    004_3291864899c34feb         Reuters 2022-12-06      ...
    """
    opts = _Options(text_col, outlet_col, title_col, date_col, url_col, id_col, clean, drop_empty)
    frames, cleanings, droppeds, sources = [], [], [], []
    for frame, audit in _iter(path, None, opts, skip_bad, file_col):
        frames.append(frame)
        cleanings.append(audit["cleaning"])
        droppeds.append(audit["dropped"])
        sources.append(audit["sources"])
    corpus = frames[0] if len(frames) == 1 else pd.concat(frames)
    _check_unique(corpus.index, _display(Path(path)))
    if corpus.empty:
        n = sum(len(d) for d in droppeds)
        raise CorpusError(f"{_display(Path(path))}: no articles left ({n} records dropped); "
                          f"see `framing corpus --drop-empty --skip-bad` for the list")

    audit = CorpusAudit([r for c in cleanings for r in c], [r for d in droppeds for r in d],
                        [r for x in sources for r in x])
    return _attach(corpus, audit)


def corpus_summary(corpus: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Articles, words, date range and removed boilerplate lines per group.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`load_corpus`.
    by : str, default="outlet"
        Any column of the corpus.

    Returns
    -------
    DataFrame
        One row per group: ``n_articles``, ``n_words``, ``first``, ``last`` (publication dates),
        ``n_removed_lines``; sorted by group. Articles with an empty ``by`` value form the group
        ``"(missing)"``, so the rows add up to the corpus.

    Examples
    --------
    >>> from framing import load_corpus, corpus_summary
    >>> corpus_summary(load_corpus("data/seed"))[["outlet", "n_articles", "n_removed_lines"]]
              outlet  n_articles  n_removed_lines
    0   American Age           1               ...
    1             RT           1                1
    2        Reuters           1              ...
    3   The National           1                4
    4  TheJournal.ie           1              ...
    """
    if by not in corpus.columns:
        raise CorpusError(f"no column '{by}' to group by; the columns are {list(corpus.columns)}")
    log = audit_of(corpus).cleaning if "framing_audit" in corpus.attrs else None
    removed = (log.groupby("doc_id").size() if log is not None and len(log) else pd.Series(dtype="int64"))
    per_doc = removed.reindex(corpus.index, fill_value=0)
    from framing._groups import group_labels

    summary = (
        corpus.assign(_removed=per_doc.to_numpy(), **{by: group_labels(corpus[by])})  # empty: "(missing)"
        .groupby(by, sort=True, observed=True)
        .agg(n_articles=("text", "size"), n_words=("n_words", "sum"), first=("published", "min"),
             last=("published", "max"), n_removed_lines=("_removed", "sum"))
        .reset_index()
    )
    return summary
