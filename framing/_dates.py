"""Publication dates: one reading per column, decided from the whole column, never guessed per value.

The rule (documented in the README, "Dates"):

- Datetime values (Parquet timestamps) are taken as they are.
- Numbers (JSONL numbers, integer Parquet columns, or a column whose every value is digits) are
  ``YYYYMMDD`` when every value is an 8-digit date, else Unix epoch times whose unit is decided from
  the column's largest magnitude: seconds (< 1e11), milliseconds (< 1e14), microseconds (< 1e17),
  else nanoseconds.
- Text: ISO 8601 (``2022-03-13``, ``2022-03-13T10:00:00+02:00``) and ``2022/03/13``; numeric
  day/month/year forms (``13/03/2022``, ``03.13.22``) read with ONE order for the whole column:
  day-first when some value's first number is over 12, month-first when some value's second number
  is, an error naming the column when neither tells (pass ``dayfirst=`` / ``--dayfirst`` or
  ``--no-dayfirst``) or both happen (the column mixes the two orders); dates with month names
  (``March 13, 2022``, ``Sun, 13 Mar 2022 10:00:00 GMT``, ``January 11, 2010 Monday``).
- Time zones: values with a UTC offset are converted to UTC (``published`` is always naive UTC
  or naive local time as given); the offset each value had is kept in ``published_utc_offset``
  (``+02:00``), so local times can be recovered. Values without an offset are kept as given.
- Dates outside pandas' range (1677-09-22 to 2262-04-11), e.g. ``1500-01-01``, are errors naming the
  row: no news corpus has them, they are typos.
- Two-digit years are 1969-2068 (POSIX ``%y``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DateReading", "parse_dates"]

_DMY = re.compile(r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])(.*)$")
_YMD = re.compile(r"^\s*(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?![\d])(.*)$")
_DIGITS = re.compile(r"^\s*[+-]?\d+(\.\d+)?\s*$")
_OFFSET_TOKEN = r"Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?"
_OFFSET = re.compile(rf"({_OFFSET_TOKEN})\s*$", re.I)
_HAS_OFFSET = rf"(?:\d|\s)(?:{_OFFSET_TOKEN})\s*$"
_MIN, _MAX = pd.Timestamp.min, pd.Timestamp.max


class DateError(ValueError):
    """A date problem at value ``index`` (position in the column) or for the whole column (None)."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index


@dataclass
class DateReading:
    """The reading decided for a column, kept across the chunks of one file."""

    dayfirst: bool | None = None
    epoch_unit: str | None = None


def _year(y: str) -> str:
    if len(y) == 4:
        return y
    n = int(y)
    return str(2000 + n if n < 69 else 1900 + n)


def _epoch_unit(values: np.ndarray) -> str:
    top = float(np.nanmax(np.abs(values))) if len(values) else 0.0
    return "s" if top < 1e11 else "ms" if top < 1e14 else "us" if top < 1e17 else "ns"


def _is_yyyymmdd(values: np.ndarray) -> bool:
    if not len(values) or not np.all(np.mod(values, 1) == 0):
        return False
    v = values.astype(np.int64)
    y, m, d = v // 10000, v // 100 % 100, v % 100
    return bool(np.all((y >= 1800) & (y <= 2200) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)))


def _numbers(values: pd.Series, reading: DateReading, col: str) -> pd.Series:
    nums = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    if _is_yyyymmdd(nums) and reading.epoch_unit in (None, "yyyymmdd"):
        reading.epoch_unit = "yyyymmdd"
        return pd.Series(pd.to_datetime(nums.astype(np.int64).astype(str), format="%Y%m%d"), index=values.index)
    unit = reading.epoch_unit if reading.epoch_unit not in (None, "yyyymmdd") else _epoch_unit(nums)
    reading.epoch_unit = unit
    scale = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[unit]
    bad = (nums * scale < _MIN.value) | (nums * scale > _MAX.value)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DateError(f"column '{col}' holds {values.iloc[i]!r}, read as a Unix time in {unit}, which is "
                        f"outside 1677-2262", i)
    if np.all(np.mod(nums, 1) == 0):  # whole numbers: exact integer arithmetic (floats lose nanoseconds)
        ints = pd.to_numeric(values, errors="coerce").astype("int64").to_numpy()
        ns = ints * np.int64(scale)
    else:
        ns = np.round(nums * scale).astype(np.int64)
    return pd.Series(pd.to_datetime(ns, unit="ns"), index=values.index)


