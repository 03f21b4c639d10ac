"""Write the sample data set into data/: a client, three vendors, agreements, staff and four months of records.

Deterministic (fixed seed): running it again gives the same files. The YAML is written by hand-made
templates below rather than a YAML dumper, so the files read like ones a person would keep.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from docgen.models import uscc_check_char  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RNG = random.Random(20261124)
MONTHS = [(2026, 7), (2026, 8), (2026, 9), (2026, 10)]


def uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


CLIENT_USCC = uscc("91320500MA1XYK2L3")
VENDORS = [
    # id, name, short, tier, uscc body, legal rep, address, categories, qualifications, contact, phone, bank, account
    ("hx", "华信智维科技有限公司", "华信智维", "战略级", "91320594MA1MQ7NX2", "王建国",
     "江苏省澄湖市工业园区星湖街328号", ["硬件维护", "软件支持", "数据库运维", "机房运维"],
     ["ISO 9001:2015", "ISO/IEC 20000-1:2018", "ISO/IEC 27001:2022", "ITSS 运维 二级"],
     "李强", "13800001111", "中国银行澄湖工业园区支行", "5123 0078 6611 0021 8834"),
    ("lc", "澄湖联创网络技术有限公司", "联创网络", "常规级", "91320505MA27WQ8H0", "孙丽华",
     "江苏省澄湖市高新区长江路168号", ["网络运维", "网络安全"],
     ["ISO 9001:2015", "ISO/IEC 27001:2022"],
     "周涛", "13912345678", "中国建设银行澄湖高新区支行", "3205 0186 5361 0000 0457"),
    ("qs", "青松安全服务有限公司", "青松安全", "临时级", "91320508MA25RT3K6", "吴志刚",
     "江苏省澄湖市姑苏区人民路905号", ["网络安全", "桌面运维"],
     ["ISO 9001:2015", "CCRC 信息安全服务资质（安全运维类）"],
     "郑凯", "13706219988", "招商银行澄湖分行营业部", "5129 0221 8710 301"),
]

AGREEMENTS = {
    "hx": dict(id="hx-2026", no="CH-YW-2026-001", project="核心业务系统运维外包服务", start="2026-01-01", end="2026-12-31",
               mode="驻场", total="1680000.00", monthly="140000.00", bond=10, window="7×24", avail="99.9",
               systems=["核心业务系统", "统一身份认证平台"], signing="2025-12-18", dispute=("仲裁", "澄湖仲裁委员会"),
               nda_ld="500000.00",
               levels=[("P1", "一级故障", "核心业务中断、系统瘫痪、数据丢失或发生安全事件", "15m", "2h", "4h", "3d"),
                       ("P2", "二级故障", "核心功能部分丧失或性能严重下降", "30m", "4h", "8h", "5d"),
                       ("P3", "三级故障", "非核心功能故障，有替代方案", "2h", "1d", "24h", "10d"),
                       ("P4", "四级事件", "轻微故障、咨询与服务请求", "8h", None, "5d", "15d")],
               credits=[("99.9", 5), ("99.5", 10), ("99", 20)], cap=30,
               scope=[("服务器与存储运维", "机房内 x86 服务器、存储阵列与备份设备的日常巡检、故障处理与备件更换"),
                      ("操作系统与中间件支持", "Linux/Windows 操作系统、应用中间件的配置、补丁与性能调优"),
                      ("数据库运维", "核心业务数据库的监控、备份恢复演练与性能优化"),
                      ("机房基础设施", "UPS、精密空调、动环监控的巡检与告警处置"),
                      ("重大保障", "重要节假日及重大活动期间的驻场值守与应急保障")]),
    "lc": dict(id="lc-2026", no="CH-YW-2026-002", project="园区网络运维服务", start="2026-01-01", end="2026-12-31",
               mode="驻场+远程", total="720000.00", monthly="60000.00", bond=10, window="5×8", avail="99.5",
               systems=["园区核心网络"], signing="2025-12-22", dispute=("诉讼", None), nda_ld="200000.00",
               levels=[("P1", "一级故障", "园区核心网络中断或大面积断网", "30m", "2h", "4h", "3d"),
                       ("P2", "二级故障", "局部网络中断或重要链路故障", "1h", "4h", "8h", "5d"),
                       ("P3", "三级故障", "单点故障、配置变更与一般咨询", "4h", None, "2d", "10d")],
               credits=[("99.5", 5), ("99", 10)], cap=20,
               scope=[("网络设备运维", "核心、汇聚、接入交换机与路由器的巡检、配置备份与故障处理"),
                      ("无线网络", "园区无线控制器与接入点的运维与优化"),
                      ("网络安全设备", "防火墙、入侵防御与上网行为管理设备的策略维护")]),
    "qs": dict(id="qs-2026", no="CH-YW-2026-003", project="网络安全专项运维服务", start="2026-06-01", end="2026-12-31",
               mode="驻场", total="252000.00", monthly="36000.00", bond=5, window="5×8", avail="99.0",
               systems=["办公终端安全管理平台"], signing="2026-05-20", dispute=("诉讼", None), nda_ld="300000.00",
               levels=[("P1", "一级事件", "确认的安全入侵、勒索或数据泄露", "30m", "2h", "4h", "3d"),
                       ("P2", "二级事件", "高危漏洞告警或病毒爆发", "1h", "4h", "24h", "5d"),
                       ("P3", "三级事件", "一般安全告警与终端问题", "4h", None, "3d", "10d")],
               credits=[("99", 10)], cap=20,
               scope=[("安全监测", "安全设备日志的日常分析与告警研判"),
                      ("漏洞管理", "漏洞扫描、补丁推送与整改跟踪"),
                      ("终端安全", "办公终端防病毒与准入管理")]),
}

STAFF = [
    ("hx-01", "张伟", "hx", "项目经理", "5×8", "2026-01-01", ["PMP", "ITIL 4 Foundation"], 12),
    ("hx-02", "李娜", "hx", "系统运维工程师", "7×24", "2026-01-01", ["RHCE"], 8),
    ("hx-03", "王磊", "hx", "系统运维工程师", "7×24", "2026-01-01", ["RHCE", "VCP"], 6),
    ("hx-04", "刘洋", "hx", "数据库管理员", "5×8", "2026-01-01", ["OCP"], 9),
    ("hx-05", "陈静", "hx", "机房运维工程师", "7×24", "2026-03-01", ["CDCP"], 4),
    ("lc-01", "杨帆", "lc", "网络工程师", "5×8", "2026-01-01", ["HCIP-Datacom"], 7),
    ("lc-02", "赵敏", "lc", "网络工程师", "5×8", "2026-01-01", ["CCNP"], 5),
    ("lc-03", "黄晓东", "lc", "网络安全工程师", "5×8", "2026-02-01", ["HCIP-Security", "CISP"], 6),
    ("qs-01", "周杰", "qs", "安全工程师", "5×8", "2026-06-01", ["CISP", "CISSP"], 10),
    ("qs-02", "吴婷", "qs", "桌面运维工程师", "5×8", "2026-06-01", ["CompTIA A+"], 3),
]
PHONES = {s[0]: f"139{RNG.randint(10000000, 99999999)}" for s in STAFF}

CATEGORIES = {
    "hx": [("硬件故障", ["服务器硬盘告警", "存储控制器故障", "服务器内存报错", "备份磁带机无法识别"]),
           ("软件故障", ["应用服务无响应", "中间件连接池耗尽", "操作系统补丁后服务异常", "定时任务执行失败"]),
           ("数据库", ["数据库主备同步延迟", "表空间不足告警", "慢查询导致页面超时", "数据库连接数超限"]),
           ("咨询与服务请求", ["新增账号权限申请", "日志导出需求", "测试环境资源申请", "备份恢复演练配合"])],
    "lc": [("网络故障", ["楼层接入交换机掉线", "核心链路丢包", "无线 AP 频繁掉线", "VPN 无法拨入"]),
           ("安全事件", ["防火墙策略误拦截", "异常外联告警"]),
           ("咨询与服务请求", ["新增网络端口开通", "访客无线账号申请", "网络配置变更"])],
    "qs": [("安全事件", ["终端病毒告警", "高危漏洞通告处置", "可疑登录告警", "钓鱼邮件处置"]),
           ("软件故障", ["终端准入客户端异常", "杀毒软件升级失败"]),
           ("咨询与服务请求", ["终端安全检查配合", "安全基线核查"])],
}
VOLUME = {"hx": 58, "lc": 26, "qs": 16}  # tickets per month
MIX = [("P1", 0.03), ("P2", 0.12), ("P3", 0.45), ("P4", 0.40)]

DEDUCTIONS = [
    ("late", "迟到", "500.00", "人/次", "在规定上班时间之后到岗"),
    ("early_leave", "早退", "500.00", "人/次", "在规定下班时间之前离岗"),
    ("absent_over_3h", "迟到、早退或脱岗超过3小时", "1000.00", "人/次", "当日迟到、早退或脱岗累计超过3小时"),
    ("absence", "旷工", "2000.00", "人/次/天", "未经批准未到岗，或请假期满未销假且未到岗"),
    ("proxy_clock_in", "弄虚作假、替代打卡", "3000.00", "人/次", "代为打卡或伪造考勤、工作记录"),
    ("unmanned_post", "7×24小时值守岗位脱岗", "2000.00", "次", "要求7×24小时值守的岗位，值守人员脱岗超过3小时"),
    ("missing_handover", "交接班记录缺失或弄虚作假", "2000.00", "次", "值守岗位交接班记录缺失、不完整或与事实不符"),
    ("unrelated_work", "从事与运维项目无关的工作", "1000.00", "人/次", "工作时间从事与本项目运维无关的事务"),
    ("complaint", "被投诉", "1000.00", "人/次", "因服务态度或服务质量被甲方人员有效投诉"),
]


def minutes(text: str | None) -> int | None:
    if text is None:
        return None
    unit = {"m": 1, "h": 60, "d": 1440}[text[-1]]
    return int(text[:-1]) * unit


def write(name: str, text: str) -> None:
    (DATA / name).write_text(text, encoding="utf-8")


def client_yaml() -> None:
    write("client.yaml", f"""\
