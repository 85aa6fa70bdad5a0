"""Word and phrase swaps, the spinner's ``synonym`` and ``phrase`` operations: a word is replaced by a
thesaurus entry of the same part of speech, re-inflected, without regard to sense or idiom; a
multi-word expression is replaced, or a word becomes a phrase (``augment.thesaurus`` supplies them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..types import Sentence
from .proposals import Proposal, rng

#: Quote marks a clause may open with.
QUOTES = "\"\u201c\u201d"
#: In mixed mode, the share of word replacements that use a multi-word
#: substitute when both kinds exist (read off spun samples, not fitted).
PHRASE_SHARE = 0.25
#: Function words: never substituted, and lower-cased when a clause that began
#: a sentence moves to its middle.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just let me more most my myself neither no nor not now of off on once one only or
    other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too two three four five six seven
    eight nine ten under until up upon very was we were what when where which while who whom whose
    why will with would you your yours yourself yourselves may might must shall per via among
    amid within without whether though although yet ever never still even many much several near
    across around behind beyond toward towards despite along inside outside beside besides past like
    unlike onto except since already almost really quite rather""".split()
)


def capitalize(s: str) -> str:
    """Upper-case the first letter, past any opening quote: '“added' -> '“Added'."""
    m = re.search(r"[^\W\d_]", s)
    if not m or not s[: m.start()].strip(QUOTES + "'\u2018(["):
        return s[: m.start()] + s[m.start()].upper() + s[m.start() + 1 :] if m else s
    return s


_WORD = re.compile(r"[A-Za-z]+(?:[-'\u2019][A-Za-z]+)*")
_DETERMINERS = frozenset("the a an this that these those his her its their our my your some any each every no many several".split())
_TO_VERB = frozenset("to will would could can should may might must did does do not".split())
_HAVE_BE = frozenset("has have had having is are was were be been being".split())


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    cap: bool  # sentence-initial capital to restore on the substitute


_PRONOUNS = frozenset("i you he she it we they who which that".split())


def _tag_for(word: str, pos: str, lemma: str, prev: str) -> str | None:
    """Penn tag of ``word`` as an inflection of ``lemma``; None for forms the spinner leaves alone."""
    from .thesaurus import inflections

    tags = [t for t, forms in sorted(inflections(lemma, pos).items()) if word in forms]
    if pos == "VERB":
        if prev in _TO_VERB:
            order = ("VB", "VBP")
        elif prev in _HAVE_BE:
            order = ("VBN", "VBG", "VBD", "VBZ", "VB", "VBP")
        else:
            order = ("VBD", "VBZ", "VBG", "VBP", "VB", "VBN")
        for t in order:
            if t in tags:
                return t
        return "VB" if word == lemma and prev in _TO_VERB else None
    if pos == "NOUN":
        if word == lemma:
            return "NN"
        return "NNS" if "NNS" in tags else None
    # comparatives and superlatives are left alone: few substitutes inflect well
    return {"ADJ": "JJ", "ADV": "RB"}[pos] if word == lemma else None


def _pos_order(word: str, options: dict, prev: str, prev_cap: bool, nxt: str) -> tuple[str, ...]:
    """Parts of speech to try for ``word``, most likely first, from its neighbours.

    No tagger ships offline in a package, and a spinner need not be right:
    real spinners replace "meeting" with "Olympics" too.
    """
    from .thesaurus import lemmas

    if prev in _TO_VERB or (prev in _HAVE_BE and word.endswith(("ed", "en", "ing"))):
        return ("VERB", "ADJ")
    if word.endswith("ly") and "ADV" in options:
        return ("ADV",)
    if prev in _DETERMINERS:
        if "ADJ" in options and nxt and "NOUN" in lemmas(nxt):
            return ("ADJ", "NOUN")
        return ("NOUN", "ADJ")
    if prev and "ADJ" in lemmas(prev) and prev not in _HAVE_BE:
        return ("NOUN", "ADJ", "VERB", "ADV")  # "a long meeting": a noun after an adjective
    if prev in _PRONOUNS or prev_cap or word.endswith(("ed", "ing")):
        # "Biden plans", "he added", "Russia amassed": a verb after a subject
        return ("VERB", "NOUN", "ADJ", "ADV")
    return ("NOUN", "ADJ", "VERB", "ADV")


def _analyse(word: str, prev: str, prev_cap: bool, nxt: str) -> tuple[str, str, str] | None:
    """(pos, lemma, Penn tag) for a lower-case word, or None if the spinner should leave it."""
    from .thesaurus import lemmas

    options = lemmas(word)
    if not options:
        return None
    for pos in _pos_order(word, options, prev, prev_cap, nxt):
        for lemma in options.get(pos, ()):
            tag = _tag_for(word, pos, lemma, prev)
            if tag is not None:
                return pos, lemma, tag
    return None


def _tokens(text: str, sentences: Sequence[Sentence]) -> list[_Token]:
    """Word tokens; a capital counts as sentence-initial only for the sentence's first word."""
    firsts = set()
    for s in sentences:
        m = _WORD.search(text, s.start, s.end)
        if m and not text[s.start : m.start()].strip(QUOTES + "'\u2018([ "):
            firsts.add(m.start())
    return [_Token(m.start(), m.end(), m.group(), m.start() in firsts) for m in _WORD.finditer(text)]


