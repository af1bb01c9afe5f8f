"""Direct quotations of one text: the readable reference (``chunk_quotes`` is its vectorised twin).

Curly marks and guillemets have a direction; a straight double mark opens after a space, a dash or
an opening bracket (or at the start of the text), closes before a space or punctuation (or at the
end), and otherwise closes an open double quotation or opens one. ``'`` and ``’`` between letters
or digits are apostrophes (don't, Russia’s); after a letter, or before a non-letter, they close an
open single quotation; ``'`` after a space or an opening mark and before a letter opens one. An
opening double mark while a double quotation is open continues it (a quotation over several
paragraphs reopens each one). A double quotation still open at a line break goes on when the next
paragraph opens with a double mark, and ends at the line break otherwise; a single quotation still
open at a line break is dropped (its mark was an apostrophe). Quotations may nest: every span is
listed. The marks are data: framing/data/text_rules.yaml (:mod:`framing.text.rules`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from framing.text.rules import quote_rules

__all__ = ["quote_spans", "merged"]


@lru_cache(maxsize=1)
def _marks() -> re.Pattern:
    return re.compile("[" + re.escape(quote_rules().marks) + "]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans ``[open, close + 1)`` of the quotations of ``text``, sorted (nested ones too).

    A quotation still open at the end of the text runs to its end (a double one; a single one is
    dropped).

    Examples
    --------
    >>> from framing.text import quote_spans
    >>> quote_spans('He said "we will win.\\n"The war goes on," Mr Peskov added.')
    [(8, 40)]
    >>> quote_spans("Russia’s ‘special operation’ goes on, don't doubt it.")
    [(9, 28)]
    """
    rules = quote_rules()
    opens_after, closes_before, continues = rules.opens_after, rules.closes_before, rules.paragraph_continues
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (family "d"/"s", position)
    n = len(text)
    for m in _marks().finditer(text):
        i = m.start()
        ch = text[i]
        if ch in rules.apostrophes:
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if prev.isalnum():
                if nxt.isalnum() or not stack or stack[-1][0] != "s" and all(f != "s" for f, _ in stack):
                    continue  # apostrophe: don't, Russia’s, soldiers’
                role = "cs"
            elif ch in rules.straight_single and nxt.isalnum() and prev in opens_after:
                role = "os"
            elif any(f == "s" for f, _ in stack) and not nxt.isalnum():
                role = "cs"
            else:
                continue  # ’90s, a stray mark
        elif ch == "\n":
            if not stack:
                continue
            j = i + 1
            while j < n and text[j] in " \t\n\xa0":
                j += 1
            goes_on = j < n and text[j] in continues
            kept = []
            for family, pos in stack:
                if family == "d" and goes_on:
                    kept.append((family, pos))
                elif family == "d":
                    spans.append((pos, i))
            stack = kept
            continue
        elif ch in rules.straight_double:
            prev = text[i - 1] if i else " "
            if prev in opens_after:
                role = "od"
            elif i + 1 >= n or text[i + 1] in closes_before:
                role = "cd"
            else:
                role = "cd" if any(f == "d" for f, _ in stack) else "od"
        elif ch in rules.double_open:
            role = "od"
        elif ch in rules.double_close:
            role = "cd"
        elif ch in rules.single_open:
            role = "os"
        else:
            role = "cs"
        family = role[1]
        if role[0] == "o":
            if family == "d" and stack and stack[-1][0] == "d":
                continue  # a new paragraph of the same quotation, joined into one line
            stack.append((family, i))
        else:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == family:
                    for _, pos in stack[k:]:
                        spans.append((pos, i + 1))
                    del stack[k:]
                    break
    for family, pos in stack:
        if family == "d":
            spans.append((pos, n))
    spans.sort()
    return spans


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping and nested ones merged (disjoint, sorted).

    Examples
    --------
    >>> from framing.text.quotes import merged
    >>> merged([(0, 10), (2, 5), (12, 14)])
    [(0, 10), (12, 14)]
    """
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
