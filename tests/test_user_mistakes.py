"""Mistakes that used to end in a traceback: each ends in one located message, exit code 1,
and nothing written."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, TEMPLATES, Spawner, have_soffice, write_mini

from docgen.cli import cli
from docgen.errors import InputError
from docgen.validate import load_dataset


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    return [str(p) for p in exc.value.problems]


def test_timestamps_with_an_offset_are_read_as_china_time(tmp_path: Path):
    ticket = MINI["tickets.csv"].replace("2026-10-03 09:00,2026-10-03 09:10,", "2026-10-03T01:00Z,2026-10-03T09:10+08:00,")
    data = load_dataset(write_mini(tmp_path / "data", **{"tickets.csv": ticket}))
    t = data.tickets[0]
    assert str(t.opened) == "2026-10-03 09:00:00" and str(t.responded) == "2026-10-03 09:10:00"
    assert t.opened.tzinfo is None


def test_an_offset_on_one_column_only_is_compared_correctly(tmp_path: Path):
    ticket = MINI["tickets.csv"].replace("2026-10-03 09:10,", "2026-10-03T09:10+08:00,")
    assert load_dataset(write_mini(tmp_path / "data", **{"tickets.csv": ticket})).tickets[0].responded.hour == 9


@pytest.mark.parametrize("style", ["block", "flow"])
def test_yaml_nested_hundreds_of_levels_is_a_located_problem(tmp_path: Path, style: str):
    if style == "block":
        extra = "deep:\n" + "".join("  " * (i + 1) + f"a{i}:\n" for i in range(300)) + "  " * 301 + "x: 1\n"
    else:
        extra = "deep: " + "[" * 5000 + "]" * 5000 + "\n"
    folder = write_mini(tmp_path / "data", **{"policy.yaml": MINI["policy.yaml"] + extra})
    found = _problems(folder)
    assert any("policy.yaml:" in p and "nested more than 64 levels" in p for p in found), found


def test_a_data_file_that_is_a_folder_is_named(tmp_path: Path, runner):
    folder = write_mini(tmp_path / "data")
    (folder / "leave.yaml").unlink()
    (folder / "leave.yaml").mkdir()
    result = runner.invoke(cli, ["build", "--data", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "leave.yaml: is a folder, not a file" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


def test_verify_on_a_zip_that_is_not_a_docx(tmp_path: Path, runner):
    path = tmp_path / "notes.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    path.write_bytes(buf.getvalue())
    result = runner.invoke(cli, ["verify", str(path), "--data", str(write_mini(tmp_path / "data"))])
    assert result.exit_code == 1 and "a ZIP file but not a DOCX document" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _edit_document(template: Path, edit) -> None:
    """Rewrite `template` in place with `edit` applied to the bytes of word/document.xml."""
    src = zipfile.ZipFile(template)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, edit(data) if info.filename == "word/document.xml" else data)
    src.close()
    template.write_bytes(buf.getvalue())


def _with_tag(template: Path, tag: str) -> None:
    _edit_document(template, lambda xml: xml.replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>" + tag.encode() + b"</w:t></w:r></w:p>", 1))


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.parametrize(("tag", "message"), [
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "a macro calls itself without end"),
    ("{% include 'other.docx' %}", "cannot be used in a DOCX template"),
])
@pytest.mark.soffice
def test_a_broken_template_fails_its_documents_and_the_build_goes_on(tmp_path: Path, monkeypatch, runner, tag, message):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    _with_tag(templates / "contracts/nda.docx", tag)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--data", str(write_mini(tmp_path / "data")), "--out", str(out),
                                 "--templates", str(templates)])
    assert result.exit_code == 1
    assert "failed: nda:hx-2026" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert list(out.glob("contracts/hx-2026/*_运维外包服务合同.pdf"))
    assert not list(out.glob("contracts/hx-2026/*保密协议*"))


def test_templates_check_names_a_part_that_is_not_utf8(tmp_path: Path, runner):
    template = tmp_path / "nda.docx"
    shutil.copy(TEMPLATES / "contracts/nda.docx", template)
    _edit_document(template, lambda xml: xml.replace("保密".encode(), "保密".encode("gb18030"), 1))
    result = runner.invoke(cli, ["templates", "check", "--template", str(template), "--kind", "nda"])
    assert result.exit_code == 1 and "not UTF-8 text" in result.output, result.output


def _docgen(spawn: Spawner, args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return spawn.run([sys.executable, "-m", "docgen.cli", *args], env=env, cwd=cwd, timeout=300)


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.parametrize("home", [None, "/nonexistent"])
@pytest.mark.soffice
def test_no_usable_home_folder_still_builds(tmp_path: Path, home: str | None, spawn: Spawner):
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "DOCGEN_CACHE", "XDG_CACHE_HOME")}
    if home is not None:
        env["HOME"] = home
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    write_mini(tmp_path / "data")
    run = _docgen(spawn, ["build", "--data", "data", "--out", "out"], env, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_cold_cache_is_one_message(tmp_path: Path, spawn: Spawner):  # pragma: no cover - only without root
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o555)
    env = dict(os.environ, DOCGEN_CACHE=str(cache))
    write_mini(tmp_path / "data")
    run = _docgen(spawn, ["build", "--data", "data", "--out", "out"], env, tmp_path)
    assert run.returncode == 1 and "docgen's cache folder" in run.stderr and "Traceback" not in run.stderr


def test_a_cache_folder_that_cannot_be_made_is_one_message(tmp_path: Path, spawn: Spawner):
    (tmp_path / "blocker").write_text("a file where the cache folder should go")
    env = dict(os.environ, DOCGEN_CACHE=str(tmp_path / "blocker" / "cache"))
    write_mini(tmp_path / "data")
    run = _docgen(spawn, ["build", "--data", "data", "--out", "out"], env, tmp_path)
    assert run.returncode == 1, run.stderr
    assert "docgen's cache folder" in run.stderr and "DOCGEN_CACHE" in run.stderr
    assert "Traceback" not in run.stderr
