"""Plan a build: which documents and bundles the data calls for, what each is made from, and
which of them must be made again (and why) against the output folder's manifest.

Why: every command (render, report, bundle, build, verify) works from the same jobs and the
same typed Plan, so a new document kind joins them all by adding one entry to KINDS, and the
dry run, the build and verify cannot disagree about what is stale. Planning writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from . import context as ctx
from . import models as m
from .errors import DocgenError, RequestError, TemplateError
from .i18n import N_, _, ngettext
from .manifest import (
    MANIFEST_NAME,
    Manifest,
    OutputRecord,
    changed_inputs,
    file_hash,
    fingerprint,
    outputs_intact,
    sha256,
)


@dataclass(frozen=True)
class Kind:
    """A kind of document: its template and how to find its instances in the data."""

    name: str
    template: str
    title: str
    group: str
    instances: Callable[[m.Dataset, Path], Iterator[Job]]
    context_type: type = dict

    def template_in(self, templates_dir: Path) -> Path:
        """This kind's template in the project's templates folder."""
        return templates_dir / self.template


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
    frozen_by: str = ""  # the signed agreement whose documents this is: kept as made, never remade
    # for a signed agreement's document: the same document as the version the agreement is bound to
    # makes it, for when it is made for the first time (a build keeps the ones it made)
    first_made: Callable[[], Job] | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


# the signed supplements too: signing one changes no document of the contract itself (only the
# reports of the months whose applied version it changes, see _policies_of)
LIFECYCLE = frozenset({"status", "terminated", "supplements"})


def terms_of(agreement: m.Agreement) -> dict[str, Any]:
    """What of an agreement its documents depend on: everything but where it stands in its life
    (marking it signed changes no document, and must not look like a change of its terms)."""
    return agreement.model_dump(mode="json", exclude=set(LIFECYCLE))


def policy_parts(data: m.Dataset, policy: m.Policy, sections: tuple[str, ...]) -> dict[str, Any]:
    """Inputs for the policy sections a document uses, of the version it applies, labelled as the
    dry run reports them ("policy.yaml:deductions", or "policy/2026.2.yaml:deductions")."""
    file = data.policy_file(policy)
    parts: dict[str, Any] = {f"{file}:version": (policy.version, policy.effective_date, policy.title)}
    for section in sections:
        parts[f"{file}:{section}"] = getattr(policy, section)
    return parts


def _agreement_jobs(kind: str, template: str, title: str, suffix: str,
                    policy_sections: tuple[str, ...] | None,
                    reads: Callable[[m.Dataset, m.Agreement], dict[str, Any]] | None = None,
                    ) -> Callable[[m.Dataset, Path], Iterator[Job]]:
    """The document of `kind` of every agreement; `reads` adds what it reads beyond the
    agreement's terms, its vendor and its policy sections."""
    def instances(data: m.Dataset, templates: Path) -> Iterator[Job]:
        for ag in data.agreements:
            number = f"{ag.contract_no}{suffix}"
            vendor = data.vendor(ag.vendor)

            def job(quoting: m.Agreement, ag: m.Agreement = ag, number: str = number,
                    vendor: m.Vendor = vendor) -> Job:
                return Job(
                    kind=kind,
                    key=ag.id,
                    title=title,
                    template=templates / template,
                    output=f"contracts/{ag.id}/{number}_{title}",
                    build_context=partial(ctx.agreement_context, data, quoting, number),
                    inputs={
                        "client.yaml": data.client,
                        f"vendors.yaml:{vendor.id}": vendor,
                        f"agreements.yaml:{ag.id}": terms_of(ag),
                        **(policy_parts(data, data.policy_for_agreement(quoting), policy_sections)
                           if policy_sections is not None else {}),
                        **(reads(data, ag) if reads is not None else {}),
                    },
                    tags={"agreement": ag.id, "vendor": vendor.id, "group": vendor.short_name},
                    vendor=vendor.id,
                    subject=f"{vendor.name} · {ag.project_name}",
                    frozen_by=ag.id if ag.frozen else "",
                )

            made = job(ag)
            bound = data.bound_version(ag) if ag.frozen else None
            if bound is not None and bound.version != data.policy_for_agreement(ag).version:
                # a signed agreement's document made for the first time quotes the version it is
                # bound to; later builds keep it, and hold it when the current version differs
                pinned = ag.model_copy(update={"policy_version": bound.version})
                made = replace(made, first_made=partial(job, pinned))
            yield made
    return instances


def _annex_list(data: m.Dataset, ag: m.Agreement) -> dict[str, Any]:
    """The contract's 附件清单 is made from the contract pack's contents."""
    return {"bundles.yaml:annexes": [a["kind"] for a in ctx.annexes_in_pack(data)]}


def _initial_staff(data: m.Dataset, ag: m.Agreement) -> dict[str, Any]:
    return {f"staff.yaml:{ag.id}:initial": ctx.initial_staff(data, ag)}


