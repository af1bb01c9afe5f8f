"""Stage 6, plot: one chart per function; each draws on ``ax`` (default: the current Axes) and returns it.

Colours are colour-blind safe (Okabe–Ito) and mean one thing each across every chart: one colour per
side of the lexicon (:data:`SIDE_COLORS`), one per voice (:data:`VOICE_COLORS`). Outlets are listed
in one meaningful order (by lean score, see :func:`outlet_order`); intervals are drawn wherever the
statistic has one and ``n=`` says how many articles or hits stand behind each row.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib import dates as mdates
from matplotlib import transforms as mtransforms
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, PercentFormatter

from framing._checks import check_column, check_groups, check_int
from framing._docstrings import share_docs
from framing._errors import ArgumentError, FramingError
from framing._labels import none_if_missing as _none
from framing._labels import side_name
from framing.stats import outlet_order, voice_shares
from framing.voice import VOICES

__all__ = [
    "OKABE_ITO",
    "SIDE_COLORS",
    "SIDE_PALETTE",
    "VOICE_COLORS",
    "TERM_COLORS",
    "plot_distinctive_terms",
    "plot_heatmap",
    "plot_lean",
    "plot_outlet_map",
    "plot_shares",
    "plot_shares_grid",
    "plot_trend",
    "plot_trend_grid",
    "trend_window",
    "GROUP_COLORS",
    "plot_voice",
    "side_colors",
]

#: The Okabe–Ito palette (Okabe & Ito 2008), distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
#: The colours sides take, in this order (a lexicon's sides without a ``color:`` take the first free one):
#: the Okabe–Ito colours that no voice uses, so a side's colour never means a voice. A fifth side and
#: more take the same four, darkened.
SIDE_PALETTE = [OKABE_ITO[c] for c in ("vermillion", "blue", "orange", "sky_blue")]
#: Colours of the built-in lexicons' sides (their YAML gives them too), used by charts drawn without a
#: lexicon. ``None``: variants that belong to no side.
SIDE_COLORS: dict[str | None, str] = {
    "ru_state": OKABE_ITO["vermillion"],
    "ua_western": OKABE_ITO["blue"],
    "conventional": OKABE_ITO["orange"],
    "guardian_2019": OKABE_ITO["sky_blue"],
    None: OKABE_ITO["grey"],
}
#: One colour per voice (none of them a side's colour).
VOICE_COLORS = {
    "authorial": OKABE_ITO["bluish_green"],
    "quoted": OKABE_ITO["yellow"],
    "distanced": OKABE_ITO["reddish_purple"],
    "attributed": OKABE_ITO["black"],
}
_VOICE_LABELS = {
    "authorial": "authorial: own words",
    "quoted": "quoted",
    "distanced": "distanced: scare quotes, “so-called”",
    "attributed": "attributed: “what critics call”, “claimed that”",
}
#: The two directions of a distinctive-terms chart (typical of the target / of the reference): Paul Tol's
#: indigo and olive, colour-blind safe and neither a side's nor a voice's colour.
TERM_COLORS = {"target": "#332288", "reference": "#999933"}
#: Shades for the variants of one contrast that belong to no side: dark, middle and light grey.
_NO_SIDE_SHADES = ["#3A3A3A", "#8C8C8C", "#C8C8C8"]
_MARKERS = ["o", "s", "D", "^", "v", "P"]
_MUTED = "0.45"

_SHARE_NEED = ("group", "contrast", "variant", "side", "n_hits", "n_contrast_hits", "n_contrast_docs", "share",
               "ci_low", "ci_high")


# ------------------------------------------------------------------------------------- helpers
def _require(table, columns: Sequence[str], source: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ArgumentError(f"expected a DataFrame from {source}, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ArgumentError(f"expected the table returned by {source}; it lacks the column(s) {missing} "
                            f"(its columns are {list(table.columns)})")


def side_colors(lexicon=None, sides: Sequence = ()) -> dict:
    """The colour of each side, the same in every chart of a report.

    A lexicon's side takes its ``color:``; the other sides take, in the lexicon's order, the first
    colour of :data:`SIDE_PALETTE` no side has yet (four colour-blind-safe Okabe–Ito colours that no
    voice uses; a fifth side and more get them darkened). Without a lexicon, the ``sides`` found in a
    table are taken in sorted order, the built-in lexicons' sides keeping their :data:`SIDE_COLORS`.
    Never a hash: two sides never share a colour. ``None`` (no side) is grey.

    Examples
    --------
    >>> from framing import Lexicon
    >>> from framing.plot import side_colors
    >>> lex = Lexicon.from_dict({"name": "x", "sides": {"restrictive": "R", "inclusive": "I"},
    ...     "contrasts": {"c": {"variants": {"a": {"side": "restrictive", "patterns": ["illegal"]},
    ...                                      "b": {"side": "inclusive", "patterns": ["undocumented"]}}}}})
    >>> side_colors(lex)
    {'restrictive': '#D55E00', 'inclusive': '#0072B2', None: '#999999'}
    >>> side_colors(sides=["ua_western", "ru_state"])  # the built-in sides keep their colours
    {'ru_state': '#D55E00', 'ua_western': '#0072B2', None: '#999999'}
    """
    lex = _lexicon(lexicon)
    if lex is not None:
        names = list(lex.sides)
        fixed = dict(lex.side_colors)
    else:
        names = sorted({str(x) for x in sides if _none(x) is not None})
        fixed = {x: SIDE_COLORS[x] for x in names if x in SIDE_COLORS}
    names += [str(x) for x in sides if _none(x) is not None and str(x) not in names]  # sides not in the lexicon
    taken = {c.upper() for c in fixed.values()}
    free = [c for c in SIDE_PALETTE if c.upper() not in taken]
    free += [mcolors.to_hex(_mix(c, "black", 0.45)).upper() for c in SIDE_PALETTE]
    out = {}
    for x in names:
        out[x] = fixed[x] if x in fixed else free.pop(0) if free else SIDE_COLORS[None]
    out[None] = SIDE_COLORS[None]
    return out


def _side_color(side, palette: dict | None = None) -> str:
    side = _none(side)
    palette = palette if palette is not None else side_colors(sides=[side])
    return palette.get(side, SIDE_COLORS[None])


def _mix(color, other, t: float) -> tuple:
    a, b = np.array(mcolors.to_rgb(color)), np.array(mcolors.to_rgb(other))
    return tuple((1 - t) * a + t * b)


def _variant_styles(variants: Sequence[str], sides: pd.Series, palette: dict | None = None) -> dict[str, dict]:
    """Colour and marker per variant: the side's own colour, then lighter and darker shades of it;
    variants of no side dark, middle and light grey."""
    by_side: dict = {}
    for v in variants:
        by_side.setdefault(_none(sides.get(v)), []).append(v)
    steps = [0.0, 0.45, -0.35, 0.65, -0.55, 0.8]  # + towards white, - towards black
    styles = {}
    for side, vs in by_side.items():
        base = _side_color(side, palette)
        for i, v in enumerate(vs):
            t = steps[i % len(steps)]
            color = _mix(base, "black", -t) if t < 0 else _mix(base, "white", t)
            if side is None and len(vs) > 1:
                color = mcolors.to_rgb(_NO_SIDE_SHADES[i % len(_NO_SIDE_SHADES)])
            styles[v] = {"color": color, "marker": _MARKERS[i % len(_MARKERS)], "side": side}
    return styles


def _lexicon(lexicon):
    if lexicon is None:
        return None
    from framing.lexicon import load_lexicon

    return load_lexicon(lexicon)


def _contrast_label(contrast, lex=None) -> str:
    if lex is not None and contrast in lex.contrasts:
        return lex.contrasts[contrast].label
    return str(contrast).replace("_", " ")


def _variant_label(contrast, variant, lex=None) -> str:
    """The variant's label, else its first pattern when that spells the id (``Kiev``), else the id."""
    name = str(variant).replace("_", " ")
    if lex is not None and contrast in lex.contrasts and variant in lex.contrasts[contrast].variants:
        v = lex.contrasts[contrast].variants[variant]
        if v.label:
            return v.label
        words = v.patterns[0].replace("*", "").split()[: len(name.split())]

        def norm(x):
            return re.sub(r"[^a-z0-9]", "", x.lower())

        if words and norm(" ".join(words)) == norm(name):
            return " ".join(words)
    return name


def _noun(table=None, by: str | None = None) -> str:
    """The word for a group in labels: the grouping column (``by``, else the table's ``attrs["by"]``).

    Tables of :mod:`framing.stats` record the column they were grouped by, so a chart of
    ``variant_shares(..., by="region")`` speaks of regions; "outlet" when nothing says otherwise.
    """
    name = by if by is not None else (getattr(table, "attrs", None) or {}).get("by") or "outlet"
    return str(name).replace("_", " ")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _plural(word: str) -> str:
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def _rows(ax: Axes, labels: Sequence[str]) -> np.ndarray:
    """One row per label, the first at the top; returns the y positions."""
    ys = np.arange(len(labels), dtype=float)
    ax.set_yticks(ys, labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    return ys


def _style(ax: Axes, grid_axis: str = "x") -> None:
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis=grid_axis, color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)


