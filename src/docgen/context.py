"""Build the template context of each document kind from the validated models.

Why: this is the only place where models become dicts. Figures that a document shows but the
data does not hold (payment amounts, bond, caps) are computed here with Decimal, so templates
only format values and never compute them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from . import models as m
from .workdays import WorkCalendar

CENT = Decimal("0.01")
NDA_MINOR_PCT = Decimal(5)   # of nda.liquidated_damages: a breach of a duty that disclosed nothing
NDA_LEAK_PCT = Decimal(50)   # … a disclosure by negligence; an intentional one owes the full amount


# Declared shapes of each context, used by `docgen templates check` to type-check every tag.

class DocInfo(TypedDict):
    number: str


class Payment(TypedDict):
    stage: str
    percent: Decimal
    """of the total (for an instalment by months: its amount's share, to 0.01)"""
    months: int | None
    condition: str
    amount: Decimal
    base: Decimal
    performance: Decimal


class Payout(TypedDict):
    grade: str
    min_score: Decimal | None
    """the band's lowest score; None for the last band (from 0)"""
    below: Decimal | None
    """the next grade's lowest score, which the band stays below; None for the top band"""
    pct: Decimal


class AnnexRef(TypedDict):
    kind: str
    label: str
    title: str
    number: str


class WindowInfo(TypedDict):
    name: str
    round_the_clock: bool
    days: str
    days_text: str
    hours: str


class AgreementFigures(TypedDict):
    window: WindowInfo
    term_months: int
    performance_amount: Decimal
    base_amount: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    bond_amount: Decimal
    deduction_cap_amount: Decimal
    credit_cap_amount: Decimal
    payments: list[Payment]
    payouts: list[Payout]
    deemed_grade: str
    rules: list[m.DeductionRule]
    restore_credits: list[m.SlaLevel]
    nda_minor: Decimal
    nda_leak: Decimal


class AgreementContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    policy: m.Policy
    calc: AgreementFigures
    rule_names: dict[str, str]
    doc: DocInfo
    annexes: list[AnnexRef]
    staff: list[m.StaffMember]


class LeaveFigures(TypedDict):
    needs_letter: bool
    needs_substitute: bool


class LeaveContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    person: m.StaffMember
    leave: m.LeaveRequest
    substitute: m.StaffMember | None
    policy: m.Policy
    calc: LeaveFigures
    doc: DocInfo


class ChangeFigures(TypedDict):
    notice_workdays: int
    required_workdays: int
    notice_ok: bool


class ChangeContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    change: m.PersonnelChange
    old: m.StaffMember | None
    policy: m.Policy
    calc: ChangeFigures
    doc: DocInfo


def pct_of(amount: Decimal, pct: Decimal) -> Decimal:
    """`pct` percent of `amount`, rounded half-up to the fen."""
    return (amount * pct / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def months_between(start: date, end: date) -> int:
    """Whole months of a term whose last day is `end`: 2026-01-01..2026-12-31 → 12."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    return months if after.day >= start.day else months - 1


def window_info(window: m.ServiceWindow) -> dict[str, Any]:
    """The service window as the documents state it (workdays.days_text)."""
    from .workdays import days_text

    return {"name": window.name, "round_the_clock": window.round_the_clock, "days": window.days,
            "days_text": days_text(window), "hours": window.hours}


def agreement_figures(agreement: m.Agreement, policy: m.Policy,
                      window: m.ServiceWindow | None = None) -> dict[str, Any]:
    """Derived amounts shown in the contract and its annexes.

    Each instalment is split into its base part and its performance part (the performance
    share of the instalment, paid by the grade of the quarters it covers); the last instalment
    and the last performance part take the rest, so the parts add up to the fen."""
    fees = agreement.fees
    performance = pct_of(fees.total, fees.performance_share_pct)
    payments = []
    remaining, remaining_perf = fees.total, performance
    for i, inst in enumerate(fees.payment):
        last = i == len(fees.payment) - 1
        if inst.months is not None:  # by months of service: monthly fee × months
            amount = fees.monthly * inst.months
            share = (amount * 100 / fees.total).quantize(CENT, rounding=ROUND_HALF_UP) if fees.total else Decimal(0)
        else:
            amount = remaining if last else pct_of(fees.total, inst.percent or Decimal(0))
            share = inst.percent or Decimal(0)
        perf = remaining_perf if last else pct_of(amount, fees.performance_share_pct)
        remaining -= amount
        remaining_perf -= perf
        payments.append({"stage": inst.stage, "percent": share, "months": inst.months, "condition": inst.condition,
                         "amount": amount, "base": amount - perf, "performance": perf})
    tax = (fees.total * fees.tax_rate_pct / (Decimal(100) + fees.tax_rate_pct)).quantize(CENT, rounding=ROUND_HALF_UP)
    payout = policy.assessment.performance_payout_pct
    grades = policy.assessment.grades
    # the templates word the bands ("80 分及以上、不满 90 分") from these numbers
    payouts = [{"grade": g.name, "min_score": None if i == len(grades) - 1 else g.min_score,
                "below": None if i == 0 else grades[i - 1].min_score, "pct": payout.get(g.name, Decimal(0))}
               for i, g in enumerate(grades)]
    full = [p["grade"] for p in payouts if p["pct"] == 100]
    return {
        "term_months": months_between(agreement.start, agreement.end),
        "performance_amount": performance,
        "base_amount": fees.total - performance,
        "tax_amount": tax,
        "net_amount": fees.total - tax,
        "bond_amount": pct_of(fees.total, agreement.performance_bond_pct),
        "deduction_cap_amount": pct_of(fees.monthly, policy.deductions.monthly_cap_pct),
        "credit_cap_amount": pct_of(fees.monthly, agreement.sla.credit_cap_pct),
        "payments": payments,
        "payouts": payouts,
        # an assessment not given in time counts as the lowest grade that is paid in full
        "deemed_grade": full[-1] if full else grades[0].name,
        # the deduction rules that apply to this agreement's service window
        "rules": [r.model_dump() for r in policy.deductions.rules
                  if not r.windows or agreement.sla.service_window in r.windows],
        "restore_credits": [{**lv.model_dump(), "written": lv.written} for lv in agreement.sla.levels
                            if lv.restore_credit_pct],
        # NDA 违约金 by severity: a breach of a duty with no disclosure, a disclosure, an
        # intentional disclosure or sale (the full amount the agreement sets)
        "nda_minor": pct_of(agreement.nda.liquidated_damages, NDA_MINOR_PCT),
        "nda_leak": pct_of(agreement.nda.liquidated_damages, NDA_LEAK_PCT),
        "window": window_info(window or m.resolve_window(
            agreement.sla, policy.vocabulary.window(agreement.sla.service_window))),
    }


# The annexes a contract lists, in their fixed numbering: (kind, label, title, number suffix).
ANNEXES = (
    ("scope", "附件一", "服务清单", "-SCOPE"),
    ("sla", "附件二", "服务等级协议", "-SLA"),
    ("nda", "附件三", "保密协议", "-NDA"),
    ("assessment", "附件四", "考核办法", "-KPI"),
    ("staffing", "附件五", "驻场人员清单", "-STAFF"),
    ("pricing", "附件六", "报价明细", "-PRICE"),
)


def annexes_in_pack(dataset: m.Dataset, contract_no: str = "") -> list[AnnexRef]:
    """The annexes the contract pack holds, in annex order: the contract's 附件清单 is made from
    them, so the list and the pack cannot disagree. Without a per-agreement bundle that holds the
    contract, every annex (each is made as a document of its own anyway)."""
    packs = [b for b in dataset.bundles if b.per == "agreement" and "contract" in b.kinds]
    held = {k for b in packs for k in b.kinds} if packs else {a[0] for a in ANNEXES}
    return [{"kind": kind, "label": label, "title": title, "number": f"{contract_no}{suffix}"}
            for kind, label, title, suffix in ANNEXES if kind in held]


def initial_staff(dataset: m.Dataset, agreement: m.Agreement) -> list[m.StaffMember]:
    """The staff the agreement starts with (附件五): its staff, less those who joined through a
    recorded 新增 or 替换 (their 变更登记表 documents them)."""
    joined = {(c.new_person.name) for c in dataset.changes
              if c.agreement == agreement.id and c.new_person is not None}
    return [s for s in dataset.staff if s.agreement == agreement.id and s.name not in joined]


def agreement_dump(agreement: m.Agreement) -> dict[str, Any]:
    """The agreement as the templates read it: its fields, and each SLA level's time limits as
    the data writes them (SlaLevel.written)."""
    out = agreement.model_dump()
    for level, dumped in zip(agreement.sla.levels, out["sla"]["levels"], strict=True):
        dumped["written"] = level.written
    return out


def agreement_context(dataset: m.Dataset, agreement: m.Agreement, doc_number: str) -> dict[str, Any]:
    """Context of the contract and its annexes of one agreement."""
    policy = dataset.policy_for_agreement(agreement)
    return {
        "client": dataset.client.model_dump(),
        "vendor": dataset.vendor(agreement.vendor).model_dump(),
        "agreement": agreement_dump(agreement),
        "policy": policy.model_dump(),
        "calc": agreement_figures(agreement, policy, dataset.window_of(agreement)),
        "rule_names": {r.code: r.name for r in policy.deductions.rules},
        "doc": {"number": doc_number},
        "annexes": annexes_in_pack(dataset, agreement.contract_no),
        "staff": [s.model_dump() for s in initial_staff(dataset, agreement)],
    }


def form_number(prefix: str, record_id: str) -> str:
    """A form's number: its record id under the form's prefix, once ('QJ-001' stays 'QJ-001',
    '7' becomes 'QJ-7')."""
    return record_id if record_id.upper().startswith(f"{prefix}-") else f"{prefix}-{record_id}"


def leave_context(dataset: m.Dataset, leave: m.LeaveRequest) -> dict[str, Any]:
    """Context of a 请销假登记表."""
    person = dataset.staff_member(leave.staff)
    policy = dataset.policy_on(leave.start.date())
    rules = policy.leave
    substitute = dataset.staff_member(leave.substitute) if leave.substitute else None
    return {
        "client": dataset.client.model_dump(),
        "vendor": dataset.vendor(person.vendor).model_dump(),
        "agreement": dataset.agreement(person.agreement).model_dump(),
        "person": person.model_dump(),
        "leave": leave.model_dump(),
        "substitute": substitute.model_dump() if substitute else None,
        "policy": policy.model_dump(),
        "calc": {
            "needs_letter": leave.hours > rules.letter_over_hours,
            "needs_substitute": leave.hours > rules.substitute_over_hours,
        },
        "doc": {"number": form_number("QJ", leave.id)},
    }


def change_context(dataset: m.Dataset, change: m.PersonnelChange) -> dict[str, Any]:
    """Context of a 人员变更登记表, with the notice-period check of the policy."""
    agreement = dataset.agreement(change.agreement)
    old = dataset.staff_member(change.old_staff) if change.old_staff else None
    policy = dataset.policy_on(change.requested)
    notice = WorkCalendar.of(policy).workdays_between(change.requested, change.effective)
    required = policy.change.notice_workdays
    return {
        "client": dataset.client.model_dump(),
        "vendor": dataset.vendor(agreement.vendor).model_dump(),
        "agreement": agreement.model_dump(),
        "change": change.model_dump(),
        "old": old.model_dump() if old else None,
        "policy": policy.model_dump(),
        "calc": {"notice_workdays": notice, "required_workdays": required, "notice_ok": notice >= required},
        "doc": {"number": form_number("BG", change.id)},
    }


class SupplementTerm(TypedDict):
    where: str
    what: str
    old: str
    new: str


class Revision(TypedDict):
    title: str
    version: str
    previous: str
    effective_date: date


class SupplementContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    doc: DocInfo
    terms: list[SupplementTerm]
    revision: Revision | None


def supplement_context(dataset: m.Dataset, agreement: m.Agreement, doc_number: str,
                       terms: list[dict[str, str]], revision: dict[str, Any] | None) -> dict[str, Any]:
    """Context of the 补充协议 drafted for a signed agreement whose terms the data has changed:
    `terms` are the changed terms (what, old, new), `revision` the policy version that brings
    them (title, version, previous, effective_date), or None for a change of the agreement's own terms."""
    return {
        "client": dataset.client.model_dump(),
        "vendor": dataset.vendor(agreement.vendor).model_dump(),
        "agreement": agreement_dump(agreement),
        "doc": {"number": doc_number},
        "terms": [{"where": t["where"], "what": t["what"], "old": t["old"], "new": t["new"]} for t in terms],
        "revision": revision,
    }
