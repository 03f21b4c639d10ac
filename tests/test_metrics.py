"""Report figures against small hand-computed fixtures (expected values worked out by hand below)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import MINI, write_mini
from docgen.metrics import data_months, month_metrics, year_metrics
from docgen.validate import load_dataset

HEADER = "id,agreement,severity,category,system,summary,opened,responded,arrived,restored,closed,assignee,satisfaction,downtime_minutes\n"
SEP = "T0,hx-2026,P1,硬件故障,核心业务系统,磁盘故障,2026-09-05 09:00,2026-09-05 09:30,,2026-09-05 12:00,2026-09-06 09:00,s1,,0\n"
OCT = (
    # T1: every limit met exactly (15 min, 120 min, 240 min, 3 days)
    "T1,hx-2026,P1,硬件故障,核心业务系统,宕机,2026-10-03 09:00,2026-10-03 09:15,2026-10-03 11:00,"
    "2026-10-03 13:00,2026-10-06 09:00,s1,5,30\n"
    # T2: one minute late on response and restore; no arrival recorded
    "T2,hx-2026,P1,软件故障,核心业务系统,服务中断,2026-10-10 10:00,2026-10-10 10:16,,"
    "2026-10-10 14:01,2026-10-12 10:00,s1,3,14\n"
    # T3: still open at the end of the month
    "T3,hx-2026,P1,网络故障,核心业务系统,链路中断,2026-10-30 20:00,2026-10-30 20:05,,,,s2,,0\n"
)
ATTENDANCE = (
    "id,date,staff,kind,count,note\n"
    "A1,2026-10-05,s2,late,1,迟到\n"
    "A2,2026-10-20,s1,absence,12,旷工\n"
    "A3,2026-09-10,s1,absence,20,旷工\n"
)
CREDITS = MINI["agreements.yaml"].replace(
    "      availability_target_pct: 99.9\n",
    "      availability_target_pct: 99.9\n      credits:\n        - {below_pct: 99.95, credit_pct: 5}\n"
    "        - {below_pct: 99.5, credit_pct: 10}\n")


@pytest.fixture
def data(tmp_path: Path):
    return load_dataset(write_mini(tmp_path / "data", **{
        "tickets.csv": HEADER + SEP + OCT, "attendance.csv": ATTENDANCE, "agreements.yaml": CREDITS}))


def row(mm, level: str, metric: str):
    return next(r for r in mm.sla_rows if r.level == level and r.metric == metric)


def test_sla_rows_exact_limits_and_pending(data) -> None:
    mm = month_metrics(data, "hx-2026", 2026, 10)
    assert mm.ticket_count == 3 and mm.by_severity == {"P1": 3}
    # response: T1 15 (met, exactly at limit), T2 16 (missed), T3 5 (met) → 2/3
    r = row(mm, "P1", "响应")
    assert (r.measured, r.met, r.pending, r.attainment_pct, r.ok) == (3, 2, 0, D("66.67"), False)
    # arrival: only T1 has one (120 = limit) → 1/1; T2 and T3 pending
    r = row(mm, "P1", "到场")
    assert (r.measured, r.met, r.pending, r.attainment_pct) == (1, 1, 2, D("100.00"))
    # restore: T1 240 met, T2 241 missed; T3 pending
    r = row(mm, "P1", "恢复")
    assert (r.measured, r.met, r.pending, r.attainment_pct) == (2, 1, 1, D("50.00"))
    # closure: T1 exactly 3 days, T2 2 days → 2/2
    r = row(mm, "P1", "闭环")
    assert (r.measured, r.met, r.pending) == (2, 2, 1)
    assert mm.overall_attainment_pct == D("75.00")  # 6 met of 8 measured
    assert mm.mttr_minutes == D("240.50")  # (240 + 241) / 2
    assert [t.id for t in mm.open_tickets] == ["T3"]


def test_availability_credit_and_satisfaction(data) -> None:
    mm = month_metrics(data, "hx-2026", 2026, 10)
    # October: 31 × 1440 = 44640 minutes, 44 down → 99.9014… → 99.90, which meets 99.9
    assert mm.availability_pct == D("99.90") and mm.availability_ok
    # below 99.95 → the 5 % tier of the 100000.00 monthly fee
    assert (mm.credit_pct, mm.credit_amount) == (D("5"), D("5000.00"))
    assert (mm.satisfaction_responses, mm.satisfied, mm.satisfaction_pct, mm.satisfaction_avg) == (
        2, 1, D("50.00"), D("4.00"))


def test_deductions_are_capped(data) -> None:
    mm = month_metrics(data, "hx-2026", 2026, 10)
    assert [(d.rule_name, d.count, d.amount) for d in mm.deduction_lines] == [
        ("迟到", 1, D("500.00")), ("旷工", 12, D("24000.00"))]
    assert mm.deduction_total == D("24500.00")
    assert mm.deduction_cap == D("20000.00")  # 20 % of 100000.00
    assert mm.deduction_applied == D("20000.00") and mm.deduction_capped


def test_score_and_grade(data) -> None:
    mm = month_metrics(data, "hx-2026", 2026, 10)
    # sla 75.00 (availability met, no penalty); staffing 100 − 5 × 13 events = 35.00
    assert mm.scores == {"sla": D("75.00"), "staffing": D("35.00")}
    assert mm.score == D("59.00")  # 0.6 × 75 + 0.4 × 35
    assert mm.grade == "不合格"  # below the 合格 band at 60


def test_empty_month_is_valid(data) -> None:
    mm = month_metrics(data, "hx-2026", 2026, 2)
    assert mm.ticket_count == 0 and mm.overall_attainment_pct is None and mm.mttr_minutes is None
    assert all(r.measured == 0 and r.attainment_pct is None and r.ok is None for r in mm.sla_rows)
    assert mm.availability_pct == D("100.00") and mm.satisfaction_pct is None
    assert mm.deduction_total == D("0.00") and mm.score == D("100.00") and mm.grade == "优秀"


def test_policy_amount_change_changes_the_total(tmp_path: Path) -> None:
    policy = MINI["policy.yaml"].replace("amount: 500.00", "amount: 800.00")
    data = load_dataset(write_mini(tmp_path / "data", **{"attendance.csv": ATTENDANCE, "policy.yaml": policy}))
    mm = month_metrics(data, "hx-2026", 2026, 10)
    assert mm.deduction_lines[0].amount == D("800.00")
    assert mm.deduction_total == D("24800.00")  # 800 + 12 × 2000


def test_year_quarters_annual_score_and_renewal(data) -> None:
    assert data_months(data, "hx-2026") == [(2026, 9), (2026, 10)]
    y = year_metrics(data, "hx-2026", 2026)
    # September: response 0/1, restore 1/1, closure 1/1 → 66.67; staffing 100 − 5 × 20 → 0 → 40.00
    assert [(q.label, q.score, q.grade) for q in y.quarters] == [
        ("2026年第三季度", D("40.00"), "不合格"), ("2026年第四季度", D("59.00"), "不合格")]
    assert y.consecutive_fail_quarters == 2 and y.renewal == "建议终止合作"
    # review over both months: 8 of 11 limits met → 72.73; staffing 100 − 5 × 33 / 2 = 17.50
    assert y.review_score == D("50.64")  # 0.6 × 72.73 + 0.4 × 17.50
    assert y.quarter_mean == D("49.50")
    assert y.annual_score == D("49.84")  # 0.7 × 49.50 + 0.3 × 50.64
    assert y.annual_grade == "不合格"
    assert y.total_deductions == D("40000.00")  # both months at the 20000.00 cap