def _legend_above(ax: Axes, handles, title: str, ncol: int | None = None, **kwargs) -> None:
    """Title, then a one-to-two-row legend between the title and the plot."""
    ncol = ncol or min(len(handles), 3)
    nrow = int(np.ceil(len(handles) / ncol)) if handles else 0
    ax._framing_legend = (handles, title, ncol, kwargs)  # to fit it to the panel later (_fit_legends)
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, frameon=False,
                  fontsize="small", handletextpad=0.4, columnspacing=1.2, borderaxespad=0.2, **kwargs)
    ax.set_title(title, loc="left", pad=6 + 17 * nrow, fontweight="bold")


def _fit_legends(fig, axes, rounds: int = 8) -> None:
    """Legends above panels that are wider than their panel get fewer columns (more rows).

    A legend wider than its panel makes constrained layout squeeze every panel of its column to almost
    nothing (four long variant names above a grid panel). Measured on the figure as laid out; one
    legend at a time, the widest for its panel first, since one overflowing legend squeezes the others.
    """
    engine = fig.get_layout_engine()
    for _ in range(rounds):
        if engine is not None:
            engine.execute(fig)
        renderer = fig.canvas.get_renderer()
        worst, worst_ratio = None, 1.05
        for ax in axes:
            legend, saved = ax.get_legend(), getattr(ax, "_framing_legend", None)
            if legend is None or saved is None or saved[2] <= 1:
                continue
            ratio = legend.get_window_extent(renderer).width / max(ax.get_window_extent(renderer).width, 1.0)
            if ratio > worst_ratio:
                worst, worst_ratio = ax, ratio
        if worst is None:
            return
        handles, title, ncol, kwargs = worst._framing_legend
        worst.get_legend().remove()
        _legend_above(worst, handles, title, ncol=ncol - 1, **kwargs)


def _n(n) -> str:
    return f"{int(n):,}"


def _groups(present: Sequence, order: Sequence | None) -> list:
    if order is None:
        return list(present)
    order = list(order)
    unknown = [g for g in order if g not in set(present)]
    if unknown:
        raise ArgumentError(f"order names groups that are not in the table: {unknown}; "
                            f"the groups are {list(present)}")
    return order


# ------------------------------------------------------------------------------------- shares
@share_docs
def plot_shares(
    shares: pd.DataFrame,
    contrast: str,
    *,
    ax: Axes | None = None,
    order: Sequence | None = None,
    lexicon=None,
    legend: bool | str = True,
    title: str | None = None,
) -> Axes:
    """Each outlet's share of each variant of one contrast, with its interval.

    One row per outlet, one dot per variant (the side's colour; several variants of one side in
    shades and marker shapes), a line for its interval. ``n=`` is the number of the outlet's
    articles with a hit in the contrast; outlets without hits are listed as "no hits", not drawn.

    Parameters
    ----------
    shares : DataFrame
        From :func:`framing.variant_shares`.
    contrast : str
        The contrast id (e.g. ``"capital"``).
    {ax}
    order : list, optional
        Outlets from top to bottom (a subset is allowed); default :func:`outlet_order` of ``shares``.
    lexicon : str, Path or Lexicon, optional
        Gives the contrast's title and the variants' names.
    legend : bool, default=True
        Draw the legend above the plot: one row per side, naming the side and its variants
        (``"variants"``: the variants only, in one row).
    title : str, optional
        Default: the contrast's label.

    {returns_ax}

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares
    >>> import matplotlib.pyplot as plt
    >>> from framing.plot import plot_shares
    >>> corpus = load_corpus("data/seed")
    >>> shares = variant_shares(find_hits(corpus), corpus, lexicon="russia-ukraine")
    >>> fig, ax = plt.subplots()
    >>> ax = plot_shares(shares, "capital", ax=ax, lexicon="russia-ukraine")
    >>> ax.get_title(loc="left")
    "Name of Ukraine's capital"
    >>> [t.get_text() for t in ax.get_yticklabels()][-1]
    'RT (n=1)'
    """
    _require(shares, _SHARE_NEED, "framing.variant_shares")
    known = list(dict.fromkeys(shares["contrast"]))
    if contrast not in known:
        raise ArgumentError(f"no contrast {contrast!r} in the shares table; its contrasts are {known}")
    if ax is None:
        ax = plt.gca()
    lex = _lexicon(lexicon)
    groups = _groups(list(dict.fromkeys(shares["group"])), order) if order is not None else outlet_order(shares)
    sub = shares[shares["contrast"] == contrast]
    first = sub.drop_duplicates("group").set_index("group")
    has_hits = first["n_contrast_hits"].reindex(groups).fillna(0) > 0
    variants = list(dict.fromkeys(sub["variant"]))
    palette = side_colors(lex, shares["side"])
    styles = _variant_styles(variants, sub.drop_duplicates("variant").set_index("variant")["side"], palette)
    labels = [f"{g} (n={_n(first.at[g, 'n_contrast_docs'])})" if has_hits[g] else str(g) for g in groups]
    ys = _rows(ax, labels)
    pos = dict(zip(groups, ys, strict=True))
    step = min(0.22, 0.6 / max(len(variants), 1))
    offsets = (np.arange(len(variants)) - (len(variants) - 1) / 2) * step
    handles = []
    for v, off in zip(variants, offsets, strict=True):
        st = styles[v]
        rows = sub[(sub["variant"] == v) & sub["group"].isin([g for g in groups if has_hits[g]])]
        name = _variant_label(contrast, v, lex)
        handles.append(Line2D([], [], color=st["color"], marker=st["marker"], linestyle="-", label=name))
        if rows.empty:
            continue
        x = rows["share"].to_numpy(dtype=float)
        lo = np.nan_to_num(x - rows["ci_low"].to_numpy(dtype=float), nan=0.0).clip(min=0)
        hi = np.nan_to_num(rows["ci_high"].to_numpy(dtype=float) - x, nan=0.0).clip(min=0)
        y = np.array([pos[g] for g in rows["group"]]) + off
        ax.errorbar(x, y, xerr=[lo, hi], fmt=st["marker"], color=st["color"], markersize=6, elinewidth=1.6,
                    capsize=0, markeredgecolor="white", markeredgewidth=0.6, label=name)
    for g in groups:
        if not has_hits[g]:
            ax.text(0.5, pos[g], "no hits", ha="center", va="center", color=_MUTED, fontsize="small", style="italic")
    ax.set_xlim(-0.03, 1.03)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    noun = _noun(shares)
    ax.set_xlabel(f"Share of the {noun}'s hits in this contrast (line: 95% interval)")
    ax.set_ylabel(f"{_cap(noun)} (n = articles with a hit)")
    _style(ax)
    title = title if title is not None else _contrast_label(contrast, lex)
    if not legend:
        _legend_above(ax, [], title)
    elif legend == "variants":
        _legend_above(ax, handles, title, ncol=min(len(handles), 4))
    else:  # one row per side: "Russian state usage:  ● Kiev"
        per_side: dict = {}
        for h, v in zip(handles, variants, strict=True):
            per_side.setdefault(styles[v]["side"], []).append(h)
        width = max(len(r) for r in per_side.values()) + 1
        grid = [[_blank(f"{side_name(side, lex)}:")] + hs + [_blank("")] * (width - 1 - len(hs))
                for side, hs in per_side.items()]
        _legend_above(ax, [grid[r][c] for c in range(width) for r in range(len(grid))], title, ncol=width)
    return ax


def _blank(label: str) -> Line2D:
    return Line2D([], [], linestyle="", marker="", label=label)


