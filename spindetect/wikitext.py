"""Plain prose of MediaWiki markup: the paragraphs of an encyclopedia article, for the ``wiki`` training corpus.

A small regex cleaner in the spirit of gensim's ``filter_wiki``: comments, references, templates (nested),
tables, file and category links and HTML tags are dropped; ``[[target|text]]`` links keep their text, external
links their label; bold and italic quote marks go. What remains is split into lines, and only prose lines are
kept: not headings, lists, indents or table rows, at least ``min_words`` words, ending like a sentence. Nothing
here reads files (:mod:`spindetect.corpora` does).
"""

from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_TABLE = re.compile(r"\{\|.*?\|\}", re.S)
#: [[File:...]], [[Image:...]], [[Category:...]] and interlanguage links ([[de:...]]), one level of inner links.
_NAMESPACED = re.compile(r"\[\[(?:File|Image|Category|[a-z]{2,3}(?:-[a-z]+)?):[^\[\]]*(?:\[\[[^\]]*\]\][^\[\]]*)*\]\]",
                         re.I)
_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]")
_EXTERNAL = re.compile(r"\[(?:https?|ftp)://\S+(?: ([^\]]*))?\]")
_BOLD_ITALIC = re.compile(r"'{2,}")
_HEADING = re.compile(r"^=+.*=+$")
_EMPTY_PARENS = re.compile(r"\(\s*[,;]?\s*\)")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:])")
#: A line starting with one of these is a list item, an indent, a table row or a leftover brace, not prose.
_NOT_PROSE_START = "*#:;|!{}_"


def without_templates(markup: str) -> str:
    """``markup`` with every ``{{...}}`` template removed, nested ones included (an unclosed one runs to the end)."""
    out, depth, k = [], 0, 0
    while k < len(markup):
        if markup.startswith("{{", k):
            depth, k = depth + 1, k + 2
        elif depth and markup.startswith("}}", k):
            depth, k = depth - 1, k + 2
        else:
            if not depth:
                out.append(markup[k])
            k += 1
    return "".join(out)


def paragraphs(markup: str, min_words: int = 20) -> list[str]:
    """The prose paragraphs of one article's markup, in order."""
    t = _REF.sub("", _COMMENT.sub("", html.unescape(markup)))
    t = _NAMESPACED.sub("", _TABLE.sub("", without_templates(t)))
    t = _LINK.sub(r"\1", t)
    t = _EXTERNAL.sub(lambda m: m.group(1) or "", t)
    t = _BOLD_ITALIC.sub("", _TAG.sub("", t))
    out = []
    for line in t.split("\n"):
        line = " ".join(_EMPTY_PARENS.sub("", line).split())
        line = _SPACE_BEFORE_MARK.sub(r"\1", line)
        if (not line or line[0] in _NOT_PROSE_START or _HEADING.match(line) or len(line.split()) < min_words
                or line[-1] not in '.!?"'):
            continue
        out.append(line)
    return out
