"""Render the README's chart images from the bundled seed corpus: .venv/bin/python docs/make_readme_images.py"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import framing as fr  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"

corpus = fr.load_corpus(ROOT / "data" / "seed")
lex = fr.load_lexicon("russia-ukraine")
hits = fr.find_hits(corpus, lex)
lean = fr.lean(hits, corpus, lexicon=lex)
order = fr.outlet_order(lean)

fig, ax = plt.subplots(figsize=(8, 3.6))
fr.plot_lean(lean, ax=ax)
fig.savefig(OUT / "seed_lean.png", dpi=110, bbox_inches="tight")

fig, ax = plt.subplots(figsize=(8, 3.6))
fr.plot_voice(hits, contrast="war_name", order=order, lexicon=lex, ax=ax)
fig.savefig(OUT / "seed_voice_war_name.png", dpi=110, bbox_inches="tight")
print("written:", *sorted(p.name for p in OUT.glob("*.png")))
