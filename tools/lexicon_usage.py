"""Observed usage of each variant of a lexicon: RT against the Western outlets of ukraine-media-2022.

Writes the aggregate table a lexicon's ``usage:`` key points to (for the built-in lexicon,
``framing/lexicons/russia-ukraine.usage.csv``): per group and variant, the articles using it, in any
voice and in the outlet's own (authorial) voice, and its hits per voice. Aggregate counts only; no
article text leaves the corpus. ``framing lexicon show`` and ``Lexicon.evidence_table()`` read it.

Run from the repository root after changing any pattern of the lexicon::

    python tools/lexicon_usage.py                      # russia-ukraine on ../shared/corpora/ukraine-media-2022
    python tools/lexicon_usage.py --corpus FILE --lexicon my.yaml --state-outlet "Russia Today"

Every row carries the variant's matching fingerprint, so the lexicon can tell numbers computed with
other patterns (``Lexicon.usage()["current"]``) and ``framing lexicon check`` reports them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022" / "articles.csv.gz"


def usage_table(corpus: pd.DataFrame, lexicon="russia-ukraine", *, state_outlets=("RT",), outlet_col: str = "outlet",
                corpus_name: str = "") -> pd.DataFrame:
    """The usage table: :func:`framing.lexicon_audit` by side group, with fingerprints.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table (:func:`framing.load_corpus`) with an outlet column.
    lexicon : str, Path or Lexicon
    state_outlets : sequence of str
        The outlets that make up the state-media group; every other outlet is ``Western``. The
        group names must match the lexicon's ``usage: groups`` (``RT`` and ``Western`` for the
        built-in lexicon): the state group is named after its single outlet, or ``State media``.
    outlet_col : str
        The corpus column holding the outlet.
    corpus_name : str
        Recorded in the ``corpus`` column.

    Returns
    -------
    DataFrame
        The columns of :func:`framing.lexicon_audit` plus ``fingerprint`` (the variant's matching
        rules), ``corpus`` and ``lexicon_version``; one row per group and variant.
    """
    import framing

    lex = framing.load_lexicon(lexicon)
    if outlet_col not in corpus.columns:
        raise framing.CorpusError(f"no column '{outlet_col}' in the corpus; pass --outlet-col")
    state = list(state_outlets)
    missing = [o for o in state if o not in set(corpus[outlet_col].dropna())]
    if missing:
        raise framing.CorpusError(f"no articles from {missing} in the corpus; check --state-outlet")
    state_name = state[0] if len(state) == 1 else "State media"
    grouped = corpus.assign(side_group=corpus[outlet_col].isin(state).map({True: state_name, False: "Western"}))
    table = framing.lexicon_audit(grouped, lex, by="side_group")
    prints = {(v.contrast, v.id): v.fingerprint for v in lex.variants}
    table["fingerprint"] = [prints[(c, v)] for c, v in zip(table["contrast"], table["variant"], strict=True)]
    table["corpus"] = corpus_name
    table["lexicon_version"] = lex.version
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="corpus file or folder (default: %(default)s)")
    parser.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    parser.add_argument("--state-outlet", action="append", help="outlet of the state-media group (default: RT)")
    parser.add_argument("--outlet-col", default="outlet")
    parser.add_argument("-o", "--output", help="CSV to write (default: the file the lexicon's usage key names)")
    args = parser.parse_args(argv)

    import framing

    try:
        lex = framing.load_lexicon(args.lexicon)
        output = Path(args.output) if args.output else None
        if output is None:
            if not lex.usage_spec or lex.path is None:
                raise framing.LexiconError(f"{args.lexicon}: the lexicon has no `usage: file:`; pass -o FILE.csv")
            output = lex.path.parent / lex.usage_spec["file"]
        if not Path(args.corpus).exists():
            raise framing.CorpusError(f"{args.corpus}: no such corpus; pass --corpus")
        corpus = framing.load_corpus(args.corpus, outlet_col=args.outlet_col)
        name = Path(args.corpus).parent.name if Path(args.corpus).is_file() else Path(args.corpus).name
        table = usage_table(corpus, lex, state_outlets=args.state_outlet or ["RT"], outlet_col="outlet",
                            corpus_name=name)
    except framing.FramingError as exc:
        print(f"lexicon_usage: error: {exc}", file=sys.stderr)
        return 2
    table.to_csv(output, index=False, lineterminator="\n", float_format="%.6g")
    sizes = table.drop_duplicates("group").set_index("group")["n_group_docs"].to_dict()
    print(f"{len(table)} rows ({table['variant'].nunique()} variants x {len(sizes)} groups {sizes}) -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
