"""framing.distributed: counts and hits on a real LocalCluster equal the in-memory path, faults included."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

import framing
from framing import CorpusError, FramingError, load_corpus
from framing.distributed import connect, count_hits, find_hits

from .conftest import SEED

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow  # a LocalCluster of 2 worker processes: ~30 s for the module

LEX = "russia-ukraine"
CHUNK = 3  # several chunks per shard, so partial counts are summed within and across shards
COLUMNS = ["doc_id", "outlet", "title", "published", "url", "text"]


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as cl:
        yield cl


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


def _variants(seed: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` synthetic articles: the seed articles with other outlets, dates and wordings."""
    swaps = [("Kyiv", "Kiev"), ("invasion", "special military operation"), ("Kiev", "Kyiv"),
             ("war", "conflict"), ("referendums", "so-called referendums")]
    rows = []
    for i in range(n):
        base = seed.iloc[i % len(seed)]
        old, new = swaps[i % len(swaps)]
        text = base["text"].replace(old, new)
        if i % 4 == 0:
            text += f'\n\n"The {new} goes on," an official said.'
        rows.append({"doc_id": f"syn-{i:03d}", "outlet": ["RT", "Reuters", "Outlet X"][i % 3],
                     "title": f"{base['title']} ({new})", "published": base["published"] + pd.Timedelta(days=i),
                     "url": f"https://example.org/{i}", "text": text})
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    seed = load_corpus(SEED).reset_index()[COLUMNS]
    return pd.concat([seed, _variants(seed, 31)], ignore_index=True)


def _write_shards(articles: pd.DataFrame, folder) -> None:
    """Five shards in three formats and two sub-folders: Parquet, CSV, CSV.gz, JSONL."""
    parts = [articles.iloc[i::5] for i in range(5)]
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    parts[0].to_parquet(folder / "a" / "part-000.parquet", index=False)
    parts[1].to_parquet(folder / "a" / "part-001.parquet", index=False)
    parts[2].to_csv(folder / "b" / "part-002.csv", index=False)
    parts[3].to_csv(folder / "b" / "part-003.csv.gz", index=False)
    parts[4].to_json(folder / "part-004.jsonl", orient="records", lines=True, date_format="iso")