def plot_shares_grid(
    shares: pd.DataFrame,
    contrasts: Sequence[str] | None = None,
    *,
    ncols: int = 3,
    order: Sequence | None = None,
    lexicon=None,
    fig: Figure | None = None,
    title: str | None = None,
) -> np.ndarray:
    """Small multiples of :func:`plot_shares`: one panel per contrast with hits, one outlet order.

    Parameters
    ----------
    shares : DataFrame
        From :func:`framing.variant_shares`.
    contrasts : list of str, optional
        The contrasts to draw, in this order; default every contrast with hits. Contrasts without
        hits are skipped (list them in the text instead).
    ncols : int, default=3
        Panels per row.
    order : list, optional
        Outlets from top to bottom in every panel; default :func:`outlet_order` of ``shares``.
    lexicon : str, Path or Lexicon, optional
        Panel titles are the lexicon's contrast labels, variants its names.
    fig : Figure or SubFigure, optional
        An empty figure to draw the panels on; default a new figure sized to the panels (the one
        place where a chart creates its figure).
    title : str, optional
        A heading above the explanation (e.g. the family of contrasts drawn).

    Returns
    -------
    numpy.ndarray of Axes
        The panels, one per contrast drawn, in reading order.

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares
    >>> from framing.plot import plot_shares_grid
    >>> corpus = load_corpus("data/seed")
    >>> shares = variant_shares(find_hits(corpus), corpus, lexicon="russia-ukraine")
    >>> axes = plot_shares_grid(shares, ["capital", "war_name", "lviv"], lexicon="russia-ukraine")
    >>> [ax.get_title(loc="left") for ax in axes]  # Lviv has no hits in the seed corpus
    ["Name of Ukraine's capital", 'What the war is called']
    """
    _require(shares, _SHARE_NEED, "framing.variant_shares")
    check_int(ncols, "ncols", low=1)
    known = list(dict.fromkeys(shares["contrast"]))
    hits = shares.groupby("contrast", sort=False)["n_contrast_hits"].max()
    if contrasts is None:
        contrasts = [c for c in known if hits[c] > 0]
    else:
        unknown = [c for c in contrasts if c not in hits.index]
        if unknown:
            raise ArgumentError(f"no contrast {unknown} in the shares table; its contrasts are {known}")
        contrasts = [c for c in contrasts if hits[c] > 0]
    if not contrasts:
        raise ArgumentError("no contrast has hits: nothing to draw")
    lex = _lexicon(lexicon)
    groups = _groups(list(dict.fromkeys(shares["group"])), order) if order is not None else outlet_order(shares)
    nrows = int(np.ceil(len(contrasts) / ncols))
    if fig is None:
        fig = plt.figure(figsize=(5.2 * min(ncols, len(contrasts)), nrows * (0.3 * len(groups) + 1.9)),
                         layout="constrained")
    axes = fig.subplots(nrows, min(ncols, len(contrasts)), squeeze=False).ravel()
    for i, (ax, c) in enumerate(zip(axes, contrasts, strict=False)):
        plot_shares(shares, c, ax=ax, order=groups, lexicon=lex, legend="variants",
                    title=textwrap.fill(_contrast_label(c, lex), 44))
        if i < len(contrasts) - ncols:
            ax.set_xlabel("")
        ax.set_ylabel("")
    for ax in axes[len(contrasts):]:
        fig.delaxes(ax)
    _fit_legends(fig, axes[: len(contrasts)])
    drawn = shares[shares["contrast"].isin(contrasts)]
    present = list(dict.fromkeys(_none(x) for x in drawn["side"]))
    lex_sides = list(getattr(lex, "sides", None) or [])  # the lexicon's order, the same in every figure
    sides = sorted(present, key=lambda x: (x is None, lex_sides.index(x) if x in lex_sides else len(lex_sides),
                                           present.index(x)))
    palette = side_colors(lex, drawn["side"])
    width = int(fig.get_figwidth() * 72 / (plt.rcParams["font.size"] * 0.62))  # characters that fit a line
    noun = _noun(shares)
    explain = textwrap.fill(f"Which term each {noun} uses, contrast by contrast (dot: share of the {noun}'s hits in "
                            "the contrast; line: 95% interval; n = articles with a hit). Colour: the side that uses "
                            "the term.", width)
    fig.legend(handles=[Patch(color=_side_color(x, palette), label=side_name(x, lex)) for x in sides],
               loc="outside upper left", ncol=max(1, min(len(sides), 3)), frameon=False, alignment="left",
               title=(f"{textwrap.fill(title, int(width / 1.25))}\n" if title else "") + explain,
               title_fontproperties={"weight": "bold", "size": "medium"})
    return np.asarray(axes[: len(contrasts)], dtype=object)


# --------------------------------------------------------------------------------------- lean
@share_docs
def plot_lean(
    lean_table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    order: Sequence | None = None,
    lexicon=None,
    title: str | None = None,
) -> Axes:
    """Outlets on the lean score, with intervals, sorted by lean.

    The dot takes the colour of the side the outlet leans to; the axis names the two sides at its
    ends and ``n=`` counts the outlet's articles with side-tagged terms.

    Parameters
    ----------
    lean_table : DataFrame
        From :func:`framing.lean` (``unit="group"``).
    {ax}
    order : list, optional
        Outlets from top to bottom; default sorted by lean (:func:`outlet_order`).
    lexicon : str, Path or Lexicon, optional
        Names the sides (default: the built-in lexicons' names for them).
    title : str, optional

    {returns_ax}

    Examples
    --------
    >>> from framing import load_corpus, find_hits, lean
    >>> import matplotlib.pyplot as plt
    >>> from framing.plot import plot_lean
    >>> corpus = load_corpus("data/seed")
    >>> fig, ax = plt.subplots()
    >>> ax = plot_lean(lean(find_hits(corpus), corpus, lexicon="russia-ukraine"), ax=ax)
    >>> print(ax.get_xlabel())
    Lean score
    ← Ukrainian official / Western usage  |  Russian state usage →
    >>> len(ax.containers)  # one dot and interval per outlet
    5
    """
    _require(lean_table, ("group", "lean", "ci_low", "ci_high", "n_docs"), "framing.lean")
    if "doc_id" in lean_table.columns:
        raise ArgumentError("plot_lean draws one row per group: use lean(..., unit='group')")
    if ax is None:
        ax = plt.gca()
    lex = _lexicon(lexicon)
    t = lean_table.drop_duplicates("group").set_index("group")
    groups = _groups(list(t.index), order) if order is not None else outlet_order(lean_table)
    side_a = t["side_a"].iloc[0] if "side_a" in t.columns and len(t) else None
    side_b = t["side_b"].iloc[0] if "side_b" in t.columns and len(t) else None
    name_a = side_name(side_a, lex) if side_a is not None else "side A"
    name_b = side_name(side_b, lex) if side_b is not None else "side B"
    has = t["lean"].reindex(groups).notna()
    palette = side_colors(lex, [x for x in (side_a, side_b) if x is not None])
    ys = _rows(ax, [f"{g} (n={_n(t.at[g, 'n_docs'])})" if has[g] else str(g) for g in groups])
    ax.axvline(0, color="0.25", linewidth=0.9, zorder=1)
    for g, y in zip(groups, ys, strict=True):
        if not has[g]:
            ax.text(0, y, "no side-tagged terms", ha="center", va="center", color=_MUTED, fontsize="small",
                    style="italic", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            continue
        x = float(t.at[g, "lean"])
        lo, hi = np.nan_to_num([x - float(t.at[g, "ci_low"]), float(t.at[g, "ci_high"]) - x]).clip(min=0)
        color = _side_color(side_a if x > 0 else side_b if x < 0 else None, palette)
        ax.errorbar([x], [y], xerr=[[lo], [hi]], fmt="o", color=color, markersize=7, elinewidth=2, capsize=0,
                    zorder=3)
    ax.set_xlim(-1.08, 1.08)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["−1", "−0.5", "0", "+0.5", "+1"])
    ax.set_xlabel(f"Lean score\n← {name_b}  |  {name_a} →")
    noun = _noun(lean_table)
    ax.set_ylabel(f"{_cap(noun)} (n = articles with side-tagged terms)")
    _style(ax)
    ax.set_title(title if title is not None else f"Whose terms does each {noun} use? (dot: lean score, line: 95% "
                 "interval)", loc="left", fontweight="bold")
    return ax


# -------------------------------------------------------------------------------------- voice
@share_docs
def plot_voice(
    hits_or_counts: pd.DataFrame,
    *,
    contrast: str | None = None,
    variant: str | None = None,
    by: str = "outlet",
    ax: Axes | None = None,
    order: Sequence | None = None,
    lexicon=None,
    title: str | None = None,
) -> Axes:
    """How each outlet's hits of a contrast or variant split into authorial, quoted, distanced and attributed.

    Does the outlet adopt the term in its own words, or only quote it (or keep it at a distance)?
    100% stacked bars, one per outlet, with ``n=`` hits.

    Parameters
    ----------
    hits_or_counts : DataFrame
        From :func:`framing.find_hits` (grouped by the column ``by``) or :func:`framing.count_hits`
        (already grouped; every group it counted is listed, with or without hits).
    contrast, variant : str, optional
        Keep this contrast's or variant's hits (both: the variant within that contrast); neither:
        all hits.
    by : str, default="outlet"
        The grouping column of find_hits output.
    {ax}
    order : list, optional
        Outlets from top to bottom (e.g. :func:`outlet_order`); default by share of authorial hits.
    lexicon : str, Path or Lexicon, optional
        Names the contrast and the variant in the title.
    title : str, optional

    {returns_ax}

    Examples
    --------
    >>> from framing import load_corpus, find_hits
    >>> import matplotlib.pyplot as plt
    >>> from framing.plot import plot_voice
    >>> hits = find_hits(load_corpus("data/seed"))
    >>> fig, ax = plt.subplots()
    >>> ax = plot_voice(hits, contrast="war_name", ax=ax, lexicon="russia-ukraine")
    >>> ax.get_title(loc="left")
    'Own words or quoted? What the war is called'
    >>> len(ax.patches)  # 4 voices x 5 outlets
    20
    """
    table = voice_shares(hits_or_counts, by=by, contrast=contrast, variant=variant, lexicon=lexicon)
    lex = _lexicon(lexicon)
    if ax is None:
        ax = plt.gca()
    tab = (table[table["n_group_hits"] > 0].pivot(index="group", columns="voice", values="n_hits")
           .reindex(columns=list(VOICES), fill_value=0))
    groups = list(order) if order is not None else list(dict.fromkeys(table["group"]))
    totals = tab.sum(axis=1)
    ys = _rows(ax, [f"{g} (n={_n(totals[g])})" if g in tab.index else str(g) for g in groups])
    drawn = [(g, y) for g, y in zip(groups, ys, strict=True) if g in tab.index]
    left = np.zeros(len(drawn))
    for voice in VOICES:
        frac = np.array([tab.at[g, voice] / totals[g] for g, _ in drawn]) if drawn else np.zeros(0)
        ax.barh([y for _, y in drawn], frac, left=left, height=0.7, color=VOICE_COLORS[voice],
                edgecolor="white", linewidth=0.8, label=_VOICE_LABELS[voice])
        for (_, y), f, lft in zip(drawn, frac, left, strict=True):
            if f >= 0.08:
                ax.text(lft + f / 2, y, f"{f:.0%}", ha="center", va="center", fontsize="small",
                        color="white" if voice != "quoted" else "black")
        left = left + frac
    for g, y in zip(groups, ys, strict=True):
        if g not in tab.index:
            ax.text(0.5, y, "no hits", ha="center", va="center", color=_MUTED, fontsize="small", style="italic")
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    noun = _noun(table)
    ax.set_xlabel(f"Share of the {noun}'s hits")
    ax.set_ylabel(f"{_cap(noun)} (n = hits)")
    _style(ax)
    for spine in ("left", "bottom"):
        ax.spines[spine].set_visible(False)
    if title is None:
        if variant is not None:
            c = contrast if contrast is not None else table.attrs.get("contrast")
            what = f"“{_variant_label(c, variant, lex)}”"
        elif contrast is not None:
            what = _contrast_label(contrast, lex)
        else:
            what = "all terms of the lexicon"
        title = f"Own words or quoted? {what}"
    handles = [Patch(facecolor=VOICE_COLORS[v], label=_VOICE_LABELS[v]) for v in VOICES]
    _legend_above(ax, handles, title, ncol=2)
    return ax


