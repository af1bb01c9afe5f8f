"""Progress reporting: a bar for streaming runs on a terminal (articles and MB done, rate and ETA), and one
line per stage with the elapsed time for runs without one (logs, CI, ``nohup``, pipes)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

__all__ = ["progress_chunks", "bar_width", "StageLog"]


class StageLog:
    """One line per stage of a command on stderr, with the seconds since the command started.

    For runs without a terminal, where a progress bar shows nothing (or garbage): each stage
    (loading, matching, statistics, charts, writing) prints one line when it starts, and ``done``
    prints the total. A stage repeated (several cells of one stage) prints once.

    Parameters
    ----------
    command : str
        The command's name in each line (``report``, ``count``).
    enabled : bool, optional
        None (default): only when ``stream`` is not a terminal.
    stream : file, optional
        Default ``sys.stderr``.

    Examples
    --------
    >>> import io
    >>> from framing.progress import StageLog
    >>> out = io.StringIO()
    >>> log = StageLog("count", stream=out, enabled=True)
    >>> log.stage("loading", "data/seed"); log.stage("loading"); log.done("84 hits")
    >>> [line.split("]")[1] for line in out.getvalue().splitlines()]
    [' loading: data/seed', ' done: 84 hits']
    >>> out.getvalue().startswith("framing count [    0.0 s] loading")
    True
    """

    def __init__(self, command: str, *, enabled: bool | None = None, stream=None):
        self.command = command
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = not (hasattr(self.stream, "isatty") and self.stream.isatty())
        self.enabled = bool(enabled)
        self.started = time.perf_counter()
        self.current: str | None = None

    def elapsed(self) -> float:
        """Seconds since the command started."""
        return time.perf_counter() - self.started

    def _line(self, name: str, detail: str) -> None:
        if self.enabled:
            print(f"framing {self.command} [{self.elapsed():7.1f} s] {name}" + (f": {detail}" if detail else ""),
                  file=self.stream, flush=True)

    def stage(self, name: str, detail: str = "") -> None:
        """Print the line of stage ``name`` unless it is the stage already running."""
        if name != self.current:
            self.current = name
            self._line(name, detail)

    def done(self, detail: str = "") -> None:
        """Print the last line, with the total time."""
        self.current = None
        self._line("done", detail)


def bar_width() -> dict:
    """tqdm's size options: follow the terminal, or 100 x 24 where it reports a size of 0
    (pseudo-terminals such as ``script``, some IDE consoles): tqdm would draw nothing there."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        return {"ncols": 100, "nrows": 24}
    return {"dynamic_ncols": True} if size.columns > 0 and size.lines > 0 else {"ncols": 100, "nrows": 24}


def _input_bytes(source) -> int | None:
    path = Path(source)
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return None


def progress_chunks(chunks: Iterable[pd.DataFrame], source, progress: bool | None) -> Iterator[pd.DataFrame]:
    """Yield ``chunks`` unchanged, showing a progress bar when ``progress`` (None: when on a terminal).

    The bar counts input megabytes (file sizes on disk, compressed if the input is) with the
    article count, rate and time left as its postfix.
    """
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        yield from chunks
        return
    from tqdm.auto import tqdm

    total = _input_bytes(source)
    text_bytes = 0
    n_articles = 0
    with tqdm(total=total / 1e6 if total else None, unit="MB", unit_scale=False, desc="framing",
              bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} MB [{elapsed}<{remaining}, {rate_fmt}] {postfix}",
              file=sys.stderr, **bar_width()) as bar:
        for chunk in chunks:
            n_articles += len(chunk)
            size = int(chunk["text"].str.len().sum()) if "text" in chunk else 0
            text_bytes += size
            if total:  # advance by the share of the file this chunk stands for
                done = _done_bytes(chunk, total)
                bar.update(max(0.0, done / 1e6 - bar.n))
            else:
                bar.update(size / 1e6)
            bar.set_postfix_str(f"{n_articles:,} articles")
            yield chunk


def _done_bytes(chunk: pd.DataFrame, total: int) -> float:
    """Estimate of input bytes read so far: the bytes of the files up to and including the chunk's last one."""
    files = chunk["source_file"].unique() if "source_file" in chunk else []
    if len(files) == 0:
        return 0.0
    current = Path(str(files[-1]))
    before = 0
    if current.parent.is_dir():
        for p in sorted(current.parent.rglob("*")):
            if p.is_file() and str(p) < str(current):
                before += p.stat().st_size
    return min(total, before + (current.stat().st_size if current.exists() else 0))
