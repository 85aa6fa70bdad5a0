"""Issue 17: character-level obfuscation (homoglyphs, invisible characters), special files, texts with no words.

Real components throughout: the shipped model and the packaged embedder.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spindetect.cli import app
from spindetect.normalize import normalize, normalize_with_map, obfuscation_hits, obfuscations
from spindetect.errors import ReadError
from spindetect.io.files import expand_paths, read_path
from spindetect.segment import segment

from . import texts

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "seeds" / "spun_biden_putin_call.txt"
SEED = SEED_PATH.read_text(encoding="utf-8")
CYR = {"a": "\u0430", "e": "\u0435", "o": "\u043e"}  # Cyrillic а е о
runner = CliRunner()


def cyrillic(text: str) -> str:
    """Latin a, e, o replaced by their Cyrillic look-alikes (the issue's first input)."""
    return "".join(CYR.get(c, c) for c in text)


def zero_width(text: str, n: int, seed: int = 0, ch: str = "\u200b") -> str:
    """``n`` invisible characters put between two letters of a word."""
    rng = random.Random(seed)
    spots = [i for i in range(1, len(text)) if text[i - 1].isalpha() and text[i].isalpha()]
    for i in sorted(rng.sample(spots, min(n, len(spots))), reverse=True):
        text = text[:i] + ch + text[i:]
    return text


def codes(doc) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in doc.sentences:
        for r in s.reasons:
            out[r.code] = out.get(r.code, 0) + 1
    return out


def check_offsets(text: str, doc) -> None:
    assert doc.n_sentences == len(doc.sentences)
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
        for r in s.reasons:
            assert s.start <= r.start < r.end <= s.end


# ------------------------------------------------------------------ normaliser


def test_homoglyphs_are_undone_and_offsets_point_into_the_input():
    raw = "\u0422h\u0435 \u0440r\u0435s\u0456d\u0435nt s\u0430\u0456d."  # "Тhе рrеsіdеnt sаіd."
    norm, pos = normalize_with_map(raw)
    assert norm == "The president said."
    assert len(pos) == len(norm) + 1 and all(raw[pos[k]].lower() in (norm[k].lower(), "\u0435", "\u0440", "\u0456", "\u0430", "\u0442") for k in range(len(norm)))
    found = obfuscations(raw)
    assert [(o.kind, norm[o.start : o.end], o.word) for o in found] == [
        ("homoglyph", "The", "\u0422h\u0435"), ("homoglyph", "president", "\u0440r\u0435s\u0456d\u0435nt"), ("homoglyph", "said", "s\u0430\u0456d"),
    ]


def test_invisible_characters_are_dropped_and_reported_inside_words_only():
    raw = "\ufeffThe pre\u200bsi\u00addent s\u2060a\u202eid \u200b today."
    assert normalize(raw) == "The president said today."
    found = obfuscations(raw)
    assert [(o.kind, o.word, o.chars) for o in found] == [
        ("invisible_char", "pre\u200bsi\u00addent", ("\u200b", "\u00ad")), ("invisible_char", "s\u2060a\u202eid", ("\u2060", "\u202e")),
    ]


def test_fullwidth_and_mathematical_letters_become_ascii():
    assert normalize("\uff53\uff41\uff49\uff44 and \U0001d41b\U0001d428\U0001d425\U0001d41d") == "said and bold"
    # a word wholly in one style is styling, not reported; a mixed word is
    assert obfuscations("\uff53\uff41\uff49\uff44 and \U0001d41b\U0001d428\U0001d425\U0001d41d") == []
    assert [o.word for o in obfuscations("he s\U0001d41aid so")] == ["s\U0001d41aid"]


def test_a_lone_lookalike_word_between_latin_words_is_undone():
    assert normalize("in \u0430 statement") == "in a statement"  # Cyrillic а as the article
    assert [o.kind for o in obfuscations("in \u0430 statement")] == ["homoglyph"]


@pytest.mark.parametrize("text", [
    "Vladimir Putin (\u0412\u043b\u0430\u0434\u0438\u043c\u0438\u0440 \u041f\u0443\u0442\u0438\u043d) spoke on Tuesday.",  # a Russian name in Cyrillic
    "He quoted the Greek word \"\u03bb\u03cc\u03b3\u03bf\u03c2\", meaning word.",  # a quoted Greek word
    "Peskov said: \"\u0430 \u0447\u0442\u043e \u0434\u0430\u043b\u044c\u0448\u0435?\" and left.",  # a short Russian word among Russian words
    "The \u03b1 particle and the \u03b2 decay were measured in \u03bcm.",  # Greek letters as symbols
    "Fans cheered \U0001f389\U0001f44d\U0001f3fd and a family emoji \U0001f468\u200d\U0001f469\u200d\U0001f467 followed.",  # emoji (with ZWJ)
    "Caf\u00e9 owners in Z\u00fcrich and na\u00efve \u201cquotes\u201d \u2014 fine.",
])
def test_legitimate_non_latin_text_is_left_alone(text):
    assert not [o for o in obfuscations(text) if o.kind == "homoglyph"]
    assert not [o for o in obfuscations(text) if o.kind == "invisible_char"]
    non_ascii_letters = [c for c in text if c.isalpha() and not c.isascii()]
    assert [c for c in normalize(text) if c.isalpha() and not c.isascii()] == non_ascii_letters


def test_hit_messages_name_the_characters():
    hits = obfuscation_hits("He s\u0430id so.")
    assert [(h.code, h.message) for h in hits] == [("homoglyph", "'\u0430' U+0430 CYRILLIC SMALL LETTER A in 's\u0430id'")]
    hits = obfuscation_hits("He sa\u200bid so.")
    assert [(h.code, h.message) for h in hits] == [("invisible_char", "U+200B ZERO WIDTH SPACE inside 'said'")]
    assert "He said so."[hits[0].start : hits[0].end] == "said"


def test_obfuscated_seed_segments_to_the_plain_seeds_sentences():
    plain = [s.norm for s in segment(SEED)]
    assert [s.norm for s in segment(cyrillic(SEED))] == plain
    assert [s.norm for s in segment(zero_width(SEED, 300))] == plain


# ------------------------------------------------------------------ the five inputs


def test_seed_with_cyrillic_letters_scores_as_plain_and_shows_homoglyphs(detector):
    plain, text = SEED[:2500], cyrillic(SEED[:2500])
    doc, base = detector.score(text, "homo"), detector.score(plain, "plain")
    assert doc.score >= base.score and doc.score == base.score and doc.label == base.label
    assert codes(doc).get("homoglyph", 0) > 50
    assert any("obfuscated text" in w and "homoglyph" in w for w in doc.warnings)
    check_offsets(text, doc)
    r = next(r for s in doc.sentences for r in s.reasons if r.code == "homoglyph")
    assert "U+0430 CYRILLIC SMALL LETTER A" in r.message or "U+0435" in r.message or "U+043E" in r.message
    assert any(ch in text[r.start : r.end] for ch in CYR.values())


def test_seed_with_300_zero_width_spaces_scores_as_plain_and_shows_them(detector):
    plain, text = SEED[:2500], zero_width(SEED[:2500], 300)
    assert text.count("\u200b") == 300
    doc, base = detector.score(text, "zw"), detector.score(plain, "plain")
    assert doc.score >= base.score and doc.score == base.score
    assert codes(doc).get("invisible_char", 0) > 50
    assert any("300 invisible character(s)" in w for w in doc.warnings)
    check_offsets(text, doc)


def test_cyrillic_the_president_said_fifty_times(detector):
    text = "\u0422h\u0435 \u0440r\u0435s\u0456d\u0435nt s\u0430\u0456d. " * 50
    doc, base = detector.score(text, "pres"), detector.score("The president said. " * 50, "plain")
    assert doc.score == base.score and doc.label == base.label
    assert codes(doc)["homoglyph"] == 150
    assert any("400 look-alike letter(s)" in w and "150 word(s)" in w for w in doc.warnings)
    check_offsets(text, doc)


@pytest.mark.parametrize("text", [
    "\U0001f600" * 20_000,  # the 20,000 emoji
    "!!! ... ??? --- *** ;;;",
    "12 345 6789 3.14 2026-12-04",
    "a" * 500_000,  # one 500 kB "word"
    "\u200b\u200b\u200b \ufeff",  # only invisible characters
    "",
])
def test_texts_with_no_words_are_unscorable(detector, text):
    doc = detector.score(text, "nowords")
    assert doc.label == "unscorable" and doc.score == 0.0
    assert all(s.score == 0.0 and not s.reasons and not s.words for s in doc.sentences)
    assert any("nothing to score" in w for w in doc.warnings)
    check_offsets(text, doc)


def test_one_word_is_still_scored(detector):
    doc = detector.score("Hello.", "one")
    assert doc.label in ("spun", "original")


def test_directory_with_a_fifo_does_not_block(tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "article.txt").write_text(texts.HUMAN_NEWS, encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    r = subprocess.run([sys.executable, "-m", "spindetect", "score", str(d), "--format", "jsonl"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1  # some inputs failed (README: exit codes)
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["path"] for x in docs] == [str(d / "article.txt")]
    err = [line for line in r.stderr.splitlines() if "pipe.txt" in line]
    assert err == [f"spindetect: error: {d / 'pipe.txt'}: a FIFO (named pipe), not a regular file; skipped (pipe text in with '-' instead)"]
    assert "Traceback" not in r.stderr


# ------------------------------------------------------------------ special files


def test_special_files_given_directly_are_refused_without_opening(tmp_path):
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match=r"p\.txt: a FIFO \(named pipe\), not a regular file; skipped") as e:
        read_path(str(fifo))  # would block forever if it were opened
    assert "\n" not in str(e.value)
    sock = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock))
        with pytest.raises(ReadError, match=r"s\.txt: a socket, not a regular file"):
            read_path(str(sock))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_given_directly_is_refused():
    with pytest.raises(ReadError, match=r"^/dev/zero: a character device, not a regular file"):
        read_path("/dev/zero")


