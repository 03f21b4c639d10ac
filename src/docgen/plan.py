"""Decide which documents the data calls for: one Job per output document.

Why: every command (render, report, build) works from the same list of jobs, so a new
document kind joins them all by adding one entry to KINDS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import context as ctx
from . import models as m

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Kind:
    """A kind of document: its template and how to find its instances in the data."""

    name: str
    template: str
    title: str
    group: str
    instances: Callable[[m.Dataset], Iterator[Job]]


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

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def _agreement_jobs(kind: str, template: str, title: str, suffix: str) -> Callable[[m.Dataset], Iterator[Job]]:
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
                inputs={"client": data.client, "vendor": vendor, "agreement": ag, "policy": data.policy},
                vendor=vendor.id,
                subject=f"{vendor.name} · {ag.project_name}",
            )
    return instances


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("contract", "contracts/service_contract.docx", "运维外包服务合同", "contracts",
             _agreement_jobs("contract", "contracts/service_contract.docx", "运维外包服务合同", "")),
        Kind("sla", "contracts/sla_annex.docx", "服务等级协议", "contracts",
             _agreement_jobs("sla", "contracts/sla_annex.docx", "服务等级协议", "-SLA")),
        Kind("nda", "contracts/nda.docx", "保密协议", "contracts",
             _agreement_jobs("nda", "contracts/nda.docx", "保密协议", "-NDA")),
    )
}


def plan(data: m.Dataset, kinds: list[str] | None = None) -> list[Job]:
    """Every document the data calls for, in a stable order."""
    jobs: list[Job] = []
    for name, kind in KINDS.items():
        if kinds is None or name in kinds:
            if (TEMPLATE_DIR / kind.template).exists() or kinds is not None:
                jobs.extend(kind.instances(data))
    return jobs
