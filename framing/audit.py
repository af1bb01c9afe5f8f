"""The lexicon audited on a corpus: per group and variant, articles, hits and the voices of the hits.

Above the matcher (it runs :func:`framing.find_hits`), so it is not in :mod:`framing.lexicon`, which
the matcher imports; ``framing.lexicon_audit`` is its public name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from framing._docstrings import share_docs
from framing._errors import FramingError
from framing._voices import VOICES
from framing.lexicon import Lexicon, load_lexicon
from framing.match import find_hits

__all__ = ["lexicon_audit"]


@share_docs
def lexicon_audit(corpus: pd.DataFrame, lexicon: str | Path | Lexicon = "russia-ukraine", *, by: str = "outlet",
                  hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group and variant: articles and hits, and how many hits are in someone else's words.

    An audit of a lexicon on a corpus, to spot variants that are mostly quotation or distanced
    mentions (the other side's term printed in quotes) rather than the outlet's own wording, and
    variants whose side is not borne out by usage. Every variant of the lexicon gets a row for
    every group, with zeros where it has no hits.

    Parameters
    ----------
    corpus : DataFrame
        A corpus table (:func:`framing.load_corpus`).
    {lexicon}
    by : str, default="outlet"
        The corpus column to group by. Articles with no value are counted in a group named
        ``"(missing)"``, never dropped.
    hits : DataFrame, optional
        :func:`framing.find_hits` output for this corpus and lexicon (computed when not given).

    Returns
    -------
    DataFrame
        One row per group and variant, in lexicon order: ``group, contrast, variant, side,
        n_group_docs`` (articles in the group), ``n_docs`` (articles with a hit in any voice),
        ``doc_share``, ``n_docs_authorial``, ``doc_share_authorial`` (articles with a hit in the
        outlet's own voice), ``n_hits``, then ``n_<voice>`` for each voice of
        :data:`framing.voice.VOICES`, and ``share_non_authorial`` (share of the hits in any voice
        but ``authorial``; NaN without hits). Every count traces back to rows of ``hits``.

    Examples
    --------
    >>> from framing import load_corpus, lexicon_audit
    >>> audit = lexicon_audit(load_corpus("data/seed"), "russia-ukraine")
    >>> row = audit.query("group == 'RT' and variant == 'kiev'").iloc[0]
    >>> int(row.n_hits) == int(row.n_authorial + row.n_quoted + row.n_distanced)
    True
    """
    voices = tuple(VOICES)
    if "authorial" not in voices:  # pragma: no cover - the voice module defines it
        raise FramingError("the voice module has no 'authorial' voice")
    if not isinstance(corpus, pd.DataFrame) or "text" not in corpus.columns:
        raise FramingError("corpus must be the table returned by framing.load_corpus")
    if by not in corpus.columns:
        raise FramingError(f"no column '{by}' in the corpus to group by; the columns are {list(corpus.columns)}")
    lex = load_lexicon(lexicon)
    if hits is None:
        hits = find_hits(corpus, lex)
    elif not {"doc_id", "contrast", "variant", "voice"} <= set(hits.columns):
        raise FramingError("hits must be the table returned by framing.find_hits")
    unknown_voices = sorted(set(hits["voice"].unique()) - set(voices))
    if unknown_voices:
        raise FramingError(f"hits have voice {unknown_voices[0]!r}, which framing.voice.VOICES does not list")
    group_of = corpus[by].astype("object").where(corpus[by].notna(), "(missing)")
    unknown = pd.Index(hits["doc_id"].unique()).difference(corpus.index)
    if len(unknown):
        raise FramingError(f"{len(unknown)} hits come from documents that are not in the corpus "
                           f"(e.g. {list(unknown[:3])}); pass the corpus the hits were found in")
    sizes = group_of.value_counts(sort=False)
    sizes = sizes.sort_index(key=lambda idx: idx.astype(str))
    groups = list(sizes.index)
    h = pd.DataFrame({"group": group_of.reindex(hits["doc_id"]).to_numpy(), "contrast": hits["contrast"].to_numpy(),
                      "variant": hits["variant"].to_numpy(), "voice": hits["voice"].to_numpy(),
                      "doc_id": hits["doc_id"].to_numpy()})
    key = ["group", "contrast", "variant"]
    frame = pd.MultiIndex.from_tuples([(g, v.contrast, v.id) for g in groups for v in lex.variants], names=key)
    n_docs = h.groupby(key)["doc_id"].nunique().reindex(frame, fill_value=0)
    own = h[h["voice"] == "authorial"]
    n_docs_own = own.groupby(key)["doc_id"].nunique().reindex(frame, fill_value=0)
    per_voice = (h.groupby([*key, "voice"]).size().unstack("voice").reindex(index=frame, columns=list(voices))
                 .fillna(0).astype("int64"))
    n_hits = per_voice.sum(axis=1)
    group_size = sizes.reindex(frame.get_level_values("group")).to_numpy()
    side = {(v.contrast, v.id): v.side for v in lex.variants}
    out = pd.DataFrame({
        "group": frame.get_level_values("group"), "contrast": frame.get_level_values("contrast"),
        "variant": frame.get_level_values("variant"),
        "side": [side[(c, v)] for c, v in zip(frame.get_level_values("contrast"), frame.get_level_values("variant"), strict=True)],
        "n_group_docs": group_size, "n_docs": n_docs.to_numpy(), "doc_share": n_docs.to_numpy() / group_size,
        "n_docs_authorial": n_docs_own.to_numpy(), "doc_share_authorial": n_docs_own.to_numpy() / group_size,
        "n_hits": n_hits.to_numpy()})
    for voice in voices:
        out[f"n_{voice}"] = per_voice[voice].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_non_authorial"] = np.where(out["n_hits"] > 0, 1 - out["n_authorial"] / out["n_hits"], np.nan)
    return out
