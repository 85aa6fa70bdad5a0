"""Reader: every input becomes text or a one-line ReadError naming it.

All texts here were written for these tests.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sys
import time

import pytest

from spindetect import langid
from spindetect.errors import ReadError
from spindetect.io.decode import decode, repair_mojibake
from spindetect.io.files import MARKDOWN_SUFFIXES, expand_paths, read_bytes, read_path
from spindetect.io.html import looks_like_html
from spindetect.io.markdown import strip_markdown
from spindetect.io.records import iter_jsonl_articles
from spindetect.segment import segment

NEWS = (
    "The city council approved the new budget on Tuesday after a long debate. "
    "The mayor said the café’s owners would get help with their rent, and that "
    "the plan was “the fairest we could manage” this year."
)
FRENCH = (
    "Le conseil municipal a approuvé mardi le nouveau budget après un long débat. "
    "Le maire a déclaré que les propriétaires du café recevraient une aide pour leur loyer."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen. "
    "Der Bürgermeister sagte, die Besitzer des Cafés würden Hilfe bei der Miete bekommen."
)
ARTICLE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Council approves budget | Example News</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article>
<h1>Council approves budget after long debate</h1>
<p>The city council approved the new budget on Tuesday after a long and heated debate about road repairs and school funding.</p>
<p>The mayor said the plan would pay for two new libraries and more bus routes across the eastern districts of the city.</p>
<p>Opposition members said they would keep pressing for lower property taxes when the council meets again next month.</p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Ten things to do this weekend</a></li></ul></aside>
<footer>Copyright 2026 Example News. All rights reserved. Privacy policy. Terms of use.</footer>
</body></html>
"""


def long_run_on(n_words: int = 330_000) -> str:
    """About 2 MB of words with no punctuation or line break (seeded)."""
    return " ".join(random.Random(3).choices(["council", "budget", "road", "mayor", "debate"], k=n_words))


def articles_sentences_ok(text: str) -> None:
    for s in segment(text):
        assert text[s.start : s.end] == s.text


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "payload, encoding, warned",
    [
        (NEWS.encode("utf-8"), "utf-8", False),
        (NEWS.encode("utf-8-sig"), "utf-8-sig", False),
        (NEWS.encode("utf-16"), "utf-16-le", False),  # Python writes a little-endian BOM
        (b"\xfe\xff" + NEWS.encode("utf-16-be"), "utf-16-be", False),
        (NEWS.encode("utf-16-le"), "utf-16-le", True),  # no BOM: sniffed
        (NEWS.encode("utf-16-be"), "utf-16-be", True),
        (NEWS.encode("utf-32"), "utf-32-le", False),
        (NEWS.encode("cp1252"), "cp1252", True),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom-le", "utf16-bom-be", "utf16le-nobom", "utf16be-nobom", "utf32", "cp1252"],
)
def test_encodings_decode_to_the_same_text(payload, encoding, warned):
    art = read_bytes(payload, "a.txt")
    assert art.text == NEWS
    assert art.encoding == encoding
    assert bool(art.warnings) == warned
    assert all(w.startswith("a.txt: ") for w in art.warnings)


def test_latin1_file_is_read_as_cp1252():
    text = "Zürich: the Straße was closed, said Müller. Die Grüße kamen später, sagte er."
    art = read_bytes(text.encode("latin-1"), "z.txt")
    assert art.text == text and art.encoding == "cp1252"
    assert art.warnings[0] == "z.txt: not valid UTF-8 (byte 1); decoded as cp1252"


def test_cyrillic_code_page_is_not_forced_into_cp1252():
    text = "Городской совет во вторник утвердил новый бюджет после долгих споров о ремонте дорог."
    art = read_bytes(text.encode("cp1251"), "ru.txt", check_language=False)
    assert art.text == text
    assert art.encoding == "cp1251"


def test_mojibake_is_repaired_and_reported():
    mangled = NEWS.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    assert b"\xc3\x83\xc2\xa9" in mangled  # "Ã©": é seen through cp1252, re-encoded
    art = read_bytes(mangled, "m.txt")
    assert "café’s" in art.text and "“the fairest" in art.text
    assert any(w.startswith("m.txt: repaired mojibake") for w in art.warnings)


