"""Service-report figures computed from the records: SLA attainment, availability, deductions, scores.

Pure functions over the validated Dataset; no I/O. Rules:

- A ticket belongs to the period in which it was opened. Times are calendar minutes from
  `opened` (not service hours). A ticket exactly at its time limit counts as met.
- Tickets without the timestamp a row measures are `pending` for that row, never dropped;
  tickets not closed by the end of the period are listed as open.
- Availability = (minutes in period − Σ downtime) ÷ minutes in period × 100. The credit tier
  is the one with the smallest `below_pct` above the availability; credits are capped.
- Deductions: each attendance event costs its policy amount × count; the month's total is
  capped at `monthly_cap_pct` of the monthly fee.
- Dimension scores (0–100, floor 0): sla = overall attainment (100 when nothing measured)
  − 10 when availability missed its target; staffing = 100 − 5 × attendance events;
  security = 100 − 20 × P1/P2 tickets in category 安全事件; process = closure attainment
  (100 when nothing measured); satisfaction = satisfied ÷ responses (100 without responses);
  improvement = 100 − 10 × P1/P2 tickets that missed their restore limit.
  Score = Σ weight × dimension ÷ 100; the grade is the first band whose min_score ≤ score.
- Quarter score = mean of its months; annual score = mean quarter score × annual_quarters_pct
  + the score of the whole year's records × the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import models as m

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
METRICS = (("响应", "responded", "response"), ("到场", "arrived", "arrival"),
           ("恢复", "restored", "restore"), ("闭环", "closed", "closure"))


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(part: int, whole: int) -> Decimal | None:
    return q2(Decimal(part) * HUNDRED / Decimal(whole)) if whole else None


@dataclass(frozen=True)
class SlaRow:
    level: str
    metric: str
    target_minutes: int
    measured: int
    met: int
    pending: int
    attainment_pct: Decimal | None
    ok: bool | None


@dataclass(frozen=True)
class DeductionLine:
    date: date
    staff: str
    staff_name: str
    rule_code: str
    rule_name: str
    count: int
    unit_amount: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PeriodMetrics:
    """Figures of one agreement over one period (a month, or a whole year for the annual review)."""

    period_start: date
    period_end: date
    ticket_count: int
    by_severity: dict[str, int]
    by_category: dict[str, int]
    sla_rows: list[SlaRow]
    overall_attainment_pct: Decimal | None
    mttr_minutes: Decimal | None
    open_tickets: list[m.Ticket]
    availability_pct: Decimal
    availability_target_pct: Decimal
    availability_ok: bool
    credit_pct: Decimal
    credit_amount: Decimal
    satisfaction_responses: int
    satisfied: int
    satisfaction_pct: Decimal | None
    satisfaction_avg: Decimal | None
    deduction_lines: list[DeductionLine]
    deduction_total: Decimal
    deduction_cap: Decimal
    deduction_applied: Decimal
    deduction_capped: bool
    leave: list[m.LeaveRequest]
    changes: list[m.PersonnelChange]
    scores: dict[str, Decimal]
    score: Decimal
    grade: str

    @property
    def label(self) -> str:
        return f"{self.period_start.year}年{self.period_start.month}月"


@dataclass(frozen=True)
class Quarter:
    label: str
    months: int
    score: Decimal
    grade: str


@dataclass(frozen=True)
class YearMetrics:
    year: int
    months: list[PeriodMetrics]
    quarters: list[Quarter]
    review: PeriodMetrics | None
    review_score: Decimal
    quarter_mean: Decimal
    annual_score: Decimal
    annual_grade: str
    total_tickets: int
    total_deductions: Decimal
    total_credits: Decimal
    consecutive_fail_quarters: int
    renewal: str
    renewal_reason: str


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def grade_for(policy: m.Policy, score: Decimal) -> str:
    return next(g.name for g in policy.assessment.grades if score >= g.min_score)


def _elapsed(ticket: m.Ticket, end: datetime) -> int:
    return int((end - ticket.opened).total_seconds() // 60)


def _floor(value: Decimal) -> Decimal:
    return max(Decimal(0), min(HUNDRED, value))


def period_metrics(data: m.Dataset, agreement_id: str, start: date, end: date, *, months: int = 1) -> PeriodMetrics:
    """All figures for `agreement_id` over [start, end] (both dates included).

    `months` is the number of months the period spans: fees and caps are multiplied by it and
    count-based score penalties divided by it, so a year is judged by its monthly average.
    """
    ag = data.agreement(agreement_id)
    sla, policy = ag.sla, data.policy
    end_dt = datetime.combine(end, datetime.max.time())
    tickets = [t for t in data.tickets if t.agreement == agreement_id and start <= t.opened.date() <= end]
    levels = {lv.level: lv for lv in sla.levels}
    by_severity = {lv.level: sum(1 for t in tickets if t.severity == lv.level) for lv in sla.levels}
    by_category: dict[str, int] = {}
    for t in tickets:
        by_category[t.category] = by_category.get(t.category, 0) + 1

    rows: list[SlaRow] = []
    for lv in sla.levels:
        of_level = [t for t in tickets if t.severity == lv.level]
        for metric, stamp, limit_field in METRICS:
            limit = getattr(lv, limit_field)
            if limit is None:
                continue
            done = [t for t in of_level if getattr(t, stamp) is not None and getattr(t, stamp) <= end_dt]
            met = sum(1 for t in done if _elapsed(t, getattr(t, stamp)) <= limit)
            attainment = pct(met, len(done))
            rows.append(SlaRow(lv.level, metric, limit, len(done), met, len(of_level) - len(done), attainment,
                               None if attainment is None else attainment >= sla.attainment_target_pct))
    measured = sum(r.measured for r in rows)
    overall = pct(sum(r.met for r in rows), measured)

    restored = [t for t in tickets if t.restored is not None and t.restored <= end_dt]
    mttr = q2(Decimal(sum(_elapsed(t, t.restored) for t in restored)) / len(restored)) if restored else None  # type: ignore[arg-type]
    open_tickets = [t for t in tickets if t.closed is None or t.closed > end_dt]

    period_minutes = ((end - start).days + 1) * 1440
    downtime = sum(t.downtime_minutes for t in tickets)
    availability = q2(Decimal(period_minutes - downtime) * HUNDRED / Decimal(period_minutes))
    fee = ag.fees.monthly * months
    tiers = sorted((c for c in sla.credits if availability < c.below_pct), key=lambda c: c.below_pct)
    credit_pct = tiers[0].credit_pct if tiers else Decimal(0)
    credit_amount = min(q2(fee * credit_pct / HUNDRED), q2(fee * sla.credit_cap_pct / HUNDRED))

    votes = [t.satisfaction for t in tickets if t.satisfaction is not None]
    satisfied = sum(1 for v in votes if v >= 4)
    sat_avg = q2(Decimal(sum(votes)) / len(votes)) if votes else None

    staff_of = {s.id: s for s in data.staff if s.agreement == agreement_id}
    rules = {r.code: r for r in policy.deductions.rules}
    lines = [
        DeductionLine(e.date, e.staff, staff_of[e.staff].name, e.kind, rules[e.kind].name, e.count,
                      rules[e.kind].amount, rules[e.kind].amount * e.count)
        for e in sorted(data.attendance, key=lambda e: (e.date, e.id))
        if e.staff in staff_of and start <= e.date <= end
    ]
    total = sum((d.amount for d in lines), Decimal("0.00"))
    cap = q2(ag.fees.monthly * policy.deductions.monthly_cap_pct / HUNDRED) * months
    applied = min(total, cap)

    leave = [r for r in data.leave if r.staff in staff_of and start <= r.start.date() <= end]
    changes = [c for c in data.changes if c.agreement == agreement_id and start <= c.effective <= end]

    closure_rows = [r for r in rows if r.metric == "闭环"]
    closure_measured = sum(r.measured for r in closure_rows)
    security_incidents = sum(1 for t in tickets if t.category == "安全事件" and t.severity in ("P1", "P2"))
    major_restore_misses = sum(
        1 for t in restored if t.severity in ("P1", "P2") and _elapsed(t, t.restored) > levels[t.severity].restore)  # type: ignore[arg-type]
    dims = {
        "sla": _floor((overall if overall is not None else HUNDRED)
                      - (Decimal(10) if availability < sla.availability_target_pct else 0)),
        "staffing": _floor(HUNDRED - Decimal(5 * sum(d.count for d in lines)) / months),
        "security": _floor(HUNDRED - Decimal(20 * security_incidents) / months),
        "process": _floor(pct(sum(r.met for r in closure_rows), closure_measured) or HUNDRED)
        if closure_measured else HUNDRED,
        "satisfaction": pct(satisfied, len(votes)) if votes else HUNDRED,
        "improvement": _floor(HUNDRED - Decimal(10 * major_restore_misses) / months),
    }
    scores = {w.key: q2(dims[w.key]) for w in policy.assessment.weights}  # type: ignore[arg-type]
    score = q2(sum((w.weight * scores[w.key] / HUNDRED for w in policy.assessment.weights), Decimal(0)))
    return PeriodMetrics(
        start, end, len(tickets), by_severity, dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
        rows, overall, mttr, open_tickets, availability, sla.availability_target_pct,
        availability >= sla.availability_target_pct, credit_pct, credit_amount, len(votes), satisfied,
        pct(satisfied, len(votes)), sat_avg, lines, total, cap, applied, total > cap, leave, changes, scores, score,
        grade_for(policy, score))


def month_metrics(data: m.Dataset, agreement_id: str, year: int, month: int) -> PeriodMetrics:
    """The figures of one calendar month."""
    start, end = month_bounds(year, month)
    return period_metrics(data, agreement_id, start, end)


def data_months(data: m.Dataset, agreement_id: str) -> list[tuple[int, int]]:
    """Months within the agreement's term that have tickets or attendance records, oldest first."""
    ag = data.agreement(agreement_id)
    staff = {s.id for s in data.staff if s.agreement == agreement_id}
    seen = {(t.opened.year, t.opened.month) for t in data.tickets if t.agreement == agreement_id}
    seen |= {(e.date.year, e.date.month) for e in data.attendance if e.staff in staff}
    return sorted(ym for ym in seen if month_bounds(*ym)[1] >= ag.start and month_bounds(*ym)[0] <= ag.end)


