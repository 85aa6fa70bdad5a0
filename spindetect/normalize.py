"""Text normalisation shared by training and scoring.

The shared training data had ftfy applied (curly quotes straightened), NFC and
whitespace collapsed, so the model must see text normalised the same way.
``normalize_with_map`` keeps a map from every normalised character back to its
position in the input so that offsets always point into what the user gave.

It also undoes character-level obfuscation (issue 17), so that everything
downstream (scoring, embedding, alignment, the index) sees plain text:

* invisible and formatting characters (zero-width spaces and joiners, word
  joiners, invisible operators, BOM, soft hyphens, bidi controls) are dropped;
* fullwidth forms and mathematical alphanumerics become their ASCII letter or
  digit (NFKC of those blocks only: the training data was NFC, so ligatures,
  superscripts and "..." are left as they were);
* look-alike letters from other scripts (Cyrillic "а" for Latin "a", Greek
  "ο" for "o"; the Unicode confusables table of the ``confusable-homoglyphs``
  package) become Latin in a word that mixes them with Latin letters, and in a
  word made only of look-alikes among Latin words when the result is an
  English word ("а" in "in а statement"). A word with any letter that has no
  Latin look-alike ("Путин", "λόγος") is genuine non-Latin text and is kept.

``obfuscations`` reports what was undone, in normalised coordinates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .artifact_codes import MAX_HITS_PER_CODE
from .types import Hit

# Quote marks and dashes that the training data never contains in curly form.
_TRANSLATE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
}

#: Invisible and formatting characters dropped from the text (and reported when inside a word):
#: zero-width space/joiners, LRM/RLM, word joiner and invisible operators, BOM,
#: soft hyphen, Mongolian vowel separator, bidi embeddings/overrides/isolates.
INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad", "\u180e"]
)
#: A word made only of look-alikes (no Latin letter) is turned Latin only when
#: the result is an English word at least this frequent (wordfreq zipf).
LOOKALIKE_WORD_ZIPF = 2.5
#: Scripts whose look-alike-only words may be turned Latin ("а" alone is a
#: common trick); a lone Greek letter is more often a symbol ("the α particle").
_WORD_SCRIPTS = ("CYRILLIC", "GREEK")


def _wide(ch: str) -> str | None:
    """The ASCII letter or digit a fullwidth or mathematical alphanumeric character stands for."""
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF5A or 0x1D400 <= o <= 0x1D7FF:
        k = unicodedata.normalize("NFKC", ch)
        if len(k) == 1 and k.isascii() and k.isalnum():
            return k
    return None


@lru_cache(maxsize=1)
def lookalikes() -> dict[str, tuple[str, str]]:
    """Letter of another script -> (the Latin ASCII letter it imitates, its script), from Unicode confusables."""
    import json
    from importlib import resources

    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    from confusable_homoglyphs import categories

    out: dict[str, tuple[str, str]] = {}
    for ch, homoglyphs in data.items():
        if len(ch) != 1 or not ch.isalpha() or ch.isascii():
            continue
        script = categories.alias(ch)
        if script in ("LATIN", "COMMON"):
            continue
        cands = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()]
        if not cands:
            continue
        # keep the case: Cyrillic capital "І" imitates "I", though the table's skeleton says "l"
        same = [c for c in cands if c.isupper() == ch.isupper()]
        out[ch] = ((same or cands)[0], script)
    # capital I look-alikes: the table's skeleton for them is "l"; keep the case
    out["\u0406"], out["\u0399"] = ("I", "CYRILLIC"), ("I", "GREEK")
    return out


@dataclass(frozen=True)
class Obfuscation:
    """One undone trick: ``kind`` 'homoglyph' or 'invisible_char'; ``[start, end)`` is the word in normalised text.

    ``chars`` are the characters involved, one per occurrence (the look-alikes,
    or the invisible ones), and ``word`` the word as the input wrote it
    (invisible characters included).
    """

    kind: str
    start: int
    end: int
    chars: tuple[str, ...]
    word: str


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
    norm, pos, _ = _normalize(text, False)
    return norm, pos


def obfuscations(text: str) -> list[Obfuscation]:
    """The obfuscation ``normalize_with_map(text)`` undid, word by word, in normalised coordinates."""
    if text.isascii():
        return []
    return _normalize(text, True)[2]


#: A word of ASCII text: a run of anything but whitespace and control characters (each run of those is one space).
_ASCII_WORD = re.compile(r"[^\x00-\x20\x7f]+")


def _normalize(text: str, report: bool) -> tuple[str, list[int], list[Obfuscation]]:
    return _normalize_ascii(text) if text.isascii() else _normalize_chars(text, report)


def _normalize_ascii(text: str) -> tuple[str, list[int], list[Obfuscation]]:
    """``_normalize_chars`` for ASCII text, which has nothing to undo but whitespace and control runs.

    Those runs become one space mapped to their first character (none at the
    ends); words are copied whole. Linear, without a Python step per character.
    """
    words: list[str] = []
    pos: list[int] = []
    gap = 0  # where the run after the last word starts
    for m in _ASCII_WORD.finditer(text):
        a, b = m.span()
        if words:
            pos.append(gap)
        words.append(m.group())
        pos.extend(range(a, b))
        gap = b
    pos.append(len(text))
    return " ".join(words), pos, []


def _normalize_chars(text: str, report: bool) -> tuple[str, list[int], list[Obfuscation]]:
    out: list[str] = []
    pos: list[int] = []
    dropped: list[tuple[int, str]] = []  # (index in out where it would have been, char)
    wide: set[int] = set()  # indexes in out of fullwidth/mathematical letters made ASCII
    prev_space = True  # also strips leading whitespace
    for i, cluster in _clusters(text):
        piece = unicodedata.normalize("NFC", cluster) if len(cluster) > 1 or ord(cluster) > 127 else cluster
        for ch in piece:
            if ch in INVISIBLE:
                if report:
                    dropped.append((len(out), ch))
                continue
            ch = _TRANSLATE.get(ch, ch)
            if ch.isspace() or (unicodedata.category(ch) == "Cc"):
                if prev_space:
                    continue
                ch = " "
                prev_space = True
            else:
                prev_space = False
                if ord(ch) >= 0xFF10 and (w := _wide(ch)):
                    ch = w
                    wide.add(len(out))
            out.append(ch)
            pos.append(i)
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    pos.append(len(text))
    found: list[Obfuscation] = []
    if not text.isascii():
        found = _unmask(text, out, pos, wide, report)
        if report:
            found += _invisible(text, out, pos, dropped)
            found.sort(key=lambda o: (o.start, o.kind))
    return "".join(out), pos, found


def _raw_word(text: str, pos: list[int], a: int, b: int) -> str:
    return text[pos[a] : pos[b - 1] + 1]


def _runs(out: list[str], inside) -> list[tuple[int, int]]:
    """Spans of the maximal runs of ``out`` where ``inside(char, in_run)`` holds."""
    spans, a, n = [], None, len(out)
    for k in range(n + 1):
        ok = k < n and inside(out[k], a is not None)
        if ok and a is None:
            a = k
        elif not ok and a is not None:
            spans.append((a, k))
            a = None
    return spans


def _words(out: list[str]) -> list[tuple[int, int]]:
    """Spans of letter runs (with combining marks) in ``out``."""
    return _runs(out, lambda c, in_run: c.isalpha() or (in_run and bool(unicodedata.combining(c))))


def _unmask(text: str, out: list[str], pos: list[int], wide: set[int], report: bool) -> list[Obfuscation]:
    """Turn look-alike letters Latin in place (see the module docstring); the words changed."""
    table = lookalikes()
    if not wide and table.keys().isdisjoint(out):
        return []
    words = _words(out)
    # per word: 'latin' (has a Latin letter and only look-alikes besides), 'alike' (only look-alikes), else None
    kinds: list[str | None] = []
    for a, b in words:
        latin = alike = other = 0
        for k in range(a, b):
            ch = out[k]
            if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
                latin += 1
            elif ch in table:
                alike += 1
            elif not unicodedata.combining(ch):
                other += 1
        kinds.append(None if other else ("latin" if latin else "alike"))
    found = []
    for w, (a, b) in enumerate(words):
        kind = kinds[w]
        if kind is None:
            continue
        wide_k = [k for k in range(a, b) if k in wide]
        swap = [k for k in range(a, b) if out[k] in table]
        if kind == "alike" and not _latin_context(out, words, kinds, w, table):
            continue
        if kind == "latin" and not swap and not wide_k:
            continue
        for k in swap:
            out[k] = table[out[k]][0]
        if kind == "latin" and (swap or len(wide_k) < b - a):  # a word wholly in one wide style is styling
            if report:
                chars = tuple(text[pos[k]] for k in sorted(swap + wide_k))
                found.append(Obfuscation("homoglyph", a, b, chars, _raw_word(text, pos, a, b)))
        elif kind == "alike" and report:
            found.append(Obfuscation("homoglyph", a, b, tuple(text[pos[k]] for k in swap), _raw_word(text, pos, a, b)))
    return found


def _latin_context(out, words, kinds, w, table) -> bool:
    """Whether a look-alike-only word sits among Latin words and reads as an English word once Latin.

    Among Latin words: the line has a word with Latin letters, and no word
    within two on either side holds a letter without a Latin look-alike
    (which would make it genuine Cyrillic or Greek text).
    """
    a, b = words[w]
    scripts = {table[out[k]][1] for k in range(a, b) if out[k] in table}
    if len(scripts) != 1 or scripts.pop() not in _WORD_SCRIPTS:
        return False
    if b - a == 1 and table[out[a]][1] != "CYRILLIC":
        return False
    if "latin" not in kinds or any(kinds[j] is None for j in range(max(0, w - 2), min(len(words), w + 3))):
        return False
    from .zipf import table as zipf_table

    latin = "".join(table[out[k]][0] if out[k] in table else out[k] for k in range(a, b))
    return zipf_table().get(latin.lower()) >= LOOKALIKE_WORD_ZIPF


def _invisible(text: str, out: list[str], pos: list[int], dropped: list[tuple[int, str]]) -> list[Obfuscation]:
    """Invisible characters that were dropped from inside a word (between two letters or digits)."""
    inside: dict[tuple[int, int], list[str]] = {}
    words = None
    for k, ch in dropped:
        if 0 < k < len(out) and out[k - 1].isalnum() and out[k].isalnum():
            if words is None:
                words = _alnum_words(out)
            for a, b in words:
                if a < k < b:
                    inside.setdefault((a, b), []).append(ch)
                    break
    return [Obfuscation("invisible_char", a, b, tuple(chars), _raw_word(text, pos, a, b)) for (a, b), chars in inside.items()]


def _alnum_words(out: list[str]) -> list[tuple[int, int]]:
    """Spans of letter-or-digit runs in ``out``."""
    return _runs(out, lambda c, in_run: c.isalnum())


def normalize(text: str) -> str:
    """The normalised form of ``text`` (what the model sees)."""
    return normalize_with_map(text)[0]


# --------------------------------------------------------------------------
# Obfuscation as evidence (issue 17): found on the *raw* sentence, reported in its normalised text
# --------------------------------------------------------------------------


def _char_name(ch: str) -> str:
    import unicodedata

    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"


def obfuscation_hits(raw: str) -> list[Hit]:
    """The homoglyphs and invisible characters ``normalize`` undid in one sentence.

    ``raw`` is the sentence as the user wrote it (``Sentence.text``); hit spans
    are the affected words in its normalised text (``Sentence.norm``), like every
    other hit, and messages name the characters ("'а' U+0430 CYRILLIC SMALL
    LETTER A in 'sаid'"). At most ``MAX_HITS_PER_CODE`` per code.
    """
    out: list[Hit] = []
    per_code: Counter = Counter()
    for o in obfuscations(raw):
        per_code[o.kind] += 1
        if per_code[o.kind] > MAX_HITS_PER_CODE:
            continue
        counts = Counter(o.chars)
        named = ", ".join((f"{n} x " if n > 1 else "") + (f"'{c}' " if o.kind == "homoglyph" else "") + _char_name(c)
                          for c, n in counts.items())
        if o.kind == "homoglyph":  # invisible characters in the word are named by their own hit
            msg = f"{named} in '{''.join(ch for ch in o.word if ch not in INVISIBLE)}'"
        else:
            shown = "".join(ch for ch in o.word if ch not in counts)
            msg = f"{named} inside '{shown}'"
        out.append(Hit(o.kind, msg, o.start, o.end))
    return out


def obfuscation_counts(raws: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per obfuscation code: (characters, words) over the sentences ``raws``; codes that never occur are left out."""
    out: dict[str, tuple[int, int]] = {}
    for raw in raws:
        for o in obfuscations(raw):
            c, w = out.get(o.kind, (0, 0))
            out[o.kind] = (c + len(o.chars), w + 1)
    return out
