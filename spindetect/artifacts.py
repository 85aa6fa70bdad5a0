"""Machine-rewrite artifact detectors: small pure functions over sentence text.

Each detector looks at one sentence (with the whole document as context) and
returns ``Hit`` objects with a stable code, a short message and a span local to
the sentence text. ``feature_matrix`` turns hits into the fixed-order count
features the classifier uses; ``CODES`` is that order and is recorded in the
model manifest.

Detectors receive the *normalised* sentence (``Sentence.norm``): curly quotes
are already straight, so quote detectors reason about the position of ``"``
marks (their parity and the characters around them), never about their shape.

Every rule was checked on the shared developer data with
``benchmarks/artifact_rates.py`` (rates per 1,000 sentences, original vs
rewritten side per dataset). Rules whose evidence is mostly scrape debris
(boilerplate, credits, lower-case starts) fire more on *originals*; they are
kept as features because the classifier learns the sign, and the README's
benchmark table says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

from . import zipf  # stdlib imports only; the table itself loads on first lookup
from .artifact_codes import MAX_HITS_PER_CODE, MAX_SCAN
from .titles import title_conflicts
from .types import Hit

if TYPE_CHECKING:  # numpy is imported where the matrix is built, so `info` stays light
    import numpy as np


@dataclass(frozen=True)
class _Doc:
    """Document-level context computed once per ``detect`` call."""

    sentences: Sequence[str]
    # indexes of sentences with an odd number of quote marks that no nearby
    # sentence closes (a quote spanning sentences is not an error)
    unpaired_quotes: frozenset[int]
    # per sentence: [(start, end, message)] of title/name mentions that conflict
    title_conflicts: dict[int, list[tuple[int, int, str]]]


Detector = Callable[[str, _Doc, int], list[Hit]]

# --------------------------------------------------------------------------
# Quote placement
# --------------------------------------------------------------------------

_ATTRIB_VERB = (
    r"(?:said|says|say|added|adds|told|tells|quoted|explained|noted|stated|wrote|writes|"
    r"tweeted|continued|insisted|argued|claimed|remarked|declared|asked|replied)"
)
# a quotation that swallowed its own attribution: '"We are ready, he said."'
_SWALLOWED = re.compile(
    r",\s+(?:(?:he|she|they|it|we)|(?:[A-Z][\w.'-]*\s+){0,2}[A-Z][\w.'-]*|(?:the|a|an|our|his|her|their)(?:\s+[\w'-]+){1,3})"
    r"\s+" + _ATTRIB_VERB + r"\s*[.!?]?$"
)
_INTRODUCERS = frozenset(
    "said says say saying tweeted tweeting tweet wrote writes writing write stated stating added adding "
    "told asked asking replied replying read reads reading that of as with replace replacing replaced "
    "called calling titled headlined captioned posted posting shouted yelled screamed exclaimed "
    "announced announcing declared declaring noted noting explained explaining continued insisted "
    "joked quipped whispered answered responded cried sang and or".split()
)
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_MAX_QUOTES = 40  # beyond this a "sentence" is a table or debris; parity means nothing


_QUOTE = re.compile('"')


def _quote_marks(sentence: str) -> list[int]:
    """Positions of the quote marks (at most ``_MAX_QUOTES + 1`` of them)."""
    if '"' not in sentence:
        return []
    out = []
    for m in _QUOTE.finditer(sentence):
        out.append(m.start())
        if len(out) > _MAX_QUOTES:
            break
    return out


@lru_cache(maxsize=4096)
def _tokens(sentence: str) -> tuple[tuple[str, int, int], ...]:
    """(lower-case word, start, end) for the words of the sentence's first ``MAX_SCAN`` chars."""
    return tuple((m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(sentence[:MAX_SCAN]))


def _sentence_like(span: str) -> bool:
    """A quoted span that reads like a sentence (not a title such as "Good Morning America")."""
    words = _WORD.findall(span)
    if len(words) < 6:
        return False
    lower = sum(w[0].islower() for w in words)
    return lower / len(words) >= 0.5


def _misplaced_close(sentence: str, q: int) -> bool:
    """Does the last quote mark, at ``q``, open a short attribution clause instead of closing?

    The mark is glued to a word before it ('private "The'), and what follows is
    a short capitalised clause (2-15 words, not ALL CAPS, no further quote mark)
    that ends the sentence. Parity is not required: scraped news leaves
    multi-paragraph quotes open. After a speech verb ('saying "Crew is here.')
    the mark legitimately opens a one-clause quotation.
    """
    tail = sentence[q + 1 :].rstrip()
    if not tail or not tail[0].isupper() or tail[-1] not in ".!?" or tail.upper() == tail or '"' in tail:
        return False
    if not 2 <= len(tail.split()) <= 15:
        return False
    prev_word = re.search(r"(\w+)\W*$", sentence[max(0, q - 60) : q])
    return not (prev_word and prev_word.group(1).lower() in _INTRODUCERS)


def _quote_placement(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    marks = _quote_marks(sentence)
    if not marks or len(marks) > _MAX_QUOTES:
        return []
    hits: list[Hit] = []
    even = len(marks) % 2 == 0
    # With an even count the k-th mark opens when k is even and closes when k is odd.
    for k, q in enumerate(marks):
        before = sentence[q - 1] if q else ""
        after = sentence[q + 1] if q + 1 < len(sentence) else ""
        # 'private "The', 'we think "Peskov': a word, a space, the mark. After a
        # full stop ('. "The') the mark starts a new quotation; news style leaves
        # multi-paragraph quotes open, so parity alone cannot be trusted there.
        glued = before == " " and q >= 2 and sentence[q - 2].isalnum()
        if k == len(marks) - 1 and glued and _misplaced_close(sentence, q):
            # '... will be private "The agency quoted him as saying.': the mark
            # that should close the quotation opens the attribution instead.
            word_end = sentence.find(" ", q + 1)
            hits.append(Hit("quote_attribution", "quote mark opens on the attribution instead of closing the quote",
                            q, word_end if word_end > 0 else len(sentence)))
        if even and k % 2 == 0 and glued and after.isupper():
            # 'televised live "The leaders will talk about...' : a full-sentence
            # quotation glued to the clause before it without ':' or ','.
            inner = sentence[q + 1 : marks[k + 1]]
            prev_word = re.search(r"(\w+)\W*$", sentence[max(0, q - 60) : q])
            # 'he said "No', 'saying "I', 'reported that "Rihanna': a quote may follow
            # a speech verb or 'that' without a comma (common in human news)
            if _sentence_like(inner) and not (prev_word and prev_word.group(1).lower() in _INTRODUCERS):
                hits.append(Hit("quote_glued", "quotation glued to the clause before it without punctuation", q - 2, q + 2))
        if even and k % 2 == 1:
            inner = sentence[marks[k - 1] + 1 : q]
            m = _SWALLOWED.search(inner)
            if m and len(_WORD.findall(inner)) >= 5:
                a = marks[k - 1] + 1 + m.start() + 1
                hits.append(Hit("quote_swallowed", "attribution swallowed inside the quotation", a, q + 1))
    if i in doc.unpaired_quotes:
        q = marks[-1]
        hits.append(Hit("quote_unbalanced", "unbalanced quotation marks (no sentence nearby closes it)", q, q + 1))
    return hits


def _unpaired_quotes(sentences: Sequence[str]) -> frozenset[int]:
    """Sentences with an odd quote count not paired with a nearby odd sentence.

    A quotation that spans several sentences opens in one and closes in a later
    one, both with an odd count; pair them greedily within a window of 4.
    """
    odd = [i for i, s in enumerate(sentences) if s.count('"') % 2 == 1]
    unpaired, k = [], 0
    while k < len(odd):
        if k + 1 < len(odd) and odd[k + 1] - odd[k] <= 4:
            k += 2
        else:
            unpaired.append(odd[k])
            k += 1
    return frozenset(unpaired)


def _title_conflict(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    return [Hit("title_conflict", msg, a, b) for a, b, msg in doc.title_conflicts.get(i, ())]


# --------------------------------------------------------------------------
# Boilerplate and structure leftovers
# --------------------------------------------------------------------------

_LEAD_IN = re.compile(
    r"^(?:related(?: articles?| stories| coverage| content)?\s*:|read more\b|read also\b|more\s*:|see also\b|"
    r"also,? see\b|click here\b|watch\s*:|listen\s*:|source\s*:|sources\s*:|also read\b|recommended\s*:|"
    r"see more\b|full story\b|continue reading\b)",
    re.I,
)
_CREDIT = re.compile(
    r"\((?:photo|image|picture|credit|video|source)s?\s*(?::|by)[^)]{0,80}\)|"
    r"\b(?:getty images|shutterstock|associated press photo|ap photo|reuters photo|afp photo|photo credit|"
    r"image credit|image source|photo\s*:|image\s*:)|"
    # 'advertisement' is an ordinary word mid-sentence; as a page label it stands first
    r"^(?:advertisement|sponsored content|sponsored)\b",
    re.I,
)
_SHARE = re.compile(
    r"\b(?:share (?:on|via) (?:facebook|twitter|whatsapp|email|linkedin)|share this (?:article|story|post)|"
    r"tweet this|follow us on|sign up for (?:our|the) (?:\w+ )?newsletter|subscribe to our|"
    r"get push notifications|email this|print this (?:article|page)|copy link|all rights reserved)\b",
    re.I,
)
# Lower case only: capitalised doubles are mostly names and titles ('Dee Dee',
# 'The Late Late Show'), which the developer data showed on both sides.
_DOUBLED = re.compile(r"\b([a-z]+) \1\b")
# Doubles that English allows ('had had', 'that that') or uses for emphasis.
_DOUBLE_OK = frozenset("that had ha bye no very so knock yeah well now go far ah oh really many much more "
                       "blah bla la na yes dun tsk hush".split())
_BROKEN_JOIN = re.compile(r"[a-z]{2}[.!?][A-Z][a-z]")
_LOWER_OK = re.compile(r"(?:e\.g|i\.e|iphone|ipad|ipod|imac|ebay|etc|vs|x|de|van|von|da|al|el|la|le|mc)\b", re.I)


def _boilerplate(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    hits = []
    m = _LEAD_IN.match(sentence)
    if m:
        hits.append(Hit("link_leadin", "link-list or source lead-in left in the text", m.start(), m.end()))
    m = _CREDIT.search(sentence)
    if m:
        hits.append(Hit("credit", "photo/source credit or advertisement fragment", m.start(), m.end()))
    m = _SHARE.search(sentence)
    if m:
        hits.append(Hit("share_fragment", "share/subscribe fragment from a web page", m.start(), m.end()))
    return hits


#: At most this many hits of one code per sentence from the scanning detectors:
#: the feature caps counts at 3 anyway, and a degenerate "the the the ..." line
#: must not produce thousands of reasons.
_MAX_HITS = 3


def _structure(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    hits = []
    m = re.match(r"([a-z]+)", sentence)
    if m and not _LOWER_OK.match(sentence):
        hits.append(Hit("lowercase_start", "sentence starts in lower case", m.start(1), m.end(1)))
    text = sentence[:MAX_SCAN]
    doubled = [m for m in _DOUBLED.finditer(text) if m.group(1) not in _DOUBLE_OK]
    hits += [Hit("doubled_word", f"doubled word '{m.group(1)}'", m.start(), m.end()) for m in doubled[:_MAX_HITS]]
    joins = list(_BROKEN_JOIN.finditer(text))
    hits += [Hit("broken_join", "two sentences joined without a space", m.start() + 2, m.end()) for m in joins[:_MAX_HITS]]
    return hits


# --------------------------------------------------------------------------
# Repetition
# --------------------------------------------------------------------------

_STOP = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that "
    "these those he she they we you i his her their our your my me him them us not no so than then there here "
    "what which who whom whose when where why how all any each more most some such can could will would shall "
    "should may might must do does did has have had also just only very into over under about after before up "
    "down out off again further once one two".split()
)


def _quoted_ranges(sentence: str) -> list[tuple[int, int]]:
    marks = _quote_marks(sentence)
    if len(marks) > _MAX_QUOTES:
        return [(0, len(sentence))]
    if len(marks) % 2:
        # inside a multi-sentence quotation: treat the text up to the first mark
        # (or from the last one) as quoted too, whichever side is open
        marks = [0] + marks if sentence.lstrip()[:1] != '"' else marks + [len(sentence)]
    return [(marks[k], marks[k + 1]) for k in range(0, len(marks) - 1, 2)]


#: A repeated phrase counts only when its second copy starts at most this many
#: words after the first ends ('what we see, and what we see'). Any distance
#: fired 2-4x more on human news originals (parallelism: 'the cost grows from
#: 20 percent of our economy to 40 percent of our economy'); a near stutter is
#: rarer in humans and more frequent in DIPPER/back-translation rewrites.
REPEAT_MAX_GAP = 3
REPEAT_MIN_WORDS = 3


def _repetition(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    words = _tokens(sentence)
    n = REPEAT_MIN_WORDS
    if len(words) < 2 * n:
        return []
    ws = [w for w, _, _ in words]
    grams = list(zip(*(ws[k:] for k in range(n))))
    quoted = None
    for k in range(n, len(grams)):
        for j in range(max(0, k - n - REPEAT_MAX_GAP), k - n + 1):
            if grams[j] != grams[k] or all(w in _STOP for w in grams[k]):
                continue  # 'one of the' twice is ordinary English
            if quoted is None:
                quoted = _quoted_ranges(sentence)
            # a stutter inside a quotation is the speaker's, not the rewriter's
            if any(a <= words[j][1] < b or a <= words[k][1] < b for a, b in quoted):
                continue
            return [Hit("repeated_phrase", f"phrase '{' '.join(grams[k])}' repeated in the sentence",
                        words[j][1], words[k + n - 1][2])]
    return []


# --------------------------------------------------------------------------
# Lexical traces: rare synonyms, LLM polisher vocabulary and stock phrases
# --------------------------------------------------------------------------

#: Zipf band of a "rare" lower-case word (wordfreq's scale: 3 = once per million
#: words). Measured per 1,000 lower-case words of 5+ letters on the developer
#: data (300 pairs per file): below 2.5 the words are mostly typos, jargon and
#: scrape debris, more frequent in human originals in 5 of 6 pair files; the
#: 2.5-3.0 band holds swapped-in synonyms ('opined', 'posited') and is higher on
#: the rewritten side for llmfake, sheepdog and padben, lower for f3, hppt and
#: detectrl, equal on the human-paraphrase control. A weak, mixed feature.
from .artifact_codes import RARE_ZIPF, RARE_ZIPF_LOW  # noqa: E402  (2.5 and 3.0; named in the code table)


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    """wordfreq's zipf value of a lower-case word; 0 when unknown."""
    return zipf.table().get(word, 0.0)


def _rare_words(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    hits = []
    for w, a, b in _tokens(sentence):
        # capitalised words are names or sentence starts; short words are never swaps
        if b - a < 5 or "'" in w or not sentence[a].islower():
            continue
        z = _zipf(w)
        if RARE_ZIPF_LOW <= z < RARE_ZIPF:
            hits.append(Hit("rare_word", f"rare word '{w}' (zipf {z:.1f})", a, b))
    return hits


# Words whose use jumped after ChatGPT (Kobak et al. 2024, "Delving into ChatGPT
# usage in academic writing through excess vocabulary"; Liang et al. 2024),
# with their inflections; matched on lower-cased tokens.
_LLM_WORDS = frozenset(
    """delve delves delved delving underscore underscores underscored underscoring showcase showcases
    showcased showcasing pivotal tapestry intricate intricacies meticulous meticulously commendable
    multifaceted realm bolster bolsters bolstered bolstering garner garners garnered garnering unwavering
    testament noteworthy notably furthermore moreover additionally crucial heighten heightens heightened
    heightening foster fosters fostered fostering navigate navigates navigated navigating landscape
    endeavor endeavors endeavour endeavours utilize utilizes utilized utilizing emphasize emphasizes
    emphasized emphasizing highlight highlights highlighted highlighting comprehensive invaluable
    profound profoundly significant significantly amidst vibrant enhance enhances enhanced enhancing""".split()
)
_STOCK = re.compile(
    r"\b(?:it is (?:important|worth|crucial|essential) to (?:note|mention|remember|consider)|"
    r"it (?:is|should be) noted that|in conclusion|in summary|to summari[sz]e|overall,|"
    r"it remains to be seen|only time will tell|sparked (?:outrage|controversy|debate|concerns?)|"
    r"raises? (?:questions|concerns)|sheds? light on|plays? a (?:crucial|significant|pivotal|vital|key) role|"
    r"a testament to|in today's|ever-(?:changing|evolving)|serves? as a reminder|stark reminder|"
    r"in the realm of|navigat(?:e|ing) the|the importance of)\b",
    re.I,
)


def _llm_lexicon(sentence: str, doc: _Doc, i: int) -> list[Hit]:
    hits = [Hit("llm_word", f"word favoured by LLM polishers '{sentence[a:b]}'", a, b)
            for w, a, b in _tokens(sentence) if w in _LLM_WORDS]
    hits += [Hit("stock_phrase", f"stock phrase '{m.group()}'", m.start(), m.end())
             for m in _STOCK.finditer(sentence[:MAX_SCAN])]
    return hits


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

#: (code, description) for every code a detector can emit, in feature order.
from .artifact_codes import CODES  # noqa: E402  (the code table lives in a light module for `info`)
DETECTORS: tuple[Detector, ...] = (
    _quote_placement, _title_conflict, _boilerplate, _structure, _repetition, _rare_words, _llm_lexicon,
)
CODE_INDEX = {c: k for k, (c, _) in enumerate(CODES)}


def detect(sentences: Sequence[str]) -> list[list[Hit]]:
    """Run every detector on every sentence of one document.

    Parameters
    ----------
    sentences : sequence of str
        The normalised sentences (``Sentence.norm``) of ONE document, in order;
        document-level detectors (title conflicts, quotes spanning sentences)
        use them all as context.

    Returns
    -------
    list of list of Hit
        One list per sentence (empty input gives ``[]``); hit offsets are local
        to that sentence string and satisfy ``0 <= start <= end <= len``.
    """
    sentences = [s if isinstance(s, str) else str(s) for s in sentences]
    doc = _Doc(sentences, _unpaired_quotes(sentences), title_conflicts(sentences))
    out = []
    for i, s in enumerate(sentences):
        hits: list[Hit] = []
        for det in DETECTORS:
            hits.extend(det(s, doc, i))
        per_code: Counter = Counter()
        kept = []
        for h in hits:
            per_code[h.code] += 1
            if per_code[h.code] <= MAX_HITS_PER_CODE:
                a = max(0, min(h.start, len(s)))
                kept.append(Hit(h.code, h.message, a, max(a, min(h.end, len(s)))))
        out.append(kept)
    return out


def detect_many(sentences: Sequence[str], doc_ids: Sequence[object]) -> list[list[Hit]]:
    """``detect`` over many documents at once, each giving its own context.

    Parameters
    ----------
    sentences : sequence of str
        Normalised sentences of several documents, each document contiguous.
    doc_ids : sequence
        Document id of every sentence (same length as ``sentences``).

    Returns
    -------
    list of list of Hit
        One list per sentence, in input order.

    Raises
    ------
    ValueError
        If the two sequences differ in length.
    """
    if len(sentences) != len(doc_ids):
        raise ValueError(f"{len(sentences)} sentences but {len(doc_ids)} document ids")
    out: list[list[Hit]] = []
    a = 0
    while a < len(sentences):
        b = a
        while b < len(sentences) and doc_ids[b] == doc_ids[a]:
            b += 1
        out.extend(detect(sentences[a:b]))
        a = b
    return out


def feature_matrix(hits: Sequence[Sequence[Hit]]) -> np.ndarray:
    """Count features from hits.

    Parameters
    ----------
    hits : sequence of sequence of Hit
        As returned by ``detect``.

    Returns
    -------
    numpy.ndarray
        ``(len(hits), len(CODES))`` float32, one column per code in ``CODES``
        order, each count capped at 3 so that one debris sentence cannot dominate.
    """
    import numpy as np

    x = np.zeros((len(hits), len(CODES)), dtype=np.float32)
    for i, hs in enumerate(hits):
        for h in hs:
            x[i, CODE_INDEX[h.code]] += 1
    return np.minimum(x, 3.0)


def feature_names() -> list[str]:
    """Column names of ``feature_matrix``: ``artifact:<code>`` in ``CODES`` order."""
    return [f"artifact:{c}" for c, _ in CODES]
