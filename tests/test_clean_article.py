"""Article finding in whole-page text, lines an outlet repeats, and cleaning that never loses the story silently.

Synthetic pages written for these tests (menus above the story, a sidebar heading above it, teasers after it,
a comment widget, a footer repeated across one outlet's articles, a repeated prose sentence, a page in
German), a property test over random pages, and the article-extraction benchmark when ../shared holds it.
"""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import (
    clean_text,
    cleaning_flagged,
    cleaning_log,
    cleaning_summary,
    dropped_documents,
    extraction_log,
    input_files,
    iter_corpus,
    load_corpus,
    stock_phrases,
)
from framing.clean import CLEANING_RULES

from .conftest import SHARED

STORY = [
    "Delegations from both countries met in Istanbul on Tuesday to discuss a ceasefire along the front.",
    "Officials said that prisoner exchanges were on the agenda, and that the talks would resume in May.",
    "The foreign minister told reporters that no agreement had been reached on the question of the border.",
    "Residents of the city said they hoped the talks would bring an end to months of shelling.",
]
MENU = ["Home", "World", "Politics", "Business", "Sport", "Culture", "Opinion", "Video"]


def _page(*blocks: list[str]) -> str:
    return "\n".join(line for block in blocks for line in block)


def _reasons(log: pd.DataFrame) -> dict[str, str]:
    return dict(zip(log["text"], log["reason"], strict=True))


# ------------------------------------------------------------------------------ the article finder
def test_sidebar_heading_above_the_story_does_not_wipe_it():
    # the old cleaning armed the end marker on "Trending" (a menu item had been kept) and kept only the menu
    page = _page(MENU, ["Trending", "Stocks slide as oil jumps", "Storm closes schools"], STORY,
                 ["Most Popular", "Stocks slide as oil jumps", "Storm closes schools"])
    cleaned, log = clean_text(page, return_log=True)
    assert cleaned == "\n".join(STORY)
    reasons = log.groupby("reason")["text"].apply(list).to_dict()
    assert reasons["before_article"] == [*MENU, "Trending", "Stocks slide as oil jumps", "Storm closes schools"]
    assert reasons["end_of_article"] == ["Most Popular", "Stocks slide as oil jumps", "Storm closes schools"]


def test_menus_above_and_teasers_after_the_story_are_page_chrome():
    teasers = ["Opinion: why the talks matter for Europe", "Five things to know about the ceasefire plan",
               "Watch: the mayor on life under shelling", "Newsletter", "Contact us", "About"]
    page = _page(MENU, ["Talks resume in Istanbul"], STORY, teasers)
    cleaned, log = clean_text(page, title="Talks resume in Istanbul", return_log=True)
    assert cleaned == "\n".join(STORY)
    assert _reasons(log)["Talks resume in Istanbul"] == "headline"
    assert {_reasons(log)[t] for t in teasers} == {"after_article"}
    assert {_reasons(log)[m] for m in MENU} == {"before_article"}


def test_the_standfirst_below_the_headline_is_kept_and_the_lead_chrome_is_not():
    standfirst = "Negotiators from both sides meet for the first time since the spring offensive began"
    page = _page(MENU, ["Talks resume in Istanbul", "By Jane Doe", "Share", standfirst], STORY)
    cleaned, log = clean_text(page, title="Talks resume in Istanbul", return_log=True)
    assert cleaned.split("\n")[0] == standfirst
    assert _reasons(log)["By Jane Doe"] == "byline"
    assert _reasons(log)["Share"] == "ui_label"


def test_comment_widget_ends_the_article():
    comments = ["3 Comments", "reader42 says:", "This is the best news I have read all week, thank you for it.",
                "anon says:", "I do not believe a word of what the ministry said about the border."]
    cleaned, log = clean_text(_page(MENU, STORY, comments), return_log=True)
    assert cleaned == "\n".join(STORY)
    assert {_reasons(log)[c] for c in comments} == {"end_of_article"}


def test_a_list_under_a_short_intro_runs_to_the_end_marker():
    # a recipe or a plan: two sentences of prose, then a long list without final punctuation; the list is the
    # article, up to the end-of-article marker, and the teasers after the marker are not
    intro = STORY[:2]
    items = [f"Step {i}: {n} cups of flour, {i} eggs and {n} grams of sugar, mixed for {i} minutes"
             for i, n in zip(range(1, 16), range(20, 35), strict=True)]
    teasers = ["Related Articles", "Stocks slide as oil jumps", "Storm closes schools"]
    cleaned, log = clean_text(_page(MENU, intro, items, teasers), return_log=True)
    assert cleaned == "\n".join([*intro, *items])
    assert {_reasons(log)[t] for t in teasers} == {"end_of_article"}
    # a few labels between a full story and the marker stay page chrome (the list rule needs a body longer
    # than the prose found above it)
    labels = ["Tags", "Ceasefire", "Istanbul", "Diplomacy"]
    cleaned, log = clean_text(_page(MENU, STORY, labels, teasers), return_log=True)
    assert cleaned == "\n".join(STORY)
    assert {_reasons(log)[t] for t in labels} == {"after_article"}


