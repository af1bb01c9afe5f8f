"""Issue 9, the input half: every case failed (or gave wrong data) on the code before the fix.

Cases 4-8 (duplicate ids, mixed encodings, dates, what a folder holds, wrong types and reserved
columns) and the input tracebacks (unreadable files, corrupt gzip, a lone surrogate, a long field
beside a bad row, --groups checked before the kernel starts). Unreadable files are made with a
patched ``open``/``os.scandir`` (tests may run as root, whom permissions do not stop) and, for the
Dask workers, with a link to ``/proc/self/mem`` (reading it fails with EIO).
"""

from __future__ import annotations

import builtins
import bz2
import errno
import gzip
import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from framing import (
    CorpusError,
    count_hits,
    dropped_documents,
    input_files,
    iter_corpus,
    load_corpus,
)
from framing.cli import main

ARTICLE = "Kremlin spokesman Dmitry Peskov said talks with Kyiv were possible. The war went on."
KIEV = "Officials in Kiev said the talks went on."


def _csv(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _unreadable(monkeypatch, target: Path, exc: OSError) -> None:
    """``open(target)`` raises ``exc`` (as a disk or a permission would)."""
    real = builtins.open
    target = str(target)

    def fake(file, *args, **kwargs):
        if str(file) == target:
            raise exc
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake)