# 甲方（委托方）
client:
  name: 澄湖实业集团有限公司
  short_name: 澄湖集团
  uscc: {CLIENT_USCC}
  legal_rep: 周明远
  address: 江苏省澄湖市湖滨路88号
  city: 澄湖市
  department: 信息中心
  contact:
    name: 陈立
    phone: "0512-66001234"
    email: chenli@chenghu-group.example.cn
  bank:
    bank: 中国工商银行澄湖分行营业部
    account: "1102 0201 0900 0012 345"
""")


def policy_yaml() -> None:
    rules = "".join(f"""\
      - code: {c}
        name: {n}
        amount: {a}
        unit: {u}
        basis: {b}
""" for c, n, a, u, b in DEDUCTIONS)
    write("policy.yaml", f"""\
# 运维外包服务商管理办法：考勤违约金、请销假、人员变更与考核规则。
# 修订本文件后运行 docgen build，只会重新生成受影响的文件。
policy:
  version: "2026.1"
  effective_date: 2026-01-01
  title: 运维外包服务商管理办法
  deductions:
    monthly_cap_pct: 20
    rules:
{rules}  leave:
    form_max_hours: 4
    letter_over_hours: 4
    substitute_over_hours: 8
  change:
    notice_workdays: 15
  assessment:
    weights:
      - {{key: sla, name: 服务质量与SLA达成, weight: 35}}
      - {{key: staffing, name: 人员与考勤管理, weight: 20}}
      - {{key: security, name: 安全与合规, weight: 15}}
      - {{key: process, name: 流程与报告, weight: 10}}
      - {{key: satisfaction, name: 用户满意度, weight: 15}}
      - {{key: improvement, name: 持续改进, weight: 5}}
    grades:
      - {{name: 优秀, min_score: 90}}
      - {{name: 良好, min_score: 80}}
      - {{name: 合格, min_score: 60}}
      - {{name: 不合格, min_score: 0}}
    terminate_after_consecutive_fails: 2
    annual_quarters_pct: 70
