"""Lexicon model, YAML validation with file/line/contrast/variant in every error, built-in lexicons."""

from __future__ import annotations

import re
import textwrap

import pytest

from framing import Lexicon, LexiconError, list_lexicons, load_lexicon

from .conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini-lexicon.yaml"

GOOD = """\
name: tiny
version: "1"
sides: {ru: Russian, ua: Ukrainian}
contrasts:
  capital:
    label: Capital
    sources: [somewhere]
    variants:
      kyiv: {side: ua, patterns: ["Kyiv"]}
      kiev: {side: ru, patterns: ["Kiev"], except: ["chicken Kiev"]}
"""


def _write(tmp_path, text):
    path = tmp_path / "lex.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(tmp_path, text) -> str:
    with pytest.raises(LexiconError) as err:
        load_lexicon(_write(tmp_path, text))
    return str(err.value)


def test_load_from_path_and_model(tmp_path):
    lex = load_lexicon(_write(tmp_path, GOOD))
    assert lex.name == "tiny" and lex.sides == {"ru": "Russian", "ua": "Ukrainian"}
    kiev = lex.contrasts["capital"].variants["kiev"]
    assert kiev.patterns == ("Kiev",) and kiev.exceptions == ("chicken Kiev",) and kiev.side == "ru"
    assert len(lex.sha256) == 64


def test_kind_lean_exploratory_evidence_and_changelog(tmp_path):
    text = GOOD.replace("name: tiny", 'name: tiny\nchangelog: {"2": "kiev out of the lean", "1": first}').replace(
        "label: Capital", "label: Capital\n    kind: spelling\n    exploratory: true\n    evidence: style guides")
    text = text.replace('kyiv: {side: ua, patterns: ["Kyiv"]}',
                        'kyiv: {side: ua, patterns: ["Kyiv"], lean: false, evidence: "AP, 2019"}')
    lex = load_lexicon(_write(tmp_path, text))
    capital = lex.contrasts["capital"]
    assert (capital.kind, capital.exploratory, capital.lean, capital.evidence) == ("spelling", True, True,
                                                                                  "style guides")
    assert not capital.in_lean  # exploratory contrasts stay out of the headline lean
    assert capital.variants["kyiv"].lean is False and capital.variants["kyiv"].evidence == "AP, 2019"
    assert capital.variants["kiev"].lean is True and capital.variants["kiev"].evidence is None
    assert lex.changelog == (("2", "kiev out of the lean"), ("1", "first"))
    plain = load_lexicon(_write(tmp_path, GOOD)).contrasts["capital"]
    assert plain.kind is None and plain.in_lean


def test_a_variant_kind_overrides_its_contrasts(tmp_path):
    text = GOOD.replace("label: Capital", "label: Capital\n    kind: naming").replace(
        'kyiv: {side: ua, patterns: ["Kyiv"]}', 'kyiv: {side: ua, patterns: ["Kyiv"], kind: label}')
    lex = load_lexicon(_write(tmp_path, text))
    capital = lex.contrasts["capital"]
    assert (capital.kind, capital.variants["kyiv"].kind, capital.variants["kiev"].kind) == ("naming", "label",
                                                                                         "naming")
    assert lex.evidence_table().set_index("variant")["kind"].to_dict() == {"kyiv": "label", "kiev": "naming"}
    # the kind is read by the voice rules only: what the variant matches, and its fingerprint, stay
    assert capital.variants["kyiv"].fingerprint == load_lexicon(_write(tmp_path, GOOD)).contrasts[
        "capital"].variants["kyiv"].fingerprint


def test_to_frame_one_row_per_pattern():
    frame = load_lexicon(MINI).to_frame()
    assert list(frame.columns) == ["contrast", "contrast_label", "group", "variant", "side", "pattern", "kind",
                                   "case_sensitive", "sources"]
    row = frame[(frame.pattern == "LPR")].iloc[0]
    assert row.variant == "dpr" and bool(row.case_sensitive) and row.kind == "pattern"
    assert set(frame[frame.kind == "except"].pattern) >= {"chicken Kiev", "Dynamo Kyiv", "war crimes"}


