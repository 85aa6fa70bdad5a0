"""HTML pages to their article text: recognise a page, read its declared charset, extract the
article with trafilatura (imported only when a page is read)."""

from __future__ import annotations

import codecs
import re

from ..errors import ReadError

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_HTML_DOCUMENT = re.compile(r"<(?:html|body)\b", re.I)
_HTML_TAGS = re.compile(r"<(?:p|div|article|span|br|a\s|h[1-6]|table|section|meta|title|script)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def looks_like_html(text: str | bytes) -> bool:
    """True when ``text`` starts like an HTML page.

    That is: after an optional BOM, XML declaration and comments, it opens
    with a doctype, ``<html>``, ``<head>`` or ``<body>``; or it opens with a
    tag and has at least three common HTML tags in its first 4 KB. A plain
    article that merely mentions a tag does not open with one.

    Parameters
    ----------
    text : str or bytes
        The input; bytes are looked at as Latin-1 (tags are ASCII).

    Returns
    -------
    bool
    """
    head = text[:4096]
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    head = head.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    if head.startswith("<?xml"):
        end = head.find("?>")
        head = head[end + 2 :].lstrip() if end >= 0 else ""
    while head.startswith("<!--"):
        end = head.find("-->")
        head = head[end + 3 :].lstrip() if end >= 0 else ""
    if _HTML_START.match(head):
        return True
    return head.startswith("<") and len(_HTML_TAGS.findall(head)) >= 3


def declared_charset(data: bytes) -> str | None:
    """The codec a ``<meta charset>`` declares, if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def extract_html(html: str, name: str) -> str:
    """The main article text of an HTML page, without navigation and boilerplate.

    Parameters
    ----------
    html : str
        The page, decoded.
    name : str
        The input's name, used in messages.

    Returns
    -------
    str
        Paragraphs separated by newlines (trafilatura's plain-text output).

    Raises
    ------
    ReadError
        When trafilatura finds no article text or cannot parse the page.
    """
    import trafilatura

    if not _HTML_DOCUMENT.search(html[:65536]):
        # trafilatura finds nothing in a bare fragment ("<p>...</p>"); give it a body.
        html = f"<html><body>{html}</body></html>"
    try:
        # Precision over recall: boilerplate scored as prose would be noise.
        # The default mode kept a link-less <nav>Home</nav>; favor_precision
        # drops it and still keeps one-paragraph pages. favor_recall turned
        # navigation-only pages into their menu instead of an error.
        text = trafilatura.extract(html, include_comments=False, with_metadata=False, favor_precision=True)
    except RecursionError as e:
        raise ReadError(f"{name}: HTML nested too deeply to parse") from e
    except (ValueError, TypeError, AttributeError) as e:  # lxml parse errors are ValueErrors
        raise ReadError(f"{name}: cannot parse the HTML ({type(e).__name__}: {e})".splitlines()[0]) from e
    if not text or not text.strip():
        raise ReadError(
            f"{name}: no article text found in the HTML (the page may be empty, "
            "built by JavaScript, or nested too deeply to parse)"
        )
    return text
