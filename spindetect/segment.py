"""Sentence segmentation with character offsets into the input text.

pysbd was chosen over blingfire after measuring both on the seed and on news
with quotes: blingfire splits inside quotations ('"I will not resign.' |
'Never," he said. Dr. Jones agreed.') while pysbd keeps quote + attribution
together and respects abbreviations (U.S., a.m., Mr.). pysbd is slower
(~90 ms for the seed) but segmentation is not the bottleneck.

Line breaks are hard boundaries: headlines, bylines and list items carry no
final punctuation. Very long lines are cut at whitespace before pysbd sees
them so that a 2 MB run-on "sentence" costs linear time.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .normalize import normalize_with_map
from .types import Sentence

#: pysbd is super-linear in the length of its input (measured: 6 kB in 0.09 s,
#: 13 kB in 2 s), so long lines are first cut at unambiguous sentence ends
#: into pieces of about this size.
PIECE_CHARS = 1_000
#: Hard cap when a line has no unambiguous sentence end at all.
MAX_LINE_CHARS = 20_000
#: Hard cap on what pysbd sees at once (a longer piece with sentence punctuation
#: is cut at whitespace). Dense full stops with no unambiguous end ("word. word.
#: ...", "U.S. U.S. ...") are pysbd's worst case: 2 kB in 0.02 s, 8 kB in 0.4 s,
#: 20 kB (MAX_LINE_CHARS) in 2.4 s, i.e. minutes for 2 MB of them.
MAX_PYSBD_CHARS = 2 * PIECE_CHARS
#: A "sentence" longer than this is split at whitespace (the embedder truncates
#: at 256 word pieces, ~1,000 characters, anyway).
MAX_SENTENCE_CHARS = 1_500

_TERMINAL = re.compile(r"[.!?\u2026\u3002\uff01\uff1f]")
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
# An unambiguous sentence end: a lower-case word of 3+ letters, a full stop (or
# ! ?), an optional closing quote, space, then a capital. Abbreviations such as
# "Mr." "U.S." "a.m." never match, so cutting here cannot split one.
_SAFE_END = re.compile(r"(?<=[a-z]{3}[.!?])\"?\s+(?=\"?[A-Z])")
# pysbd ends a sentence after "10 a.m." even in "10 a.m. ET, the meeting...":
# rejoin when a time abbreviation is followed by a time zone or a lower-case word.
_TIME_END = re.compile(r"\b[ap]\.m\.$", re.I)
_CONTINUES = re.compile(r"^(?:[A-Z]{1,2}[SD]?T|GMT|UTC)\b|^[a-z]")


#: One line break ("\r\n" counts once); U+2029 (paragraph separator) counts as a blank line.
_BREAK = re.compile(r"\r\n|[\n\r\u2028]|(\u2029)")
#: A line that ends a sentence: final punctuation (or a colon), then optional closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?:\u2026\u3002\uff01\uff1f][\"'\u201d\u2019\u00bb)\]]*$")
#: Lines shorter than this (headlines, bylines, list items) do not vote on hard wrapping: they end
#: without punctuation in texts written one paragraph per line too.
WRAP_MIN_CHARS = 40


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd
    from pysbd.utils import TextSpan

    class Segmenter(pysbd.Segmenter):
        """pysbd's segmenter with its span search done by ``str.find``.

        pysbd 0.3.4 finds each sentence again in the input with a regex built
        from it (``re.escape(sent) + r"\\s*"``, one compile per sentence: ~20 %
        of segmentation time). This does the same search, the same way: the
        first non-overlapping occurrence, plus the whitespace after it, that
        ends past the previous sentence (tests/test_segment.py checks the
        output equals pysbd's own). The occurrences of a sentence are the same
        chain every time and ``prior`` only grows, so a repeated sentence
        resumes after its last match instead of rescanning from the start
        (quadratic on "word. word. ...").
        """

        def sentences_with_char_spans(self, sentences):
            text = self.original_text
            spans, prior = [], 0
            resume: dict[str, int] = {}  # a repeated sentence's search goes on where its last one stopped
            for sent in sentences:
                if not sent:  # an empty pattern matches everywhere: leave that to pysbd
                    return super().sentences_with_char_spans(sentences)
                at = resume.get(sent, 0)
                while (k := text.find(sent, at)) >= 0:
                    end = k + len(sent)
                    while end < len(text) and text[end].isspace():
                        end += 1
                    if end > prior:
                        spans.append(TextSpan(text[k:end], k, end))
                        prior = resume[sent] = end
                        break
                    at = end
            return spans

    return Segmenter(language="en", clean=False)


def _chunks(s: str, limit: int) -> list[tuple[int, int]]:
    """Split ``s`` into spans of at most ``limit`` chars, preferring whitespace."""
    spans, a, n = [], 0, len(s)
    while a < n:
        b = min(a + limit, n)
        if b < n:
            cut = s.rfind(" ", a + limit // 2, b)
            if cut > a:
                b = cut
        spans.append((a, b))
        a = b
    return spans


def _pieces(norm: str) -> list[tuple[int, int]]:
    """Cut a long line at unambiguous sentence ends into pieces of ~PIECE_CHARS (capped, see MAX_PYSBD_CHARS)."""
    if len(norm) <= 2 * PIECE_CHARS:
        return [(0, len(norm))]
    out, a = [], 0
    for m in _SAFE_END.finditer(norm):
        if m.start() - a >= PIECE_CHARS:
            out.append((a, m.start()))
            a = m.start()
    out.append((a, len(norm)))
    return [(pa + u, pa + v) for pa, pb in out
            for u, v in _chunks(norm[pa:pb], MAX_PYSBD_CHARS if _TERMINAL.search(norm, pa, pb) else MAX_LINE_CHARS)]


def _split_line(norm: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within one normalised line."""
    spans: list[tuple[int, int]] = []
    for ca, cb in _pieces(norm):
        chunk = norm[ca:cb]
        cursor = 0
        # pysbd's abbreviation regexes are slow on long runs with no sentence
        # punctuation at all (2 MB: 217 s); such a piece is one "sentence".
        segs = _segmenter().segment(chunk) if _TERMINAL.search(chunk) else [chunk]
        for seg in segs:
            seg = seg.strip()
            if not seg:
                continue
            k = chunk.find(seg, cursor)
            if k < 0:  # pysbd altered the text; keep the remainder whole
                break
            spans.append((ca + k, ca + k + len(seg)))
            cursor = k + len(seg)
        rest = chunk[cursor:].strip()
        if rest:
            k = chunk.find(rest, cursor)
            spans.append((ca + k, ca + k + len(rest)))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and _TIME_END.search(norm[merged[-1][0] : merged[-1][1]]) and _CONTINUES.match(norm[a:b]):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    spans = merged
    out = []
    for a, b in spans:
        for sa, sb in _chunks(norm[a:b], MAX_SENTENCE_CHARS):
            piece = norm[a + sa : a + sb]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                out.append((a + sa + lead, a + sa + lead + len(piece)))
    return out


def segment(text: str) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets reconstruct the input.

    Returns an empty list for empty or whitespace-only text.
    """
    sentences: list[Sentence] = []
    for m in _LINE.finditer(text):
        line = m.group()
        norm, pos = normalize_with_map(line)
        if not norm:
            continue
        for a, b in _split_line(norm):
            start = m.start() + pos[a]
            end = m.start() + pos[b - 1] + 1
            while end < m.end() and unicodedata.combining(text[end]):
                end += 1
            if sentences and start < sentences[-1].end:
                # pysbd can split a full stop from a combining mark after it
                # (":.\u0300"): the spans overlap once mapped back, so merge.
                prev = sentences[-1]
                end = max(end, prev.end)
                sentences[-1] = Sentence(
                    index=prev.index, start=prev.start, end=end, text=text[prev.start : end],
                    norm=normalize_with_map(text[prev.start : end])[0],
                )
                continue
            sentences.append(
                Sentence(index=len(sentences), start=start, end=end, text=text[start:end], norm=norm[a:b])
            )
    return sentences


def paragraphs(text: str, sentences: list[Sentence]) -> tuple[tuple[int, int], ...]:
    """The paragraphs of ``text`` as half-open ranges ``(first, end)`` of positions in ``sentences``.

    A blank line always ends a paragraph. A single line break ends one too
    (texts extracted from HTML, and many plain-text articles, put one
    paragraph on each line) unless the text is hard-wrapped: most of its lines
    of ``WRAP_MIN_CHARS`` or more characters that run on into another line
    end in the middle of a sentence.

    Parameters
    ----------
    text : str
        The text ``sentences`` were segmented from.
    sentences : list of Sentence
        ``segment(text)``.

    Returns
    -------
    tuple of (int, int)
        Consecutive ranges covering every sentence once; empty for no sentences.
    """
    if not sentences:
        return ()
    breaks, votes, line_start = [], [], sentences[0].start
    for a, b in zip(sentences, sentences[1:]):
        found = _BREAK.findall(text[a.end : b.start])
        n = 2 if any(found) else len(found)
        if n == 1 and a.end - line_start >= WRAP_MIN_CHARS:
            votes.append(bool(_ENDS_SENTENCE.search(a.text)))
        if n:
            line_start = b.start
        breaks.append(n)
    wrapped = votes.count(False) > len(votes) / 2
    cuts = [k + 1 for k, n in enumerate(breaks) if n >= 2 or (n == 1 and not wrapped)]
    bounds = [0, *cuts, len(sentences)]
    return tuple(zip(bounds, bounds[1:]))
