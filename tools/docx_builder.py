"""Building blocks for writing docgen's DOCX templates with python-docx.

Why: the shipped templates are real Word files that lawyers edit; these helpers give every
template the same page setup, Chinese fonts (w:eastAsia + w:lang zh-CN), clause numbering,
bordered tables with repeating header rows and a 第 X 页 共 Y 页 footer made of page fields.
Scripts in tools/ use them to (re)create the templates; after that the .docx files are the source.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

SONG = "宋体"
HEI = "黑体"
LATIN = "Times New Roman"
CN_NUM = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (clause numbers up to 99)."""
    if n < 10:
        return CN_NUM[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens]) + "十" + (CN_NUM[ones] if ones else "")


def _set_run_fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    # a theme font wins over the named one in Word (ECMA-376 17.3.2.26): drop them, so Word shows
    # 黑体 in headings as LibreOffice does
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


@dataclass(frozen=True)
class _Look:
    """How a style looks: East Asian font, size and spacing in points, line spacing as a multiple of the line,
    first-line indent in characters; `line` or `align` None leaves the style's own."""

    font: str
    size: float
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH | None = None
    before: float = 0
    after: float = 0
    line: float | None = 1.5
    indent_chars: float = 0


def _style(doc, name: str, look: _Look):
    style = doc.styles[name]
    style.font.size = Pt(look.size)
    style.font.bold = look.bold
    style.font.name = LATIN
    _set_run_fonts(style.element.get_or_add_rPr(), look.font)
    pf = style.paragraph_format
    pf.space_before = Pt(look.before)
    pf.space_after = Pt(look.after)
    if look.line is not None:
        pf.line_spacing = look.line
    if look.align is not None:
        pf.alignment = look.align
    if look.indent_chars:
        pf.first_line_indent = Pt(look.size * look.indent_chars)
    return style


