"""Service-report figures of one agreement: SLA attainment, availability, credits, deductions, scores and grades."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import models as m
from .workdays import WorkCalendar, clock_start, elapsed_within

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
SECURITY_CATEGORY = "安全事件"
SERVICE_REQUEST_CATEGORY = "咨询与服务请求"  # not an incident: left out of MTTR
COMPLAINT = "complaint"  # the deduction code of a substantiated user complaint (被投诉)
SERVICE_LEVEL = "P4"  # 四级事件 (minor faults, questions and routine requests): not an incident
MAJOR = ("P1", "P2")
METRICS: tuple[tuple[str, str, str], ...] = (
    # (Chinese name, Ticket timestamp, SlaLevel limit)
    ("响应", "responded", "response"),
    ("到场", "arrived", "arrival"),
    ("恢复", "restored", "restore"),
    ("闭环", "closed", "closure"),
)
QUARTER_NAMES = "一二三四"
RESTORE_METRIC = "恢复"  # the limit whose miss carries a credit (SlaLevel.restore_credit_pct)


def q2(value: Decimal) -> Decimal:
    """Round to 0.01 with ROUND_HALF_UP (percentages, minutes, scores and money)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100 rounded to 0.01, or None when whole is 0."""
    return q2(Decimal(part) * HUNDRED / Decimal(whole)) if whole else None


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class SlaRow:
    """One SLA level × one time limit (响应/到场/恢复/闭环)."""

    level: str
    metric: str
    target_minutes: int
    measured: int
    """tickets of the level that have the row's timestamp"""
    met: int
    """measured tickets with elapsed ≤ target (exactly at the target counts as met)"""
    pending: int
    """tickets of the level without the timestamp yet"""
    attainment_pct: Decimal | None
    """met ÷ measured × 100; None when nothing is measured"""
    ok: bool | None
    """attainment ≥ the agreement's attainment_target_pct; None when nothing is measured"""
    missed: int = 0
    target: str = ""
    """the limit as the SLA annex prints it (SlaLevel.written: '72h' → '72小时')"""
    """measured tickets whose limit ran out (a late timestamp, or none by the deadline)"""


@dataclass(frozen=True)
class LimitOutcome:
    """One time limit (响应/到场/恢复/闭环) of one ticket, and how and when it was decided."""

    ticket: str
    level: str
    metric: str
    limit_minutes: int
    clock_start: datetime
    deadline: datetime
    stamp: datetime | None
    """the time the limit was met or missed at (the ticket's timestamp; for 到场 without an
    arrival, a restore within the limit); None: nothing happened before the deadline"""
    met: bool | None
    """None: still undecided when the records were exported"""
    decided: datetime | None
    """when it was decided: the stamp for a met limit, the deadline for a missed one"""
    remote: bool = False
    """到场 decided by a restore within the arrival limit, without anyone on site"""


@dataclass(frozen=True)
class LimitCredit:
    """A service credit for a restore limit missed (decided) in the month: the level's
    restore_credit_pct of the month's fee, rounded half up to the cent."""

    ticket: str
    level: str
    deadline: datetime
    pct: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CarriedTicket:
    """A ticket open at the end of the previous period, and what became of it."""

    ticket: m.Ticket
    closed_in_period: bool
    decided: list[LimitOutcome]
    """its limits decided in this period"""


@dataclass(frozen=True)
class CandidateProblem:
    """Incidents on one system with similar summaries, repeated within the policy's window."""

    system: str
    summary: str
    tickets: list[str]
    first: datetime
    last: datetime


@dataclass(frozen=True)
class MajorIncident:
    """A 一级 (P1) ticket of the period and its review (None: not submitted yet)."""

    ticket: m.Ticket
    review: m.IncidentReview | None


@dataclass(frozen=True)
class ActionStatus:
    """An improvement action open at some time in the period, and where it stands at its end."""

    action: m.ImprovementAction
    status: str
    """已完成 / 进行中 / 已逾期"""


@dataclass(frozen=True)
class Settlement:
    """The fee of a period after its assessment, as the contract settles it.

    base = fee × (100 − performance_share_pct) %, performance = fee − base; the performance part
    is paid at the share the policy's performance_payout_pct gives the period's grade; payable =
    base + performance paid − credit − deductions, never below 0. Amounts half up to the cent.
    """

    fee: Decimal
    base: Decimal
    performance: Decimal
    payout_pct: Decimal | None
    """None: the policy names no payout for the grade (the report then computes no total)"""
    performance_paid: Decimal | None
    credit: Decimal
    deductions: Decimal
    payable: Decimal | None


def settle(fee: Decimal, share_pct: Decimal, grade: str, payouts: dict[str, Decimal], credit: Decimal,
           deductions: Decimal) -> Settlement:
    """The Settlement of a period's fee (see Settlement)."""
    performance = q2(fee * share_pct / HUNDRED)
    base = fee - performance
    payout = payouts.get(grade)
    paid = q2(performance * payout / HUNDRED) if payout is not None else None
    payable = max(ZERO, base + paid - credit - deductions) if paid is not None else None
    return Settlement(fee=fee, base=base, performance=performance, payout_pct=payout, performance_paid=paid,
                      credit=credit, deductions=deductions, payable=payable)


@dataclass(frozen=True)
class Outage:
    """A ticket whose recorded downtime counts in the period: the times a vendor can check."""

    ticket: str
    system: str
    opened: datetime
    restored: datetime | None
    downtime_minutes: int
    """of its recorded downtime, the minutes in the period"""
    recorded_minutes: int
    span_minutes: int | None
    """report → restore, whole minutes (None: not restored)"""
    short: bool


@dataclass(frozen=True)
class SystemAvailability:
    """The availability of one system the SLA lists, over a period."""

    system: str
    minutes: int
    """minutes of the period"""
    downtime_minutes: int
    """recorded downtime of the system's tickets falling in the period (split at month ends)"""
    availability_pct: Decimal
    ok: bool
    tickets: list[str]
    """ids of the tickets whose downtime counts in the period"""
    short: list[str]
    """of those, the tickets whose recorded downtime is below their report → restore time"""


@dataclass(frozen=True)
class DeductionLine:
    """One attendance event priced by the policy (违约金, owed by 乙方 and deducted from the fee)."""

    date: date
    staff: str
    staff_name: str
    rule_code: str
    rule_name: str
    count: int
    unit_amount: Decimal
    amount: Decimal
    record: str = ""
    """the attendance record's id (attendance.csv)"""
    note: str = ""
    """the record's facts as exported"""
    days: list[_dt.date] = field(default_factory=list)
    """every day a per-day event covers (旷工 ×2: both days): working days for a post on a 工作日 window (5×8)"""
    after_leave: str = ""
    """a leave of the person that ended before the event without 销假 (the absence follows it)"""


