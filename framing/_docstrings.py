"""Parameter docs that many functions share, written once (in the manner of seaborn's ``_docstrings``).

A docstring names a shared entry on a line of its own, in braces, at the indentation where the entry
belongs; :func:`share_docs` replaces that line with the entry, indented alike. Text around it is left
alone (braces elsewhere in a docstring, such as ``{"a": 1}`` in an example, are not touched).

Examples
--------
>>> from framing._docstrings import share_docs
>>> @share_docs
... def f(ax=None):
...     '''Draw.
...
...     Parameters
...     ----------
...     {ax}
...     '''
>>> print(f.__doc__.splitlines()[4].strip())
ax : Axes, optional
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import TypeVar

__all__ = ["DOCS", "share_docs"]

F = TypeVar("F", bound=Callable)

DOCS: dict[str, str] = {
    "ax": """
        ax : Axes, optional
            Pre-existing axes for the plot. Otherwise, call ``pyplot.gca`` internally.
        """,
    "returns_ax": """
        Returns
        -------
        Axes
            The matplotlib axes containing the plot.
        """,
    "voice_counts": """
        voice : str or list of str, optional
            Keep only these voices (default: every voice of :data:`framing.voice.VOICES`, each counted
            separately).
        """,
    "counts_table": """
        Columns ``group, contrast, variant, side, voice, n_hits, n_docs`` (``n_docs``: articles
        with at least one such hit). Articles with an empty ``by`` value are counted in the group
        ``"(missing)"``. Only combinations with hits appear; ordered by group, then lexicon order,
        then voice. ``attrs["n_docs"]`` holds the number of articles per group.
        """,
    "lexicon": """
        lexicon : str, Path or Lexicon, default="russia-ukraine"
            A built-in lexicon name (:func:`framing.list_lexicons`), a YAML path or a Lexicon.
        """,
}

_PLACEHOLDER = re.compile(r"^([ \t]*)\{(\w+)\}[ \t]*$", re.M)


def _entry(name: str, indent: str) -> str:
    return textwrap.indent(textwrap.dedent(DOCS[name]).strip("\n"), indent)


def share_docs(func: F) -> F:
    """Replace each ``{name}`` line of ``func.__doc__`` with the shared entry ``DOCS[name]``.

    An unknown name is an error when the module is imported, so a typo never reaches a user.
    """
    doc = func.__doc__ or ""

    def sub(m: re.Match) -> str:
        if m.group(2) not in DOCS:
            raise KeyError(f"{func.__qualname__}: no shared docstring entry {m.group(2)!r}; known: {sorted(DOCS)}")
        return _entry(m.group(2), m.group(1))

    func.__doc__ = _PLACEHOLDER.sub(sub, doc)
    return func
