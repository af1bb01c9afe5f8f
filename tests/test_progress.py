"""Without a terminal, `framing report` and `framing count` print one line per stage with the elapsed time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from .conftest import SEED

LINE = re.compile(r"^framing (\w+) \[ *(\d+\.\d) s\] ([a-z ]+)(?:: (.*))?$")


def _run(args, cwd):
    # stdout and stderr are pipes: no terminal, as under nohup, cron or CI
    proc = subprocess.run([str(Path(sys.executable).with_name("framing")), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = [LINE.match(line) for line in proc.stderr.splitlines()]
    assert all(lines), proc.stderr  # nothing else on stderr
    seconds = [float(m.group(2)) for m in lines]
    assert seconds == sorted(seconds)
    return [m.group(3) for m in lines], [m.group(4) for m in lines], proc


def test_count_prints_a_line_per_stage(tmp_path):
    stages, details, proc = _run(["count", str(SEED), "-o", str(tmp_path / "counts.csv")], tmp_path)
    assert stages == ["loading and matching", "writing", "done"]
    n_hits = int(pd.read_csv(tmp_path / "counts.csv")["n_hits"].sum())
    assert re.fullmatch(rf"{n_hits:,} hits in \d+ articles", details[-1]) and str(tmp_path / "counts.csv") in details[1]
    assert proc.stdout.startswith(details[-1] + " -> ")  # the result line stays on stdout


@pytest.mark.slow
def test_report_prints_a_line_per_stage(tmp_path):
    rows = [{"outlet": o, "published": "2022-03-01", "title": "Talks", "text": f"Officials in {c} said talks go on."}
            for o, c in [("Alpha", "Kiev"), ("Beta", "Kyiv")]]
    pd.DataFrame(rows).to_csv(tmp_path / "two.csv", index=False)
    stages, details, proc = _run(["report", "two.csv", "--out", "report"], tmp_path)
    assert stages == ["loading", "matching", "statistics", "charts", "writing", "done"]
    assert details[0].startswith("two.csv checked; starting a Jupyter kernel")
    assert details[-1].startswith("report/report.html, ") and "report written to" in proc.stdout