def word_proposals(text: str, sentences: Sequence[Sentence], rate: float, seed: int | str, ops: Sequence[str],
                   choose: Callable[[int, str, Sequence[str]], str | None] | None = None) -> list[Proposal]:
    """The swaps ``ops`` allow, each eligible word drawn with probability ``rate``.

    The substitute is drawn at random, as a spinner does, unless ``choose`` is given: then single-word
    substitutes only, and ``choose(offset, word, substitutes)`` picks one or ``None`` (no swap).
    """
    from .thesaurus import substitutes

    toks = _tokens(text, sentences)
    # Words also written capitalised mid-sentence are names ("Will", "Rose"); leave them.
    names = {t.word.lower() for t in toks if not t.cap and t.word[:1].isupper()}
    allow_phrase = "phrase" in ops
    allow_synonym = "synonym" in ops
    out = []
    for i, t in enumerate(toks):
        w = t.word
        lower = w.lower()
        if "'" in w or "\u2019" in w or lower in STOP_WORDS or len(w) < 3:
            continue
        if w[:1].isupper() and (not t.cap or not w[1:].islower() or lower in names):
            continue
        if t.cap and i + 1 < len(toks) and toks[i + 1].word[:1].isupper() and _only_space(text, t.end, toks[i + 1].start):
            continue  # a title or name at the start of a sentence: "Mayor Dana Whitfield"
        prev = toks[i - 1].word.lower() if i and _only_space(text, toks[i - 1].end, t.start) else ""
        nxt = toks[i + 1].word.lower() if i + 1 < len(toks) and _only_space(text, t.end, toks[i + 1].start) else ""

        # multi-word source: "according to", "took place" (first word may be inflected)
        if allow_phrase:
            p = _phrase_at(text, toks, i, prev)
            if p is not None:
                end, headword, pos, tag = p
                r = rng(seed, "phrase", t.start)
                # draw before looking up: the result is the same, and most words are not drawn
                subs = substitutes(headword, pos, tag) if r.random() < rate else ()
                if subs:
                    sub = r.choice(subs)
                    out.append(Proposal("phrase", t.start, end, capitalize(sub) if t.cap else sub))
                    continue

        prev_cap = bool(prev) and toks[i - 1].word[:1].isupper() and not toks[i - 1].cap
        found = _analyse(lower, prev, prev_cap, nxt)
        if found is None:
            continue
        pos, lemma, tag = found
        r = rng(seed, "word", t.start)
        if r.random() >= rate:
            continue
        subs = [s for s in substitutes(lemma, pos, tag) if s != lower]
        if choose is not None:
            sub = choose(t.start, lower, [s for s in subs if " " not in s])
            if sub is not None:
                out.append(Proposal("synonym", t.start, t.end, capitalize(sub) if t.cap else sub))
            continue
        single = [s for s in subs if " " not in s] if allow_synonym else []
        multi = [s for s in subs if " " in s] if allow_phrase else []
        if not (single or multi):
            continue
        # Commercial spinners mostly swap single words; phrases are the minority.
        use_multi = multi and (not single or r.random() < PHRASE_SHARE)
        sub = r.choice(multi if use_multi else single)
        out.append(Proposal("phrase" if " " in sub else "synonym", t.start, t.end, capitalize(sub) if t.cap else sub))
    return out


def _only_space(text: str, a: int, b: int) -> bool:
    return a < b and text[a:b] == " "


def _starts_infinitive(word: str) -> bool:
    from .thesaurus import lemmas

    if word in ("be", "have", "do"):
        return True
    options = lemmas(word)
    return "VERB" in options and word in options["VERB"] and "NOUN" not in options


def _phrase_at(text: str, toks: Sequence[_Token], i: int, prev: str) -> tuple[int, str, str | None, str | None] | None:
    """The longest multi-word Moby headword starting at token ``i``: (end, headword, pos, tag)."""
    from .thesaurus import lemmas, phrases_starting_with

    lower = toks[i].word.lower()
    verb = lemmas(lower).get("VERB", ())
    firsts = [(lower, None)] + [(v, "VERB") for v in verb if v != lower]
    for first, pos in firsts:
        for words in phrases_starting_with(first):
            n = len(words)
            if i + n > len(toks):
                continue
            ok = all(
                toks[i + k].word.lower() == words[k] and _only_space(text, toks[i + k - 1].end, toks[i + k].start)
                for k in range(1, n)
            )
            if not ok:
                continue
            if words[-1] == "to" and i + n < len(toks) and _starts_infinitive(toks[i + n].word.lower()):
                continue  # "going to be" is not the phrase "going to"
            if pos == "VERB":
                tag = _tag_for(lower, "VERB", first, prev)
                if tag is None:
                    continue
                return toks[i + n - 1].end, " ".join(words), "VERB", tag
            if prev in _TO_VERB:
                continue  # "would open to traffic": a verb here, not the adjective "open to"
            return toks[i + n - 1].end, " ".join(words), None, None
    return None
