"""find_hits / count_hits / kwic: matching rules, offsets, voice, engines, and properties."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import Lexicon, count_hits, find_hits, kwic, load_corpus, load_lexicon
from framing.match import HIT_COLUMNS, available_engines, compile_lexicon

from ..conftest import ROOT

MINI = load_lexicon(ROOT / "tests" / "fixtures" / "mini-lexicon.yaml")
ENGINES = available_engines()


def corpus_of(*texts, outlets=None, titles=None) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame({
        "outlet": outlets or ["A"] * n,
        "title": titles or [None] * n,
        "published": pd.to_datetime(["2022-03-01"] * n),
        "text": list(texts),
    }, index=pd.Index([f"d{i}" for i in range(n)], name="doc_id"))


def hits_of(text, engine="auto", **kw):
    return find_hits(corpus_of(text), MINI, engine=engine, **kw)


def test_columns_and_offsets_point_at_the_text(seed_corpus):
    hits = find_hits(seed_corpus, MINI)
    assert list(hits.columns) == HIT_COLUMNS
    for row in hits.itertuples():
        assert seed_corpus.loc[row.doc_id, row.field][row.start:row.end] == row.match
    assert set(hits["voice"]) <= {"authorial", "quoted", "distanced"}


def test_titles_are_scanned(seed_corpus):
    hits = find_hits(seed_corpus, MINI)
    rt = hits[(hits.doc_id == "003_a08c4a9378959592") & (hits.field == "title")]
    assert rt["match"].tolist() == ["Kiev"]


@pytest.mark.parametrize("engine", ENGINES)
def test_longest_match_within_a_contrast(engine):
    hits = hits_of("The special military operation went on; a military operation too.", engine)
    assert hits["match"].tolist() == ["special military operation", "military operation"]


@pytest.mark.parametrize("engine", ENGINES)
def test_contrasts_may_overlap(engine):
    hits = hits_of("Talks with the Kiev regime stalled.", engine)
    assert sorted(zip(hits.contrast, hits.match, strict=True)) == [("capital", "Kiev"), ("government", "Kiev regime")]


@pytest.mark.parametrize("engine", ENGINES)
def test_except_phrases_count_for_nothing_and_are_listed(engine):
    text = "He ate chicken Kiev near Dynamo Kyiv stadium; war crimes; the cold war; the war."
    hits, excluded = hits_of(text, engine, return_excluded=True)
    assert hits["match"].tolist() == ["war"]
    assert sorted(excluded["except_match"]) == ["Dynamo Kyiv", "chicken Kiev", "cold war", "war crimes"]
    for row in excluded.itertuples():
        assert text[row.start:row.end] == row.match and text[row.except_start:row.except_end] == row.except_match


@pytest.mark.parametrize("engine", ENGINES)
def test_pattern_syntax(engine):
    text = ("Troops invaded and invades; a full scale invasion, a full-scale invasion; "
            "Kiev's mayor; KIEV; the LPR and the lpr; special\u00a0military\n operation; Kievan; Kiev‐based.")
    hits = hits_of(text, engine)
    assert hits["match"].tolist() == ["invaded", "invades", "full scale invasion", "full-scale invasion", "Kiev",
                                      "KIEV", "LPR", "special\u00a0military\n operation", "Kiev"]


@pytest.mark.parametrize("engine", ENGINES)
def test_unicode_word_boundaries(engine):
    assert hits_of("Kievé and éKiev and Kiev.", engine)["start"].tolist() == [20]


def test_engines_give_identical_hits(seed_corpus):
    if len(ENGINES) < 2:
        pytest.skip("only the portable engine is installed")
    a, ea = find_hits(seed_corpus, MINI, engine="hyperscan", return_excluded=True)
    b, eb = find_hits(seed_corpus, MINI, engine="python", return_excluded=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ea, eb)


def test_row_order_is_deterministic(seed_corpus):
    a = find_hits(seed_corpus, MINI)
    b = find_hits(seed_corpus.iloc[::-1].iloc[::-1], MINI)
    pd.testing.assert_frame_equal(a, b)


def test_count_hits_tidy(seed_corpus):
    counts = count_hits(seed_corpus, MINI)
    assert list(counts.columns) == ["group", "contrast", "variant", "side", "voice", "n_hits", "n_docs"]
    hits = find_hits(seed_corpus, MINI)
    assert counts["n_hits"].sum() == len(hits)
    rt = counts[(counts.group == "RT") & (counts.variant == "kiev")]
    assert rt["n_hits"].sum() == ((hits.outlet == "RT") & (hits.variant == "kiev")).sum()
    assert count_hits(seed_corpus, MINI, voice="quoted")["voice"].unique().tolist() == ["quoted"]


def test_count_hits_by_any_column(seed_corpus):
    counts = count_hits(seed_corpus, MINI, by="outlet_country")
    assert "Russia" in set(counts["group"])


def test_count_hits_streams_a_file(tmp_path, seed_corpus):
    path = tmp_path / "seed.parquet"
    seed_corpus.reset_index().to_parquet(path)
    streamed = count_hits(path, MINI, chunksize=2, id_col="doc_id", clean=False)
    pd.testing.assert_frame_equal(streamed, count_hits(seed_corpus, MINI))


def test_streamed_counts_report_articles_and_dropped_records(tmp_path, seed_corpus):
    body = seed_corpus.reset_index()[["doc_id", "outlet", "title", "text"]]
    path = tmp_path / "seed.csv"
    path.write_text(body[:1].to_csv(index=False, lineterminator="\n")
                    + 'broken,"record",with,too,many,fields\n'
                    + body[1:].to_csv(index=False, header=False, lineterminator="\n"), encoding="utf-8")
    streamed = count_hits(path, MINI, chunksize=2, id_col="doc_id", clean=False, skip_bad=True)
    pd.testing.assert_frame_equal(streamed, count_hits(seed_corpus, MINI))
    assert streamed.attrs["n_articles"] == 5 and streamed.attrs["n_skipped"] == 1
    [skipped] = streamed.attrs["skipped"]
    assert skipped["line"] == body[:1].to_csv(index=False, lineterminator="\n").count("\n") + 1 and skipped["source_file"].endswith("seed.csv")
    assert skipped["reason"].startswith("malformed record")
    assert sum(streamed.attrs["n_docs"].values()) == 5


def test_streamed_voice_filter_equals_in_memory(tmp_path, seed_corpus):
    path = tmp_path / "seed.parquet"
    seed_corpus.reset_index().to_parquet(path)
    for voice in ("authorial", ["quoted", "distanced"]):
        streamed = count_hits(path, MINI, voice=voice, chunksize=1, id_col="doc_id", clean=False)
        pd.testing.assert_frame_equal(streamed, count_hits(seed_corpus, MINI, voice=voice))


def test_exclude_shared_needs_an_in_memory_corpus():
    from framing import FramingError

    with pytest.raises(FramingError, match="load_corpus"):
        count_hits("data/seed", MINI, exclude_shared=True)


def test_write_hits_streams_every_hit_to_parquet(tmp_path, seed_corpus):
    from framing import write_hits

    path = tmp_path / "seed.parquet"
    seed_corpus.reset_index().to_parquet(path)
    out = tmp_path / "hits.parquet"
    summary = write_hits(path, MINI, out, chunksize=2, id_col="doc_id", clean=False)
    written = pd.read_parquet(out)
    expected = find_hits(seed_corpus, MINI)
    assert summary["n_hits"] == len(written) == len(expected) and summary["n_articles"] == 5
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    assert not list(tmp_path.glob(".*tmp")) and summary["counts"] is None
    counted = write_hits(path, MINI, out, chunksize=2, id_col="doc_id", clean=False, by="outlet",
                         voice="authorial")["counts"]
    pd.testing.assert_frame_equal(counted, count_hits(seed_corpus, MINI, voice="authorial"))
    assert counted.attrs["n_docs"] == count_hits(seed_corpus, MINI).attrs["n_docs"]


def test_write_hits_with_no_hits_writes_an_empty_table(tmp_path):
    from framing import write_hits

    path = tmp_path / "a.csv"
    path.write_text("outlet,text\nA,nothing relevant here at all\n", encoding="utf-8")
    summary = write_hits(path, MINI, tmp_path / "hits.parquet")
    assert summary["n_hits"] == 0
    assert list(pd.read_parquet(tmp_path / "hits.parquet").columns) == HIT_COLUMNS


def test_kwic_by_variant_and_pattern(seed_corpus):
    k = kwic(seed_corpus, MINI, variant="kiev")
    assert len(k) == 9 and set(k["outlet"]) == {"RT"}
    assert list(k.columns[:8]) == ["doc_id", "outlet", "field", "start", "end", "left", "match", "right"]
    k = kwic(seed_corpus, pattern="annex*")
    assert set(k["match"].str.lower()) == {"annex", "annexed", "annexation", "annexations"}


def test_kwic_html_is_escaped():
    k = kwic(corpus_of("<script>alert(1)</script> Kiev <b>x</b>"), MINI, contrast="capital")
    html = k._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_bad_arguments_are_clear(seed_corpus):
    from framing import FramingError

    with pytest.raises(FramingError, match="unknown contrast"):
        kwic(seed_corpus, MINI, contrast="nope")
    with pytest.raises(FramingError, match="unknown voice"):
        count_hits(seed_corpus, MINI, voice="loud")
    with pytest.raises(FramingError, match="corpus table"):
        find_hits(["a text"], MINI)


# --------------------------------------------------------------------------------- properties
WORDS = st.sampled_from(["Kiev", "Kyiv", "war", "special", "military", "operation", "invasion", "the", "said",
                         "regime", "Kiev regime", "so-called", "referendums", "DPR", "chicken", ",", ".", "\n",
                         "“", "”", '"', "’s", "Russia’s", "é", "LPR", "separatists"])
TEXTS = st.lists(WORDS, min_size=0, max_size=40).map(" ".join)
settings.register_profile("framing", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=80)
settings.load_profile("framing")


@given(TEXTS)
def test_hits_of_one_contrast_never_overlap_and_offsets_hold(text):
    hits = hits_of(text)
    for _, group in hits.groupby("contrast"):
        ends = group.sort_values("start")
        assert (ends["start"].to_numpy()[1:] >= ends["end"].to_numpy()[:-1]).all()
    for row in hits.itertuples():
        assert text[row.start:row.end] == row.match


@given(TEXTS)
def test_letter_case_does_not_change_case_insensitive_counts(text):
    def counts(t):
        h = hits_of(t)
        h = h[~h["variant"].isin(["dpr"])]  # DPR/LPR are case-sensitive
        return h.groupby("variant").size().to_dict()

    assert counts(text.upper()) == counts(text) == counts(text.lower())


@given(st.lists(st.sampled_from(["Kiev", "Kyiv", "war", "invasion", "the", "army", "said", "referendums",
                                 "special military operation"]), min_size=1, max_size=15).map(" ".join))
def test_wrapping_a_sentence_in_quotes_makes_its_hits_quoted(sentence):
    plain = hits_of(f"{sentence}.")
    quoted = hits_of(f"“{sentence}, and more,” he said.")
    assert len(plain) == len(quoted)
    assert set(quoted["voice"]) <= {"quoted"}


@given(st.text(max_size=200))
@settings(max_examples=150)
def test_arbitrary_unicode_never_crashes(text):
    for engine in ENGINES:
        hits = hits_of(text, engine)
        for row in hits.itertuples():
            assert text[row.start:row.end] == row.match


@pytest.mark.slow
def test_engines_identical_on_the_research_corpus(ukraine_path):
    if len(ENGINES) < 2:
        pytest.skip("only the portable engine is installed")
    corpus = load_corpus(ukraine_path).iloc[::7]
    lex = load_lexicon("russia-ukraine")
    a = find_hits(corpus, lex, engine="hyperscan", context=0)
    b = find_hits(corpus, lex, engine="python", context=0)
    pd.testing.assert_frame_equal(a, b)


def test_compiled_lexicon_pickles():
    import pickle

    m = compile_lexicon(MINI)
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.scan(["the Kiev regime"])[1].tolist() == m.scan(["the Kiev regime"])[1].tolist()


# ------------------------------------------------------------- the fast path against a reference
def reference_hits(texts, lexicon, context=60):
    """A straightforward find_hits over plain texts (the matcher's specification, slowly).

    Per text: every start of every pattern's regex (Python ``re``), Unicode word boundaries, the
    greedy leftmost-longest loop per contrast with ``except`` phrases, the context rules one hit
    at a time, the voice from ``voice.Analyzer`` (with each contrast's kind), the sentence from
    ``framing.text.sentence_at``. Returns (hits, excluded) as sorted lists of tuples.
    """
    import re

    from framing.lexicon import surface_form
    from framing.match.compiled import CompiledLexicon, pattern_regex
    from framing.match.scan import one_line
    from framing.text import sentence_at, sentence_bounds_at
    from framing.voice import Analyzer

    def finder(pattern, case_sensitive):
        rx = re.compile("(?=(" + pattern_regex(pattern, case_sensitive) + "))",
                        re.ASCII | (0 if case_sensitive else re.IGNORECASE))

        def spans(text):
            for m in rx.finditer(text):
                a, b = m.start(), m.end(1)
                if a > 0 and text[a - 1].isalnum() and pattern[0].isalnum():
                    continue
                if b < len(text) and text[b].isalnum() and (pattern[-1].isalnum() or pattern[-1] == "*"):
                    continue
                yield a, b
        return spans

    entries = [e for e in CompiledLexicon(lexicon, "python").entries if not e.aux]  # the lexicon's own
    finders = [finder(e.pattern, e.case_sensitive) for e in entries]
    rules = lexicon.rules
    rule_finders = [[finder(w, r.case_sensitive) for w in r.words] for r in rules]
    variants = [(c, v) for c in lexicon.contrasts.values() for v in c.variants.values()]
    contrast_order = list(lexicon.contrasts)
    hits, excluded = [], []
    for t, text in enumerate(texts):
        raw = sorted((a, -b, i) for i, f in enumerate(finders) for a, b in f(text))
        last, kept = {}, []
        for a, minus_b, i in raw:
            e, b = entries[i], -minus_b
            prev = last.get(e.contrast)
            if prev is None or a >= prev[0]:
                last[e.contrast] = (b, i, a)
                if not e.is_except:
                    kept.append((e.variant, a, b, i))
            elif entries[prev[1]].is_except and not e.is_except:
                excluded.append((t, e.variant, text[a:b], a, b, text[prev[2]:prev[0]], prev[2], prev[0], "except"))
        counted = []
        terms = []  # the scare-quote rule's lexicon terms: hits no sentence or paragraph rule removed (article
        # rules are decided after voicing, once every field of the article is scanned: their hits still count)
        for v, a, b, i in kept:
            c, var = variants[v]
            first_out = None
            for r, rule in enumerate(rules):
                if rule.contrast != c.id or rule.variant not in (None, var.id):
                    continue
                if rule.patterns and surface_form(entries[i].pattern) not in {surface_form(p) for p in rule.patterns}:
                    continue
                if rule.scope == "sentence":
                    lo, hi = sentence_bounds_at(text, a, b)
                elif rule.scope == "paragraph":
                    lo, hi = text.rfind("\n", 0, a) + 1, (text.find("\n", b) + 1 or len(text) + 1) - 1
                else:
                    lo, hi = 0, len(text)
                found = []  # (characters between, start, end) of the rule's words that qualify
                for f in rule_finders[r]:
                    for ws, we in f(text):
                        if ws < lo or we > hi:
                            continue
                        gap = text[we:a] if we <= a else text[b:ws] if ws >= b else ""
                        side = "before" if we <= a else "after" if ws >= b else "overlap"
                        if {"not_after": "before", "not_before": "after"}.get(rule.kind, side) != side:
                            continue
                        if rule.within is None or len(re.findall(r"\w+", gap)) <= rule.within:
                            found.append((len(gap), ws, we))
                if bool(found) != (rule.kind == "near"):
                    _, ws, we = min(found) if found else (0, -1, -1)
                    if first_out is None:
                        first_out = rule.scope
                        excluded.append((t, v, text[a:b], a, b, text[ws:we] if ws >= 0 else "", ws, we, rule.kind))
                    if rule.scope != "article":
                        first_out = "local"
                        break
            if first_out is None:
                counted.append((v, a, b))
            if first_out in (None, "article"):
                terms.append((a, b))
        analyzer = Analyzer(text, lexicon.language)
        covered = sorted(terms)
        for v, a, b in counted:
            c, var = variants[v]
            hits.append((t, a, contrast_order.index(c.id), c.id, var.id, text[a:b], b,
                         analyzer.voice(a, b, covered, var.kind or c.kind), one_line(sentence_at(text, a, b)),
                         one_line(text[max(0, a - context):a]), one_line(text[b:b + context])))
    return sorted(hits), sorted(excluded)


def fast_hits(texts, lexicon, engine="auto", context=60):
    """find_hits on the same texts, as reference_hits' tuples."""
    corpus = corpus_of(*texts)
    hits, excluded = find_hits(corpus, lexicon, engine=engine, fields=("text",), context=context,
                               return_excluded=True)
    order = {c: i for i, c in enumerate(lexicon.contrasts)}
    t = [int(d[1:]) for d in hits["doc_id"]]
    rows = sorted(zip(t, hits["start"], [order[c] for c in hits["contrast"]], hits["contrast"], hits["variant"],
                      hits["match"], hits["end"], hits["voice"], hits["sentence"], hits["left"], hits["right"],
                      strict=True))
    v_index = {(c.id, v.id): i for i, (c, v) in enumerate((c, v) for c in lexicon.contrasts.values()
                                                            for v in c.variants.values())}
    ex = sorted((int(r.doc_id[1:]), v_index[(r.contrast, r.variant)], r.match, r.start, r.end, r.except_match,
                 r.except_start, r.except_end, r.rule) for r in excluded.itertuples())
    return [tuple(int(x) if hasattr(x, "item") else x for x in row) for row in rows], ex


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lexicon", ["mini", "russia-ukraine"])
def test_fast_path_agrees_with_the_reference_on_the_seeds(seed_corpus, engine, lexicon):
    lex = MINI if lexicon == "mini" else load_lexicon(lexicon)
    texts = seed_corpus["text"].tolist() + [t for t in seed_corpus["title"] if isinstance(t, str)]
    assert fast_hits(texts, lex, engine) == reference_hits(texts, lex)


FRAGMENTS = st.sampled_from([
    "Kiev", "Kyiv", "KIEV", "war", "war crimes", "special military operation", "military operation",
    "invasion", "invaded", "full-scale invasion", "full scale\u00a0invasion", "referendums", "so-called referendums",
    "sham referendum", "the Kiev regime", "Kiev's", "Kiev’s", "Ukrainian government", "DPR", "dpr", "separatists",
    "chicken Kiev", "Dynamo Kyiv", "cold war", "said", "the", "Mr.", "U.S.", "Gen.", "É.", "J.", "a.m.", "é",
    "Kievé", "éKiev", "_Kiev", "Russia’s", "soldiers’", "don't", "’90s", "so-called", "what Moscow calls",
    "what it called", "self-proclaimed", "pseudo-", "ſo-called", "quote-unquote", ".", ",", ";", ":", "!", "?",
    "...", "\n", "\n\n", "\t", "  ", '"', "“", "”", "‘", "’", "'", "«", "»", "‹", "›", "„", "[", "]",
    "[in Kiev]", "(", ")", "—", "–", "-", "\u00a0", "Zelenskyy", "Donbass", "x", "1", "½", "İ", "K",
])
TEXT_PIECES = st.lists(FRAGMENTS, min_size=0, max_size=60).map(lambda xs: "".join(
    x if k == 0 or x[:1] in ".,;:!?\n\t ’'”»)]" else " " + x for k, x in enumerate(xs)))


@settings(max_examples=120)
@given(st.lists(TEXT_PIECES, min_size=1, max_size=4))
def test_fast_path_agrees_with_the_reference_on_generated_texts(texts):
    texts = [t for t in texts if t] or ["Kiev"]
    for engine in ENGINES:
        assert fast_hits(texts, MINI, engine, context=20) == reference_hits(texts, MINI, context=20)


@settings(max_examples=60)
@given(st.lists(TEXT_PIECES, min_size=1, max_size=3))
def test_fast_path_agrees_with_the_reference_with_the_built_in_lexicon(texts):
    texts = [t for t in texts if t] or ["Kiev"]
    lex = load_lexicon("russia-ukraine")
    for engine in ENGINES:
        assert fast_hits(texts, lex, engine) == reference_hits(texts, lex)


VOICE_LEX = load_lexicon(ROOT / "tests" / "fixtures" / "voice-lexicon.yaml")
FRAME_FRAGMENTS = st.sampled_from([
    "which", "whom", "what", "the Kremlin", "Moscow", "officials", "has", "long", "often", "not", "calls", "called",
    "call it", "calling them", "dubbed", "labelled", "describes", "described as", "referred to as", "refers to",
    "was", "is", "been", "’s", ", dubbed", "by Moscow", "as", ", as Moscow calls it", "as alleged by", "claimed",
    "claims that", "insisted", "alleged", "allegedly", "accused", "accused Kiev of", "charged with being",
    "suspected of", "for being", "claim that", "allegations of", "that", "were", "had", "shelled", "and", "but",
    "said", "of", "on", "for", "in", "a", "an", "the", "it", "them", "its", "explosion", "incident", "Kiev",
    "Kyiv", "war", "invasion", "special military operation", "military operation", "neo-Nazis", "neo-Nazi",
    "Ukrainian nationalists", "mercenaries", "mercenary", "foreign fighters", "terrorist attack", "terrorist act",
    "drone attack", "Ukrainian attacks", "unprovoked", "Kiev regime", "Ukrainian government", "so-called",
    ".", ",", ";", ":", "—", " - ", "\n", '"', "“", "”", "«", "»", "[", "]", "(", ")", "CALLED", "Claimed", "ſuspected",
    "İnsisted", "écalled", "callé", "calls’", "K",
])
FRAME_TEXTS = st.lists(FRAME_FRAGMENTS, min_size=0, max_size=50).map(lambda xs: "".join(
    x if k == 0 or x[:1] in ".,;:’”»)]\n" else " " + x for k, x in enumerate(xs)))


@settings(max_examples=150)
@given(st.lists(FRAME_TEXTS, min_size=1, max_size=4))
def test_fast_path_agrees_with_the_reference_on_attribution_frames(texts):
    """Attribution frames (with the trigger prefilter) and contrast kinds: fast path == reference."""
    texts = [t for t in texts if t] or ["Kiev"]
    for engine in ENGINES:
        assert fast_hits(texts, VOICE_LEX, engine, context=20) == reference_hits(texts, VOICE_LEX, context=20)


def test_fast_path_agrees_with_the_reference_on_written_frames():
    texts = ["The war, which the Kremlin calls a special military operation, went on. Critics call it an invasion.",
             "Officials called the explosion a terrorist act; Kiev insists the attack was unprovoked.",
             "Putin claimed that Kyiv is run by neo-Nazis, but the Ukrainian government denies it.",
             "He was described as a mercenary, as alleged by officials. Moscow accused Kiev of terrorist attacks.",
             "Two men were charged with being mercenaries and the war, as Moscow calls it, went on."]
    reference = reference_hits(texts, VOICE_LEX)
    assert sum(1 for row in reference[0] if row[7] == "attributed") == 10
    for engine in ENGINES:
        assert fast_hits(texts, VOICE_LEX, engine) == reference


@settings(max_examples=80)
@given(st.lists(st.text(max_size=120), min_size=1, max_size=3))
def test_engines_agree_on_arbitrary_unicode(texts):
    texts = [t.replace("\x00", "") or "x" for t in texts]
    results = [fast_hits(texts, MINI, engine, context=10) for engine in ENGINES]
    assert all(r == results[0] for r in results)
    assert results[0] == reference_hits(texts, MINI, context=10)


def test_chunks_are_independent(seed_corpus, monkeypatch):
    """Texts are scanned in batches; the batch size changes nothing."""
    import framing.match.options as options

    whole = find_hits(seed_corpus, MINI)
    monkeypatch.setattr(options, "CHUNK_CHARS", 3000)
    pd.testing.assert_frame_equal(find_hits(seed_corpus, MINI), whole)


def test_arrow_and_python_string_columns_give_the_same_hits(seed_corpus):
    """Texts kept in Arrow are read from its buffers, others as Python strings: same hits."""
    expected = find_hits(seed_corpus, MINI, return_excluded=True)
    as_object = seed_corpus.astype({"text": object, "title": object})
    for got, want in zip(find_hits(as_object, MINI, return_excluded=True), expected, strict=True):
        pd.testing.assert_frame_equal(got, want)
    mixed = seed_corpus.copy()
    mixed["title"] = pd.Series([None, "", "Kiev regime", None, "war"], index=mixed.index, dtype="str")
    mixed_object = mixed.astype({"text": object, "title": object})
    pd.testing.assert_frame_equal(find_hits(mixed, MINI), find_hits(mixed_object, MINI))
    sliced = seed_corpus.iloc[1:4]  # an Arrow slice: its offsets do not start at 0
    pd.testing.assert_frame_equal(find_hits(sliced, MINI), find_hits(sliced.astype({"text": object}), MINI))
    doubled = pd.concat([seed_corpus, seed_corpus.rename(index=lambda d: d + "b")])  # two Arrow chunks
    pd.testing.assert_frame_equal(find_hits(doubled, MINI), find_hits(doubled.astype({"text": object}), MINI))


def test_streaming_progress_bar_shows_megabytes_and_articles(tmp_path, seed_corpus, capsys):
    path = tmp_path / "seed.parquet"
    seed_corpus.reset_index().to_parquet(path)
    count_hits(path, MINI, chunksize=2, id_col="doc_id", progress=True)
    err = capsys.readouterr().err
    assert "MB" in err and "5 articles" in err and "100%" in err
    count_hits(path, MINI, chunksize=2, id_col="doc_id", progress=None)  # not a terminal: quiet
    assert capsys.readouterr().err == ""


def test_progress_bar_has_a_size_where_the_terminal_reports_none(monkeypatch):
    import os

    from framing.progress import bar_width

    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    assert bar_width() == {"ncols": 100, "nrows": 24}
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((120, 40)))
    assert bar_width() == {"dynamic_ncols": True}


def test_unknown_voice_fails_before_any_reading_or_writing(tmp_path):
    from framing import FramingError, write_hits

    with pytest.raises(FramingError, match="unknown voice 'loud'"):
        count_hits(tmp_path / "not-read.csv", MINI, voice="loud")
    with pytest.raises(FramingError, match="unknown voice"):
        write_hits(tmp_path / "not-read.csv", MINI, tmp_path / "hits.parquet", by="outlet", voice=["quoted", "loud"])
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------------------- context rules
RULES_LEX = Lexicon.from_dict({"name": "rules", "sides": {"ru": "Russian", "ua": "Western"}, "contrasts": {
    "war_name": {"not_near": {"words": ["Pearl Harbor", "Hitler"], "within": 6}, "variants": {
        "special_operation": {"side": "ru", "patterns": ["special military operation", "military operation"],
                              "not_near": {"words": ["Syria", "Turkey"], "within": 6,
                                           "patterns": ["military operation"]}},
        "war": {"side": "ua", "patterns": ["war", "invasion"], "not_before": ["Minister", "of 1812"]}}},
    "referendums": {"near": {"words": ["Donetsk", "annex*"], "scope": "text"}, "variants": {
        "referendum": {"side": "ru", "patterns": ["referendum*"]},
        "sham": {"side": "ua", "patterns": ["sham referendum*"]}}},
    "fighters": {"kind": "label", "variants": {
        "mercenaries": {"side": "ru", "patterns": ["mercenary", "mercenaries"],
                        "not_after": {"words": ["Wagner"], "within": 1},
                        "near": {"words": ["Ukrain*", "Kyiv", "Kiev"], "scope": "paragraph"}},
        "volunteers": {"side": "ua", "patterns": ["foreign volunteers"]}}}}})


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("text", "counted", "removed"), [
    # not_near, for one pattern of the variant only
    ("Turkey launched a military operation in Syria.", [], [("military operation", "not_near", "Syria")]),
    ("Russia's military operation in Ukraine went on for months and months, and Turkey stayed out.",
     ["military operation"], []),
    ("Turkey condemned the special military operation.", ["special military operation"], []),
    # a contrast's rule applies to every variant
    ("Pearl Harbor and the war that followed.", [], [("war", "not_near", "Pearl Harbor")]),
    ("Hitler's invasion of the Soviet Union.", [], [("invasion", "not_near", "Hitler")]),
    # not_before: adjacent by default
    ("War Minister Barclay de Tolly met the army.", [], [("War", "not_before", "Minister")]),
    ("the war of 1812 and the war", ["war"], [("war", "not_before", "of 1812")]),
    # near, in the whole text
    ("Denmark held a referendum on defence.", [], [("referendum", "near", "")]),
    ("The referendums were held.\nMoscow then moved to annex Donetsk.", ["referendums"], []),
    # not_after within one word; near within a paragraph
    ("Wagner mercenaries fought in Ukraine.", [], [("mercenaries", "not_after", "Wagner")]),
    ("Ukraine hired foreign mercenaries.", ["mercenaries"], []),
    ("Foreign mercenaries.\nUkraine denied it.", [], [("mercenaries", "near", "")]),
])
def test_context_rules(engine, text, counted, removed):
    hits, excluded = find_hits(corpus_of(text), RULES_LEX, engine=engine, return_excluded=True)
    assert hits["match"].tolist() == counted
    assert list(zip(excluded["match"], excluded["rule"], excluded["except_match"], strict=True)) == removed
    for row in excluded.itertuples():
        assert row.rule_detail and (row.except_start == -1 or text[row.except_start:row.except_end] == row.except_match)