def _eio_link(path: Path) -> bool:
    """A file whose reading fails with EIO in any process (a link to /proc/self/mem)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        with open("/proc/self/mem", "rb") as fh:
            fh.read(1)
    except OSError as exc:
        if exc.errno == errno.EIO:
            path.symlink_to("/proc/self/mem")
            return True
    return False


# ------------------------------------------------------------------------ 4: duplicate doc ids
@pytest.fixture()
def copied_shard(tmp_path):
    folder = tmp_path / "shards"
    _csv(folder / "a.csv", [{"doc_id": "d1", "outlet": "BBC", "text": KIEV}, {"doc_id": "d2", "outlet": "RT", "text": KIEV}])
    (folder / "copy").mkdir()
    (folder / "copy" / "a.csv").write_bytes((folder / "a.csv").read_bytes())
    return folder


def test_4_copied_shard_is_an_error_when_streaming(copied_shard):
    with pytest.raises(CorpusError, match=r"duplicate doc_id 'd1': .*a\.csv, line 2 and .*copy/a\.csv, line 2"):
        count_hits(copied_shard, "russia-ukraine", chunksize=1)


def test_4_copied_shard_with_skip_bad_counts_once_and_lists_the_copies(copied_shard):
    counts = count_hits(copied_shard, "russia-ukraine", chunksize=1, skip_bad=True)
    assert counts.attrs["n_articles"] == 2
    assert [s["doc_id"] for s in counts.attrs["skipped"]] == ["d1", "d2"]
    assert counts["n_hits"].sum() == count_hits(load_corpus(copied_shard / "a.csv"), "russia-ukraine")["n_hits"].sum()


def test_4_repeated_id_in_one_file_is_rejected_at_every_chunk_size(tmp_path):
    path = _csv(tmp_path / "a.csv", [{"doc_id": i, "outlet": "A", "text": KIEV} for i in ("x", "y", "x")])
    for chunksize in (1, 2, 10_000):
        with pytest.raises(CorpusError, match="duplicate doc_id 'x'"):
            list(iter_corpus(path, chunksize=chunksize))


def test_4_default_ids_of_same_named_files_do_not_collide(tmp_path):
    _csv(tmp_path / "a" / "articles.csv", [{"outlet": "A", "text": KIEV}])
    _csv(tmp_path / "b" / "articles.csv", [{"outlet": "B", "text": KIEV}])
    _csv(tmp_path / "x.csv", [{"outlet": "C", "text": KIEV}])
    pd.DataFrame([{"outlet": "D", "text": KIEV}]).to_json(tmp_path / "x.jsonl", orient="records", lines=True)
    c = load_corpus(tmp_path)
    assert sorted(c.index) == ["a/articles-000001", "b/articles-000001", "x.csv-000001", "x.jsonl-000001"]


@pytest.mark.slow
def test_4_dask_path_rejects_a_copied_shard_and_skips_copies_with_skip_bad(copied_shard, tmp_path):
    from framing import distributed as fdist

    corrupt = tmp_path / "corrupt"
    _csv(corrupt / "a.csv", [{"doc_id": "z", "outlet": "A", "text": KIEV}])
    data = gzip.compress(("doc_id,outlet,text\n" + "".join(f"q{i},B,{KIEV}\n" for i in range(2000))).encode())
    (corrupt / "b.csv.gz").write_bytes(data[: len(data) // 2])
    eio = _eio_link(corrupt / "c.csv")
    with fdist.connect(n_workers=1) as client:
        with pytest.raises(CorpusError, match="duplicate doc_id 'd1'"):
            fdist.count_hits(copied_shard, "russia-ukraine", scheduler=client, chunksize=1)
        counts = fdist.count_hits(copied_shard, "russia-ukraine", scheduler=client, chunksize=1, skip_bad=True)
        assert counts.attrs["n_articles"] == 2 and len(counts.attrs["skipped"]) == 2
        counts = fdist.count_hits(corrupt, "russia-ukraine", scheduler=client, skip_bad=True)
        assert counts.attrs["n_articles"] == 1
        reasons = " ".join(f["reason"] for f in counts.attrs["skipped_files"])
        assert "corrupt or truncated" in reasons and (not eio or "input/output error" in reasons)


# ------------------------------------------------------------------------ 5: mixed encodings
def test_5_mixed_utf8_and_cp1252_rows_are_decoded_per_row(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("outlet,text\nBBC,Kyiv’s mayor spoke.\n".encode() + "RT,Kiev’s mayor spoke.\n".encode("cp1252"))
    c = load_corpus(path)
    assert c["text"].tolist() == ["Kyiv’s mayor spoke.", "Kiev’s mayor spoke."]
    assert c["encoding"].tolist() == ["utf-8", "cp1252"]


def test_5_mixed_rows_that_cannot_be_told_name_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("outlet,text\nBBC,Kyiv’s mayor.\n".encode() + b"RT,caf\x81\x8d\x90 broken\n")
    with pytest.raises(CorpusError, match=r"mixed\.csv, line 3: this line is not UTF-8 while other lines are"):
        load_corpus(path)


# ------------------------------------------------------------------------ 6: dates
def test_6_epoch_numbers_in_jsonl_and_int64_parquet(tmp_path):
    (tmp_path / "e.jsonl").write_text(json.dumps({"outlet": "A", "text": KIEV, "date": 1646092800}) + "\n")
    assert load_corpus(tmp_path / "e.jsonl")["published"].tolist() == [pd.Timestamp("2022-03-01")]
    pd.DataFrame({"outlet": ["A"], "text": [KIEV], "date": [1646092800123]}).to_parquet(tmp_path / "e.parquet")
    assert load_corpus(tmp_path / "e.parquet")["published"].tolist() == [pd.Timestamp("2022-03-01 00:00:00.123")]


def test_6_out_of_range_date_is_a_corpus_error_naming_the_line(tmp_path):
    path = _csv(tmp_path / "old.csv", [{"outlet": "A", "text": KIEV, "date": "2022-01-01"},
                                       {"outlet": "B", "text": KIEV, "date": "1500-01-01"}])
    with pytest.raises(CorpusError, match=r"old\.csv, line 3: column 'date' holds '1500-01-01', outside .*1677-2262"):
        load_corpus(path)
    assert len(load_corpus(path, skip_bad=True)) == 1


# ------------------------------------------------------------------------ 7: what a folder holds
def test_7_unreadable_subfolder_is_an_error_or_skipped_and_listed(tmp_path, monkeypatch):
    _csv(tmp_path / "a.csv", [{"outlet": "A", "text": KIEV}])
    _csv(tmp_path / "locked" / "b.csv", [{"outlet": "B", "text": KIEV}])
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(CorpusError, match=r"locked: cannot list this folder \(Permission denied\)"):
        load_corpus(tmp_path)
    c = load_corpus(tmp_path, skip_bad=True)
    assert len(c) == 1 and dropped_documents(c)["source_file"].str.endswith("locked").tolist() == [True]


def test_7_symlinked_folders_are_followed_once(tmp_path):
    real = tmp_path / "elsewhere"
    _csv(real / "b.csv", [{"outlet": "B", "text": KIEV}])
    corpus = tmp_path / "corpus"
    _csv(corpus / "a.csv", [{"outlet": "A", "text": KIEV}])
    (corpus / "linked").symlink_to(real, target_is_directory=True)
    (real / "back").symlink_to(corpus, target_is_directory=True)  # a loop
    c = load_corpus(corpus)
    assert sorted(c.index) == ["a-000001", "linked/b-000001"]
    assert input_files(c).query("role == 'ignored'")["file"].str.endswith("back").tolist() == [True]


def test_7_every_readable_file_is_read_or_listed_by_one_rule(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    pd.DataFrame({"file": ["a.txt"], "outlet": ["T"]}).to_csv(folder / "metadata.csv", index=False)
    (folder / "a.txt").write_text(ARTICLE)
    _csv(folder / "shard.csv", [{"outlet": "S", "text": KIEV}])  # a shard beside metadata.csv
    sub = folder / "sub"
    sub.mkdir()
    (sub / "more.json").write_text(json.dumps([{"outlet": "J", "text": KIEV}]))
    (sub / "more.csv.bz2").write_bytes(bz2.compress(pd.DataFrame([{"outlet": "Z", "text": KIEV}]).to_csv(index=False).encode()))
    (sub / "notes.txt").write_text("A note that is not an article.")  # a .txt with no metadata.csv
    (sub / "README.md").write_text("not read")
    with pytest.raises(CorpusError, match=r"notes\.txt: a \.txt article needs a row in a metadata\.csv"):
        load_corpus(folder)
    c = load_corpus(folder, skip_bad=True)
    assert sorted(c["outlet"]) == ["J", "S", "T", "Z"]
    roles = input_files(c).assign(name=lambda f: f["file"].map(lambda p: Path(p).name)).set_index("name")["role"]
    assert roles["notes.txt"] == "skipped" and roles["README.md"] == "ignored"
    streamed = count_hits(folder, "russia-ukraine", chunksize=1, skip_bad=True)
    assert streamed.attrs["n_articles"] == len(c) and streamed.attrs["n_skipped_files"] == 1
    assert sum(len(ch) for ch in iter_corpus(folder, chunksize=1, skip_bad=True)) == len(c)


# ------------------------------------------------------------------------ 8: types and column names
def test_8_binary_and_list_parquet_columns_are_errors(tmp_path):
    pd.DataFrame({"outlet": ["A"], "text": [b"Kiev attack"]}).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(CorpusError, match=r"b\.parquet: column 'text' is of Parquet type binary, not text"):
        load_corpus(tmp_path / "b.parquet")
    pd.DataFrame({"outlet": ["A"], "text": [["Kiev", "attack"]]}).to_parquet(tmp_path / "l.parquet")
    with pytest.raises(CorpusError, match=r"l\.parquet: column 'text' is of Parquet type list"):
        load_corpus(tmp_path / "l.parquet")


@pytest.mark.parametrize("record", [{"outlet": ["BBC"], "text": KIEV}, {"outlet": "BBC", "text": {"body": KIEV}}])
def test_8_jsonl_lists_or_dicts_as_outlet_or_text_are_errors(tmp_path, record):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"outlet": "A", "text": KIEV}) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(CorpusError, match=r"a\.jsonl, line 2: column '(outlet|text)' holds .*not text"):
        load_corpus(path)


@pytest.mark.parametrize("column", ["source_file", "n_words", "encoding"])
def test_8_reserved_input_columns_are_errors_that_say_how_to_rename(tmp_path, column):
    path = _csv(tmp_path / "a.csv", [{"outlet": "A", "text": KIEV, column: "mine"}])
    with pytest.raises(CorpusError, match=rf"a column '{column}', a name load_corpus computes.*rename it.*'{column}_input'"):
        load_corpus(path)


@pytest.mark.parametrize("header", ["outlet,text,outlet", "outlet,text,text"])
def test_8_duplicate_columns_are_errors(tmp_path, header):
    path = tmp_path / "a.csv"
    path.write_text(f"{header}\nA,{KIEV},B\n")
    with pytest.raises(CorpusError, match=r"duplicate column names .*rename one"):
        load_corpus(path)


# ------------------------------------------------------------------------ tracebacks -> one line
@pytest.mark.parametrize("exc", [PermissionError(errno.EACCES, "Permission denied"), OSError(errno.EIO, "Input/output error")])
def test_unreadable_file_is_one_line_and_skip_bad_lists_it(tmp_path, monkeypatch, capsys, exc):
    _csv(tmp_path / "a.csv", [{"outlet": "BBC", "text": KIEV}])
    bad = _csv(tmp_path / "b.csv", [{"outlet": "RT", "text": KIEV}])
    _unreadable(monkeypatch, bad, exc)
    assert main(["corpus", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "b.csv" in err and ("permission denied" in err or "EIO" in err)
    assert main(["corpus", str(tmp_path), "--skip-bad"]) == 0
    assert "b.csv" in capsys.readouterr().out
    out = tmp_path.parent / f"{tmp_path.name}-counts.csv"  # not inside the corpus folder: it would be read as input
    assert main(["count", str(tmp_path), "-o", str(out), "--skip-bad"]) == 0
    assert "1 files dropped" in capsys.readouterr().err
    assert (tmp_path.parent / f"{tmp_path.name}-counts.skipped.csv").exists()


def test_corrupt_gzip_is_one_line(tmp_path, capsys):
    data = gzip.compress(("outlet,text\n" + f"A,{KIEV}\n" * 3000).encode())
    (tmp_path / "a.csv.gz").write_bytes(data[: len(data) // 2])
    assert main(["count", str(tmp_path / "a.csv.gz"), "-o", str(tmp_path / "c.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "a.csv.gz: the compressed data is corrupt or truncated" in err


def test_lone_surrogate_in_jsonl_names_the_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"outlet": "A", "text": KIEV}) + "\n" + '{"outlet": "B", "text": "bad \\ud800 x"}\n')
    with pytest.raises(CorpusError, match=r"a\.jsonl, line 2: .*unpaired surrogate"):
        load_corpus(path)
    assert len(load_corpus(path, skip_bad=True)) == 1


def test_long_article_beside_one_bad_row_blames_the_bad_row(tmp_path):
    path = tmp_path / "a.csv"
    long = "word " * 40_000  # 200 KB: over the csv module's default field limit
    path.write_text(f'outlet,text\nA,"{long}"\nB,"x",extra\nC,"{KIEV}"\n')
    with pytest.raises(CorpusError, match=r"a\.csv, line 3: the record has 3 fields where the header has 2"):
        load_corpus(path)
    c = load_corpus(path, skip_bad=True)
    assert c["outlet"].tolist() == ["A", "C"] and c["n_words"].iloc[0] == 40_000


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "shards"])
def test_groups_and_by_are_checked_before_the_kernel_for_every_input_kind(tmp_path, fmt):
    from framing.report import preflight, render_report

    rows = pd.DataFrame([{"outlet": "BBC", "text": KIEV, "section": "world"}, {"outlet": "RT", "text": KIEV,
                                                                               "section": "news"}])
    if fmt == "parquet":
        path = tmp_path / "a.parquet"
        rows.to_parquet(path)
    elif fmt == "jsonl":
        path = tmp_path / "a.jsonl"
        rows.to_json(path, orient="records", lines=True)
    else:
        path = tmp_path / "shards"
        _csv(path / "a.csv", rows[:1].to_dict("records"))
        _csv(path / "b" / "c.csv", rows[1:].to_dict("records"))
    with pytest.raises(CorpusError, match=r"no articles for outlet \['NoSuch'\]"):
        render_report(path, tmp_path / "out", groups=["NoSuch"], progress=False)
    assert not (tmp_path / "out").exists()
    for by in ("section", "source_row", "source_sha256", "source_file"):
        preflight(path, "russia-ukraine", by, None, {})
