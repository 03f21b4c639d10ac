"""The docgen command line: a thin adapter over the library."""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__, i18n
from .errors import DocgenError, RequestError
from .i18n import N_, _, ngettext

if TYPE_CHECKING:  # the pipeline is imported when a command runs, so `--help` starts fast
    from .build import BuildResult
    from .plan import Plan
    from .project import Project

F = TypeVar("F", bound=Callable[..., Any])
# the kinds `render` makes one document of (plan.KINDS without the reports, which `report` makes);
# spelled out so that `--help` does not import the pipeline
ONE_DOCUMENT_KINDS = ("contract", "scope", "sla", "nda", "assessment", "staffing", "pricing", "leave", "change")

# words click translates where it shows them without marking them for a catalog
CLICK_WORDS = (N_("required"),)


def _speak_click() -> None:
    """Click's own words (Usage:, Options:, Error:, Missing argument …) in the reader's language
    too: click takes them from gettext, through the names `_` and `ngettext` of its modules."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils", "termui"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]



def help_texts(command: click.Command) -> Iterator[tuple[click.Command | click.Parameter, str, str]]:
    """(object, attribute, English text) for every help text of `command` and its subcommands:
    what the catalog translates (tools/catalog.py takes them from here)."""
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, f"_en_{attr}", getattr(command, attr, None))
        if text:
            yield command, attr, inspect.cleandoc(text)
    for param in command.params:
        # (metavars stay ASCII: click aligns the columns of --help by characters, not by width)
        text = getattr(param, "_en_help", getattr(param, "help", None))
        if text:
            yield param, "help", text
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


def _localize(command: click.Command) -> None:
    """Put the help texts of `command` (and its subcommands) in the current language."""
    for thing, attr, english in list(help_texts(command)):
        if not hasattr(thing, f"_en_{attr}"):
            setattr(thing, f"_en_{attr}", english)
        setattr(thing, attr, _(english))
        if isinstance(thing, click.Command):
            thing._help_option = None  # click makes its --help again, in the language of now


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        i18n.set_language(value)
    _localize(ctx.find_root().command)


class _Group(click.Group):
    """Maps every DocgenError to one 'Error: …' message and exit code 1: the one place where
    docgen's exceptions become what the user reads."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        if parent is None:
            _localize(self)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RequestError as e:
            raise click.UsageError(str(e), ctx) from e
        except DocgenError as e:
            raise click.ClickException(str(e)) from e


def output_options(fn: F) -> F:
    """-q, -v and --json for the commands that build."""
    fn = click.option("--json", "as_json", is_flag=True,
                      help="Print a summary as JSON (made, unchanged, failed, files) and nothing else.")(fn)
    fn = click.option("-v", "--verbose", is_flag=True, help="Name every document as it is made, and why.")(fn)
    return click.option("-q", "--quiet", is_flag=True, help="Print only problems and the last line.")(fn)


def _progress(quiet: bool, verbose: bool, as_json: bool) -> str | bool:
    """How a build shows its progress: nothing for -q and --json, a line per document for -v,
    else a bar on a terminal and a line per document in a log."""
    if quiet or as_json:
        return "off"
    return "lines" if verbose else True


def _folder(flag: str, help_text: str) -> Callable[[F], F]:
    return click.option(flag, f"{flag[2:]}_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                        metavar="FOLDER",
                        help=help_text)