@pytest.fixture(scope="module")
def shards(articles, tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards")
    _write_shards(articles, folder)
    return folder


@pytest.fixture(scope="module")
def in_memory(shards):
    return load_corpus(shards)


@pytest.fixture
def bad_shards(articles, tmp_path):
    """The shards plus one CSV with a record of too many fields and one JSONL with a broken line."""
    folder = tmp_path / "bad"
    _write_shards(articles, folder)
    extra = _variants(articles, 4).assign(doc_id=lambda d: "bad-" + d["doc_id"])
    csv = folder / "b" / "part-005.csv"
    extra.to_csv(csv, index=False)
    with open(csv, "a", encoding="utf-8") as fh:
        fh.write('bad-x,RT,A title,2022-01-01,https://example.org/x,Kiev said,one field too many\n')
    jsonl = folder / "part-006.jsonl"
    extra.assign(doc_id=lambda d: d["doc_id"] + "-j").to_json(jsonl, orient="records", lines=True,
                                                              date_format="iso")
    with open(jsonl, "a", encoding="utf-8") as fh:
        fh.write('{"doc_id": "bad-y", "outlet": "RT", "text": "Kiev\n')
    return folder, csv, jsonl


# ------------------------------------------------------------------------------ identical counts
@pytest.mark.parametrize("by, voice", [("outlet", None), ("outlet", "authorial"),
                                       ("outlet", ["quoted", "distanced"]), ("published", None)])
def test_counts_equal_in_memory(client, shards, in_memory, by, voice):
    counts = count_hits(shards, LEX, by=by, voice=voice, scheduler=client, chunksize=CHUNK)
    expected = framing.count_hits(in_memory, LEX, by=by, voice=voice)
    assert len(expected) > 20
    assert_frame_equal(counts, expected)


def test_counts_equal_streaming_single_process(client, shards):
    counts = count_hits(shards, LEX, scheduler=client, chunksize=CHUNK)
    assert_frame_equal(counts, framing.count_hits(shards, LEX, chunksize=CHUNK))


def test_summary_in_attrs(client, shards, in_memory):
    counts = count_hits(shards, LEX, scheduler=client, chunksize=CHUNK)
    assert counts.attrs["n_files"] == 5
    assert counts.attrs["n_articles"] == len(in_memory) == 36
    assert counts.attrs["n_docs"] == framing.count_hits(in_memory, LEX).attrs["n_docs"]
    assert counts.attrs["n_skipped"] == 0 and counts.attrs["skipped"] == []
    assert counts.attrs["n_skipped_files"] == 0
    assert [f["file"] for f in counts.attrs["files"]] == framing.input_files(in_memory)["file"].tolist()


def test_seed_folder_by_scheduler_address(cluster, seed_corpus):
    counts = count_hits(SEED, LEX, scheduler=cluster.scheduler_address)
    assert_frame_equal(counts, framing.count_hits(seed_corpus, LEX))


def _children() -> set[int]:
    import psutil

    def helper(p) -> bool:  # Python's multiprocessing resource tracker lives until the interpreter exits
        try:
            return "multiprocessing.resource_tracker" in " ".join(p.cmdline())
        except psutil.Error:
            return True

    return {p.pid for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE and not helper(p)}


def test_default_starts_and_closes_a_local_cluster(shards, in_memory):
    before = _children()
    counts = count_hits(shards, LEX, n_workers=1, chunksize=CHUNK)
    assert_frame_equal(counts, framing.count_hits(in_memory, LEX))
    # its worker process is gone (a loaded machine may take a moment to reap it); the first cluster of a
    # test process also starts multiprocessing's resource tracker, which is not the cluster's (the
    # clean-clone CI saw it when this test ran first on its xdist worker)
    import time

    deadline = time.monotonic() + 10
    while not _children() <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _children() <= before


def test_local_cluster_workers_keep_glibc_memory_trimming(monkeypatch):
    """framing's LocalCluster does not give its workers Dask's MALLOC_TRIM_THRESHOLD_=65536 (it makes
    counting ~25% slower), also when an earlier Dask nanny of this process left that value in the
    environment: a worker sees the value the environment held when framing was imported (usually none)."""
    import framing.distributed as fd

    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")  # what a plain Dask cluster leaves behind
    with connect(n_workers=1) as c:
        seen = set(c.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values())
    assert seen == {fd._OWN_TRIM}
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"  # the environment is given back as it was


def test_connect_uses_a_given_client_as_is(client):
    with connect(client) as c:
        assert c is client
    assert client.status == "running"


def test_fsspec_url_source(client, shards, in_memory):
    counts = count_hits(f"file://{shards}", LEX, scheduler=client, chunksize=CHUNK)
    assert_frame_equal(counts, framing.count_hits(in_memory, LEX))
    assert counts.attrs["files"][0]["file"].startswith("file://")


def test_no_hits_gives_the_in_memory_empty_table(client, shards, in_memory):
    lex = framing.Lexicon.from_dict({"name": "none", "contrasts": {"x": {"label": "x", "variants": {
        "a": {"patterns": ["zzqqx"]}, "b": {"patterns": ["qqzzy"]}}}}})
    counts = count_hits(shards, lex, scheduler=client, chunksize=CHUNK)
    assert_frame_equal(counts, framing.count_hits(in_memory, lex))


def test_lexicon_compiled_once_per_worker(client, shards):
    from framing.match import compiled

    def misses():
        return compiled.compiled_cached.misses

    before = client.run(misses)
    count_hits(shards, LEX, scheduler=client, chunksize=CHUNK)  # 5 files x 2-3 chunks
    after = client.run(misses)
    assert all(after[w] - before.get(w, 0) <= 1 for w in after)
    count_hits(shards, LEX, scheduler=client, chunksize=CHUNK)  # a new copy of the same lexicon
    assert client.run(misses) == after


# ------------------------------------------------------------------------------ faults
def _install_killer(marker: str) -> None:
    """On a worker: the second chunk counted kills this worker process, once in the whole cluster."""
    import framing.distributed as fd

    original = getattr(fd, "_original_count_chunk", fd._count_chunk)
    calls = []

    def killer(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            try:
                fd_ = os.open(marker, os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                pass
            else:
                os.close(fd_)
                os._exit(1)
        return original(*args, **kwargs)

    fd._original_count_chunk = original
    fd._count_chunk = killer


def _remove_killer() -> None:
    import framing.distributed as fd

    if hasattr(fd, "_original_count_chunk"):
        fd._count_chunk = fd._original_count_chunk


def test_killed_worker_does_not_change_counts(client, shards, in_memory, tmp_path):
    marker = tmp_path / "killed"
    client.wait_for_workers(2)
    pids_before = set(client.run(os.getpid).values())
    client.run(_install_killer, str(marker))
    try:
        counts = count_hits(shards, LEX, scheduler=client, chunksize=CHUNK)
    finally:
        client.run(_remove_killer)
    assert marker.exists()  # a worker process did die mid-file
    client.wait_for_workers(2, timeout=60)
    assert len(set(client.run(os.getpid).values()) - pids_before) == 1  # and was replaced
    assert_frame_equal(counts, framing.count_hits(in_memory, LEX))
    assert counts.attrs["n_articles"] == len(in_memory)


def test_worker_dying_every_time_is_one_clear_error(shards, tmp_path):
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1,
                                     dashboard_address=":0") as cl, distributed.Client(cl) as c:
        c.run(_install_killer, str(tmp_path / "killed"))
        with pytest.raises(FramingError, match=r"part-00\d\.\S+: the worker process reading this file died"):
            count_hits(shards, LEX, scheduler=c, chunksize=CHUNK)


@pytest.mark.parametrize("which", ["csv", "jsonl"])
def test_bad_record_fails_with_file_and_line(client, bad_shards, which):
    folder, csv, jsonl = bad_shards
    bad = csv if which == "csv" else jsonl
    (jsonl if which == "csv" else csv).unlink()
    with pytest.raises(CorpusError) as local:
        list(framing.iter_corpus(bad))
    with pytest.raises(CorpusError) as info:
        count_hits(folder, LEX, scheduler=client, chunksize=CHUNK)
    assert str(info.value) == str(local.value)
    assert bad.name in str(info.value) and ", line " in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__  # no Dask traceback


def test_bad_records_skipped_and_counted(client, bad_shards):
    folder = bad_shards[0]
    counts = count_hits(folder, LEX, scheduler=client, chunksize=CHUNK, skip_bad=True)
    corpus = load_corpus(folder, skip_bad=True)
    assert_frame_equal(counts, framing.count_hits(corpus, LEX))
    skipped = pd.DataFrame(counts.attrs["skipped"])
    expected = framing.dropped_documents(corpus)
    assert counts.attrs["n_skipped"] == len(expected) == 2
    assert skipped[["source_file", "line"]].values.tolist() == expected[["source_file", "line"]].values.tolist()
    assert {"part-005.csv", "part-006.jsonl"} == {os.path.basename(f) for f in skipped["source_file"]}
    assert counts.attrs["n_articles"] == len(corpus)


def test_unreadable_shard_fails_or_is_skipped(client, shards, in_memory, tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(shards, folder)
    broken = folder / "a" / "part-000b.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(CorpusError, match=r"part-000b\.parquet: not a readable Parquet file"):
        count_hits(folder, LEX, scheduler=client, chunksize=CHUNK)
    counts = count_hits(folder, LEX, scheduler=client, chunksize=CHUNK, skip_bad=True)
    assert_frame_equal(counts, framing.count_hits(in_memory, LEX))
    assert counts.attrs["n_skipped_files"] == 1
    [entry] = counts.attrs["skipped_files"]
    assert entry["file"] == str(broken) and "not a readable Parquet file" in entry["reason"]


def test_missing_group_column_fails_even_with_skip_bad(client, shards):
    with pytest.raises(CorpusError, match="no column 'section' to group by"):
        count_hits(shards, LEX, by="section", scheduler=client, skip_bad=True)


def test_unknown_voice_fails_before_the_run(client, shards):
    with pytest.raises(FramingError, match="unknown voice 'reported'"):
        count_hits(shards, LEX, voice="reported", scheduler=client)


def test_unreachable_scheduler_is_one_clear_error():
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(FramingError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        count_hits(SEED, LEX, scheduler="tcp://127.0.0.1:9")


# ------------------------------------------------------------------------------ the one entry point
def test_entry_point_counts_on_dask_with_a_scheduler(client, shards):
    on_dask = framing.count_hits(shards, LEX, voice="authorial", scheduler=client, chunksize=CHUNK)
    assert on_dask.attrs["n_files"] == 5  # the Dask run's summary: the in-process count has no n_files
    assert_frame_equal(on_dask, count_hits(shards, LEX, voice="authorial", scheduler=client, chunksize=CHUNK))
    assert_frame_equal(on_dask, framing.count_hits(shards, LEX, voice="authorial", chunksize=CHUNK))
    assert "n_files" not in framing.count_hits(shards, LEX, chunksize=CHUNK).attrs  # no scheduler: in process


def test_entry_point_writes_the_hits_and_counts_on_dask(client, shards, tmp_path):
    on_dask = framing.write_hits(shards, LEX, tmp_path / "hits", by="outlet", voice="authorial", scheduler=client,
                                 chunksize=CHUNK)
    local = framing.write_hits(shards, LEX, tmp_path / "hits.parquet", by="outlet", voice="authorial",
                               chunksize=CHUNK)
    assert (tmp_path / "hits").is_dir() and on_dask["path"] == str(tmp_path / "hits")
    assert_frame_equal(pd.read_parquet(on_dask["path"]), pd.read_parquet(local["path"]))
    assert_frame_equal(on_dask["counts"], local["counts"])
    assert_frame_equal(on_dask["counts"], framing.count_hits(shards, LEX, voice="authorial", chunksize=CHUNK))
    for key in ("n_hits", "n_articles", "n_skipped", "skipped", "n_skipped_files", "skipped_files"):
        assert on_dask[key] == local[key], key
    assert on_dask["parts"]["n_hits"].sum() == local["n_hits"] > 0
    assert framing.write_hits(shards, LEX, tmp_path / "hits", scheduler=client)["counts"] is None  # no by


def test_entry_point_with_a_scheduler_needs_a_source(client, in_memory, shards):
    with pytest.raises(framing.ArgumentError, match="not a DataFrame"):
        framing.count_hits(in_memory, LEX, scheduler=client)
    with pytest.raises(framing.ArgumentError, match="exclude_shared"):
        framing.count_hits(shards, LEX, scheduler=client, exclude_shared=True)


NO_HITS = {"name": "none", "contrasts": {"x": {"label": "x", "variants": {
    "a": {"patterns": ["zzqqx"]}, "b": {"patterns": ["qqzzy"]}}}}}


@pytest.mark.parametrize("lexicon", [LEX, "no hits"])
def test_hits_parquet_has_one_schema_in_memory_streaming_and_on_dask(client, shards, tmp_path, lexicon):
    import pyarrow.parquet as pq

    from framing.match.table import HITS_SCHEMA

    lex = framing.Lexicon.from_dict(NO_HITS) if lexicon == "no hits" else lexicon
    one_chunk = framing.write_hits(shards, lex, tmp_path / "one.parquet")  # each shard one chunk
    streamed = framing.write_hits(shards, lex, tmp_path / "streamed.parquet", chunksize=CHUNK)
    on_dask = framing.write_hits(shards, lex, tmp_path / "dask", scheduler=client, chunksize=CHUNK)
    schemas = [pq.read_schema(one_chunk["path"]), pq.read_schema(streamed["path"]),
               *(pq.read_schema(p) for p in sorted((tmp_path / "dask").glob("part-*.parquet")))]
    assert len(schemas) > 5  # every part of the dataset too
    for schema in schemas:
        assert schema.equals(HITS_SCHEMA, check_metadata=True)
    frames = [pd.read_parquet(one_chunk["path"]), pd.read_parquet(streamed["path"]),
              pd.read_parquet(on_dask["path"])]
    assert len(frames[0]) == one_chunk["n_hits"] and (len(frames[0]) > 0) == (lexicon == LEX)
    expected = framing.find_hits(load_corpus(shards), lex)
    dtypes = framing.find_hits(load_corpus(SEED), LEX).dtypes  # of a table with hits, even with none
    for frame in frames:
        assert_frame_equal(frame, frames[0])
        assert_series_equal(frame.dtypes, dtypes)
    assert_frame_equal(frames[0], expected, check_dtype=len(expected) > 0)  # pandas infers object when empty


def _count_reads(log: str) -> None:
    """On a worker: every input a task reads appends a line to ``log``."""
    import framing.distributed as fd

    original = getattr(fd, "_original_chunks", fd._chunks)

    def counted(path, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")
        return original(path, *args, **kwargs)

    fd._original_chunks = original
    fd._chunks = counted


def _restore_reads() -> None:
    import framing.distributed as fd

    if hasattr(fd, "_original_chunks"):
        fd._chunks = fd._original_chunks


def test_cli_count_with_hits_on_dask_reads_the_corpus_once(cluster, client, shards, tmp_path):
    from framing.cli import main

    log = tmp_path / "reads.log"
    client.run(_count_reads, str(log))
    try:
        assert main(["count", str(shards), "-o", str(tmp_path / "counts.csv"), "--hits", str(tmp_path / "hits"),
                     "--scheduler", cluster.scheduler_address, "--chunksize", str(CHUNK)]) == 0
    finally:
        client.run(_restore_reads)
    reads = log.read_text(encoding="utf-8").splitlines()
    assert len(reads) == len(set(reads)) == 5  # each of the five shards once: counted while writing the hits
    assert main(["count", str(shards), "-o", str(tmp_path / "local.csv"), "--hits", str(tmp_path / "local.parquet"),
                 "--chunksize", str(CHUNK)]) == 0
    assert (tmp_path / "counts.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    assert_frame_equal(pd.read_parquet(tmp_path / "hits"), pd.read_parquet(tmp_path / "local.parquet"))


# ------------------------------------------------------------------------------ hits
def _sorted(hits: pd.DataFrame) -> pd.DataFrame:
    return hits.sort_values(["doc_id", "field", "start", "contrast"], kind="stable").reset_index(drop=True)


def test_hits_dataset_equals_in_memory(client, shards, in_memory, tmp_path):
    out = tmp_path / "hits.parquet"
    parts = find_hits(shards, LEX, out, scheduler=client, chunksize=CHUNK)
    expected = framing.find_hits(in_memory, LEX)
    hits = pd.read_parquet(out)
    assert_frame_equal(_sorted(hits), _sorted(expected))
    assert_frame_equal(hits, expected)  # part names in order are the corpus order
    assert parts.attrs["path"] == str(out) and parts.attrs["n_hits"] == len(expected)
    assert parts.attrs["n_articles"] == len(in_memory)
    assert sorted(p.name for p in out.iterdir()) == parts["part"].tolist()
    assert parts["part"].iloc[0] == "part-00000-00000.parquet"
    assert parts["n_articles"].sum() == len(in_memory)


def test_hits_rerun_needs_overwrite_and_gives_the_same_parts(client, shards, tmp_path):
    out = tmp_path / "hits"
    first = find_hits(shards, LEX, out, scheduler=client, chunksize=CHUNK)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(FramingError, match="not empty"):
        find_hits(shards, LEX, out, scheduler=client, chunksize=CHUNK)
    again = find_hits(shards, LEX, out, scheduler=client, chunksize=CHUNK, overwrite=True)
    assert_frame_equal(first, again)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # byte for byte


def test_failed_hits_run_leaves_no_parts(client, bad_shards, tmp_path):
    out = tmp_path / "hits"
    with pytest.raises(CorpusError, match=", line "):
        find_hits(bad_shards[0], LEX, out, scheduler=client, chunksize=CHUNK)
    assert not list(out.glob("part-*.parquet"))


def test_hits_with_skip_bad(client, bad_shards, tmp_path):
    out = tmp_path / "hits"
    parts = find_hits(bad_shards[0], LEX, out, scheduler=client, chunksize=CHUNK, skip_bad=True)
    expected = framing.find_hits(load_corpus(bad_shards[0], skip_bad=True), LEX)
    assert_frame_equal(pd.read_parquet(out), expected)
    assert parts.attrs["n_skipped"] == 2


def test_a_listing_the_scheduler_cancelled_is_submitted_again(client, monkeypatch, seed_corpus):
    # under heavy load the scheduler can cancel a step (a dropped connection); the file listing only reads,
    # so it is submitted again instead of failing the run (a write step is never repeated)
    real_submit = client.submit
    submitted = []

    def submit(*args, **kwargs):
        future = real_submit(*args, **kwargs)
        key = kwargs.get("key", "")
        if key.startswith("framing-list_files-"):
            submitted.append(key)
            if len(submitted) == 1:
                future.cancel()
        return future

    monkeypatch.setattr(client, "submit", submit)
    counts = count_hits(SEED, "russia-ukraine", scheduler=client)
    monkeypatch.undo()
    assert len(submitted) == 2 and submitted[0] != submitted[1]
    assert_frame_equal(counts, framing.count_hits(seed_corpus, "russia-ukraine"), check_like=True)
