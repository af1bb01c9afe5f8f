"""Voice: DESIGN.md's worked examples on the seed articles, and the general rules on unseen text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import assign_voices, find_hits, load_lexicon, voice_of, voice_spans
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
        ("Russia’s war and the soldiers’ families: don’t forget the invasion.", "invasion", "authorial"),
        # (the same with "don’t call it an invasion" is a negated naming frame: attributed, below)
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


def test_brackets_are_the_reference_brackets():
    from framing._chunk import Chunk
    from framing.voice import BRACKETS

    texts = ["a [b] c [d\ne] [f [g] h]", "[x", "]y[z]", "[]", "q[r\x00s]t", "“Our goals [in Kiev] are clear”"]
    chunk = Chunk(texts)
    bs, be = chunk.brackets
    expected = [(m.start() + int(chunk.starts[t]), m.end() + int(chunk.starts[t]))
                for t, text in enumerate(texts) for m in BRACKETS.finditer(text)]
    assert list(zip(bs.tolist(), be.tolist(), strict=True)) == expected


def test_ascii_fold_partners_are_those_of_this_python():
    """The cue prefilter's table of non-ASCII characters that case-insensitive ``re`` equates with
    ASCII letters."""
    import re
    import string

    from framing.match.prefilter import ASCII_FOLD_PARTNERS

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
@settings(max_examples=200, deadline=None)
@given(CUE_TEXTS)
def test_cue_prefilter_reports_every_cue_end(text):
    """Every end of every distancing cue (a Python regex) is among the Hyperscan prefilter's ends."""
    import re

    import hyperscan

    from framing.match.prefilter import cue_prefilter
    from framing.voice import cue_spec

    buf = text.encode()
    for cue, superset in zip(cue_spec("en")["cues"], cue_prefilter("en"), strict=True):
        db = hyperscan.Database()
        db.compile(expressions=[superset.encode()], ids=[0], elements=1,
                   flags=[hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_PREFILTER])
        ends: set[int] = set()
        db.scan(buf, match_event_handler=_collect_end, context=ends)
        for start in range(len(text)):
            m = re.compile(cue, re.IGNORECASE).match(text, start)
            if m is not None and m.end() > start:
                assert len(text[:m.end()].encode()) in ends, (cue, text, m)


# ------------------------------------------------------------------------------ attributed voice
VOICE_LEX_PATH = Path(__file__).resolve().parent / "fixtures" / "voice-lexicon.yaml"


def _frames_spec() -> list[dict]:
    from framing.voice import cue_spec

    return cue_spec("en")["attribution"]["frames"]


