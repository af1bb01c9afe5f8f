"""Parameter docs shared by several functions, written once (in the manner of seaborn's ``_docstrings``).

A docstring holds a line ``{doc.NAME}`` where the parameter's entry goes; :func:`shared_docs`
puts :data:`PARAMS` ``[NAME]`` there at import time, indented as the placeholder is, so that
``help()``, the doctests and the rendered docs all read the full entry.

Examples
--------
>>> from framing._docstrings import shared_docs
>>> @shared_docs
... def draw(ax=None):
...     '''Draw.
...
...     Parameters
...     ----------
...     {doc.ax}
...     '''
>>> print(draw.__doc__.splitlines()[4].strip())
ax : Axes, optional
"""

from __future__ import annotations

import re
import textwrap

__all__ = ["PARAMS", "shared_docs"]

PARAMS = {
    "ax": """\
ax : Axes, optional
    Pre-existing axes for the plot. Otherwise, call ``pyplot.gca`` internally.""",
    "lexicon": """\
lexicon : str, Path or Lexicon, default="russia-ukraine"
    A built-in lexicon name, a YAML path or a Lexicon.""",
}
"""The shared parameter entries, numpydoc style (name and type, then the description indented)."""

_PLACEHOLDER = re.compile(r"^( *)\{doc\.(\w+)\}$", re.M)


def shared_docs(obj):
    """Put the :data:`PARAMS` entries into ``obj``'s docstring where it says ``{doc.NAME}``."""
    def entry(m: re.Match) -> str:
        if m.group(2) not in PARAMS:
            raise KeyError(f"{getattr(obj, '__qualname__', obj)}: no shared docs for {m.group(2)!r}")
        return textwrap.indent(PARAMS[m.group(2)], m.group(1))

    if obj.__doc__:
        obj.__doc__ = _PLACEHOLDER.sub(entry, obj.__doc__)
    return obj
