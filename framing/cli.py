"""Command line: ``framing corpus | report | ...``; bad input prints one line and exits with status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from framing._errors import FramingError

__all__ = ["main"]


def _corpus_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("reading the corpus")
    g.add_argument("--text-col", default="text", help="column holding the article text")
    g.add_argument("--outlet-col", default="outlet", help="column holding the outlet")
    g.add_argument("--title-col", default="title")
    g.add_argument("--date-col", default=None, help="publication date column (default: published/date)")
    g.add_argument("--id-col", default=None, help="column of unique article ids")
    g.add_argument("--no-clean", action="store_true", help="keep the raw text (no boilerplate removal)")
    g.add_argument("--drop-empty", action="store_true", help="drop (and log) articles empty after cleaning")
    g.add_argument("--skip-bad", action="store_true", help="skip (and count) malformed CSV/JSONL records")


def _load_kwargs(args: argparse.Namespace) -> dict:
    return dict(text_col=args.text_col, outlet_col=args.outlet_col, title_col=args.title_col,
                date_col=args.date_col, id_col=args.id_col, clean=not args.no_clean,
                drop_empty=args.drop_empty, skip_bad=args.skip_bad)


def _cmd_corpus(args: argparse.Namespace) -> int:
    from framing.clean import cleaning_log
    from framing.corpus import corpus_summary, dropped_documents, load_corpus

    corpus = load_corpus(args.path, **_load_kwargs(args))
    summary = corpus_summary(corpus, by=args.by)
    for col in ("first", "last"):
        summary[col] = summary[col].dt.strftime("%Y-%m-%d").fillna("-")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80, "display.max_rows", 500):
        print(summary.to_string(index=False))
        log = cleaning_log(corpus)
        dropped = dropped_documents(corpus)
        print(f"\n{len(corpus)} articles, {int(corpus['n_words'].sum()):,} words; "
              f"{len(log)} boilerplate lines removed; {len(dropped)} records dropped")
        if args.log:
            print()
            print(log.to_string(index=False) if len(log) else "(no lines removed)")
        if len(dropped):
            print()
            print(dropped.to_string(index=False))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from framing.report import render_report

    out = render_report(args.path, args.out, by=args.by, title=args.title, load_kwargs=_load_kwargs(args))
    print(f"report written to {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description="How news outlets word the same story.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("corpus", help="summarise a corpus: articles, words and dates per outlet")
    p.add_argument("path", help="folder of .txt + metadata.csv, or a CSV/TSV/JSONL/Parquet file or folder")
    p.add_argument("--by", default="outlet", help="column to group by (default: outlet)")
    p.add_argument("--log", action="store_true", help="also list every removed boilerplate line")
    _corpus_options(p)
    p.set_defaults(func=_cmd_corpus)

    p = sub.add_parser("report", help="write the report on a corpus into a folder")
    p.add_argument("path", help="the corpus (as for `framing corpus`)")
    p.add_argument("--out", required=True, help="folder to write (replaced when the run succeeds)")
    p.add_argument("--by", default="outlet", help="column to compare (default: outlet)")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--title", default=None, help="title of the report")
    _corpus_options(p)
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``framing`` command line; return the exit status (2 on bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