def _bracketed(example: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentence without its [brackets], and the spans of the bracketed terms."""
    import re

    text, spans, shift = example.replace("[", "").replace("]", ""), [], 0
    for m in re.finditer(r"\[([^\]]+)\]", example):
        start = m.start() - shift
        spans.append((start, start + len(m.group(1))))
        shift += 2
    return text, spans


FRAME_EXAMPLES = [(f["id"], "label" if set(f["kinds"]) == {"label"} else "naming", ex)
                  for f in _frames_spec() for ex in f.get("examples", [])]


def test_every_frame_has_examples():
    assert {f["id"] for f in _frames_spec()} == {fid for fid, _, _ in FRAME_EXAMPLES}


@pytest.mark.parametrize(("frame", "kind", "example"), FRAME_EXAMPLES)
def test_frame_examples_are_attributed_by_their_frame(frame, kind, example):
    """The examples in voice_cues.yaml, by the reference rules and by find_hits on both engines."""
    from framing import Lexicon

    text, spans = _bracketed(example)
    for a, b in spans:
        got = voice_of(text, a, b, kind=kind, explain=True)
        assert (got["voice"], got["rule"]) == ("attributed", frame), (example, text[a:b])
        assert text[got["cue_start"]:got["cue_end"]] == got["cue"] and got["cue"]
    terms = sorted({text[a:b] for a, b in spans})
    lex = Lexicon.from_dict({"name": "x", "sides": {"a": "A", "b": "B"}, "contrasts": {"c": {
        "kind": kind, "variants": {"t": {"side": "a", "patterns": terms}, "u": {"side": "b", "patterns": ["zzyzx"]}}}}})
    for engine in available_engines():
        hits = find_hits(_corpus(text), lex, engine=engine)
        assert sorted(zip(hits["start"], hits["end"], strict=True)) == sorted(spans)
        assert set(hits["voice"]) == {"attributed"}, (engine, example)


def _corpus(*texts):
    import pandas as pd

    return pd.DataFrame({"outlet": ["A"] * len(texts), "text": list(texts)},
                        index=pd.Index([f"d{i}" for i in range(len(texts))], name="doc_id"))


@pytest.mark.parametrize(
    ("text", "term", "kind", "voice"),
    [
        # the cases
        ("the war in Ukraine, which Moscow calls a special military operation", "special military operation",
         "naming", "attributed"),
        ("Critics call it an invasion.", "invasion", "naming", "attributed"),
        ("An official called them illegal immigrants.", "illegal immigrants", "label", "attributed"),
        ("The BBC said he repeated his false claim that Kyiv is overrun by neo-Nazis.", "neo-Nazis", "label",
         "attributed"),
        ("The two Britons were charged with being mercenaries.", "mercenaries", "label", "attributed"),
        ("The Russian defence ministry has labelled the incident a terrorist attack.", "terrorist attack", "label",
         "attributed"),
        ("claimed that Ukraine is ruled by neo-Nazis", "neo-Nazis", "label", "attributed"),
        ("Both were suspected of being mercenaries.", "mercenaries", "label", "attributed"),
        ("Kyiv insists that the attack was unprovoked.", "unprovoked", "label", "attributed"),
        # OBJECT of a naming frame: the outlet's own word
        ("The Kremlin calls its invasion a liberation.", "invasion", "naming", "authorial"),
        ("Western governments called the referendums illegitimate.", "referendums", "naming", "authorial"),
        ("The minister described the invasion as a turning point.", "invasion", "naming", "authorial"),
        ("Putin even refused to call the illegal invasion a war.", "invasion", "naming", "authorial"),
        ("Putin even refused to call the illegal invasion a war.", "war", "naming", "attributed"),
        # a place name, a spelling or a plain reference inside a claim: the outlet's choice
        ("Putin claimed that Kyiv's troops retreated.", "Kyiv", "spelling", "authorial"),
        ("his claim that the war would end soon", "war", "naming", "authorial"),
        ("Putin claimed that Ukraine is ruled by neo-Nazis.", "neo-Nazis", None, "authorial"),  # no kind: naming
        # hard authorial controls
        ("Peskov said the operation would continue.", "operation", "naming", "authorial"),
        ("According to Moscow, the special military operation goes on.", "special military operation", "naming",
         "authorial"),
        ("Russia calls for talks with Kyiv.", "Kyiv", "spelling", "authorial"),
        ("We call on the Kiev regime to cease fire.", "Kiev regime", "naming", "authorial"),
        ("Putin will not call off the invasion.", "invasion", "naming", "authorial"),
        ("Biden called Zelensky after the invasion.", "invasion", "naming", "authorial"),
        ("Macron called Putin the day before the invasion.", "invasion", "naming", "authorial"),
        ("Finland can call up 200,000 reservists in the event of war.", "war", "naming", "authorial"),
        ("Guterres called the anniversary of the Russian invasion a sad milestone.", "invasion", "naming",
         "authorial"),
        ("The area, called the Donbas, has been at war since 2014.", "Donbas", "spelling", "authorial"),
        ("ISIS claimed responsibility for the terrorist attack that killed 20.", "terrorist attack", "label",
         "authorial"),
        ("Moscow claimed a victory. The terrorist attack went unpunished.", "terrorist attack", "label", "authorial"),
        ("Russia claimed that the hospital was taken by Azov - the Ukrainian nationalist unit.",
         "Ukrainian nationalist", "label", "authorial"),
        ("Votes were cast as the war raged.", "war", "naming", "authorial"),
        ("Officials described the scene. The war went on.", "war", "naming", "authorial"),
        # negated and metalinguistic mentions: a negated naming frame still reports someone's naming;
        # a word mentioned with no frame and no quotation marks stays authorial
        ("Russia’s war and the soldiers’ families: don’t call it an invasion.", "invasion", "naming", "attributed"),
        ("Moscow does not call it a war.", "war", "naming", "attributed"),
        ("The word invasion is banned on Russian television.", "invasion", "naming", "authorial"),
        # postposed frames
        ("They pressed on with the special operation, as the Kremlin calls it.", "special operation", "naming",
         "attributed"),
        ("He had not served as a mercenary, as alleged by Russian officials.", "mercenary", "label", "attributed"),
        # precedence: quotation > distanced > attributed > authorial
        ('which the Kremlin calls a "special military operation"', "special military operation", "naming",
         "distanced"),
        ("which the Kremlin calls a so-called special military operation", "special military operation", "naming",
         "distanced"),
        ("He fought in what the Kremlin calls a special military operation.", "special military operation",
         "naming", "distanced"),
        ('"Call it a special military operation," Peskov said.', "special military operation", "naming", "quoted"),
        ("Putin claimed that “Ukraine is ruled by neo-Nazis”.", "neo-Nazis", "label", "quoted"),
    ],
)
def test_attribution_rules(text, term, kind, voice):
    at = text.index(term)
    assert voice_of(text, at, at + len(term), kind=kind) == voice


def test_precedence_is_reported_with_the_evidence():
    text = 'The war, which Moscow calls a "special military operation", goes on.'
    at = text.index("special")
    got = voice_of(text, at, at + len("special military operation"), explain=True)
    assert got["rule"] == "scare_quotes" and got["cue"] == '"special military operation"'
    text = "The war, which Moscow calls a special military operation, goes on."
    got = voice_of(text, at - 1, at - 1 + len("special military operation"), explain=True)
    assert got == {"voice": "attributed", "rule": "naming_relative", "cue": "which Moscow calls a ",
                   "cue_start": 9, "cue_end": 30}
    assert voice_of(text, 4, 7, explain=True) == {"voice": "authorial", "rule": "none", "cue": "", "cue_start": -1,
                                                  "cue_end": -1}


def test_find_hits_explain_columns(seed_corpus):
    from framing.match import EXPLAIN_COLUMNS, HIT_COLUMNS

    lex = load_lexicon(VOICE_LEX_PATH)
    text = ("The war, which Moscow calls a special military operation, goes on. “Kiev is a regime,” he said. "
            "Putin claimed that Kyiv is run by neo-Nazis. The so-called Kiev regime. A terrorist attack.")
    hits = find_hits(_corpus(text), lex, explain=True)
    assert list(hits.columns) == HIT_COLUMNS + EXPLAIN_COLUMNS
    assert list(find_hits(_corpus(text), lex).columns) == HIT_COLUMNS
    assert list(zip(hits["match"], hits["contrast"], hits["voice"], hits["voice_rule"], strict=True)) == [
        ("war", "war_name", "authorial", "none"),
        ("special military operation", "war_name", "attributed", "naming_relative"),
        ("special military operation", "aggression", "attributed", "naming_relative"),
        ("Kiev", "capital", "quoted", "quotation"),
        ("Kyiv", "capital", "authorial", "none"),  # a spelling inside a claim: the outlet's own
        ("neo-Nazis", "nazi_labels", "attributed", "claim_that"),
        ("Kiev", "capital", "distanced", "distancing_cue"),
        ("Kiev regime", "government", "distanced", "distancing_cue"),
        ("terrorist attack", "strikes", "authorial", "none"),
    ]
    for row in hits.itertuples():
        if row.voice_cue_start >= 0:
            assert text[row.voice_cue_start:row.voice_cue_end] == row.voice_cue
        else:
            assert row.voice_rule == "none" and row.voice_cue == ""
    seeds = find_hits(seed_corpus, "russia-ukraine", explain=True)
    expected = {"quotation": "quoted", "scare_quotes": "distanced", "distancing_cue": "distanced",
                "none": "authorial", "editorial_insertion": "authorial"}
    assert (seeds["voice"] == seeds["voice_rule"].map(expected).fillna("attributed")).all()
    pd.testing.assert_frame_equal(seeds[HIT_COLUMNS], find_hits(seed_corpus, "russia-ukraine"))


# neutral words and terms (no frame, cue or claim words), joined so that no two terms touch
_TERMS = ["Kiev", "Kyiv", "war", "invasion", "special military operation", "neo-Nazis", "mercenaries",
          "terrorist attack", "unprovoked", "Kiev regime", "Ukrainian government", "foreign fighters"]
# not " of ": a NAME may go on ("a victory of Kiev"); ". Then ": a sentence ends before a capital
# (framing.text), not in "Kiev. war"
_CONNECT = [" and ", " in ", ", ", ". Then ", " with ", " near ", " after the ", "; ", " for the ",
            "\n", " over “", "” in ", " — ", " by "]
SENTENCES = st.lists(st.tuples(st.sampled_from(["", "the ", "a ", "its ", "Russia’s "]), st.sampled_from(_TERMS),
                               st.sampled_from(_CONNECT)), min_size=1, max_size=8)


def _build(parts) -> str:
    return "Reports. " + "".join(d + t + c for d, t, c in parts) + " end."


def _voices_by_offset(text, engine):
    hits = find_hits(_corpus(text), load_lexicon(VOICE_LEX_PATH), engine=engine)
    return {(a, b, c): v for a, b, c, v in zip(hits["start"], hits["end"], hits["contrast"], hits["voice"],
                                                strict=True)}


@settings(max_examples=60, deadline=None)
@given(SENTENCES, st.data())
def test_inserting_which_x_calls_makes_the_term_attributed_and_nothing_else(parts, data):
    text = _build(parts)
    for engine in available_engines():
        before = _voices_by_offset(text, engine)
        starts = sorted({a for (a, _, _), v in before.items() if v == "authorial"})
        if not starts:
            return
        at = data.draw(st.sampled_from(starts))
        frame = data.draw(st.sampled_from(["which Moscow calls ", "which the Kremlin has called ",
                                           "whom Russian officials often describe as "]))
        after = _voices_by_offset(text[:at] + frame + text[at:], engine)
        n = len(frame)
        for (a, b, c), v in before.items():
            moved = (a + n, b + n, c) if a >= at else (a, b, c)
            assert after[moved] == ("attributed" if a == at and v == "authorial" else v), (text, a, c)
        assert len(after) == len(before)


@settings(max_examples=60, deadline=None)
@given(SENTENCES, st.data())
def test_a_term_as_the_object_of_a_naming_frame_stays_authorial(parts, data):
    text = _build(parts)
    for engine in available_engines():
        before = _voices_by_offset(text, engine)
        spans = sorted({(a, b) for (a, b, _), v in before.items() if v == "authorial"})
        if not spans:
            return
        at, end = data.draw(st.sampled_from(spans))
        if any(a == at and b != end for a, b, _ in before):  # terms of two contrasts at one place
            return
        head = data.draw(st.sampled_from(["Officials called the ", "Moscow has labelled the ",
                                          "The minister described the "]))
        tail = " as a turning point." if "described" in head else " a success."  # the NAME ends there
        after = _voices_by_offset(text[:at] + head + text[at:end] + tail + text[end:], engine)
        for (a, b, c), v in before.items():
            shift = 0 if a < at else len(head) if a < end else len(head) + len(tail)
            assert after[(a + shift, b + shift, c)] == v, (text, a, c)


def test_cues_and_frames_read_the_sentence_framing_text_finds():
    """Issue 14: voice's own break after every '. ' cut "U.S. and" and "Gen. Ivanov"; one splitter now."""
    text = "Mills said Russia’s claims that the U.S. and the West are prolonging the war are false."
    at = text.index("the West")
    assert voice_of(text, at, at + 8, kind="label") == "attributed"
    text = "Moscow held what Gen. Ivanov called referendums. The referendums. So-called. Referendums."
    at = text.index("referendums")
    assert voice_of(text, at, at + 11) == "distanced"
    assert voice_of(text, text.rindex("Referendums"), len(text) - 1) == "authorial"  # a sentence ended
