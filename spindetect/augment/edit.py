"""Ordinary human copy editing of an original article: hard negatives for training.

A detector of spun news must not flag an original that a copy editor touched.
:func:`edit` makes the changes such an editor makes, none of which rewrites a
sentence in other words:

- ``typo``: fix a typo: a doubled space, a doubled word ("the the"), a common
  misspelling from :data:`MISSPELLINGS`, a missing space after a full stop or
  comma ("end.Next"), a space before a comma or full stop;
- ``spelling``: re-style US spelling as UK or the reverse ("color" <->
  "colour", "organize" <-> "organise"), as an outlet of the other variety
  does when it runs a wire story; lower-case words only, so names ("Pearl
  Harbor", "Labor Day") are left alone;
- ``number``: number and date style ("10 percent" <-> "10%", "Nov. 27" <->
  "November 27", "1,000" <-> "1000");
- ``quotes``: straight quotes become curly, or curly straight;
- ``paragraph``: split a paragraph at a sentence boundary or join two;
- ``delete`` / ``move``: delete one whole sentence or move it elsewhere
  (at most one of the two per text, never the first sentence);
- ``boilerplate``: trim trailing boilerplate ("Related: ...", "Sign up for
  our newsletter", "(Reporting by ...)").

Style changes (``spelling``, ``quotes``, each ``number`` rule) are house
style: decided once per text and then applied to every match, since an
editor does not half re-style a story. Typos are fixed one by one, each with
probability ``rate``. The spinner (:mod:`spindetect.augment.spin`) also changes number
formats; there such a change sits beside word swaps and is labelled 1, here it
is the whole edit and labelled 0, which is the contrast the training wants.

The segmenter turns curly quotes straight in ``Sentence.norm`` (what the model
sees), so ``quotes`` edits are invisible to the classifier; they are here so
that the edited *text* is what an editor would publish.

Every change is an :class:`spindetect.augment.proposals.Edit` with offsets into the
original and the edited text (a move is two edits: the deletion and the
insertion); :func:`spindetect.augment.proposals.apply_edits` rebuilds the edited text.
Randomness is deterministic: every decision draws from its own
``random.Random`` seeded with ``(seed, op, offset)``.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..types import Sentence
from .proposals import Proposal, SpinResult, assemble, check_rate, resolve, rng

OPS = ("typo", "spelling", "number", "quotes", "paragraph", "delete", "move", "boilerplate")
# When proposals overlap, the earlier op wins: whole sentences before words.
_PRIORITY = {op: k for k, op in enumerate(("boilerplate", "delete", "move", "paragraph", "typo", "spelling", "number", "quotes"))}
#: Fewest sentences a text needs before one may be deleted or moved.
MIN_SENTENCES_TO_DROP = 3


#: The edited text and the edits (sorted by ``src_start``, non-overlapping)
#: that made it: the spinner's result type, shared.
EditResult = SpinResult


def edit(text: str, seed: int = 0, rate: float = 0.5, ops: Sequence[str] | None = None) -> EditResult:
    """Copy-edit ``text`` the way a human editor does (no sentence is reworded).

    Parameters
    ----------
    text : str
        The article. Empty or whitespace-only text comes back unchanged with no edits.
    seed : int
        Same text, seed, rate and ops give the same result.
    rate : float
        Probability, between 0 and 1, of each decision: fixing each typo,
        re-styling spelling, quotes or each number/date rule, splitting or
        joining a paragraph, deleting or moving a sentence, trimming
        boilerplate. 0 returns the text unchanged; 1 makes every edit it can
        (one of delete/move, one paragraph change).
    ops : sequence of str, optional
        Operations allowed (default: all of :data:`OPS`).

    Returns
    -------
    EditResult
        ``text`` and ``edits``; ``augment.proposals.apply_edits(text, edits)``
        gives the edited text.

    Raises
    ------
    ValueError
        ``rate`` outside [0, 1] or an unknown op.
    """
    ops = tuple(OPS if ops is None else ops)
    unknown = [op for op in ops if op not in OPS]
    if unknown:
        raise ValueError(f"unknown op {unknown[0]!r}; expected one of: {', '.join(OPS)}")
    check_rate(rate)
    if not text.strip() or rate == 0.0:
        return EditResult(text, ())
    from ..segment import segment

    sentences = segment(text)
    whole: list[Proposal] = []
    cut = len(text)
    if "boilerplate" in ops:
        found = _boilerplate_proposal(text, sentences, rate, seed)
        if found:
            whole.append(found)
            cut = found.start
    body = [s for s in sentences if s.end <= cut]
    if "delete" in ops or "move" in ops:
        whole += _sentence_proposals(text, body, rate, seed, ops)
    local: list[Proposal] = []
    if "paragraph" in ops:
        local += _paragraph_proposals(text, body, rate, seed)
    if "typo" in ops:
        local += _typo_proposals(text, rate, seed)
    if "spelling" in ops:
        local += _spelling_proposals(text, rate, seed)
    if "number" in ops:
        local += _number_proposals(text, rate, seed)
    if "quotes" in ops:
        local += _quote_proposals(text, rate, seed)
    local = resolve(local, _PRIORITY)
    kept = [_with_local_edits(p, text, local) if p.moved else p for p in resolve(whole + local, _PRIORITY)]
    return assemble(text, kept)


# --- assembling ---------------------------------------------------------------


def _with_local_edits(p: Proposal, text: str, local: Sequence[Proposal]) -> Proposal:
    """A moved sentence carries the word-level edits made inside it (house style applies there too)."""
    a, b = p.moved
    inner = [q for q in local if a <= q.start and q.end <= b]
    shifted = [Proposal(q.op, q.start - a, q.end - a, q.after) for q in inner]
    return Proposal(p.op, p.start, p.end, assemble(text[a:b], shifted).text + " ", p.group)


def _match_case(src: str, repl: str) -> str:
    if len(src) > 1 and src.isupper():
        return repl.upper()
    if src[:1].isupper():
        return repl[:1].upper() + repl[1:]
    return repl


# --- whole sentences ----------------------------------------------------------

_QUOTE_CHARS = "\"\u201c\u201d"


def _quote_safe(text: str, sentences: Sequence[Sentence]) -> list[bool]:
    """Per sentence: not inside a quotation that spans sentences, and balanced itself."""
    out, inside = [], False
    for s in sentences:
        n = sum(s.text.count(c) for c in _QUOTE_CHARS)
        out.append(not inside and n % 2 == 0)
        if n % 2:
            inside = not inside
    return out


def _sentence_proposals(text: str, sentences: Sequence[Sentence], rate: float, seed: int, ops: Sequence[str]) -> list[Proposal]:
    """At most one deletion or move of a whole sentence (never the first one)."""
    if len(sentences) < MIN_SENTENCES_TO_DROP:
        return []
    r = rng(seed, "edit", "sentence", 0)
    if r.random() >= rate:
        return []
    safe = _quote_safe(text, sentences)
    candidates = [k for k in range(1, len(sentences)) if safe[k]]
    if not candidates:
        return []
    k = r.choice(candidates)
    s = sentences[k]
    choices = [op for op in ("delete", "move") if op in ops]
    op = r.choice(choices)
    # The sentence goes with the space after it, or before it when it ends its line.
    nxt = sentences[k + 1] if k + 1 < len(sentences) else None
    if nxt is not None and text[s.end : nxt.start].strip(" ") == "":
        start, end = s.start, nxt.start
    else:
        prev = sentences[k - 1]
        start = prev.end if text[prev.end : s.start].strip(" ") == "" else s.start
        end = s.end
    if op == "delete":
        return [Proposal("delete", start, end, "")]
    # move: before another sentence start on a line of prose (not its own neighbours)
    # (inserting where the deletion ends would put it back where it was)
    targets = [j for j in range(1, len(sentences)) if j != k and sentences[j].start != end and safe[j]]
    if not targets:
        return [Proposal("delete", start, end, "")] if "delete" in ops else []
    j = r.choice(targets)
    t = sentences[j].start
    return [Proposal("move", start, end, "", group=k), Proposal("move", t, t, s.text + " ", group=k, moved=(s.start, s.end))]


#: Trailing boilerplate of news pages, written for this module (patterns, not copied lines).
_BOILERPLATE = re.compile(
    r"^(?:related(?: coverage| stories| articles| content)?\s*:|read more\b|more\s*:|also,? (?:see|read)\b|see also\b"
    r"|click here\b|follow (?:us|him|her|them|@)|sign up\b|subscribe\b|share (?:this|on)\b|get push notifications\b"
    r"|advertisement\b|copyright\b|\u00a9|\(c\) \d{4}|all rights reserved\b|\(?reporting by\b|\(?editing by\b"
    r"|this (?:story|article) (?:has been|was) updated\b|contact (?:us|the author)\b|watch\s*:|photo\s*:"
    r"|source\s*:|(?:the )?associated press contributed\b|[^.]{0,60} contributed to this report)",
    re.IGNORECASE,
)


def _boilerplate_proposal(text: str, sentences: Sequence[Sentence], rate: float, seed: int) -> Proposal | None:
    """Trim the run of boilerplate sentences/lines at the end (keeping at least one sentence)."""
    k = len(sentences)
    while k > 1 and _BOILERPLATE.match(sentences[k - 1].text):
        k -= 1
    if k == len(sentences) or rng(seed, "edit", "boilerplate", 0).random() >= rate:
        return None
    return Proposal("boilerplate", sentences[k - 1].end, sentences[-1].end, "")


# --- paragraphs -----------------------------------------------------------------

_JOIN = re.compile(r"(?<=[.!?\"\u201d\u2019])[ \t]*\n+[ \t]*(?=[\"\u201cA-Z])")


def _paragraph_proposals(text: str, sentences: Sequence[Sentence], rate: float, seed: int) -> list[Proposal]:
    """At most one split (a sentence boundary becomes a blank line) or join (a line break becomes a space)."""
    r = rng(seed, "edit", "paragraph", 0)
    if r.random() >= rate:
        return []
    safe = _quote_safe(text, sentences)
    splits = [
        Proposal("paragraph", a.end, b.start, "\n\n")
        for a, b, ok in zip(sentences, sentences[1:], safe[1:])
        if ok and text[a.end : b.start] == " "
    ]
    joins = [Proposal("paragraph", m.start(), m.end(), " ") for m in _JOIN.finditer(text)]
    pools = [p for p in (splits, joins) if p]
    if not pools:
        return []
    return [r.choice(r.choice(pools))]


# --- typos ----------------------------------------------------------------------

#: Common misspellings and their fixes (a short list written for this module).
MISSPELLINGS = {
    "accomodate": "accommodate", "acheive": "achieve", "acheived": "achieved", "adress": "address",
    "arguement": "argument", "becuase": "because", "begining": "beginning", "beleive": "believe",
    "beleived": "believed", "buisness": "business", "calender": "calendar", "comming": "coming",
    "commitee": "committee", "concensus": "consensus", "definately": "definitely", "dissapointed": "disappointed",
    "embarass": "embarrass", "embarassed": "embarrassed", "enviroment": "environment", "enviromental": "environmental",
    "existance": "existence", "foriegn": "foreign", "goverment": "government", "goverments": "governments",
    "greatful": "grateful", "harrassment": "harassment", "independant": "independent", "liason": "liaison",
    "millenium": "millennium", "neccessary": "necessary", "noticable": "noticeable", "occassion": "occasion",
    "occured": "occurred", "occurence": "occurrence", "occuring": "occurring", "persue": "pursue",
    "posession": "possession", "priviledge": "privilege", "publically": "publicly", "recieve": "receive",
    "recieved": "received", "reccomend": "recommend", "reccomended": "recommended", "refered": "referred",
    "relevent": "relevant", "responsability": "responsibility", "seperate": "separate", "seperated": "separated",
    "succesful": "successful", "suprise": "surprise", "suprised": "surprised", "teh": "the", "thier": "their",
    "tommorow": "tomorrow", "truely": "truly", "untill": "until", "wich": "which", "wierd": "weird",
    "withold": "withhold",
}
#: Short words whose doubling is a typo; "had had" and "that that" can be right.
_DOUBLABLE = "the a an to of in on and for is was it at by with from as be are this"
_TYPO_RULES = (
    # a doubled space between words
    (re.compile(r"(?<=\S)  +(?=\S)"), lambda m: " "),
    # a doubled short word
    (re.compile(rf"\b(?P<w>{'|'.join(_DOUBLABLE.split())}) (?P=w)\b", re.IGNORECASE), lambda m: m["w"]),
    # a misspelling
    (re.compile(rf"\b(?:{'|'.join(MISSPELLINGS)})\b", re.IGNORECASE), lambda m: _match_case(m.group(), MISSPELLINGS[m.group().lower()])),
    # no space after a full stop or comma between words: 'end.Next', 'said,the' (not 'U.S.' or '3,000')
    (re.compile(r"(?<![\w.@/])(?P<w>[A-Za-z][a-z]+[.,])(?=[A-Za-z][a-z])"), lambda m: m["w"] + " "),
    # a space before a comma or full stop: 'word , next'
    (re.compile(r"(?<=[A-Za-z]) +(?=[,.](?:\s|$))"), lambda m: ""),
)


def _typo_proposals(text: str, rate: float, seed: int) -> list[Proposal]:
    out = []
    for pattern, fix in _TYPO_RULES:
        for m in pattern.finditer(text):
            if _looks_like_address(text, m.start(), m.end()):
                continue
            if rng(seed, "edit", "typo", m.start()).random() < rate:
                out.append(Proposal("typo", m.start(), m.end(), fix(m)))
    return out


def _looks_like_address(text: str, a: int, b: int) -> bool:
    """Inside a URL, e-mail address or file name, where 'a.b' is no typo."""
    left = text.rfind(" ", 0, a) + 1
    right = text.find(" ", b)
    token = text[left : len(text) if right < 0 else right]
    return bool(re.search(r"www|https?:|@|/|\.(?:com|org|net|gov|edu|co|uk|html?)\b", token, re.IGNORECASE))


# --- spelling varieties -----------------------------------------------------------


def _variety_pairs() -> list[tuple[str, str]]:
    """(US, UK) spellings, lower case, with their common inflections."""
    pairs: list[tuple[str, str]] = []
    for stem in ("organiz recogniz realiz apologiz criticiz emphasiz prioritiz authoriz characteriz minimiz "
                 "maximiz moderniz mobiliz normaliz stabiliz summariz legaliz centraliz privatiz hospitaliz").split():
        for end in ("e", "ed", "es", "ing", "ation", "ations"):
            pairs.append((stem + end, stem[:-1] + "s" + end))
    # not "analyzes" -> "analyses": that is also the plural of "analysis"
    for us, uk in (("analyze", "analyse"), ("analyzed", "analysed"), ("analyzing", "analysing"),
                   ("paralyzed", "paralysed")):
        pairs.append((us, uk))
    for stem in "color favor honor labor neighbor behavior humor rumor harbor flavor vapor endeavor armor".split():
        for end in ("", "s", "ed", "ing"):
            pairs.append((stem + end, stem[:-2] + "our" + end))
    for us in ("favorite", "favorites", "favorable", "unfavorable", "honorable", "colorful", "neighborhood",
               "neighborhoods", "behavioral", "laborer", "laborers"):
        pairs.append((us, us.replace("or", "our", 1)))
    for us, uk in (("center", "centre"), ("centers", "centres"), ("centered", "centred"), ("theater", "theatre"),
                   ("theaters", "theatres"), ("fiber", "fibre"), ("liter", "litre"), ("liters", "litres"),
                   ("somber", "sombre"), ("meager", "meagre"), ("defense", "defence"), ("offense", "offence"),
                   ("gray", "grey"), ("jewelry", "jewellery"), ("aluminum", "aluminium"), ("catalog", "catalogue"),
                   ("skeptical", "sceptical"), ("skeptic", "sceptic"), ("skeptics", "sceptics"), ("mold", "mould"),
                   ("pajamas", "pyjamas"), ("mustache", "moustache"), ("cozy", "cosy"), ("fulfill", "fulfil"),
                   ("enrollment", "enrolment"), ("installment", "instalment"), ("judgment", "judgement"),
                   ("aging", "ageing"), ("acknowledgment", "acknowledgement"), ("maneuver", "manoeuvre"),
                   ("maneuvers", "manoeuvres"), ("plow", "plough")):
        pairs.append((us, uk))
    for stem in "travel cancel label model fuel signal total".split():
        for end in ("ed", "ing", "er", "ers"):
            pairs.append((stem + end, stem + "l" + end))
    return pairs


_PAIRS = _variety_pairs()
_TO_UK = dict(_PAIRS)
_TO_US = {uk: us for us, uk in _PAIRS}
_US_WORD = re.compile(rf"\b(?:{'|'.join(sorted(_TO_UK, key=len, reverse=True))})\b")
_UK_WORD = re.compile(rf"\b(?:{'|'.join(sorted(_TO_US, key=len, reverse=True))})\b")


def _spelling_proposals(text: str, rate: float, seed: int) -> list[Proposal]:
    """Re-style every lower-case variety word to the variety the text uses less (ties: by seed)."""
    us, uk = list(_US_WORD.finditer(text)), list(_UK_WORD.finditer(text))
    if not us and not uk:
        return []
    r = rng(seed, "edit", "spelling", 0)
    if r.random() >= rate:
        return []
    to_uk = len(us) > len(uk) or (len(us) == len(uk) and r.random() < 0.5)
    found, table = (us, _TO_UK) if to_uk else (uk, _TO_US)
    return [Proposal("spelling", m.start(), m.end(), table[m.group()]) for m in found]


# --- numbers and dates ----------------------------------------------------------------

_MONTHS = {"Jan": "January", "Feb": "February", "Aug": "August", "Sept": "September", "Oct": "October", "Nov": "November", "Dec": "December"}
_ABBR = {full: abbr for abbr, full in _MONTHS.items()}
# Each rule is one house-style choice (AP style on one side): (name, pattern, replacement).
_NUMBER_RULES = (
    ("percent-sign", re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?) ?(?:percent|per cent)\b"), lambda m: f"{m['n']}%"),
    ("percent-word", re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)%"), lambda m: f"{m['n']} percent"),
    ("month-full", re.compile(rf"\b(?P<m>{'|'.join(_MONTHS)})\. (?P<d>\d{{1,2}})\b"), lambda m: f"{_MONTHS[m['m']]} {m['d']}"),
    ("month-abbr", re.compile(rf"\b(?P<m>{'|'.join(_ABBR)}) (?P<d>\d{{1,2}})\b"), lambda m: f"{_ABBR[m['m']]}. {m['d']}"),
    # 4-digit numbers lose the comma; 5 to 7 digits gain one (4 plain digits are often years: left alone)
    ("no-comma", re.compile(r"(?<![\d.,])(?P<a>\d),(?P<b>\d{3})(?![\d,]*\d)"), lambda m: m["a"] + m["b"]),
    # only amounts and counts ("$25000", "25000 people"), never a ZIP code or an id
    ("comma", re.compile(r"(?<![\d.,#\w$-])(?:(?P<d>\$)(?P<a>\d{5,7})(?![\d.,]*\d)|(?P<n>\d{5,7})(?= [a-z]))"),
     lambda m: f"${int(m['a']):,}" if m["d"] else _count(m)),
)


def _count(m: re.Match) -> str:
    """'25000 people' -> '25,000 people'; after a capitalised word ('ZIP 20500', 'Route 12000') it is a name: kept."""
    before = m.string[: m.start()].rstrip().rsplit(None, 1)
    return m.group() if before and before[-1][:1].isupper() else f"{int(m['n']):,}"


def _number_proposals(text: str, rate: float, seed: int) -> list[Proposal]:
    out = []
    for name, pattern, fix in _NUMBER_RULES:
        found = list(pattern.finditer(text))
        if found and rng(seed, "edit", f"number:{name}", 0).random() < rate:
            out += [Proposal("number", m.start(), m.end(), fix(m)) for m in found]
    return out


# --- quotes --------------------------------------------------------------------------

_CURLY = "\u201c\u201d\u2018\u2019"


def _quote_proposals(text: str, rate: float, seed: int) -> list[Proposal]:
    """Every quote mark to the other style: straight to curly, or curly to straight if the text uses curly."""
    curly = sum(text.count(c) for c in _CURLY)
    straight = text.count('"') + text.count("'")
    if not curly and not straight:
        return []
    if rng(seed, "edit", "quotes", 0).random() >= rate:
        return []
    out = []
    if curly > straight:
        for k, c in enumerate(text):
            if c in _CURLY:
                out.append(Proposal("quotes", k, k + 1, '"' if c in "\u201c\u201d" else "'"))
        return out
    for k, c in enumerate(text):
        if c not in "\"'":
            continue
        prev = text[k - 1] if k else " "
        nxt = text[k + 1] if k + 1 < len(text) else " "
        opening = prev.isspace() or prev in "([{\u2014\u2013-/"
        if c == '"':
            out.append(Proposal("quotes", k, k + 1, "\u201c" if opening else "\u201d"))
        elif opening and nxt.isalpha():
            out.append(Proposal("quotes", k, k + 1, "\u2018"))  # an opening single quote
        else:
            out.append(Proposal("quotes", k, k + 1, "\u2019"))  # an apostrophe, "'90s", or a closing quote
    return out
