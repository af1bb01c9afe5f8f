"""Pieces of the outlet report that its notebook calls: group columns, texts, tables, figures, samples.

The report notebook (``framing/templates/outlet_report.ipynb``) holds no function definitions; what it
needs beyond framing's statistics and charts lives here, documented and tested like the rest.
"""

from __future__ import annotations

import warnings

import pandas as pd

from framing._errors import FramingError
from framing._groups import group_labels

__all__ = ["with_groups"]


def with_groups(hits: pd.DataFrame, corpus: pd.DataFrame, by: str) -> pd.DataFrame:
    """The hits with the corpus column ``by`` (each hit's article's group), for any corpus column.

    :func:`framing.find_hits` carries ``outlet`` and ``published``; a report by another column
    (``--by country``, a metadata column) takes each hit's group from its article. Empty values
    become ``"(missing)"``, as in every table of framing.

    Examples
    --------
    >>> from framing import load_corpus, find_hits
    >>> from framing.report_parts import with_groups
    >>> corpus = load_corpus("data/seed")
    >>> hits = with_groups(find_hits(corpus), corpus, "outlet_country")
    >>> sorted(hits["outlet_country"].unique())
    ['Ireland', 'Russia', 'United Arab Emirates', 'United Kingdom', 'United States']
    """
    if by not in corpus.columns and by != "doc_id":
        raise FramingError(f"no column '{by}' in the corpus to group by; the columns are {list(corpus.columns)}")
    if by == "doc_id":
        return hits
    labels = group_labels(corpus[by])
    return hits.assign(**{by: labels.reindex(hits["doc_id"]).to_numpy()})


# ------------------------------------------------------------------------------- lexicon-driven text
def _surface(variant) -> str:
    """How a variant reads in running text: its label, else its first pattern without ``*``."""
    if variant.label:
        return variant.label
    plain = [p for p in variant.patterns if "*" not in p]
    return (plain or list(variant.patterns))[0].replace("*", "").strip()


def group_noun(by: str) -> str:
    """The compared unit in words: ``outlet`` stays, ``outlet_country`` becomes "outlet country"."""
    return str(by).replace("_", " ").strip() or "group"


def lexicon_examples(lex, hits: pd.DataFrame | None = None, n: int = 3) -> list[str]:
    """Up to ``n`` examples of competing terms, ``'"A" or "B"'``, drawn from the lexicon's contrasts.

    One contrast per family (the contrasts' ``group``, in lexicon order; families with more hits
    first when ``hits`` are given), the first contrast of the family whose variants belong to two
    different sides (with hits, preferably), its first variant against the first variant of another
    side.

    Examples
    --------
    >>> from framing import load_lexicon
    >>> from framing.report_parts import lexicon_examples
    >>> lexicon_examples(load_lexicon("climate"), n=2)
    ['"climate crisis" or "climate change"', '"climate denier" or "climate sceptic"']
    """
    counts = hits["contrast"].value_counts() if hits is not None and len(hits) else pd.Series(dtype=int)
    families: dict = {}
    for c in lex.contrasts.values():
        sides = [v.side for v in c.variants.values() if v.side is not None]
        if len(set(sides)) >= 2:
            families.setdefault(c.group or c.kind or "", []).append(c)
    ranked = sorted(families.items(), key=lambda kv: -sum(int(counts.get(c.id, 0)) for c in kv[1]))
    out = []
    for _family, contrasts in ranked:
        with_hits = [c for c in contrasts if counts.get(c.id, 0) > 0]
        c = (with_hits or contrasts)[0]
        sided = [v for v in c.variants.values() if v.side is not None]
        first = sided[0]
        other = next(v for v in sided if v.side != first.side)
        out.append(f'"{_surface(first)}" or "{_surface(other)}"')
        if len(out) == n:
            break
    return out


def default_title(corpus_name: str, by: str = "outlet") -> str:
    """The report's title when none is given.

    Examples
    --------
    >>> from framing.report_parts import default_title
    >>> default_title("seed"), default_title("immig.csv", "region")
    ('How outlets word the story: seed', 'How the story is worded, by region: immig.csv')
    """
    if by == "outlet":
        return f"How outlets word the story: {corpus_name}"
    return f"How the story is worded, by {group_noun(by)}: {corpus_name}"


