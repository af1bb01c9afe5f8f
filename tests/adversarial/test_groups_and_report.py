"""Issue 9: case 10 (a ``--by`` column with empty values), an unreadable file in ``framing report``, and
the report's ``<title>`` escaped once.

Case 10 used to give three answers: ``corpus`` listed 4 groups while its totals said 5 articles,
``lean`` dropped the group and ``count`` kept it as ``""``. Now every path puts such articles in the
one group ``"(missing)"`` (framing._groups), in memory, streaming and on the command line.
"""

from __future__ import annotations

import builtins
import errno
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.cli import main

KIEV = "Officials in Kiev said the talks went on. Kyiv said so too."
MISSING = "(missing)"


@pytest.fixture()
def by_with_gaps(tmp_path) -> Path:
    path = tmp_path / "gaps.csv"
    pd.DataFrame({"outlet": ["RT", "BBC", "CNN", "RT", "BBC"], "text": [KIEV] * 5,
                  "country": ["Russia", "", " ", None, "UK"]}).to_csv(path, index=False)
    return path


def test_10_corpus_lists_the_missing_group_and_the_totals_add_up(by_with_gaps, capsys):
    assert main(["corpus", str(by_with_gaps), "--by", "country"]) == 0
    out = capsys.readouterr().out
    table = out.split("\n\n")[0].splitlines()
    rows = {line.split()[0]: line.split()[1] for line in table[1:]}
    assert rows == {MISSING: "3", "Russia": "1", "UK": "1"}
    assert "5 articles" in out


def test_10_count_in_memory_streaming_and_cli_agree(by_with_gaps, tmp_path, capsys):
    corpus = framing.load_corpus(by_with_gaps)
    in_memory = framing.count_hits(corpus, by="country")
    streamed = framing.count_hits(by_with_gaps, by="country", chunksize=2)
    pd.testing.assert_frame_equal(in_memory, streamed)
    assert set(in_memory["group"]) == {MISSING, "Russia", "UK"}
    assert streamed.attrs["n_docs"] == {MISSING: 3, "Russia": 1, "UK": 1}
    out = tmp_path / "counts.csv"
    assert main(["count", str(by_with_gaps), "--by", "country", "-o", str(out)]) == 0
    groups = set(pd.read_csv(out, keep_default_na=False)["group"])
    assert groups == {MISSING, "Russia", "UK"} and "" not in groups


def test_10_lean_and_shares_keep_the_missing_group(by_with_gaps):
    corpus = framing.load_corpus(by_with_gaps)
    hits = framing.find_hits(corpus)
    shares = framing.variant_shares(hits, corpus, by="country")
    assert shares.groupby("group")["n_group_docs"].first().to_dict() == {MISSING: 3, "Russia": 1, "UK": 1}
    lean = framing.lean(hits, corpus, by="country")
    assert set(lean["group"]) == {MISSING, "Russia", "UK"}


# ------------------------------------------------------------------ an unreadable file in the report
def _unreadable(monkeypatch, target: Path) -> None:
    real = builtins.open

    def fake(file, *args, **kwargs):
        if str(file) == str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake)


def test_unreadable_file_in_report_is_one_line_before_the_kernel(tmp_path, monkeypatch, capsys):
    import papermill

    class KernelReached(Exception):
        pass

    def kernel(*args, **kwargs):
        raise KernelReached

    monkeypatch.setattr(papermill, "execute_notebook", kernel)
    folder = tmp_path / "corpus"
    folder.mkdir()
    pd.DataFrame({"outlet": ["RT", "BBC"], "text": [KIEV, KIEV]}).to_csv(folder / "a.csv", index=False)
    pd.DataFrame({"outlet": ["CNN"], "text": [KIEV]}).to_csv(folder / "b.csv", index=False)
    _unreadable(monkeypatch, folder / "b.csv")
    out = tmp_path / "report"
    assert main(["report", str(folder), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "b.csv" in err and "permission denied" in err.lower()
    assert not out.exists()
    with pytest.raises(KernelReached):  # --skip-bad: the checks pass, the file is left out (and listed)
        main(["report", str(folder), "--out", str(out), "--skip-bad"])
    assert not out.exists()


# ------------------------------------------------------------------ <title> escaped once
def test_report_title_is_escaped_once():
    import re

    import nbformat

    from framing.report import notebook_html

    html = notebook_html(nbformat.v4.new_notebook(), 'Kiev & Kyiv <b> "quoted"')
    [title] = re.findall(r"<title>(.*?)</title>", html, re.S)
    assert title == 'Kiev &amp; Kyiv &lt;b&gt; "quoted"'
