"""Issue 9, bounded parsers: YAML bombs, deep nesting, duplicate keys, look-alike and invisible
characters, malformed globs, and patterns whose matching time used to explode (ReDoS).

The bombs and the ReDoS shapes run in a subprocess under a time limit (and, for the bombs, a
memory limit): on the code before the fix they took 18-60 s or more, hundreds of MB, or crashed
the interpreter. The limits are generous (many times what the fixed code takes), not speed tests.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from framing.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEAD = "name: t\nsides: {a: A, b: B}\n"


def _lexicon(tmp_path: Path, body: str, name: str = "lex.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, "utf-8")
    return path


def _variants(v: str, w: str = "{side: b, patterns: [other]}") -> str:
    return HEAD + f"contrasts:\n  c:\n    variants:\n      v: {v}\n      w: {w}\n"


def _limited(args: list[str], *, seconds: int = 30, memory_mb: int = 3000) -> subprocess.CompletedProcess:
    """Run ``python -c <framing cli>`` with a time limit and an address-space limit."""
    def limits():  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    code = "import sys; from framing.cli import main; sys.exit(main(sys.argv[1:]))"
    try:
        return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=seconds, preexec_fn=limits if sys.platform.startswith("linux") else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"took more than {seconds} s: {args}")


def _laughs(depth: int = 9, width: int = 10) -> str:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, depth):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------ 11: YAML bombs
@pytest.mark.parametrize("where", ["patterns", "description", "mapping"])
def test_yaml_bombs_fail_fast_with_one_short_line(where, tmp_path):
    bomb = _laughs()
    if where == "patterns":
        body = HEAD + "x_defs:\n" + textwrap.indent(bomb, "  ") + _variants("{side: a, patterns: *l8}")[len(HEAD):]
    elif where == "description":
        body = "name: t\n" + bomb + "description: *l8\n" + _variants("{side: a, patterns: [p]}")[len("name: t\n"):]
    else:
        maps = ["m0: &m0 {" + ", ".join(f"k{j}: lol" for j in range(10)) + "}"]
        for i in range(1, 9):
            maps.append(f"m{i}: &m{i} {{" + ", ".join(f"k{j}: *m{i - 1}" for j in range(10)) + "}")
        body = "\n".join(maps) + "\n" + _variants("{side: a, patterns: [p]}")
    path = _lexicon(tmp_path, body)
    proc = _limited(["lexicon", "check", str(path)], seconds=30)
    assert proc.returncode == 2, proc.stderr[-500:]
    assert proc.stderr.count("\n") == 1 and len(proc.stderr) < 500 and "Traceback" not in proc.stderr
    assert "values" in proc.stderr or "aliases" in proc.stderr


def test_deeply_nested_yaml_fails_with_one_line(tmp_path):
    path = _lexicon(tmp_path, "name: t\ndescription: " + "[" * 50_000 + "]" * 50_000 + "\n")
    proc = _limited(["lexicon", "check", str(path)], seconds=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-300:])  # was -11 (segfault)
    assert "nested more than 20 levels" in proc.stderr and proc.stderr.count("\n") == 1


# ------------------------------------------------------------------------ 9: duplicate keys
@pytest.mark.parametrize(("body", "key", "lines"), [
    (_variants("{side: a, patterns: [p]}") + "      v: {side: b, patterns: [q]}\n", "'v'", (6, 8)),
    (HEAD + "contrasts:\n  c:\n    variants:\n      v: [p]\n      w: [q]\n  c:\n    variants:\n      v: [r]\n"
     "      w: [s]\n", "'c'", (4, 8)),
    (_variants("{side: a, patterns: [p], side: b}"), "'side'", (6, 6)),
])
def test_duplicate_keys_are_errors_naming_both_lines(body, key, lines, tmp_path, capsys):
    path = _lexicon(tmp_path, body)
    assert main(["lexicon", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"duplicate key {key}" in err and f"line {lines[1]}" in err and f"first at line {lines[0]}" in err


# ------------------------------------------------------------------------ lexicon check: characters and globs
@pytest.mark.parametrize(("pattern", "needle"), [
    ("K\u0456ev", "mixes CYRILLIC and LATIN letters"),       # Cyrillic і in a Latin word
    ("\u041aiev", "mixes CYRILLIC and LATIN letters"),       # Cyrillic К
    ("Ky\u200biv", "invisible character, U+200B"),          # zero-width space
    ("Kyiv\u00ad", "invisible character, U+00AD"),          # soft hyphen
    ("\ufeffKyiv", "invisible character, U+FEFF"),          # byte-order mark
    ("\uff2byiv", "fullwidth character"),                   # fullwidth K
    ("annex**", "'*' may only end a word"),
    ("annex*ed", "'*' may only end a word"),
    ("pro-*", "'*' may only end a word"),
    ("x" * 301, "at most 300"),
    ("a-b-c-d-e-f-g-h-i-j-k-l", "at most 10"),
])
def test_lexicon_check_refuses_bad_characters_and_globs(pattern, needle, tmp_path, capsys):
    path = _lexicon(tmp_path, _variants("{side: a, patterns: [" + repr(pattern).replace("'", '"') + "]}"))
    assert main(["lexicon", "check", str(path)]) == 2
    _one_line(capsys, needle, "line 6")


def _one_line(capsys, *needles):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err


def test_an_except_equal_to_its_pattern_is_an_error(tmp_path, capsys):
    path = _lexicon(tmp_path, _variants("{side: a, patterns: [so-called], except: [so called]}"))
    assert main(["lexicon", "check", str(path)]) == 2
    _one_line(capsys, "remove every hit")


@pytest.mark.parametrize(("body", "needle"), [
    (_variants("{side: [a], patterns: [p]}"), "side must be one side id"),
    ("name: t\nsides: {null: A, b: B}\ncontrasts:\n  c:\n    variants:\n      v: {side: b, patterns: [p]}\n"
     "      w: {patterns: [q]}\n", "side id None"),
    (_variants("{side: a, patterns: [p], except: 5}"), "`except` must be a pattern or a list"),
])
def test_wrong_types_in_a_lexicon_are_one_line(body, needle, tmp_path, capsys):
    path = _lexicon(tmp_path, body)
    assert main(["lexicon", "check", str(path)]) == 2
    _one_line(capsys, needle)


def test_a_200k_character_pattern_is_one_line(tmp_path, capsys):
    path = _lexicon(tmp_path, _variants("{side: a, patterns: [" + "x" * 200_000 + "]}"))
    assert main(["lexicon", "check", str(path)]) == 2
    _one_line(capsys, "200,000 characters", "at most 300")
    corpus = tmp_path / "c.csv"
    corpus.write_text("doc_id,outlet,text\nd1,BBC,Kiev\n")
    assert main(["kwic", str(corpus), "y" * 200_000]) == 2  # was hyperscan.error
    _one_line(capsys, "at most 300")


def test_built_in_lexicons_pass_the_checks(capsys):
    for name in ("russia-ukraine", "climate"):
        assert main(["lexicon", "check", name]) == 0


# ------------------------------------------------------------------------ 12: ReDoS in the portable engine
_REDOS = textwrap.dedent("""
    import sys
    import pandas as pd
    from framing import Lexicon, find_hits
    pattern, text, engine = sys.argv[1], sys.argv[2], sys.argv[3]
    lex = Lexicon.from_dict({"name": "r", "sides": {"a": "A", "b": "B"}, "contrasts": {"c": {"variants": {
        "v": {"side": "a", "patterns": [pattern]}, "w": {"side": "b", "patterns": ["zzzq"]}}}}})
    corpus = pd.DataFrame({"outlet": ["X"] * 5, "title": [""] * 5, "text": [text] * 5},
                          index=pd.Index([f"d{i}" for i in range(5)], name="doc_id"))
    print(len(find_hits(corpus, lex, engine=engine)))
