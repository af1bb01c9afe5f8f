"""Boilerplate cleaning: the exact result on the seed corpus, and general rules on unseen chrome."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import clean_text, cleaning_log, load_corpus

from .conftest import SEED


def _removed(log, doc):
    rows = log[log["doc_id"] == doc]
    return dict(zip(rows["line_no"], rows["reason"], strict=True))


def _raw_lines(doc):
    return (SEED / f"{doc}.txt").read_text("utf-8").split("\n")


def test_every_seed_drops_its_headline_line(seed_corpus):
    log = cleaning_log(seed_corpus)
    headlines = log[log["reason"] == "headline"].set_index("doc_id")["text"]
    assert sorted(headlines.index) == sorted(seed_corpus.index)
    for doc, line in headlines.items():
        assert line.strip().replace("’", "'") == seed_corpus.loc[doc, "title"].replace("’", "'")


def test_seed_000_the_national(seed_corpus):
    doc = "000_cee673ca099f3711"
    removed = _removed(cleaning_log(seed_corpus), doc)
    lines = _raw_lines(doc)
    assert removed == {1: "headline", 5: "photo_caption", 6: "translation_banner", 48: "timestamp"}
    assert lines[4].endswith("open to dialogue. EPA")
    assert lines[5] == "Beta V.1.0 - Powered by automated translation"
    assert lines[47].startswith("Updated: December 02, 2022, 11:56 AM")
    text = seed_corpus.loc[doc, "text"]
    assert text.startswith("Kremlin spokesman Dmitry Peskov says US rejection")
    story = [ln for i, ln in enumerate(lines, 1) if ln.strip() and i not in removed]
    assert all(ln in text for ln in story)


def test_seed_001_american_age(seed_corpus):
    doc = "001_3f0004297d112331"
    removed = _removed(cleaning_log(seed_corpus), doc)
    lines = _raw_lines(doc)
    next_post = lines.index("Next Post") + 1
    assert removed[3] == "byline" and lines[2] == "American Age Official"
    tail = {i for i in range(next_post, len(lines) + 1) if lines[i - 1].strip()}
    assert {i for i, r in removed.items() if r == "end_of_article"} == tail
    assert set(removed) == {1, 3} | tail
    text = seed_corpus.loc[doc, "text"]
    assert "Weinstein" not in text
    assert text.count("•") == 3
    assert text.rstrip().endswith("continuation of the conflict.")


def test_seed_002_thejournal(seed_corpus):
    doc = "002_3bcc3b5630e43c4d"
    removed = _removed(cleaning_log(seed_corpus), doc)
    lines = _raw_lines(doc)
    assert removed[1] == "ui_label"
    assert {removed[i] for i in (3, 5, 7, 9)} == {"donation_appeal"}
    assert lines[8].endswith("For everyone who needs it.")
    assert removed[11] == "photo_caption" and lines[10].endswith("Andrew Harnik")
    assert removed[13] == "headline"
    assert removed[17] == "timestamp" and lines[16] == "LAST UPDATE | 2 Dec 2022"
    close = lines.index("Close") + 1
    assert removed[close] == "ui_label" and lines[close] == "39 Comments"
    tail = {i for i in range(close + 1, len(lines) + 1) if lines[i - 1].strip()}
    assert {i for i, r in removed.items() if r == "end_of_article"} == tail
    assert set(removed) == {1, 3, 5, 7, 9, 11, 13, 17, close} | tail
    text = seed_corpus.loc[doc, "text"]
    assert text.startswith("The American leader made such talks conditional on support by Nato allies.")
    assert text.rstrip().endswith("far understates the actual toll.")


def test_seed_003_rt_only_headline(seed_corpus):
    removed = _removed(cleaning_log(seed_corpus), "003_a08c4a9378959592")
    assert removed == {1: "headline"}


def test_seed_004_reuters_via_inkl(seed_corpus):
    doc = "004_3291864899c34feb"
    removed = _removed(cleaning_log(seed_corpus), doc)
    lines = _raw_lines(doc)
    assert set(range(1, 8)) <= set(removed)  # the aggregator lines before the headline
    assert removed[9] == "headline"
    assert removed[11] == "photo_caption" and lines[10].endswith("REUTERS/Alexander Ermochenko")
    assert removed[29] == "byline"
    sign_up = lines.index("Sign up to read this article") + 1
    tail = {i for i in range(sign_up, len(lines) + 1) if lines[i - 1].strip()}
    assert {i for i, r in removed.items() if r == "end_of_article"} == tail
    assert set(removed) == set(range(1, 8)) | {9, 11, 29} | tail
    text = seed_corpus.loc[doc, "text"]
    assert text.startswith("Russia said on Tuesday")
    assert text.rstrip().endswith("since 2014.")


def test_clean_false_keeps_raw_text():
    raw = load_corpus(SEED, clean=False)
    assert raw.loc["002_3bcc3b5630e43c4d", "text"] == (SEED / "002_3bcc3b5630e43c4d.txt").read_text("utf-8")
    assert cleaning_log(raw).empty


def test_every_removed_line_is_logged(seed_corpus):
    log = cleaning_log(seed_corpus)
    for doc in seed_corpus.index:
        raw = [ln for ln in _raw_lines(doc) if ln.strip()]
        kept = [ln for ln in seed_corpus.loc[doc, "text"].split("\n") if ln.strip()]
        assert len(raw) == len(kept) + (log["doc_id"] == doc).sum()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "ui_label"),
        ("Share this article", "ui_label"),
        ("5 min read", "ui_label"),
        ("Download our app for the latest news", "promo"),
        ("Please consider supporting our independent journalism.", "donation_appeal"),
        ("Soldiers walk past a destroyed tank near Izium. AFP", "photo_caption"),
        ("Residents queue for water in Mykolaiv. Getty Images", "photo_caption"),
        ("A man stands in rubble (Photo: Evgeniy Maloletka/AP)", "photo_caption"),
        ("Ukrainian soldiers fire a howitzer. AP Photo/Libkos", "photo_caption"),
        ("Published: 12 March 2022", "timestamp"),
        ("Last updated on Friday 4 March 2022 09.31 GMT", "timestamp"),
        ("March 4, 2022, 10:02 AM EST", "timestamp"),
        ("This article was machine-translated from German.", "translation_banner"),
        ("(Reporting by Pavel Polityuk; Editing by Toby Chopra)", "byline"),
        ("By Jane Doe and John Roe", "byline"),
    ],
)
def test_general_rules_remove_chrome_of_other_sites(line, reason):
    text = f"Troops advanced on Tuesday, officials said.\n{line}\nThe fighting went on."
    cleaned, log = clean_text(text, return_log=True)
    assert log["reason"].tolist() == [reason]
    assert cleaned == "Troops advanced on Tuesday, officials said.\nThe fighting went on."


@pytest.mark.parametrize(
    "line",
    [
        "Mr Peskov said talks were possible, according to Reuters.",
        "Ukraine says it will fight until the last Russian soldier is ejected from its territory.",
        "Kremlin spokesman Dmitry Peskov says US rejection of annexed territories complicates any meeting",
        "He met Mr. Smith",
        "Published reports said the strike killed 12 people.",
        "Share prices fell sharply in Moscow on Monday.",
        "By the end of the day, the shelling had stopped.",
    ],
)
def test_story_lines_are_kept(line):
    cleaned, log = clean_text(f"Troops advanced.\n{line}\nThe fighting went on.", return_log=True)
    assert log.empty, log
    assert line in cleaned


@pytest.mark.parametrize("marker", ["Related Articles", "Read more stories like this", "12 comments",
                                    "You may also like", "Sign up to read this article"])
def test_end_marker_cuts_the_rest(marker):
    cleaned, log = clean_text(f"Story line one.\nStory line two.\n{marker}\nTeaser for another story.",
                              return_log=True)
    assert cleaned == "Story line one.\nStory line two."
    assert log["reason"].tolist() == ["end_of_article", "end_of_article"]


def test_end_marker_before_any_content_does_not_empty_the_article():
    cleaned = clean_text("Related Stories\nThe story itself.", title=None)
    assert "The story itself." in cleaned


def test_headline_repeat_far_down_does_not_remove_the_story():
    body = "\n".join(f"Paragraph {i} of the story." for i in range(40)) + "\nTalks stall"
    cleaned, log = clean_text(body, title="Talks stall", return_log=True)
    assert log["reason"].tolist() == ["headline"]
    assert cleaned.startswith("Paragraph 0")


def test_a_whole_article_on_one_line_is_never_removed_by_a_line_rule():
    story = " ".join(f"Sentence {i} of a story exported as one line, paragraphs joined by spaces." for i in range(20))
    line = story + " A soldier walks past a tank in Kyiv, Ukraine, Tuesday. (AP Photo/Efrem Lukatsky)"
    cleaned, log = clean_text(line + "\nNext Post\nOther story", return_log=True)
    assert cleaned == line
    assert log["reason"].tolist() == ["end_of_article", "end_of_article"]


# ------------------------------------------------------------------------------ link segments, fast = plain
def _link_spans_plain(line):
    """framing.clean's link segments the plain way (every regex match listed): what the fast code must give."""
    import framing.clean as c

    spans = [(m.start(), m.end()) for m in c._SEP_RUN.finditer(line)] if c._has_sep(line) else []
    for start, end in c._url_tokens(line):
        lo = max(0, start - 300)
        starts = [b.end() for b in c._BOUNDARY.finditer(line, lo, start)]
        if not starts and lo > 0:
            continue
        spans.append((starts[-1] if starts else 0, end))
    merged = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


