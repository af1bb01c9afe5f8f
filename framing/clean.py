"""Stage 1b, clean: strip page chrome and boilerplate from article text, logging every removed line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

__all__ = ["clean_text", "cleaning_log", "cleaning_summary", "CLEANING_LOG_COLUMNS"]

CLEANING_LOG_COLUMNS = ["doc_id", "line_no", "text", "reason"]

_QUOTES = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'))


@dataclass(frozen=True)
class _Rules:
    end_markers: tuple[re.Pattern, ...]
    line_rules: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    headline_window: int
    max_line_words: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Load and compile the boilerplate rules shipped in ``framing/data/boilerplate.yaml``."""
    raw = yaml.safe_load(resources.files("framing").joinpath("data/boilerplate.yaml").read_text("utf-8"))
    ends = tuple(re.compile(p, re.IGNORECASE) for p in raw["end_markers"]["patterns"])
    rules = []
    for reason, rule in raw["line_rules"].items():
        flags = 0 if rule.get("case") == "sensitive" else re.IGNORECASE
        rules.append((reason, tuple(re.compile(p, flags) for p in rule["patterns"])))
    return _Rules(ends, tuple(rules), int(raw.get("headline_window", 25)), int(raw.get("max_line_words", 80)))


def _norm_line(s: str) -> str:
    """A line as compared with the headline: NFKC, straight quotes, casefolded, spaces collapsed."""
    s = unicodedata.normalize("NFKC", s)
    for curly, straight in _QUOTES:  # str.replace runs in C; str.translate with a dict is 10x slower
        s = s.replace(curly, straight)
    return " ".join(s.casefold().split()).rstrip(" .!?")


def _headline_line(stripped: list[str], title: str) -> int | None:
    """Index of the first line that repeats the title, or None."""
    want = _norm_line(title)
    return next((i for i, s in enumerate(stripped) if s and _norm_line(s) == want), None) if want else None


def _line_reason(line: str, rules: _Rules) -> str | None:
    for reason, patterns in rules.line_rules:
        if any(p.search(line) for p in patterns):
            return reason
    return None


def _clean_lines(text: str, title: str | None) -> tuple[str, list[tuple[int, str, str]]]:
    rules = _rules()
    lines = text.split("\n")
    stripped = [ln.strip() for ln in lines]

    headline = _headline_line(stripped, title) if title else None
    chrome_above = headline is not None and sum(1 for s in stripped[:headline] if s) < rules.headline_window

    kept: list[str] = []
    removed: list[tuple[int, str, str]] = []
    ended = False
    kept_content = False
    for i, (line, s) in enumerate(zip(lines, stripped, strict=True)):
        if not s:
            if not ended:
                kept.append("")
            continue
        if not ended and kept_content and any(p.search(s) for p in rules.end_markers):
            ended = True
        if ended:
            reason = "end_of_article"
        elif i == headline:
            reason = "headline"
        elif len(s) < 2 * rules.max_line_words + 1 or len(s.split()) <= rules.max_line_words:  # short: no split
            reason = _line_reason(s, rules)
            if reason is None and chrome_above and i < headline:
                reason = "before_headline"
        else:
            reason = None
        if reason is None:
            kept.append(line)
            kept_content = True
        else:
            removed.append((i + 1, line, reason))

    cleaned = "\n".join(kept)
    if "\n\n\n" in cleaned:
        cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    cleaned = cleaned.strip("\n")
    return cleaned, removed


def clean_text(
    text: str, *, title: str | None = None, return_log: bool = False
) -> str | tuple[str, pd.DataFrame]:
    """Remove page chrome and boilerplate from one article, line by line.

    The rules live in the data file ``framing/data/boilerplate.yaml``: end-of-article markers
    ("Next Post", "Related Stories", comment widgets, paywall prompts) cut everything from there
    on; line rules remove button labels, promos, donation appeals, photo captions and credits,
    publication stamps, machine-translation banners and bylines; the line that repeats the
    headline is dropped (the headline lives in the ``title`` column) and so is any page chrome
    above it. Kept lines are returned verbatim, so offsets into the cleaned text point at the
    original characters; runs of blank lines are reduced to one paragraph break.

    Parameters
    ----------
    text : str
        Article text, lines separated by ``"\\n"``.
    title : str, optional
        The article's headline from the metadata; a body line repeating it is removed.
    return_log : bool, default=False
        Also return the removed lines as a DataFrame ``line_no, text, reason`` (``line_no`` is
        1-based in ``text``; blank lines are not logged).

    Returns
    -------
    str or (str, DataFrame)
        The cleaned text, and the log of removed lines when ``return_log`` is true.

    Examples
    --------
    >>> from framing import clean_text
    >>> raw = "Advertisement\\nTalks stall\\nThe talks stalled on Friday.\\nNext Post\\nOther story"
    >>> clean_text(raw, title="Talks stall")
    'The talks stalled on Friday.'
    >>> clean_text(raw, title="Talks stall", return_log=True)[1]
       line_no           text          reason
    0        1  Advertisement        ui_label
    1        2    Talks stall        headline
    2        4      Next Post  end_of_article
    3        5    Other story  end_of_article
    """
    cleaned, removed = _clean_lines(text, title)
    if not return_log:
        return cleaned
    log = pd.DataFrame(removed, columns=["line_no", "text", "reason"])
    return cleaned, log


def cleaning_log(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every line that cleaning removed from the articles of ``corpus``.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`framing.load_corpus` (or a row subset of one).

    Returns
    -------
    DataFrame
        Columns ``doc_id, line_no, text, reason``: one row per removed non-blank line, for the
        articles still in ``corpus``; ``line_no`` is 1-based in the article's raw text (after
        line endings were normalised). Empty when the corpus was loaded with ``clean=False``.

    Examples
    --------
    >>> from framing import load_corpus, cleaning_log
    >>> log = cleaning_log(load_corpus("data/seed"))
    >>> int((log["reason"] == "end_of_article").sum())
    23
    """
    from framing.corpus import audit_of

    log = audit_of(corpus).cleaning
    return log[log["doc_id"].isin(corpus.index)].reset_index(drop=True)


def cleaning_summary(corpus: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Removed boilerplate lines per group and reason: what cleaning took out, at a glance.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table from :func:`framing.load_corpus`.
    by : str, default="outlet"
        Any corpus column.

    Returns
    -------
    DataFrame
        One row per group: ``group, n_articles, n_articles_cleaned`` (articles that lost at least
        one line), ``n_removed_lines``, then one column per reason with its line count.

    Examples
    --------
    >>> from framing import load_corpus, cleaning_summary
    >>> cleaning_summary(load_corpus("data/seed")).set_index("group").loc["RT", ["n_removed_lines", "headline"]]
    n_removed_lines    1
    headline           1
    Name: RT, dtype: int64
    """
    log = cleaning_log(corpus)
    groups = corpus[by]
    log = log.assign(group=groups.reindex(log["doc_id"]).to_numpy())
    per_reason = log.pivot_table(index="group", columns="reason", values="line_no", aggfunc="count", fill_value=0)
    per_reason.columns.name = None
    out = pd.DataFrame({"n_articles": groups.value_counts(),
                        "n_articles_cleaned": log.groupby("group")["doc_id"].nunique(),
                        "n_removed_lines": log.groupby("group").size()})
    out = out.join(per_reason).fillna(0).astype("int64")
    out.index.name = "group"
    return out.sort_index().reset_index()
