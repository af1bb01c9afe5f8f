"""Small valid corpora never abort the report (issue 9, step 4): a section that needs more data says so in
place, in one sentence, and the report goes on; group names are drawn literally (no mathtext)."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from framing import render_report

pytestmark = pytest.mark.slow

SECTIONS = ["What was analysed", "Data quality", "Headline", "Variant shares", "Voice",
            "Words that set each group apart", "Map: who words things alike", "Over time", "Methods", "Appendix"]
MATH = r"$\undefinedmacro{x}$"


def _articles(outlets: dict, n: int, months: int) -> list[dict]:
    rng = random.Random(3)
    rows = []
    for outlet, lean in outlets.items():
        for i in range(n):
            city = "Kiev" if rng.random() < lean else "Kyiv"
            war = "special military operation" if rng.random() < lean else "invasion of Ukraine"
            rows.append({"outlet": outlet, "published": f"2022-{3 + i % months:02d}-{1 + i:02d}",
                         "title": f"Story {i} from {city}",
                         "text": f"Officials in {city} said on Monday that the {war} went on. A spokesman said talks "
                                 f"would continue. The ministry gave no figures for the week."})
    return rows


def _render(tmp_path, rows, name):
    path = tmp_path / f"{name}.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    out = render_report(path, tmp_path / name, progress=False)
    html = (out / "report.html").read_text("utf-8")
    assert all(s in html for s in SECTIONS)  # every section is there, in order of the template
    assert [html.index(s) for s in SECTIONS] == sorted(html.index(s) for s in SECTIONS)
    missing = re.findall(r"""<p class=["']framing-missing["']><b>([^<]*)</b>""", html)
    figures = sorted(p.stem for p in (out / "figures").glob("*.png"))
    return out, html, missing, figures


def test_three_outlets_twelve_articles_four_months_and_a_name_with_dollars(tmp_path):
    rows = _articles({MATH: 0.8, "Beta $5 & 10%": 0.5, "Gamma_{sub}": 0.2}, n=12, months=4)
    out, html, missing, figures = _render(tmp_path, rows, "three")
    # 3 articles per outlet and month: no month reaches the 5 articles a trend point needs
    assert missing == ["Trend chart: not enough data."]
    assert "the most any outlet has is 0" in html
    assert pd.read_csv(out / "tables" / "trend_lean.csv")["period"].nunique() == 4  # the table keeps every month
    # drawn literally: mathtext would have raised on \undefinedmacro (and eaten the $ of "Beta $5")
    assert any(f.endswith("terms_undefinedmacro_x") for f in figures) and any(f.endswith("_map") for f in figures)
    assert r"$\undefinedmacro{x}$" in html and "Beta $5 &amp; 10%" in html


def test_two_articles(tmp_path):
    rows = _articles({"Alpha": 0.8}, n=2, months=1)
    out, html, missing, figures = _render(tmp_path, rows, "two")
    assert missing == ["Distinctive words: not enough data.", "Map: not enough data.", "Trend chart: not enough data."]
    assert "needs at least two outlets with articles; there is 1" in html
    assert any(f.endswith("_lean") for f in figures)  # what can be shown is shown


def test_a_corpus_without_hits_and_a_page_of_menus(tmp_path):
    rows = [dict(r, title="Weather", text="The weather was mild and the harvest went well. Farmers said prices "
                 "were steady. " * 3) for r in _articles({"Alpha": 0, "Beta": 0}, n=6, months=2)]
    rows.append({"outlet": "Beta", "published": "2022-03-09", "title": "Menu",
                 "text": "Home\nNews\nSport\nWeather\nContact us\nSubscribe"})  # only page chrome: flagged
    out, html, missing, figures = _render(tmp_path, rows, "nohits")
    # the data-quality section lists the flagged article, how many and where to look
    flagged = pd.read_csv(out / "tables" / "cleaning_flagged.csv")
    assert flagged[["outlet", "flag"]].to_dict("records") == [{"outlet": "Beta", "flag": "chrome_only"}]
    quality = html[html.index("2.-Data-quality"):html.index("3.-Headline")]
    assert "1 of 13 articles (1 chrome_only)" in quality and flagged["doc_id"].iloc[0] in quality
    assert "tables/cleaning_log.csv" in quality and "--flagged" in quality
    assert missing == ["Lean score: not enough data.", "Variant shares: not enough data.", "Voice: not enough data.",
                       "Map: not enough data.", "Trend chart: not enough data."]
    assert pd.read_csv(out / "tables" / "hits.csv").empty
    assert all("_terms_" in f"_{f}" for f in figures)  # only the distinctive-word charts have data
