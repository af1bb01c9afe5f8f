"""Pieces of the outlet report that its notebook calls: group columns, texts, tables, figures, samples.

The report notebook (``framing/templates/outlet_report.ipynb``) holds no function definitions; what it
needs beyond framing's statistics and charts lives here, documented and tested like the rest.
"""

from __future__ import annotations

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