def test_repr_html_escapes():
    lex = Lexicon.from_dict({"name": "x", "contrasts": {"c": {"label": "<b>bold</b>", "variants": {
        "a": {"patterns": ["<script>"]}, "b": {"patterns": ["b"]}}}}})
    html = lex._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;bold" in html


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        (GOOD.replace("sources: [somewhere]", "sources: [somewhere]\n    colour: red"),
         ["line 8", "contrast 'capital'", "unknown key 'colour'"]),
        (GOOD.replace('kyiv: {side: ua, patterns: ["Kyiv"]}', 'kyiv: {side: ua, patterns: ["Kyiv"], spelling: x}'),
         ["line 9", "contrast 'capital', variant 'kyiv'", "unknown key 'spelling'"]),
        (GOOD.replace('patterns: ["Kyiv"]', 'patterns: [""]'),
         ["line 9", "variant 'kyiv'", "empty pattern"]),
        (GOOD.replace('patterns: ["Kyiv"]', "patterns: []"),
         ["line 9", "variant 'kyiv'", "no patterns"]),
        (GOOD.replace('      kiev: {side: ru, patterns: ["Kiev"], except: ["chicken Kiev"]}\n', ""),
         ["line 8", "contrast 'capital' has 1 variant", "at least two"]),
        (GOOD.replace('patterns: ["Kyiv"]', 'patterns: ["Kyiv", "KIEV"]'),
         ["line 10", "contrast 'capital'", "'Kiev'", "two variants", "'kyiv' and 'kiev'"]),
        (GOOD.replace("side: ua,", "side: western,"),
         ["line 9", "variant 'kyiv'", "unknown side 'western'", "['ru', 'ua']"]),
        (GOOD.replace('patterns: ["Kyiv"]', 'patterns: ["*yiv"]'),
         ["variant 'kyiv'", "'*' may only end a word"]),
        (GOOD.replace("name: tiny", "name: tiny\nauthor: me"), ["line 2", "unknown key 'author'"]),
        (GOOD.replace("      kyiv: {side: ua,", "      kyiv: {side: ua,,"), ["line 9", "YAML syntax error"]),
        (GOOD + "  broken: [\n", ["YAML syntax error"]),
        (GOOD.replace("label: Capital", "label: Capital\n    kind: transliteration"),
         ["line 7", "contrast 'capital'", "kind must be one of"]),
        (GOOD.replace("label: Capital", "label: Capital\n    lean: no-thanks"),
         ["line 7", "contrast 'capital'", "lean must be true or false"]),
        (GOOD.replace('kyiv: {side: ua, patterns: ["Kyiv"]}', 'kyiv: {side: ua, patterns: ["Kyiv"], lean: 0}'),
         ["line 9", "variant 'kyiv'", "lean must be true or false"]),
        (GOOD.replace("name: tiny", "name: tiny\nchangelog: [just text]"), ["`changelog` must map"]),
        (GOOD.replace('kyiv: {side: ua, patterns: ["Kyiv"]}', 'kyiv: {side: ua, patterns: ["Kyiv"], kind: slur}'),
         ["line 9", "contrast 'capital', variant 'kyiv'", "kind must be one of"]),
    ],
)
def test_validation_errors_name_file_line_contrast_variant(tmp_path, text, needles):
    msg = _error(tmp_path, text)
    assert "lex.yaml" in msg
    for needle in needles:
        assert needle in msg, msg


def test_unknown_builtin_lists_the_builtins():
    with pytest.raises(LexiconError, match="russia-ukraine"):
        load_lexicon("no-such-lexicon")


def test_yaml_is_read_safely(tmp_path):
    msg = _error(tmp_path, "!!python/object/apply:os.system ['echo hi']\n")
    assert "YAML" in msg


