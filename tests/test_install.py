"""The installed package works outside the checkout: the wheel carries the report template and its data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow


def _run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout}\n{done.stderr}"
    return done


def test_wheel_installs_and_renders_the_seed_report_from_another_folder(tmp_path):
    # build the wheel offline, from this checkout (setuptools is in the pinned environment)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(dist), str(ROOT)], cwd=tmp_path)
    wheel = next(dist.glob("framing-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"framing/templates/outlet_report.ipynb", "framing/lexicons/russia-ukraine.yaml",
            "framing/data/boilerplate.yaml", "framing/data/voice_cues.yaml"} <= names

    # a fresh venv outside the checkout; its dependencies are the project's installed ones (a path
    # line in a .pth file: the checkout's editable-install hook in that folder is not run), so no index
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
                .stdout.strip())
    (site / "_project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)])
    _run([str(python), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"])

    # nbconvert's HTML templates are data files of its installation (share/jupyter/nbconvert), not in
    # site-packages: share only those (the project's kernelspec must not be found: it runs the checkout)
    shared = tmp_path / "jupyter"
    shared.mkdir()
    (shared / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(SEED, elsewhere / "seed")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "JUPYTER_PLATFORM_DIRS": "1", "MPLBACKEND": "Agg",
           "JUPYTER_PATH": str(shared)}
    where = _run([str(python), "-c", "import framing; print(framing.__file__)"], cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout  # the wheel, not the checkout
    framing_cli = venv / "bin" / "framing"
    _run([str(framing_cli), "report", "seed", "--out", "seed-report"], cwd=elsewhere, env=env)
    out = elsewhere / "seed-report"
    assert (out / "report.html").stat().st_size > 100_000
    assert (out / "tables" / "lean.csv").exists()
    html = (out / "report.html").read_text("utf-8")
    assert str(ROOT) not in html and "site-packages" not in html  # nothing of the checkout or the install
