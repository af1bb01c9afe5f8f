"""Issue 9, outputs: nothing lost, nothing corrupt, whatever the output path or the interruption.

Every case failed on the code before the fix (see the issue note): ``--out .`` wiped the current
folder, ``--out <the corpus>`` deleted the corpus, a full disk truncated the previous counts, two
writers shared one temporary, SIGTERM and SIGKILL left hidden folders behind, and outputs that are
folders or sit under a file failed only after the whole run, with a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main
from framing.progress import without_stage_lines

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seed"
KIEV = "Officials in Kiev said the talks went on. Kyiv said the invasion went on."


def _corpus(path: Path, n: int = 4) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "outlet": ["BBC", "RT"] * (n // 2),
                  "text": [KIEV] * n}).to_csv(path, index=False)
    return path


def _no_work(monkeypatch):
    """Fail the test if a corpus is read or a kernel started: refusals must come before any work."""
    import papermill

    import framing.corpus

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started"))
    monkeypatch.setattr(framing.corpus, "iter_corpus", lambda *a, **k: pytest.fail("the corpus was read"))
    monkeypatch.setattr(framing.corpus, "load_corpus", lambda *a, **k: pytest.fail("the corpus was read"))


def _one_line(capsys, *needles: str) -> str:
    err = without_stage_lines(capsys.readouterr().err)  # the progress lines of a run without a terminal
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


def _fake_papermill(monkeypatch, tables: dict | None = None):
    """papermill that writes an executed (empty) notebook and the tables a report holds, at once."""
    import nbformat
    import papermill

    def run(nb_in, nb_out, parameters=None, **kwargs):
        nbformat.write(nbformat.v4.new_notebook(), nb_out)
        folder = Path(kwargs.get("cwd") or ".") / parameters["tables_dir"]  # the kernel runs in the report folder
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in (tables or {"lean": "group,lean\nRT,1\n"}).items():
            (folder / f"{name}.csv").write_text(text)

    monkeypatch.setattr(papermill, "execute_notebook", run)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------- 1: the report folder
def test_report_out_dot_refuses_and_keeps_the_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "notes.txt").write_text("keep me")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    _no_work(monkeypatch)
    assert main(["report", str(SEED), "--out", "."]) == 2
    _one_line(capsys, "--out .", "current folder")
    assert (tmp_path / "notes.txt").read_text() == "keep me" and (tmp_path / "sub").is_dir()


def test_report_out_parent_of_cwd_refuses(tmp_path, monkeypatch, capsys):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    _no_work(monkeypatch)
    assert main(["report", str(SEED), "--out", str(tmp_path)]) == 2
    _one_line(capsys, "current folder")
    assert (tmp_path / "work").is_dir()


def test_report_out_the_corpus_refuses_and_keeps_it(tmp_path, monkeypatch, capsys):
    corpus = _corpus(tmp_path / "mycorpus" / "articles.csv").parent
    _no_work(monkeypatch)
    assert main(["report", str(corpus), "--out", str(corpus)]) == 2
    _one_line(capsys, "the input")
    assert (corpus / "articles.csv").exists()
    assert main(["report", str(corpus), "--out", str(corpus / "report")]) == 2  # inside it: read as a shard next time
    _one_line(capsys, "input")
    assert sorted(p.name for p in corpus.iterdir()) == ["articles.csv"]


def test_report_out_a_foreign_folder_refuses_and_keeps_its_files(tmp_path, monkeypatch, capsys):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    _no_work(monkeypatch)
    assert main(["report", str(SEED), "--out", str(precious)]) == 2
    _one_line(capsys, "thesis.tex", "not a previous report")
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_report_out_a_file_refuses_before_work(tmp_path, monkeypatch, capsys):
    target = tmp_path / "report.html"
    target.write_text("old")
    _no_work(monkeypatch)
    assert main(["report", str(SEED), "--out", str(target)]) == 2
    _one_line(capsys, "is a file")
    assert target.read_text() == "old"


def test_report_out_under_a_file_refuses_before_work(tmp_path, monkeypatch, capsys):
    (tmp_path / "afile").write_text("x")
    _no_work(monkeypatch)
    assert main(["report", str(SEED), "--out", str(tmp_path / "afile" / "rep")]) == 2
    _one_line(capsys, "is a file, not a folder")


def test_report_replaces_a_previous_report(tmp_path, monkeypatch):
    from framing import render_report

    _fake_papermill(monkeypatch, {"lean": "group,lean\nRT,1\n"})
    out = render_report(SEED, tmp_path / "rep", progress=False)
    first = json.loads((out / "provenance.json").read_text())
    (out / "tables" / "stale.csv").write_text("from the old run")
    _fake_papermill(monkeypatch, {"lean": "group,lean\nRT,2\n"})
    again = render_report(SEED, tmp_path / "rep", progress=False)
    assert again == out and (out / "tables" / "lean.csv").read_text() == "group,lean\nRT,2\n"
    assert not (out / "tables" / "stale.csv").exists()  # the old folder is gone, not merged
    assert json.loads((out / "provenance.json").read_text())["started"] >= first["started"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]  # no temporaries, no old copy, no lock


def test_report_swap_never_leaves_the_path_empty(tmp_path, monkeypatch):
    """While the new report goes in, the path always holds a report (the old one or the new one)."""
    from framing import render_report

    _fake_papermill(monkeypatch)
    out = render_report(SEED, tmp_path / "rep", progress=False)
    seen = []

    def watch(fn):
        def wrapped(*args, **kwargs):
            result = fn(*args, **kwargs)
            seen.append((out / "provenance.json").exists())
            return result
        return wrapped

    for module, name in ((os, "rename"), (os, "replace"), (shutil, "rmtree")):  # every step that moves or deletes
        monkeypatch.setattr(module, name, watch(getattr(module, name)))
    render_report(SEED, out, progress=False)
    assert all(seen) and (out / "provenance.json").exists()


def test_killed_report_leaves_nothing_for_the_next_run(tmp_path, monkeypatch):
    """SIGKILL mid-run leaves a temporary folder; the next run to the same path removes it."""
    script = textwrap.dedent(f"""
        import os, signal, papermill
        from framing import render_report
        def killed(*a, **k):
            os.kill(os.getpid(), signal.SIGKILL)
        papermill.execute_notebook = killed
        render_report({str(SEED)!r}, {str(tmp_path / "rep")!r}, progress=False)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert _hidden(tmp_path)  # what a killed process leaves
    from framing import render_report

    _fake_papermill(monkeypatch)
    render_report(SEED, tmp_path / "rep", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def _slow_count_script(tmp_path: Path, args: list[str]) -> str:
    return textwrap.dedent(f"""
        import sys, time
        import framing.match.count as m
        real = m._stream
        def slow(*a, **k):
            for chunk in real(*a, **k):
                print("ready", flush=True)
                time.sleep(60)
                yield chunk
        m._stream = slow
        from framing.cli import main
        sys.exit(main({args!r}))
    """)


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    corpus = _corpus(tmp_path / "c.csv")
    (tmp_path / "counts.csv").write_text("previous counts\n")
    (tmp_path / "hits.parquet").write_text("previous hits\n")
    args = ["count", str(corpus), "-o", str(tmp_path / "counts.csv"), "--hits", str(tmp_path / "hits.parquet")]
    proc = subprocess.Popen([sys.executable, "-c", _slow_count_script(tmp_path, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "counts.csv", "hits.parquet"]
    assert (tmp_path / "hits.parquet").read_text() == "previous hits\n"


# --------------------------------------------------------------- 2: concurrent writers
def test_a_second_writer_of_the_same_hits_stops_at_once(tmp_path, capsys):
    corpus = _corpus(tmp_path / "c.csv")
    args = ["count", str(corpus), "-o", str(tmp_path / "a.csv"), "--hits", str(tmp_path / "hits.parquet")]
    proc = subprocess.Popen([sys.executable, "-c", _slow_count_script(tmp_path, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"  # the first run holds the path
        assert main(["count", str(corpus), "-o", str(tmp_path / "b.csv"), "--hits",
                     str(tmp_path / "hits.parquet")]) == 2
        _one_line(capsys, "another framing process", f"pid {proc.pid}")
    finally:
        proc.kill()
        proc.wait()
    assert not (tmp_path / "b.csv").exists()


@pytest.mark.slow
def test_two_concurrent_runs_never_both_succeed_with_a_corrupt_file(tmp_path):
    corpus = _corpus(tmp_path / "c.csv", n=40_000)
    cmd = [sys.executable, "-m", "framing.cli", "count", str(corpus), "--hits", str(tmp_path / "hits.parquet")]
    procs = [subprocess.Popen([*cmd, "-o", str(tmp_path / f"counts{i}.csv")], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    assert set(codes) <= {0, 2} and 0 in codes, outs
    for (_out, err), code in zip(outs, codes, strict=True):
        assert "Traceback" not in err
        if code == 2:
            assert "another framing process" in err
    assert len(pd.read_parquet(tmp_path / "hits.parquet")) == 40_000 * 3
    assert not _hidden(tmp_path)


def test_temporaries_are_unique_per_process(tmp_path, monkeypatch):
    """The old writer used one shared name (.hits.parquet.tmp) for every process."""
    import pyarrow.parquet as pq

    from framing import write_hits

    corpus = _corpus(tmp_path / "c.csv")
    names = []
    real = pq.ParquetWriter.__init__

    def spy(self, where, *args, **kwargs):
        names.append(Path(where).name)
        return real(self, where, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "__init__", spy)
    write_hits(corpus, "russia-ukraine", tmp_path / "hits.parquet")
    assert names and names[0] != ".hits.parquet.tmp" and str(os.getpid()) in names[0]


# --------------------------------------------------------------- 3: full disk
def _full_disk_after(monkeypatch, n_bytes: int):
    """DataFrame.to_csv writes ``n_bytes`` of its output, then fails as a full disk does."""
    real = pd.DataFrame.to_csv

    def partial(self, path=None, *args, **kwargs):
        text = real(self, None, *args, **{k: v for k, v in kwargs.items() if k != "encoding"})
        Path(path).write_text(text[:n_bytes])
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", partial)


def test_full_disk_keeps_the_previous_counts(tmp_path, monkeypatch, capsys):
    corpus = _corpus(tmp_path / "c.csv")
    out = tmp_path / "counts.csv"
    assert main(["count", str(corpus), "-o", str(out)]) == 0
    before = out.read_bytes()
    capsys.readouterr()
    _full_disk_after(monkeypatch, 40)
    assert main(["count", str(corpus), "-o", str(out)]) == 2
    _one_line(capsys, "disk is full", "previous one is kept")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "counts.csv"]


def test_full_disk_keeps_the_previous_hits(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from framing import OutputError, write_hits

    corpus = _corpus(tmp_path / "c.csv")
    out = tmp_path / "hits.parquet"
    write_hits(corpus, "russia-ukraine", out)
    before = out.read_bytes()

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    with pytest.raises(OutputError, match="disk is full"):
        write_hits(corpus, "russia-ukraine", out)
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "hits.parquet"]


def test_full_disk_keeps_the_previous_coding_sheet(tmp_path, monkeypatch):
    from framing import OutputError
    from framing.validation import write_coding_sheet

    sheet = tmp_path / "coding.csv"
    sheet.write_text("hit_id,on_referent\nh1,yes\n")
    _full_disk_after(monkeypatch, 10)
    with pytest.raises(OutputError):
        write_coding_sheet(pd.DataFrame({"hit_id": ["h2"], "on_referent": [None]}), sheet)
    assert sheet.read_text() == "hit_id,on_referent\nh1,yes\n" and not _hidden(tmp_path)


# --------------------------------------------------------------- outputs checked before any work
@pytest.mark.parametrize("command", [
    ["count", "{corpus}", "-o", "{dir}"],
    ["count", "{corpus}", "-o", "{file}/counts.csv"],
    ["count", "{corpus}", "-o", "{corpus}"],
    ["count", "{corpus}", "-o", "{tmp}/counts.csv", "--hits", "{dir}"],
    ["count", "{corpus}", "-o", "{tmp}/counts.csv", "--hits", "{tmp}/counts.csv"],
    ["kwic", "{corpus}", "kiev", "-o", "{dir}"],
    ["kwic", "{corpus}", "kiev", "-o", "{corpus}"],
    ["lexicon", "audit", "russia-ukraine", "{corpus}", "-o", "{dir}"],
    ["validate", "sample", "{corpus}", "--out", "{dir}"],
    ["validate", "sample", "{corpus}", "--out", "{file}/coding.csv"],
])
def test_bad_output_paths_fail_with_one_line_before_work(command, tmp_path, monkeypatch, capsys):
    corpus = _corpus(tmp_path / "c.csv")
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("x")
    args = [a.format(corpus=corpus, dir=tmp_path / "folder", file=tmp_path / "afile", tmp=tmp_path) for a in command]
    _no_work(monkeypatch)
    assert main(args) == 2
    _one_line(capsys)
    assert corpus.read_text().startswith("doc_id") and (tmp_path / "afile").read_text() == "x"


def test_an_unwritable_parent_fails_before_work(tmp_path, monkeypatch, capsys):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc (a folder nobody can create files in, root included)")
    corpus = _corpus(tmp_path / "c.csv")
    _no_work(monkeypatch)
    assert main(["count", str(corpus), "-o", "/proc/counts.csv"]) == 2
    _one_line(capsys, "cannot write in /proc")


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    corpus = _corpus(tmp_path / "c.csv")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24]  # as framing._atomic names its files
    (tmp_path / ".counts.csv.framing-lock").write_text(json.dumps({"pid": dead.pid, "host": host}))
    (tmp_path / f".counts.csv.framing-tmp-{host}-{dead.pid}-abc").write_text("half")
    assert main(["count", str(corpus), "-o", str(tmp_path / "counts.csv")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "counts.csv"]


@pytest.mark.slow
def test_new_user_report_over_a_previous_report(tmp_path, monkeypatch, capsys):
    """The issue's 'done when': --out . refuses and keeps the files; --out over a report replaces it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("keep")
    assert main(["report", str(SEED), "--out", "."]) == 2
    assert (tmp_path / "notes.txt").read_text() == "keep"
    assert main(["report", str(SEED), "--out", "rep"]) == 0
    inode = (tmp_path / "rep").stat().st_ino
    started = time.time()
    assert main(["report", str(SEED), "--out", "rep"]) == 0
    assert (tmp_path / "rep").stat().st_ino != inode and (tmp_path / "rep" / "report.html").stat().st_mtime >= started - 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "rep"]