def test_list_lexicons_has_two_domains():
    names = set(list_lexicons()["name"])
    assert "russia-ukraine" in names and len(names) >= 2


REQUIRED_FORMS = [
    "Kiev", "Kyiv", "Kharkov", "Kharkiv", "Odessa", "Odesa", "Nikolaev", "Mykolaiv", "Lugansk", "Luhansk",
    "Donbass", "Donbas", "Zaporozhye", "Zaporizhzhia", "Artemovsk", "Artyomovsk", "Bakhmut",
    "Vladimir Zelensky", "Volodymyr Zelensky", "Zelensky", "Zelenskyy", "Zelenskiy",
    "special military operation", "military operation", "special operation", "invasion",
    "full-scale invasion", "war", "reunification", "accession", "joined Russia", "illegally annexed",
    "Kiev regime", "Revolution of Dignity", "Euromaidan", "DPR", "LPR", "new regions", "new territories",
    "occupied territories",
]


def test_builtin_russia_ukraine_has_the_required_forms():
    lex = load_lexicon("russia-ukraine")
    assert len(lex.contrasts) >= 30
    forms = {p.casefold() for p in lex.to_frame().query("kind == 'pattern'")["pattern"]}
    missing = [f for f in REQUIRED_FORMS if f.casefold() not in forms]
    assert not missing, missing
    assert all(c.sources and c.label for c in lex.contrasts.values())
    excepts = {p.casefold() for p in lex.to_frame().query("kind == 'except'")["pattern"]}
    assert {"chicken kiev", "kievan rus", "dynamo kyiv"} <= excepts


# ------------------------------------------------------------------------------ context rules
RULES = """\
name: tiny
version: "1"
sides: {ru: Russian, ua: Ukrainian}
contrasts:
  war:
    not_near: {words: ["Pearl Harbor", "Hitler*"], within: 12}
    variants:
      operation:
        side: ru
        patterns: ["military operation", "special military operation"]
        not_near: {words: [Syria, Turkey], within: 8, patterns: ["military operation"]}
      war:
        side: ua
        patterns: ["war"]
        not_before: ["Minister", "Office"]
        not_after: [{words: ["Napoleon's"], within: 1}, {words: ["1812"], scope: paragraph}]
  referendums:
    near: {words: [Donetsk, "annex*"], scope: text}
    variants:
      referendum: {side: ru, patterns: ["referendum*"]}
      sham: {side: ua, patterns: ["sham referendum*"], near: {words: [sham], case: sensitive}}
"""


def test_context_rules_are_read(tmp_path):
    from framing.lexicon import ContextRule

    lex = load_lexicon(_write(tmp_path, RULES))
    war = lex.contrasts["war"]
    assert war.rules == (ContextRule("not_near", ("Pearl Harbor", "Hitler*"), 12, contrast="war"),)
    assert war.variants["operation"].rules == (
        ContextRule("not_near", ("Syria", "Turkey"), 8, patterns=("military operation",), contrast="war",
                    variant="operation"),)
    kinds = [(r.kind, r.words, r.within, r.scope) for r in war.variants["war"].rules]
    assert kinds == [("not_after", ("Napoleon's",), 1, "sentence"), ("not_after", ("1812",), 0, "paragraph"),
                     ("not_before", ("Minister", "Office"), 0, "sentence")]
    assert lex.contrasts["referendums"].rules[0].scope == "text"
    assert lex.contrasts["referendums"].variants["sham"].rules[0].case_sensitive
    table = lex.rule_table()
    assert len(table) == len(lex.rules) == 7
    assert table.loc[0, "description"] == "not_near ['Pearl Harbor', 'Hitler*'] within 12 words in the sentence (war)"