def _decide_dayfirst(matches: list[tuple[int, re.Match]], col: str, reading: DateReading) -> bool:
    if reading.dayfirst is not None:
        return reading.dayfirst
    first_big = next((i for i, m in matches if int(m.group(1)) > 12), None)
    second_big = next((i for i, m in matches if int(m.group(3)) > 12), None)
    if first_big is not None and second_big is not None:
        raise DateError(
            f"column '{col}' mixes day-first and month-first dates (e.g. value {first_big + 1} has a day "
            f"over 12 first, value {second_big + 1} second); make the column consistent", second_big)
    if first_big is None and second_big is None:
        raise DateError(
            f"column '{col}' has dates such as {matches[0][1].group(0).strip()!r} that could be day-first or "
            f"month-first, and no value tells which; pass dayfirst=True or dayfirst=False (command line: "
            f"--dayfirst or --no-dayfirst)")
    reading.dayfirst = first_big is not None
    return reading.dayfirst


def _offset_of(text: str) -> str | None:
    m = _OFFSET.search(text)
    if not m:
        return None
    tok = m.group(1).upper()
    if tok in ("Z", "UTC", "GMT"):
        return "+00:00"
    if tok.startswith(("UTC", "GMT")):
        tok = tok[3:]
        sign, rest = tok[0], tok[1:].replace(":", "")
        hours, minutes = (rest[:-2], rest[-2:]) if len(rest) > 2 else (rest, "00")
        return f"{sign}{int(hours):02d}:{minutes}"
    digits = tok.replace(":", "")
    return f"{digits[0]}{digits[1:3]}:{digits[3:5]}"


def parse_dates(values: pd.Series, col: str, reading: DateReading | None = None) -> tuple[pd.Series, pd.Series | None]:
    """Parse a date column: (naive datetime64[ns] Series, UTC offsets as text or None).

    Raises :class:`DateError` naming the column (and, through ``index``, the value) at fault.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing._dates import parse_dates
    >>> parse_dates(pd.Series(["13/03/2022", "01/03/2022"]), "date")[0].dt.strftime("%Y-%m-%d").tolist()
    ['2022-03-13', '2022-03-01']
    >>> parse_dates(pd.Series(["2022-03-13T10:00:00+02:00"]), "date")[1].tolist()
    ['+02:00']
    """
    reading = reading if reading is not None else DateReading()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    offsets = None
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        v = values
        if getattr(v.dt, "tz", None) is not None:
            offsets = pd.Series(["+00:00" if pd.notna(x) else None for x in v], index=v.index, dtype=object)
            v = v.dt.tz_convert("UTC").dt.tz_localize(None)
        return v.astype("datetime64[ns]"), offsets
    obj = values.astype(object)
    present = obj.notna().to_numpy() & np.array([not (isinstance(x, str) and not x.strip()) for x in obj], dtype=bool)
    if not present.any():
        return out, None
    vals = obj[present]
    kinds = np.array([isinstance(x, (bool, np.bool_)) or not isinstance(x, (str, int, float, np.integer, np.floating))
                      for x in vals], dtype=bool)
    if kinds.any():
        i = int(np.flatnonzero(present)[np.flatnonzero(kinds)[0]])
        raise DateError(f"column '{col}' holds {obj.iloc[i]!r} ({type(obj.iloc[i]).__name__}), which is not a "
                        f"date", i)
    strings = vals.map(lambda x: x.strip() if isinstance(x, str) else x)
    numeric = np.array([not isinstance(x, str) or bool(_DIGITS.match(x)) for x in strings], dtype=bool)
    if numeric.all():
        parsed = _numbers(strings, reading, col)
        out[present] = parsed.to_numpy()
        return out, None
    if numeric.any():
        i = int(np.flatnonzero(present)[np.flatnonzero(numeric)[0]])
        raise DateError(f"column '{col}' mixes numbers ({obj.iloc[i]!r}) with dates written out; use one form", i)
    series = pd.Series(strings.astype(str).to_numpy(), dtype=object)
    parsed = _iso(series)
    rest = np.flatnonzero(parsed.isna().to_numpy())
    if len(rest):
        parsed = _parse_rest(series, parsed, rest, col, reading, obj, np.flatnonzero(present))
    naive = parsed.dt.tz_localize(None)
    has_offset = series.str.contains(_HAS_OFFSET, flags=re.I, regex=True).to_numpy(dtype=bool)
    if has_offset.any():
        offs = np.full(len(series), None, dtype=object)
        offs[has_offset] = [_offset_of(t) for t in series[has_offset]]
        offsets = pd.Series(None, index=values.index, dtype=object)
        offsets[present] = offs
    outside = ((naive < _MIN) | (naive > _MAX)).to_numpy()
    if outside.any():
        i = int(np.flatnonzero(present)[np.flatnonzero(outside)[0]])
        raise DateError(f"column '{col}' holds {obj.iloc[i]!r}, outside the dates pandas can hold (1677-2262); "
                        f"fix the value or leave it empty", i)
    out[present] = naive.astype("datetime64[ns]").to_numpy()
    return out, offsets


