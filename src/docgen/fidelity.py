"""Check that a PDF says exactly what its DOCX says: no character or row lost or added.

Why: LibreOffice can lay out a document and still leave text out of the PDF (rows of a table
that continues after a page break, a line-end 。 hung past the margin). Opening the PDF and
counting its pages cannot see that, so every converted PDF's text is compared with the text
docgen put into the DOCX.

The comparison ignores whitespace and line breaks, and the results of fields (page numbers,
a 目录, a date: shown or not), hidden text and list numbering.
The DOCX text is cut into pieces at tabs, breaks, fields and paragraph ends; every piece of the
body must appear in the PDF, in order, once; pieces that Word repeats (headers, footers, table
header rows) must appear at least once. PDF text that no piece accounts for is reported as
extra, except digits and list numbering (which LibreOffice adds).
"""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from difflib import Match, SequenceMatcher
from io import BytesIO

from lxml import etree  # lxml ships no type hints

from .i18n import _

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_BREAKS = {f"{W}tab", f"{W}br", f"{W}cr", f"{W}ptab"}
_SKIP = {f"{W}delText", f"{W}del", MC_FALLBACK,
         f"{W}moveFrom", f"{W}rPr", f"{W}pPr"}
_WHITESPACE = re.compile(r"\s+")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
CHINESE_NUMERALS = "〇零一二三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟"
MAX_REPORTED = 5
_DATE_FIELD = re.compile(r"\s*(DATE|TIME|PRINTDATE|SAVEDATE|CREATEDATE)\b", re.IGNORECASE)
DATE_CHARS = "0123456789/-.:年月日时分秒上下午AMP"
FIELD = ""  # in a header's or footer's pieces: where a field's result (a page number) goes
_FIELD_CHARS = set("0123456789" + CHINESE_NUMERALS + "ivxlcdmIVXLCDM")


def _squash(text: str) -> str:
    """Text without whitespace and invisible format characters (pdftotext wraps right-to-left
    runs in embedding marks), in NFKC form (full-width ：and half-width : are one character)."""
    text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


@dataclass
class Expected:
    """The text of a DOCX as the comparison needs it."""

    body: list[str] = field(default_factory=list)      # in document order
    repeatable: set[str] = field(default_factory=set)  # body pieces Word repeats (table header rows)
    optional: set[str] = field(default_factory=set)    # field results (a 目录, a date): shown or not
    headers: list[list[str]] = field(default_factory=list)  # each header's pieces, at the top of pages
    footers: list[list[str]] = field(default_factory=list)  # each footer's pieces, at the bottom
    numbering: str = ""                                 # characters list numbering may add
    symbols: str = ""                                   # characters of w:sym (Wingdings boxes, …)


def _hidden(run: etree._Element) -> bool:
    """A run formatted as hidden text (w:vanish), which is not printed."""
    rpr = run.find(f"{W}rPr")
    mark = rpr.find(f"{W}vanish") if rpr is not None else None
    return mark is not None and mark.get(f"{W}val", "true") not in ("0", "false", "off")


