"""Assemble PDF bundles: cover, 目录 with true start pages, bookmarks, page stamps, metadata.

Why: cover, 目录 and page stamps are Chinese text, so they are made as small DOCX files and
converted by the same LibreOffice setup as the documents (embedded Noto CJK SC faces), then
laid over or put in front of the members with pypdf. The 目录 needs its own length before it
can number the pages after it, so the front matter is made twice when its first guess was wrong.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .convert import Outcome, convert
from .errors import BundleError

MAX_PAGES = 5000


@dataclass(frozen=True)
class Member:
    """One document in a bundle."""

    title: str
    group: str
    pdf: Path


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


@dataclass
class _Work:
    info: BundleInfo
    members: Sequence[Member]
    readers: list[PdfReader] = field(default_factory=list)
    front_pages: int = 2
    front: bytes = b""


def read_member(member: Member) -> PdfReader:
    """Open a member PDF, refusing encrypted, truncated or non-PDF files by name."""
    try:
        data = member.pdf.read_bytes()
    except OSError as e:
        raise BundleError(f"bundle member {member.pdf}: cannot be read ({e.strerror})") from e
    if not data.startswith(b"%PDF-"):
        raise BundleError(f"bundle member {member.pdf}: not a PDF file")
    try:
        reader = PdfReader(BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise BundleError(f"bundle member {member.pdf}: the PDF is encrypted; bundles take unencrypted PDFs only")
        if len(reader.pages) < 1:
            raise BundleError(f"bundle member {member.pdf}: the PDF has no pages")
    except PyPdfError as e:
        raise BundleError(f"bundle member {member.pdf}: damaged PDF ({e})") from e
    return reader


def _fonts(run, east_asia: str = "宋体", size: float | None = None, bold: bool = False) -> None:
    rpr = run._r.get_or_add_rPr()
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), east_asia)
    fonts.set(qn("w:hAnsi"), east_asia)
    rpr.insert(0, fonts)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _page_setup(doc: Document, *, bottom: float = 2.54, footer: float = 1.5) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.54), Cm(bottom)
    section.left_margin = section.right_margin = Cm(3.0)
    section.footer_distance = Cm(footer)


def _line(doc: Document, text: str, *, size: float, bold: bool = False, font: str = "宋体",
          align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, before: float = 0) -> None:
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    _fonts(p.add_run(text), font, size, bold)


def _front_docx(info: BundleInfo, entries: list[tuple[int, Member, int]], draft: bool) -> bytes:
    """Cover page and 目录 listing each member with its start page."""
    doc = Document()
    _page_setup(doc)
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    _line(doc, info.organisation, size=16, font="黑体", before=120)
    _line(doc, info.title, size=26, bold=True, font="黑体", before=24)
    _line(doc, info.period, size=16, before=24)
    if draft:
        _line(doc, "（草稿）", size=16, before=6)
    _line(doc, f"编制日期：{info.date}", size=14, before=180)
    _line(doc, f"版本：{info.version}", size=14, before=6)
    _line(doc, f"共 {len(entries)} 份文件", size=14, before=6)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _line(doc, "目　　录", size=18, bold=True, font="黑体", before=0)
    table = doc.add_table(rows=1, cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.style = doc.styles["Table Grid"]
    widths = (Cm(1.4), Cm(8.6), Cm(3.6), Cm(1.4))
    for cell, text, width in zip(table.rows[0].cells, ("序号", "文件", "单位", "页码"), widths, strict=True):
        cell.width = width
        _fonts(cell.paragraphs[0].add_run(text), "黑体", 10.5, True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for index, member, page in entries:
        cells = table.add_row().cells
        for cell, text, width, align in zip(
            cells, (str(index), member.title, member.group, str(page)), widths,
            (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT),
            strict=True,
        ):
            cell.width = width
            cell.paragraphs[0].alignment = align
            _fonts(cell.paragraphs[0].add_run(text), "宋体", 10.5)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _field(paragraph, instr: str) -> None:
    for kind in ("begin", "instr", "separate", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        _fonts(run, "宋体", 8)
        if kind == "separate":
            _fonts(paragraph.add_run("1"), "宋体", 8)


def stamp_docx(pages: int) -> bytes:
    """`pages` empty A4 pages whose footer reads 第 n 页 / 共 N 页, placed below the documents' own footers."""
    doc = Document()
    _page_setup(doc, bottom=1.0, footer=0.45)
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    for i in range(pages):
        p = doc.add_paragraph()
        if i < pages - 1:
            p.add_run().add_break(WD_BREAK.PAGE)
        else:
            p.add_run("\u00a0")
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _fonts(footer.add_run("第 "), "宋体", 8)
    _field(footer, "PAGE")
    _fonts(footer.add_run(f" 页 / 共 {pages} 页"), "宋体", 8)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _entries(work: _Work) -> list[tuple[int, Member, int]]:
    page = work.front_pages + 1
    out = []
    for i, (member, reader) in enumerate(zip(work.members, work.readers, strict=True), start=1):
        out.append((i, member, page))
        page += len(reader.pages)
    return out


