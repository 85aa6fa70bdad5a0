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
:mod:`spindetect.augment.thesaurus`.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Sequence

from ..types import Sentence
from .proposals import Edit, Proposal, SpinResult, assemble, check_rate, resolve, rng
from .words import QUOTES, STOP_WORDS, capitalize, word_proposals

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
#: Title swaps are rarer than other changes ("occasionally" in real spinners).
TITLE_RATE_FACTOR = 0.5


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
        (see ``proposals.apply_edits``).

    Raises
    ------
    ValueError
        ``rate`` outside [0, 1] or an unknown ``mode``.
    spindetect.augment.thesaurus.ThesaurusError
        The thesaurus packages are not installed.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    check_rate(rate)
    if not text.strip() or rate == 0.0:
        return SpinResult(text, ())
    from ..segment import segment

    sentences = segment(text)
    ops = _MODE_OPS[mode]
    proposals: list[Proposal] = []
    if "restructure" in ops:
        proposals += _restructure_proposals(text, sentences, rate, seed)
    if "quote" in ops:
        proposals += _quote_proposals(text, rate, seed)
    if "title" in ops:
        proposals += _regex_proposals(text, _TITLE_RULES, "title", rate * TITLE_RATE_FACTOR, seed, sentences)
    if "number" in ops:
        proposals += _regex_proposals(text, _NUMBER_RULES, "number", rate, seed, sentences)
    if "synonym" in ops or "phrase" in ops:
        proposals += word_proposals(text, sentences, rate, seed, ops)
    kept = resolve(proposals, _PRIORITY)
    if "synonym" in ops or "phrase" in ops:
        # Spinners swap words inside the clauses they reorder too; the sentence
        # stays one "restructure" edit, so its label is still exact.
        kept = [_respin(p, rate, seed, ops) if p.op == "restructure" else p for p in kept]
    return assemble(text, kept)


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
    from ..segment import segment

    out = []
    for s in segment(result.text):
        touching = tuple(e for e in result.edits if e.dst_start < s.end and e.dst_end > s.start)
        out.append((s, touching))
    return out


# --- casing helpers --------------------------------------------------------

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
    if w in STOP_WORDS or re.search(rf"\b{re.escape(w)}\b", text):
        return w + s[m.end() :]
    # a dictionary word never capitalised mid-sentence in the text: "City officials"
    if lemmas(w) and not re.search(rf"[a-z,;] {re.escape(m.group())}\b", text):
        return w + s[m.end() :]
    return s


# --- restructure: attribution clauses ----------------------------------------

_VERB = r"(?:said|says|added|noted|explained|stated|wrote|warned|insisted|argued|announced|confirmed|claimed)"
_TOLD = r"(?:told (?:reporters|[A-Z][\w.]*(?: [A-Z][\w.]*)?))"
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WHEN = rf"(?: (?:on )?{_DAY}(?: (?:night|morning|afternoon|evening))?| (?:last|this) (?:week|month|year)| yesterday| today| in a statement)?"
# A subject of at most ten words, optionally with one appositive: "Dmitry Peskov, a spokesman for the Kremlin,".
_SUBJ = rf"[A-Z][^,{QUOTES}.;:]{{0,80}}?(?:, [^,{QUOTES};:]{{2,60}},)?"
# What may start a reported clause without "that" (else "What Putin said was ..." would match).
_CLAUSE_START = r"(?:that |(?=(?:the|a|an|he|she|it|they|we|there|this|these|his|her|their|its|[A-Z])\b))"

# Reported clauses (y) may hold quotations, checked to be balanced.
_R_SAID_Y = re.compile(rf"^(?P<x>{_SUBJ}) (?P<v>{_VERB}|{_TOLD})(?P<t>{_WHEN}),? {_CLAUSE_START}(?P<y>.{{15,}}[^{QUOTES}])\.$")
_R_Y_SAID = re.compile(rf"^(?P<y>[^{QUOTES}].{{14,}}), (?P<x>[^,{QUOTES}]{{2,60}}?) (?P<v>{_VERB})(?P<t>{_WHEN})\.$")
_R_Y_ACCORDING = re.compile(rf"^(?P<y>[^{QUOTES}].{{14,}}?), according to (?P<x>[^,{QUOTES}]{{3,80}})\.$")
_R_ACCORDING_Y = re.compile(rf"^According to (?P<x>[^,{QUOTES}]{{3,80}}), (?P<y>.{{15,}}[^{QUOTES}])\.$")
_R_QUOTE_SAID = re.compile(
    rf"^(?P<o>[\"\u201c])(?P<q>[^{QUOTES}]{{10,}}?),(?P<c>[\"\u201d]) (?P<x>[^,{QUOTES}]{{2,60}}?) (?P<v>{_VERB})(?P<t>{_WHEN})\.$"
)
_R_SAID_QUOTE = re.compile(
    rf"^(?P<x>[A-Z][^,{QUOTES}]{{1,60}}?) (?P<v>{_VERB})(?P<t>{_WHEN}), (?P<o>[\"\u201c])(?P<q>[^{QUOTES}]{{10,}}?)\.(?P<c>[\"\u201d])$"
)


