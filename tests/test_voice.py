"""Voice: DESIGN.md's worked examples on the seed articles, and the general rules on unseen text."""

from __future__ import annotations

import pytest

from framing import assign_voices, voice_of, voice_spans


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