@pytest.mark.parametrize(("old", "new", "message", "line"), [
    ("within: 8, patterns", "within: -1, patterns", "contrast 'war', variant 'operation': not_near: within must be "
     "a number of words", 11),
    ("within: 8, patterns", "within: eight, patterns", "within must be a number of words (0 or more), not 'eight'",
     11),
    ('patterns: ["military operation"]}', 'patterns: ["invasion"]}', "'invasion' in `patterns` is not one of its "
     "patterns", 11),
    ("scope: text", "scope: chapter", "contrast 'referendums': near: scope must be one of", 18),
    ("not_near: {words: [Syria, Turkey]", "not_near: {words: []", "needs `words`", 11),
    ("not_near: {words: [Syria, Turkey]", "not_near: {wordz: [Syria, Turkey]", "unknown key 'wordz'", 11),
    ('not_before: ["Minister", "Office"]', 'not_before: ["Minister", "*Office"]', "'*' may only end a word", 15),
    ('not_before: ["Minister", "Office"]', "not_before: 3", "contrast 'war', variant 'war': not_before must be a "
     "mapping", 15),
    ("case: sensitive}", "case: upper}", "contrast 'referendums', variant 'sham': near: case must be", 21),
])
def test_context_rule_errors_name_file_line_contrast_and_variant(tmp_path, old, new, message, line):
    assert old in RULES
    error = _error(tmp_path, RULES.replace(old, new))
    assert message in error
    assert f"lex.yaml, line {line}:" in error


RECORD = """\
name: tiny
sides: {ru: Russian, ua: Ukrainian}
sources:
  S1:
    publisher: Associated Press
    title: An update on AP style on Kyiv
    date: 2019-08-14
    url: https://example.org/ap-kyiv
    kind: norm
    note: the newsroom's own announcement
  S2:
    publisher: Some Site
    title: A republished text
    url: https://copy.example.org/text
    kind: usage
    copy: true
  S3: "A plain citation, as user lexicons write them"
contrasts:
  capital:
    label: Capital
    kind: spelling
    contested: Kiev is also traditional English
    sources: [S1, S2, S3]
    variants:
      kyiv: {side: ua, patterns: ["Kyiv"], evidence: "AP style (S1)"}
      kiev: {side: ru, patterns: ["Kiev"]}
"""


def test_structured_sources_and_plain_citations(tmp_path):
    lex = load_lexicon(_write(tmp_path, RECORD))
    s1, s2, s3 = lex.sources["S1"], lex.sources["S2"], lex.sources["S3"]
    assert (s1.publisher, s1.date, s1.url, s1.kind, s1.copy) == ("Associated Press", "2019-08-14",
                                                                 "https://example.org/ap-kyiv", "norm", None)
    assert s1.citation == ("Associated Press, 'An update on AP style on Kyiv', 2019-08-14, "
                           "https://example.org/ap-kyiv [norm]")
    assert s2.copy == "copy; original not found" and "(copy; original not found)" in str(s2)
    assert s3.citation == "A plain citation, as user lexicons write them" and s3.url is None
    assert lex.citation("S2") == str(s2) and lex.citation("elsewhere") == "elsewhere"
    table = lex.source_table()
    assert list(table.columns) == ["source", "citation", "publisher", "title", "date", "url", "kind", "copy",
                                   "note", "contrasts"]
    assert table.set_index("source").loc["S1", "note"] == "the newsroom's own announcement"
    assert table.set_index("source").loc["S3", "contrasts"] == "capital"
    assert lex.contrasts["capital"].contested == "Kiev is also traditional English"
    ctable = lex.contrast_table()
    assert ctable.loc[0, "contested"] == "Kiev is also traditional English"
    assert ctable.loc[0, "evidence"] == "kyiv: AP style (S1)" and ctable.loc[0, "kind"] == "spelling"


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ("    kind: norm\n", "    kind: opinion\n", ["line 9", "source 'S1'", "kind must be one of"]),
        ("    date: 2019-08-14\n", "    date: 14 Aug 2019\n", ["line 7", "source 'S1'", "YYYY, YYYY-MM or YYYY-MM-DD"]),
        ("    url: https://example.org/ap-kyiv\n", "    url: example.org/ap-kyiv\n",
         ["line 8", "source 'S1'", "not an http(s) address"]),
        ("    title: A republished text\n", "", ["source 'S2'", "`title` is missing"]),
        ("    copy: true\n", "    copy: [1]\n", ["line 16", "source 'S2'", "`copy` must be"]),
        ("    note: the newsroom's own announcement\n", "    notes: plural\n",
         ["line 10", "source 'S1'", "unknown key 'notes'"]),
        ('  S3: "A plain citation, as user lexicons write them"\n', '  S3: ""\n', ["source 'S3' is empty"]),
        ("    contested: Kiev is also traditional English\n", "    contested: [a, b]\n",
         ["line 22", "contrast 'capital'", "contested must be text"]),
        ("contrasts:\n", "usage: {file: u.csv, colour: red}\ncontrasts:\n", ["usage: unknown key 'colour'"]),
        ("contrasts:\n", "usage: {file: u.csv, groups: {west: W}}\ncontrasts:\n",
         ["`groups` must map the lexicon's sides"]),
        ("contrasts:\n", "usage: {groups: {ru: R}}\ncontrasts:\n", ["`usage` must be a mapping with `file`"]),
    ],
)
def test_source_contested_and_usage_validation(tmp_path, old, new, needles):
    assert old in RECORD
    msg = _error(tmp_path, RECORD.replace(old, new))
    assert "lex.yaml" in msg
    for needle in needles:
        assert needle in msg, msg