@dataclass(frozen=True)
class MonthMetrics:
    """Figures of one agreement over one period: a calendar month, or a longer range for the annual review."""

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
    """the lowest availability of the listed systems (SLA annex: the lowest system decides)"""
    availability_target_pct: Decimal
    availability_ok: bool
    credit_pct: Decimal
    credit_amount: Decimal
    """availability credit plus the time-limit credits, capped month by month"""
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
    weighted: dict[str, Decimal]
    """dimension key → weight × score ÷ 100, rounded half up to 0.01; `score` is their sum"""
    score: Decimal
    grade: str
    policy_version: str = ""  # the policy version in force on the period's first day, which it applies
    fee: Decimal = ZERO
    """the service fee of the period: the monthly fee for every whole month, prorated by days for
    a month only partly inside the term (the base of credits and the deduction cap)"""
    staff: tuple[m.StaffMember, ...] = ()
    """the agreement's staff on post in the period (see on_post)"""
    leave_hours: dict[str, Decimal] = field(default_factory=dict)
    """leave id → its hours inside the period (see leave_hours_in); a leave across months counts in each"""

    days: int = 0
    """days of the period"""
    systems: list[SystemAvailability] = field(default_factory=list)
    """availability per listed system, in the SLA's order"""
    outages: list[Outage] = field(default_factory=list)
    """every ticket whose downtime counts in the period's availability, by report time"""
    breaches: list[LimitOutcome] = field(default_factory=list)
    """every limit missed in the period (decided in it), by deadline"""
    carried: list[CarriedTicket] = field(default_factory=list)
    """tickets open at the end of the previous period (opened before this one), with their outcome"""
    targets_met: int = 0
    targets_total: int = 0
    target_attainment_pct: Decimal | None = None
    """SLA attainment as targets met ÷ targets (rows with something measured)"""
    mttr_by_level: dict[str, Decimal | None] = field(default_factory=dict)
    """MTTR per level over the level's restored incidents (None: none restored)"""
    basis: dict[str, str] = field(default_factory=dict)
    """dimension key → its formula with the period's inputs, as the report's appendix prints it
    (the score is clamped to 0–100 and rounded half up to 0.01)"""
    score_grade: str = ""
    """the grade the score alone gives; `grade` is it after the policy's grade caps"""
    grade_caps: list[str] = field(default_factory=list)
    """why the grade was capped (the caps the period triggered), in the report's words"""
    cap_grade: str | None = None
    """the highest grade the triggered caps allow (None: no cap triggered); it also caps the quarter"""
    settlement: Settlement | None = None
    availability_credit: Decimal = Decimal("0.00")
    """the availability credit before the cap"""
    limit_credits: tuple[LimitCredit, ...] = ()
    """the credits for missed restore limits (SlaLevel.restore_credit_pct), before the cap"""
    limit_credit_total: Decimal = Decimal("0.00")
    credit_capped: bool = False
    """what the period's figures mean for the fee (see settle)"""
    problems: list[CandidateProblem] = field(default_factory=list)
    """repeated incidents up to the period's end (candidate_problems)"""
    complaints: list[DeductionLine] = field(default_factory=list)
    """the period's complaint records (deduction code `complaint`)"""
    major: list[MajorIncident] = field(default_factory=list)
    """the period's P1 tickets with their reviews (reviews.yaml)"""
    actions: list[ActionStatus] = field(default_factory=list)
    """improvement actions (improvements.yaml) raised by the period's end and not closed before it"""
    partial_months: list[str] = field(default_factory=list)
    """the months only partly inside the period, e.g. '2026年6月（15日至30日，16天）' (see _partial_months)"""

    @property
    def label(self) -> str:
        """'2026年10月' for a month, '2026年9月1日至2026年10月31日' for a longer range."""
        s, e = self.period_start, self.period_end
        if (s.year, s.month) == (e.year, e.month) and (s, e) == month_bounds(s.year, s.month):
            return f"{s.year}年{s.month}月"
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"


PeriodMetrics = MonthMetrics
"""Former name of MonthMetrics, kept for existing imports."""


@dataclass(frozen=True)
class Quarter:
    """One quarter that has months with data."""

    label: str
    """e.g. '2026年第三季度'"""
    months: int
    """number of months with data in the quarter"""
    score: Decimal
    grade: str
    number: int = 0
    """1..4"""


@dataclass(frozen=True)
class YearMetrics:
    """The annual assessment of one agreement."""

    year: int
    months: list[MonthMetrics]
    quarters: list[Quarter]
    review: MonthMetrics | None
    """the whole year's records scored together (None when the year has no data months)"""
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
    policy_version: str = ""  # of the year's assessment (in force on its first month's first day)
    month_versions: tuple[str, ...] = ()  # every version the months applied, in order


# --------------------------------------------------------------------------- helpers

def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following - timedelta(days=1)


def _months_spanned(start: date, end: date) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _partial_months(start: date, end: date) -> list[str]:
    out = []
    for year, month in _months_spanned(start, end):
        first, last = month_bounds(year, month)
        lo, hi = max(first, start), min(last, end)
        if (lo, hi) != (first, last):
            out.append(f"{year}年{month}月（{lo.day}日至{hi.day}日，{(hi - lo).days + 1}天）")
    return out


def term_part(agreement: m.Agreement, start: date, end: date) -> tuple[date, date]:
    """[start, end] cut to the agreement's term (a month the term starts or ends in)."""
    return max(start, agreement.start), min(end, agreement.end)


def prorated_fee(monthly: Decimal, lo: date, hi: date) -> Decimal:
    """The fee for the days lo…hi of one calendar month: the monthly fee for the whole month,
    else monthly × days ÷ days of the month, rounded half up to the cent."""
    first, last = month_bounds(lo.year, lo.month)
    if (lo, hi) == (first, last):
        return monthly
    return q2(monthly * ((hi - lo).days + 1) / Decimal(last.day))


def on_post(data: m.Dataset, agreement_id: str, start: date, end: date) -> list[m.StaffMember]:
    """Staff of the agreement on post on at least one day of [start, end]: started on or before
    `end`, and not replaced or withdrawn (替换 / 撤离 of them) with effect on or before `start`."""
    gone = {c.old_staff: c.effective for c in data.changes
            if c.agreement == agreement_id and c.type in ("替换", "撤离") and c.old_staff}
    return [s for s in data.staff if s.agreement == agreement_id and s.start_date <= end
            and not (s.id in gone and gone[s.id] <= start)]