@pytest.mark.parametrize(
    "line",
    [
        "SÃO PAULO — A prefeitura anunciou ontem um novo plano.",
        "Ação, coração, não, Ângela e Âmbar chegaram às três.",
        "Price: £5 or €6 ± 2°C, ©2026 ™ ®, ½ ¼ and naïve résumés.",
        "Łódź, Kraków, Gdańsk; Škoda; Čapek; Ñandú, año, ¿qué? ¡sí!",
    ],
)
def test_mojibake_repair_leaves_correct_text_alone(line):
    assert repair_mojibake(line) == (line, [])


def test_invalid_utf8_is_replaced_with_a_warning():
    data = NEWS.encode("utf-8")
    data = data[:40] + b"\xff\xfe" + data[40:]
    art = read_bytes(data, "bad.txt")
    assert art.encoding == "utf-8"
    assert "\ufffd" in art.text and "café’s" in art.text  # the valid UTF-8 is kept
    assert art.warnings == ("bad.txt: invalid UTF-8 at byte 40; 2 undecodable byte sequence(s) replaced with U+FFFD",)


def test_nul_and_control_characters_are_stripped_with_a_warning():
    data = NEWS.replace("Tuesday", "Tues\x00day").replace("debate.", "debate.\x07\x1b[1m").encode()
    art = read_bytes(data, "c.txt")
    assert "Tuesday" in art.text and "\x00" not in art.text and "\x1b" not in art.text and "[1m" not in art.text
    (w,) = art.warnings
    assert w == "c.txt: removed 1 terminal escape sequence(s) and 2 control character(s) (U+0000, U+0007)"


def test_form_feed_becomes_a_line_break():
    art = read_bytes(b"Page one ends here.\x0cPage two starts here.", "f.txt", check_language=False)
    assert art.text == "Page one ends here.\nPage two starts here." and art.warnings == ()


@pytest.mark.parametrize(
    "payload, what",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (gzip.compress(NEWS.encode()), "gzip"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (random.Random(7).randbytes(4096), "undecodable"),
        (b"\x00\x01\x02\x03" * 100, "control"),
    ],
    ids=["png", "gzip", "zip", "elf", "random", "controls"],
)
def test_binary_data_is_a_one_line_read_error(payload, what):
    with pytest.raises(ReadError) as e:
        read_bytes(payload, "blob.bin")
    msg = str(e.value)
    assert msg.startswith("blob.bin: binary file (") and what in msg and "\n" not in msg


@pytest.mark.parametrize("payload", [b"", b"   \n\t\r\n", "\ufeff\u200b ".encode("utf-8-sig"), b"\x00\x00"])
def test_empty_input_is_a_read_error(payload):
    with pytest.raises(ReadError, match=r"^e\.txt: (empty file|binary file)"):
        read_bytes(payload, "e.txt")


def test_decode_returns_text_encoding_and_warnings():
    assert decode(NEWS.encode(), "n") == (NEWS, "utf-8", ())


# ---------------------------------------------------------------- scripts and emoji


@pytest.mark.parametrize(
    "text",
    [
        "مجلس المدينة وافق على الميزانية الجديدة يوم الثلاثاء بعد نقاش طويل حول إصلاح الطرق.",
        "מועצת העיר אישרה ביום שלישי את התקציב החדש לאחר ויכוח ארוך על תיקון כבישים.",
        "市议会周二在经过长时间辩论后批准了新预算。市长表示，计划将资助两座新图书馆。",
        "The council 🎉 approved the budget on Tuesday 👍🏽 and the crowd cheered. 👨‍👩‍👧 Families were pleased.",
        "The names were \u202eevil\u202c and \u200fשלום\u200f in the report that the council read on Tuesday.",
    ],
    ids=["arabic", "hebrew", "chinese", "emoji", "bidi-controls"],
)
def test_other_scripts_and_emoji_are_kept_intact(text):
    art = read_bytes(text.encode("utf-8"), "s.txt")
    assert art.text == text
    articles_sentences_ok(art.text)


# ---------------------------------------------------------------- language


def test_english_gets_no_language_warning():
    assert read_bytes(NEWS.encode(), "en.txt").warnings == ()


@pytest.mark.parametrize("text, lang", [(FRENCH, "French"), (GERMAN, "German")])
def test_non_english_is_flagged(text, lang):
    art = read_bytes(text.encode(), "fr.txt")
    assert art.warnings == (
        f"fr.txt: text looks like {lang}, not English; the model was trained on English news",
    )
    assert read_bytes(text.encode(), "fr.txt", check_language=False).warnings == ()