def _form_job(data: m.Dataset, templates: Path, *, kind: str, key: str, title: str, stem: str,  # noqa: PLR0913
              month: str, vendor: m.Vendor, agreement: m.Agreement, records: dict[str, Any],
              build_context: Callable[[], dict[str, Any]], subject: str, policy: m.Policy) -> Job:
    """A one-page form filed under its month; it depends on its own records and its policy section."""
    return Job(
        kind=kind, key=key, title=title, template=templates / f"forms/{kind}_form.docx",
        output=f"forms/{month}/{stem}_{key}", build_context=build_context,
        inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor,
                f"agreements.yaml:{agreement.id}": terms_of(agreement), **records,
                **policy_parts(data, policy, (kind, "calendar") if kind == "change" else (kind,))},
        tags={"vendor": vendor.id, "group": vendor.short_name, "month": month, "agreement": agreement.id},
        subject=subject,
    )


def _leave_jobs(data: m.Dataset, templates: Path) -> Iterator[Job]:
    for leave in data.leave:
        person = data.staff_member(leave.staff)
        substitute = ({f"staff.yaml:{leave.substitute}": data.staff_member(leave.substitute)}
                      if leave.substitute else {})
        yield _form_job(
            data, templates, kind="leave", key=leave.id, title="运维人员请销假登记表", stem="请销假",
            month=f"{leave.start:%Y-%m}",
            vendor=data.vendor(person.vendor), agreement=data.agreement(person.agreement),
            records={f"staff.yaml:{person.id}": person, f"leave.yaml:{leave.id}": leave, **substitute},
            build_context=partial(ctx.leave_context, data, leave), subject=f"{person.name} · {leave.type}",
            policy=data.policy_on(leave.start.date()))


def _change_jobs(data: m.Dataset, templates: Path) -> Iterator[Job]:
    for change in data.changes:
        ag = data.agreement(change.agreement)
        vendor = data.vendor(ag.vendor)
        old = {f"staff.yaml:{change.old_staff}": data.staff_member(change.old_staff)} if change.old_staff else {}
        yield _form_job(
            data, templates, kind="change", key=change.id, title="运维人员变更登记表", stem="人员变更",
            month=f"{change.effective:%Y-%m}", vendor=vendor, agreement=ag,
            records={f"changes.yaml:{change.id}": change, **old},
            build_context=partial(ctx.change_context, data, change),
            subject=f"{vendor.short_name} · {change.type}", policy=data.policy_on(change.requested))


def _records_of(data: m.Dataset, agreement_id: str, months: list[tuple[int, int]]) -> dict[str, Any]:
    """The records a report over `months` reads, labelled by file, so a change names its source.

    Besides the tickets themselves, the outcome of each of their time limits: whether a limit
    without a timestamp has run out depends on how far the export reaches (metrics.export_moment),
    so a later export can decide a limit of a month whose own tickets did not change."""
    from .metrics import limit_outcomes

    staff = [s for s in data.staff if s.agreement == agreement_id]
    ids = {s.id for s in staff}
    inside = set(months)
    mine = [t for t in data.tickets if t.agreement == agreement_id and (t.opened.year, t.opened.month) in inside]
    return {
        f"tickets.csv:{agreement_id}:limits": [(o.ticket, o.metric, o.met, o.decided) for t in mine
                                               for o in limit_outcomes(data, t)],
        f"staff.yaml:{agreement_id}": staff,
        f"tickets.csv:{agreement_id}": [t for t in data.tickets if t.agreement == agreement_id
                                        and (t.opened.year, t.opened.month) in inside],
        f"attendance.csv:{agreement_id}": [e for e in data.attendance if e.staff in ids
                                           and (e.date.year, e.date.month) in inside],
        f"leave.yaml:{agreement_id}": [r for r in data.leave if r.staff in ids
                                       and any((y, mo) in inside for y, mo in _months_of(r.start, r.end))],
        f"reviews.yaml:{agreement_id}": [r for r in data.reviews if r.ticket in {
            t.id for t in data.tickets if t.agreement == agreement_id and (t.opened.year, t.opened.month) in inside}],
        f"improvements.yaml:{agreement_id}": [a for a in data.improvements if a.agreement == agreement_id
                                              and (a.raised.year, a.raised.month) <= max(inside, default=(0, 0))],
        # changes up to the last month: they say who is on post in it
        f"changes.yaml:{agreement_id}": [c for c in data.changes if c.agreement == agreement_id
                                         and (c.effective.year, c.effective.month) <= max(inside, default=(0, 0))],
    }


def _months_of(start: datetime, end: datetime) -> list[tuple[int, int]]:
    """The months from `start` to `end` (a leave across months is read by each month's report)."""
    out, ym = [], (start.year, start.month)
    while ym <= (end.year, end.month):
        out.append(ym)
        ym = (ym[0] + 1, 1) if ym[1] == 12 else (ym[0], ym[1] + 1)
    return out


