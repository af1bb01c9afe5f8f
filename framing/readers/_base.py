"""The raw records a reader hands to framing.corpus: values as read, and where each record starts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Raw", "EXTRACTION_COLUMNS"]

# one row per article whose text was extracted from a page, an archive or an export (or flagged)
EXTRACTION_COLUMNS = ["doc_id", "source_file", "kind", "extractor", "page_words", "extracted_words",
                      "kept_words", "note", "flag"]  # flag: set by cleaning when unsure (framing.clean.FLAGS)


@dataclass
class Raw:
    """One chunk of records from one input file, before normalisation.

    ``rows`` number the records (1-based data rows of a table, lines of a JSONL file, documents of an
    export, records of an archive): they make the default ids and ``source_row``. ``lines`` are the
    physical lines where records start (None: same as ``rows``, or unknown); ``line_of`` computes a
    line on demand when reading did not track them (the fast CSV parser), for error messages only.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    unit: str = "line"  # how messages name a record: "line", "row", "record", "document"
    lines: np.ndarray | None = None
    line_of: Callable[[int], int | None] | None = None
    encoding: str | list | np.ndarray = "utf-8"
    source_file: str | list | None = None  # None: the input's own name
    sha256: str | list | None = None
    ids: list[str] | None = None  # the reader's default ids (pages: file names); None: "<prefix>-<row>"
    extraction: list[tuple] = field(default_factory=list)  # rows of EXTRACTION_COLUMNS without doc_id
    columns_fixed: dict = field(default_factory=dict)  # standard column -> the reader's own column

    def where(self, i: int, name: str) -> str:
        """``name, line 11`` (or row/record/document) for record ``i`` of this chunk."""
        if isinstance(self.source_file, (list, np.ndarray)) and self.unit != "line":
            name = str(self.source_file[i])
        if self.unit == "page":
            return name
        if self.unit == "line":
            line = None
            if self.lines is not None:
                line = int(self.lines[i])
            elif self.line_of is not None:
                line = self.line_of(int(self.rows[i]))
            if line is not None:
                return f"{name}, line {line}"
            return f"{name}, record {int(self.rows[i])}"
        return f"{name}, {self.unit} {int(self.rows[i])}"