""")


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
@pytest.mark.parametrize(("pattern", "text", "n_hits"), [
    ("so - called", "so" + " " * 1000 + "calledx. " + "so - called", 5),     # cubic before: 4 s per occurrence
    ("a - - - - - - - - - - b", "a" + " " * 30 + "bx a - - - - - - - - - - b", 5),  # exponential: > 60 s
])
def test_whitespace_and_hyphen_runs_match_in_linear_time(engine, pattern, text, n_hits):
    from framing.match import available_engines

    if engine not in available_engines():
        pytest.skip(f"{engine} is not installed")
    try:
        proc = subprocess.run([sys.executable, "-c", _REDOS, pattern, text, engine], cwd=ROOT, capture_output=True,
                              text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{pattern!r} on {engine} took more than 30 s")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert int(proc.stdout.strip()) == n_hits


def test_the_linear_form_matches_what_the_plain_form_matches():
    """Same language, same ends, from every start: random patterns of words, spaces and hyphens."""
    from framing.match import pattern_regex

    rng = random.Random(7)
    words = ["so", "called", "a", "b", "Kyiv", "x*"]
    gaps = [" ", "  ", "-", "\u2010", "\xa0", "\t"]
    for _ in range(300):
        toks = [rng.choice(["", "-", " - "])] if rng.random() < 0.3 else []
        for i in range(rng.randint(1, 3)):
            if i:
                toks.append(rng.choice([" ", "-", " - ", "--", " - - "]))
            toks.append(rng.choice(words))
        pattern = "".join(toks).strip()
        for for_bytes in (False, True):
            fast = re.compile(_enc(pattern_regex(pattern, for_bytes=for_bytes), for_bytes), re.I)
            plain = re.compile(_enc(pattern_regex(pattern, for_bytes=for_bytes, linear=False), for_bytes), re.I)
            for _ in range(5):
                text = "".join(rng.choice(words + gaps * 3).replace("*", "ed") for _ in range(rng.randint(1, 10)))
                data = text.encode() if for_bytes else text
                for pos in range(len(data)):
                    a, b = fast.match(data, pos), plain.match(data, pos)
                    assert (a and a.end()) == (b and b.end()), (pattern, text, pos)


def _enc(regex: str, for_bytes: bool):
    return regex.encode("ascii") if for_bytes else regex
