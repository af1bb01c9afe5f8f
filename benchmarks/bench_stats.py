"""Benchmark: framing.distinctive_terms vs scattertext 0.2.2 (Fightin' Words) on convention2012.

Prints the time of ``distinctive_terms`` (Democrat vs Republican) on the 189 speeches of
``../shared/corpora/convention2012/speeches.csv`` and, when scattertext is available, the time of
scattertext's corpus build + scoring on the same text, and the ratio (target: framing >= 10x
faster end to end). Both start from the speeches already in a DataFrame; reading the CSV and
importing the libraries are not timed. Each time is the best of several runs, framing's and
scattertext's runs interleaved so that both see the same machine load.

Run from the repository root::

    .venv/bin/python benchmarks/bench_stats.py

scattertext is NOT a framing dependency. Its side runs with this interpreter when ``import
scattertext`` works here, otherwise with the interpreter named by ``$SCATTERTEXT_PYTHON`` (default
``/tmp/st-venv/bin/python`` when it exists), in a worker subprocess that times each run itself
(its start-up and imports are not timed). Make that throwaway environment with::

    python3 -m venv /tmp/st-venv
    /tmp/st-venv/bin/pip install scattertext==0.2.2 six future   # 0.2.2 imports six/future

scattertext counts unigrams and bigrams (within sentences), so framing is timed both with its
default (unigrams) and with ``ngram_range=(1, 2)``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from framing.distinctive import distinctive_terms  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "convention2012" / "speeches.csv"
ROUNDS = 5  # scattertext runs; framing runs FRAMING_REPEATS times per round per setting
FRAMING_REPEATS = 5

SCATTERTEXT_WORKER = r"""
import json, sys, time
import pandas as pd
import scattertext as st
df = pd.read_csv(sys.argv[1], keep_default_na=False)
for _ in sys.stdin:  # one timed run per line read, so that runs interleave with framing's
    t0 = time.perf_counter()
    corpus = st.CorpusFromPandas(df, category_col="party", text_col="text",
                                 nlp=st.whitespace_nlp_with_sentences).build()
    priors = st.PriorFactory(corpus, starting_count=0.01).use_all_categories().get_priors()
    scorer = st.LogOddsRatioInformativeDirichletPrior(priors, sigma=500, scale_type="word")
    freq = corpus.get_term_freq_df()
    z = scorer.get_scores(freq["democrat freq"], freq["republican freq"])
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "n_terms": int(len(z)), "version": st.version}),
          flush=True)
"""


def _scattertext_python() -> tuple[str | None, str]:
    """An interpreter that imports scattertext, or None with the reason."""
    try:
        import scattertext  # noqa: F401
    except ImportError:
        python = os.environ.get("SCATTERTEXT_PYTHON", "/tmp/st-venv/bin/python")
        if not Path(python).exists():
            return None, f"scattertext is not importable here and {python} does not exist"
        probe = subprocess.run([python, "-c", "import scattertext"], capture_output=True, text=True)
        if probe.returncode != 0:
            return None, f"{python} cannot import scattertext: {probe.stderr.strip()[-200:]}"
        return python, python
    return sys.executable, sys.executable


def _time(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    if not CORPUS.exists():
        print(f"skipped: shared corpus absent: {CORPUS}")
        return 0
    speeches = pd.read_csv(CORPUS, keep_default_na=False)
    configs = {
        "unigrams (default)": {},
        "ngram_range=(1, 2)": {"ngram_range": (1, 2)},
    }
    n_terms = {}
    for name, kwargs in configs.items():  # warm up (imports, caches) and count the terms
        n_terms[name] = len(distinctive_terms(speeches, "party", "democrat", "republican", **kwargs))
    python, where = _scattertext_python()
    worker = None
    if python is not None:  # scattertext runs in its own process, which times itself
        worker = subprocess.Popen([python, "-c", SCATTERTEXT_WORKER, str(CORPUS)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    framing_times: dict[str, list[float]] = {name: [] for name in configs}
    st_times: list[float] = []
    st_info: dict = {}
    try:
        for _ in range(ROUNDS):
            for name, kwargs in configs.items():
                framing_times[name] += _time(
                    lambda kw=kwargs: distinctive_terms(speeches, "party", "democrat",
                                                        "republican", **kw), FRAMING_REPEATS)
            if worker is not None:
                worker.stdin.write("run\n")
                worker.stdin.flush()
                line = worker.stdout.readline()
                if not line:
                    raise RuntimeError("the scattertext worker stopped; see its error above")
                st_info = json.loads(line)
                st_times.append(st_info["seconds"])
    finally:
        if worker is not None:
            worker.stdin.close()
            worker.wait()

    mb = speeches["text"].str.len().sum() / 1e6
    print(f"convention2012: {len(speeches)} speeches, {mb:.2f} M characters, democrat vs republican")
    for name in configs:
        best = min(framing_times[name])
        print(f"framing distinctive_terms, {name:20s} {best:8.3f} s  (best of "
              f"{len(framing_times[name])}; {n_terms[name]} terms)")
    if worker is None:
        print(f"scattertext: not run ({where})")
        return 0
    best_st = min(st_times)
    version = ".".join(map(str, st_info.get("version", [])))
    print(f"scattertext {version} build + score (unigrams + bigrams) {best_st:8.3f} s  (best of "
          f"{len(st_times)}; {st_info['n_terms']} terms; {where})")
    for name in configs:
        print(f"ratio scattertext / framing, {name:20s} {best_st / min(framing_times[name]):6.1f}x"
              f"  (target >= 10x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
