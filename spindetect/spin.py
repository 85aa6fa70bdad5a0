"""A real article spinner, for data augmentation, with exact span-level ground truth.

It rewrites text the way commercial spinners (SpinBot, SpinnerChief,
WordAI-style spintax) do, so that the detector can be trained and tested on
that family of rewrites:

- ``synonym``: a word is replaced by a thesaurus entry of the same part of
  speech, re-inflected, *without* regard to sense or idiom ("build-up" ->
  "ascent", "huge" -> "colossal");
- ``phrase``: a multi-word expression is replaced, or a word becomes a phrase
  ("added" -> "tacked on", "according to" -> "in accordance with");
- ``restructure``: clauses are reordered around an attribution ("X said Y" ->
  "Y, X said" / "According to X, Y"); in ``mixed`` mode words inside the
  reordered sentence are swapped too, and the whole sentence is one edit;
- ``quote``: quote marks and punctuation near an attribution are moved or
  dropped (``private," the agency quoted`` -> ``private "The agency quoted``);
- ``number``: number and date formats change ("175,000" -> "175 thousand",
  "Tuesday" -> "on Tuesday", "5 percent" -> "5%");
- ``title``: an official's title is swapped ("President" -> "Vice President").

Every change is recorded as an :class:`Edit` with offsets into the original
and the spun text, so sentence labels derived from it are exact. Randomness is
deterministic: each candidate change draws from its own ``random.Random``
seeded with ``(seed, op, offset)``, so a higher ``rate`` with the same seed
keeps (nearly) every change a lower rate made, and nothing depends on global
state or dict/set ordering. The thesaurus is described in
:mod:`spindetect.thesaurus`.
"""

from __future__ import annotations

import bisect
import difflib
import random
import re
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Sequence

from .types import Sentence

MODES = ("synonym", "phrase", "restructure", "mixed")
OPS = ("synonym", "phrase", "restructure", "quote", "number", "title")
_MODE_OPS = {
    "synonym": ("synonym",),
    "phrase": ("phrase",),
    "restructure": ("restructure", "quote"),
    "mixed": OPS,
}
# When two candidate changes overlap, the one whose op comes first wins:
# sentence-level rewrites before local ones, phrases before single words.
_PRIORITY = {op: k for k, op in enumerate(("restructure", "quote", "title", "number", "phrase", "synonym"))}
#: In mixed mode, the share of word replacements that use a multi-word
#: substitute when both kinds exist (read off spun samples, not fitted).
PHRASE_SHARE = 0.25
#: Title swaps are rarer than other changes ("occasionally" in real spinners).
TITLE_RATE_FACTOR = 0.5


@dataclass(frozen=True)
class Edit:
    """One change: ``original[src_start:src_end] == before`` became ``spun[dst_start:dst_end] == after``."""

    op: str
    src_start: int
    src_end: int
    dst_start: int
    dst_end: int
    before: str
    after: str

    def to_dict(self) -> dict:
        """JSON-ready dict with the keys of the labels file."""
        return asdict(self)


@dataclass(frozen=True)
class SpinResult:
    """The rewritten text and the edits (sorted by ``src_start``, non-overlapping) that made it.

    The spinner's result, and the copy editor's (``edit.EditResult`` is this class).
    """

    text: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class _Proposal:
    op: str
    start: int
    end: int
    after: str


# --- public API ------------------------------------------------------------