def _pieces(root: etree._Element, out: Expected, margin: list[str] | None) -> None:
    """Walk a part in document order, cutting text into pieces (see the module docstring);
    the pieces of a header or footer go to `margin`."""
    current: list[str] = []
    repeated: list[bool] = [False]

    def cut(field_result: bool = False) -> None:
        text = _squash("".join(current))
        current.clear()
        if margin is not None and field_result:
            margin.append(FIELD)
        if not text:
            return
        if margin is not None:
            margin.append(text)
            return
        out.body.append(text)
        if repeated[-1]:
            out.repeatable.add(text)
    in_result = [False]  # inside a complex field's result (between 'separate' and 'end')
    depth = [0]
    result: list[str] = []  # the text of the field result being walked

    def end_field() -> None:
        text = _squash("".join(result))
        result.clear()
        if text and margin is None:
            out.optional.add(text)
        cut(field_result=True)

    def walk(el: etree._Element) -> None:
        tag = el.tag
        if tag == f"{W}fldSimple":
            if _DATE_FIELD.match(el.get(f"{W}instr") or ""):
                out.symbols += DATE_CHARS
            cut()
            was, in_result[0] = in_result[0], True
            for child in el:
                walk(child)
            in_result[0] = was
            end_field()
            return
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == f"{W}r" and _hidden(el):
            return
        if tag == f"{W}sym":
            code = el.get(f"{W}char") or ""
            try:
                value = int(code, 16)
            except ValueError:
                return
            out.symbols += chr(value) + (chr(value - 0xF000) if value >= 0xF000 else "")
            return
        if tag == f"{W}fldChar":
            kind = el.get(f"{W}fldCharType")
            if kind == "begin":
                depth[0] += 1
                cut()
            elif kind == "separate":
                in_result[0] = True
            elif kind == "end":
                depth[0] = max(0, depth[0] - 1)
                in_result[0] = depth[0] > 0 and in_result[0]
                end_field()
            return
        if tag == f"{W}t":
            (result if in_result[0] else current).append(el.text or "")
            return
        if tag == f"{W}instrText":
            if _DATE_FIELD.match(el.text or ""):  # LibreOffice shows today's date in its own format
                out.symbols += DATE_CHARS
            return
        if tag in _BREAKS:
            cut()
            return
        if tag == f"{W}tr":
            trpr = el.find(f"{W}trPr")
            header = trpr is not None and trpr.find(f"{W}tblHeader") is not None \
                and trpr.find(f"{W}tblHeader").get(f"{W}val", "true") not in ("0", "false")
            cut()
            repeated.append(header)
            for child in el:
                walk(child)
            cut()
            repeated.pop()
            return
        if tag == f"{W}p":
            cut()
            for child in el:
                walk(child)
            cut()
            return
        for child in el:
            walk(child)

    walk(root)
    cut()