def new_document() -> Document:
    """An A4 document with 宋体 小四 body, 黑体 headings and zh-CN language defaults."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.0)
    section.header_distance = section.footer_distance = Cm(1.5)
    # document defaults: every run without its own fonts is 宋体 / zh-CN
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_run_fonts(rpr_default, SONG)
    _style(doc, "Normal", _Look(font=SONG, size=12, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2))
    _style(doc, "Title", _Look(font=HEI, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=12,
                               line=1.2))
    _style(doc, "Heading 1", _Look(font=HEI, size=14, bold=True, before=12, after=6, line=1.5))
    _style(doc, "Heading 2", _Look(font=HEI, size=12, bold=True, before=6, after=3, line=1.5))
    title_ppr = doc.styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    for name in ("Title", "Heading 1", "Heading 2"):
        st = doc.styles[name]
        st.font.color.rgb = None
        st.paragraph_format.first_line_indent = Pt(0)
        for el in st.element.get_or_add_rPr().findall(qn("w:color")):
            el.getparent().remove(el)
        st.paragraph_format.keep_with_next = True
    _style(doc, "Header", _Look(font=SONG, size=9, align=WD_ALIGN_PARAGRAPH.RIGHT, line=1.0))
    _style(doc, "Footer", _Look(font=SONG, size=9, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.0))
    table_text = doc.styles.add_style("表格文字", 1)
    table_text.base_style = doc.styles["Normal"]
    _style(doc, "表格文字", _Look(font=SONG, size=10.5, align=WD_ALIGN_PARAGRAPH.LEFT, line=1.15))
    table_text.paragraph_format.first_line_indent = Pt(0)
    plain = doc.styles.add_style("无缩进", 1)
    plain.base_style = doc.styles["Normal"]
    _style(doc, "无缩进", _Look(font=SONG, size=12, align=WD_ALIGN_PARAGRAPH.LEFT))
    plain.paragraph_format.first_line_indent = Pt(0)
    # drop the default empty paragraph
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    return doc


def set_core_properties(doc, *, title: str, subject: str) -> None:
    props = doc.core_properties
    props.title, props.subject, props.author = title, subject, "docgen"
    props.language = "zh-CN"


def _field(paragraph, instr: str, placeholder: str = "1") -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    def fld(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    fld("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run._r.append(text)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def header_footer(doc, header_text: str) -> None:
    """Header with `header_text` (may hold jinja tags) and footer 第 X 页 共 Y 页."""
    section = doc.sections[0]
    hp = section.header.paragraphs[0]
    hp.style = doc.styles["Header"]
    hp.text = header_text
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    pbdr.append(bottom)
    hp._p.get_or_add_pPr().append(pbdr)
    fp = section.footer.paragraphs[0]
    fp.style = doc.styles["Footer"]
    fp.add_run("第 ")
    _field(fp, "PAGE")
    fp.add_run(" 页 共 ")
    _field(fp, "NUMPAGES")
    fp.add_run(" 页")


def title(doc, text: str) -> None:
    doc.add_paragraph(text, style="Title")


def heading(doc, text: str, level: int = 1) -> None:
    doc.add_paragraph(text, style=f"Heading {level}")


def para(doc, text: str = "", *, style: str = "Normal", bold: bool = False, align=None):
    p = doc.add_paragraph(style=style)
    # **…** marks a part in bold (a term 民法典 第496条 asks to bring to the other party's notice)
    for i, part in enumerate(text.split("**") if text else []):
        if part:
            p.add_run(part).bold = bold or i % 2 == 1
    if align is not None:
        p.alignment = align
    return p


class Clauses:
    """Clause headings 第一条, 第二条 … numbered in writing order, with items 1.1, 1.2 …"""

    def __init__(self, doc) -> None:
        self.doc, self.n = doc, 0

    def __call__(self, name: str) -> None:
        self.n += 1
        heading(self.doc, f"第{cn_number(self.n)}条　{name}")

    def items(self, *texts: str) -> None:
        for i, text in enumerate(texts, start=1):
            para(self.doc, f"{self.n}.{i}　{text}")


def tag(doc, text: str):
    """A paragraph holding only a docxtpl paragraph tag such as '{%p if x %}'."""
    return doc.add_paragraph(text, style="无缩进")


def page_break(doc) -> None:
    doc.add_paragraph(style="无缩进").add_run().add_break(WD_BREAK.PAGE)


def _borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(k), v)
        borders.append(el)
    tbl_pr.append(borders)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def table(doc, header: list[str], rows: list[list[str]], *, widths_cm: list[float] | None = None,
          font_pt: float | None = None):
    """A bordered table whose first row repeats on every page.

    For a row loop, pass rows such as [["{%tr for x in xs %}"], [...cells...], ["{%tr endfor %}"]]:
    a one-cell row is widened to span the table so docxtpl can drop it.
    """
    t = doc.add_table(rows=1, cols=len(header))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(t)
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = ""
        p = cell.paragraphs[0]
        p.style = doc.styles["表格文字"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        _set_run_fonts(run._r.get_or_add_rPr(), HEI)
        _shade(cell, "D9D9D9")
    _repeat_header(t.rows[0])
    for values in rows:
        row = t.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if len(values) == 1 and len(header) > 1:
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = ""
            merged.paragraphs[0].style = doc.styles["表格文字"]
            merged.paragraphs[0].add_run(values[0])
            continue
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].style = doc.styles["表格文字"]
            cell.paragraphs[0].add_run(text)
    if widths_cm:
        set_widths(t, widths_cm)
    if font_pt is not None:  # a wide table of figures: smaller type keeps each amount on one line
        for row in t.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(font_pt)
    return t


def set_widths(t, widths_cm: list[float]) -> None:
    """Column widths that both Word (cell widths) and LibreOffice (grid columns) honour."""
    t.autofit = False
    for col, w in zip(t.columns, widths_cm, strict=False):
        col.width = Cm(w)
    for row in t.rows:
        col = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(widths_cm[col:col + span]))
            col += span


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def signature_table(doc, parties: list[tuple[str, str]]) -> None:
    """Every party's signature block side by side in one table row that never splits, so the
    blocks always share a page (LibreOffice does not keep two tables together, whatever the
    keep-with-next of their paragraphs). Each block has an empty area for the seal; never a
    drawn seal."""
    t = doc.add_table(rows=1, cols=len(parties))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(t)
    for cell, (label, name_expr) in zip(t.rows[0].cells, parties, strict=True):
        lines = [f"{label}（盖章）：{name_expr}", "", "法定代表人或授权代表（签字）：", "", "",
                 "日期：　　　　年　　月　　日", "", "（盖章处）", "", ""]
        cell.text = ""
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.style = doc.styles["表格文字"]
            if line == "（盖章处）":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line)
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    set_widths(t, [15.0 / len(parties)] * len(parties))


TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_DRAFTS: dict[str, Path] = {}  # "root": the folder drafts go to (draft_args --out)


def draft_args(description: str) -> None:
    """`--out DIR` for a script that writes first drafts of templates: the drafts go to DIR
    (default: the repository's templates/ folder) under their usual names."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write the drafts into, e.g. /tmp/drafts (default: templates/, "
                             "where only files that do not exist yet are written)")
    out = parser.parse_args().out
    if out is not None:
        _DRAFTS["root"] = out.resolve()


