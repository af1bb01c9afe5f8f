"""Web archives (WARC, read with warcio): every HTML ``response`` record with status 200 is an article.

``url`` is the record's WARC-Target-URI; ``published`` is the page's own date, else the WARC-Date
(the capture time). Responses that are not HTML pages, or whose status is not 200, are skipped and
listed by ``dropped_documents``; request, metadata, warcinfo and revisit records hold no pages and
are not documents. Records are numbered in file order (1-based, every record counted), so
``source_row`` and the default ids ``<file>-<record>`` point back into the archive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from framing._errors import CorpusError
from framing.readers._base import Raw
from framing.readers._io import READ_ERRORS, decode_bytes, read_error, sha256_of

__all__ = ["read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.I)


def _charset(content_type: str | None) -> str | None:
    import codecs

    m = _CHARSET.search(content_type or "")
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None


def read_warc(path: Path, where: str, *, chunksize: int | None, sources: list, dropped: list, n_jobs: int,
              extract: Callable) -> Iterator[Raw]:
    """Raw chunks of the HTML pages in one WARC file (``extract`` extracts a list of (html, url))."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from framing.readers.html import declared_charset, extractor_version

    sha = sha256_of(path, where)
    sources.append((where, sha, "warc", "archive"))
    pending: list[tuple] = []  # (record number, url, warc date, html, encoding)

    def flush() -> Raw:
        results = extract([(html, url) for _, url, _, html, _ in pending], n_jobs)
        records, rows, encs, exts = [], [], [], []
        for (number, url, warc_date, _, enc), res in zip(pending, results, strict=True):
            if res["text"] is None:
                dropped.append((None, where, number, f"WARC record {number} ({url}): no article found on the page "
                                                     f"({res['page_words']} words on the page)"))
                continue
            records.append({"outlet": res["outlet"], "title": res["title"],
                            "published": res["published"] or warc_date, "url": url, "text": res["text"],
                            "capture_date": warc_date})
            rows.append(number)
            encs.append(enc)
            exts.append(("archive", f"{extractor_version()} ({res['settings']})", res["page_words"],
                         res["extracted_words"], None))
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(
            columns=["outlet", "title", "published", "url", "text", "capture_date"])
        frame = frame.astype(object).where(frame.notna(), None)
        return Raw(frame, np.asarray(rows, dtype=np.int64), "record", encoding=encs, sha256=sha, extraction=exts)

    number = 0
    flushed = False
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                number += 1
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                warc_date = record.rec_headers.get_header("WARC-Date")
                http = record.http_headers
                status = http.get_statuscode() if http is not None else None
                ctype = (http.get_header("Content-Type") if http is not None else None) or ""
                if status != "200":
                    dropped.append((None, where, number, f"WARC record {number} ({url}): HTTP status {status}, "
                                                         f"not a page"))
                    continue
                if ctype.split(";", 1)[0].strip().lower() not in _HTML_TYPES:
                    dropped.append((None, where, number, f"WARC record {number} ({url}): not an HTML page "
                                                         f"({ctype or 'no content type'})"))
                    continue
                data = record.content_stream().read()
                try:
                    html, enc = decode_bytes(data, f"{where}, record {number}", None,
                                             _charset(ctype) or declared_charset(data))
                except CorpusError as exc:
                    dropped.append((None, where, number, f"WARC record {number} ({url}): {exc}"))
                    continue
                pending.append((number, url, warc_date, html, enc))
                if chunksize is not None and len(pending) >= chunksize:
                    yield flush()
                    pending, flushed = [], True
    except ArchiveLoadFailed as exc:
        raise CorpusError(f"{where}, record {number + 1}: not a readable WARC record ({exc}); the archive is "
                          f"corrupt or not a WARC file (pass skip_bad=True / --skip-bad to skip and list it)") from None
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    if pending or not flushed:
        yield flush()