def with_project(*folders: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Add the folder options `folders` (data, templates, out) to a command and hand it the
    Project they describe (docgen.toml of --project, then these options) as `project`."""
    helps = {"data": "Folder with the data files (client.yaml, vendors.yaml, …) [default: data].",
             "templates": "Folder with the DOCX templates (contracts/, forms/) [default: templates].",
             "out": "Folder the documents are written to [default: out]."}

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            from .project import Project

            chosen = {name: kwargs.pop(f"{name}_dir", None) for name in folders}
            root = click.get_current_context().find_root().params.get("project_dir") or Path(".")
            kwargs["project"] = Project.load(root, **chosen)
            fn(*args, **kwargs)

        for name in reversed(folders):
            wrapper = _folder(f"--{name}", helps[name])(wrapper)
        return wrapper

    return decorate


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), default=None, is_eager=True, expose_value=False,
              callback=_choose_language,
              help="Language of messages and help: zh (中文) or en [default: from LANG / LC_ALL; Chinese "
                   "unless the locale is English]. Documents are always in Chinese.")
@click.version_option(__version__, prog_name="docgen")
@click.option("--project", "project_dir", type=click.Path(path_type=Path), default=None, metavar="FOLDER",
              help="Project folder (or its docgen.toml) [default: the current folder].")
def cli(project_dir: Path | None) -> None:
    """Contracts, forms and service reports for IT-outsourcing vendor management.

    Reads YAML and CSV files describing the client, its vendors, their agreements and
    records, and writes DOCX and PDF documents. Folders come from docgen.toml in the project
    folder when there is one; the options of each command override it.
    """


@cli.command()
@with_project("data")
def validate(project: Project) -> None:
    """Check every data file and the references between them.

    Prints the number of records per entity, or every problem found as
    FILE:LINE:COL: FIELD: MESSAGE (exit code 1).

    Example: docgen validate --data data
    """
    dataset = project.validate()
    for warning in dataset.warnings:
        click.echo(_("warning: {warning}").format(warning=project.config.data_dir / warning), err=True)
    for kind, n in project.counts(dataset).items():
        read_as = f"  ({_(dataset.encodings[kind])})" if kind in dataset.encodings else ""
        click.echo(f"{kind:<12}{n:>6}{read_as}")
    click.echo(_("{folder}: all data valid (policy version {version}).").format(
        folder=project.config.data_dir, version=dataset.policy.version))


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("schema"),
              metavar="FOLDER",
              show_default=True, help="Folder the JSON Schema files are written to.")
@with_project()
def schema(out_dir: Path, project: Project) -> None:
    """Write a JSON Schema for each YAML data file.

    Point your editor's YAML extension at them, e.g. with a first line
    '# yaml-language-server: $schema=../schema/vendors.schema.json' in data/vendors.yaml,
    to get completion and checks as you type.
    """
    for path in project.write_schemas(out_dir):
        click.echo(str(path))


@cli.command()
@click.argument("key")
@click.argument("kind", type=click.Choice(ONE_DOCUMENT_KINDS))
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "both"]), default="both", show_default=True,
              help="Which files to write.")
@with_project("data", "templates", "out")
def render(key: str, kind: str, fmt: str, project: Project) -> None:
    """Render one document, made again even if it is up to date.

    KEY is an agreement id (agreements.yaml) for the contract and its annexes (scope, sla, nda,
    assessment, staffing, pricing), a leave record id (leave.yaml) for leave, or a change record
    id (changes.yaml) for change.

    Example: docgen render hx-2026 contract --format pdf
    """
    dataset = project.validate()
    plan = project.plan_document(dataset, kind, key, docx=fmt != "pdf", pdf=fmt != "docx")
    _finish(project.build(plan), list_files=True)


@cli.group()
def report() -> None:
    """Make monthly or annual service reports."""


@report.command("monthly")
@click.option("--month", required=True, callback=lambda ctx, param, value: _month(value), metavar="YYYY-MM",
              help="The month, as YYYY-MM.")
@click.option("--vendor", metavar="ID", help="Only this vendor id (default: every vendor).")
@with_project("data", "templates", "out")
def report_monthly(month: str, vendor: str | None, project: Project) -> None:
    """Make the 月度运维服务报告 of every vendor (or one) for a month, as DOCX and PDF.

    Example: docgen report monthly --month 2026-10 --vendor hx
    """
    dataset = project.validate()
    _finish(project.build(project.plan_reports(dataset, "monthly", month, vendor)), list_files=True)
    packs = sorted(project.config.out_dir.glob(f"bundles/monthly-pack-{month}_*.pdf"))
    if packs:
        click.echo(_("The month's pack {pack} exists; after the reports change, `docgen month {month}` "
                     "brings it up to date with them.").format(pack=packs[0], month=month), err=True)
    else:
        click.echo(_("The month's pack is not made yet: `docgen month {month}` makes the month's reports, "
                     "forms and pack.").format(month=month), err=True)


@cli.command()
@click.argument("month", callback=lambda ctx, param, value: _month(value))
@click.option("--draft", is_flag=True, help="Print a diagonal 草稿 watermark on the month's pack.")
@output_options
@with_project("data", "templates", "out")
def month(month: str, draft: bool, quiet: bool, verbose: bool, as_json: bool, project: Project) -> None:
    """Make one month in one go: validate the data, then every agreement's 月度运维服务报告,
    the leave and personnel-change forms filed under MONTH, and the month's PDF pack.

    Prints the path of every file it wrote; documents already up to date are left as they are.

    Example: docgen month 2026-11
    """
    plan = project.plan_month(_validated(project, quiet or as_json), month, draft=draft)
    result = _build(project, plan, jobs=None, quiet=quiet, verbose=verbose, as_json=as_json, list_files=True)
    if not result.written and not (quiet or as_json):
        for output in plan.outputs:
            path = f"{project.config.out_dir / output.path}{'.pdf' if output.kind == 'bundle' else '.docx'}"
            click.echo(_("{path} (unchanged)").format(path=path))


@report.command("annual")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), metavar="YEAR", help="The year.")
@click.option("--vendor", metavar="ID", help="Only this vendor id (default: every vendor).")
@with_project("data", "templates", "out")
def report_annual(year: int, vendor: str | None, project: Project) -> None:
    """Make the 年度运维服务报告 of every vendor (or one) for a year, as DOCX and PDF.

    Example: docgen report annual --year 2026
    """
    dataset = project.validate()
    _finish(project.build(project.plan_reports(dataset, "annual", str(year), vendor)), list_files=True)


@cli.command()
@click.argument("name")
@click.option("--draft", is_flag=True, help="Print a diagonal 草稿 watermark on every page.")
@with_project("data", "templates", "out")
def bundle(name: str, draft: bool, project: Project) -> None:
    """Make one PDF bundle (and any of its documents that are out of date).

    NAME is a bundle name such as contract-pack-hx-2026, monthly-pack-2026-10 or
    annual-pack-2026; `docgen build --dry-run` lists them all.

    Example: docgen bundle monthly-pack-2026-10 --draft
    """
    dataset = project.validate()
    _finish(project.build(project.plan_bundle(dataset, name, draft=draft)), list_files=True)


@cli.command()
@with_project("data", "templates", "out")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Parallel LibreOffice workers [default: jobs in docgen.toml, else the CPU count].")
@click.option("--force", is_flag=True, help="Make every output again, changed or not.")
@click.option("--dry-run", is_flag=True, help="Only say what would be made and why.")
@click.option("--draft", is_flag=True, help="Print a diagonal 草稿 watermark on bundles.")
@output_options
def build(project: Project, jobs: int | None, force: bool, dry_run: bool, draft: bool,  # noqa: PLR0913
          quiet: bool, verbose: bool, as_json: bool) -> None:
    """Validate the data, then bring every document and bundle in OUT up to date.

    Only outputs whose inputs changed since the last build are made again (the manifest
    in OUT records them); --dry-run lists them with the reason.

    Example: docgen build --data data --out out
    """
    done = None if force or dry_run or as_json else project.up_to_date(draft=draft)
    if done is not None:
        for line in done.held if not quiet else []:
            click.echo(line, err=True)
        click.echo(_("Everything is up to date ({n} outputs); nothing to do ({seconds:.1f} s).").format(
            n=done.outputs, seconds=0.0))
        return
    dataset = _validated(project, quiet or as_json)
    plan = project.plan(dataset, force=force, draft=draft)
    if dry_run:
        _print_plan(plan)
        return
    _build(project, plan, jobs=jobs, quiet=quiet, verbose=verbose, as_json=as_json)


def _validated(project: Project, quiet: bool) -> Any:
    dataset = project.validate()
    if not quiet:
        _count_warnings(dataset)
    return dataset


def _build(project: Project, plan: Plan, *, jobs: int | None, quiet: bool, verbose: bool,  # noqa: PLR0913
           as_json: bool, list_files: bool = False) -> BuildResult:
    """Build `plan` and print what the options ask for: the signed documents left alone, why each
    document is made (-v), the summary (or JSON)."""
    for line in plan.held_lines() if not (quiet or as_json) else []:
        click.echo(line, err=True)
    if verbose:
        for output in plan.todo:
            click.echo(f"{output.path}: {output.why()}", err=True)
    result = project.build(plan, jobs=jobs, progress=_progress(quiet, verbose, as_json))
    if as_json:
        _print_json(plan, result, project.config.out_dir)
    else:
        _finish(result, out_dir=None if list_files else project.config.out_dir, plan=plan, quiet=quiet,
                list_files=list_files and not quiet)
    return result


def _count_warnings(dataset: Any) -> None:
    """One line naming how many warnings the data has (`validate` lists them)."""
    if dataset.warnings:
        n = len(dataset.warnings)
        click.echo(ngettext("{n} warning about the data, listed by `docgen validate`",
                            "{n} warnings about the data, listed by `docgen validate`", n).format(n=n), err=True)


@cli.command()
@click.argument("agreement")
@click.option("--reason", required=True, metavar="TEXT",
              help="Why the signed documents are made again (kept with the old files).")
@with_project("data", "templates", "out")
def reissue(agreement: str, reason: str, project: Project) -> None:
    """Make the documents of a signed agreement again from the current data.

    A build never rewrites the contract, SLA annex and NDA of a signed agreement; this command
    does, and keeps the files it replaces in OUT/.history/ with the reason.

    Example: docgen reissue hx-2026 --reason "补充协议一：扣款标准按2026.2版执行"
    """
    dataset = project.validate()
    _finish(project.build(project.plan_reissue(dataset, agreement, reason)), list_files=True)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@with_project("data", "templates")
def verify(file: Path, project: Project) -> None:
    """Say which document FILE is and whether the current data still produces it.

    FILE is a DOCX, PDF or bundle made by docgen, in OUT or anywhere else (a file away from
    its build is compared with the document made again from the current data). Exit code 0
    when it matches the current data, template and policy, 1 when it does not (the changed
    inputs are listed) or when the file was altered (what differs is named).

    Example: docgen verify out/contracts/hx-2026/CH-YW-2026-001_运维外包服务合同.pdf
    """
    verdict = project.verify(file)
    for line in verdict.lines():
        click.echo(line)
    if not verdict.ok:
        what = (_("{file} has been altered since it was made") if verdict.altered else
                _("{file} does not match the current data"))
        raise DocgenError(what.format(file=file))


@cli.group(invoke_without_command=True)
@click.pass_context
@with_project("out")
def history(ctx: click.Context, project: Project) -> None:
    """List the builds kept in OUT/.history (every earlier version of every file).

    Example: docgen history --out out;  docgen history restore 20261201-101500
    """
    ctx.obj = project
    if ctx.invoked_subcommand is not None:
        return
    records = project.builds()
    if not records:
        click.echo(_("{folder}: no builds recorded yet").format(folder=project.config.out_dir))
        return
    for record in records:
        click.echo(record.line())


@history.command("restore")
@click.argument("build")
@click.pass_obj
def history_restore(project: Project, build: str) -> None:
    """Put the files of BUILD (an id from `docgen history`, or "latest") back into OUT.

    The files they replace are kept first, so a restore can itself be undone. The next
    `docgen build` makes again whatever the current data changes.
    """
    record, written = project.restore(build)
    for rel in written:
        click.echo(str(project.config.out_dir / rel))
    click.echo(_("restored build {id} ({at}): {written} file(s) written, {same} already as they were").format(
        id=record.id, at=record.at, written=len(written), same=len(record.files) - len(written)))


@history.command("show")
@click.argument("build")
@click.argument("path", required=False)
@click.option("--to", "dest", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              metavar="FILE",
              help="File (or folder) to write the version of PATH to.")
@click.pass_obj
def history_show(project: Project, build: str, path: str | None, dest: Path) -> None:
    """List the files BUILD left, or write the version of one of them (PATH, or the end of it)
    to --to, e.g. to compare it with today's: docgen diff OLD NEW.

    Example: docgen history show 20261201-101500 CH-YW-2027-001_运维外包服务合同.docx --to 旧合同.docx
    """
    from . import history as kept

    if path is None:
        record = kept.find(project.config.out_dir, build)
        for rel in sorted({**record.files, **record.notes}):
            click.echo(rel)
        return
    record, rel, target = kept.export(project.config.out_dir, build, path, dest)
    click.echo(_("{target} ({path} as build {id} left it)").format(target=target, path=rel, id=record.id))


@history.command("diff")
@click.argument("old")
@click.argument("new", default="latest")
@click.pass_obj
def history_diff(project: Project, old: str, new: str) -> None:
    """What changed between two recorded builds (NEW defaults to the latest), per document.

    Example: docgen history diff 20261201-101500
    """
    from .diffing import compare_builds

    for line in compare_builds(project.config.out_dir, old, new):
        click.echo(line)


@cli.command()
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--redline", "redline_to", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE",
              help="Also write a DOCX with the changes as tracked changes (both files DOCX).")
@with_project("data", "out")
def diff(old: Path, new: Path, redline_to: Path | None, project: Project) -> None:
    """Say what changed between two files docgen made (DOCX or PDF): the inputs that differ,
    with their old and new values, and the paragraphs whose text differs.

    Example: docgen diff old/合同.docx out/contracts/hx-2027/CH-YW-2027-001_运维外包服务合同.docx --redline 对照.docx
    """
    from .diffing import compare_files

    report = compare_files(old, new, project, redline_to=redline_to)
    for line in report:
        click.echo(line)


@cli.group()
def templates() -> None:
    """Work with the DOCX templates."""


@templates.command("check")
@click.option("--template", "paths", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              metavar="FILE",
              help="Check this file instead of the project's template (with --kind).")
@click.option("--kind", metavar="KIND",
              help="Document kind whose context the file is checked against (contract, sla, nda, leave, "
                   "change, monthly, annual).")
@with_project("templates")
def templates_check(paths: tuple[Path, ...], kind: str | None, project: Project) -> None:
    """Check every tag of every template against the data model, before rendering anything.

    Reports unknown fields and variables (with a suggestion), unknown filters, loops over
    values that are not lists, syntax errors and tags damaged by Word (full-width braces,
    Chinese quotes, formatting changes inside a tag), all at once.

    Example: docgen templates check
    """
    reports = project.check_templates(paths, kind)
    for r in reports:
        click.echo("\n".join(r.problems) if r.problems else _("ok  {path}").format(path=r.path))
    found = sum(len(r.problems) for r in reports)
    if found:
        raise DocgenError(ngettext("{n} template problem found.", "{n} template problems found.", found).format(
            n=found))


@templates.command("init")
@with_project("templates")
def templates_init(project: Project) -> None:
    """Copy the templates that come with docgen into the project's templates folder.

    Files already there are kept, so a lawyer's edited templates are never overwritten.

    Example: docgen templates init --templates templates
    """
    copied = project.init_templates()
    for path in copied:
        click.echo(str(path))
    click.echo(ngettext("{n} template copied to {folder}.", "{n} templates copied to {folder}.", len(copied)).format(
        n=len(copied), folder=project.config.templates_dir))


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(_("write the month as YYYY-MM, e.g. 2026-10"))
    return value


def _print_plan(plan: Plan) -> None:
    from .changes import as_lines

    for line in plan.explain():  # the signed documents left alone are among them
        click.echo(line)
    changes = plan.changes()
    for output in plan.outputs:
        listed = changes.get(output.id)
        if listed is None and not (output.kind == "supplement" and output.reasons):
            continue
        line = _("{title} (signed, kept as it is): {path}") if output.held else _("{title}: {path}")
        click.echo("\n" + line.format(title=output.title, path=output.path))
        for line in as_lines(listed or []):
            click.echo(f"  · {line}")
        if output.kind == "supplement":
            click.echo("  · " + _("a supplementary agreement will be drafted (terms of a signed contract change)"))
    n = len(plan.todo)
    if n:
        click.echo(ngettext("{n} output would be made, {unchanged} unchanged.",
                            "{n} outputs would be made, {unchanged} unchanged.", n).format(
            n=n, unchanged=len(plan.unchanged)))
    else:
        click.echo(_("Everything is up to date; nothing would be made."))


def _by_title(plan: Plan, ids: list[str]) -> str:
    """'3 运维外包服务合同, 12 月度运维服务报告, 2 bundles'."""
    from collections import Counter

    titles = {o.id: ("" if o.kind == "bundle" else o.title) for o in plan.outputs}
    counted = Counter(titles.get(i, i) for i in ids)
    return _(", ").join(ngettext("{n} bundle", "{n} bundles", n).format(n=n) if not t else
                        _("{n} {title}").format(n=n, title=t) for t, n in sorted(counted.items()))


def _print_json(plan: Plan, result: BuildResult, out_dir: Path) -> None:
    """The summary of a build for scripts; exit code 1 when something failed."""
    import json

    paths = {o.id: o.path for o in plan.outputs}
    body = {
        "made": [{"id": i, "path": paths.get(i, "")} for i in result.made],
        "unchanged": result.unchanged,
        "failed": result.failed,
        "held": plan.held_lines(),
        "written": [str(p) for p in result.written],
        "change_list": [str(p) for p in result.change_list],
        "redlines": result.redlines,
        "seconds": round(result.seconds, 2),
        "out": str(out_dir),
    }
    click.echo(json.dumps(body, ensure_ascii=False, indent=1))
    if result.failed:
        raise click.exceptions.Exit(1)


def _finish(result: BuildResult, *, out_dir: Path | None = None, list_files: bool = False,
            plan: Plan | None = None, quiet: bool = False) -> None:
    """Print what a build made (the files, for commands that make a few) and fail on failures."""
    for path in result.written if list_files else []:
        click.echo(str(path))
    for job_id, reason in result.failed.items():
        click.echo(_("failed: {id}: {reason}").format(id=job_id, reason=reason), err=True)
    if plan is not None and not quiet and result.made:
        click.echo(_("made: {list}").format(list=_by_title(plan, result.made)), err=True)
        if result.unchanged:
            click.echo(_("unchanged: {list}").format(list=_by_title(plan, result.unchanged)), err=True)
    if not result.made and not result.failed and out_dir is not None:
        click.echo(_("Everything is up to date ({n} outputs); nothing to do ({seconds:.1f} s).").format(
            n=len(result.unchanged), seconds=result.seconds))
    else:
        where = f" → {out_dir}/" if out_dir is not None else ""
        click.echo(_("{made} made, {unchanged} unchanged, {failed} failed in {seconds:.1f} s{where}").format(
            made=len(result.made), unchanged=len(result.unchanged), failed=len(result.failed),
            seconds=result.seconds, where=where), err=out_dir is None)
    if result.change_list:
        n = sum(1 for _ in result.redlines)
        click.echo(ngettext("What changed: {path} ({n} redline)", "What changed: {path} ({n} redlines)", n).format(
            path=result.change_list[0], n=n), err=out_dir is None)
    if result.failed:
        n = len(result.failed)
        raise DocgenError(ngettext("{n} output failed; see above", "{n} outputs failed; see above", n).format(n=n))


_TERMINATED: list[int] = []  # the signal that stopped this run, if one did


def _interrupted(signum: int, frame: Any) -> None:
    import signal

    _TERMINATED.append(signum)

    # one is enough: let the clean-up run to its end and exit with 1, whatever else arrives
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _lang_first(args: list[str]) -> list[str]:
    """`args` with a --lang given after the command (`docgen build --lang en`) moved to the front,
    where it belongs, so that it also sets the language of what is said before the command runs."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return [arg, *args[:i], *args[i + 1:]]
        if arg == "--lang" and i + 1 < len(args):
            return [arg, args[i + 1], *args[:i], *args[i + 2:]]
    return args


def main() -> None:
    """Console-script entry point. SIGTERM (a `kill`, a stopped CI job) is handled like Ctrl-C:
    LibreOffice is stopped, temporary files are removed and nothing half-written is left."""
    import signal

    signal.signal(signal.SIGTERM, _interrupted)
    try:
        cli(args=_lang_first(sys.argv[1:]), prog_name="docgen")
    except KeyboardInterrupt:  # arrived outside a command, where click does not catch it
        click.echo(_("Aborted!"), err=True)
        sys.exit(1)
    except SystemExit:
        if not _TERMINATED:
            raise
    # Stopped by SIGTERM: finish the clean-up here and exit with 1, as after Ctrl-C. Left to the
    # interpreter's own shutdown, such a run ended now and then by SIGINT instead.
    import atexit

    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1)


_speak_click()  # after the decorators above, whose help texts stay English here and are translated when shown


if __name__ == "__main__":  # pragma: no cover
    main()
