"""Periods that follow the contract: a month only partly inside the term is cut to it and
prorated; staff are on post by their dates; a leave across months counts in each month.

Every expected figure below is worked out by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MINI, TEMPLATES, write_mini
from hypothesis import given, settings
from hypothesis import strategies as st
from test_contracts import docx_text

from docgen import models as m
from docgen.build import properties_for
from docgen.metrics import downtime_by_month, leave_hours_in, month_bounds, month_metrics, prorated_fee, year_metrics
from docgen.plan import documents
from docgen.render import render_docx
from docgen.validate import load_dataset

CREDITS = ("      availability_systems: [核心业务系统]\n"
           "      credits:\n        - {below_pct: 99.9, credit_pct: 5}\n      credit_cap_pct: 30\n")
TICKETS = ("id,agreement,severity,category,system,summary,opened,responded,arrived,restored,closed,assignee,"
           "satisfaction,downtime_minutes\n"
           "INC-1,hx-2026,P1,硬件故障,核心业务系统,服务器宕机,2026-10-20 09:00,2026-10-20 09:10,2026-10-20 10:00,"
           "2026-10-20 11:00,2026-10-21 12:00,s1,5,120\n")


def _data(tmp_path: Path, start: str = "2026-01-01", end: str = "2026-12-31", **files: str):
    agreements = (MINI["agreements.yaml"].replace("start: 2026-01-01", f"start: {start}")
                  .replace("end: 2026-12-31", f"end: {end}")
                  .replace("      availability_systems: [核心业务系统]\n", CREDITS))
    attendance = "id,date,staff,kind,count,note\nA1,2026-10-20,s1,late,1,迟到20分钟\n"
    return load_dataset(write_mini(tmp_path / "data", **{"agreements.yaml": agreements, "tickets.csv": TICKETS,
                                                         "attendance.csv": attendance, **files}))


def _report_text(data, key: str) -> str:
    job = next(j for j in documents(data, TEMPLATES, ["monthly"]) if j.key == key)
    return docx_text(render_docx(job.template, job.build_context(), properties_for(job, data.client.name)))


def test_a_whole_month_is_not_prorated(tmp_path: Path) -> None:
    mm = month_metrics(_data(tmp_path), "hx-2026", 2026, 10)
    # 31 days = 44,640 minutes; (44,640 − 120) ÷ 44,640 = 99.7312…% → 99.73, below 99.9: 5 %
    assert (mm.days, mm.fee, mm.partial_months) == (31, Decimal("100000.00"), [])
    assert mm.availability_pct == Decimal("99.73")
    assert mm.credit_amount == Decimal("5000.00")  # 100,000 × 5 %
    assert mm.deduction_cap == Decimal("20000.00")  # 100,000 × 20 %


@pytest.mark.parametrize(("start", "end", "expected"), [
    # from 15 October: 17 days; 100,000 × 17 ÷ 31 = 54,838.709… → 54,838.71
    # 17 × 1,440 = 24,480 minutes; (24,480 − 120) ÷ 24,480 = 99.5098…% → 99.51
    # credit 54,838.71 × 5 % = 2,741.9355 → 2,741.94; cap 54,838.71 × 20 % = 10,967.742 → 10,967.74
    ("2026-10-15", "2026-12-31", (17, "54838.71", "99.51", "2741.94", "10967.74", "15日至31日，17天")),
    # to 20 October: 20 days; 100,000 × 20 ÷ 31 = 64,516.129… → 64,516.13
    # 28,800 minutes; (28,800 − 120) ÷ 28,800 = 99.5833…% → 99.58; credit 3,225.8065 → 3,225.81
    ("2026-01-01", "2026-10-20", (20, "64516.13", "99.58", "3225.81", "12903.23", "1日至20日，20天")),
])
def test_a_month_partly_in_the_term_is_cut_to_it_and_prorated(tmp_path: Path, start: str, end: str,
                                                              expected: tuple) -> None:
    days, fee, availability, credit, cap, span = expected
    data = _data(tmp_path, start, end)
    mm = month_metrics(data, "hx-2026", 2026, 10)
    assert mm.days == days and mm.fee == Decimal(fee)
    assert mm.partial_months == [f"2026年10月（{span}）"]
    assert mm.availability_pct == Decimal(availability)
    assert mm.credit_amount == Decimal(credit)
    assert mm.deduction_cap == Decimal(cap)
    text = _report_text(data, "hx-2026-2026-10")
    assert "本月仅部分日期在合同服务期内" in text
    assert f"{int(Decimal(fee)):,}.{fee[-2:]} 元" in text
    assert "统计区间为2026年10月" in text


def test_the_annual_report_prorates_its_partial_month_too(tmp_path: Path) -> None:
    data = _data(tmp_path, "2026-10-15", "2027-10-14")
    y = year_metrics(data, "hx-2026", 2026)
    assert y.months[0].period_start.isoformat() == "2026-10-15" and y.months[0].fee == Decimal("54838.71")
    assert y.total_credits == Decimal("2741.94")


LEAVE_ACROSS = """\
leave:
  - id: L1
    staff: s1
    type: 事假
    start: 2026-10-31 09:00
    end: 2026-11-02 11:00
    hours: 4
    reason: 办理个人事务
    approved_by: 陈立
