"""Report figures against small fixtures whose expected values are worked out by hand in the comments."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import MINI, write_mini

from docgen.metrics import data_months, month_metrics, quarter_score, trend, year_metrics
from docgen.models import Dataset
from docgen.validate import load_dataset

AG = "hx-2026"
HEADER = ("id,agreement,severity,category,system,summary,opened,responded,arrived,restored,closed,"
          "assignee,satisfaction,downtime_minutes\n")
# September. P1 limits: response 15m, arrival 2h, restore 4h, closure 3d.
SEP = (
    # T0: response 30 (missed), no arrival (pending), restore 180 (met), closure 1440 (met)
    "T0,hx-2026,P1,硬件故障,核心业务系统,磁盘故障,2026-09-05 09:00,2026-09-05 09:30,,2026-09-05 12:00,"
    "2026-09-06 09:00,s1,,0\n"
)
# October. P2 limits (added below): response 30m, arrival null, restore 8h, closure 5d.
OCT = (
    # T1 P1: every limit met EXACTLY: response 15, arrival 120, restore 240, closure 4320 (3 days)
    "T1,hx-2026,P1,硬件故障,核心业务系统,宕机,2026-10-03 09:00,2026-10-03 09:15,2026-10-03 11:00,"
    "2026-10-03 13:00,2026-10-06 09:00,s1,5,30\n"
    # T2 P1: ONE MINUTE over on response (16) and restore (241); no arrival; closure 2880 (met)
    "T2,hx-2026,P1,软件故障,核心业务系统,服务中断,2026-10-10 10:00,2026-10-10 10:16,,"
    "2026-10-10 14:01,2026-10-12 10:00,s1,3,14\n"
    # T4 P2 security incident: response 31 (missed), restore 480 (exactly 8h, met),
    # closed 2026-11-02 08:00 = 13 days = 18720 min (missed; and still open at the end of October)
    "T4,hx-2026,P2,安全事件,核心业务系统,入侵告警,2026-10-20 08:00,2026-10-20 08:31,,"
    "2026-10-20 16:00,2026-11-02 08:00,s2,4,0\n"
    # T3 P2: response 30 (met), never restored nor closed → pending and open
    "T3,hx-2026,P2,网络故障,核心业务系统,链路中断,2026-10-30 20:00,2026-10-30 20:30,,,,s2,,0\n"
)
ATTENDANCE = (
    "id,date,staff,kind,count,note\n"
    "A1,2026-10-05,s2,late,1,迟到\n"  # 1 × 500.00
    "A2,2026-10-20,s1,absence,12,旷工\n"  # 12 × 2000.00 = 24000.00
    "A3,2026-09-10,s1,absence,20,旷工\n"  # September: 20 × 2000.00 = 40000.00
)
P2_LEVEL = """\
        - level: P2
          name: 二级故障
          definition: 核心功能部分丧失
          response: 30m
          arrival: null
          restore: 8h
          closure: 5d
"""
AGREEMENTS = (
    MINI["agreements.yaml"]
    .replace("          closure: 3d\n", "          closure: 3d\n" + P2_LEVEL)
    .replace("      availability_target_pct: 99.9\n",
             "      availability_target_pct: 99.9\n"
             "      credits:\n"
             "        - {below_pct: 99.95, credit_pct: 5}\n"
             "        - {below_pct: 99.5, credit_pct: 10}\n"
             "        - {below_pct: 95, credit_pct: 60}\n")  # 60 % is above the default 50 % cap
)
FULL_WEIGHTS = MINI["policy.yaml"].replace(
    "      - {key: sla, name: 服务质量, weight: 60}\n      - {key: staffing, name: 人员管理, weight: 40}\n",
    "      - {key: sla, name: 服务质量, weight: 35}\n"
    "      - {key: staffing, name: 人员管理, weight: 20}\n"
    "      - {key: security, name: 安全合规, weight: 15}\n"
    "      - {key: process, name: 流程规范, weight: 10}\n"
    "      - {key: satisfaction, name: 用户满意度, weight: 15}\n"
    "      - {key: improvement, name: 持续改进, weight: 5}\n")
CHANGES = """\
changes:
  - id: BG-1
    agreement: hx-2026
    type: 新增
    new_person: {name: 王芳, role: 数据库工程师, years_experience: 5}
    reason: 扩充数据库运维力量
    requested: 2026-09-20
    effective: 2026-10-15
    access_revoked: false
    pledge_signed: true
    vendor_letter_no: HX-2026-015
