"""framing: how news outlets word the same story.

Stages, in order: corpus -> clean -> lexicon -> voice -> match -> stats -> plot -> report, with
distributed counting on Dask beside match. The statistics stage has several modules: intervals (the
one interval method), stats (shares, lean, trends), compare (differences between groups), similarity, design (coverage periods),
models (regression with clustered errors) and distinctive (terms). Everything public is importable from here:
``from framing import load_corpus, find_hits, variant_shares, plot_lean, ...``. Names are imported on
first use, so the command line starts fast and reports bad input before loading pandas or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from framing._errors import ArgumentError, CorpusError, FramingError, LexiconError, OutputError
from framing._version import __version__ as __version__  # re-exported: framing.__version__

_EXPORTS = {
    "framing.clean": ["clean_text"],
    "framing.compare": ["compare_groups"],
    "framing.corpus": ["cleaning_flagged", "cleaning_log", "cleaning_summary", "corpus_summary", "dropped_documents",
                       "extraction_log", "input_files", "input_summary", "iter_corpus", "load_corpus",
                       "stock_phrases"],
    "framing.design": ["common_period", "coverage", "coverage_pairs", "coverage_warning"],
    "framing.distinctive": ["distinctive_terms", "flag_terms", "keyness", "log_odds", "term_counts",
                            "words_and_abbreviations"],
    "framing.intervals": ["cluster_interval", "methods_text"],
    "framing.audit": ["lexicon_audit"],
    "framing.lexicon": ["ContextRule", "Contrast", "Lexicon", "Source", "Variant", "list_lexicons", "load_lexicon"],
    "framing.match": ["find_hits", "kwic"],
    "framing.models": ["model_shares"],
    "framing.plot": ["plot_distinctive_terms", "plot_heatmap", "plot_lean", "plot_outlet_map",
                     "plot_shares", "plot_shares_grid", "plot_trend", "plot_trend_grid", "plot_voice", "side_colors"],
    "framing.report": ["render_report", "save_table", "show_text_table"],
    "framing.scale": ["count_hits", "write_hits"],
    "framing.similarity": ["outlet_map", "outlet_similarity"],
    "framing.stats": ["lean", "lean_by_contrast", "outlet_order", "trend", "variant_shares", "voice_shares"],
    "framing.syndication": ["copied_spans", "shared_passages"],
    "framing.validation": ["corrected_lean", "corrected_shares", "read_coding", "validation_report",
                           "validation_sample"],
    "framing.vectorize": ["FramingVectorizer"],
    "framing.voice": ["assign_voices", "voice_of", "voice_spans"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(["ArgumentError", "CorpusError", "FramingError", "LexiconError", "OutputError", *_WHERE],
                 key=lambda n: (n.lower(), n))


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for IDEs and type checkers: the same names, imported eagerly
    from framing.audit import lexicon_audit
    from framing.clean import clean_text
    from framing.compare import compare_groups
    from framing.corpus import (
        cleaning_flagged,
        cleaning_log,
        cleaning_summary,
        corpus_summary,
        dropped_documents,
        extraction_log,
        input_files,
        input_summary,
        iter_corpus,
        load_corpus,
        stock_phrases,
    )
    from framing.design import common_period, coverage, coverage_pairs, coverage_warning
    from framing.distinctive import (
        distinctive_terms,
        flag_terms,
        keyness,
        log_odds,
        term_counts,
        words_and_abbreviations,
    )
    from framing.intervals import cluster_interval, methods_text
    from framing.lexicon import (
        ContextRule,
        Contrast,
        Lexicon,
        Source,
        Variant,
        list_lexicons,
        load_lexicon,
    )
    from framing.match import find_hits, kwic
    from framing.models import model_shares
    from framing.plot import (
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
    )
    from framing.report import render_report, save_table, show_text_table
    from framing.scale import count_hits, write_hits
    from framing.similarity import outlet_map, outlet_similarity
    from framing.stats import (
        lean,
        lean_by_contrast,
        outlet_order,
        trend,
        variant_shares,
        voice_shares,
    )
    from framing.syndication import copied_spans, shared_passages
    from framing.validation import (
        corrected_lean,
        corrected_shares,
        read_coding,
        validation_report,
        validation_sample,
    )
    from framing.vectorize import FramingVectorizer
    from framing.voice import assign_voices, voice_of, voice_spans