def question_html(lex, by: str = "outlet", *, hits: pd.DataFrame | None = None, corpus_path: str | None = None,
                  lexicon_arg: str | None = None) -> str:
    """The report's opening paragraph, written from the lexicon: the question, the sides, how to rerun.

    Examples
    --------
    >>> from framing import load_lexicon
    >>> from framing.report_parts import question_html
    >>> text = question_html(load_lexicon("climate"), "outlet")
    >>> "which competing terms does each outlet use" in text and '"climate crisis" or "climate change"' in text
    True
    """
    import html

    def e(text) -> str:
        return html.escape(str(text), quote=False)

    noun = group_noun(by)
    examples = lexicon_examples(lex, hits)
    shown = f" ({e('; '.join(examples))})" if examples else ""
    sides = [f"<i>{e(label)}</i>" for label in lex.sides.values()]
    side_text = (f" The lexicon sorts the terms by side: {' against '.join(sides[:2])}"
                 f"{' (and ' + ', '.join(sides[2:]) + ')' if len(sides) > 2 else ''}." if len(sides) >= 2 else "")
    about = f" ({e(lex.description.rstrip('.'))})" if lex.description else ""
    command = (f"framing report {corpus_path or 'CORPUS'} --lexicon {lexicon_arg or lex.name} --by {by} "
               f"--out REPORT_FOLDER")
    return (f"<p><b>Question.</b> For the same events, which competing terms does each {e(noun)} use{shown}, in "
            f"its own voice or only inside quotes, and how sure can we be?{side_text} <b>Lexicon.</b> "
            f"<b>{e(lex.name)}</b> {e(lex.version)}{about}, {len(lex.contrasts)} contrasts. <b>Rerun.</b> "
            f"<code>{e(command)}</code> writes this page, every table as CSV and "
            f"<code>provenance.json</code>.</p>")


def voice_contrasts(hits: pd.DataFrame, contrasts, n: int = 3) -> list[str]:
    """The ``n`` contrasts (of ``contrasts``) with the most hits outside the authorial voice, where
    adopting a term and only quoting it differ most; ties and contrasts without such hits by hits.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import voice_contrasts
    >>> hits = pd.DataFrame({"contrast": ["a", "a", "b", "b", "b", "c"],
    ...                      "voice": ["quoted", "quoted", "authorial", "authorial", "quoted", "authorial"]})
    >>> voice_contrasts(hits, ["a", "b", "c"], n=2)
    ['a', 'b']
    """
    contrasts = list(contrasts)
    sub = hits[hits["contrast"].isin(contrasts)]
    other = sub[sub["voice"] != "authorial"]["contrast"].value_counts()
    total = sub["contrast"].value_counts()
    rank = sorted(contrasts, key=lambda c: (-int(other.get(c, 0)), -int(total.get(c, 0)), contrasts.index(c)))
    return [c for c in rank if total.get(c, 0) > 0][:n]


# ----------------------------------------------------------------------------------------- figures
FIGURE_DPI = 300
"""Resolution of the PNG files in ``figures/``."""
EMBED_DPI = 144
"""Resolution of the PNG embedded in the HTML (shown at 96 px per inch: sharp on high-density screens)."""


def fix_figure_metadata() -> None:
    """Matplotlib settings of the report: the same SVG bytes on every run (fixed id salt), and text shown
    literally — no mathtext, so an outlet named ``$\\alpha$`` or ``Beta $5 & 10%`` is drawn as written.

    Examples
    --------
    >>> import matplotlib
    >>> from framing.report_parts import fix_figure_metadata
    >>> fix_figure_metadata()
    >>> matplotlib.rcParams["text.parse_math"], matplotlib.rcParams["text.usetex"]
    (False, False)
    """
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "framing"
    matplotlib.rcParams["svg.fonttype"] = "path"  # the same glyphs whatever fonts the reader has
    matplotlib.rcParams["text.parse_math"] = False  # group names and terms are data, never markup
    matplotlib.rcParams["text.usetex"] = False


_METADATA = {  # no dates, no versions that vary between runs: same inputs, same bytes
    "svg": {"Date": None, "Creator": "framing"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "framing", "Producer": "framing"},
    "png": {"Software": "framing"},
}