_PIECES = st.sampled_from(["a", "Word", " ", "  ", "\t", ".", "!", "?", "…", "_", "-", "–", "—", "=", "*", "•", "·",
                           "'", "’", "”", "»", ")", "]", "https://x.org/a", "www.site.com", "http://", "___", "---",
                           "x" * 120, "He said. ", "Follow us at "])


@given(st.lists(_PIECES, max_size=40))
@settings(max_examples=400, deadline=None)
def test_link_segments_fast_equal_plain(pieces):
    import framing.clean as c

    line = "".join(pieces)
    assert c._link_spans(line) == _link_spans_plain(line)


def _line_rule_plain(s, nwords, rules, skip):
    """Every line-rule regex searched, in order (what _line_rule's needles must not change)."""
    if nwords > rules.max_line_words:
        return None
    for reason, patterns, max_words, _ in rules.line_rules:
        if nwords <= max_words and reason not in skip and any(p.search(s) for p in patterns):
            return reason
    return None


def _rule_pieces():
    import framing.clean as c

    needles = sorted({n for *_, ns in c._rules().line_rules for n in ns if n})
    return st.sampled_from([*needles, *(n.upper() for n in needles), *(n.title() for n in needles),
                            "İ", "ı", "ſ", "K", "é", "日本", " ", "©", "2022", "Photo:", "(Reuters)", "."])


