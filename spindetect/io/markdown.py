"""Markdown to plain text: markup removed, the prose and its line structure kept."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT_OR_RULE = re.compile(r"^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$|^[ \t]*\|[ \t]*:?-+:?[ \t]*\|[ \t]*$")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# Link text and emphasis bodies cannot contain their own delimiter, and every
# span is bounded, so a hostile line with thousands of unclosed "[" or "**"
# costs linear time (each attempt stops at the next delimiter).
_URL = r"(?:[^()\s]|\([^()\s]{0,200}\)){0,2000}(?:\s+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'))?\s*"
_INLINE = (
    (re.compile(r"!\[[^\[\]\n]{0,500}\]\(" + _URL + r"\)"), ""),  # images
    (re.compile(r"!\[[^\[\]\n]{0,500}\]\[[^\[\]\n]{0,500}\]"), ""),  # reference images
    (re.compile(r"\[\^[^\[\]\n]{0,100}\]"), ""),  # footnote markers
    (re.compile(r"\[([^\[\]\n]{0,500})\]\(" + _URL + r"\)"), r"\1"),  # [text](url "title")
    (re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,500}\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|ftp|mailto):[^<>\s]{1,2000})>"), r"\1"),  # <http://...>
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,500})?/?>"), ""),  # inline HTML tags
    (re.compile(r"(`{1,3})([^`\n]{1,500}?)\1"), r"\2"),  # `code`
    (re.compile(r"(?<![\w*])\*\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*\*(?![\w*])"), r"\1"),  # **bold**
    (re.compile(r"(?<![\w_])__(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])__(?![\w_])"), r"\1"),  # __bold__
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])_(?![\w_])"), r"\1"),  # _em_
    (re.compile(r"~~(?=[^\s~])([^~\n]{1,500}?)(?<=[^\s~])~~"), r"\1"),  # ~~strike~~
)
_ESCAPABLE = "\\`*_{}[]()#+-.!|>~<"
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
# Escaped characters are parked in Supplementary Private Use Area-A while the
# inline rules run, so "\*" never opens emphasis.
_PARK_BASE = 0xF0000
_UNPARK = {_PARK_BASE + ord(c): c for c in _ESCAPABLE}


def _inline(line: str) -> str:
    line = _ESCAPE.sub(lambda m: chr(_PARK_BASE + ord(m.group(1))), line)
    for pattern, repl in _INLINE:
        line = pattern.sub(repl, line)
    return line.translate(_UNPARK)


def _table_cells(line: str) -> str:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return "\t".join(c.strip() for c in cells)


def strip_markdown(text: str) -> str:
    """Remove Markdown markup, keeping the prose (quotes, list items, headings).

    Headings, emphasis, links (kept as their text), images, footnote markers,
    code fences (with their code), front matter, reference definitions,
    rules, blockquote markers, list markers and table pipes are removed;
    table rows become tab-separated cells. Line structure is kept, so each
    heading and list item stays its own sentence.

    Parameters
    ----------
    text : str
        Markdown source.

    Returns
    -------
    str
        Plain text.
    """
    text = _HTML_COMMENT.sub("", text)
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for k in range(1, min(len(lines), 200)):
            if lines[k].strip() in ("---", "..."):
                start = k + 1
                break
    out: list[str] = []
    fence: str | None = None
    in_table = False
    for i in range(start, len(lines)):
        raw = lines[i].rstrip("\r")
        if fence is not None:
            if raw.lstrip(" ").startswith(fence):
                fence = None
            continue
        m = _FENCE.match(raw)
        if m:
            fence = m.group(1)[0] * len(m.group(1))
            continue
        if not raw.strip():
            in_table = False
            out.append("")
            continue
        if _TABLE_SEP.match(raw) and "|" in raw:
            in_table = True
            continue
        if _SETEXT_OR_RULE.match(raw) or _REFDEF.match(raw):
            continue
        line = _QUOTE.sub("", raw)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if "|" in line and (in_table or (_TABLE_SEP.match(nxt) and "|" in nxt)):
            out.append(_inline(_table_cells(line)))
            continue
        if _ATX.match(line):
            line = _ATX_CLOSE.sub("", _ATX.sub("", line))
        else:
            line = _LIST.sub("", line)
        out.append(_inline(line))
    return "\n".join(out)
