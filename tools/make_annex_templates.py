"""Write templates/contracts/sla_annex.docx (附件二 服务等级协议) and nda.docx (附件三 保密协议).

Why: both annexes are signed with the 运维外包服务合同 and must say exactly what the data says
(time limits, credit tiers, deduction schedule, NDA amounts, dispute forum). The wording is
written once here with the docx_builder helpers; after that the .docx files are the source
that lawyers edit. Field names follow src/docgen/models.py and the context of
docgen.context.agreement_context (client, vendor, agreement, policy, calc, doc).

Run:  .venv/bin/python tools/make_annex_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_builder import (  # noqa: E402
    Clauses,
    cn_number,
    draft_args,
    header_footer,
    heading,
    new_document,
    para,
    save,
    set_core_properties,
    signature_table,
    table,
    tag,
    title,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates/contracts"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


# --------------------------------------------------------------------------- local helpers

# a grade band in words from its scores: "90 分及以上", "80 分及以上、不满 90 分", "60 分以下"
BAND_TEXT = ("{% if p.below is none %}{{ p.min_score }} 分及以上{% elif p.min_score is none %}{{ p.below }} 分以下"
             "{% else %}{{ p.min_score }} 分及以上、不满 {{ p.below }} 分{% endif %}")
# what a grade cap's condition is, in the contract's words
CAP_TEXT = ("{% if cap.when == 'sla_below_target' %}按工单计的时限达成率低于合同约定的达成率目标"
            "{% elif cap.when == 'availability_missed' %}可用率未达到合同约定的目标"
            "{% else %}当月发生“{{ rule_names[cap.when] }}”{% endif %}")

def enumerate_cn(doc, *texts: str) -> None:
    """Sub-items （一）（二）… under a clause item."""
    for i, text in enumerate(texts, start=1):
        para(doc, f"（{cn_number(i)}）{text}")


def pct(expr: str) -> str:
    """A percentage without decimals when whole (20%), else with two (7.50%); never rounded away."""
    return "{{ " + expr + "|percent(0 if " + expr + " % 1 == 0 else 2) }}"


def style_columns(t, aligns: dict[int, object]) -> None:
    """Align the given columns of the body rows; centre every cell vertically.

    One-cell rows (docxtpl `{%tr %}` tag rows spanning the table) are left alone.
    """
    for row in t.rows[1:]:
        cells = row._tr.tc_lst
        if len(cells) == 1:
            continue
        for i, cell in enumerate(row.cells):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if i in aligns:
                for p in cell.paragraphs:
                    p.alignment = aligns[i]
    for cell in t.rows[0].cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def annex_title(doc, label: str, name: str) -> None:
    para(doc, label, style="无缩进", bold=True)
    title(doc, name)
    para(doc, "（《运维外包服务合同》附件，合同编号：{{ agreement.contract_no }}）", style="无缩进", align=CENTER)
    para(doc, style="无缩进")


def _keep_with_next(paragraphs) -> None:
    for p in paragraphs:
        p.paragraph_format.keep_with_next = True


def signatures(doc) -> None:
    """（以下无正文） and both seal boxes, kept on one page with the last paragraph of the text,
    so the signature page never stands alone."""
    _keep_with_next(doc.paragraphs[-1:])
    _keep_with_next([para(doc, "（以下无正文）", style="无缩进", align=CENTER), para(doc, style="无缩进")])
    signature_table(doc, [("甲方", "{{ client.name }}"), ("乙方", "{{ vendor.name }}")])


def deduction_table(doc) -> None:
    """The deduction rules of the agreement's service window, with their basis, and a blank line."""
    t = table(doc, ["序号", "事项", "认定标准", "违约金（元）", "计量单位"], [
        ["{%tr for r in calc.rules %}"],
        ["{{ loop.index }}", "{{ r.name }}", "{{ r.basis }}", "{{ r.amount|money }}", "{{ r.unit }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.3, 3.0, 5.9, 2.9, 1.9])
    style_columns(t, {0: CENTER, 3: RIGHT, 4: CENTER})
    para(doc, style="无缩进")


def restore_credits(doc, number: str) -> None:
    """The credit per ticket whose restore limit is missed, for the levels that set one."""
    tag(doc, "{%p if calc.restore_credits %}")
    para(doc, f"{number}　故障恢复超过约定恢复时限的，每张工单按下表抵扣当月月度服务费，"
              "在恢复时限届满的当月计算：")
    t = table(doc, ["级别", "名称", "恢复时限", "每张工单抵扣比例（月度服务费）"], [
        ["{%tr for lv in calc.restore_credits %}"],
        ["{{ lv.level }}", "{{ lv.name }}", "{{ lv.written.restore }}", pct("lv.restore_credit_pct")],
        ["{%tr endfor %}"],
    ], widths_cm=[2.0, 3.0, 3.0, 7.0])
    style_columns(t, {0: CENTER, 1: CENTER, 2: CENTER, 3: CENTER})
    para(doc, style="无缩进")
    tag(doc, "{%p else %}")
    para(doc, f"{number}　响应、到场、恢复与闭环时限未达成的，不单独计算服务抵扣，"
              "按主合同附件四《考核办法》计入考核得分。")
    tag(doc, "{%p endif %}")


# --------------------------------------------------------------------------- 附件二 服务等级协议

def sla() -> None:
    doc = new_document()
    set_core_properties(doc, title="服务等级协议", subject="运维外包服务合同附件二")
    header_footer(doc, "编号：{{ doc.number }}")
    annex_title(doc, "附件二", "服务等级协议")

    c = Clauses(doc)
    c("总则")
    c.items("本协议是{{ client.name }}（以下简称“甲方”）与{{ vendor.name }}（以下简称“乙方”）于"
            "{{ agreement.signing_date|cn_date }}签订的《运维外包服务合同》（合同编号：{{ agreement.contract_no }}，"
            "以下简称“主合同”）的附件二，是主合同不可分割的组成部分，与主合同具有同等法律效力。",
            "本协议约定乙方在主合同服务期限内就{{ agreement.project_name }}项目应达到的服务级别、"
            "服务级别的度量与报告方法，以及未达到服务级别时的服务抵扣与违约金。本协议基本信息如下：")
    t = table(doc, ["项目", "内容"], [
        ["合同编号", "{{ agreement.contract_no }}"],
        ["项目名称", "{{ agreement.project_name }}"],
        ["甲方", "{{ client.name }}"],
        ["乙方", "{{ vendor.name }}"],
        ["服务期限", "{{ agreement.start|cn_date }}至{{ agreement.end|cn_date }}（共 {{ calc.term_months }} 个月）"],
        ["服务方式", "{{ agreement.service_mode }}"],
        ["服务窗口", "{{ agreement.sla.service_window }}"],
        ["月度服务费", "{{ agreement.fees.monthly|rmb_full }}"],
    ], widths_cm=[3.5, 11.5])
    style_columns(t, {0: CENTER})
    para(doc, style="无缩进")
    para(doc, f"{c.n}.3　本协议对服务级别有专门约定的，以本协议为准；本协议未约定的事项，适用主合同的约定。")

    c("服务窗口")
    c.items("本协议项下的服务窗口为{{ agreement.sla.service_window }}。"
            "{% if calc.window.round_the_clock %}"
            "“{{ calc.window.name }}”指每周七天、每天二十四小时不间断提供服务，法定节假日不间断。"
            "乙方应安排值守人员在岗，"
            "保持服务热线与工单受理渠道全天畅通，并按甲方要求做好交接班记录。"
            "{% else %}"
            "“{{ calc.window.name }}”指在{{ calc.window.days_text }} {{ calc.window.hours }} 提供服务。"
            "服务窗口以外发生的一级、二级故障，"
            "乙方仍应按本协议约定的时限响应、到场和恢复；服务窗口以外报告的其他故障，时限自下一服务窗口开始时起算。"
            "{% endif %}",
            "本协议约定的各项时限均按自然时间连续计算，不因跨越服务窗口以外的时间而中断，本协议另有约定的除外。"
            "甲方重大活动保障、节假日值守等特殊时段的服务安排，由双方另行书面确认。")

    c("故障分级与处理时限")
    c.items("本协议下列用语的含义如下：")
    enumerate_cn(doc,
                 "响应：乙方确认收到甲方报告或监控告警，并指派工程师开始处理；",
                 "到场：乙方工程师到达甲方指定的故障现场并开始处理；",
                 "恢复：受影响的服务恢复正常可用，采用临时措施（变通方案）恢复的，亦视为恢复；",
                 "闭环：故障根本原因已消除，且乙方已提交故障分析报告（RCA）并经甲方确认。")
    para(doc, f"{c.n}.2　故障按影响范围和严重程度分级，各级故障的定义及处理时限如下：")
    t = table(doc, ["级别", "名称", "定义", "响应时限", "到场时限", "恢复时限", "闭环时限"], [
        ["{%tr for lv in agreement.sla.levels %}"],
        ["{{ lv.level }}", "{{ lv.name }}", "{{ lv.definition }}", "{{ lv.written.response }}",
         "{% if lv.arrival is not none %}{{ lv.written.arrival }}{% else %}按需{% endif %}",
         "{{ lv.written.restore }}", "{{ lv.written.closure }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.3, 2.2, 3.9, 1.9, 1.9, 1.9, 1.9])
    style_columns(t, {0: CENTER, 1: CENTER, 3: CENTER, 4: CENTER, 5: CENTER, 6: CENTER})
    para(doc, style="无缩进")
    for i, text in enumerate((
            "各项时限自甲方工单系统记录的报障时间或告警时间起算。到场时限为“按需”的，乙方可远程处理；"
            "甲方要求到场的，乙方应在双方商定的时间内到场。",
            "**故障级别由甲方根据影响范围初步认定**，乙方有异议的，应先按甲方认定的级别处理，事后由双方复核；"
            "复核后级别降低的，按复核后的级别计算时限与服务抵扣。",
            "故障处理过程中任一时限未能达成的，该故障自超时之时起自动升级一级，乙方应按升级后级别的要求增派资源、"
            "加快处理，并同时启动第八条约定的升级通报；一级故障任一时限未达成的，直接启动第三级通报。"
            "时限达成情况仍按故障原级别统计。",
            "各级故障每项时限的月度达成率（按时完成的工单数 ÷ 该级工单总数 × 100%）应不低于 "
            + pct("agreement.sla.attainment_target_pct") + "。"), start=3):
        para(doc, f"{c.n}.{i}　{text}")

    c("可用性")
    c.items("乙方负责保障下列系统的月度可用率不低于 {{ agreement.sla.availability_target_pct|target }}："
            "{{ agreement.sla.availability_systems|join('、') }}。",
            "可用率按自然月计算，计算公式为：")
    para(doc, "可用率 =（周期总分钟数 − 不可用分钟数）÷ 周期总分钟数 × 100%", style="无缩进", align=CENTER)
    para(doc, "不可用分钟数自系统不能提供其核心功能之时起，至恢复之时止，**以甲方监控系统与工单系统的记录为准**。")
    para(doc, f"{c.n}.3　下列情形导致的中断不计入不可用分钟数：")
    enumerate_cn(doc,
                 "经甲方批准并提前公告的计划维护；",
                 "因甲方原因造成的中断，包括甲方人员误操作、甲方自行实施的变更以及甲方提供的软硬件缺陷；",
                 "电信运营商线路或公共网络故障造成的中断；",
                 "不可抗力造成的中断。")

    c("服务抵扣")
    tag(doc, "{%p if agreement.sla.credits %}")
    c.items("**月度可用率低于目标的，乙方按下表向甲方给予服务抵扣**，抵扣以当月的月度服务费"
            "（{{ agreement.fees.monthly|yuan }}）为基数：")
    t = table(doc, ["月可用率低于", "抵扣比例（月度服务费）"], [
        ["{%tr for cr in agreement.sla.credits %}"],
        ["{{ cr.below_pct|target }}", pct("cr.credit_pct")],
        ["{%tr endfor %}"],
    ], widths_cm=[7.5, 7.5])
    style_columns(t, {0: CENTER, 1: CENTER})
    para(doc, style="无缩进")
    para(doc, f"{c.n}.2　月度可用率同时低于多档标准的，按其中最高的抵扣比例计算，不累加；多个系统未达标的，"
              "按最低的系统可用率计算。")
    restore_credits(doc, f"{c.n}.3")
    para(doc, f"{c.n}.4　每月服务抵扣合计（含可用率抵扣与恢复超时抵扣）不超过月度服务费的 "
         + pct("agreement.sla.credit_cap_pct") + "，即{{ calc.credit_cap_amount|rmb_full }}。")
    para(doc, f"{c.n}.5　服务抵扣从当期应付服务费中扣除，不免除乙方的整改义务。")
    tag(doc, "{%p else %}")
    c.items("本协议不约定可用率服务抵扣；可用率未达到目标的，乙方应提交整改报告，并按主合同的考核办法处理。")
    restore_credits(doc, f"{c.n}.2")
    tag(doc, "{%p if calc.restore_credits %}")
    para(doc, f"{c.n}.3　每月恢复超时抵扣合计不超过月度服务费的 " + pct("agreement.sla.credit_cap_pct")
         + "，即{{ calc.credit_cap_amount|rmb_full }}，从当期应付服务费中扣除。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    c("考勤违约金")
    c.items("依据甲方《{{ policy.title }}》（版本 {{ policy.version }}，自{{ policy.effective_date|cn_date }}起施行），"
            "乙方驻场人员发生下列不符合事项的，乙方应按下表向甲方支付违约金：")
    deduction_table(doc)
    for i, text in enumerate((
            "上述违约金是乙方因其人员未按约履行驻场服务而向甲方承担的违约责任，由甲方从当期应付服务费中扣除，"
            "不构成甲方对乙方人员个人的处罚。乙方人员的劳动管理与奖惩由乙方依法自行负责。",
            "每月违约金合计不超过当月月度服务费的 " + pct("policy.deductions.monthly_cap_pct")
            + "，即{{ calc.deduction_cap_amount|rmb_full }}。",
            "双方确认，上述违约金标准系综合考虑驻场服务对甲方业务的影响、协商一致确定。任何一方认为违约金过分高于"
            "或者低于造成的损失的，可依照《中华人民共和国民法典》第五百八十五条的规定请求调整。",
            "考勤事项以乙方的考勤记录为基础，经甲方核对的考勤系统及检查记录为准。乙方对当月明细有异议的，"
            "应在收到明细之日起五个工作日内书面提出并提供证据，**逾期视为确认**。"), start=2):
        para(doc, f"{c.n}.{i}　{text}")

    c("度量与报告")
    c.items("**各项时限以甲方工单系统记录的时间戳为准**；监控系统的告警与恢复记录作为可用率的计算依据。"
            "乙方应及时、如实在工单系统中记录响应、到场、恢复与闭环时间，不得事后补录或修改。",
            "乙方应于每月第五个工作日前向甲方提交上月运维服务报告，内容至少包括：工单统计及各级时限达成率、"
            "系统可用率、重大故障的故障分析报告、服务抵扣与违约金明细、人员考勤情况及改进措施。",
            "甲方应在收到报告后五个工作日内审核确认或提出书面意见。经甲方确认的月度报告是计算服务抵扣、"
            "违约金及结算当期服务费的依据。")

    c("升级机制")
    c.items("服务过程中的问题按下列路径逐级升级，双方应在主合同签订后五个工作日内书面确认各层级联系人及联系方式：")
    t = table(doc, ["层级", "乙方责任人", "甲方对接人", "启动条件"], [
        ["第一级", "驻场或值班工程师", "甲方运维联系人", "受理工单、确认故障级别"],
        ["第二级", "乙方项目经理", "{{ client.department }}运维负责人", "任一时限未达成，或发生一级故障"],
        ["第三级", "乙方技术负责人", "{{ client.department }}负责人",
         "一级故障任一时限未达成，或一级、二级故障超过恢复时限仍未恢复"],
        ["第四级", "乙方分管领导", "甲方分管领导", "一级故障超过恢复时限两倍仍未恢复，或发生重大安全事件"],
    ], widths_cm=[1.6, 3.4, 4.0, 6.0])
    style_columns(t, {0: CENTER})
    para(doc, style="无缩进")
    para(doc, f"{c.n}.2　升级后，乙方应每小时向甲方通报一次处置进展，直至故障恢复；故障恢复后，"
              "乙方应在闭环时限内提交故障分析报告。")

    c("其他")
    c.items("本协议随主合同生效，服务期限与主合同一致。本协议的变更须经双方书面确认。",
            "甲方修订《{{ policy.title }}》中与本协议有关内容的，应书面通知乙方，经双方确认后适用。",
            "本协议未尽事宜及因本协议产生的争议，按主合同的约定处理。本协议份数与主合同相同。")
    signatures(doc)
    save(doc, OUT / "sla_annex.docx")


# --------------------------------------------------------------------------- 附件三 保密协议

def party_lines(doc, role: str, who: str) -> None:
    para(doc, f"{role}：{{{{ {who}.name }}}}", style="无缩进", bold=True)
    for label, field in (("统一社会信用代码", "uscc"), ("法定代表人", "legal_rep"), ("住所", "address")):
        para(doc, f"{label}：{{{{ {who}.{field} }}}}", style="无缩进")


def disputes_clause(doc, c: Clauses) -> None:
    tag(doc, '{%p if agreement.disputes.method == "仲裁" %}')
    c.items("因本协议引起的或与本协议有关的任何争议，双方应友好协商解决；协商不成的，任何一方均有权将争议提交"
            "{{ agreement.disputes.arbitration_commission }}，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。"
            "仲裁裁决是终局的，对双方均有约束力。")
    tag(doc, "{%p else %}")
    c.items("因本协议引起的或与本协议有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地"
            "（{{ client.city }}）有管辖权的人民法院提起诉讼。")
    tag(doc, "{%p endif %}")
    para(doc, f"{c.n}.2　争议解决期间，除争议事项外，双方应继续履行本协议的其他条款。")


def nda() -> None:
    doc = new_document()
    set_core_properties(doc, title="保密协议", subject="运维外包服务合同附件三")
    header_footer(doc, "编号：{{ doc.number }}")
    annex_title(doc, "附件三", "保密协议")

    party_lines(doc, "甲方（披露方）", "client")
    para(doc, style="无缩进")
    party_lines(doc, "乙方（接收方）", "vendor")
    para(doc, style="无缩进")

    heading(doc, "鉴于")
    enumerate_cn(doc,
                 "甲乙双方已于{{ agreement.signing_date|cn_date }}就{{ agreement.project_name }}项目签订"
                 "《运维外包服务合同》（合同编号：{{ agreement.contract_no }}，以下简称“主合同”），"
                 "由乙方自{{ agreement.start|cn_date }}至{{ agreement.end|cn_date }}以{{ agreement.service_mode }}方式"
                 "为甲方提供信息系统运行维护服务；",
                 "乙方在履行主合同过程中需进入甲方场所、访问甲方信息系统，将知悉甲方的保密信息，并可能受托处理个人信息；",
                 "为保护甲方的商业秘密、数据安全和个人信息权益，双方依照《中华人民共和国民法典》《中华人民共和国网络安全法》"
                 "《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》《中华人民共和国反不正当竞争法》等法律法规，"
                 "经协商一致，订立本协议，共同遵守。")

    c = Clauses(doc)
    c("保密信息的定义")
    c.items("本协议所称保密信息，是指乙方因签订、履行主合同而知悉或接触的甲方及其关联方、客户的一切非公开信息，"
            "包括但不限于：")
    enumerate_cn(doc,
                 "技术信息：系统架构、设计文档、源代码、脚本、技术方案及运维手册；",
                 "经营信息：业务计划、采购与财务信息、客户与供应商信息；",
                 "系统账号、口令、密钥、数字证书及其他身份鉴别信息；",
                 "网络拓扑、IP 地址规划、安全策略及安全防护措施；",
                 "服务器、网络与安全设备、数据库及应用系统的配置信息；",
                 "运行日志、审计记录、告警记录及漏洞信息；",
                 "业务数据，以及甲方信息系统中存储、处理的个人信息。")
    para(doc, f"{c.n}.2　前款信息无论是否标明“保密”字样，无论以书面、电子、口头或实物等何种形式存在，"
         "亦无论是否由甲方主动提供，均属保密信息；乙方基于保密信息形成的记录、摘要、副本及衍生资料，同属保密信息。")

    c("保密义务")
    c.items("乙方仅可为履行主合同之目的使用保密信息，不得用于任何其他目的。",
            "乙方仅可向因履行主合同确需知悉的人员（知悉必要原则）披露保密信息，并应确保该等人员承担不低于本协议的保密义务。"
            "未经甲方书面同意，乙方不得向任何第三方（包括乙方的关联方）披露保密信息。",
            "乙方对保密信息的保护程度不得低于其保护自身同类信息的程度，且不得低于合理的谨慎标准。",
            "乙方发现保密信息被泄露、被非法获取或可能发生上述情形的，应立即告知甲方，并采取一切必要措施防止损失扩大。")

    c("人员管理")
    c.items("乙方派驻或参与主合同服务的每一名工程师，在获得甲方场所出入权限或系统访问权限之前，"
            "均须签署个人保密承诺书，乙方应将签署后的承诺书原件或复印件交甲方备案。未签署的人员不得上岗。",
            "乙方应建立接触保密信息人员的名单并及时更新，对其人员开展保密与数据安全教育。",
            "乙方人员离场或更换时，乙方应督促其交还全部资料，配合甲方当日回收账号与权限，并提示其离场后继续承担保密义务。",
            "乙方人员违反保密义务的，视为乙方违反本协议，由乙方向甲方承担责任。")

    c("数据安全")
    c.items("未经甲方书面同意，乙方及其人员不得以任何方式复制、下载、拍摄或外发甲方数据，"
            "不得在甲方信息系统中使用 U 盘、移动硬盘等移动存储介质，不得将甲方数据私自留存于个人设备、"
            "网盘或即时通讯工具中。",
            "乙方远程访问甲方信息系统的，须事先经甲方审批，并仅可通过甲方指定的堡垒机、VPN 等受控通道进行；"
            "乙方账号实行专人专用、权限最小化，不得共享，所有操作应可追溯。",
            "发生或可能发生数据泄露、篡改、丢失等安全事件的，乙方应立即采取处置措施，并在发现之时起 "
            "{{ agreement.nda.incident_report_hours }} 小时内书面报告甲方，说明事件经过、影响范围及已采取的措施，"
            "配合甲方调查处置及向主管部门报告。",
            "乙方应遵守《中华人民共和国数据安全法》及甲方的数据分类分级与安全管理制度，履行数据安全保护义务。")

    c("个人信息委托处理")
    c.items("甲方委托乙方处理个人信息的，双方依照《中华人民共和国个人信息保护法》第二十一条约定如下：")
    enumerate_cn(doc,
                 "处理目的：仅限于履行主合同所需的信息系统运行维护；",
                 "处理期限：主合同的服务期限及其后不超过 {{ agreement.exit_transition_months }} 个月的退出过渡期，"
                 "委托关系提前终止的，以终止之日为准；",
                 "处理方式：仅限于运维所必需的存储、查询、备份、恢复及迁移，不得进行与运维无关的分析、加工或使用；",
                 "个人信息种类：甲方信息系统中存储的员工、客户及其他相关人员的个人信息，具体以甲方书面确认的范围为准；",
                 "保护措施：乙方应采取访问控制、加密、去标识化、操作审计等必要措施，保障个人信息安全。")
    para(doc, f"{c.n}.2　乙方应按照甲方的指示处理个人信息，不得超出约定的目的和方式；未经甲方同意，"
              "乙方不得转委托他人处理个人信息。")
    para(doc, f"{c.n}.3　委托关系终止或主合同履行完毕时，乙方应将个人信息返还甲方或者予以删除，不得保留，"
         "并按第七条出具书面销毁证明。乙方应配合甲方对其个人信息处理活动进行监督和审计。")

    c("除外情形")
    c.items("下列信息不属于本协议所称保密信息，但乙方应对符合下列情形承担举证责任：")
    enumerate_cn(doc,
                 "非因乙方或其人员的过错，已经为公众所知悉的信息；",
                 "乙方在甲方披露之前已合法知悉、或由乙方独立开发且未使用保密信息的信息；",
                 "乙方从有权披露的第三方合法取得且未负保密义务的信息；",
                 "依照法律法规或者司法机关、行政机关的强制性要求必须披露的信息。")
    para(doc, f"{c.n}.2　发生前款第（四）项情形的，乙方应在法律允许的范围内于披露前及时书面通知甲方，"
         "仅在被要求的范围内披露，并配合甲方采取必要的保护措施。")

    c("资料返还与销毁")
    c.items("主合同约定的退出过渡期届满之日（无过渡期的，为主合同期满、解除或终止之日）起十个工作日内，"
            "或者甲方书面要求时，乙方应将全部保密信息及其载体（包括副本、备份）"
            "返还甲方，或按甲方要求予以销毁；电子数据应以不可恢复的方式删除。过渡期内，乙方仅可为完成交接使用保密信息。",
            "乙方完成返还或销毁后，应向甲方出具经乙方盖章的书面销毁证明，列明返还或销毁的资料、方式和时间。"
            "甲方有权对销毁情况进行核查。")

    c("保密期限")
    c.items("本协议自双方签字盖章之日起生效，对乙方在本协议生效前已知悉的保密信息同样适用。",
            "乙方的保密义务在主合同服务期限（{{ agreement.start|cn_date }}至{{ agreement.end|cn_date }}）内持续有效，"
            "并在主合同期满、解除或终止后继续有效 {{ agreement.nda.years_after_term }} 年。",
            "保密信息中属于商业秘密的，乙方的保密义务持续至该信息依法为公众所知悉之日；个人信息的保护义务不受前款期限限制。")

    c("不授予许可")
    c.items("甲方向乙方披露保密信息，不构成甲方向乙方转让或授予对该等信息的任何所有权、知识产权或使用许可，"
            "包括专利权、著作权、商标权及商业秘密。乙方仅在履行主合同所必需的范围内使用保密信息。")

    c("违约责任")
    c.items("**乙方或其人员违反本协议的，按违约情节向甲方支付违约金**：")
    enumerate_cn(doc,
                 "违反第二条至第五条约定的管理性义务（如未按期备案保密承诺书、未按时报告安全事件、未通过受控通道访问），"
                 "但未造成保密信息泄露的，每次人民币（大写）{{ calc.nda_minor|rmb_upper }}"
                 "（¥{{ calc.nda_minor|money }}）；",
                 "因过失造成保密信息泄露、被非法获取或个人信息泄露的，每次人民币（大写）{{ calc.nda_leak|rmb_upper }}"
                 "（¥{{ calc.nda_leak|money }}）；",
                 "故意泄露、出售或非法提供保密信息或个人信息的，每次人民币（大写）"
                 "{{ agreement.nda.liquidated_damages|rmb_upper }}（¥{{ agreement.nda.liquidated_damages|money }}）。")
    for i, text in enumerate((
            "前款违约金不足以弥补甲方损失的，乙方还应赔偿超出部分的损失，包括甲方因此遭受的直接损失、"
            "向第三方承担的赔偿，以及为处置事件和维权支出的调查费、鉴定费、公证费、律师费、诉讼费或仲裁费等合理费用。",
            "乙方违反本协议情节严重的，甲方有权解除主合同。乙方违反本协议构成违法犯罪的，甲方有权依法追究其法律责任。"),
            start=2):
        para(doc, f"{c.n}.{i}　{text}")

    c("争议解决")
    disputes_clause(doc, c)

    c("其他")
    c.items("本协议为主合同的附件三，与主合同具有同等法律效力；主合同期满、解除或终止的，本协议约定的保密义务继续有效。",
            "本协议的变更须经双方书面确认。本协议一式 {{ agreement.counterparts }} 份，"
            "{% if agreement.counterparts is even %}甲乙双方各执 {{ agreement.counterparts // 2 }} 份"
            "{% else %}甲方执 {{ agreement.counterparts // 2 + 1 }} 份、乙方执 {{ agreement.counterparts // 2 }} 份"
            "{% endif %}，具有同等法律效力。")
    signatures(doc)
    save(doc, OUT / "nda.docx")


if __name__ == "__main__":
    draft_args('First drafts of the SLA annex and the NDA.')
    sla()
    nda()