def _leave_days(leave: m.LeaveRequest) -> list[date]:
    """The calendar days a leave takes time from (its end day only if it ends after 00:00)."""
    last = leave.end.date() if leave.end.time() != time(0, 0) else leave.end.date() - timedelta(days=1)
    return [leave.start.date() + timedelta(days=i) for i in range(max(0, (last - leave.start.date()).days) + 1)]


def leave_hours_in(leave: m.LeaveRequest, start: date, end: date) -> Decimal:
    """The hours of `leave` inside [start, end].

    A leave within one month counts all its hours there. One across months is split by the
    calendar days it covers in each month, rounded half up to 0.1 h, the month of its last day
    taking what is left, so the months' parts add up to its hours. (A period that holds only some
    of a month's leave days, which only a term starting or ending mid-leave makes, takes that
    month's part in proportion to them.)
    """
    days = _leave_days(leave)
    months = sorted({(d.year, d.month) for d in days})
    tenth = Decimal("0.1")
    parts: dict[tuple[int, int], Decimal] = {}
    for ym in months[:-1]:
        share = sum(1 for d in days if (d.year, d.month) == ym)
        parts[ym] = (leave.hours * share / len(days)).quantize(tenth, rounding=ROUND_HALF_UP)
    parts[months[-1]] = leave.hours - sum(parts.values(), Decimal(0))
    total = Decimal(0)
    for ym, hours in parts.items():
        mine = [d for d in days if (d.year, d.month) == ym]
        inside = sum(1 for d in mine if start <= d <= end)
        if inside == len(mine):
            total += hours
        elif inside:
            total += (hours * inside / len(mine)).quantize(tenth, rounding=ROUND_HALF_UP)
    return total


def capped_grade(policy: m.Policy, grade: str, sla_ok: bool, availability_ok: bool,
                 event_codes: set[str]) -> tuple[str, list[str]]:
    """`grade` lowered to the policy's grade caps that the period's results trigger, and why."""
    order: list[str] = [g.name for g in policy.assessment.grades]
    rules = {r.code: r.name for r in policy.deductions.rules}
    reasons = []
    for cap in policy.assessment.grade_caps:
        if cap.when == "sla_below_target":
            hit = not sla_ok
        elif cap.when == "availability_missed":
            hit = not availability_ok
        else:
            hit = cap.when in event_codes
        if not hit or cap.max_grade not in order:
            continue
        what = m.CAP_CONDITIONS.get(cap.when) or f"发生“{rules.get(cap.when, cap.when)}”"
        reasons.append(f"{what}，等级不高于“{cap.max_grade}”")
        if order.index(cap.max_grade) > order.index(grade):
            grade = cap.max_grade
    return grade, reasons


def quarter_grade(policy: m.Policy, score: Decimal, months: Sequence[MonthMetrics]) -> str:
    """The grade of a quarter's score, no higher than any grade cap a month of it triggered
    (contract 第八条, 附件四: a capped month caps its quarter, which decides the payout)."""
    order: list[str] = [g.name for g in policy.assessment.grades]
    grades = [grade_for(policy, score)] + [mm.cap_grade for mm in months if mm.cap_grade in order]
    return max(grades, key=lambda g: order.index(g or ""))


def grade_for(policy: m.Policy, score: Decimal) -> str:
    """The first grade band (highest first) whose min_score ≤ score."""
    return next(g.name for g in policy.assessment.grades if score >= g.min_score)


def _minutes(delta: timedelta) -> Decimal:
    return Decimal(delta.days * 86400 + delta.seconds) / 60


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(HUNDRED, value))


def _availability(minutes: int, downtime: int) -> Decimal:
    return q2(Decimal(max(0, minutes - downtime)) * HUNDRED / Decimal(minutes))


def downtime_by_month(ticket: m.Ticket) -> dict[tuple[int, int], int]:
    """A ticket's recorded downtime by calendar month. An outage within one month (report →
    restore time), or one without a restore time, counts in the month it was reported; one across
    a month end is split by the share of its report → restore time in each month, in whole
    minutes rounded half up, the month of the restore taking what is left."""
    if not ticket.downtime_minutes:
        return {}
    opened, restored = ticket.opened, ticket.restored
    here = (opened.year, opened.month)
    if restored is None or (restored.year, restored.month) == here or restored <= opened:
        return {here: ticket.downtime_minutes}
    span = Decimal((restored - opened).total_seconds())
    parts: dict[tuple[int, int], int] = {}
    for year, month in _months_spanned(opened.date(), restored.date())[:-1]:
        first, last = month_bounds(year, month)
        lo = max(opened, datetime.combine(first, time.min))
        hi = datetime.combine(last + timedelta(days=1), time.min)
        share = Decimal(ticket.downtime_minutes) * Decimal((hi - lo).total_seconds()) / span
        parts[(year, month)] = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    parts[(restored.year, restored.month)] = ticket.downtime_minutes - sum(parts.values())
    return parts


def _event_days(event: m.AttendanceEvent, rule: m.DeductionRule, window: m.ServiceWindow,
                calendar: WorkCalendar) -> list[date]:
    """The days an attendance event covers: for a rule counted per day (unit …天) with count N,
    N days from its date — working days for a post whose window serves on 工作日 (5×8), calendar
    days for one that serves 每天 (7×24); else its date."""
    if event.count == 1 or not rule.unit.endswith("天"):
        return [event.date]
    days: list[date] = []
    day = event.date
    while len(days) < event.count:
        if window.days != "工作日" or calendar.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _unfinished_leave(data: m.Dataset, event: m.AttendanceEvent) -> str:
    """The person's latest leave that ended in the week up to the event's day and was never
    closed (no 销假 time): an absence (a per-day event) right after it follows an unfinished leave."""
    ended = [r for r in data.leave if r.staff == event.staff and r.returned is None
             and 0 <= (event.date - r.end.date()).days <= 7]
    return max(ended, key=lambda r: r.end).id if ended else ""


def candidate_problems(data: m.Dataset, agreement_id: str, start: date, end: date,
                       rules: m.ProblemRules) -> list[CandidateProblem]:
    """Incidents of the agreement reported within `rules.window_days` up to `end`, grouped by
    system and by summary (difflib ratio ≥ rules.similarity to the group's first summary);
    groups of at least `rules.min_count` with an incident in [start, end] are candidate problems."""
    from difflib import SequenceMatcher

    since = datetime.combine(end - timedelta(days=rules.window_days - 1), time.min)
    until = datetime.combine(end, time.max)
    incidents = sorted((t for t in data.tickets if t.agreement == agreement_id and _is_incident(t)
                        and since <= t.opened <= until), key=lambda t: (t.opened, t.id))
    groups: list[list[m.Ticket]] = []
    for t in incidents:
        for group in groups:
            if group[0].system == t.system and \
                    Decimal(str(SequenceMatcher(None, group[0].summary, t.summary).ratio())) >= rules.similarity:
                group.append(t)
                break
        else:
            groups.append([t])
    return [CandidateProblem(system=g[0].system, summary=g[0].summary, tickets=[t.id for t in g],
                             first=g[0].opened, last=g[-1].opened)
            for g in groups if len(g) >= rules.min_count and any(start <= t.opened.date() <= end for t in g)]


