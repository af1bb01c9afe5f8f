"""Issue 9, case 13 and the range checks of step 3: every numeric argument is checked before any work.

``framing kwic data/seed kiev --window=-1`` segfaulted (exit 139), ``--window=-60`` raised an
IndexError, ``find_hits(context=-50)`` failed inside the matcher, ``--chunksize 0`` blamed the file.
Now the command line and the API check each argument with framing._checks and fail with one line
naming the argument and its range (exit 2), before the corpus is read.
"""

from __future__ import annotations

import pytest

import framing
from framing import ArgumentError, CorpusError, FramingError, find_hits, kwic, load_corpus
from framing.cli import main

SEED = "data/seed"


@pytest.fixture(scope="module")
def seed():
    return load_corpus(SEED)


@pytest.fixture()
def no_work(monkeypatch):
    """Reading a corpus or compiling a lexicon fails the test: the check must come first."""
    import framing.corpus as fcorpus
    import framing.match.count as fcount
    import framing.match.find as ffind

    def boom(*args, **kwargs):
        raise AssertionError("work started before the arguments were checked")

    for module, name in ((fcorpus, "load_corpus"), (fcorpus, "iter_corpus"), (ffind, "compile_lexicon"), (fcount, "compile_lexicon")):
        monkeypatch.setattr(module, name, boom)


