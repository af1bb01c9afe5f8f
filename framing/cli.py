"""Command line: ``framing corpus | report | ...``; bad input prints one line and exits with status 2."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from framing._atomic import check_file_target, output_lock, write_csv
from framing._checks import positive_int
from framing._errors import FramingError, OutputError
from framing.voice import VOICES

__all__ = ["main"]


def _corpus_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("reading the corpus")
    g.add_argument("--text-col", default="text", help="column holding the article text")
    g.add_argument("--outlet-col", default="outlet", help="column holding the outlet")
    g.add_argument("--title-col", default="title")
    g.add_argument("--date-col", default=None, help="publication date column (default: published/date)")
    g.add_argument("--id-col", default=None, help="column of unique article ids")
    g.add_argument("--url-col", default="url", help="column holding the article URL")
    g.add_argument("--file-col", default="file", help="column of metadata.csv naming each article's file")
    g.add_argument("--html-col", default=None, help="column of raw HTML pages to extract the articles from")
    g.add_argument("--metadata", default=None,
                   help="a table (e.g. a Media Cloud export) describing saved web pages, joined by url or file")
    g.add_argument("--sep", default=None, help="CSV separator (default: sniffed: comma, semicolon, tab or |)")
    g.add_argument("--encoding", default=None, help="force this encoding (default: UTF-8, else detected)")
    g.add_argument("--dayfirst", action=argparse.BooleanOptionalAction, default=None,
                   help="read numeric dates such as 01/03/2022 day-first (--no-dayfirst: month-first); "
                        "default: decided from the column")
    g.add_argument("--jobs", type=positive_int("--jobs", -1), default=1, help="processes for extracting web pages (-1: one per core)")
    g.add_argument("--no-clean", action="store_true", help="keep the raw text (no boilerplate removal)")
    g.add_argument("--skip-rule", action="append", default=None, metavar="RULE",
                   help="a cleaning rule not to apply (repeatable), e.g. repeated_on_outlet, before_article, "
                        "after_article, photo_caption: its lines are kept")
    g.add_argument("--drop-empty", action="store_true",
                   help="drop (and log) articles with neither text after cleaning nor title")
    g.add_argument("--skip-bad", action="store_true",
                   help="skip (and list) malformed records, duplicate ids after the first, unreadable files")


def _load_kwargs(args: argparse.Namespace) -> dict:
    sep = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(args.sep, args.sep)
    return dict(text_col=args.text_col, outlet_col=args.outlet_col, title_col=args.title_col,
                date_col=args.date_col, id_col=args.id_col, url_col=args.url_col, file_col=args.file_col,
                html_col=args.html_col, metadata=args.metadata, sep=sep, encoding=args.encoding,
                dayfirst=args.dayfirst, n_jobs=args.jobs, clean=not args.no_clean, drop_empty=args.drop_empty,
                skip_bad=args.skip_bad, skip_rules=getattr(args, "skip_rule", None))


def _inputs(args: argparse.Namespace, source) -> list:
    """The paths a command reads (the corpus, a metadata table): outputs may not be written over them."""
    return [source, getattr(args, "metadata", None)]


def _check_by(source, by: str, load_kwargs: dict, doc_id: bool = True) -> None:
    """``--by`` names a column of the corpus (any input kind), read as far as its first articles."""
    from framing.corpus import check_corpus_columns

    check_corpus_columns(source, by, load_kwargs=load_kwargs, doc_id=doc_id)


def _same_path(a, b) -> bool:
    return os.path.abspath(os.path.expanduser(str(a))) == os.path.abspath(os.path.expanduser(str(b)))


def _cmd_corpus(args: argparse.Namespace) -> int:
    import pandas as pd

    from framing.corpus import (
        cleaning_flagged,
        cleaning_log,
        corpus_summary,
        dropped_documents,
        extraction_log,
        input_files,
        input_summary,
        load_corpus,
    )

    _check_by(args.path, args.by, _load_kwargs(args))
    corpus = load_corpus(args.path, **_load_kwargs(args))
    summary = corpus_summary(corpus, by=args.by)
    for col in ("first", "last"):
        summary[col] = summary[col].dt.strftime("%Y-%m-%d").fillna("-")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80, "display.max_rows", 500):
        print(summary.to_string(index=False))
        log = cleaning_log(corpus)
        dropped = dropped_documents(corpus)
        print("\nInputs, per kind (files read; articles; of which extracted from pages/archives/exports; "
              "records dropped):")
        print(input_summary(corpus).to_string(index=False))
        files = input_files(corpus)
        left_out = files[files["role"].isin(["ignored", "skipped"])]
        for row in left_out.head(20).itertuples():
            print(f"  {row.role}: {row.file}: {row.encoding}")
        if len(left_out) > 20:
            print(f"  ... and {len(left_out) - 20} more files not read (framing.input_files lists them)")
        notes = extraction_log(corpus)
        notes = notes[notes["note"].notna() & ~notes["note"].astype(str).str.startswith("metadata row")]
        for note, group in notes.groupby("note", sort=True):
            print(f"  {len(group)} articles: {note} (e.g. {group['doc_id'].iloc[0]})")
        flagged = cleaning_flagged(corpus)
        print(f"\n{len(corpus)} articles, {int(corpus['n_words'].sum()):,} words; "
              f"{len(log)} boilerplate lines removed; {len(dropped)} records dropped")
        if len(flagged):
            kinds = ", ".join(f"{n} {flag}" for flag, n in flagged["flag"].value_counts().items())
            print(f"{len(flagged)} articles flagged by cleaning as unsure ({kinds}): "
                  + ("listed below" if args.flagged else "list them with --flagged, or framing.cleaning_flagged(corpus)"))
        if args.flagged:
            print()
            cols = ["doc_id", "outlet", "flag", "words_before", "words_after", "note"]
            print(flagged[cols].to_string(index=False) if len(flagged) else "(no article flagged by cleaning)")
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

    if args.output:
        check_file_target(args.output, option="--output", inputs=_inputs(args, args.path), hint=".csv")
    lex = load_lexicon(args.lexicon)
    corpus = load_corpus(args.path, **_load_kwargs(args))
    if args.term in lex.contrasts:
        table = kwic(corpus, lex, contrast=args.term, window=args.window, voice=args.voice)
    elif args.term in {v.id for v in lex.variants}:
        table = kwic(corpus, lex, variant=args.term, window=args.window, voice=args.voice)
    else:
        table = kwic(corpus, pattern=args.term, window=args.window, voice=args.voice)
    if args.output:
        write_csv(table, args.output)
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


def _pct(x) -> str:
    import math

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * x:.1f}%" if x < 0.1 else f"{100 * x:.0f}%"


def wrapped_lines(label: str, text: str | None, indent: int) -> list[str]:
    import textwrap

    if not text:
        return []
    pad = " " * indent
    return textwrap.wrap(" ".join(str(text).split()), width=110, initial_indent=f"{pad}{label}: ",
                         subsequent_indent=pad + "  ", break_on_hyphens=False, break_long_words=False)


def _show_lexicon(lex) -> None:
    """Per contrast: kind, lean status, notes, contested codings; per variant: side, evidence, usage."""
    print(repr(lex))
    if lex.description:
        print(lex.description)
    if lex.changelog:
        version, change = lex.changelog[0]
        print("\n".join(wrapped_lines(f"changes in {version}", change, 0)))
    table = lex.evidence_table()
    groups = list(dict.fromkeys((lex.usage_spec or {}).get("groups", {}).values()))
    has_usage = bool(groups) and f"own_voice_{groups[0]}" in table.columns
    if has_usage:
        usage = lex.usage()
        stale = int((~usage["current"]).sum())
        sizes = usage.drop_duplicates("group").set_index("group")["n_group_docs"]
        counted = ", ".join(f"{g} {int(sizes[g]):,} articles" for g in groups if g in sizes.index)
        print("\n".join(wrapped_lines("usage", lex.usage_spec.get("description") or lex.usage_spec["file"], 0)))
        print(f"  counted: {counted}")
        print(f"  own voice = share of the group's articles with the variant in the outlet's own (authorial) "
              f"voice; others' = share of its hits quoted or distanced; check = the side's group against the "
              f"other's{f'; {stale} rows are stale: rerun tools/lexicon_usage.py' if stale else ''}")
    by_contrast = {c: t for c, t in table.groupby("contrast", sort=False)}
    for c in lex.contrasts.values():
        status = "in lean" if c.in_lean else ("exploratory, not in lean" if c.exploratory else "not in lean")
        head = ", ".join(x for x in (c.group, c.kind, status) if x)
        print(f"\n== {c.id}: {c.label}  [{head}]")
        print(f"   sources: {', '.join(c.sources) or '-'}")
        for label, text in (("notes", c.notes), ("evidence", c.evidence), ("contested", c.contested)):
            for line in wrapped_lines(label, text, 3):
                print(line)
        rows = by_contrast[c.id]
        for r in rows.itertuples():
            v = c.variants[r.variant]
            side = v.side or "no side"
            lean = "" if r.in_lean or v.side is None else ", not in lean"
            line = f"   - {v.id} [{side}{lean}]"
            if has_usage:
                shares = "  ".join(f"{g} {_pct(getattr(r, f'own_voice_{g}'))}" for g in groups)
                check = f"; check: {r.usage_check}" if isinstance(r.usage_check, str) else ""
                line += f"  own voice: {shares}; others': {_pct(r.share_non_authorial)}{check}"
            print(line)
            exc = f" (not: {', '.join(v.exceptions)})" if v.exceptions else ""
            for text_line in wrapped_lines("patterns", ", ".join(v.patterns) + exc, 7):
                print(text_line)
            for label, text in (("evidence", v.evidence), ("notes", v.notes)):
                for text_line in wrapped_lines(label, text, 7):
                    print(text_line)
    print("\nSources:")
    for src in lex.sources.values():
        for line in wrapped_lines(src.id, src.citation, 2):
            print(line)


def _cmd_lexicon(args: argparse.Namespace) -> int:
    import pandas as pd

    from framing.lexicon import list_lexicons, load_lexicon

    with pd.option_context("display.width", 250, "display.max_colwidth", 80, "display.max_rows", 1000):
        if args.action == "list":
            print(list_lexicons().to_string(index=False))
            return 0
        if not args.name:
            raise FramingError(f"`framing lexicon {args.action}` needs a lexicon name or YAML path")
        if args.action != "audit" and args.corpus:
            raise FramingError(f"`framing lexicon {args.action}` takes no corpus (only `audit` does)")
        lex = load_lexicon(args.name)
        if args.action == "check":
            n_pat = int((lex.to_frame()["kind"] == "pattern").sum())
            print(f"{lex.path}: OK, {len(lex.contrasts)} contrasts, {len(lex.variants)} variants, "
                  f"{n_pat} patterns, sides {list(lex.sides)}")
            if lex.usage_spec:
                usage = lex.usage()
                stale = usage.loc[~usage["current"], ["contrast", "variant"]].drop_duplicates()
                known = {(v.contrast, v.id) for v in lex.variants}
                missing = sorted(known - set(zip(usage["contrast"], usage["variant"], strict=True)))
                if len(stale) or missing:
                    names = [f"{c}/{v}" for c, v in stale.itertuples(index=False)] + [f"{c}/{v}" for c, v in missing]
                    raise FramingError(f"{lex.path}: the usage numbers of {len(names)} variants were computed with "
                                       f"other patterns or are missing ({', '.join(names[:5])}"
                                       f"{', ...' if len(names) > 5 else ''}); rerun tools/lexicon_usage.py")
                print(f"usage: {lex.usage_spec['file']} is current for all {len(known)} variants")
            return 0
        if args.action == "audit":
            return _audit_lexicon(lex, args)
        _show_lexicon(lex)
    return 0


def _audit_lexicon(lex, args: argparse.Namespace) -> int:
    from framing.audit import lexicon_audit
    from framing.corpus import load_corpus

    if not args.corpus:
        raise FramingError("`framing lexicon audit NAME CORPUS` needs a corpus (as for `framing corpus`)")
    if args.output:
        check_file_target(args.output, option="--output", inputs=_inputs(args, args.corpus), hint=".csv")
    _check_by(args.corpus, args.by, _load_kwargs(args))
    corpus = load_corpus(args.corpus, **_load_kwargs(args))
    audit = lexicon_audit(corpus, lex, by=args.by)
    if args.output:
        write_csv(audit, args.output)
        print(f"{len(audit)} rows (groups x variants) written to {args.output}")
        return 0
    voices = [c for c in audit.columns if c.startswith("n_") and c not in
              ("n_group_docs", "n_docs", "n_docs_authorial", "n_hits")]
    order = {(v.contrast, v.id): i for i, v in enumerate(lex.variants)}
    shown = audit[audit["n_hits"] > 0].copy()
    shown["_order"] = [order[k] for k in zip(shown["contrast"], shown["variant"], strict=True)]
    shown = shown.sort_values(["_order", "group"], kind="stable")
    shown["others'"] = shown["share_non_authorial"].map(_pct)
    shown["side"] = shown["side"].fillna("-")
    cols = ["contrast", "variant", "side", "group", "n_docs", "n_hits", *voices, "others'"]
    print(f"{len(corpus)} articles by {args.by}; per variant and group: articles with a hit (n_docs), hits, hits "
          f"per voice, and the share of hits in a voice other than the outlet's own (others')")
    print(shown[cols].to_string(index=False) if len(shown) else "(no hits)")
    totals = audit.groupby(["contrast", "variant"], sort=False)[["n_hits", "n_authorial"]].sum()
    totals = totals[totals["n_hits"] > 0]
    mostly = totals[(totals["n_hits"] - totals["n_authorial"]) / totals["n_hits"] >= 0.5]
    if len(mostly):
        print("\nmostly someone else's words (at least half of the hits not in the outlet's own voice): " +
              ", ".join(f"{v} ({int(r.n_hits - r.n_authorial)}/{int(r.n_hits)})"
                        for (_c, v), r in mostly.iterrows()))
    zero = audit.groupby(["contrast", "variant"], sort=False)["n_hits"].sum()
    print(f"\n{int(audit['n_hits'].sum()):,} hits; {int((zero == 0).sum())} of {len(zero)} variants have none; "
          f"use -o FILE.csv for every group and variant")
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    from framing._errors import CorpusError
    from framing.lexicon import load_lexicon

    if "://" not in args.source and not Path(args.source).exists():
        raise CorpusError(f"{args.source}: no such file or folder; check the path")
    inputs = _inputs(args, args.source)
    check_file_target(args.output, option="--output", inputs=inputs, hint=".csv")
    listing = Path(args.output).with_suffix(".skipped.csv")
    if args.hits:
        if _same_path(args.hits, args.output) or _same_path(args.hits, listing):
            raise OutputError(f"--hits {args.hits}: is also the counts file (--output); give the hits another name")
        if not args.scheduler:
            check_file_target(args.hits, option="--hits", inputs=inputs, hint=".parquet")
        elif Path(args.hits).exists() and not Path(args.hits).is_dir():
            raise OutputError(f"--hits {args.hits}: is a file; with --scheduler the hits are a folder of Parquet "
                              f"parts: give a folder name")
    lex = load_lexicon(args.lexicon)
    kwargs = _load_kwargs(args)
    voice = args.voice or None
    with ExitStack() as locks:  # a second run writing the same files stops here, before any work
        locks.enter_context(output_lock(args.output, option="--output"))
        if args.hits and not args.scheduler:
            locks.enter_context(output_lock(args.hits, option="--hits"))
        if "://" not in args.source:  # the column to count by, before the matcher or a cluster starts
            _check_by(args.source, args.by, kwargs, doc_id=False)  # counts group by a column, not the id
        return _count(args, lex, kwargs, voice, listing)


def _count(args: argparse.Namespace, lex, kwargs: dict, voice, listing) -> int:
    import pandas as pd

    from framing.corpus import DROPPED_COLUMNS
    from framing.progress import StageLog

    stages = StageLog("count")  # one line per stage when stderr is not a terminal (there the bar shows)
    stages.stage("loading and matching", f"{args.source}, read and matched chunk by chunk"
                 + (f" on the Dask cluster {args.scheduler}" if args.scheduler else ""))
    from framing.scale import count_hits, write_hits

    scheduler = args.scheduler or None  # None: this process; "auto" or an address: Dask
    if args.hits:  # one pass over the corpus: every hit written, and counted
        counts = write_hits(args.source, lex, args.hits, chunksize=args.chunksize, progress=None, by=args.by,
                            voice=voice, scheduler=scheduler, **kwargs)["counts"]
    else:
        counts = count_hits(args.source, lex, by=args.by, voice=voice, chunksize=args.chunksize, progress=None,
                            scheduler=scheduler, **kwargs)
    stages.stage("writing", str(args.output))
    write_csv(counts, args.output)
    attrs = counts.attrs
    stages.done(f"{int(counts['n_hits'].sum()):,} hits in {attrs.get('n_articles', 0):,} articles")
    print(f"{int(counts['n_hits'].sum()):,} hits in {attrs.get('n_articles', 0):,} articles -> {args.output}"
          + (f"; every hit -> {args.hits}" if args.hits else ""))
    skipped = pd.DataFrame(attrs.get("skipped", []), columns=DROPPED_COLUMNS)
    skipped_files = list(attrs.get("skipped_files", []))
    if len(skipped) or skipped_files:
        files = pd.DataFrame([{"doc_id": None, "source_file": f["file"], "line": None, "reason": f["reason"]}
                              for f in skipped_files], columns=DROPPED_COLUMNS)
        write_csv(pd.concat([d for d in (skipped, files) if len(d)], ignore_index=True), listing)
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
                        load_kwargs=_load_kwargs(args), progress=True if sys.stderr.isatty() else "lines")
    print(f"report written to {out}/report.html ({time.perf_counter() - started:.0f} s); tables in {out}/tables, "
          f"provenance in {out}/provenance.json")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    if args.action == "sample":
        from framing.corpus import load_corpus
        from framing.match import find_hits
        from framing.validation import validation_sample, write_coding_sheet

        if len(args.paths) != 1:
            raise FramingError("framing validate sample takes one corpus: framing validate sample CORPUS --out coding.csv")
        if not args.out:
            raise FramingError("framing validate sample needs --out FILE.csv (the coding sheet)")
        check_file_target(args.out, option="--out", inputs=_inputs(args, args.paths[0]), hint=".csv")
        corpus = load_corpus(args.paths[0], **_load_kwargs(args))
        hits = find_hits(corpus, args.lexicon)
        by = [b.strip() for b in args.by.split(",") if b.strip()]
        sample = validation_sample(hits, n=args.n, by=by, seed=args.seed)
        write_coding_sheet(sample, args.out)
        print(f"{len(sample)} hits in {sample.groupby(by).ngroups} strata (of {len(hits):,} hits) -> {args.out}; "
              f"fill on_referent (yes/no), voice ({', '.join(VOICES)}) and coder, then run "
              f"`framing validate report {args.out}`")
        return 0
    from framing.validation import validation_report

    if not args.paths:
        raise FramingError("framing validate report takes one or more coded files: framing validate report a.csv b.csv")
    if args.out:
        check_file_target(args.out, option="--out", inputs=list(args.paths), hint=".csv")
    report = validation_report(list(args.paths))
    if args.out:
        write_csv(report, args.out)
    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.float_format", "{:.3f}".format):
        print(report.to_string(index=False))
    return 0


class _UsageError(Exception):
    """A command line argparse refuses; :func:`main` prints it as one line and returns 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line reported in one line (no usage block)."""

    def error(self, message: str):
        raise _UsageError(f"{self.prog}: error: {message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    from framing._version import __version__

    parser = _Parser(prog="framing", description="How news outlets word the same story.")
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("corpus", help="summarise a corpus: articles, words and dates per outlet")
    p.add_argument("path", help="a file or folder: tables (CSV/TSV/JSONL/Parquet), web pages (.html), web "
                                "archives (.warc), Nexis exports (.docx/.txt), .txt articles with metadata.csv")
    p.add_argument("--by", default="outlet", help="column to group by (default: outlet)")
    p.add_argument("--log", action="store_true", help="also list every removed boilerplate line")
    p.add_argument("--flagged", action="store_true",
                   help="also list the articles cleaning was unsure about (kept raw, short, chrome only, lost prose)")
    _corpus_options(p)
    p.set_defaults(func=_cmd_corpus)

    p = sub.add_parser("kwic", help="keyword in context: every hit of a variant, contrast or pattern")
    p.add_argument("path", help="the corpus (as for `framing corpus`)")
    p.add_argument("term", help="a variant id, a contrast id, or a free pattern such as 'annex*'")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--window", type=positive_int("--window", 0), default=50, help="characters of context each side")
    p.add_argument("--voice", action="append", choices=list(VOICES),
                   help="keep only this voice (repeatable)")
    p.add_argument("--max-rows", type=positive_int("--max-rows", 0), default=200, help="rows to print (all go to --output)")
    p.add_argument("-o", "--output", help="write the table to this CSV file instead")
    _corpus_options(p)
    p.set_defaults(func=_cmd_kwic)

    p = sub.add_parser("count", help="count hits per group, streaming (bounded memory) or on a Dask cluster")
    p.add_argument("source", help="anything `framing corpus` reads (a file or a folder)")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--by", default="outlet", help="column to group by (default: outlet)")
    p.add_argument("--voice", action="append", choices=list(VOICES),
                   help="count only this voice (repeatable; default: every voice, counted separately)")
    p.add_argument("-o", "--output", required=True, help="CSV file for the counts")
    p.add_argument("--hits", help="also write every hit to this Parquet file (a folder of parts with --scheduler)")
    p.add_argument("--chunksize", type=positive_int("--chunksize", 1), default=10_000, help="articles per chunk (default 10,000)")
    p.add_argument("--scheduler", help="'auto' for a local Dask cluster, or a scheduler address tcp://host:8786")
    _corpus_options(p)
    p.set_defaults(func=_cmd_count)

    p = sub.add_parser("lexicon", help="list, show, check or audit lexicons",
                       description="list: the built-in lexicons; show NAME: every contrast with its evidence, "
                                   "contested codings and observed usage; check NAME: validate the file (and its "
                                   "usage numbers); audit NAME CORPUS: hits per variant and group, and how many "
                                   "are in someone else's words")
    p.add_argument("action", choices=["list", "show", "check", "audit"])
    p.add_argument("name", nargs="?", help="built-in lexicon name, or a YAML file")
    p.add_argument("corpus", nargs="?", help="for audit: the corpus (as for `framing corpus`)")
    p.add_argument("--by", default="outlet", help="for audit: column to group by (default: outlet)")
    p.add_argument("-o", "--output", help="for audit: write the full table (every group and variant) to this CSV")
    _corpus_options(p)
    p.set_defaults(func=_cmd_lexicon)

    p = sub.add_parser("validate", help="hand-code a sample of hits: `sample` writes the coding sheet, `report` "
                                        "reads coded sheets (precision, voice agreement, Krippendorff's alpha)")
    p.add_argument("action", choices=["sample", "report"])
    p.add_argument("paths", nargs="*", help="sample: the corpus; report: one or more coded CSV files")
    p.add_argument("-o", "--out", "--output", dest="out",
                   help="sample: the coding sheet to write (CSV); report: also write the table here")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--n", type=positive_int("--n", 1), default=200, help="hits in the sample (default 200)")
    p.add_argument("--by", default="contrast,variant", help="strata, comma-separated hit columns")
    p.add_argument("--seed", type=positive_int("--seed", 0), default=0, help="sampling seed (default 0)")
    _corpus_options(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("report", help="write the report on a corpus into a folder")
    p.add_argument("path", help="the corpus (as for `framing corpus`)")
    p.add_argument("-o", "--out", "--output", dest="out", required=True,
                   help="folder to write (replaced when the run succeeds)")
    p.add_argument("--by", default="outlet", help="column to compare (default: outlet)")
    p.add_argument("--lexicon", default="russia-ukraine", help="built-in lexicon name or YAML path")
    p.add_argument("--title", default=None, help="title of the report")
    p.add_argument("--voice", action="append", choices=list(VOICES),
                   help="voice counted in shares and lean (repeatable; default: authorial, the outlet's own words)")
    p.add_argument("--exclude-shared", action="store_true",
                   help="leave out wording copied word for word between outlets (wire copy)")
    p.add_argument("--groups", default=None, help="comma-separated groups to keep, in this order")
    p.add_argument("--seed", type=positive_int("--seed", 0), default=0, help="bootstrap seed (default 0)")
    _corpus_options(p)
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``framing`` command line; return the exit status (2 on bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    previous = _sigterm_as_interrupt()
    try:
        return args.func(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt


def _sigterm_as_interrupt():
    """SIGTERM (``kill``, a scheduler's time limit) ends a run like Ctrl-C: temporaries removed, exit 130."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        return signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # pragma: no cover
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