def test_context_rules_are_explained():
    text = "The referendums were held.\nMoscow then moved to annex Donetsk."
    [row] = find_hits(corpus_of(text), RULES_LEX, explain=True).itertuples()
    assert row.context_rule == "near ['Donetsk', 'annex*'] anywhere in the text (referendums)"
    assert (row.context_word, row.context_word_start) == ("annex", text.index("annex"))  # the nearer one
    plain = find_hits(corpus_of("Kyiv and the war."), RULES_LEX, explain=True)
    assert plain["context_rule"].tolist() == ["not_near ['Pearl Harbor', 'Hitler'] within 6 words in the sentence "
                                              "(war_name); not_before ['Minister', 'of 1812'] within 0 words in the "
                                              "sentence (war_name/war)"]
    assert plain["context_word"].tolist() == [""] and plain["context_word_start"].tolist() == [-1]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_variant_kind_decides_which_frames_attribute_it(engine):
    """Claim frames attribute labels only: a label variant of a naming contrast is attributed, its
    sibling is not (the reference and the fast path agree)."""
    lex = Lexicon.from_dict({"name": "k", "sides": {"ru": "R", "ua": "W"}, "contrasts": {"aggression": {
        "kind": "naming", "variants": {
            "unprovoked": {"side": "ua", "patterns": ["unprovoked"], "kind": "label"},
            "operation": {"side": "ru", "patterns": ["special military operation"]}}}}})
    texts = ["Kyiv insists that the attack was unprovoked.",
             "Kyiv insists that the special military operation was a war."]
    hits = find_hits(corpus_of(*texts), lex, engine=engine, explain=True)
    assert hits["voice"].tolist() == ["attributed", "authorial"]
    assert hits["voice_rule"].tolist() == ["claim_that", "none"]
    assert fast_hits(texts, lex, engine) == reference_hits(texts, lex)


