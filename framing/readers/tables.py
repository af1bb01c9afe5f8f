"""Tables: CSV/TSV (separator sniffed), JSONL / JSON, Parquet -- raw records in chunks.

CSV files are parsed with pandas' C parser (fast path); when it fails, the csv module finds the
malformed records and the physical line each starts on. Files that are not UTF-8 are decoded as
:mod:`framing.readers._io` says (per line when they mix encodings). Duplicate column names are an
error (pandas would rename them ``text.1`` silently).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from framing._errors import CorpusError
from framing.readers import suffix_of
from framing.readers._base import Raw
from framing.readers._io import (
    READ_ERRORS,
    Probe,
    decode_lines,
    open_binary,
    probe,
    read_all,
    read_error,
)

__all__ = ["read_table", "table_columns"]

SEPARATORS = (",", ";", "\t", "|")
_SURROGATE = re.compile(r"\\[uU][dD][89a-fA-F][0-9a-fA-F]{2}")


@contextmanager
def _no_field_limit():
    """The csv module refuses fields over 128 KiB; articles can be longer."""
    old = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _head_text(path: Path, encoding: str, where: str, size: int = 1 << 16) -> str:
    try:
        with open_binary(path) as fh:
            data = fh.read(size)
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    return data.decode(encoding, errors="ignore")


def sniff_separator(head: str, default: str = ",") -> str:
    """The separator that splits the header line into the most fields (comma, semicolon, tab, bar).

    Examples
    --------
    >>> from framing.readers.tables import sniff_separator
    >>> sniff_separator("id;outlet;title;text\\n1;A;T;x, y\\n"), sniff_separator("a,b\\n")
    (';', ',')
    """
    header = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    best, best_n = default, 1
    for sep in (default, *[s for s in SEPARATORS if s != default]):
        n = len(next(csv.reader([header], delimiter=sep), []))
        if n > best_n:
            best, best_n = sep, n
    return best


def _duplicates(names: list) -> list:
    seen, dup = set(), []
    for n in names:
        if n in seen and n not in dup:
            dup.append(n)
        seen.add(n)
    return dup


def _dup_error(where: str, names: list, dup: list) -> CorpusError:
    where_cols = {d: [i + 1 for i, n in enumerate(names) if n == d] for d in dup}
    shown = "; ".join(f"'{d}' is columns {cols}" for d, cols in where_cols.items())
    return CorpusError(f"{where}: duplicate column names ({shown}); rename one of each in the header, e.g. "
                       f"'{dup[0]}_2', so that it is clear which holds what")


class _Lines:
    """Record number -> physical start line of a CSV, computed once on demand (error messages)."""

    def __init__(self, path: Path, encoding: str, sep: str, text: str | None = None):
        self.path, self.encoding, self.sep, self.text = path, encoding, sep, text
        self.starts: list[int] | None = None

    def __call__(self, record: int) -> int | None:
        if self.starts is None:
            self.starts = []
            try:
                with self._open() as fh, _no_field_limit():
                    reader = csv.reader(fh, delimiter=self.sep)
                    next(reader, None)
                    while True:
                        start = reader.line_num + 1
                        try:
                            row = next(reader)
                        except (StopIteration, csv.Error):
                            break
                        if row:
                            self.starts.append(start)
            except (*READ_ERRORS, UnicodeDecodeError):
                pass
        return self.starts[record - 1] if 0 < record <= len(self.starts) else None

    def _open(self):
        if self.text is not None:
            return io.StringIO(self.text, newline="")
        return io.TextIOWrapper(open_binary(self.path), encoding=self.encoding, newline="")


def _csv_records(fh, sep: str):
    """Parse with the csv module: header, good rows, their record numbers and lines, bad [(line, why)]."""
    good, rows, lines, bad = [], [], [], []
    with _no_field_limit():
        reader = csv.reader(fh, delimiter=sep, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return [], good, rows, lines, bad
        except csv.Error as exc:
            return [], good, rows, lines, [(1, f"header cannot be parsed ({exc})")]
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
                rows.append(record)
                lines.append(start)
    return header, good, rows, lines, bad


def _slow_csv(fh, where: str, sep: str, kind: str, skip_bad: bool, dropped: list, chunksize: int | None,
              offset: int, line_encodings: list | None, encoding) -> Iterator[Raw]:
    header, good, rows, lines, bad = _csv_records(fh, sep)
    dup = _duplicates(header)
    if dup:
        raise _dup_error(where, header, dup)
    fatal = [b for b in bad if "rest of the file" in b[1]]
    if bad and (not skip_bad or fatal):
        line, why = (fatal or bad)[0]
        more = f" (and {len(bad) - 1} more malformed records)" if len(bad) > 1 else ""
        hint = ("fix the quoting" if fatal else
                "fix the quoting or the number of fields, or pass skip_bad=True (--skip-bad) to skip "
                "and count such records")
        raise CorpusError(f"{where}, line {line}: the record {why}{more}; {hint}") from None
    for line, why in bad:
        dropped.append((None, where, line, f"malformed record: {why}"))
    keep = [k for k, r in enumerate(rows) if r > offset]  # records before were already yielded
    good = [good[k] for k in keep]
    rows = np.asarray([rows[k] for k in keep], dtype=np.int64)
    lines = np.asarray([lines[k] for k in keep], dtype=np.int64)
    frame = pd.DataFrame(good, columns=header, dtype=object).replace("", None) if good else \
        pd.DataFrame(columns=header, dtype=object)
    if line_encodings is not None:
        encs = np.asarray(line_encodings, dtype=object)
        encoding = _record_encodings(encs, lines, np.r_[lines[1:], len(encs) + 1] if len(lines) else lines)
    step = chunksize or max(len(frame), 1)
    for start in range(0, max(len(frame), 1), step):
        stop = start + step
        enc = encoding[start:stop] if isinstance(encoding, np.ndarray) else encoding
        yield Raw(frame.iloc[start:stop], rows[start:stop], "line", lines[start:stop], encoding=enc)


def _record_encodings(line_enc: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The encoding of each record: the non-UTF-8 one when any of its lines had it."""
    out = np.empty(len(starts), dtype=object)
    for k, (a, b) in enumerate(zip(starts, stops, strict=True)):
        encs = set(line_enc[a - 1:max(a, b - 1)])
        other = sorted(e for e in encs if e != "utf-8")
        out[k] = other[0] if other else "utf-8"
    return out


