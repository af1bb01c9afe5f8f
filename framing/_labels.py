"""Names for people: the readable name of a side, shared by the charts and the report's captions."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["none_if_missing", "side_name"]


def none_if_missing(x):
    """None for None, NaN and pd.NA; anything else unchanged."""
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA else x


@lru_cache(maxsize=1)
def _builtin_side_names() -> dict:
    from framing.lexicon import list_lexicons, load_lexicon

    names = {}
    try:
        for name in list_lexicons()["name"]:
            names.update({k: v for k, v in load_lexicon(name).sides.items() if k not in names})
    except Exception:  # a broken built-in lexicon must not break a chart
        pass
    return names


def side_name(side, lex=None) -> str:
    """Human-readable name of a side, without its parenthesised examples."""
    side = none_if_missing(side)
    if side is None:
        return "no side"
    desc = (lex.sides.get(side) if lex is not None else None) or _builtin_side_names().get(side)
    if not desc:
        return str(side).replace("_", " ")
    return re.sub(r"\s*\([^)]*\)", "", desc).strip()
