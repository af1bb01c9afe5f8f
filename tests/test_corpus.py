"""load_corpus: the corpus table, every input format and encoding, and one test per bad input."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import (
    CorpusError,
    cleaning_log,
    corpus_summary,
    dropped_documents,
    input_files,
    iter_corpus,
    load_corpus,
)

from .conftest import SEED, SHARED

ARTICLE = "Kremlin spokesman Dmitry Peskov said talks with Kyiv were possible.\n\nThe war went on."


def _rows(n=3):
    return [
        {"outlet": f"Outlet {i % 2}", "title": f"Headline {i}", "date": f"2022-03-0{i + 1}",
         "url": f"https://example.org/{i}", "text": f"{ARTICLE} Story {i}.", "section": "world"}
        for i in range(n)
    ]


def test_seed_corpus_table(seed_corpus):
    c = seed_corpus
    assert c.index.name == "doc_id"
    assert c.index.is_unique
    assert list(c.columns[:6]) == ["outlet", "title", "published", "url", "text", "n_words"]
    assert {"outlet_country", "notes", "source_file", "source_sha256", "encoding"} <= set(c.columns)
    assert c.loc["003_a08c4a9378959592", "outlet"] == "RT"
    assert str(c["published"].dtype).startswith("datetime64")
    assert c.loc["003_a08c4a9378959592", "published"] == pd.Timestamp("2023-12-05")
    assert pd.isna(c.loc["002_3bcc3b5630e43c4d", "url"])
    sha = hashlib.sha256((SEED / "000_cee673ca099f3711.txt").read_bytes()).hexdigest()
    assert c.loc["000_cee673ca099f3711", "source_sha256"] == sha
    assert (c["n_words"] > 200).all()


def test_seed_files_are_the_shared_seeds_byte_for_byte():
    shared = SHARED / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds absent")
    for f in shared.iterdir():
        assert (SEED / f.name).read_bytes() == f.read_bytes()


def test_input_files_lists_every_file_with_hash(seed_corpus):
    files = input_files(seed_corpus)
    assert len(files) == 7
    assert files.set_index("role").loc["ignored", "file"].endswith("README.md")  # listed, not read
    files = files[files["role"] != "ignored"]
    assert files.set_index("role").loc["metadata", "file"].endswith("metadata.csv")


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "tsv", "jsonl", "parquet"])
def test_table_formats_give_the_same_corpus(tmp_path, fmt):
    df = pd.DataFrame(_rows())
    path = tmp_path / f"articles.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "csv.gz":
        df.to_csv(path, index=False, compression="gzip")
    elif fmt == "tsv":
        df.to_csv(path, index=False, sep="\t")
    elif fmt == "jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(path)
    c = load_corpus(path)
    assert list(c.index) == ["articles-000001", "articles-000002", "articles-000003"]
    assert c["outlet"].tolist() == ["Outlet 0", "Outlet 1", "Outlet 0"]
    assert c["published"].tolist() == [pd.Timestamp(f"2022-03-0{i}") for i in (1, 2, 3)]
    assert c["section"].tolist() == ["world"] * 3
    assert c.loc["articles-000002", "text"].endswith("Story 1.")
    assert c["source_row"].tolist() == ([1, 2, 3])


def test_column_names_are_configurable(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "source": ["X", "Y"], "body": [ARTICLE, ARTICLE],
                       "headline": ["H1", "H2"], "when": ["2022-01-01", "2022-01-02"]})
    df.to_csv(tmp_path / "a.csv", index=False)
    c = load_corpus(tmp_path / "a.csv", text_col="body", outlet_col="source", title_col="headline",
                    date_col="when")
    assert list(c.index) == ["a", "b"]
    assert c["title"].tolist() == ["H1", "H2"]
    assert c["outlet"].tolist() == ["X", "Y"]


def test_folder_of_tables_is_read_in_order(tmp_path):
    pd.DataFrame(_rows(2)).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame(_rows(3)).to_json(tmp_path / "b.jsonl", orient="records", lines=True)
    c = load_corpus(tmp_path)
    assert list(c.index) == ["a-000001", "a-000002", "b-000001", "b-000002", "b-000003"]
    assert len(input_files(c)) == 2


def test_encodings_utf8_bom_and_cp1252_are_recorded(tmp_path):
    text = "“Kyiv” said Zelensky’s office — talks."
    for name, data in [("a.txt", text.encode("utf-8")), ("b.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("c.txt", text.encode("cp1252"))]:
        (tmp_path / name).write_bytes(data)
    pd.DataFrame({"file": ["a.txt", "b.txt", "c.txt"], "outlet": ["A", "B", "C"]}).to_csv(
        tmp_path / "metadata.csv", index=False)
    c = load_corpus(tmp_path)
    assert c["encoding"].tolist() == ["utf-8", "utf-8-sig", "cp1252"]
    assert (c["text"] == text).all()


def test_line_endings_are_normalised(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"First paragraph.\r\n\r\nSecond.\rThird.")
    pd.DataFrame({"file": ["a.txt"], "outlet": ["A"]}).to_csv(tmp_path / "metadata.csv", index=False)
    assert load_corpus(tmp_path).loc["a", "text"] == "First paragraph.\n\nSecond.\nThird."


def test_iter_corpus_chunks_match_load_corpus(tmp_path):
    pd.DataFrame(_rows(5)).to_csv(tmp_path / "a.csv", index=False)
    chunks = list(iter_corpus(tmp_path / "a.csv", chunksize=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    whole = load_corpus(tmp_path / "a.csv")
    pd.testing.assert_frame_equal(pd.concat(chunks), whole)


def test_summary_per_outlet(seed_corpus):
    s = corpus_summary(seed_corpus)
    assert s["n_articles"].sum() == 5
    assert s.set_index("outlet").loc["RT", "n_removed_lines"] == 1
    assert (s["n_words"] == seed_corpus.groupby("outlet")["n_words"].sum().to_numpy()).all()


def test_audit_follows_row_subsets(seed_corpus):
    sub = seed_corpus[seed_corpus["outlet"] == "Reuters"]
    assert set(cleaning_log(sub)["doc_id"]) == {"004_3291864899c34feb"}


# ------------------------------------------------------------------------------------- bad input
def _seed_copy(tmp_path):
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    return folder


def _error(path, **kwargs) -> str:
    with pytest.raises(CorpusError) as err:
        load_corpus(path, **kwargs)
    return str(err.value)


def test_error_path_does_not_exist(tmp_path):
    msg = _error(tmp_path / "nope")
    assert "nope" in msg and "no such file or folder" in msg


def test_error_folder_without_articles(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    msg = _error(tmp_path)
    assert str(tmp_path.name) in msg and "no readable articles" in msg and "metadata.csv" in msg


def test_error_metadata_row_without_file(tmp_path):
    folder = _seed_copy(tmp_path)
    (folder / "001_3f0004297d112331.txt").unlink()
    msg = _error(folder)
    assert "metadata.csv" in msg and "001_3f0004297d112331.txt (line 3)" in msg


def test_error_metadata_row_with_empty_file_name(tmp_path):
    folder = _seed_copy(tmp_path)
    meta = pd.read_csv(folder / "metadata.csv", dtype=str)
    meta.loc[1, "file"] = ""
    meta.to_csv(folder / "metadata.csv", index=False)
    msg = _error(folder)
    assert "metadata.csv" in msg and "lines [3]" in msg


def test_error_file_without_metadata_row(tmp_path):
    folder = _seed_copy(tmp_path)
    (folder / "extra.txt").write_text("An article nobody listed.")
    msg = _error(folder)
    assert "metadata.csv" in msg and "extra.txt" in msg and "without a metadata row" in msg


def test_error_missing_outlet_column_lists_columns(tmp_path):
    pd.DataFrame({"source": ["A"], "text": [ARTICLE]}).to_csv(tmp_path / "a.csv", index=False)
    msg = _error(tmp_path / "a.csv")
    assert "a.csv" in msg and "'outlet'" in msg and "['source', 'text']" in msg and "outlet_col=" in msg


def test_error_missing_text_column_lists_columns(tmp_path):
    pd.DataFrame({"outlet": ["A"], "body": [ARTICLE]}).to_csv(tmp_path / "a.csv", index=False)
    msg = _error(tmp_path / "a.csv")
    assert "'text'" in msg and "['outlet', 'body']" in msg and "text_col=" in msg


def test_error_missing_outlet_value(tmp_path):
    pd.DataFrame({"outlet": ["A", ""], "text": [ARTICLE, ARTICLE]}).to_csv(tmp_path / "a.csv", index=False)
    msg = _error(tmp_path / "a.csv")
    assert "a.csv, line 5" in msg and "no 'outlet'" in msg  # the physical line where row 2 starts


def test_error_duplicate_doc_id(tmp_path):
    pd.DataFrame({"doc_id": ["x", "x"], "outlet": ["A", "B"], "text": [ARTICLE, ARTICLE]}).to_csv(
        tmp_path / "a.csv", index=False)
    msg = _error(tmp_path / "a.csv")
    assert "duplicate doc_id 'x'" in msg and "a.csv, line 2 and" in msg and "a.csv, line 5" in msg


def test_error_empty_after_cleaning_lists_articles(tmp_path):
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, "Advertisement\nShare"]}).to_csv(
        tmp_path / "a.csv", index=False)
    msg = _error(tmp_path / "a.csv")
    assert "a.csv" in msg and "a-000002" in msg and "drop_empty=True" in msg


def test_drop_empty_drops_and_logs(tmp_path):
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, "Advertisement\nShare"]}).to_csv(
        tmp_path / "a.csv", index=False)
    c = load_corpus(tmp_path / "a.csv", drop_empty=True)
    assert list(c.index) == ["a-000001"]
    dropped = dropped_documents(c)
    assert dropped[["doc_id", "line", "reason"]].values.tolist() == [["a-000002", 5, "empty after cleaning"]]


def test_error_malformed_csv_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('outlet,text\nA,"fine"\nB,"too",many,fields\nC,"ok"\n', encoding="utf-8")
    msg = _error(path)
    assert "a.csv, line 3" in msg and "skip_bad=True" in msg


def test_skip_bad_csv_counts_and_lists_the_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('outlet,text\nA,"fine article"\nB,"too",many,fields\nC,"ok article"\n', encoding="utf-8")
    c = load_corpus(path, skip_bad=True)
    assert c["outlet"].tolist() == ["A", "C"]
    dropped = dropped_documents(c)
    assert dropped["line"].tolist() == [3]
    assert dropped["reason"].str.startswith("malformed record").all()


def test_error_malformed_jsonl_line(tmp_path):
    path = tmp_path / "a.jsonl"
    good = json.dumps({"outlet": "A", "text": ARTICLE})
    path.write_text(f"{good}\n{{not json\n{good}\n", encoding="utf-8")
    msg = _error(path)
    assert "a.jsonl, line 2" in msg and "JSON" in msg


def test_skip_bad_jsonl(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    good = json.dumps({"outlet": "A", "text": ARTICLE})
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(f"{good}\n[1, 2]\n{good}\n")
    c = load_corpus(path, skip_bad=True)
    assert len(c) == 2 and list(c.index) == ["a-000001", "a-000003"]
    assert dropped_documents(c)["line"].tolist() == [2]


def test_error_undecodable_file_is_named(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"caf\x81\x8d\x90 broken")
    pd.DataFrame({"file": ["a.txt"], "outlet": ["A"]}).to_csv(tmp_path / "metadata.csv", index=False)
    msg = _error(tmp_path)
    assert "a.txt" in msg and "UTF-8" in msg


def test_error_bad_date_names_row_and_value(tmp_path):
    pd.DataFrame({"outlet": ["A", "B"], "text": [ARTICLE, ARTICLE], "date": ["2022-01-01", "soon"]}).to_csv(
        tmp_path / "a.csv", index=False)
    msg = _error(tmp_path / "a.csv")
    assert "a.csv, line 5" in msg and "'soon'" in msg


def test_error_empty_file(tmp_path):
    (tmp_path / "a.csv").write_text("")
    assert "a.csv" in _error(tmp_path / "a.csv")


def test_error_unreadable_parquet(tmp_path):
    (tmp_path / "a.parquet").write_bytes(b"not parquet at all")
    assert "a.parquet" in _error(tmp_path / "a.parquet")


@settings(max_examples=200)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab_1 -'’\n\t.é\u0301½日ǅ\u00a0")) | st.characters(),
                        max_size=40), max_size=8),
       st.integers(min_value=1, max_value=50))
def test_word_counts_equal_the_word_regex(texts, batch_chars):
    """n_words is counted with numpy; it must equal the number of matches of the word pattern."""
    from framing._words import WORD, n_words

    assert n_words(texts, batch_chars=batch_chars).tolist() == [len(WORD.findall(t)) for t in texts]


_NO_SURROGATE = st.characters(blacklist_categories=("Cs",))  # Arrow holds UTF-8: no lone surrogate


@settings(max_examples=300)
@given(st.lists(st.none() | st.text(alphabet=st.sampled_from(list("ab_1 -'’\n.é\u0301½日ǅ\u00a0𝒜")) | _NO_SURROGATE,
                                   max_size=40), max_size=12),
       st.integers(min_value=0, max_value=3), st.booleans())
def test_word_counts_from_arrow_bytes_equal_the_word_regex(texts, cut, large):
    """n_words_arrow counts the UTF-8 bytes of an Arrow array (sliced, chunked, with nulls, long or short
    texts, joiners at the edges of a text): the numbers of the word pattern, as n_words gives them."""
    import pyarrow as pa

    from framing._words import WORD, n_words_arrow

    arr = pa.array(texts, type=pa.large_string() if large else pa.string())
    sliced = arr.slice(min(cut, len(texts)))
    want = [len(WORD.findall(t)) if t is not None else 0 for t in texts[min(cut, len(texts)):]]
    assert n_words_arrow(sliced).tolist() == want
    chunked = pa.chunked_array([arr.slice(0, 2), arr.slice(2)], type=arr.type)
    assert n_words_arrow(chunked).tolist() == [len(WORD.findall(t)) if t is not None else 0 for t in texts]
    long = pa.array([(t or "") * 80 for t in texts], type=arr.type)  # long texts: the per-text count
    assert n_words_arrow(long).tolist() == [len(WORD.findall((t or "") * 80)) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | st.text(alphabet=_NO_SURROGATE, max_size=12), st.booleans()), max_size=30),
       st.lists(st.integers(min_value=0, max_value=7), max_size=6), st.integers(min_value=1, max_value=7),
       st.booleans())
def test_cleaned_column_takes_unchanged_texts_from_the_raw_bytes(rows, cuts, slice_size, large):
    """The cleaned column copies the texts cleaning left as read from the raw Arrow chunks (any chunking,
    nulls, slices that straddle chunks) and encodes the others: the same column as encoding every text."""
    import pyarrow as pa

    import framing.corpus as corpus

    raws = [t for t, _ in rows]
    cleaned = [t if (same and t is not None) else f"<{t}>" for t, same in rows]
    same = [same and t is not None for t, same in rows]
    arr = pa.array(raws, type=pa.large_string() if large else pa.string())
    bounds = sorted({min(c, len(raws)) for c in cuts} | {0, len(raws)})
    chunks = [arr.slice(a, b - a) for a, b in zip(bounds[:-1], bounds[1:], strict=True)] or [arr]
    old = corpus._SLICE
    corpus._SLICE = slice_size
    try:
        column = corpus._TextColumn(corpus._RawSlices(chunks))
        for t, s in zip(cleaned, same, strict=True):
            column.add(t, s)
        texts, words, _ = column.finish()
    finally:
        corpus._SLICE = old
    assert texts.to_pylist() == cleaned
    assert texts.type == pa.string()
    assert words.tolist() == corpus.n_words(cleaned).tolist()