class Figures:
    """Writes each chart of a report as ``NN_name.svg``, ``.pdf`` and a 300-dpi ``.png``, with its caption.

    ``show(fig, name, caption)`` saves the figure (when a folder is given), displays it in the
    notebook as an image whose alt text is the caption, with the caption below it, and closes it;
    ``write_captions()`` writes ``captions.md`` (one section per figure: file names and caption).
    The files carry no dates (SVG ``Date``, PDF ``CreationDate`` left out, fixed SVG id salt), so the
    same inputs give the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib.pyplot as plt
    >>> from framing.report_parts import Figures
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> figures = Figures(folder, display=False)
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> figures.show(fig, "diagonal", "A line from 0 to 1 (n = 2 points).")
    '01_diagonal'
    >>> sorted(p.name for p in folder.iterdir())
    ['01_diagonal.pdf', '01_diagonal.png', '01_diagonal.svg']
    >>> print(figures.write_captions().read_text())
    # Figures
    <BLANKLINE>
    ## Figure 1: diagonal
    <BLANKLINE>
    Files: `01_diagonal.svg`, `01_diagonal.pdf`, `01_diagonal.png` (300 dpi).
    <BLANKLINE>
    A line from 0 to 1 (n = 2 points).
    <BLANKLINE>
    """

    def __init__(self, folder=None, *, display: bool = True, title: str = ""):
        from pathlib import Path

        self.folder = Path(folder) if folder is not None else None
        self.display = display
        self.title = title
        self.captions: list[tuple[str, str]] = []
        fix_figure_metadata()

    def show(self, fig, name: str, caption: str) -> str:
        """Save, display and close ``fig``; returns its file stem ``NN_name``."""
        import re

        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise FramingError(f"figure name {name!r} must be lowercase letters, digits and '_'")
        stem = f"{len(self.captions) + 1:02d}_{name}"
        with warnings.catch_warnings():
            # matplotlib's layout notice names its install path: it must not reach a reproducible report
            warnings.filterwarnings("ignore", message="constrained_layout not applied")
            return self._save(fig, stem, caption)

    def _save(self, fig, stem: str, caption: str) -> str:
        import base64
        import html
        import io

        import matplotlib.pyplot as plt

        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            for fmt in ("svg", "pdf", "png"):
                fig.savefig(self.folder / f"{stem}.{fmt}", format=fmt, dpi=FIGURE_DPI if fmt == "png" else None,
                            metadata=_METADATA[fmt], bbox_inches="tight", facecolor="white")
        self.captions.append((stem, caption))
        if self.display:
            from IPython.display import HTML, display

            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=EMBED_DPI, metadata=_METADATA["png"], bbox_inches="tight",
                        facecolor="white")
            from PIL import Image

            width = Image.open(io.BytesIO(buffer.getvalue())).size[0] * 96 // EMBED_DPI
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            alt = html.escape(caption, quote=True)
            display(HTML(f'<figure class="framing-figure" id="{stem}"><img src="data:image/png;base64,{data}" '
                         f'alt="{alt}" width="{width}"/><figcaption><b>Figure {len(self.captions)}.</b> '
                         f'{html.escape(caption)} <span class="framing-files">(<code>figures/{stem}.svg</code>, '
                         f'<code>.pdf</code>, <code>.png</code>)</span></figcaption></figure>'))
        plt.close(fig)
        return stem

    def write_captions(self):
        """Write ``captions.md`` into the folder (when there is one) and return its path."""
        lines = ["# Figures", ""]
        if self.title:
            lines += [self.title, ""]
        for i, (stem, caption) in enumerate(self.captions, start=1):
            name = stem.split("_", 1)[1]
            lines += [f"## Figure {i}: {name}", "", f"Files: `{stem}.svg`, `{stem}.pdf`, `{stem}.png` "
                      f"({FIGURE_DPI} dpi).", "", caption, ""]
        if self.folder is None:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "captions.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path


# ------------------------------------------------------------------------------------ data quality
def flagged_html(flagged: pd.DataFrame, n_articles: int, corpus_path: str | None = None) -> str:
    """The data-quality sentence on the articles cleaning was unsure about (:func:`framing.cleaning_flagged`):
    how many, of which kind, what each flag means and where to look.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import flagged_html
    >>> flagged = pd.DataFrame({"doc_id": ["a", "b"], "flag": ["short", "chrome_only"]})
    >>> text = flagged_html(flagged, 40, "data/x")
    >>> "2 of 40 articles" in text and "1 chrome_only, 1 short" in text and "framing corpus data/x --flagged" in text
    True
    >>> "None of the 40 articles" in flagged_html(flagged.head(0), 40)
    True
    """
    import html as _html

    from framing.clean import FLAGS

    command = f"framing corpus {corpus_path or 'CORPUS'} --flagged"
    where = (f"every removed line is in <code>tables/cleaning_log.csv</code>, the words each rule removed per "
             f"article in <code>tables/cleaning_summary.csv</code>; <code>{_html.escape(command)}</code> lists the "
             f"flagged articles")
    if flagged.empty:
        return (f"<p><b>Flagged by cleaning.</b> None of the {n_articles:,} articles: cleaning kept a plausible "
                f"article in each (no text kept raw, short, left with page chrome only or stripped of most of its "
                f"prose); {where}.</p>")
    counts = flagged["flag"].value_counts().sort_index()
    kinds = ", ".join(f"{n:,} {_html.escape(str(f))}" for f, n in counts.items())
    meaning = "; ".join(f"<i>{_html.escape(str(f))}</i>: {_html.escape(FLAGS.get(f, ''))}" for f in counts.index)
    return (f"<p><b>Flagged by cleaning.</b> {len(flagged):,} of {n_articles:,} articles ({kinds}) are ones cleaning "
            f"was unsure about: read them before trusting their counts ({meaning}). They are listed below and in "
            f"<code>tables/cleaning_flagged.csv</code>; {where}.</p>")