def _restructurings(s: str, text: str) -> list[str]:
    """Every restructured version of one sentence (empty if no pattern fits)."""
    m = _R_QUOTE_SAID.match(s)
    if m:
        return [f"{capitalize(m['x'])} {m['v']}{m['t']}, {m['o']}{m['q']}.{m['c']}"]
    m = _R_SAID_QUOTE.match(s)
    if m:
        return [f"{m['o']}{m['q']},{m['c']} {_uncap(m['x'], text)} {m['v']}{m['t']}."]
    if not _balanced(s):
        return []
    m = _R_SAID_Y.match(s)
    if m and len(m["x"].split()) <= 10:
        x, v, t, y = m["x"], m["v"], m["t"], m["y"]
        outs = [f"{capitalize(y)}, {_uncap(x, text)} {v}{t}."]
        if not v.startswith("told"):
            outs.append(f"According to {_uncap(x, text)}, {y}.")
        return outs
    m = _R_Y_SAID.match(s)
    if m:
        x, v, t, y = m["x"], m["v"], m["t"], m["y"]
        return [f"{capitalize(x)} {v}{t} that {_uncap(y, text)}.", f"According to {x}, {_uncap(y, text)}."]
    m = _R_Y_ACCORDING.match(s)
    if m:
        return [f"According to {m['x']}, {_uncap(m['y'], text)}."]
    m = _R_ACCORDING_Y.match(s)
    if m:
        return [f"{capitalize(m['y'])}, according to {m['x']}."]
    return []


def _balanced(s: str) -> bool:
    return s.count('"') % 2 == 0 and s.count("\u201c") == s.count("\u201d")


def _respin(p: Proposal, rate: float, seed: int, ops: Sequence[str]) -> Proposal:
    """Word and phrase swaps inside a restructured sentence (its own seed stream)."""
    after = p.after
    whole = [Sentence(0, 0, len(after), after, after)]
    words = word_proposals(after, whole, rate, f"{seed}:restructure:{p.start}", ops)
    return Proposal(p.op, p.start, p.end, assemble(after, resolve(words, _PRIORITY)).text)


def _restructure_proposals(text: str, sentences: Sequence[Sentence], rate: float, seed: int) -> list[Proposal]:
    out = []
    for s in sentences:
        if "\n" in s.text:
            continue
        options = _restructurings(s.text, text)
        if not options:
            continue
        r = rng(seed, "restructure", s.start)
        if r.random() < rate:
            out.append(Proposal("restructure", s.start, s.end, r.choice(options)))
    return out


# --- quote marks near attributions -----------------------------------------

_ATTRIB_AHEAD = r"(?= [^\"\u201c\u201d\n]{0,60}?\b(?:said|says|added|told|quoted|explained|noted|asked|wrote|stated)\b)"
# '..., private," the agency said' : closing quote after punctuation, then the attribution.
_QUOTE_CLOSE = re.compile(rf"(?P<p>[,.!?])(?P<c>[\"\u201d]) (?P<w>[A-Za-z][\w'\u2019-]*){_ATTRIB_AHEAD}")
# 'he said, "We ...' : punctuation between an attribution verb and an opening quote.
_QUOTE_OPEN = re.compile(r"\b(?:said|says|added|told \w+|wrote|explained|noted|stated)(?P<p>[,:]) (?P<o>[\"\u201c])(?=[A-Z])")


def _quote_proposals(text: str, rate: float, seed: int) -> list[Proposal]:
    out = []
    for m in _QUOTE_CLOSE.finditer(text):
        r = rng(seed, "quote", m.start())
        if r.random() >= rate:
            continue
        p, w = m["p"], m["w"]
        opening = "\u201c" if m["c"] == "\u201d" else '"'
        keep = p if p in "!?" else ""
        variants = [
            # the quote closes on the attribution instead: 'private "The agency said'
            f"{keep} {opening}{capitalize(w)}",
            # the closing quote is dropped: 'we think, Peskov added'
            f"{p} {w}",
        ]
        out.append(Proposal("quote", m.start(), m.end(), r.choice(variants)))
    for m in _QUOTE_OPEN.finditer(text):
        r = rng(seed, "quote", m.start("p"))
        if r.random() >= rate:
            continue
        variants = [f" {m['o']}", f" that {m['o']}", f": {m['o']}", " "]
        out.append(Proposal("quote", m.start("p"), m.end(), r.choice(variants)))
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


def _regex_proposals(text: str, rules: Sequence[Rule], op: str, rate: float, seed: int, sentences: Sequence[Sentence]) -> list[Proposal]:
    starts = {s.start for s in sentences}
    out = []
    for pattern, alternatives in rules:
        for m in pattern.finditer(text):
            options = [a for a in alternatives(m, m.start() in starts) if a != m.group()]
            if not options:
                continue
            r = rng(seed, op, m.start())
            if r.random() < rate:
                out.append(Proposal(op, m.start(), m.end(), r.choice(options)))
    return out
