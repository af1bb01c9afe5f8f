"""Benchmark: find_hits and FramingVectorizer against scikit-learn's CountVectorizer (the baseline).

    .venv/bin/python benchmarks/bench_match.py [--repeat 3] [--lexicon russia-ukraine] [--engines]

Reads ../shared/corpora/ukraine-media-2022/articles.csv.gz (skips with a message when it is absent),
cleans it with load_corpus (not timed), then times on one core, best of --repeat runs:
- find_hits with each available engine (Hyperscan, portable re), voice and context included;
- FramingVectorizer.transform (same matcher, counts only);
- CountVectorizer(vocabulary=<every lexicon surface form, lowercased>, ngram_range=(1, longest pattern)).
Prints MB/s and articles/s of each and the ratios against CountVectorizer, the machine's load
average and the peak memory. Targets (issue 3): find_hits >= 20x CountVectorizer and >= 40 MB/s on
one core.

With --engines, also times the raw scan (matches only, no overlap resolution, voice or context) of
the candidate engines: Hyperscan with and without start-of-match tracking, the portable engine,
one Python regex alternation of every pattern, and Aho-Corasick automata (pyahocorasick,
ahocorasick-rs) over the lowercased surface forms where those packages are installed (they know
nothing of word boundaries, whitespace runs or ``*`` endings: a lower bound, not a matcher).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"


def best_of(repeat: int, fn):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def _collect(i, start, end, flags, found):
    found.append(end)


def engine_scans(texts: list[str], lex, repeat: int) -> list[tuple[str, float, int]]:
    """Raw scan time of each candidate engine over the texts: (name, seconds, matches)."""
    import re

    from framing._chunk import Chunk
    from framing.match import available_engines, compile_lexicon

    chunk = Chunk(texts)
    buf = chunk.buf
    rows = []
    if "hyperscan" in available_engines():
        import hyperscan

        matcher = compile_lexicon(lex, "hyperscan")
        for name, som in (("hyperscan, start of match tracked", True),
                          ("hyperscan, ends only (used; starts recovered)", False)):
            db = hyperscan.Database()
            flags = [(hyperscan.HS_FLAG_SOM_LEFTMOST if som else 0)
                     | (0 if e.case_sensitive else hyperscan.HS_FLAG_CASELESS) for e in matcher.entries]
            db.compile(expressions=matcher._exprs, ids=list(range(len(flags))), elements=len(flags), flags=flags)
            def scan(db=db):
                found: list[int] = []
                db.scan(buf, match_event_handler=_collect, context=found)
                return len(found)

            t, n = best_of(repeat, scan)
            rows.append((name, t, n))
        t, raw = best_of(repeat, lambda: matcher.scan_chunk(Chunk(texts), None))
        rows.append(("hyperscan as used (join, scan, starts)", t, len(raw.entry)))
    portable = compile_lexicon(lex, "python")
    t, raw = best_of(repeat, lambda: portable.scan_chunk(Chunk(texts), None))
    rows.append(("portable engine (numpy keys + re)", t, len(raw.entry)))
    alternation = re.compile(b"|".join(portable._exprs), re.IGNORECASE)
    sample = buf[:len(buf) // 10]  # slow: timed on a tenth and scaled
    t, n = best_of(1, lambda: sum(1 for _ in alternation.finditer(sample)))
    rows.append(("one re alternation of all patterns (a tenth, x10)", t * len(buf) / len(sample), n * 10))
    forms = sorted({e.pattern.lower().rstrip("*") for e in portable.entries})
    lowered = chunk.joined.lower()
    try:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for k, form in enumerate(forms):
            automaton.add_word(form, k)
        automaton.make_automaton()
        t, n = best_of(repeat, lambda: sum(1 for _ in automaton.iter(lowered)))
        rows.append(("pyahocorasick (lowercased forms, no word boundaries)", t, n))
    except ImportError:
        pass
    try:
        import ahocorasick_rs

        rs = ahocorasick_rs.AhoCorasick(forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        t, n = best_of(repeat, lambda: len(rs.find_matches_as_indexes(lowered)))
        rows.append(("ahocorasick-rs (lowercased forms, leftmost-longest)", t, n))
    except ImportError:
        pass
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lexicon", default="russia-ukraine")
    parser.add_argument("--engines", action="store_true", help="also time the raw scan of candidate engines")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: the shared corpus is absent ({CORPUS})")
        return 0

    from sklearn.feature_extraction.text import CountVectorizer

    from framing import FramingVectorizer, find_hits, load_corpus, load_lexicon
    from framing.match import available_engines, compile_lexicon

    corpus = load_corpus(CORPUS)
    lex = load_lexicon(args.lexicon)
    texts = corpus["text"].tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    n = len(texts)
    print(f"corpus: {n:,} articles, {mb:.1f} MB of cleaned text; lexicon {lex.name!r}: "
          f"{len(lex.contrasts)} contrasts, {len(lex.variants)} variants")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")

    rows = []
    for engine in available_engines():
        compile_lexicon(lex, engine)  # compile once, outside the timing
        find_hits(corpus.head(5), lex, engine=engine, fields=("text",))
        t, hits = best_of(args.repeat, lambda e=engine: find_hits(corpus, lex, engine=e, fields=("text",)))
        rows.append((f"find_hits ({engine})", t, len(hits)))
    vec = FramingVectorizer(lex, voice=None).fit(texts)
    t, X = best_of(args.repeat, lambda: vec.transform(texts))
    rows.append(("FramingVectorizer.transform", t, int(X.sum())))

    forms = sorted({p.lower().rstrip("*") for p in lex.to_frame().query("kind == 'pattern'")["pattern"]})
    longest = max(len(f.split()) for f in forms)
    cv = CountVectorizer(vocabulary=forms, ngram_range=(1, longest))
    t, Y = best_of(max(1, args.repeat - 1), lambda: cv.transform(texts))
    rows.append((f"CountVectorizer (baseline, ngram_range=(1, {longest}))", t, int(Y.sum())))

    base = rows[-1][1]
    print(f"\n{'method':<52} {'seconds':>8} {'MB/s':>8} {'articles/s':>11} {'hits':>8} {'x baseline':>11}")
    for name, t, hits in rows:
        print(f"{name:<52} {t:8.3f} {mb / t:8.1f} {n / t:11,.0f} {hits:8,} {base / t:11.1f}")
    fh = rows[0]
    print(f"\ntargets: find_hits >= 20x CountVectorizer: {base / fh[1]:.1f}x "
          f"({'met' if base / fh[1] >= 20 else 'NOT met'}); >= 40 MB/s: {mb / fh[1]:.1f} MB/s "
          f"({'met' if mb / fh[1] >= 40 else 'NOT met'})")
    print("note: CountVectorizer counts nested terms twice and knows no voice; its hit total is not comparable.")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (texts are scanned in batches)")

    if args.engines:
        print(f"\n{'raw scan of candidate engines':<56} {'seconds':>8} {'MB/s':>8} {'matches':>9}")
        for name, t, found in engine_scans(texts, lex, args.repeat):
            print(f"{name:<56} {t:8.3f} {mb / t:8.1f} {found:9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