# -------------------------------------------------------------------------- distinctive terms
@share_docs
def plot_distinctive_terms(
    terms: pd.DataFrame,
    *,
    ax: Axes | None = None,
    n_labels: int = 15,
    group=None,
    target: str | None = None,
    reference: str | None = None,
    z_crit: float = 1.96,
    hide_flagged: bool = True,
    title: str | None = None,
) -> Axes:
    """Fightin' Words: each term's z-score against its frequency, the most distinctive labelled.

    Terms above the band are typical of the target, below it of the reference; the shaded band
    ``|z| < z_crit`` holds the terms whose difference is not significant. The ``n_labels`` terms
    with the highest and the lowest z beyond the band are labelled, without overlaps
    (`adjustText`). The two directions have colours of their own (:data:`TERM_COLORS`), not a
    side's. Terms that :func:`framing.flag_terms` marked (group names, page chrome, numbers,
    fragments) are left out unless ``hide_flagged=False``; the x label says how many.

    Parameters
    ----------
    terms : DataFrame
        From :func:`framing.distinctive_terms` (or :func:`framing.log_odds`).
    {ax}
    n_labels : int, default=15
        Terms labelled on each side.
    group : optional
        With a table of every group against the rest (a ``group`` column), the group to draw.
    target, reference : str, optional
        Names for the two sides of the comparison (default: ``group``, else "the target", and
        "the rest").
    z_crit : float, default=1.96
        Half-width of the band of non-significant terms (1.96: two-sided 5%).
    hide_flagged : bool, default=True
        With a ``left_out`` column (:func:`framing.flag_terms`), draw only the terms it leaves empty.
    title : str, optional

    {returns_ax}

    Examples
    --------
    >>> from framing import load_corpus, distinctive_terms
    >>> import matplotlib.pyplot as plt
    >>> from framing.plot import plot_distinctive_terms
    >>> terms = distinctive_terms(load_corpus("data/seed"), target="RT", stop_words="english")
    >>> fig, ax = plt.subplots()
    >>> ax = plot_distinctive_terms(terms, ax=ax, target="RT", reference="the other outlets")
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() in ("kiev", "2022", "spring"))
    ['2022', 'kiev', 'spring']
    """
    _require(terms, ("term", "n_target", "n_reference", "z"), "framing.distinctive_terms")
    if "group" in terms.columns:
        groups = list(dict.fromkeys(terms["group"]))
        if group is None:
            raise ArgumentError(f"this table compares every group with the rest; pass group= one of {groups}")
        check_groups([group], groups, "group=", "group", where="the table", error=ArgumentError)
        terms = terms[terms["group"] == group]
        target = target if target is not None else str(group)
        reference = reference if reference is not None else "the rest"
    elif group is not None:
        raise ArgumentError("group= needs the table of distinctive_terms(target=None), which has a group column")
    target = target or "the target"
    reference = reference or "the rest"
    if ax is None:
        ax = plt.gca()
    n_hidden = 0
    if hide_flagged and "left_out" in terms.columns:
        keep = terms["left_out"].fillna("").astype(str) == ""
        n_hidden = int((~keep).sum())
        terms = terms[keep]
    freq = (terms["n_target"] + terms["n_reference"]).to_numpy(dtype=float)
    z = terms["z"].to_numpy(dtype=float)
    ok = np.isfinite(z) & (freq > 0)
    up, down = ok & (z >= z_crit), ok & (z <= -z_crit)
    ns = ok & ~up & ~down
    c_up, c_down = TERM_COLORS["target"], TERM_COLORS["reference"]
    ax.axhspan(-z_crit, z_crit, color="0.93", zorder=0, linewidth=0)
    ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    big = ok.sum() > 5000
    ax.scatter(freq[ns], z[ns], s=6, color="0.65", alpha=0.5, linewidths=0, rasterized=big, zorder=1)
    ax.scatter(freq[up], z[up], s=12, color=c_up, alpha=0.8, linewidths=0, rasterized=big, zorder=2)
    ax.scatter(freq[down], z[down], s=12, color=c_down, alpha=0.8, linewidths=0, rasterized=big, zorder=2)
    ax.set_xscale("log")
    # ticks at 1, 2, 5, 10, 20, 50...: plain counts, and no crowded minor labels on a short range
    decades = np.log10(freq[ok].max() / freq[ok].min()) if ok.any() else 1.0
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades <= 2.5 else (1.0,)))
    ax.xaxis.set_major_formatter(FuncFormatter(_count_label))
    ax.xaxis.set_minor_formatter(NullFormatter())
    hidden = (f"\n{n_hidden:,} terms not drawn: group names, page chrome, numbers, fragments (the CSV has them)"
              if n_hidden else "")
    ax.set_xlabel(f"How often the term occurs ({target} and {reference} together; log scale){hidden}")
    ax.set_ylabel("Distinctiveness (z-score of the log-odds ratio)")
    _style(ax, grid_axis="y")
    if ok.any():
        ymax = max(np.abs(z[ok]).max(), z_crit) * 1.1
        ax.set_ylim(-ymax, ymax)
        ax.set_xlim(freq[ok].min() / 1.6, freq[ok].max() * 1.6)
    band = ax.text(0.99, 0.5, f"not significant (|z| < {z_crit:g})", transform=ax.get_yaxis_transform(),
                   ha="right", va="center", color=_MUTED, fontsize="small", style="italic")
    corner_up = ax.text(0.01, 0.99, f"↑ more typical of {target}", transform=ax.transAxes, ha="left", va="top",
                        color=_mix(c_up, "black", 0.3), fontweight="bold", fontsize="small")
    corner_down = ax.text(0.01, 0.01, f"↓ more typical of {reference}", transform=ax.transAxes, ha="left",
                          va="bottom", color=_mix(c_down, "black", 0.3), fontweight="bold", fontsize="small")
    texts, labelled = [], []
    idx = np.arange(len(z))
    picks = [(idx[up][np.argsort(-z[up], kind="stable")][:n_labels], c_up),
             (idx[down][np.argsort(z[down], kind="stable")][:n_labels], c_down)]
    terms_col = terms["term"].astype(str).to_numpy()
    for chosen, color in picks:
        labelled += list(chosen)
        for i in chosen:
            texts.append(ax.text(freq[i], z[i], terms_col[i], fontsize="small", ha="center", va="center",
                                 color=_mix(color, "black", 0.45), zorder=4))
    if labelled:  # ring the labelled points so the leader lines have a visible end
        ax.scatter(freq[labelled], z[labelled], s=22, facecolors="none", edgecolors="0.2", linewidths=0.7, zorder=3)
    ax.set_title(title if title is not None else f"Terms that set {target} apart from {reference}",
                 loc="left", fontweight="bold")
    if texts:
        _repel(ax, texts, [t.get_position()[0] for t in texts], [t.get_position()[1] for t in texts],
               objects=[corner_up, corner_down, band], avoid=np.column_stack([freq[labelled], z[labelled]]),
               radius=3.5)
    return ax


def _count_label(v, _pos=None) -> str:
    """Compact tick labels for counts on a log axis: 5, 20, 500, 2k, 10k, 1M (they never run together)."""
    if v >= 1e6:
        return f"{v / 1e6:g}M"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


#: adjustText iterations for label placement (about 0.5 s on a shared 2-core machine for a 30-label map).
REPEL_ITERATIONS = 120


