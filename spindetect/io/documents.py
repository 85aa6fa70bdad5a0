"""Text out of PDF and Word (.docx) files, recognised by their content.

``sniff`` names the format from the bytes (``%PDF-`` at the start; a ZIP
archive holding ``word/document.xml``), whatever the file is called;
``extract`` returns the text that is then scored, so sentence offsets index
into it. PDFs are read from their text layer with pypdf (lines the layout
wrapped mid-sentence joined, see ``reflow``; pages separated by a blank
line), Word documents with python-docx (paragraphs and table cells in
document order, one per line, blank line between paragraphs). An encrypted
PDF, a PDF with no text layer (a scan), and a damaged or truncated file each
raise ``ReadError`` with a one-line message naming the input. pypdf and
python-docx are imported only when such a file is read.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib

from ..errors import ReadError

PDF, DOCX = "pdf", "docx"
#: What a Word document may expand to when unzipped: 50 MB of XML is far more
#: than any article (~10 KB of text), and caps a zip bomb's memory.
MAX_DOCX_XML_BYTES = 50_000_000
_DOCX_PART = b"word/document.xml"
#: A PDF line at least this share of its page's longest line was wrapped by the
#: layout, not ended by the writer (line ends are sentence boundaries to segment).
WRAPPED_LINE_SHARE = 0.6
_ENDS_SENTENCE = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*$")


def sniff(data: bytes) -> str | None:
    """``"pdf"``, ``"docx"`` or None, from the bytes alone.

    A ZIP's local file headers carry member names uncompressed, so a Word
    document is recognised even when truncated (and then reported as damaged
    rather than as some other ZIP archive).
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04") and _DOCX_PART in data:
        return DOCX
    return None


def extract(data: bytes, name: str, kind: str) -> tuple[str, list[str]]:
    """The text of a ``kind`` (``sniff``'s answer) document and one-line warnings naming ``name``.

    Raises
    ------
    ReadError
        Encrypted, no text layer, damaged or truncated; the message names ``name``.
    """
    if kind == PDF:
        return extract_pdf(data, name)
    if kind == DOCX:
        return extract_docx(data, name), []
    raise ValueError(f"unknown document kind {kind!r}; expected one of: {PDF}, {DOCX}")


def extract_pdf(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text layer of a PDF, pages separated by a blank line, and a warning for pages without one; see ``extract``."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    # pypdf logs repairs ("EOF marker not found") as warnings; the error, if any, says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # "" opens files locked only against editing
            raise ReadError(f"{name}: encrypted PDF (needs a password); save an unlocked copy or its text first")
        pages = [reflow(page.extract_text() or "") for page in reader.pages]
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError(f"{name}: encrypted PDF (needs a password); save an unlocked copy or its text first") from None
    except DependencyError as e:  # AES-encrypted files need the cryptography package
        raise ReadError(f"{name}: encrypted PDF that pypdf cannot open here ({_short(e)})") from None
    except (PyPdfError, ValueError, KeyError, OSError, RecursionError, zlib.error) as e:
        raise ReadError(f"{name}: damaged or truncated PDF ({_short(e)})") from None
    except Exception as e:  # pypdf on hostile bytes also raises TypeError, AttributeError, IndexError, struct.error...
        raise ReadError(f"{name}: damaged PDF ({type(e).__name__}: {_short(e)})") from None
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    if not text.strip():
        raise ReadError(
            f"{name}: PDF has no text layer ({len(pages)} page(s) of images: a scan?); "
            "run OCR first (e.g. ocrmypdf) or give its text"
        )
    blank = [k + 1 for k, p in enumerate(pages) if not p.strip()]
    warnings = []
    if blank:
        shown = ", ".join(map(str, blank[:5])) + (", ..." if len(blank) > 5 else "")
        warnings.append(f"{name}: {len(blank)} of {len(pages)} PDF page(s) have no text layer (page {shown}: "
                        "scanned?); only the text of the others is scored")
    return text, warnings


def reflow(page: str) -> str:
    """Join the lines of a PDF page that its layout wrapped mid-sentence.

    A line is joined to the next (with a space; straight on after a
    hyphenated word part) when it does not end a sentence and either the next
    starts in lower case or the line is nearly as long as the page's longest.
    Short lines (headings, bylines, list items) and lines ending a sentence
    keep their line end.
    """
    lines = [line.rstrip() for line in page.split("\n")]
    longest = max((len(line.strip()) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if prev.strip() and line.strip() and not _ENDS_SENTENCE.search(prev) and (
            line.lstrip()[:1].islower() or len(prev.strip()) >= WRAPPED_LINE_SHARE * longest
        ):
            out[-1] = prev + ("" if prev.endswith("-") and prev[-2:-1].isalpha() else " ") + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def extract_docx(data: bytes, name: str) -> str:
    """The paragraphs and table cells of a Word document, in order; see ``extract``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            size = sum(i.file_size for i in z.infolist() if i.filename.endswith(".xml"))
            if size > MAX_DOCX_XML_BYTES:
                raise ReadError(f"{name}: Word document unpacks to {size / 1e6:.0f} MB of XML (limit "
                                f"{MAX_DOCX_XML_BYTES / 1e6:.0f} MB); save its text instead")
            if z.testzip() is not None:
                raise zipfile.BadZipFile("a member fails its CRC check")
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as e:
        raise ReadError(f"{name}: damaged or truncated Word document ({_short(e)})") from None
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        body = docx.Document(io.BytesIO(data)).element.body
        blocks = [_block_text(el) for el in body.iterchildren()]
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        raise ReadError(f"{name}: damaged Word document ({_short(e)})") from None
    except Exception as e:  # lxml's XMLSyntaxError and python-docx's own errors share no base class here
        raise ReadError(f"{name}: damaged Word document ({type(e).__name__}: {_short(e)})") from None
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise ReadError(f"{name}: Word document has no text")
    return text


def _block_text(el) -> str:
    """A body paragraph's text, or a table's cells one per line (row by row)."""
    tag = el.tag.rsplit("}", 1)[-1]
    if tag == "p":
        return _paragraph_text(el)
    if tag == "tbl":
        cells = []
        for tc in el.iter(_w("tc")):
            cell = "\n".join(t for t in (_paragraph_text(p) for p in tc.iter(_w("p"))) if t.strip())
            if cell and (not cells or cells[-1] != cell):  # merged cells repeat their text
                cells.append(cell)
        return "\n".join(cells)
    # content controls and the like: their paragraphs, one per line
    return "\n".join(t for t in (_paragraph_text(p) for p in el.iter(_w("p"))) if t.strip())


def _paragraph_text(p) -> str:
    """Text runs, tabs and line breaks of one ``w:p`` element."""
    out = []
    for node in p.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
        if node.getparent().tag == _w("tabs"):  # a tab stop of the paragraph's style, not a tab
            continue
        tag = node.tag.rsplit("}", 1)[-1]
        out.append((node.text or "") if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(out)


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _short(e: Exception) -> str:
    """An exception's message on one line, at most 120 characters."""
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."
