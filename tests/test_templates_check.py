"""`docgen templates check`: shipped templates pass; damaged ones fail with precise messages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import TEMPLATES

from docgen.check import check_template
from docgen.cli import cli
from docgen.context import LeaveContext
from docgen.plan import KINDS


def _mutate(tmp_path: Path, replacements: list[tuple[str, str]]) -> Path:
    source = KINDS["leave"].template_in(TEMPLATES)
    target = tmp_path / "leave_form.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                for old, new in replacements:
                    assert old in text, old
                    text = text.replace(old, new, 1)
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return target


def test_every_shipped_template_passes(runner) -> None:
    result = runner.invoke(cli, ["templates", "check"])
    assert result.exit_code == 0, result.output
    shipped = [k for k in KINDS.values() if k.template_in(TEMPLATES).exists()]
    assert shipped and result.output.count("ok  ") == len(shipped) + 1  # and the 补充协议
    assert "ok  templates/contracts/supplement.docx" in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{{ person.name }}", "{{ person.nmae }}", "StaffMember has no field 'nmae'; did you mean 'name'?"),
        ("{{ vendor.name }}", "{{ vendr.name }}", "unknown variable 'vendr'; did you mean 'vendor'?"),
        ("{{ leave.reason }}", "{{ leave.reason|shout }}", "unknown filter 'shout'"),
        ("{% if substitute %}", "{% for x in leave.hours %}{% endfor %}{% if substitute %}",
         "loop over Decimal, which is not a list"),
        ("{{ leave.reason }}", "｛｛ leave.reason }}", "full-width '｛｛' in a tag"),
        ("{{ leave.type }}", "{{ leave.type|join(“、”) }}", "Chinese quotes inside"),
        ("{{ leave.reason }}", "{{ leave.reason }", "syntax error"),
    ],
)
def test_damaged_template_is_reported_precisely(tmp_path: Path, old: str, new: str, message: str) -> None:
    problems = [str(p) for p in check_template(_mutate(tmp_path, [(old, new)]), LeaveContext)]
    assert any(message in p and "leave_form.docx: document paragraph" in p for p in problems), problems


def test_tag_split_across_runs_is_reported(tmp_path: Path) -> None:
    split = "{</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{ leave.reason }}"
    problems = [str(p) for p in check_template(_mutate(tmp_path, [("{{ leave.reason }}", split)]), LeaveContext)]
    assert any("split across Word runs" in p for p in problems), problems


def test_cli_lists_all_problems_and_exits_1(tmp_path: Path, runner) -> None:
    bad = _mutate(tmp_path, [("{{ person.name }}", "{{ person.nmae }}"), ("{{ vendor.name }}", "{{ vendr.name }}")])
    result = runner.invoke(cli, ["templates", "check", "--template", str(bad), "--kind", "leave"])
    assert result.exit_code == 1
    assert "has no field 'nmae'" in result.output and "unknown variable 'vendr'" in result.output
    assert "2 template problems found." in result.output


def test_template_needs_kind(tmp_path: Path, runner) -> None:
    copy = tmp_path / "x.docx"
    shutil.copy(KINDS["leave"].template_in(TEMPLATES), copy)
    result = runner.invoke(cli, ["templates", "check", "--template", str(copy)])
    assert result.exit_code == 2


def test_every_syntax_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    damaged = _mutate(tmp_path, [("{{ leave.reason }}", "{{ leave.reason }"), ("{{ person.name }}", "{{ person.name + }}")])
    problems = [p for p in check_template(damaged, LeaveContext) if "syntax error" in p.message]
    assert len(problems) >= 2 and len({p.paragraph for p in problems}) >= 2, problems
    assert any("leave.reason" in p.near for p in problems) and any("person.name" in p.near for p in problems)


def test_entities_inside_tags_read_as_quotes(tmp_path: Path) -> None:
    """LibreOffice and Word save quotes in text as &apos; / &quot;: inside a tag they are jinja's quotes."""
    quoted = _mutate(tmp_path, [("{{ leave.reason }}", "{{ leave.reason or &apos;—&apos; }}{{ &quot;x&quot; }}")])
    assert check_template(quoted, LeaveContext) == []


def test_render_offers_every_one_document_kind() -> None:
    from docgen.cli import ONE_DOCUMENT_KINDS

    assert set(ONE_DOCUMENT_KINDS) == set(KINDS) - {"monthly", "annual"}


@pytest.mark.soffice
def test_a_template_saved_by_libreoffice_passes_the_check_and_builds(tmp_path: Path, runner, monkeypatch) -> None:
    """The templates are the lawyers' files: one opened and saved again in LibreOffice (which
    writes quotes as &apos; and its own document properties) still checks and renders."""
    import subprocess
    from io import BytesIO

    from conftest import SAMPLE_DATA, have_soffice
    from docx import Document

    if not have_soffice():
        pytest.skip("LibreOffice is not installed")
    project = tmp_path / "p"
    shutil.copytree(SAMPLE_DATA, project / "data")
    shutil.copytree(TEMPLATES, project / "templates")
    target = project / "templates/contracts/scope_annex.docx"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(target)],
                   check=True, capture_output=True, timeout=180)
    saved = (tmp_path / "saved/scope_annex.docx").read_bytes()
    assert b"&apos;" in zipfile.ZipFile(BytesIO(saved)).read("word/document.xml")  # what made the check fail
    target.write_bytes(saved)
    monkeypatch.chdir(project)
    checked = runner.invoke(cli, ["templates", "check"])
    assert checked.exit_code == 0, checked.output
    built = runner.invoke(cli, ["render", "hx-2026", "scope", "--out", "out"])
    assert built.exit_code == 0, built.output
    docx = next((project / "out/contracts/hx-2026").glob("*-SCOPE_服务清单.docx"))
    names = zipfile.ZipFile(docx).namelist()
    assert len(names) == len(set(names))  # no part twice (docProps/core.xml)
    inventory = next(t for t in Document(str(docx)).tables if t.rows[0].cells[1].text == "名称")
    assert len(inventory.rows) == 1 + 7 and inventory.rows[1].cells[3].text == "集团数据中心"
    assert "—" in [r.cells[5].text for r in inventory.rows[1:]]
