"""Benchmark: find_hits and FramingVectorizer on this checkout against a named baseline (a git ref).

    .venv/bin/python benchmarks/bench_match_baseline.py [--baseline main] [--also REF ...] [--rounds 3]

Times, on ../shared/corpora/ukraine-media-2022 (skips with a message when it is absent), what
``benchmarks/bench_match.py`` times, each in a fresh process on one core: ``find_hits`` with
Hyperscan (voice and context included, ``fields=("text",)``), ``FramingVectorizer(voice=None)
.transform`` and ``find_hits`` with the portable engine, best of ``--repeat`` runs. The baseline's
files come from ``git archive`` (imported instead of this checkout); ``--also`` adds other refs
(e.g. ``b19ed4a^1``, main before the attributed voice and the context rules). The sides take
turns for ``--rounds`` rounds, and the quietest round of each (its fastest) is reported with the
load average it ran under: the machine is shared, so single runs vary by 30% or more.

Prints seconds, MB/s and the ratio baseline / this (above 1: this checkout is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _refs import checkout

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
from framing import FramingVectorizer, find_hits, load_corpus, load_lexicon
from framing.match import available_engines, compile_lexicon
path, repeat = sys.argv[1], int(sys.argv[2])
corpus = load_corpus(path)
lex = load_lexicon("russia-ukraine")
texts = corpus["text"].tolist()
mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
def best(fn):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)
out = {"mb": mb, "load": os.getloadavg()[0]}
for engine in available_engines():
    compile_lexicon(lex, engine)
    find_hits(corpus.head(5), lex, engine=engine, fields=("text",))
    out[f"find_hits ({engine})"] = best(lambda e=engine: find_hits(corpus, lex, engine=e, fields=("text",)))
    out[f"n_hits ({engine})"] = len(find_hits(corpus, lex, engine=engine, fields=("text",)))
vec = FramingVectorizer(lex, voice=None).fit(texts)
out["FramingVectorizer.transform"] = best(lambda: vec.transform(texts))
print(json.dumps(out))
"""


def _time(src: Path | None, repeat: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    run = subprocess.run([sys.executable, "-c", CHILD, str(CORPUS), str(repeat)], check=True, env=env,
                         cwd=str(src or ROOT), capture_output=True, text=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git ref to compare with (default: main)")
    parser.add_argument("--also", nargs="*", default=[], help="more git refs to time")
    parser.add_argument("--rounds", type=int, default=3, help="turns of every side (the quietest is reported)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure in one process (best kept)")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: the shared corpus is absent ({CORPUS})")
        return 0
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores, shared)")
    with tempfile.TemporaryDirectory() as tmp:
        sides: dict[str, Path | None] = {}
        for ref in [args.baseline, *args.also]:
            commit = checkout(ref, Path(tmp) / f"ref{len(sides)}")
            sides[f"{ref} ({commit[:10]})"] = Path(tmp) / f"ref{len(sides)}"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        this = f"this checkout ({head[:10]}{', modified' if dirty else ''})"
        sides[this] = None
        rounds: dict[str, list[dict]] = {name: [] for name in sides}
        for r in range(args.rounds):
            for name, src in sides.items():
                rounds[name].append(_time(src, args.repeat))
                res = rounds[name][-1]
                print(f"round {r + 1}: {name}: find_hits {res['find_hits (hyperscan)']:.3f} s, "
                      f"FramingVectorizer {res['FramingVectorizer.transform']:.3f} s (load {res['load']:.2f})")
    measures = [k for k in rounds[this][0] if k not in ("mb", "load") and not k.startswith("n_hits")]
    mb = rounds[this][0]["mb"]
    base_name = next(iter(sides))
    print(f"\nquietest of {args.rounds} rounds (best of {args.repeat} runs each), {mb:.1f} MB of text; "
          f"ratio = {base_name.split()[0]} / side")
    print(f"{'measure':<30} {'side':<42} {'seconds':>8} {'MB/s':>7} {'ratio':>6} {'load':>5}")
    for measure in measures:
        base = min(x[measure] for x in rounds[base_name])
        for name in sides:
            best = min(rounds[name], key=lambda x, m=measure: x[m])
            print(f"{measure:<30} {name:<42} {best[measure]:8.3f} {mb / best[measure]:7.1f} "
                  f"{base / best[measure]:6.2f} {best['load']:5.2f}")
    hits = {name: rounds[name][0].get("n_hits (hyperscan)") for name in sides}
    print("\nhits (hyperscan): " + ", ".join(f"{name}: {n:,}" for name, n in hits.items() if n is not None))
    print("outputs: compare them byte for byte with tools/compare_hits.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