def _policies_of(data: m.Dataset, ag: m.Agreement, months: list[tuple[int, int]]) -> dict[str, Any]:
    """The policy inputs of a report of `ag` over `months`: each month applies the terms of the
    version the agreement applies for it (Dataset.policy_applied: for a signed agreement, its
    contract's and those of the signed supplements) and the calendar of the version in force on its
    first day, so a report depends on every version its months apply (a signed supplement changes
    the report of a month only when it changes the version that month applies)."""
    parts: dict[str, Any] = {}
    for year, month in months:
        first = date(year, month, 1)
        parts.update(policy_parts(data, data.policy_applied(ag, first), ("deductions", "assessment")))
        parts.update(policy_parts(data, data.policy_on(first), ("calendar",)))
    return parts


def _report_type(name: str) -> type:
    from . import reports

    return getattr(reports, f"{name}Context")


def _monthly_jobs(data: m.Dataset, templates: Path) -> Iterator[Job]:
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
                template=templates / "forms/monthly_report.docx",
                output=f"reports/{key}/月度运维服务报告_{vendor.short_name}_{ag.id}_{key}",
                build_context=partial(reports.monthly_context, data, ag, year, month),
                inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor,
                        f"agreements.yaml:{ag.id}": terms_of(ag),
                        **_records_of(data, ag.id, window),
                        **_policies_of(data, ag, window)},
                tags={"vendor": vendor.id, "group": vendor.short_name, "month": key, "agreement": ag.id},
                subject=f"{vendor.name} · {year}年{month}月",
            )


def _annual_jobs(data: m.Dataset, templates: Path) -> Iterator[Job]:
    """One annual report per contract year that the records reach (metrics.contract_years)."""
    from . import reports
    from .metrics import contract_years, data_months, records_span

    span = records_span(data)
    for ag in data.agreements:
        vendor = data.vendor(ag.vendor)
        covered = data_months(data, ag.id)
        for cy in contract_years(ag):
            months = [(y, mo) for y, mo in covered if cy.holds(y, mo)]
            if not months:
                continue
            year = cy.key
            yield Job(
                kind="annual", key=f"{ag.id}-{year}", title="年度运维服务报告",
                template=templates / "forms/annual_report.docx",
                output=f"reports/{year}/年度运维服务报告_{vendor.short_name}_{ag.id}_{year}",
                build_context=partial(reports.annual_context, data, ag, year),
                inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor,
                        f"agreements.yaml:{ag.id}": terms_of(ag),
                        **_records_of(data, ag.id, months),
                        **_policies_of(data, ag, months),
                        # whether the contract year is complete (the renewal advice waits for it)
                        "records:span": span},
                tags={"vendor": vendor.id, "group": vendor.short_name, "year": str(year), "agreement": ag.id},
                subject=f"{vendor.name} · {cy.label}",
            )


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("contract", "contracts/service_contract.docx", "运维外包服务合同", "contracts",
             _agreement_jobs("contract", "contracts/service_contract.docx", "运维外包服务合同", "",
                             ("deductions", "leave", "change", "assessment"), _annex_list), ctx.AgreementContext),
        Kind("scope", "contracts/scope_annex.docx", "服务清单", "contracts",
             _agreement_jobs("scope", "contracts/scope_annex.docx", "服务清单", "-SCOPE", None),
             ctx.AgreementContext),
        Kind("sla", "contracts/sla_annex.docx", "服务等级协议", "contracts",
             _agreement_jobs("sla", "contracts/sla_annex.docx", "服务等级协议", "-SLA", ("deductions",)),
             ctx.AgreementContext),
        Kind("nda", "contracts/nda.docx", "保密协议", "contracts",
             _agreement_jobs("nda", "contracts/nda.docx", "保密协议", "-NDA", None), ctx.AgreementContext),
        Kind("assessment", "contracts/assessment_annex.docx", "考核办法", "contracts",
             _agreement_jobs("assessment", "contracts/assessment_annex.docx", "考核办法", "-KPI",
                             ("deductions", "assessment")), ctx.AgreementContext),
        Kind("staffing", "contracts/staffing_annex.docx", "驻场人员清单", "contracts",
             _agreement_jobs("staffing", "contracts/staffing_annex.docx", "驻场人员清单", "-STAFF", None,
                             _initial_staff), ctx.AgreementContext),
        Kind("pricing", "contracts/pricing_annex.docx", "报价明细", "contracts",
             _agreement_jobs("pricing", "contracts/pricing_annex.docx", "报价明细", "-PRICE", None),
             ctx.AgreementContext),
        Kind("leave", "forms/leave_form.docx", "运维人员请销假登记表", "forms", _leave_jobs, ctx.LeaveContext),
        Kind("change", "forms/change_form.docx", "运维人员变更登记表", "forms", _change_jobs, ctx.ChangeContext),
        Kind("monthly", "forms/monthly_report.docx", "月度运维服务报告", "reports", _monthly_jobs,
             _report_type("Monthly")),
        Kind("annual", "forms/annual_report.docx", "年度运维服务报告", "reports", _annual_jobs,
             _report_type("Annual")),
    )
}