""")


def vendors_yaml() -> None:
    out = ["# 乙方（服务商）\nvendors:\n"]
    for vid, name, short, tier, body, rep, addr, cats, quals, contact, phone, bank, account in VENDORS:
        out.append(f"""\
  - id: {vid}
    name: {name}
    short_name: {short}
    tier: {tier}
    uscc: {uscc(body)}
    legal_rep: {rep}
    address: {addr}
    categories: [{", ".join(cats)}]
    qualifications:
{"".join(f"      - {q}{chr(10)}" for q in quals)}    contact:
      name: {contact}
      phone: "{phone}"
    bank:
      bank: {bank}
      account: "{account}"
""")
    write("vendors.yaml", "".join(out))


def agreements_yaml() -> None:
    out = ["# 运维外包服务合同（每个乙方一份）\nagreements:\n"]
    for vid, a in AGREEMENTS.items():
        levels = "".join(f"""\
        - level: {lv}
          name: {name}
          definition: {definition}
          response: {resp}
          arrival: {arr if arr else "null"}
          restore: {rest}
          closure: {clo}
""" for lv, name, definition, resp, arr, rest, clo in a["levels"])
        credits = "".join(f"        - {{below_pct: {b}, credit_pct: {c}}}\n" for b, c in a["credits"])
        scope = "".join(f"      - name: {n}\n        description: {d}\n" for n, d in a["scope"])
        quarters = 4 if a["start"].endswith("01-01") else 2
        share = 100 // quarters
        payment = "".join(
            f"        - {{stage: 第{i + 1}期服务费, percent: {share}, "
            f"condition: 当期考核结果经甲方确认且收到合法有效发票后30日内支付}}\n" for i in range(quarters))
        method, commission = a["dispute"]
        disputes = f"      method: {method}\n" + (f"      arbitration_commission: {commission}\n" if commission else "")
        out.append(f"""\
  - id: {a["id"]}
    contract_no: {a["no"]}
    vendor: {vid}
    project_name: {a["project"]}
    signing_date: {a["signing"]}
    signing_place: 江苏省澄湖市
    start: {a["start"]}
    end: {a["end"]}
    service_mode: {a["mode"]}
    scope:
{scope}    fees:
      total: {a["total"]}
      monthly: {a["monthly"]}
      tax_rate_pct: 6
      performance_share_pct: 20
      payment:
{payment}    performance_bond_pct: {a["bond"]}
    exit_transition_months: 3
    sla:
      service_window: {a["window"]}
      availability_target_pct: {a["avail"]}
      availability_systems: [{", ".join(a["systems"])}]
      attainment_target_pct: 95
      credit_cap_pct: {a["cap"]}
      credits:
{credits}      levels:
{levels}    nda:
      years_after_term: 3
      liquidated_damages: {a["nda_ld"]}
      incident_report_hours: 24
    disputes:
{disputes}    counterparts: 4
""")
    write("agreements.yaml", "".join(out))


def staff_yaml() -> None:
    out = ["# 驻场运维人员\nstaff:\n"]
    for sid, name, vid, role, post, start, certs, years in STAFF:
        out.append(f"""\
  - id: {sid}
    name: {name}
    vendor: {vid}
    agreement: {AGREEMENTS[vid]["id"]}
    role: {role}
    post_type: {post}
    start_date: {start}
    phone: "{PHONES[sid]}"
    pledge_signed: true
    certificates: [{", ".join(certs)}]
    years_experience: {years}
