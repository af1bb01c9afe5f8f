"""Are the matcher's outputs byte-identical between this checkout and a baseline (a git ref)?

    .venv/bin/python tools/compare_hits.py [--baseline main] [--engines hyperscan python] [CORPUS ...]

For each corpus (default: data/seed and ../shared/corpora/ukraine-media-2022 when present) and
each engine, runs in a fresh process, once on the files of ``--baseline`` (``git archive`` into
a temporary folder, imported instead of this checkout) and once on this checkout (once more with
the plain code paths, ``framing.match.options.REFERENCE = True``, when this checkout has them):

- ``find_hits(corpus, return_excluded=True)`` (hits and excluded matches) and
  ``find_hits(corpus, explain=True)`` (every column of both);
- ``count_hits(corpus)`` and ``FramingVectorizer(voice=None)`` / ``(voice="authorial")`` counts.

Each table is written with ``to_csv`` (with its dtypes) and the bytes are compared; the first
difference is printed. Exit status 1 when anything differs. The seed corpus takes seconds, the
research corpus about a minute per engine (``explain=True`` checks each hit's voice rules one by one).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora" / "ukraine-media-2022"

CHILD = r"""
import sys, pickle
from pathlib import Path
import framing
import framing.match as match
out, reference, engine, *corpora = sys.argv[1:]
if reference == "1":
    try:  # framing.match the subpackage (issue 14), else the module of before
        import framing.match.options as options
        options.REFERENCE = True
    except ImportError:
        match._REFERENCE = True
from framing import FramingVectorizer, count_hits, find_hits, load_corpus
tables = {}
for path in corpora:
    name = Path(path).name
    corpus = load_corpus(path)
    hits, excluded = find_hits(corpus, "russia-ukraine", engine=engine, return_excluded=True)
    tables[f"{name}/hits"] = hits
    tables[f"{name}/excluded"] = excluded
    tables[f"{name}/hits_explain"] = find_hits(corpus, "russia-ukraine", engine=engine, explain=True)
    tables[f"{name}/counts"] = count_hits(corpus, "russia-ukraine", engine=engine)
    for voice in (None, "authorial"):
        vec = FramingVectorizer("russia-ukraine", voice=voice, engine=engine).fit(corpus)
        X = vec.transform(corpus)
        import pandas as pd
        tables[f"{name}/vectorizer_{voice}"] = pd.DataFrame(X.toarray(), columns=vec.get_feature_names_out())
blobs = {k: (str(v.dtypes.to_dict()) + "\n" + v.to_csv()).encode("utf-8") for k, v in tables.items()}
Path(out).write_bytes(pickle.dumps(blobs))
print(framing.__file__, file=sys.stderr)
"""


def _run(src: Path | None, reference: bool, engine: str, corpora: list[str], out: Path) -> dict[str, bytes]:
    import pickle

    env = dict(os.environ, OMP_NUM_THREADS="1")
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    subprocess.run([sys.executable, "-c", CHILD, str(out), "1" if reference else "0", engine, *corpora],
                   check=True, env=env, cwd=str(src or ROOT))
    return pickle.loads(out.read_bytes())


def _first_difference(a: bytes, b: bytes) -> str:
    la, lb = a.decode().splitlines(), b.decode().splitlines()
    for k, (x, y) in enumerate(zip(la, lb, strict=False)):
        if x != y:
            return f"line {k}:\n    baseline: {x[:300]}\n    this:     {y[:300]}"
    return f"{len(la)} lines vs {len(lb)} lines"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="corpus paths (default: data/seed and ukraine-media-2022)")
    parser.add_argument("--baseline", default="main", help="git ref to compare with (default: main)")
    parser.add_argument("--engines", nargs="+", default=None, help="engines (default: every available one)")
    args = parser.parse_args(argv)
    corpora = [str(Path(c).resolve()) for c in args.corpora] or (
        [str(ROOT / "data" / "seed")] + ([str(SHARED / "articles.csv.gz")] if SHARED.exists() else []))
    from framing.match import available_engines

    engines = args.engines or available_engines()
    commit = subprocess.run(["git", "rev-parse", args.baseline], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    print(f"baseline {args.baseline} = {commit[:12]}; corpora: {', '.join(Path(c).name for c in corpora)}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        base_src = Path(tmp) / "baseline"
        base_src.mkdir()
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_src)], input=archive, check=True)
        has_reference = (ROOT / "framing" / "match" / "options.py").exists() or \
            "_REFERENCE" in (ROOT / "framing" / "match.py").read_text("utf-8")
        for engine in engines:
            base = _run(base_src, False, engine, corpora, Path(tmp) / "base.pkl")
            sides = {"this checkout": _run(None, False, engine, corpora, Path(tmp) / "this.pkl")}
            if has_reference:
                sides["this checkout, plain code paths"] = _run(None, True, engine, corpora, Path(tmp) / "ref.pkl")
            for side, tables in sides.items():
                for key in base:
                    same = tables.get(key) == base[key]
                    digest = hashlib.sha256(base[key]).hexdigest()[:12]
                    print(f"{engine:9} {side:33} {key:45} {'identical' if same else 'DIFFERENT'} "
                          f"({len(base[key]):,} bytes, sha256 {digest})")
                    if not same:
                        failed = True
                        print("   ", _first_difference(base[key], tables.get(key, b"")))
    print("all identical" if not failed else "DIFFERENCES FOUND")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