def _actions(data: m.Dataset, agreement_id: str, start: date, end: date) -> list[ActionStatus]:
    out = []
    for a in sorted(data.improvements, key=lambda a: (a.raised, a.id)):
        if a.agreement != agreement_id or a.raised > end or (a.closed is not None and a.closed < start):
            continue
        if a.closed is not None and a.closed <= end:
            status = f"已完成（{a.closed.month}月{a.closed.day}日）"
        elif a.due < end:
            status = "已逾期"
        else:
            status = "进行中"
        out.append(ActionStatus(action=a, status=status))
    return out


def _is_incident(ticket: m.Ticket) -> bool:
    return ticket.category != SERVICE_REQUEST_CATEGORY and ticket.severity != SERVICE_LEVEL


def _mean_minutes(pairs: Sequence[tuple[m.Ticket, datetime]]) -> Decimal | None:
    """Mean report → restore time in minutes (0.01), None without any."""
    if not pairs:
        return None
    return q2(sum((_minutes(r - t.opened) for t, r in pairs), Decimal(0)) / len(pairs))


def _short_downtime(ticket: m.Ticket) -> bool:
    """Recorded downtime below the ticket's report → restore time (a figure the vendor may query)."""
    return (ticket.restored is not None and ticket.downtime_minutes > 0
            and Decimal(ticket.downtime_minutes) < _minutes(ticket.restored - ticket.opened))


def _systems(sla: m.Sla, outages: Sequence[m.Ticket], months: Sequence[tuple[int, int]], start: date,
             end: date) -> list[SystemAvailability]:
    """Availability of each listed system over [start, end] (whole months, or months cut to the term)."""
    minutes = ((end - start).days + 1) * 1440
    out = []
    for system in sla.availability_systems:
        mine = [(t, downtime_by_month(t)) for t in outages if t.system == system]
        counted = [(t, sum(parts.get(ym, 0) for ym in months)) for t, parts in mine]
        counted = [(t, d) for t, d in counted if d]
        downtime = sum(d for _, d in counted)
        availability = _availability(minutes, downtime)
        out.append(SystemAvailability(system=system, minutes=minutes, downtime_minutes=downtime,
                                      availability_pct=availability, ok=availability >= sla.availability_target_pct,
                                      tickets=[t.id for t, _ in counted],
                                      short=[t.id for t, _ in counted if _short_downtime(t)]))
    return out


def _credit_tier(sla: m.Sla, availability: Decimal) -> Decimal:
    below = [c for c in sla.credits if availability < c.below_pct]
    return min(below, key=lambda c: c.below_pct).credit_pct if below else Decimal(0)


def export_moment(data: m.Dataset) -> datetime:
    """The latest timestamp of the ticket export: limits whose deadline is later are undecided."""
    hit = data._memo.get("export")
    if hit is None:
        stamps = [s for t in data.tickets for s in (t.opened, t.responded, t.arrived, t.restored, t.closed) if s]
        hit = data._memo["export"] = max(stamps) if stamps else datetime.min
    return hit


def limit_outcomes(data: m.Dataset, ticket: m.Ticket) -> list[LimitOutcome]:
    """Every time limit of a ticket's level with its outcome (see period_metrics)."""
    key = ("limits", ticket.id, ticket.agreement)
    hit = data._memo.get(key)
    if hit is not None:
        return hit
    agreement = data.agreement(ticket.agreement)
    sla, window = agreement.sla, data.window_of(agreement)
    calendar = WorkCalendar.of(data.policy_on(ticket.opened.date()))
    level = next((lv for lv in sla.levels if lv.level == ticket.severity), None)
    export = export_moment(data)
    out: list[LimitOutcome] = []
    for metric, stamp_field, limit_field in METRICS if level is not None else ():
        limit: int | None = getattr(level, limit_field)
        if limit is None:
            continue  # e.g. 到场 not required (按需)
        begin = clock_start(ticket, window, calendar)
        deadline = begin + timedelta(minutes=limit)
        stamp: datetime | None = getattr(ticket, stamp_field)
        remote = False
        if stamp_field == "arrived" and stamp is None and ticket.restored is not None and ticket.restored <= deadline:
            stamp, remote = ticket.restored, True  # fixed remotely in time: no visit was needed
        if stamp is not None and stamp <= deadline:
            met, decided = True, stamp
        elif stamp is not None or deadline <= export:
            met, decided = False, deadline
        else:
            met, decided = None, None
        out.append(LimitOutcome(ticket=ticket.id, level=ticket.severity, metric=metric, limit_minutes=limit,
                                clock_start=begin, deadline=deadline, stamp=stamp if met is not None else None,
                                met=met, decided=decided, remote=remote))
    data._memo[key] = out
    return out


def _sla_rows(sla: m.Sla, outcomes: list[LimitOutcome], pending: list[LimitOutcome]) -> list[SlaRow]:
    """The rows of a period from the limits decided in it and those still undecided at its end."""
    rows: list[SlaRow] = []
    for lv in sla.levels:
        for metric, _, limit_field in METRICS:
            limit: int | None = getattr(lv, limit_field)
            if limit is None:
                continue
            mine = [o for o in outcomes if o.level == lv.level and o.metric == metric]
            met = sum(1 for o in mine if o.met)
            attainment = pct(met, len(mine))
            rows.append(SlaRow(
                level=lv.level, metric=metric, target_minutes=limit, measured=len(mine), met=met,
                pending=sum(1 for o in pending if o.level == lv.level and o.metric == metric),
                attainment_pct=attainment, missed=len(mine) - met, target=lv.written[limit_field],
                ok=None if attainment is None else attainment >= sla.attainment_target_pct))
    return rows


# --------------------------------------------------------------------------- the figures

