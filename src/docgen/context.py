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


# Declared shapes of each context, used by `docgen templates check` to type-check every tag.

class DocInfo(TypedDict):
    number: str


class Payment(TypedDict):
    stage: str
    percent: Decimal
    condition: str
    amount: Decimal


class AgreementFigures(TypedDict):
    term_months: int
    performance_amount: Decimal
    base_amount: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    bond_amount: Decimal
    deduction_cap_amount: Decimal
    credit_cap_amount: Decimal
    payments: list[Payment]
    grade_bands: list[str]


class AgreementContext(TypedDict):
    client: m.Client
    vendor: m.Vendor
    agreement: m.Agreement
    policy: m.Policy
    calc: AgreementFigures
    cap_text: dict[str, str]
    doc: DocInfo


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


def grade_bands(policy: m.Policy) -> list[str]:
    """Each grade with its score range: '优秀（90 分及以上）', '良好（80 分及以上、不满 90 分）', …,
    '不合格（60 分以下）' (the last band starts at 0, as validation requires)."""
    grades = policy.assessment.grades
    out = []
    for i, g in enumerate(grades):
        if i == 0:
            out.append(f"{g.name}（{g.min_score} 分及以上）")
        elif i == len(grades) - 1:
            out.append(f"{g.name}（{grades[i - 1].min_score} 分以下）")
        else:
            out.append(f"{g.name}（{g.min_score} 分及以上、不满 {grades[i - 1].min_score} 分）")
    return out


def agreement_figures(agreement: m.Agreement, policy: m.Policy) -> dict[str, Any]:
    """Derived amounts shown in the contract, the SLA annex and the NDA."""
    fees = agreement.fees
    performance = pct_of(fees.total, fees.performance_share_pct)
    payments = []
    remaining = fees.total
    for i, inst in enumerate(fees.payment):
        amount = remaining if i == len(fees.payment) - 1 else pct_of(fees.total, inst.percent)
        remaining -= amount
        payments.append({"stage": inst.stage, "percent": inst.percent, "condition": inst.condition, "amount": amount})
    tax = (fees.total * fees.tax_rate_pct / (Decimal(100) + fees.tax_rate_pct)).quantize(CENT, rounding=ROUND_HALF_UP)
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
        "grade_bands": grade_bands(policy),
    }


def agreement_context(dataset: m.Dataset, agreement: m.Agreement, doc_number: str) -> dict[str, Any]:
    """Context of the contract, SLA annex and NDA of one agreement."""
    return {
        "client": dataset.client.model_dump(),
        "vendor": dataset.vendor(agreement.vendor).model_dump(),
        "agreement": agreement.model_dump(),
        "policy": dataset.policy_for_agreement(agreement).model_dump(),
        "calc": agreement_figures(agreement, dataset.policy_for_agreement(agreement)),
        "cap_text": cap_texts(dataset.policy_for_agreement(agreement)),
        "doc": {"number": doc_number},
    }


def cap_texts(policy: m.Policy) -> dict[str, str]:
    """What each grade cap's condition is, in the contract's words."""
    rules = {r.code: r.name for r in policy.deductions.rules}
    return {cap.when: m.CAP_CONDITIONS.get(cap.when) or f"当月发生“{rules.get(cap.when, cap.when)}”"
            for cap in policy.assessment.grade_caps}


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
        "doc": {"number": f"QJ-{leave.id}"},
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
        "doc": {"number": f"BG-{change.id}"},
    }
