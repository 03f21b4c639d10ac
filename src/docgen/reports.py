"""Contexts of the monthly and annual service reports: metrics, trend rows, charts, improvement actions."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from pydantic import BaseModel

from . import models as m
from .charts import Chart, bar_chart, line_chart
from .formatting import money, percent
from .metrics import (
    PeriodMetrics,
    Quarter,
    YearMetrics,
    contract_year,
    month_metrics,
    settle_quarters,
    trend,
    year_metrics,
)
from .workdays import clock_text


class Period(TypedDict):
    label: str
    start: date
    end: date


class TrendRow(TypedDict):
    label: str
    tickets: int
    attainment: str
    availability: str
    deductions: Decimal
    credits: Decimal
    score: Decimal
    grade: str


class SettlementRow(TypedDict):
    label: str
    grade: str
    fee: Decimal
    performance: Decimal
    payout_pct: Decimal | None
    performance_paid: Decimal | None
    credit: Decimal
    deductions: Decimal
    payable: Decimal | None


class MonthlyCharts(TypedDict):
    severity: Chart
    trend: Chart


class AnnualCharts(TypedDict):
    trend: Chart
    deductions: Chart


class MonthlyContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    policy: m.Policy
    staff: list[m.StaffMember]
    names: dict[str, str]
    period: Period
    m: PeriodMetrics
    weighted: dict[str, Decimal]
    trend: list[TrendRow]
    charts: MonthlyCharts
    improvements: list[str]
    clock: str  # how time limits were counted (workdays.clock_text), as the SLA annex states
    compare: str  # the month against the one before it ("" for the first month)


class AnnualContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    policy: m.Policy
    period: Period
    y: YearMetrics
    months: list[TrendRow]
    quarters: list[Quarter]
    quarter_mean: Decimal
    review_pct: Decimal
    charts: AnnualCharts
    settlements: list[SettlementRow]
    settlement_total: SettlementRow


def plain(value: Any) -> Any:
    """Dataclasses and models to dicts, recursively; Decimals, dates and charts stay as they are."""
    if isinstance(value, Chart):
        return value
    if isinstance(value, BaseModel):
        return value.model_dump()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _row(mm: PeriodMetrics) -> TrendRow:
    return TrendRow(
        label=f"{mm.period_start.year}年{mm.period_start.month}月", tickets=mm.ticket_count,
        attainment=percent(mm.overall_attainment_pct) if mm.overall_attainment_pct is not None else "—",
        availability=percent(mm.availability_pct), deductions=mm.deduction_applied, credits=mm.credit_amount,
        score=mm.score, grade=mm.grade)


def _settlement_total(rows: list[SettlementRow]) -> SettlementRow:
    """The sum of the quarters; a figure some quarter could not compute (no payout for its grade) is None."""
    zero = Decimal("0.00")
    paid = [r["performance_paid"] for r in rows]
    payable = [r["payable"] for r in rows]
    return SettlementRow(
        label="合计", grade="", payout_pct=None, fee=sum((r["fee"] for r in rows), zero),
        performance=sum((r["performance"] for r in rows), zero),
        performance_paid=None if None in paid else sum((p for p in paid if p is not None), zero),
        credit=sum((r["credit"] for r in rows), zero), deductions=sum((r["deductions"] for r in rows), zero),
        payable=None if None in payable else sum((p for p in payable if p is not None), zero))


def _change(value: Decimal, unit: str, up: str = "增加", down: str = "减少", shown: str | None = None) -> str:
    """'增加 3 张', '减少 1,000.00 元', '持平' (`shown`: the amount as printed, default the value)."""
    if not value:
        return "持平"
    return f"{up if value > 0 else down} {shown if shown is not None else abs(value)}{unit}"


def compare_months(before: PeriodMetrics, now: PeriodMetrics) -> str:
    """One sentence: this month's main figures against the month before."""
    label = f"{before.period_start.year}年{before.period_start.month}月"
    parts = [f"工单 {now.ticket_count} 张（{_change(Decimal(now.ticket_count - before.ticket_count), ' 张')}）"]
    if now.overall_attainment_pct is not None and before.overall_attainment_pct is not None:
        moved = _change(now.overall_attainment_pct - before.overall_attainment_pct, " 个百分点", "提高", "下降")
        parts.append(f"时限达成率 {percent(now.overall_attainment_pct)}（{moved}）")
    delta = now.deduction_applied - before.deduction_applied
    parts.append(f"违约金 {money(now.deduction_applied)} 元（{_change(delta, ' 元', shown=money(abs(delta)))}）")
    parts.append(f"得分 {now.score} 分（{_change(now.score - before.score, ' 分', '提高', '下降')}）")
    return f"与上月（{label}）相比：" + "，".join(parts) + "。"


