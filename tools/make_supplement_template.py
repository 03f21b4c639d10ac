"""Write templates/contracts/supplement.docx (《运维外包服务合同》补充协议).

Why: when a policy revision or a change of terms reaches an agreement that is already signed,
docgen keeps the signed documents as they are and drafts this agreement instead: the parties,
the original contract's number and date, each changed term with its old and new wording, when
the change applies, and both signature blocks. The wording is written once here; after that the
.docx file is the source that lawyers edit. Context: docgen.context.supplement_context.

Run:  .venv/bin/python tools/make_supplement_template.py
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
                 "甲方已修订《{{ revision.title }}》，修订后的 {{ revision.version }} 版自"
                 "{{ revision.effective_date|cn_date }}起施行，原合同所依据的为 {{ revision.previous }} 版；",
                 "为使原合同与修订后的管理办法一致，双方经协商一致，就原合同的变更订立本补充协议。")
    tag(doc, "{%p else %}")
    enumerate_cn(doc,
                 "甲乙双方已于{{ agreement.signing_date|cn_date }}就{{ agreement.project_name }}项目签订"
                 "《运维外包服务合同》（合同编号：{{ agreement.contract_no }}）及其附件（以下合称“原合同”）；",
                 "双方经协商一致，就原合同的变更订立本补充协议。")
    tag(doc, "{%p endif %}")

    c = Clauses(doc)
    c("变更内容")
    c.items("原合同下列约定按本条变更，变更后的约定替代原约定：")
    t = table(doc, ["序号", "条款", "原约定", "变更后"],
              [["{%tr for t in terms %}"],
               ["{{ loop.index }}", "{{ t.what }}", "{{ t.old or '（无）' }}", "{{ t.new or '（删除）' }}"],
               ["{%tr endfor %}"]],
              widths_cm=[1.3, 6.2, 3.9, 3.9])
    style_columns(t, {0: CENTER})
    para(doc, style="无缩进")

    c("变更的适用")
    tag(doc, "{%p if revision %}")
    c.items("上述变更自{{ revision.effective_date|cn_date }}起适用：每个服务月份、考核季度及合同年度，"
            "适用其第一日施行的管理办法版本；此前已经开始的期间仍按原约定执行。")
    tag(doc, "{%p else %}")
    c.items("上述变更自本补充协议生效之日起适用；此前已经开始的服务月份仍按原约定执行。")
    tag(doc, "{%p endif %}")
    para(doc, f"{c.n}.2　因上述变更而受影响的服务费抵扣、考核扣款及付款金额，按变更后的约定计算；"
              "已经支付的款项不因本补充协议而重新结算。")

    c("与原合同的关系")
    c.items("本补充协议是原合同不可分割的组成部分，与原合同具有同等法律效力。",
            "除本补充协议明确变更的内容外，原合同及其附件的其他约定不变，继续有效。",
            "本补充协议与原合同不一致的，以本补充协议为准；本补充协议未约定的事项，适用原合同的约定。")

    c("生效与份数")
    c.items("本补充协议自双方法定代表人或授权代表签字并加盖公章（或合同专用章）之日起生效；"
            "双方签字盖章日期不一致的，以后签署的日期为生效日期。",
            "本补充协议一式 {{ agreement.counterparts }} 份，甲方执 {{ (agreement.counterparts + 1) // 2 }} 份、"
            "乙方执 {{ agreement.counterparts // 2 }} 份，每份具有同等法律效力。")
    signatures(doc)
    save(doc, OUT / "supplement.docx")


if __name__ == "__main__":
    draft_args(__doc__.splitlines()[0])
    supplement()