def test_detect_language_on_written_sentences():
    cases = {
        "en": NEWS,
        "fr": FRENCH,
        "de": GERMAN,
        "es": "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre las carreteras.",
        "ru": "Городской совет во вторник утвердил новый бюджет после долгих споров о ремонте дорог.",
        "ja": "市議会は火曜日、長い議論の末に新しい予算を承認した。市長は図書館を二つ建てると述べた。",
    }
    for lang, text in cases.items():
        got, prob = langid.detect_language(text)
        assert got == lang and 0.5 < prob <= 1.0, (lang, got, prob)
    assert langid.detect_language("OK.") == ("und", 0.0)
    assert langid.looks_english(NEWS) and not langid.looks_english(FRENCH)


# ---------------------------------------------------------------- HTML


def test_html_article_is_extracted_without_boilerplate():
    art = read_bytes(ARTICLE_HTML.encode(), "page.html")
    assert "approved the new budget on Tuesday" in art.text
    assert "two new libraries" in art.text
    for junk in ("Home", "cookies", "Copyright", "Ten things", "<p>"):
        assert junk not in art.text
    articles_sentences_ok(art.text)


def test_html_navigation_text_without_links_is_dropped():
    page = (
        "<html><body><nav>Home</nav><header>Example News - Your city, every day</header>"
        "<article><p>The city council approved the new budget on Tuesday after a long debate about the roads.</p>"
        "</article></body></html>"
    )
    art = read_bytes(page.encode(), "nav.html")
    assert art.text == "The city council approved the new budget on Tuesday after a long debate about the roads."


def test_html_is_sniffed_by_content_and_overridable():
    assert looks_like_html(ARTICLE_HTML) and looks_like_html(b"\n<!-- saved -->\n<html><body>")
    assert not looks_like_html(NEWS) and not looks_like_html("Use <b> tags, the editor said.")
    sniffed = read_bytes(ARTICLE_HTML.encode(), "-")
    assert "<" not in sniffed.text and "libraries" in sniffed.text
    raw = read_bytes(ARTICLE_HTML.encode(), "page.html", html=False)
    assert raw.text.startswith("<!DOCTYPE html>")
    forced = read_bytes(b"<p>The council approved the budget on Tuesday after a long debate.</p>", "p.txt", html=True)
    assert forced.text == "The council approved the budget on Tuesday after a long debate."


def test_html_meta_charset_is_honoured():
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace("next month", "next month – or in May")
    art = read_bytes(page.encode("cp1252"), "w.html")
    assert art.encoding == "cp1252" and "next month – or in May" in art.text


def test_utf16_html_without_html_suffix_is_sniffed():
    art = read_bytes(ARTICLE_HTML.encode("utf-16"), "saved-page")
    assert art.encoding == "utf-16-le" and "two new libraries" in art.text and "<" not in art.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>x</title></head><body></body></html>",
        "<html><head><style>p { color: red }</style></head><body><div id='app'></div><script>render('app');</script></body></html>",
    ],
)
def test_html_without_article_text_is_a_read_error(page):
    with pytest.raises(ReadError, match=r"^empty\.html: no article text found in the HTML"):
        read_bytes(page.encode(), "empty.html")


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deeply_nested_html_does_not_crash(depth):
    page = "<html><body>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth + "</body></html>"
    t = time.perf_counter()
    try:
        art = read_bytes(page.encode(), "deep.html")
    except ReadError as e:
        assert str(e).startswith("deep.html: ") and "\n" not in str(e)
    else:
        assert "Deep text." in art.text
    assert time.perf_counter() - t < 10


# ---------------------------------------------------------------- Markdown

MARKDOWN = """---
title: Budget story
tags: [council]
---
# Council approves *new* budget #

Posted by **Jane Roe** on _Tuesday_.

![A photo of the council chamber](img/chamber.jpg)

The city council [approved the budget](https://example.org/budget "Budget") after a ~~short~~ long debate[^1].

> "This is the fairest plan we could manage," the mayor said.

- Two new libraries
- More `bus` routes
1. Lower fees

```python
print("not prose")
```

| Item | Cost |
|------|-----:|
| Libraries | $4m |

Prices rose 3 * 4 per cent; snake_case_names and 2*3 stay. Escaped \\*stars\\* too.

[^1]: A footnote.
[budget]: https://example.org/budget
***
"""


