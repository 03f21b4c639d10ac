"""Make documents and bundles: decide what changed, render, convert in parallel, bundle, record.

Why: after a policy revision exactly the documents that depend on the changed section must be
made again. Every output carries the hashes of the inputs it was made from (records, template,
policy sections, docgen and LibreOffice versions) in the manifest, which is written last.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from . import models as m
from .convert import Converter, Outcome, open_converter
from .errors import DocgenError
from .fidelity import Expected, describe, differences, expected_text
from .formatting import cn_date
from .plan import Job, check_one_owner
from .versions import tools_fingerprint
from .record import (
    Manifest,
    provenance,
    sha256,
    changed_inputs,
    clean_temp_files,
    file_hash,
    fingerprint,
    inputs_digest,
    outputs_intact,
    safe_target,
    file_stats,
    take_snapshot,
    work_dir,
    write_atomic,
)

if TYPE_CHECKING:  # rendering and bundling are imported when first needed: a no-op build never is
    from .bundle import BundleInfo, Member
    from .render import Properties


# Relative cost of making one document of a kind (pages to lay out); anything else counts 1.
COST = {"annual": 4, "monthly": 3, "contract": 3, "sla": 3, "nda": 2}


@dataclass(frozen=True)
class BundleJob:
    """One bundle to make: its members (job ids in order) and its cover details."""

    name: str
    spec: m.BundleSpec
    key: str
    members: list[Job]
    output: str

    @property
    def id(self) -> str:
        return f"bundle:{self.name}"


@dataclass
class Summary:
    """What a build did, for the closing line and the exit code."""

    made: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, list[str]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0


class Progress:
    """A one-line progress display on a terminal; silent otherwise."""

    def __init__(self, total: int, enabled: bool | None = None) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled or not self.total:
            return
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        sys.stderr.write(f"\r\033[K[{self.done}/{self.total}] {label[:50]}  {elapsed:.0f}s elapsed, ~{eta:.0f}s left")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def properties_for(job: Job, author: str, provenance: str = "") -> Properties:
    """Core properties; `provenance` (see record.provenance) lets `docgen verify` trace the file back."""
    from .render import Properties

    return Properties(title=f"{job.title}（{job.key}）", subject=job.subject or job.title,
                      author=author, keywords=provenance or f"docgen {__version__}; {job.id}")


def plan_bundles(data: m.Dataset, jobs: Sequence[Job]) -> list[BundleJob]:
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


def job_inputs(job: Job, tools: dict[str, str]) -> dict[str, str]:
    """Hashes of exactly the inputs `job` depends on, by label."""
    inputs = {label: fingerprint(value) for label, value in job.inputs.items()}
    inputs[f"template:{job.template.parent.name}/{job.template.name}"] = file_hash(job.template)
    inputs.update({f"tool:{k}": v for k, v in tools.items()})
    return inputs


def bundle_inputs(bundle: BundleJob, manifest: Manifest, draft: bool, tools: dict[str, str]) -> dict[str, str]:
    inputs = {"bundle spec": fingerprint(bundle.spec), "draft": str(draft), "tool:docgen": tools["docgen"]}
    for job in bundle.members:
        files = manifest.outputs.get(job.id, {}).get("files", {})
        inputs[f"member:{job.id}"] = files.get(job.output + ".pdf", "missing")
    return inputs


def explain(summary: Summary, jobs: Sequence[Job], bundles: Sequence[BundleJob]) -> list[str]:
    """Lines such as 'policy.yaml:deductions changed → 3 服务等级协议, 1 bundle'."""
    titles = {j.id: j.title for j in jobs} | {b.id: "bundle" for b in bundles}
    by_reason: dict[str, Counter[str]] = {}
    for item, reasons in summary.reasons.items():
        for reason in reasons:
            by_reason.setdefault(reason, Counter())[titles.get(item, item)] += 1
    lines = []
    for reason in sorted(by_reason):
        parts = ", ".join(f"{n} {title}{'s' if title == 'bundle' and n != 1 else ''}"
                          for title, n in sorted(by_reason[reason].items()))
        lines.append(f"{reason} → {parts}")
    return lines


def _reasons(entry: dict | None, inputs: dict[str, str], out_dir: Path, force: bool,
             output: str | None = None) -> list[str]:
    if force:
        return ["--force"]
    if entry is None:
        return ["new"]
    changed = changed_inputs(entry.get("inputs", {}), inputs)
    if changed:
        return [f"{label.split(':', 1)[0] if label.startswith('member:') else label} changed" for label in changed]
    if not outputs_intact(out_dir, entry):
        return ["output missing or altered"]
    if output is not None and any(not rel.startswith(output + ".") for rel in entry.get("files", {})):
        return ["output renamed"]
    return []


def _render_convert(todo: Sequence[Job], out_dir: Path, *, author: str, workers: int | None, pdf: bool,
                    docx: bool, summary: Summary, manifest: Manifest, inputs: dict[str, dict[str, str]],
                    progress: Progress, settled: Callable[[str], None] = lambda job_id: None,
                    converter: Converter | None = None) -> None:
    """Render jobs one by one and hand each to the LibreOffice workers as soon as it is ready.

    The workers start before the first document is rendered, so their start-up overlaps with
    rendering. Outputs are written in order as they come back, so memory holds only the PDFs
    that are converted but not yet written, whatever the size of the build.
    """
    if not todo:
        if converter is not None:
            converter.close()
        return
    from .check import require_clean
    from .plan import KINDS
    from .render import render_docx

    stage = work_dir("render")
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    if converter is None and pdf and todo:
        converter = open_converter(jobs=n_workers, expected=len(todo))
    waiting: list[tuple[Job, Path, Future[object] | None]] = []

    def drain(all_of_them: bool) -> None:
        while waiting and (all_of_them or waiting[0][2] is None or waiting[0][2].done()):
            job, staged, future = waiting.pop(0)
            outcome = future.result() if future is not None else None
            _record(job, staged, outcome, out_dir, docx=docx, summary=summary, manifest=manifest,  # type: ignore[arg-type]
                    inputs=inputs)
            if future is None:
                progress.step(job.id)
            settled(job.id)

    try:
        # Costly documents first: the workers are still starting while the first ones render, and
        # the last ones they take are short forms, so neither waits long for the other at the end
        # and bundles are made while the forms convert.
        for i, job in enumerate(sorted(todo, key=lambda j: -COST.get(j.kind, 1))):
            try:
                require_clean(job.template, KINDS[job.kind].context_type)
                data = render_docx(job.template, job.build_context(),
                                   properties_for(job, author, provenance(job.id, inputs[job.id])))
            except DocgenError as e:
                summary.failed[job.id] = str(e)
                progress.step(f"failed {job.id}")
                settled(job.id)
                continue
            staged = stage / f"{i:05d}.docx"
            staged.write_bytes(data)
            future = None
            if converter is not None:
                expected = expected_text(data)
                future = converter.submit(staged, lambda o, e=expected: _counted(_faithful(o, e), progress))
            waiting.append((job, staged, future))
            drain(False)
        if converter is not None:
            converter.flush()
        drain(True)
    except BaseException:
        if converter is not None:
            converter.close(kill=True)
            converter = None
        raise
    finally:
        if converter is not None:
            converter.close()
        shutil.rmtree(stage, ignore_errors=True)


def _faithful(outcome: Outcome, expected: Expected) -> Outcome:
    """The outcome, or a failed one when the PDF's text differs from the DOCX's (fidelity.py)."""
    if outcome.pdf is None:
        return outcome
    found = differences(outcome.pdf, expected)
    if found:
        return Outcome(outcome.source, None, describe(str(outcome.source), found))
    return outcome


def _counted(outcome: Outcome, progress: Progress) -> Outcome:
    progress.step(outcome.source.name)
    return outcome


def _record(job: Job, staged: Path, outcome: Outcome | None, out_dir: Path, *, docx: bool,
            summary: Summary, manifest: Manifest, inputs: dict[str, dict[str, str]]) -> None:
    """Write the files of one rendered (and converted) document and its manifest entry."""
    if outcome is not None and outcome.pdf is None:
        summary.failed[job.id] = f"{job.output}.pdf: {outcome.error}"
        return
    data = staged.read_bytes()
    files: dict[str, str] = {}
    if docx:
        target = safe_target(out_dir, job.output + ".docx")
        write_atomic(target, data)
        files[job.output + ".docx"] = sha256(data)
        summary.written.append(target)
    entry: dict[str, Any] = {"inputs": inputs[job.id], "files": files, "kind": job.kind, "docx_sha256": sha256(data)}
    if outcome is not None and outcome.pdf is not None:
        target = safe_target(out_dir, job.output + ".pdf")
        write_atomic(target, outcome.pdf)
        files[job.output + ".pdf"] = sha256(outcome.pdf)
        summary.written.append(target)
    _drop_superseded(out_dir, manifest.outputs.get(job.id), files)
    manifest.outputs[job.id] = entry
    summary.made.append(job.id)


def _drop_superseded(out_dir: Path, old: dict[str, Any] | None, files: dict[str, str]) -> None:
    """Remove the files an earlier build made for this document under another name (reports were
    once named by the vendor's short name alone), when they are exactly as that build left them."""
    for rel, digest in (old or {}).get("files", {}).items():
        if rel in files:
            continue
        path = out_dir / rel
        try:
            if path.is_file() and file_hash(path) == digest:
                path.unlink()
        except OSError:
            pass  # a file that cannot be removed is only left over


def run(data: m.Dataset, jobs: Sequence[Job], out_dir: Path, *, workers: int | None = None, force: bool = False,
        dry_run: bool = False, draft: bool = False, pdf: bool = True, docx: bool = True,
        with_bundles: bool = True, only_bundles: set[str] | None = None, progress: bool | None = None,
        converter: Converter | None = None, snapshot_of: dict[str, Any] | None = None) -> Summary:
    """Bring `out_dir` up to date for `jobs` (and their bundles); see the module docstring.

    `snapshot_of`: record.source_stats of the data folder taken before it was loaded, when `jobs`
    are every document the data plans (a full build). A build without failures then records a
    snapshot that lets the next run skip loading the data when nothing changed
    (record.take_snapshot). Any other build drops the snapshot.

    `converter` (optional, see warm_converter) is used for the documents and closed at the end.
    """
    try:
        return _run(data, jobs, out_dir, workers=workers, force=force, dry_run=dry_run, draft=draft, pdf=pdf,
                    docx=docx, with_bundles=with_bundles, only_bundles=only_bundles, progress=progress,
                    converter=converter, snapshot_of=snapshot_of)
    except BaseException:
        if converter is not None:
            converter.close(kill=True)
        raise


def _run(data: m.Dataset, jobs: Sequence[Job], out_dir: Path, *, workers: int | None, force: bool,
         dry_run: bool, draft: bool, pdf: bool, docx: bool, with_bundles: bool, only_bundles: set[str] | None,
         progress: bool | None, converter: Converter | None, snapshot_of: dict[str, Any] | None) -> Summary:
    start = time.monotonic()
    if snapshot_of is not None:  # templates as they are before any is read
        snapshot_of = {**snapshot_of, "templates": file_stats({j.template for j in jobs})}
    summary = Summary()
    manifest = Manifest.load(out_dir)
    tools = tools_fingerprint(pdf)
    inputs = {job.id: job_inputs(job, tools) for job in jobs}
    todo = []
    for job in jobs:
        reasons = _reasons(manifest.outputs.get(job.id), inputs[job.id], out_dir, force, job.output)
        if reasons:
            todo.append(job)
            summary.reasons[job.id] = reasons
        else:
            summary.unchanged.append(job.id)
    bundles = plan_bundles(data, jobs) if with_bundles and pdf else []
    if only_bundles is not None:
        bundles = [b for b in bundles if b.name in only_bundles]
    redo_ids = {j.id for j in todo}
    bundle_todo = []
    for bundle in bundles:
        entry = manifest.outputs.get(bundle.id)
        member_redo = [j.id for j in bundle.members if j.id in redo_ids]
        if force:
            reasons = ["--force"]
        elif entry is None:
            reasons = ["new"]
        elif member_redo:
            reasons = [r for j in member_redo for r in summary.reasons[j]]
        else:
            changed = changed_inputs(entry.get("inputs", {}), bundle_inputs(bundle, manifest, draft, tools))
            reasons = [f"{c.split(':')[0]} changed" for c in changed]
            if not reasons and not outputs_intact(out_dir, entry):
                reasons = ["output missing or altered"]
        if reasons:
            bundle_todo.append(bundle)
            summary.reasons[bundle.id] = sorted(set(reasons))
        else:
            summary.unchanged.append(bundle.id)
    if converter is not None and not (todo and pdf and not dry_run):
        converter.close(kill=True)
        converter = None
    if dry_run:
        summary.seconds = time.monotonic() - start
        return summary
    clean_temp_files(out_dir)
    bar = Progress(len(todo) + len(bundle_todo), progress)
    try:
        bundler = Bundler(data, bundle_todo, out_dir, draft=draft, summary=summary, manifest=manifest,
                          tools=tools, progress=bar, pending={j.id for j in todo})
        _render_convert(todo, out_dir, author=data.client.name, workers=workers, pdf=pdf, docx=docx, converter=converter,
                        summary=summary, manifest=manifest, inputs=inputs, progress=bar, settled=bundler.settled)
        bundler.finish()
    finally:
        bar.close()
        manifest.tools = tools
        for job_id in summary.failed:
            manifest.outputs.pop(job_id, None)
        complete = not summary.failed and pdf and docx and with_bundles and only_bundles is None \
            and sys.exc_info()[0] is None
        manifest.snapshot = take_snapshot(snapshot_of, out_dir, manifest, draft=draft) \
            if snapshot_of is not None and complete else None
        if not dry_run:
            manifest.save(out_dir)
    summary.seconds = time.monotonic() - start
    return summary


class Bundler:
    """Makes each bundle as soon as the last of its members is written, while LibreOffice is still
    converting other documents; bundles whose members were all up to date are made at the end."""

    def __init__(self, data: m.Dataset, todo: Sequence[BundleJob], out_dir: Path, *, draft: bool,
                 summary: Summary, manifest: Manifest, tools: dict[str, str], progress: Progress,
                 pending: set[str]) -> None:
        self.out_dir, self.draft, self.summary, self.manifest = out_dir, draft, summary, manifest
        self.tools, self.progress = tools, progress
        self.todo = list(todo)
        self.waiting = {b.id: {j.id for j in b.members if j.id in pending} for b in self.todo}
        self.made: set[str] = set()
        self.infos = {b.id: self._info(data, b) for b in self.todo}
        if self.todo:
            from .bundle import prepare_font

            prepare_font(list(self.infos.values()))

    def _info(self, data: m.Dataset, bundle: BundleJob) -> tuple[BundleInfo, list[Member]]:
        from .bundle import BundleInfo, Member

        members = [Member(j.title, j.tags.get("group", ""), safe_target(self.out_dir, j.output + ".pdf"), id=j.id)
                   for j in bundle.members]
        period = _period(bundle)
        info = BundleInfo(name=bundle.name, title=bundle.spec.title, period=period,
                          organisation=data.client.name, date=cn_date(date.today()),
                          version=f"管理办法 {data.policy.version}",
                          keywords=f"{bundle.spec.title};{period};{data.client.short_name}")
        return info, members

    def settled(self, job_id: str) -> None:
        """`job_id` was written (or failed): make every bundle that no longer waits for anything."""
        for bundle in self.todo:
            waiting = self.waiting[bundle.id]
            if job_id in waiting:
                waiting.discard(job_id)
                if not waiting:
                    self._make(bundle)

    def finish(self) -> None:
        for bundle in self.todo:
            if bundle.id not in self.made:
                self._make(bundle)

    def _make(self, bundle: BundleJob) -> None:
        self.made.add(bundle.id)
        summary, manifest = self.summary, self.manifest
        broken = [j.id for j in bundle.members if j.id in summary.failed or j.id not in manifest.outputs]
        if broken:
            summary.failed[bundle.id] = f"not made: member(s) failed: {', '.join(broken)}"
            return
        info, members = self.infos[bundle.id]
        from dataclasses import replace

        from .bundle import assemble

        members = [replace(m, digest=inputs_digest(manifest.outputs[m.id].get("inputs", {}))) for m in members]

        try:
            pdf = assemble(info, members, draft=self.draft)
        except DocgenError as e:
            summary.failed[bundle.id] = str(e)
            return
        target = safe_target(self.out_dir, bundle.output + ".pdf")
        write_atomic(target, pdf)
        summary.written.append(target)
        summary.made.append(bundle.id)
        manifest.outputs[bundle.id] = {"inputs": bundle_inputs(bundle, manifest, self.draft, self.tools),
                                       "files": {bundle.output + ".pdf": sha256(pdf)}, "kind": "bundle"}
        self.progress.step(bundle.id)


def _period(bundle: BundleJob) -> str:
    if bundle.spec.per == "month":
        year, month = bundle.key.split("-")
        return f"{int(year)}年{int(month)}月"
    if bundle.spec.per == "year":
        return f"{bundle.key}年度"
    first = bundle.members[0]
    return first.subject or first.key