"""


def load(tmp_path: Path, **files: str) -> Dataset:
    base = {"tickets.csv": HEADER + SEP + OCT, "attendance.csv": ATTENDANCE, "agreements.yaml": AGREEMENTS,
            "changes.yaml": CHANGES}
    return load_dataset(write_mini(tmp_path / "data", **{**base, **files}))


@pytest.fixture
def data(tmp_path: Path) -> Dataset:
    return load(tmp_path)


def rows(mm):
    return {(r.level, r.metric): (r.target_minutes, r.measured, r.met, r.pending, r.attainment_pct, r.ok)
            for r in mm.sla_rows}


# --------------------------------------------------------------------------- month: tickets and SLA

def test_counts(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    assert (mm.period_start.isoformat(), mm.period_end.isoformat()) == ("2026-10-01", "2026-10-31")
    assert mm.ticket_count == 4
    assert mm.by_severity == {"P1": 2, "P2": 2}
    assert mm.by_category == {"硬件故障": 1, "软件故障": 1, "安全事件": 1, "网络故障": 1}


def test_exactly_at_target_is_met_and_one_minute_over_is_not(data) -> None:
    r = rows(month_metrics(data, AG, 2026, 10))
    # response: T1 15 = 15 met, T2 16 > 15 missed
    assert r["P1", "响应"] == (15, 2, 1, 0, D("50.00"), False)
    # restore: T1 240 = 240 met, T2 241 missed
    assert r["P1", "恢复"] == (240, 2, 1, 0, D("50.00"), False)
    # arrival: T1 exactly 120 met; T2 had no arrival and was restored at 14:01, after the
    # arrival limit ran out at 12:00: missed (a remote restore within the limit would have met it)
    assert r["P1", "到场"] == (120, 2, 1, 0, D("50.00"), False)
    # closure: T1 exactly 4320 (3 days), T2 2880 → 2/2
    assert r["P1", "闭环"] == (4320, 2, 2, 0, D("100.00"), True)
    # P2 restore: T4 exactly 480 met; T3 (reported 10-30 20:00) not restored when its 8 h ran out
    # on 10-31 04:00, before the export (the latest timestamp, 11-02 08:00): missed in October
    assert r["P2", "恢复"] == (480, 2, 1, 0, D("50.00"), False)


def test_arrival_row_skipped_when_not_required(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    assert [(x.level, x.metric) for x in mm.sla_rows] == [
        ("P1", "响应"), ("P1", "到场"), ("P1", "恢复"), ("P1", "闭环"),
        ("P2", "响应"), ("P2", "恢复"), ("P2", "闭环")]  # P2 has arrival: null → no 到场 row


def test_open_tickets_are_listed_and_pending_not_dropped(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    # T4 closed 2026-11-02 (after the month end), T3 never closed; in order of opening
    assert [t.id for t in mm.open_tickets] == ["T4", "T3"]
    r = rows(mm)
    # P2 response: T3 30 met, T4 31 missed
    assert r["P2", "响应"] == (30, 2, 1, 0, D("50.00"), False)
    # P2 closure: T4 measured (18720 > 7200, missed), T3 pending
    assert r["P2", "闭环"] == (7200, 1, 0, 1, D("0.00"), False)


def test_overall_attainment_and_mttr(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    # met 1+1+1+2+1+1+0 = 7 of measured 2+2+2+2+2+2+1 = 13 → 53.846… → 53.85
    assert mm.overall_attainment_pct == D("53.85")
    # targets: only P1 闭环 of the 7 rows is met → 1 ÷ 7 = 14.285… → 14.29
    assert (mm.targets_met, mm.targets_total, mm.target_attainment_pct) == (1, 7, D("14.29"))
    # restored incidents T1 240, T2 241, T4 480 → 961 / 3 = 320.333… → 320.33; P1 481 / 2 = 240.50
    assert mm.mttr_minutes == D("320.33")
    assert mm.mttr_by_level == {"P1": D("240.50"), "P2": D("480.00")}
    # every missed limit, by deadline: T2 response 10:15, arrival 12:00, restore 14:00; T4 response
    # 10-20 08:30; T4 closure 10-25 08:00; T3 restore 10-31 04:00
    assert [(b.ticket, b.metric, b.deadline.isoformat(" ", "minutes")) for b in mm.breaches] == [
        ("T2", "响应", "2026-10-10 10:15"), ("T2", "到场", "2026-10-10 12:00"), ("T2", "恢复", "2026-10-10 14:00"),
        ("T4", "响应", "2026-10-20 08:30"), ("T4", "闭环", "2026-10-25 08:00"), ("T3", "恢复", "2026-10-31 04:00")]


# --------------------------------------------------------------------------- availability and credits

def test_availability_and_credit_tier(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    # October 31 × 1440 = 44640 min; downtime 30 + 14 = 44 → 44596 / 44640 = 99.9014… → 99.90 ≥ 99.9
    assert mm.availability_pct == D("99.90")
    assert mm.availability_target_pct == D("99.9") and mm.availability_ok is True
    # 99.90 is below 99.95 only → 5 % of 100000.00
    assert (mm.credit_pct, mm.credit_amount) == (D("5"), D("5000.00"))


def test_availability_miss_takes_the_capped_tier(tmp_path: Path) -> None:
    data = load(tmp_path, **{"tickets.csv": HEADER + OCT.replace("s1,5,30\n", "s1,5,3000\n")})
    mm = month_metrics(data, AG, 2026, 10)
    # downtime 3000 + 14 = 3014 → 41626 / 44640 = 93.248… → 93.25 < 99.9
    assert mm.availability_pct == D("93.25") and mm.availability_ok is False
    # tiers it is below: 99.95, 99.5, 95 → the smallest, 95 → 60 %; 60000.00 capped at 50 % = 50000.00
    assert (mm.credit_pct, mm.credit_amount) == (D("60"), D("50000.00"))
    # sla dimension loses 10 points: 53.85 − 10 = 43.85
    assert mm.scores["sla"] == D("43.85")


def test_availability_exactly_at_a_tier_bound_is_not_below_it(tmp_path: Path) -> None:
    data = load(tmp_path, **{"tickets.csv": HEADER + OCT.replace("s1,5,30\n", "s1,5,209\n")})
    mm = month_metrics(data, AG, 2026, 10)
    # downtime 209 + 14 = 223 → 44417 / 44640 = 99.5004… → 99.50: below 99.95, NOT below 99.5 → 5 %
    assert mm.availability_pct == D("99.50") and mm.availability_ok is False
    assert (mm.credit_pct, mm.credit_amount) == (D("5"), D("5000.00"))


# --------------------------------------------------------------------------- satisfaction and deductions

def test_satisfaction(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    # votes 5, 3, 4 → satisfied (≥ 4) 2 of 3 = 66.67 %; average 12 / 3 = 4.00
    assert (mm.satisfaction_responses, mm.satisfied, mm.satisfaction_pct, mm.satisfaction_avg) == (
        3, 2, D("66.67"), D("4.00"))


def test_deductions_total_and_cap(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    assert [(d.date.isoformat(), d.staff, d.staff_name, d.rule_code, d.rule_name, d.count, d.unit_amount, d.amount)
            for d in mm.deduction_lines] == [
        ("2026-10-05", "s2", "刘洋", "late", "迟到", 1, D("500.00"), D("500.00")),
        ("2026-10-20", "s1", "张伟", "absence", "旷工", 12, D("2000.00"), D("24000.00"))]
    assert mm.deduction_total == D("24500.00")  # 500 + 24000
    assert mm.deduction_cap == D("20000.00")  # 20 % of 100000.00
    assert mm.deduction_applied == D("20000.00") and mm.deduction_capped is True


def test_deductions_below_the_cap(tmp_path: Path) -> None:
    data = load(tmp_path, **{"attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,3,迟到\n"})
    mm = month_metrics(data, AG, 2026, 10)
    assert (mm.deduction_total, mm.deduction_applied, mm.deduction_capped) == (D("1500.00"), D("1500.00"), False)


def test_policy_change_of_one_amount_changes_the_total(tmp_path: Path) -> None:
    data = load(tmp_path, **{"policy.yaml": MINI["policy.yaml"].replace("amount: 500.00", "amount: 800.00")})
    mm = month_metrics(data, AG, 2026, 10)
    assert mm.deduction_lines[0].unit_amount == D("800.00")
    assert mm.deduction_total == D("24800.00")  # 800 + 12 × 2000


def test_leave_and_changes_of_the_month(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    assert [r.id for r in mm.leave] == ["L1"]  # starts 2026-10-12
    assert [c.id for c in mm.changes] == ["BG-1"]  # effective 2026-10-15
    sep = month_metrics(data, AG, 2026, 9)
    assert sep.leave == [] and sep.changes == []  # BG-1 was requested in September but takes effect in October


# --------------------------------------------------------------------------- scores

def test_weighted_score_and_grade(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    # sla 53.85 (availability met); staffing 100 − 5 × (1 + 12) = 35
    assert mm.scores == {"sla": D("53.85"), "staffing": D("35.00")}
    # 0.6 × 53.85 = 32.31, 0.4 × 35 = 14.00 → 46.31, below 合格 (60)
    assert mm.weighted == {"sla": D("32.31"), "staffing": D("14.00")}
    assert mm.score == D("46.31") and mm.grade == "不合格"


def test_all_six_dimensions(tmp_path: Path) -> None:
    mm = month_metrics(load(tmp_path, **{"policy.yaml": FULL_WEIGHTS}), AG, 2026, 10)
    assert mm.scores == {
        "sla": D("53.85"),
        "staffing": D("35.00"),
        "security": D("80.00"),  # 100 − 20 × 1 (T4: P2 安全事件)
        "process": D("46.67"),  # closure rows: 2 met of 3 measured = 66.67, − 10 × 2 P1s without a review
        "satisfaction": D("66.67"),
        "improvement": D("90.00"),  # 100 − 10 × 1 (T2 missed its restore limit)
    }
    # parts, each half up to 0.01: 0.35×53.85 = 18.8475 → 18.85; 0.20×35 = 7.00; 0.15×80 = 12.00;
    # 0.10×46.67 = 4.667 → 4.67; 0.15×66.67 = 10.0005 → 10.00; 0.05×90 = 4.50 → sum 57.02
    assert mm.score == D("57.02") and mm.grade == "不合格"
    assert mm.basis == {
        "sla": "按工单计的时限达成率 53.85%",
        "staffing": "100 − 5 × 考勤不符合事项 13 次",
        "security": "100 − 20 × 一级、二级安全事件 1 起",
        "process": "闭环时限达成 2 ÷ 计量 3 × 100 − 10 × 未提交复盘的一级故障 2 起",
        "satisfaction": "满意评价（4 分及以上）2 ÷ 有效评价 3 × 100",
        "improvement": "100 − 10 × 超出恢复时限的一级、二级工单 1 张 − 10 × 逾期未完成的改进措施 0 项",
    }
    from test_reports import render

    _, text = render("monthly", "hx-2026-2026-10", load_dataset(tmp_path / "data"))
    assert "人员管理 | 100 − 5 × 考勤不符合事项 13 次 | 35.00" in text


def test_staffing_floor_is_zero(data) -> None:
    sep = month_metrics(data, AG, 2026, 9)
    assert sep.scores["staffing"] == D("0.00")  # 100 − 5 × 20 = 0 (never negative)


def test_good_month_grade(tmp_path: Path) -> None:
    data = load_dataset(write_mini(tmp_path / "data"))  # plain MINI: INC-1 met everything, one late arrival
    mm = month_metrics(data, AG, 2026, 10)
    # sla 4 of 4 = 100; staffing 100 − 5 = 95 → 0.6 × 100 + 0.4 × 95 = 98.00
    assert (mm.overall_attainment_pct, mm.score, mm.grade) == (D("100.00"), D("98.00"), "优秀")


def test_empty_month_is_valid(data) -> None:
    mm = month_metrics(data, AG, 2026, 2)
    assert mm.ticket_count == 0 and mm.by_severity == {"P1": 0, "P2": 0} and mm.by_category == {}
    assert all(r.measured == 0 and r.met == 0 and r.pending == 0 and r.attainment_pct is None and r.ok is None
               for r in mm.sla_rows)
    assert len(mm.sla_rows) == 7
    assert mm.overall_attainment_pct is None and mm.mttr_minutes is None and mm.open_tickets == []
    assert mm.availability_pct == D("100.00") and mm.availability_ok and mm.credit_amount == D("0.00")
    assert mm.satisfaction_responses == 0 and mm.satisfaction_pct is None and mm.satisfaction_avg is None
    assert (mm.deduction_total, mm.deduction_applied, mm.deduction_capped) == (D("0.00"), D("0.00"), False)
    # empty rules: sla 100, staffing 100 → 100.00
    assert mm.scores == {"sla": D("100.00"), "staffing": D("100.00")}
    assert mm.score == D("100.00") and mm.grade == "优秀"


def test_results_are_frozen(data) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        mm.score = D(0)  # type: ignore[misc]


# --------------------------------------------------------------------------- year, quarters, trend

def test_year_quarters_annual_score_and_termination(data) -> None:
    # January–August are inside the term but have no data → skipped
    assert data_months(data, AG) == [(2026, 9), (2026, 10)]
    y = year_metrics(data, AG, 2026)
    assert [mm.label for mm in y.months] == ["2026年9月", "2026年10月"]
    # September: T0 response missed, arrival missed (restored at 12:00, after the 11:00 arrival
    # limit, no one on site), restore and closure met → 2/4 = 50.00; staffing 100 − 100 = 0
    #   → 0.6 × 50 = 30.00; October 46.31 (above)
    assert [mm.score for mm in y.months] == [D("30.00"), D("46.31")]
    assert [(q.label, q.number, q.months, q.score, q.grade) for q in y.quarters] == [
        ("2026年第三季度", 3, 1, D("30.00"), "不合格"), ("2026年第四季度", 4, 1, D("46.31"), "不合格")]
    assert quarter_score(y.months) == D("38.16")  # (30.00 + 46.31) / 2 = 38.155 → 38.16
    assert y.quarter_mean == D("38.16")
    # review over 2026-09-01..2026-10-31: P1 响应 1/3, 到场 1/3, 恢复 2/3, 闭环 3/3, P2 响应 1/2,
    # 恢复 1/2, 闭环 0/1 → 9 of 17 = 52.941… → 52.94; availability 87796 / 87840 = 99.95 (met);
    # staffing 100 − 5 × 33 / 2 months = 17.50
    assert y.review is not None and y.review.overall_attainment_pct == D("52.94")
    assert y.review.scores == {"sla": D("52.94"), "staffing": D("17.50")}
    assert y.review_score == D("38.76")  # 0.6 × 52.94 = 31.764 → 31.76, 0.4 × 17.50 = 7.00
    assert y.annual_score == D("38.34")  # 0.7 × 38.16 + 0.3 × 38.76 = 26.712 + 11.628 = 38.34
    assert y.annual_grade == "不合格"
    assert y.total_tickets == 5
    assert y.total_deductions == D("40000.00")  # both months at the 20000.00 cap
    assert y.total_credits == D("5000.00")  # September 100 % (none), October 5 %
    assert y.consecutive_fail_quarters == 2
    # the records end in October: the contract year is not over, so no renewal advice yet
    assert y.renewal == "考核期未结束"
    assert "现有记录仅覆盖其中 2 个月" in y.renewal_reason


def test_single_failing_quarter_is_not_renewed(tmp_path: Path) -> None:
    data = load(tmp_path, **{"tickets.csv": HEADER + OCT,
                             "attendance.csv": "\n".join(ATTENDANCE.splitlines()[:3]) + "\n"})
    y = year_metrics(data, AG, 2026)
    # only October (46.31): quarter mean 46.31, review = October = 46.31 → annual 46.31
    assert [q.score for q in y.quarters] == [D("46.31")]
    assert (y.review_score, y.annual_score, y.annual_grade) == (D("46.31"), D("46.31"), "不合格")
    assert y.consecutive_fail_quarters == 1 and y.renewal == "考核期未结束"


def test_passing_grade_needs_rectification(tmp_path: Path) -> None:
    data = load_dataset(write_mini(tmp_path / "data", **{
        "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,12,迟到\n"}))
    y = year_metrics(data, AG, 2026)
    # sla 100, staffing 100 − 60 = 40 → 0.6 × 100 + 0.4 × 40 = 76.00 合格
    assert (y.annual_score, y.annual_grade, y.renewal) == (D("76.00"), "合格", "考核期未结束")


def test_renewal_advice_waits_for_the_end_of_the_contract_year(tmp_path: Path) -> None:
    y = year_metrics(load_dataset(write_mini(tmp_path / "data")), AG, 2026)
    assert (y.annual_score, y.annual_grade, y.consecutive_fail_quarters, y.renewal) == (
        D("98.00"), "优秀", 0, "考核期未结束")
    # a December ticket within every limit: the records now reach the year's last month
    december = ("INC-2,hx-2026,P1,硬件故障,核心业务系统,电源告警,2026-12-10 09:00,2026-12-10 09:05,"
                "2026-12-10 09:40,2026-12-10 10:00,2026-12-11 10:00,s1,5\n")
    data = load_dataset(write_mini(tmp_path / "full", **{"tickets.csv": MINI["tickets.csv"] + december}))
    full = year_metrics(data, AG, 2026)
    assert [mm.label for mm in full.months] == ["2026年10月", "2026年11月", "2026年12月"]  # November quiet
    assert full.renewal == "建议续约" and full.annual_grade == "优秀"


def test_fail_run_is_broken_by_a_quiet_quarter(tmp_path: Path) -> None:
    # March (Q1) and September (Q3) both fail 20 days of absence; Q2 has no records: a quiet
    # quarter, reported and graded (every month the exports cover is reported, quiet or not)
    attendance = ("id,date,staff,kind,count,note\n"
                  "A1,2026-03-10,s1,absence,20,旷工\nA2,2026-09-10,s1,absence,20,旷工\n")
    data = load(tmp_path, **{"tickets.csv": HEADER + SEP.replace("2026-09-0", "2026-03-0").replace("T0,", "T9,") + SEP,
                             "attendance.csv": attendance})
    y = year_metrics(data, AG, 2026)
    # Q1 is March alone (30.00: 2 of 4 limits, as September), Q2 three quiet months (100.00),
    # Q3 = (100 + 100 + 30) / 3 = 76.666… → 76.67
    assert [(q.number, q.months, q.score, q.grade) for q in y.quarters] == [
        (1, 1, D("30.00"), "不合格"), (2, 3, D("100.00"), "优秀"), (3, 3, D("76.67"), "合格")]
    # review 2026-03-01..2026-09-30 (7 months): 4 of 8 limits met → 50.00; staffing 100 − 5 × 40 / 7
    #   = 71.428… → 71.43 → 0.6 × 50 = 30.00 and 0.4 × 71.43 = 28.572 → 28.57: 58.57
    # annual 0.7 × (30 + 100 + 76.67) / 3 + 0.3 × 58.57 = 0.7 × 68.89 + 17.571 = 48.223 + 17.571 → 65.79
    assert (y.review_score, y.annual_score) == (D("58.57"), D("65.79"))
    assert y.consecutive_fail_quarters == 1


def test_trend_uses_months_with_data(data) -> None:
    assert [mm.label for mm in trend(data, AG, 2026, 10)] == ["2026年9月", "2026年10月"]
    assert [mm.label for mm in trend(data, AG, 2026, 11)] == ["2026年9月", "2026年10月", "2026年11月"]
    assert [mm.label for mm in trend(data, AG, 2026, 11, n=1)] == ["2026年10月", "2026年11月"]


def test_a_contract_year_across_two_calendar_years_gets_one_annual_report(tmp_path: Path) -> None:
    from conftest import TEMPLATES

    from docgen.plan import documents
    from docgen.reports import annual_context

    agreements = MINI["agreements.yaml"].replace("start: 2026-01-01\n    end: 2026-12-31",
                                                 "start: 2026-07-01\n    end: 2027-06-30")
    attendance = MINI["attendance.csv"] + "A2,2027-01-05,s2,late,1,迟到10分钟\n"
    data = load_dataset(write_mini(tmp_path / "data", **{"agreements.yaml": agreements,
                                                         "attendance.csv": attendance}))
    annual = documents(data, TEMPLATES, ["annual"])
    assert [j.key for j in annual] == ["hx-2026-2026"]  # not one for 2026 and one for 2027
    y = year_metrics(data, AG, 2026)
    assert [mm.label for mm in y.months] == ["2026年10月", "2026年11月", "2026年12月", "2027年1月"]
    # quarters of the contract year: Jul–Sep (no records), Oct–Dec, Jan–Mar
    assert [(q.number, q.months, q.label) for q in y.quarters] == [
        (2, 3, "合同年度第二季度（2026年10月—2026年12月）"), (3, 1, "合同年度第三季度（2027年1月—2027年3月）")]
    assert y.renewal == "考核期未结束" and "现有记录仅覆盖其中 4 个月" in y.renewal_reason
    context = annual_context(data, data.agreement(AG), 2026)
    assert context["period"]["label"] == "2026年7月至2027年6月合同年度"


def test_a_limit_that_runs_out_after_the_month_counts_in_the_month_it_runs_out(tmp_path: Path) -> None:
    # a November ticket moves the export to 2026-11-10 10:30; T3 (reported 10-30 20:00, P2,
    # closure 5 days) was still open when its closure limit ran out on 11-04 20:00
    november = ("T5,hx-2026,P1,硬件故障,核心业务系统,风扇告警,2026-11-10 09:00,2026-11-10 09:10,2026-11-10 10:00,"
                "2026-11-10 10:30,2026-11-10 10:30,s1,5,0\n")
    data = load(tmp_path, **{"tickets.csv": HEADER + SEP + OCT + november})
    october, nov = month_metrics(data, AG, 2026, 10), month_metrics(data, AG, 2026, 11)
    assert rows(october)["P2", "闭环"] == (7200, 1, 0, 1, D("0.00"), False)  # T4 missed; T3 not yet due
    assert rows(nov)["P2", "闭环"] == (7200, 1, 0, 0, D("0.00"), False)  # T3 missed, in November
    assert [(b.ticket, b.metric, b.stamp) for b in nov.breaches] == [("T3", "闭环", None)]
    # carried from October: T4 (closed 11-02 in November) and T3 (still open), with what was decided
    assert [(c.ticket.id, c.closed_in_period, [(o.metric, o.met) for o in c.decided]) for c in nov.carried] == [
        ("T4", True, []), ("T3", False, [("闭环", False)])]
    assert october.carried == []  # nothing was open at the end of September (T0 closed 09-06)


def test_settlement_follows_the_grade_the_credit_and_the_deductions(data, tmp_path: Path) -> None:
    mm = month_metrics(data, AG, 2026, 10)
    s = mm.settlement
    # fee 100,000: performance 20 % = 20,000, base 80,000; grade 不合格 pays 0 % of it;
    # credit 5,000 (5 %); deductions 24,500 capped at 20,000 → 80,000 + 0 − 5,000 − 20,000 = 55,000
    assert (s.fee, s.base, s.performance, s.payout_pct, s.performance_paid) == (
        D("100000.00"), D("80000.00"), D("20000.00"), D("0"), D("0.00"))
    assert (s.credit, s.deductions, s.payable) == (D("5000.00"), D("20000.00"), D("55000.00"))
    passing = month_metrics(load_dataset(write_mini(tmp_path / "passing", **{
        "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,12,迟到\n"})), AG, 2026, 10)
    # 合格 (76.00) pays 80 %: 16,000; no credit; deductions 12 × 500 = 6,000 → 80,000 + 16,000 − 6,000
    assert (passing.grade, passing.settlement.performance_paid, passing.settlement.payable) == (
        "合格", D("16000.00"), D("90000.00"))


def test_the_report_shows_the_settlement_in_figures_and_words(data) -> None:
    from test_reports import render

    _, text = render("monthly", "hx-2026-2026-10", data)
    assert "本月预计应付服务费 | 55,000.00" in text
    assert "本月预计应付服务费为人民币（大写）伍万伍仟元整。" in text
    assert "绩效服务费按本月等级“不合格”预计支付 0% | 0.00" in text
    assert "以季度考核结果为准" in text


CAPS = "    grade_caps:\n      - {when: late, max_grade: 良好}\n      - {when: availability_missed, max_grade: 合格}\n"


def test_a_grade_cap_of_the_policy_lowers_the_grade_whatever_the_score(tmp_path: Path) -> None:
    policy = MINI["policy.yaml"] + CAPS
    mm = month_metrics(load_dataset(write_mini(tmp_path / "data", **{"policy.yaml": policy})), AG, 2026, 10)
    # every limit met (sla 100), one lateness (staffing 95): 0.6 × 100 + 0.4 × 95 = 98.00 → 优秀 by score;
    # the lateness caps it at 良好; availability was met, so that cap does not apply
    assert (mm.score, mm.score_grade, mm.grade) == (D("98.00"), "优秀", "良好")
    assert mm.grade_caps == ["发生“迟到”，等级不高于“良好”"]
    assert mm.settlement.payout_pct == D("100")  # 良好 still pays in full
    from test_reports import render

    _, text = render("monthly", "hx-2026-2026-10", load_dataset(tmp_path / "data"))
    assert "综合得分 98.00 分，考核等级：良好。（按得分为“优秀”；依管理办法，发生“迟到”，等级不高于“良好”。）" in text
    _, contract = render("contract", "hx-2026", load_dataset(tmp_path / "data"))
    assert "当月发生“迟到”的，不高于“良好”；可用率未达到合同约定的目标的，不高于“合格”。" in contract


def test_a_grade_cap_on_an_unknown_result_is_a_located_error(tmp_path: Path) -> None:
    policy = MINI["policy.yaml"] + "    grade_caps:\n      - {when: sleeping, max_grade: 良好}\n"
    from docgen.errors import InputError

    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "data", **{"policy.yaml": policy}))
    [problem] = caught.value.problems
    assert problem.file.endswith("policy.yaml") and problem.line is not None
    assert "grade cap on 'sleeping'" in problem.message and "late" in problem.message


def test_repeated_incidents_are_candidate_problems(tmp_path: Path) -> None:
    def row(i: str, system: str, summary: str, opened: str, category: str = "硬件故障") -> str:
        return f"{i},hx-2026,P1,{category},{system},{summary},{opened},,,,,s1,,0\n"

    tickets = HEADER + "".join([
        row("R1", "核心业务系统", "存储阵列 5 号控制器告警", "2026-09-20 09:00"),  # before the window
        row("R2", "核心业务系统", "存储阵列 5 号控制器告警", "2026-10-05 09:00"),
        row("R3", "核心业务系统", "存储阵列 6 号控制器告警", "2026-10-12 09:00"),  # similar (ratio ≥ 0.8)
        row("R4", "核心业务系统", "存储阵列 5 号控制器告警", "2026-10-30 09:00"),
        row("R5", "统一身份认证平台", "存储阵列 5 号控制器告警", "2026-10-30 10:00"),  # another system
        row("R6", "核心业务系统", "存储阵列 5 号控制器告警", "2026-10-31 09:00", "咨询与服务请求"),  # a request
    ])
    mm = month_metrics(load(tmp_path, **{"tickets.csv": tickets}), AG, 2026, 10)
    # the 30-day window up to 10-31 starts on 10-02: R1 is outside; R2, R3, R4 make one problem
    assert [(p.system, p.summary, p.tickets) for p in mm.problems] == [
        ("核心业务系统", "存储阵列 5 号控制器告警", ["R2", "R3", "R4"])]


def test_complaints_are_listed_as_their_own_section(tmp_path: Path) -> None:
    policy = MINI["policy.yaml"].replace("  assessment:\n", (
        "      - code: complaint\n        name: 被投诉\n        amount: 1000.00\n        unit: 次\n"
        "        basis: 用户投诉经核实\n  assessment:\n"), 1)
    attendance = "id,date,staff,kind,count,note\nC1,2026-10-08,s1,complaint,1,报修处理态度生硬，经核实属实\n"
    data = load_dataset(write_mini(tmp_path / "data", **{"policy.yaml": policy, "attendance.csv": attendance}))
    mm = month_metrics(data, AG, 2026, 10)
    assert [(c.record, c.note) for c in mm.complaints] == [("C1", "报修处理态度生硬，经核实属实")]
    from test_reports import render

    _, text = render("monthly", "hx-2026-2026-10", data)
    assert "本月经核实的用户投诉 1 起" in text and "C1 | 10月8日 | 张伟 | 报修处理态度生硬，经核实属实" in text


REVIEWS = """\
reviews:
  - ticket: INC-1
    cause: 电源模块老化导致服务器宕机
    impact: 核心业务系统中断 3 小时
    fix: 更换电源模块并恢复服务
    prevention: 对同批次电源模块开展巡检与更换
    owner: 张伟
    reviewed: 2026-10-08
