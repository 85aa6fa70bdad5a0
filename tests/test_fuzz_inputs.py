"""Property tests: hostile input never crashes the reader or the segmenter.

For any bytes, ``read_bytes`` returns an Article or raises ReadError (nothing
else), and every sentence of what it returns points back into the text. The
same invariants are run ~10,000 times by ``benchmarks/fuzz.py``; here a few
hundred examples keep the default run fast.
"""

from __future__ import annotations

import codecs
import gzip
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spindetect.errors import ReadError
from spindetect.io.files import read_bytes
from spindetect.io.markdown import strip_markdown
from spindetect.io.records import iter_jsonl_articles
from spindetect.segment import segment

FAST = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "cp1251", "shift_jis"]
# Fragments that trip readers: BOMs, NUL and other controls, a terminal escape,
# lone UTF-8 lead/continuation bytes, HTML and Markdown syntax, RTL marks.
HOSTILE_BYTES = [
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x00", b"\x00\x00\x00", b"\x1b[31m",
    b"\x07", b"\x7f", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\r\n", b"\r", b"\x0c",
    b"<html>", b"<p>", b"</div>", b"<!--", b"<!DOCTYPE html>", b"<meta charset='utf-16'>", b"**", b"[", b"](",
    b"```", b"| --- |", b"> ", b"# ", "\u202e".encode(), "\u200f".encode(), "e\u0301".encode(), "\U0001F600".encode(),
    "\ufeff".encode(), b". ", b"Mr. ", b"U.S. ",
]
WORDS = ["The", "council", "said", "on", "Tuesday", "that", "it", "would", "not", "appeal.", "café", "naïve",
         "“quoted”", "—", "Zürich", "東京", "مرحبا", "שלום", "Привет", "🎉", "10 a.m.", "Dr.", "\n", "\n\n",
         # issue 17: homoglyphs, invisible characters inside words, fullwidth/mathematical letters
         "s\u0430id", "\u0430", "\u0422h\u0435", "pre\u200bsi\u00addent", "\u200d", "\u202e", "\ufeff", "\uff53\uff41id", "\U0001d41bold"]

any_bytes = st.binary(max_size=2000)
# Encoded prose with hostile fragments spliced in: gets past the binary check
# far more often than uniform random bytes, so decoding and cleaning are exercised.
prose = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
spliced_bytes = st.builds(
    lambda text, enc, parts, cut: _splice(_encode(text, enc), parts, cut),
    prose,
    st.sampled_from(ENCODINGS),
    st.lists(st.sampled_from(HOSTILE_BYTES), max_size=6),
    st.integers(min_value=0, max_value=10_000),
)
any_text = st.text(alphabet=st.characters(codec=None), max_size=400)
mixed_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from([".", "!", "?", " ", "\u0300", "\u00a0", "\u2028", '"'])),
    max_size=80,
).map("".join)

# JSONL lines: raw bytes, random text, and records whose fields have the wrong
# types, a lone surrogate escape, or an ordinary sentence.
jsonl_lines = st.lists(
    st.one_of(
        st.binary(max_size=80),
        st.text(max_size=80).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.builds(
            lambda t, i: ('{"id": %s, "text": %s}' % (i, t)).encode(),
            st.sampled_from(['"x"', "[]", "null", '"a\\ud800"', '"The council met on Tuesday."']),
            st.sampled_from(['"a"', "7", "true", "{}"]),
        ),
    ),
    max_size=8,
)


def _encode(text: str, enc: str) -> bytes:
    return text.encode(enc, errors="replace")


def _splice(data: bytes, parts: list[bytes], cut: int) -> bytes:
    for k, p in enumerate(parts):
        at = (cut * (k + 1)) % (len(data) + 1)
        data = data[:at] + p + data[at:]
    return data


def check_sentences(text: str) -> None:
    """The segmenter's contract: ordered, non-overlapping spans that reconstruct the text."""
    sentences = segment(text)
    prev_end = 0
    for k, s in enumerate(sentences):
        assert s.index == k
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= prev_end, (text, sentences)
        assert text[s.start : s.end] == s.text
        assert s.norm and s.norm == s.norm.strip()
        prev_end = s.end