# Made only when the data calls for it: the 补充协议 drafted for a signed agreement whose terms a
# later policy version or a change of its data has changed (see supplement_jobs). Not in KINDS,
# so a templates folder made before this kind existed still builds (the shipped template is used).
SUPPLEMENT = Kind("supplement", "contracts/supplement.docx", "补充协议", "contracts", lambda data, templates: iter(()),
                  ctx.SupplementContext)


def kind_of(name: str) -> Kind:
    return SUPPLEMENT if name == SUPPLEMENT.name else KINDS[name]


def supplement_template(templates_dir: Path) -> Path:
    """The project's 补充协议 template, else the one that comes with docgen."""
    own = SUPPLEMENT.template_in(templates_dir)
    if own.is_file():
        return own
    from .project import shipped_templates

    return SUPPLEMENT.template_in(shipped_templates())


# what a 补充协议 does not cover: how the documents are made, not what was agreed (a new template
# or docgen), and the records a signed annex lists (staff changes have forms of their own)
NOT_TERMS = ("template:", "tool:", "bundles.yaml", "staff.yaml")


def supplement_jobs(data: m.Dataset, held: Sequence[tuple[Job, list[Any]]], templates_dir: Path) -> list[Job]:
    """One 补充协议 per signed agreement whose documents are held with changed terms: `held`
    pairs each held document with its changes (changes.Change). None when only templates or
    docgen changed, or when no old value is known."""
    by_agreement: dict[str, dict[tuple[str, str, str], tuple[Any, list[str]]]] = {}
    for job, found in held:
        terms = by_agreement.setdefault(job.tags["agreement"], {})
        for change in found:
            # a term whose old wording is not known cannot be written into an agreement
            if change.input.startswith(NOT_TERMS) or change.note:
                continue
            _first, kinds = terms.setdefault((change.what, change.old, change.new), (change, []))
            kinds.append(job.kind)
    template = supplement_template(templates_dir)
    jobs = []
    for agreement_id, terms in sorted(by_agreement.items()):
        if not terms:
            continue
        ag = data.agreement(agreement_id)
        vendor = data.vendor(ag.vendor)
        changes = [c for c, _kinds in terms.values()]
        revision = _revision(data, changes)
        if revision and revision["version"] in {s.policy_version for s in ag.supplements}:
            continue  # that supplement is signed (agreements.yaml supplements): nothing to draft
        tail = revision["version"] if revision else fingerprint([(c.what, c.old, c.new) for c in changes])[:6]
        number = f"{ag.contract_no}-BC-{tail}"
        plain_terms = [_term(ag, change, kinds) for change, kinds in terms.values()
                       if not change.input.endswith(":version")]
        if not plain_terms:
            continue
        jobs.append(Job(
            kind=SUPPLEMENT.name, key=ag.id, title=SUPPLEMENT.title, template=template,
            output=f"contracts/{ag.id}/{number}_补充协议（草稿）",
            build_context=partial(ctx.supplement_context, data, ag, number, plain_terms, revision),
            inputs={"client.yaml": data.client, f"vendors.yaml:{vendor.id}": vendor,
                    f"agreements.yaml:{ag.id}": terms_of(ag), "changed terms": plain_terms,
                    "revision": revision},
            tags={"agreement": ag.id, "vendor": vendor.id, "group": vendor.short_name},
            vendor=vendor.id, subject=f"{vendor.name} · {ag.project_name}",
        ))
    return jobs


def _documents_named(kinds: Sequence[str]) -> str:
    """"合同正文、附件二《服务等级协议》": the documents of the agreement that state a term."""
    named = {kind: f"{label}《{title}》" for kind, label, title, _form in ctx.ANNEXES}
    named["contract"] = "合同正文"
    order = ["contract", *[a[0] for a in ctx.ANNEXES]]
    return "、".join(named[k] for k in sorted(set(kinds), key=lambda k: order.index(k) if k in order else 99)
                    if k in named)


def _term(ag: m.Agreement, change: Any, kinds: Sequence[str]) -> dict[str, str]:
    """A changed term as the 补充协议 lists it: in which documents, what, old and new; a cap in
    percent of the monthly fee also as the amount it comes to."""
    what = change.what.removeprefix("管理办法 · ")
    old, new = change.old, change.new
    from .changes import LABELS

    if what.endswith(LABELS["monthly_cap_pct"]):
        def amount(text: str) -> str:
            try:
                pct = Decimal(text.rstrip("%"))
            except ArithmeticError:
                return text
            return f"当月月度服务费的 {text}（¥{(ag.fees.monthly * pct / 100).quantize(Decimal('0.01')):,}）"

        old, new = amount(old) if old else old, amount(new) if new else new
    return {"where": _documents_named(kinds), "what": what, "old": old, "new": new}


