"""Stage 1, corpus: read article files into the corpus table (one row per article) and validate it.

What a path holds (one rule, used by :func:`load_corpus`, :func:`iter_corpus`, streaming counts and
the Dask path alike; :func:`corpus_files` lists it):

- A file is read by its kind, told from its name (see :mod:`framing.readers`): a table (CSV/TSV,
  JSONL/JSON, Parquet), a web page (HTML), a web archive (WARC), a Nexis export (``.docx``, or a
  ``.txt`` export), optionally compressed (``.gz``, ``.bz2``, ``.xz``).
- A folder is walked depth-first, a folder's files before its subfolders, names in order; symlinked
  folders are followed, each real folder once (a link back into the walk is listed, not followed).
  Names starting with ``.`` or ``_`` (hidden and system files) and files of no readable kind are not
  read; :func:`input_files` lists them with role ``ignored``.
- ``metadata.csv`` in a folder describes the ``.txt`` articles (required: one row each, column
  ``file``) and the web pages (optional: by ``file``, or by ``url``) of that folder; every other
  file there is read by its own kind.
- A file or folder that cannot be read is an error naming it; with ``skip_bad=True`` it is skipped
  and listed by :func:`dropped_documents`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framing._checks import check_column, check_groups, check_int
from framing._dates import DateError, DateReading, parse_dates
from framing._errors import CorpusError
from framing._words import n_words, n_words_arrow
from framing.clean import (
    CLEANING_LOG_COLUMNS,
    CLEANING_RULES,
    RepeatCounter,
    check_skip,
    clean_article,
)
from framing.readers import kind_of, strip_suffixes
from framing.readers._base import EXTRACTION_COLUMNS, Raw
from framing.readers._io import READ_ERRORS, display, read_error

__all__ = [
    "corpus_files",
    "load_corpus",
    "iter_corpus",
    "corpus_summary",
    "dropped_documents",
    "extraction_log",
    "input_files",
    "input_summary",
    "cleaning_log",
    "cleaning_summary",
    "cleaning_flagged",
    "stock_phrases",
    "CorpusError",
]

STANDARD_COLUMNS = ["outlet", "title", "published", "url", "text", "n_words"]
PROVENANCE_COLUMNS = ["source_file", "source_row", "source_sha256", "encoding"]
RESERVED_COLUMNS = ("n_words", "source_file", "source_row", "source_sha256", "encoding", "published_utc_offset")
DROPPED_COLUMNS = ["doc_id", "source_file", "line", "reason"]
SOURCE_COLUMNS = ["file", "sha256", "encoding", "role"]
DATE_COLUMNS = ("published", "date", "pubdate", "publish_date", "publication_date")
ID_COLUMNS = ("doc_id", "id", "stories_id")
OUTLET_ALIASES = ("media_name",)  # Media Cloud exports
MEDIA_CLOUD_COLUMNS = {"stories_id", "media_name", "media_url", "publish_date"}
SKIPPED_FILE = "file skipped: "  # dropped_documents reason of an input left out whole (skip_bad)
ROLE_KIND = {"articles": "table", "article": "text", "metadata": "text", "page": "page", "archive": "archive",
             "export": "export", "ignored": "ignored", "skipped": "skipped"}

_NEXIS = re.compile(rb"^\s*\d+\s+of\s+\d+\s+DOCUMENTS\s*$", re.M | re.I)


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
    """What loading did besides producing rows: removed lines, dropped records, input files, extraction.

    Stored in ``corpus.attrs["framing_audit"]`` as plain lists, so it survives ``to_parquet`` /
    ``read_parquet`` (pandas keeps ``attrs`` in the Parquet metadata); pandas operations share it
    instead of copying it. Read it through :func:`framing.cleaning_log`,
    :func:`framing.dropped_documents`, :func:`framing.input_files` and :func:`framing.extraction_log`.
    """

    def __init__(self, cleaning=None, dropped=None, sources=None, extraction=None):
        super().__init__(
            cleaning=self._rows(cleaning), dropped=self._rows(dropped), sources=self._rows(sources),
            extraction=self._rows(extraction))

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

    @property
    def extraction(self) -> pd.DataFrame:
        width = len(EXTRACTION_COLUMNS)  # rows saved before the flag column existed have one value less
        rows = [list(r) + [None] * (width - len(r)) for r in self.get("extraction", [])]
        return pd.DataFrame(rows, columns=EXTRACTION_COLUMNS)

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
        audit = CorpusAudit(audit.get("cleaning"), audit.get("dropped"), audit.get("sources"),
                            audit.get("extraction"))
    return audit


def dropped_documents(corpus: pd.DataFrame) -> pd.DataFrame:
    """Documents, records and files that loading dropped, with the reason.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`load_corpus`.

    Returns
    -------
    DataFrame
        Columns ``doc_id, source_file, line, reason``. Rows are: malformed or unusable records
        (skipped with ``skip_bad=True``; ``line`` is where the record starts in its file);
        articles empty after cleaning (dropped with ``drop_empty=True``); duplicate ``doc_id``\\ s
        after the first (``skip_bad=True``); web pages where no article was found; web-archive
        responses that are not HTML pages or not status 200; files and folders that could not be
        read (``skip_bad=True``; ``doc_id`` and ``line`` empty). Empty when nothing was dropped.

    Examples
    --------
    >>> from framing import load_corpus, dropped_documents
    >>> len(dropped_documents(load_corpus("data/seed")))
    0
    """
    return audit_of(corpus).dropped.copy()


def input_files(corpus: pd.DataFrame) -> pd.DataFrame:
    """The files a corpus was read from, with their sha256 and encoding, and the files left out.

    ``role`` is ``articles`` (a table), ``article`` (a ``.txt`` file), ``metadata``, ``page``,
    ``archive``, ``export``, or ``ignored`` (hidden, or of no readable kind: not read) and
    ``skipped`` (unreadable, left out with ``skip_bad=True``; the reason is in ``encoding``).

    Examples
    --------
    >>> from framing import load_corpus, input_files
    >>> input_files(load_corpus("data/seed"))[["file", "role"]]
                                   file     role
    0                 data/seed/README.md  ignored
    1  data/seed/000_cee673ca099f3711.txt  article
    2  data/seed/001_3f0004297d112331.txt  article
    3  data/seed/002_3bcc3b5630e43c4d.txt  article
    4  data/seed/003_a08c4a9378959592.txt  article
    5  data/seed/004_3291864899c34feb.txt  article
    6             data/seed/metadata.csv metadata
    """
    return audit_of(corpus).sources.copy()


def extraction_log(corpus: pd.DataFrame) -> pd.DataFrame:
    """How the text of each extracted or flagged article was obtained.

    One row per article whose text was extracted from a web page (or a page in a web archive, or an
    HTML column), or read from a Nexis export, and per article that loading flagged (a title and no
    body text: kept, so its title hits count). Columns ``doc_id, source_file, kind, extractor``
    (e.g. ``trafilatura 2.3.1 (favor_precision)``), ``page_words`` (words on the whole page),
    ``extracted_words`` (words the extractor kept), ``kept_words`` (after cleaning: ``n_words``)
    and ``note``.

    Examples
    --------
    >>> from framing import load_corpus, extraction_log
    >>> len(extraction_log(load_corpus("data/seed")))  # plain text: nothing extracted or flagged
    0
    """
    log = audit_of(corpus).extraction
    return log[log["doc_id"].isin(corpus.index)].reset_index(drop=True)


def input_summary(corpus: pd.DataFrame) -> pd.DataFrame:
    """Per input kind: files read, articles, articles extracted, records dropped, files left out.

    Examples
    --------
    >>> from framing import load_corpus, input_summary
    >>> input_summary(load_corpus("data/seed"))[["kind", "files", "articles", "dropped"]]
          kind  files  articles  dropped
    0     text      6         5        0
    1  ignored      1         0        0
    """
    audit = audit_of(corpus)
    sources = audit.sources
    kind_of_file = {f: ROLE_KIND.get(r, r) for f, r in zip(sources["file"], sources["role"], strict=True)}
    rows = []
    kinds = [k for k in dict.fromkeys(kind_of_file.values()) if k not in ("ignored", "skipped")]
    articles = corpus["source_file"].map(kind_of_file).value_counts() if len(corpus) else pd.Series(dtype=int)
    extracted = extraction_log(corpus)
    extracted = extracted[extracted["extractor"].notna()]
    dropped = audit.dropped
    dropped_kind = dropped["source_file"].map(kind_of_file)
    for k in kinds:
        rows.append({"kind": k, "files": sum(1 for v in kind_of_file.values() if v == k),
                     "articles": int(articles.get(k, 0)),
                     "extracted": int(extracted["kind"].eq(k).sum()),
                     "dropped": int(dropped_kind.eq(k).sum())})
    for k in ("skipped", "ignored"):
        n = sum(1 for v in kind_of_file.values() if v == k)
        if n:
            rows.append({"kind": k, "files": n, "articles": 0, "extracted": 0,
                         "dropped": int(dropped_kind.eq(k).sum())})
    return pd.DataFrame(rows, columns=["kind", "files", "articles", "extracted", "dropped"])


# ------------------------------------------------------------------------------------ the plan
@dataclass
class InputUnit:
    """One input: a table, an archive or an export file; a folder's pages; a metadata.csv and its files."""

    kind: str  # table | archive | export | pages | metadata
    path: Path  # the file; pages: their folder; metadata: the metadata.csv
    prefix: str = ""  # default ids "<prefix>-<row>" (tables, archives, exports)
    members: list = field(default_factory=list)  # pages / metadata: the files (Paths)
    ids: list = field(default_factory=list)  # the default id of each member

    def size(self) -> int:
        files = self.members if self.kind in ("pages", "metadata") else []
        paths = [self.path] if self.kind != "pages" else []
        total = 0
        for p in [*paths, *files]:
            try:
                total += p.stat().st_size
            except OSError:
                pass
        return total


@dataclass
class _Plan:
    units: list
    ignored: list  # (file, reason)
    skipped: list  # (file, reason): unreadable, left out with skip_bad


def _is_nexis_text(path: Path, where: str) -> bool:
    from framing.readers._io import open_binary

    try:
        with open_binary(path) as fh:
            head = fh.read(1 << 16)
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return bool(_NEXIS.search(head))