def check_read(data: bytes, name: str = "fuzz.txt", **kwargs) -> None:
    """read_bytes gives an Article with clean text, or a ReadError naming the input."""
    try:
        art = read_bytes(data, name, **kwargs)
    except ReadError as e:
        msg = str(e)
        assert msg.startswith(name + ":") and "\n" not in msg, msg
        return
    assert art.path == name and art.text.strip()
    assert not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in art.text)
    for w in art.warnings:
        assert w.startswith(name + ":") and "\n" not in w, w
    codecs.lookup(art.encoding)  # a real codec name
    check_sentences(art.text)


_MARKUP = set("#*_`[]()!<>|~-=+\\.)0123456789\r:")


def check_markdown(text: str) -> None:
    """strip_markdown only ever removes characters, and leaves markup-free lines alone."""
    out = strip_markdown(text)
    assert len(out) <= len(text)
    if not _MARKUP & set(text):  # blank lines come back empty
        assert out == "\n".join(line if line.strip() else "" for line in text.split("\n"))


def check_jsonl(lines: list[bytes], tmp_path, gz: bool) -> None:
    path = tmp_path / ("crawl.jsonl.gz" if gz else "crawl.jsonl")
    data = b"\n".join(lines)
    path.write_bytes(gzip.compress(data) if gz else data)
    n_lines = len(data.split(b"\n")) if data else 0
    for item in iter_jsonl_articles(str(path)):
        if isinstance(item, ReadError):
            assert str(item).startswith(str(path)) and "\n" not in str(item)
        else:
            assert item.path.startswith(f"{path}:") and item.text.strip()
            assert 1 <= int(item.path.rsplit(":", 1)[1]) <= n_lines


@FAST
@given(any_bytes)
def test_read_bytes_random_bytes(data):
    check_read(data)


@FAST
@given(spliced_bytes, st.sampled_from(["a.txt", "a.md", "a.html", "-"]))
def test_read_bytes_spliced_prose(data, name):
    check_read(data, name)


@FAST
@given(any_text, st.sampled_from(ENCODINGS))
def test_read_bytes_random_unicode(text, enc):
    check_read(_encode(text, enc))


@FAST
@given(any_text)
def test_read_bytes_forced_html_and_markdown(text):
    check_read(text.encode("utf-8", "surrogatepass"), "x.txt", html=True)
    check_read(text.encode("utf-8", "surrogatepass"), "x.txt", markdown=True)


@FAST
@given(st.one_of(any_text, mixed_text))
def test_segment_offsets_reconstruct_text(text):
    check_sentences(text)


@FAST
@given(st.one_of(any_text, mixed_text))
def test_strip_markdown_total(text):
    check_markdown(text)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(jsonl_lines, st.booleans())
def test_jsonl_random_lines(tmp_path_factory, lines, gz):
    check_jsonl(lines, tmp_path_factory.mktemp("j"), gz)


@FAST
@given(st.one_of(any_text, mixed_text))
def test_deobfuscation_keeps_the_position_map(text):
    """normalize_with_map stays a valid map into the input, and every reported obfuscation is a word of its output."""
    from spindetect.normalize import normalize_with_map, obfuscation_hits, obfuscations

    norm, pos = normalize_with_map(text)
    assert len(pos) == len(norm) + 1 and pos == sorted(pos)  # combining clusters share their start
    assert all(0 <= p < len(text) for p in pos[:-1])
    for o in obfuscations(text):
        assert 0 <= o.start < o.end <= len(norm) and o.kind in ("homoglyph", "invisible_char")
        assert o.word == text[pos[o.start] : pos[o.end - 1] + 1]
    for h in obfuscation_hits(text):
        assert "\n" not in h.message and 0 <= h.start < h.end <= len(norm)


def test_segment_combining_mark_after_punctuation():
    check_sentences(":.\u0300")