def _convert_bytes(docs: list[bytes], *, jobs: int | None, watermark: str | None = None) -> list[Outcome]:
    with tempfile.TemporaryDirectory(prefix="docgen-bundle-") as tmp:
        paths = []
        for i, data in enumerate(docs):
            path = Path(tmp) / f"b{i:04d}.docx"
            path.write_bytes(data)
            paths.append(path)
        return convert(paths, jobs=jobs, watermark=watermark)


def _pages(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def assemble_all(bundles: Sequence[tuple[BundleInfo, Sequence[Member]]], *, draft: bool = False,
                 jobs: int | None = None) -> list[bytes]:
    """Make every bundle's PDF bytes; raises BundleError naming the first unusable member."""
    works = [_Work(info, members, [read_member(m) for m in members]) for info, members in bundles]
    for work in works:
        total = sum(len(r.pages) for r in work.readers)
        if total > MAX_PAGES:
            raise BundleError(f"bundle {work.info.name}: {total} pages, over the limit of {MAX_PAGES}")
    pending = list(works)
    for _ in range(3):  # the 目录 may change length once; a third pass never should be needed
        outcomes = _convert_bytes([_front_docx(w.info, _entries(w), draft) for w in pending], jobs=jobs)
        still = []
        for work, outcome in zip(pending, outcomes, strict=True):
            if outcome.pdf is None:
                raise BundleError(f"bundle {work.info.name}: cover and 目录 could not be made: {outcome.error}")
            made = _pages(outcome.pdf)
            if made == work.front_pages:
                work.front = outcome.pdf
            else:
                work.front_pages = made
                still.append(work)
        pending = still
        if not pending:
            break
    else:
        raise BundleError(f"bundle {pending[0].info.name}: the 目录 page numbers did not settle")
    results = []
    for work in works:
        writer = PdfWriter()
        writer.append(PdfReader(BytesIO(work.front)), import_outline=False)
        parents: dict[str, object] = {}
        nest = len({m.group for m in work.members}) > 1
        for (_, member, start), reader in zip(_entries(work), work.readers, strict=True):
            writer.append(reader, import_outline=False)
            parent = None
            if nest:
                if member.group not in parents:
                    parents[member.group] = writer.add_outline_item(title=member.group, page_number=start - 1)
                parent = parents[member.group]
            writer.add_outline_item(title=member.title, page_number=start - 1, parent=parent)
        results.append(writer)
    stamps = _convert_bytes([stamp_docx(len(w.pages)) for w in results], jobs=jobs,
                            watermark="草稿" if draft else None)
    out = []
    for work, writer, stamp in zip(works, results, stamps, strict=True):
        if stamp.pdf is None:
            raise BundleError(f"bundle {work.info.name}: page stamps could not be made: {stamp.error}")
        overlay = PdfReader(BytesIO(stamp.pdf))
        if len(overlay.pages) != len(writer.pages):
            raise BundleError(f"bundle {work.info.name}: {len(overlay.pages)} stamp pages for {len(writer.pages)} pages")
        for page, mark in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(mark)
        info = work.info
        writer.add_metadata({
            "/Title": info.title + (f" {info.period}" if info.period else ""),
            "/Author": info.organisation,
            "/Subject": f"{info.title}（{info.period}，版本 {info.version}）",
            "/Keywords": info.keywords,
            "/Creator": "docgen",
        })
        writer.page_mode = "/UseOutlines"
        buf = BytesIO()
        writer.write(buf)
        out.append(buf.getvalue())
    return out