def test_removed_hits_are_not_terms_for_scare_quotes():
    """A hit a rule removed counts for nothing: here the quotation holds another word, so "war" is quoted."""
    hits = find_hits(corpus_of('He said "War Minister, war" again.'), RULES_LEX)
    assert hits["voice"].tolist() == ["quoted"]


RULE_FRAGMENTS = st.sampled_from([
    "military operation", "special military operation", "war", "War", "invasion", "Minister", "of 1812",
    "Pearl Harbor", "Hitler", "Syria", "Turkey", "referendum", "referendums", "sham referendum", "Donetsk", "annexed",
    "mercenaries", "mercenary", "Wagner", "foreign volunteers", "Ukraine", "Ukrainian", "Kyiv", "the", "and", "of",
    "said", "a", "Mr.", ".", ",", ";", "\n", "\n\n", '"', "“", "”", "é", "Syriaé", "éDonetsk", "ДонецкDonetsk",
])
RULE_TEXTS = st.lists(RULE_FRAGMENTS, min_size=0, max_size=50).map(lambda xs: "".join(
    x if k == 0 or x[:1] in ".,;\n”" else " " + x for k, x in enumerate(xs)))


@settings(max_examples=150)
@given(st.lists(RULE_TEXTS, min_size=1, max_size=4))
def test_fast_path_agrees_with_the_reference_on_context_rules(texts):
    texts = [t for t in texts if t] or ["war"]
    for engine in ENGINES:
        assert fast_hits(texts, RULES_LEX, engine, context=20) == reference_hits(texts, RULES_LEX, context=20)


