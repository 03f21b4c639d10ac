"""JSON Schemas of the data files, for editors that check YAML as you type.

Generated from the same Pydantic models that validate the data, then told what an editor needs
to agree with docgen: amounts and percentages are numbers, or text of digits with at most two
decimals (so "1,200,000.00" and "15%" are underlined, as docgen refuses them); time limits are
text such as "2h"; every field has its Chinese name as its title and a Chinese description of
what to write there (unit, format, an example, the values allowed), and every list of allowed
values says what each value means (`enumDescriptions`, which VS Code's YAML extension shows in
completion and on hover). The CSV exports get a schema too, one property per column, which
documents the columns (an editor does not check CSV).

The texts are in the tables below, by model (as named in `$defs`) and field; a field without an
entry keeps the description of its model field and the title `changes.LABELS` gives its name.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import create_model

from .changes import LABELS
from .models import CAP_CONDITIONS
from .validate import SOURCES

AMOUNT_TEXT = r"^\s*\d+(\.\d{1,2})?\s*$"
_CJK = re.compile("[\u4e00-\u9fff]")

# --------------------------------------------------------------------------- what to write where

# phrases the descriptions share
_ID_CSV = "只用英文字母、数字、- 和 _，以字母或数字开头，最长 64 个字符"
_ID = f"{_ID_CSV}（纯数字的要加英文引号）"
_DATE = "格式 YYYY-MM-DD"
_TIME = "时间（北京时间），格式 YYYY-MM-DD HH:MM"
_MOMENT = "时间（北京时间），格式 YYYY-MM-DD HH:MM，也可以是 Excel 导出的 2026/7/1 9:10"
_MONEY = "写数字，最多两位小数，不加千位分隔符和“元”"
_PCT = "写 0–100 的数字，最多两位小数，不加 % 号"
_DURATION = "写数字加单位：m 分钟、h 小时、d 天，如 30m、2h、3d"
_PHONE = "电话号码，写在英文引号里，如 \"0512-66001234\"、\"13800001111\"（不加引号的纯数字会报错）"
_BOOL = "true 是 / false 否"
_REF_AGREEMENT = "所属合同的代号（agreements.yaml 中合同的 id），如 hx-2026"
_REF_STAFF = "staff.yaml 中人员的 id"

# (model as named in $defs, field) → (title, description); None keeps the title from
# changes.LABELS (else Pydantic's) or the model field's own description
FIELDS: dict[tuple[str, str], tuple[str | None, str | None]] = {
    # client.yaml, vendors.yaml
    ("Client", "name"): ("名称", "甲方单位全称，与公章一致，如 澄湖实业集团有限公司"),
    ("Client", "short_name"): ("简称", "甲方在文档正文中的简称，如 澄湖集团"),
    ("Client", "uscc"): (
        "统一社会信用代码", "18 位统一社会信用代码（GB 32100-2015）：数字和大写字母（不含 I、O、Z、S、V），"
        "最后一位是校验码，如 91320500MA1XYK2L3Q"),
    ("Client", "legal_rep"): ("法定代表人", "法定代表人姓名，如 周明远"),
    ("Client", "address"): ("住所", "营业执照登记的住所，如 江苏省澄湖市湖滨路88号"),
    ("Client", "contact"): ("联系人", "合同通知与送达的联系人：name 姓名、phone 电话、email 电子邮箱"),
    ("Client", "bank"): ("银行账户", "开户银行与账号：bank 开户银行、account 账号"),
    ("Client", "city"): ("所在地", "甲方所在城市，如 澄湖市；约定诉讼的，由甲方所在地有管辖权的人民法院管辖"),
    ("Client", "department"): ("主管部门", "甲方负责管理服务商的部门，如 信息中心；写入服务等级协议的升级通报"),
    ("Client", "arbitration_commissions"): (
        "仲裁委员会", "docgen 已知名单以外、合同可以约定的仲裁委员会的登记全称，每个一项，如 [澄湖仲裁委员会]；"
        "可不写"),
    ("Vendor", "id"): ("乙方代号", f"乙方的代号，{_ID}，如 hx；合同、人员用它指代该乙方"),
    ("Vendor", "name"): ("名称", "乙方单位全称，与公章一致，如 华信智维科技有限公司"),
    ("Vendor", "short_name"): ("简称", "乙方简称，如 华信智维；报告和汇编用它称呼乙方，各乙方不能相同"),
    ("Vendor", "uscc"): (
        "统一社会信用代码", "18 位统一社会信用代码（GB 32100-2015）：数字和大写字母（不含 I、O、Z、S、V），"
        "最后一位是校验码，如 91320594MA1MQ7NX2U"),
    ("Vendor", "legal_rep"): ("法定代表人", "法定代表人姓名，如 王建国"),
    ("Vendor", "address"): ("住所", "营业执照登记的住所，如 江苏省澄湖市工业园区星湖街328号"),
    ("Vendor", "contact"): ("联系人", "乙方联系人：name 姓名、phone 电话、email 电子邮箱"),
    ("Vendor", "bank"): ("银行账户", "收款的开户银行与账号：bank 开户银行、account 账号"),
    ("Vendor", "tier"): ("服务商级别", "乙方的分级"),
    ("Vendor", "categories"): (
        "服务类别", "乙方提供的服务类别，至少一项，须是管理办法 vocabulary.service_categories 中的名称（默认："
        "硬件维护、软件支持、网络安全、网络运维、数据库运维、桌面运维、机房运维、应用运维），如 [网络运维, 网络安全]"),
    ("Vendor", "qualifications"): (
        "资质", "乙方的资质证书，每项一行，如 ISO/IEC 27001:2022 信息安全管理体系认证；可不写"),
    ("Vendor", "sme"): (
        "中小企业", f"乙方是否为中小企业：{_BOOL}；是中小企业的，合同付款期限（fees.payment_days）不得超过 60 "
        "日（《保障中小企业款项支付条例》）"),
    ("Contact", "name"): ("姓名", "联系人姓名，如 陈立"),
    ("Contact", "phone"): ("电话", _PHONE),
    ("Contact", "email"): ("电子邮箱", "电子邮箱地址，如 chenli@example.cn；可不写"),
    ("BankAccount", "bank"): ("开户银行", "开户银行全称，如 中国工商银行澄湖分行营业部"),
    ("BankAccount", "account"): (
        "账号", "银行账号：8–40 位数字，可用空格分组，写在英文引号里，如 \"1102 0201 0900 0012 345\""),
    # agreements.yaml
    ("Agreement", "id"): ("合同代号", f"合同的代号，{_ID}，如 hx-2026；人员、工单等用它指代该合同"),
    ("Agreement", "contract_no"): (
        "合同编号", "合同编号：大写英文字母、数字和 -，以字母或数字开头，3–41 个字符，如 CH-YW-2026-001"),
    ("Agreement", "vendor"): ("乙方", "乙方的代号（vendors.yaml 中乙方的 id），如 hx"),
    ("Agreement", "project_name"): ("项目名称", "合同的项目名称，如 核心业务系统运维外包服务"),
    ("Agreement", "signing_date"): ("签订日期", f"签订的日期，{_DATE}，如 2025-12-18；一般不晚于服务开始日期"),
    ("Agreement", "signing_place"): ("签订地点", "如 江苏省澄湖市"),
    ("Agreement", "start"): ("服务开始日期", f"服务期的第一天，{_DATE}，如 2026-01-01"),
    ("Agreement", "end"): ("服务结束日期", f"服务期的最后一天，{_DATE}，须晚于开始日期，如 2026-12-31"),
    ("Agreement", "scope"): ("服务范围", "服务内容，至少一项；每项写 name 名称和 description 说明"),
    ("Agreement", "inventory"): (
        "服务清单", "附件一《服务清单》：纳入服务的系统与设备，每项写 name、kind，可写 location、quantity、note；"
        "可不写"),
    ("Agreement", "service_mode"): ("服务方式", "乙方提供服务的方式"),
    ("Agreement", "fees"): ("费用", "合同价款与付款：total 合同总价、monthly 月度服务费、payment 付款安排等"),
    ("Agreement", "performance_bond_pct"): (
        "履约保证金比例", "履约保证金占合同总价的百分比，写 0–10 的数字，最多两位小数，不加 % 号，如 10；"
        "不超过管理办法的 bond_max_pct"),
    ("Agreement", "exit_transition_months"): (
        "退出过渡期", "合同期满或解除后，乙方按甲方要求提供过渡期服务的最长月数，0–24 的整数，如 3"),
    ("Agreement", "sla"): ("服务等级", "附件二《服务等级协议》：服务窗口、故障等级与时限、可用率目标与服务抵扣"),
    ("Agreement", "nda"): ("保密条款", "附件三《保密协议》：保密期限、违约金、安全事件报告时限"),
    ("Agreement", "disputes"): (
        "争议解决", "争议解决方式：method 写 诉讼 或 仲裁；仲裁的还要写 arbitration_commission"),
    ("Agreement", "counterparts"): ("合同份数", "合同一式几份，2–10 的整数，如 4（甲乙双方各执一半）"),
    ("Agreement", "status"): ("合同状态", "合同的签署状态"),
    ("Agreement", "terminated"): ("终止信息", "合同提前终止的 date 日期与 reason 原因；只在 status 为 terminated 时写"),
    ("Agreement", "policy_version"): (
        "管理办法版本", "起草时依据的管理办法版本号（policy.yaml 中的 version），写在英文引号里，如 \"2026.1\"；"
        "不写则依据最新版本"),
    ("Agreement", "supplements"): (
        "已签补充协议", "已签署、引入管理办法新版本的补充协议，每份一项（policy_version、signed，可写 number）；"
        "报告自其生效后开始的月份起适用该版本；没有的不写"),
    ("SignedSupplement", "policy_version"): (
        "管理办法版本", "补充协议引入的管理办法版本号（policy.yaml 中的 version），写在英文引号里，如 \"2026.2\""),
    ("SignedSupplement", "signed"): (
        "签署日期", f"补充协议的签署日期，{_DATE}；双方签署日期不一致的，以后签署一方的日期为准"),
    ("SignedSupplement", "number"): ("补充协议编号", "如 CH-YW-2026-001-BC-2026.2；可不写"),
    ("Termination", "date"): ("终止日期", f"{_DATE}，在签订日期与服务结束日期之间，如 2026-09-30"),
    ("Termination", "reason"): ("终止原因", "如 经双方协商一致提前终止"),
    ("ScopeItem", "name"): ("服务项目", "该项服务的名称，如 服务器与存储运维"),
    ("ScopeItem", "description"): ("说明", "该项服务的具体内容，如 数据中心服务器的日常巡检、故障诊断、备件更换"),
    ("InventoryItem", "name"): ("名称", "系统或设备的名称，如 核心业务系统、x86 服务器"),
    ("InventoryItem", "kind"): ("类别", "系统或设备的类别，如 业务系统、服务器、存储设备、网络设备、机房设备"),
    ("InventoryItem", "location"): ("所在位置", "如 集团数据中心 A 区；可不写"),
    ("InventoryItem", "quantity"): ("数量", "台数或套数，1–100000 的整数，如 42"),
    ("InventoryItem", "note"): ("备注", "说明，如 型号、版本、含应用服务器 6 台；可不写"),
    ("Fees", "total"): (
        "合同总价", f"整个服务期的含税合同总价（元），{_MONEY}，如 1680000.00；一般等于月度服务费 × 服务月数，"
        "不相等时在 total_basis 说明原因"),
    ("Fees", "monthly"): (
        "月度服务费", f"每月的含税服务费（元），{_MONEY}，如 140000.00；服务抵扣、"
        "违约金上限和过渡期服务费都以它为基数"),
    ("Fees", "tax_rate_pct"): ("税率", f"增值税税率（%），{_PCT}，如 6"),
    ("Fees", "performance_share_pct"): (
        "绩效服务费比例", f"合同总价中与考核结果挂钩的绩效服务费所占的百分比，{_PCT}，如 20"),
    ("Fees", "payment"): (
        "付款安排", "分期付款，至少一期；每期写 stage、condition，并写 percent（占总价的百分比，各期合计 100）或 "
        "months（按服务月数，各期合计等于总价），各期用同一种写法"),
    ("Fees", "invoice_type"): ("发票类型", "乙方开具的发票"),
    ("Fees", "assessment_workdays"): (
        "考核确认期限", "甲方在每季度结束后多少个工作日内出具季度考核结果，1–30 的整数，如 10；逾期未出具的视为确认"),
    ("Fees", "payment_days"): (
        "付款期限", "甲方在收到发票且考核结果确认后多少日内付款，1–120 的整数，如 30；乙方为中小企业的不超过 60 日"),
    ("Fees", "late_interest_daily_pct"): (
        "逾期付款利息（每日）", f"甲方逾期付款时，每日按逾期金额计付利息的百分比，{_PCT}，如 0.05（即万分之五，默认）"),
    ("Fees", "extra_rates"): (
        "范围外服务单价", "附件六《报价明细》中服务范围以外工作的单价，每项写 item、unit、price，可写 note；可不写"),
    ("Fees", "total_basis"): (
        "总价说明", "合同总价不等于月度服务费 × 服务月数时的说明，如 含一次性实施费 50000.00 元；相等时不写"),
    ("Installment", "stage"): ("付款阶段", "该期付款的名称，如 第一季度服务费"),
    ("Installment", "percent"): ("比例", f"该期占合同总价的百分比，{_PCT}，如 25；与 months 二选一，各期合计 100"),
    ("Installment", "months"): (
        "月数", "按服务月数计：该期金额 = 月度服务费 × 月数，1–120 的整数，如 3；与 percent 二选一"),
    ("Installment", "condition"): ("付款条件", "该期付款的条件，如 该季度考核结果确认且甲方收到乙方开具的发票"),
    ("Rate", "item"): ("服务项目", "服务范围以外的服务项目，如 现场应急支持、数据迁移与割接实施"),
    ("Rate", "unit"): ("计价单位", "如 人·天、人·小时"),
    ("Rate", "price"): ("单价", f"含税单价（元），{_MONEY}，如 2400.00"),
    ("Rate", "note"): ("说明", "如 工作日 8 小时；可不写"),
    ("Sla", "service_window"): (
        "服务窗口", "服务窗口的名称，须是合同所依据的管理办法 vocabulary.service_windows 中的一个，如 "
        "\"5×8\"（工作日 09:00-17:00）、\"7×24\"（每天全天）"),
    ("Sla", "service_hours"): (
        "服务时间", "服务窗口每个服务日的服务时间，格式 HH:MM-HH:MM，如 08:30-17:30；"
        "不写则用服务窗口本身的时间（全天服务的窗口不受此项影响）"),
    ("Sla", "levels"): (
        "故障等级", "各级故障的定义与时限，至少一级，每级只写一次：level、name、definition、response、arrival、"
        "restore、closure。一级、二级故障的时限自报障时起算；其他故障在服务窗口以外报告的，"
        "自下一个服务窗口开始时起算"),
    ("Sla", "availability_target_pct"): ("可用率目标", f"计入可用率的系统每月应达到的可用率（%），{_PCT}，如 99.9"),
    ("Sla", "availability_systems"): (
        "计入可用率的系统", "计算可用率的系统，至少一个，名称与工单的 system 列一致，如 [核心业务系统, "
        "统一身份认证平台]；有多个系统时按可用率最低的计"),
    ("Sla", "credits"): (
        "可用率抵扣", "可用率低于某值时抵扣月度服务费的档次，每档写 below_pct 和 credit_pct，"
        "按当月可用率所低于的最低一档计；可不写"),
    ("Sla", "credit_cap_pct"): (
        "抵扣上限", f"每月服务抵扣（可用率抵扣与恢复超时抵扣）合计不超过月度服务费的百分比，{_PCT}，如 30"),
    ("Sla", "attainment_target_pct"): (
        "时限达成率目标", f"各级故障每项时限的月度达成率（按时完成的工单数 ÷ 该级工单总数）应达到的百分比，{_PCT}，"
        "如 95"),
    ("SlaLevel", "level"): ("故障等级", "故障等级的代号"),
    ("SlaLevel", "name"): ("等级名称", "该级的中文名称，如 一级故障、四级事件"),
    ("SlaLevel", "definition"): ("定义", "什么情况属于该级，如 核心业务中断、系统瘫痪、数据丢失或发生重大安全事件"),
    ("SlaLevel", "response"): ("响应时限", f"自报障起到乙方响应的时限，{_DURATION}"),
    ("SlaLevel", "arrival"): (
        "到场时限", f"自报障起到乙方人员到达现场的时限，{_DURATION}；不要求到场（按需）的写 null"),
    ("SlaLevel", "restore"): ("恢复时限", f"自报障起到恢复服务的时限，{_DURATION}"),
    ("SlaLevel", "closure"): ("关闭时限", f"自报障起到工单关闭（闭环）的时限，{_DURATION}"),
    ("SlaLevel", "restore_credit_pct"): (
        "恢复超时抵扣", f"每张恢复超时的工单抵扣当月服务费的百分比，{_PCT}，如 5（计入抵扣上限）；"
        "不写则恢复超时不抵扣"),
    ("CreditTier", "below_pct"): ("可用率低于", f"当月可用率低于此值（%）时按本档抵扣，{_PCT}，如 99.9"),
    ("CreditTier", "credit_pct"): ("抵扣比例", f"本档抵扣月度服务费的百分比，{_PCT}，如 5"),
    ("NdaTerms", "years_after_term"): (
        "期满后保密年限", "主合同期满、解除或终止后保密义务继续有效的年数，0–30 的整数，如 3"),
    ("NdaTerms", "liquidated_damages"): (
        "违约金", f"乙方违反保密义务的违约金（元），{_MONEY}，如 500000.00；一般不超过合同总价"),
    ("NdaTerms", "incident_report_hours"): (
        "安全事件报告时限", "发现数据泄露等安全事件后书面报告甲方的时限（小时），1–168 的整数，如 24"),
    ("Disputes", "method"): ("争议解决方式", "协商不成时的解决方式"),
    ("Disputes", "arbitration_commission"): (
        "仲裁委员会", "仲裁委员会的登记全称，如 澄湖仲裁委员会；method 为 仲裁 时必填，为 诉讼 时不写"),
    # staff.yaml, changes.yaml, leave.yaml
    ("StaffMember", "id"): ("人员代号", f"驻场人员的代号，{_ID}，如 hx-01；工单、考勤、请假记录用它指代该人员"),
    ("StaffMember", "name"): ("姓名", "如 张伟"),
    ("StaffMember", "vendor"): ("乙方", "所属乙方的代号（vendors.yaml 中乙方的 id），如 hx"),
    ("StaffMember", "agreement"): ("合同", "派驻所依据的合同（agreements.yaml 中的 id，须是该乙方的合同），如 hx-2026"),
    ("StaffMember", "role"): ("岗位", "如 项目经理、系统运维工程师"),
    ("StaffMember", "post_type"): (
        "岗位类型", "岗位的服务窗口，须是管理办法 vocabulary.service_windows 中的名称，如 \"5×8\"（工作日值班）、"
        "\"7×24\"（全天值守）"),
    ("StaffMember", "start_date"): ("上岗日期", f"{_DATE}，如 2026-01-01"),
    ("StaffMember", "phone"): ("电话", _PHONE),
    ("StaffMember", "pledge_signed"): ("保密承诺书已签", f"是否已签署个人保密承诺书：{_BOOL}"),
    ("StaffMember", "certificates"): ("证书", "持有的证书，如 [PMP, ITIL 4 Foundation]；可不写"),
    ("StaffMember", "years_experience"): ("从业年限", "相关工作年限，0–60 的整数，如 8"),
    ("PersonnelChange", "id"): ("变更编号", f"变更记录的编号，{_ID}，如 BG-001"),
    ("PersonnelChange", "agreement"): ("合同", _REF_AGREEMENT),
    ("PersonnelChange", "type"): ("变更类型", "人员变更的类型"),
    ("PersonnelChange", "old_staff"): (
        "原人员", f"被替换或撤离的人员（{_REF_STAFF}，须在同一合同下），如 lc-02；新增时不写"),
    ("PersonnelChange", "new_person"): (
        "新人员", "新增或替换进来的人员：name 姓名、role 岗位、certificates 证书、years_experience 从业年限；"
        "撤离时不写"),
    ("PersonnelChange", "reason"): ("变更原因", "如 新机房投入运行，按合同增设一名机房值守人员"),
    ("PersonnelChange", "requested"): (
        "申请日期", f"乙方提出变更的日期，{_DATE}，如 2026-07-06；登记表按管理办法核对到生效日期的提前通知工作日数"),
    ("PersonnelChange", "effective"): ("生效日期", f"{_DATE}，不早于申请日期，如 2026-08-03"),
    ("PersonnelChange", "handover"): (
        "交接事项", "需要交接的事项，每项一行，如 [账号权限注销, 运维文档移交, 未结工单移交]；可不写"),
    ("PersonnelChange", "access_revoked"): ("权限已收回", f"原人员的账号和门禁权限是否已收回：{_BOOL}"),
    ("PersonnelChange", "pledge_signed"): ("保密承诺书已签", f"新人员是否已签署个人保密承诺书：{_BOOL}"),
    ("PersonnelChange", "vendor_letter_no"): ("乙方函件编号", "乙方就本次变更出具的书面函的编号，如 HX-BG-2026-004"),
    ("NewPerson", "name"): ("姓名", "如 陈静"),
    ("NewPerson", "role"): ("岗位", "如 机房运维工程师"),
    ("NewPerson", "certificates"): ("证书", "持有的证书，如 [CDCP, 电工作业操作证]；可不写"),
    ("NewPerson", "years_experience"): ("从业年限", "相关工作年限，0–60 的整数，如 4"),
    ("LeaveRequest", "id"): ("请假编号", f"请假记录的编号，{_ID}，如 QJ-001"),
    ("LeaveRequest", "staff"): ("请假人员", f"请假的人员（{_REF_STAFF}），如 hx-02"),
    ("LeaveRequest", "type"): (
        "假别", "假别，须是管理办法 vocabulary.leave_types 中的一种（默认：事假、病假、年假、调休、婚假、丧假、"
        "产假），如 病假"),
    ("LeaveRequest", "start"): ("开始时间", f"请假开始的{_TIME}，如 2026-07-07 14:00"),
    ("LeaveRequest", "end"): ("结束时间", f"请假结束的{_TIME}，须晚于开始时间，如 2026-07-07 17:30"),
    ("LeaveRequest", "hours"): (
        "请假时长", "请假的小时数，大于 0、不超过 2000，最多一位小数，如 3.5；不能超过开始到结束的时长"),
    ("LeaveRequest", "reason"): ("请假事由", "如 办理户籍迁移手续"),
    ("LeaveRequest", "substitute"): (
        "替岗人员", f"顶岗的人员（{_REF_STAFF}，同一乙方，不能是请假人本人），如 hx-02；请假超过管理办法 "
        "leave.substitute_over_hours（默认 8 小时）的必填"),
    ("LeaveRequest", "handover"): ("工作交接", "请假期间的工作交接安排，如 当日报修工单由赵敏接手处理；可不写"),
    ("LeaveRequest", "vendor_letter_no"): (
        "乙方函件编号", "乙方出具的书面请假函的编号，如 LC-HAN-2026-011；请假超过管理办法 "
        "leave.letter_over_hours（默认 4 小时）的必填"),
    ("LeaveRequest", "approved_by"): ("审批人", "甲方审批人的姓名，如 陈立"),
    ("LeaveRequest", "returned"): ("销假时间", f"返岗销假的{_TIME}，如 2026-07-07 17:25；尚未销假的不写"),
    # tickets.csv, attendance.csv (the columns)
    ("Ticket", "id"): ("工单号", f"工单的编号，{_ID_CSV}，如 INC-202607-0001"),
    ("Ticket", "agreement"): ("合同", _REF_AGREEMENT),
    ("Ticket", "severity"): ("故障等级", "工单的故障等级，须是该合同服务等级协议中定义的等级"),
    ("Ticket", "category"): (
        "类别", "工单类别，如 网络故障、安全事件、咨询与服务请求；“安全事件”计入安全与合规考核，"
        "“咨询与服务请求”不计入平均恢复时间"),
    ("Ticket", "system"): (
        "系统", "涉及的系统或设备，如 核心业务系统；名称与合同 availability_systems 中的一致时，停机时长计入可用率"),
    ("Ticket", "summary"): ("摘要", "故障或请求的简要描述，如 VPN 拨入后无法访问内网业务系统"),
    ("Ticket", "opened"): ("报障时间", f"报障的{_MOMENT}；须在合同服务期内"),
    ("Ticket", "responded"): ("响应时间", f"乙方响应的{_MOMENT}；不早于报障时间，尚未响应的留空"),
    ("Ticket", "arrived"): ("到场时间", f"乙方人员到达现场的{_MOMENT}；远程处理或尚未到场的留空"),
    ("Ticket", "restored"): ("恢复时间", f"服务恢复的{_MOMENT}；尚未恢复的留空"),
    ("Ticket", "closed"): (
        "关闭时间", f"工单关闭的{_MOMENT}；不早于恢复时间（关闭的工单须有恢复时间），尚未关闭的留空"),
    ("Ticket", "assignee"): ("处理人", f"处理工单的人员（{_REF_STAFF}，须在同一合同下），如 lc-01；可留空"),
    ("Ticket", "satisfaction"): ("满意度", "用户满意度评分，1–5 的整数（4 分及以上计为满意），如 4；未评价的留空"),
    ("Ticket", "downtime_minutes"): (
        "停机时长", "计入可用率的系统不可用的分钟数，0 或正整数，如 41；没有停机的写 0 或留空"),
    ("AttendanceEvent", "id"): ("考勤记录号", f"考勤记录的编号，{_ID_CSV}，如 KQ-202607-001"),
    ("AttendanceEvent", "date"): (
        "日期", "发生的日期，格式 YYYY-MM-DD，也可以是 Excel 导出的 2026/7/8；不早于该人员的上岗日期"),
    ("AttendanceEvent", "staff"): ("人员", f"涉及的人员（{_REF_STAFF}），如 lc-03"),
    ("AttendanceEvent", "kind"): (
        "违规类型", "管理办法 deductions.rules 中某条规则的 code，如 late（迟到）、early_leave（早退）、"
        "absence（旷工）；按该规则的金额计违约金"),
    ("AttendanceEvent", "count"): ("次数", "发生的次数，1–31 的整数；旷工（absence）写天数；留空为 1"),
    ("AttendanceEvent", "note"): ("备注", "情况说明，如 上午签到时间08:50，迟到20分钟；可留空"),
    # reviews.yaml, improvements.yaml, bundles.yaml
    ("IncidentReview", "ticket"): ("工单号", "复盘的工单（tickets.csv 中的 id），每张工单只写一次，如 INC-202609-0033"),
    ("IncidentReview", "cause"): ("故障原因", "如 存储交换机固件缺陷导致光纤链路协商失败"),
    ("IncidentReview", "impact"): ("影响", "影响的范围与时长，如 核心业务系统停止服务 41 分钟"),
    ("IncidentReview", "fix"): ("处置措施", "已采取的处置与修复，如 切换至备用链路并重启多路径服务"),
    ("IncidentReview", "prevention"): ("预防措施", "防止再次发生的措施，如 存储网络双链路分别接入不同交换机"),
    ("IncidentReview", "owner"): ("责任人", "复盘与整改的责任人，如 王磊（华信智维）"),
    ("IncidentReview", "reviewed"): ("复盘日期", f"{_DATE}，如 2026-09-11"),
    ("ImprovementAction", "id"): ("措施编号", f"改进措施的编号，{_ID}，如 GJ-2026-001"),
    ("ImprovementAction", "agreement"): ("合同", _REF_AGREEMENT),
    ("ImprovementAction", "action"): ("改进措施", "要做的改进，如 存储网络双链路改造，消除单交换机依赖"),
    ("ImprovementAction", "owner"): ("责任人", "如 王磊"),
    ("ImprovementAction", "raised"): ("提出日期", f"{_DATE}，如 2026-09-11"),
    ("ImprovementAction", "due"): (
        "计划完成日期", f"{_DATE}，不早于提出日期，如 2026-10-31；到期未完成的在月报中列为已逾期，并扣持续改进分"),
    ("ImprovementAction", "closed"): ("完成日期", f"{_DATE}，不早于提出日期，如 2026-10-28；尚未完成的不写"),
    ("ImprovementAction", "source"): ("来源", "措施针对的工单号、问题或审计发现，如 INC-202609-0033；可不写"),
    ("BundleSpec", "name"): ("汇编代号", f"汇编的代号，{_ID}，如 contract-pack；各汇编不能相同"),
    ("BundleSpec", "title"): (
        "汇编名称", "汇编的名称，也是 PDF 文件名的一部分：最多 60 个字符，不能含 \\ / : * ? \" < > |，"
        "不能以点或空格开头或结尾，如 合同文本汇编"),
    ("BundleSpec", "per"): ("分册方式", "按什么分册"),
    ("BundleSpec", "kinds"): (
        "文档种类", "汇编收入的文档种类，至少一种，按列出的顺序装订：{kinds}；按合同分册且收入 contract 的，"
        "应同时收入全部附件（scope、sla、nda、assessment、staffing、pricing）"),
    # policy.yaml
    ("Policy", "version"): ("版本", "管理办法的版本号，写在英文引号里，如 \"2026.1\"；合同的 policy_version 引用它"),
    ("Policy", "effective_date"): ("生效日期", f"自该日起施行，{_DATE}，如 2026-01-01"),
    ("Policy", "title"): ("名称", "管理办法的名称，如 运维外包服务商管理办法"),
    ("Policy", "deductions"): ("考勤违约金", "考勤违约金：rules 各项规则、monthly_cap_pct 每月合计上限"),
    ("Policy", "leave"): ("请销假规则", "请假须书面函、须安排替岗人员的小时数；不写则用默认值（4、4、8 小时）"),
    ("Policy", "change"): ("人员变更规则", "更换驻场人员须提前通知的工作日数；不写则为 15 个工作日"),
    ("Policy", "assessment"): ("考核办法", "考核维度与权重、等级划分、等级上限、绩效支付比例等"),
    ("Policy", "problems"): (
        "问题管理规则", "重复发生的故障何时列为候选问题；不写则用默认值（30 天内同一系统的相似故障达到 3 次）"),
    ("Policy", "calendar"): (
        "工作日历", "内置日历没有或需要更正的年份的法定节假日和调休上班日，每年一项（year、holidays、workdays）；"
        "可不写"),
    ("Policy", "vocabulary"): (
        "名单", "服务窗口、服务类别与假别的名单；不写则用默认值（5×8、7×24，八个服务类别，七种假别）"),
    ("Policy", "bond_max_pct"): (
        "履约保证金上限", "履约保证金占合同总价的上限（%），写 0–10 的数字，最多两位小数，不加 % 号，如 10；合同的 "
        "performance_bond_pct 不得超过"),
    ("DeductionPolicy", "rules"): (
        "违约金规则", "各项考勤违约金规则，至少一条，每条写 code、name、amount、unit、basis，可写 windows；code "
        "不能重复"),
    ("DeductionPolicy", "monthly_cap_pct"): (
        "月度合计上限", f"每月考勤违约金合计不超过月度服务费的百分比，{_PCT}，如 20"),
    ("DeductionRule", "code"): (
        "规则代号", f"规则的代号，{_ID}，如 late；考勤记录（attendance.csv 的 kind 列）用它指代本规则，absence "
        "表示旷工"),
    ("DeductionRule", "name"): ("名称", "违规事项的名称，如 迟到"),
    ("DeductionRule", "amount"): ("金额", f"每个计量单位的违约金（元），{_MONEY}，如 500.00"),
    ("DeductionRule", "unit"): ("计量单位", "如 人/次、人/次/天、次"),
    ("DeductionRule", "basis"): (
        "认定标准", "怎样认定本项违规，原文写入服务等级协议，如 驻场人员晚于甲方规定的上班签到时间到岗的，"
        "按每人每次计"),
    ("DeductionRule", "windows"): (
        "适用服务窗口", "只适用于这些服务窗口的合同，如 [\"7×24\"]（值守、交接班类规则）；不写则适用于全部合同"),
    ("LeaveRules", "form_max_hours"): (
        "填表请假上限", "请假不超过此小时数的，填写请销假登记表即可；大于 0 的数字，如 4"),
    ("LeaveRules", "letter_over_hours"): (
        "需书面函超过", "请假超过此小时数的，须由乙方出具书面函（请假记录写 vendor_letter_no）；大于 0 的数字，如 4"),
    ("LeaveRules", "substitute_over_hours"): (
        "需替岗超过", "请假超过此小时数的，乙方须安排替岗人员（请假记录写 substitute）；大于 0 的数字，如 8"),
    ("ChangeRules", "notice_workdays"): (
        "提前通知工作日", "乙方更换驻场人员须至少提前几个工作日出具书面函，0 或正整数，如 15"),
    ("Assessment", "weights"): ("考核维度", "各考核维度及其权重，每项写 key、name、weight，权重合计须为 100"),
    ("Assessment", "grades"): (
        "考核等级", "等级划分，至少两级，按 min_score 从高到低排列、不能相同，最后一级为 0，如 优秀 90、良好 80、"
        "合格 60、不合格 0"),
    ("Assessment", "fail_grade"): ("不合格等级", "表示不合格的等级，只能写 不合格；可不写"),
    ("Assessment", "terminate_after_consecutive_fails"): (
        "连续不合格解约次数", "连续多少个季度考核不合格即建议终止合作（可解除合同），1 或以上的整数，如 2"),
    ("Assessment", "annual_quarters_pct"): (
        "季度考核占年度比例", f"年度得分中各季度平均分所占的百分比（其余为年度复核分），{_PCT}，如 70"),
    ("Assessment", "grade_caps"): (
        "等级上限", "出现所列情形时，当月及所在季度的等级不高于所列等级，不论得分；每项写 when 和 max_grade；可不写"),
    ("Assessment", "performance_payout_pct"): (
        "绩效支付比例", "各考核等级支付绩效服务费的百分比，每行写 等级: 百分比，如 合格: 80；不写则优秀、良好 100，"
        "合格 80，不合格 0"),
    ("Weight", "key"): ("维度代号", "考核维度，每个维度只写一次"),
    ("Weight", "name"): ("维度名称", "写入合同和报告的名称，如 服务质量与SLA达成"),
    ("Weight", "weight"): ("权重", f"该维度的权重（%），{_PCT}，各维度合计 100，如 35"),
    ("GradeBand", "name"): ("等级", "等级的名称"),
    ("GradeBand", "min_score"): ("最低分", "达到该等级的最低得分，0–100 的数字，如 90"),
    ("GradeCap", "when"): (
        "触发情形", "{conditions}，或某条考勤违约金规则的 code（当月有该项考勤记录），如 proxy_clock_in"),
    ("GradeCap", "max_grade"): ("最高等级", "出现该情形时当月等级最高为此等级"),
    ("CalendarYear", "year"): ("年份", "四位年份，2000–2100，如 2027"),
    ("CalendarYear", "holidays"): (
        "节假日", "该年的法定节假日（含调休放假日），每个日期一项，格式 YYYY-MM-DD，如 [2027-01-01]"),
    ("CalendarYear", "workdays"): (
        "调休上班日", "该年调休上班的周末，每个日期一项，格式 YYYY-MM-DD；须在该年内，不能同时是节假日"),
    ("ProblemRules", "window_days"): ("统计天数", "在最近多少天内统计重复故障，1–366 的整数，如 30"),
    ("ProblemRules", "min_count"): ("最少次数", "同一系统的相似故障达到多少次时列为候选问题，2–100 的整数，如 3"),
    ("ProblemRules", "similarity"): (
        "摘要相似度", "两张工单的摘要相似到什么程度算同类故障，0–1 的小数，如 0.8（越大越严格）"),
    ("ServiceWindow", "name"): (
        "名称", "服务窗口的名称，如 5×8、7×24、5×12；合同的 service_window 和人员的 post_type 用它"),
    ("ServiceWindow", "days"): ("服务日", "哪些日子提供服务"),
    ("ServiceWindow", "hours"): (
        "服务时间", "每个服务日的服务时间，格式 HH:MM-HH:MM，结束晚于开始，如 09:00-17:00；全天为 00:00-24:00"),
    ("Vocabulary", "service_windows"): (
        "服务窗口", "合同和岗位可用的服务窗口，每项写 name、days、hours；不写则为 5×8（工作日 09:00-17:00）和 "
        "7×24（每天 00:00-24:00）"),
    ("Vocabulary", "service_categories"): (
        "服务类别", "乙方可登记的服务类别，每项一个名称；不写则为 硬件维护、软件支持、网络安全、网络运维、"
        "数据库运维、桌面运维、机房运维、应用运维"),
    ("Vocabulary", "leave_types"): (
        "假别", "请假记录可用的假别，每项一个名称；不写则为 事假、病假、年假、调休、婚假、丧假、产假"),
}

# the levels of a fault as the SLA annex and the reports name them
_SEVERITY = {
    "P1": "一级故障（最严重，如核心业务中断；须提交重大故障复盘）",
    "P2": "二级故障（如核心功能部分丧失、性能严重下降）",
    "P3": "三级故障（如非核心功能故障、单点故障）",
    "P4": "四级事件（轻微故障、咨询及日常服务请求，不计入平均恢复时间）",
}
_GRADES = {
    "优秀": "最高等级，默认全额支付绩效服务费",
    "良好": "第二等级，默认全额支付绩效服务费",
    "合格": "第三等级，默认支付绩效服务费的 80%",
    "不合格": "最低等级，默认不支付绩效服务费；连续不合格可解除合同",
}

# (model, field) → what each allowed value means: `enumDescriptions`, and the description lists them
ENUMS: dict[tuple[str, str], dict[str, str]] = {
    ("Agreement", "status"): {
        "draft": "草稿（未签署，文档随数据和管理办法更新）",
        "signed": "已签署（文档保持签署时的样子，条款变更时起草补充协议）",
        "terminated": "已终止（提前终止，须写 terminated 的日期与原因）",
    },
    ("Agreement", "service_mode"): {
        "驻场": "乙方人员常驻甲方现场提供服务",
        "远程": "乙方通过远程方式提供服务",
        "驻场+远程": "现场驻场与远程支持相结合",
    },
    ("Fees", "invoice_type"): {
        "增值税专用发票": "甲方可凭票抵扣进项税",
        "增值税普通发票": "不能抵扣进项税",
    },
    ("Disputes", "method"): {
        "诉讼": "向甲方所在地有管辖权的人民法院起诉，不写 arbitration_commission",
        "仲裁": "提交 arbitration_commission 所写的仲裁委员会仲裁，裁决为终局",
    },
    ("SlaLevel", "level"): _SEVERITY,
    ("Ticket", "severity"): _SEVERITY,
    ("Vendor", "tier"): {
        "战略级": "核心服务商，合同另约定重大节假日专项保障和每季度联席会议",
        "常规级": "一般服务商",
        "临时级": "短期或临时合作的服务商",
    },
    ("PersonnelChange", "type"): {
        "新增": "增加一名人员：写 new_person，不写 old_staff",
        "替换": "以新人员替换原人员：写 old_staff 和 new_person",
        "撤离": "原人员撤离、不再补充：写 old_staff，不写 new_person",
    },
    ("Weight", "key"): {
        "sla": "服务质量与SLA达成（按工单计的时限达成率，可用率未达标扣 10 分）",
        "staffing": "人员与考勤管理（100 − 5 × 考勤不符合事项次数）",
        "security": "安全与合规（100 − 20 × 一级、二级安全事件数）",
        "process": "流程与报告（闭环时限达成率 − 10 × 未提交复盘的一级故障数）",
        "satisfaction": "用户满意度（4 分及以上的评价所占比例）",
        "improvement": "持续改进（100 − 10 × 超出恢复时限的一级、二级工单数 − 10 × 逾期的改进措施数）",
    },
    ("GradeBand", "name"): _GRADES,
    ("GradeCap", "max_grade"): _GRADES,
    ("ServiceWindow", "days"): {
        "工作日": "按国家法定节假日及调休安排的工作日",
        "每天": "每天都服务，含周末和节假日",
    },
    ("BundleSpec", "per"): {
        "agreement": "每份合同一册",
        "month": "每月一册",
        "year": "每年一册",
    },
}

# $defs model → (title, description), shown for the objects themselves
MODELS: dict[str, tuple[str, str]] = {
    "Client": ("甲方", "甲方（委托方）的单位信息"),
    "Vendor": ("乙方", "一家乙方（服务商）的单位信息、级别、服务类别与资质"),
    "Contact": ("联系人", "联系人的姓名、电话与电子邮箱"),
    "BankAccount": ("银行账户", "开户银行与账号"),
    "Agreement": ("合同", "一份运维外包服务合同的条款"),
    "Termination": ("终止信息", "已签署的合同提前终止的日期与原因"),
    "SignedSupplement": ("已签补充协议", "双方已签署、把管理办法新版本引入已签合同的补充协议"),
    "ScopeItem": ("服务项目", "服务范围中的一项"),
    "InventoryItem": ("服务清单项", "附件一《服务清单》中的一个系统或一类设备"),
    "Fees": ("费用", "合同价款、税率、付款安排与付款期限"),
    "Installment": ("付款期", "分期付款中的一期"),
    "Rate": ("单价", "附件六《报价明细》中一项服务范围以外工作的单价"),
    "Sla": ("服务等级", "附件二《服务等级协议》：服务窗口、故障等级与时限、可用率与服务抵扣"),
    "SlaLevel": ("故障等级", "一个故障等级的定义与各项时限"),
    "CreditTier": ("可用率抵扣档", "可用率低于某值时抵扣月度服务费的一档"),
    "NdaTerms": ("保密条款", "附件三《保密协议》的期限、违约金与安全事件报告时限"),
    "Disputes": ("争议解决", "诉讼或仲裁"),
    "StaffMember": ("驻场人员", "乙方派驻的一名人员"),
    "PersonnelChange": ("人员变更", "一次人员新增、替换或撤离"),
    "NewPerson": ("新人员", "新增或替换进来的人员"),
    "LeaveRequest": ("请假记录", "驻场人员的一次请假与销假"),
    "IncidentReview": ("重大故障复盘", "一张重大故障工单的复盘"),
    "ImprovementAction": ("改进措施", "逐月跟踪至完成的一项改进措施"),
    "BundleSpec": ("汇编", "一种 PDF 汇编：收入哪些文档，按合同、月或年分册"),
    "Policy": ("管理办法", "运维外包服务商管理办法的一个版本"),
    "DeductionPolicy": ("考勤违约金", "考勤违约金规则与每月合计上限"),
    "DeductionRule": ("违约金规则", "一项考勤违规及其违约金"),
    "LeaveRules": ("请销假规则", "请假须书面函、须替岗的小时数"),
    "ChangeRules": ("人员变更规则", "更换驻场人员的提前通知期"),
    "Assessment": ("考核办法", "考核维度与权重、等级、等级上限与绩效支付比例"),
    "Weight": ("考核维度", "一个考核维度及其权重"),
    "GradeBand": ("考核等级", "一个等级及其最低分"),
    "GradeCap": ("等级上限", "出现某种情形时等级不高于所列等级"),
    "CalendarYear": ("工作日历", "一年的法定节假日与调休上班日，补充或更正内置日历"),
    "ProblemRules": ("问题管理规则", "重复发生的故障何时列为候选问题"),
    "Vocabulary": ("名单", "服务窗口、服务类别与假别的名单，管理办法可自行扩充"),
    "ServiceWindow": ("服务窗口", "一个服务窗口：哪些日子、每天什么时间提供服务"),
}

# the top-level key of each data file (and the CSV exports) → (title, description)
FILES: dict[str, tuple[str, str]] = {
    "client": ("甲方", "client.yaml：甲方（委托方）的信息"),
    "policy": ("管理办法", "policy.yaml：运维外包服务商管理办法（考勤违约金、请销假、人员变更与考核规则）"),
    "vendors": ("乙方", "vendors.yaml：乙方（服务商）清单，每家一项"),
    "agreements": ("合同", "agreements.yaml：运维外包服务合同，每份一项"),
    "staff": ("驻场人员", "staff.yaml：乙方派驻的人员，每人一项"),
    "leave": ("请销假记录", "leave.yaml：驻场人员的请销假记录，每次请假一项"),
    "changes": ("人员变更记录", "changes.yaml：人员新增、替换与撤离的记录，每次变更一项"),
    "tickets": ("工单记录", "tickets.csv：工单系统导出的工单，每行一张，第一行为列名"),
    "attendance": ("考勤记录", "attendance.csv：考勤系统导出的考勤不符合事项，每行一条，第一行为列名"),
    "bundles": ("汇编设置", "bundles.yaml（可不建）：PDF 汇编，每种一项；不建则用合同文本汇编、月度与年度报告汇编"),
    "reviews": ("重大故障复盘", "reviews.yaml（可不建）：按工单号登记的重大故障复盘；未复盘的一级故障在月报中列为待办"),
    "improvements": ("改进措施", "improvements.yaml（可不建）：改进措施台账，逐月跟踪至完成"),
}


def _amount(node: dict[str, Any]) -> dict[str, Any]:
    """Pydantic's Decimal schema (number or any string, with its own `ge`/`decimal_places` keys)
    as JSON Schema: a number in range, or digits with at most two decimals."""
    number: dict[str, Any] = {"type": "number"}
    for ours, theirs in (("ge", "minimum"), ("gt", "exclusiveMinimum"), ("le", "maximum"), ("lt", "exclusiveMaximum")):
        if ours in node:
            number[theirs] = float(node[ours])
    out = {k: v for k, v in node.items() if k not in ("anyOf", "type", "decimal_places", "max_digits", "ge", "gt",
                                                      "le", "lt", "pattern")}
    out["anyOf"] = [number, {"type": "string", "pattern": AMOUNT_TEXT}]
    return out


def _editor_ready(node: Any) -> Any:
    """Walk a schema: amounts as above, Chinese titles for the properties of every object."""
    if isinstance(node, list):
        return [_editor_ready(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "decimal_places" in node or (node.get("anyOf") == [{"type": "number"}, {"type": "string"}]):
        node = _amount(node)
    out = {k: _editor_ready(v) for k, v in node.items()}
    for name, prop in (out.get("properties") or {}).items():
        if isinstance(prop, dict) and LABELS.get(name):
            prop["title"] = LABELS[name]
    return out


def data_file_schemas() -> dict[str, Any]:
    """One JSON Schema per YAML data file, keyed by its top-level key, and one per CSV export
    (`tickets.columns`, `attendance.columns`) describing its columns."""
    out: dict[str, Any] = {}
    for source in SOURCES:
        if source.is_csv:
            out[f"{source.kind}.columns"] = _columns(source)
            continue
        body = list[source.model] if source.many else source.model  # type: ignore[name-defined]
        # one field, named after the top-level key; a dict typed by its values, which could otherwise
        # bind create_model's own keyword arguments (`__base__`, `__doc__`, ...) as far as mypy knows
        field_definitions: dict[str, Any] = {source.kind: (body, ...)}
        wrapper = create_model(f"{source.kind.title()}File", __config__=None, **field_definitions)
        schema = _editor_ready(wrapper.model_json_schema(mode="validation"))
        schema["additionalProperties"] = False
        schema["title"] = f"docgen {source.filename}"
        _describe(schema, source.kind)
        out[source.kind] = schema
    return out


def _describe(schema: dict[str, Any], kind: str) -> None:
    """Chinese titles and descriptions for a data file's schema: its top-level key, every model in
    `$defs` and every property of theirs (FIELDS), the meaning of every allowed value (ENUMS)."""
    title, text = FILES[kind]
    schema["description"] = text
    top = schema["properties"][kind]
    top["title"], top["description"] = title, text
    for name, model in (schema.get("$defs") or {}).items():
        if name in MODELS:
            model["title"], model["description"] = MODELS[name]
        for field, prop in (model.get("properties") or {}).items():
            _describe_field(name, field, prop)


def _describe_field(model: str, field: str, prop: dict[str, Any]) -> None:
    """A property's title and description from FIELDS, the allowed values' meanings from ENUMS
    (as `enumDescriptions` beside each `enum`, and listed in the description), and its default
    when the description does not say what leaving it out means."""
    title, text = FIELDS.get((model, field), (None, None))
    if title:
        prop["title"] = title
    if text:
        prop["description"] = _filled(text)
    description = str(prop.get("description") or "").rstrip("。；; ")
    meanings = ENUMS.get((model, field), {})
    values: list[Any] = []
    for node in _enum_nodes(prop):
        node["enumDescriptions"] = [meanings.get(v, str(v)) for v in node["enum"]]
        values += [v for v in node["enum"] if v not in values]
    if values:
        listed = "；".join(_value_with_meaning(v, meanings.get(v, "")) for v in values)
        description = f"{description}。可填：{listed}" if description else f"可填：{listed}"
    default = prop.get("default")
    if isinstance(default, (str, int, float)) and default != "" and not any(w in description for w in ("不写", "默认")):
        shown = ("true（是）" if default else "false（否）") if isinstance(default, bool) else default
        description += f"。不写时为 {shown}"
    if description:
        prop["description"] = description + "。"


def _enum_nodes(node: Any) -> list[dict[str, Any]]:
    """The nodes with an `enum` in a property's schema: itself, or inside anyOf/oneOf/allOf/items."""
    if not isinstance(node, dict):
        return []
    found = [node] if isinstance(node.get("enum"), list) else []
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key) or []:
            found += _enum_nodes(sub)
    return found + _enum_nodes(node.get("items"))


