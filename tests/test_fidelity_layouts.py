"""Documents made to hit what lost text before: page breaks inside and between tables with a
repeated header, touching tables, and 。、， at the ends of justified lines."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from conftest import have_soffice
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen import fidelity
from docgen.config import Settings
from docgen.render import settle_layout

pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]

CLAUSE = "乙方应按照本合同及其附件的约定提供运维服务并接受甲方的监督与考核"


def _table(doc, rows: int, label: str) -> None:
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("级别", "工单数", "说明"), strict=True):
        cell.text = text
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    trpr.append(OxmlElement("w:cantSplit"))
    for i in range(rows):
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row.cells[0].text = f"{label}{i + 1}"
        row.cells[1].text = str((i * 37) % 250)
        row.cells[2].text = CLAUSE[: 6 + i % 20] + "。"


def _punctuated(doc) -> None:
    for n in range(18, 48):  # one of these lengths puts the 。 or 、 right at the margin
        p = doc.add_paragraph(CLAUSE[: n % len(CLAUSE)] + "，" + CLAUSE[: (n * 7) % 20] + "、日志、业务数据的规定。违约金从服务费中扣除。")
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = None


def _document(settled: bool = True) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "合同编号：TEST-001"
    for table_rows, label in ((3, "P"), (14, "Q"), (25, "R"), (2, "S")):
        doc.add_paragraph("表格前的说明文字。")
        _table(doc, table_rows, label)
        _table(doc, 4, f"{label}类")  # touching the one before: no paragraph between them
    _punctuated(doc)
    for table_rows, label in ((30, "T"), (7, "U")):
        _table(doc, table_rows, label)
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:eastAsia"), "宋体")
    rpr.append(fonts)
    if settled:
        settle_layout(doc)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_tables_across_page_breaks_and_line_end_punctuation_keep_every_character(tmp_path: Path):
    from docgen.convert import convert_one

    docx = _document()
    (tmp_path / "layout.docx").write_bytes(docx)
    pdf = convert_one(tmp_path / "layout.docx", Settings.from_environment())
    pages = fidelity.pdf_pages(pdf)
    assert len(pages) >= 4, "the document should span several pages"
    assert fidelity.differences(pdf, fidelity.expected_text(docx)) == []


def _run_xml(xml: str):
    from docx.oxml import parse_xml

    return parse_xml(f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{xml}</w:r>')


def test_hidden_text_field_results_and_symbols_are_not_taken_for_losses(tmp_path: Path):
    """What lawyers put in templates: hidden notes, a 目录 field with its cached result, a
    DATE field, a Wingdings check box."""
    from docgen.convert import convert_one

    doc = Document()
    p = doc.add_paragraph("可见的条款。")
    hidden = p.add_run("仅供起草人参考的隐藏批注")
    hidden.font.hidden = True
    for code, shown in ((' TOC \\o "1-3" ', "第一条 总则 1"), (" DATE \\@ yyyy ", "2026")):
        q = doc.add_paragraph("字段：")
        for xml in ('<w:fldChar w:fldCharType="begin"/>', f'<w:instrText xml:space="preserve">{code}</w:instrText>',
                    '<w:fldChar w:fldCharType="separate"/>', f"<w:t>{shown}</w:t>", '<w:fldChar w:fldCharType="end"/>'):
            q._p.append(_run_xml(xml))
    box = doc.add_paragraph("已阅读：")
    box._p.append(_run_xml('<w:sym w:font="Wingdings" w:char="F0FE"/>'))
    buf = BytesIO()
    doc.save(buf)
    (tmp_path / "fields.docx").write_bytes(buf.getvalue())
    pdf = convert_one(tmp_path / "fields.docx", Settings.from_environment())
    assert fidelity.differences(pdf, fidelity.expected_text(buf.getvalue())) == []
