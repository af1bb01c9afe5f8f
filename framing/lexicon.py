"""Stage 2, lexicon: contrasts of competing terms, read from YAML, validated, with built-in lexicons."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from framing._errors import LexiconError

if TYPE_CHECKING:
    import pandas as pd

_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

__all__ = ["Lexicon", "Contrast", "Variant", "ContextRule", "load_lexicon", "list_lexicons", "LexiconError"]

RULE_KINDS = ("near", "not_near", "not_after", "not_before")
"""Context rules a variant or a contrast may carry (see :class:`ContextRule`)."""
RULE_SCOPES = ("sentence", "paragraph", "text", "article")
_RULE_FIELDS = {"words", "within", "scope", "patterns", "case"}
_TOP_KEYS = {"name", "version", "language", "description", "sides", "sources", "contrasts", "changelog"}
_CONTRAST_KEYS = {"label", "group", "notes", "sources", "variants", "kind", "lean", "exploratory", "evidence",
                  *RULE_KINDS}
_VARIANT_KEYS = {"side", "patterns", "except", "case", "label", "notes", "lean", "evidence", *RULE_KINDS}
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
    - ``scope``: ``sentence`` (default: the hit's sentence, as :func:`framing.match.sentence_at`
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
    rules: tuple[ContextRule, ...] = ()

    @property
    def in_lean(self) -> bool:
        """Whether the contrast enters the headline lean score (``lean: true`` and not exploratory)."""
        return self.lean and not self.exploratory


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
        Side id -> description, e.g. ``{"ru_state": "Russian state usage", ...}``.
    sources : dict
        Source id -> full citation.
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
    sources: dict[str, str] = field(default_factory=dict)
    version: str = ""
    language: str = "en"
    description: str = ""
    path: Path | None = None
    sha256: str = ""
    changelog: tuple[tuple[str, str], ...] = ()

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
        sides = data.get("sides") or {}
        if not isinstance(sides, dict):
            fail("`sides` must map side ids to descriptions", "sides")
        sources = data.get("sources") or {}
        if not isinstance(sources, dict):
            fail("`sources` must map source ids to citations", "sources")
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
            if c.get("evidence") is not None and not isinstance(c["evidence"], str):
                fail(f"contrast '{cid}': evidence must be text", *at, "evidence")
            csources = c.get("sources") or []
            if isinstance(csources, str):
                csources = [csources]
            variants_raw = c.get("variants")
            if not isinstance(variants_raw, dict) or len(variants_raw) < 2:
                n = len(variants_raw) if isinstance(variants_raw, dict) else 0
                fail(f"contrast '{cid}' has {n} variant{'s' if n != 1 else ''}; a contrast needs at "
                     f"least two competing variants", *at, "variants")
            variants: dict[str, Variant] = {}
            seen: dict[str, str] = {}
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
                if side is not None and side not in sides:
                    fail(f"contrast '{cid}', variant '{vid}': unknown side {side!r}; the lexicon's sides "
                         f"are {sorted(sides)}", *vat, "side")
                if "lean" in v and not isinstance(v["lean"], bool):
                    fail(f"contrast '{cid}', variant '{vid}': lean must be true or false, not {v['lean']!r}",
                         *vat, "lean")
                if v.get("evidence") is not None and not isinstance(v["evidence"], str):
                    fail(f"contrast '{cid}', variant '{vid}': evidence must be text", *vat, "evidence")
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
                    for p in items:
                        if not isinstance(p, str) or not p.strip() or not re.search(r"\w", p):
                            fail(f"contrast '{cid}', variant '{vid}': empty pattern {p!r} in `{kind}`",
                                 *vat, kind)
                        if re.search(r"\*\w", p) or p.strip().startswith("*"):
                            fail(f"contrast '{cid}', variant '{vid}': '*' may only end a word, as in "
                                 f"'annex*' ({p!r})", *vat, kind)
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
                    evidence=v.get("evidence"),
                    rules=_context_rules(v, fail, vat, f"contrast '{cid}', variant '{vid}'", cid, vid, patterns),
                )
            all_patterns = [p for v in variants.values() for p in v.patterns]
            contrasts[cid] = Contrast(id=cid, label=str(label), variants=variants, group=c.get("group"),
                                      notes=c.get("notes"), sources=tuple(str(s) for s in csources),
                                      kind=ckind, lean=c.get("lean", True), exploratory=c.get("exploratory", False),
                                      evidence=c.get("evidence"),
                                      rules=_context_rules(c, fail, at, f"contrast '{cid}'", cid, None, all_patterns))
        changelog = data.get("changelog") or {}
        if isinstance(changelog, dict):
            changelog = [(str(k), str(v)) for k, v in changelog.items()]
        elif isinstance(changelog, list) and all(isinstance(e, dict) and len(e) == 1 for e in changelog):
            changelog = [(str(k), str(v)) for e in changelog for k, v in e.items()]
        else:
            fail("`changelog` must map each version to what changed in it", "changelog")
        if text is None:
            text = yaml.safe_dump(data, sort_keys=True, allow_unicode=True)
        return cls(
            name=name, contrasts=contrasts, sides={str(k): str(v) for k, v in sides.items()},
            sources={str(k): str(v) for k, v in sources.items()}, version=str(data.get("version", "")),
            language=str(data.get("language", "en")), description=str(data.get("description", "")),
            path=Path(path) if path is not None else None,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), changelog=tuple(changelog),
        )

    # ------------------------------------------------------------------ views
    @property
    def variants(self) -> list[Variant]:
        """Every variant, in lexicon order."""
        return [v for c in self.contrasts.values() for v in c.variants.values()]

    def citation(self, source: str) -> str:
        """The full citation of a source id (or the text itself when it is not an id)."""
        return self.sources.get(source, source)

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
        """One row per contrast: its label, variants (with side and patterns) and source ids.

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
            for v in c.variants.values():
                exc = f" (not: {', '.join(v.exceptions)})" if v.exceptions else ""
                parts.append(f"{v.id} [{v.side or 'no side'}]: {', '.join(v.patterns)}{exc}")
            rows.append((c.id, c.label, c.group, " | ".join(parts), ", ".join(c.sources), c.notes))
        return pd.DataFrame(rows, columns=["contrast", "label", "group", "variants", "sources", "notes"])

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
        """The lexicon's sources: ``source`` id, ``citation`` and the ``contrasts`` that cite it."""
        import pandas as pd

        cited: dict[str, list[str]] = {}
        for c in self.contrasts.values():
            for src in c.sources:
                cited.setdefault(src, []).append(c.id)
        ids = list(self.sources) + [s for s in cited if s not in self.sources]
        return pd.DataFrame([(s, self.citation(s), ", ".join(cited.get(s, []))) for s in ids],
                            columns=["source", "citation", "contrasts"])

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
                if re.search(r"\*\w", w) or w.strip().startswith("*"):
                    fail(f"{who}: {kind}: '*' may only end a word, as in 'Syria*' ({w!r})", *at, kind, "words")
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


def surface_form(pattern: str) -> str:
    """The comparable surface form of a pattern: case-folded, hyphens as spaces, spaces collapsed."""
    s = pattern.casefold().replace("’", "'").replace("-", " ")
    return " ".join(s.split())


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


def _builtin_dir():
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
    for item in sorted(_builtin_dir().iterdir(), key=lambda p: p.name):
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
    builtin = _builtin_dir().joinpath(f"{name_or_path}.yaml")
    if not text_path.suffix and builtin.is_file():
        return Path(str(builtin))
    if text_path.is_file():
        return text_path
    names = sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".yaml"))
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
        node = yaml.compose(text, Loader=_SAFE)
        data = yaml.load(text, Loader=_SAFE)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(f"{where}{line}: YAML syntax error: {problem}; fix the YAML") from None
    return Lexicon.from_dict(data, path=where, text=text, lines=_line_map(node) if node else {})
