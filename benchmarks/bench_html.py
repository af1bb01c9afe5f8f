"""Benchmark: HTML loading -- extraction quality against the article-extraction benchmark, and pages/s.

Loads ``../shared/corpora/article-extraction-benchmark/html/`` (181 saved pages, ``.html.gz``, no
metadata) with ``framing.load_corpus`` and scores each article's text against ``ground-truth.json``
with the benchmark's own metric (``benchmarks/_extraction_metric.py``: 4-token shingles, per-page
precision and recall, F1 from the averages). Prints, for cleaning on and off:

- articles returned (target: 181), F1 / precision / recall (target F1 >= 0.95; trafilatura alone
  scores 0.958 in the benchmark's published table), pages with recall under 5% (target: none);
- loading speed in pages/s with ``n_jobs=1`` and ``n_jobs=2``, the ratio of the two, and the CPU time
  (pages per CPU-second, and how many cores the run got: on a shared machine the ratio is only as good
  as the free cores).

Run from the repository root::

    .venv/bin/python benchmarks/bench_html.py
    .venv/bin/python benchmarks/bench_html.py --jobs 1 2 4 --worst 10

Skipped, with a message, when the shared corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BENCH = ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the n_jobs worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="n_jobs values to time")
    parser.add_argument("--worst", type=int, default=5, help="list this many pages with the lowest F1")
    args = parser.parse_args()
    if not (BENCH / "html").exists():
        print(f"skipped: {BENCH / 'html'} is absent")
        return 0

    from _extraction_metric import score

    from framing import dropped_documents, load_corpus

    truth = {k: v["articleBody"] for k, v in json.loads((BENCH / "ground-truth.json").read_text("utf-8")).items()}
    n_pages = len(list((BENCH / "html").iterdir()))
    print(f"{n_pages} pages in {BENCH / 'html'}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    timings = {}
    corpora = {}
    for jobs in args.jobs:
        started, cpu0 = time.perf_counter(), _cpu()
        corpora[jobs] = load_corpus(BENCH / "html", n_jobs=jobs)
        timings[jobs] = time.perf_counter() - started
        cpu = _cpu() - cpu0
        print(f"load_corpus(clean=True, n_jobs={jobs}): {timings[jobs]:.1f} s, {n_pages / timings[jobs]:.1f} pages/s; "
              f"{cpu:.1f} CPU-s ({n_pages / cpu:.1f} pages per CPU-second), {cpu / timings[jobs]:.2f} cores busy "
              f"(under {jobs} when other jobs hold the cores)")
    if len(timings) > 1:
        base = args.jobs[0]
        for jobs in args.jobs[1:]:
            print(f"speed-up n_jobs={jobs} over n_jobs={base}: {timings[base] / timings[jobs]:.2f}x")
    corpus = corpora[args.jobs[0]]
    raw = load_corpus(BENCH / "html", clean=False, n_jobs=max(args.jobs))
    for label, c in (("extracted + cleaned (clean=True)", corpus), ("extracted only (clean=False)", raw)):
        ids = {doc_id.split("/")[-1]: text for doc_id, text in c["text"].items()}
        s = score(ids, truth)
        print(f"{label}: {len(c)} articles, {len(dropped_documents(c))} dropped; F1 {s['f1']:.4f} "
              f"(precision {s['precision']:.4f}, recall {s['recall']:.4f}); pages with recall < 5%: {s['n_wiped']}"
              + (f" {s['wiped']}" if s["wiped"] else ""))
        if label.startswith("extracted + cleaned"):
            worst = sorted(s["per_page"].items(), key=lambda kv: 2 * kv[1][0] * kv[1][1] / max(kv[1][0] + kv[1][1], 1e-9))
            for pid, (p, r) in worst[:args.worst]:
                print(f"    {pid[:16]}  precision {p:.2f}  recall {r:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
