"""framing: how news outlets word the same story.

Stages, in order (one module each): corpus -> clean -> lexicon -> voice -> match -> stats -> plot ->
report. Everything public is importable from here: ``from framing import load_corpus, ...``.
"""

from framing._errors import CorpusError, FramingError, LexiconError
from framing.clean import clean_text, cleaning_log
from framing.corpus import corpus_summary, dropped_documents, input_files, iter_corpus, load_corpus
from framing.lexicon import Contrast, Lexicon, Variant, list_lexicons, load_lexicon
from framing.match import count_hits, find_hits, kwic
from framing.report import render_report
from framing.stats import lean, outlet_map, outlet_similarity, variant_shares
from framing.vectorize import FramingVectorizer
from framing.voice import assign_voices, voice_of, voice_spans

__version__ = "0.1.0"

__all__ = [
    "lean",
    "outlet_map",
    "outlet_similarity",
    "variant_shares",
    "FramingVectorizer",
    "Contrast",
    "Lexicon",
    "Variant",
    "assign_voices",
    "count_hits",
    "find_hits",
    "kwic",
    "list_lexicons",
    "load_lexicon",
    "voice_of",
    "voice_spans",
    "CorpusError",
    "FramingError",
    "LexiconError",
    "clean_text",
    "cleaning_log",
    "corpus_summary",
    "dropped_documents",
    "input_files",
    "iter_corpus",
    "load_corpus",
    "render_report",
]
