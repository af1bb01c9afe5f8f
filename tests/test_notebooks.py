"""Notebooks: stripped, literal parameters, no function definitions, and each one runs in a real kernel."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from framing.report import KERNEL_MANAGER

from .conftest import ROOT

NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
DATA_PARAM = {"01": "data_path", "02": "corpus_path", "03": "data_path", "04": "data_path"}


def test_the_four_notebooks_exist():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shape(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and "Rerun" in nb.cells[0].source
    params = nb.cells[1]
    assert params.cell_type == "code" and "parameters" in params.metadata.get("tags", [])
    for node in ast.parse(params.source).body:  # literals only: papermill overrides names, not expressions
        assert isinstance(node, ast.Assign | ast.AnnAssign)
        ast.literal_eval(node.value)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, "commit notebooks stripped"
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, ast.FunctionDef | ast.Lambda | ast.ClassDef) for n in ast.walk(tree)), \
                "no function definitions in notebooks: move them into framing/"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_seed_corpus(path: Path, tmp_path):
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), cwd=str(NB_DIR), kernel_name="python3", progress_bar=False,
                        parameters={DATA_PARAM[path.stem[:2]]: "../data/seed"}, kernel_manager_class=KERNEL_MANAGER)
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    # figures come as PNG outputs or, in the report, as <figure> HTML with the PNG inline and its caption
    n_images = sum("image/png" in o.get("data", {}) or "data:image/png" in str(o.get("data", {}).get("text/html", ""))
                   for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert n_images >= 1


def test_the_report_notebook_is_the_packaged_template():
    """One definition: `framing report` runs framing/templates/outlet_report.ipynb; notebooks/02 is its copy."""
    from framing.report import REPORT_NOTEBOOK

    copy = NB_DIR / "02_outlet_report.ipynb"
    assert copy.read_bytes() == REPORT_NOTEBOOK.read_bytes(), (
        f"notebooks/02 and the template differ: edit {REPORT_NOTEBOOK.relative_to(ROOT)}, then "
        f"`cp {REPORT_NOTEBOOK.relative_to(ROOT)} notebooks/02_outlet_report.ipynb`")