def _revision(data: m.Dataset, terms: Sequence[Any]) -> dict[str, Any] | None:
    """The policy version that brings `terms`, when a version change is among them."""
    version = next((t for t in terms if t.input.endswith(":version") and t.input.startswith("policy")), None)
    if version is None:
        return None
    new_version = version.new.split("（", 1)[0]
    old_version = version.old.split("（", 1)[0]
    policy = data.policy_version(new_version)
    return {"title": policy.title, "version": policy.version, "previous": old_version,
            "effective_date": policy.effective_date}


def documents(data: m.Dataset, templates_dir: Path, kinds: Collection[str] | None = None) -> list[Job]:
    """Every document the data calls for (of `kinds`, every kind by default), in a stable order,
    with its template in `templates_dir`.

    Raises TemplateError when the template of a kind asked for is missing, and DocgenError when
    two documents would be written to one path.
    """
    missing = [_("{template} ({title})").format(template=kind.template_in(templates_dir), title=kind.title)
               for name, kind in KINDS.items()
               if (kinds is None or name in kinds) and not kind.template_in(templates_dir).is_file()]
    if missing:
        raise TemplateError(_("template not found: {templates}. Restore it, or point docgen at a folder that has "
                              "it (--templates DIR, or templates in docgen.toml; `docgen templates init` copies "
                              "the shipped ones).").format(templates=_("; ").join(missing)))
    jobs: list[Job] = []
    for name, kind in KINDS.items():
        if kinds is None or name in kinds:
            jobs.extend(kind.instances(data, templates_dir))
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
            clashes.append(_("{first} and {second} would both be written to {path}").format(
                first=owners[key], second=owner, path=path))
        else:
            owners[key] = owner
    if clashes:
        raise DocgenError(_("two documents would overwrite each other: {clashes}").format(
            clashes=_("; ").join(clashes)))


# --------------------------------------------------------------------------- bundles

@dataclass(frozen=True)
class BundleJob:
    """One bundle to make: its members (in order) and its cover details."""

    name: str
    spec: m.BundleSpec
    key: str
    members: list[Job]
    output: str

    @property
    def id(self) -> str:
        return f"bundle:{self.name}"


def bundle_jobs(data: m.Dataset, jobs: Sequence[Job]) -> list[BundleJob]:
    """Bundle instances from the bundle specs: one per agreement, month or year with members."""
    out = []
    for spec in data.bundles:
        groups: dict[str, list[Job]] = {}
        for job in jobs:
            if job.kind in spec.kinds and spec.per in job.tags:
                groups.setdefault(job.tags[spec.per], []).append(job)
        for key in sorted(groups):
            members = sorted(groups[key], key=lambda j: (spec.kinds.index(j.kind), j.tags.get("vendor", ""), j.key))
            name = f"{spec.name}-{key}"
            out.append(BundleJob(name, spec, key, members, f"bundles/{name}_{spec.title}"))
    check_one_owner((b.id, b.output) for b in out)
    return out


# --------------------------------------------------------------------------- inputs and staleness

def job_inputs(job: Job, tools: dict[str, str]) -> dict[str, str]:
    """Hashes of exactly the inputs `job` depends on, by label."""
    inputs = {label: fingerprint(value) for label, value in job.inputs.items()}
    inputs[f"template:{job.template.parent.name}/{job.template.name}"] = file_hash(job.template)
    inputs.update({f"tool:{k}": v for k, v in tools.items()})
    return inputs


def bundle_inputs(bundle: BundleJob, manifest: Manifest, draft: bool, tools: dict[str, str]) -> dict[str, str]:
    """A bundle's inputs: its spec, the draft flag, docgen's code and each member's recorded PDF."""
    inputs = {"bundle spec": fingerprint(bundle.spec), "draft": str(draft), "tool:docgen": tools["docgen"]}
    for job in bundle.members:
        inputs[f"member:{job.id}"] = manifest.files_of(job.id).get(job.output + ".pdf", "missing")
    return inputs


def _reasons(entry: OutputRecord | None, inputs: dict[str, str], out_dir: Path, force: bool,
             output: str) -> list[str]:
    if force:
        return [FORCED]
    if entry is None:
        return [NEW]
    changed = changed_inputs(entry.inputs, inputs)
    if changed:
        return [changed_reason(label.split(':', 1)[0] if label.startswith('member:') else label) for label in changed]
    if not outputs_intact(out_dir, entry):
        return [MISSING]
    if any(not rel.startswith(output + ".") for rel in entry.files):
        return [RENAMED]
    return []


# Why an output is made again, as Output.reasons keeps them: the same words in every language,
# because they are compared (a bundle takes its members' reasons, _collapse reads them, the plan's
# JSON carries them); reason_text gives one in the reader's language.
FORCED = "--force"
NEW = "new"
MISSING = "output missing or altered"
RENAMED = "output renamed"
_CHANGED = " changed"
_REISSUED = "reissued: "
_REASON_TEXTS = {
    # TRANSLATORS: why a document is made again: `--force` was given
    FORCED: N_("--force"),
    # TRANSLATORS: why a document is made again: it was never made before
    NEW: N_("new"),
    MISSING: N_("output missing or altered"),
    RENAMED: N_("output renamed"),
    "member changed": N_("member changed"),
    "bundle spec changed": N_("bundle spec changed"),
    "draft changed": N_("draft changed"),
}