# ----------------------------------------------------------------------------------- the appendix
KWIC_SAMPLE = 300
"""Hits in the report's keyword-in-context appendix (more when there are more group × contrast strata)."""
KWIC_COLUMNS = ["doc_id", "field", "start", "end", "contrast", "variant", "voice", "left", "match", "right"]


def kwic_sample(hits: pd.DataFrame, by: str, *, n: int = KWIC_SAMPLE, seed: int = 0, order=None, lex=None):
    """The appendix's hits: a sample stratified by group and contrast, and the sentence that says how it was drawn.

    The ``n`` hits are dealt out evenly over the strata, every pair of group (``by``) and contrast that
    has hits (:func:`framing.validation_sample`: a stratum with fewer hits gives its rest to the others;
    ``n`` grows to the number of strata, so each has at least one hit); within a stratum the hits are
    drawn at random with ``seed``. A corpus with ``n`` hits or fewer shows them all. Rows are ordered
    by group (``order``), contrast (lexicon order), article and position.

    Returns
    -------
    (DataFrame, str)
        The sampled hits (:data:`KWIC_COLUMNS` with the group column, ``stratum_size``: the hits of
        its group and contrast), and the HTML sentence describing the sample.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import kwic_sample
    >>> hits = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "outlet": ["A"] * 30 + ["B"] * 10,
    ...                      "field": "text", "start": 0, "end": 4, "contrast": ["c", "k"] * 20,
    ...                      "variant": "v", "voice": "authorial", "left": "", "match": "Kyiv", "right": ""})
    >>> sample, text = kwic_sample(hits, "outlet", n=8, seed=1)
    >>> sample.groupby(["outlet", "contrast"]).size().tolist()  # 2 from each of the 4 strata
    [2, 2, 2, 2]
    >>> "8 of the 40 hits" in text and "4 pairs of outlet and contrast" in text and "seed 1" in text
    True
    """
    import html as _html

    from framing.validation import validation_sample

    noun = group_noun(by)
    if hits.empty:
        return hits.reindex(columns=[*KWIC_COLUMNS[:1], by, *KWIC_COLUMNS[1:], "stratum_size"]), (
            "<p>No hits: the appendix is empty.</p>")
    strata = [by, "contrast"] if by != "contrast" else ["contrast"]
    n_strata = int(hits.groupby(strata, sort=False, dropna=False).ngroups)
    size = max(n, n_strata)
    columns = list(dict.fromkeys([KWIC_COLUMNS[0], by, *(["outlet"] if "outlet" in hits.columns else []),
                                  *KWIC_COLUMNS[1:]]))
    if len(hits) <= size:
        table = hits.assign(stratum_size=hits.groupby(strata, dropna=False)["doc_id"].transform("size"))
        text = (f"<p>Every one of the {len(hits):,} hits, all voices (the statistics above count the voices "
                f"chosen in the parameters); also in <code>tables/hits.csv</code>.</p>")
    else:
        table = (validation_sample(hits, n=size, by=strata, seed=seed)  # its empty coding column 'voice' goes
                 .drop(columns=["voice"]).rename(columns={"tool_voice": "voice"}))
        text = (f"<p><b>A stratified sample</b> of {len(table):,} of the {len(hits):,} hits, all voices: the sample "
                f"is dealt out evenly over the {n_strata:,} pairs of {_html.escape(noun)} and contrast with hits, "
                f"so that rare contrasts and small {_html.escape(noun)}s show as often as common ones (a pair with "
                f"fewer hits than its share gives the rest to the others; <i>Hits in stratum</i> gives its size), "
                f"and within each pair the hits are drawn at random (seed {int(seed)}, "
                f"<code>framing.validation_sample</code>). Every hit is in <code>tables/hits.csv</code>.</p>")
    rank_group = {g: i for i, g in enumerate(order or [])}
    rank_contrast = {c: i for i, c in enumerate(lex.contrasts if lex is not None else [])}
    table = table.assign(_g=table[by].map(lambda g: rank_group.get(g, len(rank_group))),
                         _c=table["contrast"].map(lambda c: rank_contrast.get(c, len(rank_contrast))))
    table = table.sort_values(["_g", by, "_c", "contrast", "doc_id", "field", "start"], kind="stable")
    return table[[*columns, "stratum_size"]].reset_index(drop=True), text


