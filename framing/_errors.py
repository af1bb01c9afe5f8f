"""Error types shared by every stage: one clear message, never a bare traceback."""

from __future__ import annotations


class FramingError(Exception):
    """Base class of every error framing raises on bad input.

    The message names the file, line, row, column or lexicon entry at fault and what to do. The
    command line prints it as one line and exits with status 2.
    """


class CorpusError(FramingError, ValueError):
    """A corpus could not be read: the message names the file, the line/row/column and the fix."""


class LexiconError(FramingError, ValueError):
    """A lexicon is invalid: the message names the file, the line, the contrast and the variant."""


class ArgumentError(FramingError, ValueError):
    """An argument has a value the function cannot take: the message names it, its value and the choices.

    A ``ValueError`` too, as scikit-learn's estimator contract and Python convention expect of a
    bad parameter value.
    """


class OutputError(FramingError):
    """An output cannot be written where asked: the message names the path and what to do.

    Raised before any work for a path that would destroy something (a folder that is not a previous
    report, an input, the current folder), that is a folder where a file is wanted (or the
    reverse), whose parent cannot be written, or that another framing process is writing.
    """