def _repel(ax: Axes, texts, x, y, objects=None, avoid=None, radius=6.0) -> None:
    """Move labels off each other (adjustText), then guarantee it, with a thin line to each point.

    adjustText stops after :data:`REPEL_ITERATIONS` with a few overlaps left in crowded charts; a greedy pass then
    moves each remaining offender (least important last) to the nearest free spot around its point.
    Draw on a figure of its final size: labels are placed in display space.
    """
    from adjustText import adjust_text

    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    static = [o.get_window_extent() for o in objects] if objects else []
    if avoid is not None and len(avoid):  # markers that labels must not cover; radius in pixels
        radii = np.broadcast_to(np.asarray(radius, dtype=float), (len(avoid),))
        static += [mtransforms.Bbox.from_bounds(qx - r, qy - r, 2 * r, 2 * r)
                   for (qx, qy), r in zip(ax.transData.transform(np.asarray(avoid, dtype=float)), radii, strict=True)]
    # a fixed number of iterations, never a time limit: the same chart gives the same layout (and the same
    # bytes) on every run and every machine
    adjust_text(texts, x=x, y=y, ax=ax, objects=static or None, expand=(1.1, 1.3), force_text=(0.3, 0.5),
                force_static=(0.05, 0.1), iter_lim=REPEL_ITERATIONS)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pts = ax.transData.transform(np.column_stack([x, y]))
    placed = list(static)
    pad = 2.5
    for t, (px, py) in zip(texts, pts, strict=True):
        bb = t.get_window_extent(renderer).expanded(1.0, 1.0)
        if _free(bb, placed, frame, pad):
            placed.append(bb)
            continue
        w, h = bb.width, bb.height
        best = None
        for r in np.arange(0.6, 12, 0.5) * h:
            for a in np.linspace(0, 2 * np.pi, 24, endpoint=False):
                cx, cy = px + r * np.cos(a) * max(w / h, 1) * 0.6, py + r * np.sin(a)
                cand = mtransforms.Bbox.from_bounds(cx - w / 2, cy - h / 2, w, h)
                if _free(cand, placed, frame, pad):
                    best = cand
                    break
            if best is not None:
                break
        if best is None:  # nowhere to put it: leave it out rather than overprint
            t.set_visible(False)
            continue
        ox, oy = ax.transData.transform(t.get_position())
        dx, dy = best.x0 - bb.x0, best.y0 - bb.y0
        t.set_position(ax.transData.inverted().transform((ox + dx, oy + dy)))
        placed.append(best)
    for t, (px, py) in zip(texts, pts, strict=True):
        if not t.get_visible():
            continue
        bb = t.get_window_extent(renderer)
        qx, qy = min(max(px, bb.x0), bb.x1), min(max(py, bb.y0), bb.y1)
        if np.hypot(qx - px, qy - py) > 4:
            (ax_, ay_), (bx_, by_) = ax.transData.inverted().transform([(px, py), (qx, qy)])
            ax.add_artist(Line2D([ax_, bx_], [ay_, by_], color="0.6", linewidth=0.6, zorder=t.get_zorder() - 0.5))


def _free(bb, placed, frame, pad: float) -> bool:
    if bb.x0 < frame.x0 or bb.x1 > frame.x1 or bb.y0 < frame.y0 or bb.y1 > frame.y1:
        return False
    grown = bb.padded(pad)
    return not any(grown.overlaps(o) for o in placed)


# ---------------------------------------------------------------------------------- outlet map
@share_docs
def plot_outlet_map(
    map_table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    variants: bool = True,
    n_variant_labels: int = 25,
    lexicon=None,
    title: str | None = None,
) -> Axes:
    """Outlets, and optionally the variants, on the two-dimensional map of wording.

    An outlet lies towards the variants it uses more than other outlets do. Outlets are large
    labelled dots; variants small dots in their side's colour, the most used labelled (variants at
    the same spot share one label). Labels do not overlap (`adjustText`).

    Parameters
    ----------
    map_table : DataFrame
        From :func:`framing.outlet_map`.
    {ax}
    variants : bool, default=True
        Draw the variants too.
    n_variant_labels : int, default=25
        Label this many variants, the most used first.
    lexicon : str, Path or Lexicon, optional
        Names the variants and the sides.
    title : str, optional

    {returns_ax}

    Examples
    --------
    >>> from framing import load_corpus, find_hits, variant_shares, outlet_map
    >>> import matplotlib.pyplot as plt
    >>> from framing.plot import plot_outlet_map
    >>> corpus = load_corpus("data/seed")
    >>> m = outlet_map(variant_shares(find_hits(corpus), corpus))
    >>> fig, ax = plt.subplots(figsize=(6, 5))
    >>> ax = plot_outlet_map(m, ax=ax, variants=False)
    >>> ax.get_xlabel()
    'Dimension 1 (37% of inertia)'
    >>> sorted(t.get_text() for t in ax.texts)
    ['American Age', 'RT', 'Reuters', 'The National', 'TheJournal.ie']
    """
    _require(map_table, ("kind", "label", "dim1", "dim2"), "framing.outlet_map")
    if ax is None:
        ax = plt.gca()
    lex = _lexicon(lexicon)
    g = map_table[map_table["kind"] == "group"]
    v = map_table[map_table["kind"] == "variant"] if variants else map_table.iloc[:0]
    explained = map_table.attrs.get("explained") or [
        float(map_table[c].iloc[0]) if c in map_table.columns and len(map_table) else np.nan
        for c in ("explained_dim1", "explained_dim2")]
    what = "variance" if map_table.attrs.get("method") == "pca" else "inertia"
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    texts, tx, ty = [], [], []
    handles = []
    if len(v):
        sides = [_none(s) for s in v["side"]] if "side" in v.columns else [None] * len(v)
        palette = side_colors(lex, sides)
        for side in dict.fromkeys(sides):
            m = np.array([s == side for s in sides])
            ax.scatter(v["dim1"].to_numpy()[m], v["dim2"].to_numpy()[m], s=22, color=_side_color(side, palette), alpha=0.85,
                       linewidths=0, zorder=2)
            handles.append(Line2D([], [], marker="o", linestyle="", color=_side_color(side, palette), markersize=5,
                                  label=f"term: {side_name(side, lex)}"))
        vv = v.assign(_name=[_variant_label(c, lab, lex) for c, lab in
                             zip(v["contrast"] if "contrast" in v.columns else [None] * len(v), v["label"],
                                 strict=True)],
                      _side=sides)
        if "n_hits" in vv.columns:
            vv = vv.sort_values("n_hits", ascending=False, kind="stable")
        vv = vv.head(n_variant_labels)
        span = max(np.ptp(map_table["dim1"]), np.ptp(map_table["dim2"]), 1e-9)
        key = list(zip((vv["dim1"] / span / 0.02).round(), (vv["dim2"] / span / 0.02).round(), strict=True))
        for _, block in vv.groupby(pd.Series(key, index=vv.index), sort=False):
            names = list(dict.fromkeys(block["_name"]))
            text = ", ".join(names[:4]) + (f" +{len(names) - 4} more" if len(names) > 4 else "")
            if len(names) > 2:
                text = "\n".join([", ".join(names[i:i + 2]) for i in range(0, min(len(names), 4), 2)]) + (
                    f"\n+{len(names) - 4} more" if len(names) > 4 else "")
            sides_here = set(block["_side"])
            color = _side_color(sides_here.pop(), palette) if len(sides_here) == 1 else _side_color(None)
            texts.append(ax.text(block["dim1"].iloc[0], block["dim2"].iloc[0], text, fontsize="x-small",
                                 color=_mix(color, "black", 0.35), ha="center", va="center", zorder=4))
            tx.append(block["dim1"].iloc[0])
            ty.append(block["dim2"].iloc[0])
    ax.scatter(g["dim1"], g["dim2"], s=90, color="0.15", edgecolors="white", linewidths=1, zorder=3)
    handles.insert(0, Line2D([], [], marker="o", linestyle="", color="0.15", markersize=8, label=_noun(map_table)))
    for _, r in g.iterrows():
        texts.append(ax.text(r["dim1"], r["dim2"], str(r["label"]), fontsize="small", fontweight="bold", ha="center",
                             va="center", zorder=5))
        tx.append(r["dim1"])
        ty.append(r["dim2"])
    ax.set_xlabel(f"Dimension 1 ({explained[0]:.0%} of {what})")
    ax.set_ylabel(f"Dimension 2 ({explained[1]:.0%} of {what})" if len(explained) > 1 else "Dimension 2")
    ax.margins(0.12)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    legend = ax.legend(handles=handles, loc="best", fontsize="small", framealpha=0.9) if len(v) else None
    ax.set_title(title if title is not None else f"{_cap(_plural(_noun(map_table)))} placed by the terms they use" +
                 (" (and the terms)" if len(v) else ""), loc="left", fontweight="bold")
    if texts:
        dots = pd.concat([g, v])[["dim1", "dim2"]].to_numpy(dtype=float)
        _repel(ax, texts, tx, ty, objects=[legend] if legend else None, avoid=dots,
               radius=[6.0] * len(g) + [2.5] * len(v))
    return ax


# -------------------------------------------------------------------------------------- trend
def _infer_freq(periods: pd.Series) -> str:
    """The period length of trend()'s period starts: years start in January, quarters in Jan/Apr/Jul/Oct."""
    p = pd.DatetimeIndex(periods.unique())
    days = np.diff(np.sort(p.asi8)) / 86_400e9 if len(p) > 1 else np.array([])
    gap = days.min() if len(days) else np.inf
    if (p.day == 1).all():
        if (p.month == 1).all() and gap >= 365:
            return "Y"
        if p.month.isin([1, 4, 7, 10]).all() and gap >= 89:
            return "Q"
        return "M"
    return "W" if (p.dayofweek == 0).all() and gap >= 7 else "D"