def test_directory_scan_takes_regular_files_and_reports_the_rest(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("A.", encoding="utf-8")
    (d / "sub" / "b.md").write_text("B.", encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    os.mkfifo(d / "sub" / "noext")
    (d / "loop").symlink_to(d)  # a folder link loop: never walked
    (d / "sub" / "up").symlink_to("..")
    (d / "x.txt").symlink_to(d / "y.txt")  # a file link loop
    (d / "y.txt").symlink_to(d / "x.txt")
    (d / "link.txt").symlink_to(d / "a.txt")  # a link to a regular file is read
    got = list(expand_paths([str(d)]))
    files = [g for g in got if isinstance(g, str)]
    errors = sorted(str(g) for g in got if isinstance(g, ReadError))
    assert files == sorted([str(d / "a.txt"), str(d / "link.txt"), str(d / "sub" / "b.md")])
    assert len(errors) == 4 and all("\n" not in e for e in errors)
    assert any(e.startswith(f"{d / 'pipe.txt'}: a FIFO") for e in errors)
    assert any(e.startswith(f"{d / 'sub' / 'noext'}: a FIFO") for e in errors)
    assert any(e.startswith(f"{d / 'x.txt'}: cannot read") for e in errors)
    assert any(e.startswith(f"{d / 'y.txt'}: cannot read") for e in errors)


# ------------------------------------------------------------------ find / compare


def test_find_matches_an_obfuscated_copy_to_its_source(tmp_path):
    from .test_index import CORPUS, FACTORY_REWRITE

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    idx = tmp_path / "idx"
    r = runner.invoke(app, ["index", str(corpus), "--out", str(idx)])
    assert r.exit_code == 0, r.output
    sus = tmp_path / "sus.txt"
    sus.write_text(zero_width(cyrillic(FACTORY_REWRITE), 40), encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(FACTORY_REWRITE, encoding="utf-8")
    r = runner.invoke(app, ["find", str(sus), str(plain), "--index", str(idx), "--format", "json"])
    assert r.exit_code == 0, r.output
    obf, ref = json.loads(r.stdout)
    assert obf["matches"][0]["source"] == str(corpus / "factory.txt") and obf["source_found"]
    assert obf["matches"][0]["score"] == pytest.approx(ref["matches"][0]["score"], abs=1e-6)


def test_compare_sees_an_obfuscated_copy_as_plain(tmp_path):
    from .test_index import CORPUS, FACTORY_REWRITE

    src = tmp_path / "factory.txt"
    src.write_text(CORPUS["factory.txt"], encoding="utf-8")
    results = []
    for name, text in (("plain.txt", FACTORY_REWRITE), ("obf.txt", zero_width(cyrillic(FACTORY_REWRITE), 40))):
        (tmp_path / name).write_text(text, encoding="utf-8")
        r = runner.invoke(app, ["compare", str(tmp_path / name), str(src), "--format", "json"])
        assert r.exit_code in (0, 1), r.output
        results.append(json.loads(r.stdout))
    plain, obf = results
    assert obf["is_rewrite"] == plain["is_rewrite"]
    assert obf["score"] == pytest.approx(plain["score"], abs=1e-6)


# ------------------------------------------------------------------ property


_SWAPS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445", "i": "\u0456", "T": "\u0422"}


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from([texts.HUMAN_NEWS, texts.SPUN_NEWS, SEED[:1500], "The council said on Tuesday that it would not appeal."]),
    st.floats(0.0, 1.0), st.integers(0, 60), st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"]),
    st.integers(0, 2**16),
)
def test_obfuscating_a_text_never_lowers_its_score(detector, text, share, n_invisible, invisible, seed):
    rng = random.Random(seed)
    obf = "".join(_SWAPS[c] if c in _SWAPS and rng.random() < share else c for c in text)
    obf = zero_width(obf, n_invisible, seed, invisible)
    base, doc = detector.score(text, "plain"), detector.score(obf, "obf")
    assert doc.score >= base.score
    check_offsets(obf, doc)
    if obf != text:
        assert set(codes(doc)) & {"homoglyph", "invisible_char"}


def test_fifo_given_directly_to_score_and_index_is_reported_not_opened(tmp_path):
    art = tmp_path / "article.txt"
    art.write_text(texts.HUMAN_NEWS, encoding="utf-8")
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    for args in (["score", str(fifo), str(art), "--format", "jsonl"], ["index", str(fifo), str(art), "--out", str(tmp_path / "idx")]):
        r = subprocess.run([sys.executable, "-m", "spindetect", *args], capture_output=True, text=True, timeout=120)
        assert r.returncode == 1, (args, r.stderr)
        assert f"{fifo}: a FIFO (named pipe), not a regular file; skipped" in r.stderr and "Traceback" not in r.stderr
