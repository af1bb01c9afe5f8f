"""Issue 9, step 4's last point: ``--groups`` and ``--by`` are checked before the slow part starts,
for every input kind (CSV, JSONL, Parquet, a folder of shards, .txt articles with metadata.csv).

``--groups NoSuch`` on Parquet/JSONL/shards used to start the kernel and fail inside the notebook;
``framing count --by NoSuch`` now fails before the matcher or a Dask cluster starts. A patched
papermill, matcher and cluster prove that no work started (no timings).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main

KIEV = "Officials in Kiev said the talks went on."
ROWS = [{"outlet": "BBC", "text": KIEV, "section": "world"}, {"outlet": "RT", "text": KIEV, "section": "news"}]
KINDS = ["csv", "jsonl", "parquet", "shards", "txt"]


def _corpus(tmp_path: Path, kind: str) -> Path:
    rows = pd.DataFrame(ROWS)
    if kind == "csv":
        path = tmp_path / "a.csv"
        rows.to_csv(path, index=False)
    elif kind == "jsonl":
        path = tmp_path / "a.jsonl"
        rows.to_json(path, orient="records", lines=True)
    elif kind == "parquet":
        path = tmp_path / "a.parquet"
        rows.to_parquet(path)
    elif kind == "shards":
        path = tmp_path / "shards"
        (path / "b").mkdir(parents=True)
        rows[:1].to_csv(path / "a.csv", index=False)
        rows[1:].to_json(path / "b" / "c.jsonl", orient="records", lines=True)
    else:
        path = tmp_path / "articles"
        path.mkdir()
        for i, row in enumerate(ROWS):
            (path / f"{i}.txt").write_text(row["text"])
        meta = rows.drop(columns="text").assign(file=[f"{i}.txt" for i in range(len(ROWS))])
        meta.to_csv(path / "metadata.csv", index=False)
    return path


@pytest.fixture()
def no_kernel(monkeypatch):
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started"))


@pytest.fixture()
def no_matcher(monkeypatch):
    import framing.match.count as fcount
    import framing.match.find as ffind

    def boom(*args, **kwargs):
        pytest.fail("the matcher started before --by was checked")

    for module in (ffind, fcount):
        monkeypatch.setattr(module, "compile_lexicon", boom)


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("kind", KINDS)
def test_report_groups_nosuch_fails_before_the_kernel(kind, tmp_path, no_kernel, capsys):
    path = _corpus(tmp_path, kind)
    assert main(["report", str(path), "--groups", "BBC,NoSuch", "--out", str(tmp_path / "out")]) == 2
    err = _one_line(capsys)
    assert "no articles for outlet ['NoSuch'] (--groups); the outlet values are ['BBC', 'RT']" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_report_by_a_missing_column_fails_before_the_kernel(kind, tmp_path, no_kernel, capsys):
    path = _corpus(tmp_path, kind)
    assert main(["report", str(path), "--by", "country", "--out", str(tmp_path / "out")]) == 2
    err = _one_line(capsys)
    assert "no column 'country' in the corpus to group by (--by); the columns are ['doc_id', 'outlet'" in err


@pytest.mark.parametrize("kind", KINDS)
def test_report_groups_of_another_by_column(kind, tmp_path, no_kernel, capsys):
    path = _corpus(tmp_path, kind)
    assert main(["report", str(path), "--by", "section", "--groups", "world,sport", "--out", str(tmp_path / "o")]) == 2
    assert "no articles for section ['sport'] (--groups); the section values are ['news', 'world']" in _one_line(capsys)


@pytest.mark.parametrize("kind", KINDS)
def test_count_by_a_missing_column_fails_before_the_matcher(kind, tmp_path, no_matcher, capsys):
    path = _corpus(tmp_path, kind)
    out = tmp_path / "counts.csv"
    assert main(["count", str(path), "--by", "country", "-o", str(out)]) == 2
    err = _one_line(capsys)
    assert "no column 'country' in the corpus to group by (--by)" in err
    assert not out.exists()


def test_count_by_doc_id_fails_before_the_matcher(tmp_path, no_matcher, capsys):
    path = _corpus(tmp_path, "csv")
    assert main(["count", str(path), "--by", "doc_id", "-o", str(tmp_path / "c.csv")]) == 2
    assert "no column 'doc_id' in the corpus to group by (--by); the columns are ['outlet'" in _one_line(capsys)


@pytest.mark.parametrize("kind", ["csv", "shards"])
def test_count_by_another_column_still_counts(kind, tmp_path, capsys):
    path = _corpus(tmp_path, kind)
    out = tmp_path / "counts.csv"
    assert main(["count", str(path), "--by", "section", "-o", str(out)]) == 0
    assert set(pd.read_csv(out)["group"]) == {"news", "world"}


def test_count_on_dask_checks_by_before_the_cluster_starts(tmp_path, monkeypatch, capsys):
    import framing.distributed as fdist

    monkeypatch.setattr(fdist, "connect", lambda *a, **k: pytest.fail("a cluster was started"))
    path = _corpus(tmp_path, "shards")
    assert main(["count", str(path), "--by", "country", "--scheduler", "auto", "-o", str(tmp_path / "c.csv")]) == 2
    assert "no column 'country'" in _one_line(capsys)


def test_corpus_and_audit_check_by_before_loading(tmp_path, monkeypatch, capsys):
    import framing.corpus as fcorpus

    monkeypatch.setattr(fcorpus, "load_corpus", lambda *a, **k: pytest.fail("the corpus was loaded"))
    path = _corpus(tmp_path, "jsonl")
    assert main(["corpus", str(path), "--by", "country"]) == 2
    assert "no column 'country'" in _one_line(capsys)
    assert main(["lexicon", "audit", "russia-ukraine", str(path), "--by", "country"]) == 2
    assert "no column 'country'" in _one_line(capsys)


def test_report_checks_voice_and_seed_in_the_api(tmp_path, no_kernel):
    from framing import ArgumentError, render_report

    path = _corpus(tmp_path, "csv")
    with pytest.raises(ArgumentError, match=r"unknown voices \(--voice\) 'loud'"):
        render_report(path, tmp_path / "out", voices=["loud"], progress=False)
    with pytest.raises(ArgumentError, match=r"seed \(--seed\) must be a whole number of at least 0, not -1"):
        render_report(path, tmp_path / "out", seed=-1, progress=False)
    assert not (tmp_path / "out").exists()
