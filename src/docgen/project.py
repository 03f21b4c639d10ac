"""The library API: a docgen project and the steps of a build, load → validate → plan → build.

    import docgen

    project = docgen.Project.load("path/to/project")   # reads docgen.toml there, if present
    dataset = project.validate()                        # InputError with every problem found
    plan = project.plan(dataset)                        # pure: typed outputs, input hashes, reasons
    result = project.build(plan, jobs=2)                # lock, LibreOffice, files, manifest
    print(result.made, result.failed)

Every command of the CLI is one call of this class. Nothing here reads the environment or the
working folder except `Project.load`, which turns them (and docgen.toml) into a ProjectConfig.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ProjectConfig, Settings, load_config
from .errors import DocgenError, RequestError, TemplateError
from .i18n import _

if TYPE_CHECKING:  # imported when used, so that a build with nothing to do never loads them
    from . import history
    from . import models as m
    from .build import BuildResult
    from .plan import Job, Plan
    from .uptodate import UpToDate
    from .verify import Verdict


@dataclass(frozen=True)
class TemplateReport:
    """The result of checking one template: its path and its problems (empty: clean)."""

    path: Path
    problems: list[str]


class Project:
    """One project: its data, templates and output folders and docgen's settings.

    Create it with `Project.load(folder)`, or `Project(config)` with a ProjectConfig of your own.
    """

    def __init__(self, config: ProjectConfig) -> None:
        self.config = config

    @classmethod
    def load(cls, path: Path | str = ".", *, data: Path | None = None, templates: Path | None = None,
             out: Path | None = None, jobs: int | None = None, environ: Mapping[str, str] | None = None) -> Project:
        """The project in folder `path` (or the docgen.toml file `path`), with its docgen.toml
        if there is one; `data`, `templates`, `out` and `jobs` override what it says.
        `environ` (default: os.environ) supplies DOCGEN_CACHE and the other machine settings."""
        config = load_config(path, environ=environ)
        return cls(config.with_options(data_dir=data, templates_dir=templates, out_dir=out, jobs=jobs))

    @property
    def settings(self) -> Settings:
        return self.config.settings

    # ------------------------------------------------------------------ load and validate

    def validate(self) -> m.Dataset:
        """Read and check every data file; InputError lists every problem (file:line:col: field)."""
        from .validate import load_dataset

        dataset = load_dataset(self.config.data_dir, self.settings.cache_dir)
        dataset.record_signed_versions(self.signed_versions(dataset))
        return dataset

    def signed_versions(self, dataset: m.Dataset) -> dict[str, str]:
        """For each signed agreement without policy_version, the policy version its contract
        quotes as kept in the output folder (read from the manifest's record of the contract's
        inputs); the agreements never built here are left out."""
        from .manifest import Manifest

        try:
            manifest = Manifest.load(self.config.out_dir)
        except DocgenError:
            return {}
        by_file = {file: version for version, file in dataset.policy_files.items()}
        out = {}
        for ag in dataset.agreements:
            entry = manifest.outputs.get(f"contract:{ag.id}")
            if not ag.frozen or ag.policy_version or entry is None:
                continue
            quoted = [by_file[label.removesuffix(":version")] for label in entry.inputs
                      if label.endswith(":version") and label.removesuffix(":version") in by_file]
            if len(quoted) == 1:
                out[ag.id] = quoted[0]
        return out

    def counts(self, dataset: m.Dataset) -> dict[str, int]:
        """Records per entity, for `docgen validate`."""
        from .validate import counts

        return counts(dataset)

    # ------------------------------------------------------------------ plan

    def documents(self, dataset: m.Dataset, kinds: Collection[str] | None = None) -> list[Job]:
        """Every document the data calls for (of `kinds`), with its template in this project."""
        from .plan import documents

        return documents(dataset, self.config.templates_dir, kinds)

    def plan(self, dataset: m.Dataset, *, force: bool = False, draft: bool = False, docx: bool = True,  # noqa: PLR0913
             pdf: bool = True, only: Sequence[Job] | None = None, bundles: Collection[str] | bool = True,
             reissue: Collection[str] = (), reason: str = "") -> Plan:
        """What a build would make and why, without writing anything.

        `only`: these documents instead of every one; `bundles`: True for every bundle of the
        planned documents, a collection of bundle names, or False; `force`: make everything again;
        `draft`: bundles carry a 草稿 watermark; `docx`/`pdf`: which files of each document.
        Documents of signed agreements are kept as made (`Output.held` says what changed), except
        those of the agreements in `reissue` (see plan_reissue).
        """
        from .plan import Options, make_plan
        from .versions import tools_fingerprint

        jobs = list(only) if only is not None else self.documents(dataset)
        plan = make_plan(dataset, jobs, out_dir=self.config.out_dir, templates_dir=self.config.templates_dir,
                         tools=tools_fingerprint(self.settings, pdf),
                         options=Options(force=force, draft=draft, docx=docx, pdf=pdf, bundles=bundles,
                                         reissue=tuple(reissue), reason=reason))
        plan._whole = only is None and bundles is True and not reissue
        return plan

    def up_to_date(self, *, draft: bool = False, docx: bool = True, pdf: bool = True) -> UpToDate | None:
        """What `build(plan(validate()))` would report if nothing a plan reads has changed since
        the last build that left everything up to date; None when that is not known (then
        validate, plan and build). Reads the data, templates and outputs' bytes, nothing more
        (see docgen.uptodate)."""
        from .uptodate import check

        return check(self.config, _quick_options(draft, docx, pdf))

    def plan_document(self, dataset: m.Dataset, kind: str, key: str, *, docx: bool = True,
                      pdf: bool = True) -> Plan:
        """One document (`kind` for the record `key`), made again even if it is up to date."""
        from .plan import find_document

        job = find_document(self.documents(dataset, [kind]), kind, key)
        return self.plan(dataset, force=True, docx=docx, pdf=pdf, only=[job], bundles=False)

    def plan_reports(self, dataset: m.Dataset, kind: str, period: str, vendor: str | None = None) -> Plan:
        """The monthly (period "2026-10") or annual (period "2026") reports, of one vendor or all."""
        from .plan import find_reports

        jobs = find_reports(dataset, self.documents(dataset, [kind]), kind, period, vendor)
        return self.plan(dataset, only=jobs, bundles=False)

    def plan_month(self, dataset: m.Dataset, month: str, *, draft: bool = False) -> Plan:
        """Everything of one month ("2026-11"): every agreement's 月度运维服务报告, the leave and
        personnel-change forms filed under it, and the month's bundles (the monthly pack)."""
        jobs = [j for j in self.documents(dataset, ["monthly", "leave", "change"]) if j.tags.get("month") == month]
        if not jobs:
            from .metrics import data_months

            months = sorted({f"{y}-{mo:02d}" for ag in dataset.agreements for y, mo in data_months(dataset, ag.id)})
            if not months:
                raise DocgenError(_("nothing to make for {month}: no report or form falls in it (months with "
                                    "records: none)").format(month=month))
            raise DocgenError(_("nothing to make for {month}: no report or form falls in it (months with records: "
                                "{first} to {last})").format(month=month, first=months[0], last=months[-1]))
        from .plan import bundle_jobs

        names = {b.name for b in bundle_jobs(dataset, jobs) if b.spec.per == "month" and b.key == month}
        return self.plan(dataset, draft=draft, only=jobs, bundles=names)

    def plan_bundle(self, dataset: m.Dataset, name: str, *, draft: bool = False) -> Plan:
        """One bundle and any of its documents that are out of date."""
        from .plan import find_bundle

        bundle = find_bundle(dataset, self.documents(dataset), name)
        return self.plan(dataset, draft=draft, only=bundle.members, bundles={name})

    def plan_reissue(self, dataset: m.Dataset, agreement: str, reason: str) -> Plan:
        """The documents of a signed agreement made again from the current data (and its contract
        pack); the files they replace are kept in the output folder's .history (see build)."""
        found = next((a for a in dataset.agreements if a.id == agreement), None)
        if found is None:
            signed = ", ".join(a.id for a in dataset.agreements if a.frozen)
            if not signed:
                raise RequestError(_("no agreement {agreement!r}; signed agreements: none").format(agreement=agreement))
            raise RequestError(_("no agreement {agreement!r}; signed agreements: {signed}").format(
                agreement=agreement, signed=signed))
        if not found.frozen:
            raise RequestError(_("agreement {agreement!r} is a draft: its documents follow the data at every "
                                 "build, so there is nothing to reissue").format(agreement=agreement))
        if not reason.strip():
            raise RequestError(_("say why the documents are reissued: --reason \"…\""))
        jobs = [j for j in self.documents(dataset) if j.frozen_by == agreement]
        return self.plan(dataset, only=jobs, reissue=[agreement], reason=reason.strip())

    # ------------------------------------------------------------------ build

    def build(self, plan: Plan, *, jobs: int | None = None, progress: bool | str | None = None) -> BuildResult:
        """Make every stale output of `plan` and record it in the manifest.

        Holds the output folder's lock for the whole build (another build waits up to 30 s), starts
        LibreOffice and always stops it, and writes the manifest last. A plan made before another
        build changed the folder is made again first. `jobs`: parallel LibreOffice workers
        (default: the project's, else the CPU count).
        """
        from . import history
        from .build import execute
        from .outputs import output_lock
        from .plan import manifest_digest

        if plan.out_dir != self.config.out_dir:
            raise DocgenError(_("the plan is for {plan_folder}, this project writes to {folder}").format(
                plan_folder=plan.out_dir, folder=self.config.out_dir))
        from .uptodate import forget

        with output_lock(plan.out_dir):
            whole = plan._whole
            if manifest_digest(plan.out_dir) != plan.manifest_digest:
                plan = self._replan(plan)
            changes = plan.changes()
            previous: dict[str, bytes] = {}
            if plan.todo:
                forget(self.config)
                history.keep_before(plan.out_dir, plan.manifest, [o.id for o in plan.todo])
                previous = _previous_docx(plan, changes)
            result = execute(plan, self.settings, jobs=jobs or self.config.jobs, progress=progress,
                             previous=previous)
            if result.made:
                self._record(plan, result, changes)
            if whole and result.ok:
                self._remember(plan)
            return result

    def _record(self, plan: Plan, result: BuildResult, changes: dict[str, list[Any]]) -> None:
        """After a build that made something: keep the input values behind the new hashes, write
        the change list (变更说明.md and .json) and record the build in the history."""
        from . import history
        from .changes import write_change_list
        from .manifest import Manifest, _plain

        values = history.load_values(plan.out_dir)
        for output in plan.outputs:
            if output.id in result.made and output.kind != "bundle":
                job = plan.job(output.id)
                for label, value in job.inputs.items():
                    digest = output.inputs.get(label)
                    if digest is not None and digest not in values:
                        values[digest] = _plain(value)
        history.save_values(plan.out_dir, values)
        listed = {k: v for k, v in changes.items() if k in result.made or k in {o.id for o in plan.held}}
        manifest = Manifest.load(plan.out_dir)
        signed = [rel for o in plan.outputs if o.kind != "bundle" and plan.job(o.id).frozen_by
                  for rel in manifest.files_of(o.id)]
        record = history.record_build(plan.out_dir, manifest, result.made, reason=plan.reason,
                                      signed=signed, changes=len(listed), keep=self.config.history_keep)
        if listed or result.redlines:
            result.change_list = write_change_list(plan, listed, result, record.id)
            redlines = [plan.out_dir / rel for files in result.redlines.values() for rel in files]
            history.add_notes(plan.out_dir, record, [*result.change_list, *redlines])

    def _replan(self, plan: Plan, **changes: Any) -> Plan:
        """`plan` made again against the output folder as it is now (with `changes` to its options)."""
        from dataclasses import replace

        from .plan import make_plan
        from .versions import tools_fingerprint

        jobs = [plan.job(o.id) for o in plan.outputs if o.kind not in ("bundle", "supplement")]
        return make_plan(plan.dataset, jobs, out_dir=plan.out_dir, templates_dir=plan.templates_dir,
                         tools=tools_fingerprint(self.settings, plan.pdf), options=replace(plan.options, **changes))

    def _remember(self, plan: Plan) -> None:
        """After a whole build: plan again (without --force), and if nothing is left to do and the
        data files are still the ones the plan was made from, record that answer for up_to_date."""
        from .uptodate import UpToDate, remember
        from .validate import data_digest

        # a plan that had nothing to do is what planning again would give
        after = plan if not plan.todo and not plan.force else self._replan(plan, force=False)
        source = plan.dataset.source_digest
        if after.todo or source is None or data_digest(self.config.data_dir) != source:
            return
        remember(self.config, _quick_options(plan.draft, plan.docx, plan.pdf),
                 UpToDate(outputs=len(after.outputs), held=after.held_lines()))

    # ------------------------------------------------------------------ other commands

    def builds(self) -> list[history.BuildRecord]:
        """The builds recorded in the output folder, oldest first."""
        from . import history

        return history.builds(self.config.out_dir)

    def restore(self, build_id: str) -> tuple[history.BuildRecord, list[str]]:
        """Put the files of an earlier build back (see history.restore); the next build makes
        again what the current data changes."""
        from . import history
        from .outputs import output_lock
        from .uptodate import forget

        with output_lock(self.config.out_dir):
            forget(self.config)
            return history.restore(self.config.out_dir, build_id)

    def verify(self, file: Path) -> Verdict:
        """Which document `file` is and whether the current data still makes it (verify.Verdict)."""
        from .verify import verify

        return verify(file, self)

    def check_templates(self, paths: Sequence[Path] = (), kind: str | None = None) -> list[TemplateReport]:
        """Check every tag of the project's templates (or of `paths`, as templates of `kind`)."""
        from .check import check_template
        from .plan import KINDS, SUPPLEMENT, kind_of, supplement_template

        if paths and kind is None:
            raise RequestError(_("--template needs --kind to know which context to check against"))
        if kind is not None and kind not in KINDS and kind != SUPPLEMENT.name:
            raise RequestError(_("no document kind {kind!r}; known: {known}").format(
                kind=kind, known=", ".join(sorted([*KINDS, SUPPLEMENT.name]))))
        if paths and kind is not None:
            targets = [(p, kind_of(kind).context_type) for p in paths]
        else:
            targets = [(k.template_in(self.config.templates_dir), k.context_type) for k in KINDS.values()]
            missing = [str(p) for p, _ in targets if not p.is_file()]
            if missing:
                raise TemplateError(_("template not found: {paths}").format(paths="; ".join(missing)))
            targets.append((supplement_template(self.config.templates_dir), SUPPLEMENT.context_type))
        return [TemplateReport(path, [str(p) for p in check_template(path, context_type)])
                for path, context_type in targets]

    def init_templates(self) -> list[Path]:
        """Copy the templates that come with docgen into the project's templates folder; files
        already there are kept (a lawyer's edits are never overwritten). Returns the files copied."""
        source = shipped_templates()
        dest = self.config.templates_dir
        copied = []
        for path in sorted(source.rglob("*.docx")):
            target = dest / path.relative_to(source)
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target)
        return copied

    def write_schemas(self, out_dir: Path) -> list[Path]:
        """A JSON Schema per YAML data file, for editors."""
        import json

        from .outputs import write_atomic
        from .schema import data_file_schemas

        written = []
        for name, doc in data_file_schemas().items():
            path = out_dir / f"{name}.schema.json"
            write_atomic(path, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
            written.append(path)
        return written


def _previous_docx(plan: Plan, changes: dict[str, list[Any]]) -> dict[str, bytes]:
    """The DOCX each document to be made again had, when its inputs changed (a redline is made
    against it): the file in the output folder if it is as recorded, else the kept version."""
    from . import history

    out: dict[str, bytes] = {}
    for output in plan.todo:
        if output.id not in changes:
            continue
        entry = plan.manifest.outputs.get(output.id)
        digest = entry.docx_sha256 if entry is not None else None
        if digest is None:
            continue
        path = plan.out_dir / (output.path + ".docx")
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() != digest:
            data = history.kept(plan.out_dir, digest) or b""
        if data:
            out[output.id] = data
    return out


def _quick_options(draft: bool, docx: bool, pdf: bool) -> dict[str, object]:
    return {"draft": draft, "docx": docx, "pdf": pdf}


def shipped_templates() -> Path:
    """The templates that come with docgen (the package docgen_templates), the starting point of
    `docgen templates init`. Builds never read them: they use the project's templates folder."""
    from importlib.util import find_spec

    spec = find_spec("docgen_templates")
    if spec is None or not spec.submodule_search_locations:
        raise TemplateError(_("this docgen installation has no shipped templates (package docgen_templates)"))
    return Path(next(iter(spec.submodule_search_locations)))
