"""Stage 4, match: lexicon hits in the corpus, one row per match, with voice and context.

The modules, in data-flow order:

- :mod:`~framing.match.patterns`: each lexicon pattern as one byte regex (:func:`pattern_regex`);
- :mod:`~framing.match.compiled`: the compiled lexicon (:func:`compile_lexicon`, cached by the
  lexicon's sha256), one scan of a batch of texts for every pattern with one engine:
  :mod:`~framing.match.hyperscan` or :mod:`~framing.match.portable` (``re`` and numpy), which give
  identical matches;
- :mod:`~framing.match.prefilter`: where a distancing cue may end, from the same Hyperscan scan;
- :mod:`~framing.match.raw`: the hits of a batch as arrays;
- :mod:`~framing.match.scan`: :func:`~framing.match.scan.scan`, every hit of a corpus as arrays,
  batch by batch (leftmost-longest within a contrast, ``except`` phrases, context rules, voices);
- :mod:`~framing.match.rules`: the lexicon's context rules (sentence, paragraph, text, article);
- :mod:`~framing.match.voices`: the voice of every hit of a batch at once (the rules of
  :mod:`framing.voice`, vectorised; sentences and quotations from :mod:`framing.text`);
- :mod:`~framing.match.table`: the hits table;
- :mod:`~framing.match.find`: :func:`find_hits` and :func:`kwic`;
- :mod:`~framing.match.partial`: :class:`~framing.match.partial.PartialCounts`, the counts of a chunk
  that add up (in memory, streaming and on Dask alike);
- :mod:`~framing.match.count`: :func:`count_hits` and :func:`write_hits`;
- :mod:`~framing.match.options`: switches read at run time (the plain reference paths, batch size).

Everything public is here and in the flat ``framing`` namespace.
"""

from __future__ import annotations

from framing.match.compiled import available_engines, compile_lexicon, pattern_regex
from framing.match.count import COUNT_COLUMNS, count_hits, write_hits
from framing.match.find import FIELDS, find_hits, kwic  # noqa: F401
from framing.match.table import EXCLUDED_COLUMNS, EXPLAIN_COLUMNS, HIT_COLUMNS, HITS_SCHEMA  # noqa: F401
from framing.text import sentence_at  # noqa: F401

__all__ = ["find_hits", "count_hits", "write_hits", "kwic", "compile_lexicon", "available_engines", "pattern_regex",
           "HIT_COLUMNS", "COUNT_COLUMNS"]
# also importable from here, as before: EXPLAIN_COLUMNS, EXCLUDED_COLUMNS, FIELDS, sentence_at