def period_metrics(data: m.Dataset, agreement_id: str, start: date, end: date) -> MonthMetrics:
    """All figures of `agreement_id` over [start, end] (both days included).

    Records of the period: tickets of the agreement OPENED in it; attendance events (by date),
    leave (every leave with time in the period, with its hours there: leave_hours_in) and
    personnel changes (by effective date) of the agreement's staff; the staff on post (on_post).
    A month only partly inside the term (month_metrics cuts it to the term) counts the minutes
    of its days in the term for availability and its fee prorated by days (prorated_fee), which
    is the base of its credits and deduction cap.

    Time limits (limit_outcomes): each limit of a ticket's level runs from the ticket's clock start
    (workdays.clock_start: the report time, or for a fault below 二级 reported outside a 5×8
    window, the window's next opening) in natural minutes, as the SLA annex states, to its
    deadline. It is met when its timestamp is at or before the deadline (exactly at it counts as
    met) and missed when the deadline passes first, whether a late timestamp came or none; a
    到场 limit without an arrival is met by a restore before its deadline (fixed remotely). Each
    limit counts in the period in which it is decided: a met one when its timestamp falls, a
    missed one at its deadline (SLA annex §3: 按时完成的工单数 ÷ 该级工单总数). A limit whose
    deadline is after the export (the latest timestamp of the ticket export) and which has no
    timestamp yet is undecided, and `pending` in the row of every period it is still open in.
    `breaches` lists every limit missed in the period; `carried` the tickets opened before the
    period and still open at its start, with their outcome. `open_tickets` are the period's
    tickets not closed by its end.
    Overall attainment (按工单计的时限达成率) = Σ met ÷ Σ measured over all rows; it is the sla
    dimension's base. Target attainment (SLA 指标达标率) = rows meeting attainment_target_pct ÷
    rows with something measured. MTTR = mean report → restore minutes over the period's restored
    incidents (not category 咨询与服务请求, not level P4), overall and per level.

    Availability, per system the SLA lists = (minutes of the period − Σ recorded downtime of that
    system's tickets in the period) ÷ minutes × 100, rounded to 0.01; downtime across a month
    end is split by month (downtime_by_month), so an outage reported in one month and restored
    in the next counts in both. The lowest system decides: it is compared with the target and
    the credit tiers (SLA annex: 多个系统未达标的，按最低的系统可用率计算). Credit tier = the
    smallest `below_pct` the availability is below; credit = the month's fee × credit_pct, plus, for
    each restore limit missed (decided) in the month of a level with restore_credit_pct, the month's
    fee × that pct; the sum is capped at credit_cap_pct of the month's fee.
    Deductions = policy amount of the event's kind × count,
    capped at monthly_cap_pct of the month's fee (the month's fee: prorated_fee). Over a range
    of several months, credits and caps apply month by month and the amounts are summed
    (credit_pct = the highest month tier).

    Scoring: each dimension is 0–100 (floor 0) and rounded to 0.01:
      sla          = overall attainment (100 when nothing measured), − 10 when availability
                     missed its target;
      staffing     = 100 − 5 × Σ attendance event counts;
      security     = 100 − 20 × P1/P2 tickets in category '安全事件';
      process      = closure (闭环) attainment over the closure rows (100 when nothing measured)
                     − 10 × P1 tickets of the period without a review (reviews.yaml);
      satisfaction = satisfied (score ≥ 4) ÷ responses × 100 (100 when there are no responses);
      improvement  = 100 − 10 × P1/P2 tickets that missed their restore limit
                     − 10 × improvement actions overdue at the period's end (improvements.yaml).
    Only the keys in policy.assessment.weights are scored. Each weighted part = weight ×
    dimension ÷ 100, rounded half up to 0.01, and score = Σ of the parts (so the printed parts add
    up to the printed score); grade = the first band whose min_score ≤ score. Over a range of N
    months the count penalties (staffing, security, improvement) use the count ÷ N, i.e. the monthly average, so
    a year is judged on the same per-month scale as a month.
    """
    ag = data.agreement(agreement_id)
    # the terms of the version the agreement applies for a period starting then (its contract's,
    # see Dataset.policy_applied); the working-day calendar of the version in force then
    sla, policy = ag.sla, data.policy_applied(ag, start)
    end_dt = datetime.combine(end, time.max)
    spanned = _months_spanned(start, end)
    n_months = Decimal(len(spanned))

    tickets = sorted((t for t in data.tickets if t.agreement == agreement_id and start <= t.opened.date() <= end),
                     key=lambda t: (t.opened, t.id))
    by_severity: dict[str, int] = {lv.level: 0 for lv in sla.levels}
    by_category: dict[str, int] = {}
    for t in tickets:
        by_severity[t.severity] = by_severity.get(t.severity, 0) + 1
        by_category[t.category] = by_category.get(t.category, 0) + 1

    calendar = WorkCalendar.of(data.policy_on(start))
    start_dt = datetime.combine(start, time.min)
    known = [t for t in data.tickets if t.agreement == agreement_id and t.opened <= end_dt]
    limits = [o for t in known for o in limit_outcomes(data, t)]
    decided = [o for o in limits if o.decided is not None and start_dt <= o.decided <= end_dt]
    undecided = [o for o in limits if o.decided is None or o.decided > end_dt]
    rows = _sla_rows(sla, decided, undecided)
    overall = pct(sum(r.met for r in rows), sum(r.measured for r in rows))
    judged = [r for r in rows if r.ok is not None]
    targets_met = sum(1 for r in judged if r.ok)
    breaches = sorted((o for o in decided if o.met is False), key=lambda o: (o.deadline, o.ticket, o.metric))
    open_tickets = [t for t in tickets if t.closed is None or t.closed > end_dt]
    carried = [CarriedTicket(ticket=t, closed_in_period=t.closed is not None and t.closed <= end_dt,
                             decided=[o for o in decided if o.ticket == t.id])
               for t in sorted(known, key=lambda t: (t.opened, t.id))
               if t.opened < start_dt and (t.closed is None or t.closed >= start_dt)]

    # MTTR over incidents (service requests and the lowest, 四级事件 level are not incidents)
    incidents = [(t, t.restored) for t in tickets if t.restored is not None and _is_incident(t)]
    mttr = _mean_minutes(incidents)
    mttr_by_level: dict[str, Decimal | None] = {
        lv.level: _mean_minutes([(t, r) for t, r in incidents if t.severity == lv.level])
        for lv in sla.levels if lv.level != SERVICE_LEVEL}

    # availability per listed system, the lowest deciding; service credits per month
    outages = [t for t in data.tickets if t.agreement == agreement_id and t.downtime_minutes
               and t.system in sla.availability_systems]
    systems = _systems(sla, outages, spanned, start, end)
    outage_rows = []
    for t in sorted(outages, key=lambda t: (t.opened, t.id)):
        here = sum(downtime_by_month(t).get(ym, 0) for ym in spanned)
        if here:
            span = int(_minutes(t.restored - t.opened)) if t.restored is not None else None
            outage_rows.append(Outage(ticket=t.id, system=t.system, opened=t.opened, restored=t.restored,
                                      downtime_minutes=here, recorded_minutes=t.downtime_minutes,
                                      span_minutes=span, short=_short_downtime(t)))
    availability = min(s.availability_pct for s in systems)
    availability_ok = availability >= sla.availability_target_pct
    fees: dict[tuple[int, int], Decimal] = {}
    credit_pct = Decimal(0)
    credit_amount = availability_credit = ZERO
    credit_capped = False
    limit_credits: list[LimitCredit] = []
    restore_pct = {lv.level: lv.restore_credit_pct for lv in sla.levels if lv.restore_credit_pct}
    for year, month in spanned:
        first, last = month_bounds(year, month)
        lo, hi = max(first, start), min(last, end)
        fee = fees[(year, month)] = prorated_fee(ag.fees.monthly, lo, hi)
        lowest = min(s.availability_pct for s in _systems(sla, outages, [(year, month)], lo, hi))
        tier = _credit_tier(sla, lowest)
        credit_pct = max(credit_pct, tier)
        missed = [LimitCredit(ticket=o.ticket, level=o.level, deadline=o.deadline, pct=restore_pct[o.level],
                            amount=q2(fee * restore_pct[o.level] / HUNDRED))
                for o in breaches if o.metric == RESTORE_METRIC and o.level in restore_pct
                and o.decided is not None and lo <= o.decided.date() <= hi]
        limit_credits += missed
        month_credit = q2(fee * tier / HUNDRED)
        availability_credit += month_credit
        month_credit += sum((c.amount for c in missed), ZERO)
        cap = q2(fee * sla.credit_cap_pct / HUNDRED)
        credit_capped = credit_capped or month_credit > cap
        credit_amount += min(month_credit, cap)

    # satisfaction
    votes = [t.satisfaction for t in tickets if t.satisfaction is not None]
    satisfied = sum(1 for v in votes if v >= 4)
    satisfaction_avg = q2(Decimal(sum(votes)) / len(votes)) if votes else None

    # attendance deductions (per month cap)
    staff_of = {s.id: s for s in data.staff if s.agreement == agreement_id}
    rules = {r.code: r for r in policy.deductions.rules}
    lines = [
        DeductionLine(date=e.date, staff=e.staff, staff_name=staff_of[e.staff].name, rule_code=e.kind,
                      rule_name=rules[e.kind].name, count=e.count, unit_amount=rules[e.kind].amount,
                      amount=q2(rules[e.kind].amount * e.count), record=e.id, note=e.note,
                      days=_event_days(e, rules[e.kind], data.post_window(staff_of[e.staff], policy), calendar),
                      after_leave=_unfinished_leave(data, e) if rules[e.kind].unit.endswith("天") else "")
        for e in sorted(data.attendance, key=lambda e: (e.date, e.id))
        if e.staff in staff_of and start <= e.date <= end
    ]
    total = sum((d.amount for d in lines), ZERO)
    month_caps = {ym: q2(fees[ym] * policy.deductions.monthly_cap_pct / HUNDRED) for ym in spanned}
    month_totals = {ym: sum((d.amount for d in lines if (d.date.year, d.date.month) == ym), ZERO) for ym in spanned}
    applied = sum((min(month_totals[ym], month_caps[ym]) for ym in spanned), ZERO)
    capped = any(month_totals[ym] > month_caps[ym] for ym in spanned)

    leave_hours = {r.id: leave_hours_in(r, start, end) for r in data.leave if r.staff in staff_of}
    leave = sorted((r for r in data.leave if leave_hours.get(r.id)), key=lambda r: (r.start, r.id))
    changes = sorted((c for c in data.changes if c.agreement == agreement_id and start <= c.effective <= end),
                     key=lambda c: (c.effective, c.id))

    # scores
    restore_limits: dict[str, int] = {lv.level: lv.restore for lv in sla.levels}
    closure_rows = [r for r in rows if r.metric == "闭环"]
    closure = pct(sum(r.met for r in closure_rows), sum(r.measured for r in closure_rows))
    events = sum(d.count for d in lines)
    security_incidents = sum(1 for t in tickets if t.category == SECURITY_CATEGORY and t.severity in MAJOR)
    restored = [(t, t.restored) for t in tickets if t.restored is not None]
    window = data.window_of(data.agreement(agreement_id))
    restore_misses = sum(1 for t, r in restored if t.severity in MAJOR and t.severity in restore_limits
                         and not elapsed_within(t, r, restore_limits[t.severity], window, calendar))
    satisfaction = pct(satisfied, len(votes))
    major = [MajorIncident(ticket=t, review=next((r for r in data.reviews if r.ticket == t.id), None))
             for t in tickets if t.severity == MAJOR[0]]
    unreviewed = sum(1 for x in major if x.review is None)
    actions = _actions(data, agreement_id, start, end)
    overdue = sum(1 for a in actions if a.status == "已逾期")
    dimensions: dict[str, Decimal] = {
        "sla": (HUNDRED if overall is None else overall) - (0 if availability_ok else 10),
        "staffing": HUNDRED - 5 * events / n_months,
        "security": HUNDRED - 20 * security_incidents / n_months,
        "process": (HUNDRED if closure is None else closure) - 10 * unreviewed / n_months,
        "satisfaction": HUNDRED if satisfaction is None else satisfaction,
        "improvement": HUNDRED - 10 * restore_misses / n_months - 10 * overdue / n_months,
    }
    per = "" if n_months == 1 else f" ÷ {n_months} 个月"
    closure_met = sum(r.met for r in closure_rows)
    closure_measured = sum(r.measured for r in closure_rows)
    basis = {
        "sla": (f"按工单计的时限达成率 {overall}%" if overall is not None else "无结果确定的时限，按 100 计")
               + ("" if availability_ok else "，可用率未达标扣 10 分"),
        "staffing": f"100 − 5 × 考勤不符合事项 {events} 次{per}",
        "security": f"100 − 20 × 一级、二级安全事件 {security_incidents} 起{per}",
        "process": (f"闭环时限达成 {closure_met} ÷ 计量 {closure_measured} × 100" if closure is not None
                    else "无结果确定的闭环时限，按 100 计")
                   + f" − 10 × 未提交复盘的一级故障 {unreviewed} 起{per}",
        "satisfaction": (f"满意评价（4 分及以上）{satisfied} ÷ 有效评价 {len(votes)} × 100" if votes
                         else "无有效评价，按 100 计"),
        "improvement": f"100 − 10 × 超出恢复时限的一级、二级工单 {restore_misses} 张{per}"
                       f" − 10 × 逾期未完成的改进措施 {overdue} 项{per}",
    }
    weights = policy.assessment.weights
    scores: dict[str, Decimal] = {w.key: q2(_clamp(dimensions[w.key])) for w in weights}
    weighted: dict[str, Decimal] = {w.key: q2(w.weight * scores[w.key] / HUNDRED) for w in weights}
    score = sum(weighted.values(), ZERO)  # the sum of the printed parts, so the table adds up
    score_grade = grade_for(policy, score)
    triggered = (overall is None or overall >= sla.attainment_target_pct, availability_ok, {d.rule_code for d in lines})
    grade, caps = capped_grade(policy, score_grade, *triggered)
    cap_grade = capped_grade(policy, policy.assessment.grades[0].name, *triggered)[0] if caps else None

    return MonthMetrics(
        period_start=start, period_end=end, ticket_count=len(tickets), by_severity=by_severity,
        by_category=dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
        sla_rows=rows, overall_attainment_pct=overall, mttr_minutes=mttr, open_tickets=open_tickets,
        outages=outage_rows, breaches=breaches, carried=carried, targets_met=targets_met, targets_total=len(judged),
        target_attainment_pct=pct(targets_met, len(judged)), mttr_by_level=mttr_by_level,
        availability_pct=availability, availability_target_pct=sla.availability_target_pct, systems=systems,
        availability_ok=availability_ok, credit_pct=credit_pct, credit_amount=credit_amount,
        availability_credit=availability_credit, limit_credits=tuple(limit_credits), credit_capped=credit_capped,
        limit_credit_total=sum((c.amount for c in limit_credits), ZERO),
        satisfaction_responses=len(votes), satisfied=satisfied, satisfaction_pct=satisfaction,
        satisfaction_avg=satisfaction_avg, deduction_lines=lines, deduction_total=total,
        deduction_cap=sum(month_caps.values(), ZERO), deduction_applied=applied, deduction_capped=capped,
        leave=leave, changes=changes, scores=scores, weighted=weighted, score=score, grade=grade,
        score_grade=score_grade, grade_caps=caps, cap_grade=cap_grade, basis={w.key: basis[w.key] for w in weights},
        problems=candidate_problems(data, agreement_id, start, end, policy.problems),
        complaints=[d for d in lines if d.rule_code == COMPLAINT],
        major=major, actions=actions,
        policy_version=policy.version, fee=sum(fees.values(), ZERO),
        settlement=settle(sum(fees.values(), ZERO), ag.fees.performance_share_pct, grade,
                          policy.assessment.performance_payout_pct, credit_amount, applied),
        staff=tuple(on_post(data, agreement_id, start, end)), days=(end - start).days + 1,
        partial_months=_partial_months(start, end),
        leave_hours={r.id: leave_hours[r.id] for r in leave})