def test_markdown_markup_is_stripped_and_prose_kept():
    out = strip_markdown(MARKDOWN)
    lines = [line for line in out.split("\n") if line.strip()]
    assert lines == [
        "Council approves new budget",
        "Posted by Jane Roe on Tuesday.",
        "The city council approved the budget after a short long debate.",
        '"This is the fairest plan we could manage," the mayor said.',
        "Two new libraries",
        "More bus routes",
        "Lower fees",
        "Item\tCost",
        "Libraries\t$4m",
        "Prices rose 3 * 4 per cent; snake_case_names and 2*3 stay. Escaped *stars* too.",
    ]


def test_markdown_files_are_stripped_by_suffix_only():
    assert ".md" in MARKDOWN_SUFFIXES
    art = read_bytes(MARKDOWN.encode(), "story.md")
    assert "**" not in art.text and "https://" not in art.text and "print(" not in art.text
    articles_sentences_ok(art.text)  # offsets refer to the stripped text
    assert "**Jane Roe**" in read_bytes(MARKDOWN.encode(), "story.txt").text
    assert "**Jane Roe**" in read_bytes(MARKDOWN.encode(), "story.md", markdown=False).text


def test_markdown_with_only_markup_is_a_read_error():
    with pytest.raises(ReadError, match=r"^img\.md: no text left after removing the Markdown markup$"):
        read_bytes(b"![photo](a.png)\n\n---\n```\ncode\n```\n", "img.md")


def test_markdown_hostile_line_is_linear():
    line = ("[" * 50_000) + ("**a " * 50_000) + ("_b " * 50_000)
    t = time.perf_counter()
    strip_markdown(line)
    assert time.perf_counter() - t < 5


# ---------------------------------------------------------------- size


def test_too_large_bytes_name_size_and_limit():
    with pytest.raises(ReadError, match=r"^big\.txt: too large \(2,000 bytes; the limit is 1,000 bytes, raise it with --max-bytes or split the file\)$"):
        read_bytes(b"x" * 2000, "big.txt", max_bytes=1000)


def test_too_large_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"word " * 300_000)
    with pytest.raises(ReadError, match=r"too large \(1\.5 MB; the limit is 1\.0 MB"):
        read_path(str(p), max_bytes=1_000_000)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device_is_refused_unopened():
    # issue 17: a device (or FIFO) is never opened, so it can neither block nor flood a batch
    with pytest.raises(ReadError, match=r"^/dev/zero: a character device, not a regular file; skipped"):
        read_path("/dev/zero", max_bytes=10_000)


def test_two_megabyte_sentence_without_punctuation_is_readable():
    words = long_run_on()
    t = time.perf_counter()
    art = read_bytes(words.encode(), "long.txt", check_language=False)  # timed without the 2 s model load
    assert art.text == words and len(words) > 2_000_000
    assert time.perf_counter() - t < 5


@pytest.mark.slow
def test_two_megabyte_sentence_segments_with_valid_offsets():
    words = long_run_on()
    sentences = segment(read_bytes(words.encode(), "long.txt").text)
    assert len(sentences) > 1000
    assert all(words[s.start : s.end] == s.text for s in sentences)


# ---------------------------------------------------------------- paths and stdin


def test_read_path_file_and_errors(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(NEWS, encoding="utf-8")
    art = read_path(str(p))
    assert art.text == NEWS and art.path == str(p)
    with pytest.raises(ReadError, match=r"missing\.txt: no such file or directory$"):
        read_path(str(tmp_path / "missing.txt"))
    with pytest.raises(ReadError, match=r": is a directory$"):
        read_path(str(tmp_path))
    with pytest.raises(ReadError, match=r"invalid path"):
        read_path("bad\x00name.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(NEWS)
    p.chmod(0)
    with pytest.raises(ReadError, match=r"secret\.txt: cannot read \(Permission denied\)"):
        read_path(str(p))


def test_read_path_html_file(tmp_path):
    p = tmp_path / "story.htm"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    assert "two new libraries" in read_path(str(p)).text
    assert read_path(str(p), html=False).text.startswith("<!DOCTYPE")


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NEWS.encode("utf-16"))))
    art = read_path("-")
    assert art.text == NEWS and art.path == "-" and art.encoding == "utf-16-le"


def test_stdin_over_the_limit(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 5000)))
    with pytest.raises(ReadError, match=r"^-: too large"):
        read_path("-", max_bytes=100)


