"""PDF and Word input: recognised by content, offsets into the extracted text, one-line errors, batches go on.

The files are built here (tests/docfiles.py): a hand-written PDF with a text
layer, an image-only PDF, an encrypted PDF, python-docx documents, and
truncated copies of both.
"""

import json
import textwrap

import pytest
from typer.testing import CliRunner

from spindetect.cli import app
from spindetect.errors import ReadError
from spindetect.io.files import expand_paths, read_bytes, read_path

from . import docfiles, texts

runner = CliRunner()

# texts.HUMAN_NEWS laid out the way a PDF does: each paragraph wrapped at 60 characters, over two pages
_WORDS = texts.HUMAN_NEWS.split()
_PARAS = texts.HUMAN_NEWS.split("\n")
PAGES = [[line for p in part for line in textwrap.wrap(p, 60)] for part in (_PARAS[:2], _PARAS[2:])]
PARAGRAPHS = [p for p in texts.HUMAN_NEWS.split(". ") if p]


def _one_line_error(e: ReadError, name: str, *words: str) -> str:
    msg = str(e)
    assert msg.startswith(f"{name}: ") and "\n" not in msg, msg
    for w in words:
        assert w in msg, msg
    return msg


def test_pdf_text_layer_is_read_whatever_the_name():
    data = docfiles.pdf(PAGES)
    for name in ("story.pdf", "story.txt", "story"):  # by content, not suffix
        art = read_bytes(data, name, check_language=False)
        assert art.encoding == "pdf" and art.warnings == ()
        assert art.text.split() == _WORDS  # every word, in order, across lines and pages
        assert "\n\n" in art.text  # the page break


def test_pdf_lines_wrapped_by_the_layout_are_joined_and_headings_kept():
    from spindetect.segment import segment

    heading = "Council approves road budget"
    art = read_bytes(docfiles.pdf([[heading] + PAGES[0], PAGES[1]]), "p.pdf", check_language=False)
    assert art.text.startswith(heading + "\n")
    # the same sentences as the text the PDF was laid out from: no sentence cut at a line end
    assert [x.text for x in segment(art.text)] == [heading] + [x.text for x in segment(texts.HUMAN_NEWS)]


@pytest.mark.parametrize(
    "page, text",
    [
        ("a long line that the layout wrapped in the\nmiddle of a sentence.", "a long line that the layout wrapped in the middle of a sentence."),
        ("Short heading\nThe first sentence of the body is long.", "Short heading\nThe first sentence of the body is long."),
        ("It ends here.\nA new sentence starts.", "It ends here.\nA new sentence starts."),
        ("a word broken by the recon-\nstruction of the line.", "a word broken by the recon-struction of the line."),
        ("Short\nlower-case start continues", "Short lower-case start continues"),
        ("", ""),
    ],
)
def test_reflow(page, text):
    from spindetect.io.documents import reflow

    assert reflow(page) == text


def test_pdf_with_parentheses_and_backslashes_in_text():
    art = read_bytes(docfiles.pdf([["A (quoted) aside and a back\\slash stay as written."]]), "p.pdf", check_language=False)
    assert art.text == "A (quoted) aside and a back\\slash stay as written."


def test_docx_paragraphs_and_table_cells_in_order_whatever_the_name():
    data = docfiles.docx(PARAGRAPHS, table=[["Region", "Votes"], ["North", "1,204"]])
    for name in ("story.docx", "story.bin"):
        art = read_bytes(data, name, check_language=False)
        assert art.encoding == "docx"
        blocks = art.text.split("\n\n")
        assert blocks[: len(PARAGRAPHS)] == PARAGRAPHS
        assert blocks[-1] == "Region\nVotes\nNorth\n1,204"


@pytest.mark.parametrize(
    "data, words",
    [
        (docfiles.image_pdf(), ("no text layer", "1 page(s)", "OCR")),
        (docfiles.pdf([["".join(map(chr, range(1, 31))) * 3]]), ("PDF's text layer is unreadable", "OCR")),
        (docfiles.encrypted_pdf(PAGES), ("encrypted PDF", "password")),
        (docfiles.pdf(PAGES)[:-400], ("damaged or truncated PDF",)),
        (docfiles.docx(PARAGRAPHS)[:3000], ("damaged or truncated Word document",)),
        (docfiles.docx([]), ("Word document has no text",)),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ("damaged or truncated PDF",)),
    ],
    ids=["scanned", "unmapped-font", "encrypted", "truncated-pdf", "truncated-docx", "empty-docx", "pdf-header-only"],
)
def test_bad_documents_are_one_line_read_errors(data, words):
    with pytest.raises(ReadError) as e:
        read_bytes(data, "doc.x")
    _one_line_error(e.value, "doc.x", *words)


def test_a_partly_scanned_pdf_is_scored_with_a_warning():
    good = docfiles.pdf(PAGES)
    # page 2 of 3 paints an image only (pages put together with pypdf)
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for src, k in ((good, 0), (docfiles.image_pdf(), 0), (good, 1)):
        w.add_page(PdfReader(BytesIO(src)).pages[k])
    buf = BytesIO()
    w.write(buf)
    art = read_bytes(buf.getvalue(), "mixed.pdf", check_language=False)
    assert art.text.split() == _WORDS
    assert art.warnings == ("mixed.pdf: 1 of 3 PDF page(s) have no text layer (page 2: scanned?); "
                            "only the text of the others is scored",)