#: Colours of groups in a trend chart with few lines (Paul Tol's "muted" scheme, colour-blind safe and
#: none of them a side's or a voice's colour); with more groups than colours no colour repeats: the
#: chart is drawn as small multiples (:func:`plot_trend_grid`) or its lines are one neutral colour.
GROUP_COLORS = ["#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499"]


def _prepare_trend(trend_table: pd.DataFrame, min_docs: int) -> tuple[pd.DataFrame, str]:
    _require(trend_table, ("group", "period", "measure", "value", "ci_low", "ci_high"), "framing.trend")
    measures = list(dict.fromkeys(trend_table["measure"]))
    if len(measures) > 1:
        raise FramingError(f"the trend table mixes measures {measures}; draw one at a time")
    t = trend_table.assign(period=pd.to_datetime(trend_table["period"]))
    n_all = len(t)
    if min_docs > 1 and "n_docs" in t.columns:
        t = t[t["n_docs"] >= min_docs]
    if t.empty:
        raise FramingError(f"nothing to draw: the trend table has {n_all} periods, none with at least "
                           f"{min_docs} articles (lower min_docs=)")
    return t, measures[0]


def trend_window(trend_table: pd.DataFrame, quantiles: tuple[float, float] | None = (0.025, 0.975),
                 freq: str | None = None) -> dict:
    """The periods a trend chart spans: those that hold most of the articles, and what falls outside.

    The window runs from the period where the articles (``n_docs``, all groups) reach the lower
    quantile to the one where they reach the upper, so a few stray early or late articles do not
    stretch the axis. ``None`` keeps every period.

    Returns
    -------
    dict
        ``start``, ``end`` (period starts), ``n_out`` (articles outside), ``periods_out`` and
        ``note`` (a sentence for the caption, "" when nothing is left out).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.plot import trend_window
    >>> t = pd.DataFrame({"group": "A", "period": pd.to_datetime(["2019-01-01", "2022-03-01", "2022-04-01"]),
    ...                   "n_docs": [2, 300, 300]})
    >>> trend_window(t)["note"]
    '2 articles in 1 month outside Mar 2022–Apr 2022 (Jan 2019) are not drawn (the table has them).'
    """
    t = trend_table.assign(period=pd.to_datetime(trend_table["period"]))
    freq = freq or _infer_freq(t["period"])
    weights = (t.groupby("period")["n_docs"].sum() if "n_docs" in t.columns else t.groupby("period").size())
    weights = weights.sort_index()
    start, end = weights.index.min(), weights.index.max()
    if quantiles is not None and len(weights) > 2:
        cum = weights.cumsum() / weights.sum()
        lo, hi = quantiles
        start = cum.index[np.searchsorted(cum.to_numpy(), lo, side="right")] if lo > 0 else start
        end = cum.index[min(np.searchsorted(cum.to_numpy(), hi, side="left"), len(cum) - 1)] if hi < 1 else end
    outside = weights[(weights.index < start) | (weights.index > end)]
    fmt = {"M": "%b %Y", "Q": "%b %Y", "Y": "%Y"}.get(freq[:1].upper(), "%d %b %Y")
    unit = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}.get(freq[:1].upper(), "period")
    note = ""
    if len(outside):
        n = int(outside.sum())
        shown = ", ".join(p.strftime(fmt) for p in outside.index[:4]) + (", ..." if len(outside) > 4 else "")
        note = (f"{n:,} article{'s' if n != 1 else ''} in {len(outside)} {unit}{'s' if len(outside) != 1 else ''} "
                f"outside {start.strftime(fmt)}–{end.strftime(fmt)} ({shown}) are not drawn (the table has them).")
    return {"start": start, "end": end, "n_out": int(outside.sum()), "periods_out": list(outside.index), "note": note}


def _trend_axis(ax: Axes, measure: str, lex, label: str | None) -> str:
    """Y limits, label and format of a trend axis; returns what is drawn ("Lean score", ...)."""
    if measure == "lean":
        ax.axhline(0, color="0.4", linewidth=0.8, zorder=0)
        ax.set_ylim(-1.08, 1.08)
        names = lex.sides if lex is not None else {}
        if len(names) >= 2:
            a, b = list(names)[:2]
            ax.set_ylabel(f"Lean score\n↓ {side_name(b, lex)}  |  {side_name(a, lex)} ↑")
        else:
            ax.set_ylabel("Lean score (+1: side A's terms only, −1: side B's)")
        return "Lean score"
    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    name = f"“{label}”" if label else "the variant"
    ax.set_ylabel(f"Share of {name} in its contrast")
    return f"Share of {name}"


def _segments(s: pd.DataFrame, freq: str) -> list[np.ndarray]:
    ordinals = np.array([q.ordinal for q in s["period"].dt.to_period(freq)])
    return np.split(np.arange(len(s)), np.flatnonzero(np.diff(ordinals) != 1) + 1)


def _draw_series(ax: Axes, s: pd.DataFrame, freq: str, color, *, linewidth=1.6, band=True, label=None,
                 markersize=3.5, zorder=2) -> None:
    x, y = s["period"].to_numpy(), s["value"].to_numpy(dtype=float)
    lo, hi = s["ci_low"].to_numpy(dtype=float), s["ci_high"].to_numpy(dtype=float)
    for k, seg in enumerate(_segments(s, freq)):
        if len(seg) == 1:
            yerr = [np.nan_to_num(y[seg] - lo[seg]).clip(min=0), np.nan_to_num(hi[seg] - y[seg]).clip(min=0)]
            ax.errorbar(x[seg], y[seg], yerr=yerr if band else None, fmt="o", color=color, markersize=markersize,
                        elinewidth=1, capsize=2 if band else 0, alpha=0.9, zorder=zorder)
            continue
        if band:
            ax.fill_between(x[seg], lo[seg], hi[seg], color=color, alpha=0.13, linewidth=0, zorder=zorder - 1)
        ax.plot(x[seg], y[seg], color=color, linewidth=linewidth, marker="o" if markersize else None,
                markersize=markersize, label=label if k == 0 else None, zorder=zorder)


def _date_axis(ax: Axes, offset: bool = True) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=offset))


