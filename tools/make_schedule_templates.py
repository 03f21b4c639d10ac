"""Write first drafts of the contract's schedules: 附件一《服务清单》, 附件四《考核办法》,
附件五《驻场人员清单》 and 附件六《报价明细》.

Why: the contract lists six annexes and its clauses rely on each of them (scope, staffing,
assessment, pricing), so every one must exist, filled from the data and signed with the
contract. The wording is written once here; after that the .docx files in templates/contracts/
are the source that lawyers edit, so this script never overwrites a file: it writes only the
files that do not exist yet (or into --out DIR, to compare a fresh draft with the edited one).

Run:  .venv/bin/python tools/make_schedule_templates.py [--out DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_builder import (  # noqa: E402
    TEMPLATES,
    Clauses,
    draft_args,
    header_footer,
    new_document,
    para,
    save,
    set_core_properties,
    table,
    tag,
)
from make_annex_templates import (  # noqa: E402
    BAND_TEXT,
    CAP_TEXT,
    CENTER,
    RIGHT,
    annex_title,
    deduction_table,
    pct,
    signatures,
    style_columns,
)

ROOT = Path(__file__).resolve().parents[1]


def _blank_row(doc) -> None:
    para(doc, style="无缩进")


# --------------------------------------------------------------------------- 附件一 服务清单

def scope(doc) -> None:
    set_core_properties(doc, title="服务清单", subject="运维外包服务合同附件一")
    header_footer(doc, "编号：{{ doc.number }}")
    annex_title(doc, "附件一", "服务清单")
    c = Clauses(doc)
    c("服务项目")
    c.items("乙方按主合同第二条提供下列服务项目：")
    t = table(doc, ["序号", "服务项目", "服务内容"], [
        ["{%tr for item in agreement.scope %}"],
        ["{{ loop.index }}", "{{ item.name }}", "{{ item.description }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.5, 4.0, 9.5])
    style_columns(t, {0: CENTER})
    _blank_row(doc)

    c("纳入服务的系统与设备")
    tag(doc, "{%p if agreement.inventory %}")
    c.items("纳入本合同服务范围的系统与设备如下：")
    t = table(doc, ["序号", "名称", "类别", "所在位置", "数量", "说明"], [
        ["{%tr for it in agreement.inventory %}"],
        ["{{ loop.index }}", "{{ it.name }}", "{{ it.kind }}", "{{ it.location or '—' }}", "{{ it.quantity }}",
         "{{ it.note or '—' }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.2, 3.6, 2.4, 3.0, 1.4, 3.4])
    style_columns(t, {0: CENTER, 2: CENTER, 4: RIGHT})
    _blank_row(doc)
    tag(doc, "{%p else %}")
    c.items("双方应在服务期限开始之日起十五日内共同盘点纳入服务的系统与设备，形成书面清单并签字确认；"
            "确认后的清单为本附件的组成部分。")
    tag(doc, "{%p endif %}")
    para(doc, f"{c.n}.2　下列系统的月度可用率按附件二《服务等级协议》考核："
              "{{ agreement.sla.availability_systems|join('、') }}。")
    para(doc, f"{c.n}.3　服务期限内新增、撤除或更换系统与设备的，双方应书面确认后调整本清单；"
              "调整导致工作量明显变化的，按附件六《报价明细》或双方另行商定的价格调整服务费。")

    c("服务方式与服务时间")
    c.items("乙方以{% if agreement.service_mode == '驻场+远程' %}驻场与远程相结合{% else %}"
            "{{ agreement.service_mode }}{% endif %}的方式提供服务。",
            "服务窗口为{{ agreement.sla.service_window }}"
            "{% if calc.window.round_the_clock %}，即每周七天、每天二十四小时，法定节假日不间断"
            "{% else %}，即{{ calc.window.days_text }} {{ calc.window.hours }}{% endif %}。"
            "服务窗口以外的服务要求，以附件二《服务等级协议》的约定为准。")
    signatures(doc)


# --------------------------------------------------------------------------- 附件四 考核办法

def assessment(doc) -> None:
    set_core_properties(doc, title="考核办法", subject="运维外包服务合同附件四")
    header_footer(doc, "编号：{{ doc.number }}")
    annex_title(doc, "附件四", "考核办法")
    c = Clauses(doc)
    c("依据与适用")
    c.items("本办法依据甲方《{{ policy.title }}》"
            "（{{ policy.version }} 版，自{{ policy.effective_date|cn_date }}起施行）"
            "制定，适用于主合同服务期限内甲方对乙方的考核。管理办法此后的修订，经双方签订补充协议后方适用于本合同。",
            "考核以甲方工单系统、监控系统和考勤记录为基础数据。乙方有权查阅与其考核有关的原始记录，"
            "并可按第六条提出异议。")

    c("考核周期")
    c.items("月度考核：每个自然月按第三条计算月度得分。服务期限首月或末月不足一个整月的，按实际服务天数计算。",
            "季度考核：自服务期限开始之日起每三个月为一个考核季度，季度得分为该季度各月度得分的算术平均值。"
            "甲方应在每个考核季度结束后 {{ agreement.fees.assessment_workdays }} 个工作日内向乙方书面出具季度考核结果；"
            "逾期未出具的，视为该季度考核等级为“{{ calc.deemed_grade }}”。",
            "年度考核：年度得分 = 各季度得分的平均值 × {{ policy.assessment.annual_quarters_pct|target }}"
            " + 年度复核分 × {{ (100 - policy.assessment.annual_quarters_pct)|target }}；"
            "年度复核分以合同年度内的全部数据、按第三条的方法计算。服务期限不足一年的，按实际季度计算。")

    c("考核维度、权重与评分方法")
    c.items("月度得分为各维度得分（0 分至 100 分）与其权重乘积之和，各项乘积保留两位小数（四舍五入）：")
    t = table(doc, ["考核维度", "权重", "评分方法"], [
        ["{%tr for w in policy.assessment.weights %}"],
        ["{{ w.name }}", pct("w.weight"),
         "{% if w.key == 'sla' %}按时完成的时限数 ÷ 结果已确定的时限数 × 100；当月可用率未达标的，扣 10 分"
         "{% elif w.key == 'staffing' %}100 − 5 × 考勤不符合事项次数"
         "{% elif w.key == 'security' %}100 − 20 × 一级、二级安全事件起数"
         "（类别为“安全事件”、级别为附件二一级或二级的工单）"
         "{% elif w.key == 'process' %}闭环时限达成率 × 100 − 10 × 未按期提交复盘的一级故障起数"
         "{% elif w.key == 'satisfaction' %}满意评价（4 分及以上）÷ 有效评价 × 100"
         "{% else %}100 − 10 × 超出恢复时限的一级、二级工单张数 − 10 × 逾期未完成的改进措施项数{% endif %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.2, 1.8, 10.0])
    style_columns(t, {0: CENTER, 1: CENTER})
    _blank_row(doc)
    para(doc, f"{c.n}.2　当月没有可计量的工单、评价或事件的维度按 100 分计；维度得分低于 0 分的按 0 分计。")

    c("考核等级与绩效服务费")
    c.items("考核等级按得分划分如下，绩效服务费按所属季度的考核等级支付：")
    t = table(doc, ["考核等级", "得分区间", "绩效服务费支付比例"], [
        ["{%tr for p in calc.payouts %}"],
        ["{{ p.grade }}", BAND_TEXT, pct("p.pct")],
        ["{%tr endfor %}"],
    ], widths_cm=[3.5, 6.5, 5.0])
    style_columns(t, {0: CENTER, 1: CENTER, 2: CENTER})
    _blank_row(doc)
    tag(doc, "{%p if policy.assessment.grade_caps %}")
    para(doc, f"{c.n}.2　有下列情形之一的，当月及其所在考核季度的考核等级不高于所列等级，不论得分："
              "{% for cap in policy.assessment.grade_caps %}" + CAP_TEXT + "的，不高于“{{ cap.max_grade }}”"
              "{% if not loop.last %}；{% endif %}{% endfor %}。")
    tag(doc, "{%p endif %}")

    c("违约金标准")
    c.items("驻场人员发生下列不符合事项的，乙方按下表支付违约金，由甲方从当期应付服务费中扣除：")
    deduction_table(doc)
    para(doc, f"{c.n}.2　每月违约金合计不超过当月月度服务费的 " + pct("policy.deductions.monthly_cap_pct")
         + "，即{{ calc.deduction_cap_amount|rmb_full }}；服务级别未达标的服务抵扣按附件二执行，"
           "每月合计不超过月度服务费的 " + pct("agreement.sla.credit_cap_pct") + "。")

    c("异议与结果运用")
    c.items("乙方对考核结果有异议的，应在收到结果之日起五个工作日内书面提出并附证据，"
            "甲方应在收到异议之日起五个工作日内复核并书面答复。",
            "连续 {{ policy.assessment.terminate_after_consecutive_fails }} 个季度考核为"
            "“{{ policy.assessment.fail_grade }}”的，甲方有权依照主合同的约定解除合同。"
            "年度考核结果作为续签的依据。")
    signatures(doc)


# --------------------------------------------------------------------------- 附件五 驻场人员清单

def staffing(doc) -> None:
    set_core_properties(doc, title="驻场人员清单", subject="运维外包服务合同附件五")
    header_footer(doc, "编号：{{ doc.number }}")
    annex_title(doc, "附件五", "驻场人员清单")
    c = Clauses(doc)
    c("驻场人员")
    tag(doc, "{%p if staff %}")
    c.items("乙方派驻甲方的人员如下。乙方保证所列人员具备所列资质，上岗前已签署个人保密承诺书：")
    t = table(doc, ["序号", "姓名", "岗位", "值守", "到岗日期", "年限", "资质证书", "承诺书"], [
        ["{%tr for s in staff %}"],
        ["{{ loop.index }}", "{{ s.name }}", "{{ s.role }}", "{{ s.post_type }}", "{{ s.start_date|cn_date }}",
         "{{ s.years_experience }} 年", "{{ s.certificates|join('、') or '—' }}",
         "{% if s.pledge_signed %}已签署{% else %}未签署{% endif %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[0.9, 1.5, 2.6, 1.4, 3.1, 1.2, 3.1, 1.2], font_pt=9)
    style_columns(t, {0: CENTER, 1: CENTER, 3: CENTER, 4: CENTER, 5: CENTER, 7: CENTER})
    _blank_row(doc)
    tag(doc, "{%p else %}")
    c.items("乙方应在服务期限开始之日前十个工作日内向甲方提交驻场人员名单（姓名、岗位、值守方式、到岗日期、"
            "从业年限、资质证书），经甲方书面确认后作为本附件的组成部分。")
    tag(doc, "{%p endif %}")

    c("人员变更")
    c.items("驻场人员的新增、替换与撤离，按主合同约定的程序办理并填写运维人员变更登记表；"
            "经双方确认的变更登记表为本清单的更新。",
            "本清单仅载明履行合同所必需的个人信息。双方应依照《中华人民共和国个人信息保护法》处理清单所列信息，"
            "不得用于履行本合同以外的目的。")
    signatures(doc)


# --------------------------------------------------------------------------- 附件六 报价明细

def pricing(doc) -> None:
    set_core_properties(doc, title="报价明细", subject="运维外包服务合同附件六")
    header_footer(doc, "编号：{{ doc.number }}")
    annex_title(doc, "附件六", "报价明细")
    c = Clauses(doc)
    c("合同价款")
    t = table(doc, ["项目", "金额（元）", "说明"], [
        ["合同总价（含税）", "{{ agreement.fees.total|money }}", "大写：{{ agreement.fees.total|rmb_upper }}"],
        ["其中：不含税金额", "{{ calc.net_amount|money }}", ""],
        ["　　　增值税", "{{ calc.tax_amount|money }}", "税率 " + pct("agreement.fees.tax_rate_pct")],
        ["基础服务费", "{{ calc.base_amount|money }}", "按期支付"],
        ["绩效服务费", "{{ calc.performance_amount|money }}",
         "合同总价的 " + pct("agreement.fees.performance_share_pct") + "，按季度考核等级支付"],
        ["月度服务费", "{{ agreement.fees.monthly|money }}", "服务抵扣与违约金上限的计算基数"],
    ], widths_cm=[4.0, 3.6, 7.4])
    style_columns(t, {1: RIGHT})
    _blank_row(doc)
    para(doc, f"{c.n}.2　合同总价包含乙方履行本合同所需的人员、工具、差旅、备品备件（双方另有约定的除外）及税费，"
              "除本附件另有约定外，甲方无须另行支付其他费用。"
              "{% if agreement.fees.total_basis %}合同总价的构成：{{ agreement.fees.total_basis }}。{% endif %}")

    c("分期支付")
    c.items("服务费按下表分期支付。每期金额中的绩效服务费部分，按该期所覆盖季度的考核等级与附件四的支付比例计付：")
    t = table(doc, ["期次", "比例／月数", "金额（元）", "其中基础服务费", "其中绩效服务费", "支付条件"], [
        ["{%tr for p in calc.payments %}"],
        ["{{ p.stage }}", "{% if p.months %}{{ p.months }} 个月{% else %}" + pct("p.percent") + "{% endif %}",
         "{{ p.amount|money }}", "{{ p.base|money }}", "{{ p.performance|money }}",
         "{{ p.condition }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.6, 1.6, 2.2, 2.2, 2.2, 4.2], font_pt=9)
    style_columns(t, {1: CENTER, 2: RIGHT, 3: RIGHT, 4: RIGHT})
    _blank_row(doc)
    para(doc, f"{c.n}.2　乙方每期向甲方开具{{{{ agreement.fees.invoice_type }}}}："
              "基础服务费部分于该期服务期间届满后开具，"
              "绩效服务费部分于考核结果确认（或依附件四视为确认）后按应付金额开具。"
              "甲方应在收到发票之日起 {{ agreement.fees.payment_days }} 日内付款；有争议的，无争议部分先行支付；"
              "逾期付款的，"
              "按逾期金额每日 " + pct("agreement.fees.late_interest_daily_pct") + " 向乙方支付逾期利息。")

    c("范围外服务单价")
    tag(doc, "{%p if agreement.fees.extra_rates %}")
    c.items("超出附件一《服务清单》范围的服务，经甲方书面确认后按下列含税单价计价，按实际发生量结算：")
    t = table(doc, ["序号", "服务项目", "计价单位", "含税单价（元）", "说明"], [
        ["{%tr for r in agreement.fees.extra_rates %}"],
        ["{{ loop.index }}", "{{ r.item }}", "{{ r.unit }}", "{{ r.price|money }}", "{{ r.note or '—' }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.3, 4.5, 2.2, 3.0, 4.0])
    style_columns(t, {0: CENTER, 2: CENTER, 3: RIGHT})
    _blank_row(doc)
    tag(doc, "{%p else %}")
    c.items("超出附件一《服务清单》范围的服务，其价格由双方在实施前另行书面约定；未经甲方书面确认的，甲方不承担费用。")
    tag(doc, "{%p endif %}")
    signatures(doc)


DRAFTS = {"scope_annex.docx": scope, "assessment_annex.docx": assessment,
          "staffing_annex.docx": staffing, "pricing_annex.docx": pricing}


def main() -> int:
    draft_args(__doc__.splitlines()[0])
    for name, write in DRAFTS.items():
        doc = new_document()
        write(doc)
        try:
            save(doc, TEMPLATES / "contracts" / name)
        except SystemExit as kept:
            print(kept)
    return 0


if __name__ == "__main__":
    sys.exit(main())
