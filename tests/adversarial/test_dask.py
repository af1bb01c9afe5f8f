"""Issue 9, step 5: Dask faults, on a real LocalCluster.

Killing both workers used to cancel every task ("the cluster lost scattered data": the lexicon
was scattered once and died with the workers); now the lexicon is a task the scheduler reruns and
the file tasks rerun on the restarted workers. A cluster left without workers ends with one line
saying what to do. ``--skip-bad`` on Dask skips and lists unreadable and corrupt files as on one
machine (``count --scheduler auto``).
"""

from __future__ import annotations

import gzip
import os
import threading
import time

import pandas as pd
import pytest

import framing
import framing.distributed
from framing import FramingError
from framing.cli import main

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow  # LocalClusters of worker processes

LEX = "russia-ukraine"
TEXTS = ["Officials in Kiev said the talks went on.", "Russia's special military operation in Ukraine went on.",
         "The war in Kyiv's suburbs went on, a spokesman said."]


def _shards(folder, n_files: int = 4, per_file: int = 6):
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(n_files):
        rows = [{"doc_id": f"f{f}-{i}", "outlet": ["RT", "BBC", "CNN"][(f + i) % 3], "text": TEXTS[(f * i) % 3]}
                for i in range(per_file)]
        pd.DataFrame(rows).to_csv(folder / f"part-{f}.csv", index=False)
    return folder


def _kill_each_worker_once(folder: str, n: int, name: str = "_count_chunk") -> None:
    """On a worker: its second chunk kills the process, until ``n`` workers of the cluster died.

    ``name``: the framing.distributed function each chunk goes through (``_count_chunk`` for counts,
    ``_find_hits_in_memory`` for hits)."""
    import framing.distributed as fd

    original = getattr(fd, f"_original{name}", getattr(fd, name))
    calls = []

    def killer(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            for i in range(n):
                try:
                    handle = os.open(os.path.join(folder, f"killed-{i}"), os.O_CREAT | os.O_EXCL)
                except FileExistsError:
                    continue
                os.close(handle)
                os._exit(1)
        return original(*args, **kwargs)

    setattr(fd, f"_original{name}", original)
    setattr(fd, name, killer)


def _slow_chunks(marker: str) -> None:
    """On a worker: every chunk takes a second; the first one leaves ``marker``."""
    import framing.distributed as fd

    original = getattr(fd, "_original_count_chunk", fd._count_chunk)

    def slow(*args, **kwargs):
        open(marker, "a").close()
        time.sleep(1)
        return original(*args, **kwargs)

    fd._original_count_chunk = original
    fd._count_chunk = slow


def test_losing_every_worker_mid_run_reruns_the_tasks(tmp_path):
    corpus = _shards(tmp_path / "shards")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cl, \
            distributed.Client(cl) as client:
        pids_before = set(client.run(os.getpid).values())
        client.run(_kill_each_worker_once, str(tmp_path), 2)
        counts = framing.distributed.count_hits(corpus, LEX, scheduler=client, chunksize=1)
        assert (tmp_path / "killed-0").exists() and (tmp_path / "killed-1").exists()  # both died mid-run
        client.wait_for_workers(2, timeout=60)
        assert not set(client.run(os.getpid).values()) & pids_before  # every worker is a new process
    expected = framing.count_hits(framing.load_corpus(corpus), LEX)
    pd.testing.assert_frame_equal(counts, expected)
    assert counts.attrs["n_articles"] == 24


def test_hits_survive_losing_every_worker_too(tmp_path):
    corpus = _shards(tmp_path / "shards")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cl, \
            distributed.Client(cl) as client:
        client.run(_kill_each_worker_once, str(tmp_path), 2, "_find_hits_in_memory")
        parts = framing.distributed.find_hits(corpus, LEX, tmp_path / "hits", scheduler=client, chunksize=1)
        assert (tmp_path / "killed-0").exists() and (tmp_path / "killed-1").exists()
    hits = pd.read_parquet(parts.attrs["path"])
    expected = framing.find_hits(framing.load_corpus(corpus), LEX)
    assert len(hits) == parts.attrs["n_hits"] == len(expected)
    assert hits["doc_id"].tolist() == expected["doc_id"].tolist()


def test_no_worker_coming_back_ends_with_one_line(tmp_path, monkeypatch):
    import framing.distributed as fd

    monkeypatch.setattr(fd, "WORKER_WAIT", 2)
    monkeypatch.setattr(fd, "_POLL", 0.2)
    corpus = _shards(tmp_path / "shards", n_files=2, per_file=20)
    marker = tmp_path / "started"
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0") as cl, \
            distributed.Client(cl) as client:
        client.run(_slow_chunks, str(marker))

        def stop_workers():
            while not marker.exists():
                time.sleep(0.1)
            cl.scale(0)

        stopper = threading.Thread(target=stop_workers, daemon=True)
        stopper.start()
        with pytest.raises(FramingError) as info:
            fd.count_hits(corpus, LEX, scheduler=client, chunksize=1)
        stopper.join(timeout=30)
    message = str(info.value)
    assert "\n" not in message
    assert "lost every worker mid-run and none came back within 2 s; start workers (`dask worker tcp://" in message


# ------------------------------------------------------------------------ --skip-bad on Dask
def _eio_link(path) -> bool:
    try:
        with open("/proc/self/mem", "rb") as fh:
            fh.read(1)
    except OSError as exc:
        if exc.errno == 5:
            path.symlink_to("/proc/self/mem")
            return True
    return False


def test_count_scheduler_auto_skip_bad_lists_unreadable_and_corrupt_files(tmp_path, capsys):
    corpus = _shards(tmp_path / "shards", n_files=2)
    data = gzip.compress(("doc_id,outlet,text\n" + "".join(f"z{i},RT,{TEXTS[0]}\n" for i in range(2000))).encode())
    (corpus / "broken.csv.gz").write_bytes(data[: len(data) // 2])
    eio = _eio_link(corpus / "eio.csv")
    out = tmp_path / "counts.csv"
    assert main(["count", str(corpus), "-o", str(out), "--scheduler", "auto"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["count", str(corpus), "-o", str(out), "--scheduler", "auto", "--skip-bad"]) == 0
    err = capsys.readouterr().err
    assert "skipped file " in err and "broken.csv.gz: the compressed data is corrupt or truncated" in err
    assert (not eio) or "eio.csv" in err
    listing = pd.read_csv(tmp_path / "counts.skipped.csv")
    assert listing["source_file"].str.endswith("broken.csv.gz").sum() == 1
    assert len(listing) == 1 + eio
    one_machine = tmp_path / "one.csv"
    assert main(["count", str(corpus), "-o", str(one_machine), "--skip-bad"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(one_machine))
    assert pd.read_csv(tmp_path / "one.skipped.csv")["source_file"].tolist() == listing["source_file"].tolist()
