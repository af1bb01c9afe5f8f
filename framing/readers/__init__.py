"""Readers: one module per input kind, each turning one file into raw records for framing.corpus.

The kinds, told apart by the file name (case-insensitive, after an optional ``.gz``, ``.bz2`` or
``.xz``)::

    table    .csv .tsv .jsonl .ndjson .json .parquet .pq     framing.readers.tables
    page     .html .htm .xhtml                               framing.readers.html
    archive  .warc                                           framing.readers.warc
    export   .docx, and .txt files that are Nexis exports    framing.readers.nexis
    text     .txt files listed in a metadata.csv             (read by framing.corpus)

The readers know nothing of the corpus table: they return raw values, where each record starts
and how each file was decoded; :mod:`framing.corpus` normalises, cleans, checks ids and keeps the
audit. Nothing here imports :mod:`framing.corpus`.
"""

from __future__ import annotations

__all__ = ["COMPRESSIONS", "KIND_SUFFIXES", "kind_of", "strip_suffixes"]

COMPRESSIONS = (".gz", ".bz2", ".xz")
KIND_SUFFIXES = {
    "table": (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"),
    "page": (".html", ".htm", ".xhtml"),
    "archive": (".warc",),
    "export": (".docx",),
    "text": (".txt",),
}
_UNCOMPRESSIBLE = (".parquet", ".pq", ".docx")  # binary containers: never gzipped around


def _split(name: str) -> tuple[str, str, str]:
    """(stem, kind suffix, compression suffix) of a file name, all lower-case suffixes."""
    lower = name.lower()
    comp = next((c for c in COMPRESSIONS if lower.endswith(c)), "")
    base = lower[: len(lower) - len(comp)]
    for suffixes in KIND_SUFFIXES.values():
        for suffix in suffixes:
            if base.endswith(suffix) and not (comp and suffix in _UNCOMPRESSIBLE):
                return name[: len(base) - len(suffix)], suffix, comp
    return name, "", comp


def kind_of(name: str) -> str | None:
    """The input kind of a file name (``table``, ``page``, ``archive``, ``export``, ``text``), or None.

    Examples
    --------
    >>> from framing.readers import kind_of
    >>> kind_of("a.CSV.gz"), kind_of("page.html"), kind_of("x.warc.gz"), kind_of("notes.md")
    ('table', 'page', 'archive', None)
    """
    suffix = _split(name)[1]
    return next((k for k, sx in KIND_SUFFIXES.items() if suffix in sx), None)


def strip_suffixes(name: str) -> str:
    """A file name without its kind and compression suffixes (``a.csv.gz`` -> ``a``).

    Examples
    --------
    >>> from framing.readers import strip_suffixes
    >>> strip_suffixes("articles.csv.gz"), strip_suffixes("0042.html"), strip_suffixes("notes.md")
    ('articles', '0042', 'notes.md')
    """
    return _split(name)[0]


def compression_of(name: str) -> str:
    """``.gz``, ``.bz2``, ``.xz`` or ``""``."""
    return _split(name)[2]


def suffix_of(name: str) -> str:
    """The kind suffix of a file name (``.csv``, ``.html``...), or ``""``."""
    return _split(name)[1]