@share_docs
def plot_trend(
    trend_table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    order: Sequence | None = None,
    label: str | None = None,
    lexicon=None,
    freq: str | None = None,
    min_docs: int = 1,
    xlim_quantiles: tuple[float, float] | None = (0.025, 0.975),
    title: str | None = None,
) -> Axes:
    """A variant's share, or the lean score, over time: one line per outlet with its interval band.

    Lines break where a period is missing; a lone period is a point with its interval. Each line
    is named directly, at the height where it ends (in the right margin, names spread apart in the
    order of the lines' ends, so their short leaders never cross). With up to nine outlets each
    line has its own colour (:data:`GROUP_COLORS`); with more, no colour is reused: every line is
    dark grey and known by its name (for many outlets, :func:`plot_trend_grid` reads better). The
    axis spans the periods that hold most articles (``xlim_quantiles``); the x label says what was
    left out. When every outlet has a single period, points with intervals are drawn side by side.

    Parameters
    ----------
    trend_table : DataFrame
        From :func:`framing.trend`.
    {ax}
    order : list, optional
        The outlets to draw (default all), in the order of their colours.
    label : str, optional
        The variant's name for the title and axis (share trends).
    lexicon : str, Path or Lexicon, optional
        Names the sides on the lean axis.
    freq : str, optional
        The period length of the table (``"W"``, ``"M"``, ``"Q"``, ``"Y"``); inferred by default.
    min_docs : int, default=1
        Leave out periods in which the outlet has fewer articles with hits (their value is mostly
        noise, e.g. ``min_docs=5``); the axis label says so. 1 keeps every period.
    xlim_quantiles : (float, float) or None, default=(0.025, 0.975)
        The axis spans the periods between these quantiles of the articles (:func:`trend_window`);
        None spans every period.
    title : str, optional

    {returns_ax}

    Examples
    --------
    >>> from framing import load_corpus, find_hits, trend
    >>> import matplotlib.pyplot as plt
    >>> from framing.plot import plot_trend
    >>> corpus = load_corpus("data/seed")
    >>> table = trend(find_hits(corpus), corpus, lexicon="russia-ukraine")
    >>> fig, ax = plt.subplots(figsize=(8, 4))
    >>> ax = plot_trend(table, ax=ax, lexicon="russia-ukraine")
    >>> ax.get_title(loc="left")
    'Lean score by month (one month per outlet: points, not a trend)'
    >>> len(ax.containers)  # one point with its interval per outlet
    5
    """
    t, measure = _prepare_trend(trend_table, min_docs)
    if ax is None:
        ax = plt.gca()
    lex = _lexicon(lexicon)
    present = list(dict.fromkeys(t["group"]))
    every = _groups(list(dict.fromkeys(trend_table["group"])), order)
    slot = {g: i for i, g in enumerate(every)}  # an outlet keeps its colour whatever is filtered out
    groups = [g for g in every if g in set(present)]
    freq = freq or _infer_freq(t["period"])
    unit = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}.get(freq[:1].upper(), "period")
    single = t.groupby("group").size().max() == 1
    window = trend_window(t, xlim_quantiles if not single else None, freq)
    t = t[(t["period"] >= window["start"]) & (t["period"] <= window["end"])]
    groups = [g for g in groups if g in set(t["group"])]
    many = len(every) > len(GROUP_COLORS)
    ends = []
    for i, grp in enumerate(groups):
        color = "0.3" if many else GROUP_COLORS[slot[grp]]
        s = t[t["group"] == grp].sort_values("period")
        if single:  # outlets side by side within their period
            x, y = s["period"].to_numpy(), s["value"].to_numpy(dtype=float)
            yerr = [np.nan_to_num(y - s["ci_low"].to_numpy(dtype=float)).clip(min=0),
                    np.nan_to_num(s["ci_high"].to_numpy(dtype=float) - y).clip(min=0)]
            p0 = pd.Period(x[0], freq)
            width = (p0.end_time - p0.start_time) * 0.8
            x = x + (i - (len(groups) - 1) / 2) * width / max(len(groups), 1) + width / 2
            ax.errorbar(x, y, yerr=yerr, fmt="o", color=color, markersize=6, elinewidth=1.5, capsize=3,
                        label=str(grp))
            ends.append((str(grp), x[-1], y[-1], color))
        else:
            _draw_series(ax, s, freq, color, band=not many, linewidth=1.3 if many else 1.6, label=str(grp))
            ends.append((str(grp), s["period"].iloc[-1], float(s["value"].iloc[-1]), color))
    what = _trend_axis(ax, measure, lex, label)
    if single:  # a tick in the middle of each period drawn, named like "Dec 2022"
        periods = sorted({pd.Period(x, freq) for x in t["period"]})
        fmt = {"M": "%b %Y", "Y": "%Y", "W": "week of %d %b %Y", "D": "%d %b %Y"}.get(freq[:1].upper())
        ax.set_xticks([p.start_time + (p.end_time - p.start_time) / 2 for p in periods],
                      [p.strftime(fmt) if fmt else str(p) for p in periods])
    else:
        _date_axis(ax)
    kept = f"; {unit}s with at least {min_docs} articles" if min_docs > 1 and "n_docs" in t.columns else ""
    ax.set_xlabel(f"Period of publication (by {unit}{kept}; {'line' if single else 'band'}: 95% interval)"
                  + (f"\n{textwrap.fill(window['note'], 100)}" if window["note"] else ""))
    _style(ax, grid_axis="y")
    pad = pd.Timedelta(days={"D": 1, "W": 4, "M": 20, "Q": 50, "Y": 150}.get(freq[:1].upper(), 20))
    last = pd.Period(t["period"].max(), freq).end_time if single else t["period"].max()
    ax.set_xlim(t["period"].min() - pad, last + pad)
    noun = _noun(trend_table)
    suffix = f" (one {unit} per {noun}: points, not a trend)" if single else f", per {noun}"
    ax.set_title(title if title is not None else f"{what} by {unit}{suffix}", loc="left", fontweight="bold")
    ax.trend_window = window  # for captions: what the axis leaves out
    if single:
        texts = [ax.text(mdates.date2num(x), y, f" {name}", color=_mix(c, "black", 0.25), fontsize="x-small",
                         ha="left", va="center") for name, x, y, c in ends]
        _repel(ax, texts, [mdates.date2num(e[1]) for e in ends], [e[2] for e in ends])
    else:
        last_period = t["period"].max()
        _margin_labels(ax, [e for e in ends if e[1] == last_period])
        for name, x, y, c in (e for e in ends if e[1] != last_period):  # ended early: named at its end
            ax.annotate(name, (mdates.date2num(x), y), xytext=(4, 0), textcoords="offset points",
                        color=_mix(c, "black", 0.25), fontsize="x-small", ha="left", va="center")
    return ax


def _margin_labels(ax: Axes, ends) -> None:
    """Name each line in the right margin, at the height where it ends, names spread apart.

    The names keep the order of the lines' ends, so each short leader (from the line's end to its
    name, inside the right margin) never crosses another.
    """
    if not ends:
        return
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    box = ax.get_window_extent(fig.canvas.get_renderer())
    gap = 1.25 * plt.rcParams["font.size"] * 0.83 * fig.dpi / 72  # x-small text, with leading
    ys = ax.transData.transform([(mdates.date2num(x), y) for _, x, y, _ in ends])[:, 1]
    idx = np.argsort(ys, kind="stable")
    pos = ys[idx].copy()
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + gap)
    top = box.y1 + gap
    for k in range(len(pos) - 1, -1, -1):
        pos[k] = min(pos[k], top if k == len(pos) - 1 else pos[k + 1] - gap)
    for k in range(1, len(pos)):  # pushed down below the bottom: spread up again, order kept
        pos[k] = max(pos[k], pos[k - 1] + gap)
    for k, i in enumerate(idx):
        name, x, y, color = ends[i]
        ly = ax.transData.inverted().transform((box.x1, pos[k]))[1]
        ax.annotate(name, (mdates.date2num(x), y), xytext=(1.02, ly), textcoords=ax.get_yaxis_transform(),
                    color=_mix(color, "black", 0.25), fontsize="x-small", ha="left", va="center",
                    annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": _mix(color, "white", 0.3), "linewidth": 0.6,
                                "shrinkA": 1, "shrinkB": 2})


def plot_trend_grid(
    trend_table: pd.DataFrame,
    *,
    order: Sequence | None = None,
    ncols: int = 4,
    label: str | None = None,
    lexicon=None,
    freq: str | None = None,
    min_docs: int = 1,
    xlim_quantiles: tuple[float, float] | None = (0.025, 0.975),
    fig: Figure | None = None,
    title: str | None = None,
) -> np.ndarray:
    """Small multiples of a trend: one panel per outlet, the others in light grey behind it.

    Every panel has the same axes, so panels compare at a glance; no outlet needs a colour of its
    own (its name is the panel's title, with its articles), which keeps many outlets apart without
    recycling colours. The axis spans the periods holding most articles, as in :func:`plot_trend`.

    Parameters
    ----------
    trend_table : DataFrame
        From :func:`framing.trend`.
    order : list, optional
        The outlets, in reading order (e.g. :func:`outlet_order`); default the table's order.
    ncols : int, default=4
        Panels per row.
    label, lexicon, freq, min_docs, xlim_quantiles
        As for :func:`plot_trend`.
    fig : Figure or SubFigure, optional
        An empty figure to draw on; default a new figure sized to the panels.
    title : str, optional

    Returns
    -------
    numpy.ndarray of Axes
        One panel per outlet with data, in reading order; ``axes[0].trend_window`` says what the
        axis leaves out (:func:`trend_window`).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.plot import plot_trend_grid
    >>> t = pd.DataFrame({"group": ["A"] * 3 + ["B"] * 3, "measure": "lean",
    ...     "period": pd.to_datetime(["2022-01-01", "2022-02-01", "2022-03-01"] * 2),
    ...     "value": [0.5, 0.6, 0.7, -0.5, -0.4, -0.6], "ci_low": -1.0, "ci_high": 1.0, "n_docs": 10})
    >>> axes = plot_trend_grid(t)
    >>> [ax.get_title(loc="left") for ax in axes]
    ['A (n=30)', 'B (n=30)']
    """
    check_int(ncols, "ncols", low=1)
    t, measure = _prepare_trend(trend_table, min_docs)
    lex = _lexicon(lexicon)
    freq = freq or _infer_freq(t["period"])
    unit = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}.get(freq[:1].upper(), "period")
    window = trend_window(t, xlim_quantiles, freq)
    t = t[(t["period"] >= window["start"]) & (t["period"] <= window["end"])]
    every = _groups(list(dict.fromkeys(trend_table["group"])), order)
    groups = [g for g in every if g in set(t["group"])]
    n = len(groups)
    cols = min(ncols, n)
    rows = int(np.ceil(n / cols))
    if fig is None:
        fig = plt.figure(figsize=(2.6 * cols + 1.2, 1.75 * rows + 1.4), layout="constrained")
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    n_docs = t.groupby("group")["n_docs"].sum() if "n_docs" in t.columns else None
    pad = pd.Timedelta(days={"D": 1, "W": 4, "M": 20, "Q": 50, "Y": 150}.get(freq[:1].upper(), 20))
    series = {g: t[t["group"] == g].sort_values("period") for g in groups}
    what = "Lean score" if measure == "lean" else f"Share of “{label}”" if label else "Share of the variant"
    for k, (ax, g) in enumerate(zip(axes, groups, strict=False)):
        for other in groups:
            if other != g:
                _draw_series(ax, series[other], freq, "0.82", linewidth=0.8, band=False, markersize=0, zorder=1)
        _draw_series(ax, series[g], freq, "#222222", linewidth=1.6, markersize=2.5, zorder=3)
        _trend_axis(ax, measure, lex, label)
        ax.set_ylabel("")
        _style(ax, grid_axis="y")
        ax.set_title(f"{g} (n={_n(n_docs[g])})" if n_docs is not None else str(g), loc="left", fontsize="small",
                     fontweight="bold")
        if k % cols == 0 and measure == "lean":
            ax.set_yticks([-1, 0, 1], ["−1", "0", "+1"])
    for ax in axes[n:]:
        fig.delaxes(ax)
    axes = axes[:n]
    _date_axis(axes[0], offset=False)
    axes[0].set_xlim(t["period"].min() - pad, t["period"].max() + pad)
    for ax in axes:
        ax.tick_params(axis="x", labelsize="small")
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.supylabel(_trend_ylabel(measure, lex, label), fontsize="small")
    kept = f"; {unit}s with at least {min_docs} articles" if min_docs > 1 and "n_docs" in t.columns else ""
    years = sorted({p.year for p in t["period"]})
    when = f"{years[0]}; " if len(years) == 1 else ""
    fig.supxlabel(f"Period of publication ({when}by {unit}{kept}; band: 95% interval; grey: the other panels' "
                  f"lines)" + (f"\n{textwrap.fill(window['note'], 120)}" if window["note"] else ""), fontsize="small")
    fig.suptitle(title if title is not None else f"{what} by {unit}, one panel per {_noun(trend_table)} (n = articles)",
                 x=0.01, ha="left", fontweight="bold")
    for ax in axes:
        ax.trend_window = window
    return np.asarray(axes, dtype=object)


