"""One definition of each argument check: numbers in range, with one line naming the argument.

The command line and the API call the same checks, so ``--window -1`` and ``kwic(window=-1)``
fail with the same message before any work (``--window -1`` used to crash the interpreter).
"""

from __future__ import annotations

import numbers

from framing._errors import FramingError

__all__ = ["check_int", "check_number", "ArgumentError"]


class ArgumentError(FramingError, ValueError):
    """An argument out of its range or of the wrong type: the message names it and the range."""


def check_int(value, name: str, *, low: int | None = None, high: int | None = None,
              allow_none: bool = False) -> int | None:
    """``value`` as an int in ``[low, high]``, or an :class:`ArgumentError` naming ``name``.

    Examples
    --------
    >>> from framing._checks import check_int
    >>> check_int(5, "window", low=0)
    5
    >>> check_int(-1, "--window", low=0)
    Traceback (most recent call last):
    ...
    framing._checks.ArgumentError: --window must be a whole number of at least 0, not -1
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ArgumentError(f"{name} must be a whole number{_range(low, high)}, not {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ArgumentError(f"{name} must be a whole number{_range(low, high)}, not {value}")
    return value


def check_number(value, name: str, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite float in its range (bounds closed unless ``*_open``), else an ArgumentError.

    Examples
    --------
    >>> from framing._checks import check_number
    >>> check_number(0.95, "level", low=0, high=1, low_open=True, high_open=True)
    0.95
    """
    import math

    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok:
        v = float(value)
        ok = not (low is not None and (v < low or (low_open and v == low))) and \
            not (high is not None and (v > high or (high_open and v == high)))
    if not ok:
        lo = "" if low is None else f"{'above' if low_open else 'at least'} {low:g}"
        hi = "" if high is None else f"{'below' if high_open else 'at most'} {high:g}"
        span = " and ".join(x for x in (lo, hi) if x)
        raise ArgumentError(f"{name} must be a number{' ' + span if span else ''}, not {value!r}")
    return float(value)


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def positive_int(name: str, low: int = 1):
    """An argparse ``type=``: a whole number of at least ``low``, else argparse's one-line usage error."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {low}, not {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {low}, not {value}")
        return value

    parse.__name__ = name
    return parse
