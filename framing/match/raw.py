"""The hits of a batch (or of a whole corpus) as arrays: what :func:`framing.match.scan.scan` returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Raw"]


@dataclass
class Raw:
    """Hits of a batch of segments as arrays (no context strings yet)."""

    seg: np.ndarray
    variant: np.ndarray
    start: np.ndarray
    end: np.ndarray
    voice: np.ndarray  # index into VOICES
    # (seg, variant, start, end, except variant, except start, except end, rule): matches an except
    # phrase consumed (rule -1), or hits a context rule removed (rule: its index; the word that
    # removed it, or -1, -1 for a `near` rule whose words were missing)
    excluded: list[tuple]
    strings: dict[str, list[str]] | None = None  # match, sentence, left, right (find_hits only)
    near_start: np.ndarray | None = None  # the word that satisfied the hit's first `near` rule (-1: none)
    near_end: np.ndarray | None = None
    entry: np.ndarray | None = None  # the matcher entry (pattern) of each hit
    pending: np.ndarray | None = None  # (hit, rule) of the article-scope rules, decided after the scan