def test_article_scope_reads_every_field_of_the_article():
    lex = Lexicon.from_dict({"name": "x", "sides": {"ru": "R", "ua": "W"}, "contrasts": {"referendums": {
        "near": {"words": ["Donetsk", "annex*"], "scope": "article"}, "variants": {
            "referendum": {"side": "ru", "patterns": ["referendum*"]},
            "sham": {"side": "ua", "patterns": ["sham referendum*"]}}}}})
    corpus = corpus_of("Votes were held in Donetsk and the referendum passed.", "Denmark held a referendum.",
                       titles=["Putin surprised by referendum results", "Denmark's referendum"])
    for engine in ENGINES:
        hits, excluded = find_hits(corpus, lex, engine=engine, return_excluded=True, explain=True)
        assert list(zip(hits["doc_id"], hits["field"], hits["match"], strict=True)) == [
            ("d0", "title", "referendum"), ("d0", "text", "referendum")]
        assert hits["context_word"].tolist() == ["", "Donetsk"]  # the title's word is in the body: no offsets
        assert list(zip(excluded["doc_id"], excluded["field"], excluded["rule"], excluded["except_start"],
                        strict=True)) == [("d1", "title", "near", -1), ("d1", "text", "near", -1)]
        counts = count_hits(corpus, lex)
        assert counts["n_hits"].sum() == 2