"""


def test_a_leave_across_months_counts_in_each_by_its_days_there(tmp_path: Path) -> None:
    nov = "A2,2026-11-03,s1,late,1,迟到10分钟\n"  # records reach November
    data = _data(tmp_path, **{"leave.yaml": LEAVE_ACROSS,
                              "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-20,s1,late,1,迟到\n" + nov})
    leave = data.leave[0]
    # 3 calendar days (31 Oct, 1 and 2 Nov): October 4 × 1/3 = 1.33… → 1.3 h, November the rest, 2.7 h
    assert leave_hours_in(leave, *_month(10)) == Decimal("1.3")
    assert leave_hours_in(leave, *_month(11)) == Decimal("2.7")
    assert leave_hours_in(leave, *_month(12)) == 0
    oct_, nov_ = month_metrics(data, "hx-2026", 2026, 10), month_metrics(data, "hx-2026", 2026, 11)
    assert [r.id for r in oct_.leave] == [r.id for r in nov_.leave] == ["L1"]
    assert (oct_.leave_hours, nov_.leave_hours) == ({"L1": Decimal("1.3")}, {"L1": Decimal("2.7")})
    assert "1.3小时（共4小时，跨月按天折算）" in _report_text(data, "hx-2026-2026-10")
    assert "2.7小时（共4小时，跨月按天折算）" in _report_text(data, "hx-2026-2026-11")
    # both months' reports depend on the leave
    for key in ("hx-2026-2026-10", "hx-2026-2026-11"):
        job = next(j for j in documents(data, TEMPLATES, ["monthly"]) if j.key == key)
        assert [r.id for r in job.inputs["leave.yaml:hx-2026"]] == ["L1"]


def _month(month: int):
    from docgen.metrics import month_bounds

    return month_bounds(2026, month)


def test_staff_are_on_post_from_their_start_to_their_withdrawal(tmp_path: Path) -> None:
    newcomer = MINI["staff.yaml"] + """\
  - id: s3
    name: 王芳
    vendor: hx
    agreement: hx-2026
    role: 数据库工程师
    post_type: 5×8
    start_date: 2026-11-16
    phone: "13900000003"
    pledge_signed: true
    years_experience: 3
"""
    withdrawal = """\
changes:
  - id: C1
    agreement: hx-2026
    type: 撤离
    old_staff: s2
    reason: 项目调整
    requested: 2026-10-08
    effective: 2026-11-01
    handover: [交接运维文档]
    access_revoked: true
    pledge_signed: true
    vendor_letter_no: HX-2026-031
