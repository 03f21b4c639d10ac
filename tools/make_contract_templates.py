"""Write templates/contracts/service_contract.docx (the annexes: tools/make_annex_templates.py)."""

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
    page_break,
    para,
    save,
    set_core_properties,
    signature_table,
    table,
    tag,
    title,
)
from make_annex_templates import BAND_TEXT, CAP_TEXT, CENTER, RIGHT, pct, style_columns  # noqa: E402

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
    para(doc, "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均有权将争议提交"
         "{{ agreement.disputes.arbitration_commission }}，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。"
         "仲裁裁决是终局的，对双方均有约束力。")
    tag(doc, "{%p else %}")
    para(doc, "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地"
         "（{{ client.city }}）有管辖权的人民法院提起诉讼。")
    tag(doc, "{%p endif %}")


def contract() -> None:
    doc = new_document()
    set_core_properties(doc, title="运维外包服务合同", subject="运维外包服务合同")
    header_footer(doc, "合同编号：{{ doc.number }}")
    doc.sections[0].different_first_page_header_footer = True  # the cover carries no page number
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
            "工单：指甲方或其授权人员通过甲方指定的工单系统提出的故障报告或服务请求；**工单系统中的时间记录为计算各项时限的依据**。",
            "响应、到场、恢复、闭环：含义以附件二《服务等级协议》的定义为准。",
            "驻场人员：指乙方派驻甲方指定地点提供服务、并列入附件五《驻场人员清单》的人员。",
            "管理办法：指甲方发布的《{{ policy.title }}》（{{ policy.version }} 版，"
            "自{{ policy.effective_date|cn_date }}起施行）。管理办法此后的修订，"
            "经双方签订补充协议后方适用于本合同。")

    c("服务内容与范围")
    para(doc, "乙方确认具备下列类别的服务能力：{{ vendor.categories|join('、') }}。"
              "乙方为甲方提供下列运维服务，具体系统与设备以附件一《服务清单》为准：")
    tag(doc, "{%p for item in agreement.scope %}")
    para(doc, "（{{ loop.index }}）{{ item.name }}：{{ item.description }}。")
    tag(doc, "{%p endfor %}")
    para(doc, "超出上述范围的服务，经双方书面确认后按附件六《报价明细》另行计价。")

    c("服务期限")
    para(doc, "本合同服务期限自{{ agreement.start|cn_date }}起至{{ agreement.end|cn_date }}止，"
         "共 {{ calc.term_months }} 个月。"
         "期满前三十日内，双方可根据服务期限内已出具的季度考核结果协商续签。")

    c("服务方式与服务时间")
    para(doc, "乙方以{{ agreement.service_mode }}方式提供服务，服务窗口为{{ agreement.sla.service_window }}"
         "{% if calc.window.round_the_clock %}（每周七天、每天二十四小时），"
         "要求值守的岗位须全天有人在岗并做好交接班记录；乙方应按轮班制为值守岗位配置足够的人员，"
         "依法安排其工作时间（实行综合计算工时工作制的，依法办理审批）"
         "{% else %}（{{ '工作日每天' if calc.window.days == '工作日' else '每天' }} {{ calc.window.hours }}），"
         "服务窗口以外发生的一级、二级故障，"
         "乙方仍须按服务等级协议约定的时限响应、到场和恢复{% endif %}。")

    c("服务级别")
    para(doc, "乙方应达到附件二《服务等级协议》（编号 {{ agreement.contract_no }}-SLA）约定的响应、到场、"
         "恢复与闭环时限；"
         "{{ agreement.sla.availability_systems|join('、') }}的月度可用率不低于 "
         "{{ agreement.sla.availability_target_pct|target }}。"
         "未达到约定服务级别的，按附件二的约定进行服务抵扣。")

    c("人员配置与管理")
    c.items("乙方应按附件五配置具备相应资质的驻场人员，驻场人员上岗前须签署个人保密承诺书。",
            "驻场人员应遵守甲方场所的工作时间与安全管理规定。乙方负责记录和管理其人员的考勤与纪律，"
            "甲方有权核对考勤记录并将核对结果通知乙方。",
            "驻场人员请假须事前申请并填写请销假登记表；请假超过 {{ policy.leave.letter_over_hours }} 小时的，"
            "须由乙方出具书面函；"
            "超过 {{ policy.leave.substitute_over_hours }} 小时的，乙方须安排具备同等能力的替岗人员并完成工作交接。"
            "返岗后应及时销假。",
            "驻场人员原则上不得更换。确需更换的，"
            "乙方应至少提前 {{ policy.change.notice_workdays }} 个工作日出具书面函，"
            "经双方协商一致后方可变更；新人员资质与经验不得低于原人员，并须完成账号、文档与未结工单的交接。",
            "乙方应依照《中华人民共和国劳动合同法》第二十三条、第二十四条，与接触甲方核心信息的关键人员签订保密协议，"
            "并视需要签订竞业限制协议（竞业限制期限不超过二年，经济补偿由乙方支付）。服务期限内及期满后一年内，"
            "未经对方书面同意，任何一方不得主动招揽对方参与本项目的人员；甲方公开招聘，或为服务交接由甲方或其指定的"
            "接替服务商聘用的除外。乙方的竞业限制协议不得限制相关人员为甲方或其指定的接替服务商提供服务。",
            "乙方人员从事电工、高处作业等特种作业的，须持有效的特种作业操作证。乙方负责其人员的安全生产教育，"
            "依法为其人员缴纳工伤保险并投保雇主责任险；乙方人员在服务中发生的人身伤害由乙方依法处理，"
            "因甲方过错造成的除外。",
            "驻场人员不能胜任工作或严重违反甲方管理规定的，甲方有权要求乙方更换，乙方应在五个工作日内完成更换。",
            "乙方与其人员之间的劳动关系由乙方负责，甲方不对乙方人员进行直接的人事管理与处分。")

    c("服务费用及支付")
    para(doc, "本合同含税总价为人民币（大写）{{ agreement.fees.total|rmb_upper }}"
         "（¥{{ agreement.fees.total|money }}），"
         "其中增值税税率 {{ agreement.fees.tax_rate_pct|percent(0) }}，税额 {{ calc.tax_amount|money }} 元，"
         "不含税金额 {{ calc.net_amount|money }} 元。月度服务费为人民币（大写）{{ agreement.fees.monthly|rmb_upper }}"
         "（¥{{ agreement.fees.monthly|money }}）。")
    para(doc, "合同总价由基础服务费和绩效服务费两部分组成：基础服务费为人民币（大写）{{ calc.base_amount|rmb_upper }}"
         "（¥{{ calc.base_amount|money }}）；"
         "绩效服务费占合同总价的 {{ agreement.fees.performance_share_pct|percent(0) }}，"
         "即人民币（大写）{{ calc.performance_amount|rmb_upper }}（¥{{ calc.performance_amount|money }}），"
         "按第八条考核结果支付。每期付款的基础服务费与绩效服务费金额见附件六《报价明细》。")
    para(doc, "服务费按下表分期支付：")
    t = table(doc, ["期次", "比例／月数", "金额（元）", "支付条件"], [
        ["{%tr for p in calc.payments %}"],
        ["{{ p.stage }}", "{% if p.months %}{{ p.months }} 个月{% else %}" + pct("p.percent") + "{% endif %}",
         "{{ p.amount|money }}", "{{ p.condition }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.2, 1.8, 3.2, 6.8])
    style_columns(t, {1: CENTER, 2: RIGHT})
    para(doc, style="无缩进")
    para(doc, "乙方按期向甲方开具{{ agreement.fees.invoice_type }}：基础服务费部分于该期服务期间届满后开具，"
         "绩效服务费部分于该期考核结果确认（或视为确认）后按应付金额开具。"
         "甲方应在每个考核季度结束后 {{ agreement.fees.assessment_workdays }} 个工作日内出具季度考核结果，"
         "逾期未出具的，视为该季度考核等级为“{{ calc.deemed_grade }}”。"
         "甲方应在收到发票之日起 {{ agreement.fees.payment_days }} 日内付款"
         "{% if vendor.sme %}，符合《保障中小企业款项支付条例》的规定{% endif %}；"
         "双方对考核结果有争议的，无争议部分先行支付；"
         "甲方逾期付款的，按逾期金额每日 {{ agreement.fees.late_interest_daily_pct|percent(2) }} 向乙方支付逾期利息。"
         "合同履行期间国家调整增值税税率的，不含税金额不变，自新税率施行之日起开具的发票按新税率计算含税金额。"
         "违约金与服务抵扣从当期应付服务费中扣除。")

    c("考核")
    para(doc, "甲方按管理办法对乙方进行月度、季度和年度考核，考核维度及权重如下：")
    t = table(doc, ["考核维度", "权重"], [
        ["{%tr for w in policy.assessment.weights %}"],
        ["{{ w.name }}", "{{ w.weight|percent(0) }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[10.0, 5.0])
    style_columns(t, {1: CENTER})
    para(doc, style="无缩进")
    para(doc, "考核办法详见附件四《考核办法》。考核等级按得分划分，每期付款中的绩效服务费按该期所覆盖季度的"
         "考核等级，以下表比例支付；一期覆盖多个季度的，按各季度所含服务月数分摊：")
    t = table(doc, ["考核等级", "得分区间", "绩效服务费支付比例"], [
        ["{%tr for p in calc.payouts %}"],
        ["{{ p.grade }}", BAND_TEXT, "{{ p.pct|percent(0 if p.pct % 1 == 0 else 2) }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[3.5, 6.5, 5.0])
    style_columns(t, {0: CENTER, 1: CENTER, 2: CENTER})
    para(doc, style="无缩进")
    para(doc, "按上表不予支付的绩效服务费，甲方不再支付，亦不另行计收违约金。"
         "{% if policy.assessment.grade_caps %}有下列情形的，当月及其所在考核季度的考核等级不高于所列等级，不论得分："
         "{% for cap in policy.assessment.grade_caps %}" + CAP_TEXT + "的，不高于“{{ cap.max_grade }}”"
         "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}"
         "连续 {{ policy.assessment.terminate_after_consecutive_fails }} "
         "个季度考核为“{{ policy.assessment.fail_grade }}”的，甲方有权依照第十五条解除本合同。")

    c("履约保证金")
    para(doc, "乙方应在本合同签订后十五日内向甲方提交合同总价 {{ agreement.performance_bond_pct|percent(0) }} "
         "的履约保证金，"
         "即人民币（大写）{{ calc.bond_amount|rmb_upper }}（¥{{ calc.bond_amount|money }}），可以银行保函形式提交。"
         "保证金（或保函）的有效期应持续至第十六条约定的过渡期届满后三十日。"
         "**乙方应支付的违约金、赔偿金或服务抵扣未能从应付服务费中扣除的，甲方有权从履约保证金中扣收**并书面通知乙方，"
         "乙方应在收到通知后十个工作日内补足。乙方未按期提交或补足的，甲方有权暂停支付服务费至提交或补足之日，"
         "暂停期间不计逾期利息。"
         "过渡期届满且乙方完成退出交接、无未结违约责任的，甲方在三十日内无息退还。")

    c("双方权利义务")
    c.items("甲方应为驻场人员提供必要的办公条件、系统访问权限和技术资料，并指定联系人负责日常协调。",
            "甲方有权对服务过程进行监督检查，对服务质量提出整改要求。",
            "乙方应按照本合同、服务等级协议和甲方的安全管理制度提供服务，按月提交运维服务报告。",
            "乙方应建立应急预案，储备备用人员与备件，并配合甲方开展应急演练。",
            "乙方不得将本合同项下的服务转包；未经甲方书面同意，乙方不得将任何服务分包。经甲方同意分包的，"
            "分包方须签署不低于附件三《保密协议》标准的保密协议，乙方就分包部分向甲方承担全部责任。")
    tag(doc, '{%p if vendor.tier == "战略级" %}')
    para(doc, f"{c.n}.6　乙方还应在重大节假日及重要活动期间提供专项保障，"
         "并每季度与甲方召开联席会议，复盘服务问题、提出优化建议。")
    tag(doc, "{%p endif %}")

    c("保密与数据安全")
    para(doc, "乙方应遵守《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》的规定，"
         "对在服务过程中知悉的甲方账号口令、"
         "网络拓扑、系统配置、日志、业务数据及个人信息承担保密义务，不得留存、复制或向第三方披露。"
         "乙方不得将甲方数据存储于或传输至中华人民共和国境外。"
         "具体权利义务以附件三《保密协议》（编号 {{ agreement.contract_no }}-NDA）为准。本条义务不因本合同终止而失效。")

    c("知识产权")
    para(doc, "乙方在履行本合同过程中形成的运维文档、脚本、配置、报告及基于甲方数据产生的任何成果，"
         "其知识产权归甲方所有；"
         "乙方在本合同签订前已拥有的工具与方法，其知识产权仍归乙方，甲方在本合同范围内享有免费、永久的使用权，"
         "并可许可接替乙方的服务商为甲方之目的使用。"
         "乙方保证其提供的服务与成果不侵犯任何第三方的知识产权；因此引起第三方索赔的，由乙方负责处理，"
         "并赔偿甲方因此遭受的全部损失。")

    c("网络安全责任")
    para(doc, "乙方应遵守《中华人民共和国网络安全法》及甲方的网络安全管理制度，落实账号与权限最小化、"
         "操作留痕与审计要求，其运维行为应符合网络安全等级保护制度对甲方信息系统所定级别的要求；"
         "发现安全事件或漏洞的，应立即报告甲方并配合处置。因乙方原因导致安全事件的，乙方承担相应法律责任与赔偿责任。")

    c("违约责任")
    para(doc, "驻场人员发生下列考勤与纪律不符合事项的，构成乙方违约，**乙方应按下表向甲方支付违约金，"
         "违约金从当期应付服务费中扣除**：")
    t = table(doc, ["序号", "不符合事项", "违约金（元）", "计量单位"], [
        ["{%tr for r in calc.rules %}"],
        ["{{ loop.index }}", "{{ r.name }}", "{{ r.amount|money }}", "{{ r.unit }}"],
        ["{%tr endfor %}"],
    ], widths_cm=[1.5, 8.0, 3.0, 2.5])
    style_columns(t, {0: CENTER, 2: RIGHT, 3: CENTER})
    para(doc, style="无缩进")
    para(doc, "上述违约金为乙方对甲方承担的合同责任，不针对乙方人员个人。每月违约金合计不超过当月月度服务费的 "
         "{{ policy.deductions.monthly_cap_pct|target }}，即人民币（大写）{{ calc.deduction_cap_amount|rmb_upper }}"
         "（¥{{ calc.deduction_cap_amount|money }}）。服务级别未达标的服务抵扣按附件二执行。"
         "乙方违约给甲方造成损失超过违约金的，还应赔偿超出部分。")
    para(doc, "甲方无正当理由逾期付款的，按第七条支付逾期利息；甲方未按约提供办公条件、系统访问权限或技术资料，"
         "致使乙方不能按时履行的，相应时限顺延，乙方不承担由此产生的违约责任。"
         "甲方违约给乙方造成损失的，应依法赔偿。")

    c("变更、解除与终止")
    c.items("本合同的变更须经双方协商一致并签订书面补充协议。",
            "**有下列情形之一的，甲方有权书面通知乙方解除本合同**：（一）连续 "
            "{{ policy.assessment.terminate_after_consecutive_fails }} "
            "个季度考核为“{{ policy.assessment.fail_grade }}”；"
            "（二）乙方泄露甲方保密信息或造成重大安全事件；（三）乙方严重违约且在甲方书面通知后十五日内未改正。"
            "双方依照《中华人民共和国民法典》第五百六十二条、第五百六十三条的规定行使解除权。",
            "合同解除或终止的，甲方按乙方已提供并经确认的服务结算费用，并依约扣除违约金与服务抵扣。")

    c("服务交接与退出")
    para(doc, "本合同期满或解除时，乙方应按甲方书面要求提供不超过 {{ agreement.exit_transition_months }} 个月的"
         "过渡期服务，"
         "过渡期服务费按月度服务费（¥{{ agreement.fees.monthly|money }}）按实际服务月数计付，"
         "过渡期内的服务要求与本合同相同。"
         "乙方应制定退出计划，"
         "向甲方或甲方指定的第三方完整移交全部运维文档、账号与权限清单、配置与未结工单，协助完成知识转移；"
         "乙方应配合甲方回收全部账号权限，并返还或销毁甲方数据，出具书面销毁证明。"
         "过渡期内，附件三《保密协议》关于数据安全、个人信息处理与资料返还的约定继续适用。")

    c("不可抗力")
    para(doc, "不可抗力是指不能预见、不能避免且不能克服的客观情况，包括自然灾害、战争、疫情及政府行为等。"
         "因不可抗力致使一方不能履行本合同的，根据不可抗力的影响部分或全部免除责任，但应及时通知对方，"
         "并在合理期限内提供证明。迟延履行后发生不可抗力的，不免除其责任。"
         "不可抗力持续超过三十日致使合同目的不能实现的，任何一方有权书面通知对方解除本合同。")

    c("争议解决")
    disputes_clause(doc)

    c("通知与送达")
    para(doc, "本合同项下的通知以书面形式送达本合同首部载明的地址或联系人。甲方联系人：{{ client.contact.name }}，"
         "电话 {{ client.contact.phone }}"
         "{% if client.contact.email %}，电子邮箱 {{ client.contact.email }}{% endif %}；"
         "乙方联系人：{{ vendor.contact.name }}，电话 {{ vendor.contact.phone }}"
         "{% if vendor.contact.email %}，电子邮箱 {{ vendor.contact.email }}{% endif %}。"
         "双方确认上述地址与电子邮箱为各自的送达地址，适用于合同履行期间的通知，"
         "以及争议发生后仲裁或诉讼程序中的文书送达；电子邮件进入对方电子邮箱系统之日视为送达之日。"
         "一方变更通知地址或联系人的，应提前五个工作日书面通知对方，否则原地址仍为有效送达地址。")

    c("廉洁条款")
    para(doc, "双方应遵守廉洁从业规定。乙方不得向甲方工作人员提供回扣、礼金、有价证券或其他不正当利益；"
         "违反本条的，甲方有权解除本合同，乙方应支付合同总价百分之五的违约金。")

    c("其他")
    para(doc, "本合同自双方法定代表人或授权代表签字并加盖公章或合同专用章之日起生效；双方签署日期不一致的，"
         "以后签署一方的日期为生效日期。本合同及其附件由双方在骑缝处加盖公章或合同专用章。"
         "本合同一式 {{ agreement.counterparts }} 份，"
         "甲方执 {{ (agreement.counterparts + 1) // 2 }} 份、乙方执 {{ agreement.counterparts // 2 }} 份，"
         "具有同等法律效力。"
         "本合同附件为本合同不可分割的组成部分，"
         "与本合同具有同等法律效力。本合同正文与附件约定不一致的，以本合同正文为准，但服务级别与服务抵扣事项以附件二"
         "《服务等级协议》为准；附件之间约定不一致的，"
         "依次以服务等级协议、保密协议、其他附件为准；本合同与管理办法约定不一致的，以本合同为准。")
    para(doc, "甲方已提请乙方注意本合同及其附件中以加粗字体标示的条款，包括：第一条以甲方工单系统记录为时限计算依据，"
         "第九条从履约保证金中扣收，第十四条违约金的扣除，第十五条甲方的解除权；附件二关于故障级别的初步认定、"
         "以监控系统与工单系统记录为准、服务抵扣和报告逾期视为确认的约定；附件三的违约金。甲方并应乙方要求作了说明；"
         "乙方确认已充分理解上述条款的含义及法律后果。", bold=True)
    heading(doc, "附件清单")
    tag(doc, "{%p for a in annexes %}")
    # the list, （以下无正文） and the signature row stay on one page: the seals never stand alone
    line = para(doc, "{{ a.label }}　{{ a.title }}（编号 {{ a.number }}）", style="无缩进")
    line.paragraph_format.keep_with_next = True
    tag(doc, "{%p endfor %}")
    para(doc, "（以下无正文）", style="无缩进", align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.keep_with_next = True
    signatures(doc)
    save(doc, OUT / "service_contract.docx")


if __name__ == "__main__":
    draft_args('First draft of templates/contracts/service_contract.docx.')
    contract()