def save(doc, path: Path) -> None:
    """Save `doc` without the parts python-docx's blank document carries but no template uses.

    The templates are the lawyers' files: a file that exists is never overwritten. With
    `--out DIR` (draft_args) the draft is written under DIR instead, to compare with the file
    a lawyer edited."""
    if "root" in _DRAFTS and path.resolve().is_relative_to(TEMPLATES):
        path = _DRAFTS["root"] / path.resolve().relative_to(TEMPLATES)
    if path.exists():
        raise SystemExit(f"{path} exists and is kept: the templates are edited in Word or LibreOffice, not "
                         "written again from this script. Write a fresh draft elsewhere with --out DIR.")
    _prune_styles(doc)
    buf = BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_without_unused_parts(buf.getvalue()))
    print(f"wrote {path}")


def _prune_styles(doc) -> None:
    """Keep only the styles the template uses, their basedOn/link/next chains and the defaults.

    python-docx's blank document defines 166 styles (most of them Word's table styles) in 350 KB.
    LibreOffice imports every one of them for every document it converts; dropping the unused
    ones takes about a third off each conversion and changes no page.
    """
    styles = doc.styles.element
    used: set[str] = set()
    parts = [doc.part] + [rel.target_part for rel in doc.part.rels.values() if not rel.is_external]
    for part in parts:
        element = getattr(part, "element", None)
        if element is None or element is styles:
            continue
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink"):
            used.update(el.get(qn("w:val")) for el in element.iter(qn(tag)))
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    keep = {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"} | (used & by_id.keys())
    todo = list(keep)
    while todo:
        style = by_id[todo.pop()]
        for tag in ("w:basedOn", "w:link", "w:next"):
            el = style.find(qn(tag))
            target = el.get(qn("w:val")) if el is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)


UNUSED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def _without_unused_parts(data: bytes) -> bytes:
    """Drop Word 2010's stylesWithEffects copy (438 KB, read by nothing docgen uses) and the
    blank document's thumbnail (a picture of a page that is not this template), with their
    relationships; members get a fixed date so a re-run writes identical bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            if name in UNUSED_PARTS:
                continue
            body = zin.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                for gone in UNUSED_PARTS:
                    target = re.escape(gone.rsplit("/", 1)[-1]).encode()
                    body = re.sub(rb"<Relationship [^>]*Target=\"[^\"]*" + target + rb"\"[^>]*/>", b"", body)
                    body = re.sub(rb"<Override PartName=\"/" + re.escape(gone).encode() + rb"\"[^>]*/>", b"", body)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, body)
    return out.getvalue()
