"""Benchmark: peak memory of ``load_corpus`` against the size of the text it holds.

Builds a CSV of about ``--size-mb`` MB of article text by resampling
``../shared/corpora/ukraine-media-2022/articles.csv.gz`` (written under the folder given on the
command line, never inside the repository), then loads it in a fresh child process per setting and
prints the child's peak RSS (``ru_maxrss``) minus its RSS after the imports, divided by the text's
UTF-8 size. Target (issue 9): at most about 3x the text size. Baseline named in the output: the
same measurement of ``streaming`` (``count_hits(path, chunksize=10_000)``), which stays flat.

    .venv/bin/python benchmarks/bench_memory.py /tmp/framing-mem
    .venv/bin/python benchmarks/bench_memory.py /tmp/framing-mem --size-mb 300

Skipped, with a message, when the shared corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import framing, pandas
from framing import load_corpus, count_hits
from framing._words import word_chars
word_chars()  # the code-point table is built once per process: not the corpus' memory
def rss_now():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()
before = rss_now()
mode, path = sys.argv[2], sys.argv[3]
t = time.perf_counter()
if mode == "streaming":
    out = count_hits(path, "russia-ukraine", chunksize=10_000)
    n = out.attrs["n_articles"]
else:
    out = load_corpus(path, clean=(mode == "load_corpus(clean=True)"))
    n = len(out)
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"before": before, "peak": peak, "n": n, "seconds": elapsed}))
"""


def build(folder: Path, size_mb: float) -> tuple[Path, int]:
    import numpy as np
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"articles-{int(size_mb)}mb.csv"
    meta = folder / f"articles-{int(size_mb)}mb.json"
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())["text_bytes"]
    src = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)[["outlet", "date", "url", "title", "text"]]
    sizes = src["text"].map(lambda t: len(t.encode("utf-8"))).to_numpy()
    n = int(size_mb * 1e6 / sizes.mean()) + 1
    rows = np.random.default_rng(0).integers(0, len(src), size=n)
    frame = src.iloc[rows].reset_index(drop=True)
    frame.insert(0, "doc_id", [f"a{i:08d}" for i in range(n)])
    frame.to_csv(path, index=False)
    text_bytes = int(sizes[rows].sum())
    meta.write_text(json.dumps({"text_bytes": text_bytes, "rows": n}))
    return path, text_bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where to write the test CSV (outside the repository)")
    parser.add_argument("--size-mb", type=float, default=150, help="MB of article text (default 150)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return 0
    path, text_bytes = build(args.folder, args.size_mb)
    print(f"{path}: {path.stat().st_size / 1e6:.0f} MB on disk, {text_bytes / 1e6:.0f} MB of article text")
    for mode in ("streaming", "load_corpus(clean=False)", "load_corpus(clean=True)"):
        out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), mode, str(path)], capture_output=True,
                             text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        grown = r["peak"] - r["before"]
        print(f"{mode:<26} {r['n']:>8,} articles in {r['seconds']:5.1f} s; peak RSS {r['peak'] / 1e6:6.0f} MB, "
              f"{grown / 1e6:6.0f} MB over the imports = {grown / text_bytes:.2f}x the text size")
    print("target: load_corpus at most ~3x the text size; streaming (the baseline) stays flat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