@given(st.lists(st.one_of(_rule_pieces(), st.text(max_size=6)), max_size=12), st.booleans())
@settings(max_examples=400, deadline=None)
def test_line_rule_needles_change_no_answer(pieces, skip_promo):
    """The needles only skip regexes that cannot match: the same reason as searching every regex, on lines
    of rule words in any case, Unicode case folds (ſ matches s, K matches k) and arbitrary text."""
    import framing.clean as c

    rules = c._rules()
    s = "".join(pieces).strip()
    skip = frozenset({"promo"}) if skip_promo else frozenset()
    n = len(s.split())
    assert c._line_rule(s, n, rules, skip) == _line_rule_plain(s, n, rules, skip)


def test_line_rule_needle_folds():
    """Python's case-insensitive regex takes ſ for s: the needle check must not hide that match."""
    import framing.clean as c

    rules = c._rules()
    line = "Please ſupport our journalism"
    assert _line_rule_plain(line, 4, rules, frozenset()) == "donation_appeal"
    assert c._line_rule(line, 4, rules, frozenset()) == "donation_appeal"
    assert c._needle(re.compile(r"\bsupport (our|independent) work\b", re.I)) == "support "
    assert c._needle(re.compile(r"^(a|b)\d+$")) is None


_LINK = re.compile(r"(?ai:https?)://|(?<!\w)(?:www|WWW)\.\w")  # what _has_url looks for, as one regex


@given(st.lists(st.sampled_from([":", "//", "/", "http", "HTTPS", "https", "ſ", "x", " ", "www.", "WWW.", "Www.",
                                 "é", "_", "a:b", "10:30"]), max_size=60))
@settings(max_examples=400, deadline=None)
def test_has_url_equals_the_link_regex(pieces):
    """_has_url (colons first, str.find) says what the regex says, also past many colons."""
    import framing.clean as c

    s = "".join(pieces)
    assert c._has_url(s) == bool(_LINK.search(s))
    assert c._has_url(":" * 40 + s) == bool(_LINK.search(":" * 40 + s))