"""
IMPROVEMENTS = """\
improvements:
  - {id: GJ-1, agreement: hx-2026, action: 电源模块巡检, owner: 张伟, raised: 2026-09-15, due: 2026-10-20}
  - {id: GJ-2, agreement: hx-2026, action: 备份恢复演练, owner: 刘洋, raised: 2026-09-01, due: 2026-10-31, closed: 2026-10-10}
  - {id: GJ-3, agreement: hx-2026, action: 更新值班表, owner: 刘洋, raised: 2026-08-01, due: 2026-08-31, closed: 2026-09-02}
  - {id: GJ-4, agreement: hx-2026, action: 容量评估, owner: 张伟, raised: 2026-10-20, due: 2026-11-30, source: INC-1}
  - {id: GJ-5, agreement: hx-2026, action: 下月新增, owner: 张伟, raised: 2026-11-02, due: 2026-11-30}
"""


def test_major_incidents_show_their_review_or_that_it_is_missing(tmp_path: Path) -> None:
    from test_reports import render

    bare = load_dataset(write_mini(tmp_path / "bare"))
    assert [(x.ticket.id, x.review) for x in month_metrics(bare, AG, 2026, 10).major] == [("INC-1", None)]
    _, text = render("monthly", "hx-2026-2026-10", bare)
    assert "重大故障（一级）：本月 1 起" in text and "INC-1（核心业务系统，服务器宕机，10月3日 09:00）：故障分析报告尚未提交" in text
    reviewed = load_dataset(write_mini(tmp_path / "reviewed", **{"reviews.yaml": REVIEWS}))
    _, text = render("monthly", "hx-2026-2026-10", reviewed)
    assert "原因：电源模块老化导致服务器宕机；影响：核心业务系统中断 3 小时" in text and "2026年10月8日复盘" in text


def test_improvement_actions_are_followed_until_closed(tmp_path: Path) -> None:
    from test_reports import render

    data = load_dataset(write_mini(tmp_path / "data", **{"improvements.yaml": IMPROVEMENTS}))
    mm = month_metrics(data, AG, 2026, 10)
    # in order of raising; GJ-3 was closed in September, GJ-5 is raised in November: neither is October's
    assert [(s.action.id, s.status) for s in mm.actions] == [
        ("GJ-2", "已完成（10月10日）"), ("GJ-1", "已逾期"), ("GJ-4", "进行中")]
    _, text = render("monthly", "hx-2026-2026-10", data)
    assert "GJ-1 | 电源模块巡检 | 张伟 | 9月15日 | 10月20日 | 已逾期" in text
    assert "GJ-4 | 容量评估（INC-1） | 张伟 | 10月20日 | 11月30日 | 进行中" in text
    _, bare = render("monthly", "hx-2026-2026-10", load_dataset(write_mini(tmp_path / "bare")))
    assert "改进措施台账 improvements.yaml 中尚无本合同的措施" in bare


def test_reviews_and_actions_name_what_they_refer_to(tmp_path: Path) -> None:
    from docgen.errors import InputError

    wrong = {"reviews.yaml": REVIEWS.replace("ticket: INC-1", "ticket: INC-9"),
             "improvements.yaml": IMPROVEMENTS.replace("{id: GJ-2, agreement: hx-2026", "{id: GJ-1, agreement: zz")}
    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "data", **wrong))
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "reviews.yaml:2:" in text and "no ticket 'INC-9'" in text
    assert "improvements.yaml:3:" in text and "GJ-1" in text and "'zz'" in text


def test_the_annual_report_settles_every_quarter_and_totals_them(data) -> None:
    from test_reports import render

    _, text = render("annual", "hx-2026-2026", data)
    # the third quarter holds September only: fee 100,000, performance 20,000 unpaid (不合格), no
    # credit, deductions 40,000 capped at 20,000 → 60,000; the fourth holds October: 55,000 (above).
    # Totals: 200,000; 40,000; 0; 5,000; 40,000; 115,000
    assert "2026年第三季度 | 不合格 | 100,000.00 | 20,000.00 | 0.00 | 0.00 | 20,000.00 | 60,000.00" in text
    assert "2026年第四季度 | 不合格 | 100,000.00 | 20,000.00 | 0.00 | 5,000.00 | 20,000.00 | 55,000.00" in text
    assert "合计 |  | 200,000.00 | 40,000.00 | 0.00 | 5,000.00 | 40,000.00 | 115,000.00" in text
    assert "统计期内应付服务费合计人民币（大写）壹拾壹万伍仟元整" in text
    assert "年度复核分（按统计期内 2 个月的数据计）" in text and "按全年数据计" not in text
    assert "2026年10月 | 4 | 53.85% | 99.90% | 5,000.00 | 20,000.00 | 46.31 | 不合格" in text


def test_missing_reviews_and_overdue_actions_cost_points(tmp_path: Path) -> None:
    reviewed = REVIEWS.replace("INC-1", "T1") + REVIEWS.replace("INC-1", "T2").replace("reviews:\n", "")
    mm = month_metrics(load(tmp_path, **{"policy.yaml": FULL_WEIGHTS, "reviews.yaml": reviewed,
                                         "improvements.yaml": IMPROVEMENTS}), AG, 2026, 10)
    # both P1s reviewed: process is the closure attainment alone, 66.67; one action overdue (GJ-1,
    # due 10-20): improvement 100 − 10 × 1 restore miss − 10 × 1 = 80
    assert (mm.scores["process"], mm.scores["improvement"]) == (D("66.67"), D("80.00"))


def test_weighted_parts_round_half_up_and_add_up_to_the_score(tmp_path: Path) -> None:
    # eight P1 tickets, every limit met (sla 100), seven of eight votes satisfied: 87.50
    # → 15 × 87.50 ÷ 100 = 13.125 → 13.13 half up (half-even would print 13.12)
    rows = "".join(f"S{i},hx-2026,P1,硬件故障,核心业务系统,告警,2026-10-{i + 10:02d} 09:00,2026-10-{i + 10:02d} 09:05,"
                   f"2026-10-{i + 10:02d} 09:30,2026-10-{i + 10:02d} 10:00,2026-10-{i + 10:02d} 12:00,s1,"
                   f"{2 if i == 0 else 5},0\n" for i in range(8))
    mm = month_metrics(load(tmp_path, **{"policy.yaml": FULL_WEIGHTS, "tickets.csv": HEADER + rows,
                                         "attendance.csv": "id,date,staff,kind,count,note\n"}), AG, 2026, 10)
    assert mm.scores["satisfaction"] == D("87.50") and mm.weighted["satisfaction"] == D("13.13")
    assert mm.score == sum(mm.weighted.values())


def test_the_sample_qs_october_satisfaction_part_is_13_13() -> None:
    from conftest import SAMPLE_DATA

    mm = month_metrics(load_dataset(SAMPLE_DATA), "qs-2026", 2026, 10)
    assert (mm.scores["satisfaction"], mm.weighted["satisfaction"]) == (D("87.50"), D("13.13"))
    assert mm.score == sum(mm.weighted.values())


def test_a_weighted_sla_part_ending_in_half_a_cent_rounds_up(tmp_path: Path) -> None:
    # two P1 tickets, eight limits, one response a minute late: 7 ÷ 8 = 87.50
    # → 35 × 87.50 ÷ 100 = 30.625 → 30.63 half up (half-even: 30.62), like the audit's 32.585
    rows = ("U1,hx-2026,P1,硬件故障,核心业务系统,告警,2026-10-10 09:00,2026-10-10 09:16,2026-10-10 09:30,"
            "2026-10-10 10:00,2026-10-10 12:00,s1,5,0\n"
            "U2,hx-2026,P1,硬件故障,核心业务系统,告警,2026-10-11 09:00,2026-10-11 09:05,2026-10-11 09:30,"
            "2026-10-11 10:00,2026-10-11 12:00,s1,5,0\n")
    mm = month_metrics(load(tmp_path, **{"policy.yaml": FULL_WEIGHTS, "tickets.csv": HEADER + rows,
                                         "attendance.csv": "id,date,staff,kind,count,note\n"}), AG, 2026, 10)
    assert mm.scores["sla"] == D("87.50") and mm.weighted["sla"] == D("30.63")
    assert mm.score == sum(mm.weighted.values())


def test_a_later_export_that_decides_a_limit_remakes_the_month_it_falls_in(tmp_path: Path) -> None:
    """October alone, exported 10-30 20:30: T3's restore limit (until 10-31 04:00) is still open.
    A November ticket moves the export on: the limit has run out, in October, so October's
    report must be made again although none of its own tickets changed."""
    from conftest import TEMPLATES

    from docgen.manifest import fingerprint
    from docgen.plan import documents

    october = OCT.replace("2026-11-02 08:00", "")  # T4 not closed yet: the export is T3's response
    early = load(tmp_path / "a", **{"tickets.csv": HEADER + october})
    november = ("T5,hx-2026,P1,硬件故障,核心业务系统,风扇告警,2026-11-10 09:00,2026-11-10 09:10,2026-11-10 10:00,"
                "2026-11-10 10:30,2026-11-10 10:30,s1,5,0\n")
    later = load(tmp_path / "b", **{"tickets.csv": HEADER + october + november})
    assert rows(month_metrics(early, AG, 2026, 10))["P2", "恢复"][1:4] == (1, 1, 1)  # T3 pending
    assert rows(month_metrics(later, AG, 2026, 10))["P2", "恢复"][1:4] == (2, 1, 0)  # T3 missed

    def october_inputs(data: Dataset) -> dict[str, str]:
        job = next(j for j in documents(data, TEMPLATES, ["monthly"]) if j.key == "hx-2026-2026-10")
        return {k: fingerprint(v) for k, v in job.inputs.items()}

    before, after = october_inputs(early), october_inputs(later)
    assert before["tickets.csv:hx-2026"] == after["tickets.csv:hx-2026"]  # the month's own tickets
    assert before["tickets.csv:hx-2026:limits"] != after["tickets.csv:hx-2026:limits"]


def test_the_quarter_grade_decides_the_performance_part_not_the_month_grade(tmp_path: Path) -> None:
    """The contract pays the performance share by the quarterly grade (第八条, 附件四)."""
    from test_reports import render

    from docgen.metrics import contract_year, settle_quarters, year_metrics

    data = load_dataset(write_mini(tmp_path / "data", **{
        "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,12,迟到\nA2,2026-11-03,s2,late,1,迟到\n"}))
    october, november = month_metrics(data, AG, 2026, 10), month_metrics(data, AG, 2026, 11)
    # October 76.00 (合格, 80 %), November 0.6 × 100 + 0.4 × 95 = 98.00 (优秀): the quarter's mean
    # 87.00 is 良好, which pays the whole performance part of both months
    assert (october.score, october.grade, november.score, november.grade) == (D("76.00"), "合格", D("98.00"), "优秀")
    y = year_metrics(data, AG, 2026)
    [(quarter, s)] = settle_quarters(data, data.agreement(AG), contract_year(data, AG, 2026), y.months, y.quarters)
    assert (quarter.score, quarter.grade) == (D("87.00"), "良好")
    # fee 2 × 100,000; performance 40,000 paid at 100 %; deductions 12 × 500 + 500 = 6,500
    assert (s.fee, s.performance, s.payout_pct, s.performance_paid, s.credit, s.deductions, s.payable) == (
        D("200000.00"), D("40000.00"), D("100"), D("40000.00"), D("0.00"), D("6500.00"), D("193500.00"))
    assert october.settlement.performance_paid == D("16000.00")  # the month alone would pay 80 %
    _, text = render("annual", "hx-2026-2026", data)
    assert "2026年第四季度 | 良好 | 200,000.00 | 40,000.00 | 40,000.00 | 0.00 | 6,500.00 | 193,500.00" in text


def test_a_capped_month_caps_its_quarter(tmp_path: Path) -> None:
    """附件四 4.2: a grade cap a month triggers also caps the quarter, whose grade decides the payout."""
    from docgen.metrics import year_metrics

    files = {"policy.yaml": MINI["policy.yaml"] + CAPS,
             "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,1,迟到\n"
                               "A2,2026-11-03,s2,absence,1,旷工\n"}
    data = load_dataset(write_mini(tmp_path / "data", **files))
    october, november = month_metrics(data, AG, 2026, 10), month_metrics(data, AG, 2026, 11)
    # both 0.6 × 100 + 0.4 × 95 = 98.00; October's lateness caps it at 良好, November has no cap
    assert (october.score, october.grade, october.cap_grade) == (D("98.00"), "良好", "良好")
    assert (november.score, november.grade, november.cap_grade) == (D("98.00"), "优秀", None)
    [quarter] = year_metrics(data, AG, 2026).quarters
    assert (quarter.score, quarter.grade) == (D("98.00"), "良好")  # 优秀 by its score, capped by October
    uncapped = load_dataset(write_mini(tmp_path / "plain", **{"attendance.csv": files["attendance.csv"]}))
    assert year_metrics(uncapped, AG, 2026).quarters[0].grade == "优秀"
