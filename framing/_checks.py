"""One definition of each argument check, with one line naming the argument and what it may be.

The command line and the API call the same checks, so ``--window -1`` and ``kwic(window=-1)``
fail with the same message before any work (``--window -1`` used to crash the interpreter).
Numbers out of range, unknown choices and voices raise :class:`framing.ArgumentError`; a column
or a group the corpus does not have raises :class:`framing.CorpusError`. Both are ``ValueError``
subclasses, as Python and scikit-learn expect of a bad value.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Iterable

from framing._errors import ArgumentError, CorpusError
from framing._voices import VOICES

__all__ = ["ArgumentError", "check_choice", "check_column", "check_groups", "check_int",
           "check_level", "check_number", "check_voices", "positive_int"]


def check_int(value, name: str, *, low: int | None = None, high: int | None = None,
              allow_none: bool = False, hint: str = "") -> int | None:
    """``value`` as an int in ``[low, high]``, or an :class:`ArgumentError` naming ``name``.

    ``hint`` is added to the message (why the range, what to pass instead).

    Examples
    --------
    >>> from framing._checks import check_int
    >>> check_int(5, "window", low=0)
    5
    >>> check_int(-1, "--window", low=0)
    Traceback (most recent call last):
    ...
    framing._errors.ArgumentError: --window must be a whole number of at least 0, not -1
    """
    if value is None and allow_none:
        return None
    whole = not isinstance(value, bool) and isinstance(value, numbers.Integral)
    if not whole or (low is not None and value < low) or (high is not None and value > high):
        shown = int(value) if whole else repr(value)
        raise ArgumentError(f"{name} must be a whole number{_range(low, high)}{hint}, not {shown}")
    return int(value)


def check_number(value, name: str, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False, hint: str = "") -> float:
    """``value`` as a finite float in its range (bounds closed unless ``*_open``), else an ArgumentError.

    Examples
    --------
    >>> from framing._checks import check_number
    >>> check_number(0.95, "level", low=0, high=1, low_open=True, high_open=True)
    0.95
    >>> check_number(95, "level", low=0, high=1, low_open=True, high_open=True, hint=" (e.g. 0.95)")
    Traceback (most recent call last):
    ...
    framing._errors.ArgumentError: level must be a number between 0 and 1 (e.g. 0.95), not 95
    """
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok:
        v = float(value)
        ok = not (low is not None and (v < low or (low_open and v == low))) and \
            not (high is not None and (v > high or (high_open and v == high)))
    if not ok:
        if low is not None and high is not None and low_open and high_open:
            span = f" between {low:g} and {high:g}"
        elif low is not None and high is not None and not low_open and not high_open:
            span = f" from {low:g} to {high:g}"
        else:
            lo = "" if low is None else f"{'above' if low_open else 'at least'} {low:g}"
            hi = "" if high is None else f"{'below' if high_open else 'at most'} {high:g}"
            span = " ".join(("", " and ".join(x for x in (lo, hi) if x))) if (lo or hi) else ""
        raise ArgumentError(f"{name} must be a number{span}{hint}, not {value!r}")
    return float(value)


def check_choice(value, name: str, choices: Collection):
    """``value`` if it is one of ``choices``, else an ArgumentError listing them.

    Examples
    --------
    >>> from framing._checks import check_choice
    >>> check_choice("cosine", "metric", ("jensenshannon", "cosine"))
    'cosine'
    >>> check_choice("l2", "metric", ("jensenshannon", "cosine"))
    Traceback (most recent call last):
    ...
    framing._errors.ArgumentError: metric must be one of ['jensenshannon', 'cosine'], not 'l2'
    """
    try:
        ok = value in choices
    except TypeError:  # an unhashable value
        ok = False
    if not ok:
        raise ArgumentError(f"{name} must be one of {list(choices)}, not {value!r}")
    return value


def check_level(level) -> float:
    """A confidence level: a number strictly between 0 and 1, else an ArgumentError.

    Examples
    --------
    >>> from framing._checks import check_level
    >>> check_level(0.9)
    0.9
    """
    return check_number(level, "level", low=0, high=1, low_open=True, high_open=True, hint=" (e.g. 0.95)")


def check_voices(voice, name: str = "voice", *, all_word: bool = False) -> list[str] | None:
    """The voices ``voice`` names as a list (None: every voice, returned as None), or an ArgumentError.

    ``all_word``: the string ``"all"`` means every voice too.

    Examples
    --------
    >>> from framing._checks import check_voices
    >>> check_voices("quoted")
    ['quoted']
    >>> check_voices(["authorial", "loud"])
    Traceback (most recent call last):
    ...
    framing._errors.ArgumentError: unknown voice 'loud'; choose from ['authorial', 'quoted', 'distanced', 'attributed'] (or None for all)
    """
    if voice is None or (all_word and voice == "all"):
        return None
    if isinstance(voice, str):
        voices = [voice]
    elif isinstance(voice, Iterable):
        voices = list(voice)
    else:
        raise ArgumentError(f"{name} must be a voice, a list of voices or None, not {voice!r}; the voices are "
                            f"{list(VOICES)}")
    bad = [v for v in voices if not isinstance(v, str) or v not in VOICES]
    if bad:
        raise ArgumentError(f"unknown {name} {bad[0]!r}; choose from {list(VOICES)} (or None for all)")
    if not voices:
        raise ArgumentError(f"{name} is an empty list; name one or more of {list(VOICES)}, or pass None for all")
    return voices


def check_column(columns: Iterable, name, *, purpose: str = "to group by", where: str = "the corpus",
                 option: str | None = None, error: type = CorpusError):
    """``name`` if it is one of ``columns``, else (a CorpusError by default) naming the columns there are.

    Examples
    --------
    >>> from framing._checks import check_column
    >>> check_column(["outlet", "text"], "country", option="--by")
    Traceback (most recent call last):
    ...
    framing._errors.CorpusError: no column 'country' in the corpus to group by (--by); the columns are ['outlet', 'text']
    """
    columns = list(columns)
    try:
        ok = name in columns
    except TypeError:
        ok = False
    if not ok:
        opt = f" ({option})" if option else ""
        space = " " if purpose else ""
        raise error(f"no column {name!r} in {where}{space}{purpose}{opt}; the columns are {columns}")
    return name


def check_groups(wanted: Iterable, present: Iterable, name: str, by: str, *, where: str = "",
                 error: type = CorpusError) -> list:
    """``wanted`` as a list when every one is a value of ``present``, else an error naming them.

    Examples
    --------
    >>> from framing._checks import check_groups
    >>> check_groups(["BBC"], ["BBC", "RT"], "groups", "outlet")
    ['BBC']
    >>> check_groups(["NoSuch"], ["BBC", "RT"], "groups", "outlet")
    Traceback (most recent call last):
    ...
    framing._errors.CorpusError: no articles for outlet ['NoSuch'] (groups); the outlet values are ['BBC', 'RT']
    """
    wanted = [wanted] if isinstance(wanted, str) or not isinstance(wanted, Iterable) else list(wanted)
    known = sorted({str(g) for g in present})
    missing = [g for g in wanted if str(g) not in known]
    if missing:
        more = " ..." if len(known) > 20 else ""
        raise error(f"{where}{': ' if where else ''}no articles for {by} {missing} ({name}); the {by} values are "
                    f"{known[:20]}{more}")
    return wanted


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def positive_int(name: str, low: int = 1, high: int | None = None):
    """An argparse ``type=``: a whole number in ``[low, high]``, else one line naming the option.

    Examples
    --------
    >>> from framing._checks import positive_int
    >>> positive_int("--window", 0)("10")
    10
    """
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number{_range(low, high)}, not {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be a whole number{_range(low, high)}, not {value}")
        return value

    parse.__name__ = name
    return parse


def check_corpus_table(corpus, *, by=None, text_col="text", text_option: str = "text_col=", need_group: bool = False,
                       need_text: bool = False, unique_ids: bool = False, why: str = "",
                       accepted: str = "a corpus table (a DataFrame, e.g. from framing.load_corpus)") -> None:
    """The one check of a corpus-table argument: a DataFrame with its text column (and ``by``), optionally
    unique ids, a group value and a text in every row; one message for each mistake.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing._checks import check_corpus_table
    >>> check_corpus_table([1, 2])
    Traceback (most recent call last):
    ...
    framing._errors.ArgumentError: corpus must be a corpus table (a DataFrame, e.g. from framing.load_corpus); got list
    >>> corpus = pd.DataFrame({"outlet": ["RT", None], "text": ["Kiev", "Kyiv"]}, index=["a", "b"])
    >>> check_corpus_table(corpus, by="outlet", need_group=True)
    Traceback (most recent call last):
    ...
    framing._errors.CorpusError: 1 articles have no 'outlet' value (first: 'b'); fill them in or drop those rows
    """
    import pandas as pd

    if not isinstance(corpus, pd.DataFrame):
        raise ArgumentError(f"corpus must be {accepted}; got {type(corpus).__name__}")
    check_column(corpus.columns, text_col, purpose="of texts", option=text_option)
    if by is not None:
        check_column(corpus.columns, by, option="by=")
    if unique_ids and not corpus.index.is_unique:
        dup = corpus.index[corpus.index.duplicated()][:5].tolist()
        raise CorpusError(f"the corpus index (doc_id) must be unique; duplicated: {dup}")
    if need_group and by is not None:
        missing = corpus[by].isna().to_numpy()
        if missing.any():
            raise CorpusError(f"{int(missing.sum())} articles have no {by!r} value (first: "
                              f"{corpus.index[missing][0]!r}); {why or 'fill them in or drop those rows'}")
    if need_text:
        bad = ~corpus[text_col].map(lambda t: isinstance(t, str)).astype(bool).to_numpy()
        if bad.any():
            raise CorpusError(f"{int(bad.sum())} articles have no text in {text_col!r} (first: "
                              f"{corpus.index[bad][0]!r}); fill them in or drop those rows")
