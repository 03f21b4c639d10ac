"""Write templates/forms/leave_form.docx and change_form.docx (运维人员请销假 / 变更登记表)."""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_builder import (  # noqa: E402
    _borders,
    _set_run_fonts,
    _shade,
    draft_args,
    header_footer,
    new_document,
    para,
    save,
    set_core_properties,
    set_widths,
    title,
)

ROOT = Path(__file__).resolve().parents[1]


def form_table(doc, rows: list[list[tuple[str, int]]], label_cols: set[int] | None = None):
    """A bordered 6-column form; each row is a list of (text, span) cells.

    Cells at even positions of a row are labels (shaded, 黑体) unless the row has a single cell.
    """
    ncols = 6
    t = doc.add_table(rows=len(rows), cols=ncols)
    _borders(t)
    widths = [2.2, 2.9, 1.9, 3.0, 2.2, 2.8]
    for r, cells in enumerate(rows):
        row = t.rows[r]
        col = 0
        for i, (text, span) in enumerate(cells):
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
            cell.text = ""
            lines = text.split("\n")
            for j, line in enumerate(lines):
                p = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                p.style = doc.styles["表格文字"]
                run = p.add_run(line)
                is_label = len(cells) > 1 and i % 2 == 0
                if is_label:
                    run.bold = True
                    _set_run_fonts(run._r.get_or_add_rPr(), "黑体")
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if len(cells) > 1 and i % 2 == 0:
                _shade(cell, "F2F2F2")
            col += span
    set_widths(t, widths)
    return t


def leave_form() -> None:
    doc = new_document()
    set_core_properties(doc, title="运维人员请销假登记表", subject="请销假登记")
    header_footer(doc, "编号：{{ doc.number }}")
    title(doc, "运维人员请销假登记表")
    para(doc, "项目：{{ agreement.project_name }}（合同编号 {{ agreement.contract_no }}）", style="无缩进")
    form_table(doc, [
        [("姓名", 1), ("{{ person.name }}", 1), ("岗位", 1), ("{{ person.role }}", 1), ("值守类型", 1),
         ("{{ person.post_type }}", 1)],
        [("所属单位", 1), ("{{ vendor.name }}", 3), ("联系电话", 1), ("{{ person.phone }}", 1)],
        [("请假类型", 1), ("{{ leave.type }}", 1), ("请假时长", 1), ("{{ leave.hours }} 小时", 1), ("函件编号", 1),
         ("{% if leave.vendor_letter_no %}{{ leave.vendor_letter_no }}{% else %}—{% endif %}", 1)],
        [("起止时间", 1), ("自 {{ leave.start|cn_datetime }} 至 {{ leave.end|cn_datetime }}", 5)],
        [("请假事由", 1), ("{{ leave.reason }}", 5)],
        [("替岗人员", 1),
         ("{% if substitute %}{{ substitute.name }}（{{ substitute.role }}）{% else %}无{% endif %}", 3),
         ("替岗电话", 1), ("{% if substitute %}{{ substitute.phone }}{% else %}—{% endif %}", 1)],
        [("工作交接", 1), ("{% if leave.handover %}{{ leave.handover }}{% else %}无需交接{% endif %}", 5)],
        [("制度要求", 1),
         ("依据《{{ policy.title }}》（{{ policy.version }}）：请假须事前申请；"
          "超过 {{ policy.leave.letter_over_hours }} "
          "小时须由乙方出具书面函{% if calc.needs_letter %}（本次需要，已附函件）{% endif %}；超过 "
          "{{ policy.leave.substitute_over_hours }} 小时须安排替岗人员"
          "{% if calc.needs_substitute %}（本次需要，已安排）"
          "{% endif %}。", 5)],
        [("乙方负责人意见", 1), ("\n\n签字：　　　　　　　　日期：　　　　年　　月　　日", 5)],
        [("甲方审批意见", 1),
         ("审批人：{{ leave.approved_by }}\n\n签字：　　　　　　　　日期：　　　　年　　月　　日", 5)],
        [("销假确认", 1),
         ("{% if leave.returned %}已于 {{ leave.returned|cn_datetime }} 返岗销假。{% else %}尚未销假。{% endif %}"
          "\n\n确认人签字：　　　　　　　　日期：　　　　年　　月　　日", 5)],
    ])
    para(doc, "说明：本表一式两份，甲乙双方各执一份；超出请假时间未销假的，按管理办法认定为迟到、早退、脱岗或旷工，"
         "相应违约金由乙方承担并从服务费中扣除。", style="无缩进").runs[0].font.size = Pt(9)
    save(doc, ROOT / "templates/forms/leave_form.docx")


