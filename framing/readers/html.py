"""Web pages: the article body, title, date, site name and canonical URL, extracted with trafilatura.

Settings, chosen by measurement on the article-extraction benchmark (181 pages; see
``benchmarks/bench_html.py``): ``favor_precision=True`` (F1 0.964 against 0.960 for the defaults),
comments left out, tables kept. Precision mode loses the article on pages whose body is split
into many small blocks (one page in 181 kept only a reprints notice); so when it keeps fewer than
:data:`FALLBACK_WORDS` words, the default settings run too and win when they find at least
:data:`FALLBACK_RATIO` times as many words. Each article's text is its paragraphs, one per line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["EXTRACTOR", "extract_html", "extractor_version", "declared_charset"]

EXTRACTOR = "trafilatura"
SETTINGS = {"favor_precision": True, "include_comments": False, "include_tables": True}
FALLBACK_WORDS = 100
FALLBACK_RATIO = 2.0
MIN_WORDS = 10  # fewer words than this is not an article (a 404 page, a menu, an index of links)
UNKNOWN_OUTLET = "(unknown site)"  # a page naming no site and carrying no URL: say so, never guess
_WORDS = re.compile(r"\w+")
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_INVISIBLE = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``trafilatura <version>``, as the audit records it."""
    from importlib.metadata import version

    return f"{EXTRACTOR} {version('trafilatura')}"


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KiB (None if none or unknown)."""
    import codecs

    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _quiet() -> None:
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def extract_html(html: str, url: str | None = None) -> dict:
    """Extract one page: a dict of ``text`` (None when no article was found: fewer than
    :data:`MIN_WORDS` words), ``title``, ``published``,
    ``outlet`` (site name, else the URL's domain, else
    :data:`UNKNOWN_OUTLET`, with a ``note`` saying so), ``url`` (canonical, else ``url``), ``page_words``,
    ``extracted_words`` and ``settings`` (which settings gave the text).

    Examples
    --------
    >>> from framing.readers.html import extract_html
    >>> page = ("<html><head><title>Talks resume</title><meta property='og:site_name' content='The Daily'>"
    ...         "</head><body><nav>Home | World</nav><article><h1>Talks resume</h1>"
    ...         "<p>Delegations met in Istanbul on Tuesday to discuss a ceasefire.</p>"
    ...         "<p>Prisoner exchanges were on the agenda, officials said.</p></article></body></html>")
    >>> info = extract_html(page, url="https://www.daily.example/world/talks")
    >>> info["outlet"], info["title"], info["text"].splitlines()[-1]
    ('The Daily', 'Talks resume', 'Prisoner exchanges were on the agenda, officials said.')
    >>> extract_html("<html><body><nav>Home</nav></body></html>")["text"] is None
    True
    """
    import trafilatura

    _quiet()
    tree = trafilatura.load_html(html)
    if tree is None:
        return {"text": None, "title": None, "published": None, "outlet": _domain(url), "url": url,
                "page_words": 0, "extracted_words": 0, "settings": None, "note": None}
    page_words = sum(len(_WORDS.findall(t)) for t in tree.xpath(_INVISIBLE))
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **SETTINGS)
    settings = "favor_precision"
    text = doc.text if doc is not None else None
    n = len(_WORDS.findall(text)) if text else 0
    if n < FALLBACK_WORDS:
        other = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                            include_tables=True)
        m = len(_WORDS.findall(other.text)) if other is not None and other.text else 0
        if m and m >= FALLBACK_RATIO * max(n, 1):
            doc, text, n, settings = other, other.text, m, "default (precision kept too little)"
    meta = doc if doc is not None else trafilatura.bare_extraction(tree, url=url, with_metadata=True,
                                                                    only_with_metadata=False, favor_recall=True)
    canonical = getattr(meta, "url", None) or url
    outlet = ((getattr(meta, "sitename", None) or "").strip() or _domain(canonical) or _domain(url)
              or (getattr(meta, "hostname", None) or "").strip())
    note = None
    if not outlet:
        outlet, note = UNKNOWN_OUTLET, "the page names no site and has no URL: give its outlet in metadata.csv"
    if not text or n < MIN_WORDS:
        text = None
    return {"text": text, "title": getattr(meta, "title", None) or None, "published": getattr(meta, "date", None),
            "outlet": outlet, "url": canonical, "page_words": page_words, "extracted_words": n,
            "settings": settings if text else None, "note": note}
