"""Nexis Uni / LexisNexis exports: the plain-text export and the ``.docx`` export, one article per document.

Plain text (``N of M DOCUMENTS`` before each document): the outlet line, the date line (edition
lines after it are left out), the headline, labelled lines (``BYLINE:``, ``SECTION:``, ``LENGTH:``,
``DATELINE:``...), the body, then trailing labels (``LOAD-DATE:``, ``LANGUAGE:``, ``GRAPHIC:``,
``PUBLICATION-TYPE:``...) and the copyright footer. ``.docx`` (Nexis Uni): a cover page, then per
document the headline, outlet, date line, an optional copyright line, labels (``Section:``,
``Length:``, ``Byline:``), ``Body``, the body, optional ``Classification`` labels, ``Load-Date:`` and
``End of Document``. The labels become columns (lower case, ``-`` as ``_``: ``byline``, ``section``,
``language``, ``load_date``...); only the body is text. Hard-wrapped lines of the plain-text export
are joined back into paragraphs, one paragraph per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from framing._errors import CorpusError
from framing.readers import suffix_of
from framing.readers._base import Raw
from framing.readers._io import decode_bytes, read_all, sha256_of

__all__ = ["read_export", "parse_text_export", "parse_docx_export"]

_SEPARATOR = re.compile(r"^\s*(\d+)\s+of\s+(\d+)\s+DOCUMENTS\s*$", re.I)
_LABEL = re.compile(r"^([A-Z][A-Z\-]+(?: [A-Z\-]+)?):\s?(.*)$")  # BYLINE: ..., LOAD-DATE: ...
_DOCX_LABEL = re.compile(r"^([A-Z][A-Za-z\-]+(?: [A-Za-z\-]+)?):\s*(.*)$")  # Byline: ..., Load-Date: ...
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(rf"(\b{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\b\d{{1,2}}\.?\s+{_MONTHS}\s+\d{{4}}|\b\d{{4}}-\d\d-\d\d)", re.I)
_HEADER_LABELS = {"byline", "section", "length", "dateline", "highlight", "edition", "version"}


def _column(label: str) -> str:
    return label.strip().lower().replace("-", "_").replace(" ", "_")


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Blank-line separated groups of stripped lines."""
    groups, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    return groups


def _labelled(groups: list[list[str]], pattern: re.Pattern) -> tuple[dict, list[list[str]]]:
    """Leading groups that are labels (``LABEL: value``, continued on the following lines)."""
    fields: dict = {}
    k = 0
    while k < len(groups):
        m = pattern.match(groups[k][0])
        if not m:
            break
        fields[_column(m.group(1))] = " ".join([m.group(2).strip(), *groups[k][1:]]).strip()
        k += 1
    return fields, groups[k:]


