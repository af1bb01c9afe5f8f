"""Benchmark: the sentences around every hit of ukraine-media-2022, framing.text against the matcher's old splitter.

    .venv/bin/python benchmarks/bench_text.py [--repeat 5]

Finds the hits once (not timed), then times (CPU time, best of --repeat runs taking turns, on fresh
batches: each batch classifies its sentence ends once) the sentence bounds of every hit with
framing.text.chunk_sentences (the rules of framing/data/text_rules.yaml) and, where it still
exists, framing._context (match.sentence_at's simpler rules). Prints both times, the find_hits
time for scale, and how many hits' sentences the two splitters give differently.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return 0
    import numpy as np

    from framing import find_hits, load_corpus
    from framing._chunk import Chunk, CorpusTexts
    from framing.match import FIELDS, compile_lexicon
    from framing.match.options import CHUNK_CHARS
    from framing.match.scan import resolve
    from framing.text.chunk_sentences import sentence_byte_bounds as new_bounds

    try:
        from framing._context import sentence_byte_bounds as old_bounds
    except ImportError:
        old_bounds = None
    corpus = load_corpus(CORPUS)
    matcher = compile_lexicon("russia-ukraine")
    texts = CorpusTexts(corpus, FIELDS)
    batches = []
    for a, b in texts.batches(CHUNK_CHARS):
        chunk = texts.chunk(a, b)
        raw = resolve(matcher, chunk, "en")
        batches.append(([chunk.text(i) for i in range(len(chunk))], raw.seg, raw.start, raw.end))
    n_hits = sum(len(s) for _, s, _, _ in batches)

    def run(bounds):
        out = []
        for pieces, seg, st, en in batches:
            chunk = Chunk(pieces)
            a, b = chunk.to_bytes(st), chunk.to_bytes(en)
            out.append((chunk, bounds(chunk, seg, st, en, a, b)))
        return out

    def timed(bounds):  # CPU time of one run (the machine is shared: wall time is noisier)
        t0 = time.process_time()
        result = run(bounds)
        return time.process_time() - t0, result

    t_new = t_old = float("inf")
    for _ in range(args.repeat):  # the two sides take turns; the best of each is reported
        t, new = timed(new_bounds)
        t_new = min(t_new, t)
        if old_bounds is not None:
            t, old = timed(old_bounds)
            t_old = min(t_old, t)
    t0 = time.perf_counter()
    find_hits(corpus, "russia-ukraine")
    t_find = time.perf_counter() - t0
    print(f"{n_hits} hits in {len(batches)} batches; load average {os.getloadavg()[0]:.2f}")
    print(f"framing.text sentences: {t_new * 1000:.1f} ms (find_hits: {t_find * 1000:.0f} ms)")
    if old_bounds is not None:
        print(f"framing._context sentences: {t_old * 1000:.1f} ms; ratio new/old {t_new / t_old:.2f}")
        changed = 0
        for (chunk, (s1, e1)), (_, (s0, e0)) in zip(new, old, strict=True):
            one = [chunk.buf[x:y].decode().strip() for x, y in zip(s1.tolist(), e1.tolist(), strict=True)]
            two = [chunk.buf[x:y].decode().strip() for x, y in zip(s0.tolist(), e0.tolist(), strict=True)]
            changed += int(np.sum([p != q for p, q in zip(one, two, strict=True)]))
        print(f"hits whose sentence differs: {changed} of {n_hits} ({100 * changed / max(n_hits, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