def test_an_inline_box_of_related_links_does_not_end_the_article():
    page = _page(MENU, STORY[:2], ["Related articles", "Talks collapse in Minsk", "Army retakes village"],
                 STORY[2:], ["Related articles", "Storm closes schools"])
    cleaned, log = clean_text(page, return_log=True)
    assert all(line in cleaned for line in STORY)
    assert _reasons(log)["Storm closes schools"] == "end_of_article"


def test_non_english_page():
    story = ["Die Delegationen beider Länder trafen sich am Dienstag in Istanbul, um über eine Waffenruhe zu sprechen.",
             "Nach Angaben der Beamten stand auch ein Austausch von Gefangenen auf der Tagesordnung der Gespräche.",
             "Der Außenminister sagte, dass es bei der Frage der Grenze noch keine Einigung gegeben habe.",
             "Die Bewohner der Stadt hoffen, dass die Gespräche ein Ende des monatelangen Beschusses bringen."]
    menu = ["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur", "Meistgelesen", "Wetter", "Video"]
    footer = ["Impressum", "Datenschutz", "Kontakt", "© 2022 Beispiel Zeitung. Alle Rechte vorbehalten."]
    cleaned, log = clean_text(_page(menu, ["Gespräche in Istanbul"], story, footer),
                              title="Gespräche in Istanbul", return_log=True)
    assert cleaned == "\n".join(story)
    assert _reasons(log)["© 2022 Beispiel Zeitung. Alle Rechte vorbehalten."] == "legal_notice"
    assert {_reasons(log)[m] for m in menu} == {"before_article"}


def test_a_clean_article_loses_nothing_but_its_chrome():
    story = [*STORY, "“It is over,” he said.", "He denied it."]
    cleaned, log = clean_text("\n\n".join(story), return_log=True)
    assert log.empty
    assert cleaned == "\n\n".join(story)


def test_skip_rules_keep_the_page_around_the_article():
    page = _page(MENU, STORY, ["Contact us", "About"])
    cleaned = clean_text(page, skip_rules=["before_article", "after_article"])
    assert cleaned == page
    with pytest.raises(Exception, match="unknown cleaning rule"):
        clean_text(page, skip_rules=["no_such_rule"])


# ------------------------------------------------------------------------------ never silent
def _folder(tmp_path, rows):
    folder = tmp_path / "corpus"
    folder.mkdir(parents=True)
    meta = []
    for name, outlet, title, text in rows:
        (folder / f"{name}.txt").write_text(text, "utf-8")
        meta.append({"file": f"{name}.txt", "outlet": outlet, "title": title})
    pd.DataFrame(meta).to_csv(folder / "metadata.csv", index=False)
    return folder


def test_menu_only_page_is_flagged_and_drop_empty_drops_it(tmp_path):
    folder = _folder(tmp_path, [("menu", "Daily", "Menu page", "\n".join(MENU + ["Newsletter", "Contact us"])),
                                ("story", "Daily", "Talks", "\n".join(STORY))])
    c = load_corpus(folder)
    flagged = cleaning_flagged(c).set_index("doc_id")
    assert flagged.loc["menu", "flag"] == "chrome_only"
    assert "story" not in flagged.index
    c2 = load_corpus(folder, drop_empty=True)
    assert list(c2.index) == ["story"]
    assert dropped_documents(c2)["reason"].str.startswith("only page chrome left").tolist() == [True]


def test_cleaning_that_would_leave_too_little_keeps_the_raw_text_and_flags_it():
    long_caption = ("FILE PHOTO: " + " ".join(STORY)).replace("\n", " ")  # a whole story behind a caption marker
    assert len(long_caption.split()) < 80
    from framing.clean import clean_article

    out = clean_article(long_caption, None)
    assert out.flag == "kept_raw" and out.cleaned == long_caption and out.removed == []
    assert "raw text kept" in out.note


def test_every_article_has_a_cleaning_record(tmp_path):
    folder = _folder(tmp_path, [("a", "Daily", "Talks resume", _page(MENU, ["Talks resume"], STORY)),
                                ("b", "Daily", "Plain", "\n".join(STORY))])
    c = load_corpus(folder)
    summary = cleaning_summary(c).set_index("doc_id")
    assert list(summary.index) == ["a", "b"]
    rules = [r for r in CLEANING_RULES if r in summary.columns]
    assert (summary["words_before"] - summary["words_after"]).tolist() == summary[rules].sum(axis=1).tolist()
    assert summary.loc["a", "before_article"] == len(MENU)
    assert summary.loc["b", "words_before"] == summary.loc["b", "words_after"]
    by_outlet = cleaning_summary(c, by="outlet").set_index("group")
    assert by_outlet.loc["Daily", "n_articles"] == 2 and by_outlet.loc["Daily", "n_articles_cleaned"] == 1


