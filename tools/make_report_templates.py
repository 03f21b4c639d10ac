"""Write templates/forms/monthly_report.docx and annual_report.docx (月度 / 年度运维服务报告)."""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_builder import (  # noqa: E402
    draft_args,
    header_footer,
    heading,
    new_document,
    page_break,
    para,
    save,
    set_core_properties,
    signature_table,
    table,
    tag,
    title,
)

ROOT = Path(__file__).resolve().parents[1]
NA = "{% else %}—{% endif %}"


def cover(doc, kind: str, period: str) -> None:
    header_footer(doc, "{{ vendor.short_name }} · " + kind + " · " + period)
    for _ in range(3):
        para(doc, style="无缩进")
    para(doc, "{{ client.name }}", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    title(doc, kind)
    para(doc, "{{ agreement.project_name }}", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "报告期：" + period, style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(4):
        para(doc, style="无缩进")
    table(doc, ["项目", "内容"], [
        ["服务商（乙方）", "{{ vendor.name }}（{{ vendor.tier }}）"],
        ["合同编号", "{{ agreement.contract_no }}"],
        ["统计区间", "{{ period.start|cn_date }}至{{ period.end|cn_date }}"],
        ["依据", "《{{ policy.title }}》{{ policy.version }} 版（{{ policy.effective_date|cn_date }}起施行）"],
        ["编制", "{{ vendor.contact.name }}（乙方）"],
        ["审核 / 甲方确认", "　"],
    ], widths_cm=[4.0, 11.0])
    page_break(doc)


def caption(doc, text: str) -> None:
    """A line introducing the table below it: a little air above, never parted from the table."""
    p = para(doc, text, style="无缩进")
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True


def monthly() -> None:
    doc = new_document()
    set_core_properties(doc, title="月度运维服务报告", subject="月度运维服务报告")
    cover(doc, "月度运维服务报告", "{{ period.label }}")

    heading(doc, "一、摘要")
    para(doc, "本月共受理工单 {{ m.ticket_count }} 张{% if m.ticket_count == 0 %}，未发生故障事件{% endif %}；"
         "{% if m.targets_total %}SLA 指标达标 {{ m.targets_met }}/{{ m.targets_total }} 项"
         "（{{ m.target_attainment_pct|percent }}），按工单计的时限达成率 {{ m.overall_attainment_pct|percent }}"
         "{% if m.breaches %}，超时 {{ m.breaches|length }} 项（列于第三节）{% endif %}"
         "{% else %}本月无结果确定的 SLA 时限{% endif %}；"
         "{% if m.systems|length > 1 %}最低系统{% endif %}可用率 {{ m.availability_pct|percent }}"
         "（目标 {{ m.availability_target_pct|target }}，"
         "{% if m.availability_ok %}达标{% else %}未达标{% endif %}）；"
         "考勤违约金 {{ m.deduction_applied|money }} 元；月度考核得分 {{ m.score }} 分，等级为“{{ m.grade }}”。"
         "{% if m.open_tickets %}截至月末仍有 {{ m.open_tickets|length }} 张工单未关闭，列于第四节。{% endif %}"
         "{{ compare }}")
    tag(doc, "{%p if m.partial_months %}")
    para(doc, "本月仅部分日期在合同服务期内：统计区间为{{ period.start|cn_date }}至{{ period.end|cn_date }}"
         "（{{ m.days }}天）。可用率按该区间的分钟数计算；月度服务费按天折算为 {{ m.fee|money }} 元"
         "（{{ m.fee|rmb_upper }}），服务抵扣及违约金上限均以折算后的服务费为基数。")
    tag(doc, "{%p endif %}")

    heading(doc, "二、人员与考勤")
    para(doc, "本月在岗驻场人员 {{ staff|length }} 人，本月考勤不符合事项 {{ m.deduction_lines|length }} 项，"
         "请假 {{ m.leave|length }} 人次，人员变更 {{ m.changes|length }} 项。")
    table(doc, ["姓名", "岗位", "值守类型", "上岗日期", "保密承诺书"], [
        ["{%tr for s in staff %}"],
        ["{{ s.name }}", "{{ s.role }}", "{{ s.post_type }}", "{{ s.start_date|cn_date }}",
         "{% if s.pledge_signed %}已签{% else %}未签{% endif %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.2, 4.0, 2.5, 3.5, 2.8])
    tag(doc, "{%p if m.leave %}")
    caption(doc, "本月请假情况：")
    table(doc, ["编号", "人员", "类型", "起止时间", "时长", "替岗人员"], [
        ["{%tr for l in m.leave %}"],
        ["{{ l.id }}", "{{ names[l.staff] }}", "{{ l.type }}",
         "{{ l.start|cn_datetime }} 至 {{ l.end|cn_datetime }}",
         "{{ m.leave_hours[l.id] }}小时{% if m.leave_hours[l.id] != l.hours %}"
         "（共{{ l.hours }}小时，跨月按天折算）{% endif %}",
         "{% if l.substitute %}{{ names[l.substitute] }}" + NA],
        ["{%tr endfor %}"],
    ], widths_cm=[1.6, 1.6, 1.2, 5.0, 3.2, 2.4])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if m.changes %}")
    caption(doc, "本月人员变更：")
    table(doc, ["编号", "类型", "原人员", "新人员", "生效日期"], [
        ["{%tr for c in m.changes %}"],
        ["{{ c.id }}", "{{ c.type }}", "{% if c.old_staff %}{{ names[c.old_staff] }}" + NA,
         "{% if c.new_person %}{{ c.new_person.name }}" + NA, "{{ c.effective|cn_date }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.0, 2.0, 3.5, 3.5, 4.0])
    tag(doc, "{%p endif %}")

    heading(doc, "三、SLA 达成情况")
    para(doc, "计时规则：{{ clock }}，以分钟计（与服务等级协议第二条一致）；恰好在时限内完成的视为达成。"
         "每项时限在其结果确定的月份计入：按时完成的，计入完成的月份；时限届满仍未完成的，计为超时，"
         "计入届满的月份（服务等级协议第三条：按时完成的工单数 ÷ 该级工单总数）；截至数据导出时尚未届满的，"
         "列为“未届满”，待届满或完成后计入。到场时限内已远程恢复的，视为到场时限达成。单项达成率不低于 "
         "{{ agreement.sla.attainment_target_pct|target }} 为达标。SLA 指标达标率 = 达标的指标项数 ÷ 有计量的指标项数"
         "（本月 {{ m.targets_met }}/{{ m.targets_total }}）；按工单计的时限达成率 = 各项达成数之和 ÷ 计量数之和，"
         "用于考核中的服务质量得分。")
    table(doc, ["级别", "指标", "时限", "已计量", "达成", "未届满", "达成率", "是否达标"], [
        ["{%tr for r in m.sla_rows %}"],
        ["{{ r.level }}", "{{ r.metric }}", "{{ r.target }}", "{{ r.measured }}", "{{ r.met }}",
         "{{ r.pending }}", "{% if r.attainment_pct is not none %}{{ r.attainment_pct|percent }}" + NA,
         "{% if r.ok is none %}无数据{% elif r.ok %}达标{% else %}未达标{% endif %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.3, 1.4, 2.0, 1.6, 1.4, 1.6, 2.2, 2.0])

    tag(doc, "{%p if m.breaches %}")
    caption(doc, "本月超时明细（乙方对超时认定有异议的，应在收到本报告后 5 个工作日内书面提出）：")
    table(doc, ["工单号", "时限", "起算时间", "届满时间", "完成时间"], [
        ["{%tr for b in m.breaches %}"],
        ["{{ b.ticket }}", "{{ b.level }} {{ b.metric }}", "{{ b.clock_start|cn_short_datetime }}",
         "{{ b.deadline|cn_short_datetime }}",
         "{% if b.stamp %}{{ b.stamp|cn_short_datetime }}{% else %}届满时未完成{% endif %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.4, 1.7, 3.3, 3.3, 3.3])
    tag(doc, "{%p endif %}")

    heading(doc, "四、事件统计")
    para(doc, "本月工单 {{ m.ticket_count }} 张。平均恢复时间（MTTR，报障至恢复，按自然时间计，"
         "只计故障事件，不含咨询与服务请求及四级事件）："
         "{% if m.mttr_minutes is not none %}{{ m.mttr_minutes }} 分钟（约 {{ (m.mttr_minutes / 60)|round(1) }} 小时）"
         "{% else %}本月无已恢复的故障事件{% endif %}"
         "{% for level, v in m.mttr_by_level.items() %}；{{ level }} "
         "{% if v is not none %}{{ v }} 分钟{% else %}—{% endif %}{% endfor %}。")
    table(doc, ["级别", "工单数"], [
        ["{%tr for level, n in m.by_severity.items() %}"],
        ["{{ level }}", "{{ n }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[7.5, 7.5])
    tag(doc, "{%p if m.by_category %}")
    table(doc, ["类别", "工单数"], [
        ["{%tr for cat, n in m.by_category.items() %}"],
        ["{{ cat }}", "{{ n }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[7.5, 7.5])
    tag(doc, "{%p endif %}")
    para(doc, "{{ charts.severity }}", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "问题管理：{{ policy.problems.window_days }} 天内同一系统摘要相近的故障事件发生 "
         "{{ policy.problems.min_count }} 次及以上的，列为疑似问题，乙方应开展根因分析并在下期报告说明结论。"
         "{% if not m.problems %}本月无疑似问题。{% endif %}")
    para(doc, "重大故障（一级）：本月 {{ m.major|length }} 起{% if m.major %}，复盘情况如下"
         "（乙方应在故障恢复后提交故障分析报告）{% endif %}。")
    tag(doc, "{%p for x in m.major %}")
    para(doc, "{{ x.ticket.id }}（{{ x.ticket.system }}，{{ x.ticket.summary }}，"
         "{{ x.ticket.opened|cn_short_datetime }}）："
         "{% if x.review %}原因：{{ x.review.cause }}；影响：{{ x.review.impact }}；处置：{{ x.review.fix }}；"
         "预防：{{ x.review.prevention }}；责任人：{{ x.review.owner }}（{{ x.review.reviewed|cn_date }}复盘）。"
         "{% else %}故障分析报告尚未提交，列为待办事项。{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if m.problems %}")
    table(doc, ["系统", "事件摘要", "次数", "相关工单"], [
        ["{%tr for p in m.problems %}"],
        ["{{ p.system }}", "{{ p.summary }}", "{{ p.tickets|length }}", "{{ p.tickets|join('、') }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.8, 4.6, 1.2, 6.4])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if m.carried %}")
    caption(doc, "上期未关闭工单处理结果：")
    table(doc, ["工单号", "级别", "摘要", "报障时间", "处理结果"], [
        ["{%tr for c in m.carried %}"],
        ["{{ c.ticket.id }}", "{{ c.ticket.severity }}", "{{ c.ticket.summary }}",
         "{{ c.ticket.opened|cn_short_datetime }}",
         "{% if c.closed_in_period %}{{ c.ticket.closed|cn_short_datetime }} 已关闭{% else %}仍未关闭{% endif %}"
         "{% for o in c.decided %}；{{ o.metric }}{% if o.met %}按时{% else %}超时{% endif %}{% endfor %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.4, 1.2, 3.5, 3.3, 3.6])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if m.open_tickets %}")
    para(doc, "月末未关闭工单：", style="无缩进")
    table(doc, ["工单号", "级别", "系统", "摘要", "报障时间"], [
        ["{%tr for t in m.open_tickets %}"],
        ["{{ t.id }}", "{{ t.severity }}", "{{ t.system }}", "{{ t.summary }}", "{{ t.opened|cn_datetime }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.2, 1.2, 3.0, 4.4, 3.2])
    tag(doc, "{%p endif %}")

    heading(doc, "五、可用性")
    para(doc, "可用率按系统分别计算：可用率 =（周期总分钟数 − 该系统不可用分钟数）÷ 周期总分钟数 × 100%，"
         "本月周期总分钟数 {{ m.days * 1440 }}。不可用分钟数取工单记录的停机时长；跨月的停机按报障至恢复的时间"
         "在各月所占比例分摊。多个系统的，按最低的系统可用率判断是否达标并计算服务抵扣（服务等级协议第五条）。")
    caption(doc, "各系统可用率：")
    table(doc, ["系统", "不可用分钟数", "可用率", "是否达标", "计入工单"], [
        ["{%tr for s in m.systems %}"],
        ["{{ s.system }}", "{{ s.downtime_minutes }}", "{{ s.availability_pct|percent }}",
         "{% if s.ok %}达标{% else %}未达标{% endif %}", "{% if s.tickets %}{{ s.tickets|join('、') }}" + NA],
        ["{%tr endfor %}"],
    ], widths_cm=[3.4, 2.8, 2.0, 1.8, 5.0])
    para(doc, "本月{% if m.systems|length > 1 %}最低系统{% endif %}可用率 {{ m.availability_pct|percent }}，"
         "目标 {{ m.availability_target_pct|target }}，"
         "{% if m.availability_ok %}达标{% else %}未达标{% endif %}。"
         "{% if m.credit_amount > 0 %}按服务等级协议，本月服务抵扣 {{ m.credit_amount|money }} 元"
         "（{{ m.credit_amount|rmb_upper }}）：可用率抵扣比例 {{ m.credit_pct|percent(0) }}，"
         "金额 {{ m.availability_credit|money }} 元"
         "{% if m.limit_credits %}；恢复超时 {{ m.limit_credits|length }} 张，抵扣 {{ m.limit_credit_total|money }} 元"
         "{% endif %}{% if m.credit_capped %}；合计超过每月上限，按上限计{% endif %}。"
         "{% else %}本月无服务抵扣。{% endif %}")
    tag(doc, "{%p if m.limit_credits %}")
    caption(doc, "恢复超时的服务抵扣（服务等级协议第五条）：")
    table(doc, ["工单号", "级别", "恢复时限届满", "抵扣比例", "抵扣金额（元）"], [
        ["{%tr for c in m.limit_credits %}"],
        ["{{ c.ticket }}", "{{ c.level }}", "{{ c.deadline|cn_short_datetime }}", "{{ c.pct|target }}",
         "{{ c.amount|money }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.6, 1.6, 4.0, 2.4, 3.4])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if m.outages %}")
    caption(doc, "计入可用率的停机工单（乙方有异议的，应在收到本报告后 5 个工作日内书面提出）：")
    table(doc, ["工单号", "系统", "报障时间", "恢复时间", "记录停机", "报障至恢复"], [
        ["{%tr for o in m.outages %}"],
        ["{{ o.ticket }}", "{{ o.system }}", "{{ o.opened|cn_short_datetime }}",
         "{% if o.restored %}{{ o.restored|cn_short_datetime }}{% else %}未恢复{% endif %}",
         "{{ o.downtime_minutes }}{% if o.downtime_minutes != o.recorded_minutes %}（共 {{ o.recorded_minutes }}）"
         "{% endif %}",
         "{% if o.span_minutes is not none %}{{ o.span_minutes }}{% else %}—{% endif %}{% if o.short %}*{% endif %}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.2, 2.6, 2.8, 2.8, 1.8, 1.8], font_pt=9)
    tag(doc, "{%p if m.outages|selectattr('short')|list %}")
    para(doc, "时长单位为分钟。* 记录的停机时长短于报障至恢复的时长：按记录计入，甲乙双方可据监控记录核对。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    heading(doc, "六、满意度与投诉")
    para(doc, "{% if m.satisfaction_responses %}本月收回有效评价 {{ m.satisfaction_responses }} 份，满意（4 分及以上）"
         "{{ m.satisfied }} 份，满意度 {{ m.satisfaction_pct|percent }}，平均 {{ m.satisfaction_avg }} 分。"
         "{% else %}本月无有效评价。{% endif %}"
         "本月经核实的用户投诉 {{ m.complaints|length }} 起{% if m.complaints %}，列于下表，"
         "并按管理办法计入第七节违约金{% endif %}。")
    tag(doc, "{%p if m.complaints %}")
    table(doc, ["记录号", "日期", "人员", "投诉内容"], [
        ["{%tr for c in m.complaints %}"],
        ["{{ c.record }}", "{{ c.date|cn_month_day }}", "{{ c.staff_name }}", "{{ c.note }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.3, 1.8, 1.6, 8.3])
    tag(doc, "{%p endif %}")

    heading(doc, "七、不符合项与违约金明细")
    para(doc, "依据《{{ policy.title }}》，下列考勤不符合事项按乙方违约金计收，从当期应付服务费中扣除；"
         "当月违约金合计不超过月度服务费的 {{ policy.deductions.monthly_cap_pct|target }}"
         "（{{ m.deduction_cap|money }} 元）。")
    tag(doc, "{%p if m.deduction_lines %}")
    table(doc, ["记录号", "日期", "人员", "事项", "金额（元）", "事实与计算"], [
        ["{%tr for d in m.deduction_lines %}"],
        ["{{ d.record }}", "{% for day in d.days %}{{ day|cn_month_day }}{% if not loop.last %}、{% endif %}"
         "{% endfor %}",
         "{{ d.staff_name }}", "{{ d.rule_name }}", "{{ d.amount|money }}",
         "{{ d.note }}{% if d.after_leave %}（请假 {{ d.after_leave }} 期满未销假）{% endif %}；"
         "{{ d.unit_amount|money }} 元 × {{ d.count }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.3, 2.2, 1.4, 1.8, 2.0, 4.3])
    tag(doc, "{%p endif %}")
    para(doc, "违约金合计 {{ m.deduction_total|money }} 元{% if m.deduction_capped %}，超过上限，"
         "按上限计收{% endif %}；"
         "本月实际扣除 {{ m.deduction_applied|money }} 元，即人民币（大写）{{ m.deduction_applied|rmb_upper }}。")

    heading(doc, "八、月度考核")
    table(doc, ["维度", "权重", "得分", "加权得分"], [
        ["{%tr for w in policy.assessment.weights %}"],
        ["{{ w.name }}", "{{ w.weight|percent(0) }}", "{{ m.scores[w.key] }}", "{{ weighted[w.key] }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[6.0, 3.0, 3.0, 3.0])
    para(doc, "综合得分 {{ m.score }} 分，考核等级：{{ m.grade }}。"
         "{% if m.grade != m.score_grade %}（按得分为“{{ m.score_grade }}”；{% endif %}"
         "{% if m.grade_caps %}{% if m.grade == m.score_grade %}（{% endif %}依管理办法，"
         "{{ m.grade_caps|join('；') }}。）{% endif %}")
    tag(doc, "{%p if m.settlement %}")
    caption(doc, "本月服务费结算（绩效服务费按季度考核等级支付；下表按本月等级预计，以季度考核结果为准）：")
    table(doc, ["项目", "金额（元）"], [
        ["月度服务费{% if m.partial_months %}（按天折算）{% endif %}", "{{ m.settlement.fee|money }}"],
        ["其中：基础服务费", "{{ m.settlement.base|money }}"],
        ["　　　绩效服务费（{{ agreement.fees.performance_share_pct|target }}）",
         "{{ m.settlement.performance|money }}"],
        ["绩效服务费按本月等级“{{ m.grade }}”预计支付"
         "{% if m.settlement.payout_pct is not none %} {{ m.settlement.payout_pct|target }}{% endif %}",
         "{% if m.settlement.performance_paid is not none %}{{ m.settlement.performance_paid|money }}"
         "{% else %}按合同约定{% endif %}"],
        ["减：服务抵扣", "{{ m.settlement.credit|money }}"],
        ["减：考勤违约金", "{{ m.settlement.deductions|money }}"],
        ["本月预计应付服务费", "{% if m.settlement.payable is not none %}{{ m.settlement.payable|money }}"
         "{% else %}—{% endif %}"],
    ], widths_cm=[9.0, 6.0])
    para(doc, "{% if m.settlement.payable is not none %}本月预计应付服务费为人民币（大写）"
         "{{ m.settlement.payable|rmb_upper }}。{% else %}本月考核等级在管理办法中没有对应的绩效支付比例，"
         "应付金额按合同约定结算。{% endif %}")
    tag(doc, "{%p endif %}")

    caption(doc, "各维度的计算方法与本月数据（得分限于 0～100，四舍五入至 0.01）：")
    table(doc, ["维度", "计算方法与本月数据", "得分"], [
        ["{%tr for w in policy.assessment.weights %}"],
        ["{{ w.name }}", "{{ m.basis[w.key] }}", "{{ m.scores[w.key] }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.4, 9.6, 2.0])

    heading(doc, "九、趋势")
    table(doc, ["月份", "工单数", "SLA 达成率", "可用率", "违约金（元）", "得分", "等级"], [
        ["{%tr for t in trend %}"],
        ["{{ t.label }}", "{{ t.tickets }}", "{{ t.attainment }}", "{{ t.availability }}", "{{ t.deductions|money }}",
         "{{ t.score }}", "{{ t.grade }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.8, 1.5, 2.3, 2.3, 2.3, 1.6, 1.6])
    para(doc, "{{ charts.trend }}", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)

    heading(doc, "十、改进措施与下月计划")
    tag(doc, "{%p if m.actions %}")
    caption(doc, "改进措施跟踪（逐月跟踪至完成）：")
    table(doc, ["编号", "措施", "责任人", "提出", "期限", "状态"], [
        ["{%tr for s in m.actions %}"],
        ["{{ s.action.id }}", "{{ s.action.action }}{% if s.action.source %}（{{ s.action.source }}）{% endif %}",
         "{{ s.action.owner }}", "{{ s.action.raised|cn_month_day }}", "{{ s.action.due|cn_month_day }}",
         "{{ s.status }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.7, 5.3, 1.4, 1.8, 1.8, 2.0])
    tag(doc, "{%p endif %}")
    caption(doc, "{% if m.actions %}本月指标提示的其他事项：{% else %}本月指标提示的改进事项"
                 "（改进措施台账 improvements.yaml 中尚无本合同的措施）：{% endif %}")
    tag(doc, "{%p for item in improvements %}")
    para(doc, "{{ loop.index }}. {{ item }}")
    tag(doc, "{%p endfor %}")

    heading(doc, "十一、确认")
    signature_table(doc, [("乙方", "{{ vendor.name }}"), ("甲方", "{{ client.name }}")])
    save(doc, ROOT / "templates/forms/monthly_report.docx")


def annual() -> None:
    doc = new_document()
    set_core_properties(doc, title="年度运维服务报告", subject="年度运维服务报告")
    cover(doc, "年度运维服务报告", "{{ period.label }}")

    heading(doc, "一、年度概况")
    para(doc, "{{ period.label }}（统计 {{ y.months|length }} 个月）共受理工单 {{ y.total_tickets }} 张，"
         "扣除考勤违约金合计 {{ y.total_deductions|money }} 元（{{ y.total_deductions|rmb_upper }}），"
         "服务抵扣合计 {{ y.total_credits|money }} 元。年度综合得分 {{ y.annual_score }} 分，"
         "等级“{{ y.annual_grade }}”。")
    tag(doc, "{%p if y.review and y.review.partial_months %}")
    para(doc, "其中{{ y.review.partial_months|join('、') }}仅部分日期在合同服务期内，该月服务费按天折算，"
         "可用率、服务抵扣及违约金上限均按服务期内的天数计算。")
    tag(doc, "{%p endif %}")

    heading(doc, "二、月度考核结果")
    table(doc, ["月份", "工单数", "时限达成率", "可用率", "服务抵扣（元）", "违约金（元）", "得分", "等级"], [
        ["{%tr for t in months %}"],
        ["{{ t.label }}", "{{ t.tickets }}", "{{ t.attainment }}", "{{ t.availability }}", "{{ t.credits|money }}",
         "{{ t.deductions|money }}", "{{ t.score }}", "{{ t.grade }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[2.4, 1.3, 2.0, 1.9, 2.2, 2.0, 1.6, 1.6])
    para(doc, "{{ charts.trend }}", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ charts.deductions }}", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    caption(doc, "各季度服务费结算（绩效服务费按季度考核等级支付，见合同第八条）：")
    table(doc, ["季度", "等级", "服务费", "绩效服务费", "其中应付", "服务抵扣", "违约金", "应付服务费"], [
        ["{%tr for r in settlements %}"],
        ["{{ r.label }}", "{{ r.grade }}", "{{ r.fee|money }}", "{{ r.performance|money }}",
         "{% if r.performance_paid is not none %}{{ r.performance_paid|money }}" + NA,
         "{{ r.credit|money }}", "{{ r.deductions|money }}",
         "{% if r.payable is not none %}{{ r.payable|money }}" + NA],
        ["{%tr endfor %}"],
        ["{{ settlement_total.label }}", "", "{{ settlement_total.fee|money }}",
         "{{ settlement_total.performance|money }}",
         "{% if settlement_total.performance_paid is not none %}{{ settlement_total.performance_paid|money }}" + NA,
         "{{ settlement_total.credit|money }}", "{{ settlement_total.deductions|money }}",
         "{% if settlement_total.payable is not none %}{{ settlement_total.payable|money }}" + NA],
    ], widths_cm=[2.9, 1.0, 1.9, 1.9, 1.9, 1.8, 1.8, 1.9], font_pt=8)
    para(doc, "{% if settlement_total.payable is not none %}统计期内应付服务费合计人民币（大写）"
         "{{ settlement_total.payable|rmb_upper }}；绩效服务费 {{ settlement_total.performance|money }} 元中，"
         "按各季度考核等级应付 {{ settlement_total.performance_paid|money }} 元。{% endif %}")

    heading(doc, "三、季度考核结果")
    table(doc, ["季度", "月数", "季度得分", "等级"], [
        ["{%tr for q in quarters %}"],
        ["{{ q.label }}", "{{ q.months }}", "{{ q.score }}", "{{ q.grade }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[4.0, 3.0, 4.0, 4.0])

    heading(doc, "四、年度评价")
    para(doc, "年度得分 = 季度平均分 × {{ policy.assessment.annual_quarters_pct|percent(0) }} + 年度复核分 × "
         "{{ review_pct|percent(0) }}。季度平均分 {{ quarter_mean }} 分，年度复核分（按统计期内 "
         "{{ y.months|length }} 个月的数据计）"
         "{{ y.review_score }} 分，"
         "年度得分 {{ y.annual_score }} 分，等级“{{ y.annual_grade }}”。")

    heading(doc, "五、续约建议")
    para(doc, "建议：{{ y.renewal }}。{{ y.renewal_reason }}")
    para(doc, "依据管理办法，连续 {{ policy.assessment.terminate_after_consecutive_fails }} 个季度考核为“"
         "{{ policy.assessment.fail_grade }}”的，甲方有权解除合同；本年度最长连续不合格季度数为 "
         "{{ y.consecutive_fail_quarters }}。")

    heading(doc, "六、确认")
    signature_table(doc, [("乙方", "{{ vendor.name }}"), ("甲方", "{{ client.name }}")])
    save(doc, ROOT / "templates/forms/annual_report.docx")


if __name__ == "__main__":
    draft_args('First drafts of the monthly and annual reports.')
    monthly()
    annual()