def _trend_ylabel(measure: str, lex, label) -> str:
    if measure == "lean":
        names = lex.sides if lex is not None else {}
        if len(names) >= 2:
            a, b = list(names)[:2]
            return f"Lean score (↓ {side_name(b, lex)} | {side_name(a, lex)} ↑)"
        return "Lean score (+1: side A's terms only, −1: side B's)"
    return f"Share of “{label}” in its contrast" if label else "Share of the variant in its contrast"


# ------------------------------------------------------------------------------------ heatmap
_VALUE_LABELS = {"per_1k_words": "Hits per 1,000 words", "share": "Share of the contrast's hits",
                 "n_hits": "Hits", "n_docs": "Articles with the variant"}


@share_docs
def plot_heatmap(
    shares: pd.DataFrame,
    *,
    ax: Axes | None = None,
    value: str = "per_1k_words",
    order: Sequence | None = None,
    contrasts: Sequence[str] | None = None,
    lexicon=None,
    annotate: bool | None = None,
    cmap: str = "YlGn",
    title: str | None = None,
) -> Axes:
    """Outlets x variants: how often each outlet uses each term, the terms grouped by contrast.

    One column per outlet (sorted by lean), one row per variant under its contrast's heading, the
    variant's name in its side's colour. Blank cells: no hits. The colour bar gives the scale
    (square-root stretched, so rare terms stay visible); cells are annotated when large enough.

    Parameters
    ----------
    shares : DataFrame
        From :func:`framing.variant_shares`.
    {ax}
    value : {"per_1k_words", "share", "n_hits", "n_docs"}, default="per_1k_words"
        The column coloured.
    order : list, optional
        Outlets from left to right; default :func:`outlet_order` of ``shares``.
    contrasts : list of str, optional
        Default: every contrast with hits.
    lexicon : str, Path or Lexicon, optional
        Names the contrasts and the variants.
    annotate : bool, optional
        Write the value in each cell; default when the cells are large enough to read.
    cmap : str, default="YlGn"
        A sequential colormap (not a side's colour).
    title : str, optional

    Returns
    -------
    Axes
        The matplotlib axes containing the plot (its colour bar is a second Axes of the figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from framing import load_corpus, find_hits, variant_shares
    >>> from framing.plot import plot_heatmap
    >>> corpus = load_corpus("data/seed")
    >>> shares = variant_shares(find_hits(corpus), corpus, lexicon="russia-ukraine")
    >>> fig, ax = plt.subplots(figsize=(7, 5))
    >>> ax = plot_heatmap(shares, ax=ax, contrasts=["capital", "war_name"], lexicon="russia-ukraine")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ["Name of Ukraine's capital", 'Kyiv', 'Kiev', 'What the war is called', 'special operation', 'military operation', 'SMO', 'invasion', 'war']
    >>> fig.axes[-1].get_ylabel()  # the colour bar
    'Hits per 1,000 words'
    """
    _require(shares, ("group", "contrast", "variant", "side", "n_contrast_hits"), "framing.variant_shares")
    if value not in shares.columns:
        check_column([c for c in _VALUE_LABELS if c in shares.columns], value, where="the shares table",
                     purpose="to colour by", option="value=", error=ArgumentError)
    known = list(dict.fromkeys(shares["contrast"]))
    hits = shares.groupby("contrast", sort=False)["n_contrast_hits"].max()
    if contrasts is None:
        contrasts = [c for c in known if hits[c] > 0]
    else:
        unknown = [c for c in contrasts if c not in hits.index]
        if unknown:
            raise ArgumentError(f"no contrast {unknown} in the shares table; its contrasts are {known}")
        contrasts = list(contrasts)
    if not contrasts:
        raise ArgumentError("no contrast has hits: nothing to draw")
    if ax is None:
        ax = plt.gca()
    lex = _lexicon(lexicon)
    groups = _groups(list(dict.fromkeys(shares["group"])), order) if order is not None else outlet_order(shares)
    sides = shares.drop_duplicates(["contrast", "variant"]).set_index(["contrast", "variant"])["side"]
    palette = side_colors(lex, shares["side"])
    rows = []  # (contrast, variant) per row; (contrast, None) for a contrast's heading
    for c in contrasts:
        rows.append((c, None))
        rows += [(c, v) for v in dict.fromkeys(shares.loc[shares["contrast"] == c, "variant"])]
    wide = shares.pivot_table(index="group", columns=["contrast", "variant"], values=value, aggfunc="first")
    mat = np.full((len(rows), len(groups)), np.nan)
    for i, cv in enumerate(rows):
        if cv[1] is not None and cv in wide.columns:
            mat[i] = wide[cv].reindex(groups).to_numpy(dtype=float)
    show = np.where(mat > 0, mat, np.nan)
    vmax = np.nanmax(show) if np.isfinite(show).any() else 1.0
    norm = mcolors.PowerNorm(0.5, vmin=0, vmax=vmax)
    background = np.ma.masked_array(np.zeros_like(mat), mask=np.array([[v is None] * len(groups) for _, v in rows]))
    ax.pcolormesh(np.arange(len(groups) + 1) - 0.5, np.arange(len(rows) + 1) - 0.5, background,
                  cmap=mcolors.ListedColormap(["0.965"]), edgecolors="white", linewidth=0.6)
    mesh = ax.pcolormesh(np.arange(len(groups) + 1) - 0.5, np.arange(len(rows) + 1) - 0.5,
                         np.ma.masked_invalid(show), cmap=cmap, norm=norm, edgecolors="white", linewidth=0.6)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    labels = [_contrast_label(c, lex) if v is None else _variant_label(c, v, lex) for c, v in rows]
    ax.set_yticks(np.arange(len(rows)), labels)
    for tick, (c, v) in zip(ax.get_yticklabels(), rows, strict=True):
        if v is None:
            tick.set_fontweight("bold")
            tick.set_fontsize("small")
        else:
            tick.set_color(_mix(_side_color(_none(sides.get((c, v))), palette), "black", 0.15))
    ndocs = shares.drop_duplicates("group").set_index("group")
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(len(groups)), [
        f"{g} ({_n(ndocs.at[g, 'n_group_docs'])})" if "n_group_docs" in ndocs.columns else str(g) for g in groups],
        rotation=40, ha="left", rotation_mode="anchor")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate is None:  # numbers in the cells only where they fit, measured after the layout has run
        fig = ax.get_figure(root=True)
        if fig.get_layout_engine() is not None:
            fig.get_layout_engine().execute(fig)
        cell_w = ax.get_position().width * fig.get_figwidth() * 72 / max(len(groups), 1)
        cell_h = ax.get_position().height * fig.get_figheight() * 72 / max(len(rows), 1)
        annotate = cell_w >= 26 and cell_h >= 9
    if annotate:
        if value == "share":
            def fmt(x):
                return f"{x:.0%}"
        elif value in ("n_hits", "n_docs"):
            def fmt(x):
                return f"{x:,.0f}"
        else:
            def fmt(x):
                return "<0.01" if x < 0.01 else f"{x:.2g}" if x < 10 else f"{x:.0f}"
        for i, j in zip(*np.nonzero(np.isfinite(show)), strict=True):
            ax.text(j, i, fmt(show[i, j]), ha="center", va="center", fontsize=6.5,
                    color="white" if norm(show[i, j]) > 0.6 else "black")
    cbar = ax.figure.colorbar(mesh, ax=ax, fraction=0.04, pad=0.02, shrink=min(1.0, 12 / max(len(rows), 1)) ** 0.5,
                              aspect=25, anchor=(0.0, 1.0))
    cbar.set_label(_VALUE_LABELS.get(value, value.replace("_", " ")))
    handles = [Patch(color=_side_color(x, palette), label=side_name(x, lex))
               for x in dict.fromkeys(_none(x) for x in sides.reindex([cv for cv in rows if cv[1] is not None]))]
    # one side per row: a legend wider than the grid would make constrained layout squeeze the grid
    ax.legend(handles=handles, title="Term colour = the side that uses it", loc="upper left",
              bbox_to_anchor=(0, 0), ncol=1, frameon=False, fontsize="small", title_fontsize="small",
              alignment="left", borderaxespad=0.3)
    ax.set_xlabel(f"{_cap(_noun(shares))} (articles)")
    ax.xaxis.set_label_position("top")
    ax.set_title(title if title is not None else
                 f"{_VALUE_LABELS.get(value, value)}, by {_noun(shares)} and term (grey: no hits)", loc="left",
                 fontweight="bold")
    return ax
