"""Text normalisation shared by training and scoring.

The shared training data had ftfy applied (curly quotes straightened), NFC and
whitespace collapsed, so the model must see text normalised the same way.
``normalize_with_map`` keeps a map from every normalised character back to its
position in the input so that offsets always point into what the user gave.
"""

from __future__ import annotations

import unicodedata

# Quote marks and dashes that the training data never contains in curly form.
_TRANSLATE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u200b": "", "\ufeff": "", "\u00ad": "",
}


def _clusters(text: str):
    """Yield (start, cluster) where a cluster is a base char plus combining marks."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        yield i, text[i:j]
        i = j


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise ``text``; return it with ``pos`` where ``pos[k]`` is the input index of char k.

    ``pos`` has one extra final entry, ``len(text)``, so a normalised span
    ``[a, b)`` maps back to ``[pos[a], pos[b - 1] + 1)``.
    """
    out: list[str] = []
    pos: list[int] = []
    prev_space = True  # also strips leading whitespace
    for i, cluster in _clusters(text):
        piece = unicodedata.normalize("NFC", cluster) if len(cluster) > 1 or ord(cluster) > 127 else cluster
        for ch in piece:
            ch = _TRANSLATE.get(ch, ch)
            if ch == "":
                continue
            if ch.isspace() or (unicodedata.category(ch) == "Cc"):
                if prev_space:
                    continue
                ch = " "
                prev_space = True
            else:
                prev_space = False
            out.append(ch)
            pos.append(i)
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    pos.append(len(text))
    return "".join(out), pos


def normalize(text: str) -> str:
    """The normalised form of ``text`` (what the model sees)."""
    return normalize_with_map(text)[0]