def spin(text: str, rate: float = 0.3, seed: int = 0, mode: str = "mixed") -> SpinResult:
    """Spin ``text`` like a commercial article spinner.

    Parameters
    ----------
    text : str
        The article. Empty or whitespace-only text comes back unchanged with no edits.
    rate : float
        Probability, between 0 and 1, that each candidate change is made: each
        replaceable word or phrase, each attribution sentence, quote, number
        or date (titles: half as often). 0 returns the text unchanged.
    seed : int
        Same text, rate, seed and mode give the same result.
    mode : str
        ``synonym`` (single words), ``phrase`` (multi-word expressions),
        ``restructure`` (attribution clauses and quote marks) or ``mixed``
        (all of these plus number/date formats and titles).

    Returns
    -------
    SpinResult
        ``text`` and ``edits``; applying the edits to ``text`` gives the spun text
        (see :func:`apply_edits`).

    Raises
    ------
    ValueError
        ``rate`` outside [0, 1] or an unknown ``mode``.
    spindetect.thesaurus.ThesaurusError
        The thesaurus packages are not installed.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    if not text.strip() or rate == 0.0:
        return SpinResult(text, ())
    from .segment import segment

    sentences = segment(text)
    ops = _MODE_OPS[mode]
    proposals: list[_Proposal] = []
    if "restructure" in ops:
        proposals += _restructure_proposals(text, sentences, rate, seed)
    if "quote" in ops:
        proposals += _quote_proposals(text, rate, seed)
    if "title" in ops:
        proposals += _regex_proposals(text, _TITLE_RULES, "title", rate * TITLE_RATE_FACTOR, seed, sentences)
    if "number" in ops:
        proposals += _regex_proposals(text, _NUMBER_RULES, "number", rate, seed, sentences)
    if "synonym" in ops or "phrase" in ops:
        proposals += _word_proposals(text, sentences, rate, seed, ops)
    kept = _resolve(proposals)
    if "synonym" in ops or "phrase" in ops:
        # Spinners swap words inside the clauses they reorder too; the sentence
        # stays one "restructure" edit, so its label is still exact.
        kept = [_respin(p, rate, seed, ops) if p.op == "restructure" else p for p in kept]
    return assemble(text, kept)


def apply_edits(original: str, edits: Sequence[Edit]) -> str:
    """Rebuild the spun text from ``original`` and its edits (sorted, non-overlapping).

    Raises
    ------
    ValueError
        An edit's ``before`` does not match ``original`` or edits overlap.
    """
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e.src_start):
        if e.src_start < pos:
            raise ValueError(f"edit at {e.src_start} overlaps the previous one (ends at {pos})")
        if original[e.src_start : e.src_end] != e.before:
            raise ValueError(f"edit at {e.src_start}: 'before' {e.before!r} does not match the original")
        out.append(original[pos : e.src_start])
        out.append(e.after)
        pos = e.src_end
    out.append(original[pos:])
    return "".join(out)


_TOKEN = re.compile(r"\w+|[^\w\s]")


def changed_token_rate(original: str, spun: str) -> float:
    """Fraction of tokens changed between two texts, in [0, 1].

    Words and punctuation marks are tokens (lower-cased). The rate is
    ``1 - matched / max(n_original, n_spun)`` where ``matched`` counts tokens in
    the longest in-order alignment (difflib), so replaced, inserted, deleted
    and *moved* tokens all count as changed. Two empty texts give 0.0.
    """
    a = _TOKEN.findall(original.lower())
    b = _TOKEN.findall(spun.lower())
    n = max(len(a), len(b))
    if n == 0:
        return 0.0
    matched = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return 1.0 - matched / n


def label_sentences(result: SpinResult) -> list[tuple[Sentence, tuple[Edit, ...]]]:
    """Segment the spun text and attach the edits that touch each sentence.

    A sentence with at least one edit is machine-rewritten (label 1); one with
    none is the original sentence verbatim (label 0).
    """
    from .segment import segment

    out = []
    for s in segment(result.text):
        touching = tuple(e for e in result.edits if e.dst_start < s.end and e.dst_end > s.start)
        out.append((s, touching))
    return out


# --- assembling edits --------------------------------------------------------


def _rng(seed: int | str, op: str, start: int) -> random.Random:
    # One generator per candidate: a str seed is hashed with SHA-512 by
    # random.Random, so this is stable across processes and PYTHONHASHSEED.
    return random.Random(f"{seed}:{op}:{start}")


def _resolve(proposals: Iterable[_Proposal]) -> list[_Proposal]:
    """Keep non-overlapping proposals, higher-priority ops first, then left to right."""
    # ``starts``/``ends``: the kept spans, sorted and disjoint, so one bisect
    # finds the only neighbours a new span could overlap (linear scans made a
    # long article quadratic).
    starts: list[int] = []
    ends: list[int] = []
    kept = []
    for p in sorted(proposals, key=lambda p: (_PRIORITY[p.op], p.start, p.end)):
        k = bisect.bisect_right(starts, p.start)
        if k and ends[k - 1] > p.start:
            continue
        if k < len(starts) and starts[k] < p.end:
            continue
        starts.insert(k, p.start)
        ends.insert(k, p.end)
        kept.append(p)
    return sorted(kept, key=lambda p: p.start)


def assemble(text: str, kept: Sequence) -> SpinResult:
    """Apply sorted, non-overlapping replacements (objects with op, start, end, after): the new text and its edits.

    Shared by the spinner and the copy editor (``edit.py``): a replacement equal
    to what it replaces is dropped, so every ``Edit`` is a real change.
    """
    out, edits, pos, dst = [], [], 0, 0
    for p in kept:
        before = text[p.start : p.end]
        if before == p.after:
            continue
        gap = text[pos : p.start]
        out.append(gap)
        dst += len(gap)
        out.append(p.after)
        edits.append(Edit(p.op, p.start, p.end, dst, dst + len(p.after), before, p.after))
        dst += len(p.after)
        pos = p.end
    out.append(text[pos:])
    return SpinResult("".join(out), tuple(edits))


# --- casing helpers --------------------------------------------------------

# Function words: never substituted, and lower-cased when a clause that began
# a sentence moves to its middle.
_STOP = frozenset(
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


def _cap(s: str) -> str:
    """Upper-case the first letter, past any opening quote: '“added' -> '“Added'."""
    m = re.search(r"[^\W\d_]", s)
    if not m or not s[: m.start()].strip(_Q + "'\u2018(["):
        return s[: m.start()] + s[m.start()].upper() + s[m.start() + 1 :] if m else s
    return s


def _uncap(s: str, text: str) -> str:
    """Lower-case the first letter of a clause moved out of sentence-initial position,
    unless its first word looks like a name (never written in lower case in ``text``)."""
    m = re.match(r"[A-Za-z]+", s)
    if not m or m.group() == "I" or m.group().isupper():
        return s
    if re.match(r" [A-Z]", s[m.end() :]):
        return s  # a title before a name: "Mayor Dana Whitfield"
    from .thesaurus import lemmas

    w = m.group().lower()
    if w in _STOP or re.search(rf"\b{re.escape(w)}\b", text):
        return w + s[m.end() :]
    # a dictionary word never capitalised mid-sentence in the text: "City officials"
    if lemmas(w) and not re.search(rf"[a-z,;] {re.escape(m.group())}\b", text):
        return w + s[m.end() :]
    return s


# --- restructure: attribution clauses ----------------------------------------

_Q = "\"\u201c\u201d"
_VERB = r"(?:said|says|added|noted|explained|stated|wrote|warned|insisted|argued|announced|confirmed|claimed)"
_TOLD = r"(?:told (?:reporters|[A-Z][\w.]*(?: [A-Z][\w.]*)?))"
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WHEN = rf"(?: (?:on )?{_DAY}(?: (?:night|morning|afternoon|evening))?| (?:last|this) (?:week|month|year)| yesterday| today| in a statement)?"
# A subject of at most ten words, optionally with one appositive: "Dmitry Peskov, a spokesman for the Kremlin,".
_SUBJ = rf"[A-Z][^,{_Q}.;:]{{0,80}}?(?:, [^,{_Q};:]{{2,60}},)?"
# What may start a reported clause without "that" (else "What Putin said was ..." would match).
_CLAUSE_START = r"(?:that |(?=(?:the|a|an|he|she|it|they|we|there|this|these|his|her|their|its|[A-Z])\b))"

# Reported clauses (y) may hold quotations, checked to be balanced.
_R_SAID_Y = re.compile(rf"^(?P<x>{_SUBJ}) (?P<v>{_VERB}|{_TOLD})(?P<t>{_WHEN}),? {_CLAUSE_START}(?P<y>.{{15,}}[^{_Q}])\.$")
_R_Y_SAID = re.compile(rf"^(?P<y>[^{_Q}].{{14,}}), (?P<x>[^,{_Q}]{{2,60}}?) (?P<v>{_VERB})(?P<t>{_WHEN})\.$")
_R_Y_ACCORDING = re.compile(rf"^(?P<y>[^{_Q}].{{14,}}?), according to (?P<x>[^,{_Q}]{{3,80}})\.$")
_R_ACCORDING_Y = re.compile(rf"^According to (?P<x>[^,{_Q}]{{3,80}}), (?P<y>.{{15,}}[^{_Q}])\.$")
_R_QUOTE_SAID = re.compile(
    rf"^(?P<o>[\"\u201c])(?P<q>[^{_Q}]{{10,}}?),(?P<c>[\"\u201d]) (?P<x>[^,{_Q}]{{2,60}}?) (?P<v>{_VERB})(?P<t>{_WHEN})\.$"
)
_R_SAID_QUOTE = re.compile(
    rf"^(?P<x>[A-Z][^,{_Q}]{{1,60}}?) (?P<v>{_VERB})(?P<t>{_WHEN}), (?P<o>[\"\u201c])(?P<q>[^{_Q}]{{10,}}?)\.(?P<c>[\"\u201d])$"
)


def _restructurings(s: str, text: str) -> list[str]:
    """Every restructured version of one sentence (empty if no pattern fits)."""
    m = _R_QUOTE_SAID.match(s)
    if m:
        return [f"{_cap(m['x'])} {m['v']}{m['t']}, {m['o']}{m['q']}.{m['c']}"]
    m = _R_SAID_QUOTE.match(s)
    if m:
        return [f"{m['o']}{m['q']},{m['c']} {_uncap(m['x'], text)} {m['v']}{m['t']}."]
    if not _balanced(s):
        return []
    m = _R_SAID_Y.match(s)
    if m and len(m["x"].split()) <= 10:
        x, v, t, y = m["x"], m["v"], m["t"], m["y"]
        outs = [f"{_cap(y)}, {_uncap(x, text)} {v}{t}."]
        if not v.startswith("told"):
            outs.append(f"According to {_uncap(x, text)}, {y}.")
        return outs
    m = _R_Y_SAID.match(s)
    if m:
        x, v, t, y = m["x"], m["v"], m["t"], m["y"]
        return [f"{_cap(x)} {v}{t} that {_uncap(y, text)}.", f"According to {x}, {_uncap(y, text)}."]
    m = _R_Y_ACCORDING.match(s)
    if m:
        return [f"According to {m['x']}, {_uncap(m['y'], text)}."]
    m = _R_ACCORDING_Y.match(s)
    if m:
        return [f"{_cap(m['y'])}, according to {m['x']}."]
    return []


def _balanced(s: str) -> bool:
    return s.count('"') % 2 == 0 and s.count("\u201c") == s.count("\u201d")


def _respin(p: _Proposal, rate: float, seed: int, ops: Sequence[str]) -> _Proposal:
    """Word and phrase swaps inside a restructured sentence (its own seed stream)."""
    after = p.after
    whole = [Sentence(0, 0, len(after), after, after)]
    words = _word_proposals(after, whole, rate, f"{seed}:restructure:{p.start}", ops)
    return _Proposal(p.op, p.start, p.end, assemble(after, _resolve(words)).text)


def _restructure_proposals(text: str, sentences: Sequence[Sentence], rate: float, seed: int) -> list[_Proposal]:
    out = []
    for s in sentences:
        if "\n" in s.text:
            continue
        options = _restructurings(s.text, text)
        if not options:
            continue
        r = _rng(seed, "restructure", s.start)
        if r.random() < rate:
            out.append(_Proposal("restructure", s.start, s.end, r.choice(options)))
    return out


# --- quote marks near attributions -----------------------------------------

_ATTRIB_AHEAD = r"(?= [^\"\u201c\u201d\n]{0,60}?\b(?:said|says|added|told|quoted|explained|noted|asked|wrote|stated)\b)"
# '..., private," the agency said' : closing quote after punctuation, then the attribution.
_QUOTE_CLOSE = re.compile(rf"(?P<p>[,.!?])(?P<c>[\"\u201d]) (?P<w>[A-Za-z][\w'\u2019-]*){_ATTRIB_AHEAD}")
# 'he said, "We ...' : punctuation between an attribution verb and an opening quote.
_QUOTE_OPEN = re.compile(r"\b(?:said|says|added|told \w+|wrote|explained|noted|stated)(?P<p>[,:]) (?P<o>[\"\u201c])(?=[A-Z])")


def _quote_proposals(text: str, rate: float, seed: int) -> list[_Proposal]:
    out = []
    for m in _QUOTE_CLOSE.finditer(text):
        r = _rng(seed, "quote", m.start())
        if r.random() >= rate:
            continue
        p, w = m["p"], m["w"]
        opening = "\u201c" if m["c"] == "\u201d" else '"'
        keep = p if p in "!?" else ""
        variants = [
            # the quote closes on the attribution instead: 'private "The agency said'
            f"{keep} {opening}{_cap(w)}",
            # the closing quote is dropped: 'we think, Peskov added'
            f"{p} {w}",
        ]
        out.append(_Proposal("quote", m.start(), m.end(), r.choice(variants)))
    for m in _QUOTE_OPEN.finditer(text):
        r = _rng(seed, "quote", m.start("p"))
        if r.random() >= rate:
            continue
        variants = [f" {m['o']}", f" that {m['o']}", f": {m['o']}", " "]
        out.append(_Proposal("quote", m.start("p"), m.end(), r.choice(variants)))
    return out


# --- numbers, dates and titles: regex rules ----------------------------------

_WORD_NUM = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
_MONTHS = ("January February March April May June July August September October November December").split()
_MONTH_ABBR = {m[:3]: m for m in _MONTHS} | {"Sept": "September"}


def _trim(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _thousands(m: re.Match) -> list[str]:
    n = int(m.group().replace(",", ""))
    if n >= 1_000_000 and n % 100_000 == 0:
        return [f"{_trim(n / 1e6)} million"]
    if n % 1000 == 0:
        return [f"{n // 1000} thousand", f"{_trim(n / 1000)}k"]
    return [f"{n:,}".replace(",", "")] if n >= 10_000 else []


def _millions(m: re.Match) -> list[str]:
    n = round(float(m["n"]) * 1_000_000)
    return [f"{n:,}"]


def _weekday(m: re.Match, at_sentence_start: bool) -> list[str]:
    return [("On " if at_sentence_start else "on ") + m.group()]


# (pattern, function(match, at_sentence_start) -> alternatives)
Rule = tuple[re.Pattern, Callable[[re.Match, bool], list[str]]]
_NUMBER_RULES: tuple[Rule, ...] = (
    (re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)(?! (?:thousand|million|billion))"), lambda m, s: _thousands(m)),
    (re.compile(r"(?<![\d.,])(?P<n>\d+(?:\.\d+)?) million\b"), lambda m, s: _millions(m)),
    (re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?) ?(?:percent|per cent)\b"), lambda m, s: [f"{m['n']}%", f"{m['n']} per cent"]),
    (re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)%"), lambda m, s: [f"{m['n']} percent"]),
    (re.compile(rf"(?<![Oo]n )(?<![Ll]ast )(?<![Nn]ext )(?<![Tt]his )(?<![Bb]y )(?<![Ss]ince )(?<![Uu]ntil )\b{_DAY}\b(?![\u2019'])"), _weekday),
    (re.compile(r"\b(?P<h>\d{1,2}) (?P<ap>[ap])\.m\."), lambda m, s: [f"{m['h']}:00 {m['ap']}.m.", f"{m['h']} {m['ap']}m"]),
    (re.compile(r"\b(?P<mon>Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)\. (?P<d>\d{1,2})\b"), lambda m, s: [f"{_MONTH_ABBR[m['mon']]} {m['d']}"]),
    (re.compile(rf"\b(?P<mon>{'|'.join(_MONTHS)}) (?P<d>\d{{1,2}})\b(?!,? \d)"), lambda m, s: [f"{m['d']} {m['mon']}", f"{m['mon']} {m['d']}th"]),
    (re.compile(r"\b(?P<w>[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en)\b(?= [a-z])(?! of\b)"), lambda m, s: [_WORD_NUM[m["w"].lower()]]),
)
_TITLE_RULES: tuple[Rule, ...] = (
    (re.compile(r"(?<!Vice )(?<!Deputy )(?<!Vice-)\bPresident\b(?= [A-Z])"), lambda m, s: ["Vice President"]),
    (re.compile(r"\bVice President\b(?= [A-Z])"), lambda m, s: ["President"]),
    (re.compile(r"(?<!Deputy )\bPrime Minister\b"), lambda m, s: ["Deputy Prime Minister"]),
    (re.compile(r"(?<!Deputy )(?<!Under )\bSecretary of State\b"), lambda m, s: ["Deputy Secretary of State", "Under Secretary of State"]),
    (re.compile(r"(?<!Vice )\bChancellor\b(?= [A-Z])"), lambda m, s: ["Vice Chancellor"]),
    (re.compile(r"(?<!Lieutenant )\bGovernor\b(?= [A-Z])"), lambda m, s: ["Lieutenant Governor"]),
    (re.compile(r"(?<!Vice )\bChairman\b(?= [A-Z])"), lambda m, s: ["Vice Chairman"]),
)


def _regex_proposals(text: str, rules: Sequence[Rule], op: str, rate: float, seed: int, sentences: Sequence[Sentence]) -> list[_Proposal]:
    starts = {s.start for s in sentences}
    out = []
    for pattern, alternatives in rules:
        for m in pattern.finditer(text):
            options = [a for a in alternatives(m, m.start() in starts) if a != m.group()]
            if not options:
                continue
            r = _rng(seed, op, m.start())
            if r.random() < rate:
                out.append(_Proposal(op, m.start(), m.end(), r.choice(options)))
    return out


# --- words and phrases ----------------------------------------------------

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
        if m and not text[s.start : m.start()].strip(_Q + "'\u2018([ "):
            firsts.add(m.start())
    return [_Token(m.start(), m.end(), m.group(), m.start() in firsts) for m in _WORD.finditer(text)]


def _word_proposals(text: str, sentences: Sequence[Sentence], rate: float, seed: int | str, ops: Sequence[str]) -> list[_Proposal]:
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
        if "'" in w or "\u2019" in w or lower in _STOP or len(w) < 3:
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
                r = _rng(seed, "phrase", t.start)
                # draw before looking up: the result is the same, and most words are not drawn
                subs = substitutes(headword, pos, tag) if r.random() < rate else ()
                if subs:
                    sub = r.choice(subs)
                    out.append(_Proposal("phrase", t.start, end, _cap(sub) if t.cap else sub))
                    continue

        prev_cap = bool(prev) and toks[i - 1].word[:1].isupper() and not toks[i - 1].cap
        found = _analyse(lower, prev, prev_cap, nxt)
        if found is None:
            continue
        pos, lemma, tag = found
        r = _rng(seed, "word", t.start)
        if r.random() >= rate:
            continue
        subs = [s for s in substitutes(lemma, pos, tag) if s != lower]
        single = [s for s in subs if " " not in s] if allow_synonym else []
        multi = [s for s in subs if " " in s] if allow_phrase else []
        if not (single or multi):
            continue
        # Commercial spinners mostly swap single words; phrases are the minority.
        use_multi = multi and (not single or r.random() < PHRASE_SHARE)
        sub = r.choice(multi if use_multi else single)
        out.append(_Proposal("phrase" if " " in sub else "synonym", t.start, t.end, _cap(sub) if t.cap else sub))
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
