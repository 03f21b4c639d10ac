"""docgen as a library: Project.load → validate → plan → build, docgen.toml, the typed plan and
manifest, and a CLI that is only an adapter over them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import TEMPLATES, have_soffice, write_mini
from docx import Document

import docgen
from docgen.cli import cli
from docgen.errors import InputError, OutputError, TemplateError
from docgen.manifest import MANIFEST_NAME, Manifest
from docgen.plan import Plan


def _project(tmp_path: Path, toml: str | None = None) -> Path:
    write_mini(tmp_path / "data")
    if toml is not None:
        (tmp_path / "docgen.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_the_public_names_are_importable_from_the_package() -> None:
    assert docgen.Project.__module__ == "docgen.project"
    assert {"Project", "Plan", "BuildResult", "InputError"} <= set(docgen.__all__)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        docgen.Nope  # noqa: B018


def test_docgen_toml_names_the_folders_relative_to_itself(tmp_path: Path) -> None:
    root = _project(tmp_path, f'[project]\ndata = "data"\ntemplates = "{TEMPLATES.as_posix()}"\nout = "built"\n'
                              'jobs = 1\ncache = "cache"\n')
    project = docgen.Project.load(root)
    assert project.config.data_dir == root / "data"
    assert project.config.out_dir == root / "built"
    assert project.config.templates_dir == TEMPLATES
    assert project.config.jobs == 1 and project.settings.cache_dir == root / "cache"
    assert project.config.config_file == root / "docgen.toml"
    overridden = docgen.Project.load(root / "docgen.toml", out=tmp_path / "elsewhere", jobs=2)
    assert overridden.config.out_dir == tmp_path / "elsewhere" and overridden.config.jobs == 2


def test_a_wrong_docgen_toml_is_one_clear_message_with_its_line(tmp_path: Path, runner) -> None:
    root = _project(tmp_path, '[project]\ndata = "data"\noutput = "out"\njobs = 0\n')
    with pytest.raises(InputError) as caught:
        docgen.Project.load(root)
    problems = [str(p) for p in caught.value.problems]
    assert f"{root / 'docgen.toml'}:3: project.output: unknown key" in problems
    assert any(p.startswith(f"{root / 'docgen.toml'}:4: project.jobs:") for p in problems), problems
    (root / "docgen.toml").write_text('[project\ndata = "data"\n', encoding="utf-8")
    result = runner.invoke(cli, ["--project", str(root), "validate"])
    assert result.exit_code == 1 and "docgen.toml:1:" in result.output and "not valid TOML" in result.output
    assert "Traceback" not in result.output


def test_plan_is_pure_and_typed(tmp_path: Path) -> None:
    root = _project(tmp_path, f'[project]\ntemplates = "{TEMPLATES.as_posix()}"\n')
    project = docgen.Project.load(root)
    dataset = project.validate()
    plan = project.plan(dataset)
    assert isinstance(plan, Plan) and plan.version == 1
    assert not (root / "out").exists(), "planning wrote something"
    ids = [o.id for o in plan.outputs]
    assert len(ids) == len(set(ids)) and "contract:hx-2026" in ids and "bundle:contract-pack-hx-2026" in ids
    contract = next(o for o in plan.outputs if o.id == "contract:hx-2026")
    assert contract.reasons == ["new"] and contract.template == "contracts/service_contract.docx"
    assert contract.path == "contracts/hx-2026/CH-YW-2026-001_运维外包服务合同"
    assert "agreements.yaml:hx-2026" in contract.inputs and "tool:docgen" in contract.inputs
    pack = next(o for o in plan.outputs if o.id == "bundle:contract-pack-hx-2026")
    assert pack.members == [f"{k}:hx-2026" for k in ("contract", "scope", "sla", "nda", "assessment", "staffing",
                                                       "pricing")]
    again = Plan.model_validate_json(plan.model_dump_json())  # the plan is data: it can be saved and read
    assert again.outputs == plan.outputs
    with pytest.raises(Exception, match="plan again from the data"):
        again.dataset  # noqa: B018


def test_templates_come_from_the_project_not_from_the_installed_package(tmp_path: Path) -> None:
    root = _project(tmp_path, '[project]\ntemplates = "my-templates"\n')
    project = docgen.Project.load(root)
    with pytest.raises(TemplateError, match="templates init"):
        project.plan(project.validate())
    copied = project.init_templates()
    assert len(copied) == 12 and all(p.is_relative_to(root / "my-templates") for p in copied)
    edited = root / "my-templates/contracts/nda.docx"
    lawyers = edited.read_bytes() + b"\0"  # stands for a lawyer's edit
    edited.write_bytes(lawyers)
    assert project.init_templates() == [] and edited.read_bytes() == lawyers  # never overwritten
    dataset = project.validate()
    assert all(j.template.is_relative_to(root / "my-templates") for j in project.documents(dataset))
    plan = project.plan(dataset)
    assert {o.template for o in plan.outputs if o.template} >= {"contracts/nda.docx", "forms/leave_form.docx"}


def test_a_manifest_of_an_unknown_version_is_refused_with_a_clear_message(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text(json.dumps({"version": 9, "outputs": {}}), encoding="utf-8")
    with pytest.raises(OutputError, match="manifest version 9 is not one this docgen reads"):
        Manifest.load(out)
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["build", "--data", str(tmp_path / "data"), "--out", str(out), "--dry-run"])
    assert result.exit_code == 1 and "manifest version 9" in result.output and "Traceback" not in result.output


def test_a_manifest_of_version_1_is_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    entry = {"inputs": {"a": "1"}, "files": {"x.pdf": "00"}, "kind": "contract", "docx_sha256": "11"}
    (out / MANIFEST_NAME).write_text(json.dumps({"version": 1, "tools": {"docgen": "0"}, "snapshot": {"data": {}},
                                                 "outputs": {"contract:a": entry}}), encoding="utf-8")
    manifest = Manifest.load(out)
    assert manifest.outputs["contract:a"].files == {"x.pdf": "00"} and manifest.tools == {"docgen": "0"}


@pytest.mark.soffice
@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
def test_load_validate_plan_build_as_a_library(tmp_path: Path) -> None:
    root = _project(tmp_path, f'[project]\ntemplates = "{TEMPLATES.as_posix()}"\njobs = 1\n')
    project = docgen.Project.load(root)
    dataset = project.validate()
    plan = project.plan(dataset)
    result = project.build(plan)
    assert result.ok and sorted(result.made) == sorted(o.id for o in plan.outputs)
    contract = root / "out/contracts/hx-2026/CH-YW-2026-001_运维外包服务合同.docx"
    doc = Document(str(contract))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "澄湖实业集团有限公司" in text and "华信智维科技有限公司" in text
    manifest = Manifest.load(root / "out")
    assert set(manifest.outputs) == {o.id for o in plan.outputs}
    assert manifest.outputs["contract:hx-2026"].inputs == next(o.inputs for o in plan.outputs
                                                                if o.id == "contract:hx-2026")
    second = project.plan(project.validate())
    assert second.todo == [] and len(second.unchanged) == len(plan.outputs)
    stale = project.build(plan)  # a plan made before the first build: planned again, nothing to do
    assert stale.made == [] and stale.ok


def test_an_edited_template_folder_is_used_with_templates_option(tmp_path: Path, runner) -> None:
    templates = tmp_path / "edited"
    shutil.copytree(TEMPLATES, templates)
    (templates / "forms/leave_form.docx").unlink()
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["build", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out"),
                                 "--templates", str(templates), "--dry-run"])
    assert result.exit_code == 1 and f"{templates / 'forms/leave_form.docx'}" in result.output


def test_every_cli_command_is_a_thin_adapter() -> None:
    """Each command parses, calls the library and prints: no command body over 15 lines."""
    import ast
    import inspect

    from docgen import cli as module

    tree = ast.parse(inspect.getsource(module))
    commands = [node for node in tree.body if isinstance(node, ast.FunctionDef)
                and any("command" in ast.unparse(d) for d in node.decorator_list)]
    assert len(commands) >= 10
    for node in commands:
        body = node.body[1:] if isinstance(node.body[0], ast.Expr) else node.body  # without the docstring
        lines = body[-1].end_lineno - body[0].lineno + 1
        assert lines <= 15, f"{node.name} has {lines} lines"


def test_no_module_imports_another_that_imports_it_back() -> None:
    """The package's modules form layers: following the imports made when a module loads (not the
    ones made inside functions or for type checking only) never leads back to it."""
    import ast

    root = Path(docgen.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in root.glob("*.py"):
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        graph[path.stem] = deps

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for dep in graph.get(start, ()):
            if dep == target or (dep not in seen and reaches(dep, target, seen | {dep})):
                return True
        return False

    assert [m for m in graph if reaches(m, m, {m})] == []


def _data_sets(tmp_path: Path) -> list[Path]:
    from conftest import SAMPLE_DATA
    from test_stress_data import make_stress_data

    return [SAMPLE_DATA, write_mini(tmp_path / "mini"), make_stress_data(tmp_path / "stress")]


def test_valid_data_read_back_from_the_cache_equals_the_data_validated_from_the_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen import validate

    for data in _data_sets(tmp_path):
        cache = tmp_path / f"cache-{data.name}"
        fresh = validate.load_dataset(data)
        assert validate.load_dataset(data, cache) == fresh  # validated, and kept
        assert len(list((cache / "datasets").glob("*.json"))) == 1

        def parse_again(data_dir: Path) -> None:
            raise AssertionError("parsed again although the data did not change")

        with monkeypatch.context() as patched:
            patched.setattr(validate, "_load_dataset", parse_again)
            again = validate.load_dataset(data, cache)
        assert again == fresh and again.policy_on(fresh.policy.effective_date) == fresh.policy


def test_any_change_to_the_data_misses_the_cache_and_mistakes_are_still_found(tmp_path: Path) -> None:
    from docgen import validate

    data = write_mini(tmp_path / "data")
    cache = tmp_path / "cache"
    validate.load_dataset(data, cache)
    client = data / "client.yaml"
    client.write_text(client.read_text(encoding="utf-8").replace("陈立", "陈力"), encoding="utf-8")
    assert validate.load_dataset(data, cache).client.contact.name == "陈力"
    client.write_text(client.read_text(encoding="utf-8").replace("short_name:", "shortname:"), encoding="utf-8")
    with pytest.raises(InputError, match="shortname"):
        validate.load_dataset(data, cache)
    assert len(list((cache / "datasets").glob("*.json"))) == 2  # nothing kept of invalid data
