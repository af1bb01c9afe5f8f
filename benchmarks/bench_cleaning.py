"""Benchmark: cleaning of whole-page text -- how much of the story it keeps, how much chrome it drops, how fast.

Loads ``../shared/corpora/article-extraction-benchmark/page-text/`` (181 news pages as whole-page text, one
block per line, with ``metadata.csv``) with ``framing.load_corpus`` and scores each article's text against
``ground-truth.json`` with the benchmark's own metric (``benchmarks/_extraction_metric.py``: ``\\w+`` tokens,
4-token shingles as multisets per page, TP/FP/FN normalised per page, precision and recall averaged over
pages, F1 from the two averages). Prints, from one run:

- F1 / precision / recall for ``clean=False`` (the floor), for the cleaning of an older revision (``--old``,
  default the revision before the article finder; skipped when git cannot show it), and for today's cleaning;
- pages whose recall is under 5% ("wiped": cleaning removed the story);
- the same per page language (the ``<html lang>`` of the saved page in ``html/``; ``?`` when undeclared);
- the words removed per reason, as a share of all words on the pages, and the articles flagged as unsure;
- speed: ``load_corpus(clean=True)`` over ``load_corpus(clean=False)`` on ukraine-media-2022 (target at
  most 2x), best of ``--rounds`` interleaved runs.

Run from the repository root::

    .venv/bin/python benchmarks/bench_cleaning.py
    .venv/bin/python benchmarks/bench_cleaning.py --worst 10 --rounds 5

Skipped, with a message, when the shared corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SHARED = ROOT.parent / "shared" / "corpora"
BENCH = SHARED / "article-extraction-benchmark"
UKRAINE = SHARED / "ukraine-media-2022" / "articles.csv.gz"
OLD_REV = "b6ca27a"  # main before issue 10: the cleaning that scored F1 0.669 with 19 pages wiped
_LANG = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2})", re.I)


def page_languages() -> dict[str, str]:
    """Page id -> the two-letter language its saved HTML declares (``?`` when it declares none)."""
    out = {}
    for path in sorted((BENCH / "html").glob("*.html.gz")):
        head = gzip.open(path).read(50_000).decode("utf-8", "replace")
        m = _LANG.search(head)
        out[path.name.split(".")[0]] = m.group(1).lower() if m else "?"
    return out


def old_cleaner(rev: str):
    """``_clean_lines`` of framing/clean.py at git revision ``rev`` with that revision's rules, or None."""
    try:
        src = subprocess.run(["git", "show", f"{rev}:framing/clean.py"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        rules = subprocess.run(["git", "show", f"{rev}:framing/data/boilerplate.yaml"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    needle = 'resources.files("framing").joinpath("data/boilerplate.yaml").read_text("utf-8")'
    if needle not in src:
        return None
    module = types.ModuleType("framing_old_clean")
    module.__dict__["_OLD_RULES"] = rules
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(src.replace(needle, "_OLD_RULES"), f"{rev}:framing/clean.py", "exec"), module.__dict__)
    return module._clean_lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", default=OLD_REV, help="git revision whose cleaning to compare with")
    parser.add_argument("--worst", type=int, default=5, help="list this many pages with the lowest F1")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds (best of) on ukraine-media-2022")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing on ukraine-media-2022")
    args = parser.parse_args()
    if not (BENCH / "page-text").exists():
        print(f"skipped: {BENCH / 'page-text'} is absent")
        return 0

    from _extraction_metric import score

    from framing import cleaning_flagged, cleaning_log, cleaning_summary, load_corpus

    truth = {k: v["articleBody"] for k, v in json.loads((BENCH / "ground-truth.json").read_text("utf-8")).items()}
    langs = page_languages() if (BENCH / "html").exists() else {}
    raw = load_corpus(BENCH / "page-text", clean=False)
    new = load_corpus(BENCH / "page-text")
    runs = {"clean=False (floor)": dict(raw["text"].items())}
    old = old_cleaner(args.old)
    if old is not None:
        runs[f"old cleaning ({args.old})"] = {d: old(t, title)[0] for d, t, title in
                                              zip(raw.index, raw["text"], raw["title"], strict=True)}
    else:
        print(f"(old cleaning at {args.old}: not available from git here)")
    runs["clean=True (today)"] = dict(new["text"].items())
    print(f"{len(truth)} pages in {BENCH / 'page-text'}")
    scores = {}
    for label, texts in runs.items():
        s = scores[label] = score(texts, truth)
        print(f"{label:<28} F1 {s['f1']:.3f}  precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
              f"wiped (recall < 5%): {s['n_wiped']}")
    if langs:
        groups: dict[str, list[str]] = {}
        for pid in truth:
            if langs.get(pid) != "en":
                groups.setdefault("(not en)", []).append(pid)
            groups.setdefault(langs.get(pid, "?"), []).append(pid)
        print("\nper page language (<html lang>; ? = undeclared): F1 per run")
        print(f"{'language':<10}{'pages':>6}  " + "  ".join(f"{label[:18]:>18}" for label in runs))
        for lang, pids in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            sub = {p: truth[p] for p in pids}
            cells = "  ".join(f"{score(texts, sub)['f1']:>18.3f}" for texts in runs.values())
            print(f"{lang:<10}{len(pids):>6}  {cells}")
    log = cleaning_log(new)
    from framing._words import n_words

    log_words = n_words(log["text"].tolist()) if len(log) else []
    total = int(raw["n_words"].sum())
    per_reason = log.assign(words=log_words).groupby("reason")["words"].sum().sort_values(ascending=False)
    print(f"\nwords removed per reason, share of the {total:,} words on the pages "
          f"(kept: {int(new['n_words'].sum()):,}, {new['n_words'].sum() / total:.1%}):")
    for reason, words in per_reason.items():
        print(f"  {reason:<22}{int(words):>8,}  {words / total:6.1%}")
    flagged = cleaning_flagged(new)
    print(f"\narticles flagged as unsure: {len(flagged)} of {len(new)}")
    for flag, n in flagged["flag"].value_counts().items():
        print(f"  {flag}: {n}")
    summary = cleaning_summary(new)
    print(f"articles that kept their raw text: {int(summary['flag'].eq('kept_raw').sum())}")
    s = scores["clean=True (today)"]
    worst = sorted(s["per_page"].items(), key=lambda kv: 2 * kv[1][0] * kv[1][1] / max(kv[1][0] + kv[1][1], 1e-9))
    print(f"\n{args.worst} pages with the lowest F1 (today):")
    for pid, (p, r) in worst[:args.worst]:
        print(f"  {pid[:16]}  {langs.get(pid, '?'):>2}  precision {p:.2f}  recall {r:.2f}  "
              f"{raw.loc[pid, 'outlet'] if pid in raw.index else ''}")
    if args.no_speed or not UKRAINE.exists():
        print("\n(speed: skipped)" if args.no_speed else f"\n(speed: skipped, {UKRAINE} is absent)")
        return 0
    best = {True: float("inf"), False: float("inf")}
    for _ in range(args.rounds):
        for clean in (False, True):
            t0 = time.perf_counter()
            load_corpus(UKRAINE, clean=clean)
            best[clean] = min(best[clean], time.perf_counter() - t0)
    print(f"\nukraine-media-2022 (best of {args.rounds}): load_corpus(clean=False) {best[False]:.2f} s, "
          f"clean=True {best[True]:.2f} s: ratio {best[True] / best[False]:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