# ------------------------------------------------------------------------------ not enough data
def not_enough(what: str, why: str):
    """One sentence shown in place of a chart or table that needs more data than the corpus has.

    Examples
    --------
    >>> from framing.report_parts import not_enough
    >>> not_enough("Trend chart", "no month has 5 articles <with> side-tagged terms").data
    "<p class='framing-missing'><b>Trend chart: not enough data.</b> No month has 5 articles &lt;with&gt; \
side-tagged terms.</p>"
    """
    import html as _html

    from IPython.display import HTML

    why = why.strip().rstrip(".")
    return HTML(f"<p class='framing-missing'><b>{_html.escape(what)}: not enough data.</b> "
                f"{_html.escape(why[:1].upper() + why[1:])}.</p>")


def distinctive_or_reason(corpus: pd.DataFrame, by: str, *, min_count: int = 3, **kwargs):
    """:func:`framing.distinctive_terms` of every group against the rest, or why there is too little text.

    Returns ``(terms, "")``, or ``(None, reason)`` when the corpus has fewer than two groups or no
    term occurs ``min_count`` times (a one- or two-article corpus): the report says so and goes on.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import distinctive_or_reason
    >>> docs = pd.DataFrame({"outlet": ["A", "B"], "text": ["Kyiv talks.", "Kiev talks."]})
    >>> distinctive_or_reason(docs, "outlet")
    (None, 'no word occurs at least 3 times in the 2 articles (the comparison counts words used 3 times or more)')
    >>> distinctive_or_reason(docs.head(1), "outlet")[1]
    'the comparison needs at least two outlets with articles; there is 1'
    """
    from framing._errors import ArgumentError
    from framing.distinctive import distinctive_terms

    n_groups = int(corpus[by].nunique()) if by in corpus.columns else (len(corpus) if by == "doc_id" else 0)
    if n_groups < 2:
        return None, (f"the comparison needs at least two {group_noun(by)}s with articles; there "
                      f"{'is' if n_groups == 1 else 'are'} {n_groups}")
    try:
        return distinctive_terms(corpus, by=by, min_count=min_count, **kwargs), ""
    except ArgumentError as exc:  # the template's arguments are fixed: only too little text gets here
        if "min_count" not in str(exc):
            raise
        return None, (f"no word occurs at least {min_count} times in the {len(corpus):,} article"
                      f"{'s' if len(corpus) != 1 else ''} (the comparison counts words used {min_count} times "
                      f"or more)")


# --------------------------------------------------------------------------------- captions, pages
def interval_phrase(*tables) -> str:
    """The intervals of the tables in a few words, for a caption: "95% cluster-adjusted Jeffreys
    intervals with the article as the unit" (the long form is :func:`framing.methods_text`).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import interval_phrase
    >>> interval_phrase(pd.DataFrame({"ci_method": ["cluster-jeffreys", "cluster-jeffreys"]}))
    '95% cluster-adjusted Jeffreys intervals with the article as the unit'
    """
    import re

    from framing.intervals import CI_METHODS

    used, level = [], 0.95
    for t in tables:
        level = t.attrs.get("level", level) if hasattr(t, "attrs") else level
        values = t["ci_method"].dropna().tolist() if "ci_method" in getattr(t, "columns", []) else list(t)
        for v in values:
            if v and v in CI_METHODS and v not in used:
                used.append(v)
    if not used:
        return "no intervals (no group has hits)"
    short = [re.split(r"[:;(]", CI_METHODS[u], maxsplit=1)[0].strip().rstrip(",") for u in used]
    return f"{level:.0%} " + "; ".join(short)