# ------------------------------------------------------------------------------ repeated lines
def _outlet_corpus(tmp_path, footer_in: int, outlet_of=lambda i: "Daily"):
    rows = []
    for i in range(4):
        body = [f"Story {i}: " + STORY[i % 4], STORY[(i + 1) % 4], STORY[(i + 2) % 4],
                "Russia calls its actions a 'special military operation' in Ukraine."]
        if i < footer_in:
            body.append("Follow our live coverage at https://daily.example/live")
        rows.append((f"d{i}", outlet_of(i), f"Story {i}", "\n".join(body)))
    return _folder(tmp_path, rows)


def test_a_footer_repeated_on_three_articles_of_one_outlet_is_removed(tmp_path):
    c = load_corpus(_outlet_corpus(tmp_path, footer_in=3))
    log = cleaning_log(c)
    rep = log[log["reason"] == "repeated_on_outlet"]
    assert sorted(rep["doc_id"]) == ["d0", "d1", "d2"]
    assert not c["text"].str.contains("live coverage").any()
    phrases = stock_phrases(c)
    removed = phrases[phrases["status"] == "removed: repeated_on_outlet"]
    assert removed["text"].tolist() == ["Follow our live coverage at https://daily.example/live"]
    assert removed["n_docs"].tolist() == [3]


def test_a_repeated_prose_sentence_stays_and_is_listed(tmp_path):
    c = load_corpus(_outlet_corpus(tmp_path, footer_in=0))
    assert c["text"].str.contains("special military operation").all()
    phrases = stock_phrases(c, min_docs=3)
    kept = phrases[phrases["status"] == "kept: prose sentence"]
    assert "Russia calls its actions a 'special military operation' in Ukraine." in kept["text"].tolist()
    row = kept[kept["text"].str.contains("special military")].iloc[0]
    assert row["group"] == "Daily" and row["n_docs"] == 4


def test_twice_is_not_repeated_and_wire_copy_across_outlets_is_not_repeated_on_outlet(tmp_path):
    for c in (load_corpus(_outlet_corpus(tmp_path / "two", footer_in=2)),
              load_corpus(_outlet_corpus(tmp_path / "wire", footer_in=3, outlet_of=lambda i: f"Outlet {i}"))):
        log = cleaning_log(c)
        assert "repeated_on_outlet" not in set(log["reason"])
        assert set(log[log["text"].str.contains("live coverage")]["reason"]) == {"after_article"}


def test_copies_of_one_article_count_once(tmp_path):
    rows = [(f"d{i}", "Daily", "Same", "\n".join([*STORY, "Follow us at https://daily.example/live"]))
            for i in range(3)]
    c = load_corpus(_folder(tmp_path, rows))
    assert "repeated_on_outlet" not in set(cleaning_log(c)["reason"])


def test_a_promo_inside_one_line_articles_is_cut_out(tmp_path):
    rows = []
    for i in range(3):
        text = (" ".join(STORY[i:] + STORY[:i]) + f" Reporting {i} from Kyiv contributed. ___ Follow our coverage "
                "of the war at https://wire.example/hub/war A soldier walks past a tank, Tuesday. " + " ".join(STORY))
        rows.append({"doc_id": f"w{i}", "outlet": "Wire", "title": f"T{i}", "text": text})
    path = tmp_path / "wire.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    c = load_corpus(path)
    assert not c["text"].str.contains("Follow our coverage").any()
    assert not c["text"].str.contains("___").any()
    assert c["text"].str.contains("A soldier walks past a tank, Tuesday.").all()
    log = cleaning_log(c)
    assert set(log["reason"]) == {"repeated_on_outlet"} and set(log["line_no"]) == {1}
    raw = load_corpus(path, clean=False)
    for doc in c.index:  # what is kept is the raw line without the logged segments
        text = raw.loc[doc, "text"]
        for seg in log[log["doc_id"] == doc]["text"]:
            text = text.replace(seg, " ")
        assert " ".join(text.split()) == c.loc[doc, "text"]


