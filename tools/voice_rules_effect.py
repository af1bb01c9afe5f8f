"""What the attributed voice and the lexicon's context rules change, on a corpus (issue 16).

    .venv/bin/python tools/voice_rules_effect.py [--corpus FILE] [--lexicon russia-ukraine] [--kwic 3]

Compares, on ../shared/corpora/ukraine-media-2022 by default (skips with a message when absent):
- the voices with and without the attribution frames (framing/data/voice_cues.yaml): hits that move
  from authorial to attributed, per outlet and per contrast;
- the hits the context rules remove, per contrast and rule, with a KWIC sample of them;
- framing.lean and the variant shares of the "Nazi labels" and "Foreigners fighting for Ukraine"
  panels (authorial voice), before (no frames, no context rules) and after.
Prints aggregate numbers and short keyword-in-context lines only (nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"
RULE_KEYS = ("near", "not_near", "not_after", "not_before")


def without_rules(lexicon):
    """The lexicon with every context rule taken out (same patterns, sides and kinds)."""
    from framing import Lexicon, load_lexicon

    lex = load_lexicon(lexicon)
    data = yaml.safe_load(Path(lex.path).read_text("utf-8"))
    for c in data["contrasts"].values():
        for key in RULE_KEYS:
            c.pop(key, None)
        for v in c["variants"].values():
            if isinstance(v, dict):
                for key in RULE_KEYS:
                    v.pop(key, None)
    data.pop("usage", None)
    return Lexicon.from_dict(data, path=lex.path)


def hits_without_frames(corpus, lexicon):
    """find_hits with no attribution frame (the voices before the attributed voice existed)."""
    import framing.match.voices as chunk_voice
    from framing import find_hits
    from framing.voice import Attribution

    saved = chunk_voice.attribution_rules
    chunk_voice.attribution_rules = lambda language: Attribution((), 0, 0, ())
    try:
        return find_hits(corpus, lexicon)
    finally:
        chunk_voice.attribution_rules = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--lexicon", default="russia-ukraine")
    parser.add_argument("--kwic", type=int, default=3, help="KWIC lines per contrast and rule")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"skipped: the corpus is absent ({args.corpus})")
        return 0
    from framing import find_hits, lean, load_corpus, load_lexicon, variant_shares

    pd.set_option("display.width", 200, "display.max_rows", 200, "display.max_colwidth", 120)
    corpus = load_corpus(args.corpus)
    lex = load_lexicon(args.lexicon)
    bare = without_rules(lex)
    print(f"corpus: {len(corpus):,} articles; lexicon {lex.name!r} {lex.version}, {len(lex.rules)} context rules")

    # ---- the attributed voice (same lexicon, frames on / off)
    after, excluded = find_hits(corpus, lex, return_excluded=True)
    before_voice = hits_without_frames(corpus, lex)
    assert len(before_voice) == len(after)
    moved = after[(before_voice["voice"].to_numpy() == "authorial") & (after["voice"].to_numpy() == "attributed")]
    print(f"\n== attributed voice: {len(moved):,} of {int((before_voice['voice'] == 'authorial').sum()):,} authorial "
          f"hits move to attributed ({len(after):,} hits in all)")
    per_outlet = pd.DataFrame({
        "authorial_before": before_voice[before_voice.voice == "authorial"].groupby("outlet").size(),
        "moved_to_attributed": moved.groupby("outlet").size()}).fillna(0).astype(int)
    per_outlet["share_moved"] = (per_outlet["moved_to_attributed"] / per_outlet["authorial_before"]).round(4)
    print(per_outlet.sort_values("share_moved", ascending=False).to_string())
    print("\nper contrast:")
    print(moved.groupby("contrast").size().sort_values(ascending=False).to_string())

    # ---- the context rules (frames on; rules on / off)
    rules = excluded[excluded["rule"] != "except"]
    print(f"\n== context rules: {len(rules):,} hits removed")
    print(rules.groupby(["contrast", "variant", "rule"]).size().rename("removed").to_string())
    outlet = corpus["outlet"]
    for (contrast, rule), g in rules.groupby(["contrast", "rule"]):
        print(f"\n  {contrast} / {rule}: {len(g)} removed, e.g.")
        for row in g.sample(min(args.kwic, len(g)), random_state=0).itertuples():
            text = corpus.at[row.doc_id, row.field]
            left = " ".join(text[max(0, row.start - 60):row.start].split())
            right = " ".join(text[row.end:row.end + 40].split())
            print(f"    [{outlet[row.doc_id]}] ...{left} [{row.match}] {right}...  ({row.rule}: {row.except_match!r})")

    # ---- lean and the two panels: before = no frames and no context rules
    before = hits_without_frames(corpus, bare)
    print("\n== lean (framing.lean, authorial, lexicon=russia-ukraine): before -> after")
    lean_before = lean(before, corpus, lexicon=lex).set_index("group")
    lean_after = lean(after, corpus, lexicon=lex).set_index("group")
    table = pd.DataFrame({"lean_before": lean_before["lean"], "ci_before": lean_before[["ci_low", "ci_high"]].round(3)
                          .apply(tuple, axis=1), "lean_after": lean_after["lean"],
                          "ci_after": lean_after[["ci_low", "ci_high"]].round(3).apply(tuple, axis=1),
                          "n_sided_before": lean_before["n_a"] + lean_before["n_b"],
                          "n_sided_after": lean_after["n_a"] + lean_after["n_b"]})
    table["change"] = table["lean_after"] - table["lean_before"]
    print(table.round(3).sort_values("lean_after").to_string())
    for contrast in ("nazi_labels", "foreign_fighters"):
        print(f"\n== panel {lex.contrasts[contrast].label!r} (variant shares, authorial): before -> after")
        sb = variant_shares(before, corpus, lexicon=lex).query("contrast == @contrast")
        sa = variant_shares(after, corpus, lexicon=lex).query("contrast == @contrast")
        keys = ["group", "variant"]
        both = sb.set_index(keys)[["n_hits", "share"]].add_suffix("_before").join(
            sa.set_index(keys)[["n_hits", "share"]].add_suffix("_after"))
        both = both[(both["n_hits_before"] > 0) | (both["n_hits_after"] > 0)]
        print(both.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