def _walk(folder: Path, visited: set, ignored: list, skipped: list, skip_bad: bool) -> Iterator[tuple[Path, list]]:
    """(folder, its files) depth-first, files before subfolders, names in order; links followed once."""
    where = display(folder)
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in visited:
            ignored.append((where, "a link to a folder that is already read (a loop or a second link): not read again"))
            return
        visited.add(key)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        err = CorpusError(f"{where}: cannot list this folder ({exc.strerror or exc}); check its permissions, or pass "
                          f"skip_bad=True (--skip-bad) to skip it and list it")
        if not skip_bad:
            raise err from None
        skipped.append((where, str(err)))
        return
    files, subfolders = [], []
    for e in entries:
        path = folder / e.name
        if e.name.startswith((".", "_")):
            ignored.append((display(path), "hidden or system name (starts with '.' or '_'): not read"))
            continue
        try:
            if e.is_dir():
                subfolders.append(path)
            elif e.is_file():
                files.append(path)
            else:
                ignored.append((display(path), "a broken link or a special file: not read"))
        except OSError as exc:
            ignored.append((display(path), f"cannot be examined ({exc.strerror or exc}): not read"))
    yield folder, files
    for sub in subfolders:
        yield from _walk(sub, visited, ignored, skipped, skip_bad)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def plan_inputs(source: Path, skip_bad: bool = False, page_batch: int | None = None) -> _Plan:
    """The inputs of ``source`` in reading order (the folder rule in the module docstring)."""
    ignored: list = []
    skipped: list = []
    entries: list[tuple[str, Path, Path | None]] = []  # (kind, path, metadata.csv of its folder or None)
    if source.is_file():
        root = source.parent
        folders = [(root, [source])]
    else:
        root = source
        folders = list(_walk(source, set(), ignored, skipped, skip_bad))
    for _folder, files in folders:
        meta = next((f for f in files if f.name.lower() == "metadata.csv"), None) if source.is_dir() else None
        if meta is not None:
            entries.append(("metadata", meta, None))
        for f in files:
            if f is meta:
                continue
            kind = kind_of(f.name)
            if kind is None:
                ignored.append((display(f), "not a kind framing reads (see 'Load your own corpus'): not read"))
                continue
            if kind == "text" and meta is None:
                try:
                    is_export = _is_nexis_text(f, display(f))
                except CorpusError as exc:
                    if not skip_bad:
                        raise
                    skipped.append((display(f), str(exc)))
                    continue
                if is_export:
                    kind = "export"
                else:
                    err = CorpusError(
                        f"{display(f)}: a .txt article needs a row in a metadata.csv beside it (columns file, "
                        f"outlet, ...), and this folder has none; add one, move the file out, or pass "
                        f"skip_bad=True (--skip-bad) to skip and list it")
                    if not skip_bad:
                        raise err
                    skipped.append((display(f), str(err)))
                    continue
            entries.append((kind, f, meta if kind in ("text", "page") else None))
    # default ids: the path relative to the root without suffixes, or with them where two collide
    bases = [strip_suffixes(_relative(p, root)) for k, p, _ in entries if k != "metadata"]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1

    def ident(p: Path) -> str:
        rel = _relative(p, root)
        base = strip_suffixes(rel)
        return rel if counts.get(base, 0) > 1 else base

    units: list[InputUnit] = []
    by_meta: dict[Path, InputUnit] = {}
    for kind, path, meta in entries:
        if kind == "metadata":
            unit = InputUnit("metadata", path)
            by_meta[path] = unit
            units.append(unit)
        elif meta is not None:
            by_meta[meta].members.append(path)
            by_meta[meta].ids.append(ident(path))
        elif kind == "page":
            last = units[-1] if units else None
            if last is None or last.kind != "pages" or last.path != path.parent or \
                    (page_batch and len(last.members) >= page_batch):
                last = InputUnit("pages", path.parent)
                units.append(last)
            last.members.append(path)
            last.ids.append(ident(path))
        else:
            units.append(InputUnit(kind, path, ident(path)))
    return _Plan(units, ignored, skipped)


def check_readable(source: str | Path, skip_bad: bool = False) -> None:
    """Every file the corpus holds opens and yields a first byte, else the one-line read error (unless
    ``skip_bad``: the reader skips and lists it). A cheap check before a long run such as the report."""
    plan = plan_inputs(Path(source), skip_bad=skip_bad)
    for unit in plan.units:
        for p in ([unit.path] if unit.kind != "pages" else []) + list(unit.members):
            try:
                with open(p, "rb") as fh:
                    fh.read(1)
            except READ_ERRORS as exc:
                if not skip_bad:
                    raise read_error(exc, display(p)) from None


def corpus_files(path: str | Path) -> list[Path]:
    """The files :func:`load_corpus` reads for ``path``, in the order it reads them.

    See the module docstring for the rule (the same for loading, streaming and the Dask path).
    Files that are not read (hidden, or of no readable kind) are left out; :func:`input_files`
    of the loaded corpus lists them with role ``ignored``.

    Examples
    --------
    >>> from framing.corpus import corpus_files
    >>> [p.name for p in corpus_files("data/seed")][:2]
    ['metadata.csv', '000_cee673ca099f3711.txt']
    >>> len(corpus_files("data/seed"))
    6
    """
    source = Path(path)
    if not source.exists():
        raise CorpusError(f"{path}: no such file or folder; check the path (relative paths start at {Path.cwd()})")
    plan = plan_inputs(source)
    out: list[Path] = []
    for unit in plan.units:
        if unit.kind == "pages":
            out.extend(unit.members)
        elif unit.kind == "metadata":
            out.append(unit.path)
            out.extend(unit.members)
        else:
            out.append(unit.path)
    return out


# ----------------------------------------------------------------------------------- normalising
@dataclass
class _Options:
    text_col: str = "text"
    outlet_col: str = "outlet"
    title_col: str = "title"
    date_col: str | None = None
    url_col: str = "url"
    id_col: str | None = None
    file_col: str = "file"
    html_col: str | None = None
    sep: str | None = None
    encoding: str | None = None
    dayfirst: bool | None = None
    clean: bool = True
    drop_empty: bool = False
    skip_bad: bool = False
    n_jobs: int = 1
    metadata: str | Path | None = None
    skip_rules: frozenset = frozenset()


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@dataclass
class _Columns:
    """Which input column gives each standard column (decided once per file)."""

    outlet: str
    text: str | None
    html: str | None
    title: str
    url: str
    date: str | None
    id: str | None


def _looks_like_media_cloud(columns) -> bool:
    return len(MEDIA_CLOUD_COLUMNS & set(columns)) >= 2


def _resolve(columns: list, opts: _Options, where: str, has_ids: bool) -> _Columns:
    cols = list(columns)
    outlet = opts.outlet_col
    if outlet not in cols and opts.outlet_col == "outlet":
        outlet = next((a for a in OUTLET_ALIASES if a in cols), outlet)
    if outlet not in cols:
        raise CorpusError(f"{where}: no column '{opts.outlet_col}' (the outlet column); the columns are {cols}; "
                          f"pass outlet_col= (command line: --outlet-col) to name the right one")
    html = opts.html_col
    text = opts.text_col if opts.text_col in cols else None
    if html is not None and html not in cols:
        raise CorpusError(f"{where}: no column '{html}' (html_col, --html-col); the columns are {cols}")
    if text is None and html is None:
        if _looks_like_media_cloud(cols):
            raise CorpusError(
                f"{where}: this is a Media Cloud export without article text (columns {cols}); save the pages "
                f"its 'url' column names (e.g. into pages/) and load them with the export as metadata: "
                f"load_corpus('pages/', metadata='{Path(where).name}') (command line: framing corpus pages/ "
                f"--metadata {Path(where).name}), which joins the rows on url")
        raise CorpusError(f"{where}: no column '{opts.text_col}' (the text column); the columns are {cols}; "
                          f"pass text_col= (--text-col) to name the right one, or html_col= (--html-col) for a "
                          f"column of HTML pages")
    if opts.date_col is not None:
        if opts.date_col not in cols:
            raise CorpusError(f"{where}: no column '{opts.date_col}' (date_col, --date-col); the columns are {cols}")
        date = opts.date_col
    else:
        date = next((c for c in DATE_COLUMNS if c in cols), None)
    if opts.id_col is not None:
        if opts.id_col not in cols:
            raise CorpusError(f"{where}: no column '{opts.id_col}' (id_col, --id-col); the columns are {cols}")
        ident = opts.id_col
    else:
        ident = None if has_ids else next((c for c in ID_COLUMNS if c in cols), None)
    used = {outlet, text, html, opts.title_col, opts.url_col, date, ident}
    reserved = [c for c in cols if c in RESERVED_COLUMNS and c not in used]
    saved = set(RESERVED_COLUMNS[:5]) <= set(cols)  # a corpus table saved from load_corpus: recomputed
    if reserved and not saved:
        c = reserved[0]
        raise CorpusError(
            f"{where}: the input has a column '{c}', a name load_corpus computes itself ({', '.join(RESERVED_COLUMNS)}); "
            f"rename it in the file (e.g. to '{c}_input'), or, for a corpus table saved from load_corpus, read it "
            f"back with pandas.read_parquet instead")
    return _Columns(outlet, text, html, opts.title_col, opts.url_col, date, ident)


class _Bad:
    """Records of a chunk that cannot be used: an error for the first, or skipped and listed (skip_bad)."""

    def __init__(self):
        self.reasons: dict[int, str] = {}

    def add(self, i: int, why: str) -> None:
        self.reasons.setdefault(int(i), why)