def improvements(mm: PeriodMetrics, policy: m.Policy) -> list[str]:
    """Improvement actions that follow from the month's figures."""
    out = []
    for row in mm.sla_rows:
        if row.ok is False:
            out.append(f"{row.level}级{row.metric}达成率 {percent(row.attainment_pct or Decimal(0))} 低于目标，"
                       f"乙方须分析超时工单原因，优化{row.metric}流程与人员调度。")
    if not mm.availability_ok:
        out.append(f"可用率 {percent(mm.availability_pct, 3)} 未达目标 {percent(mm.availability_target_pct, 1)}，"
                   "乙方须提交故障根因分析报告并落实防范措施。")
    if mm.deduction_lines:
        kinds = sorted({d.rule_name for d in mm.deduction_lines})
        out.append(f"本月发生考勤不符合事项（{'、'.join(kinds)}），乙方须加强驻场人员管理，下月不得重复发生。")
    if mm.open_tickets:
        out.append(f"跟踪 {len(mm.open_tickets)} 张未关闭工单，在下期报告中说明处理结果。")
    if mm.satisfaction_pct is not None and mm.satisfaction_pct < 90:
        out.append("满意度低于 90%，对低分评价逐一回访并记录改进情况。")
    if not out:
        out.append("本月各项指标均达标，保持现有服务水平，按计划开展例行巡检与应急演练。")
    out.append("下月计划：完成月度巡检、备份恢复抽查与漏洞修复跟踪，按时提交月度报告。")
    return out


def monthly_context(data: m.Dataset, agreement: m.Agreement, year: int, month: int) -> dict[str, Any]:
    """Context of the monthly report of one agreement."""
    mm = month_metrics(data, agreement.id, year, month)
    start, end = mm.period_start, mm.period_end  # the month, cut to the term
    history = trend(data, agreement.id, year, month)
    rows = [_row(x) for x in history]
    labels = [r["label"].split("年")[1] for r in rows]
    charts = MonthlyCharts(
        severity=bar_chart(list(mm.by_severity), list(mm.by_severity.values()), title="本月工单按级别分布",
                           ylabel="工单数"),
        trend=line_chart(labels, {"SLA达成率(%)": [x.overall_attainment_pct for x in history],
                                  "考核得分": [x.score for x in history]}, title="近期趋势", ylabel="百分比 / 分"),
    )
    staff = list(mm.staff)
    policy = data.policy_version(mm.policy_version)  # the version the month's figures applied
    return plain({
        "client": data.client, "vendor": data.vendor(agreement.vendor), "agreement": agreement,
        "policy": policy, "staff": staff, "names": {s.id: s.name for s in data.staff},
        "period": Period(label=f"{year}年{month}月", start=start, end=end), "m": mm,
        "weighted": mm.weighted,
        "trend": rows, "charts": charts, "improvements": improvements(mm, policy),
        "clock": clock_text(data.window_of(agreement)),
        "compare": compare_months(history[-2], mm) if len(history) > 1 else "",
    })


def annual_context(data: m.Dataset, agreement: m.Agreement, year: int) -> dict[str, Any]:
    """Context of the annual report of one agreement."""
    y = year_metrics(data, agreement.id, year)
    rows = [_row(x) for x in y.months]
    labels = [r["label"].split("年")[1] for r in rows]
    charts = AnnualCharts(
        trend=line_chart(labels, {"SLA达成率(%)": [x.overall_attainment_pct for x in y.months],
                                  "考核得分": [x.score for x in y.months]}, title="月度趋势", ylabel="百分比 / 分"),
        deductions=bar_chart(labels, [x.deduction_applied for x in y.months], title="各月违约金（元）", ylabel="元"),
    )
    cy = contract_year(data, agreement.id, year)
    settlements = [SettlementRow(label=q.label, grade=q.grade, fee=s.fee, performance=s.performance,
                                 payout_pct=s.payout_pct, performance_paid=s.performance_paid, credit=s.credit,
                                 deductions=s.deductions, payable=s.payable)
                   for q, s in settle_quarters(data, agreement, cy, y.months, y.quarters)]
    start = y.months[0].period_start if y.months else cy.start
    end = y.months[-1].period_end if y.months else cy.end
    policy = data.policy_version(y.policy_version)
    return plain({
        "client": data.client, "vendor": data.vendor(agreement.vendor), "agreement": agreement,
        "policy": policy, "period": Period(label=cy.label, start=start, end=end), "y": y,
        "months": rows, "quarters": y.quarters, "quarter_mean": y.quarter_mean,
        "review_pct": Decimal(100) - policy.assessment.annual_quarters_pct, "charts": charts,
        "settlements": settlements, "settlement_total": _settlement_total(settlements),
    })
