"""The docgen command line: a thin adapter over the library."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import DocgenError

DATA_HELP = "Folder with the data files (client.yaml, vendors.yaml, …)."
OUT_HELP = "Folder the documents are written to."


class _Group(click.Group):
    """Maps every DocgenError to one 'Error: …' message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocgenError as e:
            raise click.ClickException(str(e)) from e


def data_option(fn: Any) -> Any:
    return click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("data"),
                        show_default=True, help=DATA_HELP)(fn)


def out_option(fn: Any) -> Any:
    return click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("out"),
                        show_default=True, help=OUT_HELP)(fn)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
def cli() -> None:
    """Contracts, forms and service reports for IT-outsourcing vendor management.

    Reads YAML and CSV files describing the client, its vendors, their agreements and
    records, and writes DOCX and PDF documents.
    """


@cli.command()
@data_option
def validate(data_dir: Path) -> None:
    """Check every data file and the references between them.

    Prints the number of records per entity, or every problem found as
    FILE:LINE:COL: FIELD: MESSAGE (exit code 1).

    Example: docgen validate --data data
    """
    from .validate import counts, load_dataset

    dataset = load_dataset(data_dir)
    for kind, n in counts(dataset).items():
        click.echo(f"{kind:<12}{n:>6}")
    click.echo(f"{data_dir}: all data valid (policy version {dataset.policy.version}).")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("schema"),
              show_default=True, help="Folder the JSON Schema files are written to.")
def schema(out_dir: Path) -> None:
    """Write a JSON Schema for each YAML data file.

    Point your editor's YAML extension at them, e.g. with a first line
    '# yaml-language-server: $schema=../schema/vendors.schema.json' in data/vendors.yaml,
    to get completion and checks as you type.
    """
    from .schema import data_file_schemas
    from .record import write_atomic

    for name, doc in data_file_schemas().items():
        path = out_dir / f"{name}.schema.json"
        write_atomic(path, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        click.echo(str(path))


@cli.command()
@click.argument("key")
@click.argument("kind", type=click.Choice(["contract", "sla", "nda", "leave", "change"]))
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "both"]), default="both", show_default=True,
              help="Which files to write.")
@data_option
@out_option
def render(key: str, kind: str, fmt: str, data_dir: Path, out_dir: Path) -> None:
    """Render one document, made again even if it is up to date.

    KEY is an agreement id (agreements.yaml) for contract, sla and nda, a leave record id
    (leave.yaml) for leave, or a change record id (changes.yaml) for change.

    Example: docgen render hx-2026 contract --format pdf
    """
    from .build import run
    from .plan import plan
    from .validate import load_dataset

    dataset = load_dataset(data_dir)
    candidates = plan(dataset, [kind])
    jobs = [j for j in candidates if j.key == key]
    if not jobs:
        known = ", ".join(j.key for j in candidates[:15]) or "none"
        raise click.BadParameter(f"no {kind} document for {key!r}; known: {known}", param_hint="KEY")
    with _lock(out_dir):
        summary = run(dataset, jobs, out_dir, force=True, pdf=fmt in ("pdf", "both"), docx=fmt in ("docx", "both"),
                      with_bundles=False)
    _finish(summary)


@cli.group()
def report() -> None:
    """Make monthly or annual service reports."""