def expected_text(docx: bytes) -> Expected:
    """The pieces of text a DOCX's PDF must show (see the module docstring)."""
    out = Expected()
    numbering = set("0123456789.．、()（）-–—:：" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    with zipfile.ZipFile(BytesIO(docx)) as z:
        names = z.namelist()
        for name in names:
            found = _PARTS.fullmatch(name)
            if not found:
                continue
            root = etree.fromstring(z.read(name), parser)
            kind = found.group(1)
            margin: list[str] | None = None
            if kind.startswith(("header", "footer")):
                margin = []
                (out.headers if kind.startswith("header") else out.footers).append(margin)
            _pieces(root, out, margin)
        if "word/numbering.xml" in names:
            root = etree.fromstring(z.read("word/numbering.xml"), parser)
            for lvl in root.iter(f"{W}lvl"):
                text = lvl.find(f"{W}lvlText")
                fmt = lvl.find(f"{W}numFmt")
                if text is not None:
                    numbering.update(_squash(re.sub(r"%\d", "", text.get(f"{W}val", ""))))
                if fmt is not None and "chinese" in (fmt.get(f"{W}val") or "").lower() or \
                        fmt is not None and "ideograph" in (fmt.get(f"{W}val") or "").lower():
                    numbering.update(CHINESE_NUMERALS)
                if fmt is not None and fmt.get(f"{W}val") == "bullet" and text is not None:
                    numbering.update(text.get(f"{W}val", ""))
    out.numbering = "".join(sorted(numbering))
    return out


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, in the order the PDF draws it (poppler's pdftotext -raw, else pypdf)."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, timeout=120)
        if done.returncode == 0:
            pages = done.stdout.decode("utf-8", "replace").split("\f")
            if pages and not pages[-1].strip():
                pages = pages[:-1]
            return pages
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages]


@dataclass
class Difference:
    """One piece of text found in only one of the two files."""

    page: int
    text: str
    missing: bool  # True: in the DOCX, not in the PDF; False: in the PDF only
    before: str = ""

    def __str__(self) -> str:
        if self.missing and self.before:
            message = (_("page {page}: the PDF lacks 「{text}」 (after 「{before}」)") if self.page else
                       _("somewhere: the PDF lacks 「{text}」 (after 「{before}」)"))
        elif self.missing:
            message = (_("page {page}: the PDF lacks 「{text}」") if self.page else
                       _("somewhere: the PDF lacks 「{text}」"))
        else:
            message = (_("page {page}: the PDF has 「{text}」, which the DOCX does not") if self.page else
                       _("somewhere: the PDF has 「{text}」, which the DOCX does not"))
        return message.format(page=self.page, text=self.text, before=self.before)


class _Text:
    """The PDF's text without whitespace, and which of its characters are accounted for."""

    def __init__(self, pages: list[str]) -> None:
        squashed = [_squash(p) for p in pages]
        self.text = "".join(squashed)
        self.starts: list[int] = []
        pos = 0
        for p in squashed:
            self.starts.append(pos)
            pos += len(p)
        self.ends = self.starts[1:] + [len(self.text)]
        self.used = bytearray(len(self.text))

    def page_of(self, pos: int) -> int:
        return max(1, bisect.bisect_right(self.starts, pos))


class _View:
    """The characters of a _Text not yet accounted for, searchable as one string."""

    def __init__(self, text: _Text) -> None:
        self.source = text
        self.index = [i for i, used in enumerate(text.used) if not used]
        self.text = "".join(text.text[i] for i in self.index)
        self.used = bytearray(len(self.text))

    def page_of(self, pos: int) -> int:
        return self.source.page_of(self.index[min(pos, len(self.index) - 1)] if self.index else 0)

    def find_free(self, piece: str, start: int) -> int:
        """First occurrence of `piece` at or after `start` whose characters are not yet used."""
        pos = self.text.find(piece, start)
        while pos >= 0 and any(self.used[pos:pos + len(piece)]):
            pos = self.text.find(piece, pos + 1)
        return pos

    def take(self, pos: int, n: int) -> None:
        self.used[pos:pos + n] = b"\x01" * n
        for i in range(pos, pos + n):
            self.source.used[self.index[i]] = 1


def _sequence_at(text: str, pos: int, end: int, pieces: list[str]) -> int | None:
    """Where `pieces` (FIELD: any page number) end when they start at `pos`; None when they are
    not there."""
    for piece in pieces:
        if piece == FIELD:
            while pos < end and text[pos] in _FIELD_CHARS:
                pos += 1
            continue
        if not text.startswith(piece, pos) or pos + len(piece) > end:
            return None
        pos += len(piece)
    return pos


def _sequence_before(text: str, end: int, start: int, pieces: list[str]) -> int | None:
    """Where `pieces` begin when they end at `end` (see _sequence_at)."""
    pos = end
    for piece in reversed(pieces):
        if piece == FIELD:
            while pos > start and text[pos - 1] in _FIELD_CHARS:
                pos -= 1
            continue
        if not text.endswith(piece, start, pos):
            return None
        pos -= len(piece)
    return pos


def _strip_margins(text: _Text, headers: list[list[str]], footers: list[list[str]]) -> set[int]:
    """Account for a header at the top and a footer at the bottom of each page; return the
    indexes of the headers and footers (headers first) seen on some page."""
    seen: set[int] = set()
    for start, end in zip(text.starts, text.ends, strict=True):
        top = start
        for i, pieces in enumerate(headers):
            if any(pieces) and (after := _sequence_at(text.text, start, end, pieces)) is not None:
                text.used[start:after] = b"\x01" * (after - start)
                top = after
                seen.add(i)
                break
        for i, pieces in enumerate(footers):
            if any(pieces) and (before := _sequence_before(text.text, end, top, pieces)) is not None:
                text.used[before:end] = b"\x01" * (end - before)
                seen.add(len(headers) + i)
                break
    return seen


def _align(view: _View, piece: str, cursor: int, previous: str) -> tuple[list[Difference], int]:
    """Match what can be matched of `piece` just after `cursor`; the rest of it is missing."""
    window = view.text[cursor: cursor + 2 * len(piece) + 80]
    matcher = SequenceMatcher(None, piece, window, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    kept: list[Match] = []
    for b in blocks:  # single characters far from the rest belong to the next paragraph
        if (b.size >= 2 or (kept and b.b == kept[-1].b + kept[-1].size)) and all(
                not view.used[cursor + b.b + k] for k in range(b.size)):
            kept.append(b)
    found: list[Difference] = []
    pos_a = 0
    end = cursor
    for b in kept:
        if b.a > pos_a:
            found.append(Difference(view.page_of(cursor + b.b), piece[pos_a:b.a][:40], True,
                                    piece[max(0, pos_a - 12):pos_a] or previous[-12:]))
        view.take(cursor + b.b, b.size)
        pos_a = b.a + b.size
        end = cursor + b.b + b.size
    if pos_a < len(piece):
        found.append(Difference(view.page_of(end), piece[pos_a:pos_a + 40], True,
                                piece[max(0, pos_a - 12):pos_a] or previous[-12:]))
    return found, end


def compare(expected: Expected, pages: list[str]) -> list[Difference]:
    """What one of the two has and the other lacks; empty when they say the same."""
    text = _Text(pages)
    allowed = set(expected.numbering) | set(expected.symbols)
    found: list[Difference] = []
    seen = _strip_margins(text, expected.headers, expected.footers)
    margins = bytearray(text.used)
    parts = [*expected.headers, *expected.footers]
    if len(pages) > 1 and parts and not seen:
        found.append(Difference(1, "".join(parts[0])[:40] or _("(header)"), True))
    # a field that begins or ends a header leaves its page number next to the body: not extra
    view = _View(text)
    cursor = 0
    previous = ""
    for piece in expected.body:
        if _RTL.search(piece):  # drawn in visual order: left to the character count (_confirmed)
            continue
        pos = view.find_free(piece, cursor)
        if pos < 0:
            pos = view.find_free(piece, 0)
        if pos >= 0:
            view.take(pos, len(piece))
            cursor = pos + len(piece)
        else:
            lost, cursor = _align(view, piece, cursor, previous)
            found += lost
        previous = piece
    for piece in sorted(expected.optional, key=len, reverse=True):  # field results LibreOffice kept
        pos = view.find_free(piece, 0)
        if pos >= 0:
            view.take(pos, len(piece))
    for piece in sorted(expected.repeatable, key=len, reverse=True):  # table header rows on later pages
        pos = view.find_free(piece, 0)
        while pos >= 0:
            view.take(pos, len(piece))
            pos = view.find_free(piece, pos + len(piece))
    pos = 0
    while pos < len(text.text):
        if text.used[pos] or text.text[pos] in allowed:
            pos += 1
            continue
        end = pos
        while end < len(text.text) and not text.used[end] and text.text[end] not in allowed:
            end += 1
        found.append(Difference(text.page_of(pos), text.text[pos:end][:40], False))
        pos = end
    if not found:
        return []
    return _confirmed(found, expected, text, margins, allowed)


def _confirmed(found: list[Difference], expected: Expected, text: _Text, margins: bytearray,
               allowed: set[str]) -> list[Difference]:
    """Keep the differences that are real: where the two texts hold other characters.

    Why: LibreOffice draws the two halves of a table row split by a page break cell by cell,
    and frames out of their place, so the order of the PDF's text is not always the DOCX's;
    text that is only in another order is all there. The PDF's characters (headers and footers
    aside) are counted against the DOCX body's; what the PDF has over that may be table header
    rows repeated on later pages, and list numbers.
    """
    body = Counter("".join(expected.body))
    in_pdf = Counter(c for c, margin in zip(text.text, margins, strict=False) if not margin)
    missing = body - in_pdf
    extra = in_pdf - body
    for piece in sorted(expected.optional, key=len, reverse=True):
        need = Counter(piece)
        if all(extra[c] >= n for c, n in need.items()):
            extra -= need
    for piece in sorted(expected.repeatable, key=len, reverse=True):
        need = Counter(piece)
        while all(extra[c] >= n for c, n in need.items()):
            extra -= need
    extra = Counter({c: n for c, n in extra.items() if c not in allowed})
    if not missing and not extra:
        return []
    kept = [d for d in found if set(d.text) & set(missing if d.missing else extra)]
    if not kept:
        if missing:
            kept.append(Difference(0, "".join(sorted(missing.elements()))[:40], True))
        if extra:
            kept.append(Difference(0, "".join(sorted(extra.elements()))[:40], False))
    return sorted(kept, key=lambda d: (d.page, not d.missing))


def differences(pdf: bytes, expected: Expected) -> list[Difference]:
    return compare(expected, pdf_pages(pdf))


def describe(what: str, found: list[Difference]) -> str:
    """One message naming the document, the pages and the text that differ."""
    shown = "; ".join(str(d) for d in found[:MAX_REPORTED])
    if len(found) > MAX_REPORTED:
        return _("the PDF does not say what the DOCX says: {differences}; and {n} more").format(
            differences=shown, n=len(found) - MAX_REPORTED)
    return _("the PDF does not say what the DOCX says: {differences}").format(differences=shown)
