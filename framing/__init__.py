"""framing: how news outlets word the same story.

Stages, in order (one module each): corpus -> clean -> lexicon -> voice -> match -> stats -> plot ->
report, with distributed counting on Dask beside match. Everything public is importable from here:
``from framing import load_corpus, find_hits, variant_shares, plot_lean, ...``. Names are imported on
first use, so the command line starts fast and reports bad input before loading pandas or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from framing._errors import CorpusError, FramingError, LexiconError

__version__ = "0.1.0"

_EXPORTS = {
    "framing.clean": ["clean_text", "cleaning_log", "cleaning_summary"],
    "framing.corpus": ["corpus_summary", "dropped_documents", "input_files", "iter_corpus", "load_corpus"],
    "framing.distinctive": ["distinctive_terms", "keyness", "log_odds", "term_counts"],
    "framing.lexicon": ["ContextRule", "Contrast", "Lexicon", "Source", "Variant", "lexicon_audit", "list_lexicons",
                        "load_lexicon"],
    "framing.match": ["count_hits", "find_hits", "kwic", "write_hits"],
    "framing.plot": ["outlet_order", "plot_distinctive_terms", "plot_heatmap", "plot_lean", "plot_outlet_map",
                     "plot_shares", "plot_shares_grid", "plot_trend", "plot_voice"],
    "framing.report": ["render_report", "save_table", "show_text_table"],
    "framing.stats": ["lean", "outlet_map", "outlet_similarity", "trend", "variant_shares"],
    "framing.syndication": ["copied_spans", "shared_passages"],
    "framing.validation": ["corrected_lean", "corrected_shares", "read_coding", "validation_report",
                           "validation_sample"],
    "framing.vectorize": ["FramingVectorizer"],
    "framing.voice": ["assign_voices", "voice_of", "voice_spans"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(["CorpusError", "FramingError", "LexiconError", *_WHERE], key=lambda n: (n.lower(), n))


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
    from framing.clean import clean_text, cleaning_log, cleaning_summary
    from framing.corpus import (
        corpus_summary,
        dropped_documents,
        input_files,
        iter_corpus,
        load_corpus,
    )
    from framing.distinctive import distinctive_terms, keyness, log_odds, term_counts
    from framing.lexicon import (
        ContextRule,
        Contrast,
        Lexicon,
        Source,
        Variant,
        lexicon_audit,
        list_lexicons,
        load_lexicon,
    )
    from framing.match import count_hits, find_hits, kwic, write_hits
    from framing.plot import (
        outlet_order,
        plot_distinctive_terms,
        plot_heatmap,
        plot_lean,
        plot_outlet_map,
        plot_shares,
        plot_shares_grid,
        plot_trend,
        plot_voice,
    )
    from framing.report import render_report, save_table, show_text_table
    from framing.stats import lean, outlet_map, outlet_similarity, trend, variant_shares
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
