"""framing: how news outlets word the same story.

Stages, in order (one module each): corpus -> clean -> lexicon -> voice -> match -> stats -> plot ->
report. Everything public is importable from here: ``from framing import load_corpus, ...``.
"""

from framing._errors import CorpusError, FramingError, LexiconError
from framing.clean import clean_text, cleaning_log, cleaning_summary
from framing.corpus import corpus_summary, dropped_documents, input_files, iter_corpus, load_corpus
from framing.distinctive import distinctive_terms, keyness, log_odds, term_counts
from framing.lexicon import Contrast, Lexicon, Variant, list_lexicons, load_lexicon
from framing.match import count_hits, find_hits, kwic
from framing.report import render_report, save_table, show_text_table
from framing.stats import lean, outlet_map, outlet_similarity, trend, variant_shares
from framing.vectorize import FramingVectorizer
from framing.voice import assign_voices, voice_of, voice_spans

__version__ = "0.1.0"

__all__ = [
    "assign_voices",
    "clean_text",
    "cleaning_log",
    "cleaning_summary",
    "Contrast",
    "corpus_summary",
    "CorpusError",
    "count_hits",
    "distinctive_terms",
    "dropped_documents",
    "find_hits",
    "FramingError",
    "FramingVectorizer",
    "input_files",
    "iter_corpus",
    "keyness",
    "kwic",
    "lean",
    "Lexicon",
    "LexiconError",
    "list_lexicons",
    "load_corpus",
    "load_lexicon",
    "log_odds",
    "outlet_map",
    "outlet_similarity",
    "render_report",
    "save_table",
    "show_text_table",
    "term_counts",
    "trend",
    "Variant",
    "variant_shares",
    "voice_of",
    "voice_spans",
]