def changed_reason(label: str) -> str:
    """The reason kept for an input `label` ("policy.yaml:deductions") whose hash changed."""
    return f"{label}{_CHANGED}"


def reissued_reason(why: str) -> str:
    """The reason kept for a signed agreement's document made again by `docgen reissue`."""
    return f"{_REISSUED}{why}"


def reason_text(reason: str) -> str:
    """A reason of Output.reasons or Output.held in the reader's language."""
    if reason in _REASON_TEXTS:
        return _(_REASON_TEXTS[reason])
    if reason.startswith(_REISSUED):
        return _("reissued: {reason}").format(reason=reason.removeprefix(_REISSUED))
    if reason.endswith(_CHANGED):
        return _("{input} changed").format(input=reason.removesuffix(_CHANGED))
    return reason


# --------------------------------------------------------------------------- the typed plan

PLAN_VERSION = 1


class Output(BaseModel):
    """One output of a plan: a document (DOCX and PDF) or a bundle (PDF)."""

    model_config = ConfigDict(frozen=True)

    id: str  # "contract:hx-2026", "monthly:hx-2026-2026-07", "bundle:contract-pack-hx-2026"
    kind: str  # a key of KINDS, or "bundle"
    key: str
    title: str
    path: str  # relative to the output folder, without the suffix
    template: str | None = None  # relative to the templates folder; None for bundles
    inputs: dict[str, str]  # label → hash, as known when planning (bundles: members as last recorded)
    reasons: list[str]  # why it is made again (the same in every language: see reason_text); empty: up to date
    members: list[str] = Field(default_factory=list)  # bundles: member output ids, in order
    held: list[str] = Field(default_factory=list)  # a signed agreement's document: what changed, not applied
    agreement: str = ""  # for documents of an agreement

    @property
    def stale(self) -> bool:
        return bool(self.reasons)

    def why(self) -> str:
        """Why it is made again, in the reader's language ("policy.yaml:deductions changed")."""
        return _("; ").join(reason_text(r) for r in self.reasons)


class Plan(BaseModel):
    """What a build would make, and why: computed from the data, the templates and the manifest
    of the output folder, without writing anything. `docgen build --dry-run` prints it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    version: int = PLAN_VERSION
    out_dir: Path
    templates_dir: Path
    force: bool = False
    draft: bool = False
    docx: bool = True
    pdf: bool = True
    tools: dict[str, str]
    manifest_digest: str  # of the manifest the plan was made against
    outputs: list[Output]
    reissue: list[str] = Field(default_factory=list)  # signed agreements made again, their old files kept
    reason: str = ""
    _dataset: m.Dataset | None = PrivateAttr(default=None)
    _jobs: dict[str, Job] = PrivateAttr(default_factory=dict)
    _bundles: dict[str, BundleJob] = PrivateAttr(default_factory=dict)
    _manifest: Manifest | None = PrivateAttr(default=None)
    _bundle_choice: Collection[str] | bool = PrivateAttr(default=True)
    _whole: bool = PrivateAttr(default=False)  # every document and bundle of the data (Project.plan)
    _values: Any = PrivateAttr(default=None)  # changes.Values: the value behind each input hash
    _changes: dict[str, list[Any]] | None = PrivateAttr(default=None)

    @property
    def options(self) -> Options:
        """The options the plan was made with (to make it again)."""
        return Options(force=self.force, draft=self.draft, docx=self.docx, pdf=self.pdf, bundles=self._bundle_choice,
                       reissue=tuple(self.reissue), reason=self.reason)

    @property
    def todo(self) -> list[Output]:
        return [o for o in self.outputs if o.reasons]

    @property
    def unchanged(self) -> list[Output]:
        return [o for o in self.outputs if not o.reasons]

    @property
    def held(self) -> list[Output]:
        """Documents of signed agreements whose inputs changed (or whose files are gone), kept as
        they were made: `docgen reissue` makes them again."""
        return [o for o in self.outputs if o.held]

    @property
    def dataset(self) -> m.Dataset:
        if self._dataset is None:
            raise DocgenError(_("this plan was read back from JSON; plan again from the data to build it"))
        return self._dataset

    def job(self, output_id: str) -> Job:
        return self._jobs[output_id]

    def bundle(self, output_id: str) -> BundleJob:
        return self._bundles[output_id]

    @property
    def manifest(self) -> Manifest:
        return self._manifest if self._manifest is not None else Manifest()

    def changes(self) -> dict[str, list[Any]]:
        """For each document to be made again (or held) that was made before: what changed in its
        inputs since, as changes.Change in the reader's terms. Empty for --force with nothing changed."""
        if self._changes is None:
            from .changes import Values, changes_between

            values = self._values if self._values is not None else Values({})
            found: dict[str, list[Any]] = {}
            for output in self.outputs:
                entry = self.manifest.outputs.get(output.id)
                if output.kind == "bundle" or entry is None or not (output.reasons or output.held):
                    continue
                job = self._jobs.get(output.id)
                listed = changes_between(entry.inputs, output.inputs, job.inputs if job else {}, values)
                if listed:
                    found[output.id] = listed
            self._changes = found
        return self._changes

    def explain(self) -> list[str]:
        """Lines such as 'policy.yaml:deductions changed → 3 服务等级协议, 1 bundle', in the reader's language."""
        by_reason: dict[str, Counter[str]] = {}
        for output in self.todo:
            title = "" if output.kind == "bundle" else output.title  # "": bundles
            for reason in output.reasons:
                by_reason.setdefault(reason, Counter())[title] += 1
        lines = []
        for reason in sorted(by_reason):
            parts = _(", ").join(ngettext("{n} bundle", "{n} bundles", n).format(n=n) if not title
                                 # TRANSLATORS: how many documents of one title ("3 服务等级协议")
                                 else _("{n} {title}").format(n=n, title=title)
                                 for title, n in sorted(by_reason[reason].items()))
            # TRANSLATORS: a reason, and the outputs it makes again ("3 服务等级协议, 1 bundle")
            lines.append(_("{reason} → {outputs}").format(reason=reason_text(reason), outputs=parts))
        return lines + self.held_lines()

    def held_lines(self) -> list[str]:
        """What a build leaves alone because the agreement is signed, by agreement."""
        by_agreement: dict[str, list[Output]] = {}
        for output in self.held:
            by_agreement.setdefault(output.agreement, []).append(output)
        lines = []
        for agreement, outputs in sorted(by_agreement.items()):
            n = len(outputs)
            lines.append(ngettext(
                "{n} signed document is kept as it was made ({agreement}: {titles}) although its inputs changed: "
                "{changes}. To make it again from the new data: docgen reissue {agreement} --reason \"…\"",
                "{n} signed documents are kept as they were made ({agreement}: {titles}) although their inputs "
                "changed: {changes}. To make them again from the new data: docgen reissue {agreement} --reason \"…\"",
                n).format(n=n, agreement=agreement, titles="、".join(o.title for o in outputs),  # Chinese titles
                          changes=_collapse(r for o in outputs for r in o.held)))
        return lines


