"""Assemble PDF bundles: cover, 目录 with true start pages and page counts, bookmarks, metadata.

Why: cover, 目录 and the 草稿 watermark are drawn in-process with reportlab in a
TrueType subset of Noto Sans CJK SC (see fonts.subset_ttf), so bundles cost milliseconds rather
than extra LibreOffice runs. The 目录's own length is known before numbering (a fixed number of
rows per page), so its page numbers are right in one pass; a test checks them against the
bookmarks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .errors import BundleError
from .i18n import _
from .outputs import os_reason

MAX_PAGES = 5000


@dataclass(frozen=True)
class Member:
    """One document in a bundle."""

    title: str
    group: str
    pdf: Path
    id: str = ""      # the document's job id, recorded in the bundle for `docgen verify`
    digest: str = ""  # the document's inputs digest (manifest.inputs_digest)


BUNDLE_KEY = "/DocgenBundle"  # PDF metadata: the bundle's name and each member's pages and hashes


@dataclass(frozen=True)
class BundleInfo:
    """What the cover page and the PDF metadata say about a bundle."""

    name: str
    title: str
    period: str
    organisation: str
    date: str
    version: str
    keywords: str = ""


def read_member(member: Member) -> PdfReader:
    """Open a member PDF, refusing encrypted, truncated or non-PDF files by name."""
    try:
        data = member.pdf.read_bytes()
    except OSError as e:
        raise BundleError(_("bundle member {file}: cannot be read ({reason})").format(
            file=member.pdf, reason=os_reason(e))) from e
    if not data.startswith(b"%PDF-"):
        raise BundleError(_("bundle member {file}: not a PDF file").format(file=member.pdf))
    try:
        reader = PdfReader(BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise BundleError(_("bundle member {file}: the PDF is encrypted; bundles take unencrypted PDFs only")
                              .format(file=member.pdf))
        if len(reader.pages) < 1:
            raise BundleError(_("bundle member {file}: the PDF has no pages").format(file=member.pdf))
    except PyPdfError as e:
        # pypdf's own words say what is damaged
        raise BundleError(_("bundle member {file}: damaged PDF ({detail})").format(file=member.pdf, detail=e)) from e
    return reader


ROWS_PER_TOC_PAGE = 28
A4 = (595.276, 841.89)


@dataclass(frozen=True)
class Typeface:
    """The faces bundle pages are drawn in: a registered SC subset covering the bundles' text,
    the characters the full SC face has, and the fontconfig file that finds fallback faces."""

    name: str
    covered: frozenset[int]
    fontconfig: Path


def _register_font(text: str, cache: Path) -> str:
    """Register an SC subset covering `text` (reportlab embeds it as a TrueType subset) and
    return its name.

    Each subset is registered under its own name, so a later, different subset never replaces
    glyphs an earlier one provided.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from .fonts import subset_ttf

    path = subset_ttf(text, cache)
    name = f"docgen-{path.stem[-16:]}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@lru_cache(maxsize=4)
def _sc_chars(face: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(face), lazy=True).getBestCmap())


