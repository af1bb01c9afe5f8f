"""Command line: ``framing corpus | report | ...``; bad input prints one line and exits with status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from framing._errors import FramingError
from framing.voice import VOICES

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
    import pandas as pd

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


def _cmd_kwic(args: argparse.Namespace) -> int:
    from framing.corpus import load_corpus
    from framing.lexicon import load_lexicon
    from framing.match import kwic

    lex = load_lexicon(args.lexicon)
    corpus = load_corpus(args.path, **_load_kwargs(args))
    if args.term in lex.contrasts:
        table = kwic(corpus, lex, contrast=args.term, window=args.window, voice=args.voice)
    elif args.term in {v.id for v in lex.variants}:
        table = kwic(corpus, lex, variant=args.term, window=args.window, voice=args.voice)
    else:
        table = kwic(corpus, pattern=args.term, window=args.window, voice=args.voice)
    if args.output:
        table.to_csv(args.output, index=False)
        print(f"{len(table)} hits written to {args.output}")
        return 0
    if not len(table):
        print("(no hits)")
    id_w = min(40, max(len(str(d)) for d in table["doc_id"])) if len(table) else 0
    out_w = min(24, max(len(str(o)) for o in table["outlet"])) if len(table) else 0
    for row in table.head(args.max_rows).itertuples():
        print(f"{str(row.doc_id)[:id_w]:<{id_w}}  {str(row.outlet)[:out_w]:<{out_w}}  {row.voice:<9}  "
              f"{row.left:>{args.window}} [{row.match}] {row.right:<{args.window}}")
    more = f" ({len(table) - args.max_rows} not shown; use -o FILE.csv for all)" if len(table) > args.max_rows else ""
    print(f"\n{len(table)} hits{more}")
    return 0


def _cmd_lexicon(args: argparse.Namespace) -> int:
    import pandas as pd

    from framing.lexicon import list_lexicons, load_lexicon

    with pd.option_context("display.width", 250, "display.max_colwidth", 80, "display.max_rows", 1000):
        if args.action == "list":
            print(list_lexicons().to_string(index=False))
            return 0
        if not args.name:
            raise FramingError(f"`framing lexicon {args.action}` needs a lexicon name or YAML path")
        lex = load_lexicon(args.name)
        if args.action == "check":
            n_pat = int((lex.to_frame()["kind"] == "pattern").sum())
            print(f"{lex.path}: OK, {len(lex.contrasts)} contrasts, {len(lex.variants)} variants, "
                  f"{n_pat} patterns, sides {list(lex.sides)}")
            return 0
        print(repr(lex))
        if lex.description:
            print(lex.description)
        frame = lex.to_frame()
        frame["pattern"] = frame["pattern"].where(frame["kind"] == "pattern", "not: " + frame["pattern"])
        print(frame[["contrast", "variant", "side", "pattern"]].fillna("").to_string(index=False))
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pandas as pd

    from framing._errors import CorpusError
    from framing.corpus import DROPPED_COLUMNS
    from framing.lexicon import load_lexicon

    lex = load_lexicon(args.lexicon)
    kwargs = _load_kwargs(args)
    voice = args.voice or None
    if "://" not in args.source and not Path(args.source).exists():
        raise CorpusError(f"{args.source}: no such file or folder; check the path")
    if args.scheduler:
        from framing import distributed as fdist

        with fdist.connect(args.scheduler) as client:
            counts = fdist.count_hits(args.source, lex, by=args.by, voice=voice, scheduler=client,
                                      chunksize=args.chunksize, progress=None, **kwargs)
            if args.hits:
                fdist.find_hits(args.source, lex, args.hits, scheduler=client, chunksize=args.chunksize,
                                overwrite=True, progress=None, **kwargs)
    else:
        from framing.match import count_hits, write_hits

        if args.hits:  # one pass: every hit written, and counted
            counts = write_hits(args.source, lex, args.hits, chunksize=args.chunksize, progress=None, by=args.by,
                                voice=voice, **kwargs)["counts"]
        else:
            counts = count_hits(args.source, lex, by=args.by, voice=voice, chunksize=args.chunksize,
                                progress=None, **kwargs)
    counts.to_csv(args.output, index=False, lineterminator="\n")
    attrs = counts.attrs
    print(f"{int(counts['n_hits'].sum()):,} hits in {attrs.get('n_articles', 0):,} articles -> {args.output}"
          + (f"; every hit -> {args.hits}" if args.hits else ""))
    skipped = pd.DataFrame(attrs.get("skipped", []), columns=DROPPED_COLUMNS)
    skipped_files = list(attrs.get("skipped_files", []))
    if len(skipped) or skipped_files:
        listing = Path(args.output).with_suffix(".skipped.csv")
        files = pd.DataFrame([{"doc_id": None, "source_file": f["file"], "line": None, "reason": f["reason"]}
                              for f in skipped_files], columns=DROPPED_COLUMNS)
        pd.concat([d for d in (skipped, files) if len(d)], ignore_index=True).to_csv(
            listing, index=False, lineterminator="\n")
        for s in skipped.head(10).itertuples():
            where = f", line {int(s.line)}" if pd.notna(s.line) else ""
            print(f"dropped {s.source_file}{where}: {s.reason}", file=sys.stderr)
        for f in skipped_files[:10]:
            print(f"skipped file {f['file']}: {f['reason']}", file=sys.stderr)
        print(f"{len(skipped)} records and {len(skipped_files)} files dropped while loading; "
              f"all are listed in {listing}", file=sys.stderr)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    import time

    from framing.report import render_report

    started = time.perf_counter()
    groups = [g.strip() for g in args.groups.split(",")] if args.groups else None
    out = render_report(args.path, args.out, lexicon=args.lexicon, by=args.by, voices=args.voice or ["authorial"],
                        exclude_shared=args.exclude_shared, groups=groups, title=args.title, seed=args.seed,
                        load_kwargs=_load_kwargs(args), progress=sys.stderr.isatty())
    print(f"report written to {out}/report.html ({time.perf_counter() - started:.0f} s); tables in {out}/tables, "
          f"provenance in {out}/provenance.json")
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

    p = sub.add_parser("kwic", help="keyword in context: every hit of a variant, contrast or pattern")
    p.add_argument("path", help="the corpus (as for `framing corpus`)")
    p.add_argument("term", help="a variant id, a contrast id, or a free pattern such as 'annex*'")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--window", type=int, default=50, help="characters of context each side")
    p.add_argument("--voice", action="append", choices=list(VOICES),
                   help="keep only this voice (repeatable)")
    p.add_argument("--max-rows", type=int, default=200, help="rows to print (all go to --output)")
    p.add_argument("-o", "--output", help="write the table to this CSV file instead")
    _corpus_options(p)
    p.set_defaults(func=_cmd_kwic)

    p = sub.add_parser("count", help="count hits per group, streaming (bounded memory) or on a Dask cluster")
    p.add_argument("source", help="a CSV/TSV(.gz)/JSONL/Parquet file, a folder of them, or a .txt folder")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--by", default="outlet", help="column to group by (default: outlet)")
    p.add_argument("--voice", action="append", choices=list(VOICES),
                   help="count only this voice (repeatable; default: every voice, counted separately)")
    p.add_argument("-o", "--output", required=True, help="CSV file for the counts")
    p.add_argument("--hits", help="also write every hit to this Parquet file (a folder of parts with --scheduler)")
    p.add_argument("--chunksize", type=int, default=10_000, help="articles per chunk (default 10,000)")
    p.add_argument("--scheduler", help="'auto' for a local Dask cluster, or a scheduler address tcp://host:8786")
    _corpus_options(p)
    p.set_defaults(func=_cmd_count)

    p = sub.add_parser("lexicon", help="list, show or check lexicons")
    p.add_argument("action", choices=["list", "show", "check"])
    p.add_argument("name", nargs="?", help="built-in lexicon name, or a YAML file for show/check")
    p.set_defaults(func=_cmd_lexicon)

    p = sub.add_parser("report", help="write the report on a corpus into a folder")
    p.add_argument("path", help="the corpus (as for `framing corpus`)")
    p.add_argument("--out", required=True, help="folder to write (replaced when the run succeeds)")
    p.add_argument("--by", default="outlet", help="column to compare (default: outlet)")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--title", default=None, help="title of the report")
    p.add_argument("--voice", action="append", choices=list(VOICES),
                   help="voice counted in shares and lean (repeatable; default: authorial, the outlet's own words)")
    p.add_argument("--exclude-shared", action="store_true",
                   help="leave out wording copied word for word between outlets (wire copy)")
    p.add_argument("--groups", default=None, help="comma-separated groups to keep, in this order")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
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
    except BrokenPipeError:  # output piped into `head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