@dataclass(frozen=True)
class Options:
    """What a plan is asked for besides its documents.

    force: make everything again; draft: bundles carry a 草稿 watermark; docx, pdf: which files
    of each document; bundles: True for every bundle of the planned documents, a collection of
    bundle names, or False for none.
    """

    force: bool = False
    draft: bool = False
    docx: bool = True
    pdf: bool = True
    bundles: Collection[str] | bool = True
    reissue: Collection[str] = ()  # signed agreements whose documents are made again anyway
    reason: str = ""  # why they are (kept with the previous files)


def _collapse(reasons: Iterable[str]) -> str:
    """'policy.yaml:deductions changed', 'policy.yaml:leave changed' → 'policy.yaml (deductions, leave) changed',
    in the reader's language."""
    parts: dict[str, list[str]] = {}
    for reason in dict.fromkeys(reasons):
        what = reason.removesuffix(_CHANGED)
        file, sep, section = what.partition(":")
        if sep and what != reason:
            parts.setdefault(file, []).append(section)
        else:
            parts.setdefault(reason, [])
    return _("; ").join(_("{file} ({sections}) changed").format(file=k, sections=", ".join(sorted(v))) if v
                        else reason_text(k) for k, v in parts.items())


def make_plan(data: m.Dataset, jobs: Sequence[Job], *, out_dir: Path, templates_dir: Path, tools: dict[str, str],
              options: Options = Options()) -> Plan:  # noqa: B008 - frozen, so one shared default is safe
    """The plan for making `jobs` (documents from `documents()`) into `out_dir`, and their bundles
    as `options` asks.

    Reads the output folder's manifest and the files it lists; writes nothing.
    """
    force, draft, docx, pdf, bundles = options.force, options.draft, options.docx, options.pdf, options.bundles
    from .changes import Values, changes_between
    from .history import load_values

    manifest = Manifest.load(out_dir)
    values = Values(lambda: load_values(out_dir), (v for j in jobs for v in j.inputs.values()))
    outputs: list[Output] = []
    job_map: dict[str, Job] = {}

    def add(job: Job) -> Output:
        inputs = job_inputs(job, tools)
        entry = manifest.outputs.get(job.id)
        reasons = _reasons(entry, inputs, out_dir, force, job.output)
        held: list[str] = []
        if job.frozen_by and job.frozen_by not in options.reissue and entry is not None and reasons:
            held, reasons = reasons, []  # signed: the document stays as it was made
        elif job.frozen_by in options.reissue:
            reasons = [reissued_reason(options.reason)]
        output = Output(id=job.id, kind=job.kind, key=job.key, title=job.title, path=job.output,
                        template=f"{job.template.parent.name}/{job.template.name}", inputs=inputs,
                        reasons=reasons, held=held, agreement=job.tags.get("agreement", ""))
        outputs.append(output)
        job_map[job.id] = job
        return output

    held_changes = []
    for job in jobs:
        entry = manifest.outputs.get(job.id)
        if entry is None and job.first_made is not None and job.frozen_by not in options.reissue:
            job = job.first_made()
        output = add(job)
        if output.held and entry is not None:
            held_changes.append((job, changes_between(entry.inputs, output.inputs, job.inputs, values)))
    supplements = supplement_jobs(data, held_changes, templates_dir)
    check_one_owner((j.id, j.output) for j in [*jobs, *supplements])
    for job in supplements:
        add(job)
    redo = {o.id: o.reasons for o in outputs if o.reasons}
    bundle_map: dict[str, BundleJob] = {}
    if bundles is not False and pdf:
        for bundle in bundle_jobs(data, jobs):
            if bundles is not True and bundle.name not in bundles:
                continue
            inputs = bundle_inputs(bundle, manifest, draft, tools)
            entry = manifest.outputs.get(bundle.id)
            member_redo = [r for j in bundle.members for r in redo.get(j.id, [])]
            if force:
                reasons = [FORCED]
            elif entry is None:
                reasons = [NEW]
            elif member_redo:
                reasons = sorted(set(member_redo))
            else:
                reasons = sorted({changed_reason("member" if c.startswith("member:") else c)
                                  for c in changed_inputs(entry.inputs, inputs)})
                if not reasons and not outputs_intact(out_dir, entry):
                    reasons = [MISSING]
            outputs.append(Output(id=bundle.id, kind="bundle", key=bundle.name, title=bundle.spec.title,
                                  path=bundle.output, inputs=inputs, reasons=reasons,
                                  members=[j.id for j in bundle.members]))
            bundle_map[bundle.id] = bundle
    plan = Plan(out_dir=out_dir, templates_dir=templates_dir, force=force, draft=draft, docx=docx, pdf=pdf,
                tools=tools, manifest_digest=manifest_digest(out_dir), outputs=outputs,
                reissue=sorted(options.reissue), reason=options.reason)
    plan._bundle_choice = bundles
    plan._dataset, plan._jobs, plan._bundles, plan._manifest = data, job_map, bundle_map, manifest
    plan._values = values
    return plan


