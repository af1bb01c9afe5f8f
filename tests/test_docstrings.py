"""Shared parameter docs (framing._docstrings): every placeholder is filled, a typo fails at import."""

from __future__ import annotations

import re

import pytest

import framing
from framing._docstrings import DOCS, share_docs


def test_every_public_docstring_has_its_shared_entries_filled_in():
    left = {name: re.findall(r"^\s*\{\w+\}\s*$", getattr(framing, name).__doc__ or "", re.M)
            for name in framing.__all__}
    assert not {k: v for k, v in left.items() if v}
    assert "Pre-existing axes for the plot" in framing.plot_lean.__doc__
    assert framing.plot_voice.__doc__.count("The matplotlib axes containing the plot.") == 1


def test_an_entry_keeps_the_indentation_of_its_placeholder_and_other_braces_stay():
    def f():
        """Draw.

        Parameters
        ----------
        {ax}

        Examples
        --------
        >>> {"a": 1}["a"]
        1
        """

    doc = share_docs(f).__doc__
    assert "\n        ax : Axes, optional\n            Pre-existing axes" in doc
    assert '>>> {"a": 1}["a"]' in doc
    assert set(DOCS) >= {"ax", "returns_ax", "lexicon"}


def test_an_unknown_entry_is_an_error_naming_the_function():
    def g():
        """{axes}"""

    with pytest.raises(KeyError, match="g: no shared docstring entry 'axes'"):
        share_docs(g)