def share_pages(lex, contrasts, n_groups: int) -> list[dict]:
    """The variant-share charts of a report: one per contrast family, each sized to read on a page.

    A family is the contrasts' ``group`` in the lexicon (``A. Place names``, ...), else their
    ``kind``, else one family for all. A family with more panels than fit on a page (6, or 4 when
    more than 8 groups make each panel tall) is split over several figures. Each entry has
    ``title``, ``name`` (for the file), ``contrasts``, ``ncols`` and ``figsize`` (inches).

    Examples
    --------
    >>> from framing import load_lexicon
    >>> from framing.report_parts import share_pages
    >>> pages = share_pages(load_lexicon("russia-ukraine"), ["capital", "kharkiv", "war_name"], n_groups=5)
    >>> [(p["title"], p["contrasts"]) for p in pages]
    [('A. Place names', ['capital', 'kharkiv']), ('C. Naming the war', ['war_name'])]
    """
    import re

    families: dict = {}
    for c in contrasts:
        contrast = lex.contrasts.get(c) if lex is not None else None
        family = (contrast.group or (contrast.kind and f"{contrast.kind} contrasts")) if contrast else None
        families.setdefault(family or "Contrasts", []).append(c)
    per_page = 4 if n_groups > 8 else 6
    pages = []
    for family, members in families.items():
        chunks = [members[i:i + per_page] for i in range(0, len(members), per_page)]
        for k, chunk in enumerate(chunks, start=1):
            ncols = 1 if len(chunk) == 1 else 2
            nrows = -(-len(chunk) // ncols)
            title = family if len(chunks) == 1 else f"{family} ({k} of {len(chunks)})"
            slug = re.sub(r"[^a-z0-9]+", "_", re.sub(r"^[A-Z]\.\s*", "", family).lower()).strip("_") or "contrasts"
            pages.append({"title": title, "name": f"shares_{slug}" + (f"_{k}" if len(chunks) > 1 else ""),
                          "contrasts": chunk, "ncols": ncols,
                          # one panel alone gets the width of two narrow ones' text: its heading stays 2 lines
                          "figsize": (max(4.6 * ncols + 0.6, 7.4), nrows * (0.26 * n_groups + 1.7) + 1.1)})
    return pages


# -------------------------------------------------------------------------------------------- tables
COLUMN_NAMES = {
    "group": "Group", "group_a": "Group A", "group_b": "Group B", "n_articles": "Articles", "n_docs": "Articles",
    "n_words": "Words", "n_hits": "Hits", "first": "First article", "last": "Last article", "lean": "Lean",
    "ci_low": "95% low", "ci_high": "95% high", "ci_method": "Interval", "n_eff": "Effective n",
    "n_contrasts": "Contrasts", "contrast": "Contrast", "variant": "Variant", "side": "Side", "voice": "Voice",
    "share": "Share", "difference": "Difference", "estimate_a": "A", "estimate_b": "B", "p": "p", "p_holm": "p (Holm)",
    "n_docs_a": "Articles A", "n_docs_b": "Articles B", "distance": "Distance", "note": "Note", "term": "Term",
    "z": "z", "n_target": "Uses here", "n_reference": "Uses elsewhere", "n_pairs": "Article pairs",
    "similarity": "Similarity", "edit": "Edit (a → b)", "sentence_a": "Sentence in A", "sentence_b": "Sentence in B",
    "doc_id": "Article", "outlet": "Outlet", "field": "Field", "left": "Before", "match": "Term as written",
    "right": "After", "start": "Start", "end": "End", "reason": "Reason", "source_file": "File", "line": "Line",
    "n_periods": "Months with articles", "n_periods_spanned": "Months spanned", "per_period": "Articles per month",
    "min_overlap": "Smallest overlap", "least_overlap_with": "Least overlap with", "n_undated": "Undated",
    "weight": "Weighting", "n_a": "Hits, side A", "n_b": "Hits, side B", "side_a": "Side A", "side_b": "Side B",
    "kind": "Kind", "why": "Why", "label": "Label", "precision": "Precision", "n_coded": "Coded hits",
    "contribution": "Contribution", "weight_share": "Weight share", "period": "Period", "value": "Value",
    "n_articles_cleaned": "Articles cleaned", "n_flagged": "Flagged by cleaning", "n_removed_lines": "Lines removed",
    "words_before": "Words before cleaning", "words_after": "Words after", "share_removed": "Share removed",
    "flag": "Flag", "stratum_size": "Hits in stratum",
}


def cleaning_table(summary: pd.DataFrame):
    """:func:`framing.cleaning_summary` by group for the report: only the rules that removed something,
    with readable names, and a note naming the rules that removed nothing.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import cleaning_table
    >>> html = cleaning_table(pd.DataFrame({"group": ["A"], "headline": [8], "promo": [0]})).data
    >>> "Words removed: headline" in html and "promo" not in html.split("framing-note")[0]
    True
    >>> "Rules that removed nothing: promo." in html
    True
    """
    from framing.clean import CLEANING_RULES

    unused = [r for r in CLEANING_RULES if r in summary.columns and not summary[r].fillna(0).astype(bool).any()]
    note = ("Rules that removed nothing: " + ", ".join(r.replace("_", " ") for r in unused) + ".") if unused else ""
    return show_table(summary.drop(columns=unused), names=cleaning_names(), note=note)


def cleaning_names() -> dict:
    """Column names for :func:`framing.cleaning_summary`: a rule's column holds the words it removed.

    Examples
    --------
    >>> from framing.report_parts import cleaning_names
    >>> cleaning_names()["ui_label"], cleaning_names()["headline"]
    ('Words removed: UI label', 'Words removed: headline')
    """
    from framing.clean import CLEANING_RULES

    return {r: "Words removed: " + r.replace("_", " ").replace("ui ", "UI ") for r in CLEANING_RULES}


def human_columns(table: pd.DataFrame, names: dict | None = None) -> pd.DataFrame:
    """The table with readable column names (:data:`COLUMN_NAMES`, then ``names``; others: ``_`` as spaces,
    capitalised). A renamed copy; the CSV keeps the machine names.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import human_columns
    >>> list(human_columns(pd.DataFrame(columns=["group", "n_docs", "ci_low", "share_non_authorial"])).columns)
    ['Group', 'Articles', '95% low', 'Share non authorial']
    """
    mapping = {**COLUMN_NAMES, **(names or {})}

    def human(c):
        if c in mapping:
            return mapping[c]
        text = str(c).replace("_", " ").strip()
        return text[:1].upper() + text[1:]

    if isinstance(table.columns, pd.MultiIndex):
        return table.rename(columns=lambda c: human(c))
    out = table.rename(columns=human)
    if table.index.name is not None:
        out.index.name = human(table.index.name)
    return out


def _numbers_right(body: str, numeric: list[int], header: bool = True) -> str:
    """Mark the cells of numeric columns (positions among the data cells of each row) ``class="num"``,
    and their headings when ``header``: numbers align right, text left (``framing.report``'s CSS)."""
    import re

    if not numeric:
        return body
    wanted = set(numeric)

    def marker(tag: str):
        def row(match: re.Match) -> str:
            count = iter(range(10**9))
            return re.sub(f"<{tag}>", lambda _m: f'<{tag} class="num">' if next(count) in wanted else f"<{tag}>",
                          match.group(0))
        return row

    head, sep, rest = body.partition("</thead>")
    if not sep:
        head, rest = "", body
    if header:
        head = re.sub(r"<tr[^>]*>.*?</tr>", marker("th"), head, flags=re.S)
    return head + sep + re.sub(r"<tr>.*?</tr>", marker("td"), rest, flags=re.S)


def show_table(table: pd.DataFrame, *, names: dict | None = None, max_rows: int | None = None, digits: int = 3,
               index: bool = False, note: str = ""):
    """A table for the report: readable column names, numbers rounded, every cell HTML-escaped, in a box
    that scrolls sideways when it is wider than the page (nothing is clipped or cut mid-word).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import show_table
    >>> html = show_table(pd.DataFrame({"group": ["<b>RT</b>"], "lean": [0.123456], "n_words": [25170]})).data
    >>> "&lt;b&gt;RT&lt;/b&gt;" in html and "0.123" in html and "framing-scroll" in html and ">Lean<" in html
    True
    >>> '<td class="num">25,170</td>' in html  # numbers right-aligned, with thousands separators
    True
    >>> show_table(pd.DataFrame({"doc_id": [], "reason": []})).data  # no rows: a sentence, not a bare header
    "<p class='framing-empty'><i>No rows</i> (columns: Article, Reason).</p>"
    """
    import html as _html

    from IPython.display import HTML

    extra = f"<p class='framing-note'>{_html.escape(note)}</p>" if note else ""
    if not len(table):  # a header over no rows reads as a table that failed to fill
        cols = ", ".join(_html.escape(str(c)) for c in human_columns(table, names).columns)
        return HTML(f"<p class='framing-empty'><i>No rows</i> (columns: {cols}).</p>{extra}")
    shown = table if max_rows is None else table.head(max_rows)
    shown = human_columns(shown, names)
    floats = shown.select_dtypes("float").columns
    numeric = [i for i, c in enumerate(shown.columns) if pd.api.types.is_numeric_dtype(shown[c])
               and not pd.api.types.is_bool_dtype(shown[c])]
    shown = shown.copy()
    for c in floats:
        shown[c] = shown[c].map(lambda x: "" if pd.isna(x) else f"{x:,.{digits}f}".rstrip("0").rstrip(".")
                                if abs(x) < 1e6 else f"{x:,.0f}")
    for c in shown.columns[[i for i in numeric if shown.columns[i] not in floats]]:  # 25,170 words, not 25170
        shown[c] = shown[c].map(lambda x: "" if pd.isna(x) else f"{int(x):,}")
    body = _numbers_right(shown.to_html(index=index, escape=True, na_rep="", border=0, classes="framing-table"),
                          numeric, header=not index)
    more = (f"<p><i>{len(table) - len(shown):,} more rows in the CSV.</i></p>" if len(shown) < len(table) else "")
    return HTML(f"<div class='framing-scroll'>{body}</div>{more}{extra}")


# ----------------------------------------------------------------------------- words for captions
def side_name(lex, side) -> str:
    """A side's label without its parenthesised examples ("Russian state usage")."""
    from framing._labels import side_name as _side_name

    return _side_name(side, lex)


def voices_phrase(voices) -> str:
    """Which voices the statistics count, in words.

    Examples
    --------
    >>> from framing.report_parts import voices_phrase
    >>> voices_phrase(["authorial"]), voices_phrase(["authorial", "quoted"])
    ('own words only (authorial voice)', 'the voices authorial and quoted')
    """
    voices = list(voices)
    if voices == ["authorial"]:
        return "own words only (authorial voice)"
    return "the voices " + (" and ".join(voices) if len(voices) <= 2 else ", ".join(voices[:-1]) + " and " + voices[-1])


def shared_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per pair of groups: sentences shared, of them narration (wire copy) and quotation, and edited.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import shared_summary
    >>> pairs = pd.DataFrame({"group_a": ["A", "A"], "group_b": ["B", "B"], "kind": ["narration", "quotation"],
    ...                       "edit": ["x → y", ""]})
    >>> shared_summary(pairs).to_dict("records")
    [{'group_a': 'A', 'group_b': 'B', 'shared': 2, 'narration': 1, 'quotation': 1, 'edited': 1}]
    """
    cols = ["group_a", "group_b", "shared", "narration", "quotation", "edited"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    t = pairs.assign(narration=pairs["kind"] == "narration", quotation=pairs["kind"] == "quotation",
                     edited=pairs["edit"].fillna("") != "")
    out = t.groupby(["group_a", "group_b"], sort=True).agg(shared=("kind", "size"), narration=("narration", "sum"),
                                                           quotation=("quotation", "sum"), edited=("edited", "sum"))
    return out.reset_index()[cols].astype({c: int for c in cols[2:]})


def slug(value) -> str:
    """A file-name piece from a group name: ``"The Guardian"`` -> ``the_guardian``."""
    import re

    return re.sub(r"[^a-z0-9]+", "_", str(value).lower()).strip("_") or "group"


def similarity_html(similarity: pd.DataFrame, noun: str = "group") -> str:
    """The distance matrix of :func:`framing.outlet_similarity` as a captioned table, or, when no
    distance could be computed (no contrast that every group used), a sentence saying so.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report_parts import similarity_html
    >>> empty = pd.DataFrame({"group_a": ["A", "B"], "group_b": ["B", "A"], "distance": [float("nan")] * 2,
    ...                       "n_contrasts": [0, 0], "note": ["no common contrast"] * 2})
    >>> "no contrast that every group used" in similarity_html(empty)
    True
    """
    import html as _html

    off = similarity[similarity["group_a"] != similarity["group_b"]]
    if off.empty or off["distance"].isna().all():
        return ("<p><b>Similarity.</b> No distance between the " + _html.escape(noun) + "s could be computed: there "
                "is no contrast that every group used (each distance rests on the same contrasts, those every "
                "group has hits in). With more articles per group, or fewer groups (<code>--groups</code>), the "
                "matrix appears here; <code>tables/outlet_similarity.csv</code> lists every pair and why.</p>")
    n = off["n_contrasts"].dropna().astype(int)
    same = n.nunique() == 1
    mat = similarity.pivot(index="group_a", columns="group_b", values="distance")
    cnt = similarity.pivot(index="group_a", columns="group_b", values="n_contrasts")
    cells = mat.map(lambda d: "" if pd.isna(d) else f"{d:.2f}") if same else pd.DataFrame(
        [[("" if pd.isna(mat.iat[i, j]) else f"{mat.iat[i, j]:.2f} ({int(cnt.iat[i, j])})")
          for j in range(mat.shape[1])] for i in range(mat.shape[0])], index=mat.index, columns=mat.columns)
    cells.index.name, cells.columns.name = None, None
    caption = (f"Jensen–Shannon distance between the {noun}s' variant-share profiles (0: the same shares in every "
               f"contrast, 1: no variant in common), each contrast weighing equally; "
               + (f"every cell rests on the same {int(n.iloc[0])} contrasts, those every group used (n = "
                  f"{int(n.iloc[0])} per cell)." if same else "n contrasts per cell in brackets.")
               + " No interval: a descriptive distance.")
    body = cells.to_html(escape=True, border=0, classes="framing-table")
    body = body.replace(">", f"><caption>{_html.escape(caption)}</caption>", 1)  # right after <table ...>
    return f"<div class='framing-scroll'>{body}</div>"