""")
    write("staff.yaml", "".join(out))


def _pick_severity(levels: list[str]) -> str:
    r = RNG.random()
    acc = 0.0
    for sev, p in MIX:
        acc += p
        if r < acc and sev in levels:
            return sev
    return levels[-1]


def tickets_csv() -> None:
    rows = []
    cutoff = datetime(2026, 10, 31, 23, 59)
    for year, month in MONTHS:
        for vid, agreement in AGREEMENTS.items():
            if date(year, month, 1) < date.fromisoformat(agreement["start"]):
                continue
            level_info = {lv[0]: lv for lv in agreement["levels"]}
            staff = [s[0] for s in STAFF if s[2] == vid]
            count = VOLUME[vid] + RNG.randint(-6, 6)
            for _ in range(count):
                sev = _pick_severity(list(level_info))
                _, _, _, resp, arr, rest, clo = level_info[sev]
                day = RNG.randint(1, 31 if month in (7, 8, 10) else 30)
                opened = datetime(year, month, day, RNG.randint(7, 21), RNG.choice([0, 5, 12, 18, 25, 33, 40, 47, 52]))
                breach = RNG.random() < 0.08
                r_min = max(1, int(minutes(resp) * (RNG.uniform(1.1, 1.8) if breach and RNG.random() < 0.5
                                                     else RNG.uniform(0.2, 0.95))))
                responded = opened + timedelta(minutes=r_min)
                arrived = None
                if arr and sev in ("P1", "P2") and RNG.random() < 0.8:
                    arrived = opened + timedelta(minutes=int(minutes(arr) * RNG.uniform(0.3, 0.95)))
                rest_factor = RNG.uniform(1.05, 1.6) if breach else RNG.uniform(0.15, 0.9)
                restored = opened + timedelta(minutes=max(r_min + 5, int(minutes(rest) * rest_factor)))
                closed = restored + timedelta(minutes=int(minutes(clo) * RNG.uniform(0.05, 0.8)))
                if restored > cutoff or (month == 10 and day >= 29 and RNG.random() < 0.5):
                    restored = closed = None
                elif closed > cutoff:
                    closed = None
                cat, summaries = RNG.choice(CATEGORIES[vid])
                if sev == "P1" and vid == "qs":
                    cat, summaries = "安全事件", ["勒索病毒拦截后终端隔离处置"]
                system = RNG.choice(agreement["systems"]) if sev in ("P1", "P2") else RNG.choice(
                    agreement["systems"] + ["办公网络", "办公终端", "测试环境"])
                downtime = 0
                if sev in ("P1", "P2") and system in agreement["systems"] and restored:
                    roll = RNG.random()
                    if sev == "P1" and roll < 0.5:
                        downtime = RNG.randint(10, 35)
                    elif sev == "P2" and roll < 0.15:
                        downtime = RNG.randint(5, 10)
                satisfaction = "" if closed is None or RNG.random() < 0.3 else str(
                    RNG.choice([5, 5, 5, 4, 4, 4, 3]) if not breach else RNG.choice([2, 3, 3, 4]))
                rows.append({
                    "id": "", "agreement": agreement["id"], "severity": sev, "category": cat, "system": system,
                    "summary": RNG.choice(summaries), "opened": opened, "responded": responded,
                    "arrived": arrived, "restored": restored, "closed": closed,
                    "assignee": RNG.choice(staff), "satisfaction": satisfaction, "downtime_minutes": downtime,
                })
    rows.sort(key=lambda r: r["opened"])
    counters: dict[str, int] = {}
    fmt = "%Y-%m-%d %H:%M"
    with (DATA / "tickets.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            key = row["opened"].strftime("%Y%m")
            counters[key] = counters.get(key, 0) + 1
            row["id"] = f"INC-{key}-{counters[key]:04d}"
            for k in ("opened", "responded", "arrived", "restored", "closed"):
                row[k] = row[k].strftime(fmt) if row[k] else ""
            writer.writerow(row)


ATTENDANCE = [
    ("2026-07-03", "hx-02", "late", 1, "早班到岗晚25分钟"),
    ("2026-07-09", "lc-02", "late", 1, "迟到15分钟"),
    ("2026-07-15", "hx-04", "early_leave", 1, "提前40分钟离岗，未报备"),
    ("2026-07-21", "hx-05", "missing_handover", 1, "夜班交接班记录缺失"),
    ("2026-07-28", "lc-01", "late", 1, "迟到20分钟"),
    ("2026-08-04", "hx-03", "late", 1, "迟到10分钟"),
    ("2026-08-06", "qs-02", "late", 1, "迟到30分钟"),
    ("2026-08-11", "hx-02", "absent_over_3h", 1, "值守期间离岗约3.5小时处理私事"),
    ("2026-08-11", "hx-02", "unmanned_post", 1, "7×24值守岗位无人值守超过3小时"),
    ("2026-08-18", "lc-03", "unrelated_work", 1, "工作时间处理其他项目事务"),
    ("2026-08-25", "hx-01", "late", 1, "迟到15分钟"),
    ("2026-08-27", "qs-01", "early_leave", 1, "提前30分钟离岗"),
    ("2026-09-02", "lc-02", "late", 1, "迟到12分钟"),
    ("2026-09-08", "hx-04", "late", 1, "迟到18分钟"),
    ("2026-09-10", "qs-02", "absence", 2, "请假期满未销假，连续两天未到岗"),
    ("2026-09-16", "lc-01", "early_leave", 1, "提前离岗"),
    ("2026-09-22", "hx-05", "late", 1, "迟到22分钟"),
    ("2026-09-24", "qs-02", "complaint", 1, "服务态度被财务部投诉"),
    ("2026-09-29", "hx-03", "early_leave", 1, "提前20分钟离岗"),
    ("2026-10-09", "hx-02", "late", 1, "节后首日迟到"),
    ("2026-10-10", "lc-02", "proxy_clock_in", 1, "由同事代为打卡，经核实属实"),
    ("2026-10-14", "hx-05", "missing_handover", 1, "交接班记录与监控记录不符"),
    ("2026-10-15", "lc-03", "late", 1, "迟到10分钟"),
    ("2026-10-20", "qs-01", "late", 1, "迟到25分钟"),
    ("2026-10-22", "hx-01", "early_leave", 1, "提前离岗参加非项目会议"),
    ("2026-10-23", "lc-01", "late", 1, "迟到15分钟"),
    ("2026-10-27", "hx-04", "complaint", 1, "数据恢复响应慢被业务部门投诉"),
    ("2026-10-29", "qs-02", "late", 1, "迟到35分钟"),
]


def attendance_csv() -> None:
    with (DATA / "attendance.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "date", "staff", "kind", "count", "note"])
        for i, (d, sid, kind, count, note) in enumerate(ATTENDANCE, start=1):
            w.writerow([f"KQ-{d[:7].replace('-', '')}-{i:03d}", d, sid, kind, count, note])


LEAVE = [
    ("QJ-001", "hx-02", "事假", "2026-07-07 14:00", "2026-07-07 17:00", "3", "办理个人证件", None, None, None,
     "2026-07-07 17:00"),
    ("QJ-002", "lc-01", "病假", "2026-07-16 09:00", "2026-07-16 18:00", "8", "发热就医", None, "LC-HAN-2026-011",
     "值守工作由赵敏代为处理", "2026-07-17 08:50"),
    ("QJ-003", "hx-04", "年假", "2026-08-10 09:00", "2026-08-12 18:00", "24", "年度休假", "hx-02",
     "HX-HAN-2026-017", "数据库日常巡检与备份检查交由李娜负责，交接清单已签字", "2026-08-13 08:45"),
    ("QJ-004", "qs-01", "事假", "2026-08-20 09:00", "2026-08-20 11:00", "2", "子女学校家长会", None, None, None,
     "2026-08-20 11:05"),
    ("QJ-005", "hx-03", "调休", "2026-09-04 13:00", "2026-09-04 18:00", "5", "国庆保障期间加班调休", None,
     "HX-HAN-2026-022", "下午巡检由王磊提前完成", "2026-09-04 18:00"),
    ("QJ-006", "qs-02", "病假", "2026-09-07 09:00", "2026-09-09 18:00", "24", "肠胃炎住院", "qs-01",
     "QS-HAN-2026-004", "终端报修工单转周杰处理", None),
    ("QJ-007", "lc-03", "事假", "2026-09-18 15:00", "2026-09-18 18:00", "3", "办理房屋过户", None, None, None,
     "2026-09-18 18:00"),
    ("QJ-008", "hx-05", "婚假", "2026-10-12 09:00", "2026-10-16 18:00", "40", "本人结婚", "hx-03",
     "HX-HAN-2026-029", "机房夜班由王磊顶岗，动环告警通知名单已更新", "2026-10-19 08:30"),
    ("QJ-009", "lc-02", "事假", "2026-10-21 09:00", "2026-10-21 12:00", "3", "配偶产检陪同", None, None, None,
     "2026-10-21 12:10"),
    ("QJ-010", "hx-01", "年假", "2026-10-26 09:00", "2026-10-27 18:00", "16", "年度休假", "hx-04",
     "HX-HAN-2026-031", "项目周例会由刘洋主持，待办事项已交接", "2026-10-28 08:55"),
    ("QJ-011", "qs-01", "病假", "2026-10-30 13:00", "2026-10-30 18:00", "5", "牙科治疗", None, "QS-HAN-2026-009",
     "安全告警值守由吴婷临时承担", None),
]


def leave_yaml() -> None:
    out = ["# 请销假记录（请假超过4小时须附乙方函件，超过8小时须安排替岗人员）\nleave:\n"]
    for lid, sid, typ, start, end, hours, reason, sub, letter, handover, returned in LEAVE:
        out.append(f"""\
  - id: {lid}
    staff: {sid}
    type: {typ}
    start: {start}
    end: {end}
    hours: {hours}
    reason: {reason}
