"""Stage 2b, text: the units every later stage reads the same way (sentences, clauses, quotations).

- :func:`sentence_spans`, :func:`sentence_at` (framing.text.sentences): where sentences end.
- :func:`quote_spans` (framing.text.quotes): where direct quotations open and close.

Each has a readable reference that works on one text and a vectorised twin over a batch of texts
(``framing.text.chunk_sentences``, ``framing.text.chunk_quotes``) that the matcher uses; tests check
they agree. The rules are data: framing/data/text_rules.yaml.
"""

from __future__ import annotations

from framing.text.quotes import quote_spans
from framing.text.sentences import clause_bounds_at, sentence_at, sentence_bounds_at, sentence_spans

__all__ = ["sentence_spans", "sentence_at", "sentence_bounds_at", "clause_bounds_at", "quote_spans"]