def manifest_digest(out_dir: Path) -> str:
    """A hash of the output folder's manifest as it is now ("none" without one)."""
    try:
        return sha256((out_dir / MANIFEST_NAME).read_bytes())
    except OSError:
        return "none"


# --------------------------------------------------------------------------- choosing outputs

def find_document(jobs: Sequence[Job], kind: str, key: str) -> Job:
    """The document of `kind` for record `key`; DocgenError naming the known keys otherwise."""
    for job in jobs:
        if job.kind == kind and job.key == key:
            return job
    known = ", ".join(j.key for j in jobs if j.kind == kind)
    if not known:
        raise RequestError(_("no {kind} document for {key!r}; known: none").format(kind=kind, key=key))
    raise RequestError(_("no {kind} document for {key!r}; known: {known}").format(kind=kind, key=key, known=known))


def find_reports(data: m.Dataset, jobs: Sequence[Job], kind: str, period: str, vendor: str | None) -> list[Job]:
    """The `kind` ("monthly" or "annual") reports of a period ("2026-10" or "2026"), of every
    vendor or of one."""
    if vendor is not None and vendor not in {v.id for v in data.vendors}:
        raise RequestError(_("no vendor {vendor!r}; known: {known}").format(
            vendor=vendor, known=", ".join(v.id for v in data.vendors)))
    tag = "month" if kind == "monthly" else "year"
    found = [j for j in jobs if j.kind == kind and j.tags.get(tag) == period
             and (vendor is None or j.tags.get("vendor") == vendor)]
    if not found:
        message = _NO_REPORT[(kind, bool(vendor))]
        raise DocgenError(_(message).format(period=period, vendor=vendor))
    return found


_NO_REPORT = {
    ("monthly", False): N_("no monthly report for {period}: no agreement runs in that period within the records' span"),
    ("monthly", True): N_("no monthly report for {period}: no agreement of {vendor} runs in that period within the "
                          "records' span"),
    ("annual", False): N_("no annual report for {period}: no agreement runs in that period within the records' span"),
    ("annual", True): N_("no annual report for {period}: no agreement of {vendor} runs in that period within the "
                         "records' span"),
}


def find_bundle(data: m.Dataset, jobs: Sequence[Job], name: str) -> BundleJob:
    """The bundle called `name`; DocgenError naming the known bundles otherwise."""
    bundles = {b.name: b for b in bundle_jobs(data, jobs)}
    if name not in bundles:
        raise RequestError(_("no bundle {name!r}; known: {known}").format(name=name, known=", ".join(sorted(bundles))))
    return bundles[name]
