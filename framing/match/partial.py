"""Counts of some articles that add up: the one counting path of :func:`framing.count_hits`.

A chunk of articles (in memory, one chunk of a stream, one task on a Dask worker) becomes a
:class:`PartialCounts` from the raw codes of its hits (group, variant, voice and article of each hit)
and the groups of its articles; partial counts add (``a + b``: an article lies in one chunk only, so
the articles with a hit add up too), and :meth:`PartialCounts.finish` turns the sum into the tidy
table, ordered by group, lexicon order and voice. In-memory, streaming and Dask counts all take
this path, so they are identical by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.voice import VOICES

__all__ = ["PartialCounts", "COUNT_COLUMNS"]

COUNT_COLUMNS = ["group", "contrast", "variant", "side", "voice", "n_hits", "n_docs"]
_N_VOICES = len(VOICES)


def _empty_labels() -> np.ndarray:
    return np.zeros(0, dtype=object)


@dataclass
class PartialCounts:
    """Hits and articles with a hit per (group, variant, voice), and articles per group.

    ``group``: the group label of each cell (the values of the ``by`` column, missing ones as
    ``"(missing)"``); ``variant``: the variant's index in the lexicon (``CompiledLexicon.variants``);
    ``voice``: the index in :data:`framing.voice.VOICES`; ``n_hits``, ``n_docs``: the counts of the
    cell. ``docs``: articles per group (every article, with or without a hit).

    Examples
    --------
    >>> import numpy as np
    >>> from framing.match.partial import PartialCounts
    >>> a = PartialCounts.from_codes(np.array(["RT", "RT", "BBC"], dtype=object), np.array([0, 0, 1]),
    ...                              np.array([0, 0, 1]), np.array([0, 1, 2]),
    ...                              articles=np.array(["RT", "RT", "BBC"], dtype=object))
    >>> b = PartialCounts.from_codes(np.array(["RT"], dtype=object), np.array([0]), np.array([0]),
    ...                              np.array([0]), articles=np.array(["RT"], dtype=object))
    >>> total = a + b
    >>> total.n_hits.tolist(), total.n_docs.tolist(), total.docs
    ([3, 1], [3, 1], {'RT': 3, 'BBC': 1})
    """

    group: np.ndarray = field(default_factory=_empty_labels)
    variant: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    voice: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    n_hits: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    n_docs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    docs: dict = field(default_factory=dict)

    @classmethod
    def from_codes(cls, group: np.ndarray, variant: np.ndarray, voice: np.ndarray, doc: np.ndarray, *,
                   articles: np.ndarray | None = None, voices: Sequence[int] | None = None) -> PartialCounts:
        """The counts of one chunk from the codes of its hits.

        ``group``, ``variant``, ``voice``, ``doc``: per hit, its article's group label, its
        variant and voice indices and an integer code of its article; ``articles``: the group
        label of every article of the chunk (for ``docs``); ``voices``: count only these voice
        indices (None: all).
        """
        group, variant, voice, doc = (np.asarray(x) for x in (group, variant, voice, doc))
        if voices is not None:
            keep = np.isin(voice, list(voices))
            group, variant, voice, doc = group[keep], variant[keep], voice[keep], doc[keep]
        docs: dict = {}
        if articles is not None and len(articles):
            for g, n in pd.Series(articles).value_counts(dropna=False).items():
                docs[g] = int(n)
        if not len(group):
            return cls(docs=docs)
        codes, labels = pd.factorize(group, sort=False, use_na_sentinel=False)
        n_variants = int(variant.max()) + 1
        cell = (codes.astype(np.int64) * n_variants + variant.astype(np.int64)) * _N_VOICES + voice.astype(np.int64)
        keys, first, n_hits = np.unique(cell, return_index=True, return_counts=True)
        doc = doc.astype(np.int64)
        pairs = np.unique(cell * (int(doc.max()) + 1) + doc) // (int(doc.max()) + 1)  # distinct (cell, article)
        n_docs = np.bincount(np.searchsorted(keys, pairs), minlength=len(keys))
        return cls(group[first], variant[first].astype(np.int64), voice[first].astype(np.int64),
                   n_hits.astype(np.int64), n_docs.astype(np.int64), docs)

    def __add__(self, other: PartialCounts) -> PartialCounts:
        return PartialCounts.total([self, other])

    @staticmethod
    def total(parts: Sequence[PartialCounts | None]) -> PartialCounts:
        """The sum of partial counts (None: nothing)."""
        parts = [p for p in parts if p is not None]
        docs: dict = {}
        for p in parts:
            for g, n in p.docs.items():
                docs[g] = docs.get(g, 0) + n
        cells = [p for p in parts if len(p.group)]
        if not cells:
            return PartialCounts(docs=docs)
        if len(cells) == 1:
            p = cells[0]
            return PartialCounts(p.group, p.variant, p.voice, p.n_hits, p.n_docs, docs)
        group = np.concatenate([p.group for p in cells])
        variant, voice, n_hits, n_docs = (np.concatenate([getattr(p, f) for p in cells])
                                          for f in ("variant", "voice", "n_hits", "n_docs"))
        codes, _ = pd.factorize(group, sort=False, use_na_sentinel=False)
        n_variants = int(variant.max()) + 1
        cell = (codes.astype(np.int64) * n_variants + variant) * _N_VOICES + voice
        keys, first, inverse = np.unique(cell, return_index=True, return_inverse=True)
        return PartialCounts(group[first], variant[first], voice[first],
                             np.bincount(inverse, weights=n_hits, minlength=len(keys)).astype(np.int64),
                             np.bincount(inverse, weights=n_docs, minlength=len(keys)).astype(np.int64), docs)

    def finish(self, variants: Sequence[tuple]) -> pd.DataFrame:
        """The tidy table of :func:`framing.count_hits` (``attrs["n_docs"]``: articles per group).

        ``variants``: ``(contrast, variant)`` of each variant index, in lexicon order
        (``CompiledLexicon.variants``). Rows ordered by group, then lexicon order, then voice.
        """
        if not len(self.group):
            out = pd.DataFrame(columns=COUNT_COLUMNS)
        else:
            agg = pd.DataFrame({"group": self.group})  # the group column's dtype, as pandas infers it
            v = self.variant.tolist()
            out = pd.DataFrame({
                "group": agg["group"].to_numpy(),
                "contrast": [variants[i][0].id for i in v],
                "variant": [variants[i][1].id for i in v],
                "side": [variants[i][1].side for i in v],
                "voice": [VOICES[i] for i in self.voice.tolist()],
                "n_hits": self.n_hits.astype("int64"),
                "n_docs": self.n_docs.astype("int64"),
            })
            out["_v"] = self.variant
            out["_voice"] = self.voice
            out = out.sort_values(["group", "_v", "_voice"], kind="stable").drop(columns=["_v", "_voice"])
            out = out.reset_index(drop=True)
        out.attrs["n_docs"] = dict(self.docs)
        return out