def test_expand_paths(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("z")
    (tmp_path / "b" / "a.HTML").write_text("a")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "c.htm").write_text("c")
    (tmp_path / "notes.odt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    got = list(expand_paths([str(tmp_path), "-", "missing.txt", str(tmp_path / "empty")]))
    assert got[:4] == [str(tmp_path / n) for n in ("a.txt", "b/a.HTML", "b/z.md", "c.htm")]
    assert got[4:6] == ["-", "missing.txt"]
    (err,) = got[6:]
    assert isinstance(err, ReadError)
    assert str(err) == f"{tmp_path / 'empty'}: directory has no .txt/.md/.html/.htm/.pdf/.docx files"


# ---------------------------------------------------------------- JSONL


def _write_jsonl(path, rows, gz=False):
    data = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return str(path)


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_articles_carry_ids_and_skip_bad_lines(tmp_path, gz):
    path = _write_jsonl(
        tmp_path / ("crawl.jsonl.gz" if gz else "crawl.jsonl"),
        [
            {"id": "a1", "text": NEWS},
            "{not json",
            "",
            {"id": 7, "text": FRENCH},
            {"id": "b2", "body": NEWS},
            [1, 2],
            {"id": "c3", "text": 12},
            {"id": "d4", "text": "   "},
            {"text": ARTICLE_HTML},
            {"id": {"x": 1}, "text": NEWS},
        ],
        gz,
    )
    items = list(iter_jsonl_articles(path))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "ReadError", "Article", "ReadError", "ReadError", "ReadError", "ReadError", "Article", "ReadError"]
    a1, bad_json, fr, no_field, not_obj, not_str, empty, html, bad_id = items
    assert (a1.id, a1.path, a1.text) == ("a1", f"{path}:1", NEWS)
    assert str(bad_json).startswith(f"{path}:2: invalid JSON (")
    assert fr.id == "7" and fr.path == f"{path}:4" and "French" in fr.warnings[0]
    assert str(no_field) == f"{path}:5: no 'text' field (fields: body, id); choose one with text_field"
    assert str(not_obj) == f"{path}:6: expected a JSON object, got list"
    assert str(not_str) == f"{path}:7: field 'text' is int, expected a string"
    assert str(empty) == f"{path}:8: empty file (no text to score)"
    assert html.id is None and "two new libraries" in html.text and "<p>" not in html.text
    assert str(bad_id) == f"{path}:10: field 'id' is dict, expected a string or number"


def test_jsonl_custom_fields(tmp_path):
    path = _write_jsonl(tmp_path / "c.jsonl", [{"url": "https://example.org/1", "body": NEWS}])
    (art,) = iter_jsonl_articles(path, text_field="body", id_field="url")
    assert art.id == "https://example.org/1" and art.text == NEWS


def test_jsonl_hostile_values(tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_bytes(
        b'{"id": "s", "text": "The council met on Tuesday \\ud800 and voted to approve the budget for the year."}\n'
        b'{"id": "n", "text": "The council met on Tuesday\\u0000 and voted."}\n'
        b'{"id": "u", "text": "The council met on Tuesday \xff and voted."}\n'
        + b"[" * 100_000 + b"\n"
    )
    s, n, u, deep = iter_jsonl_articles(str(path), check_language=False)
    assert "\ufffd" in s.text and "surrogate" in s.warnings[0]
    assert "\x00" not in n.text and "control character" in n.warnings[0]
    assert "\ufffd" in u.text and u.warnings[0].startswith(f"{path}:3: invalid UTF-8")
    assert isinstance(deep, ReadError) and str(deep).startswith(f"{path}:4: invalid JSON")


def test_jsonl_overlong_line_and_broken_files(tmp_path):
    path = _write_jsonl(tmp_path / "long.jsonl", [{"id": "x", "text": "word " * 1000}, {"id": "y", "text": NEWS}])
    first, second = iter_jsonl_articles(path, max_bytes=1000)
    assert isinstance(first, ReadError) and str(first).startswith(f"{path}:1: too large")
    assert second.id == "y"

    trunc = tmp_path / "t.jsonl.gz"
    trunc.write_bytes(gzip.compress((json.dumps({"id": "a", "text": NEWS}) + "\n").encode() * 50)[:-30])
    items = list(iter_jsonl_articles(str(trunc)))
    assert isinstance(items[-1], ReadError) and "corrupt or truncated" in str(items[-1])

    (missing,) = iter_jsonl_articles(str(tmp_path / "nope.jsonl"))
    assert str(missing) == f"{tmp_path / 'nope.jsonl'}: cannot read (No such file or directory)"
