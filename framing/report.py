"""Stage 8, report: run the report notebook in a Jupyter kernel and write HTML, tables and provenance."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from framing._atomic import PROVENANCE, atomic_folder, check_report_target
from framing._checks import check_int, check_voices
from framing._docstrings import share_docs
from framing._errors import CorpusError, FramingError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_report", "save_table", "show_text_table", "reproducible_notebook", "REPORT_NOTEBOOK"]

#: The report template, shipped inside the package (``notebooks/02_outlet_report.ipynb`` is a copy of it
#: for reading and editing in Jupyter; a test keeps the two identical).
REPORT_NOTEBOOK = Path(__file__).resolve().parent / "templates" / "outlet_report.ipynb"
KERNEL_MANAGER = "framing._kernel.EncryptedKernelManager"
_LIBRARIES = ("pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "pyyaml", "pyarrow", "hyperscan",
              "datasketch", "papermill", "nbconvert", "nbclient", "ipykernel", "adjustText", "dask", "distributed",
              "trafilatura", "warcio", "python-docx", "charset-normalizer")


# --------------------------------------------------------------------------- used by the notebook
def save_table(table: pd.DataFrame, name: str, tables_dir: str | os.PathLike | None) -> pd.DataFrame:
    """Write ``table`` to ``<tables_dir>/<name>.csv`` (when a folder is given) and return it.

    Report notebooks call this for every table behind a chart, so the report folder holds the
    numbers of every figure. CSVs are written deterministically (no index, ``\\n`` line ends,
    floats with 10 significant digits), so the same inputs give byte-identical files.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from framing.report import save_table
    >>> folder = tempfile.mkdtemp()
    >>> _ = save_table(pd.DataFrame({"a": [1 / 3]}), "demo", folder)
    >>> (pathlib.Path(folder) / "demo.csv").read_text()
    'a\\n0.3333333333\\n'
    """
    if tables_dir is not None:
        folder = Path(tables_dir)
        folder.mkdir(parents=True, exist_ok=True)
        if not re.fullmatch(r"[\w.-]+", name):
            raise FramingError(f"table name {name!r} must be letters, digits, '_', '-' or '.'")
        table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", float_format="%.10g")
    return table


def show_text_table(table: pd.DataFrame, *, max_rows: int | None = None):
    """An HTML view of a table holding article text, every cell HTML-escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.report import show_text_table
    >>> "&lt;script&gt;" in show_text_table(pd.DataFrame({"t": ["<script>"]})).data
    True
    """
    from IPython.display import HTML

    shown = table if max_rows is None else table.head(max_rows)
    body = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="framing-text")
    note = f"<p><i>{len(table) - len(shown):,} more rows in the CSV.</i></p>" if len(shown) < len(table) else ""
    return HTML(body + note)


# ------------------------------------------------------------------------------------ provenance
def _git_revision() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def provenance(parameters: dict, inputs: list[dict], lexicon, started: datetime) -> dict:
    """The provenance record of a report: versions, git revision, input and lexicon hashes, parameters."""
    from framing._version import __version__

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
        "inputs": inputs,
        "lexicon": {"name": lexicon.name, "version": lexicon.version, "path": str(lexicon.path),
                    "sha256": lexicon.sha256},
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# -------------------------------------------------------------------------------- checks first
def preflight(corpus: Path, lexicon, by: str, groups, load_kwargs: dict):
    """Fail on the usual mistakes before any kernel starts: the corpus is read through framing.corpus
    (the loader the notebook uses, so every input kind and every corpus column counts), without
    cleaning; only as far as the first articles unless ``groups`` must be checked."""
    from framing.lexicon import load_lexicon

    if not corpus.exists():
        raise CorpusError(f"{corpus}: no such file or folder; check the path (relative paths start at {Path.cwd()})")
    from framing.corpus import check_corpus_columns, check_readable

    lex = load_lexicon(lexicon)
    check_readable(corpus, skip_bad=bool(load_kwargs.get("skip_bad")))
    if check_corpus_columns(corpus, by, groups=groups, load_kwargs=load_kwargs) is None:
        raise CorpusError(f"{corpus}: no articles to report on; see `framing corpus {corpus} --skip-bad --drop-empty`")
    return lex


_PATH_ARGUMENTS = ("metadata",)  # load_corpus arguments that name files


def _resolved_paths(load_kwargs: dict) -> dict:
    for key in _PATH_ARGUMENTS:
        value = load_kwargs.get(key)
        if isinstance(value, str | os.PathLike) and "://" not in str(value):
            load_kwargs[key] = str(Path(value).expanduser().resolve())
    return load_kwargs


def _lexicon_parameter(lex) -> str:
    """A built-in lexicon by its name (no install path in the report), a file by its absolute path."""
    from framing.lexicon import builtin_dir

    if lex.path is None:
        return lex.name
    path = Path(lex.path).resolve()
    builtin = Path(str(builtin_dir())).resolve() / f"{lex.name}.yaml"
    return lex.name if path == builtin else str(path)


# ------------------------------------------------------------------------------- reproducible
#: papermill's notebook metadata that depends on the run, not on the inputs (times, temporary paths)
_RUN_METADATA = ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables",
                 "exception")


def reproducible_notebook(nb):
    """The executed notebook without what changes from run to run, so the same inputs give the same bytes.

    papermill gives its injected parameters cell a random id and records run times, the input and the
    (temporary) output path in the notebook's metadata; nbclient records each cell's execution
    timestamps. The parameters cell gets the fixed id ``injected-parameters``; times and paths go
    (the run's start and end are in ``provenance.json``); the parameters stay.

    Examples
    --------
    >>> import nbformat
    >>> from framing.report import reproducible_notebook
    >>> nb = nbformat.v4.new_notebook(metadata={"papermill": {"duration": 1.5, "parameters": {"seed": 0}}})
    >>> nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["injected-parameters"],
    ...                 "execution": {"iopub.status.idle": "2026-01-01T00:00:00Z"}}))
    >>> nb = reproducible_notebook(nb)
    >>> nb.metadata.papermill, nb.cells[0].id, nb.cells[0].metadata
    ({'parameters': {'seed': 0}}, 'injected-parameters', {'tags': ['injected-parameters']})
    """
    run = nb.metadata.get("papermill")
    if run is not None:
        for key in _RUN_METADATA:
            run.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


# ------------------------------------------------------------------------------------- the HTML
_HIDE_CODE_CSS = """
<style>
  #framing-show-code { margin: 0 0 1em 0; }
  body:not(.framing-code) .jp-CodeCell .jp-Cell-inputWrapper,
  body:not(.framing-code) .jp-CodeCell .jp-InputArea { display: none; }
  body:not(.framing-code) .jp-OutputPrompt, body:not(.framing-code) .jp-InputPrompt { display: none; }
  table.framing-text td { font-family: ui-monospace, monospace; font-size: 85%; text-align: left; }
  /* wide tables scroll sideways instead of being clipped; cells wrap between words, never inside one */
  .framing-scroll { overflow-x: auto; max-width: 100%; }
  .jp-OutputArea-output { overflow-x: auto; }
  table.framing-table { border-collapse: collapse; font-size: 85%; }
  /* text left, numbers right (show_table marks them); specific enough to beat JupyterLab's right alignment */
  .jp-OutputArea-output table.framing-table td, .jp-OutputArea-output table.framing-table th { padding: 2px 8px;
    text-align: left; vertical-align: top; overflow-wrap: normal; word-break: normal; white-space: normal; }
  .jp-OutputArea-output table.framing-table td.num, .jp-OutputArea-output table.framing-table th.num {
    text-align: right; font-variant-numeric: tabular-nums; }
  table.framing-table th { border-bottom: 1px solid #999; }
  table.framing-table caption { caption-side: top; text-align: left; padding: 4px 0; max-width: 60em; }
  figure.framing-figure { margin: 1em 0 1.5em 0; }
  figure.framing-figure img { max-width: 100%; height: auto; }
  figure.framing-figure figcaption { font-size: 90%; max-width: 60em; color: #333; }
</style>
"""
_SHOW_CODE_BUTTON = (
    "<label id='framing-show-code'><input type='checkbox' "
    "onchange=\"document.body.classList.toggle('framing-code', this.checked)\"> show the code</label>"
)


def notebook_html(executed_nb, title: str) -> str:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab")
    # the template's "about this notebook" cell is for Jupyter readers, not for the report
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"notebook-only"}), enabled=True)
    body, _ = exporter.from_notebook_node(executed_nb, resources={"metadata": {"name": title}})
    # self-contained and offline: the template's CDN scripts (require.js, MathJax) are not needed
    # for static tables and PNG figures, so they go
    body = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", body)
    body = body.replace("</head>", _HIDE_CODE_CSS + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", r"\1" + _SHOW_CODE_BUTTON.replace("\\", "\\\\"), body, count=1)
    return body


# --------------------------------------------------------------------------------------- progress
#: What each stage of the report notebook does (its cells are tagged ``stage:<name>``), for the stage lines.
REPORT_STAGES = {
    "loading": "reading the corpus and the lexicon",
    "matching": "finding the lexicon's terms and the passages shared between groups",
    "statistics": "lean scores and their intervals",
    "charts": "variant shares, voice, distinctive words, map and trend",
    "writing": "the appendix, every table, the figures' captions and report.html",
}


def _stage_engine():
    """papermill's nbclient engine that calls ``on_stage(name)`` when a cell tagged ``stage:<name>`` starts
    (and names the stage on the cell progress bar)."""
    from papermill.engines import NBClientEngine, papermill_engines

    class StageEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, on_stage=None, **kwargs):
            cell_start = nb_man.cell_start

            def start(cell, cell_index=None, **kw):
                cell_start(cell, cell_index, **kw)
                stages = [t.split(":", 1)[1] for t in cell.metadata.get("tags", []) if t.startswith("stage:")]
                if stages and on_stage is not None:
                    on_stage(stages[0])
                if stages and getattr(nb_man, "pbar", None):
                    nb_man.pbar.set_description(stages[0])

            nb_man.cell_start = start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("framing-stages", StageEngine)
    return "framing-stages"


# ----------------------------------------------------------------------------------- the entry
@share_docs
def render_report(
    corpus: str | os.PathLike,
    out: str | os.PathLike,
    *,
    lexicon="russia-ukraine",
    by: str = "outlet",
    voices: tuple[str, ...] | list[str] = ("authorial",),
    exclude_shared: bool = False,
    groups: list[str] | None = None,
    title: str | None = None,
    seed: int = 0,
    load_kwargs: dict | None = None,
    notebook: str | os.PathLike | None = None,
    progress: bool | str = True,
    timeout: int = 1800,
) -> Path:
    """Run the report notebook on a corpus in a real Jupyter kernel and write the report folder.

    ``out`` receives: ``report.ipynb`` (the executed notebook), ``report.html`` (one
    self-contained file: figures embedded with their captions as alt text, article text
    HTML-escaped, code hidden behind a "show the code" switch), ``tables/*.csv`` (every table
    behind every chart), ``figures/NN_name.svg``, ``.pdf`` and 300-dpi ``.png`` (every chart) with
    ``figures/captions.md`` (what each shows, its n and its interval method), and
    ``provenance.json`` (framing version, git revision, sha256 of every input file and of the
    lexicon, parameters, Python and library versions, start and end time). Everything is written
    into a temporary folder beside ``out`` and renamed into place at the end, so an interrupted
    run never leaves a half report. The same inputs give byte-identical tables, figures, ``report.ipynb``
    and ``report.html`` (only ``provenance.json`` records the run's times).

    Parameters
    ----------
    corpus : str or path
        Anything :func:`framing.load_corpus` reads.
    out : str or path
        The report folder; replaced when the run succeeds.
    {lexicon}
    by : str, default="outlet"
        The corpus column to compare.
    voices : list of str, default=("authorial",)
        Voices that count in shares and lean.
    exclude_shared : bool, default=False
        Leave out wording copied between outlets (wire copy).
    groups : list of str, optional
        Only these groups, in this order.
    title : str, optional
        Report title (default: "How outlets word the story: <corpus name>").
    seed : int, default=0
        Bootstrap seed.
    load_kwargs : dict, optional
        Passed to :func:`framing.load_corpus` (``text_col=``, ``drop_empty=``, ...).
    notebook : path, optional
        Another parameterised report notebook to run (default: the template shipped in the package,
        ``framing/templates/outlet_report.ipynb``).
    progress : bool or "lines", default=True
        True: a progress bar over the notebook's cells, named by stage. ``"lines"``: one line per stage
        on stderr (loading, matching, statistics, charts, writing) with the elapsed time, for runs
        without a terminal (what ``framing report`` does when stderr is not a terminal). False: quiet.
    timeout : int, default=1800
        Seconds allowed per cell.

    Returns
    -------
    Path
        The report folder.

    Raises
    ------
    CorpusError, LexiconError
        Before any kernel starts, for a missing corpus, a bad lexicon, an unknown ``by``
        column or a requested group without articles.
    FramingError
        When a cell of the notebook fails (the message names the cell and the error; the
        executed notebook with the error is kept next to ``out`` as ``<out>.failed.ipynb``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from framing import render_report
    >>> out = render_report("data/seed", pathlib.Path(tempfile.mkdtemp()) / "seed", progress=False)
    >>> sorted(p.name for p in out.iterdir())
    ['figures', 'provenance.json', 'report.html', 'report.ipynb', 'tables']
    """
    started = datetime.now(UTC)
    from framing.progress import StageLog

    stages = StageLog("report", enabled=progress == "lines")
    # every path is the caller's: resolved here, against the caller's working folder, before the kernel
    # (which runs in the report folder) starts
    corpus_path = Path(corpus).expanduser().resolve()
    load_kwargs = _resolved_paths(dict(load_kwargs or {}))
    if isinstance(lexicon, str | os.PathLike) and Path(lexicon).suffix:
        lexicon = Path(lexicon).expanduser().resolve()
    check_voices(list(voices), "voices (--voice)")
    check_int(seed, "seed (--seed)", low=0)
    check_int(timeout, "timeout", low=1, hint=" (seconds per cell)")
    check_report_target(out, inputs=[corpus_path, load_kwargs.get("metadata")])
    lex = preflight(corpus_path, lexicon, by, groups, load_kwargs)
    nb_path = Path(notebook) if notebook is not None else REPORT_NOTEBOOK
    if not nb_path.exists():
        raise FramingError(f"{nb_path}: the report notebook is missing; reinstall framing from its repository")
    import nbformat
    import pandas as pd
    import papermill as pm

    from framing.report_parts import default_title

    title = title or default_title(corpus_path.name, by)
    out = Path(out).expanduser().resolve()
    params = {
        "corpus_path": str(corpus_path.resolve()),
        "lexicon": _lexicon_parameter(lex),
        "by": by,
        "voices": list(voices),
        "exclude_shared": bool(exclude_shared),
        "groups": list(groups) if groups else None,
        "title": title,
        "seed": int(seed),
        "load_kwargs": load_kwargs,
        "tables_dir": "tables",  # the kernel runs in the report folder: no temporary path in the report
        "figures_dir": "figures",
    }
    failed = out.parent / f"{out.name}.failed.ipynb"
    stages.stage("loading", f"{corpus_path.name} checked; starting a Jupyter kernel, then "
                            f"{REPORT_STAGES['loading']}")

    def on_stage(name: str) -> None:
        stages.stage(name, REPORT_STAGES.get(name, ""))

    with atomic_folder(out) as tmp:
        executed_path = tmp / "report.ipynb"
        try:
            pm.execute_notebook(str(nb_path), str(executed_path), parameters=params, cwd=str(tmp),
                                kernel_name="python3", progress_bar=progress is True,
                                request_save_on_cell_execute=False, execution_timeout=timeout,
                                kernel_manager_class=KERNEL_MANAGER, engine_name=_stage_engine(),
                                on_stage=on_stage)
        except pm.PapermillExecutionError as exc:
            if executed_path.exists():
                shutil.copy(executed_path, failed)
            raise FramingError(f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue} "
                               f"(executed notebook kept at {failed})") from None
        executed = reproducible_notebook(nbformat.read(executed_path, as_version=4))
        nbformat.write(executed, executed_path)
        (tmp / "report.html").write_text(notebook_html(executed, title), encoding="utf-8")
        inputs_csv = tmp / "tables" / "input_files.csv"
        inputs = pd.read_csv(inputs_csv).to_dict(orient="records") if inputs_csv.exists() else []
        public = {k: v for k, v in params.items() if k not in ("tables_dir", "figures_dir")}
        record = provenance(public, inputs, lex, started)
        (tmp / PROVENANCE).write_text(json.dumps(record, indent=2, default=str) + "\n", "utf-8")
    failed.unlink(missing_ok=True)
    n_figures = len(list((out / "figures").glob("*.png")))
    stages.done(f"{out.name}/report.html, {len(list((out / 'tables').glob('*.csv')))} tables, {n_figures} figures")
    return out