def parse_text_export(text: str) -> list[dict]:
    """Documents of a Nexis plain-text export: dicts with ``outlet, published, title, text``, the
    labels, and ``line`` (where the document's ``N of M DOCUMENTS`` line is).

    Examples
    --------
    >>> from framing.readers.nexis import parse_text_export
    >>> export = '''
    ...                1 of 1 DOCUMENTS
    ...
    ...                The Daily Example
    ...
    ...             March 13, 2022 Sunday
    ...
    ... Talks resume in Istanbul
    ...
    ... BYLINE: A. Reporter
    ...
    ... LENGTH: 12 words
    ...
    ... Delegations met on Sunday to discuss
    ... a ceasefire.
    ...
    ... LOAD-DATE: March 14, 2022
    ...
    ... LANGUAGE: ENGLISH
    ...
    ...              Copyright 2022 The Daily Example
    ... '''
    >>> doc = parse_text_export(export)[0]
    >>> doc["outlet"], doc["title"], doc["byline"], doc["language"], doc["text"]
    ('The Daily Example', 'Talks resume in Istanbul', 'A. Reporter', 'ENGLISH', 'Delegations met on Sunday to discuss a ceasefire.')
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if _SEPARATOR.match(line)]
    docs = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        body_lines = lines[start + 1:stop]
        groups = _paragraphs(body_lines)
        doc: dict = {"line": start + 1}
        if groups:
            doc["outlet"] = " ".join(groups[0])
            groups = groups[1:]
        if groups and _DATE.search(groups[0][0]):
            doc["published"] = groups[0][0]
            groups = groups[1:]
        title = []
        while groups and not _LABEL.match(groups[0][0]):
            title.append(" ".join(groups[0]))
            groups = groups[1:]
        doc["title"] = " ".join(title) or None
        fields, groups = _labelled(groups, _LABEL)
        doc.update(fields)
        body, trailer = [], []
        for g in groups:
            if trailer or (_LABEL.match(g[0]) and _column(_LABEL.match(g[0]).group(1)) not in _HEADER_LABELS):
                trailer.append(g)
            else:
                body.append(g)
        for g in trailer:
            m = _LABEL.match(g[0])
            if m:
                doc[_column(m.group(1))] = " ".join([m.group(2).strip(), *g[1:]]).strip()
        doc["text"] = "\n\n".join(" ".join(g) for g in body)
        docs.append(doc)
    return docs


def parse_docx_export(paragraphs: list[str]) -> list[dict]:
    """Documents of a Nexis Uni ``.docx`` export, from its paragraphs' text (see the module docstring)."""
    paras = [p.replace("\xa0", " ").strip() for p in paragraphs]
    ends = [i for i, p in enumerate(paras) if p == "End of Document"]
    docs = []
    start = 0
    for end in ends:
        block = paras[start:end]
        first_para = start
        start = end + 1
        if "Body" not in block:
            continue
        b = block.index("Body")
        header = [(first_para + i, p) for i, p in enumerate(block[:b]) if p]
        doc: dict = {}
        fields = {}
        k = len(header) - 1
        while k >= 0 and _DOCX_LABEL.match(header[k][1]) and not _DATE.fullmatch(header[k][1]):
            m = _DOCX_LABEL.match(header[k][1])
            fields[_column(m.group(1))] = m.group(2).strip()
            k -= 1
        while k >= 0 and header[k][1].lower().startswith("copyright"):
            doc["copyright"] = header[k][1]
            k -= 1
        if k >= 0 and _DATE.search(header[k][1]):
            doc["published"] = header[k][1]
            k -= 1
        if k >= 0:
            doc["outlet"] = header[k][1]
            k -= 1
        if k >= 0:
            doc["title"] = header[k][1]
            doc["line"] = header[k][0] + 1
        doc.setdefault("line", first_para + 1)
        doc.update(dict(reversed(list(fields.items()))))
        body, trailer = [], False
        for p in block[b + 1:]:
            if p == "Classification" or (_DOCX_LABEL.match(p) and len(p.split(":", 1)[0].split()) <= 2
                                          and _column(p.split(":", 1)[0]) in _TRAILER):
                trailer = True
            if trailer:
                m = _DOCX_LABEL.match(p)
                if m:
                    doc[_column(m.group(1))] = m.group(2).strip()
                continue
            body.append(p)
        doc["text"] = "\n".join(body).strip("\n")
        docs.append(doc)
    return docs


_TRAILER = {"load_date", "language", "publication_type", "journal_code", "subject", "organization", "person",
            "geographic", "industry", "company", "ticker", "graphic", "document_type", "notes", "url",
            "correction_date", "city", "state", "country"}


def read_export(path: Path, where: str, *, chunksize: int | None, sources: list,
                encoding: str | None = None) -> Iterator[Raw]:
    """Raw chunks of one export: one record per document (``source_row`` is the document number)."""
    sha = sha256_of(path, where)
    if suffix_of(path.name) == ".docx":
        import zipfile

        import docx

        try:
            paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise CorpusError(f"{where}: not a readable .docx file ({type(exc).__name__}: {exc}); framing reads "
                              f".docx files as Nexis Uni exports (pass skip_bad=True / --skip-bad to skip it)") from None
        docs = parse_docx_export(paragraphs)
        enc, unit, fmt = "docx", "document", "Nexis .docx export"
    else:
        text, enc = decode_bytes(read_all(path, where), where, encoding)
        docs = parse_text_export(text)
        unit, fmt = "document", "Nexis text export"
    if not docs:
        raise CorpusError(f"{where}: no documents found: framing reads this kind of file as a Nexis Uni / LexisNexis "
                          f"export ('N of M DOCUMENTS' separators, or 'Body' ... 'End of Document' in .docx); "
                          f"re-export it from Nexis, or move it out of the corpus folder")
    sources.append((where, sha, enc, "export"))
    lines = np.asarray([d.pop("line") for d in docs], dtype=np.int64)
    frame = pd.DataFrame.from_records(docs)
    for col in ("outlet", "published", "title", "text"):
        if col not in frame.columns:
            frame[col] = None
    frame = frame.astype(object).where(frame.notna(), None)
    rows = np.arange(1, len(frame) + 1)
    exts = [("export", fmt, None, len(re.findall(r"\w+", t or "")), None) for t in frame["text"]]
    step = chunksize or max(len(frame), 1)
    for s in range(0, len(frame), step):
        yield Raw(frame.iloc[s:s + step], rows[s:s + step], unit, lines[s:s + step] if unit == "line" else None,
                  encoding=enc, sha256=sha, extraction=exts[s:s + step])
