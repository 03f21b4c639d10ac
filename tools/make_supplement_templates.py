"""Write templates/contracts/supplement.docx (《运维外包服务合同》补充协议).

Why: when a policy revision or a change of terms reaches an agreement that is already signed,
docgen keeps the signed documents as they are and drafts this agreement instead: the parties,
the original contract's number and date, each changed term with its old and new wording, when
the change applies, and both signature blocks. The wording is written once here; after that the
.docx file is the source that lawyers edit. Context: docgen.context.supplement_context.

Run:  .venv/bin/python tools/make_supplement_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_builder import (  # noqa: E402
    Clauses,
    draft_args,
    header_footer,
    heading,
    new_document,
    para,
    save,
    set_core_properties,
    table,
    tag,
    title,
)
from make_annex_templates import enumerate_cn, party_lines, signatures, style_columns  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates/contracts"
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def supplement() -> None:
    doc = new_document()
    set_core_properties(doc, title="补充协议", subject="运维外包服务合同补充协议")
    header_footer(doc, "编号：{{ doc.number }}")
    title(doc, "《运维外包服务合同》补充协议")
    para(doc, "（原合同编号：{{ agreement.contract_no }}）", style="无缩进", align=CENTER)
    para(doc, style="无缩进")
    party_lines(doc, "甲方", "client")
    para(doc, style="无缩进")
    party_lines(doc, "乙方", "vendor")
    para(doc, style="无缩进")

    heading(doc, "鉴于")
    tag(doc, "{%p if revision %}")
    enumerate_cn(doc,
                 "甲乙双方已于{{ agreement.signing_date|cn_date }}就{{ agreement.project_name }}项目签订"
                 "《运维外包服务合同》（合同编号：{{ agreement.contract_no }}）及其附件（以下合称“原合同”）；",
                 "甲方已修订《{{ revision.title }}》（以下简称“管理办法”），修订后的 {{ revision.version }} 版自"
                 "{{ revision.effective_date|cn_date }}起施行；原合同依据的是管理办法 {{ revision.previous }} 版，"
                 "依原合同第1.5条的约定，管理办法此后的修订，经双方签订补充协议后方适用于原合同；",
                 "双方经协商一致，就管理办法 {{ revision.version }} 版中下列事项对原合同的变更订立本补充协议。")
    tag(doc, "{%p else %}")
    enumerate_cn(doc,
                 "甲乙双方已于{{ agreement.signing_date|cn_date }}就{{ agreement.project_name }}项目签订"
                 "《运维外包服务合同》（合同编号：{{ agreement.contract_no }}）及其附件（以下合称“原合同”）；",
                 "双方经协商一致，就原合同下列约定的变更订立本补充协议。")
    tag(doc, "{%p endif %}")

    c = Clauses(doc)
    c("变更内容")
    c.items("**原合同的下列约定按本条变更，变更后的约定替代原约定**（“所在文件”一栏列明原合同中载有该约定的文件）：")
    t = table(doc, ["序号", "所在文件", "约定事项", "原约定", "变更后"],
              [["{%tr for t in terms %}"],
               ["{{ loop.index }}", "{{ t.where }}", "{{ t.what }}", "{{ t.old or '（无）' }}",
                "{{ t.new or '（删除）' }}"],
               ["{%tr endfor %}"]],
              widths_cm=[1.4, 3.6, 3.9, 3.3, 3.3])
    style_columns(t, {0: CENTER})
    para(doc, style="无缩进")
    tag(doc, "{%p if revision %}")
    para(doc, f"{c.n}.2　原合同及其附件所称管理办法版本，就上表所列事项，自本补充协议第二条确定的服务月份起"
              "相应为 {{ revision.version }} 版（自{{ revision.effective_date|cn_date }}起施行）。")
    tag(doc, "{%p endif %}")

    c("变更的适用")
    c.items("本补充协议所称服务月份，指原合同服务期限内的自然月。")
    effects = ("受上述变更影响的服务月份，其违约金、服务抵扣及相应应付服务费按变更后的约定计算；"
               "原合同的其他约定不变。已经支付的款项不因本补充协议而重新结算。")
    tag(doc, "{%p if revision %}")
    para(doc, f"{c.n}.2　上述变更适用于首日在{{{{ revision.effective_date|cn_date }}}}（含）以后的各服务月份，"
              "该等服务月份内发生的全部事项均按变更后的约定计算；此前已经开始的服务月份，仍按原约定执行。")
    para(doc, f"{c.n}.3　本补充协议生效之日晚于前款所述日期的（含生效之日为某月1日的情形），上述变更适用于"
              "生效之日所在月份的次月起的各服务月份；生效当月及此前的服务月份，仍按原约定执行。")
    para(doc, f"{c.n}.4　{effects}")
    para(doc, f"{c.n}.5　除第一条所列变更外，管理办法 {{{{ revision.version }}}} 版的其他修订内容"
              "不因本补充协议而适用于原合同；"
              "管理办法此后的修订，仍须双方另行签订补充协议后方适用于原合同。")
    tag(doc, "{%p else %}")
    para(doc, f"{c.n}.2　上述变更适用于本补充协议生效之日所在月份的次月起的各服务月份，该等服务月份内发生的全部事项"
              "均按变更后的约定计算；生效当月及此前的服务月份，仍按原约定执行。")
    para(doc, f"{c.n}.3　{effects}")
    tag(doc, "{%p endif %}")

    c("与原合同的关系")
    c.items("本补充协议是原合同不可分割的组成部分，与原合同具有同等法律效力。",
            "除本补充协议明确变更的内容外，原合同及其附件的其他约定不变，继续有效。",
            "本补充协议与原合同不一致的，以本补充协议为准；本补充协议未约定的事项，适用原合同的约定。")

    c("提示与确认")
    c.items("**甲方已提请乙方注意本补充协议第一条所列违约金、抵扣等标准的变更，并作了说明；乙方确认已充分理解。**")

    c("生效与份数")
    c.items("本补充协议自双方法定代表人或授权代表签字并加盖公章（或合同专用章）之日起生效；"
            "双方签字盖章日期不一致的，以后签署的日期为生效日期。双方在本补充协议各页骑缝处加盖公章或合同专用章。",
            "本补充协议一式 {{ agreement.counterparts }} 份，甲方执 {{ (agreement.counterparts + 1) // 2 }} 份、"
            "乙方执 {{ agreement.counterparts // 2 }} 份，每份具有同等法律效力。")
    signatures(doc)
    save(doc, OUT / "supplement.docx")


if __name__ == "__main__":
    draft_args(__doc__.splitlines()[0])
    supplement()
