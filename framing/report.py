"""Stage 8, report: write the report on a corpus into a folder, atomically, with provenance."""

from __future__ import annotations

import html
import json
import os
import platform
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

from framing.clean import cleaning_log
from framing.corpus import corpus_summary, dropped_documents, input_files, load_corpus

__all__ = ["render_report"]

_LIBRARIES = ("pandas", "numpy", "scikit-learn", "matplotlib", "pyyaml", "pyarrow")


def _git_revision() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def provenance(parameters: dict, inputs: pd.DataFrame, started: datetime) -> dict:
    """The provenance record of a report: versions, git revision, input hashes, parameters, times."""
    from framing import __version__

    versions = {}
    for lib in _LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return {
        "framing_version": __version__,
        "git_revision": _git_revision(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": versions,
        "parameters": parameters,
        "inputs": inputs.to_dict(orient="records"),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def _html_page(title: str, tables: dict[str, pd.DataFrame]) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>",
             f"</head><body><h1>{html.escape(title)}</h1>"]
    for name, table in tables.items():
        parts.append(f"<h2>{html.escape(name.replace('_', ' '))}</h2>")
        parts.append(table.to_html(index=False, escape=True, na_rep=""))
    parts.append("</body></html>")
    return "\n".join(parts)


def render_report(
    corpus: str | os.PathLike,
    out: str | os.PathLike,
    *,
    by: str = "outlet",
    title: str | None = None,
    load_kwargs: dict | None = None,
) -> Path:
    """Write the report on ``corpus`` into the folder ``out``.

    The folder gets ``report.html``, ``tables/*.csv`` (every table in the report) and
    ``provenance.json``. Everything is written into a temporary folder beside ``out`` that is
    renamed into place at the end, so an interrupted run never leaves a half report.

    Parameters
    ----------
    corpus : str or path
        Anything :func:`framing.load_corpus` reads.
    out : str or path
        The report folder; replaced if it exists.
    by : str, default="outlet"
        The corpus column to compare.
    title : str, optional
        Title of the report (default: "Framing report: <corpus>").
    load_kwargs : dict, optional
        Passed to :func:`framing.load_corpus`.

    Returns
    -------
    Path
        The report folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from framing import render_report
    >>> out = render_report("data/seed", pathlib.Path(tempfile.mkdtemp()) / "seed")
    >>> sorted(p.name for p in out.iterdir())
    ['provenance.json', 'report.html', 'tables']
    """
    started = datetime.now(UTC)
    load_kwargs = dict(load_kwargs or {})
    data = load_corpus(corpus, **load_kwargs)
    if by not in data.columns:
        from framing._errors import CorpusError

        raise CorpusError(f"{corpus}: no column '{by}' to compare; the columns are {list(data.columns)}")
    title = title or f"Framing report: {Path(corpus).name}"
    summary = corpus_summary(data, by=by)
    tables = {
        "corpus_summary": summary,
        "cleaning_log": cleaning_log(data),
        "dropped_documents": dropped_documents(data),
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _write_tables(tables, tmp / "tables")
        (tmp / "report.html").write_text(_html_page(title, tables), encoding="utf-8")
        params = {"corpus": str(corpus), "by": by, "title": title, **load_kwargs}
        record = provenance(params, input_files(data), started)
        (tmp / "provenance.json").write_text(json.dumps(record, indent=2, default=str) + "\n", "utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
