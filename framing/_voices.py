"""The names of the voices, below every stage that checks or counts them.

:mod:`framing.voice` finds the voices and re-exports :data:`VOICES`; the argument checks
(:mod:`framing._checks`) and the lexicon read the names from here, so they do not import the voice stage.
"""

__all__ = ["VOICES"]

VOICES = ("authorial", "quoted", "distanced", "attributed")
"""Every voice a hit can have; the "own voice" of an outlet is ``authorial`` alone."""
