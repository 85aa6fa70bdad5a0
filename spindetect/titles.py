"""Title conflicts: the same person under rival titles ('President Joe Biden', then 'Vice President Joe
Biden'), or two people holding one unique office, in one document (the ``title_conflict`` artifact).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .artifact_codes import MAX_SCAN

# Longest alternatives first so that "Vice President" never reads as "President".
_TITLES = {
    "vice president": "vice president", "president": "president",
    "deputy prime minister": "deputy prime minister", "prime minister": "prime minister",
    "vice chancellor": "vice chancellor", "chancellor": "chancellor",
    "secretary of state": "secretary of state", "deputy secretary of state": "deputy secretary of state",
    "press secretary": "press secretary", "attorney general": "attorney general",
    "defense secretary": "defense secretary", "secretary of defense": "defense secretary",
    "treasury secretary": "treasury secretary", "foreign minister": "foreign minister",
    "house speaker": "speaker", "speaker": "speaker",
    "senate majority leader": "majority leader", "majority leader": "majority leader",
    "senate minority leader": "minority leader", "minority leader": "minority leader",
    "senator": "senator", "sen.": "senator", "representative": "representative", "rep.": "representative",
    "governor": "governor", "gov.": "governor", "mayor": "mayor",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "first lady": "first lady", "chief of staff": "chief of staff",
}
_TITLE_RE = "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True))
_NAME = r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.)(?: (?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.)){0,2}"
# the title matches in any case ('press secretary'); the name must be capitalised
_MENTION = re.compile(r"\b(?P<title>(?i:" + _TITLE_RE + r")) (?P<name>" + _NAME + r")(?![\w])")
# Qualifiers under which a different title is legitimate: 'former President Obama'.
_QUALIFIED = re.compile(r"\b(?:former|ex|then|late|acting|incoming|outgoing|retired|future|then-|would-be)[\s-]*$", re.I)
# Titles a rewriter confuses with each other ('President Joe Biden' in one
# sentence, 'Vice President Joe Biden' in the next). Other title changes are
# often legitimate in one article ('Senator Clinton', 'President Clinton' are two
# people; careers move from one office to another), so only these pairs conflict.
_RIVAL_TITLES = {
    frozenset({"president", "vice president"}), frozenset({"prime minister", "deputy prime minister"}),
    frozenset({"chancellor", "vice chancellor"}), frozenset({"secretary of state", "deputy secretary of state"}),
    frozenset({"majority leader", "minority leader"}),
}
# Offices one person holds at a time in one country; two bare holders conflict.
_UNIQUE = {"vice president", "chancellor", "secretary of state", "press secretary", "attorney general",
           "speaker", "first lady", "chief of staff", "defense secretary", "treasury secretary"}
# Capitalised words that follow a title but are not names ('President Trump said').
_NOT_NAME = {"The", "A", "An", "And", "Of", "In", "On", "At", "For", "Is", "Was", "Has", "Had", "Said",
             "Says", "Will", "Would", "To", "Who", "This", "That", "He", "She", "It", "But", "Or", "As",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
             "February", "March", "April", "June", "July", "August", "September", "October", "November",
             "December", "Jr", "Sr"}


@dataclass(frozen=True)
class _Mention:
    sent: int
    start: int
    end: int
    title: str
    first: str
    surname: str
    bare: bool  # no qualifier or country/organisation word before the title


def _mentions(sentences: Sequence[str]) -> list[_Mention]:
    out = []
    for i, s in enumerate(sentences):
        if len(s) > MAX_SCAN:  # debris; a title scan there finds nothing useful
            continue
        for m in _MENTION.finditer(s):
            title = m.group("title")
            words = m.group("name").split(" ")
            while words and words[-1] in _NOT_NAME:
                words.pop()
            while words and words[0] in _NOT_NAME:
                words.pop(0)
            names = [w for w in words if not w.endswith(".")]
            if not names:
                continue
            head = s[max(0, m.start() - 60) : m.start()]  # bounded: no quadratic re-scan
            if _QUALIFIED.search(head) or re.search(r"\b(?:an?|every|any)\s+$", head, re.I):
                continue  # 'former President Obama', 'how would a President Obama be different'
            prev = re.search(r"([\w'.-]+)\s*$", head)
            # 'German Chancellor', "Apple's spokesman", 'White House press secretary': qualified office
            bare = not (prev and (prev.group(1)[0].isupper() or prev.group(1).endswith("'s")))
            end = m.start("name") + m.group("name").find(" ".join(words)) + len(" ".join(words))
            out.append(_Mention(i, m.start(), end, _TITLES[title.lower()],
                                names[0] if len(names) > 1 else "", names[-1], bare))
    return out


def title_conflicts(sentences: Sequence[str]) -> dict[int, list[tuple[int, int, str]]]:
    """Mentions whose title contradicts the document's majority reading of that person,
    and bare holders of a unique office that another person also holds."""
    mentions = _mentions(sentences)
    out: dict[int, list[tuple[int, int, str]]] = {}
    by_surname: dict[str, list[_Mention]] = {}
    for m in mentions:
        by_surname.setdefault(m.surname, []).append(m)
    for surname, ms in by_surname.items():
        firsts = {m.first for m in ms if m.first}
        if len(firsts) > 1:
            continue  # two people share the surname ('Donald Trump', 'Melania Trump')
        counts = Counter(m.title for m in ms)
        if not any(frozenset({a, b}) in _RIVAL_TITLES for a in counts for b in counts):
            continue
        # majority title; ties go to the title mentioned first
        order = {t: min(k for k, m in enumerate(ms) if m.title == t) for t in counts}
        major = max(counts, key=lambda t: (counts[t], -order[t]))
        for m in ms:
            if m.title != major and frozenset({m.title, major}) in _RIVAL_TITLES:
                out.setdefault(m.sent, []).append(
                    (m.start, m.end, f"'{m.title}' {surname} conflicts with '{major}' {surname} elsewhere in the document"))
    holders: dict[str, list[_Mention]] = {}
    for m in mentions:
        if m.bare and m.title in _UNIQUE:
            holders.setdefault(m.title, []).append(m)
    for title, ms in holders.items():
        people = Counter(m.surname for m in ms)
        if len(people) < 2:
            continue
        major = max(people, key=lambda p: (people[p], -min(k for k, m in enumerate(ms) if m.surname == p)))
        for m in ms:
            if m.surname != major:
                out.setdefault(m.sent, []).append(
                    (m.start, m.end, f"'{title}' held by both {m.surname} and {major} in the document"))
    return out