def test_article_scope_takes_near_and_not_near_only():
    from framing import LexiconError

    with pytest.raises(LexiconError, match="scope 'article'"):
        Lexicon.from_dict({"name": "x", "sides": {"ru": "R", "ua": "W"}, "contrasts": {"c": {"variants": {
            "a": {"side": "ru", "patterns": ["a"], "not_after": {"words": ["b"], "scope": "article"}},
            "b": {"side": "ua", "patterns": ["c"]}}}}})


def test_corpus_texts_pieces_are_the_pieces_one_by_one():
    import pandas as pd

    from framing._chunk import CorpusTexts

    corpus = pd.DataFrame({"headline": pd.array(["Kyiv", None, "", "café Kiev"], dtype="string[pyarrow]"),
                           "text": ["one", "", None, "four é"]})
    texts = CorpusTexts(corpus, ("headline", "missing", "text"))
    one_by_one = [texts._piece(i) for i in range(len(texts))]
    as_bytes = [bytes(p) if not isinstance(p, str) else p for p in one_by_one]
    for a in range(len(texts) + 1):
        for b in range(a, len(texts) + 1):
            got = [bytes(p) if not isinstance(p, str) else p for p in texts._pieces(a, b)]
            assert got == as_bytes[a:b]
    assert texts.chunk(0, len(texts)).texts == ["Kyiv", "café Kiev", "one", "four é"]