def change_form() -> None:
    doc = new_document()
    set_core_properties(doc, title="运维人员变更登记表", subject="人员变更登记")
    header_footer(doc, "编号：{{ doc.number }}")
    title(doc, "运维人员变更登记表")
    para(doc, "项目：{{ agreement.project_name }}（合同编号 {{ agreement.contract_no }}）", style="无缩进")
    form_table(doc, [
        [("变更类型", 1), ("{{ change.type }}", 1), ("乙方单位", 1), ("{{ vendor.name }}", 3)],
        [("原人员", 1),
         ("{% if old %}{{ old.name }}（{{ old.role }}，{{ old.post_type }}）{% else %}—{% endif %}", 3),
         ("从业年限", 1), ("{% if old %}{{ old.years_experience }} 年{% else %}—{% endif %}", 1)],
        [("原人员证书", 1),
         ("{% if old and old.certificates %}{{ old.certificates|join('、') }}"
          "{% elif old %}无{% else %}—{% endif %}", 5)],
        [("新人员", 1),
         ("{% if change.new_person %}{{ change.new_person.name }}（{{ change.new_person.role }}）"
          "{% else %}—{% endif %}", 3),
         ("从业年限", 1),
         ("{% if change.new_person %}{{ change.new_person.years_experience }} 年{% else %}—{% endif %}", 1)],
        [("新人员证书", 1),
         ("{% if change.new_person and change.new_person.certificates %}{{ change.new_person.certificates|join('、') }}"
          "{% elif change.new_person %}无{% else %}—{% endif %}", 5)],
        [("变更原因", 1), ("{{ change.reason }}", 5)],
        [("提出日期", 1), ("{{ change.requested|cn_date }}", 1), ("生效日期", 1), ("{{ change.effective|cn_date }}", 1),
         ("函件编号", 1), ("{{ change.vendor_letter_no }}", 1)],
        [("提前告知", 1),
         ("提前 {{ calc.notice_workdays }} 个工作日（管理办法要求不少于 {{ calc.required_workdays }} 个工作日）："
          "{% if calc.notice_ok %}符合要求{% else %}不足，须经甲方书面同意{% endif %}", 5)],
        [("交接内容", 1),
         ("{% for item in change.handover %}{{ loop.index }}. {{ item }}{% if not loop.last %}；{% endif %}"
          "{% else %}无{% endfor %}", 5)],
        [("权限回收确认", 1), ("{% if change.access_revoked %}☑ 已回收{% else %}☐ 未回收{% endif %}", 2),
         ("保密承诺书", 1), ("{% if change.pledge_signed %}☑ 已签署{% else %}☐ 未签署{% endif %}", 2)],
        [("乙方意见", 1), ("\n\n（盖章）　　　签字：　　　　　　日期：　　　　年　　月　　日", 5)],
        [("甲方意见", 1), ("\n\n（盖章）　　　签字：　　　　　　日期：　　　　年　　月　　日", 5)],
    ])
    para(doc, "说明：人员变更须由乙方出具书面函并经双方协商一致；新人员资质不得低于原人员，"
         "上岗前须签署个人保密承诺书；离场人员的账号与权限须在离场当日回收。", style="无缩进").runs[0].font.size = Pt(9)
    save(doc, ROOT / "templates/forms/change_form.docx")


if __name__ == "__main__":
    draft_args('First drafts of the leave and change forms.')
    leave_form()
    change_form()