def _value_with_meaning(value: Any, meaning: str) -> str:
    """"draft 草稿（……）" for a code, "驻场（乙方人员……）" for a value that is Chinese already."""
    if not meaning:
        return str(value)
    if _CJK.search(str(value)):
        return f"{value}（{meaning}）"
    return f"{value} {meaning}"



def _filled(text: str) -> str:
    """A description with the lists it names filled in from the code: the document kinds a bundle
    may hold, the results that may cap a grade."""
    if "{kinds}" in text:
        from .plan import KINDS

        text = text.replace("{kinds}", "、".join(f"{k.name}（{k.title}）" for k in KINDS.values()))
    if "{conditions}" in text:
        text = text.replace("{conditions}", "、".join(f"{code}（{what}）" for code, what in CAP_CONDITIONS.items()))
    return text


def _columns(source: Any) -> dict[str, Any]:
    """The columns of a CSV export: name, Chinese title, whether required, what goes in."""
    model = source.model.model_json_schema(mode="validation")
    props = {}
    for name, info in source.model.model_fields.items():
        prop: dict[str, Any] = {"type": "string", "title": LABELS.get(name) or name}
        if info.description:
            prop["description"] = info.description
        allowed = (model.get("properties") or {}).get(name, {}).get("enum")
        if allowed:
            prop["enum"] = list(allowed)
        _describe_field(source.model.__name__, name, prop)
        props[name] = prop
    title, text = FILES[source.kind]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"docgen {source.filename}（每行一条记录，第一行为列名；也可为同名 .xlsx）",
            "description": f"{title}。{text}；也可为同名 .xlsx 文件",
            "type": "object", "properties": props, "required": model.get("required", []),
            "additionalProperties": False}
