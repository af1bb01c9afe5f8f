"""The command line: tables on stdout, one-line errors on stderr with exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from framing.cli import main
from framing.progress import without_stage_lines


def test_corpus_command_prints_summary(capsys):
    assert main(["corpus", "data/seed"]) == 0
    out = capsys.readouterr().out
    assert "TheJournal.ie" in out and "n_removed_lines" in out
    assert "5 articles" in out and "49 boilerplate lines removed" in out


def test_corpus_log_lists_removed_lines(capsys):
    assert main(["corpus", "data/seed", "--log"]) == 0
    out = capsys.readouterr().out
    assert "Beta V.1.0 - Powered by automated translation" in out and "translation_banner" in out


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p / "missing", "no such file or folder"),
        (lambda p: (p / "a.csv").write_text("source,text\nA,x\n") and p / "a.csv", "no column 'outlet'"),
        (lambda p: (p / "a.jsonl").write_text("{oops\n") and p / "a.jsonl", "line 1"),
    ],
)
def test_errors_are_one_line_with_status_2(tmp_path, capsys, make, needle):
    path = make(tmp_path)
    assert main(["corpus", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("framing: error:") and needle in err
    assert "Traceback" not in err


def test_console_script_exit_status_and_no_traceback(tmp_path):
    pd.DataFrame({"outlet": ["A"], "text": ["Advertisement"]}).to_csv(tmp_path / "a.csv", index=False)
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "corpus", str(tmp_path / "a.csv")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "no text after cleaning" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "corpus", str(tmp_path / "a.csv"),
                           "--drop-empty"], capture_output=True, text=True)
    assert proc.returncode == 2  # every article dropped: nothing left is still an error


def test_kwic_command_variant_and_pattern(capsys):
    assert main(["kwic", "data/seed", "kiev", "--lexicon", "tests/fixtures/mini-lexicon.yaml"]) == 0
    out = capsys.readouterr().out
    assert "[Kiev]" in out and "9 hits" in out
    assert main(["kwic", "data/seed", "annex*", "--voice", "quoted"]) == 0
    out = capsys.readouterr().out
    assert "[annexation]" in out and "1 hits" in out


def test_kwic_writes_csv(tmp_path, capsys):
    out = tmp_path / "k.csv"
    assert main(["kwic", "data/seed", "referendum*", "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 3 and {"left", "match", "right", "voice"} <= set(table.columns)


def test_lexicon_list_show_check(capsys):
    assert main(["lexicon", "list"]) == 0
    assert "russia-ukraine" in capsys.readouterr().out
    assert main(["lexicon", "show", "tests/fixtures/mini-lexicon.yaml"]) == 0
    assert "not: chicken Kiev" in capsys.readouterr().out
    assert main(["lexicon", "check", "tests/fixtures/mini-lexicon.yaml"]) == 0
    assert "OK, 5 contrasts" in capsys.readouterr().out


def test_lexicon_check_bad_file_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncontrasts:\n  c:\n    variants:\n      a: {patterns: [x]}\n")
    assert main(["lexicon", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.yaml, line 4" in err and "contrast 'c' has 1 variant" in err


def _seed_csv(tmp_path, seed_corpus, bad_line: bool = False):
    body = seed_corpus.reset_index()[["doc_id", "outlet", "title", "text"]]
    extra = 'broken,"record",with,too,many,fields\n' if bad_line else ""
    path = tmp_path / "seed.csv"
    path.write_text(body[:1].to_csv(index=False, lineterminator="\n") + extra
                    + body[1:].to_csv(index=False, header=False, lineterminator="\n"),
                    encoding="utf-8")
    return path, body[:1].to_csv(index=False, lineterminator="\n").count("\n") + 1


def test_count_command_writes_the_streamed_counts(tmp_path, capsys, seed_corpus):
    from framing import count_hits, find_hits

    src, _ = _seed_csv(tmp_path, seed_corpus)
    out, hits = tmp_path / "counts.csv", tmp_path / "hits.parquet"
    assert main(["count", str(src), "--lexicon", "russia-ukraine", "--id-col", "doc_id", "--no-clean",
                 "--chunksize", "2", "--voice", "authorial", "-o", str(out), "--hits", str(hits)]) == 0
    counts = pd.read_csv(out)
    expected = count_hits(seed_corpus, "russia-ukraine", voice="authorial")
    assert list(counts.columns) == list(expected.columns)
    assert counts["n_hits"].tolist() == expected["n_hits"].tolist()
    assert counts[["group", "contrast", "variant"]].values.tolist() == \
        expected[["group", "contrast", "variant"]].values.tolist()
    assert len(pd.read_parquet(hits)) == len(find_hits(seed_corpus, "russia-ukraine"))
    printed = capsys.readouterr()
    assert f"{expected['n_hits'].sum():,} hits in 5 articles" in printed.out
    assert without_stage_lines(printed.err) == "" and "] done: " in printed.err  # progress only


def test_count_command_bad_record_fails_with_file_and_line(tmp_path, capsys, seed_corpus):
    src, line = _seed_csv(tmp_path, seed_corpus, bad_line=True)
    assert main(["count", str(src), "-o", str(tmp_path / "c.csv"), "--id-col", "doc_id"]) == 2
    err = capsys.readouterr().err
    assert f"seed.csv, line {line}" in err and "skip" in err and err.count("\n") == 1
    assert not (tmp_path / "c.csv").exists()


def test_count_command_skip_bad_counts_and_lists_what_it_dropped(tmp_path, capsys, seed_corpus):
    src, line = _seed_csv(tmp_path, seed_corpus, bad_line=True)
    out = tmp_path / "c.csv"
    assert main(["count", str(src), "-o", str(out), "--id-col", "doc_id", "--skip-bad"]) == 0
    err = capsys.readouterr().err
    assert f"line {line}" in err and "1 records and 0 files dropped" in err
    listing = pd.read_csv(tmp_path / "c.skipped.csv")
    assert listing["line"].tolist() == [line] and listing["reason"].str.startswith("malformed record").all()


def test_version_matches_the_package_metadata(capsys):
    from importlib.metadata import version

    import framing

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"framing {framing.__version__}" == f"framing {version('framing')}"


@pytest.mark.parametrize("argv", [["kwic", "data/seed", "kiev"], ["count", "data/seed"],
                                  ["lexicon", "audit", "russia-ukraine", "data/seed"],
                                  ["validate", "sample", "data/seed"], ["report", "data/seed"]])
def test_every_command_that_writes_a_file_takes_o_and_output(argv):
    from framing.cli import build_parser

    parser = build_parser()
    short = vars(parser.parse_args([*argv, "-o", "x.csv"]))
    long = vars(parser.parse_args([*argv, "--output", "x.csv"]))
    assert short == long
    assert "x.csv" in short.values()