def test_streaming_and_in_memory_clean_alike(tmp_path):
    rows = []
    for i in range(7):
        body = ["Home", "World", f"Headline {i}", *STORY[i % 2:], "Follow us at https://daily.example/live",
                "Most Popular", f"Teaser {i}"]
        rows.append({"doc_id": f"d{i}", "outlet": "Daily" if i % 3 else "Other", "title": f"Headline {i}",
                     "text": "\n".join(body)})
    path = tmp_path / "pages.jsonl"
    pd.DataFrame(rows).to_json(path, orient="records", lines=True)
    whole = load_corpus(path)
    chunks = list(iter_corpus(path, chunksize=2))
    streamed = pd.concat(chunks)
    assert streamed["text"].tolist() == whole["text"].tolist()
    logs = pd.concat([cleaning_log(ch) for ch in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(logs, cleaning_log(whole))
    rep = cleaning_log(whole)[cleaning_log(whole)["reason"] == "repeated_on_outlet"]
    assert sorted(set(rep["text"])) == ["Follow us at https://daily.example/live", "Home", "World"]
    assert len(rep) == 3 * 7  # in every article of both outlets (4 and 3 articles: both reach 3)


@pytest.mark.parametrize("hold", [10**9, 0], ids=["read once", "read twice"])
def test_streaming_reads_a_small_file_once_and_a_large_one_twice(tmp_path, monkeypatch, hold):
    import framing.corpus
    import framing.readers.tables

    rows = [{"doc_id": f"d{i}", "outlet": "Daily", "title": f"Headline {i}",
             "text": "\n".join(["Home", "World", *STORY[i % 2:], "Most Popular", f"Teaser {i}"])} for i in range(7)]
    path = tmp_path / "pages.jsonl"
    pd.DataFrame(rows).to_json(path, orient="records", lines=True)
    whole = load_corpus(path)
    reads = []
    real = framing.readers.tables.read_table
    monkeypatch.setattr(framing.readers.tables, "read_table", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    monkeypatch.setattr(framing.corpus, "HOLD_BYTES", hold)
    chunks = list(iter_corpus(path, chunksize=2))
    assert len(reads) == (1 if hold else 2)
    streamed = pd.concat(chunks)
    assert streamed["text"].tolist() == whole["text"].tolist()
    pd.testing.assert_frame_equal(pd.concat([cleaning_log(ch) for ch in chunks], ignore_index=True),
                                  cleaning_log(whole))
    assert (cleaning_log(whole)["reason"] == "repeated_on_outlet").sum() == 2 * 7
    assert sum(len(input_files(ch)) for ch in chunks) == 1  # the file is listed once either way


def test_flags_live_in_the_extraction_log_and_survive_parquet(tmp_path):
    folder = _folder(tmp_path, [("menu", "Daily", "Menu page", "\n".join(MENU + ["Newsletter"])),
                                ("story", "Daily", "Talks", "\n".join(STORY))])
    c = load_corpus(folder)
    ext = extraction_log(c)
    assert ext.set_index("doc_id").loc["menu", "flag"] == "chrome_only"
    c.to_parquet(tmp_path / "c.parquet")
    back = pd.read_parquet(tmp_path / "c.parquet")
    assert cleaning_flagged(back)["doc_id"].tolist() == ["menu"]


# ------------------------------------------------------------------------------ the property
LINES = st.sampled_from([*STORY, *MENU, "Trending", "Most Popular", "3 Comments", "Advertisement",
                         "By Jane Doe", "Published: 12 March 2022", "© 2022 Daily. All rights reserved.",
                         "Talks resume", "He denied it.", "Read more", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=30), st.sampled_from([None, "Talks resume"]))
def test_cleaning_removes_whole_lines_and_logs_every_one(lines, title):
    text = "\n".join(lines)
    cleaned, log = clean_text(text, title=title, return_log=True)
    raw = [ln for ln in lines if ln.strip()]
    kept = [ln for ln in cleaned.split("\n") if ln.strip()]
    assert Counter(kept) + Counter(log["text"]) == Counter(raw)  # whole lines, every removed one logged
    it = iter(raw)
    assert all(any(k == r for r in it) for k in kept)  # kept lines in their order
    assert all(1 <= n <= len(lines) and lines[n - 1].strip() == t for n, t in zip(log["line_no"], log["text"],
                                                                                    strict=True))
    assert set(log["reason"]) <= set(CLEANING_RULES)


# ------------------------------------------------------------------------------ the benchmark
BENCH = SHARED / "corpora" / "article-extraction-benchmark"


@pytest.mark.slow
def test_article_extraction_benchmark_page_text():
    if not (BENCH / "page-text").exists():
        pytest.skip(f"shared corpus absent: {BENCH}")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from _extraction_metric import score

    truth = {k: v["articleBody"] for k, v in json.loads((BENCH / "ground-truth.json").read_text("utf-8")).items()}
    c = load_corpus(BENCH / "page-text")
    s = score(dict(c["text"].items()), truth)
    raw = score(dict(load_corpus(BENCH / "page-text", clean=False)["text"].items()), truth)
    assert s["f1"] >= 0.90 > raw["f1"]
    assert s["n_wiped"] == 0
    flagged = set(cleaning_flagged(c)["doc_id"])
    assert set(s["wiped"]) <= flagged  # a page that lost its story is never silent
