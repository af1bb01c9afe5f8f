"""The one rule for missing group values: articles whose ``by`` value is empty form the group "(missing)".

A ``by`` column (``outlet``, ``country``, any metadata column) can be empty for some articles: NaN,
None, an empty string or only spaces. Such articles are never dropped: every table that groups
articles (``corpus_summary``, ``count_hits``, ``variant_shares``, ``lean``, ``trend``, ...) puts them
in one explicit group named ``"(missing)"``, so the groups always add up to the corpus.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MISSING_GROUP = "(missing)"


def missing_mask(values) -> np.ndarray:
    """True where a group value is missing (NaN, None, or a string of nothing but spaces)."""
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    blank = np.zeros(len(s), dtype=bool)
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        as_str = s.astype(object)
        blank = np.fromiter((isinstance(v, str) and not v.strip() for v in as_str), dtype=bool, count=len(s))
    return s.isna().to_numpy() | blank


def group_labels(values) -> pd.Series | np.ndarray:
    """The group of each value, missing ones as ``"(missing)"`` (a Series for a Series, else an array).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing._groups import group_labels
    >>> group_labels(pd.Series(["RT", None, " ", "BBC"])).tolist()
    ['RT', '(missing)', '(missing)', 'BBC']
    """
    if isinstance(values, pd.Series):
        mask = missing_mask(values)
        if not mask.any():
            return values
        return values.astype(object).where(~mask, MISSING_GROUP)
    arr = np.asarray(values, dtype=object)
    mask = missing_mask(arr)
    if not mask.any():
        return np.asarray(values)
    out = arr.copy()
    out[mask] = MISSING_GROUP
    return out
