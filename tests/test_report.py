"""The report: atomic folder, self-contained escaped HTML, byte-identical tables, provenance, fast errors."""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from framing import CorpusError, LexiconError, render_report
from framing.cli import main

from .conftest import SEED


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    return render_report(SEED, tmp_path_factory.mktemp("r") / "seed", progress=False)


@pytest.mark.slow
def test_report_folder_contents(seed_report):
    names = sorted(p.name for p in seed_report.iterdir())
    assert names == ["figures", "provenance.json", "report.html", "report.ipynb", "tables"]
    tables = {p.stem for p in (seed_report / "tables").glob("*.csv")}
    assert {"corpus_summary", "cleaning_log", "lean", "variant_shares", "voice_counts", "distinctive_terms",
            "shared_passages", "wire_copy_edits", "hits", "lexicon", "input_files"} <= tables
    edits = pd.read_csv(seed_report / "tables" / "wire_copy_edits.csv")
    assert edits["edit"].str.contains("invasion of → assault on", regex=False).any()
    assert (edits["n_pairs"] >= 1).all() and not edits.duplicated(["group_a", "group_b", "edit"]).any()
    html = (seed_report / "report.html").read_text("utf-8")
    for section in ["What was analysed", "Data quality", "Headline", "Variant shares", "Voice",
                    "Words that set each group apart", "Map: who words things alike", "Over time", "Methods", "Appendix"]:
        assert section in html
    assert html.count("data:image/png;base64") >= 5      # figures embedded: readable offline
    assert "No description has been provided" not in html  # every image has its caption as alt text
    assert not re.search(r'(src|href)="https?://', html)  # nothing fetched from the network


@pytest.mark.slow
def test_provenance(seed_report):
    record = json.loads((seed_report / "provenance.json").read_text())
    assert record["framing_version"] and record["python"] and record["libraries"]["pandas"]
    assert record["parameters"]["lexicon"] == "russia-ukraine"  # a built-in lexicon by name: no install path
    assert record["lexicon"]["path"].endswith("russia-ukraine.yaml")
    assert len(record["lexicon"]["sha256"]) == 64
    files = {Path(f["file"]).name: f["sha256"] for f in record["inputs"] if f["role"] != "ignored"}
    assert len(files) == 6 and "metadata.csv" in files
    ignored = [Path(f["file"]).name for f in record["inputs"] if f["role"] == "ignored"]
    assert ignored == ["README.md"]  # listed as left out, not read
    assert record["started"] <= record["finished"]


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"first difference at byte {at}: {a[max(0, at - 80):at + 80]!r} vs {b[max(0, at - 80):at + 80]!r}"


@pytest.mark.slow
def test_rerun_gives_byte_identical_report(seed_report, tmp_path):
    """Same inputs, another output folder: the same bytes in every table, figure, the notebook and the HTML."""
    again = render_report(SEED, tmp_path / "again", progress=False)
    files = sorted(p.relative_to(seed_report) for p in seed_report.rglob("*") if p.is_file()
                   and p.name != "provenance.json")
    assert Path("report.html") in files and Path("report.ipynb") in files
    assert sum(p.parts[0] == "tables" for p in files) >= 10 and sum(p.suffix == ".svg" for p in files) >= 8
    assert sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file() and p.name != "provenance.json") \
        == files
    for name in files:
        first, second = (seed_report / name).read_bytes(), (again / name).read_bytes()
        assert first == second, f"{name}: {_first_difference(first, second)}"
    html = (again / "report.html").read_text("utf-8")
    assert str(tmp_path) not in html and "framing-tmp" not in html  # no temporary path
    assert 'id="cell-id=injected-parameters"' in html


@pytest.mark.slow
def test_article_text_and_titles_are_escaped(tmp_path):
    folder = tmp_path / "evil"
    shutil.copytree(SEED, folder)
    meta = pd.read_csv(folder / "metadata.csv")
    meta.loc[3, "title"] = "Kiev talks <script>alert(1)</script>"
    meta.to_csv(folder / "metadata.csv", index=False)
    path = folder / "003_a08c4a9378959592.txt"
    path.write_text(path.read_text("utf-8").replace("Kiev has ruled out", "<script>alert(1)</script> Kiev has "
                                                    "ruled out"), "utf-8")
    out = render_report(folder, tmp_path / "out", progress=False, title="<script>alert(1)</script> report")
    html = (out / "report.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_interrupted_run_leaves_no_half_report(tmp_path, monkeypatch):
    import papermill

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", boom)
    out = tmp_path / "report"
    with pytest.raises(KeyboardInterrupt):
        render_report(SEED, out, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["report", "nope", "--out", "x"], "no such file or folder"),
        (["report", "data/seed", "--lexicon", "no-such", "--out", "x"], "not a built-in lexicon"),
        (["report", "data/seed", "--by", "country", "--out", "x"], "no column 'country'"),
        (["report", "data/seed", "--groups", "RT,Pravda", "--out", "x"], "no articles for outlet ['Pravda']"),
    ],
)
def test_errors_before_any_kernel_starts(args, needle, capsys, tmp_path, monkeypatch):
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started"))
    args = [a if a != "x" else str(tmp_path / "x") for a in args]
    assert main(args) == 2  # the patched papermill proves no kernel started (no timing in unit tests)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_bad_lexicon_file_fails_fast(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncontrasts: {}\n")
    with pytest.raises(LexiconError):
        render_report(SEED, tmp_path / "out", lexicon=bad)
    with pytest.raises(CorpusError):
        render_report(tmp_path / "missing", tmp_path / "out")