def trend(data: m.Dataset, agreement_id: str, year: int, month: int, n: int = 3) -> list[PeriodMetrics]:
    """Up to `n` earlier months with data, then this month, oldest first."""
    earlier = [ym for ym in data_months(data, agreement_id) if ym < (year, month)][-n:]
    return [month_metrics(data, agreement_id, y, mo) for y, mo in earlier] + [
        month_metrics(data, agreement_id, year, month)]


def year_metrics(data: m.Dataset, agreement_id: str, year: int) -> YearMetrics:
    """Monthly and quarterly scores, the annual score and grade, and the renewal recommendation."""
    policy = data.policy
    months = [month_metrics(data, agreement_id, y, mo) for y, mo in data_months(data, agreement_id) if y == year]
    quarters = []
    for qi in range(4):
        in_q = [mm for mm in months if (mm.period_start.month - 1) // 3 == qi]
        if in_q:
            score = q2(sum((mm.score for mm in in_q), Decimal(0)) / len(in_q))
            quarters.append(Quarter(f"{year}年第{'一二三四'[qi]}季度", len(in_q), score, grade_for(policy, score)))
    review = None
    review_score = Decimal(0)
    if months:
        review = period_metrics(data, agreement_id, months[0].period_start, months[-1].period_end,
                                months=len(months))
        review_score = review.score
    quarter_mean = q2(sum((q.score for q in quarters), Decimal(0)) / len(quarters)) if quarters else Decimal(0)
    share = policy.assessment.annual_quarters_pct
    annual = q2(quarter_mean * share / HUNDRED + review_score * (HUNDRED - share) / HUNDRED)
    annual_grade = grade_for(policy, annual)
    run = longest = 0
    for q in quarters:
        run = run + 1 if q.grade == policy.assessment.fail_grade else 0
        longest = max(longest, run)
    limit = policy.assessment.terminate_after_consecutive_fails
    if longest >= limit:
        renewal = "建议终止合作"
        reason = f"连续 {longest} 个季度考核为“{policy.assessment.fail_grade}”，达到管理办法规定的 {limit} 个季度。"
    elif annual_grade == policy.assessment.fail_grade:
        renewal, reason = "不建议续约", f"年度考核得分 {annual} 分，等级为“{annual_grade}”。"
    elif annual_grade == "合格":
        renewal, reason = "整改后续约", f"年度考核得分 {annual} 分，等级为“合格”，须就失分项制定整改计划。"
    else:
        renewal, reason = "建议续约", f"年度考核得分 {annual} 分，等级为“{annual_grade}”，服务稳定。"
    return YearMetrics(
        year, months, quarters, review, review_score, quarter_mean, annual, annual_grade,
        sum(mm.ticket_count for mm in months), sum((mm.deduction_applied for mm in months), Decimal("0.00")),
        sum((mm.credit_amount for mm in months), Decimal("0.00")), longest, renewal, reason)
