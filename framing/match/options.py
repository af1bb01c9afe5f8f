"""Switches of the matcher, read at run time (tests and tools/compare_hits.py set them).

- ``REFERENCE``: True runs the plain code paths the fast ones are tested against (context rules one
  hit at a time, article rules from each text, attribution frames per hit).
- ``RULE_SCAN_FROM``: hits of a context rule in a batch from which one Hyperscan scan finds its words.
- ``CHUNK_CHARS``: characters of text per batch (memory stays bounded by it).
"""

from __future__ import annotations

REFERENCE = False
RULE_SCAN_FROM = 200
CHUNK_CHARS = 4_000_000
