"""Stage 2, lexicon: contrasts of competing terms, read from YAML, validated, with built-in lexicons."""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from framing._errors import LexiconError
from framing._voices import VOICES

if TYPE_CHECKING:
    import pandas as pd

_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

__all__ = ["Lexicon", "Contrast", "Variant", "ContextRule", "Source", "load_lexicon", "list_lexicons",
           "LexiconError"]

RULE_KINDS = ("near", "not_near", "not_after", "not_before")
"""Context rules a variant or a contrast may carry (see :class:`ContextRule`)."""
RULE_SCOPES = ("sentence", "paragraph", "text", "article")
_RULE_FIELDS = {"words", "within", "scope", "patterns", "case"}
_TOP_KEYS = {"name", "version", "language", "description", "sides", "sources", "contrasts", "changelog", "usage"}
_CONTRAST_KEYS = {"label", "group", "notes", "sources", "variants", "kind", "lean", "exploratory", "evidence",
                  "contested", *RULE_KINDS}
_VARIANT_KEYS = {"side", "patterns", "except", "case", "label", "notes", "lean", "evidence", "kind", *RULE_KINDS}
_SOURCE_KEYS = {"publisher", "title", "date", "url", "kind", "note", "copy", "author"}
_USAGE_KEYS = {"file", "groups", "description"}
_SIDE_KEYS = {"label", "color"}
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Keys that describe a contrast or variant without changing what it matches. Every other key (patterns,
# exceptions, case, and any context rule added later) enters the variant's matching fingerprint, so
# usage numbers computed with other matching rules are recognised as stale.
_DESCRIPTIVE_KEYS = {"label", "group", "notes", "sources", "variants", "kind", "lean", "exploratory", "evidence",
                     "contested", "side"}
SOURCE_KINDS = ("norm", "usage", "analysis")
"""What a source is: ``norm`` (a style guide, an official naming decision or glossary: what a side
*prescribes*), ``usage`` (an article or statement showing a form in use, cited as an example only) or
``analysis`` (a study, explainer or encyclopedia article describing who uses which form)."""
USAGE_COLUMNS = ["group", "contrast", "variant", "side", "n_group_docs", "n_docs", "doc_share",
                 "n_docs_authorial", "doc_share_authorial", "n_hits"]
"""The leading columns of :func:`lexicon_audit` (then ``n_<voice>`` per voice, ``share_non_authorial``)."""
USAGE_AGREES = 2.0
"""``usage_check`` says ``agrees`` when the side's group uses a variant in its own voice in at least this
many times the share of articles the other side's group does (``weak`` between 1 and this)."""
USAGE_MIN_DOCS = 5
"""``usage_check`` says ``too rare`` when neither group has this many articles using the variant."""
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CONTRAST_KINDS = ("spelling", "naming", "label")
"""What a contrast's variants differ in: ``spelling`` (transliterations and name spellings: Kyiv/Kiev),
``naming`` (what a thing is called: invasion / special military operation) or ``label`` (an evaluative
label put on people or acts: neo-Nazis, mercenaries, terrorist attack). Voice rules read it."""
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ContextRule:
    """A context rule: the words that must (``near``) or must not be near a hit for it to count.

    - ``near``: the hit counts only with one of ``words`` at most ``within`` words away (either
      side) in its ``scope``; ``not_near``: it does not count with one there; ``not_after`` /
      ``not_before``: it does not count right after / before one of ``words`` (at most
      ``within`` words between; default 0, adjacent).
    - ``words`` are patterns in lexicon syntax (whole words, ``*`` endings), matched like the
      lexicon's own; "words between" counts runs of letters and digits (``\\w+``); a word
      overlapping the hit is 0 words away.
    - ``scope``: ``sentence`` (default: the hit's sentence, as :func:`framing.text.sentence_at`
      finds it), ``paragraph`` (between line breaks), ``text`` (the whole field) or ``article``
      (every scanned field of the article: a headline's hit is judged with the body; ``near`` and
      ``not_near`` only, without ``within``); ``within`` None: anywhere in the scope.
    - ``patterns``: only hits of these patterns of the variant (or of the contrast) are checked.

    Rules apply after leftmost-longest matching and ``except`` phrases; a removed hit is listed by
    ``find_hits(..., return_excluded=True)`` with the rule and the word that removed it.
    """

    kind: str
    words: tuple[str, ...]
    within: int | None = None
    scope: str = "sentence"
    patterns: tuple[str, ...] = ()
    case_sensitive: bool = False
    contrast: str = ""
    variant: str | None = None

    def describe(self) -> str:
        """One line: what the rule asks and where it is defined.

        Examples
        --------
        >>> from framing.lexicon import ContextRule
        >>> ContextRule("not_near", ("Syria", "Turkey"), 8, contrast="war_name", variant="special_operation").describe()
        "not_near ['Syria', 'Turkey'] within 8 words in the sentence (war_name/special_operation)"
        """
        reach = f"within {self.within} words" if self.within is not None else "anywhere"
        only = f" for {list(self.patterns)}" if self.patterns else ""
        owner = f"{self.contrast}/{self.variant}" if self.variant else self.contrast
        return f"{self.kind} {list(self.words)} {reach} in the {self.scope}{only} ({owner})"


@dataclass(frozen=True)
class Variant:
    """One way of wording a contrast: its patterns, side, exceptions and case rule."""

    id: str
    contrast: str
    patterns: tuple[str, ...]
    side: str | None = None
    exceptions: tuple[str, ...] = ()
    case_sensitive: bool = False
    label: str | None = None
    notes: str | None = None
    lean: bool = True
    evidence: str | None = None
    kind: str | None = None
    """The variant's kind for the voice rules: its own ``kind`` key, else its contrast's (None: naming)."""
    fingerprint: str = ""
    """Hash of everything that decides what the variant matches (patterns, exceptions, case, context
    rules); usage numbers carry it so that numbers computed with other rules are recognised as stale."""
    rules: tuple[ContextRule, ...] = ()


@dataclass(frozen=True)
class Contrast:
    """A framing choice (e.g. the name of the capital) and its competing variants."""

    id: str
    label: str
    variants: dict[str, Variant]
    group: str | None = None
    notes: str | None = None
    sources: tuple[str, ...] = ()
    kind: str | None = None
    lean: bool = True
    exploratory: bool = False
    evidence: str | None = None
    contested: str | None = None
    """A side assignment that a reader could dispute, and how it was resolved or why it is kept."""
    rules: tuple[ContextRule, ...] = ()

    @property
    def in_lean(self) -> bool:
        """Whether the contrast enters the headline lean score (``lean: true`` and not exploratory)."""
        return self.lean and not self.exploratory


@dataclass(frozen=True)
class Source:
    """One cited source: a plain citation, or a record with publisher, title, date, URL and kind.

    ``kind`` says what the source can support: ``norm`` (a style guide or official naming decision),
    ``analysis`` (a study or explainer of who uses which form) or ``usage`` (an example of a form in
    use; never on its own the authority for a side). ``copy`` is set when the URL is a copy or
    republication rather than the original publisher's page (``True``, or text saying what it is).

    Examples
    --------
    >>> from framing import load_lexicon
    >>> src = load_lexicon("russia-ukraine").sources["S06"]
    >>> src.publisher, src.kind
    ('Associated Press', 'norm')
    """

    id: str
    citation: str
    publisher: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    kind: str | None = None
    note: str | None = None
    copy: str | None = None
    author: str | None = None

    def __str__(self) -> str:
        return self.citation


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A lexicon of contrasts of competing terms.

    Build one with :func:`load_lexicon` (a built-in name or a YAML file) or
    :meth:`Lexicon.from_dict`. ``to_frame()`` lists every pattern; in a notebook the lexicon
    renders as a table.

    Attributes
    ----------
    name, version, language, description : str
        From the YAML header.
    sides : dict
        Side id -> description, e.g. ``{"ru_state": "Russian state usage", ...}``. In YAML a side is
        that text, or a mapping ``{label: ..., color: "#D55E00"}``.
    side_colors : dict
        Side id -> the colour its charts use (``#rrggbb``), for the sides whose YAML gives one;
        the others get colours by their order from :data:`framing.plot.SIDE_PALETTE`.
    sources : dict
        Source id -> :class:`Source` (``str(source)`` is the full citation).
    contrasts : dict
        Contrast id -> :class:`Contrast`, in file order.
    path : Path or None
        The YAML file it came from.
    sha256 : str
        Hash of the YAML text (or of the canonical dump for a dict), for provenance.

    Examples
    --------
    >>> from framing import load_lexicon
    >>> lex = load_lexicon("russia-ukraine")
    >>> lex.contrasts["capital"].variants["kiev"].side
    'ru_state'
    >>> lex.to_frame().query("contrast == 'capital'")[["variant", "side", "pattern", "kind"]].head(2)
      variant        side pattern     kind
    0    kyiv  ua_western    Kyiv  pattern
    1    kyiv  ua_western  Dynamo Kyiv   except
    """

    name: str
    contrasts: dict[str, Contrast]
    sides: dict[str, str] = field(default_factory=dict)
    side_colors: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    version: str = ""
    language: str = "en"
    description: str = ""
    path: Path | None = None
    sha256: str = ""
    changelog: tuple[tuple[str, str], ...] = ()
    usage_spec: dict = field(default_factory=dict)

    def __deepcopy__(self, memo):  # immutable: sklearn's clone and pandas attrs share it
        return self

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: dict, *, path: str | Path | None = None, text: str | None = None,
                  lines: dict | None = None) -> Lexicon:
        """Validate a parsed lexicon (the YAML structure as a dict) and build the Lexicon.

        Examples
        --------
        >>> from framing import Lexicon
        >>> lex = Lexicon.from_dict({"name": "capital", "sides": {"ru": "Russian", "ua": "Ukrainian"},
        ...     "contrasts": {"capital": {"label": "Capital", "variants": {
        ...         "kyiv": {"side": "ua", "patterns": ["Kyiv"]},
        ...         "kiev": {"side": "ru", "patterns": ["Kiev"], "except": ["chicken Kiev"]}}}}})
        >>> [v.id for v in lex.variants]
        ['kyiv', 'kiev']
        """
        where = str(path) if path is not None else "<lexicon>"
        lines = lines or {}

        def fail(msg: str, *keys) -> None:
            line = None
            for n in range(len(keys), -1, -1):
                line = lines.get(tuple(keys[:n]))
                if line is not None:
                    break
            loc = f"{where}, line {line}" if line is not None else where
            raise LexiconError(f"{loc}: {msg}")

        if not isinstance(data, dict):
            fail("a lexicon must be a mapping with keys name, sides, contrasts")
        unknown = set(data) - _TOP_KEYS
        if unknown:
            fail(f"unknown key {sorted(unknown)[0]!r} at the top level; allowed: {sorted(_TOP_KEYS)}",
                 sorted(unknown)[0])
        name = data.get("name")
        if not name or not isinstance(name, str):
            fail("the lexicon needs a `name`")
        sides_raw = data.get("sides") or {}
        if not isinstance(sides_raw, dict):
            fail("`sides` must map side ids to descriptions (text, or {label: ..., color: '#rrggbb'})", "sides")
        sides: dict[str, str] = {}
        side_colors: dict[str, str] = {}
        for sid, entry in sides_raw.items():
            if not isinstance(sid, str) or not _ID.match(sid):
                fail(f"side id {sid!r} must be lowercase letters, digits and _ (quote it if YAML reads it as "
                     f"null, a number or true/false)", "sides")
            if isinstance(entry, dict):
                unknown = set(entry) - _SIDE_KEYS
                if unknown:
                    key = sorted(unknown)[0]
                    fail(f"side '{sid}': unknown key {key!r}; allowed: {sorted(_SIDE_KEYS)}", "sides", sid, key)
                label, color = entry.get("label"), entry.get("color")
                if label is not None and not isinstance(label, str):
                    fail(f"side '{sid}': label must be text", "sides", sid, "label")
                if color is not None:
                    if not isinstance(color, str) or not _HEX_COLOR.match(color.strip()):
                        fail(f"side '{sid}': color must be a hex colour such as '#D55E00' (quote it in YAML), "
                             f"not {color!r}", "sides", sid, "color")
                    color = color.strip().upper()
                    if color in side_colors.values():
                        other = next(k for k, v in side_colors.items() if v == color)
                        fail(f"side '{sid}': color {color} is already side '{other}'s; every side needs its own",
                             "sides", sid, "color")
                    side_colors[sid] = color
                sides[sid] = label or sid.replace("_", " ")
            elif isinstance(entry, str | int | float) and str(entry).strip():
                sides[sid] = str(entry)
            else:
                fail(f"side '{sid}' must be a description or a mapping {{label: ..., color: ...}}", "sides", sid)
        sources_raw = data.get("sources") or {}
        if not isinstance(sources_raw, dict):
            fail("`sources` must map source ids to citations", "sources")
        sources = {str(sid): _source(str(sid), entry, fail) for sid, entry in sources_raw.items()}
        raw_contrasts = data.get("contrasts")
        if not isinstance(raw_contrasts, dict) or not raw_contrasts:
            fail("the lexicon needs `contrasts`: a mapping of contrast id -> label, variants", "contrasts")

        contrasts: dict[str, Contrast] = {}
        for cid, c in raw_contrasts.items():
            at = ("contrasts", cid)
            if not isinstance(cid, str) or not _ID.match(cid):
                fail(f"contrast id {cid!r} must be lowercase letters, digits and _", *at)
            if not isinstance(c, dict):
                fail(f"contrast '{cid}' must be a mapping with label and variants", *at)
            unknown = set(c) - _CONTRAST_KEYS
            if unknown:
                key = sorted(unknown)[0]
                fail(f"contrast '{cid}': unknown key {key!r}; allowed: {sorted(_CONTRAST_KEYS)}", *at, key)
            label = c.get("label") or cid.replace("_", " ").capitalize()
            ckind = c.get("kind")
            if ckind is not None and ckind not in CONTRAST_KINDS:
                fail(f"contrast '{cid}': kind must be one of {list(CONTRAST_KINDS)}, not {ckind!r}", *at, "kind")
            for flag in ("lean", "exploratory"):
                if flag in c and not isinstance(c[flag], bool):
                    fail(f"contrast '{cid}': {flag} must be true or false, not {c[flag]!r}", *at, flag)
            for key in ("evidence", "contested"):
                if c.get(key) is not None and not isinstance(c[key], str):
                    fail(f"contrast '{cid}': {key} must be text", *at, key)
            csources = c.get("sources") or []
            if isinstance(csources, str):
                csources = [csources]
            if not isinstance(csources, list) or not all(isinstance(x, (str, int)) for x in csources):
                fail(f"contrast '{cid}': `sources` must be a source id or a list of them", *at, "sources")
            variants_raw = c.get("variants")
            if not isinstance(variants_raw, dict) or len(variants_raw) < 2:
                n = len(variants_raw) if isinstance(variants_raw, dict) else 0
                fail(f"contrast '{cid}' has {n} variant{'s' if n != 1 else ''}; a contrast needs at "
                     f"least two competing variants", *at, "variants")
            variants: dict[str, Variant] = {}
            seen: dict[str, str] = {}
            contrast_rules = {k: c[k] for k in sorted(c) if k not in _DESCRIPTIVE_KEYS}
            for vid, v in variants_raw.items():
                vat = (*at, "variants", vid)
                if not isinstance(vid, str) or not _ID.match(vid):
                    fail(f"contrast '{cid}': variant id {vid!r} must be lowercase letters, digits and _", *vat)
                if isinstance(v, list):
                    v = {"patterns": v}
                if not isinstance(v, dict):
                    fail(f"contrast '{cid}', variant '{vid}': must be a mapping with patterns", *vat)
                unknown = set(v) - _VARIANT_KEYS
                if unknown:
                    key = sorted(unknown)[0]
                    fail(f"contrast '{cid}', variant '{vid}': unknown key {key!r}; allowed: "
                         f"{sorted(_VARIANT_KEYS)}", *vat, key)
                side = v.get("side")
                if side is not None and not isinstance(side, str):
                    fail(f"contrast '{cid}', variant '{vid}': side must be one side id (text), not {side!r}; the "
                         f"lexicon's sides are {sorted(sides)}", *vat, "side")
                if side is not None and side not in sides:
                    fail(f"contrast '{cid}', variant '{vid}': unknown side {side!r}; the lexicon's sides "
                         f"are {sorted(sides)}", *vat, "side")
                if "lean" in v and not isinstance(v["lean"], bool):
                    fail(f"contrast '{cid}', variant '{vid}': lean must be true or false, not {v['lean']!r}",
                         *vat, "lean")
                if v.get("evidence") is not None and not isinstance(v["evidence"], str):
                    fail(f"contrast '{cid}', variant '{vid}': evidence must be text", *vat, "evidence")
                if "kind" in v and v["kind"] not in CONTRAST_KINDS:
                    fail(f"contrast '{cid}', variant '{vid}': kind must be one of {list(CONTRAST_KINDS)}, "
                         f"not {v['kind']!r}", *vat, "kind")
                case = v.get("case", "insensitive")
                if case not in ("sensitive", "insensitive"):
                    fail(f"contrast '{cid}', variant '{vid}': case must be 'sensitive' or 'insensitive', "
                         f"not {case!r}", *vat, "case")
                patterns = v.get("patterns")
                if isinstance(patterns, str):
                    patterns = [patterns]
                if not patterns:
                    fail(f"contrast '{cid}', variant '{vid}': no patterns; give at least one", *vat, "patterns")
                exceptions = v.get("except") or []
                if isinstance(exceptions, str):
                    exceptions = [exceptions]
                for kind, items in (("patterns", patterns), ("except", exceptions)):
                    if not isinstance(items, list):
                        fail(f"contrast '{cid}', variant '{vid}': `{kind}` must be a pattern or a list of patterns, "
                             f"not {items!r}", *vat, kind)
                    for p in items:
                        if not isinstance(p, str) or not p.strip() or not re.search(r"\w", p):
                            fail(f"contrast '{cid}', variant '{vid}': empty pattern {p!r} in `{kind}`",
                                 *vat, kind)
                        problem = pattern_problem(p)
                        if problem:
                            fail(f"contrast '{cid}', variant '{vid}': the pattern {_short(p)} in `{kind}` {problem}",
                                 *vat, kind)
                forms = {surface_form(p) for p in patterns}
                for e in exceptions:
                    if surface_form(e) in forms:
                        fail(f"contrast '{cid}', variant '{vid}': the exception {e!r} is one of its own patterns, "
                             f"so it would remove every hit of it; delete one of the two", *vat, "except")
                for p in patterns:
                    form = surface_form(p)
                    if form in seen and seen[form] != vid:
                        fail(f"contrast '{cid}': the surface form {p!r} is in two variants, "
                             f"'{seen[form]}' and '{vid}'; keep it in one", *vat, "patterns")
                    seen[form] = vid
                variants[vid] = Variant(
                    id=vid, contrast=cid, patterns=tuple(p.strip() for p in patterns), side=side,
                    exceptions=tuple(e.strip() for e in exceptions), case_sensitive=case == "sensitive",
                    label=v.get("label"), notes=v.get("notes"), lean=v.get("lean", True),
                    evidence=v.get("evidence"), kind=v.get("kind", ckind),
                    fingerprint=_fingerprint(contrast_rules, v),
                    rules=_context_rules(v, fail, vat, f"contrast '{cid}', variant '{vid}'", cid, vid, patterns),
                )
            all_patterns = [p for v in variants.values() for p in v.patterns]
            contrasts[cid] = Contrast(id=cid, label=str(label), variants=variants, group=c.get("group"),
                                      notes=c.get("notes"), sources=tuple(str(s) for s in csources),
                                      kind=ckind, lean=c.get("lean", True), exploratory=c.get("exploratory", False),
                                      evidence=c.get("evidence"), contested=c.get("contested"),
                                      rules=_context_rules(c, fail, at, f"contrast '{cid}'", cid, None, all_patterns))
        changelog = data.get("changelog") or {}
        if isinstance(changelog, dict):
            changelog = [(str(k), str(v)) for k, v in changelog.items()]
        elif isinstance(changelog, list) and all(isinstance(e, dict) and len(e) == 1 for e in changelog):
            changelog = [(str(k), str(v)) for e in changelog for k, v in e.items()]
        else:
            fail("`changelog` must map each version to what changed in it", "changelog")
        usage = data.get("usage") or {}
        if not isinstance(usage, dict) or (usage and not isinstance(usage.get("file"), str)):
            fail("`usage` must be a mapping with `file` (a CSV beside the lexicon, written by "
                 "tools/lexicon_usage.py) and `groups` (side -> group in that file)", "usage")
        if usage:
            unknown = set(usage) - _USAGE_KEYS
            if unknown:
                key = sorted(unknown)[0]
                fail(f"usage: unknown key {key!r}; allowed: {sorted(_USAGE_KEYS)}", "usage", key)
            groups = usage.get("groups") or {}
            if not isinstance(groups, dict) or any(k not in sides for k in groups):
                fail(f"usage: `groups` must map the lexicon's sides {sorted(sides)} to group names in the "
                     f"usage file", "usage", "groups")
        if text is None:
            text = yaml.safe_dump(data, sort_keys=True, allow_unicode=True)
        return cls(
            name=name, contrasts=contrasts, sides=sides, side_colors=side_colors,
            sources=sources, version=str(data.get("version", "")),
            language=str(data.get("language", "en")), description=str(data.get("description", "")),
            path=Path(path) if path is not None else None,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), changelog=tuple(changelog),
            usage_spec={"file": usage.get("file"), "groups": {str(k): str(g) for k, g in
                                                             (usage.get("groups") or {}).items()},
                        "description": str(usage.get("description") or "")} if usage else {},
        )

    # ------------------------------------------------------------------ views
    @property
    def variants(self) -> list[Variant]:
        """Every variant, in lexicon order."""
        return [v for c in self.contrasts.values() for v in c.variants.values()]

    def citation(self, source: str) -> str:
        """The full citation of a source id (or the text itself when it is not an id)."""
        found = self.sources.get(source)
        return found.citation if found is not None else source

    def to_frame(self) -> pd.DataFrame:
        """One row per pattern and exception phrase.

        Returns
        -------
        DataFrame
            Columns ``contrast, contrast_label, group, variant, side, pattern, kind`` (``pattern``
            or ``except``), ``case_sensitive``, ``sources`` (source ids joined by "; "; their
            citations are in :meth:`source_table`).
        """
        import pandas as pd

        rows = []
        for c in self.contrasts.values():
            cites = "; ".join(c.sources)
            for v in c.variants.values():
                for kind, items in (("pattern", v.patterns), ("except", v.exceptions)):
                    for p in items:
                        rows.append((c.id, c.label, c.group, v.id, v.side, p, kind, v.case_sensitive, cites))
        return pd.DataFrame(rows, columns=["contrast", "contrast_label", "group", "variant", "side",
                                           "pattern", "kind", "case_sensitive", "sources"])

    def contrast_table(self) -> pd.DataFrame:
        """One row per contrast: its label, kind, variants (with side and patterns), evidence and sources.

        Returns
        -------
        DataFrame
            ``contrast, label, group, kind, in_lean, variants, evidence, contested, sources, notes``.
            ``in_lean`` is False for ``lean: false`` and exploratory contrasts; ``evidence`` joins the
            contrast's evidence and each sided variant's (``variant: ...``); ``contested`` says which
            side assignment a reader could dispute and how it was resolved.

        Examples
        --------
        >>> from framing import load_lexicon
        >>> load_lexicon("russia-ukraine").contrast_table().loc[0, "variants"]
        'kyiv [ua_western]: Kyiv (not: Dynamo Kyiv, chicken Kyiv, Kyiv Independent, Kyiv Post) | kiev [ru_state]: Kiev (not: chicken Kiev, Kievan Rus, Dynamo Kiev)'
        """
        import pandas as pd

        rows = []
        for c in self.contrasts.values():
            parts = []
            evidence = [c.evidence] if c.evidence else []
            for v in c.variants.values():
                exc = f" (not: {', '.join(v.exceptions)})" if v.exceptions else ""
                flag = "" if v.lean or v.side is None else ", not in lean"
                parts.append(f"{v.id} [{v.side or 'no side'}{flag}]: {', '.join(v.patterns)}{exc}")
                if v.evidence:
                    evidence.append(f"{v.id}: {v.evidence}")
            rows.append((c.id, c.label, c.group, c.kind, c.in_lean, " | ".join(parts), " | ".join(evidence) or None,
                         c.contested, ", ".join(c.sources), c.notes))
        return pd.DataFrame(rows, columns=["contrast", "label", "group", "kind", "in_lean", "variants", "evidence",
                                           "contested", "sources", "notes"])

    def evidence_table(self) -> pd.DataFrame:
        """One row per variant: its side, whether it enters the lean, the evidence, and observed usage.

        The table a methods section shows: what drives the lean score and why. When the lexicon has a
        ``usage`` file (see :meth:`usage`), each side's group gets its share of articles using the
        variant in the outlet's own (authorial) voice, and ``usage_check`` compares them.

        Returns
        -------
        DataFrame
            ``contrast, contrast_label, kind, variant, side, in_lean, evidence, contested, sources``;
            with usage also ``own_voice_<group>`` (share of the group's articles with an authorial hit)
            for each side's group, ``n_docs_<group>``, ``share_non_authorial`` (share of all its hits,
            every group, in a non-authorial voice), ``usage_ratio`` (the side's group share over the
            other side's group share) and ``usage_check``: ``agrees`` (ratio at least
            :data:`USAGE_AGREES`), ``weak`` (ratio between 1 and that), ``against`` (ratio below 1),
            ``too rare`` (fewer than :data:`USAGE_MIN_DOCS` articles in either group) or ``stale``
            (numbers computed with other matching rules: rerun the usage script). A variant's
            ``in_lean`` needs a side, ``lean: true`` on the variant and an in-lean contrast.

        Examples
        --------
        >>> from framing import load_lexicon
        >>> t = load_lexicon("russia-ukraine").evidence_table()
        >>> row = t.set_index("variant").loc["kyiv"]
        >>> row.side, bool(row.in_lean), row.usage_check
        ('ua_western', True, 'agrees')
        """
        import numpy as np
        import pandas as pd

        rows = []
        for c in self.contrasts.values():
            for v in c.variants.values():
                in_lean = bool(v.side is not None and v.lean and c.in_lean)
                rows.append((c.id, c.label, v.kind or c.kind, v.id, v.side, in_lean, v.evidence, c.contested,
                             ", ".join(c.sources)))
        table = pd.DataFrame(rows, columns=["contrast", "contrast_label", "kind", "variant", "side", "in_lean",
                                            "evidence", "contested", "sources"])
        usage = self.usage() if self.usage_spec else None
        if usage is None or not len(usage):
            return table
        groups = self.usage_spec.get("groups") or {}
        key = ["contrast", "variant"]
        for group in dict.fromkeys(groups.values()):
            g = usage[usage["group"] == group].set_index(key)
            idx = pd.MultiIndex.from_frame(table[key])
            table[f"own_voice_{group}"] = g["doc_share_authorial"].reindex(idx).to_numpy()
            table[f"n_docs_{group}"] = g["n_docs_authorial"].reindex(idx).to_numpy()
        voice_cols = [col for col in usage.columns if col.startswith("n_") and col[2:] in _voice_names()]
        tot = usage.groupby(key)[["n_hits", *voice_cols]].sum()
        tot = tot.reindex(pd.MultiIndex.from_frame(table[key]))
        with np.errstate(invalid="ignore", divide="ignore"):
            table["share_non_authorial"] = (1 - tot["n_authorial"] / tot["n_hits"]).to_numpy()
        current = usage.groupby(key)["current"].all().reindex(pd.MultiIndex.from_frame(table[key]))
        ratios, checks = [], []
        for r, cur in zip(table.itertuples(), current.to_numpy(), strict=True):
            ratio, check = np.nan, None
            own = groups.get(r.side) if r.side else None
            others = [g for s, g in groups.items() if s != r.side]
            if own is not None and others:
                a, b = getattr(r, f"own_voice_{own}"), max(getattr(r, f"own_voice_{g}") for g in others)
                na = getattr(r, f"n_docs_{own}")
                nb = max(getattr(r, f"n_docs_{g}") for g in others)
                if pd.isna(cur) or not cur:
                    check = "stale"
                elif pd.isna(a) or pd.isna(b):
                    check = None
                else:
                    ratio = a / b if b > 0 else np.inf if a > 0 else np.nan
                    if max(na, nb) < USAGE_MIN_DOCS:
                        check = "too rare"
                    elif ratio < 1:
                        check = "against"
                    elif ratio < USAGE_AGREES:
                        check = "weak"
                    else:
                        check = "agrees"
            ratios.append(ratio)
            checks.append(check)
        table["usage_ratio"] = ratios
        table["usage_check"] = checks
        return table

    def usage(self) -> pd.DataFrame:
        """The observed usage of each variant, read from the lexicon's ``usage`` file.

        The file is written by ``tools/lexicon_usage.py`` (aggregate counts only: per group and
        variant, the articles using it and its hits per voice; see :func:`lexicon_audit`). A column
        ``current`` says whether each row was computed with the variant's present matching rules
        (patterns, exceptions, case, context rules): rows computed with other rules, or for variants
        the lexicon no longer has, are ``False``.

        Returns
        -------
        DataFrame
            The file's columns (:data:`USAGE_COLUMNS`, ``n_<voice>``, ``share_non_authorial``,
            ``fingerprint``, ``corpus``, ``lexicon_version``) plus ``current``; empty when the lexicon
            has no ``usage`` key.

        Raises
        ------
        LexiconError
            The file is missing or lacks columns (naming the file and the script that rewrites it).

        Examples
        --------
        >>> from framing import load_lexicon
        >>> u = load_lexicon("russia-ukraine").usage()
        >>> sorted(u["group"].unique()), bool(u["current"].all())
        (['RT', 'Western'], True)
        """
        import pandas as pd

        if not self.usage_spec:
            return pd.DataFrame(columns=[*USAGE_COLUMNS, "current"])
        where = self.path.parent if self.path is not None else Path(".")
        path = where / self.usage_spec["file"]
        try:
            usage = pd.read_csv(path, keep_default_na=False, na_values=[""])
        except FileNotFoundError:
            raise LexiconError(f"{self.path}: usage file {path} not found; write it with "
                               f"`python tools/lexicon_usage.py` or remove the `usage` key") from None
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise LexiconError(f"{path}: not a readable usage CSV ({exc}); rewrite it with "
                               f"`python tools/lexicon_usage.py`") from None
        missing = [col for col in [*USAGE_COLUMNS, "n_authorial", "fingerprint"] if col not in usage.columns]
        if missing:
            raise LexiconError(f"{path}: usage file lacks columns {missing}; rewrite it with "
                               f"`python tools/lexicon_usage.py`")
        prints = {(v.contrast, v.id): v.fingerprint for v in self.variants}
        usage["current"] = [prints.get((c, v)) == f for c, v, f in
                            zip(usage["contrast"], usage["variant"], usage["fingerprint"], strict=True)]
        return usage

    def rule_table(self) -> pd.DataFrame:
        """The context rules: one row per rule, with ``contrast, variant`` (None for a contrast's
        own rule), ``rule, words, within, scope, patterns`` and ``description``.

        Examples
        --------
        >>> from framing import Lexicon
        >>> lex = Lexicon.from_dict({"name": "x", "sides": {"a": "A", "b": "B"}, "contrasts": {"war": {
        ...     "variants": {"op": {"side": "a", "patterns": ["military operation"],
        ...                         "not_near": {"words": ["Syria"], "within": 8}},
        ...                  "inv": {"side": "b", "patterns": ["invasion"]}}}}})
        >>> lex.rule_table()[["contrast", "variant", "rule", "words", "within", "scope"]]
          contrast variant      rule  words  within     scope
        0      war      op  not_near  Syria       8  sentence
        """
        import pandas as pd

        rows = []
        for c in self.contrasts.values():
            for r in (*c.rules, *(r for v in c.variants.values() for r in v.rules)):
                rows.append((c.id, r.variant, r.kind, ", ".join(r.words), r.within, r.scope, ", ".join(r.patterns),
                             r.describe()))
        out = pd.DataFrame(rows, columns=["contrast", "variant", "rule", "words", "within", "scope", "patterns",
                                          "description"])
        out["within"] = out["within"].astype("Int64")  # None: anywhere in the scope
        return out

    @property
    def rules(self) -> list[ContextRule]:
        """Every context rule, contrast by contrast (the contrast's own first, then its variants')."""
        return [r for c in self.contrasts.values() for r in (*c.rules, *(r for v in c.variants.values() for r in v.rules))]

    def source_table(self) -> pd.DataFrame:
        """The lexicon's sources, one row each, with the contrasts that cite them.

        Returns
        -------
        DataFrame
            ``source, citation, publisher, title, date, url, kind, copy, note, contrasts``. For a
            source given as plain text only ``citation`` is filled; ``copy`` says when the URL is a
            copy or republication rather than the original publisher's page.

        Examples
        --------
        >>> from framing import load_lexicon
        >>> t = load_lexicon("russia-ukraine").source_table()
        >>> t.set_index("source").loc["S06", ["publisher", "kind"]].tolist()
        ['Associated Press', 'norm']
        """
        import pandas as pd

        cited: dict[str, list[str]] = {}
        for c in self.contrasts.values():
            for src in c.sources:
                cited.setdefault(src, []).append(c.id)
        ids = list(self.sources) + [s for s in cited if s not in self.sources]
        rows = []
        for sid in ids:
            src = self.sources.get(sid) or Source(id=sid, citation=sid)
            rows.append((sid, src.citation, src.publisher, src.title, src.date, src.url, src.kind, src.copy,
                         src.note, ", ".join(cited.get(sid, []))))
        return pd.DataFrame(rows, columns=["source", "citation", "publisher", "title", "date", "url", "kind", "copy",
                                           "note", "contrasts"])

    def __repr__(self) -> str:
        n_var = sum(len(c.variants) for c in self.contrasts.values())
        return (f"<Lexicon {self.name!r} v{self.version or '?'}: {len(self.contrasts)} contrasts, "
                f"{n_var} variants, sides {list(self.sides)}>")

    def _repr_html_(self) -> str:
        e = html.escape
        head = (f"<p><b>{e(self.name)}</b> {e(self.version)} ({e(self.language)}): "
                f"{e(self.description)}</p>")
        sides = ", ".join(f"<i>{e(k)}</i>: {e(v)}" for k, v in self.sides.items())
        rows = []
        for c in self.contrasts.values():
            cells = []
            for v in c.variants.values():
                pats = ", ".join(e(p) for p in v.patterns)
                exc = f" <span style='color:#777'>(not: {', '.join(e(x) for x in v.exceptions)})</span>" \
                    if v.exceptions else ""
                cells.append(f"<b>{e(v.id)}</b> [{e(v.side or '—')}]: {pats}{exc}")
            rows.append(f"<tr><td>{e(c.id)}</td><td>{e(c.label)}</td><td>{'<br>'.join(cells)}</td>"
                        f"<td>{e('; '.join(c.sources))}</td></tr>")
        return (f"{head}<p>Sides: {sides}</p><table><thead><tr><th>contrast</th><th>label</th>"
                f"<th>variants [side]: patterns</th><th>sources</th></tr></thead><tbody>"
                f"{''.join(rows)}</tbody></table>")


def _context_rules(spec: dict, fail, at: tuple, who: str, cid: str, vid: str | None,
                   own_patterns: list[str]) -> tuple[ContextRule, ...]:
    """The context rules (near, not_near, not_after, not_before) of a variant or contrast mapping, validated.

    Each key takes a mapping (``words``, optional ``within``, ``scope``, ``patterns``, ``case``),
    a list of words (shorthand for ``{words: [...]}``), or a list of such mappings.
    """
    rules = []
    for kind in RULE_KINDS:
        if kind not in spec:
            continue
        value = spec[kind]
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            items = [{"words": value}]
        elif isinstance(value, dict):
            items = [value]
        elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            items = value
        else:
            fail(f"{who}: {kind} must be a mapping with `words` (and optional within, scope, patterns, case), "
                 f"a list of words, or a list of such mappings; got {value!r}", *at, kind)
        for item in items:
            unknown = set(item) - _RULE_FIELDS
            if unknown:
                key = sorted(unknown)[0]
                fail(f"{who}: {kind}: unknown key {key!r}; allowed: {sorted(_RULE_FIELDS)}", *at, kind, key)
            words = item.get("words")
            if isinstance(words, str):
                words = [words]
            if not isinstance(words, list) or not words:
                fail(f"{who}: {kind} needs `words`: the list of words (lexicon patterns) to look for", *at, kind)
            for w in words:
                if not isinstance(w, str) or not w.strip() or not re.search(r"\w", w):
                    fail(f"{who}: {kind}: empty word {w!r} in `words`", *at, kind, "words")
                problem = pattern_problem(w)
                if problem:
                    fail(f"{who}: {kind}: the word {_short(w)} in `words` {problem}", *at, kind, "words")
            default_within = 0 if kind in ("not_after", "not_before") else None
            within = item.get("within", default_within)
            if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within < 0):
                fail(f"{who}: {kind}: within must be a number of words (0 or more), not {within!r}",
                     *at, kind, "within")
            scope = item.get("scope", "sentence")
            if scope not in RULE_SCOPES:
                fail(f"{who}: {kind}: scope must be one of {list(RULE_SCOPES)}, not {scope!r}", *at, kind, "scope")
            if scope == "article" and (kind not in ("near", "not_near") or within is not None):
                fail(f"{who}: {kind}: scope 'article' (any field of the article) takes near or not_near without "
                     f"`within`; use scope 'text' or 'sentence' for distances", *at, kind, "scope")
            case = item.get("case", "insensitive")
            if case not in ("sensitive", "insensitive"):
                fail(f"{who}: {kind}: case must be 'sensitive' or 'insensitive', not {case!r}", *at, kind, "case")
            only = item.get("patterns") or []
            if isinstance(only, str):
                only = [only]
            known = {surface_form(p) for p in own_patterns}
            for p in only:
                if not isinstance(p, str) or surface_form(p) not in known:
                    fail(f"{who}: {kind}: {p!r} in `patterns` is not one of its patterns {sorted(own_patterns)}",
                         *at, kind, "patterns")
            rules.append(ContextRule(kind=kind, words=tuple(w.strip() for w in words), within=within, scope=scope,
                                     patterns=tuple(p.strip() for p in only), case_sensitive=case == "sensitive",
                                     contrast=cid, variant=vid))
    return tuple(rules)


MAX_PATTERN_CHARS = 300
"""Characters a pattern may have (the longest built-in one has about 40)."""
MAX_PATTERN_HYPHENS = 10
"""Hyphens a pattern may have (each one matches a hyphen or a run of spaces)."""
_INVISIBLE = {"Cf", "Cc", "Co", "Cn", "Zl", "Zp"}


def _short(p: str) -> str:
    return repr(p) if len(p) <= 60 else repr(p[:40]) + f"... ({len(p):,} characters)"


def _script(c: str) -> str | None:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, GREEK, ...)."""
    import unicodedata

    name = unicodedata.name(c, "")
    first = name.split(" ", 1)[0]
    return None if not name or first in ("MODIFIER", "COMBINING") else first


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with a pattern, as the end of a sentence, or None when nothing is.

    Refused: more than :data:`MAX_PATTERN_CHARS` characters or :data:`MAX_PATTERN_HYPHENS`
    hyphens; a ``*`` that does not end a word (``annex**``, ``*ism``, ``pro-*``); an invisible
    character (zero-width space or joiner, soft hyphen, byte-order mark, control characters); a
    fullwidth character (``Ｋｙｉｖ``); a word mixing letters of two scripts (a Cyrillic ``а`` or
    ``і`` among Latin letters looks the same but never matches the text).

    Examples
    --------
    >>> from framing.lexicon import pattern_problem
    >>> pattern_problem("annex*") is None
    True
    >>> pattern_problem("annex**")
    "has a '*' that does not end a word (at position 6); '*' may only end a word, as in 'annex*'"
    >>> pattern_problem("K\u0456ev")  # a Cyrillic і
    "mixes CYRILLIC and LATIN letters in the word 'Kіev' (the CYRILLIC 'і', U+0456, at position 2, looks like a LATIN letter); retype it"
    """
    import unicodedata

    if len(pattern) > MAX_PATTERN_CHARS:
        return f"has {len(pattern):,} characters; a pattern may have at most {MAX_PATTERN_CHARS}"
    n_hyphens = pattern.count("-")
    if n_hyphens > MAX_PATTERN_HYPHENS:
        return f"has {n_hyphens} hyphens; a pattern may have at most {MAX_PATTERN_HYPHENS}"
    for i, c in enumerate(pattern):
        if c in " \t":
            continue
        if unicodedata.category(c) in _INVISIBLE or (c.isspace() and c not in " \xa0\u2007\u2009\u202f"):
            name = unicodedata.name(c, "a control character")
            return f"holds an invisible character, U+{ord(c):04X} ({name}), at position {i + 1}; delete it"
        if unicodedata.east_asian_width(c) == "F":
            return (f"holds the fullwidth character {c!r} (U+{ord(c):04X}) at position {i + 1}; write "
                    f"{unicodedata.normalize('NFKC', pattern)!r} instead")
        if c == "*":
            before = pattern[i - 1] if i else ""
            after = pattern[i + 1] if i + 1 < len(pattern) else ""
            if not (before.isalnum() or before == "_") or (after and not (after.isspace() or after == "-")):
                return (f"has a '*' that does not end a word (at position {i + 1}); '*' may only end a word, "
                        f"as in 'annex*'")
    for m in re.finditer(r"[^\W\d_]+", pattern):
        scripts = [_script(c) for c in m.group()]
        kinds = sorted({x for x in scripts if x})
        if len(kinds) > 1:
            counts = {k: scripts.count(k) for k in kinds}
            odd = min(kinds, key=lambda k: (counts[k], k))
            other = max(kinds, key=lambda k: (counts[k], k))
            k = scripts.index(odd)
            c = m.group()[k]
            return (f"mixes {' and '.join(kinds)} letters in the word {m.group()!r} (the {odd} {c!r}, "
                    f"U+{ord(c):04X}, at position {m.start() + k + 1}, looks like a {other} letter); retype it")
    return None


def surface_form(pattern: str) -> str:
    """The comparable surface form of a pattern: case-folded, hyphens as spaces, spaces collapsed."""
    s = pattern.casefold().replace("’", "'").replace("-", " ")
    return " ".join(s.split())


def _voice_names() -> tuple[str, ...]:
    return tuple(VOICES)


def _fingerprint(contrast_rules: dict, variant: dict) -> str:
    """Hash of a variant's matching rules (its own keys but the descriptive ones, and the contrast's)."""
    rules = {k: variant[k] for k in sorted(variant) if k not in _DESCRIPTIVE_KEYS}
    blob = json.dumps([contrast_rules, rules], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _source(sid: str, entry, fail) -> Source:
    """Validate one entry of ``sources``: a plain citation string, or a record (publisher, title, ...)."""
    at = ("sources", sid)
    if isinstance(entry, str):
        if not entry.strip():
            fail(f"source {sid!r} is empty; give a citation", *at)
        return Source(id=sid, citation=entry.strip())
    if not isinstance(entry, dict):
        fail(f"source {sid!r} must be a citation (text) or a mapping with publisher, title, date, url, kind",
             *at)
    unknown = set(entry) - _SOURCE_KEYS
    if unknown:
        key = sorted(unknown)[0]
        fail(f"source {sid!r}: unknown key {key!r}; allowed: {sorted(_SOURCE_KEYS)}", *at, key)
    for key in ("publisher", "title"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            fail(f"source {sid!r}: `{key}` is missing; a source record needs publisher and title", *at, key)
    for key in ("url", "note", "author"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            fail(f"source {sid!r}: `{key}` must be text", *at, key)
    url = entry.get("url")
    if url is not None and not re.match(r"^https?://\S+$", url):
        fail(f"source {sid!r}: url {url!r} is not an http(s) address", *at, "url")
    date = entry.get("date")
    if isinstance(date, (_dt.date, _dt.datetime)):
        date = date.isoformat()[:10]
    elif isinstance(date, int):
        date = str(date)
    if date is not None and (not isinstance(date, str) or not _DATE.match(date)):
        fail(f"source {sid!r}: date {entry.get('date')!r} must be YYYY, YYYY-MM or YYYY-MM-DD", *at, "date")
    kind = entry.get("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        fail(f"source {sid!r}: kind must be one of {list(SOURCE_KINDS)}, not {kind!r}", *at, "kind")
    copy = entry.get("copy")
    if copy is not None and not isinstance(copy, (bool, str)):
        fail(f"source {sid!r}: `copy` must be true/false or text saying what the copy is", *at, "copy")
    copy_text = ("copy; original not found" if copy is True else copy.strip()) if copy else None
    parts = [entry["publisher"].strip()]
    if entry.get("author"):
        parts.append(entry["author"].strip())
    parts.append(f"'{entry['title'].strip()}'")
    if date:
        parts.append(date)
    citation = ", ".join(parts)
    if url:
        citation += f", {url}"
    if copy_text:
        citation += f" ({copy_text})"
    if kind:
        citation += f" [{kind}]"
    return Source(id=sid, citation=citation, publisher=entry["publisher"].strip(), title=entry["title"].strip(),
                  date=date, url=url, kind=kind, note=entry.get("note"), copy=copy_text, author=entry.get("author"))


def _line_map(node, path=(), out=None) -> dict:
    """Map each key path of a composed YAML tree to its 1-based line."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            out[(*path, k)] = key.start_mark.line + 1
            _line_map(value, (*path, k), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[(*path, i)] = item.start_mark.line + 1
    return out


def builtin_dir():
    return resources.files("framing").joinpath("lexicons")


def list_lexicons() -> pd.DataFrame:
    """The built-in lexicons.

    Returns
    -------
    DataFrame
        One row per lexicon: ``name, version, language, n_contrasts, description``.

    Examples
    --------
    >>> from framing import list_lexicons
    >>> "russia-ukraine" in set(list_lexicons()["name"])
    True
    """
    import pandas as pd

    rows = []
    for item in sorted(builtin_dir().iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            lex = load_lexicon(item.name[:-5])
            rows.append((lex.name, lex.version, lex.language, len(lex.contrasts), lex.description))
    return pd.DataFrame(rows, columns=["name", "version", "language", "n_contrasts", "description"])


def load_lexicon(name_or_path: str | Path | Lexicon) -> Lexicon:
    """Load a built-in lexicon by name, or a lexicon YAML file, and validate it.

    Parameters
    ----------
    name_or_path : str, Path or Lexicon
        A built-in name (see :func:`list_lexicons`), or the path of a YAML file. A Lexicon is
        returned as is.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        Naming the file, the line, the contrast and the variant: YAML syntax errors, unknown
        keys, empty patterns, contrasts with fewer than two variants, a surface form in two
        variants of one contrast, unknown sides.

    Examples
    --------
    >>> from framing import load_lexicon
    >>> load_lexicon("russia-ukraine")  # doctest: +ELLIPSIS
    <Lexicon 'russia-ukraine' v...: ... contrasts, ... variants, sides ['ru_state', 'ua_western']>
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    path = _resolve(name_or_path)
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


def _resolve(name_or_path: str | Path) -> Path:
    text_path = Path(name_or_path)
    builtin = builtin_dir().joinpath(f"{name_or_path}.yaml")
    if not text_path.suffix and builtin.is_file():
        return Path(str(builtin))
    if text_path.is_file():
        return text_path
    names = sorted(p.name[:-5] for p in builtin_dir().iterdir() if p.name.endswith(".yaml"))
    raise LexiconError(f"{name_or_path}: no such lexicon file, and not a built-in lexicon "
                       f"(built-in: {', '.join(names)})")


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int, size: int) -> Lexicon:
    """Parse and validate a lexicon file once per version of the file (Lexicons are immutable)."""
    text_path = Path(path)
    try:
        text = text_path.read_text("utf-8")
    except UnicodeDecodeError:
        raise LexiconError(f"{text_path}: not UTF-8 text; save the lexicon as UTF-8") from None
    where = text_path
    try:
        _check_yaml_bounds(text, where)  # before anything is built: bombs, deep nesting, duplicate keys
        node = yaml.compose(text, Loader=_SAFE)
        data = yaml.load(text, Loader=_SAFE)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(f"{where}{line}: YAML syntax error: {problem}; fix the YAML") from None
    return Lexicon.from_dict(data, path=where, text=text, lines=_line_map(node) if node else {})


MAX_YAML_DEPTH = 20
"""Nesting a lexicon file may have (mappings and lists inside each other; a lexicon needs about 8)."""
MAX_YAML_VALUES = 200_000
"""Values a lexicon file may hold once its aliases are expanded (the built-in ones hold a few thousand)."""
MAX_YAML_ALIASES = 1_000
"""Aliases (``*name``) a lexicon file may use."""
MAX_YAML_BYTES = 20_000_000


def _check_yaml_bounds(text: str, where) -> None:
    """Refuse, from the YAML events alone (nothing is built), a file whose aliases would expand beyond
    :data:`MAX_YAML_VALUES` values (a "billion laughs" bomb), that nests deeper than
    :data:`MAX_YAML_DEPTH`, uses more than :data:`MAX_YAML_ALIASES` aliases, or repeats a key in one
    mapping (which YAML would silently resolve to the last one): each is a LexiconError naming the line.

    Linear in the size of the text: an alias adds the size of the node it names, counted once when
    that node ends.
    """
    if len(text) > MAX_YAML_BYTES:
        raise LexiconError(f"{where}: {len(text):,} characters; a lexicon file may have at most "
                           f"{MAX_YAML_BYTES:,}")
    total = 0
    n_aliases = 0
    stack: list[list] = []  # per open collection: [is_mapping, expecting_key, keys {value: line}, start_total,
    #                                                anchor, depth_below]
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values, depth)

    def fail(line: int, msg: str) -> None:
        raise LexiconError(f"{where}, line {line}: {msg}")

    def value_done(size: int, depth: int, line: int, key=None) -> None:
        nonlocal total
        total += size
        if total > MAX_YAML_VALUES:
            fail(line, f"the file expands to more than {MAX_YAML_VALUES:,} values (aliases of aliases?); a "
                       f"lexicon needs no such size: write the values out, without anchors and aliases")
        if len(stack) + depth > MAX_YAML_DEPTH:
            fail(line, f"nested more than {MAX_YAML_DEPTH} levels deep; a lexicon needs about 8")
        if stack:
            top = stack[-1]
            top[5] = max(top[5], depth + 1)
            if top[0]:
                if top[1] and key is not None:
                    first = top[2].get(key)
                    if first is not None:
                        fail(line, f"duplicate key {key!r} (first at line {first}); YAML keeps only the last "
                                   f"one: merge the two or rename one")
                    top[2][key] = line
                top[1] = not top[1]

    for event in yaml.parse(text, Loader=_SAFE):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_YAML_DEPTH:
                fail(line, f"nested more than {MAX_YAML_DEPTH} levels deep; a lexicon needs about 8")
            stack.append([isinstance(event, yaml.MappingStartEvent), True, {}, total, event.anchor, 0])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            _, _, _, start, anchor, depth = stack.pop()
            size = total - start + 1
            if anchor is not None:
                sizes[anchor] = (size, depth)
            total = start  # value_done adds the collection's whole size back
            value_done(size, depth, line)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = (1, 0)
            value_done(1, 0, line, key=event.value)
        elif isinstance(event, yaml.AliasEvent):
            n_aliases += 1
            if n_aliases > MAX_YAML_ALIASES:
                fail(line, f"more than {MAX_YAML_ALIASES:,} aliases; write the values out instead")
            size, depth = sizes.get(event.anchor, (1, 0))
            value_done(size, depth, line)
