"""The rules of sentences, clauses and quotations, read once from framing/data/text_rules.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["SentenceRules", "QuoteRules", "sentence_rules", "quote_rules"]


@dataclass(frozen=True)
class SentenceRules:
    """What ends a sentence (``sentences`` and ``clauses`` of text_rules.yaml)."""

    terminals: str
    closers: str
    spaces: str
    openers: str
    bullets: str
    titles: frozenset[str]
    before_number: frozenset[str]
    ambiguous: frozenset[str]
    starters: frozenset[str]
    clause_breaks: str

    @property
    def special_words(self) -> frozenset[str]:
        """Every word whose period needs a second look (titles, before numbers, ambiguous)."""
        return self.titles | self.before_number | self.ambiguous


@dataclass(frozen=True)
class QuoteRules:
    """What a quotation mark is and which way it points (``quotations`` of text_rules.yaml)."""

    double_open: str
    double_close: str
    single_open: str
    single_close: str
    straight_double: str
    apostrophes: str
    straight_single: str
    opens_after: frozenset[str]
    closes_before: frozenset[str]
    paragraph_continues: str

    @property
    def marks(self) -> str:
        """Every character that may open or close a quotation, and the line break."""
        return ("\n" + self.straight_double + self.double_open + self.double_close + self.apostrophes
                + self.single_open + self.single_close)


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("framing").joinpath("data/text_rules.yaml").read_text("utf-8"))


def _words(values) -> frozenset[str]:
    return frozenset(str(v) for v in values)


@lru_cache(maxsize=1)
def sentence_rules() -> SentenceRules:
    """The sentence and clause rules.

    Examples
    --------
    >>> from framing.text.rules import sentence_rules
    >>> "Gen" in sentence_rules().titles, sentence_rules().clause_breaks
    (True, ';:')
    """
    s, c = _data()["sentences"], _data()["clauses"]
    return SentenceRules(terminals=s["terminals"], closers=s["closers"], spaces=s["spaces"], openers=s["openers"],
                         bullets=s["bullets"], titles=_words(s["titles"]), before_number=_words(s["before_number"]),
                         ambiguous=_words(s["ambiguous"]), starters=_words(s["starters"]), clause_breaks=c["breaks"])


@lru_cache(maxsize=1)
def quote_rules() -> QuoteRules:
    """The quotation rules.

    Examples
    --------
    >>> from framing.text.rules import quote_rules
    >>> quote_rules().double_open
    '“„‟«'
    """
    q = _data()["quotations"]
    return QuoteRules(double_open=q["double_open"], double_close=q["double_close"], single_open=q["single_open"],
                      single_close=q["single_close"], straight_double=q["straight_double"],
                      apostrophes=q["apostrophes"], straight_single=q["straight_single"],
                      opens_after=frozenset(q["opens_after"]), closes_before=frozenset(q["closes_before"]),
                      paragraph_continues=q["paragraph_continues"])