def month_metrics(data: m.Dataset, agreement_id: str, year: int, month: int) -> MonthMetrics:
    """The figures of one calendar month (see `period_metrics` for every rule).

    Remembered with the data set: a month is read by its own report, the next three reports'
    trend tables and the annual report. Datasets are never changed, so a remembered result stays right.
    """
    key = ("month", agreement_id, year, month)
    hit = data._memo.get(key)
    if hit is None:
        start, end = term_part(data.agreement(agreement_id), *month_bounds(year, month))
        hit = data._memo[key] = period_metrics(data, agreement_id, start, end)
    return hit


def records_span(data: m.Dataset) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """First and last month that the ticket and attendance exports cover (any agreement)."""
    seen = {(t.opened.year, t.opened.month) for t in data.tickets}
    seen |= {(e.date.year, e.date.month) for e in data.attendance}
    return (min(seen), max(seen)) if seen else None


def data_months(data: m.Dataset, agreement_id: str) -> list[tuple[int, int]]:
    """The months a report is due for, oldest first: every month of the agreement's term that
    the exports cover, from their first month to their last, a month without any of its
    tickets or attendance events included (a quiet month is reported as quiet)."""
    ag = data.agreement(agreement_id)
    span = records_span(data)
    if span is None:
        return []
    first = max(span[0], (ag.start.year, ag.start.month))
    last = min(span[1], (ag.end.year, ag.end.month))
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def quarter_score(months: Sequence[MonthMetrics]) -> Decimal:
    """Mean of the month scores (0.01); a quarter needs at least one month."""
    if not months:
        raise ValueError("a quarter score needs at least one month")
    return q2(sum((mm.score for mm in months), Decimal(0)) / len(months))


