"""Charts: each draws on the current or the given Axes, with the right artists, words and colours."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import colors as mcolors

from framing import (
    FramingError,
    Lexicon,
    count_hits,
    distinctive_terms,
    find_hits,
    lean,
    outlet_map,
    trend,
    variant_shares,
)
from framing.plot import (
    OKABE_ITO,
    SIDE_COLORS,
    VOICE_COLORS,
    plot_distinctive_terms,
    plot_heatmap,
    plot_lean,
    plot_outlet_map,
    plot_shares,
    plot_shares_grid,
    plot_trend,
    plot_trend_grid,
    plot_voice,
    side_colors,
    trend_window,
)

LEX = "russia-ukraine"
SEED_ORDER = ["American Age", "Reuters", "TheJournal.ie", "The National", "RT"]  # ties at -1 sorted by name


@pytest.fixture(scope="module")
def hits(seed_corpus):
    return find_hits(seed_corpus, LEX)


@pytest.fixture(scope="module")
def shares(hits, seed_corpus):
    return variant_shares(hits, seed_corpus, lexicon=LEX)


@pytest.fixture(scope="module")
def lean_table(hits, seed_corpus):
    return lean(hits, seed_corpus, lexicon=LEX, weight="hits")  # the order of the shares' side-tagged hits


@pytest.fixture(scope="module")
def months():
    """Two outlets over three months (the seed corpus has one month per outlet)."""
    rows = [("R1", "R", "2022-03-05", "Kiev says. Kiev again."), ("R2", "R", "2022-04-05", "Kiev and Kyiv."),
            ("R3", "R", "2022-05-05", "Kiev."), ("W1", "W", "2022-03-07", "Kyiv said."),
            ("W2", "W", "2022-04-07", "Kyiv and Kiev."), ("W3", "W", "2022-05-07", "Kyiv. Kyiv.")]
    corpus = pd.DataFrame({"outlet": [r[1] for r in rows], "published": pd.to_datetime([r[2] for r in rows]),
                           "text": [r[3] for r in rows]}, index=pd.Index([r[0] for r in rows], name="doc_id"))
    corpus["title"] = None
    corpus["n_words"] = corpus["text"].str.split().str.len()
    return corpus


def rgb(color):
    return mcolors.to_rgb(color)


def no_overlaps(ax, texts):
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in texts if t.get_visible() and t.get_text().strip()]
    return not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def is_words(label: str) -> bool:
    return " " in label.strip() and "_" not in label


# ------------------------------------------------------------------------------------- palette
def test_side_and_voice_colours_are_okabe_ito_and_distinct():
    assert SIDE_COLORS["ru_state"] == OKABE_ITO["vermillion"] == "#D55E00"
    assert SIDE_COLORS["ua_western"] == OKABE_ITO["blue"] == "#0072B2"
    assert set(VOICE_COLORS) == {"authorial", "quoted", "distanced", "attributed"}
    assert not set(VOICE_COLORS.values()) & set(SIDE_COLORS.values())  # no side's colour, attributed included
    assert len(set(VOICE_COLORS.values())) == 4


# -------------------------------------------------------------------------------------- shares
def test_plot_shares_axes(shares):
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots()
    assert plot_shares(shares, "capital") is ax2
    assert plot_shares(shares, "capital", ax=ax1) is ax1


def test_plot_shares_draws_each_outlet_with_hits_and_lists_the_others(shares):
    ax = plot_shares(shares, "war_name", lexicon=LEX)
    sub = shares[shares.contrast == "war_name"]
    with_hits = sub.loc[sub.n_contrast_hits > 0, "group"].nunique()
    n_variants = sub.variant.nunique()
    assert len(ax.containers) == n_variants  # one errorbar per variant ...
    points = sum(len(c.lines[0].get_xdata()) for c in ax.containers)
    assert points == with_hits * n_variants  # ... with a dot per outlet that has hits
    assert [t.get_text() for t in ax.texts] == ["no hits"] * (5 - with_hits)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [lab.split(" (n=")[0] for lab in labels] == SEED_ORDER
    assert labels[-1] == "RT (n=1)" and labels[1] == "Reuters"  # no hits: no n=
    assert ax.get_title(loc="left") == "What the war is called"
    assert is_words(ax.get_xlabel()) and is_words(ax.get_ylabel())
    colors = {c.get_label(): rgb(c.lines[0].get_color()) for c in ax.containers}
    assert colors["special operation"] == rgb(SIDE_COLORS["ru_state"])
    assert colors["invasion"] == rgb(SIDE_COLORS["ua_western"])
    assert colors["war"] != colors["invasion"]  # two variants of one side: two shades
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Russian state usage:" in legend and "Ukrainian official / Western usage:" in legend


def test_plot_shares_honours_order_and_rejects_bad_input(shares):
    ax = plot_shares(shares, "capital", order=["RT", "Reuters"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["RT (n=1)", "Reuters (n=1)"]
    with pytest.raises(FramingError, match="no contrast 'kapital'"):
        plot_shares(shares, "kapital")
    with pytest.raises(FramingError, match="variant_shares"):
        plot_shares(shares.drop(columns="ci_low"), "capital")
    with pytest.raises(FramingError, match="not in the table"):
        plot_shares(shares, "capital", order=["Pravda"])


def test_plot_shares_grid_skips_contrasts_without_hits(shares):
    fig = plt.figure(figsize=(12, 6))
    axes = plot_shares_grid(shares, ["capital", "lviv", "war_name", "referendums"], ncols=2, lexicon=LEX,
                            fig=fig)
    assert isinstance(axes, np.ndarray) and len(axes) == 3  # Lviv: no hits in the seed corpus
    assert all(ax.figure is fig for ax in axes) and len(fig.axes) == 3
    assert [ax.get_title(loc="left") for ax in axes] == ["Name of Ukraine's capital", "What the war is called",
                                                         "The 2022 referendums"]
    orders = {tuple(t.get_text().split(" (n=")[0] for t in ax.get_yticklabels()) for ax in axes}
    assert orders == {tuple(SEED_ORDER)}  # one outlet order in every panel
    assert fig.legends and "Colour" in fig.legends[0].get_title().get_text()


def test_plot_shares_grid_default_draws_every_contrast_with_hits(shares):
    axes = plot_shares_grid(shares)
    assert len(axes) == shares.loc[shares.n_contrast_hits > 0, "contrast"].nunique()
    with pytest.raises(FramingError, match="no contrast"):
        plot_shares_grid(shares, ["nope"])


# ---------------------------------------------------------------------------------------- lean
def test_plot_lean_axes(lean_table):
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots()
    assert plot_lean(lean_table) is ax2
    assert plot_lean(lean_table, ax=ax1) is ax1


def test_plot_lean_sorted_coloured_by_side_with_named_axis(lean_table):
    ax = plot_lean(lean_table)
    assert len(ax.containers) == 5
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{g} (n=1)" for g in SEED_ORDER]
    colors = [rgb(c.lines[0].get_color()) for c in ax.containers]
    assert colors[-1] == rgb(SIDE_COLORS["ru_state"])  # RT
    assert colors[:-1] == [rgb(SIDE_COLORS["ua_western"])] * 4
    assert "← Ukrainian official / Western usage" in ax.get_xlabel()
    assert "Russian state usage →" in ax.get_xlabel()
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.lines)  # the line at 0
    assert is_words(ax.get_title(loc="left"))


def test_plot_lean_rejects_article_level_table(hits, seed_corpus):
    with pytest.raises(FramingError, match="unit='group'"):
        plot_lean(lean(hits, seed_corpus, unit="article"))
    with pytest.raises(FramingError, match="framing.lean"):
        plot_lean(pd.DataFrame({"group": ["A"]}))


# --------------------------------------------------------------------------------------- voice
def test_plot_voice_axes(hits):
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots()
    assert plot_voice(hits, contrast="war_name") is ax2
    assert plot_voice(hits, contrast="war_name", ax=ax1) is ax1


def test_plot_voice_splits_each_outlet_into_four_voices(hits):
    ax = plot_voice(hits, contrast="war_name", lexicon=LEX)
    sub = hits[hits.contrast == "war_name"]
    n_outlets = sub.outlet.nunique()
    assert len(ax.patches) == 4 * n_outlets
    assert {rgb(p.get_facecolor()) for p in ax.patches} == {rgb(c) for c in VOICE_COLORS.values()}
    for label in ax.get_yticklabels():  # n= hits, and the bars of each outlet add up to 100%
        outlet, n = label.get_text().rsplit(" (n=", 1)
        assert int(n.rstrip(")")) == (sub.outlet == outlet).sum()
    widths = np.array([p.get_width() for p in ax.patches]).reshape(4, n_outlets)
    assert np.allclose(widths.sum(axis=0), 1)
    assert ax.get_title(loc="left") == "Own words or quoted? What the war is called"


def test_plot_voice_same_from_find_hits_and_count_hits(hits, seed_corpus):
    _, (a, b) = plt.subplots(1, 2)
    plot_voice(hits, variant="special_operation", ax=a, order=SEED_ORDER)
    plot_voice(count_hits(seed_corpus, LEX), variant="special_operation", ax=b, order=SEED_ORDER)
    assert [p.get_width() for p in a.patches] == [p.get_width() for p in b.patches]
    assert [t.get_text() for t in a.get_yticklabels()] == [t.get_text() for t in b.get_yticklabels()]
    assert "no hits" in [t.get_text() for t in a.texts]  # American Age never says it


def test_plot_voice_rejects_bad_input(hits):
    with pytest.raises(FramingError, match="no hits of variant 'nope'"):
        plot_voice(hits, variant="nope")
    with pytest.raises(FramingError, match="no column 'country'"):
        plot_voice(hits, contrast="capital", by="country")
    with pytest.raises(FramingError, match="find_hits or framing.count_hits"):
        plot_voice(pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------- distinctive terms
@pytest.fixture(scope="module")
def rt_terms(seed_corpus):
    return distinctive_terms(seed_corpus, target="RT", stop_words="english")


def test_plot_distinctive_terms_axes(rt_terms):
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots()
    assert plot_distinctive_terms(rt_terms, n_labels=2) is ax2
    assert plot_distinctive_terms(rt_terms, ax=ax1, n_labels=2) is ax1


def test_plot_distinctive_terms_labels_significant_terms_without_overlap(rt_terms):
    ax = plot_distinctive_terms(rt_terms, target="RT", reference="the others", n_labels=2)
    labels = [t for t in ax.texts if t.get_text() in set(rt_terms.term)]
    assert [t.get_text() for t in labels] == ["kiev", "2022"]  # the top 2 with z > 1.96
    assert no_overlaps(ax, ax.texts)
    assert ax.get_xscale() == "log"
    assert sum(len(c.get_offsets()) for c in ax.collections[:3]) == len(rt_terms)  # every term is a dot
    assert ax.get_title(loc="left") == "Terms that set RT apart from the others"
    assert is_words(ax.get_xlabel()) and is_words(ax.get_ylabel())
    assert any("not significant" in t.get_text() for t in ax.texts)


def test_plot_distinctive_terms_needs_a_group_for_every_group_tables(seed_corpus):
    each = distinctive_terms(seed_corpus, stop_words="english")
    with pytest.raises(FramingError, match="pass group="):
        plot_distinctive_terms(each)
    ax = plot_distinctive_terms(each, group="RT", n_labels=1)
    assert ax.get_title(loc="left") == "Terms that set RT apart from the rest"


# ------------------------------------------------------------------------------------ outlet map
def test_plot_outlet_map_labels_outlets_and_variants_without_overlap(shares):
    m = outlet_map(shares)
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots(figsize=(8, 6))
    assert plot_outlet_map(m, variants=False) is ax2
    assert sorted(t.get_text() for t in ax2.texts) == sorted(SEED_ORDER)
    assert plot_outlet_map(m, ax=ax1, lexicon=LEX, n_variant_labels=10) is ax1
    assert len(ax1.texts) > 5 and no_overlaps(ax1, ax1.texts)
    pct = round(100 * m.attrs["explained"][0])
    assert ax1.get_xlabel() == f"Dimension 1 ({pct}% of inertia)"
    sides = {rgb(c.get_facecolor()[0]) for c in ax1.collections[:-1]}
    assert rgb(SIDE_COLORS["ru_state"]) in sides and rgb(SIDE_COLORS["ua_western"]) in sides


# ---------------------------------------------------------------------------------------- trend
def test_plot_trend_single_period_draws_points_and_says_so(hits, seed_corpus):
    table = trend(hits, seed_corpus, lexicon=LEX)
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots()
    assert plot_trend(table) is ax2
    ax = plot_trend(table, ax=ax1, lexicon=LEX)
    assert ax is ax1
    assert len(ax.containers) == 5
    assert "points, not a trend" in ax.get_title(loc="left")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Dec 2022", "Dec 2023"]


def test_plot_trend_lines_with_bands_per_outlet(months):
    table = trend(find_hits(months, LEX), months, variant="kiev")
    ax = plot_trend(table, label="Kiev")
    lines = [line for line in ax.lines if line.get_label() in ("R", "W")]
    assert len(lines) == 2 and all(len(line.get_xdata()) == 3 for line in lines)
    assert len(ax.collections) == 2  # one interval band per outlet
    assert ax.get_title(loc="left") == "Share of “Kiev” by month, per outlet"
    assert ax.get_ylabel() == "Share of “Kiev” in its contrast"
    assert sorted(t.get_text() for t in ax.texts) == ["R", "W"]  # named in the margin
    assert isinstance(ax.xaxis.get_major_formatter(), plt.matplotlib.dates.ConciseDateFormatter)


def test_plot_trend_rejects_mixed_or_empty_tables(hits, seed_corpus):
    table = trend(hits, seed_corpus, lexicon=LEX)
    with pytest.raises(FramingError, match="mixes measures"):
        plot_trend(pd.concat([table, table.assign(measure="share")]))
    with pytest.raises(FramingError, match="none with at least 5"):
        plot_trend(table, min_docs=5)


# -------------------------------------------------------------------------------------- heatmap
def test_plot_heatmap_rows_grouped_by_contrast(shares):
    f1, ax1 = plt.subplots()
    f2, ax2 = plt.subplots(figsize=(7, 5))
    assert plot_heatmap(shares, contrasts=["capital"]) is ax2
    ax = plot_heatmap(shares, ax=ax1, contrasts=["capital", "war_name"], lexicon=LEX, annotate=True)
    assert ax is ax1
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Name of Ukraine's capital", "Kyiv", "Kiev", "What the war is called", "special operation",
                      "military operation", "SMO", "invasion", "war"]
    colors = {t.get_text(): rgb(t.get_color()) for t in ax.get_yticklabels()}
    assert colors["Kiev"] != colors["Kyiv"]
    assert [t.get_text().split(" (")[0] for t in ax.get_xticklabels()] == SEED_ORDER
    sub = shares[shares.contrast.isin(["capital", "war_name"])]
    assert len(ax.texts) == (sub.per_1k_words > 0).sum()  # one number per cell with hits
    assert f1.axes[-1].get_ylabel() == "Hits per 1,000 words"  # the colour bar
    with pytest.raises(FramingError, match="no column 'rate'"):
        plot_heatmap(shares, value="rate")


# --------------------------------------------------------------------------------------- images
CHARTS = {
    "shares": lambda d: plot_shares(d["shares"], "capital", lexicon=LEX),
    "shares_grid": lambda d: plot_shares_grid(d["shares"], ["capital", "war_name"], lexicon=LEX)[0],
    "lean": lambda d: plot_lean(d["lean"]),
    "voice": lambda d: plot_voice(d["hits"], contrast="war_name", lexicon=LEX),
    "distinctive": lambda d: plot_distinctive_terms(d["terms"], target="RT", n_labels=3),
    "map": lambda d: plot_outlet_map(outlet_map(d["shares"]), lexicon=LEX),
    "trend": lambda d: plot_trend(d["trend"], lexicon=LEX),
    "heatmap": lambda d: plot_heatmap(d["shares"], lexicon=LEX),
}


@pytest.mark.parametrize("chart", list(CHARTS))
def test_chart_renders_to_png(chart, hits, shares, lean_table, rt_terms, seed_corpus, tmp_path):
    data = {"hits": hits, "shares": shares, "lean": lean_table, "terms": rt_terms,
            "trend": trend(hits, seed_corpus, lexicon=LEX) if chart == "trend" else None}
    if chart not in ("shares_grid",):
        plt.figure(figsize=(8, 9) if chart == "heatmap" else (8, 5), layout="constrained")
    ax = CHARTS[chart](data)
    path = tmp_path / f"{chart}.png"
    ax.figure.savefig(path, dpi=60)
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 5_000
    image = plt.imread(path)
    assert image.shape[0] > 100 and image.shape[1] > 100
    assert image[..., :3].std() > 0.05  # not a blank canvas


# --------------------------------------------------------------------------------- side colours
def _lexicon(sides: dict) -> Lexicon:
    ids = list(sides)
    return Lexicon.from_dict({"name": "t", "sides": sides, "contrasts": {"c": {"variants": {
        f"v{i}": {"side": sid, "patterns": [f"word{i}"]} for i, sid in enumerate(ids)}}}})


def test_sides_of_any_name_get_distinct_colours_by_order_never_a_voice_colour():
    # the case: two sides that a hash of their names put on one colour, the authorial voice's
    colors = side_colors(_lexicon({"restrictive": "Restrictive", "inclusive": "Inclusive"}))
    assert colors["restrictive"] != colors["inclusive"]
    assert colors["restrictive"] == OKABE_ITO["vermillion"] and colors["inclusive"] == OKABE_ITO["blue"]
    six = side_colors(_lexicon({f"s{i}": f"S{i}" for i in range(6)}))
    values = [six[f"s{i}"] for i in range(6)]
    assert len(set(values)) == 6
    assert not set(values) & set(VOICE_COLORS.values())
    assert six == side_colors(_lexicon({f"s{i}": f"S{i}" for i in range(6)}))  # the same every time


def test_lexicon_colours_win_and_the_others_fill_the_free_palette():
    colors = side_colors(_lexicon({"a": {"label": "A", "color": "#0072B2"}, "b": "B", "c": "C"}))
    assert colors["a"] == "#0072B2"
    assert colors["b"] == OKABE_ITO["vermillion"] and colors["c"] == OKABE_ITO["orange"]  # blue is taken


def test_charts_use_the_lexicon_side_colours():
    lex = _lexicon({"restrictive": {"label": "Restrictive", "color": "#AA3377"}, "inclusive": "Inclusive"})
    corpus = pd.DataFrame({"outlet": ["A", "B"], "text": ["word0 word0", "word1"], "title": None,
                           "published": pd.to_datetime(["2022-01-01", "2022-01-02"])},
                          index=pd.Index(["a", "b"], name="doc_id"))
    corpus["n_words"] = 2
    table = lean(find_hits(corpus, lex), corpus, lexicon=lex)
    ax = plot_lean(table, lexicon=lex)
    dots = {rgb(c.lines[0].get_color()) for c in ax.containers}
    assert dots == {rgb("#AA3377"), rgb(OKABE_ITO["vermillion"])}


# ------------------------------------------------------------------------------ trend: many outlets
def test_trend_window_leaves_out_stray_early_periods():
    t = pd.DataFrame({"group": "A", "period": pd.to_datetime(["2019-12-01", "2020-01-01"] + [
        f"2022-{m:02d}-01" for m in range(2, 12)]), "n_docs": [20, 20] + [400] * 10})
    w = trend_window(t)
    assert (w["start"], w["end"]) == (pd.Timestamp("2022-02-01"), pd.Timestamp("2022-11-01"))
    assert w["n_out"] == 40 and "40 articles in 2 months outside Feb 2022–Nov 2022" in w["note"]
    assert trend_window(t, None)["n_out"] == 0


def _many_outlets(n: int) -> pd.DataFrame:
    periods = pd.to_datetime([f"2022-{m:02d}-01" for m in range(3, 9)])
    return pd.DataFrame([{"group": f"Outlet {g:02d}", "period": p, "measure": "lean", "value": -0.9 + 0.1 * g,
                          "ci_low": -1.0, "ci_high": 1.0, "n_docs": 10} for g in range(n) for p in periods])


def test_trend_lines_never_reuse_a_colour():
    for n in (4, 13):
        ax = plot_trend(_many_outlets(n))
        colors = [rgb(line.get_color()) for line in ax.lines if line.get_label().startswith("Outlet")]
        assert len(colors) == n
        assert len(set(colors)) == (n if n <= 9 else 1)  # distinct colours, else one colour and direct names
        assert sorted(t.get_text() for t in ax.texts) == [f"Outlet {g:02d}" for g in range(n)]
        plt.close("all")


def test_trend_margin_names_keep_the_order_of_the_line_ends():
    ax = plot_trend(_many_outlets(13), min_docs=1)
    ends = {t.get_text(): t.xy[1] for t in ax.texts}
    names = {t.get_text(): t.get_position()[1] for t in ax.texts}  # label heights (axes fraction y)
    by_end = sorted(ends, key=ends.get)
    by_label = sorted(names, key=names.get)
    assert by_end == by_label  # leaders from ends to names cannot cross


def test_trend_grid_one_panel_per_outlet():
    axes = plot_trend_grid(_many_outlets(13), ncols=4)
    assert len(axes) == 13 and axes[0].get_title(loc="left") == "Outlet 00 (n=60)"
    assert len({ax.get_xlim() for ax in axes}) == 1 and len({ax.get_ylim() for ax in axes}) == 1
    own = [line for line in axes[0].lines if rgb(line.get_color()) == rgb("#222222")]
    context = [line for line in axes[0].lines if rgb(line.get_color()) == rgb("0.82")]
    assert len(own) == 1 and len(context) == 12


def test_distinctive_terms_ticks_never_collide_and_flagged_terms_are_left_out():
    rng = np.random.default_rng(0)
    n = 400
    freq = np.exp(rng.uniform(np.log(3), np.log(20_000), n)).round()
    terms = pd.DataFrame({"term": [f"w{i}" for i in range(n)], "n_target": (freq / 2).round(),
                          "n_reference": freq - (freq / 2).round(), "z": rng.normal(0, 2, n),
                          "left_out": ["group name" if i < 5 else "" for i in range(n)]})
    fig, ax = plt.subplots(figsize=(8, 5))
    plot_distinctive_terms(terms, ax=ax, target="T", reference="R")
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text() and t.get_visible()
             and ax.get_xlim()[0] <= t.get_position()[0] <= ax.get_xlim()[1]]
    assert len(boxes) >= 3
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert "5 terms not drawn" in ax.get_xlabel()
    labels = {t.get_text() for t in ax.texts}
    assert not labels & {f"w{i}" for i in range(5)}
    from framing.plot import TERM_COLORS

    colours = {rgb(c) for coll in ax.collections for c in coll.get_facecolors()[:1]}
    assert rgb(TERM_COLORS["target"]) in colours and not colours & {rgb(c) for c in SIDE_COLORS.values() if c}


def test_charts_name_the_grouping_column_not_outlet(seed_corpus):
    # a report --by a metadata column speaks of that column on every axis and title
    corpus = seed_corpus.assign(home_country=["Ireland", "UAE", "Russia", "UK", "USA"][:len(seed_corpus)])
    by = "home_country"
    hits = find_hits(corpus, LEX).join(corpus[by], on="doc_id")
    shares = variant_shares(hits, corpus, by=by, lexicon=LEX)
    lean_table = lean(hits, corpus, by=by, lexicon=LEX)
    _, axes = plt.subplots(1, 4)
    labels = []
    ax = plot_lean(lean_table, ax=axes[0])
    labels += [ax.get_ylabel(), ax.get_title(loc="left")]
    ax = plot_voice(hits, by=by, contrast="capital", ax=axes[1])
    labels += [ax.get_ylabel(), ax.get_xlabel()]
    ax = plot_shares(shares, contrast="capital", ax=axes[2])
    labels += [ax.get_ylabel(), ax.get_xlabel()]
    ax = plot_heatmap(shares, ax=axes[3])
    labels += [ax.get_xlabel(), ax.get_title(loc="left")]
    assert all("home country" in label.lower() for label in labels), labels
    assert not any("outlet" in label.lower() for label in labels), labels
    assert lean_table.attrs["by"] == shares.attrs["by"] == by
    plt.close("all")