# ----------------------------------------------------------------------- 13: the command line
@pytest.mark.parametrize("argv, option", [
    (["kwic", SEED, "kiev", "--window=-1"], "--window"),
    (["kwic", SEED, "kiev", "--window", "-60"], "--window"),
    (["kwic", SEED, "kiev", "--window", "ten"], "--window"),
    (["kwic", SEED, "kiev", "--max-rows", "-5"], "--max-rows"),
    (["count", SEED, "-o", "counts.csv", "--chunksize", "0"], "--chunksize"),
    (["count", SEED, "-o", "counts.csv", "--chunksize", "-3"], "--chunksize"),
    (["corpus", SEED, "--jobs", "-2"], "--jobs"),
    (["validate", "sample", SEED, "--out", "s.csv", "--n", "0"], "--n"),
    (["validate", "sample", SEED, "--out", "s.csv", "--seed", "-1"], "--seed"),
    (["report", SEED, "--out", "r", "--seed", "-1"], "--seed"),
])
def test_13_numeric_options_fail_with_one_line_before_work(argv, option, no_work, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = [a if a != SEED else str(framing_root() / SEED) for a in argv]
    assert main(argv) == 2
    out = capsys.readouterr()
    err = out.err.strip()
    assert err.count("\n") == 0, err
    assert f"argument {option}: must be a whole number of at least" in err and "Traceback" not in err
    assert not out.out and not list(tmp_path.iterdir())  # nothing written


def framing_root():
    from pathlib import Path

    return Path(framing.__file__).resolve().parent.parent


def test_13_kwic_window_zero_and_a_valid_window_still_work(capsys):
    root = framing_root()
    assert main(["kwic", str(root / SEED), "kiev", "--window", "0", "--max-rows", "2"]) == 0
    assert "hits" in capsys.readouterr().out


def test_13_a_bad_choice_is_one_line_too(capsys):
    assert main(["kwic", str(framing_root() / SEED), "kiev", "--voice", "loud"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "invalid choice: 'loud'" in err


# ----------------------------------------------------------------------- 13: the API
@pytest.mark.parametrize("call, message", [
    (lambda c: kwic(c, pattern="kiev", window=-1), "window must be a whole number of at least 0, not -1"),
    (lambda c: kwic(c, pattern="kiev", window=-60), "window must be a whole number of at least 0, not -60"),
    (lambda c: kwic(c, pattern="kiev", window=2.5), "window must be a whole number of at least 0, not 2.5"),
    (lambda c: find_hits(c, context=-50), "context must be a whole number of at least 0, not -50"),
    (lambda c: find_hits(c, context=True), "context must be a whole number of at least 0, not True"),
])
def test_13_window_and_context_are_checked_before_the_matcher(seed, call, message, no_work):
    with pytest.raises(ArgumentError, match=message):
        call(seed)


def test_13_kwic_voice_is_checked(seed):
    with pytest.raises(ArgumentError, match=r"unknown voice 'loud'; choose from \['authorial'"):
        kwic(seed, pattern="kiev", voice="loud")


@pytest.mark.parametrize("chunksize", [0, -1, 2.5, "10"])
def test_chunksize_is_checked_before_any_file_is_read(chunksize, no_work):
    with pytest.raises(ArgumentError, match=r"chunksize must be a whole number of at least 1"):
        framing.count_hits(SEED, "russia-ukraine", chunksize=chunksize)


@pytest.mark.parametrize("chunksize", [0, -1])
def test_iter_corpus_chunksize_names_the_argument_not_the_file(chunksize):
    with pytest.raises(ArgumentError, match=r"^chunksize \(--chunksize\) must be a whole number of at least 1"):
        next(framing.iter_corpus(framing_root() / SEED, chunksize=chunksize))


def test_write_hits_checks_context_and_chunksize_before_work(tmp_path, no_work):
    with pytest.raises(ArgumentError, match="context must be"):
        framing.write_hits(SEED, "russia-ukraine", tmp_path / "h.parquet", context=-1)
    with pytest.raises(ArgumentError, match="chunksize must be"):
        framing.write_hits(SEED, "russia-ukraine", tmp_path / "h.parquet", chunksize=0)
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------------- statistics and the rest
@pytest.fixture(scope="module")
def hits(seed):
    return find_hits(seed)


@pytest.mark.parametrize("name, kwargs, message", [
    ("variant_shares", {"n_boot": 5, "ci": "bootstrap"}, r"n_boot must be a whole number of at least 100"),
    ("variant_shares", {"n_boot": -1}, r"n_boot must be a whole number of at least 100"),
    ("lean", {"seed": -1}, r"seed must be a whole number of at least 0, not -1"),
    ("lean", {"level": 1.5}, r"level must be a number between 0 and 1"),
    ("lean", {"unit": "doc"}, r"unit must be one of \['group', 'article'\], not 'doc'"),
    ("variant_shares", {"voice": "loud"}, r"unknown voice 'loud'"),
    ("variant_shares", {"voice": 3}, r"voice must be a voice, a list of voices or None"),
    ("variant_shares", {"voice": []}, r"voice is an empty list"),
])
def test_statistics_arguments_are_argument_errors(seed, hits, name, kwargs, message):
    with pytest.raises(ArgumentError, match=message) as info:
        getattr(framing, name)(hits, seed, **kwargs)
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)


def test_a_missing_by_column_is_a_corpus_error_everywhere(seed, hits):
    for call in (lambda: framing.variant_shares(hits, seed, by="country"),
                 lambda: framing.lean(hits, seed, by="country"),
                 lambda: framing.coverage(seed, by="country"),
                 lambda: framing.count_hits(seed, by="country"),
                 lambda: framing.term_counts(seed, by="country"),
                 lambda: framing.shared_passages(seed, by="country")):
        with pytest.raises(CorpusError, match=r"^no column 'country'"):
            call()


def test_unknown_groups_name_the_groups_there_are(seed, hits):
    with pytest.raises(CorpusError, match=r"no articles for outlet \['Fox'\] \(a=\); the outlet values are \['American"):
        framing.compare_groups(hits, seed, a="Fox", lexicon="russia-ukraine")
    with pytest.raises(CorpusError, match=r"no articles for outlet \['Fox'\] \(groups=\)"):
        framing.coverage(seed, groups=["RT", "Fox"])


@pytest.mark.parametrize("call, message", [
    (lambda h: framing.validation_sample(h, n=0), r"n must be a whole number of at least 1 \(hits to sample\), not 0"),
    (lambda h: framing.validation_sample(h, n=5, seed=-2), r"seed must be a whole number of at least 0"),
])
def test_validation_arguments(hits, call, message):
    with pytest.raises(ArgumentError, match=message):
        call(hits)


@pytest.mark.parametrize("kwargs, message", [
    ({"threshold": 0}, r"threshold must be a number above 0 and at most 1, not 0"),
    ({"num_perm": 8}, r"num_perm must be a whole number of at least 16, not 8"),
    ({"min_words": 2.5}, r"min_words must be a whole number of at least 1, not 2.5"),
])
def test_syndication_uses_the_shared_checks(seed, kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        framing.shared_passages(seed, **kwargs)


def test_there_is_one_argument_error_class():
    from framing import _checks, _errors

    assert _checks.ArgumentError is _errors.ArgumentError is framing.ArgumentError
    assert issubclass(ArgumentError, FramingError) and issubclass(ArgumentError, ValueError)
    assert issubclass(CorpusError, ValueError)


def test_numpy_integers_pass_and_print_plainly(seed):
    import numpy as np

    assert len(kwic(seed, pattern="kiev", window=np.int64(5))) > 0
    with pytest.raises(ArgumentError, match=r"not -1$"):
        kwic(seed, pattern="kiev", window=np.int64(-1))
