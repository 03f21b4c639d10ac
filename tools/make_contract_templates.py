"""Write templates/contracts/service_contract.docx (the annexes: tools/make_annex_templates.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx_builder import (  # noqa: E402
    Clauses,
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
OUT = ROOT / "templates/contracts"


def parties(doc, *, client_role: str = "甲方（委托方）", vendor_role: str = "乙方（服务方）") -> None:
    for role, who in ((client_role, "client"), (vendor_role, "vendor")):
        table(doc, [role, "{{ " + who + ".name }}"], [
            ["统一社会信用代码", "{{ " + who + ".uscc }}"],
            ["法定代表人", "{{ " + who + ".legal_rep }}"],
            ["住所", "{{ " + who + ".address }}"],
            ["联系人及电话", "{{ " + who + ".contact.name }}　{{ " + who + ".contact.phone }}"
             "{% if " + who + ".contact.email %}　{{ " + who + ".contact.email }}{% endif %}"],
            ["开户银行", "{{ " + who + ".bank.bank }}"],
            ["银行账号", "{{ " + who + ".bank.account }}"],
        ], widths_cm=[4.0, 11.0])
        para(doc, style="无缩进")


def signatures(doc) -> None:
    signature_table(doc, [("甲方", "{{ client.name }}"), ("乙方", "{{ vendor.name }}")])


def disputes_clause(doc) -> None:
    tag(doc, '{%p if agreement.disputes.method == "仲裁" %}')
    para(doc, "因本协议引起的或与本协议有关的任何争议，双方应友好协商解决；协商不成的，任何一方均有权将争议提交"
         "{{ agreement.disputes.arbitration_commission }}，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。"
         "仲裁裁决是终局的，对双方均有约束力。")
    tag(doc, "{%p else %}")
    para(doc, "因本协议引起的或与本协议有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地"
         "（{{ client.city }}）有管辖权的人民法院提起诉讼。")
    tag(doc, "{%p endif %}")


def contract() -> None:
    doc = new_document()
    set_core_properties(doc, title="运维外包服务合同", subject="运维外包服务合同")
    header_footer(doc, "合同编号：{{ doc.number }}")
    for _ in range(4):
        para(doc, style="无缩进")
    title(doc, "运维外包服务合同")
    para(doc, style="无缩进")
    table(doc, ["项目", "内容"], [
        ["合同编号", "{{ doc.number }}"],
        ["项目名称", "{{ agreement.project_name }}"],
        ["甲方（委托方）", "{{ client.name }}"],
        ["乙方（服务方）", "{{ vendor.name }}"],
        ["签订日期", "{{ agreement.signing_date|cn_date }}"],
        ["签订地点", "{{ agreement.signing_place }}"],
    ], widths_cm=[4.0, 11.0])
    page_break(doc)

    heading(doc, "合同当事人")
    parties(doc)
    para(doc, "根据《中华人民共和国民法典》《中华人民共和国网络安全法》《中华人民共和国数据安全法》"
         "《中华人民共和国个人信息保护法》及其他有关法律法规的规定，甲乙双方遵循平等、自愿、公平和诚实信用的原则，"
         "就甲方委托乙方提供{{ agreement.project_name }}事宜，经协商一致，订立本合同，共同遵守。")

    c = Clauses(doc)
    c("定义")
    c.items("服务：指乙方依照本合同及其附件向甲方提供的信息系统运行维护服务。",
            "工单：指甲方或其授权人员通过甲方指定的工单系统提出的故障报告或服务请求；工单系统中的时间记录为计算各项时限的依据。",
            "响应、到场、恢复、闭环：含义以附件二《服务等级协议》的定义为准。",
            "驻场人员：指乙方派驻甲方指定地点提供服务、并列入附件五《驻场人员清单》的人员。",
            "管理办法：指甲方发布的《{{ policy.title }}》（{{ policy.version }} 版，"
            "自{{ policy.effective_date|cn_date }}起施行）。管理办法此后的修订，"
            "经双方签订补充协议后方适用于本合同。")

    c("服务内容与范围")
    para(doc, "乙方为甲方提供下列运维服务，具体系统与设备以附件一《服务清单》为准：")
    tag(doc, "{%p for item in agreement.scope %}")
    para(doc, "（{{ loop.index }}）{{ item.name }}：{{ item.description }}。")
    tag(doc, "{%p endfor %}")
    para(doc, "超出上述范围的服务，经双方书面确认后按附件六《报价明细》另行计价。")

    c("服务期限")
    para(doc, "本合同服务期限自{{ agreement.start|cn_date }}起至{{ agreement.end|cn_date }}止，"
         "共 {{ calc.term_months }} 个月。"
         "期满前三十日内，双方可根据年度考核结果协商续签。")

    c("服务方式与服务时间")
    para(doc, "乙方以{{ agreement.service_mode }}方式提供服务，服务窗口为{{ agreement.sla.service_window }}"
         "{% if agreement.sla.service_window == '7×24' %}（每周七天、每天二十四小时），"
         "要求值守的岗位须全天有人在岗并做好交接班记录"
         "{% else %}（工作日每天八小时），非工作时间发生的一级、二级故障仍须按服务等级协议响应{% endif %}。")

    c("服务级别")
    para(doc, "乙方应达到附件二《服务等级协议》（编号 {{ agreement.contract_no }}-SLA）约定的响应、到场、"
         "恢复与闭环时限；"
         "{{ agreement.sla.availability_systems|join('、') }}的月度可用率不低于 "
         "{{ agreement.sla.availability_target_pct|target }}。"
         "未达到约定服务级别的，按附件二的约定进行服务抵扣。")

    c("人员配置与管理")
    c.items("乙方应按附件五配置具备相应资质的驻场人员，驻场人员上岗前须签署个人保密承诺书。",
            "驻场人员应遵守甲方规定的工作时间与考勤制度。乙方对其人员的考勤、纪律承担管理责任。",
            "驻场人员请假须事前申请并填写请销假登记表；请假超过 {{ policy.leave.letter_over_hours }} 小时的，"
            "须由乙方出具书面函；"
            "超过 {{ policy.leave.substitute_over_hours }} 小时的，乙方须安排具备同等能力的替岗人员并完成工作交接。"
            "返岗后应及时销假。",
            "驻场人员原则上不得更换。确需更换的，"
            "乙方应至少提前 {{ policy.change.notice_workdays }} 个工作日出具书面函，"
            "经双方协商一致后方可变更；新人员资质与经验不得低于原人员，并须完成账号、文档与未结工单的交接。",
            "驻场人员不能胜任工作或严重违反甲方管理规定的，甲方有权要求乙方更换，乙方应在五个工作日内完成更换。",
            "乙方与其人员之间的劳动关系由乙方负责，甲方不对乙方人员进行直接的人事管理与处分。")

    c("服务费用及支付")
    para(doc, "本合同含税总价为人民币（大写）{{ agreement.fees.total|rmb_upper }}"
         "（¥{{ agreement.fees.total|money }}），"
         "其中增值税税率 {{ agreement.fees.tax_rate_pct|percent(0) }}，税额 {{ calc.tax_amount|money }} 元，"
         "不含税金额 {{ calc.net_amount|money }} 元。月度服务费为 {{ agreement.fees.monthly|money }} 元。")
    para(doc, "合同总价由基础服务费和绩效服务费两部分组成：基础服务费为人民币（大写）{{ calc.base_amount|rmb_upper }}"
         "（¥{{ calc.base_amount|money }}）；"
         "绩效服务费占合同总价的 {{ agreement.fees.performance_share_pct|percent(0) }}，"
         "即人民币（大写）{{ calc.performance_amount|rmb_upper }}（¥{{ calc.performance_amount|money }}），"
         "按第八条考核结果支付。")
    para(doc, "服务费按下表分期支付：")
    table(doc, ["期次", "比例", "金额（元）", "支付条件"], [
        ["{%tr for p in calc.payments %}"],
        ["{{ p.stage }}", "{{ p.percent|percent(0) }}", "{{ p.amount|money }}", "{{ p.condition }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.2, 1.8, 3.2, 6.8])
    para(doc, "乙方应在每期付款前向甲方开具合法有效的增值税发票。甲方应在乙方交付服务并经考核确认后六十日内付款，"
         "符合《保障中小企业款项支付条例》的规定。违约金与服务抵扣从当期应付服务费中扣除。")

    c("考核")
    para(doc, "甲方按管理办法对乙方进行月度、季度和年度考核，考核维度及权重如下：")
    table(doc, ["考核维度", "权重"], [
        ["{%tr for w in policy.assessment.weights %}"],
        ["{{ w.name }}", "{{ w.weight|percent(0) }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[10.0, 5.0])
    para(doc, "考核等级按得分划分为{{ calc.grade_bands|join('、') }}。绩效服务费按考核等级支付："
         "{% for g, p in policy.assessment.performance_payout_pct.items() %}{{ g }}"
         "{% if p == 100 %}全额支付{% elif p == 0 %}不予支付{% else %}支付 {{ p|target }}{% endif %}"
         "{% if not loop.last %}，{% endif %}{% endfor %}。"
         "{% if policy.assessment.grade_caps %}有下列情形的，当月考核等级不高于所列等级，不论得分："
         "{% for cap in policy.assessment.grade_caps %}{{ cap_text[cap.when] }}的，不高于“{{ cap.max_grade }}”"
         "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}"
         "连续 {{ policy.assessment.terminate_after_consecutive_fails }} "
         "个季度考核为“{{ policy.assessment.fail_grade }}”的，甲方有权依照第十五条解除本合同。")

    c("履约保证金")
    para(doc, "乙方应在本合同签订后十五日内向甲方提交合同总价 {{ agreement.performance_bond_pct|percent(0) }} "
         "的履约保证金，"
         "即人民币（大写）{{ calc.bond_amount|rmb_upper }}（¥{{ calc.bond_amount|money }}），可以银行保函形式提交。"
         "服务期满且乙方完成退出交接、无未结违约责任的，甲方在三十日内无息退还。")

    c("双方权利义务")
    c.items("甲方应为驻场人员提供必要的办公条件、系统访问权限和技术资料，并指定联系人负责日常协调。",
            "甲方有权对服务过程进行监督检查，对服务质量提出整改要求。",
            "乙方应按照本合同、服务等级协议和甲方的安全管理制度提供服务，按月提交运维服务报告。",
            "乙方应建立应急预案，储备备用人员与备件，并配合甲方开展应急演练。")
    tag(doc, '{%p if vendor.tier == "战略级" %}')
    para(doc, "鉴于乙方为甲方战略级服务商，乙方还应在重大节假日及重要活动期间提供专项保障，"
         "并每季度与甲方召开联席会议，复盘服务问题、提出优化建议。")
    tag(doc, "{%p elif vendor.tier == \"临时级\" %}")
    para(doc, "鉴于本合同为应急或专项服务，乙方应在接到甲方通知后按约定时限到位，服务内容以甲方书面确认的任务单为准。")
    tag(doc, "{%p endif %}")

    c("保密与数据安全")
    para(doc, "乙方应遵守《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》的规定，"
         "对在服务过程中知悉的甲方账号口令、"
         "网络拓扑、系统配置、日志、业务数据及个人信息承担保密义务，不得留存、复制或向第三方披露。"
         "具体权利义务以附件三《保密协议》（编号 {{ agreement.contract_no }}-NDA）为准。本条义务不因本合同终止而失效。")

    c("知识产权")
    para(doc, "乙方在履行本合同过程中形成的运维文档、脚本、配置、报告及基于甲方数据产生的任何成果，"
         "其知识产权归甲方所有；"
         "乙方在本合同签订前已拥有的工具与方法，其知识产权仍归乙方，甲方在本合同范围内享有免费、永久的使用权。"
         "乙方保证其提供的服务与成果不侵犯任何第三方的知识产权。")

    c("网络安全责任")
    para(doc, "乙方应遵守《中华人民共和国网络安全法》及甲方的网络安全管理制度，落实账号与权限最小化、"
         "操作留痕与审计要求；"
         "发现安全事件或漏洞的，应立即报告甲方并配合处置。因乙方原因导致安全事件的，乙方承担相应法律责任与赔偿责任。")

    c("违约责任")
    para(doc, "驻场人员发生下列考勤与纪律不符合事项的，构成乙方违约，乙方应按下表向甲方支付违约金，"
         "违约金从当月服务费中扣除：")
    table(doc, ["序号", "不符合事项", "违约金（元）", "计量单位"], [
        ["{%tr for r in policy.deductions.rules %}"],
        ["{{ loop.index }}", "{{ r.name }}", "{{ r.amount|money }}", "{{ r.unit }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.5, 8.0, 3.0, 2.5])
    para(doc, "上述违约金为乙方对甲方承担的合同责任，不针对乙方人员个人。每月违约金合计不超过当月服务费的 "
         "{{ policy.deductions.monthly_cap_pct|target }}，即人民币（大写）{{ calc.deduction_cap_amount|rmb_upper }}"
         "（¥{{ calc.deduction_cap_amount|money }}）。服务级别未达标的服务抵扣按附件二执行。"
         "乙方违约给甲方造成损失超过违约金的，还应赔偿超出部分。")

    c("变更、解除与终止")
    c.items("本合同的变更须经双方协商一致并签订书面补充协议。",
            "有下列情形之一的，甲方有权书面通知乙方解除本合同：（一）连续 "
            "{{ policy.assessment.terminate_after_consecutive_fails }} "
            "个季度考核为“{{ policy.assessment.fail_grade }}”；"
            "（二）乙方泄露甲方保密信息或造成重大安全事件；（三）乙方严重违约且在甲方书面通知后十五日内未改正。"
            "双方依照《中华人民共和国民法典》第五百六十二条、第五百六十三条的规定行使解除权。",
            "合同解除或终止的，甲方按乙方已提供并经确认的服务结算费用，并依约扣除违约金与服务抵扣。")

    c("服务交接与退出")
    para(doc, "本合同期满或解除时，乙方应提供不少于 {{ agreement.exit_transition_months }} 个月的过渡期服务，"
         "制定退出计划，"
         "向甲方或甲方指定的第三方完整移交全部运维文档、账号与权限清单、配置与未结工单，协助完成知识转移；"
         "乙方应配合甲方回收全部账号权限，并返还或销毁甲方数据，出具书面销毁证明。")

    c("不可抗力")
    para(doc, "因不可抗力致使一方不能履行本合同的，根据不可抗力的影响部分或全部免除责任，但应及时通知对方，"
         "并在合理期限内提供证明。迟延履行后发生不可抗力的，不免除其责任。")

    c("争议解决")
    disputes_clause(doc)

    c("通知与送达")
    para(doc, "本合同项下的通知以书面形式送达本合同首部载明的地址或联系人。甲方联系人：{{ client.contact.name }}，"
         "电话 {{ client.contact.phone }}；乙方联系人：{{ vendor.contact.name }}，电话 {{ vendor.contact.phone }}。"
         "一方变更通知地址或联系人的，应提前五个工作日书面通知对方。")

    c("廉洁条款")
    para(doc, "双方应遵守廉洁从业规定。乙方不得向甲方工作人员提供回扣、礼金、有价证券或其他不正当利益；"
         "违反本条的，甲方有权解除本合同，乙方应支付合同总价百分之五的违约金。")

    c("其他")
    para(doc, "本合同自双方法定代表人或授权代表签字并加盖公章或合同专用章之日起生效。"
         "本合同一式 {{ agreement.counterparts }} 份，"
         "甲方执 {{ (agreement.counterparts + 1) // 2 }} 份、乙方执 {{ agreement.counterparts // 2 }} 份，"
         "具有同等法律效力。"
         "本合同附件为本合同不可分割的组成部分，"
         "与本合同具有同等法律效力。本合同正文与附件约定不一致的，以本合同正文为准；附件之间约定不一致的，"
         "依次以服务等级协议、保密协议、其他附件为准；本合同与管理办法约定不一致的，以本合同为准。")
    heading(doc, "附件清单")
    for line in ("附件一　服务清单", "附件二　服务等级协议（编号 {{ agreement.contract_no }}-SLA）",
                 "附件三　保密协议（编号 {{ agreement.contract_no }}-NDA）", "附件四　考核办法",
                 "附件五　驻场人员清单", "附件六　报价明细"):
        para(doc, line, style="无缩进")
    para(doc, "（以下无正文）", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER)
    signatures(doc)
    save(doc, OUT / "service_contract.docx")


if __name__ == "__main__":
    contract()
    print("templates/contracts/service_contract.docx (the SLA annex and NDA: tools/make_annex_templates.py)")