@lru_cache(maxsize=256)
def _fallback_font(char: str, fontconfig: Path) -> str | None:
    """Registered name of a TrueType face that has `char` (an emoji, Arabic, …), found through
    docgen's fontconfig; None when no installed face has it."""
    import subprocess

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig))
    try:
        listing = subprocess.run(["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True,
                                 env=env, timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    styled = ("Bold", "Italic", "Oblique", "Light", "Condensed", "Mono")  # prefer the plain, regular face
    files = sorted((line.rstrip(": ").strip() for line in listing.splitlines() if line.rstrip(": ").endswith(".ttf")),
                   key=lambda f: (any(w in Path(f).stem for w in styled), f))
    if not files:
        return None
    name = f"docgen-fallback-{Path(files[0]).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, files[0]))
    return name


def _runs(tf: Typeface, text: str) -> list[tuple[str, str]]:
    """`text` cut into (font, part) runs: the SC face where it has the character, a fallback face
    where it does not (so an emoji in a vendor's name is drawn, not left blank)."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = tf.name if ord(ch) in tf.covered or ch.isspace() else (_fallback_font(ch, tf.fontconfig) or tf.name)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def _width(c: Any, tf: Typeface, text: str, size: float) -> float:
    return sum(c.stringWidth(part, font, size) for font, part in _runs(tf, text))


def _draw(c: Any, tf: Typeface, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """Draw `text` at (x, y), aligned left, centre or right, switching faces where needed."""
    if align == "centre":
        x -= _width(c, tf, text, size) / 2
    elif align == "right":
        x -= _width(c, tf, text, size)
    for font, part in _runs(tf, text):
        c.setFont(font, size)
        c.drawString(x, y, part)
        x += c.stringWidth(part, font, size)
    c.setFont(tf.name, size)


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """`text` cut into lines that each `fits`, at any character (Chinese has no spaces to break
    at), never cutting before a closing bracket or punctuation mark (避头点)."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and not fits(line + ch) and ch not in NO_LINE_START:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


NO_LINE_START = frozenset("，。、；：？！）》」』】〕…—,.;:?!)]}%")


def _draw_lines(c: Any, tf: Typeface, x: float, y: float, text: str, size: float, width: float) -> None:
    """Centred lines of `text` from `y` down, wrapped to `width`: a long subtitle wraps rather
    than running off the page."""
    for i, line in enumerate(wrap(text, lambda t: _width(c, tf, t, size) <= width)):
        _draw(c, tf, x, y - i * size * 1.35, line, size, "centre")


def _canvas(buf: BytesIO, tf: Typeface, size: tuple[float, float] = A4) -> Any:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(buf, pagesize=size, initialFontName=tf.name, initialFontSize=10, invariant=1)
    c.setFont(tf.name, 10)
    return c


def _front_pages(entries: int) -> int:
    return 1 + max(1, -(-entries // ROWS_PER_TOC_PAGE))


def _front_pdf(info: BundleInfo, entries: list[Entry], tf: Typeface, draft: bool) -> bytes:
    """Cover page and 目录 (as many pages as the entries need)."""
    from reportlab.lib.units import cm

    buf = BytesIO()
    c = _canvas(buf, tf)
    width, height = A4
    usable = width - 5 * cm
    _draw_lines(c, tf, width / 2, height - 7 * cm, info.organisation, 16, usable)
    _draw_lines(c, tf, width / 2, height - 10 * cm, info.title, 28, usable)
    _draw_lines(c, tf, width / 2, height - 12 * cm, info.period + ("（草稿）" if draft else ""), 16, usable)
    for i, line in enumerate((f"编制日期：{info.date}", f"版本：{info.version}", f"共 {len(entries)} 份文件")):
        _draw(c, tf, width / 2, height - (19 + i * 0.9) * cm, line, 13, "centre")
    c.showPage()
    left, right = 2.5 * cm, width - 2.5 * cm
    for first in range(0, max(len(entries), 1), ROWS_PER_TOC_PAGE):
        c.setFont(tf.name, 18)
        c.drawCentredString(width / 2, height - 3 * cm, "目　　录")
        y = height - 4.6 * cm
        c.setFont(tf.name, 10.5)
        c.drawString(left, y, "序号")
        c.drawString(left + 1.4 * cm, y, "文件")
        c.drawString(left + 10.0 * cm, y, "单位")
        c.drawRightString(right - 1.8 * cm, y, "页数")
        c.drawRightString(right, y, "起始页")
        c.line(left, y - 0.25 * cm, right, y - 0.25 * cm)
        for index, member, page, count in entries[first:first + ROWS_PER_TOC_PAGE]:
            y -= 0.78 * cm
            c.drawString(left, y, str(index))
            _draw(c, tf, left + 1.4 * cm, y, member.title, 10.5)
            _draw(c, tf, left + 10.0 * cm, y, member.group, 10.5)
            c.drawRightString(right - 1.8 * cm, y, str(count))
            c.drawRightString(right, y, str(page))
            c.setDash(1, 2)
            c.line(left + 1.4 * cm + _width(c, tf, member.title, 10.5) + 4, y + 2, left + 10.0 * cm - 4, y + 2)
            c.setDash()
        c.showPage()
    c.save()
    texts = [info.organisation, info.title, info.period] + [m.title + m.group for _i, m, _p, _c in entries]
    if any(ord(ch) > 0xFFFF for text in texts for ch in text):
        return _fix_astral_tounicode(buf.getvalue())
    return buf.getvalue()


_ASTRAL = re.compile(rb"<([0-9A-Fa-f]{5,6})>")


def _utf16(match: re.Match[bytes]) -> bytes:
    return b"<" + chr(int(match.group(1), 16)).encode("utf-16-be").hex().upper().encode() + b">"


def _fix_astral_tounicode(pdf: bytes) -> bytes:
    """Write characters beyond U+FFFF (emoji) in the fonts' ToUnicode maps as UTF-16 pairs.

    reportlab writes them as five hex digits, which readers take for a different character, so
    copying 🚀 from a 目录 page would give 'Ὠ'."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    changed = False
    for page in writer.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            cmap = font.get_object().get("/ToUnicode")
            if cmap is None:
                continue
            stream = cmap.get_object()
            data = stream.get_data()
            fixed = _ASTRAL.sub(_utf16, data)
            if fixed != data:
                stream.set_data(fixed)
                changed = True
    if not changed:
        return pdf
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp_pdf(sizes: list[tuple[float, float]], tf: Typeface, draft: bool) -> bytes:
    """One overlay page per bundle page with a light diagonal 草稿 (a draft bundle)."""
    buf = BytesIO()
    c = _canvas(buf, tf, sizes[0])
    for width, height in sizes:
        c.setPageSize((width, height))
        if draft:
            c.saveState()
            c.setFillGray(0.55)
            c.setFillAlpha(0.25)
            c.setFont(tf.name, 110)
            c.translate(width / 2, height / 2)
            c.rotate(45)
            c.drawCentredString(0, -40, "草稿")
            c.restoreState()
        c.showPage()
    c.save()
    return buf.getvalue()


Entry = tuple[int, "Member", int, int]
"""(number in the 目录, member, first page in the bundle, pages)"""


def _entries(members: Sequence[Member], readers: Sequence[PdfReader]) -> list[Entry]:
    page = _front_pages(len(members)) + 1
    out = []
    for i, (member, reader) in enumerate(zip(members, readers, strict=True), start=1):
        out.append((i, member, page, len(reader.pages)))
        page += len(reader.pages)
    return out


def prepare_font(bundles: Sequence[tuple[BundleInfo, Sequence[Member]]], cache: Path) -> Typeface:
    """Register one font subset covering the text of every bundle about to be made (the subset
    is kept in docgen's cache folder `cache`)."""
    text = "草稿目录序号文件单位页数起始编制日期版本共份第页（）：　" + "".join(
        info.title + info.period + info.organisation + info.date + info.version
        + "".join(m.title + m.group for m in members) for info, members in bundles)
    from .fonts import face_file, prepare

    return Typeface(_register_font(text, cache), _sc_chars(face_file(cache)), prepare(cache))


def assemble(info: BundleInfo, members: Sequence[Member], typeface: Typeface, *, draft: bool = False) -> bytes:
    """One bundle's PDF bytes (call prepare_font first); BundleError names an unusable member."""
    readers = [read_member(m) for m in members]
    total = sum(len(r.pages) for r in readers)
    if total > MAX_PAGES:
        raise BundleError(_("bundle {name}: {pages} pages, over the limit of {limit}").format(
            name=info.name, pages=total, limit=MAX_PAGES))
    entries = _entries(members, readers)
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(_front_pdf(info, entries, typeface, draft))), import_outline=False)
    parents: dict[str, Any] = {}
    nest = len({m.group for m in members}) > 1
    for (_index, member, start, _count), reader in zip(entries, readers, strict=True):
        writer.append(reader, import_outline=False)
        parent = None
        if nest:
            if member.group not in parents:
                parents[member.group] = writer.add_outline_item(title=member.group, page_number=start - 1)
            parent = parents[member.group]
        writer.add_outline_item(title=member.title, page_number=start - 1, parent=parent)
    # each document keeps its own page numbers (第 X 页 共 Y 页), so a page carries one number;
    # the 目录 gives each document's first page in the bundle and its page count
    if draft:
        sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
        overlay = PdfReader(BytesIO(_stamp_pdf(sizes, typeface, draft)))
        for page, mark in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(mark)
    import hashlib
    import json

    members_of = [{"id": member.id, "first": start, "pages": len(reader.pages), "digest": member.digest,
                   "sha256": hashlib.sha256(member.pdf.read_bytes()).hexdigest()}
                  for (_index, member, start, _count), reader in zip(entries, readers, strict=True)]
    writer.add_metadata({
        BUNDLE_KEY: json.dumps({"bundle": info.name, "members": members_of}, ensure_ascii=True, sort_keys=True),
        "/Title": info.title + (f" {info.period}" if info.period else ""),
        "/Author": info.organisation,
        "/Subject": f"{info.title}（{info.period}，版本 {info.version}）",
        "/Keywords": info.keywords,
        "/Creator": "docgen",
    })
    writer.page_mode = "/UseOutlines"
    buf = BytesIO()
    writer.write(buf)
    return buf.getvalue()


def assemble_all(bundles: Sequence[tuple[BundleInfo, Sequence[Member]]], cache: Path, *,
                 draft: bool = False) -> list[bytes]:
    """Every bundle's PDF bytes (for a few bundles; builds make them one at a time)."""
    typeface = prepare_font(bundles, cache)
    return [assemble(info, members, typeface, draft=draft) for info, members in bundles]