@report.command("monthly")
@click.option("--month", required=True, help="The month, as YYYY-MM.")
@click.option("--vendor", help="Only this vendor id (default: every vendor).")
@data_option
@out_option
def report_monthly(month: str, vendor: str | None, data_dir: Path, out_dir: Path) -> None:
    """Make the 月度运维服务报告 of every vendor (or one) for a month, as DOCX and PDF.

    Example: docgen report monthly --month 2026-10 --vendor hx
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise click.BadParameter("write the month as YYYY-MM, e.g. 2026-10", param_hint="--month")
    _reports("monthly", "month", month, vendor, data_dir, out_dir)


@report.command("annual")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="The year.")
@click.option("--vendor", help="Only this vendor id (default: every vendor).")
@data_option
@out_option
def report_annual(year: int, vendor: str | None, data_dir: Path, out_dir: Path) -> None:
    """Make the 年度运维服务报告 of every vendor (or one) for a year, as DOCX and PDF.

    Example: docgen report annual --year 2026
    """
    _reports("annual", "year", str(year), vendor, data_dir, out_dir)


def _reports(kind: str, tag: str, value: str, vendor: str | None, data_dir: Path, out_dir: Path) -> None:
    from .build import run
    from .plan import plan
    from .validate import load_dataset

    dataset = load_dataset(data_dir)
    if vendor is not None and vendor not in {v.id for v in dataset.vendors}:
        known = ", ".join(v.id for v in dataset.vendors)
        raise click.BadParameter(f"no vendor {vendor!r}; known: {known}", param_hint="--vendor")
    jobs = [j for j in plan(dataset, [kind]) if j.tags.get(tag) == value
            and (vendor is None or j.tags.get("vendor") == vendor)]
    if not jobs:
        raise DocgenError(f"no {kind} report for {value}: no tickets or attendance records in that period")
    with _lock(out_dir):
        summary = run(dataset, jobs, out_dir, with_bundles=False)
    _finish(summary)


@cli.command()
@click.argument("name")
@click.option("--draft", is_flag=True, help="Print a diagonal 草稿 watermark on every page.")
@data_option
@out_option
def bundle(name: str, draft: bool, data_dir: Path, out_dir: Path) -> None:
    """Make one PDF bundle (and any of its documents that are out of date).

    NAME is a bundle name such as contract-pack-hx-2026, monthly-pack-2026-10 or
    annual-pack-2026; `docgen build --dry-run` lists them all.

    Example: docgen bundle monthly-pack-2026-10 --draft
    """
    from .build import plan_bundles, run
    from .plan import plan
    from .validate import load_dataset

    dataset = load_dataset(data_dir)
    bundles = {b.name: b for b in plan_bundles(dataset, plan(dataset))}
    if name not in bundles:
        raise click.BadParameter(f"no bundle {name!r}; known: {', '.join(sorted(bundles))}", param_hint="NAME")
    with _lock(out_dir):
        summary = run(dataset, bundles[name].members, out_dir, draft=draft, only_bundles={name})
    _finish(summary)


def _lock(out_dir: Path) -> Any:
    from .record import output_lock

    return output_lock(out_dir)


def _bridge_note(summary: Any) -> None:
    """Say once, after documents were converted, that installing python3-uno makes builds faster."""
    if summary.made and os.environ.get("DOCGEN_CONVERTER", "auto") == "auto":
        from .convert import uno_python

        if uno_python() is None:
            click.echo("note: LibreOffice's Python bridge is not installed, so documents were converted in "
                       "batches; builds are faster with it: sudo apt-get install -y python3-uno", err=True)


def _finish(summary: Any) -> None:
    for path in summary.written:
        click.echo(str(path))
    for job_id, reason in summary.failed.items():
        click.echo(f"failed: {job_id}: {reason}", err=True)
    _bridge_note(summary)
    click.echo(f"{len(summary.made)} made, {len(summary.unchanged)} unchanged, {len(summary.failed)} failed "
               f"in {summary.seconds:.1f} s", err=True)
    if summary.failed:
        raise DocgenError(f"{len(summary.failed)} output(s) failed; see above")


@cli.command()
@data_option
@out_option
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel LibreOffice workers [default: CPU count].")
@click.option("--force", is_flag=True, help="Make every output again, changed or not.")
@click.option("--dry-run", is_flag=True, help="Only say what would be made and why.")
@click.option("--draft", is_flag=True, help="Print a diagonal 草稿 watermark on bundles.")
def build(data_dir: Path, out_dir: Path, jobs: int | None, force: bool, dry_run: bool, draft: bool) -> None:
    """Validate the data, then bring every document and bundle in OUT up to date.

    Only outputs whose inputs changed since the last build are made again (the manifest
    in OUT records them); --dry-run lists them with the reason.

    Example: docgen build --data data --out out
    """
    started = time.monotonic()
    with _lock(out_dir) if not dry_run else contextlib.nullcontext():
        if not dry_run and not force:
            from .record import unchanged_since_snapshot

            unchanged = unchanged_since_snapshot(data_dir, out_dir, draft=draft)
            if unchanged is not None:
                click.echo(f"Everything is up to date ({unchanged} outputs); nothing to do "
                           f"({time.monotonic() - started:.1f} s).")
                return
        from .convert import warm_converter  # light, so LibreOffice starts while the rest is imported

        converter = None if dry_run else warm_converter(out_dir, workers=jobs, force=force)
        try:
            from .build import explain, plan_bundles, run
            from .plan import plan
            from .record import source_stats
            from .validate import load_dataset

            sources = source_stats(data_dir)
            dataset = load_dataset(data_dir)
            todo = plan(dataset)
        except BaseException:
            if converter is not None:
                converter.close(kill=True)
            raise
        summary = run(dataset, todo, out_dir, workers=jobs, force=force, dry_run=dry_run, draft=draft,
                      converter=converter, snapshot_of=sources)
    if dry_run:
        lines = explain(summary, todo, plan_bundles(dataset, todo))
        for line in lines:
            click.echo(line)
        n = len(summary.reasons)
        click.echo(f"{n} output(s) would be made, {len(summary.unchanged)} unchanged." if n else
                   "Everything is up to date; nothing would be made.")
        return
    for job_id, reason in summary.failed.items():
        click.echo(f"failed: {job_id}: {reason}", err=True)
    _bridge_note(summary)
    if not summary.made and not summary.failed:
        click.echo(f"Everything is up to date ({len(summary.unchanged)} outputs); nothing to do "
                   f"({summary.seconds:.1f} s).")
    else:
        click.echo(f"{len(summary.made)} made, {len(summary.unchanged)} unchanged, {len(summary.failed)} failed "
                   f"in {summary.seconds:.1f} s → {out_dir}/")
    if summary.failed:
        raise DocgenError(f"{len(summary.failed)} output(s) failed; see above")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@data_option
def verify(file: Path, data_dir: Path) -> None:
    """Say which document FILE is and whether the current data still produces it.

    FILE is a DOCX, PDF or bundle made by docgen, in OUT or anywhere else (a file away from
    its build is compared with the document made again from the current data). Exit code 0
    when it matches the current data, template and policy, 1 when it does not (the changed
    inputs are listed) or when the file was altered (what differs is named).

    Example: docgen verify out/contracts/hx-2026/CH-YW-2026-001_运维外包服务合同.pdf
    """
    from .verify import verify as check

    verdict = check(file, data_dir)
    for line in verdict.lines():
        click.echo(line)
    if not verdict.ok:
        what = "has been altered since it was made" if verdict.content.startswith("ALTERED") else \
            "does not match the current data"
        raise DocgenError(f"{file} {what}")


class _KindChoice(click.Choice):  # type: ignore[type-arg]
    """The document kinds, looked up when first needed, so that starting the command does not
    import the whole pipeline."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from .plan import KINDS

        return tuple(sorted(KINDS))

    @choices.setter
    def choices(self, value: object) -> None:
        pass