def test_fingerprint_follows_matching_rules_only():
    def prints(**changes):
        variant = {"side": "ua", "patterns": ["Kyiv"], "except": ["Dynamo Kyiv"], **changes}
        lex = Lexicon.from_dict({"name": "x", "sides": {"ua": "U", "ru": "R"}, "contrasts": {"c": {
            "variants": {"kyiv": variant, "kiev": {"side": "ru", "patterns": ["Kiev"]}}}}})
        return lex.contrasts["c"].variants["kyiv"].fingerprint

    base = prints()
    assert len(base) == 16
    # what the variant matches changes the fingerprint ...
    assert prints(patterns=["Kyiv", "Kyivan"]) != base
    assert prints(**{"except": []}) != base
    assert prints(case="sensitive") != base
    # ... its description and side do not
    assert prints(evidence="AP", notes="n", side="ru", lean=False, label="L") == base


def test_readme_lexicon_example_is_valid(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("name: my-lexicon")
    lex = load_lexicon(_write(tmp_path, text[start:text.index("```", start)]))
    assert lex.sources["AP19"].kind == "norm" and lex.sources["G19"].url is None
    assert lex.contrasts["capital"].variants["kyiv"].evidence == "AP style (AP19)"


def _sided(sides):
    from framing import Lexicon

    return Lexicon.from_dict({"name": "x", "sides": sides, "contrasts": {"c": {"variants": {
        "a": {"side": "left", "patterns": ["alpha"]}, "b": {"side": "right", "patterns": ["beta"]}}}}})


def test_sides_with_label_and_colour():
    lex = _sided({"left": {"label": "Left wording", "color": "#d55e00"}, "right": "Right wording"})
    assert lex.sides == {"left": "Left wording", "right": "Right wording"}
    assert lex.side_colors == {"left": "#D55E00"}


@pytest.mark.parametrize(("sides", "needle"), [
    ({"left": {"label": "L", "color": "red"}, "right": "R"}, "hex colour"),
    ({"left": {"label": "L", "colour": "#000000"}, "right": "R"}, "unknown key 'colour'"),
    ({"left": {"color": "#112233"}, "right": {"color": "#112233"}}, "already side 'left'"),
    ({"left": ["L"], "right": "R"}, "must be a description or a mapping"),
])
def test_bad_sides_are_errors(sides, needle):
    with pytest.raises(LexiconError, match=re.escape(needle)):
        _sided(sides)