def _strings(values: pd.Series, name: str, col: str, bad: _Bad, required: bool) -> np.ndarray:
    """Values as Python str or None; non-text values (bytes, lists, numbers) are bad records."""
    arr = values.to_numpy(dtype=object, na_value=None) if isinstance(values.dtype, pd.StringDtype) else \
        values.to_numpy(dtype=object)
    if not arr.flags.writeable:
        arr = arr.copy()  # references only
    for i, v in enumerate(arr):
        if v is None or isinstance(v, str):
            continue
        if (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
            arr[i] = None
            continue
        kind = type(v).__name__
        hint = ("a binary column: store text as strings (UTF-8)" if isinstance(v, (bytes, bytearray)) else
                "a list or object, not text" if isinstance(v, (list, dict, tuple, np.ndarray)) else
                f"a {kind}, not text")
        bad.add(i, f"column '{col}' holds {v!r:.60} ({hint})")
    return arr


def _line_of(raw: Raw, i: int) -> int | None:
    if raw.lines is not None:
        return int(raw.lines[i])
    if raw.unit == "line" and raw.line_of is not None:
        return raw.line_of(int(raw.rows[i]))
    return int(raw.rows[i])


def _per_row(value, n: int) -> np.ndarray:
    if isinstance(value, (list, np.ndarray)):
        return np.asarray(value, dtype=object)
    return np.full(n, value, dtype=object)


_EXTRACTED_TEXT = "__framing_extracted_text"  # the text column of a table read with html_col and no text column


def _columns_of(raw: Raw, name: str, opts: _Options, state: dict) -> _Columns:
    cols = state.get("columns")
    if cols is None:
        cols = state["columns"] = _resolve([c for c in raw.frame.columns if c != _EXTRACTED_TEXT], opts, name,
                                           raw.ids is not None)
    if cols.text is None and _EXTRACTED_TEXT in raw.frame.columns:
        from dataclasses import replace

        return replace(cols, text=_EXTRACTED_TEXT)
    return cols


def _extract_html_col(raw: Raw, name: str, opts: _Options, state: dict) -> None:
    """A table with a column of raw HTML: extract each page into the text (and title) columns, once."""
    cols = _columns_of(raw, name, opts, state)
    if cols.html is None or getattr(raw, "_html_done", False):
        return
    from framing.readers.html import extractor_version

    frame = raw.frame
    n = len(frame)
    scratch = _Bad()
    htmls = _strings(frame[cols.html], name, cols.html, scratch, False)
    urls = (_strings(frame[cols.url], name, cols.url, scratch, False) if cols.url in frame.columns
            else np.full(n, None, dtype=object))
    texts = (list(frame[cols.text].astype(object).where(frame[cols.text].notna(), None))
             if cols.text in frame.columns else [None] * n)
    titles = (list(frame[cols.title].astype(object).where(frame[cols.title].notna(), None))
              if cols.title in frame.columns else [None] * n)
    results = _extract_many([(h if isinstance(h, str) else "", u if isinstance(u, str) else None)
                             for h, u in zip(htmls, urls, strict=True)], opts.n_jobs)
    exts = list(raw.extraction) + [None] * (n - len(raw.extraction))
    for i, res in enumerate(results):
        if texts[i] is None or not isinstance(texts[i], str) or not texts[i].strip():
            texts[i] = res["text"]
        if titles[i] is None:
            titles[i] = res["title"]
        exts[i] = ("html", f"{extractor_version()} ({res['settings'] or 'no article'})", res["page_words"],
                   res["extracted_words"], None)
    text_col = cols.text if cols.text is not None else _EXTRACTED_TEXT
    frame = frame.copy() if text_col not in frame.columns or cols.title not in frame.columns else frame
    frame[text_col] = pd.Series(texts, index=frame.index, dtype=object)
    frame[cols.title] = pd.Series(titles, index=frame.index, dtype=object)
    raw.frame = frame
    raw.extraction = exts
    raw._html_done = True


def _outlets_and_texts(raw: Raw, name: str, opts: _Options, state: dict) -> Iterator[tuple]:
    """(outlet, text) of every record of a chunk, as cleaning sees them (for the count of repeated lines).

    One record at a time: the texts of an Arrow column become Python strings a slice at a time, so the
    first pass of load_corpus never holds every text twice (Arrow and Python)."""
    cols = _columns_of(raw, name, opts, state)
    frame = raw.frame
    if cols.text not in frame.columns or cols.outlet not in frame.columns:
        return
    outlets = frame[cols.outlet].to_numpy(dtype=object)
    for o, t in zip(outlets, _values(frame[cols.text]), strict=True):
        yield (o.strip() if isinstance(o, str) else None, _normalise_newlines(t) if isinstance(t, str) else None)


_SLICE = 2_000  # texts turned into Python strings (or back into Arrow) at a time


def _arrow_backed(values: pd.Series):
    """The pyarrow ChunkedArray under a string column, or None (object columns hold Python objects)."""
    arr = values.array
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return getattr(arr, "_pa_array", None)
    return None


def _values(values: pd.Series) -> Iterator:
    """The values of a column as Python objects, one at a time (an Arrow string column a slice at a time)."""
    pa_arr = _arrow_backed(values)
    if pa_arr is None:
        yield from values.to_numpy(dtype=object)
        return
    for start in range(0, len(pa_arr), _SLICE):
        yield from pa_arr.slice(start, _SLICE).to_numpy(zero_copy_only=False)  # str or None, faster than to_pylist


def _drain(chunks: list) -> Iterator:
    """The strings of Arrow chunks as Python objects, a slice at a time, each chunk freed (and its memory
    handed back) once read: the raw and the cleaned texts are not both held whole."""
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        for start in range(0, len(chunk), _SLICE):
            yield from chunk.slice(start, _SLICE).to_numpy(zero_copy_only=False)
        del chunk
        _release_arrow_memory()


class _RawSlices:
    """The raw texts of a chunk as Arrow string arrays, ``take(n)`` the next ``n`` of them, each Arrow chunk
    let go once handed out (so the raw column is not held whole while the cleaned one is built)."""

    def __init__(self, chunks: list):
        self.chunks = list(reversed(chunks))
        self.head, self.pos = None, 0

    def take(self, n: int):
        import pyarrow as pa

        parts = []
        while n > 0:
            if self.head is None or self.pos == len(self.head):
                if self.head is not None:  # handed out whole: its memory goes back (as _drain does)
                    self.head = None
                    _release_arrow_memory()
                self.head, self.pos = self.chunks.pop(), 0
                continue
            k = min(n, len(self.head) - self.pos)
            parts.append(self.head.slice(self.pos, k))
            self.pos, n = self.pos + k, n - k
        arr = parts[0] if len(parts) == 1 else pa.concat_arrays(parts) if parts else pa.array([], pa.string())
        return arr if arr.type == pa.string() else arr.cast(pa.string())

    def close(self) -> None:
        self.head, self.chunks = None, []
        _release_arrow_memory()


class _TextColumn:
    """The cleaned texts, turned into an Arrow string array a slice at a time as they are added, with
    their word counts and emptiness: the Python strings of only one slice are alive at a time.

    With ``raw`` (the raw texts as Arrow, in the same order), a text added as ``same`` (cleaning left it
    as read) is copied from the raw UTF-8 bytes instead of encoded again from its Python string."""

    def __init__(self, raw: _RawSlices | None = None):
        import pyarrow as pa

        self.pool = pa.system_memory_pool()  # malloc: it reuses the memory each freed slice of Python strings leaves
        self.raw = raw
        self.pending: list[str] = []
        self.same: list[bool] = []
        self.parts: list = []
        self.n_words: list[np.ndarray] = []
        self.empty: list[np.ndarray] = []

    def add(self, text: str, same: bool = False) -> None:
        self.pending.append(text)
        self.same.append(same)
        if len(self.pending) >= _SLICE:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self.pending:
            return
        self.empty.append(np.array([not t or t.isspace() for t in self.pending], dtype=bool))
        if self.raw is None:
            part = pa.array(self.pending, type=pa.string(), memory_pool=self.pool)
        else:  # the unchanged texts' bytes from the raw array, the others encoded; always a new buffer
            changed = ~np.array(self.same, dtype=bool)
            new = pa.array([t for t, c in zip(self.pending, changed.tolist(), strict=True) if c], type=pa.string(),
                           memory_pool=self.pool)
            # (Arrow's default pool, which _release_arrow_memory hands back: less peak memory than malloc here)
            part = pc.replace_with_mask(self.raw.take(len(self.pending)), pa.array(changed), new)
        self.n_words.append(n_words_arrow(part))  # from the UTF-8 bytes just written: no second encoding
        self.parts.append(part)
        self.pending, self.same = [], []

    def finish(self) -> tuple:
        """(chunked Arrow array, words per text, empty per text)."""
        import pyarrow as pa

        self._flush()
        if self.raw is not None:
            self.raw.close()
            self.raw = None
        arr = pa.chunked_array(self.parts, type=pa.string())
        self.parts = []
        n_words = np.concatenate(self.n_words) if self.n_words else np.zeros(0, dtype=np.int64)
        empty = np.concatenate(self.empty) if self.empty else np.zeros(0, dtype=bool)
        return arr, n_words, empty


def _count_repeats(raws, opts: _Options, hold: int | None = None) -> tuple[dict, list | None]:
    """First pass over the chunks of one input: (the lines each outlet repeats (see framing.clean), the chunks).

    With ``hold`` (bytes), the chunks read are returned while together they take at most that much
    memory (None once they take more, or without ``hold``)."""
    counter = RepeatCounter()
    state: dict = {}
    held: list | None = [] if hold is not None else None
    size = 0
    for raw, name in raws:
        _extract_html_col(raw, name, opts, state)
        for o, t in _outlets_and_texts(raw, name, opts, state):
            counter.add(o, t)
        if held is not None:
            size += _raw_bytes(raw)
            if size <= hold:
                held.append((raw, name))
            else:
                held = None  # too large: the cleaning pass reads the input again
    return counter.repeated(), held


HOLD_BYTES = 96 * 2**20
"""Streaming: an input file whose raw records take at most this much memory is read once (its chunks
are held from the first pass, which counts the lines each outlet repeats, to the cleaning pass); a
larger file is read twice, so memory stays bounded by this and one chunk whatever the file's size."""


def _raw_bytes(raw: Raw) -> int:
    """Memory the values of a raw chunk take (Arrow buffers, or Python objects)."""
    frame = raw.frame
    return int(sum(frame[c].memory_usage(index=False, deep=frame[c].dtype == object) for c in frame.columns))


def _first_pass(unit: InputUnit, opts: _Options, chunksize: int, sources: list, dropped: list,
                external: tuple | None) -> tuple[Iterable, dict]:
    """Streaming: (the chunks to clean, the lines each outlet repeats in the input).

    The first pass reads the input and holds its chunks while they fit in :data:`HOLD_BYTES`: then
    they are cleaned from memory and the file is read once. A larger input is read again for the
    cleaning pass (what the first pass read is let go). A reading error ends the first pass with no
    repeated lines: the cleaning pass meets the error again and reports it (or skips the file).
    """
    first_sources: list = []
    first_dropped: list = []
    first = None if external is None else (external[0], external[1], external[2], set())
    try:
        repeats, held = _count_repeats(_read_unit(unit, opts, chunksize, first_sources, first_dropped, first), opts,
                                       HOLD_BYTES)
    except (CorpusError, *READ_ERRORS):
        return _read_unit(unit, opts, chunksize, sources, dropped, external), {}
    if held is None:
        return _read_unit(unit, opts, chunksize, sources, dropped, external), repeats
    sources.extend(first_sources)
    dropped.extend(first_dropped)
    if external is not None:
        external[3].update(first[3])
    return held, repeats


def _build(raw: Raw, *, name: str, prefix: str, opts: _Options, state: dict, sha, dropped: list,
           extraction: list, kind: str) -> tuple[pd.DataFrame, list]:
    """Turn a chunk of raw records into the corpus table; return it and its cleaning log."""
    _extract_html_col(raw, name, opts, state)
    frame = raw.frame
    n = len(frame)
    cols = _columns_of(raw, name, opts, state)
    bad = _Bad()
    if cols.id is not None and cols.id in frame.columns:
        ids_raw = frame[cols.id].to_numpy(dtype=object)
        doc_ids = []
        for i, v in enumerate(ids_raw):
            if v is None or v is pd.NA or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
                bad.add(i, f"no '{cols.id}' (every article needs an id)")
                doc_ids.append(None)
            elif isinstance(v, (list, dict, bytes, np.ndarray)):
                bad.add(i, f"column '{cols.id}' holds {v!r:.40}, not an id")
                doc_ids.append(None)
            else:
                doc_ids.append(str(int(v)) if isinstance(v, (float, np.floating)) and float(v).is_integer()
                               else str(v).strip())
    elif raw.ids is not None:
        doc_ids = list(raw.ids)
    else:
        doc_ids = [f"{prefix}-{r:06d}" for r in raw.rows]
    outlet = _strings(frame[cols.outlet], name, cols.outlet, bad, True)
    for i, v in enumerate(outlet):
        if v is None or (isinstance(v, str) and not v.strip()):
            bad.add(i, f"no '{cols.outlet}' (fill in the outlet of every article)")
    if cols.html is not None and cols.html in frame.columns:  # extracted before; a value that is no page is bad
        _strings(frame[cols.html], name, cols.html, bad, False)
    titles = (_strings(frame[cols.title], name, cols.title, bad, False) if cols.title in frame.columns
              else np.full(n, None, dtype=object))
    urls = (_strings(frame[cols.url], name, cols.url, bad, False) if cols.url in frame.columns
            else np.full(n, None, dtype=object))
    lazy = cols.text in frame.columns and _arrow_backed(frame[cols.text]) is not None
    raw_slices = None
    if lazy:  # strings only (Arrow): read a slice at a time in the cleaning loop, never all as Python strings;
        # the column leaves the frame, so each Arrow chunk is freed once its texts are read
        chunks = list(_arrow_backed(frame[cols.text]).chunks)
        import pyarrow as pa

        if all(c.type in (pa.string(), pa.large_string()) for c in chunks):
            raw_slices = _RawSlices(chunks)
        texts_in = _drain(chunks)
        del chunks
        raw.frame = frame = frame.drop(columns=[cols.text])
    else:
        texts_in = iter(_strings(frame[cols.text], name, cols.text, bad, False) if cols.text in frame.columns
                        else np.full(n, None, dtype=object))
        if cols.text in frame.columns:  # the raw text now lives in texts_in: free the reader's copy
            raw.frame = frame = frame.drop(columns=[cols.text])
            _release_arrow_memory()
    row_extraction: dict[int, list] = {}
    for i, ext in enumerate(raw.extraction):
        if ext is not None:
            row_extraction[i] = list(ext)[:5]
    published = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    offsets = None
    if cols.date is not None and cols.date in frame.columns:
        reading = state.setdefault("dates", DateReading(dayfirst=opts.dayfirst))
        values = frame[cols.date].reset_index(drop=True)
        while True:
            try:
                published, offsets = parse_dates(values, cols.date, reading)
                break
            except DateError as exc:
                if exc.index is None or not opts.skip_bad:
                    at = f"{raw.where(exc.index, name)}: " if exc.index is not None else f"{name}: "
                    hint = "" if exc.index is None else (
                        "; use ISO dates (2022-12-02), pass date_col= (--date-col) another column, or pass "
                        "skip_bad=True (--skip-bad) to skip and list such records")
                    raise CorpusError(f"{at}{exc}{hint}") from None
                bad.add(exc.index, str(exc))
                values = values.copy()
                values.iloc[exc.index] = None
    if bad.reasons:
        order = sorted(bad.reasons)
        if not opts.skip_bad:
            i = order[0]
            more = f" (and {len(order) - 1} more such records)" if len(order) > 1 else ""
            raise CorpusError(f"{raw.where(i, name)}: {bad.reasons[i]}{more}; fix the input, or pass skip_bad=True "
                              f"(--skip-bad) to skip and list such records")
        src = _per_row(raw.source_file if raw.source_file is not None else name, n)
        for i in order:
            dropped.append((doc_ids[i], src[i], _line_of(raw, i), f"unusable record: {bad.reasons[i]}"))
    keep = np.ones(n, dtype=bool)
    keep[list(bad.reasons)] = False
    column, logs = _TextColumn(raw_slices), []
    del raw_slices
    had_text = np.zeros(n, dtype=bool)
    repeats = state.get("repeats") or {}
    chrome_only = np.zeros(n, dtype=bool)
    for i in range(n):
        raw_text = next(texts_in)
        if not keep[i]:
            column.add("")
            continue
        had_text[i] = bool(raw_text)
        text = _normalise_newlines(raw_text or "")
        same = raw_text is not None and text is raw_text  # still the text as read (and as the raw array holds it)
        del raw_text  # one copy of each text at a time (memory)
        if opts.clean:
            title = titles[i]
            o = outlet[i]
            res = clean_article(text, title if isinstance(title, str) else None,
                                 repeats.get(o.strip()) if isinstance(o, str) and repeats else None, opts.skip_rules)
            same = same and (res.cleaned is text or res.cleaned == text)
            text = res.cleaned
            doc_id = doc_ids[i]
            logs.extend((doc_id, ln, t, r) for ln, t, r in res.removed)
            if res.flag is not None:
                ext = row_extraction.setdefault(i, [kind, None, None, None, None])
                ext[4] = f"{ext[4]}; {res.note}" if ext[4] else res.note
                ext.append(res.flag)
                chrome_only[i] = res.flag == "chrome_only"
        column.add(text, same)
        del text
    texts_in = None
    texts_arr, n_words_all, empty = column.finish()
    del column
    empty &= keep
    if opts.drop_empty and chrome_only.any():  # only page chrome left: dropped and listed, like empty ones
        src0 = _per_row(raw.source_file if raw.source_file is not None else name, n)
        for i in np.flatnonzero(chrome_only & keep):
            dropped.append((doc_ids[i], src0[i], _line_of(raw, i), "only page chrome left after cleaning "
                            f"({row_extraction[int(i)][4]})"))
            row_extraction.pop(int(i), None)
        keep &= ~chrome_only
    has_title = np.array([isinstance(t, str) and bool(t.strip()) for t in titles], dtype=bool)
    src = _per_row(raw.source_file if raw.source_file is not None else name, n)
    for i in np.flatnonzero(empty & has_title):  # a headline without a body: kept, flagged
        ext = row_extraction.setdefault(int(i), [kind, None, None, None, None])
        ext[4] = "title only: no body text" + (" after cleaning" if opts.clean and had_text[i] else "")
    lost = empty & ~has_title
    if lost.any():
        ids = [doc_ids[i] for i in np.flatnonzero(lost)]
        if not opts.drop_empty:
            i0 = int(np.flatnonzero(lost)[0])
            raise CorpusError(
                f"{raw.where(i0, name)}: {len(ids)} articles have no text{' after cleaning' if opts.clean else ''} "
                f"and no title: {ids[:10]}{' ...' if len(ids) > 10 else ''}; fix them, or pass drop_empty=True "
                f"(--drop-empty) to drop them (they are listed by framing.dropped_documents)")
        for i in np.flatnonzero(lost):
            dropped.append((doc_ids[i], src[i], _line_of(raw, i),
                            "empty after cleaning" if opts.clean else "empty text"))
        keep &= ~lost
    idx = np.flatnonzero(keep)
    out = pd.DataFrame(index=pd.Index([doc_ids[i] for i in idx], name="doc_id", dtype="str"))
    out["outlet"] = pd.array([outlet[i].strip() for i in idx], dtype="str")
    out["title"] = titles[idx]
    out["published"] = published.to_numpy()[idx]
    out["url"] = urls[idx]
    if len(idx) < n:
        import pyarrow as pa

        texts_arr = texts_arr.take(pa.array(idx, type=pa.int64()))
    out["text"] = pd.arrays.ArrowStringArray(texts_arr, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    del texts_arr
    out["n_words"] = n_words_all[idx]
    used = {cols.outlet, cols.text, cols.html, cols.title, cols.url, cols.date, cols.id}
    if offsets is not None:
        out["published_utc_offset"] = offsets.to_numpy()[idx]
    for col in frame.columns:
        if col not in used and col not in out.columns and col not in RESERVED_COLUMNS:
            out[col] = frame[col].to_numpy()[idx]
    out["source_file"] = src[idx] if isinstance(raw.source_file, (list, np.ndarray)) else (
        raw.source_file if raw.source_file is not None else name)
    out["source_row"] = np.asarray(raw.rows)[idx]
    shas = sha if raw.sha256 is None else raw.sha256
    out["source_sha256"] = _per_row(shas, n)[idx] if isinstance(shas, (list, np.ndarray)) else shas
    enc = raw.encoding
    out["encoding"] = _per_row(enc, n)[idx] if isinstance(enc, (list, np.ndarray)) else enc
    words = out["n_words"].to_numpy()
    position = {int(i): k for k, i in enumerate(idx)}
    for i, ext in sorted(row_extraction.items()):
        if i in position:
            k, ext_kind, extractor, page_words, extracted, note = position[i], *ext[:5]
            flag = ext[5] if len(ext) > 5 else None
            extraction.append((doc_ids[i], src[i], ext_kind, extractor, page_words, extracted, int(words[k]), note,
                               flag))
    return out, logs


def _release_arrow_memory() -> None:
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover
        pass


def _extract_many(pages: list[tuple[str, str | None]], n_jobs: int) -> list[dict]:
    """Extract HTML pages, in ``n_jobs`` processes when there are enough of them."""
    from framing.readers.html import extract_html

    if n_jobs == 1 or len(pages) < 8:
        return [extract_html(h, u) for h, u in pages]
    from concurrent.futures import ProcessPoolExecutor

    workers = os.cpu_count() if n_jobs in (-1, 0, None) else n_jobs
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_extract_one, pages, chunksize=max(1, len(pages) // (4 * workers))))


def _extract_one(item: tuple[str, str | None]) -> dict:
    from framing.readers.html import extract_html

    return extract_html(*item)


# ------------------------------------------------------------------------------------ ids
class _SeenIds:
    """Every doc_id read so far, as 8-byte hashes in a sorted array, with the file and row of each.

    16 bytes per article (streaming stays flat); 64-bit hashes make a false duplicate among ten
    million ids about a one-in-300,000 event.
    """

    def __init__(self):
        self.hashes = np.empty(0, dtype=np.uint64)
        self.loc = np.empty(0, dtype=np.int64)  # file index << 40 | row
        self.files: list[tuple[str, str]] = []  # (file, unit word)
        self.line_of: list = []  # per file: record number -> physical line (or None)
        self.index: dict[tuple[str, str], int] = {}

    def _place(self, loc: int) -> tuple[str, str]:
        i = loc >> 40
        file, unit = self.files[i]
        row = loc & ((1 << 40) - 1)
        if unit in ("page", "text"):
            return file, ""
        line = self.line_of[i](row) if unit == "line" and self.line_of[i] is not None else None
        return file, f"line {line}" if line is not None else f"{'record' if unit == 'line' else unit} {row}"

    def check(self, ids: pd.Index, files: np.ndarray, rows: np.ndarray, unit: str, line_of,
              skip_bad: bool) -> tuple[np.ndarray, dict]:
        """(mask of the ids to keep, {position: first place} of the duplicates dropped with skip_bad)."""
        values = ids.to_numpy(dtype=object)
        keep = np.ones(len(values), dtype=bool)
        firsts: dict[int, tuple[str, str]] = {}
        if not len(values):
            return keep, firsts
        h = pd.util.hash_array(values, categorize=False).astype(np.uint64)
        in_chunk = pd.Index(values).duplicated(keep="first")
        pos = np.minimum(np.searchsorted(self.hashes, h), max(len(self.hashes) - 1, 0))
        found = (self.hashes[pos] == h) if len(self.hashes) else np.zeros(len(h), dtype=bool)
        locs = np.asarray([self._loc(f, unit, r, line_of) for f, r in zip(files, rows, strict=True)], dtype=np.int64)
        for k in np.flatnonzero(found | in_chunk):
            if found[k]:
                first = self._place(int(self.loc[pos[k]]))
            else:
                j = int(np.flatnonzero(values == values[k])[0])
                first = self._place(int(locs[j]))
            if not skip_bad:
                here = self._place(int(locs[k]))
                a = f"{first[0]}, {first[1]}" if first[1] else first[0]
                b = f"{here[0]}, {here[1]}" if here[1] else here[0]
                raise CorpusError(
                    f"duplicate doc_id {values[k]!r}: {a} and {b}; every article needs a unique id: remove the "
                    f"copy, pass id_col= (--id-col) a unique column, or pass skip_bad=True (--skip-bad) to keep "
                    f"the first and list the others")
            keep[k] = False
            firsts[int(k)] = first
        hk, lk = h[keep], locs[keep]
        order = np.argsort(hk, kind="stable")
        hk, lk = hk[order], lk[order]
        at = np.searchsorted(self.hashes, hk)
        self.hashes = np.insert(self.hashes, at, hk)
        self.loc = np.insert(self.loc, at, lk)
        return keep, firsts

    def _loc(self, file, unit: str, row, line_of) -> int:
        key = (str(file), unit)
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.files)
            self.files.append(key)
            self.line_of.append(line_of)
        return (i << 40) | int(row)


# ----------------------------------------------------------------------------------- reading units
def _metadata_table(path: Path, opts: _Options, where: str) -> tuple[pd.DataFrame, np.ndarray, str, str]:
    """A metadata table read whole: (frame, its lines, sha256, encoding)."""
    from framing.readers.tables import read_table

    dropped: list = []
    sha, enc, chunks = read_table(path, where, chunksize=None, skip_bad=False, dropped=dropped, sep=opts.sep,
                                  encoding=opts.encoding)
    parts = list(chunks)
    frame = parts[0].frame if len(parts) == 1 else pd.concat([p.frame for p in parts])
    lines = []
    for part in parts:
        if part.lines is not None:
            lines.extend(int(x) for x in part.lines)
        elif part.line_of is not None:
            lines.extend(part.line_of(int(r)) or int(r) + 1 for r in part.rows)
        else:
            lines.extend(int(r) for r in part.rows)
    lines = np.asarray(lines, dtype=np.int64)
    return frame.reset_index(drop=True), lines, sha, enc or "mixed"


def _url_key(url) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    u = url.strip().split("#", 1)[0]
    u = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", u, flags=re.I)
    u = re.sub(r"^www\.", "", u, flags=re.I)
    host, _, rest = u.partition("/")
    return f"{host.lower()}/{rest.rstrip('/')}"


def _standard_names(meta: pd.DataFrame) -> pd.DataFrame:
    """Metadata columns under the names of the corpus table (Media Cloud's media_name -> outlet, a date
    column -> published), so that they win over what the page says."""
    renames = {}
    if "outlet" not in meta.columns:
        alias = next((a for a in OUTLET_ALIASES if a in meta.columns), None)
        if alias:
            renames[alias] = "outlet"
    if "published" not in meta.columns:
        date = next((c for c in DATE_COLUMNS if c in meta.columns), None)
        if date:
            renames[date] = "published"
    return meta.rename(columns=renames) if renames else meta


def _read_pages(unit: InputUnit, name_of, opts: _Options, chunksize: int | None, sources: list, dropped: list,
                meta: pd.DataFrame | None = None, meta_lines=None, meta_where: str | None = None,
                file_col: str = "file", pages_only: bool = True,
                used_rows: set | None = None) -> Iterator[tuple[Raw, str]]:
    """Web pages in chunks: extracted (in n_jobs processes), joined to metadata rows by file or url."""
    from framing.readers._io import decode_bytes, read_all, sha256_of
    from framing.readers.html import declared_charset, extractor_version

    members = [(p, i) for p, i in zip(unit.members, unit.ids, strict=True) if kind_of(p.name) == "page"]
    step = chunksize or max(len(members), 1)
    by_file, by_url = {}, {}
    if meta is not None:
        if file_col in meta.columns:
            for k, f in enumerate(meta[file_col]):
                if isinstance(f, str) and f.strip():
                    by_file[f.strip()] = k
        if "url" in meta.columns:
            for k, u in enumerate(meta["url"]):
                key = _url_key(u)
                if key:
                    by_url.setdefault(key, k)
    if meta is not None:
        meta = _standard_names(meta)
    used_rows = used_rows if used_rows is not None else set()
    for start in range(0, len(members), step):
        part = members[start:start + step]
        htmls, shas, encs, names = [], [], [], []
        for path, _ in part:
            where = name_of(path)
            data = read_all(path, where)
            text, enc = decode_bytes(data, where, opts.encoding, declared_charset(data))
            htmls.append(text)
            encs.append(enc)
            shas.append(sha256_of(path, where))
            names.append(where)
        rows_meta = [by_file.get(p.name, by_file.get(_relative(p, unit.path.parent), None)) if by_file else None
                     for p, _ in part]
        results = _extract_many([(h, None) for h in htmls], opts.n_jobs)
        records, rows, ids, files, sha_col, enc_col, exts = [], [], [], [], [], [], []
        for k, ((_path, doc_id), res) in enumerate(zip(part, results, strict=True)):
            sources.append((names[k], shas[k], encs[k], "page"))
            row = rows_meta[k]
            if row is None and by_url:
                row = by_url.get(_url_key(res["url"]))
            if res["text"] is None:
                dropped.append((doc_id, names[k], None,
                                f"no article found on the page ({res['page_words']} words on the page, "
                                f"{res['extracted_words']} in the main text)"))
                if row is not None:
                    used_rows.add(row)
                continue
            rec = {"outlet": res["outlet"], "title": res["title"], "published": res["published"],
                   "url": res["url"], "text": res["text"]}
            if row is not None:
                used_rows.add(row)
                for col, v in meta.iloc[row].items():
                    if col == file_col:
                        continue
                    if v is not None and not (isinstance(v, float) and v != v) and str(v).strip() != "":
                        rec[col] = v
            records.append(rec)
            rows.append(1)
            ids.append(doc_id)
            files.append(names[k])
            sha_col.append(shas[k])
            enc_col.append(encs[k])
            note = f"metadata row {int(meta_lines[row])}" if row is not None else res.get("note")
            exts.append(("page", f"{extractor_version()} ({res['settings']})", res["page_words"],
                         res["extracted_words"], note))
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(
            columns=["outlet", "title", "published", "url", "text"])
        frame = frame.astype(object).where(frame.notna(), None)
        yield Raw(frame, np.asarray(rows, dtype=np.int64), "page", None, encoding=enc_col, source_file=files,
                  sha256=sha_col, ids=ids, extraction=exts), "pages"
    if meta is not None and pages_only:
        unused = [k for k in range(len(meta)) if k not in used_rows and k not in set(by_file.values())]
        for k in unused:
            dropped.append((None, meta_where, int(meta_lines[k]),
                            f"metadata row for url {meta['url'].iloc[k] if 'url' in meta.columns else '?'}: no saved "
                            f"page in {display(unit.path)} has this url"))


def _read_metadata_unit(unit: InputUnit, opts: _Options, chunksize: int | None, sources: list,
                        dropped: list) -> Iterator[tuple[Raw, str]]:
    from framing.readers._io import decode_bytes, read_all, sha256_of

    where = display(unit.path)
    folder = unit.path.parent
    meta, meta_lines, meta_sha, meta_enc = _metadata_table(unit.path, opts, where)
    file_col = opts.file_col
    txt = [(p, i) for p, i in zip(unit.members, unit.ids, strict=True) if kind_of(p.name) == "text"]
    pages = [(p, i) for p, i in zip(unit.members, unit.ids, strict=True) if kind_of(p.name) == "page"]
    if txt and file_col not in meta.columns:
        raise CorpusError(f"{where}: no column '{file_col}' naming each article's file; the columns are "
                          f"{list(meta.columns)}")
    names = meta[file_col] if file_col in meta.columns else pd.Series([None] * len(meta), dtype=object)
    on_disk = {_relative(p, folder): p for p, _ in [*txt, *pages]}
    on_disk_ids = {_relative(p, folder): i for p, i in [*txt, *pages]}
    txt_rows, page_rows = [], []
    no_file = []
    for k, n in enumerate(names):
        n = n.strip() if isinstance(n, str) else None
        if not n:
            if not pages:
                no_file.append(int(meta_lines[k]))
            continue
        if kind_of(n) == "page":
            page_rows.append(k)
        else:
            txt_rows.append((k, n))
    if no_file:
        raise CorpusError(f"{where}: lines {no_file[:10]} have no file name in column '{file_col}'; fill them "
                          f"in or delete those rows")
    missing = [f"{n} (line {int(meta_lines[k])})" for k, n in txt_rows if n not in on_disk]
    missing += [f"{names[k].strip()} (line {int(meta_lines[k])})" for k in page_rows if names[k].strip() not in on_disk]
    if missing:
        raise CorpusError(f"{where}: rows name files that do not exist in {display(folder)}: "
                          f"{missing[:10]}; fix the names or add the files")
    listed = {n for _, n in txt_rows}
    unlisted = sorted(_relative(p, folder) for p, _ in txt if _relative(p, folder) not in listed)
    if unlisted:
        raise CorpusError(f"{where}: .txt files without a metadata row: {unlisted[:10]}; add a row "
                          f"for each (column '{file_col}') or move the files out of the folder")
    sources_txt = []
    if txt_rows:
        texts, encodings, shas, files, ids = [], [], [], [], []
        for _k, n in txt_rows:
            path = on_disk[n]
            name = display(path)
            data = read_all(path, name)
            text, enc = decode_bytes(data, name, opts.encoding)
            texts.append(text)
            encodings.append(enc)
            shas.append(sha256_of(path, name))
            files.append(name)
            ids.append(on_disk_ids[n])
            sources_txt.append((name, shas[-1], enc, "article"))
        frame = meta.iloc[[k for k, _ in txt_rows]].drop(columns=[file_col]).reset_index(drop=True)
        frame[opts.text_col if opts.html_col is None else opts.text_col] = texts
        lines = np.asarray([meta_lines[k] for k, _ in txt_rows], dtype=np.int64)
        id_col = opts.id_col if opts.id_col and opts.id_col in meta.columns else None
        raw = Raw(frame, lines, "line", lines, encoding=encodings, source_file=files, sha256=shas,
                  ids=None if id_col else ids)
        sources.extend(sources_txt)
        sources.append((where, meta_sha, meta_enc, "metadata"))
        yield raw, where
    else:
        sources.append((where, meta_sha, meta_enc, "metadata"))
    if pages:
        page_unit = InputUnit("pages", folder, members=[p for p, _ in pages], ids=[i for _, i in pages])
        page_meta = meta.drop(index=[k for k, _ in txt_rows]) if txt_rows else meta
        keep_lines = np.asarray([meta_lines[k] for k in page_meta.index], dtype=np.int64)
        page_meta = page_meta.reset_index(drop=True)
        yield from _read_pages(page_unit, display, opts, chunksize, sources, dropped, page_meta, keep_lines, where,
                               file_col)


def _read_unit(unit: InputUnit, opts: _Options, chunksize: int | None, sources: list, dropped: list,
               external: tuple | None) -> Iterator[tuple[Raw, str]]:
    """Raw chunks of one input, with the name its messages use; sources and dropped records are appended."""
    if unit.kind == "table":
        from framing.readers.tables import read_table

        where = display(unit.path)
        text_cols = tuple(c for c in (opts.text_col, opts.outlet_col, opts.title_col, opts.html_col) if c)
        sha, enc, chunks = read_table(unit.path, where, chunksize=chunksize, skip_bad=opts.skip_bad, dropped=dropped,
                                      sep=opts.sep, encoding=opts.encoding, text_cols=text_cols)
        first = True
        for raw in chunks:
            if first:
                file_enc = enc or (raw.encoding if isinstance(raw.encoding, str) else
                                   "mixed (" + ", ".join(sorted(set(map(str, raw.encoding)))) + ")")
                sources.append((where, sha, file_enc, "articles"))
                first = False
            yield raw, where
        return
    if unit.kind == "archive":
        from framing.readers.warc import read_warc

        where = display(unit.path)
        yield from ((raw, where) for raw in read_warc(unit.path, where, chunksize=chunksize, sources=sources,
                                                       dropped=dropped, n_jobs=opts.n_jobs, extract=_extract_many))
        return
    if unit.kind == "export":
        from framing.readers.nexis import read_export

        where = display(unit.path)
        yield from ((raw, where) for raw in read_export(unit.path, where, chunksize=chunksize, sources=sources,
                                                         encoding=opts.encoding))
        return
    if unit.kind == "pages":
        if external is not None:
            meta, lines, meta_where, used = external
            yield from _read_pages(unit, display, opts, chunksize, sources, dropped, meta, lines, meta_where,
                                   opts.file_col, pages_only=False, used_rows=used)
        else:
            yield from _read_pages(unit, display, opts, chunksize, sources, dropped)
        return
    if unit.kind == "metadata":
        yield from _read_metadata_unit(unit, opts, chunksize, sources, dropped)
        return
    raise CorpusError(f"{display(unit.path)}: unknown input kind {unit.kind!r}")  # pragma: no cover


_KIND_OF_UNIT = {"table": "table", "archive": "archive", "export": "export", "pages": "page", "metadata": "text"}


def _iter_units(units: list, plan_ignored: list, plan_skipped: list, opts: _Options, chunksize: int | None,
                seen: _SeenIds | None = None) -> Iterator[tuple[pd.DataFrame, CorpusAudit]]:
    """Read the units in order: normalise, clean, check ids across everything read; yield chunks and audits."""
    seen = seen if seen is not None else _SeenIds()
    pending_sources = [(f, None, why, "ignored") for f, why in plan_ignored]
    pending_sources += [(f, None, why, "skipped") for f, why in plan_skipped]
    pending_dropped = [(None, f, None, f"{SKIPPED_FILE}{why}") for f, why in plan_skipped]
    external = None
    if opts.metadata is not None:
        mpath = Path(opts.metadata)
        if not mpath.exists():
            raise CorpusError(f"{opts.metadata}: no such metadata file (metadata=, --metadata)")
        mwhere = display(mpath)
        meta, lines, msha, menc = _metadata_table(mpath, opts, mwhere)
        pending_sources.append((mwhere, msha, menc, "metadata"))
        external = (meta, lines, mwhere, set())
        if not any(u.kind == "pages" for u in units):
            raise CorpusError(f"{mwhere}: metadata= joins rows to saved web pages by url or file name, but the "
                              f"corpus has no web pages (.html/.htm/.xhtml)")
    yielded = False
    for unit in units:
        sources: list = []
        dropped: list = []
        extraction: list = []
        state: dict = {}
        prefix = unit.prefix
        reported_sources = reported_dropped = 0
        unit_yielded = False
        record_lines: dict = {}
        try:
            chunks = _read_unit(unit, opts, chunksize, sources, dropped, external)
            if opts.clean and "repeated_on_outlet" not in opts.skip_rules:
                # lines each outlet repeats, counted over the whole input before any of it is cleaned: in
                # memory from the chunks read, streaming from a first pass, so both clean alike
                if chunksize is None:
                    chunks = list(chunks)
                    state["repeats"], _ = _count_repeats(chunks, opts)
                else:
                    chunks, state["repeats"] = _first_pass(unit, opts, chunksize, sources, dropped, external)
            for raw, name in chunks:
                if unit.kind == "table" and raw.sha256 is None:
                    raw.sha256 = next((x[1] for x in sources if x[0] == name), None)
                out, logs = _build(raw, name=name, prefix=prefix, opts=opts, state=state, sha=None,
                                   dropped=dropped, extraction=extraction, kind=_KIND_OF_UNIT[unit.kind])
                if raw.line_of is None and raw.lines is not None and raw.unit == "line":
                    record_lines.update(zip(np.asarray(raw.rows).tolist(), np.asarray(raw.lines).tolist(), strict=True))
                    raw.line_of = record_lines.get
                if len(out):
                    word = "text" if unit.kind == "metadata" else raw.unit
                    keep, firsts = seen.check(out.index, out["source_file"].to_numpy(dtype=object),
                                              out["source_row"].to_numpy(), word, raw.line_of, opts.skip_bad)
                    if not keep.all():
                        for k, (file, place) in firsts.items():
                            row = int(out["source_row"].iloc[k])
                            line = raw.line_of(row) if raw.line_of is not None and raw.unit == "line" else row
                            dropped.append((out.index[k], out["source_file"].iloc[k], line,
                                            f"duplicate doc_id: the first is in {file}{', ' + place if place else ''}"))
                        out = out[keep]
                audit = CorpusAudit(logs, pending_dropped + dropped[reported_dropped:],
                                    pending_sources + sources[reported_sources:], extraction)
                extraction = []
                pending_dropped, pending_sources = [], []
                reported_sources, reported_dropped = len(sources), len(dropped)
                yielded = unit_yielded = True
                yield out, audit
        except (CorpusError, *READ_ERRORS) as exc:
            err = exc if isinstance(exc, CorpusError) else read_error(exc, display(unit.path))
            if not opts.skip_bad or unit_yielded:
                raise err from None
            where = display(unit.path)
            pending_sources.append((where, None, str(err), "skipped"))
            pending_dropped.append((None, where, None, f"{SKIPPED_FILE}{err}"))
            continue
        pending_dropped += dropped[reported_dropped:]
        pending_sources += sources[reported_sources:]
    if external is not None:  # rows of metadata= that describe no page read: listed, not lost
        meta, lines, mwhere, used = external
        for k in range(len(meta)):
            if k not in used:
                what = f"url {meta['url'].iloc[k]}" if "url" in meta.columns else f"file {meta.get(opts.file_col)}"
                pending_dropped.append((None, mwhere, int(lines[k]), f"metadata row for {what}: no page read has it"))
    if pending_dropped or pending_sources or not yielded:
        empty = _empty_corpus()
        yield empty, CorpusAudit([], pending_dropped, pending_sources, [])


def _empty_corpus() -> pd.DataFrame:
    out = pd.DataFrame(index=pd.Index([], name="doc_id", dtype="str"))
    for col in ("outlet", "title", "published", "url", "text", "n_words", *PROVENANCE_COLUMNS):
        out[col] = pd.Series([], dtype={"published": "datetime64[ns]", "n_words": "int64", "outlet": "str",
                                        "text": "str", "source_row": "int64"}.get(col, object))
    return out


def _iter(path, chunksize, opts: _Options) -> Iterator[tuple[pd.DataFrame, CorpusAudit]]:
    source = Path(path)
    if not source.exists():
        raise CorpusError(f"{path}: no such file or folder; check the path (relative paths start at "
                          f"{Path.cwd()})")
    _check_options(opts, chunksize)
    plan = plan_inputs(source, opts.skip_bad)
    if not plan.units and not plan.skipped:
        kinds = "tables (.csv .tsv .jsonl .json .parquet), web pages (.html .htm), web archives (.warc), " \
                "Nexis exports (.docx, .txt), or .txt articles with a metadata.csv"
        raise CorpusError(f"{display(source)}: no readable articles: the folder has no metadata.csv beside .txt "
                          f"files and none of {kinds}; see the README section 'Load your own corpus'")
    yield from _iter_units(plan.units, plan.ignored, plan.skipped, opts, chunksize)


def _check_options(opts: _Options, chunksize) -> None:
    check_int(chunksize, "chunksize (--chunksize)", low=1, allow_none=True, hint=" (articles per chunk)")
    if opts.sep is not None and (not isinstance(opts.sep, str) or len(opts.sep) != 1):
        raise CorpusError(f"sep= (--sep) must be one character such as ',' ';' or '\\t', got {opts.sep!r}")
    if opts.encoding is not None:
        import codecs

        try:
            codecs.lookup(opts.encoding)
        except LookupError:
            raise CorpusError(f"unknown encoding {opts.encoding!r} (encoding=, --encoding); use a Python codec "
                              f"name such as 'utf-8', 'cp1252', 'cp1251', 'utf-16'") from None
    check_int(opts.n_jobs, "n_jobs (--jobs)", low=-1, hint=" (processes; -1 or 0: one per core)")


def read_input(unit: InputUnit, *, chunksize: int | None, **kwargs) -> Iterator[pd.DataFrame]:
    """The chunks of one planned input, with their audits (the Dask path reads one input per task)."""
    kwargs["skip_rules"] = check_skip(kwargs.get("skip_rules"))
    opts = _Options(**kwargs)
    for frame, audit in _iter_units([unit], [], [], opts, chunksize):
        yield _attach(frame, audit)


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
    html_col: str | None = None,
    metadata: str | Path | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    clean: bool = True,
    drop_empty: bool = False,
    skip_bad: bool = False,
    n_jobs: int = 1,
    skip_rules: Iterable[str] | None = None,
) -> Iterator[pd.DataFrame]:
    """Read a corpus in chunks of at most ``chunksize`` articles, through the same loader as
    :func:`load_corpus`.

    Memory stays bounded by the chunk size, whatever the size of the input. Each chunk is a corpus
    table with its own audit (``cleaning_log(chunk)``, ``dropped_documents(chunk)``). ``doc_id``
    values are checked across every chunk and file (a duplicate is an error naming both places,
    or with ``skip_bad=True`` the later copies are dropped and listed). A chunk may be empty when
    it only carries the audit of dropped records or skipped files.

    Parameters
    ----------
    source : str or Path
        Anything :func:`load_corpus` reads.
    chunksize : int, default=10_000
        Articles per chunk (a folder's ``.txt`` articles with ``metadata.csv`` are one chunk).
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
    opts = _Options(text_col, outlet_col, title_col, date_col, url_col, id_col, file_col, html_col, sep,
                    encoding, dayfirst, clean, drop_empty, skip_bad, n_jobs, metadata, check_skip(skip_rules))
    for frame, audit in _iter(source, chunksize, opts):
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
    html_col: str | None = None,
    metadata: str | Path | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    clean: bool = True,
    drop_empty: bool = False,
    skip_bad: bool = False,
    n_jobs: int = 1,
    skip_rules: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read articles into the corpus table: one row per article, indexed by ``doc_id``.

    Parameters
    ----------
    path : str or Path
        A file or a folder (what a folder holds: see the README, "Load your own corpus"):
        tables (CSV/TSV, separator sniffed; JSONL/JSON; Parquet), web pages (``.html``, ``.htm``,
        ``.xhtml``: the article is extracted with trafilatura), web archives (``.warc``: every
        HTML response is an article), Nexis Uni / LexisNexis exports (``.docx``, ``.txt``), any of
        them gzipped (``.gz``, also ``.bz2``, ``.xz``), and folders of ``.txt`` articles with a
        ``metadata.csv`` beside them (column ``file`` names each article's file).
    text_col, outlet_col, title_col, url_col : str
        Names of those columns in the input. Without an ``outlet`` column, Media Cloud's
        ``media_name`` is used.
    date_col : str, optional
        The publication date column; by default the first of ``published``, ``date``,
        ``pubdate``, ``publish_date``, ``publication_date`` that exists. One reading per column:
        see ``dayfirst``.
    id_col : str, optional
        A column of unique article ids; by default ``doc_id``, ``id`` or ``stories_id`` when
        present, otherwise ``<file>-<row number>`` where ``<file>`` is the file's path relative to
        the folder read, without suffixes (with them where two files would give the same ids).
    file_col : str, default="file"
        The column of ``metadata.csv`` that names each ``.txt`` file (or web page).
    html_col : str, optional
        A table column of raw HTML pages: each is extracted like a saved page.
    metadata : str or Path, optional
        A table (e.g. a Media Cloud export) whose rows describe the web pages read, joined by
        ``file`` (the page's file name) or by ``url`` (the page's canonical URL): its values win.
    sep : str, optional
        The CSV separator; by default sniffed from the header (comma, semicolon, tab, ``|``).
    encoding : str, optional
        Force one encoding for every text file; by default UTF-8 (with or without BOM), UTF-16/32
        with a BOM, else detected (charset-normalizer), per line when a table mixes encodings.
    dayfirst : bool, optional
        How to read numeric dates such as ``01/03/2022``; by default decided from the whole column
        (an error when the column cannot tell).
    clean : bool, default=True
        Find the article in each text and remove the page chrome around it and the boilerplate in it
        (see :mod:`framing.clean` and :func:`framing.clean_text`); lines an outlet repeats in at least 3
        articles of one input are removed too unless they are prose sentences. Every removed line is
        listed by :func:`framing.cleaning_log`, every article's words before and after by
        :func:`framing.cleaning_summary`, the articles cleaning was unsure about by
        :func:`framing.cleaning_flagged`. ``False`` keeps the raw text.
    drop_empty : bool, default=False
        Drop articles with neither text (after cleaning) nor title, and articles left with only page
        chrome (flag ``chrome_only``), instead of raising or keeping them; they are listed by
        :func:`framing.dropped_documents`. An article with a title and no body is always kept (its
        title hits count) and flagged in :func:`framing.extraction_log`.
    skip_bad : bool, default=False
        Skip malformed or unusable records, duplicate ids after the first, and files that cannot be
        read, instead of raising; all are listed, with file and line, by
        :func:`framing.dropped_documents`.
    n_jobs : int, default=1
        Processes for extracting web pages (``-1``: one per core); tables ignore it.
    skip_rules : list of str, optional
        Cleaning rules not to apply (``framing.clean.CLEANING_RULES``: ``"repeated_on_outlet"``,
        ``"before_article"``, ``"after_article"``, ``"end_of_article"``, ``"headline"``, or a line rule
        such as ``"photo_caption"``); their lines are kept.

    Returns
    -------
    DataFrame
        Index ``doc_id`` (unique strings). Columns ``outlet``, ``title``, ``published``
        (datetime, NaT when unknown), ``url``, ``text`` (cleaned, line endings normalised to
        ``\\n``), ``n_words``, then any other metadata columns of the input (``published_utc_offset``
        when dates carried a time zone), then provenance: ``source_file``, ``source_row`` (line of
        ``metadata.csv``, data row of a CSV/Parquet file, line of a JSONL file, document of an
        export, record of an archive), ``source_sha256`` and ``encoding`` (``utf-8``,
        ``utf-8-sig``, ``utf-16``, ``cp1252``, ``cp1251``... per row).

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
    opts = _Options(text_col, outlet_col, title_col, date_col, url_col, id_col, file_col, html_col, sep,
                    encoding, dayfirst, clean, drop_empty, skip_bad, n_jobs, metadata, check_skip(skip_rules))
    frames, cleanings, droppeds, sources, extractions = [], [], [], [], []
    for frame, audit in _iter(path, None, opts):
        if len(frame):
            frames.append(frame)
        cleanings.append(audit["cleaning"])
        droppeds.append(audit["dropped"])
        sources.append(audit["sources"])
        extractions.append(audit["extraction"])
    if not frames:
        n = sum(len(d) for d in droppeds)
        first = next((d[0] for d in droppeds if d), None)
        why = f"; the first: {first[1]}{', line ' + str(first[2]) if first[2] else ''}: {first[3]}" if first else ""
        raise CorpusError(f"{display(Path(path))}: no articles left ({n} records or files dropped){why}; "
                          f"see `framing corpus --drop-empty --skip-bad` for the list")
    corpus = frames[0] if len(frames) == 1 else pd.concat(frames)
    audit = CorpusAudit([r for c in cleanings for r in c], [r for d in droppeds for r in d],
                        [r for x in sources for r in x], [r for x in extractions for r in x])
    return _attach(corpus, audit)


def check_corpus_columns(source, by: str, *, groups=None, load_kwargs: dict | None = None,
                         by_option: str = "--by", groups_option: str = "--groups",
                         doc_id: bool = True) -> list | None:
    """Read a corpus (any input kind, without cleaning) as far as needed to check ``by`` and ``groups``.

    ``by`` is checked on the first articles (the columns of every corpus table, ``doc_id``
    included); ``groups`` needs one pass over the whole corpus. Used before the slow part of a
    command starts (the report's kernel, a count's matcher or cluster), so ``--by`` a missing column
    or ``--groups NoSuch`` fail in a second with one line. ``doc_id``: whether the index may be the
    ``by`` column (counts group by columns only). Returns the columns, or None when the corpus has
    no articles.

    Lives with the corpus because it reads one (:func:`iter_corpus`); internal to the command line
    and the report.

    Examples
    --------
    >>> from framing.corpus import check_corpus_columns
    >>> check_corpus_columns("data/seed", "outlet", groups=["RT"])[:3]
    ['doc_id', 'outlet', 'title']
    >>> check_corpus_columns("data/seed", "country")
    Traceback (most recent call last):
    ...
    framing._errors.CorpusError: data/seed: no column 'country' in the corpus to group by (--by); the columns are [...]
    """
    kwargs = {**(load_kwargs or {}), "clean": False, "drop_empty": True}
    columns = None
    present: set = set()
    for chunk in iter_corpus(source, chunksize=2_000, **kwargs):
        if not len(chunk):
            continue
        if columns is None:
            columns = ["doc_id", *chunk.columns] if doc_id else list(chunk.columns)
            try:
                check_column(columns, by, option=by_option)
            except CorpusError as exc:
                raise CorpusError(f"{source}: {exc}") from None
            if not groups:
                break
        values = chunk.index if by == "doc_id" else chunk[by]
        present.update(str(v) for v in values.dropna().unique())
    if columns is not None and groups:
        check_groups([str(g) for g in groups], present, groups_option, by, where=str(source))
    return columns


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


# ------------------------------------------------------------------- the cleaning log readers
# They read the loading audit (corpus.attrs), so they live with the corpus; framing.clean only cleans text.
_DIGITS = re.compile(r"\d+")


def cleaning_log(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every line that cleaning removed from the articles of ``corpus``, with the rule that removed it.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`framing.load_corpus` (or a row subset of one).

    Returns
    -------
    DataFrame
        Columns ``doc_id, line_no, text, reason``: one row per removed non-blank line (or per removed
        segment of a long line with a link, which then has several rows with the same ``line_no``), for
        the articles still in ``corpus``; ``line_no`` is 1-based in the article's raw text (after line
        endings were normalised); ``reason`` is the rule (``framing.clean.CLEANING_RULES``). Empty when
        the corpus was loaded with ``clean=False``.

    Examples
    --------
    >>> from framing import load_corpus, cleaning_log
    >>> log = cleaning_log(load_corpus("data/seed"))
    >>> int((log["reason"] == "end_of_article").sum())
    23
    """
    log = audit_of(corpus).cleaning
    return log[log["doc_id"].isin(corpus.index)].reset_index(drop=True)


def _word_counts(texts: list) -> np.ndarray:
    return np.asarray(n_words(texts), dtype=np.int64) if len(texts) else np.zeros(0, dtype=np.int64)


def _flags(corpus: pd.DataFrame) -> pd.DataFrame:
    """doc_id -> flag, note of the articles cleaning flagged (from the extraction log)."""
    ext = extraction_log(corpus)
    ext = ext[ext["flag"].notna()]
    return ext.drop_duplicates("doc_id").set_index("doc_id")[["flag", "note"]]


def cleaning_summary(corpus: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """What cleaning did: per article (default) or per group, words before and after, words removed per rule.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`framing.load_corpus`.
    by : str, optional
        None: one row per article. A corpus column (``"outlet"``): one row per group.

    Returns
    -------
    DataFrame
        Per article: ``doc_id, outlet, words_before, words_after, share_removed, n_removed_lines``, then
        one column per rule that removed something with the words it removed, then ``flag`` (empty, or
        one of ``framing.clean.FLAGS``: ``kept_raw``, ``short``, ``chrome_only``, ``lost_prose``) and
        ``note``. Per group: ``group, n_articles, n_articles_cleaned`` (lost at least one line),
        ``n_flagged, n_removed_lines, words_before, words_after, share_removed``, then the words removed
        per rule. ``words_before - words_after`` is the sum of the rule columns.

    Examples
    --------
    >>> from framing import load_corpus, cleaning_summary
    >>> corpus = load_corpus("data/seed")
    >>> cleaning_summary(corpus).set_index("doc_id").loc["003_a08c4a9378959592", ["words_before", "headline"]]
    words_before    402
    headline          8
    Name: 003_a08c4a9378959592, dtype: int64
    >>> cleaning_summary(corpus, by="outlet").set_index("group").loc["RT", ["n_removed_lines", "headline"]]
    n_removed_lines    1
    headline           8
    Name: RT, dtype: int64
    """
    log = cleaning_log(corpus)
    words = pd.Series(_word_counts(log["text"].tolist()), index=log.index, dtype="int64")
    log = log.assign(words=words)
    order = [r for r in CLEANING_RULES if r in set(log["reason"])]
    per_reason = (log.pivot_table(index="doc_id", columns="reason", values="words", aggfunc="sum", fill_value=0)
                  .reindex(columns=order).reindex(corpus.index, fill_value=0).fillna(0).astype("int64"))
    per_reason.columns.name = None
    lines = log.groupby("doc_id").size().reindex(corpus.index, fill_value=0).astype("int64")
    after = corpus["n_words"].astype("int64")
    before = after + per_reason.sum(axis=1)
    flags = _flags(corpus).reindex(corpus.index)
    per_doc = pd.DataFrame({"outlet": corpus["outlet"], "words_before": before, "words_after": after,
                            "share_removed": (1 - after / before.where(before > 0)).fillna(0.0).round(4),
                            "n_removed_lines": lines})
    per_doc = per_doc.join(per_reason)
    per_doc["flag"] = flags["flag"].fillna("")
    per_doc["note"] = flags["note"].where(flags["flag"].notna(), "")
    if by is None:
        per_doc.index.name = "doc_id"
        return per_doc.reset_index()
    if by not in corpus.columns:
        raise CorpusError(f"no column '{by}' to group by; the columns are {list(corpus.columns)}")
    from framing._groups import group_labels

    g = per_doc.assign(group=np.asarray(group_labels(corpus[by]), dtype=object))
    grouped = g.groupby("group", sort=True, observed=True)
    out = pd.DataFrame({"n_articles": grouped.size(),
                        "n_articles_cleaned": grouped["n_removed_lines"].apply(lambda x: int((x > 0).sum())),
                        "n_flagged": grouped["flag"].apply(lambda x: int((x != "").sum())),
                        "n_removed_lines": grouped["n_removed_lines"].sum(),
                        "words_before": grouped["words_before"].sum(),
                        "words_after": grouped["words_after"].sum()})
    out["share_removed"] = (1 - out["words_after"] / out["words_before"].where(out["words_before"] > 0)).fillna(0.0)
    out = out.join(grouped[order].sum()) if order else out
    for col in out.columns:
        if col != "share_removed":
            out[col] = out[col].astype("int64")
    out["share_removed"] = out["share_removed"].round(4)
    out.index.name = "group"
    return out.reset_index()


def cleaning_flagged(corpus: pd.DataFrame) -> pd.DataFrame:
    """The articles cleaning was unsure about: what to look at before trusting their counts.

    Returns
    -------
    DataFrame
        One row per flagged article: ``doc_id, outlet, source_file, flag, words_before, words_after,
        note``. The flags (``framing.clean.FLAGS``): ``kept_raw`` (cleaning would have kept under 40
        words of a text with a story in it: the raw text was kept), ``chrome_only`` (only labels, menu
        items or links are left; ``drop_empty=True`` drops such articles), ``short`` (under 40 words
        left), ``lost_prose`` (cleaning removed more prose than it kept). Empty when nothing is flagged.

    Examples
    --------
    >>> from framing import load_corpus, cleaning_flagged
    >>> len(cleaning_flagged(load_corpus("data/seed")))
    0
    """
    summary = cleaning_summary(corpus)
    flagged = summary[summary["flag"] != ""]
    src = corpus["source_file"].reindex(flagged["doc_id"]).to_numpy() if len(flagged) else []
    out = flagged.assign(source_file=src)[["doc_id", "outlet", "source_file", "flag", "words_before",
                                           "words_after", "note"]]
    return out.reset_index(drop=True)


_SENTENCE = re.compile(r"[^.!?…。！？\n]*[^\s.!?…。！？\n][^.!?…。！？\n]*[.!?…。！？]+[\"'’”»)\]]*")


def stock_phrases(corpus: pd.DataFrame, by: str = "outlet", min_docs: int = 3, max_examples: int = 3) -> pd.DataFrame:
    """Lines and sentences a group repeats across its articles: what cleaning removed as repeated, and
    the prose sentences it kept.

    A prose sentence an outlet repeats ("Russia calls its actions a 'special military operation'") is
    framing and stays in the text; a repeated line that is not prose (a menu, a promo with a link, a
    credit) was removed with reason ``repeated_on_outlet``. Both are listed, so a user can see what
    was removed and keep it (``skip_rules=["repeated_on_outlet"]``). Articles count once per distinct
    text (copies of one article are not repetition).

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`framing.load_corpus`.
    by : str, default="outlet"
        The corpus column to group by.
    min_docs : int, default=3
        Distinct articles of the group a sentence must appear in (the same threshold as cleaning's).
    max_examples : int, default=3
        doc_ids given as examples.

    Returns
    -------
    DataFrame
        ``group, text, n_docs, status`` (``kept: prose sentence`` or ``removed: repeated_on_outlet``),
        ``example_doc_ids`` (comma-separated); sorted by group, then most articles first.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing import load_corpus, stock_phrases
    >>> stock_phrases(load_corpus("data/seed")).empty   # five outlets, one article each
    True
    """
    from framing._groups import group_labels

    if by not in corpus.columns:
        raise CorpusError(f"no column '{by}' to group by; the columns are {list(corpus.columns)}")
    groups = pd.Series(group_labels(corpus[by]), index=corpus.index)
    rows: dict[tuple, dict] = {}
    seen: set = set()
    for doc_id, group, text in zip(corpus.index, groups, corpus["text"], strict=True):
        if not isinstance(text, str) or (group, hash(text)) in seen:
            continue
        seen.add((group, hash(text)))
        found = set()
        for m in _SENTENCE.finditer(text):
            s = m.group().strip()
            if len(s) < 20 or len(s) > 600:
                continue
            key = (group, _DIGITS.sub("0", " ".join(s.split())))
            if key in found:
                continue
            found.add(key)
            row = rows.setdefault(key, {"text": s, "docs": []})
            row["docs"].append(doc_id)
    out = [{"group": g, "text": r["text"], "n_docs": len(r["docs"]), "status": "kept: prose sentence",
            "example_doc_ids": ", ".join(map(str, r["docs"][:max_examples]))}
           for (g, _), r in rows.items() if len(r["docs"]) >= min_docs]
    try:
        log = cleaning_log(corpus)
    except Exception:  # a table without the loading audit: kept sentences only
        log = pd.DataFrame(columns=CLEANING_LOG_COLUMNS)
    rep = log[log["reason"] == "repeated_on_outlet"]
    if len(rep):
        rep = rep.assign(group=groups.reindex(rep["doc_id"]).to_numpy(),
                         key=[_DIGITS.sub("0", " ".join(str(t).split())) for t in rep["text"]])
        for (g, _), part in rep.groupby(["group", "key"], sort=False):
            docs = list(dict.fromkeys(part["doc_id"]))
            out.append({"group": g, "text": part["text"].iloc[0], "n_docs": len(docs),
                        "status": "removed: repeated_on_outlet",
                        "example_doc_ids": ", ".join(map(str, docs[:max_examples]))})
    table = pd.DataFrame(out, columns=["group", "text", "n_docs", "status", "example_doc_ids"])
    return table.sort_values(["group", "n_docs", "text"], ascending=[True, False, True]).reset_index(drop=True)