def _read_csv(path: Path, where: str, info: Probe, *, sep: str | None, chunksize: int | None, skip_bad: bool,
              dropped: list) -> Iterator[Raw]:
    is_tsv = suffix_of(path.name) == ".tsv"
    default = "\t" if is_tsv else ","
    text = None
    line_encodings = None
    encoding = info.encoding
    if encoding is None:  # not UTF-8: decode the whole file (per line when it mixes encodings)
        text, enc = decode_lines(read_all(path, where), where)
        if isinstance(enc, list):
            line_encodings, encoding = enc, "mixed"
        else:
            encoding = enc
            text = None  # one encoding: pandas reads the file with it
    head = text[:1 << 16] if text is not None else _head_text(path, encoding, where)
    if not head.strip():
        raise CorpusError(f"{where}: the file is empty; it needs a header row and one row per article")
    sep = sep or (default if is_tsv else sniff_separator(head, default))
    kind = {"\t": "TSV", ",": "CSV"}.get(sep, f"{sep!r}-separated")
    header = next(csv.reader([head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")], delimiter=sep), [])
    dup = _duplicates(header)
    if dup:
        raise _dup_error(where, header, dup)
    if text is not None:  # mixed encodings: the csv module, with lines and per-record encodings
        yield from _slow_csv(io.StringIO(text, newline=""), where, sep, kind, skip_bad, dropped, chunksize, 0,
                             line_encodings, encoding)
        return
    lines = _Lines(path, encoding, sep)
    offset = 0
    try:
        frames = _arrow_csv(path, header, sep, encoding, chunksize)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            n = len(frame)
            raw = Raw(frame, np.arange(offset + 1, offset + n + 1), "line", None, line_of=lines, encoding=encoding)
            del frame  # the consumer may drop columns it has copied: hold no second reference
            yield raw
            del raw
            offset += n
        return
    except (ValueError, UnicodeDecodeError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        if isinstance(exc, UnicodeDecodeError) or "invalid UTF8" in str(exc) or "decode" in str(exc).lower():
            raise CorpusError(f"{where}: not valid {encoding} ({exc}); pass the right encoding= "
                              f"(--encoding)") from None
        error = exc
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    try:
        with io.TextIOWrapper(open_binary(path), encoding=encoding, newline="") as fh:
            parts = list(_slow_csv(fh, where, sep, kind, skip_bad, dropped, chunksize, offset, None, encoding))
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    if not dropped and not any(len(p.frame) for p in parts) and offset == 0:
        raise CorpusError(f"{where}: cannot be parsed as {kind} ({error})") from None
    for part in parts:
        part.rows = part.rows  # record numbers as the csv module counted them
        yield part


def _arrow_csv(path: Path, header: list, sep: str, encoding: str, chunksize: int | None) -> Iterator[pd.DataFrame]:
    """The fast path: pyarrow's CSV reader, every column as text (empty fields are missing), in chunks of
    ``chunksize`` rows. Raises ValueError (pyarrow.ArrowInvalid) on a malformed record."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    codec = "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding
    read = pcsv.ReadOptions(block_size=1 << 24, encoding=codec, use_threads=True)
    parse = pcsv.ParseOptions(delimiter=sep, newlines_in_values=True, ignore_empty_lines=True)
    convert = pcsv.ConvertOptions(column_types={name: pa.string() for name in header}, strings_can_be_null=True,
                                  quoted_strings_can_be_null=True, check_utf8=False)
    try:
        stream = pa.input_stream(str(path), compression="detect")
    except (pa.ArrowInvalid, ValueError):
        stream = pa.input_stream(str(path))
    with stream, _no_field_limit():
        if chunksize is None:
            table = pcsv.read_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
            holder = [table.to_pandas(types_mapper=_str_dtype, self_destruct=True, split_blocks=True)]
            del table
            pa.default_memory_pool().release_unused()
            yield holder.pop()  # no reference left here while the consumer works on it
            return
        reader = pcsv.open_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
        pending: list = []
        size = 0
        for batch in reader:
            pending.append(batch)
            size += batch.num_rows
            while size >= chunksize:
                table = pa.Table.from_batches(pending)
                head, rest = table.slice(0, chunksize), table.slice(chunksize)
                yield head.to_pandas(types_mapper=_str_dtype)
                pending, size = rest.to_batches(), rest.num_rows
        if size:
            yield pa.Table.from_batches(pending).to_pandas(types_mapper=_str_dtype)


def _str_dtype(arrow_type):
    import pyarrow as pa

    return pd.StringDtype("pyarrow") if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) \
        else None


def _check_json_record(record, lineno: int, line: str):
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, found {type(record).__name__}")
    if _SURROGATE.search(line):
        for key, value in record.items():
            for s in (key, value) if isinstance(value, str) else (key,):
                try:
                    s.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValueError(f"field '{key}' holds an unpaired surrogate escape (such as \\ud800), "
                                     f"which is not a character; fix the export") from None


def _no_dup_keys(pairs):
    out = dict(pairs)
    if len(out) != len(pairs):
        dup = _duplicates([k for k, _ in pairs])
        raise ValueError(f"the key '{dup[0]}' appears twice in one object; rename one of them")
    return out


def _read_jsonl(path: Path, where: str, info: Probe, *, chunksize: int | None, skip_bad: bool,
                dropped: list) -> Iterator[Raw]:
    records: list[dict] = []
    lines: list[int] = []
    encs: list[str] = []
    offset = 0

    def flush():
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        frame = frame.astype(object).where(frame.notna(), None)
        enc = encs[0] if len(set(encs)) <= 1 and encs else (np.asarray(encs, dtype=object) if encs else info.encoding)
        return Raw(frame, np.asarray(lines, dtype=np.int64), "line", np.asarray(lines, dtype=np.int64),
                   encoding=enc)

    if info.encoding is None:
        text, enc = decode_lines(read_all(path, where), where)
        source = io.StringIO(text)
        line_enc = enc if isinstance(enc, list) else None
        single = None if line_enc is not None else enc
    else:
        source = io.TextIOWrapper(open_binary(path), encoding=info.encoding)
        line_enc, single = None, info.encoding
    try:
        with source as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line, object_pairs_hook=_no_dup_keys)
                    _check_json_record(record, lineno, line)
                except (ValueError, RecursionError) as exc:
                    if not skip_bad:
                        raise CorpusError(
                            f"{where}, line {lineno}: not a valid JSON object ({exc}); fix the line or pass "
                            f"skip_bad=True (--skip-bad) to skip and count such records") from None
                    dropped.append((None, where, lineno, f"malformed record: {exc}"))
                    continue
                records.append(record)
                lines.append(lineno)
                encs.append(line_enc[lineno - 1] if line_enc is not None else single)
                if chunksize is not None and len(records) >= chunksize:
                    yield flush()
                    offset += len(records)
                    records, lines, encs = [], [], []
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{where}: not valid {single} ({exc.reason}); pass the right encoding= "
                          f"(--encoding)") from None
    if records or offset == 0:
        yield flush()


def _read_json(path: Path, where: str, info: Probe, *, chunksize: int | None, skip_bad: bool,
               dropped: list) -> Iterator[Raw]:
    """A .json file: a JSON array of objects (one per article), or JSON lines."""
    head = _head_text(path, info.encoding or "latin-1", where, 4096).lstrip("\ufeff \t\r\n")
    if not head.startswith("["):
        yield from _read_jsonl(path, where, info, chunksize=chunksize, skip_bad=skip_bad, dropped=dropped)
        return
    data = read_all(path, where)
    from framing.readers._io import decode_bytes

    text, enc = decode_bytes(data, where, info.encoding)
    try:
        items = json.loads(text, object_pairs_hook=_no_dup_keys)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise CorpusError(f"{where}{f', line {line}' if line else ''}: not valid JSON ({exc}); fix the file") from None
    records, rows = [], []
    for k, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            if not skip_bad:
                raise CorpusError(f"{where}, record {k}: expected a JSON object per article, found "
                                  f"{type(item).__name__}; fix it or pass skip_bad=True (--skip-bad)")
            dropped.append((None, where, None, f"malformed record {k}: not a JSON object"))
            continue
        records.append(item)
        rows.append(k)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None)
    rows = np.asarray(rows, dtype=np.int64)
    step = chunksize or max(len(frame), 1)
    for start in range(0, max(len(frame), 1), step):
        yield Raw(frame.iloc[start:start + step], rows[start:start + step], "record", encoding=enc)


def _parquet_value_error(where: str, col: str, typ) -> CorpusError:
    return CorpusError(f"{where}: column '{col}' is of Parquet type {typ}, not text; store it as a string "
                       f"column (UTF-8), e.g. df['{col}'] = df['{col}'].astype(str) before writing, or "
                       f"name another column with {col}_col=")


def _read_parquet(path: Path, where: str, *, chunksize: int | None, text_cols: tuple = ()) -> Iterator[Raw]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        dup = _duplicates(names)
        if dup:
            raise _dup_error(where, names, dup)
        for col in text_cols:
            if col in names:
                typ = pf.schema_arrow.field(col).type
                if not (pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_null(typ)
                        or getattr(pa.types, "is_string_view", lambda t: False)(typ)
                        or (pa.types.is_dictionary(typ) and pa.types.is_string(typ.value_type))):
                    raise _parquet_value_error(where, col, typ)
        batches = [pf.read()] if chunksize is None else pf.iter_batches(batch_size=chunksize)
        offset = 0
        for batch in batches:
            frame = batch.to_pandas()
            yield Raw(frame, np.arange(offset + 1, offset + len(frame) + 1), "row", encoding="parquet")
            offset += len(frame)
    except CorpusError:
        raise
    except (OSError, ValueError, pa.ArrowException, EOFError) as exc:
        if isinstance(exc, (PermissionError, IsADirectoryError)) or getattr(exc, "errno", None):
            raise read_error(exc, where) from None
        raise CorpusError(f"{where}: not a readable Parquet file ({exc}); re-export it (or pass skip_bad=True / "
                          f"--skip-bad to skip and list it)") from None


def read_table(path: Path, where: str, *, chunksize: int | None, skip_bad: bool, dropped: list,
               sep: str | None = None, encoding: str | None = None,
               text_cols: tuple = ()) -> tuple[str, str | None, Iterator[Raw]]:
    """(sha256, file encoding, chunks of raw records) of one table file.

    The file is hashed and its encoding checked first (one pass), so an unreadable, corrupt or
    undecodable file fails before any chunk is returned.
    """
    suffix = suffix_of(path.name)
    if suffix in (".parquet", ".pq"):
        from framing.readers._io import sha256_of

        return sha256_of(path, where), "parquet", _read_parquet(path, where, chunksize=chunksize, text_cols=text_cols)
    info = probe(path, where, encoding)
    if info.size == 0:
        raise CorpusError(f"{where}: the file is empty; it needs a header row and one row per article")
    if suffix in (".jsonl", ".ndjson"):
        chunks = _read_jsonl(path, where, info, chunksize=chunksize, skip_bad=skip_bad, dropped=dropped)
    elif suffix == ".json":
        chunks = _read_json(path, where, info, chunksize=chunksize, skip_bad=skip_bad, dropped=dropped)
    else:
        chunks = _read_csv(path, where, info, sep=sep, chunksize=chunksize, skip_bad=skip_bad, dropped=dropped)
    return info.sha256, info.encoding, chunks


def table_columns(path: Path, where: str, *, sep: str | None = None, encoding: str | None = None) -> list[str]:
    """The column names of a table file, read cheaply (header, schema, first record)."""
    dropped: list = []
    _, _, chunks = read_table(path, where, chunksize=1, skip_bad=True, dropped=dropped, sep=sep, encoding=encoding)
    first = next(iter(chunks), None)
    return [] if first is None else list(first.frame.columns)
