"""Voice: DESIGN.md's worked examples on the seed articles, and the general rules on unseen text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import assign_voices, voice_of, voice_spans
from framing.match import available_engines


def _voice(text: str, term: str, occurrence: int = 0) -> str:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(term, start + 1)
    return voice_of(text, start, start + len(term))


@pytest.mark.parametrize(
    ("doc", "context", "term", "voice"),
    [
        ("000_cee673ca099f3711", '"The special military operation is continuing," Mr Peskov said',
         "special military operation", "quoted"),
        ("000_cee673ca099f3711", "what he calls Russia's \"special military operation\" against Ukraine",
         "special military operation", "distanced"),
        ("000_cee673ca099f3711", "Moscow held what it called referendums in four regions", "referendums", "distanced"),
        ("003_a08c4a9378959592", "Russia launched its military operation in Ukraine in February 2022",
         "military operation", "authorial"),
        ("000_cee673ca099f3711", "using the Kremlin term for the invasion of Ukraine", "invasion", "authorial"),
    ],
)
def test_design_worked_examples_on_the_seeds(seed_corpus, doc, context, term, voice):
    text = seed_corpus.loc[doc, "text"]
    at = text.index(context) + context.index(term)
    assert voice_of(text, at, at + len(term)) == voice


def test_seed_key_terms_as_a_careful_reader_would(seed_corpus):
    t = seed_corpus.loc["003_a08c4a9378959592", "text"]
    assert _voice(t, "Kiev", 0) == "authorial"                     # RT in its own voice
    assert _voice(t, "[in the conflict with Kiev]") == "authorial"  # editorial insertion in a quote
    assert _voice(t, "Kiev]") == "authorial"
    assert _voice(t, "anything") == "quoted"                         # “sign anything”: more than the term
    t = seed_corpus.loc["001_3f0004297d112331", "text"]
    # refusal to acknowledge “the new territories” as part of Russia: Peskov's term held at a distance
    assert _voice(t, "new territories") == "distanced"
    assert _voice(t, "illegally annexed") == "authorial"
    t = seed_corpus.loc["004_3291864899c34feb", "text"]
    assert _voice(t, "special military operation", 0) == "distanced"  # its "special military operation"
    assert _voice(t, "special military operation", 1) == "quoted"     # he said: "The goals of the ..."
    assert _voice(t, "occupied territory") == "authorial"
    t = seed_corpus.loc["000_cee673ca099f3711", "text"]
    assert _voice(t, "new territories") == "quoted"
    assert _voice(t, "illegal annexation") == "quoted"  # the UN condemned the "attempted illegal annexation"
    assert _voice(t, "annexed") == "authorial"                        # standfirst


@pytest.mark.parametrize(
    ("text", "term", "voice"),
    [
        # multi-paragraph quotation: the second paragraph reopens with a quote mark
        ('He said: "We will not stop the special military operation.\n\n"The goals will be met," he added.',
         "goals", "quoted"),
        ("He said: “We will keep fighting.\n“Kiev must accept,” he added.", "Kiev", "quoted"),
        # the same, in an export that joined paragraphs with spaces
        ("He said: “We will keep fighting. “Kiev must accept,” he added. Kyiv refused.", "Kyiv", "authorial"),
        # an unclosed quotation ends at the paragraph break when the next paragraph does not reopen it
        ('He said: "We will win\nKyiv rejected the claim.', "Kyiv", "authorial"),
        # apostrophes are not quotation marks
        ("Russia’s war and the soldiers’ families: don’t call it an invasion.", "invasion", "authorial"),
        ("It's Ukraine's war, Moscow's 'special operation'.", "special operation", "distanced"),
        # scare quotes with an article or possessive
        ('Moscow calls it the "special military operation".', "special military operation", "distanced"),
        ("Russia’s so-called “referendums” were a sham.", "referendums", "distanced"),
        ("The «special military operation» continued.", "special military operation", "distanced"),
        # a quotation with more than the term is a quotation
        ('Putin praised the "special military operation to protect Donbass".', "special military operation", "quoted"),
        # a quotation wins over a cue inside it
        ("“When we say ‘Kiev regime’ we mean it,” Peskov said.", "Kiev regime", "quoted"),
        ('"The so-called Kyiv government," Lavrov said.', "Kyiv government", "quoted"),
        # distancing cues, up to three words before the term
        ("The self-proclaimed Donetsk People's Republic held a vote.", "Donetsk People's Republic", "distanced"),
        ("They voted in what the Kremlin calls referendums.", "referendums", "distanced"),
        ("Kyiv denounced the pseudo-referendums.", "referendums", "distanced"),
        ("The so-called Donetsk and Luhansk republics.", "Luhansk republics", "distanced"),
        ("The so-called committee met. Referendums followed.", "Referendums", "authorial"),
        ("So-called experts were wrong about the war in Ukraine today.", "war", "authorial"),
        # square brackets inside a quotation are the author's words
        ("“Our goals [in the conflict with Kiev] are clear,” he said.", "Kiev", "authorial"),
        ("“Our goals in the conflict with Kiev are clear,” he said.", "Kiev", "quoted"),
        # headlines and plain narration
        ("Moscow still ready for talks with Kiev – Kremlin", "Kiev", "authorial"),
    ],
)
def test_general_voice_rules(text, term, voice):
    assert _voice(text, term) == voice


def test_cue_inside_the_match_makes_it_distanced():
    text = "Moscow held so-called referendums."
    at = text.index("so-called referendums")
    assert voice_of(text, at, at + len("so-called referendums")) == "distanced"


def test_scare_quote_holding_two_overlapping_terms():
    text = 'RT attacked the "Kiev regime" again.'
    kiev = (text.index("Kiev"), text.index("Kiev") + 4)
    regime = (text.index("Kiev"), text.index("regime") + 6)
    assert assign_voices(text, [kiev, regime]) == ["distanced", "distanced"]


def test_voice_spans_lists_quotations_and_insertions():
    spans = voice_spans("“Our goals [in Kiev] are clear,” he said. “Yes.”")
    assert spans["kind"].tolist() == ["quotation", "insertion", "quotation"]
    assert spans["text"].tolist()[1] == "[in Kiev]"


# ------------------------------------------------------------- the fast path against the reference
QUOTE_PIECES = st.lists(st.sampled_from([
    "Kiev", "war", "the", "said", "Russia’s", "soldiers’", "don't", "’90s", "rock'n'roll", "é’s", "x", "1",
    '"', "“", "”", "‘", "’", "'", "«", "»", "‹", "›", "„", "‟", "‚", "\n", "\n\n", " \n ", "\n“", '\n"', "\t",
    " ", "\u00a0", "(", ")", "[", "]", "—", "–", "-", ".", ",", "!", "?", ";", ":", "_", "½", "İ",
]), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(QUOTE_PIECES, min_size=1, max_size=4))
def test_chunk_quote_spans_are_the_reference_spans(texts):
    from framing._chunk import Chunk
    from framing._chunk_voice import quote_spans
    from framing.voice import _quote_spans

    chunk = Chunk(texts)
    qs, qe = quote_spans(chunk)
    seg = chunk.segment_of(qs)
    got = [[] for _ in texts]
    for t, a, b in zip(seg.tolist(), qs.tolist(), qe.tolist(), strict=True):
        got[t].append((a - int(chunk.starts[t]), b - int(chunk.starts[t])))
    assert got == [_quote_spans(t) for t in texts]


def test_chunk_quote_spans_on_the_seeds(seed_corpus):
    test_chunk_quote_spans_are_the_reference_spans.hypothesis.inner_test(seed_corpus["text"].tolist())


def test_brackets_are_the_reference_brackets():
    from framing._chunk import Chunk
    from framing.voice import _BRACKETS

    texts = ["a [b] c [d\ne] [f [g] h]", "[x", "]y[z]", "[]", "q[r\x00s]t", "“Our goals [in Kiev] are clear”"]
    chunk = Chunk(texts)
    bs, be = chunk.brackets
    expected = [(m.start() + int(chunk.starts[t]), m.end() + int(chunk.starts[t]))
                for t, text in enumerate(texts) for m in _BRACKETS.finditer(text)]
    assert list(zip(bs.tolist(), be.tolist(), strict=True)) == expected


def test_ascii_fold_partners_are_those_of_this_python():
    """The cue prefilter's table of non-ASCII characters that case-insensitive ``re`` equates with
    ASCII letters."""
    import re
    import string

    from framing._prefilter import ASCII_FOLD_PARTNERS

    candidates = {cp for cp in range(128, 0x110000)
                  if any(ch.isascii() for ch in chr(cp).lower() + chr(cp).upper() + chr(cp).casefold())}
    try:
        from re import _casefix

        candidates |= {cp for cp in _casefix._EXTRA_CASES if cp >= 128}
    except ImportError:  # pragma: no cover
        pass
    found = {x: "".join(chr(cp) for cp in sorted(candidates) if re.fullmatch(x, chr(cp), re.IGNORECASE))
             for x in string.ascii_lowercase}
    assert {x: p for x, p in found.items() if p} == ASCII_FOLD_PARTNERS


def _collect_end(i, start, end, flags, ends):
    ends.add(end)


CUE_TEXTS = st.lists(st.sampled_from([
    "so-called", "So Called", "SO-CALLED", "ſo-called", "self-proclaimed", "Self styled", "pseudo", "pseudo-",
    "quote-unquote", "purportedly", "what", "What", "Moscow", "the Kremlin’s", "it", "he", "calls", "called",
    "describes as", "refers to as", "brands", "Kiev", " ", "  ", "\u00a0", "-", ".", "\n", "é", "İ", "K", "x",
]), max_size=30).map(" ".join)


@pytest.mark.skipif("hyperscan" not in available_engines(), reason="needs Hyperscan")
@settings(max_examples=200)
@given(CUE_TEXTS)
def test_cue_prefilter_reports_every_cue_end(text):
    """Every end of every distancing cue (a Python regex) is among the Hyperscan prefilter's ends."""
    import re

    import hyperscan

    from framing._prefilter import cue_prefilter
    from framing.voice import _cue_spec

    buf = text.encode()
    for cue, superset in zip(_cue_spec("en")["cues"], cue_prefilter("en"), strict=True):
        db = hyperscan.Database()
        db.compile(expressions=[superset.encode()], ids=[0], elements=1,
                   flags=[hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_PREFILTER])
        ends: set[int] = set()
        db.scan(buf, match_event_handler=_collect_end, context=ends)
        for start in range(len(text)):
            m = re.compile(cue, re.IGNORECASE).match(text, start)
            if m is not None and m.end() > start:
                assert len(text[:m.end()].encode()) in ends, (cue, text, m)