@pytest.mark.slow
def test_report_on_a_sample_of_the_research_corpus(ukraine_path, tmp_path):
    sample = tmp_path / "sample.csv"
    pd.read_csv(ukraine_path).sample(300, random_state=1).to_csv(sample, index=False)
    out = render_report(sample, tmp_path / "ukraine", progress=False)
    lean = pd.read_csv(out / "tables" / "lean.csv").set_index("group")
    assert lean.loc["RT", "lean"] > 0
    html = (out / "report.html").read_text("utf-8")
    appendix = html[html.index("10.-Appendix"):]
    assert "A stratified sample</b> of" in appendix and "seed 0" in appendix
    hits = pd.read_csv(out / "tables" / "hits.csv")
    assert all(f">{escape(outlet)}<" in appendix for outlet in hits["outlet"].unique())  # every outlet, RT too


@pytest.mark.slow
def test_every_figure_is_written_in_three_formats_with_its_caption(seed_report):
    figures = seed_report / "figures"
    stems = sorted({p.stem for p in figures.glob("*.png")})
    assert len(stems) >= 8 and all(re.fullmatch(r"\d\d_[a-z0-9_]+", s) for s in stems)
    assert [int(s[:2]) for s in stems] == list(range(1, len(stems) + 1))
    for stem in stems:
        assert (figures / f"{stem}.svg").read_text("utf-8").lstrip().startswith("<?xml")
        assert (figures / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
        from PIL import Image

        with Image.open(figures / f"{stem}.png") as png:
            assert round(png.info["dpi"][0]) == 300
    captions = (figures / "captions.md").read_text("utf-8")
    assert captions.count("\n## Figure ") == len(stems)
    assert "95% cluster-adjusted Jeffreys intervals" in captions and "n = articles" in captions
    html = (seed_report / "report.html").read_text("utf-8")
    for block in captions.split("\n## Figure ")[1:]:
        caption = block.strip().split("\n\n")[-1]
        assert f'alt="{caption[:60]}' in html.replace("&#x27;", "'").replace("&quot;", '"')


def test_the_appendix_is_a_sample_stratified_by_group_and_contrast():
    from framing import find_hits, load_corpus, load_lexicon
    from framing.report_parts import kwic_sample

    corpus, lex = load_corpus(SEED), load_lexicon("russia-ukraine")
    hits = find_hits(corpus, lex)
    strata = hits.groupby(["outlet", "contrast"]).size()
    assert len(strata) < 60 < len(hits)
    sample, text = kwic_sample(hits, "outlet", n=60, seed=3, lex=lex)
    assert len(sample) == 60 and not sample.duplicated(["doc_id", "field", "start", "contrast"]).any()
    assert list(sample.columns) == ["doc_id", "outlet", "field", "start", "end", "contrast", "variant", "voice",
                                    "left", "match", "right", "stratum_size"]
    assert set(sample["voice"]) <= {"authorial", "quoted", "distanced", "attributed"}
    got = sample.groupby(["outlet", "contrast"]).size()
    assert set(got.index) == set(strata.index)  # every group and contrast with hits is in it
    # dealt out evenly: each stratum gets its equal share, or all its hits when it has fewer
    assert (got.reindex(strata.index) >= strata.clip(upper=60 // len(strata))).all()
    assert (got.reindex(strata.index) < strata).any()  # and large strata are sampled, not shown whole
    assert (sample["stratum_size"] == strata.reindex(list(zip(sample["outlet"], sample["contrast"], strict=True)))
            .to_numpy()).all()
    assert "A stratified sample</b> of 60 of the" in text and "seed 3" in text and "tables/hits.csv" in text
    again, _ = kwic_sample(hits.sample(frac=1, random_state=0), "outlet", n=60, seed=3, lex=lex)
    pd.testing.assert_frame_equal(again, sample)  # the seed, not the order of the hits, decides
    other, _ = kwic_sample(hits, "outlet", n=60, seed=4, lex=lex)
    assert not other.equals(sample)
    everything, text = kwic_sample(hits, "outlet", lex=lex)  # fewer hits than the sample: all of them
    assert len(everything) == len(hits) and f"Every one of the {len(hits)} hits" in text
