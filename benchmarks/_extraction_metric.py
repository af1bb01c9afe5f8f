"""The article-extraction benchmark's score, in one small importable function.

The metric of the public article extraction benchmark (Scrapinghub, MIT licence), as its README in
``../shared/corpora/article-extraction-benchmark/`` describes it: tokens are ``\\w+`` runs; each text
becomes the multiset of its 4-token shingles; per page TP = shingles in both (with multiplicity),
FP = predicted only, FN = true only, the three divided by their sum so that long pages do not weigh
more; precision = TP/(TP+FP) and recall = TP/(TP+FN) per page (1 when FP and FN are both 0),
averaged over pages; F1 = 2PR/(P+R) from the two averages. As in the benchmark's own evaluation
script, the precision average leaves out pages with nothing predicted (TP+FP = 0) and the recall
average pages with an empty truth (TP+FN = 0); an empty prediction costs recall.

Used by ``benchmarks/bench_html.py`` (HTML loading) and ``benchmarks/bench_cleaning.py`` (cleaning of
whole-page text), so both print numbers on the same scale::

    from _extraction_metric import page_scores, score
    scores = score(predicted, truth)          # dicts page id -> text
    scores["f1"], scores["precision"], scores["recall"], scores["n_wiped"]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

__all__ = ["shingles", "page_counts", "page_scores", "score"]

_TOKEN = re.compile(r"\w+")
N = 4  # tokens per shingle
WIPED = 0.05  # a page whose recall is under this lost its article


def shingles(text: str | None, n: int = N) -> Counter:
    """The multiset of ``n``-token shingles of ``text`` (a text shorter than ``n`` tokens is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_counts(predicted: str | None, truth: str | None) -> tuple[float, float, float]:
    """(TP, FP, FN) of one page over shingles, normalised to sum 1 (all 0 when both texts are empty)."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_scores(predicted: str | None, truth: str | None) -> tuple[float, float]:
    """(precision, recall) of one page (1 and 1 when nothing is missing or extra; 0 when nothing matches)."""
    tp, fp, fn = page_counts(predicted, truth)
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def score(predicted: Mapping[str, str | None], truth: Mapping[str, str | None]) -> dict:
    """Average precision and recall over the pages of ``truth``, F1 from the averages.

    A page of ``truth`` missing from ``predicted`` scores as an empty prediction.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1``, ``n_pages``, ``n_wiped`` (pages with recall under 5%),
        ``wiped`` (their ids) and ``per_page`` (id -> (precision, recall)).
    """
    counts = {pid: page_counts(predicted.get(pid), true) for pid, true in truth.items()}
    per_page = {pid: page_scores(predicted.get(pid), true) for pid, true in truth.items()}
    with_pred = [per_page[pid][0] for pid, (tp, fp, _) in counts.items() if tp + fp > 0]
    with_true = [per_page[pid][1] for pid, (tp, _, fn) in counts.items() if tp + fn > 0]
    p = sum(with_pred) / len(with_pred) if with_pred else 0.0
    r = sum(with_true) / len(with_true) if with_true else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    wiped = sorted(pid for pid, (_, rec) in per_page.items() if rec < WIPED)
    return {"precision": p, "recall": r, "f1": f1, "n_pages": len(per_page), "n_wiped": len(wiped),
            "wiped": wiped, "per_page": per_page}
