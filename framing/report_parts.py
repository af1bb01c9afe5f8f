"""Pieces of the outlet report that its notebook calls: group columns, texts, tables, figures, samples.

The report notebook (``framing/templates/outlet_report.ipynb``) holds no function definitions; what it
needs beyond framing's statistics and charts lives here, documented and tested like the rest.
"""

from __future__ import annotations

import pandas as pd

from framing._errors import FramingError
from framing._groups import group_labels

__all__ = ["with_groups"]


def with_groups(hits: pd.DataFrame, corpus: pd.DataFrame, by: str) -> pd.DataFrame:
    """The hits with the corpus column ``by`` (each hit's article's group), for any corpus column.

    :func:`framing.find_hits` carries ``outlet`` and ``published``; a report by another column
    (``--by country``, a metadata column) takes each hit's group from its article. Empty values
    become ``"(missing)"``, as in every table of framing.

    Examples
    --------
    >>> from framing import load_corpus, find_hits
    >>> from framing.report_parts import with_groups
    >>> corpus = load_corpus("data/seed")
    >>> hits = with_groups(find_hits(corpus), corpus, "outlet_country")
    >>> sorted(hits["outlet_country"].unique())
    ['Ireland', 'Russia', 'United Arab Emirates', 'United Kingdom', 'United States']
    """
    if by not in corpus.columns and by != "doc_id":
        raise FramingError(f"no column '{by}' in the corpus to group by; the columns are {list(corpus.columns)}")
    if by == "doc_id":
        return hits
    labels = group_labels(corpus[by])
    return hits.assign(**{by: labels.reindex(hits["doc_id"]).to_numpy()})
