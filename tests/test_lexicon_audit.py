"""The built-in lexicon as a reviewer reads it (sources, evidence, usage), lexicon_audit, the usage script."""

from __future__ import annotations

import importlib.util
import re
import textwrap
from urllib.parse import urlparse

import pandas as pd
import pytest

from framing import lexicon_audit, load_corpus, load_lexicon
from framing.cli import main
from framing.voice import VOICES

from .conftest import ROOT

TOOL = ROOT / "tools" / "lexicon_usage.py"
# Mirrors and copies the 2026.11 lexicon cited as if they were the source (issue 15): none may be cited
# unless the source says it is a copy.
MIRROR_HOSTS = {"sparkthread.net", "wiki.riteme.site", "wikiwordbook.info", "wikimili.com", "knowpia.com",
                "wikizero.net", "pdfslide.net", "graphsearch.epfl.ch", "docslib.org", "freedombunker.com"}
PARTISAN_HOSTS = {"sott.net", "fourwinds10.com", "z-news.link", "eu.eot.su"}
SOURCE_ID = re.compile(r"\bS\d\d\b")


def _tool():
    spec = importlib.util.spec_from_file_location("lexicon_usage", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _host(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


# ------------------------------------------------------------------ the built-in lexicon, as a reviewer reads it
@pytest.fixture(scope="module")
def builtin():
    return load_lexicon("russia-ukraine")


def test_every_source_is_a_dated_record_with_a_url(builtin):
    assert builtin.sources
    for src in builtin.sources.values():
        assert src.publisher and src.title and src.kind in ("norm", "usage", "analysis"), src.id
        assert src.url and src.url.startswith(("http://", "https://")), src.id
        undated = any(w in (src.note or "") for w in ("no publication date", "Undated", "undated"))
        assert src.date or undated, f"{src.id} has no date and does not say it is undated"


def test_no_mirror_or_partisan_site_stands_as_a_source_of_record(builtin):
    for src in builtin.sources.values():
        host = _host(src.url)
        if host in MIRROR_HOSTS:
            assert src.copy, f"{src.id} cites the copy {host} without saying so"
        if host in PARTISAN_HOSTS:
            assert src.kind == "usage" and src.copy and "example" in (src.note or ""), src.id


def test_every_sided_variant_has_evidence_from_a_norm_or_analysis(builtin):
    for c in builtin.contrasts.values():
        assert c.kind in ("spelling", "naming", "label"), c.id
        for v in c.variants.values():
            if v.side is None:
                continue
            assert v.evidence, f"{c.id}/{v.id} has a side but no evidence"
            cited = set(SOURCE_ID.findall(v.evidence))
            assert cited, f"{c.id}/{v.id}: the evidence cites no source"
            kinds = {builtin.sources[s].kind for s in cited}
            assert kinds - {"usage"}, f"{c.id}/{v.id} rests on examples of usage only ({sorted(cited)})"


def test_source_ids_in_the_text_are_cited_by_the_contrast(builtin):
    for c in builtin.contrasts.values():
        texts = [c.notes, c.contested, c.evidence] + [x for v in c.variants.values() for x in (v.evidence, v.notes)]
        mentioned = set(SOURCE_ID.findall(" ".join(t for t in texts if t)))
        assert mentioned <= set(c.sources), f"{c.id} mentions {sorted(mentioned - set(c.sources))}"
        assert set(c.sources) <= set(builtin.sources), c.id


def test_version_changelog_and_contested_codings(builtin):
    assert builtin.version == "2026.12.2" and builtin.changelog[0][0] == builtin.version
    assert builtin.changelog[1][0] == "2026.12.1"
    assert "not_near" in builtin.changelog[1][1] and "exploratory" in builtin.changelog[1][1]
    aggression = builtin.contrasts["aggression"]
    assert aggression.kind == "naming" and aggression.variants["unprovoked"].kind == "label"
    referendums = builtin.contrasts["referendums"]
    assert referendums.variants["referendum"].side is None and referendums.contested
    war = builtin.contrasts["war_name"]
    assert war.variants["military_operation"].side == "ru_state" and "military operation" in war.contested
    assert builtin.contrasts["ukraine_conflict"].variants["ukraine_conflict"].side is None
    assert "military operation" in war.variants["military_operation"].patterns
    assert "military operation" not in war.variants["special_operation"].patterns


def test_usage_file_is_current_and_complete(builtin):
    usage = builtin.usage()
    assert usage["current"].all(), usage.loc[~usage["current"], ["contrast", "variant"]]
    assert set(usage["group"]) == set(builtin.usage_spec["groups"].values()) == {"RT", "Western"}
    expected = {(g, v.contrast, v.id) for g in ("RT", "Western") for v in builtin.variants}
    assert set(zip(usage["group"], usage["contrast"], usage["variant"], strict=True)) == expected
    assert {f"n_{v}" for v in VOICES} <= set(usage.columns)
    # aggregate numbers only: no column holds text from the articles
    assert set(usage.columns) == {"group", "contrast", "variant", "side", "n_group_docs", "n_docs", "doc_share",
                                  "n_docs_authorial", "doc_share_authorial", "n_hits", *(f"n_{v}" for v in VOICES),
                                  "share_non_authorial", "fingerprint", "corpus", "lexicon_version", "current"}
    assert (usage["n_hits"] == usage[[f"n_{v}" for v in VOICES]].sum(axis=1)).all()


def test_no_sided_variant_in_the_lean_is_contradicted_by_usage(builtin):
    table = builtin.evidence_table()
    against = table[table["in_lean"] & (table["usage_check"] == "against")]
    assert against.empty, against[["contrast", "variant", "usage_ratio"]]
    # the variants whose side was withdrawn are the ones both groups write in their own voice
    for variant in ("the_west", "ukrainian_government", "referendum", "strike", "kerch_bridge"):
        row = table.set_index("variant").loc[variant]
        assert pd.isna(row.side) and not row.in_lean and row.own_voice_RT > 0 and row.own_voice_Western > 0


# ------------------------------------------------------------------ lexicon_audit and the usage table
TINY = """\
name: tiny
version: "1"
sides: {ru: Russian, ua: Ukrainian}
{usage}contrasts:
  capital:
    label: Capital
    kind: spelling
    sources: [x]
    variants:
      kyiv: {side: ua, patterns: ["Kyiv"]}
      kiev: {side: ru, patterns: ["Kiev"]}
  west:
    label: The West
    sources: [x]
    variants:
      collective: {side: ru, patterns: ["collective West"]}
      plain: {patterns: ["the West"]}
"""


@pytest.fixture()
def tiny_corpus(tmp_path):
    rows = [
        ("RT", "One", "Kiev officials met. Kiev again said the collective West was to blame."),
        ("RT", "Two", 'He said "Kyiv is ours" and left.'),
        ("Paper A", "Three", "Kyiv was calm. Aid came from the West."),
        ("Paper B", "Four", "In Kyiv and in Kyiv again, officials spoke."),
        ("Paper B", "Five", "Nothing about the capital here at all."),
    ]
    path = tmp_path / "tiny.csv"
    pd.DataFrame(rows, columns=["outlet", "title", "text"]).to_csv(path, index=False)
    return path


def _tiny(tmp_path, usage: str = "") -> object:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.replace("{usage}", usage), encoding="utf-8")
    return load_lexicon(path)


def test_lexicon_audit_counts_articles_hits_and_voices(tmp_path, tiny_corpus):
    corpus = load_corpus(tiny_corpus)
    audit = lexicon_audit(corpus, _tiny(tmp_path))
    assert list(audit.columns[:10]) == ["group", "contrast", "variant", "side", "n_group_docs", "n_docs",
                                        "doc_share", "n_docs_authorial", "doc_share_authorial", "n_hits"]
    assert [c for c in audit.columns if c.startswith("n_") and c[2:] in VOICES] == [f"n_{v}" for v in VOICES]
    assert len(audit) == 3 * 4  # every group x every variant, zeros included
    row = audit.set_index(["group", "variant"])
    kiev = row.loc[("RT", "kiev")]
    assert (kiev.n_group_docs, kiev.n_docs, kiev.n_hits, kiev.n_authorial, kiev.share_non_authorial) == (2, 1, 2, 2, 0)
    kyiv_rt = row.loc[("RT", "kyiv")]
    assert (kyiv_rt.n_docs, kyiv_rt.n_docs_authorial, kyiv_rt.n_quoted, kyiv_rt.share_non_authorial) == (1, 0, 1, 1)
    kyiv_b = row.loc[("Paper B", "kyiv")]
    assert (kyiv_b.n_group_docs, kyiv_b.n_docs, kyiv_b.n_hits, kyiv_b.doc_share) == (2, 1, 2, 0.5)
    assert row.loc[("Paper A", "plain")].n_hits == 1 and pd.isna(row.loc[("Paper A", "kiev")].share_non_authorial)


def test_lexicon_audit_keeps_articles_without_a_group(tmp_path, tiny_corpus):
    corpus = load_corpus(tiny_corpus)
    corpus.loc[corpus.index[0], "outlet"] = None
    audit = lexicon_audit(corpus, _tiny(tmp_path))
    missing = audit[audit["group"] == "(missing)"].set_index("variant")
    assert missing.loc["kiev", "n_hits"] == 2 and missing.loc["kiev", "n_group_docs"] == 1


def test_usage_script_writes_a_table_the_lexicon_reads(tmp_path, tiny_corpus, capsys):
    tool = _tool()
    lex = _tiny(tmp_path, usage="usage: {file: tiny.usage.csv, groups: {ru: RT, ua: Western}}\n")
    assert tool.main(["--corpus", str(tiny_corpus), "--lexicon", str(lex.path)]) == 0
    assert "tiny.usage.csv" in capsys.readouterr().out
    usage = load_lexicon(lex.path).usage()
    assert set(usage["group"]) == {"RT", "Western"} and usage["current"].all()
    western = usage[usage["group"] == "Western"].set_index("variant")
    assert (western.loc["kyiv", "n_group_docs"], western.loc["kyiv", "n_docs"], western.loc["kyiv", "n_hits"]) == (3, 2, 3)
    assert western.loc["kyiv", "fingerprint"] == lex.contrasts["capital"].variants["kyiv"].fingerprint
    table = load_lexicon(lex.path).evidence_table().set_index("variant")
    assert table.loc["kyiv", "own_voice_Western"] == pytest.approx(2 / 3)
    assert table.loc["kyiv", "own_voice_RT"] == 0 and table.loc["kyiv", "usage_check"] == "too rare"
    assert pd.isna(table.loc["plain", "usage_check"])
    # a changed pattern makes that variant's numbers stale, and `lexicon check` says so
    lex.path.write_text(lex.path.read_text().replace('patterns: ["Kiev"]', 'patterns: ["Kiev", "Kievan"]'))
    stale = load_lexicon(lex.path)
    assert not stale.usage().set_index(["group", "variant"]).loc[("RT", "kiev"), "current"]
    assert stale.evidence_table().set_index("variant").loc["kiev", "usage_check"] == "stale"
    assert main(["lexicon", "check", str(lex.path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "capital/kiev" in err and "rerun tools/lexicon_usage.py" in err


def test_usage_script_errors_are_one_line(tmp_path, tiny_corpus, capsys):
    tool = _tool()
    lex = _tiny(tmp_path)
    assert tool.main(["--corpus", str(tiny_corpus), "--lexicon", str(lex.path)]) == 2
    assert "has no `usage: file:`" in capsys.readouterr().err
    out = tmp_path / "u.csv"
    assert tool.main(["--corpus", str(tiny_corpus), "--lexicon", str(lex.path), "--state-outlet", "TASS",
                      "-o", str(out)]) == 2
    assert "no articles from ['TASS']" in capsys.readouterr().err and not out.exists()


def test_usage_check_labels(tmp_path):
    lex = _tiny(tmp_path, usage="usage: {file: hand.csv, groups: {ru: R, ua: W}}\n")
    prints = {v.id: v.fingerprint for v in lex.variants}
    # hand-made numbers: own-voice article shares per group (R, W) and article counts
    rows = {"kiev": ((0.30, 0.01), (30, 2)),     # R writes it 30x as often: agrees
            "kyiv": ((0.10, 0.15), (10, 30)),    # W's side, but W only 1.5x R: weak
            "collective": ((0.01, 0.04), (10, 40))}  # R's side, yet W uses it more: against
    records = []
    for vid, ((r, w), (nr, nw)) in rows.items():
        contrast = "west" if vid == "collective" else "capital"
        for group, share, n in (("R", r, nr), ("W", w, nw)):
            records.append({"group": group, "contrast": contrast, "variant": vid, "side": None, "n_group_docs": 100,
                            "n_docs": n, "doc_share": share, "n_docs_authorial": n, "doc_share_authorial": share,
                            "n_hits": n, "n_authorial": n, "n_quoted": 0, "n_distanced": 0,
                            "share_non_authorial": 0.0, "fingerprint": prints[vid]})
    pd.DataFrame(records).to_csv(tmp_path / "hand.csv", index=False)
    table = load_lexicon(lex.path).evidence_table().set_index("variant")
    assert table.loc["kiev", "usage_check"] == "agrees" and table.loc["kiev", "usage_ratio"] == pytest.approx(30)
    assert table.loc["kyiv", "usage_check"] == "weak"
    assert table.loc["collective", "usage_check"] == "against"
    assert table.loc["plain", "usage_check"] is None or pd.isna(table.loc["plain", "usage_check"])


def test_usage_file_missing_is_a_clear_error(tmp_path):
    from framing import LexiconError

    lex = _tiny(tmp_path, usage="usage: {file: nowhere.csv, groups: {ru: R, ua: W}}\n")
    with pytest.raises(LexiconError, match="nowhere.csv not found; write it with `python tools/lexicon_usage.py`"):
        lex.usage()


# ------------------------------------------------------------------ command line
def test_lexicon_show_lists_evidence_contested_and_usage(capsys):
    assert main(["lexicon", "show", "russia-ukraine"]) == 0
    out = capsys.readouterr().out
    block = out[out.index("== referendums"):out.index("== new_territories")]
    assert "contested: Until 2026.12 plain" in block
    assert "- referendum [no side]" in block and "own voice: RT" in block
    assert "- qualified_referendum [ua_western]" in block and "evidence: The IMI/Stratcom glossary" in block
    # a label (its own kind): RT's "Kyiv insists the attack was unprovoked" is attributed, not RT's voice
    [unprovoked] = [line for line in out.splitlines() if "- unprovoked [ua_western, not in lean]" in line]
    assert "own voice: RT 0.1%" in unprovoked and "check: agrees" in unprovoked
    assert "== foreign_fighters: Foreigners fighting for Ukraine  [D. Legitimacy and actors, label, exploratory" in out
    assert "S51: United Nations General Assembly, 'Resolution 68/262" in out and "https://undocs.org/A/RES/68/262" in out


def test_lexicon_show_plain_lexicon_without_usage(capsys):
    assert main(["lexicon", "show", "tests/fixtures/mini-lexicon.yaml"]) == 0
    out = capsys.readouterr().out
    assert "not: chicken Kiev" in out and "own voice" not in out


def test_lexicon_audit_on_the_seed_corpus(tmp_path, capsys):
    assert main(["lexicon", "audit", "russia-ukraine", "data/seed"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.split()[:2] == ["capital", "kiev"])
    assert line.split()[2:5] == ["ru_state", "RT", "1"]
    assert "mostly someone else's words" in out and "special_operation" in out.split("mostly")[1]
    path = tmp_path / "audit.csv"
    assert main(["lexicon", "audit", "russia-ukraine", "data/seed", "-o", str(path)]) == 0
    audit = pd.read_csv(path)
    assert len(audit) == 85 * audit["group"].nunique() and audit["n_hits"].sum() > 0


@pytest.mark.parametrize(("argv", "needle"), [
    (["lexicon", "audit", "russia-ukraine"], "needs a corpus"),
    (["lexicon", "show", "russia-ukraine", "data/seed"], "takes no corpus"),
    (["lexicon", "audit", "russia-ukraine", "data/seed", "--by", "colour"], "no column 'colour'"),
])
def test_lexicon_command_errors_are_one_line(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


@pytest.mark.shared
@pytest.mark.slow
def test_committed_usage_matches_the_research_corpus(ukraine_path):
    """The committed numbers are what the script computes on the corpus today (skipped without ../shared)."""
    tool = _tool()
    lex = load_lexicon("russia-ukraine")
    fresh = tool.usage_table(load_corpus(ukraine_path), lex, corpus_name="ukraine-media-2022")
    committed = lex.usage().drop(columns="current")
    key = ["group", "contrast", "variant"]
    fresh, committed = fresh.set_index(key).sort_index(), committed.set_index(key).sort_index()
    counts = [c for c in fresh.columns if c.startswith("n_")]
    try:
        pd.testing.assert_frame_equal(fresh[counts], committed.reindex(columns=counts), check_dtype=False)
    except AssertionError as exc:
        pytest.fail(f"framing/lexicons/russia-ukraine.usage.csv is out of date (lexicon or voice rules changed): "
                    f"rerun `python tools/lexicon_usage.py` and commit the file\n{exc}")


def test_textwrap_is_used_only_for_display():
    # the CLI wraps long texts; URLs must never be broken across lines (they would not be clickable)
    from framing.cli import wrapped_lines

    lines = wrapped_lines("S1", "A " + "https://example.org/a-very-long-path-with-many-hyphens-" * 3, 2)
    assert any("https://example.org/a-very-long-path-with-many-hyphens-https" in ln for ln in lines)
    assert textwrap.dedent(lines[0]).startswith("S1: ")