@cli.group()
def templates() -> None:
    """Work with the DOCX templates."""


@templates.command("check")
@click.option("--template", "paths", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Check this file instead of the shipped template (with --kind).")
@click.option("--kind", type=_KindChoice(), help="Document kind whose context the file is checked against.")
def templates_check(paths: tuple[Path, ...], kind: str | None) -> None:
    """Check every tag of every template against the data model, before rendering anything.

    Reports unknown fields and variables (with a suggestion), unknown filters, loops over
    values that are not lists, syntax errors and tags damaged by Word (full-width braces,
    Chinese quotes, formatting changes inside a tag), all at once.

    Example: docgen templates check
    """
    from .check import check_template
    from .plan import KINDS

    if paths and not kind:
        raise click.UsageError("--template needs --kind to know which context to check against")
    targets = [(p, KINDS[kind].context_type) for p in paths] if paths and kind else [
        (k.template_path, k.context_type) for k in KINDS.values() if k.template_path.exists()]
    problems = []
    for path, context_type in targets:
        found = check_template(path, context_type)
        problems += found
        if not found:
            click.echo(f"ok  {path}")
    if problems:
        raise DocgenError("\n".join(str(p) for p in problems) + f"\n{len(problems)} template problem(s) found.")


_TERMINATED: list[int] = []  # the signal that stopped this run, if one did


def _interrupted(signum: int, frame: Any) -> None:
    import signal

    _TERMINATED.append(signum)

    # one is enough: let the clean-up run to its end and exit with 1, whatever else arrives
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point. SIGTERM (a `kill`, a stopped CI job) is handled like Ctrl-C:
    LibreOffice is stopped, temporary files are removed and nothing half-written is left."""
    import signal

    signal.signal(signal.SIGTERM, _interrupted)
    try:
        cli(prog_name="docgen")
    except KeyboardInterrupt:  # arrived outside a command, where click does not catch it
        click.echo("Aborted!", err=True)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
