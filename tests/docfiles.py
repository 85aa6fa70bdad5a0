"""Small PDF and Word files built in the test itself (no fixtures on disk).

``pdf`` writes a minimal valid PDF by hand: one page per list of lines, each
line a ``Tj`` in Helvetica, with a correct cross-reference table. ``image_pdf``
is a page that only paints an image (a "scanned" page: no text layer).
"""

from __future__ import annotations

import io
import zlib


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _assemble(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object k+1 is objects[k]; object 1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a text layer: ``pages`` is a list of pages, each a list of lines."""
    n = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) per page
    kids = " ".join(f"{4 + 2 * k} 0 R" for k in range(n)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for k, lines in enumerate(pages):
        ops = ["BT /F1 11 Tf 14 TL 72 720 Td"] + [f"({_escape(line)}) Tj T*" for line in lines] + ["ET"]
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (5 + 2 * k))
        objects.append(_stream("\n".join(ops).encode("cp1252")))
    return _assemble(objects)


def image_pdf() -> bytes:
    """A one-page PDF that paints a small grey image and has no text: what a scanner makes."""
    pixels = bytes((x * y) % 256 for y in range(16) for x in range(16))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               _stream(b"q 400 0 0 400 100 200 cm /Im1 Do Q"),
               _stream(pixels, b"/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                               b"/BitsPerComponent 8 ")]
    return _assemble(objects)


def encrypted_pdf(pages: list[list[str]], password: str = "secret") -> bytes:
    """``pdf(pages)`` encrypted with a user password (RC4, no extra library needed)."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(pages))))
    w.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A Word document with ``paragraphs`` (and a table after them), written by python-docx."""
    import docx as python_docx

    d = python_docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
