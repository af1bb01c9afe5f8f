"""Benchmark: streaming counts in bounded memory, and the same counts on Dask with 1 and 2 workers.

Builds a large corpus by resampling ``../shared/corpora/ukraine-media-2022/articles.csv.gz``
(4,728 articles, 18.9 MB of text) into Parquet shards under the folder given on the command
line (never inside the repository), then prints from one run:

- single-process streaming, ``framing.count_hits(folder, chunksize=...)``, in a child process:
  throughput and peak RSS (``ru_maxrss`` of that process);
- ``framing.distributed.count_hits`` on a LocalCluster of 1 and of 2 worker processes (one
  thread each): throughput, the scaling ratio, and each worker's peak RSS;
- whether the three runs gave identical counts, and the machine's load average around each run
  (other jobs on the machine lower the scaling ratio: rerun when ``uptime`` shows a high load).

Targets on a 2-core machine: streaming peak RSS under 1 GB whatever the input size, and 2 workers
at least 1.7x one worker. Times exclude start-up (imports, cluster start, compiling the lexicon):
each measured run follows a warm-up run on a few small shards. Run from the repository root::

    .venv/bin/python benchmarks/bench_scale.py /tmp/framing-bench              # about 1 GB of text
    .venv/bin/python benchmarks/bench_scale.py /tmp/framing-bench --size-gb 4 --shards 64
    .venv/bin/python benchmarks/bench_scale.py /tmp/framing-bench --skip-stream --rounds 3

``--baseline REF`` also times the streaming run of a git ref (its files from ``git archive``, run by
its own ``bench_scale.py`` child), in turns with this checkout for ``--rounds`` rounds, and prints the
ratio of the best times and of the CPU times; the default ``b6ca27a`` is the code issue 10 measured at
8.6 MB/s (its target: streaming at least 2x faster on the same machine). ``--baseline none`` skips it.

On a shared machine, ``--rounds N`` repeats the Dask runs interleaved (1, 2, 1, 2 workers...) and
compares the best time of each; each run also prints the CPU time its workers got, so that a low
ratio caused by other jobs shows as fewer than 2 cores of CPU time.

The shards are kept and reused by later runs with the same size and shard count (``--rebuild``
writes them again). Skipped, with a message, when the shared corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"
SEED = 0


# ------------------------------------------------------------------------------ building
def build_shards(corpus: Path, folder: Path, size_gb: float, n_shards: int, rows_per_group: int) -> dict:
    """Resample articles (with replacement, fixed seed) into ``n_shards`` Parquet files."""
    import numpy as np
    import pandas as pd

    # beside the shard folder, not in it: framing reads every .json file of a folder it is given
    manifest_path = _manifest_path(folder)
    params = {"corpus": str(corpus), "size_gb": size_gb, "n_shards": n_shards, "seed": SEED}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest["params"] == params and all((folder / f).exists() for f in manifest["files"]):
            return manifest
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("shard-*.parquet"):
        old.unlink()
    src = pd.read_csv(corpus, dtype=str, keep_default_na=False)
    src = src[["outlet", "date", "url", "title", "text"]]
    text_bytes = src["text"].map(lambda t: len(t.encode("utf-8"))).to_numpy()
    rng = np.random.default_rng(SEED)
    per_shard = size_gb * 1e9 / n_shards
    files, total_bytes, total_rows = [], 0, 0
    for s in range(n_shards):
        draw = rng.integers(0, len(src), size=int(per_shard / text_bytes.mean() * 1.2) + 100)
        n = int(np.searchsorted(np.cumsum(text_bytes[draw]), per_shard)) + 1
        rows = draw[:n]
        shard = src.iloc[rows].reset_index(drop=True)
        shard.insert(0, "doc_id", [f"s{s:03d}-{i:07d}" for i in range(len(shard))])
        name = f"shard-{s:03d}.parquet"
        shard.to_parquet(folder / name, index=False, row_group_size=rows_per_group)
        files.append(name)
        total_bytes += int(text_bytes[rows].sum())
        total_rows += len(shard)
    manifest = {"params": params, "files": files, "text_bytes": total_bytes, "n_articles": total_rows,
                "disk_bytes": sum((folder / f).stat().st_size for f in files)}
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return manifest


def _manifest_path(folder: Path) -> Path:
    return folder.parent / f"{folder.name}.manifest.json"


def build_warmup(data: Path, folder: Path, n: int = 4) -> Path:
    """A few tiny shards, so that every worker imports framing and compiles the lexicon untimed."""
    import pandas as pd

    warm = folder / "warmup"
    warm.mkdir(exist_ok=True)
    first = pd.read_parquet(sorted(data.glob("shard-*.parquet"))[0]).head(40 * n)
    for i in range(n):
        first.iloc[i::n].to_parquet(warm / f"warm-{i}.parquet", index=False)
    return warm


# ------------------------------------------------------------------------------ runs
def stream_child(data: str, lexicon: str, chunksize: int, warm: str, out: str) -> None:
    """In a fresh process: time framing.count_hits streaming from ``data``; print JSON."""
    import framing

    framing.count_hits(warm, lexicon, chunksize=chunksize)  # imports, compiles the lexicon
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    counts = framing.count_hits(data, lexicon, chunksize=chunksize)
    seconds = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    counts.to_pickle(out)
    print(json.dumps({"seconds": seconds, "peak_rss_mb": _peak_rss_mb(), "cpu_seconds": cpu,
                      "n_articles": int(sum(counts.attrs["n_docs"].values()))}))


def run_stream(data: Path, lexicon: str, chunksize: int, warm: Path, out: Path, script: Path | None = None) -> dict:
    """One streaming run in a fresh process: this checkout's, or the child of another checkout's ``script``."""
    cmd = [sys.executable, str(script or __file__), "--_stream", str(data), "--lexicon", lexicon, "--chunksize",
           str(chunksize), "--_warm", str(warm), "--_out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"streaming run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process, all its threads (pyarrow decodes Parquet on its own threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def dask_runs(data: Path, lexicon: str, chunksize: int, warm: Path, rounds: int) -> Iterator[tuple]:
    """Timed runs on a LocalCluster of 1 and one of 2 workers, interleaved (1, 2, 1, 2...).

    Both clusters start (and warm up) before the first timed run, so that every run sees the same
    machine; yields ``(n_workers, counts, result)`` after each run.
    """
    from framing.distributed import connect, count_hits

    with ExitStack() as stack:
        clients = {}
        for k in (1, 2):
            clients[k] = stack.enter_context(connect(n_workers=k))  # the LocalCluster framing starts itself
            count_hits(warm, lexicon, scheduler=clients[k], chunksize=chunksize)
        for _ in range(rounds):
            for k, client in clients.items():
                load = _load()
                cpu0 = client.run(_cpu_seconds)
                t0 = time.perf_counter()
                counts = count_hits(data, lexicon, scheduler=client, chunksize=chunksize)
                seconds = time.perf_counter() - t0
                cpu = sum(c - cpu0[w] for w, c in client.run(_cpu_seconds).items())
                peaks = sorted(client.run(_peak_rss_mb).values())
                yield k, counts, {"seconds": seconds, "worker_peak_rss_mb": peaks, "cpu_seconds": cpu,
                                  "load_before": load}


# ------------------------------------------------------------------------------ main
def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?",
                        help="where to write the shards (outside the repository)")
    parser.add_argument("--size-gb", type=float, default=1.0, help="gigabytes of article text (default 1)")
    parser.add_argument("--shards", type=int, default=32, help="number of Parquet shards (default 32)")
    parser.add_argument("--chunksize", type=int, default=10_000, help="articles per chunk (default 10000)")
    parser.add_argument("--lexicon", default="russia-ukraine")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the CSV to resample")
    parser.add_argument("--rebuild", action="store_true", help="write the shards again")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Dask runs per cluster size, interleaved; the best of each is compared")
    parser.add_argument("--baseline", default="b6ca27a",
                        help="git ref whose streaming run is timed in turns with this one ('none': skip)")
    parser.add_argument("--skip-stream", action="store_true",
                        help="only the Dask runs (to measure scaling again when the machine is quieter)")
    parser.add_argument("--_stream", help=argparse.SUPPRESS)
    parser.add_argument("--_warm", help=argparse.SUPPRESS)
    parser.add_argument("--_out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._stream:
        stream_child(args._stream, args.lexicon, args.chunksize, args._warm, args._out)
        return 0
    if args.folder is None:
        parser.error("give the folder to write the shards to, e.g. /tmp/framing-bench")

    if not args.corpus.exists():
        print(f"skipped: the shared corpus is absent ({args.corpus})")
        return 0
    folder = args.folder.resolve()
    if folder == ROOT or ROOT in folder.parents:
        sys.exit(f"{folder}: inside the repository; give a folder elsewhere (e.g. /tmp/framing-bench)")
    data = folder / f"shards-{args.size_gb:g}gb-{args.shards}"
    (data / "manifest.json").unlink(missing_ok=True)  # where earlier versions kept it (inside the input)
    if args.rebuild:
        _manifest_path(data).unlink(missing_ok=True)

    import pandas as pd

    t0 = time.perf_counter()
    manifest = build_shards(args.corpus, data, args.size_gb, args.shards, rows_per_group=5_000)
    build_s = time.perf_counter() - t0
    warm = build_warmup(data, folder)
    mb = manifest["text_bytes"] / 1e6
    n = manifest["n_articles"]
    print(f"input: {len(manifest['files'])} Parquet shards in {data}: {mb:,.0f} MB of article text, "
          f"{n:,} articles, {manifest['disk_bytes'] / 1e6:,.0f} MB on disk "
          f"(resampled from {args.corpus.name}; built or reused in {build_s:.0f} s)")
    print(f"machine: {os.cpu_count()} cores; lexicon {args.lexicon}; chunksize {args.chunksize:,}")
    print()

    def line(name: str, res: dict, extra: str, load_before: str) -> None:
        seconds = res["seconds"]
        print(f"{name:<26} {seconds:6.1f} s {mb / seconds:5.2f} MB/s {n / seconds:5.0f} articles/s  "
              f"CPU {res['cpu_seconds']:5.0f} s ({mb / res['cpu_seconds']:.2f} MB per CPU-s)  {extra}  "
              f"[load avg before {load_before}, after {_load()}]", flush=True)

    reference = None
    if not args.skip_stream:
        import tempfile

        from _refs import checkout

        with tempfile.TemporaryDirectory() as tmp:
            base = None
            if args.baseline != "none":
                commit = checkout(args.baseline, Path(tmp) / "baseline")
                base = (f"streaming, {args.baseline} ({commit[:10]})", Path(tmp) / "baseline" / "benchmarks" / "bench_scale.py")
            runs: dict[str, list[dict]] = {}
            for _ in range(args.rounds if base else 1):
                for name, script in ([base] if base else []) + [("streaming, 1 process", None)]:
                    load = _load()
                    res = run_stream(data, args.lexicon, args.chunksize, warm, folder / "stream-counts.pkl", script)
                    line(name, res, f"peak RSS {res['peak_rss_mb']:,.0f} MB", load)
                    runs.setdefault(name, []).append(res)
        stream = min(runs["streaming, 1 process"], key=lambda r: r["seconds"])
        reference = pd.read_pickle(folder / "stream-counts.pkl")  # this checkout's run was the last
        if base:
            old = min(runs[base[0]], key=lambda r: r["seconds"])
            old_cpu = min(r["cpu_seconds"] for r in runs[base[0]])
            new_cpu = min(r["cpu_seconds"] for r in runs["streaming, 1 process"])
            ratio = old["seconds"] / stream["seconds"]
            print(f"streaming speed-up over {args.baseline}, best of {len(runs[base[0]])} runs each: "
                  f"{ratio:.2f}x in time ({mb / old['seconds']:.2f} -> {mb / stream['seconds']:.2f} MB/s), "
                  f"{old_cpu / new_cpu:.2f}x in CPU time (target >= 2: {'met' if ratio >= 2 else 'NOT met'})")

    results: dict[int, list[dict]] = {1: [], 2: []}
    for k, counts, res in dask_runs(data, args.lexicon, args.chunksize, warm, args.rounds):
        results[k].append(res)
        peaks = ", ".join(f"{p:,.0f}" for p in res["worker_peak_rss_mb"])
        line(f"dask, {k} worker process{'es' if k > 1 else ''}", res, f"peak RSS per worker {peaks} MB",
             res["load_before"])
        if reference is None:
            reference = counts
        pd.testing.assert_frame_equal(counts, reference)

    best = {k: min(runs, key=lambda r: r["seconds"]) for k, runs in results.items()}
    ratio = best[1]["seconds"] / best[2]["seconds"]
    cpu_share = best[2]["cpu_seconds"] / best[2]["seconds"]
    if args.rounds > 1:
        print(f"\nbest of {args.rounds} interleaved runs: 1 worker {best[1]['seconds']:.1f} s, "
              f"2 workers {best[2]['seconds']:.1f} s", end="")
    print()
    print(f"scaling ratio, 2 workers / 1 worker: {ratio:.2f}x  (target >= 1.7: "
          f"{'met' if ratio >= 1.7 else 'NOT met'}); the 2 workers got {cpu_share:.2f} cores of CPU time "
          f"on average (2.00 on an idle machine)")
    if not args.skip_stream:
        print(f"streaming peak RSS: {stream['peak_rss_mb']:,.0f} MB  (target < 1024 MB: "
              f"{'met' if stream['peak_rss_mb'] < 1024 else 'NOT met'})")
    runs = "dask 1 worker, dask 2 workers" if args.skip_stream else "streaming, dask 1 worker, dask 2 workers"
    print(f"counts identical ({runs}): yes; {len(reference)} count rows, "
          f"{int(reference['n_hits'].sum()):,} hits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
