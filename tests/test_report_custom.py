"""The report on another domain: a two-sided immigration lexicon written here, `--by` a metadata column,
relative paths given from the caller's folder. Rendered once (module fixture), end to end through the CLI."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from framing.cli import main

pytestmark = pytest.mark.slow

LEXICON = """\
name: immigration-test
version: "1"
description: Restrictive against inclusive wording of immigration coverage (a test lexicon).
sides:
  restrictive: {label: Restrictive wording}
  inclusive: {label: Inclusive wording}
contrasts:
  status:
    label: Migrants without papers
    group: People
    kind: naming
    variants:
      illegal: {side: restrictive, patterns: ["illegal immigrant*", "illegal alien*"]}
      undocumented: {side: inclusive, patterns: ["undocumented immigrant*", "undocumented migrant*"]}
  border:
    label: The situation at the border
    group: Events
    kind: label
    variants:
      invasion: {side: restrictive, patterns: ["border invasion", "migrant invasion"]}
      arrivals: {side: inclusive, patterns: ["border arrivals", "migrant arrivals"]}
      surge: {patterns: ["border surge", "migrant surge"]}
"""

OUTLETS = {  # outlet -> (region, share of restrictive wording)
    "Daily Sentinel": ("north", 0.8), "Evening Courier": ("north", 0.6),
    "Harbour Times": ("south", 0.3), "Valley Post": ("south", 0.1),
}


def _article(rng: random.Random, lean: float) -> str:
    parts = []
    for _ in range(rng.randint(2, 5)):
        status = "illegal immigrants" if rng.random() < lean else "undocumented immigrants"
        border = rng.choice(["border surge", "migrant invasion" if rng.random() < lean else "migrant arrivals"])
        parts.append(f"Officials said the {border} continued as {status} crossed the river. "
                     f"\"We call them {status},\" a resident said.")
    return " ".join(parts)


@pytest.fixture(scope="module")
def immigration_report(tmp_path_factory):
    here = tmp_path_factory.mktemp("caller")
    rng = random.Random(7)
    rows = []
    for outlet, (region, lean) in OUTLETS.items():
        for i in range(12):
            month = 1 + i % 4
            rows.append({"outlet": outlet, "region": region, "published": f"2023-{month:02d}-{1 + i:02d}",
                         "title": f"Border report {i}", "text": _article(rng, lean)})
    (here / "data").mkdir()
    pd.DataFrame(rows).to_csv(here / "data" / "immig.csv", index=False)
    (here / "immigration.yaml").write_text(LEXICON, encoding="utf-8")
    import os

    old = os.getcwd()
    os.chdir(here)  # relative paths are the caller's, not the kernel's
    try:
        status = main(["report", "data/immig.csv", "--lexicon", "immigration.yaml", "--by", "region",
                       "--out", "out/immig"])
    finally:
        os.chdir(old)
    assert status == 0
    return here / "out" / "immig"


def test_every_section_is_rendered(immigration_report):
    html = (immigration_report / "report.html").read_text("utf-8")
    for section in ["What was analysed", "Data quality", "Headline", "Variant shares", "Voice",
                    "Words that set each", "map", "Over time", "Methods", "Appendix"]:
        assert section in html, section
    assert html.count("<h1") == 1 and "How the story is worded, by region: immig.csv" in html
    assert '"illegal immigrant" or "undocumented immigrant"' in html  # the question, from the lexicon
    text = re.sub(r"data:[\w/+]+;base64,[\w+/=]+", "", html)  # the words, not the embedded images
    assert not re.search(r"Kyiv|Kiev|Russia|Ukrain|Kremlin|Moscow", text)  # nothing of the built-in lexicon's domain


def test_groups_are_the_metadata_column(immigration_report):
    tables = immigration_report / "tables"
    lean = pd.read_csv(tables / "lean.csv").set_index("group")
    assert sorted(lean.index) == ["north", "south"]
    assert lean.loc["north", "lean"] > 0 > lean.loc["south", "lean"]  # restrictive is the first side
    voice = pd.read_csv(tables / "voice_counts.csv")
    assert set(voice["region"]) == {"north", "south"}
    assert {"quoted", "authorial"} <= set(voice["voice"])