def _iso(series: pd.Series) -> pd.Series:
    """ISO 8601 values as UTC timestamps, NaT for the rest (and for dates outside pandas' range)."""
    try:
        return pd.to_datetime(series, format="ISO8601", errors="coerce", utc=True)
    except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError):
        one = []
        for t in series:
            try:
                one.append(pd.to_datetime(t, format="ISO8601", utc=True))
            except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError):
                one.append(pd.NaT)
        return pd.Series(pd.to_datetime(pd.Series(one, dtype=object), utc=True), index=series.index)


def _parse_rest(series: pd.Series, parsed: pd.Series, rest: np.ndarray, col: str, reading: DateReading,
                obj: pd.Series, positions: np.ndarray) -> pd.Series:
    """Values that are not ISO 8601: numeric day/month forms (one order per column), then month names."""
    parsed = parsed.copy()
    texts = {int(k): series.iloc[k] for k in rest}
    dmy = [(k, m) for k, m in ((k, _DMY.match(t)) for k, t in texts.items()) if m]
    if dmy:
        dayfirst = _decide_dayfirst(dmy, col, reading)
        for k, m in dmy:
            a, b = (m.group(1), m.group(3)) if dayfirst else (m.group(3), m.group(1))
            if int(b) > 12:
                raise DateError(
                    f"column '{col}' is read {'day' if dayfirst else 'month'}-first (decided from the column), "
                    f"but {m.group(0).strip()!r} does not fit; make the column consistent or pass "
                    f"dayfirst= (--dayfirst / --no-dayfirst)", int(positions[k]))
            texts[k] = f"{_year(m.group(4))}-{int(b):02d}-{int(a):02d}{m.group(5)}"
    for k, t in texts.items():
        m = _YMD.match(t)
        if m:
            texts[k] = f"{m.group(1)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}{m.group(5)}"
    keys = list(texts)
    again = _iso(pd.Series([texts[k] for k in keys], dtype=object))
    for k, ts in zip(keys, again, strict=True):
        if pd.isna(ts):
            # dates with month names: the name fixes the order, so dateutil's reading is unambiguous
            text = texts[k]
            try:
                ts = pd.Timestamp(pd.to_datetime(text, format="mixed", dayfirst=False))
            except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
                ts = None
            if ts is None or not re.search(r"[^\W\d_]{3}", text):
                i = int(positions[k])
                if re.search(r"\b(1[0-6]\d\d|2[3-9]\d\d)\b", text):
                    raise DateError(f"column '{col}' holds {obj.iloc[i]!r}, outside the dates pandas can hold "
                                    f"(1677-2262); fix the value or leave it empty", i)
                raise DateError(f"column '{col}' holds {obj.iloc[i]!r}, which is not a date", i)
            ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        parsed.iloc[k] = ts
    return parsed