def test_a_pdf_locked_only_against_editing_opens():
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(BytesIO(docfiles.pdf(PAGES))))
    w.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buf = BytesIO()
    w.write(buf)
    assert read_bytes(buf.getvalue(), "locked.pdf", check_language=False).text.split() == _WORDS


def test_a_zip_that_is_not_a_word_document_is_still_refused():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<x/>")
    with pytest.raises(ReadError) as e:
        read_bytes(buf.getvalue(), "a.odt")
    _one_line_error(e.value, "a.odt", "ZIP archive", "not a Word .docx")


def test_directories_expand_to_pdf_and_docx(tmp_path):
    (tmp_path / "a.pdf").write_bytes(docfiles.pdf(PAGES))
    (tmp_path / "b.DOCX").write_bytes(docfiles.docx(PARAGRAPHS))
    (tmp_path / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert list(expand_paths([str(tmp_path)])) == [str(tmp_path / "a.pdf"), str(tmp_path / "b.DOCX")]
    assert read_path(str(tmp_path / "b.DOCX"), check_language=False).encoding == "docx"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    d = tmp_path_factory.mktemp("docs")
    (d / "1-good.pdf").write_bytes(docfiles.pdf(PAGES))
    (d / "2-good.docx").write_bytes(docfiles.docx(PARAGRAPHS))
    (d / "3-scan.pdf").write_bytes(docfiles.image_pdf())
    (d / "4-locked.pdf").write_bytes(docfiles.encrypted_pdf(PAGES))
    (d / "5-cut.docx").write_bytes(docfiles.docx(PARAGRAPHS)[:3000])
    (d / "6-plain.txt").write_text(texts.SPUN_NEWS, encoding="utf-8")
    return d


def test_score_reads_pdf_and_docx_offsets_index_the_extracted_text(batch):
    r = runner.invoke(app, ["score", str(batch / "1-good.pdf"), str(batch / "2-good.docx"), "--format", "json"])
    assert r.exit_code == 0, r.output
    pdf_doc, docx_doc = json.loads(r.stdout)
    for doc, name in ((pdf_doc, "1-good.pdf"), (docx_doc, "2-good.docx")):
        text = read_path(str(batch / name), check_language=False).text
        assert doc["encoding"] == name.rsplit(".", 1)[1] and doc["n_sentences"] >= 3
        assert doc["label"] in ("spun", "original") and 0.0 <= doc["score"] <= 1.0
        for s in doc["sentences"]:
            assert text[s["start"] : s["end"]] == s["text"]
    # the same sentences, laid out as a PDF or as plain text, get the same sentence scores
    plain = json.loads(runner.invoke(app, ["score", "-", "--format", "json"], input=texts.HUMAN_NEWS).stdout)[0]
    assert [(s["text"], s["score"]) for s in pdf_doc["sentences"]] == [(s["text"], s["score"]) for s in plain["sentences"]]
    assert (pdf_doc["score"], pdf_doc["label"]) == (plain["score"], plain["label"])


def test_a_batch_with_broken_documents_reports_each_and_scores_the_rest(batch):
    r = runner.invoke(app, ["score", str(batch), "--format", "jsonl"])
    assert r.exit_code == 1, r.output  # EXIT_SOME_FAILED
    scored = [json.loads(line)["path"] for line in r.stdout.splitlines()]
    assert [p.rsplit("/", 1)[1] for p in scored] == ["1-good.pdf", "2-good.docx", "6-plain.txt"]
    errors = [line for line in r.stderr.splitlines() if line.startswith("spindetect: error:")]
    assert len(errors) == 4, r.stderr
    assert "3-scan.pdf: PDF has no text layer" in errors[0]
    assert "4-locked.pdf: encrypted PDF" in errors[1]
    assert "5-cut.docx: damaged or truncated Word document" in errors[2]
    assert errors[3] == "spindetect: error: 3 input(s) could not be scored; 3 scored"
    assert "Traceback" not in r.output


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_corrupted_documents_end_as_text_or_a_read_error(kind):
    """Bytes overwritten at random places: never a traceback, never a hang."""
    import random

    good = docfiles.pdf(PAGES) if kind == "pdf" else docfiles.docx(PARAGRAPHS)
    rng = random.Random(16)
    outcomes = set()
    for _ in range(60):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(8, len(data))
            data[k : k + rng.randint(1, 16)] = rng.randbytes(rng.randint(0, 16))
        try:
            art = read_bytes(bytes(data), "x", check_language=False)
            outcomes.add("text")
            assert art.encoding == kind
        except ReadError as e:
            outcomes.add("error")
            assert "\n" not in str(e) and str(e).startswith("x: ")
    # both paths were exercised for the PDF (pypdf repairs some damage); a zip's CRC catches every change
    assert outcomes == ({"text", "error"} if kind == "pdf" else {"error"})
