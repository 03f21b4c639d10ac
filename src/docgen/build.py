"""Carry out a plan: render each stale document, convert it on warm LibreOffice workers, check the
PDF against the DOCX, write the files, make the bundles, and write the manifest last.

Why: the plan (plan.py) has already decided what to make and why; this module only makes it,
owns the converter from start to end (started first, so LibreOffice starts while the first
documents render; killed on any error or Ctrl-C) and records every output it wrote.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import models as m
from .config import Settings
from .convert import Converter, Outcome, open_converter
from .errors import DocgenError
from .fidelity import Expected, describe, differences, expected_text
from .formatting import cn_date
from .i18n import _, ngettext
from .manifest import Manifest, OutputRecord, file_hash, inputs_digest, provenance, sha256
from .outputs import clean_temp_files, safe_target, work_dir, write_atomic
from .plan import BundleJob, Job, Plan, bundle_inputs

if TYPE_CHECKING:  # rendering and bundling are imported when first needed
    from .bundle import BundleInfo, Member, Typeface
    from .render import Properties


# Relative cost of making one document of a kind (pages to lay out); anything else counts 1.
COST = {"annual": 4, "monthly": 3, "contract": 3, "sla": 3, "nda": 2, "assessment": 2}


@dataclass
class BuildResult:
    """What a build did: output ids made, left unchanged and failed (with why), files written."""

    made: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    redlines: dict[str, list[str]] = field(default_factory=dict)  # output id → its 修订对照 files (relative)
    change_list: list[Path] = field(default_factory=list)  # 变更说明.md and .json, when something changed

    @property
    def ok(self) -> bool:
        return not self.failed


class Progress:
    """What a build shows while it works: a progress bar with the document's name on a terminal
    (rich), one plain line per document otherwise ("lines", for logs), or nothing ("off").

    `mode` None: the bar on a terminal, else nothing (a library caller's default). Steps come
    from checker threads too; rich's Progress is thread-safe, the plain lines are written whole.
    """

    def __init__(self, total: int, mode: bool | str | None = None) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        if mode is None or mode is True:
            mode = "bar" if sys.stderr.isatty() else ("lines" if mode is True else "off")
        self.mode = mode if total else "off"
        self._bar = None
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("", total=total)
            self._bar.start()

    def step(self, label: str) -> None:
        self.done += 1
        if self.mode == "lines":
            sys.stderr.write(f"[{self.done}/{self.total}] {label}\n")
            sys.stderr.flush()
        elif self._bar is not None:
            self._bar.update(self._task, advance=1, description=label[:40])

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def document_name(job: Job) -> str:
    """A document as a progress line names it: its file name without the suffix."""
    return Path(job.output).name


def properties_for(job: Job, author: str, provenance: str = "") -> Properties:
    """Document properties in the reader's terms: the title with the document's number (a
    contract's, a form's record id) or its period, the subject, the author. `provenance` (see
    manifest.provenance), which lets `docgen verify` trace the file back, goes into a custom
    property, not into what Word and PDF readers show as keywords."""
    from .render import Properties

    if job.tags.get("agreement") and job.output.startswith("contracts/"):
        label = Path(job.output).name.split("_", 1)[0]  # the document number, e.g. CH-YW-2026-001-SLA
    elif job.output.startswith("forms/"):
        label = job.key
    else:
        label = job.subject.split(" · ", 1)[-1] if job.subject else job.key
    return Properties(title=f"{job.title}（{label}）", subject=job.subject or job.title, author=author,
                      keywords=job.title, provenance=provenance)


REDLINES = "修订对照"  # in the output folder: the redline of each document the last build changed


def redline_path(output: str) -> str:
    """Where the redline of the document at `output` (relative, without suffix) goes."""
    folder, _slash, name = output.rpartition("/")
    return f"{REDLINES}/{folder}/{REDLINES}_{name}" if folder else f"{REDLINES}/{REDLINES}_{name}"


def execute(plan: Plan, settings: Settings, *, jobs: int | None = None, progress: bool | str | None = None,
            previous: dict[str, bytes] | None = None) -> BuildResult:
    """Make every stale output of `plan` (the caller holds the output folder's lock).

    `previous`: the DOCX each document had before, by output id; a document made with other
    text gets a redline against it (修订对照_<name>.docx and its PDF, see redline.py)."""
    start = time.monotonic()
    result = BuildResult(unchanged=[o.id for o in plan.unchanged])
    todo = [plan.job(o.id) for o in plan.todo if o.kind != "bundle"]
    bundles = [plan.bundle(o.id) for o in plan.todo if o.kind == "bundle"]
    manifest = plan.manifest.model_copy(deep=True)
    inputs = {o.id: o.inputs for o in plan.outputs if o.kind != "bundle"}
    clean_temp_files(plan.out_dir)
    bar = Progress(len(todo) + len(bundles), progress)
    run = _Run(plan, settings, result, manifest, inputs, bar)
    run.previous = previous or {}
    try:
        bundler = Bundler(run, bundles, pending={j.id for j in todo})
        run.render_convert(todo, jobs, settled=bundler.settled)
        bundler.finish()
    finally:
        bar.close()
        manifest.tools = dict(plan.tools)
        for job_id in result.failed:
            manifest.outputs.pop(job_id, None)
        manifest.save(plan.out_dir)
    result.seconds = time.monotonic() - start
    return result


class _Run:
    """The state of one build: what it was asked, what it made so far, and the manifest."""

    def __init__(self, plan: Plan, settings: Settings, result: BuildResult, manifest: Manifest,
                 inputs: dict[str, dict[str, str]], progress: Progress) -> None:
        self.plan, self.settings, self.result, self.manifest = plan, settings, result, manifest
        self.inputs, self.progress = inputs, progress
        self.out_dir = plan.out_dir
        self.previous: dict[str, bytes] = {}
        self.redlines: list[tuple[str, str, bytes]] = []  # (output id, relative path without suffix, DOCX)

    def render_convert(self, todo: Sequence[Job], workers: int | None, settled: Callable[[str], None]) -> None:
        """Render jobs one by one and hand each to the LibreOffice workers as soon as it is ready.

        The workers start before the first document is rendered, so their start-up overlaps with
        rendering. Outputs are written in order as they come back, so memory holds only the PDFs
        that are converted but not yet written, whatever the size of the build.
        """
        if not todo:
            return
        from .check import require_clean
        from .plan import kind_of
        from .render import render_docx

        n_workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        converter: Converter | None = open_converter(self.settings, jobs=n_workers) if self.plan.pdf else None
        stage = work_dir("render")
        author = self.plan.dataset.client.name
        waiting: list[tuple[Job, Path, Future[Outcome] | None]] = []

        def drain(all_of_them: bool) -> None:
            while waiting and (all_of_them or waiting[0][2] is None or waiting[0][2].done()):
                job, staged, future = waiting.pop(0)
                self.record(job, staged, future.result() if future is not None else None)
                if future is None:
                    self.progress.step(document_name(job))
                settled(job.id)

        try:
            # Costly documents first: the workers are still starting while the first ones render, and
            # the last ones they take are short forms, so neither waits long for the other at the end
            # and bundles are made while the forms convert.
            for i, job in enumerate(sorted(todo, key=lambda j: -COST.get(j.kind, 1))):
                try:
                    require_clean(job.template, kind_of(job.kind).context_type, self.settings.cache_dir)
                    data = render_docx(job.template, job.build_context(),
                                       properties_for(job, author, provenance(job.id, self.inputs[job.id])))
                except DocgenError as e:
                    self.result.failed[job.id] = str(e)
                    self.progress.step(_failed_step(document_name(job)))
                    settled(job.id)
                    continue
                staged = stage / f"{i:05d}.docx"
                staged.write_bytes(data)
                future = None
                if converter is not None:
                    future = converter.submit(staged, _checking(expected_text(data), self.progress, document_name(job)))
                waiting.append((job, staged, future))  # type: ignore[arg-type]
                drain(False)
            drain(True)
            self.write_redlines(converter, stage)
        except BaseException:
            if converter is not None:
                converter.close(kill=True)
                converter = None
            raise
        finally:
            if converter is not None:
                converter.close()
            shutil.rmtree(stage, ignore_errors=True)

    def record(self, job: Job, staged: Path, outcome: Outcome | None) -> None:
        """Write the files of one rendered (and converted) document and its manifest entry."""
        if outcome is not None and outcome.pdf is None:
            self.result.failed[job.id] = f"{job.output}.pdf: {outcome.error}"
            return
        data = staged.read_bytes()
        files: dict[str, str] = {}
        if self.plan.docx:
            target = safe_target(self.out_dir, job.output + ".docx")
            write_atomic(target, data)
            files[job.output + ".docx"] = sha256(data)
            self.result.written.append(target)
        if outcome is not None and outcome.pdf is not None:
            from .pdfpost import with_provenance

            target = safe_target(self.out_dir, job.output + ".pdf")
            pdf = with_provenance(outcome.pdf, provenance(job.id, self.inputs[job.id]))
            write_atomic(target, pdf)
            files[job.output + ".pdf"] = sha256(pdf)
            self.result.written.append(target)
        old = self.previous.get(job.id)
        if old is not None and old != data:
            self.redline(job, old, data)
        _drop_superseded(self.out_dir, self.manifest.outputs.get(job.id), files)
        self.manifest.outputs[job.id] = OutputRecord(kind=job.kind, inputs=self.inputs[job.id], files=files,
                                                     docx_sha256=sha256(data))
        self.result.made.append(job.id)


    def redline(self, job: Job, old: bytes, new: bytes) -> None:
        """Keep the redline of one changed document for writing (when it has tracked changes)."""
        from .redline import compare

        try:
            marked = compare(old, new, author="docgen", when=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        except Exception:  # noqa: BLE001 - an old file docgen cannot read gets no redline, the build goes on
            return
        if marked.changes:
            self.redlines.append((job.id, redline_path(job.output), marked.docx))

    def write_redlines(self, converter: Converter | None, stage: Path) -> None:
        """Write each redline as DOCX and (when PDFs are made) PDF, the PDF showing the changes.
        The redlines of the build before are removed first (its history record keeps them)."""
        if self.redlines:
            shutil.rmtree(self.out_dir / REDLINES, ignore_errors=True)
        futures = []
        for i, (job_id, rel, docx) in enumerate(self.redlines):
            target = safe_target(self.out_dir, rel + ".docx")
            write_atomic(target, docx)
            self.result.redlines.setdefault(job_id, []).append(rel + ".docx")
            if converter is not None:
                staged = stage / f"redline-{i:05d}.docx"
                staged.write_bytes(docx)
                futures.append((job_id, rel, converter.submit(staged)))
        for job_id, rel, future in futures:
            outcome = future.result()
            if isinstance(outcome, Outcome) and outcome.pdf is not None:
                write_atomic(safe_target(self.out_dir, rel + ".pdf"), outcome.pdf)
                self.result.redlines[job_id].append(rel + ".pdf")


def _checking(expected: Expected, progress: Progress, name: str) -> Callable[[Outcome], Outcome]:
    """What runs on each converted PDF in a checker thread: the fidelity check, then a step."""

    def then(outcome: Outcome) -> Outcome:
        outcome = _faithful(outcome, expected)
        progress.step(name if outcome.pdf is not None else _failed_step(name))
        return outcome

    return then


def _failed_step(name: str) -> str:
    """The progress line of a document that could not be made."""
    return _("{name}: failed").format(name=name)


def _faithful(outcome: Outcome, expected: Expected) -> Outcome:
    """The outcome, or a failed one when the PDF's text differs from the DOCX's (fidelity.py)."""
    if outcome.pdf is None:
        return outcome
    found = differences(outcome.pdf, expected)
    if found:
        return Outcome(outcome.source, None, describe(str(outcome.source), found))
    return outcome


def _drop_superseded(out_dir: Path, old: OutputRecord | None, files: dict[str, str]) -> None:
    """Remove the files an earlier build made for this document under another name (reports were
    once named by the vendor's short name alone), when they are exactly as that build left them."""
    for rel, digest in (old.files if old is not None else {}).items():
        if rel in files:
            continue
        path = out_dir / rel
        try:
            if path.is_file() and file_hash(path) == digest:
                path.unlink()
        except OSError:
            pass  # a file that cannot be removed is only left over


class Bundler:
    """Makes each bundle as soon as the last of its members is written, while LibreOffice is still
    converting other documents; bundles whose members were all up to date are made at the end."""

    def __init__(self, run: _Run, todo: Sequence[BundleJob], pending: set[str]) -> None:
        self.run = run
        self.todo = list(todo)
        self.waiting = {b.id: {j.id for j in b.members if j.id in pending} for b in self.todo}
        self.made: set[str] = set()
        self.infos = {b.id: self._info(run.plan.dataset, b) for b in self.todo}
        self.typeface: Typeface | None = None
        if self.todo:
            from .bundle import prepare_font

            self.typeface = prepare_font(list(self.infos.values()), run.settings.cache_dir)

    def _info(self, data: m.Dataset, bundle: BundleJob) -> tuple[BundleInfo, list[Member]]:
        from .bundle import BundleInfo, Member
        from .context import ANNEXES

        label = {kind: f"{no}　" for kind, no, _, _ in ANNEXES}  # the 目录 names an annex as the contract does
        members = [Member(label.get(j.kind, "") + j.title, j.tags.get("group", ""),
                          safe_target(self.run.out_dir, j.output + ".pdf"), id=j.id)
                   for j in bundle.members]
        period = _period(bundle)
        info = BundleInfo(name=bundle.name, title=bundle.spec.title, period=period,
                          organisation=data.client.name, date=cn_date(date.today()),
                          version=f"管理办法 {_policy_of(data, bundle).version}",
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
        result, manifest = self.run.result, self.run.manifest
        broken = [j.id for j in bundle.members if j.id in result.failed or j.id not in manifest.outputs]
        if broken:
            result.failed[bundle.id] = ngettext("not made: a member failed: {members}",
                                                "not made: members failed: {members}",
                                                len(broken)).format(members=", ".join(broken))
            return
        from .bundle import assemble

        info, members = self.infos[bundle.id]
        members = [replace(m, digest=inputs_digest(manifest.outputs[m.id].inputs)) for m in members]
        assert self.typeface is not None
        try:
            pdf = assemble(info, members, self.typeface, draft=self.run.plan.draft)
        except DocgenError as e:
            result.failed[bundle.id] = str(e)
            return
        target = safe_target(self.run.out_dir, bundle.output + ".pdf")
        write_atomic(target, pdf)
        result.written.append(target)
        result.made.append(bundle.id)
        manifest.outputs[bundle.id] = OutputRecord(
            kind="bundle", inputs=bundle_inputs(bundle, manifest, self.run.plan.draft, self.run.plan.tools),
            files={bundle.output + ".pdf": sha256(pdf)})
        self.run.progress.step(Path(bundle.output).name)


def _policy_of(data: m.Dataset, bundle: BundleJob) -> m.Policy:
    """The policy version a bundle's cover names: the one in force at the start of its month or
    year, or the one its agreement's contract quotes."""
    if bundle.spec.per == "month":
        year, month = bundle.key.split("-")
        return data.policy_on(date(int(year), int(month), 1))
    if bundle.spec.per == "year":
        return data.policy_on(date(int(bundle.key), 1, 1))
    agreement = next((a for a in data.agreements if a.id == bundle.key), None)
    return data.policy_for_agreement(agreement) if agreement is not None else data.policy


def _period(bundle: BundleJob) -> str:
    if bundle.spec.per == "month":
        year, month = bundle.key.split("-")
        return f"{int(year)}年{int(month)}月"
    if bundle.spec.per == "year":
        return f"{bundle.key}年度"
    first = bundle.members[0]
    return first.subject or first.key