""")
        if sub:
            out.append(f"    substitute: {sub}\n")
        if letter:
            out.append(f"    vendor_letter_no: {letter}\n")
        if handover:
            out.append(f"    handover: {handover}\n")
        out.append("    approved_by: 陈立\n")
        if returned:
            out.append(f"    returned: {returned}\n")
    write("leave.yaml", "".join(out))


def changes_yaml() -> None:
    write("changes.yaml", """\
# 人员变更记录
changes:
  - id: BG-001
    agreement: hx-2026
    type: 新增
    new_person:
      name: 陈静
      role: 机房运维工程师
      certificates: [CDCP]
      years_experience: 4
    reason: 机房扩容后增设7×24小时值守岗位
    requested: 2026-02-02
    effective: 2026-03-01
    handover: [机房门禁与动环系统账号开通, 值守规范培训]
    access_revoked: false
    pledge_signed: true
    vendor_letter_no: HX-BG-2026-002
  - id: BG-002
    agreement: lc-2026
    type: 替换
    old_staff: lc-02
    new_person:
      name: 孟晨
      role: 网络工程师
      certificates: [HCIP-Datacom, CCNP]
      years_experience: 6
    reason: 原驻场人员代打卡经核实，甲方要求更换
    requested: 2026-10-12
    effective: 2026-10-19
    handover: [网络设备管理账号, 配置备份与拓扑文档, 未结工单3张]
    access_revoked: true
    pledge_signed: true
    vendor_letter_no: LC-BG-2026-005
  - id: BG-003
    agreement: qs-2026
    type: 撤离
    old_staff: qs-02
    reason: 桌面运维工作量下降，经双方协商减少驻场人员
    requested: 2026-09-25
    effective: 2026-10-31
    handover: [终端管理平台账号, 资产台账, 未结工单]
    access_revoked: true
    pledge_signed: true
    vendor_letter_no: QS-BG-2026-002
""")


def main() -> None:
    DATA.mkdir(exist_ok=True)
    client_yaml()
    policy_yaml()
    vendors_yaml()
    agreements_yaml()
    staff_yaml()
    tickets_csv()
    attendance_csv()
    leave_yaml()
    changes_yaml()
    print(f"sample data written to {DATA}")


if __name__ == "__main__":
    main()
