"""Post-process the PDFs LibreOffice writes: check that each is a readable PDF with pages, and make
it byte-repeatable (the same DOCX gives the same PDF bytes in every run), so that `docgen verify`
can tell a genuine archived PDF from an altered one by making it again."""

from __future__ import annotations

import hashlib
import re

from .errors import ConversionError
from .i18n import _
from .pdfids import renumber_type1


def checked_pdf(data: bytes, what: str, *, fonts_numbered: bool = False) -> bytes:
    """Refuse output that is not a readable PDF with at least one page; return it repeatable."""
    if not data:
        raise ConversionError(_("{what}: LibreOffice wrote an empty file").format(what=what))
    if not data.startswith(b"%PDF-"):
        raise ConversionError(_("{what}: LibreOffice output is not a PDF (starts with {start!r})").format(
            what=what, start=data[:8]))
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(BytesIO(data), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, OSError) as e:
        raise ConversionError(_("{what}: LibreOffice wrote an unreadable PDF ({error})").format(
            what=what, error=e)) from e
    if pages < 1:
        raise ConversionError(_("{what}: LibreOffice wrote a PDF without pages").format(what=what))
    return repeatable_pdf(data, fonts_numbered=fonts_numbered)


_INFO_REF = re.compile(rb"/Info\s+(\d+)\s+0\s+R")
_CREATED = re.compile(rb"/CreationDate\s*\(D:[0-9Z+\-']{0,30}\)")
_RUN_HEX = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]|/DocChecksum\s*/([0-9A-Fa-f]{32})")


def repeatable_pdf(data: bytes, *, fonts_numbered: bool = False) -> bytes:
    """The same PDF without what changes from one LibreOffice run to the next.

    LibreOffice writes the time of conversion (/CreationDate), a random /ID and a checksum over
    both; nothing else differs between two conversions of the same DOCX. The date is blanked
    (the document carries its own dates, and the DOCX has none either) and /ID and /DocChecksum
    become a digest of the rest, all in place, so every byte offset stays valid and the same
    inputs give the same PDF bytes. A file laid out differently is returned unchanged. The Type 1
    fonts LibreOffice makes of the CFF faces are numbered per document first (pdfids.py), unless
    the UNO worker did that already (`fonts_numbered`).
    """
    if not fonts_numbered:
        data = renumber_type1(data)
    trailer = data.rfind(b"trailer")
    info = _INFO_REF.search(data, trailer) if trailer >= 0 else None
    if info is None:
        return data
    start = data.rfind(b"\n" + info.group(1) + b" 0 obj", 0, trailer)
    end = data.find(b"endobj", start)
    if start < 0 or end < 0:
        return data
    out = bytearray(data)
    for m in list(_CREATED.finditer(out, start, end)):
        out[m.start():m.end()] = b" " * (m.end() - m.start())
    spans = [m.span(g) for m in _RUN_HEX.finditer(out, trailer) for g in (1, 2, 3) if m.group(g)]
    for a, b in spans:
        out[a:b] = b"0" * (b - a)
    digest = hashlib.md5(out, usedforsecurity=False).hexdigest().upper().encode()
    for a, b in spans:
        out[a:b] = digest
    return bytes(out)


PROVENANCE_KEY = "/DocgenProvenance"
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.DOTALL)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("ascii")  # provenance is ASCII: a job id and a hex digest
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def with_provenance(data: bytes, provenance: str) -> bytes:
    """The PDF with `provenance` in its document information under /DocgenProvenance, added as an
    incremental update (a new Info object, a one-entry xref section and a trailer pointing back
    to the old one), so LibreOffice's bytes before it stay as they are and the result is the
    same for the same input. A PDF whose trailer is not laid out as LibreOffice writes it is
    returned unchanged (verify then finds no provenance in it, rather than a damaged file)."""
    m = _TRAILER.search(data, max(0, data.rfind(b"trailer")))
    if m is None or not provenance:
        return data
    trailer, prev = m.group(1), int(m.group(2))
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer)
    if size is None or root is None:
        return data
    ids = re.search(rb"/ID\s*\[[^\]]*\]", trailer)
    entries = b""
    info = re.search(rb"/Info\s+(\d+)\s+0\s+R", trailer)
    if info is not None:
        start = data.rfind(b"\n" + info.group(1) + b" 0 obj", 0, m.start())
        end = data.find(b"endobj", start)
        body = data[start:end] if start >= 0 and end >= 0 else b""
        opened, closed = body.find(b"<<"), body.rfind(b">>")
        if 0 <= opened < closed:
            entries = body[opened + 2:closed]
            entries = re.sub(rb"/DocgenProvenance\s*\([^)]*\)", b"", entries)
    number = int(size.group(1))
    head = data if data.endswith(b"\n") else data + b"\n"
    obj = b"%d 0 obj\n<<%b%b %b>>\nendobj\n" % (number, entries, PROVENANCE_KEY.encode(), _pdf_string(provenance))
    xref_at = len(head) + len(obj)
    # the free-list head first (readers such as pypdf expect a section to start at object 0)
    xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, len(head))
    tail = b"trailer\n<</Size %d/Root %b/Info %d 0 R%b/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
        number + 1, root.group(1), number, (b"/" + ids.group(0)[1:]) if ids else b"", prev, xref_at)
    return head + obj + xref + tail
