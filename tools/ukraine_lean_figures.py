"""Print the ukraine-media-2022 lean figures of the README (Statistics section).

RT and each Western outlet under both lean weightings (``weight="contrast"``, the default, and
``weight="hits"``), with 95% cluster-adjusted intervals, and the split between spelling contrasts
(transliterations and name spellings: Kiev/Kyiv, Zelensky's first name, ...) and wording contrasts
(naming the war, labels, annexation, ...).

Spelling contrasts are those the lexicon marks ``kind: spelling``; while the built-in lexicon codes no
``kind`` yet, the script falls back to its groups "Place names" and "Person names" and says so. The
lexicon's side codings and voice rules are being revised (issues 15 and 16): rerun this script after
they land and paste its output into the README::

    .venv/bin/python tools/ukraine_lean_figures.py [../shared/corpora/ukraine-media-2022/articles.csv.gz]

Loading and matching take about a minute and a half. The corpus is read from the shared folder and
never copied.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import framing as fr  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"
LEXICON = "russia-ukraine"
SPELLING_GROUPS = ("Place names", "Person names")


def spelling_contrasts(lex) -> tuple[list[str], str]:
    coded = [c.id for c in lex.contrasts.values() if c.kind == "spelling"]
    if any(c.kind for c in lex.contrasts.values()):
        return coded, "the contrasts the lexicon marks kind: spelling"
    groups = [c.id for c in lex.contrasts.values() if c.group and c.group.split(". ", 1)[-1] in SPELLING_GROUPS]
    return groups, f"the lexicon codes no kind yet: its groups {' and '.join(SPELLING_GROUPS)}"


def fmt(r) -> str:
    return f"{r.lean:+.2f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}]"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not path.exists():
        print(f"corpus not found: {path}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    corpus = fr.load_corpus(path)
    lex = fr.load_lexicon(LEXICON)
    hits = fr.find_hits(corpus, lex, context=0)
    print(f"{path.name}: {len(corpus):,} articles, {len(hits):,} hits; lexicon {lex.name} {lex.version} "
          f"(sha256 {lex.sha256[:12]}); authorial voice ({time.perf_counter() - t0:.0f} s)\n")
    tables = {w: fr.lean(hits, corpus, lexicon=lex, weight=w).set_index("group") for w in ("contrast", "hits")}
    order = tables["contrast"].sort_values("lean", ascending=False).index
    print("| Outlet | Articles | Lean, contrasts weighted equally | Lean, hits pooled |")
    print("|---|---:|---:|---:|")
    for g in order:
        c, h = tables["contrast"].loc[g], tables["hits"].loc[g]
        print(f"| {g} | {int(c.n_docs):,} | {fmt(c)} | {fmt(h)} |")
    spelling, why = spelling_contrasts(lex)
    used = tables["contrast"].attrs["contrasts"]
    wording = [c for c in used if c not in spelling]
    spelling = [c for c in used if c in spelling]
    print(f"\nContrasts in the lean: {len(used)} ({len(spelling)} spelling: {why}; {len(wording)} wording).")
    parts = {}
    for name, subset in (("spelling", spelling), ("wording", wording)):
        for w in ("contrast", "hits"):
            parts[name, w] = fr.lean(hits, corpus, lexicon=lex, weight=w, contrasts=subset).set_index("group")
    west = [g for g in order if g != "RT"]
    print()
    for w, label in (("contrast", "contrasts weighted equally"), ("hits", "hits pooled")):
        s, d = parts["spelling", w], parts["wording", w]
        print(f"{label}: spelling contrasts alone put RT at {fmt(s.loc['RT'])} and the Western outlets between "
              f"{s.loc[west, 'lean'].min():+.2f} and {s.loc[west, 'lean'].max():+.2f}; wording contrasts alone "
              f"put RT at {fmt(d.loc['RT'])} and the Western outlets between {d.loc[west, 'lean'].min():+.2f} and "
              f"{d.loc[west, 'lean'].max():+.2f}.")
    parts_rt = fr.lean_by_contrast(hits, corpus, lexicon=lex).query("group == 'RT'")
    top = parts_rt.reindex(parts_rt["contribution"].abs().sort_values(ascending=False).index).head(5)
    print("\nRT's largest contributions (contrast weighting): " + ", ".join(
        f"{r.contrast} {r.contribution:+.2f} (weight {r.weight_share:.0%})" for r in top.itertuples()))
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
