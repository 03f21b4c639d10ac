"""Decide which documents the data calls for: one Job per output document.

Why: every command (render, report, build) works from the same list of jobs, so a new
document kind joins them all by adding one entry to KINDS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import context as ctx
from . import models as m
from .errors import DocgenError, TemplateError

def _shipped_templates() -> Path:
    """The templates that come with docgen: `templates/` of a checkout, or the copy a plain
    `pip install` puts beside the code (the package docgen_templates)."""
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "contracts").is_dir():
        return checkout
    from importlib.util import find_spec

    spec = find_spec("docgen_templates")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return checkout


TEMPLATE_DIR = _shipped_templates()


@dataclass(frozen=True)
class Kind:
    """A kind of document: its template and how to find its instances in the data."""

    name: str
    template: str
    title: str
    group: str
    instances: Callable[[m.Dataset], Iterator[Job]]
    context_type: type = dict

    @property
    def template_path(self) -> Path:
        return TEMPLATE_DIR / self.template


@dataclass(frozen=True)
class Job:
    """One document to make."""

    kind: str
    key: str
    title: str
    template: Path
    output: str = field(compare=False)
    build_context: Callable[[], dict[str, Any]] = field(compare=False, repr=False)
    inputs: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    vendor: str = ""
    subject: str = ""
    tags: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def policy_parts(policy: m.Policy, sections: tuple[str, ...]) -> dict[str, Any]:
    """Inputs for the policy sections a document uses, labelled as the dry run reports them."""
    parts: dict[str, Any] = {"policy.yaml:version": (policy.version, policy.effective_date, policy.title)}
    for section in sections:
        parts[f"policy.yaml:{section}"] = getattr(policy, section)
    return parts


def _agreement_jobs(kind: str, template: str, title: str, suffix: str,
                    policy_sections: tuple[str, ...] | None) -> Callable[[m.Dataset], Iterator[Job]]:
    def instances(data: m.Dataset) -> Iterator[Job]:
        for ag in data.agreements:
            number = f"{ag.contract_no}{suffix}"
            vendor = data.vendor(ag.vendor)
            yield Job(
                kind=kind,
                key=ag.id,
                title=title,
                template=TEMPLATE_DIR / template,
                output=f"contracts/{ag.id}/{number}_{title}",
                build_context=lambda ag=ag, number=number: ctx.agreement_context(data, ag, number),
                inputs={
                    "client.yaml": data.client,
                    f"vendors.yaml:{vendor.id}": vendor,
                    f"agreements.yaml:{ag.id}": ag,
                    **(policy_parts(data.policy, policy_sections) if policy_sections is not None else {}),
                },
                tags={"agreement": ag.id, "vendor": vendor.id, "group": vendor.short_name},
                vendor=vendor.id,
                subject=f"{vendor.name} · {ag.project_name}",
            )
    return instances


def _form_job(data: m.Dataset, *, kind: str, key: str, title: str, stem: str, month: str, vendor: m.Vendor,
              agreement: m.Agreement, records: dict[str, Any], build_context: Callable[[], dict[str, Any]],
              subject: str) -> Job:
    """A one-page form filed under its month; it depends on its own records and its policy section."""
    return Job(
        kind=kind, key=key, title=title, template=TEMPLATE_DIR / f"forms/{kind}_form.docx",
        output=f"forms/{month}/{stem}_{key}", build_context=build_context,
        inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor,
                f"agreements.yaml:{agreement.id}": agreement, **records, **policy_parts(data.policy, (kind,))},
        tags={"vendor": vendor.id, "group": vendor.short_name, "month": month, "agreement": agreement.id},
        subject=subject,
    )


def _leave_jobs(data: m.Dataset) -> Iterator[Job]:
    for leave in data.leave:
        person = data.staff_member(leave.staff)
        substitute = {f"staff.yaml:{leave.substitute}": data.staff_member(leave.substitute)} if leave.substitute else {}
        yield _form_job(
            data, kind="leave", key=leave.id, title="运维人员请销假登记表", stem="请销假", month=f"{leave.start:%Y-%m}",
            vendor=data.vendor(person.vendor), agreement=data.agreement(person.agreement),
            records={f"staff.yaml:{person.id}": person, f"leave.yaml:{leave.id}": leave, **substitute},
            build_context=lambda leave=leave: ctx.leave_context(data, leave), subject=f"{person.name} · {leave.type}")


def _change_jobs(data: m.Dataset) -> Iterator[Job]:
    for change in data.changes:
        ag = data.agreement(change.agreement)
        vendor = data.vendor(ag.vendor)
        old = {f"staff.yaml:{change.old_staff}": data.staff_member(change.old_staff)} if change.old_staff else {}
        yield _form_job(
            data, kind="change", key=change.id, title="运维人员变更登记表", stem="人员变更",
            month=f"{change.effective:%Y-%m}", vendor=vendor, agreement=ag,
            records={f"changes.yaml:{change.id}": change, **old},
            build_context=lambda change=change: ctx.change_context(data, change),
            subject=f"{vendor.short_name} · {change.type}")


def _records_of(data: m.Dataset, agreement_id: str, months: list[tuple[int, int]]) -> dict[str, Any]:
    """The records a report over `months` reads, labelled by file, so a change names its source."""
    staff = [s for s in data.staff if s.agreement == agreement_id]
    ids = {s.id for s in staff}
    inside = set(months)
    return {
        f"staff.yaml:{agreement_id}": staff,
        f"tickets.csv:{agreement_id}": [t for t in data.tickets if t.agreement == agreement_id
                                        and (t.opened.year, t.opened.month) in inside],
        f"attendance.csv:{agreement_id}": [e for e in data.attendance if e.staff in ids
                                           and (e.date.year, e.date.month) in inside],
        f"leave.yaml:{agreement_id}": [r for r in data.leave if r.staff in ids
                                       and (r.start.year, r.start.month) in inside],
        f"changes.yaml:{agreement_id}": [c for c in data.changes if c.agreement == agreement_id
                                         and (c.effective.year, c.effective.month) in inside],
    }


def _report_type(name: str) -> type:
    from . import reports

    return getattr(reports, f"{name}Context")  # type: ignore[no-any-return]


def _monthly_jobs(data: m.Dataset) -> Iterator[Job]:
    from . import reports
    from .metrics import data_months

    for ag in data.agreements:
        vendor = data.vendor(ag.vendor)
        months = data_months(data, ag.id)
        for i, (year, month) in enumerate(months):
            key = f"{year}-{month:02d}"
            window = months[max(0, i - 3): i + 1]
            yield Job(
                kind="monthly", key=f"{ag.id}-{key}", title="月度运维服务报告",
                template=TEMPLATE_DIR / "forms/monthly_report.docx",
                output=f"reports/{key}/月度运维服务报告_{vendor.short_name}_{ag.id}_{key}",
                build_context=lambda ag=ag, year=year, month=month: reports.monthly_context(data, ag, year, month),
                inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor, f"agreements.yaml:{ag.id}": ag,
                        **_records_of(data, ag.id, window),
                        **policy_parts(data.policy, ("deductions", "assessment"))},
                tags={"vendor": vendor.id, "group": vendor.short_name, "month": key, "agreement": ag.id},
                subject=f"{vendor.name} · {year}年{month}月",
            )


def _annual_jobs(data: m.Dataset) -> Iterator[Job]:
    from . import reports
    from .metrics import data_months

    for ag in data.agreements:
        vendor = data.vendor(ag.vendor)
        for year in sorted({y for y, _ in data_months(data, ag.id)}):
            months = [(y, mo) for y, mo in data_months(data, ag.id) if y == year]
            yield Job(
                kind="annual", key=f"{ag.id}-{year}", title="年度运维服务报告",
                template=TEMPLATE_DIR / "forms/annual_report.docx",
                output=f"reports/{year}/年度运维服务报告_{vendor.short_name}_{ag.id}_{year}",
                build_context=lambda ag=ag, year=year: reports.annual_context(data, ag, year),
                inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor, f"agreements.yaml:{ag.id}": ag,
                        **_records_of(data, ag.id, months),
                        **policy_parts(data.policy, ("deductions", "assessment"))},
                tags={"vendor": vendor.id, "group": vendor.short_name, "year": str(year), "agreement": ag.id},
                subject=f"{vendor.name} · {year}年度",
            )


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("contract", "contracts/service_contract.docx", "运维外包服务合同", "contracts",
             _agreement_jobs("contract", "contracts/service_contract.docx", "运维外包服务合同", "",
                             ("deductions", "leave", "change", "assessment")), ctx.AgreementContext),
        Kind("sla", "contracts/sla_annex.docx", "服务等级协议", "contracts",
             _agreement_jobs("sla", "contracts/sla_annex.docx", "服务等级协议", "-SLA", ("deductions",)),
             ctx.AgreementContext),
        Kind("nda", "contracts/nda.docx", "保密协议", "contracts",
             _agreement_jobs("nda", "contracts/nda.docx", "保密协议", "-NDA", None), ctx.AgreementContext),
        Kind("leave", "forms/leave_form.docx", "运维人员请销假登记表", "forms", _leave_jobs, ctx.LeaveContext),
        Kind("change", "forms/change_form.docx", "运维人员变更登记表", "forms", _change_jobs, ctx.ChangeContext),
        Kind("monthly", "forms/monthly_report.docx", "月度运维服务报告", "reports", _monthly_jobs, _report_type("Monthly")),
        Kind("annual", "forms/annual_report.docx", "年度运维服务报告", "reports", _annual_jobs, _report_type("Annual")),
    )
}


def plan(data: m.Dataset, kinds: list[str] | None = None) -> list[Job]:
    """Every document the data calls for, in a stable order.

    Raises TemplateError when the template of a kind asked for (every kind by default) is
    missing, and DocgenError when two documents would be written to one path.
    """
    missing = [f"{kind.template_path} ({kind.title})" for name, kind in KINDS.items()
               if (kinds is None or name in kinds) and not kind.template_path.is_file()]
    if missing:
        raise TemplateError("template not found: " + "; ".join(missing)
                            + ". Restore it (git checkout templates/) or point docgen at a folder that has it.")
    jobs: list[Job] = []
    for name, kind in KINDS.items():
        if kinds is None or name in kinds:
            jobs.extend(kind.instances(data))
    check_one_owner((job.id, job.output) for job in jobs)
    return jobs


def check_one_owner(outputs: Iterable[tuple[str, str]]) -> None:
    """Refuse, before anything is made, two outputs that would be written to one path (the
    paths compared as a case-insensitive file system would)."""
    owners: dict[str, str] = {}
    clashes = []
    for owner, path in outputs:
        key = path.casefold()
        if key in owners:
            clashes.append(f"{owners[key]} and {owner} would both be written to {path}")
        else:
            owners[key] = owner
    if clashes:
        raise DocgenError("two documents would overwrite each other: " + "; ".join(clashes))