"""
    nov = "A2,2026-11-20,s3,late,1,迟到10分钟\n"
    data = _data(tmp_path, **{"staff.yaml": newcomer, "changes.yaml": withdrawal,
                              "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-20,s1,late,1,迟到\n" + nov})
    on = {mo: [s.id for s in month_metrics(data, "hx-2026", 2026, mo).staff] for mo in (10, 11)}
    # s2 leaves with effect from 1 November (not on post in November); s3 starts on 16 November
    assert on == {10: ["s1", "s2"], 11: ["s1", "s3"]}
    october = _report_text(data, "hx-2026-2026-10")
    assert "本月在岗驻场人员 2 人" in october and "王芳" not in october
    november = _report_text(data, "hx-2026-2026-11")
    assert "王芳" in november and "刘洋" not in november.split("三、SLA")[0].split("本月人员变更")[0]


def test_the_annual_report_says_which_month_is_partial(tmp_path: Path) -> None:
    data = _data(tmp_path, "2026-10-15", "2027-10-14")
    job = next(j for j in documents(data, TEMPLATES, ["annual"]))
    text = docx_text(render_docx(job.template, job.build_context(), properties_for(job, data.client.name)))
    assert "其中2026年10月（15日至31日，17天）仅部分日期在合同服务期内" in text


THREE = ("      availability_systems: [核心业务系统, 统一身份认证平台, 数据仓库平台]\n"
         "      credits:\n        - {below_pct: 99.9, credit_pct: 5}\n      credit_cap_pct: 30\n")


def _outages(tmp_path: Path, rows: list[tuple[str, str, str, str, int]]):
    header = ("id,agreement,severity,category,system,summary,opened,responded,arrived,restored,closed,assignee,"
              "satisfaction,downtime_minutes\n")
    lines = [f"{i},hx-2026,P1,硬件故障,{system},宕机,{opened},{opened},,{restored},{restored},s1,5,{down}\n"
             for i, system, opened, restored, down in [(r[0], r[1], r[2], r[3], r[4]) for r in rows]]
    agreements = MINI["agreements.yaml"].replace("      availability_systems: [核心业务系统]\n", THREE)
    return load_dataset(write_mini(tmp_path / "data", **{"agreements.yaml": agreements,
                                                         "tickets.csv": header + "".join(lines)}))


def test_three_systems_each_within_target_give_no_credit_where_pooling_would(tmp_path: Path) -> None:
    """October, 44,640 minutes, target 99.9 %. 30 minutes on each of three systems: each
    (44,640 − 30) ÷ 44,640 = 99.9327…% → 99.93, met, no credit. Pooled, 90 minutes would be
    99.7983…% → 99.80, a miss and a 5 % credit (¥5,000)."""
    data = _outages(tmp_path, [("INC-1", "核心业务系统", "2026-10-03 09:00", "2026-10-03 09:30", 30),
                               ("INC-2", "统一身份认证平台", "2026-10-10 09:00", "2026-10-10 09:30", 30),
                               ("INC-3", "数据仓库平台", "2026-10-20 09:00", "2026-10-20 09:30", 30)])
    mm = month_metrics(data, "hx-2026", 2026, 10)
    assert [s.availability_pct for s in mm.systems] == [Decimal("99.93")] * 3
    assert mm.availability_ok and mm.credit_amount == 0


def test_one_system_below_target_decides_the_credit(tmp_path: Path) -> None:
    """50 minutes on 数据仓库平台 alone: (44,640 − 50) ÷ 44,640 = 99.8879…% → 99.89 < 99.9:
    5 % of 100,000 = 5,000.00, although the other two systems are at 100 %."""
    data = _outages(tmp_path, [("INC-1", "数据仓库平台", "2026-10-03 09:00", "2026-10-03 09:50", 50)])
    mm = month_metrics(data, "hx-2026", 2026, 10)
    assert [s.availability_pct for s in mm.systems] == [Decimal("100.00"), Decimal("100.00"), Decimal("99.89")]
    assert mm.availability_pct == Decimal("99.89") and not mm.availability_ok
    assert mm.credit_amount == Decimal("5000.00")


def test_downtime_across_a_month_end_is_split_by_month(tmp_path: Path) -> None:
    """Reported 31 Oct 23:00, restored 1 Nov 02:00 (180 min), 150 min recorded: October holds 60
    of the 180 minutes, 150 × 60 ÷ 180 = 50; November the other 100."""
    data = _outages(tmp_path, [("INC-1", "核心业务系统", "2026-10-31 23:00", "2026-11-01 02:00", 150)])
    oct_, nov = month_metrics(data, "hx-2026", 2026, 10), month_metrics(data, "hx-2026", 2026, 11)
    assert (oct_.systems[0].downtime_minutes, nov.systems[0].downtime_minutes) == (50, 100)
    assert oct_.systems[0].tickets == nov.systems[0].tickets == ["INC-1"]
    assert oct_.systems[0].short == ["INC-1"]  # 150 recorded < 180 from report to restore
    assert [(o.ticket, o.downtime_minutes, o.recorded_minutes, o.span_minutes, o.short) for o in oct_.outages] == [
        ("INC-1", 50, 150, 180, True)]
    assert [(o.ticket, o.downtime_minutes) for o in nov.outages] == [("INC-1", 100)]


# --------------------------------------------------------------------------- invariants

MOMENTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20))


@settings(max_examples=200, deadline=None)
@given(start=MOMENTS, minutes=st.integers(1, 60 * 24 * 40), hours=st.integers(1, 2000))
def test_a_leave_split_over_its_months_adds_up_to_its_hours(start: datetime, minutes: int, hours: int) -> None:
    leave = m.LeaveRequest(id="L", staff="s", type="事假", start=start, end=start + timedelta(minutes=minutes),
                           hours=Decimal(hours) / 10, reason="r", approved_by="a")
    parts = [leave_hours_in(leave, *month_bounds(2026 + (k // 12), k % 12 + 1)) for k in range(13)]
    assert sum(parts) == leave.hours and all(p >= 0 for p in parts)


@settings(max_examples=200, deadline=None)
@given(opened=MOMENTS, span=st.integers(0, 60 * 24 * 70), down=st.integers(0, 100_000))
def test_downtime_split_over_months_adds_up_and_stays_in_the_outage(opened: datetime, span: int, down: int) -> None:
    restored = opened + timedelta(minutes=span)
    ticket = m.Ticket.model_construct(id="T", opened=opened, restored=restored, downtime_minutes=down)
    parts = downtime_by_month(ticket)
    assert sum(parts.values()) == down and all(v >= 0 for v in parts.values())
    months = set()
    y, mo = opened.year, opened.month
    while (y, mo) <= (restored.year, restored.month):
        months.add((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    assert set(parts) <= months


@given(monthly=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
       first=st.integers(1, 28), length=st.integers(0, 27))
def test_a_prorated_fee_never_exceeds_the_monthly_fee(monthly: Decimal, first: int, length: int) -> None:
    lo = date(2026, 2, first)
    hi = min(lo + timedelta(days=length), date(2026, 2, 28))
    fee = prorated_fee(monthly, lo, hi)
    assert Decimal(0) <= fee <= monthly and fee == fee.quantize(Decimal("0.01"))
    assert prorated_fee(monthly, date(2026, 2, 1), date(2026, 2, 28)) == monthly
