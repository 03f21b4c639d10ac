"""Write the sample data set into data/: one client, the policy, three vendors with their agreements and
staff, and four months (2026-07 .. 2026-10) of tickets, attendance non-conformities, leave and changes.

Deterministic: the only input is random.Random(20261124), so running the script again writes the same
bytes. The YAML is emitted by a small writer below (block style, keys named as the model fields) so the files
read like ones a person keeps; the CSV files look like exports of the ticket and attendance systems.

    .venv/bin/python tools/make_sample_data.py
"""

from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from docgen.models import uscc_check_char  # noqa: E402

DATA = ROOT / "data"
RNG = Random(20261124)
MONTHS = [(2026, 7), (2026, 8), (2026, 9), (2026, 10)]
EXPORT = datetime(2026, 11, 3, 17, 0)
"""When the ticket system was exported: later timestamps are not known yet."""
HOLIDAYS = [date(2026, 9, 25), *(date(2026, 10, d) for d in range(1, 8))]
"""中秋、国庆 days off; 5×8 staff do not work and get no tickets or attendance events on them."""
APPROVER = {"hx": "陈立", "lc": "赵文博", "qs": "赵文博"}
"""信息中心 project leads who approve leave, per vendor."""


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def money(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.01"))


# ============================================================================ parties

CLIENT = {
    "name": "澄湖实业集团有限公司",
    "uscc": uscc("91320500MA1XYK2L3"),
    "legal_rep": "周明远",
    "address": "江苏省澄湖市湖滨路88号",
    "contact": {"name": "陈立", "phone": "0512-66001234", "email": "chenli@chenghu-group.example.cn"},
    "bank": {"bank": "中国工商银行澄湖分行营业部", "account": "1102 0201 0900 0012 345"},
    "short_name": "澄湖集团",
    "city": "澄湖市",
    "department": "信息中心",
    "arbitration_commissions": ["澄湖仲裁委员会"],
}

VENDORS = [
    {
        "name": "华信智维科技有限公司",
        "uscc": uscc("91320594MA1MQ7NX2"),
        "legal_rep": "王建国",
        "address": "江苏省澄湖市工业园区星湖街328号",
        "contact": {"name": "李强", "phone": "13800001111", "email": "liqiang@hxzw.example.cn"},
        "bank": {"bank": "中国银行澄湖工业园区支行", "account": "5123 0078 6611 0021 8834"},
        "id": "hx",
        "short_name": "华信智维",
        "tier": "战略级",
        "categories": ["硬件维护", "软件支持", "数据库运维", "机房运维", "应用运维"],
        "qualifications": ["ISO 9001:2015 质量管理体系认证", "ISO/IEC 20000-1:2018 信息技术服务管理体系认证",
                           "ISO/IEC 27001:2022 信息安全管理体系认证",
                           "ITSS 信息技术服务标准符合性证书（运行维护 二级）"],
    },
    {
        "name": "澄湖联创网络技术有限公司",
        "uscc": uscc("91320505MA27WQ8H0"),
        "legal_rep": "孙丽华",
        "address": "江苏省澄湖市高新区长江路168号",
        "contact": {"name": "周涛", "phone": "13912345678", "email": "zhoutao@chlc.example.cn"},
        "bank": {"bank": "中国建设银行澄湖高新区支行", "account": "3205 0186 5361 0000 0457"},
        "id": "lc",
        "short_name": "联创网络",
        "tier": "常规级",
        "categories": ["网络运维", "网络安全"],
        "sme": True,
        "qualifications": ["ISO 9001:2015 质量管理体系认证", "ISO/IEC 27001:2022 信息安全管理体系认证",
                           "ITSS 信息技术服务标准符合性证书（运行维护 三级）"],
    },
    {
        "name": "青松安全服务有限公司",
        "uscc": uscc("91320508MA25RT3K6"),
        "legal_rep": "吴志刚",
        "address": "江苏省澄湖市姑苏区人民路905号",
        "contact": {"name": "郑凯", "phone": "13706219988", "email": "zhengkai@qingsong.example.cn"},
        "bank": {"bank": "招商银行澄湖分行营业部", "account": "5129 0221 8710 301"},
        "id": "qs",
        "short_name": "青松安全",
        "tier": "临时级",
        "categories": ["网络安全", "桌面运维"],
        "sme": True,
        "qualifications": ["ISO 9001:2015 质量管理体系认证", "ISO/IEC 27001:2022 信息安全管理体系认证",
                           "CCRC 信息安全服务资质（安全运维类 三级）"],
    },
]

# ============================================================================ policy

DEDUCTIONS = [
    # code, name, amount, unit, basis (the rules of 值守 and 交接班 apply to 7×24 agreements only: WINDOWS)
    # (the templates add their own punctuation after these texts, so they end without 。)
    ("late", "迟到", "500", "人/次",
     "驻场人员晚于甲方规定的上班签到时间到岗的，按每人每次计"),
    ("early_leave", "早退", "500", "人/次",
     "驻场人员早于甲方规定的下班签退时间离开岗位的，按每人每次计"),
    ("absent_over_3h", "脱岗超过3小时", "1000", "人/次",
     "迟到、早退或擅自离开岗位累计超过3小时的认定为脱岗，按每人每次计，不再重复计迟到或早退"),
    ("absence", "旷工", "2000", "人/次/天",
     "未办理请假手续不到岗、全天未签到签退，或假期届满未销假且未返岗的，按每人每天计"),
    ("proxy_clock_in", "弄虚作假、替代打卡", "3000", "人/次",
     "由他人代为签到签退，或伪造、篡改考勤及工作记录的，按每人每次计"),
    ("unmanned_post", "7×24小时值守岗位脱岗超过3小时", "2000", "次",
     "要求7×24小时值守的岗位无人在岗累计超过3小时的，每发生一次计一次；同一时段已按脱岗计的，不重复计"),
    ("missing_handover", "交接班记录缺失或弄虚作假", "2000", "次",
     "值守岗位未按规定填写交接班记录，或记录内容与实际情况不符的，每发生一次计一次"),
    ("unrelated_work", "从事与运维项目无关工作", "1000", "人/次",
     "甲方检查发现驻场人员在工作时间处理与本运维项目无关事务的，按每人每次计"),
    ("complaint", "被投诉", "1000", "人/次",
     "驻场人员因服务态度或服务质量被甲方工作人员投诉，经核实属实的，按每人每次计"),
]
RULE_AMOUNT = {code: Decimal(amount) for code, _, amount, _, _ in DEDUCTIONS}
WINDOWS = {"unmanned_post": ["7×24"], "missing_handover": ["7×24"]}
MONTHLY_CAP_PCT = Decimal(20)

POLICY = {
    "version": "2026.1",
    "effective_date": date(2026, 1, 1),
    "title": "运维外包服务商管理办法",
    "deductions": {
        "rules": [{"code": c, "name": n, "amount": money(a), "unit": u, "basis": b,
                   **({"windows": WINDOWS[c]} if c in WINDOWS else {})} for c, n, a, u, b in DEDUCTIONS],
        "monthly_cap_pct": MONTHLY_CAP_PCT,
    },
    "leave": {"form_max_hours": 4, "letter_over_hours": 4, "substitute_over_hours": 8},
    "change": {"notice_workdays": 15},
    "assessment": {
        "weights": [
            {"key": "sla", "name": "服务质量与SLA达成", "weight": 35},
            {"key": "staffing", "name": "人员与考勤管理", "weight": 20},
            {"key": "security", "name": "安全与合规", "weight": 15},
            {"key": "process", "name": "流程与报告", "weight": 10},
            {"key": "satisfaction", "name": "用户满意度", "weight": 15},
            {"key": "improvement", "name": "持续改进", "weight": 5},
        ],
        "grades": [
            {"name": "优秀", "min_score": 90},
            {"name": "良好", "min_score": 80},
            {"name": "合格", "min_score": 60},
            {"name": "不合格", "min_score": 0},
        ],
        "fail_grade": "不合格",
        "terminate_after_consecutive_fails": 2,
        "annual_quarters_pct": 70,
        "grade_caps": [
            {"when": "sla_below_target", "max_grade": "良好"},
            {"when": "availability_missed", "max_grade": "良好"},
            {"when": "proxy_clock_in", "max_grade": "合格"},
            {"when": "absence", "max_grade": "合格"},
        ],
    },
}

# ============================================================================ agreements

QUARTERLY = "该季度考核结果确认且甲方收到乙方开具的发票"

AGREEMENTS = [
    {
        "id": "hx-2026",
        "contract_no": "CH-YW-2026-001",
        "vendor": "hx",
        "project_name": "核心业务系统运维外包服务",
        "signing_date": date(2025, 12, 18),
        "signing_place": "江苏省澄湖市",
        "status": "signed",
        "start": date(2026, 1, 1),
        "end": date(2026, 12, 31),
        "scope": [
            {"name": "服务器与存储运维",
             "description": "数据中心 x86 服务器、存储阵列与备份设备的日常巡检、故障诊断、备件更换及固件升级"},
            {"name": "操作系统与中间件支持",
             "description": "Linux、Windows 服务器操作系统及应用中间件的配置管理、补丁更新与性能调优"},
            {"name": "数据库运维",
             "description": "核心业务数据库的监控告警、备份与恢复演练、容量规划和慢查询优化"},
            {"name": "机房基础设施运维",
             "description": "UPS、精密空调、动环监控系统的巡检与告警处置，7×24小时机房值守"},
            {"name": "重大活动保障",
             "description": "法定节假日及集团重大活动期间的驻场值守、应急演练与应急处置"},
        ],
        "service_mode": "驻场",
        "inventory": [
            {"name": "核心业务系统", "kind": "业务系统", "location": "集团数据中心", "quantity": 1,
             "note": "含应用服务器 6 台、数据库集群 1 套"},
            {"name": "统一身份认证平台", "kind": "业务系统", "location": "集团数据中心", "quantity": 1},
            {"name": "x86 服务器", "kind": "服务器", "location": "集团数据中心 A 区", "quantity": 42},
            {"name": "存储阵列", "kind": "存储设备", "location": "集团数据中心 A 区", "quantity": 3},
            {"name": "UPS 不间断电源", "kind": "机房设备", "location": "集团数据中心配电室", "quantity": 2,
             "note": "200 kVA，并机运行"},
            {"name": "精密空调", "kind": "机房设备", "location": "集团数据中心", "quantity": 6},
            {"name": "动环监控系统", "kind": "机房设备", "location": "集团数据中心监控室", "quantity": 1},
        ],
        "fees": {
            "total": money("1680000"),
            "monthly": money("140000"),
            "tax_rate_pct": 6,
            "performance_share_pct": 20,
            "payment": [{"stage": f"第{q}季度服务费", "percent": 25, "condition": QUARTERLY} for q in "一二三四"],
            "extra_rates": [
                {"item": "范围外系统的现场技术支持", "unit": "人·天", "price": money("2400"), "note": "工作日 8 小时"},
                {"item": "附件一以外系统的节假日及夜间应急支持", "unit": "人·小时", "price": money("600")},
                {"item": "数据迁移与割接实施", "unit": "人·天", "price": money("3200"), "note": "按甲方确认的方案计量"},
            ],
        },
        "performance_bond_pct": 10,
        "exit_transition_months": 3,
        "sla": {
            "service_window": "7×24",
            "levels": [
                ("P1", "一级故障", "核心业务中断、系统瘫痪、数据丢失或发生重大安全事件", "15m", "2h", "4h", "72h"),
                ("P2", "二级故障", "核心功能部分丧失或系统性能严重下降，影响部分用户使用", "30m", "4h", "8h", "5d"),
                ("P3", "三级故障", "非核心功能故障或单点故障，存在替代方案", "2h", "1d", "24h", "10d"),
                ("P4", "四级事件", "轻微故障、咨询及日常服务请求", "1d", None, "5d", "15d"),
            ],
            "availability_target_pct": Decimal("99.9"),
            "availability_systems": ["核心业务系统", "统一身份认证平台"],
            "credits": [("99.9", 5), ("99.5", 10), ("99", 20)],
            "credit_cap_pct": 30,
            "restore_credits": {"P1": 5, "P2": 2},
            "attainment_target_pct": 95,
        },
        "nda": {"years_after_term": 3, "liquidated_damages": money("500000"), "incident_report_hours": 24},
        "disputes": {"method": "仲裁", "arbitration_commission": "澄湖仲裁委员会"},
        "counterparts": 4,
    },
    {
        "id": "lc-2026",
        "contract_no": "CH-YW-2026-002",
        "vendor": "lc",
        "project_name": "园区网络运维服务",
        "signing_date": date(2025, 12, 22),
        "signing_place": "江苏省澄湖市",
        "status": "signed",
        "start": date(2026, 1, 1),
        "end": date(2026, 12, 31),
        "scope": [
            {"name": "园区有线网络运维",
             "description": "核心、汇聚、接入交换机及路由器的巡检、配置备份、故障处理与端口管理"},
            {"name": "无线网络运维",
             "description": "无线控制器与接入点的运行监测、信号优化、访客网络与认证管理"},
            {"name": "互联网出口与远程接入",
             "description": "互联网出口链路、负载均衡及 VPN 远程接入平台的运行保障"},
            {"name": "网络安全设备策略维护",
             "description": "防火墙、入侵防御与上网行为管理设备的策略变更、日志审计和特征库升级"},
        ],
        "service_mode": "驻场+远程",
        "fees": {
            "total": money("720000"),
            "monthly": money("60000"),
            "tax_rate_pct": 6,
            "performance_share_pct": 20,
            "payment": [{"stage": f"第{q}季度服务费", "percent": 25, "condition": QUARTERLY} for q in "一二三四"],
        },
        "performance_bond_pct": 10,
        "exit_transition_months": 3,
        "sla": {
            "service_window": "5×8",
            "levels": [
                ("P1", "一级故障", "园区核心网络或互联网出口中断，大范围用户无法访问网络", "30m", "2h", "4h", "72h"),
                ("P2", "二级故障", "楼宇或区域网络中断、重要链路或设备故障", "1h", "4h", "8h", "5d"),
                ("P3", "三级故障", "单点接入故障、配置变更及咨询类请求", "4h", None, "48h", "10d"),
            ],
            "availability_target_pct": Decimal("99.5"),
            "availability_systems": ["园区核心网络", "互联网出口"],
            "credits": [("99.5", 5), ("99", 10), ("98", 20)],
            "credit_cap_pct": 20,
            "restore_credits": {"P1": 5, "P2": 2},
            "attainment_target_pct": 95,
        },
        "nda": {"years_after_term": 3, "liquidated_damages": money("200000"), "incident_report_hours": 24},
        "disputes": {"method": "诉讼"},
        "counterparts": 4,
    },
    {
        "id": "qs-2026",
        "contract_no": "CH-YW-2026-003",
        "vendor": "qs",
        "project_name": "终端与网络安全专项运维服务",
        "signing_date": date(2026, 5, 20),
        "signing_place": "江苏省澄湖市",
        "status": "signed",
        "start": date(2026, 6, 1),
        "end": date(2026, 12, 31),
        "scope": [
            {"name": "安全监测与告警研判",
             "description": "安全设备及终端安全管理平台日志的日常分析、告警研判与处置跟踪"},
            {"name": "漏洞管理",
             "description": "每月开展漏洞扫描，推送补丁并跟踪高危漏洞整改闭环"},
            {"name": "终端安全运维",
             "description": "办公终端防病毒、准入控制与安全基线的部署和维护，以及终端故障处理"},
            {"name": "安全事件应急处置",
             "description": "病毒、钓鱼邮件及入侵事件的隔离、取证、清除与事后复盘"},
        ],
        "service_mode": "驻场",
        "fees": {
            "total": money("252000"),
            "monthly": money("36000"),
            "tax_rate_pct": 6,
            "performance_share_pct": 20,
            "payment": [
                # by months served, so no month's fee waits for a later one (SME: within 60 days)
                {"stage": "第一期服务费（2026年6月至8月）", "months": 3, "condition": QUARTERLY},
                {"stage": "第二期服务费（2026年9月至11月）", "months": 3, "condition": QUARTERLY},
                {"stage": "第三期服务费（2026年12月）", "months": 1, "condition": QUARTERLY},
            ],
        },
        "performance_bond_pct": 5,
        "exit_transition_months": 3,
        "sla": {
            "service_window": "5×8",
            "levels": [
                ("P1", "一级事件", "确认的入侵、勒索病毒感染或数据泄露事件", "1h", "4h", "8h", "5d"),
                ("P2", "二级事件", "高危漏洞告警、病毒扩散或安全管理平台故障", "2h", "8h", "24h", "7d"),
                ("P3", "三级事件", "一般安全告警、终端软件问题及咨询类请求", "1d", None, "3d", "15d"),
            ],
            "availability_target_pct": Decimal("99.0"),
            "availability_systems": ["终端安全管理平台"],
            "credits": [("99", 5), ("98", 10)],
            "credit_cap_pct": 15,
            "restore_credits": {"P1": 5, "P2": 2},
            "attainment_target_pct": 95,
        },
        "nda": {"years_after_term": 5, "liquidated_damages": money("100000"), "incident_report_hours": 12},
        "disputes": {"method": "诉讼"},
        "counterparts": 4,
    },
]
AG_OF_VENDOR = {a["vendor"]: a["id"] for a in AGREEMENTS}  # the agreements the 2026 records belong to

# The renewal of hx for 2027, still a draft: its contract follows the policy in force, and no
# records fall in its term yet, so it has contract documents and no reports.
AGREEMENTS.append({
    **AGREEMENTS[0],
    "id": "hx-2027",
    "contract_no": "CH-YW-2027-001",
    "signing_date": date(2026, 12, 21),
    "status": "draft",
    "start": date(2027, 1, 1),
    "end": date(2027, 12, 31),
    "fees": {**AGREEMENTS[0]["fees"], "total": money("1740000"), "monthly": money("145000")},
})
AG = {a["id"]: a for a in AGREEMENTS}


def minutes(text: str | None) -> int | None:
    if text is None:
        return None
    number, unit = int(text[:-1]), text[-1]
    return number * {"m": 1, "h": 60, "d": 1440}[unit]


def level_limits(agreement_id: str) -> dict[str, tuple[int, int | None, int, int]]:
    return {lv[0]: (minutes(lv[3]), minutes(lv[4]), minutes(lv[5]), minutes(lv[6]))  # type: ignore[misc]
            for lv in AG[agreement_id]["sla"]["levels"]}


# ============================================================================ staff

STAFF = [
    # id, name, vendor, role, post type, start date, certificates, years
    ("hx-01", "张伟", "hx", "项目经理", "5×8", date(2026, 1, 1), ["PMP", "ITIL 4 Foundation"], 12),
    ("hx-02", "李娜", "hx", "系统运维工程师", "7×24", date(2026, 1, 1), ["RHCE", "ITIL 4 Foundation"], 8),
    ("hx-03", "王磊", "hx", "系统运维工程师", "7×24", date(2026, 1, 1), ["RHCE", "VCP-DCV"], 6),
    ("hx-04", "刘洋", "hx", "数据库管理员", "5×8", date(2026, 1, 1), ["OCP", "MySQL OCP"], 9),
    ("hx-05", "陈静", "hx", "机房运维工程师", "7×24", date(2026, 8, 3), ["CDCP", "电工作业操作证"], 4),
    ("lc-01", "杨帆", "lc", "网络工程师", "5×8", date(2026, 1, 1), ["HCIP-Datacom"], 7),
    ("lc-02", "赵敏", "lc", "网络工程师", "5×8", date(2026, 1, 1), ["CCNP Enterprise"], 5),
    ("lc-03", "黄晓东", "lc", "安全工程师", "5×8", date(2026, 2, 2), ["HCIP-Security", "CISP"], 6),
    ("qs-01", "周杰", "qs", "安全工程师", "5×8", date(2026, 6, 1), ["CISP", "CISSP"], 10),
    ("qs-02", "吴婷", "qs", "桌面运维工程师", "5×8", date(2026, 6, 1), ["CompTIA A+", "HCIA-Datacom"], 3),
]
S = {s[0]: s for s in STAFF}
PHONE_PREFIXES = ["135", "136", "138", "139", "150", "152", "158", "187", "188"]
PHONES = {s[0]: RNG.choice(PHONE_PREFIXES) + f"{RNG.randint(0, 99999999):08d}" for s in STAFF}
LAST_DAY: dict[str, date] = {"qs-02": date(2026, 10, 30)}
"""Staff who leave the site (撤离) in the period: last working day."""


# ============================================================================ leave and changes

def dt(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


LEAVE = [
    # staff, type, start, end, hours, reason, substitute, letter, handover, returned
    ("hx-02", "事假", "2026-07-07 14:00", "2026-07-07 17:30", "3.5", "办理户籍迁移手续", None, None, None,
     "2026-07-07 17:25"),
    ("lc-01", "病假", "2026-07-16 08:30", "2026-07-16 17:30", "8", "急性肠胃炎就医", None, "LC-HAN-2026-011",
     "当日网络报修工单由赵敏接手处理", "2026-07-17 08:24"),
    ("hx-03", "病假", "2026-07-22 08:00", "2026-07-23 20:00", "24", "腰椎扭伤需卧床休息", "hx-02", "HX-HAN-2026-012",
     "两个白班由李娜顶岗，值班手机与机房门禁卡已当面交接", "2026-07-24 07:52"),
    ("hx-04", "年假", "2026-08-10 08:30", "2026-08-12 17:30", "24", "年度带薪休假", "hx-03", "HX-HAN-2026-017",
     "数据库日常巡检与备份核查交王磊负责，交接清单双方已签字", "2026-08-13 08:21"),
    ("qs-01", "事假", "2026-08-20 09:00", "2026-08-20 11:00", "2", "参加子女开学家长会", None, None, None,
     "2026-08-20 11:06"),
    ("lc-01", "年假", "2026-08-24 08:30", "2026-08-25 17:30", "16", "年度带薪休假", "lc-02", "LC-HAN-2026-015",
     "在途网络变更两项及未结工单已移交赵敏", "2026-08-26 08:18"),
    ("hx-03", "调休", "2026-09-04 13:30", "2026-09-04 17:30", "4", "八月重大活动保障期间加班调休", None, None,
     "下午例行巡检已提前完成", "2026-09-04 17:30"),
    ("qs-02", "病假", "2026-09-07 08:30", "2026-09-09 17:30", "24", "发热住院观察", "qs-01", "QS-HAN-2026-004",
     "终端报修工单转周杰处理", None),
    ("lc-03", "事假", "2026-09-18 14:30", "2026-09-18 17:30", "3", "办理房屋过户手续", None, None, None,
     "2026-09-18 17:30"),
    ("hx-05", "婚假", "2026-10-12 08:00", "2026-10-16 20:00", "60", "本人结婚", "hx-03", "HX-HAN-2026-029",
     "机房白班由王磊顶岗，动环告警通知名单已同步更新", "2026-10-19 07:55"),
    ("lc-02", "事假", "2026-10-21 08:30", "2026-10-21 12:00", "3.5", "陪同家人产检", None, None, None,
     "2026-10-21 12:04"),
    ("hx-01", "年假", "2026-10-26 08:30", "2026-10-27 17:30", "16", "年度带薪休假", "hx-04", "HX-HAN-2026-031",
     "周例会由刘洋主持，月度报告素材收集已交接", "2026-10-28 08:27"),
    ("qs-01", "病假", "2026-10-29 13:00", "2026-10-29 17:30", "4.5", "牙科手术复诊", None, "QS-HAN-2026-009",
     "下午安全告警值守由吴婷临时承担", "2026-10-30 08:29"),
]

CHANGES = [
    {
        "id": "BG-001", "agreement": "hx-2026", "type": "新增",
        "new_person": {"name": "陈静", "role": "机房运维工程师", "certificates": ["CDCP", "电工作业操作证"],
                       "years_experience": 4},
        "reason": "新机房投入运行，按合同增设一名7×24小时机房值守人员",
        "requested": date(2026, 7, 6), "effective": date(2026, 8, 3),
        "handover": ["机房门禁与动环监控系统账号开通", "值守规范与应急预案培训", "交接班制度交底"],
        "access_revoked": False, "pledge_signed": True, "vendor_letter_no": "HX-BG-2026-004",
    },
    {
        "id": "BG-002", "agreement": "qs-2026", "type": "撤离",
        "old_staff": "qs-02",
        "reason": "终端安全加固阶段完成，桌面运维工作量下降，经双方协商减少驻场人员一名",
        "requested": date(2026, 9, 28), "effective": date(2026, 10, 31),
        "handover": ["账号权限：终端安全管理平台及准入系统账号注销", "运维文档：终端资产台账与处置记录",
                     "未结工单：移交周杰继续跟踪"],
        "access_revoked": True, "pledge_signed": True, "vendor_letter_no": "QS-BG-2026-002",
    },
    {
        "id": "BG-003", "agreement": "lc-2026", "type": "替换",
        "old_staff": "lc-02",
        "new_person": {"name": "孟晨", "role": "网络工程师", "certificates": ["HCIP-Datacom", "CCNP Enterprise"],
                       "years_experience": 6},
        "reason": "原驻场人员经核实存在替代打卡行为，甲方书面要求乙方紧急更换",
        "requested": date(2026, 10, 26), "effective": date(2026, 11, 2),
        "handover": ["账号权限：网络设备管理账号与 VPN 账号回收", "运维文档：拓扑图、配置备份与 IP 地址台账",
                     "未结工单：3张，逐张交接并由新人员接手"],
        "access_revoked": True, "pledge_signed": True, "vendor_letter_no": "LC-BG-2026-005",
    },
]


# ============================================================================ availability of people

def is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def leave_intervals(staff_id: str) -> list[tuple[datetime, datetime]]:
    """Leave periods, stretched to the end of the day (and to the 销假 time when it is later)."""
    out = []
    for sid, _, start, end, *_rest, returned in LEAVE:
        if sid == staff_id:
            stop = datetime.combine(dt(end).date(), time(23, 59))
            if returned:
                stop = max(stop, dt(returned))
            out.append((dt(start).replace(hour=0, minute=0), stop))
    return out


ABSENT_DAYS = {"qs-02": [date(2026, 9, 10), date(2026, 9, 11)]}


def on_site(staff_id: str, when: datetime) -> bool:
    _, _, _, _, post, start, _, _ = S[staff_id]
    day = when.date()
    if day < start or day > LAST_DAY.get(staff_id, date(2099, 1, 1)):
        return False
    if day in ABSENT_DAYS.get(staff_id, []):
        return False
    if any(a <= when <= b for a, b in leave_intervals(staff_id)):
        return False
    if post == "5×8":
        return is_workday(day) and time(8, 30) <= when.time() <= time(17, 30)
    return True


def on_leave_day(staff_id: str, day: date) -> bool:
    lo, hi = datetime.combine(day, time(0, 0)), datetime.combine(day, time(23, 59))
    return any(a <= hi and lo <= b for a, b in leave_intervals(staff_id)) or day in ABSENT_DAYS.get(staff_id, [])


# ============================================================================ tickets

SEVERITY_MIX = [("P1", 0.03), ("P2", 0.12), ("P3", 0.45), ("P4", 0.40)]
VOLUME = {"hx-2026": 55, "lc-2026": 27, "qs-2026": 16}
"""Average tickets per month, by agreement."""
BREACH_RATE = 0.075

CATEGORY_WEIGHTS = {
    "hx-2026": {
        "P1": {"硬件故障": 35, "软件故障": 30, "数据库": 25, "安全事件": 10},
        "P2": {"硬件故障": 30, "软件故障": 35, "数据库": 25, "安全事件": 10},
        "P3": {"硬件故障": 30, "软件故障": 33, "数据库": 20, "安全事件": 5, "咨询与服务请求": 12},
        "P4": {"咨询与服务请求": 60, "硬件故障": 15, "软件故障": 15, "数据库": 10},
    },
    "lc-2026": {
        "P1": {"网络故障": 85, "安全事件": 15},
        "P2": {"网络故障": 70, "安全事件": 15, "硬件故障": 15},
        "P3": {"网络故障": 42, "硬件故障": 10, "安全事件": 10, "咨询与服务请求": 38},
    },
    "qs-2026": {
        "P1": {"安全事件": 100},
        "P2": {"安全事件": 70, "软件故障": 30},
        "P3": {"安全事件": 33, "软件故障": 25, "硬件故障": 10, "咨询与服务请求": 32},
    },
}

HX_SERVERS = ["核心业务系统", "统一身份认证平台", "数据仓库平台", "虚拟化平台"]
HX_APPS = ["核心业务系统", "协同办公系统", "财务管理系统"]
HX_ANY = ["核心业务系统", "统一身份认证平台", "协同办公系统", "财务管理系统", "数据仓库平台"]

TEMPLATES: dict[str, list[tuple[str, str, list[str], str]]] = {
    # agreement: [(category, severities, systems, summary template)]
    "hx-2026": [
        ("硬件故障", "34", HX_SERVERS, "服务器 {host} 硬盘故障告警，RAID 降级运行"),
        ("硬件故障", "34", HX_SERVERS, "服务器 {host} 冗余电源模块失效"),
        ("硬件故障", "34", HX_SERVERS, "服务器 {host} 内存可纠正错误次数超过阈值"),
        ("硬件故障", "234", ["核心业务系统", "数据仓库平台"], "存储阵列 {n} 号控制器缓存电池告警"),
        ("硬件故障", "34", ["备份与容灾系统"], "磁带库机械手卡带，夜间备份作业中断"),
        ("硬件故障", "234", ["机房基础设施"], "机房 {n} 号精密空调高温告警"),
        ("硬件故障", "34", ["机房基础设施"], "UPS 电池组自检结果异常"),
        ("硬件故障", "12", ["虚拟化平台"], "虚拟化主机 {host} 宕机，所承载虚拟机全部离线"),
        ("硬件故障", "12", ["备份与容灾系统", "数据仓库平台"], "存储阵列双控制器同时告警，卷组离线"),
        ("软件故障", "34", HX_APPS, "定时任务“{job}”执行失败"),
        ("软件故障", "234", ["核心业务系统", "统一身份认证平台", "协同办公系统"], "应用中间件连接池耗尽，页面响应缓慢"),
        ("软件故障", "34", ["协同办公系统", "财务管理系统", "数据仓库平台"], "补丁安装后{svc}无法自动启动"),
        ("软件故障", "34", HX_APPS, "应用日志目录磁盘使用率超过 90%"),
        ("软件故障", "2", ["核心业务系统", "统一身份认证平台"], "应用节点 CPU 持续满载，业务办理明显变慢"),
        ("软件故障", "12", ["协同办公系统", "财务管理系统"], "{system}全部应用节点无响应，用户无法登录"),
        ("软件故障", "34", ["统一身份认证平台"], "单点登录跳转失败，部分用户被反复要求登录"),
        ("数据库", "34", ["核心业务系统", "财务管理系统", "数据仓库平台"], "表空间使用率超过 85% 告警"),
        ("数据库", "234", ["核心业务系统", "财务管理系统"], "慢查询增多，月度报表页面超时"),
        ("数据库", "234", ["核心业务系统", "数据仓库平台"], "数据库主备同步延迟超过 {n} 分钟"),
        ("数据库", "34", ["核心业务系统", "财务管理系统", "数据仓库平台"], "数据库归档日志空间不足"),
        ("数据库", "12", ["财务管理系统", "数据仓库平台"], "数据库实例异常宕机，应用无法连接"),
        ("安全事件", "23", ["核心业务系统", "协同办公系统", "统一身份认证平台"], "主机 {host} 检测到异常外联告警"),
        ("安全事件", "23", ["协同办公系统", "统一身份认证平台"], "检测到针对登录接口的批量口令猜测"),
        ("安全事件", "1", ["协同办公系统", "财务管理系统"], "{system}管理员账号疑似被盗用，已紧急冻结并排查"),
        ("咨询与服务请求", "34", HX_ANY, "新增系统账号及权限开通申请"),
        ("咨询与服务请求", "34", HX_ANY, "导出{month}操作审计日志"),
        ("咨询与服务请求", "4", ["虚拟化平台"], "测试环境虚拟机资源申请"),
        ("咨询与服务请求", "4", ["备份与容灾系统"], "配合开展季度备份恢复演练"),
        ("咨询与服务请求", "34", HX_ANY, "应用版本发布配合及上线后验证"),
        ("咨询与服务请求", "4", HX_ANY, "人员调岗后账号权限变更"),
        ("咨询与服务请求", "4", ["核心业务系统", "数据仓库平台"], "业务部门数据提取需求"),
    ],
    "lc-2026": [
        ("网络故障", "3", ["楼层接入网络"], "{building}{floor}层接入交换机 {port} 端口故障，工位断网"),
        ("网络故障", "23", ["楼层接入网络"], "{building}{floor}层接入交换机离线"),
        ("网络故障", "3", ["无线网络"], "{building}{floor}层无线 AP 频繁掉线"),
        ("网络故障", "3", ["无线网络"], "{building}会议室无线信号弱，投屏卡顿"),
        ("网络故障", "23", ["VPN 远程接入"], "VPN 拨入后无法访问内网业务系统"),
        ("网络故障", "2", ["互联网出口"], "互联网出口链路丢包率升高，外网访问缓慢"),
        ("网络故障", "2", ["园区核心网络"], "核心交换机 CPU 利用率异常升高，部分业务访问变慢"),
        ("网络故障", "1", ["楼层接入网络"], "{building}汇聚交换机故障，整栋楼网络中断"),
        ("网络故障", "1", ["VPN 远程接入"], "VPN 网关故障，全部远程用户无法接入"),
        ("硬件故障", "23", ["楼层接入网络", "园区核心网络"], "{building}汇聚交换机单电源故障"),
        ("硬件故障", "3", ["无线网络"], "{building}{floor}层无线 AP 硬件损坏需更换"),
        ("硬件故障", "3", ["楼层接入网络"], "{building}{floor}层弱电间交换机风扇告警"),
        ("安全事件", "23", ["网络安全设备"], "防火墙策略误拦截业务系统访问"),
        ("安全事件", "23", ["网络安全设备"], "入侵防御设备检测到内网主机对外扫描"),
        ("安全事件", "1", ["网络安全设备"], "内网出现蠕虫式横向扫描，已隔离源头网段"),
        ("咨询与服务请求", "3", ["楼层接入网络"], "新增网络信息点开通"),
        ("咨询与服务请求", "3", ["无线网络"], "访客无线账号批量申请"),
        ("咨询与服务请求", "3", ["网络安全设备"], "业务系统访问策略开通申请"),
        ("咨询与服务请求", "3", ["楼层接入网络"], "{building}工位搬迁网络端口调整"),
        ("咨询与服务请求", "3", ["VPN 远程接入"], "VPN 账号开通申请"),
    ],
    "qs-2026": [
        ("安全事件", "1", ["办公终端"], "{dept}终端感染勒索病毒，已断网隔离"),
        ("安全事件", "12", ["邮件安全网关"], "钓鱼邮件批量投递，部分员工已点击链接"),
        ("安全事件", "23", ["防病毒系统"], "{dept}多台终端报毒，疑似病毒扩散"),
        ("安全事件", "23", ["终端安全管理平台"], "高危漏洞 {cve} 通告处置与补丁推送"),
        ("安全事件", "3", ["防病毒系统"], "终端 {pc} 病毒告警处置"),
        ("安全事件", "3", ["终端准入系统"], "非授权设备接入内网告警"),
        ("安全事件", "3", ["邮件安全网关"], "可疑邮件拦截复核"),
        ("软件故障", "23", ["终端安全管理平台"], "终端安全管理平台策略下发失败"),
        ("软件故障", "3", ["终端准入系统"], "终端准入客户端异常，无法通过认证"),
        ("软件故障", "3", ["防病毒系统"], "防病毒客户端病毒库升级失败"),
        ("软件故障", "3", ["办公终端"], "{dept}终端蓝屏，疑似安全软件冲突"),
        ("硬件故障", "3", ["办公终端"], "{dept}终端硬盘故障需更换"),
        ("硬件故障", "3", ["办公终端"], "{dept}网络打印机无法连接"),
        ("咨询与服务请求", "3", ["办公终端"], "新入职员工终端安全软件安装"),
        ("咨询与服务请求", "3", ["终端安全管理平台"], "季度终端安全基线核查配合"),
        ("咨询与服务请求", "3", ["办公终端"], "{dept}终端安全检查配合"),
        ("咨询与服务请求", "3", ["邮件安全网关"], "邮件误拦截放行申请"),
    ],
}

ROLE_FOR_CATEGORY = {
    "hx-2026": {"硬件故障": ["系统运维工程师", "机房运维工程师"], "软件故障": ["系统运维工程师"],
                "数据库": ["数据库管理员"], "安全事件": ["系统运维工程师"],
                "咨询与服务请求": ["系统运维工程师", "数据库管理员", "机房运维工程师"]},
    "lc-2026": {"网络故障": ["网络工程师"], "硬件故障": ["网络工程师"], "安全事件": ["安全工程师"],
                "咨询与服务请求": ["网络工程师", "安全工程师"]},
    "qs-2026": {"安全事件": ["安全工程师"], "软件故障": ["桌面运维工程师"], "硬件故障": ["桌面运维工程师"],
                "咨询与服务请求": ["桌面运维工程师", "安全工程师"]},
}

HOSTS = {
    "核心业务系统": ["core-app01", "core-app02", "core-app03", "core-db01", "core-db02"],
    "统一身份认证平台": ["iam-web01", "iam-web02", "iam-db01"],
    "数据仓库平台": ["dw-node01", "dw-node02", "dw-node05", "dw-etl01"],
    "虚拟化平台": ["esx-03", "esx-08", "esx-11", "esx-14"],
    "协同办公系统": ["oa-app01", "oa-app02", "oa-db01"],
    "财务管理系统": ["fin-app01", "fin-db01"],
    "备份与容灾系统": ["bak-01", "bak-02"],
}
BUILDINGS = ["行政楼", "研发楼", "综合楼", "调度中心", "职工服务中心"]
DEPTS = ["财务部", "人力资源部", "市场部", "法务部", "办公室", "审计部", "采购部", "安全环保部"]
JOBS = ["日终对账", "数据同步", "报表生成", "日志归档", "账号同步"]
SERVICES = ["应用服务", "消息队列服务", "调度服务", "文件同步服务"]


def fill(template: str, system: str, opened: datetime) -> str:
    prev = opened.month - 1 or 12
    values = {
        "host": RNG.choice(HOSTS.get(system, HOSTS["虚拟化平台"])), "n": RNG.randint(2, 8),
        "building": RNG.choice(BUILDINGS),
        "floor": RNG.randint(1, 12), "port": f"G0/0/{RNG.randint(1, 48)}", "dept": RNG.choice(DEPTS),
        "job": RNG.choice(JOBS), "svc": RNG.choice(SERVICES), "month": f"{prev}月", "system": system,
        "cve": f"CVE-2026-{RNG.randint(10000, 49999)}", "pc": f"ZD-{RNG.randint(1, 860):04d}",
    }
    return template.format(**values)


def weighted(table: dict[str, int] | list[tuple[str, float]]) -> str:
    items = list(table.items()) if isinstance(table, dict) else table
    total = sum(w for _, w in items)
    r = RNG.random() * total
    for key, w in items:
        r -= w
        if r < 0:
            return key
    return items[-1][0]


def pick_severity(levels: list[str]) -> str:
    sev = weighted(SEVERITY_MIX)
    return sev if sev in levels else levels[-1]


def random_opened(agreement_id: str, year: int, month: int) -> datetime:
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    window = AG[agreement_id]["sla"]["service_window"]
    while True:
        day = date(year, month, RNG.randint(1, last))
        if window == "7×24":
            if RNG.random() < 0.72:
                minute = RNG.randint(8 * 60, 18 * 60 - 1)
            else:
                minute = RNG.choice([RNG.randint(0, 8 * 60 - 1), RNG.randint(18 * 60, 24 * 60 - 1)])
            if day.weekday() >= 5 and RNG.random() < 0.45:
                continue  # fewer reports at weekends
        else:
            if not is_workday(day):
                continue
            minute = RNG.randint(8 * 60 + 30, 17 * 60 + 10)
        return datetime.combine(day, time(minute // 60, minute % 60))


def pick_assignee(agreement_id: str, category: str, when: datetime) -> str:
    staff = [s for s in STAFF if AG_OF_VENDOR[s[2]] == agreement_id]
    present = [s for s in staff if on_site(s[0], when)]
    if not present:  # out of hours for a 5×8 team: whoever is on the next working day
        present = [s for s in staff if s[5] <= when.date() <= LAST_DAY.get(s[0], date(2099, 1, 1))
                   and not on_leave_day(s[0], when.date())]
    roles = ROLE_FOR_CATEGORY[agreement_id].get(category, [])
    preferred = [s for s in present if s[3] in roles]
    pool = preferred or [s for s in present if s[3] != "项目经理"] or present
    return RNG.choice(pool)[0]


def skew(lo: float, hi: float, power: float = 1.6) -> float:
    """A value in [lo, hi] that leans towards lo."""
    return lo + (hi - lo) * RNG.random() ** power


def work_time(stamp: datetime) -> bool:
    return is_workday(stamp.date()) and time(8, 30) <= stamp.time() <= time(17, 30)


def snap(stamp: datetime, floor: datetime) -> datetime:
    """Move a 5×8 team's timestamp into working hours: back to the last working moment after `floor`
    when there is one (so a ticket within its limit stays within it), else on to the next morning."""
    if work_time(stamp):
        return stamp
    day = stamp.date() if stamp.time() > time(17, 30) else stamp.date() - timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    back = datetime.combine(day, time(17, 30)) - timedelta(minutes=RNG.randint(0, 40))
    if back > floor:
        return back
    if floor.date() == day and floor < datetime.combine(day, time(17, 30)):
        return floor + timedelta(minutes=RNG.randint(1, int((datetime.combine(day, time(17, 30)) - floor)
                                                               .total_seconds() // 60)))
    day = stamp.date() if stamp.time() < time(8, 30) else stamp.date() + timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=RNG.randint(0, 45))


def timeline(agreement_id: str, sev: str, opened: datetime, category: str, breach: str | None,
             keep_open: bool) -> dict[str, Any]:
    resp_t, arr_t, rest_t, close_t = level_limits(agreement_id)[sev]
    if breach in ("response", "both"):
        resp = int(resp_t * RNG.uniform(1.15, 2.0)) + 1
    else:
        resp = max(1, int(resp_t * skew(0.05, 0.9)))
    onsite_chance = {"P1": 0.9, "P2": 0.7, "P3": 0.25}.get(sev, 0.0)
    if category == "咨询与服务请求":
        onsite_chance = 0.0
    arr = None
    if arr_t is not None and RNG.random() < onsite_chance:
        cap = min(arr_t, int(rest_t * 0.7))
        arr = resp + max(3, int((cap - resp) * RNG.uniform(0.15, 0.9))) if cap > resp + 3 else resp + 3
    low = max(resp, arr or 0) + RNG.randint(5, 25)
    export_room = int((EXPORT - opened).total_seconds() // 60)
    if breach in ("restore", "both"):
        rest = max(low, int(rest_t * RNG.uniform(1.1, 1.8)) + 1)
    else:
        high = int(rest_t * 0.95)
        rest = min(rest_t, low if high <= low else int(low + (high - low) * RNG.random() ** 1.4))
    if rest > export_room:  # an older ticket is resolved by the time of the export
        rest = max(low, int(low + (export_room - low) * RNG.random())) if export_room > low else low
    close = rest + int(max(30, close_t - rest) * skew(0.05, 0.85, 1.3))
    close = min(close, max(close_t, rest + 30))
    out: dict[str, Any] = {
        "responded": opened + timedelta(minutes=resp),
        "arrived": opened + timedelta(minutes=arr) if arr is not None else None,
        "restored": opened + timedelta(minutes=rest),
        "closed": opened + timedelta(minutes=close),
    }
    if AG[agreement_id]["sla"]["service_window"] == "5×8":
        floor = opened
        for stamp in ("responded", "arrived", "restored", "closed"):
            if out[stamp] is not None:
                out[stamp] = floor = snap(out[stamp], floor)
    if keep_open or out["restored"] > EXPORT:
        out["restored"] = out["closed"] = None
    elif out["closed"] > EXPORT:
        out["closed"] = None
    return out


def satisfaction(row: dict[str, Any], missed: bool) -> int | None:
    if row["closed"] is None or RNG.random() >= 0.7:
        return None
    if missed:
        return int(weighted({"2": 20, "3": 40, "4": 32, "5": 8}))
    return int(weighted({"5": 56, "4": 32, "3": 10, "2": 2}))


# Major incidents written out in full: they carry the downtime of the covered systems, so that the
# strategic vendor misses its 99.9% target in September (52 min over 43,200 min = 99.88%) and every
# other agreement-month meets its target.
# (agreement, opened, severity, category, system, summary, response, arrival, restore, closure, downtime, assignee)
MAJOR_INCIDENTS = [
    ("hx-2026", "2026-07-14 02:17", "P1", "硬件故障", "核心业务系统",
     "应用服务器主板故障导致核心业务中断，值班人员手工切换至备机后恢复", 6, 52, 18, 2760, 18, "hx-02"),
    ("hx-2026", "2026-08-22 09:40", "P2", "软件故障", "统一身份认证平台",
     "认证服务证书过期，部分用户无法登录", 5, None, 35, 1890, 9, "hx-03"),
    ("hx-2026", "2026-09-08 10:42", "P1", "数据库", "核心业务系统",
     "核心业务数据库存储链路中断，业务系统停止服务", 4, 16, 41, 4150, 41, "hx-04"),
    ("hx-2026", "2026-09-23 20:15", "P2", "软件故障", "统一身份认证平台",
     "认证服务节点内存溢出，登录请求大面积超时", 8, None, 74, 4020, 11, "hx-03"),
    ("hx-2026", "2026-10-16 15:03", "P1", "硬件故障", "核心业务系统",
     "存储控制器故障致核心业务系统只读，已切换至备用控制器", 7, 20, 25, 2900, 25, "hx-02"),
    ("lc-2026", "2026-08-06 10:20", "P1", "网络故障", "园区核心网络",
     "核心交换机主控板故障，园区网络大面积中断", 6, 28, 47, 1810, 47, "lc-01"),
    ("lc-2026", "2026-09-15 14:10", "P2", "网络故障", "园区核心网络",
     "核心至汇聚链路光模块故障，行政楼网络中断", 10, 35, 62, 2890, 15, "lc-02"),
    ("qs-2026", "2026-07-09 09:30", "P2", "软件故障", "终端安全管理平台",
     "终端安全管理平台服务进程异常退出，管理控制台无法访问", 20, None, 95, 1870, 30, "qs-01"),
    ("qs-2026", "2026-10-21 11:05", "P1", "安全事件", "办公终端",
     "财务部终端感染勒索病毒，已断网隔离并排查横向扩散", 12, 40, 260, 3190, 0, "qs-01"),
]
OPEN_QUOTA = {"hx-2026": 3, "lc-2026": 1, "qs-2026": 1}
"""Tickets opened in the last days of October that are still open at the export."""


def make_tickets() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for year, month in MONTHS:
        for ag in (a for a in AGREEMENTS if a["status"] == "signed"):  # the renewal has no records yet
            aid = ag["id"]
            levels = [lv[0] for lv in ag["sla"]["levels"]]
            covered = ag["sla"]["availability_systems"]
            for _ in range(VOLUME[aid] + RNG.randint(-4, 4)):
                sev = pick_severity(levels)
                opened = random_opened(aid, year, month)
                category = weighted(CATEGORY_WEIGHTS[aid][sev])
                options = [t for t in TEMPLATES[aid] if t[0] == category and sev[1] in t[1]]
                if not options:
                    options = [t for t in TEMPLATES[aid] if sev[1] in t[1]]
                template = RNG.choice(options)
                category = template[0]
                systems = [s for s in template[2] if not (sev == "P1" and s in covered)] or template[2]
                system = RNG.choice(systems)
                breach = None
                if RNG.random() < BREACH_RATE:
                    breach = weighted({"response": 40, "restore": 45, "both": 15})
                rows.append({"agreement": aid, "severity": sev, "category": category, "system": system,
                             "summary": fill(template[3], system, opened), "opened": opened, "breach": breach})
    # the tickets still open at the export
    late = [r for r in rows if r["opened"] >= datetime(2026, 10, 28) and r["severity"] in ("P3", "P4")]
    for aid, quota in OPEN_QUOTA.items():
        mine = [r for r in late if r["agreement"] == aid]
        for r in RNG.sample(mine, min(quota, len(mine))):
            r["keep_open"] = True
    for r in rows:
        times = timeline(r["agreement"], r["severity"], r["opened"], r["category"], r["breach"],
                         r.get("keep_open", False))
        r.update(times)
        r["assignee"] = pick_assignee(r["agreement"], r["category"], r["opened"])
        r["downtime_minutes"] = 0
    for aid, opened, sev, cat, system, summary, resp, arr, rest, close, down, who in MAJOR_INCIDENTS:
        start = dt(opened)
        assert S[who][2] == AG[aid]["vendor"] and on_site(who, start), (who, opened)
        rows.append({
            "agreement": aid, "severity": sev, "category": cat, "system": system, "summary": summary,
            "opened": start, "breach": None, "responded": start + timedelta(minutes=resp),
            "arrived": start + timedelta(minutes=arr) if arr is not None else None,
            "restored": start + timedelta(minutes=rest), "closed": start + timedelta(minutes=close),
            "assignee": who, "downtime_minutes": down,
        })
    for r in rows:
        r["satisfaction"] = satisfaction(r, missed(r)["response"] or missed(r)["restore"])
    rows.sort(key=lambda r: (r["opened"], r["agreement"], r["summary"]))
    counters: dict[str, int] = {}
    for r in rows:
        key = r["opened"].strftime("%Y%m")
        counters[key] = counters.get(key, 0) + 1
        r["id"] = f"INC-{key}-{counters[key]:04d}"
    return rows


def missed(row: dict[str, Any]) -> dict[str, bool]:
    resp_t, arr_t, rest_t, close_t = level_limits(row["agreement"])[row["severity"]]
    out = {}
    for name, stamp, limit in (("response", "responded", resp_t), ("arrival", "arrived", arr_t),
                               ("restore", "restored", rest_t), ("closure", "closed", close_t)):
        value = row.get(stamp)
        out[name] = bool(value is not None and limit is not None
                         and value - row["opened"] > timedelta(minutes=limit))
    return out


# ============================================================================ attendance

SPECIAL_EVENTS = [
    # date, staff, kind, count, note
    ("2026-07-21", "hx-03", "missing_handover", 1, "7月20日夜班交接班记录未填写，早班无法核对遗留告警"),
    ("2026-07-29", "lc-01", "absent_over_3h", 1, "下午未经报备外出办事，离岗约3小时40分钟"),
    ("2026-08-12", "hx-02", "unmanned_post", 1, "夜班值守期间离开值班室约3.5小时，期间监控告警无人处置"),
    ("2026-08-18", "lc-03", "unrelated_work", 1, "巡查发现工作时间在驻场电脑上编写其他客户的项目方案"),
    ("2026-09-10", "qs-02", "absence", 2, "病假期满未销假，9月10日、11日连续两天未到岗且未说明原因"),
    ("2026-09-16", "hx-04", "absent_over_3h", 1, "上午11:52方到岗，事前未请假，迟到超过3小时"),
    ("2026-09-24", "qs-02", "complaint", 1, "财务部反映终端报修处理过程中态度生硬、推诿，经核实属实"),
    ("2026-10-13", "qs-01", "absent_over_3h", 1, "下午擅自离岗约3小时15分钟，称外出办理私事"),
    ("2026-10-20", "hx-04", "late", 1, "上午签到时间08:47，迟到17分钟"),
    ("2026-10-22", "lc-02", "proxy_clock_in", 1, "10月22日上午由他人代按指纹签到，经门禁与监控记录核实"),
]
LATE_REASONS = ["", "", "", "，称道路拥堵", "，称地铁故障延误", "，称送孩子上学", "，未提前报备"]
SHIFT_LATE_REASONS = ["", "", "", "，称道路拥堵", "，称公交晚点", "，未提前告知接班人员"]
EARLY_REASONS = ["", "", "，未报备", "，称家中有事", "，称赶火车"]


def random_event(staff_id: str, day: date) -> tuple[str, str]:
    post = S[staff_id][4]
    if RNG.random() < 0.65:
        late = RNG.choice([6, 8, 10, 12, 15, 17, 20, 22, 25, 30, 35, 42, 50])
        if post == "7×24":
            shift, start = RNG.choice([("早班", time(8, 0)), ("夜班", time(20, 0))])
            return "late", f"{shift}（{start:%H:%M}）接班迟到{late}分钟{RNG.choice(SHIFT_LATE_REASONS)}"
        sign = datetime.combine(day, time(8, 30)) + timedelta(minutes=late)
        return "late", f"上午签到时间{sign:%H:%M}，迟到{late}分钟{RNG.choice(LATE_REASONS)}"
    early = RNG.choice([10, 15, 20, 25, 30, 40, 45, 60])
    if post == "7×24":
        shift = RNG.choice(["白班", "夜班"])
        return "early_leave", f"{shift}未等接班人员到岗，提前{early}分钟离岗{RNG.choice(EARLY_REASONS)}"
    sign = datetime.combine(day, time(17, 30)) - timedelta(minutes=early)
    return "early_leave", f"下午签退时间{sign:%H:%M}，早退{early}分钟{RNG.choice(EARLY_REASONS)}"


def make_attendance() -> list[dict[str, Any]]:
    events = [{"date": date.fromisoformat(d), "staff": s, "kind": k, "count": c, "note": n}
              for d, s, k, c, n in SPECIAL_EVENTS]
    taken = {(e["date"], e["staff"]) for e in events}
    weights = {"hx-01": 2, "hx-02": 3, "hx-03": 3, "hx-04": 3, "hx-05": 2, "lc-01": 3, "lc-02": 4, "lc-03": 3,
               "qs-01": 2, "qs-02": 3}
    for year, month in MONTHS:
        for _ in range(RNG.randint(6, 8)):
            while True:
                sid = weighted(weights)
                last = (date(year, month % 12 + 1, 1) - timedelta(days=1)).day if month < 12 else 31
                day = date(year, month, RNG.randint(1, last))
                active = S[sid][5] <= day <= LAST_DAY.get(sid, date(2099, 1, 1))
                workday = is_workday(day) or S[sid][4] == "7×24"
                if active and workday and not on_leave_day(sid, day) and (day, sid) not in taken:
                    break
            kind, note = random_event(sid, day)
            taken.add((day, sid))
            events.append({"date": day, "staff": sid, "kind": kind, "count": 1, "note": note})
    events.sort(key=lambda e: (e["date"], e["staff"]))
    counters: dict[str, int] = {}
    for e in events:
        key = e["date"].strftime("%Y%m")
        counters[key] = counters.get(key, 0) + 1
        e["id"] = f"KQ-{key}-{counters[key]:03d}"
    return events


# ============================================================================ YAML writer

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9.+~][^\n]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"[0-9A-Z]{18}", text) and re.search("[A-Z]", text):
        return text  # a 统一社会信用代码 reads as text in YAML
    plain = (_PLAIN.match(text) and ": " not in text and " #" not in text and not text.endswith((":", " "))
             and text.lower() not in _RESERVED and not (flow and re.search(r"[,\[\]{}:]", text)))
    return text if plain else json.dumps(text, ensure_ascii=False)


def block(mapping: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines += block(value, indent + 2)
        elif isinstance(value, list):
            if not value:
                lines.append(f"{pad}{key}: []")
            elif all(not isinstance(v, (dict, list)) for v in value):
                flow = f"{pad}{key}: [{', '.join(scalar(v, flow=True) for v in value)}]"
                if len(flow) <= 100:
                    lines.append(flow)
                else:
                    lines.append(f"{pad}{key}:")
                    lines += [f"{pad}  - {scalar(v)}" for v in value]
            else:
                lines.append(f"{pad}{key}:")
                lines += items(value, indent + 2)
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return lines


def items(records: list[dict[str, Any]], indent: int) -> list[str]:
    lines: list[str] = []
    for record in records:
        sub = block(record, indent + 2)
        sub[0] = " " * indent + "- " + sub[0][indent + 2:]
        lines += sub
    return lines


def write_yaml(name: str, comment: str, key: str, body: dict[str, Any] | list[dict[str, Any]]) -> None:
    lines = [f"# {comment}", f"{key}:"]
    lines += block(body, 2) if isinstance(body, dict) else items(body, 2)
    (DATA / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(name: str, header: list[str], rows: list[dict[str, Any]]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else scalar(row[h]) if isinstance(row[h], datetime)
                             else str(row[h]) for h in header])


# ============================================================================ the files

def agreement_record(a: dict[str, Any]) -> dict[str, Any]:
    sla = a["sla"]
    credits = sla.get("restore_credits", {})
    levels = [{"level": lv, "name": name, "definition": definition, "response": resp, "arrival": arr,
               "restore": rest, "closure": close, **({"restore_credit_pct": credits[lv]} if lv in credits else {})}
              for lv, name, definition, resp, arr, rest, close in sla["levels"]]
    return {
        **{k: a[k] for k in ("id", "contract_no", "vendor", "project_name", "signing_date", "signing_place",
                             "status", "start", "end", "scope", "service_mode", "fees", "performance_bond_pct",
                             "exit_transition_months")},
        **({"inventory": a["inventory"]} if "inventory" in a else {}),
        "sla": {
            "service_window": sla["service_window"],
            "levels": levels,
            "availability_target_pct": sla["availability_target_pct"],
            "availability_systems": sla["availability_systems"],
            "credits": [{"below_pct": Decimal(b), "credit_pct": c} for b, c in sla["credits"]],
            "credit_cap_pct": sla["credit_cap_pct"],
            "attainment_target_pct": sla["attainment_target_pct"],
        },
        **{k: a[k] for k in ("nda", "disputes", "counterparts")},
    }


def vendor_record(v: dict[str, Any]) -> dict[str, Any]:
    order = ("id", "name", "short_name", "tier", "uscc", "legal_rep", "address", "contact", "bank", "categories",
             "qualifications", "sme")
    return {k: v[k] for k in order if k in v}


def staff_record(s: tuple) -> dict[str, Any]:
    sid, name, vendor, role, post, start, certs, years = s
    return {"id": sid, "name": name, "vendor": vendor, "agreement": AG_OF_VENDOR[vendor], "role": role,
            "post_type": post, "start_date": start, "phone": PHONES[sid], "pledge_signed": True,
            "certificates": certs, "years_experience": years}


def leave_records() -> list[dict[str, Any]]:
    out = []
    for i, (sid, kind, start, end, hours, reason, sub, letter, handover, returned) in enumerate(LEAVE, start=1):
        rec: dict[str, Any] = {"id": f"QJ-{i:03d}", "staff": sid, "type": kind, "start": dt(start), "end": dt(end),
                               "hours": Decimal(hours), "reason": reason}
        if sub:
            rec["substitute"] = sub
        if handover:
            rec["handover"] = handover
        if letter:
            rec["vendor_letter_no"] = letter
        rec["approved_by"] = APPROVER[S[sid][2]]
        if returned:
            rec["returned"] = dt(returned)
        out.append(rec)
    return out


def check(tickets: list[dict[str, Any]], attendance: list[dict[str, Any]]) -> None:
    """Guard the properties the sample is meant to show; fail loudly if a tweak breaks one."""
    for sid, _, start, end, hours, _, sub, letter, *_ in LEAVE:
        assert dt(end) > dt(start)
        assert Decimal(hours) <= 4 or letter, sid
        assert Decimal(hours) <= 8 or (sub and sub != sid and S[sub][2] == S[sid][2]), sid
    for e in attendance:
        assert e["kind"] in RULE_AMOUNT
        assert e["kind"] not in ("unmanned_post", "missing_handover") or S[e["staff"]][4] == "7×24"
    fees = {a["id"]: a["fees"]["monthly"] for a in AGREEMENTS}
    for year, month in MONTHS:
        for aid, fee in fees.items():
            total = sum(RULE_AMOUNT[e["kind"]] * e["count"] for e in attendance
                        if AG_OF_VENDOR[S[e["staff"]][2]] == aid and (e["date"].year, e["date"].month) == (year, month))
            assert total <= fee * MONTHLY_CAP_PCT / 100, (aid, month, total)
    for t in tickets:
        assert S[t["assignee"]][2] == AG[t["agreement"]]["vendor"]
        for stamp in ("responded", "arrived", "restored", "closed"):
            assert t[stamp] is None or t[stamp] >= t["opened"], t
            assert t[stamp] is None or t[stamp] <= EXPORT, t
        assert t["closed"] is None or (t["restored"] is not None and t["closed"] >= t["restored"])


# ============================================================================ reviews and improvements

REVIEWS = [  # some P1s reviewed; the others show as outstanding in their reports
    {"ticket": "INC-202609-0033", "cause": "存储交换机固件缺陷导致光纤链路协商失败，数据库主机失去存储路径",
     "impact": "核心业务系统停止服务 41 分钟，期间柜面与网银交易无法办理",
     "fix": "切换至备用链路并重启多路径服务；厂商提供固件补丁后在变更窗口升级",
     "prevention": "存储网络双链路分别接入不同交换机，固件升级纳入季度变更计划", "owner": "王磊（华信智维）",
     "reviewed": date(2026, 9, 11)},
    {"ticket": "INC-202610-0029", "cause": "存储阵列两个控制器同批次电池模块同时老化失效，缓存写保护触发卷组离线",
     "impact": "数据仓库平台卷组离线约 3 小时，当日报表延迟生成",
     "fix": "更换两个控制器的电池模块，恢复卷组并校验数据一致性",
     "prevention": "建立电池模块寿命台账，到期前 30 天更换；同批次部件错峰更换", "owner": "王磊（华信智维）",
     "reviewed": date(2026, 10, 16)},
    {"ticket": "INC-202610-0055", "cause": "财务部终端打开伪装为报销单的邮件附件，勒索病毒加密本地文件",
     "impact": "1 台终端本地文件被加密，未发现横向扩散，财务共享盘未受影响",
     "fix": "断网隔离终端，重装系统并从备份恢复文件，全网排查同类样本",
     "prevention": "邮件网关加强附件沙箱检测，开展全员钓鱼邮件演练", "owner": "周杰（青松安全）",
     "reviewed": date(2026, 10, 23)},
]

IMPROVEMENTS = [
    {"id": "GJ-2026-001", "agreement": "hx-2026", "action": "存储网络双链路改造，消除单交换机依赖", "owner": "王磊",
     "raised": date(2026, 9, 11), "due": date(2026, 10, 31), "closed": date(2026, 10, 28), "source": "INC-202609-0033"},
    {"id": "GJ-2026-002", "agreement": "hx-2026", "action": "建立存储部件寿命台账并制定更换计划", "owner": "王磊",
     "raised": date(2026, 10, 16), "due": date(2026, 11, 30), "source": "INC-202610-0029"},
    {"id": "GJ-2026-003", "agreement": "lc-2026", "action": "VPN 拨入后无法访问内网问题的根因分析", "owner": "赵敏",
     "raised": date(2026, 8, 31), "due": date(2026, 9, 30), "source": "疑似问题（VPN 远程接入）"},
    {"id": "GJ-2026-004", "agreement": "qs-2026", "action": "全员钓鱼邮件演练与邮件附件沙箱检测上线", "owner": "周杰",
     "raised": date(2026, 10, 23), "due": date(2026, 12, 15), "source": "INC-202610-0055"},
]


def main() -> None:
    DATA.mkdir(exist_ok=True)
    tickets = make_tickets()
    attendance = make_attendance()
    check(tickets, attendance)

    client_order = ("name", "short_name", "uscc", "legal_rep", "address", "city", "department", "contact", "bank",
                    "arbitration_commissions")
    write_yaml("client.yaml", "甲方（委托方）", "client", {k: CLIENT[k] for k in client_order})
    write_yaml("policy.yaml", "运维外包服务商管理办法：考勤违约金、请销假、人员变更与考核规则", "policy", POLICY)
    write_yaml("vendors.yaml", "乙方（服务商）：战略级、常规级、临时级各一家", "vendors",
               [vendor_record(v) for v in VENDORS])
    write_yaml("agreements.yaml", "运维外包服务合同（2026年度三份已签订；hx 的2027年度续签合同为草稿）", "agreements",
               [agreement_record(a) for a in AGREEMENTS])
    write_yaml("staff.yaml", "驻场运维人员", "staff", [staff_record(s) for s in STAFF])
    write_yaml("leave.yaml", "请销假记录（超过4小时须附乙方函件，超过8小时须安排替岗人员）", "leave", leave_records())
    write_yaml("changes.yaml", "人员变更记录", "changes", CHANGES)
    write_yaml("reviews.yaml", "重大故障复盘（按工单号；未复盘的一级故障在月报中列为待办）", "reviews", REVIEWS)
    write_yaml("improvements.yaml", "改进措施台账（逐月跟踪至完成）", "improvements", IMPROVEMENTS)
    write_csv("tickets.csv", ["id", "agreement", "severity", "category", "system", "summary", "opened", "responded",
                              "arrived", "restored", "closed", "assignee", "satisfaction", "downtime_minutes"], tickets)
    write_csv("attendance.csv", ["id", "date", "staff", "kind", "count", "note"], attendance)

    print(f"sample data written to {DATA}: {len(tickets)} tickets, {len(attendance)} attendance events, "
          f"{len(LEAVE)} leave requests, {len(CHANGES)} changes")
    print("agreement  month    tickets  response-miss  restore-miss  open  downtime")
    for aid in AG:
        for year, month in MONTHS:
            mine = [t for t in tickets
                    if t["agreement"] == aid and (t["opened"].year, t["opened"].month) == (year, month)]
            flags = [missed(t) for t in mine]
            print(f"{aid:10} {year}-{month:02d}  {len(mine):7}  {sum(f['response'] for f in flags):13}  "
                  f"{sum(f['restore'] for f in flags):12}  {sum(t['restored'] is None for t in mine):4}  "
                  f"{sum(t['downtime_minutes'] for t in mine):8}")


if __name__ == "__main__":
    main()