def trend(data: m.Dataset, agreement_id: str, year: int, month: int, n: int = 3) -> list[MonthMetrics]:
    """Up to `n` earlier months that have data, then this month, oldest first."""
    earlier = [ym for ym in data_months(data, agreement_id) if ym < (year, month)][-n:] if n > 0 else []
    return [month_metrics(data, agreement_id, y, mo) for y, mo in [*earlier, (year, month)]]


def _months_between(start: date, month_start: date) -> int:
    return (month_start.year - start.year) * 12 + month_start.month - start.month


def _quarter_span(cy: ContractYear, qi: int) -> str:
    first = _add_months(date(cy.start.year, cy.start.month, 1), 3 * qi)
    last = _add_months(first, 2)
    return f"{first.year}年{first.month}月—{last.year}年{last.month}月"


def settle_quarters(data: m.Dataset, agreement: m.Agreement, cy: ContractYear, months: Sequence[MonthMetrics],
                    quarters: Sequence[Quarter]) -> list[tuple[Quarter, Settlement]]:
    """Each quarter's fee settled as the contract says: the performance part of the quarter's fees
    is paid at the payout the policy gives the quarter's grade; credits and deductions are the
    sums of its months. The payout is that of the version the agreement applies for the quarter's
    first month."""
    out = []
    for q in quarters:
        in_q = [mm for mm in months if _months_between(cy.start, mm.period_start) // 3 + 1 == q.number]
        payouts = data.policy_applied(agreement, in_q[0].period_start).assessment.performance_payout_pct
        out.append((q, settle(sum((mm.fee for mm in in_q), ZERO), agreement.fees.performance_share_pct, q.grade,
                              payouts, sum((mm.credit_amount for mm in in_q), ZERO),
                              sum((mm.deduction_applied for mm in in_q), ZERO))))
    return out


def _longest_fail_run(quarters: list[Quarter], fail_grade: str) -> int:
    """Longest run of calendar-adjacent quarters graded `fail_grade` (a quarter without data breaks the run)."""
    run = longest = 0
    previous = 0
    for q in quarters:
        if q.grade == fail_grade:
            run = run + 1 if q.number == previous + 1 and run else 1
        else:
            run = 0
        previous = q.number
        longest = max(longest, run)
    return longest


@dataclass(frozen=True)
class ContractYear:
    """Twelve months of an agreement's term from its start date (the last one may be shorter)."""

    start: date
    end: date

    @property
    def key(self) -> int:
        """The calendar year it starts in: how commands and file names call it."""
        return self.start.year

    @property
    def calendar_aligned(self) -> bool:
        return (self.start.month, self.start.day) == (1, 1) and self.end == date(self.start.year, 12, 31)

    @property
    def label(self) -> str:
        if self.calendar_aligned:
            return f"{self.start.year}年度"
        return f"{self.start.year}年{self.start.month}月至{self.end.year}年{self.end.month}月合同年度"

    def holds(self, year: int, month: int) -> bool:
        return (self.start.year, self.start.month) <= (year, month) <= (self.end.year, self.end.month)


def contract_years(agreement: m.Agreement) -> list[ContractYear]:
    """The agreement's contract years: from its start date, twelve months each, the last ending
    with the term."""
    years, start = [], agreement.start
    while start <= agreement.end:
        following = _add_months(start, 12)
        end = min(following - timedelta(days=1), agreement.end)
        years.append(ContractYear(start, end))
        start = following
    return years


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    target_year, target_month = day.year + year, month + 1
    last = month_bounds(target_year, target_month)[1].day
    return date(target_year, target_month, min(day.day, last))


def contract_year(data: m.Dataset, agreement_id: str, key: int) -> ContractYear:
    """The contract year of `agreement_id` that starts in calendar year `key`."""
    for cy in contract_years(data.agreement(agreement_id)):
        if cy.key == key:
            return cy
    raise ValueError(f"agreement {agreement_id} has no contract year starting in {key}")


def year_metrics(data: m.Dataset, agreement_id: str, year: int) -> YearMetrics:
    """Monthly and quarterly scores, the annual score and grade, and the renewal recommendation
    of the contract year that starts in calendar year `year` (see contract_years; for an agreement
    from 1 January it is the calendar year).

    Months: those of the contract year that the records cover (data_months: quiet months
    included). Quarters: three months each from the contract year's start. Quarter score =
    mean of its months. Review = `period_metrics` over the first to the last of those months.
    Annual score = quarter mean × annual_quarters_pct/100 + review × (100 − annual_quarters_pct)/100.
    Renewal: only once the records cover the contract year's last month ('考核期未结束' before);
    then '建议终止合作' when the longest run of consecutive failing quarters reaches
    terminate_after_consecutive_fails; else '不建议续约' when the annual grade fails; else
    '整改后续约' when it is '合格'; else '建议续约'.
    """
    cy = contract_year(data, agreement_id, year)
    months_of_year = [(y, mo) for y, mo in data_months(data, agreement_id) if cy.holds(y, mo)]
    first = date(*months_of_year[0], 1) if months_of_year else cy.start
    ag = data.agreement(agreement_id)
    policy = data.policy_applied(ag, first)  # the year's assessment: the version applied for its first month
    assessment = policy.assessment
    months = [month_metrics(data, agreement_id, y, mo) for y, mo in months_of_year]
    quarters: list[Quarter] = []
    for qi in range(4):
        in_q = [mm for mm in months if _months_between(cy.start, mm.period_start) // 3 == qi]
        if in_q:
            score = quarter_score(in_q)
            label = (f"{year}年第{QUARTER_NAMES[qi]}季度" if cy.calendar_aligned else
                     f"合同年度第{QUARTER_NAMES[qi]}季度（{_quarter_span(cy, qi)}）")
            quarters.append(Quarter(label=label, months=len(in_q), score=score,
                                    grade=quarter_grade(data.policy_applied(ag, in_q[0].period_start), score, in_q),
                                    number=qi + 1))
    review = period_metrics(data, agreement_id, months[0].period_start, months[-1].period_end) if months else None
    share = assessment.annual_quarters_pct
    if review is not None and quarters:
        quarter_mean = q2(sum((q.score for q in quarters), Decimal(0)) / len(quarters))
        review_score = review.score
        annual = q2(quarter_mean * share / HUNDRED + review_score * (HUNDRED - share) / HUNDRED)
    else:  # no data in the year: nothing to hold against the vendor (the empty-month rules give 100)
        quarter_mean = review_score = annual = q2(HUNDRED)
    annual_grade = grade_for(policy, annual)
    longest = _longest_fail_run(quarters, assessment.fail_grade)
    limit = assessment.terminate_after_consecutive_fails
    span = records_span(data)
    complete = span is not None and span[1] >= (cy.end.year, cy.end.month)
    if not complete:
        renewal = "考核期未结束"
        reason = (f"{cy.label}自{cy.start.year}年{cy.start.month}月{cy.start.day}日至{cy.end.year}年{cy.end.month}月"
                  f"{cy.end.day}日，现有记录仅覆盖其中 {len(months)} 个月；续约建议待考核期满、全年记录齐备后给出。")
    elif longest >= limit:
        renewal = "建议终止合作"
        reason = (f"{year}年度连续 {longest} 个季度考核等级为“{assessment.fail_grade}”，"
                  f"已达到管理办法规定的连续 {limit} 个季度不合格即可解除合同的条件。")
    elif annual_grade == assessment.fail_grade:
        renewal = "不建议续约"
        reason = (f"年度综合得分 {annual} 分，考核等级为“{annual_grade}”，"
                  "服务质量未达到合同约定的要求。")
    elif annual_grade == "合格":
        renewal = "整改后续约"
        reason = (f"年度综合得分 {annual} 分，考核等级为“合格”，"
                  "乙方须就失分项提交整改计划并经甲方确认后方可续约。")
    else:
        renewal = "建议续约"
        reason = (f"年度综合得分 {annual} 分，考核等级为“{annual_grade}”，"
                  "且无连续不合格季度，服务质量满足合同要求。")
    return YearMetrics(
        year=year, months=months, quarters=quarters, review=review, review_score=review_score,
        quarter_mean=quarter_mean, annual_score=annual, annual_grade=annual_grade,
        total_tickets=sum(mm.ticket_count for mm in months),
        total_deductions=sum((mm.deduction_applied for mm in months), ZERO),
        total_credits=sum((mm.credit_amount for mm in months), ZERO),
        policy_version=policy.version, month_versions=tuple(dict.fromkeys(mm.policy_version for mm in months)),
        consecutive_fail_quarters=longest, renewal=renewal, renewal_reason=reason)
